//! Which Okta org a page belongs to, and which part of the admin console a path is.

/// Okta's admin hosts (the manifest's match list).
pub const OKTA_DOMAINS: [&str; 5] = ["okta.com", "oktapreview.com", "okta-emea.com", "okta-gov.com", "okta.mil"];

/// The org's key: its host with the admin suffix dropped, so `acme-admin.okta.com` and
/// `acme.okta.com` (where Microsoft may send the admin back) are one org.
pub fn org_key(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let (label, domain) = host.split_once('.')?;
    if label.is_empty() || !OKTA_DOMAINS.contains(&domain) {
        return None;
    }
    let label = label.strip_suffix("-admin").filter(|l| !l.is_empty()).unwrap_or(label);
    Some(format!("{label}.{domain}"))
}

/// The admin console's address for an org key.
pub fn admin_origin(org: &str) -> String {
    match org.split_once('.') {
        Some((label, domain)) => format!("https://{label}-admin.{domain}"),
        None => format!("https://{org}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    AppsList,
    App { office365: bool },
    Other,
}

/// `/admin/apps/active` is the Applications list; `/admin/app/{type}/instance/{id}/` an app.
pub fn okta_route(path: &str) -> Route {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["admin", "apps", "active" | "inactive", ..] | ["admin", "apps"] => Route::AppsList,
        ["admin", "app", kind, "instance", _id, ..] => Route::App { office365: *kind == "office365" },
        _ => Route::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_and_org_hosts_are_one_org() {
        assert_eq!(org_key("acme-admin.okta.com").as_deref(), Some("acme.okta.com"));
        assert_eq!(org_key("ACME.okta.com").as_deref(), Some("acme.okta.com"));
        assert_eq!(org_key("globex-admin.oktapreview.com").as_deref(), Some("globex.oktapreview.com"));
        assert_eq!(org_key("x-admin.okta.mil").as_deref(), Some("x.okta.mil"));
        assert_eq!(admin_origin("acme.okta.com"), "https://acme-admin.okta.com");
    }

    #[test]
    fn other_hosts_are_no_org() {
        assert_eq!(org_key("login.microsoftonline.com"), None);
        assert_eq!(org_key("okta.com.evil.example"), None);
        assert_eq!(org_key("a.b.okta.com"), None);
        assert_eq!(org_key("-admin.okta.com").as_deref(), Some("-admin.okta.com"));
    }

    #[test]
    fn routes() {
        assert_eq!(okta_route("/admin/apps/active"), Route::AppsList);
        assert_eq!(okta_route("/admin/app/office365/instance/0oa1prov365/"), Route::App { office365: true });
        assert_eq!(okta_route("/admin/app/slack/instance/0oa9/"), Route::App { office365: false });
        assert_eq!(okta_route("/admin/dashboard"), Route::Other);
        assert_eq!(okta_route("/"), Route::Other);
    }
}
