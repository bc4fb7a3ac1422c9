//! Zoho's incremental authorization: adding scopes to a refresh token already in use,
//! instead of minting a new one (which spends one of the user's 20 and may delete the
//! oldest). Two steps, as Zoho documents them:
//!
//! 1. `POST {dc}/oauth/v2/token/scopeenhance` with `grant_type=update_scopes_token`, the
//!    client's ID and secret and the refresh token answers a short-lived, single-use
//!    scope enhancement token. Only a server-based client may do this: a Self Client has
//!    no redirect URI to come back to, so it is refused with `unauthorized_client`.
//! 2. `GET {dc}/oauth/v2/token/addextrascope?response_type=update_scopes&client_id&
//!    redirect_uri&scope&enhance_token` shows a consent page for the new scopes; Accept
//!    adds them to the same refresh token (and so to every access token it mints later),
//!    Deny leaves it as it was. Either spends the enhance token.
//!
//! Problems found before the person decides (unknown client, unregistered redirect URI,
//! an expired, used or foreign enhance token) are shown as an error page and never sent
//! to the redirect URI, as on the ordinary consent page.

use std::time::Instant;

use crate::clients::{Client, ClientType};
use crate::consent::Decision;
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::ids::Digest32;
use crate::params::Params;
use crate::scopes;
use crate::state::{EnhanceGrant, Shared, Store, ENHANCE_TOKEN_LIFETIME};
use crate::tokens::{authenticate_client, TokenFailure};

/// Why `scopeenhance` refused a request; the `error` value of Zoho's HTTP-200 body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnhanceFailure {
    /// A token-endpoint failure shared with `/oauth/v2/token`.
    Token(TokenFailure),
    /// The client is a Self Client, which cannot come back through a consent page.
    UnauthorizedClient,
}

impl EnhanceFailure {
    pub(crate) fn error_code(self) -> &'static str {
        match self {
            EnhanceFailure::Token(failure) => failure.error_code(),
            EnhanceFailure::UnauthorizedClient => "unauthorized_client",
        }
    }
}

/// The enhance token and how long it lasts.
pub(crate) struct EnhanceIssued {
    pub(crate) token: String,
    pub(crate) expires_in: u64,
}

/// `POST {dc}/oauth/v2/token/scopeenhance`.
pub(crate) fn request_token(
    shared: &Shared,
    dc: Dc,
    params: &Params,
) -> Result<EnhanceIssued, EnhanceFailure> {
    let outcome = issue(shared, dc, params);
    match &outcome {
        Ok(_) => {
            tracing::debug!(%dc, client_id = params.get("client_id").unwrap_or(""), "enhance token issued")
        }
        Err(failure) => tracing::debug!(
            %dc,
            client_id = params.get("client_id").unwrap_or(""),
            error = failure.error_code(),
            "enhance token refused"
        ),
    }
    outcome
}

fn issue(shared: &Shared, dc: Dc, params: &Params) -> Result<EnhanceIssued, EnhanceFailure> {
    let token_failure = EnhanceFailure::Token;
    match params.get("grant_type") {
        None => return Err(token_failure(TokenFailure::InvalidRequest)),
        Some("update_scopes_token") => {}
        Some(_) => return Err(token_failure(TokenFailure::UnsupportedGrantType)),
    }
    let (Some(refresh_token), Some(client_id), Some(secret)) = (
        params.get("refresh_token"),
        params.get("client_id"),
        params.get("client_secret"),
    ) else {
        return Err(token_failure(TokenFailure::InvalidRequest));
    };
    let now = shared.clock.now();
    let mut store = shared.store();
    let client = authenticate_client(&store, dc, client_id, secret).map_err(token_failure)?;
    if client.client_type == ClientType::SelfClient {
        return Err(EnhanceFailure::UnauthorizedClient);
    }
    let client_id = client.id.clone();
    let refresh = Digest32::of(refresh_token);
    if !store
        .refresh_tokens
        .get(&refresh)
        .is_some_and(|r| r.dc == dc && r.client_id == client_id)
    {
        return Err(token_failure(TokenFailure::InvalidCode));
    }
    let token = store.issue_enhance_token(
        EnhanceGrant {
            client_id,
            dc,
            refresh,
            expires_at: now + ENHANCE_TOKEN_LIFETIME,
        },
        now,
    );
    Ok(EnhanceIssued {
        token,
        expires_in: ENHANCE_TOKEN_LIFETIME.as_secs(),
    })
}

/// A checked `addextrascope` request.
#[derive(Clone, Debug)]
pub(crate) struct AddScopesRequest {
    pub(crate) client: Client,
    pub(crate) redirect_uri: String,
    /// The scopes to add, as asked for.
    pub(crate) scopes: Vec<String>,
    /// The scopes the refresh token carries now.
    pub(crate) held: Vec<String>,
    /// Whose refresh token it is: the person who must consent.
    pub(crate) user_email: String,
    /// Passed back exactly as received (Zoho's page does not list `state`; the sandbox
    /// returns it as its consent page does, so that an app can tie the answer to its
    /// request).
    pub(crate) state: Option<String>,
    enhance: Digest32,
}

/// Checks an `addextrascope` request that reached `dc`'s accounts server.
pub(crate) fn validate(
    store: &Store,
    dc: Dc,
    now: Instant,
    params: &Params,
) -> Result<AddScopesRequest, SandboxError> {
    let client_id = params
        .get("client_id")
        .ok_or(SandboxError::MissingParameter("client_id"))?;
    let client = store
        .client(client_id)
        .filter(|c| c.valid_at(dc))
        .ok_or(SandboxError::UnknownClient)?;
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or(SandboxError::MissingParameter("redirect_uri"))?;
    if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
        return Err(SandboxError::RedirectUriMismatch);
    }
    match params.get("response_type") {
        None => return Err(SandboxError::MissingParameter("response_type")),
        Some("update_scopes") => {}
        Some(other) => return Err(SandboxError::UnsupportedResponseType(other.to_owned())),
    }
    let scopes =
        scopes::parse(params.raw("scope").unwrap_or("")).map_err(SandboxError::InvalidScope)?;
    let enhance_token = params
        .get("enhance_token")
        .ok_or(SandboxError::MissingParameter("enhance_token"))?;
    let enhance = Digest32::of(enhance_token);
    let grant = store
        .enhance_tokens
        .get(&enhance)
        .filter(|g| g.dc == dc && g.client_id == client.id && g.expires_at > now)
        .ok_or(SandboxError::InvalidEnhanceToken)?;
    let record = store
        .refresh_tokens
        .get(&grant.refresh)
        .ok_or(SandboxError::InvalidEnhanceToken)?;
    Ok(AddScopesRequest {
        client: client.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        held: record.scopes.clone(),
        user_email: record.user_email.clone(),
        state: params.raw("state").map(str::to_owned),
        enhance,
    })
}

/// Applies the decision and returns where the browser is sent: `redirect_uri` with
/// `status=success`, or `error=access_denied`, and `state` when one was sent.
pub(crate) fn decide(
    shared: &Shared,
    dc: Dc,
    params: &Params,
    decision: Decision,
) -> Result<String, SandboxError> {
    let now = shared.clock.now();
    let mut store = shared.store_mut();
    let request = validate(&store, dc, now, params)?;
    // Spent whatever the answer, so a link seen once cannot be replayed.
    let grant = store
        .enhance_tokens
        .remove(&request.enhance)
        .ok_or(SandboxError::InvalidEnhanceToken)?;
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    match decision {
        Decision::Accept => {
            if let Some(record) = store.refresh_tokens.get_mut(&grant.refresh) {
                for scope in &request.scopes {
                    if !record.scopes.iter().any(|held| held == scope) {
                        record.scopes.push(scope.clone());
                    }
                }
            }
            query.append_pair("status", "success");
            tracing::debug!(client_id = %request.client.id, %dc, "scopes added");
        }
        Decision::Deny => {
            query.append_pair("error", "access_denied");
            tracing::debug!(client_id = %request.client.id, %dc, "scope enhancement denied");
        }
    }
    if let Some(state) = &request.state {
        query.append_pair("state", state);
    }
    let separator = if request.redirect_uri.contains('?') {
        '&'
    } else {
        '?'
    };
    Ok(format!(
        "{}{separator}{}",
        request.redirect_uri,
        query.finish()
    ))
}

/// Finds the DC of an `addextrascope` URL aimed at this sandbox and reads its parameters.
pub(crate) fn parse_url(shared: &Shared, url: &str) -> Result<(Dc, Params), SandboxError> {
    const PATH: &str = "/oauth/v2/token/addextrascope";
    let bad = |why: &str| SandboxError::InvalidAuthorizeUrl(why.to_owned());
    let parsed = url::Url::parse(url.trim()).map_err(|_| bad("not an absolute URL"))?;
    let base = url::Url::parse(&shared.base_url).map_err(|_| bad("the sandbox has no base URL"))?;
    let same_host = matches!(parsed.host_str(), Some("127.0.0.1") | Some("localhost"));
    if parsed.scheme() != "http" || !same_host || parsed.port() != base.port() {
        return Err(bad("it points at another server than this sandbox"));
    }
    let dc = match parsed.path().trim_end_matches('/') {
        PATH => Dc::Us,
        path => path
            .strip_suffix(PATH)
            .and_then(|prefix| prefix.strip_prefix('/'))
            .and_then(Dc::from_location)
            .ok_or_else(|| bad("its path is not /oauth/v2/token/addextrascope"))?,
    };
    Ok((dc, Params::from_query(parsed.query())))
}
