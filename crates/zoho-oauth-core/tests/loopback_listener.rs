//! The redirect listener on real sockets: what it accepts, what it ignores, and how it
//! ends (answer, timeout, cancel, busy port).

mod support;

use std::net::{Ipv6Addr, SocketAddr, TcpListener as StdListener, TcpStream};
use std::time::Duration;

use zoho_oauth_core::authorize::{PendingConsent, RedirectUri};
use zoho_oauth_core::loopback::{CallbackListener, ListenerOptions};
use zoho_oauth_core::{DataCenter, Error, UserFacing, ZohoEnv};

use support::{free_port, has_ipv6_loopback, server_client};

/// An environment nobody listens at: these tests never reach Zoho or the sandbox.
const SANDBOX_BASE: &str = "http://127.0.0.1:9";

fn pending(port: u16) -> PendingConsent {
    PendingConsent::start(
        &ZohoEnv::sandbox(SANDBOX_BASE),
        DataCenter::Us,
        server_client(),
        &["ZohoBooks.settings.READ"],
        RedirectUri::on_port(port).unwrap(),
    )
    .unwrap()
}

fn callback_url(host: &str, port: u16, query: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    format!("http://{host}:{port}/zoho/callback?{query}")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn short() -> ListenerOptions {
    ListenerOptions {
        timeout: Duration::from_secs(10),
    }
}

fn port_is_closed(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(500),
    )
    .is_err()
}

#[tokio::test]
async fn stray_requests_are_ignored_and_the_first_real_redirect_ends_it() {
    let port = free_port();
    let pending = pending(port);
    let state = pending.state().expose().to_owned();
    let listener = CallbackListener::bind(&pending, short()).await.unwrap();
    let waiting = tokio::spawn(listener.wait());
    let http = http();

    // A browser asks for the icon first; other paths, methods and host names follow.
    let favicon = http
        .get(format!("http://localhost:{port}/favicon.ico"))
        .send()
        .await
        .unwrap();
    assert_eq!(favicon.status(), 404);
    let root = http
        .get(format!("http://localhost:{port}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(root.status(), 404);
    let good_query = [
        ("state", state.as_str()),
        (
            "code",
            "1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef",
        ),
        ("location", "eu"),
        ("accounts-server", "http://127.0.0.1:9/eu"),
    ];
    let post = http
        .post(callback_url("localhost", port, &good_query))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    let rebound = http
        .get(callback_url("localhost", port, &good_query))
        .header(reqwest::header::HOST, format!("attacker.example:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 404);
    assert!(!waiting.is_finished(), "a stray request ended the flow");

    let page = http
        .get(callback_url("localhost", port, &good_query))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()[reqwest::header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert_eq!(page.headers()[reqwest::header::CACHE_CONTROL], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("You can close this tab and go back to the assistant"));
    // The exchange is still to come and may fail: the page must not promise success.
    assert!(html.contains("finishing the connection"), "{html}");
    assert!(!html.contains("Connected"), "{html}");
    assert!(
        !html.contains("1000.0123456789abcdef"),
        "the page repeats the code"
    );
    assert!(
        !html.contains("<script"),
        "the page must be self-contained and inert"
    );

    let callback = waiting.await.unwrap().unwrap();
    assert_eq!(callback.account_dc, DataCenter::Eu);
    assert!(callback.code.expose().starts_with("1000."));
    // Single use: once answered, the port is closed.
    assert!(port_is_closed(port));
}

#[tokio::test]
async fn a_wrong_state_is_shown_in_the_browser_and_counted_but_does_not_end_the_wait() {
    let port = free_port();
    let pending = pending(port);
    let listener = CallbackListener::bind(
        &pending,
        ListenerOptions {
            timeout: Duration::from_secs(1),
        },
    )
    .await
    .unwrap();
    let waiting = tokio::spawn(listener.wait());
    let page = http()
        .get(callback_url(
            "localhost",
            port,
            &[("state", "forged-state-value"), ("code", "1000.a.b")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    let html = page.text().await.unwrap();
    assert!(html.contains("does not belong to the sign-in"), "{html}");
    // Any web page could have sent it: the flow goes on until the real redirect or the
    // time limit, and the timeout says what was refused.
    let err = waiting.await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::ListenerTimeout { refused: 1, .. }),
        "{err:?}"
    );
    assert_eq!(err.kind(), "listener_timeout");
}

#[tokio::test]
async fn a_spoofed_accounts_server_is_refused_before_any_exchange() {
    let port = free_port();
    let pending = pending(port);
    let state = pending.state().expose().to_owned();
    let listener = CallbackListener::bind(&pending, short()).await.unwrap();
    let waiting = tokio::spawn(listener.wait());
    let page = http()
        .get(callback_url(
            "localhost",
            port,
            &[
                ("state", &state),
                ("code", "1000.a.b"),
                ("location", "eu"),
                (
                    "accounts-server",
                    "https://accounts.zoho.eu.attacker.example",
                ),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    match waiting.await.unwrap() {
        Err(Error::UntrustedHost { host }) => {
            assert_eq!(host, "accounts.zoho.eu.attacker.example")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn deny_becomes_access_denied() {
    let port = free_port();
    let pending = pending(port);
    let state = pending.state().expose().to_owned();
    let listener = CallbackListener::bind(&pending, short()).await.unwrap();
    let waiting = tokio::spawn(listener.wait());
    let page = http()
        .get(callback_url(
            "localhost",
            port,
            &[("error", "access_denied"), ("state", &state)],
        ))
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Deny"), "{html}");
    let err = waiting.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), "access_denied");
}

#[tokio::test]
async fn a_busy_port_is_named_in_the_error() {
    let port = free_port();
    let _squatter = StdListener::bind(("127.0.0.1", port)).unwrap();
    let err = CallbackListener::bind(&pending(port), short())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::PortInUse { port: p } if p == port),
        "{err:?}"
    );
    assert!(err.to_string().contains(&port.to_string()));
    assert!(err.hint().contains(&port.to_string()));
    assert!(err.hint().contains("Close the program"));
}

#[tokio::test]
async fn a_port_busy_only_on_ipv6_is_busy_too() {
    if !has_ipv6_loopback() {
        return;
    }
    let port = free_port();
    let _squatter = StdListener::bind((Ipv6Addr::LOCALHOST, port)).unwrap();
    let err = CallbackListener::bind(&pending(port), short())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "port_in_use");
    // The IPv4 half was given back.
    assert!(StdListener::bind(("127.0.0.1", port)).is_ok());
}

#[tokio::test]
async fn the_listener_gives_up_after_its_timeout_and_frees_the_port() {
    let port = free_port();
    let listener = CallbackListener::bind(
        &pending(port),
        ListenerOptions {
            timeout: Duration::from_millis(300),
        },
    )
    .await
    .unwrap();
    let err = listener.wait().await.unwrap_err();
    assert!(
        matches!(err, Error::ListenerTimeout { waited, .. } if waited == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(port_is_closed(port));
}

#[tokio::test]
async fn cancel_stops_waiting_and_frees_the_port() {
    let port = free_port();
    let listener = CallbackListener::bind(&pending(port), ListenerOptions::default())
        .await
        .unwrap();
    let cancel = listener.cancel_handle();
    let waiting = tokio::spawn(listener.wait());
    tokio::time::sleep(Duration::from_millis(100)).await;
    cancel.cancel();
    let err = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("cancel did not stop the wait")
        .unwrap()
        .unwrap_err();
    assert_eq!(err.kind(), "cancelled");
    assert!(port_is_closed(port));
}

#[tokio::test]
async fn dropping_the_listener_frees_the_port() {
    let port = free_port();
    let listener = CallbackListener::bind(&pending(port), short())
        .await
        .unwrap();
    drop(listener);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(StdListener::bind(("127.0.0.1", port)).is_ok());
}

#[tokio::test]
async fn ipv6_loopback_is_served_when_the_machine_has_it() {
    let port = free_port();
    let pending = pending(port);
    let state = pending.state().expose().to_owned();
    let listener = CallbackListener::bind(&pending, short()).await.unwrap();
    let addrs = listener.local_addrs().to_vec();
    assert!(addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
    assert!(addrs.iter().any(|a| a.is_ipv4()));
    if !has_ipv6_loopback() {
        assert_eq!(addrs.len(), 1);
        return;
    }
    assert!(addrs.iter().any(|a| a.is_ipv6()), "{addrs:?}");
    let waiting = tokio::spawn(listener.wait());
    let page = http()
        .get(callback_url(
            "[::1]",
            port,
            &[("state", &state), ("code", "1000.a.b")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let callback = waiting.await.unwrap().unwrap();
    // No accounts-server or location: the code goes back where consent started.
    assert_eq!(callback.account_dc, DataCenter::Us);
}
