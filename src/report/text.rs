//! The plain-text completion record of one org, for a change ticket.

use super::state::{duration_minutes, status_text, step_number, step_title_key};
use super::time::{local_time, utc_offset};
use super::{account, Lookup};
use crate::org;
use crate::progress::Progress;
use crate::roadmap::StepId;

/// The completion record of one org, for pasting into a change ticket.
pub fn text(p: &Progress, include_account: bool, version: &str, t: Lookup, offset: &dyn Fn(f64) -> i32) -> String {
    let when = |ms: f64| format!("{} {}", local_time(ms, offset(ms)), utc_offset(offset(ms)));
    let mut lines = vec![
        t("popup_report_heading", &[&p.org]),
        t("popup_report_console", &[&org::admin_origin(&p.org)]),
        t("popup_report_status", &[&status_text(Some(p), t, offset)]),
        t("popup_report_started", &[&when(p.started_at)]),
    ];
    match p.finished_at {
        Some(end) => {
            lines.push(t("popup_report_finished", &[&when(end)]));
            lines.push(t("popup_report_duration", &[&duration_minutes(p).unwrap_or(1).to_string()]));
        }
        None => lines.push(t("popup_report_unfinished", &[])),
    }
    if let Some(account) = account(p, include_account) {
        lines.push(t("popup_report_account", &[account]));
    }
    lines.push(t("popup_report_steps", &[]));
    for h in &p.history {
        let label = if h.step == StepId::Done {
            t(&step_title_key(h.step), &[])
        } else {
            format!("{}. {}", step_number(h.step), t(&step_title_key(h.step), &[]))
        };
        lines.push(format!("  {}  {}", local_time(h.at, offset(h.at)), label));
    }
    lines.push(t("popup_report_version", &[version]));
    lines.join("\n") + "\n"
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::*;

    #[test]
    fn plain_text_reads_as_a_change_record() {
        let p = finished_with_account();
        let out = text(&p, true, "9.8.7", &keys, &|_| 60);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "popup_report_heading(acme.okta.com)");
        assert_eq!(lines[1], "popup_report_console(https://acme-admin.okta.com)");
        assert_eq!(lines[2], "popup_report_status(popup_status_done(2026-03-12 15:16|11))");
        assert_eq!(lines[3], "popup_report_started(2026-03-12 15:05 UTC+01:00)");
        assert_eq!(lines[4], "popup_report_finished(2026-03-12 15:16 UTC+01:00)");
        assert_eq!(lines[5], "popup_report_duration(11)");
        assert_eq!(lines[6], "popup_report_account(admin@acme.onmicrosoft.com)");
        assert_eq!(lines[7], "popup_report_steps");
        assert_eq!(lines[8], "  2026-03-12 15:05  1. step_applications_title");
        assert_eq!(lines[18], "  2026-03-12 15:15  11. step_save_title");
        assert_eq!(lines[19], "  2026-03-12 15:16  step_done_title");
        assert_eq!(lines[20], "popup_report_version(9.8.7)");
        assert!(!text(&p, false, "1", &keys, &|_| 0).contains("admin@acme"));
        let open = text(&walked("globex.okta.com", StepId::Edit), true, "1", &keys, &|_| 0);
        assert!(open.contains("popup_report_unfinished"), "{open}");
        assert!(open.contains("popup_status_in_progress(5|11|step_edit_title)"), "{open}");
    }
}
