//! The admin-console address the admin types or pastes, and where the popup sends them.

use crate::org;

/// The org key of an admin-console address as the admin may paste it: with or without
/// `https://`, path, port or the `-admin` suffix. `None` when it is not an Okta org.
pub fn org_from_address(input: &str) -> Option<String> {
    let text = input.trim();
    let rest = text.split_once("://").map_or(text, |(scheme, rest)| {
        if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") {
            rest
        } else {
            ""
        }
    });
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials in an address (`user@host`) are never meant here: refuse rather than guess.
    if authority.contains('@') {
        return None;
    }
    let host = authority.split(':').next().unwrap_or("");
    org::org_key(host)
}

/// Where the popup sends the admin for an org: its Applications list.
pub fn applications_url(org: &str) -> String {
    format!("{}/admin/apps/active", org::admin_origin(org))
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_addresses_as_pasted_name_their_org() {
        for input in [
            "https://acme-admin.okta.com/admin/dashboard",
            " acme-admin.okta.com ",
            "acme.okta.com",
            "HTTPS://ACME-admin.okta.com:443/?x=1",
            "https://acme.okta.com#frag",
        ] {
            assert_eq!(org_from_address(input).as_deref(), Some("acme.okta.com"), "{input}");
        }
        assert_eq!(org_from_address("globex-admin.oktapreview.com").as_deref(), Some("globex.oktapreview.com"));
        for bad in ["", "acme", "https://evil.example/acme-admin.okta.com", "ftp://acme.okta.com", "https://user@acme.okta.com", "login.microsoftonline.com"] {
            assert_eq!(org_from_address(bad), None, "{bad}");
        }
        assert_eq!(applications_url("acme.okta.com"), "https://acme-admin.okta.com/admin/apps/active");
    }
}
