//! What the vault keeps, it gives back: saved connections survive a close and reopen,
//! every operation persists, protection can be changed without losing anything.

mod vault_support;

use std::fs;

use time::OffsetDateTime;
use vault_support::*;
use zoho_oauth_core::vault::{
    KdfParams, KeyringError, KeyringUse, NewGrant, NewProtection, PreviousToken, Protection,
    RefreshedAccess, SavedOrganization, TestCallOutcome, TokenOwner, TokenState, Unlock, Vault,
    VaultError, ZOHO_REFRESH_TOKEN_LIMIT,
};
use zoho_oauth_core::{AccessToken, DataCenter, RefreshToken, SecretString, UserFacing};

fn reopen(path: &std::path::Path, options: zoho_oauth_core::vault::VaultOptions) -> Vault {
    Vault::open(path, Unlock::Passphrase(passphrase()), options).unwrap()
}

#[test]
fn connections_round_trip_through_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (vault, ids) = vault_with(&path, 3, options.clone());
    assert_eq!(vault.protection(), Protection::Passphrase);

    let back = reopen(&path, options);
    assert_eq!(back.list(), vault.list());
    assert_eq!(back.len(), 3);
    for (i, id) in ids.iter().enumerate() {
        let c = back.get(id).unwrap();
        let s = sample_secrets(i);
        assert_eq!(c.summary.name, format!("Books connection {i}"));
        assert_eq!(c.summary.data_center, DataCenter::Eu);
        assert_eq!(c.summary.scopes.len(), 2);
        assert_eq!(c.secrets.client_secret.expose(), s.client_secret);
        assert_eq!(
            c.secrets.refresh_token.as_ref().unwrap().expose(),
            s.refresh_token
        );
        assert_eq!(c.secrets.access_token.unwrap().expose(), s.access_token);
        assert_eq!(
            c.summary.access_token_expires_at,
            Some(OffsetDateTime::from_unix_timestamp(1_800_003_600).unwrap())
        );
        assert_eq!(
            c.refresh_token_history.len(),
            1,
            "one token per client here"
        );
    }
    let timings = back.unlock_timings();
    assert!(timings.total >= timings.key_derivation);
}

#[test]
fn every_change_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (mut vault, ids) = vault_with(&path, 3, options.clone());
    let (a, b, c) = (&ids[0], &ids[1], &ids[2]);

    vault.rename(a, "  Books (EU office)  ").unwrap();
    let err = vault.rename(b, "books (eu OFFICE)").unwrap_err();
    assert!(matches!(err, VaultError::NameTaken { .. }));
    assert_eq!(err.kind(), "connection_name_taken");
    assert!(matches!(
        vault.rename(b, "two\nlines").unwrap_err(),
        VaultError::InvalidName { .. }
    ));
    assert!(vault.find_by_name("BOOKS (eu office)").is_some());

    let expiry = OffsetDateTime::from_unix_timestamp(1_800_007_200).unwrap();
    vault
        .record_refresh(
            a,
            RefreshedAccess {
                access_token: AccessToken::new("1000.newaccess.token"),
                expires_at: expiry,
                api_domain: Some("https://www.zohoapis.eu".into()),
            },
        )
        .unwrap();
    vault
        .record_test_call(
            a,
            TestCallOutcome::Succeeded {
                organizations: vec![SavedOrganization {
                    id: "60012345".into(),
                    name: "Comptoir SARL".into(),
                    is_default: true,
                }],
            },
        )
        .unwrap();
    vault
        .replace_refresh_token(
            b,
            NewGrant {
                refresh_token: RefreshToken::new("1000.regenerated.refresh"),
                access_token: Some(AccessToken::new("1000.regenerated.access")),
                access_token_expires_at: Some(expiry),
                api_domain: "https://www.zohoapis.eu".into(),
                scopes: vec!["ZohoBooks.fullaccess.all".into()],
            },
            PreviousToken::Revoked,
        )
        .unwrap();
    let revocation = vault.revocation_details(c).unwrap();
    assert_eq!(revocation.accounts_url, "https://accounts.zoho.eu");
    assert_eq!(
        revocation.refresh_token.as_ref().unwrap().expose(),
        sample_secrets(2).refresh_token
    );
    let removed = vault.delete(c, PreviousToken::Revoked).unwrap();
    assert_eq!(removed.name, "Books connection 2");

    let back = reopen(&path, options);
    assert_eq!(back.len(), 2);
    let a = back.get(a).unwrap();
    assert_eq!(a.summary.name, "Books (EU office)");
    assert_eq!(
        a.secrets.access_token.unwrap().expose(),
        "1000.newaccess.token"
    );
    assert_eq!(a.summary.access_token_expires_at, Some(expiry));
    assert!(a.summary.last_refreshed_at.is_some());
    assert_eq!(
        a.summary.last_test.clone().unwrap().outcome,
        TestCallOutcome::Succeeded {
            organizations: vec![SavedOrganization {
                id: "60012345".into(),
                name: "Comptoir SARL".into(),
                is_default: true,
            }]
        }
    );
    assert!(a.summary.access_token_usable(
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
        time::Duration::minutes(1)
    ));
    let b = back.get(b).unwrap();
    assert_eq!(
        b.secrets.refresh_token.as_ref().unwrap().expose(),
        "1000.regenerated.refresh"
    );
    assert_eq!(
        b.summary.scopes,
        vec!["ZohoBooks.fullaccess.all".to_owned()]
    );
    let states: Vec<_> = b.refresh_token_history.iter().map(|t| &t.state).collect();
    assert_eq!(states.len(), 2);
    assert!(matches!(states[0], TokenState::Revoked { .. }));
    assert_eq!(states[1], &TokenState::Live);
    assert!(matches!(
        back.get(c).unwrap_err(),
        VaultError::ConnectionNotFound { .. }
    ));
}

#[test]
fn the_budget_warns_before_zoho_deletes_the_oldest_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let mut vault = Vault::create(
        &path,
        NewProtection::Passphrase(passphrase()),
        options.clone(),
    )
    .unwrap();
    let same_client = |i: usize| {
        let mut c = sample_connection(i);
        c.client_id = "1000.SHAREDCLIENT".into();
        c
    };
    let first = vault.add(same_client(0)).unwrap();
    let owner = TokenOwner::of(vault.summary(&first).unwrap());
    for i in 1..ZOHO_REFRESH_TOKEN_LIMIT {
        let budget = vault.refresh_token_budget(&owner);
        assert_eq!(budget.live, i);
        assert!(!budget.next_mint_evicts_oldest);
        vault.add(same_client(i)).unwrap();
    }
    let budget = vault.refresh_token_budget(&owner);
    assert_eq!((budget.live, budget.remaining), (20, 0));
    assert!(budget.next_mint_evicts_oldest, "the 21st would evict");
    assert_eq!(budget.oldest_live.unwrap().connection, Some(first.clone()));

    vault.add(same_client(20)).unwrap();
    let back = reopen(&path, options);
    assert!(matches!(
        back.refresh_token_state(&first).unwrap(),
        TokenState::PresumedEvicted { .. }
    ));
    assert_eq!(back.refresh_token_budget(&owner).live, 20);
    assert_eq!(back.get(&first).unwrap().refresh_token_history.len(), 21);

    let other_user = TokenOwner {
        zoho_user: Some("someone.else@example.eu".into()),
        ..owner
    };
    assert_eq!(back.refresh_token_budget(&other_user).live, 0);
}

#[test]
fn protection_can_change_without_losing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let keys = MemoryKeyStore::new();
    let options = fast_options(keys.clone());
    let (mut vault, ids) = vault_with(&path, 2, options.clone());
    let open = |unlock| Vault::open(&path, unlock, options.clone());
    let new_pass = || SecretString::from("a brand new passphrase");

    assert!(matches!(
        vault
            .change_protection(NewProtection::Passphrase(SecretString::from("short")))
            .unwrap_err(),
        VaultError::PassphraseTooShort { min: 8 }
    ));
    vault
        .change_protection(NewProtection::Passphrase(new_pass()))
        .unwrap();
    assert!(matches!(
        open(Unlock::Passphrase(passphrase())).unwrap_err(),
        VaultError::WrongPassphrase
    ));
    assert_eq!(open(Unlock::Passphrase(new_pass())).unwrap().len(), 2);

    vault.change_protection(NewProtection::Keyring).unwrap();
    assert_eq!(vault.protection(), Protection::Keyring);
    assert_eq!(keys.len(), 1);
    let by_keyring = open(Unlock::Keyring).unwrap();
    assert_eq!(
        by_keyring
            .get(&ids[1])
            .unwrap()
            .secrets
            .refresh_token
            .as_ref()
            .unwrap()
            .expose(),
        sample_secrets(1).refresh_token
    );
    assert!(matches!(
        open(Unlock::Passphrase(new_pass())).unwrap_err(),
        VaultError::KeyringRequired
    ));

    vault
        .change_protection(NewProtection::KeyringWithRecoveryPassphrase(passphrase()))
        .unwrap();
    assert_eq!(keys.len(), 1, "the previous keyring entry was removed");
    assert_eq!(
        Vault::inspect(&path, &options).unwrap().protection,
        Protection::KeyringWithRecoveryPassphrase
    );
    open(Unlock::Keyring).unwrap();
    open(Unlock::Passphrase(passphrase())).unwrap();

    vault
        .change_protection(NewProtection::Passphrase(new_pass()))
        .unwrap();
    assert_eq!(keys.len(), 0, "no keyring entry left behind");
    assert!(matches!(
        open(Unlock::Keyring).unwrap_err(),
        VaultError::PassphraseRequired
    ));
    let last = open(Unlock::Passphrase(new_pass())).unwrap();
    assert_eq!(last.list(), vault.list());
}

#[test]
fn a_failed_keyring_store_keeps_the_old_protection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let keys = MemoryKeyStore::new();
    let options = fast_options(keys.clone());
    let (mut vault, _) = vault_with(&path, 1, options.clone());
    let before = fs::read(&path).unwrap();
    keys.fail_with(Some(KeyringError::Locked));
    let err = vault.change_protection(NewProtection::Keyring).unwrap_err();
    assert_eq!(err.kind(), "keyring_locked");
    assert!(err.hint().contains("passphrase"), "{}", err.hint());
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(vault.protection(), Protection::Passphrase);
    keys.fail_with(None);
    reopen(&path, options);
}

#[test]
fn no_keyring_means_a_typed_error_and_the_passphrase_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let keys = MemoryKeyStore::new();
    keys.fail_with(Some(KeyringError::Unavailable {
        detail: "no D-Bus session".into(),
    }));
    let options = fast_options(keys.clone());
    let err = Vault::create(&path, NewProtection::Keyring, options.clone()).unwrap_err();
    assert!(matches!(
        err,
        VaultError::Keyring {
            during: KeyringUse::Store,
            ..
        }
    ));
    assert_eq!(err.kind(), "keyring_unavailable");
    assert!(err.hint().contains("passphrase"));
    assert!(!path.exists(), "nothing written");

    let short = Vault::create(
        &path,
        NewProtection::Passphrase(SecretString::from("1234567")),
        options.clone(),
    );
    assert_eq!(short.unwrap_err().kind(), "passphrase_too_short");
    let vault = Vault::create(&path, NewProtection::Passphrase(passphrase()), options).unwrap();
    assert_eq!(
        vault.protection().describe(),
        "Protected by your passphrase"
    );
}

#[test]
fn a_missing_or_different_keyring_entry_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let keys = MemoryKeyStore::new();
    let options = fast_options(keys.clone());
    let mut vault = Vault::create(&path, NewProtection::Keyring, options.clone()).unwrap();
    vault.add(sample_connection(0)).unwrap();
    let before = fs::read(&path).unwrap();

    keys.overwrite_all("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    let err = Vault::open(&path, Unlock::Keyring, options.clone()).unwrap_err();
    assert_eq!(err.kind(), "keyring_key_mismatch");

    keys.clear();
    let err = Vault::open(&path, Unlock::Keyring, options.clone()).unwrap_err();
    assert_eq!(err.kind(), "keyring_entry_missing");
    assert!(err.hint().contains("not changed"), "{}", err.hint());
    assert!(matches!(
        Vault::open(&path, Unlock::Passphrase(passphrase()), options.clone()).unwrap_err(),
        VaultError::KeyringRequired
    ));
    assert_eq!(fs::read(&path).unwrap(), before);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.iter().filter(|n| *n != "vault.zov.lock").count(),
        1,
        "nothing moved aside: {names:?}"
    );
}

#[test]
fn a_recovery_passphrase_opens_the_vault_when_the_keyring_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let keys = MemoryKeyStore::new();
    let options = fast_options(keys.clone());
    let mut vault = Vault::create(
        &path,
        NewProtection::KeyringWithRecoveryPassphrase(passphrase()),
        options.clone(),
    )
    .unwrap();
    let id = vault.add(sample_connection(0)).unwrap();
    keys.clear();
    let err = Vault::open(&path, Unlock::Keyring, options.clone()).unwrap_err();
    assert!(err.hint().contains("recovery passphrase"), "{}", err.hint());
    let mut recovered =
        Vault::open(&path, Unlock::Passphrase(passphrase()), options.clone()).unwrap();
    assert_eq!(
        recovered.get(&id).unwrap().secrets.client_secret.expose(),
        sample_secrets(0).client_secret
    );
    recovered.change_protection(NewProtection::Keyring).unwrap();
    Vault::open(&path, Unlock::Keyring, options).unwrap();
}

#[test]
fn kdf_settings_are_recorded_so_any_setting_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let mut options = fast_options(MemoryKeyStore::new());
    options.kdf = KdfParams::RECOMMENDED;
    let (_, ids) = vault_with(&path, 1, options.clone());
    // Opened by a program whose own default differs: the file's setting wins.
    let mut other = options.clone();
    other.kdf = KdfParams {
        memory_kib: 256,
        iterations: 2,
        parallelism: 2,
    };
    let vault = Vault::open(&path, Unlock::Passphrase(passphrase()), other.clone()).unwrap();
    assert!(vault.get(&ids[0]).is_ok());
    let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
    assert!(
        text.contains("\"memory_kib\":65536"),
        "the header records the setting"
    );

    let path2 = dir.path().join("cheap.zov");
    vault_with(&path2, 1, other);
    let v2 = Vault::open(&path2, Unlock::Passphrase(passphrase()), options).unwrap();
    assert_eq!(v2.len(), 1);
}

#[test]
fn create_never_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    fs::write(&path, b"something the user cares about").unwrap();
    let err = Vault::create(
        &path,
        NewProtection::Passphrase(passphrase()),
        fast_options(MemoryKeyStore::new()),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "vault_exists");
    assert_eq!(fs::read(&path).unwrap(), b"something the user cares about");
}

#[test]
fn a_save_takes_in_another_program_s_change_instead_of_overwriting_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (mut first, ids) = vault_with(&path, 2, options.clone());
    let mut second = reopen(&path, options.clone());
    second.rename(&ids[0], "Renamed elsewhere").unwrap();
    first.rename(&ids[1], "Renamed here").unwrap();
    assert_eq!(
        first.summary(&ids[0]).unwrap().name,
        "Renamed elsewhere",
        "the save re-read the file first"
    );
    let reopened = reopen(&path, options);
    assert_eq!(reopened.summary(&ids[0]).unwrap().name, "Renamed elsewhere");
    assert_eq!(reopened.summary(&ids[1]).unwrap().name, "Renamed here");
}

#[test]
fn inspect_tells_the_protection_without_unlocking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    assert_eq!(
        Vault::inspect(&path, &options).unwrap_err().kind(),
        "vault_not_found"
    );
    assert_eq!(
        Vault::open(&path, Unlock::Keyring, options.clone())
            .unwrap_err()
            .kind(),
        "vault_not_found"
    );
    Vault::create(&path, NewProtection::Keyring, options.clone()).unwrap();
    let info = Vault::inspect(&path, &options).unwrap();
    assert_eq!(info.protection, Protection::Keyring);
    assert_eq!(info.format_version, zoho_oauth_core::vault::FORMAT_VERSION);
}

#[test]
fn a_full_disk_or_missing_folder_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (mut vault, ids) = vault_with(&path, 1, options);
    // Replace the folder by a file: the save cannot write its temporary file.
    let moved = dir.path().with_extension("moved");
    fs::rename(dir.path(), &moved).unwrap();
    fs::write(dir.path(), b"not a folder").unwrap();
    let err = vault.rename(&ids[0], "x").unwrap_err();
    assert!(
        matches!(err.kind(), "vault_io" | "vault_changed_on_disk"),
        "{err}"
    );
    assert_eq!(vault.summary(&ids[0]).unwrap().name, "Books connection 0");
    fs::remove_file(dir.path()).unwrap();
    fs::rename(&moved, dir.path()).unwrap();
}
