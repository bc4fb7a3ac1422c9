//! The calls that prove a new connection works, and show the user what comes next:
//! which Zoho user is connected, and which organization to use.
//!
//! - Zoho Books, Inventory, Invoice and Expense list their organizations, and CRM
//!   describes the one organization the token belongs to ([`TestCall`]).
//! - Every product's tokens can ask the accounts server who they belong to
//!   ([`ApiClient::user_info`], scope [`PROFILE_READ`]). For a product without a test
//!   call of its own (Payments, Analytics, Desk, Projects, People, WorkDrive, Mail) that
//!   call alone proves the token works.
//! - Books and Inventory calls act in one organization; [`ApiClient::check_organization`]
//!   turns Zoho's "this user belongs to multiple organizations" (code 6024) into the list
//!   to choose from.
//!
//! Organizations are never chosen for the user: one is offered, several are returned
//! with Zoho's default marked ([`OrganizationChoice`]). A refusal names the scope the
//! call needs for *this* product ([`Error::MissingScope`]). The access token goes only in
//! the `Authorization` header: product calls only to the `api_domain` Zoho named, after
//! checking it is the API domain of the tokens' data center, and the user-info call only
//! to that data center's accounts server.

mod books;
mod calls;
mod organization;
mod refusals;
mod request;
mod user;
mod wire;

use serde::Serialize;

pub use books::BooksClient;
pub use calls::{OrgScopedCall, TestCall, BOOKS_SETTINGS_READ};
pub use organization::{Organization, OrganizationCheck, OrganizationChoice};
pub use user::{ZohoUser, PROFILE_READ};

use self::refusals::Refused;
use self::wire::ErrorBody;
use crate::datacenter::ZohoEnv;
use crate::error::{Error, Result};
use crate::scopes;
use crate::token::{Answer, Http, TokenClient, Tokens};

/// Zoho's code for "this user belongs to multiple organizations".
const SEVERAL_ORGANIZATIONS: i64 = 6024;

/// What a connection test showed: the organizations to choose from and who is
/// connected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConnectionReport {
    /// The catalog id of the product tested, e.g. `"books"`.
    pub product: String,
    /// The organizations on offer ([`OrganizationChoice::NotListed`] for a product
    /// without an organizations call).
    pub organizations: OrganizationChoice,
    /// Who the tokens belong to; `None` when the connection was not granted
    /// [`PROFILE_READ`] (and the product's own call proved the connection instead).
    pub user: Option<ZohoUser>,
}

/// Calls Zoho's APIs with a connection's tokens.
///
/// The access token is used as it is: call
/// [`TokenClient::ensure_fresh`](crate::token::TokenClient::ensure_fresh) first.
#[derive(Clone, Debug)]
pub struct ApiClient {
    http: Http,
    env: ZohoEnv,
}

impl ApiClient {
    /// An API client sharing `tokens`' connections, time limits and environment.
    pub fn new(tokens: &TokenClient) -> Self {
        Self {
            http: tokens.http().clone(),
            env: tokens.env().clone(),
        }
    }

    /// Tests a connection to the catalog product `product_id`: its own call (when it
    /// has one, see [`TestCall::for_product`]) and the user-info call, at the same time.
    ///
    /// For a product with a test call, a connection without [`PROFILE_READ`] still
    /// passes, with no user; for a product without one, the user-info call is the test,
    /// so a missing profile scope fails it.
    ///
    /// # Errors
    /// As [`ApiClient::organizations`] and [`ApiClient::user_info`]; an untrusted
    /// `api_domain` fails before either call is made.
    pub async fn test_connection(
        &self,
        product_id: &str,
        tokens: &Tokens,
    ) -> Result<ConnectionReport> {
        let Some(call) = TestCall::for_product(product_id) else {
            // The user-info call alone: it goes to the accounts server, not the API domain.
            return Ok(ConnectionReport {
                product: product_id.to_owned(),
                organizations: OrganizationChoice::NotListed,
                user: Some(self.user_info(tokens).await?),
            });
        };
        // Before anything is sent: an untrusted API domain fails the test at once.
        request::on_api_domain(&self.env, tokens, call.path())?;
        let profile_refused = tokens
            .scope
            .as_deref()
            .is_some_and(|granted| !scopes::grants(granted, PROFILE_READ));
        let user_info = async {
            if profile_refused {
                // Zoho said which scopes it granted: asking would only be refused.
                Err(Error::MissingScope {
                    scope: PROFILE_READ,
                })
            } else {
                self.user_info(tokens).await
            }
        };
        let (organizations, user) = tokio::join!(self.organizations(call, tokens), user_info);
        let organizations = OrganizationChoice::from_list(organizations?);
        let user = match user {
            Ok(user) => Some(user),
            Err(Error::MissingScope { .. }) => None,
            Err(other) => return Err(other),
        };
        Ok(ConnectionReport {
            product: product_id.to_owned(),
            organizations,
            user,
        })
    }

    /// The organizations `call`'s product lists for the connection (CRM: the one the
    /// token belongs to), in Zoho's order.
    ///
    /// # Errors
    /// [`Error::UntrustedHost`] (nothing is sent) when `tokens.api_domain` is not the API
    /// domain of `tokens.dc`; [`Error::MissingScope`] naming [`TestCall::scope`];
    /// [`Error::InvalidAccessToken`] for an expired, revoked or other-DC token;
    /// [`Error::NoProductAccount`] when the user has no CRM account; and the transport
    /// errors.
    pub async fn organizations(
        &self,
        call: TestCall,
        tokens: &Tokens,
    ) -> Result<Vec<Organization>> {
        let url = request::on_api_domain(&self.env, tokens, call.path())?;
        let answer = request::get(&self.http, url, &[], tokens).await?;
        let refused = Refused {
            product: call,
            scope: call.scope(),
        };
        let status = answer.status;
        if !(200..300).contains(&status) {
            return Err(refusal(&answer, refused));
        }
        let unreadable = Error::UnreadableResponse { status };
        if !call.speaks_books_codes() {
            let list: organization::CrmOrgList =
                serde_json::from_slice(&answer.body).map_err(|_| unreadable)?;
            return list
                .organizations()
                .ok_or(Error::UnreadableResponse { status });
        }
        let list: organization::BooksFamilyList =
            serde_json::from_slice(&answer.body).map_err(|_| unreadable)?;
        match wire::text_of(&list.code).as_deref() {
            Some("0") => list
                .organizations()
                .ok_or(Error::UnreadableResponse { status }),
            Some(_) => Err(refusal(&answer, refused)),
            None => Err(Error::UnreadableResponse { status }),
        }
    }

    /// Who the tokens belong to: `GET {accounts}/oauth/user/info` on the accounts server
    /// of `tokens.dc` (never the API domain).
    ///
    /// # Errors
    /// [`Error::MissingScope`] naming [`PROFILE_READ`]; [`Error::InvalidAccessToken`];
    /// and the transport errors.
    pub async fn user_info(&self, tokens: &Tokens) -> Result<ZohoUser> {
        let url = request::on_accounts_server(&self.env, tokens, "/oauth/user/info");
        let answer = request::get(&self.http, url, &[], tokens).await?;
        user::user_from(&answer)
    }

    /// Reads one row in the organization `organization_id` of `call`'s product, to check
    /// the connection can act there; without an organization, to learn whether the user
    /// has to choose one.
    ///
    /// Without an organization, Zoho answers for the account's only organization, or,
    /// for a user with several, with the list to choose from
    /// ([`OrganizationCheck::ChooseOrganization`]): it never picks one, and neither does
    /// this.
    ///
    /// # Errors
    /// As [`ApiClient::organizations`], with [`Error::MissingScope`] naming
    /// [`OrgScopedCall::scope`], and [`Error::OrganizationRefused`] when the connection
    /// has that scope but Zoho refuses to act in `organization_id` (not one of the user's
    /// organizations).
    pub async fn check_organization(
        &self,
        call: OrgScopedCall,
        tokens: &Tokens,
        organization_id: Option<&str>,
    ) -> Result<OrganizationCheck> {
        let organization_id = organization_id.map(str::trim).filter(|id| !id.is_empty());
        let url = request::on_api_domain(&self.env, tokens, call.path())?;
        let mut query = vec![("per_page", "1")];
        if let Some(id) = organization_id {
            query.insert(0, ("organization_id", id));
        }
        let answer = request::get(&self.http, url, &query, tokens).await?;
        let status = answer.status;
        let body = ErrorBody::read(&answer.body);
        if (200..300).contains(&status) && body.number() == Some(0) {
            return Ok(OrganizationCheck::Answered);
        }
        if body.number() == Some(SEVERAL_ORGANIZATIONS) {
            return organization::from_error_info(&body.error_info)
                .map(|organizations| OrganizationCheck::ChooseOrganization { organizations })
                .ok_or(Error::UnreadableResponse { status });
        }
        if (200..300).contains(&status) && !body.has_code() {
            return Err(Error::UnreadableResponse { status });
        }
        let refused = Refused {
            product: call.test_call(),
            scope: call.scope(),
        };
        match (
            refusals::books_family(status, &body, refused),
            organization_id,
        ) {
            // Books answers "not authorized" for another company's id too: when the
            // connection is known to hold the scope, the organization is the problem.
            (Error::MissingScope { .. }, Some(id))
                if tokens
                    .scope
                    .as_deref()
                    .is_some_and(|granted| scopes::grants(granted, call.scope())) =>
            {
                Err(Error::OrganizationRefused {
                    product: call.test_call().product_name(),
                    organization_id: crate::error::safe_id(id),
                })
            }
            (error, _) => Err(error),
        }
    }
}

/// The error for a refused call, in the product's own codes.
fn refusal(answer: &Answer, refused: Refused) -> Error {
    let body = ErrorBody::read(&answer.body);
    if refused.product.speaks_books_codes() {
        refusals::books_family(answer.status, &body, refused)
    } else {
        refusals::crm(answer.status, &body, refused)
    }
}
