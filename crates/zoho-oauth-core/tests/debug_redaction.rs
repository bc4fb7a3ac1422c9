//! Every public value of the consent flow and the token client that holds a secret can
//! be printed with `{:?}` (as logs and panics do) without showing it.

mod support;

use zoho_oauth_core::authorize::{PendingConsent, RedirectUri};
use zoho_oauth_core::loopback::{AuthorizationCallback, CallbackListener, ListenerOptions};
use zoho_oauth_core::token::CodeExchange;
use zoho_oauth_core::{AccessToken, DataCenter, GrantCode, RefreshToken, Tokens, ZohoEnv};

use support::{free_port, server_client};

const CODE: &str = "1000.11112222333344445555666677778888.99990000aaaabbbbccccddddeeeeffff";
const ACCESS: &str = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210";
const REFRESH: &str = "1000.aaaabbbbccccddddeeeeffff00001111.2222333344445555666677778888999a";

fn assert_hidden(what: &str, printed: &[String], secrets: &[&str]) {
    for text in printed {
        for secret in secrets {
            assert!(!text.contains(secret), "{what} shows a secret: {text}");
        }
    }
}

fn both<T: std::fmt::Debug>(value: &T) -> Vec<String> {
    vec![format!("{value:?}"), format!("{value:#?}")]
}

#[tokio::test]
async fn nothing_that_holds_a_secret_prints_it() {
    let port = free_port();
    let pending = PendingConsent::start(
        &ZohoEnv::sandbox("http://127.0.0.1:9"),
        DataCenter::Us,
        server_client(),
        &["ZohoBooks.settings.READ"],
        RedirectUri::on_port(port).unwrap(),
    )
    .unwrap();
    let client_secret = pending.client().client_secret.expose().to_owned();
    let state = pending.state().expose().to_owned();
    let verifier = pending.verifier().expose().to_owned();
    let secrets = [
        client_secret.as_str(),
        state.as_str(),
        verifier.as_str(),
        CODE,
        ACCESS,
        REFRESH,
    ];

    assert_hidden("PendingConsent", &both(&pending), &secrets);
    assert_hidden("ClientCredentials", &both(pending.client()), &secrets);

    let listener = CallbackListener::bind(&pending, ListenerOptions::default())
        .await
        .unwrap();
    assert_hidden("CallbackListener", &both(&listener), &secrets);
    drop(listener);

    let callback = AuthorizationCallback {
        code: GrantCode::new(CODE),
        account_dc: DataCenter::Eu,
    };
    assert_hidden("AuthorizationCallback", &both(&callback), &secrets);

    let redirect_uri = pending.redirect_uri().to_string();
    let exchange = CodeExchange {
        dc: DataCenter::Eu,
        client: pending.client(),
        code: &callback.code,
        redirect_uri: Some(&redirect_uri),
        code_verifier: Some(pending.verifier()),
        client_dc: Some(DataCenter::Us),
    };
    assert_hidden("CodeExchange", &both(&exchange), &secrets);

    let tokens = Tokens {
        dc: DataCenter::Eu,
        access_token: AccessToken::new(ACCESS),
        refresh_token: Some(RefreshToken::new(REFRESH)),
        api_domain: "https://www.zohoapis.eu".into(),
        scope: Some("ZohoBooks.settings.READ".into()),
        expires_at: time::OffsetDateTime::now_utc(),
    };
    assert_hidden("Tokens", &both(&tokens), &secrets);
    // Display of each secret type is redacted too.
    for shown in [
        tokens.access_token.to_string(),
        callback.code.to_string(),
        pending.verifier().to_string(),
        pending.client().client_secret.to_string(),
    ] {
        assert_eq!(shown, "[redacted]");
    }
}
