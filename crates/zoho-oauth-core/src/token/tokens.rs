//! The tokens of one connection and the rule that decides when to refresh them.
//!
//! Zoho allows about 10 access tokens per refresh token in 10 minutes and then locks
//! the client out for a while, so an access token is reused until shortly before it
//! expires, and only then replaced.

use std::time::Duration;

use time::OffsetDateTime;

use crate::datacenter::DataCenter;
use crate::secret::{AccessToken, RefreshToken};

/// How long before its expiry an access token is replaced: enough for a request that
/// starts now to reach Zoho while the token is still valid.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// What the token endpoint granted, with an absolute expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    /// The data center that issued the tokens: refreshes and revocations go to its
    /// accounts server.
    pub dc: DataCenter,
    /// The access token, sent as `Authorization: Zoho-oauthtoken ...`.
    pub access_token: AccessToken,
    /// The refresh token; `None` only if Zoho did not send one.
    pub refresh_token: Option<RefreshToken>,
    /// Where API calls go, as Zoho said, checked to belong to [`Tokens::dc`].
    pub api_domain: String,
    /// The granted scopes, comma-separated, when Zoho said.
    pub scope: Option<String>,
    /// When the access token stops working, by the client's clock.
    pub expires_at: OffsetDateTime,
}

impl Tokens {
    /// True while the access token may still be used at `now`: more than
    /// [`REFRESH_MARGIN`] before it expires.
    pub fn is_fresh_at(&self, now: OffsetDateTime) -> bool {
        now + REFRESH_MARGIN < self.expires_at
    }

    /// How long the access token remains valid at `now` (zero once expired).
    pub fn remaining_at(&self, now: OffsetDateTime) -> Duration {
        Duration::try_from(self.expires_at - now).unwrap_or(Duration::ZERO)
    }
}

/// Whether [`crate::token::TokenClient::ensure_fresh`] had to ask Zoho.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// The access token was still valid and is kept: no request was made.
    Reused,
    /// A new access token was fetched with the refresh token.
    Refreshed,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_at: OffsetDateTime) -> Tokens {
        Tokens {
            dc: DataCenter::Us,
            access_token: AccessToken::new("1000.a.b"),
            refresh_token: Some(RefreshToken::new("1000.r.t")),
            api_domain: "https://www.zohoapis.com".into(),
            scope: None,
            expires_at,
        }
    }

    #[test]
    fn fresh_until_a_minute_before_expiry() {
        let now = OffsetDateTime::now_utc();
        let t = tokens(now + time::Duration::seconds(3600));
        assert!(t.is_fresh_at(now));
        assert!(t.is_fresh_at(now + time::Duration::seconds(3539)));
        assert!(!t.is_fresh_at(now + time::Duration::seconds(3540)));
        assert!(!t.is_fresh_at(now + time::Duration::seconds(7200)));
        assert_eq!(t.remaining_at(now), Duration::from_secs(3600));
        assert_eq!(
            t.remaining_at(now + time::Duration::hours(2)),
            Duration::ZERO
        );
    }

    #[test]
    fn debug_hides_both_tokens() {
        let text = format!("{:?}", tokens(OffsetDateTime::now_utc()));
        assert!(!text.contains("1000.a.b"));
        assert!(!text.contains("1000.r.t"));
    }
}
