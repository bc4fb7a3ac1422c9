//! The token client against the sandbox: the Self Client exchange, refresh rules, and
//! every failure Zoho (or the network) can answer, each as its typed error, none
//! carrying a secret.

mod support;

use std::time::Duration;

use zoho_oauth_core::Clock;
use zoho_oauth_core::{
    ClientCredentials, ClientSecret, ClientType, DataCenter, Error, Freshness, GrantCode,
    RevokeOutcome, TokenClient, UserFacing, ZohoEnv,
};
use zoho_sandbox::{Fault, FaultKind, DEMO_US_USER};

use support::{assert_no_secrets, free_port, World, BOOKS_READ};

#[tokio::test]
async fn a_self_client_code_exchanges_without_a_redirect_uri() {
    let world = World::start().await;
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let code = world.code_for(&registered, BOOKS_READ);
    let tokens = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap();
    assert_eq!(tokens.dc, DataCenter::Us);
    assert!(tokens.refresh_token.is_some());
    assert_eq!(tokens.scope.as_deref(), Some(BOOKS_READ));
    assert_eq!(
        tokens.expires_at - world.clock.now(),
        time::Duration::hours(1)
    );
}

#[tokio::test]
async fn pasted_values_with_stray_whitespace_still_work() {
    let world = World::start().await;
    let (registered, mut client) = world.self_client("us", DEMO_US_USER);
    let code = world.code_for(&registered, BOOKS_READ);
    let pasted = GrantCode::new(format!(" {}\n", code.expose()));
    client.client_id = format!("{}\t", client.client_id);
    client.client_secret = ClientSecret::new(format!(" {} ", client.client_secret.expose()));
    world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &pasted)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_code_works_once() {
    let world = World::start().await;
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let code = world.code_for(&registered, BOOKS_READ);
    world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap();
    let err = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CodeExpiredOrUsed), "{err:?}");
    assert_no_secrets(&err, &[code.expose(), client.client_secret.expose()]);
}

#[tokio::test]
async fn too_many_code_exchanges_for_one_client_are_throttled_in_words_of_codes() {
    let world = World::start().await;
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    // Ten exchanges of spent codes: each one counts at Zoho, refused or not.
    let spent = world.code_for(&registered, BOOKS_READ);
    let mut answers = Vec::new();
    for _ in 0..11 {
        answers.push(
            world
                .tokens
                .exchange_self_client_code(DataCenter::Us, &client, &spent)
                .await,
        );
    }
    assert!(answers[0].is_ok());
    for answer in &answers[1..10] {
        assert!(
            matches!(answer, Err(Error::CodeExpiredOrUsed)),
            "{answer:?}"
        );
    }
    let err = answers.pop().expect("11 answers").unwrap_err();
    assert_eq!(err.kind(), "code_exchanges_limited", "{err:?}");
    assert!(err.to_string().contains("exchange codes"), "{err}");
    assert!(err.hint().contains("15 minutes"), "{}", err.hint());
    assert_no_secrets(&err, &[spent.expose(), client.client_secret.expose()]);

    // Even a fresh code is refused during the lockout, and works after it.
    let fresh = world.code_for(&registered, BOOKS_READ);
    let refused = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &fresh)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), "code_exchanges_limited");
    world.sandbox.advance_clock(Duration::from_secs(15 * 60));
    let fresh = world.code_for(&registered, BOOKS_READ);
    world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &fresh)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_self_client_code_expires_with_its_chosen_duration() {
    let world = World::start().await;
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let code = world.code_for(&registered, BOOKS_READ); // 3 minutes
    world.sandbox.advance_clock(Duration::from_secs(3 * 60 + 1));
    let err = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "code_expired_or_used");
}

#[tokio::test]
async fn a_wrong_client_secret_is_named() {
    let world = World::start().await;
    let (registered, mut client) = world.self_client("us", DEMO_US_USER);
    let code = world.code_for(&registered, BOOKS_READ);
    let wrong = "ffffffffffffffffffffffffffffffffffffffffff";
    client.client_secret = ClientSecret::new(wrong);
    let err = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidClientSecret), "{err:?}");
    assert_no_secrets(&err, &[wrong, &registered.client_secret, code.expose()]);
}

#[tokio::test]
async fn an_unknown_client_id_is_invalid_client() {
    let world = World::start().await;
    let (registered, mut client) = world.self_client("us", DEMO_US_USER);
    let code = world.code_for(&registered, BOOKS_READ);
    client.client_id = "1000.NOSUCHCLIENT0000000000000000000".into();
    let err = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidClient { dc: DataCenter::Us }),
        "{err:?}"
    );
    assert_no_secrets(&err, &[&registered.client_secret, code.expose()]);
}

#[tokio::test]
async fn the_wrong_data_center_reads_as_invalid_client_with_a_data_center_hint() {
    let world = World::start().await;
    // The Self Client was made in the EU console; the user picked the US.
    let (registered, client) = world.self_client("eu", zoho_sandbox::DEMO_EU_USER);
    let code = world.code_for(&registered, BOOKS_READ);
    let err = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidClient { dc: DataCenter::Us }),
        "{err:?}"
    );
    assert!(err
        .hint()
        .starts_with("Most often the data center is wrong"));
    // At the right DC the same code still works: nothing was used up.
    world
        .tokens
        .exchange_self_client_code(DataCenter::Eu, &client, &code)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_refresh_token_used_at_another_data_center_is_refused() {
    let world = World::start().await;
    let (_, client, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    let refresh_token = tokens.refresh_token.unwrap();
    let err = world
        .tokens
        .refresh(DataCenter::Eu, &client, &refresh_token)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "invalid_client");
    assert_no_secrets(
        &err,
        &[refresh_token.expose(), client.client_secret.expose()],
    );
}

#[tokio::test]
async fn the_access_token_is_reused_until_a_minute_before_expiry() {
    let world = World::start().await;
    let (_, client, mut tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    let first = tokens.access_token.clone();

    // Any request would now fail: reusing the token must not make one.
    world.sandbox.set_fault(Fault {
        kind: FaultKind::ServerError(500),
        remaining: None,
    });
    for _ in 0..50 {
        assert_eq!(
            world
                .tokens
                .ensure_fresh(&client, &mut tokens)
                .await
                .unwrap(),
            Freshness::Reused
        );
    }
    world.clock.advance(Duration::from_secs(3600 - 61));
    assert_eq!(
        world
            .tokens
            .access_token_for(&client, &mut tokens)
            .await
            .unwrap(),
        first
    );

    // Inside the last minute a refresh is due; while Zoho fails, nothing changes.
    world.clock.advance(Duration::from_secs(2));
    let before = tokens.clone();
    let err = world
        .tokens
        .ensure_fresh(&client, &mut tokens)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "zoho_unavailable");
    assert_eq!(tokens, before);

    world.sandbox.clear_faults();
    assert_eq!(
        world
            .tokens
            .ensure_fresh(&client, &mut tokens)
            .await
            .unwrap(),
        Freshness::Refreshed
    );
    assert_ne!(tokens.access_token, first);
    assert_eq!(tokens.refresh_token, before.refresh_token);
    assert_eq!(tokens.scope, before.scope);
    assert_eq!(
        tokens.expires_at - world.clock.now(),
        time::Duration::hours(1)
    );
    assert_eq!(
        world
            .tokens
            .ensure_fresh(&client, &mut tokens)
            .await
            .unwrap(),
        Freshness::Reused
    );
}

#[tokio::test]
async fn refreshing_too_often_hits_zohos_rate_limit() {
    let world = World::start().await;
    let (_, client, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    let refresh_token = tokens.refresh_token.unwrap();
    let mut minted = 1; // the exchange minted one
    let err = loop {
        match world
            .tokens
            .refresh(DataCenter::Us, &client, &refresh_token)
            .await
        {
            Ok(_) => minted += 1,
            Err(err) => break err,
        }
        assert!(minted <= 10, "no limit after {minted} access tokens");
    };
    assert_eq!(minted, 10);
    assert!(matches!(err, Error::RateLimited), "{err:?}");
    assert!(err
        .to_string()
        .contains("10 per refresh token in 10 minutes"));
    assert!(err.hint().contains("Wait"));
    assert_no_secrets(
        &err,
        &[refresh_token.expose(), client.client_secret.expose()],
    );

    // Once the lockout has passed (15 minutes from the refusal, well beyond the
    // 10-minute window), refreshing works again.
    world.sandbox.advance_clock(Duration::from_secs(15 * 60));
    world
        .tokens
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_21st_refresh_token_silently_ends_the_first() {
    let world = World::start().await;
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let mut refresh_tokens = Vec::new();
    for _ in 0..21 {
        let code = world.code_for(&registered, BOOKS_READ);
        let tokens = world
            .tokens
            .exchange_self_client_code(DataCenter::Us, &client, &code)
            .await
            .unwrap();
        refresh_tokens.push(tokens.refresh_token.unwrap());
        // Stay clear of any limit on codes per client per window.
        world.sandbox.advance_clock(Duration::from_secs(61));
    }
    let err = world
        .tokens
        .refresh(DataCenter::Us, &client, &refresh_tokens[0])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RefreshTokenRevoked), "{err:?}");
    assert!(err.hint().contains("20 refresh tokens"));
    for survivor in [&refresh_tokens[1], &refresh_tokens[20]] {
        world
            .tokens
            .refresh(DataCenter::Us, &client, survivor)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn revoking_an_unknown_token_is_already_invalid() {
    let world = World::start().await;
    let outcome = world
        .tokens
        .revoke(
            DataCenter::Us,
            &zoho_oauth_core::RefreshToken::new(
                "1000.00000000000000000000000000000000.00000000000000000000000000000000",
            ),
        )
        .await
        .unwrap();
    assert_eq!(outcome, RevokeOutcome::AlreadyInvalid);
}

#[tokio::test]
async fn a_5xx_is_zoho_unavailable_and_leaves_the_code_usable() {
    let world = World::start().await;
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let code = world.code_for(&registered, BOOKS_READ);
    world.sandbox.set_fault(Fault {
        kind: FaultKind::ServerError(503),
        remaining: Some(1),
    });
    let err = world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ZohoUnavailable { status: 503 }),
        "{err:?}"
    );
    assert_no_secrets(&err, &[code.expose(), client.client_secret.expose()]);
    world
        .tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_body_that_is_not_json_is_unreadable() {
    let world = World::start().await;
    let (_, client, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    world.sandbox.set_fault(Fault {
        kind: FaultKind::MalformedJson,
        remaining: Some(1),
    });
    let refresh_token = tokens.refresh_token.unwrap();
    let err = world
        .tokens
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UnreadableResponse { status: 200 }),
        "{err:?}"
    );
    assert_no_secrets(
        &err,
        &[refresh_token.expose(), client.client_secret.expose()],
    );
}

#[tokio::test]
async fn a_dropped_connection_is_connection_lost() {
    let world = World::start().await;
    let (_, client, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    world.sandbox.set_fault(Fault {
        kind: FaultKind::DropConnection,
        remaining: Some(1),
    });
    let refresh_token = tokens.refresh_token.unwrap();
    let err = world
        .tokens
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{err:?}");
    assert_no_secrets(
        &err,
        &[refresh_token.expose(), client.client_secret.expose()],
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_at_the_configured_limit() {
    let world = World::start().await;
    let (_, client, tokens) = world.us_self_client_tokens(BOOKS_READ).await;
    world.sandbox.set_fault(Fault {
        kind: FaultKind::Delay(Duration::from_secs(3)),
        remaining: Some(1),
    });
    let impatient = world.token_client_with_timeout(Duration::from_millis(300));
    let refresh_token = tokens.refresh_token.unwrap();
    let started = std::time::Instant::now();
    let err = impatient
        .refresh(DataCenter::Us, &client, &refresh_token)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(err, Error::Timeout { after } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert_no_secrets(
        &err,
        &[refresh_token.expose(), client.client_secret.expose()],
    );
}

#[tokio::test]
async fn nobody_listening_is_a_network_error() {
    let port = free_port();
    let env = ZohoEnv::sandbox(format!("http://127.0.0.1:{port}"));
    let clock = std::sync::Arc::new(zoho_oauth_core::ManualClock::new());
    let tokens = TokenClient::new(env, clock).unwrap();
    let secret = "0123456789abcdef0123456789abcdef0123456789";
    let client = ClientCredentials {
        client_type: ClientType::SelfClient,
        client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".into(),
        client_secret: ClientSecret::new(secret),
    };
    let code =
        GrantCode::new("1000.11112222333344445555666677778888.99990000aaaabbbbccccddddeeeeffff");
    let err = tokens
        .exchange_self_client_code(DataCenter::Us, &client, &code)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
    assert!(err.hint().contains("internet connection"));
    assert_no_secrets(&err, &[secret, code.expose()]);
}

#[tokio::test]
async fn a_sandbox_off_this_computer_is_refused_before_any_request() {
    let clock: std::sync::Arc<dyn Clock> = std::sync::Arc::new(zoho_oauth_core::ManualClock::new());
    let Err(err) = TokenClient::new(ZohoEnv::sandbox("http://192.0.2.10:8765"), clock.clone())
    else {
        panic!("a remote plain-http sandbox must be refused");
    };
    assert_eq!(err.kind(), "untrusted_host");
    assert!(err.to_string().contains("192.0.2.10"));
    assert!(TokenClient::new(ZohoEnv::sandbox("http://127.0.0.1:8765"), clock).is_ok());
}
