//! Step one of adding scopes to a refresh token: `POST {accounts}/oauth/v2/token/scopeenhance`
//! with `grant_type=update_scopes_token`. Zoho's page names the answer's token field
//! `access_token`, though it is no access token: it only opens the `addextrascope` page
//! (see [`crate::enhance`]), so it is kept as an [`EnhanceToken`] and never sent to an API.

use serde::Deserialize;

use super::answer::{token_error, Grant};
use super::TokenClient;
use crate::client::ClientCredentials;
use crate::datacenter::DataCenter;
use crate::error::{Error, Result};
use crate::secret::{EnhanceToken, RefreshToken};

#[derive(Deserialize)]
struct Body {
    access_token: Option<EnhanceToken>,
    error: Option<String>,
    error_description: Option<String>,
}

impl TokenClient {
    /// Asks `dc`'s accounts server for a scope enhancement token for `refresh_token`.
    ///
    /// # Errors
    /// [`Error::ScopesCannotBeAdded`] for a Self Client (`unauthorized_client`),
    /// [`Error::RefreshTokenRevoked`], [`Error::InvalidClient`],
    /// [`Error::InvalidClientSecret`], [`Error::RateLimited`], and the transport errors.
    pub async fn request_enhance_token(
        &self,
        dc: DataCenter,
        client: &ClientCredentials,
        refresh_token: &RefreshToken,
    ) -> Result<EnhanceToken> {
        let form = [
            ("grant_type", "update_scopes_token"),
            ("refresh_token", refresh_token.expose().trim()),
            ("client_id", client.client_id.trim()),
            ("client_secret", client.client_secret.expose().trim()),
        ];
        let answer = self
            .post_form(dc, "/oauth/v2/token/scopeenhance", &form)
            .await?;
        let status = answer.status;
        if status >= 500 {
            return Err(Error::ZohoUnavailable { status });
        }
        let body: Body = match serde_json::from_slice(&answer.body) {
            Ok(body) => body,
            Err(_) if status == 429 => return Err(Error::RateLimited),
            Err(_) => return Err(Error::UnreadableResponse { status }),
        };
        if let Some(error) = body.error.as_deref() {
            if error == "unauthorized_client" {
                return Err(Error::ScopesCannotBeAdded);
            }
            let ctx = self.context(dc, Grant::RefreshToken);
            return Err(token_error(
                error,
                body.error_description.as_deref(),
                status,
                &ctx,
            ));
        }
        match body.access_token {
            Some(token) if (200..300).contains(&status) && !token.is_empty() => {
                tracing::debug!(dc = ?dc, "scope enhancement token received");
                Ok(token)
            }
            _ => Err(Error::UnreadableResponse { status }),
        }
    }
}
