//! Handing one of the new connection's tokens to the person, only when they press
//! Reveal or Copy: Reveal sends that one token to the window; Copy puts it on the
//! clipboard from Rust and the window hears only that it was copied.

use std::sync::Arc;

use serde::Deserialize;

use crate::clipboard::{Clipboard, Copied, SecretCopier};
use crate::vault_error::VaultStepError;
use crate::wizard::MadeConnection;

/// Which token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// The long-lived refresh token.
    Refresh,
    /// The current access token.
    Access,
}

/// The token the person asked to see.
///
/// # Errors
/// [`VaultStepError::NoRefreshToken`] when Zoho sent none.
pub fn reveal(made: &MadeConnection, which: TokenKind) -> Result<String, VaultStepError> {
    Ok(token(made, which)?.to_owned())
}

/// Copies the token to `clipboard`, to be cleared after the copier's delay.
///
/// # Errors
/// [`VaultStepError::NoRefreshToken`], or the clipboard's failure.
pub fn copy(
    made: &MadeConnection,
    which: TokenKind,
    copier: &SecretCopier,
    clipboard: Arc<dyn Clipboard>,
) -> Result<Copied, VaultStepError> {
    copier
        .copy(clipboard, token(made, which)?)
        .map_err(|reason| VaultStepError::Clipboard { reason })
}

fn token(made: &MadeConnection, which: TokenKind) -> Result<&str, VaultStepError> {
    match which {
        TokenKind::Access => Ok(made.tokens.access_token.expose()),
        TokenKind::Refresh => made
            .tokens
            .refresh_token
            .as_ref()
            .map(|t| t.expose())
            .ok_or(VaultStepError::NoRefreshToken),
    }
}
