//! Every listener the guide puts on the page and on the extension: DOM events (scrolling in
//! nested containers too, in the capture phase), a MutationObserver, storage changes and the
//! orphan check. They are fields of one struct, built before anything is attached and detached
//! together when it drops. Each turns a browser event into an `Input` for the one sink it is
//! given; none decides anything.

use super::ext;
use crate::card::Action;
use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use gloo_timers::callback::Interval;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, MutationObserver, MutationObserverInit};

/// How often an idle page checks that the extension is still there (looks check it too).
const ORPHAN_CHECK_MS: u32 = 2_000;

/// What happened, as the browser told it.
pub enum Input {
    /// Something that may change what the page shows (navigation, a frame loading).
    Changed,
    /// The page's DOM changed: the observer's records.
    Mutated(js_sys::Array),
    /// Scrolling or resizing moved the targets.
    Moved,
    /// The page fired its load event.
    Loaded,
    /// Back or forward (`restored`: from the back/forward cache).
    Navigated { restored: bool },
    PageHidden,
    /// The tab got focus or became visible.
    Focused,
    Click { trusted: bool, target: Option<Element> },
    Key { trusted: bool },
    /// A trusted input event in a field.
    Typed(Element),
    Card(Action),
    /// Esc in the card.
    Escape,
    /// The extension's shortcut (the background's message): the card takes the focus.
    FocusCard,
    /// A key of `storage.local` changed: its new value (undefined when removed).
    Stored { key: String, value: JsValue },
    /// The extension was reloaded or removed.
    Orphaned,
    /// From the guide's own frame and timer, and its asynchronous work (saving, copying).
    Frame,
    Wake,
    Redraw,
    SessionEvent(crate::session::Event),
}

pub type Sink = Rc<dyn Fn(Input)>;

/// Keeps every listener alive; dropping it detaches them all.
pub struct Listeners {
    _events: Vec<EventListener>,
    _orphan_check: Interval,
    mutations: MutationObserver,
    _on_mutation: Closure<dyn FnMut(js_sys::Array, MutationObserver)>,
    storage_listener: js_sys::Function,
    _on_storage: Closure<dyn FnMut(JsValue, JsValue)>,
    message_listener: js_sys::Function,
    _on_message: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Listeners {
    fn drop(&mut self) {
        self.mutations.disconnect();
        ext::off_storage_changed(&self.storage_listener);
        ext::off_message(&self.message_listener);
    }
}

/// The background's message for the shortcut (see extension/background.js).
const FOCUS_CARD_MESSAGE: &str = "focusCard";

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

/// Reports each changed key of `storage.local` that `watched` names.
fn storage_changes(sink: &Sink, watched: &[String], changes: &JsValue, area: &JsValue) {
    if area.as_string().as_deref() != Some("local") {
        return;
    }
    for key in watched {
        let change = js_sys::Reflect::get(changes, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        if change.is_undefined() {
            continue;
        }
        let value = js_sys::Reflect::get(&change, &"newValue".into()).unwrap_or(JsValue::UNDEFINED);
        sink(Input::Stored { key: key.clone(), value });
    }
}

/// The page's own events: loading, scrolling, navigation, focus, and the admin's clicks, keys and
/// typing (in the capture phase, before the page's handlers can stop them).
fn page_events(sink: &Sink) -> Result<Vec<EventListener>, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = super::page::document();
    let capture = EventListenerOptions { phase: EventListenerPhase::Capture, passive: true };
    let on = |input: fn(&Event) -> Input| {
        let sink = sink.clone();
        move |event: &Event| sink(input(event))
    };
    Ok(vec![
        EventListener::new(&window, "load", on(|_| Input::Loaded)),
        EventListener::new_with_options(&document, "scroll", capture, on(|_| Input::Moved)),
        EventListener::new(&window, "resize", on(|_| Input::Moved)),
        // A page restored from the back/forward cache changes what the page shows without a
        // mutation here (a first load is covered by the fresh-load allowance).
        EventListener::new(&window, "pageshow", on(|event| match event.unchecked_ref::<web_sys::PageTransitionEvent>().persisted() {
            true => Input::Navigated { restored: true },
            false => Input::Changed,
        })),
        EventListener::new(&window, "pagehide", on(|_| Input::PageHidden)),
        // A frame that finished loading (targets may be in same-origin frames), or a
        // stylesheet that failed and so no longer holds the first look back.
        EventListener::new_with_options(&document, "load", capture, on(|_| Input::Changed)),
        EventListener::new_with_options(&document, "error", capture, on(|_| Input::Changed)),
        // Back and forward are the admin's own navigation.
        EventListener::new(&window, "popstate", on(|_| Input::Navigated { restored: false })),
        EventListener::new(&window, "hashchange", on(|_| Input::Changed)),
        EventListener::new(&window, "focus", on(|_| Input::Focused)),
        EventListener::new(&document, "visibilitychange", {
            let sink = sink.clone();
            move |_| {
                if super::page::document().visibility_state() == web_sys::VisibilityState::Visible {
                    sink(Input::Focused);
                }
            }
        }),
        EventListener::new_with_options(&document, "click", capture, on(|event| Input::Click { trusted: event.is_trusted(), target: event_element(event) })),
        EventListener::new_with_options(&document, "keydown", capture, on(|event| Input::Key { trusted: event.is_trusted() })),
        EventListener::new_with_options(&document, "input", capture, {
            let sink = sink.clone();
            move |event| {
                if let Some(field) = event_element(event).filter(|_| event.is_trusted()) {
                    sink(Input::Typed(field));
                }
            }
        }),
    ])
}

/// The card's own events: its buttons and Esc.
fn card_events(sink: &Sink, card: &HtmlElement) -> Vec<EventListener> {
    vec![
        EventListener::new(card, "click", {
            let sink = sink.clone();
            move |event| {
                let action = event_element(event)
                    .and_then(|e| e.closest("button[data-action]").ok().flatten())
                    .and_then(|b| b.get_attribute("data-action"))
                    .and_then(|name| Action::from_name(&name));
                if let Some(action) = action {
                    sink(Input::Card(action));
                }
            }
        }),
        EventListener::new(card, "keydown", {
            let sink = sink.clone();
            move |event| {
                if event.unchecked_ref::<web_sys::KeyboardEvent>().key() == "Escape" {
                    sink(Input::Escape);
                }
            }
        }),
    ]
}

/// Watches the whole document for what shows, hides or switches things.
fn observe_page(observer: &MutationObserver) -> Result<(), JsValue> {
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
    observer.observe_with_options(&super::page::document(), &init)
}

impl Listeners {
    /// Attaches everything; `card` is the card's host (its buttons live in a closed shadow root),
    /// `watched` the storage keys the guide follows. On an error, what was attached is detached.
    pub fn attach(sink: Sink, card: &HtmlElement, watched: Vec<String>, early: EarlyChanges) -> Result<Listeners, JsValue> {
        let mut events = page_events(&sink)?;
        events.extend(card_events(&sink, card));

        let on_mutation = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new({
            let sink = sink.clone();
            move |records, _| sink(Input::Mutated(records))
        });
        let mutations = MutationObserver::new(on_mutation.as_ref().unchecked_ref())?;
        let on_storage = Closure::<dyn FnMut(JsValue, JsValue)>::new({
            let (sink, watched) = (sink.clone(), watched.clone());
            move |changes: JsValue, area: JsValue| storage_changes(&sink, &watched, &changes, &area)
        });
        let storage_listener: js_sys::Function = on_storage.as_ref().unchecked_ref::<js_sys::Function>().clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::new({
            let sink = sink.clone();
            move |message: JsValue| {
                if js_sys::Reflect::get(&message, &FOCUS_CARD_MESSAGE.into()).is_ok_and(|v| v.is_truthy()) {
                    sink(Input::FocusCard);
                }
            }
        });
        let message_listener: js_sys::Function = on_message.as_ref().unchecked_ref::<js_sys::Function>().clone();
        let orphan_check = Interval::new(ORPHAN_CHECK_MS, {
            let sink = sink.clone();
            // A reloaded or removed extension leaves this script orphaned: notice it even on an
            // idle page.
            move || {
                if !ext::extension_alive() {
                    sink(Input::Orphaned);
                }
            }
        });
        // From here on, dropping `listeners` detaches whatever is attached.
        let listeners = Listeners {
            _events: events,
            _orphan_check: orphan_check,
            mutations,
            _on_mutation: on_mutation,
            storage_listener,
            _on_storage: on_storage,
            message_listener,
            _on_message: on_message,
        };
        observe_page(&listeners.mutations)?;
        ext::on_storage_changed(&listeners.storage_listener)?;
        if let Err(error) = ext::on_message(&listeners.message_listener) {
            // Only the shortcut needs it: the guide works on without, and says so.
            web_sys::console::warn_1(&format!("[o365-reauth-guide] the keyboard shortcut will not reach this page: {}", ext::describe_error(&error)).into());
        }
        // The guide's listener hears every change from here on: replay what the loader's heard.
        ext::off_storage_changed(&early.keep);
        for pair in early.changes.iter() {
            let pair: js_sys::Array = pair.unchecked_into();
            storage_changes(&sink, &watched, &pair.get(0), &pair.get(1));
        }
        Ok(listeners)
    }
}
