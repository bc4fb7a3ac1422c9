//! The consent flow of a server-based client, end to end against the sandbox: authorize
//! URL, the sandbox's consent page, the redirect caught by the loopback listener, the
//! exchange, the Books call, refresh and revocation.

mod support;

use std::time::Duration;

use zoho_oauth_core::authorize::{PendingConsent, RedirectUri};
use zoho_oauth_core::loopback::{AuthorizationCallback, CallbackListener, ListenerOptions};
use zoho_oauth_core::token::CodeExchange;
use zoho_oauth_core::Clock;
use zoho_oauth_core::{BooksClient, DataCenter, Error, RevokeOutcome, UserFacing};
use zoho_sandbox::{Decision, DEMO_EU_USER, DEMO_US_USER};

use support::{assert_no_secrets, browse, free_port, World, BOOKS_READ};

/// Starts a consent flow for a new client registered in `client_location`, lets
/// `user` answer the sandbox's consent page, and follows the redirect into the
/// listener as a browser would. Returns the pending flow, what the browser showed, and
/// what the listener caught.
async fn consent(
    world: &World,
    client_location: &str,
    user: &str,
    decision: Decision,
) -> (PendingConsent, String, Result<AuthorizationCallback, Error>) {
    let port = free_port();
    let redirect = RedirectUri::on_port(port).unwrap();
    let client = world.server_client(client_location, &redirect.to_string(), false);
    let dc = DataCenter::from_location(client_location).unwrap();
    let pending = PendingConsent::start(&world.env, dc, client, &[BOOKS_READ], redirect).unwrap();
    let listener = CallbackListener::bind(&pending, ListenerOptions::default())
        .await
        .unwrap();
    let waiting = tokio::spawn(listener.wait());
    let redirect_to = world
        .sandbox
        .consent(pending.authorize_url().as_str(), user, decision)
        .await
        .expect("the consent page redirects");
    let (_, page) = browse(&redirect_to).await;
    let caught = waiting.await.unwrap();
    (pending, page, caught)
}

#[tokio::test]
async fn the_whole_consent_flow_from_authorize_url_to_revocation() {
    let world = World::start().await;
    let (pending, page, caught) = consent(&world, "us", DEMO_US_USER, Decision::Accept).await;
    assert!(page.contains("You can close this tab and go back to the assistant"));
    let callback = caught.unwrap();
    assert_eq!(callback.account_dc, DataCenter::Us);
    let client = pending.client().clone();

    let mut tokens = world
        .tokens
        .exchange_consent(pending, callback)
        .await
        .unwrap();
    assert_eq!(tokens.dc, DataCenter::Us);
    assert_eq!(tokens.api_domain, world.sandbox.api_url("us"));
    assert_eq!(
        tokens.expires_at - world.clock.now(),
        time::Duration::hours(1)
    );
    let refresh_token = tokens.refresh_token.clone().expect("offline access");

    let organizations = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap();
    assert!(!organizations.is_empty());
    assert!(organizations.iter().all(|o| !o.id.is_empty()));

    let refreshed = world
        .tokens
        .refresh(tokens.dc, &client, &refresh_token)
        .await
        .unwrap();
    assert_ne!(refreshed.access_token, tokens.access_token);
    assert_eq!(refreshed.refresh_token.as_ref(), Some(&refresh_token));
    tokens = refreshed;
    BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .expect("the refreshed access token works");

    assert_eq!(
        world
            .tokens
            .revoke(tokens.dc, &refresh_token)
            .await
            .unwrap(),
        RevokeOutcome::Revoked
    );
    let err = world
        .tokens
        .refresh(tokens.dc, &client, &refresh_token)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RefreshTokenRevoked), "{err:?}");
    assert_no_secrets(
        &err,
        &[refresh_token.expose(), client.client_secret.expose()],
    );
    // Revoking the refresh token also ended its access tokens.
    let err = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "invalid_access_token");
    // Revoking again is not a failure: the token is gone either way.
    assert_eq!(
        world
            .tokens
            .revoke(tokens.dc, &refresh_token)
            .await
            .unwrap(),
        RevokeOutcome::AlreadyInvalid
    );
}

#[tokio::test]
async fn an_eu_account_starting_at_the_us_server_is_exchanged_in_the_eu() {
    let world = World::start().await;
    let port = free_port();
    let redirect = RedirectUri::on_port(port).unwrap();
    // A Multi-DC client registered in the US, used by an account that lives in the EU.
    let client = world.server_client("us", &redirect.to_string(), true);
    let pending =
        PendingConsent::start(&world.env, DataCenter::Us, client, &[BOOKS_READ], redirect).unwrap();
    assert!(pending
        .authorize_url()
        .as_str()
        .starts_with(&format!("{}/oauth/v2/auth?", world.sandbox.base_url())));
    let listener = CallbackListener::bind(&pending, ListenerOptions::default())
        .await
        .unwrap();
    let waiting = tokio::spawn(listener.wait());
    let redirect_to = world
        .sandbox
        .consent(
            pending.authorize_url().as_str(),
            DEMO_EU_USER,
            Decision::Accept,
        )
        .await
        .unwrap();
    browse(&redirect_to).await;
    let callback = waiting.await.unwrap().unwrap();
    assert_eq!(callback.account_dc, DataCenter::Eu);

    let tokens = world
        .tokens
        .exchange_consent(pending, callback)
        .await
        .unwrap();
    assert_eq!(tokens.dc, DataCenter::Eu);
    assert_eq!(tokens.api_domain, world.sandbox.api_url("eu"));
    let organizations = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap();
    assert!(!organizations.is_empty());
}

#[tokio::test]
async fn deny_on_the_consent_page_is_access_denied() {
    let world = World::start().await;
    let (_, page, caught) = consent(&world, "us", DEMO_US_USER, Decision::Deny).await;
    assert!(page.contains("Deny"), "{page}");
    let err = caught.unwrap_err();
    assert!(matches!(err, Error::AccessDenied), "{err:?}");
}

#[tokio::test]
async fn a_redirect_with_another_state_is_refused_and_its_code_not_used() {
    let world = World::start().await;
    let port = free_port();
    let redirect = RedirectUri::on_port(port).unwrap();
    let client = world.server_client("us", &redirect.to_string(), false);
    let ours = PendingConsent::start(
        &world.env,
        DataCenter::Us,
        client.clone(),
        &[BOOKS_READ],
        redirect.clone(),
    )
    .unwrap();
    // Another flow for the same client (another tab, or a forged link) completes first.
    let other =
        PendingConsent::start(&world.env, DataCenter::Us, client, &[BOOKS_READ], redirect).unwrap();
    let listener = CallbackListener::bind(&ours, ListenerOptions::default())
        .await
        .unwrap();
    let waiting = tokio::spawn(listener.wait());
    let redirect_to = world
        .sandbox
        .consent(
            other.authorize_url().as_str(),
            DEMO_US_USER,
            Decision::Accept,
        )
        .await
        .unwrap();
    let (status, page) = browse(&redirect_to).await;
    assert_eq!(status, 400);
    assert!(page.contains("does not belong to the sign-in"), "{page}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !waiting.is_finished(),
        "another flow's redirect ended this one"
    );

    // Our own consent still completes, and the other flow's code was never taken.
    let redirect_to = world
        .sandbox
        .consent(
            ours.authorize_url().as_str(),
            DEMO_US_USER,
            Decision::Accept,
        )
        .await
        .unwrap();
    let (status, _) = browse(&redirect_to).await;
    assert_eq!(status, 200);
    let callback = waiting.await.unwrap().unwrap();
    assert!(!redirect_to.contains("error="), "{redirect_to}");
    world.tokens.exchange_consent(ours, callback).await.unwrap();
}

#[tokio::test]
async fn a_consent_code_expires_after_sixty_seconds() {
    let world = World::start().await;
    let (pending, _, caught) = consent(&world, "us", DEMO_US_USER, Decision::Accept).await;
    world.sandbox.advance_clock(Duration::from_secs(61));
    let secret = pending.client().client_secret.clone();
    let callback = caught.unwrap();
    let code = callback.code.clone();
    let err = world
        .tokens
        .exchange_consent(pending, callback)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CodeExpiredOrUsed), "{err:?}");
    assert!(err.hint().contains("60 seconds"));
    assert_no_secrets(&err, &[code.expose(), secret.expose()]);
}

#[tokio::test]
async fn another_redirect_uri_on_the_exchange_is_a_mismatch() {
    let world = World::start().await;
    let (pending, _, caught) = consent(&world, "us", DEMO_US_USER, Decision::Accept).await;
    let callback = caught.unwrap();
    let elsewhere = "http://localhost:1/elsewhere";
    let err = world
        .tokens
        .exchange_code(CodeExchange {
            dc: callback.account_dc,
            client: pending.client(),
            code: &callback.code,
            redirect_uri: Some(elsewhere),
            code_verifier: Some(pending.verifier()),
            client_dc: Some(pending.client_dc()),
        })
        .await
        .unwrap_err();
    match &err {
        Error::RedirectUriMismatch { redirect_uri } => assert_eq!(redirect_uri, elsewhere),
        other => panic!("{other:?}"),
    }
    assert!(err.hint().contains(elsewhere));
}

#[tokio::test]
async fn a_code_without_its_pkce_verifier_is_refused() {
    let world = World::start().await;
    let (pending, _, caught) = consent(&world, "us", DEMO_US_USER, Decision::Accept).await;
    let callback = caught.unwrap();
    let redirect_uri = pending.redirect_uri().to_string();
    let stolen =
        zoho_oauth_core::PkceVerifier::new("a-verifier-that-is-not-the-one-sent-0000000000");
    let err = world
        .tokens
        .exchange_code(CodeExchange {
            dc: callback.account_dc,
            client: pending.client(),
            code: &callback.code,
            redirect_uri: Some(&redirect_uri),
            code_verifier: Some(&stolen),
            client_dc: None,
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "code_expired_or_used");
}

#[tokio::test]
async fn a_client_not_enabled_for_the_accounts_dc_is_a_wrong_data_center() {
    // As at Zoho: the consent completes and the browser comes back with the account's
    // DC, and the exchange there answers `invalid_client`, because the client has no
    // Multi-DC. Both directions: a US client with an EU account, and the reverse.
    for (client_location, user, client_dc, account_dc) in [
        ("us", DEMO_EU_USER, DataCenter::Us, DataCenter::Eu),
        ("eu", DEMO_US_USER, DataCenter::Eu, DataCenter::Us),
    ] {
        let world = World::start().await;
        let (pending, page, caught) =
            consent(&world, client_location, user, Decision::Accept).await;
        assert!(
            page.contains("You can close this tab and go back to the assistant"),
            "{page}"
        );
        let callback = caught.expect("the listener catches the redirect");
        assert_eq!(callback.account_dc, account_dc);
        let code = callback.code.clone();
        let secret = pending.client().client_secret.clone();
        let verifier = pending.verifier().clone();

        let err = world
            .tokens
            .exchange_consent(pending, callback)
            .await
            .unwrap_err();
        match &err {
            Error::WrongDataCenter {
                client_dc: c,
                account_dc: a,
            } => assert_eq!((*c, *a), (client_dc, account_dc)),
            other => panic!("{other:?}"),
        }
        assert_eq!(err.kind(), "wrong_data_center");
        assert!(err.to_string().contains(account_dc.name()), "{err}");
        let hint = err.hint();
        assert!(hint.contains("Multi-DC"), "{hint}");
        for named in [
            account_dc.name(),
            account_dc.api_console(),
            client_dc.name(),
            client_dc.api_console(),
        ] {
            assert!(hint.contains(named), "the hint lacks {named}: {hint}");
        }
        assert_no_secrets(&err, &[code.expose(), secret.expose(), verifier.expose()]);
    }
}
