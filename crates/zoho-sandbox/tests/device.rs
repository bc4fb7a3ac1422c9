//! The device flow as Zoho runs it: codes for a non-browser client only, polls that
//! are refused when they come too soon, every answer of the poll, the hand-over to the
//! approving account's data center, and the verification page.

mod common;

use std::time::Duration;

use common::{http, json_of, organizations, str_of, BOOKS_READ};
use serde_json::Value;
use zoho_sandbox::{ClientSpec, Decision, RegisteredClient, Sandbox, DEMO_EU_USER, DEMO_US_USER};

const INTERVAL: Duration = Duration::from_secs(30);

async fn post(url: String, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http().post(url).form(form).send().await.expect("request");
    json_of(response).await
}

async fn request_codes(accounts: &str, client_id: &str, scope: &str) -> (u16, Value) {
    post(
        format!("{accounts}/oauth/v3/device/code"),
        &[
            ("client_id", client_id),
            ("grant_type", "device_request"),
            ("scope", scope),
            ("access_type", "offline"),
        ],
    )
    .await
}

async fn poll(accounts: &str, client: &RegisteredClient, device_code: &str) -> (u16, Value) {
    post(
        format!("{accounts}/oauth/v3/device/token"),
        &[
            ("client_id", client.client_id.as_str()),
            ("client_secret", client.client_secret.as_str()),
            ("grant_type", "device_token"),
            ("code", device_code),
        ],
    )
    .await
}

fn error_of(body: &Value) -> &str {
    body["error"].as_str().unwrap_or("")
}

/// A device client and a fresh device code at the US server.
async fn started(sandbox: &Sandbox, multi_dc: bool) -> (RegisteredClient, String, String) {
    let client = sandbox.register_client(ClientSpec {
        multi_dc,
        ..ClientSpec::non_browser("us")
    });
    let (status, body) =
        request_codes(&sandbox.accounts_url("us"), &client.client_id, BOOKS_READ).await;
    assert_eq!(status, 200, "{body}");
    (
        client,
        str_of(&body, "device_code").to_owned(),
        str_of(&body, "user_code").to_owned(),
    )
}

#[tokio::test]
async fn the_device_code_answer_has_zohos_fields() {
    let sandbox = common::start().await;
    let client = sandbox.register_client(ClientSpec::non_browser("us"));
    assert!(
        client.client_id.starts_with("1004."),
        "{}",
        client.client_id
    );
    let accounts = sandbox.accounts_url("us");
    let (status, body) = request_codes(&accounts, &client.client_id, BOOKS_READ).await;
    assert_eq!(status, 200);
    assert_eq!(body["interval"], 30);
    assert_eq!(body["expires_in"], 300);
    assert_eq!(
        str_of(&body, "verification_url"),
        format!("{accounts}/oauth/v3/device")
    );
    let user_code = str_of(&body, "user_code");
    assert_eq!(user_code.len(), 9, "{user_code}");
    assert!(str_of(&body, "device_code").starts_with("1004."));
    assert!(str_of(&body, "verification_uri_complete").ends_with(user_code));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn only_a_non_browser_client_gets_device_codes_and_parameters_are_checked() {
    let sandbox = common::start().await;
    let accounts = sandbox.accounts_url("us");
    let server = common::server_client(&sandbox, "us", false);
    let (_, body) = request_codes(&accounts, &server.client_id, BOOKS_READ).await;
    assert_eq!(error_of(&body), "unauthorized_client");

    let device = sandbox.register_client(ClientSpec::non_browser("us"));
    let (_, body) = request_codes(&sandbox.accounts_url("eu"), &device.client_id, BOOKS_READ).await;
    assert_eq!(error_of(&body), "invalid_client", "not enabled in the EU");
    let (_, body) = request_codes(&accounts, "1004.NOSUCHCLIENT", BOOKS_READ).await;
    assert_eq!(error_of(&body), "invalid_client");
    let (_, body) = request_codes(&accounts, &device.client_id, "not a scope").await;
    assert_eq!(error_of(&body), "invalid_scope");
    let (_, body) = post(
        format!("{accounts}/oauth/v3/device/code"),
        &[
            ("client_id", device.client_id.as_str()),
            ("scope", BOOKS_READ),
        ],
    )
    .await;
    assert_eq!(error_of(&body), "invalid_request", "no grant_type");
    let (_, body) = post(
        format!("{accounts}/oauth/v3/device/code"),
        &[
            ("client_id", device.client_id.as_str()),
            ("grant_type", "device_code"),
            ("scope", BOOKS_READ),
        ],
    )
    .await;
    assert_eq!(error_of(&body), "unsupported_grant_type");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn approval_after_pending_gives_a_refresh_token_that_works() {
    let sandbox = common::start().await;
    let accounts = sandbox.accounts_url("us");
    let (client, device_code, user_code) = started(&sandbox, false).await;

    let (status, body) = poll(&accounts, &client, &device_code).await;
    assert_eq!((status, error_of(&body)), (200, "authorization_pending"));

    sandbox
        .device_decision(
            "us",
            &user_code.to_lowercase(),
            DEMO_US_USER,
            Decision::Accept,
        )
        .expect("the code is pending");
    sandbox.advance_clock(INTERVAL);
    let (status, body) = poll(&accounts, &client, &device_code).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["api_domain"], sandbox.api_url("us"));
    assert_eq!(body["scope"], BOOKS_READ);
    let refresh = str_of(&body, "refresh_token").to_owned();
    let (status, _) =
        organizations(&sandbox.api_url("us"), Some(str_of(&body, "access_token"))).await;
    assert_eq!(status, 200);
    let (_, refreshed) = common::refresh(&accounts, &client, &refresh).await;
    assert!(refreshed["access_token"].is_string(), "{refreshed}");

    sandbox.advance_clock(INTERVAL);
    let (_, again) = poll(&accounts, &client, &device_code).await;
    assert_eq!(error_of(&again), "invalid_code", "a device code works once");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn polling_within_the_interval_is_told_to_slow_down() {
    let sandbox = common::start().await;
    let accounts = sandbox.accounts_url("us");
    let (client, device_code, user_code) = started(&sandbox, false).await;
    let (_, body) = poll(&accounts, &client, &device_code).await;
    assert_eq!(error_of(&body), "authorization_pending");
    sandbox.advance_clock(INTERVAL - Duration::from_secs(2));
    sandbox
        .device_decision("us", &user_code, DEMO_US_USER, Decision::Accept)
        .expect("pending");
    let (_, body) = poll(&accounts, &client, &device_code).await;
    assert_eq!(error_of(&body), "slow_down", "even once approved");
    // A too-early poll counts as a poll: the wait starts again from it.
    sandbox.advance_clock(Duration::from_secs(10));
    let (_, body) = poll(&accounts, &client, &device_code).await;
    assert_eq!(error_of(&body), "slow_down");
    sandbox.advance_clock(INTERVAL);
    let (_, body) = poll(&accounts, &client, &device_code).await;
    assert!(body["access_token"].is_string(), "{body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn denial_and_expiry_are_answered_as_zoho_does() {
    let sandbox = common::start().await;
    let accounts = sandbox.accounts_url("us");
    let (client, denied_code, user_code) = started(&sandbox, false).await;
    sandbox
        .device_decision("us", &user_code, "", Decision::Deny)
        .expect("pending");
    let (_, body) = poll(&accounts, &client, &denied_code).await;
    assert_eq!(error_of(&body), "access_denied");
    assert_eq!(
        sandbox
            .device_decision("us", &user_code, DEMO_US_USER, Decision::Accept)
            .err()
            .map(|e| e.kind()),
        Some("user_code_used")
    );

    let (_, expiring_code, expiring_user_code) = {
        let (_, body) = request_codes(&accounts, &client.client_id, BOOKS_READ).await;
        (
            (),
            str_of(&body, "device_code").to_owned(),
            str_of(&body, "user_code").to_owned(),
        )
    };
    sandbox.advance_clock(Duration::from_secs(300));
    let (_, body) = poll(&accounts, &client, &expiring_code).await;
    assert_eq!(error_of(&body), "expired");
    assert_eq!(
        sandbox
            .device_decision("us", &expiring_user_code, DEMO_US_USER, Decision::Accept)
            .err()
            .map(|e| e.kind()),
        Some("user_code_expired")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_account_of_another_dc_sends_the_app_there() {
    let sandbox = common::start().await;
    let us = sandbox.accounts_url("us");
    let eu = sandbox.accounts_url("eu");
    let (client, device_code, user_code) = started(&sandbox, true).await;
    sandbox
        .device_decision("us", &user_code, DEMO_EU_USER, Decision::Accept)
        .expect("pending");
    let (_, body) = poll(&us, &client, &device_code).await;
    assert_eq!(error_of(&body), "other_dc");
    assert_eq!(body["user_location"], "eu");
    sandbox.advance_clock(INTERVAL);
    let (_, body) = poll(&sandbox.accounts_url("in"), &client, &device_code).await;
    assert_eq!(
        error_of(&body),
        "invalid_code",
        "only the account's DC knows it"
    );
    sandbox.advance_clock(INTERVAL);
    let (_, body) = poll(&eu, &client, &device_code).await;
    assert_eq!(body["api_domain"], sandbox.api_url("eu"), "{body}");
    let (status, _) =
        organizations(&sandbox.api_url("eu"), Some(str_of(&body, "access_token"))).await;
    assert_eq!(status, 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_client_without_multi_dc_cannot_be_polled_at_the_accounts_dc() {
    let sandbox = common::start().await;
    let (client, device_code, user_code) = started(&sandbox, false).await;
    sandbox
        .device_decision("us", &user_code, DEMO_EU_USER, Decision::Accept)
        .expect("pending");
    let (_, body) = poll(&sandbox.accounts_url("us"), &client, &device_code).await;
    assert_eq!(error_of(&body), "other_dc");
    sandbox.advance_clock(INTERVAL);
    let (_, body) = poll(&sandbox.accounts_url("eu"), &client, &device_code).await;
    assert_eq!(error_of(&body), "invalid_client");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn polls_need_the_clients_secret_and_its_own_code() {
    let sandbox = common::start().await;
    let accounts = sandbox.accounts_url("us");
    let (client, device_code, _) = started(&sandbox, false).await;
    let wrong_secret = RegisteredClient {
        client_secret: "0".repeat(42),
        ..client.clone()
    };
    let (_, body) = poll(&accounts, &wrong_secret, &device_code).await;
    assert_eq!(error_of(&body), "invalid_client_secret");
    let other = sandbox.register_client(ClientSpec::non_browser("us"));
    let (_, body) = poll(&accounts, &other, &device_code).await;
    assert_eq!(error_of(&body), "invalid_code");
    let (_, body) = post(
        format!("{accounts}/oauth/v3/device/token"),
        &[
            ("client_id", client.client_id.as_str()),
            ("client_secret", client.client_secret.as_str()),
            ("grant_type", "device_token"),
        ],
    )
    .await;
    assert_eq!(error_of(&body), "invalid_request");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_verification_page_approves_and_the_control_api_denies() {
    let sandbox = common::start().await;
    let accounts = sandbox.accounts_url("us");
    let (client, device_code, user_code) = started(&sandbox, false).await;
    let page = http()
        .get(format!("{accounts}/oauth/v3/device?user_code={user_code}"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains(BOOKS_READ),
        "the page says what is asked: {page}"
    );
    let done = http()
        .post(format!("{accounts}/oauth/v3/device/decision"))
        .form(&[
            ("user_code", user_code.as_str()),
            ("user_email", DEMO_US_USER),
            ("decision", "accept"),
        ])
        .send()
        .await
        .expect("decision");
    assert_eq!(done.status().as_u16(), 200);
    assert!(done.text().await.expect("html").contains("Access approved"));
    let (_, body) = poll(&accounts, &client, &device_code).await;
    assert!(body["refresh_token"].is_string(), "{body}");

    let (second_client, second_code, second_user_code) = started(&sandbox, false).await;
    let response = http()
        .post(format!("{}/sandbox/device/decision", sandbox.base_url()))
        .json(&serde_json::json!({ "user_code": second_user_code, "decision": "deny" }))
        .send()
        .await
        .expect("control");
    assert_eq!(response.status().as_u16(), 200);
    let (_, body) = poll(&accounts, &second_client, &second_code).await;
    assert_eq!(error_of(&body), "access_denied");

    let unknown = http()
        .post(format!("{accounts}/oauth/v3/device/decision"))
        .form(&[
            ("user_code", "ZZZZ-ZZZZ"),
            ("user_email", DEMO_US_USER),
            ("decision", "accept"),
        ])
        .send()
        .await
        .expect("decision");
    assert_eq!(unknown.status().as_u16(), 400);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_practice_console_adds_a_non_browser_client_that_gets_device_codes() {
    let sandbox = common::start().await;
    let console = sandbox.console_url("us");
    let response = http()
        .post(format!("{console}/clients"))
        .form(&[
            ("client_type", "non_browser"),
            ("client_name", "Phone support"),
        ])
        .send()
        .await
        .expect("form post");
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let client_id =
        common::query_param(&format!("http://x{location}"), "created").expect("created=");
    assert!(client_id.starts_with("1004."), "{client_id}");
    let page = http()
        .get(format!("{}{location}", sandbox.base_url()))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Non-browser based application"), "{page}");
    let (_, body) = request_codes(&sandbox.accounts_url("us"), &client_id, BOOKS_READ).await;
    assert!(body["user_code"].is_string(), "{body}");
    sandbox.shutdown().await;
}
