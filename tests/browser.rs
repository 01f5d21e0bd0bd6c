//! DOM-facing code, tested in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
fn run_marks_the_page_with_the_engine_in_use() {
    reauth_guide::run("js").unwrap();
    let root = document().get_element_by_id("o365-reauth-guide").expect("guide root");
    assert_eq!(root.get_attribute("data-engine").as_deref(), Some("js"));
}
