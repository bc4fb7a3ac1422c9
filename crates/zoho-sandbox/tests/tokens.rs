//! The token endpoint: code lifetime and single use, Self Client codes, Zoho's HTTP-200
//! error bodies, refresh, revoke and the 20-refresh-token limit. Throttling is in
//! `limits.rs`.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use zoho_sandbox::{ClientSpec, SandboxError, DEMO_EU_USER, DEMO_US_USER};

#[tokio::test]
async fn a_consent_code_works_once() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = server_client(&sandbox, "us", false);
    let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;

    let (_, first) = exchange(&base, &client, &code, Some(REDIRECT_URI), None).await;
    assert!(first["access_token"].is_string(), "{first}");
    let (status, second) = exchange(&base, &client, &code, Some(REDIRECT_URI), None).await;
    assert_eq!((status, second), (200, json!({"error": "invalid_code"})));
}

#[tokio::test]
async fn a_consent_code_lasts_sixty_seconds() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = server_client(&sandbox, "us", false);

    let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;
    sandbox.advance_clock(Duration::from_secs(55));
    let (_, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), None).await;
    assert!(
        body["access_token"].is_string(),
        "still valid at 55 s: {body}"
    );

    let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;
    sandbox.advance_clock(Duration::from_secs(61));
    let (status, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), None).await;
    assert_eq!((status, body), (200, json!({"error": "invalid_code"})));
}

#[tokio::test]
async fn self_client_codes_last_three_to_ten_minutes() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    for minutes in [0, 2, 11, 60] {
        assert_eq!(
            sandbox.generate_self_client_code(&client.client_id, BOOKS_READ, minutes),
            Err(SandboxError::InvalidDuration(minutes))
        );
    }
    for minutes in [3, 5, 7, 10] {
        let code = sandbox
            .generate_self_client_code(&client.client_id, BOOKS_READ, minutes)
            .expect("allowed duration");
        assert!(is_zoho_token(&code), "{code}");
    }

    let server = server_client(&sandbox, "us", false);
    assert_eq!(
        sandbox.generate_self_client_code(&server.client_id, BOOKS_READ, 3),
        Err(SandboxError::NotSelfClient)
    );
    assert_eq!(
        sandbox.generate_self_client_code("1000.NOPE", BOOKS_READ, 3),
        Err(SandboxError::UnknownClient)
    );
    assert_eq!(
        sandbox.generate_self_client_code(&client.client_id, "", 3),
        Err(SandboxError::InvalidScope(None))
    );

    let response = http()
        .post(format!("{}/sandbox/self-client/code", sandbox.base_url()))
        .json(&json!({"client_id": client.client_id, "scope": BOOKS_READ, "duration_minutes": 11}))
        .send()
        .await
        .expect("control request");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 400);
    assert_eq!(str_of(&body, "error"), "invalid_duration");

    let response = http()
        .post(format!("{}/sandbox/self-client/code", sandbox.base_url()))
        .json(&json!({"client_id": client.client_id, "scope": BOOKS_READ, "duration_minutes": 10}))
        .send()
        .await
        .expect("control request");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200);
    assert_eq!(body["expires_in"], 600);
    assert!(is_zoho_token(str_of(&body, "code")));
}

#[tokio::test]
async fn self_client_codes_expire_after_their_duration_and_need_no_redirect_uri() {
    let sandbox = start().await;
    let eu = sandbox.accounts_url("eu");
    let client = sandbox.register_client(ClientSpec::self_client("eu", DEMO_EU_USER));

    let three = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    let five = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 5)
        .expect("code");
    sandbox.advance_clock(Duration::from_secs(3 * 60 - 5));
    let (_, body) = exchange(&eu, &client, &three, None, None).await;
    assert!(body["refresh_token"].is_string(), "{body}");
    assert_eq!(str_of(&body, "api_domain"), sandbox.api_url("eu"));

    sandbox.advance_clock(Duration::from_secs(2 * 60 + 10));
    let (status, body) = exchange(&eu, &client, &five, None, None).await;
    assert_eq!((status, body), (200, json!({"error": "invalid_code"})));
}

#[tokio::test]
async fn failures_are_http_200_error_bodies() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = server_client(&sandbox, "us", false);
    let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;
    let id = client.client_id.as_str();
    let secret = client.client_secret.as_str();
    let good = |overrides: &[(&'static str, &'static str)], drop: &[&str]| {
        let mut form: Vec<(&str, String)> = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("client_id", id.to_owned()),
            ("client_secret", secret.to_owned()),
            ("code", code.clone()),
            ("redirect_uri", REDIRECT_URI.to_owned()),
        ];
        form.retain(|(k, _)| !drop.contains(k));
        for (name, value) in overrides {
            form.retain(|(k, _)| k != name);
            form.push((name, (*value).to_owned()));
        }
        form
    };
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            good(
                &[(
                    "client_secret",
                    "0000000000000000000000000000000000000000ff",
                )],
                &[],
            ),
            "invalid_client_secret",
        ),
        (
            good(&[("client_id", "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123")], &[]),
            "invalid_client",
        ),
        (
            good(&[("redirect_uri", "http://localhost:53682/other")], &[]),
            "invalid_redirect_uri",
        ),
        (
            good(
                &[(
                    "code",
                    "1000.00000000000000000000000000000000.00000000000000000000000000000000",
                )],
                &[],
            ),
            "invalid_code",
        ),
        (good(&[], &["code"]), "invalid_request"),
        (good(&[], &["client_secret"]), "invalid_request"),
        (good(&[], &["client_id"]), "invalid_request"),
        (good(&[], &["grant_type"]), "invalid_request"),
        (good(&[], &["redirect_uri"]), "invalid_request"),
        (
            good(&[("grant_type", "password")], &[]),
            "unsupported_grant_type",
        ),
    ];
    for (form, expected) in cases {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = post_token(&base, &pairs).await;
        assert_eq!(
            (status, body),
            (200, json!({"error": expected})),
            "{pairs:?}"
        );
    }

    // None of the failed attempts used the code up.
    let (_, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), None).await;
    assert!(body["access_token"].is_string(), "{body}");
}

#[tokio::test]
async fn parameters_may_come_in_the_query_string() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let code = sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    let response = http()
        .post(format!("{}/oauth/v2/token", sandbox.base_url()))
        .query(&[
            ("code", code.as_str()),
            ("client_id", &client.client_id),
            ("client_secret", &client.client_secret),
            ("grant_type", "authorization_code"),
        ])
        .send()
        .await
        .expect("token request");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200);
    assert!(body["refresh_token"].is_string(), "{body}");
}

#[tokio::test]
async fn refresh_mints_a_new_access_token_only() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");

    let (status, body) = refresh(&base, &client, refresh_token).await;
    assert_eq!(status, 200);
    let fresh = str_of(&body, "access_token");
    assert!(is_zoho_token(fresh));
    assert_ne!(fresh, str_of(&tokens, "access_token"));
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(str_of(&body, "scope"), BOOKS_READ);
    assert_eq!(str_of(&body, "api_domain"), sandbox.api_url("us"));
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(
        organizations(&sandbox.api_url("us"), Some(fresh)).await.0,
        200
    );
    assert_eq!(
        organizations(
            &sandbox.api_url("us"),
            Some(str_of(&tokens, "access_token"))
        )
        .await
        .0,
        200,
        "the earlier access token stays valid"
    );

    let wrong_secret = zoho_sandbox::RegisteredClient {
        client_secret: "f".repeat(42),
        ..client.clone()
    };
    assert_eq!(
        refresh(&base, &wrong_secret, refresh_token).await,
        (200, json!({"error": "invalid_client_secret"}))
    );
    assert_eq!(
        refresh(
            &base,
            &client,
            "1000.11111111111111111111111111111111.11111111111111111111111111111111"
        )
        .await,
        (200, json!({"error": "invalid_code"}))
    );
    let other = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    assert_eq!(
        refresh(&base, &other, refresh_token).await,
        (200, json!({"error": "invalid_code"})),
        "a refresh token works only with its own client"
    );
    assert_eq!(
        refresh(&sandbox.accounts_url("eu"), &client, refresh_token).await,
        (200, json!({"error": "invalid_client"})),
        "a US client is unknown at the EU server"
    );
}

#[tokio::test]
async fn revoking_a_refresh_token_kills_it_and_its_access_tokens() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    let first_access = str_of(&tokens, "access_token");
    let (_, refreshed) = refresh(&base, &client, refresh_token).await;
    let second_access = str_of(&refreshed, "access_token");

    assert_eq!(
        revoke(&sandbox.accounts_url("eu"), refresh_token).await,
        (400, json!({"status": "failure", "error": "invalid_token"})),
        "a token is only known at its own DC"
    );
    assert_eq!(
        revoke(&base, refresh_token).await,
        (200, json!({"status": "success"}))
    );

    assert_eq!(
        refresh(&base, &client, refresh_token).await,
        (200, json!({"error": "invalid_code"}))
    );
    for access in [first_access, second_access] {
        assert_eq!(
            organizations(&sandbox.api_url("us"), Some(access)).await,
            (401, json!({"code": 14, "message": "Invalid OAuth token."}))
        );
    }
    assert_eq!(
        revoke(&base, refresh_token).await,
        (400, json!({"status": "failure", "error": "invalid_token"}))
    );

    // The token may also come in a form body, and an access token can be revoked alone.
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let response = http()
        .post(format!("{base}/oauth/v2/token/revoke"))
        .form(&[("token", str_of(&tokens, "access_token"))])
        .send()
        .await
        .expect("revoke");
    assert_eq!(json_of(response).await, (200, json!({"status": "success"})));
    assert_eq!(
        organizations(
            &sandbox.api_url("us"),
            Some(str_of(&tokens, "access_token"))
        )
        .await
        .0,
        401
    );
    let (status, _) = refresh(&base, &client, str_of(&tokens, "refresh_token")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_twenty_first_refresh_token_evicts_the_first() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let mut minted = Vec::new();
    for n in 0..21 {
        if n > 0 && n % 10 == 0 {
            // Stay within Zoho's ten code exchanges per client in ten minutes.
            sandbox.advance_clock(Duration::from_secs(10 * 60));
        }
        let code = sandbox
            .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
            .expect("code");
        let (_, body) = exchange(&base, &client, &code, None, None).await;
        minted.push((
            str_of(&body, "refresh_token").to_owned(),
            str_of(&body, "access_token").to_owned(),
        ));
    }

    let (first_refresh, first_access) = &minted[0];
    assert_eq!(
        refresh(&base, &client, first_refresh).await,
        (200, json!({"error": "invalid_code"}))
    );
    assert_eq!(
        organizations(&sandbox.api_url("us"), Some(first_access))
            .await
            .0,
        401
    );
    for (refresh_token, access_token) in &minted[1..] {
        assert_eq!(
            organizations(&sandbox.api_url("us"), Some(access_token))
                .await
                .0,
            200
        );
        let (_, body) = refresh(&base, &client, refresh_token).await;
        assert!(body["access_token"].is_string(), "{body}");
    }
}
