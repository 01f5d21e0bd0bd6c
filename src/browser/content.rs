//! The content script's entry: starts the guide on a page; a panic stops it for good.

use super::listeners::EarlyChanges;
use super::{app, ext, page};
use crate::contract::ROOT_ID;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// `run` was called: the guide is being set up (storage and the page's body are awaited).
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        app::mark_dead();
        let text = ext::message("ui_error", &[&info.to_string()]);
        web_sys::console::error_1(&format!("[o365-reauth-guide] {text}").into());
        // The guide's state may be mid-update: remove what it drew without touching it.
        app::remove_traces();
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
    let early = EarlyChanges { changes, keep };
    if page::document().get_element_by_id(ROOT_ID).is_some() || STARTED.with(|s| s.replace(true)) {
        return Ok(());
    }
    let engine = engine.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = app::start(engine, stored, early).await {
            let text = ext::describe_error(&error);
            web_sys::console::error_1(&format!("[o365-reauth-guide] {}", ext::message("ui_error", &[&text])).into());
        }
    });
    Ok(())
}
