//! The saved-connection actions against the sandbox: no refresh while the access token
//! is valid (unless forced), a refresh when expired, a lockout recorded and respected,
//! a test saved, revoke then refresh refused with Regenerate as the way out, a
//! regeneration that replaces the token in place and revokes the old one, the practice
//! side checked, and delete with revoke.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use zoho_oauth_core::vault::{ConnectionId, KdfParams, VaultOptions};
use zoho_oauth_core::{
    ClientCredentials, ClientSecret, ClientType, DataCenter, GrantCode, RefreshToken, SecretString,
    SystemClock, TokenClient, UserFacing, ZohoEnv, ZohoUser,
};
use zoho_sandbox::{ClientSpec, RegisteredClient, Sandbox, SandboxOptions, DEMO_US_USER};

use crate::error::CommandError;
use crate::saved::{RefreshOutcome, SavedConnections, SavedValue};
use crate::vault_state::VaultState;
use crate::vault_views::{SaveOutcome, SaveRequest};
use crate::wizard::{MadeConnection, Wizard};

const SCOPES: &str = "ZohoBooks.settings.READ,AaaServer.profile.Read";
const PASSPHRASE: &str = "river bakery ledger autumn";

struct World {
    sandbox: Sandbox,
    env: ZohoEnv,
    client: RegisteredClient,
    vault: VaultState,
    saved: SavedConnections,
    _dir: tempfile::TempDir,
}

impl World {
    async fn new() -> Self {
        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let env = ZohoEnv::sandbox(sandbox.base_url());
        let client = sandbox.register_client(ClientSpec {
            client_type: zoho_sandbox::ClientType::SelfClient,
            ..ClientSpec::default()
        });
        let dir = tempfile::tempdir().unwrap();
        let vault = VaultState::new(VaultOptions {
            kdf: KdfParams::INSECURE_FAST_FOR_TESTS,
            ..VaultOptions::default()
        });
        vault.place_in(dir.path());
        World {
            sandbox,
            env,
            client,
            vault,
            saved: SavedConnections::default(),
            _dir: dir,
        }
    }

    fn credentials(&self) -> ClientCredentials {
        ClientCredentials {
            client_type: ClientType::SelfClient,
            client_id: self.client.client_id.clone(),
            client_secret: ClientSecret::new(self.client.client_secret.clone()),
        }
    }

    fn tokens(&self) -> TokenClient {
        TokenClient::new(self.env.clone(), Arc::new(SystemClock)).unwrap()
    }

    async fn mint(&self) -> zoho_oauth_core::Tokens {
        let code = self
            .sandbox
            .generate_self_client_code(&self.client.client_id, SCOPES, 3)
            .unwrap();
        self.tokens()
            .exchange_self_client_code(DataCenter::Us, &self.credentials(), &GrantCode::new(code))
            .await
            .unwrap()
    }

    async fn save(&self, name: &str) -> ConnectionId {
        let made = MadeConnection {
            env: self.env.clone(),
            credentials: self.credentials(),
            tokens: self.mint().await,
            product: "books".into(),
            organization: None,
            soid: None,
            account_id: None,
            user: Some(ZohoUser {
                zuid: None,
                email: Some(DEMO_US_USER.into()),
                first_name: None,
                last_name: None,
                display_name: None,
            }),
        };
        let request = SaveRequest {
            name: name.into(),
            scopes: SCOPES.split(',').map(str::to_owned).collect(),
            passphrase: Some(SecretString::from(PASSPHRASE)),
            confirmation: Some(SecretString::from(PASSPHRASE)),
        };
        match self.vault.save(made, request).await.unwrap() {
            SaveOutcome::Saved { saved } => ConnectionId::from(saved.id),
            other => panic!("{other:?}"),
        }
    }

    async fn refresh_token(&self, id: &ConnectionId) -> RefreshToken {
        let value = crate::saved::value_of(&self.vault, id.clone(), SavedValue::RefreshToken)
            .await
            .unwrap();
        RefreshToken::new(value.expose())
    }

    /// Makes the stored access token look an hour old, as after a long pause.
    async fn expire_access_token(&self, id: &ConnectionId) {
        let id = id.clone();
        self.sandbox.advance_clock(Duration::from_secs(3700));
        self.vault
            .with_open(move |v| {
                let tokens = v.get(&id)?;
                v.record_refresh(
                    &id,
                    zoho_oauth_core::vault::RefreshedAccess {
                        access_token: tokens.secrets.access_token.unwrap(),
                        expires_at: OffsetDateTime::now_utc() - time::Duration::minutes(1),
                        api_domain: None,
                    },
                )?;
                Ok(())
            })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn refresh_only_when_expired_and_a_lockout_is_kept_and_respected() {
    let w = World::new().await;
    let id = w.save("Riverside - Books").await;

    let valid = w
        .saved
        .refresh(&w.vault, &w.env, id.clone(), false)
        .await
        .unwrap();
    assert_eq!(valid.outcome, RefreshOutcome::Confirm);
    assert!(
        valid.message.contains("10 new access tokens"),
        "{}",
        valid.message
    );
    assert_eq!(valid.connection.status.kind, "valid");
    assert_eq!(valid.connection.last_refreshed_at, None, "nothing was sent");

    w.expire_access_token(&id).await;
    let refreshed = w
        .saved
        .refresh(&w.vault, &w.env, id.clone(), false)
        .await
        .unwrap();
    assert_eq!(refreshed.outcome, RefreshOutcome::Refreshed);
    assert_eq!(refreshed.connection.status.kind, "valid");

    // Forced refreshes until Zoho's limit of about 10 in 10 minutes locks it out.
    let mut refusal = None;
    for _ in 0..12 {
        match w.saved.refresh(&w.vault, &w.env, id.clone(), true).await {
            Ok(view) => assert_eq!(view.outcome, RefreshOutcome::Refreshed),
            Err(err) => {
                refusal = Some(CommandError::from(err));
                break;
            }
        }
    }
    let refusal = refusal.expect("the sandbox locks out after about 10");
    assert_eq!(refusal.kind, "rate_limited");
    let status = w.vault.status().await;
    let listed = &status.connections[0];
    assert_eq!(listed.status.kind, "locked_out");
    assert!(listed.status.seconds_left.unwrap() > 14 * 60);

    let again = w
        .saved
        .refresh(&w.vault, &w.env, id.clone(), true)
        .await
        .unwrap_err();
    assert_eq!(
        again.kind(),
        "locked_out",
        "nothing is sent during the lockout"
    );
    assert!(again.hint().contains("Try again after"), "{}", again.hint());

    // The test call still works with the valid access token during the lockout.
    let tested = w.saved.test(&w.vault, &w.env, id.clone()).await.unwrap();
    assert!(tested.ok, "{}", tested.message);
    assert!(tested.connection.last_test.unwrap().ok);
}

#[tokio::test]
async fn a_revoked_connection_refuses_refresh_and_regenerates_in_place() {
    let w = World::new().await;
    let id = w.save("Riverside - Books").await;
    let other = w.save("Harbour - Books").await;
    let old = w.refresh_token(&id).await;

    let revoked = w.saved.revoke(&w.vault, &w.env, id.clone()).await.unwrap();
    assert_eq!(revoked.status.kind, "revoked");
    assert_eq!(revoked.status.label, "Revoked");
    let refused = w
        .saved
        .refresh(&w.vault, &w.env, id.clone(), true)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), "refresh_token_revoked");
    assert!(refused.hint().contains("Regenerate"), "{}", refused.hint());
    let test = w.saved.test(&w.vault, &w.env, id.clone()).await.unwrap();
    assert!(!test.ok);
    assert!(test.message.contains("Regenerate"), "{}", test.message);

    let preview = w
        .saved
        .regeneration_preview(&w.vault, id.clone())
        .await
        .unwrap();
    assert_eq!(preview.way, ClientType::SelfClient);
    assert_eq!(
        (preview.budget.used, preview.budget.limit),
        (2, 20),
        "the other connection's token and the new one"
    );
    assert_eq!(preview.breaks, None);

    let wizard = Wizard::new(zoho_oauth_core::DEFAULT_REDIRECT_PORT);
    let started = w
        .saved
        .begin_regeneration(&w.vault, &wizard, &w.env, id.clone())
        .await
        .unwrap();
    assert_eq!(started.scope_string, SCOPES);
    let code = w
        .sandbox
        .generate_self_client_code(&w.client.client_id, &started.scope_string, 3)
        .unwrap();
    wizard
        .exchange_self_client_code(w.env.clone(), GrantCode::new(code))
        .await
        .unwrap();
    let done = w
        .saved
        .finish_regeneration(&w.vault, &wizard, id.clone(), true)
        .await
        .unwrap();
    assert_eq!(done.connection.id, id.to_string(), "replaced in place");
    assert_eq!(done.connection.status.kind, "valid");
    assert!(
        done.message.contains("already stopped working"),
        "{}",
        done.message
    );
    let new = w.refresh_token(&id).await;
    assert_ne!(new.expose(), old.expose());
    assert!(
        w.tokens()
            .refresh(DataCenter::Us, &w.credentials(), &new)
            .await
            .is_ok(),
        "the new token works at the sandbox"
    );

    // Regenerating a live one revokes the old token at the sandbox.
    let live_old = w.refresh_token(&other).await;
    w.saved
        .begin_regeneration(&w.vault, &wizard, &w.env, other.clone())
        .await
        .unwrap();
    let code = w
        .sandbox
        .generate_self_client_code(&w.client.client_id, SCOPES, 3)
        .unwrap();
    wizard
        .exchange_self_client_code(w.env.clone(), GrantCode::new(code))
        .await
        .unwrap();
    let done = w
        .saved
        .finish_regeneration(&w.vault, &wizard, other.clone(), true)
        .await
        .unwrap();
    assert!(done.old_revoked, "{}", done.message);
    let err = w
        .tokens()
        .refresh(DataCenter::Us, &w.credentials(), &live_old)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "refresh_token_revoked");

    // Deleting with revoke ends the token at the sandbox too.
    let current = w.refresh_token(&other).await;
    let deleted = w
        .saved
        .delete(&w.vault, &w.env, other.clone(), true)
        .await
        .unwrap();
    assert!(
        deleted.message.contains("revoked at Zoho"),
        "{}",
        deleted.message
    );
    assert!(w
        .tokens()
        .refresh(DataCenter::Us, &w.credentials(), &current)
        .await
        .is_err());
    assert_eq!(w.vault.status().await.connections.len(), 1);
}

#[tokio::test]
async fn a_practice_connection_needs_its_practice_server_and_a_real_one_needs_zoho() {
    let w = World::new().await;
    let id = w.save("Riverside - Books").await;
    let err = w
        .saved
        .refresh(&w.vault, &ZohoEnv::Production, id.clone(), false)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "practice_off");
    assert!(err.hint().contains("Switch practice mode on"));
    let elsewhere = ZohoEnv::sandbox("http://127.0.0.1:9");
    assert_eq!(
        w.saved
            .test(&w.vault, &elsewhere, id.clone())
            .await
            .unwrap_err()
            .kind(),
        "practice_off"
    );

    let renamed = w
        .saved
        .rename(&w.vault, id.clone(), "Riverside Bakery".into())
        .await
        .unwrap();
    assert_eq!(renamed.name, "Riverside Bakery");
    let copied = crate::saved::value_of(&w.vault, id, SavedValue::AccountsUrl)
        .await
        .unwrap();
    assert_eq!(copied.expose(), w.sandbox.base_url());
}

#[test]
fn the_vault_is_found_where_tauri_keeps_the_app_s_data() {
    use tauri::Manager;
    // The command line finds the vault with the core alone; it must be the app's file.
    let app = crate::run_app(
        tauri::test::mock_builder(),
        tauri::generate_context!(),
        crate::Launch::from_sandbox_var(None).unwrap(),
    )
    .unwrap();
    assert_eq!(
        app.config().identifier,
        zoho_oauth_core::vault::APP_IDENTIFIER
    );
    assert_eq!(
        Some(app.path().app_data_dir().unwrap()),
        zoho_oauth_core::vault::default_folder()
    );
}
