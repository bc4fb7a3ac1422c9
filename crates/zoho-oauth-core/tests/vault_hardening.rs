//! A vault file is input from the disk, so anyone who can write it can try to make the
//! app spend gigabytes or minutes before the passphrase is even checked; and a vault
//! saved into an existing folder must not change that folder.

mod vault_support;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use vault_support::*;
use zoho_oauth_core::vault::{DamageReason, NewProtection, Unlock, Vault, VaultError};

/// Rewrites the clear header of a format-1 file with `edit`, then fixes the header
/// length and the trailing checksum, as a deliberate tamperer would.
fn rewrite_header(path: &Path, edit: impl Fn(&str) -> String) {
    let bytes = fs::read(path).unwrap();
    let header_len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&bytes[14..14 + header_len]).unwrap();
    let edited = edit(header);
    assert_ne!(edited, header, "the edit changed nothing");
    let mut out = bytes[..10].to_vec();
    out.extend_from_slice(&(edited.len() as u32).to_le_bytes());
    out.extend_from_slice(edited.as_bytes());
    out.extend_from_slice(&bytes[14 + header_len..bytes.len() - 32]);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    fs::write(path, out).unwrap();
}

fn passphrase_vault(dir: &Path, protection: NewProtection) -> std::path::PathBuf {
    let path = dir.join("vault.zov");
    let mut vault = Vault::create(&path, protection, fast_options(MemoryKeyStore::new())).unwrap();
    vault.add(sample_connection(0)).unwrap();
    path
}

fn assert_damaged(err: &VaultError, what: &str) {
    assert!(
        matches!(
            err,
            VaultError::Damaged {
                reason: DamageReason::Malformed,
                quarantined_to: Some(_),
                ..
            }
        ),
        "{what}: {err:?}"
    );
}

/// The test vaults record 64 KiB, 1 pass, 1 lane; each case asks for more than this
/// program would ever write, in one dimension.
const OVER_THE_BOUNDS: [(&str, &str, &str); 4] = [
    ("passes", "\"iterations\":1", "\"iterations\":64"),
    ("lanes", "\"parallelism\":1", "\"parallelism\":16"),
    ("memory", "\"memory_kib\":64", "\"memory_kib\":1048576"),
    ("memory", "\"memory_kib\":64", "\"memory_kib\":4194304"),
];

#[test]
fn kdf_settings_above_what_this_program_writes_are_damage_not_a_wrong_passphrase() {
    for (what, from, to) in OVER_THE_BOUNDS {
        let dir = tempfile::tempdir().unwrap();
        let path = passphrase_vault(dir.path(), NewProtection::Passphrase(passphrase()));
        rewrite_header(&path, |h| h.replace(from, to));
        let started = Instant::now();
        let err = Vault::open(
            &path,
            Unlock::Passphrase(passphrase()),
            fast_options(MemoryKeyStore::new()),
        )
        .unwrap_err();
        assert_damaged(&err, what);
        // Refused before the key function ran: no gigabyte, no minute of hashing.
        assert!(started.elapsed() < Duration::from_secs(1), "{what}");
        assert!(!path.exists(), "{what}: the file was not moved aside");
    }
}

#[test]
fn kdf_settings_are_checked_even_when_the_keyring_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyStore::new();
    let path = dir.path().join("vault.zov");
    Vault::create(
        &path,
        NewProtection::KeyringWithRecoveryPassphrase(passphrase()),
        fast_options(keys.clone()),
    )
    .unwrap();
    rewrite_header(&path, |h| {
        h.replace("\"iterations\":1", "\"iterations\":1000")
    });
    let err = Vault::open(&path, Unlock::Keyring, fast_options(keys)).unwrap_err();
    assert_damaged(&err, "keyring unlock");
}

#[test]
fn inspecting_refuses_out_of_bounds_kdf_settings_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = passphrase_vault(dir.path(), NewProtection::Passphrase(passphrase()));
    rewrite_header(&path, |h| {
        h.replace("\"parallelism\":1", "\"parallelism\":255")
    });
    let err = Vault::inspect(&path, &fast_options(MemoryKeyStore::new())).unwrap_err();
    assert_damaged(&err, "inspect");
}

#[test]
fn kdf_settings_within_the_margin_still_open() {
    // A later release may raise its default a little; this one must still open it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let mut options = fast_options(MemoryKeyStore::new());
    options.kdf = zoho_oauth_core::vault::KdfParams {
        memory_kib: 128 * 1024,
        iterations: 4,
        parallelism: 2,
    };
    Vault::create(&path, NewProtection::Passphrase(passphrase()), options).unwrap();
    Vault::open(
        &path,
        Unlock::Passphrase(passphrase()),
        fast_options(MemoryKeyStore::new()),
    )
    .unwrap();
}

#[cfg(unix)]
mod folders {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    fn set_mode(path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn folders_the_vault_creates_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").join("nested").join("vault.zov");
        let vault = Vault::create(
            &path,
            NewProtection::Keyring,
            fast_options(MemoryKeyStore::new()),
        )
        .unwrap();
        assert_eq!(mode(&dir.path().join("new")), 0o700);
        assert_eq!(mode(&dir.path().join("new/nested")), 0o700);
        assert_eq!(mode(&path), 0o600);
        assert!(vault.folder_warning().is_none());
    }

    #[test]
    fn an_existing_folder_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("Documents");
        fs::create_dir(&folder).unwrap();
        set_mode(&folder, 0o755);
        let path = folder.join("vault.zov");
        let mut vault = Vault::create(
            &path,
            NewProtection::Keyring,
            fast_options(MemoryKeyStore::new()),
        )
        .unwrap();
        vault.add(sample_connection(0)).unwrap();
        assert_eq!(
            mode(&folder),
            0o755,
            "the vault changed a folder it did not make"
        );
        assert_eq!(mode(&path), 0o600);
        // Readable by others is their choice; only writable by others is worth a note.
        assert!(vault.folder_warning().is_none());
    }

    #[test]
    fn a_folder_others_can_write_to_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("Shared");
        fs::create_dir(&folder).unwrap();
        set_mode(&folder, 0o777);
        let path = folder.join("vault.zov");
        let keys = MemoryKeyStore::new();
        let mut vault =
            Vault::create(&path, NewProtection::Keyring, fast_options(keys.clone())).unwrap();
        vault.add(sample_connection(0)).unwrap();
        assert_eq!(mode(&folder), 0o777);
        let warning = vault
            .folder_warning()
            .expect("a note about the shared folder");
        assert!(warning.contains("Shared"), "{warning}");
        assert!(warning.contains("other users"), "{warning}");
        drop(vault);
        let reopened = Vault::open(&path, Unlock::Keyring, fast_options(keys)).unwrap();
        assert!(reopened.folder_warning().is_some());
        assert_eq!(mode(&folder), 0o777);
    }
}
