//! Progress in `storage.local`: one record per org under `org:<org>`, plus `active`, the org the
//! admin worked on last (Microsoft's pages do not always say which org sent the admin there).

use super::ext;
use super::stored_value::StoredValue;
use crate::progress::{self, Progress, StoredError};
use crate::settings::{Settings, SETTINGS_KEY};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

/// How records are written: plain JSON-like values, which the popup can export as they are.
pub use super::stored_value::to_js;

pub const ACTIVE_KEY: &str = "active";

/// Storage key naming the tab that guides an org: only one tab of an org guides at a time.
pub fn lease_key(org: &str) -> String {
    format!("lease:{org}")
}

/// Makes `tab` the guiding tab of `org`.
pub async fn claim_lease(org: &str, tab: &str) -> Result<(), JsValue> {
    let items = Object::new();
    Reflect::set(&items, &JsValue::from_str(&lease_key(org)), &JsValue::from_str(tab))?;
    ext::storage_set(&items).await
}

/// Gives up the lease of `org`: the page that guided goes away (a closing pop-up, a tab), so
/// the tab that waited guides again at once.
pub async fn release_lease(org: &str) -> Result<(), JsValue> {
    ext::storage_remove(&JsValue::from_str(&lease_key(org))).await
}

/// Reads a stored record; `Err` carries why it could not be used (the caller resets it).
pub fn decode(value: &JsValue, org: &str) -> Result<Option<Progress>, StoredError> {
    Progress::decode(|| StoredValue(value.clone()), org)
}

pub async fn load(org: &str) -> Result<Result<Option<Progress>, StoredError>, JsValue> {
    let key = progress::storage_key(org);
    let items = ext::storage_get(&JsValue::from_str(&key)).await?;
    let value = Reflect::get(&items, &JsValue::from_str(&key))?;
    Ok(decode(&value, org))
}

pub async fn save(progress: &Progress) -> Result<(), JsValue> {
    let items = Object::new();
    Reflect::set(&items, &JsValue::from_str(&progress::storage_key(&progress.org)), &to_js(progress)?)?;
    Reflect::set(&items, &JsValue::from_str(ACTIVE_KEY), &JsValue::from_str(&progress.org))?;
    ext::storage_set(&items).await
}

pub fn decode_settings(value: &JsValue) -> Settings {
    Settings::decode(StoredValue(value.clone()))
}

pub async fn load_settings() -> Result<Settings, JsValue> {
    let items = ext::storage_get(&JsValue::from_str(SETTINGS_KEY)).await?;
    Ok(decode_settings(&Reflect::get(&items, &JsValue::from_str(SETTINGS_KEY))?))
}

/// Everything the popup shows, read in one go so that it is consistent.
pub struct Stored {
    /// Every org with a record, by org key, as decoded (`Err`: unreadable, shown as a problem).
    pub orgs: Vec<(String, Result<Progress, StoredError>)>,
    pub active: Option<String>,
    pub settings: Settings,
}

pub async fn load_all() -> Result<Stored, JsValue> {
    let items = ext::storage_get(&JsValue::NULL).await?;
    let mut orgs = Vec::new();
    for key in Object::keys(&items).iter().filter_map(|k| k.as_string()) {
        let Some(org) = key.strip_prefix(progress::ORG_KEY_PREFIX) else { continue };
        let value = Reflect::get(&items, &JsValue::from_str(&key))?;
        match decode(&value, org) {
            Ok(Some(p)) => orgs.push((org.to_string(), Ok(p))),
            Ok(None) => {}
            Err(error) => orgs.push((org.to_string(), Err(error))),
        }
    }
    let active = Reflect::get(&items, &JsValue::from_str(ACTIVE_KEY))?.as_string();
    let settings = decode_settings(&Reflect::get(&items, &JsValue::from_str(SETTINGS_KEY))?);
    Ok(Stored { orgs, active, settings })
}

/// Writes an org's record without making it the active org (the popup acts on any org).
pub async fn save_record(progress: &Progress) -> Result<(), JsValue> {
    let items = Object::new();
    Reflect::set(&items, &JsValue::from_str(&progress::storage_key(&progress.org)), &to_js(progress)?)?;
    ext::storage_set(&items).await
}

/// Forgets an org's record: the guide on its pages starts afresh.
pub async fn remove(org: &str) -> Result<(), JsValue> {
    ext::storage_remove(&JsValue::from_str(&progress::storage_key(org))).await
}

pub async fn save_active(org: &str) -> Result<(), JsValue> {
    let items = Object::new();
    Reflect::set(&items, &JsValue::from_str(ACTIVE_KEY), &JsValue::from_str(org))?;
    ext::storage_set(&items).await
}

pub async fn save_settings(settings: &Settings) -> Result<(), JsValue> {
    let items = Object::new();
    Reflect::set(&items, &JsValue::from_str(SETTINGS_KEY), &to_js(settings)?)?;
    ext::storage_set(&items).await
}

/// What the guide needs to start on a page.
pub struct Start {
    pub org: Option<String>,
    pub settings: Settings,
    pub stored: Result<Option<Progress>, StoredError>,
}

/// Picks the settings and the org's record out of everything stored (one read, which the loader
/// starts before the engine is even compiled); without `org`, the org is the last active one.
pub fn start_from(items: &JsValue, org: Option<String>) -> Result<Start, JsValue> {
    let settings = decode_settings(&Reflect::get(items, &JsValue::from_str(SETTINGS_KEY))?);
    let org = match org {
        Some(org) => Some(org),
        None => Reflect::get(items, &JsValue::from_str(ACTIVE_KEY))?.as_string(),
    };
    let stored = match &org {
        Some(org) => decode(&Reflect::get(items, &JsValue::from_str(&progress::storage_key(org)))?, org),
        None => Ok(None),
    };
    Ok(Start { org, settings, stored })
}
