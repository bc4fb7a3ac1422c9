//! How the vault's data key is kept out of the vault file.
//!
//! The data key encrypts everything; it is stored only *wrapped* (encrypted) in the
//! file's key slots, by a key-encryption key that lives elsewhere:
//!
//! - **Keyring** (the default): a random key in the operating system's keyring (Secret
//!   Service on Linux, Keychain on macOS, Credential Manager on Windows). Every keyring
//!   call runs on its own thread with a time limit, as `gh` does, because a Secret
//!   Service that hangs on D-Bus would otherwise freeze the app; the caller gets a
//!   [`KeyringError`] and can offer a passphrase instead.
//! - **Passphrase**: a key derived with Argon2id from a passphrase the user chooses,
//!   for machines without a usable keyring (headless Linux, CI). The KDF parameters and
//!   salt are recorded in the slot, so a vault opens whatever setting wrote it.
//!
//! A keyring vault may also carry a recovery passphrase slot, so losing the keyring
//! (a reinstalled system, a reset login keyring) does not lose the connections.

use std::fmt;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::secret::SecretString;

use super::crypto::{self, SecretKey};
use super::error::KeyringError;

/// Argon2id cost settings. Stored in each passphrase slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory, in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// The production setting: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended
    /// option, with one lane because unlocking happens once per app start on a desktop and
    /// the implementation is single-threaded). About 0.2 s on a 2-core machine (see
    /// `cargo bench -p zoho-oauth-core --bench vault`).
    pub const RECOMMENDED: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };

    /// A deliberately weak setting (64 KiB, 1 pass) that keeps test suites fast. Never
    /// use it for a real vault: a stolen file could be brute-forced quickly.
    pub const INSECURE_FAST_FOR_TESTS: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    /// The most a vault file may ask for, in each dimension: what this program writes
    /// ([`KdfParams::RECOMMENDED`]) with room for a later release to raise its default
    /// (4x the memory, a few more passes and lanes). A header asking for more is
    /// treated as damaged before anything is derived: whoever can write the file could
    /// otherwise make the app allocate gigabytes or hash for minutes, and the user would
    /// be told their passphrase was wrong.
    pub const LIMITS: KdfParams = KdfParams {
        memory_kib: 256 * 1024,
        iterations: 8,
        parallelism: 4,
    };

    /// True when every dimension is at most [`KdfParams::LIMITS`] and Argon2id accepts
    /// the combination.
    pub fn is_within_limits(&self) -> bool {
        self.argon2().is_some()
    }

    /// These settings, lowered where they exceed [`KdfParams::LIMITS`], so that a vault
    /// this program writes is always one it can open again.
    fn capped(self) -> KdfParams {
        KdfParams {
            memory_kib: self.memory_kib.min(Self::LIMITS.memory_kib),
            iterations: self.iterations.min(Self::LIMITS.iterations),
            parallelism: self.parallelism.min(Self::LIMITS.parallelism),
        }
    }

    fn argon2(&self) -> Option<Argon2<'static>> {
        if self.memory_kib > Self::LIMITS.memory_kib
            || self.iterations > Self::LIMITS.iterations
            || self.parallelism > Self::LIMITS.parallelism
        {
            return None;
        }
        let params = Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(crypto::KEY_LEN),
        )
        .ok()?;
        Some(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::RECOMMENDED
    }
}

/// The shortest passphrase accepted for a new vault, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// How a vault's data key is protected; shown to the user ("Protected by your system
/// keyring").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// A key in the operating system's keyring.
    Keyring,
    /// A passphrase the user types to unlock.
    Passphrase,
    /// The keyring, plus a recovery passphrase for when the keyring is lost.
    KeyringWithRecoveryPassphrase,
}

impl Protection {
    /// A plain-language description for the UI.
    pub fn describe(self) -> &'static str {
        match self {
            Protection::Keyring => "Protected by your system keyring",
            Protection::Passphrase => "Protected by your passphrase",
            Protection::KeyringWithRecoveryPassphrase => {
                "Protected by your system keyring, with a recovery passphrase"
            }
        }
    }

    /// True when a passphrase can unlock the vault.
    pub fn has_passphrase(self) -> bool {
        !matches!(self, Protection::Keyring)
    }

    /// True when the system keyring can unlock the vault.
    pub fn has_keyring(self) -> bool {
        !matches!(self, Protection::Passphrase)
    }
}

/// The protection wanted for a new vault or for [`super::Vault::change_protection`].
#[derive(Clone, Debug)]
pub enum NewProtection {
    /// A random key stored in the system keyring.
    Keyring,
    /// A key derived from this passphrase.
    Passphrase(SecretString),
    /// The keyring, plus this recovery passphrase.
    KeyringWithRecoveryPassphrase(SecretString),
}

impl NewProtection {
    pub(crate) fn passphrase(&self) -> Option<&SecretString> {
        match self {
            NewProtection::Keyring => None,
            NewProtection::Passphrase(p) | NewProtection::KeyringWithRecoveryPassphrase(p) => {
                Some(p)
            }
        }
    }

    pub(crate) fn uses_keyring(&self) -> bool {
        !matches!(self, NewProtection::Passphrase(_))
    }
}

/// How to unlock an existing vault.
#[derive(Clone, Debug)]
pub enum Unlock {
    /// With the key in the system keyring.
    Keyring,
    /// With the passphrase (or recovery passphrase).
    Passphrase(SecretString),
}

/// Rejects passphrases too short to resist guessing.
pub(crate) fn check_new_passphrase(
    passphrase: &SecretString,
) -> Result<(), super::error::VaultError> {
    if passphrase.expose().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(super::error::VaultError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

/// Where a vault's keyring key lives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyringLocation {
    pub(crate) service: String,
    pub(crate) account: String,
}

/// The Argon2id record of a passphrase slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KdfRecord {
    pub(crate) algorithm: String,
    pub(crate) version: u32,
    #[serde(flatten)]
    pub(crate) params: KdfParams,
    #[serde(with = "b64")]
    pub(crate) salt: Vec<u8>,
}

/// One way to recover the data key: the data key sealed under a key-encryption key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum KeySlot {
    Keyring {
        #[serde(flatten)]
        location: KeyringLocation,
        #[serde(with = "b64")]
        nonce: Vec<u8>,
        #[serde(with = "b64")]
        wrapped_key: Vec<u8>,
    },
    Passphrase {
        kdf: KdfRecord,
        #[serde(with = "b64")]
        nonce: Vec<u8>,
        #[serde(with = "b64")]
        wrapped_key: Vec<u8>,
    },
}

const ARGON2_ALGORITHM: &str = "argon2id";
const SALT_LEN: usize = 16;

const SALT_LEN_RANGE: std::ops::RangeInclusive<usize> = 8..=64;

impl KdfRecord {
    /// True when this record is one this program could have written: Argon2id v1.3,
    /// a sane salt, settings within [`KdfParams::LIMITS`]. Checked when the file is
    /// read, before any key derivation.
    pub(crate) fn is_plausible(&self) -> bool {
        self.algorithm == ARGON2_ALGORITHM
            && self.version == 0x13
            && SALT_LEN_RANGE.contains(&self.salt.len())
            && self.params.is_within_limits()
    }
}

impl KeySlot {
    /// True when the slot's fields have the shapes this program writes, so that a
    /// damaged slot is reported as damage, not as a wrong passphrase or keyring key.
    pub(crate) fn is_plausible(&self) -> bool {
        let (nonce, wrapped) = match self {
            KeySlot::Keyring {
                nonce, wrapped_key, ..
            } => (nonce, wrapped_key),
            KeySlot::Passphrase {
                kdf,
                nonce,
                wrapped_key,
            } => {
                if !kdf.is_plausible() {
                    return false;
                }
                (nonce, wrapped_key)
            }
        };
        nonce.len() == crypto::NONCE_LEN && wrapped.len() == crypto::KEY_LEN + crypto::TAG_LEN
    }
}

/// Associated data for wrapping: ties a slot to its vault and its kind.
fn wrap_aad(vault_id: &str, kind: &str) -> Vec<u8> {
    format!("zoho-oauth-vault/key-slot/v1/{vault_id}/{kind}").into_bytes()
}

/// Derives the key-encryption key for `passphrase`; `None` when the parameters are out
/// of bounds (a tampered or foreign header).
pub(crate) fn derive_passphrase_key(
    passphrase: &SecretString,
    kdf: &KdfRecord,
) -> Option<SecretKey> {
    if !kdf.is_plausible() {
        return None;
    }
    let argon2 = kdf.params.argon2()?;
    let mut key = SecretKey::zeroed();
    argon2
        .hash_password_into(
            passphrase.expose().as_bytes(),
            &kdf.salt,
            key.as_mut_bytes(),
        )
        .ok()?;
    Some(key)
}

/// A passphrase slot for `data_key`, with a fresh salt.
pub(crate) fn passphrase_slot(
    vault_id: &str,
    data_key: &SecretKey,
    passphrase: &SecretString,
    params: KdfParams,
) -> KeySlot {
    let capped = params.capped();
    if capped != params {
        tracing::warn!(
            ?params,
            used = ?capped,
            "KDF settings above what a vault may record; lowered so the vault can be opened again"
        );
    }
    let kdf = KdfRecord {
        algorithm: ARGON2_ALGORITHM.to_owned(),
        version: 0x13,
        params: capped,
        salt: crypto::random_bytes::<SALT_LEN>().to_vec(),
    };
    let kek = derive_passphrase_key(passphrase, &kdf)
        .expect("KDF parameters chosen by this program are within bounds");
    let sealed = crypto::seal(&kek, data_key.as_bytes(), &wrap_aad(vault_id, "passphrase"));
    KeySlot::Passphrase {
        kdf,
        nonce: sealed.nonce.to_vec(),
        wrapped_key: sealed.ciphertext,
    }
}

/// A keyring slot for `data_key` wrapped by `kek` (already stored at `location`).
pub(crate) fn keyring_slot(
    vault_id: &str,
    data_key: &SecretKey,
    kek: &SecretKey,
    location: KeyringLocation,
) -> KeySlot {
    let sealed = crypto::seal(kek, data_key.as_bytes(), &wrap_aad(vault_id, "keyring"));
    KeySlot::Keyring {
        location,
        nonce: sealed.nonce.to_vec(),
        wrapped_key: sealed.ciphertext,
    }
}

/// Recovers the data key from a slot with its key-encryption key; `None` when the key
/// is not the right one (wrong passphrase, a different keyring entry).
pub(crate) fn unwrap_slot(vault_id: &str, slot: &KeySlot, kek: &SecretKey) -> Option<SecretKey> {
    let (kind, nonce, wrapped) = match slot {
        KeySlot::Keyring {
            nonce, wrapped_key, ..
        } => ("keyring", nonce, wrapped_key),
        KeySlot::Passphrase {
            nonce, wrapped_key, ..
        } => ("passphrase", nonce, wrapped_key),
    };
    let sealed = crypto::Sealed {
        nonce: nonce.as_slice().try_into().ok()?,
        ciphertext: wrapped.clone(),
    };
    let plain = crypto::open(kek, &sealed, &wrap_aad(vault_id, kind)).ok()?;
    SecretKey::from_slice(&plain)
}

/// Encodes a keyring key as the text stored in the keyring.
pub(crate) fn encode_keyring_secret(key: &SecretKey) -> Zeroizing<String> {
    Zeroizing::new(BASE64.encode(key.as_bytes()))
}

/// Decodes a keyring entry; `None` if it is not a key this program wrote.
pub(crate) fn decode_keyring_secret(text: &str) -> Option<SecretKey> {
    let bytes = Zeroizing::new(BASE64.decode(text.trim()).ok()?);
    SecretKey::from_slice(&bytes)
}

/// A place to keep a vault's key outside the vault file. [`OsKeyring`] is the real one;
/// tests and unusual platforms can supply their own.
pub trait KeyStore: Send + Sync + fmt::Debug {
    /// The secret stored under `service`/`account`; [`KeyringError::EntryMissing`] when
    /// there is none.
    ///
    /// # Errors
    /// Any [`KeyringError`]; none may contain the secret.
    fn get(&self, service: &str, account: &str) -> Result<Zeroizing<String>, KeyringError>;

    /// Stores `secret` under `service`/`account`, replacing what was there.
    ///
    /// # Errors
    /// Any [`KeyringError`].
    fn set(&self, service: &str, account: &str, secret: &str) -> Result<(), KeyringError>;

    /// Removes the entry; succeeds if it was already gone.
    ///
    /// # Errors
    /// Any [`KeyringError`].
    fn delete(&self, service: &str, account: &str) -> Result<(), KeyringError>;
}

/// The operating system's keyring through the `keyring` crate, every call bounded by a
/// timeout.
#[derive(Clone, Debug)]
pub struct OsKeyring {
    timeout: Duration,
}

impl OsKeyring {
    /// How long a keyring call may take before it is abandoned (`gh` uses 3 s too).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

    /// The system keyring with the default timeout.
    pub fn new() -> Self {
        Self::with_timeout(Self::DEFAULT_TIMEOUT)
    }

    /// The system keyring with a custom timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self { timeout }
    }
}

impl Default for OsKeyring {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyStore for OsKeyring {
    fn get(&self, service: &str, account: &str) -> Result<Zeroizing<String>, KeyringError> {
        let (service, account) = (service.to_owned(), account.to_owned());
        with_timeout(self.timeout, move || {
            let entry = keyring::Entry::new(&service, &account).map_err(map_keyring_error)?;
            entry
                .get_password()
                .map(Zeroizing::new)
                .map_err(map_keyring_error)
        })
    }

    fn set(&self, service: &str, account: &str, secret: &str) -> Result<(), KeyringError> {
        let (service, account) = (service.to_owned(), account.to_owned());
        let secret = Zeroizing::new(secret.to_owned());
        with_timeout(self.timeout, move || {
            let entry = keyring::Entry::new(&service, &account).map_err(map_keyring_error)?;
            entry.set_password(&secret).map_err(map_keyring_error)
        })
    }

    fn delete(&self, service: &str, account: &str) -> Result<(), KeyringError> {
        let (service, account) = (service.to_owned(), account.to_owned());
        with_timeout(self.timeout, move || {
            let entry = keyring::Entry::new(&service, &account).map_err(map_keyring_error)?;
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(map_keyring_error(e)),
            }
        })
    }
}

/// Runs `op` on its own thread and gives up after `timeout`. A call that hangs is left
/// to finish (or not) in the background: a blocked D-Bus call cannot be cancelled, but
/// the user must not wait on it.
pub(crate) fn with_timeout<T: Send + 'static>(
    timeout: Duration,
    op: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
) -> Result<T, KeyringError> {
    let (tx, rx) = mpsc::sync_channel(1);
    thread::Builder::new()
        .name("vault-keyring".into())
        .spawn(move || {
            let _ = tx.send(op());
        })
        .map_err(|e| KeyringError::Failed {
            detail: format!("could not start a thread: {e}"),
        })?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(KeyringError::TimedOut {
            millis: timeout.as_millis(),
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(KeyringError::Failed {
            detail: "the keyring call stopped unexpectedly".into(),
        }),
    }
}

/// Translates the `keyring` crate's errors. `BadEncoding` and `Ambiguous` carry secret
/// bytes or credentials, so only their names are kept.
fn map_keyring_error(error: keyring::Error) -> KeyringError {
    match error {
        keyring::Error::NoEntry => KeyringError::EntryMissing,
        keyring::Error::NoStorageAccess(_) => KeyringError::Locked,
        keyring::Error::PlatformFailure(inner) => KeyringError::Unavailable {
            detail: inner.to_string(),
        },
        keyring::Error::BadEncoding(_) => KeyringError::Failed {
            detail: "the stored key is not text".into(),
        },
        keyring::Error::Ambiguous(_) => KeyringError::Failed {
            detail: "several keyring entries match".into(),
        },
        keyring::Error::TooLong(attribute, limit) => KeyringError::Failed {
            detail: format!("{attribute} is longer than the keyring allows ({limit})"),
        },
        keyring::Error::Invalid(attribute, reason) => KeyringError::Failed {
            detail: format!("{attribute} is invalid: {reason}"),
        },
        other => KeyringError::Failed {
            detail: other.to_string(),
        },
    }
}

/// Base64 for binary fields of the clear-text header.
mod b64 {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE64.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        BASE64.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn passphrase_slot_unwraps_only_with_the_passphrase() {
        let data_key = SecretKey::random();
        let pass = SecretString::from("correct horse battery");
        let slot = passphrase_slot("v1", &data_key, &pass, KdfParams::INSECURE_FAST_FOR_TESTS);
        let KeySlot::Passphrase { kdf, .. } = &slot else {
            panic!("passphrase slot expected")
        };
        let kek = derive_passphrase_key(&pass, kdf).unwrap();
        let back = unwrap_slot("v1", &slot, &kek).unwrap();
        assert_eq!(back.as_bytes(), data_key.as_bytes());
        let wrong = derive_passphrase_key(&SecretString::from("wrong horse battery"), kdf).unwrap();
        assert!(unwrap_slot("v1", &slot, &wrong).is_none());
        assert!(
            unwrap_slot("v2", &slot, &kek).is_none(),
            "bound to its vault"
        );
    }

    #[test]
    fn out_of_bounds_kdf_parameters_are_refused_without_running() {
        let mut kdf = KdfRecord {
            algorithm: ARGON2_ALGORITHM.into(),
            version: 0x13,
            params: KdfParams {
                memory_kib: u32::MAX,
                iterations: 1,
                parallelism: 1,
            },
            salt: vec![0; 16],
        };
        let pass = SecretString::from("whatever passphrase");
        assert!(derive_passphrase_key(&pass, &kdf).is_none());
        kdf.params = KdfParams::INSECURE_FAST_FOR_TESTS;
        kdf.algorithm = "scrypt".into();
        assert!(derive_passphrase_key(&pass, &kdf).is_none());
    }

    #[test]
    fn what_this_program_writes_is_within_the_limits_and_more_is_capped() {
        assert!(KdfParams::RECOMMENDED.is_within_limits());
        assert!(KdfParams::INSECURE_FAST_FOR_TESTS.is_within_limits());
        assert!(KdfParams::LIMITS.is_within_limits());
        let huge = KdfParams {
            memory_kib: 4 * 1024 * 1024,
            iterations: 64,
            parallelism: 16,
        };
        assert!(!huge.is_within_limits());
        assert_eq!(huge.capped(), KdfParams::LIMITS);
        // Argon2id's own floor: at least 8 KiB per lane.
        let too_small = KdfParams {
            memory_kib: 8,
            iterations: 1,
            parallelism: 4,
        };
        assert!(!too_small.is_within_limits());
    }

    #[test]
    fn slots_of_another_shape_are_implausible() {
        let data_key = SecretKey::random();
        let pass = SecretString::from("correct horse battery");
        let slot = passphrase_slot("v1", &data_key, &pass, KdfParams::INSECURE_FAST_FOR_TESTS);
        assert!(slot.is_plausible());
        let KeySlot::Passphrase {
            kdf,
            nonce,
            wrapped_key,
        } = slot
        else {
            panic!("passphrase slot expected")
        };
        let short_nonce = KeySlot::Passphrase {
            kdf: kdf.clone(),
            nonce: nonce[..12].to_vec(),
            wrapped_key: wrapped_key.clone(),
        };
        assert!(!short_nonce.is_plausible());
        let mut no_salt = kdf.clone();
        no_salt.salt.clear();
        let no_salt = KeySlot::Passphrase {
            kdf: no_salt,
            nonce,
            wrapped_key,
        };
        assert!(!no_salt.is_plausible());
    }

    #[test]
    fn keyring_secret_encoding_round_trips() {
        let key = SecretKey::random();
        let text = encode_keyring_secret(&key);
        assert_eq!(
            decode_keyring_secret(&text).unwrap().as_bytes(),
            key.as_bytes()
        );
        assert!(decode_keyring_secret("not base64!").is_none());
        assert!(decode_keyring_secret("AAAA").is_none());
    }

    #[test]
    fn a_hanging_call_times_out_quickly() {
        let started = Instant::now();
        let result: Result<(), _> = with_timeout(Duration::from_millis(100), || {
            thread::sleep(Duration::from_secs(5));
            Ok(())
        });
        assert_eq!(result, Err(KeyringError::TimedOut { millis: 100 }));
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(
            with_timeout(Duration::from_secs(1), || Ok(7)),
            Ok(7),
            "a prompt answer passes through"
        );
    }

    #[test]
    fn protection_descriptions() {
        assert!(Protection::Keyring.describe().contains("keyring"));
        assert!(Protection::Passphrase.describe().contains("passphrase"));
        assert!(Protection::KeyringWithRecoveryPassphrase.has_passphrase());
        assert!(!Protection::Passphrase.has_keyring());
    }
}
