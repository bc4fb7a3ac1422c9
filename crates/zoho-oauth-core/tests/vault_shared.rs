//! One vault file used by several processes at once (the app and the command line):
//! each change takes in what the others saved instead of overwriting it or failing, a
//! held lock makes the others wait, and a change this vault cannot take in (a new
//! protection elsewhere) stops its save without touching the file.
//!
//! Two `Vault`s opened separately on one file stand in for two processes: each has its
//! own lock file handle, and the operating system's lock keeps them apart as it would
//! two processes.

mod vault_support;

use std::time::Duration;

use time::OffsetDateTime;
use vault_support::*;
use zoho_oauth_core::vault::{
    NewProtection, RefreshedAccess, TestCallOutcome, Unlock, Vault, VaultError,
};
use zoho_oauth_core::AccessToken;

fn open(path: &std::path::Path) -> Vault {
    Vault::open(
        path,
        Unlock::Passphrase(passphrase()),
        fast_options(MemoryKeyStore::new()),
    )
    .unwrap()
}

#[test]
fn each_change_keeps_what_another_process_saved_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("connections.vault");
    let (mut app, ids) = vault_with(&path, 2, fast_options(MemoryKeyStore::new()));
    let mut cli = open(&path);

    let fresh = OffsetDateTime::from_unix_timestamp(1_800_007_200).unwrap();
    cli.record_refresh(
        &ids[0],
        RefreshedAccess {
            access_token: AccessToken::new("1000.fresh.token"),
            expires_at: fresh,
            api_domain: None,
        },
    )
    .unwrap();
    // The app still has the old state in memory; its next change must not undo the
    // other process's refresh.
    app.rename(&ids[1], "Harbour Books").unwrap();
    app.record_test_call(
        &ids[0],
        TestCallOutcome::Succeeded {
            organizations: vec![],
        },
    )
    .unwrap();
    assert_eq!(
        app.get(&ids[0])
            .unwrap()
            .secrets
            .access_token
            .unwrap()
            .expose(),
        "1000.fresh.token",
        "the app took in the refresh"
    );

    let reopened = open(&path);
    let first = reopened.get(&ids[0]).unwrap();
    assert_eq!(
        first.secrets.access_token.unwrap().expose(),
        "1000.fresh.token"
    );
    assert_eq!(first.summary.access_token_expires_at, Some(fresh));
    assert!(first.summary.last_test.is_some());
    assert_eq!(reopened.summary(&ids[1]).unwrap().name, "Harbour Books");

    // And the other way round: lock() alone brings a reader up to date.
    let _held = cli.lock().unwrap();
    assert_eq!(cli.summary(&ids[1]).unwrap().name, "Harbour Books");
}

#[test]
fn a_held_lock_makes_another_process_wait_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("connections.vault");
    let (mut app, ids) = vault_with(&path, 1, fast_options(MemoryKeyStore::new()));
    let mut cli = open(&path);

    let held = app.lock().unwrap();
    let id = ids[0].clone();
    let waiting = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        cli.rename(&id, "Renamed while locked").unwrap();
        started.elapsed()
    });
    std::thread::sleep(Duration::from_millis(300));
    // The same process may still change the vault while it holds the lock.
    app.record_test_call(
        &ids[0],
        TestCallOutcome::Succeeded {
            organizations: vec![],
        },
    )
    .unwrap();
    drop(held);
    let waited = waiting.join().unwrap();
    assert!(waited >= Duration::from_millis(250), "waited {waited:?}");

    let reopened = open(&path);
    let summary = reopened.summary(&ids[0]).unwrap();
    assert_eq!(summary.name, "Renamed while locked");
    assert!(summary.last_test.is_some(), "nothing lost");
}

#[test]
fn a_protection_changed_elsewhere_stops_the_save_and_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("connections.vault");
    let (mut app, ids) = vault_with(&path, 1, fast_options(MemoryKeyStore::new()));
    let mut cli = open(&path);
    cli.change_protection(NewProtection::Passphrase(
        "a brand new passphrase here".into(),
    ))
    .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = app.rename(&ids[0], "Lost?").unwrap_err();
    assert!(matches!(err, VaultError::ChangedOnDisk { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing overwritten");
}
