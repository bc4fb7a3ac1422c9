//! Why something asked of a saved connection was not done, as `{kind, message, hint}`.

use time::OffsetDateTime;
use zoho_oauth_core::UserFacing;

use crate::error::AppError;
use crate::saved_views::day;
use crate::vault_error::VaultStepError;

/// Why an action on a saved connection was not done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SavedError {
    /// A practice connection while practice mode is off, or on another practice server.
    #[error("\"{name}\" is a practice connection, and practice mode is off.")]
    PracticeOff {
        /// The connection's name.
        name: String,
    },
    /// A connection to the real Zoho while practice mode is on.
    #[error("\"{name}\" is a connection to your real Zoho account, and practice mode is on.")]
    PracticeOn {
        /// The connection's name.
        name: String,
    },
    /// Still inside a lockout Zoho imposed: nothing was sent.
    #[error(
        "Zoho is still refusing new access tokens for \"{name}\" after too many were asked for."
    )]
    LockedOut {
        /// The connection's name.
        name: String,
        /// When to try again.
        until: OffsetDateTime,
    },
    /// The refresh token is known not to work any more: nothing was sent.
    #[error("\"{name}\" no longer has a working refresh token.")]
    NeedsNewGrant {
        /// The connection's name.
        name: String,
    },
    /// The tokens in hand are not for this connection's client, data center or side.
    #[error("The new tokens are not for \"{name}\": {reason}.")]
    NotThisConnection {
        /// The connection's name.
        name: String,
        /// What differs, in plain words.
        reason: &'static str,
    },
    /// The vault refused or is not open.
    #[error(transparent)]
    Vault(#[from] VaultStepError),
    /// Zoho, the network or the flow.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<zoho_oauth_core::Error> for SavedError {
    fn from(err: zoho_oauth_core::Error) -> Self {
        SavedError::App(AppError::Zoho(err))
    }
}

impl From<zoho_oauth_core::VaultError> for SavedError {
    fn from(err: zoho_oauth_core::VaultError) -> Self {
        SavedError::Vault(VaultStepError::Vault(err))
    }
}

impl UserFacing for SavedError {
    fn kind(&self) -> &'static str {
        match self {
            SavedError::PracticeOff { .. } => "practice_off",
            SavedError::PracticeOn { .. } => "practice_on",
            SavedError::LockedOut { .. } => "locked_out",
            SavedError::NeedsNewGrant { .. } => "refresh_token_revoked",
            SavedError::NotThisConnection { .. } => "not_this_connection",
            SavedError::Vault(err) => err.kind(),
            SavedError::App(err) => err.kind(),
        }
    }

    fn hint(&self) -> String {
        match self {
            SavedError::PracticeOff { .. } => "Switch practice mode on (top right), then try again. Practice connections only work with the practice server on this computer.".into(),
            SavedError::PracticeOn { .. } => "Switch practice mode off (top right) to use it: in practice mode nothing is sent to Zoho.".into(),
            SavedError::LockedOut { until, .. } => format!(
                "Try again after {} UTC{}. Asking sooner can make Zoho's wait longer.",
                until.time().format(time::macros::format_description!("[hour]:[minute]")).unwrap_or_default(),
                if until.date() == OffsetDateTime::now_utc().date() { String::new() } else { format!(" on {}", day(*until)) }
            ),
            SavedError::NeedsNewGrant { .. } => "Press Regenerate to get a new refresh token with the same client and permissions, or delete the connection if it is no longer needed.".into(),
            SavedError::NotThisConnection { .. } => "Start Regenerate again from the connection, and sign in with the Zoho account the connection belongs to. Nothing was changed.".into(),
            SavedError::Vault(err) => err.hint(),
            SavedError::App(err) => err.hint(),
        }
    }
}
