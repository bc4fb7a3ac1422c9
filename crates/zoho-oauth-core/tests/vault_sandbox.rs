//! The vault working with real tokens minted at the sandbox: the exported `.env` and
//! `curl` command really mint access tokens, a revoke-then-delete really kills the
//! refresh token, and the refresh-token history warns before Zoho's 20-token limit
//! deletes a token that a saved connection still uses.

mod support;
mod vault_support;

use std::path::Path;
use std::process::Command;

use support::{World, BOOKS_READ};
use vault_support::{fast_options, passphrase, MemoryKeyStore};
use zoho_oauth_core::vault::{
    ExportFormat, NewConnection, NewProtection, PreviousToken, RefreshedAccess, TestCallOutcome,
    TokenOwner, TokenState, Vault, VaultOptions, ZOHO_REFRESH_TOKEN_LIMIT,
};
use zoho_oauth_core::{
    BooksClient, ClientCredentials, DataCenter, Error, RevokeOutcome, TokenClient, Tokens,
};
use zoho_sandbox::{RegisteredClient, DEMO_US_USER};

/// A passphrase vault whose clock is the world's, so expiries and mint times agree.
fn vault_in(dir: &Path, world: &World) -> Vault {
    let options = VaultOptions {
        clock: world.clock.clone(),
        ..fast_options(MemoryKeyStore::new())
    };
    Vault::create(
        dir.join("vault.zov"),
        NewProtection::Passphrase(passphrase()),
        options,
    )
    .unwrap()
}

/// Mints a refresh token for `client` at the sandbox, as the Self Client console does.
async fn mint(world: &World, registered: &RegisteredClient, client: &ClientCredentials) -> Tokens {
    let code = world.code_for(registered, BOOKS_READ);
    world
        .tokens
        .exchange_self_client_code(DataCenter::Us, client, &code)
        .await
        .expect("a fresh code exchanges")
}

fn connection(
    name: &str,
    world: &World,
    client: &ClientCredentials,
    tokens: &Tokens,
) -> NewConnection {
    NewConnection::from_tokens(
        name,
        world.env.clone(),
        "Zoho Books",
        client,
        Some(DEMO_US_USER.to_owned()),
        tokens,
        &[BOOKS_READ.to_owned()],
    )
    .expect("the exchange returned a refresh token")
}

/// True when `curl` can be run; says so loudly when it cannot.
fn curl_available() -> bool {
    let found = Command::new("curl").arg("--version").output().is_ok();
    if !found {
        eprintln!(
            "\n##########\nSKIPPED: curl is not installed, so the exported commands cannot \
             be run against the sandbox\n##########\n"
        );
    }
    found
}

/// Runs `script` with `sh` off the async runtime (the sandbox keeps serving) and
/// returns its standard output.
async fn sh(script: String, dir: &Path) -> String {
    let dir = dir.to_path_buf();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "the exported command failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The access token in a token endpoint answer, checked to work for a Books call.
async fn assert_answer_works(world: &World, answer: &str, refresh: &Tokens) {
    let body: serde_json::Value = serde_json::from_str(answer)
        .unwrap_or_else(|_| panic!("the token endpoint answered JSON: {answer}"));
    assert!(body.get("error").is_none(), "Zoho refused: {answer}");
    let access = body["access_token"].as_str().expect("an access token");
    assert_ne!(
        access,
        refresh.access_token.expose(),
        "a new token was minted"
    );
    let minted = Tokens {
        access_token: zoho_oauth_core::AccessToken::new(access),
        api_domain: body["api_domain"].as_str().unwrap().to_owned(),
        ..refresh.clone()
    };
    let organizations = BooksClient::new(&world.tokens)
        .organizations(&minted)
        .await
        .expect("the minted access token lists the organizations");
    assert!(!organizations.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exported_curl_and_dot_env_mint_real_access_tokens_at_the_sandbox() {
    if !curl_available() {
        return;
    }
    let world = World::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_in(dir.path(), &world);
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let tokens = mint(&world, &registered, &client).await;
    let id = vault
        .add(connection("Books for the bakery", &world, &client, &tokens))
        .unwrap();
    let listed = BooksClient::new(&world.tokens).organizations(&tokens).await;
    let default_org = listed
        .as_ref()
        .unwrap()
        .iter()
        .find(|o| o.is_default)
        .unwrap()
        .id
        .clone();
    vault
        .record_test_call(&id, TestCallOutcome::of_books_call(&listed))
        .unwrap();

    // The curl command, exactly as exported.
    let command = vault.export(&id, ExportFormat::Curl).unwrap();
    let answer = sh(
        format!("{} --silent --show-error", command.expose().trim_end()),
        dir.path(),
    )
    .await;
    assert_answer_works(&world, &answer, &tokens).await;

    // The .env file, read by a shell as most tools' loaders would, with the names they
    // look for.
    let env = vault.export(&id, ExportFormat::DotEnv).unwrap();
    std::fs::write(dir.path().join("zoho.env"), env.expose()).unwrap();
    let answer = sh(
        r#"set -a; . ./zoho.env; set +a
           test "$ZOHO_ORG_ID" = "$EXPECTED_ORG" || { echo "ZOHO_ORG_ID=$ZOHO_ORG_ID" >&2; exit 1; }
           curl --silent --show-error --request POST "$ZOHO_ACCOUNTS_URL/oauth/v2/token" \
             --data-urlencode grant_type=refresh_token \
             --data-urlencode "client_id=$ZOHO_CLIENT_ID" \
             --data-urlencode "client_secret=$ZOHO_CLIENT_SECRET" \
             --data-urlencode "refresh_token=$ZOHO_REFRESH_TOKEN""#
            .replace("$EXPECTED_ORG", &default_org),
        dir.path(),
    )
    .await;
    assert_answer_works(&world, &answer, &tokens).await;

    // The JSON, through the token client, with Zoho's own parameter names.
    let json: serde_json::Value =
        serde_json::from_str(vault.export(&id, ExportFormat::Json).unwrap().expose()).unwrap();
    assert_eq!(
        json["token_url"],
        format!("{}/oauth/v2/token", world.sandbox.base_url())
    );
    assert_eq!(json["organization_id"], default_org.as_str());
    assert_eq!(json["scope"], BOOKS_READ);
    let from_json = ClientCredentials {
        client_type: client.client_type,
        client_id: json["client_id"].as_str().unwrap().to_owned(),
        client_secret: zoho_oauth_core::ClientSecret::new(json["client_secret"].as_str().unwrap()),
    };
    let refreshed = world
        .tokens
        .refresh(
            DataCenter::Us,
            &from_json,
            &zoho_oauth_core::RefreshToken::new(json["refresh_token"].as_str().unwrap()),
        )
        .await
        .expect("the exported JSON refreshes");
    vault
        .record_refresh(&id, RefreshedAccess::from(&refreshed))
        .unwrap();
    let saved = vault.get(&id).unwrap();
    assert_eq!(
        saved.secrets.access_token.as_ref().unwrap().expose(),
        refreshed.access_token.expose()
    );
    assert_eq!(
        saved.summary.access_token_expires_at,
        Some(refreshed.expires_at)
    );
}

#[tokio::test]
async fn revoke_with_the_vaults_details_then_delete_leaves_the_token_dead_at_zoho() {
    let world = World::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_in(dir.path(), &world);
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let tokens = mint(&world, &registered, &client).await;
    let id = vault
        .add(connection("Books", &world, &client, &tokens))
        .unwrap();
    let owner = TokenOwner::of(vault.summary(&id).unwrap());
    assert_eq!(vault.refresh_token_budget(&owner).live, 1);

    let details = vault.revocation_details(&id).unwrap();
    assert_eq!(details.accounts_url, world.sandbox.base_url());
    assert_eq!(details.data_center, DataCenter::Us);
    // A token client built only from what the vault returned, as the app would.
    let revoker = TokenClient::new(details.environment.clone(), world.clock.clone()).unwrap();
    assert_eq!(
        revoker
            .revoke(details.data_center, details.refresh_token.as_ref().unwrap())
            .await
            .unwrap(),
        RevokeOutcome::Revoked
    );
    vault.delete(&id, PreviousToken::Revoked).unwrap();

    assert!(vault.is_empty());
    assert_eq!(
        vault.refresh_token_budget(&owner).live,
        0,
        "a revoked token no longer counts towards the limit"
    );
    let refused = world
        .tokens
        .refresh(
            DataCenter::Us,
            &client,
            tokens.refresh_token.as_ref().unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::RefreshTokenRevoked), "{refused:?}");
    let books = BooksClient::new(&world.tokens).organizations(&tokens).await;
    assert!(
        matches!(books, Err(Error::InvalidAccessToken)),
        "revoking the refresh token also ended its access token: {books:?}"
    );
    // Revoking again (a retry after a lost answer) is not an error.
    assert_eq!(
        revoker
            .revoke(details.data_center, details.refresh_token.as_ref().unwrap())
            .await
            .unwrap(),
        RevokeOutcome::AlreadyInvalid
    );
}

#[tokio::test]
async fn the_history_warns_before_the_twenty_first_mint_and_zoho_then_refuses_the_first() {
    let world = World::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_in(dir.path(), &world);
    let (registered, client) = world.self_client("us", DEMO_US_USER);
    let owner = TokenOwner {
        environment: world.env.clone(),
        data_center: DataCenter::Us,
        client_id: client.client_id.clone(),
        zoho_user: Some(DEMO_US_USER.to_owned()),
    };

    let mut ids = Vec::new();
    for i in 0..ZOHO_REFRESH_TOKEN_LIMIT {
        let budget = vault.refresh_token_budget(&owner);
        assert_eq!(
            (budget.live, budget.remaining),
            (i, ZOHO_REFRESH_TOKEN_LIMIT - i)
        );
        assert!(!budget.next_mint_evicts_oldest, "no warning at {i} tokens");
        let tokens = mint(&world, &registered, &client).await;
        ids.push(
            vault
                .add(connection(&format!("Tool {i}"), &world, &client, &tokens))
                .unwrap(),
        );
        world.clock.advance(std::time::Duration::from_secs(60));
        // The sandbox's clock too, to stay within Zoho's ten code exchanges per client
        // in ten minutes.
        world
            .sandbox
            .advance_clock(std::time::Duration::from_secs(61));
    }

    let budget = vault.refresh_token_budget(&owner);
    assert!(
        budget.next_mint_evicts_oldest,
        "the app is warned before the 21st"
    );
    assert_eq!(budget.remaining, 0);
    let oldest = budget.oldest_live.expect("the token that would go");
    assert_eq!(oldest.connection.as_ref(), Some(&ids[0]));

    let tokens = mint(&world, &registered, &client).await;
    let newest = vault
        .add(connection("Tool 20", &world, &client, &tokens))
        .unwrap();

    assert!(matches!(
        vault.refresh_token_state(&ids[0]).unwrap(),
        TokenState::PresumedEvicted { .. }
    ));
    for id in ids.iter().skip(1).chain([&newest]) {
        assert_eq!(vault.refresh_token_state(id).unwrap(), TokenState::Live);
    }
    assert_eq!(
        vault.refresh_token_budget(&owner).live,
        ZOHO_REFRESH_TOKEN_LIMIT
    );
    let history = vault.get(&ids[1]).unwrap().refresh_token_history;
    assert_eq!(history.len(), ZOHO_REFRESH_TOKEN_LIMIT + 1);

    // The vault's presumption matches what Zoho (the sandbox) did.
    let first = vault.get(&ids[0]).unwrap();
    let refused = world
        .tokens
        .refresh(
            DataCenter::Us,
            &client,
            first.secrets.refresh_token.as_ref().unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::RefreshTokenRevoked), "{refused:?}");
    let second = vault.get(&ids[1]).unwrap();
    world
        .tokens
        .refresh(
            DataCenter::Us,
            &client,
            second.secrets.refresh_token.as_ref().unwrap(),
        )
        .await
        .expect("the second-oldest token still works");
}
