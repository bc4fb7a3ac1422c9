//! The byte layout of a vault file (format version 1).
//!
//! ```text
//! magic            8 bytes   "ZOHOVLT\0"
//! format version   u16 LE    1
//! header length    u32 LE    H
//! header           H bytes   JSON, clear text: vault id, cipher, key slots
//! index nonce      24 bytes
//! index length     u32 LE    N
//! index            N bytes   XChaCha20-Poly1305 ciphertext + tag; associated data =
//!                            every byte above (magic..header), so the clear header is
//!                            authenticated too
//! record count     u32 LE    R
//! R times:  nonce 24 bytes | length u32 LE | ciphertext + tag
//!                            (one per connection, in index order; associated data =
//!                            vault id + connection id)
//! checksum         32 bytes  SHA-256 of every byte above
//! ```
//!
//! The trailing checksum is not a security measure (anyone can recompute it); it lets
//! the vault tell a file damaged on disk from a wrong passphrase before spending a key
//! derivation on it. Tampering is caught by the AEAD tags: the index authenticates the
//! header, and it holds a SHA-256 digest of each record, so records cannot be swapped,
//! dropped or rolled back one by one.
//!
//! All integers are little-endian; lengths are checked against the bytes present
//! before anything is allocated.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::crypto::{Sealed, NONCE_LEN, TAG_LEN};
use super::error::DamageReason;
use super::keys::KeySlot;

/// The first bytes of every vault file.
pub(crate) const MAGIC: [u8; 8] = *b"ZOHOVLT\0";
/// The format this release writes; it reads this one and older.
pub const FORMAT_VERSION: u16 = 1;
/// The name of the only cipher format 1 uses.
pub(crate) const CIPHER: &str = "xchacha20poly1305";

const CHECKSUM_LEN: usize = 32;
const PREFIX_LEN: usize = MAGIC.len() + 2 + 4;
const MAX_HEADER_LEN: usize = 64 * 1024;

/// The clear-text header: only what is needed to find and unwrap the data key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    /// Random id; binds key slots and records to this vault.
    pub(crate) vault_id: String,
    /// Always [`CIPHER`] in format 1.
    pub(crate) cipher: String,
    /// Ways to recover the data key.
    pub(crate) key_slots: Vec<KeySlot>,
}

/// A vault file split into its parts, nothing decrypted yet.
#[derive(Debug)]
pub(crate) struct RawVault {
    pub(crate) version: u16,
    pub(crate) header: Header,
    /// magic..header, the associated data of the index.
    pub(crate) prefix: Vec<u8>,
    pub(crate) index: Sealed,
    pub(crate) records: Vec<Sealed>,
    pub(crate) checksum: [u8; CHECKSUM_LEN],
}

/// Why a file could not be split into parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    Damaged(DamageReason),
    /// A newer release wrote it; leave it alone.
    TooNew(u16),
}

impl From<DamageReason> for DecodeError {
    fn from(reason: DamageReason) -> Self {
        DecodeError::Damaged(reason)
    }
}

/// The bytes of `header` framed as the start of a file (the index's associated data).
pub(crate) fn encode_prefix(header: &Header) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("the header is plain data");
    let mut out = Vec::with_capacity(PREFIX_LEN + json.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out
}

/// A whole file: `prefix` (from [`encode_prefix`]), the index, the records, the
/// checksum. Returns the bytes and the checksum.
pub(crate) fn encode(
    prefix: &[u8],
    index: &Sealed,
    records: &[Sealed],
) -> (Vec<u8>, [u8; CHECKSUM_LEN]) {
    let body_len: usize = records
        .iter()
        .map(|r| NONCE_LEN + 4 + r.ciphertext.len())
        .sum();
    let mut out = Vec::with_capacity(
        prefix.len() + NONCE_LEN + 4 + index.ciphertext.len() + 4 + body_len + CHECKSUM_LEN,
    );
    out.extend_from_slice(prefix);
    put_sealed(&mut out, index);
    out.extend_from_slice(&(records.len() as u32).to_le_bytes());
    for record in records {
        put_sealed(&mut out, record);
    }
    let checksum: [u8; CHECKSUM_LEN] = Sha256::digest(&out).into();
    out.extend_from_slice(&checksum);
    (out, checksum)
}

fn put_sealed(out: &mut Vec<u8>, sealed: &Sealed) {
    out.extend_from_slice(&sealed.nonce);
    out.extend_from_slice(&(sealed.ciphertext.len() as u32).to_le_bytes());
    out.extend_from_slice(&sealed.ciphertext);
}

/// Splits a file into its parts, checking signature, version, checksum and framing.
pub(crate) fn decode(bytes: &[u8]) -> Result<RawVault, DecodeError> {
    if bytes.len() < MAGIC.len() {
        return Err(DamageReason::Truncated.into());
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(DamageReason::NotAVault.into());
    }
    if bytes.len() < PREFIX_LEN + CHECKSUM_LEN {
        return Err(DamageReason::Truncated.into());
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > FORMAT_VERSION {
        return Err(DecodeError::TooNew(version));
    }
    if version == 0 {
        return Err(DamageReason::Malformed.into());
    }
    let (content, checksum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    let computed: [u8; CHECKSUM_LEN] = Sha256::digest(content).into();
    if computed.as_slice() != checksum {
        return Err(if runs_short(bytes) {
            DamageReason::Truncated
        } else {
            DamageReason::ChecksumMismatch
        }
        .into());
    }

    let mut reader = Reader {
        bytes: content,
        at: MAGIC.len() + 2,
    };
    let frame = |e: DamageReason| match e {
        // The checksum matched, so the bytes are all there: the lengths are wrong.
        DamageReason::Truncated => DamageReason::Malformed,
        other => other,
    };
    let header_len = reader.u32().map_err(frame)? as usize;
    if header_len > MAX_HEADER_LEN {
        return Err(DamageReason::Malformed.into());
    }
    let header_bytes = reader.take(header_len).map_err(frame)?;
    let header: Header =
        serde_json::from_slice(header_bytes).map_err(|_| DamageReason::Malformed)?;
    // Key slots are checked here, before anything is derived from them: a slot that
    // asks for more than this program ever writes is damage, never a wrong passphrase.
    if header.cipher != CIPHER
        || header.key_slots.is_empty()
        || !header.key_slots.iter().all(KeySlot::is_plausible)
    {
        return Err(DamageReason::Malformed.into());
    }
    let prefix = content[..reader.at].to_vec();
    let index = reader.sealed().map_err(frame)?;
    let count = reader.u32().map_err(frame)? as usize;
    // Each record takes at least nonce + length + tag bytes: bounds the allocation.
    if count > reader.remaining() / (NONCE_LEN + 4 + TAG_LEN) {
        return Err(DamageReason::Malformed.into());
    }
    let mut records = Vec::with_capacity(count);
    for _ in 0..count {
        records.push(reader.sealed().map_err(frame)?);
    }
    if reader.remaining() != 0 {
        return Err(DamageReason::Malformed.into());
    }
    Ok(RawVault {
        version,
        header,
        prefix,
        index,
        records,
        checksum: checksum.try_into().expect("split at CHECKSUM_LEN"),
    })
}

/// True when the lengths recorded in `bytes` promise more bytes than there are: the
/// file was cut short (an interrupted copy), rather than changed in place.
fn runs_short(bytes: &[u8]) -> bool {
    let mut reader = Reader {
        bytes,
        at: MAGIC.len() + 2,
    };
    let walk = |r: &mut Reader<'_>| -> Result<(), DamageReason> {
        let header_len = r.u32()? as usize;
        if header_len > MAX_HEADER_LEN {
            return Err(DamageReason::Malformed);
        }
        // Garbage after the signature would also "run short"; a readable header says
        // this really is a vault that lost its end.
        serde_json::from_slice::<Header>(r.take(header_len)?)
            .map_err(|_| DamageReason::Malformed)?;
        r.sealed()?;
        for _ in 0..r.u32()? {
            r.sealed()?; // each consumes bytes, so a garbage count ends quickly
        }
        Ok(())
    };
    match walk(&mut reader) {
        Err(DamageReason::Truncated) => true,
        Err(_) => false,
        Ok(()) => reader.remaining() < CHECKSUM_LEN,
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    /// Fails with `Truncated` when fewer than `n` bytes are left.
    fn take(&mut self, n: usize) -> Result<&'a [u8], DamageReason> {
        if n > self.remaining() {
            return Err(DamageReason::Truncated);
        }
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, DamageReason> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn sealed(&mut self) -> Result<Sealed, DamageReason> {
        let nonce: [u8; NONCE_LEN] = self.take(NONCE_LEN)?.try_into().expect("took NONCE_LEN");
        let len = self.u32()? as usize;
        if len < TAG_LEN {
            return Err(DamageReason::Malformed);
        }
        let ciphertext = self.take(len)?.to_vec();
        Ok(Sealed { nonce, ciphertext })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::crypto::{seal, SecretKey};

    fn sample() -> Vec<u8> {
        let key = SecretKey::random();
        let header = Header {
            vault_id: "abc".into(),
            cipher: CIPHER.into(),
            key_slots: vec![KeySlot::Passphrase {
                kdf: crate::vault::keys::KdfRecord {
                    algorithm: "argon2id".into(),
                    version: 0x13,
                    params: crate::vault::keys::KdfParams::INSECURE_FAST_FOR_TESTS,
                    salt: vec![1; 16],
                },
                nonce: vec![0; 24],
                wrapped_key: vec![0; 48],
            }],
        };
        let prefix = encode_prefix(&header);
        let index = seal(&key, b"{}", &prefix);
        let records = vec![seal(&key, b"one", b"r1"), seal(&key, b"", b"r2")];
        encode(&prefix, &index, &records).0
    }

    #[test]
    fn encode_decode_round_trip() {
        let bytes = sample();
        let raw = decode(&bytes).unwrap();
        assert_eq!(raw.header.vault_id, "abc");
        assert_eq!(raw.records.len(), 2);
        assert_eq!(&bytes[..raw.prefix.len()], raw.prefix.as_slice());
        assert_eq!(&bytes[bytes.len() - 32..], raw.checksum.as_slice());
    }

    #[test]
    fn every_truncation_is_rejected_without_panicking() {
        let bytes = sample();
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "length {len}");
        }
    }

    #[test]
    fn a_cut_short_file_is_told_apart_from_a_changed_one() {
        let bytes = sample();
        for len in [14, 40, bytes.len() / 2, bytes.len() - 33, bytes.len() - 1] {
            assert_eq!(
                decode(&bytes[..len]).unwrap_err(),
                DecodeError::Damaged(DamageReason::Truncated),
                "length {len}"
            );
        }
        let mut changed = bytes.clone();
        changed[bytes.len() / 2] ^= 1;
        assert_eq!(
            decode(&changed).unwrap_err(),
            DecodeError::Damaged(DamageReason::ChecksumMismatch)
        );
    }

    #[test]
    fn a_newer_format_is_reported_as_such() {
        let mut bytes = sample();
        bytes[8] = 2;
        assert_eq!(decode(&bytes).unwrap_err(), DecodeError::TooNew(2));
    }

    #[test]
    fn garbage_is_not_a_vault() {
        assert_eq!(
            decode(b"{\"connections\": []}").unwrap_err(),
            DecodeError::Damaged(DamageReason::NotAVault)
        );
        let mut bytes = sample();
        let last = bytes.len() - 40;
        bytes[last] ^= 0xff;
        assert_eq!(
            decode(&bytes).unwrap_err(),
            DecodeError::Damaged(DamageReason::ChecksumMismatch)
        );
    }
}

/// Property tests of the decoder: `PROPTEST_CASES` sets how many cases each runs (see
/// the README).
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;
    use crate::vault::keys::{KdfParams, KdfRecord, KeyringLocation};

    fn bytes(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), len)
    }

    fn sealed() -> impl Strategy<Value = Sealed> {
        (any::<[u8; NONCE_LEN]>(), bytes(TAG_LEN..TAG_LEN + 200))
            .prop_map(|(nonce, ciphertext)| Sealed { nonce, ciphertext })
    }

    fn params() -> impl Strategy<Value = KdfParams> {
        (
            1u32..=KdfParams::LIMITS.parallelism,
            1u32..=KdfParams::LIMITS.iterations,
        )
            .prop_flat_map(|(lanes, passes)| {
                (8 * lanes..=KdfParams::LIMITS.memory_kib).prop_map(move |memory| KdfParams {
                    memory_kib: memory,
                    iterations: passes,
                    parallelism: lanes,
                })
            })
    }

    fn slot() -> impl Strategy<Value = KeySlot> {
        let wrapped = || bytes(48..49);
        prop_oneof![
            (
                "[ -~]{0,30}",
                "[ -~]{0,30}",
                any::<[u8; NONCE_LEN]>(),
                wrapped()
            )
                .prop_map(|(service, account, nonce, wrapped_key)| KeySlot::Keyring {
                    location: KeyringLocation { service, account },
                    nonce: nonce.to_vec(),
                    wrapped_key,
                }),
            (params(), bytes(8..65), any::<[u8; NONCE_LEN]>(), wrapped()).prop_map(
                |(params, salt, nonce, wrapped_key)| KeySlot::Passphrase {
                    kdf: KdfRecord {
                        algorithm: "argon2id".into(),
                        version: 0x13,
                        params,
                        salt,
                    },
                    nonce: nonce.to_vec(),
                    wrapped_key,
                }
            ),
        ]
    }

    fn file() -> impl Strategy<Value = (Header, Sealed, Vec<Sealed>)> {
        (
            "[0-9a-f]{1,32}",
            proptest::collection::vec(slot(), 1..4),
            sealed(),
            proptest::collection::vec(sealed(), 0..6),
        )
            .prop_map(|(vault_id, key_slots, index, records)| {
                let header = Header {
                    vault_id,
                    cipher: CIPHER.into(),
                    key_slots,
                };
                (header, index, records)
            })
    }

    proptest! {
        #[test]
        fn no_bytes_make_the_decoder_panic(input in bytes(0..1024)) {
            let _ = decode(&input);
        }

        /// Past the signature and the checksum, so the framing and the header are what
        /// gets exercised.
        #[test]
        fn no_checksummed_body_makes_the_decoder_panic(
            header_len in prop_oneof![0u32..300, any::<u32>()],
            rest in bytes(0..600),
        ) {
            let mut input = MAGIC.to_vec();
            input.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
            input.extend_from_slice(&header_len.to_le_bytes());
            input.extend_from_slice(&rest);
            let sum: [u8; CHECKSUM_LEN] = Sha256::digest(&input).into();
            input.extend_from_slice(&sum);
            let _ = decode(&input);
        }

        #[test]
        fn what_is_encoded_decodes_to_the_same_parts((header, index, records) in file()) {
            let prefix = encode_prefix(&header);
            let (bytes, checksum) = encode(&prefix, &index, &records);
            let raw = decode(&bytes).unwrap();
            prop_assert_eq!(raw.version, FORMAT_VERSION);
            prop_assert_eq!(&raw.header, &header);
            prop_assert_eq!(raw.prefix, prefix);
            prop_assert_eq!(raw.index, index);
            prop_assert_eq!(raw.records, records);
            prop_assert_eq!(raw.checksum, checksum);
        }

        #[test]
        fn any_change_or_cut_is_refused(
            (header, index, records) in file(),
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
            cut in any::<prop::sample::Index>(),
        ) {
            let (bytes, _) = encode(&encode_prefix(&header), &index, &records);
            let mut changed = bytes.clone();
            changed[at.index(bytes.len())] ^= flip;
            prop_assert!(decode(&changed).is_err());
            prop_assert!(decode(&bytes[..cut.index(bytes.len())]).is_err());
        }
    }
}
