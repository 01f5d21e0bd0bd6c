//! No progress lost on upgrade: a record of every schema a version of the extension has written
//! (its fixture in `tests/fixtures/schemas/`) is read by this version, migrated, and keeps every
//! value it held: the step, the flags, the accounts, the times and the whole history the
//! completion report needs. Read through the shipped reader, as the browser reads storage.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/json_tree.rs"]
mod json_tree;

use reauth_guide::progress::{Progress, StoredError, RELEASED_SCHEMAS, SCHEMA_VERSION};
use serde_json::Value;
use std::path::PathBuf;

/// Fields that a migration moved: (from schema, old name, new name). Empty while one schema exists.
const MOVED: &[(u32, &str, &str)] = &[];

fn fixture(schema: u32) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schemas/progress-v{schema}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("schema {schema} has no fixture {} ({e}): add one before releasing it", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Storage holds every number as a double: 1000 and 1000.0 are the same value.
fn numbers_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().map_or(Value::Null, |f| serde_json::json!(f)),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), numbers_as_f64(v))).collect()),
        other => other.clone(),
    }
}

#[test]
fn the_current_schema_is_the_last_released_one() {
    assert_eq!(RELEASED_SCHEMAS.last(), Some(&SCHEMA_VERSION), "add a bumped SCHEMA_VERSION to RELEASED_SCHEMAS (with its fixture and migration)");
    assert!(RELEASED_SCHEMAS.windows(2).all(|w| w[0] < w[1]), "RELEASED_SCHEMAS oldest first");
}

#[test]
fn every_released_schema_is_upgraded_with_nothing_lost() {
    for &schema in RELEASED_SCHEMAS {
        let stored = fixture(schema);
        assert_eq!(stored["schema"], schema, "fixture v{schema} says its schema");
        let org = stored["org"].as_str().expect("fixture has an org").to_string();
        let read = Progress::decode(|| json_tree::stored(&stored), &org);
        let progress = match read {
            Ok(Some(progress)) => progress,
            other => panic!("schema {schema} was not migrated: {other:?}"),
        };
        assert_eq!(progress.schema, SCHEMA_VERSION);
        let now = serde_json::to_value(&progress).unwrap();
        for (field, value) in stored.as_object().unwrap() {
            if field == "schema" {
                continue;
            }
            let field = MOVED.iter().find(|(s, from, _)| *s >= schema && from == field).map_or(field.as_str(), |(_, _, to)| to);
            assert_eq!(numbers_as_f64(&now[field]), numbers_as_f64(value), "schema {schema}: `{field}` lost or changed in the migration");
        }
        assert_eq!(progress.history.len(), stored["history"].as_array().unwrap().len(), "schema {schema}: history");
    }
}

#[test]
fn the_current_fixture_holds_every_field() {
    // So that the fixture, and with it the migration test, covers everything a record can hold.
    let fields = serde_json::to_value(Progress::new("acme-admin.okta.com", 1.0)).unwrap();
    let stored = fixture(SCHEMA_VERSION);
    for field in fields.as_object().unwrap().keys() {
        let value = &stored[field.as_str()];
        assert!(!value.is_null() || field == "finishedAt", "fixture v{SCHEMA_VERSION} lacks a value for `{field}`");
    }
}

#[test]
fn a_newer_versions_record_is_still_refused() {
    let mut stored = fixture(SCHEMA_VERSION);
    stored["schema"] = (SCHEMA_VERSION + 1).into();
    let org = stored["org"].as_str().unwrap().to_string();
    assert_eq!(Progress::decode(|| json_tree::stored(&stored), &org), Err(StoredError::WrongSchema(SCHEMA_VERSION + 1)));
}

#[test]
fn a_record_from_before_the_optional_fields_still_reads() {
    // `accepted` came after 0.1.0 within schema 1: its records lack it, and read it as false.
    let mut stored = fixture(SCHEMA_VERSION);
    stored.as_object_mut().unwrap().remove("accepted");
    let org = stored["org"].as_str().unwrap().to_string();
    let progress = Progress::decode(|| json_tree::stored(&stored), &org).expect("readable").expect("a record");
    assert!(!progress.accepted);
    assert_eq!(progress.step, reauth_guide::roadmap::StepId::Checkmarks);
}
