//! Shared set-up for the integration tests: free ports, the sandbox, secret checks.
#![allow(dead_code)]

use std::net::{Ipv6Addr, TcpListener};

use zoho_oauth_core::{ClientCredentials, ClientSecret, ClientType};

/// A port that was free a moment ago on 127.0.0.1 (and ::1 where there is one).
pub fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind(("127.0.0.1", 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port >= 1024
            && (!has_ipv6_loopback() || TcpListener::bind((Ipv6Addr::LOCALHOST, port)).is_ok())
        {
            return port;
        }
    }
}

/// True when this machine has an IPv6 loopback address to listen on.
pub fn has_ipv6_loopback() -> bool {
    TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
}

/// Credentials of a server-based client that only the tests know.
pub fn server_client() -> ClientCredentials {
    ClientCredentials {
        client_type: ClientType::ServerBased,
        client_id: "1000.TESTCLIENT0000000000000000000000".into(),
        client_secret: ClientSecret::new("00000000000000000000000000000000000000000a"),
    }
}

// ---- The sandbox world: a running sandbox and a token client pointed at it. ----

use std::sync::Arc;
use std::time::Duration;

use zoho_oauth_core::{
    DataCenter, Error, GrantCode, ManualClock, TokenClient, Tokens, UserFacing, ZohoEnv,
};
use zoho_sandbox::{ClientSpec, RegisteredClient, Sandbox, SandboxOptions};

/// A scope that lets the organizations call through.
pub const BOOKS_READ: &str = "ZohoBooks.settings.READ";

/// A started sandbox, the environment that points at it, and a token client whose
/// clock the test moves by hand.
pub struct World {
    pub sandbox: Sandbox,
    pub env: ZohoEnv,
    pub clock: Arc<ManualClock>,
    pub tokens: TokenClient,
}

impl World {
    pub async fn start() -> Self {
        let sandbox = Sandbox::start(SandboxOptions::default())
            .await
            .expect("the sandbox starts");
        let env = ZohoEnv::sandbox(sandbox.base_url());
        let clock = Arc::new(ManualClock::new());
        let tokens = TokenClient::new(env.clone(), clock.clone()).expect("an HTTP client");
        Self {
            sandbox,
            env,
            clock,
            tokens,
        }
    }

    /// A Self Client registered in `location` for `owner`.
    pub fn self_client(
        &self,
        location: &str,
        owner: &str,
    ) -> (RegisteredClient, ClientCredentials) {
        let registered = self
            .sandbox
            .register_client(ClientSpec::self_client(location, owner));
        let credentials = credentials(&registered, ClientType::SelfClient);
        (registered, credentials)
    }

    /// A server-based client registered in `location` with one redirect URI.
    pub fn server_client(
        &self,
        location: &str,
        redirect_uri: &str,
        multi_dc: bool,
    ) -> ClientCredentials {
        let registered = self.sandbox.register_client(ClientSpec {
            multi_dc,
            ..ClientSpec::server_based(location, redirect_uri)
        });
        credentials(&registered, ClientType::ServerBased)
    }

    /// A fresh Self Client code for `scope`, valid 3 minutes on the sandbox clock.
    pub fn code_for(&self, registered: &RegisteredClient, scope: &str) -> GrantCode {
        GrantCode::new(
            self.sandbox
                .generate_self_client_code(&registered.client_id, scope, 3)
                .expect("the console generates a code"),
        )
    }

    /// Tokens for a new Self Client in the US DC, owned by the demo US user.
    pub async fn us_self_client_tokens(
        &self,
        scope: &str,
    ) -> (RegisteredClient, ClientCredentials, Tokens) {
        let (registered, client) = self.self_client("us", zoho_sandbox::DEMO_US_USER);
        let code = self.code_for(&registered, scope);
        let tokens = self
            .tokens
            .exchange_self_client_code(DataCenter::Us, &client, &code)
            .await
            .expect("a fresh code exchanges");
        (registered, client, tokens)
    }

    /// A token client for the same sandbox with other time limits.
    pub fn token_client_with_timeout(&self, timeout: Duration) -> TokenClient {
        TokenClient::with_options(
            self.env.clone(),
            self.clock.clone(),
            zoho_oauth_core::HttpOptions {
                timeout,
                ..Default::default()
            },
        )
        .expect("an HTTP client")
    }
}

pub fn credentials(registered: &RegisteredClient, client_type: ClientType) -> ClientCredentials {
    ClientCredentials {
        client_type,
        client_id: registered.client_id.clone(),
        client_secret: ClientSecret::new(registered.client_secret.clone()),
    }
}

/// Follows a redirect URL the way a browser would (one GET), returning status and page.
pub async fn browse(url: &str) -> (u16, String) {
    let response = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .expect("the listener answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Checks that nothing the user can see or a log can record about `error` contains
/// any of `secrets`.
pub fn assert_no_secrets(error: &Error, secrets: &[&str]) {
    let mut texts = vec![
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
        error.hint(),
        error.kind().to_owned(),
    ];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        texts.push(format!("{cause:?}"));
        source = cause.source();
    }
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        for text in &texts {
            assert!(
                !text.contains(secret),
                "a secret leaked into the {} error: {text}",
                error.kind()
            );
        }
    }
}
