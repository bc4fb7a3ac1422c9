//! The redirect listener against what any web page or program on this computer can send
//! it: forged or repeated parameters, doubled `Host` headers, oversized requests, and
//! floods of connections that never finish. None of it may end the sign-in, block the
//! real redirect, or outlive the listener.

mod support;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use zoho_oauth_core::authorize::{PendingConsent, RedirectUri};
use zoho_oauth_core::loopback::{AuthorizationCallback, CallbackListener, ListenerOptions};
use zoho_oauth_core::{DataCenter, Error, UserFacing, ZohoEnv};

use support::{free_port, server_client};

/// An environment nobody listens at: these tests never reach Zoho or the sandbox.
const SANDBOX_BASE: &str = "http://127.0.0.1:9";
const CODE: &str = "1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef";

/// Longer than the listener's limit for reading a request's head.
const PAST_HEAD_LIMIT: Duration = Duration::from_secs(6);

struct Flow {
    port: u16,
    state: String,
    waiting: JoinHandle<Result<AuthorizationCallback, Error>>,
}

async fn flow(timeout: Duration) -> Flow {
    let port = free_port();
    let pending = PendingConsent::start(
        &ZohoEnv::sandbox(SANDBOX_BASE),
        DataCenter::Us,
        server_client(),
        &["ZohoBooks.settings.READ"],
        RedirectUri::on_port(port).unwrap(),
    )
    .unwrap();
    let listener = CallbackListener::bind(&pending, ListenerOptions { timeout })
        .await
        .unwrap();
    Flow {
        port,
        state: pending.state().expose().to_owned(),
        waiting: tokio::spawn(listener.wait()),
    }
}

fn query(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

impl Flow {
    fn good_query(&self) -> String {
        query(&[
            ("state", &self.state),
            ("code", CODE),
            ("location", "eu"),
            ("accounts-server", "http://127.0.0.1:9/eu"),
        ])
    }

    fn host(&self) -> String {
        format!("localhost:{}", self.port)
    }

    /// Sends `head` as it is over a fresh connection; the status code and the body.
    async fn raw(&self, head: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
            .await
            .expect("the listener answers and closes")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
        (status, answer)
    }

    async fn get(&self, query: &str) -> (u16, String) {
        self.raw(&format!(
            "GET /zoho/callback?{query} HTTP/1.1\r\nHost: {}\r\nUser-Agent: test\r\n\r\n",
            self.host()
        ))
        .await
    }

    /// Some time for the listener to act on what it was sent, then: still waiting?
    async fn still_waiting(&self) -> bool {
        tokio::time::sleep(Duration::from_millis(150)).await;
        !self.waiting.is_finished()
    }

    /// The real redirect, as the browser sends it; the flow must end with its code.
    async fn finish_with_the_real_redirect(self) {
        let (status, page) = self.get(&self.good_query()).await;
        assert_eq!(status, 200, "{page}");
        let callback = tokio::time::timeout(Duration::from_secs(5), self.waiting)
            .await
            .expect("the real redirect ends the flow")
            .unwrap()
            .expect("the real redirect is accepted");
        assert_eq!(callback.code.expose(), CODE);
        assert_eq!(callback.account_dc, DataCenter::Eu);
    }
}

/// A connection that sends the start of a request and never finishes its head.
async fn slow_connection(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream
        .write_all(
            format!("GET /zoho/callback?state=x HTTP/1.1\r\nHost: localhost:{port}\r\n").as_bytes(),
        )
        .await
        .unwrap();
    stream
}

/// True when the listener has closed its end: a read sees the end of the stream (or a
/// reset) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 512];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // an answer before the close is fine
        }
    }
}

/// True when the listener has closed its end already, without waiting.
fn closed_now(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match stream.try_read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

#[tokio::test]
async fn a_forged_state_gets_a_400_page_and_the_real_redirect_still_finishes() {
    let flow = flow(Duration::from_secs(20)).await;
    // What any web page can make the browser send: <img src="http://localhost:PORT/...">.
    for forged in [
        query(&[("state", "x")]),
        query(&[("state", "forged-state-value"), ("code", "1000.a.b")]),
        query(&[("code", "1000.a.b")]),
        query(&[("state", "x"), ("error", "access_denied")]),
    ] {
        let (status, page) = flow.get(&forged).await;
        assert_eq!(status, 400, "{forged}");
        assert!(page.contains("does not belong to the sign-in"), "{page}");
        assert!(page.contains("still waiting"), "{page}");
        assert!(flow.still_waiting().await, "{forged} ended the flow");
    }
    flow.finish_with_the_real_redirect().await;
}

#[tokio::test]
async fn refused_requests_are_mentioned_when_the_listener_times_out() {
    let flow = flow(Duration::from_millis(1500)).await;
    for forged in ["state=one", "state=two&code=c", "code=c&code=d"] {
        assert_eq!(flow.get(forged).await.0, 400);
    }
    let err = flow.waiting.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), "listener_timeout", "{err:?}");
    let message = err.to_string();
    assert!(message.contains("3 requests"), "{message}");
    assert!(message.contains("refused"), "{message}");
    assert!(err.hint().contains("another program"), "{}", err.hint());
}

#[tokio::test]
async fn a_timeout_without_refused_requests_says_nothing_of_them() {
    let flow = flow(Duration::from_millis(300)).await;
    let err = flow.waiting.await.unwrap().unwrap_err();
    assert!(!err.to_string().contains("refused"), "{err}");
}

#[tokio::test]
async fn repeated_parameters_are_refused_as_malformed() {
    let flow = flow(Duration::from_secs(20)).await;
    let state = flow.state.clone();
    for repeated in [
        // The right state twice, or a second one after it: which one counts is unclear.
        query(&[("state", &state), ("state", &state), ("code", CODE)]),
        query(&[("state", &state), ("state", "x"), ("code", CODE)]),
        query(&[
            ("state", &state),
            ("code", CODE),
            ("code", "1000.other.code"),
        ]),
        query(&[
            ("state", &state),
            ("code", CODE),
            ("accounts-server", "http://127.0.0.1:9/eu"),
            (
                "accounts-server",
                "https://accounts.zoho.eu.attacker.example",
            ),
        ]),
    ] {
        let (status, page) = flow.get(&repeated).await;
        assert_eq!(status, 400, "{repeated}: {page}");
        assert!(flow.still_waiting().await, "{repeated} ended the flow");
    }
    flow.finish_with_the_real_redirect().await;
}

#[tokio::test]
async fn two_host_headers_are_refused() {
    let flow = flow(Duration::from_secs(20)).await;
    for hosts in [
        format!("Host: {}\r\nHost: attacker.example\r\n", flow.host()),
        format!("Host: attacker.example\r\nHost: {}\r\n", flow.host()),
        format!("Host: {}\r\nhost: {}\r\n", flow.host(), flow.host()),
    ] {
        let head = format!(
            "GET /zoho/callback?{} HTTP/1.1\r\n{hosts}\r\n",
            flow.good_query()
        );
        let (status, _) = flow.raw(&head).await;
        assert_eq!(status, 400, "{hosts}");
        assert!(flow.still_waiting().await, "{hosts} ended the flow");
    }
    flow.finish_with_the_real_redirect().await;
}

#[tokio::test]
async fn a_location_that_contradicts_the_accounts_server_is_refused() {
    let flow = flow(Duration::from_secs(20)).await;
    let contradicting = query(&[
        ("state", &flow.state),
        ("code", CODE),
        ("location", "us"),
        ("accounts-server", "http://127.0.0.1:9/eu"),
    ]);
    let (status, page) = flow.get(&contradicting).await;
    assert_eq!(status, 400, "{page}");
    assert!(
        flow.still_waiting().await,
        "a contradicting redirect ended the flow"
    );
    flow.finish_with_the_real_redirect().await;
}

#[tokio::test]
async fn an_oversized_request_is_refused_and_the_flow_goes_on() {
    let flow = flow(Duration::from_secs(20)).await;
    let head = format!(
        "GET /zoho/callback?{} HTTP/1.1\r\nHost: {}\r\nX-Padding: {}\r\n\r\n",
        flow.good_query(),
        flow.host(),
        "a".repeat(100 * 1024)
    );
    let (status, _) = flow.raw(&head).await;
    assert_eq!(status, 431);
    assert!(
        flow.still_waiting().await,
        "an oversized request ended the flow"
    );
    flow.finish_with_the_real_redirect().await;
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_cut_off() {
    let flow = flow(Duration::from_secs(30)).await;
    let mut slow = slow_connection(flow.port).await;
    assert!(!closed_within(&mut slow, Duration::from_millis(500)).await);
    assert!(
        closed_within(&mut slow, PAST_HEAD_LIMIT).await,
        "a connection that never finished its head was kept open"
    );
    assert!(!flow.waiting.is_finished());
    flow.finish_with_the_real_redirect().await;
}

#[tokio::test]
async fn no_more_than_sixteen_connections_are_kept_open() {
    let flow = flow(Duration::from_secs(20)).await;
    let mut slow = Vec::new();
    for _ in 0..40 {
        slow.push(slow_connection(flow.port).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let open = slow.iter().filter(|s| !closed_now(s)).count();
    assert_eq!(open, 16, "connections kept open");
    // The newest are kept: the real redirect is the newest when it arrives.
    assert!(slow[40 - 16..].iter().all(|s| !closed_now(s)));
    flow.finish_with_the_real_redirect().await;
}

/// The attack from the issue: a thousand connections that never finish their heads.
/// The real redirect still gets through, and once the flow has ended not one of them is
/// left open. (Needs about 1,100 file descriptors.)
#[tokio::test]
async fn a_thousand_slow_connections_neither_block_the_redirect_nor_outlive_the_flow() {
    let flow = flow(Duration::from_secs(30)).await;
    let port = flow.port;
    let mut slow = Vec::new();
    for _ in 0..1000 {
        slow.push(slow_connection(port).await);
    }
    flow.finish_with_the_real_redirect().await;
    let started = Instant::now();
    for (i, stream) in slow.iter_mut().enumerate() {
        assert!(
            closed_within(stream, Duration::from_secs(2)).await,
            "slow connection {i} is still open after the flow ended"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn cancelling_closes_every_connection() {
    let port = free_port();
    let pending = PendingConsent::start(
        &ZohoEnv::sandbox(SANDBOX_BASE),
        DataCenter::Us,
        server_client(),
        &["ZohoBooks.settings.READ"],
        RedirectUri::on_port(port).unwrap(),
    )
    .unwrap();
    let listener = CallbackListener::bind(&pending, ListenerOptions::default())
        .await
        .unwrap();
    let cancel = listener.cancel_handle();
    let waiting = tokio::spawn(listener.wait());
    let mut slow = Vec::new();
    for _ in 0..10 {
        slow.push(slow_connection(port).await);
    }
    cancel.cancel();
    let err = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("cancel ends the wait")
        .unwrap()
        .unwrap_err();
    assert_eq!(err.kind(), "cancelled");
    for stream in &mut slow {
        assert!(closed_within(stream, Duration::from_secs(1)).await);
    }
}

#[tokio::test]
async fn dropping_the_listener_closes_every_connection() {
    let port = free_port();
    let pending = PendingConsent::start(
        &ZohoEnv::sandbox(SANDBOX_BASE),
        DataCenter::Us,
        server_client(),
        &["ZohoBooks.settings.READ"],
        RedirectUri::on_port(port).unwrap(),
    )
    .unwrap();
    let listener = CallbackListener::bind(&pending, ListenerOptions::default())
        .await
        .unwrap();
    let mut slow = Vec::new();
    for _ in 0..10 {
        slow.push(slow_connection(port).await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(listener);
    for stream in &mut slow {
        assert!(closed_within(stream, Duration::from_secs(1)).await);
    }
}
