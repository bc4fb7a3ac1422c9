//! Every product's connection test against the sandbox, over HTTP: the call succeeds
//! with the product's scope, names that exact scope when it is missing, reports a dead
//! token, offers one organization and leaves several to choose, turns code 6024 into the
//! list, reads who is connected, and refuses the host mix-ups.

mod support;

use std::time::Duration;

use zoho_oauth_core::api::PROFILE_READ;
use zoho_oauth_core::scopes::product;
use zoho_oauth_core::{
    ApiClient, DataCenter, Error, OrgScopedCall, OrganizationCheck, OrganizationChoice, TestCall,
    Tokens, UserFacing,
};
use zoho_sandbox::{DEMO_EU_USER, DEMO_US_USER};

use support::{assert_no_secrets, World};

const INDIA_USER: &str = "accountant@example.in";

/// Tokens for a new Self Client of `owner` in `location`, granted `scope`.
async fn tokens_for(world: &World, location: &str, owner: &str, scope: &str) -> Tokens {
    let (registered, client) = world.self_client(location, owner);
    let code = world.code_for(&registered, scope);
    let dc = DataCenter::from_location(location).unwrap();
    world
        .tokens
        .exchange_self_client_code(dc, &client, &code)
        .await
        .expect("a fresh code exchanges")
}

fn with_profile(scope: &str) -> String {
    format!("{scope},{PROFILE_READ}")
}

#[tokio::test]
async fn every_product_test_succeeds_with_its_own_scope_and_shows_who_is_connected() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    // The US account: two Books and two Inventory organizations, one of the others.
    let expected = [
        (TestCall::Books, 2),
        (TestCall::Inventory, 2),
        (TestCall::Invoice, 1),
        (TestCall::Expense, 1),
        (TestCall::Crm, 1),
    ];
    for (call, count) in expected {
        let tokens = tokens_for(&world, "us", DEMO_US_USER, &with_profile(call.scope())).await;
        let report = api
            .test_connection(call.product_id(), &tokens)
            .await
            .unwrap();
        assert_eq!(report.product, call.product_id());
        let organizations = report.organizations.organizations();
        assert_eq!(organizations.len(), count, "{call:?}: {report:?}");
        for org in organizations {
            assert!(!org.id.is_empty() && !org.name.is_empty(), "{org:?}");
        }
        let user = report.user.expect("the profile scope was granted");
        assert_eq!(user.email.as_deref(), Some(DEMO_US_USER));
        assert_eq!(user.zuid.as_deref(), Some("749301256"));
        assert_eq!(user.describe(), format!("Alex Morgan ({DEMO_US_USER})"));
    }
}

#[tokio::test]
async fn one_organization_is_offered_several_are_left_to_choose_none_is_said() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);

    let us = tokens_for(&world, "us", DEMO_US_USER, TestCall::Books.scope()).await;
    let report = api.test_connection("books", &us).await.unwrap();
    let OrganizationChoice::Several { organizations } = &report.organizations else {
        panic!("{report:?}")
    };
    let names: Vec<&str> = organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Morgan Bookkeeping LLC", "Riverside Bakery Inc."]);
    assert_eq!(organizations.iter().filter(|o| o.is_default).count(), 1);
    assert!(organizations[0].is_default);
    assert_eq!(organizations[0].currency.as_deref(), Some("USD"));
    // Without the profile scope the Books test still passes, without a user.
    assert_eq!(report.user, None);

    let india = tokens_for(&world, "in", INDIA_USER, TestCall::Books.scope()).await;
    let report = api.test_connection("books", &india).await.unwrap();
    let OrganizationChoice::One { organization } = &report.organizations else {
        panic!("{report:?}")
    };
    assert_eq!(organization.name, "Sharma & Associates");
    assert_eq!(organization.id, "60012345");

    let eu = tokens_for(&world, "eu", DEMO_EU_USER, TestCall::Inventory.scope()).await;
    let report = api.test_connection("inventory", &eu).await.unwrap();
    assert_eq!(report.organizations, OrganizationChoice::NoneYet);
}

#[tokio::test]
async fn a_missing_scope_names_the_scope_this_product_needs() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    // Another product's scope, and the profile scope, but not this product's.
    for call in TestCall::ALL {
        let other = TestCall::ALL
            .into_iter()
            .find(|c| *c != call)
            .unwrap()
            .scope();
        let tokens = tokens_for(&world, "us", DEMO_US_USER, &with_profile(other)).await;
        let err = api
            .test_connection(call.product_id(), &tokens)
            .await
            .unwrap_err();
        match &err {
            Error::MissingScope { scope } => assert_eq!(*scope, call.scope(), "{call:?}"),
            other => panic!("{call:?}: {other:?}"),
        }
        assert!(err.to_string().contains(call.scope()));
        assert!(err.hint().contains(call.scope()));
        assert_no_secrets(&err, &[tokens.access_token.expose()]);
        // What the catalog would have said before connecting.
        let catalog = product(call.product_id()).unwrap();
        assert_eq!(
            catalog.missing_connection_test_scope(tokens.scope.as_deref().unwrap()),
            Some(call.scope())
        );
    }
}

#[tokio::test]
async fn a_dead_or_misplaced_token_is_reported_as_invalid_by_every_call() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    let all_scopes = TestCall::ALL
        .into_iter()
        .map(TestCall::scope)
        .chain([PROFILE_READ])
        .collect::<Vec<_>>()
        .join(",");
    let tokens = tokens_for(&world, "us", DEMO_US_USER, &all_scopes).await;
    // Saved with the wrong DC: the EU servers do not know the US token.
    let mut elsewhere = tokens.clone();
    elsewhere.dc = DataCenter::Eu;
    elsewhere.api_domain = world.sandbox.api_url("eu");
    for call in TestCall::ALL {
        let err = api.organizations(call, &elsewhere).await.unwrap_err();
        assert_eq!(err.kind(), "invalid_access_token", "{call:?}");
    }
    let err = api.user_info(&elsewhere).await.unwrap_err();
    assert_eq!(err.kind(), "invalid_access_token");

    world.sandbox.advance_clock(Duration::from_secs(3601));
    for call in TestCall::ALL {
        let err = api.organizations(call, &tokens).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidAccessToken),
            "{call:?}: {err:?}"
        );
        assert_no_secrets(&err, &[tokens.access_token.expose()]);
    }
    let err = api.user_info(&tokens).await.unwrap_err();
    assert!(matches!(err, Error::InvalidAccessToken), "{err:?}");
    assert!(err.hint().contains("expired"));
    let err = api
        .check_organization(OrgScopedCall::Books, &tokens, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "invalid_access_token");
}

#[tokio::test]
async fn who_is_connected_is_read_in_each_data_center() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    let eu = tokens_for(&world, "eu", DEMO_EU_USER, PROFILE_READ).await;
    let user = api.user_info(&eu).await.unwrap();
    assert_eq!(user.email.as_deref(), Some(DEMO_EU_USER));
    assert_eq!(user.first_name.as_deref(), Some("Camille"));
    assert_eq!(user.last_name.as_deref(), Some("Durand"));
    assert_eq!(user.zuid.as_deref(), Some("20845117309"));

    let books_only = tokens_for(&world, "eu", DEMO_EU_USER, TestCall::Books.scope()).await;
    let err = api.user_info(&books_only).await.unwrap_err();
    assert!(
        matches!(err, Error::MissingScope { scope } if scope == PROFILE_READ),
        "{err:?}"
    );
    assert!(err.hint().contains("AaaServer.profile.Read"));
}

#[tokio::test]
async fn products_without_a_test_call_are_proved_by_who_is_connected() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    let payments = tokens_for(
        &world,
        "us",
        DEMO_US_USER,
        &with_profile("ZohoPay.payments.READ"),
    )
    .await;
    let report = api.test_connection("payments", &payments).await.unwrap();
    assert_eq!(report.organizations, OrganizationChoice::NotListed);
    assert_eq!(report.user.unwrap().email.as_deref(), Some(DEMO_US_USER));

    let without = tokens_for(&world, "us", DEMO_US_USER, "ZohoPay.payments.READ").await;
    let err = api.test_connection("payments", &without).await.unwrap_err();
    assert!(
        matches!(err, Error::MissingScope { scope } if scope == PROFILE_READ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_user_with_several_organizations_is_asked_to_choose_never_given_one() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    let cases = [
        (
            OrgScopedCall::Books,
            ["Morgan Bookkeeping LLC", "Riverside Bakery Inc."],
        ),
        (
            OrgScopedCall::Inventory,
            ["Morgan Bookkeeping LLC", "Harbor Hardware Supply"],
        ),
    ];
    for (call, names) in cases {
        let tokens = tokens_for(&world, "us", DEMO_US_USER, call.scope()).await;
        let check = api.check_organization(call, &tokens, None).await.unwrap();
        let OrganizationCheck::ChooseOrganization { organizations } = check else {
            panic!("{call:?}: {check:?}")
        };
        let listed: Vec<&str> = organizations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(listed, names, "{call:?}");
        // Each of them can then be named, and works.
        for org in &organizations {
            let named = api
                .check_organization(call, &tokens, Some(&org.id))
                .await
                .unwrap();
            assert_eq!(named, OrganizationCheck::Answered, "{call:?} {}", org.name);
        }
        // An organization that is not this user's: the scope is there, so it is the
        // organization that is refused, not a scope that is missing.
        let err = api
            .check_organization(call, &tokens, Some("60012345"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::OrganizationRefused { organization_id, .. } if organization_id == "60012345"),
            "{err:?}"
        );
        assert_eq!(err.kind(), "organization_refused");
    }

    // A user with one organization: Zoho answers for it, and nothing needs choosing.
    let india = tokens_for(&world, "in", INDIA_USER, OrgScopedCall::Books.scope()).await;
    let check = api
        .check_organization(OrgScopedCall::Books, &india, None)
        .await
        .unwrap();
    assert_eq!(check, OrganizationCheck::Answered);

    // Without the read scope, the scope is named, whether or not an organization is.
    let settings = tokens_for(&world, "us", DEMO_US_USER, TestCall::Books.scope()).await;
    for organization in [None, Some("10234695")] {
        let err = api
            .check_organization(OrgScopedCall::Books, &settings, organization)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::MissingScope {
                    scope: "ZohoBooks.invoices.READ"
                }
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_user_without_crm_is_told_so() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    let eu = tokens_for(&world, "eu", DEMO_EU_USER, TestCall::Crm.scope()).await;
    let err = api.test_connection("crm", &eu).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NoProductAccount {
                product: "Zoho CRM"
            }
        ),
        "{err:?}"
    );
    assert!(err.hint().contains("Zoho CRM"));
}

#[tokio::test]
async fn mixed_up_hosts_are_refused_before_anything_is_sent() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    let mut tokens = tokens_for(
        &world,
        "us",
        DEMO_US_USER,
        &with_profile(TestCall::Books.scope()),
    )
    .await;
    assert_eq!(tokens.api_domain, world.sandbox.api_url("us"));
    // The accounts server given as the API domain.
    tokens.api_domain = world.sandbox.accounts_url("us");
    for call in TestCall::ALL {
        let err = api
            .test_connection(call.product_id(), &tokens)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "untrusted_host", "{call:?}");
    }
    // User info never depends on the API domain: it reaches the accounts server.
    let user = api.user_info(&tokens).await.unwrap();
    assert_eq!(user.email.as_deref(), Some(DEMO_US_USER));
}

#[tokio::test]
async fn every_preset_passes_its_products_connection_test() {
    let world = World::start().await;
    let api = ApiClient::new(&world.tokens);
    for call in TestCall::ALL {
        let catalog = product(call.product_id()).unwrap();
        for preset in &catalog.presets {
            let tokens = tokens_for(&world, "us", DEMO_US_USER, &preset.scope_string()).await;
            let report = api
                .test_connection(call.product_id(), &tokens)
                .await
                .unwrap_or_else(|e| panic!("{}/{}: {e:?}", catalog.id, preset.id));
            assert!(
                report.user.is_some(),
                "{}/{}: every preset shows who is connected",
                catalog.id,
                preset.id
            );
        }
    }
}
