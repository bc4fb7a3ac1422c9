//! "Approve on another device": Zoho's device flow in the window. The person (or a
//! customer on the phone) types a short code at Zoho's address on any device; the app
//! waits at the interval Zoho demands and keeps the tokens in the wizard, where the test,
//! the save and a regeneration find them as they find the consent page's.
//!
//! The device code stays here; the UI gets the user code, the address, and the times.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::Mutex;
use zoho_oauth_core::device::DeviceCancel;
use zoho_oauth_core::{
    DataCenter, DeviceFlow, DeviceProgress, RealPause, SystemClock, TokenClient, ZohoEnv,
};

use crate::error::{AppError, CommandError};
use crate::wizard::{TokensView, Wizard};

/// A started device flow, as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceStarted {
    /// The code to type at Zoho's page (not a secret on its own).
    pub user_code: String,
    /// Zoho's page where the code is typed, short enough to read out.
    pub verification_url: String,
    /// How long the code stays valid, in seconds.
    pub expires_in_seconds: u64,
    /// How often the assistant asks Zoho, in seconds.
    pub interval_seconds: u64,
}

/// What happens while the code waits for approval, sent to the UI as it happens.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum DeviceEvent {
    /// Still waiting; sent every second.
    Waiting {
        /// Seconds since the code was shown.
        elapsed_seconds: u64,
        /// Seconds the code stays valid in all.
        expires_in_seconds: u64,
    },
    /// Zoho asked the assistant to ask less often.
    SlowedDown {
        /// Seconds between two questions from now on.
        interval_seconds: u64,
    },
    /// The account that approved lives in another data center; the assistant asks there.
    Moved {
        /// The account's data center.
        dc: DataCenter,
        /// Its name, as people know it ("Europe").
        dc_name: &'static str,
    },
    /// The tokens arrived.
    Connected {
        /// The tokens, masked.
        tokens: TokensView,
    },
    /// Denied, expired, cancelled, or refused by Zoho: in plain words.
    Failed {
        /// What went wrong and what to do.
        problem: CommandError,
    },
}

#[derive(Default)]
struct Running {
    cancel: Option<DeviceCancel>,
    verification_url: Option<String>,
    env: Option<ZohoEnv>,
}

/// The device flow under way, if any, managed by Tauri.
#[derive(Default)]
pub struct DeviceFlows {
    running: Arc<Mutex<Running>>,
}

impl DeviceFlows {
    /// Asks Zoho for a code for the wizard's client and waits for its approval in the
    /// background: `on_event` hears every second of the wait and the outcome. A flow
    /// already waiting is stopped first: only the newest code is worth approving.
    ///
    /// # Errors
    /// [`AppError::NoClient`], [`AppError::EnvironmentChanged`]; the core's
    /// `NotADeviceClient`, `InvalidClient` and network errors.
    pub async fn start(
        &self,
        wizard: &Wizard,
        env: ZohoEnv,
        scopes: Vec<String>,
        on_event: impl Fn(DeviceEvent) + Send + Sync + 'static,
    ) -> Result<DeviceStarted, AppError> {
        self.cancel().await;
        let (dc, client) = wizard.registered_client(&env).await?;
        let flow = DeviceFlow::new(TokenClient::new(env.clone(), Arc::new(SystemClock))?);
        let auth = flow.start(dc, &client, &scopes).await?;
        let expires_in_seconds = auth.expires_in.as_secs();
        let started = DeviceStarted {
            user_code: auth.user_code.clone(),
            verification_url: auth.verification_url.clone(),
            expires_in_seconds,
            interval_seconds: auth.interval.as_secs(),
        };
        let cancel = DeviceCancel::new();
        *self.running.lock().await = Running {
            cancel: Some(cancel.clone()),
            // The browser on this computer gets the page with the code filled in; people
            // reading the address out get the short one.
            verification_url: Some(
                auth.verification_url_complete
                    .clone()
                    .unwrap_or_else(|| auth.verification_url.clone()),
            ),
            env: Some(env),
        };

        let on_event = Arc::new(on_event);
        let running = self.running.clone();
        let wizard_tokens = wizard.clone_handle();
        tokio::spawn(async move {
            let shown = Instant::now();
            let ticker = {
                let on_event = on_event.clone();
                tokio::spawn(async move {
                    let mut every = tokio::time::interval(Duration::from_secs(1));
                    loop {
                        every.tick().await;
                        on_event(DeviceEvent::Waiting {
                            elapsed_seconds: shown.elapsed().as_secs(),
                            expires_in_seconds,
                        });
                    }
                })
            };
            let progress = {
                let on_event = on_event.clone();
                move |p: DeviceProgress| match p {
                    DeviceProgress::Waiting { .. } => {}
                    DeviceProgress::SlowedDown { interval } => on_event(DeviceEvent::SlowedDown {
                        interval_seconds: interval.as_secs(),
                    }),
                    DeviceProgress::MovedTo { dc } => on_event(DeviceEvent::Moved {
                        dc,
                        dc_name: dc.name(),
                    }),
                }
            };
            let outcome = flow.wait(&auth, &RealPause, &cancel, progress).await;
            ticker.abort();
            {
                let mut running = running.lock().await;
                // A newer flow may have replaced this one meanwhile; leave it alone.
                if running.cancel.as_ref().is_some_and(|c| c.same_as(&cancel)) {
                    *running = Running::default();
                }
            }
            match outcome {
                Ok(tokens) => {
                    let view = wizard_tokens.keep_tokens(tokens).await;
                    on_event(DeviceEvent::Connected { tokens: view });
                }
                Err(err) => on_event(DeviceEvent::Failed {
                    problem: CommandError::from(AppError::from(err)),
                }),
            }
        });
        Ok(started)
    }

    /// Stops waiting; the flow ends with "cancelled".
    pub async fn cancel(&self) {
        if let Some(cancel) = self.running.lock().await.cancel.take() {
            cancel.cancel();
        }
    }

    /// The page of the code waiting for approval and the environment it belongs to, to
    /// open in the browser.
    ///
    /// # Errors
    /// [`AppError::NoDeviceCode`] when no code is waiting.
    pub async fn page(&self) -> Result<(String, ZohoEnv), AppError> {
        let running = self.running.lock().await;
        match (&running.verification_url, &running.env) {
            (Some(url), Some(env)) => Ok((url.clone(), env.clone())),
            _ => Err(AppError::NoDeviceCode),
        }
    }
}
