//! Catches Zoho's redirect back from the consent page on this computer.
//!
//! The redirect URI is `http://localhost:PORT/path` (see [`crate::authorize::RedirectUri`]),
//! and a browser may resolve `localhost` to 127.0.0.1 or to ::1, so the listener opens
//! the same port on both loopback addresses, and nowhere else. It answers exactly one
//! redirect: the first request on the callback path that carries this flow's `state`,
//! whatever else it carries (a code, a refusal, an untrusted accounts server), finishes
//! the flow, gets a small page telling the person what happened, and closes the
//! listener. Everything else is refused and the listener keeps waiting, so that stray
//! or hostile traffic (any web page can make the browser request a `localhost` URL)
//! cannot end the flow:
//!
//! - a request on the callback path with another `state`, none, or a query that could
//!   be read two ways gets a 400 page (`redirect.rs`); how many were refused is told if
//!   the listener then times out;
//! - another path, method or host name gets a bare 404 or 405; a head that is not
//!   strictly well-formed HTTP/1.1 (two `Host` headers among others) a 400, one that is
//!   too large a 431 (`request.rs`);
//! - connections are bounded in number, in the time to send their head and in size, and
//!   all of them are closed when the flow ends or is cancelled (`connections.rs`).
//!
//! The `accounts-server` the redirect names is where the code will be sent, so it must
//! be one of Zoho's accounts servers in the environment in use; anything else is refused
//! before any request is made.

mod connections;
mod page;
mod redirect;
mod request;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::authorize::{PendingConsent, RedirectUri};
use crate::datacenter::DataCenter;
use crate::enhance::ScopeEnhancement;
use crate::error::{Error, Result, UserFacing};
use crate::secret::GrantCode;

use page::{Page, Status};
use redirect::{Expected, Verdict};
use request::{HeadError, RequestHead};

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

/// A running listener for one redirect. Dropping it closes the port and every
/// connection.
#[derive(Debug)]
pub struct CallbackListener {
    port: u16,
    addrs: Vec<SocketAddr>,
    timeout: Duration,
    redirect_uri: String,
    outcome: oneshot::Receiver<Result<Redirected>>,
    cancel: CancelHandle,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
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
        let expected = Expected {
            state: pending.state().clone(),
            env: pending.env().clone(),
            consent_dc: pending.consent_dc(),
        };
        Self::bind_expecting(pending.redirect_uri(), expected, Answer::Code, options).await
    }

    /// As [`CallbackListener::bind`], for the way back from Zoho's page that adds
    /// scopes to a refresh token; wait for it with [`CallbackListener::wait_scopes_added`].
    ///
    /// # Errors
    /// As [`CallbackListener::bind`].
    pub async fn bind_scope_enhancement(
        pending: &ScopeEnhancement,
        options: ListenerOptions,
    ) -> Result<Self> {
        let expected = Expected {
            state: pending.state().clone(),
            env: pending.env().clone(),
            consent_dc: pending.dc(),
        };
        Self::bind_expecting(
            pending.redirect_uri(),
            expected,
            Answer::ScopesAdded,
            options,
        )
        .await
    }

    async fn bind_expecting(
        redirect: &RedirectUri,
        expected: Expected,
        answer: Answer,
        options: ListenerOptions,
    ) -> Result<Self> {
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
            expected,
            answer,
            outcome: Mutex::new(Some(outcome_tx)),
            refused: AtomicU32::new(0),
        });
        let (shutdown, stop) = watch::channel(false);
        let server = tokio::spawn(connections::accept_loop(listeners, shared.clone(), stop));
        tracing::debug!(port, "listening for Zoho's redirect");
        Ok(Self {
            port,
            addrs,
            timeout: options.timeout,
            redirect_uri: redirect.to_string(),
            outcome,
            cancel: CancelHandle(Arc::new(watch::channel(false).0)),
            shared,
            shutdown,
            server: Some(server),
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

    /// Waits for the redirect that carries this flow's `state`, then closes the port
    /// and every connection. Requests without it are refused and do not end the wait.
    ///
    /// # Errors
    /// [`Error::AccessDenied`] when the user pressed Deny; [`Error::UntrustedHost`] when
    /// the redirect names an accounts server that is not Zoho's; [`Error::MissingCode`];
    /// [`Error::Unexpected`] for another error code on the redirect;
    /// [`Error::ListenerTimeout`] after [`ListenerOptions::timeout`], with the number of
    /// requests refused meanwhile; [`Error::Cancelled`] after [`CancelHandle::cancel`].
    pub async fn wait(self) -> Result<AuthorizationCallback> {
        match self.wait_redirect().await? {
            Redirected::Code(callback) => Ok(callback),
            // Only a listener bound for a scope enhancement hears this.
            Redirected::ScopesAdded => Err(Error::MissingCode),
        }
    }

    /// Waits for the redirect back from Zoho's page that adds scopes (see
    /// [`CallbackListener::bind_scope_enhancement`]), as [`CallbackListener::wait`] does.
    ///
    /// # Errors
    /// As [`CallbackListener::wait`]; [`Error::Unexpected`] when the redirect says
    /// neither success nor a known refusal.
    pub async fn wait_scopes_added(self) -> Result<()> {
        match self.wait_redirect().await? {
            Redirected::ScopesAdded => Ok(()),
            // Only a listener bound for a consent flow hears this.
            Redirected::Code(_) => Err(Error::Unexpected {
                code: "code".to_owned(),
            }),
        }
    }

    async fn wait_redirect(mut self) -> Result<Redirected> {
        let mut cancelled = self.cancel.0.subscribe();
        let result = tokio::select! {
            outcome = &mut self.outcome => match outcome {
                Ok(result) => result,
                // The server is gone without an answer; only cancellation does that.
                Err(_) => Err(Error::Cancelled),
            },
            _ = cancelled.wait_for(|c| *c) => Err(Error::Cancelled),
            () = tokio::time::sleep(self.timeout) => Err(Error::ListenerTimeout {
                waited: self.timeout,
                redirect_uri: self.redirect_uri.clone(),
                refused: self.shared.refused.load(Ordering::Relaxed),
            }),
        };
        self.close().await;
        result
    }

    /// Stops accepting and waits until every connection is closed.
    async fn close(&mut self) {
        self.shutdown.send_replace(true);
        if let Some(mut server) = self.server.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut server)
                .await
                .is_err()
            {
                server.abort();
            }
        }
    }
}

impl Drop for CallbackListener {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        // Aborting the accept loop drops its `JoinSet`, which aborts every connection.
        if let Some(server) = &self.server {
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

/// What every connection needs to answer its request.
#[derive(Debug)]
struct Shared {
    port: u16,
    path: String,
    expected: Expected,
    answer: Answer,
    outcome: Mutex<Option<oneshot::Sender<Result<Redirected>>>>,
    /// Requests on the callback path refused as not this flow's (wrong or no `state`,
    /// ambiguous query).
    refused: AtomicU32,
}

/// An answer to write, and the flow's result to hand over once it is written.
struct Reply {
    bytes: Vec<u8>,
    finish: Option<Finish>,
}

impl Reply {
    fn only(bytes: Vec<u8>) -> Self {
        Reply {
            bytes,
            finish: None,
        }
    }
}

/// The flow's result, claimed by the one request allowed to end it.
struct Finish {
    sender: oneshot::Sender<Result<Redirected>>,
    result: Result<Redirected>,
}

/// Which answer the listener waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// A grant code from the consent page.
    Code,
    /// The word that scopes were added to a refresh token.
    ScopesAdded,
}

/// What a redirect that ends the flow brought.
#[derive(Debug)]
enum Redirected {
    Code(AuthorizationCallback),
    ScopesAdded,
}

impl Finish {
    fn deliver(self) {
        // The waiting side may have timed out meanwhile; nothing else to do then.
        let _ = self.sender.send(self.result);
    }
}

impl Shared {
    /// True when the `Host` header names this listener: a web page that rebinds its own
    /// domain name to 127.0.0.1 must not be able to reach the callback.
    fn host_is_ours(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
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

    /// What to answer to a request head (or to the reason it could not be read).
    fn reply(&self, head: std::result::Result<RequestHead, HeadError>) -> Reply {
        let head = match head {
            Ok(head) => head,
            Err(HeadError::TooLarge) => {
                tracing::debug!("refused an oversized request");
                return Reply::only(page::plain(Status::HeadersTooLarge, "Request too large"));
            }
            Err(HeadError::Malformed(reason)) => {
                tracing::debug!(reason, "refused a malformed request");
                return Reply::only(page::plain(Status::BadRequest, "Bad request"));
            }
        };
        if !self.host_is_ours(head.host.as_deref()) || head.path != self.path {
            return Reply::only(page::plain(Status::NotFound, "Not found"));
        }
        if head.method != "GET" {
            return Reply::only(page::plain(Status::MethodNotAllowed, "Method not allowed"));
        }
        let verdict = match self.answer {
            Answer::Code => self.expected.judge(&head.query),
            Answer::ScopesAdded => self.expected.judge_scopes_added(&head.query),
        };
        match verdict {
            Verdict::Finish(result) => self.finish(result.map(Redirected::Code)),
            Verdict::ScopesAdded(result) => self.finish(result.map(|()| Redirected::ScopesAdded)),
            Verdict::WrongState => {
                self.refused.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("refused a redirect with another state");
                Reply::only(still_waiting(Error::StateMismatch.to_string()))
            }
            Verdict::Malformed(reason) => {
                self.refused.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(reason, "refused an ambiguous redirect");
                Reply::only(still_waiting(
                    "The answer that came back to the app could be read more than one way, \
                     so it was ignored."
                        .to_owned(),
                ))
            }
        }
    }

    /// Claims the flow's result for this request; a later one hears it is over.
    fn finish(&self, result: Result<Redirected>) -> Reply {
        let sender = self
            .outcome
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        let Some(sender) = sender else {
            return Reply::only(
                Page {
                    status: Status::Gone,
                    title: "Already finished",
                    message: "This sign-in has already finished. You can close this tab and \
                              go back to the assistant."
                        .to_owned(),
                    hint: None,
                }
                .into_bytes(),
            );
        };
        let page = match &result {
            Ok(Redirected::ScopesAdded) => Page {
                status: Status::Ok,
                title: "Permissions added",
                message: "Zoho has added the permissions to the connection. You can close \
                          this tab and go back to the assistant."
                    .to_owned(),
                hint: None,
            },
            Ok(Redirected::Code(_)) => Page {
                status: Status::Ok,
                // Not "connected" yet: the code still has to be exchanged, which can fail.
                title: "Signed in",
                message: "Zoho has answered and the assistant is finishing the connection. \
                          You can close this tab and go back to the assistant."
                    .to_owned(),
                hint: None,
            },
            Err(error) => {
                tracing::debug!(kind = error.kind(), "redirect refused");
                Page {
                    status: Status::BadRequest,
                    title: "Not connected",
                    message: error.to_string(),
                    hint: Some(format!(
                        "{} You can close this tab and go back to the assistant.",
                        error.hint()
                    )),
                }
            }
        };
        Reply {
            bytes: page.into_bytes(),
            finish: Some(Finish { sender, result }),
        }
    }
}

/// The page for a request that was refused while the real sign-in goes on.
fn still_waiting(message: String) -> Vec<u8> {
    Page {
        status: Status::BadRequest,
        title: "Not this sign-in",
        message,
        hint: Some(
            "The assistant is still waiting for the sign-in it started: finish it in the \
             browser tab the assistant opened, or start again from the assistant."
                .to_owned(),
        ),
    }
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authorize::RedirectUri;
    use crate::client::{ClientCredentials, ClientType};
    use crate::datacenter::ZohoEnv;
    use crate::secret::ClientSecret;

    pub(super) fn shared() -> Shared {
        let pending = PendingConsent::start(
            &ZohoEnv::Production,
            DataCenter::Us,
            ClientCredentials {
                client_type: ClientType::ServerBased,
                client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".into(),
                client_secret: ClientSecret::new("0123456789abcdef0123456789abcdef01234567ab"),
            },
            &["ZohoBooks.settings.READ"],
            RedirectUri::on_port(28739).unwrap(),
        )
        .unwrap();
        Shared {
            port: 28739,
            path: "/zoho/callback".into(),
            expected: Expected {
                state: pending.state().clone(),
                env: pending.env().clone(),
                consent_dc: pending.consent_dc(),
            },
            answer: Answer::Code,
            outcome: Mutex::new(None),
            refused: AtomicU32::new(0),
        }
    }

    #[test]
    fn only_our_host_names_are_served() {
        let shared = shared();
        assert!(shared.host_is_ours(Some("localhost:28739")));
        assert!(shared.host_is_ours(Some("127.0.0.1:28739")));
        assert!(shared.host_is_ours(Some("[::1]:28739")));
        assert!(shared.host_is_ours(Some("LOCALHOST:28739")));
        assert!(!shared.host_is_ours(Some("evil.example:28739")));
        assert!(!shared.host_is_ours(Some("localhost:1234")));
        assert!(!shared.host_is_ours(None));
    }

    #[test]
    fn refused_redirects_are_counted_and_others_are_not() {
        let shared = shared();
        let head = |path: &str, query: &str| {
            Ok(RequestHead {
                method: "GET".into(),
                path: path.into(),
                query: query.into(),
                host: Some("localhost:28739".into()),
            })
        };
        let status = |reply: Reply| String::from_utf8(reply.bytes).unwrap()[9..12].to_owned();
        assert_eq!(status(shared.reply(head("/favicon.ico", ""))), "404");
        assert_eq!(
            status(shared.reply(head("/zoho/callback", "state=x"))),
            "400"
        );
        assert_eq!(
            status(shared.reply(head("/zoho/callback", "code=a&code=b"))),
            "400"
        );
        assert_eq!(
            status(shared.reply(Err(HeadError::Malformed("test")))),
            "400"
        );
        assert_eq!(status(shared.reply(Err(HeadError::TooLarge))), "431");
        assert_eq!(shared.refused.load(Ordering::Relaxed), 2);
    }
}

/// Property tests: `PROPTEST_CASES` sets how many cases each runs (see the README).
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::tests::shared;
    use super::*;

    proptest! {
        #[test]
        fn every_request_gets_a_complete_answer(
            method in "[A-Z]{1,7}",
            path in prop_oneof![Just("/zoho/callback".to_owned()), "/[!-~]{0,20}"],
            query in ".{0,200}",
            host in proptest::option::of(prop_oneof![
                Just("localhost:28739".to_owned()),
                "[ -~]{0,30}",
            ]),
        ) {
            let shared = shared();
            let reply = shared.reply(Ok(RequestHead { method, path, query, host }));
            let text = String::from_utf8(reply.bytes).unwrap();
            let (head, body) = text.split_once("\r\n\r\n").unwrap();
            prop_assert!(head.starts_with("HTTP/1.1 "));
            let length = format!("Content-Length: {}\r\n", body.len());
            prop_assert!(head.contains(&length));
            prop_assert!(head.contains("Connection: close"));
            // Nothing is held by a test Shared, so nothing can finish.
            prop_assert!(reply.finish.is_none());
        }
    }
}
