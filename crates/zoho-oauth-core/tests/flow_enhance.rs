//! Adding scopes to a saved connection's refresh token, end to end against the sandbox:
//! the enhance token, the `addextrascope` page answered in the sandbox, the redirect
//! caught by the loopback listener, and the same refresh token carrying the new scope.

mod support;

use zoho_oauth_core::authorize::{PendingConsent, RedirectUri};
use zoho_oauth_core::enhance::{self, EnhanceRequest};
use zoho_oauth_core::loopback::{CallbackListener, ListenerOptions};
use zoho_oauth_core::{ClientCredentials, DataCenter, Error, RefreshToken, UserFacing};
use zoho_sandbox::{Decision, DEMO_US_USER};

use support::{assert_no_secrets, browse, free_port, World, BOOKS_READ};

const INVOICES_READ: &str = "ZohoBooks.invoices.READ";

/// A consent-page connection: client, redirect URI and refresh token with `BOOKS_READ`.
async fn connection(world: &World) -> (ClientCredentials, RedirectUri, RefreshToken) {
    let redirect = RedirectUri::on_port(free_port()).unwrap();
    let client = world.server_client("us", &redirect.to_string(), false);
    let pending = PendingConsent::start(
        &world.env,
        DataCenter::Us,
        client.clone(),
        &[BOOKS_READ],
        redirect.clone(),
    )
    .unwrap();
    let listener = CallbackListener::bind(&pending, ListenerOptions::default())
        .await
        .unwrap();
    let waiting = tokio::spawn(listener.wait());
    let to = world
        .sandbox
        .consent(
            pending.authorize_url().as_str(),
            DEMO_US_USER,
            Decision::Accept,
        )
        .await
        .unwrap();
    browse(&to).await;
    let callback = waiting.await.unwrap().unwrap();
    let tokens = world
        .tokens
        .exchange_consent(pending, callback)
        .await
        .unwrap();
    (client, redirect, tokens.refresh_token.unwrap())
}

async fn add(
    world: &World,
    client: &ClientCredentials,
    redirect: &RedirectUri,
    refresh_token: &RefreshToken,
    decision: Decision,
) -> (String, Result<(), Error>) {
    let scopes = vec![INVOICES_READ.to_owned()];
    let started = enhance::begin(
        &world.tokens,
        EnhanceRequest {
            dc: DataCenter::Us,
            client,
            refresh_token,
            scopes: &scopes,
            redirect_uri: redirect.clone(),
            listener: ListenerOptions::default(),
        },
    )
    .await
    .expect("the enhance token is granted and the listener opens");
    assert_eq!(started.scope(), INVOICES_READ);
    let url = started.url().to_string();
    let waiting = tokio::spawn(started.finish());
    let to = world
        .sandbox
        .add_scopes_consent(&url, decision)
        .expect("the page redirects");
    let (_, page) = browse(&to).await;
    (page, waiting.await.unwrap())
}

#[tokio::test]
async fn accepted_scopes_join_the_same_refresh_token_and_no_token_is_minted() {
    let world = World::start().await;
    let (client, redirect, refresh_token) = connection(&world).await;
    let count = world
        .sandbox
        .refresh_token_count(&client.client_id, DEMO_US_USER);
    assert_eq!(count, 1);

    let (page, outcome) = add(&world, &client, &redirect, &refresh_token, Decision::Accept).await;
    outcome.expect("scopes added");
    assert!(page.contains("Permissions added"), "{page}");

    let info = world
        .sandbox
        .refresh_token_info(refresh_token.expose())
        .unwrap();
    assert_eq!(info.scopes, [BOOKS_READ, INVOICES_READ]);
    assert_eq!(
        world
            .sandbox
            .refresh_token_count(&client.client_id, DEMO_US_USER),
        count
    );
    let refreshed = world
        .tokens
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap();
    assert_eq!(
        refreshed.scope.as_deref(),
        Some("ZohoBooks.settings.READ,ZohoBooks.invoices.READ")
    );
}

#[tokio::test]
async fn deny_is_access_denied_and_changes_nothing() {
    let world = World::start().await;
    let (client, redirect, refresh_token) = connection(&world).await;
    let (_, outcome) = add(&world, &client, &redirect, &refresh_token, Decision::Deny).await;
    let error = outcome.unwrap_err();
    assert!(matches!(error, Error::AccessDenied), "{error:?}");
    let info = world
        .sandbox
        .refresh_token_info(refresh_token.expose())
        .unwrap();
    assert_eq!(info.scopes, [BOOKS_READ]);
}

#[tokio::test]
async fn a_self_client_is_refused_before_and_by_zoho() {
    let world = World::start().await;
    let (_, client, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    let refresh_token = tokens.refresh_token.unwrap();
    let scopes = vec![INVOICES_READ.to_owned()];
    let error = enhance::begin(
        &world.tokens,
        EnhanceRequest {
            dc: DataCenter::Us,
            client: &client,
            refresh_token: &refresh_token,
            scopes: &scopes,
            redirect_uri: RedirectUri::on_port(free_port()).unwrap(),
            listener: ListenerOptions::default(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind(), "scopes_cannot_be_added");

    // A client saved as server-based that Zoho knows as a Self Client: Zoho's own answer.
    let mislabelled = ClientCredentials {
        client_type: zoho_oauth_core::ClientType::ServerBased,
        ..client.clone()
    };
    let error = world
        .tokens
        .request_enhance_token(DataCenter::Us, &mislabelled, &refresh_token)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ScopesCannotBeAdded), "{error:?}");
    assert!(error.hint().contains("Regenerate"));
}

#[tokio::test]
async fn a_revoked_refresh_token_or_a_wrong_secret_is_refused_with_the_usual_errors() {
    let world = World::start().await;
    let (client, _, refresh_token) = connection(&world).await;
    let wrong = ClientCredentials {
        client_secret: zoho_oauth_core::ClientSecret::new("0".repeat(42)),
        ..client.clone()
    };
    let error = world
        .tokens
        .request_enhance_token(DataCenter::Us, &wrong, &refresh_token)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidClientSecret), "{error:?}");

    let error = world
        .tokens
        .request_enhance_token(DataCenter::Eu, &client, &refresh_token)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidClient { .. }), "{error:?}");

    world
        .tokens
        .revoke(DataCenter::Us, &refresh_token)
        .await
        .unwrap();
    let error = world
        .tokens
        .request_enhance_token(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RefreshTokenRevoked), "{error:?}");
    assert_no_secrets(
        &error,
        &[refresh_token.expose(), client.client_secret.expose()],
    );
}

#[tokio::test]
async fn cancel_stops_the_wait_and_frees_the_port() {
    let world = World::start().await;
    let (client, redirect, refresh_token) = connection(&world).await;
    let scopes = vec![INVOICES_READ.to_owned()];
    let started = enhance::begin(
        &world.tokens,
        EnhanceRequest {
            dc: DataCenter::Us,
            client: &client,
            refresh_token: &refresh_token,
            scopes: &scopes,
            redirect_uri: redirect.clone(),
            listener: ListenerOptions::default(),
        },
    )
    .await
    .unwrap();
    let cancel = started.cancel_handle();
    let waiting = tokio::spawn(started.finish());
    cancel.cancel();
    let error = waiting.await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Cancelled), "{error:?}");
    std::net::TcpListener::bind(("127.0.0.1", redirect.port())).expect("the port is free again");
}

#[tokio::test]
async fn a_redirect_with_another_state_does_not_end_the_wait() {
    let world = World::start().await;
    let (client, redirect, refresh_token) = connection(&world).await;
    let scopes = vec![INVOICES_READ.to_owned()];
    let started = enhance::begin(
        &world.tokens,
        EnhanceRequest {
            dc: DataCenter::Us,
            client: &client,
            refresh_token: &refresh_token,
            scopes: &scopes,
            redirect_uri: redirect.clone(),
            listener: ListenerOptions::default(),
        },
    )
    .await
    .unwrap();
    let url = started.url().to_string();
    let waiting = tokio::spawn(started.finish());
    let (status, _) = browse(&format!("{redirect}?status=success&state=forged")).await;
    assert_eq!(status, 400);
    let to = world
        .sandbox
        .add_scopes_consent(&url, Decision::Accept)
        .unwrap();
    browse(&to).await;
    waiting
        .await
        .unwrap()
        .expect("the real answer still ends it");
}
