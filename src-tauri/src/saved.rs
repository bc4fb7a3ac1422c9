//! What the support person does with saved connections: refresh, test, revoke,
//! regenerate, rename, delete, reveal and copy.
//!
//! Zoho punishes a careless client: about 10 access tokens per refresh token in 10
//! minutes, then a lockout; 20 refresh tokens per user and client, then the oldest is
//! silently deleted. So a refresh happens only when the access token is expired (or the
//! person insists, after being told the cost); a lockout or a dead refresh token learned
//! from Zoho is written into the connection, and nothing is sent again until it passes
//! or a new token is minted. One action per connection runs at a time: a second press
//! waits for the first and reuses what it got.
//!
//! Every change goes through the vault's atomic save, after the call to Zoho: a failed
//! call or a crash leaves the last good tokens in place. The decisions themselves
//! (reuse or refresh, what a refusal means, the test call) are the core's
//! (`zoho_oauth_core::access`), shared with the command line, which may use the same
//! vault at the same time.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use zoho_oauth_core::access::{side_mismatch, Obtained, SideMismatch};
use zoho_oauth_core::vault::{
    Connection, ConnectionId, ConnectionStatus, ConnectionSummary, NewGrant, NewProtection,
    PreviousToken, TokenOwner,
};
use zoho_oauth_core::{
    AccessError, SavedAccess, SecretString, SystemClock, TokenClient, UserFacing, Vault,
    VaultError, VaultHandle, Want, ZohoEnv,
};

use crate::saved_error::SavedError;
use crate::saved_views::{connection_view, ConnectionView};
use crate::vault_error::VaultStepError;
use crate::vault_state::VaultState;
use crate::vault_views::{BudgetLevel, BudgetView};
use crate::wizard::{ClientView, Wizard};

/// What a Refresh did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshOutcome {
    /// A new access token was fetched and saved.
    Refreshed,
    /// Another press got one a moment ago: that one is used.
    Reused,
    /// The access token is still valid: nothing was sent; ask before forcing.
    Confirm,
}

/// A Refresh's result.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshView {
    /// What happened.
    pub outcome: RefreshOutcome,
    /// In plain words (for `confirm`: what a forced refresh costs).
    pub message: String,
    /// The connection as it is now.
    pub connection: ConnectionView,
}

/// A Test's result.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestSavedView {
    /// Whether the product answered.
    pub ok: bool,
    /// What it showed, or what went wrong and what to do.
    pub message: String,
    /// The connection as it is now (its last test saved).
    pub connection: ConnectionView,
}

/// A deletion's result.
#[derive(Clone, Debug, Serialize)]
pub struct DeletedView {
    /// What became of the connection and its token.
    pub message: String,
}

/// What regenerating would cost, before it starts.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegenerationPreview {
    /// The connection.
    pub connection: ConnectionView,
    /// How the new token is obtained: Self Client code or consent page.
    pub way: zoho_oauth_core::ClientType,
    /// The refresh tokens for this Zoho user and client, the new one counted.
    pub budget: BudgetView,
    /// When the new token makes Zoho delete the oldest: which connection that breaks.
    pub breaks: Option<String>,
}

/// The saved client, loaded into the connection being made.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegenerationStarted {
    /// The client, secret masked.
    pub client: ClientView,
    /// The permissions to ask for again.
    pub scopes: Vec<String>,
    /// The same, as the API Console's Scope field takes them.
    pub scope_string: String,
    /// The data center.
    pub dc: zoho_oauth_core::DataCenter,
}

/// A regeneration's result.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegenerationDone {
    /// The connection, with its new token.
    pub connection: ConnectionView,
    /// What happened, the old token's fate included.
    pub message: String,
    /// True when the old token was revoked at Zoho.
    pub old_revoked: bool,
}

/// Which value of a saved connection to reveal or copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedValue {
    /// The Client ID.
    ClientId,
    /// The Client Secret.
    ClientSecret,
    /// The refresh token.
    RefreshToken,
    /// The current access token.
    AccessToken,
    /// The accounts server's address.
    AccountsUrl,
    /// The API domain.
    ApiDomain,
    /// The organization id.
    OrganizationId,
}

/// The protection to change to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtectionChoice {
    /// The system keyring.
    Keyring,
    /// A passphrase.
    Passphrase,
}

/// The actions on saved connections, managed by Tauri.
#[derive(Default)]
pub struct SavedConnections {
    /// One lock per connection, so that two presses make one call to Zoho.
    busy: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl SavedConnections {
    async fn hold(&self, id: &ConnectionId) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = self
            .busy
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(id.to_string())
            .or_default()
            .clone();
        lock.lock_owned().await
    }

    /// Refreshes the access token when it is expired; while it is valid, only when
    /// `force` (the person was told the cost).
    ///
    /// # Errors
    /// A lockout still running or a dead refresh token (nothing sent); Zoho's refusal
    /// (recorded in the connection); the practice-mode mismatch; the vault's errors.
    pub async fn refresh(
        &self,
        vault: &VaultState,
        env: &ZohoEnv,
        id: ConnectionId,
        force: bool,
    ) -> Result<RefreshView, SavedError> {
        let asked = OffsetDateTime::now_utc();
        let _busy = self.hold(&id).await;
        let summary = summary_of(vault, &id).await?;
        check_side(&summary, env)?;
        stop_if_blocked(&summary, &status(vault, &id).await?)?;
        let access = SavedAccess::default()
            .access_token(
                vault,
                &id,
                Want {
                    asked_at: asked,
                    force,
                },
            )
            .await?;
        let (outcome, message) = match access.obtained {
            Obtained::RefreshedMeanwhile => (
                RefreshOutcome::Reused,
                "A new access token was fetched a moment ago; it is used.".to_owned(),
            ),
            Obtained::Reused => {
                let until = access.tokens.expires_at;
                let minutes = ((until - OffsetDateTime::now_utc()).whole_minutes()).max(1);
                (
                    RefreshOutcome::Confirm,
                    format!(
                        "The access token still works for about {minutes} more minutes, so there is no need to refresh. A refresh now spends one of the roughly 10 new access tokens Zoho allows in 10 minutes; going over locks this connection out for 15 minutes or more."
                    ),
                )
            }
            Obtained::Refreshed => (
                RefreshOutcome::Refreshed,
                "A new access token was fetched and saved. It works for an hour.".to_owned(),
            ),
        };
        Ok(RefreshView {
            outcome,
            message,
            connection: view(vault, &id).await?,
        })
    }

    /// Tests the connection with its product's own call, refreshing first only when the
    /// access token is expired; the result and its time are saved.
    ///
    /// # Errors
    /// The practice-mode mismatch and the vault's errors; what Zoho says is the result.
    pub async fn test(
        &self,
        vault: &VaultState,
        env: &ZohoEnv,
        id: ConnectionId,
    ) -> Result<TestSavedView, SavedError> {
        let _busy = self.hold(&id).await;
        check_side(&summary_of(vault, &id).await?, env)?;
        let (ok, message) = match SavedAccess::default().test(vault, &id).await {
            Ok(report) => (true, report.message),
            Err(AccessError::Zoho(err)) => (false, format!("{err} {}", err.hint())),
            Err(AccessError::Vault(err)) => return Err(err.into()),
            Err(blocked) => {
                let err = SavedError::from(blocked);
                (false, format!("{err} {}", err.hint()))
            }
        };
        Ok(TestSavedView {
            ok,
            message,
            connection: view(vault, &id).await?,
        })
    }

    /// Revokes the refresh token at the connection's accounts server; the connection
    /// stays, marked revoked, so that it can be regenerated.
    ///
    /// # Errors
    /// Network and Zoho errors (nothing changed), the vault's errors.
    pub async fn revoke(
        &self,
        vault: &VaultState,
        env: &ZohoEnv,
        id: ConnectionId,
    ) -> Result<ConnectionView, SavedError> {
        let _busy = self.hold(&id).await;
        let connection = load(vault, &id).await?;
        check_side(&connection.summary, env)?;
        let refresh_token = connection
            .secrets
            .refresh_token
            .as_ref()
            .ok_or(VaultStepError::NoRefreshToken)?;
        token_client(&connection.summary.environment)?
            .revoke(connection.summary.data_center, refresh_token)
            .await?;
        let target = id.clone();
        vault
            .with_open(move |v| Ok(v.record_revoked(&target)?))
            .await?;
        Ok(view(vault, &id).await?)
    }

    /// Deletes the connection, revoking its refresh token first when `revoke`.
    ///
    /// # Errors
    /// A failed revocation (nothing deleted), the vault's errors.
    pub async fn delete(
        &self,
        vault: &VaultState,
        env: &ZohoEnv,
        id: ConnectionId,
        revoke: bool,
    ) -> Result<DeletedView, SavedError> {
        let _busy = self.hold(&id).await;
        let connection = load(vault, &id).await?;
        let name = connection.summary.name.clone();
        let already_dead = status(vault, &id).await?.needs_new_grant();
        let refresh_token = connection.secrets.refresh_token.as_ref();
        let previous =
            if let (true, false, Some(refresh_token)) = (revoke, already_dead, refresh_token) {
                check_side(&connection.summary, env)?;
                token_client(&connection.summary.environment)?
                    .revoke(connection.summary.data_center, refresh_token)
                    .await?;
                PreviousToken::Revoked
            } else if already_dead || refresh_token.is_none() {
                PreviousToken::Revoked
            } else {
                PreviousToken::MaybeLive
            };
        vault
            .with_open(move |v| Ok(v.delete(&id, previous).map(|_| ())?))
            .await?;
        let message = match (previous, revoke) {
            _ if refresh_token.is_none() => format!("\"{name}\" was deleted. It had no refresh token; its last access token stops working within the hour."),
            (PreviousToken::Revoked, true) => format!("\"{name}\" was deleted, and its refresh token was revoked at Zoho."),
            (PreviousToken::Revoked, false) => format!("\"{name}\" was deleted. Its refresh token had already stopped working."),
            (PreviousToken::MaybeLive, _) => format!("\"{name}\" was deleted from this computer. Its refresh token still works at Zoho for any tool that has a copy, until it is revoked in Zoho (Connected Apps)."),
        };
        Ok(DeletedView { message })
    }

    /// Renames the connection.
    ///
    /// # Errors
    /// A name taken or invalid, the vault's errors.
    pub async fn rename(
        &self,
        vault: &VaultState,
        id: ConnectionId,
        name: String,
    ) -> Result<ConnectionView, SavedError> {
        let target = id.clone();
        vault
            .with_open(move |v| Ok(v.rename(&target, &name)?))
            .await?;
        Ok(view(vault, &id).await?)
    }

    /// How many refresh tokens the connection's Zoho user and client have, counting the
    /// one a regeneration would mint, and which connection it would break.
    ///
    /// # Errors
    /// The vault's errors.
    pub async fn regeneration_preview(
        &self,
        vault: &VaultState,
        id: ConnectionId,
    ) -> Result<RegenerationPreview, SavedError> {
        let (summary, budget, oldest_name, now_view) = vault
            .with_open(move |v| {
                let summary = v.summary(&id)?.clone();
                let budget = v.refresh_token_budget(&TokenOwner::of(&summary));
                let oldest_name = budget
                    .oldest_live
                    .as_ref()
                    .and_then(|t| t.connection.as_ref())
                    .map(|c| {
                        if *c == id {
                            None
                        } else {
                            Some(v.summary(c).map(|s| s.name.clone()).ok())
                        }
                    });
                let now_view = connection_view(v, &summary, OffsetDateTime::now_utc());
                Ok((summary, budget, oldest_name, now_view))
            })
            .await?;
        let limit = budget.limit;
        let used = (budget.live + 1).min(limit);
        let breaks = if budget.next_mint_evicts_oldest {
            match oldest_name {
                // The oldest is this connection's own token, which is being replaced.
                Some(None) => None,
                Some(Some(Some(name))) => Some(format!(
                    "Zoho keeps at most {limit} refresh tokens for this Zoho user and client, and this assistant knows of {live}. A new one makes Zoho silently delete the oldest, the one saved as \"{name}\": \"{name}\" and every tool using it stop working. Revoke a token you no longer need first, or go on if \"{name}\" is no longer used.",
                    live = budget.live
                )),
                _ => Some(format!(
                    "Zoho keeps at most {limit} refresh tokens for this Zoho user and client, and this assistant knows of {live}. A new one makes Zoho silently delete the oldest, which is no longer saved here: a tool that still uses it stops working.",
                    live = budget.live
                )),
            }
        } else {
            None
        };
        let level = if breaks.is_some() || used >= limit {
            BudgetLevel::Full
        } else if limit - used <= 3 {
            BudgetLevel::Near
        } else {
            BudgetLevel::Ok
        };
        let message = format!(
            "With the new one, {used} of the {limit} refresh tokens Zoho keeps for this Zoho user and client are in use (counting those made with this assistant). Revoking the old one afterwards gives one back."
        );
        Ok(RegenerationPreview {
            connection: now_view,
            way: summary.client_type,
            budget: BudgetView {
                used,
                limit,
                level,
                message,
            },
            breaks,
        })
    }

    /// Loads the saved client into the connection being made, so that the grant step
    /// (Self Client code or consent page) mints a new token for it.
    ///
    /// # Errors
    /// The practice-mode mismatch, the vault's errors.
    pub async fn begin_regeneration(
        &self,
        vault: &VaultState,
        wizard: &Wizard,
        env: &ZohoEnv,
        id: ConnectionId,
    ) -> Result<RegenerationStarted, SavedError> {
        let connection = load(vault, &id).await?;
        let summary = &connection.summary;
        check_side(summary, env)?;
        let client = wizard
            .set_client(
                summary.environment.clone(),
                summary.data_center,
                summary.client_type,
                &summary.client_id,
                connection.secrets.client_secret.clone(),
            )
            .await?;
        Ok(RegenerationStarted {
            client,
            scopes: summary.scopes.clone(),
            scope_string: summary.scopes.join(","),
            dc: summary.data_center,
        })
    }

    /// Puts the token the grant step just minted into the connection, in place, and
    /// revokes the old one when `revoke_old`.
    ///
    /// # Errors
    /// No new tokens, tokens of another client, data center or side; the vault's errors.
    /// A failed revocation of the old token is told in the message: the new token is
    /// saved either way.
    pub async fn finish_regeneration(
        &self,
        vault: &VaultState,
        wizard: &Wizard,
        id: ConnectionId,
        revoke_old: bool,
    ) -> Result<RegenerationDone, SavedError> {
        let _busy = self.hold(&id).await;
        let made = wizard.made().await?;
        let connection = load(vault, &id).await?;
        let summary = &connection.summary;
        let name = summary.name.clone();
        let mismatch = |reason| SavedError::NotThisConnection {
            name: name.clone(),
            reason,
        };
        if made.env != summary.environment {
            return Err(mismatch("they come from the other side of practice mode"));
        }
        if made.credentials.client_id.trim() != summary.client_id {
            return Err(mismatch("they were made with another Client ID"));
        }
        if made.tokens.dc != summary.data_center {
            return Err(mismatch("they come from another data center"));
        }
        let grant = NewGrant::from_tokens(&made.tokens, &summary.scopes)
            .ok_or(VaultStepError::NoRefreshToken)?;
        let old = connection.secrets.refresh_token.clone();
        let old_was_dead = status(vault, &id).await?.needs_new_grant();
        let target = id.clone();
        let previous = if old_was_dead {
            PreviousToken::Revoked
        } else {
            PreviousToken::MaybeLive
        };
        vault
            .with_open(move |v| Ok(v.replace_refresh_token(&target, grant, previous)?))
            .await?;
        wizard.reset().await;

        let (old_revoked, message) = if old.is_none() {
            (
                false,
                format!("\"{name}\" has a refresh token now. It had none before, so there was nothing to revoke."),
            )
        } else if old_was_dead {
            (
                false,
                format!("\"{name}\" has a new refresh token. The old one had already stopped working, so there was nothing to revoke."),
            )
        } else if let (true, Some(old)) = (revoke_old, old) {
            let revoked = token_client(&summary.environment)?
                .revoke(summary.data_center, &old)
                .await;
            match revoked {
                Ok(_) => {
                    vault
                        .with_open(move |v| Ok(v.record_token_revoked(&old)?))
                        .await?;
                    (
                        true,
                        format!("\"{name}\" has a new refresh token, and the old one was revoked at Zoho."),
                    )
                }
                Err(err) => (
                    false,
                    format!("\"{name}\" has a new refresh token, but the old one could not be revoked ({err}). It keeps working until it is revoked in Zoho (Connected Apps)."),
                ),
            }
        } else {
            (
                false,
                format!("\"{name}\" has a new refresh token. The old one still works at Zoho for any tool that has a copy, until it is revoked there."),
            )
        };
        Ok(RegenerationDone {
            connection: view(vault, &id).await?,
            message,
            old_revoked,
        })
    }
}

/// The value the person asked to reveal or copy.
///
/// # Errors
/// No access token stored, no organization, the vault's errors.
pub async fn value_of(
    vault: &VaultState,
    id: ConnectionId,
    which: SavedValue,
) -> Result<SecretString, SavedError> {
    let connection = load(vault, &id).await?;
    let summary = &connection.summary;
    let missing = |what: &'static str| SavedError::Vault(VaultStepError::NothingToCopy { what });
    let text = match which {
        SavedValue::ClientId => summary.client_id.clone(),
        SavedValue::ClientSecret => connection.secrets.client_secret.expose().to_owned(),
        SavedValue::RefreshToken => connection
            .secrets
            .refresh_token
            .as_ref()
            .map(|t| t.expose().to_owned())
            .ok_or_else(|| missing("refresh token"))?,
        SavedValue::AccessToken => connection
            .secrets
            .access_token
            .as_ref()
            .map(|t| t.expose().to_owned())
            .ok_or_else(|| missing("access token"))?,
        SavedValue::AccountsUrl => summary.environment.endpoints(summary.data_center).accounts,
        SavedValue::ApiDomain => summary.api_domain.clone(),
        SavedValue::OrganizationId => summary
            .organization_for_calls()
            .map(|o| o.id.clone())
            .ok_or_else(|| missing("organization id"))?,
    };
    Ok(SecretString::from(text))
}

/// The protection to change to, the passphrase typed twice when it is one.
///
/// # Errors
/// [`VaultStepError::PassphrasesDiffer`].
pub fn new_protection(
    to: ProtectionChoice,
    passphrase: Option<SecretString>,
    confirmation: Option<SecretString>,
) -> Result<NewProtection, VaultStepError> {
    match to {
        ProtectionChoice::Keyring => Ok(NewProtection::Keyring),
        ProtectionChoice::Passphrase => {
            let passphrase = passphrase.unwrap_or_else(|| SecretString::from(""));
            let same = confirmation.is_some_and(|c| c.expose() == passphrase.expose());
            if !same {
                return Err(VaultStepError::PassphrasesDiffer);
            }
            Ok(NewProtection::Passphrase(passphrase))
        }
    }
}

pub(crate) async fn load(vault: &VaultState, id: &ConnectionId) -> Result<Connection, SavedError> {
    let id = id.clone();
    Ok(vault.with_open(move |v| Ok(v.get(&id)?)).await?)
}

async fn summary_of(
    vault: &VaultState,
    id: &ConnectionId,
) -> Result<ConnectionSummary, SavedError> {
    let id = id.clone();
    Ok(vault
        .with_open(move |v| Ok(v.summary(&id)?.clone()))
        .await?)
}

pub(crate) async fn status(
    vault: &VaultState,
    id: &ConnectionId,
) -> Result<ConnectionStatus, SavedError> {
    let id = id.clone();
    Ok(vault
        .with_open(move |v| Ok(v.status(&id, OffsetDateTime::now_utc())?))
        .await?)
}

pub(crate) async fn view(
    vault: &VaultState,
    id: &ConnectionId,
) -> Result<ConnectionView, VaultStepError> {
    let id = id.clone();
    vault
        .with_open(move |v: &mut Vault| {
            let summary = v.summary(&id)?.clone();
            Ok(connection_view(v, &summary, OffsetDateTime::now_utc()))
        })
        .await
}

/// Tokens go only to the side they were made on, and practice mode promises that
/// nothing reaches Zoho.
pub(crate) fn check_side(summary: &ConnectionSummary, env: &ZohoEnv) -> Result<(), SavedError> {
    let name = summary.name.clone();
    match side_mismatch(summary, env) {
        None => Ok(()),
        Some(SideMismatch::PracticeOn) => Err(SavedError::PracticeOn { name }),
        Some(SideMismatch::PracticeOff) => Err(SavedError::PracticeOff { name }),
    }
}

pub(crate) fn stop_if_blocked(
    summary: &ConnectionSummary,
    status: &ConnectionStatus,
) -> Result<(), SavedError> {
    let name = summary.name.clone();
    match status {
        ConnectionStatus::LockedOut { until } => Err(SavedError::LockedOut {
            name,
            until: *until,
        }),
        s if s.needs_new_grant() => Err(SavedError::NeedsNewGrant { name }),
        _ => Ok(()),
    }
}

pub(crate) fn token_client(env: &ZohoEnv) -> Result<TokenClient, SavedError> {
    Ok(TokenClient::new(env.clone(), Arc::new(SystemClock))?)
}

/// The window's vault, for the core's decisions about saved connections.
impl VaultHandle for VaultState {
    type Error = VaultStepError;

    fn with_vault<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> impl Future<Output = Result<T, VaultStepError>> + Send {
        self.with_open(move |v| Ok(f(v)?))
    }
}

impl From<AccessError<VaultStepError>> for SavedError {
    fn from(err: AccessError<VaultStepError>) -> Self {
        match err {
            AccessError::LockedOut { name, until } => SavedError::LockedOut { name, until },
            AccessError::NeedsNewGrant { name } => SavedError::NeedsNewGrant { name },
            AccessError::Zoho(err) => err.into(),
            AccessError::Vault(err) => err.into(),
        }
    }
}
