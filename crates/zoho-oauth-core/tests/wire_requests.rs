//! What the token client and the Books call put on the wire. The sandbox accepts
//! parameters in the URL as Zoho does, so it cannot tell whether a secret went into a
//! URL (where proxies and server logs keep it); a recorder that captures the raw
//! requests can. It also stands in for a server that stops halfway through an answer.

mod support;

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use zoho_oauth_core::token::CodeExchange;
use zoho_oauth_core::{
    BooksClient, ClientCredentials, ClientSecret, ClientType, DataCenter, Error, GrantCode,
    HttpOptions, ManualClock, PkceVerifier, RefreshToken, TokenClient, UserFacing, ZohoEnv,
};

use support::assert_no_secrets;

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789";
const CODE: &str = "1000.11112222333344445555666677778888.99990000aaaabbbbccccddddeeeeffff";
const REFRESH: &str = "1000.aaaabbbbccccddddeeeeffff00001111.2222333344445555666677778888999a";
const ACCESS: &str = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// A request as it arrived: the request line, the headers, the body.
struct Captured {
    request_line: String,
    headers: String,
    body: String,
}

/// A server at 127.0.0.1 that answers every request with `answer(its base URL)` (raw
/// HTTP) and hands what it received to the test.
async fn recorder(answer: impl Fn(&str) -> String) -> (String, mpsc::UnboundedReceiver<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let answer = answer(&base);
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let tx = tx.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut raw = Vec::new();
                let mut buf = [0u8; 4096];
                let (head, body) = loop {
                    let n = stream.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    raw.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&raw).into_owned();
                    let Some(end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let head = text[..end].to_owned();
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if raw.len() >= end + 4 + length {
                        break (head, text[end + 4..end + 4 + length].to_owned());
                    }
                };
                let (request_line, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
                let _ = tx.send(Captured {
                    request_line: request_line.to_owned(),
                    headers: headers.to_owned(),
                    body,
                });
                let _ = stream.write_all(answer.as_bytes()).await;
                // Keep the connection open: a stalled answer must be ended by the client.
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    (base, rx)
}

fn json_answer(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn token_answer(base: &str) -> String {
    json_answer(&format!(
        r#"{{"access_token":"{ACCESS}","refresh_token":"{REFRESH}","api_domain":"{base}/api/us","token_type":"Bearer","expires_in":3600}}"#
    ))
}

fn client() -> ClientCredentials {
    ClientCredentials {
        client_type: ClientType::ServerBased,
        client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".into(),
        client_secret: ClientSecret::new(SECRET),
    }
}

fn token_client(base: &str, timeout: Duration) -> TokenClient {
    TokenClient::with_options(
        ZohoEnv::sandbox(base),
        Arc::new(ManualClock::new()),
        HttpOptions {
            timeout,
            ..Default::default()
        },
    )
    .unwrap()
}

/// Nothing secret in the request line; every parameter in a form body.
fn assert_form_post(captured: &Captured, path: &str, params: &[(&str, &str)]) {
    assert_eq!(captured.request_line, format!("POST {path} HTTP/1.1"));
    for secret in [SECRET, CODE, REFRESH, ACCESS, VERIFIER] {
        assert!(!captured.request_line.contains(secret));
    }
    assert!(
        captured
            .headers
            .to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded"),
        "{}",
        captured.headers
    );
    let sent: Vec<(String, String)> = url::form_urlencoded::parse(captured.body.as_bytes())
        .into_owned()
        .collect();
    for (name, value) in params {
        assert!(
            sent.iter().any(|(n, v)| n == name && v == value),
            "{name} missing from the body"
        );
    }
}

#[tokio::test]
async fn token_requests_carry_every_parameter_in_the_body_and_none_in_the_url() {
    let (base, mut seen) = recorder(token_answer).await;
    let tokens = token_client(&base, Duration::from_secs(5));
    let client = client();
    let code = GrantCode::new(CODE);
    let verifier = PkceVerifier::new(VERIFIER);
    let redirect_uri = "http://localhost:28739/zoho/callback";

    tokens
        .exchange_code(CodeExchange {
            dc: DataCenter::Us,
            client: &client,
            code: &code,
            redirect_uri: Some(redirect_uri),
            code_verifier: Some(&verifier),
            client_dc: Some(DataCenter::Us),
        })
        .await
        .unwrap();
    assert_form_post(
        &seen.recv().await.unwrap(),
        "/oauth/v2/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", CODE),
            ("client_id", &client.client_id),
            ("client_secret", SECRET),
            ("redirect_uri", redirect_uri),
            ("code_verifier", VERIFIER),
        ],
    );

    tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap();
    let self_client = seen.recv().await.unwrap();
    assert_form_post(
        &self_client,
        "/oauth/v2/token",
        &[("grant_type", "authorization_code"), ("code", CODE)],
    );
    assert!(!self_client.body.contains("redirect_uri"));

    let refresh_token = RefreshToken::new(REFRESH);
    // The answer names the US API domain for an EU refresh: refused, but sent as a form.
    let err = tokens
        .refresh(DataCenter::Eu, &client, &refresh_token)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "untrusted_host");
    assert_form_post(
        &seen.recv().await.unwrap(),
        "/eu/oauth/v2/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", REFRESH),
            ("client_secret", SECRET),
        ],
    );
    tokens
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap();
    seen.recv().await.unwrap();

    // A token answer is not a revocation answer, but the request is what matters here.
    let err = tokens
        .revoke(DataCenter::Us, &refresh_token)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "unreadable_response");
    assert_form_post(
        &seen.recv().await.unwrap(),
        "/oauth/v2/token/revoke",
        &[("token", REFRESH)],
    );
}

#[tokio::test]
async fn the_access_token_travels_only_in_the_authorization_header() {
    let (base, mut seen) =
        recorder(|_| json_answer(r#"{"code":0,"message":"success","organizations":[]}"#)).await;
    let token_client = token_client(&base, Duration::from_secs(5));
    let tokens = zoho_oauth_core::Tokens {
        dc: DataCenter::Us,
        access_token: zoho_oauth_core::AccessToken::new(ACCESS),
        refresh_token: Some(RefreshToken::new(REFRESH)),
        api_domain: format!("{base}/api/us"),
        scope: None,
        expires_at: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    BooksClient::new(&token_client)
        .organizations(&tokens)
        .await
        .unwrap();
    let captured = seen.recv().await.unwrap();
    assert_eq!(
        captured.request_line,
        "GET /api/us/books/v3/organizations HTTP/1.1"
    );
    assert!(captured
        .headers
        .lines()
        .any(|l| l.eq_ignore_ascii_case(&format!("authorization: Zoho-oauthtoken {ACCESS}"))));
    assert!(!captured.body.contains(ACCESS));
    assert!(!captured.headers.contains(REFRESH));
}

#[tokio::test]
async fn an_answer_that_stops_halfway_times_out() {
    // Headers and the start of a body, then nothing: the time limit covers the body too.
    let (base, _seen) = recorder(|_| {
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"access_token\":\"1000.".to_owned()
    })
    .await;
    let tokens = token_client(&base, Duration::from_millis(500));
    let started = std::time::Instant::now();
    let err = tokens
        .refresh(DataCenter::Us, &client(), &RefreshToken::new(REFRESH))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_no_secrets(&err, &[SECRET, REFRESH]);
}
