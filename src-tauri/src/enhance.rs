//! "Add permissions" on a saved connection: Zoho adds scopes to the refresh token the
//! connection already has (see `zoho_oauth_core::enhance`), so no new token is minted,
//! the 20-token budget is untouched and every tool using the token keeps working.
//!
//! Only a consent-page (server-based) connection can do this; for a Self Client the
//! preview says why not and the window offers Regenerate. The page opened in the browser
//! carries the single-use enhance token, so its address stays here: the window can only
//! ask for it to be opened again, never read it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::Mutex;
use zoho_oauth_core::enhance::{self, EnhanceRequest};
use zoho_oauth_core::loopback::{CancelHandle, ListenerOptions};
use zoho_oauth_core::vault::ConnectionId;
use zoho_oauth_core::{
    ClientCredentials, ClientType, RedirectUri, SavedAccess, SecretString, UserFacing, Want,
    ZohoEnv,
};

use crate::error::{AppError, CommandError};
use crate::saved::{self};
use crate::saved_error::SavedError;
use crate::saved_views::ConnectionView;
use crate::vault_state::VaultState;

/// Whether a saved connection can gain permissions, before anything is sent.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnhancePreview {
    /// The connection as it is now.
    pub connection: ConnectionView,
    /// True for a consent-page connection whose refresh token still works.
    pub possible: bool,
    /// Why not, in plain words, when not possible.
    pub reason: Option<String>,
}

/// The browser step has started.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnhanceStarted {
    /// The permissions being added (those the connection lacks).
    pub adding: Vec<String>,
    /// How long the assistant waits for Zoho's page.
    pub timeout_seconds: u64,
    /// False when no browser could be started: the window offers to try again.
    pub browser_opened: bool,
}

/// What happens while Zoho's page is open, sent to the window as it happens.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum EnhanceEvent {
    /// Still waiting for the browser to come back.
    Waiting {
        /// Seconds since the page was opened.
        elapsed_seconds: u64,
        /// Seconds the assistant waits in all.
        timeout_seconds: u64,
    },
    /// Zoho added the permissions and the connection was saved with them.
    Added {
        /// The connection as it is now (boxed: it is far larger than the other stages).
        connection: Box<ConnectionView>,
        /// What happened, in plain words.
        message: String,
    },
    /// Nothing was added.
    Failed {
        /// Why, and what to do.
        problem: CommandError,
    },
}

/// The one enhancement that may run at a time.
struct Running {
    cancel: CancelHandle,
    env: ZohoEnv,
    /// The page, with its enhance token.
    url: SecretString,
}

/// Managed state: the redirect port (the same as the consent page's) and the flow under
/// way.
pub struct Enhancements {
    redirect_port: u16,
    running: Arc<Mutex<Option<Running>>>,
}

impl Enhancements {
    /// Flows that come back to `redirect_port` on this computer.
    pub fn new(redirect_port: u16) -> Self {
        Self {
            redirect_port,
            running: Arc::new(Mutex::new(None)),
        }
    }

    /// Whether connection `id` can gain permissions.
    ///
    /// # Errors
    /// The vault's errors.
    pub async fn preview(
        &self,
        vault: &VaultState,
        id: ConnectionId,
    ) -> Result<EnhancePreview, SavedError> {
        let connection = saved::load(vault, &id).await?;
        let status = saved::status(vault, &id).await?;
        let reason = if connection.summary.client_type == ClientType::SelfClient {
            Some(SELF_CLIENT_REASON.to_owned())
        } else if status.needs_new_grant() {
            Some("This connection's refresh token no longer works, so there is nothing to add permissions to. Regenerate it with the permissions you need.".to_owned())
        } else {
            None
        };
        Ok(EnhancePreview {
            connection: saved::view(vault, &id).await?,
            possible: reason.is_none(),
            reason,
        })
    }

    /// Asks Zoho for an enhance token, opens the page that adds `scopes` (those the
    /// connection already has are left out) and waits for it in the background,
    /// reporting through `on_event`; on success the connection is saved with them.
    ///
    /// # Errors
    /// A flow already running, nothing new to add, a practice-mode mismatch, a dead or
    /// locked-out token, a Self Client; Zoho's and the listener's errors.
    pub async fn start(
        &self,
        vault: &VaultState,
        env: &ZohoEnv,
        id: ConnectionId,
        scopes: Vec<String>,
        open_browser: impl Fn(&str) -> Result<(), AppError>,
        on_event: impl Fn(EnhanceEvent) + Send + Sync + 'static,
    ) -> Result<EnhanceStarted, SavedError> {
        let mut running = self.running.lock().await;
        if running.is_some() {
            return Err(AppError::ConsentRunning.into());
        }
        let connection = saved::load(vault, &id).await?;
        let summary = &connection.summary;
        saved::check_side(summary, env)?;
        saved::stop_if_blocked(summary, &saved::status(vault, &id).await?)?;
        let adding = new_scopes(&summary.scopes, &scopes);
        if adding.is_empty() {
            return Err(AppError::NothingToAdd.into());
        }
        // A one-time task's connection has no refresh token to add permissions to.
        let Some(refresh_token) = connection.secrets.refresh_token.as_ref() else {
            return Err(zoho_oauth_core::Error::ScopesCannotBeAdded.into());
        };
        let client = ClientCredentials {
            client_type: summary.client_type,
            client_id: summary.client_id.clone(),
            client_secret: connection.secrets.client_secret.clone(),
        };
        let options = ListenerOptions::default();
        let timeout_seconds = options.timeout.as_secs();
        let started = enhance::begin(
            &saved::token_client(env)?,
            EnhanceRequest {
                dc: summary.data_center,
                client: &client,
                refresh_token,
                scopes: &adding,
                redirect_uri: RedirectUri::on_port(self.redirect_port)?,
                listener: options,
            },
        )
        .await?;
        let url = SecretString::new(started.url().to_string());
        // The error names the address, which carries the enhance token: not passed on.
        let browser_opened = open_browser(url.expose()).is_ok();
        *running = Some(Running {
            cancel: started.cancel_handle(),
            env: env.clone(),
            url,
        });
        drop(running);

        let slot = self.running.clone();
        let vault = vault.clone();
        let added = adding.clone();
        let on_event = Arc::new(on_event);
        tokio::spawn(async move {
            let opened = Instant::now();
            let ticker = {
                let on_event = on_event.clone();
                tokio::spawn(async move {
                    let mut every = tokio::time::interval(Duration::from_secs(1));
                    loop {
                        every.tick().await;
                        on_event(EnhanceEvent::Waiting {
                            elapsed_seconds: opened.elapsed().as_secs(),
                            timeout_seconds,
                        });
                    }
                })
            };
            let outcome = started.finish().await;
            ticker.abort();
            let event = match outcome {
                Ok(()) => match record(&vault, &id, added).await {
                    Ok(event) => event,
                    Err(err) => EnhanceEvent::Failed {
                        problem: CommandError::from(err),
                    },
                },
                Err(err) => EnhanceEvent::Failed {
                    problem: CommandError::from(SavedError::from(err)),
                },
            };
            slot.lock().await.take();
            on_event(event);
        });
        Ok(EnhanceStarted {
            adding,
            timeout_seconds,
            browser_opened,
        })
    }

    /// Stops waiting for Zoho's page; nothing is added.
    pub async fn cancel(&self) {
        if let Some(running) = self.running.lock().await.as_ref() {
            running.cancel.cancel();
        }
    }

    /// Opens Zoho's page again, for when the browser did not come up or the tab was
    /// closed.
    ///
    /// # Errors
    /// [`AppError::BrowserUnavailable`] without the address; nothing running.
    pub async fn reopen(
        &self,
        open_browser: impl Fn(&str, &ZohoEnv) -> Result<(), AppError>,
    ) -> Result<(), AppError> {
        let running = self.running.lock().await;
        let running = running.as_ref().ok_or(AppError::NoEnhancementRunning)?;
        open_browser(running.url.expose(), &running.env).map_err(|_| AppError::BrowserUnavailable {
            url: "the page Zoho adds permissions on".to_owned(),
        })
    }
}

/// Why a Self Client connection cannot gain permissions.
const SELF_CLIENT_REASON: &str = "This connection was made with a Self Client, and Zoho does not let that kind of connection gain permissions. Regenerate it instead: you generate a new code with the same Self Client, adding the permissions you need to its scopes, and the assistant puts the new refresh token in place of the old one. That makes one more of the 20 refresh tokens Zoho keeps for a user; the next screen counts them.";

async fn record(
    vault: &VaultState,
    id: &ConnectionId,
    added: Vec<String>,
) -> Result<EnhanceEvent, SavedError> {
    let target = id.clone();
    let count = added.len();
    vault
        .with_open(move |v| Ok(v.record_added_scopes(&target, &added)?))
        .await?;
    // The access token from before lacks the new permissions (the vault dropped it):
    // one refresh now, so that Test and Copy show them at once.
    let fresh = SavedAccess::default()
        .access_token(vault, id, Want::usable_now(time::OffsetDateTime::now_utc()))
        .await;
    let connection = saved::view(vault, id).await?;
    let what = match count {
        1 => "1 permission".to_owned(),
        n => format!("{n} permissions"),
    };
    let message = match fresh {
        Ok(_) => format!("Zoho added {what} to \"{}\", and the connection has a new access token that carries them. The refresh token is the same, so every tool using it keeps working; each gains them with its next access token.", connection.name),
        Err(err) => {
            let err = SavedError::from(err);
            format!("Zoho added {what} to \"{}\". The refresh token is the same, so every tool using it keeps working. A new access token carrying them could not be fetched yet: {err} {}", connection.name, err.hint())
        }
    };
    Ok(EnhanceEvent::Added {
        connection: Box::new(connection),
        message,
    })
}

/// The scopes of `wanted` the connection lacks, trimmed, once each, in the order asked.
fn new_scopes(held: &[String], wanted: &[String]) -> Vec<String> {
    let mut adding: Vec<String> = Vec::new();
    for scope in wanted.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !held.iter().any(|h| h == scope) && !adding.iter().any(|a| a == scope) {
            adding.push(scope.to_owned());
        }
    }
    adding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scopes_the_connection_lacks_are_asked_for() {
        let held = vec!["ZohoBooks.settings.READ".to_owned()];
        let wanted = vec![
            " ZohoBooks.invoices.READ".to_owned(),
            "ZohoBooks.settings.READ".to_owned(),
            "ZohoBooks.invoices.READ".to_owned(),
            String::new(),
        ];
        assert_eq!(new_scopes(&held, &wanted), ["ZohoBooks.invoices.READ"]);
        assert!(new_scopes(&held, &held).is_empty());
    }
}
