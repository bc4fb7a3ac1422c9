//! Using a saved connection: the access token to use now, and the product's connection
//! test, for the app and the command line alike.
//!
//! Zoho allows about 10 access tokens per refresh token in 10 minutes and then locks the
//! client out, so the stored access token is reused while it is usable (the core's
//! margin, [`crate::vault::refresh_margin`]) and refreshed only after that. What a
//! refusal teaches (a lockout, a dead refresh token) is written into the connection, and
//! nothing is sent again until it passes.
//!
//! Several processes may use one vault at a time (the app, any number of scripts
//! calling the command line). The decision and the refresh happen with the vault's file
//! lock held and the vault re-read ([`Vault::lock`]), so that when two of them find the
//! token expired, the first refreshes it and the second, once it has the lock, finds the
//! new token and reuses it: Zoho sees one refresh.

mod words;

pub use words::{day, status_words, StatusWords};

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use time::OffsetDateTime;

use crate::api::ApiClient;
use crate::client::ClientCredentials;
use crate::clock::{Clock, SystemClock};
use crate::datacenter::ZohoEnv;
use crate::error::Error;
use crate::scopes;
use crate::secret::AccessToken;
use crate::token::{TokenClient, Tokens};
use crate::vault::{
    refresh_margin, Connection, ConnectionId, ConnectionStatus, ConnectionSummary, RefreshProblem,
    RefreshedAccess, SavedOrganization, TestCallOutcome, TokenSource, Vault, VaultError, VaultLock,
};

/// Where a [`Vault`] lives, for code that must not hold it across a call to Zoho: the
/// app keeps it behind a lock on a blocking pool, the command line in a plain mutex.
pub trait VaultHandle: Sync {
    /// What using the vault can fail with.
    type Error: From<VaultError> + Send;

    /// Runs `f` with the vault to itself.
    fn with_vault<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> impl Future<Output = Result<T, Self::Error>> + Send;
}

impl VaultHandle for Mutex<Vault> {
    type Error = VaultError;

    fn with_vault<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> impl Future<Output = Result<T, VaultError>> + Send {
        let result = f(&mut self.lock().unwrap_or_else(PoisonError::into_inner));
        std::future::ready(result)
    }
}

/// Why no access token (or no test) was had.
#[derive(Debug, thiserror::Error)]
pub enum AccessError<E> {
    /// Zoho refused new access tokens for a while and the stored one is not usable:
    /// nothing was sent.
    #[error(
        "Zoho is still refusing new access tokens for \"{name}\" after too many were asked for."
    )]
    LockedOut {
        /// The connection's name.
        name: String,
        /// When to ask again.
        until: OffsetDateTime,
    },
    /// The refresh token is known not to work any more (revoked, or deleted by Zoho):
    /// nothing was sent.
    #[error("\"{name}\" no longer has a working refresh token.")]
    NeedsNewGrant {
        /// The connection's name.
        name: String,
    },
    /// Zoho or the network refused; what it says about the refresh token is saved.
    #[error(transparent)]
    Zoho(#[from] Error),
    /// The vault.
    #[error("{0}")]
    Vault(E),
}

/// When to refresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Want {
    /// When the person or script asked: a token refreshed since (by another press or
    /// process) is taken as the answer.
    pub asked_at: OffsetDateTime,
    /// Refresh even while the stored access token is usable (the person was told the
    /// cost).
    pub force: bool,
}

impl Want {
    /// The token to use now: the stored one while usable, else a refreshed one.
    pub fn usable_now(asked_at: OffsetDateTime) -> Self {
        Want {
            asked_at,
            force: false,
        }
    }
}

/// How the access token was had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obtained {
    /// The stored one is usable: nothing was sent.
    Reused,
    /// Another press or process refreshed it after it was asked for: that one is used.
    RefreshedMeanwhile,
    /// A new one was fetched and saved.
    Refreshed,
}

/// The access token to use, with what goes with it.
#[derive(Clone, Debug)]
pub struct Access {
    /// How it was had.
    pub obtained: Obtained,
    /// The connection's tokens, its access token the one to use.
    pub tokens: Tokens,
    /// The connection as it is now (after the refresh, when there was one).
    pub summary: ConnectionSummary,
}

impl Access {
    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.tokens.access_token
    }
}

/// What a connection test showed, in plain words, as it was saved.
#[derive(Clone, Debug)]
pub struct TestReport {
    /// What it showed.
    pub message: String,
    /// What was saved as the connection's last test.
    pub outcome: TestCallOutcome,
}

/// Uses saved connections: hands out access tokens and runs the connection test.
#[derive(Clone, Debug)]
pub struct SavedAccess {
    clock: Arc<dyn Clock>,
}

impl Default for SavedAccess {
    fn default() -> Self {
        SavedAccess::new(Arc::new(SystemClock))
    }
}

impl SavedAccess {
    /// Expiries and lockouts judged by `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        SavedAccess { clock }
    }

    /// The access token to use now for connection `id`: the stored one while usable and
    /// not `want.force`, else a refreshed one, saved in the vault. Decided and done with
    /// the vault's file lock held, so that concurrent callers refresh once.
    ///
    /// # Errors
    /// [`AccessError::NeedsNewGrant`] and [`AccessError::LockedOut`] (nothing sent);
    /// [`AccessError::Zoho`] for Zoho's refusal or a network failure (a lockout or a
    /// dead refresh token it reveals is saved); [`AccessError::Vault`].
    pub async fn access_token<V: VaultHandle>(
        &self,
        vault: &V,
        id: &ConnectionId,
        want: Want,
    ) -> Result<Access, AccessError<V::Error>> {
        let now = self.clock.now();
        let target = id.clone();
        let (held, connection, status) = vault
            .with_vault(move |v| {
                let held = v.lock()?;
                let connection = v.get(&target)?;
                let status = v.status(&target, now)?;
                Ok((held, connection, status))
            })
            .await
            .map_err(AccessError::Vault)?;
        let summary = &connection.summary;
        if status.needs_new_grant() {
            return Err(AccessError::NeedsNewGrant {
                name: summary.name.clone(),
            });
        }
        let usable = summary.access_token_usable(now, refresh_margin())
            && connection.secrets.access_token.is_some();
        let meanwhile = summary
            .last_refreshed_at
            .is_some_and(|at| at >= want.asked_at);
        if usable && meanwhile {
            return Ok(reused(connection, Obtained::RefreshedMeanwhile));
        }
        if usable && !want.force {
            return Ok(reused(connection, Obtained::Reused));
        }
        if let ConnectionStatus::LockedOut { until } = status {
            return Err(AccessError::LockedOut {
                name: summary.name.clone(),
                until,
            });
        }
        let (tokens, summary) = self.refresh(vault, &connection, held).await?;
        Ok(Access {
            obtained: Obtained::Refreshed,
            tokens,
            summary,
        })
    }

    /// Tests connection `id` with its product's own call, refreshing first only when
    /// the access token is not usable; a stored token Zoho rejects (revoked, or its
    /// clock ahead of ours) gets one refresh and one more try. What the call showed is
    /// saved as the connection's last test, and returned.
    ///
    /// # Errors
    /// [`AccessError::NeedsNewGrant`], and [`AccessError::LockedOut`] when the access
    /// token is not usable (nothing sent, nothing saved); [`AccessError::Zoho`] for a
    /// failed call (saved as a failed test); [`AccessError::Vault`].
    pub async fn test<V: VaultHandle>(
        &self,
        vault: &V,
        id: &ConnectionId,
    ) -> Result<TestReport, AccessError<V::Error>> {
        let result = self.test_call(vault, id).await;
        let outcome = match &result {
            Ok(report) => report.outcome.clone(),
            Err(AccessError::Zoho(err)) => TestCallOutcome::Failed {
                kind: crate::UserFacing::kind(err).to_owned(),
                message: err.to_string(),
            },
            Err(_) => return result,
        };
        let target = id.clone();
        vault
            .with_vault(move |v| v.record_test_call(&target, outcome))
            .await
            .map_err(AccessError::Vault)?;
        result
    }

    async fn test_call<V: VaultHandle>(
        &self,
        vault: &V,
        id: &ConnectionId,
    ) -> Result<TestReport, AccessError<V::Error>> {
        let access = self
            .access_token(vault, id, Want::usable_now(self.clock.now()))
            .await?;
        let summary = &access.summary;
        let product = product_id(&summary.product);
        let client = self.token_client(&summary.environment)?;
        let api = ApiClient::new(&client);
        let report = match api.test_connection(&product, &access.tokens).await {
            Err(Error::InvalidAccessToken) if access.obtained != Obtained::Refreshed => {
                let retry = Want {
                    asked_at: self.clock.now(),
                    force: true,
                };
                let access = self.access_token(vault, id, retry).await?;
                api.test_connection(&product, &access.tokens).await?
            }
            other => other?,
        };
        let organizations = report.organizations.organizations().to_vec();
        let chosen = summary.organization_for_calls().cloned();
        let message = match (&chosen, organizations.as_slice()) {
            (_, []) => match &report.user {
                Some(user) => format!("It works: Zoho answered for {}.", user.describe()),
                None => format!("It works: {} answered.", summary.product),
            },
            (Some(chosen), all) if !all.iter().any(|o| o.id == chosen.id) => format!(
                "{} answered, but the organization this connection is for ({}) is no longer among the {} it lists. Check with the account's owner before another tool writes with it.",
                summary.product,
                chosen.name,
                all.len()
            ),
            (Some(chosen), _) => format!(
                "It works: {} answered, and {} is there.",
                summary.product, chosen.name
            ),
            (None, [only]) => {
                format!("It works: {} answered with {}.", summary.product, only.name)
            }
            (None, all) => format!(
                "It works: {} answered with {} organizations.",
                summary.product,
                all.len()
            ),
        };
        Ok(TestReport {
            message,
            outcome: TestCallOutcome::Succeeded {
                organizations: organizations.iter().map(SavedOrganization::from).collect(),
            },
        })
    }

    /// Asks Zoho for a new access token and saves it, the lock still held; what Zoho's
    /// refusal says about the refresh token is saved instead.
    async fn refresh<V: VaultHandle>(
        &self,
        vault: &V,
        connection: &Connection,
        held: VaultLock,
    ) -> Result<(Tokens, ConnectionSummary), AccessError<V::Error>> {
        let summary = &connection.summary;
        let client = ClientCredentials {
            client_type: summary.client_type,
            client_id: summary.client_id.clone(),
            client_secret: connection.secrets.client_secret.clone(),
        };
        let token_client = self.token_client(&summary.environment)?;
        let answer = match (&summary.token_source, &connection.secrets.refresh_token) {
            (TokenSource::ClientCredentials { soid }, _) => {
                token_client
                    .client_credentials(summary.data_center, &client, &summary.scopes, soid)
                    .await
            }
            (TokenSource::RefreshToken, Some(refresh_token)) => {
                token_client
                    .refresh(summary.data_center, &client, refresh_token)
                    .await
            }
            (TokenSource::RefreshToken, None) => Err(Error::NoRefreshToken),
        };
        let id = summary.id.clone();
        let now = self.clock.now();
        let saved = match answer {
            Ok(mut tokens) => {
                let refreshed = RefreshedAccess::from(&tokens);
                let summary = vault
                    .with_vault(move |v| {
                        v.record_refresh(&id, refreshed)?;
                        Ok(v.summary(&id)?.clone())
                    })
                    .await
                    .map_err(AccessError::Vault)?;
                if tokens.scope.is_none() {
                    tokens.scope = Some(summary.scopes.join(","));
                }
                Ok((tokens, summary))
            }
            Err(err) => {
                if let Some(problem) = RefreshProblem::from_error(&err, now) {
                    vault
                        .with_vault(move |v| v.record_refresh_problem(&id, problem))
                        .await
                        .map_err(AccessError::Vault)?;
                }
                Err(err.into())
            }
        };
        drop(held);
        saved
    }

    fn token_client<E>(&self, env: &ZohoEnv) -> Result<TokenClient, AccessError<E>> {
        Ok(TokenClient::new(env.clone(), self.clock.clone())?)
    }
}

/// The stored tokens, as the token and API clients take them.
fn reused(connection: Connection, obtained: Obtained) -> Access {
    let Connection {
        summary, secrets, ..
    } = connection;
    let tokens = Tokens {
        dc: summary.data_center,
        access_token: secrets.access_token.unwrap_or_else(|| AccessToken::new("")),
        refresh_token: secrets.refresh_token,
        api_domain: summary.api_domain.clone(),
        scope: Some(summary.scopes.join(",")),
        expires_at: summary
            .access_token_expires_at
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
    };
    Access {
        obtained,
        tokens,
        summary,
    }
}

/// Which side of practice mode a connection is on, against the one in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideMismatch {
    /// A practice connection, while practice mode is off or on another practice server.
    PracticeOff,
    /// A connection to the real Zoho, while practice mode is on.
    PracticeOn,
}

/// `None` when `summary`'s tokens may be sent in `env`: tokens go only to the side they
/// were made on, and practice mode promises that nothing reaches Zoho.
pub fn side_mismatch(summary: &ConnectionSummary, env: &ZohoEnv) -> Option<SideMismatch> {
    match (&summary.environment, env) {
        (saved, current) if saved == current => None,
        (ZohoEnv::Production, ZohoEnv::Sandbox { .. }) => Some(SideMismatch::PracticeOn),
        _ => Some(SideMismatch::PracticeOff),
    }
}

/// The catalog id of a saved product name ("Zoho Books" -> "books").
pub fn product_id(name: &str) -> String {
    scopes::catalog()
        .products
        .iter()
        .find(|p| p.name == name || p.id == name)
        .map_or_else(|| name.to_owned(), |p| p.id.to_owned())
}
