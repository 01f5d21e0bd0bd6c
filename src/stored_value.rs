//! Reads a stored value with serde: the stored progress, the settings and an imported report.
//! In the browser the value is a `JsValue` from `storage.local` or `JSON.parse`
//! (`browser::stored_value` implements [`Tree`] for it); natively the tests run this same reader
//! over JSON values, so what they check is what ships.
//!
//! Small and strict: `null`/`undefined` are none, then booleans, numbers (integers when integral
//! and safe), strings, arrays and plain objects; anything else is an error. Its errors
//! ([`DecodeError`]) never show the value.

use crate::decode_error::DecodeError;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JSON-like value as JS holds it: every number a double, arrays are objects too, and a
/// property may be absent (`undefined`) or hold `undefined`.
pub trait Tree: Sized {
    /// `null` or `undefined`.
    fn is_nullish(&self) -> bool;
    fn as_bool(&self) -> Option<bool>;
    fn as_f64(&self) -> Option<f64>;
    fn as_string(&self) -> Option<String>;
    fn is_array(&self) -> bool;
    /// `typeof value == "object"` and not `null` (so arrays too).
    fn is_object(&self) -> bool;
    /// The length of an array.
    fn length(&self) -> u32;
    fn element(&self, index: u32) -> Self;
    /// An object's own enumerable property names, in order.
    fn keys(&self) -> Vec<String>;
    /// A property (`undefined` when absent).
    fn get(&self, key: &str) -> Result<Self, DecodeError>;
    /// Whether an object has the property (`key in value`).
    fn has(&self, key: &str) -> Result<bool, DecodeError>;
}

/// A serde `Deserializer` over a stored value.
pub struct StoredValue<T>(pub T);

/// What kind of value this is, for error texts.
fn kind<T: Tree>(value: &T) -> &'static str {
    if value.is_nullish() {
        "null"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.as_string().is_some() {
        "a string"
    } else if value.is_array() {
        "an array"
    } else if value.is_object() {
        "an object"
    } else {
        "an unsupported value"
    }
}

/// A number that is an integer a JS number holds exactly.
fn is_safe_integer(n: f64) -> bool {
    n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER
}

/// Hands a safe integer to the visitor, which checks the range of the width it wants.
fn visit_integer<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value, DecodeError> {
    if n >= 0.0 {
        visitor.visit_u64(n as u64)
    } else {
        visitor.visit_i64(n as i64)
    }
}

/// Deserializer methods that read as `$to` does.
macro_rules! read_as {
    ($to:ident: $($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
            self.$to(visitor)
        }
    )*};
}

impl<T: Tree> StoredValue<T> {
    fn invalid<'de, V: Visitor<'de>, R>(&self, visitor: &V) -> Result<R, DecodeError> {
        Err(de::Error::invalid_type(Unexpected::Other(kind(&self.0)), visitor))
    }
}

impl<'de, T: Tree> de::Deserializer<'de> for StoredValue<T> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let value = &self.0;
        if value.is_nullish() {
            visitor.visit_unit()
        } else if let Some(b) = value.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = value.as_f64() {
            if is_safe_integer(n) {
                visit_integer(n, visitor)
            } else {
                visitor.visit_f64(n)
            }
        } else if let Some(s) = value.as_string() {
            visitor.visit_string(s)
        } else if value.is_array() {
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

    read_as!(deserialize_f64: deserialize_f32);

    /// Integers of every width: a number that is integral and safe, range-checked by the visitor.
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_f64() {
            Some(n) if is_safe_integer(n) => visit_integer(n, visitor),
            _ => self.invalid(&visitor),
        }
    }

    read_as!(deserialize_u64: deserialize_u32 deserialize_u16 deserialize_u8 deserialize_i64 deserialize_i32 deserialize_i16 deserialize_i8);

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_string() {
            Some(s) => visitor.visit_string(s),
            None => self.invalid(&visitor),
        }
    }

    read_as!(deserialize_string: deserialize_str deserialize_identifier);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if self.0.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if !self.0.is_array() {
            return self.invalid(&visitor);
        }
        visitor.visit_seq(Elements { len: self.0.length(), array: self.0, next: 0 })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    /// A plain object's own enumerable properties.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if !self.0.is_object() || self.0.is_array() {
            return self.invalid(&visitor);
        }
        let keys = self.0.keys().into_iter();
        visitor.visit_map(Entries { object: self.0, keys, value: None })
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

struct Elements<T> {
    array: T,
    len: u32,
    next: u32,
}

impl<'de, T: Tree> de::SeqAccess<'de> for Elements<T> {
    type Error = DecodeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, DecodeError> {
        if self.next >= self.len {
            return Ok(None);
        }
        let element = self.array.element(self.next);
        self.next += 1;
        seed.deserialize(StoredValue(element)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.next) as usize)
    }
}

struct Entries<T> {
    object: T,
    keys: std::vec::IntoIter<String>,
    value: Option<T>,
}

impl<'de, T: Tree> de::MapAccess<'de> for Entries<T> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        let Some(key) = self.keys.next() else { return Ok(None) };
        self.value = Some(self.object.get(&key)?);
        seed.deserialize(IntoDeserializer::<DecodeError>::into_deserializer(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DecodeError> {
        match self.value.take() {
            Some(value) => seed.deserialize(StoredValue(value)),
            None => Err(DecodeError::new("value without a key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.keys.len())
    }
}

struct Fields<T> {
    object: T,
    fields: core::slice::Iter<'static, &'static str>,
    value: Option<T>,
}

impl<'de, T: Tree> de::MapAccess<'de> for Fields<T> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        for field in &mut self.fields {
            let value = self.object.get(field)?;
            // Only a nullish value can be an absent property: ask the object only then.
            if value.is_nullish() && !self.object.has(field)? {
                continue;
            }
            self.value = Some(value);
            return seed.deserialize(IntoDeserializer::<DecodeError>::into_deserializer(*field)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DecodeError> {
        match self.value.take() {
            Some(value) => seed.deserialize(StoredValue(value)),
            None => Err(DecodeError::new("value without a key")),
        }
    }
}
