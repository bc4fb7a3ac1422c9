//! Ready-made scope selections for the jobs people connect Zoho for, so that an
//! accountant picks "Create and send invoices" instead of six scope strings.
//!
//! Every preset of a product with a connection test grants the scope that test needs,
//! so the call that proves the connection works never fails for want of a scope, and
//! every preset also holds `AaaServer.profile.Read`, so the app can show which Zoho user
//! is connected (for products without a test call, that is what proves the connection
//! works). Full access is always a preset of its own, marked so the UI asks before using
//! it.

use super::model::{Preset, Product};
use super::parse;
use crate::api::PROFILE_READ;

struct Spec {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    scopes: &'static [&'static str],
}

/// The presets of `product`, each with the job's scopes and then the common profile
/// scope, and their danger flags read from their scopes.
pub(super) fn for_product(product: &Product) -> Vec<Preset> {
    specs(product.id)
        .iter()
        .map(|spec| {
            let mut scopes = spec.scopes.to_vec();
            scopes.push(PROFILE_READ);
            let parts: Vec<_> = scopes
                .iter()
                .map(|scope| parse::parse(scope).expect("preset scopes are well-formed"))
                .collect();
            Preset {
                id: spec.id,
                name: spec.name,
                description: spec.description,
                scopes,
                dangerous: parts.iter().any(|p| p.is_dangerous()),
                full_access: parts.iter().any(|p| p.is_full_access()),
            }
        })
        .collect()
}

fn specs(product_id: &str) -> &'static [Spec] {
    match product_id {
        "books" => BOOKS,
        "payments" => PAYMENTS,
        "analytics" => ANALYTICS,
        "crm" => CRM,
        "inventory" => INVENTORY,
        "invoice" => INVOICE,
        "expense" => EXPENSE,
        "desk" => DESK,
        "projects" => PROJECTS,
        "people" => PEOPLE,
        "workdrive" => WORKDRIVE,
        "mail" => MAIL,
        _ => &[],
    }
}

const BOOKS: &[Spec] = &[
    Spec {
        id: "read-only",
        name: "Read-only bookkeeping",
        description: "See everything in Zoho Books (invoices, bills, banking, contacts, \
                      settings) without being able to change anything.",
        scopes: &[
            "ZohoBooks.settings.READ",
            "ZohoBooks.contacts.READ",
            "ZohoBooks.estimates.READ",
            "ZohoBooks.invoices.READ",
            "ZohoBooks.customerpayments.READ",
            "ZohoBooks.creditnotes.READ",
            "ZohoBooks.projects.READ",
            "ZohoBooks.expenses.READ",
            "ZohoBooks.salesorders.READ",
            "ZohoBooks.purchaseorders.READ",
            "ZohoBooks.bills.READ",
            "ZohoBooks.debitnotes.READ",
            "ZohoBooks.vendorpayments.READ",
            "ZohoBooks.banking.READ",
            "ZohoBooks.accountants.READ",
        ],
    },
    Spec {
        id: "invoicing",
        name: "Create and send invoices",
        description: "Look up and add customers, and create, send and change invoices. \
                      Cannot delete anything or touch bills and banking.",
        scopes: &[
            "ZohoBooks.settings.READ",
            "ZohoBooks.contacts.READ",
            "ZohoBooks.contacts.CREATE",
            "ZohoBooks.invoices.READ",
            "ZohoBooks.invoices.CREATE",
            "ZohoBooks.invoices.UPDATE",
        ],
    },
    Spec {
        id: "record-payments",
        name: "Record payments",
        description: "Record the payments customers make against their invoices, and see \
                      customers and invoices. Cannot change or delete invoices.",
        scopes: &[
            "ZohoBooks.settings.READ",
            "ZohoBooks.contacts.READ",
            "ZohoBooks.invoices.READ",
            "ZohoBooks.customerpayments.READ",
            "ZohoBooks.customerpayments.CREATE",
            "ZohoBooks.customerpayments.UPDATE",
        ],
    },
    Spec {
        id: "bills-and-expenses",
        name: "Enter bills and expenses",
        description: "Record vendors' bills, expenses and the payments made to vendors. \
                      Cannot delete anything or touch invoices and banking.",
        scopes: &[
            "ZohoBooks.settings.READ",
            "ZohoBooks.contacts.READ",
            "ZohoBooks.bills.READ",
            "ZohoBooks.bills.CREATE",
            "ZohoBooks.bills.UPDATE",
            "ZohoBooks.expenses.READ",
            "ZohoBooks.expenses.CREATE",
            "ZohoBooks.expenses.UPDATE",
            "ZohoBooks.vendorpayments.READ",
            "ZohoBooks.vendorpayments.CREATE",
        ],
    },
    Spec {
        id: "full-access",
        name: "Full access",
        description: "Everything in Zoho Books, including deleting records and changing \
                      settings. Choose it only if the tool you connect really needs it.",
        scopes: &["ZohoBooks.fullaccess.all"],
    },
];

const PAYMENTS: &[Spec] = &[
    Spec {
        id: "take-payments",
        name: "Take payments and refunds",
        description: "Take payments, change them, refund them, and see both.",
        scopes: &[
            "ZohoPay.payments.CREATE",
            "ZohoPay.payments.READ",
            "ZohoPay.payments.UPDATE",
            "ZohoPay.refunds.CREATE",
            "ZohoPay.refunds.READ",
        ],
    },
    Spec {
        id: "read-only",
        name: "Read-only",
        description: "See payments and refunds without being able to take or refund any.",
        scopes: &["ZohoPay.payments.READ", "ZohoPay.refunds.READ"],
    },
];

const ANALYTICS: &[Spec] = &[
    Spec {
        id: "read-reports",
        name: "Read reports",
        description: "See workspaces, reports and their data without changing anything.",
        scopes: &["ZohoAnalytics.metadata.read", "ZohoAnalytics.data.read"],
    },
    Spec {
        id: "import-data",
        name: "Import data",
        description: "Add and change rows and import data into existing tables. Cannot \
                      delete data or change reports.",
        scopes: &[
            "ZohoAnalytics.metadata.read",
            "ZohoAnalytics.data.read",
            "ZohoAnalytics.data.create",
            "ZohoAnalytics.data.update",
        ],
    },
];

const CRM: &[Spec] = &[
    Spec {
        id: "read-only",
        name: "Read-only CRM",
        description: "See records, settings, users and organization details without \
                      changing anything.",
        scopes: &[
            "ZohoCRM.modules.READ",
            "ZohoCRM.settings.READ",
            "ZohoCRM.users.READ",
            "ZohoCRM.org.READ",
        ],
    },
    Spec {
        id: "full",
        name: "Full CRM",
        description: "Everything with records and settings, including deleting them and \
                      bulk import and export.",
        scopes: &[
            "ZohoCRM.modules.ALL",
            "ZohoCRM.settings.ALL",
            "ZohoCRM.users.READ",
            "ZohoCRM.org.READ",
            "ZohoCRM.bulk.ALL",
            "ZohoCRM.coql.READ",
        ],
    },
];

const INVENTORY: &[Spec] = &[
    Spec {
        id: "read-only",
        name: "See stock and orders",
        description: "See items, stock, customers, vendors and orders without changing \
                      anything.",
        scopes: &[
            "ZohoInventory.settings.READ",
            "ZohoInventory.contacts.READ",
            "ZohoInventory.items.READ",
            "ZohoInventory.salesorders.READ",
            "ZohoInventory.purchaseorders.READ",
        ],
    },
    Spec {
        id: "full-access",
        name: "Full access",
        description: "Everything in Zoho Inventory, including deleting records.",
        scopes: &["ZohoInventory.FullAccess.all"],
    },
];

const INVOICE: &[Spec] = &[
    Spec {
        id: "invoicing",
        name: "Create and send invoices",
        description: "Look up and add customers, and create, send and change invoices. \
                      Cannot delete anything.",
        scopes: &[
            "ZohoInvoice.settings.READ",
            "ZohoInvoice.contacts.READ",
            "ZohoInvoice.contacts.CREATE",
            "ZohoInvoice.invoices.READ",
            "ZohoInvoice.invoices.CREATE",
            "ZohoInvoice.invoices.UPDATE",
        ],
    },
    Spec {
        id: "full-access",
        name: "Full access",
        description: "Everything in Zoho Invoice, including deleting records.",
        scopes: &["ZohoInvoice.fullaccess.all"],
    },
];

const EXPENSE: &[Spec] = &[Spec {
    id: "full-access",
    name: "Full access",
    description: "Everything in Zoho Expense, including deleting reports and changing \
                  settings.",
    scopes: &["ZohoExpense.fullaccess.ALL"],
}];

const DESK: &[Spec] = &[
    Spec {
        id: "read-tickets",
        name: "Read tickets",
        description: "See and search tickets and contacts without changing anything.",
        scopes: &[
            "Desk.tickets.READ",
            "Desk.contacts.READ",
            "Desk.basic.READ",
            "Desk.search.READ",
        ],
    },
    Spec {
        id: "handle-tickets",
        name: "Handle tickets",
        description: "Create, answer and update tickets and contacts. Cannot delete \
                      anything.",
        scopes: &[
            "Desk.tickets.READ",
            "Desk.tickets.CREATE",
            "Desk.tickets.UPDATE",
            "Desk.contacts.READ",
            "Desk.contacts.CREATE",
            "Desk.contacts.UPDATE",
            "Desk.basic.READ",
            "Desk.search.READ",
        ],
    },
];

const PROJECTS: &[Spec] = &[
    Spec {
        id: "read-only",
        name: "Read-only",
        description: "See projects, tasks and time logs without changing anything.",
        scopes: &[
            "ZohoProjects.portals.READ",
            "ZohoProjects.projects.READ",
            "ZohoProjects.tasks.READ",
            "ZohoProjects.timesheets.READ",
        ],
    },
    Spec {
        id: "log-time",
        name: "Log time",
        description: "See projects and tasks and add time logs to them.",
        scopes: &[
            "ZohoProjects.portals.READ",
            "ZohoProjects.projects.READ",
            "ZohoProjects.tasks.READ",
            "ZohoProjects.timesheets.READ",
            "ZohoProjects.timesheets.CREATE",
        ],
    },
];

const PEOPLE: &[Spec] = &[
    Spec {
        id: "read-records",
        name: "Read employee records",
        description: "See employee records and leave without changing anything.",
        scopes: &["ZOHOPEOPLE.forms.READ", "ZOHOPEOPLE.leave.READ"],
    },
    Spec {
        id: "full",
        name: "Full access",
        description: "Everything with employee records, attendance, leave and time \
                      tracking, including deleting them.",
        scopes: &[
            "ZOHOPEOPLE.forms.ALL",
            "ZOHOPEOPLE.employee.ALL",
            "ZOHOPEOPLE.attendance.ALL",
            "ZOHOPEOPLE.leave.ALL",
            "ZOHOPEOPLE.timetracker.ALL",
        ],
    },
];

const WORKDRIVE: &[Spec] = &[
    Spec {
        id: "read-files",
        name: "Read files",
        description: "See team folders and download files without changing anything.",
        scopes: &[
            "WorkDrive.team.READ",
            "WorkDrive.workspace.READ",
            "WorkDrive.teamfolders.READ",
            "WorkDrive.files.READ",
        ],
    },
    Spec {
        id: "manage-files",
        name: "Add and change files",
        description: "Upload files and change existing ones. Cannot delete anything.",
        scopes: &[
            "WorkDrive.team.READ",
            "WorkDrive.workspace.READ",
            "WorkDrive.teamfolders.READ",
            "WorkDrive.files.READ",
            "WorkDrive.files.CREATE",
            "WorkDrive.files.UPDATE",
        ],
    },
];

const MAIL: &[Spec] = &[
    Spec {
        id: "read-mail",
        name: "Read mail",
        description: "Read emails and folders without sending or deleting anything.",
        scopes: &[
            "ZohoMail.accounts.READ",
            "ZohoMail.folders.READ",
            "ZohoMail.messages.READ",
        ],
    },
    Spec {
        id: "send-mail",
        name: "Send mail",
        description: "Send emails from the account. Cannot read or delete existing mail.",
        scopes: &["ZohoMail.accounts.READ", "ZohoMail.messages.CREATE"],
    },
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use crate::api::PROFILE_READ;
    use crate::scopes::{catalog, explain, product, products, validate, Preset};

    fn all_presets() -> impl Iterator<Item = (&'static str, &'static Preset)> {
        products()
            .iter()
            .flat_map(|p| p.presets.iter().map(move |preset| (p.id, preset)))
    }

    #[test]
    fn the_common_jobs_have_presets() {
        let required = [
            ("books", "read-only"),
            ("books", "invoicing"),
            ("books", "record-payments"),
            ("books", "bills-and-expenses"),
            ("books", "full-access"),
            ("payments", "take-payments"),
            ("payments", "read-only"),
            ("analytics", "read-reports"),
            ("analytics", "import-data"),
            ("crm", "read-only"),
            ("crm", "full"),
            ("inventory", "read-only"),
            ("invoice", "invoicing"),
            ("expense", "full-access"),
            ("desk", "read-tickets"),
            ("projects", "read-only"),
            ("people", "read-records"),
            ("workdrive", "read-files"),
            ("mail", "read-mail"),
        ];
        for (product_id, preset_id) in required {
            assert!(
                product(product_id).unwrap().preset(preset_id).is_some(),
                "{product_id}/{preset_id} missing"
            );
        }
        for p in products() {
            assert!(!p.presets.is_empty(), "{} has no preset", p.id);
            let ids: HashSet<&str> = p.presets.iter().map(|preset| preset.id).collect();
            assert_eq!(ids.len(), p.presets.len(), "{} repeats a preset id", p.id);
        }
    }

    #[test]
    fn every_preset_uses_its_own_products_catalog_spelling() {
        for (product_id, preset) in all_presets() {
            let p = product(product_id).unwrap();
            assert!(!preset.scopes.is_empty(), "{product_id}/{}", preset.id);
            for scope in &preset.scopes {
                let known = p
                    .scope(scope)
                    .or_else(|| catalog().common_scope(scope))
                    .unwrap_or_else(|| {
                        panic!("{product_id}/{}: {scope} not in catalog", preset.id)
                    });
                assert_eq!(known.scope, *scope, "{product_id}/{}", preset.id);
            }
        }
    }

    #[test]
    fn every_preset_passes_the_validator_unchanged_and_without_warnings() {
        for (product_id, preset) in all_presets() {
            let valid = validate(&preset.scope_string())
                .unwrap_or_else(|e| panic!("{product_id}/{}: {e:?}", preset.id));
            assert_eq!(
                valid.scope_string,
                preset.scope_string(),
                "{product_id}/{}",
                preset.id
            );
            assert_eq!(valid.warnings, [], "{product_id}/{}", preset.id);
            assert!(!preset.scope_string().contains(' '));
        }
    }

    #[test]
    fn every_preset_shows_who_is_connected() {
        for (product_id, preset) in all_presets() {
            assert_eq!(
                preset.scopes.last(),
                Some(&PROFILE_READ),
                "{product_id}/{}",
                preset.id
            );
            assert_eq!(
                preset.scopes.iter().filter(|s| **s == PROFILE_READ).count(),
                1
            );
        }
    }

    #[test]
    fn every_preset_lets_the_connection_test_succeed() {
        for (product_id, preset) in all_presets() {
            let p = product(product_id).unwrap();
            if p.connection_test.is_some() {
                assert!(
                    p.grants_connection_test(&preset.scope_string()),
                    "{product_id}/{} cannot run the connection test",
                    preset.id
                );
                assert_eq!(
                    p.missing_connection_test_scope(&preset.scope_string()),
                    None
                );
            }
        }
    }

    #[test]
    fn only_the_full_presets_are_dangerous() {
        for (product_id, preset) in all_presets() {
            assert_eq!(
                preset.dangerous,
                preset.id.starts_with("full"),
                "{product_id}/{}",
                preset.id
            );
            let explained = explain(&preset.scope_string());
            assert_eq!(
                preset.dangerous,
                explained.iter().any(|e| e.dangerous),
                "{product_id}/{}",
                preset.id
            );
            assert!(
                explained.iter().all(|e| e.known),
                "{product_id}/{}",
                preset.id
            );
        }
        let books = product("books").unwrap();
        let full = books.preset("full-access").unwrap();
        assert!(full.full_access && full.dangerous);
        assert_eq!(full.scopes, ["ZohoBooks.fullaccess.all", PROFILE_READ]);
        assert!(!books.preset("read-only").unwrap().full_access);
    }

    #[test]
    fn books_read_only_reads_everything_and_changes_nothing() {
        let books = product("books").unwrap();
        let preset = books.preset("read-only").unwrap();
        let expected: Vec<&str> = books
            .scopes
            .iter()
            .filter(|s| s.operation == crate::scopes::Operation::Read)
            .map(|s| s.scope.as_str())
            .collect();
        let mut actual: Vec<&str> = preset
            .scopes
            .iter()
            .copied()
            .filter(|s| *s != PROFILE_READ)
            .collect();
        actual.sort_unstable();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort_unstable();
        assert_eq!(actual, expected_sorted);
        assert_eq!(preset.scopes.len(), 16);
        assert!(preset.scopes.contains(&"ZohoBooks.settings.READ"));
    }

    #[test]
    fn invoicing_and_payments_presets_hold_exactly_what_the_job_needs() {
        let sorted = |mut scopes: Vec<&'static str>| {
            scopes.sort_unstable();
            scopes
        };
        let books = product("books").unwrap();
        assert_eq!(
            sorted(books.preset("invoicing").unwrap().scopes.clone()),
            sorted(vec![
                "ZohoBooks.contacts.READ",
                "ZohoBooks.contacts.CREATE",
                "ZohoBooks.invoices.CREATE",
                "ZohoBooks.invoices.READ",
                "ZohoBooks.invoices.UPDATE",
                "ZohoBooks.settings.READ",
                PROFILE_READ,
            ])
        );
        let payments = product("payments").unwrap();
        assert_eq!(
            payments.preset("take-payments").unwrap().scope_string(),
            "ZohoPay.payments.CREATE,ZohoPay.payments.READ,ZohoPay.payments.UPDATE,\
             ZohoPay.refunds.CREATE,ZohoPay.refunds.READ,AaaServer.profile.Read"
        );
    }
}
