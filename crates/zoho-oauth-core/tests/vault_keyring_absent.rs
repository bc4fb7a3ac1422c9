//! Where there is no D-Bus session at all (a headless box, CI), the vault gets a typed
//! error at once and offers the passphrase path; it never hangs or crashes.
//!
//! Alone in its binary: it changes the process environment, and libdbus remembers the
//! session bus address for the life of the process.
#![cfg(target_os = "linux")]

mod vault_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use vault_support::*;
use zoho_oauth_core::vault::{KeyStore, KeyringError, NewProtection, OsKeyring, Protection, Vault};
use zoho_oauth_core::UserFacing;

#[test]
fn without_a_session_bus_the_keyring_is_reported_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    std::env::remove_var("DBUS_SESSION_BUS_ADDRESS");
    std::env::remove_var("DISPLAY");
    std::env::set_var("XDG_RUNTIME_DIR", dir.path());
    let started = Instant::now();
    let err = OsKeyring::new()
        .get("zoho-oauth-vault-test", "none")
        .unwrap_err();
    assert!(
        matches!(
            err,
            KeyringError::Unavailable { .. } | KeyringError::Failed { .. }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));

    let path = dir.path().join("vault.zov");
    let mut options = fast_options(MemoryKeyStore::new());
    options.key_store = Arc::new(OsKeyring::new());
    let err = Vault::create(&path, NewProtection::Keyring, options.clone()).unwrap_err();
    assert!(err.kind().starts_with("keyring_"), "{}", err.kind());
    assert!(err.hint().contains("passphrase"), "{}", err.hint());
    assert!(!path.exists());
    let vault = Vault::create(&path, NewProtection::Passphrase(passphrase()), options).unwrap();
    assert_eq!(vault.protection(), Protection::Passphrase);
}
