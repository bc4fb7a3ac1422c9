//! Incremental authorization: the scope enhancement token, the `addextrascope` consent
//! page, and what Accept does to the refresh token already in use.

mod common;

use common::*;
use serde_json::{json, Value};
use zoho_sandbox::{ClientSpec, Decision, RegisteredClient, Sandbox, SandboxError, DEMO_US_USER};

const INVOICES_READ: &str = "ZohoBooks.invoices.READ";

/// A server-based client with a refresh token carrying `BOOKS_READ`.
async fn connected(sandbox: &Sandbox) -> (RegisteredClient, String) {
    let (client, refresh_token, _) = connected_with_access(sandbox).await;
    (client, refresh_token)
}

/// As [`connected`], with the access token minted beside the refresh token.
async fn connected_with_access(sandbox: &Sandbox) -> (RegisteredClient, String, String) {
    let client = server_client(sandbox, "us", false);
    let code = consent_code(sandbox, &client, DEMO_US_USER, &[]).await;
    let (_, body) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    (
        client,
        str_of(&body, "refresh_token").to_owned(),
        str_of(&body, "access_token").to_owned(),
    )
}

async fn scope_enhance(accounts: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http()
        .post(format!("{accounts}/oauth/v2/token/scopeenhance"))
        .form(form)
        .send()
        .await
        .expect("scopeenhance request");
    json_of(response).await
}

async fn enhance_token(accounts: &str, client: &RegisteredClient, refresh: &str) -> (u16, Value) {
    scope_enhance(
        accounts,
        &[
            ("grant_type", "update_scopes_token"),
            ("client_id", &client.client_id),
            ("client_secret", &client.client_secret),
            ("refresh_token", refresh),
        ],
    )
    .await
}

fn add_url(accounts: &str, client_id: &str, overrides: &[(&str, &str)]) -> String {
    let mut params: Vec<(String, String)> = [
        ("response_type", "update_scopes"),
        ("client_id", client_id),
        ("redirect_uri", REDIRECT_URI),
        ("scope", INVOICES_READ),
        ("state", "st-9"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (name, value) in overrides {
        params.retain(|(k, _)| k != name);
        params.push(((*name).to_owned(), (*value).to_owned()));
    }
    let mut url =
        url::Url::parse(&format!("{accounts}/oauth/v2/token/addextrascope")).expect("url");
    url.query_pairs_mut().extend_pairs(params);
    url.to_string()
}

#[tokio::test]
async fn accept_adds_the_scopes_to_the_same_refresh_token_and_mints_none() {
    let sandbox = start().await;
    let (client, refresh_token, first_access) = connected_with_access(&sandbox).await;
    assert_eq!(
        sandbox.refresh_token_count(&client.client_id, DEMO_US_USER),
        1
    );

    let (status, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    assert_eq!(status, 200, "{body}");
    let enhance = str_of(&body, "access_token").to_owned();
    assert!(is_zoho_token(&enhance));
    assert_eq!(str_of(&body, "token_type"), "Bearer");
    assert_eq!(body["expires_in"], 300);
    assert!(body.get("refresh_token").is_none());

    let url = add_url(
        &sandbox.base_url(),
        &client.client_id,
        &[
            ("enhance_token", &enhance),
            ("scope", &format!("{INVOICES_READ},{BOOKS_READ}")),
        ],
    );
    let redirect = sandbox
        .add_scopes_consent(&url, Decision::Accept)
        .expect("accepted");
    assert_eq!(
        redirect,
        format!("{REDIRECT_URI}?status=success&state=st-9")
    );

    let info = sandbox
        .refresh_token_info(&refresh_token)
        .expect("still live");
    assert_eq!(
        info.scopes,
        vec![BOOKS_READ.to_owned(), INVOICES_READ.to_owned()]
    );
    assert_eq!(
        sandbox.refresh_token_count(&client.client_id, DEMO_US_USER),
        1
    );

    let (_, refreshed) = refresh(&sandbox.base_url(), &client, &refresh_token).await;
    assert_eq!(
        str_of(&refreshed, "scope"),
        format!("{BOOKS_READ},{INVOICES_READ}")
    );
    let invoices = format!("{}/books/v3/invoices", sandbox.api_url("us"));
    let (before, _) = get_with_token(&invoices, Some(&first_access)).await;
    assert_eq!(before, 401, "the access token from before lacks the scope");
    let (after, _) = get_with_token(&invoices, Some(str_of(&refreshed, "access_token"))).await;
    assert_ne!(after, 401, "the new access token carries the added scope");
}

#[tokio::test]
async fn deny_leaves_the_scopes_and_spends_the_enhance_token() {
    let sandbox = start().await;
    let (client, refresh_token) = connected(&sandbox).await;
    let (_, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    let enhance = str_of(&body, "access_token").to_owned();
    let url = add_url(
        &sandbox.base_url(),
        &client.client_id,
        &[("enhance_token", &enhance)],
    );

    let redirect = sandbox
        .add_scopes_consent(&url, Decision::Deny)
        .expect("a redirect");
    assert_eq!(
        redirect,
        format!("{REDIRECT_URI}?error=access_denied&state=st-9")
    );
    let info = sandbox.refresh_token_info(&refresh_token).expect("live");
    assert_eq!(info.scopes, vec![BOOKS_READ.to_owned()]);

    assert_eq!(
        sandbox.add_scopes_consent(&url, Decision::Accept),
        Err(SandboxError::InvalidEnhanceToken),
        "single use"
    );
}

#[tokio::test]
async fn the_enhance_token_expires_and_works_once() {
    let sandbox = start().await;
    let (client, refresh_token) = connected(&sandbox).await;
    let (_, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    let first = str_of(&body, "access_token").to_owned();
    let url = add_url(
        &sandbox.base_url(),
        &client.client_id,
        &[("enhance_token", &first)],
    );
    sandbox
        .add_scopes_consent(&url, Decision::Accept)
        .expect("accepted");
    assert_eq!(
        sandbox.add_scopes_consent(&url, Decision::Accept),
        Err(SandboxError::InvalidEnhanceToken)
    );

    let (_, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    let second = str_of(&body, "access_token").to_owned();
    sandbox.advance_clock(std::time::Duration::from_secs(301));
    let url = add_url(
        &sandbox.base_url(),
        &client.client_id,
        &[("enhance_token", &second)],
    );
    assert_eq!(
        sandbox.add_scopes_consent(&url, Decision::Accept),
        Err(SandboxError::InvalidEnhanceToken)
    );
}

#[tokio::test]
async fn scopeenhance_refuses_as_zoho_does() {
    let sandbox = start().await;
    let (client, refresh_token) = connected(&sandbox).await;
    let base = sandbox.base_url();
    let form = |grant: &'static str, secret: &str, token: &str| -> Vec<(String, String)> {
        vec![
            ("grant_type".into(), grant.into()),
            ("client_id".into(), client.client_id.clone()),
            ("client_secret".into(), secret.into()),
            ("refresh_token".into(), token.into()),
        ]
    };
    let send = |form: Vec<(String, String)>, accounts: String| async move {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        scope_enhance(&accounts, &pairs).await
    };

    let wrong_secret = send(
        form(
            "update_scopes_token",
            "0".repeat(42).as_str(),
            &refresh_token,
        ),
        base.clone(),
    )
    .await;
    assert_eq!(
        wrong_secret,
        (200, json!({"error": "invalid_client_secret"}))
    );
    let unknown = send(
        form("update_scopes_token", &client.client_secret, "1000.a.b"),
        base.clone(),
    )
    .await;
    assert_eq!(unknown, (200, json!({"error": "invalid_code"})));
    let wrong_grant = send(
        form("refresh_token", &client.client_secret, &refresh_token),
        base.clone(),
    )
    .await;
    assert_eq!(
        wrong_grant,
        (200, json!({"error": "unsupported_grant_type"}))
    );
    let wrong_dc = send(
        form("update_scopes_token", &client.client_secret, &refresh_token),
        sandbox.accounts_url("eu"),
    )
    .await;
    assert_eq!(wrong_dc, (200, json!({"error": "invalid_client"})));
    let missing = scope_enhance(&base, &[("grant_type", "update_scopes_token")]).await;
    assert_eq!(missing, (200, json!({"error": "invalid_request"})));

    let (status, _) = revoke(&base, &refresh_token).await;
    assert_eq!(status, 200);
    let revoked = send(
        form("update_scopes_token", &client.client_secret, &refresh_token),
        base.clone(),
    )
    .await;
    assert_eq!(revoked, (200, json!({"error": "invalid_code"})));
}

#[tokio::test]
async fn a_self_client_cannot_add_scopes() {
    let sandbox = start().await;
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let (status, body) = enhance_token(
        &sandbox.base_url(),
        &client,
        str_of(&tokens, "refresh_token"),
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"error": "unauthorized_client"}))
    );
}

#[tokio::test]
async fn the_page_checks_the_client_redirect_and_response_type_before_anything() {
    let sandbox = start().await;
    let (client, refresh_token) = connected(&sandbox).await;
    let (_, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    let enhance = str_of(&body, "access_token").to_owned();
    let base = sandbox.base_url();
    let cases: [(&[(&str, &str)], SandboxError); 4] = [
        (
            &[("redirect_uri", "http://localhost:1/other")],
            SandboxError::RedirectUriMismatch,
        ),
        (
            &[("response_type", "code")],
            SandboxError::UnsupportedResponseType("code".into()),
        ),
        (&[("client_id", "1000.NOPE")], SandboxError::UnknownClient),
        (
            &[("scope", "not a scope")],
            SandboxError::InvalidScope(Some("not a scope".into())),
        ),
    ];
    for (overrides, expected) in cases {
        let mut all = vec![("enhance_token", enhance.as_str())];
        all.extend_from_slice(overrides);
        let url = add_url(&base, &client.client_id, &all);
        assert_eq!(
            sandbox.add_scopes_consent(&url, Decision::Accept),
            Err(expected)
        );
    }
    // None of those spent the token.
    let url = add_url(&base, &client.client_id, &[("enhance_token", &enhance)]);
    assert!(sandbox.add_scopes_consent(&url, Decision::Accept).is_ok());
}

#[tokio::test]
async fn the_html_page_shows_new_and_kept_scopes_and_its_form_redirects() {
    let sandbox = start().await;
    let (client, refresh_token) = connected(&sandbox).await;
    let (_, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    let enhance = str_of(&body, "access_token").to_owned();
    let url = add_url(
        &sandbox.base_url(),
        &client.client_id,
        &[("enhance_token", &enhance)],
    );

    let page = http().get(&url).send().await.expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("It asks to add:"), "{html}");
    assert!(html.contains(INVOICES_READ));
    assert!(html.contains("It keeps what it has now:"));
    assert!(html.contains(BOOKS_READ));
    assert!(html.contains("accountant@example.com"));

    let form: Vec<(&str, &str)> = vec![
        ("response_type", "update_scopes"),
        ("client_id", &client.client_id),
        ("redirect_uri", REDIRECT_URI),
        ("scope", INVOICES_READ),
        ("state", "st-9"),
        ("enhance_token", &enhance),
        ("decision", "accept"),
    ];
    let answer = http()
        .post(format!(
            "{}/oauth/v2/token/addextrascope/decision",
            sandbox.base_url()
        ))
        .form(&form)
        .send()
        .await
        .expect("decision");
    assert_eq!(answer.status(), 302);
    assert_eq!(
        answer.headers()["location"].to_str().expect("ascii"),
        format!("{REDIRECT_URI}?status=success&state=st-9")
    );

    let again = http().get(&url).send().await.expect("page");
    assert_eq!(
        again.status(),
        400,
        "a used enhance token shows an error page"
    );
}

#[tokio::test]
async fn the_control_api_reads_scopes_and_counts_and_answers_the_page() {
    let sandbox = start().await;
    let (client, refresh_token) = connected(&sandbox).await;
    let control = |path: &str, body: Value| {
        let url = format!("{}/sandbox/{path}", sandbox.base_url());
        async move { json_of(http().post(url).json(&body).send().await.expect("control")).await }
    };
    let (status, info) = control("refresh-token", json!({"refresh_token": refresh_token})).await;
    assert_eq!(status, 200);
    assert_eq!(info["scopes"], json!([BOOKS_READ]));
    assert_eq!(info["user_email"], DEMO_US_USER);
    assert_eq!(info["location"], "us");

    let (_, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    let url = add_url(
        &sandbox.base_url(),
        &client.client_id,
        &[("enhance_token", str_of(&body, "access_token"))],
    );
    let (status, answer) =
        control("scope-enhance", json!({"url": url, "decision": "accept"})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["redirect"],
        format!("{REDIRECT_URI}?status=success&state=st-9")
    );
    let (_, info) = control("refresh-token", json!({"refresh_token": refresh_token})).await;
    assert_eq!(info["scopes"], json!([BOOKS_READ, INVOICES_READ]));

    let (_, count) = control(
        "refresh-tokens/count",
        json!({"client_id": client.client_id, "user_email": DEMO_US_USER}),
    )
    .await;
    assert_eq!(count, json!({"count": 1}));

    revoke(&sandbox.base_url(), &refresh_token).await;
    let (status, gone) = control("refresh-token", json!({"refresh_token": refresh_token})).await;
    assert_eq!(
        (status, gone["error"].as_str()),
        (400, Some("unknown_refresh_token"))
    );
}

#[tokio::test]
async fn revoking_the_refresh_token_voids_its_enhance_token() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::server_based("us", REDIRECT_URI));
    let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;
    let (_, tokens) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    let refresh_token = str_of(&tokens, "refresh_token").to_owned();
    let (_, body) = enhance_token(&sandbox.base_url(), &client, &refresh_token).await;
    let url = add_url(
        &sandbox.base_url(),
        &client.client_id,
        &[("enhance_token", str_of(&body, "access_token"))],
    );
    revoke(&sandbox.base_url(), &refresh_token).await;
    assert_eq!(
        sandbox.add_scopes_consent(&url, Decision::Accept),
        Err(SandboxError::InvalidEnhanceToken)
    );
}
