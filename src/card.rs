//! The card's view model: what it says and offers, as message keys with their arguments. Pure:
//! the overlay translates it into the admin's language and renders it.

use crate::contract::GuideState;
use crate::roadmap::{StepId, STEP_COUNT};

/// An argument of a message: text as is, or another message (a target's name).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Plain(String),
    Message(&'static str),
    /// A moment (ms since the epoch), said as a time of day in the admin's time zone.
    Clock(f64),
}

/// A message of `_locales` with its `$1`… arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub key: &'static str,
    pub args: Vec<Arg>,
}

impl Text {
    pub fn new(key: &'static str) -> Text {
        Text { key, args: Vec::new() }
    }

    pub fn with(key: &'static str, args: impl IntoIterator<Item = Arg>) -> Text {
        Text { key, args: args.into_iter().collect() }
    }

    /// A message with plain-text arguments.
    pub fn plain<const N: usize>(key: &'static str, args: [String; N]) -> Text {
        Text::with(key, args.map(Arg::Plain))
    }
}

/// A line of the card: messages said one after another.
pub type Line = Vec<Text>;

/// What the admin can do on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Back,
    Skip,
    Pause,
    Resume,
    Close,
    /// Another tab of the same org was guiding: guide in this one instead.
    GuideHere,
    /// The admin says the step the guide expects next is done (the guide could not see it).
    Confirm,
    /// Opens (or closes) the box showing the diagnostics that would be copied.
    Diagnostics,
    /// Copies the diagnostics shown in that box.
    CopyDiagnostics,
    /// Skip was asked for while the guide could see the step not done: skip after all.
    SkipAnyway,
    /// …or stay at the step.
    KeepStep,
}

impl Action {
    const ALL: [Action; 11] = [
        Action::Back,
        Action::Skip,
        Action::Pause,
        Action::Resume,
        Action::Close,
        Action::GuideHere,
        Action::Confirm,
        Action::Diagnostics,
        Action::CopyDiagnostics,
        Action::SkipAnyway,
        Action::KeepStep,
    ];

    /// The button's `data-action`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Back => "back",
            Action::Skip => "skip",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Close => "close",
            Action::GuideHere => "guide-here",
            Action::Confirm => "confirm",
            Action::Diagnostics => "diagnostics",
            Action::CopyDiagnostics => "copy-diagnostics",
            Action::SkipAnyway => "skip-anyway",
            Action::KeepStep => "keep-step",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// The diagnostics box, when open: exactly the text Copy copies, and what the last Copy said.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticsView {
    pub text: String,
    pub status: Option<Text>,
}

/// Everything the card shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// "Step n of m" (none at `done` and on the compact card).
    pub progress: Option<Text>,
    pub title: Text,
    pub body: Option<Text>,
    pub why: Line,
    pub notes: Vec<Text>,
    pub warning: Option<Text>,
    pub status: Line,
    pub actions: Vec<(Action, Text)>,
    /// The action drawn as the primary button: the step's positive one, never Skip.
    pub primary: Option<Action>,
    /// Paused or another tab guides: only a small pill with its one action.
    pub compact: bool,
    /// "Copy diagnostics" as a small link under the actions (`None` when it is among them).
    pub diagnostics_link: Option<Text>,
    pub diagnostics: Option<DiagnosticsView>,
}

/// What the card is about, as the session decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Situation<'a> {
    /// The step shown (the current one, or an earlier one the admin went back to).
    pub step: StepId,
    pub state: GuideState,
    pub status: Line,
    /// The Global Administrator the Okta form names (said at Microsoft's sign-in).
    pub expected_account: Option<&'a str>,
    /// Office 365 instances in the apps list (a hint when there is more than one).
    pub instances: usize,
    /// What Microsoft's or Okta's error code means for the admin.
    pub advice: Option<&'static str>,
    /// The Integration form has no credentials test (OAuth-only): saving is all that is left.
    pub oauth_only: bool,
    /// The most pressing warning: a failed save, why progress was reset, a wrong account.
    pub warning: Option<Text>,
    pub diagnostics: Option<DiagnosticsView>,
    /// The admin asked to skip a step the guide can see is not done: confirm first.
    pub skip_asked: bool,
    /// When both check marks and the success message were confirmed.
    pub confirmed_at: Option<f64>,
    /// At `done`: what was done, for the admin's records.
    pub summary: Option<Summary<'a>>,
}

/// The `done` card's summary (the time taken is its status line).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary<'a> {
    pub org: &'a str,
    /// Only when the admin chose to record it.
    pub account: Option<&'a str>,
}

fn diagnostics_label(open: bool) -> Text {
    Text::new(if open { "ui_diagnostics_hide" } else { "ui_diagnostics" })
}

/// The card of a step.
pub fn step_card(s: Situation) -> Card {
    let texts = s.step.texts();
    let unsure = s.state == GuideState::Unsure;
    let mut notes = Vec::new();
    if s.step == StepId::Applications {
        notes.extend(["ui_prepare_title", "ui_prepare_coworkers", "ui_prepare_hours", "ui_prepare_credentials"].map(Text::new));
    }
    if s.step == StepId::FindApp && s.instances > 1 {
        notes.push(Text::plain("ui_instances_hint", [s.instances.to_string()]));
    }
    if let (StepId::MicrosoftSignIn, Some(account)) = (s.step, s.expected_account) {
        notes.push(Text::plain("ui_account_expected", [account.to_string()]));
    }
    if let Some(advice) = s.advice {
        notes.push(Text::new(advice));
    }
    if s.step == StepId::Save && s.oauth_only {
        notes.push(Text::new("ui_oauth_only"));
    }
    // The promise kept: at Save and at the end, the card still says what was confirmed, and when.
    if let (StepId::Save | StepId::Done, Some(at)) = (s.step, s.confirmed_at) {
        notes.push(Text::with("ui_checkmarks_confirmed_at", [Arg::Clock(at)]));
    }
    if let Some(summary) = &s.summary {
        notes.insert(0, Text::plain("ui_summary_org", [summary.org.to_string()]));
        if let Some(account) = summary.account {
            notes.insert(1, Text::plain("ui_summary_account", [account.to_string()]));
        }
    }
    let mut actions = Vec::new();
    let mut primary = None;
    let mut warning = s.warning;
    if unsure {
        actions.push((Action::Confirm, Text::new("ui_done_this")));
        actions.push((Action::Pause, Text::new("ui_pause")));
        primary = Some(Action::Confirm);
    } else if s.step == StepId::Done {
        actions.push((Action::Close, Text::new("ui_close")));
        primary = Some(Action::Close);
    } else if s.skip_asked {
        warning = Some(Text::new("ui_skip_confirm"));
        actions.push((Action::SkipAnyway, Text::new("ui_skip_anyway")));
        actions.push((Action::KeepStep, Text::new("ui_keep_step")));
        primary = Some(Action::KeepStep);
    } else {
        if s.step.rank() > 0 {
            actions.push((Action::Back, Text::new("ui_back")));
        }
        actions.push((Action::Pause, Text::new("ui_pause")));
        actions.push((Action::Skip, Text::new("ui_skip")));
    }
    // Where the guide is lost, the way to tell us why is among the card's own actions.
    let label = diagnostics_label(s.diagnostics.is_some());
    let diagnostics_link = if matches!(s.state, GuideState::NotFound | GuideState::Unsure) {
        actions.insert(0, (Action::Diagnostics, label));
        None
    } else {
        Some(label)
    };
    let progress = (s.step != StepId::Done).then(|| Text::plain("ui_step_of", [(s.step.rank() + 1).to_string(), STEP_COUNT.to_string()]));
    Card {
        progress,
        title: Text::new(if unsure { "ui_unsure_title" } else { texts.title }),
        body: (!unsure).then(|| Text::new(texts.body)),
        why: vec![Text::new("ui_why"), Text::new(texts.why)],
        notes,
        warning,
        status: s.status,
        actions,
        primary,
        compact: false,
        diagnostics_link,
        diagnostics: s.diagnostics,
    }
}

/// The small card of a paused guide, or of a tab while another tab of the org guides.
pub fn pill_card(leading: bool, diagnostics: Option<DiagnosticsView>) -> Card {
    let (title, action) = if leading {
        (Text::new("ui_paused"), (Action::Resume, Text::new("ui_resume")))
    } else {
        (Text::new("ui_other_tab"), (Action::GuideHere, Text::new("ui_guide_here")))
    };
    Card {
        progress: None,
        title,
        body: None,
        why: Vec::new(),
        notes: Vec::new(),
        warning: None,
        status: Vec::new(),
        primary: Some(action.0),
        actions: vec![action],
        compact: true,
        diagnostics_link: Some(diagnostics_label(diagnostics.is_some())),
        diagnostics,
    }
}

impl Card {
    /// Every message key the card names (the native messages test checks they exist).
    pub fn keys(&self) -> Vec<&'static str> {
        let texts = self.progress.iter()
            .chain([&self.title])
            .chain(&self.body)
            .chain(&self.why)
            .chain(&self.notes)
            .chain(&self.warning)
            .chain(&self.status)
            .chain(self.actions.iter().map(|(_, t)| t))
            .chain(&self.diagnostics_link)
            .chain(self.diagnostics.iter().flat_map(|d| &d.status));
        let mut keys = Vec::new();
        for text in texts {
            keys.push(text.key);
            keys.extend(text.args.iter().filter_map(|a| match a {
                Arg::Message(key) => Some(*key),
                Arg::Plain(_) | Arg::Clock(_) => None,
            }));
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn situation(step: StepId, state: GuideState) -> Situation<'static> {
        Situation { step, state, status: Vec::new(), expected_account: None, instances: 0, advice: None, oauth_only: false, warning: None, diagnostics: None, skip_asked: false, confirmed_at: None, summary: None }
    }

    fn actions(card: &Card) -> Vec<Action> {
        card.actions.iter().map(|(a, _)| *a).collect()
    }

    #[test]
    fn a_step_card_offers_back_pause_and_skip_but_the_first_has_no_back() {
        assert_eq!(actions(&step_card(situation(StepId::Applications, GuideState::Highlighting))), [Action::Pause, Action::Skip]);
        assert_eq!(actions(&step_card(situation(StepId::Edit, GuideState::Highlighting))), [Action::Back, Action::Pause, Action::Skip]);
        assert_eq!(actions(&step_card(situation(StepId::Done, GuideState::Done))), [Action::Close]);
    }

    #[test]
    fn skip_is_never_the_primary_action() {
        for step in StepId::ALL {
            for state in [GuideState::Highlighting, GuideState::Searching, GuideState::NotFound, GuideState::Unsure, GuideState::Done] {
                let card = step_card(situation(step, state));
                assert_ne!(card.primary, Some(Action::Skip), "{step:?} {state:?}");
                if let Some(primary) = card.primary {
                    assert!(actions(&card).contains(&primary), "the primary action is one of the card's");
                }
            }
        }
        assert_eq!(step_card(situation(StepId::Edit, GuideState::Unsure)).primary, Some(Action::Confirm));
        assert_eq!(step_card(situation(StepId::Done, GuideState::Done)).primary, Some(Action::Close));
        assert_eq!(pill_card(true, None).primary, Some(Action::Resume));
    }

    #[test]
    fn a_skip_the_guide_can_see_is_premature_is_confirmed_first() {
        let mut s = situation(StepId::Edit, GuideState::Highlighting);
        s.skip_asked = true;
        let card = step_card(s);
        assert_eq!(actions(&card), [Action::SkipAnyway, Action::KeepStep]);
        assert_eq!(card.primary, Some(Action::KeepStep), "staying is the safe default");
        assert_eq!(card.warning, Some(Text::new("ui_skip_confirm")));
    }

    #[test]
    fn save_and_done_say_when_the_check_marks_were_confirmed_and_done_sums_up() {
        let mut save = situation(StepId::Save, GuideState::Highlighting);
        save.confirmed_at = Some(1_700_000_000_000.0);
        assert!(step_card(save).notes.contains(&Text::with("ui_checkmarks_confirmed_at", [Arg::Clock(1_700_000_000_000.0)])));
        assert!(step_card(situation(StepId::Save, GuideState::Highlighting)).notes.is_empty(), "nothing confirmed, nothing said");
        let mut done = situation(StepId::Done, GuideState::Done);
        done.confirmed_at = Some(5.0);
        done.summary = Some(Summary { org: "acme-admin.okta.com", account: Some("admin@acme.onmicrosoft.com") });
        let notes = step_card(done.clone()).notes;
        assert_eq!(notes[0], Text::plain("ui_summary_org", ["acme-admin.okta.com".into()]));
        assert_eq!(notes[1], Text::plain("ui_summary_account", ["admin@acme.onmicrosoft.com".into()]));
        assert_eq!(notes[2].key, "ui_checkmarks_confirmed_at");
        done.summary.as_mut().unwrap().account = None;
        assert!(!step_card(done).notes.iter().any(|n| n.key == "ui_summary_account"), "an account only when recorded");
    }

    #[test]
    fn a_lost_guide_puts_diagnostics_first_among_its_actions() {
        let card = step_card(situation(StepId::Edit, GuideState::NotFound));
        assert_eq!(actions(&card)[0], Action::Diagnostics);
        assert_eq!(card.diagnostics_link, None);
        let unsure = step_card(situation(StepId::Edit, GuideState::Unsure));
        assert_eq!(actions(&unsure), [Action::Diagnostics, Action::Confirm, Action::Pause]);
        assert_eq!(unsure.title.key, "ui_unsure_title");
        assert_eq!(unsure.body, None);
        let found = step_card(situation(StepId::Edit, GuideState::Highlighting));
        assert_eq!(found.diagnostics_link, Some(Text::new("ui_diagnostics")));
    }

    #[test]
    fn an_open_box_turns_the_link_into_hide() {
        let mut s = situation(StepId::Edit, GuideState::Highlighting);
        s.diagnostics = Some(DiagnosticsView { text: "x".into(), status: None });
        assert_eq!(step_card(s).diagnostics_link, Some(Text::new("ui_diagnostics_hide")));
    }

    #[test]
    fn notes_follow_the_step() {
        let card = step_card(situation(StepId::Applications, GuideState::Highlighting));
        assert_eq!(card.notes.len(), 4, "the preparation list");
        let mut find = situation(StepId::FindApp, GuideState::Highlighting);
        find.instances = 1;
        assert!(step_card(find.clone()).notes.is_empty(), "one instance needs no hint");
        find.instances = 3;
        assert_eq!(step_card(find).notes, [Text::plain("ui_instances_hint", ["3".into()])]);
        let mut sign_in = situation(StepId::MicrosoftSignIn, GuideState::Highlighting);
        sign_in.expected_account = Some("admin@contoso.com");
        sign_in.advice = Some("advice_wrong_password");
        let notes = step_card(sign_in).notes;
        assert_eq!(notes[0], Text::plain("ui_account_expected", ["admin@contoso.com".into()]));
        assert_eq!(notes[1].key, "advice_wrong_password");
        let mut save = situation(StepId::Save, GuideState::Highlighting);
        save.oauth_only = true;
        assert_eq!(step_card(save).notes, [Text::new("ui_oauth_only")]);
    }

    #[test]
    fn progress_counts_main_steps_and_done_has_none() {
        let card = step_card(situation(StepId::TestFailed, GuideState::Highlighting));
        assert_eq!(card.progress, Some(Text::plain("ui_step_of", [(StepId::TestApi.rank() + 1).to_string(), STEP_COUNT.to_string()])));
        assert_eq!(step_card(situation(StepId::Done, GuideState::Done)).progress, None);
    }

    #[test]
    fn the_pill_offers_resume_or_guide_here() {
        assert_eq!(actions(&pill_card(true, None)), [Action::Resume]);
        assert_eq!(actions(&pill_card(false, None)), [Action::GuideHere]);
        assert!(pill_card(true, None).compact);
    }

    #[test]
    fn actions_round_trip_through_their_names() {
        for action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(Action::from_name("submit"), None);
    }
}
