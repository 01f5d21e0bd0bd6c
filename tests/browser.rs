//! DOM-facing code, tested in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use reauth_guide::browser::{overlay, page};
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
    // The extension API as far as the guide's start needs it: storage's change event, the
    // runtime (alive), messages. (Without a storage event to listen to, the guide shuts down.)
    let api = js_sys::Function::new_no_args(
        "return { storage: { onChanged: { addListener() {}, removeListener() {} } }, runtime: { id: 'test' }, i18n: { getMessage: () => '' } };",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .unwrap();
    reauth_guide::run("js", api, stored, js_sys::Array::new(), keep.as_ref().clone().into()).unwrap();
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
    let found = page::locate_in(&area, &roadmap::MS_ACCEPT, &[]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].get_attribute("class").as_deref(), Some("visible-one"));
    area.remove();
}

#[wasm_bindgen_test]
fn within_one_look_each_probe_is_read_for_itself() {
    // Both probes have no label, and the page has the words of one of MS_PERMISSIONS' phrases
    // outside any heading: a cache keyed too loosely gave the second probe the first's candidates.
    let area = fixture(&[("p", &[], "The requested permissions are listed below."), ("h2", &[], "Need admin approval")]);
    let _look = reauth_guide::browser::look_cache::LookCache::begin();
    assert!(page::locate_in(&area, &roadmap::probes::MS_PERMISSIONS, &[]).is_empty());
    let found = page::locate_in(&area, &roadmap::probes::MS_NEED_ADMIN, &[]);
    assert_eq!(found.iter().map(|e| e.tag_name()).collect::<Vec<_>>(), vec!["H2"]);
    area.remove();
}

#[wasm_bindgen_test]
fn a_target_named_by_text_inside_its_children_is_found() {
    let doc = document();
    let area = doc.create_element("div").unwrap();
    area.set_inner_html(
        "<p>Integration settings</p>\
         <a href='#x' class='test'><span>Test API</span> <span>Credentials</span></a>\
         <button type='button'><span><b>Save</b></span></button>",
    );
    doc.body().unwrap().append_child(&area).unwrap();
    let _look = reauth_guide::browser::look_cache::LookCache::begin();
    let test = page::locate_in(&area, &roadmap::TEST_API, &[]);
    assert_eq!(test.iter().map(|e| e.tag_name()).collect::<Vec<_>>(), vec!["A"], "words in two spans");
    let save = page::locate_in(&area, &roadmap::SAVE, &[]);
    assert_eq!(save.iter().map(|e| e.tag_name()).collect::<Vec<_>>(), vec!["BUTTON"], "the word two levels down");
    area.remove();
}

#[wasm_bindgen_test]
fn a_control_shown_only_by_its_pointer_cursor_is_found_by_its_words() {
    let doc = document();
    let area = doc.create_element("div").unwrap();
    // The same words in a plain note first; the clickable one is a div with a handler, its
    // words one level down.
    area.set_inner_html(
        "<p>Then choose Authenticate with Microsoft.</p>\
         <div class='panel'><div class='action' id='pointer-action' style='cursor: pointer'><span>Authenticate with Microsoft</span></div></div>",
    );
    doc.body().unwrap().append_child(&area).unwrap();
    let _look = reauth_guide::browser::look_cache::LookCache::begin();
    let found = page::locate_in(&area, &roadmap::REAUTHENTICATE, &[]);
    assert_eq!(ids(&found), vec!["pointer-action"]);
    area.remove();
}

#[wasm_bindgen_test]
fn a_labelled_password_field_is_found_until_the_admin_types() {
    let area = fixture(&[
        ("label", &[("for", "pw-field")], "Admin Password"),
        ("input", &[("type", "password"), ("id", "pw-field"), ("name", "o-form-input-x1")], ""),
    ]);
    let found = page::locate_in(&area, &roadmap::ADMIN_PASSWORD, &[]);
    assert_eq!(ids(&found), vec!["pw-field"]);
    assert!(page::locate_in(&area, &roadmap::ADMIN_PASSWORD, &found).is_empty());
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
    assert!(page::is_visible(&by_id("shown")));
    assert!(!page::is_visible(&by_id("hidden")));
    assert!(!page::is_visible(&by_id("none")));
    assert!(!page::is_visible(&by_id("transparent")));
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
    assert_eq!(page::check_marks(&area).len(), 2);
    area.remove();
}

#[wasm_bindgen_test]
fn the_overlay_lives_in_a_closed_shadow_root_and_marks_its_state() {
    let doc = document();
    let overlay = overlay::Overlay::create(&doc, "overlay-test-root", "wasm", "nl", "ltr").unwrap();
    assert!(overlay.host.shadow_root().is_none(), "closed: the page cannot reach in");
    overlay.set_marker(Some("edit"), "highlighting");
    let host = doc.get_element_by_id("overlay-test-root").unwrap();
    assert_eq!(host.get_attribute("data-step").as_deref(), Some("edit"));
    assert_eq!(host.get_attribute("data-state").as_deref(), Some("highlighting"));
    assert_eq!(host.parent_element(), doc.document_element(), "on <html>, away from a transformed body");
    // The card carries its messages' language (a screen reader's voice) and direction.
    let speaking = overlay.card().closest("[lang]").unwrap().expect("an element with lang around the card");
    assert_eq!((speaking.get_attribute("lang").as_deref(), speaking.get_attribute("dir").as_deref()), (Some("nl"), Some("ltr")));
    overlay.remove();
    assert!(doc.get_element_by_id("overlay-test-root").is_none());
    // A missing message comes back as its key: no language is claimed then.
    let unnamed = overlay::Overlay::create(&doc, "overlay-test-root", "wasm", "popup_lang", "ui_dir").unwrap();
    assert!(unnamed.card().closest("[lang], [dir]").unwrap().is_none());
    unnamed.remove();
}

#[wasm_bindgen_test]
fn a_page_change_is_told_at_before_or_after_the_marks() {
    use reauth_guide::browser::marks::{Change, Marks};
    let doc = document();
    let area = fixture(&[("div", &[("id", "beside-banner")], ""), ("form", &[("id", "beside-form")], ""), ("table", &[("id", "beside-table")], "")]);
    let banner = doc.get_element_by_id("beside-banner").unwrap();
    let form = doc.get_element_by_id("beside-form").unwrap();
    let table = doc.get_element_by_id("beside-table").unwrap();
    let button = doc.create_element("button").unwrap();
    form.append_child(&button).unwrap();
    let mut marks = Marks::default();
    let observer = web_sys::MutationObserver::new(&js_sys::Function::new_no_args("")).unwrap();
    let init = web_sys::MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    init.set_attributes(true);
    observer.observe_with_options(&area, &init).unwrap();
    let change = |marks: &Marks, change: &dyn Fn()| {
        observer.take_records();
        change();
        marks.change(&observer.take_records())
    };
    let rows = || {
        let body = doc.create_element("tbody").unwrap();
        body.set_inner_html("<tr><td><a href='/admin/user/1'>User 1</a></td></tr>");
        table.replace_children_with_node_1(&body);
    };
    let paragraph = || doc.create_element("p").unwrap();
    assert_eq!(change(&marks, &rows), Change::AtMarks, "nothing marked: every change counts");
    marks.set(vec![button.clone()], roadmap::StepId::TestApi, vec![form.clone()], Vec::new());
    assert_eq!(change(&marks, &rows), Change::AfterMarks, "a table re-rendered after the form");
    assert_eq!(change(&marks, &|| table.set_attribute("class", "striped").unwrap()), Change::AfterMarks);
    assert_eq!(change(&marks, &|| banner.append_child(&paragraph()).map(drop).unwrap()), Change::BeforeMarks, "above the form: it may have moved");
    assert_eq!(change(&marks, &|| area.append_child(&paragraph()).map(drop).unwrap()), Change::BeforeMarks, "a sibling added around it");
    assert_eq!(change(&marks, &|| form.append_child(&paragraph()).map(drop).unwrap()), Change::AtMarks, "inside the kept form");
    assert_eq!(change(&marks, &|| button.set_attribute("class", "busy").unwrap()), Change::AtMarks, "on the marked element");
    assert_eq!(change(&marks, &|| area.set_attribute("class", "hidden").unwrap()), Change::AtMarks, "an attribute around the marks may hide them");
    let taken_out = || {
        rows();
        button.remove();
    };
    assert_eq!(change(&marks, &taken_out), Change::AtMarks, "the marked element taken out, with a change beside it");
    observer.disconnect();
    marks.clear();
    area.remove();
}

#[wasm_bindgen_test]
fn the_observation_reads_an_okta_page_that_is_not_an_app() {
    let seen = page::observe(None, false);
    // The test runner's page is neither Okta's app list nor an app page.
    assert_eq!(seen.observation.page, Page::Okta(OktaPage::Other));
    assert!(seen.test_button.is_none(), "no Integration form is being edited");
    assert!(seen.check_marks.is_none(), "nothing counted without a successful test");
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
    let (found, index) = page::locate_first(&[roadmap::TEST_API], &[]).expect("found in the shadow root");
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
    let (found, _) = page::locate_first(&[roadmap::SAVE], &[]).expect("found in the frame");
    assert_eq!(ids(&found), vec!["in-frame"]);
    let rect = page::viewport_rect(&found[0]);
    let own = found[0].get_bounding_client_rect();
    assert_eq!((rect.x - own.x(), rect.y - own.y()), (100.0, 50.0));
    frame.remove();
}

mod stored_values {
    use reauth_guide::browser::stored_value::StoredValue;
    use reauth_guide::browser::storage;
    use reauth_guide::progress::{Progress, StepTime, StoredError};
    use reauth_guide::roadmap::StepId;
    use reauth_guide::settings::Settings;
    use serde::Deserialize;
    use std::collections::BTreeMap;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::*;

    const ORG: &str = "acme-admin.okta.com";

    fn json(text: &str) -> JsValue {
        js_sys::JSON::parse(text).unwrap()
    }

    fn set(object: &JsValue, key: &str, value: &JsValue) {
        js_sys::Reflect::set(object, &JsValue::from_str(key), value).unwrap();
    }

    fn delete(object: &JsValue, key: &str) {
        js_sys::Reflect::delete_property(object.unchecked_ref::<js_sys::Object>(), &JsValue::from_str(key)).unwrap();
    }

    fn full_progress() -> Progress {
        let mut p = Progress::new(ORG, 1_700_000_000_123.5);
        p.step = StepId::TestApi;
        p.finished_at = Some(1_700_000_100_000.0);
        p.paused = true;
        p.consented = true;
        p.expected_account = Some("admin@acme.onmicrosoft.com".into());
        p.account_used = Some("admin@acme.onmicrosoft.com".into());
        p.history.push(StepTime { step: StepId::Integration, at: 1_700_000_050_000.0 });
        p.notice = Some("notice_reset_corrupt".into());
        p
    }

    fn stored(p: &Progress) -> JsValue {
        storage::to_js(p).unwrap()
    }

    fn unreadable(value: &JsValue) -> String {
        match storage::decode(value, ORG) {
            Err(StoredError::Unreadable(why)) => why,
            other => panic!("expected an unreadable record, got {other:?}"),
        }
    }

    #[wasm_bindgen_test]
    fn a_progress_round_trips_through_storage_values() {
        for p in [Progress::new(ORG, 5.0), full_progress()] {
            let value = stored(&p);
            assert_eq!(js_sys::Reflect::get(&value, &"step".into()).unwrap(), JsValue::from_str(p.step.as_str()));
            assert_eq!(storage::decode(&value, ORG), Ok(Some(p)));
        }
        // Also through a structured clone's JSON form, as Chromium's storage keeps it.
        let p = full_progress();
        let copied = json(&String::from(js_sys::JSON::stringify(&stored(&p)).unwrap()));
        assert_eq!(storage::decode(&copied, ORG), Ok(Some(p)));
    }

    #[wasm_bindgen_test]
    fn nothing_stored_is_no_progress() {
        assert_eq!(storage::decode(&JsValue::UNDEFINED, ORG), Ok(None));
        assert_eq!(storage::decode(&JsValue::NULL, ORG), Ok(None));
    }

    #[wasm_bindgen_test]
    fn bad_records_are_errors_not_panics() {
        let unknown_step = stored(&full_progress());
        set(&unknown_step, "step", &"launch-rockets".into());
        assert_eq!(unreadable(&unknown_step), "unknown variant `launch-rockets`");

        let missing = stored(&full_progress());
        delete(&missing, "step");
        assert_eq!(unreadable(&missing), "missing field `step`");

        let wrong_type = stored(&full_progress());
        set(&wrong_type, "paused", &"yes".into());
        assert_eq!(unreadable(&wrong_type), "invalid type: a string");

        let string_time = stored(&full_progress());
        set(&string_time, "startedAt", &"1700000000000".into());
        assert_eq!(unreadable(&string_time), "invalid type: a string");

        let string_schema = stored(&full_progress());
        set(&string_schema, "schema", &"1".into());
        assert!(matches!(storage::decode(&string_schema, ORG), Err(StoredError::Unreadable(_))));

        let fractional_schema = stored(&full_progress());
        set(&fractional_schema, "schema", &JsValue::from_f64(1.5));
        assert_eq!(unreadable(&fractional_schema), "invalid type: a number");

        let huge_schema = stored(&full_progress());
        set(&huge_schema, "schema", &JsValue::from_f64(1e12));
        assert_eq!(unreadable(&huge_schema), "invalid value: a number");

        let step_as_number = stored(&full_progress());
        set(&step_as_number, "step", &JsValue::from_f64(3.0));
        assert_eq!(unreadable(&step_as_number), "invalid type: a number");

        let bad_history = stored(&full_progress());
        set(&bad_history, "history", &json(r#"[{"step":"edit"}]"#));
        assert_eq!(unreadable(&bad_history), "missing field `at`");

        let history_not_array = stored(&full_progress());
        set(&history_not_array, "history", &json(r#"{"0":{"step":"edit","at":1}}"#));
        assert_eq!(unreadable(&history_not_array), "invalid type: an object");

        // NaN and infinite times are numbers: read, then refused by the consistency check.
        for bad in [f64::NAN, f64::INFINITY, -5.0] {
            let bad_time = stored(&full_progress());
            set(&bad_time, "updatedAt", &JsValue::from_f64(bad));
            assert_eq!(storage::decode(&bad_time, ORG), Err(StoredError::Inconsistent("time")));
        }
        let nan_in_history = stored(&full_progress());
        let first = js_sys::Reflect::get(&js_sys::Reflect::get(&nan_in_history, &"history".into()).unwrap(), &0.into()).unwrap();
        set(&first, "at", &JsValue::from_f64(f64::NAN));
        assert_eq!(storage::decode(&nan_in_history, ORG), Err(StoredError::Inconsistent("time")));
        let null_time = stored(&full_progress());
        set(&null_time, "history", &json(r#"[{"step":"edit","at":null}]"#));
        assert_eq!(unreadable(&null_time), "invalid type: null");

        let other_schema = stored(&full_progress());
        set(&other_schema, "schema", &JsValue::from_f64(7.0));
        set(&other_schema, "step", &"launch-rockets".into());
        assert_eq!(storage::decode(&other_schema, ORG), Err(StoredError::WrongSchema(7)));

        let other_org = stored(&full_progress());
        assert_eq!(storage::decode(&other_org, "evil-admin.okta.com"), Err(StoredError::Inconsistent("org")));

        // A property present but undefined is read as such: none for an optional field, an error
        // for a flag (it is not treated as missing).
        let undefined_notice = stored(&full_progress());
        set(&undefined_notice, "notice", &JsValue::UNDEFINED);
        assert_eq!(storage::decode(&undefined_notice, ORG).unwrap().unwrap().notice, None);
        let undefined_flag = stored(&full_progress());
        set(&undefined_flag, "paused", &JsValue::UNDEFINED);
        assert_eq!(unreadable(&undefined_flag), "invalid type: null");

        let garbage = [
            JsValue::from_str("garbage"),
            JsValue::from_f64(42.0),
            JsValue::from_f64(f64::NAN),
            JsValue::TRUE,
            json("[1, 2]"),
            json("{}"),
            js_sys::Symbol::for_("x").into(),
            js_sys::Function::new_no_args("return 1").into(),
        ];
        for value in garbage {
            assert!(matches!(storage::decode(&value, ORG), Err(StoredError::Unreadable(_))), "{value:?}");
        }
    }

    #[wasm_bindgen_test]
    fn settings_read_back_or_fall_back_to_defaults() {
        let mut settings = Settings::default();
        settings.record_account = true;
        settings.prepared = vec!["coworkers".into(), "hours".into()];
        assert_eq!(storage::decode_settings(&storage::to_js(&settings).unwrap()), settings);
        assert_eq!(storage::decode_settings(&JsValue::UNDEFINED), Settings::default());
        assert_eq!(storage::decode_settings(&JsValue::from_str("garbage")), Settings::default());
        assert_eq!(storage::decode_settings(&json(r#"{"prepared":[1]}"#)), Settings::default());
        let partial = storage::decode_settings(&json(r#"{"recordAccount":true}"#));
        assert!(partial.record_account);
        assert_eq!(partial.deadline, Settings::default().deadline);
    }

    #[wasm_bindgen_test]
    fn values_are_written_as_plain_json_values() {
        let mut p = Progress::new(ORG, 5.0);
        p.expected_account = Some("admin@acme.onmicrosoft.com".into());
        let text = String::from(js_sys::JSON::stringify(&stored(&p)).unwrap());
        assert_eq!(
            text,
            r#"{"schema":1,"org":"acme-admin.okta.com","step":"applications","startedAt":5,"updatedAt":5,"finishedAt":null,"paused":false,"consented":false,"accepted":false,"verified":false,"saveClicked":false,"expectedAccount":"admin@acme.onmicrosoft.com","accountUsed":null,"history":[{"step":"applications","at":5}],"dismissed":false,"notice":null}"#
        );
        let json_of = |value: JsValue| String::from(js_sys::JSON::stringify(&value).unwrap());
        assert_eq!(json_of(storage::to_js(&BTreeMap::from([("a", (1u8, 'x'))])).unwrap()), r#"{"a":[1,"x"]}"#);
        assert_eq!(json_of(storage::to_js(&Some(-9_007_199_254_740_991i64)).unwrap()), "-9007199254740991");
        assert_eq!(json_of(storage::to_js(&()).unwrap()), "null");
        // Refused, with a fixed text: what a JS number cannot hold, keys that are not strings.
        assert!(storage::to_js(&(1u64 << 53)).unwrap_err().is_string());
        assert!(storage::to_js(&i64::MIN).is_err());
        assert!(storage::to_js(&BTreeMap::from([(1u32, true)])).is_err());
    }

    #[wasm_bindgen_test]
    fn other_shapes_read_as_serde_expects() {
        fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
            T::deserialize(StoredValue(json(text))).map_err(|e| e.as_str().to_string())
        }
        assert_eq!(read::<Vec<u32>>("[1, 2, 3]"), Ok(vec![1, 2, 3]));
        assert_eq!(read::<Vec<i64>>("[-9007199254740991, 0]"), Ok(vec![-9_007_199_254_740_991, 0]));
        assert_eq!(read::<u8>("256"), Err("invalid value: a number".to_string()));
        assert_eq!(read::<u64>("1e300"), Err("invalid type: a number".to_string()));
        assert_eq!(read::<Option<String>>("null"), Ok(None));
        assert_eq!(read::<Option<String>>(r#""x""#), Ok(Some("x".to_string())));
        assert_eq!(read::<(u32, bool)>("[7, true]"), Ok((7, true)));
        assert_eq!(read::<(u32, bool)>("[7]"), Err("invalid length".to_string()));
        let map: BTreeMap<String, f64> = read(r#"{"a": 1.5, "b": 2}"#).unwrap();
        assert_eq!(map, BTreeMap::from([("a".to_string(), 1.5), ("b".to_string(), 2.0)]));
        assert_eq!(read::<BTreeMap<String, f64>>("[1]"), Err("invalid type: an array".to_string()));
        assert_eq!(read::<StepId>(r#""test-api""#), Ok(StepId::TestApi));
        assert_eq!(read::<StepId>(r#"{"test-api": null}"#), Err("invalid type: an object".to_string()));
        assert_eq!(read::<serde::de::IgnoredAny>(r#"{"deep": [1, {"x": null}]}"#).map(|_| ()), Ok(()));
        assert_eq!(read::<bool>("1"), Err("invalid type: a number".to_string()));
    }
}
