//! A local emulator of Zoho's accounts server and a little of its APIs, faithful to
//! Zoho's documents: consent page, grant codes that expire and work once, the token
//! endpoint with Zoho's HTTP-200 error bodies, refresh-token limits, the refresh rate
//! limit, revocation, Self Client codes, who is connected, the organizations of Books,
//! Inventory, Invoice, Expense and CRM, and every data center at once, each with its
//! API domain apart, so that a wrong-DC or wrong-host mistake fails as it does at Zoho.
//!
//! Tests start it in-process on an ephemeral loopback port:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};
//!
//! let sandbox = Sandbox::start(SandboxOptions::default()).await?;
//! let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
//! let code = sandbox
//!     .generate_self_client_code(&client.client_id, "ZohoBooks.settings.READ", 3)
//!     .expect("a valid request");
//! // POST {sandbox.accounts_url("us")}/oauth/v2/token with the code ...
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The US accounts server is served at the root (`POST /oauth/v2/token`), every data
//! center's under `/{location}` (`POST /eu/oauth/v2/token`), and each DC's API domain
//! apart from it, under `/api/{location}` (`GET /api/eu/books/v3/organizations`), so
//! that a call sent to the wrong one of the two fails as it does at Zoho. A JSON
//! control API lives under `/sandbox/` and a practice API Console at `/console` and
//! `/{location}/console`.

#![deny(missing_docs)]

mod api_access;
mod client_credentials;
mod clients;
mod clock;
mod consent;
mod dc;
mod device;
mod enhance;
mod error;
mod faults;
mod guard;
mod html;
mod ids;
mod inspect;
mod org_consent;
mod params;
mod payments;
mod product;
mod routes;
mod saved;
mod scopes;
mod self_client;
mod server;
mod state;
mod state_file;
mod throttle;
mod tokens;
mod users;
mod wire_secrets;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clients::{ClientSpec, ClientType, RegisteredClient};
pub use consent::Decision;
pub use error::SandboxError;
pub use faults::{Fault, FaultKind};
pub use inspect::RefreshTokenInfo;
pub use users::{DEMO_EU_USER, DEMO_US_USER};

use dc::Dc;
use state::Shared;

/// Every data center's `location`, in Zoho's order.
pub const LOCATIONS: [&str; 10] = ["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn", "ae"];

/// How to start the sandbox.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SandboxOptions {
    /// The port to listen on at 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// A file to remember clients, refresh and access tokens and the throttles in, so
    /// that a sandbox started again on it carries on where the last one stopped; `None`
    /// (the default) keeps everything in memory only. It is read at start (a damaged
    /// one is moved aside to `NAME.damaged-UNIXSECONDS` and the sandbox starts empty)
    /// and rewritten after every change, readable by its owner only on Unix. Grant
    /// codes and the moved clock are not kept.
    pub state_file: Option<PathBuf>,
}

/// A running sandbox. Dropping it (or [`Sandbox::shutdown`]) stops the server.
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Every secret value that has crossed this sandbox's port so far, in either
    /// direction (client secrets, codes, PKCE verifiers, tokens), for tests that prove a
    /// client never writes one down where it should not.
    pub fn secrets_seen(&self) -> Vec<String> {
        self.shared.wire_secrets.all()
    }

    /// Starts serving on `127.0.0.1:{opts.port}` (loopback only).
    ///
    /// # Errors
    /// The port cannot be bound (most often: it is in use). The error keeps the
    /// underlying [`std::io::ErrorKind`] and names the address.
    pub async fn start(opts: SandboxOptions) -> std::io::Result<Sandbox> {
        let wanted = SocketAddr::from((Ipv4Addr::LOCALHOST, opts.port));
        let listener = TcpListener::bind(wanted).await.map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot listen on {wanted}: {e}"))
        })?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(addr, opts.state_file));
        let router = routes::router(shared.clone());
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::run(listener, router, shared.clone(), stopped));
        tracing::debug!(%addr, "sandbox listening");
        Ok(Sandbox {
            shared,
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The port the sandbox listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// A data center's accounts server: the base URL for `"us"`,
    /// `base_url + "/" + location` for the others. An unknown location is not checked
    /// here; requests to it answer 404.
    pub fn accounts_url(&self, location: &str) -> String {
        match Dc::from_location(location) {
            Some(dc) => self.shared.accounts_url(dc),
            None => format!("{}/{}", self.shared.base_url, location.trim()),
        }
    }

    /// A data center's API domain, as token answers name it in `api_domain`:
    /// `base_url + "/api/" + location`. An unknown location is not checked here;
    /// requests to it answer 404.
    pub fn api_url(&self, location: &str) -> String {
        match Dc::from_location(location) {
            Some(dc) => self.shared.api_url(dc),
            None => format!("{}/api/{}", self.shared.base_url, location.trim()),
        }
    }

    /// The practice API Console of a data center.
    pub fn console_url(&self, location: &str) -> String {
        format!("{}/console", self.accounts_url(location))
    }

    /// Registers a client, as the API Console's "Add Client" does.
    ///
    /// # Panics
    /// When the spec is invalid (see [`Sandbox::try_register_client`]); registering is
    /// test setup, where a mistake should stop the test at once.
    pub fn register_client(&self, spec: ClientSpec) -> RegisteredClient {
        match self.try_register_client(spec) {
            Ok(client) => client,
            Err(error) => panic!("cannot register the sandbox client: {error}"),
        }
    }

    /// Registers a client.
    ///
    /// # Errors
    /// An unknown location; a server-based client without an absolute http(s) redirect
    /// URI; a Self Client whose owner is not a sandbox user.
    pub fn try_register_client(&self, spec: ClientSpec) -> Result<RegisteredClient, SandboxError> {
        self.shared
            .store_mut()
            .register(&spec, None)
            .map(|client| client.credentials())
    }

    /// Generates a Self Client code, as the console's "Generate Code" does. The code
    /// lasts `duration_minutes` on the sandbox clock, works once, and only at the
    /// client's data center.
    ///
    /// # Errors
    /// Unknown client, a client that is not a Self Client, a duration outside 3..=10
    /// minutes, or a malformed scope list.
    pub fn generate_self_client_code(
        &self,
        client_id: &str,
        scope: &str,
        duration_minutes: u32,
    ) -> Result<String, SandboxError> {
        self_client::generate_code(&self.shared, client_id, scope, duration_minutes, None)
            .map(|(code, _)| code)
    }

    /// Answers the consent page of `authorize_url` (a URL of this sandbox) as
    /// `user_email` would, and returns the URL the browser would be redirected to:
    /// with `code`, `state`, `location` and `accounts-server`, or with
    /// `error=access_denied` for [`Decision::Deny`].
    ///
    /// # Errors
    /// Whatever the consent page would show as an error page instead of redirecting:
    /// unknown client, redirect URI not registered exactly, missing or bad parameters,
    /// an unknown user, or an account that cannot sign in at this server (China). A
    /// client not enabled in the user's data center is not among them: the consent
    /// redirects, and that DC's token endpoint answers `invalid_client`.
    pub async fn consent(
        &self,
        authorize_url: &str,
        user_email: &str,
        decision: Decision,
    ) -> Result<String, SandboxError> {
        let (dc, params) = consent::parse_authorize_url(&self.shared, authorize_url)?;
        consent::decide(&self.shared, dc, &params, user_email, decision)
    }

    /// Answers a device flow's verification page as `user_email` would after typing
    /// `user_code` there: the app's next poll gets its tokens (or `other_dc` first, when
    /// the account lives in another DC than the one the app asked), or `access_denied`
    /// for [`Decision::Deny`]. `location` is the DC whose page is used.
    ///
    /// # Errors
    /// An unknown, expired or already decided user code; an unknown user; an account
    /// that cannot sign in at that DC's page (China).
    pub fn device_decision(
        &self,
        location: &str,
        user_code: &str,
        user_email: &str,
        decision: Decision,
    ) -> Result<(), SandboxError> {
        let dc = Dc::from_location(location)
            .ok_or_else(|| SandboxError::UnknownLocation(location.to_owned()))?;
        device::decide(&self.shared, dc, user_code, user_email, decision)
    }

    /// Answers the organization-level consent page of `authorize_url`
    /// (`.../oauth/v2/org/auth?...`) as `user_email` would, for the Payments account
    /// `account_id` (needed when the user administers several), and returns the
    /// redirect URL: with `code`, `location` and `accounts-server`; with
    /// `error=access_denied` for [`Decision::Deny`]; with `error=unauthorized_user` for
    /// a user who is no owner or admin of a Payments account.
    ///
    /// # Errors
    /// What the page would show instead of redirecting: a client that is not an ORG
    /// client, a bad request, an unknown user or account.
    pub async fn consent_org(
        &self,
        authorize_url: &str,
        user_email: &str,
        account_id: Option<&str>,
        decision: Decision,
    ) -> Result<String, SandboxError> {
        let (dc, params) = org_consent::parse_authorize_url(&self.shared, authorize_url)?;
        match org_consent::decide(&self.shared, dc, &params, user_email, account_id, decision)? {
            org_consent::Outcome::Redirect(url) => Ok(url),
            org_consent::Outcome::Refused { redirect, .. } => Ok(redirect),
        }
    }

    /// Answers the `addextrascope` consent page of `url` (a URL of this sandbox), and
    /// returns the URL the browser would be redirected to: with `status=success`, or
    /// `error=access_denied` for [`Decision::Deny`], and `state` when the URL has one.
    ///
    /// # Errors
    /// What the page would show instead of redirecting: unknown client, unregistered
    /// redirect URI, missing or bad parameters, or an enhance token that is unknown,
    /// expired or already used.
    pub fn add_scopes_consent(
        &self,
        url: &str,
        decision: Decision,
    ) -> Result<String, SandboxError> {
        let (dc, params) = enhance::parse_url(&self.shared, url)?;
        enhance::decide(&self.shared, dc, &params, decision)
    }

    /// The live refresh token `refresh_token`: its client, account, data center and
    /// scopes; `None` when it was never issued or has been revoked or deleted.
    pub fn refresh_token_info(&self, refresh_token: &str) -> Option<RefreshTokenInfo> {
        inspect::refresh_token(&self.shared, refresh_token)
    }

    /// How many live refresh tokens `user_email` holds for `client_id`, all DCs together.
    pub fn refresh_token_count(&self, client_id: &str, user_email: &str) -> usize {
        inspect::refresh_token_count(&self.shared, client_id, user_email)
    }

    /// Moves the sandbox clock forward: codes, access tokens, the throttling windows and
    /// lockouts expire as if that much time had passed.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Injects a fault into every route except `/sandbox/*`; replaces an active fault
    /// of the same kind.
    pub fn set_fault(&self, fault: Fault) {
        self.shared.faults.set(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Stops accepting connections and waits (briefly) for requests in flight.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            if let Err(error) = task.await {
                tracing::debug!(%error, "server task ended abnormally");
            }
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_the_data_centers_in_order() {
        let from_dcs: Vec<&str> = Dc::ALL.iter().map(|dc| dc.location()).collect();
        assert_eq!(from_dcs, LOCATIONS);
    }

    #[test]
    fn a_sandbox_can_live_in_shared_application_state() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Sandbox>();
    }
}
