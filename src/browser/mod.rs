//! The browser-facing edge: everything here touches the DOM or the extension APIs.

use wasm_bindgen::prelude::*;

/// Id of the guide's root element in the page: the marker contract tests rely on.
pub const ROOT_ID: &str = "o365-reauth-guide";

/// Entry point called by `loader.js` once the engine is instantiated; `engine` is `"wasm"` or `"js"`.
#[wasm_bindgen]
pub fn run(engine: &str) -> Result<(), JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    if document.get_element_by_id(ROOT_ID).is_some() {
        return Ok(());
    }
    let root = document.create_element("div")?;
    root.set_id(ROOT_ID);
    root.set_attribute("data-engine", engine)?;
    document.document_element().ok_or("no root element")?.append_child(&root)?;
    Ok(())
}
