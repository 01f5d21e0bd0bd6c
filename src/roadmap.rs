//! The roadmap being guided, as data: the steps in order, where each happens, what to highlight,
//! and which message keys explain it. Step ids are a contract with the tests and the popup.

use crate::locator::Target;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepId {
    Applications,
    FindApp,
    ProvisioningTab,
    Integration,
    Edit,
    Reauthenticate,
    MicrosoftSignIn,
    Consent,
    TestApi,
    Checkmarks,
    Save,
    Done,
    WrongAccount,
    ConsentDeclined,
    TestFailed,
}

/// The main path, in order. Branches lead back into it.
pub const MAIN_PATH: [StepId; 12] = [
    StepId::Applications,
    StepId::FindApp,
    StepId::ProvisioningTab,
    StepId::Integration,
    StepId::Edit,
    StepId::Reauthenticate,
    StepId::MicrosoftSignIn,
    StepId::Consent,
    StepId::TestApi,
    StepId::Checkmarks,
    StepId::Save,
    StepId::Done,
];

/// A step's message keys (`look_for` exists only for steps with targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepTexts {
    pub title: &'static str,
    pub body: &'static str,
    pub why: &'static str,
    pub look_for: &'static str,
}

/// Steps the admin acts on ("step i of n" counts these; `done` is the end, not a step).
pub const STEP_COUNT: usize = MAIN_PATH.len() - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Okta,
    Microsoft,
}

impl StepId {
    pub const ALL: [StepId; 15] = [
        StepId::Applications,
        StepId::FindApp,
        StepId::ProvisioningTab,
        StepId::Integration,
        StepId::Edit,
        StepId::Reauthenticate,
        StepId::MicrosoftSignIn,
        StepId::Consent,
        StepId::TestApi,
        StepId::Checkmarks,
        StepId::Save,
        StepId::Done,
        StepId::WrongAccount,
        StepId::ConsentDeclined,
        StepId::TestFailed,
    ];

    /// The id as the marker contract spells it (`data-step`).
    pub fn as_str(self) -> &'static str {
        match self {
            StepId::Applications => "applications",
            StepId::FindApp => "find-app",
            StepId::ProvisioningTab => "provisioning-tab",
            StepId::Integration => "integration",
            StepId::Edit => "edit",
            StepId::Reauthenticate => "reauthenticate",
            StepId::MicrosoftSignIn => "microsoft-sign-in",
            StepId::Consent => "consent",
            StepId::TestApi => "test-api",
            StepId::Checkmarks => "checkmarks",
            StepId::Save => "save",
            StepId::Done => "done",
            StepId::WrongAccount => "wrong-account",
            StepId::ConsentDeclined => "consent-declined",
            StepId::TestFailed => "test-failed",
        }
    }

    pub fn parse(id: &str) -> Option<StepId> {
        StepId::ALL.into_iter().find(|s| s.as_str() == id)
    }

    /// The main-path step a branch belongs to; a main step is its own.
    pub fn main_step(self) -> StepId {
        match self {
            StepId::WrongAccount => StepId::MicrosoftSignIn,
            StepId::ConsentDeclined => StepId::Reauthenticate,
            StepId::TestFailed => StepId::TestApi,
            other => other,
        }
    }

    /// Position on the main path (branches share their main step's position).
    pub fn rank(self) -> usize {
        let main = self.main_step();
        MAIN_PATH.iter().position(|&s| s == main).unwrap_or(0)
    }

    pub fn is_branch(self) -> bool {
        self.main_step() != self
    }

    /// The main step after this one (`done` stays `done`).
    pub fn next(self) -> StepId {
        MAIN_PATH[(self.rank() + 1).min(MAIN_PATH.len() - 1)]
    }

    /// The main step before this one (`applications` stays first).
    pub fn previous(self) -> StepId {
        MAIN_PATH[self.rank().saturating_sub(1)]
    }

    /// Steps during which the admin is away at Microsoft (same tab or a pop-up): however long
    /// that takes (a password, MFA), the return to Okta is the answer to the admin's own action.
    pub fn hands_off_to_microsoft(self) -> bool {
        matches!(
            self,
            StepId::Reauthenticate | StepId::MicrosoftSignIn | StepId::Consent | StepId::WrongAccount | StepId::ConsentDeclined
        )
    }

    pub fn site(self) -> Option<Site> {
        match self {
            StepId::MicrosoftSignIn | StepId::Consent | StepId::WrongAccount => Some(Site::Microsoft),
            StepId::Done => None,
            _ => Some(Site::Okta),
        }
    }

    /// The step's messages in `_locales`: typed keys, so a misspelt one fails the messages test
    /// rather than showing as a raw key on screen.
    pub fn texts(self) -> StepTexts {
        macro_rules! texts {
            ($stem:literal) => {
                StepTexts {
                    title: concat!("step_", $stem, "_title"),
                    body: concat!("step_", $stem, "_body"),
                    why: concat!("step_", $stem, "_why"),
                    look_for: concat!("step_", $stem, "_lookfor"),
                }
            };
        }
        match self {
            StepId::Applications => texts!("applications"),
            StepId::FindApp => texts!("find_app"),
            StepId::ProvisioningTab => texts!("provisioning_tab"),
            StepId::Integration => texts!("integration"),
            StepId::Edit => texts!("edit"),
            StepId::Reauthenticate => texts!("reauthenticate"),
            StepId::MicrosoftSignIn => texts!("microsoft_sign_in"),
            StepId::Consent => texts!("consent"),
            StepId::TestApi => texts!("test_api"),
            StepId::Checkmarks => texts!("checkmarks"),
            StepId::Save => texts!("save"),
            StepId::Done => texts!("done"),
            StepId::WrongAccount => texts!("wrong_account"),
            StepId::ConsentDeclined => texts!("consent_declined"),
            StepId::TestFailed => texts!("test_failed"),
        }
    }

    /// What to highlight, in order of preference: the first one found on the page is shown.
    pub fn targets(self) -> &'static [Target] {
        match self {
            StepId::Applications => &[APPLICATIONS_LINK, APPLICATIONS_GROUP],
            StepId::FindApp => &[APPS_SEARCH, OFFICE365_INSTANCES],
            StepId::ProvisioningTab => &[PROVISIONING_TAB],
            StepId::Integration => &[INTEGRATION_SETTING],
            StepId::Edit => &[EDIT],
            StepId::Reauthenticate | StepId::ConsentDeclined => &[REAUTHENTICATE],
            StepId::MicrosoftSignIn => &[MS_ACCOUNT, MS_PASSWORD, MS_CODE, MS_PRIMARY],
            StepId::Consent => &[MS_ACCEPT],
            StepId::TestApi => &[TEST_API],
            StepId::Checkmarks | StepId::Done => &[],
            StepId::Save => &[SAVE],
            StepId::WrongAccount => &[MS_OTHER_ACCOUNT],
            StepId::TestFailed => &[ADMIN_PASSWORD, TEST_API],
        }
    }
}

/// Everything a person can click: links with or without an address (consoles attach handlers to
/// bare anchors), buttons, and elements that say they act (a role, a handler, a tab stop).
/// Elements that only look clickable (a pointer cursor) are found by the DOM edge's text search.
pub const CLICKABLE: &str = "a, button, input[type=button], input[type=submit], input[type=image], summary, [role=button], [role=tab], [role=link], [role=menuitem], [role=option], [role=treeitem], [onclick], [tabindex]:not([tabindex='-1'])";

pub const APPLICATIONS_LINK: Target = Target {
    label: "target_applications_link",
    query: "[data-se=o-side-nav-item-APPLICATIONS] a[href], #nav-admin-apps-2, nav a[href], a[href*='/admin/apps/active']",
    ids: &["nav-admin-apps-2"],
    texts: &["applications", "toepassingen", "anwendungen", "applications"],
    hrefs: &["/admin/apps/active"],
    roles: &["link"],
    ..Target::EMPTY
};

/// The collapsed "Applications" group of the side navigation: Okta's classic nav (`data-se`) or
/// an accordion summary (Odyssey's nav, which has no `data-se`).
pub const APPLICATIONS_GROUP: Target = Target {
    label: "target_applications_group",
    query: "[data-se=o-side-nav-item-APPLICATIONS] button, [data-se=o-side-nav-item-APPLICATIONS] [role=button], [data-se=o-side-nav-item-APPLICATIONS] > a, [aria-expanded], summary, nav button, nav [role=button]",
    texts: &["applications", "toepassingen", "anwendungen"],
    data_se: &["o-side-nav-item-applications", "applications"],
    roles: &["button", "link"],
    classes: &["MuiButton", "nav-item", "accordion"],
    ..Target::EMPTY
};

pub const APPS_SEARCH: Target = Target {
    label: "target_apps_search",
    query: "input[placeholder], input[type=search], [role=searchbox], input[aria-label]",
    texts: &["search", "zoeken", "suchen", "rechercher"],
    roles: &["searchbox", "textbox"],
    until_input: true,
    ..Target::EMPTY
};

pub const OFFICE365_INSTANCES: Target = Target {
    label: "target_office365_instances",
    query: "a[href*='/admin/app/office365/instance/']",
    hrefs: &["/admin/app/office365/instance/"],
    roles: &["link"],
    many: true,
    ..Target::EMPTY
};

pub const PROVISIONING_TAB: Target = Target {
    label: "target_provisioning_tab",
    query: CLICKABLE,
    texts: &["provisioning", "inrichting", "bereitstellung", "approvisionnement", "provisionierung"],
    hrefs: &["#tab-provisioning", "#tab-user-management"],
    data_se: &["tab-provisioning", "tab-user-management"],
    roles: &["tab", "link"],
    ..Target::EMPTY
};

pub const INTEGRATION_SETTING: Target = Target {
    label: "target_integration_setting",
    query: CLICKABLE,
    texts: &["integration", "integratie", "intégration"],
    hrefs: &["/api-credentials"],
    data_se: &["settings-nav-integration", "api-credentials"],
    roles: &["link", "button", "tab", "menuitem"],
    ..Target::EMPTY
};

pub const EDIT: Target = Target {
    label: "target_edit",
    query: CLICKABLE,
    ids: &["userMgmtSettings.edit_link"],
    texts: &["edit", "bewerken", "bearbeiten", "modifier"],
    data_se: &["edit-link", "edit_link"],
    roles: &["link", "button"],
    classes: &["link-button", "edit"],
    ..Target::EMPTY
};

pub const REAUTHENTICATE: Target = Target {
    label: "target_reauthenticate",
    query: CLICKABLE,
    contains: &[
        "authenticate with microsoft",
        "verifiëren bij microsoft",
        "authentifizierung bei microsoft",
        "bei microsoft authentifizieren",
        "authentifier auprès de microsoft",
    ],
    data_se: &["authenticate"],
    roles: &["button", "link"],
    ..Target::EMPTY
};

pub const MS_ACCOUNT: Target = Target {
    label: "target_ms_account",
    query: "input[name=loginfmt], #i0116, #usernameEntry, input[type=email]",
    ids: &["i0116", "usernameEntry"],
    names: &["loginfmt"],
    roles: &["textbox"],
    until_input: true,
    ..Target::EMPTY
};

pub const MS_PASSWORD: Target = Target {
    label: "target_ms_password",
    query: "input[type=password]",
    ids: &["i0118", "passwordEntry"],
    names: &["passwd"],
    roles: &["textbox"],
    until_input: true,
    ..Target::EMPTY
};

pub const MS_CODE: Target = Target {
    label: "target_ms_code",
    query: "#otc, input[name=otc], input[autocomplete=one-time-code]",
    ids: &["otc"],
    names: &["otc"],
    roles: &["textbox"],
    until_input: true,
    ..Target::EMPTY
};

pub const MS_PRIMARY: Target = Target {
    label: "target_ms_primary",
    query: "#idSIButton9, #next, input[type=submit], button[type=submit]",
    ids: &["idSIButton9", "next", "idSubmit_SAOTCC_Continue"],
    texts: &["next", "sign in", "yes", "verify", "volgende", "aanmelden", "ja", "verifiëren", "weiter", "anmelden", "suivant", "se connecter", "oui"],
    roles: &["button"],
    ..Target::EMPTY
};

pub const MS_ACCEPT: Target = Target {
    label: "target_ms_accept",
    query: "#idSIButton9, input[type=submit], input[type=button], button, [role=button]",
    ids: &["idSIButton9"],
    texts: &["accept", "accepteren", "akzeptieren", "accepter"],
    roles: &["button"],
    ..Target::EMPTY
};

pub const MS_OTHER_ACCOUNT: Target = Target {
    label: "target_ms_other_account",
    query: CLICKABLE,
    contains: &["sign in with that account", "meld u aan met dat account", "mit diesem konto anmelden", "connectez-vous avec ce compte", "use another account", "ander account gebruiken"],
    roles: &["link", "button"],
    ..Target::EMPTY
};

pub const TEST_API: Target = Target {
    label: "target_test_api",
    query: CLICKABLE,
    ids: &["m-verify-button"],
    names: &["m-verify"],
    texts: &["test api credentials", "api-referenties testen", "api-anmeldeinformationen testen", "tester les informations d'identification de l'api"],
    data_se: &["verify", "test-api"],
    roles: &["button"],
    ..Target::EMPTY
};

pub const SAVE: Target = Target {
    label: "target_save",
    query: CLICKABLE,
    ids: &["userMgmtSettings.button.submit"],
    texts: &["save", "opslaan", "speichern", "enregistrer"],
    roles: &["button"],
    ..Target::EMPTY
};

pub const ADMIN_PASSWORD: Target = Target {
    label: "target_admin_password",
    query: "input[type=password]",
    contains: &["password", "wachtwoord", "kennwort", "passwort", "mot de passe"],
    roles: &["textbox"],
    until_input: true,
    ..Target::EMPTY
};

/// Every target and probe the guide looks for: the page is searched once per look for the
/// signals of all of them (`locator::signal_pool`). A target missing here is still found, by a
/// query of its own.
pub const ALL_TARGETS: &[Target] = &[
    APPLICATIONS_LINK,
    APPLICATIONS_GROUP,
    APPS_SEARCH,
    OFFICE365_INSTANCES,
    PROVISIONING_TAB,
    INTEGRATION_SETTING,
    EDIT,
    REAUTHENTICATE,
    MS_ACCOUNT,
    MS_PASSWORD,
    MS_CODE,
    MS_PRIMARY,
    MS_ACCEPT,
    MS_OTHER_ACCOUNT,
    TEST_API,
    SAVE,
    ADMIN_PASSWORD,
    probes::PROVISIONING_SETTINGS,
    probes::CONFIGURE_API,
    probes::MS_PERMISSIONS,
    probes::MS_NEED_ADMIN,
];

/// Probes that tell which screen a page shows; they are located like targets.
pub mod probes {
    use super::*;

    /// Okta's Provisioning settings list is shown (its "To App" entry, or "Integration").
    pub const PROVISIONING_SETTINGS: Target = Target {
        label: "",
        query: CLICKABLE,
        texts: &["to app", "naar app", "an app", "vers l'application", "to okta", "naar okta"],
        roles: &["link", "button", "tab", "menuitem"],
        ..Target::EMPTY
    };

    /// The Integration form's "Enable API integration" setting (read by its text, in any element).
    pub const ENABLE_API: &[&str] = &["enable api integration", "api-integratie inschakelen", "api-integration aktivieren", "activer l'intégration api"];

    /// An Office 365 instance whose provisioning was never set up, in words.
    pub const NOT_ENABLED: &[&str] = &["provisioning is not enabled", "inrichting is niet ingeschakeld"];

    /// An Office 365 instance whose provisioning was never set up.
    pub const CONFIGURE_API: Target = Target {
        label: "",
        query: CLICKABLE,
        texts: &["configure api integration", "api-integratie configureren"],
        data_se: &["configure-api"],
        roles: &["button", "link"],
        ..Target::EMPTY
    };

    /// Where Okta and Microsoft show outcomes: notifications, callouts, alerts, error slots.
    pub const MESSAGES: &str = "[role=alert], [role=status], [aria-live], .infobox, [class*=error], [class*=success], [class*=confirm], [class*=notification], [class*=toast], [class*=callout], [class*=alert], [class*=banner], [class*=message], [class*=notice]";

    /// Microsoft's permissions (consent) screen.
    pub const MS_PERMISSIONS: Target = Target {
        label: "",
        query: "h1, h2, [role=heading], .row.title, #heading, div[role=heading]",
        contains: &[
            "permissions requested", "review for your organization", "accept for your organization",
            "aangevraagde machtigingen", "machtigingen aangevraagd", "angeforderte berechtigungen", "autorisations demandées",
        ],
        ..Target::EMPTY
    };

    /// Microsoft's own prompts without a field to point at: number matching, a method picker.
    pub const MS_PROMPTS: &str = "#idRichContext_DisplaySign, #idDiv_SAOTCS_Proofs, #idDiv_SAASTO_Title, [data-value=PhoneAppNotification]";

    /// Microsoft's "Need admin approval": the account may not consent.
    pub const MS_NEED_ADMIN: Target = Target {
        label: "",
        query: "h1, h2, [role=heading], #heading, div[role=heading], a[href], a, button",
        contains: &["need admin approval", "goedkeuring van beheerder", "administratorgenehmigung", "approbation de l'administrateur", "sign in with that account", "meld u aan met dat account"],
        ..Target::EMPTY
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_steps_targets_are_in_the_signal_pool() {
        for step in StepId::ALL {
            for target in step.targets() {
                assert!(ALL_TARGETS.contains(target), "{step:?}: {}", target.label);
            }
        }
    }

    #[test]
    fn ids_round_trip_and_match_the_contract() {
        let contract = [
            "applications", "find-app", "provisioning-tab", "integration", "edit", "reauthenticate",
            "microsoft-sign-in", "consent", "test-api", "checkmarks", "save", "done",
            "wrong-account", "consent-declined", "test-failed",
        ];
        for (step, id) in StepId::ALL.iter().zip(contract) {
            assert_eq!(step.as_str(), id);
            assert_eq!(StepId::parse(id), Some(*step));
        }
        assert_eq!(StepId::parse("nonsense"), None);
    }

    #[test]
    fn branches_lead_back_into_the_main_path() {
        assert_eq!(StepId::WrongAccount.main_step(), StepId::MicrosoftSignIn);
        assert_eq!(StepId::ConsentDeclined.rank(), StepId::Reauthenticate.rank());
        assert_eq!(StepId::TestFailed.next(), StepId::Checkmarks);
        assert!(StepId::TestFailed.is_branch());
        assert!(!StepId::Save.is_branch());
    }

    #[test]
    fn next_and_previous_walk_the_main_path() {
        let mut step = StepId::Applications;
        let mut walked = vec![step];
        while step != StepId::Done {
            step = step.next();
            walked.push(step);
        }
        assert_eq!(walked, MAIN_PATH.to_vec());
        assert_eq!(StepId::Applications.previous(), StepId::Applications);
        assert_eq!(StepId::Done.next(), StepId::Done);
        assert_eq!(StepId::Consent.previous(), StepId::MicrosoftSignIn);
    }

    #[test]
    fn every_step_that_asks_for_a_click_has_a_target() {
        for step in StepId::ALL {
            let expects_click = !matches!(step, StepId::Checkmarks | StepId::Done);
            assert_eq!(!step.targets().is_empty(), expects_click, "{step:?}");
            for target in step.targets() {
                assert!(!target.query.is_empty() && !target.label.is_empty(), "{step:?}");
            }
        }
    }

    #[test]
    fn step_ids_serialise_as_the_contract_spells_them() {
        for step in StepId::ALL {
            let json = serde_json::to_string(&step).unwrap();
            assert_eq!(json, format!("\"{}\"", step.as_str()));
        }
    }
}
