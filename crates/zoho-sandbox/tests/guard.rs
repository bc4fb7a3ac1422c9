//! What a web page could forge is refused: requests addressed to another host (DNS
//! rebinding) on every route, and on the control API and the sandbox's own forms,
//! requests from another site's pages (cross-site request forgery). Clients that are
//! not browsers, such as the app's, are not affected.
//!
//! reqwest always sends the right `Host`, so forged ones go over a raw TCP connection.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zoho_sandbox::{ClientSpec, Fault, FaultKind, Sandbox, DEMO_US_USER};

/// An answer read off the wire.
struct Raw {
    status: u16,
    /// Header lines, names in lower case.
    headers: Vec<(String, String)>,
    body: String,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `head` (request line and header lines, without the final blank line) and
/// `body` to the sandbox over a fresh connection, and reads the whole answer.
async fn raw(sandbox: &Sandbox, head: &str, body: &str) -> Raw {
    let address = sandbox.base_url().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let request = format!(
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut received = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received))
        .await
        .expect("the sandbox answers and closes")
        .expect("read");
    let text = String::from_utf8(received).expect("UTF-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("a header block");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Raw {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn assert_misdirected(answer: &Raw, what: &str) {
    assert_eq!(answer.status, 421, "{what}: {}", answer.body);
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{what}"
    );
    assert!(answer.body.contains("Misdirected Request"), "{what}");
}

/// Hosts a rebound domain, a confused client or a proxy would send.
fn foreign_hosts(port: u16) -> Vec<String> {
    vec![
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1".to_owned(),
        "localhost".to_owned(),
        format!("localhost:{}", port.wrapping_add(1)),
    ]
}

#[tokio::test]
async fn a_forged_host_is_refused_on_accounts_api_and_control_routes() {
    let sandbox = start().await;
    let port = sandbox.port();
    for host in foreign_hosts(port) {
        for path in [
            "/oauth/serverinfo",
            "/eu/oauth/serverinfo",
            "/api/us/books/v3/organizations",
            "/console",
        ] {
            let answer = raw(
                &sandbox,
                &format!("GET {path} HTTP/1.1\r\nHost: {host}"),
                "",
            )
            .await;
            assert_misdirected(&answer, &format!("{host} {path}"));
        }
        let answer = raw(
            &sandbox,
            &format!(
                "POST /sandbox/clients HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json"
            ),
            r#"{"client_type":"self_client"}"#,
        )
        .await;
        assert_misdirected(&answer, &format!("{host} control API"));
    }

    // No Host at all, as HTTP/1.0 allows.
    let answer = raw(&sandbox, "GET /oauth/serverinfo HTTP/1.0", "").await;
    assert_misdirected(&answer, "no Host");
    // An absolute URL naming another host, even with a right Host header.
    let answer = raw(
        &sandbox,
        &format!(
            "GET http://evil.example:{port}/oauth/serverinfo HTTP/1.1\r\nHost: 127.0.0.1:{port}"
        ),
        "",
    )
    .await;
    assert_misdirected(&answer, "absolute URL");
}

#[tokio::test]
async fn a_forged_host_is_refused_before_faults_and_routes_do_anything() {
    let sandbox = start().await;
    let port = sandbox.port();
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let code = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    sandbox.set_fault(Fault {
        kind: FaultKind::ServerError(503),
        remaining: Some(1),
    });

    let forged = |head: String, body: String| {
        let sandbox = &sandbox;
        async move { raw(sandbox, &head, &body).await }
    };
    let clock = forged(
        format!("POST /sandbox/clock/advance HTTP/1.1\r\nHost: evil.example:{port}\r\nContent-Type: application/json"),
        r#"{"seconds":3600}"#.to_owned(),
    )
    .await;
    assert_misdirected(&clock, "clock");
    let form = format!(
        "grant_type=authorization_code&client_id={}&client_secret={}&code={code}",
        client.client_id, client.client_secret
    );
    let token = forged(
        format!("POST /oauth/v2/token HTTP/1.1\r\nHost: evil.example:{port}\r\nContent-Type: application/x-www-form-urlencoded"),
        form,
    )
    .await;
    assert_misdirected(&token, "token");

    // The fault is still waiting for its one request, the clock has not moved, and the
    // code is unspent.
    assert_eq!(
        http()
            .get(format!("{base}/oauth/serverinfo"))
            .send()
            .await
            .expect("a response")
            .status(),
        503
    );
    let (status, body) = exchange(&base, &client, &code, None, None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
}

#[tokio::test]
async fn the_sandbox_s_own_loopback_names_are_answered_in_any_case() {
    let sandbox = start().await;
    let port = sandbox.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let answer = raw(
            &sandbox,
            &format!("GET /oauth/serverinfo HTTP/1.1\r\nHost: {host}"),
            "",
        )
        .await;
        assert_eq!(answer.status, 200, "{host}: {}", answer.body);
        assert!(answer.body.contains("\"locations\""), "{host}");
    }
}

async fn control(
    sandbox: &Sandbox,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> (u16, Value) {
    let mut request = http()
        .post(format!("{}{path}", sandbox.base_url()))
        .body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    json_of(request.send().await.expect("control request")).await
}

#[tokio::test]
async fn the_control_api_takes_only_json_bodies() {
    let sandbox = start().await;
    let client = r#"{"client_type":"self_client","location":"us"}"#;
    for content_type in [
        None,
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonp"),
    ] {
        let headers: Vec<(&str, String)> = content_type
            .map(|t| ("Content-Type", t.to_owned()))
            .into_iter()
            .collect();
        let (status, body) = control(&sandbox, "/sandbox/clients", &headers, client).await;
        assert_eq!(status, 415, "{content_type:?}: {body}");
        assert_eq!(str_of(&body, "error"), "unsupported_media_type");
        assert!(
            str_of(&body, "message").contains("application/json"),
            "{body}"
        );
    }
    // A refused request does nothing: the clock has not moved.
    let code_client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let code = sandbox
        .generate_self_client_code(&code_client.client_id, BOOKS_READ, 3)
        .expect("code");
    let plain = [("Content-Type", "text/plain".to_owned())];
    let (status, _) = control(
        &sandbox,
        "/sandbox/clock/advance",
        &plain,
        r#"{"seconds":3600}"#,
    )
    .await;
    assert_eq!(status, 415);
    let (_, body) = exchange(&sandbox.base_url(), &code_client, &code, None, None).await;
    assert!(body["access_token"].is_string(), "{body}");

    for content_type in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;Charset=UTF-8",
    ] {
        let headers = [("Content-Type", content_type.to_owned())];
        let (status, body) = control(&sandbox, "/sandbox/clients", &headers, client).await;
        assert_eq!(status, 200, "{content_type}: {body}");
        assert!(body["client_id"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn the_control_api_refuses_other_sites_origins() {
    let sandbox = start().await;
    let port = sandbox.port();
    let client = r#"{"client_type":"self_client","location":"us"}"#;
    for origin in [
        "https://evil.example".to_owned(),
        "null".to_owned(),
        format!("http://localhost:{}", port.wrapping_add(1)),
        format!("https://127.0.0.1:{port}"),
        format!("http://evil.example:{port}"),
    ] {
        let headers = [
            ("Content-Type", "application/json".to_owned()),
            ("Origin", origin.clone()),
        ];
        let (status, body) = control(&sandbox, "/sandbox/clients", &headers, client).await;
        assert_eq!(status, 403, "{origin}: {body}");
        assert_eq!(str_of(&body, "error"), "forbidden_origin");
        assert!(body["message"].is_string(), "{body}");
    }
    for origin in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ] {
        let headers = [
            ("Content-Type", "application/json".to_owned()),
            ("Origin", origin.clone()),
        ];
        let (status, body) = control(&sandbox, "/sandbox/clients", &headers, client).await;
        assert_eq!(status, 200, "{origin}: {body}");
    }
}

#[tokio::test]
async fn clearing_faults_needs_no_content_type_but_keeps_the_origin_rule() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    sandbox.set_fault(Fault {
        kind: FaultKind::ServerError(500),
        remaining: None,
    });
    let response = http()
        .delete(format!("{base}/sandbox/faults"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .expect("control request");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(str_of(&body, "error"), "forbidden_origin");
    let serverinfo = || async {
        http()
            .get(format!("{base}/oauth/serverinfo"))
            .send()
            .await
            .expect("a response")
            .status()
    };
    assert_eq!(serverinfo().await, 500, "the fault is still set");

    let response = http()
        .delete(format!("{base}/sandbox/faults"))
        .send()
        .await
        .expect("control request");
    assert_eq!(json_of(response).await, (200, json!({"status": "success"})));
    assert_eq!(serverinfo().await, 200);
}

#[tokio::test]
async fn no_answer_ever_grants_cross_origin_access() {
    let sandbox = start().await;
    let port = sandbox.port();
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let access_token = str_of(&tokens, "access_token");
    let mut answers = Vec::new();
    // The preflight a page's fetch() with a JSON body would send first.
    answers.push(
        raw(
            &sandbox,
            &format!(
                "OPTIONS /sandbox/clients HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type"
            ),
            "",
        )
        .await,
    );
    answers.push(
        raw(
            &sandbox,
            &format!(
                "OPTIONS /oauth/v2/token HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: POST"
            ),
            "",
        )
        .await,
    );
    for path in ["/oauth/serverinfo".to_owned(), "/console".to_owned()] {
        answers.push(
            raw(
                &sandbox,
                &format!(
                    "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example"
                ),
                "",
            )
            .await,
        );
    }
    answers.push(
        raw(
            &sandbox,
            &format!(
                "GET /api/us/books/v3/organizations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nAuthorization: Zoho-oauthtoken {access_token}"
            ),
            "",
        )
        .await,
    );
    assert_eq!(
        answers.last().map(|a| a.status),
        Some(200),
        "the API answers, but to this computer's clients only"
    );
    for answer in &answers {
        assert!(
            !answer
                .headers
                .iter()
                .any(|(name, _)| name.starts_with("access-control-")),
            "{:?}",
            answer.headers
        );
    }
    assert_eq!(answers[0].status, 403, "the preflight is refused");
}

/// The authorize URL's parameters as the consent page's form posts them.
fn decision_form(client_id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("client_id", client_id.to_owned()),
        ("redirect_uri", REDIRECT_URI.to_owned()),
        ("scope", BOOKS_READ.to_owned()),
        ("response_type", "code".to_owned()),
        ("access_type", "offline".to_owned()),
        ("prompt", "consent".to_owned()),
        ("state", "st-123".to_owned()),
        ("user_email", DEMO_US_USER.to_owned()),
        ("decision", "accept".to_owned()),
    ]
}

async fn post_decision(
    sandbox: &Sandbox,
    client_id: &str,
    origin: Option<&str>,
) -> reqwest::Response {
    let mut request = http()
        .post(format!("{}/oauth/v2/auth/decision", sandbox.base_url()))
        .form(&decision_form(client_id));
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    request.send().await.expect("decision request")
}

#[tokio::test]
async fn another_site_cannot_press_accept_on_the_consent_page() {
    let sandbox = start().await;
    let port = sandbox.port();
    let client = server_client(&sandbox, "us", false);

    for origin in ["https://evil.example", "null"] {
        let response = post_decision(&sandbox, &client.client_id, Some(origin)).await;
        assert_eq!(response.status(), 403, "{origin}");
        assert!(response.headers().get("location").is_none(), "{origin}");
        assert!(response
            .headers()
            .get("content-type")
            .and_then(|t| t.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html")));
        let page = response.text().await.expect("a page");
        assert!(page.contains("Request refused"), "{page}");
    }

    // The sandbox's own page, at either of its names, and a client that sends no
    // Origin at all, are redirected back with a code.
    for origin in [
        Some(format!("http://127.0.0.1:{port}")),
        Some(format!("http://localhost:{port}")),
        None,
    ] {
        let response = post_decision(&sandbox, &client.client_id, origin.as_deref()).await;
        assert_eq!(response.status(), 302, "{origin:?}");
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .expect("a redirect")
            .to_owned();
        assert!(location.starts_with(REDIRECT_URI), "{location}");
        assert!(query_param(&location, "code").is_some(), "{location}");
    }
}

#[tokio::test]
async fn the_consent_page_lets_the_browser_name_its_origin_and_is_never_framed() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", false);
    let response = http()
        .get(authorize_url(&sandbox.base_url(), &client.client_id, &[]))
        .send()
        .await
        .expect("consent page");
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(
        header("content-security-policy").as_deref(),
        Some("frame-ancestors 'none'")
    );
    // With "no-referrer", browsers send `Origin: null` on the page's own form post, and
    // the decision would be refused; "same-origin" still sends no referrer elsewhere.
    let page = response.text().await.expect("a page");
    assert!(
        page.contains(r#"<meta name="referrer" content="same-origin">"#),
        "{page}"
    );
}

#[tokio::test]
async fn another_site_cannot_use_the_console_forms() {
    let sandbox = start().await;
    let port = sandbox.port();
    let base = sandbox.base_url();
    let self_client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let add = [
        ("client_type", "server_based"),
        ("client_name", "Planted by another site"),
        ("redirect_uri", "https://evil.example/callback"),
    ];
    let generate = [
        ("client_id", self_client.client_id.as_str()),
        ("scope", BOOKS_READ),
        ("duration_minutes", "10"),
        ("description", "taken"),
    ];

    let response = http()
        .post(format!("{base}/console/clients"))
        .header("Origin", "https://evil.example")
        .form(&add)
        .send()
        .await
        .expect("console request");
    assert_eq!(response.status(), 403);
    assert!(response
        .text()
        .await
        .expect("a page")
        .contains("Request refused"));
    let response = http()
        .post(format!("{base}/console/self-client/code"))
        .header("Origin", "null")
        .form(&generate)
        .send()
        .await
        .expect("console request");
    assert_eq!(response.status(), 403);
    let page = response.text().await.expect("a page");
    assert!(page.contains("Request refused"), "{page}");
    assert!(!page.contains(r#"id="code""#), "no code is shown");

    let console = http()
        .get(format!("{base}/console"))
        .send()
        .await
        .expect("console")
        .text()
        .await
        .expect("a page");
    assert!(!console.contains("Planted by another site"), "{console}");

    // The console's own pages post with its origin.
    let response = http()
        .post(format!("{base}/console/clients"))
        .header("Origin", format!("http://localhost:{port}"))
        .form(&add)
        .send()
        .await
        .expect("console request");
    assert_eq!(response.status(), 303);
    let response = http()
        .post(format!("{base}/console/self-client/code"))
        .header("Origin", format!("http://127.0.0.1:{port}"))
        .form(&generate)
        .send()
        .await
        .expect("console request");
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .expect("a page")
        .contains(r#"id="code""#));
}

#[tokio::test]
async fn an_app_like_client_with_default_headers_works_everywhere() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let app = reqwest::Client::new();

    let response = app
        .post(format!("{base}/sandbox/clients"))
        .json(&json!({"client_type": "self_client", "location": "us", "owner_email": DEMO_US_USER}))
        .send()
        .await
        .expect("control request");
    let (status, client) = json_of(response).await;
    assert_eq!(status, 200, "{client}");
    let response = app
        .post(format!("{base}/sandbox/self-client/code"))
        .json(&json!({"client_id": client["client_id"], "scope": BOOKS_READ}))
        .send()
        .await
        .expect("control request");
    let (status, code) = json_of(response).await;
    assert_eq!(status, 200, "{code}");

    let response = app
        .post(format!("{base}/oauth/v2/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", str_of(&client, "client_id")),
            ("client_secret", str_of(&client, "client_secret")),
            ("code", str_of(&code, "code")),
        ])
        .send()
        .await
        .expect("token request");
    let (status, tokens) = json_of(response).await;
    assert_eq!(status, 200, "{tokens}");
    let response = app
        .get(format!(
            "{}/books/v3/organizations",
            str_of(&tokens, "api_domain")
        ))
        .header(
            "Authorization",
            format!("Zoho-oauthtoken {}", str_of(&tokens, "access_token")),
        )
        .send()
        .await
        .expect("organizations request");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    let response = app
        .post(format!("{base}/oauth/v2/token/revoke"))
        .query(&[("token", str_of(&tokens, "refresh_token"))])
        .send()
        .await
        .expect("revoke request");
    assert_eq!(json_of(response).await, (200, json!({"status": "success"})));

    let response = app
        .delete(format!("{base}/sandbox/faults"))
        .send()
        .await
        .expect("control request");
    assert_eq!(response.status(), 200);
    let response = app
        .get(sandbox.console_url("eu"))
        .send()
        .await
        .expect("console");
    assert_eq!(response.status(), 200);
}
