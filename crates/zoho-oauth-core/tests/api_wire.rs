//! Where each API call goes and what it carries, seen by a recorder standing in for the
//! sandbox's origin: product calls only to the API domain, after the trust check; the
//! user-info call only to the accounts server of the tokens' data center; the access
//! token only in the `Authorization` header; the organization only when named.

mod recorder;
mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use zoho_oauth_core::api::PROFILE_READ;
use zoho_oauth_core::{
    AccessToken, ApiClient, DataCenter, Error, ManualClock, OrgScopedCall, OrganizationCheck,
    OrganizationChoice, TestCall, TokenClient, Tokens, UserFacing, ZohoEnv,
};

use support::assert_no_secrets;

const ACCESS: &str = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210";

fn user_body() -> String {
    json!({
        "First_Name": "Camille",
        "Last_Name": "Durand",
        "Email": "comptable@example.eu",
        "Display_Name": "Camille Durand",
        "ZUID": 20_000_000_002_u64
    })
    .to_string()
}

fn organizations_body() -> String {
    json!({
        "code": 0,
        "message": "success",
        "organizations": [
            {"organization_id": "20000001", "name": "Durand SARL", "is_default_org": true, "currency_code": "EUR"},
            {"organization_id": "20000002", "name": "Boulangerie", "is_default_org": false, "currency_code": "EUR"}
        ]
    })
    .to_string()
}

fn not_found() -> (u16, String) {
    (
        404,
        json!({"code": 5, "message": "Invalid URL Passed"}).to_string(),
    )
}

fn api(base: &str) -> ApiClient {
    let tokens = TokenClient::new(ZohoEnv::sandbox(base), Arc::new(ManualClock::new())).unwrap();
    ApiClient::new(&tokens)
}

fn tokens(dc: DataCenter, api_domain: String) -> Tokens {
    Tokens {
        dc,
        access_token: AccessToken::new(ACCESS),
        refresh_token: None,
        api_domain,
        scope: None,
        expires_at: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    }
}

#[tokio::test]
async fn user_info_goes_to_the_accounts_server_of_the_tokens_data_center() {
    let (base, mut seen) = recorder::start(|target| match target {
        "/eu/oauth/user/info" => (200, user_body()),
        _ => not_found(),
    })
    .await;
    // The API domain is a trap: the user-info call must not go there.
    let trap = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let eu = tokens(
        DataCenter::Eu,
        format!("http://{}", trap.local_addr().unwrap()),
    );

    let user = api(&base).user_info(&eu).await.unwrap();

    assert_eq!(user.email.as_deref(), Some("comptable@example.eu"));
    assert_eq!(user.zuid.as_deref(), Some("20000000002"));
    assert_eq!(user.describe(), "Camille Durand (comptable@example.eu)");
    let requests = recorder::drain(&mut seen);
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].line, "GET /eu/oauth/user/info HTTP/1.1");
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Zoho-oauthtoken {ACCESS}").as_str())
    );
    let contacted = tokio::time::timeout(Duration::from_millis(200), trap.accept()).await;
    assert!(contacted.is_err(), "user info was sent to the API domain");
}

#[tokio::test]
async fn an_accounts_server_given_as_api_domain_is_refused_and_nothing_is_sent() {
    let (base, mut seen) = recorder::start(|_| (200, organizations_body())).await;
    let client = api(&base);
    for dc in [DataCenter::Us, DataCenter::Eu] {
        let env = ZohoEnv::sandbox(&base);
        let mixed_up = tokens(dc, env.endpoints(dc).accounts);
        for call in TestCall::ALL {
            let err = client.organizations(call, &mixed_up).await.unwrap_err();
            assert_eq!(err.kind(), "untrusted_host", "{call:?}");
            let err = client
                .test_connection(call.product_id(), &mixed_up)
                .await
                .unwrap_err();
            assert_eq!(err.kind(), "untrusted_host", "{call:?}");
            assert_no_secrets(&err, &[ACCESS]);
        }
        for call in [OrgScopedCall::Books, OrgScopedCall::Inventory] {
            let err = client
                .check_organization(call, &mixed_up, Some("20000001"))
                .await
                .unwrap_err();
            assert!(matches!(err, Error::UntrustedHost { .. }), "{err:?}");
        }
        // Another DC's API domain is no better.
        let other = tokens(dc, env.endpoints(DataCenter::In).api_domain);
        let err = client
            .organizations(TestCall::Books, &other)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "untrusted_host");
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(recorder::drain(&mut seen).is_empty(), "a request was sent");
}

#[tokio::test]
async fn each_product_call_goes_to_its_path_on_the_api_domain() {
    let (base, mut seen) = recorder::start(|target| match target {
        "/api/eu/crm/v8/org" => (
            200,
            json!({"org": [{"id": "30000001", "company_name": "Durand SARL"}]}).to_string(),
        ),
        t if t.starts_with("/api/eu/") && t.ends_with("/organizations") => {
            (200, organizations_body())
        }
        _ => not_found(),
    })
    .await;
    let eu = tokens(DataCenter::Eu, format!("{base}/api/eu"));
    let client = api(&base);
    for call in TestCall::ALL {
        let organizations = client.organizations(call, &eu).await.unwrap();
        assert!(!organizations.is_empty(), "{call:?}");
        let requests = recorder::drain(&mut seen);
        assert_eq!(requests.len(), 1);
        assert_eq!(
            requests[0].line,
            format!("GET /api/eu{} HTTP/1.1", call.path())
        );
        assert_eq!(
            requests[0].header("authorization"),
            Some(format!("Zoho-oauthtoken {ACCESS}").as_str())
        );
    }
}

#[tokio::test]
async fn the_organization_travels_only_when_named_and_6024_becomes_the_list() {
    let (base, mut seen) = recorder::start(|target| match target {
        "/api/us/books/v3/invoices?per_page=1" | "/api/us/inventory/v1/items?per_page=1" => (
            400,
            json!({
                "code": 6024,
                "message": "This user belongs to multiple organizations. Please select an organization.",
                "error_info": [
                    {"organization_id": "10234695", "name": "Morgan Bookkeeping LLC"},
                    {"organization_id": "10234696", "name": "Riverside Bakery Inc."}
                ]
            })
            .to_string(),
        ),
        t if t.contains("organization_id=10234695&per_page=1") => (
            200,
            json!({"code": 0, "message": "success", "invoices": []}).to_string(),
        ),
        _ => not_found(),
    })
    .await;
    let us = tokens(DataCenter::Us, format!("{base}/api/us"));
    let client = api(&base);
    for call in [OrgScopedCall::Books, OrgScopedCall::Inventory] {
        let unnamed = client.check_organization(call, &us, None).await.unwrap();
        let OrganizationCheck::ChooseOrganization { organizations } = unnamed else {
            panic!("{unnamed:?}")
        };
        let ids: Vec<&str> = organizations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["10234695", "10234696"]);
        assert_eq!(organizations[1].name, "Riverside Bakery Inc.");
        // A blank choice is no choice.
        let blank = client
            .check_organization(call, &us, Some("  "))
            .await
            .unwrap();
        assert!(matches!(
            blank,
            OrganizationCheck::ChooseOrganization { .. }
        ));
        let named = client
            .check_organization(call, &us, Some("10234695"))
            .await
            .unwrap();
        assert_eq!(named, OrganizationCheck::Answered);
        let targets: Vec<String> = recorder::drain(&mut seen)
            .iter()
            .map(|r| r.target().to_owned())
            .collect();
        assert_eq!(
            targets,
            [
                format!("/api/us{}?per_page=1", call.path()),
                format!("/api/us{}?per_page=1", call.path()),
                format!("/api/us{}?organization_id=10234695&per_page=1", call.path()),
            ]
        );
    }
}

#[tokio::test]
async fn a_product_without_a_test_call_is_proved_by_user_info_alone() {
    let (base, mut seen) = recorder::start(|target| match target {
        "/oauth/user/info" => (200, user_body()),
        _ => not_found(),
    })
    .await;
    let us = tokens(DataCenter::Us, format!("{base}/api/us"));
    for product in ["payments", "analytics", "desk"] {
        let report = api(&base).test_connection(product, &us).await.unwrap();
        assert_eq!(report.product, product);
        assert_eq!(report.organizations, OrganizationChoice::NotListed);
        assert_eq!(
            report.user.unwrap().email.as_deref(),
            Some("comptable@example.eu")
        );
        let requests = recorder::drain(&mut seen);
        assert_eq!(requests.len(), 1, "{requests:?}");
        assert_eq!(requests[0].target(), "/oauth/user/info");
    }
}

#[tokio::test]
async fn without_the_profile_scope_a_product_test_passes_without_a_user() {
    let refused = json!({"code": "INVALID_OAUTHSCOPE", "message": "Invalid OAuth scope"});
    let (base, mut seen) = recorder::start(move |target| match target {
        "/oauth/user/info" => (401, refused.to_string()),
        "/api/us/books/v3/organizations" => (200, organizations_body()),
        _ => not_found(),
    })
    .await;
    let mut us = tokens(DataCenter::Us, format!("{base}/api/us"));
    let client = api(&base);

    let report = client.test_connection("books", &us).await.unwrap();
    assert_eq!(report.user, None);
    let OrganizationChoice::Several { organizations } = &report.organizations else {
        panic!("{report:?}")
    };
    assert_eq!(organizations.iter().filter(|o| o.is_default).count(), 1);
    assert_eq!(recorder::drain(&mut seen).len(), 2);

    // When Zoho said which scopes it granted, the refused call is not even made.
    us.scope = Some("ZohoBooks.settings.READ".into());
    let report = client.test_connection("books", &us).await.unwrap();
    assert_eq!(report.user, None);
    let requests = recorder::drain(&mut seen);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].target(), "/api/us/books/v3/organizations");

    // For a product whose only proof is the user-info call, the profile scope is needed.
    let err = client.test_connection("payments", &us).await.unwrap_err();
    assert!(
        matches!(err, Error::MissingScope { scope } if scope == PROFILE_READ),
        "{err:?}"
    );
    assert!(err.to_string().contains("AaaServer.profile.Read"));
}
