//! The shapes the catalog is made of: products, their scopes, presets and connection
//! tests. They serialize to JSON as they are, so the UI receives exactly what the core
//! reasons about.

use serde::Serialize;

use super::parse::{self, Parts};

/// The last part of a scope: what the holder may do with the resource.
///
/// Zoho spells operations in more than one case (`READ`, `read`, and Zoho Books' own
/// list writes `Create`), and accepts them without regard to case, so parsing ignores
/// case while the catalog keeps each product's own spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// See records (`READ`).
    Read,
    /// Add records (`CREATE`).
    Create,
    /// Change records (`UPDATE`).
    Update,
    /// Remove records (`DELETE`).
    Delete,
    /// Create and change records (`WRITE`, used by Zoho Desk).
    Write,
    /// Every operation on the resource (`ALL`).
    All,
}

impl Operation {
    /// Every operation, in the order a person is offered them: seeing first, then
    /// adding and changing, then deleting and everything.
    pub const ALL_OPERATIONS: [Operation; 6] = [
        Operation::Read,
        Operation::Create,
        Operation::Update,
        Operation::Write,
        Operation::Delete,
        Operation::All,
    ];

    /// Reads an operation without regard to case (`READ`, `read` and `Read` are one
    /// operation); `None` for anything else.
    pub fn parse(text: &str) -> Option<Operation> {
        Self::ALL_OPERATIONS
            .into_iter()
            .find(|op| op.as_upper().eq_ignore_ascii_case(text))
    }

    /// The upper-case spelling most Zoho products document, e.g. `"READ"`.
    pub fn as_upper(self) -> &'static str {
        match self {
            Operation::Read => "READ",
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Write => "WRITE",
            Operation::All => "ALL",
        }
    }

    /// Whether granting it can destroy or rewrite data wholesale (delete, or
    /// everything), so the UI asks for an explicit choice.
    pub fn is_dangerous(self) -> bool {
        matches!(self, Operation::Delete | Operation::All)
    }

    /// A plain-language description of the permission on `noun`, e.g.
    /// `"See invoices"` for [`Operation::Read`] on `"invoices"`.
    pub fn describe(self, noun: &str) -> String {
        match self {
            Operation::Read => format!("See {noun}"),
            Operation::Create => format!("Create {noun}"),
            Operation::Update => format!("Change {noun}"),
            Operation::Delete => format!("Delete {noun}"),
            Operation::Write => format!("Create and change {noun}"),
            Operation::All => format!("See, create, change and delete {noun}"),
        }
    }
}

/// One scope of the catalog, spelled exactly as its product documents it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The scope string to send to Zoho, e.g. `"ZohoBooks.invoices.READ"`.
    pub scope: String,
    /// What it allows, in words an accountant uses, e.g. `"See invoices"`.
    pub label: String,
    /// The heading it is listed under, e.g. `"Invoices"`.
    pub group: String,
    /// What it allows doing.
    pub operation: Operation,
    /// Deletes, or grants everything on a resource or product: the UI must make it an
    /// explicit choice rather than a default.
    pub dangerous: bool,
    /// Documented only on the product's newer pages, not in its original OAuth guide;
    /// accounts set up under the older guide may not offer it.
    pub newer: bool,
}

impl Scope {
    /// A scope from its exact string, label and group; operation and danger are read
    /// from the string itself so they cannot disagree with it.
    ///
    /// # Panics
    /// If `scope` is not a well-formed scope: catalog entries are fixed text, and the
    /// catalog's tests build every one of them.
    pub(super) fn new(scope: &str, label: impl Into<String>, group: &str) -> Scope {
        let parts = parse::parse(scope)
            .unwrap_or_else(|problem| panic!("catalog scope {scope:?} is malformed: {problem:?}"));
        Scope {
            scope: scope.to_owned(),
            label: label.into(),
            group: group.to_owned(),
            operation: parts.operation,
            dangerous: parts.is_dangerous(),
            newer: false,
        }
    }

    /// Marks the scope as documented only on the product's newer pages.
    pub(super) fn newer(mut self) -> Scope {
        self.newer = true;
        self
    }

    pub(super) fn parts(&self) -> Parts<'_> {
        parse::parse(&self.scope).expect("catalog scopes are well-formed")
    }
}

/// The API call that proves a new connection works, and the scope it needs; the same
/// call [`crate::api::TestCall`] makes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConnectionTest {
    /// HTTP method of the call.
    pub method: &'static str,
    /// Path on the connection's `api_domain`, e.g. `"/books/v3/organizations"`.
    pub path: &'static str,
    /// The scope the call needs, e.g. `"ZohoBooks.settings.READ"`. A scope that covers
    /// it (the resource's `ALL`, or the product's full access) works as well.
    pub scope: &'static str,
    /// What the user sees when it works, e.g. "the names and IDs of your organizations".
    pub shows: &'static str,
}

/// Whether `granted` (a scope string as sent to or returned by Zoho: separated by commas
/// or spaces) includes `needed`, or a scope that covers it (the resource's `ALL`, or the
/// product's full access), in any case. `false` when `needed` is not a scope.
pub fn grants(granted: &str, needed: &str) -> bool {
    let Ok(needed) = parse::parse(needed) else {
        return false;
    };
    parse::split_list(granted)
        .filter_map(|item| parse::parse(item).ok())
        .any(|scope| scope.covers(&needed))
}

/// A ready-made selection of scopes for a common job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Preset {
    /// Identifier, unique within its product, e.g. `"read-only"`.
    pub id: &'static str,
    /// Short name, e.g. `"Read-only bookkeeping"`.
    pub name: &'static str,
    /// One sentence on what a connection with this preset can and cannot do.
    pub description: &'static str,
    /// The scopes, spelled as the catalog spells them.
    pub scopes: Vec<&'static str>,
    /// Contains at least one dangerous scope: the UI must ask before using it.
    pub dangerous: bool,
    /// Grants everything in the product.
    pub full_access: bool,
}

impl Preset {
    /// The scopes joined as Zoho expects them: comma-separated, no spaces.
    pub fn scope_string(&self) -> String {
        self.scopes.join(",")
    }
}

/// A Zoho product the assistant can connect to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Product {
    /// Stable identifier, e.g. `"books"`; saved connections refer to it.
    pub id: &'static str,
    /// Display name, e.g. `"Zoho Books"`.
    pub name: &'static str,
    /// One line on what the product is for.
    pub description: &'static str,
    /// The first part of its scopes, spelled as the product documents it, e.g.
    /// `"ZohoBooks"`, `"Desk"`, `"ZOHOPEOPLE"`.
    pub service: &'static str,
    /// The call that proves a connection works, for products that offer one. For the
    /// others, the user-info call (`AaaServer.profile.Read`, offered with every product)
    /// alone proves the token works.
    pub connection_test: Option<ConnectionTest>,
    /// Its scopes, in the order they are offered, grouped by [`Scope::group`].
    pub scopes: Vec<Scope>,
    /// Ready-made selections for common jobs.
    pub presets: Vec<Preset>,
}

/// A heading and the scopes listed under it, for showing a product's scopes by group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScopeGroup<'a> {
    /// The heading, e.g. `"Invoices"`.
    pub name: &'a str,
    /// The scopes under it, in catalog order.
    pub scopes: Vec<&'a Scope>,
}

impl Product {
    /// The catalog entry for `scope`, matched without regard to case.
    pub fn scope(&self, scope: &str) -> Option<&Scope> {
        self.scopes
            .iter()
            .find(|s| s.scope.eq_ignore_ascii_case(scope))
    }

    /// The scopes by group, groups in the order they first appear in the catalog.
    pub fn groups(&self) -> Vec<ScopeGroup<'_>> {
        let mut groups: Vec<ScopeGroup<'_>> = Vec::new();
        for scope in &self.scopes {
            match groups.iter_mut().find(|g| g.name == scope.group) {
                Some(group) => group.scopes.push(scope),
                None => groups.push(ScopeGroup {
                    name: &scope.group,
                    scopes: vec![scope],
                }),
            }
        }
        groups
    }

    /// The preset with this id.
    pub fn preset(&self, id: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.id == id)
    }

    /// The scope that grants everything in the product, if it has one, e.g.
    /// `"ZohoBooks.fullaccess.all"`.
    pub fn full_access_scope(&self) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.parts().is_full_access())
    }

    /// Whether `scopes` (a scope string as sent to or returned by Zoho: separated by
    /// commas or spaces) lets the product's connection test succeed. `false` for a
    /// product without one.
    pub fn grants_connection_test(&self, scopes: &str) -> bool {
        self.connection_test
            .as_ref()
            .is_some_and(|test| grants(scopes, test.scope))
    }

    /// The scope to add so the connection test works, or `None` when `scopes` already
    /// grants it or the product has no connection test.
    pub fn missing_connection_test_scope(&self, scopes: &str) -> Option<&'static str> {
        let test = self.connection_test.as_ref()?;
        (!self.grants_connection_test(scopes)).then_some(test.scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes::product;

    #[test]
    fn operations_parse_in_any_case() {
        let cases = [
            ("READ", Some(Operation::Read)),
            ("read", Some(Operation::Read)),
            ("Read", Some(Operation::Read)),
            ("Create", Some(Operation::Create)),
            ("update", Some(Operation::Update)),
            ("DELETE", Some(Operation::Delete)),
            ("WRITE", Some(Operation::Write)),
            ("all", Some(Operation::All)),
            ("ALL", Some(Operation::All)),
            ("VIEW", None),
            ("", None),
            ("READS", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Operation::parse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn books_connection_test_is_granted_by_settings_read_or_anything_wider() {
        let books = product("books").unwrap();
        let cases = [
            ("ZohoBooks.settings.READ", true),
            ("zohobooks.settings.read", true),
            ("ZohoBooks.settings.ALL", true),
            ("ZohoBooks.fullaccess.all", true),
            ("ZohoBooks.invoices.READ,ZohoBooks.settings.READ", true),
            // Zoho's token response separates scopes with spaces.
            ("ZohoBooks.invoices.READ ZohoBooks.settings.READ", true),
            ("ZohoBooks.invoices.READ", false),
            ("ZohoBooks.invoices.ALL", false),
            ("ZohoBooks.settings.CREATE", false),
            ("ZohoInventory.settings.READ", false),
            ("ZohoBooks.settings", false),
            ("", false),
        ];
        for (scopes, granted) in cases {
            assert_eq!(books.grants_connection_test(scopes), granted, "{scopes:?}");
            assert_eq!(
                books.missing_connection_test_scope(scopes),
                (!granted).then_some("ZohoBooks.settings.READ"),
                "{scopes:?}"
            );
        }
    }

    #[test]
    fn other_organization_products_check_their_own_scope() {
        let cases = [
            ("inventory", "ZohoInventory.settings.READ", true),
            ("inventory", "ZohoInventory.FullAccess.all", true),
            ("inventory", "ZohoBooks.settings.READ", false),
            ("invoice", "ZohoInvoice.settings.READ", true),
            ("invoice", "ZohoInvoice.fullaccess.all", true),
            ("expense", "ZohoExpense.orgsettings.READ", true),
            ("expense", "ZohoExpense.fullaccess.ALL", true),
            ("expense", "ZohoExpense.settings.READ", false),
        ];
        for (id, scopes, granted) in cases {
            assert_eq!(
                product(id).unwrap().grants_connection_test(scopes),
                granted,
                "{id}: {scopes}"
            );
        }
    }

    #[test]
    fn crm_checks_its_org_scope() {
        let crm = product("crm").unwrap();
        assert!(crm.grants_connection_test("ZohoCRM.org.READ"));
        assert!(crm.grants_connection_test("ZohoCRM.modules.ALL,ZohoCRM.org.READ"));
        assert!(!crm.grants_connection_test("ZohoCRM.modules.ALL"));
        assert_eq!(
            crm.missing_connection_test_scope("ZohoCRM.modules.ALL"),
            Some("ZohoCRM.org.READ")
        );
    }

    #[test]
    fn products_without_a_test_never_claim_one() {
        let desk = product("desk").unwrap();
        assert!(!desk.grants_connection_test("Desk.tickets.ALL"));
        assert_eq!(desk.missing_connection_test_scope("Desk.tickets.ALL"), None);
    }

    #[test]
    fn grants_reads_any_separator_case_and_covering_scope() {
        let cases = [
            ("AaaServer.profile.Read", "AaaServer.profile.Read", true),
            ("aaaserver.profile.READ", "AaaServer.profile.Read", true),
            (
                "ZohoBooks.invoices.READ AaaServer.profile.Read",
                "AaaServer.profile.Read",
                true,
            ),
            ("ZohoBooks.invoices.ALL", "ZohoBooks.invoices.READ", true),
            ("ZohoBooks.fullaccess.all", "ZohoBooks.invoices.READ", true),
            ("ZohoBooks.invoices.READ", "AaaServer.profile.Read", false),
            ("", "AaaServer.profile.Read", false),
            ("AaaServer.profile.Read", "not a scope", false),
        ];
        for (granted, needed, expected) in cases {
            assert_eq!(
                grants(granted, needed),
                expected,
                "{granted:?} / {needed:?}"
            );
        }
    }
}
