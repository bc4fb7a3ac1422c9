//! A saved connection's status in the words a person reads, the same in the window and
//! on the command line: valid for so long, expired, revoked, deleted by Zoho, locked
//! out, with what to do next.

use time::OffsetDateTime;

use crate::vault::{ConnectionStatus, RevokedBy};

/// A status, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusWords {
    /// `valid`, `expired`, `revoked` (revoked or deleted: only a new grant helps) or
    /// `locked_out`.
    pub kind: &'static str,
    /// A short label for a badge or a column.
    pub label: String,
    /// Why, and what to do next.
    pub detail: String,
    /// The access token's expiry (valid) or when to try again (locked out).
    pub until: Option<OffsetDateTime>,
}

/// `status` at `now`, in words.
pub fn status_words(status: &ConnectionStatus, now: OffsetDateTime) -> StatusWords {
    match status {
        ConnectionStatus::Valid { until } => {
            let minutes = (*until - now).whole_seconds().max(0).div_euclid(60).max(1);
            StatusWords {
                kind: "valid",
                label: format!("Valid for {minutes} min"),
                detail: "The access token works as it is; it is used without asking Zoho for a new one until it expires.".into(),
                until: Some(*until),
            }
        }
        ConnectionStatus::Expired => StatusWords {
            kind: "expired",
            label: "Expired".into(),
            detail: "The access token has expired, which is normal after an hour: a new one is fetched with the refresh token the next time the connection is used (Refresh does it now).".into(),
            until: None,
        },
        ConnectionStatus::Revoked { at, by: RevokedBy::ThisApp } => StatusWords {
            kind: "revoked",
            label: "Revoked".into(),
            detail: format!(
                "The refresh token was revoked with this assistant on {}. Nothing can use this connection until you regenerate it.",
                day(*at)
            ),
            until: None,
        },
        ConnectionStatus::Revoked { at, by: RevokedBy::Zoho } => StatusWords {
            kind: "revoked",
            label: "Refused by Zoho".into(),
            detail: format!(
                "Zoho stopped accepting this connection's refresh token (found on {}): it was revoked in Zoho, the app was removed from Connected Apps, or Zoho deleted it because 20 newer ones were made. Regenerate it to get a new one.",
                day(*at)
            ),
            until: None,
        },
        ConnectionStatus::PresumedDeleted { at } => StatusWords {
            kind: "revoked",
            label: "Deleted by Zoho".into(),
            detail: format!(
                "A newer refresh token saved on {} took this Zoho user and client past Zoho's limit of 20, so Zoho has most likely deleted this one. Regenerate it to get a new one.",
                day(*at)
            ),
            until: None,
        },
        ConnectionStatus::LockedOut { until } => StatusWords {
            kind: "locked_out",
            label: "Locked out".into(),
            detail: "Zoho refused a new access token because too many were asked for (it allows about 10 in 10 minutes). Wait until the countdown ends before trying again: trying sooner can make Zoho's wait longer, sometimes up to 30 minutes.".into(),
            until: Some(*until),
        },
    }
}

/// "2 December 2026".
pub fn day(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    at.format(&format).unwrap_or_default()
}
