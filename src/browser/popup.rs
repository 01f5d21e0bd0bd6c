//! The toolbar popup: the admin's checklist (preparation, progress per org, report).
//!
//! Storage is the single source of truth: every control writes to `storage.local`, and every
//! change (from here or from a guide in a page) comes back through `storage.onChanged` and
//! re-renders. So the popup and the pages cannot drift apart.

mod actions;
mod view;

use super::{ext, storage};
use crate::progress::{Progress, StoredError};
use crate::settings::Settings;
use gloo_events::EventListener;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

/// One org in the list. `record` is `Ok(None)` for an org known only by its address (typed
/// here, or the last active one) whose guide has not started yet.
pub(crate) struct OrgRow {
    pub org: String,
    pub record: Result<Option<Progress>, StoredError>,
}

impl OrgRow {
    pub fn progress(&self) -> Option<&Progress> {
        self.record.as_ref().ok().and_then(Option::as_ref)
    }
}

#[derive(Default)]
pub(crate) struct Model {
    pub orgs: Vec<OrgRow>,
    pub settings: Settings,
    /// The org whose steps are shown; kept across storage changes.
    pub selected: Option<String>,
    pub confirming_reset: bool,
    /// Orgs typed in this session without a record yet, kept listed until their guide starts.
    pub typed: Vec<String>,
    /// Drawn at least once (some things are decided only as the popup opens).
    pub drawn: bool,
    /// The diagnostics box is open for the selected org with this text (exactly what Copy copies).
    pub diagnostics: Option<String>,
}

impl Model {
    pub fn selected_row(&self) -> Option<&OrgRow> {
        self.selected.as_ref().and_then(|s| self.orgs.iter().find(|r| &r.org == s))
    }

    /// Takes in what storage holds now.
    fn absorb(&mut self, stored: storage::Stored) {
        let mut orgs: Vec<OrgRow> = stored.orgs.into_iter().map(|(org, record)| OrgRow { org, record: record.map(Some) }).collect();
        let known = |orgs: &Vec<OrgRow>, org: &str| orgs.iter().any(|r| r.org == org);
        for org in stored.active.iter().chain(self.typed.iter()).chain(self.selected.iter()) {
            if !known(&orgs, org) {
                orgs.push(OrgRow { org: org.clone(), record: Ok(None) });
            }
        }
        orgs.sort_by(|a, b| a.org.cmp(&b.org));
        self.selected = self
            .selected
            .clone()
            .filter(|s| known(&orgs, s))
            .or_else(|| stored.active.filter(|a| known(&orgs, a)))
            .or_else(|| orgs.first().map(|r| r.org.clone()));
        self.orgs = orgs;
        self.settings = stored.settings;
    }
}

thread_local! {
    static MODEL: RefCell<Model> = RefCell::new(Model::default());
}

pub(crate) fn with_model<R>(f: impl FnOnce(&mut Model) -> R) -> R {
    MODEL.with(|m| f(&mut m.borrow_mut()))
}

pub(crate) fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("the popup is a document")
}

/// An element of popup.html; they are all there, so a missing one is a packaging bug.
pub(crate) fn by_id<T: JsCast>(id: &str) -> T {
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<T>().ok())
        .unwrap_or_else(|| panic!("popup.html lacks #{id}"))
}

pub(crate) fn msg(key: &str, subs: &[&str]) -> String {
    ext::message(key, subs)
}

/// Re-reads storage and redraws: the one path by which anything changes on screen.
pub(crate) async fn refresh() {
    match storage::load_all().await {
        Ok(stored) => {
            with_model(|m| m.absorb(stored));
            view::render();
        }
        Err(error) => view::say_error("popup_storage_failed", &ext::describe_error(&error)),
    }
}

/// Entry point called by `popup.js`.
#[wasm_bindgen]
pub fn run_popup() -> Result<(), JsValue> {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("[o365-reauth-guide] popup: {info}").into());
        view::say_error("popup_start_failed", &info.to_string());
    }));
    view::localize();
    view::build_preparation();
    wire()?;
    // Stop the storage listener when the popup closes (Firefox keeps closed popups' listeners
    // until collected); `pagehide` fires for both a closing popup and a closing tab.
    let listener = Closure::<dyn FnMut(JsValue, JsValue)>::new(|_changes: JsValue, area: JsValue| {
        if area.as_string().as_deref() == Some("local") {
            wasm_bindgen_futures::spawn_local(refresh());
        }
    });
    let function: js_sys::Function = listener.as_ref().unchecked_ref::<js_sys::Function>().clone();
    ext::on_storage_changed(&function)?;
    listener.forget();
    let window = web_sys::window().ok_or("no window")?;
    EventListener::new(&window, "pagehide", move |_| ext::off_storage_changed(&function)).forget();
    wasm_bindgen_futures::spawn_local(async {
        refresh().await;
        by_id::<HtmlElement>("popup").remove_attribute("aria-busy").ok();
    });
    Ok(())
}

fn on(id: &str, event: &'static str, handler: impl FnMut(&web_sys::Event) + 'static) {
    // Not passive: some handlers cancel the browser's default (form submission, Escape).
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&by_id::<Element>(id), event, options, handler).forget();
}

/// Connects the controls of popup.html to their actions.
fn wire() -> Result<(), JsValue> {
    on("prep", "change", |event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        actions::spawn(actions::save_preparation(input.value(), input.checked()));
    });
    on("deadline", "change", |_| actions::spawn(actions::save_deadline()));
    on("record-account", "change", |_| actions::spawn(actions::save_record_account()));
    on("orgs", "change", |event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        with_model(|m| {
            m.selected = Some(input.value());
            m.confirming_reset = false;
            // Another org's diagnostics are another text: the box closes.
            m.diagnostics = None;
        });
        view::render();
    });
    on("ask-org", "click", |_| view::ask_for_address());
    on("address-form", "submit", |event| {
        event.prevent_default();
        actions::spawn(actions::add_org());
    });
    on("address", "input", |_| view::clear_address_error());
    on("pause", "click", |_| actions::spawn(actions::toggle_pause()));
    on("reset", "click", |_| {
        with_model(|m| m.confirming_reset = true);
        view::render();
        view::focus("reset-no");
    });
    on("reset-no", "click", |_| {
        with_model(|m| m.confirming_reset = false);
        view::render();
        view::focus("reset");
    });
    on("reset-yes", "click", |_| actions::spawn(actions::reset()));
    on("export-csv", "click", |_| actions::export(actions::Format::Csv));
    on("export-json", "click", |_| actions::export(actions::Format::Json));
    on("copy-text", "click", |_| actions::spawn(actions::copy_text()));
    // The file picker behind the Import button; its value is cleared so the same file can be
    // chosen again.
    on("import-json", "click", |_| by_id::<HtmlElement>("import-file").click());
    on("import-file", "change", |_| {
        let input: HtmlInputElement = by_id("import-file");
        let file = input.files().and_then(|files| files.get(0));
        input.set_value("");
        if let Some(file) = file {
            actions::spawn(actions::import_file(file));
        }
    });
    on("diagnostics", "click", |_| {
        actions::toggle_diagnostics();
        view::render();
    });
    on("diagnostics-copy", "click", |_| actions::copy_diagnostics());
    // Escape leaves the reset question without resetting, as a dialog would.
    on("reset-confirm", "keydown", |event| {
        if event.dyn_ref::<web_sys::KeyboardEvent>().is_some_and(|k| k.key() == "Escape") {
            event.prevent_default();
            with_model(|m| m.confirming_reset = false);
            view::render();
            view::focus("reset");
        }
    });
    Ok(())
}
