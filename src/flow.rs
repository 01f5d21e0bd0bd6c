//! The flow's state machine: from what the page shows and what the admin did, which step is
//! current. Pure: the browser edge turns the page into an [`Observation`] and calls in here.
//!
//! The page is the truth for where the admin is (so arriving mid-flow resumes at the step the
//! page shows); the stored milestones remember what a page cannot show (consent given in this
//! flow, check marks confirmed, Save clicked).

use crate::progress::{Progress, StepTime};
use crate::roadmap::{Site, StepId};

/// Which Microsoft sign-in screen is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MicrosoftScreen {
    SignIn,
    Permissions,
    NeedAdminApproval,
}

/// What an Office 365 app page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppView {
    /// Another tab (General, Sign On…).
    Other,
    /// Provisioning, with its Settings list but not the Integration form.
    ProvisioningSettings,
    /// Provisioning of an instance that never had an API integration.
    NoApiIntegration,
    /// The Integration form, read-only.
    IntegrationView,
    /// The Integration form in edit mode.
    IntegrationEdit,
    /// The page shows too little to tell (still painting, or markup the guide does not know).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OktaPage {
    Other,
    AppsList,
    /// An app instance page; `office365` tells whether it is an Office 365 instance.
    App { office365: bool, view: AppView },
}

/// What came back from Microsoft in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthReturn {
    None,
    Code,
    Error,
}

/// Result of "Test API Credentials" as the form shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Verification {
    #[default]
    None,
    Success,
    Failure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Okta(OktaPage),
    Microsoft(MicrosoftScreen),
}

/// One reading of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub page: Page,
    pub oauth: OAuthReturn,
    pub verification: Verification,
    /// Visible green check marks in the Integration form (counted once the test succeeded).
    pub check_marks: u32,
    /// The edit form has no credentials test (Okta's OAuth-only form), seen long enough to be
    /// sure it is not still painting.
    pub oauth_only: bool,
    /// An AADSTS code the page or the return URL carries.
    pub code: Option<u32>,
    /// Microsoft asks something the guide cannot point at (MFA approval): the card waits.
    pub waiting: bool,
    /// This Okta page only stands behind Microsoft's window (the pop-up's opener): it shows no
    /// step back, nor that Microsoft answered. Set by the session from what this tab saw since
    /// the step began ([`left_behind`]).
    pub left_behind: bool,
}

impl Observation {
    pub fn okta(page: OktaPage) -> Observation {
        Observation {
            page: Page::Okta(page),
            oauth: OAuthReturn::None,
            verification: Verification::None,
            check_marks: 0,
            oauth_only: false,
            code: None,
            waiting: false,
            left_behind: false,
        }
    }

    pub fn microsoft(screen: MicrosoftScreen) -> Observation {
        Observation { page: Page::Microsoft(screen), ..Observation::okta(OktaPage::Other) }
    }
}

/// Check marks that prove the re-authentication: one for the Microsoft authentication, one for
/// the verified credentials.
pub const REQUIRED_CHECK_MARKS: u32 = 2;

/// The step a page shows, given the milestones already reached; `None` when the page shows too
/// little to tell.
pub fn step_shown(progress: &Progress, observation: &Observation) -> Option<StepId> {
    if progress.step == StepId::Done {
        return Some(StepId::Done);
    }
    let okta = match observation.page {
        Page::Microsoft(MicrosoftScreen::Permissions) => return Some(StepId::Consent),
        Page::Microsoft(MicrosoftScreen::NeedAdminApproval) => return Some(StepId::WrongAccount),
        Page::Microsoft(MicrosoftScreen::SignIn) => return Some(StepId::MicrosoftSignIn),
        Page::Okta(page) => page,
    };
    if observation.oauth == OAuthReturn::Error {
        return Some(StepId::ConsentDeclined);
    }
    let consented = consented_after(progress, observation);
    Some(match okta {
        OktaPage::App { view: AppView::Unknown, office365: true } => return None,
        OktaPage::Other | OktaPage::App { office365: false, .. } => StepId::Applications,
        OktaPage::AppsList => StepId::FindApp,
        OktaPage::App { view: AppView::Other, .. } => StepId::ProvisioningTab,
        OktaPage::App { view: AppView::ProvisioningSettings | AppView::NoApiIntegration, .. } => StepId::Integration,
        OktaPage::App { view: AppView::IntegrationView, .. } => {
            if progress.verified && progress.save_clicked {
                StepId::Done
            } else {
                StepId::Edit
            }
        }
        OktaPage::App { view: AppView::IntegrationEdit, .. } => match observation.verification {
            _ if progress.verified => StepId::Save,
            Verification::Failure => StepId::TestFailed,
            Verification::Success if consented => StepId::Checkmarks,
            // Okta's OAuth-only form has no credentials test: once consented, Save is next.
            _ if consented && observation.oauth_only => StepId::Save,
            _ if consented => StepId::TestApi,
            // The OAuth error may already be gone from the URL: stay on the branch that explains it.
            _ if progress.step == StepId::ConsentDeclined => StepId::ConsentDeclined,
            _ => StepId::Reauthenticate,
        },
    })
}

/// The app view the admin's work on `step` leads to (or stays in): the recognizer asks a little
/// less evidence of the screen the admin expects.
pub fn expected_view(step: StepId) -> Option<AppView> {
    match step {
        StepId::ProvisioningTab => Some(AppView::ProvisioningSettings),
        StepId::Integration | StepId::Save => Some(AppView::IntegrationView),
        StepId::Edit
        | StepId::Reauthenticate
        | StepId::MicrosoftSignIn
        | StepId::Consent
        | StepId::ConsentDeclined
        | StepId::TestApi
        | StepId::TestFailed
        | StepId::Checkmarks => Some(AppView::IntegrationEdit),
        _ => None,
    }
}

/// Whether following the page from `current` to `shown` goes back to a step the admin finished.
/// Such a move is followed only when the page clearly shows that step again: its target is there.
pub fn goes_back(current: StepId, shown: StepId) -> bool {
    current != StepId::Done && shown.rank() < current.rank()
}

/// Whether an Okta page seen while the admin is at Microsoft is only the page left behind, and
/// no step back: the opener of the sign-in pop-up keeps showing Re-authenticate the whole time.
/// It counts once this tab loaded, or the admin acted in it, since the step began (`acted_here`:
/// back from Microsoft, or away to another page); Microsoft's answer in the URL always counts.
pub fn left_behind(step: StepId, observation: &Observation, acted_here: bool) -> bool {
    step.site() == Some(Site::Microsoft) && matches!(observation.page, Page::Okta(_)) && observation.oauth == OAuthReturn::None && !acted_here
}

/// Consent counts once Okta shows the code Microsoft sent back, or once the admin is back in
/// Okta (without an error) straight from the permissions page of this flow. The pop-up's opener
/// never left: its page counts only once the admin has clicked Accept in the pop-up, whose return
/// page may close before any guide reads Microsoft's answer.
fn consented_after(progress: &Progress, observation: &Observation) -> bool {
    progress.consented
        || observation.oauth == OAuthReturn::Code
        || (progress.step == StepId::Consent && matches!(observation.page, Page::Okta(_)) && (!observation.left_behind || progress.accepted))
}

/// How long a page must keep showing an earlier step before the guide follows it back:
/// single-page apps paint a skeleton (which looks like "somewhere else") before their content.
pub const BACK_SETTLE_MS: f64 = 900.0;

/// Holds back moves to an earlier step until the page has settled on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settle {
    pending: Option<(StepId, f64)>,
}

impl Settle {
    /// Whether a move from `current` to `shown` may be followed now.
    pub fn ready(&mut self, current: StepId, shown: StepId, now: f64) -> bool {
        if !goes_back(current, shown) {
            self.pending = None;
            return true;
        }
        match self.pending {
            Some((step, since)) if step == shown => now - since >= BACK_SETTLE_MS,
            _ => {
                self.pending = Some((shown, now));
                false
            }
        }
    }

    /// When to look again for a pending move.
    pub fn deadline(&self) -> Option<f64> {
        self.pending.map(|(_, since)| since + BACK_SETTLE_MS)
    }
}

/// Whether the account typed at Microsoft can no longer become the expected one.
pub fn account_mismatch(expected: &str, typed: &str) -> bool {
    let expected = expected.trim().to_ascii_lowercase();
    let typed = typed.trim().to_ascii_lowercase();
    !typed.is_empty() && !expected.is_empty() && !expected.starts_with(&typed)
}

/// What the guide learned from one observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing changed.
    Same,
    /// The page shows a later step, but no real action of the admin led here: not followed.
    Held,
    /// The page shows too little to tell where the admin is, or an earlier step without what the
    /// admin would click there: the flow stays (never falls back to a finished step).
    Unsure,
    /// The current step changed (milestones may have changed too).
    Moved { from: StepId, to: StepId },
}

impl Progress {
    /// Follows the page. Moving forward needs `admin_acted`: a trusted click or key press since
    /// the step began, or a fresh page load; a page script's synthetic click is not the admin.
    /// Moving back (the admin navigated away) is followed when the page clearly shows the earlier
    /// step: `target_shown` tells whether that step's target is on the page.
    pub fn observe(&mut self, observation: &Observation, admin_acted: bool, now: f64, target_shown: &dyn Fn(StepId) -> bool) -> Outcome {
        if self.paused {
            return Outcome::Same;
        }
        // Microsoft's answer in the URL is proof of consent, even on a page the guide cannot
        // place (the pop-up's return page, which closes itself).
        if matches!(observation.page, Page::Okta(_)) && observation.oauth == OAuthReturn::Code && self.step.hands_off_to_microsoft() {
            self.consented = true;
        }
        let Some(shown) = step_shown(self, observation) else { return Outcome::Unsure };
        if shown == self.step {
            return Outcome::Same;
        }
        if goes_back(self.step, shown) && !target_shown(shown) {
            return Outcome::Unsure;
        }
        let forward = shown.rank() > self.step.rank() || shown == StepId::Done;
        if forward && !admin_acted {
            return Outcome::Held;
        }
        // Milestones follow the page.
        if matches!(observation.page, Page::Okta(_)) {
            if observation.oauth == OAuthReturn::Error {
                self.consented = false;
            } else if consented_after(self, observation) {
                self.consented = true;
            }
        }
        // Leaving edit mode without Save (Cancel, navigating away) drops what was not saved.
        if shown.rank() < StepId::Save.rank() && self.step == StepId::Save {
            self.verified = false;
            self.consented = false;
        }
        // The OAuth-only form is verified by the consent itself: it has nothing to test.
        if shown == StepId::Save && observation.oauth_only && self.consented {
            self.verified = true;
        }
        Outcome::Moved { from: self.enter(shown, now), to: shown }
    }

    /// The guide confirmed two green check marks and the success message.
    pub fn confirm_check_marks(&mut self, now: f64) -> bool {
        if self.step != StepId::Checkmarks || self.verified {
            return false;
        }
        self.verified = true;
        self.enter(StepId::Save, now);
        true
    }

    /// When the guide confirmed the check marks (the move from `checkmarks` to `save`), if it did.
    pub fn check_marks_confirmed_at(&self) -> Option<f64> {
        if !self.verified {
            return None;
        }
        self.history.windows(2).rev().find(|w| w[0].step == StepId::Checkmarks && w[1].step == StepId::Save).map(|w| w[1].at)
    }

    /// A trusted click on Accept, the permissions page's marked button: Microsoft's answer is
    /// on its way to Okta. Whether that is news (the record changed).
    pub fn accept_clicked(&mut self, now: f64) -> bool {
        if self.step != StepId::Consent || self.accepted {
            return false;
        }
        self.accepted = true;
        self.updated_at = now;
        true
    }

    /// A trusted click on the Save button once verified.
    pub fn save_clicked(&mut self, now: f64) {
        if self.verified {
            self.save_clicked = true;
            self.updated_at = now;
        }
    }

    /// The admin asked to skip the current step (e.g. done by hand where the guide could not see).
    pub fn skip(&mut self, now: f64) {
        if self.step != StepId::Done {
            self.enter(self.step.main_step().next(), now);
        }
    }

    pub fn set_paused(&mut self, paused: bool, now: f64) {
        self.paused = paused;
        self.updated_at = now;
    }

    /// Enters `step`, recording the time; returns the step left.
    fn enter(&mut self, step: StepId, now: f64) -> StepId {
        let from = self.step;
        self.step = step;
        self.updated_at = now;
        // An Accept belongs to the permissions page it was clicked on.
        self.accepted = false;
        self.history.push(StepTime { step, at: now });
        if step == StepId::Done {
            self.finished_at = Some(now);
            // The expected account was only needed during the flow.
            self.expected_account = None;
        }
        from
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::MAIN_PATH;

    const ORG: &str = "acme-admin.okta.com";

    fn app(view: AppView) -> Observation {
        Observation::okta(OktaPage::App { office365: true, view })
    }

    fn edit_with(verification: Verification, check_marks: u32) -> Observation {
        Observation { verification, check_marks, ..app(AppView::IntegrationEdit) }
    }

    fn walk(progress: &mut Progress, observation: Observation) -> StepId {
        progress.observe(&observation, true, 1.0, &|_| true);
        progress.step
    }

    #[test]
    fn the_happy_path_follows_the_pages() {
        let mut p = Progress::new(ORG, 0.0);
        assert_eq!(walk(&mut p, Observation::okta(OktaPage::Other)), StepId::Applications);
        assert_eq!(walk(&mut p, Observation::okta(OktaPage::AppsList)), StepId::FindApp);
        assert_eq!(walk(&mut p, app(AppView::Other)), StepId::ProvisioningTab);
        assert_eq!(walk(&mut p, app(AppView::ProvisioningSettings)), StepId::Integration);
        assert_eq!(walk(&mut p, app(AppView::IntegrationView)), StepId::Edit);
        assert_eq!(walk(&mut p, app(AppView::IntegrationEdit)), StepId::Reauthenticate);
        assert_eq!(walk(&mut p, Observation::microsoft(MicrosoftScreen::SignIn)), StepId::MicrosoftSignIn);
        assert_eq!(walk(&mut p, Observation::microsoft(MicrosoftScreen::Permissions)), StepId::Consent);
        assert_eq!(walk(&mut p, app(AppView::IntegrationEdit)), StepId::TestApi);
        assert!(p.consented);
        // One check mark with the message is not yet proof; the guide confirms two.
        assert_eq!(walk(&mut p, edit_with(Verification::Success, 2)), StepId::Checkmarks);
        assert!(p.confirm_check_marks(2.0));
        assert_eq!(p.step, StepId::Save);
        p.save_clicked(3.0);
        assert_eq!(walk(&mut p, app(AppView::IntegrationView)), StepId::Done);
        assert_eq!(p.finished_at, Some(1.0));
        let visited: Vec<StepId> = p.history.iter().map(|h| h.step).collect();
        assert_eq!(visited, MAIN_PATH.to_vec());
    }

    #[test]
    fn the_code_in_the_return_url_counts_as_consent() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::Reauthenticate;
        let back = Observation { oauth: OAuthReturn::Code, ..app(AppView::IntegrationEdit) };
        assert_eq!(walk(&mut p, back), StepId::TestApi);
        assert!(p.consented);
    }

    #[test]
    fn a_declined_consent_branches_and_leads_back() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::Consent;
        let declined = Observation { oauth: OAuthReturn::Error, ..app(AppView::IntegrationEdit) };
        assert_eq!(walk(&mut p, declined), StepId::ConsentDeclined);
        assert!(!p.consented);
        // The error leaves the URL: the branch stays until the admin re-authenticates.
        assert_eq!(walk(&mut p, app(AppView::IntegrationEdit)), StepId::ConsentDeclined);
        assert_eq!(walk(&mut p, Observation::microsoft(MicrosoftScreen::SignIn)), StepId::MicrosoftSignIn);
    }

    #[test]
    fn the_wrong_account_branch_returns_to_sign_in() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::MicrosoftSignIn;
        assert_eq!(walk(&mut p, Observation::microsoft(MicrosoftScreen::NeedAdminApproval)), StepId::WrongAccount);
        assert_eq!(walk(&mut p, Observation::microsoft(MicrosoftScreen::SignIn)), StepId::MicrosoftSignIn);
    }

    #[test]
    fn a_failed_test_branches_and_a_passing_retest_leads_back() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::TestApi;
        p.consented = true;
        assert_eq!(walk(&mut p, edit_with(Verification::Failure, 1)), StepId::TestFailed);
        assert_eq!(walk(&mut p, edit_with(Verification::Success, 2)), StepId::Checkmarks);
    }

    #[test]
    fn synthetic_actions_do_not_move_the_flow_forward() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::Edit;
        assert_eq!(p.observe(&app(AppView::IntegrationEdit), false, 1.0, &|_| true), Outcome::Held);
        assert_eq!(p.step, StepId::Edit);
        // Going back is followed without an action.
        assert_eq!(
            p.observe(&Observation::okta(OktaPage::AppsList), false, 2.0, &|_| true),
            Outcome::Moved { from: StepId::Edit, to: StepId::FindApp }
        );
    }

    #[test]
    fn cancelling_after_verification_drops_the_unsaved_work() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::Checkmarks;
        p.consented = true;
        assert!(p.confirm_check_marks(1.0));
        // Cancel instead of Save: back to view mode without a Save click.
        assert_eq!(walk(&mut p, app(AppView::IntegrationView)), StepId::Edit);
        assert!(!p.verified && !p.consented);
    }

    #[test]
    fn done_stays_done_and_paused_holds() {
        let mut p = Progress::new(ORG, 0.0);
        p.set_paused(true, 1.0);
        assert_eq!(p.observe(&Observation::okta(OktaPage::AppsList), true, 2.0, &|_| true), Outcome::Same);
        p.set_paused(false, 3.0);
        p.step = StepId::Done;
        assert_eq!(walk(&mut p, Observation::okta(OktaPage::AppsList)), StepId::Done);
    }

    #[test]
    fn moving_back_waits_for_the_page_to_settle() {
        let mut settle = Settle::default();
        assert!(settle.ready(StepId::Edit, StepId::TestApi, 0.0));
        assert!(!settle.ready(StepId::Edit, StepId::Applications, 0.0));
        assert_eq!(settle.deadline(), Some(BACK_SETTLE_MS));
        assert!(!settle.ready(StepId::Edit, StepId::Applications, BACK_SETTLE_MS - 1.0));
        assert!(settle.ready(StepId::Edit, StepId::Applications, BACK_SETTLE_MS));
        // A different earlier step restarts the wait; the page showing the current step clears it.
        assert!(!settle.ready(StepId::Edit, StepId::FindApp, 1000.0));
        assert!(settle.ready(StepId::Edit, StepId::Edit, 1001.0));
        assert_eq!(settle.deadline(), None);
    }

    #[test]
    fn account_mismatch_allows_typing_in_progress() {
        let expected = "admin@acme.onmicrosoft.com";
        assert!(!account_mismatch(expected, "adm"));
        assert!(!account_mismatch(expected, "Admin@ACME.onmicrosoft.com"));
        assert!(account_mismatch(expected, "bob@acme.onmicrosoft.com"));
        assert!(account_mismatch(expected, "admin@acme.onmicrosoft.com.evil"));
        assert!(!account_mismatch(expected, ""));
        assert!(!account_mismatch("", "bob@acme"));
    }

    #[test]
    fn skip_moves_along_the_main_path() {
        let mut p = Progress::new(ORG, 0.0);
        p.skip(1.0);
        assert_eq!(p.step, StepId::FindApp);
        p.step = StepId::TestFailed;
        p.skip(2.0);
        assert_eq!(p.step, StepId::Checkmarks);
    }

    #[test]
    fn a_wrong_app_sends_the_admin_back_to_applications() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::FindApp;
        let slack = Observation::okta(OktaPage::App { office365: false, view: AppView::Other });
        assert_eq!(walk(&mut p, slack), StepId::Applications);
    }

    #[test]
    fn done_drops_the_expected_account() {
        let mut p = Progress::new(ORG, 0.0);
        p.expected_account = Some("admin@acme.onmicrosoft.com".into());
        p.step = StepId::Save;
        p.verified = true;
        p.save_clicked(1.0);
        assert_eq!(walk(&mut p, app(AppView::IntegrationView)), StepId::Done);
        assert_eq!(p.expected_account, None);
        assert!(p.duration_ms().is_some());
    }

    /// Every kind of page the guide can meet, the unplaceable one included.
    fn every_page() -> Vec<Observation> {
        let mut pages = vec![
            Observation::okta(OktaPage::Other),
            Observation::okta(OktaPage::AppsList),
            Observation::microsoft(MicrosoftScreen::SignIn),
            Observation::microsoft(MicrosoftScreen::Permissions),
            Observation::microsoft(MicrosoftScreen::NeedAdminApproval),
        ];
        for view in [AppView::Other, AppView::ProvisioningSettings, AppView::NoApiIntegration, AppView::IntegrationView, AppView::IntegrationEdit, AppView::Unknown] {
            pages.push(app(view));
        }
        pages
    }

    #[test]
    fn no_step_falls_back_to_a_finished_one_unless_the_page_shows_it() {
        for step in StepId::ALL {
            for page in every_page() {
                for (consented, verified) in [(false, false), (true, false), (true, true)] {
                    let mut p = Progress::new(ORG, 0.0);
                    p.step = step;
                    p.consented = consented;
                    p.verified = verified;
                    // The page shows nothing the admin would click for an earlier step.
                    let outcome = p.observe(&page, true, 1.0, &|_| false);
                    assert!(
                        !goes_back(step, p.step),
                        "{step:?} fell back to {:?} on {page:?} ({outcome:?})",
                        p.step
                    );
                    if page == app(AppView::Unknown) && step != StepId::Done {
                        assert_eq!(outcome, Outcome::Unsure, "{step:?}: an unplaceable page must leave the step as it is");
                        assert_eq!(p.step, step);
                    }
                }
            }
        }
    }

    #[test]
    fn a_page_that_shows_an_earlier_step_again_is_followed_back() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::TestApi;
        p.consented = true;
        // Reloaded: the console forgot the open Settings entry, and Integration is there to click.
        assert_eq!(
            p.observe(&app(AppView::ProvisioningSettings), false, 1.0, &|step| step == StepId::Integration),
            Outcome::Moved { from: StepId::TestApi, to: StepId::Integration }
        );
    }

    #[test]
    fn the_oauth_only_form_leads_to_save_once_consented() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::Consent;
        let back = Observation { oauth_only: true, ..app(AppView::IntegrationEdit) };
        assert_eq!(walk(&mut p, back), StepId::Save);
        assert!(p.verified && p.consented);
        p.save_clicked(2.0);
        assert_eq!(walk(&mut p, app(AppView::IntegrationView)), StepId::Done);
        // Before consent, the same form still asks to authenticate.
        let mut fresh = Progress::new(ORG, 0.0);
        fresh.step = StepId::Edit;
        assert_eq!(walk(&mut fresh, back), StepId::Reauthenticate);
    }

    #[test]
    fn every_step_expects_a_view_it_can_lead_to() {
        assert_eq!(expected_view(StepId::Integration), Some(AppView::IntegrationView));
        assert_eq!(expected_view(StepId::Edit), Some(AppView::IntegrationEdit));
        assert_eq!(expected_view(StepId::Applications), None);
    }

    #[test]
    fn a_return_with_a_code_is_consent_even_where_the_page_cannot_be_placed() {
        let mut p = Progress::new(ORG, 0.0);
        p.step = StepId::Consent;
        let popup_return = Observation { oauth: OAuthReturn::Code, ..app(AppView::Unknown) };
        assert_eq!(p.observe(&popup_return, true, 1.0, &|_| false), Outcome::Unsure);
        assert!(p.consented);
        assert_eq!(p.step, StepId::Consent);
        // The opener's form then updates in place, without the code in its own URL.
        assert_eq!(walk(&mut p, app(AppView::IntegrationEdit)), StepId::TestApi);
    }
}
