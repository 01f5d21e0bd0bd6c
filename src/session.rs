//! The guide's decisions in one page: events in, effects out. Pure: the page is read into plain
//! data by the browser edge (`browser::app`), which also carries out the effects (saving,
//! the lease, marking, the card). Every timing rule of the guide lives here, with its test.

use crate::card::{self, Arg, Card, DiagnosticsView, Line, Situation, Text};
use crate::contract::GuideState;
use crate::diagnostics::{self, Reason, Transition, Transitions};
use crate::flow::{self, AppView, OktaPage, Observation, Outcome, Page, Settle, Verification};
use crate::progress::{Progress, StoredError, NOTICE_KEYS};
use crate::recognize::{self, FormVisit};
use crate::roadmap::{Site, StepId};
use crate::settings::Settings;

/// How long to look for a target before saying it cannot be found.
pub const NOT_FOUND_MS: f64 = 10_000.0;
/// After a page load, the page settling into what it shows counts as the admin's doing for this
/// long (a single-page app paints in stages, each of which may be a step).
pub const FRESH_LOAD_MS: f64 = 5_000.0;
/// How long after the admin's action the page's answer to it is followed forward (Okta's
/// credentials test may take seconds to answer).
pub const ACTION_WINDOW_MS: f64 = 15_000.0;
/// How long "both check marks confirmed" stays on screen before the Save step.
pub const CONFIRM_DWELL_MS: f64 = 1_500.0;
/// After the admin acted on the marked element, how long a page the guide cannot place is
/// "waiting for the page" before the card says it cannot tell where the admin is.
pub const UNSURE_AFTER_MS: f64 = 2_000.0;

/// What the page and storage gave at start-up.
#[derive(Debug, Clone)]
pub struct Start {
    /// The org this page belongs to, when storage was read for it.
    pub org: Option<String>,
    /// Whether the page's own address names the org (Microsoft's may not: then the org is the
    /// last active one).
    pub named_by_page: bool,
    pub stored: Result<Option<Progress>, StoredError>,
    pub settings: Settings,
    pub on_microsoft: bool,
    /// The address carries Microsoft's answer (a return page, possibly a pop-up that closes
    /// itself).
    pub carries_answer: bool,
    /// This page's id for the one-tab-guides lease.
    pub tab_id: String,
}

/// Something that happened in the page or in storage.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A trusted key press, or back/forward.
    AdminActed,
    /// A trusted click, and whether it was on the marked element, on Test API Credentials, on Save,
    /// on Re-authenticate (looked for only while the admin is at Microsoft).
    Clicked { on_mark: bool, on_test: bool, on_save: bool, on_reauthenticate: bool },
    /// The admin typed; `account` is the value only when the field is Microsoft's account field.
    Typed { account: Option<String> },
    /// A page script clicked or typed (an untrusted event).
    PageActed,
    /// Back or forward brought the page back from the back/forward cache.
    Restored,
    /// The tab got focus or became visible: the admin works here.
    Focused,
    /// The page goes away (a pop-up closing after Microsoft).
    Hidden,
    Card(card::Action),
    /// The edge read the diagnostics report the admin asked for.
    DiagnosticsRead(String),
    /// The clipboard's answer to Copy (an error in words).
    Copied(Result<(), String>),
    /// The org's record changed in storage (the popup, another tab).
    StoredProgress(Result<Option<Progress>, StoredError>),
    StoredSettings(Settings),
    /// The lease changed hands (`None`: nobody holds it).
    Lease(Option<String>),
    /// Saving the record failed (the error in words).
    SaveFailed(String),
}

/// What the edge must do after an event or a look.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effects {
    /// Save the progress record.
    pub persist: bool,
    /// Take the lease for this tab.
    pub claim: bool,
    /// Give the lease up (this tab guided and goes away).
    pub release: bool,
    /// Read the page again.
    pub look: bool,
    /// The step changed: forget the fields typed into during the last one.
    pub step_changed: bool,
    /// Read the diagnostics report off the page and hand it back (`Event::DiagnosticsRead`).
    pub read_diagnostics: bool,
    /// Put this text on the clipboard (the admin clicked Copy).
    pub copy: Option<String>,
    /// For the console: something the admin is told on the card in other words.
    pub warn: Option<String>,
}

/// What to read at a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// No progress for this page: nothing to guide.
    Idle,
    /// Paused, another tab guides, or the finished guide was closed: `view()` without reading.
    Quiet,
    /// Read the page: `expected` is the app view the step leads to, `tested` whether the admin
    /// clicked Test API Credentials in this visit of the form.
    Read { expected: Option<AppView>, tested: bool },
}

/// The page as one look read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub observation: Observation,
    /// Okta's edit form shows Test API Credentials.
    pub test_button: bool,
    /// The Admin Username in Okta's edit form (never its password).
    pub admin_username: Option<String>,
}

/// What to look for on the page for the step shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeking {
    /// Nothing to mark (the admin acted and the page cannot be placed; a Microsoft step seen
    /// from Okta's page): `label` names what would be marked.
    Nothing { label: &'static str },
    /// The visible green check marks of the Integration form.
    CheckMarks,
    /// The first of the step's targets that is on the page.
    Targets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seek {
    pub step: StepId,
    pub what: Seeking,
    /// Count the Office 365 instances in the apps list.
    pub count_instances: bool,
    /// The success message and the check marks are the step's evidence (kept visible).
    pub evidence: bool,
}

/// What the edge found for a `Seek`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The message key of the target looked for (the one found, else the first).
    pub label: &'static str,
    pub found: bool,
    pub instances: usize,
}

/// What the page shows of the guide.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// `data-step` (none when there is no progress).
    pub step: Option<StepId>,
    pub state: GuideState,
    /// `None`: the card is hidden.
    pub card: Option<Card>,
    /// Dim the page around the targets (not at the check marks, which are evidence to read).
    pub dim: bool,
}

#[derive(Debug, Clone)]
pub struct Session {
    org: Option<String>,
    progress: Option<Progress>,
    settings: Settings,
    tab_id: String,
    /// Whether this tab guides the org (false while another tab of the same org does).
    leading: bool,
    /// Microsoft's pages (a redirect or a pop-up) guide without taking the lease from the Okta
    /// tab the admin comes back to.
    on_microsoft: bool,
    /// When the admin last clicked, pressed a key, typed or went back/forward (trusted events).
    acted_at: f64,
    /// When this tab saw the current step begin: its own move, one adopted from storage, or
    /// Re-authenticate clicked again during Microsoft's steps (the same sign-in anew); -∞ when
    /// the step began before this page loaded.
    step_began_at: f64,
    loaded_at: f64,
    settle: Settle,
    /// When the search for the current target began, and for what.
    search_started: f64,
    search_for: Option<(StepId, &'static str)>,
    checkmarks_since: Option<f64>,
    /// Back: the card shows an earlier step without changing progress.
    viewing: Option<StepId>,
    account_warning: Option<Text>,
    storage_error: Option<String>,
    /// The page came back from the back/forward cache: it shows a finished page, so the next look
    /// is followed without waiting for it to settle.
    restored: bool,
    /// What the Integration form showed during this visit (a success that hid itself).
    visit: FormVisit,
    /// The admin clicked the marked element during this step.
    acted_on_mark: bool,
    /// Since when the page could not be placed (while the admin has acted on the marked element).
    unsure_since: Option<f64>,
    transitions: Transitions,
    /// The last look's observation (after folding in the form visit), and the screen it names.
    last: Option<Observation>,
    screen: &'static str,
    /// At the check marks: the state and status the last look gave.
    check_status: Option<(GuideState, Line)>,
    state: GuideState,
    /// The diagnostics box is open with this text (exactly what Copy copies), and what Copy said.
    diagnostics: Option<String>,
    diagnostics_status: Option<Text>,
    /// When the next look is due for a timer-driven change (not-found, settle, dwell).
    wake_at: Option<f64>,
    /// The admin asked to skip a step the guide could see was not done: the card asks again.
    skip_asked: bool,
}

/// Whole minutes from start to finish, at least one.
fn done_minutes(progress: &Progress) -> u64 {
    progress.duration_ms().map_or(0, |ms| (ms / 60_000.0).ceil().max(1.0) as u64)
}

/// A fresh record in place of one that could not be read, telling the admin why.
fn reset_unreadable(org: &str, error: &StoredError, now: f64, fx: &mut Effects) -> Progress {
    fx.warn = Some(format!("stored progress for {org} reset: {}", error.describe()));
    fx.persist = true;
    let mut fresh = Progress::new(org, now);
    fresh.notice = Some(error.notice_key().to_string());
    fresh
}

impl Session {
    /// The session a page starts with: which record it guides, and what must be done at once.
    pub fn start(start: Start, now: f64) -> (Session, Effects) {
        let mut fx = Effects::default();
        let mut progress = None;
        if let Some(org) = &start.org {
            progress = match &start.stored {
                Ok(stored) => stored.clone(),
                Err(error) => Some(reset_unreadable(org, error, now, &mut fx)),
            };
            if progress.is_none() && !start.on_microsoft {
                // An Okta admin page with no record yet: the guide starts at the first step.
                progress = Some(Progress::new(org, now));
                fx.persist = true;
            }
            // On Microsoft's page with only the last active org to go by, guide only mid-flow.
            if start.on_microsoft && !start.named_by_page && !progress.as_ref().is_some_and(|p| p.step.hands_off_to_microsoft()) {
                progress = None;
                fx.persist = false;
            }
        }
        let mut session = Session {
            org: start.org,
            progress,
            settings: start.settings,
            tab_id: start.tab_id,
            leading: true,
            on_microsoft: start.on_microsoft,
            acted_at: f64::NEG_INFINITY,
            step_began_at: f64::NEG_INFINITY,
            loaded_at: now,
            settle: Settle::default(),
            search_started: now,
            search_for: None,
            checkmarks_since: None,
            viewing: None,
            account_warning: None,
            storage_error: None,
            restored: false,
            visit: FormVisit::default(),
            acted_on_mark: false,
            unsure_since: None,
            transitions: Transitions::default(),
            last: None,
            screen: "",
            check_status: None,
            state: GuideState::Idle,
            diagnostics: None,
            diagnostics_status: None,
            wake_at: None,
            skip_asked: false,
        };
        // A page just opened for the org is where the admin works now; one carrying Microsoft's
        // answer (a pop-up that may not know its opener) leaves a waiting opener guiding.
        if session.progress.is_some() && !start.carries_answer {
            session.claim(&mut fx);
        }
        fx.look = true;
        (session, fx)
    }

    pub fn org(&self) -> Option<&str> {
        self.org.as_deref()
    }
    pub fn progress(&self) -> Option<&Progress> {
        self.progress.as_ref()
    }
    pub fn tab_id(&self) -> &str {
        &self.tab_id
    }
    pub fn state(&self) -> GuideState {
        self.state
    }
    /// The admin tested the credentials in this visit of the form: the page's answer may show
    /// anywhere on it, at any moment.
    pub fn awaits_answer(&self) -> bool {
        self.visit.tested
    }
    pub fn screen(&self) -> &'static str {
        self.screen
    }
    pub fn transitions(&self) -> Vec<Transition> {
        self.transitions.list()
    }
    /// When the next look is due for a timer-driven change.
    pub fn wake_at(&self) -> Option<f64> {
        self.wake_at
    }

    fn wake(&mut self, at: f64) {
        self.wake_at = Some(self.wake_at.map_or(at, |w| w.min(at)));
    }

    /// Makes this tab the one that guides its org (Okta's tabs only).
    fn claim(&mut self, fx: &mut Effects) {
        if self.org.is_some() && !self.on_microsoft {
            self.leading = true;
            fx.claim = true;
        }
    }

    fn step_changed(&mut self, now: f64, fx: &mut Effects) {
        self.step_began_at = now;
        // A move back that was pending belonged to the step left.
        self.settle = Settle::default();
        self.viewing = None;
        self.acted_on_mark = false;
        self.unsure_since = None;
        self.checkmarks_since = None;
        self.account_warning = None;
        self.search_for = None;
        self.skip_asked = false;
        fx.step_changed = true;
    }

    pub fn handle(&mut self, event: Event, now: f64) -> Effects {
        let mut fx = Effects::default();
        match event {
            Event::AdminActed => {
                self.acted_at = now;
                fx.look = true;
            }
            Event::Clicked { on_mark, on_test, on_save, on_reauthenticate } => {
                self.acted_at = now;
                if on_reauthenticate && self.progress.as_ref().is_some_and(|p| p.step.site() == Some(Site::Microsoft)) {
                    self.step_began_at = now;
                }
                self.focused(&mut fx);
                self.acted_on_mark |= on_mark;
                if on_mark && self.on_microsoft {
                    self.accept_clicked(now, &mut fx);
                }
                if on_test {
                    self.visit.test_clicked();
                }
                if on_save {
                    self.save_clicked(now, &mut fx);
                }
                fx.look = true;
            }
            Event::Typed { account } => {
                self.acted_at = now;
                if let Some(typed) = account {
                    self.account_typed(&typed);
                }
                fx.look = true;
            }
            Event::PageActed => {
                // From now on only the admin's next own action moves the flow forward.
                self.loaded_at = f64::NEG_INFINITY;
                self.acted_at = f64::NEG_INFINITY;
            }
            Event::Restored => {
                self.acted_at = now;
                self.restored = true;
                // It gave up its lease when it was hidden: the admin is back here.
                if self.progress.is_some() {
                    self.claim(&mut fx);
                }
                fx.look = true;
            }
            Event::Focused => self.focused(&mut fx),
            Event::Hidden => {
                // If it guided, another tab of the org (the opener of a pop-up) takes over.
                fx.release = self.org.is_some() && !self.on_microsoft && self.leading && self.progress.is_some();
            }
            Event::Card(action) => {
                self.act(action, now, &mut fx);
                fx.look = true;
            }
            Event::DiagnosticsRead(text) => {
                self.diagnostics = Some(text);
                fx.look = true;
            }
            Event::Copied(result) => {
                self.diagnostics_status = Some(match result {
                    Ok(()) => Text::new("ui_diagnostics_copied"),
                    Err(error) => Text::plain("ui_diagnostics_copy_failed", [error]),
                });
                fx.look = true;
            }
            Event::StoredProgress(Ok(stored)) => {
                self.adopt(stored, now, &mut fx);
                fx.look = true;
            }
            Event::StoredProgress(Err(error)) => {
                if let Some(org) = self.org.clone() {
                    self.progress = Some(reset_unreadable(&org, &error, now, &mut fx));
                }
                fx.look = true;
            }
            Event::StoredSettings(settings) => self.settings = settings,
            Event::Lease(holder) => {
                self.leading = self.on_microsoft || holder.is_none_or(|h| h == self.tab_id);
                fx.look = true;
            }
            Event::SaveFailed(error) => {
                self.storage_error = Some(error);
                fx.look = true;
            }
        }
        fx
    }

    /// The admin works in this tab: it guides, if another tab did.
    fn focused(&mut self, fx: &mut Effects) {
        if !self.leading && self.progress.is_some() {
            self.claim(fx);
            fx.look = true;
        }
    }

    /// Save counts only when the admin clicked it (at the check marks, it also confirms them).
    fn save_clicked(&mut self, now: f64, fx: &mut Effects) {
        let Some(progress) = self.progress.as_mut() else { return };
        if !matches!(progress.step, StepId::Save | StepId::Checkmarks) {
            return;
        }
        if progress.step == StepId::Checkmarks && self.checkmarks_since.is_some() && progress.confirm_check_marks(now) {
            self.transitions.record(now, Some(StepId::Checkmarks), Some(progress.step), Reason::CheckMarks, "save clicked");
        }
        let (step, saved) = (progress.step, progress.save_clicked);
        progress.save_clicked(now);
        if progress.save_clicked && !saved {
            self.transitions.record(now, Some(step), Some(step), Reason::SaveClicked, "");
        }
        fx.persist = true;
    }

    /// Recorded at once: the return page may close before its guide reads Microsoft's answer,
    /// and the pop-up's opener then has only this to go on.
    fn accept_clicked(&mut self, now: f64, fx: &mut Effects) {
        if let Some(progress) = self.progress.as_mut() {
            fx.persist |= progress.accept_clicked(now);
        }
    }

    /// Microsoft's account field: warn when it is not the account Okta's form names.
    fn account_typed(&mut self, typed: &str) {
        let Some(progress) = self.progress.as_mut() else { return };
        let expected = progress.expected_account.clone().unwrap_or_default();
        self.account_warning = flow::account_mismatch(&expected, typed)
            .then(|| Text::plain("ui_account_mismatch", [typed.trim().to_string(), expected]));
        if self.settings.record_account {
            // Kept in the progress record the next time it is saved (the next step).
            progress.account_used = Some(typed.trim().to_string()).filter(|a| !a.is_empty());
        }
    }

    fn act(&mut self, action: card::Action, now: f64, fx: &mut Effects) {
        use card::Action;
        match action {
            Action::GuideHere => return self.claim(fx),
            Action::Diagnostics => {
                // A snapshot: what the box shows is exactly what Copy copies.
                if self.diagnostics.take().is_none() {
                    fx.read_diagnostics = true;
                }
                self.diagnostics_status = None;
                return;
            }
            Action::CopyDiagnostics => {
                fx.copy = self.diagnostics.clone();
                return;
            }
            _ => {}
        }
        let Some(progress) = self.progress.as_mut() else { return };
        let from = progress.step;
        match action {
            Action::Back => {
                let shown = self.viewing.unwrap_or(progress.step).main_step();
                self.viewing = Some(shown.previous());
                return;
            }
            Action::Skip if self.viewing.is_some() => {
                self.viewing = None;
                return;
            }
            // The target is in sight and not yet clicked, or the check marks are not confirmed:
            // skipping would leave the integration half-done, so the card asks first.
            Action::Skip if self.state == GuideState::Highlighting || from == StepId::Checkmarks => {
                self.skip_asked = true;
                return;
            }
            Action::KeepStep => {
                self.skip_asked = false;
                return;
            }
            Action::Skip | Action::SkipAnyway | Action::Confirm => {
                progress.skip(now);
                let reason = if action == Action::Confirm { Reason::Confirm } else { Reason::Skip };
                self.transitions.record(now, Some(from), Some(progress.step), reason, "");
                self.step_changed(now, fx);
            }
            Action::Pause | Action::Resume => {
                let pause = action == Action::Pause;
                progress.set_paused(pause, now);
                self.transitions.record(now, Some(from), Some(from), if pause { Reason::Pause } else { Reason::Resume }, "");
            }
            Action::Close => {
                progress.dismissed = true;
                progress.notice = None;
            }
            Action::GuideHere | Action::Diagnostics | Action::CopyDiagnostics => return,
        }
        fx.persist = true;
    }

    /// Adopts a record changed elsewhere (the popup, another tab).
    fn adopt(&mut self, stored: Option<Progress>, now: f64, fx: &mut Effects) {
        if stored.as_ref() == self.progress.as_ref() {
            return;
        }
        // This guide's own earlier write coming back (saves are asynchronous): what it holds now
        // is newer, and is saved in its turn. Taking it would move the step back for a moment.
        if let (Some(stored), Some(current)) = (&stored, &self.progress) {
            if stored.updated_at <= current.updated_at {
                return;
            }
        }
        let (before, after) = (self.progress.as_ref().map(|p| p.step), stored.as_ref().map(|p| p.step));
        let moved = before != after;
        if moved {
            self.transitions.record(now, before, after, Reason::StoredChange, if stored.is_none() { "reset" } else { "" });
        }
        let reset_here = stored.is_none() && !self.on_microsoft && self.org.is_some();
        self.progress = match (stored, &self.org) {
            (Some(p), _) => Some(p),
            // Reset from the popup: start afresh on Okta, stay quiet on Microsoft.
            (None, Some(org)) if reset_here => Some(Progress::new(org, now)),
            (None, _) => None,
        };
        if moved {
            self.step_changed(now, fx);
        }
        // Saved at once, so that the popup shows the fresh start too.
        fx.persist |= reset_here;
    }

    /// A look begins: what to read.
    pub fn look(&mut self) -> Look {
        self.wake_at = None;
        match &self.progress {
            None => Look::Idle,
            Some(p) if p.paused || !self.leading || (p.step == StepId::Done && p.dismissed) => Look::Quiet,
            // The view the step leads to needs less evidence only once the admin clicked its
            // target (before that, To App's read-only form with its Edit link is not the
            // Integration form).
            Some(p) => Look::Read { expected: flow::expected_view(p.step).filter(|_| self.acted_on_mark), tested: self.visit.tested },
        }
    }

    /// Moves the flow to what the page shows; says what to look for on it. `target_shown` tells
    /// whether a step's target is on the page (an earlier step is gone back to only then).
    pub fn follow(&mut self, reading: Reading, now: f64, target_shown: &dyn Fn(StepId) -> bool) -> (Seek, Effects) {
        let mut fx = Effects::default();
        let mut observation = reading.observation;
        self.remember_form(&mut observation, reading.test_button, now);
        if let Some(progress) = &self.progress {
            observation.left_behind = flow::left_behind(progress.step, &observation, self.acted_at.max(self.loaded_at) > self.step_began_at);
        }
        self.screen = diagnostics::page_name(&observation);
        self.check_status = self.follow_page(&observation, reading.admin_username, now, target_shown, &mut fx);
        self.last = Some(observation);
        (self.seek(), fx)
    }

    /// Folds this look into the form visit: a success seen once still counts, and a form that
    /// keeps showing no credentials test is the OAuth-only one.
    fn remember_form(&mut self, observation: &mut Observation, has_test: bool, now: f64) {
        let view = match observation.page {
            Page::Okta(OktaPage::App { view, .. }) => view,
            _ => AppView::Other,
        };
        let remembered = self.visit.remember(view, observation.verification, observation.check_marks, has_test, now);
        observation.verification = remembered.verification;
        observation.check_marks = remembered.check_marks;
        observation.oauth_only = remembered.oauth_only;
        if let Some(at) = remembered.wake_at {
            self.wake(at);
        }
    }

    fn follow_page(&mut self, observation: &Observation, admin_username: Option<String>, t: f64, target_shown: &dyn Fn(StepId) -> bool, fx: &mut Effects) -> Option<(GuideState, Line)> {
        let mut progress = self.progress.take()?;
        let step_before = progress.step;
        let mut changed = false;
        let restored = std::mem::take(&mut self.restored);
        let shown = flow::step_shown(&progress, observation);
        let target_shown = |step| !observation.left_behind && target_shown(step);
        let mut outcome = Outcome::Same;
        if restored || shown.is_none_or(|shown| self.settle.ready(progress.step, shown, t)) {
            // What the page shows moves the flow forward only as the answer to the admin's own
            // action (or to the page load): one click may reveal more than one step. While the
            // admin is away at Microsoft, no window expires: the return is their doing.
            let acted = t - self.acted_at < ACTION_WINDOW_MS || t - self.loaded_at < FRESH_LOAD_MS || progress.step.hands_off_to_microsoft();
            let consented = progress.consented;
            outcome = progress.observe(observation, acted, t, &target_shown);
            changed = matches!(outcome, Outcome::Moved { .. }) || progress.consented != consented;
            if let Outcome::Moved { from, to } = outcome {
                self.transitions.record(t, Some(from), Some(to), Reason::Page, self.screen);
            }
        } else if let Some(at) = self.settle.deadline() {
            self.wake(at);
        }
        if outcome == Outcome::Unsure && self.acted_on_mark {
            self.unsure_since.get_or_insert(t);
        } else {
            self.unsure_since = None;
        }
        if progress.step.site() == Some(Site::Okta) {
            if let Some(username) = admin_username {
                if progress.expected_account.as_deref() != Some(username.as_str()) {
                    progress.expected_account = Some(username);
                    changed = true;
                }
            }
        }
        if progress.step != step_before {
            self.step_changed(t, fx);
            // A one-off notice (why progress was reset) has been seen once the admin moves on.
            progress.notice = None;
        }
        let mut check_status = None;
        if progress.step == StepId::Checkmarks && self.viewing.is_none() {
            let confirmed = observation.verification == Verification::Success && observation.check_marks >= flow::REQUIRED_CHECK_MARKS;
            if !confirmed {
                self.checkmarks_since = None;
                let count = observation.check_marks.min(flow::REQUIRED_CHECK_MARKS);
                let mut status = vec![Text::plain("ui_checkmarks_count", [count.to_string()])];
                // One shown: say which is missing and what to do (the success message tells them
                // apart: with it, the test passed and the authentication's mark is the one missing).
                if count + 1 == flow::REQUIRED_CHECK_MARKS {
                    let success = observation.verification == Verification::Success;
                    status.push(Text::new(if success { "ui_checkmark_missing_auth" } else { "ui_checkmark_missing_test" }));
                }
                check_status = Some((GuideState::Waiting, status));
            } else {
                let since = *self.checkmarks_since.get_or_insert(t);
                if t - since >= CONFIRM_DWELL_MS {
                    progress.confirm_check_marks(t);
                    self.transitions.record(t, Some(StepId::Checkmarks), Some(progress.step), Reason::CheckMarks, "both shown");
                    self.step_changed(t, fx);
                    changed = true;
                } else {
                    self.wake(since + CONFIRM_DWELL_MS);
                    check_status = Some((GuideState::Done, vec![Text::new("ui_checkmarks_confirmed")]));
                }
            }
        }
        self.progress = Some(progress);
        fx.persist |= changed;
        check_status
    }

    fn shown_step(&self) -> Option<StepId> {
        self.progress.as_ref().map(|p| self.viewing.unwrap_or(p.step))
    }

    fn unsure_for(&self, now: f64) -> Option<f64> {
        self.unsure_since.filter(|_| self.viewing.is_none()).map(|since| now - since)
    }

    fn seek(&self) -> Seek {
        let step = self.shown_step().unwrap_or(StepId::Applications);
        let first_label = step.targets().first().map_or("", |t| t.label);
        let what = if self.unsure_since.is_some() && self.viewing.is_none() {
            // The admin acted and the page cannot be placed: the old target is not marked again.
            Seeking::Nothing { label: first_label }
        } else if step.site() == Some(Site::Microsoft) && !self.on_microsoft {
            // Microsoft's targets are not looked for on Okta's pages (its password field is not
            // Okta's Admin Password).
            Seeking::Nothing { label: "" }
        } else if step == StepId::Checkmarks {
            Seeking::CheckMarks
        } else {
            Seeking::Targets
        };
        Seek { step, what, count_instances: step == StepId::FindApp, evidence: matches!(step, StepId::Checkmarks | StepId::Save) }
    }

    fn diagnostics_view(&self) -> Option<DiagnosticsView> {
        self.diagnostics.as_ref().map(|text| DiagnosticsView { text: text.clone(), status: self.diagnostics_status.clone() })
    }

    /// What the page shows of the guide after a look (`found`: what the edge found for the
    /// last `Seek`; `None` for a quiet or idle look).
    pub fn view(&mut self, found: Option<Found>, now: f64) -> View {
        let Some(progress) = self.progress.clone() else {
            self.state = GuideState::Idle;
            return View { step: None, state: GuideState::Idle, card: None, dim: true };
        };
        let dim = progress.step != StepId::Checkmarks;
        if progress.paused || !self.leading {
            self.state = if self.leading { GuideState::Paused } else { GuideState::OtherTab };
            let card = card::pill_card(self.leading, self.diagnostics_view());
            return View { step: Some(progress.step), state: self.state, card: Some(card), dim };
        }
        if progress.step == StepId::Done && progress.dismissed {
            self.state = GuideState::Idle;
            return View { step: Some(StepId::Done), state: GuideState::Idle, card: None, dim };
        }
        let step = self.viewing.unwrap_or(progress.step);
        let found = found.unwrap_or(Found { label: "", found: false, instances: 0 });
        if self.search_for != Some((step, found.label)) {
            self.search_for = Some((step, found.label));
            self.search_started = now;
        }
        let observation = self.last.unwrap_or_else(|| Observation::okta(OktaPage::Other));
        let unsure_for = self.unsure_for(now);
        let target = Arg::Message(found.label);
        let microsoft_elsewhere = step.site() == Some(Site::Microsoft) && !self.on_microsoft;
        let (state, status) = match (step, self.check_status.clone()) {
            _ if unsure_for.is_some_and(|ms| ms < UNSURE_AFTER_MS) => {
                self.wake(self.unsure_since.unwrap_or(now) + UNSURE_AFTER_MS);
                (GuideState::Waiting, vec![Text::new("ui_waiting")])
            }
            _ if unsure_for.is_some() => {
                let next = step.main_step().next().texts().title;
                (GuideState::Unsure, vec![Text::with("ui_unsure", [Arg::Message(next)])])
            }
            (StepId::Done, _) => (GuideState::Done, vec![Text::plain("ui_done_time", [done_minutes(&progress).to_string()])]),
            (StepId::Checkmarks, Some(status)) if self.viewing.is_none() => status,
            _ if found.found => (GuideState::Highlighting, Vec::new()),
            // The admin is at Microsoft in a pop-up: this tab waits for the form to update.
            _ if microsoft_elsewhere => (GuideState::Waiting, vec![Text::new("ui_at_microsoft")]),
            // Microsoft asks something with nothing to point at (MFA approval, number matching):
            // the admin answers it; the guide waits and never calls it "not found".
            (StepId::MicrosoftSignIn, _) if observation.waiting || now - self.search_started >= NOT_FOUND_MS => {
                (GuideState::Waiting, vec![Text::new("ui_microsoft_waits")])
            }
            _ if now - self.search_started >= NOT_FOUND_MS => {
                (GuideState::NotFound, vec![Text::with("ui_not_found", [target]), Text::new(step.texts().look_for)])
            }
            _ => {
                self.wake(self.search_started + NOT_FOUND_MS);
                (GuideState::Searching, vec![Text::with("ui_searching", [target])])
            }
        };
        self.state = state;
        let notice = progress.notice.as_deref().and_then(|n| NOTICE_KEYS.iter().copied().find(|k| *k == n));
        let warning = self
            .storage_error
            .as_ref()
            .map(|e| Text::plain("notice_storage_failed", [e.clone()]))
            .or_else(|| notice.map(Text::new))
            .or_else(|| self.account_warning.clone());
        let card = card::step_card(Situation {
            step,
            state,
            status,
            expected_account: progress.expected_account.as_deref(),
            instances: found.instances,
            advice: observation.code.and_then(recognize::advice_for),
            oauth_only: step == StepId::Save && observation.oauth_only,
            warning,
            diagnostics: self.diagnostics_view(),
            skip_asked: self.skip_asked && self.viewing.is_none(),
            confirmed_at: progress.check_marks_confirmed_at(),
            summary: (step == StepId::Done).then(|| card::Summary {
                org: &progress.org,
                account: progress.account_used.as_deref(),
            }),
        });
        View { step: Some(step), state, card: Some(card), dim }
    }
}

#[cfg(test)]
mod tests;
