//! Values in `storage.local` (JSON-like `JsValue`s) for the stored progress and settings, in
//! place of serde-wasm-bindgen (whose errors format every value they name, and whose writer keeps
//! a hash map of field names: about 15 KB of the content script).
//!
//! Reading is the pure [`StoredValue`] reader (`crate::stored_value`) over `JsValue`s, which
//! this module makes a [`Tree`]. Writing ([`to_js`]) makes plain objects, arrays, strings,
//! numbers, booleans and `null`.

use crate::decode_error::DecodeError;
use crate::stored_value::{Tree, MAX_SAFE_INTEGER};
use js_sys::{Array, Object, Reflect};
use serde::ser::{self, Serialize};
use wasm_bindgen::{JsCast, JsValue};

pub use crate::stored_value::StoredValue;

fn unreadable() -> DecodeError {
    DecodeError::new("unreadable property")
}

impl Tree for JsValue {
    fn is_nullish(&self) -> bool {
        self.is_null() || self.is_undefined()
    }

    fn as_bool(&self) -> Option<bool> {
        JsValue::as_bool(self)
    }

    fn as_f64(&self) -> Option<f64> {
        JsValue::as_f64(self)
    }

    fn as_string(&self) -> Option<String> {
        JsValue::as_string(self)
    }

    fn is_array(&self) -> bool {
        Array::is_array(self)
    }

    fn is_object(&self) -> bool {
        JsValue::is_object(self)
    }

    fn length(&self) -> u32 {
        self.unchecked_ref::<Array>().length()
    }

    fn element(&self, index: u32) -> JsValue {
        self.unchecked_ref::<Array>().get(index)
    }

    fn keys(&self) -> Vec<String> {
        Object::keys(self.unchecked_ref::<Object>()).iter().filter_map(|key| key.as_string()).collect()
    }

    fn get(&self, key: &str) -> Result<JsValue, DecodeError> {
        Reflect::get(self, &JsValue::from_str(key)).map_err(|_| unreadable())
    }

    fn has(&self, key: &str) -> Result<bool, DecodeError> {
        Reflect::has(self, &JsValue::from_str(key)).map_err(|_| unreadable())
    }
}

/// Serializer methods for numbers an `f64` holds exactly.
macro_rules! write_as_f64 {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<JsValue, WriteError> {
            self.serialize_f64(f64::from(v))
        }
    )*};
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
