//! Where the Secret Service hangs (a session bus that accepts the connection and never
//! answers), every keyring call gives up after its timeout with a typed error, so the
//! app can offer the passphrase path instead of freezing; the vault file is untouched.
//!
//! Alone in its binary: it changes the process environment, and libdbus remembers the
//! session bus address for the life of the process.
#![cfg(target_os = "linux")]

mod vault_support;

use std::fs;
use std::os::unix::net::UnixListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vault_support::*;
use zoho_oauth_core::vault::{KeyStore, KeyringError, NewProtection, OsKeyring, Unlock, Vault};
use zoho_oauth_core::UserFacing;

#[test]
fn a_hung_secret_service_times_out_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("hung-bus");
    let listener = UnixListener::bind(&socket).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream); // keep it open, say nothing
        }
    });
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", socket.display()),
    );
    let timeout = Duration::from_millis(400);
    let started = Instant::now();
    let err = OsKeyring::with_timeout(timeout)
        .get("zoho-oauth-vault-test", "none")
        .unwrap_err();
    assert_eq!(err, KeyringError::TimedOut { millis: 400 });
    assert!(started.elapsed() < timeout + Duration::from_secs(1));

    // A keyring vault (made elsewhere) cannot be unlocked here: typed error, file kept.
    let keyring_vault = dir.path().join("keyring.zov");
    let elsewhere = MemoryKeyStore::new();
    Vault::create(
        &keyring_vault,
        NewProtection::Keyring,
        fast_options(elsewhere.clone()),
    )
    .unwrap();
    let before = fs::read(&keyring_vault).unwrap();
    let mut here = fast_options(MemoryKeyStore::new());
    here.key_store = Arc::new(OsKeyring::with_timeout(timeout));
    let started = Instant::now();
    let err = Vault::open(&keyring_vault, Unlock::Keyring, here).unwrap_err();
    assert_eq!(err.kind(), "keyring_timeout");
    assert!(started.elapsed() < timeout + Duration::from_secs(1));
    assert_eq!(fs::read(&keyring_vault).unwrap(), before);
    assert_eq!(elsewhere.len(), 1);
}
