//! Adding scopes to a connection's refresh token instead of minting a new one.
//!
//! A new refresh token spends one of the 20 Zoho lets a user hold per client, and the
//! 21st silently deletes the oldest, perhaps one still in use. Zoho's incremental
//! authorization adds the scopes to the refresh token already in use, in two steps:
//! [`crate::TokenClient::request_enhance_token`] asks for a scope enhancement token with
//! the client's credentials and the refresh token; then the browser opens
//! `{accounts}/oauth/v2/token/addextrascope` with that token and only the new scopes, the
//! person approves, and Zoho sends the browser back to the redirect URI, where the
//! loopback listener hears `status=success` (or a refusal). Only a server-based client
//! can do this: a Self Client has no redirect URI, and Zoho refuses it.
//!
//! The page is opened at the accounts server of the data center the connection lives
//! in, the one that issued its refresh token, not at the US one: the enhance token is
//! that DC's. `state` is sent and must come back, as on the consent page, so that no
//! other page can end the wait.

use std::fmt;

use url::Url;

use crate::authorize::{ConsentState, RedirectUri};
use crate::client::{ClientCredentials, ClientType};
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::error::{Error, Result};
use crate::loopback::{CallbackListener, CancelHandle, ListenerOptions};
use crate::secret::{EnhanceToken, RefreshToken};
use crate::token::TokenClient;

/// Step two, prepared: the `addextrascope` URL to open and what the listener checks.
pub struct ScopeEnhancement {
    env: ZohoEnv,
    dc: DataCenter,
    scope: String,
    redirect_uri: RedirectUri,
    state: ConsentState,
    url: Url,
}

impl ScopeEnhancement {
    /// The page that adds `scopes` (the new ones only, joined with commas) with
    /// `enhance_token`, at `dc`'s accounts server.
    ///
    /// # Errors
    /// [`Error::UntrustedHost`] if the environment's accounts server does not make a
    /// valid URL.
    pub fn new<S: AsRef<str>>(
        env: &ZohoEnv,
        dc: DataCenter,
        client_id: &str,
        enhance_token: &EnhanceToken,
        scopes: &[S],
        redirect_uri: RedirectUri,
    ) -> Result<Self> {
        let scope = join_scopes(scopes);
        let state = ConsentState::generate();
        let accounts = env.endpoints(dc).accounts;
        let mut url =
            Url::parse(&format!("{accounts}/oauth/v2/token/addextrascope")).map_err(|_| {
                Error::UntrustedHost {
                    host: accounts.clone(),
                }
            })?;
        url.query_pairs_mut()
            .append_pair("response_type", "update_scopes")
            .append_pair("client_id", client_id.trim())
            .append_pair("redirect_uri", &redirect_uri.to_string())
            .append_pair("scope", &scope)
            .append_pair("enhance_token", enhance_token.expose().trim())
            .append_pair("state", state.expose());
        Ok(Self {
            env: env.clone(),
            dc,
            scope,
            redirect_uri,
            state,
            url,
        })
    }

    /// The page to open in the system browser. It carries the enhance token (single use,
    /// minutes long) and `state`, so it is opened, never logged or shown.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The environment the flow runs in.
    pub fn env(&self) -> &ZohoEnv {
        &self.env
    }

    /// The data center of the connection, whose accounts server shows the page.
    pub fn dc(&self) -> DataCenter {
        self.dc
    }

    /// The scopes being added, comma-joined.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// Where Zoho sends the browser back to.
    pub fn redirect_uri(&self) -> &RedirectUri {
        &self.redirect_uri
    }

    /// The `state` expected back.
    pub fn state(&self) -> &ConsentState {
        &self.state
    }
}

impl fmt::Debug for ScopeEnhancement {
    // The URL is left out: its query carries the enhance token and the state.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeEnhancement")
            .field("env", &self.env)
            .field("dc", &self.dc)
            .field("scope", &self.scope)
            .field("redirect_uri", &self.redirect_uri)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// A started enhancement: the enhance token is in hand, the listener is open; the page
/// is to be opened, and [`StartedEnhancement::finish`] awaited.
#[derive(Debug)]
pub struct StartedEnhancement {
    pending: ScopeEnhancement,
    listener: CallbackListener,
}

impl StartedEnhancement {
    /// The page to open in the browser.
    pub fn url(&self) -> &Url {
        self.pending.url()
    }

    /// The scopes being added, comma-joined.
    pub fn scope(&self) -> &str {
        self.pending.scope()
    }

    /// Cancels [`StartedEnhancement::finish`] from elsewhere.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.listener.cancel_handle()
    }

    /// Waits until Zoho sends the browser back.
    ///
    /// # Errors
    /// [`Error::AccessDenied`] when the person pressed Deny, and the listener's errors
    /// ([`Error::ListenerTimeout`], [`Error::Cancelled`], [`Error::Unexpected`]).
    pub async fn finish(self) -> Result<()> {
        self.listener.wait_scopes_added().await
    }
}

/// What [`begin`] needs: the saved connection's client, refresh token and data center,
/// and the scopes to add.
#[derive(Debug)]
pub struct EnhanceRequest<'a> {
    /// The connection's data center (where its refresh token was issued).
    pub dc: DataCenter,
    /// The client the refresh token belongs to.
    pub client: &'a ClientCredentials,
    /// The refresh token that gains the scopes.
    pub refresh_token: &'a RefreshToken,
    /// The scopes to add; those the connection already has may be left out or not.
    pub scopes: &'a [String],
    /// The redirect URI registered for the client.
    pub redirect_uri: RedirectUri,
    /// How long to wait for the browser.
    pub listener: ListenerOptions,
}

/// Step one and the start of step two: asks for the enhance token, then opens the
/// listener (before the browser, so that a busy port is reported first).
///
/// # Errors
/// [`Error::ScopesCannotBeAdded`] for a Self Client (checked here before asking Zoho,
/// and as Zoho answers it); [`Error::Unexpected`] for an empty list of scopes; else as
/// [`TokenClient::request_enhance_token`] and [`CallbackListener::bind`].
pub async fn begin(
    tokens: &TokenClient,
    request: EnhanceRequest<'_>,
) -> Result<StartedEnhancement> {
    if request.client.client_type == ClientType::SelfClient {
        return Err(Error::ScopesCannotBeAdded);
    }
    if join_scopes(request.scopes).is_empty() {
        return Err(Error::Unexpected {
            code: "no scope to add".to_owned(),
        });
    }
    let enhance_token = tokens
        .request_enhance_token(request.dc, request.client, request.refresh_token)
        .await?;
    let pending = ScopeEnhancement::new(
        tokens.env(),
        request.dc,
        &request.client.client_id,
        &enhance_token,
        request.scopes,
        request.redirect_uri,
    )?;
    let listener = CallbackListener::bind_scope_enhancement(&pending, request.listener).await?;
    Ok(StartedEnhancement { pending, listener })
}

fn join_scopes<S: AsRef<str>>(scopes: &[S]) -> String {
    scopes
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_connection_dc_the_new_scopes_and_a_state() {
        let token = EnhanceToken::new("1000.enhance.secret");
        let pending = ScopeEnhancement::new(
            &ZohoEnv::Production,
            DataCenter::Eu,
            " 1000.ABC ",
            &token,
            &["ZohoBooks.invoices.READ", " ", "ZohoBooks.bills.READ"],
            RedirectUri::default(),
        )
        .expect("a url");
        let url = pending.url();
        assert_eq!(url.host_str(), Some("accounts.zoho.eu"));
        assert_eq!(url.path(), "/oauth/v2/token/addextrascope");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("response_type"), Some("update_scopes"));
        assert_eq!(get("client_id"), Some("1000.ABC"));
        assert_eq!(
            get("redirect_uri"),
            Some("http://localhost:28739/zoho/callback")
        );
        assert_eq!(
            get("scope"),
            Some("ZohoBooks.invoices.READ,ZohoBooks.bills.READ")
        );
        assert_eq!(get("enhance_token"), Some("1000.enhance.secret"));
        assert_eq!(get("state"), Some(pending.state().expose()));
        assert_eq!(pending.state().expose().len(), 43);
        let debug = format!("{pending:?}");
        assert!(!debug.contains("1000.enhance.secret"), "{debug}");
        assert!(!debug.contains(pending.state().expose()), "{debug}");
    }
}
