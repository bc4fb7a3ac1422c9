//! Scope strings as Zoho takes them: a comma-separated list of `Service.scope.OPERATION`
//! entries (CRM adds a fourth part, e.g. `ZohoCRM.settings.fields.READ`). The sandbox
//! cannot know every scope of every product, so it checks the shape, which is enough to
//! catch the usual mistakes (space-separated lists, typos that drop a part, empty entries),
//! and describes each scope in plain words for the consent page.

/// OpenID Connect scopes Zoho accepts alongside product scopes.
const BARE_SCOPES: [&str; 4] = ["openid", "email", "profile", "phone"];

/// Splits and checks a scope list. Returns the entries in order, or the first entry that
/// is not a well-formed scope (`None` inside the error means the list was empty).
pub(crate) fn parse(list: &str) -> Result<Vec<String>, Option<String>> {
    if list.trim().is_empty() {
        return Err(None);
    }
    let mut scopes = Vec::new();
    for entry in list.split(',') {
        let entry = entry.trim();
        if !is_well_formed(entry) {
            return Err(Some(entry.to_owned()));
        }
        if !scopes.iter().any(|s: &String| s == entry) {
            scopes.push(entry.to_owned());
        }
    }
    Ok(scopes)
}

fn is_well_formed(entry: &str) -> bool {
    if BARE_SCOPES.contains(&entry) {
        return true;
    }
    let parts: Vec<&str> = entry.split('.').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// True when the scopes let a token list Zoho Books organizations:
/// `ZohoBooks.fullaccess.all`, `ZohoBooks.settings.READ` or `ZohoBooks.settings.ALL`,
/// with the operation in any case as Zoho accepts it.
pub(crate) fn allows_books_organizations(scopes: &[String]) -> bool {
    scopes.iter().any(|scope| {
        let parts: Vec<&str> = scope.split('.').collect();
        match parts.as_slice() {
            ["ZohoBooks", "fullaccess", op] => op.eq_ignore_ascii_case("all"),
            ["ZohoBooks", "settings", op] => {
                op.eq_ignore_ascii_case("read") || op.eq_ignore_ascii_case("all")
            }
            _ => false,
        }
    })
}

/// A plain-language line for the consent page, e.g. "See settings in Zoho Books".
pub(crate) fn describe(scope: &str) -> String {
    let parts: Vec<&str> = scope.split('.').collect();
    let (service, what, op) = match parts.as_slice() {
        [service, middle @ .., op] if !middle.is_empty() => (*service, middle.join(" "), *op),
        _ => return format!("Your basic profile ({scope})"),
    };
    let product = product_name(service);
    if what.eq_ignore_ascii_case("fullaccess") {
        return format!("Full access to everything in {product}");
    }
    let verb = match op.to_ascii_uppercase().as_str() {
        "READ" => "See",
        "CREATE" => "Create",
        "UPDATE" => "Change",
        "DELETE" => "Delete",
        "ALL" => "Full access to",
        _ => return format!("{op} {what} in {product}"),
    };
    format!("{verb} {what} in {product}")
}

fn product_name(service: &str) -> String {
    let known = [
        ("ZohoBooks", "Zoho Books"),
        ("ZohoPay", "Zoho Payments"),
        ("ZohoAnalytics", "Zoho Analytics"),
        ("ZohoCRM", "Zoho CRM"),
        ("Desk", "Zoho Desk"),
        ("ZohoInventory", "Zoho Inventory"),
        ("ZohoInvoice", "Zoho Invoice"),
        ("ZohoExpense", "Zoho Expense"),
        ("ZOHOPEOPLE", "Zoho People"),
        ("ZohoProjects", "Zoho Projects"),
        ("WorkDrive", "Zoho WorkDrive"),
        ("ZohoMail", "Zoho Mail"),
    ];
    known
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(service))
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| service.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_lists_parse_and_duplicates_collapse() {
        assert_eq!(
            parse("ZohoBooks.settings.READ, ZohoBooks.invoices.CREATE,ZohoBooks.settings.READ"),
            Ok(vec![
                "ZohoBooks.settings.READ".to_owned(),
                "ZohoBooks.invoices.CREATE".to_owned()
            ])
        );
        assert!(parse("ZohoCRM.settings.fields.READ,openid").is_ok());
    }

    #[test]
    fn malformed_lists_name_the_bad_entry() {
        assert_eq!(parse("  "), Err(None));
        assert_eq!(
            parse("ZohoBooks.settings.READ ZohoBooks.invoices.READ"),
            Err(Some(
                "ZohoBooks.settings.READ ZohoBooks.invoices.READ".to_owned()
            ))
        );
        assert_eq!(
            parse("ZohoBooks.READ"),
            Err(Some("ZohoBooks.READ".to_owned()))
        );
        assert_eq!(parse("ZohoBooks.settings.READ,"), Err(Some(String::new())));
    }

    #[test]
    fn books_organizations_need_a_settings_or_full_access_scope() {
        let ok = |s: &str| allows_books_organizations(&[s.to_owned()]);
        assert!(ok("ZohoBooks.fullaccess.all"));
        assert!(ok("ZohoBooks.fullaccess.ALL"));
        assert!(ok("ZohoBooks.settings.READ"));
        assert!(ok("ZohoBooks.settings.read"));
        assert!(ok("ZohoBooks.settings.ALL"));
        assert!(!ok("ZohoBooks.settings.CREATE"));
        assert!(!ok("ZohoBooks.invoices.READ"));
        assert!(!ok("ZohoInventory.settings.READ"));
    }

    #[test]
    fn descriptions_are_plain_words() {
        assert_eq!(
            describe("ZohoBooks.settings.READ"),
            "See settings in Zoho Books"
        );
        assert_eq!(
            describe("ZohoBooks.fullaccess.all"),
            "Full access to everything in Zoho Books"
        );
        assert_eq!(
            describe("ZohoPay.refunds.CREATE"),
            "Create refunds in Zoho Payments"
        );
        assert_eq!(describe("openid"), "Your basic profile (openid)");
    }
}
