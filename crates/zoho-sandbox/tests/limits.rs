//! Throttling as Zoho does it, over HTTP: ten access tokens per refresh token and ten
//! code exchanges per client in ten minutes, then a lockout of fifteen minutes that
//! outlasts the window and starts again with every refused attempt.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use zoho_sandbox::{ClientSpec, RegisteredClient, Sandbox, DEMO_EU_USER, DEMO_US_USER};

const MINUTE: Duration = Duration::from_secs(60);
/// The lockout, as the README documents it.
const LOCKOUT: Duration = Duration::from_secs(15 * 60);

fn throttled() -> (u16, Value) {
    (
        400,
        json!({
            "error_description": "You have made too many requests continuously. Please try again after some time.",
            "error": "Access Denied",
            "status": "failure",
        }),
    )
}

async fn assert_refreshes(base: &str, client: &RegisteredClient, refresh_token: &str) {
    let (status, body) = refresh(base, client, refresh_token).await;
    assert_eq!(status, 200, "{body}");
    assert!(is_zoho_token(str_of(&body, "access_token")), "{body}");
}

/// A Self Client's tokens, then refreshes until ten access tokens have been minted
/// from its refresh token (the exchange minted the first).
async fn refresh_token_at_its_limit(sandbox: &Sandbox) -> (RegisteredClient, String) {
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token").to_owned();
    for _ in 2..=10 {
        assert_refreshes(&base, &client, &refresh_token).await;
    }
    (client, refresh_token)
}

#[tokio::test]
async fn the_eleventh_access_token_in_ten_minutes_is_refused_per_refresh_token() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, refresh_token) = refresh_token_at_its_limit(&sandbox).await;

    assert_eq!(refresh(&base, &client, &refresh_token).await, throttled());

    // Another refresh token of the same client has a count of its own.
    let code = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    let (_, second) = exchange(&base, &client, &code, None, None).await;
    assert_refreshes(&base, &client, str_of(&second, "refresh_token")).await;
}

#[tokio::test]
async fn a_refused_refresh_token_stays_refused_after_the_window_has_slid() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, refresh_token) = refresh_token_at_its_limit(&sandbox).await;
    assert_eq!(refresh(&base, &client, &refresh_token).await, throttled());

    // Fourteen minutes on, every access token minted has left the ten-minute window,
    // yet the lockout holds.
    sandbox.advance_clock(14 * MINUTE);
    assert_eq!(refresh(&base, &client, &refresh_token).await, throttled());

    // That refusal started the lockout again: the first one's end changes nothing.
    sandbox.advance_clock(2 * MINUTE);
    assert_eq!(refresh(&base, &client, &refresh_token).await, throttled());

    // Fifteen quiet minutes after the last refusal, refreshing works again, and the
    // count starts afresh.
    sandbox.advance_clock(LOCKOUT);
    for _ in 1..=10 {
        assert_refreshes(&base, &client, &refresh_token).await;
    }
    assert_eq!(refresh(&base, &client, &refresh_token).await, throttled());
}

#[tokio::test]
async fn a_lockout_left_alone_ends_fifteen_minutes_after_the_refusal() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, refresh_token) = refresh_token_at_its_limit(&sandbox).await;
    assert_eq!(refresh(&base, &client, &refresh_token).await, throttled());

    // Moved through the control API, as tests in other languages do.
    let response = http()
        .post(format!("{base}/sandbox/clock/advance"))
        .json(&json!({ "seconds": LOCKOUT.as_secs() }))
        .send()
        .await
        .expect("control request");
    assert_eq!(json_of(response).await.0, 200);
    assert_refreshes(&base, &client, &refresh_token).await;
}

#[tokio::test]
async fn code_exchanges_count_per_client_failed_ones_included() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let wrong_secret = RegisteredClient {
        client_secret: "0".repeat(42),
        ..client.clone()
    };

    // Ten requests: five that fail in different ways, five that succeed.
    let (_, body) = exchange(&base, &client, "1000.not.a-code", None, None).await;
    assert_eq!(body, json!({"error": "invalid_code"}));
    let code = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    let (_, body) = exchange(&base, &wrong_secret, &code, None, None).await;
    assert_eq!(body, json!({"error": "invalid_client_secret"}));
    let (_, body) = post_token(
        &base,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &client.client_id),
        ],
    )
    .await;
    assert_eq!(body, json!({"error": "invalid_request"}));
    let (_, body) = exchange(&base, &client, &code, None, None).await;
    let refresh_token = str_of(&body, "refresh_token").to_owned();
    let (_, body) = exchange(&base, &client, &code, None, None).await;
    assert_eq!(body, json!({"error": "invalid_code"}), "spent");
    let (_, body) = exchange(
        &sandbox.accounts_url("eu"),
        &client,
        "1000.not.a-code",
        None,
        None,
    )
    .await;
    assert_eq!(
        body,
        json!({"error": "invalid_client"}),
        "not counted at us"
    );
    for _ in 0..5 {
        let code = sandbox
            .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
            .expect("code");
        let (status, body) = exchange(&base, &client, &code, None, None).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["access_token"].is_string(), "{body}");
    }

    let code = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 10)
        .expect("code");
    assert_eq!(
        exchange(&base, &client, &code, None, None).await,
        throttled()
    );
    assert_eq!(
        exchange(&base, &wrong_secret, &code, None, None).await,
        throttled(),
        "refused before the client is checked"
    );

    // The limit is on code exchanges only: the client's refresh token still works,
    // and another client is not affected.
    assert_refreshes(&base, &client, &refresh_token).await;
    let (_, other) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    assert!(other["refresh_token"].is_string(), "{other}");
}

#[tokio::test]
async fn a_client_refused_code_exchanges_stays_refused_for_the_lockout() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let fresh_code = || {
        sandbox
            .generate_self_client_code(&client.client_id, BOOKS_READ, 10)
            .expect("code")
    };
    for _ in 0..10 {
        let (_, body) = exchange(&base, &client, &fresh_code(), None, None).await;
        assert!(body["access_token"].is_string(), "{body}");
    }
    assert_eq!(
        exchange(&base, &client, &fresh_code(), None, None).await,
        throttled()
    );

    // The ten exchanges have left the window; the lockout has not ended.
    sandbox.advance_clock(11 * MINUTE);
    assert_eq!(
        exchange(&base, &client, &fresh_code(), None, None).await,
        throttled()
    );
    // Fifteen minutes after the latest refusal it has.
    sandbox.advance_clock(LOCKOUT);
    let (status, body) = exchange(&base, &client, &fresh_code(), None, None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
}

#[tokio::test]
async fn the_code_limit_is_per_data_center_for_a_multi_dc_client() {
    let sandbox = start().await;
    let us = sandbox.base_url();
    let eu = sandbox.accounts_url("eu");
    let client = server_client(&sandbox, "us", true);
    for _ in 0..10 {
        let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;
        let (_, body) = exchange(&us, &client, &code, Some(REDIRECT_URI), None).await;
        assert!(body["access_token"].is_string(), "{body}");
    }
    let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;
    assert_eq!(
        exchange(&us, &client, &code, Some(REDIRECT_URI), None).await,
        throttled()
    );

    // A European user's code for the same client is exchanged at the EU server.
    let code = consent_code(&sandbox, &client, DEMO_EU_USER, &[]).await;
    let (status, body) = exchange(&eu, &client, &code, Some(REDIRECT_URI), None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
}
