//! `grant_type=client_credentials`: an access token for one organization of a Self
//! Client owner's account, with no refresh token, refused without `soid`, for another
//! user's organization, and for any client that is not a Self Client.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use zoho_sandbox::{ClientSpec, RegisteredClient, DEMO_US_USER};

async fn client_credentials(
    accounts: &str,
    client: &RegisteredClient,
    scope: &str,
    soid: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", client.client_id.as_str()),
        ("client_secret", client.client_secret.as_str()),
        ("scope", scope),
    ];
    if let Some(soid) = soid {
        form.push(("soid", soid));
    }
    post_token(accounts, &form).await
}

#[tokio::test]
async fn a_self_client_gets_an_access_token_and_no_refresh_token() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let (status, body) = client_credentials(
        &sandbox.base_url(),
        &client,
        BOOKS_READ,
        Some("ZohoBooks.10234695"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(is_zoho_token(str_of(&body, "access_token")), "{body}");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["api_domain"], sandbox.api_url("us"));

    let (status, orgs) =
        organizations(&sandbox.api_url("us"), Some(str_of(&body, "access_token"))).await;
    assert_eq!(status, 200, "{orgs}");
    assert!(orgs["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["organization_id"] == "10234695"));

    sandbox.advance_clock(Duration::from_secs(3601));
    let (status, _) =
        organizations(&sandbox.api_url("us"), Some(str_of(&body, "access_token"))).await;
    assert_eq!(status, 401, "the token lasts an hour and is not renewed");
}

#[tokio::test]
async fn without_soid_zoho_says_missing_org_info() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    for soid in [None, Some(""), Some("  ")] {
        let (status, body) =
            client_credentials(&sandbox.base_url(), &client, BOOKS_READ, soid).await;
        assert_eq!(
            (status, body),
            (200, json!({"error": "missing_org_info"})),
            "{soid:?}"
        );
    }
}

#[tokio::test]
async fn an_soid_outside_the_owners_organizations_is_refused() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    for soid in [
        "ZohoBooks.20081134",
        "ZohoBooks.10234812",
        "ZohoBooks",
        "10234695",
    ] {
        let (status, body) =
            client_credentials(&sandbox.base_url(), &client, BOOKS_READ, Some(soid)).await;
        assert_eq!(
            (status, body),
            (200, json!({"error": "invalid_org_info"})),
            "{soid}"
        );
    }
    let (_, crm) = client_credentials(
        &sandbox.base_url(),
        &client,
        "ZohoCRM.org.READ",
        Some("ZohoCRM.4876920000000020011"),
    )
    .await;
    assert!(crm["access_token"].is_string(), "{crm}");
}

#[tokio::test]
async fn only_a_self_client_at_its_own_dc_may_ask() {
    let sandbox = start().await;
    let server = server_client(&sandbox, "us", true);
    let (status, body) = client_credentials(
        &sandbox.base_url(),
        &server,
        BOOKS_READ,
        Some("ZohoBooks.10234695"),
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"error": "unauthorized_client"}))
    );

    let own = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let (status, body) = client_credentials(
        &sandbox.accounts_url("eu"),
        &own,
        BOOKS_READ,
        Some("ZohoBooks.10234695"),
    )
    .await;
    assert_eq!((status, body), (200, json!({"error": "invalid_client"})));

    let wrong_secret = RegisteredClient {
        client_secret: "0".repeat(42),
        ..own.clone()
    };
    let (_, body) = client_credentials(
        &sandbox.base_url(),
        &wrong_secret,
        BOOKS_READ,
        Some("ZohoBooks.10234695"),
    )
    .await;
    assert_eq!(body, json!({"error": "invalid_client_secret"}));

    let (_, body) = client_credentials(
        &sandbox.base_url(),
        &own,
        "ZohoBooks settings READ",
        Some("ZohoBooks.10234695"),
    )
    .await;
    assert_eq!(body, json!({"error": "invalid_scope"}));
}
