//! Stored progress is read back from `storage.local`, which anything (another version of the
//! extension, a crash mid-write, a curious admin with the devtools open) may have written.
//! Property tests: decoding any value never panics, a valid record round-trips, and each kind of
//! damage (garbage, truncation, wrong schema, unknown step id, wrong types, missing fields) is
//! reported as an error the guide resets with a notice, never trusted.
//! Every value is read through the shipped reader (`stored_value::StoredValue`), as the
//! browser reads `storage.local`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/json_tree.rs"]
mod json_tree;

use proptest::prelude::*;
use reauth_guide::progress::{Progress, StepTime, StoredError, NOTICE_KEYS, SCHEMA_VERSION};
use reauth_guide::roadmap::StepId;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

const ORG: &str = "acme.okta.com";

fn decode(value: &Value) -> Result<Option<Progress>, StoredError> {
    Progress::decode(|| json_tree::stored(value), ORG)
}

/// The message keys of `extension/_locales/<lang>/messages.json`.
fn message_keys(lang: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("extension/_locales/{lang}/messages.json"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json.as_object().unwrap().keys().cloned().collect()
}

/// Every error must map to a notice the card shows (the session shows only `NOTICE_KEYS`, and
/// only a key both languages have reads as words), and say the right thing: another version's
/// record is "schema", any other damage "corrupt".
fn check_notice(result: &Result<Option<Progress>, StoredError>) {
    static LOCALES: OnceLock<[Vec<String>; 2]> = OnceLock::new();
    let locales = LOCALES.get_or_init(|| [message_keys("en"), message_keys("nl")]);
    if let Err(error) = result {
        let key = error.notice_key();
        assert!(NOTICE_KEYS.contains(&key), "{error:?} → {key}: the session does not show it");
        assert!(locales.iter().all(|keys| keys.iter().any(|k| k == key)), "{error:?} → {key}: not in _locales");
        let expected = if matches!(error, StoredError::WrongSchema(_)) { "notice_reset_schema" } else { "notice_reset_corrupt" };
        assert_eq!(key, expected, "{error:?}");
    }
}

/// Any JSON value, nested a few levels, with keys that sometimes are the record's own.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("schema".to_string()),
        Just("org".to_string()),
        Just("step".to_string()),
        Just("startedAt".to_string()),
        Just("updatedAt".to_string()),
        Just("history".to_string()),
        Just("notice".to_string()),
        "[a-zA-Z]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::from(SCHEMA_VERSION)),
        Just(Value::from(ORG)),
        prop::sample::select(StepId::ALL.to_vec()).prop_map(|s| Value::from(s.as_str())),
        ".{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..10)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn step() -> impl Strategy<Value = StepId> {
    prop::sample::select(StepId::ALL.to_vec())
}

fn time() -> impl Strategy<Value = f64> {
    prop_oneof![0.0..4.0e12f64, Just(0.0), (0u64..(1 << 53)).prop_map(|n| n as f64)]
}

/// A record the extension itself could have written.
fn valid_progress() -> impl Strategy<Value = Progress> {
    (
        (step(), time(), time(), prop::option::of(time()), any::<[bool; 6]>()),
        (
            prop::option::of("[a-z]{1,10}@[a-z]{1,10}\\.onmicrosoft\\.com"),
            prop::option::of(".{0,30}"),
            prop::collection::vec((step(), time()), 0..20),
            prop::option::of("notice_[a-z_]{1,20}"),
        ),
    )
        .prop_map(|((step, started, updated, finished, flags), (expected, used, history, notice))| {
            let mut p = Progress::new(ORG, started);
            p.step = step;
            p.updated_at = updated;
            p.finished_at = finished;
            [p.paused, p.consented, p.accepted, p.verified, p.save_clicked, p.dismissed] = flags;
            p.expected_account = expected;
            p.account_used = used;
            p.history = history.into_iter().map(|(step, at)| StepTime { step, at }).collect();
            p.notice = notice;
            p
        })
}

/// Every value inside a record (its fields' values, the history, its entries and theirs).
fn parts(record: &Value) -> Vec<Value> {
    let children: Vec<&Value> = match record {
        Value::Object(o) => o.values().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => vec![],
    };
    children.into_iter().flat_map(|child| std::iter::once(child.clone()).chain(parts(child))).collect()
}

const REQUIRED: [&str; 5] = ["schema", "org", "step", "startedAt", "updatedAt"];

/// A value of a type the field can never hold.
fn wrong_types_for(field: &Value) -> Vec<Value> {
    match field {
        Value::String(_) => vec![json!(1), json!(true), json!([]), json!({}), json!(["applications"])],
        Value::Number(_) => vec![json!("1"), json!(true), json!([]), json!({}), json!("12345")],
        Value::Bool(_) => vec![json!("true"), json!(1), json!([]), json!({})],
        Value::Array(_) => vec![json!("[]"), json!(1), json!(true), json!({}), json!([1, 2]), json!([{ "step": 5 }])],
        // Optional fields that are absent (null): anything but null/absent is a wrong type for
        // some of them, so they are left to the arbitrary-value property.
        Value::Null | Value::Object(_) => vec![],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Anything at all: no panic; whatever is accepted is this org's record of this schema.
    #[test]
    fn any_value_decodes_without_panic(value in any_json()) {
        let result = decode(&value);
        check_notice(&result);
        match &result {
            Ok(Some(p)) => {
                prop_assert_eq!(p.schema, SCHEMA_VERSION);
                prop_assert_eq!(p.org.as_str(), ORG);
                prop_assert!(p.started_at.is_finite() && p.started_at >= 0.0);
            }
            Ok(None) => prop_assert_eq!(&value, &Value::Null),
            Err(_) => {}
        }
    }

    /// A record the extension wrote reads back unchanged.
    #[test]
    fn a_valid_record_round_trips(p in valid_progress()) {
        let value = serde_json::to_value(&p).unwrap();
        prop_assert_eq!(decode(&value), Ok(Some(p)));
    }

    /// A record cut short is unreadable, never a panic or a record: its text cut anywhere (a
    /// string), or only a part of its value left in its place (a number, a string, a boolean, an
    /// array, an object). Only `null` reads as nothing stored.
    #[test]
    fn a_truncated_record_is_unreadable(p in valid_progress(), cut in any::<prop::sample::Index>(), part in any::<prop::sample::Index>()) {
        let text = serde_json::to_string(&p).unwrap();
        let at = cut.index(text.len());
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap();
        let prefix = &text[..at];
        prop_assert!(serde_json::from_str::<Value>(prefix).is_err(), "a prefix of the record parsed: {}", prefix);
        let mut left = vec![Value::String(prefix.to_string())];
        left.extend(parts(&serde_json::to_value(&p).unwrap()));
        let value = part.get(&left);
        let result = decode(value);
        check_notice(&result);
        if value.is_null() {
            prop_assert_eq!(result, Ok(None));
        } else {
            prop_assert!(matches!(result, Err(StoredError::Unreadable(_))), "{} → {:?}", value, result);
        }
    }

    /// A required field missing (an object cut short) is unreadable; an optional one is a default.
    #[test]
    fn a_missing_field_is_unreadable_or_defaulted(p in valid_progress(), which in any::<prop::sample::Index>()) {
        let mut value = serde_json::to_value(&p).unwrap();
        let object = value.as_object_mut().unwrap();
        let keys: Vec<String> = object.keys().cloned().collect();
        let key = which.get(&keys).clone();
        object.remove(&key);
        let result = decode(&value);
        check_notice(&result);
        if REQUIRED.contains(&key.as_str()) {
            prop_assert!(matches!(result, Err(StoredError::Unreadable(_))), "without {}: {:?}", key, result);
        } else {
            let read = result.unwrap().unwrap();
            prop_assert_eq!(read.step, p.step);
        }
    }

    /// Another version's schema number is recognised as such, whatever else is in the record.
    #[test]
    fn another_schema_is_reported(p in valid_progress(), schema in any::<u32>(), damage in any::<bool>()) {
        prop_assume!(schema != SCHEMA_VERSION);
        let mut value = serde_json::to_value(&p).unwrap();
        value["schema"] = schema.into();
        if damage {
            // Another version may have other fields entirely.
            value["step"] = "a-step-from-the-future".into();
            value.as_object_mut().unwrap().remove("startedAt");
        }
        let result = decode(&value);
        check_notice(&result);
        prop_assert_eq!(result, Err(StoredError::WrongSchema(schema)));
        prop_assert_eq!(StoredError::WrongSchema(schema).notice_key(), "notice_reset_schema");
    }

    /// A schema that is not a u32 at all is garbage.
    #[test]
    fn a_schema_of_the_wrong_type_is_unreadable(p in valid_progress(), schema in prop_oneof![
        Just(json!(-1)), Just(json!(1.5)), Just(json!("1")), Just(json!(null)), Just(json!([1])),
        Just(json!(u64::MAX)), Just(json!({ "v": 1 })),
    ]) {
        let mut value = serde_json::to_value(&p).unwrap();
        value["schema"] = schema;
        let result = decode(&value);
        check_notice(&result);
        prop_assert!(matches!(result, Err(StoredError::Unreadable(_))), "{:?}", result);
    }

    /// A step id this version does not know, in the record or its history, is unreadable.
    #[test]
    fn an_unknown_step_id_is_unreadable(p in valid_progress(), id in "[a-zA-Z_ -]{0,20}", in_history in any::<bool>()) {
        prop_assume!(StepId::ALL.iter().all(|s| s.as_str() != id));
        let mut value = serde_json::to_value(&p).unwrap();
        if in_history {
            value["history"] = json!([{ "step": id, "at": 1.0 }]);
        } else {
            value["step"] = Value::String(id);
        }
        let result = decode(&value);
        check_notice(&result);
        prop_assert!(matches!(result, Err(StoredError::Unreadable(_))), "{:?}", result);
    }

    /// A field holding a value of the wrong type makes the record unreadable.
    #[test]
    fn a_field_of_the_wrong_type_is_unreadable(p in valid_progress(), which in any::<prop::sample::Index>(), pick in any::<prop::sample::Index>()) {
        let mut value = serde_json::to_value(&p).unwrap();
        let fields: Vec<(String, Value)> = value.as_object().unwrap().iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let (key, original) = which.get(&fields).clone();
        let choices = wrong_types_for(&original);
        prop_assume!(!choices.is_empty());
        let replacement = pick.get(&choices).clone();
        // An empty history may stay empty-typed: `[]` for `[]` is not a wrong type.
        prop_assume!(replacement != original);
        prop_assume!(!(key == "history" && replacement.as_array().is_some_and(|a| a.is_empty())));
        value[&key] = replacement.clone();
        let result = decode(&value);
        check_notice(&result);
        prop_assert!(matches!(result, Err(StoredError::Unreadable(_))), "{} = {}: {:?}", key, replacement, result);
    }

    /// A record of another org, or with impossible times, is not trusted.
    #[test]
    fn an_inconsistent_record_is_not_trusted(p in valid_progress(), other in "[a-z]{1,8}\\.okta\\.com", negative in -1.0e12..-0.001f64) {
        prop_assume!(other != ORG);
        let mut value = serde_json::to_value(&p).unwrap();
        value["org"] = Value::String(other);
        prop_assert_eq!(decode(&value), Err(StoredError::Inconsistent("org")));
        let mut value = serde_json::to_value(&p).unwrap();
        value["startedAt"] = json!(negative);
        let result = decode(&value);
        check_notice(&result);
        prop_assert!(matches!(result, Err(StoredError::Inconsistent(_))), "{:?}", result);
    }
}

#[test]
fn nothing_stored_is_no_progress() {
    assert_eq!(decode(&Value::Null), Ok(None));
}

/// What the truncation property feeds covers every kind of value, each handled as it says.
#[test]
fn a_records_parts_are_every_kind_of_value() {
    let mut p = Progress::new(ORG, 1000.0);
    p.paused = true;
    let parts = parts(&serde_json::to_value(&p).unwrap());
    let kinds = |f: fn(&Value) -> bool| parts.iter().filter(|v| f(v)).count();
    assert!(kinds(Value::is_number) > 0 && kinds(Value::is_string) > 0 && kinds(Value::is_boolean) > 0);
    assert!(kinds(Value::is_array) > 0 && kinds(Value::is_object) > 0 && kinds(Value::is_null) > 0);
    for part in &parts {
        let result = decode(part);
        check_notice(&result);
        assert!(if part.is_null() { result == Ok(None) } else { matches!(result, Err(StoredError::Unreadable(_))) }, "{part} → {result:?}");
    }
}
