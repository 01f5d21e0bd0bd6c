//! DOM-facing code, tested in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use reauth_guide::browser::{dom, overlay};
use reauth_guide::flow::{AppView, OktaPage, Page};
use reauth_guide::roadmap;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Builds `children` (tag, attributes, text) into a fresh container in the body.
fn fixture(children: &[(&str, &[(&str, &str)], &str)]) -> Element {
    let doc = document();
    let container = doc.create_element("div").unwrap();
    for (tag, attributes, text) in children {
        let element = doc.create_element(tag).unwrap();
        for (name, value) in *attributes {
            element.set_attribute(name, value).unwrap();
        }
        if !text.is_empty() {
            element.set_text_content(Some(text));
        }
        container.append_child(&element).unwrap();
    }
    doc.body().unwrap().append_child(&container).unwrap();
    container
}

fn ids(elements: &[Element]) -> Vec<String> {
    elements.iter().map(|e| e.id()).collect()
}

/// Lets pending promise callbacks and tasks run.
async fn a_moment() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
}

#[wasm_bindgen_test]
async fn run_marks_the_page_with_the_engine_in_use_once_storage_has_answered() {
    // What the loader hands over: its storage read (not answered yet), the changes its listener
    // kept meanwhile, and that listener.
    let mut answer = None;
    let stored = js_sys::Promise::new(&mut |resolve, _| answer = Some(resolve));
    let keep = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {});
    reauth_guide::run("js", wasm_bindgen::JsValue::UNDEFINED, stored, js_sys::Array::new(), keep.as_ref().clone().into()).unwrap();
    a_moment().await;
    assert!(document().get_element_by_id("o365-reauth-guide").is_none(), "no guide before storage answers");
    answer.unwrap().call1(&wasm_bindgen::JsValue::NULL, &js_sys::Object::new()).unwrap();
    a_moment().await;
    let root = document().get_element_by_id("o365-reauth-guide").expect("guide root");
    assert_eq!(root.get_attribute("data-engine").as_deref(), Some("js"));
}

#[wasm_bindgen_test]
fn only_the_visible_button_of_several_with_one_id_is_located() {
    let area = fixture(&[
        ("input", &[("type", "submit"), ("id", "idSIButton9"), ("value", "Next"), ("style", "display:none")], ""),
        ("input", &[("type", "submit"), ("id", "idSIButton9"), ("value", "Accept"), ("class", "visible-one")], ""),
    ]);
    let found = dom::locate_in(&area, &roadmap::MS_ACCEPT, &[]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].get_attribute("class").as_deref(), Some("visible-one"));
    area.remove();
}

#[wasm_bindgen_test]
fn a_labelled_password_field_is_found_until_the_admin_types() {
    let area = fixture(&[
        ("label", &[("for", "pw-field")], "Admin Password"),
        ("input", &[("type", "password"), ("id", "pw-field"), ("name", "o-form-input-x1")], ""),
    ]);
    let found = dom::locate_in(&area, &roadmap::ADMIN_PASSWORD, &[]);
    assert_eq!(ids(&found), vec!["pw-field"]);
    assert!(dom::locate_in(&area, &roadmap::ADMIN_PASSWORD, &found).is_empty());
    area.remove();
}

#[wasm_bindgen_test]
fn hidden_and_zero_size_elements_are_not_visible() {
    let area = fixture(&[
        ("button", &[("id", "shown")], "Save"),
        ("button", &[("id", "hidden"), ("style", "visibility:hidden")], "Save"),
        ("button", &[("id", "none"), ("hidden", "")], "Save"),
        ("button", &[("id", "transparent"), ("style", "opacity:0")], "Save"),
    ]);
    let by_id = |id: &str| document().get_element_by_id(id).unwrap();
    assert!(dom::is_visible(&by_id("shown")));
    assert!(!dom::is_visible(&by_id("hidden")));
    assert!(!dom::is_visible(&by_id("none")));
    assert!(!dom::is_visible(&by_id("transparent")));
    area.remove();
}

#[wasm_bindgen_test]
fn green_check_icons_are_counted_once_each() {
    let area = fixture(&[
        ("span", &[("class", "icon success-16-green"), ("style", "color: rgb(46, 125, 50)")], ""),
        ("span", &[("class", "glyph"), ("style", "color: green")], "✔"),
        ("span", &[("class", "icon error-16-red"), ("style", "color: rgb(200, 30, 30)")], ""),
        ("span", &[("class", "grey"), ("style", "color: gray")], "✓"),
    ]);
    // An SVG inside the first icon: one check mark, not two.
    let svg = document().create_element_ns(Some("http://www.w3.org/2000/svg"), "svg").unwrap();
    svg.set_attribute("class", "icon check").unwrap();
    svg.set_attribute("width", "16").unwrap();
    svg.set_attribute("height", "16").unwrap();
    area.first_element_child().unwrap().append_child(&svg).unwrap();
    for child in [area.first_element_child().unwrap()] {
        child.unchecked_ref::<HtmlElement>().style().set_property("display", "inline-block").unwrap();
        child.unchecked_ref::<HtmlElement>().style().set_property("width", "16px").unwrap();
        child.unchecked_ref::<HtmlElement>().style().set_property("height", "16px").unwrap();
    }
    assert_eq!(dom::check_marks(&area).len(), 2);
    area.remove();
}

#[wasm_bindgen_test]
fn the_overlay_lives_in_a_closed_shadow_root_and_marks_its_state() {
    let doc = document();
    let overlay = overlay::Overlay::create(&doc, "overlay-test-root", "wasm").unwrap();
    assert!(overlay.host.shadow_root().is_none(), "closed: the page cannot reach in");
    overlay.set_marker(Some("edit"), "highlighting");
    let host = doc.get_element_by_id("overlay-test-root").unwrap();
    assert_eq!(host.get_attribute("data-step").as_deref(), Some("edit"));
    assert_eq!(host.get_attribute("data-state").as_deref(), Some("highlighting"));
    assert_eq!(host.parent_element(), doc.document_element(), "on <html>, away from a transformed body");
    overlay.remove();
    assert!(doc.get_element_by_id("overlay-test-root").is_none());
}

#[wasm_bindgen_test]
fn the_observation_reads_an_okta_page_that_is_not_an_app() {
    let (observation, test_button) = dom::observe();
    // The test runner's page is neither Okta's app list nor an app page.
    assert_eq!(observation.page, Page::Okta(OktaPage::Other));
    assert!(test_button.is_none(), "no Integration form is being edited");
    let _ = AppView::Other;
}

#[wasm_bindgen_test]
async fn targets_in_open_shadow_roots_and_same_origin_frames_are_found() {
    let doc = document();
    // Open shadow root.
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let shadow = host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)).unwrap();
    let button = doc.create_element("button").unwrap();
    button.set_id("in-shadow");
    button.set_text_content(Some("Test API Credentials"));
    shadow.append_child(&button).unwrap();
    let (found, index) = dom::locate_first(&[roadmap::TEST_API], &[]).expect("found in the shadow root");
    assert_eq!((ids(&found), index), (vec!["in-shadow".to_string()], 0));
    host.remove();

    // Same-origin frame, with its offset added to the element's rectangle.
    let frame: web_sys::HtmlIFrameElement = doc.create_element("iframe").unwrap().unchecked_into();
    frame.set_attribute("style", "position:absolute; left:100px; top:50px; width:300px; height:200px; border:0").unwrap();
    doc.body().unwrap().append_child(&frame).unwrap();
    let inner = frame.content_document().expect("same-origin frame");
    let save = inner.create_element("button").unwrap();
    save.set_id("in-frame");
    save.set_text_content(Some("Save"));
    save.set_attribute("style", "position:absolute; left:10px; top:20px").unwrap();
    inner.body().unwrap().append_child(&save).unwrap();
    let (found, _) = dom::locate_first(&[roadmap::SAVE], &[]).expect("found in the frame");
    assert_eq!(ids(&found), vec!["in-frame"]);
    let rect = dom::viewport_rect(&found[0]);
    let own = found[0].get_bounding_client_rect();
    assert_eq!((rect.x - own.x(), rect.y - own.y()), (100.0, 50.0));
    frame.remove();
}
