//! `grant_type=client_credentials` for a Self Client: an access token for one
//! organization of the client owner's account, named by `soid={service}.{orgid}`, and
//! no refresh token (the caller asks again when it runs out). Only a Self Client may
//! use it, only at its home data center, and only for an organization its owner belongs
//! to in that service.

use crate::clients::ClientType;
use crate::dc::Dc;
use crate::params::Params;
use crate::product::Product;
use crate::scopes;
use crate::state::{Shared, ACCESS_TOKEN_LIFETIME};
use crate::tokens::{admit_code_request, authenticate_client, Issued, TokenFailure};
use crate::users::User;

/// `POST {dc}/oauth/v2/token` with `grant_type=client_credentials`.
pub(crate) fn grant(shared: &Shared, dc: Dc, params: &Params) -> Result<Issued, TokenFailure> {
    let now = shared.clock.now();
    let mut store = shared.store_mut();
    if let Some(client_id) = params.get("client_id") {
        admit_code_request(&mut store, dc, client_id, now)?;
    }
    let (Some(client_id), Some(secret), Some(scope)) = (
        params.get("client_id"),
        params.get("client_secret"),
        params.get("scope"),
    ) else {
        return Err(TokenFailure::InvalidRequest);
    };
    let client = authenticate_client(&store, dc, client_id, secret)?;
    if client.client_type != ClientType::SelfClient {
        return Err(TokenFailure::UnauthorizedClient);
    }
    let client_id = client.id.clone();
    let owner_email = client.owner_email.clone();
    let scopes = scopes::parse(scope).map_err(|_| TokenFailure::InvalidScope)?;
    let soid = params.get("soid").ok_or(TokenFailure::MissingOrgInfo)?;
    let owner = store
        .user(&owner_email)
        .ok_or(TokenFailure::InvalidClient)?;
    if !belongs_to(owner, soid) {
        return Err(TokenFailure::InvalidOrgInfo);
    }
    let access_token =
        store.mint_access_token(&client_id, &owner_email, dc, scopes.clone(), None, now);
    Ok(Issued {
        access_token,
        refresh_token: None,
        scope: scopes.join(","),
        api_domain: shared.api_url(dc),
        expires_in: ACCESS_TOKEN_LIFETIME.as_secs(),
        account_id: None,
    })
}

/// True when `soid` (`ZohoBooks.10234695`, `ZohoCRM.4876920000000020011`) names an
/// organization `user` belongs to in that service. Service names are matched as Zoho
/// spells them in scopes, without regard to case.
fn belongs_to(user: &User, soid: &str) -> bool {
    let Some((service, org_id)) = soid.trim().split_once('.') else {
        return false;
    };
    let product = match service.to_ascii_lowercase().as_str() {
        "zohobooks" => Some(Product::Books),
        "zohoinventory" => Some(Product::Inventory),
        "zohoinvoice" => Some(Product::Invoice),
        "zohoexpense" => Some(Product::Expense),
        "zohocrm" => return user.crm.as_ref().is_some_and(|crm| crm.id == org_id),
        _ => None,
    };
    product.is_some_and(|p| {
        user.organizations(p)
            .iter()
            .any(|o| o.organization_id == org_id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::{seeded, DEMO_US_USER};

    #[test]
    fn an_soid_must_name_one_of_the_owners_organizations() {
        let users = seeded();
        let alex = users.iter().find(|u| u.email == DEMO_US_USER).unwrap();
        assert!(belongs_to(alex, "ZohoBooks.10234695"));
        assert!(belongs_to(alex, "zohobooks.10234721"));
        assert!(belongs_to(alex, "ZohoInventory.10234812"));
        assert!(belongs_to(alex, "ZohoCRM.4876920000000020011"));
        assert!(
            !belongs_to(alex, "ZohoBooks.10234812"),
            "an Inventory-only org"
        );
        assert!(
            !belongs_to(alex, "ZohoBooks.20081134"),
            "someone else's org"
        );
        assert!(!belongs_to(alex, "ZohoBooks"));
        assert!(!belongs_to(alex, "ZohoMail.10234695"));
    }
}
