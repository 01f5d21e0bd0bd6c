//! The CSV report: one row per org, for a spreadsheet.

use super::state::{duration_minutes, org_status, steps};
use super::time::iso_utc;
use super::{account, step_times};
use crate::progress::Progress;

/// One CSV field: quoted when needed, and defused when a spreadsheet would run it as a formula.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One row per org: org, status, current step, start, finish, minutes, account, then the time
/// each step was reached (UTC, ISO 8601). Lines end in CRLF (RFC 4180).
/// Every report names the extension version that wrote it (`version`, from the manifest).
pub fn csv(records: &[Progress], include_account: bool, version: &str) -> String {
    let mut header: Vec<String> =
        ["org", "status", "current_step", "started_at", "finished_at", "duration_minutes", "account_used"]
            .map(String::from)
            .to_vec();
    header.extend(steps().iter().map(|s| format!("{}_at", s.as_str())));
    header.push("extension_version".to_string());
    let mut out = header.join(",") + "\r\n";
    for p in records {
        let mut row = vec![
            p.org.clone(),
            org_status(Some(p)).as_str().to_string(),
            p.step.as_str().to_string(),
            iso_utc(p.started_at),
            p.finished_at.map(iso_utc).unwrap_or_default(),
            duration_minutes(p).map(|m| m.to_string()).unwrap_or_default(),
            account(p, include_account).unwrap_or_default().to_string(),
        ];
        let times = step_times(p);
        row.extend(steps().iter().map(|s| {
            times.iter().find(|(t, _)| t == s).and_then(|(_, at)| *at).map(iso_utc).unwrap_or_default()
        }));
        row.push(version.to_string());
        out += &row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
        out += "\r\n";
    }
    out
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::*;
    use crate::roadmap::StepId;

    #[test]
    fn csv_has_one_row_per_org_with_every_step_time() {
        let done = finished_with_account();
        let mut half = walked("globex.okta.com", StepId::Edit);
        half.paused = true;
        let out = csv(&[done, half], true, "9.8.7");
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert_eq!(lines[3], "");
        let header: Vec<&str> = lines[0].split(',').collect();
        assert_eq!(header[..7], ["org", "status", "current_step", "started_at", "finished_at", "duration_minutes", "account_used"]);
        assert_eq!(header[7], "applications_at");
        assert_eq!(header[17], "save_at");
        assert_eq!(header[18], "extension_version");
        assert_eq!(header.len(), 19);
        let done_row: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(
            done_row[..7],
            ["acme.okta.com", "done", "done", "2026-03-12T14:05:00Z", "2026-03-12T14:16:00Z", "11", "admin@acme.onmicrosoft.com"]
        );
        assert_eq!(done_row[9], "2026-03-12T14:07:00Z");
        let half_row: Vec<&str> = lines[2].split(',').collect();
        assert_eq!(half_row[..7], ["globex.okta.com", "paused", "edit", "2026-03-12T14:05:00Z", "", "", ""]);
        assert_eq!(half_row[11], "2026-03-12T14:09:00Z");
        assert_eq!(half_row[12], "");
        assert_eq!((done_row[18], half_row[18]), ("9.8.7", "9.8.7"));
        assert!(!out.contains("expected@"));
    }

    #[test]
    fn csv_leaves_out_the_account_when_not_allowed_and_defuses_formulas() {
        let out = csv(&[finished_with_account()], false, "1");
        assert!(!out.contains("admin@acme"), "{out}");
        let mut p = finished_with_account();
        p.account_used = Some("=HYPERLINK(\"x\",1)".into());
        let out = csv(&[p], true, "1");
        assert!(out.contains(",\"'=HYPERLINK(\"\"x\"\",1)\","), "{out}");
    }
}
