//! A vault file that is wrong in any way is refused, and nothing is lost: a wrong
//! passphrase leaves the file untouched; a damaged, truncated, tampered or foreign file
//! is moved aside byte for byte, never overwritten.

mod vault_support;

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use vault_support::*;
use zoho_oauth_core::vault::{
    DamageReason, NewProtection, Unlock, Vault, VaultError, VaultOptions,
};
use zoho_oauth_core::{SecretString, UserFacing};

/// The parts of a format-1 file, found independently of the library's parser.
struct Layout {
    header: Range<usize>,
    index_nonce: Range<usize>,
    index_body: Range<usize>,
    index_tag: Range<usize>,
    records: Vec<(Range<usize>, Range<usize>, Range<usize>)>,
    checksum: Range<usize>,
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

fn layout(b: &[u8]) -> Layout {
    assert_eq!(&b[..8], b"ZOHOVLT\0");
    let header_len = u32_at(b, 10);
    let header = 14..14 + header_len;
    let mut at = header.end;
    let index_nonce = at..at + 24;
    let len = u32_at(b, at + 24);
    at += 28;
    let index_body = at..at + len - 16;
    let index_tag = at + len - 16..at + len;
    at += len;
    let count = u32_at(b, at);
    at += 4;
    let mut records = Vec::new();
    for _ in 0..count {
        let nonce = at..at + 24;
        let len = u32_at(b, at + 24);
        at += 28;
        records.push((nonce, at..at + len - 16, at + len - 16..at + len));
        at += len;
    }
    assert_eq!(at + 32, b.len());
    Layout {
        header,
        index_nonce,
        index_body,
        index_tag,
        records,
        checksum: at..at + 32,
    }
}

/// Recomputes the trailing checksum, as a deliberate tamperer would.
fn fix_checksum(b: &mut [u8]) {
    let end = b.len() - 32;
    let sum = Sha256::digest(&b[..end]);
    b[end..].copy_from_slice(&sum);
}

/// A different byte that stays in the alphabet the byte came from, so a changed hex id
/// or base64 field in the clear header still parses and only a cipher can tell. The
/// header's random fields are hex (ids) or standard base64 (salt, nonces, wrapped keys),
/// whose alphabet includes `+` and `/`: those must map to each other, not to `*` or `.`.
/// Any other byte is binary and just gets a bit flipped.
fn changed_within_alphabet(byte: u8) -> u8 {
    match byte {
        b'a' => b'b',
        b if b.is_ascii_alphanumeric() => b'a',
        b'+' => b'/',
        b'/' => b'+',
        b => b ^ 0x01,
    }
}

fn setup(n: usize) -> (tempfile::TempDir, PathBuf, VaultOptions, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let mut vault = Vault::create(
        &path,
        NewProtection::KeyringWithRecoveryPassphrase(passphrase()),
        options.clone(),
    )
    .unwrap();
    vault
        .add_many((0..n).map(sample_connection).collect())
        .unwrap();
    let bytes = fs::read(&path).unwrap();
    (dir, path, options, bytes)
}

fn open_with_passphrase(path: &Path, options: &VaultOptions) -> Result<Vault, VaultError> {
    Vault::open(path, Unlock::Passphrase(passphrase()), options.clone())
}

fn other_files(dir: &Path, except: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p != except)
        // The lock file beside the vault is kept for good (see the vault's lock).
        .filter(|p| p.extension().is_none_or(|ext| ext != "lock"))
        .collect()
}

/// The file was moved aside with exactly `expected` bytes, and the user is told where.
fn assert_quarantined(err: &VaultError, path: &Path, expected: &[u8]) -> PathBuf {
    let VaultError::Damaged {
        quarantined_to: Some(moved),
        ..
    } = err
    else {
        panic!("expected a damaged file moved aside, got {err:?}")
    };
    assert_eq!(err.kind(), "vault_damaged");
    assert!(
        err.hint().contains(&moved.display().to_string()),
        "{}",
        err.hint()
    );
    assert!(!path.exists(), "nothing left in its place");
    assert_eq!(
        fs::read(moved).unwrap(),
        expected,
        "original bytes preserved"
    );
    assert!(moved
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("vault.zov.damaged-"));
    moved.clone()
}

#[test]
fn a_wrong_passphrase_leaves_the_file_untouched() {
    let (dir, path, options, bytes) = setup(2);
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let err = Vault::open(
        &path,
        Unlock::Passphrase(SecretString::from("not the passphrase")),
        options,
    )
    .unwrap_err();
    assert!(matches!(err, VaultError::WrongPassphrase));
    assert_eq!(err.kind(), "wrong_passphrase");
    assert!(err.hint().contains("not changed"));
    assert_eq!(fs::read(&path).unwrap(), bytes);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), modified);
    assert!(other_files(dir.path(), &path).is_empty());
}

#[test]
fn tampering_with_any_part_is_detected() {
    let (dir, path, options, original) = setup(2);
    let l = layout(&original);
    let header = String::from_utf8(original[l.header.clone()].to_vec()).unwrap();
    let in_header = |needle: &str| l.header.start + header.find(needle).unwrap() + needle.len();
    let cases: Vec<(&str, usize, bool)> = vec![
        // (what, offset, the passphrase slot still unwraps so the body check must catch it)
        ("header: vault id", in_header("\"vault_id\":\""), false),
        (
            "header: keyring account",
            in_header("\"account\":\"vault-"),
            true,
        ),
        ("header: passphrase salt", in_header("\"salt\":\""), false),
        ("index nonce", l.index_nonce.start + 5, true),
        (
            "index body",
            l.index_body.start + l.index_body.len() / 2,
            true,
        ),
        ("index tag", l.index_tag.end - 1, true),
        ("record nonce", l.records[1].0.start, true),
        ("record body", l.records[1].1.start + 3, true),
        ("record tag", l.records[0].2.start, true),
    ];
    for (what, offset, body_check) in cases {
        let mut bytes = original.clone();
        bytes[offset] = changed_within_alphabet(bytes[offset]);
        fix_checksum(&mut bytes);
        fs::write(&path, &bytes).unwrap();
        let err = open_with_passphrase(&path, &options).expect_err(what);
        if body_check {
            assert!(
                matches!(
                    err,
                    VaultError::Damaged {
                        reason: DamageReason::Undecryptable,
                        ..
                    }
                ),
                "{what}: {err:?}"
            );
            let moved = assert_quarantined(&err, &path, &bytes);
            fs::remove_file(moved).unwrap();
        } else {
            // A changed slot cannot be told from a wrong passphrase; the file stays put.
            assert!(
                matches!(err, VaultError::WrongPassphrase),
                "{what}: {err:?}"
            );
            assert_eq!(fs::read(&path).unwrap(), bytes);
        }
    }
    assert!(other_files(dir.path(), &path).is_empty());
}

/// The salt is 16 random bytes in base64; its first character is `+` or `/` in one vault
/// out of 32. The tampering test must change it to another valid character whatever it
/// is, or it would see a header that no longer parses and fail now and then.
#[test]
fn the_tampering_change_keeps_every_header_character_valid() {
    use base64::alphabet::STANDARD;
    let base64_chars = STANDARD.as_str().as_bytes();
    for &c in base64_chars {
        let changed = changed_within_alphabet(c);
        assert_ne!(changed, c, "{:?} unchanged", c as char);
        assert!(
            base64_chars.contains(&changed),
            "base64 {:?} became {:?}",
            c as char,
            changed as char
        );
    }
    for &c in b"0123456789abcdef" {
        let changed = changed_within_alphabet(c);
        assert_ne!(changed, c);
        assert!(changed.is_ascii_hexdigit() && !changed.is_ascii_uppercase());
    }
    for byte in 0..=u8::MAX {
        assert_ne!(changed_within_alphabet(byte), byte, "byte {byte}");
    }
}

#[test]
fn no_single_byte_change_anywhere_is_accepted() {
    let (dir, path, options, original) = setup(1);
    let l = layout(&original);
    let mut refused = 0;
    for deliberate in [false, true] {
        for offset in 0..original.len() {
            if deliberate && l.checksum.contains(&offset) {
                continue; // recomputing the checksum would undo the change
            }
            let mut bytes = original.clone();
            bytes[offset] ^= 0x20;
            if deliberate {
                fix_checksum(&mut bytes);
            }
            fs::write(&path, &bytes).unwrap();
            let result = open_with_passphrase(&path, &options);
            let err = match result {
                Ok(_) => panic!("offset {offset} (deliberate: {deliberate}) was accepted"),
                Err(e) => e,
            };
            match &err {
                VaultError::Damaged { .. } => {
                    let moved = assert_quarantined(&err, &path, &bytes);
                    fs::remove_file(moved).unwrap();
                }
                VaultError::WrongPassphrase | VaultError::UnsupportedVersion { .. } => {
                    assert_eq!(fs::read(&path).unwrap(), bytes, "untouched");
                }
                other => panic!("offset {offset}: unexpected {other:?}"),
            }
            if !deliberate {
                assert!(
                    !matches!(err, VaultError::WrongPassphrase),
                    "accidental damage must not be blamed on the passphrase (offset {offset})"
                );
            }
            refused += 1;
        }
    }
    assert!(refused > 2 * 1000);
    assert!(other_files(dir.path(), &path).is_empty());
}

#[test]
fn truncated_files_are_kept_aside_and_a_new_vault_can_start() {
    let (dir, path, options, original) = setup(2);
    let mut kept = Vec::new();
    for len in [
        0,
        1,
        8,
        13,
        14,
        60,
        original.len() / 2,
        original.len() - 33,
        original.len() - 1,
    ] {
        let bytes = original[..len].to_vec();
        fs::write(&path, &bytes).unwrap();
        let err = open_with_passphrase(&path, &options).unwrap_err();
        assert!(
            matches!(
                err,
                VaultError::Damaged {
                    reason: DamageReason::Truncated,
                    ..
                }
            ),
            "length {len}: {err:?}"
        );
        assert!(err.to_string().contains("cut short"), "{err}");
        kept.push((assert_quarantined(&err, &path, &bytes), bytes));
    }
    let names: std::collections::HashSet<_> = kept.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(names.len(), kept.len(), "same timestamp, distinct names");

    Vault::create(&path, NewProtection::Passphrase(passphrase()), options).unwrap();
    for (moved, bytes) in &kept {
        assert_eq!(
            &fs::read(moved).unwrap(),
            bytes,
            "still intact after a new vault"
        );
    }
    assert_eq!(other_files(dir.path(), &path).len(), kept.len());
}

#[test]
fn garbage_and_foreign_files_are_kept_aside() {
    let (_dir, path, options, _) = setup(1);
    let mut random = vec![0u8; 4096];
    for (i, b) in random.iter_mut().enumerate() {
        *b = (i as u32).wrapping_mul(2654435761).to_le_bytes()[2];
    }
    let mut magic_then_garbage = b"ZOHOVLT\0\x01\x00".to_vec();
    magic_then_garbage.extend_from_slice(&random[..200]);
    let cases: Vec<(&str, Vec<u8>, DamageReason)> = vec![
        ("random bytes", random, DamageReason::NotAVault),
        (
            "a plain JSON store",
            br#"{"connections":[{"name":"Books","refresh_token":"1000.x.y"}]}"#.to_vec(),
            DamageReason::NotAVault,
        ),
        (
            "signature then garbage",
            magic_then_garbage,
            DamageReason::ChecksumMismatch,
        ),
    ];
    for (what, bytes, reason) in cases {
        fs::write(&path, &bytes).unwrap();
        let err = Vault::inspect(&path, &options).unwrap_err();
        assert!(
            matches!(&err, VaultError::Damaged { reason: r, .. } if *r == reason),
            "{what}: {err:?}"
        );
        assert_quarantined(&err, &path, &bytes);
    }
}

#[test]
fn a_file_from_a_newer_release_is_left_alone() {
    let (dir, path, options, mut bytes) = setup(1);
    bytes[8] = 2;
    fix_checksum(&mut bytes);
    fs::write(&path, &bytes).unwrap();
    let err = open_with_passphrase(&path, &options).unwrap_err();
    assert!(matches!(
        err,
        VaultError::UnsupportedVersion {
            found: 2,
            supported: 1
        }
    ));
    assert_eq!(err.kind(), "vault_too_new");
    assert_eq!(fs::read(&path).unwrap(), bytes);
    assert!(other_files(dir.path(), &path).is_empty());
}

#[test]
fn after_a_damaged_file_is_moved_aside_the_next_start_still_mentions_it() {
    let (_dir, path, options, original) = setup(1);
    let mut bytes = original.clone();
    bytes.truncate(original.len() - 1);
    fs::write(&path, &bytes).unwrap();
    let err = open_with_passphrase(&path, &options).unwrap_err();
    let moved = assert_quarantined(&err, &path, &bytes);

    // The app starts again later: there is no vault, but not "nothing was ever saved".
    for err in [
        open_with_passphrase(&path, &options).unwrap_err(),
        Vault::inspect(&path, &options).unwrap_err(),
    ] {
        let VaultError::NotFound { damaged_copies, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(damaged_copies, &vec![moved.clone()]);
        assert_eq!(err.kind(), "vault_not_found");
        assert!(
            err.hint().contains(&moved.display().to_string()),
            "{}",
            err.hint()
        );
        assert!(
            !err.hint().contains("Nothing has been saved"),
            "{}",
            err.hint()
        );
    }
    assert_eq!(fs::read(&moved).unwrap(), bytes, "still intact");

    let fresh = tempfile::tempdir().unwrap();
    let err = open_with_passphrase(&fresh.path().join("vault.zov"), &options).unwrap_err();
    assert!(
        matches!(&err, VaultError::NotFound { damaged_copies, .. } if damaged_copies.is_empty())
    );
    assert!(err.hint().contains("Nothing has been saved yet"));
}
