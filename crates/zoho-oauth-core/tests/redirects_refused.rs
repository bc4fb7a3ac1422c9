//! An HTTP redirect never carries a secret to another host. A token endpoint or an API
//! that answers 301, 302, 303, 307 or 308 with a `Location` elsewhere (a hijacked DNS
//! name, a captive portal, a proxy that rewrites) is not followed: the code exchange,
//! the refresh (whose form holds the Client Secret and the refresh token), the revoke and
//! the test call each fail with a plain message, and the other host gets nothing. A 307
//! or 308 would otherwise re-send the form itself.

mod recorder;
mod support;

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use zoho_oauth_core::{
    AccessToken, ApiClient, ClientCredentials, ClientSecret, ClientType, DataCenter, GrantCode,
    ManualClock, RefreshToken, TokenClient, Tokens, UserFacing, ZohoEnv,
};

use support::assert_no_secrets;

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789";
const REFRESH: &str = "1000.aaaabbbbccccddddeeeeffff00001111.22223333444455556666777788889999";
const ACCESS: &str = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210";
const CODE: &str = "1000.99998888777766665555444433332222.11110000ffffeeeeddddccccbbbbaaaa";

/// A server that answers every request with `status` and `Location: {to}/collect`.
async fn redirecting(status: u16, to: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let location = format!("{to}/collect");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let location = location.clone();
            tokio::spawn(async move {
                let mut raw = Vec::new();
                let mut buf = [0u8; 4096];
                while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => raw.extend_from_slice(&buf[..n]),
                    }
                }
                let answer = format!(
                    "HTTP/1.1 {status} Moved\r\nLocation: {location}\r\n\
                     Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    base
}

fn client() -> ClientCredentials {
    ClientCredentials {
        client_type: ClientType::SelfClient,
        client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".to_owned(),
        client_secret: ClientSecret::new(SECRET.to_owned()),
    }
}

#[tokio::test]
async fn no_call_follows_a_redirect_to_another_host() {
    let (elsewhere, mut seen) = recorder::start(|_| (200, "{}".to_owned())).await;
    for status in [301, 302, 303, 307, 308] {
        let base = redirecting(status, &elsewhere).await;
        let tokens =
            TokenClient::new(ZohoEnv::sandbox(&base), Arc::new(ManualClock::new())).unwrap();
        let refresh = RefreshToken::new(REFRESH.to_owned());

        let errors = [
            (
                "refresh",
                tokens
                    .refresh(DataCenter::Us, &client(), &refresh)
                    .await
                    .unwrap_err(),
            ),
            (
                "code exchange",
                tokens
                    .exchange_self_client_code(
                        DataCenter::Us,
                        &client(),
                        &GrantCode::new(CODE.to_owned()),
                    )
                    .await
                    .unwrap_err(),
            ),
            (
                "revoke",
                tokens.revoke(DataCenter::Us, &refresh).await.unwrap_err(),
            ),
            (
                "test call",
                ApiClient::new(&tokens)
                    .test_connection(
                        "books",
                        &Tokens {
                            dc: DataCenter::Us,
                            access_token: AccessToken::new(ACCESS),
                            refresh_token: None,
                            api_domain: format!("{base}/us"),
                            scope: None,
                            expires_at: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
                        },
                    )
                    .await
                    .unwrap_err(),
            ),
        ];
        for (call, err) in &errors {
            assert!(
                !err.to_string().is_empty() && !err.hint().is_empty(),
                "HTTP {status} on the {call}: {err:?}"
            );
            assert_no_secrets(err, &[SECRET, REFRESH, ACCESS, CODE]);
        }
        let followed = recorder::drain(&mut seen);
        assert!(
            followed.is_empty(),
            "HTTP {status}: the redirect was followed to {:?}",
            followed.iter().map(|r| &r.line).collect::<Vec<_>>()
        );
    }
}
