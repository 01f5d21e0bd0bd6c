//! Everything that makes the guide look again: DOM mutations, scrolling (nested containers too,
//! in the capture phase), resizing, navigation, the admin's own actions and storage changes.
//! Reading the page ("a look") happens at once when the last one is old enough (or while the page
//! is still loading), else in a later frame, and never before the loading page's stylesheets have
//! arrived; drawing happens with every look and in the frame after a scroll or resize.

use super::content::with_guide;
use super::{ext, storage};
use crate::progress;
use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use gloo_timers::callback::{Interval, Timeout};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, MutationObserver, MutationObserverInit};

/// At most one look at the page per this many milliseconds, once the page has loaded.
const MIN_LOOK_INTERVAL_MS: f64 = 120.0;
/// While the page is still being built (until its load event, for at most this long), every
/// batch of mutations is looked at: the admin is waiting for the first highlight.
const EAGER_MS: f64 = 3_000.0;
/// How often an idle page checks that the extension is still there (looks check it too; frames
/// do not: a busy page would pay it every frame).
const ORPHAN_CHECK_MS: u32 = 2_000;

thread_local! {
    static FRAME_PENDING: Cell<bool> = const { Cell::new(false) };
    static LOOK_WANTED: Cell<bool> = const { Cell::new(false) };
    static LAST_LOOK: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    /// Until when looks are not throttled (the page is loading).
    static EAGER_UNTIL: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    static FRAME: RefCell<Option<Closure<dyn FnMut()>>> = const { RefCell::new(None) };
    static WAKE: RefCell<Option<Timeout>> = const { RefCell::new(None) };
    static WAKE_DUE: Cell<f64> = const { Cell::new(f64::INFINITY) };
    static DRAW_WANTED: Cell<bool> = const { Cell::new(false) };
    /// Set by the periodic check when the extension is gone; the next frame cleans up.
    static ORPHANED: Cell<bool> = const { Cell::new(false) };
    static OBSERVERS: RefCell<Option<Observers>> = const { RefCell::new(None) };
}

/// Keeps every listener alive; dropping it detaches them all.
struct Observers {
    _listeners: Vec<EventListener>,
    _orphan_check: Interval,
    mutations: MutationObserver,
    _on_mutation: Closure<dyn FnMut(js_sys::Array, MutationObserver)>,
    storage_listener: js_sys::Function,
    _on_storage: Closure<dyn FnMut(JsValue, JsValue)>,
}

impl Drop for Observers {
    fn drop(&mut self) {
        self.mutations.disconnect();
        ext::off_storage_changed(&self.storage_listener);
    }
}

/// Asks for a frame; with `look`, the page is read again: at once when the last look is old
/// enough (a target the page just inserted is marked without waiting a frame), else in a frame.
pub fn schedule(look: bool) {
    if look {
        LOOK_WANTED.with(|w| w.set(true));
        if look_now() {
            return;
        }
    } else {
        // Scrolling and resizing move the targets: redraw in the next frame.
        DRAW_WANTED.with(|d| d.set(true));
    }
    request_frame();
}

/// A look in the next frame: after the admin's click or key press, the page answers in its own
/// handler first.
fn look_after_event() {
    LOOK_WANTED.with(|w| w.set(true));
    request_frame();
}

fn request_frame() {
    if FRAME_PENDING.with(|p| p.replace(true)) {
        return;
    }
    let requested = FRAME.with(|frame| {
        let frame = frame.borrow();
        let callback = frame.as_ref()?;
        web_sys::window()?.request_animation_frame(callback.as_ref().unchecked_ref()).ok()
    });
    if requested.is_none() {
        FRAME_PENDING.with(|p| p.set(false));
    }
}

/// Looks again at `at` (ms since the epoch), unless a look is already due by then.
fn wake_at(at: f64) {
    if WAKE_DUE.with(|d| d.get()) <= at {
        return;
    }
    WAKE_DUE.with(|d| d.set(at));
    let delay = (at - js_sys::Date::now()).clamp(0.0, 60_000.0) as u32;
    WAKE.with(|w| {
        *w.borrow_mut() = Some(Timeout::new(delay + 5, || {
            WAKE_DUE.with(|d| d.set(f64::INFINITY));
            schedule(true);
        }))
    });
}

/// Reads the page now if a look is wanted and allowed; false when it must wait.
fn look_now() -> bool {
    if super::content::is_dead() || ORPHANED.with(Cell::get) {
        return false;
    }
    let now = js_sys::Date::now();
    let throttled = now - LAST_LOOK.with(|l| l.get()) < MIN_LOOK_INTERVAL_MS && now >= EAGER_UNTIL.with(Cell::get);
    // A stylesheet still loading: its load or error event asks again.
    if !LOOK_WANTED.with(|w| w.get()) || throttled || super::dom::stylesheet_pending() {
        return false;
    }
    // A look calls extension APIs, which throw once the extension is gone: check first (looks
    // are throttled, so this is not paid per mutation), and leave the clean-up to the frame.
    if !ext::extension_alive() {
        ORPHANED.with(|o| o.set(true));
        request_frame();
        return false;
    }
    // None while the guide is busy (a look asked for from inside a look): the frame does it.
    let Some(wake) = with_guide(|guide| {
        LOOK_WANTED.with(|w| w.set(false));
        LAST_LOOK.with(|l| l.set(now));
        guide.tick();
        guide.wake_at
    }) else {
        return false;
    };
    if let Some(at) = wake {
        wake_at(at);
    }
    true
}

fn frame() {
    FRAME_PENDING.with(|p| p.set(false));
    if super::content::is_dead() {
        return;
    }
    if ORPHANED.with(Cell::get) {
        super::content::shut_down("the extension was reloaded or removed");
        return;
    }
    let looked = look_now();
    let since = js_sys::Date::now() - LAST_LOOK.with(|l| l.get());
    if !looked && LOOK_WANTED.with(|w| w.get()) && since < MIN_LOOK_INTERVAL_MS {
        // Too soon after the last look: come back when it is allowed.
        wake_at(js_sys::Date::now() + MIN_LOOK_INTERVAL_MS - since);
    }
    // A look draws by itself; otherwise only scrolling and resizing ask for a draw (a page that
    // re-renders every frame is not made to lay out twice per frame).
    if DRAW_WANTED.with(|d| d.replace(false)) && !looked {
        with_guide(|guide| guide.draw());
    }
}

fn trusted(event: &Event) -> bool {
    event.is_trusted()
}

fn event_element(event: &Event) -> Option<Element> {
    // Composed path: a field inside an open shadow root is the real target.
    let path = event.composed_path();
    let first = Some(path.get(0)).filter(|v| v.is_object()).or_else(|| event.target().map(Into::into))?;
    // No `instanceof Element`: in Firefox the event's nodes may come from another realm.
    let node: web_sys::Node = first.unchecked_into();
    (node.node_type() == web_sys::Node::ELEMENT_NODE).then(|| node.unchecked_into())
}

/// The loader's hand-over: it listens to storage from its first line, so that no change made
/// while the engine loads is lost between its read and the guide's own listener.
pub struct EarlyChanges {
    /// `[changes, areaName]` pairs, in order.
    pub changes: js_sys::Array,
    /// The loader's listener, which collects them.
    pub keep: js_sys::Function,
}

impl Drop for EarlyChanges {
    fn drop(&mut self) {
        // Whatever happens to the start-up, the loader's listener stops collecting.
        ext::off_storage_changed(&self.keep);
    }
}

/// Starts watching the page. Call once, after the guide exists.
pub fn start(org: Option<String>, early: EarlyChanges) -> Result<(), JsValue> {
    FRAME.with(|f| *f.borrow_mut() = Some(Closure::new(frame)));
    let window = web_sys::window().ok_or("no window")?;
    let document = super::dom::document();
    let capture = EventListenerOptions { phase: EventListenerPhase::Capture, passive: true };
    if document.ready_state() != "complete" {
        EAGER_UNTIL.with(|e| e.set(js_sys::Date::now() + EAGER_MS));
    }
    let mut listeners = vec![
        EventListener::new(&window, "load", |_| {
            EAGER_UNTIL.with(|e| e.set(f64::NEG_INFINITY));
            schedule(true);
        }),
        EventListener::new_with_options(&document, "scroll", capture, |_| schedule(false)),
        EventListener::new(&window, "resize", |_| schedule(false)),
        // A page restored from the back/forward cache, or a frame that finished loading (targets
        // may be in same-origin frames), changes what the page shows without a mutation here.
        EventListener::new(&window, "pageshow", |event| {
            let restored = event.unchecked_ref::<web_sys::PageTransitionEvent>().persisted();
            // (A first load is covered by the fresh-load allowance; only a restore is news.)
            if restored {
                with_guide(|guide| guide.page_restored());
            }
            schedule(true);
        }),
        // A page that guided goes away (a pop-up closing after Microsoft): the opener guides again.
        EventListener::new(&window, "pagehide", |_| {
            with_guide(|guide| guide.release());
        }),
        EventListener::new_with_options(&document, "load", capture, |_| schedule(true)),
        // A stylesheet that failed no longer holds the first look back.
        EventListener::new_with_options(&document, "error", capture, |_| schedule(true)),
        // Back and forward are the admin's own navigation.
        EventListener::new(&window, "popstate", |_| {
            with_guide(|guide| guide.admin_action());
            schedule(true);
        }),
        EventListener::new(&window, "hashchange", |_| schedule(true)),
        // The admin working in this tab makes it the one that guides.
        EventListener::new(&window, "focus", |_| claim_if_following()),
        EventListener::new(&document, "visibilitychange", |_| {
            if super::dom::document().visibility_state() == web_sys::VisibilityState::Visible {
                claim_if_following();
            }
        }),
        EventListener::new_with_options(&document, "click", capture, |event| {
            if super::content::is_dead() {
                return;
            }
            if !trusted(event) {
                with_guide(|guide| guide.page_acted());
                return;
            }
            let target = event_element(event);
            claim_if_following();
            with_guide(|guide| {
                guide.admin_action();
                if let Some(target) = &target {
                    guide.clicked(target);
                }
            });
            look_after_event();
        }),
        EventListener::new_with_options(&document, "keydown", capture, |event| {
            if super::content::is_dead() {
                return;
            }
            if trusted(event) {
                with_guide(|guide| guide.admin_action());
                look_after_event();
            } else {
                with_guide(|guide| guide.page_acted());
            }
        }),
        EventListener::new_with_options(&document, "input", capture, |event| {
            if !trusted(event) || super::content::is_dead() {
                return;
            }
            if let Some(field) = event_element(event) {
                with_guide(|guide| {
                    guide.admin_action();
                    guide.typed_into(&field);
                });
            }
            look_after_event();
        }),
    ];
    // The card's buttons live in the closed shadow root: listen on the card itself.
    let card = with_guide(|guide| guide.overlay.card().clone()).ok_or("no guide")?;
    listeners.push(EventListener::new(&card, "click", |event| {
        if super::content::is_dead() {
            return;
        }
        let action = event_element(event)
            .and_then(|e| e.closest("button[data-action]").ok().flatten())
            .and_then(|b| b.get_attribute("data-action"))
            .and_then(|name| super::overlay::Action::from_name(&name));
        if let Some(action) = action {
            with_guide(|guide| guide.act(action));
            schedule(true);
        }
    }));

    let on_mutation = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(|_, _| schedule(true));
    let mutations = MutationObserver::new(on_mutation.as_ref().unchecked_ref())?;
    let init = MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    init.set_attributes(true);
    // Attributes that show, hide or switch things; not ours (data-reauth-step), so marking
    // the target does not wake the observer.
    let filter: js_sys::Array = ["class", "style", "hidden", "aria-hidden", "aria-expanded", "aria-selected", "disabled", "open"]
        .iter()
        .map(|a| JsValue::from_str(a))
        .collect();
    init.set_attribute_filter(&filter);
    mutations.observe_with_options(&document, &init)?;

    let lease = org.as_deref().map(storage::lease_key);
    let key = org.map(|o| progress::storage_key(&o));
    let on_storage = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
        if super::content::is_dead() || area.as_string().as_deref() != Some("local") {
            return;
        }
        if let Ok(change) = js_sys::Reflect::get(&changes, &JsValue::from_str(crate::settings::SETTINGS_KEY)) {
            if !change.is_undefined() {
                let new_value = js_sys::Reflect::get(&change, &"newValue".into()).unwrap_or(JsValue::UNDEFINED);
                with_guide(|guide| guide.settings = storage::decode_settings(&new_value));
            }
        }
        if let Some(lease) = &lease {
            if let Ok(change) = js_sys::Reflect::get(&changes, &JsValue::from_str(lease)) {
                if !change.is_undefined() {
                    let holder = js_sys::Reflect::get(&change, &"newValue".into()).ok().and_then(|v| v.as_string());
                    with_guide(|guide| guide.lease_changed(holder));
                    schedule(true);
                }
            }
        }
        let Some(key) = &key else { return };
        let Ok(change) = js_sys::Reflect::get(&changes, &JsValue::from_str(key)) else { return };
        if change.is_undefined() {
            return;
        }
        let new_value = js_sys::Reflect::get(&change, &"newValue".into()).unwrap_or(JsValue::UNDEFINED);
        with_guide(|guide| {
            let Some(org) = guide.org.clone() else { return };
            match storage::decode(&new_value, &org) {
                Ok(stored) => guide.adopt(stored),
                Err(error) => {
                    guide.progress = Some(super::guide::Guide::reset_unreadable(&org, &error));
                    guide.persist();
                }
            }
        });
        schedule(true);
    });
    let storage_listener: js_sys::Function = on_storage.as_ref().unchecked_ref::<js_sys::Function>().clone();
    ext::on_storage_changed(&storage_listener)?;
    // From here on the guide's listener hears every change: replay what the loader's heard.
    ext::off_storage_changed(&early.keep);
    for pair in early.changes.iter() {
        let pair: js_sys::Array = pair.unchecked_into();
        let _ = storage_listener.call2(&JsValue::NULL, &pair.get(0), &pair.get(1));
    }

    OBSERVERS.with(|o| {
        *o.borrow_mut() = Some(Observers {
            _listeners: listeners,
            // A reloaded or removed extension leaves this script orphaned: notice it even on an
            // idle page (the frame does the check and the clean-up).
            _orphan_check: Interval::new(ORPHAN_CHECK_MS, || {
                if !ext::extension_alive() {
                    ORPHANED.with(|o| o.set(true));
                    schedule(false);
                }
            }),
            mutations,
            _on_mutation: on_mutation,
            storage_listener,
            _on_storage: on_storage,
        })
    });
    schedule(true);
    Ok(())
}

fn claim_if_following() {
    if super::content::is_dead() {
        return;
    }
    let claimed = with_guide(|guide| {
        let follow = !guide.leading && guide.progress.is_some();
        if follow {
            guide.claim();
        }
        follow
    });
    if claimed == Some(true) {
        schedule(true);
    }
}

/// Detaches every listener and observer.
pub fn stop() {
    OBSERVERS.with(|o| o.borrow_mut().take());
    WAKE.with(|w| w.borrow_mut().take());
}
