//! The consent flow's rules, shared by the HTML consent page, the library's
//! [`crate::Sandbox::consent`] and the control API: checking an authorization request
//! the way Zoho does, and turning the user's decision into the redirect the browser
//! would follow.
//!
//! Problems with the client or its redirect URI are never sent back to the redirect URI
//! (it cannot be trusted yet); they are shown as an error page. A user whose account
//! lives in another DC than the server the flow started at is handed to their own DC:
//! the code is issued there and the redirect says so with `location` and
//! `accounts-server`. That happens even when the client is not enabled in that DC (no
//! Multi-DC): the consent completes, and only the exchange at that DC's token endpoint
//! fails, with `invalid_client`.

use crate::clients::Client;
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::params::Params;
use crate::scopes;
use crate::state::{GrantCode, Pkce, PkceMethod, Shared, Store, CONSENT_CODE_LIFETIME};

/// What the person on the consent page chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allow the application access.
    Accept,
    /// Refuse; the application gets `error=access_denied`.
    Deny,
}

/// A checked authorization request.
#[derive(Clone, Debug)]
pub(crate) struct AuthorizeRequest {
    pub(crate) client: Client,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) offline: bool,
    pub(crate) prompt_consent: bool,
    /// Passed back exactly as received, including an empty value.
    pub(crate) state: Option<String>,
    pub(crate) pkce: Option<Pkce>,
}

/// Checks an authorization request that reached `start`'s accounts server.
pub(crate) fn validate(
    store: &Store,
    start: Dc,
    params: &Params,
) -> Result<AuthorizeRequest, SandboxError> {
    let client_id = params
        .get("client_id")
        .ok_or(SandboxError::MissingParameter("client_id"))?;
    let client = store
        .client(client_id)
        .filter(|c| c.home.realm() == start.realm())
        .ok_or(SandboxError::UnknownClient)?;
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or(SandboxError::MissingParameter("redirect_uri"))?;
    if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
        return Err(SandboxError::RedirectUriMismatch);
    }
    match params.get("response_type") {
        None => return Err(SandboxError::MissingParameter("response_type")),
        Some("code") => {}
        Some(other) => return Err(SandboxError::UnsupportedResponseType(other.to_owned())),
    }
    let scopes =
        scopes::parse(params.raw("scope").unwrap_or("")).map_err(SandboxError::InvalidScope)?;
    let offline = match params.get("access_type").map(str::to_ascii_lowercase) {
        None => false,
        Some(t) if t == "online" => false,
        Some(t) if t == "offline" => true,
        Some(other) => return Err(SandboxError::InvalidAccessType(other)),
    };
    let prompt_consent = params
        .get("prompt")
        .is_some_and(|p| p.eq_ignore_ascii_case("consent"));
    let pkce = match params.get("code_challenge") {
        None => None,
        Some(challenge) => {
            let method = match params.get("code_challenge_method") {
                None | Some("plain") => PkceMethod::Plain,
                Some("S256") => PkceMethod::S256,
                Some(other) => {
                    return Err(SandboxError::InvalidCodeChallengeMethod(other.to_owned()))
                }
            };
            Some(Pkce {
                challenge: challenge.to_owned(),
                method,
            })
        }
    };
    Ok(AuthorizeRequest {
        client: client.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        offline,
        prompt_consent,
        state: params.raw("state").map(str::to_owned),
        pkce,
    })
}

/// Applies the user's decision and returns the URL the browser is redirected to.
pub(crate) fn decide(
    shared: &Shared,
    start: Dc,
    params: &Params,
    user_email: &str,
    decision: Decision,
) -> Result<String, SandboxError> {
    let now = shared.clock.now();
    let mut store = shared.store();
    let request = validate(&store, start, params)?;
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    match decision {
        Decision::Deny => {
            query.append_pair("error", "access_denied");
            if let Some(state) = &request.state {
                query.append_pair("state", state);
            }
            tracing::debug!(client_id = %request.client.id, %start, "consent denied");
        }
        Decision::Accept => {
            let user = store
                .user(user_email)
                .ok_or_else(|| SandboxError::UnknownUser(user_email.trim().to_owned()))?;
            if user.dc.realm() != start.realm() {
                return Err(SandboxError::UserNotAtThisServer(user.email.to_owned()));
            }
            // A client that is not enabled in the account's DC still gets its redirect,
            // as at Zoho: the failure only shows at that DC's token endpoint, as
            // `invalid_client`, which is where people meet it.
            let home = user.dc;
            let grant = GrantCode {
                client_id: request.client.id.clone(),
                user_email: user.email.to_owned(),
                dc: home,
                scopes: request.scopes.clone(),
                redirect_uri: Some(request.redirect_uri.clone()),
                expires_at: now + CONSENT_CODE_LIFETIME,
                pkce: request.pkce.clone(),
                offline: request.offline,
                always_refresh_token: request.prompt_consent,
            };
            let code = store.issue_code(grant, now);
            query.append_pair("code", &code);
            if let Some(state) = &request.state {
                query.append_pair("state", state);
            }
            query.append_pair("location", home.location());
            query.append_pair("accounts-server", &shared.accounts_url(home));
            tracing::debug!(client_id = %request.client.id, %start, %home, "consent accepted");
        }
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

/// Finds the DC of an authorize URL aimed at this sandbox (`{base}/oauth/v2/auth` for the
/// US, `{base}/eu/oauth/v2/auth` for the EU, ...) and reads its parameters.
pub(crate) fn parse_authorize_url(
    shared: &Shared,
    authorize_url: &str,
) -> Result<(Dc, Params), SandboxError> {
    let bad = |why: &str| SandboxError::InvalidAuthorizeUrl(why.to_owned());
    let url = url::Url::parse(authorize_url.trim()).map_err(|_| bad("not an absolute URL"))?;
    let base = url::Url::parse(&shared.base_url).map_err(|_| bad("the sandbox has no base URL"))?;
    let same_host = matches!(url.host_str(), Some("127.0.0.1") | Some("localhost"));
    if url.scheme() != "http" || !same_host || url.port() != base.port() {
        return Err(bad("it points at another server than this sandbox"));
    }
    let dc = match url.path().trim_end_matches('/') {
        "/oauth/v2/auth" => Dc::Us,
        path => path
            .strip_suffix("/oauth/v2/auth")
            .and_then(|prefix| prefix.strip_prefix('/'))
            .and_then(Dc::from_location)
            .ok_or_else(|| bad("its path is not /oauth/v2/auth or /{location}/oauth/v2/auth"))?,
    };
    Ok((dc, Params::from_query(url.query())))
}
