//! The browser-facing edge: everything here touches the DOM or the extension APIs.
//! The crate is built twice: with `guide` for the content script, with `popup` for the popup,
//! so that neither carries the other's code.

pub mod diagnostics;
pub mod ext;
pub mod storage;
pub mod stored_value;

#[cfg(feature = "guide")]
pub mod app;
#[cfg(feature = "guide")]
pub mod content;
#[cfg(feature = "guide")]
pub mod page;
#[cfg(feature = "guide")]
pub mod listeners;
#[cfg(feature = "guide")]
pub mod look_cache;
#[cfg(feature = "guide")]
pub mod marks;
#[cfg(feature = "guide")]
pub mod overlay;

#[cfg(feature = "popup")]
pub mod popup;
