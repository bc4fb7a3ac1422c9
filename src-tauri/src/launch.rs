//! How this run of the app is configured, read once at start-up: Zoho itself, or
//! practice mode against a separately started sandbox when [`SANDBOX_URL_VAR`] names
//! one. (The window's practice-mode switch can change this later; see `practice`.)
//!
//! Practice mode only ever talks to this computer: an address that is not a loopback
//! one is refused rather than trusted with codes and tokens.

use std::path::PathBuf;

use url::Url;
use zoho_oauth_core::ZohoEnv;

use crate::error::AppError;

/// The environment variable that switches on practice mode, e.g.
/// `ZOHO_OAUTH_ASSISTANT_SANDBOX_URL=http://127.0.0.1:8765`.
pub const SANDBOX_URL_VAR: &str = "ZOHO_OAUTH_ASSISTANT_SANDBOX_URL";

/// The environment variable that moves the consent page's redirect to another port
/// (the redirect URI registered in the API Console must then name it), for when another
/// program holds the usual one for good.
pub const REDIRECT_PORT_VAR: &str = "ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT";

/// Start-up configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    /// Zoho itself, or a separately started sandbox named by [`SANDBOX_URL_VAR`].
    pub env: ZohoEnv,
    /// The port the practice-mode switch asks for first ([`crate::practice::PRACTICE_PORT`]).
    pub practice_port: u16,
    /// Where preferences are kept; `None` for `preferences.json` in the platform's
    /// app config folder.
    pub preferences_file: Option<PathBuf>,
    /// The port of the consent page's redirect URI (`http://localhost:PORT/zoho/callback`).
    pub redirect_port: u16,
}

impl Launch {
    /// Reads [`SANDBOX_URL_VAR`] from this process's environment.
    ///
    /// # Errors
    /// [`AppError::InvalidSandboxUrl`] when it is set to anything but a loopback origin.
    pub fn from_process_env() -> Result<Self, AppError> {
        let mut launch = Self::from_sandbox_var(std::env::var(SANDBOX_URL_VAR).ok().as_deref())?;
        if let Ok(value) = std::env::var(REDIRECT_PORT_VAR) {
            launch.redirect_port = redirect_port(&value)?;
        }
        Ok(launch)
    }

    /// Zoho itself when `value` is absent or blank, else practice mode at `value`.
    ///
    /// # Errors
    /// [`AppError::InvalidSandboxUrl`] when `value` is not an `http(s)` origin on this
    /// computer (`127.0.0.1`, `::1` or `localhost`).
    pub fn from_sandbox_var(value: Option<&str>) -> Result<Self, AppError> {
        let env = match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => ZohoEnv::Production,
            Some(value) => ZohoEnv::sandbox(loopback_origin(value).ok_or_else(|| {
                AppError::InvalidSandboxUrl {
                    value: value.to_owned(),
                }
            })?),
        };
        Ok(Self {
            env,
            practice_port: crate::practice::PRACTICE_PORT,
            preferences_file: None,
            redirect_port: zoho_oauth_core::DEFAULT_REDIRECT_PORT,
        })
    }
}

fn redirect_port(value: &str) -> Result<u16, AppError> {
    value
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|port| *port >= 1024)
        .ok_or_else(|| AppError::InvalidRedirectPort {
            value: value.to_owned(),
        })
}

fn loopback_origin(value: &str) -> Option<String> {
    let url = Url::parse(value).ok()?;
    let bare = url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !(matches!(url.scheme(), "http" | "https") && bare) {
        return None;
    }
    let origin = url.origin().ascii_serialization();
    // The core decides what counts as "this computer", so the token client and this
    // start-up check can never disagree.
    ZohoEnv::sandbox(origin.clone())
        .non_local_sandbox_host()
        .is_none()
        .then_some(origin)
}

/// The environment variable that makes the app say on standard error when its first
/// screen has been drawn (for the start-up benchmark and the package check).
pub const REPORT_READY_VAR: &str = "ZOHO_OAUTH_ASSISTANT_REPORT_READY";

static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Remembers when the process started, for [`report_ready`].
pub fn note_start() {
    STARTED.get_or_init(std::time::Instant::now);
}

/// Says on standard error, when [`REPORT_READY_VAR`] is set, how long after the start
/// the first screen was drawn.
pub fn report_ready() {
    if std::env::var_os(REPORT_READY_VAR).is_some_and(|v| !v.is_empty()) {
        let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
        eprintln!("ready after {ms} ms");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_or_blank_means_zoho_itself() {
        for value in [None, Some(""), Some("  ")] {
            let launch = Launch::from_sandbox_var(value).expect("valid");
            assert_eq!(launch.env, ZohoEnv::Production, "{value:?}");
        }
    }

    #[test]
    fn loopback_addresses_switch_on_practice_mode() {
        for (value, base) in [
            ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
            ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
            ("http://localhost:9000", "http://localhost:9000"),
            ("http://[::1]:9000", "http://[::1]:9000"),
        ] {
            let launch = Launch::from_sandbox_var(Some(value)).expect("valid");
            assert_eq!(launch.env, ZohoEnv::sandbox(base), "{value}");
        }
    }

    #[test]
    fn a_redirect_port_must_be_an_unprivileged_port() {
        assert_eq!(redirect_port("28740").ok(), Some(28740));
        assert_eq!(redirect_port(" 50000 ").ok(), Some(50000));
        for bad in ["", "80", "0", "70000", "port"] {
            assert!(matches!(
                redirect_port(bad),
                Err(AppError::InvalidRedirectPort { .. })
            ));
        }
    }

    #[test]
    fn anything_off_this_computer_is_refused() {
        for value in [
            "https://accounts.zoho.com",
            "http://192.168.1.10:8765",
            "http://localhost.example.com:8765",
            "http://127.0.0.1:8765/eu",
            "http://127.0.0.1:8765/?x=1",
            "http://user@127.0.0.1:8765",
            "ftp://127.0.0.1:8765",
            "127.0.0.1:8765",
        ] {
            let err = Launch::from_sandbox_var(Some(value)).expect_err(value);
            assert!(matches!(err, AppError::InvalidSandboxUrl { .. }), "{value}");
        }
    }
}
