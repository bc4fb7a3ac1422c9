//! Why the vault refused or failed, in words an accountant can act on.
//!
//! Every variant says what happened to the saved file (usually: nothing), because the
//! first worry of a person who sees an error here is "did I just lose my connections?".
//! No variant carries secret material: parse errors from decrypted data are reduced to a
//! [`DamageReason`] instead of being passed on, since a JSON error message can quote the
//! text it choked on.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::error::UserFacing;

use super::model::ConnectionId;

/// A problem with the operating system's keyring (Secret Service, Keychain, Credential
/// Manager).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringError {
    /// No keyring service could be reached (no D-Bus session, no Secret Service, an
    /// unsupported platform).
    #[error("the system keyring is not available ({detail})")]
    Unavailable {
        /// What the platform said, without any secret.
        detail: String,
    },
    /// The keyring exists but is locked or refused access.
    #[error("the system keyring is locked or refused access")]
    Locked,
    /// The keyring did not answer in time; a hung Secret Service must not freeze the app.
    #[error("the system keyring did not answer within {millis} ms")]
    TimedOut {
        /// How long we waited.
        millis: u128,
    },
    /// The keyring answered but holds no entry under that name.
    #[error("the system keyring has no key for this vault")]
    EntryMissing,
    /// Any other failure reported by the keyring.
    #[error("the system keyring failed ({detail})")]
    Failed {
        /// What the platform said, without any secret.
        detail: String,
    },
}

/// What the vault was doing with the keyring when it failed; decides the next step the
/// user is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyringUse {
    /// Storing a new key (creating a vault or moving it to keyring protection): the
    /// alternative is a passphrase.
    Store,
    /// Reading the key to unlock an existing vault.
    Unlock {
        /// The vault also has a recovery passphrase that can open it.
        recovery_passphrase: bool,
    },
}

/// Why a vault file was judged damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DamageReason {
    /// Shorter than the smallest possible vault (an interrupted copy, an empty file).
    Truncated,
    /// Does not start with the vault signature: some other file.
    NotAVault,
    /// The checksum over the whole file does not match: bytes changed on disk.
    ChecksumMismatch,
    /// The framing (lengths, header) is inconsistent.
    Malformed,
    /// The key is right but the encrypted contents do not authenticate: the file was
    /// altered.
    Undecryptable,
    /// The contents decrypted but could not be read.
    UnreadableContents,
}

impl fmt::Display for DamageReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DamageReason::Truncated => "the file is cut short",
            DamageReason::NotAVault => "it is not a vault file",
            DamageReason::ChecksumMismatch => "its bytes were changed or damaged on disk",
            DamageReason::Malformed => "its layout is inconsistent",
            DamageReason::Undecryptable => "its encrypted contents fail authentication",
            DamageReason::UnreadableContents => "its contents cannot be read",
        })
    }
}

/// Everything that can go wrong with the vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// There is no vault file at that path. If an earlier one was found damaged and
    /// moved aside, the copies are listed, so the app does not present a fresh start
    /// as if nothing had ever been saved.
    #[error("there is no vault at {}", path.display())]
    NotFound {
        /// Where it was looked for.
        path: PathBuf,
        /// Damaged vault files kept beside it, oldest first.
        damaged_copies: Vec<PathBuf>,
    },
    /// `create` found a file already there and left it alone.
    #[error("a vault already exists at {}", path.display())]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },
    /// The passphrase does not unlock the vault. The file was not changed.
    #[error("the passphrase does not unlock this vault")]
    WrongPassphrase,
    /// The vault has no passphrase; it opens with the system keyring only.
    #[error("this vault is protected by the system keyring, not by a passphrase")]
    KeyringRequired,
    /// The vault is protected by a passphrase, and none was given.
    #[error("this vault is protected by a passphrase")]
    PassphraseRequired,
    /// A new passphrase is too short to resist guessing.
    #[error("the passphrase must have at least {min} characters")]
    PassphraseTooShort {
        /// The minimum length, in characters.
        min: usize,
    },
    /// The keyring could not be used. The file was not changed.
    #[error("could not use the system keyring: {source}")]
    Keyring {
        /// What the vault was doing.
        during: KeyringUse,
        /// What went wrong.
        #[source]
        source: KeyringError,
    },
    /// The keyring holds an entry for this vault, but it is not the key that locked it.
    #[error("the key in the system keyring does not unlock this vault")]
    KeyringKeyMismatch,
    /// The vault file is damaged. It was moved aside (never overwritten or deleted).
    #[error("the vault file at {} is damaged: {reason}", path.display())]
    Damaged {
        /// Where the file was.
        path: PathBuf,
        /// What is wrong with it.
        reason: DamageReason,
        /// Where the damaged file now is; `None` when it could not be moved and was left
        /// in place, unchanged.
        quarantined_to: Option<PathBuf>,
    },
    /// The file was written by a newer release. It was not changed.
    #[error("the vault was written in format {found}, newer than this release reads (up to {supported})")]
    UnsupportedVersion {
        /// The file's format version.
        found: u16,
        /// The newest format this release reads.
        supported: u16,
    },
    /// Another program changed or removed the vault file since this one opened it; saving
    /// now would overwrite that change.
    #[error("the vault file at {} was changed by another program", path.display())]
    ChangedOnDisk {
        /// The vault file.
        path: PathBuf,
    },
    /// Another program (the app, or the command line) kept the vault locked for longer
    /// than this one waits. Nothing was changed.
    #[error("the vault at {} is in use by another program", path.display())]
    Busy {
        /// The lock file.
        path: PathBuf,
        /// How long this program waited.
        waited: std::time::Duration,
    },
    /// No saved connection has that id.
    #[error("there is no saved connection with id {id}")]
    ConnectionNotFound {
        /// The id asked for.
        id: ConnectionId,
    },
    /// Another saved connection already has that name.
    #[error("a connection named \"{name}\" already exists")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
    /// The name is empty, too long, or holds control characters.
    #[error("a connection name must be 1 to {max} characters, without line breaks")]
    InvalidName {
        /// The longest name allowed, in characters.
        max: usize,
    },
    /// Reading or writing a file failed (disk full, no permission...).
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "write".
        action: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

impl VaultError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        VaultError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl UserFacing for VaultError {
    fn kind(&self) -> &'static str {
        match self {
            VaultError::NotFound { .. } => "vault_not_found",
            VaultError::AlreadyExists { .. } => "vault_exists",
            VaultError::WrongPassphrase => "wrong_passphrase",
            VaultError::KeyringRequired => "keyring_required",
            VaultError::PassphraseRequired => "passphrase_required",
            VaultError::PassphraseTooShort { .. } => "passphrase_too_short",
            VaultError::Keyring { source, .. } => match source {
                KeyringError::Unavailable { .. } => "keyring_unavailable",
                KeyringError::Locked => "keyring_locked",
                KeyringError::TimedOut { .. } => "keyring_timeout",
                KeyringError::EntryMissing => "keyring_entry_missing",
                KeyringError::Failed { .. } => "keyring_failed",
            },
            VaultError::KeyringKeyMismatch => "keyring_key_mismatch",
            VaultError::Damaged { .. } => "vault_damaged",
            VaultError::UnsupportedVersion { .. } => "vault_too_new",
            VaultError::ChangedOnDisk { .. } => "vault_changed_on_disk",
            VaultError::Busy { .. } => "vault_busy",
            VaultError::ConnectionNotFound { .. } => "connection_not_found",
            VaultError::NameTaken { .. } => "connection_name_taken",
            VaultError::InvalidName { .. } => "connection_name_invalid",
            VaultError::Io { .. } => "vault_io",
        }
    }

    fn hint(&self) -> String {
        match self {
            VaultError::NotFound { damaged_copies, .. } => match damaged_copies.last() {
                None => {
                    "Nothing has been saved yet. Create a vault to keep your connections.".into()
                }
                Some(latest) => format!(
                    "An earlier vault was damaged and kept at {} (nothing was deleted). \
                     Restore a backup of it if you have one, or create a new vault and \
                     connect again.",
                    latest.display()
                ),
            },
            VaultError::AlreadyExists { .. } => {
                "Open the existing vault instead; it was not changed.".into()
            }
            VaultError::WrongPassphrase => {
                "Check the passphrase (capital letters, keyboard layout) and try again. \
                 Your saved connections were not changed."
                    .into()
            }
            VaultError::KeyringRequired => {
                "Unlock it with the system keyring (your computer login) instead of a passphrase."
                    .into()
            }
            VaultError::PassphraseRequired => {
                "Type the passphrase you chose when you saved your first connection.".into()
            }
            VaultError::PassphraseTooShort { min } => {
                format!("Choose a longer passphrase: at least {min} characters. A short sentence works well.")
            }
            VaultError::Keyring { during, source } => keyring_hint(*during, source),
            VaultError::KeyringKeyMismatch => {
                "The system keyring holds a different key for this vault, so it cannot be \
                 opened that way. If you set a recovery passphrase, unlock with it. The vault \
                 file was not changed."
                    .into()
            }
            VaultError::Damaged { quarantined_to, .. } => match quarantined_to {
                Some(moved) => format!(
                    "The damaged file was kept at {} and nothing was deleted. You can start a \
                     new vault; restore a backup of that file if you have one.",
                    moved.display()
                ),
                None => "The damaged file was left where it is, unchanged. Move it somewhere \
                         safe (or restore a backup), then try again."
                    .into(),
            },
            VaultError::UnsupportedVersion { .. } => {
                "Install the latest version of the assistant to open it. The file was not changed."
                    .into()
            }
            VaultError::ChangedOnDisk { .. } => {
                "Another copy of the assistant may be running. Close it, then reopen the vault \
                 and make your change again."
                    .into()
            }
            VaultError::Busy { waited, .. } => format!(
                "Another program using the saved connections (the assistant or its command \
                 line) did not finish within {} seconds. Wait a moment and try again; \
                 nothing was changed.",
                waited.as_secs()
            ),
            VaultError::ConnectionNotFound { .. } => {
                "It may have been deleted. Reload the list of saved connections.".into()
            }
            VaultError::NameTaken { .. } => "Pick a different name for this connection.".into(),
            VaultError::InvalidName { max } => {
                format!("Type a name of 1 to {max} characters on a single line.")
            }
            VaultError::Io { source, .. } => match source.kind() {
                io::ErrorKind::PermissionDenied => {
                    "The assistant is not allowed to use its data folder. Check the folder's \
                     permissions, then try again."
                        .into()
                }
                _ => "Check that the disk is not full and the folder still exists, then try \
                      again. What was saved before is unchanged."
                    .into(),
            },
        }
    }
}

fn keyring_hint(during: KeyringUse, source: &KeyringError) -> String {
    let problem = match source {
        KeyringError::Unavailable { .. } => {
            "This computer has no system keyring the assistant can use."
        }
        KeyringError::Locked => "The system keyring is locked.",
        KeyringError::TimedOut { .. } => "The system keyring did not answer.",
        KeyringError::EntryMissing => "The system keyring no longer holds this vault's key.",
        KeyringError::Failed { .. } => "The system keyring reported an error.",
    };
    let next = match during {
        KeyringUse::Store => "Protect the vault with a passphrase instead.",
        KeyringUse::Unlock {
            recovery_passphrase: true,
        } => "Unlock with your recovery passphrase instead. The vault file was not changed.",
        KeyringUse::Unlock {
            recovery_passphrase: false,
        } => match source {
            KeyringError::EntryMissing => {
                "The vault file was not changed; it opens again if the keyring entry is \
                 restored (for example from a backup of your keyring)."
            }
            _ => {
                "Log out and back in to your computer (which unlocks the keyring) and try again. \
                  The vault file was not changed."
            }
        },
    };
    format!("{problem} {next}")
}
