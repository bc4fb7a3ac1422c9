//! Property tests of the token-answer and error-body parser: whatever the token
//! endpoint (or something posing as it) sends, the answer is judged without a panic,
//! without repeating a token, and a good answer reads back what it carried.
//! `PROPTEST_CASES` sets how many cases each runs (see the README).

use proptest::prelude::*;
use zeroize::Zeroizing;

use super::*;
use crate::error::UserFacing;

fn answer(status: u16, body: Vec<u8>) -> Answer {
    Answer {
        status,
        body: Zeroizing::new(body),
    }
}

fn ctx(env: &ZohoEnv, grant: Grant) -> Context<'_> {
    Context {
        env,
        dc: DataCenter::Eu,
        client_dc: Some(DataCenter::Us),
        grant,
        redirect_uri: Some("http://localhost:28739/zoho/callback".into()),
        now: OffsetDateTime::UNIX_EPOCH,
    }
}

fn grant() -> impl Strategy<Value = Grant> {
    prop_oneof![Just(Grant::AuthorizationCode), Just(Grant::RefreshToken)]
}

/// A JSON value for one field: the right type, the wrong one, or missing.
fn field(
    right: BoxedStrategy<serde_json::Value>,
) -> impl Strategy<Value = Option<serde_json::Value>> {
    use serde_json::Value;
    proptest::option::of(prop_oneof![
        4 => right,
        1 => any::<i64>().prop_map(Value::from),
        1 => ".{0,20}".prop_map(Value::from),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
    ])
}

fn text() -> BoxedStrategy<serde_json::Value> {
    ".{0,80}".prop_map(serde_json::Value::from).boxed()
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let lifetime = any::<u64>().prop_map(serde_json::Value::from).boxed();
    let domain = prop_oneof![
        Just("https://www.zohoapis.eu".to_owned()),
        Just("https://www.zohoapis.com".to_owned()),
        "https?://[a-z.]{1,30}",
    ]
    .prop_map(serde_json::Value::from)
    .boxed();
    let error = prop_oneof![
        Just("invalid_code".to_owned()),
        Just("invalid_client".to_owned()),
        Just("invalid_client_secret".to_owned()),
        Just("invalid_redirect_uri".to_owned()),
        Just("invalid_token".to_owned()),
        Just("Access Denied".to_owned()),
        ".{0,40}",
    ]
    .prop_map(serde_json::Value::from)
    .boxed();
    (
        field(text()),
        field(text()),
        field(domain),
        field(lifetime.clone()),
        field(lifetime),
        field(error),
        field(text()),
        field(text()),
    )
        .prop_map(
            |(access, refresh, domain, expires_in, expires_in_sec, error, description, status)| {
                let mut object = serde_json::Map::new();
                for (name, value) in [
                    ("access_token", access),
                    ("refresh_token", refresh),
                    ("api_domain", domain),
                    ("expires_in", expires_in),
                    ("expires_in_sec", expires_in_sec),
                    ("error", error),
                    ("error_description", description),
                    ("status", status),
                ] {
                    if let Some(value) = value {
                        object.insert(name.to_owned(), value);
                    }
                }
                serde_json::to_vec(&object).unwrap()
            },
        )
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(400),
        Just(401),
        Just(429),
        Just(500),
        100u16..600
    ]
}

proptest! {
    #[test]
    fn no_bytes_make_the_parsers_panic(
        status in status(),
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
        grant in grant(),
    ) {
        let env = ZohoEnv::Production;
        let _ = tokens_from(&answer(status, bytes.clone()), &ctx(&env, grant));
        let _ = revoke_outcome(&answer(status, bytes), &ctx(&env, grant));
    }

    #[test]
    fn no_json_answer_makes_the_parsers_panic(status in status(), body in body(), grant in grant()) {
        let env = ZohoEnv::Production;
        if let Err(e) = tokens_from(&answer(status, body.clone()), &ctx(&env, grant)) {
            prop_assert!(!e.kind().is_empty());
            prop_assert!(!e.hint().is_empty());
        }
        let _ = revoke_outcome(&answer(status, body), &ctx(&env, grant));
    }

    #[test]
    fn an_error_never_repeats_a_token_from_the_body(
        token in "1000\\.[0-9a-f]{32}\\.[0-9a-f]{32}",
        status in status(),
        grant in grant(),
        slot in 0usize..3,
    ) {
        let env = ZohoEnv::Production;
        let body = match slot {
            0 => format!(r#"{{"error":"{token}"}}"#),
            1 => format!(r#"{{"error":"invalid_code","error_description":"{token}"}}"#),
            // Refused for its host, which the message names; the token must not follow.
            _ => format!(r#"{{"access_token":"{token}","refresh_token":"{token}","api_domain":"https://evil.example","expires_in":3600}}"#),
        };
        let errors = [
            tokens_from(&answer(status, body.clone().into_bytes()), &ctx(&env, grant)).err(),
            revoke_outcome(&answer(status, body.into_bytes()), &ctx(&env, grant)).err(),
        ];
        for err in errors.into_iter().flatten() {
            for text in [err.to_string(), format!("{err:?}"), err.hint()] {
                prop_assert!(!text.contains(&token), "{}", text);
            }
        }
    }

    #[test]
    fn a_good_answer_reads_back_what_it_carried(
        access in "[!-~&&[^\"\\\\]]{1,100}",
        refresh in proptest::option::of("[!-~&&[^\"\\\\]]{1,100}"),
        lifetime in 1u64..=10_000_000_000,
        scope in proptest::option::of("[A-Za-z.,]{1,60}"),
        grant in grant(),
    ) {
        let env = ZohoEnv::Production;
        let mut object = serde_json::json!({
            "access_token": access,
            "api_domain": "https://www.zohoapis.eu",
            "expires_in": lifetime,
            "token_type": "Bearer",
        });
        if let Some(refresh) = &refresh {
            object["refresh_token"] = refresh.clone().into();
        }
        if let Some(scope) = &scope {
            object["scope"] = scope.clone().into();
        }
        let tokens =
            tokens_from(&answer(200, serde_json::to_vec(&object).unwrap()), &ctx(&env, grant)).unwrap();
        prop_assert_eq!(tokens.access_token.expose(), access.as_str());
        prop_assert_eq!(tokens.refresh_token.as_ref().map(|r| r.expose().to_owned()), refresh);
        prop_assert_eq!(tokens.scope, scope);
        prop_assert_eq!(tokens.api_domain.as_str(), "https://www.zohoapis.eu");
        prop_assert_eq!(
            tokens.expires_at,
            OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(lifetime as i64)
        );
    }
}
