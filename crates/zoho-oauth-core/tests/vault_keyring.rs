//! The keyring path against a real Secret Service. These tests touch the user's
//! keyring, so they are ignored by default; `scripts/test-vault-keyring.sh` runs them
//! inside a private D-Bus session with a throw-away, unlocked gnome-keyring.

mod vault_support;

use std::fs;
use std::sync::Arc;

use vault_support::*;
use zoho_oauth_core::vault::{
    KeyStore, KeyringError, NewProtection, OsKeyring, Protection, Unlock, Vault, VaultOptions,
};
use zoho_oauth_core::UserFacing;

fn os_options() -> (VaultOptions, String) {
    let service = format!("zoho-oauth-vault-test-{}", rand::random::<u64>());
    let mut options = fast_options(MemoryKeyStore::new());
    options.key_store = Arc::new(OsKeyring::new());
    options.keyring_service = service.clone();
    (options, service)
}

#[test]
#[ignore = "needs a Secret Service: run scripts/test-vault-keyring.sh"]
fn the_os_keyring_stores_reads_and_deletes() {
    let keyring = OsKeyring::new();
    let service = format!("zoho-oauth-vault-test-{}", rand::random::<u64>());
    keyring.set(&service, "probe", "c2VjcmV0").unwrap();
    assert_eq!(keyring.get(&service, "probe").unwrap().as_str(), "c2VjcmV0");
    keyring.delete(&service, "probe").unwrap();
    assert_eq!(
        keyring.get(&service, "probe"),
        Err(KeyringError::EntryMissing)
    );
    keyring.delete(&service, "probe").unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run scripts/test-vault-keyring.sh"]
fn a_keyring_vault_round_trips_and_moves_to_a_passphrase_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let (options, service) = os_options();
    let mut vault = Vault::create(&path, NewProtection::Keyring, options.clone()).unwrap();
    assert_eq!(vault.protection(), Protection::Keyring);
    let id = vault.add(sample_connection(0)).unwrap();

    let back = Vault::open(&path, Unlock::Keyring, options.clone()).unwrap();
    assert_eq!(
        back.get(&id)
            .unwrap()
            .secrets
            .refresh_token
            .as_ref()
            .unwrap()
            .expose(),
        sample_secrets(0).refresh_token
    );
    assert!(back.unlock_timings().keyring > std::time::Duration::ZERO);

    let first_entries = accounts_in_file(&path);
    assert_eq!(first_entries.len(), 1);
    assert!(entry_exists(&service, &first_entries[0]));
    vault
        .change_protection(NewProtection::Passphrase(passphrase()))
        .unwrap();
    assert!(accounts_in_file(&path).is_empty());
    assert!(
        !entry_exists(&service, &first_entries[0]),
        "the keyring entry goes once it is no longer needed"
    );
    Vault::open(&path, Unlock::Passphrase(passphrase()), options.clone()).unwrap();

    vault
        .change_protection(NewProtection::KeyringWithRecoveryPassphrase(passphrase()))
        .unwrap();
    let reopened = Vault::open(&path, Unlock::Keyring, options.clone()).unwrap();
    assert_eq!(reopened.len(), 1);

    // The keyring entry is lost (a reset login keyring): typed error, file untouched,
    // the recovery passphrase still opens it.
    let before = fs::read(&path).unwrap();
    for account in accounts_in_file(&path) {
        assert!(entry_exists(&service, &account));
        OsKeyring::new().delete(&service, &account).unwrap();
    }
    let err = Vault::open(&path, Unlock::Keyring, options.clone()).unwrap_err();
    assert_eq!(err.kind(), "keyring_entry_missing");
    assert!(err.hint().contains("recovery passphrase"));
    assert_eq!(fs::read(&path).unwrap(), before);
    let mut recovered = Vault::open(&path, Unlock::Passphrase(passphrase()), options).unwrap();
    recovered
        .change_protection(NewProtection::Passphrase(passphrase()))
        .unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run scripts/test-vault-keyring.sh"]
fn a_different_key_in_the_keyring_is_a_mismatch_not_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let (options, service) = os_options();
    Vault::create(&path, NewProtection::Keyring, options.clone()).unwrap();
    let before = fs::read(&path).unwrap();
    let account = accounts_in_file(&path).remove(0);
    OsKeyring::new()
        .set(
            &service,
            &account,
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .unwrap();
    let err = Vault::open(&path, Unlock::Keyring, options).unwrap_err();
    assert_eq!(err.kind(), "keyring_key_mismatch");
    assert_eq!(fs::read(&path).unwrap(), before);
    OsKeyring::new().delete(&service, &account).unwrap();
}

/// The keyring accounts the vault file's clear header points at.
fn accounts_in_file(path: &std::path::Path) -> Vec<String> {
    let bytes = fs::read(path).unwrap();
    let len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[14..14 + len]).unwrap();
    header["key_slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|slot| slot["account"].as_str().map(str::to_owned))
        .collect()
}

fn entry_exists(service: &str, account: &str) -> bool {
    match OsKeyring::new().get(service, account) {
        Ok(_) => true,
        Err(KeyringError::EntryMissing) => false,
        Err(e) => panic!("keyring failed: {e}"),
    }
}
