//! Reads the page for the pure core: candidates for the locator, and the observation of which
//! screen is shown. Reads only; the page is never modified here.

use crate::flow::{AppView, MicrosoftScreen, OAuthReturn, Observation, OktaPage, Page, Verification};
use crate::locator::{self, Candidate, IconFeatures, Target};
use crate::roadmap::{self, probes};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

pub const MICROSOFT_HOST: &str = "login.microsoftonline.com";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(extends = Element)]
    type VisibilityCheck;
    /// `Element.checkVisibility()`: false for `display:none` ancestors, `visibility:hidden`,
    /// `content-visibility` and zero opacity.
    #[wasm_bindgen(method, js_name = checkVisibility)]
    fn check_visibility(this: &VisibilityCheck, options: &JsValue) -> bool;

    #[wasm_bindgen(extends = Element)]
    type LinkElement;
    /// `HTMLLinkElement.sheet`: null while the stylesheet is on its way; set once it loads or fails.
    #[wasm_bindgen(method, getter)]
    fn sheet(this: &LinkElement) -> JsValue;
}

pub fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("a content script runs in a document")
}

/// Resolves once the page has a body, or has finished parsing without one: at once, unless the
/// content script started before the parser reached `<body>`.
pub async fn body_ready() {
    let document = document();
    if document.body().is_some() || document.ready_state() != "loading" {
        return;
    }
    let ready = js_sys::Promise::new(&mut |resolve, _| {
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = document.add_event_listener_with_callback_and_add_event_listener_options("DOMContentLoaded", &resolve, &once);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(ready).await;
}

/// Whether a stylesheet of the loading page is still on its way. Until it applies, what it hides
/// reads as shown (Microsoft keeps every screen in its HTML, "Need admin approval" too, and hides
/// all but one by CSS), while the page itself is not drawn yet. Once the page has loaded, a sheet
/// added later no longer holds its drawing back, so it does not hold the guide back either.
pub fn stylesheet_pending() -> bool {
    let document = document();
    document.ready_state() != "complete"
        // (A link without an address never gets a sheet: it is not waited for.)
        && gather(&document, "link[rel~=stylesheet][href]:not([href='']):not([rel~=alternate]):not([disabled])")
            .iter()
            .any(|link| link.unchecked_ref::<LinkElement>().sheet().is_null())
}

/// Rendered with a size, not hidden by CSS anywhere up the tree.
pub fn is_visible(element: &Element) -> bool {
    let rect = element.get_bounding_client_rect();
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return false;
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"checkOpacity".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&options, &"checkVisibilityCSS".into(), &JsValue::TRUE);
    let check: &VisibilityCheck = element.unchecked_ref();
    if js_sys::Reflect::has(element, &"checkVisibility".into()).unwrap_or(false) {
        check.check_visibility(&options)
    } else {
        true
    }
}

fn attr(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

/// Normalised text, lower-cased by the browser first (any script, not only ASCII).
fn normalized(text: &str) -> String {
    let lower: String = js_sys::JsString::from(text).to_lower_case().into();
    locator::normalize(&lower)
}

/// The name people see or hear for an element, normalised.
fn accessible_name(element: &Element, tag: &str, input_type: &str) -> String {
    let label = attr(element, "aria-label");
    if !label.trim().is_empty() {
        return normalized(&label);
    }
    if tag == "input" {
        let input = element.unchecked_ref::<web_sys::HtmlInputElement>();
        let text = match input_type {
            "button" | "submit" | "reset" => input.value(),
            _ => {
                let label = input.labels().and_then(|labels| labels.item(0)).and_then(|l| l.text_content());
                [label.unwrap_or_default(), attr(element, "placeholder"), attr(element, "title")]
                    .into_iter()
                    .find(|t| !t.trim().is_empty())
                    .unwrap_or_default()
            }
        };
        return normalized(&text);
    }
    let text = element.text_content().unwrap_or_default();
    // Long text is a container, not a label; cutting it keeps scoring cheap.
    let cut: String = text.chars().take(400).collect();
    normalized(&cut)
}

/// What the locator needs of an element, except visibility (`visible` is left true): reading it
/// costs a layout, so it is asked only of elements that could be the target.
fn candidate_unseen(element: &Element, typed: &[Element]) -> Candidate {
    let tag = element.tag_name().to_ascii_lowercase();
    let input_type = if tag == "input" { attr(element, "type").to_ascii_lowercase() } else { String::new() };
    let href = attr(element, "href");
    Candidate {
        role: locator::implied_role(&tag, &attr(element, "role"), &input_type, !href.is_empty()),
        name_text: accessible_name(element, &tag, &input_type),
        id: element.id(),
        name_attr: attr(element, "name"),
        class: attr(element, "class"),
        href,
        visible: true,
        typed: typed.iter().any(|t| t == element),
        tag,
    }
}

#[wasm_bindgen]
extern "C" {
    /// An element, document or shadow root: anything with `querySelectorAll`.
    type QueryRoot;
    #[wasm_bindgen(method, catch, js_name = querySelectorAll)]
    fn query_all(this: &QueryRoot, query: &str) -> Result<web_sys::NodeList, JsValue>;
}

/// Elements gathered by the target's query under `scope`, in document order.
fn gather(scope: &web_sys::Node, query: &str) -> Vec<Element> {
    let Ok(list) = scope.unchecked_ref::<QueryRoot>().query_all(query) else { return Vec::new() };
    // querySelectorAll yields elements only. No `instanceof` check: an element of a frame is not
    // an instance of this window's `Element`.
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.unchecked_into::<Element>()).collect()
}

fn root_element() -> Option<Element> {
    document().document_element()
}

/// Open shadow roots and same-origin frames, nested ones too: where a target may hide when the
/// document itself does not have it. Walks the whole tree, so only asked for when needed.
fn hidden_roots() -> Vec<web_sys::Node> {
    let mut roots = Vec::new();
    let mut queue: Vec<web_sys::Node> = root_element().into_iter().map(Into::into).collect();
    while let Some(scope) = queue.pop() {
        // One cheap call per element (no selector finds shadow hosts); frames by selector.
        for element in gather(&scope, "*") {
            if let Some(shadow) = element.shadow_root() {
                roots.push(shadow.clone().into());
                queue.push(shadow.into());
            }
        }
        for frame in gather(&scope, "iframe") {
            let frame_root = frame.unchecked_ref::<web_sys::HtmlIFrameElement>().content_document().and_then(|d| d.document_element());
            if let Some(frame_root) = frame_root {
                roots.push(frame_root.clone().into());
                queue.push(frame_root.into());
            }
        }
    }
    roots
}

/// The first of `targets` found, in the document or, failing that, in open shadow roots and
/// same-origin frames; with the index of the target that matched.
pub fn locate_first(targets: &[Target], typed: &[Element]) -> Option<(Vec<Element>, usize)> {
    let root: web_sys::Node = root_element()?.into();
    let in_root = |scope: &web_sys::Node| {
        targets.iter().enumerate().find_map(|(i, t)| {
            let found = locate_in(scope, t, typed);
            (!found.is_empty()).then_some((found, i))
        })
    };
    in_root(&root).or_else(|| hidden_roots().iter().find_map(in_root))
}

/// Where an element is in the top page's viewport, frames included.
pub fn viewport_rect(element: &Element) -> crate::layout::Rect {
    let r = element.get_bounding_client_rect();
    let (mut x, mut y) = (r.x(), r.y());
    let mut view = element.owner_document().and_then(|d| d.default_view());
    while let Some(frame) = view.as_ref().and_then(|w| w.frame_element().ok().flatten()) {
        let f = frame.get_bounding_client_rect();
        x += f.x() + f64::from(frame.client_left());
        y += f.y() + f64::from(frame.client_top());
        view = frame.owner_document().and_then(|d| d.default_view());
    }
    crate::layout::Rect { x, y, width: r.width(), height: r.height() }
}

/// The CSS `zoom` the page puts on `<html>` (where the guide's root lives), 1 when none.
pub fn page_zoom() -> f64 {
    let zoom = root_element()
        .and_then(|root| web_sys::window()?.get_computed_style(&root).ok().flatten())
        .and_then(|style| style.get_property_value("zoom").ok())
        .map(|z| js_sys::parse_float(&z))
        .unwrap_or(1.0);
    if zoom.is_finite() && zoom > 0.0 { zoom } else { 1.0 }
}

/// The elements that are the target now (several for a `many` target), best first.
pub fn locate_in(scope: &web_sys::Node, target: &Target, typed: &[Element]) -> Vec<Element> {
    // Ids first: a direct hit spares scoring every clickable element of a large page.
    if !target.ids.is_empty() {
        let by_id: Vec<String> = target.ids.iter().map(|id| format!("[id=\"{id}\"]")).collect();
        let found = pick_among(gather(scope, &by_id.join(",")), target, typed);
        if !found.is_empty() {
            return found;
        }
    }
    pick_among(gather(scope, target.query), target, typed)
}

fn pick_among(elements: Vec<Element>, target: &Target, typed: &[Element]) -> Vec<Element> {
    let candidates: Vec<Candidate> = elements
        .iter()
        .map(|e| {
            let mut c = candidate_unseen(e, typed);
            c.visible = locator::score(target, &c) >= locator::MIN_SCORE && is_visible(e);
            c
        })
        .collect();
    let picked = locator::pick(target, &candidates);
    // With nested matches (a link and the span inside it), keep the outermost.
    let chosen: Vec<Element> = picked.into_iter().map(|i| elements[i].clone()).collect();
    chosen
        .iter()
        .filter(|e| !chosen.iter().any(|other| other != *e && other.contains(Some(e))))
        .cloned()
        .collect()
}

/// The target in the document (probes and known targets: no search of hidden roots).
pub fn locate(target: &Target, typed: &[Element]) -> Vec<Element> {
    root_element().map(|root| locate_in(&root, target, typed)).unwrap_or_default()
}

fn found(target: &Target) -> bool {
    !locate(target, &[]).is_empty()
}

/// The Integration form around the Test API Credentials button: where the verification message
/// and the check marks are read.
pub fn integration_scope(test_button: &Element) -> Element {
    test_button
        .closest("form, [role=form], .o-form")
        .ok()
        .flatten()
        .unwrap_or_else(|| root_element().expect("document element"))
}

/// Visible green check marks under `scope`, outermost only (an icon wrapper and its SVG count once).
pub fn check_marks(scope: &Element) -> Vec<Element> {
    let window = web_sys::window().expect("window");
    let mut marks: Vec<Element> = Vec::new();
    for element in gather(scope, "svg, i, span, img, [class*=icon], [class*=check], [class*=success]") {
        if marks.iter().any(|m| m.contains(Some(&element))) {
            continue;
        }
        let style = window.get_computed_style(&element).ok().flatten();
        let colour = |property: &str| style.as_ref().and_then(|s| s.get_property_value(property).ok()).and_then(|v| locator::parse_rgb(&v));
        let text = element.text_content().unwrap_or_default();
        let icon = IconFeatures {
            class: attr(&element, "class"),
            is_svg: element.tag_name().eq_ignore_ascii_case("svg"),
            text: if text.chars().count() <= 3 { text } else { String::new() },
            color: colour("fill").filter(|_| element.tag_name().eq_ignore_ascii_case("svg")).or_else(|| colour("color")),
            visible: is_visible(&element),
        };
        if locator::is_check_mark(&icon) {
            marks.retain(|m| !element.contains(Some(m)));
            marks.push(element);
        }
    }
    marks
}

/// The Okta admin host, or for Microsoft's page the Okta host named in `redirect_uri`.
pub fn org_from_url(host: &str, query: &str) -> Option<String> {
    if host == MICROSOFT_HOST {
        let params = web_sys::UrlSearchParams::new_with_str(query).ok()?;
        let redirect = params.get("redirect_uri")?;
        let url = web_sys::Url::new(&redirect).ok()?;
        return crate::org::org_key(&url.hostname());
    }
    crate::org::org_key(host)
}

/// What one look read of the page: the observation for the flow, and the Integration form's
/// elements that the rest of the look needs again.
pub struct Seen {
    pub observation: Observation,
    /// The Test API Credentials button, when the Integration form is being edited.
    pub test_button: Option<Element>,
    /// The visible green check marks, once counted (after a successful test).
    pub check_marks: Option<Vec<Element>>,
}

impl Seen {
    /// The green check marks in the Integration form: those already counted, else read now.
    pub fn into_check_marks(self) -> Vec<Element> {
        self.check_marks
            .or_else(|| self.test_button.map(|button| check_marks(&integration_scope(&button))))
            .unwrap_or_default()
    }
}

/// Reads which screen the page shows.
pub fn observe() -> Seen {
    let location = document().location().expect("location");
    let host = location.hostname().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    if host == MICROSOFT_HOST {
        let screen = if found(&probes::MS_NEED_ADMIN) {
            MicrosoftScreen::NeedAdminApproval
        } else if found(&probes::MS_PERMISSIONS) {
            MicrosoftScreen::Permissions
        } else {
            MicrosoftScreen::SignIn
        };
        return Seen { observation: Observation::microsoft(screen), test_button: None, check_marks: None };
    }
    let params = web_sys::UrlSearchParams::new_with_str(&query).ok();
    let has = |name: &str| params.as_ref().is_some_and(|p| p.has(name));
    let oauth = if has("error") {
        OAuthReturn::Error
    } else if has("code") {
        OAuthReturn::Code
    } else {
        OAuthReturn::None
    };
    let mut observation = Observation { oauth, ..Observation::okta(OktaPage::Other) };
    let mut test_button = None;
    let mut marks = None;
    let page = match crate::org::okta_route(&path) {
        crate::org::Route::AppsList => OktaPage::AppsList,
        crate::org::Route::Other => OktaPage::Other,
        crate::org::Route::App { office365 } => {
            test_button = locate(&roadmap::TEST_API, &[]).into_iter().next();
            let view = if let Some(button) = &test_button {
                let scope = integration_scope(button);
                // The form's messages are text: read it once, score its elements only when it
                // has something to say.
                let text = normalized(&scope.text_content().unwrap_or_default());
                let says = |probe: &Target| locator::mentions(probe, &text) && !locate_in(&scope, probe, &[]).is_empty();
                if says(&probes::AUTH_ERROR) {
                    observation.oauth = OAuthReturn::Error;
                }
                observation.verification = if observation.oauth == OAuthReturn::Error {
                    Verification::None
                } else if says(&probes::VERIFIED_TEXT) {
                    Verification::Success
                } else if says(&probes::VERIFY_ERROR) {
                    Verification::Failure
                } else {
                    Verification::None
                };
                // Counting reads computed styles: only worth it once the test has succeeded.
                if observation.verification == Verification::Success {
                    let found = check_marks(&scope);
                    observation.check_marks = found.len() as u32;
                    marks = Some(found);
                }
                AppView::IntegrationEdit
            } else if found(&probes::INTEGRATION_FORM) && found(&roadmap::EDIT) {
                AppView::IntegrationView
            } else if found(&probes::CONFIGURE_API) {
                AppView::NoApiIntegration
            } else if found(&probes::PROVISIONING_SETTINGS) {
                AppView::ProvisioningSettings
            } else {
                AppView::Other
            };
            OktaPage::App { office365, view }
        }
    };
    observation.page = Page::Okta(page);
    Seen { observation, test_button, check_marks: marks }
}

/// The Admin Username typed in Okta's Integration form, the one around `test_button` (a
/// username, never the password field).
pub fn admin_username(test_button: &Element) -> Option<String> {
    let scope = integration_scope(test_button);
    gather(&scope, "input[type=text], input[type=email], input:not([type])")
        .into_iter()
        .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>().value().trim().to_string())
        .find(|v| v.contains('@'))
}
