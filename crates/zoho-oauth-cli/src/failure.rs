//! Why a command did not do what was asked, with the exit code that says so and the
//! next step in plain words. Nothing here ever holds a secret: the core's errors carry
//! none, and names and paths are all that is added.

use std::process::ExitCode;

use time::OffsetDateTime;
use zoho_oauth_core::vault::KeyringUse;
use zoho_oauth_core::{AccessError, Error, UserFacing, VaultError};

/// The exit codes, as `--help` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Code {
    /// Anything else: a failed test call, a damaged vault, a disk error.
    Failed = 1,
    /// A wrong option, or a command that needs --force, --yes or --sandbox.
    Usage = 2,
    /// No vault, or it cannot be unlocked.
    Vault = 3,
    /// No connection by that name, or several.
    NotFound = 4,
    /// Zoho refused the connection's credentials.
    Refused = 5,
    /// Zoho's lockout.
    RateLimited = 6,
    /// Zoho could not be reached.
    Network = 7,
}

/// A command's failure: what happened and what to do next.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: Code,
    /// What happened.
    pub message: String,
    /// What to do next.
    pub hint: String,
}

impl Failure {
    /// A failure with `code`.
    pub fn new(code: Code, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// Prints it on standard error and gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("zoho-oauth: {}", self.message);
        if !self.hint.is_empty() {
            eprintln!("{}", self.hint);
        }
        ExitCode::from(self.code as u8)
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        let code = match &err {
            Error::RateLimited | Error::CodeExchangesLimited => Code::RateLimited,
            Error::Network { .. }
            | Error::Timeout { .. }
            | Error::ConnectionLost { .. }
            | Error::ZohoUnavailable { .. }
            | Error::CertificateRefused { .. } => Code::Network,
            Error::RefreshTokenRevoked
            | Error::InvalidClient { .. }
            | Error::InvalidClientSecret
            | Error::InvalidAccessToken
            | Error::WrongDataCenter { .. }
            | Error::UntrustedHost { .. }
            | Error::AccessDenied => Code::Refused,
            _ => Code::Failed,
        };
        let hint = match &err {
            Error::RefreshTokenRevoked => regenerate_hint(),
            Error::RateLimited => {
                locked_out_hint(OffsetDateTime::now_utc() + zoho_oauth_core::vault::LOCKOUT_WAIT)
            }
            _ => err.hint(),
        };
        Failure::new(code, err.to_string(), hint)
    }
}

impl From<VaultError> for Failure {
    fn from(err: VaultError) -> Self {
        let code = match &err {
            VaultError::ConnectionNotFound { .. } => Code::NotFound,
            VaultError::Io { .. } | VaultError::ChangedOnDisk { .. } => Code::Failed,
            _ => Code::Vault,
        };
        let hint = match &err {
            VaultError::NotFound {
                damaged_copies, ..
            } if damaged_copies.is_empty() => {
                "Save a connection with the Zoho OAuth Assistant first, or give the vault file with --vault FILE.".to_owned()
            }
            VaultError::PassphraseRequired => "Run it in a terminal to be asked for the passphrase, or give a file holding it with --passphrase-file FILE (or ZOHO_OAUTH_PASSPHRASE_FILE).".to_owned(),
            VaultError::WrongPassphrase => "Check the passphrase (capital letters, keyboard layout; a passphrase file holds it on its first line) and try again. Your saved connections were not changed.".to_owned(),
            VaultError::Keyring {
                during: KeyringUse::Unlock { recovery_passphrase: true },
                ..
            } => "Give your recovery passphrase instead: run it in a terminal to be asked, or use --passphrase-file FILE. The vault file was not changed.".to_owned(),
            VaultError::ChangedOnDisk { .. } => "Another program changed how the saved connections are protected while this one ran. Run the command again.".to_owned(),
            _ => err.hint(),
        };
        Failure::new(code, sentence(&err.to_string()), hint)
    }
}

impl From<AccessError<VaultError>> for Failure {
    fn from(err: AccessError<VaultError>) -> Self {
        match err {
            AccessError::LockedOut { name, until } => Failure::new(
                Code::RateLimited,
                format!("Zoho is still refusing new access tokens for \"{name}\" after too many were asked for."),
                locked_out_hint(until),
            ),
            AccessError::NeedsNewGrant { name } => Failure::new(
                Code::Refused,
                format!("\"{name}\" no longer has a working refresh token: it was revoked, or Zoho deleted it."),
                regenerate_hint(),
            ),
            AccessError::Zoho(err) => err.into(),
            AccessError::Vault(err) => err.into(),
        }
    }
}

fn regenerate_hint() -> String {
    "Open the Zoho OAuth Assistant and press Regenerate on this connection to get a new refresh token with the same client and permissions; scripts keep working with the same name afterwards.".into()
}

fn locked_out_hint(until: OffsetDateTime) -> String {
    let wait = (until - OffsetDateTime::now_utc()).whole_minutes().max(1);
    let at = until
        .time()
        .format(time::macros::format_description!("[hour]:[minute]"))
        .unwrap_or_default();
    format!("Wait about {wait} minutes (until {at} UTC) before asking again; asking sooner can make Zoho's wait longer.")
}

/// The vault's messages are written to follow "the vault said:"; on their own they
/// start with a capital letter and end with a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
