//! The people who "sign in" at the sandbox's consent page, and everything they own in
//! Zoho's products: their organizations in Books, Inventory, Invoice and Expense, their
//! CRM organization, and the few invoices and items those organizations hold. This is the
//! one place seeded data lives, so that every route answers about the same accounts.
//!
//! Every DC has at least one user so that a flow can be practised against any DC; the two
//! demo users of the public API are the ones tests use. The demo users differ on purpose:
//! the US one has several Inventory organizations and one Invoice organization, the EU one
//! several Books organizations, one Expense organization, none in Inventory or Invoice and
//! no CRM account, so that every branch of "which organization?" can be practised.

use serde::Serialize;

use crate::dc::Dc;
use crate::product::Product;

/// The demo user whose account lives in the US data center.
pub const DEMO_US_USER: &str = "accountant@example.com";
/// The demo user whose account lives in the EU data center.
pub const DEMO_EU_USER: &str = "comptable@example.eu";

/// A Zoho account.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) email: &'static str,
    /// First and last name together, as the consent page and `Display_Name` show it.
    pub(crate) name: &'static str,
    pub(crate) first_name: &'static str,
    pub(crate) last_name: &'static str,
    /// Zoho's user ID, the same in every product and never reused.
    pub(crate) zuid: u64,
    /// The DC the account lives in; its codes and tokens are issued there.
    pub(crate) dc: Dc,
    books: Vec<Organization>,
    inventory: Vec<Organization>,
    invoice: Vec<Organization>,
    expense: Vec<Organization>,
    /// `None`: the account has never used Zoho CRM.
    pub(crate) crm: Option<CrmOrganization>,
}

impl User {
    /// The user's organizations in one of the Books-family products; the first is the
    /// default one.
    pub(crate) fn organizations(&self, product: Product) -> &[Organization] {
        match product {
            Product::Books => &self.books,
            Product::Inventory => &self.inventory,
            Product::Invoice => &self.invoice,
            Product::Expense => &self.expense,
        }
    }
}

/// An organization in a Books-family product, in the shape `GET .../organizations` lists
/// it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Organization {
    pub(crate) organization_id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) contact_name: &'static str,
    pub(crate) email: &'static str,
    pub(crate) is_default_org: bool,
    pub(crate) currency_code: &'static str,
    pub(crate) currency_symbol: &'static str,
    pub(crate) time_zone: &'static str,
    pub(crate) language_code: &'static str,
    pub(crate) is_org_active: bool,
}

/// A Zoho CRM organization, in the shape `GET /crm/v8/org` answers it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct CrmOrganization {
    pub(crate) id: &'static str,
    pub(crate) company_name: &'static str,
    pub(crate) alias: Option<&'static str>,
    pub(crate) primary_email: &'static str,
    /// The ZUID of the account that owns the organization, as a string (CRM sends it so).
    pub(crate) primary_zuid: String,
    /// The organization's ID across Zoho, the one Books shows for the same company.
    pub(crate) zgid: &'static str,
    pub(crate) currency: &'static str,
    pub(crate) iso_code: &'static str,
    pub(crate) currency_symbol: &'static str,
    pub(crate) currency_locale: &'static str,
    pub(crate) time_zone: &'static str,
    pub(crate) country: &'static str,
    pub(crate) country_code: &'static str,
    #[serde(rename = "type")]
    pub(crate) environment: &'static str,
    pub(crate) mc_status: bool,
}

/// A Zoho Books invoice, in the shape `GET /books/v3/invoices` lists it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Invoice {
    pub(crate) invoice_id: String,
    pub(crate) invoice_number: &'static str,
    pub(crate) customer_id: String,
    pub(crate) customer_name: &'static str,
    pub(crate) status: &'static str,
    pub(crate) date: &'static str,
    pub(crate) due_date: &'static str,
    pub(crate) currency_code: &'static str,
    pub(crate) total: f64,
    pub(crate) balance: f64,
}

/// A Zoho Inventory item, in the shape `GET /inventory/v1/items` lists it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Item {
    pub(crate) item_id: String,
    pub(crate) name: &'static str,
    pub(crate) sku: &'static str,
    pub(crate) status: &'static str,
    pub(crate) unit: &'static str,
    pub(crate) rate: f64,
    pub(crate) purchase_rate: f64,
    pub(crate) stock_on_hand: f64,
    pub(crate) available_stock: f64,
}

struct OrgSeed {
    id: &'static str,
    name: &'static str,
}

struct CrmSeed {
    id: &'static str,
    company_name: &'static str,
    zgid: &'static str,
    currency_locale: &'static str,
}

struct UserSeed {
    email: &'static str,
    name: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    zuid: u64,
    dc: Dc,
    country: &'static str,
    country_code: &'static str,
    currency_code: &'static str,
    currency_symbol: &'static str,
    time_zone: &'static str,
    language_code: &'static str,
    books: &'static [OrgSeed],
    inventory: &'static [OrgSeed],
    invoice: &'static [OrgSeed],
    expense: &'static [OrgSeed],
    crm: Option<CrmSeed>,
}

const SEEDS: &[UserSeed] = &[
    UserSeed {
        email: DEMO_US_USER,
        name: "Alex Morgan",
        first_name: "Alex",
        last_name: "Morgan",
        zuid: 749_301_256,
        dc: Dc::Us,
        country: "United States",
        country_code: "US",
        currency_code: "USD",
        currency_symbol: "$",
        time_zone: "America/New_York",
        language_code: "en",
        books: &[
            OrgSeed {
                id: "10234695",
                name: "Morgan Bookkeeping LLC",
            },
            OrgSeed {
                id: "10234721",
                name: "Riverside Bakery Inc.",
            },
        ],
        inventory: &[
            OrgSeed {
                id: "10234695",
                name: "Morgan Bookkeeping LLC",
            },
            OrgSeed {
                id: "10234812",
                name: "Harbor Hardware Supply",
            },
        ],
        invoice: &[OrgSeed {
            id: "10234695",
            name: "Morgan Bookkeeping LLC",
        }],
        expense: &[OrgSeed {
            id: "10234695",
            name: "Morgan Bookkeeping LLC",
        }],
        crm: Some(CrmSeed {
            id: "4876920000000020011",
            company_name: "Morgan Bookkeeping LLC",
            zgid: "10234695",
            currency_locale: "en_US",
        }),
    },
    UserSeed {
        email: DEMO_EU_USER,
        name: "Camille Durand",
        first_name: "Camille",
        last_name: "Durand",
        zuid: 20_845_117_309,
        dc: Dc::Eu,
        country: "France",
        country_code: "FR",
        currency_code: "EUR",
        currency_symbol: "€",
        time_zone: "Europe/Paris",
        language_code: "fr",
        books: &[
            OrgSeed {
                id: "20081134",
                name: "Durand Expertise Comptable SARL",
            },
            OrgSeed {
                id: "20081167",
                name: "Boulangerie du Marché",
            },
        ],
        inventory: &[],
        invoice: &[],
        expense: &[OrgSeed {
            id: "20081134",
            name: "Durand Expertise Comptable SARL",
        }],
        crm: None,
    },
    UserSeed {
        email: "accountant@example.in",
        name: "Priya Sharma",
        first_name: "Priya",
        last_name: "Sharma",
        zuid: 60_117_482_935,
        dc: Dc::In,
        country: "India",
        country_code: "IN",
        currency_code: "INR",
        currency_symbol: "₹",
        time_zone: "Asia/Calcutta",
        language_code: "en",
        books: &[OrgSeed {
            id: "60012345",
            name: "Sharma & Associates",
        }],
        inventory: &[OrgSeed {
            id: "60012345",
            name: "Sharma & Associates",
        }],
        invoice: &[OrgSeed {
            id: "60012388",
            name: "Priya Sharma Consulting",
        }],
        expense: &[],
        crm: Some(CrmSeed {
            id: "1298410000000017023",
            company_name: "Sharma & Associates",
            zgid: "60012345",
            currency_locale: "en_IN",
        }),
    },
    UserSeed {
        email: "bookkeeper@example.com.au",
        name: "Jack Wilson",
        first_name: "Jack",
        last_name: "Wilson",
        zuid: 70_302_641_118,
        dc: Dc::Au,
        country: "Australia",
        country_code: "AU",
        currency_code: "AUD",
        currency_symbol: "$",
        time_zone: "Australia/Sydney",
        language_code: "en",
        books: &[OrgSeed {
            id: "70054321",
            name: "Wilson Accounting Pty Ltd",
        }],
        inventory: &[OrgSeed {
            id: "70054321",
            name: "Wilson Accounting Pty Ltd",
        }],
        invoice: &[],
        expense: &[],
        crm: Some(CrmSeed {
            id: "7712300000000026001",
            company_name: "Wilson Accounting Pty Ltd",
            zgid: "70054321",
            currency_locale: "en_AU",
        }),
    },
    UserSeed {
        email: "keiri@example.jp",
        name: "Yuki Tanaka",
        first_name: "Yuki",
        last_name: "Tanaka",
        zuid: 80_455_120_377,
        dc: Dc::Jp,
        country: "Japan",
        country_code: "JP",
        currency_code: "JPY",
        currency_symbol: "¥",
        time_zone: "Asia/Tokyo",
        language_code: "ja",
        books: &[OrgSeed {
            id: "80011223",
            name: "Tanaka Kaikei KK",
        }],
        inventory: &[],
        invoice: &[],
        expense: &[],
        crm: Some(CrmSeed {
            id: "8001440000000019005",
            company_name: "Tanaka Kaikei KK",
            zgid: "80011223",
            currency_locale: "ja_JP",
        }),
    },
    UserSeed {
        email: "comptable@example.ca",
        name: "Emma Tremblay",
        first_name: "Emma",
        last_name: "Tremblay",
        zuid: 90_218_733_460,
        dc: Dc::Ca,
        country: "Canada",
        country_code: "CA",
        currency_code: "CAD",
        currency_symbol: "$",
        time_zone: "America/Toronto",
        language_code: "en",
        books: &[OrgSeed {
            id: "90033445",
            name: "Tremblay CPA Inc.",
        }],
        inventory: &[],
        invoice: &[],
        expense: &[],
        crm: Some(CrmSeed {
            id: "9104770000000022017",
            company_name: "Tremblay CPA Inc.",
            zgid: "90033445",
            currency_locale: "en_CA",
        }),
    },
    UserSeed {
        email: "accountant@example.sa",
        name: "Omar Al-Harbi",
        first_name: "Omar",
        last_name: "Al-Harbi",
        zuid: 91_560_384_221,
        dc: Dc::Sa,
        country: "Saudi Arabia",
        country_code: "SA",
        currency_code: "SAR",
        currency_symbol: "﷼",
        time_zone: "Asia/Riyadh",
        language_code: "ar",
        books: &[OrgSeed {
            id: "91055667",
            name: "Al-Harbi Trading Est.",
        }],
        inventory: &[],
        invoice: &[],
        expense: &[],
        crm: Some(CrmSeed {
            id: "9155210000000015009",
            company_name: "Al-Harbi Trading Est.",
            zgid: "91055667",
            currency_locale: "ar_SA",
        }),
    },
    UserSeed {
        email: "bookkeeper@example.co.uk",
        name: "Oliver Hughes",
        first_name: "Oliver",
        last_name: "Hughes",
        zuid: 92_703_918_554,
        dc: Dc::Uk,
        country: "United Kingdom",
        country_code: "GB",
        currency_code: "GBP",
        currency_symbol: "£",
        time_zone: "Europe/London",
        language_code: "en",
        books: &[OrgSeed {
            id: "92077889",
            name: "Hughes & Co Accountants Ltd",
        }],
        inventory: &[],
        invoice: &[OrgSeed {
            id: "92077889",
            name: "Hughes & Co Accountants Ltd",
        }],
        expense: &[OrgSeed {
            id: "92077889",
            name: "Hughes & Co Accountants Ltd",
        }],
        crm: Some(CrmSeed {
            id: "9270880000000031003",
            company_name: "Hughes & Co Accountants Ltd",
            zgid: "92077889",
            currency_locale: "en_GB",
        }),
    },
    UserSeed {
        email: "kuaiji@example.cn",
        name: "Li Wei",
        first_name: "Li",
        last_name: "Wei",
        zuid: 93_160_257_840,
        dc: Dc::Cn,
        country: "China",
        country_code: "CN",
        currency_code: "CNY",
        currency_symbol: "¥",
        time_zone: "Asia/Shanghai",
        language_code: "zh",
        books: &[OrgSeed {
            id: "93099001",
            name: "Li Wei Accounting Co., Ltd.",
        }],
        inventory: &[],
        invoice: &[],
        expense: &[],
        crm: None,
    },
    UserSeed {
        email: "accountant@example.ae",
        name: "Fatima Al-Mansoori",
        first_name: "Fatima",
        last_name: "Al-Mansoori",
        zuid: 94_388_610_072,
        dc: Dc::Ae,
        country: "United Arab Emirates",
        country_code: "AE",
        currency_code: "AED",
        currency_symbol: "AED",
        time_zone: "Asia/Dubai",
        language_code: "en",
        books: &[OrgSeed {
            id: "94011235",
            name: "Al-Mansoori Bookkeeping LLC",
        }],
        inventory: &[],
        invoice: &[],
        expense: &[],
        crm: Some(CrmSeed {
            id: "9401120000000018021",
            company_name: "Al-Mansoori Bookkeeping LLC",
            zgid: "94011235",
            currency_locale: "en_AE",
        }),
    },
];

/// The seeded users, with what they own in each product.
pub(crate) fn seeded() -> Vec<User> {
    SEEDS
        .iter()
        .map(|seed| User {
            email: seed.email,
            name: seed.name,
            first_name: seed.first_name,
            last_name: seed.last_name,
            zuid: seed.zuid,
            dc: seed.dc,
            books: organizations(seed, seed.books),
            inventory: organizations(seed, seed.inventory),
            invoice: organizations(seed, seed.invoice),
            expense: organizations(seed, seed.expense),
            crm: seed.crm.as_ref().map(|crm| CrmOrganization {
                id: crm.id,
                company_name: crm.company_name,
                alias: None,
                primary_email: seed.email,
                primary_zuid: seed.zuid.to_string(),
                zgid: crm.zgid,
                currency: seed.currency_code,
                iso_code: seed.currency_code,
                currency_symbol: seed.currency_symbol,
                currency_locale: crm.currency_locale,
                time_zone: seed.time_zone,
                country: seed.country,
                country_code: seed.country_code,
                environment: "production",
                mc_status: false,
            }),
        })
        .collect()
}

/// One product's organizations of a user; the first is the default.
fn organizations(user: &UserSeed, orgs: &[OrgSeed]) -> Vec<Organization> {
    orgs.iter()
        .enumerate()
        .map(|(i, org)| Organization {
            organization_id: org.id,
            name: org.name,
            contact_name: user.name,
            email: user.email,
            is_default_org: i == 0,
            currency_code: user.currency_code,
            currency_symbol: user.currency_symbol,
            time_zone: user.time_zone,
            language_code: user.language_code,
            is_org_active: true,
        })
        .collect()
}

/// The invoices of a Books organization. Each organization holds the same two, with IDs
/// of its own, which is all a connection check needs: something that proves the call
/// reached the organization it named.
pub(crate) fn invoices(org: &Organization) -> Vec<Invoice> {
    let id = |n: u32| format!("{}{:07}", org.organization_id, n);
    vec![
        Invoice {
            invoice_id: id(1_000_101),
            invoice_number: "INV-000001",
            customer_id: id(1_000_011),
            customer_name: "Greenleaf Café",
            status: "paid",
            date: "2024-05-02",
            due_date: "2024-05-17",
            currency_code: org.currency_code,
            total: 1250.0,
            balance: 0.0,
        },
        Invoice {
            invoice_id: id(1_000_102),
            invoice_number: "INV-000002",
            customer_id: id(1_000_012),
            customer_name: "Northside Dental Clinic",
            status: "sent",
            date: "2024-05-20",
            due_date: "2024-06-04",
            currency_code: org.currency_code,
            total: 480.5,
            balance: 480.5,
        },
    ]
}

/// The items of an Inventory organization, two per organization like [`invoices`].
pub(crate) fn items(org: &Organization) -> Vec<Item> {
    let id = |n: u32| format!("{}{:07}", org.organization_id, n);
    vec![
        Item {
            item_id: id(2_000_201),
            name: "Copy paper, A4, box of 5 reams",
            sku: "PAPER-A4-5",
            status: "active",
            unit: "box",
            rate: 32.0,
            purchase_rate: 21.5,
            stock_on_hand: 140.0,
            available_stock: 128.0,
        },
        Item {
            item_id: id(2_000_202),
            name: "Archive box, heavy duty",
            sku: "BOX-ARCH-HD",
            status: "active",
            unit: "pcs",
            rate: 4.75,
            purchase_rate: 2.1,
            stock_on_hand: 600.0,
            available_stock: 600.0,
        },
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn user(email: &str) -> User {
        seeded()
            .into_iter()
            .find(|u| u.email == email)
            .expect("a seeded user")
    }

    #[test]
    fn every_dc_has_a_user_and_the_demo_users_keep_their_books_orgs() {
        let users = seeded();
        for dc in Dc::ALL {
            assert!(users.iter().any(|u| u.dc == dc), "no user in {dc}");
        }
        let ids = |email: &str| -> Vec<&'static str> {
            user(email)
                .organizations(Product::Books)
                .iter()
                .map(|o| o.organization_id)
                .collect()
        };
        assert_eq!(ids(DEMO_US_USER), ["10234695", "10234721"]);
        assert_eq!(ids(DEMO_EU_USER), ["20081134", "20081167"]);
        assert_eq!(user(DEMO_US_USER).dc, Dc::Us);
        assert_eq!(user(DEMO_EU_USER).dc, Dc::Eu);
    }

    #[test]
    fn the_demo_users_cover_several_one_and_no_organizations() {
        let count = |email: &str, product| user(email).organizations(product).len();
        assert_eq!(count(DEMO_US_USER, Product::Inventory), 2);
        assert_eq!(count(DEMO_US_USER, Product::Invoice), 1);
        assert_eq!(count(DEMO_US_USER, Product::Expense), 1);
        assert_eq!(count(DEMO_EU_USER, Product::Books), 2);
        assert_eq!(count(DEMO_EU_USER, Product::Expense), 1);
        assert_eq!(count(DEMO_EU_USER, Product::Inventory), 0);
        assert_eq!(count(DEMO_EU_USER, Product::Invoice), 0);
        assert!(user(DEMO_US_USER).crm.is_some());
        assert!(user(DEMO_EU_USER).crm.is_none());
    }

    #[test]
    fn every_list_has_one_default_org_and_no_repeated_id() {
        for user in seeded() {
            for product in Product::ALL {
                let orgs = user.organizations(product);
                if orgs.is_empty() {
                    continue;
                }
                assert_eq!(
                    orgs.iter().filter(|o| o.is_default_org).count(),
                    1,
                    "{} {product:?}",
                    user.email
                );
                let ids: HashSet<_> = orgs.iter().map(|o| o.organization_id).collect();
                assert_eq!(ids.len(), orgs.len(), "{} {product:?}", user.email);
            }
        }
    }

    #[test]
    fn every_user_has_a_name_and_a_zuid_of_their_own() {
        let users = seeded();
        for user in &users {
            assert!(!user.first_name.is_empty() && !user.last_name.is_empty());
            assert_eq!(user.name, format!("{} {}", user.first_name, user.last_name));
            if let Some(crm) = &user.crm {
                assert_eq!(crm.primary_zuid, user.zuid.to_string());
                assert_eq!(crm.primary_email, user.email);
            }
        }
        let zuids: HashSet<u64> = users.iter().map(|u| u.zuid).collect();
        assert_eq!(zuids.len(), users.len(), "ZUIDs are unique");
    }

    #[test]
    fn records_carry_ids_of_their_own_organization() {
        let user = user(DEMO_US_USER);
        let [first, second] = user.organizations(Product::Books) else {
            panic!("two Books organizations");
        };
        let (a, b) = (invoices(first), invoices(second));
        assert!(a[0].invoice_id.starts_with(first.organization_id));
        assert_ne!(a[0].invoice_id, b[0].invoice_id);
        assert_eq!(a[0].currency_code, "USD");
        let stock = items(first);
        assert!(stock[0].item_id.starts_with(first.organization_id));
    }
}
