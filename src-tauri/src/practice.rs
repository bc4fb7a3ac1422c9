//! Practice mode: whether the app talks to Zoho or to the local sandbox, and the
//! built-in sandbox the window's switch starts and stops.
//!
//! Practice mode starts one of two ways. At start-up, [`crate::SANDBOX_URL_VAR`] may
//! name a sandbox someone started separately (an *external* one). Or the person flips
//! the switch in the window, and the app runs a sandbox itself, in this process, on a
//! loopback port: [`PRACTICE_PORT`] when it is free, so the addresses people see stay
//! the same from one run to the next, else any free port (and says which).
//!
//! Commands read the current [`ZohoEnv`] often and briefly, so it sits behind a plain
//! lock; switching holds a second, async lock across starting or stopping the server,
//! so two clicks in a row are handled one after the other.

use std::sync::{PoisonError, RwLock};

use serde::Serialize;
use tokio::sync::Mutex;
use zoho_oauth_core::ZohoEnv;
use zoho_sandbox::{Sandbox, SandboxOptions};

use crate::error::AppError;

/// The port the built-in sandbox asks for first, the same one the sandbox's own
/// command line uses by default.
pub const PRACTICE_PORT: u16 = 8765;

/// Where practice mode came from, as the UI explains it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PracticeSource {
    /// Practice mode is off: Zoho's real servers answer.
    Off,
    /// The sandbox the switch started inside the app.
    BuiltIn,
    /// A sandbox started separately and named at start-up by the environment variable.
    External,
}

/// Practice mode as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PracticeView {
    /// True when every request goes to a sandbox instead of Zoho.
    pub on: bool,
    /// How practice mode was switched on.
    pub source: PracticeSource,
    /// The sandbox's address while practice mode is on.
    pub sandbox_url: Option<String>,
    /// Something worth a sentence: the port that was taken instead of the usual one,
    /// or the start-up setting behind an external sandbox.
    pub note: Option<String>,
}

/// What the commands read: the environment in force and how it came about.
#[derive(Clone, Debug)]
struct Current {
    env: ZohoEnv,
    source: PracticeSource,
    note: Option<String>,
}

/// The app's practice-mode state, managed by Tauri.
pub struct PracticeMode {
    current: RwLock<Current>,
    /// The built-in sandbox while it runs. Locked for the whole of a switch, including
    /// the awaits that start and stop the server.
    server: Mutex<Option<Sandbox>>,
    preferred_port: u16,
}

impl PracticeMode {
    /// Practice mode as configured at start-up: `env` is Zoho itself, or an external
    /// sandbox named by the environment variable. The switch's own sandbox asks for
    /// `preferred_port` first.
    pub fn new(env: ZohoEnv, preferred_port: u16) -> Self {
        let (source, note) = match env {
            ZohoEnv::Production => (PracticeSource::Off, None),
            ZohoEnv::Sandbox { .. } => (
                PracticeSource::External,
                // The variable's name is in the README; the header has room for a line.
                Some("Set at start-up.".to_owned()),
            ),
        };
        Self {
            current: RwLock::new(Current { env, source, note }),
            server: Mutex::new(None),
            preferred_port,
        }
    }

    /// The environment every command uses right now.
    pub fn env(&self) -> ZohoEnv {
        self.read().env
    }

    /// Practice mode as the UI shows it.
    pub fn view(&self) -> PracticeView {
        let current = self.read();
        let sandbox_url = match &current.env {
            ZohoEnv::Production => None,
            ZohoEnv::Sandbox { base } => Some(base.clone()),
        };
        PracticeView {
            on: sandbox_url.is_some(),
            source: current.source,
            sandbox_url,
            note: current.note,
        }
    }

    /// Switches practice mode on (starting the built-in sandbox) or off (stopping it,
    /// or leaving an external one alone, and going back to Zoho). Asking for the state
    /// already in force changes nothing.
    ///
    /// # Errors
    /// [`AppError::PracticeUnavailable`] when the sandbox cannot listen on any port;
    /// the app then stays with Zoho itself.
    pub async fn switch(&self, on: bool) -> Result<PracticeView, AppError> {
        let mut server = self.server.lock().await;
        if on == self.read().env.is_sandbox() {
            return Ok(self.view());
        }
        if on {
            let (sandbox, note) = start_sandbox(self.preferred_port).await?;
            self.write(Current {
                env: ZohoEnv::sandbox(sandbox.base_url()),
                source: PracticeSource::BuiltIn,
                note,
            });
            *server = Some(sandbox);
        } else {
            // Zoho first, so no command sends anything to a server that is going away.
            self.write(Current {
                env: ZohoEnv::Production,
                source: PracticeSource::Off,
                note: None,
            });
            if let Some(sandbox) = server.take() {
                sandbox.shutdown().await;
            }
        }
        Ok(self.view())
    }

    fn read(&self) -> Current {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn write(&self, current: Current) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = current;
    }
}

/// Starts the sandbox on `preferred` (127.0.0.1 only), or on any free port when that
/// one is taken, with a sentence saying so.
async fn start_sandbox(preferred: u16) -> Result<(Sandbox, Option<String>), AppError> {
    let at = |port| Sandbox::start(SandboxOptions { port });
    match at(preferred).await {
        Ok(sandbox) => Ok((sandbox, None)),
        Err(busy) => {
            let sandbox = at(0).await.map_err(|err| AppError::PracticeUnavailable {
                reason: err.to_string(),
            })?;
            let why = if busy.kind() == std::io::ErrorKind::AddrInUse {
                "is in use by another program"
            } else {
                "could not be used"
            };
            let note = format!(
                "Port {preferred} {why}, so it uses port {} this time.",
                sandbox.port()
            );
            Ok((sandbox, Some(note)))
        }
    }
}
