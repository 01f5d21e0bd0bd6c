use super::*;
use crate::card::Action;

const ORG: &str = "acme";

fn start_with(stored: Result<Option<Progress>, StoredError>, on_microsoft: bool, named_by_page: bool, carries_answer: bool) -> (Session, Effects) {
    let start = Start {
        org: Some(ORG.to_string()),
        named_by_page,
        stored,
        settings: Settings::default(),
        on_microsoft,
        carries_answer,
        tab_id: "tab-1".to_string(),
    };
    Session::start(start, 0.0)
}

/// An Okta page with a record at `step`.
fn at(step: StepId) -> Session {
    let mut progress = Progress::new(ORG, 0.0);
    progress.step = step;
    progress.history.push(crate::progress::StepTime { step, at: 0.0 });
    progress.consented = step.rank() > StepId::Consent.rank();
    start_with(Ok(Some(progress)), false, true, false).0
}

fn okta(page: OktaPage) -> Reading {
    Reading { observation: Observation::okta(page), test_button: false, admin_username: None }
}

fn app(view: AppView) -> Reading {
    okta(OktaPage::App { office365: true, view })
}

fn nothing_shown(_: StepId) -> bool {
    false
}

/// One whole look: follow the page, then view it with what the edge found.
fn look(s: &mut Session, reading: Reading, found: bool, now: f64) -> View {
    assert!(matches!(s.look(), Look::Read { .. }), "a guiding session reads the page");
    let (seek, _) = s.follow(reading, now, &nothing_shown);
    let label = seek.step.targets().first().map_or("", |t| t.label);
    s.view(Some(Found { label, found, instances: 0 }), now)
}

fn step(s: &Session) -> StepId {
    s.progress().unwrap().step
}

fn status_keys(view: &View) -> Vec<&'static str> {
    view.card.as_ref().unwrap().status.iter().map(|t| t.key).collect()
}

#[test]
fn an_okta_page_without_a_record_starts_at_the_first_step_and_guides() {
    let (s, fx) = start_with(Ok(None), false, true, false);
    assert_eq!(step(&s), StepId::Applications);
    assert!(fx.persist && fx.claim && fx.look);
}

#[test]
fn a_microsoft_page_guides_the_last_org_only_mid_flow() {
    let (s, fx) = start_with(Ok(None), true, false, false);
    assert!(s.progress().is_none() && !fx.persist && !fx.claim);
    let mut progress = Progress::new(ORG, 0.0);
    progress.step = StepId::Edit;
    let (s, _) = start_with(Ok(Some(progress.clone())), true, false, false);
    assert!(s.progress().is_none(), "not handed off to Microsoft yet: not this org's sign-in");
    progress.step = StepId::MicrosoftSignIn;
    let (s, fx) = start_with(Ok(Some(progress)), true, false, false);
    assert_eq!(step(&s), StepId::MicrosoftSignIn);
    assert!(!fx.claim, "Microsoft's pages leave the lease to the Okta tab");
}

#[test]
fn an_unreadable_record_is_replaced_and_the_admin_told_why() {
    let (mut s, fx) = start_with(Err(StoredError::WrongSchema(99)), false, true, false);
    assert!(fx.persist && fx.warn.is_some());
    assert_eq!(s.progress().unwrap().notice.as_deref(), Some("notice_reset_schema"));
    let view = look(&mut s, okta(OktaPage::Other), true, 10.0);
    assert_eq!(view.card.unwrap().warning, Some(Text::new("notice_reset_schema")));
}

#[test]
fn a_page_carrying_microsofts_answer_does_not_take_the_lease() {
    let (_, fx) = start_with(Ok(None), false, true, true);
    assert!(!fx.claim);
}

#[test]
fn a_target_not_found_for_ten_seconds_is_reported() {
    let mut s = at(StepId::Applications);
    let view = look(&mut s, okta(OktaPage::Other), false, 1_000.0);
    assert_eq!(view.state, GuideState::Searching);
    assert_eq!(s.wake_at(), Some(1_000.0 + NOT_FOUND_MS), "the guide looks again when the search times out");
    let view = look(&mut s, okta(OktaPage::Other), false, 1_000.0 + NOT_FOUND_MS - 1.0);
    assert_eq!(view.state, GuideState::Searching);
    let view = look(&mut s, okta(OktaPage::Other), false, 1_000.0 + NOT_FOUND_MS);
    assert_eq!(view.state, GuideState::NotFound);
    assert_eq!(status_keys(&view), ["ui_not_found", StepId::Applications.texts().look_for]);
    let view = look(&mut s, okta(OktaPage::Other), true, 1_000.0 + NOT_FOUND_MS + 1.0);
    assert_eq!(view.state, GuideState::Highlighting);
}

#[test]
fn microsoft_asking_something_unmarked_is_waiting_never_not_found() {
    let mut progress = Progress::new(ORG, 0.0);
    progress.step = StepId::MicrosoftSignIn;
    let (mut s, _) = start_with(Ok(Some(progress)), true, true, false);
    let sign_in = || Reading { observation: Observation::microsoft(flow::MicrosoftScreen::SignIn), test_button: false, admin_username: None };
    let view = look(&mut s, sign_in(), false, 100.0);
    assert_eq!(view.state, GuideState::Searching);
    let view = look(&mut s, sign_in(), false, 100.0 + NOT_FOUND_MS);
    assert_eq!(view.state, GuideState::Waiting);
    assert_eq!(status_keys(&view), ["ui_microsoft_waits"]);
}

#[test]
fn the_page_moves_the_flow_forward_only_as_the_answer_to_the_admin() {
    let mut s = at(StepId::Applications);
    // Within the fresh-load allowance, the page settling counts.
    look(&mut s, okta(OktaPage::AppsList), true, FRESH_LOAD_MS - 1.0);
    assert_eq!(step(&s), StepId::FindApp);

    let mut s = at(StepId::Applications);
    look(&mut s, okta(OktaPage::AppsList), true, FRESH_LOAD_MS + 1.0);
    assert_eq!(step(&s), StepId::Applications, "after the allowance, the page alone does not move the flow");
    s.handle(Event::Clicked { on_mark: true, on_test: false, on_save: false, on_reauthenticate: false }, 20_000.0);
    look(&mut s, okta(OktaPage::AppsList), true, 20_000.0 + ACTION_WINDOW_MS - 1.0);
    assert_eq!(step(&s), StepId::FindApp, "within the action window it does");

    let mut s = at(StepId::Applications);
    s.handle(Event::AdminActed, 20_000.0);
    look(&mut s, okta(OktaPage::AppsList), true, 20_000.0 + ACTION_WINDOW_MS);
    assert_eq!(step(&s), StepId::Applications, "the window has closed");
}

#[test]
fn a_page_script_acting_cancels_the_fresh_load_allowance() {
    let mut s = at(StepId::Applications);
    s.handle(Event::PageActed, 10.0);
    look(&mut s, okta(OktaPage::AppsList), true, 20.0);
    assert_eq!(step(&s), StepId::Applications);
}

#[test]
fn both_check_marks_are_confirmed_after_a_dwell_then_save_is_next() {
    let mut s = at(StepId::Checkmarks);
    let marks = |n| {
        let mut r = app(AppView::IntegrationEdit);
        r.observation.verification = Verification::Success;
        r.observation.check_marks = n;
        r.test_button = true;
        r
    };
    let view = look(&mut s, marks(1), true, 100.0);
    assert_eq!(view.state, GuideState::Waiting);
    assert_eq!(view.card.as_ref().unwrap().status, [Text::plain("ui_checkmarks_count", ["1".into()]), Text::new("ui_checkmark_missing_auth")],
        "with the success message shown, the authentication's mark is the one missing");
    assert!(!view.dim, "the check marks are evidence to read: not dimmed");
    let view = look(&mut s, marks(2), true, 200.0);
    assert_eq!((view.state, status_keys(&view)), (GuideState::Done, vec!["ui_checkmarks_confirmed"]));
    assert_eq!(s.wake_at(), Some(200.0 + CONFIRM_DWELL_MS));
    look(&mut s, marks(2), true, 200.0 + CONFIRM_DWELL_MS - 1.0);
    assert_eq!(step(&s), StepId::Checkmarks);
    assert!(!s.progress().unwrap().verified);
    let (_, fx) = {
        assert!(matches!(s.look(), Look::Read { .. }));
        s.follow(marks(2), 200.0 + CONFIRM_DWELL_MS, &nothing_shown)
    };
    assert_eq!(step(&s), StepId::Save);
    assert!(s.progress().unwrap().verified && fx.persist && fx.step_changed);
    let save = look(&mut s, marks(2), true, 200.0 + CONFIRM_DWELL_MS + 10.0);
    assert!(save.card.unwrap().notes.contains(&Text::with("ui_checkmarks_confirmed_at", [Arg::Clock(200.0 + CONFIRM_DWELL_MS)])),
        "Save still says what was confirmed, and when");
}

#[test]
fn one_check_mark_without_the_success_message_asks_for_the_test_again() {
    let mut s = at(StepId::Checkmarks);
    let mut r = app(AppView::IntegrationEdit);
    r.observation.check_marks = 1;
    r.test_button = true;
    let view = look(&mut s, r.clone(), true, 100.0);
    assert_eq!(status_keys(&view), ["ui_checkmarks_count", "ui_checkmark_missing_test"]);
    r.observation.check_marks = 0;
    let view = look(&mut s, r, true, 200.0);
    assert_eq!(status_keys(&view), ["ui_checkmarks_count"], "none shown: nothing to tell apart");
}

#[test]
fn skipping_a_step_whose_target_is_in_sight_is_confirmed_first() {
    let mut s = at(StepId::Edit);
    look(&mut s, app(AppView::IntegrationView), true, 0.0);
    let fx = s.handle(Event::Card(Action::Skip), 10.0);
    assert_eq!(step(&s), StepId::Edit, "not skipped yet");
    assert!(!fx.persist);
    let view = look(&mut s, app(AppView::IntegrationView), true, 20.0);
    let card = view.card.unwrap();
    assert_eq!(card.actions.iter().map(|(a, _)| *a).collect::<Vec<_>>(), [Action::SkipAnyway, Action::KeepStep]);
    s.handle(Event::Card(Action::KeepStep), 30.0);
    let view = look(&mut s, app(AppView::IntegrationView), true, 40.0);
    assert!(view.card.unwrap().actions.iter().any(|(a, _)| *a == Action::Skip), "back to the step's own card");
    s.handle(Event::Card(Action::Skip), 50.0);
    let fx = s.handle(Event::Card(Action::SkipAnyway), 60.0);
    assert_eq!(step(&s), StepId::Reauthenticate);
    assert!(fx.persist && fx.step_changed);
    // Where the guide cannot see the target, the admin may well have done it: Skip skips.
    look(&mut s, app(AppView::IntegrationView), false, 70.0);
    s.handle(Event::Card(Action::Skip), 80.0);
    assert_eq!(step(&s), StepId::MicrosoftSignIn);
}

#[test]
fn a_check_mark_gone_during_the_dwell_starts_it_again() {
    let mut s = at(StepId::Checkmarks);
    let marks = |n| {
        let mut r = app(AppView::IntegrationEdit);
        r.observation.verification = Verification::Success;
        r.observation.check_marks = n;
        r.test_button = true;
        r
    };
    look(&mut s, marks(2), true, 0.0);
    // The form forgets no mark it saw once in this visit (a success notice hides itself), so a
    // drop is seen only after the admin tests again.
    s.handle(Event::Clicked { on_mark: false, on_test: true, on_save: false, on_reauthenticate: false }, 500.0);
    look(&mut s, marks(1), true, 600.0);
    look(&mut s, marks(2), true, 700.0);
    look(&mut s, marks(2), true, CONFIRM_DWELL_MS + 100.0);
    assert_eq!(step(&s), StepId::Checkmarks, "the dwell counts from 700 ms, not from 0");
}

#[test]
fn clicking_save_at_the_check_marks_confirms_them_and_counts_the_save() {
    let mut s = at(StepId::Checkmarks);
    let mut r = app(AppView::IntegrationEdit);
    r.observation.verification = Verification::Success;
    r.observation.check_marks = 2;
    look(&mut s, r, true, 100.0);
    let fx = s.handle(Event::Clicked { on_mark: false, on_test: false, on_save: true, on_reauthenticate: false }, 200.0);
    let p = s.progress().unwrap();
    assert!(p.verified && p.save_clicked && fx.persist);
    assert_eq!(p.step, StepId::Save);
}

#[test]
fn acting_on_the_mark_then_an_unplaceable_page_waits_then_says_unsure() {
    let mut s = at(StepId::ProvisioningTab);
    s.handle(Event::Clicked { on_mark: true, on_test: false, on_save: false, on_reauthenticate: false }, 1_000.0);
    let unknown = || app(AppView::Unknown);
    let view = look(&mut s, unknown(), false, 1_100.0);
    assert_eq!(view.state, GuideState::Waiting);
    assert_eq!(s.wake_at(), Some(1_100.0 + UNSURE_AFTER_MS));
    let view = look(&mut s, unknown(), false, 1_100.0 + UNSURE_AFTER_MS);
    assert_eq!(view.state, GuideState::Unsure);
    assert_eq!(step(&s), StepId::ProvisioningTab, "never a guess");
    let fx = s.handle(Event::Card(Action::Confirm), 5_000.0);
    assert!(fx.persist && fx.step_changed);
    assert_eq!(step(&s), StepId::Integration);
}

#[test]
fn without_acting_on_the_mark_an_unplaceable_page_is_a_search() {
    let mut s = at(StepId::ProvisioningTab);
    let view = look(&mut s, app(AppView::Unknown), false, 1_000.0);
    assert_eq!(view.state, GuideState::Searching);
    // The expected view counts only after the admin clicked the mark.
    assert_eq!(s.look(), Look::Read { expected: None, tested: false });
    s.handle(Event::Clicked { on_mark: true, on_test: false, on_save: false, on_reauthenticate: false }, 1_000.0);
    assert_eq!(s.look(), Look::Read { expected: Some(AppView::ProvisioningSettings), tested: false });
}

#[test]
fn another_tab_taking_the_lease_quiets_this_one_until_the_admin_works_here() {
    let mut s = at(StepId::Edit);
    s.handle(Event::Lease(Some("tab-2".into())), 0.0);
    assert_eq!(s.look(), Look::Quiet);
    let view = s.view(None, 0.0);
    assert_eq!(view.state, GuideState::OtherTab);
    assert_eq!(view.card.unwrap().actions[0].0, Action::GuideHere);
    let fx = s.handle(Event::Focused, 1.0);
    assert!(fx.claim && fx.look);
    assert!(matches!(s.look(), Look::Read { .. }));
    s.handle(Event::Lease(Some("tab-1".into())), 2.0);
    assert!(!s.handle(Event::Focused, 3.0).claim, "already guiding: nothing to claim");
}

#[test]
fn a_page_that_guided_gives_the_lease_back_when_it_goes() {
    let mut s = at(StepId::Edit);
    assert!(s.handle(Event::Hidden, 0.0).release);
    s.handle(Event::Lease(Some("tab-2".into())), 0.0);
    assert!(!s.handle(Event::Hidden, 0.0).release, "it did not guide");
    let fx = s.handle(Event::Restored, 5.0);
    assert!(fx.claim, "back from the back/forward cache: the admin is here again");
}

#[test]
fn its_own_earlier_write_coming_back_is_ignored() {
    let mut s = at(StepId::Edit);
    let older = s.progress().cloned().unwrap();
    s.handle(Event::Card(Action::Skip), 100.0);
    assert_eq!(step(&s), StepId::Reauthenticate);
    s.handle(Event::StoredProgress(Ok(Some(older))), 101.0);
    assert_eq!(step(&s), StepId::Reauthenticate);
}

#[test]
fn a_reset_from_the_popup_starts_afresh_and_is_saved() {
    let mut s = at(StepId::TestApi);
    let fx = s.handle(Event::StoredProgress(Ok(None)), 100.0);
    assert_eq!(step(&s), StepId::Applications);
    assert!(fx.persist && fx.step_changed);
    let fx = s.handle(Event::StoredProgress(Err(StoredError::Unreadable("x".into()))), 200.0);
    assert!(fx.persist);
    assert_eq!(s.progress().unwrap().notice.as_deref(), Some("notice_reset_corrupt"));
}

#[test]
fn back_shows_an_earlier_step_without_changing_progress() {
    let mut s = at(StepId::Edit);
    let fx = s.handle(Event::Card(Action::Back), 0.0);
    assert!(!fx.persist);
    let view = look(&mut s, okta(OktaPage::Other), true, 1.0);
    assert_eq!(view.step, Some(StepId::Integration));
    assert_eq!(step(&s), StepId::Edit);
    s.handle(Event::Card(Action::Skip), 2.0);
    let view = look(&mut s, okta(OktaPage::Other), true, 3.0);
    assert_eq!(view.step, Some(StepId::Edit), "Skip while looking back returns to the current step");
}

#[test]
fn pause_is_saved_and_quiets_the_guide() {
    let mut s = at(StepId::Edit);
    let fx = s.handle(Event::Card(Action::Pause), 0.0);
    assert!(fx.persist);
    assert_eq!(s.look(), Look::Quiet);
    assert_eq!(s.view(None, 0.0).state, GuideState::Paused);
    s.handle(Event::Card(Action::Resume), 1.0);
    assert!(matches!(s.look(), Look::Read { .. }));
}

#[test]
fn the_diagnostics_box_is_a_snapshot_copied_as_shown() {
    let mut s = at(StepId::Edit);
    let fx = s.handle(Event::Card(Action::Diagnostics), 0.0);
    assert!(fx.read_diagnostics);
    s.handle(Event::DiagnosticsRead("report".into()), 0.0);
    assert_eq!(s.handle(Event::Card(Action::CopyDiagnostics), 1.0).copy.as_deref(), Some("report"));
    s.handle(Event::Copied(Err("denied".into())), 2.0);
    let view = look(&mut s, okta(OktaPage::Other), true, 3.0);
    let diagnostics = view.card.unwrap().diagnostics.unwrap();
    assert_eq!(diagnostics.status, Some(Text::plain("ui_diagnostics_copy_failed", ["denied".into()])));
    let fx = s.handle(Event::Card(Action::Diagnostics), 4.0);
    assert!(!fx.read_diagnostics, "the second click closes the box");
    assert_eq!(s.handle(Event::Card(Action::CopyDiagnostics), 5.0).copy, None);
}

#[test]
fn a_wrong_account_is_warned_and_recorded_only_when_the_admin_chose_to() {
    let mut progress = Progress::new(ORG, 0.0);
    progress.step = StepId::MicrosoftSignIn;
    progress.expected_account = Some("admin@contoso.com".into());
    let (mut s, _) = start_with(Ok(Some(progress)), true, true, false);
    s.handle(Event::Typed { account: Some("someone@fabrikam.com".into()) }, 0.0);
    let sign_in = Reading { observation: Observation::microsoft(flow::MicrosoftScreen::SignIn), test_button: false, admin_username: None };
    let view = look(&mut s, sign_in, true, 1.0);
    assert_eq!(view.card.unwrap().warning.unwrap().key, "ui_account_mismatch");
    assert_eq!(s.progress().unwrap().account_used, None, "not recorded unless the admin opted in");
}

#[test]
fn the_admin_username_of_okta_form_becomes_the_expected_account() {
    let mut s = at(StepId::Reauthenticate);
    let mut r = app(AppView::IntegrationEdit);
    r.admin_username = Some("admin@contoso.com".into());
    assert!(matches!(s.look(), Look::Read { .. }));
    let (_, fx) = s.follow(r, 1.0, &nothing_shown);
    assert!(fx.persist);
    assert_eq!(s.progress().unwrap().expected_account.as_deref(), Some("admin@contoso.com"));
}

#[test]
fn a_failed_save_is_the_first_warning() {
    let mut s = at(StepId::Edit);
    s.handle(Event::SaveFailed("quota".into()), 0.0);
    let view = look(&mut s, okta(OktaPage::Other), true, 1.0);
    assert_eq!(view.card.unwrap().warning, Some(Text::plain("notice_storage_failed", ["quota".into()])));
}

#[test]
fn a_microsoft_step_seen_from_okta_waits_for_the_pop_up() {
    let mut s = at(StepId::MicrosoftSignIn);
    assert!(matches!(s.look(), Look::Read { .. }));
    let (seek, _) = s.follow(app(AppView::IntegrationEdit), 1.0, &nothing_shown);
    assert_eq!(seek.what, Seeking::Nothing { label: "" });
    let view = s.view(Some(Found { label: "", found: false, instances: 0 }), 1.0);
    assert_eq!((view.state, status_keys(&view)), (GuideState::Waiting, vec!["ui_at_microsoft"]));
}

#[test]
fn a_closed_finished_guide_hides_its_card() {
    let mut s = at(StepId::Done);
    s.handle(Event::Card(Action::Close), 0.0);
    assert_eq!(s.look(), Look::Quiet);
    let view = s.view(None, 0.0);
    assert_eq!((view.step, view.state, view.card), (Some(StepId::Done), GuideState::Idle, None));
}

#[test]
fn every_message_the_session_names_exists() {
    // The keys the views of these scenarios name; the messages test reads them from _locales.
    let mut s = at(StepId::Applications);
    let mut keys = Vec::new();
    for t in [0.0, NOT_FOUND_MS] {
        keys.extend(look(&mut s, okta(OktaPage::Other), false, t).card.unwrap().keys());
    }
    let en = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/extension/_locales/en/messages.json")).unwrap();
    for key in keys {
        assert!(en.contains(&format!("\"{key}\"")), "{key} missing from en");
    }
}

/// Follows `reading` at each time, with `shown` telling which steps' targets are on the page.
fn follow_at(s: &mut Session, reading: &Reading, times: &[f64], shown: &dyn Fn(StepId) -> bool) {
    for &t in times {
        assert!(matches!(s.look(), Look::Read { .. }));
        s.follow(reading.clone(), t, shown);
    }
}

#[test]
fn the_okta_page_behind_the_microsoft_pop_up_does_not_pull_the_step_back() {
    // The opener keeps showing the edit form with Re-authenticate while the admin signs in.
    let reauthenticate_shown = |step| step == StepId::Reauthenticate;
    let form = app(AppView::IntegrationEdit);
    let list = okta(OktaPage::AppsList);
    let find_app_shown = |step| step == StepId::FindApp;
    let click = |on_reauthenticate| Event::Clicked { on_mark: false, on_test: false, on_save: false, on_reauthenticate };
    let mut s = at(StepId::Reauthenticate);
    let mut stored = s.progress().cloned().unwrap();
    stored.step = StepId::MicrosoftSignIn;
    stored.updated_at = 10.0;
    s.handle(Event::StoredProgress(Ok(Some(stored))), 10.0);
    follow_at(&mut s, &form, &[11.0, 1_000.0, 2_000.0, 20_000.0], &reauthenticate_shown);
    assert_eq!(step(&s), StepId::MicrosoftSignIn);
    let view = s.view(Some(Found { label: "", found: false, instances: 0 }), 20_000.0);
    assert_eq!((view.state, status_keys(&view)), (GuideState::Waiting, vec!["ui_at_microsoft"]));
    follow_at(&mut s, &list, &[20_100.0, 21_100.0], &find_app_shown);
    assert_eq!(step(&s), StepId::MicrosoftSignIn, "another page, but not the admin's doing here");
    // The admin closed the pop-up and clicks Re-authenticate again: the same sign-in anew.
    s.handle(click(true), 22_000.0);
    follow_at(&mut s, &form, &[22_100.0, 23_100.0], &reauthenticate_shown);
    assert_eq!(step(&s), StepId::MicrosoftSignIn);
    // The admin gives up and goes to the applications list: that is a step back.
    s.handle(click(false), 25_000.0);
    follow_at(&mut s, &list, &[25_100.0, 26_100.0], &find_app_shown);
    assert_eq!(step(&s), StepId::FindApp);
}

#[test]
fn an_okta_page_loaded_during_microsofts_steps_is_followed_back() {
    // Back from Microsoft's page in the same tab: this page loaded after the step began.
    let mut s = at(StepId::MicrosoftSignIn);
    follow_at(&mut s, &app(AppView::IntegrationEdit), &[1.0, 1_000.0], &|step| step == StepId::Reauthenticate);
    assert_eq!(step(&s), StepId::Reauthenticate);
}

#[test]
fn a_step_adopted_from_another_tab_drops_the_step_back_that_was_pending() {
    let applications_shown = |step| step == StepId::Applications;
    let elsewhere = okta(OktaPage::Other);
    let mut s = at(StepId::Edit);
    follow_at(&mut s, &elsewhere, &[0.0], &applications_shown);
    let mut stored = s.progress().cloned().unwrap();
    stored.step = StepId::TestApi;
    stored.updated_at = 500.0;
    assert!(s.handle(Event::StoredProgress(Ok(Some(stored))), 500.0).step_changed);
    // Without the reset, the move pending since 0 would be ready at once.
    follow_at(&mut s, &elsewhere, &[1_000.0], &applications_shown);
    assert_eq!(step(&s), StepId::TestApi);
    follow_at(&mut s, &elsewhere, &[1_950.0], &applications_shown);
    assert_eq!(step(&s), StepId::Applications);
}

#[test]
fn the_pop_ups_opener_takes_consent_only_once_accept_was_clicked() {
    let form = Reading { test_button: true, ..app(AppView::IntegrationEdit) };
    let reauthenticate_shown = |step| step == StepId::Reauthenticate;
    // The opener, unchanged since the pop-up moved the flow to the permissions page.
    let mut opener = at(StepId::MicrosoftSignIn);
    follow_at(&mut opener, &form, &[10_000.0], &reauthenticate_shown);
    let mut stored = opener.progress().cloned().unwrap();
    stored.step = StepId::Consent;
    stored.updated_at = 11_000.0;
    opener.handle(Event::StoredProgress(Ok(Some(stored.clone()))), 11_000.0);
    follow_at(&mut opener, &form, &[11_100.0, 12_100.0, 30_000.0], &reauthenticate_shown);
    assert_eq!(step(&opener), StepId::Consent, "Accept is not clicked yet: the opener's own page says nothing");
    // The pop-up: the admin clicks the marked Accept, which is saved at once.
    let (mut popup, _) = start_with(Ok(Some(stored)), true, false, false);
    let fx = popup.handle(Event::Clicked { on_mark: true, on_test: false, on_save: false, on_reauthenticate: false }, 31_000.0);
    assert!(fx.persist);
    let accepted = popup.progress().cloned().unwrap();
    assert!(accepted.accepted && !accepted.consented);
    // The return page closed before its guide ran: the opener takes the consent from the record.
    opener.handle(Event::StoredProgress(Ok(Some(accepted))), 31_100.0);
    follow_at(&mut opener, &form, &[31_200.0], &reauthenticate_shown);
    assert_eq!(step(&opener), StepId::TestApi);
    assert!(opener.progress().unwrap().consented && !opener.progress().unwrap().accepted);
}

#[test]
fn back_in_okta_in_the_same_tab_after_the_permissions_page_is_consent() {
    // A fresh load after the step began: this tab came back from Microsoft itself.
    let mut s = at(StepId::Consent);
    follow_at(&mut s, &app(AppView::IntegrationEdit), &[1.0], &|step| step == StepId::Reauthenticate);
    assert_eq!(step(&s), StepId::TestApi);
}
