//! Fault knobs: delay, server error, malformed JSON and a dropped connection, through the
//! library and the control API, limited to N requests or until cleared, and never on
//! the control API itself.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use zoho_sandbox::{Fault, FaultKind, DEMO_US_USER};

async fn serverinfo(base: &str) -> Result<reqwest::Response, reqwest::Error> {
    // A fresh client each time, so a dropped connection cannot be retried on another.
    http().get(format!("{base}/oauth/serverinfo")).send().await
}

async fn set_fault(base: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    let response = http()
        .post(format!("{base}/sandbox/faults"))
        .json(&body)
        .send()
        .await
        .expect("control request");
    json_of(response).await
}

#[tokio::test]
async fn a_delay_holds_requests_then_lets_them_through() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    sandbox.set_fault(Fault {
        kind: FaultKind::Delay(Duration::from_millis(700)),
        remaining: Some(1),
    });

    let started = Instant::now();
    let response = serverinfo(&base).await.expect("a response");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(700));

    let started = Instant::now();
    assert_eq!(serverinfo(&base).await.expect("a response").status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "only one request is delayed"
    );

    assert_eq!(
        set_fault(&base, json!({"kind": "delay", "delay_ms": 300})).await,
        (200, json!({"status": "success"}))
    );
    let timed_out = http()
        .get(format!("{base}/oauth/serverinfo"))
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .expect_err("the client gives up first");
    assert!(timed_out.is_timeout());
    sandbox.clear_faults();
    assert_eq!(serverinfo(&base).await.expect("a response").status(), 200);
}

#[tokio::test]
async fn a_server_error_answers_with_the_status_for_n_requests() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    assert_eq!(
        set_fault(
            &base,
            json!({"kind": "server_error", "status": 503, "remaining": 2})
        )
        .await
        .0,
        200
    );
    for _ in 0..2 {
        let response = serverinfo(&base).await.expect("a response");
        assert_eq!(response.status(), 503);
        assert!(response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html"));
    }
    assert_eq!(serverinfo(&base).await.expect("a response").status(), 200);

    let (status, body) = set_fault(&base, json!({"kind": "server_error", "status": 200})).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn malformed_json_is_not_json_and_leaves_the_code_unused() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(zoho_sandbox::ClientSpec::self_client("us", DEMO_US_USER));
    let code = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    sandbox.set_fault(Fault {
        kind: FaultKind::MalformedJson,
        remaining: None,
    });

    for _ in 0..2 {
        let response = http()
            .post(format!("{base}/oauth/v2/token"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("client_id", &client.client_id),
                ("client_secret", &client.client_secret),
                ("code", &code),
            ])
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/json"));
        let text = response.text().await.expect("a body");
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_err(),
            "{text}"
        );
    }

    let response = http()
        .delete(format!("{base}/sandbox/faults"))
        .send()
        .await
        .expect("control request");
    assert_eq!(json_of(response).await, (200, json!({"status": "success"})));
    let (_, body) = exchange(&base, &client, &code, None, None).await;
    assert!(body["access_token"].is_string(), "{body}");
}

#[tokio::test]
async fn a_dropped_connection_gets_no_response_at_all() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    assert_eq!(
        set_fault(&base, json!({"kind": "drop_connection", "remaining": 1}))
            .await
            .0,
        200
    );

    let error = serverinfo(&base).await.expect_err("no response");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(error.status().is_none(), "{error:?}");

    assert_eq!(serverinfo(&base).await.expect("a response").status(), 200);

    // Over a raw socket: the server closes without writing a single byte.
    sandbox.set_fault(Fault {
        kind: FaultKind::DropConnection,
        remaining: None,
    });
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let request = format!("GET /oauth/serverinfo HTTP/1.1\r\nHost: {address}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut received = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received))
        .await
        .expect("the server closes promptly");
    // An orderly close or a reset are both a dropped connection; no byte may arrive.
    drop(closed);
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
    sandbox.clear_faults();
}

#[tokio::test]
async fn faults_never_touch_the_control_api() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    sandbox.set_fault(Fault {
        kind: FaultKind::ServerError(500),
        remaining: None,
    });
    sandbox.set_fault(Fault {
        kind: FaultKind::DropConnection,
        remaining: Some(1),
    });

    let response = http()
        .post(format!("{base}/sandbox/clients"))
        .json(&json!({"client_type": "self_client", "location": "us", "owner_email": DEMO_US_USER}))
        .send()
        .await
        .expect("control API is never faulted");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");

    assert!(serverinfo(&base).await.is_err(), "the drop comes first");
    assert_eq!(serverinfo(&base).await.expect("a response").status(), 500);

    let response = http()
        .post(format!("{base}/sandbox/clock/advance"))
        .json(&json!({"seconds": 30}))
        .send()
        .await
        .expect("control request");
    assert_eq!(json_of(response).await.0, 200);
    let response = http()
        .delete(format!("{base}/sandbox/faults"))
        .send()
        .await
        .expect("control request");
    assert_eq!(response.status(), 200);
    assert_eq!(serverinfo(&base).await.expect("a response").status(), 200);
}
