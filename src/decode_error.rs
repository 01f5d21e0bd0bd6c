//! The error of reading a stored value in the browser: a few words built from fixed texts and the
//! names involved (a field, a variant), never from the value itself. It formats nothing, so the
//! content script carries no number formatting for it (serde's own messages print the offending
//! number or string through `Display`).

use core::fmt;
use serde::de::{self, Expected, Unexpected};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(String);

impl DecodeError {
    /// An error with a fixed text.
    pub fn new(text: &str) -> DecodeError {
        DecodeError(text.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn naming(what: &str, name: &str) -> DecodeError {
        let mut text = String::with_capacity(what.len() + name.len() + 3);
        text.push_str(what);
        text.push_str(" `");
        text.push_str(name);
        text.push('`');
        DecodeError(text)
    }

    fn of_kind(what: &str, unexpected: &Unexpected) -> DecodeError {
        let kind = kind(unexpected);
        let mut text = String::with_capacity(what.len() + kind.len() + 2);
        text.push_str(what);
        text.push_str(": ");
        text.push_str(kind);
        DecodeError(text)
    }
}

/// What kind of value was met, without the value.
fn kind<'a>(unexpected: &Unexpected<'a>) -> &'a str {
    match *unexpected {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "a number",
        Unexpected::Char(_) => "a character",
        Unexpected::Str(_) => "a string",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "null",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct => "a newtype struct",
        Unexpected::Seq => "an array",
        Unexpected::Map => "an object",
        Unexpected::Enum => "an enum",
        Unexpected::UnitVariant
        | Unexpected::NewtypeVariant
        | Unexpected::TupleVariant
        | Unexpected::StructVariant => "an enum variant",
        Unexpected::Other(other) => other,
    }
}

impl de::Error for DecodeError {
    /// The message is not formatted: it could print anything, with all the formatting code that
    /// takes. The specific errors below say what went wrong.
    fn custom<T: fmt::Display>(_message: T) -> DecodeError {
        DecodeError::new("unreadable value")
    }

    fn invalid_type(unexpected: Unexpected, _expected: &dyn Expected) -> DecodeError {
        DecodeError::of_kind("invalid type", &unexpected)
    }

    fn invalid_value(unexpected: Unexpected, _expected: &dyn Expected) -> DecodeError {
        DecodeError::of_kind("invalid value", &unexpected)
    }

    fn invalid_length(_len: usize, _expected: &dyn Expected) -> DecodeError {
        DecodeError::new("invalid length")
    }

    fn unknown_variant(variant: &str, _expected: &'static [&'static str]) -> DecodeError {
        DecodeError::naming("unknown variant", variant)
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> DecodeError {
        DecodeError::naming("unknown field", field)
    }

    fn missing_field(field: &'static str) -> DecodeError {
        DecodeError::naming("missing field", field)
    }

    fn duplicate_field(field: &'static str) -> DecodeError {
        DecodeError::naming("duplicate field", field)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl de::StdError for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Progress;
    use serde::de::value::{MapDeserializer, StrDeserializer};
    use serde::de::{Error as _, IntoDeserializer};
    use serde::Deserialize;

    #[test]
    fn texts_name_the_field_or_variant_but_never_the_value() {
        assert_eq!(DecodeError::missing_field("step").as_str(), "missing field `step`");
        assert_eq!(DecodeError::unknown_variant("launch-rockets", &[]).as_str(), "unknown variant `launch-rockets`");
        assert_eq!(DecodeError::unknown_field("x", &[]).as_str(), "unknown field `x`");
        assert_eq!(DecodeError::duplicate_field("org").as_str(), "duplicate field `org`");
        assert_eq!(DecodeError::invalid_type(Unexpected::Float(1.5), &"a string").as_str(), "invalid type: a number");
        assert_eq!(DecodeError::invalid_type(Unexpected::Str("secret"), &"a number").as_str(), "invalid type: a string");
        assert_eq!(DecodeError::invalid_value(Unexpected::Unsigned(1 << 40), &"u32").as_str(), "invalid value: a number");
        assert_eq!(DecodeError::invalid_type(Unexpected::Other("a symbol"), &"a map").as_str(), "invalid type: a symbol");
        assert_eq!(DecodeError::invalid_length(3, &"1").as_str(), "invalid length");
        assert_eq!(DecodeError::custom(format_args!("{}", 0.1)).as_str(), "unreadable value");
        assert_eq!(DecodeError::missing_field("step").to_string(), "missing field `step`");
    }

    #[test]
    fn serde_reports_its_errors_through_it() {
        let step: Result<crate::roadmap::StepId, DecodeError> =
            Deserialize::deserialize(IntoDeserializer::<DecodeError>::into_deserializer("launch-rockets"));
        assert_eq!(step.unwrap_err().as_str(), "unknown variant `launch-rockets`");
        let schema: Result<u32, DecodeError> = Deserialize::deserialize(StrDeserializer::<DecodeError>::new("1"));
        assert_eq!(schema.unwrap_err().as_str(), "invalid type: a string");
        let only_org = MapDeserializer::<_, DecodeError>::new([("org", "acme-admin.okta.com")].into_iter());
        assert_eq!(Progress::deserialize(only_org).unwrap_err().as_str(), "missing field `schema`");
    }
}
