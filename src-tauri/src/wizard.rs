//! The connection being made in the window: the client the person registered, and the
//! tokens and organizations Zoho gave back. Everything secret stays here, in Rust; the
//! UI gets identifiers, masked values, expiries and outcomes.
//!
//! One connection is made at a time. Every step checks that it happens in the
//! environment (Zoho or a practice server) the connection was started in, since a
//! client or a token of one means nothing to the other.

use std::sync::Arc;

use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::Mutex;
use zoho_oauth_core::{
    client_id_problem, client_secret_problem, BooksClient, ClientCredentials, ClientSecret,
    ClientType, DataCenter, GrantCode, Organization, SystemClock, TokenClient, Tokens, ZohoEnv,
};

use crate::error::AppError;

/// The registered client, as the UI may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientView {
    /// Self Client or server-based.
    pub client_type: ClientType,
    /// The Client ID (not secret: it travels in authorize URLs).
    pub client_id: String,
    /// The data center whose API Console issued it.
    pub dc: DataCenter,
    /// The secret's length and last characters, so the person can tell which one it is.
    pub secret_hint: String,
}

/// What the format checks say about the two fields as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientFieldCheck {
    /// Why the Client ID cannot be right, or `None`.
    pub client_id: Option<String>,
    /// Why the Client Secret cannot be right, or `None`.
    pub client_secret: Option<String>,
}

/// The state of a new connection after the code exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokensView {
    /// Where the account lives.
    pub dc: DataCenter,
    /// The scopes Zoho granted, as it said them.
    pub scope: Option<String>,
    /// Where API calls go.
    pub api_domain: String,
    /// When the access token stops working (RFC 3339).
    pub access_expires_at: String,
    /// Seconds left on the access token right now.
    pub access_seconds_left: i64,
    /// The refresh token, masked.
    pub refresh_token_masked: Option<String>,
    /// The access token, masked.
    pub access_token_masked: String,
}

/// The organizations the connection test found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestView {
    /// Every organization the connection can reach; the default one is marked.
    pub organizations: Vec<Organization>,
    /// The one the person chose, or the only one there is.
    pub chosen: Option<String>,
}

struct Registered {
    env: ZohoEnv,
    dc: DataCenter,
    credentials: ClientCredentials,
}

#[derive(Default)]
struct Draft {
    client: Option<Registered>,
    tokens: Option<Tokens>,
    organizations: Vec<Organization>,
    chosen: Option<String>,
}

/// The connection being made, managed by Tauri.
#[derive(Default)]
pub struct Wizard {
    draft: Mutex<Draft>,
}

impl Wizard {
    /// Checks the two fields as typed; nothing is kept.
    pub fn check_fields(client_id: &str, client_secret: &str) -> ClientFieldCheck {
        ClientFieldCheck {
            client_id: client_id_problem(client_id),
            client_secret: client_secret_problem(client_secret),
        }
    }

    /// Keeps the client the person registered in `dc`'s API Console, replacing any
    /// earlier one and whatever was obtained with it.
    ///
    /// # Errors
    /// [`AppError::ClientFields`] when either field cannot be right.
    pub async fn set_client(
        &self,
        env: ZohoEnv,
        dc: DataCenter,
        client_type: ClientType,
        client_id: &str,
        client_secret: ClientSecret,
    ) -> Result<ClientView, AppError> {
        let check = Self::check_fields(client_id, client_secret.expose());
        if let Some(problem) = check.client_id.or(check.client_secret) {
            return Err(AppError::ClientFields { problem });
        }
        let credentials = ClientCredentials {
            client_type,
            client_id: client_id.trim().to_owned(),
            client_secret: ClientSecret::new(client_secret.expose().trim()),
        };
        let view = client_view(dc, &credentials);
        *self.draft.lock().await = Draft {
            client: Some(Registered {
                env,
                dc,
                credentials,
            }),
            ..Draft::default()
        };
        Ok(view)
    }

    /// Exchanges a code the person generated for the Self Client at its data center.
    ///
    /// # Errors
    /// [`AppError::NoClient`] or [`AppError::EnvironmentChanged`] when the step is out
    /// of order; otherwise the core's errors (expired or used code, wrong client or
    /// secret, wrong data center, network), as plain words.
    pub async fn exchange_self_client_code(
        &self,
        env: ZohoEnv,
        code: GrantCode,
    ) -> Result<TokensView, AppError> {
        let mut draft = self.draft.lock().await;
        let registered = draft.client.as_ref().ok_or(AppError::NoClient)?;
        if registered.env != env {
            return Err(AppError::EnvironmentChanged);
        }
        let tokens = token_client(&env)?
            .exchange_self_client_code(registered.dc, &registered.credentials, &code)
            .await?;
        let view = tokens_view(&tokens);
        draft.tokens = Some(tokens);
        draft.organizations.clear();
        draft.chosen = None;
        Ok(view)
    }

    /// Proves the new tokens work by listing the organizations they reach. One
    /// organization is taken as the choice; several wait for the person to pick.
    ///
    /// # Errors
    /// [`AppError::NoTokens`] before an exchange; the core's API errors (missing scope,
    /// rejected token, network).
    pub async fn test_connection(&self, env: ZohoEnv) -> Result<TestView, AppError> {
        let mut draft = self.draft.lock().await;
        let tokens = draft.tokens.as_ref().ok_or(AppError::NoTokens)?;
        if draft.client.as_ref().map(|c| &c.env) != Some(&env) {
            return Err(AppError::EnvironmentChanged);
        }
        let organizations = BooksClient::new(&token_client(&env)?)
            .organizations(tokens)
            .await?;
        draft.chosen = match organizations.as_slice() {
            [only] => Some(only.organization_id.clone()),
            _ => None,
        };
        draft.organizations = organizations;
        Ok(test_view(&draft))
    }

    /// Records the organization the person picked among those the test found.
    ///
    /// # Errors
    /// [`AppError::UnknownOrganization`] for an id the test did not return.
    pub async fn choose_organization(&self, organization_id: &str) -> Result<TestView, AppError> {
        let mut draft = self.draft.lock().await;
        if !draft
            .organizations
            .iter()
            .any(|o| o.organization_id == organization_id)
        {
            return Err(AppError::UnknownOrganization);
        }
        draft.chosen = Some(organization_id.to_owned());
        Ok(test_view(&draft))
    }

    /// The tokens obtained so far, masked.
    pub async fn tokens(&self) -> Option<TokensView> {
        self.draft.lock().await.tokens.as_ref().map(tokens_view)
    }

    /// Forgets the connection being made, secrets included.
    pub async fn reset(&self) {
        *self.draft.lock().await = Draft::default();
    }
}

fn token_client(env: &ZohoEnv) -> Result<TokenClient, AppError> {
    Ok(TokenClient::new(env.clone(), Arc::new(SystemClock))?)
}

fn client_view(dc: DataCenter, credentials: &ClientCredentials) -> ClientView {
    ClientView {
        client_type: credentials.client_type,
        client_id: credentials.client_id.clone(),
        dc,
        secret_hint: mask(credentials.client_secret.expose()),
    }
}

fn tokens_view(tokens: &Tokens) -> TokensView {
    let left = tokens.expires_at - OffsetDateTime::now_utc();
    TokensView {
        dc: tokens.dc,
        scope: tokens.scope.clone(),
        api_domain: tokens.api_domain.clone(),
        access_expires_at: tokens
            .expires_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        access_seconds_left: left.whole_seconds().max(0),
        refresh_token_masked: tokens.refresh_token.as_ref().map(|t| mask(t.expose())),
        access_token_masked: mask(tokens.access_token.expose()),
    }
}

fn test_view(draft: &Draft) -> TestView {
    TestView {
        organizations: draft.organizations.clone(),
        chosen: draft.chosen.clone(),
    }
}

/// Enough of a secret to tell two apart (the last four characters), never enough to use.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let shown: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    if chars.len() <= 8 {
        "••••••••".to_owned()
    } else {
        format!("••••••••{shown}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_shows_only_the_last_four_characters() {
        assert_eq!(
            mask("1000.0123456789abcdef.fedcba9876543210"),
            "••••••••3210"
        );
        assert_eq!(mask("short"), "••••••••");
        assert_eq!(mask(""), "••••••••");
    }
}
