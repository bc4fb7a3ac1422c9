//! Proxies: requests to the local sandbox never go through one (it speaks plain http, so
//! a proxy would read every secret), requests to Zoho go through the one configured, and
//! when that proxy inspects secure connections the user is told so, by the proxy's host.
//!
//! A test binary of its own, with a single test, because proxy variables are read from
//! the environment of the whole process.

mod support;
mod tls_support;

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use zoho_oauth_core::{
    BooksClient, DataCenter, Error, ManualClock, TokenClient, UserFacing, ZohoEnv,
};

use support::{assert_no_secrets, World, BOOKS_READ};

#[tokio::test]
async fn the_sandbox_bypasses_proxies_and_zoho_goes_through_the_configured_one() {
    // Stands in for a proxy for plain http and for everything: it must see nothing.
    let trap = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trap_url = format!("http://{}", trap.local_addr().unwrap());
    // Stands in for a proxy that inspects secure connections with its own certificate.
    let (inspector, mut inspected) =
        tls_support::serve(tls_support::self_signed_for("accounts.zoho.com"), true).await;
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::set_var(name, &trap_url);
    }
    let inspector_url = format!("http://jane:s3cret@{inspector}");
    std::env::set_var("HTTPS_PROXY", &inspector_url);
    std::env::set_var("https_proxy", &inspector_url);

    // The sandbox: code exchange, API call and refresh all reach it directly.
    let world = World::start().await;
    let (_, client, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .expect("the sandbox's API answers directly");
    let refresh_token = tokens.refresh_token.clone().unwrap();
    world
        .tokens
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .expect("the sandbox's token endpoint answers directly");
    let contacted = tokio::time::timeout(Duration::from_millis(200), trap.accept()).await;
    assert!(contacted.is_err(), "a sandbox request went through a proxy");

    // Zoho: through the configured proxy, which shows a certificate nobody trusts.
    let production = TokenClient::new(ZohoEnv::Production, Arc::new(ManualClock::new())).unwrap();
    let err = production
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap_err();
    match &err {
        Error::CertificateRefused { host, proxy, .. } => {
            assert_eq!(host, "accounts.zoho.com");
            assert_eq!(proxy.as_deref(), Some("127.0.0.1"));
        }
        other => panic!("{other:?}"),
    }
    let hint = err.hint();
    assert!(
        hint.contains("The company proxy this computer is set to use (127.0.0.1)"),
        "{hint}"
    );
    assert!(hint.contains("root certificate"), "{hint}");
    assert_no_secrets(
        &err,
        &[
            "jane",
            "s3cret",
            client.client_secret.expose(),
            refresh_token.expose(),
        ],
    );
    let seen = inspected.recv().await.expect("the proxy was asked");
    let connect = seen.connect.unwrap_or_default();
    assert!(
        connect.starts_with("CONNECT accounts.zoho.com:443 "),
        "{connect}"
    );
    assert!(!connect.contains(refresh_token.expose()));
    assert!(!connect.contains(client.client_secret.expose()));
    assert!(!seen.handshake_completed);
    assert!(
        seen.inside_tls.is_empty(),
        "something was sent to the proxy"
    );

    let contacted = tokio::time::timeout(Duration::from_millis(200), trap.accept()).await;
    assert!(contacted.is_err(), "an https request used the http proxy");
}
