//! A certificate that is not trusted, shown where Zoho's accounts server should be (as a
//! TLS-inspecting antivirus program on this computer does): the user is told so in plain
//! words, and nothing is sent.
//!
//! A test binary of its own, because it clears the proxy variables of the process.

mod support;
mod tls_support;

use std::sync::Arc;

use zoho_oauth_core::{
    ClientCredentials, ClientSecret, ClientType, DataCenter, Error, HttpOptions, ManualClock,
    RefreshToken, TokenClient, UserFacing, ZohoEnv,
};

use support::assert_no_secrets;

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789";
const REFRESH: &str = "1000.aaaabbbbccccddddeeeeffff00001111.2222333344445555666677778888999a";

#[tokio::test]
async fn an_untrusted_certificate_for_zoho_is_refused_and_explained() {
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        std::env::remove_var(name);
    }
    let host = "accounts.zoho.com";
    let (addr, mut seen) = tls_support::serve(tls_support::self_signed_for(host), false).await;
    let tokens = TokenClient::with_hosts_resolved(
        ZohoEnv::Production,
        Arc::new(ManualClock::new()),
        HttpOptions::default(),
        &[(host, addr)],
    )
    .unwrap();
    let client = ClientCredentials {
        client_type: ClientType::SelfClient,
        client_id: "1000.TESTCLIENT0000000000000000000000".into(),
        client_secret: ClientSecret::new(SECRET),
    };

    let err = tokens
        .refresh(DataCenter::Us, &client, &RefreshToken::new(REFRESH))
        .await
        .unwrap_err();

    match &err {
        Error::CertificateRefused { host, proxy, .. } => {
            assert_eq!(host, "accounts.zoho.com");
            assert_eq!(proxy, &None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.kind(), "certificate_refused");
    let message = err.to_string();
    assert!(message.contains("secure connection to Zoho"), "{message}");
    assert!(
        message.contains("not one this computer trusts"),
        "{message}"
    );
    assert!(!message.contains("https://"), "hosts only: {message}");
    let hint = err.hint();
    assert!(hint.contains("proxy or an antivirus program"), "{hint}");
    assert!(hint.contains("root certificate"), "{hint}");
    assert!(hint.contains("another network"), "{hint}");
    assert!(hint.contains("nothing was sent"), "{hint}");
    assert_no_secrets(&err, &[SECRET, REFRESH]);

    let connection = seen.recv().await.expect("the client connected");
    assert!(!connection.handshake_completed, "{connection:?}");
    assert!(connection.inside_tls.is_empty());
}
