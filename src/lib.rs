//! Guides an Okta administrator through re-authenticating Office 365 provisioning.
//!
//! The pure core (roadmap data, flow state machine, locator scoring, stored progress) depends on
//! no browser API and is tested natively. `browser` is the thin edge that meets the page and the
//! extension APIs; it exists only on wasm32.

pub mod card;
pub mod contract;
pub mod decode_error;
pub mod diagnostics;
pub mod flow;
pub mod import;
pub mod json;
pub mod layout;
pub mod locator;
pub mod org;
pub mod pacing;
pub mod progress;
pub mod recognize;
pub mod redact;
pub mod report;
pub mod roadmap;
pub mod session;
pub mod settings;
pub mod stored_value;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod browser;

#[cfg(all(target_arch = "wasm32", feature = "guide"))]
pub use browser::content::run;
#[cfg(all(target_arch = "wasm32", feature = "popup"))]
pub use browser::popup::run_popup;

/// Talc instead of Rust's default dlmalloc: about 5 KB less code in each engine. It frees and
/// merges blocks like dlmalloc (no leak on a long-lived page) and grows wasm memory as needed.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
