//! Progress in `storage.local`: one record per org under `org:<org>`, plus `active`, the org the
//! admin worked on last (Microsoft's pages do not always say which org sent the admin there).

use super::ext;
use crate::progress::{self, Progress, StoredError};
use crate::settings::{Settings, SETTINGS_KEY};
use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub const ACTIVE_KEY: &str = "active";

/// Serialises as plain JSON-like values (objects, `null`), which the popup can export as is.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Reads a stored record; `Err` carries why it could not be used (the caller resets it).
pub fn decode(value: &JsValue, org: &str) -> Result<Option<Progress>, StoredError> {
    Progress::decode(|| serde_wasm_bindgen::Deserializer::from(value.clone()), org)
}

pub async fn load(org: &str) -> Result<Result<Option<Progress>, StoredError>, JsValue> {
    let key = progress::storage_key(org);
    let items = ext::storage_get(&JsValue::from_str(&key)).await?;
    let value = Reflect::get(&items, &JsValue::from_str(&key))?;
    Ok(decode(&value, org))
}

pub async fn load_active() -> Result<Option<String>, JsValue> {
    let items = ext::storage_get(&JsValue::from_str(ACTIVE_KEY)).await?;
    Ok(Reflect::get(&items, &JsValue::from_str(ACTIVE_KEY))?.as_string())
}

pub async fn save(progress: &Progress) -> Result<(), JsValue> {
    let items = Object::new();
    Reflect::set(&items, &JsValue::from_str(&progress::storage_key(&progress.org)), &to_js(progress)?)?;
    Reflect::set(&items, &JsValue::from_str(ACTIVE_KEY), &JsValue::from_str(&progress.org))?;
    ext::storage_set(&items).await
}

pub fn decode_settings(value: &JsValue) -> Settings {
    Settings::decode(serde_wasm_bindgen::Deserializer::from(value.clone()))
}

pub async fn load_settings() -> Result<Settings, JsValue> {
    let items = ext::storage_get(&JsValue::from_str(SETTINGS_KEY)).await?;
    Ok(decode_settings(&Reflect::get(&items, &JsValue::from_str(SETTINGS_KEY))?))
}
