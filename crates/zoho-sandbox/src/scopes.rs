//! Scope strings as Zoho takes them: a comma-separated list of `Service.scope.OPERATION`
//! entries (CRM adds a fourth part, e.g. `ZohoCRM.settings.fields.READ`). The sandbox
//! cannot know every scope of every product, so it checks the shape, which is enough to
//! catch the usual mistakes (space-separated lists, typos that drop a part, empty entries),
//! describes each scope in plain words for the consent page, and says which scopes grant
//! each API call the sandbox serves.

use crate::product::{Listing, Product};

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

/// One scope that grants an API call. The operation is matched in any case, as Zoho
/// takes `READ` and `read` alike; the service and the resource are matched as the
/// product documents them, except where `names_in_any_case` says Zoho's own pages spell
/// them several ways.
struct Grant {
    service: &'static str,
    resource: &'static str,
    operations: &'static [&'static str],
    names_in_any_case: bool,
}

const fn grant(
    service: &'static str,
    resource: &'static str,
    operations: &'static [&'static str],
) -> Grant {
    Grant {
        service,
        resource,
        operations,
        names_in_any_case: false,
    }
}

/// `READ` implies nothing wider; `ALL` is every operation, so it grants a read too.
const READ: &[&str] = &["READ", "ALL"];
const ALL: &[&str] = &["ALL"];

const BOOKS_ORGANIZATIONS: &[Grant] = &[
    grant("ZohoBooks", "settings", READ),
    grant("ZohoBooks", "fullaccess", ALL),
];
const INVENTORY_ORGANIZATIONS: &[Grant] = &[
    grant("ZohoInventory", "settings", READ),
    grant("ZohoInventory", "FullAccess", ALL),
];
const INVOICE_ORGANIZATIONS: &[Grant] = &[
    grant("ZohoInvoice", "settings", READ),
    grant("ZohoInvoice", "fullaccess", ALL),
];
const EXPENSE_ORGANIZATIONS: &[Grant] = &[
    grant("ZohoExpense", "orgsettings", READ),
    grant("ZohoExpense", "fullaccess", ALL),
];
const BOOKS_INVOICES: &[Grant] = &[
    grant("ZohoBooks", "invoices", READ),
    grant("ZohoBooks", "fullaccess", ALL),
];
const INVENTORY_ITEMS: &[Grant] = &[
    grant("ZohoInventory", "items", READ),
    grant("ZohoInventory", "FullAccess", ALL),
];
/// CRM's organization API documents `ZohoCRM.org.{ALL,READ}` and nothing else; the
/// settings scopes cover CRM's settings APIs, not this one.
const CRM_ORG: &[Grant] = &[grant("ZohoCRM", "org", READ)];
/// Zoho's pages write this scope `AaaServer.profile.Read`, `aaaserver.profile.READ` and
/// `Aaaserver.profile.READ`, and clients in the wild send each of them.
const USER_INFO: &[Grant] = &[Grant {
    names_in_any_case: true,
    ..grant("AaaServer", "profile", READ)
}];

fn any_grants(scopes: &[String], accepted: &[Grant]) -> bool {
    scopes.iter().any(|scope| {
        let parts: Vec<&str> = scope.split('.').collect();
        let [service, resource, operation] = parts.as_slice() else {
            return false;
        };
        accepted.iter().any(|grant| {
            let name_matches = |wanted: &str, got: &str| {
                if grant.names_in_any_case {
                    wanted.eq_ignore_ascii_case(got)
                } else {
                    wanted == got
                }
            };
            name_matches(grant.service, service)
                && name_matches(grant.resource, resource)
                && grant
                    .operations
                    .iter()
                    .any(|op| op.eq_ignore_ascii_case(operation))
        })
    })
}

/// True when the scopes let a token list the product's organizations: its settings
/// scope (`orgsettings` for Expense) with `READ` or `ALL`, or its full-access scope.
pub(crate) fn allows_organizations(product: Product, scopes: &[String]) -> bool {
    let accepted = match product {
        Product::Books => BOOKS_ORGANIZATIONS,
        Product::Inventory => INVENTORY_ORGANIZATIONS,
        Product::Invoice => INVOICE_ORGANIZATIONS,
        Product::Expense => EXPENSE_ORGANIZATIONS,
    };
    any_grants(scopes, accepted)
}

/// True when the scopes let a token read the listing: its module's `READ` or `ALL`, or
/// the product's full access.
pub(crate) fn allows_listing(listing: Listing, scopes: &[String]) -> bool {
    let accepted = match listing {
        Listing::BooksInvoices => BOOKS_INVOICES,
        Listing::InventoryItems => INVENTORY_ITEMS,
    };
    any_grants(scopes, accepted)
}

/// True when the scopes let a token read its CRM organization: `ZohoCRM.org.READ` or
/// `ZohoCRM.org.ALL`.
pub(crate) fn allows_crm_org(scopes: &[String]) -> bool {
    any_grants(scopes, CRM_ORG)
}

/// True when the scopes let a token read who it belongs to: `AaaServer.profile.Read` or
/// `.ALL`, in any case.
pub(crate) fn allows_user_info(scopes: &[String]) -> bool {
    any_grants(scopes, USER_INFO)
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
        ("AaaServer", "your Zoho account"),
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

    fn with(check: impl Fn(&[String]) -> bool, scope: &str) -> bool {
        check(&[scope.to_owned()])
    }

    #[test]
    fn books_organizations_need_a_settings_or_full_access_scope() {
        let ok = |s: &str| with(|s| allows_organizations(Product::Books, s), s);
        assert!(ok("ZohoBooks.fullaccess.all"));
        assert!(ok("ZohoBooks.fullaccess.ALL"));
        assert!(ok("ZohoBooks.settings.READ"));
        assert!(ok("ZohoBooks.settings.read"));
        assert!(ok("ZohoBooks.settings.ALL"));
        assert!(!ok("ZohoBooks.settings.CREATE"));
        assert!(!ok("ZohoBooks.fullaccess.READ"));
        assert!(!ok("ZohoBooks.invoices.READ"));
        assert!(!ok("ZohoInventory.settings.READ"));
        assert!(!ok("ZohoBooks.settings.fields.READ"));
    }

    #[test]
    fn every_product_lists_organizations_with_its_own_scope_only() {
        let cases = [
            (Product::Inventory, "ZohoInventory.settings.READ", true),
            (Product::Inventory, "ZohoInventory.settings.read", true),
            (Product::Inventory, "ZohoInventory.FullAccess.all", true),
            (Product::Inventory, "ZohoInventory.items.READ", false),
            (Product::Inventory, "ZohoBooks.settings.READ", false),
            (Product::Invoice, "ZohoInvoice.settings.READ", true),
            (Product::Invoice, "ZohoInvoice.fullaccess.all", true),
            (Product::Invoice, "ZohoInvoice.invoices.READ", false),
            (Product::Invoice, "ZohoBooks.fullaccess.all", false),
            (Product::Expense, "ZohoExpense.orgsettings.READ", true),
            (Product::Expense, "ZohoExpense.fullaccess.ALL", true),
            (Product::Expense, "ZohoExpense.settings.READ", false),
            (Product::Books, "ZohoExpense.orgsettings.READ", false),
        ];
        for (product, scope, granted) in cases {
            assert_eq!(
                with(|s| allows_organizations(product, s), scope),
                granted,
                "{product:?} {scope}"
            );
        }
    }

    #[test]
    fn listings_need_their_module_or_full_access() {
        let invoices = |s: &str| with(|s| allows_listing(Listing::BooksInvoices, s), s);
        assert!(invoices("ZohoBooks.invoices.READ"));
        assert!(invoices("ZohoBooks.invoices.ALL"));
        assert!(invoices("ZohoBooks.fullaccess.all"));
        assert!(!invoices("ZohoBooks.settings.READ"));
        assert!(!invoices("ZohoBooks.invoices.CREATE"));
        let items = |s: &str| with(|s| allows_listing(Listing::InventoryItems, s), s);
        assert!(items("ZohoInventory.items.READ"));
        assert!(items("ZohoInventory.FullAccess.all"));
        assert!(!items("ZohoInventory.settings.READ"));
        assert!(!items("ZohoBooks.fullaccess.all"));
    }

    #[test]
    fn crm_org_needs_the_org_scope() {
        assert!(with(allows_crm_org, "ZohoCRM.org.READ"));
        assert!(with(allows_crm_org, "ZohoCRM.org.ALL"));
        assert!(with(allows_crm_org, "ZohoCRM.org.read"));
        assert!(!with(allows_crm_org, "ZohoCRM.settings.ALL"));
        assert!(!with(allows_crm_org, "ZohoCRM.modules.ALL"));
        assert!(!with(allows_crm_org, "ZohoCRM.users.READ"));
    }

    #[test]
    fn user_info_takes_the_profile_scope_however_it_is_spelt() {
        for scope in [
            "AaaServer.profile.Read",
            "AaaServer.profile.READ",
            "aaaserver.profile.READ",
            "Aaaserver.profile.read",
            "AaaServer.profile.ALL",
        ] {
            assert!(with(allows_user_info, scope), "{scope}");
        }
        for scope in [
            "AaaServer.profile.UPDATE",
            "AaaServer.account.READ",
            "profile",
            "email",
        ] {
            assert!(!with(allows_user_info, scope), "{scope}");
        }
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
        assert_eq!(
            describe("AaaServer.profile.Read"),
            "See profile in your Zoho account"
        );
    }
}
