//! Field diagnostics: what the guide saw, in a form an admin can hand over and a maintainer can
//! replay, without a single secret. Pure: the DOM edge (`browser/diagnostics.rs`) reads the page
//! into the raw shapes here; everything that decides what may leave the machine is in this file
//! and in `redact.rs` (the text rules, which the recognizer's facts serialize through too).
//!
//! The redaction rules, each tested here or there:
//! - a field's value is never read (the edge has no field for it; a button input's label, which
//!   HTML keeps in its `value`, is read for button types only);
//! - text is kept only for buttons, links, headings and labels (and form fields' labels), and
//!   every kept text has its e-mail addresses cut to their domain;
//! - of the query, parameter names only, except the OAuth error fields' values;
//! - of the hash route, names only, never values.

use crate::flow::{AppView, MicrosoftScreen, Observation, OktaPage, Page};
use crate::locator::{self, Candidate, ScoreParts, Target};
use crate::progress::Progress;
use crate::recognize::{self, MicrosoftFacts, OktaFacts};
use crate::roadmap::StepId;
use serde::Serialize;
use std::collections::VecDeque;

pub use crate::redact::{clean_text, email_domain, hash_route, redact_emails, TEXT_CHARS};

/// Bumped when the report's shape changes (replay tools read it).
pub const FORMAT: u32 = 2;
/// The region outline's budget, in bytes of its JSON (roughly): one report stays pasteable.
pub const OUTLINE_BYTES: usize = 30_000;
/// How deep the region outline goes below the region's element.
pub const OUTLINE_DEPTH: usize = 14;
/// Candidates listed per target or probe, best first.
pub const TOP_CANDIDATES: usize = 10;
/// Flow transitions kept (in memory only, never stored).
pub const TRANSITIONS: usize = 20;
/// Query parameters whose values are kept: Microsoft's and Okta's OAuth error fields.
pub const OAUTH_ERROR_PARAMS: &[&str] = &["error", "error_description", "error_codes", "error_subcode"];

/// Marks the JSON inside the copied text, for people and for the replay parser.
pub const JSON_BEGIN: &str = "----- BEGIN DIAGNOSTICS JSON -----";
pub const JSON_END: &str = "----- END DIAGNOSTICS JSON -----";

/// Whether the text of an element of this kind may be copied: buttons, links, headings and
/// labels (by tag or role). Everything else may hold what the admin typed or was shown.
pub fn keeps_text(tag: &str, role: &str) -> bool {
    matches!(tag, "button" | "a" | "label" | "legend" | "summary" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        || matches!(role, "button" | "link" | "heading")
}

/// An input that is a button: its `value` is the label people read on it, not something typed.
pub fn is_button_input(tag: &str, input_type: &str) -> bool {
    tag == "input" && matches!(input_type.to_ascii_lowercase().as_str(), "button" | "submit" | "reset")
}

/// A form field: its accessible name is its label (or placeholder), never its value.
fn is_field(tag: &str) -> bool {
    matches!(tag, "input" | "textarea" | "select")
}

/// A query parameter as copied: its name, and its value only for the OAuth error fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryParam {
    pub name: String,
    pub value: Option<String>,
}

/// The query's parameters (decoded name/value pairs) as they may be copied.
pub fn query_params(pairs: &[(String, String)]) -> Vec<QueryParam> {
    pairs
        .iter()
        .map(|(name, value)| QueryParam {
            name: clean_text(name),
            value: OAUTH_ERROR_PARAMS.contains(&name.as_str()).then(|| clean_text(value)),
        })
        .collect()
}

/// The AADSTS code in the OAuth error fields, if any.
pub fn query_code(pairs: &[(String, String)]) -> Option<u32> {
    pairs.iter().filter(|(n, _)| OAUTH_ERROR_PARAMS.contains(&n.as_str())).find_map(|(_, v)| recognize::aadsts_code(v))
}

/// The browser's name and version from its user agent (`Chrome 140.0`, `Firefox 128.0`).
pub fn browser_name(user_agent: &str) -> String {
    // Most specific first: Edge and Opera say Chrome too, Chrome says Safari.
    let known = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Version/", "Safari")];
    for (token, name) in known {
        if let Some(at) = user_agent.find(token) {
            let version: String = user_agent[at + token.len()..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            let short: Vec<&str> = version.split('.').take(2).collect();
            return format!("{name} {}", short.join("."));
        }
    }
    "unknown".to_string()
}

/// One element of the region around the target, as the edge reads it: no value, and only its
/// own text (text nodes directly inside it), which the outline keeps or drops by kind (the edge
/// reads it only where the outline keeps it, but the outline does not count on that).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawNode {
    pub tag: String,
    pub id: String,
    pub class: String,
    pub role: String,
    pub data_se: String,
    pub input_type: String,
    pub name_attr: String,
    pub href: String,
    pub aria_label: String,
    pub placeholder: String,
    /// A button input's label, which HTML keeps in its `value` (read for button types only).
    pub button_label: String,
    pub text: String,
    pub visible: bool,
    /// The guide marks this element now.
    pub marked: bool,
    pub children: Vec<RawNode>,
}

fn is_empty(s: &str) -> bool {
    s.is_empty()
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_true(b: &bool) -> bool {
    *b
}

/// One node of the values-free outline. Empty fields are left out to keep it small.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OutlineNode {
    pub tag: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    #[serde(skip_serializing_if = "is_empty")]
    pub role: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub data_se: String,
    #[serde(rename = "type", skip_serializing_if = "is_empty")]
    pub input_type: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub name: String,
    /// A link's destination, path only (its query may carry values).
    #[serde(skip_serializing_if = "is_empty")]
    pub href: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub aria_label: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub placeholder: String,
    /// A button input's label (`<input type=submit value=…>`).
    #[serde(skip_serializing_if = "is_empty")]
    pub label: String,
    #[serde(skip_serializing_if = "is_empty")]
    pub text: String,
    #[serde(skip_serializing_if = "is_true")]
    pub visible: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub marked: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<OutlineNode>,
    /// Children left out by the depth or size limit.
    #[serde(skip_serializing_if = "is_zero")]
    pub omitted: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The outline of the region around the target, within its limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outline {
    /// Which element the region is (`form`, `main`, `body`…), as a selector-like name.
    pub region: String,
    pub root: OutlineNode,
    pub nodes: u32,
    /// Elements left out by the depth or size limit.
    pub omitted: u32,
}

/// A link's path without its query or fragment, which may carry values.
fn href_path(href: &str) -> String {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    clean_text(path)
}

/// About how many bytes a node adds to the JSON (pretty-printed), children not counted.
fn node_bytes(n: &OutlineNode) -> usize {
    let fields = [&n.tag, &n.id, &n.role, &n.data_se, &n.input_type, &n.name, &n.href, &n.aria_label, &n.placeholder, &n.label, &n.text];
    let strings: usize = fields.iter().filter(|s| !s.is_empty()).map(|s| s.len() + 24).sum();
    let classes: usize = n.classes.iter().map(|c| c.len() + 8).sum::<usize>() + if n.classes.is_empty() { 0 } else { 20 };
    strings + classes + 40
}

fn count(raw: &RawNode) -> u32 {
    1 + raw.children.iter().map(count).sum::<u32>()
}

struct Budget {
    bytes: usize,
    nodes: u32,
    omitted: u32,
}

/// One node, redacted: text only inside a button, link, heading or label.
fn outline_node(raw: &RawNode, in_text_kind: bool) -> OutlineNode {
    let keeps = in_text_kind || keeps_text(&raw.tag, &raw.role);
    OutlineNode {
        tag: clean_text(&raw.tag),
        id: clean_text(&raw.id),
        classes: raw.class.split_whitespace().take(12).map(clean_text).collect(),
        role: clean_text(&raw.role),
        data_se: clean_text(&raw.data_se),
        input_type: clean_text(&raw.input_type),
        name: clean_text(&raw.name_attr),
        href: href_path(&raw.href),
        aria_label: if keeps || is_field(&raw.tag) { clean_text(&raw.aria_label) } else { String::new() },
        placeholder: if is_field(&raw.tag) { clean_text(&raw.placeholder) } else { String::new() },
        label: if is_button_input(&raw.tag, &raw.input_type) { clean_text(&raw.button_label) } else { String::new() },
        text: if keeps { clean_text(&raw.text) } else { String::new() },
        visible: raw.visible,
        marked: raw.marked,
        children: Vec::new(),
        omitted: 0,
    }
}

fn build(raw: &RawNode, depth: usize, in_text_kind: bool, budget: &mut Budget) -> OutlineNode {
    let mut node = outline_node(raw, in_text_kind);
    budget.bytes = budget.bytes.saturating_sub(node_bytes(&node));
    budget.nodes += 1;
    let inside = in_text_kind || keeps_text(&raw.tag, &raw.role);
    for (i, child) in raw.children.iter().enumerate() {
        if depth == 0 || budget.bytes < 200 {
            let left: u32 = raw.children[i..].iter().map(count).sum();
            node.omitted += left;
            budget.omitted += left;
            break;
        }
        node.children.push(build(child, depth - 1, inside, budget));
    }
    node
}

/// The values-free outline of `raw` (the region's element), at most `max_depth` levels below it
/// and about `max_bytes` of JSON; what does not fit is counted, not copied.
pub fn outline(region: &str, raw: &RawNode, max_depth: usize, max_bytes: usize) -> Outline {
    let mut budget = Budget { bytes: max_bytes, nodes: 0, omitted: 0 };
    let root = build(raw, max_depth, false, &mut budget);
    Outline { region: clean_text(region), root, nodes: budget.nodes, omitted: budget.omitted }
}

/// What the edge reads of a candidate beyond what the locator scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateExtra {
    pub input_type: String,
    pub clickable: bool,
    /// x, y, width, height in viewport pixels.
    pub rect: (f64, f64, f64, f64),
}

/// One candidate as reported: what it is, where, and what each signal gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateReport {
    pub tag: String,
    pub role: String,
    pub id: String,
    pub classes: Vec<String>,
    pub data_se: String,
    #[serde(rename = "type")]
    pub input_type: String,
    pub visible: bool,
    pub clickable: bool,
    pub rect: [i32; 4],
    pub scores: ScoreParts,
    /// The locator's score (0 when hidden).
    pub total: u32,
    /// The accessible name, when it is a button's, link's, heading's or label's (else empty).
    pub name: String,
}

pub fn candidate_report(target: &Target, candidate: &Candidate, extra: &CandidateExtra) -> CandidateReport {
    let name_kept = keeps_text(&candidate.tag, &candidate.role) || is_field(&candidate.tag);
    let (x, y, w, h) = extra.rect;
    CandidateReport {
        tag: clean_text(&candidate.tag),
        role: clean_text(&candidate.role),
        id: clean_text(&candidate.id),
        classes: candidate.class.split_whitespace().take(12).map(clean_text).collect(),
        data_se: clean_text(&candidate.data_se),
        input_type: clean_text(&extra.input_type),
        visible: candidate.visible,
        clickable: extra.clickable,
        rect: [x.round() as i32, y.round() as i32, w.round() as i32, h.round() as i32],
        scores: locator::score_parts(target, candidate),
        total: locator::score(target, candidate),
        name: if name_kept { clean_text(&candidate.name_text) } else { String::new() },
    }
}

/// A target or probe with its best candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetReport {
    /// The target's message key, or the probe's name.
    pub label: String,
    /// `target` (the step's) or `probe` (a screen probe).
    pub kind: &'static str,
    pub min_score: u32,
    pub candidates: Vec<CandidateReport>,
    /// Candidates that some signal matched, beyond those listed.
    pub more: u32,
}

/// The up to [`TOP_CANDIDATES`] candidates that any signal matched, best first (document order
/// among equals), with their scores. `matched` is how many candidates the page had that some
/// signal matched, when the edge passes only its best ones (else `candidates.len()` or less).
pub fn target_report(label: &str, kind: &'static str, target: &Target, candidates: &[(Candidate, CandidateExtra)], matched_on_page: usize) -> TargetReport {
    let mut matched: Vec<(u32, u32, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (locator::score(target, c), locator::score_parts(target, c).sum(), i))
        .filter(|&(_, parts, _)| parts > 0)
        .collect();
    // (Unstable is enough: the index makes the order total. It spares the JS engine the stable
    // sort's 64-bit arithmetic.)
    matched.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let more = matched.len().max(matched_on_page).saturating_sub(TOP_CANDIDATES) as u32;
    let candidates = matched.iter().take(TOP_CANDIDATES).map(|&(_, _, i)| candidate_report(target, &candidates[i].0, &candidates[i].1)).collect();
    TargetReport { label: label.to_string(), kind, min_score: locator::MIN_SCORE, candidates, more }
}

/// The facts the recognizer got from the page, as copied: `site` says which half is filled.
/// The facts are the recognizer's own; what of them may leave the machine (the hash route's
/// names, a message's signals but not its words) their serialization says, in `recognize.rs`.
/// (A plain struct, not a tagged enum: serde's tagged enums cost the content script kilobytes.)
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FactsReport {
    /// `okta`, `microsoft`, or `none` (not looked at yet).
    pub site: &'static str,
    pub okta: Option<OktaFacts>,
    pub microsoft: Option<MicrosoftFacts>,
}

impl FactsReport {
    pub const NONE: FactsReport = FactsReport { site: "none", okta: None, microsoft: None };
}

pub fn okta_facts(f: &OktaFacts) -> FactsReport {
    FactsReport { site: "okta", okta: Some(f.clone()), microsoft: None }
}

pub fn microsoft_facts(f: &MicrosoftFacts) -> FactsReport {
    FactsReport { site: "microsoft", okta: None, microsoft: Some(f.clone()) }
}

/// The screen an observation names, in a word (for transitions and the report).
pub fn page_name(observation: &Observation) -> &'static str {
    match observation.page {
        Page::Microsoft(MicrosoftScreen::SignIn) => "microsoft sign-in",
        Page::Microsoft(MicrosoftScreen::Permissions) => "microsoft permissions",
        Page::Microsoft(MicrosoftScreen::NeedAdminApproval) => "microsoft need-admin-approval",
        Page::Okta(OktaPage::Other) => "okta other page",
        Page::Okta(OktaPage::AppsList) => "okta applications list",
        Page::Okta(OktaPage::App { office365: false, .. }) => "okta other app",
        Page::Okta(OktaPage::App { office365: true, view }) => match view {
            AppView::Other => "office 365 other tab",
            AppView::ProvisioningSettings => "office 365 provisioning settings",
            AppView::NoApiIntegration => "office 365 no api integration",
            AppView::IntegrationView => "office 365 integration view",
            AppView::IntegrationEdit => "office 365 integration edit",
            AppView::Unknown => "office 365 can't tell",
        },
    }
}

/// Why the flow moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The page showed another step.
    Page,
    Skip,
    /// "I'm there" on the unsure card.
    Confirm,
    /// Both check marks and the success message were confirmed.
    CheckMarks,
    SaveClicked,
    /// The stored record changed elsewhere (the popup, another tab, a reset).
    StoredChange,
    Pause,
    Resume,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    /// Milliseconds since the Unix epoch.
    pub at: f64,
    pub from: Option<StepId>,
    pub to: Option<StepId>,
    pub reason: Reason,
    /// What the page showed (for `page`), else empty.
    pub detail: &'static str,
}

/// The last [`TRANSITIONS`] flow transitions, oldest first; kept in memory only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transitions(VecDeque<Transition>);

impl Transitions {
    pub fn record(&mut self, at: f64, from: Option<StepId>, to: Option<StepId>, reason: Reason, detail: &'static str) {
        if self.0.len() == TRANSITIONS {
            self.0.pop_front();
        }
        self.0.push_back(Transition { at, from, to, reason, detail });
    }

    pub fn list(&self) -> Vec<Transition> {
        self.0.iter().cloned().collect()
    }
}

/// Where the report comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Environment {
    pub extension_version: String,
    /// `wasm` or `js` (the page), `popup`.
    pub engine: String,
    pub browser: String,
    /// The browser's language, and the language of the guide's messages.
    pub ui_language: String,
    pub messages_language: String,
    pub page_language: String,
}

/// Where the page is: host, path, hash route names, query names (OAuth error values).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Location {
    pub host: String,
    pub path: String,
    pub hash: String,
    pub query: Vec<QueryParam>,
    pub query_code: Option<u32>,
}

impl Location {
    pub fn new(host: &str, path: &str, hash: &str, pairs: &[(String, String)]) -> Location {
        Location { host: clean_text(host), path: clean_text(path), hash: hash_route(hash), query: query_params(pairs), query_code: query_code(pairs) }
    }
}

/// The in-page report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageReport {
    pub format: u32,
    pub kind: &'static str,
    pub environment: Environment,
    pub org: Option<String>,
    pub step: Option<StepId>,
    pub state: String,
    /// The screen the last look named.
    pub screen: &'static str,
    pub location: Location,
    pub facts: FactsReport,
    pub targets: Vec<TargetReport>,
    pub outline: Option<Outline>,
    pub transitions: Vec<Transition>,
}

/// What the popup knows of one org.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PopupReport {
    pub format: u32,
    pub kind: &'static str,
    pub environment: Environment,
    pub org: String,
    /// Why the stored record could not be read, when it could not.
    pub unreadable: Option<String>,
    pub progress: Option<ProgressReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressReport {
    pub step: StepId,
    pub started_at: f64,
    pub updated_at: f64,
    pub finished_at: Option<f64>,
    pub paused: bool,
    pub consented: bool,
    /// Accept clicked in Microsoft's window, its answer not yet seen in Okta.
    pub accepted: bool,
    pub verified: bool,
    pub save_clicked: bool,
    pub dismissed: bool,
    pub notice: Option<String>,
    /// The domain of the Admin Username Okta is configured with (the name itself stays).
    pub expected_account_domain: Option<String>,
    pub history: Vec<crate::progress::StepTime>,
}

pub fn progress_report(p: &Progress) -> ProgressReport {
    ProgressReport {
        step: p.step,
        started_at: p.started_at,
        updated_at: p.updated_at,
        finished_at: p.finished_at,
        paused: p.paused,
        consented: p.consented,
        accepted: p.accepted,
        verified: p.verified,
        save_clicked: p.save_clicked,
        dismissed: p.dismissed,
        notice: p.notice.clone(),
        expected_account_domain: p.expected_account.as_deref().and_then(email_domain),
        history: p.history.clone(),
    }
}

/// The plain-text header over the JSON: what it is and what it leaves out, for the person
/// pasting it. English: it is read by the project's maintainers.
pub fn header(environment: &Environment, org: Option<&str>, step: Option<StepId>, state: &str, location: Option<&Location>) -> String {
    let mut lines = vec![
        "Office 365 Re-authentication Guide: diagnostics".to_string(),
        format!("Extension {} · engine {} · {} · UI {} · page {}", environment.extension_version, environment.engine, environment.browser, environment.ui_language, environment.page_language),
        format!("Org {} · step {} · state {}", org.unwrap_or("none"), step.map_or("none", StepId::as_str), state),
    ];
    if let Some(l) = location {
        lines.push(format!("Page {}{}", l.host, l.path));
    }
    lines.push("No passwords, codes, typed values or page texts other than button, link, heading and label texts; e-mail addresses are cut to their domain.".to_string());
    lines.push("Attach this to an issue in the project's tracker.".to_string());
    lines.join("\n")
}

/// The report's JSON as `JSON.stringify(value, null, 2)` writes it, made in the engine: one
/// string, instead of a JS object per field for the browser to stringify.
pub fn json<T: Serialize>(value: &T) -> Result<String, crate::json::Error> {
    crate::json::to_string_pretty(value)
}

/// The copied text: the header, then the JSON between its markers.
pub fn document(header: &str, json: &str) -> String {
    format!("{header}\n\n{JSON_BEGIN}\n{json}\n{JSON_END}\n")
}

/// The JSON inside a copied text.
pub fn json_block(text: &str) -> Option<&str> {
    let start = text.find(JSON_BEGIN)? + JSON_BEGIN.len();
    let end = text[start..].find(JSON_END)? + start;
    Some(text[start..end].trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::{Message, Tone};

    #[test]
    fn only_buttons_links_headings_and_labels_keep_their_text() {
        for (tag, role) in [("button", ""), ("a", ""), ("h2", ""), ("label", ""), ("div", "button"), ("span", "link"), ("div", "heading")] {
            assert!(keeps_text(tag, role), "{tag} {role}");
        }
        for (tag, role) in [("div", ""), ("p", ""), ("span", ""), ("td", ""), ("input", "textbox"), ("div", "alert"), ("li", "")] {
            assert!(!keeps_text(tag, role), "{tag} {role}");
        }
        // In the outline: text inside a button (its span) stays, a paragraph's does not.
        let raw = RawNode {
            tag: "form".into(),
            children: vec![
                RawNode { tag: "p".into(), text: "Signed in as admin@acme.example".into(), visible: true, ..RawNode::default() },
                RawNode {
                    tag: "button".into(),
                    visible: true,
                    children: vec![RawNode { tag: "span".into(), text: "Save".into(), visible: true, ..RawNode::default() }],
                    ..RawNode::default()
                },
                RawNode { tag: "label".into(), text: "Username for bob@corp.example".into(), visible: true, ..RawNode::default() },
            ],
            visible: true,
            ..RawNode::default()
        };
        let o = outline("form", &raw, OUTLINE_DEPTH, OUTLINE_BYTES);
        assert_eq!(o.root.children[0].text, "");
        assert_eq!(o.root.children[1].children[0].text, "Save");
        assert_eq!(o.root.children[2].text, "Username for …@corp.example");
    }

    #[test]
    fn an_inputs_value_is_never_copied_and_its_label_only_for_fields() {
        let field = Candidate { tag: "input".into(), role: "textbox".into(), name_text: "password".into(), visible: true, ..Candidate::default() };
        let report = candidate_report(&Target::EMPTY, &field, &CandidateExtra::default());
        assert_eq!(report.name, "password");
        // A container's accessible name is its whole text: not copied.
        let panel = Candidate { tag: "div".into(), name_text: "admin@acme.example signed in".into(), visible: true, ..Candidate::default() };
        assert_eq!(candidate_report(&Target::EMPTY, &panel, &CandidateExtra::default()).name, "");
        // The outline of a field: its placeholder and label, no text (the edge reads no value).
        let raw = RawNode { tag: "input".into(), input_type: "password".into(), placeholder: "Password".into(), text: "x".into(), visible: true, ..RawNode::default() };
        let node = outline("form", &raw, 3, OUTLINE_BYTES).root;
        assert_eq!((node.placeholder.as_str(), node.text.as_str()), ("Password", ""));
        // A button input's label is kept; a text field's "label" never (the edge reads none).
        let submit = RawNode { tag: "input".into(), input_type: "submit".into(), button_label: "Save".into(), visible: true, ..RawNode::default() };
        assert_eq!(outline("form", &submit, 3, OUTLINE_BYTES).root.label, "Save");
        let text = RawNode { tag: "input".into(), input_type: "text".into(), button_label: "typed".into(), visible: true, ..RawNode::default() };
        assert_eq!(outline("form", &text, 3, OUTLINE_BYTES).root.label, "");
        // A placeholder on anything else is not a field's label.
        let div = RawNode { tag: "div".into(), placeholder: "secret".into(), aria_label: "secret".into(), visible: true, ..RawNode::default() };
        let node = outline("div", &div, 3, OUTLINE_BYTES).root;
        assert_eq!((node.placeholder.as_str(), node.aria_label.as_str()), ("", ""));
    }

    #[test]
    fn query_values_are_kept_only_for_the_oauth_error_fields() {
        let pairs: Vec<(String, String)> = [
            ("code", "0.AAAA-secret-code"),
            ("state", "xyz"),
            ("error", "access_denied"),
            ("error_description", "AADSTS65004: User admin@acme.example declined to consent"),
            ("login_hint", "admin@acme.example"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let params = query_params(&pairs);
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["code", "state", "error", "error_description", "login_hint"]);
        assert_eq!(params[0].value, None);
        assert_eq!(params[1].value, None);
        assert_eq!(params[2].value.as_deref(), Some("access_denied"));
        assert_eq!(params[3].value.as_deref(), Some("AADSTS65004: User …@acme.example declined to consent"));
        assert_eq!(params[4].value, None);
        assert_eq!(query_code(&pairs), Some(65004));
        let json = serde_json::to_string(&params).unwrap();
        assert!(!json.contains("secret") && !json.contains("xyz") && !json.contains("admin@"), "{json}");
    }

    fn wide_tree(rows: usize) -> RawNode {
        let row = |i: usize| RawNode {
            tag: "tr".into(),
            class: "row app-instance".into(),
            visible: true,
            children: vec![RawNode {
                tag: "a".into(),
                id: format!("app-link-{i}"),
                href: format!("/admin/app/x/instance/{i}/?token=secret"),
                text: format!("Application number {i}"),
                visible: true,
                ..RawNode::default()
            }],
            ..RawNode::default()
        };
        RawNode { tag: "table".into(), visible: true, children: (0..rows).map(row).collect(), ..RawNode::default() }
    }

    #[test]
    fn the_outline_stays_within_its_size_and_counts_what_it_left_out() {
        let raw = wide_tree(5_000);
        let o = outline("table", &raw, OUTLINE_DEPTH, OUTLINE_BYTES);
        let json = serde_json::to_string_pretty(&o).unwrap();
        assert!(json.len() <= OUTLINE_BYTES + 2_000, "outline is {} bytes", json.len());
        assert!(json.len() >= OUTLINE_BYTES / 2, "the budget is used: {} bytes", json.len());
        assert!(o.omitted > 0 && o.root.omitted > 0);
        assert_eq!(o.nodes + o.omitted, count(&raw));
        // Link destinations lose their query.
        assert!(!json.contains("secret"));
        // A small region is copied whole.
        let small = outline("table", &wide_tree(20), OUTLINE_DEPTH, OUTLINE_BYTES);
        assert_eq!((small.nodes, small.omitted), (41, 0));
    }

    #[test]
    fn the_outline_stops_at_its_depth() {
        let mut raw = RawNode { tag: "span".into(), visible: true, ..RawNode::default() };
        for _ in 0..50 {
            raw = RawNode { tag: "div".into(), visible: true, children: vec![raw], ..RawNode::default() };
        }
        let o = outline("div", &raw, OUTLINE_DEPTH, OUTLINE_BYTES);
        let mut depth = 0;
        let mut node = &o.root;
        while let Some(child) = node.children.first() {
            depth += 1;
            node = child;
        }
        assert_eq!(depth, OUTLINE_DEPTH);
        assert_eq!(node.omitted, 51 - OUTLINE_DEPTH as u32 - 1);
    }

    #[test]
    fn the_transitions_ring_keeps_the_last_twenty_with_their_reasons() {
        let mut ring = Transitions::default();
        let steps = StepId::ALL;
        for i in 0..25 {
            let reason = if i % 2 == 0 { Reason::Page } else { Reason::Skip };
            ring.record(i as f64, Some(steps[i % 15]), Some(steps[(i + 1) % 15]), reason, "x");
        }
        let list = ring.list();
        assert_eq!(list.len(), TRANSITIONS);
        assert_eq!(list[0].at, 5.0);
        assert_eq!(list[19].at, 24.0);
        assert_eq!(list[19].reason, Reason::Page);
        let json = serde_json::to_string(&list[0]).unwrap();
        assert!(json.contains("\"reason\":\"skip\""), "{json}");
    }

    #[test]
    fn candidates_are_the_top_ten_by_score_with_each_signal() {
        let save = crate::roadmap::SAVE;
        let button = |text: &str, id: &str| Candidate { tag: "button".into(), role: "button".into(), name_text: text.into(), id: id.into(), visible: true, ..Candidate::default() };
        let mut all: Vec<(Candidate, CandidateExtra)> = (0..15).map(|i| (button(&format!("other {i}"), ""), CandidateExtra::default())).collect();
        all.push((button("save", "userMgmtSettings.button.submit"), CandidateExtra { clickable: true, rect: (10.4, 20.6, 80.0, 30.0), ..CandidateExtra::default() }));
        all.push((Candidate { tag: "div".into(), ..Candidate::default() }, CandidateExtra::default()));
        let report = target_report("targetSave", "target", &save, &all, 0);
        assert_eq!(target_report("targetSave", "target", &save, &all[..10], 16).more, 6, "the edge passes its best, and how many matched");
        assert_eq!(report.candidates.len(), TOP_CANDIDATES);
        assert_eq!(report.more, 6, "16 buttons match (by role at least), the div nothing: 10 listed");
        let best = &report.candidates[0];
        assert_eq!((best.id.as_str(), best.rect, best.clickable), ("userMgmtSettings.button.submit", [10, 21, 80, 30], true));
        assert_eq!(best.total, best.scores.sum());
        assert!(best.scores.id > 0 && best.scores.text > 0 && best.scores.role > 0);
    }

    #[test]
    fn the_copied_text_is_a_header_and_the_json_between_markers() {
        let env = Environment { extension_version: "0.1.0".into(), engine: "wasm".into(), browser: browser_name("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.7339.80 Safari/537.36"), ..Environment::default() };
        assert_eq!(env.browser, "Chrome 140.0");
        assert_eq!(browser_name("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"), "Firefox 128.0");
        assert_eq!(browser_name("… Chrome/140.0.0.0 Safari/537.36 Edg/140.0.3485.54"), "Edge 140.0");
        let location = Location::new("acme-admin.okta.com", "/admin/app/office365/instance/0oa1/", "#tab-user-management", &[]);
        let head = header(&env, Some("acme.okta.com"), Some(StepId::TestApi), "not-found", Some(&location));
        assert!(head.contains("step test-api · state not-found") && head.contains("acme-admin.okta.com/admin/app"), "{head}");
        let text = document(&head, "{\n  \"format\": 1\n}");
        assert!(text.starts_with("Office 365 Re-authentication Guide: diagnostics\n"));
        assert_eq!(json_block(&text), Some("{\n  \"format\": 1\n}"));
        assert_eq!(json_block("no markers"), None);
    }

    #[test]
    fn the_reports_json_is_what_json_stringify_would_write() {
        let save = crate::roadmap::SAVE;
        let button = Candidate { tag: "button".into(), role: "button".into(), name_text: "save \"now\"".into(), id: "userMgmtSettings.button.submit".into(), visible: true, ..Candidate::default() };
        let mut transitions = Transitions::default();
        transitions.record(1_733_140_000_123.0, Some(StepId::TestApi), Some(StepId::Save), Reason::CheckMarks, "");
        let report = PageReport {
            format: FORMAT,
            kind: "page",
            environment: Environment { extension_version: "0.1.0".into(), engine: "js".into(), ..Environment::default() },
            org: Some("acme.okta.com".into()),
            step: Some(StepId::Save),
            state: "highlighting".into(),
            screen: "office 365 integration edit",
            location: Location::new("acme-admin.okta.com", "/admin/app/office365/instance/0oa1/", "#tab-user-management", &[("error".into(), "access_denied".into())]),
            facts: okta_facts(&OktaFacts { save_button: true, ..OktaFacts::default() }),
            targets: vec![target_report("targetSave", "target", &save, &[(button, CandidateExtra { clickable: true, rect: (1.0, 2.0, 3.0, 4.0), ..CandidateExtra::default() })], 0)],
            outline: Some(outline("form", &wide_tree(3), OUTLINE_DEPTH, OUTLINE_BYTES)),
            transitions: transitions.list(),
        };
        let ours = json(&report).unwrap();
        // serde_json writes the same layout (JSON.stringify's, two spaces); its floats keep a
        // `.0` where JavaScript writes none, which is the only difference.
        let theirs = serde_json::to_string_pretty(&report).unwrap().replace("1733140000123.0", "1733140000123");
        assert_eq!(ours, theirs);
        assert!(ours.contains("\n  \"transitions\": [\n    {\n      \"at\": 1733140000123,"), "{ours}");
    }

    #[test]
    fn the_popup_report_names_the_accounts_domain_only() {
        let mut p = Progress::new("acme.okta.com", 1.0);
        p.expected_account = Some("admin@acme.onmicrosoft.com".into());
        p.account_used = Some("admin@acme.onmicrosoft.com".into());
        let json = serde_json::to_string(&progress_report(&p)).unwrap();
        assert!(json.contains("\"expected_account_domain\":\"acme.onmicrosoft.com\""), "{json}");
        assert!(!json.contains("admin@"), "{json}");
    }

    #[test]
    fn messages_are_reported_by_their_signals_not_their_words() {
        let m = Message { role: "alert".into(), class: "o-form-error".into(), icon: Tone::Failure, text: "aadsts50126: invalid username or password for admin@acme.example".into() };
        let facts = OktaFacts { messages: vec![m], hash: "tab-user-management/api-credentials".into(), ..OktaFacts::default() };
        let json = serde_json::to_string(&okta_facts(&facts)).unwrap();
        assert!(json.contains("\"code\":50126") && json.contains("\"tone\":\"failure\"") && json.contains("\"site\":\"okta\""), "{json}");
        assert!(json.contains("\"icon\":\"failure\"") && json.contains("\"text_chars\":64"), "{json}");
        assert!(!json.contains("admin") && !json.contains("invalid username"), "{json}");
    }

    #[test]
    fn the_recognizers_facts_are_copied_whole_and_without_page_text() {
        // What the page could put into the facts: a message's words (an address, a secret the
        // admin pasted into a field that echoes it), a hash with values, classes with an address.
        let secret = "Hunter2-s3cret";
        let message = |text: &str| Message { role: "status".into(), class: "infobox admin@acme.example".into(), icon: Tone::Neutral, text: text.into() };
        let facts = OktaFacts {
            hash: format!("tab-user-management/api-credentials?token={secret}&user=admin@acme.example"),
            read_mode_form: true,
            check_marks: 2,
            messages: vec![message(&format!("signed in as admin@acme.example with password {secret}")), message("was verified successfully")],
            ..OktaFacts::default()
        };
        let json = serde_json::to_string(&okta_facts(&facts)).unwrap();
        for leak in [secret, "admin@", "signed in", "with password", "verified"] {
            assert!(!json.contains(leak), "{leak} in {json}");
        }
        // The route's names stay, and every fact the recognizer weighs is there.
        assert!(json.contains("\"hash\":\"tab-user-management/api-credentials?token&user\""), "{json}");
        assert!(json.contains("\"read_mode_form\":true") && json.contains("\"check_marks\":2") && json.contains("\"tone\":\"success\""), "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["okta"]["messages"][0]["class"], "infobox …@acme.example");

        let microsoft = MicrosoftFacts { pgid: format!("ConvergedError admin@acme.example {secret}"), error_code: Some(50126), sign_in_control: true, ..MicrosoftFacts::default() };
        let json = serde_json::to_string(&microsoft_facts(&microsoft)).unwrap();
        assert!(!json.contains("admin@"), "{json}");
        assert!(json.contains("\"error_code\":50126") && json.contains("\"sign_in_control\":true") && json.contains("\"site\":\"microsoft\""), "{json}");
    }
}
