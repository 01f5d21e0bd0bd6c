//! Values in `storage.local` (JSON-like `JsValue`s) read and written with serde, for the stored
//! progress and settings, in place of serde-wasm-bindgen (whose errors format every value they
//! name, and whose writer keeps a hash map of field names: about 15 KB of the content script).
//!
//! Reading ([`StoredValue`]) is small and strict: `null`/`undefined` are none, booleans,
//! numbers (integers when integral and safe), strings, arrays, plain objects; anything else is an
//! error. Its errors ([`DecodeError`]) never format the value. Writing ([`to_js`]) makes plain
//! objects, arrays, strings, numbers, booleans and `null`.

use crate::decode_error::DecodeError;
use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde::ser::{self, Serialize};
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

/// Serializer methods for numbers an `f64` holds exactly.
macro_rules! write_as_f64 {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<JsValue, WriteError> {
            self.serialize_f64(f64::from(v))
        }
    )*};
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
            if is_safe_integer(n) {
                visit_integer(n, visitor)
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

/// Writes a value for `storage.local` as plain JSON-like JS values: objects, arrays, strings,
/// numbers, booleans and `null` (for `None` and `()`), which the popup can export as they are.
/// Unit variants are their name. Refused (nothing stored has them): other enum shapes, bytes,
/// map keys that are not strings, integers a JS number cannot hold exactly.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(Writer).map_err(|e| JsValue::from_str(e.0))
}

/// Why a value could not be written: a fixed text, never a formatted value.
#[derive(Debug)]
pub struct WriteError(&'static str);

impl core::fmt::Display for WriteError {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str(self.0)
    }
}

impl ser::StdError for WriteError {}

impl ser::Error for WriteError {
    fn custom<T: core::fmt::Display>(_message: T) -> WriteError {
        WriteError("value cannot be stored")
    }
}

fn unsupported<T>() -> Result<T, WriteError> {
    Err(WriteError("value of a kind that is not stored"))
}

struct Writer;

/// Collects an array's elements.
struct ArrayWriter(Array);

/// Collects an object's properties (a struct's fields, a map's entries).
struct ObjectWriter {
    object: Object,
    key: JsValue,
}

impl ser::Serializer for Writer {
    type Ok = JsValue;
    type Error = WriteError;
    type SerializeSeq = ArrayWriter;
    type SerializeTuple = ArrayWriter;
    type SerializeTupleStruct = ArrayWriter;
    type SerializeTupleVariant = ser::Impossible<JsValue, WriteError>;
    type SerializeMap = ObjectWriter;
    type SerializeStruct = ObjectWriter;
    type SerializeStructVariant = ser::Impossible<JsValue, WriteError>;

    fn serialize_bool(self, v: bool) -> Result<JsValue, WriteError> {
        Ok(JsValue::from_bool(v))
    }

    write_as_f64!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_f32: f32);

    fn serialize_i64(self, v: i64) -> Result<JsValue, WriteError> {
        if v.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
            return Err(WriteError("integer too large for a JS number"));
        }
        self.serialize_f64(v as f64)
    }

    fn serialize_u64(self, v: u64) -> Result<JsValue, WriteError> {
        if v > MAX_SAFE_INTEGER as u64 {
            return Err(WriteError("integer too large for a JS number"));
        }
        self.serialize_f64(v as f64)
    }

    fn serialize_f64(self, v: f64) -> Result<JsValue, WriteError> {
        Ok(JsValue::from_f64(v))
    }

    fn serialize_char(self, v: char) -> Result<JsValue, WriteError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<JsValue, WriteError> {
        Ok(JsValue::from_str(v))
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<JsValue, WriteError> {
        unsupported()
    }

    fn serialize_none(self) -> Result<JsValue, WriteError> {
        Ok(JsValue::NULL)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, WriteError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<JsValue, WriteError> {
        Ok(JsValue::NULL)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsValue, WriteError> {
        Ok(JsValue::NULL)
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<JsValue, WriteError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<JsValue, WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<JsValue, WriteError> {
        unsupported()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<ArrayWriter, WriteError> {
        Ok(ArrayWriter(Array::new()))
    }

    fn serialize_tuple(self, len: usize) -> Result<ArrayWriter, WriteError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ArrayWriter, WriteError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        unsupported()
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<ObjectWriter, WriteError> {
        Ok(ObjectWriter { object: Object::new(), key: JsValue::UNDEFINED })
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<ObjectWriter, WriteError> {
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        unsupported()
    }
}

impl ser::SerializeSeq for ArrayWriter {
    type Ok = JsValue;
    type Error = WriteError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.0.push(&value.serialize(Writer)?);
        Ok(())
    }

    fn end(self) -> Result<JsValue, WriteError> {
        Ok(self.0.into())
    }
}

impl ser::SerializeTuple for ArrayWriter {
    type Ok = JsValue;
    type Error = WriteError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<JsValue, WriteError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for ArrayWriter {
    type Ok = JsValue;
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<JsValue, WriteError> {
        ser::SerializeSeq::end(self)
    }
}

impl ObjectWriter {
    fn set(&self, key: &JsValue, value: JsValue) -> Result<(), WriteError> {
        Reflect::set(&self.object, key, &value).map_err(|_| WriteError("property cannot be set"))?;
        Ok(())
    }
}

impl ser::SerializeMap for ObjectWriter {
    type Ok = JsValue;
    type Error = WriteError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        let key = key.serialize(Writer)?;
        if !key.is_string() {
            return Err(WriteError("map key that is not a string"));
        }
        self.key = key;
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.set(&self.key, value.serialize(Writer)?)
    }

    fn end(self) -> Result<JsValue, WriteError> {
        Ok(self.object.into())
    }
}

impl ser::SerializeStruct for ObjectWriter {
    type Ok = JsValue;
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), WriteError> {
        self.set(&JsValue::from_str(key), value.serialize(Writer)?)
    }

    fn end(self) -> Result<JsValue, WriteError> {
        Ok(self.object.into())
    }
}
