//! The overlay: a viewport-fixed spotlight with one cut-out per target, a ring around each, and
//! the step card, all inside a closed shadow root so that the page's CSS cannot reach them and
//! ours cannot reach the page. The page's own elements are never restyled.

use super::marks::MarkRects;
use crate::layout::{self, Rect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

pub use crate::card::Action;
use crate::card::{Arg, Card, Text};

/// The card's text, already in the admin's language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardContent {
    pub progress: String,
    pub title: String,
    pub body: String,
    pub why: String,
    pub notes: Vec<String>,
    pub warning: Option<String>,
    pub status: String,
    pub actions: Vec<(Action, String)>,
    /// Drawn as the primary button (never Skip).
    pub primary: Option<Action>,
    /// Paused: only a small "Resume" pill.
    pub compact: bool,
    /// "Copy diagnostics" as a small link under the actions (`None` when it is among them).
    pub diagnostics_link: Option<String>,
    /// The diagnostics box, when open.
    pub diagnostics: Option<DiagnosticsBox>,
}

/// The box that shows exactly what "Copy" puts on the clipboard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiagnosticsBox {
    pub label: String,
    pub intro: String,
    pub text: String,
    pub copy: String,
    pub status: String,
}

impl CardContent {
    /// The card in the admin's language (`message` looks a key up with its `$1`… arguments,
    /// `clock` says a moment as a time of day).
    pub fn from_card(card: &Card, message: fn(&str, &[&str]) -> String, clock: fn(f64) -> String) -> CardContent {
        let say = |text: &Text| {
            let args: Vec<String> = text.args.iter().map(|a| match a {
                Arg::Plain(s) => s.clone(),
                Arg::Message("") => String::new(),
                Arg::Message(key) => message(key, &[]),
                Arg::Clock(at) => clock(*at),
            }).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            message(text.key, &args)
        };
        let line = |texts: &[Text]| texts.iter().map(say).collect::<Vec<_>>().join(" ");
        CardContent {
            progress: card.progress.as_ref().map(say).unwrap_or_default(),
            title: say(&card.title),
            body: card.body.as_ref().map(say).unwrap_or_default(),
            why: line(&card.why),
            notes: card.notes.iter().map(say).collect(),
            warning: card.warning.as_ref().map(say),
            status: line(&card.status),
            actions: card.actions.iter().map(|(action, text)| (*action, say(text))).collect(),
            primary: card.primary,
            compact: card.compact,
            diagnostics_link: card.diagnostics_link.as_ref().map(say),
            diagnostics: card.diagnostics.as_ref().map(|d| DiagnosticsBox {
                label: message("ui_diagnostics_label", &[]),
                intro: message("ui_diagnostics_intro", &[]),
                text: d.text.clone(),
                copy: message("ui_diagnostics_copy", &[]),
                status: d.status.as_ref().map(say).unwrap_or_default(),
            }),
        }
    }
}

pub struct Overlay {
    pub host: HtmlElement,
    shadow: ShadowRoot,
    veil: Element,
    rings: HtmlElement,
    card: HtmlElement,
    live: HtmlElement,
    shown: Option<CardContent>,
    /// What the last draw placed: the same again is not redrawn (a page that re-renders beside
    /// the marks asks for a draw at every frame).
    drawn: Option<(MarkRects, (f64, f64), bool)>,
}

/// Written compactly (one rule a line, no optional spaces): it ships inside the wasm. Under
/// forced colours the ring, the veil and the primary button opt out of the forced palette and use
/// system colours themselves: forced, the ring turns CanvasText like any border and no longer
/// stands out. Dark mode's primary blue keeps 4.5:1 against its white text. The card is at most
/// half of what Microsoft's centred 440 px sign-in box leaves free (340 px from a 1120 px wide
/// viewport on), so that at 1024 px it still fits beside the box instead of over its fields.
const STYLE: &str = r#"
:host{all:initial}
.layer{position:fixed;inset:0;pointer-events:none;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d21}
svg.veil{position:fixed;inset:0;width:100vw;height:100vh}
svg.veil path{fill:rgba(20,24,35,0.28);fill-rule:evenodd}
svg.veil.off{display:none}
.ring{position:fixed;box-sizing:border-box;border:3px solid #1662dd;border-radius:6px;box-shadow:0 0 0 4px rgba(22,98,221,0.25);transition:all 120ms ease-out}
.card{position:fixed;box-sizing:border-box;width:clamp(280px,calc(50vw - 220px),340px);max-width:calc(100vw - 16px);max-height:calc(100vh - 16px);overflow:auto;pointer-events:auto;background:#fff;color:#1d1d21;border:1px solid #c9ccd6;border-radius:10px;box-shadow:0 8px 28px rgba(0,0,0,.22);padding:14px 16px 12px;transition:top 120ms ease-out,left 120ms ease-out}
.card.compact{width:auto;padding:6px 8px;display:flex;gap:8px;align-items:center}
.compact-title{margin:0;font-size:13px}
.progress{margin:0 0 2px;font-size:12px;color:#555a66;font-weight:600;letter-spacing:.02em}
h2{margin:0 0 6px;font-size:16px;line-height:1.3}
p{margin:0 0 8px}
.why{font-size:13px;color:#3d4250}
ul{margin:0 0 8px;padding-left:18px;font-size:13px}
.warning{background:#fff4e5;border-left:4px solid #b35c00;color:#5c2f00;padding:6px 8px;border-radius:4px;font-size:13px}
.status{font-size:13px;color:#1662dd;min-height:1em}
.status[data-kind=not-found]{color:#a4262c}
.status[data-kind=done]{color:#107c10}
.actions{display:flex;gap:8px;justify-content:flex-end;flex-wrap:wrap}
button{font:inherit;font-size:13px;border:1px solid #8a8f9c;background:#fff;color:#1d1d21;border-radius:6px;padding:4px 12px;cursor:pointer}
button.primary{background:#1662dd;border-color:#1662dd;color:#fff}
button:focus-visible{outline:3px solid #f0a30a;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.diag-bar{display:flex;justify-content:flex-end;margin-top:6px}
button.link{border:0;background:none;padding:2px 0;color:#1662dd;text-decoration:underline;font-size:12px}
.diag{margin-top:8px;border-top:1px solid #c9ccd6;padding-top:8px}
.diag p{font-size:12px;color:#3d4250}
.diag pre{margin:0 0 8px;max-height:220px;overflow:auto;font:11px/1.35 ui-monospace,monospace;background:#f5f6f9;color:#1d1d21;border:1px solid #c9ccd6;border-radius:4px;padding:6px;white-space:pre-wrap;overflow-wrap:anywhere}
.diag pre:focus-visible{outline:3px solid #f0a30a}
@media (prefers-color-scheme:dark){
button.link{color:#8ab4ff;background:none}
.diag p{color:#b8bcc8}
.diag pre{background:#24272e;color:#eceef3;border-color:#454955}
.card{background:#1f2127;color:#eceef3;border-color:#454955}
.progress,.why{color:#b8bcc8}
.status{color:#8ab4ff}
.status[data-kind=not-found]{color:#ff9a9f}
.status[data-kind=done]{color:#7fd67f}
.warning{background:#3b2a12;color:#ffd9a8}
button{background:#2b2e36;color:#eceef3;border-color:#6b7080}
button.primary{background:#2563eb;border-color:#2563eb;color:#fff}
.ring{border-color:#8ab4ff}
}
.card.collapsed:not(:hover):not(:focus-within){width:auto;max-width:260px;padding:8px 12px}
.card.collapsed:not(:hover):not(:focus-within)>:not(h2,.compact-title){display:none}
.card.collapsed:not(:hover):not(:focus-within)>h2{margin:0;font-size:13px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.card:focus-visible{outline:3px solid #f0a30a;outline-offset:2px}
@media (forced-colors:active){
svg.veil{forced-color-adjust:none}
svg.veil path{fill:CanvasText;fill-opacity:.35}
.ring{forced-color-adjust:none;border-color:Highlight;box-shadow:none;outline:2px solid Canvas}
.card{border:2px solid CanvasText}
button{border-color:ButtonText;color:ButtonText;background:ButtonFace}
button.primary{forced-color-adjust:none;background:Highlight;border-color:Highlight;color:HighlightText}
button.link{color:LinkText}
button:focus-visible,.diag pre:focus-visible{outline:3px solid Highlight}
}
@media (prefers-reduced-motion:reduce){.ring,.card{transition:none}}
"#;

fn set_style(element: &HtmlElement, declarations: &[(&str, &str)]) {
    let style = element.style();
    for (property, value) in declarations {
        let _ = style.set_property_with_priority(property, value, "important");
    }
}

/// Sets lengths in whole CSS pixels (one copy of the formatting for every position and size).
fn set_px(element: &HtmlElement, lengths: &[(&str, f64)]) {
    let style = element.style();
    for (property, value) in lengths {
        let _ = style.set_property(property, &format!("{}px", layout::px(*value)));
    }
}

fn set_attributes(element: &Element, attributes: &[(&str, &str)]) -> Result<(), JsValue> {
    for (name, value) in attributes {
        element.set_attribute(name, value)?;
    }
    Ok(())
}

fn html(document: &Document, tag: &str) -> Result<HtmlElement, JsValue> {
    Ok(document.create_element(tag)?.unchecked_into())
}

/// Appends a `tag` element with `class`, `text` and `id` (when not empty) to `parent`.
fn append(document: &Document, parent: &Element, tag: &str, class: &str, text: &str, id: Option<&str>) -> Result<HtmlElement, JsValue> {
    let element = html(document, tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    if let Some(id) = id {
        element.set_id(id);
    }
    element.set_text_content(Some(text));
    parent.append_child(&element)?;
    Ok(element)
}

/// Adds the stylesheet without inline `<style>` where possible: a constructed stylesheet is not
/// subject to the page's `style-src`.
fn adopt_style(document: &Document, shadow: &ShadowRoot) -> Result<(), JsValue> {
    let constructed = web_sys::CssStyleSheet::new().and_then(|sheet| {
        sheet.replace_sync(STYLE)?;
        let sheets = js_sys::Array::of1(&sheet);
        js_sys::Reflect::set(shadow, &"adoptedStyleSheets".into(), &sheets)?;
        Ok(())
    });
    if constructed.is_err() {
        let style = document.create_element("style")?;
        style.set_text_content(Some(STYLE));
        shadow.append_child(&style)?;
    }
    Ok(())
}

impl Overlay {
    /// Creates the guide's root element (`id`, `data-engine`) with its closed shadow root;
    /// `lang` and `dir` are those of the messages the card shows.
    pub fn create(document: &Document, root_id: &str, engine: &str, lang: &str, dir: &str) -> Result<Overlay, JsValue> {
        let host = html(document, "div")?;
        host.set_id(root_id);
        host.set_attribute("data-engine", engine)?;
        // The host sits on <html>, not <body>: a transformed body would break `position: fixed`.
        set_style(&host, &[
            ("all", "initial"), ("position", "fixed"), ("inset", "0"), ("z-index", "2147483647"),
            ("pointer-events", "none"), ("display", "block"), ("contain", "layout style"),
        ]);
        let shadow = host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Closed))?;
        adopt_style(document, &shadow)?;
        let layer = html(document, "div")?;
        layer.set_class_name("layer");
        // The card speaks the extension's language, not the page's: a screen reader picks its
        // voice by `lang` (on the layer, so the live region has it too). A missing message comes
        // back as its key, which is no language tag.
        if !lang.is_empty() && lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            layer.set_attribute("lang", lang)?;
        }
        if dir == "ltr" || dir == "rtl" {
            layer.set_attribute("dir", dir)?;
        }
        let svg = document.create_element_ns(Some(SVG_NS), "svg")?;
        set_attributes(&svg, &[("class", "veil off"), ("aria-hidden", "true")])?;
        let veil = document.create_element_ns(Some(SVG_NS), "path")?;
        svg.append_child(&veil)?;
        let rings = html(document, "div")?;
        set_attributes(&rings, &[("aria-hidden", "true")])?;
        let card = html(document, "section")?;
        set_attributes(&card, &[
            ("class", "card"), ("role", "dialog"), ("aria-modal", "false"),
            ("aria-labelledby", "guide-title"), ("aria-describedby", "guide-body"),
        ])?;
        let live = html(document, "div")?;
        set_attributes(&live, &[("class", "sr"), ("role", "status"), ("aria-live", "polite")])?;
        layer.append_with_node_3(&svg, &rings, &card)?;
        layer.append_child(&live)?;
        shadow.append_child(&layer)?;
        document.document_element().ok_or("no document element")?.append_child(&host)?;
        Ok(Overlay { host, shadow, veil, rings, card, live, shown: None, drawn: None })
    }

    pub fn set_marker(&self, step: Option<&str>, state: &str) {
        match step {
            Some(step) => {
                let _ = self.host.set_attribute("data-step", step);
            }
            None => {
                let _ = self.host.remove_attribute("data-step");
            }
        }
        let _ = self.host.set_attribute("data-state", state);
    }

    /// Cancels a CSS `zoom` on `<html>` for the overlay (the host is its child).
    pub fn set_zoom(&mut self, page_zoom: f64) {
        let style = self.host.style();
        let wanted = if page_zoom == 1.0 { String::new() } else { format!("{}%", crate::layout::px(100.0 / page_zoom)) };
        // Untouched when unchanged: every write to the host's style is a mutation the page sees.
        if style.get_property_value("zoom").unwrap_or_default() == wanted {
            return;
        }
        self.drawn = None;
        if wanted.is_empty() {
            let _ = style.remove_property("zoom");
        } else {
            let _ = style.set_property_with_priority("zoom", &wanted, "important");
        }
    }

    /// The card element, for listening to its buttons.
    pub fn card(&self) -> &HtmlElement {
        &self.card
    }

    /// Moves the keyboard focus into the card: its primary action, else its first button, else
    /// (collapsed, or with no button) the card itself.
    pub fn focus(&self) {
        if self.card.class_list().contains("collapsed") {
            let _ = self.card.focus();
            return;
        }
        let button = self.card.query_selector("button.primary").ok().flatten().or_else(|| self.card.query_selector("button").ok().flatten());
        match button {
            Some(button) => {
                let _ = button.unchecked_ref::<HtmlElement>().focus();
            }
            None => {
                let _ = self.card.set_attribute("tabindex", "-1");
                let _ = self.card.focus();
            }
        }
    }

    /// Takes the focus out of the card (when the element that had it before is gone).
    pub fn blur(&self) {
        if let Some(active) = self.shadow.active_element() {
            let _ = active.unchecked_ref::<HtmlElement>().blur();
        }
    }

    /// Says `text` through the live region (screen readers announce each step once).
    pub fn announce(&self, text: &str) {
        self.live.set_text_content(Some(text));
    }

    /// Rebuilds the card when its content changed; returns whether it did.
    pub fn render(&mut self, content: &CardContent) -> Result<bool, JsValue> {
        if self.shown.as_ref() == Some(content) {
            return Ok(false);
        }
        let document = self.card.owner_document().ok_or("detached")?;
        // Keep keyboard focus on the same action across re-renders.
        let focused = self.shadow.active_element().and_then(|e| e.get_attribute("data-action"));
        self.card.replace_children_with_node_0();
        self.card.set_class_name(if content.compact { "card compact" } else { "card" });
        if content.compact {
            self.card.set_attribute("aria-label", &content.title)?;
            append(&document, &self.card, "p", "compact-title", &content.title, None)?;
        } else {
            self.render_text(&document, content)?;
        }
        self.render_actions(&document, content, focused.as_deref())?;
        if let Some(diagnostics) = &content.diagnostics {
            self.render_diagnostics(&document, diagnostics, focused.as_deref())?;
        }
        self.shown = Some(content.clone());
        // The card's size may have changed: placed anew at the next draw.
        self.drawn = None;
        Ok(true)
    }

    fn render_text(&self, document: &Document, content: &CardContent) -> Result<(), JsValue> {
        let card = &self.card;
        append(document, card, "p", "progress", &content.progress, None)?;
        append(document, card, "h2", "", &content.title, Some("guide-title"))?;
        append(document, card, "p", "", &content.body, Some("guide-body"))?;
        if !content.why.is_empty() {
            append(document, card, "p", "why", &content.why, None)?;
        }
        if let Some(warning) = &content.warning {
            append(document, card, "p", "warning", warning, None)?.set_attribute("role", "alert")?;
        }
        if !content.notes.is_empty() {
            let list = append(document, card, "ul", "", "", None)?;
            for note in &content.notes {
                append(document, &list, "li", "", note, None)?;
            }
        }
        if !content.status.is_empty() {
            let status = append(document, card, "p", "status", &content.status, None)?;
            status.set_attribute("data-kind", self.host.get_attribute("data-state").as_deref().unwrap_or(""))?;
        }
        Ok(())
    }

    /// The action buttons, and the diagnostics toggle where it is a link under them.
    fn render_actions(&self, document: &Document, content: &CardContent, focused: Option<&str>) -> Result<(), JsValue> {
        let actions = append(document, &self.card, "div", "actions", "", None)?;
        for (action, label) in &content.actions {
            let button = append(document, &actions, "button", if content.primary == Some(*action) { "primary" } else { "" }, label, None)?;
            set_attributes(&button, &[("type", "button"), ("data-action", action.name())])?;
        }
        if let Some(label) = &content.diagnostics_link {
            let bar = append(document, &self.card, "div", "diag-bar", "", None)?;
            let link = append(document, &bar, "button", "link", label, None)?;
            set_attributes(&link, &[("type", "button"), ("data-action", Action::Diagnostics.name())])?;
        }
        // The toggle says whether the box is open and which it is.
        let expanded = if content.diagnostics.is_some() { "true" } else { "false" };
        let list = self.card.query_selector_all("button[data-action]")?;
        for i in 0..list.length() {
            let Some(button) = list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
            let name = button.get_attribute("data-action");
            if name.as_deref() == Some(Action::Diagnostics.name()) {
                set_attributes(&button, &[("aria-expanded", expanded), ("aria-controls", "guide-diagnostics")])?;
            }
            if name.is_some() && name.as_deref() == focused {
                let _ = button.focus();
            }
        }
        Ok(())
    }

    /// The box that shows exactly what Copy copies.
    fn render_diagnostics(&self, document: &Document, diagnostics: &DiagnosticsBox, focused: Option<&str>) -> Result<(), JsValue> {
        let panel = append(document, &self.card, "div", "diag", "", Some("guide-diagnostics"))?;
        set_attributes(&panel, &[("role", "region"), ("aria-label", &diagnostics.label)])?;
        append(document, &panel, "p", "", &diagnostics.intro, None)?;
        let text = append(document, &panel, "pre", "diag-text", &diagnostics.text, None)?;
        // Focusable, so that a keyboard can scroll it and select its text.
        set_attributes(&text, &[("tabindex", "0"), ("aria-label", &diagnostics.label)])?;
        let row = append(document, &panel, "div", "actions", "", None)?;
        let copy = append(document, &row, "button", "primary", &diagnostics.copy, None)?;
        set_attributes(&copy, &[("type", "button"), ("data-action", Action::CopyDiagnostics.name())])?;
        let status = append(document, &panel, "p", "diag-status", &diagnostics.status, None)?;
        status.set_attribute("role", "status")?;
        if focused == Some(Action::CopyDiagnostics.name()) {
            let _ = copy.focus();
        }
        Ok(())
    }

    /// Places the spotlight, rings and card (viewport coordinates): targets and evidence are
    /// ringed and cut out of the veil; the card avoids the targets and `keep` (what the step
    /// refers to, its evidence, the form's actions).
    pub fn draw(&mut self, marks: MarkRects, viewport: (f64, f64), dim: bool) {
        let drawing = Some((marks, viewport, dim));
        if self.drawn == drawing {
            return;
        }
        self.drawn = drawing;
        let Some((marks, ..)) = &self.drawn else { return };
        // The card's open size, also while it is collapsed (the pill's own size would say it fits).
        let classes = self.card.class_list();
        let was_collapsed = classes.contains("collapsed");
        if was_collapsed {
            let _ = classes.remove_1("collapsed");
        }
        let card_size = {
            let r = self.card.get_bounding_client_rect();
            (r.width().max(1.0), r.height().max(1.0))
        };
        // Reads done; writes follow.
        let targets: Vec<Rect> = marks.targets.iter().copied().filter(|r| r.on_screen(viewport)).collect();
        let visible: Vec<Rect> = targets.iter().chain(&marks.evidence).copied().filter(|r| r.on_screen(viewport)).collect();
        let svg = self.veil.parent_element();
        if let Some(svg) = &svg {
            let _ = svg.set_attribute("class", if dim && !visible.is_empty() { "veil" } else { "veil off" });
        }
        let _ = self.veil.set_attribute("d", &layout::spotlight_path(viewport, &visible));
        let document = self.card.owner_document();
        let rings = self.rings.children();
        while rings.length() as usize > visible.len() {
            if let Some(last) = rings.item(rings.length() - 1) {
                last.remove();
            }
        }
        while (rings.length() as usize) < visible.len() {
            let Some(ring) = document.as_ref().and_then(|d| html(d, "div").ok()) else { break };
            ring.set_class_name("ring");
            let _ = self.rings.append_child(&ring);
        }
        for (i, rect) in visible.iter().enumerate() {
            if let Some(ring) = rings.item(i as u32).and_then(|r| r.dyn_into::<HtmlElement>().ok()) {
                let r = rect.padded(layout::PAD);
                set_px(&ring, &[("left", r.x), ("top", r.y), ("width", r.width), ("height", r.height)]);
            }
        }
        // With the diagnostics box open the admin reads the card: it stays open, however big.
        let reading = self.shown.as_ref().is_some_and(|c| c.diagnostics.is_some());
        let place = layout::placement(Rect::union(&targets), &marks.keep, card_size, viewport, !reading);
        self.place_card(place, viewport);
    }

    /// Puts the card where `place` says: open at its top-left corner, or collapsed to a pill
    /// anchored toward the middle of the window.
    fn place_card(&self, place: layout::Placement, viewport: (f64, f64)) {
        let style = self.card.style();
        if place.collapsed {
            let _ = self.card.class_list().add_1("collapsed");
            // Reachable by Tab while its buttons are hidden; focused, it opens.
            let _ = self.card.set_attribute("tabindex", "0");
            let a = layout::pill_anchor(place, viewport);
            for (side, at) in [("left", a.left), ("right", a.right), ("top", a.top), ("bottom", a.bottom)] {
                match at {
                    Some(at) => set_px(&self.card, &[(side, at)]),
                    None => {
                        let _ = style.set_property(side, "auto");
                    }
                }
            }
            set_px(&self.card, &[("max-width", a.max_width), ("max-height", a.max_height)]);
            return;
        }
        if self.card.get_attribute("tabindex").as_deref() == Some("0") {
            let _ = self.card.remove_attribute("tabindex");
        }
        for property in ["right", "bottom", "max-width", "max-height"] {
            let _ = style.remove_property(property);
        }
        set_px(&self.card, &[("left", place.x), ("top", place.y)]);
    }

    pub fn remove(&self) {
        self.host.remove();
    }
}
