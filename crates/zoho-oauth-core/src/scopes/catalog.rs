//! The products the assistant knows, each with its scopes spelled exactly as the
//! product's own documentation spells them, a label an accountant understands, and the
//! call that proves a connection works.
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

use super::model::{ConnectionTest, Operation, Product, Scope};
use super::presets;

/// Every product, in the order they are offered.
#[derive(Debug, Serialize)]
pub struct Catalog {
    /// The products, Zoho Books first.
    pub products: Vec<Product>,
}

impl Catalog {
    /// The product with this id, e.g. `"books"`.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
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
    Catalog { products }
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

fn organizations_test(path: &'static str, scope: &'static str) -> Option<ConnectionTest> {
    Some(ConnectionTest {
        method: "GET",
        path,
        scope,
        shows: "the names and IDs of your organizations",
    })
}

/// Zoho Books' documented resources: (scope name, what it covers, group heading).
const BOOKS_RESOURCES: [(&str, &str, &str); 15] = [
    (
        "contacts",
        "customers and vendors",
        "Customers and vendors",
    ),
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
    (
        "banking",
        "bank accounts and transactions",
        "Banking",
    ),
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
            resource("ZohoBooks", name, noun, group, &READ_CREATE_UPDATE_DELETE_ALL)
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
        connection_test: organizations_test("/books/v3/organizations", "ZohoBooks.settings.READ"),
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
        connection_test: None,
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
        (
            "contacts",
            "customers and vendors",
            "Customers and vendors",
        ),
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
        connection_test: organizations_test(
            "/inventory/v1/organizations",
            "ZohoInventory.settings.READ",
        ),
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
        connection_test: organizations_test(
            "/invoice/v3/organizations",
            "ZohoInvoice.settings.READ",
        ),
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
        connection_test: organizations_test(
            "/expense/v1/organizations",
            "ZohoExpense.orgsettings.READ",
        ),
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
            "See departments, agents and organization details",
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
