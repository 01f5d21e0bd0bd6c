//! The page contract: what the guide leaves in the page for people and tests to read. The root
//! element `#o365-reauth-guide` carries `data-step` and `data-state`; the highlighted element
//! carries `data-reauth-step`.

/// Id of the guide's root element in the page.
pub const ROOT_ID: &str = "o365-reauth-guide";

macro_rules! step_attr {
    () => {
        "data-reauth-step"
    };
}
/// Marker on the element currently highlighted.
pub const STEP_ATTR: &str = step_attr!();
/// Selects the marked elements.
pub const STEP_SELECTOR: &str = concat!("[", step_attr!(), "]");

/// What the guide's root element says it is doing (`data-state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideState {
    Idle,
    Searching,
    Highlighting,
    Waiting,
    Done,
    NotFound,
    Paused,
    /// Another tab of the same org guides.
    OtherTab,
    /// The admin acted and the page shows something the guide cannot place.
    Unsure,
}

impl GuideState {
    pub fn as_str(self) -> &'static str {
        match self {
            GuideState::Idle => "idle",
            GuideState::Searching => "searching",
            GuideState::Highlighting => "highlighting",
            GuideState::Waiting => "waiting",
            GuideState::Done => "done",
            GuideState::NotFound => "not-found",
            GuideState::Paused => "paused",
            GuideState::OtherTab => "other-tab",
            GuideState::Unsure => "unsure",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selector_selects_the_marker() {
        assert_eq!(STEP_SELECTOR, "[data-reauth-step]");
        assert_eq!(GuideState::NotFound.as_str(), "not-found");
    }
}
