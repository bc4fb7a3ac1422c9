//! Which API call proves a connection to which product works, and which scope it needs.
//!
//! The scope catalog describes the same calls to the UI ([`crate::scopes::ConnectionTest`]);
//! it takes them from here, so the scope a preset is checked against is the scope the
//! call really needs, and the scope a "missing scope" error names is the same one.

use serde::Serialize;

use crate::scopes::ConnectionTest;

/// The scope Zoho Books' organizations call needs (`ZohoBooks.settings.ALL` and
/// `ZohoBooks.fullaccess.all` also cover it).
pub const BOOKS_SETTINGS_READ: &str = "ZohoBooks.settings.READ";

/// The call that proves a connection to a product works, for the products that have
/// one. Each lists what the user must choose from next: their organizations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestCall {
    /// Zoho Books: `GET /books/v3/organizations`.
    Books,
    /// Zoho Inventory: `GET /inventory/v1/organizations`.
    Inventory,
    /// Zoho Invoice: `GET /invoice/v3/organizations`.
    Invoice,
    /// Zoho Expense: `GET /expense/v1/organizations`.
    Expense,
    /// Zoho CRM: `GET /crm/v8/org`, the one organization the token belongs to.
    Crm,
}

impl TestCall {
    /// Every product with a test call, in catalog order.
    pub const ALL: [TestCall; 5] = [
        TestCall::Books,
        TestCall::Crm,
        TestCall::Inventory,
        TestCall::Invoice,
        TestCall::Expense,
    ];

    /// The test call of the catalog product `product_id` (`"books"`, `"crm"`, ...);
    /// `None` for a product without one (Payments, Analytics, Desk, ...), whose
    /// connection only the user-info call can prove.
    pub fn for_product(product_id: &str) -> Option<TestCall> {
        Self::ALL
            .into_iter()
            .find(|call| call.product_id() == product_id)
    }

    /// The catalog's id of the product, e.g. `"books"`.
    pub fn product_id(self) -> &'static str {
        match self {
            TestCall::Books => "books",
            TestCall::Inventory => "inventory",
            TestCall::Invoice => "invoice",
            TestCall::Expense => "expense",
            TestCall::Crm => "crm",
        }
    }

    /// The product's name, e.g. "Zoho Books".
    pub fn product_name(self) -> &'static str {
        match self {
            TestCall::Books => "Zoho Books",
            TestCall::Inventory => "Zoho Inventory",
            TestCall::Invoice => "Zoho Invoice",
            TestCall::Expense => "Zoho Expense",
            TestCall::Crm => "Zoho CRM",
        }
    }

    /// The path on the connection's `api_domain`.
    pub fn path(self) -> &'static str {
        match self {
            TestCall::Books => "/books/v3/organizations",
            TestCall::Inventory => "/inventory/v1/organizations",
            TestCall::Invoice => "/invoice/v3/organizations",
            TestCall::Expense => "/expense/v1/organizations",
            TestCall::Crm => "/crm/v8/org",
        }
    }

    /// The scope the call needs, spelled as the product documents it. The resource's
    /// `ALL` and the product's full access cover it too.
    pub fn scope(self) -> &'static str {
        match self {
            TestCall::Books => BOOKS_SETTINGS_READ,
            TestCall::Inventory => "ZohoInventory.settings.READ",
            TestCall::Invoice => "ZohoInvoice.settings.READ",
            TestCall::Expense => "ZohoExpense.orgsettings.READ",
            TestCall::Crm => "ZohoCRM.org.READ",
        }
    }

    /// Whether the product answers with Zoho Books' numeric codes (Books, Inventory,
    /// Invoice and Expense share Books' API design) rather than CRM's words.
    pub(super) fn speaks_books_codes(self) -> bool {
        !matches!(self, TestCall::Crm)
    }

    /// The call as the scope catalog describes it to the UI.
    pub fn connection_test(self) -> ConnectionTest {
        ConnectionTest {
            method: "GET",
            path: self.path(),
            scope: self.scope(),
            shows: match self {
                TestCall::Crm => "the name and ID of your organization",
                _ => "the names and IDs of your organizations",
            },
        }
    }
}

/// A read that acts in one organization, for the products whose every other call takes
/// an `organization_id`. Made without one by a user with several organizations, Zoho
/// answers with the list to choose from (code 6024) instead of picking one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgScopedCall {
    /// Zoho Books: `GET /books/v3/invoices?organization_id=...&per_page=1`.
    Books,
    /// Zoho Inventory: `GET /inventory/v1/items?organization_id=...&per_page=1`.
    Inventory,
}

impl OrgScopedCall {
    /// The organization-scoped read of the catalog product `product_id`, if it has one.
    pub fn for_product(product_id: &str) -> Option<OrgScopedCall> {
        [OrgScopedCall::Books, OrgScopedCall::Inventory]
            .into_iter()
            .find(|call| call.test_call().product_id() == product_id)
    }

    /// The product's organizations call.
    pub fn test_call(self) -> TestCall {
        match self {
            OrgScopedCall::Books => TestCall::Books,
            OrgScopedCall::Inventory => TestCall::Inventory,
        }
    }

    /// The path on the connection's `api_domain`.
    pub fn path(self) -> &'static str {
        match self {
            OrgScopedCall::Books => "/books/v3/invoices",
            OrgScopedCall::Inventory => "/inventory/v1/items",
        }
    }

    /// The scope the read needs, as the product documents it.
    pub fn scope(self) -> &'static str {
        match self {
            OrgScopedCall::Books => "ZohoBooks.invoices.READ",
            OrgScopedCall::Inventory => "ZohoInventory.items.READ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes::{find_scope, product, products};

    #[test]
    fn the_catalog_describes_exactly_these_calls() {
        for catalog_product in products() {
            let call = TestCall::for_product(catalog_product.id);
            assert_eq!(
                catalog_product.connection_test,
                call.map(TestCall::connection_test),
                "{}",
                catalog_product.id
            );
        }
        for call in TestCall::ALL {
            let listed = product(call.product_id()).expect("a catalog product");
            assert_eq!(listed.name, call.product_name());
            assert!(listed.grants_connection_test(call.scope()));
            assert_eq!(listed.missing_connection_test_scope(""), Some(call.scope()));
        }
    }

    #[test]
    fn every_scope_named_is_the_catalogs_own_spelling() {
        let scopes = TestCall::ALL
            .into_iter()
            .map(|call| (call.product_id(), call.scope()))
            .chain(
                [OrgScopedCall::Books, OrgScopedCall::Inventory]
                    .into_iter()
                    .map(|call| (call.test_call().product_id(), call.scope())),
            );
        for (product_id, scope) in scopes {
            let (owner, known) = find_scope(scope).unwrap_or_else(|| panic!("{scope}"));
            assert_eq!((owner.id, known.scope.as_str()), (product_id, scope));
            assert!(!known.dangerous, "{scope}");
        }
    }

    #[test]
    fn products_without_a_call_are_told_apart() {
        for id in ["payments", "analytics", "desk", "mail", "nope"] {
            assert_eq!(TestCall::for_product(id), None, "{id}");
        }
        assert_eq!(
            OrgScopedCall::for_product("books"),
            Some(OrgScopedCall::Books)
        );
        assert_eq!(
            OrgScopedCall::for_product("inventory"),
            Some(OrgScopedCall::Inventory)
        );
        assert_eq!(OrgScopedCall::for_product("crm"), None);
        assert!(!TestCall::Crm.speaks_books_codes());
        assert!(TestCall::Expense.speaks_books_codes());
    }
}
