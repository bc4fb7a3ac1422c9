//! The newer revoke endpoint, `POST {accounts}/oauth/v2/revoke/token`: client
//! credentials in HTTP Basic, `token` and `token_type`; HTTP 401 for credential trouble,
//! HTTP 400 for a bad request or a token the client cannot revoke; only on the accounts
//! server.

mod common;

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::*;
use serde_json::{json, Value};
use zoho_sandbox::{RegisteredClient, DEMO_EU_USER, DEMO_US_USER};

const UNKNOWN_TOKEN: &str =
    "1000.11111111111111111111111111111111.11111111111111111111111111111111";

fn basic(client_id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{client_id}:{secret}")))
}

fn basic_of(client: &RegisteredClient) -> String {
    basic(&client.client_id, &client.client_secret)
}

/// Posts to `{host}/oauth/v2/revoke/token` with `authorization` (none when `None`) and a
/// form body.
async fn revoke_by_client(
    host: &str,
    authorization: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = http()
        .post(format!("{host}/oauth/v2/revoke/token"))
        .form(form);
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    json_of(request.send().await.expect("revoke request")).await
}

fn success() -> (u16, Value) {
    (200, json!({"status": "success"}))
}

fn invalid_token() -> (u16, Value) {
    (400, json!({"status": "failure", "error": "invalid_token"}))
}

fn invalid_oauth_token() -> (u16, Value) {
    (401, json!({"code": 14, "message": "Invalid OAuth token."}))
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_it_and_its_access_tokens() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let api = sandbox.api_url("us");
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    let (_, refreshed) = refresh(&base, &client, refresh_token).await;
    let accesses = [
        str_of(&tokens, "access_token"),
        str_of(&refreshed, "access_token"),
    ];
    for access in accesses {
        assert_eq!(organizations(&api, Some(access)).await.0, 200);
    }

    let form = [("token", refresh_token), ("token_type", "refresh_token")];
    assert_eq!(
        revoke_by_client(&base, Some(&basic_of(&client)), &form).await,
        success()
    );
    for access in accesses {
        assert_eq!(
            organizations(&api, Some(access)).await,
            invalid_oauth_token()
        );
    }
    assert_eq!(
        refresh(&base, &client, refresh_token).await,
        (200, json!({"error": "invalid_code"}))
    );
    assert_eq!(
        revoke_by_client(&base, Some(&basic_of(&client)), &form).await,
        invalid_token(),
        "a revoked token is gone"
    );
}

#[tokio::test]
async fn revoking_an_access_token_ends_only_that_token() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let api = sandbox.api_url("us");
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let access = str_of(&tokens, "access_token");

    let form = [("token", access), ("token_type", "access_token")];
    assert_eq!(
        revoke_by_client(&base, Some(&basic_of(&client)), &form).await,
        success()
    );
    assert_eq!(
        organizations(&api, Some(access)).await,
        invalid_oauth_token()
    );
    let (_, refreshed) = refresh(&base, &client, str_of(&tokens, "refresh_token")).await;
    assert_eq!(
        organizations(&api, Some(str_of(&refreshed, "access_token")))
            .await
            .0,
        200,
        "the refresh token lives on"
    );

    // An access token minted without any refresh token (access_type=online) belongs to
    // its client all the same.
    let server = server_client(&sandbox, "us", false);
    let code = consent_code(
        &sandbox,
        &server,
        DEMO_US_USER,
        &[("access_type", "online")],
    )
    .await;
    let (_, online) = exchange(&base, &server, &code, Some(REDIRECT_URI), None).await;
    assert!(online.get("refresh_token").is_none(), "{online}");
    let online_access = str_of(&online, "access_token");
    let form = [("token", online_access), ("token_type", "access_token")];
    assert_eq!(
        revoke_by_client(&base, Some(&basic_of(&client)), &form).await,
        invalid_token(),
        "another client cannot revoke it"
    );
    assert_eq!(organizations(&api, Some(online_access)).await.0, 200);
    assert_eq!(
        revoke_by_client(&base, Some(&basic_of(&server)), &form).await,
        success()
    );
    assert_eq!(
        organizations(&api, Some(online_access)).await,
        invalid_oauth_token()
    );
}

#[tokio::test]
async fn credential_trouble_is_http_401() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    let form = [("token", refresh_token), ("token_type", "refresh_token")];
    let invalid_client = (401, json!({"error": "invalid_client"}));
    let id = client.client_id.as_str();
    let secret = client.client_secret.as_str();

    let garbled = [
        None,
        Some(format!(
            "Bearer {}",
            STANDARD.encode(format!("{id}:{secret}"))
        )),
        Some(format!(
            "Basic {}",
            STANDARD.encode(format!("{id}{secret}"))
        )),
        Some(format!("Basic {}", STANDARD.encode(format!(":{secret}")))),
        Some(format!("Basic {}", STANDARD.encode(format!("{id}:")))),
        Some("Basic %%%not-base64%%%".to_owned()),
        Some(format!(
            "Zoho-oauthtoken {}",
            str_of(&tokens, "access_token")
        )),
    ];
    for authorization in &garbled {
        assert_eq!(
            revoke_by_client(&base, authorization.as_deref(), &form).await,
            invalid_client,
            "{authorization:?}"
        );
    }

    // Credentials in the body, where the token endpoint reads them, do not count here.
    let mut in_body = form.to_vec();
    in_body.extend([("client_id", id), ("client_secret", secret)]);
    assert_eq!(
        revoke_by_client(&base, None, &in_body).await,
        invalid_client,
        "credentials in the body"
    );

    assert_eq!(
        revoke_by_client(
            &base,
            Some(&basic("1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", secret)),
            &form
        )
        .await,
        invalid_client,
        "an unknown client"
    );
    assert_eq!(
        revoke_by_client(&sandbox.accounts_url("eu"), Some(&basic_of(&client)), &form).await,
        invalid_client,
        "a US client at the EU server"
    );
    assert_eq!(
        revoke_by_client(&base, Some(&basic(id, &"f".repeat(42))), &form).await,
        (401, json!({"error": "invalid_client_secret"})),
        "a wrong secret"
    );

    let (_, refreshed) = refresh(&base, &client, refresh_token).await;
    assert!(
        refreshed["access_token"].is_string(),
        "nothing was revoked: {refreshed}"
    );
}

#[tokio::test]
async fn a_bad_request_or_a_token_the_client_cannot_revoke_is_http_400() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let api = sandbox.api_url("us");
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let (other, other_tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    let access = str_of(&tokens, "access_token");
    let invalid_request = (400, json!({"error": "invalid_request"}));

    let bad_requests: [&[(&str, &str)]; 6] = [
        &[("token_type", "refresh_token")],
        &[("token", ""), ("token_type", "refresh_token")],
        &[("token", refresh_token)],
        &[("token", refresh_token), ("token_type", "")],
        &[("token", refresh_token), ("token_type", "id_token")],
        &[("token", refresh_token), ("token_type", "bearer")],
    ];
    for form in bad_requests {
        assert_eq!(
            revoke_by_client(&base, Some(&basic_of(&client)), form).await,
            invalid_request,
            "{form:?}"
        );
    }

    let cannot_revoke: [(&RegisteredClient, &str, &str, &str); 5] = [
        (&client, UNKNOWN_TOKEN, "refresh_token", "an unknown token"),
        (
            &client,
            refresh_token,
            "access_token",
            "a refresh token named an access token",
        ),
        (
            &client,
            access,
            "refresh_token",
            "an access token named a refresh token",
        ),
        (
            &other,
            refresh_token,
            "refresh_token",
            "another client's refresh token",
        ),
        (
            &other,
            access,
            "access_token",
            "another client's access token",
        ),
    ];
    for (who, token, token_type, what) in cannot_revoke {
        assert_eq!(
            revoke_by_client(
                &base,
                Some(&basic_of(who)),
                &[("token", token), ("token_type", token_type)]
            )
            .await,
            invalid_token(),
            "{what}"
        );
    }

    // None of the refusals revoked anything.
    assert_eq!(organizations(&api, Some(access)).await.0, 200);
    let (_, refreshed) = refresh(&base, &client, refresh_token).await;
    assert!(refreshed["access_token"].is_string(), "{refreshed}");
    let (_, refreshed) = refresh(&base, &other, str_of(&other_tokens, "refresh_token")).await;
    assert!(refreshed["access_token"].is_string(), "{refreshed}");
}

#[tokio::test]
async fn a_token_is_revoked_only_at_the_dc_that_issued_it() {
    let sandbox = start().await;
    let us = sandbox.base_url();
    let eu = sandbox.accounts_url("eu");
    let client = server_client(&sandbox, "us", true);
    let code = consent_code(&sandbox, &client, DEMO_EU_USER, &[]).await;
    let (_, tokens) = exchange(&eu, &client, &code, Some(REDIRECT_URI), None).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    let form = [("token", refresh_token), ("token_type", "refresh_token")];

    assert_eq!(
        revoke_by_client(&us, Some(&basic_of(&client)), &form).await,
        invalid_token(),
        "a Multi-DC client is known at the US server, its EU token is not"
    );
    assert_eq!(
        organizations(
            &sandbox.api_url("eu"),
            Some(str_of(&tokens, "access_token"))
        )
        .await
        .0,
        200
    );
    assert_eq!(
        revoke_by_client(&eu, Some(&basic_of(&client)), &form).await,
        success()
    );
    assert_eq!(
        organizations(
            &sandbox.api_url("eu"),
            Some(str_of(&tokens, "access_token"))
        )
        .await,
        invalid_oauth_token()
    );
}

#[tokio::test]
async fn an_expired_access_token_cannot_be_revoked() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    sandbox.advance_clock(Duration::from_secs(3601));
    let access = str_of(&tokens, "access_token");
    assert_eq!(
        revoke_by_client(
            &base,
            Some(&basic_of(&client)),
            &[("token", access), ("token_type", "access_token")]
        )
        .await,
        invalid_token()
    );
    assert_eq!(revoke(&base, access).await, invalid_token(), "old endpoint");
}

#[tokio::test]
async fn the_endpoint_is_not_on_the_api_domain() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    let form = [("token", refresh_token), ("token_type", "refresh_token")];
    assert_eq!(
        revoke_by_client(&sandbox.api_url("us"), Some(&basic_of(&client)), &form).await,
        (404, json!({"code": 5, "message": "Invalid URL Passed"}))
    );
    let (_, refreshed) = refresh(&base, &client, refresh_token).await;
    assert!(
        refreshed["access_token"].is_string(),
        "the token survived: {refreshed}"
    );
}
