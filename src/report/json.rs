//! The JSON report: the full record of every org, every step entered with its time, in order.
//! The report is a serde value; the popup writes it with the crate's storage writer and
//! `JSON.stringify(value, null, 2)` (no JSON writer of our own), and `import` reads it back.

use super::state::{duration_minutes, org_status};
use super::time::iso_utc;
use super::account;
use crate::org;
use crate::progress::Progress;
use serde::Serialize;

/// What the `report` field says: this extension's report, not any JSON file.
pub const REPORT_KIND: &str = "office365-reauthentication";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonReport<'a> {
    pub report: &'static str,
    pub extension_version: &'a str,
    pub generated_at: String,
    pub orgs: Vec<JsonOrg<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonOrg<'a> {
    pub org: &'a str,
    /// For people reading the file; `import` ignores it.
    pub admin_console: String,
    pub status: &'static str,
    pub current_step: &'static str,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub duration_minutes: Option<u64>,
    /// Only when the admin allows it now; the expected account (transient) never appears.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_used: Option<&'a str>,
    pub steps: Vec<JsonStep>,
}

#[derive(Debug, Serialize)]
pub struct JsonStep {
    pub step: &'static str,
    pub at: String,
}

/// The report of `records`, written at `generated_at` by extension `version`.
pub fn json_report<'a>(records: &'a [Progress], include_account: bool, generated_at: f64, version: &'a str) -> JsonReport<'a> {
    let orgs = records
        .iter()
        .map(|p| JsonOrg {
            org: &p.org,
            admin_console: org::admin_origin(&p.org),
            status: org_status(Some(p)).as_str(),
            current_step: p.step.as_str(),
            started_at: iso_utc(p.started_at),
            finished_at: p.finished_at.map(iso_utc),
            duration_minutes: duration_minutes(p),
            account_used: account(p, include_account),
            steps: p.history.iter().map(|h| JsonStep { step: h.step.as_str(), at: iso_utc(h.at) }).collect(),
        })
        .collect();
    JsonReport { report: REPORT_KIND, extension_version: version, generated_at: iso_utc(generated_at), orgs }
}

/// The report as the popup downloads it: indented as `JSON.stringify(value, null, 2)` would
/// (the crate's own writer, `crate::json`, which the diagnostics use too), ending in a newline.
pub fn json_file(records: &[Progress], include_account: bool, generated_at: f64, version: &str) -> Result<String, crate::json::Error> {
    Ok(crate::json::to_string_pretty(&json_report(records, include_account, generated_at, version))? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::*;
    use crate::roadmap::StepId;

    /// As the popup writes it (the shipped writer).
    fn json(records: &[Progress], include_account: bool, generated_at: f64, version: &str) -> String {
        json_file(records, include_account, generated_at, version).unwrap()
    }

    /// Byte for byte the file tests/fixtures/report.json (which the import tests read back):
    /// quotes, backslashes, a line break, a control character and a non-ASCII letter.
    #[test]
    fn the_json_report_is_written_byte_for_byte() {
        const T0: f64 = 1_773_324_300_000.0;
        let mut p = Progress::new("acme.okta.com", T0);
        p.step = StepId::FindApp;
        p.history.push(crate::progress::StepTime { step: StepId::FindApp, at: T0 + 60_000.0 });
        p.account_used = Some("a\"d\\m\n\u{1}é@acme.onmicrosoft.com".into());
        assert_eq!(json(&[p], true, T0, "9.8.7"), include_str!("../../tests/fixtures/report.json"));
    }

    #[test]
    fn json_is_valid_and_holds_the_history() {
        let mut p = finished_with_account();
        p.account_used = Some("a\"d\\min\n@acme".into());
        let out = json(&[p.clone(), walked("globex.okta.com", StepId::Consent)], true, T0 + 60.0 * MIN, "9.8.7");
        let value: serde_json::Value = serde_json::from_str(&out).expect(&out);
        assert_eq!(value["generatedAt"], "2026-03-12T15:05:00Z");
        assert_eq!(value["extensionVersion"], "9.8.7");
        let orgs = value["orgs"].as_array().unwrap();
        assert_eq!(orgs.len(), 2);
        assert_eq!(orgs[0]["org"], "acme.okta.com");
        assert_eq!(orgs[0]["adminConsole"], "https://acme-admin.okta.com");
        assert_eq!(orgs[0]["status"], "done");
        assert_eq!(orgs[0]["accountUsed"], "a\"d\\min\n@acme");
        assert_eq!(orgs[0]["durationMinutes"], 11);
        assert_eq!(orgs[0]["steps"].as_array().unwrap().len(), p.history.len());
        assert_eq!(orgs[0]["steps"][11], serde_json::json!({ "step": "done", "at": "2026-03-12T14:16:00Z" }));
        assert_eq!(orgs[1]["status"], "in-progress");
        assert_eq!(orgs[1]["finishedAt"], serde_json::Value::Null);
        assert!(orgs[1].get("accountUsed").is_none());
        assert!(!out.contains("expected"));
        let without: serde_json::Value = serde_json::from_str(&json(&[p], false, T0, "1")).unwrap();
        assert!(without["orgs"][0].get("accountUsed").is_none());
        let empty: serde_json::Value = serde_json::from_str(&json(&[], true, T0, "1")).unwrap();
        assert_eq!(empty["orgs"], serde_json::json!([]));
    }

    /// The exact text the popup downloads for one record (tests/browser.rs checks that the
    /// popup's writer gives these same bytes), so that the field order and layout stay put.
    #[test]
    fn the_report_text_is_as_the_popup_writes_it() {
        let mut p = walked("acme.okta.com", StepId::FindApp);
        // Escapes as both writers make them: a quote, a backslash, a line break, a control
        // character; and a letter outside ASCII as it is.
        p.account_used = Some("a\"d\\m\n\u{1}é@acme.onmicrosoft.com".into());
        assert_eq!(json(&[p], true, T0, "9.8.7"), include_str!("../../tests/fixtures/report.json"));
    }
}
