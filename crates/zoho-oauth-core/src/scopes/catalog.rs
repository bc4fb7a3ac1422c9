//! The products the assistant knows, each with its scopes spelled exactly as the
//! product's own documentation spells them, a label an accountant understands, and the
//! call that proves a connection works; and the scopes that are not any one product's
//! but go with every connection (who is connected: `AaaServer.profile.Read`).
//!
//! Sources: Zoho Books' OAuth page (its complete scope list), Zoho Payments' OAuth page,
//! Zoho Analytics' token page, and the product API pages for the rest. Zoho offers more
//! scopes than these; the validator accepts well-formed scopes that are not listed here.
//!
//! Zoho Books' scope list writes the create operation as `Create`
//! (`ZohoBooks.contacts.Create`) while its example request sends
//! `ZohoBooks.invoices.CREATE`; Zoho reads operations without regard to case, so the
//! catalog uses the upper case of the example and the validator maps either spelling
//! to it.

use std::sync::OnceLock;

use serde::Serialize;

use super::model::{Operation, Product, Scope};
use super::presets;
use crate::api::{TestCall, PROFILE_READ};

/// Every product, in the order they are offered, and the scopes offered with each.
#[derive(Debug, Serialize)]
pub struct Catalog {
    /// The products, Zoho Books first.
    pub products: Vec<Product>,
    /// Scopes of Zoho's accounts server rather than of a product, offered with every
    /// product (and in every preset): who is connected.
    pub common: Vec<Scope>,
}

impl Catalog {
    /// The product with this id, e.g. `"books"`.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// The common scope `scope`, matched without regard to case.
    pub fn common_scope(&self, scope: &str) -> Option<&Scope> {
        self.common
            .iter()
            .find(|s| s.scope.eq_ignore_ascii_case(scope))
    }

    /// The product whose scopes start with `service`, matched without regard to case
    /// (`zohobooks` finds Zoho Books).
    pub fn product_for_service(&self, service: &str) -> Option<&Product> {
        self.products
            .iter()
            .find(|p| p.service.eq_ignore_ascii_case(service))
    }

    /// The product and catalog entry for `scope`, matched without regard to case.
    pub fn find_scope(&self, scope: &str) -> Option<(&Product, &Scope)> {
        self.products
            .iter()
            .find_map(|p| p.scope(scope).map(|s| (p, s)))
    }
}

/// The catalog, built once on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(build)
}

/// Every product, Zoho Books first.
pub fn products() -> &'static [Product] {
    &catalog().products
}

/// The product with this id, e.g. `"books"`.
pub fn product(id: &str) -> Option<&'static Product> {
    catalog().product(id)
}

/// The product and catalog entry for `scope`, matched without regard to case.
pub fn find_scope(scope: &str) -> Option<(&'static Product, &'static Scope)> {
    catalog().find_scope(scope)
}

/// The scopes offered with every product.
pub fn common_scopes() -> &'static [Scope] {
    &catalog().common
}

fn build() -> Catalog {
    let mut products = vec![
        books(),
        payments(),
        analytics(),
        crm(),
        inventory(),
        invoice(),
        expense(),
        desk(),
        projects(),
        people(),
        workdrive(),
        mail(),
    ];
    for product in &mut products {
        product.presets = presets::for_product(product);
    }
    Catalog {
        products,
        common: common(),
    }
}

/// The user-info call works for every product's tokens and shows who is connected, so
/// that an accountant sees at once that they signed in with the wrong Zoho account. It
/// reads the user's name and e-mail address, nothing of any product's data.
fn common() -> Vec<Scope> {
    vec![Scope::new(
        PROFILE_READ,
        "Show which Zoho user is connected",
        "Your Zoho account",
    )]
}

const READ_CREATE_UPDATE_DELETE: [&str; 4] = ["READ", "CREATE", "UPDATE", "DELETE"];
const READ_CREATE_UPDATE_DELETE_ALL: [&str; 5] = ["READ", "CREATE", "UPDATE", "DELETE", "ALL"];

/// One scope per operation on a resource, labelled from the operation and `noun`.
fn resource(service: &str, name: &str, noun: &str, group: &str, operations: &[&str]) -> Vec<Scope> {
    operations
        .iter()
        .map(|op| {
            let operation = Operation::parse(op).expect("catalog operations are known");
            Scope::new(
                &format!("{service}.{name}.{op}"),
                operation.describe(noun),
                group,
            )
        })
        .collect()
}

/// Zoho Books' documented resources: (scope name, what it covers, group heading).
const BOOKS_RESOURCES: [(&str, &str, &str); 15] = [
    ("contacts", "customers and vendors", "Customers and vendors"),
    (
        "settings",
        "settings: items, taxes, currencies and users",
        "Settings, items and taxes",
    ),
    ("estimates", "estimates", "Estimates"),
    ("invoices", "invoices", "Invoices"),
    ("customerpayments", "customer payments", "Customer payments"),
    ("creditnotes", "credit notes", "Credit notes"),
    ("projects", "projects and timesheets", "Projects"),
    ("expenses", "expenses", "Expenses"),
    ("salesorders", "sales orders", "Sales orders"),
    ("purchaseorders", "purchase orders", "Purchase orders"),
    ("bills", "bills", "Bills"),
    ("debitnotes", "debit notes", "Debit notes"),
    ("vendorpayments", "vendor payments", "Vendor payments"),
    ("banking", "bank accounts and transactions", "Banking"),
    (
        "accountants",
        "the chart of accounts and journals",
        "Chart of accounts and journals",
    ),
];

fn books() -> Product {
    let mut scopes: Vec<Scope> = BOOKS_RESOURCES
        .iter()
        .flat_map(|(name, noun, group)| {
            resource(
                "ZohoBooks",
                name,
                noun,
                group,
                &READ_CREATE_UPDATE_DELETE_ALL,
            )
        })
        .collect();
    scopes.push(Scope::new(
        "ZohoBooks.fullaccess.all",
        "Everything in Zoho Books",
        "Full access",
    ));
    Product {
        id: "books",
        name: "Zoho Books",
        description: "Accounting: invoices, bills, banking and the rest of your books.",
        service: "ZohoBooks",
        connection_test: Some(TestCall::Books.connection_test()),
        scopes,
        presets: Vec::new(),
    }
}

fn payments() -> Product {
    let scopes = vec![
        Scope::new("ZohoPay.payments.READ", "See payments", "Payments"),
        Scope::new("ZohoPay.payments.CREATE", "Take new payments", "Payments"),
        Scope::new("ZohoPay.payments.UPDATE", "Change payments", "Payments"),
        Scope::new("ZohoPay.refunds.READ", "See refunds", "Refunds"),
        Scope::new("ZohoPay.refunds.CREATE", "Refund payments", "Refunds"),
        Scope::new("ZohoPay.customers.READ", "See customers", "Customers").newer(),
        Scope::new("ZohoPay.customers.CREATE", "Add customers", "Customers").newer(),
        Scope::new(
            "ZohoPay.paymentmethods.READ",
            "See customers' saved cards and bank accounts",
            "Saved payment methods",
        )
        .newer(),
        Scope::new(
            "ZohoPay.paymentmethods.CREATE",
            "Save customers' cards and bank accounts",
            "Saved payment methods",
        )
        .newer(),
        Scope::new(
            "ZohoPay.payouts.READ",
            "See payouts to your bank account",
            "Payouts",
        )
        .newer(),
    ];
    Product {
        id: "payments",
        name: "Zoho Payments",
        description: "Taking card and bank payments online, and refunding them.",
        service: "ZohoPay",
        connection_test: None,
        scopes,
        presets: Vec::new(),
    }
}

fn analytics() -> Product {
    let structure = "Workspaces and structure";
    let people = "Users and sharing";
    let scopes = vec![
        Scope::new(
            "ZohoAnalytics.metadata.read",
            "See workspaces, tables and reports (names and layout, not the data)",
            structure,
        ),
        Scope::new(
            "ZohoAnalytics.data.read",
            "See the data in tables and reports",
            "Data",
        ),
        Scope::new(
            "ZohoAnalytics.data.create",
            "Add rows and import data",
            "Data",
        ),
        Scope::new("ZohoAnalytics.data.update", "Change rows", "Data"),
        Scope::new(
            "ZohoAnalytics.data.all",
            "See, add, change and delete data",
            "Data",
        ),
        Scope::new(
            "ZohoAnalytics.modeling.create",
            "Create workspaces, tables, reports and dashboards",
            "Modeling",
        ),
        Scope::new(
            "ZohoAnalytics.usermanagement.read",
            "See the users of the account",
            people,
        ),
        Scope::new(
            "ZohoAnalytics.share.create",
            "Share reports and dashboards with other people",
            people,
        ),
    ];
    Product {
        id: "analytics",
        name: "Zoho Analytics",
        description: "Reports, dashboards and the data behind them.",
        service: "ZohoAnalytics",
        connection_test: None,
        scopes,
        presets: Vec::new(),
    }
}

fn crm() -> Product {
    let bulk = "Bulk import and export";
    let account = "Users and organization";
    let mut scopes = resource(
        "ZohoCRM",
        "modules",
        "records (leads, contacts, deals and other modules)",
        "Records",
        &READ_CREATE_UPDATE_DELETE_ALL,
    );
    scopes.extend(resource(
        "ZohoCRM",
        "settings",
        "settings, fields and layouts",
        "Settings",
        &["READ", "ALL"],
    ));
    scopes.extend([
        Scope::new("ZohoCRM.users.READ", "See users", account),
        Scope::new("ZohoCRM.org.READ", "See organization details", account),
        Scope::new("ZohoCRM.bulk.READ", "Export records in bulk", bulk),
        Scope::new("ZohoCRM.bulk.CREATE", "Import records in bulk", bulk),
        Scope::new(
            "ZohoCRM.bulk.ALL",
            "Export and import records in bulk",
            bulk,
        ),
        Scope::new(
            "ZohoCRM.coql.READ",
            "Search records with queries (COQL)",
            "Queries",
        ),
    ]);
    Product {
        id: "crm",
        name: "Zoho CRM",
        description: "Leads, contacts, deals and the rest of your sales pipeline.",
        service: "ZohoCRM",
        connection_test: Some(TestCall::Crm.connection_test()),
        scopes,
        presets: Vec::new(),
    }
}

fn inventory() -> Product {
    let mut scopes = vec![Scope::new(
        "ZohoInventory.settings.READ",
        "See settings: organizations, taxes, currencies and users",
        "Settings",
    )];
    for (name, noun, group) in [
        ("contacts", "customers and vendors", "Customers and vendors"),
        ("items", "items and stock", "Items"),
        ("salesorders", "sales orders", "Sales orders"),
        ("purchaseorders", "purchase orders", "Purchase orders"),
    ] {
        scopes.extend(resource(
            "ZohoInventory",
            name,
            noun,
            group,
            &READ_CREATE_UPDATE_DELETE,
        ));
    }
    scopes.push(Scope::new(
        "ZohoInventory.FullAccess.all",
        "Everything in Zoho Inventory",
        "Full access",
    ));
    Product {
        id: "inventory",
        name: "Zoho Inventory",
        description: "Items, stock levels, and sales and purchase orders.",
        service: "ZohoInventory",
        connection_test: Some(TestCall::Inventory.connection_test()),
        scopes,
        presets: Vec::new(),
    }
}

fn invoice() -> Product {
    let mut scopes = vec![Scope::new(
        "ZohoInvoice.settings.READ",
        "See settings: organizations, items, taxes and currencies",
        "Settings",
    )];
    scopes.extend(resource(
        "ZohoInvoice",
        "contacts",
        "customers",
        "Customers",
        &READ_CREATE_UPDATE_DELETE,
    ));
    scopes.extend(resource(
        "ZohoInvoice",
        "invoices",
        "invoices",
        "Invoices",
        &READ_CREATE_UPDATE_DELETE_ALL,
    ));
    scopes.extend(resource(
        "ZohoInvoice",
        "customerpayments",
        "customer payments",
        "Payments received",
        &["READ", "CREATE"],
    ));
    scopes.push(Scope::new(
        "ZohoInvoice.fullaccess.all",
        "Everything in Zoho Invoice",
        "Full access",
    ));
    Product {
        id: "invoice",
        name: "Zoho Invoice",
        description: "Invoices, quotes and payments received, for small businesses.",
        service: "ZohoInvoice",
        connection_test: Some(TestCall::Invoice.connection_test()),
        scopes,
        presets: Vec::new(),
    }
}

fn expense() -> Product {
    let scopes = vec![
        Scope::new(
            "ZohoExpense.orgsettings.READ",
            "See organization settings",
            "Settings",
        ),
        Scope::new(
            "ZohoExpense.fullaccess.ALL",
            "Everything in Zoho Expense",
            "Full access",
        ),
    ];
    Product {
        id: "expense",
        name: "Zoho Expense",
        description: "Expense reports, receipts and reimbursements.",
        service: "ZohoExpense",
        connection_test: Some(TestCall::Expense.connection_test()),
        scopes,
        presets: Vec::new(),
    }
}

fn desk() -> Product {
    let mut scopes = resource(
        "Desk",
        "tickets",
        "tickets",
        "Tickets",
        &READ_CREATE_UPDATE_DELETE_ALL,
    );
    scopes.extend(resource(
        "Desk",
        "contacts",
        "customer contacts",
        "Contacts",
        &READ_CREATE_UPDATE_DELETE_ALL,
    ));
    scopes.extend([
        Scope::new(
            "Desk.basic.READ",
            "See departments, support staff and organization details",
            "Basics",
        ),
        Scope::new(
            "Desk.search.READ",
            "Search tickets, contacts and other records",
            "Search",
        ),
    ]);
    Product {
        id: "desk",
        name: "Zoho Desk",
        description: "Customer support tickets and the people who raise them.",
        service: "Desk",
        connection_test: None,
        scopes,
        presets: Vec::new(),
    }
}

fn projects() -> Product {
    let service = "ZohoProjects";
    let mut scopes = resource(service, "portals", "portals", "Portals", &["READ", "ALL"]);
    scopes.extend(resource(
        service,
        "projects",
        "projects",
        "Projects",
        &["READ", "CREATE", "UPDATE", "ALL"],
    ));
    scopes.extend(resource(
        service,
        "tasks",
        "tasks",
        "Tasks",
        &READ_CREATE_UPDATE_DELETE_ALL,
    ));
    scopes.extend(resource(
        service,
        "timesheets",
        "time logs",
        "Timesheets",
        &["READ", "CREATE", "ALL"],
    ));
    Product {
        id: "projects",
        name: "Zoho Projects",
        description: "Projects, tasks and the time spent on them.",
        service,
        connection_test: None,
        scopes,
        presets: Vec::new(),
    }
}

fn people() -> Product {
    let service = "ZOHOPEOPLE";
    let mut scopes = resource(
        service,
        "forms",
        "employee records and forms",
        "Forms and employee records",
        &["READ", "ALL"],
    );
    scopes.extend(resource(
        service,
        "employee",
        "employee details",
        "Employees",
        &["ALL"],
    ));
    scopes.extend(resource(
        service,
        "attendance",
        "attendance",
        "Attendance",
        &["ALL"],
    ));
    scopes.extend(resource(
        service,
        "leave",
        "leave",
        "Leave",
        &["READ", "ALL"],
    ));
    scopes.extend(resource(
        service,
        "timetracker",
        "time logs and timesheets",
        "Time tracking",
        &["ALL"],
    ));
    Product {
        id: "people",
        name: "Zoho People",
        description: "Employee records, attendance, leave and time tracking.",
        service,
        connection_test: None,
        scopes,
        presets: Vec::new(),
    }
}

fn workdrive() -> Product {
    let places = "Teams and folders";
    let mut scopes = vec![
        Scope::new("WorkDrive.team.READ", "See your team", places),
        Scope::new("WorkDrive.workspace.READ", "See workspaces", places),
        Scope::new("WorkDrive.teamfolders.READ", "See team folders", places),
    ];
    scopes.extend(resource(
        "WorkDrive",
        "files",
        "files and folders",
        "Files",
        &READ_CREATE_UPDATE_DELETE_ALL,
    ));
    Product {
        id: "workdrive",
        name: "Zoho WorkDrive",
        description: "Shared files and team folders.",
        service: "WorkDrive",
        connection_test: None,
        scopes,
        presets: Vec::new(),
    }
}

fn mail() -> Product {
    let mut scopes = vec![Scope::new(
        "ZohoMail.accounts.READ",
        "See mail account details",
        "Accounts",
    )];
    scopes.extend(resource(
        "ZohoMail",
        "folders",
        "mail folders",
        "Folders",
        &["READ", "ALL"],
    ));
    scopes.extend([
        Scope::new("ZohoMail.messages.READ", "Read emails", "Messages"),
        Scope::new("ZohoMail.messages.CREATE", "Send emails", "Messages"),
        Scope::new(
            "ZohoMail.messages.ALL",
            "Read, send, change and delete emails",
            "Messages",
        ),
    ]);
    scopes.extend(resource(
        "ZohoMail",
        "attachments",
        "attachments",
        "Attachments",
        &["ALL"],
    ));
    scopes.extend(resource("ZohoMail", "notes", "notes", "Notes", &["ALL"]));
    Product {
        id: "mail",
        name: "Zoho Mail",
        description: "Email: reading, sending and organizing messages.",
        service: "ZohoMail",
        connection_test: None,
        scopes,
        presets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::scopes::{parse, validate};

    /// The scope list of Zoho Books' OAuth page, as the page writes it.
    const BOOKS_PAGE_SCOPES: &str = "\
ZohoBooks.contacts.Create, ZohoBooks.contacts.UPDATE, ZohoBooks.contacts.READ, ZohoBooks.contacts.DELETE
ZohoBooks.settings.Create, ZohoBooks.settings.UPDATE, ZohoBooks.settings.READ, ZohoBooks.settings.DELETE
ZohoBooks.estimates.Create, ZohoBooks.estimates.UPDATE, ZohoBooks.estimates.READ, ZohoBooks.estimates.DELETE
ZohoBooks.invoices.Create, ZohoBooks.invoices.UPDATE, ZohoBooks.invoices.READ, ZohoBooks.invoices.DELETE
ZohoBooks.customerpayments.Create, ZohoBooks.customerpayments.UPDATE, ZohoBooks.customerpayments.READ, ZohoBooks.customerpayments.DELETE
ZohoBooks.creditnotes.Create, ZohoBooks.creditnotes.UPDATE, ZohoBooks.creditnotes.READ, ZohoBooks.creditnotes.DELETE
ZohoBooks.projects.Create, ZohoBooks.projects.UPDATE, ZohoBooks.projects.READ, ZohoBooks.projects.DELETE
ZohoBooks.expenses.Create, ZohoBooks.expenses.UPDATE, ZohoBooks.expenses.READ, ZohoBooks.expenses.DELETE
ZohoBooks.salesorders.Create, ZohoBooks.salesorders.UPDATE, ZohoBooks.salesorders.READ, ZohoBooks.salesorders.DELETE
ZohoBooks.purchaseorders.Create, ZohoBooks.purchaseorders.UPDATE, ZohoBooks.purchaseorders.READ, ZohoBooks.purchaseorders.DELETE
ZohoBooks.bills.Create, ZohoBooks.bills.UPDATE, ZohoBooks.bills.READ, ZohoBooks.bills.DELETE
ZohoBooks.debitnotes.Create, ZohoBooks.debitnotes.UPDATE, ZohoBooks.debitnotes.READ, ZohoBooks.debitnotes.DELETE
ZohoBooks.vendorpayments.Create, ZohoBooks.vendorpayments.UPDATE, ZohoBooks.vendorpayments.READ, ZohoBooks.vendorpayments.DELETE
ZohoBooks.banking.Create, ZohoBooks.banking.UPDATE, ZohoBooks.banking.READ, ZohoBooks.banking.DELETE
ZohoBooks.accountants.Create, ZohoBooks.accountants.UPDATE, ZohoBooks.accountants.READ, ZohoBooks.accountants.DELETE";

    fn all_scopes() -> impl Iterator<Item = (&'static Product, &'static Scope)> {
        products()
            .iter()
            .flat_map(|p| p.scopes.iter().map(move |s| (p, s)))
    }

    #[test]
    fn every_product_is_present_in_order() {
        let ids: Vec<&str> = products().iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [
                "books",
                "payments",
                "analytics",
                "crm",
                "inventory",
                "invoice",
                "expense",
                "desk",
                "projects",
                "people",
                "workdrive",
                "mail"
            ]
        );
        for p in products() {
            assert!(!p.name.is_empty() && !p.description.is_empty(), "{}", p.id);
            assert!(!p.scopes.is_empty(), "{} has no scopes", p.id);
            assert_eq!(product(p.id), Some(p));
        }
        assert_eq!(product("nope"), None);
    }

    #[test]
    fn no_scope_string_appears_twice_in_any_case() {
        let mut seen = HashSet::new();
        for (_, scope) in all_scopes() {
            assert!(
                seen.insert(scope.scope.to_ascii_lowercase()),
                "{} is listed twice",
                scope.scope
            );
        }
        let services: HashSet<String> = products()
            .iter()
            .map(|p| p.service.to_ascii_lowercase())
            .collect();
        assert_eq!(
            services.len(),
            products().len(),
            "two products share a service"
        );
    }

    #[test]
    fn every_scope_belongs_to_its_products_service_and_reads_back() {
        for (product, scope) in all_scopes() {
            let parts = parse::parse(&scope.scope).expect("well-formed");
            assert_eq!(parts.service, product.service, "{}", scope.scope);
            assert_eq!(parts.operation, scope.operation, "{}", scope.scope);
            assert_eq!(find_scope(&scope.scope), Some((product, scope)));
            assert_eq!(
                find_scope(&scope.scope.to_ascii_uppercase()),
                Some((product, scope))
            );
        }
    }

    #[test]
    fn books_has_every_documented_scope_and_all_and_full_access() {
        let books = product("books").unwrap();
        for (name, _, _) in BOOKS_RESOURCES {
            for op in ["CREATE", "READ", "UPDATE", "DELETE", "ALL"] {
                let scope = format!("ZohoBooks.{name}.{op}");
                assert!(
                    books.scopes.iter().any(|s| s.scope == scope),
                    "{scope} missing"
                );
            }
        }
        assert!(books.scope("ZohoBooks.fullaccess.all").is_some());
        assert_eq!(books.scopes.len(), 15 * 5 + 1);
    }

    #[test]
    fn books_page_spelling_is_accepted_and_mapped_to_the_catalog() {
        let valid = validate(BOOKS_PAGE_SCOPES).expect("the Books page's own list is valid");
        assert_eq!(valid.scopes.len(), 60);
        for scope in &valid.scopes {
            let (product, _) = find_scope(scope).expect("in the catalog");
            assert_eq!(product.id, "books");
        }
        assert!(valid
            .scopes
            .contains(&"ZohoBooks.contacts.CREATE".to_owned()));
        let respelled = valid
            .warnings
            .iter()
            .filter(|w| w.kind == crate::scopes::FindingKind::Respelled)
            .count();
        assert_eq!(respelled, 15, "one per `Create`");
        assert_eq!(valid.warnings.len(), 15);
    }

    #[test]
    fn payments_matches_its_oauth_page_and_marks_newer_scopes() {
        let payments = product("payments").unwrap();
        let documented = [
            "ZohoPay.payments.CREATE",
            "ZohoPay.payments.READ",
            "ZohoPay.payments.UPDATE",
            "ZohoPay.refunds.CREATE",
            "ZohoPay.refunds.READ",
        ];
        for scope in payments.scopes.iter() {
            assert_eq!(
                !scope.newer,
                documented.contains(&scope.scope.as_str()),
                "{} newer flag",
                scope.scope
            );
        }
        for scope in documented {
            assert!(payments.scopes.iter().any(|s| s.scope == scope), "{scope}");
        }
    }

    #[test]
    fn analytics_keeps_lower_case_operations() {
        let analytics = product("analytics").unwrap();
        let expected = [
            "ZohoAnalytics.metadata.read",
            "ZohoAnalytics.data.read",
            "ZohoAnalytics.data.create",
            "ZohoAnalytics.data.update",
            "ZohoAnalytics.data.all",
            "ZohoAnalytics.modeling.create",
            "ZohoAnalytics.usermanagement.read",
            "ZohoAnalytics.share.create",
        ];
        let actual: Vec<&str> = analytics.scopes.iter().map(|s| s.scope.as_str()).collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn scopes_keep_each_products_documented_spelling() {
        for scope in [
            "ZohoAnalytics.data.read",
            "ZOHOPEOPLE.forms.ALL",
            "Desk.tickets.READ",
            "Desk.basic.READ",
            "ZohoCRM.modules.ALL",
            "ZohoCRM.coql.READ",
            "ZohoInventory.FullAccess.all",
            "ZohoInventory.settings.READ",
            "ZohoInvoice.settings.READ",
            "ZohoExpense.fullaccess.ALL",
            "ZohoExpense.orgsettings.READ",
            "ZohoProjects.timesheets.ALL",
            "WorkDrive.files.ALL",
            "WorkDrive.teamfolders.READ",
            "ZohoMail.accounts.READ",
            "ZohoMail.notes.ALL",
        ] {
            let (_, found) = find_scope(scope).unwrap_or_else(|| panic!("{scope} missing"));
            assert_eq!(found.scope, scope);
        }
    }

    #[test]
    fn labels_speak_plainly() {
        let books = product("books").unwrap();
        let cases = [
            ("ZohoBooks.invoices.READ", "See invoices", "Invoices"),
            ("ZohoBooks.invoices.CREATE", "Create invoices", "Invoices"),
            ("ZohoBooks.invoices.UPDATE", "Change invoices", "Invoices"),
            ("ZohoBooks.invoices.DELETE", "Delete invoices", "Invoices"),
            (
                "ZohoBooks.invoices.ALL",
                "See, create, change and delete invoices",
                "Invoices",
            ),
            (
                "ZohoBooks.fullaccess.all",
                "Everything in Zoho Books",
                "Full access",
            ),
            (
                "ZohoBooks.contacts.READ",
                "See customers and vendors",
                "Customers and vendors",
            ),
        ];
        for (scope, label, group) in cases {
            let found = books.scope(scope).unwrap();
            assert_eq!(found.label, label, "{scope}");
            assert_eq!(found.group, group, "{scope}");
        }
        for (_, scope) in all_scopes() {
            assert!(
                scope.label.starts_with(|c: char| c.is_ascii_uppercase()),
                "{}: {}",
                scope.scope,
                scope.label
            );
            assert!(
                !scope.label.contains('.'),
                "{}: {}",
                scope.scope,
                scope.label
            );
            assert!(!scope.group.is_empty(), "{}", scope.scope);
        }
    }

    #[test]
    fn dangerous_means_delete_all_or_full_access() {
        let cases = [
            ("ZohoBooks.invoices.READ", false),
            ("ZohoBooks.invoices.CREATE", false),
            ("ZohoBooks.invoices.UPDATE", false),
            ("ZohoBooks.invoices.DELETE", true),
            ("ZohoBooks.invoices.ALL", true),
            ("ZohoBooks.fullaccess.all", true),
            ("ZohoAnalytics.data.all", true),
            ("ZohoAnalytics.data.create", false),
            ("ZohoInventory.FullAccess.all", true),
            ("ZohoPay.refunds.CREATE", false),
        ];
        for (scope, dangerous) in cases {
            assert_eq!(find_scope(scope).unwrap().1.dangerous, dangerous, "{scope}");
        }
        for (_, scope) in all_scopes() {
            let expected = matches!(scope.operation, Operation::Delete | Operation::All);
            assert_eq!(scope.dangerous, expected, "{}", scope.scope);
        }
    }

    #[test]
    fn products_with_a_test_call_have_a_connection_test_with_a_catalog_scope() {
        let expected = [
            (
                "books",
                "/books/v3/organizations",
                "ZohoBooks.settings.READ",
            ),
            (
                "inventory",
                "/inventory/v1/organizations",
                "ZohoInventory.settings.READ",
            ),
            (
                "invoice",
                "/invoice/v3/organizations",
                "ZohoInvoice.settings.READ",
            ),
            (
                "expense",
                "/expense/v1/organizations",
                "ZohoExpense.orgsettings.READ",
            ),
            ("crm", "/crm/v8/org", "ZohoCRM.org.READ"),
        ];
        for p in products() {
            match expected.iter().find(|(id, _, _)| *id == p.id) {
                Some((_, path, scope)) => {
                    let test = p.connection_test.as_ref().expect("has a test");
                    assert_eq!((test.method, test.path, test.scope), ("GET", *path, *scope));
                    assert_eq!(p.scope(scope).map(|s| s.scope.as_str()), Some(*scope));
                    assert!(!p.scope(scope).unwrap().dangerous);
                }
                None => assert_eq!(p.connection_test, None, "{}", p.id),
            }
        }
    }

    #[test]
    fn who_is_connected_is_a_common_scope_of_no_product() {
        let common = common_scopes();
        assert_eq!(common.len(), 1);
        let profile = &common[0];
        assert_eq!(profile.scope, "AaaServer.profile.Read");
        assert_eq!(profile.operation, Operation::Read);
        assert!(!profile.dangerous);
        assert_eq!(
            catalog().common_scope("aaaserver.PROFILE.read"),
            Some(profile)
        );
        assert!(find_scope("AaaServer.profile.Read").is_none());
        assert!(catalog().product_for_service("AaaServer").is_none());
        let valid = validate("AaaServer.profile.Read").unwrap();
        assert_eq!(valid.scope_string, "AaaServer.profile.Read");
        assert_eq!(valid.warnings, []);
    }

    #[test]
    fn books_groups_follow_the_catalog_order() {
        let books = product("books").unwrap();
        let groups = books.groups();
        assert_eq!(groups.len(), 16);
        assert_eq!(groups[0].name, "Customers and vendors");
        assert_eq!(groups[15].name, "Full access");
        let invoices = groups.iter().find(|g| g.name == "Invoices").unwrap();
        let ops: Vec<Operation> = invoices.scopes.iter().map(|s| s.operation).collect();
        assert_eq!(
            ops,
            [
                Operation::Read,
                Operation::Create,
                Operation::Update,
                Operation::Delete,
                Operation::All
            ]
        );
        let total: usize = groups.iter().map(|g| g.scopes.len()).sum();
        assert_eq!(total, books.scopes.len());
    }

    #[test]
    fn full_access_scope_is_found_where_a_product_has_one() {
        let full = |id: &str| {
            product(id)
                .unwrap()
                .full_access_scope()
                .map(|s| s.scope.as_str())
        };
        assert_eq!(full("books"), Some("ZohoBooks.fullaccess.all"));
        assert_eq!(full("inventory"), Some("ZohoInventory.FullAccess.all"));
        assert_eq!(full("invoice"), Some("ZohoInvoice.fullaccess.all"));
        assert_eq!(full("expense"), Some("ZohoExpense.fullaccess.ALL"));
        assert_eq!(full("crm"), None);
        assert_eq!(full("payments"), None);
    }

    #[test]
    fn lookups_ignore_case() {
        let catalog = catalog();
        assert_eq!(
            catalog.product_for_service("zohobooks").unwrap().id,
            "books"
        );
        assert_eq!(
            catalog.product_for_service("ZohoPeople").unwrap().id,
            "people"
        );
        assert_eq!(catalog.product_for_service("desk").unwrap().id, "desk");
        assert!(catalog.product_for_service("ZohoSign").is_none());
        let (p, s) = find_scope("zohobooks.INVOICES.read").unwrap();
        assert_eq!(
            (p.id, s.scope.as_str()),
            ("books", "ZohoBooks.invoices.READ")
        );
        assert!(find_scope("ZohoBooks.reports.READ").is_none());
    }

    #[test]
    fn serializes_for_the_ui() {
        let json = serde_json::to_value(catalog()).unwrap();
        let books = &json["products"][0];
        assert_eq!(books["id"], "books");
        assert_eq!(books["name"], "Zoho Books");
        assert_eq!(books["service"], "ZohoBooks");
        assert_eq!(books["connection_test"]["scope"], "ZohoBooks.settings.READ");
        assert_eq!(books["scopes"][0]["scope"], "ZohoBooks.contacts.READ");
        assert_eq!(books["scopes"][0]["label"], "See customers and vendors");
        assert_eq!(books["scopes"][0]["operation"], "read");
        assert_eq!(books["scopes"][0]["dangerous"], false);
        assert_eq!(books["scopes"][0]["newer"], false);
        assert_eq!(books["presets"][0]["id"], "read-only");
        assert_eq!(json["products"][3]["id"], "crm");
        assert_eq!(
            json["products"][3]["connection_test"]["path"],
            "/crm/v8/org"
        );
        assert_eq!(json["products"][1]["id"], "payments");
        assert!(json["products"][1]["connection_test"].is_null());
        assert_eq!(json["common"][0]["scope"], "AaaServer.profile.Read");
        assert_eq!(
            json["common"][0]["label"],
            "Show which Zoho user is connected"
        );
        let groups = serde_json::to_value(product("books").unwrap().groups()).unwrap();
        assert_eq!(groups[3]["name"], "Invoices");
        assert_eq!(groups[3]["scopes"][0]["scope"], "ZohoBooks.invoices.READ");
    }
}
