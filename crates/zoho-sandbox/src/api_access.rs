//! Checking the access token of an API call. Every API the sandbox serves, on an API
//! domain or on an accounts server, takes a token the same way: it must be one this DC
//! issued, unexpired and unrevoked, and carry a scope that grants the call. Each API then
//! words the two ways of failing in its own product's dialect.

use crate::dc::Dc;
use crate::ids::Digest32;
use crate::state::Shared;
use crate::users::User;

/// Why an API call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiFailure {
    /// No token, or an unknown, expired, revoked or other-DC token.
    InvalidToken,
    /// The token lacks every scope that grants the call.
    NotAuthorized,
}

impl ApiFailure {
    /// A short name for logs.
    pub(crate) fn label(self) -> &'static str {
        match self {
            ApiFailure::InvalidToken => "invalid token",
            ApiFailure::NotAuthorized => "scope missing",
        }
    }
}

/// The user the access token belongs to, if it is valid at `dc` now and `allowed` accepts
/// its scopes.
pub(crate) fn authorize(
    shared: &Shared,
    dc: Dc,
    access_token: Option<&str>,
    allowed: impl Fn(&[String]) -> bool,
) -> Result<User, ApiFailure> {
    let token = access_token.ok_or(ApiFailure::InvalidToken)?;
    let now = shared.clock.now();
    let store = shared.store();
    let record = store
        .access_tokens
        .get(&Digest32::of(token))
        .filter(|a| a.dc == dc && a.expires_at > now)
        .ok_or(ApiFailure::InvalidToken)?;
    if !allowed(&record.scopes) {
        return Err(ApiFailure::NotAuthorized);
    }
    store
        .user(&record.user_email)
        .cloned()
        .ok_or(ApiFailure::InvalidToken)
}
