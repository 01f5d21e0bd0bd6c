//! The in-page guide: reads the page, runs the flow, marks the target and draws the card.
//! One instance per page, driven by the observers in `observers.rs`.

use super::dom;
use super::ext;
use super::overlay::{Action, CardContent, DiagnosticsBox, Overlay};
use super::storage;
use crate::flow::{self, AppView, OktaPage, Outcome, Page, Settle, Verification};
use crate::diagnostics::{Reason, Transitions};
use crate::layout::Rect;
use crate::progress::{Progress, StoredError};
use crate::recognize::{self, FormVisit};
use crate::roadmap::{self, StepId, STEP_COUNT};
use crate::settings::Settings;
use wasm_bindgen::JsCast;
use web_sys::Element;

macro_rules! step_attr {
    () => {
        "data-reauth-step"
    };
}
/// Marker on the element currently highlighted (the test contract).
pub const STEP_ATTR: &str = step_attr!();
/// Selects the marked elements.
const STEP_SELECTOR: &str = concat!("[", step_attr!(), "]");
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

/// What the guide's root element says it is doing (`data-state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideState {
    Idle,
    Searching,
    Highlighting,
    Waiting,
    Done,
    NotFound,
    Paused,
    /// Another tab of the same org guides.
    OtherTab,
    /// The admin acted and the page shows something the guide cannot place.
    Unsure,
}

impl GuideState {
    fn as_str(self) -> &'static str {
        match self {
            GuideState::Idle => "idle",
            GuideState::Searching => "searching",
            GuideState::Highlighting => "highlighting",
            GuideState::Waiting => "waiting",
            GuideState::Done => "done",
            GuideState::NotFound => "not-found",
            GuideState::Paused => "paused",
            GuideState::OtherTab => "other-tab",
            GuideState::Unsure => "unsure",
        }
    }
}

pub struct Guide {
    pub org: Option<String>,
    pub progress: Option<Progress>,
    pub settings: Settings,
    /// This page's id for the one-tab-guides lease.
    pub tab_id: String,
    /// Whether this tab guides the org (false while another tab of the same org does).
    pub leading: bool,
    /// Whether this page takes part in the one-tab-guides lease: Okta tabs do; Microsoft's pages
    /// guide without taking it from the tab the admin comes back to.
    follows_lease: bool,
    pub overlay: Overlay,
    /// Elements carrying the step marker now.
    highlighted: Vec<Element>,
    /// What the card must not cover (the target's form, the step's evidence).
    keep: Vec<Element>,
    /// Fields the admin typed into during this step.
    typed: Vec<Element>,
    /// When the admin last clicked, pressed a key, typed or went back/forward (trusted events).
    acted_at: f64,
    loaded_at: f64,
    settle: Settle,
    /// When the search for the current target began.
    search_started: f64,
    search_for: Option<(StepId, &'static str)>,
    checkmarks_since: Option<f64>,
    /// Back: the card shows an earlier step without changing progress.
    viewing: Option<StepId>,
    account_warning: Option<String>,
    storage_error: Option<String>,
    announced: Option<String>,
    /// The page came back from the back/forward cache: it shows a finished page, so the next look
    /// is followed without waiting for it to settle.
    restored: bool,
    /// The page's CSS zoom on `<html>`, read at each look (not at each draw).
    zoom: f64,
    /// When the next look is due for a timer-driven change (not-found, settle, dwell).
    pub wake_at: Option<f64>,
    /// What the Integration form showed during this visit (a success that hid itself).
    visit: FormVisit,
    /// The admin clicked the marked element during this step.
    acted_on_mark: bool,
    /// Since when the page could not be placed (while the admin has acted on the marked element).
    unsure_since: Option<f64>,
    /// The flow's last transitions with their reasons, for diagnostics (memory only).
    transitions: Transitions,
    /// What the last look gave the recognizer, and the screen it named.
    facts: dom::Facts,
    screen: &'static str,
    /// What the card showed last.
    state: GuideState,
    /// The diagnostics box is open with this text (exactly what Copy copies), and what Copy said.
    diagnostics: Option<String>,
    diagnostics_status: String,
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn on_microsoft() -> bool {
    dom::document().location().and_then(|l| l.hostname().ok()).as_deref() == Some(dom::MICROSOFT_HOST)
}

fn msg(key: &str) -> String {
    ext::message(key, &[])
}

/// A step's own message, `step_<stem>_<part>` (title, body, why, lookfor).
fn step_msg(stem: &str, part: &str) -> String {
    msg(&format!("step_{stem}_{part}"))
}

impl Guide {
    /// A guide with no progress yet: `content` fills it in once storage answers.
    pub fn new(overlay: Overlay, org: Option<String>) -> Guide {
        Guide {
            org,
            progress: None,
            settings: Settings::default(),
            tab_id: format!("tab-{}", (js_sys::Math::random() * 1e15) as u64),
            leading: true,
            follows_lease: follows_lease(),
            overlay,
            highlighted: Vec::new(),
            keep: Vec::new(),
            typed: Vec::new(),
            acted_at: f64::NEG_INFINITY,
            loaded_at: now(),
            settle: Settle::default(),
            search_started: now(),
            search_for: None,
            checkmarks_since: None,
            viewing: None,
            account_warning: None,
            storage_error: None,
            announced: None,
            restored: false,
            zoom: 1.0,
            wake_at: None,
            visit: FormVisit::default(),
            acted_on_mark: false,
            unsure_since: None,
            transitions: Transitions::default(),
            facts: dom::Facts::None,
            screen: "",
            state: GuideState::Idle,
            diagnostics: None,
            diagnostics_status: String::new(),
        }
    }

    /// Replaces a record that could not be read, telling the admin why.
    pub fn reset_unreadable(org: &str, error: &StoredError) -> Progress {
        web_sys::console::warn_1(&format!("[o365-reauth-guide] stored progress for {org} reset: {}", error.describe()).into());
        let mut fresh = Progress::new(org, now());
        fresh.notice = Some(error.notice_key().to_string());
        fresh
    }

    pub fn persist(&mut self) {
        let Some(progress) = self.progress.clone() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = storage::save(&progress).await {
                let text = ext::describe_error(&error);
                web_sys::console::error_1(&format!("[o365-reauth-guide] could not save progress: {text}").into());
                super::content::with_guide(|guide| {
                    guide.storage_error = Some(text);
                });
                super::observers::schedule(true);
            }
        });
    }

    /// A trusted click, key press or input somewhere in the page.
    pub fn admin_action(&mut self) {
        self.acted_at = now();
    }

    /// Back or forward brought this page back from the back/forward cache.
    pub fn page_restored(&mut self) {
        self.acted_at = now();
        self.restored = true;
        // It gave up its lease when it was hidden: the admin is back here.
        if self.progress.is_some() {
            self.claim();
        }
    }

    /// A page script clicked or typed (an untrusted event): from now on only the admin's next
    /// own action moves the flow forward.
    pub fn page_acted(&mut self) {
        self.loaded_at = f64::NEG_INFINITY;
        self.acted_at = f64::NEG_INFINITY;
    }

    /// A trusted click: on the marked element (the page should now move on), on Test API
    /// Credentials (a new test), on Save (counts only when the admin clicked it).
    pub fn clicked(&mut self, target: &Element) {
        if self.highlighted.iter().any(|marked| marked.contains(Some(target))) {
            self.acted_on_mark = true;
        }
        if dom::locate(&roadmap::TEST_API, &[]).iter().any(|button| button.contains(Some(target))) {
            self.visit.test_clicked();
        }
        let Some(progress) = self.progress.as_mut() else { return };
        if !matches!(progress.step, StepId::Save | StepId::Checkmarks) {
            return;
        }
        let on_save = dom::locate(&roadmap::SAVE, &[]).iter().any(|save| save.contains(Some(target)));
        if !on_save {
            return;
        }
        let t = now();
        if progress.step == StepId::Checkmarks && self.checkmarks_since.is_some() && progress.confirm_check_marks(t) {
            self.transitions.record(t, Some(StepId::Checkmarks), Some(progress.step), Reason::CheckMarks, "save clicked");
        }
        let (step, saved) = (progress.step, progress.save_clicked);
        progress.save_clicked(t);
        if progress.save_clicked && !saved {
            self.transitions.record(t, Some(step), Some(step), Reason::SaveClicked, "");
        }
        self.persist();
    }

    /// The admin typed into a field (its value is read only for the Microsoft account name).
    pub fn typed_into(&mut self, field: &Element) {
        if !self.typed.iter().any(|f| f == field) {
            self.typed.push(field.clone());
        }
        let is_account = roadmap::MS_ACCOUNT.names.iter().any(|n| field.get_attribute("name").as_deref() == Some(n))
            || roadmap::MS_ACCOUNT.ids.contains(&field.id().as_str());
        if !is_account {
            return;
        }
        if !field.tag_name().eq_ignore_ascii_case("input") {
            return;
        }
        let input = field.unchecked_ref::<web_sys::HtmlInputElement>();
        let Some(progress) = self.progress.as_mut() else { return };
        let expected = progress.expected_account.clone().unwrap_or_default();
        let typed = input.value();
        self.account_warning = flow::account_mismatch(&expected, &typed)
            .then(|| ext::message("ui_account_mismatch", &[typed.trim(), &expected]));
        if self.settings.record_account {
            // Kept in the progress record the next time it is saved (the next step).
            progress.account_used = Some(typed.trim().to_string()).filter(|a| !a.is_empty());
        }
    }

    /// Makes this tab the one that guides its org (the admin is working here).
    pub fn claim(&mut self) {
        let Some(org) = self.org.clone().filter(|_| self.follows_lease) else { return };
        self.leading = true;
        let tab = self.tab_id.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = storage::claim_lease(&org, &tab).await {
                web_sys::console::warn_1(&error);
            }
        });
    }

    /// The page goes away: if it guided, another tab of the org (the opener of a pop-up) takes over.
    pub fn release(&mut self) {
        let Some(org) = self.org.clone().filter(|_| self.follows_lease && self.leading && self.progress.is_some()) else { return };
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = storage::release_lease(&org).await {
                web_sys::console::warn_1(&error);
            }
        });
    }

    /// The lease changed: another tab of this org may guide now.
    pub fn lease_changed(&mut self, holder: Option<String>) {
        self.leading = !self.follows_lease || holder.is_none_or(|h| h == self.tab_id);
    }

    pub fn act(&mut self, action: Action) {
        match action {
            Action::GuideHere => return self.claim(),
            Action::Diagnostics => {
                // A snapshot: what the box shows is exactly what Copy copies.
                if self.diagnostics.take().is_none() {
                    self.diagnostics = Some(self.diagnostics_text());
                }
                self.diagnostics_status.clear();
                return;
            }
            Action::CopyDiagnostics => return self.copy_diagnostics(),
            _ => {}
        }
        let t = now();
        let Some(progress) = self.progress.as_mut() else { return };
        let from = progress.step;
        match action {
            Action::Back => {
                let from = self.viewing.unwrap_or(progress.step).main_step();
                self.viewing = Some(from.previous());
            }
            Action::Skip if self.viewing.is_some() => self.viewing = None,
            Action::Skip | Action::Confirm => {
                progress.skip(t);
                let reason = if action == Action::Skip { Reason::Skip } else { Reason::Confirm };
                self.transitions.record(t, Some(from), Some(progress.step), reason, "");
                self.step_changed();
            }
            Action::Pause => {
                progress.set_paused(true, t);
                self.transitions.record(t, Some(from), Some(from), Reason::Pause, "");
            }
            Action::Resume => {
                progress.set_paused(false, t);
                self.transitions.record(t, Some(from), Some(from), Reason::Resume, "");
            }
            Action::Close => {
                progress.dismissed = true;
                progress.notice = None;
            }
            // Handled above: they change neither the progress nor what is stored.
            Action::GuideHere | Action::Diagnostics | Action::CopyDiagnostics => return,
        }
        self.persist();
    }

    /// What the diagnostics box shows: the report read off the page now.
    fn diagnostics_text(&self) -> String {
        let engine = self.overlay.host.get_attribute("data-engine").unwrap_or_default();
        let snapshot = super::diagnostics::Snapshot {
            engine: &engine,
            org: self.org.as_deref(),
            step: self.progress.as_ref().map(|p| p.step),
            state: self.state.as_str(),
            screen: self.screen,
            facts: &self.facts,
            transitions: self.transitions.list(),
            typed: &self.typed,
        };
        let clock = web_sys::window().and_then(|w| w.performance());
        let started = clock.as_ref().map_or(0.0, web_sys::Performance::now);
        let text = super::diagnostics::page_text(&snapshot).unwrap_or_else(|error| ext::message("ui_diagnostics_failed", &[&ext::describe_error(&error)]));
        // What a copy costs the page (the bench reads it); numbers handed over unformatted.
        let took = clock.as_ref().map_or(0.0, web_sys::Performance::now) - started;
        web_sys::console::debug_3(&"[o365-reauth-guide] diagnostics read in ms, characters:".into(), &took.into(), &(text.len() as f64).into());
        text
    }

    /// Copies the box's text on the admin's click; the card then says whether it worked.
    fn copy_diagnostics(&mut self) {
        let Some(text) = self.diagnostics.clone() else { return };
        // Asked for now, inside the click: the clipboard is the admin's to give.
        let written = super::diagnostics::copy(&text);
        wasm_bindgen_futures::spawn_local(async move {
            let status = match written {
                Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.map(drop),
                Err(error) => Err(error),
            };
            let status = match status {
                Ok(()) => msg("ui_diagnostics_copied"),
                Err(error) => ext::message("ui_diagnostics_copy_failed", &[&ext::describe_error(&error)]),
            };
            super::content::with_guide(|guide| guide.diagnostics_status = status);
            super::observers::schedule(true);
        });
    }

    /// "Copy diagnostics" on the card, and its box when open.
    fn diagnostics_parts(&self) -> (String, Option<DiagnosticsBox>) {
        let label = msg(if self.diagnostics.is_some() { "ui_diagnostics_hide" } else { "ui_diagnostics" });
        let open = self.diagnostics.as_ref().map(|text| DiagnosticsBox {
            label: msg("ui_diagnostics_label"),
            intro: msg("ui_diagnostics_intro"),
            text: text.clone(),
            copy: msg("ui_diagnostics_copy"),
            status: self.diagnostics_status.clone(),
        });
        (label, open)
    }

    /// Adopts a record changed elsewhere (the popup, another tab).
    pub fn adopt(&mut self, stored: Option<Progress>) {
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
            self.transitions.record(now(), before, after, Reason::StoredChange, if stored.is_none() { "reset" } else { "" });
        }
        let reset_here = stored.is_none() && !on_microsoft() && self.org.is_some();
        self.progress = match (stored, &self.org) {
            (Some(p), _) => Some(p),
            // Reset from the popup: start afresh on Okta, stay quiet on Microsoft.
            (None, Some(org)) if reset_here => Some(Progress::new(org, now())),
            (None, _) => None,
        };
        if moved {
            self.step_changed();
        }
        if reset_here {
            // Saved at once, so that the popup shows the fresh start too.
            self.persist();
        }
    }

    fn step_changed(&mut self) {
        self.viewing = None;
        self.acted_on_mark = false;
        self.unsure_since = None;
        self.typed.clear();
        self.checkmarks_since = None;
        self.account_warning = None;
        self.search_for = None;
    }

    /// Reads the page, moves the flow, marks the target and renders the card.
    pub fn tick(&mut self) {
        self.wake_at = None;
        let Some(progress) = &self.progress else {
            self.unmark();
            self.overlay.set_marker(None, GuideState::Idle.as_str());
            return;
        };
        if progress.paused || !self.leading {
            let step = progress.step;
            self.unmark();
            let (state, title, action) = if self.leading {
                (GuideState::Paused, msg("ui_paused"), (Action::Resume, msg("ui_resume")))
            } else {
                (GuideState::OtherTab, msg("ui_other_tab"), (Action::GuideHere, msg("ui_guide_here")))
            };
            self.overlay.set_marker(Some(step.as_str()), state.as_str());
            self.state = state;
            let (link, diagnostics) = self.diagnostics_parts();
            let content = CardContent { title, actions: vec![action], compact: true, diagnostics_link: Some(link), diagnostics, ..CardContent::default() };
            let _ = self.overlay.render(&content);
            self.overlay.card().set_hidden(false);
            self.draw();
            return;
        }
        if progress.step == StepId::Done && progress.dismissed {
            self.unmark();
            self.overlay.set_marker(Some(StepId::Done.as_str()), GuideState::Idle.as_str());
            self.overlay.card().set_hidden(true);
            self.draw();
            return;
        }
        self.overlay.card().set_hidden(false);
        // The view the step leads to needs less evidence only once the admin clicked its target
        // (before that, To App's read-only form with its Edit link is not the Integration form).
        let expected = flow::expected_view(progress.step).filter(|_| self.acted_on_mark);
        let mut seen = dom::observe(expected, self.visit.tested);
        self.remember_form(&mut seen);
        self.screen = crate::diagnostics::page_name(&seen.observation);
        self.facts = std::mem::take(&mut seen.facts);
        let check_status = self.follow_page(&seen);
        self.show(check_status, seen);
    }

    /// Folds this look into the form visit: a success seen once still counts, and a form that
    /// keeps showing no credentials test is the OAuth-only one.
    fn remember_form(&mut self, seen: &mut dom::Seen) {
        let observation = &mut seen.observation;
        let view = match observation.page {
            Page::Okta(OktaPage::App { view, .. }) => view,
            _ => AppView::Other,
        };
        let remembered = self.visit.remember(view, observation.verification, observation.check_marks, seen.test_button.is_some(), now());
        observation.verification = remembered.verification;
        observation.check_marks = remembered.check_marks;
        observation.oauth_only = remembered.oauth_only;
        if let Some(at) = remembered.wake_at {
            self.wake_at = Some(self.wake_at.map_or(at, |w| w.min(at)));
        }
    }

    /// Moves the flow to what the page shows; returns the check-mark status while on that step.
    fn follow_page(&mut self, seen: &dom::Seen) -> Option<(GuideState, String)> {
        let t = now();
        let mut progress = self.progress.take()?;
        let observation = &seen.observation;
        let step_before = progress.step;
        let mut changed = false;
        let restored = std::mem::take(&mut self.restored);
        let shown = flow::step_shown(&progress, observation);
        let mut outcome = Outcome::Same;
        if restored || shown.is_none_or(|shown| self.settle.ready(progress.step, shown, t)) {
            // What the page shows moves the flow forward only as the answer to the admin's own
            // action (or to the page load): one click may reveal more than one step. While the
            // admin is away at Microsoft, no window expires: the return is their doing.
            let acted = t - self.acted_at < ACTION_WINDOW_MS || t - self.loaded_at < FRESH_LOAD_MS || progress.step.hands_off_to_microsoft();
            let consented = progress.consented;
            let typed = &self.typed;
            outcome = progress.observe(observation, acted, t, &|step| dom::target_shown(step, typed));
            changed = matches!(outcome, Outcome::Moved { .. }) || progress.consented != consented;
            if let Outcome::Moved { from, to } = outcome {
                self.transitions.record(t, Some(from), Some(to), Reason::Page, self.screen);
            }
        } else {
            self.wake_at = self.settle.deadline();
        }
        if outcome == Outcome::Unsure && self.acted_on_mark {
            self.unsure_since.get_or_insert(t);
        } else {
            self.unsure_since = None;
        }
        if progress.step.site() == Some(roadmap::Site::Okta) {
            if let Some(username) = seen.test_button.as_ref().and_then(dom::admin_username) {
                if progress.expected_account.as_deref() != Some(username.as_str()) {
                    progress.expected_account = Some(username);
                    changed = true;
                }
            }
        }
        if progress.step != step_before {
            self.step_changed();
            // A one-off notice (why progress was reset) has been seen once the admin moves on.
            progress.notice = None;
        }
        let mut check_status = None;
        if progress.step == StepId::Checkmarks && self.viewing.is_none() {
            let confirmed = observation.verification == Verification::Success
                && observation.check_marks >= flow::REQUIRED_CHECK_MARKS;
            if !confirmed {
                self.checkmarks_since = None;
                let count = observation.check_marks.min(flow::REQUIRED_CHECK_MARKS).to_string();
                check_status = Some((GuideState::Waiting, ext::message("ui_checkmarks_count", &[&count])));
            } else {
                let since = *self.checkmarks_since.get_or_insert(t);
                if t - since >= CONFIRM_DWELL_MS {
                    progress.confirm_check_marks(t);
                    self.transitions.record(t, Some(StepId::Checkmarks), Some(progress.step), Reason::CheckMarks, "both shown");
                    self.step_changed();
                    changed = true;
                } else {
                    self.wake_at = Some(since + CONFIRM_DWELL_MS);
                    check_status = Some((GuideState::Done, msg("ui_checkmarks_confirmed")));
                }
            }
        }
        self.progress = Some(progress);
        if changed {
            self.persist();
        }
        check_status
    }

    fn unmark(&mut self) {
        self.keep.clear();
        for element in self.highlighted.drain(..) {
            let _ = element.remove_attribute(STEP_ATTR);
        }
    }

    fn mark(&mut self, elements: Vec<Element>, step: StepId) {
        let fresh = elements.first().is_some_and(|e| !self.highlighted.contains(e));
        for old in &self.highlighted {
            if !elements.contains(old) {
                let _ = old.remove_attribute(STEP_ATTR);
            }
        }
        for element in &elements {
            if element.get_attribute(STEP_ATTR).as_deref() != Some(step.as_str()) {
                let _ = element.set_attribute(STEP_ATTR, step.as_str());
            }
        }
        if fresh {
            scroll_into_view(&elements[0]);
        }
        self.highlighted = elements;
    }

    /// The first of the step's targets that is on the page, with its label.
    fn locate(&self, step: StepId) -> (Vec<Element>, &'static str) {
        let targets = step.targets();
        match dom::locate_first(targets, &self.typed) {
            Some((found, i)) => (found, targets[i].label),
            None => (Vec::new(), targets.first().map(|t| t.label).unwrap_or("")),
        }
    }

    fn show(&mut self, check_status: Option<(GuideState, String)>, seen: dom::Seen) {
        let t = now();
        let Some(progress) = self.progress.clone() else { return };
        let step = self.viewing.unwrap_or(progress.step);
        let observation = seen.observation;
        let unsure_for = self.unsure_since.filter(|_| self.viewing.is_none()).map(|since| t - since);
        let seen_marks = if matches!(step, StepId::Checkmarks | StepId::Save) { seen.check_marks.clone().unwrap_or_default() } else { Vec::new() };
        let (elements, label) = match step {
            // The admin acted and the page cannot be placed: the old target is not marked again.
            _ if unsure_for.is_some() => (Vec::new(), step.targets().first().map(|t| t.label).unwrap_or("")),
            // Microsoft's targets are not looked for on Okta's pages (its password field is not
            // Okta's Admin Password).
            _ if step.site() == Some(roadmap::Site::Microsoft) && !on_microsoft() => (Vec::new(), ""),
            StepId::Checkmarks => (seen.into_check_marks(), ""),
            _ => self.locate(step),
        };
        if self.search_for != Some((step, label)) {
            self.search_for = Some((step, label));
            self.search_started = t;
        }
        let found = !elements.is_empty();
        let instances = if step == StepId::FindApp { dom::locate(&roadmap::OFFICE365_INSTANCES, &[]).len() } else { 0 };
        // At the check marks and at Save, the success message and the marks are the evidence.
        let evidence = if matches!(step, StepId::Checkmarks | StepId::Save) {
            let mut evidence = dom::message_elements();
            evidence.extend(seen_marks);
            evidence
        } else {
            Vec::new()
        };
        self.keep = dom::keep_visible(&elements, &evidence);
        self.mark(elements, step);
        self.zoom = dom::page_zoom();

        let target_name = msg(label);
        let (state, status) = match (step, check_status) {
            _ if unsure_for.is_some_and(|ms| ms < UNSURE_AFTER_MS) => {
                let at = self.unsure_since.unwrap_or(t) + UNSURE_AFTER_MS;
                self.wake_at = Some(self.wake_at.map_or(at, |w| w.min(at)));
                (GuideState::Waiting, msg("ui_waiting"))
            }
            _ if unsure_for.is_some() => {
                let next = step_msg(step.main_step().next().message_stem(), "title");
                (GuideState::Unsure, ext::message("ui_unsure", &[&next]))
            }
            (StepId::Done, _) => {
                let minutes = progress.duration_ms().map(|ms| (ms / 60_000.0).ceil().max(1.0) as u64).unwrap_or(0);
                (GuideState::Done, ext::message("ui_done_time", &[&minutes.to_string()]))
            }
            (StepId::Checkmarks, Some(status)) => status,
            _ if found => (GuideState::Highlighting, String::new()),
            // The admin is at Microsoft in a pop-up: this tab waits for the form to update.
            _ if step.site() == Some(roadmap::Site::Microsoft) && !on_microsoft() => (GuideState::Waiting, msg("ui_at_microsoft")),
            // Microsoft asks something with nothing to point at (MFA approval, number matching):
            // the admin answers it; the guide waits and never calls it "not found".
            (StepId::MicrosoftSignIn, _) if observation.waiting || t - self.search_started >= NOT_FOUND_MS => {
                (GuideState::Waiting, msg("ui_microsoft_waits"))
            }
            _ if t - self.search_started >= NOT_FOUND_MS => {
                let look_for = step_msg(step.message_stem(), "lookfor");
                (GuideState::NotFound, format!("{} {}", ext::message("ui_not_found", &[&target_name]), look_for))
            }
            _ => {
                let deadline = self.search_started + NOT_FOUND_MS;
                self.wake_at = Some(self.wake_at.map_or(deadline, |w| w.min(deadline)));
                (GuideState::Searching, ext::message("ui_searching", &[&target_name]))
            }
        };
        self.overlay.set_marker(Some(step.as_str()), state.as_str());
        self.state = state;

        let stem = step.message_stem();
        let mut notes = Vec::new();
        if step == StepId::Applications {
            notes.push(msg("ui_prepare_title"));
            notes.extend(["ui_prepare_coworkers", "ui_prepare_hours", "ui_prepare_credentials"].map(msg));
        }
        if step == StepId::FindApp && instances > 1 {
            notes.push(ext::message("ui_instances_hint", &[&instances.to_string()]));
        }
        if step == StepId::MicrosoftSignIn {
            if let Some(account) = &progress.expected_account {
                notes.push(ext::message("ui_account_expected", &[account]));
            }
        }
        if let Some(advice) = observation.code.and_then(recognize::advice_for) {
            notes.push(msg(advice));
        }
        if step == StepId::Save && observation.oauth_only {
            notes.push(msg("ui_oauth_only"));
        }
        let warning = self
            .storage_error
            .as_ref()
            .map(|e| ext::message("notice_storage_failed", &[e]))
            .or_else(|| progress.notice.as_deref().map(msg))
            .or_else(|| self.account_warning.clone());
        let mut actions = Vec::new();
        if state == GuideState::Unsure {
            actions.push((Action::Confirm, msg("ui_done_this")));
            actions.push((Action::Pause, msg("ui_pause")));
        } else if step == StepId::Done {
            actions.push((Action::Close, msg("ui_close")));
        } else {
            if step.rank() > 0 {
                actions.push((Action::Back, msg("ui_back")));
            }
            actions.push((Action::Pause, msg("ui_pause")));
            actions.push((Action::Skip, msg("ui_skip")));
        }
        let (diagnostics_label, diagnostics) = self.diagnostics_parts();
        // Where the guide is lost, the way to tell us why is among the card's own actions.
        let diagnostics_link = if matches!(state, GuideState::NotFound | GuideState::Unsure) {
            actions.insert(0, (Action::Diagnostics, diagnostics_label));
            None
        } else {
            Some(diagnostics_label)
        };
        let progress_text = if step == StepId::Done {
            String::new()
        } else {
            ext::message("ui_step_of", &[&(step.rank() + 1).to_string(), &STEP_COUNT.to_string()])
        };
        let (title, body) = if state == GuideState::Unsure {
            (msg("ui_unsure_title"), String::new())
        } else {
            (step_msg(stem, "title"), step_msg(stem, "body"))
        };
        let content = CardContent {
            progress: progress_text,
            title,
            body,
            why: format!("{} {}", msg("ui_why"), step_msg(stem, "why")),
            notes,
            warning,
            status,
            actions,
            compact: false,
            diagnostics_link,
            diagnostics,
        };
        let mut announcement = format!("{} {}. {}", content.progress, content.title, content.body);
        if matches!(state, GuideState::NotFound | GuideState::Unsure) {
            announcement = format!("{announcement} {}", content.status);
        }
        if self.announced.as_deref() != Some(announcement.as_str()) {
            self.overlay.announce(&announcement);
            self.announced = Some(announcement);
        }
        let _ = self.overlay.render(&content);
        self.draw();
    }

    /// Places the overlay over the current targets: cheap, run on every scroll and resize.
    pub fn draw(&mut self) {
        if self.highlighted.iter().any(|e| !e.is_connected()) {
            // The page replaced the element: find it again on the next look.
            super::observers::schedule(true);
        }
        let Some(window) = web_sys::window() else { return };
        // A page zooming <html> would zoom the overlay too: it is counter-zoomed, and drawn in
        // the viewport's own pixels.
        let zoom = self.zoom;
        self.overlay.set_zoom(zoom);
        let root = dom::document().document_element().filter(|_| zoom == 1.0);
        let viewport = root
            .map(|r| (f64::from(r.client_width()), f64::from(r.client_height())))
            .filter(|(w, h)| *w > 0.0 && *h > 0.0)
            .unwrap_or_else(|| {
                (
                    window.inner_width().ok().and_then(|v| v.as_f64()).unwrap_or(0.0),
                    window.inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(0.0),
                )
            });
        let rects: Vec<Rect> = self.highlighted.iter().filter(|e| e.is_connected()).map(dom::viewport_rect).collect();
        let keep: Vec<Rect> = self.keep.iter().filter(|e| e.is_connected()).map(dom::viewport_rect).collect();
        let step = self.progress.as_ref().map(|p| p.step);
        let dim = step != Some(StepId::Checkmarks);
        self.overlay.draw(&rects, &keep, viewport, dim);
    }

    /// Removes everything the guide added to the page.
    pub fn teardown(&mut self) {
        self.unmark();
        self.overlay.remove();
    }
}

/// Okta's tabs share the lease; Microsoft's pages (a redirect or a pop-up) guide without taking
/// it from the Okta tab the admin comes back to.
fn follows_lease() -> bool {
    !on_microsoft()
}

/// The page carries Microsoft's answer (a return page, possibly in a pop-up that closes itself
/// and, under a cross-origin opener policy, cannot know its opener): it does not claim the lease
/// as it starts, so a waiting opener keeps guiding.
pub fn carries_microsoft_answer() -> bool {
    let query = dom::document().location().and_then(|l| l.search().ok()).unwrap_or_default();
    ["code=", "error=", "admin_consent="].iter().any(|p| query.contains(p))
}

fn scroll_into_view(element: &Element) {
    let rect = element.get_bounding_client_rect();
    let Some(window) = web_sys::window() else { return };
    let height = window.inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    // Centre it: a fixed header would cover an element scrolled to the top edge.
    if rect.top() < 0.0 || rect.bottom() > height {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// Called by the panic hook: removes the guide's traces without touching its state.
pub fn remove_traces() {
    let document = dom::document();
    if let Some(root) = document.get_element_by_id(super::content::ROOT_ID) {
        root.remove();
    }
    if let Ok(list) = document.query_selector_all(STEP_SELECTOR) {
        for i in 0..list.length() {
            if let Some(element) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = element.remove_attribute(STEP_ATTR);
            }
        }
    }
}
