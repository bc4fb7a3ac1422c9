//! Saved connections made before the app starts, so a test of the saved-connections
//! screens does not walk the wizard once per connection: tokens minted against the
//! sandbox with the core's own token client (Self Client codes, or a consent page
//! answered by the sandbox), written into a passphrase vault in the app's data folder,
//! as the app itself would have saved them.
//!
//! The sandbox refuses more than 10 code exchanges per client in 10 minutes, as Zoho
//! does; [`Minter`] moves the sandbox clock on between batches.

#![allow(dead_code)] // each test file uses a part of it

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use zoho_oauth_core::vault::{
    ConnectionId, KdfParams, NewConnection, NewProtection, SavedOrganization, TestCallOutcome,
    VaultOptions,
};
use zoho_oauth_core::{
    ClientCredentials, ClientSecret, ClientType, CodeExchange, DataCenter, GrantCode, RefreshToken,
    RevokeOutcome, SystemClock, TokenClient, Tokens, Vault, ZohoEnv,
};
use zoho_sandbox::{Decision, RegisteredClient, Sandbox};

/// The passphrase of every vault these tests write.
pub const PASSPHRASE: &str = "river bakery ledger autumn";
/// What a Books connection asks for: the test call's scope and who is connected.
pub const BOOKS_SCOPES: &str = "ZohoBooks.settings.READ,AaaServer.profile.READ";
/// Exchanges per client the sandbox allows in its window.
const EXCHANGES_PER_WINDOW: usize = 10;

/// Mints tokens against one sandbox, keeping under its code-exchange limit.
pub struct Minter<'a> {
    sandbox: &'a Sandbox,
    tokens: TokenClient,
    exchanges: usize,
}

/// A connection to write into the vault.
pub struct Saved {
    pub name: String,
    pub client: ClientCredentials,
    pub tokens: Tokens,
    pub user: String,
    pub organization: Option<(&'static str, &'static str)>,
}

impl Saved {
    /// The refresh token, as the test knows it (to check it at the sandbox later).
    pub fn refresh_token(&self) -> RefreshToken {
        self.tokens.refresh_token.clone().expect("a refresh token")
    }

    /// Makes the stored access token look spent, as after an hour: the app then
    /// calls the connection expired and refreshes it without asking.
    pub fn expired(mut self) -> Self {
        self.tokens.expires_at = OffsetDateTime::now_utc() - time::Duration::minutes(5);
        self
    }
}

pub fn credentials(client: &RegisteredClient, client_type: ClientType) -> ClientCredentials {
    ClientCredentials {
        client_type,
        client_id: client.client_id.clone(),
        client_secret: ClientSecret::new(client.client_secret.clone()),
    }
}

pub fn sandbox_env(sandbox: &Sandbox) -> ZohoEnv {
    ZohoEnv::Sandbox {
        base: sandbox.base_url(),
    }
}

impl<'a> Minter<'a> {
    pub fn new(sandbox: &'a Sandbox) -> Self {
        let tokens = TokenClient::new(sandbox_env(sandbox), Arc::new(SystemClock))
            .expect("a token client for the sandbox");
        Self {
            sandbox,
            tokens,
            exchanges: 0,
        }
    }

    /// The token client, for checks at the sandbox (refresh, revoke).
    pub fn client(&self) -> &TokenClient {
        &self.tokens
    }

    fn make_room(&mut self) {
        if self.exchanges > 0 && self.exchanges.is_multiple_of(EXCHANGES_PER_WINDOW) {
            self.sandbox.advance_clock(Duration::from_secs(11 * 60));
        }
        self.exchanges += 1;
    }

    /// A US Self Client connection named `name` for the client's owner `user`.
    pub async fn self_client(
        &mut self,
        name: &str,
        client: &RegisteredClient,
        user: &str,
        organization: Option<(&'static str, &'static str)>,
    ) -> Saved {
        self.make_room();
        let code = self
            .sandbox
            .generate_self_client_code(&client.client_id, BOOKS_SCOPES, 10)
            .expect("a Self Client code");
        let credentials = credentials(client, ClientType::SelfClient);
        let tokens = self
            .tokens
            .exchange_self_client_code(DataCenter::Us, &credentials, &GrantCode::new(code))
            .await
            .expect("the code exchanged");
        Saved {
            name: name.to_owned(),
            client: credentials,
            tokens,
            user: user.to_owned(),
            organization,
        }
    }

    /// A US server-based connection, its consent page answered by `user` at the
    /// sandbox, with `redirect_uri` (the one the app will use to regenerate it).
    pub async fn consent(
        &mut self,
        name: &str,
        client: &RegisteredClient,
        redirect_uri: &str,
        user: &str,
        organization: Option<(&'static str, &'static str)>,
    ) -> Saved {
        self.make_room();
        let authorize = url::Url::parse_with_params(
            &format!("{}/oauth/v2/auth", self.sandbox.accounts_url("us")),
            [
                ("response_type", "code"),
                ("client_id", client.client_id.as_str()),
                ("scope", BOOKS_SCOPES),
                ("redirect_uri", redirect_uri),
                ("access_type", "offline"),
                ("prompt", "consent"),
                ("state", "made-by-the-test"),
            ],
        )
        .expect("an authorize URL");
        let back = self
            .sandbox
            .consent(authorize.as_str(), user, Decision::Accept)
            .await
            .expect("the consent page redirects");
        let back = url::Url::parse(&back).expect("a redirect URL");
        let code = back
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .expect("a code in the redirect");
        let credentials = credentials(client, ClientType::ServerBased);
        let tokens = self
            .tokens
            .exchange_code(CodeExchange {
                dc: DataCenter::Us,
                client: &credentials,
                code: &GrantCode::new(code),
                redirect_uri: Some(redirect_uri),
                code_verifier: None,
                client_dc: None,
            })
            .await
            .expect("the code exchanged");
        Saved {
            name: name.to_owned(),
            client: credentials,
            tokens,
            user: user.to_owned(),
            organization,
        }
    }

    /// A US connection of a non-browser client, its device flow code approved by `user`
    /// at the sandbox; the waits between polls move the sandbox clock instead of
    /// passing.
    pub async fn device(&mut self, name: &str, client: &RegisteredClient, user: &str) -> Saved {
        let credentials = credentials(client, ClientType::NonBrowser);
        let flow = zoho_oauth_core::DeviceFlow::new(self.tokens.clone());
        let scopes: Vec<String> = BOOKS_SCOPES.split(',').map(str::to_owned).collect();
        let auth = flow
            .start(DataCenter::Us, &credentials, &scopes)
            .await
            .expect("a device code");
        self.sandbox
            .device_decision("us", &auth.user_code, user, Decision::Accept)
            .expect("the code is waiting");
        let pause = SandboxClockPause(self.sandbox);
        let tokens = flow
            .wait(
                &auth,
                &pause,
                &zoho_oauth_core::device::DeviceCancel::new(),
                |_| {},
            )
            .await
            .expect("the approved code gives tokens");
        Saved {
            name: name.to_owned(),
            client: credentials,
            tokens,
            user: user.to_owned(),
            organization: None,
        }
    }

    /// Whether the sandbox still accepts `token` for a refresh.
    pub async fn still_refreshes(&self, client: &ClientCredentials, token: &RefreshToken) -> bool {
        match self.tokens.refresh(DataCenter::Us, client, token).await {
            Ok(_) => true,
            Err(zoho_oauth_core::Error::RefreshTokenRevoked) => false,
            Err(other) => panic!("the sandbox refused the refresh otherwise: {other:?}"),
        }
    }

    /// Refreshes `token` the way a tool in a loop would, until the sandbox refuses it as
    /// too frequent (Zoho allows about 10 access tokens per refresh token in 10 minutes,
    /// the exchange's own included) and locks it out.
    pub async fn refresh_until_locked_out(&self, client: &ClientCredentials, token: &RefreshToken) {
        for _ in 0..=EXCHANGES_PER_WINDOW {
            match self.tokens.refresh(DataCenter::Us, client, token).await {
                Ok(_) => continue,
                Err(zoho_oauth_core::Error::RateLimited) => return,
                Err(other) => panic!("the sandbox refused the refresh otherwise: {other:?}"),
            }
        }
        panic!("the sandbox never locked the token out");
    }

    /// Revokes `token` at the sandbox, as someone doing it in Zoho's own settings would.
    pub async fn revoke_at_zoho(&self, token: &RefreshToken) {
        let outcome = self
            .tokens
            .revoke(DataCenter::Us, token)
            .await
            .expect("revoked at the sandbox");
        assert_eq!(outcome, RevokeOutcome::Revoked);
    }
}

/// Writes `saved` into a new passphrase vault under `home` (oldest first, as if saved
/// in that order), each with its organization chosen and one test call that listed it.
pub fn write_vault(home: &Path, sandbox: &Sandbox, saved: &[Saved]) -> Vec<ConnectionId> {
    let file = e2e_tests::vault_file(home);
    std::fs::create_dir_all(file.parent().expect("a folder")).expect("the app's data folder");
    let options = VaultOptions {
        // The app opens whatever cost the file records; a test vault need not be slow.
        kdf: KdfParams::INSECURE_FAST_FOR_TESTS,
        ..VaultOptions::default()
    };
    let mut vault = Vault::create(&file, NewProtection::Passphrase(PASSPHRASE.into()), options)
        .expect("the vault created");
    let scopes: Vec<String> = BOOKS_SCOPES.split(',').map(str::to_owned).collect();
    let new = saved
        .iter()
        .map(|s| {
            NewConnection::from_tokens(
                s.name.clone(),
                sandbox_env(sandbox),
                "Zoho Books",
                &s.client,
                Some(s.user.clone()),
                &s.tokens,
                &scopes,
            )
            .expect("a refresh token")
            .with_organization(s.organization.map(|(id, name)| SavedOrganization {
                id: id.to_owned(),
                name: name.to_owned(),
                is_default: true,
            }))
        })
        .collect();
    let ids = vault.add_many(new).expect("the connections saved");
    for (id, s) in ids.iter().zip(saved) {
        if let Some((org_id, org_name)) = s.organization {
            let organizations = vec![SavedOrganization {
                id: org_id.to_owned(),
                name: org_name.to_owned(),
                is_default: true,
            }];
            vault
                .record_test_call(id, TestCallOutcome::Succeeded { organizations })
                .expect("the organization recorded");
        }
    }
    ids
}

/// Waits by moving the sandbox's clock, which the sandbox measures poll intervals on.
#[derive(Debug)]
struct SandboxClockPause<'a>(&'a Sandbox);

impl zoho_oauth_core::Pause for SandboxClockPause<'_> {
    fn pause(
        &self,
        length: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.0.advance_clock(length);
        Box::pin(async {})
    }
}
