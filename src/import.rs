//! Import of a JSON completion report (the popup's "Download JSON"): an admin moving to a new
//! machine takes their orgs' history along. The file is checked whole before anything is
//! written: a foreign or damaged file is refused with a reason and changes nothing.
//!
//! The report holds what the completion record needs (step, times, history, the account if it
//! was recorded); the flags the guide keeps besides are derived from the history. So importing
//! an export and exporting again gives the same report.

use crate::org;
use crate::progress::{Progress, StepTime};
use crate::report;
use crate::roadmap::StepId;
use serde::Deserialize;

/// What `report::json_report` writes (fields it adds for people, like `adminConsole`, are ignored).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportFile {
    pub report: String,
    pub orgs: Vec<OrgEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgEntry {
    pub org: String,
    pub status: String,
    pub current_step: String,
    pub started_at: String,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub account_used: Option<String>,
    pub steps: Vec<StepEntry>,
}

#[derive(Debug, Deserialize)]
pub struct StepEntry {
    pub step: String,
    pub at: String,
}

/// Why a file was refused; each names a message for the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Not JSON, or not shaped like the report (the parser's words).
    Unreadable(String),
    /// JSON, but not this extension's report.
    Foreign,
    /// The report lists no org.
    Empty,
    /// One org's entry is inconsistent: (org, what).
    Invalid(String, &'static str),
}

impl ImportError {
    /// The message key and its substitution.
    pub fn message(&self) -> (&'static str, String) {
        match self {
            ImportError::Unreadable(why) => ("popup_import_unreadable", why.clone()),
            ImportError::Foreign => ("popup_import_foreign", String::new()),
            ImportError::Empty => ("popup_import_empty", String::new()),
            ImportError::Invalid(org, what) => ("popup_import_invalid", format!("{org} ({what})")),
        }
    }
}

pub use crate::report::REPORT_KIND;

/// `2026-03-12T14:05:00Z` (as `report::iso_utc` writes) in milliseconds since the epoch.
pub fn parse_iso_utc(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let day = report::parse_date(&text[..10])?;
    let number = |from: usize, max: i64| -> Option<i64> {
        let part = &text[from..from + 2];
        let n: i64 = part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())??;
        (n <= max).then_some(n)
    };
    let (h, m, s) = (number(11, 23)?, number(14, 59)?, number(17, 59)?);
    Some(((day * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

/// The records of a report, checked whole.
pub fn records(file: ReportFile) -> Result<Vec<Progress>, ImportError> {
    if file.report != REPORT_KIND {
        return Err(ImportError::Foreign);
    }
    if file.orgs.is_empty() {
        return Err(ImportError::Empty);
    }
    let mut out: Vec<Progress> = Vec::with_capacity(file.orgs.len());
    for entry in file.orgs {
        let bad = |what| ImportError::Invalid(entry.org.clone(), what);
        // The org as the guide keys it (an Okta host), nothing else.
        if org::org_key(&entry.org).as_deref() != Some(entry.org.as_str()) {
            return Err(bad("org"));
        }
        if out.iter().any(|p| p.org == entry.org) {
            return Err(bad("listed twice"));
        }
        let step = StepId::parse(&entry.current_step).ok_or_else(|| bad("currentStep"))?;
        let started_at = parse_iso_utc(&entry.started_at).ok_or_else(|| bad("startedAt"))?;
        let finished_at = match &entry.finished_at {
            Some(t) => Some(parse_iso_utc(t).ok_or_else(|| bad("finishedAt"))?),
            None => None,
        };
        let mut history = Vec::with_capacity(entry.steps.len());
        for s in &entry.steps {
            let step = StepId::parse(&s.step).ok_or_else(|| bad("steps"))?;
            let at = parse_iso_utc(&s.at).ok_or_else(|| bad("steps"))?;
            if history.last().is_some_and(|h: &StepTime| h.at > at) {
                return Err(bad("steps out of order"));
            }
            history.push(StepTime { step, at });
        }
        if history.last().map(|h| h.step) != Some(step) {
            return Err(bad("currentStep"));
        }
        if (step == StepId::Done) != finished_at.is_some() {
            return Err(bad("finishedAt"));
        }
        let entered = |s: StepId| history.iter().any(|h| h.step == s);
        let done = step == StepId::Done;
        let mut p = Progress::new(&entry.org, started_at);
        p.step = step;
        p.updated_at = history.last().map_or(started_at, |h| h.at);
        p.finished_at = finished_at;
        p.paused = entry.status == report::OrgStatus::Paused.as_str();
        // Back in Okta after the consent; the check marks confirmed; Save clicked.
        p.consented = done || entered(StepId::TestApi);
        p.verified = done || entered(StepId::Save);
        p.save_clicked = done;
        p.account_used = entry.account_used.filter(|a| !a.trim().is_empty());
        p.history = history;
        // The completion card was seen on the old machine.
        p.dismissed = done;
        out.push(p);
    }
    Ok(out)
}

/// Whether an imported record replaces the one stored here: only where this machine has none,
/// or an older one.
pub fn replaces(stored: Option<&Progress>, imported: &Progress) -> bool {
    stored.is_none_or(|s| s.updated_at < imported.updated_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_773_324_300_000.0;
    const MIN: f64 = 60_000.0;

    fn walked(org: &str, to: StepId, paused: bool, account: Option<&str>) -> Progress {
        let mut p = Progress::new(org, T0);
        let mut t = T0;
        for &step in crate::roadmap::MAIN_PATH.iter().skip(1) {
            t += MIN;
            p.step = step;
            p.updated_at = t;
            p.history.push(StepTime { step, at: t });
            if step == to {
                break;
            }
        }
        if to == StepId::Done {
            p.finished_at = Some(t);
        }
        p.paused = paused;
        p.account_used = account.map(String::from);
        p
    }

    fn import(text: &str) -> Result<Vec<Progress>, ImportError> {
        let file: ReportFile = serde_json::from_str(text).map_err(|e| ImportError::Unreadable(e.to_string()))?;
        records(file)
    }

    /// The report as the popup downloads it (see `report::json`; tests/browser.rs checks the popup writes the same bytes).
    fn json(records: &[Progress], include_account: bool, generated_at: f64, version: &str) -> String {
        report::json_file(records, include_account, generated_at, version).unwrap()
    }

    fn without_generated_at(json: &str) -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
        v.as_object_mut().unwrap().remove("generatedAt");
        v
    }

    #[test]
    fn iso_times_read_back() {
        for ms in [0.0, T0, T0 + 59_000.0, 951_782_400_000.0 /* 2000-02-29 */] {
            assert_eq!(parse_iso_utc(&report::iso_utc(ms)), Some(ms), "{}", report::iso_utc(ms));
        }
        for bad in ["", "2026-03-12", "2026-03-12T14:05:00", "2026-13-12T14:05:00Z", "2026-03-12T24:05:00Z", "2026-03-12T14:60:00Z", "2026-03-12 14:05:00Z", "2026-03-12T1a:05:00Z"] {
            assert_eq!(parse_iso_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_export_imported_exports_the_same() {
        let records = vec![
            walked("acme.okta.com", StepId::Done, false, Some("admin@acme.onmicrosoft.com")),
            walked("globex.okta.com", StepId::Edit, true, None),
            walked("initech.oktapreview.com", StepId::Consent, false, None),
        ];
        for include_account in [true, false] {
            let exported = json(&records, include_account, T0 + 90.0 * MIN, "0.1.0");
            let imported = import(&exported).expect(&exported);
            assert_eq!(imported.len(), 3);
            let again = json(&imported, include_account, T0 + 99.0 * MIN, "0.1.0");
            assert_eq!(without_generated_at(&again), without_generated_at(&exported));
            // The CSV too, and the flags the guide needs to carry on.
            assert_eq!(report::csv(&imported, include_account, "1"), report::csv(&records, include_account, "1"));
        }
        let imported = import(&json(&records, true, T0, "1")).unwrap();
        assert!(imported[0].consented && imported[0].verified && imported[0].save_clicked && imported[0].dismissed);
        assert!(imported[1].paused && !imported[1].consented);
        assert_eq!(imported[0].account_used.as_deref(), Some("admin@acme.onmicrosoft.com"));
        assert_eq!(imported[2].updated_at, records[2].updated_at);
    }

    #[test]
    fn foreign_and_damaged_files_are_refused() {
        let good = json(&[walked("acme.okta.com", StepId::Edit, false, None)], true, T0, "1");
        assert!(matches!(import("{not json"), Err(ImportError::Unreadable(_))));
        assert!(matches!(import(r#"{"hello": 1}"#), Err(ImportError::Unreadable(_))));
        assert_eq!(import(&good.replace(REPORT_KIND, "something-else")), Err(ImportError::Foreign));
        assert_eq!(import(r#"{"report": "office365-reauthentication", "orgs": []}"#), Err(ImportError::Empty));
        let invalid = |from: &str, to: &str| import(&good.replacen(from, to, 1));
        assert_eq!(invalid("\"org\": \"acme.okta.com\"", "\"org\": \"evil.example.com\""), Err(ImportError::Invalid("evil.example.com".into(), "org")));
        assert_eq!(invalid("\"currentStep\": \"edit\"", "\"currentStep\": \"launch\""), Err(ImportError::Invalid("acme.okta.com".into(), "currentStep")));
        assert_eq!(invalid("\"currentStep\": \"edit\"", "\"currentStep\": \"save\""), Err(ImportError::Invalid("acme.okta.com".into(), "currentStep")));
        assert_eq!(invalid("\"startedAt\": \"2026", "\"startedAt\": \"x026"), Err(ImportError::Invalid("acme.okta.com".into(), "startedAt")));
        assert_eq!(invalid("\"step\": \"find-app\"", "\"step\": \"nope\""), Err(ImportError::Invalid("acme.okta.com".into(), "steps")));
        assert_eq!(invalid("\"finishedAt\": null", "\"finishedAt\": \"2026-03-12T14:05:00Z\""), Err(ImportError::Invalid("acme.okta.com".into(), "finishedAt")));
        let twice = json(&[walked("acme.okta.com", StepId::Edit, false, None), walked("acme.okta.com", StepId::Edit, false, None)], true, T0, "1");
        assert_eq!(import(&twice), Err(ImportError::Invalid("acme.okta.com".into(), "listed twice")));
        for e in [ImportError::Unreadable("x".into()), ImportError::Foreign, ImportError::Empty, ImportError::Invalid("o".into(), "org")] {
            assert!(e.message().0.starts_with("popup_import_"));
        }
    }

    #[test]
    fn only_newer_records_replace_stored_ones() {
        let old = walked("acme.okta.com", StepId::Edit, false, None);
        let new = walked("acme.okta.com", StepId::Done, false, None);
        assert!(replaces(None, &old));
        assert!(replaces(Some(&old), &new));
        assert!(!replaces(Some(&new), &old));
        assert!(!replaces(Some(&new), &new));
    }
}
