//! What tests may read back about the tokens the sandbox issued, without holding more
//! than they already have: the scopes of a refresh token they were given, and how many
//! refresh tokens a user holds for a client (Zoho's limit is 20).

use crate::ids::Digest32;
use crate::state::Shared;

/// A live refresh token as the sandbox records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshTokenInfo {
    /// The client it was issued to.
    pub client_id: String,
    /// The account it grants access to.
    pub user_email: String,
    /// The data center that issued it.
    pub location: String,
    /// The scopes it carries now, in the order they were granted.
    pub scopes: Vec<String>,
}

pub(crate) fn refresh_token(shared: &Shared, refresh_token: &str) -> Option<RefreshTokenInfo> {
    let store = shared.store();
    store
        .refresh_tokens
        .get(&Digest32::of(refresh_token.trim()))
        .map(|r| RefreshTokenInfo {
            client_id: r.client_id.clone(),
            user_email: r.user_email.clone(),
            location: r.dc.location().to_owned(),
            scopes: r.scopes.clone(),
        })
}

pub(crate) fn refresh_token_count(shared: &Shared, client_id: &str, user_email: &str) -> usize {
    let store = shared.store();
    store
        .refresh_tokens
        .values()
        .filter(|r| {
            r.client_id == client_id && r.user_email.eq_ignore_ascii_case(user_email.trim())
        })
        .count()
}
