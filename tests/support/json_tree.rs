//! JSON values as `storage.local` gives them to the shipped reader (`reauth_guide::stored_value`):
//! every number a double, arrays are objects too, and an absent property is `undefined`. The
//! browser's `JsValue` implements the same `Tree` (tests/browser.rs checks it there).

use reauth_guide::decode_error::DecodeError;
use reauth_guide::stored_value::{StoredValue, Tree};
use serde_json::Value;

/// A JSON value, or `undefined` (`None`).
#[derive(Clone, Copy)]
pub struct Json<'a>(pub Option<&'a Value>);

/// The shipped reader over `value`.
pub fn stored(value: &Value) -> StoredValue<Json<'_>> {
    StoredValue(Json(Some(value)))
}

fn not_an_object() -> DecodeError {
    // What `Reflect.get` on a primitive does: it throws.
    DecodeError::new("unreadable property")
}

impl Tree for Json<'_> {
    fn is_nullish(&self) -> bool {
        matches!(self.0, None | Some(Value::Null))
    }

    fn as_bool(&self) -> Option<bool> {
        self.0?.as_bool()
    }

    fn as_f64(&self) -> Option<f64> {
        self.0?.as_f64()
    }

    fn as_string(&self) -> Option<String> {
        self.0?.as_str().map(String::from)
    }

    fn is_array(&self) -> bool {
        matches!(self.0, Some(Value::Array(_)))
    }

    fn is_object(&self) -> bool {
        matches!(self.0, Some(Value::Array(_) | Value::Object(_)))
    }

    fn length(&self) -> u32 {
        self.0.and_then(Value::as_array).map_or(0, |a| a.len() as u32)
    }

    fn element(&self, index: u32) -> Self {
        Json(self.0.and_then(Value::as_array).and_then(|a| a.get(index as usize)))
    }

    fn keys(&self) -> Vec<String> {
        self.0.and_then(Value::as_object).map_or_else(Vec::new, |o| o.keys().cloned().collect())
    }

    fn get(&self, key: &str) -> Result<Self, DecodeError> {
        match self.0 {
            Some(Value::Object(o)) => Ok(Json(o.get(key))),
            Some(Value::Array(_)) => Ok(Json(None)),
            _ => Err(not_an_object()),
        }
    }

    fn has(&self, key: &str) -> Result<bool, DecodeError> {
        match self.0 {
            Some(Value::Object(o)) => Ok(o.contains_key(key)),
            Some(Value::Array(_)) => Ok(false),
            _ => Err(not_an_object()),
        }
    }
}
