//! The token endpoint's rules: exchanging a grant code, refreshing, and revoking (by the
//! token alone, or by the client that holds it); an API call's check of its access token
//! is in `api_access`. Zoho answers most failures of the token endpoint with HTTP 200 and
//! `{"error": "..."}`; the routes turn [`TokenFailure`] into exactly those bodies.

use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq;

use crate::clients::{Client, ClientType};
use crate::dc::Dc;
use crate::ids::Digest32;
use crate::params::Params;
use crate::state::{Pkce, PkceMethod, Shared, Store, ACCESS_TOKEN_LIFETIME};
use crate::throttle::{MAX_ACCESS_TOKENS_PER_WINDOW, MAX_CODE_REQUESTS_PER_WINDOW};

/// Why the token endpoint refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenFailure {
    /// A required parameter is missing.
    InvalidRequest,
    /// Unknown client ID, or a client not valid at this DC.
    InvalidClient,
    InvalidClientSecret,
    /// Unknown, used or expired code; unknown or revoked refresh token; bad PKCE verifier.
    InvalidCode,
    InvalidRedirectUri,
    UnsupportedGrantType,
    /// Throttled: too many access tokens minted from one refresh token, or too many code
    /// exchanges by one client, or still locked out for having made them.
    AccessDenied,
}

impl TokenFailure {
    /// The `error` value of the response body.
    pub(crate) fn error_code(self) -> &'static str {
        match self {
            TokenFailure::InvalidRequest => "invalid_request",
            TokenFailure::InvalidClient => "invalid_client",
            TokenFailure::InvalidClientSecret => "invalid_client_secret",
            TokenFailure::InvalidCode => "invalid_code",
            TokenFailure::InvalidRedirectUri => "invalid_redirect_uri",
            TokenFailure::UnsupportedGrantType => "unsupported_grant_type",
            TokenFailure::AccessDenied => "Access Denied",
        }
    }
}

/// What a successful token request hands out.
pub(crate) struct Issued {
    pub(crate) access_token: String,
    pub(crate) refresh_token: Option<String>,
    pub(crate) scope: String,
    pub(crate) api_domain: String,
    pub(crate) expires_in: u64,
}

/// `POST {dc}/oauth/v2/token`.
pub(crate) fn token_request(
    shared: &Shared,
    dc: Dc,
    params: &Params,
) -> Result<Issued, TokenFailure> {
    let outcome = match params.get("grant_type") {
        None => Err(TokenFailure::InvalidRequest),
        Some("authorization_code") => exchange_code(shared, dc, params),
        Some("refresh_token") => refresh(shared, dc, params),
        Some(_) => Err(TokenFailure::UnsupportedGrantType),
    };
    match &outcome {
        Ok(issued) => tracing::debug!(
            %dc,
            client_id = params.get("client_id").unwrap_or(""),
            with_refresh_token = issued.refresh_token.is_some(),
            "token issued"
        ),
        Err(failure) => tracing::debug!(
            %dc,
            client_id = params.get("client_id").unwrap_or(""),
            error = failure.error_code(),
            "token request refused"
        ),
    }
    outcome
}

fn exchange_code(shared: &Shared, dc: Dc, params: &Params) -> Result<Issued, TokenFailure> {
    let now = shared.clock.now();
    let mut store = shared.store_mut();
    if let Some(client_id) = params.get("client_id") {
        admit_code_request(&mut store, dc, client_id, now)?;
    }
    let (Some(code), Some(client_id), Some(secret)) = (
        params.get("code"),
        params.get("client_id"),
        params.get("client_secret"),
    ) else {
        return Err(TokenFailure::InvalidRequest);
    };
    let client = authenticate_client(&store, dc, client_id, secret)?;
    let client_type = client.client_type;
    let client_id = client.id.clone();

    let digest = Digest32::of(code);
    let grant = store
        .codes
        .get(&digest)
        .filter(|g| g.dc == dc && g.client_id == client_id && g.expires_at > now)
        .cloned()
        .ok_or(TokenFailure::InvalidCode)?;

    if client_type == ClientType::ServerBased {
        let redirect_uri = params
            .get("redirect_uri")
            .ok_or(TokenFailure::InvalidRequest)?;
        if grant.redirect_uri.as_deref() != Some(redirect_uri) {
            return Err(TokenFailure::InvalidRedirectUri);
        }
    }
    if let Some(pkce) = &grant.pkce {
        let verifier = params
            .get("code_verifier")
            .ok_or(TokenFailure::InvalidRequest)?;
        if !pkce_matches(pkce, verifier) {
            return Err(TokenFailure::InvalidCode);
        }
    }

    store.codes.remove(&digest);
    let pair = (grant.user_email.clone(), client_id.clone());
    let wants_refresh =
        grant.offline && (grant.always_refresh_token || !store.offline_granted.contains(&pair));
    let (refresh_token, refresh_digest) = if wants_refresh {
        let (value, digest) =
            store.mint_refresh_token(&client_id, &grant.user_email, dc, grant.scopes.clone());
        store.offline_granted.insert(pair);
        (Some(value), Some(digest))
    } else {
        (None, None)
    };
    let access_token = store.mint_access_token(
        &client_id,
        &grant.user_email,
        dc,
        grant.scopes.clone(),
        refresh_digest,
        now,
    );
    Ok(Issued {
        access_token,
        refresh_token,
        scope: grant.scopes.join(","),
        api_domain: shared.api_url(dc),
        expires_in: ACCESS_TOKEN_LIFETIME.as_secs(),
    })
}

fn refresh(shared: &Shared, dc: Dc, params: &Params) -> Result<Issued, TokenFailure> {
    let (Some(refresh_token), Some(client_id), Some(secret)) = (
        params.get("refresh_token"),
        params.get("client_id"),
        params.get("client_secret"),
    ) else {
        return Err(TokenFailure::InvalidRequest);
    };
    let now = shared.clock.now();
    let mut store = shared.store_mut();
    let client_id = authenticate_client(&store, dc, client_id, secret)?
        .id
        .clone();

    let digest = Digest32::of(refresh_token);
    let record = store
        .refresh_tokens
        .get_mut(&digest)
        .filter(|r| r.dc == dc && r.client_id == client_id)
        .ok_or(TokenFailure::InvalidCode)?;
    if !record.minted.admit(now, MAX_ACCESS_TOKENS_PER_WINDOW) {
        return Err(TokenFailure::AccessDenied);
    }
    let user_email = record.user_email.clone();
    let scopes = record.scopes.clone();
    let access_token = store.mint_access_token(
        &client_id,
        &user_email,
        dc,
        scopes.clone(),
        Some(digest),
        now,
    );
    Ok(Issued {
        access_token,
        refresh_token: None,
        scope: scopes.join(","),
        api_domain: shared.api_url(dc),
        expires_in: ACCESS_TOKEN_LIFETIME.as_secs(),
    })
}

/// Counts a code exchange request against its client's limit at this DC, before anything
/// else about it is checked: Zoho counts requests, so failed exchanges count too, and a
/// refused request leaves its code unspent. Requests naming no registered client are
/// not counted (there is no client to throttle, and counting them would let anyone grow
/// the table without bound).
fn admit_code_request(
    store: &mut Store,
    dc: Dc,
    client_id: &str,
    now: Instant,
) -> Result<(), TokenFailure> {
    let Some(client) = store.client(client_id) else {
        return Ok(());
    };
    let key = (client.id.clone(), dc);
    let throttle = store.code_requests.entry(key).or_default();
    if !throttle.admit(now, MAX_CODE_REQUESTS_PER_WINDOW) {
        return Err(TokenFailure::AccessDenied);
    }
    throttle.count(now);
    Ok(())
}

/// Finds the client and checks that it may be used here and that the secret matches.
pub(crate) fn authenticate_client<'a>(
    store: &'a Store,
    dc: Dc,
    client_id: &str,
    secret: &str,
) -> Result<&'a Client, TokenFailure> {
    let client = store
        .client(client_id)
        .filter(|c| c.valid_at(dc))
        .ok_or(TokenFailure::InvalidClient)?;
    if bool::from(secret.as_bytes().ct_eq(client.secret.as_bytes())) {
        Ok(client)
    } else {
        Err(TokenFailure::InvalidClientSecret)
    }
}

/// RFC 7636 section 4.6.
fn pkce_matches(pkce: &Pkce, verifier: &str) -> bool {
    let derived = match pkce.method {
        PkceMethod::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        PkceMethod::Plain => verifier.to_owned(),
    };
    bool::from(derived.as_bytes().ct_eq(pkce.challenge.as_bytes()))
}

/// `POST {dc}/oauth/v2/token/revoke`: deletes a refresh token (with its access tokens)
/// or a single access token. Returns false when no such token lives at this DC.
pub(crate) fn revoke(shared: &Shared, dc: Dc, token: &str) -> bool {
    let now = shared.clock.now();
    let mut store = shared.store_mut();
    let revoked = revoke_matching(&mut store, dc, now, token, |_, _| true);
    if revoked.is_none() {
        tracing::debug!(%dc, "revoke of an unknown token");
    }
    revoked.is_some()
}

/// The two kinds of token a client may revoke at the newer endpoint (`token_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Refresh,
    Access,
}

impl TokenKind {
    /// The `token_type` value, or `None` for anything Zoho does not accept there.
    pub(crate) fn from_token_type(token_type: &str) -> Option<Self> {
        match token_type {
            "refresh_token" => Some(TokenKind::Refresh),
            "access_token" => Some(TokenKind::Access),
            _ => None,
        }
    }
}

/// Why the newer revoke endpoint refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RevokeFailure {
    /// Unknown client, or a client not valid at this DC (`invalid_client`).
    UnknownClient,
    /// `invalid_client_secret`.
    WrongSecret,
    /// No token of that kind, of that client, at this DC (`invalid_token`).
    NoSuchToken,
}

/// `POST {dc}/oauth/v2/revoke/token`: as [`revoke`], but only for the authenticated
/// client's own token of the named kind, so one client cannot end another's access.
pub(crate) fn revoke_as_client(
    shared: &Shared,
    dc: Dc,
    client_id: &str,
    secret: &str,
    token: &str,
    kind: TokenKind,
) -> Result<(), RevokeFailure> {
    let now = shared.clock.now();
    let mut store = shared.store_mut();
    let client_id = match authenticate_client(&store, dc, client_id, secret) {
        Ok(client) => client.id.clone(),
        Err(failure) => {
            tracing::debug!(%dc, client_id, error = failure.error_code(), "revoke refused");
            return Err(match failure {
                TokenFailure::InvalidClientSecret => RevokeFailure::WrongSecret,
                _ => RevokeFailure::UnknownClient,
            });
        }
    };
    let revoked = revoke_matching(&mut store, dc, now, token, |owner, found| {
        owner == client_id && found == kind
    });
    if revoked.is_none() {
        tracing::debug!(%dc, client_id, "revoke of a token this client does not hold here");
        return Err(RevokeFailure::NoSuchToken);
    }
    Ok(())
}

/// Deletes `token` if it lives at `dc` and `allowed(owner client, kind)` agrees;
/// deleting a refresh token deletes its access tokens too. An expired access token is
/// as unknown here as it is to the APIs.
fn revoke_matching(
    store: &mut Store,
    dc: Dc,
    now: Instant,
    token: &str,
    allowed: impl Fn(&str, TokenKind) -> bool,
) -> Option<TokenKind> {
    let digest = Digest32::of(token);
    if store
        .refresh_tokens
        .get(&digest)
        .is_some_and(|r| r.dc == dc && allowed(&r.client_id, TokenKind::Refresh))
    {
        store.delete_refresh_token(&digest);
        tracing::debug!(%dc, "refresh token revoked");
        return Some(TokenKind::Refresh);
    }
    if store.access_tokens.get(&digest).is_some_and(|a| {
        a.dc == dc && a.expires_at > now && allowed(&a.client_id, TokenKind::Access)
    }) {
        store.access_tokens.remove(&digest);
        tracing::debug!(%dc, "access token revoked");
        return Some(TokenKind::Access);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_the_rfc_example() {
        // RFC 7636 appendix B.
        let pkce = Pkce {
            challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_owned(),
            method: PkceMethod::S256,
        };
        assert!(pkce_matches(
            &pkce,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!pkce_matches(
            &pkce,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK"
        ));
        let plain = Pkce {
            challenge: "same-string".to_owned(),
            method: PkceMethod::Plain,
        };
        assert!(pkce_matches(&plain, "same-string"));
        assert!(!pkce_matches(&plain, "other-string"));
    }
}
