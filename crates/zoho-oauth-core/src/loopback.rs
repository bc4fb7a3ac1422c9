//! Catches Zoho's redirect back from the consent page on this computer.
//!
//! The redirect URI is `http://localhost:PORT/path` (see [`crate::authorize::RedirectUri`]),
//! and a browser may resolve `localhost` to 127.0.0.1 or to ::1, so the listener opens
//! the same port on both loopback addresses, and nowhere else. It answers exactly one
//! redirect: the first request on the callback path whose `state` is checked, whatever
//! it carries (a code, a refusal, a forged state), finishes the flow, gets a small page
//! telling the person what happened, and closes the listener. Everything else (a
//! browser asking for `/favicon.ico`, a `POST`, a request for another host name) is
//! answered with an error status and ignored, so stray traffic cannot end the flow.
//!
//! The `accounts-server` the redirect names is where the code will be sent, so it must
//! be one of Zoho's accounts servers in the environment in use; anything else is refused
//! before any request is made.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::authorize::{ConsentState, PendingConsent};
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::error::{host_for_message, safe_code, Error, Result, UserFacing};
use crate::secret::GrantCode;

/// How long the listener waits for the browser by default: long enough to sign in to
/// Zoho (perhaps with two-factor authentication), short enough not to keep a port open
/// for a flow the person gave up on.
pub const DEFAULT_LISTENER_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// How long the listener may take to close its connections once it is finished.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Settings of a [`CallbackListener`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenerOptions {
    /// How long [`CallbackListener::wait`] waits for the redirect.
    pub timeout: Duration,
}

impl Default for ListenerOptions {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_LISTENER_TIMEOUT,
        }
    }
}

/// What a successful redirect brought back.
#[derive(Debug)]
pub struct AuthorizationCallback {
    /// The grant code, to be exchanged within about a minute.
    pub code: GrantCode,
    /// The data center the account lives in, from `accounts-server` (or `location`);
    /// the code is exchanged at this DC's accounts server.
    pub account_dc: DataCenter,
}

/// Stops a [`CallbackListener`] from elsewhere (the UI's "Cancel" button).
#[derive(Clone, Debug)]
pub struct CancelHandle(Arc<watch::Sender<bool>>);

impl CancelHandle {
    /// Makes [`CallbackListener::wait`] return [`Error::Cancelled`] and closes the port.
    /// Cancelling a finished listener does nothing.
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }
}

/// A running listener for one redirect. Dropping it closes the port.
#[derive(Debug)]
pub struct CallbackListener {
    port: u16,
    addrs: Vec<SocketAddr>,
    timeout: Duration,
    redirect_uri: String,
    outcome: oneshot::Receiver<Result<AuthorizationCallback>>,
    cancel: CancelHandle,
    shutdown: watch::Sender<bool>,
    servers: Vec<JoinHandle<()>>,
}

impl CallbackListener {
    /// Opens the redirect URI's port of `pending` on 127.0.0.1 and ::1. Call it before
    /// opening the browser, so that a busy port is reported before the user signs in.
    ///
    /// When this computer has no IPv6 loopback, listening on 127.0.0.1 alone is enough
    /// and the flow goes on.
    ///
    /// # Errors
    /// [`Error::PortInUse`] when another program holds the port on either address;
    /// [`Error::ListenerFailed`] when the system refuses for another reason.
    pub async fn bind(pending: &PendingConsent, options: ListenerOptions) -> Result<Self> {
        let redirect = pending.redirect_uri();
        let port = redirect.port();
        let v4 = TcpListener::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port))
            .await
            .map_err(|e| bind_error(port, &e))?;
        let mut listeners = vec![v4];
        match TcpListener::bind(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port)).await {
            Ok(v6) => listeners.push(v6),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => return Err(bind_error(port, &e)),
            Err(e) => tracing::debug!(
                port,
                error = %e,
                "no IPv6 loopback here; listening on 127.0.0.1 only"
            ),
        }
        let addrs = listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect();

        let (outcome_tx, outcome) = oneshot::channel();
        let shared = Arc::new(Shared {
            port,
            path: redirect.path().to_owned(),
            state: pending.state().clone(),
            env: pending.env().clone(),
            consent_dc: pending.consent_dc(),
            outcome: Mutex::new(Some(outcome_tx)),
        });
        let (shutdown, shutdown_rx) = watch::channel(false);
        let router = Router::new().fallback(handle).with_state(shared);
        let servers = listeners
            .into_iter()
            .map(|listener| {
                let mut stop = shutdown_rx.clone();
                let server =
                    axum::serve(listener, router.clone()).with_graceful_shutdown(async move {
                        // A dropped sender means the listener is gone: stop too.
                        let _ = stop.wait_for(|stopped| *stopped).await;
                    });
                tokio::spawn(async move {
                    if let Err(e) = server.await {
                        tracing::debug!(error = %e, "redirect listener stopped with an error");
                    }
                })
            })
            .collect();
        tracing::debug!(port, "listening for Zoho's redirect");
        Ok(Self {
            port,
            addrs,
            timeout: options.timeout,
            redirect_uri: redirect.to_string(),
            outcome,
            cancel: CancelHandle(Arc::new(watch::channel(false).0)),
            shutdown,
            servers,
        })
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The addresses listened on: 127.0.0.1, and ::1 where the system has it.
    pub fn local_addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// A handle that cancels [`CallbackListener::wait`] from another task.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// Waits for the redirect, then closes the port.
    ///
    /// # Errors
    /// [`Error::AccessDenied`] when the user pressed Deny; [`Error::StateMismatch`] for
    /// a redirect that does not belong to this flow; [`Error::UntrustedHost`] when the
    /// redirect names an accounts server that is not Zoho's; [`Error::MissingCode`];
    /// [`Error::Unexpected`] for another error code on the redirect;
    /// [`Error::ListenerTimeout`] after [`ListenerOptions::timeout`];
    /// [`Error::Cancelled`] after [`CancelHandle::cancel`].
    pub async fn wait(mut self) -> Result<AuthorizationCallback> {
        let mut cancelled = self.cancel.0.subscribe();
        let result = tokio::select! {
            outcome = &mut self.outcome => match outcome {
                Ok(result) => result,
                // The servers are gone without an answer; only cancellation does that.
                Err(_) => Err(Error::Cancelled),
            },
            _ = cancelled.wait_for(|c| *c) => Err(Error::Cancelled),
            () = tokio::time::sleep(self.timeout) => Err(Error::ListenerTimeout {
                waited: self.timeout,
                redirect_uri: self.redirect_uri.clone(),
            }),
        };
        self.close().await;
        result
    }

    async fn close(&mut self) {
        self.shutdown.send_replace(true);
        for server in &mut self.servers {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut *server)
                .await
                .is_err()
            {
                server.abort();
            }
        }
        self.servers.clear();
    }
}

impl Drop for CallbackListener {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        for server in &self.servers {
            server.abort();
        }
    }
}

fn bind_error(port: u16, error: &io::Error) -> Error {
    match error.kind() {
        io::ErrorKind::AddrInUse => Error::PortInUse { port },
        reason => Error::ListenerFailed { port, reason },
    }
}

/// What the request handler needs to judge a redirect.
struct Shared {
    port: u16,
    path: String,
    state: ConsentState,
    env: ZohoEnv,
    consent_dc: DataCenter,
    outcome: Mutex<Option<oneshot::Sender<Result<AuthorizationCallback>>>>,
}

impl Shared {
    /// True when the `Host` header names this listener: a web page that rebinds its own
    /// domain name to 127.0.0.1 must not be able to reach the callback.
    fn host_is_ours(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let port = self.port;
        [
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ]
        .iter()
        .any(|ours| host.eq_ignore_ascii_case(ours))
    }

    fn state_matches(&self, received: Option<&str>) -> bool {
        let expected = self.state.expose().as_bytes();
        received.is_some_and(|r| bool::from(r.as_bytes().ct_eq(expected)))
    }

    /// Turns the redirect's query into the flow's result.
    fn judge(&self, query: &str) -> Result<AuthorizationCallback> {
        let mut state = None;
        let mut code = None;
        let mut location = None;
        let mut accounts_server = None;
        let mut error = None;
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match key.as_ref() {
                "state" => &mut state,
                "code" => &mut code,
                "location" => &mut location,
                "accounts-server" => &mut accounts_server,
                "error" => &mut error,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value.into_owned());
            }
        }
        let code = code.map(GrantCode::new);

        // Checked first: without the right state, even "access_denied" is not believed.
        if !self.state_matches(state.as_deref()) {
            return Err(Error::StateMismatch);
        }
        if let Some(error) = error {
            return Err(match error.as_str() {
                "access_denied" => Error::AccessDenied,
                other => Error::Unexpected {
                    code: safe_code(other),
                },
            });
        }
        let code = code.filter(|c| !c.is_empty()).ok_or(Error::MissingCode)?;
        let account_dc =
            match accounts_server {
                Some(server) => self.env.dc_for_accounts_server(&server).ok_or_else(|| {
                    Error::UntrustedHost {
                        host: host_for_message(&server),
                    }
                })?,
                None => location
                    .as_deref()
                    .and_then(DataCenter::from_location)
                    .unwrap_or(self.consent_dc),
            };
        Ok(AuthorizationCallback { code, account_dc })
    }

    /// Hands `result` to the waiting flow. False when a redirect already finished it.
    fn finish(&self, result: Result<AuthorizationCallback>) -> bool {
        let sender = self
            .outcome
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        match sender {
            Some(sender) => {
                // The waiting side may have timed out meanwhile; nothing else to do then.
                let _ = sender.send(result);
                true
            }
            None => false,
        }
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    let (method, uri, headers) = (request.method(), request.uri(), request.headers());
    if !shared.host_is_ours(headers) || uri.path() != shared.path {
        return plain(StatusCode::NOT_FOUND, "Not found");
    }
    if method != Method::GET {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET"));
        return response;
    }
    callback(&shared, uri)
}

fn callback(shared: &Shared, uri: &Uri) -> Response {
    let result = shared.judge(uri.query().unwrap_or(""));
    let page = match &result {
        Ok(_) => Page {
            status: StatusCode::OK,
            // Not "connected" yet: the code still has to be exchanged, which can fail.
            title: "Signed in",
            message: "Zoho has answered and the assistant is finishing the connection. You can \
                      close this tab and go back to the assistant."
                .to_owned(),
            hint: None,
        },
        Err(error) => Page {
            status: StatusCode::BAD_REQUEST,
            title: "Not connected",
            message: error.to_string(),
            hint: Some(format!(
                "{} You can close this tab and go back to the assistant.",
                error.hint()
            )),
        },
    };
    if let Err(error) = &result {
        tracing::debug!(kind = error.kind(), "redirect refused");
    }
    if shared.finish(result) {
        page.into_response()
    } else {
        Page {
            status: StatusCode::GONE,
            title: "Already finished",
            message: "This sign-in has already finished. You can close this tab and go back \
                      to the assistant."
                .to_owned(),
            hint: None,
        }
        .into_response()
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    harden(response.headers_mut());
    response
}

/// Headers for every answer: nothing cached (the URL held a code), no referrer sent
/// anywhere, nothing loaded from outside the page.
fn harden(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// The small page the browser shows after the redirect.
struct Page {
    status: StatusCode,
    title: &'static str,
    message: String,
    hint: Option<String>,
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let hint = self
            .hint
            .map(|h| format!("<p class=\"hint\">{}</p>", escape(&h)))
            .unwrap_or_default();
        let html = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} - Zoho OAuth Assistant</title><style>\
             body{{font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;background:#f4f6f8;\
             color:#1f2933;display:flex;min-height:100vh;margin:0;align-items:center;\
             justify-content:center}}\
             main{{background:#fff;border-radius:12px;padding:2rem 2.5rem;max-width:32rem;\
             box-shadow:0 2px 12px rgba(0,0,0,.08)}}\
             h1{{font-size:1.4rem;margin-top:0}}p{{line-height:1.5}}.hint{{color:#52606d}}\
             </style></head><body><main><h1>{title}</h1><p>{message}</p>{hint}</main></body></html>\n",
            title = escape(self.title),
            message = escape(&self.message),
        );
        let mut response = (self.status, html).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        harden(headers);
        response
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authorize::RedirectUri;
    use crate::client::{ClientCredentials, ClientType};
    use crate::secret::ClientSecret;

    fn pending(env: &ZohoEnv) -> PendingConsent {
        PendingConsent::start(
            env,
            DataCenter::Us,
            ClientCredentials {
                client_type: ClientType::ServerBased,
                client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".into(),
                client_secret: ClientSecret::new("0123456789abcdef0123456789abcdef01234567ab"),
            },
            &["ZohoBooks.settings.READ"],
            RedirectUri::on_port(28739).unwrap(),
        )
        .unwrap()
    }

    fn shared(pending: &PendingConsent) -> Shared {
        Shared {
            port: 28739,
            path: "/zoho/callback".into(),
            state: pending.state().clone(),
            env: pending.env().clone(),
            consent_dc: pending.consent_dc(),
            outcome: Mutex::new(None),
        }
    }

    fn query(pairs: &[(&str, &str)]) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    #[test]
    fn a_good_redirect_names_the_accounts_dc() {
        let pending = pending(&ZohoEnv::Production);
        let shared = shared(&pending);
        let state = pending.state().expose();
        let callback = shared
            .judge(&query(&[
                ("state", state),
                ("code", "1000.abc.def"),
                ("location", "eu"),
                ("accounts-server", "https://accounts.zoho.eu"),
            ]))
            .unwrap();
        assert_eq!(callback.account_dc, DataCenter::Eu);
        assert_eq!(callback.code.expose(), "1000.abc.def");

        // Without accounts-server, `location` decides; without either, the consent DC.
        let by_location = shared
            .judge(&query(&[
                ("state", state),
                ("code", "c"),
                ("location", "in"),
            ]))
            .unwrap();
        assert_eq!(by_location.account_dc, DataCenter::In);
        let fallback = shared
            .judge(&query(&[("state", state), ("code", "c")]))
            .unwrap();
        assert_eq!(fallback.account_dc, DataCenter::Us);
    }

    #[test]
    fn forged_or_foreign_redirects_are_refused() {
        let pending = pending(&ZohoEnv::Production);
        let shared = shared(&pending);
        let state = pending.state().expose();
        let wrong_state = format!("{}x", &state[..state.len() - 1]);
        for q in [
            query(&[("code", "c")]),
            query(&[("state", &wrong_state), ("code", "c")]),
            query(&[("state", ""), ("code", "c")]),
            query(&[("state", "short"), ("error", "access_denied")]),
        ] {
            assert!(matches!(shared.judge(&q), Err(Error::StateMismatch)), "{q}");
        }
        let spoofed = shared.judge(&query(&[
            ("state", state),
            ("code", "c"),
            (
                "accounts-server",
                "https://accounts.zoho.eu.evil.example/path?x=1",
            ),
        ]));
        match spoofed {
            Err(Error::UntrustedHost { host }) => assert_eq!(host, "accounts.zoho.eu.evil.example"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            shared.judge(&query(&[("state", state), ("error", "access_denied")])),
            Err(Error::AccessDenied)
        ));
        assert!(matches!(
            shared.judge(&query(&[("state", state), ("code", "")])),
            Err(Error::MissingCode)
        ));
        match shared.judge(&query(&[("state", state), ("error", "1000.secret.value")])) {
            Err(Error::Unexpected { code }) => assert!(!code.contains("secret")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn only_our_host_names_are_served() {
        let pending = pending(&ZohoEnv::Production);
        let shared = shared(&pending);
        let with_host = |h: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_str(h).unwrap());
            headers
        };
        assert!(shared.host_is_ours(&with_host("localhost:28739")));
        assert!(shared.host_is_ours(&with_host("127.0.0.1:28739")));
        assert!(shared.host_is_ours(&with_host("[::1]:28739")));
        assert!(!shared.host_is_ours(&with_host("evil.example:28739")));
        assert!(!shared.host_is_ours(&with_host("localhost:1234")));
        assert!(!shared.host_is_ours(&HeaderMap::new()));
    }

    #[test]
    fn pages_escape_what_they_show() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
