//! The expert's way in for a one-time server task: the registered Self Client asks
//! Zoho for an access token for one organization, with no code and no refresh token.
//! What follows (the test, the save) is the same as for the other ways.

use zoho_oauth_core::{ClientType, Soid, ZohoEnv};

use super::{token_client, tokens_view, TokensView, Wizard};
use crate::error::AppError;

impl Wizard {
    /// Asks for a client-credentials token for `org_id` in `product` (a catalog id) with
    /// `scopes`, and keeps it as the connection's tokens.
    ///
    /// # Errors
    /// [`AppError::NoClient`], [`AppError::EnvironmentChanged`],
    /// [`AppError::NotSelfClient`], [`AppError::OrganizationId`] for an ID that cannot
    /// be right, and Zoho's refusals.
    pub async fn request_client_credentials(
        &self,
        env: ZohoEnv,
        product: &str,
        org_id: &str,
        scopes: Vec<String>,
    ) -> Result<TokensView, AppError> {
        let soid = Soid::for_product(product, org_id)
            .map_err(|problem| AppError::OrganizationId { problem })?;
        let mut draft = self.draft.lock().await;
        let registered = draft.client.as_ref().ok_or(AppError::NoClient)?;
        if registered.env != env {
            return Err(AppError::EnvironmentChanged);
        }
        if registered.credentials.client_type != ClientType::SelfClient {
            return Err(AppError::NotSelfClient);
        }
        let tokens = token_client(&env)?
            .client_credentials(registered.dc, &registered.credentials, &scopes, &soid)
            .await?;
        let view = tokens_view(&tokens);
        draft.tokens = Some(tokens);
        draft.soid = Some(soid);
        draft.account_id = None;
        draft.forget_test();
        Ok(view)
    }
}
