//! The progress record kept per Okta org in extension storage, and how stored values are read.
//!
//! Only progress is stored: step ids, times, milestones, and the Microsoft account name the
//! admin is expected to use (a username, never a password), dropped when the flow ends unless
//! the admin chose to record it.

use crate::roadmap::StepId;
use serde::{Deserialize, Serialize};

/// Bumped whenever the stored shape changes. Records of an earlier released schema are
/// migrated (`upgrade`), not reset; a record of an unknown schema (a newer version's) is reset
/// with a notice.
pub const SCHEMA_VERSION: u32 = 1;

/// Every schema a version of the extension has written, oldest first; the last is
/// `SCHEMA_VERSION`. Each has a fixture, `tests/fixtures/schemas/progress-v<N>.json`, that
/// `tests/migration.rs` upgrades to the current schema, checking that nothing is lost.
pub const RELEASED_SCHEMAS: &[u32] = &[1];

/// Storage key of an org's record: `org:<okta host>`.
pub const ORG_KEY_PREFIX: &str = "org:";

pub fn storage_key(org: &str) -> String {
    format!("{ORG_KEY_PREFIX}{org}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepTime {
    pub step: StepId,
    /// Milliseconds since the Unix epoch.
    pub at: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub schema: u32,
    /// The Okta admin host, e.g. `acme-admin.okta.com`.
    pub org: String,
    pub step: StepId,
    pub started_at: f64,
    pub updated_at: f64,
    #[serde(default)]
    pub finished_at: Option<f64>,
    #[serde(default)]
    pub paused: bool,
    /// Back in Okta after accepting the permissions in this flow.
    #[serde(default)]
    pub consented: bool,
    /// The admin clicked Accept on Microsoft's permissions page at this step.
    #[serde(default)]
    pub accepted: bool,
    /// Two green check marks and the success message were confirmed.
    #[serde(default)]
    pub verified: bool,
    /// The admin clicked Save after the verification.
    #[serde(default)]
    pub save_clicked: bool,
    /// The Admin Username configured in Okta, to warn when another Microsoft account is typed.
    #[serde(default)]
    pub expected_account: Option<String>,
    /// The Microsoft account the admin signed in with, kept only when the admin chose to
    /// record it (settings).
    #[serde(default)]
    pub account_used: Option<String>,
    /// Every step entered, in order, with its time.
    #[serde(default)]
    pub history: Vec<StepTime>,
    /// The admin closed the completion card.
    #[serde(default)]
    pub dismissed: bool,
    /// A message key to show once (e.g. why progress was reset).
    #[serde(default)]
    pub notice: Option<String>,
}

/// Why a stored value could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredError {
    /// Not an object of the expected shape (garbage, truncated, unknown step id…).
    Unreadable(String),
    /// Written by another version of the extension.
    WrongSchema(u32),
    /// Readable but inconsistent (e.g. the org does not match its key).
    Inconsistent(&'static str),
}

/// Every notice a record can carry (`Progress::notice`).
pub const NOTICE_KEYS: [&str; 2] = ["notice_reset_schema", "notice_reset_corrupt"];

impl StoredError {
    /// Message key explaining the reset to the admin.
    pub fn notice_key(&self) -> &'static str {
        match self {
            StoredError::WrongSchema(_) => "notice_reset_schema",
            StoredError::Unreadable(_) | StoredError::Inconsistent(_) => "notice_reset_corrupt",
        }
    }

    /// Why, in a few words for the console (no `Debug` formatting in the content script).
    pub fn describe(&self) -> String {
        match self {
            StoredError::Unreadable(why) => format!("unreadable: {why}"),
            StoredError::WrongSchema(schema) => format!("schema {schema}, expected {SCHEMA_VERSION}"),
            StoredError::Inconsistent(what) => format!("inconsistent {what}"),
        }
    }
}

impl Progress {
    pub fn new(org: &str, now: f64) -> Progress {
        Progress {
            schema: SCHEMA_VERSION,
            org: org.to_string(),
            step: StepId::Applications,
            started_at: now,
            updated_at: now,
            finished_at: None,
            paused: false,
            consented: false,
            accepted: false,
            verified: false,
            save_clicked: false,
            expected_account: None,
            account_used: None,
            history: vec![StepTime { step: StepId::Applications, at: now }],
            dismissed: false,
            notice: None,
        }
    }

    /// Checks a decoded record before it is trusted.
    pub fn validate(self, org: &str) -> Result<Progress, StoredError> {
        if self.schema != SCHEMA_VERSION {
            return Err(StoredError::WrongSchema(self.schema));
        }
        if self.org != org {
            return Err(StoredError::Inconsistent("org"));
        }
        let times_ok = [self.started_at, self.updated_at].iter().all(|t| t.is_finite() && *t >= 0.0)
            && self.history.iter().all(|h| h.at.is_finite());
        if !times_ok {
            return Err(StoredError::Inconsistent("time"));
        }
        Ok(self)
    }

    /// Decodes a stored value with any serde deserializer (`stored_value::StoredValue` in the browser).
    /// `make` yields a fresh deserializer over the same value, so that a failed read can be told
    /// apart: another version's record, or garbage. `Ok(None)` when nothing is stored.
    pub fn decode<'de, D, F>(make: F, org: &str) -> Result<Option<Progress>, StoredError>
    where
        D: serde::Deserializer<'de>,
        F: Fn() -> D,
    {
        // An earlier release's record is read in its own shape and migrated.
        if let Ok(Some(SchemaOnly { schema })) = Option::<SchemaOnly>::deserialize(make()) {
            if schema != SCHEMA_VERSION && RELEASED_SCHEMAS.contains(&schema) {
                return match upgrade(schema, make()) {
                    Some(Ok(progress)) => progress.validate(org).map(Some),
                    Some(Err(error)) => Err(StoredError::Unreadable(error.to_string())),
                    None => Err(StoredError::WrongSchema(schema)),
                };
            }
        }
        match Option::<Progress>::deserialize(make()) {
            Ok(None) => Ok(None),
            Ok(Some(progress)) => progress.validate(org).map(Some),
            Err(error) => match Option::<SchemaOnly>::deserialize(make()) {
                Ok(Some(SchemaOnly { schema })) if schema != SCHEMA_VERSION => Err(StoredError::WrongSchema(schema)),
                _ => Err(StoredError::Unreadable(error.to_string())),
            },
        }
    }

    /// Milliseconds from start to finish, once finished.
    pub fn duration_ms(&self) -> Option<f64> {
        self.finished_at.map(|end| (end - self.started_at).max(0.0))
    }
}

/// Reads a record of the earlier schema `schema` and migrates it to the current one; `None` when
/// no migration from `schema` exists (which `tests/migration.rs` refuses for a released one).
///
/// When the stored shape changes: copy today's `Progress` as `ProgressV<N>` (frozen, with its
/// serde attributes), write `impl From<ProgressV<N>> for Progress` that keeps every field (a
/// field that moves goes to its new place), add the arm
/// `N => Some(ProgressV<N>::deserialize(stored).map(Progress::from))`, bump `SCHEMA_VERSION`, add
/// it to `RELEASED_SCHEMAS`, and add its fixture.
fn upgrade<'de, D: serde::Deserializer<'de>>(schema: u32, stored: D) -> Option<Result<Progress, D::Error>> {
    let _ = (schema, stored);
    None
}

/// Only the schema number, so that another version's record is recognised as such.
#[derive(Deserialize)]
struct SchemaOnly {
    schema: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_progress_starts_at_the_first_step() {
        let p = Progress::new("acme-admin.okta.com", 1000.0);
        assert_eq!(p.step, StepId::Applications);
        assert_eq!(p.history.len(), 1);
        assert_eq!(storage_key(&p.org), "org:acme-admin.okta.com");
    }

    fn decode_json(value: &serde_json::Value) -> Result<Option<Progress>, StoredError> {
        Progress::decode(|| value, ORG)
    }

    const ORG: &str = "acme-admin.okta.com";

    #[test]
    fn a_stored_record_round_trips() {
        let mut p = Progress::new(ORG, 5.0);
        p.step = StepId::TestApi;
        p.expected_account = Some("admin@acme.onmicrosoft.com".into());
        let value = serde_json::to_value(&p).unwrap();
        assert_eq!(value["step"], "test-api");
        assert_eq!(decode_json(&value), Ok(Some(p)));
    }

    #[test]
    fn nothing_stored_is_no_progress() {
        assert_eq!(decode_json(&serde_json::Value::Null), Ok(None));
    }

    #[test]
    fn bad_records_are_reported_not_trusted() {
        let good = serde_json::to_value(Progress::new(ORG, 5.0)).unwrap();
        let mut wrong_schema = good.clone();
        wrong_schema["schema"] = 7.into();
        assert_eq!(decode_json(&wrong_schema), Err(StoredError::WrongSchema(7)));
        let mut unknown_step = good.clone();
        unknown_step["step"] = "launch-rockets".into();
        assert!(matches!(decode_json(&unknown_step), Err(StoredError::Unreadable(_))));
        let mut truncated = good.clone();
        truncated.as_object_mut().unwrap().remove("step");
        assert!(matches!(decode_json(&truncated), Err(StoredError::Unreadable(_))));
        let mut other_org = good.clone();
        other_org["org"] = "evil-admin.okta.com".into();
        assert_eq!(decode_json(&other_org), Err(StoredError::Inconsistent("org")));
        for garbage in [serde_json::json!("garbage"), serde_json::json!(42), serde_json::json!([1, 2]), serde_json::json!({})] {
            assert!(matches!(decode_json(&garbage), Err(StoredError::Unreadable(_))), "{garbage}");
        }
        assert_eq!(StoredError::WrongSchema(7).notice_key(), "notice_reset_schema");
        assert_eq!(StoredError::WrongSchema(7).describe(), "schema 7, expected 1");
        assert_eq!(StoredError::Inconsistent("org").describe(), "inconsistent org");
        assert_eq!(StoredError::Unreadable("missing field `step`".into()).describe(), "unreadable: missing field `step`");
    }
}
