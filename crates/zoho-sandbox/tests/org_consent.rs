//! Zoho Payments' organization-level consent: an ORG client only, owner or admin only
//! (an admin of several accounts picks one), codes of about 2 minutes, and a token
//! answer that names the Payments `account_id`.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use zoho_sandbox::{ClientSpec, Decision, SandboxError, DEMO_EU_USER, DEMO_US_USER};

const PAY_READ: &str = "ZohoPay.payments.READ";

fn org_url(accounts: &str, client_id: &str) -> String {
    authorize_url(accounts, client_id, &[("scope", PAY_READ)]).replacen(
        "/oauth/v2/auth",
        "/oauth/v2/org/auth",
        1,
    )
}

#[tokio::test]
async fn an_admin_picks_an_account_and_the_token_names_it() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::org("us", REDIRECT_URI));
    let url = org_url(&sandbox.base_url(), &client.client_id);

    let several = sandbox
        .consent_org(&url, DEMO_US_USER, None, Decision::Accept)
        .await;
    assert_eq!(
        several,
        Err(SandboxError::MissingParameter("account_id")),
        "an admin of several accounts must pick one"
    );
    let redirect = sandbox
        .consent_org(&url, DEMO_US_USER, Some("30001234598"), Decision::Accept)
        .await
        .expect("an admin may grant");
    assert_eq!(query_param(&redirect, "state").as_deref(), Some("st-123"));
    assert_eq!(query_param(&redirect, "location").as_deref(), Some("us"));
    let code = query_param(&redirect, "code").expect("a code");
    let (status, body) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["account_id"], "30001234598");
    assert!(body["refresh_token"].is_string(), "{body}");

    let not_theirs = sandbox
        .consent_org(&url, DEMO_US_USER, Some("30002233445"), Decision::Accept)
        .await;
    assert!(matches!(
        not_theirs,
        Err(SandboxError::UnknownPaymentsAccount(_))
    ));
}

#[tokio::test]
async fn a_non_admin_is_refused_with_an_error_redirect_and_a_page() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::org("eu", REDIRECT_URI));
    let url = org_url(&sandbox.accounts_url("eu"), &client.client_id);
    let redirect = sandbox
        .consent_org(&url, DEMO_EU_USER, None, Decision::Accept)
        .await
        .expect("a redirect that says no");
    assert_eq!(
        query_param(&redirect, "error").as_deref(),
        Some("unauthorized_user")
    );
    assert_eq!(query_param(&redirect, "code"), None);

    // The page itself says why, with the way back to the application.
    let form: Vec<(String, String)> = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .chain([
            ("grant_as".to_owned(), DEMO_EU_USER.to_owned()),
            ("decision".to_owned(), "accept".to_owned()),
        ])
        .collect();
    let response = http()
        .post(format!(
            "{}/oauth/v2/org/auth/decision",
            sandbox.accounts_url("eu")
        ))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Only an owner or admin can allow this"),
        "{page}"
    );
    assert!(page.contains("error=unauthorized_user"), "{page}");
}

#[tokio::test]
async fn only_an_org_client_may_use_the_page_and_its_codes_last_two_minutes() {
    let sandbox = start().await;
    let server = server_client(&sandbox, "us", false);
    let url = org_url(&sandbox.base_url(), &server.client_id);
    assert_eq!(
        sandbox
            .consent_org(&url, DEMO_US_USER, Some("30001234567"), Decision::Accept)
            .await,
        Err(SandboxError::WrongClientType)
    );
    let (status, page) = {
        let response = http().get(&url).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };
    assert_eq!(status, 400);
    assert!(
        page.contains("organization-level (ORG) clients only"),
        "{page}"
    );

    let client = sandbox.register_client(ClientSpec::org("us", REDIRECT_URI));
    let url = org_url(&sandbox.base_url(), &client.client_id);
    let page = http().get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Riverside Bakery Inc."),
        "the accounts to pick from"
    );
    assert!(page.contains("Only the owner or an admin"), "{page}");

    let redirect = sandbox
        .consent_org(&url, DEMO_US_USER, Some("30001234567"), Decision::Accept)
        .await
        .unwrap();
    let code = query_param(&redirect, "code").unwrap();
    sandbox.advance_clock(Duration::from_secs(121));
    let (_, body) = exchange(
        &sandbox.base_url(),
        &client,
        &code,
        Some(REDIRECT_URI),
        None,
    )
    .await;
    assert_eq!(body, json!({"error": "invalid_code"}));

    let denied = sandbox
        .consent_org(&url, DEMO_US_USER, None, Decision::Deny)
        .await
        .unwrap();
    assert_eq!(
        query_param(&denied, "error").as_deref(),
        Some("access_denied")
    );
}
