//! The consent flow: the page, the decision, multi-DC hand-over, PKCE, and the rules for
//! refresh tokens, through the library, the control API and the HTML form.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use zoho_sandbox::{ClientSpec, Decision, SandboxError, DEMO_EU_USER, DEMO_US_USER};

#[tokio::test]
async fn accept_redirects_with_code_state_location_and_accounts_server() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", false);
    let state = "x/y+z &=%";
    let url = authorize_url(&sandbox.base_url(), &client.client_id, &[("state", state)]);

    let redirect = sandbox
        .consent(&url, DEMO_US_USER, Decision::Accept)
        .await
        .expect("accepted");

    assert!(
        redirect.starts_with(&format!("{REDIRECT_URI}?code=")),
        "{redirect}"
    );
    let code = query_param(&redirect, "code").expect("code");
    assert!(is_zoho_token(&code), "{code}");
    assert_eq!(query_param(&redirect, "state").as_deref(), Some(state));
    assert_eq!(query_param(&redirect, "location").as_deref(), Some("us"));
    assert_eq!(
        query_param(&redirect, "accounts-server"),
        Some(sandbox.base_url())
    );

    let (status, body) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(is_zoho_token(str_of(&body, "access_token")));
    assert!(is_zoho_token(str_of(&body, "refresh_token")));
    assert_eq!(str_of(&body, "api_domain"), sandbox.api_url("us"));
    assert_eq!(str_of(&body, "token_type"), "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(str_of(&body, "scope"), BOOKS_READ);
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_the_state() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", false);
    let url = authorize_url(&sandbox.base_url(), &client.client_id, &[]);

    let redirect = sandbox
        .consent(&url, DEMO_US_USER, Decision::Deny)
        .await
        .expect("denied is still a redirect");

    assert_eq!(
        redirect,
        format!("{REDIRECT_URI}?error=access_denied&state=st-123")
    );
}

#[tokio::test]
async fn control_api_accepts_and_denies() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", false);
    let url = authorize_url(&sandbox.base_url(), &client.client_id, &[]);
    let consent = |decision: &'static str, authorize_url: String| {
        let base = sandbox.base_url();
        async move {
            let response = http()
                .post(format!("{base}/sandbox/consent"))
                .json(&json!({
                    "authorize_url": authorize_url,
                    "user_email": DEMO_US_USER,
                    "decision": decision,
                }))
                .send()
                .await
                .expect("control request");
            json_of(response).await
        }
    };

    let (status, body) = consent("accept", url.clone()).await;
    assert_eq!(status, 200);
    let redirect = str_of(&body, "redirect").to_owned();
    let code = query_param(&redirect, "code").expect("code");
    let (_, tokens) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    assert!(tokens["refresh_token"].is_string(), "{tokens}");

    let (status, body) = consent("deny", url).await;
    assert_eq!(status, 200);
    assert_eq!(
        query_param(str_of(&body, "redirect"), "error").as_deref(),
        Some("access_denied")
    );

    let unknown = authorize_url(&sandbox.base_url(), "1000.NOSUCHCLIENT", &[]);
    let (status, body) = consent("accept", unknown).await;
    assert_eq!(status, 400);
    assert_eq!(str_of(&body, "error"), "invalid_client");
}

/// Pulls the hidden inputs out of the consent form, as a browser would submit them.
fn hidden_inputs(page: &str) -> Vec<(String, String)> {
    page.split(r#"<input type="hidden" name=""#)
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.split_once(r#"value=""#)?.1.split_once('"')?.0;
            let unescape = |s: &str| {
                s.replace("&quot;", "\"")
                    .replace("&#x27;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            };
            Some((unescape(name), unescape(value)))
        })
        .collect()
}

#[tokio::test]
async fn html_page_shows_the_request_and_its_form_redirects() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", true);
    let scope = "ZohoBooks.settings.READ,ZohoBooks.invoices.CREATE";
    let url = authorize_url(
        &sandbox.base_url(),
        &client.client_id,
        &[("scope", scope), ("state", "a\"b<c>")],
    );

    let response = http().get(&url).send().await.expect("page");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    let page = response.text().await.expect("html");
    for expected in [
        client.client_id.as_str(),
        "ZohoBooks.settings.READ",
        "ZohoBooks.invoices.CREATE",
        "See settings in Zoho Books",
        "Create invoices in Zoho Books",
        DEMO_US_USER,
        DEMO_EU_USER,
        r#"value="accept""#,
        r#"value="deny""#,
        r#"action="/oauth/v2/auth/decision""#,
        "a&quot;b&lt;c&gt;",
    ] {
        assert!(page.contains(expected), "page lacks {expected}");
    }
    assert!(!page.contains("a\"b<c>"), "state must be escaped");

    let fields = hidden_inputs(&page);
    assert!(fields.contains(&("state".to_owned(), "a\"b<c>".to_owned())));
    let submit = |user: &'static str, decision: &'static str| {
        let mut form = fields.clone();
        form.push(("user_email".to_owned(), user.to_owned()));
        form.push(("decision".to_owned(), decision.to_owned()));
        let target = format!("{}/oauth/v2/auth/decision", sandbox.base_url());
        async move {
            http()
                .post(target)
                .form(&form)
                .send()
                .await
                .expect("decision")
        }
    };

    let accepted = submit(DEMO_EU_USER, "accept").await;
    assert_eq!(accepted.status(), 302);
    let location = accepted.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(query_param(&location, "state").as_deref(), Some("a\"b<c>"));
    assert_eq!(query_param(&location, "location").as_deref(), Some("eu"));

    let denied = submit(DEMO_US_USER, "deny").await;
    assert_eq!(denied.status(), 302);
    let location = denied.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert!(query_param(&location, "code").is_none());
}

#[tokio::test]
async fn a_user_of_another_dc_is_sent_there_and_only_that_dc_takes_the_code() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", true);
    let url = authorize_url(&sandbox.base_url(), &client.client_id, &[]);

    let redirect = sandbox
        .consent(&url, DEMO_EU_USER, Decision::Accept)
        .await
        .expect("accepted");
    assert_eq!(query_param(&redirect, "location").as_deref(), Some("eu"));
    let eu = sandbox.accounts_url("eu");
    assert_eq!(eu, format!("{}/eu", sandbox.base_url()));
    assert_eq!(query_param(&redirect, "accounts-server"), Some(eu.clone()));
    let code = query_param(&redirect, "code").expect("code");

    let (status, body) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    assert_eq!((status, body), (200, json!({"error": "invalid_code"})));

    let (status, body) = exchange(&eu, &client, &code, Some(REDIRECT_URI), None).await;
    assert_eq!(status, 200);
    assert_eq!(str_of(&body, "api_domain"), sandbox.api_url("eu"));
    let access = str_of(&body, "access_token");
    let (status, orgs) = organizations(&sandbox.api_url("eu"), Some(access)).await;
    assert_eq!(status, 200);
    assert_eq!(orgs["organizations"][0]["email"], DEMO_EU_USER);
    let (status, _) = organizations(&sandbox.api_url("us"), Some(access)).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_client_without_multi_dc_is_redirected_and_refused_at_the_accounts_dc() {
    // As at Zoho: the consent completes and the browser comes back with the account's
    // DC; only that DC's token endpoint refuses the client.
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", false);
    let url = authorize_url(&sandbox.base_url(), &client.client_id, &[]);
    let eu = sandbox.accounts_url("eu");

    let redirect = sandbox
        .consent(&url, DEMO_EU_USER, Decision::Accept)
        .await
        .expect("the consent page redirects");
    assert!(
        redirect.starts_with(&format!("{REDIRECT_URI}?code=")),
        "{redirect}"
    );
    assert_eq!(query_param(&redirect, "state").as_deref(), Some("st-123"));
    assert_eq!(query_param(&redirect, "location").as_deref(), Some("eu"));
    assert_eq!(query_param(&redirect, "accounts-server"), Some(eu.clone()));
    let code = query_param(&redirect, "code").expect("code");
    assert!(is_zoho_token(&code), "{code}");

    let (status, body) = exchange(&eu, &client, &code, Some(REDIRECT_URI), None).await;
    assert_eq!((status, body), (200, json!({"error": "invalid_client"})));
    // The client's own DC does not know a code issued in the EU.
    let (status, body) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    assert_eq!((status, body), (200, json!({"error": "invalid_code"})));

    // The HTML consent page, as a browser in practice mode uses it, redirects too.
    let page = http()
        .get(&url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let mut form = hidden_inputs(&page);
    form.push(("user_email".to_owned(), DEMO_EU_USER.to_owned()));
    form.push(("decision".to_owned(), "accept".to_owned()));
    let accepted = http()
        .post(format!("{}/oauth/v2/auth/decision", sandbox.base_url()))
        .form(&form)
        .send()
        .await
        .expect("decision");
    assert_eq!(accepted.status(), 302);
    let location = accepted.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(query_param(&location, "location").as_deref(), Some("eu"));
    let code = query_param(&location, "code").expect("code");
    let (status, body) = exchange(&eu, &client, &code, Some(REDIRECT_URI), None).await;
    assert_eq!((status, body), (200, json!({"error": "invalid_client"})));
}

#[tokio::test]
async fn a_client_is_invalid_client_outside_its_dc_unless_multi_dc() {
    let sandbox = start().await;
    let (eu_self_client, _) = self_client_tokens(&sandbox, "eu", DEMO_EU_USER, BOOKS_READ).await;
    let code = sandbox
        .generate_self_client_code(&eu_self_client.client_id, BOOKS_READ, 3)
        .expect("code");
    let (status, body) = exchange(&sandbox.base_url(), &eu_self_client, &code, None, None).await;
    assert_eq!((status, body), (200, json!({"error": "invalid_client"})));

    let multi = server_client(&sandbox, "eu", true);
    let code = consent_code(&sandbox, &multi, DEMO_US_USER, &[]).await;
    let (status, body) =
        exchange(&sandbox.base_url(), &multi, &code, Some(REDIRECT_URI), None).await;
    assert_eq!(status, 200);
    assert!(body["access_token"].is_string(), "{body}");
}

#[tokio::test]
async fn unknown_client_and_unregistered_redirect_uri_are_error_pages_not_redirects() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", false);
    let base = sandbox.base_url();
    let cases = [
        (
            authorize_url(&base, "1000.UNKNOWNCLIENTID0000000000000000", &[]),
            SandboxError::UnknownClient,
            "Invalid Client",
        ),
        (
            authorize_url(
                &base,
                &client.client_id,
                &[("redirect_uri", "http://localhost:53682/callback/")],
            ),
            SandboxError::RedirectUriMismatch,
            "Invalid Redirect Uri",
        ),
        (
            authorize_url(
                &base,
                &client.client_id,
                &[("redirect_uri", "http://127.0.0.1:53682/callback")],
            ),
            SandboxError::RedirectUriMismatch,
            "Invalid Redirect Uri",
        ),
    ];
    for (url, error, title) in cases {
        let response = http().get(&url).send().await.expect("page");
        assert_eq!(response.status(), 400, "{url}");
        assert!(response.headers().get("location").is_none());
        let page = response.text().await.expect("html");
        assert!(page.contains(title), "{page}");
        assert_eq!(
            sandbox.consent(&url, DEMO_US_USER, Decision::Accept).await,
            Err(error.clone())
        );
        assert_eq!(
            sandbox.consent(&url, DEMO_US_USER, Decision::Deny).await,
            Err(error)
        );
    }
}

#[tokio::test]
async fn malformed_requests_are_refused() {
    let sandbox = start().await;
    let client = server_client(&sandbox, "us", false);
    let base = sandbox.base_url();
    let id = client.client_id.as_str();
    let cases = [
        (
            authorize_url(&base, id, &[("response_type", "token")]),
            SandboxError::UnsupportedResponseType("token".to_owned()),
        ),
        (
            authorize_url(&base, id, &[("scope", "")]),
            SandboxError::InvalidScope(None),
        ),
        (
            authorize_url(
                &base,
                id,
                &[("scope", "ZohoBooks.settings.READ ZohoBooks.invoices.READ")],
            ),
            SandboxError::InvalidScope(Some(
                "ZohoBooks.settings.READ ZohoBooks.invoices.READ".to_owned(),
            )),
        ),
        (
            authorize_url(
                &base,
                id,
                &[("code_challenge", "abc"), ("code_challenge_method", "S512")],
            ),
            SandboxError::InvalidCodeChallengeMethod("S512".to_owned()),
        ),
        (
            authorize_url(&base, id, &[("redirect_uri", "")]),
            SandboxError::MissingParameter("redirect_uri"),
        ),
    ];
    for (url, expected) in cases {
        assert_eq!(
            sandbox.consent(&url, DEMO_US_USER, Decision::Accept).await,
            Err(expected),
            "{url}"
        );
        let response = http().get(&url).send().await.expect("page");
        assert_eq!(response.status(), 400);
    }

    let elsewhere = format!("https://accounts.zoho.com/oauth/v2/auth?client_id={id}");
    assert!(matches!(
        sandbox
            .consent(&elsewhere, DEMO_US_USER, Decision::Accept)
            .await,
        Err(SandboxError::InvalidAuthorizeUrl(_))
    ));
    let url = authorize_url(&base, id, &[]);
    assert_eq!(
        sandbox
            .consent(&url, "nobody@example.com", Decision::Accept)
            .await,
        Err(SandboxError::UnknownUser("nobody@example.com".to_owned()))
    );
}

#[tokio::test]
async fn china_is_separate_from_the_other_dcs() {
    let sandbox = start().await;
    let cn_client = sandbox.register_client(ClientSpec {
        multi_dc: true,
        ..ClientSpec::server_based("cn", REDIRECT_URI)
    });
    let at_cn = authorize_url(&sandbox.accounts_url("cn"), &cn_client.client_id, &[]);
    assert_eq!(
        sandbox
            .consent(&at_cn, DEMO_US_USER, Decision::Accept)
            .await,
        Err(SandboxError::UserNotAtThisServer(DEMO_US_USER.to_owned()))
    );
    let redirect = sandbox
        .consent(&at_cn, "kuaiji@example.cn", Decision::Accept)
        .await
        .expect("a Chinese account signs in at the Chinese server");
    assert_eq!(query_param(&redirect, "location").as_deref(), Some("cn"));

    let at_us = authorize_url(&sandbox.base_url(), &cn_client.client_id, &[]);
    assert_eq!(
        sandbox
            .consent(&at_us, "kuaiji@example.cn", Decision::Accept)
            .await,
        Err(SandboxError::UnknownClient)
    );
}

#[tokio::test]
async fn pkce_is_checked_when_a_challenge_was_sent() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = server_client(&sandbox, "us", false);
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-entropy";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let s256 = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];

    let code = consent_code(&sandbox, &client, DEMO_US_USER, &s256).await;
    let (status, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), None).await;
    assert_eq!((status, body), (200, json!({"error": "invalid_request"})));
    let (status, body) = exchange(
        &base,
        &client,
        &code,
        Some(REDIRECT_URI),
        Some("wrong-verifier-wrong-verifier-wrong-verifier"),
    )
    .await;
    assert_eq!((status, body), (200, json!({"error": "invalid_code"})));
    let (status, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), Some(verifier)).await;
    assert_eq!(status, 200);
    assert!(body["access_token"].is_string(), "{body}");

    let plain = [
        ("code_challenge", verifier),
        ("code_challenge_method", "plain"),
    ];
    let code = consent_code(&sandbox, &client, DEMO_US_USER, &plain).await;
    let (_, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), Some(&challenge)).await;
    assert_eq!(body, json!({"error": "invalid_code"}));
    let (_, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), Some(verifier)).await;
    assert!(body["access_token"].is_string(), "{body}");

    // Without a challenge, a verifier is not needed.
    let code = consent_code(&sandbox, &client, DEMO_US_USER, &[]).await;
    let (_, body) = exchange(&base, &client, &code, Some(REDIRECT_URI), None).await;
    assert!(body["access_token"].is_string(), "{body}");
}

#[tokio::test]
async fn offline_gives_a_refresh_token_online_does_not_and_only_once_without_prompt() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = server_client(&sandbox, "us", false);
    let run = |overrides: &'static [(&'static str, &'static str)]| {
        let sandbox = &sandbox;
        let client = &client;
        let base = base.clone();
        async move {
            let code = consent_code(sandbox, client, DEMO_US_USER, overrides).await;
            let (status, body) = exchange(&base, client, &code, Some(REDIRECT_URI), None).await;
            assert_eq!(status, 200);
            assert!(body["access_token"].is_string(), "{body}");
            body.get("refresh_token").is_some()
        }
    };

    assert!(!run(&[("access_type", "online"), ("prompt", "")]).await);
    assert!(
        !run(&[("access_type", ""), ("prompt", "")]).await,
        "online is the default"
    );
    assert!(
        run(&[("access_type", "offline"), ("prompt", "")]).await,
        "first offline grant"
    );
    assert!(
        !run(&[("access_type", "offline"), ("prompt", "")]).await,
        "only the first time"
    );
    assert!(run(&[("access_type", "offline"), ("prompt", "consent")]).await);
    assert!(run(&[("access_type", "offline"), ("prompt", "Consent")]).await);
}
