//! The Books family of accounting products (Books, Inventory, Invoice, Expense). They
//! list a user's organizations in one shape and fail in one way, and their other calls
//! act in one organization, named by `organization_id`; so one description of each drives
//! one set of routes instead of a copy per product.

use crate::users::Organization;

/// A product whose API answers `{"code":0,"message":"success","organizations":[...]}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Product {
    Books,
    Inventory,
    Invoice,
    Expense,
}

impl Product {
    /// Every product of the family.
    #[cfg(test)]
    pub(crate) const ALL: [Product; 4] = [
        Product::Books,
        Product::Inventory,
        Product::Invoice,
        Product::Expense,
    ];

    /// A short name for logs.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Product::Books => "books",
            Product::Inventory => "inventory",
            Product::Invoice => "invoice",
            Product::Expense => "expense",
        }
    }
}

/// A read that acts in one organization, e.g. Books' list of invoices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Listing {
    /// `GET /books/v3/invoices`.
    BooksInvoices,
    /// `GET /inventory/v1/items`.
    InventoryItems,
}

impl Listing {
    /// The product whose organizations the listing reads.
    pub(crate) fn product(self) -> Product {
        match self {
            Listing::BooksInvoices => Product::Books,
            Listing::InventoryItems => Product::Inventory,
        }
    }

    /// The key of the records in the answer, and a short name for logs.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Listing::BooksInvoices => "invoices",
            Listing::InventoryItems => "items",
        }
    }

    /// The `report_name` of the answer's `page_context`.
    pub(crate) fn report_name(self) -> &'static str {
        match self {
            Listing::BooksInvoices => "Invoices",
            Listing::InventoryItems => "Items",
        }
    }
}

/// Which organization an organization-scoped call acts in.
#[derive(Debug, PartialEq)]
pub(crate) enum OrgChoice<'a> {
    Chosen(&'a Organization),
    /// No `organization_id`, and the user has several: Zoho's code 6024, never a guess.
    Ambiguous(&'a [Organization]),
    /// An `organization_id` that is not one of the user's in this product, or none sent
    /// by a user who has no organization there.
    NotTheUsers,
}

/// Picks the organization a call acts in. Without `requested`, a user with exactly one
/// organization acts in it, as Zoho allows; with several, nothing is picked.
pub(crate) fn choose<'a>(orgs: &'a [Organization], requested: Option<&str>) -> OrgChoice<'a> {
    match requested {
        Some(id) => orgs
            .iter()
            .find(|org| org.organization_id == id)
            .map_or(OrgChoice::NotTheUsers, OrgChoice::Chosen),
        None => match orgs {
            [] => OrgChoice::NotTheUsers,
            [only] => OrgChoice::Chosen(only),
            several => OrgChoice::Ambiguous(several),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::{seeded, DEMO_US_USER};

    #[test]
    fn an_organization_is_picked_only_when_there_is_no_doubt() {
        let users = seeded();
        let user = users
            .iter()
            .find(|u| u.email == DEMO_US_USER)
            .expect("demo user");
        let several = user.organizations(Product::Books);
        let one = &several[..1];

        assert_eq!(choose(several, None), OrgChoice::Ambiguous(several));
        assert_eq!(choose(one, None), OrgChoice::Chosen(&one[0]));
        assert_eq!(choose(&[], None), OrgChoice::NotTheUsers);
        assert_eq!(
            choose(several, Some("10234721")),
            OrgChoice::Chosen(&several[1])
        );
        assert_eq!(choose(several, Some("20081134")), OrgChoice::NotTheUsers);
        assert_eq!(choose(one, Some("10234721")), OrgChoice::NotTheUsers);
    }
}
