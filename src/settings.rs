//! The admin's choices, shared by the popup and the in-page guide (storage key `settings`).

use serde::{Deserialize, Serialize};

pub const SETTINGS_KEY: &str = "settings";

/// Okta's first announced deadline; the admin can change it (Okta has moved it before).
pub const DEFAULT_DEADLINE: &str = "2026-09-15";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Keep the Microsoft account name (never a password) in each org's completion record.
    pub record_account: bool,
    /// ISO date `YYYY-MM-DD`.
    pub deadline: String,
    /// Ids of the preparation items the admin ticked.
    pub prepared: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { record_account: false, deadline: DEFAULT_DEADLINE.to_string(), prepared: Vec::new() }
    }
}

impl Settings {
    /// Reads stored settings; anything unreadable falls back to the defaults.
    pub fn decode<'de, D: serde::Deserializer<'de>>(stored: D) -> Settings {
        Option::<Settings>::deserialize(stored).ok().flatten().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_bad_settings_fall_back_to_defaults() {
        assert_eq!(Settings::decode(&serde_json::Value::Null), Settings::default());
        assert_eq!(Settings::decode(&serde_json::json!("garbage")), Settings::default());
        let partial = Settings::decode(&serde_json::json!({ "recordAccount": true }));
        assert!(partial.record_account);
        assert_eq!(partial.deadline, DEFAULT_DEADLINE);
    }
}
