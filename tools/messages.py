"""Source of the guide's messages in English and Dutch; writes extension/_locales/*/messages.json.
Run it after editing: `python3 tools/messages.py`. tests/messages.rs checks that both files have the
same keys and placeholders, and that every key the code names exists."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from messages_popup import POPUP  # noqa: E402

# What to prepare, by the id the popup stores in `settings.prepared` (`report::PREPARATION`):
# the one text of each item, for the popup's checklist (`popup_prepare_<id>`) and the guide's
# card (CARD_NOTES).
PREPARATION = {
 "coworkers": ("Tell your co-workers: users will have to sign in to their Office apps again.",
               "Informeer uw collega's: gebruikers moeten zich opnieuw aanmelden bij hun Office-apps."),
 "off-hours": ("Work outside office hours.", "Werk buiten kantooruren."),
 "okta-credentials": ("Have the Okta admin credentials at hand.", "Houd de inloggegevens van de Okta-beheerder bij de hand."),
 "microsoft-credentials": ("Have the Microsoft Global Administrator credentials at hand.",
                           "Houd de inloggegevens van de Microsoft-hoofdbeheerder bij de hand."),
}

# The card's notes (src/card.rs) and the preparation items each says, joined.
CARD_NOTES = {
 "ui_prepare_coworkers": ["coworkers"],
 "ui_prepare_hours": ["off-hours"],
 "ui_prepare_credentials": ["okta-credentials", "microsoft-credentials"],
}

M = {
 "extName": ("Office 365 Re-authentication Guide", "Gids voor herverificatie van Office 365"),
 "extDescription": ("Guides an Okta admin, on the live Okta and Microsoft pages, through re-authenticating Office 365 provisioning.",
                    "Leidt een Okta-beheerder op de echte Okta- en Microsoft-pagina's door het opnieuw verifiëren van de Office 365-inrichting."),
 # The direction of the messages' language, for the card's `dir` (its `lang` is popup_lang): not
 # @@bidi_dir, which follows the browser's language even where the messages fall back to English.
 "ui_dir": ("ltr", "ltr"),
 "ui_guide_label": ("Office 365 re-authentication guide", "Gids voor herverificatie van Office 365"),
 "ui_step_of": ("Step $1 of $2", "Stap $1 van $2"),
 "ui_back": ("Back", "Terug"),
 "ui_skip": ("Skip", "Overslaan"),
 "ui_pause": ("Pause", "Pauzeren"),
 "ui_resume": ("Resume guide", "Gids hervatten"),
 "ui_close": ("Close", "Sluiten"),
 "ui_paused": ("The guide is paused.", "De gids is gepauzeerd."),
 "ui_searching": ("Looking for $1…", "Zoeken naar $1…"),
 "ui_not_found": ("Can't find $1 on this page.", "Kan $1 niet vinden op deze pagina."),
 "ui_waiting": ("Waiting for the page…", "Wachten op de pagina…"),
 "ui_done_time": ("Finished in $1 min.", "Klaar in $1 min."),
 "ui_why": ("Why:", "Waarom:"),
 "ui_prepare_title": ("Before you start", "Voordat u begint"),
 "ui_account_expected": ("Sign in with $1: the Admin Username configured in Okta.", "Meld u aan met $1: de beheerdersgebruikersnaam die in Okta is ingesteld."),
 "ui_account_mismatch": ("You typed $1, but Okta is configured with $2. Use the account configured in Okta.", "U typte $1, maar in Okta is $2 ingesteld. Gebruik het account dat in Okta is ingesteld."),
 "ui_checkmarks_confirmed": ("Confirmed: both green check marks are shown.", "Bevestigd: beide groene vinkjes zijn zichtbaar."),
 "ui_checkmarks_count": ("$1 of 2 green check marks visible.", "$1 van 2 groene vinkjes zichtbaar."),
 "ui_checkmarks_confirmed_at": ("Confirmed at $1: both green check marks and the success message were shown.", "Bevestigd om $1: beide groene vinkjes en de melding dat het gelukt is waren zichtbaar."),
 "ui_checkmark_missing_auth": ("One green check mark is missing: the one for the Microsoft authentication. Click Edit, then Re-authenticate, sign in and accept at Microsoft, and test again.", "Er ontbreekt een groen vinkje: dat van de verificatie bij Microsoft. Klik op Bewerken en daarna op Opnieuw verifiëren, meld u aan en accepteer bij Microsoft, en test opnieuw."),
 "ui_checkmark_missing_test": ("One green check mark is missing: the one of the successful test. Click Test API Credentials again and wait for “verified successfully”.", "Er ontbreekt een groen vinkje: dat van de geslaagde test. Klik opnieuw op API-referenties testen en wacht op “verified successfully”."),
 "ui_summary_org": ("Org: $1", "Organisatie: $1"),
 "ui_summary_account": ("Microsoft account: $1", "Microsoft-account: $1"),
 "ui_skip_confirm": ("The guide can see that this step is not done yet. Skipping it may leave the integration half-done.", "De gids ziet dat deze stap nog niet klaar is. Overslaan kan de integratie half af laten."),
 "ui_skip_anyway": ("Skip anyway", "Toch overslaan"),
 "ui_keep_step": ("Stay at this step", "Bij deze stap blijven"),
 "cmd_focus_card": ("Move the focus to the guide's card (Esc in the card pauses and goes back)", "Focus naar de kaart van de gids (Esc in de kaart pauzeert en gaat terug)"),
 "ui_instances_hint": ("$1 Office 365 instances: open the one with provisioning (its Provisioning tab lists To App, To Okta and Integration).", "$1 Office 365-instanties: open die met inrichting (het tabblad Inrichting toont Naar app, Naar Okta en Integratie)."),
 "ui_other_tab": ("The guide for this org continues in another tab.", "De gids voor deze organisatie gaat verder in een ander tabblad."),
 "ui_guide_here": ("Guide in this tab", "Gids in dit tabblad"),
 "ui_error": ("The guide stopped because of an error: $1. Reload the page to start it again; your progress is kept.", "De gids is gestopt door een fout: $1. Laad de pagina opnieuw om hem weer te starten; uw voortgang blijft bewaard."),
 "ui_unsure_title": ("I can't tell where you are", "Ik kan niet zien waar u bent"),
 "ui_unsure": ("This page doesn't look like anything I know. Next I expect: $1. If that is what you see, click “I'm there”; otherwise go back to the last step you finished.", "Deze pagina lijkt op niets wat ik ken. Hierna verwacht ik: $1. Ziet u dat, klik dan op “Ik ben er”; ga anders terug naar de laatste stap die u hebt afgerond."),
 "ui_done_this": ("I'm there", "Ik ben er"),
 "ui_diagnostics": ("Copy diagnostics", "Diagnose kopiëren"),
 "ui_diagnostics_hide": ("Hide diagnostics", "Diagnose verbergen"),
 "ui_diagnostics_label": ("Diagnostics to copy", "Te kopiëren diagnose"),
 "ui_diagnostics_intro": ("This is exactly what Copy puts on the clipboard: what the guide saw on this page, without passwords, codes, typed values or e-mail names. Nothing leaves your computer unless you paste it. Attach it to an issue in the project's tracker.",
                          "Dit is precies wat Kopiëren op het klembord zet: wat de gids op deze pagina zag, zonder wachtwoorden, codes, getypte waarden of e-mailnamen. Er verlaat niets uw computer tenzij u het plakt. Voeg het toe aan een melding in de issuetracker van het project."),
 "ui_diagnostics_copy": ("Copy", "Kopiëren"),
 "ui_diagnostics_copied": ("Copied. Paste it into an issue in the project's tracker.", "Gekopieerd. Plak het in een melding in de issuetracker van het project."),
 "ui_diagnostics_copy_failed": ("Could not copy ($1). Select the text above and copy it with Ctrl+C (⌘C on a Mac).", "Kopiëren is mislukt ($1). Selecteer de tekst hierboven en kopieer hem met Ctrl+C (⌘C op een Mac)."),
 "ui_diagnostics_failed": ("The diagnostics could not be put together: $1. Reload the page and try again.", "De diagnose kon niet worden samengesteld: $1. Laad de pagina opnieuw en probeer het nog eens."),
 "ui_microsoft_waits": ("Finish what Microsoft asks (approve the sign-in, pick a method, enter a code); I'll wait.", "Rond af wat Microsoft vraagt (de aanmelding goedkeuren, een methode kiezen, een code invoeren); ik wacht."),
 "ui_at_microsoft": ("Finish at Microsoft (in the sign-in window); this page updates when you are back. Closed that window? Click “Re-authenticate with Microsoft Office 365” again.", "Rond het af bij Microsoft (in het aanmeldvenster); deze pagina werkt zich bij zodra u terug bent. Dat venster gesloten? Klik opnieuw op “Opnieuw verifiëren bij Microsoft Office 365”."),
 "ui_oauth_only": ("This Integration form has no credentials test: Office 365 is authenticated once Microsoft accepted. Click Save to finish.", "Dit integratieformulier heeft geen referentietest: Office 365 is geverifieerd zodra Microsoft heeft geaccepteerd. Klik op Opslaan om af te ronden."),
 "advice_wrong_password": ("Microsoft says the password is wrong (AADSTS50126). Reset the admin's password in the Microsoft tenant, type the new one into Okta's Admin Password field, then test again.", "Microsoft meldt dat het wachtwoord onjuist is (AADSTS50126). Stel het beheerderswachtwoord opnieuw in de Microsoft-tenant in, typ het nieuwe in het veld Beheerderswachtwoord van Okta en test opnieuw."),
 "advice_password_expired": ("Microsoft says the admin's password has expired (AADSTS50055). Set a new one in the Microsoft tenant, type it into Okta's Admin Password field, then test again.", "Microsoft meldt dat het beheerderswachtwoord is verlopen (AADSTS50055). Stel een nieuw in de Microsoft-tenant in, typ het in het veld Beheerderswachtwoord van Okta en test opnieuw."),
 "advice_mfa_required": ("This account needs multi-factor authentication (AADSTS50076/50079): the password is fine. Complete the MFA prompt, or use an account Okta can sign in with.", "Dit account vereist meervoudige verificatie (AADSTS50076/50079): het wachtwoord klopt. Rond de MFA-vraag af, of gebruik een account waarmee Okta kan aanmelden."),
 "advice_other_tenant": ("This account belongs to another Microsoft tenant (AADSTS50020). Sign out and sign in with the Global Administrator of this org's tenant.", "Dit account hoort bij een andere Microsoft-tenant (AADSTS50020). Meld u af en meld u aan met de hoofdbeheerder van de tenant van deze organisatie."),
 "advice_consent_declined": ("The consent was declined (AADSTS65004). Click Re-authenticate again and choose Accept on Microsoft's permissions page.", "De toestemming is geweigerd (AADSTS65004). Klik opnieuw op Opnieuw verifiëren en kies Accepteren op de machtigingenpagina van Microsoft."),
 "advice_admin_approval": ("Microsoft needs an admin's approval (AADSTS90094/65001): this account is not a Global Administrator. Sign in with the Global Administrator account.", "Microsoft vraagt goedkeuring van een beheerder (AADSTS90094/65001): dit account is geen hoofdbeheerder. Meld u aan met het account van de hoofdbeheerder."),
 "notice_reset_corrupt": ("The saved progress for this org could not be read, so it was reset. Start again from the first step.", "De opgeslagen voortgang voor deze organisatie was onleesbaar en is gewist. Begin opnieuw bij de eerste stap."),
 "notice_reset_schema": ("The saved progress came from another version of the extension, so it was reset. Start again from the first step.", "De opgeslagen voortgang kwam van een andere versie van de extensie en is gewist. Begin opnieuw bij de eerste stap."),
 "notice_storage_failed": ("Progress could not be saved: $1. The guide still works on this page; check that the extension has storage access.", "De voortgang kon niet worden opgeslagen: $1. De gids werkt nog op deze pagina; controleer of de extensie opslag mag gebruiken."),

 "target_applications_link": ("the “Applications” link", "de link “Toepassingen”"),
 "target_applications_group": ("the “Applications” menu in the side navigation", "het menu “Toepassingen” in de zijnavigatie"),
 "target_apps_search": ("the search box", "het zoekvak"),
 "target_office365_instances": ("the Microsoft Office 365 app", "de app Microsoft Office 365"),
 "target_provisioning_tab": ("the “Provisioning” tab", "het tabblad “Inrichting”"),
 "target_integration_setting": ("“Integration” in the Settings list", "“Integratie” in de lijst Instellingen"),
 "target_edit": ("the “Edit” link", "de link “Bewerken”"),
 "target_reauthenticate": ("the “Re-authenticate with Microsoft Office 365” button", "de knop “Opnieuw verifiëren bij Microsoft Office 365”"),
 "target_ms_account": ("the email field", "het e-mailveld"),
 "target_ms_password": ("the password field", "het wachtwoordveld"),
 "target_ms_code": ("the code field", "het codeveld"),
 "target_ms_primary": ("the blue button", "de blauwe knop"),
 "target_ms_accept": ("the “Accept” button", "de knop “Accepteren”"),
 "target_ms_other_account": ("“Sign in with that account”", "“Meld u aan met dat account”"),
 "target_test_api": ("the “Test API Credentials” button", "de knop “API-referenties testen”"),
 "target_save": ("the “Save” button", "de knop “Opslaan”"),
 "target_admin_password": ("the “Admin Password” field", "het veld “Beheerderswachtwoord”"),
}

STEPS = {
 "applications": (
   ("Open Applications", "In the side navigation, open Applications and click Applications.", "The Office 365 app is listed there.", "Expand Applications in the left side navigation; if the menu is collapsed, open it with the menu button."),
   ("Open Toepassingen", "Open in de zijnavigatie Toepassingen en klik op Toepassingen.", "Daar staat de Office 365-app.", "Klap Toepassingen open in de linker zijnavigatie; is het menu ingeklapt, open het dan met de menuknop.")),
 "find_app": (
   ("Find the Office 365 app", "Search for “Office 365” and open the Microsoft Office 365 app that has provisioning enabled.", "Only the instance with provisioning needs to be re-authenticated.", "Use the search box above the app list, or filter on ACTIVE."),
   ("Zoek de Office 365-app", "Zoek naar “Office 365” en open de app Microsoft Office 365 waarvoor inrichting is ingeschakeld.", "Alleen de instantie met inrichting moet opnieuw worden geverifieerd.", "Gebruik het zoekvak boven de lijst met apps, of filter op ACTIEF.")),
 "provisioning_tab": (
   ("Open the Provisioning tab", "Click the Provisioning tab of the app.", "The Microsoft connection is set up there.", "The tabs are below the app's name: General, Sign On, Provisioning…"),
   ("Open het tabblad Inrichting", "Klik op het tabblad Inrichting van de app.", "Daar wordt de verbinding met Microsoft ingesteld.", "De tabbladen staan onder de naam van de app: Algemeen, Aanmelden, Inrichting…")),
 "integration": (
   ("Open Integration", "Under Settings, click Integration.", "A green check mark may already be there: re-authenticating is still necessary.", "The Settings list is on the left of the Provisioning tab. If you only see “Configure API Integration”, this instance has no provisioning: open the other Office 365 instance."),
   ("Open Integratie", "Klik onder Instellingen op Integratie.", "Er kan al een groen vinkje staan: opnieuw verifiëren is toch nodig.", "De lijst Instellingen staat links op het tabblad Inrichting. Ziet u alleen “API-integratie configureren”, dan heeft deze instantie geen inrichting: open de andere Office 365-instantie.")),
 "edit": (
   ("Click Edit", "Click Edit to change the integration.", "Re-authenticating is only possible in edit mode.", "“Edit” is at the top right of the Integration section."),
   ("Klik op Bewerken", "Klik op Bewerken om de integratie te wijzigen.", "Opnieuw verifiëren kan alleen in de bewerkmodus.", "“Bewerken” staat rechtsboven in het onderdeel Integratie.")),
 "reauthenticate": (
   ("Re-authenticate with Microsoft", "Click “Re-authenticate with Microsoft Office 365”. Use the admin credentials configured in this app.", "Microsoft asks a Global Administrator to consent again to Okta's access (Microsoft Graph).", "The button is in the Integration form, below Admin Password."),
   ("Opnieuw verifiëren bij Microsoft", "Klik op “Opnieuw verifiëren bij Microsoft Office 365”. Gebruik de beheerdersgegevens die in deze app zijn ingesteld.", "Microsoft vraagt een hoofdbeheerder opnieuw toestemming te geven voor de toegang van Okta (Microsoft Graph).", "De knop staat in het formulier Integratie, onder het beheerderswachtwoord.")),
 "microsoft_sign_in": (
   ("Sign in to Microsoft", "Sign in with the Microsoft admin account configured in Okta. Type your password yourself: the guide never reads it.", "Only a Global Administrator can give the consent.", "Microsoft shows one screen at a time: account, password, then possibly a code or “Stay signed in?”."),
   ("Aanmelden bij Microsoft", "Meld u aan met het Microsoft-beheerdersaccount dat in Okta is ingesteld. Typ uw wachtwoord zelf: de gids leest het nooit.", "Alleen een hoofdbeheerder kan toestemming geven.", "Microsoft toont één scherm tegelijk: account, wachtwoord, daarna mogelijk een code of “Aangemeld blijven?”.")),
 "consent": (
   ("Accept the permissions", "Review the permissions and click Accept (shown in your tenant's language, e.g. “Accepteren”).", "This is the consent Okta needs to keep provisioning users.", "The Accept button is at the bottom of the “Permissions requested” page."),
   ("Accepteer de machtigingen", "Bekijk de machtigingen en klik op Accepteren (in de taal van uw tenant, bijv. “Accept”).", "Dit is de toestemming die Okta nodig heeft om gebruikers te blijven inrichten.", "De knop Accepteren staat onderaan de pagina “Aangevraagde machtigingen”.")),
 "test_api": (
   ("Test API Credentials", "Back in Okta: click “Test API Credentials”.", "The test proves that Okta can reach Microsoft with the new consent.", "The button is in the Integration form, next to the Microsoft button."),
   ("Test de API-referenties", "Terug in Okta: klik op “API-referenties testen”.", "De test bewijst dat Okta Microsoft kan bereiken met de nieuwe toestemming.", "De knop staat in het formulier Integratie, naast de Microsoft-knop.")),
 "checkmarks": (
   ("Check the two green check marks", "The guide checks that two green check marks and the “verified successfully” message are shown.", "Two check marks mean both the consent and the credentials work.", "Look beside the Microsoft button and in the message above the form."),
   ("Controleer de twee groene vinkjes", "De gids controleert dat er twee groene vinkjes en de melding “is geverifieerd” te zien zijn.", "Twee vinkjes betekenen dat zowel de toestemming als de referenties werken.", "Kijk naast de Microsoft-knop en in de melding boven het formulier.")),
 "save": (
   ("Save", "Click Save to keep the new consent.", "Without Save the integration is left half done.", "Save is at the bottom of the Integration form."),
   ("Opslaan", "Klik op Opslaan om de nieuwe toestemming te bewaren.", "Zonder Opslaan blijft de integratie half af.", "Opslaan staat onderaan het formulier Integratie.")),
 "done": (
   ("Re-authentication complete", "Office 365 provisioning is re-authenticated and saved for this org.", "Users may be asked to sign in to their Office apps again.", ""),
   ("Herverificatie voltooid", "De Office 365-inrichting is opnieuw geverifieerd en opgeslagen voor deze organisatie.", "Gebruikers kunnen worden gevraagd zich opnieuw aan te melden bij hun Office-apps.", "")),
 "wrong_account": (
   ("This account can't give consent", "Microsoft says this account needs admin approval: it is not the Global Administrator. Click “Sign in with that account” and use the admin account configured in Okta.", "Only a Global Administrator can consent for the organisation.", "The link is below Microsoft's message “Need admin approval”."),
   ("Dit account kan geen toestemming geven", "Microsoft meldt dat dit account goedkeuring van een beheerder nodig heeft: het is niet de hoofdbeheerder. Klik op “Meld u aan met dat account” en gebruik het beheerdersaccount dat in Okta is ingesteld.", "Alleen een hoofdbeheerder kan namens de organisatie toestemming geven.", "De link staat onder de melding van Microsoft “Goedkeuring van beheerder vereist”.")),
 "consent_declined": (
   ("The consent was not given", "Microsoft did not give the consent (cancelled or declined). Click “Re-authenticate with Microsoft Office 365” again and choose Accept.", "Without the consent, provisioning to Office 365 stops.", "The button is in the Integration form in edit mode."),
   ("De toestemming is niet gegeven", "Microsoft heeft geen toestemming gegeven (geannuleerd of geweigerd). Klik opnieuw op “Opnieuw verifiëren bij Microsoft Office 365” en kies Accepteren.", "Zonder toestemming stopt de inrichting naar Office 365.", "De knop staat in het formulier Integratie in de bewerkmodus.")),
 "test_failed": (
   ("The credentials test failed", "Forgot the Office 365 admin password? Reset it in the Microsoft tenant, type the new one into “Admin Password”, then click “Test API Credentials” again.", "Okta checks the Admin Username and Admin Password against Microsoft.", "The Admin Password field is in the Integration form."),
   ("De test van de referenties is mislukt", "Wachtwoord van de Office 365-beheerder vergeten? Stel het opnieuw in in de Microsoft-tenant, typ het nieuwe in “Beheerderswachtwoord” en klik opnieuw op “API-referenties testen”.", "Okta controleert de beheerdersgebruikersnaam en het wachtwoord bij Microsoft.", "Het veld Beheerderswachtwoord staat in het formulier Integratie.")),
}

def build():
    out = {"en": {}, "nl": {}}
    for key, (en, nl) in {**M, **POPUP}.items():
        out["en"][key] = {"message": en}
        out["nl"][key] = {"message": nl}
    for item, (en, nl) in PREPARATION.items():
        key = "popup_prepare_" + item.replace("-", "_")
        out["en"][key] = {"message": en}
        out["nl"][key] = {"message": nl}
    for key, items in CARD_NOTES.items():
        for lang, index in (("en", 0), ("nl", 1)):
            out[lang][key] = {"message": " ".join(PREPARATION[item][index] for item in items)}
    for stem, (en, nl) in STEPS.items():
        for lang, texts in (("en", en), ("nl", nl)):
            for suffix, text in zip(("title", "body", "why", "lookfor"), texts):
                if not text:
                    continue
                out[lang][f"step_{stem}_{suffix}"] = {"message": text}
    root = Path(__file__).resolve().parent.parent / "extension" / "_locales"
    for lang, messages in out.items():
        (root / lang).mkdir(parents=True, exist_ok=True)
        (root / lang / "messages.json").write_text(json.dumps(messages, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

build()
