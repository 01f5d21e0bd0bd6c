//! The messages in `extension/_locales` (written by `tools/messages.py`) against the code that
//! uses them: every key the code names exists in English and Dutch, both languages have the same
//! keys, and each message has the same placeholders in both.

use reauth_guide::report::{preparation_key, PREPARATION};
use reauth_guide::roadmap::StepId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn locale(lang: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("extension/_locales/{lang}/messages.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("messages.json is JSON");
    json.as_object()
        .expect("an object of messages")
        .iter()
        .map(|(key, entry)| (key.clone(), entry["message"].as_str().unwrap_or_else(|| panic!("{lang}: {key} has no message")).to_string()))
        .collect()
}

/// `$1`…`$9` in a message.
fn placeholders(message: &str) -> BTreeSet<char> {
    message.as_bytes().windows(2).filter(|w| w[0] == b'$' && w[1].is_ascii_digit()).map(|w| w[1] as char).collect()
}

/// Whether a quoted literal is a message key (`"ui_…"`, `'popup_…'`, …).
fn is_key(literal: &str) -> bool {
    const PREFIXES: [&str; 6] = ["ui_", "target_", "notice_", "advice_", "popup_", "step_"];
    PREFIXES.iter().any(|p| literal.starts_with(p))
        && literal.len() > 4
        && literal.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !literal.ends_with('_')
}

/// The message keys named in `text`: quoted literals (Rust strings, HTML attributes, JS strings)
/// and the manifest's `__MSG_<key>__`.
fn keys_in(text: &str) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = ['"', '\''].iter().flat_map(|q| text.split(*q).skip(1).step_by(2)).filter(|l| is_key(l)).map(String::from).collect();
    keys.extend(text.split("__MSG_").skip(1).filter_map(|rest| rest.split_once("__")).map(|(key, _)| key.to_string()));
    keys
}

/// Message keys the code names: the Rust sources, the popup's page and scripts, the manifest.
fn keys_in_code() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("manifest.json")];
    let mut dirs = vec![root.join("src"), root.join("extension")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                // The messages themselves are what the keys are checked against.
                if !path.ends_with("_locales") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html" || e == "js") {
                files.push(path);
            }
        }
    }
    files.iter().flat_map(|path| keys_in(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))).collect()
}

#[test]
fn english_and_dutch_have_the_same_keys_and_placeholders() {
    let (en, nl) = (locale("en"), locale("nl"));
    let only_en: Vec<_> = en.keys().filter(|k| !nl.contains_key(*k)).collect();
    let only_nl: Vec<_> = nl.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty() && only_nl.is_empty(), "only in en: {only_en:?}; only in nl: {only_nl:?}");
    for (key, message) in &en {
        assert_eq!(placeholders(message), placeholders(&nl[key]), "{key}: placeholders differ between en and nl");
    }
}

#[test]
fn every_key_the_code_names_exists() {
    let (en, nl) = (locale("en"), locale("nl"));
    let named = keys_in_code();
    assert!(named.len() > 50, "the scan found too few keys ({}): is it still reading the sources?", named.len());
    // One of each place: the sources, the popup's page, its script, the manifest.
    for key in ["ui_step_of", "popup_export_json", "popup_start_failed", "extName"] {
        assert!(named.contains(key), "the scan no longer finds `{key}`");
    }
    let missing: Vec<_> = named.iter().filter(|k| !en.contains_key(*k) || !nl.contains_key(*k)).collect();
    assert!(missing.is_empty(), "keys the code uses but _locales lacks: {missing:?}");
}

#[test]
fn every_step_has_its_texts_and_every_target_its_name() {
    let (en, nl) = (locale("en"), locale("nl"));
    for step in StepId::ALL {
        let texts = step.texts();
        // "Look for" is said when a target cannot be found: only steps with targets need it.
        let keys: &[&str] = if step.targets().is_empty() { &[texts.title, texts.body, texts.why] } else { &[texts.title, texts.body, texts.why, texts.look_for] };
        for key in keys {
            assert!(en.contains_key(*key) && nl.contains_key(*key), "{step:?}: {key} is missing");
        }
        for target in step.targets() {
            assert!(en.contains_key(target.label), "{step:?}: target name {} is missing", target.label);
        }
    }
}

/// The preparation items' keys are assembled at run time (`popup_prepare_<id>`), so the scan
/// cannot see them: each must exist, with a text, in both languages.
#[test]
fn preparation_items_have_message_keys() {
    let (en, nl) = (locale("en"), locale("nl"));
    assert_eq!(preparation_key("off-hours"), "popup_prepare_off_hours");
    for id in PREPARATION {
        let key = preparation_key(id);
        for (lang, messages) in [("en", &en), ("nl", &nl)] {
            assert!(messages.get(&key).is_some_and(|m| !m.trim().is_empty()), "{lang}: preparation item {id} has no text ({key})");
        }
    }
}
