//! Identifiers in Zoho's formats, so that clients validating formats (and people
//! comparing with the real console) see what Zoho would hand out:
//! client IDs `1000.` + 30 upper-case alphanumerics, client secrets 42 lower-case hex
//! digits, and grant codes, access tokens and refresh tokens `1000.<32 hex>.<32 hex>`.
//!
//! Secrets are kept only as SHA-256 digests, so no record in the sandbox holds a usable
//! token and nothing that prints a record can leak one.

use rand::distributions::{Alphanumeric, Distribution};
use rand::Rng;
use sha2::{Digest, Sha256};

/// A new client ID: `1000.` followed by 30 upper-case letters and digits.
pub(crate) fn client_id() -> String {
    format!("1000.{}", upper_alphanumerics(30))
}

/// A new "Non-browser based application" client ID: `1004.` and 30 upper-case letters
/// and digits, as Zoho's examples show them.
pub(crate) fn non_browser_client_id() -> String {
    format!("1004.{}", upper_alphanumerics(30))
}

/// A device flow's user code: two groups of four upper-case letters and digits, without
/// the ones people confuse when reading them out (0/O, 1/I).
pub(crate) fn user_code() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let mut pick = || char::from(CHARS[rng.gen_range(0..CHARS.len())]);
    let first: String = (0..4).map(|_| pick()).collect();
    let second: String = (0..4).map(|_| pick()).collect();
    format!("{first}-{second}")
}

/// A device code: `1004.<32 hex>.<32 hex>`.
pub(crate) fn device_code() -> String {
    format!("1004.{}.{}", hex(32), hex(32))
}

fn upper_alphanumerics(len: usize) -> String {
    let mut rng = rand::thread_rng();
    Alphanumeric
        .sample_iter(&mut rng)
        .map(|b| char::from(b).to_ascii_uppercase())
        .take(len)
        .collect()
}

/// A new client secret: 42 lower-case hex digits.
pub(crate) fn client_secret() -> String {
    hex(42)
}

/// A new grant code, access token or refresh token: `1000.<32 hex>.<32 hex>`.
pub(crate) fn token() -> String {
    format!("1000.{}.{}", hex(32), hex(32))
}

fn hex(len: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(DIGITS[rng.gen_range(0..16)]))
        .collect()
}

/// The key a secret is stored under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Digest32([u8; 32]);

impl Digest32 {
    /// Digests a token, code or secret.
    pub(crate) fn of(secret: &str) -> Self {
        Digest32(Sha256::digest(secret.as_bytes()).into())
    }

    /// 64 lower-case hex digits, as a state file keeps it.
    pub(crate) fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The digest [`Digest32::to_hex`] wrote; `None` for anything else.
    pub(crate) fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(Digest32(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_lower_hex(s: &str) -> bool {
        s.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
    }

    #[test]
    fn formats_match_zoho() {
        let id = client_id();
        let tail = id.strip_prefix("1000.").expect("prefix");
        assert_eq!(tail.len(), 30);
        assert!(tail
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));

        let secret = client_secret();
        assert_eq!(secret.len(), 42);
        assert!(is_lower_hex(&secret));

        let token = token();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], "1000");
        assert!(parts[1..].iter().all(|p| p.len() == 32 && is_lower_hex(p)));
    }

    #[test]
    fn every_token_is_new_and_digests_are_stable() {
        let (a, b) = (token(), token());
        assert_ne!(a, b);
        assert_eq!(Digest32::of(&a), Digest32::of(&a));
        assert_ne!(Digest32::of(&a), Digest32::of(&b));
    }

    #[test]
    fn digests_round_trip_through_hex() {
        let digest = Digest32::of(&token());
        let hex = digest.to_hex();
        assert_eq!(hex.len(), 64);
        assert!(is_lower_hex(&hex));
        assert_eq!(Digest32::from_hex(&hex), Some(digest));
        assert_eq!(Digest32::from_hex(&hex[..62]), None);
        assert_eq!(Digest32::from_hex(&format!("{}zz", &hex[..62])), None);
        assert_eq!(Digest32::from_hex(&format!("+f{}", &hex[2..])), None);
    }
}
