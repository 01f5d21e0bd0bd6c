//! Records for the report tests: an org walked to a step, and a lookup that shows the keys.

use crate::progress::{Progress, StepTime};
use crate::roadmap::{StepId, MAIN_PATH};
use super::state::steps;

pub const MIN: f64 = 60_000.0;
/// 2026-03-12T14:05:00Z
pub const T0: f64 = 1_773_324_300_000.0;

pub fn walked(org: &str, to: StepId) -> Progress {
    let mut p = Progress::new(org, T0);
    for (i, &step) in MAIN_PATH.iter().enumerate().skip(1) {
        if steps().contains(&to) && step.rank() > to.rank() {
            break;
        }
        p.step = step;
        p.history.push(StepTime { step, at: T0 + i as f64 * MIN });
        if step == StepId::Done {
            p.finished_at = Some(T0 + i as f64 * MIN);
        }
    }
    p
}

/// English-ish lookup: the key and its arguments, so tests see what was asked for.
pub fn keys(key: &str, subs: &[&str]) -> String {
    if subs.is_empty() {
        key.to_string()
    } else {
        format!("{key}({})", subs.join("|"))
    }
}

pub fn finished_with_account() -> Progress {
    let mut p = walked("acme.okta.com", StepId::Done);
    p.account_used = Some("admin@acme.onmicrosoft.com".into());
    p.expected_account = Some("expected@acme.onmicrosoft.com".into());
    p
}
