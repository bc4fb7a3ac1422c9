//! Practice mode: whether the app talks to Zoho or to the local sandbox, and the
//! built-in sandbox the window's switch starts and stops.
//!
//! Practice mode starts one of two ways. At start-up, [`crate::SANDBOX_URL_VAR`] may
//! name a sandbox someone started separately (an *external* one). Or the person flips
//! the switch in the window, and the app runs a sandbox itself, in this process, on a
//! loopback port: [`PRACTICE_PORT`] when it is free, so the addresses people see stay
//! the same from one run to the next, else any free port (and says which).
//!
//! The built-in sandbox remembers its clients and tokens in [`PRACTICE_STATE_FILE`] in
//! the app data folder, so that a connection saved while practising still refreshes
//! after the app is closed and opened again, as a real one would. The file holds
//! practice values only, yet only its owner may read it.
//!
//! Commands read the current [`ZohoEnv`] often and briefly, so it sits behind a plain
//! lock; switching holds a second, async lock across starting or stopping the server,
//! so two clicks in a row are handled one after the other.

use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use serde::Serialize;
use tokio::sync::Mutex;
use zoho_oauth_core::ZohoEnv;
use zoho_sandbox::{Sandbox, SandboxOptions};

use crate::error::AppError;

/// The port the built-in sandbox asks for first, the same one the sandbox's own
/// command line uses by default.
pub const PRACTICE_PORT: u16 = 8765;

/// The file in the app data folder the built-in sandbox remembers its records in.
pub const PRACTICE_STATE_FILE: &str = "practice-sandbox.json";

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
    /// Where the built-in sandbox keeps its records; `None` keeps them in memory.
    state_file: RwLock<Option<PathBuf>>,
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
            state_file: RwLock::new(None),
        }
    }

    /// Keeps the built-in sandbox's records in `folder` (the app data folder), from the
    /// next time it starts.
    pub fn place_in(&self, folder: &Path) {
        // Tests on the mock runtime build many apps in one process, and all of them get
        // the same data folder: there a sandbox remembers nothing unless the test names
        // a file of its own.
        if cfg!(test) {
            return;
        }
        self.keep_state_in(folder.join(PRACTICE_STATE_FILE));
    }

    fn keep_state_in(&self, file: PathBuf) {
        *self
            .state_file
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(file);
    }

    fn state_file(&self) -> Option<PathBuf> {
        self.state_file
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
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
            let (sandbox, note) = start_sandbox(self.preferred_port, self.state_file()).await?;
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
/// one is taken, with a sentence saying so. It remembers its records in `state_file`.
async fn start_sandbox(
    preferred: u16,
    state_file: Option<PathBuf>,
) -> Result<(Sandbox, Option<String>), AppError> {
    let at = |port| {
        Sandbox::start(SandboxOptions {
            port,
            state_file: state_file.clone(),
        })
    };
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use zoho_oauth_core::{
        ClientCredentials, ClientSecret, ClientType, DataCenter, GrantCode, SystemClock,
        TokenClient, Tokens,
    };
    use zoho_sandbox::{ClientSpec, DEMO_US_USER};

    use super::*;

    /// Switches the built-in sandbox on, registers a Self Client there and exchanges a
    /// code for its tokens, as a person practising the Self Client way in would.
    async fn practised(practice: &PracticeMode) -> (ClientCredentials, Tokens) {
        practice.switch(true).await.expect("practice mode starts");
        let (registered, code) = {
            let server = practice.server.lock().await;
            let sandbox = server.as_ref().expect("the built-in sandbox runs");
            let registered = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
            let code = sandbox
                .generate_self_client_code(&registered.client_id, "ZohoBooks.settings.READ", 3)
                .expect("a code");
            (registered, code)
        };
        let client = ClientCredentials {
            client_type: ClientType::SelfClient,
            client_id: registered.client_id,
            client_secret: ClientSecret::new(registered.client_secret),
        };
        let tokens = token_client(practice)
            .exchange_self_client_code(DataCenter::Us, &client, &GrantCode::new(code))
            .await
            .expect("the code exchanges");
        (client, tokens)
    }

    fn token_client(practice: &PracticeMode) -> TokenClient {
        TokenClient::new(practice.env(), Arc::new(SystemClock)).expect("an HTTP client")
    }

    #[tokio::test]
    async fn a_practice_connection_still_refreshes_after_the_app_is_opened_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let before = PracticeMode::new(ZohoEnv::Production, 0);
        before.keep_state_in(dir.path().join(PRACTICE_STATE_FILE));
        let (client, tokens) = practised(&before).await;
        before.switch(false).await.expect("practice mode stops");
        drop(before);

        let after = PracticeMode::new(ZohoEnv::Production, 0);
        after.keep_state_in(dir.path().join(PRACTICE_STATE_FILE));
        after
            .switch(true)
            .await
            .expect("practice mode starts again");
        let refresh_token = tokens.refresh_token.expect("a refresh token");
        let refreshed = token_client(&after)
            .refresh(DataCenter::Us, &client, &refresh_token)
            .await;
        assert!(refreshed.is_ok(), "{refreshed:?}");
        after.switch(false).await.expect("practice mode stops");
    }

    #[tokio::test]
    async fn apps_built_by_tests_keep_their_practice_to_themselves() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = PracticeMode::new(ZohoEnv::Production, 0);
        first.place_in(dir.path());
        let (client, tokens) = practised(&first).await;

        let second = PracticeMode::new(ZohoEnv::Production, 0);
        second.place_in(dir.path());
        second.switch(true).await.expect("a second sandbox starts");
        let refresh_token = tokens.refresh_token.expect("a refresh token");
        let refreshed = token_client(&second)
            .refresh(DataCenter::Us, &client, &refresh_token)
            .await;
        assert!(
            refreshed.is_err(),
            "the second app's sandbox knew the first's client"
        );
        assert!(!dir.path().join(PRACTICE_STATE_FILE).exists());
        first.switch(false).await.expect("stops");
        second.switch(false).await.expect("stops");
    }
}
