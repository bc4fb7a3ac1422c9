//! Finding and opening the assistant's vault: the same file and keyring entry as the
//! app, found by the same core function. A passphrase comes from a file or from the
//! terminal without echo, never from the command line, where other users of the
//! computer and the shell's history would see it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use zoho_oauth_core::vault::{default_location, Unlock, VaultInfo, VaultOptions};
use zoho_oauth_core::{SecretString, Vault, VaultError};

use crate::failure::{Code, Failure};

/// Where the vault is: `--vault`, else the app's own.
///
/// # Errors
/// No home folder to find it in.
pub fn vault_path(given: Option<&Path>) -> Result<PathBuf, Failure> {
    match given {
        Some(path) => Ok(path.to_path_buf()),
        None => default_location().ok_or_else(|| {
            Failure::new(
                Code::Vault,
                "This computer gives no data folder for your user, so the saved connections cannot be found.",
                "Give the vault file with --vault FILE.",
            )
        }),
    }
}

/// What the vault is, without unlocking it.
///
/// # Errors
/// No vault, a damaged or too new one.
pub fn inspect(path: &Path) -> Result<VaultInfo, Failure> {
    Ok(Vault::inspect(path, &VaultOptions::default())?)
}

/// Opens the vault: with the keyring when it has a keyring key, else (or when the
/// keyring fails and there is a recovery passphrase) with the passphrase.
///
/// # Errors
/// No vault, no passphrase to be had, a wrong one, a keyring that does not answer.
pub fn open(path: &Path, passphrase_file: Option<&Path>) -> Result<Vault, Failure> {
    let info = inspect(path)?;
    let options = VaultOptions::default();
    if info.protection.has_keyring() {
        match Vault::open(path, Unlock::Keyring, options.clone()) {
            Ok(vault) => return Ok(vault),
            Err(err) if !info.protection.has_passphrase() => return Err(err.into()),
            Err(_) => {}
        }
    }
    let passphrase = passphrase(passphrase_file)?;
    Ok(Vault::open(path, Unlock::Passphrase(passphrase), options)?)
}

fn passphrase(file: Option<&Path>) -> Result<SecretString, Failure> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| {
            Failure::new(
                Code::Vault,
                format!(
                    "Could not read the passphrase file {}: {e}.",
                    file.display()
                ),
                "Check the file's name and that you may read it.",
            )
        })?;
        let first = text.lines().next().unwrap_or_default();
        return Ok(SecretString::from(first));
    }
    if !std::io::stdin().is_terminal() {
        return Err(VaultError::PassphraseRequired.into());
    }
    let typed = rpassword::prompt_password("Passphrase of your saved Zoho connections: ")
        .map_err(|_| Failure::from(VaultError::PassphraseRequired))?;
    Ok(SecretString::from(typed))
}
