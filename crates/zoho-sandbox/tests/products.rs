//! Who is connected, and in which organization: user info on the accounts server, the
//! organizations of Books, Inventory, Invoice, Expense and CRM on the API domain, and
//! the organization-scoped reads that refuse to guess an organization (code 6024).

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use zoho_sandbox::{Sandbox, DEMO_EU_USER, DEMO_US_USER, LOCATIONS};

const INDIA_USER: &str = "accountant@example.in";
const PROFILE: &str = "AaaServer.profile.Read";

/// Each Books-family organizations route, with a scope that lists it.
const ORGANIZATION_ROUTES: [(&str, &str); 4] = [
    ("/books/v3/organizations", "ZohoBooks.settings.READ"),
    ("/inventory/v1/organizations", "ZohoInventory.settings.READ"),
    ("/invoice/v3/organizations", "ZohoInvoice.settings.READ"),
    ("/expense/v1/organizations", "ZohoExpense.orgsettings.READ"),
];

/// Every product route with a scope that grants it.
const PRODUCT_ROUTES: [(&str, &str); 7] = [
    ORGANIZATION_ROUTES[0],
    ORGANIZATION_ROUTES[1],
    ORGANIZATION_ROUTES[2],
    ORGANIZATION_ROUTES[3],
    ("/books/v3/invoices", "ZohoBooks.invoices.READ"),
    ("/inventory/v1/items", "ZohoInventory.items.READ"),
    ("/crm/v8/org", "ZohoCRM.org.READ"),
];

fn all_product_scopes() -> String {
    PRODUCT_ROUTES
        .iter()
        .map(|(_, scope)| *scope)
        .collect::<Vec<_>>()
        .join(",")
}

fn invalid_oauthtoken() -> (u16, Value) {
    (
        401,
        json!({"code": "INVALID_OAUTHTOKEN", "message": "Invalid OAuth token"}),
    )
}

fn books_invalid_token() -> (u16, Value) {
    (401, json!({"code": 14, "message": "Invalid OAuth token."}))
}

fn books_not_authorized() -> (u16, Value) {
    (
        401,
        json!({"code": 57, "message": "You are not authorized to perform this operation"}),
    )
}

fn crm_error(code: &str, message: &str) -> (u16, Value) {
    (
        401,
        json!({"code": code, "details": {}, "message": message, "status": "error"}),
    )
}

async fn user_info(sandbox: &Sandbox, location: &str, token: Option<&str>) -> (u16, Value) {
    get_with_token(
        &format!("{}/oauth/user/info", sandbox.accounts_url(location)),
        token,
    )
    .await
}

async fn api(sandbox: &Sandbox, location: &str, path: &str, token: Option<&str>) -> (u16, Value) {
    get_with_token(&format!("{}{path}", sandbox.api_url(location)), token).await
}

fn org_ids(body: &Value, key: &str) -> Vec<String> {
    body[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not a list in {body}"))
        .iter()
        .map(|org| str_of(org, "organization_id").to_owned())
        .collect()
}

// ---- user info --------------------------------------------------------------------

#[tokio::test]
async fn user_info_names_the_signed_in_user_with_a_stable_zuid() {
    let sandbox = start().await;
    let token = access_token(&sandbox, "us", DEMO_US_USER, PROFILE).await;
    let (status, body) = user_info(&sandbox, "us", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["First_Name"], "Alex");
    assert_eq!(body["Last_Name"], "Morgan");
    assert_eq!(body["Email"], DEMO_US_USER);
    assert_eq!(body["Display_Name"], "Alex Morgan");
    let zuid = body["ZUID"].as_u64().expect("ZUID is a JSON number");
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(5),
        "only the five fields: {body}"
    );

    // Another token of the same user, at the /us alias of the US server: same ZUID.
    let again = access_token(&sandbox, "us", DEMO_US_USER, "AaaServer.profile.READ").await;
    let (status, body) = get_with_token(
        &format!("{}/us/oauth/user/info", sandbox.base_url()),
        Some(&again),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ZUID"].as_u64(), Some(zuid));

    let eu = access_token(&sandbox, "eu", DEMO_EU_USER, PROFILE).await;
    let (status, body) = user_info(&sandbox, "eu", Some(&eu)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Email"], DEMO_EU_USER);
    assert_eq!(body["First_Name"], "Camille");
    assert_ne!(body["ZUID"].as_u64(), Some(zuid), "each user has their own");
}

#[tokio::test]
async fn every_seeded_user_has_a_first_name_last_name_and_zuid() {
    let sandbox = start().await;
    let mut zuids = Vec::new();
    for location in LOCATIONS {
        // An empty owner is the sandbox account of the client's DC.
        let token = access_token(&sandbox, location, "", PROFILE).await;
        let (status, body) = user_info(&sandbox, location, Some(&token)).await;
        assert_eq!(status, 200, "{location}: {body}");
        for field in ["First_Name", "Last_Name", "Email", "Display_Name"] {
            assert!(
                body[field].as_str().is_some_and(|v| !v.is_empty()),
                "{location}: {field} in {body}"
            );
        }
        zuids.push(body["ZUID"].as_u64().expect("a numeric ZUID"));
    }
    zuids.sort_unstable();
    zuids.dedup();
    assert_eq!(zuids.len(), LOCATIONS.len(), "ZUIDs are unique");
}

#[tokio::test]
async fn user_info_takes_the_profile_scope_in_the_spellings_zoho_uses() {
    let sandbox = start().await;
    for scope in [
        "AaaServer.profile.Read",
        "aaaserver.profile.READ",
        "AaaServer.profile.ALL",
        "ZohoBooks.settings.READ,AaaServer.profile.READ",
    ] {
        let token = access_token(&sandbox, "us", DEMO_US_USER, scope).await;
        let (status, body) = user_info(&sandbox, "us", Some(&token)).await;
        assert_eq!(status, 200, "{scope}: {body}");
    }
}

#[tokio::test]
async fn user_info_without_the_profile_scope_is_invalid_oauthscope() {
    let sandbox = start().await;
    for scope in [
        "ZohoBooks.settings.READ",
        "AaaServer.profile.UPDATE",
        "ZohoCRM.users.READ",
    ] {
        let token = access_token(&sandbox, "us", DEMO_US_USER, scope).await;
        assert_eq!(
            user_info(&sandbox, "us", Some(&token)).await,
            (
                401,
                json!({"code": "INVALID_OAUTHSCOPE", "message": "Invalid OAuth scope"})
            ),
            "{scope}"
        );
    }
}

#[tokio::test]
async fn user_info_refuses_a_missing_unknown_revoked_or_other_dc_token() {
    let sandbox = start().await;
    assert_eq!(user_info(&sandbox, "us", None).await, invalid_oauthtoken());
    assert_eq!(
        user_info(&sandbox, "us", Some("1000.not.a-token")).await,
        invalid_oauthtoken()
    );

    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, PROFILE).await;
    let access = str_of(&tokens, "access_token");
    let url = format!("{}/oauth/user/info", sandbox.accounts_url("us"));
    assert_eq!(
        get_with_authorization(&url, &format!("Bearer {access}")).await,
        invalid_oauthtoken(),
        "only Zoho-oauthtoken is read"
    );
    for location in LOCATIONS.iter().filter(|l| **l != "us") {
        assert_eq!(
            user_info(&sandbox, location, Some(access)).await,
            invalid_oauthtoken(),
            "a US token at {location}"
        );
    }
    assert_eq!(user_info(&sandbox, "us", Some(access)).await.0, 200);

    revoke(
        &sandbox.accounts_url("us"),
        str_of(&tokens, "refresh_token"),
    )
    .await;
    assert_eq!(
        user_info(&sandbox, "us", Some(access)).await,
        invalid_oauthtoken(),
        "revoking the refresh token kills its access token"
    );
}

#[tokio::test]
async fn user_info_refuses_an_expired_token() {
    let sandbox = start().await;
    let token = access_token(&sandbox, "us", DEMO_US_USER, PROFILE).await;
    sandbox.advance_clock(Duration::from_secs(3590));
    assert_eq!(user_info(&sandbox, "us", Some(&token)).await.0, 200);
    sandbox.advance_clock(Duration::from_secs(11));
    assert_eq!(
        user_info(&sandbox, "us", Some(&token)).await,
        invalid_oauthtoken()
    );
}

#[tokio::test]
async fn user_info_lives_on_the_accounts_server_only() {
    let sandbox = start().await;
    for location in LOCATIONS {
        let token = access_token(&sandbox, location, "", PROFILE).await;
        let (status, body) = api(&sandbox, location, "/oauth/user/info", Some(&token)).await;
        assert_eq!(status, 404, "{location}: {body}");
        assert_eq!(body, json!({"code": 5, "message": "Invalid URL Passed"}));
        assert_eq!(user_info(&sandbox, location, Some(&token)).await.0, 200);
    }
}

// ---- organizations of the Books family --------------------------------------------

#[tokio::test]
async fn every_product_lists_the_users_own_organizations() {
    let sandbox = start().await;
    let us = access_token(&sandbox, "us", DEMO_US_USER, &all_product_scopes()).await;
    let expected: [(&str, &[&str]); 4] = [
        ("/books/v3/organizations", &["10234695", "10234721"]),
        ("/inventory/v1/organizations", &["10234695", "10234812"]),
        ("/invoice/v3/organizations", &["10234695"]),
        ("/expense/v1/organizations", &["10234695"]),
    ];
    for (path, ids) in expected {
        let (status, body) = api(&sandbox, "us", path, Some(&us)).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["code"], 0, "{path}");
        assert_eq!(body["message"], "success", "{path}");
        assert_eq!(org_ids(&body, "organizations"), ids, "{path}");
        let orgs = body["organizations"].as_array().expect("a list");
        assert_eq!(orgs[0]["is_default_org"], true, "{path}");
        assert_eq!(orgs[0]["name"], "Morgan Bookkeeping LLC", "{path}");
        for org in orgs {
            assert_eq!(org["email"], DEMO_US_USER);
            assert_eq!(org["currency_code"], "USD");
            assert!(org["contact_name"].is_string());
        }
        assert_eq!(
            orgs.iter().filter(|o| o["is_default_org"] == true).count(),
            1,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_product_without_organizations_answers_an_empty_list() {
    let sandbox = start().await;
    let eu = access_token(&sandbox, "eu", DEMO_EU_USER, &all_product_scopes()).await;
    let expected: [(&str, &[&str]); 4] = [
        ("/books/v3/organizations", &["20081134", "20081167"]),
        ("/inventory/v1/organizations", &[]),
        ("/invoice/v3/organizations", &[]),
        ("/expense/v1/organizations", &["20081134"]),
    ];
    for (path, ids) in expected {
        let (status, body) = api(&sandbox, "eu", path, Some(&eu)).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["code"], 0, "{path}");
        assert_eq!(org_ids(&body, "organizations"), ids, "{path}");
    }
    let (_, body) = api(&sandbox, "eu", "/expense/v1/organizations", Some(&eu)).await;
    assert_eq!(body["organizations"][0]["currency_code"], "EUR");
}

#[tokio::test]
async fn each_product_needs_its_own_settings_scope() {
    let sandbox = start().await;
    for (path, scope) in ORGANIZATION_ROUTES {
        // Every other product's settings scope, and the product's own module scopes,
        // do not list its organizations.
        let others: Vec<&str> = ORGANIZATION_ROUTES
            .iter()
            .filter(|(p, _)| *p != path)
            .map(|(_, s)| *s)
            .collect();
        let service = scope.split('.').next().expect("a service");
        for wrong in [
            others.join(","),
            format!("{service}.invoices.READ,{service}.items.READ"),
            format!("{service}.settings.CREATE"),
        ] {
            let token = access_token(&sandbox, "us", DEMO_US_USER, &wrong).await;
            assert_eq!(
                api(&sandbox, "us", path, Some(&token)).await,
                books_not_authorized(),
                "{path} with {wrong}"
            );
        }
        let token = access_token(&sandbox, "us", DEMO_US_USER, scope).await;
        assert_eq!(api(&sandbox, "us", path, Some(&token)).await.0, 200);
    }
}

#[tokio::test]
async fn full_access_and_any_operation_case_list_organizations() {
    let sandbox = start().await;
    for (path, scope) in [
        ("/books/v3/organizations", "ZohoBooks.fullaccess.all"),
        (
            "/inventory/v1/organizations",
            "ZohoInventory.FullAccess.all",
        ),
        ("/inventory/v1/organizations", "ZohoInventory.settings.read"),
        ("/invoice/v3/organizations", "ZohoInvoice.fullaccess.all"),
        ("/invoice/v3/organizations", "ZohoInvoice.settings.ALL"),
        ("/expense/v1/organizations", "ZohoExpense.fullaccess.ALL"),
        ("/expense/v1/organizations", "ZohoExpense.orgsettings.read"),
    ] {
        let token = access_token(&sandbox, "us", DEMO_US_USER, scope).await;
        let (status, body) = api(&sandbox, "us", path, Some(&token)).await;
        assert_eq!(status, 200, "{path} with {scope}: {body}");
    }
}

#[tokio::test]
async fn books_family_routes_refuse_a_missing_bad_revoked_or_other_dc_token() {
    let sandbox = start().await;
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, &all_product_scopes()).await;
    let access = str_of(&tokens, "access_token");
    let books_family = &PRODUCT_ROUTES[..6];
    for (path, _) in books_family {
        let url = format!("{}{path}", sandbox.api_url("us"));
        assert_eq!(api(&sandbox, "us", path, None).await, books_invalid_token());
        assert_eq!(
            api(&sandbox, "us", path, Some("1000.not.a-token")).await,
            books_invalid_token(),
            "{path}"
        );
        assert_eq!(
            get_with_authorization(&url, &format!("Bearer {access}")).await,
            books_invalid_token(),
            "{path}: only Zoho-oauthtoken is read"
        );
        let in_query = http()
            .get(&url)
            .query(&[("access_token", access), ("organization_id", "10234695")])
            .send()
            .await
            .expect("request");
        assert_eq!(
            json_of(in_query).await,
            books_invalid_token(),
            "{path}: never from the query string"
        );
        assert_eq!(
            api(&sandbox, "eu", path, Some(access)).await,
            books_invalid_token(),
            "{path}: a US token at the EU API domain"
        );
    }

    revoke(
        &sandbox.accounts_url("us"),
        str_of(&tokens, "refresh_token"),
    )
    .await;
    for (path, _) in books_family {
        assert_eq!(
            api(&sandbox, "us", path, Some(access)).await,
            books_invalid_token(),
            "{path} after revoking"
        );
    }
}

#[tokio::test]
async fn product_routes_refuse_an_expired_token() {
    let sandbox = start().await;
    let token = access_token(&sandbox, "in", INDIA_USER, &all_product_scopes()).await;
    for (path, _) in PRODUCT_ROUTES {
        assert_eq!(
            api(&sandbox, "in", path, Some(&token)).await.0,
            200,
            "{path}"
        );
    }
    sandbox.advance_clock(Duration::from_secs(3601));
    for (path, _) in &PRODUCT_ROUTES[..6] {
        assert_eq!(
            api(&sandbox, "in", path, Some(&token)).await,
            books_invalid_token(),
            "{path}"
        );
    }
    assert_eq!(
        api(&sandbox, "in", "/crm/v8/org", Some(&token)).await,
        crm_error("INVALID_TOKEN", "invalid oauth token")
    );
}

// ---- organization-scoped reads: the 6024 rule -------------------------------------

#[tokio::test]
async fn several_books_organizations_and_no_organization_id_is_6024() {
    let sandbox = start().await;
    let token = access_token(&sandbox, "us", DEMO_US_USER, "ZohoBooks.invoices.READ").await;
    let expected = (
        400,
        json!({
            "code": 6024,
            "message": "This user belongs to multiple organizations. Please select an organization.",
            "error_info": [
                {"organization_id": "10234695", "name": "Morgan Bookkeeping LLC"},
                {"organization_id": "10234721", "name": "Riverside Bakery Inc."},
            ],
        }),
    );
    assert_eq!(
        api(&sandbox, "us", "/books/v3/invoices", Some(&token)).await,
        expected
    );
    assert_eq!(
        api(
            &sandbox,
            "us",
            "/books/v3/invoices?organization_id=",
            Some(&token)
        )
        .await,
        expected,
        "an empty organization_id names nothing"
    );
}

#[tokio::test]
async fn an_organization_id_picks_that_organizations_invoices() {
    let sandbox = start().await;
    let token = access_token(&sandbox, "us", DEMO_US_USER, "ZohoBooks.fullaccess.all").await;
    let mut seen = Vec::new();
    for org in ["10234695", "10234721"] {
        let path = format!("/books/v3/invoices?organization_id={org}");
        let (status, body) = api(&sandbox, "us", &path, Some(&token)).await;
        assert_eq!(status, 200, "{org}: {body}");
        assert_eq!(body["code"], 0);
        assert_eq!(body["message"], "success");
        let invoices = body["invoices"].as_array().expect("a list");
        assert!(!invoices.is_empty(), "{body}");
        for invoice in invoices {
            for field in [
                "invoice_id",
                "invoice_number",
                "customer_name",
                "status",
                "date",
            ] {
                assert!(invoice[field].is_string(), "{field} in {invoice}");
            }
            assert!(invoice["total"].is_number());
            assert_eq!(invoice["currency_code"], "USD");
        }
        let context = &body["page_context"];
        assert_eq!(context["page"], 1);
        assert_eq!(context["has_more_page"], false);
        seen.push(invoices[0]["invoice_id"].clone());
    }
    assert_ne!(seen[0], seen[1], "each organization has its own invoices");
}

#[tokio::test]
async fn a_single_organization_is_used_without_organization_id() {
    let sandbox = start().await;
    let token = access_token(
        &sandbox,
        "in",
        INDIA_USER,
        "ZohoBooks.invoices.READ,ZohoInventory.items.READ",
    )
    .await;
    let (status, without) = api(&sandbox, "in", "/books/v3/invoices", Some(&token)).await;
    assert_eq!(status, 200, "{without}");
    let (_, named) = api(
        &sandbox,
        "in",
        "/books/v3/invoices?organization_id=60012345",
        Some(&token),
    )
    .await;
    assert_eq!(without, named, "the one organization is the one used");
    assert_eq!(without["invoices"][0]["currency_code"], "INR");

    let (status, items) = api(&sandbox, "in", "/inventory/v1/items", Some(&token)).await;
    assert_eq!(status, 200, "{items}");
    assert_eq!(items["code"], 0);
    assert!(items["items"].as_array().is_some_and(|i| !i.is_empty()));
    assert_eq!(items["page_context"]["report_name"], "Items");
}

#[tokio::test]
async fn an_organization_that_is_not_the_users_is_refused() {
    let sandbox = start().await;
    let token = access_token(
        &sandbox,
        "us",
        DEMO_US_USER,
        "ZohoBooks.invoices.READ,ZohoInventory.items.READ",
    )
    .await;
    for path in [
        // The EU user's organization.
        "/books/v3/invoices?organization_id=20081134",
        // The user's own Inventory organization is not a Books one.
        "/books/v3/invoices?organization_id=10234812",
        "/books/v3/invoices?organization_id=not-a-number",
        // The user's own Books organization is not an Inventory one.
        "/inventory/v1/items?organization_id=10234721",
    ] {
        assert_eq!(
            api(&sandbox, "us", path, Some(&token)).await,
            books_not_authorized(),
            "{path}"
        );
    }
    let (status, body) = api(
        &sandbox,
        "us",
        "/inventory/v1/items?organization_id=10234812",
        Some(&token),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn several_inventory_organizations_is_6024_and_none_is_refused() {
    let sandbox = start().await;
    let us = access_token(&sandbox, "us", DEMO_US_USER, "ZohoInventory.FullAccess.all").await;
    let (status, body) = api(&sandbox, "us", "/inventory/v1/items", Some(&us)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], 6024);
    assert_eq!(
        body["error_info"],
        json!([
            {"organization_id": "10234695", "name": "Morgan Bookkeeping LLC"},
            {"organization_id": "10234812", "name": "Harbor Hardware Supply"},
        ])
    );
    assert!(body.get("items").is_none(), "nothing is listed: {body}");

    let eu = access_token(&sandbox, "eu", DEMO_EU_USER, "ZohoInventory.items.READ").await;
    assert_eq!(
        api(&sandbox, "eu", "/inventory/v1/items", Some(&eu)).await,
        books_not_authorized(),
        "a user with no Inventory organization"
    );
}

#[tokio::test]
async fn organization_scoped_reads_need_their_module_scope() {
    let sandbox = start().await;
    for (path, wrong) in [
        (
            "/books/v3/invoices?organization_id=10234695",
            "ZohoBooks.settings.READ,ZohoBooks.invoices.CREATE",
        ),
        (
            "/inventory/v1/items?organization_id=10234695",
            "ZohoInventory.settings.READ,ZohoBooks.fullaccess.all",
        ),
    ] {
        let token = access_token(&sandbox, "us", DEMO_US_USER, wrong).await;
        assert_eq!(
            api(&sandbox, "us", path, Some(&token)).await,
            books_not_authorized(),
            "{path} with {wrong}"
        );
    }
    // The scope is checked before the organization: no list of organizations leaks to a
    // token that may not read the listing.
    let token = access_token(&sandbox, "us", DEMO_US_USER, "ZohoBooks.settings.READ").await;
    assert_eq!(
        api(&sandbox, "us", "/books/v3/invoices", Some(&token)).await,
        books_not_authorized()
    );
}

// ---- CRM ------------------------------------------------------------------------------

#[tokio::test]
async fn crm_answers_the_one_organization_of_the_token() {
    let sandbox = start().await;
    let token = access_token(&sandbox, "us", DEMO_US_USER, "ZohoCRM.org.READ").await;
    let (status, body) = api(&sandbox, "us", "/crm/v8/org", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    let orgs = body["org"].as_array().expect("a list");
    assert_eq!(orgs.len(), 1, "one org per token: {body}");
    let org = &orgs[0];
    for field in [
        "id",
        "company_name",
        "primary_email",
        "currency",
        "time_zone",
        "country",
    ] {
        assert!(org[field].is_string(), "{field} in {org}");
    }
    assert_eq!(org["company_name"], "Morgan Bookkeeping LLC");
    assert_eq!(org["primary_email"], DEMO_US_USER);
    assert_eq!(org["currency"], "USD");
    assert_eq!(org["time_zone"], "America/New_York");

    // The org's owner is the user info's ZUID.
    let profile = access_token(&sandbox, "us", DEMO_US_USER, PROFILE).await;
    let (_, me) = user_info(&sandbox, "us", Some(&profile)).await;
    assert_eq!(
        org["primary_zuid"],
        json!(me["ZUID"].as_u64().expect("ZUID").to_string())
    );

    for scope in ["ZohoCRM.org.ALL", "ZohoCRM.org.read"] {
        let token = access_token(&sandbox, "us", DEMO_US_USER, scope).await;
        assert_eq!(
            api(&sandbox, "us", "/crm/v8/org", Some(&token)).await.0,
            200,
            "{scope}"
        );
    }
}

#[tokio::test]
async fn crm_without_the_org_scope_is_oauth_scope_mismatch() {
    let sandbox = start().await;
    for scope in [
        "ZohoCRM.modules.ALL",
        "ZohoCRM.settings.ALL",
        "ZohoCRM.users.READ",
        "ZohoBooks.fullaccess.all",
    ] {
        let token = access_token(&sandbox, "us", DEMO_US_USER, scope).await;
        assert_eq!(
            api(&sandbox, "us", "/crm/v8/org", Some(&token)).await,
            crm_error(
                "OAUTH_SCOPE_MISMATCH",
                "invalid oauth scope to access this URL"
            ),
            "{scope}"
        );
    }
}

#[tokio::test]
async fn crm_refuses_missing_and_bad_tokens_in_its_own_words() {
    let sandbox = start().await;
    let no_credentials = crm_error("AUTHENTICATION_FAILURE", "Authentication failed");
    let invalid = crm_error("INVALID_TOKEN", "invalid oauth token");
    let url = format!("{}/crm/v8/org", sandbox.api_url("us"));

    assert_eq!(
        api(&sandbox, "us", "/crm/v8/org", None).await,
        no_credentials
    );
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, "ZohoCRM.org.READ").await;
    let access = str_of(&tokens, "access_token");
    assert_eq!(
        get_with_authorization(&url, &format!("Bearer {access}")).await,
        no_credentials,
        "a header CRM cannot read is no credential at all"
    );
    assert_eq!(
        api(&sandbox, "us", "/crm/v8/org", Some("1000.not.a-token")).await,
        invalid
    );
    assert_eq!(
        api(&sandbox, "eu", "/crm/v8/org", Some(access)).await,
        invalid,
        "a US token at the EU API domain"
    );
    assert_eq!(
        api(&sandbox, "us", "/crm/v8/org", Some(access)).await.0,
        200
    );
    revoke(
        &sandbox.accounts_url("us"),
        str_of(&tokens, "refresh_token"),
    )
    .await;
    assert_eq!(
        api(&sandbox, "us", "/crm/v8/org", Some(access)).await,
        invalid,
        "after revoking"
    );
}

#[tokio::test]
async fn an_account_without_crm_is_no_crm_account() {
    let sandbox = start().await;
    for (location, user) in [("eu", DEMO_EU_USER), ("cn", "kuaiji@example.cn")] {
        let token = access_token(&sandbox, location, user, "ZohoCRM.org.READ").await;
        assert_eq!(
            api(&sandbox, location, "/crm/v8/org", Some(&token)).await,
            crm_error(
                "NO_CRM_ACCOUNT",
                "the user does not belong to any Zoho CRM organization"
            ),
            "{user}"
        );
    }
}

// ---- where the routes live -------------------------------------------------------------

#[tokio::test]
async fn product_routes_are_absent_from_every_accounts_server() {
    let sandbox = start().await;
    for location in LOCATIONS {
        let token = access_token(&sandbox, location, "", &all_product_scopes()).await;
        let accounts = sandbox.accounts_url(location);
        for (path, _) in PRODUCT_ROUTES {
            let response = http()
                .get(format!("{accounts}{path}"))
                .header("Authorization", format!("Zoho-oauthtoken {token}"))
                .send()
                .await
                .expect("request at the accounts server");
            assert_eq!(
                response.status(),
                404,
                "{location}: {path} answered at the accounts server"
            );
            let (status, body) = api(&sandbox, location, path, Some(&token)).await;
            assert_ne!(
                status, 404,
                "{location}: {path} missing at the API domain: {body}"
            );
        }
    }
}
