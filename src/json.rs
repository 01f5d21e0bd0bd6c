//! JSON text for serde values, laid out as `JSON.stringify(value, null, 2)` lays it out: the
//! diagnostics report, made in the engine as one string instead of a JS object per field.
//! Written for the JS engine too (wasm2js), where every copy of bytes is a call into JS:
//! punctuation, indents and digits are pushed byte by byte, strings copied whole. No float
//! formatting library: numbers are integers but for rare fractions (cut to microseconds).

use core::fmt;
use serde::ser::{self, Serialize};

/// What cannot be written as JSON: a map key that is not a string or a number.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ser::StdError for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `value` as indented JSON.
pub fn to_string_pretty<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    let mut writer = Writer { out: String::with_capacity(1024), depth: 0 };
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

pub struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push(' ');
            self.out.push(' ');
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let escaped = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            if escaped.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 15)]));
            } else {
                self.out.push_str(escaped);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
    }

    /// Digits without 64-bit division where the number fits 32 bits (the JS engine emulates it).
    fn unsigned(&mut self, v: u64) {
        if let Ok(small) = u32::try_from(v) {
            let mut digits = [0u8; 10];
            let (mut n, mut at) = (small, digits.len());
            loop {
                at -= 1;
                digits[at] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            digits[at..].iter().for_each(|&d| self.out.push(char::from(d)));
        } else {
            // High part, then the low nine digits padded.
            self.unsigned(v / 1_000_000_000);
            let low = (v % 1_000_000_000) as u32;
            let mut divisor = 100_000_000;
            while divisor > 0 {
                self.out.push(char::from(b'0' + (low / divisor % 10) as u8));
                divisor /= 10;
            }
        }
    }

    fn signed(&mut self, v: i64) {
        if v < 0 {
            self.out.push('-');
        }
        self.unsigned(v.unsigned_abs());
    }

    /// As JSON.stringify: integers without a fraction, `null` for what is not finite.
    fn float(&mut self, v: f64) {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if !v.is_finite() {
            self.out.push_str("null");
        } else if v.fract() == 0.0 && v.abs() < EXACT {
            self.signed(v as i64);
        } else if v.abs() < EXACT {
            let micros = (v.abs() * 1e6).round() as u64;
            if v < 0.0 {
                self.out.push('-');
            }
            self.unsigned(micros / 1_000_000);
            let mut fraction = (micros % 1_000_000) as u32;
            if fraction > 0 {
                self.out.push('.');
                let mut divisor = 100_000;
                while fraction > 0 {
                    self.out.push(char::from(b'0' + (fraction / divisor) as u8));
                    fraction %= divisor;
                    divisor /= 10;
                }
            }
        } else {
            // Beyond 2^53 every float is an integer; these are far outside what a report holds.
            self.unsigned(v.abs().min(u64::MAX as f64) as u64);
        }
    }

    /// `{"variant": ` around a variant's body, as serde_json writes it.
    fn variant_key(&mut self, variant: &str) {
        self.out.push('{');
        self.depth += 1;
        self.newline();
        self.string(variant);
        self.out.push(':');
        self.out.push(' ');
    }

    fn open(&mut self, bracket: char) -> Compound<'_> {
        self.out.push(bracket);
        self.depth += 1;
        Compound { writer: self, first: true }
    }
}

/// An array or object being written: commas, line breaks and the closing bracket.
pub struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
}

impl<'a> Compound<'a> {
    fn next(&mut self) {
        if !self.first {
            self.writer.out.push(',');
        }
        self.first = false;
        self.writer.newline();
    }

    fn key(&mut self, key: &str) {
        self.next();
        self.writer.string(key);
        self.writer.out.push(':');
        self.writer.out.push(' ');
    }

    fn close(self, bracket: char) -> &'a mut Writer {
        self.writer.depth -= 1;
        if !self.first {
            self.writer.newline();
        }
        self.writer.out.push(bracket);
        self.writer
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.signed(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.into());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = self.open('[');
        for b in v {
            seq.next();
            seq.writer.unsigned(u64::from(*b));
        }
        seq.close(']');
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _name: &'static str, _index: u32, variant: &'static str, value: &T) -> Result<(), Error> {
        self.variant_key(variant);
        value.serialize(&mut *self)?;
        close_variant(self);
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open('['))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open('['))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open('['))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, variant: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        // `{"variant": [`, closed by `end` with both brackets.
        self.variant_key(variant);
        Ok(self.open('['))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open('{'))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open('{'))
    }
    fn serialize_struct_variant(self, _name: &'static str, _index: u32, variant: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        self.variant_key(variant);
        Ok(self.open('{'))
    }
}

/// Closes the variant's object around a tuple or struct variant's body.
fn close_variant(writer: &mut Writer) {
    writer.depth -= 1;
    writer.newline();
    writer.out.push('}');
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.next();
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        self.close(']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        close_variant(self.close(']'));
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        // JSON keys are strings: a string key as it is, a number quoted (as serde_json does).
        let mut scratch = Writer { out: String::new(), depth: 0 };
        key.serialize(&mut scratch)?;
        let text = scratch.out;
        self.next();
        if text.starts_with('"') {
            self.writer.out.push_str(&text);
        } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            self.writer.out.push('"');
            self.writer.out.push_str(&text);
            self.writer.out.push('"');
        } else {
            return Err(Error("a map key must be a string or an integer".into()));
        }
        self.writer.out.push(':');
        self.writer.out.push(' ');
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Error> {
        close_variant(self.close('}'));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Plain,
        Wrapped(u32),
        Pair(u8, bool),
        Shaped { inner: Vec<u8>, name: &'static str },
    }

    #[derive(Serialize)]
    struct Empty {}

    #[derive(Serialize)]
    struct Sample {
        text: String,
        numbers: (u8, u16, u32, u64, i8, i16, i32, i64),
        none: Option<u32>,
        some: Option<Vec<bool>>,
        empty_list: Vec<u32>,
        empty_object: Empty,
        unit: (),
        kinds: Vec<Kind>,
        by_name: BTreeMap<String, Vec<i32>>,
        by_number: BTreeMap<u32, char>,
        nested: Vec<Vec<Option<&'static str>>>,
    }

    #[test]
    fn the_layout_and_escapes_are_serde_jsons_and_so_json_stringifys() {
        let sample = Sample {
            text: "quote \" backslash \\ newline \n tab \t cr \r bell \u{7} nul \0 esc \u{1b} del \u{7f} é 💡 \u{2028}".into(),
            numbers: (u8::MAX, u16::MAX, u32::MAX, u64::MAX, i8::MIN, i16::MIN, i32::MIN, i64::MIN),
            none: None,
            some: Some(vec![true, false]),
            empty_list: vec![],
            empty_object: Empty {},
            unit: (),
            kinds: vec![Kind::Plain, Kind::Wrapped(7), Kind::Pair(1, true), Kind::Shaped { inner: vec![], name: "x" }, Kind::Shaped { inner: vec![1, 2], name: "y" }],
            by_name: [("a".to_string(), vec![-1, 0, 1_000_000_000]), ("b \"c\"".to_string(), vec![])].into_iter().collect(),
            by_number: [(3, 'x'), (10, '"')].into_iter().collect(),
            nested: vec![vec![], vec![None, Some("z")]],
        };
        assert_eq!(to_string_pretty(&sample).unwrap(), serde_json::to_string_pretty(&sample).unwrap());
        for n in [0u64, 9, 10, 4_294_967_295, 4_294_967_296, 1_000_000_000_000, 9_007_199_254_740_993] {
            assert_eq!(to_string_pretty(&n).unwrap(), n.to_string());
        }
    }

    #[test]
    fn numbers_are_written_as_json_stringify_writes_them() {
        // Integral floats (times in milliseconds) without a fraction, as in JavaScript.
        for (value, text) in [(1_733_140_000_000.0, "1733140000000"), (-3.0, "-3"), (0.0, "0"), (0.5, "0.5"), (-12.25, "-12.25"), (0.1, "0.1"), (2.000_001, "2.000001")] {
            assert_eq!(to_string_pretty(&value).unwrap(), text, "{value}");
        }
        assert_eq!(to_string_pretty(&f64::NAN).unwrap(), "null");
        assert_eq!(to_string_pretty(&f64::INFINITY).unwrap(), "null");
        // A fraction is cut to microseconds.
        assert_eq!(to_string_pretty(&1.234_567_89).unwrap(), "1.234568");
        let parsed: f64 = serde_json::from_str(&to_string_pretty(&123_456.789_f64).unwrap()).unwrap();
        assert_eq!(parsed, 123_456.789);
    }

    #[test]
    fn a_map_key_must_be_a_string_or_a_number() {
        let map: BTreeMap<bool, u8> = [(true, 1)].into_iter().collect();
        assert!(to_string_pretty(&map).is_err());
    }
}
