//! Where the admin is: the preparation items, the steps with their states, an org's status.

use super::time::local_time;
use super::Lookup;
use crate::progress::Progress;
use crate::roadmap::{StepId, MAIN_PATH, STEP_COUNT};

/// The roadmap's preparation items, by the id stored in `settings.prepared`. Their text is
/// `popup_prepare_<id with '-' as '_'>`.
pub const PREPARATION: [&str; 4] = ["coworkers", "off-hours", "okta-credentials", "microsoft-credentials"];

/// The message key of a preparation item.
pub fn preparation_key(id: &str) -> String {
    format!("popup_prepare_{}", id.replace('-', "_"))
}

/// The steps the admin acts on, in order (the main path without its end, `done`).
pub fn steps() -> &'static [StepId] {
    &MAIN_PATH[..STEP_COUNT]
}

/// "Step n": a step's 1-based position on the main path (a branch shares its main step's).
pub fn step_number(step: StepId) -> usize {
    (step.rank() + 1).min(STEP_COUNT)
}

/// A localised step title (`step_<stem>_title`, shared with the in-page guide).
pub fn step_title_key(step: StepId) -> String {
    step.texts().title.to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Todo,
    Current,
    Done,
    /// The current step went wrong (the flow is on one of its branches).
    Problem,
}

impl StepState {
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Todo => "todo",
            StepState::Current => "current",
            StepState::Done => "done",
            StepState::Problem => "problem",
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            StepState::Todo => "popup_state_todo",
            StepState::Current => "popup_state_current",
            StepState::Done => "popup_state_done",
            StepState::Problem => "popup_state_problem",
        }
    }
}

/// The state of a main-path `step` for an org's progress (`None`: not started).
pub fn step_state(progress: Option<&Progress>, step: StepId) -> StepState {
    let Some(progress) = progress else { return StepState::Todo };
    let current = progress.step;
    if current == StepId::Done || step.rank() < current.rank() {
        StepState::Done
    } else if step == current.main_step() {
        if current.is_branch() {
            StepState::Problem
        } else {
            StepState::Current
        }
    } else {
        StepState::Todo
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgStatus {
    NotStarted,
    InProgress,
    Paused,
    Problem,
    Done,
}

impl OrgStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgStatus::NotStarted => "not-started",
            OrgStatus::InProgress => "in-progress",
            OrgStatus::Paused => "paused",
            OrgStatus::Problem => "problem",
            OrgStatus::Done => "done",
        }
    }
}

pub fn org_status(progress: Option<&Progress>) -> OrgStatus {
    match progress {
        None => OrgStatus::NotStarted,
        Some(p) if p.step == StepId::Done => OrgStatus::Done,
        Some(p) if p.paused => OrgStatus::Paused,
        Some(p) if p.step.is_branch() => OrgStatus::Problem,
        Some(_) => OrgStatus::InProgress,
    }
}

/// Whole minutes from start to finish (at least 1 once finished: "0 min" reads as an error).
pub fn duration_minutes(progress: &Progress) -> Option<u64> {
    progress.duration_ms().map(|ms| ((ms / 60_000.0).round() as u64).max(1))
}

/// The status of an org in words (for the popup's list and the plain-text report).
pub fn status_text(progress: Option<&Progress>, t: Lookup, offset: &dyn Fn(f64) -> i32) -> String {
    let Some(p) = progress else { return t("popup_status_not_started", &[]) };
    let number = step_number(p.step).to_string();
    let total = STEP_COUNT.to_string();
    let title = t(&step_title_key(p.step), &[]);
    match org_status(Some(p)) {
        OrgStatus::NotStarted => t("popup_status_not_started", &[]),
        OrgStatus::Done => {
            let end = p.finished_at.unwrap_or(p.updated_at);
            let minutes = duration_minutes(p).unwrap_or(1).to_string();
            t("popup_status_done", &[&local_time(end, offset(end)), &minutes])
        }
        OrgStatus::Paused => t("popup_status_paused", &[&number, &total, &title]),
        OrgStatus::Problem => t("popup_status_problem", &[&number, &total, &title]),
        OrgStatus::InProgress => t("popup_status_in_progress", &[&number, &total, &title]),
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::*;

    #[test]
    fn step_states_follow_the_current_step() {
        assert!(steps().iter().all(|&s| step_state(None, s) == StepState::Todo));
        let p = walked("acme.okta.com", StepId::Edit);
        let states: Vec<&str> = steps().iter().map(|&s| step_state(Some(&p), s).as_str()).collect();
        assert_eq!(states[..4], ["done"; 4]);
        assert_eq!(states[4], "current");
        assert!(states[5..].iter().all(|s| *s == "todo"));
        assert_eq!(states.len(), 11);
    }

    #[test]
    fn a_branch_is_a_problem_on_its_main_step() {
        let mut p = walked("acme.okta.com", StepId::TestApi);
        p.step = StepId::TestFailed;
        assert_eq!(step_state(Some(&p), StepId::TestApi), StepState::Problem);
        assert_eq!(step_state(Some(&p), StepId::Consent), StepState::Done);
        assert_eq!(step_state(Some(&p), StepId::Checkmarks), StepState::Todo);
        assert_eq!(org_status(Some(&p)), OrgStatus::Problem);
        p.paused = true;
        assert_eq!(org_status(Some(&p)), OrgStatus::Paused);
    }

    #[test]
    fn a_finished_org_is_done_everywhere() {
        let p = walked("acme.okta.com", StepId::Done);
        assert_eq!(p.step, StepId::Done);
        assert!(steps().iter().all(|&s| step_state(Some(&p), s) == StepState::Done));
        assert_eq!(org_status(Some(&p)), OrgStatus::Done);
        assert_eq!(org_status(None), OrgStatus::NotStarted);
        assert_eq!(duration_minutes(&p), Some(11));
    }

    #[test]
    fn status_text_names_the_step() {
        let mut p = walked("acme.okta.com", StepId::MicrosoftSignIn);
        p.step = StepId::WrongAccount;
        assert_eq!(status_text(Some(&p), &keys, &|_| 0), "popup_status_problem(7|11|step_wrong_account_title)");
        p.paused = true;
        assert_eq!(status_text(Some(&p), &keys, &|_| 0), "popup_status_paused(7|11|step_wrong_account_title)");
        assert_eq!(status_text(None, &keys, &|_| 0), "popup_status_not_started");
    }
}
