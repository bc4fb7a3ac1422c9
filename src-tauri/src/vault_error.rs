//! Why a step with the vault, the clipboard or an export did not work, as
//! `{kind, message, hint}` for the window (through [`UserFacing`]).

use std::path::PathBuf;

use zoho_oauth_core::{UserFacing, VaultError};

use crate::error::{AppError, CommandError};

/// Why a vault step did not work.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultStepError {
    /// The vault refused or failed.
    #[error("{}", sentence(&.0.to_string()))]
    Vault(#[from] VaultError),
    /// The connection is not ready (no tokens yet).
    #[error(transparent)]
    Wizard(#[from] AppError),
    /// Zoho sent no refresh token.
    #[error(
        "Zoho did not send a refresh token with this connection, so there is nothing to save."
    )]
    NoRefreshToken,
    /// The two passphrases typed differ.
    #[error("The two passphrases are not the same.")]
    PassphrasesDiffer,
    /// The vault is there but cannot be opened now.
    #[error("{}", .0.message)]
    Unavailable(CommandError),
    /// The app has no data folder.
    #[error("The assistant could not find a folder of its own on this computer to keep saved connections in.")]
    NoFolder,
    /// The clipboard could not be written.
    #[error("The clipboard could not be used ({reason}).")]
    Clipboard {
        /// What the platform said.
        reason: String,
    },
    /// The value asked for is not stored for this connection.
    #[error("This connection has no {what} saved.")]
    NothingToCopy {
        /// What is missing, e.g. "access token".
        what: &'static str,
    },
    /// The export file could not be written.
    #[error("The export could not be written to {} ({source}).", path.display())]
    ExportUnwritten {
        /// The file chosen.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
}

impl UserFacing for VaultStepError {
    fn kind(&self) -> &'static str {
        match self {
            VaultStepError::Vault(err) => err.kind(),
            VaultStepError::Wizard(err) => err.kind(),
            VaultStepError::NoRefreshToken => "no_refresh_token",
            VaultStepError::PassphrasesDiffer => "passphrases_differ",
            VaultStepError::Unavailable(problem) => problem.kind,
            VaultStepError::NoFolder => "no_data_folder",
            VaultStepError::Clipboard { .. } => "clipboard_unavailable",
            VaultStepError::ExportUnwritten { .. } => "export_unwritten",
            VaultStepError::NothingToCopy { .. } => "nothing_to_copy",
        }
    }

    fn hint(&self) -> String {
        match self {
            VaultStepError::Vault(err) => err.hint(),
            VaultStepError::Wizard(err) => err.hint(),
            VaultStepError::NoRefreshToken => {
                "Connect again from the start: Zoho sends a refresh token when the code is exchanged for the first time.".into()
            }
            VaultStepError::PassphrasesDiffer => {
                "Type the same passphrase in both fields.".into()
            }
            VaultStepError::Unavailable(problem) => problem.hint.clone(),
            VaultStepError::NoFolder => {
                "Check that your user account has a home folder you can write to, then start the assistant again.".into()
            }
            VaultStepError::Clipboard { .. } => {
                "Press Reveal and copy the token by hand, or save the connection and export it to a file.".into()
            }
            VaultStepError::ExportUnwritten { .. } => {
                "Choose another folder, such as your Documents folder, and export again. Nothing else was changed.".into()
            }
            VaultStepError::NothingToCopy { .. } => {
                "Press Refresh to get an access token, or Test to find the organization, then try again.".into()
            }
        }
    }
}

/// "the passphrase does not unlock this vault" → "The passphrase does not unlock this vault."
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
