//! Hand-written bindings for the few extension APIs the guide uses: `storage.local`, its change
//! event, `i18n`, `runtime.id` and `runtime.onMessage`. Firefox exposes them as `browser.*`, Chromium as `chrome.*`
//! (and `browser.*` from 148 on); both return promises in Manifest V3.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    pub type StorageArea;
    #[wasm_bindgen(method, catch)]
    fn get(this: &StorageArea, keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn set(this: &StorageArea, items: &Object) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = remove)]
    fn remove_keys(this: &StorageArea, keys: &JsValue) -> Result<Promise, JsValue>;

    pub type ExtensionEvent;
    #[wasm_bindgen(method, js_name = addListener)]
    fn add_listener(this: &ExtensionEvent, listener: &Function);
    #[wasm_bindgen(method, js_name = removeListener)]
    fn remove_listener(this: &ExtensionEvent, listener: &Function);

    pub type I18n;
    #[wasm_bindgen(method, js_name = getMessage)]
    fn get_message(this: &I18n, name: &str, substitutions: &JsValue) -> Option<String>;
}

thread_local! {
    static API: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
    /// Objects looked up once: every look asks for messages and whether the extension is alive.
    static PATHS: std::cell::RefCell<Vec<(&'static str, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
    static MESSAGES: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Uses `api` (the content script's `browser`/`chrome`) for every call: Firefox does not expose
/// it to the modules a content script imports.
pub fn set_api(api: JsValue) {
    if api.is_object() {
        API.with(|a| *a.borrow_mut() = Some(api));
        PATHS.with(|p| p.borrow_mut().clear());
    }
}

/// The API handed over by the loader, else `browser` where it exists, else `chrome`.
fn api() -> Option<JsValue> {
    if let Some(api) = API.with(|a| a.borrow().clone()) {
        return Some(api);
    }
    let global = js_sys::global();
    ["browser", "chrome"]
        .iter()
        .filter_map(|name| Reflect::get(&global, &JsValue::from_str(name)).ok())
        .find(|v| v.is_object() && Reflect::get(v, &"runtime".into()).is_ok_and(|r| r.is_object()))
}

/// `api.<dotted>`, looked up once.
fn path(dotted: &'static str) -> Result<JsValue, JsValue> {
    if let Some(found) = PATHS.with(|p| p.borrow().iter().find(|(k, _)| *k == dotted).map(|(_, v)| v.clone())) {
        return Ok(found);
    }
    let mut value = api().ok_or("extension API unavailable")?;
    for name in dotted.split('.') {
        value = Reflect::get(&value, &JsValue::from_str(name))?;
        if value.is_undefined() || value.is_null() {
            return Err(JsValue::from_str(&["extension API ", dotted, " unavailable"].concat()));
        }
    }
    PATHS.with(|p| p.borrow_mut().push((dotted, value.clone())));
    Ok(value)
}

/// False once the extension was reloaded or removed: this content script is then an orphan.
pub fn extension_alive() -> bool {
    // Read afresh each time: an orphaned content script's `runtime.id` turns undefined.
    path("runtime").and_then(|runtime| Reflect::get(&runtime, &"id".into())).is_ok_and(|id| id.is_string())
}

/// The extension's version, from its manifest (`runtime.getManifest().version`), for the popup,
/// the reports and diagnostics; empty when the API cannot tell it.
pub fn extension_version() -> String {
    path("runtime")
        .and_then(|runtime| {
            let get: Function = Reflect::get(&runtime, &"getManifest".into())?.dyn_into()?;
            let manifest = get.call0(&runtime)?;
            Reflect::get(&manifest, &"version".into())
        })
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn local() -> Result<StorageArea, JsValue> {
    Ok(path("storage.local")?.unchecked_into())
}

/// Reads keys from `storage.local` (`null` for everything).
pub async fn storage_get(keys: &JsValue) -> Result<Object, JsValue> {
    Ok(JsFuture::from(local()?.get(keys)?).await?.unchecked_into())
}

pub async fn storage_set(items: &Object) -> Result<(), JsValue> {
    JsFuture::from(local()?.set(items)?).await.map(drop)
}

/// Removes keys from `storage.local` (the popup's Reset).
pub async fn storage_remove(keys: &JsValue) -> Result<(), JsValue> {
    JsFuture::from(local()?.remove_keys(keys)?).await.map(drop)
}

/// Adds `listener` to the extension event at `event` (a dotted path such as `storage.onChanged`).
fn listen(event: &'static str, listener: &Function) -> Result<(), JsValue> {
    path(event)?.unchecked_into::<ExtensionEvent>().add_listener(listener);
    Ok(())
}

fn unlisten(event: &'static str, listener: &Function) {
    if let Ok(event) = path(event) {
        event.unchecked_into::<ExtensionEvent>().remove_listener(listener);
    }
}

/// Listens to `storage.onChanged`; the listener gets `(changes, areaName)`.
pub fn on_storage_changed(listener: &Function) -> Result<(), JsValue> {
    listen("storage.onChanged", listener)
}

pub fn off_storage_changed(listener: &Function) {
    unlisten("storage.onChanged", listener)
}

/// Listens to `runtime.onMessage` (the background's word that the shortcut was pressed).
pub fn on_message(listener: &Function) -> Result<(), JsValue> {
    listen("runtime.onMessage", listener)
}

pub fn off_message(listener: &Function) {
    unlisten("runtime.onMessage", listener)
}

/// A message from `_locales` in the browser's language, with `$1`… filled in. Falls back to the
/// key so that a missing message is visible rather than blank.
pub fn message(key: &str, substitutions: &[&str]) -> String {
    // A page's language does not change under it: plain messages are asked for once.
    let plain = substitutions.is_empty();
    if plain {
        if let Some(text) = MESSAGES.with(|m| m.borrow().iter().find(|(k, _)| k == key).map(|(_, text)| text.clone())) {
            return text;
        }
    }
    let subs: js_sys::Array = substitutions.iter().map(|s| JsValue::from_str(s)).collect();
    let text = path("i18n")
        .ok()
        .and_then(|i18n| i18n.unchecked_into::<I18n>().get_message(key, &subs))
        .filter(|m| !m.is_empty());
    match text {
        Some(text) if plain => {
            MESSAGES.with(|m| m.borrow_mut().push((key.to_string(), text.clone())));
            text
        }
        Some(text) => text,
        None => key.to_string(),
    }
}

/// A moment (ms since the epoch) as a time of day in the admin's language and time zone.
pub fn clock(at: f64) -> String {
    // The language the card's texts are in (as its `lang`), not the browser's: they differ where
    // the browser's language has no messages and the texts fall back to English.
    let locale = message("popup_lang", &[]);
    String::from(js_sys::Date::new(&JsValue::from_f64(at)).to_locale_time_string(&locale))
}

/// A browser error in words: a string as is, an `Error`'s message, else a fixed text (no `Debug`
/// formatting of the value, which would bring wasm-bindgen's `debugString` along).
pub fn describe_error(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "unknown error".to_string())
}
