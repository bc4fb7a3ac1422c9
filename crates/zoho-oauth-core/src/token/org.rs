//! Zoho Payments' organization-level grant: the consent page is `/oauth/v2/org/auth`
//! (see [`crate::PendingConsent::start`] with an ORG client), the exchange is the usual
//! one, and the answer also names the Payments `account_id` that every Payments call
//! needs, which the usual [`Tokens`] do not carry.

use serde::Deserialize;

use super::{CodeExchange, TokenClient, Tokens};
use crate::authorize::PendingConsent;
use crate::error::Result;
use crate::loopback::AuthorizationCallback;

/// What an organization-level exchange gives: the tokens and, where Zoho names it, the
/// Payments account they were granted for.
#[derive(Clone, Debug)]
pub struct OrgGrant {
    /// The tokens, as for any consent.
    pub tokens: Tokens,
    /// Zoho Payments' `account_id` (not secret: Payments URLs carry it).
    pub account_id: Option<String>,
}

#[derive(Deserialize)]
struct AccountBody {
    account_id: Option<serde_json::Value>,
}

impl TokenClient {
    /// Exchanges the code of an organization-level consent, keeping the `account_id`
    /// of the answer.
    ///
    /// # Errors
    /// As [`TokenClient::exchange_code`].
    pub async fn exchange_org_consent(
        &self,
        pending: PendingConsent,
        callback: AuthorizationCallback,
    ) -> Result<OrgGrant> {
        let redirect_uri = pending.redirect_uri().to_string();
        let exchange = CodeExchange {
            dc: callback.account_dc,
            client: pending.client(),
            code: &callback.code,
            redirect_uri: Some(&redirect_uri),
            code_verifier: Some(pending.verifier()),
            client_dc: Some(pending.client_dc()),
        };
        let (tokens, body) = self.exchange_code_with_body(exchange).await?;
        let account_id = serde_json::from_slice::<AccountBody>(&body)
            .ok()
            .and_then(|b| b.account_id)
            .and_then(|id| match id {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .map(|id| crate::error::safe_id(&id))
            .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric()));
        Ok(OrgGrant { tokens, account_id })
    }
}
