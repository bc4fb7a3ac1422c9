//! The Zoho Books organizations call against the sandbox: the list, and the API-side
//! failures (missing scope, dead token, untrusted host, faults).

mod support;

use std::time::Duration;

use zoho_oauth_core::{BooksClient, DataCenter, Error, UserFacing};
use zoho_sandbox::{Fault, FaultKind, DEMO_EU_USER};

use support::{assert_no_secrets, World, BOOKS_READ};

#[tokio::test]
async fn lists_the_users_organizations() {
    let world = World::start().await;
    let (_, _, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    let organizations = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap();
    assert_eq!(organizations.len(), 2, "{organizations:?}");
    for org in &organizations {
        assert!(!org.id.is_empty());
        assert!(!org.name.is_empty());
        assert!(org.currency.as_deref().is_some_and(|c| !c.is_empty()));
    }
    assert_eq!(organizations.iter().filter(|o| o.is_default).count(), 1);
}

#[tokio::test]
async fn an_eu_self_client_reads_eu_organizations() {
    let world = World::start().await;
    let (registered, client) = world.self_client("eu", DEMO_EU_USER);
    let code = world.code_for(&registered, "ZohoBooks.fullaccess.all");
    let tokens = world
        .tokens
        .exchange_self_client_code(DataCenter::Eu, &client, &code)
        .await
        .unwrap();
    assert_eq!(tokens.api_domain, world.sandbox.api_url("eu"));
    let organizations = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap();
    assert!(!organizations.is_empty());
}

#[tokio::test]
async fn a_token_without_a_books_settings_scope_is_told_which_scope_to_add() {
    let world = World::start().await;
    let (_, _, tokens) = world.us_self_client_tokens("ZohoBooks.invoices.READ").await;
    let err = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingScope {
                scope: "ZohoBooks.settings.READ"
            }
        ),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .contains("add the scope ZohoBooks.settings.READ"));
    assert_no_secrets(&err, &[tokens.access_token.expose()]);
}

#[tokio::test]
async fn an_expired_access_token_is_invalid() {
    let world = World::start().await;
    let (_, _, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    world.sandbox.advance_clock(Duration::from_secs(3601));
    let err = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidAccessToken), "{err:?}");
    assert!(err.hint().contains("expired"));
    assert!(err.hint().contains("data center"));
    assert_no_secrets(&err, &[tokens.access_token.expose()]);
}

#[tokio::test]
async fn a_token_sent_to_another_data_centers_api_is_invalid() {
    let world = World::start().await;
    let (_, _, mut tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    // A connection saved with the wrong DC: the EU API does not know the US token.
    tokens.dc = DataCenter::Eu;
    tokens.api_domain = world.sandbox.api_url("eu");
    let err = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "invalid_access_token");
}

#[tokio::test]
async fn an_api_domain_outside_the_data_center_is_never_contacted() {
    let world = World::start().await;
    let (_, _, mut tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    // A listener standing in for someone else's server: it must see no request.
    let trap = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trap_addr = trap.local_addr().unwrap();
    tokens.api_domain = format!("http://{trap_addr}");
    let err = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap_err();
    match &err {
        Error::UntrustedHost { host } => assert_eq!(host, "127.0.0.1"),
        other => panic!("{other:?}"),
    }
    let contacted = tokio::time::timeout(Duration::from_millis(200), trap.accept()).await;
    assert!(
        contacted.is_err(),
        "the token was sent to an untrusted host"
    );
    assert_no_secrets(&err, &[tokens.access_token.expose()]);
}

#[tokio::test]
async fn an_accounts_server_is_never_taken_for_the_api_domain() {
    let world = World::start().await;
    let (_, _, mut tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    assert_ne!(tokens.api_domain, world.sandbox.accounts_url("us"));
    // The mix-up a client makes when it guesses the API host from the accounts server.
    tokens.api_domain = world.sandbox.accounts_url("us");
    let err = BooksClient::new(&world.tokens)
        .organizations(&tokens)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "untrusted_host", "{err:?}");
}

#[tokio::test]
async fn api_faults_map_like_token_faults() {
    let world = World::start().await;
    let (_, _, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    let books = BooksClient::new(&world.tokens);
    let cases = [
        (FaultKind::ServerError(502), "zoho_unavailable"),
        (FaultKind::MalformedJson, "unreadable_response"),
        (FaultKind::DropConnection, "connection_lost"),
    ];
    for (kind, expected) in cases {
        world.sandbox.set_fault(Fault {
            kind,
            remaining: Some(1),
        });
        let err = books.organizations(&tokens).await.unwrap_err();
        assert_eq!(err.kind(), expected, "{kind:?}");
        assert_no_secrets(&err, &[tokens.access_token.expose()]);
    }
    books.organizations(&tokens).await.expect("faults cleared");
}
