//! Client credentials through the core against the sandbox: a Self Client's token for
//! one organization with no refresh token, Zoho's refusals as typed errors, and a saved
//! connection that asks again once the token has run out without touching the
//! 20-refresh-token budget.

mod support;
mod vault_support;

use std::sync::Mutex;
use std::time::Duration;

use support::{World, BOOKS_READ};
use vault_support::{fast_options, passphrase, MemoryKeyStore};
use zoho_oauth_core::access::Obtained;
use zoho_oauth_core::vault::{
    ExportFormat, NewConnection, NewProtection, TokenOwner, TokenSource, Vault, VaultOptions,
};
use zoho_oauth_core::{
    ApiClient, ClientType, Clock, DataCenter, Error, SavedAccess, Soid, UserFacing, Want,
};
use zoho_sandbox::{DEMO_EU_USER, DEMO_US_USER};

fn books(org: &str) -> Soid {
    Soid::for_product("books", org).expect("a well-formed organization ID")
}

#[tokio::test]
async fn a_self_client_gets_a_token_that_works_on_its_organization() {
    let world = World::start().await;
    let (_, client) = world.self_client("us", DEMO_US_USER);
    let tokens = world
        .tokens
        .client_credentials(
            DataCenter::Us,
            &client,
            &[BOOKS_READ.to_owned()],
            &books("10234695"),
        )
        .await
        .expect("Zoho issues the token");
    assert!(tokens.refresh_token.is_none());
    assert_eq!(tokens.scope.as_deref(), Some(BOOKS_READ));

    let report = ApiClient::new(&world.tokens)
        .test_connection("books", &tokens)
        .await
        .expect("the token works on the Books API");
    assert!(report
        .organizations
        .organizations()
        .iter()
        .any(|o| o.id == "10234695"));
}

#[tokio::test]
async fn zohos_refusals_become_plain_typed_errors() {
    let world = World::start().await;
    let (_, client) = world.self_client("us", DEMO_US_USER);
    let scopes = [BOOKS_READ.to_owned()];

    let someone_elses = world
        .tokens
        .client_credentials(DataCenter::Us, &client, &scopes, &books("20081134"))
        .await
        .unwrap_err();
    assert!(
        matches!(&someone_elses, Error::OrgInfoRefused { organization_id } if organization_id == "20081134"),
        "{someone_elses:?}"
    );
    assert!(someone_elses.hint().contains("organization ID"));

    let wrong_dc = world
        .tokens
        .client_credentials(DataCenter::Eu, &client, &scopes, &books("10234695"))
        .await
        .unwrap_err();
    assert_eq!(wrong_dc.kind(), "invalid_client");

    let server = world.server_client("eu", "http://localhost:28739/zoho/callback", false);
    let not_self = world
        .tokens
        .client_credentials(DataCenter::Eu, &server, &scopes, &books("20081134"))
        .await
        .unwrap_err();
    assert_eq!(not_self.kind(), "client_type_refused");

    // A client that calls itself a Self Client but is not one: Zoho's own refusal.
    let disguised = zoho_oauth_core::ClientCredentials {
        client_type: ClientType::SelfClient,
        ..server
    };
    let refused = world
        .tokens
        .client_credentials(DataCenter::Eu, &disguised, &scopes, &books("20081134"))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), "client_type_refused");

    let (_, eu_client) = world.self_client("eu", DEMO_EU_USER);
    let ok = world
        .tokens
        .client_credentials(DataCenter::Eu, &eu_client, &scopes, &books("20081134"))
        .await;
    assert!(ok.is_ok(), "{ok:?}");
}

#[tokio::test]
async fn without_an_organization_zoho_says_missing_org_info() {
    let world = World::start().await;
    let (registered, _) = world.self_client("us", DEMO_US_USER);
    // The core never sends a request without soid; what Zoho answers to one still maps.
    let body = reqwest::Client::new()
        .post(format!("{}/oauth/v2/token", world.sandbox.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", registered.client_id.as_str()),
            ("client_secret", registered.client_secret.as_str()),
            ("scope", BOOKS_READ),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, r#"{"error":"missing_org_info"}"#);
    assert_eq!(Error::MissingOrgInfo.kind(), "missing_org_info");
}

#[tokio::test]
async fn a_saved_connection_asks_again_when_expired_and_spends_no_refresh_token() {
    let world = World::start().await;
    let (_, client) = world.self_client("us", DEMO_US_USER);
    let scopes = [BOOKS_READ.to_owned()];
    let soid = books("10234695");
    let tokens = world
        .tokens
        .client_credentials(DataCenter::Us, &client, &scopes, &soid)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = VaultOptions {
        clock: world.clock.clone(),
        ..fast_options(MemoryKeyStore::new())
    };
    let mut vault = Vault::create(
        dir.path().join("vault.zov"),
        NewProtection::Passphrase(passphrase()),
        options,
    )
    .unwrap();
    let id = vault
        .add(NewConnection::from_client_credentials(
            "One-time import",
            world.env.clone(),
            "Zoho Books",
            &client,
            Some(DEMO_US_USER.to_owned()),
            &tokens,
            &scopes,
            soid.clone(),
        ))
        .unwrap();
    let summary = vault.summary(&id).unwrap().clone();
    assert_eq!(
        summary.token_source,
        TokenSource::ClientCredentials { soid: soid.clone() }
    );
    let owner = TokenOwner::of(&summary);
    assert_eq!(vault.refresh_token_budget(&owner).live, 0);
    assert!(vault.get(&id).unwrap().secrets.refresh_token.is_none());

    let env_file = vault.export(&id, ExportFormat::DotEnv).unwrap();
    assert!(env_file
        .expose()
        .contains("ZOHO_SOID=\"ZohoBooks.10234695\""));
    assert!(!env_file.expose().contains("ZOHO_REFRESH_TOKEN"));

    let vault = Mutex::new(vault);
    let access = SavedAccess::new(world.clock.clone());
    let first = access
        .access_token(&vault, &id, Want::usable_now(world.clock.now()))
        .await
        .unwrap();
    assert_eq!(first.obtained, Obtained::Reused);

    world.clock.advance(Duration::from_secs(3600));
    world.sandbox.advance_clock(Duration::from_secs(3600));
    let again = access
        .access_token(&vault, &id, Want::usable_now(world.clock.now()))
        .await
        .expect("a new client-credentials token");
    assert_eq!(again.obtained, Obtained::Refreshed);
    assert_ne!(
        again.access_token().expose(),
        tokens.access_token.expose(),
        "a new token, asked for again"
    );
    assert!(again.tokens.refresh_token.is_none());
    ApiClient::new(&world.tokens)
        .test_connection("books", &again.tokens)
        .await
        .expect("the new token works");

    let vault = vault.into_inner().unwrap();
    assert_eq!(vault.refresh_token_budget(&owner).live, 0);
    let reopened = vault.get(&id).unwrap();
    assert!(reopened.secrets.refresh_token.is_none());
    assert_eq!(
        reopened
            .secrets
            .access_token
            .as_ref()
            .map(|t| t.expose().to_owned()),
        Some(again.access_token().expose().to_owned())
    );
}
