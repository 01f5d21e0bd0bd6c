//! Scores page elements against a declarative target description.
//!
//! Real consoles drift: class names change, labels are renamed or translated. A target is
//! therefore described by several independent signals (ids, attributes, role, accessible name in
//! several languages, link destination, class hints), and every visible candidate gets a score.
//! The DOM edge gathers candidates and their features; everything here is pure.

/// What the guide looks for. All text lists hold normalised text (see [`normalize`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// Message key naming the element for people ("can't find …").
    pub label: &'static str,
    /// CSS selector that gathers candidates: broad on purpose, scoring decides.
    pub query: &'static str,
    /// Element ids that identify the target outright.
    pub ids: &'static [&'static str],
    /// `name` attributes that identify it.
    pub names: &'static [&'static str],
    /// Accessible names that match exactly, in every language the consoles are shown in.
    pub texts: &'static [&'static str],
    /// Fragments of the accessible name, for labels that vary around a stable core.
    pub contains: &'static [&'static str],
    /// ARIA roles (explicit or implied by the tag) the target has.
    pub roles: &'static [&'static str],
    /// Fragments of the link destination.
    pub hrefs: &'static [&'static str],
    /// Fragments of the class attribute, a weak hint.
    pub classes: &'static [&'static str],
    /// Fragments of Okta's `data-se` (or a `data-testid`): stable test hooks, not shown to people.
    pub data_se: &'static [&'static str],
    /// A field that stops being the target once the admin has typed into it.
    pub until_input: bool,
    /// Every matching element is the target (e.g. several Office 365 instances).
    pub many: bool,
}

impl Target {
    /// Names the target by its whole description (probes have no label, and two targets may
    /// share a query): what a look keeps its candidates under.
    pub fn key(&self) -> String {
        let mut key = format!("{}|{}", self.label, self.query);
        for list in [self.ids, self.names, self.texts, self.contains, self.roles, self.hrefs, self.classes, self.data_se] {
            key.push('|');
            key.push_str(&list.join(","));
        }
        key.push_str(if self.until_input { "|i" } else { "|" });
        key.push_str(if self.many { "m" } else { "" });
        key
    }

    pub const EMPTY: Target = Target {
        label: "",
        query: "",
        ids: &[],
        names: &[],
        texts: &[],
        contains: &[],
        roles: &[],
        hrefs: &[],
        classes: &[],
        data_se: &[],
        until_input: false,
        many: false,
    };
}

/// What the DOM edge reads off one element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidate {
    pub tag: String,
    pub role: String,
    /// Normalised accessible name: aria-label, value of input buttons, or visible text.
    pub name_text: String,
    pub id: String,
    pub name_attr: String,
    pub href: String,
    pub class: String,
    /// `data-se` and `data-testid`, space-separated.
    pub data_se: String,
    /// Rendered, non-zero size, not `visibility:hidden`, inside the document's scrollable area.
    pub visible: bool,
    /// The admin has typed into this field since the step began.
    pub typed: bool,
}

/// Scores below this are not the target: one weak signal alone (a role, a class) never wins.
pub const MIN_SCORE: u32 = 40;

const SCORE_ID: u32 = 60;
const SCORE_NAME_ATTR: u32 = 40;
const SCORE_TEXT: u32 = 50;
const SCORE_CONTAINS: u32 = 40;
const SCORE_HREF: u32 = 45;
const SCORE_DATA_SE: u32 = 40;
const SCORE_ROLE: u32 = 15;
const SCORE_CLASS: u32 = 10;

/// Lower-case (ASCII here: the DOM edge has the browser lower-case other scripts first, which
/// keeps Unicode case tables out of the binary), collapse white space and drop trailing
/// punctuation, so "  Test API  Credentials " and "test api credentials" compare equal.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out.trim_matches(|c: char| matches!(c, '!' | '.' | ':' | '…' | '›' | '»' | '✓' | '✔') || c.is_whitespace())
        .to_string()
}

/// The selector of the elements that can reach [`MIN_SCORE`] for one of `targets` without
/// their text content: a signal of their own besides an id (name, link, test hook), or a name
/// that is not their text (`aria-label`, an input's value, label or placeholder). Where the
/// page's text does not mention a target, only these can be it, and a large page's other
/// elements are not read. Each target's own query is applied to what this gathers.
pub fn signal_pool(targets: &[Target]) -> String {
    // Ids are looked up first, by id.
    let mut signals = vec!["input".to_string(), "[aria-label]".to_string()];
    for target in targets {
        signals.extend(target.names.iter().map(|v| format!("[name=\"{v}\"]")));
        signals.extend(target.hrefs.iter().map(|v| format!("[href*=\"{v}\"]")));
        // Candidates carry `data-se` and `data-testid` lower-cased.
        signals.extend(target.data_se.iter().flat_map(|v| [format!("[data-se*=\"{v}\" i]"), format!("[data-testid*=\"{v}\" i]")]));
    }
    let mut unique: Vec<String> = Vec::with_capacity(signals.len());
    for signal in signals {
        if !unique.contains(&signal) {
            unique.push(signal);
        }
    }
    unique.join(", ")
}

/// `value` as a CSS identifier (for `#id`), escaped as `CSS.escape` does for what ids hold.
pub fn css_ident(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    for (i, c) in value.chars().enumerate() {
        match c {
            '0'..='9' if i == 0 => out.push_str(&format!("\\3{c} ")),
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => out.push(c),
            c if !c.is_ascii() => out.push(c),
            c => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    out
}

/// Whether a text, lower-cased but not normalised, may mention one of the target's texts: each
/// word of one of them is in it (`has` asks). Never false where [`mentions`] would be true of the
/// normalised text, so it can rule a target out without copying a page's text.
pub fn may_mention(target: &Target, has: &dyn Fn(&str) -> bool) -> bool {
    target.texts.iter().chain(target.contains.iter()).any(|t| t.split(' ').all(has))
}

/// Whether normalised `text` contains any of the target's texts: a cheap test of a whole
/// region's text before its elements are scored one by one.
pub fn mentions(target: &Target, text: &str) -> bool {
    target.texts.iter().chain(target.contains.iter()).any(|t| contains(text, t))
}

/// The ARIA role an element has, explicitly or implied by its tag and type.
pub fn implied_role(tag: &str, explicit: &str, input_type: &str, has_href: bool) -> String {
    if !explicit.is_empty() {
        return explicit.split_whitespace().next().unwrap_or_default().to_string();
    }
    match (tag, input_type) {
        ("a", _) if has_href => "link",
        ("button", _) | ("input", "button" | "submit" | "reset" | "image") => "button",
        ("input", "checkbox") => "checkbox",
        ("input", "search") => "searchbox",
        ("input", "text" | "email" | "password" | "tel" | "url" | "") | ("textarea", _) => "textbox",
        ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => "heading",
        _ => "",
    }
    .to_string()
}

/// `haystack.contains(needle)`, compared byte by byte (the same answer: both are UTF-8). `str`'s
/// own searcher carries its slicing panic, which formats with `char`'s `Debug` and Unicode tables:
/// about 9 KB of the content script. Needles are short words, haystacks labels and class lists.
pub fn contains(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else { return true };
    haystack
        .iter()
        .enumerate()
        .any(|(i, &b)| b == first && haystack.get(i + 1..i + 1 + rest.len()) == Some(rest))
}

/// What each signal gives a candidate, before visibility is asked: [`score`] is their sum, and
/// field diagnostics show them one by one (which signal drifted on a real console).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScoreParts {
    pub id: u32,
    pub name_attr: u32,
    /// The accessible name, matched exactly or by a fragment.
    pub text: u32,
    pub href: u32,
    pub data_se: u32,
    pub role: u32,
    pub class: u32,
}

impl ScoreParts {
    pub fn sum(&self) -> u32 {
        self.id + self.name_attr + self.text + self.href + self.data_se + self.role + self.class
    }
}

/// Each signal's share of `candidate`'s score, whether or not it is visible.
pub fn score_parts(target: &Target, candidate: &Candidate) -> ScoreParts {
    let mut parts = ScoreParts::default();
    if !candidate.id.is_empty() && target.ids.contains(&candidate.id.as_str()) {
        parts.id = SCORE_ID;
    }
    if !candidate.name_attr.is_empty() && target.names.contains(&candidate.name_attr.as_str()) {
        parts.name_attr = SCORE_NAME_ATTR;
    }
    let text = candidate.name_text.as_str();
    if !text.is_empty() {
        if target.texts.contains(&text) {
            parts.text = SCORE_TEXT;
        } else if target.contains.iter().any(|fragment| contains(text, fragment)) {
            parts.text = SCORE_CONTAINS;
        }
    }
    if !candidate.href.is_empty() && target.hrefs.iter().any(|h| contains(&candidate.href, h)) {
        parts.href = SCORE_HREF;
    }
    if !candidate.data_se.is_empty() && target.data_se.iter().any(|d| contains(&candidate.data_se, d)) {
        parts.data_se = SCORE_DATA_SE;
    }
    if !candidate.role.is_empty() && target.roles.contains(&candidate.role.as_str()) {
        parts.role = SCORE_ROLE;
    }
    if target.classes.iter().any(|c| contains(&candidate.class, c)) {
        parts.class = SCORE_CLASS;
    }
    parts
}

/// How well `candidate` matches `target`; 0 when it cannot be the target at all.
pub fn score(target: &Target, candidate: &Candidate) -> u32 {
    if !candidate.visible || (target.until_input && candidate.typed) {
        return 0;
    }
    score_parts(target, candidate).sum()
}

/// Indices of the target among `candidates`: the single best one, or with `many` every one that
/// scores within reach of the best. Ties go to the earlier element in document order.
pub fn pick(target: &Target, candidates: &[Candidate]) -> Vec<usize> {
    let scores: Vec<u32> = candidates.iter().map(|c| score(target, c)).collect();
    pick_scored(target, &scores)
}

/// [`pick`] over scores already given.
pub fn pick_scored(target: &Target, scores: &[u32]) -> Vec<usize> {
    let best = scores.iter().copied().max().unwrap_or(0);
    if best < MIN_SCORE {
        return Vec::new();
    }
    if target.many {
        let floor = MIN_SCORE.max(best.saturating_sub(SCORE_ROLE + SCORE_CLASS));
        (0..scores.len()).filter(|&i| scores[i] >= floor).collect()
    } else {
        scores.iter().position(|&s| s == best).into_iter().collect()
    }
}

/// An element that may draw a check mark, as the DOM edge reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IconFeatures {
    pub class: String,
    pub is_svg: bool,
    /// Normalised text content (a glyph such as ✓).
    pub text: String,
    /// Computed `color` or `fill`, as `(r, g, b)`.
    pub color: Option<(u8, u8, u8)>,
    pub visible: bool,
}

/// Reads a computed CSS colour (`rgb(r, g, b)` or `rgba(r, g, b, a)`); `None` for anything else
/// and for fully transparent colours.
pub fn parse_rgb(css: &str) -> Option<(u8, u8, u8)> {
    let css = css.trim();
    let inner = css.strip_prefix("rgba(").or_else(|| css.strip_prefix("rgb("))?.strip_suffix(')')?;
    let parts: Vec<&str> = inner.split([',', '/', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.len() < 3 {
        return None;
    }
    if let Some(alpha) = parts.get(3) {
        if alpha.chars().all(|c| matches!(c, '0' | '.' | '%')) {
            return None;
        }
    }
    // Whole channel values are enough to tell green; integer parsing keeps float parsing out.
    let channel = |p: &str| p.split('.').next()?.parse::<u32>().ok().map(|v| v.min(255) as u8);
    Some((channel(parts[0])?, channel(parts[1])?, channel(parts[2])?))
}

/// Green as people see it: clearly more green than red and blue.
pub fn is_green((r, g, b): (u8, u8, u8)) -> bool {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    g >= 90 && g - r >= 40 && g - b >= 20
}

/// A green check mark: an icon by class, SVG or glyph, with success meaning, drawn in green.
/// Two signals are needed so that a green word or a grey tick does not count.
pub fn is_check_mark(icon: &IconFeatures) -> bool {
    if !icon.visible {
        return false;
    }
    let class = icon.class.to_ascii_lowercase();
    let class_says_check = ["check", "success", "complete", "tick"].iter().any(|k| contains(&class, k));
    let glyph = icon.text.chars().any(|c| matches!(c, '✓' | '✔' | '☑' | '✅'));
    let green = icon.color.is_some_and(is_green);
    let shape = class_says_check || glyph || (icon.is_svg && contains(&class, "icon"));
    shape && (green || (class_says_check && contains(&class, "green")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_agrees_with_str_contains() {
        let haystacks = ["", "a", "icon success-16-green", "Test API Credentials", "vérifiée ✓ ok", "aaab", "ababac"];
        let needles = ["", "a", "green", "icon", "success", "✓", "é", "rifi", "aab", "abac", "Credentials!", "s-16-g"];
        for h in haystacks {
            for n in needles {
                assert_eq!(contains(h, n), h.contains(n), "{h:?} contains {n:?}");
            }
        }
    }

    const SAVE: Target = Target {
        label: "targetSave",
        query: "input,button",
        ids: &["userMgmtSettings.button.submit"],
        texts: &["save", "opslaan"],
        roles: &["button"],
        ..Target::EMPTY
    };

    fn button(text: &str) -> Candidate {
        Candidate {
            tag: "input".into(),
            role: "button".into(),
            name_text: normalize(text),
            visible: true,
            ..Candidate::default()
        }
    }

    #[test]
    fn a_region_mentions_a_target_when_any_text_or_fragment_is_in_it() {
        let verified = Target { contains: &["was verified successfully"], ..Target::EMPTY };
        let region = normalize("Integration  Microsoft Office 365 was verified   successfully! Save Cancel");
        assert!(mentions(&verified, &region));
        assert!(!mentions(&verified, &normalize("Integration Test API Credentials Save")));
        assert!(mentions(&SAVE, &normalize("Cancel Opslaan")));
        assert!(!mentions(&Target::EMPTY, &region), "a target without texts is never mentioned");
    }

    #[test]
    fn normalize_folds_case_space_and_trailing_punctuation() {
        assert_eq!(normalize("  Test API\n Credentials! "), "test api credentials");
        assert_eq!(normalize("Microsoft Office 365 was verified successfully!"), "microsoft office 365 was verified successfully");
        assert_eq!(normalize("ACCEPTEREN"), "accepteren");
    }

    #[test]
    fn text_in_any_language_identifies_the_target() {
        assert!(score(&SAVE, &button("Save")) >= MIN_SCORE);
        assert!(score(&SAVE, &button("Opslaan")) >= MIN_SCORE);
        assert!(score(&SAVE, &button("Cancel")) < MIN_SCORE);
    }

    #[test]
    fn hidden_elements_never_match() {
        let mut hidden = button("Save");
        hidden.id = "userMgmtSettings.button.submit".into();
        hidden.visible = false;
        assert_eq!(score(&SAVE, &hidden), 0);
        assert!(pick(&SAVE, &[hidden]).is_empty());
    }

    #[test]
    fn id_beats_text_when_both_exist() {
        let mut by_id = button("Submit");
        by_id.id = "userMgmtSettings.button.submit".into();
        let by_text = button("Save");
        assert_eq!(pick(&SAVE, &[by_text.clone(), by_id.clone()]), vec![1]);
        // Both signals together win over either alone.
        let mut both = by_text;
        both.id = by_id.id.clone();
        assert_eq!(pick(&SAVE, &[by_id, both]), vec![1]);
    }

    #[test]
    fn a_test_hook_identifies_a_target_without_its_words() {
        let integration = Target { data_se: &["settings-nav-integration"], texts: &["integration"], ..Target::EMPTY };
        let mut link = button("Integratie");
        assert!(score(&integration, &link) < MIN_SCORE);
        link.data_se = "settings-nav-integration".into();
        assert!(score(&integration, &link) >= MIN_SCORE);
    }

    #[test]
    fn the_score_is_the_sum_of_its_parts() {
        let mut save = button("Opslaan");
        save.id = "userMgmtSettings.button.submit".into();
        save.class = "button".into();
        let parts = score_parts(&SAVE, &save);
        assert_eq!((parts.id, parts.text, parts.role, parts.href), (SCORE_ID, SCORE_TEXT, SCORE_ROLE, 0));
        assert_eq!(score(&SAVE, &save), parts.sum());
        assert_eq!(score(&SAVE, &button("Cancel")), SCORE_ROLE);
        // Hidden: no score, but the parts still say what matched.
        save.visible = false;
        assert_eq!(score(&SAVE, &save), 0);
        assert_eq!(score_parts(&SAVE, &save), parts);
    }

    #[test]
    fn a_role_alone_is_not_enough() {
        assert!(pick(&SAVE, &[button("Delete everything")]).is_empty());
    }

    #[test]
    fn many_returns_every_match_and_single_returns_the_first_best() {
        let many = Target { many: true, hrefs: &["/admin/app/office365/instance/"], roles: &["link"], ..Target::EMPTY };
        let link = |href: &str| Candidate { tag: "a".into(), role: "link".into(), href: href.into(), visible: true, ..Candidate::default() };
        let found = pick(&many, &[link("/admin/app/office365/instance/0oa1/"), link("/admin/app/slack/instance/0oa2/"), link("/admin/app/office365/instance/0oa3/")]);
        assert_eq!(found, vec![0, 2]);
        let single = Target { many: false, ..many };
        assert_eq!(pick(&single, &[link("/admin/app/office365/instance/0oa1/"), link("/admin/app/office365/instance/0oa3/")]), vec![0]);
    }

    #[test]
    fn typed_fields_stop_being_the_target() {
        let field = Target { until_input: true, names: &["loginfmt"], ..Target::EMPTY };
        let mut email = Candidate { name_attr: "loginfmt".into(), visible: true, ..Candidate::default() };
        assert_eq!(pick(&field, std::slice::from_ref(&email)), vec![0]);
        email.typed = true;
        assert!(pick(&field, &[email]).is_empty());
    }

    #[test]
    fn implied_roles_follow_html() {
        assert_eq!(implied_role("input", "", "submit", false), "button");
        assert_eq!(implied_role("a", "", "", true), "link");
        assert_eq!(implied_role("a", "", "", false), "");
        assert_eq!(implied_role("div", "tab", "", false), "tab");
        assert_eq!(implied_role("input", "", "password", false), "textbox");
    }

    #[test]
    fn check_marks_need_shape_and_green() {
        let green_svg = IconFeatures { class: "icon success-16-green".into(), is_svg: true, color: Some((46, 125, 50)), visible: true, ..Default::default() };
        assert!(is_check_mark(&green_svg));
        let grey_tick = IconFeatures { text: "✓".into(), color: Some((120, 120, 120)), visible: true, ..Default::default() };
        assert!(!is_check_mark(&grey_tick));
        let green_glyph = IconFeatures { text: "✔".into(), color: Some((0, 128, 0)), visible: true, ..Default::default() };
        assert!(is_check_mark(&green_glyph));
        let green_word = IconFeatures { class: "label".into(), text: "ok".into(), color: Some((0, 128, 0)), visible: true, ..Default::default() };
        assert!(!is_check_mark(&green_word));
        let hidden = IconFeatures { visible: false, ..green_svg };
        assert!(!is_check_mark(&hidden));
        let red_error = IconFeatures { class: "icon error-16".into(), is_svg: true, color: Some((200, 30, 30)), visible: true, ..Default::default() };
        assert!(!is_check_mark(&red_error));
    }

    #[test]
    fn computed_colours_parse() {
        assert_eq!(parse_rgb("rgb(46, 125, 50)"), Some((46, 125, 50)));
        assert_eq!(parse_rgb("rgba(0, 128, 0, 0.8)"), Some((0, 128, 0)));
        assert_eq!(parse_rgb("rgb(0 128 0 / 50%)"), Some((0, 128, 0)));
        assert_eq!(parse_rgb("rgba(0, 0, 0, 0)"), None);
        assert_eq!(parse_rgb("green"), None);
        assert_eq!(parse_rgb("rgb(1, 2)"), None);
    }

    #[test]
    fn green_means_green() {
        assert!(is_green((46, 125, 50)));
        assert!(is_green((0, 128, 0)));
        assert!(!is_green((128, 128, 128)));
        assert!(!is_green((200, 30, 30)));
        assert!(!is_green((0, 95, 184)));
    }

    fn every_target() -> Vec<Target> {
        crate::roadmap::ALL_TARGETS.to_vec()
    }

    #[test]
    fn without_its_text_only_a_signal_of_the_pool_reaches_the_minimum() {
        // Role and class are all an element outside the pool can add to its text.
        assert!(SCORE_ROLE + SCORE_CLASS < MIN_SCORE);
        let all = every_target();
        let pool = signal_pool(&all);
        assert!(pool.starts_with("input, [aria-label], "), "{pool}");
        for target in &all {
            let own = signal_pool(std::slice::from_ref(target));
            for value in target.names.iter().chain(target.hrefs).chain(target.data_se) {
                assert!(!value.contains(['"', '\\']), "{value:?} would need escaping");
                assert!(own.contains(value) && pool.contains(value), "{value}");
            }
        }
        assert_eq!(pool.matches("[aria-label]").count(), 1, "each signal once");
    }

    #[test]
    fn every_target_has_a_key_of_its_own() {
        let all = every_target();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(a == b || a.key() != b.key(), "{} / {}", a.label, b.label);
            }
        }
        let probe = Target { contains: &["x"], ..Target::EMPTY };
        assert_ne!(probe.key(), Target { texts: &["x"], ..Target::EMPTY }.key());
    }

    #[test]
    fn ids_become_css_identifiers() {
        assert_eq!(css_ident("m-verify-button"), "m-verify-button");
        assert_eq!(css_ident("userMgmtSettings.button.submit"), "userMgmtSettings\\.button\\.submit");
        assert_eq!(css_ident("0oa1:x y"), "\\30 oa1\\:x\\ y");
        assert_eq!(css_ident("vérifier"), "vérifier");
    }

    #[test]
    fn may_mention_never_rules_out_what_the_normalised_text_mentions() {
        let dressings: [fn(&str) -> String; 5] = [
            |t| t.to_string(),
            |t| format!("Label: {}!", t.to_uppercase()),
            |t| t.replace(' ', "\u{a0}\n   "),
            |t| format!("x{}y", t.replace(' ', "\t")),
            |t| format!("«{}» …", t),
        ];
        for target in every_target() {
            for phrase in target.texts.iter().chain(target.contains) {
                for dress in dressings {
                    let lower = dress(phrase).to_lowercase();
                    assert!(mentions(&target, &normalize(&lower)), "{lower:?}");
                    assert!(may_mention(&target, &|w| lower.contains(w)), "{phrase:?} in {lower:?}");
                }
            }
            let unrelated = "users and groups";
            assert!(!may_mention(&target, &|w| unrelated.contains(w)), "{:?}", target.label);
        }
    }
}
