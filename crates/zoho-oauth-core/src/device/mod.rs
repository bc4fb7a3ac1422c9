//! Zoho's device flow, for when no browser on this computer can reach a redirect: a
//! support person on the phone with a customer, a firm whose firewall or remote desktop
//! rules out a loopback listener. The app asks for a short user code, the person types
//! it at Zoho's address on any device and approves, and the app polls until the tokens
//! come.
//!
//! Zoho's flow is not RFC 8628's by name: `POST {accounts}/oauth/v3/device/code` with
//! `grant_type=device_request`, then `POST {accounts}/oauth/v3/device/token` with
//! `grant_type=device_token&code=<device code>`. A poll that comes sooner than the
//! `interval` Zoho named gets `slow_down`, so [`DeviceFlow::wait`] waits the whole
//! interval before every poll (longer after a `slow_down`, never shorter). When the
//! account that approved lives in another data center, Zoho answers `other_dc` with
//! `user_location`, and the polling moves there, as the consent flow's exchange does.

mod answer;
mod pause;

use std::time::Duration;

use tokio::sync::watch;

pub use pause::{Pause, RealPause};

use self::answer::{codes_from, poll_answer, PollAnswer};
use crate::client::ClientCredentials;
use crate::datacenter::DataCenter;
use crate::error::{safe_code, Error, Result};
use crate::secret::DeviceCode;
use crate::token::{Context, Grant, TokenClient, Tokens};

/// The longest interval the app accepts as Zoho's when none is given: Zoho's figure.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
/// The least time between polls, whatever an answer says.
const MIN_INTERVAL: Duration = Duration::from_secs(5);
/// How much longer to wait after each `slow_down` (RFC 8628 section 3.5).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// A started device flow: what the person must see, and what the app keeps to poll.
#[derive(Clone, Debug)]
pub struct DeviceAuthorization {
    /// The short code the person types at [`DeviceAuthorization::verification_url`];
    /// not a secret on its own (it grants nothing without the person's approval).
    pub user_code: String,
    /// Zoho's page where the code is typed, checked to be a Zoho accounts server.
    pub verification_url: String,
    /// The same page with the code filled in, when Zoho names one (checked likewise).
    pub verification_url_complete: Option<String>,
    /// How long the codes stay valid from the moment Zoho answered.
    pub expires_in: Duration,
    /// The least time between two polls, as Zoho named it.
    pub interval: Duration,
    /// The data center the flow was started at.
    pub dc: DataCenter,
    device_code: DeviceCode,
    client: ClientCredentials,
}

/// What happened while waiting, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceProgress {
    /// Zoho said nobody has approved yet.
    Waiting {
        /// Time waited since the flow started.
        waited: Duration,
    },
    /// Zoho asked the app to poll less often; it now waits `interval` between polls.
    SlowedDown {
        /// The new interval.
        interval: Duration,
    },
    /// The account that approved lives in `dc`; the polling moved there.
    MovedTo {
        /// The account's data center.
        dc: DataCenter,
    },
}

/// Stops a [`DeviceFlow::wait`] from another task.
#[derive(Clone, Debug)]
pub struct DeviceCancel(watch::Sender<bool>);

impl Default for DeviceCancel {
    fn default() -> Self {
        Self(watch::channel(false).0)
    }
}

impl DeviceCancel {
    /// A handle that has not been used.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the wait it was given to return [`Error::Cancelled`] at once.
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }

    /// True when both handles stop the same wait.
    pub fn same_as(&self, other: &Self) -> bool {
        self.0.same_channel(&other.0)
    }

    async fn cancelled(&self) {
        let mut rx = self.0.subscribe();
        // The sender lives in `self`, so the channel cannot close while this waits.
        let _ = rx.wait_for(|cancelled| *cancelled).await;
    }
}

/// The device flow over one [`TokenClient`] (its environment, limits and clock).
#[derive(Clone, Debug)]
pub struct DeviceFlow {
    tokens: TokenClient,
}

impl DeviceFlow {
    /// The flow for the environment of `tokens`.
    pub fn new(tokens: TokenClient) -> Self {
        Self { tokens }
    }

    /// Asks `dc`'s accounts server for a user code and a device code for `scopes`,
    /// with offline access (a refresh token).
    ///
    /// # Errors
    /// [`Error::NotADeviceClient`] for a client of another type,
    /// [`Error::InvalidClient`], [`Error::UntrustedHost`] when the page Zoho names is
    /// not one of its accounts servers, and the transport errors.
    pub async fn start(
        &self,
        dc: DataCenter,
        client: &ClientCredentials,
        scopes: &[String],
    ) -> Result<DeviceAuthorization> {
        let scope = scopes.join(",");
        let form = [
            ("client_id", client.client_id.trim()),
            ("grant_type", "device_request"),
            ("scope", scope.as_str()),
            ("access_type", "offline"),
        ];
        let answer = self.post(dc, "/oauth/v3/device/code", &form).await?;
        let codes = codes_from(&answer, self.tokens.env(), dc)?;
        tracing::debug!(?dc, interval = ?codes.interval, "device flow started");
        Ok(DeviceAuthorization {
            user_code: codes.user_code,
            verification_url: codes.verification_url,
            verification_url_complete: codes.verification_url_complete,
            expires_in: codes.expires_in,
            interval: codes.interval,
            dc,
            device_code: codes.device_code,
            client: client.clone(),
        })
    }

    /// Polls until the person approves or denies, the code expires, or `cancel` is
    /// used: before every poll it waits the whole interval through `pause`, longer
    /// after a `slow_down`. `progress` hears of every answer that is not the end.
    ///
    /// # Errors
    /// [`Error::DeviceAccessDenied`], [`Error::DeviceCodeExpired`],
    /// [`Error::Cancelled`], [`Error::WrongDataCenter`] when the account's data center
    /// does not accept the client (no Multi-DC), [`Error::DeviceDataCenterUnknown`],
    /// [`Error::NoRefreshToken`], [`Error::InvalidClientSecret`], and the transport
    /// errors.
    pub async fn wait(
        &self,
        auth: &DeviceAuthorization,
        pause: &dyn Pause,
        cancel: &DeviceCancel,
        mut progress: impl FnMut(DeviceProgress) + Send,
    ) -> Result<Tokens> {
        let mut interval = auth.interval.max(MIN_INTERVAL);
        let mut dc = auth.dc;
        let mut waited = Duration::ZERO;
        // Zoho has no reason to move a flow more than once; a second move is a loop.
        let mut moved = false;
        loop {
            tokio::select! {
                () = pause.pause(interval) => {}
                () = cancel.cancelled() => return Err(Error::Cancelled),
            }
            waited += interval;
            let answer = tokio::select! {
                answer = self.poll_once(auth, dc) => answer?,
                () = cancel.cancelled() => return Err(Error::Cancelled),
            };
            match answer {
                PollAnswer::Tokens(tokens) => {
                    tracing::debug!(?dc, "device flow approved");
                    return Ok(tokens);
                }
                PollAnswer::Pending => progress(DeviceProgress::Waiting { waited }),
                PollAnswer::SlowDown => {
                    interval += SLOW_DOWN_STEP;
                    progress(DeviceProgress::SlowedDown { interval });
                }
                PollAnswer::Denied => return Err(Error::DeviceAccessDenied),
                PollAnswer::Expired => return Err(Error::DeviceCodeExpired),
                PollAnswer::OtherDc(location) => {
                    let target = DataCenter::from_location(&location)
                        .filter(|target| *target != dc && !moved)
                        .ok_or_else(|| Error::DeviceDataCenterUnknown {
                            location: safe_code(&location),
                        })?;
                    tracing::debug!(from = ?dc, to = ?target, "device flow moves to the account's data center");
                    moved = true;
                    dc = target;
                    progress(DeviceProgress::MovedTo { dc });
                }
            }
            // Zoho says `expired` itself; this only ends a wait on a server that never
            // does, one interval after the codes' time is up.
            if waited > auth.expires_in + interval {
                return Err(Error::DeviceCodeExpired);
            }
        }
    }

    async fn poll_once(&self, auth: &DeviceAuthorization, dc: DataCenter) -> Result<PollAnswer> {
        let client = &auth.client;
        let form = [
            ("client_id", client.client_id.trim()),
            ("client_secret", client.client_secret.expose().trim()),
            ("grant_type", "device_token"),
            ("code", auth.device_code.expose()),
        ];
        let answer = self.post(dc, "/oauth/v3/device/token", &form).await?;
        let ctx = Context {
            env: self.tokens.env(),
            dc,
            client_dc: Some(auth.dc),
            grant: Grant::AuthorizationCode,
            redirect_uri: None,
            now: self.tokens.clock().now(),
        };
        poll_answer(&answer, &ctx)
    }

    /// POSTs `form` as the body to `path` on `dc`'s accounts server, the only host the
    /// client secret or the device code is sent to.
    async fn post(
        &self,
        dc: DataCenter,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<crate::token::Answer> {
        let url = format!("{}{path}", self.tokens.env().endpoints(dc).accounts);
        let http = self.tokens.http();
        http.send(http.client().post(url).form(form)).await
    }
}
