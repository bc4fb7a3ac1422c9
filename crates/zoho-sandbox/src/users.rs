//! The people who "sign in" at the sandbox's consent page, and the Zoho Books
//! organizations each of them owns. Every DC has at least one user so that a flow can be
//! practised against any DC; the two demo users of the public API are the ones tests use.

use serde::Serialize;

use crate::dc::Dc;

/// The demo user whose account lives in the US data center.
pub const DEMO_US_USER: &str = "accountant@example.com";
/// The demo user whose account lives in the EU data center.
pub const DEMO_EU_USER: &str = "comptable@example.eu";

/// A Zoho account.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) email: &'static str,
    pub(crate) name: &'static str,
    /// The DC the account lives in; its codes and tokens are issued there.
    pub(crate) dc: Dc,
    pub(crate) organizations: Vec<Organization>,
}

/// A Zoho Books organization, in the shape `GET /books/v3/organizations` lists it.
#[derive(Clone, Debug, Serialize)]
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

struct OrgSeed {
    id: &'static str,
    name: &'static str,
}

struct UserSeed {
    email: &'static str,
    name: &'static str,
    dc: Dc,
    currency_code: &'static str,
    currency_symbol: &'static str,
    time_zone: &'static str,
    language_code: &'static str,
    orgs: &'static [OrgSeed],
}

const SEEDS: &[UserSeed] = &[
    UserSeed {
        email: DEMO_US_USER,
        name: "Alex Morgan",
        dc: Dc::Us,
        currency_code: "USD",
        currency_symbol: "$",
        time_zone: "America/New_York",
        language_code: "en",
        orgs: &[
            OrgSeed {
                id: "10234695",
                name: "Morgan Bookkeeping LLC",
            },
            OrgSeed {
                id: "10234721",
                name: "Riverside Bakery Inc.",
            },
        ],
    },
    UserSeed {
        email: DEMO_EU_USER,
        name: "Camille Durand",
        dc: Dc::Eu,
        currency_code: "EUR",
        currency_symbol: "€",
        time_zone: "Europe/Paris",
        language_code: "fr",
        orgs: &[
            OrgSeed {
                id: "20081134",
                name: "Durand Expertise Comptable SARL",
            },
            OrgSeed {
                id: "20081167",
                name: "Boulangerie du Marché",
            },
        ],
    },
    UserSeed {
        email: "accountant@example.in",
        name: "Priya Sharma",
        dc: Dc::In,
        currency_code: "INR",
        currency_symbol: "₹",
        time_zone: "Asia/Calcutta",
        language_code: "en",
        orgs: &[OrgSeed {
            id: "60012345",
            name: "Sharma & Associates",
        }],
    },
    UserSeed {
        email: "bookkeeper@example.com.au",
        name: "Jack Wilson",
        dc: Dc::Au,
        currency_code: "AUD",
        currency_symbol: "$",
        time_zone: "Australia/Sydney",
        language_code: "en",
        orgs: &[OrgSeed {
            id: "70054321",
            name: "Wilson Accounting Pty Ltd",
        }],
    },
    UserSeed {
        email: "keiri@example.jp",
        name: "Yuki Tanaka",
        dc: Dc::Jp,
        currency_code: "JPY",
        currency_symbol: "¥",
        time_zone: "Asia/Tokyo",
        language_code: "ja",
        orgs: &[OrgSeed {
            id: "80011223",
            name: "Tanaka Kaikei KK",
        }],
    },
    UserSeed {
        email: "comptable@example.ca",
        name: "Emma Tremblay",
        dc: Dc::Ca,
        currency_code: "CAD",
        currency_symbol: "$",
        time_zone: "America/Toronto",
        language_code: "en",
        orgs: &[OrgSeed {
            id: "90033445",
            name: "Tremblay CPA Inc.",
        }],
    },
    UserSeed {
        email: "accountant@example.sa",
        name: "Omar Al-Harbi",
        dc: Dc::Sa,
        currency_code: "SAR",
        currency_symbol: "﷼",
        time_zone: "Asia/Riyadh",
        language_code: "ar",
        orgs: &[OrgSeed {
            id: "91055667",
            name: "Al-Harbi Trading Est.",
        }],
    },
    UserSeed {
        email: "bookkeeper@example.co.uk",
        name: "Oliver Hughes",
        dc: Dc::Uk,
        currency_code: "GBP",
        currency_symbol: "£",
        time_zone: "Europe/London",
        language_code: "en",
        orgs: &[OrgSeed {
            id: "92077889",
            name: "Hughes & Co Accountants Ltd",
        }],
    },
    UserSeed {
        email: "kuaiji@example.cn",
        name: "Li Wei",
        dc: Dc::Cn,
        currency_code: "CNY",
        currency_symbol: "¥",
        time_zone: "Asia/Shanghai",
        language_code: "zh",
        orgs: &[OrgSeed {
            id: "93099001",
            name: "Li Wei Accounting Co., Ltd.",
        }],
    },
    UserSeed {
        email: "accountant@example.ae",
        name: "Fatima Al-Mansoori",
        dc: Dc::Ae,
        currency_code: "AED",
        currency_symbol: "AED",
        time_zone: "Asia/Dubai",
        language_code: "en",
        orgs: &[OrgSeed {
            id: "94011235",
            name: "Al-Mansoori Bookkeeping LLC",
        }],
    },
];

/// The seeded users, each with their Books organizations (the first is the default).
pub(crate) fn seeded() -> Vec<User> {
    SEEDS
        .iter()
        .map(|seed| User {
            email: seed.email,
            name: seed.name,
            dc: seed.dc,
            organizations: seed
                .orgs
                .iter()
                .enumerate()
                .map(|(i, org)| Organization {
                    organization_id: org.id,
                    name: org.name,
                    contact_name: seed.name,
                    email: seed.email,
                    is_default_org: i == 0,
                    currency_code: seed.currency_code,
                    currency_symbol: seed.currency_symbol,
                    time_zone: seed.time_zone,
                    language_code: seed.language_code,
                    is_org_active: true,
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dc_has_a_user_and_demo_users_have_two_orgs() {
        let users = seeded();
        for dc in Dc::ALL {
            assert!(users.iter().any(|u| u.dc == dc), "no user in {dc}");
        }
        for (email, dc) in [(DEMO_US_USER, Dc::Us), (DEMO_EU_USER, Dc::Eu)] {
            let user = users.iter().find(|u| u.email == email).expect("demo user");
            assert_eq!(user.dc, dc);
            assert_eq!(user.organizations.len(), 2);
            assert_eq!(
                user.organizations
                    .iter()
                    .filter(|o| o.is_default_org)
                    .count(),
                1
            );
        }
    }
}
