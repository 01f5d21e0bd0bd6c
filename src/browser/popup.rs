//! The toolbar popup: the admin's checklist (preparation, progress per org, history, report).

use wasm_bindgen::prelude::*;

/// Entry point called by `popup.js`.
#[wasm_bindgen]
pub fn run_popup() -> Result<(), JsValue> {
    Ok(())
}
