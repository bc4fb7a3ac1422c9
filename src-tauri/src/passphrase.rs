//! How strong a new vault passphrase is. Length is the one measure that is both
//! meaningful and easy to explain ("a short sentence works well"), so that is all it
//! judges; the vault itself refuses anything shorter than its minimum.

use serde::Serialize;
use zoho_oauth_core::vault::MIN_PASSPHRASE_CHARS;

/// How strong a new passphrase is, judged by its length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseCheck {
    /// Long enough to be accepted.
    pub acceptable: bool,
    /// "too_short", "fair", "good" or "strong".
    pub strength: &'static str,
    /// What it means and what makes it stronger.
    pub message: String,
    /// True when the confirmation is the same (false while it is empty).
    pub matches: bool,
}

/// Judges a new passphrase by its length, the one thing that makes it hard to guess
/// and easy to explain.
pub fn check_passphrase(passphrase: &str, confirmation: &str) -> PassphraseCheck {
    let chars = passphrase.chars().count();
    let (strength, message) = match chars {
        n if n < MIN_PASSPHRASE_CHARS => (
            "too_short",
            format!(
                "Too short: at least {MIN_PASSPHRASE_CHARS} characters ({} more). A short sentence works well.",
                MIN_PASSPHRASE_CHARS - n
            ),
        ),
        n if n < 12 => (
            "fair",
            "Acceptable, but easy to guess. Make it longer: four or five ordinary words in a row are stronger and easy to remember.".to_owned(),
        ),
        n if n < 20 => (
            "good",
            "Good. A few more words make it stronger still.".to_owned(),
        ),
        _ => ("strong", "Strong: long passphrases are the hardest to guess.".to_owned()),
    };
    PassphraseCheck {
        acceptable: chars >= MIN_PASSPHRASE_CHARS,
        strength,
        message,
        matches: !confirmation.is_empty() && confirmation == passphrase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrase_strength_is_about_length() {
        let short = check_passphrase("abc", "");
        assert!(!short.acceptable);
        assert!(short.message.contains("5 more"), "{}", short.message);
        assert!(!short.matches);
        let fair = check_passphrase("abcdefgh", "abcdefgh");
        assert!(fair.acceptable && fair.matches);
        assert_eq!(fair.strength, "fair");
        assert!(fair.message.contains("longer"), "{}", fair.message);
        assert_eq!(
            check_passphrase("correct horse battery staple", "").strength,
            "strong"
        );
    }
}
