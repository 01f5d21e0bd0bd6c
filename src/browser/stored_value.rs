//! Reads a value from `storage.local` (a JSON-like `JsValue`) with serde, for the stored progress
//! and settings. Small and strict: `null`/`undefined` are none, booleans, numbers (integers when
//! integral and safe, else floats), strings, arrays, plain objects; anything else is an error.
//! Its errors ([`DecodeError`]) never format the value, so no float formatting comes along.

use crate::decode_error::DecodeError;
use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A serde `Deserializer` over a stored `JsValue`.
pub struct StoredValue(pub JsValue);

fn unreadable() -> DecodeError {
    DecodeError::new("unreadable property")
}

/// What kind of JS value this is, for error texts.
fn kind(value: &JsValue) -> &'static str {
    if value.is_null() || value.is_undefined() {
        "null"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_string() {
        "a string"
    } else if Array::is_array(value) {
        "an array"
    } else if value.is_object() {
        "an object"
    } else {
        "an unsupported value"
    }
}

impl StoredValue {
    fn invalid<'de, V: Visitor<'de>, T>(&self, visitor: &V) -> Result<T, DecodeError> {
        Err(de::Error::invalid_type(Unexpected::Other(kind(&self.0)), visitor))
    }

    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }
}

impl<'de> de::Deserializer<'de> for StoredValue {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let value = &self.0;
        if self.is_nullish() {
            visitor.visit_unit()
        } else if let Some(b) = value.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = value.as_f64() {
            if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
                if n >= 0.0 {
                    visitor.visit_u64(n as u64)
                } else {
                    visitor.visit_i64(n as i64)
                }
            } else {
                visitor.visit_f64(n)
            }
        } else if let Some(s) = value.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(value) {
            self.deserialize_seq(visitor)
        } else if value.is_object() {
            self.deserialize_map(visitor)
        } else {
            self.invalid(&visitor)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_bool() {
            Some(b) => visitor.visit_bool(b),
            None => self.invalid(&visitor),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_f64() {
            Some(n) => visitor.visit_f64(n),
            None => self.invalid(&visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_f64(visitor)
    }

    /// Integers of every width: a number that is integral and safe, range-checked by the visitor.
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_f64() {
            Some(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => {
                if n >= 0.0 {
                    visitor.visit_u64(n as u64)
                } else {
                    visitor.visit_i64(n as i64)
                }
            }
            _ => self.invalid(&visitor),
        }
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_string() {
            Some(s) => visitor.visit_string(s),
            None => self.invalid(&visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if !Array::is_array(&self.0) {
            return self.invalid(&visitor);
        }
        let array: Array = self.0.unchecked_into();
        visitor.visit_seq(Elements { len: array.length(), array, next: 0 })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    /// A plain object's own enumerable properties.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return self.invalid(&visitor);
        }
        let keys = Object::keys(self.0.unchecked_ref::<Object>());
        visitor.visit_map(Entries { object: self.0, len: keys.length(), keys, next: 0, value: None })
    }

    /// Reads the struct's own fields by name: a field holding `undefined` is present (and read as
    /// such) only when the object has the property.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        if !self.0.is_object() {
            return self.invalid(&visitor);
        }
        visitor.visit_map(Fields { object: self.0, fields: fields.iter(), value: None })
    }

    /// Unit variants, stored as their name.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        match self.0.as_string() {
            Some(name) => visitor.visit_enum(IntoDeserializer::<DecodeError>::into_deserializer(name)),
            None => self.invalid(&visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple_struct
    }
}

struct Elements {
    array: Array,
    len: u32,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Elements {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DecodeError> {
        if self.next >= self.len {
            return Ok(None);
        }
        let element = self.array.get(self.next);
        self.next += 1;
        seed.deserialize(StoredValue(element)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.next) as usize)
    }
}

struct Entries {
    object: JsValue,
    keys: Array,
    len: u32,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        if self.next >= self.len {
            return Ok(None);
        }
        let key = self.keys.get(self.next);
        self.next += 1;
        self.value = Some(Reflect::get(&self.object, &key).map_err(|_| unreadable())?);
        seed.deserialize(StoredValue(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DecodeError> {
        seed.deserialize(StoredValue(self.value.take().unwrap_or(JsValue::UNDEFINED)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.next) as usize)
    }
}

struct Fields {
    object: JsValue,
    fields: core::slice::Iter<'static, &'static str>,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        for field in &mut self.fields {
            let key = JsValue::from_str(field);
            let value = Reflect::get(&self.object, &key).map_err(|_| unreadable())?;
            if value.is_undefined() && !Reflect::has(&self.object, &key).map_err(|_| unreadable())? {
                continue;
            }
            self.value = Some(value);
            return seed.deserialize(IntoDeserializer::<DecodeError>::into_deserializer(*field)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DecodeError> {
        seed.deserialize(StoredValue(self.value.take().unwrap_or(JsValue::UNDEFINED)))
    }
}
