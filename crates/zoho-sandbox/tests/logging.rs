//! The sandbox logs what it does at debug level, by client ID and data center, and never
//! a client secret, grant code, token or PKCE verifier.

mod common;

use common::*;
use zoho_sandbox::{ClientSpec, DEMO_EU_USER, DEMO_US_USER};

// A current-thread runtime: the server's tasks log on this thread, into this subscriber.
#[tokio::test]
async fn debug_logs_carry_ids_but_never_secrets() {
    let (captured, _guard) = CapturedLogs::start(tracing::Level::TRACE);

    let sandbox = start().await;
    let base = sandbox.base_url();
    let mut secrets = Vec::new();

    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    secrets.push(client.client_secret.clone());
    let access = str_of(&tokens, "access_token").to_owned();
    let refresh_token = str_of(&tokens, "refresh_token").to_owned();
    organizations(&sandbox.api_url("us"), Some(&access)).await;
    let (_, refreshed) = refresh(&base, &client, &refresh_token).await;
    secrets.push(str_of(&refreshed, "access_token").to_owned());
    let wrong = zoho_sandbox::RegisteredClient {
        client_secret: "a".repeat(42),
        ..client.clone()
    };
    refresh(&base, &wrong, &refresh_token).await;
    secrets.push(wrong.client_secret.clone());
    revoke(&base, &refresh_token).await;
    secrets.extend([access, refresh_token]);

    let server = sandbox.register_client(ClientSpec {
        multi_dc: true,
        ..ClientSpec::server_based("us", REDIRECT_URI)
    });
    secrets.push(server.client_secret.clone());
    let verifier = "a-verifier-that-is-long-enough-to-be-a-real-pkce-verifier-123";
    let code = consent_code(
        &sandbox,
        &server,
        DEMO_EU_USER,
        &[
            ("code_challenge", verifier),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    let eu = sandbox.accounts_url("eu");
    exchange(
        &eu,
        &server,
        &code,
        Some(REDIRECT_URI),
        Some("wrong-verifier"),
    )
    .await;
    let (_, tokens) = exchange(&eu, &server, &code, Some(REDIRECT_URI), Some(verifier)).await;
    secrets.extend([
        code,
        verifier.to_owned(),
        str_of(&tokens, "access_token").to_owned(),
        str_of(&tokens, "refresh_token").to_owned(),
    ]);

    let logs = captured.text();
    assert!(logs.contains("token issued"), "{logs}");
    assert!(logs.contains(&client.client_id), "logs name clients by ID");
    assert!(logs.contains("token request refused"));
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret reached the log:\n{logs}"
        );
        // Neither half of a token may appear on its own.
        for part in secret.split('.').filter(|p| p.len() >= 16) {
            assert!(
                !logs.contains(part),
                "part of a secret reached the log:\n{logs}"
            );
        }
    }
}
