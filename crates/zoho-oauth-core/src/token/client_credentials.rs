//! Client credentials for a Self Client: `grant_type=client_credentials` with `scope`
//! and `soid={service}.{orgid}` gives an access token for one organization and no
//! refresh token. It spends nothing of Zoho's 20 refresh tokens per user and client,
//! and the caller asks again once the hour is up. Zoho recommends it for one-time
//! server tasks, not for integrations that run for months.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::answer::{tokens_from, Grant};
use super::{TokenClient, Tokens};
use crate::client::{ClientCredentials, ClientType};
use crate::datacenter::DataCenter;
use crate::error::{safe_id, Error, Result};
use crate::scopes;

/// The organization a client-credentials token is for, as Zoho's `soid` names it:
/// the product's service (`ZohoBooks`, `ZohoCRM`) and the organization's ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Soid {
    /// The first part of the product's scopes, e.g. `ZohoBooks`.
    pub service: String,
    /// The organization's ID in that product, e.g. `10234695`.
    pub org_id: String,
}

impl Soid {
    /// The `soid` for an organization of a catalog product (`"books"`, `"crm"`, or its
    /// name). The error says in plain words what is wrong with the ID as typed.
    ///
    /// # Errors
    /// An unknown product, an empty ID, or one with anything but letters and digits.
    pub fn for_product(product: &str, org_id: &str) -> std::result::Result<Soid, String> {
        let service = scopes::catalog()
            .products
            .iter()
            .find(|p| p.id == product || p.name == product)
            .map(|p| p.service)
            .ok_or_else(|| format!("The assistant does not know the product {product:?}."))?;
        let org_id = org_id.trim();
        if org_id.is_empty() {
            return Err("Type the ID of the organization the token is for.".to_owned());
        }
        if !org_id.chars().all(|c| c.is_ascii_alphanumeric()) || org_id.len() > 32 {
            return Err(
                "An organization ID has only digits (and sometimes letters), with no spaces."
                    .to_owned(),
            );
        }
        Ok(Soid {
            service: service.to_owned(),
            org_id: org_id.to_owned(),
        })
    }
}

impl fmt::Display for Soid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.service, self.org_id)
    }
}

impl TokenClient {
    /// Asks `dc`'s accounts server for an access token for `soid`'s organization with
    /// the Self Client's own credentials. The answer carries no refresh token.
    ///
    /// # Errors
    /// [`Error::ClientTypeRefused`] before anything is sent when `client` is not a Self
    /// Client; from Zoho: [`Error::MissingOrgInfo`], [`Error::OrgInfoRefused`],
    /// [`Error::InvalidClient`], [`Error::InvalidClientSecret`], [`Error::ScopeRefused`],
    /// [`Error::RateLimited`], and the transport errors of any token request.
    pub async fn client_credentials(
        &self,
        dc: DataCenter,
        client: &ClientCredentials,
        scopes: &[String],
        soid: &Soid,
    ) -> Result<Tokens> {
        if client.client_type != ClientType::SelfClient {
            return Err(Error::ClientTypeRefused);
        }
        let scope = scopes.join(",");
        let soid_text = soid.to_string();
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client.client_id.trim()),
            ("client_secret", client.client_secret.expose().trim()),
            ("scope", scope.as_str()),
            ("soid", soid_text.as_str()),
        ];
        let ctx = self.context(dc, Grant::ClientCredentials);
        let answer = self.post_form(dc, "/oauth/v2/token", &form).await?;
        let mut tokens = tokens_from(&answer, &ctx).map_err(|err| match err {
            Error::OrgInfoRefused { .. } => Error::OrgInfoRefused {
                organization_id: safe_id(&soid.org_id),
            },
            other => other,
        })?;
        // Zoho has no refresh token to give here; one in the answer would be a token
        // nobody asked for, counted against the 20, and is not kept.
        tokens.refresh_token = None;
        if tokens.scope.is_none() {
            tokens.scope = Some(scope);
        }
        tracing::debug!(dc = ?dc, "client-credentials access token issued");
        Ok(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soid_is_the_service_and_the_organization() {
        let soid = Soid::for_product("books", " 10234695 ").unwrap();
        assert_eq!(soid.to_string(), "ZohoBooks.10234695");
        let crm = Soid::for_product("Zoho CRM", "4876920000000020011").unwrap();
        assert_eq!(crm.to_string(), "ZohoCRM.4876920000000020011");
    }

    #[test]
    fn a_mistyped_organization_is_named_in_plain_words() {
        assert!(Soid::for_product("books", "").unwrap_err().contains("Type"));
        assert!(Soid::for_product("books", "1023 4695")
            .unwrap_err()
            .contains("no spaces"));
        assert!(Soid::for_product("books", "10234695&x=1").is_err());
        assert!(Soid::for_product("nothing", "1").is_err());
    }
}
