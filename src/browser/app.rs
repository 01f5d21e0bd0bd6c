//! The one owner of the guide in a page. Listeners and timers hand it inputs through `dispatch`;
//! it turns them into session events, asks the pure session what to do, and carries out the
//! effects: reading the page, marking targets, rendering the card, saving, the lease.
//!
//! Inputs raised while it is busy (a storage answer, an event fired by its own drawing) are
//! queued and handled in turn, never dropped.

use super::listeners::{self, EarlyChanges, Input, Listeners};
use super::marks::{Change, Marks};
use super::overlay::{CardContent, Overlay};
use super::{diagnostics, ext, look_cache::LookCache, page, storage};
use crate::contract::{GuideState, ROOT_ID, STEP_ATTR, STEP_SELECTOR};
use crate::pacing::Pacing;
use crate::progress;
use crate::roadmap::{self, Site, StepId};
use crate::session::{self, Effects, Event, Found, Look, Reading, Seek, Seeking, Session, View};
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    static QUEUE: RefCell<VecDeque<Input>> = const { RefCell::new(VecDeque::new()) };
    static DEAD: Cell<bool> = const { Cell::new(false) };
}

/// The guide stopped for good (shut down, or the Rust code panicked).
pub fn is_dead() -> bool {
    DEAD.with(Cell::get)
}

/// Marks the guide dead without touching its state (the panic hook: it may be mid-update).
pub fn mark_dead() {
    DEAD.with(|d| d.set(true));
}

/// Hands an input to the guide: handled now, or after the one being handled.
pub fn dispatch(input: Input) {
    if is_dead() {
        return;
    }
    QUEUE.with(|q| q.borrow_mut().push_back(input));
    drain();
}

/// Handles the queued inputs in order, unless a drain further up the stack is doing so.
fn drain() {
    let stopped = APP.with(|slot| {
        // Busy: the loop further up the stack takes what was queued.
        let Ok(mut slot) = slot.try_borrow_mut() else { return None };
        while let Some(input) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
            let app = slot.as_mut()?;
            if app.handle(input) == Flow::Stop {
                return slot.take();
            }
        }
        None
    });
    if let Some(mut app) = stopped {
        app.teardown();
    }
    if is_dead() {
        QUEUE.with(|q| q.borrow_mut().clear());
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

#[derive(PartialEq)]
enum Flow {
    Go,
    Stop,
}

pub struct App {
    session: Session,
    overlay: Overlay,
    pacing: Pacing,
    marks: Marks,
    /// Fields the admin typed into during this step (the locator passes them over).
    typed: Vec<Element>,
    /// What the last look showed: the view and the marked elements.
    last_shown: Option<(View, Vec<Element>)>,
    /// What the last look gave the recognizer (for diagnostics).
    facts: page::Facts,
    /// The page's CSS zoom on `<html>`, read at each look (not at each draw).
    zoom: f64,
    /// Dim the page around the targets (not at the check marks).
    dim: bool,
    announced: Option<String>,
    /// The page element that had the focus before the card took it (Esc gives it back).
    return_focus: Option<Element>,
    listeners: Option<Listeners>,
    frame: Closure<dyn FnMut()>,
    frame_pending: bool,
    /// Runs the frame's work if the browser gives no frame (see `FRAME_FALLBACK_MS`).
    frame_fallback: Option<Timeout>,
    wake: Option<Timeout>,
    redraw: Option<Timeout>,
    /// The extension is gone: the next frame cleans up.
    orphaned: bool,
}

/// Sets the guide up on a page once storage answered; `stored` is the loader's read of
/// everything in `storage.local`.
pub async fn start(engine: String, stored: js_sys::Promise, early: EarlyChanges) -> Result<(), JsValue> {
    let document = page::document();
    let location = document.location().ok_or("no location")?;
    let host = location.hostname()?;
    let query = location.search()?;
    let from_url = page::org_from_url(&host, &query);
    let on_microsoft = host == page::MICROSOFT_HOST;
    let items = wasm_bindgen_futures::JsFuture::from(stored).await?;
    // Okta pages name their org; Microsoft's may not (then: the last active org).
    let storage::Start { org, settings, stored } = if on_microsoft || from_url.is_some() {
        storage::start_from(&items, from_url.clone())?
    } else {
        storage::Start { org: None, settings: Default::default(), stored: Ok(None) }
    };
    // The guide's root goes after the page's body, which the parser may not have reached yet.
    page::body_ready().await;
    if is_dead() || document.get_element_by_id(ROOT_ID).is_some() || APP.with(|a| a.try_borrow().map_or(true, |a| a.is_some())) {
        return Ok(());
    }
    let overlay = Overlay::create(&document, ROOT_ID, &engine, &ext::message("popup_lang", &[]), &ext::message("ui_dir", &[]))?;
    overlay.set_marker(None, GuideState::Idle.as_str());
    let carries_answer = ["code=", "error=", "admin_consent="].iter().any(|p| query.contains(p));
    let tab_id = format!("tab-{}", (js_sys::Math::random() * 1e15) as u64);
    let watched: Vec<String> = [Some(crate::settings::SETTINGS_KEY.to_string()), org.as_deref().map(storage::lease_key), org.as_deref().map(progress::storage_key)]
        .into_iter()
        .flatten()
        .collect();
    let start = session::Start { org, named_by_page: from_url.is_some(), stored, settings, on_microsoft, carries_answer, tab_id };
    let t = now();
    let (session, effects) = Session::start(start, t);
    let card = overlay.card().clone();
    let app = App {
        session,
        overlay,
        pacing: Pacing::new(t),
        marks: Marks::default(),
        typed: Vec::new(),
        last_shown: None,
        facts: page::Facts::None,
        zoom: 1.0,
        dim: true,
        announced: None,
        return_focus: None,
        listeners: None,
        frame: Closure::new(|| dispatch(Input::Frame)),
        frame_pending: false,
        frame_fallback: None,
        wake: None,
        redraw: None,
        orphaned: false,
    };
    APP.with(|a| *a.borrow_mut() = Some(app));
    with_app(|app| app.apply(effects));
    let listeners = Listeners::attach(Rc::new(dispatch) as listeners::Sink, &card, watched, early);
    match listeners {
        Ok(listeners) => with_app(|app| app.listeners = Some(listeners)),
        Err(error) => {
            // Nothing would drive the overlay: take it away and say why.
            shut_down("its listeners could not be attached");
            return Err(error);
        }
    };
    Ok(())
}

/// Runs `f` on the app outside of any dispatch (start-up only), then what it queued.
fn with_app(f: impl FnOnce(&mut App)) {
    APP.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            if let Some(app) = slot.as_mut() {
                f(app);
            }
        }
    });
    drain();
}

/// Stops the guide for good and removes its traces from the page.
pub fn shut_down(reason: &str) {
    if DEAD.with(|d| d.replace(true)) {
        return;
    }
    web_sys::console::info_1(&format!("[o365-reauth-guide] stopped: {reason}").into());
    match APP.with(|slot| slot.try_borrow_mut().ok().and_then(|mut slot| slot.take())) {
        Some(mut app) => app.teardown(),
        None => remove_traces(),
    }
}

/// Removes the guide's root and marks without touching its state (also the panic hook's way).
pub fn remove_traces() {
    let document = page::document();
    if let Some(root) = document.get_element_by_id(ROOT_ID) {
        root.remove();
    }
    for element in page::gather(&document, STEP_SELECTOR) {
        let _ = element.remove_attribute(STEP_ATTR);
    }
}

fn contains(elements: &[Element], target: &Element) -> bool {
    elements.iter().any(|e| e.contains(Some(target)))
}

impl App {
    fn handle(&mut self, input: Input) -> Flow {
        let t = now();
        match input {
            Input::Mutated(records) if self.pacing.may_pass_by(t, self.session.awaits_answer()) => match self.marks.change(&records) {
                Change::AtMarks => self.changed(t),
                Change::BeforeMarks => self.redraw_after_frame(),
                Change::AfterMarks => {}
            },
            Input::Changed | Input::Mutated(_) => self.changed(t),
            Input::Redraw => {
                self.redraw = None;
                self.draw();
            }
            Input::Moved => {
                self.pacing.want_draw();
                self.request_frame();
            }
            Input::Loaded => self.want_look(),
            Input::Navigated { restored } => self.event(if restored { Event::Restored } else { Event::AdminActed }, t),
            Input::PageHidden => self.event(Event::Hidden, t),
            Input::Focused => self.event(Event::Focused, t),
            Input::Click { trusted: false, .. } | Input::Key { trusted: false } => self.event(Event::PageActed, t),
            Input::Click { trusted: true, target } => {
                let clicked = self.clicked(target.as_ref());
                self.after_event(clicked, t);
            }
            Input::Key { trusted: true } => {
                // Before the key's default action: a Tab into the card leaves from here.
                self.note_focus();
                self.after_event(Event::AdminActed, t);
            }
            Input::Typed(field) => {
                let typed = self.typed_into(field);
                self.after_event(typed, t);
            }
            Input::Card(action) => self.event(Event::Card(action), t),
            Input::FocusCard => {
                self.note_focus();
                self.overlay.focus();
            }
            Input::Escape => {
                if self.session.state() != GuideState::Paused {
                    self.event(Event::Card(crate::card::Action::Pause), t);
                }
                self.give_focus_back();
            }
            Input::Stored { key, value } => {
                if let Some(event) = self.stored(&key, &value) {
                    self.event(event, t);
                }
            }
            Input::SessionEvent(event) => self.event(event, t),
            Input::Orphaned => {
                self.orphaned = true;
                self.request_frame();
            }
            Input::Wake => {
                self.pacing.woke();
                self.wake = None;
                self.want_look();
            }
            Input::Frame => return self.frame(),
        }
        Flow::Go
    }

    /// What a trusted click was on: the marked element, Test API Credentials, Save, Re-authenticate.
    fn clicked(&self, target: Option<&Element>) -> Event {
        let _cache = LookCache::begin();
        let on = |elements: &[Element]| target.is_some_and(|c| contains(elements, c));
        let on_mark = on(self.marks.marked());
        let on_test = on(&page::locate(&roadmap::TEST_API, &[]));
        // Save counts only at the check marks and at Save: not looked for elsewhere.
        let step = self.session.progress().map(|p| p.step);
        let on_save = matches!(step, Some(StepId::Save | StepId::Checkmarks)) && on(&page::locate(&roadmap::SAVE, &[]));
        let on_reauthenticate = step.and_then(StepId::site) == Some(Site::Microsoft) && on(&page::locate(&roadmap::REAUTHENTICATE, &[]));
        Event::Clicked { on_mark, on_test, on_save, on_reauthenticate }
    }

    /// The admin typed into `field`: the locator passes it over from now on, and only Microsoft's
    /// account field gives its value (the account name, for the wrong-account warning).
    fn typed_into(&mut self, field: Element) -> Event {
        let account = is_account_field(&field).then(|| field.unchecked_ref::<web_sys::HtmlInputElement>().value());
        if !self.typed.contains(&field) {
            self.typed.push(field);
        }
        Event::Typed { account }
    }

    /// A watched storage key changed: the session's event for it.
    fn stored(&self, key: &str, value: &JsValue) -> Option<Event> {
        if key == crate::settings::SETTINGS_KEY {
            return Some(Event::StoredSettings(storage::decode_settings(value)));
        }
        let org = self.session.org()?;
        if key == storage::lease_key(org) {
            Some(Event::Lease(value.as_string()))
        } else if key == progress::storage_key(org) {
            Some(Event::StoredProgress(storage::decode(value, org)))
        } else {
            None
        }
    }

    /// Remembers the page element that has the focus, for Esc to give it back. (Read, not taken
    /// from focus events: a window without system focus, as in headless Firefox, fires none.)
    fn note_focus(&mut self) {
        let active = page::document().active_element();
        if let Some(active) = active.filter(|e| !self.overlay.host.contains(Some(e))) {
            self.return_focus = Some(active);
        }
    }

    /// Esc: the focus goes back where it was, or leaves the card when that element is gone.
    fn give_focus_back(&mut self) {
        match self.return_focus.take().filter(|e| e.is_connected()) {
            Some(element) => {
                let _ = element.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
            None => self.overlay.blur(),
        }
    }

    fn event(&mut self, event: Event, t: f64) {
        let effects = self.session.handle(event, t);
        self.apply(effects);
    }

    /// The admin's click, key press or typing: the look waits for the next frame, so that the
    /// page answers in its own handler first (a look now would see the page before the click,
    /// with the evidence bonus the click earns).
    fn after_event(&mut self, event: Event, t: f64) {
        self.pacing.acted(t);
        let mut effects = self.session.handle(event, t);
        if std::mem::take(&mut effects.look) {
            self.pacing.want_look();
            self.request_frame();
        }
        self.apply(effects);
    }

    fn apply(&mut self, fx: Effects) {
        if let Some(warning) = &fx.warn {
            web_sys::console::warn_1(&format!("[o365-reauth-guide] {warning}").into());
        }
        if fx.step_changed {
            self.typed.clear();
        }
        if fx.persist {
            self.persist();
        }
        let org = self.session.org().map(str::to_string);
        if let (true, Some(org)) = (fx.claim, org.clone()) {
            let tab = self.session.tab_id().to_string();
            spawn(async move { storage::claim_lease(&org, &tab).await }, "could not claim the lease");
        }
        if let (true, Some(org)) = (fx.release, org) {
            spawn(async move { storage::release_lease(&org).await }, "could not release the lease");
        }
        if fx.read_diagnostics {
            let text = self.diagnostics_text();
            self.event(Event::DiagnosticsRead(text), now());
        }
        if let Some(text) = fx.copy {
            self.copy(&text);
        }
        if fx.look {
            self.want_look();
        }
    }

    fn persist(&self) {
        let Some(progress) = self.session.progress().cloned() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = storage::save(&progress).await {
                let text = ext::describe_error(&error);
                web_sys::console::error_1(&format!("[o365-reauth-guide] could not save progress: {text}").into());
                dispatch(Input::SessionEvent(Event::SaveFailed(text)));
            }
        });
    }

    /// Copies the box's text on the admin's click (asked for now, inside the click: the
    /// clipboard is the admin's to give); the card then says whether it worked.
    fn copy(&self, text: &str) {
        let written = diagnostics::copy(text);
        wasm_bindgen_futures::spawn_local(async move {
            let result = match written {
                Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.map(drop),
                Err(error) => Err(error),
            };
            dispatch(Input::SessionEvent(Event::Copied(result.map_err(|e| ext::describe_error(&e)))));
        });
    }

    /// What the diagnostics box shows: the report read off the page now.
    fn diagnostics_text(&self) -> String {
        let engine = self.overlay.host.get_attribute("data-engine").unwrap_or_default();
        let snapshot = diagnostics::Snapshot {
            engine: &engine,
            org: self.session.org(),
            step: self.session.progress().map(|p| p.step),
            state: self.session.state().as_str(),
            screen: self.session.screen(),
            facts: &self.facts,
            transitions: self.session.transitions(),
            typed: &self.typed,
        };
        let clock = web_sys::window().and_then(|w| w.performance());
        let started = clock.as_ref().map_or(0.0, web_sys::Performance::now);
        let text = diagnostics::page_text(&snapshot).unwrap_or_else(|error| ext::message("ui_diagnostics_failed", &[&ext::describe_error(&error)]));
        // What a copy costs the page (the bench reads it); numbers handed over unformatted.
        let took = clock.as_ref().map_or(0.0, web_sys::Performance::now) - started;
        web_sys::console::debug_3(&"[o365-reauth-guide] diagnostics read in ms, characters:".into(), &took.into(), &(text.len() as f64).into());
        text
    }

    /// A look is wanted: at once when allowed (a target the page just inserted is marked without
    /// waiting a frame), else in a frame.
    fn want_look(&mut self) {
        self.pacing.want_look();
        if !self.look_if_allowed() {
            self.request_frame();
        }
    }

    fn request_frame(&mut self) {
        if self.frame_pending {
            return;
        }
        let requested = web_sys::window().and_then(|w| w.request_animation_frame(self.frame.as_ref().unchecked_ref()).ok());
        self.frame_pending = requested.is_some();
        self.frame_fallback = Some(Timeout::new(crate::pacing::FRAME_FALLBACK_MS, || dispatch(Input::Frame)));
    }

    /// The page changed where it may matter: looked at now, or from a timer.
    fn changed(&mut self, t: f64) {
        match self.pacing.changed(t) {
            None => self.want_look(),
            Some(at) => self.wake_at(at),
        }
    }

    /// The marks may have moved: redrawn from a timer, which runs once the page's frame is drawn
    /// (in the observer's microtask, reading where they are would force that frame's layout).
    fn redraw_after_frame(&mut self) {
        if self.redraw.is_none() {
            self.redraw = Some(Timeout::new(0, || dispatch(Input::Redraw)));
        }
    }

    fn wake_at(&mut self, at: f64) {
        if let Some(at) = self.pacing.wake(at) {
            let delay = (at - now()).clamp(0.0, 60_000.0) as u32;
            self.wake = Some(Timeout::new(delay + 5, || dispatch(Input::Wake)));
        }
    }

    /// Reads the page now if a look is wanted and allowed; false when it must wait.
    fn look_if_allowed(&mut self) -> bool {
        let t = now();
        if self.orphaned || !self.pacing.may_look(t, page::stylesheet_pending()) {
            return false;
        }
        // A look calls extension APIs, which throw once the extension is gone: check first
        // (looks are throttled, so this is not paid per mutation); the frame cleans up.
        if !ext::extension_alive() {
            self.orphaned = true;
            self.request_frame();
            return false;
        }
        self.pacing.looked(t);
        self.look(t);
        if let Some(at) = self.session.wake_at() {
            self.wake_at(at);
        }
        true
    }

    fn frame(&mut self) -> Flow {
        self.frame_pending = false;
        self.frame_fallback = None;
        if self.orphaned {
            web_sys::console::info_1(&"[o365-reauth-guide] stopped: the extension was reloaded or removed".into());
            DEAD.with(|d| d.set(true));
            return Flow::Stop;
        }
        let looked = self.look_if_allowed();
        if let Some(at) = (!looked).then(|| self.pacing.retry_at(now())).flatten() {
            // Too soon after the last look: come back when it is allowed.
            self.wake_at(at);
        }
        if self.pacing.take_draw() && !looked {
            self.draw();
        }
        if self.marks.lost_one() {
            // The page replaced the element: find it again on the next look.
            self.want_look();
        }
        Flow::Go
    }

    /// Reads the page, moves the flow, marks the target and renders the card.
    fn look(&mut self, t: f64) {
        let _cache = LookCache::begin();
        let found = match self.session.look() {
            Look::Idle | Look::Quiet => {
                self.marks.clear();
                None
            }
            Look::Read { expected, tested } => {
                let mut seen = page::observe(expected, tested);
                let reading = Reading {
                    observation: seen.observation,
                    test_button: seen.test_button.is_some(),
                    admin_username: seen.test_button.as_ref().and_then(page::admin_username),
                };
                self.facts = std::mem::take(&mut seen.facts);
                let typed = &self.typed;
                let (seek, effects) = self.session.follow(reading, t, &|step| page::target_shown(step, typed));
                self.apply(effects);
                Some(self.seek(seek, seen))
            }
        };
        if found.as_ref().is_some_and(|f| f.found) {
            self.pacing.highlighted();
        }
        let view = self.session.view(found, t);
        // News: what the guide shows changed (a changing page that shows nothing new is looked
        // at less often).
        let shown = (view.clone(), self.marks.marked().to_vec());
        self.pacing.saw(self.last_shown.as_ref() != Some(&shown));
        self.last_shown = Some(shown);
        self.overlay.set_marker(view.step.map(StepId::as_str), view.state.as_str());
        match &view.card {
            Some(card) => {
                let content = CardContent::from_card(card, ext::message, ext::clock);
                self.announce(&content, view.state);
                let _ = self.overlay.render(&content);
                self.overlay.card().set_hidden(false);
            }
            None => self.overlay.card().set_hidden(true),
        }
        self.dim = view.dim;
        self.draw();
    }

    /// Finds and marks what the session asked for.
    fn seek(&mut self, seek: Seek, seen: page::Seen) -> Found {
        let first_label = seek.step.targets().first().map_or("", |t| t.label);
        let evidence_marks = if seek.evidence { seen.check_marks.clone().unwrap_or_default() } else { Vec::new() };
        let (elements, label) = match seek.what {
            Seeking::Nothing { label } => (Vec::new(), label),
            Seeking::CheckMarks => (seen.into_check_marks(), ""),
            Seeking::Targets => {
                let targets = seek.step.targets();
                match page::locate_first(targets, &self.typed) {
                    Some((found, i)) => (found, targets[i].label),
                    None => (Vec::new(), first_label),
                }
            }
        };
        let instances = if seek.count_instances { page::locate(&roadmap::OFFICE365_INSTANCES, &[]).len() } else { 0 };
        // At the check marks and at Save, the success message and the marks are the evidence.
        let mut evidence = Vec::new();
        if seek.evidence {
            evidence = page::message_elements();
            evidence.extend(evidence_marks);
        }
        let keep = page::keep_visible(&elements, &evidence);
        let found = !elements.is_empty();
        self.marks.set(elements, seek.step, keep, evidence);
        self.zoom = page::page_zoom();
        Found { label, found, instances }
    }

    /// The step text is said once; a lost guide also says why.
    fn announce(&mut self, content: &CardContent, state: GuideState) {
        let mut announcement = format!("{} {}. {}", content.progress, content.title, content.body);
        if matches!(state, GuideState::NotFound | GuideState::Unsure) {
            announcement = format!("{announcement} {}", content.status);
        }
        if self.announced.as_deref() != Some(announcement.as_str()) {
            self.overlay.announce(&announcement);
            self.announced = Some(announcement);
        }
    }

    /// Places the overlay over the current targets: cheap, run on every scroll and resize.
    fn draw(&mut self) {
        // A page zooming <html> would zoom the overlay too: it is counter-zoomed, and drawn in
        // the viewport's own pixels.
        self.overlay.set_zoom(self.zoom);
        let viewport = page::viewport(self.zoom);
        self.overlay.draw(self.marks.rects(), viewport, self.dim);
    }

    /// Removes everything the guide added to the page; the listeners detach as they drop.
    fn teardown(&mut self) {
        self.listeners = None;
        self.wake = None;
        self.redraw = None;
        self.frame_fallback = None;
        self.marks.clear();
        self.overlay.remove();
    }
}

fn is_account_field(field: &Element) -> bool {
    let named = roadmap::MS_ACCOUNT.names.iter().any(|n| field.get_attribute("name").as_deref() == Some(n)) || roadmap::MS_ACCOUNT.ids.contains(&field.id().as_str());
    named && field.tag_name().eq_ignore_ascii_case("input")
}

/// Runs a storage write; its failure is logged (the lease is advisory: the card still works).
fn spawn(task: impl std::future::Future<Output = Result<(), JsValue>> + 'static, what: &'static str) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = task.await {
            web_sys::console::warn_1(&format!("[o365-reauth-guide] {what}: {}", ext::describe_error(&error)).into());
        }
    });
}
