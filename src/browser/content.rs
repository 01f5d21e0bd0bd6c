//! The content script's entry: starts the guide on a page and stops it for good when the
//! extension goes away or the Rust code panics.

use super::guide::{self, Guide};
use super::overlay::Overlay;
use super::{dom, ext, observers, storage};
use crate::progress::Progress;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

/// Id of the guide's root element in the page: the marker contract tests rely on.
pub const ROOT_ID: &str = "o365-reauth-guide";

thread_local! {
    static GUIDE: RefCell<Option<Guide>> = const { RefCell::new(None) };
    static DEAD: Cell<bool> = const { Cell::new(false) };
    /// `run` was called: the guide is being set up (storage and the page's body are awaited).
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on the guide, if there is one and it is not already in use.
pub(crate) fn with_guide<R>(f: impl FnOnce(&mut Guide) -> R) -> Option<R> {
    GUIDE.with(|g| g.try_borrow_mut().ok()?.as_mut().map(f))
}

pub(crate) fn is_dead() -> bool {
    DEAD.with(Cell::get)
}

/// Stops the guide for good and removes its traces from the page.
pub(crate) fn shut_down(reason: &str) {
    if DEAD.with(|d| d.replace(true)) {
        return;
    }
    web_sys::console::info_1(&format!("[o365-reauth-guide] stopped: {reason}").into());
    observers::stop();
    if let Some(mut guide) = GUIDE.with(|g| g.try_borrow_mut().ok().and_then(|mut g| g.take())) {
        guide.teardown();
    } else {
        guide::remove_traces();
    }
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        DEAD.with(|d| d.set(true));
        let text = ext::message("ui_error", &[&info.to_string()]);
        web_sys::console::error_1(&format!("[o365-reauth-guide] {text}").into());
        // The guide's state may be mid-update: remove what it drew without touching it.
        guide::remove_traces();
    }));
}

/// Entry point called by `loader.js` once the engine is instantiated (often before the page has
/// finished loading: the content script starts at document_start); `engine` is `"wasm"` or
/// `"js"`, `api` the extension API object of the content script. `stored` is the loader's read
/// of everything in `storage.local`, started at once; `changes` are the storage changes its
/// listener `keep` has seen since (`[changes, areaName]` pairs).
#[wasm_bindgen]
pub fn run(engine: &str, api: JsValue, stored: js_sys::Promise, changes: js_sys::Array, keep: js_sys::Function) -> Result<(), JsValue> {
    ext::set_api(api);
    install_panic_hook();
    let early = observers::EarlyChanges { changes, keep };
    let document = dom::document();
    if document.get_element_by_id(ROOT_ID).is_some() || GUIDE.with(|g| g.borrow().is_some()) || STARTED.with(|s| s.replace(true)) {
        return Ok(());
    }
    let location = document.location().ok_or("no location")?;
    let host = location.hostname()?;
    let from_url = dom::org_from_url(&host, &location.search()?);
    let engine = engine.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = start(&engine, host, from_url, stored, early).await {
            let text = ext::describe_error(&error);
            web_sys::console::error_1(&format!("[o365-reauth-guide] {}", ext::message("ui_error", &[&text])).into());
        }
    });
    Ok(())
}

async fn start(engine: &str, host: String, from_url: Option<String>, stored: js_sys::Promise, early: observers::EarlyChanges) -> Result<(), JsValue> {
    let on_microsoft = host == dom::MICROSOFT_HOST;
    let items = wasm_bindgen_futures::JsFuture::from(stored).await?;
    // Okta pages name their org; Microsoft's may not (then: the last active org).
    let storage::Start { org, settings, stored } = if on_microsoft || from_url.is_some() {
        storage::start_from(&items, from_url.clone())?
    } else {
        storage::Start { org: None, settings: Default::default(), stored: Ok(None) }
    };
    // The guide's root goes after the page's body, which the parser may not have reached yet.
    dom::body_ready().await;
    let document = dom::document();
    if is_dead() || document.get_element_by_id(ROOT_ID).is_some() {
        return Ok(());
    }
    let overlay = Overlay::create(&document, ROOT_ID, engine)?;
    overlay.set_marker(None, "idle");
    GUIDE.with(|g| *g.borrow_mut() = Some(Guide::new(overlay, from_url.clone())));
    let mut progress = None;
    let mut needs_save = false;
    if let Some(org) = &org {
        progress = match stored {
            Ok(stored) => stored,
            Err(error) => {
                needs_save = true;
                Some(Guide::reset_unreadable(org, &error))
            }
        };
        if progress.is_none() && !on_microsoft {
            // An Okta admin page with no record yet: the guide starts at the first step.
            progress = Some(Progress::new(org, js_sys::Date::now()));
            needs_save = true;
        }
        // On Microsoft's page with only the last active org to go by, guide only mid-flow.
        if on_microsoft && from_url.is_none() && !progress.as_ref().is_some_and(|p| p.step.hands_off_to_microsoft()) {
            progress = None;
        }
    }
    with_guide(|guide| {
        guide.org = org.clone();
        guide.progress = progress;
        guide.settings = settings;
        if needs_save {
            guide.persist();
        }
        if guide.progress.is_some() && !guide::carries_microsoft_answer() {
            // A page just opened for the org is where the admin works now.
            guide.claim();
        }
    });
    observers::start(org, early)?;
    Ok(())
}
