//! Zoho Payments accounts of the seeded users and each user's role in them, for the
//! organization-level consent: only an owner or an admin may grant it, and an admin of
//! several accounts picks one. The demo users differ on purpose: the US one owns one
//! account and administers another (so the pick is practised), the EU one is staff
//! only (so the refusal is), and the India one owns one (Payments' home data center).

use crate::users::DEMO_EU_USER;
use crate::users::DEMO_US_USER;

/// A user's role in a Payments account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Owner,
    Admin,
    Staff,
}

/// A Zoho Payments account (Zoho's `account_id`, which every Payments call names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PaymentsAccount {
    pub(crate) account_id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) role: Role,
}

impl PaymentsAccount {
    /// True when this user may grant organization-level access to the account.
    pub(crate) fn may_grant(&self) -> bool {
        matches!(self.role, Role::Owner | Role::Admin)
    }
}

const US: &[PaymentsAccount] = &[
    PaymentsAccount {
        account_id: "30001234567",
        name: "Morgan Bookkeeping LLC",
        role: Role::Owner,
    },
    PaymentsAccount {
        account_id: "30001234598",
        name: "Riverside Bakery Inc.",
        role: Role::Admin,
    },
];

const EU: &[PaymentsAccount] = &[PaymentsAccount {
    account_id: "30002233445",
    name: "Boulangerie du Marché",
    role: Role::Staff,
}];

const IN: &[PaymentsAccount] = &[PaymentsAccount {
    account_id: "60023137556",
    name: "Sharma & Associates",
    role: Role::Owner,
}];

/// The Payments accounts `email` belongs to, with the user's role in each.
pub(crate) fn accounts_of(email: &str) -> &'static [PaymentsAccount] {
    match email.trim().to_ascii_lowercase().as_str() {
        e if e == DEMO_US_USER => US,
        e if e == DEMO_EU_USER => EU,
        "accountant@example.in" => IN,
        _ => &[],
    }
}

/// The accounts `email` may grant organization-level access to.
pub(crate) fn grantable_by(email: &str) -> Vec<PaymentsAccount> {
    accounts_of(email)
        .iter()
        .filter(|a| a.may_grant())
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_owners_and_admins_may_grant() {
        assert_eq!(grantable_by(DEMO_US_USER).len(), 2);
        assert!(grantable_by(DEMO_EU_USER).is_empty());
        assert_eq!(accounts_of(DEMO_EU_USER).len(), 1, "staff, not absent");
        assert_eq!(grantable_by("accountant@example.in").len(), 1);
        assert!(grantable_by("nobody@example.com").is_empty());
    }
}
