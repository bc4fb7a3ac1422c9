//! The vault file is private to its user: 0600, in a 0700 folder when the vault creates
//! it, whatever the umask, and stays so across saves, reopenings and quarantine. An
//! existing folder is never changed.
#![cfg(unix)]

mod vault_support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use vault_support::*;
use zoho_oauth_core::vault::{NewProtection, Unlock, Vault};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn new_vault_and_its_folder_are_private() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("app-data").join("zoho-oauth-assistant");
    let path = folder.join("vault.zov");
    let (mut vault, ids) = vault_with(&path, 1, fast_options(MemoryKeyStore::new()));
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&folder), 0o700);
    vault.rename(&ids[0], "after a save").unwrap();
    assert_eq!(mode(&path), 0o600, "a save keeps the file private");
}

#[test]
fn a_widened_file_is_narrowed_again_but_an_existing_folder_is_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("data");
    fs::create_dir(&folder).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    let path = folder.join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (_, ids) = vault_with(&path, 1, options.clone());
    assert_eq!(
        mode(&folder),
        0o755,
        "an existing folder is not the vault's to change"
    );

    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let mut vault = Vault::open(&path, Unlock::Passphrase(passphrase()), options).unwrap();
    assert_eq!(mode(&path), 0o600, "opening narrows the file");
    vault.rename(&ids[0], "saved again").unwrap();
    assert_eq!(mode(&path), 0o600, "saving keeps the file private");
    assert_eq!(mode(&folder), 0o755, "saving leaves the folder alone");
}

#[test]
fn temporary_and_quarantined_files_are_private_too() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    Vault::create(
        &path,
        NewProtection::Passphrase(passphrase()),
        options.clone(),
    )
    .unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.truncate(bytes.len() / 2);
    fs::write(&path, &bytes).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let err = Vault::open(&path, Unlock::Passphrase(passphrase()), options).unwrap_err();
    let zoho_oauth_core::vault::VaultError::Damaged {
        quarantined_to: Some(moved),
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(mode(&moved), 0o600, "moving aside keeps the permissions");
}
