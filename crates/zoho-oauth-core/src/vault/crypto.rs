//! The authenticated encryption every byte of the vault goes through.
//!
//! XChaCha20-Poly1305 (RustCrypto): its 192-bit nonces can be drawn at random for every
//! seal without any realistic risk of reuse, so no nonce counter has to survive crashes.
//! Each sealed item carries its own nonce; the associated data binds it to where it
//! belongs (the file header, a connection id), so that pieces cannot be swapped around.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Length of every key: data keys and key-encryption keys.
pub(crate) const KEY_LEN: usize = 32;
/// XChaCha20 nonce length.
pub(crate) const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
pub(crate) const TAG_LEN: usize = 16;

/// A 256-bit key, wiped from memory on drop and never printed.
#[derive(Clone)]
pub(crate) struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl SecretKey {
    /// A fresh key from the operating system's random source.
    pub(crate) fn random() -> Self {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        OsRng.fill_bytes(key.as_mut());
        Self(key)
    }

    /// Takes the bytes of a key; `None` unless exactly [`KEY_LEN`] long.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        if bytes.len() != KEY_LEN {
            return None;
        }
        key.copy_from_slice(bytes);
        Some(Self(key))
    }

    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// A mutable buffer for a key derivation function to write into.
    pub(crate) fn zeroed() -> Self {
        Self(Zeroizing::new([0u8; KEY_LEN]))
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8; KEY_LEN] {
        &mut self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

/// Ciphertext (with its tag) and the nonce it was sealed under.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Sealed {
    pub(crate) nonce: [u8; NONCE_LEN],
    pub(crate) ciphertext: Vec<u8>,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealed({} bytes)", self.ciphertext.len())
    }
}

impl Sealed {
    /// SHA-256 over nonce and ciphertext: lets the authenticated index vouch for each
    /// separately sealed record without decrypting it.
    pub(crate) fn digest(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(self.nonce);
        hash.update(&self.ciphertext);
        hash.finalize().into()
    }
}

/// The ciphertext did not authenticate under this key and associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AuthenticationFailed;

/// Encrypts `plaintext` under `key` with a fresh random nonce.
pub(crate) fn seal(key: &SecretKey, plaintext: &[u8], aad: &[u8]) -> Sealed {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let ciphertext = key
        .cipher()
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        // Encryption fails only for inputs near 256 GiB; a vault never comes close.
        .expect("XChaCha20-Poly1305 encryption of an in-memory buffer");
    Sealed { nonce, ciphertext }
}

/// Decrypts and authenticates `sealed`; the plaintext is wiped when dropped.
pub(crate) fn open(
    key: &SecretKey,
    sealed: &Sealed,
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, AuthenticationFailed> {
    key.cipher()
        .decrypt(
            XNonce::from_slice(&sealed.nonce),
            Payload {
                msg: &sealed.ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| AuthenticationFailed)
}

/// `n` random bytes, as lower-case hex (ids, salts' names).
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// `N` random bytes.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_binding() {
        let key = SecretKey::random();
        let sealed = seal(&key, b"refresh token", b"record:a");
        assert_eq!(
            open(&key, &sealed, b"record:a").unwrap().as_slice(),
            b"refresh token"
        );
        assert_eq!(
            open(&key, &sealed, b"record:b"),
            Err(AuthenticationFailed),
            "associated data binds the record to its place"
        );
        assert_eq!(
            open(&SecretKey::random(), &sealed, b"record:a"),
            Err(AuthenticationFailed)
        );
        let mut flipped = sealed.clone();
        flipped.ciphertext[0] ^= 1;
        assert_eq!(open(&key, &flipped, b"record:a"), Err(AuthenticationFailed));
        let mut flipped = sealed.clone();
        flipped.nonce[3] ^= 1;
        assert_eq!(open(&key, &flipped, b"record:a"), Err(AuthenticationFailed));
    }

    #[test]
    fn nonces_are_fresh_and_empty_input_works() {
        let key = SecretKey::random();
        let a = seal(&key, b"", b"");
        let b = seal(&key, b"", b"");
        assert_ne!(a.nonce, b.nonce);
        assert_eq!(a.ciphertext.len(), TAG_LEN);
        assert!(open(&key, &a, b"").unwrap().is_empty());
    }

    #[test]
    fn keys_never_print() {
        let key = SecretKey::from_slice(&[7u8; KEY_LEN]).unwrap();
        assert_eq!(format!("{key:?}"), "SecretKey([redacted])");
        assert!(SecretKey::from_slice(&[1u8; 31]).is_none());
    }
}
