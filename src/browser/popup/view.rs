//! Draws the model into popup.html. Static text is localised once; the parts that follow
//! storage are redrawn on every change, keeping focus where the admin left it.

use super::{by_id, document, msg, with_model, Model, OrgRow};
use crate::browser::ext;
use crate::progress::Progress;
use crate::report::{self, OrgStatus, StepState};
use crate::roadmap::StepId;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlAnchorElement, HtmlElement, HtmlInputElement};

/// Local time offset, in minutes east of UTC, at a moment (it changes with daylight saving).
pub fn utc_offset_at(ms: f64) -> i32 {
    -(js_sys::Date::new(&ms.into()).get_timezone_offset() as i32)
}

fn element(tag: &str, class: &str, text: &str) -> Element {
    let e = document().create_element(tag).expect("valid tag");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    e
}

fn show(id: &str, visible: bool) {
    by_id::<HtmlElement>(id).set_hidden(!visible);
}

pub fn focus(id: &str) {
    let _ = by_id::<HtmlElement>(id).focus();
}

/// Fills every `data-i18n` element with its message, and sets the page's language.
pub fn localize() {
    let doc = document();
    if let Some(root) = doc.document_element() {
        let _ = root.set_attribute("lang", &msg("popup_lang", &[]));
    }
    doc.set_title(&msg("extName", &[]));
    by_id::<Element>("version").set_text_content(Some(&msg("popup_version", &[&ext::extension_version()])));
    if let Ok(list) = doc.query_selector_all("[data-i18n]") {
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let key = e.get_attribute("data-i18n").unwrap_or_default();
                e.set_text_content(Some(&msg(&key, &[])));
            }
        }
    }
}

/// The preparation checkboxes, from the shared list of ids.
pub fn build_preparation() {
    let list: Element = by_id("prep-items");
    for id in report::PREPARATION {
        let label = element("label", "check", "");
        let input: HtmlInputElement = element("input", "", "").unchecked_into();
        input.set_type("checkbox");
        input.set_value(id);
        input.set_id(&format!("prep-{id}"));
        let _ = label.append_child(&input);
        let _ = label.append_child(&element("span", "", &msg(&report::preparation_key(id), &[])));
        let _ = list.append_child(&label);
    }
}

/// Says what happened in the live region (read out by screen readers).
pub fn say(key: &str, subs: &[&str]) {
    let status: Element = by_id("message");
    status.set_text_content(Some(&msg(key, subs)));
    let _ = status.set_attribute("data-kind", "ok");
}

pub fn say_error(key: &str, detail: &str) {
    let status: Element = by_id("message");
    status.set_text_content(Some(&msg(key, &[detail])));
    let _ = status.set_attribute("data-kind", "error");
}

/// No org known: ask for its admin console address.
pub fn ask_for_address() {
    let _ = by_id::<Element>("add-org").set_attribute("open", "");
    focus("address");
}

pub fn address_error(input: &str) {
    let error: Element = by_id("address-error");
    error.set_text_content(Some(&msg("popup_address_invalid", &[input])));
    show("address-error", true);
    let _ = by_id::<Element>("address").set_attribute("aria-invalid", "true");
    focus("address");
}

pub fn clear_address_error() {
    show("address-error", false);
    let _ = by_id::<Element>("address").remove_attribute("aria-invalid");
}

/// Shows the plain-text record when the clipboard refused it, selected for a manual copy.
pub fn show_report_text(text: &str) {
    let area: web_sys::HtmlTextAreaElement = by_id("report-text");
    area.set_value(text);
    area.set_hidden(false);
    let _ = area.focus();
    area.select();
}

/// Redraws everything that follows storage.
pub fn render() {
    let focused = document().active_element().map(|e| e.id()).filter(|id| !id.is_empty());
    with_model(|m| {
        let all_ready = render_preparation(m);
        // Once everything is prepared the checklist folds away, but only as the popup opens:
        // never under the admin's hands.
        if !m.drawn && all_ready {
            let _ = by_id::<Element>("prep-details").remove_attribute("open");
        }
        m.drawn = true;
        render_orgs(m);
        render_steps(m);
        render_report(m);
    });
    // A rebuilt list drops the focused element: give focus back to its replacement.
    if let Some(id) = focused {
        let lost = document().active_element().is_none_or(|e| e.id() != id);
        if lost {
            if let Some(e) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = e.focus();
            }
        }
    }
}

/// Returns whether every item is ticked.
fn render_preparation(m: &Model) -> bool {
    let mut ready = 0;
    // While a write is on its way, the boxes are newer than storage: leave them as ticked.
    let settled = !super::actions::writing();
    for id in report::PREPARATION {
        let input: HtmlInputElement = by_id(&format!("prep-{id}"));
        let ticked = m.settings.prepared.iter().any(|p| p == id);
        if settled {
            input.set_checked(ticked);
        }
        ready += usize::from(input.checked());
    }
    by_id::<Element>("prep-count").set_text_content(Some(&msg(
        "popup_prepare_count",
        &[&ready.to_string(), &report::PREPARATION.len().to_string()],
    )));
    let deadline: HtmlInputElement = by_id("deadline");
    // Not while the admin is typing a date: that would undo the keystrokes.
    if document().active_element().is_none_or(|e| e.id() != "deadline") || deadline.value().is_empty() {
        deadline.set_value(&m.settings.deadline);
    }
    let today = js_sys::Date::new_0();
    let today = report::days_from_civil(i64::from(today.get_full_year()), today.get_month() + 1, today.get_date());
    let left = report::parse_date(&m.settings.deadline).map(|day| report::days_left(day, today));
    let text = left
        .map(|days| {
            let (key, n) = report::deadline_message(days);
            msg(key, &[&n.to_string()])
        })
        .unwrap_or_default();
    let days: Element = by_id("days-left");
    days.set_text_content(Some(&text));
    // Colour follows urgency; the words say it too.
    let urgency = match left {
        Some(d) if d < 0 => "passed",
        Some(d) if d <= 14 => "soon",
        _ => "",
    };
    let _ = days.set_attribute("data-urgency", urgency);
    ready == report::PREPARATION.len()
}

fn org_status_text(row: &OrgRow) -> (String, &'static str) {
    match &row.record {
        Err(_) => (msg("popup_status_unreadable", &[]), "problem"),
        Ok(p) => (
            report::status_text(p.as_ref(), &|k, s| msg(k, s), &utc_offset_at),
            report::org_status(p.as_ref()).as_str(),
        ),
    }
}

fn render_orgs(m: &Model) {
    let list: Element = by_id("orgs");
    list.set_text_content(None);
    for row in &m.orgs {
        let (status, kind) = org_status_text(row);
        let label = element("label", "org", "");
        let _ = label.set_attribute("data-org", &row.org);
        let _ = label.set_attribute("data-status", kind);
        let input: HtmlInputElement = element("input", "", "").unchecked_into();
        input.set_type("radio");
        input.set_name("org");
        input.set_value(&row.org);
        input.set_id(&format!("org-{}", row.org));
        input.set_checked(m.selected.as_deref() == Some(row.org.as_str()));
        let _ = label.append_child(&input);
        let text = element("span", "org-text", "");
        let _ = text.append_child(&element("span", "org-name", &row.org));
        let _ = text.append_child(&element("span", "org-status", &status));
        let _ = label.append_child(&text);
        let _ = list.append_child(&label);
    }
    show("orgs", !m.orgs.is_empty());
    show("orgs-empty", m.orgs.is_empty());
    if m.orgs.is_empty() {
        let _ = by_id::<Element>("add-org").set_attribute("open", "");
    }
}

fn render_steps(m: &Model) {
    let row = m.selected_row();
    let progress: Option<&Progress> = row.and_then(OrgRow::progress);
    let title: Element = by_id("steps-title");
    title.set_text_content(Some(&match row {
        Some(r) => msg("popup_steps_title", &[&r.org]),
        None => msg("popup_steps_title", &["…"]),
    }));
    let list: Element = by_id("steps");
    list.set_text_content(None);
    for &step in report::steps() {
        let state = report::step_state(progress, step);
        let item = element("li", "step", "");
        let _ = item.set_attribute("data-step", step.as_str());
        let _ = item.set_attribute("data-state", state.as_str());
        if matches!(state, StepState::Current | StepState::Problem) {
            let _ = item.set_attribute("aria-current", "step");
        }
        let _ = item.append_child(&element("span", "step-title", &msg(&report::step_title_key(step), &[])));
        let _ = item.append_child(&element("span", "badge", &msg(state.message_key(), &[])));
        if state == StepState::Problem {
            if let Some(p) = progress {
                let _ = item.append_child(&element("span", "step-note", &msg(&report::step_title_key(p.step), &[])));
            }
        }
        let _ = list.append_child(&item);
    }

    // The Applications link when the org is known; otherwise a button that asks for it.
    let link: HtmlAnchorElement = by_id("open-apps");
    if let Some(r) = row {
        link.set_href(&report::applications_url(&r.org));
    }
    show("open-apps", row.is_some());
    show("ask-org", row.is_none());

    let status = progress.map(|p| report::org_status(Some(p)));
    let can_pause = progress.is_some_and(|p| p.step != StepId::Done);
    show("pause", can_pause);
    let paused = status == Some(OrgStatus::Paused);
    by_id::<Element>("pause").set_text_content(Some(&msg(if paused { "ui_resume" } else { "ui_pause" }, &[])));
    show("paused-note", paused);
    let open = m.diagnostics.as_deref();
    let toggle: Element = by_id("diagnostics");
    toggle.set_text_content(Some(&msg(if open.is_some() { "popup_diagnostics_hide" } else { "popup_diagnostics" }, &[])));
    let _ = toggle.set_attribute("aria-expanded", if open.is_some() { "true" } else { "false" });
    show("diagnostics", row.is_some());
    show("diagnostics-box", open.is_some());
    if let (Some(text), Some(r)) = (open, row) {
        by_id::<Element>("diagnostics-label").set_text_content(Some(&msg("popup_diagnostics_label", &[&r.org])));
        let pre: Element = by_id("diagnostics-text");
        if pre.text_content().as_deref() != Some(text) {
            pre.set_text_content(Some(text));
        }
    }
    let has_record = row.is_some_and(|r| !matches!(r.record, Ok(None)));
    show("reset", has_record && !m.confirming_reset);
    show("reset-confirm", has_record && m.confirming_reset);
    if let Some(r) = row {
        by_id::<Element>("reset-question").set_text_content(Some(&msg("popup_reset_confirm", &[&r.org])));
    }
}

fn render_report(m: &Model) {
    if !super::actions::writing() {
        by_id::<HtmlInputElement>("record-account").set_checked(m.settings.record_account);
    }
    let any = m.orgs.iter().any(|r| r.progress().is_some());
    let _ = by_id::<Element>("report-empty").toggle_attribute_with_force("hidden", any);
    for id in ["export-csv", "export-json"] {
        by_id::<web_sys::HtmlButtonElement>(id).set_disabled(!any);
    }
    by_id::<web_sys::HtmlButtonElement>("copy-text").set_disabled(m.selected_row().and_then(OrgRow::progress).is_none());
}
