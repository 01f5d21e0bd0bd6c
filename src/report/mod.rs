//! The popup's pure logic, one concern a module: where the admin is (`state`), dates and times
//! (`time`), the admin-console address (`address`), and the completion report as CSV, JSON and
//! plain text.
//!
//! No browser API here: times come in as milliseconds since the epoch plus a UTC offset, and
//! localised words come in through a message lookup, so everything is tested natively.

pub mod address;
pub mod csv;
pub mod json;
pub mod state;
pub mod text;
pub mod time;

#[cfg(test)]
mod fixtures;

pub use address::{applications_url, org_from_address};
pub use csv::csv;
pub use json::{json_file, json_report, JsonReport, REPORT_KIND};
pub use state::{
    duration_minutes, org_status, preparation_key, status_text, step_number, step_state, step_title_key, steps, OrgStatus,
    StepState, PREPARATION,
};
pub use text::text;
pub use time::{civil_from_days, days_from_civil, days_left, deadline_message, iso_utc, local_time, parse_date, utc_offset};

use crate::progress::Progress;
use crate::roadmap::{StepId, MAIN_PATH};

/// Localised words for the plain-text report: `(key, substitutions) -> text`.
pub type Lookup<'a> = &'a dyn Fn(&str, &[&str]) -> String;

/// The time each main step (and `done`) was last entered: after going back, the later time is
/// the one that counted.
pub fn step_times(progress: &Progress) -> Vec<(StepId, Option<f64>)> {
    MAIN_PATH
        .iter()
        .map(|&step| (step, progress.history.iter().rev().find(|h| h.step == step).map(|h| h.at)))
        .collect()
}

/// What a report may say about the Microsoft account: only when the admin allows it now.
pub(crate) fn account(progress: &Progress, include_account: bool) -> Option<&str> {
    progress.account_used.as_deref().filter(|a| include_account && !a.is_empty())
}

