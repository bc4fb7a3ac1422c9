//! Copying a token to the clipboard for the person, the way password managers do: Rust
//! writes it (the window never receives the value), marks it as a secret so clipboard
//! history tools skip it, and clears the clipboard after a minute if it still holds
//! that token. Something else copied in the meantime is left alone.
//!
//! Only a SHA-256 digest of the copied value is kept while waiting, so no extra copy
//! of the secret lingers in memory for that minute.
//!
//! Tests can shorten the minute with [`CLEAR_DELAY_VAR`] (whole seconds, 1 to 600).

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use sha2::{Digest, Sha256};
use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// The environment variable that changes how long a copied token stays on the
/// clipboard, in seconds (for tests; the default is 60).
pub const CLEAR_DELAY_VAR: &str = "ZOHO_OAUTH_ASSISTANT_CLIPBOARD_CLEAR_SECONDS";

/// How long a copied secret stays on the clipboard by default.
pub const DEFAULT_CLEAR_DELAY: Duration = Duration::from_secs(60);

/// The clipboard, as far as copying a secret needs it.
pub trait Clipboard: Send + Sync + 'static {
    /// Puts `text` on the clipboard, marked as a secret where the platform allows.
    ///
    /// # Errors
    /// What the platform said, without the text.
    fn write_secret(&self, text: &str) -> Result<(), String>;
    /// What the clipboard holds as text, if anything.
    fn read_text(&self) -> Option<String>;
    /// Empties the clipboard.
    ///
    /// # Errors
    /// What the platform said.
    fn clear(&self) -> Result<(), String>;
}

/// The system clipboard, through tauri-plugin-clipboard-manager, called from Rust only:
/// the window is granted none of the plugin's commands.
pub struct SystemClipboard<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> Clipboard for SystemClipboard<R> {
    fn write_secret(&self, text: &str) -> Result<(), String> {
        self.0
            .clipboard()
            .write_secret(text)
            .map_err(|err| err.to_string())
    }

    fn read_text(&self) -> Option<String> {
        self.0.clipboard().read_text().ok()
    }

    fn clear(&self) -> Result<(), String> {
        self.0.clipboard().clear().map_err(|err| err.to_string())
    }
}

/// What the window is told after a copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Copied {
    /// Seconds until the clipboard is cleared.
    pub clear_after_seconds: u64,
    /// The sentence to show, e.g. "Copied. The clipboard is cleared in 1 minute."
    pub message: String,
}

/// Copies secrets and clears them again.
#[derive(Clone, Debug)]
pub struct SecretCopier {
    clear_after: Duration,
}

impl SecretCopier {
    /// Clears after `clear_after`.
    pub fn new(clear_after: Duration) -> Self {
        Self { clear_after }
    }

    /// Clears after [`DEFAULT_CLEAR_DELAY`], or what [`CLEAR_DELAY_VAR`] says when it
    /// holds a whole number of seconds from 1 to 600.
    pub fn from_process_env() -> Self {
        Self::new(clear_delay(std::env::var(CLEAR_DELAY_VAR).ok().as_deref()))
    }

    /// Puts `secret` on `clipboard` and, after the delay, clears the clipboard if it
    /// still holds it. Must be called inside a Tokio runtime.
    ///
    /// # Errors
    /// What the platform said when the clipboard cannot be written.
    pub fn copy(&self, clipboard: Arc<dyn Clipboard>, secret: &str) -> Result<Copied, String> {
        clipboard.write_secret(secret)?;
        let digest = digest(secret);
        let delay = self.clear_after;
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            // Reading the clipboard can wait on another program; keep it off the runtime.
            let _ = tokio::task::spawn_blocking(move || {
                let still_ours = clipboard
                    .read_text()
                    .is_some_and(|text| digest_of_text_matches(&text, &digest));
                if still_ours {
                    if let Err(reason) = clipboard.clear() {
                        eprintln!(
                            "Zoho OAuth Assistant: the clipboard could not be cleared ({reason})"
                        );
                    }
                }
            })
            .await;
        });
        Ok(Copied {
            clear_after_seconds: delay.as_secs(),
            message: format!(
                "Copied. The clipboard is cleared in {}.",
                describe_delay(delay)
            ),
        })
    }
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn digest_of_text_matches(text: &str, expected: &[u8; 32]) -> bool {
    let actual = digest(text);
    // Not timing-sensitive (the clipboard is the person's own), but cheap to do right.
    actual
        .iter()
        .zip(expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

fn clear_delay(value: Option<&str>) -> Duration {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|seconds| (1..=600).contains(seconds))
        .map_or(DEFAULT_CLEAR_DELAY, Duration::from_secs)
}

fn describe_delay(delay: Duration) -> String {
    let seconds = delay.as_secs();
    match seconds {
        60 => "1 minute".to_owned(),
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        1 => "1 second".to_owned(),
        s => format!("{s} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Fake {
        text: Mutex<Option<String>>,
        cleared: Mutex<usize>,
    }

    impl Clipboard for Fake {
        fn write_secret(&self, text: &str) -> Result<(), String> {
            *self.text.lock().unwrap() = Some(text.to_owned());
            Ok(())
        }
        fn read_text(&self) -> Option<String> {
            self.text.lock().unwrap().clone()
        }
        fn clear(&self) -> Result<(), String> {
            *self.text.lock().unwrap() = None;
            *self.cleared.lock().unwrap() += 1;
            Ok(())
        }
    }

    async fn settle(fake: &Fake, cleared: usize) {
        for _ in 0..100 {
            if *fake.cleared.lock().unwrap() == cleared {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[tokio::test]
    async fn a_copied_secret_is_cleared_after_the_delay() {
        let fake = Arc::new(Fake::default());
        let copier = SecretCopier::new(Duration::from_millis(100));
        let copied = copier.copy(fake.clone(), "1000.secret.token").unwrap();
        assert_eq!(fake.read_text().as_deref(), Some("1000.secret.token"));
        assert!(copied.message.starts_with("Copied."), "{}", copied.message);
        settle(&fake, 1).await;
        assert_eq!(fake.read_text(), None);
    }

    #[tokio::test]
    async fn something_copied_since_is_left_alone() {
        let fake = Arc::new(Fake::default());
        let copier = SecretCopier::new(Duration::from_millis(100));
        copier.copy(fake.clone(), "1000.secret.token").unwrap();
        fake.write_secret("the person's own text").unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(fake.read_text().as_deref(), Some("the person's own text"));
        assert_eq!(*fake.cleared.lock().unwrap(), 0);
    }

    #[test]
    fn the_delay_is_a_minute_unless_a_test_shortens_it() {
        assert_eq!(clear_delay(None), DEFAULT_CLEAR_DELAY);
        assert_eq!(clear_delay(Some("3")), Duration::from_secs(3));
        for bad in ["0", "601", "-1", "soon", ""] {
            assert_eq!(clear_delay(Some(bad)), DEFAULT_CLEAR_DELAY, "{bad}");
        }
        assert_eq!(describe_delay(DEFAULT_CLEAR_DELAY), "1 minute");
        assert_eq!(describe_delay(Duration::from_secs(3)), "3 seconds");
        assert_eq!(describe_delay(Duration::from_secs(120)), "2 minutes");
    }
}
