//! Reads the page for the pure core: candidates for the locator, and the observation of which
//! screen is shown. Reads only; the page is never modified here.

use std::rc::Rc;

use super::look_cache::{self, Gathered};
use crate::flow::{AppView, Observation, OktaPage, Page};
use crate::locator::{self, Candidate, IconFeatures, Target};
use crate::recognize::{self, Message, MicrosoftFacts, OktaFacts, Tone};
use crate::roadmap::{self, probes, StepId};
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

thread_local! {
    /// `checkVisibility`'s options, made once (`None` where the browser lacks it): it is asked of
    /// every candidate a look scores and every element a diagnostics outline holds.
    static VISIBILITY_OPTIONS: std::cell::OnceCell<Option<js_sys::Object>> = const { std::cell::OnceCell::new() };
}

/// Rendered with a size, not hidden by CSS anywhere up the tree.
pub fn is_visible(element: &Element) -> bool {
    let rect = element.get_bounding_client_rect();
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return false;
    }
    VISIBILITY_OPTIONS.with(|options| {
        let options = options.get_or_init(|| {
            js_sys::Reflect::has(element, &"checkVisibility".into()).unwrap_or(false).then(|| {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&options, &"checkOpacity".into(), &JsValue::TRUE);
                let _ = js_sys::Reflect::set(&options, &"checkVisibilityCSS".into(), &JsValue::TRUE);
                options
            })
        });
        options.as_ref().is_none_or(|options| element.unchecked_ref::<VisibilityCheck>().check_visibility(options))
    })
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
pub(crate) fn candidate_unseen(element: &Element, typed: &[Element]) -> Candidate {
    let tag = element.tag_name().to_ascii_lowercase();
    let input_type = if tag == "input" { attr(element, "type").to_ascii_lowercase() } else { String::new() };
    let href = attr(element, "href");
    Candidate {
        role: locator::implied_role(&tag, &attr(element, "role"), &input_type, !href.is_empty()),
        name_text: accessible_name(element, &tag, &input_type),
        id: element.id(),
        name_attr: attr(element, "name"),
        class: attr(element, "class"),
        data_se: format!("{} {}", attr(element, "data-se"), attr(element, "data-testid")).trim().to_ascii_lowercase(),
        href,
        visible: true,
        // A field the page filled in (Microsoft's remembered account) is as done as a typed one;
        // a password field's value is never looked at.
        typed: typed.iter().any(|t| t == element)
            || (tag == "input" && input_type != "password" && !element.unchecked_ref::<web_sys::HtmlInputElement>().value().trim().is_empty()),
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
pub(crate) fn gather(scope: &web_sys::Node, query: &str) -> Vec<Element> {
    let Ok(list) = scope.unchecked_ref::<QueryRoot>().query_all(query) else { return Vec::new() };
    // querySelectorAll yields elements only. No `instanceof` check: an element of a frame is not
    // an instance of this window's `Element`.
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.unchecked_into::<Element>()).collect()
}

pub(crate) fn root_element() -> Option<Element> {
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
        let key = format!("ids {}", target.ids.join(","));
        let found = pick_among(&look_cache::gathered(scope, &key, || read_candidates(by_ids(scope, target.ids))), target, typed);
        if !found.is_empty() {
            return found;
        }
    }
    let has_texts = !(target.texts.is_empty() && target.contains.is_empty());
    let by_text = has_texts && may_mention(scope, target);
    let found = pick_among(&candidates_for(scope, target, by_text), target, typed);
    if !found.is_empty() || target.query != roadmap::CLICKABLE || !by_text {
        return found;
    }
    // Something a person can click but that says so only by its pointer cursor (a span or div
    // with a handler): found by its text, on the way up from the target's words.
    let mut pointers = Vec::new();
    around_words(scope, target, &|e| e.matches(POINTER_TAGS).unwrap_or(false) && has_pointer_cursor(e), &mut pointers);
    pick_among(&read_candidates(pointers), target, typed)
}

/// What may be clickable by a handler alone, shown by its pointer cursor.
const POINTER_TAGS: &str = "span, div, li, p, strong, label";

/// Adds to `found` the elements that `keep` accepts on the way up from the innermost holders of
/// the target's words to `scope`, and puts them in document order. An element whose text holds
/// the words is one of those holders or around one, so no other element can match by its text:
/// on a page of thousands of elements only the few the words lead to are asked.
fn around_words(scope: &web_sys::Node, target: &Target, keep: &dyn Fn(&Element) -> bool, found: &mut Vec<Element>) {
    for holder in innermost_holders(scope, &|e| may_mention(e, target)) {
        let mut at = Some(holder);
        while let Some(element) = at {
            if keep(&element) && !found.contains(&element) {
                found.push(element.clone());
            }
            at = element.parent_element().filter(|p| scope.contains(Some(p)));
        }
    }
    in_document_order(found);
}

/// The elements of `target.query` that can be the target, read once per look: those with a
/// signal of their own (`locator::signal_pool`), and, where the text may mention the target
/// (`by_text`), those around its words (`around_words`).
fn candidates_for(scope: &web_sys::Node, target: &Target, by_text: bool) -> Rc<Gathered> {
    let key = format!("{} {by_text}", target.key());
    look_cache::gathered(scope, &key, || {
        let mut elements: Vec<Element> = signal_elements(scope, target).iter().filter(|e| e.matches(target.query).unwrap_or(false)).cloned().collect();
        if by_text {
            around_words(scope, target, &|e| e.matches(target.query).unwrap_or(false), &mut elements);
        }
        read_candidates(elements)
    })
}

/// The elements with a signal for `target` (and, for a roadmap target, for the others too):
/// one query per look for all of them, where a query per target matched every element again.
fn signal_elements(scope: &web_sys::Node, target: &Target) -> Rc<[Element]> {
    if roadmap::ALL_TARGETS.contains(target) {
        thread_local! {
            static POOL: String = locator::signal_pool(roadmap::ALL_TARGETS);
        }
        return POOL.with(|pool| look_cache::elements(scope, pool, || gather(scope, pool)));
    }
    gather(scope, &locator::signal_pool(std::slice::from_ref(target))).into()
}

/// Down from `scope` through the children that `holds`, to the innermost elements that hold
/// (their own children do not). Scripts, styles and templates are not text people see.
fn innermost_holders(scope: &web_sys::Node, holds: &dyn Fn(&Element) -> bool) -> Vec<Element> {
    let children = |node: &web_sys::Node| -> Vec<Element> {
        let list = node.child_nodes();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter(|n| n.node_type() == web_sys::Node::ELEMENT_NODE)
            .map(|n| n.unchecked_into::<Element>())
            .filter(|c| !matches!(c.tag_name().to_ascii_lowercase().as_str(), "script" | "style" | "template" | "noscript"))
            .filter(|c| holds(c))
            .collect()
    };
    let mut stack: Vec<Element> = match scope.dyn_ref::<Element>() {
        Some(element) if holds(element) => vec![element.clone()],
        Some(_) => Vec::new(),
        None => children(scope),
    };
    let mut innermost = Vec::new();
    while let Some(holder) = stack.pop() {
        let inner = children(&holder);
        if inner.is_empty() {
            innermost.push(holder);
        } else {
            stack.extend(inner);
        }
    }
    innermost
}

/// The elements under `scope` with one of `ids`, in document order. One `#id` query each: the
/// browser answers those from its id map, where a list of `[id=…]` matches every element.
fn by_ids(scope: &web_sys::Node, ids: &[&str]) -> Vec<Element> {
    let mut found: Vec<Element> = ids.iter().flat_map(|id| gather(scope, &format!("#{}", locator::css_ident(id)))).collect();
    in_document_order(&mut found);
    found
}

/// Puts `elements` (a few) in document order, dropping repeats: ties go to the earlier element.
/// An insertion sort: the library's sorts cost kilobytes of engine for lists this short.
fn in_document_order(elements: &mut Vec<Element>) {
    let mut sorted: Vec<Element> = Vec::with_capacity(elements.len());
    for element in elements.drain(..) {
        if sorted.contains(&element) {
            continue;
        }
        let at = sorted.iter().position(|e| element.compare_document_position(e) & web_sys::Node::DOCUMENT_POSITION_FOLLOWING != 0).unwrap_or(sorted.len());
        sorted.insert(at, element);
    }
    *elements = sorted;
}

/// Whether the text under `scope` may mention the target (see `locator::may_mention`).
fn may_mention(scope: &web_sys::Node, target: &Target) -> bool {
    let text = look_cache::lower_text(scope);
    locator::may_mention(target, &|word| text.includes(word, 0))
}

fn read_candidates(elements: Vec<Element>) -> Gathered {
    let candidates = elements.iter().map(|e| candidate_unseen(e, &[])).collect();
    Gathered::new(elements, candidates)
}

fn has_pointer_cursor(element: &Element) -> bool {
    web_sys::window()
        .and_then(|w| w.get_computed_style(element).ok().flatten())
        .and_then(|style| style.get_property_value("cursor").ok())
        .is_some_and(|cursor| cursor == "pointer")
}

/// Kept from people though rendered: inside `aria-hidden`, or moved off-screen to the left or
/// above the page (Microsoft's `moveOffScreen` copy of the account field), where no scrolling
/// reaches it.
pub(crate) fn hidden_from_people(element: &Element) -> bool {
    if element.closest("[aria-hidden=true]").ok().flatten().is_some() {
        return true;
    }
    let r = element.get_bounding_client_rect();
    let scroll = |f: fn(&web_sys::Window) -> Result<f64, JsValue>| web_sys::window().and_then(|w| f(&w).ok()).unwrap_or(0.0);
    r.right() + scroll(web_sys::Window::scroll_x) <= 0.0 || r.bottom() + scroll(web_sys::Window::scroll_y) <= 0.0
}

fn pick_among(gathered: &Gathered, target: &Target, typed: &[Element]) -> Vec<Element> {
    let elements = &gathered.elements;
    // Read as unseen and untyped, a candidate scores at least what it does once seen: only those
    // within reach are asked the rest (visibility costs a layout).
    let scores: Vec<u32> = gathered
        .candidates
        .iter()
        .enumerate()
        .map(|(i, unseen)| {
            if locator::score(target, unseen) < locator::MIN_SCORE {
                return 0;
            }
            let mut c = unseen.clone();
            c.typed |= typed.contains(&elements[i]);
            c.visible = gathered.visible(i, |e| is_visible(e) && !hidden_from_people(e));
            locator::score(target, &c)
        })
        .collect();
    let picked = locator::pick_scored(target, &scores);
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

/// Whether a step's target is on the page now (in the document, open shadow roots or frames).
pub fn target_shown(step: StepId, typed: &[Element]) -> bool {
    !step.targets().is_empty() && locate_first(step.targets(), typed).is_some()
}

/// The Integration form around one of its controls: where its check marks are read.
pub fn integration_scope(control: &Element) -> Element {
    control
        .closest("form, [role=form], .o-form")
        .ok()
        .flatten()
        .unwrap_or_else(|| root_element().expect("document element"))
}

/// What the card must leave visible around the targets: the headings, fields, buttons and links
/// of the form or panel they are in (the question a screen asks, such as Microsoft's "Stay signed
/// in?", the credentials a step talks about, the form's primary actions), and on the Integration
/// form its outcome messages and check marks. At most 40 elements.
pub fn keep_visible(targets: &[Element], evidence: &[Element]) -> Vec<Element> {
    let region = targets
        .first()
        .and_then(|t| t.closest("form, [role=form], [role=dialog], fieldset, section, .o-form").ok().flatten());
    let mut keep: Vec<Element> = region
        .map(|r| gather(&r, "h1, h2, h3, [role=heading], input:not([type=hidden]), button, select, textarea, a[href], [role=button], [role=link], label"))
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !targets.contains(e) && is_visible(e))
        .take(40)
        .collect();
    keep.extend(evidence.iter().cloned());
    keep
}

/// The outcome messages shown now (the evidence a step's result is judged by).
pub fn message_elements() -> Vec<Element> {
    messages().into_iter().map(|(e, _)| e).collect()
}

/// Whether visible text under `scope` holds one of `phrases` (normalised), in one text node or
/// across an element's children.
fn text_shown(scope: &Element, phrases: &'static [&'static str]) -> bool {
    let target = Target { contains: phrases, ..Target::EMPTY };
    // The cheap test first: it copies no text out of the page.
    let mentions = |e: &Element| may_mention(e, &target) && locator::mentions(&target, &normalized(&e.text_content().unwrap_or_default()));
    // The innermost holders of the phrase; one of them must be visible.
    innermost_holders(scope, &mentions).iter().any(is_visible)
}

/// Shown as the selected one: `aria-selected`, `aria-current`, or an active/selected class, on
/// the element or the list item around it.
fn shown_selected(element: &Element) -> bool {
    let says = |e: &Element| {
        let aria = |name: &str| e.get_attribute(name).is_some_and(|v| !v.is_empty() && v != "false");
        let class = attr(e, "class").to_ascii_lowercase();
        aria("aria-selected") || aria("aria-current") || ["active", "selected", "current"].iter().any(|k| locator::contains(&class, k))
    };
    says(element) || element.closest("li, [role=presentation]").ok().flatten().is_some_and(|li| says(&li))
}

/// Whether the app page shows Provisioning as its selected tab (`None`: it does not say).
fn provisioning_selected(tab: &Element) -> Option<bool> {
    if shown_selected(tab) {
        return Some(true);
    }
    let list = tab.closest("[role=tablist], ul, ol, nav").ok().flatten()?;
    let siblings = gather(&list, "[role=tab], a, li, button");
    siblings.iter().any(|s| !s.contains(Some(tab)) && !tab.contains(Some(s)) && shown_selected(s)).then_some(false)
}

/// A message's tone as its icons show it: a green check, or an error/warning icon.
fn icon_tone(message: &Element) -> Tone {
    if !check_marks(message).is_empty() {
        return Tone::Success;
    }
    let error_icon = gather(message, "[class*=error], [class*=warning], [class*=danger], [class*=alert]")
        .iter()
        .any(|e| is_visible(e) && e.text_content().unwrap_or_default().trim().chars().count() <= 3);
    if error_icon { Tone::Failure } else { Tone::Neutral }
}

/// The outcome messages shown, at most 30: the innermost element of each that matches (a
/// wrapper's class, such as an error container holding an info note, says nothing of the note).
/// Their text only, never a field's value.
fn messages() -> Vec<(Element, Message)> {
    let Some(root) = root_element() else { return Vec::new() };
    let shown: Vec<(Element, String)> = gather(&root, probes::MESSAGES)
        .into_iter()
        .filter(|e| !matches!(e.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select" | "html" | "body" | "form"))
        .filter_map(|e| {
            let text = normalized(&e.text_content().unwrap_or_default());
            (!text.is_empty() && text.len() <= 1_000).then_some((e, text))
        })
        .collect();
    let inside = |outer: &Element, inner: &Element| outer != inner && outer.contains(Some(inner));
    // A wrapper: an inner match holds (nearly) all of its text.
    let wrapper = |(e, text): &(Element, String)| shown.iter().any(|(inner, t)| inside(e, inner) && t.len() * 5 >= text.len() * 4);
    let messages: Vec<&(Element, String)> = shown.iter().filter(|m| !wrapper(m)).collect();
    // A part of a message (its icon's title, its paragraph) is not a message of its own.
    messages
        .iter()
        .filter(|(e, _)| !messages.iter().any(|(outer, _)| inside(outer, e)))
        .filter(|(e, _)| is_visible(e))
        .take(30)
        .map(|(e, text)| (e.clone(), Message { role: attr(e, "role"), class: attr(e, "class").to_ascii_lowercase(), icon: icon_tone(e), text: text.clone() }))
        .collect()
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
        // Icon fonts draw the glyph in `::before`, often in a colour of its own.
        let before = || {
            let style = window.get_computed_style_with_pseudo_elt(&element, "::before").ok().flatten()?;
            let content = style.get_property_value("content").ok()?;
            if content == "none" || content == "normal" || content.is_empty() {
                return None;
            }
            style.get_property_value("color").ok().and_then(|v| locator::parse_rgb(&v))
        };
        let is_svg = element.tag_name().eq_ignore_ascii_case("svg");
        let color = colour("fill").filter(|_| is_svg).or_else(|| colour("color")).filter(|&c| locator::is_green(c)).or_else(before).or_else(|| colour("color"));
        let icon = IconFeatures {
            class: attr(&element, "class"),
            is_svg,
            text: if text.chars().count() <= 3 { text } else { String::new() },
            color,
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
    /// A control of the edit form (the test button, else the authenticate button or Save).
    pub form_control: Option<Element>,
    /// The visible green check marks, once counted.
    pub check_marks: Option<Vec<Element>>,
    /// What the recognizer was given (kept for field diagnostics).
    pub facts: Facts,
}

/// The facts one look gave the recognizer.
#[derive(Default)]
pub enum Facts {
    #[default]
    None,
    Okta(OktaFacts),
    Microsoft(MicrosoftFacts),
}

impl Seen {
    /// The green check marks in the Integration form: those already counted, else read now.
    pub fn into_check_marks(self) -> Vec<Element> {
        self.check_marks
            .or_else(|| self.form_control.map(|control| check_marks(&integration_scope(&control))))
            .unwrap_or_default()
    }
}

fn first(target: &Target) -> Option<Element> {
    locate(target, &[]).into_iter().next()
}

/// Microsoft's `$Config` (page id and error code), from its inline script's text.
pub(crate) fn ms_config(document: &Document) -> (String, Option<u32>) {
    gather(document, "script:not([src])")
        .iter()
        .filter_map(|s| s.text_content())
        .find(|text| text.contains("$Config"))
        .map(|text| recognize::parse_ms_config(&text))
        .unwrap_or_default()
}

fn observe_microsoft(document: &Document) -> (Observation, MicrosoftFacts) {
    let (pgid, config_code) = ms_config(document);
    let shown_code = || {
        messages().iter().find_map(|(_, m)| recognize::aadsts_code(&m.text))
    };
    let facts = MicrosoftFacts {
        error_code: config_code.or_else(shown_code),
        permissions_heading: found(&probes::MS_PERMISSIONS),
        need_admin_text: found(&probes::MS_NEED_ADMIN),
        sign_in_control: locate_first(&[roadmap::MS_ACCOUNT, roadmap::MS_PASSWORD, roadmap::MS_CODE], &[]).is_some(),
        prompt_without_field: gather(document, probes::MS_PROMPTS).iter().any(is_visible),
        pgid,
    };
    let verdict = recognize::microsoft_screen(&facts);
    (Observation { code: verdict.code, waiting: verdict.waiting, ..Observation::microsoft(verdict.screen) }, facts)
}

/// Reads the Office 365 app page into facts (cheapest and most telling first) and lets the pure
/// recognizer name its view.
fn observe_app(location: &web_sys::Location, expected: Option<AppView>, tested: bool, observation: &mut Observation) -> (AppView, Option<Element>, Option<Element>, Option<Vec<Element>>, OktaFacts) {
    let root = root_element().expect("document element");
    let test_button = first(&roadmap::TEST_API);
    let reauth_button = first(&roadmap::REAUTHENTICATE);
    let save_button = first(&roadmap::SAVE);
    let password_field = gather(&root, "input[type=password]").iter().any(|e| is_visible(e) && !hidden_from_people(e));
    let tab = first(&roadmap::PROVISIONING_TAB);
    let integration = first(&roadmap::INTEGRATION_SETTING);
    let mut facts = OktaFacts {
        hash: location.hash().unwrap_or_default().to_ascii_lowercase(),
        provisioning_selected: tab.as_ref().and_then(provisioning_selected),
        provisioning_tab: tab.is_some(),
        settings_list: integration.is_some() || found(&probes::PROVISIONING_SETTINGS),
        integration_selected: integration.as_ref().is_some_and(shown_selected),
        test_button: test_button.is_some(),
        reauth_button: reauth_button.is_some(),
        save_button: save_button.is_some(),
        password_field,
        ..OktaFacts::default()
    };
    let editing = recognize::app_view(&facts, expected) == AppView::IntegrationEdit;
    if !editing {
        facts.edit_control = found(&roadmap::EDIT);
        facts.enable_api_text = text_shown(&root, probes::ENABLE_API);
        facts.read_mode_form = gather(&root, "[class*=read-mode], [class*=readonly], [class*=read-only]").iter().any(is_visible);
        facts.configure_api = found(&probes::CONFIGURE_API) || text_shown(&root, probes::NOT_ENABLED);
    }
    let shown = messages();
    let list: Vec<Message> = shown.iter().map(|(_, m)| m.clone()).collect();
    facts.messages = list;
    let outcome = recognize::outcome(&facts.messages, tested);
    let form_control = test_button.clone().or(reauth_button).or(save_button);
    let mut marks = None;
    // Counting reads computed styles: worth it once the test succeeded, or on a form without one.
    let count = outcome.verification == crate::flow::Verification::Success || (editing && test_button.is_none());
    if let (true, Some(control)) = (count, &form_control) {
        let scope = integration_scope(control);
        let mut found = check_marks(&scope);
        // Okta's notification may sit outside the form, with the verification's check in it:
        // it counts when the form itself shows fewer than two.
        for (element, message) in &shown {
            if found.len() < crate::flow::REQUIRED_CHECK_MARKS as usize && recognize::tone(message) == Tone::Success && !scope.contains(Some(element)) {
                found.extend(check_marks(element));
            }
        }
        facts.check_marks = found.len() as u32;
        marks = Some(found);
    }
    let view = recognize::app_view(&facts, expected);
    if outcome.auth_failed {
        observation.oauth = crate::flow::OAuthReturn::Error;
    }
    observation.code = observation.code.or(outcome.code);
    if observation.oauth != crate::flow::OAuthReturn::Error {
        observation.verification = outcome.verification;
    }
    observation.check_marks = facts.check_marks;
    (view, test_button, form_control, marks, facts)
}

/// Reads which screen the page shows. `expected` is the app view the admin's current step leads
/// to; `tested` whether the admin clicked Test API Credentials in this visit of the form.
pub fn observe(expected: Option<AppView>, tested: bool) -> Seen {
    let document = document();
    let location = document.location().expect("location");
    let host = location.hostname().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    if host == MICROSOFT_HOST {
        let (observation, facts) = observe_microsoft(&document);
        return Seen { observation, test_button: None, form_control: None, check_marks: None, facts: Facts::Microsoft(facts) };
    }
    let params = web_sys::UrlSearchParams::new_with_str(&query).ok();
    let (oauth, code) = recognize::oauth_return(
        |name| params.as_ref().is_some_and(|p| p.has(name)),
        |name| params.as_ref().and_then(|p| p.get(name)),
    );
    let mut observation = Observation { oauth, code, ..Observation::okta(OktaPage::Other) };
    let mut seen = Seen { observation, test_button: None, form_control: None, check_marks: None, facts: Facts::None };
    let page = match crate::org::okta_route(&path) {
        crate::org::Route::AppsList => OktaPage::AppsList,
        crate::org::Route::Other => OktaPage::Other,
        crate::org::Route::App { office365: false } => OktaPage::App { office365: false, view: AppView::Other },
        crate::org::Route::App { office365: true } => {
            let (view, test_button, form_control, marks, facts) = observe_app(&location, expected, tested, &mut seen.observation);
            seen.facts = Facts::Okta(facts);
            seen.test_button = test_button;
            seen.form_control = form_control;
            seen.check_marks = marks;
            OktaPage::App { office365: true, view }
        }
    };
    observation = seen.observation;
    observation.page = Page::Okta(page);
    seen.observation = observation;
    seen
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

/// Scrolls `element` to the middle of the viewport when it is outside it (a fixed header would
/// cover an element scrolled to the top edge).
pub fn scroll_into_view(element: &Element) {
    let rect = element.get_bounding_client_rect();
    let Some(window) = web_sys::window() else { return };
    let height = window.inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    if rect.top() < 0.0 || rect.bottom() > height {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// The viewport's size in its own pixels: the root's client area (without scrollbars), or the
/// window's when the page zooms `<html>` (the root's box is then in zoomed pixels).
pub fn viewport(zoom: f64) -> (f64, f64) {
    let window_size = || {
        let window = web_sys::window();
        let size = |v: Option<Result<JsValue, JsValue>>| v.and_then(|v| v.ok()).and_then(|v| v.as_f64()).unwrap_or(0.0);
        (size(window.as_ref().map(|w| w.inner_width())), size(window.as_ref().map(|w| w.inner_height())))
    };
    root_element()
        .filter(|_| zoom == 1.0)
        .map(|r| (f64::from(r.client_width()), f64::from(r.client_height())))
        .filter(|(w, h)| *w > 0.0 && *h > 0.0)
        .unwrap_or_else(window_size)
}
