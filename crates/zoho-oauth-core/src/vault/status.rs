//! What a saved connection's state is, at a glance: its access token still valid,
//! expired (it refreshes when used), its refresh token revoked or deleted by Zoho, or a
//! refresh lockout waiting out its time.
//!
//! Zoho answers every one of these only when asked, and asking too often is itself what
//! locks a connection out. So what the last call learned is written into the connection
//! ([`RefreshProblem`], kept in the encrypted index with the rest of its summary) and the
//! status is worked out from it and the clock, without calling Zoho.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::Error;
use crate::token::REFRESH_MARGIN;

use super::history::TokenState;
use super::model::ConnectionSummary;

/// How long the app waits after Zoho refused a refresh with "too many requests" before it
/// asks again. Zoho does not say; people report lockouts of 15 to 30 minutes after the
/// 10-per-10-minutes limit, and asking during one can prolong it, so the wait is the
/// shorter figure and the message says it may take longer.
pub const LOCKOUT_WAIT: Duration = Duration::minutes(15);

/// What a call to Zoho learned that stops the connection's refresh token from working,
/// for now or for good.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RefreshProblem {
    /// The refresh token no longer works: revoked, or deleted by Zoho.
    Revoked {
        /// When it was found out.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        /// Who ended it.
        by: RevokedBy,
    },
    /// Zoho refused new access tokens for a while ("too many requests").
    LockedOut {
        /// When Zoho refused.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        /// When to ask again.
        #[serde(with = "time::serde::rfc3339")]
        until: OffsetDateTime,
    },
}

/// Who ended a refresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevokedBy {
    /// Revoked through this app.
    ThisApp,
    /// Zoho refused it: revoked in Zoho (Connected Apps, a password reset), the client
    /// deleted, or pushed out by a 21st newer token.
    Zoho,
}

impl RefreshProblem {
    /// What Zoho's answer `error` to a refresh or an API call says about the refresh
    /// token, if anything: `None` for errors that leave it as it was (network, 5xx).
    pub fn from_error(error: &Error, now: OffsetDateTime) -> Option<Self> {
        match error {
            Error::RefreshTokenRevoked => Some(RefreshProblem::Revoked {
                at: now,
                by: RevokedBy::Zoho,
            }),
            Error::RateLimited => Some(RefreshProblem::LockedOut {
                at: now,
                until: now + LOCKOUT_WAIT,
            }),
            _ => None,
        }
    }

    /// True while the problem stands at `now`: a revoked token for good, a lockout until
    /// its time is up.
    pub fn stands_at(&self, now: OffsetDateTime) -> bool {
        match self {
            RefreshProblem::Revoked { .. } => true,
            RefreshProblem::LockedOut { until, .. } => now < *until,
        }
    }
}

/// A saved connection's state, worked out without calling Zoho.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectionStatus {
    /// The stored access token can be used now, until `until` (less the refresh margin).
    Valid {
        /// When the access token stops working.
        until: OffsetDateTime,
    },
    /// No usable access token: the next use refreshes it.
    Expired,
    /// The refresh token no longer works: only a new grant helps.
    Revoked {
        /// When this was found out.
        at: OffsetDateTime,
        /// Who ended it.
        by: RevokedBy,
    },
    /// This app saved a newer token that took Zoho over its limit of 20 for the same
    /// user and client: Zoho has presumably deleted this one.
    PresumedDeleted {
        /// When the newer token was saved.
        at: OffsetDateTime,
    },
    /// Zoho refused a refresh for making too many; ask again from `until`.
    LockedOut {
        /// When to try again.
        until: OffsetDateTime,
    },
}

impl ConnectionStatus {
    /// The status of `summary` at `now`, given what the vault's ledger knows of its
    /// refresh token (`token`: `None` when it was never recorded).
    pub fn of(
        summary: &ConnectionSummary,
        token: Option<&TokenState>,
        now: OffsetDateTime,
    ) -> Self {
        match &summary.refresh_problem {
            Some(RefreshProblem::Revoked { at, by }) => {
                return ConnectionStatus::Revoked { at: *at, by: *by }
            }
            Some(RefreshProblem::LockedOut { until, .. }) if now < *until => {
                return ConnectionStatus::LockedOut { until: *until }
            }
            _ => {}
        }
        match token {
            Some(TokenState::Revoked { at }) => {
                return ConnectionStatus::Revoked {
                    at: *at,
                    by: RevokedBy::ThisApp,
                }
            }
            Some(TokenState::PresumedEvicted { at }) => {
                return ConnectionStatus::PresumedDeleted { at: *at }
            }
            Some(TokenState::Live) | None => {}
        }
        match summary.access_token_expires_at {
            Some(until) if summary.access_token_usable(now, refresh_margin()) => {
                ConnectionStatus::Valid { until }
            }
            _ => ConnectionStatus::Expired,
        }
    }

    /// True when the refresh token is known not to work any more.
    pub fn needs_new_grant(&self) -> bool {
        matches!(
            self,
            ConnectionStatus::Revoked { .. } | ConnectionStatus::PresumedDeleted { .. }
        )
    }
}

/// The margin the token client keeps before an access token's expiry.
pub fn refresh_margin() -> Duration {
    Duration::try_from(REFRESH_MARGIN).unwrap_or(Duration::minutes(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientType;
    use crate::datacenter::{DataCenter, ZohoEnv};
    use crate::vault::ConnectionId;

    fn summary(expires_in: Option<i64>, problem: Option<RefreshProblem>) -> ConnectionSummary {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        ConnectionSummary {
            id: ConnectionId::from("c1"),
            name: "Books".into(),
            environment: ZohoEnv::Production,
            data_center: DataCenter::Eu,
            product: "Zoho Books".into(),
            scopes: vec![],
            client_type: ClientType::SelfClient,
            client_id: "1000.X".into(),
            zoho_user: None,
            api_domain: "https://www.zohoapis.eu".into(),
            created_at: now,
            last_refreshed_at: None,
            access_token_expires_at: expires_in.map(|s| now + Duration::seconds(s)),
            last_test: None,
            organization: None,
            refresh_problem: problem,
            token_source: crate::vault::TokenSource::RefreshToken,
            payments_account_id: None,
        }
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::days(20_000)
    }

    #[test]
    fn an_access_token_is_valid_only_with_more_than_the_margin_left() {
        let valid = summary(Some(3600), None);
        assert!(matches!(
            ConnectionStatus::of(&valid, None, now()),
            ConnectionStatus::Valid { .. }
        ));
        let nearly = summary(Some(30), None);
        assert_eq!(
            ConnectionStatus::of(&nearly, None, now()),
            ConnectionStatus::Expired,
            "30 s left is inside the margin: a use refreshes"
        );
        let none = summary(None, None);
        assert_eq!(
            ConnectionStatus::of(&none, Some(&TokenState::Live), now()),
            ConnectionStatus::Expired
        );
    }

    #[test]
    fn a_lockout_lasts_its_wait_then_the_token_status_shows_again() {
        let refused = RefreshProblem::from_error(&Error::RateLimited, now()).unwrap();
        let locked = summary(Some(3600), Some(refused));
        assert_eq!(
            ConnectionStatus::of(&locked, None, now() + Duration::minutes(14)),
            ConnectionStatus::LockedOut {
                until: now() + LOCKOUT_WAIT
            }
        );
        assert!(matches!(
            ConnectionStatus::of(&locked, None, now() + Duration::minutes(16)),
            ConnectionStatus::Valid { .. }
        ));
    }

    #[test]
    fn a_revoked_or_evicted_token_needs_a_new_grant_whatever_the_access_token_says() {
        let revoked = RefreshProblem::from_error(&Error::RefreshTokenRevoked, now()).unwrap();
        let zoho = ConnectionStatus::of(&summary(Some(3600), Some(revoked)), None, now());
        assert_eq!(
            zoho,
            ConnectionStatus::Revoked {
                at: now(),
                by: RevokedBy::Zoho
            }
        );
        assert!(zoho.needs_new_grant());
        let evicted = ConnectionStatus::of(
            &summary(Some(3600), None),
            Some(&TokenState::PresumedEvicted { at: now() }),
            now(),
        );
        assert!(evicted.needs_new_grant());
        assert!(
            RefreshProblem::from_error(
                &Error::Timeout {
                    after: std::time::Duration::from_secs(30)
                },
                now()
            )
            .is_none(),
            "a timeout says nothing about the token"
        );
    }
}
