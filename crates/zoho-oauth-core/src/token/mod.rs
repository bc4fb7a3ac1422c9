//! Talks to Zoho's token endpoint: exchanges grant codes, refreshes and revokes.
//!
//! Every parameter goes in the form body, never in the URL, so that no secret ends up
//! in a proxy's or a server's access log (Zoho accepts both; its pages show the query
//! string). Every request has a connect and a total time limit. Every answer is read
//! and judged, because Zoho answers most failures with HTTP 200. Requests only go to
//! the accounts server of the data center in use, and the `api_domain` of an answer is
//! checked to belong to that same data center before a token is ever sent there.

mod answer;
mod client_credentials;
mod enhance;
mod http;
mod org;
mod tls;
mod tokens;

use std::net::SocketAddr;
use std::sync::Arc;

pub use answer::RevokeOutcome;
pub use client_credentials::Soid;
pub use http::HttpOptions;
pub use org::OrgGrant;
pub use tokens::{Freshness, Tokens, REFRESH_MARGIN};

use self::answer::revoke_outcome;
pub(crate) use self::answer::{token_error, tokens_from, Context, Grant};
pub(crate) use self::http::Answer;
pub(crate) use self::http::Http;
use crate::authorize::PendingConsent;
use crate::client::ClientCredentials;
use crate::clock::Clock;
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::error::{Error, Result};
use crate::loopback::AuthorizationCallback;
use crate::secret::{AccessToken, GrantCode, PkceVerifier, RefreshToken};

/// One `grant_type=authorization_code` request; see [`TokenClient::exchange_code`].
#[derive(Clone, Copy, Debug)]
pub struct CodeExchange<'a> {
    /// The data center whose token endpoint is asked: where the account lives.
    pub dc: DataCenter,
    /// The client the code was issued to.
    pub client: &'a ClientCredentials,
    /// The grant code.
    pub code: &'a GrantCode,
    /// The redirect URI used on the consent page (server-based clients); `None` for a
    /// Self Client.
    pub redirect_uri: Option<&'a str>,
    /// The PKCE verifier, when a challenge was sent on the consent page.
    pub code_verifier: Option<&'a PkceVerifier>,
    /// The data center the client was registered in, when known: an `invalid_client`
    /// at another DC then reads as [`Error::WrongDataCenter`].
    pub client_dc: Option<DataCenter>,
}

/// A client for Zoho's token endpoint in one environment (Zoho or the sandbox).
///
/// Cheap to clone; clones share connections.
#[derive(Clone, Debug)]
pub struct TokenClient {
    http: Http,
    env: ZohoEnv,
    clock: Arc<dyn Clock>,
}

impl TokenClient {
    /// A client for `env` with default time limits; expiries are computed with `clock`.
    ///
    /// # Errors
    /// [`Error::HttpClientSetup`] when secure connections cannot be set up.
    pub fn new(env: ZohoEnv, clock: Arc<dyn Clock>) -> Result<Self> {
        Self::with_options(env, clock, HttpOptions::default())
    }

    /// A client for `env` with the given time limits and user agent.
    ///
    /// # Errors
    /// [`Error::UntrustedHost`] for a sandbox that is not on this computer (it speaks
    /// plain http, so secrets must not cross a network to reach it);
    /// [`Error::HttpClientSetup`] when secure connections cannot be set up.
    pub fn with_options(env: ZohoEnv, clock: Arc<dyn Clock>, options: HttpOptions) -> Result<Self> {
        if let Some(host) = env.non_local_sandbox_host() {
            return Err(Error::UntrustedHost { host });
        }
        Ok(Self {
            http: Http::new(&env, options)?,
            env,
            clock,
        })
    }

    /// As [`TokenClient::with_options`], but connecting to `addr` whenever `host` is
    /// asked for, as a hosts-file entry would.
    ///
    /// Not for the app: it exists so that tests can stand a local server in for one of
    /// Zoho's hosts and check what the user is told when, for instance, the certificate
    /// shown is not trusted. Certificates are checked as always, for the host asked for,
    /// so it cannot make an untrusted server pass for Zoho.
    ///
    /// # Errors
    /// As [`TokenClient::with_options`].
    #[doc(hidden)]
    pub fn with_hosts_resolved(
        env: ZohoEnv,
        clock: Arc<dyn Clock>,
        options: HttpOptions,
        resolved: &[(&str, SocketAddr)],
    ) -> Result<Self> {
        if let Some(host) = env.non_local_sandbox_host() {
            return Err(Error::UntrustedHost { host });
        }
        Ok(Self {
            http: Http::resolving(&env, options, resolved)?,
            env,
            clock,
        })
    }

    /// The environment this client talks to.
    pub fn env(&self) -> &ZohoEnv {
        &self.env
    }

    /// The clock expiries are computed with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub(crate) fn http(&self) -> &Http {
        &self.http
    }

    /// POSTs `form` as the body (never the URL) to `path` on `dc`'s accounts server, the
    /// only host a client secret or token endpoint parameter is ever sent to.
    async fn post_form(&self, dc: DataCenter, path: &str, form: &[(&str, &str)]) -> Result<Answer> {
        let url = format!("{}{path}", self.env.endpoints(dc).accounts);
        self.http
            .send(self.http.client().post(url).form(form))
            .await
    }

    fn context(&self, dc: DataCenter, grant: Grant) -> Context<'_> {
        Context {
            env: &self.env,
            dc,
            client_dc: None,
            grant,
            redirect_uri: None,
            now: self.clock.now(),
        }
    }

    /// Exchanges the code a consent flow brought back, at the accounts server of the
    /// data center the account lives in, with the redirect URI and the PKCE verifier.
    ///
    /// # Errors
    /// [`Error::CodeExpiredOrUsed`], [`Error::InvalidClient`],
    /// [`Error::WrongDataCenter`] (the account is in another DC than the client, which
    /// is not enabled there), [`Error::InvalidClientSecret`],
    /// [`Error::RedirectUriMismatch`], [`Error::NoRefreshToken`],
    /// [`Error::UntrustedHost`] for an `api_domain` outside that DC, and the transport
    /// errors of every request ([`Error::Network`], [`Error::Timeout`],
    /// [`Error::ConnectionLost`], [`Error::ZohoUnavailable`],
    /// [`Error::UnreadableResponse`], [`Error::RateLimited`], [`Error::Unexpected`]).
    pub async fn exchange_consent(
        &self,
        pending: PendingConsent,
        callback: AuthorizationCallback,
    ) -> Result<Tokens> {
        let redirect_uri = pending.redirect_uri().to_string();
        self.exchange_code(CodeExchange {
            dc: callback.account_dc,
            client: pending.client(),
            code: &callback.code,
            redirect_uri: Some(&redirect_uri),
            code_verifier: Some(pending.verifier()),
            client_dc: Some(pending.client_dc()),
        })
        .await
    }

    /// Exchanges a code generated for a Self Client in the API Console of `dc` (a Self
    /// Client has no multi-DC, so the user's choice of DC is final). No `redirect_uri`
    /// is sent, as Zoho documents for Self Clients.
    ///
    /// # Errors
    /// As [`TokenClient::exchange_consent`], except [`Error::WrongDataCenter`]: with a
    /// Self Client, a wrong DC shows as [`Error::InvalidClient`].
    pub async fn exchange_self_client_code(
        &self,
        dc: DataCenter,
        client: &ClientCredentials,
        code: &GrantCode,
    ) -> Result<Tokens> {
        self.exchange_code(CodeExchange {
            dc,
            client,
            code,
            redirect_uri: None,
            code_verifier: None,
            client_dc: None,
        })
        .await
    }

    /// Exchanges a grant code obtained some other way (for instance a code the user
    /// copied from a redirect to a URI of their own). Prefer
    /// [`TokenClient::exchange_consent`] and [`TokenClient::exchange_self_client_code`],
    /// which fill this in correctly.
    ///
    /// # Errors
    /// As [`TokenClient::exchange_consent`].
    pub async fn exchange_code(&self, exchange: CodeExchange<'_>) -> Result<Tokens> {
        Ok(self.exchange_code_with_body(exchange).await?.0)
    }

    /// [`TokenClient::exchange_code`], with the answer's body (wiped on drop) for the
    /// flows whose answers carry more than tokens.
    pub(crate) async fn exchange_code_with_body(
        &self,
        exchange: CodeExchange<'_>,
    ) -> Result<(Tokens, zeroize::Zeroizing<Vec<u8>>)> {
        let client = exchange.client;
        // Codes, ids and secrets are pasted by people: a stray space or line break from
        // a copy must not turn into "invalid code".
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", exchange.code.expose().trim()),
            ("client_id", client.client_id.trim()),
            ("client_secret", client.client_secret.expose().trim()),
        ];
        if let Some(redirect_uri) = exchange.redirect_uri {
            form.push(("redirect_uri", redirect_uri));
        }
        if let Some(verifier) = exchange.code_verifier {
            form.push(("code_verifier", verifier.expose()));
        }
        let ctx = Context {
            client_dc: exchange.client_dc,
            redirect_uri: exchange.redirect_uri.map(str::to_owned),
            ..self.context(exchange.dc, Grant::AuthorizationCode)
        };
        let answer = self
            .post_form(exchange.dc, "/oauth/v2/token", &form)
            .await?;
        let tokens = tokens_from(&answer, &ctx)?;
        if tokens.refresh_token.is_none() {
            return Err(Error::NoRefreshToken);
        }
        tracing::debug!(dc = ?exchange.dc, "code exchanged for tokens");
        Ok((tokens, answer.body))
    }

    /// Asks for a new access token with `refresh_token` at `dc`'s accounts server.
    ///
    /// This always asks Zoho; use [`TokenClient::ensure_fresh`] to reuse a still-valid
    /// access token instead. The returned [`Tokens`] carry `refresh_token` (Zoho does not
    /// send it again) and no scope unless Zoho named one.
    ///
    /// # Errors
    /// [`Error::RefreshTokenRevoked`], [`Error::RateLimited`], [`Error::InvalidClient`],
    /// [`Error::InvalidClientSecret`], [`Error::UntrustedHost`], and the transport errors.
    pub async fn refresh(
        &self,
        dc: DataCenter,
        client: &ClientCredentials,
        refresh_token: &RefreshToken,
    ) -> Result<Tokens> {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose().trim()),
            ("client_id", client.client_id.trim()),
            ("client_secret", client.client_secret.expose().trim()),
        ];
        let ctx = self.context(dc, Grant::RefreshToken);
        let answer = self.post_form(dc, "/oauth/v2/token", &form).await?;
        let mut tokens = tokens_from(&answer, &ctx)?;
        tokens.refresh_token = Some(refresh_token.clone());
        tracing::debug!(dc = ?dc, "access token refreshed");
        Ok(tokens)
    }

    /// Keeps `tokens` usable: reuses the access token while it is valid for more than
    /// [`REFRESH_MARGIN`] by the client's clock, and refreshes it only after that, so
    /// that the app never runs into Zoho's limit of about 10 access tokens per refresh
    /// token in 10 minutes. On a refresh, `tokens` is updated in place (keeping the
    /// known scope if Zoho does not repeat it).
    ///
    /// # Errors
    /// [`Error::NoRefreshToken`] when a refresh is due and there is no refresh token;
    /// otherwise as [`TokenClient::refresh`]. `tokens` is unchanged on error.
    pub async fn ensure_fresh(
        &self,
        client: &ClientCredentials,
        tokens: &mut Tokens,
    ) -> Result<Freshness> {
        if tokens.is_fresh_at(self.clock.now()) {
            return Ok(Freshness::Reused);
        }
        let refresh_token = tokens.refresh_token.clone().ok_or(Error::NoRefreshToken)?;
        let mut fresh = self.refresh(tokens.dc, client, &refresh_token).await?;
        if fresh.scope.is_none() {
            fresh.scope = tokens.scope.take();
        }
        *tokens = fresh;
        Ok(Freshness::Refreshed)
    }

    /// The access token to use now: [`TokenClient::ensure_fresh`], then a copy of the
    /// current access token.
    ///
    /// # Errors
    /// As [`TokenClient::ensure_fresh`].
    pub async fn access_token_for(
        &self,
        client: &ClientCredentials,
        tokens: &mut Tokens,
    ) -> Result<AccessToken> {
        self.ensure_fresh(client, tokens).await?;
        Ok(tokens.access_token.clone())
    }

    /// Revokes `refresh_token` at `dc`'s accounts server; Zoho also ends every access
    /// token minted with it.
    ///
    /// # Errors
    /// The transport errors; an unknown token is not an error but
    /// [`RevokeOutcome::AlreadyInvalid`].
    pub async fn revoke(
        &self,
        dc: DataCenter,
        refresh_token: &RefreshToken,
    ) -> Result<RevokeOutcome> {
        let ctx = self.context(dc, Grant::RefreshToken);
        let answer = self
            .post_form(
                dc,
                "/oauth/v2/token/revoke",
                &[("token", refresh_token.expose().trim())],
            )
            .await?;
        let outcome = revoke_outcome(&answer, &ctx)?;
        tracing::debug!(dc = ?dc, ?outcome, "refresh token revoked");
        Ok(outcome)
    }
}
