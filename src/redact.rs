//! What of a page's text may leave the machine in a diagnostics report: texts cut short with
//! their e-mail addresses reduced to the domain, hash routes without their values. Pure, and
//! below both the recognizer (whose facts serialize through it) and the report.

use serde::Serializer;

/// A kept text is cut to this many characters: a label, not a paragraph.
pub const TEXT_CHARS: usize = 120;

// Any non-ASCII character counts as a letter: Unicode's tables would cost the content script
// kilobytes, and a wider match only ever cuts more.
fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_whitespace()) || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_whitespace()) || matches!(c, '.' | '-')
}

/// Every e-mail address in `text` cut to its domain (`admin@acme.example` → `…@acme.example`).
pub fn redact_emails(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut start = 0; // first char not yet copied
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let mut left = i;
        while left > start && is_local_char(chars[left - 1]) {
            left -= 1;
        }
        let mut right = i + 1;
        while right < chars.len() && is_domain_char(chars[right]) {
            right += 1;
        }
        let domain: String = chars[i + 1..right].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        if left < i && domain.contains('.') {
            out.extend(&chars[start..left]);
            out.push_str("…@");
            out.push_str(domain);
            start = i + 1 + domain.chars().count();
            i = start;
        } else {
            i += 1;
        }
    }
    out.extend(&chars[start..]);
    out
}

/// The domain of an e-mail address (`None` for a name without one).
pub fn email_domain(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    (!domain.is_empty()).then(|| domain.to_string())
}

/// Already as [`clean_text`] makes it: short, single spaces only between words, no `@`. Most
/// copied texts are (tags, ids, classes, roles): they are copied without the work.
fn is_clean(text: &str) -> bool {
    // Bytes bound characters: at most TEXT_CHARS bytes is at most TEXT_CHARS characters.
    if text.len() > TEXT_CHARS {
        return false;
    }
    let mut after_space = true; // a leading space is not clean
    for c in text.chars() {
        if c == '@' || (c.is_whitespace() && (c != ' ' || after_space)) {
            return false;
        }
        after_space = c == ' ';
    }
    !after_space || text.is_empty()
}

/// A text as it may be copied: white space collapsed, cut short, e-mail addresses reduced.
pub fn clean_text(text: &str) -> String {
    if is_clean(text) {
        return text.to_string();
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = collapsed.chars().take(TEXT_CHARS).collect();
    redact_emails(&cut)
}

/// A hash segment that is a value, not a route name: an address, a token, a long number.
fn looks_like_value(segment: &str) -> bool {
    let digits = segment.chars().filter(char::is_ascii_digit).count();
    segment.contains('@') || segment.len() > 40 || (digits >= 6 && digits * 2 >= segment.len())
}

/// The hash route with its names and without values: `#tab-user-management/api-credentials`
/// stays, `#/user/12345678` becomes `/user/…`, `#access_token=x&state=y` becomes `access_token&state`.
pub fn hash_route(hash: &str) -> String {
    let hash = hash.trim_start_matches('#');
    let (route, params) = hash.split_once('?').unwrap_or((hash, ""));
    let names = |list: &str, sep: char| -> String {
        list.split(sep).filter(|p| !p.is_empty()).map(|p| p.split('=').next().unwrap_or_default()).collect::<Vec<_>>().join("&")
    };
    let mut out: String = if route.contains('=') {
        names(route, '&')
    } else {
        route.split('/').map(|s| if looks_like_value(s) { "…" } else { s }).collect::<Vec<_>>().join("/")
    };
    if !params.is_empty() {
        out.push('?');
        out.push_str(&names(params, '&'));
    }
    clean_text(&out)
}

/// For `#[serde(serialize_with)]`: a text as [`clean_text`] copies it.
pub fn serialize_clean<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&clean_text(text))
}

/// For `#[serde(serialize_with)]`: a hash as [`hash_route`] copies it, names without values.
pub fn serialize_hash_route<S: Serializer>(hash: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&hash_route(hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_keep_only_their_domain() {
        assert_eq!(redact_emails("Signed in as admin@acme.onmicrosoft.com."), "Signed in as …@acme.onmicrosoft.com.");
        assert_eq!(redact_emails("a.b+c@x.example, d_e@y.example"), "…@x.example, …@y.example");
        assert_eq!(redact_emails("jan.de.vries@bedrijf.nl"), "…@bedrijf.nl");
        // Not addresses: left as they are.
        assert_eq!(redact_emails("@mention and user@ and @ alone"), "@mention and user@ and @ alone");
        assert_eq!(redact_emails("no address here"), "no address here");
        assert_eq!(redact_emails("ünïcødé@exämple.com ok"), "…@exämple.com ok");
        assert!(!clean_text("Type admin@acme.onmicrosoft.com here").contains("admin"));
    }

    /// `clean_text` without its shortcut for texts that are clean already.
    fn clean_text_in_full(text: &str) -> String {
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        redact_emails(&collapsed.chars().take(TEXT_CHARS).collect::<String>())
    }

    #[test]
    fn the_shortcut_for_clean_texts_changes_nothing() {
        let long = "x".repeat(TEXT_CHARS + 1);
        let samples = [
            "", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\u{a0}b", "a@b.example", "x admin@acme.example y",
            "MuiButtonBase-root MuiButton-root", "userMgmtSettings.button.submit", "ünïcødé tëxt", &long,
        ];
        for text in samples {
            assert_eq!(clean_text(text), clean_text_in_full(text), "{text:?}");
        }
        // Every short string of these characters, too.
        let alphabet = ['a', ' ', '\t', '@', '.', 'é', '\u{a0}'];
        let mut stack = vec![String::new()];
        while let Some(text) = stack.pop() {
            assert_eq!(clean_text(&text), clean_text_in_full(&text), "{text:?}");
            if text.chars().count() < 5 {
                stack.extend(alphabet.iter().map(|c| format!("{text}{c}")));
            }
        }
    }

    #[test]
    fn hash_routes_keep_names_not_values() {
        assert_eq!(hash_route("#tab-user-management/api-credentials"), "tab-user-management/api-credentials");
        assert_eq!(hash_route("#/user/00u1234567890abcd/profile"), "/user/…/profile");
        assert_eq!(hash_route("#/user/admin@acme.example"), "/user/…");
        assert_eq!(hash_route("#access_token=eyJhbGciOi&state=abc&token_type=Bearer"), "access_token&state&token_type");
        assert_eq!(hash_route("#tab-provisioning?code=abc&x"), "tab-provisioning?code&x");
        assert_eq!(hash_route(""), "");
    }
}
