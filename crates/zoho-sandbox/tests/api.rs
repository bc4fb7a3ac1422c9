//! The API side: Zoho Books organizations with its token and scope checks, and
//! `/oauth/serverinfo`; and every DC's routes under `/{location}`.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use zoho_sandbox::{ClientSpec, DEMO_EU_USER, DEMO_US_USER, LOCATIONS};

#[tokio::test]
async fn organizations_are_listed_for_a_valid_token() {
    let sandbox = start().await;
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;

    let (status, body) = organizations(
        &sandbox.api_url("us"),
        Some(str_of(&tokens, "access_token")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    assert_eq!(body["message"], "success");
    let orgs = body["organizations"].as_array().expect("a list");
    assert_eq!(orgs.len(), 2);
    for org in orgs {
        for field in [
            "organization_id",
            "name",
            "contact_name",
            "email",
            "currency_code",
        ] {
            assert!(org[field].is_string(), "{field} in {org}");
        }
        assert!(org["is_default_org"].is_boolean());
        assert_eq!(org["email"], DEMO_US_USER);
        assert_eq!(org["currency_code"], "USD");
    }
    assert_eq!(
        orgs.iter().filter(|o| o["is_default_org"] == true).count(),
        1
    );

    let (_, tokens) =
        self_client_tokens(&sandbox, "eu", DEMO_EU_USER, "ZohoBooks.fullaccess.all").await;
    let (status, body) = organizations(
        &sandbox.api_url("eu"),
        Some(str_of(&tokens, "access_token")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["organizations"][0]["currency_code"], "EUR");
    assert_eq!(body["organizations"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn books_settings_scopes_are_matched_whatever_the_operation_case() {
    let sandbox = start().await;
    for scope in [
        "ZohoBooks.settings.read",
        "ZohoBooks.settings.ALL",
        "ZohoBooks.invoices.READ,ZohoBooks.fullaccess.ALL",
    ] {
        let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, scope).await;
        let (status, body) = organizations(
            &sandbox.api_url("us"),
            Some(str_of(&tokens, "access_token")),
        )
        .await;
        assert_eq!(status, 200, "{scope}: {body}");
    }
}

#[tokio::test]
async fn a_token_without_a_books_settings_scope_is_code_57() {
    let sandbox = start().await;
    for scope in [
        "ZohoBooks.invoices.READ",
        "ZohoBooks.settings.CREATE",
        "ZohoCRM.modules.ALL",
    ] {
        let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, scope).await;
        assert_eq!(
            organizations(
                &sandbox.api_url("us"),
                Some(str_of(&tokens, "access_token"))
            )
            .await,
            (
                401,
                json!({"code": 57, "message": "You are not authorized to perform this operation"})
            ),
            "{scope}"
        );
    }
}

#[tokio::test]
async fn a_missing_or_bad_token_is_code_14() {
    let sandbox = start().await;
    let api = sandbox.api_url("us");
    let invalid = (401, json!({"code": 14, "message": "Invalid OAuth token."}));
    assert_eq!(organizations(&sandbox.api_url("us"), None).await, invalid);
    assert_eq!(
        organizations(&sandbox.api_url("us"), Some("1000.not.a-token")).await,
        invalid
    );

    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let access = str_of(&tokens, "access_token");
    for header in [format!("Bearer {access}"), access.to_owned()] {
        let response = http()
            .get(format!("{api}/books/v3/organizations"))
            .header("Authorization", header)
            .send()
            .await
            .expect("request");
        assert_eq!(
            json_of(response).await,
            invalid,
            "only Zoho-oauthtoken is read"
        );
    }
    let response = http()
        .get(format!("{api}/books/v3/organizations"))
        .query(&[("access_token", access), ("authtoken", access)])
        .send()
        .await
        .expect("request");
    assert_eq!(
        json_of(response).await,
        invalid,
        "never from the query string"
    );
}

#[tokio::test]
async fn an_expired_access_token_is_code_14() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let access = str_of(&tokens, "access_token");

    sandbox.advance_clock(Duration::from_secs(3590));
    assert_eq!(
        organizations(&sandbox.api_url("us"), Some(access)).await.0,
        200
    );
    sandbox.advance_clock(Duration::from_secs(11));
    assert_eq!(
        organizations(&sandbox.api_url("us"), Some(access)).await,
        (401, json!({"code": 14, "message": "Invalid OAuth token."}))
    );

    let (_, refreshed) = refresh(&base, &client, str_of(&tokens, "refresh_token")).await;
    assert_eq!(
        organizations(
            &sandbox.api_url("us"),
            Some(str_of(&refreshed, "access_token"))
        )
        .await
        .0,
        200,
        "the refresh token outlives its access tokens"
    );
}

#[tokio::test]
async fn a_token_from_one_dc_is_invalid_at_another() {
    let sandbox = start().await;
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let access = str_of(&tokens, "access_token");
    for location in LOCATIONS.iter().filter(|l| **l != "us") {
        assert_eq!(
            organizations(&sandbox.api_url(location), Some(access))
                .await
                .0,
            401,
            "{location}"
        );
    }
    assert_eq!(
        organizations(&sandbox.api_url("us"), Some(access)).await.0,
        200
    );
}

#[tokio::test]
async fn serverinfo_lists_every_dc() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let mut expected = serde_json::Map::new();
    for location in LOCATIONS {
        expected.insert(location.to_owned(), json!(sandbox.accounts_url(location)));
    }
    let expected = json!({"result": "success", "locations": expected});
    assert_eq!(expected["locations"]["us"], json!(base));
    assert_eq!(expected["locations"]["eu"], json!(format!("{base}/eu")));

    for at in [base.clone(), format!("{base}/eu")] {
        let response = http()
            .get(format!("{at}/oauth/serverinfo"))
            .send()
            .await
            .expect("serverinfo");
        assert_eq!(json_of(response).await, (200, expected.clone()));
    }
}

#[tokio::test]
async fn every_dc_runs_the_whole_flow_under_its_location() {
    let sandbox = start().await;
    for location in LOCATIONS {
        let accounts = sandbox.accounts_url(location);
        let client = sandbox.register_client(ClientSpec::self_client(location, ""));
        let code = sandbox
            .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
            .expect("code");
        let (_, tokens) = exchange(&accounts, &client, &code, None, None).await;
        let api = sandbox.api_url(location);
        assert_eq!(str_of(&tokens, "api_domain"), api);
        assert_ne!(api, accounts);
        let (status, body) = organizations(&api, Some(str_of(&tokens, "access_token"))).await;
        assert_eq!(status, 200, "{location}: {body}");
        let (_, refreshed) = refresh(&accounts, &client, str_of(&tokens, "refresh_token")).await;
        assert!(
            refreshed["access_token"].is_string(),
            "{location}: {refreshed}"
        );
        assert_eq!(
            revoke(&accounts, str_of(&tokens, "refresh_token")).await.0,
            200
        );
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let sandbox = start().await;
    for path in ["/nowhere", "/xx/oauth/v2/token", "/eu/books/v3/invoices"] {
        let response = http()
            .get(format!("{}{path}", sandbox.base_url()))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn accounts_servers_and_api_domains_do_not_answer_each_others_calls() {
    let sandbox = start().await;
    for location in LOCATIONS {
        let accounts = sandbox.accounts_url(location);
        let api = sandbox.api_url(location);
        let client = sandbox.register_client(ClientSpec::self_client(location, ""));
        let code = sandbox
            .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
            .expect("code");

        // The token endpoint lives on the accounts server only: a code sent to the API
        // domain is not spent, and still works at the accounts server afterwards.
        let response = http()
            .post(format!("{api}/oauth/v2/token"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("client_id", client.client_id.as_str()),
                ("client_secret", client.client_secret.as_str()),
                ("code", code.as_str()),
            ])
            .send()
            .await
            .expect("token request at the API domain");
        let (status, body) = json_of(response).await;
        assert_eq!(status, 404, "{location}: {body}");
        assert_eq!(body["message"], "Invalid URL Passed", "{location}");
        assert!(body.get("access_token").is_none());

        let (_, tokens) = exchange(&accounts, &client, &code, None, None).await;
        let access = str_of(&tokens, "access_token");
        assert_eq!(str_of(&tokens, "api_domain"), api);

        // And the APIs live on the API domain only.
        let at_accounts = http()
            .get(format!("{accounts}/books/v3/organizations"))
            .header("Authorization", format!("Zoho-oauthtoken {access}"))
            .send()
            .await
            .expect("Books call at the accounts server");
        assert_eq!(
            at_accounts.status(),
            404,
            "{location}: Books answered at the accounts server"
        );
        assert_eq!(organizations(&api, Some(access)).await.0, 200);
    }
}
