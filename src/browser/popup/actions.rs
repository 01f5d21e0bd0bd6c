//! What the popup's controls do: write to storage (the pages follow through `onChanged`),
//! download a report, copy one to the clipboard, open an org's Applications page.

use super::{by_id, document, refresh, view, with_model, OrgRow};
use crate::browser::{ext, storage};
use crate::browser::stored_value::StoredValue;
use crate::import::{self, ImportError, ReportFile};
use crate::progress::{self, Progress};
use crate::report;
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlAnchorElement, HtmlInputElement};

type Action = Pin<Box<dyn Future<Output = Result<(), JsValue>>>>;

thread_local! {
    /// Actions waiting their turn. They run one at a time, so that two quick clicks each
    /// read what the other wrote (settings are written whole).
    static QUEUE: RefCell<VecDeque<Action>> = RefCell::new(VecDeque::new());
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Whether a write is queued or running: until it lands, storage is older than the screen.
pub fn writing() -> bool {
    RUNNING.with(Cell::get)
}

/// Runs an action after those before it; a failure is told to the admin with what to do next.
pub fn spawn(action: impl Future<Output = Result<(), JsValue>> + 'static) {
    QUEUE.with(|q| q.borrow_mut().push_back(Box::pin(action)));
    if RUNNING.with(|r| r.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        while let Some(action) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
            if let Err(error) = action.await {
                view::say_error("popup_storage_failed", &ext::describe_error(&error));
            }
        }
        RUNNING.with(|r| r.set(false));
        // Show what storage holds now that every write has landed (or failed).
        refresh().await;
    });
}

/// Settings are written whole: read them fresh so that a change made meanwhile (another
/// popup, a guide) is not overwritten with an old copy.
async fn update_settings(change: impl FnOnce(&mut crate::settings::Settings)) -> Result<(), JsValue> {
    let mut settings = storage::load_settings().await?;
    change(&mut settings);
    storage::save_settings(&settings).await
}

/// Ticks or unticks one item: a change, not a snapshot of the boxes, so that it composes with
/// the admin's other clicks.
pub async fn save_preparation(id: String, ticked: bool) -> Result<(), JsValue> {
    update_settings(|s| {
        s.prepared.retain(|p| *p != id);
        if ticked {
            s.prepared.push(id);
        }
        // Stored in the list's order, whatever order they were ticked in.
        s.prepared.sort_by_key(|p| report::PREPARATION.iter().position(|q| q == p));
    })
    .await
}

pub async fn save_deadline() -> Result<(), JsValue> {
    let value = by_id::<HtmlInputElement>("deadline").value();
    if report::parse_date(&value).is_none() {
        view::say_error("popup_deadline_invalid", "");
        return Ok(());
    }
    update_settings(|s| s.deadline = value).await
}

pub async fn save_record_account() -> Result<(), JsValue> {
    let on = by_id::<HtmlInputElement>("record-account").checked();
    update_settings(|s| s.record_account = on).await
}

/// Opens `url` in a new tab from the admin's click (no `tabs` permission needed), without
/// giving the opened page a handle on this one.
fn open_tab(url: &str) {
    let link: HtmlAnchorElement = document().create_element("a").expect("a").unchecked_into();
    link.set_href(url);
    link.set_target("_blank");
    link.set_rel("noopener noreferrer");
    link.click();
}

/// The address form: remembers the org (as the active one, so it is known from now on) and
/// opens its Applications page.
pub async fn add_org() -> Result<(), JsValue> {
    let input: HtmlInputElement = by_id("address");
    let typed = input.value();
    let Some(org) = report::org_from_address(&typed) else {
        view::address_error(typed.trim());
        return Ok(());
    };
    view::clear_address_error();
    // Open first: the click's permission to open a tab does not outlive an await.
    open_tab(&report::applications_url(&org));
    input.set_value("");
    with_model(|m| {
        m.selected = Some(org.clone());
        m.confirming_reset = false;
        if !m.typed.contains(&org) {
            m.typed.push(org.clone());
        }
    });
    let _ = by_id::<web_sys::Element>("add-org").remove_attribute("open");
    storage::save_active(&org).await?;
    refresh().await;
    Ok(())
}

pub async fn toggle_pause() -> Result<(), JsValue> {
    let Some(org) = with_model(|m| m.selected.clone()) else { return Ok(()) };
    // Read the record fresh: the guide may have moved on since the popup drew it.
    match storage::load(&org).await? {
        Ok(Some(mut progress)) => {
            let paused = !progress.paused;
            progress.set_paused(paused, js_sys::Date::now());
            storage::save_record(&progress).await
        }
        _ => {
            refresh().await;
            Ok(())
        }
    }
}

pub async fn reset() -> Result<(), JsValue> {
    let Some(org) = with_model(|m| {
        m.confirming_reset = false;
        m.selected.clone()
    }) else {
        return Ok(());
    };
    storage::remove(&org).await?;
    view::say("popup_reset_done", &[&org]);
    refresh().await;
    view::focus("open-apps");
    Ok(())
}

fn records() -> Vec<Progress> {
    with_model(|m| m.orgs.iter().filter_map(OrgRow::progress).cloned().collect())
}

pub enum Format {
    Csv,
    Json,
}

/// Downloads the report of every org through a Blob link (no `downloads` permission).
pub fn export(format: Format) {
    let records = records();
    if records.is_empty() {
        view::say_error("popup_report_empty", "");
        return;
    }
    let include_account = with_model(|m| m.settings.record_account);
    let now = js_sys::Date::now();
    let version = ext::extension_version();
    let (body, mime, ext) = match format {
        Format::Csv => (report::csv(&records, include_account, &version), "text/csv;charset=utf-8", "csv"),
        Format::Json => match report::json_file(&records, include_account, now, &version) {
            Ok(text) => (text, "application/json", "json"),
            Err(error) => {
                view::say_error("popup_download_failed", &error.to_string());
                return;
            }
        },
    };
    let today = report::local_time(now, view::utc_offset_at(now));
    let name = format!("office365-reauthentication-{}.{ext}", &today[..10]);
    match download(&body, mime, &name) {
        Ok(()) => view::say("popup_downloaded", &[&name]),
        Err(error) => view::say_error("popup_download_failed", &ext::describe_error(&error)),
    }
}

fn download(body: &str, mime: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has taken the blob once the click is handled; free it a little later.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Copies the selected org's completion record as plain text, for a change ticket.
pub async fn copy_text() -> Result<(), JsValue> {
    let Some((org, text)) = with_model(|m| {
        let row = m.selected_row()?;
        let progress = row.progress()?;
        let text = report::text(progress, m.settings.record_account, &ext::extension_version(), &|k, s| super::msg(k, s), &view::utc_offset_at);
        Some((row.org.clone(), text))
    }) else {
        view::say_error("popup_report_empty", "");
        return Ok(());
    };
    let clipboard = web_sys::window().ok_or("no window")?.navigator().clipboard();
    match JsFuture::from(clipboard.write_text(&text)).await {
        Ok(_) => view::say("popup_copied", &[&org]),
        Err(error) => {
            view::say_error("popup_copy_failed", &ext::describe_error(&error));
            view::show_report_text(&text);
        }
    }
    Ok(())
}

/// Imports a JSON report ("Download JSON" on another machine): checked whole first, so that a
/// foreign or damaged file changes nothing; then every org it holds is written in one go, except
/// where this machine's own record of the org is newer.
pub async fn import_file(file: web_sys::File) -> Result<(), JsValue> {
    let name = file.name();
    let text = JsFuture::from(file.text()).await?.as_string().unwrap_or_default();
    let checked = js_sys::JSON::parse(&text)
        .map_err(|e| ImportError::Unreadable(ext::describe_error(&e)))
        .and_then(|value| ReportFile::deserialize(StoredValue(value)).map_err(|e| ImportError::Unreadable(e.to_string())))
        .and_then(import::records);
    let records = match checked {
        Ok(records) => records,
        Err(error) => {
            let (key, detail) = error.message();
            view::say_error(key, &detail);
            return Ok(());
        }
    };
    let stored = storage::load_all().await?;
    let items = js_sys::Object::new();
    let (mut imported, mut kept) = (0, 0);
    for record in &records {
        let here = stored.orgs.iter().find(|(org, _)| *org == record.org).and_then(|(_, r)| r.as_ref().ok());
        if import::replaces(here, record) {
            js_sys::Reflect::set(&items, &JsValue::from_str(&progress::storage_key(&record.org)), &storage::to_js(record)?)?;
            imported += 1;
        } else {
            kept += 1;
        }
    }
    if imported > 0 {
        ext::storage_set(&items).await?;
    }
    if kept == 0 {
        view::say("popup_imported", &[&imported.to_string(), &name]);
    } else {
        view::say("popup_imported_some", &[&imported.to_string(), &name, &kept.to_string()]);
    }
    Ok(())
}

/// What the popup knows of the selected org, as the diagnostics text.
fn diagnostics_text(row: &OrgRow) -> String {
    use crate::diagnostics as report;
    let environment = crate::browser::diagnostics::environment("popup");
    let progress = row.progress();
    let state = report::clean_text(report_state(row));
    let header = report::header(&environment, Some(&row.org), progress.map(|p| p.step), &state, None);
    let value = report::PopupReport {
        format: report::FORMAT,
        kind: "popup",
        environment,
        org: report::clean_text(&row.org),
        unreadable: row.record.as_ref().err().map(|e| report::clean_text(&e.describe())),
        progress: progress.map(report::progress_report),
    };
    crate::browser::diagnostics::text(&header, &value).unwrap_or_else(|error| ext::describe_error(&error))
}

fn report_state(row: &OrgRow) -> &'static str {
    match &row.record {
        Err(_) => "unreadable",
        Ok(p) => report::org_status(p.as_ref()).as_str(),
    }
}

/// Opens the diagnostics box with a snapshot of the selected org, or closes it.
pub fn toggle_diagnostics() {
    with_model(|m| {
        m.diagnostics = match m.diagnostics.take() {
            Some(_) => None,
            None => m.selected_row().map(diagnostics_text),
        };
    });
}

/// Copies exactly the text the box shows, on the admin's click.
pub fn copy_diagnostics() {
    let Some((org, text)) = with_model(|m| Some((m.selected.clone()?, m.diagnostics.clone()?))) else { return };
    // Asked for inside the click: the clipboard is the admin's to give.
    let written = crate::browser::diagnostics::copy(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let result = match written {
            Ok(promise) => JsFuture::from(promise).await.map(drop),
            Err(error) => Err(error),
        };
        match result {
            Ok(()) => view::say("popup_diagnostics_copied", &[&org]),
            Err(error) => view::say_error("popup_diagnostics_copy_failed", &ext::describe_error(&error)),
        }
    });
}
