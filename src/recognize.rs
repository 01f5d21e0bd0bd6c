//! Which screen a page shows, decided from several independent signals that the DOM edge reads
//! off the page into plain data ([`OktaFacts`], [`MicrosoftFacts`]). Pure.
//!
//! No single signal decides a verdict and none is a gate: each screen collects evidence from
//! language-independent signals first (the URL route and hash, Microsoft's page id and error
//! code, element ids and structure), then from words. A screen is named only when its evidence
//! reaches a threshold; otherwise the verdict is "can't tell" ([`AppView::Unknown`]), and the
//! flow stays where it is rather than guess. The screen the admin's last action should lead to
//! needs a little less evidence than the others: that is what the admin expects to see.
//!
//! To add a signal: read it in `browser/page.rs` into a field here, give it a weight in the
//! screen's score below, and add a row to the tests that shows the page it rescues.

use crate::flow::{AppView, MicrosoftScreen, OAuthReturn, Verification};
use crate::locator::contains;
use crate::redact;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// What an Okta app page shows, as the DOM edge reads it. Booleans are "visible to the admin".
/// Serialized for field diagnostics as it is, but for what the page wrote: the hash's names
/// without values, the messages' signals without their words.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct OktaFacts {
    /// `location.hash` without `#`, lower-cased (`tab-user-management/api-credentials`).
    #[serde(serialize_with = "redact::serialize_hash_route")]
    pub hash: String,
    /// Whether the app page shows its Provisioning tab as the selected one: `Some(false)` when
    /// another tab is shown selected, `None` when the page does not say.
    pub provisioning_selected: Option<bool>,
    /// The Provisioning tab itself can be seen (a place to go back to).
    pub provisioning_tab: bool,
    /// The Provisioning Settings list (To App, To Okta, Integration).
    pub settings_list: bool,
    /// The Integration entry of that list is shown as the selected one.
    pub integration_selected: bool,
    /// "Configure API Integration" / "Provisioning is not enabled": never set up.
    pub configure_api: bool,
    /// An "Edit" control.
    pub edit_control: bool,
    /// The "Enable API integration" setting, in any element.
    pub enable_api_text: bool,
    /// A form styled as read-only (Okta's forms say `o-form-read-mode`).
    pub read_mode_form: bool,
    pub test_button: bool,
    pub reauth_button: bool,
    pub save_button: bool,
    pub password_field: bool,
    /// Green check marks in the Integration form (and its notifications).
    pub check_marks: u32,
    /// Outcome messages shown (notifications, callouts, alerts).
    pub messages: Vec<Message>,
}

/// A notification, callout or alert, as the DOM edge reads it: never a field's value. Serialized
/// (for field diagnostics) as what the recognizer weighs, never its words: see `Serialize` below.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// Explicit ARIA role (`alert`, `status`) or empty.
    pub role: String,
    /// Class attribute of the message and its wrapper, lower-cased.
    pub class: String,
    /// An icon inside it says success (a green check) or error.
    pub icon: Tone,
    /// Normalised text.
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    #[default]
    Neutral,
    Success,
    Failure,
}

/// A message as diagnostics copy it: its role and classes, its icon, the tone and AADSTS code
/// the recognizer reads in it and how long its text is; the text itself stays on the page.
impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_struct("Message", 6)?;
        m.serialize_field("role", &redact::clean_text(&self.role))?;
        m.serialize_field("class", &redact::clean_text(&self.class))?;
        m.serialize_field("icon", &self.icon)?;
        m.serialize_field("tone", &tone(self))?;
        m.serialize_field("code", &aadsts_code(&self.text))?;
        m.serialize_field("text_chars", &(self.text.chars().count() as u32))?;
        m.end()
    }
}

/// Words of success and failure, a signal among others (the consoles are shown in English;
/// Microsoft's and our own texts in other languages too).
const SUCCESS_WORDS: &[&str] = &["verified successfully", "is geverifieerd", "erfolgreich", "succès", "success", "geslaagd", "gelukt"];
const VERIFY_WORDS: &[&str] = &["verif", "valid", "test"];
const FAILURE_WORDS: &[&str] = &[
    "could not", "couldn't", "failed", "failure", "error", "invalid", "incorrect", "expired", "denied", "unable",
    "kon niet", "mislukt", "fout", "ongeldig", "verlopen", "fehler", "échec", "erreur", "impossible",
];
const SUCCESS_CLASSES: &[&str] = &["success", "confirm", "positive", "valid", "-ok", "complete"];
const FAILURE_CLASSES: &[&str] = &["error", "danger", "fail", "critical", "negative", "invalid", "warning", "alert"];
/// Okta's own report that the Microsoft authentication (not the credentials test) failed.
const AUTH_FAILURE_WORDS: &[&str] = &[
    "access_denied", "consent_required", "declined", "authentication with microsoft", "authenticate with microsoft",
    "verificatie bij microsoft", "toestemming",
];

/// The AADSTS error code in a text ("AADSTS50126: …").
pub fn aadsts_code(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("aadsts")?;
    let digits: String = lower[at + 6..].chars().take_while(char::is_ascii_digit).take(6).collect();
    digits.parse().ok()
}

/// Codes that mean the consent itself was refused or impossible (not a wrong password).
fn is_auth_code(code: u32) -> bool {
    matches!(code, 65004 | 90094 | 65001 | 50020)
}

/// Which way a message leans, from its role, styling, icon, AADSTS code and words.
pub fn tone(message: &Message) -> Tone {
    let any = |list: &[&str], text: &str| list.iter().any(|w| contains(text, w));
    let mut success = 0;
    let mut failure = 0;
    if message.role == "alert" {
        failure += 1;
    }
    if any(SUCCESS_CLASSES, &message.class) {
        success += 2;
    }
    if any(FAILURE_CLASSES, &message.class) {
        failure += 2;
    }
    match message.icon {
        Tone::Success => success += 1,
        Tone::Failure => failure += 1,
        Tone::Neutral => {}
    }
    if aadsts_code(&message.text).is_some() {
        failure += 3;
    }
    if any(FAILURE_WORDS, &message.text) {
        failure += 2;
    } else if any(SUCCESS_WORDS, &message.text) {
        success += 2;
    }
    if failure >= 2 && failure > success {
        Tone::Failure
    } else if success >= 2 && success > failure {
        Tone::Success
    } else {
        Tone::Neutral
    }
}

/// What the Integration form's messages say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub verification: Verification,
    /// Okta reports that the Microsoft authentication failed (consent declined or refused).
    pub auth_failed: bool,
    pub code: Option<u32>,
}

/// Reads the messages: a success counts as the credentials test's when it speaks of verifying
/// or follows the admin's click on Test API Credentials (`tested`); "Changes saved" or
/// "Authenticated" before any test does not.
pub fn outcome(messages: &[Message], tested: bool) -> Outcome {
    let mut out = Outcome::default();
    for message in messages {
        let code = aadsts_code(&message.text);
        match tone(message) {
            Tone::Failure => {
                out.code = out.code.or(code);
                let auth = code.is_some_and(is_auth_code)
                    || (!tested && AUTH_FAILURE_WORDS.iter().any(|w| contains(&message.text, w)));
                if auth {
                    out.auth_failed = true;
                } else {
                    out.verification = Verification::Failure;
                }
            }
            Tone::Success if out.verification == Verification::None => {
                let about_verifying = VERIFY_WORDS.iter().any(|w| contains(&message.text, w));
                if about_verifying || tested {
                    out.verification = Verification::Success;
                }
            }
            _ => {}
        }
    }
    out
}

fn hash_route(hash: &str) -> (&str, &str) {
    let hash = hash.trim_start_matches('#').trim_start_matches('/');
    hash.split_once('/').unwrap_or((hash, ""))
}

/// The app page's tab named by the hash: `Some(true)` for Provisioning (Okta's real
/// `#tab-user-management` and the older `#tab-provisioning`), `Some(false)` for another tab.
pub fn hash_names_provisioning(hash: &str) -> Option<bool> {
    let (tab, _) = hash_route(hash);
    if !tab.starts_with("tab-") {
        return None;
    }
    Some(matches!(tab, "tab-user-management" | "tab-provisioning"))
}

/// The hash names the Integration settings (`#tab-user-management/api-credentials`).
pub fn hash_names_integration(hash: &str) -> bool {
    let (tab, sub) = hash_route(hash);
    hash_names_provisioning(tab) == Some(true) && (contains(sub, "api-credentials") || contains(sub, "integration"))
}

/// Edit mode: the controls only the editable Integration form has. The OAuth-only form has the
/// authenticate button and Save, but no credentials test.
fn edit_score(f: &OktaFacts) -> u32 {
    3 * u32::from(f.test_button) + 3 * u32::from(f.reauth_button) + u32::from(f.save_button) + u32::from(f.password_field)
}

/// The read-only Integration form.
fn view_score(f: &OktaFacts) -> u32 {
    2 * u32::from(f.edit_control)
        + 2 * u32::from(f.enable_api_text)
        + 2 * u32::from(hash_names_integration(&f.hash))
        + u32::from(f.integration_selected)
        + u32::from(f.read_mode_form)
        + u32::from(f.check_marks > 0 && (f.enable_api_text || f.edit_control))
}

fn provisioning_selected(f: &OktaFacts) -> Option<bool> {
    f.provisioning_selected.or_else(|| hash_names_provisioning(&f.hash))
}

/// Which view an Office 365 app page shows; [`AppView::Unknown`] when the evidence is too thin.
/// `expected` is the view the admin's last step leads to: it needs one point less.
pub fn app_view(f: &OktaFacts, expected: Option<AppView>) -> AppView {
    let bonus = |view: AppView| u32::from(expected == Some(view));
    let selected = provisioning_selected(f);
    if edit_score(f) + bonus(AppView::IntegrationEdit) >= 4 {
        return AppView::IntegrationEdit;
    }
    if edit_score(f) < 3 && view_score(f) + bonus(AppView::IntegrationView) >= 4 && (f.edit_control || f.enable_api_text) {
        return AppView::IntegrationView;
    }
    if f.configure_api && selected != Some(false) {
        return AppView::NoApiIntegration;
    }
    let settings = 2 * u32::from(f.settings_list) + u32::from(selected == Some(true));
    if settings + bonus(AppView::ProvisioningSettings) >= 2 {
        return AppView::ProvisioningSettings;
    }
    // Another tab: the page says so, or nothing of Provisioning shows while its tab does.
    let nothing_of_provisioning = !f.settings_list && edit_score(f) == 0 && view_score(f) == 0 && !f.configure_api;
    let other = 3 * u32::from(selected == Some(false)) + 2 * u32::from(nothing_of_provisioning && f.provisioning_tab && selected.is_none());
    if other >= 2 {
        return AppView::Other;
    }
    AppView::Unknown
}

/// What a Microsoft sign-in page shows, as the DOM edge reads it (and field diagnostics copy it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MicrosoftFacts {
    /// `$Config.pgid`: the page's id, the same in every language.
    #[serde(serialize_with = "redact::serialize_clean")]
    pub pgid: String,
    /// `$Config.iErrorCode`, or the AADSTS code in a visible error.
    pub error_code: Option<u32>,
    pub permissions_heading: bool,
    pub need_admin_text: bool,
    /// A visible field or button the admin can use to sign in (account, password, code, Next).
    pub sign_in_control: bool,
    /// Number matching, a method picker or "More information required": Microsoft's own prompt.
    pub prompt_without_field: bool,
}

/// What the page id and error code say about the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MicrosoftVerdict {
    pub screen: MicrosoftScreen,
    pub code: Option<u32>,
    /// Microsoft asks something the guide cannot point at (MFA approval, number matching): the
    /// card waits instead of looking for a target.
    pub waiting: bool,
}

/// Reads `$Config`'s `"pgid"` and `"iErrorCode"` from the text of Microsoft's inline script.
pub fn parse_ms_config(script: &str) -> (String, Option<u32>) {
    let value_after = |key: &str| -> Option<&str> {
        let at = script.find(key)? + key.len();
        let rest = script[at..].trim_start_matches(|c: char| c == '"' || c == ':' || c.is_whitespace());
        let end = rest.find(|c: char| c == '"' || c == ',' || c == '}').unwrap_or(rest.len());
        Some(&rest[..end])
    };
    let pgid = value_after("\"pgid\"").unwrap_or_default().to_string();
    let code = value_after("\"iErrorCode\"").and_then(|v| v.trim().parse().ok()).filter(|&c| c != 0);
    (pgid, code)
}

pub fn microsoft_screen(f: &MicrosoftFacts) -> MicrosoftVerdict {
    let pgid = f.pgid.to_ascii_lowercase();
    let code = f.error_code;
    let wrong_account = code.is_some_and(|c| matches!(c, 90094 | 65001 | 50020));
    let screen = if f.need_admin_text || wrong_account {
        MicrosoftScreen::NeedAdminApproval
    } else if f.permissions_heading || (contains(&pgid, "consent") && !f.sign_in_control) {
        MicrosoftScreen::Permissions
    } else {
        MicrosoftScreen::SignIn
    };
    let mfa_page = ["tfa", "proofup", "authenticator", "remotengc", "mfa"].iter().any(|p| contains(&pgid, p));
    let waiting = screen == MicrosoftScreen::SignIn && (f.prompt_without_field || (mfa_page && !f.sign_in_control));
    MicrosoftVerdict { screen, code, waiting }
}

/// What came back from Microsoft in Okta's URL: `code`, `admin_consent=True`, or an error.
pub fn oauth_return(has: impl Fn(&str) -> bool, get: impl Fn(&str) -> Option<String>) -> (OAuthReturn, Option<u32>) {
    if has("error") || has("error_description") {
        let code = get("error_description").as_deref().and_then(aadsts_code);
        return (OAuthReturn::Error, code);
    }
    let consent = get("admin_consent").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if has("code") || consent {
        return (OAuthReturn::Code, None);
    }
    (OAuthReturn::None, None)
}

/// What to tell the admin about an AADSTS code: the message key of the advice.
pub fn advice_for(code: u32) -> Option<&'static str> {
    Some(match code {
        50126 => "advice_wrong_password",
        50076 | 50079 => "advice_mfa_required",
        50020 => "advice_other_tenant",
        65004 => "advice_consent_declined",
        90094 | 65001 => "advice_admin_approval",
        50055 => "advice_password_expired",
        _ => return None,
    })
}

/// How long an edit form must show no credentials test before the guide takes it for Okta's
/// OAuth-only form (and not a form still painting its buttons).
pub const OAUTH_ONLY_MS: f64 = 2_000.0;

/// What the Integration form showed during one visit: Okta's success notification hides itself
/// after 3 s, so a success once seen still counts until the admin tests again or leaves.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FormVisit {
    /// The admin clicked Test API Credentials in this visit.
    pub tested: bool,
    pub success_seen: bool,
    /// Most check marks seen together since the success.
    pub peak_marks: u32,
    /// When the edit form was first seen in this visit.
    pub entered_at: Option<f64>,
    /// A credentials test button was seen in this visit.
    pub test_seen: bool,
}

/// What counts of one look, once folded into the visit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Remembered {
    pub verification: Verification,
    pub check_marks: u32,
    pub oauth_only: bool,
    /// When to look again to settle the OAuth-only question.
    pub wake_at: Option<f64>,
}

impl FormVisit {
    /// A new credentials test: what an earlier one showed no longer counts.
    pub fn test_clicked(&mut self) {
        *self = FormVisit { tested: true, test_seen: true, entered_at: self.entered_at, ..FormVisit::default() };
    }

    /// Folds this look into the visit and returns what counts: the verification and check marks
    /// remembered when the page no longer shows them.
    pub fn remember(&mut self, view: AppView, verification: Verification, marks: u32, has_test: bool, now: f64) -> Remembered {
        let mut out = Remembered { verification, check_marks: marks, oauth_only: false, wake_at: None };
        if view != AppView::IntegrationEdit {
            if view != AppView::Unknown {
                *self = FormVisit::default();
            }
            return out;
        }
        let entered = *self.entered_at.get_or_insert(now);
        self.test_seen |= has_test;
        if !self.test_seen {
            out.oauth_only = now - entered >= OAUTH_ONLY_MS;
            out.wake_at = (!out.oauth_only).then_some(entered + OAUTH_ONLY_MS);
        }
        match verification {
            Verification::Failure => {
                self.success_seen = false;
                self.peak_marks = 0;
            }
            Verification::Success => {
                self.success_seen = true;
                self.peak_marks = self.peak_marks.max(marks);
                out.check_marks = self.peak_marks;
            }
            Verification::None if self.success_seen => {
                out.verification = Verification::Success;
                out.check_marks = self.peak_marks.max(marks);
            }
            Verification::None => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(role: &str, class: &str, icon: Tone, text: &str) -> Message {
        Message { role: role.into(), class: class.into(), icon, text: crate::locator::normalize(text) }
    }

    #[test]
    fn aadsts_codes_are_read_from_any_text() {
        assert_eq!(aadsts_code("received error: 400 AADSTS50126: Error validating"), Some(50126));
        assert_eq!(aadsts_code("AADSTS65004: User declined"), Some(65004));
        assert_eq!(aadsts_code("(aadsts50055)"), Some(50055));
        assert_eq!(aadsts_code("no code here"), None);
        assert_eq!(aadsts_code("AADSTS: none"), None);
    }

    #[test]
    fn a_message_is_judged_by_role_styling_icon_code_and_words() {
        // Words alone, styling alone, a code alone: each is enough.
        assert_eq!(tone(&message("", "", Tone::Neutral, "Microsoft Office 365 was verified successfully!")), Tone::Success);
        assert_eq!(tone(&message("", "infobox infobox-confirm infobox-confirm-fixed", Tone::Neutral, "Gelukt")), Tone::Success);
        assert_eq!(tone(&message("", "", Tone::Neutral, "Password has expired (AADSTS50055)")), Tone::Failure);
        assert_eq!(tone(&message("alert", "callout", Tone::Failure, "Wachtwoord verlopen")), Tone::Failure);
        // A wordless failure: role and red icon.
        assert_eq!(tone(&message("alert", "box", Tone::Failure, "Das Kennwort ist abgelaufen")), Tone::Failure);
        // An info note is neither.
        assert_eq!(tone(&message("status", "infobox infobox-info", Tone::Neutral, "Changes saved")), Tone::Neutral);
        assert_eq!(tone(&message("status", "o-form-verifying", Tone::Neutral, "Verifying…")), Tone::Neutral);
    }

    #[test]
    fn outcomes_tell_a_test_failure_from_a_refused_consent() {
        let failed = [message("alert", "infobox-error", Tone::Failure, "Could not validate your Office 365 credentials, received error: 400 AADSTS50126: Error validating credentials")];
        let out = outcome(&failed, true);
        assert_eq!((out.verification, out.auth_failed, out.code), (Verification::Failure, false, Some(50126)));
        let declined = [message("alert", "infobox-error", Tone::Failure, "Authentication with Microsoft Office 365 failed: access_denied — AADSTS65004: User declined")];
        let out = outcome(&declined, false);
        assert!(out.auth_failed && out.verification == Verification::None);
        // A success before any test is not the test's, unless it speaks of verifying.
        let saved = [message("", "infobox-success", Tone::Success, "Changes saved")];
        assert_eq!(outcome(&saved, false).verification, Verification::None);
        assert_eq!(outcome(&saved, true).verification, Verification::Success);
        let verified = [message("status", "", Tone::Success, "Microsoft Office 365 is geverifieerd!")];
        assert_eq!(outcome(&verified, false).verification, Verification::Success);
    }

    #[test]
    fn hash_routes_name_the_tab() {
        assert_eq!(hash_names_provisioning("tab-user-management/api-credentials"), Some(true));
        assert_eq!(hash_names_provisioning("#tab-provisioning"), Some(true));
        assert_eq!(hash_names_provisioning("tab-general"), Some(false));
        assert_eq!(hash_names_provisioning(""), None);
        assert!(hash_names_integration("tab-user-management/api-credentials"));
        assert!(!hash_names_integration("tab-user-management/create-n-update"));
        assert!(!hash_names_integration("tab-general/api-credentials"));
    }

    fn view(f: OktaFacts) -> AppView {
        app_view(&f, None)
    }

    #[test]
    fn the_edit_form_is_known_by_its_controls_with_or_without_a_credentials_test() {
        let full = OktaFacts { test_button: true, reauth_button: true, save_button: true, password_field: true, ..Default::default() };
        assert_eq!(view(full), AppView::IntegrationEdit);
        let oauth_only = OktaFacts { reauth_button: true, save_button: true, ..Default::default() };
        assert_eq!(view(oauth_only), AppView::IntegrationEdit);
        // One control alone is not enough, unless the admin just clicked Edit.
        let lone = OktaFacts { reauth_button: true, ..Default::default() };
        assert_eq!(view(lone.clone()), AppView::Unknown);
        assert_eq!(app_view(&lone, Some(AppView::IntegrationEdit)), AppView::IntegrationEdit);
    }

    #[test]
    fn the_read_only_form_is_known_without_any_one_signal() {
        let all = OktaFacts { edit_control: true, enable_api_text: true, hash: "tab-user-management/api-credentials".into(), settings_list: true, ..Default::default() };
        assert_eq!(view(all.clone()), AppView::IntegrationView);
        // Without the words (another language, another element), the route and Edit do it.
        assert_eq!(view(OktaFacts { enable_api_text: false, ..all.clone() }), AppView::IntegrationView);
        // Without the route, the words and Edit do it.
        assert_eq!(view(OktaFacts { hash: String::new(), ..all.clone() }), AppView::IntegrationView);
        // Without the Edit control found, the words and the route still say where the admin is.
        assert_eq!(view(OktaFacts { edit_control: false, ..all.clone() }), AppView::IntegrationView);
        // An Edit control alone (To App has one too) is the settings page, not the form...
        let to_app = OktaFacts { edit_control: true, settings_list: true, ..Default::default() };
        assert_eq!(view(to_app.clone()), AppView::ProvisioningSettings);
        // ...unless the Integration entry is shown selected after the admin clicked it, or the
        // form is styled read-only.
        let read_only = OktaFacts { read_mode_form: true, ..to_app.clone() };
        assert_eq!(app_view(&read_only, Some(AppView::IntegrationView)), AppView::IntegrationView);
        let selected = OktaFacts { integration_selected: true, ..to_app };
        assert_eq!(app_view(&selected, Some(AppView::IntegrationView)), AppView::IntegrationView);
    }

    #[test]
    fn another_tab_needs_the_page_to_say_so() {
        let general = OktaFacts { provisioning_tab: true, provisioning_selected: Some(false), ..Default::default() };
        assert_eq!(view(general), AppView::Other);
        assert_eq!(view(OktaFacts { hash: "tab-general".into(), ..Default::default() }), AppView::Other);
        // Only the tab strip, nothing selected, nothing of Provisioning: the first app page.
        assert_eq!(view(OktaFacts { provisioning_tab: true, ..Default::default() }), AppView::Other);
        // A page still painting (nothing at all) is not "another tab": can't tell.
        assert_eq!(view(OktaFacts::default()), AppView::Unknown);
        // Provisioning selected but its content not yet recognisable: can't tell either.
        assert_eq!(view(OktaFacts { provisioning_tab: true, provisioning_selected: Some(true), ..Default::default() }), AppView::Unknown);
        assert_eq!(view(OktaFacts { hash: "tab-user-management".into(), settings_list: true, ..Default::default() }), AppView::ProvisioningSettings);
        assert_eq!(view(OktaFacts { configure_api: true, ..Default::default() }), AppView::NoApiIntegration);
    }

    #[test]
    fn microsoft_screens_by_page_id_and_error_code_first() {
        let consent = MicrosoftFacts { pgid: "ConvergedConsent".into(), ..Default::default() };
        assert_eq!(microsoft_screen(&consent).screen, MicrosoftScreen::Permissions);
        let words = MicrosoftFacts { permissions_heading: true, ..Default::default() };
        assert_eq!(microsoft_screen(&words).screen, MicrosoftScreen::Permissions);
        for code in [90094, 65001, 50020] {
            let error = MicrosoftFacts { pgid: "ConvergedError".into(), error_code: Some(code), ..Default::default() };
            assert_eq!(microsoft_screen(&error).screen, MicrosoftScreen::NeedAdminApproval, "{code}");
        }
        let wrong_password = MicrosoftFacts { pgid: "ConvergedSignIn".into(), error_code: Some(50126), sign_in_control: true, ..Default::default() };
        let verdict = microsoft_screen(&wrong_password);
        assert_eq!((verdict.screen, verdict.code, verdict.waiting), (MicrosoftScreen::SignIn, Some(50126), false));
        let number_match = MicrosoftFacts { pgid: "ConvergedTFA".into(), prompt_without_field: true, ..Default::default() };
        assert!(microsoft_screen(&number_match).waiting);
        let approve = MicrosoftFacts { pgid: "ConvergedTFA".into(), ..Default::default() };
        assert!(microsoft_screen(&approve).waiting);
        let code_field = MicrosoftFacts { pgid: "ConvergedTFA".into(), sign_in_control: true, ..Default::default() };
        assert!(!microsoft_screen(&code_field).waiting);
    }

    #[test]
    fn ms_config_is_read_from_the_script_text() {
        let script = r#"//<![CDATA[
$Config={"fShowPersistentCookiesWarning":false,"pgid":"ConvergedError","iErrorCode":90094,"sErrorCode":"90094"};
//]]>"#;
        assert_eq!(parse_ms_config(script), ("ConvergedError".to_string(), Some(90094)));
        assert_eq!(parse_ms_config(r#"$Config={"pgid": "ConvergedSignIn","iErrorCode":0}"#), ("ConvergedSignIn".to_string(), None));
        assert_eq!(parse_ms_config("var x = 1;"), (String::new(), None));
    }

    #[test]
    fn returns_count_with_a_code_admin_consent_or_an_error() {
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            oauth_return(|k| pairs.iter().any(|(n, _)| *n == k), |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
        };
        assert_eq!(query(&[("code", "0.A"), ("state", "s")]).0, OAuthReturn::Code);
        assert_eq!(query(&[("admin_consent", "True"), ("tenant", "t")]).0, OAuthReturn::Code);
        assert_eq!(query(&[("error", "access_denied"), ("error_description", "AADSTS65004: User declined")]), (OAuthReturn::Error, Some(65004)));
        assert_eq!(query(&[("error_description", "AADSTS90094: Admin consent")]), (OAuthReturn::Error, Some(90094)));
        assert_eq!(query(&[("state", "s")]).0, OAuthReturn::None);
    }

    #[test]
    fn every_named_code_has_advice() {
        for (code, key) in [
            (50126, "advice_wrong_password"),
            (50076, "advice_mfa_required"),
            (50079, "advice_mfa_required"),
            (50020, "advice_other_tenant"),
            (65004, "advice_consent_declined"),
            (90094, "advice_admin_approval"),
            (65001, "advice_admin_approval"),
        ] {
            assert_eq!(advice_for(code), Some(key), "{code}");
        }
        assert_eq!(advice_for(12345), None);
    }

    #[test]
    fn a_success_seen_once_counts_for_the_rest_of_the_visit() {
        let edit = AppView::IntegrationEdit;
        let mut visit = FormVisit::default();
        let look = |visit: &mut FormVisit, view, verification, marks| {
            let r = visit.remember(view, verification, marks, true, 0.0);
            (r.verification, r.check_marks)
        };
        visit.test_clicked();
        assert_eq!(look(&mut visit, edit, Verification::Success, 2), (Verification::Success, 2));
        // The notification (and the check inside it) hid itself.
        assert_eq!(look(&mut visit, edit, Verification::None, 1), (Verification::Success, 2));
        // A page between two paints changes nothing.
        assert_eq!(look(&mut visit, AppView::Unknown, Verification::None, 0), (Verification::None, 0));
        assert_eq!(look(&mut visit, edit, Verification::None, 1), (Verification::Success, 2));
        // A new test starts over; a failure forgets the success; leaving the form ends the visit.
        visit.test_clicked();
        assert_eq!(look(&mut visit, edit, Verification::None, 1), (Verification::None, 1));
        look(&mut visit, edit, Verification::Success, 2);
        assert_eq!(look(&mut visit, edit, Verification::Failure, 1), (Verification::Failure, 1));
        assert_eq!(look(&mut visit, edit, Verification::None, 1), (Verification::None, 1));
        look(&mut visit, edit, Verification::Success, 2);
        look(&mut visit, AppView::IntegrationView, Verification::None, 1);
        assert_eq!(look(&mut visit, edit, Verification::None, 1), (Verification::None, 1));
    }

    #[test]
    fn a_form_without_a_test_is_oauth_only_once_it_has_stayed_so() {
        let edit = AppView::IntegrationEdit;
        let mut visit = FormVisit::default();
        let first = visit.remember(edit, Verification::None, 1, false, 1_000.0);
        assert!(!first.oauth_only);
        assert_eq!(first.wake_at, Some(1_000.0 + OAUTH_ONLY_MS));
        assert!(visit.remember(edit, Verification::None, 1, false, 1_000.0 + OAUTH_ONLY_MS).oauth_only);
        // A form that showed its test button once is never OAuth-only in that visit.
        let mut painting = FormVisit::default();
        painting.remember(edit, Verification::None, 0, true, 0.0);
        assert!(!painting.remember(edit, Verification::None, 0, false, 10_000.0).oauth_only);
    }
}
