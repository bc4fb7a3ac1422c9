//! Getting a saved connection a new refresh token, in practice mode against a sandbox the
//! test starts: a revoked Self Client connection regenerated with a new code, and a
//! working consent-page connection regenerated through the browser (played by the fake
//! one) with the old token revoked; Cancel changing nothing; and, with twenty tokens
//! minted for one Zoho user and client, the warning that the next one would make Zoho
//! delete the oldest, naming the saved connection it breaks. Then the settings: where the
//! vault is, a new passphrase (the app restarted and unlocked with it), and the report
//! for support. The new screens are checked with axe-core as they are shown.

mod support;

use std::time::Duration;

use e2e_tests::{free_port, new_home, App, Options};
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

use support::{write_vault, Minter, PASSPHRASE};

fn options(sandbox: &Sandbox, extra: &[(&str, String)]) -> Options {
    let mut env = vec![(
        "DBUS_SESSION_BUS_ADDRESS".to_owned(),
        "unix:path=/nonexistent/zoho-oauth-e2e-no-session-bus".to_owned(),
    )];
    env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    Options {
        sandbox_url: Some(sandbox.base_url()),
        env,
    }
}

async fn open(app: &App, id: &str) {
    app.click("#nav-connections").await;
    app.wait_for_screen("connections").await;
    app.click(&format!("#conn-open-{id}")).await;
    app.wait_for_screen("connection").await;
    app.find("#conn-status").await;
}

async fn wait_for_status(app: &App, expected: &str) {
    let deadline = std::time::Instant::now() + e2e_tests::UI_TIMEOUT;
    loop {
        let now = app
            .find("#conn-status")
            .await
            .attr("data-status")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        if now == expected {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "expected the status {expected:?}, the window shows {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The refresh token the open connection holds now, by Reveal.
async fn revealed_refresh_token(app: &App) -> String {
    app.click("#field-refresh_token-reveal").await;
    app.wait_for_text("#field-refresh_token-reveal", "Hide")
        .await;
    let token = app.text("#field-refresh_token").await;
    app.click("#field-refresh_token-reveal").await;
    token
}

#[tokio::test(flavor = "multi_thread")]
async fn revoked_and_working_connections_get_new_tokens_by_self_client_and_by_consent_page() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let port = free_port();
    let redirect_uri = format!("http://localhost:{port}/zoho/callback");
    let self_client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let server = sandbox.register_client(ClientSpec::server_based("us", &redirect_uri));
    let mut minter = Minter::new(&sandbox);
    let riverside = Some(("10234721", "Riverside Bakery Inc."));
    let saved = vec![
        minter
            .self_client("Riverside script", &self_client, DEMO_US_USER, riverside)
            .await,
        minter
            .consent(
                "Riverside add-on",
                &server,
                &redirect_uri,
                DEMO_US_USER,
                riverside,
            )
            .await,
    ];
    let home = new_home();
    let ids: Vec<String> = write_vault(home.path(), &sandbox, &saved)
        .iter()
        .map(|id| id.as_str().to_owned())
        .collect();
    let Some(app) = App::launch_in_home(
        options(
            &sandbox,
            &[
                ("ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT", port.to_string()),
                ("FAKE_BROWSER_USER", DEMO_US_USER.to_owned()),
                ("FAKE_BROWSER_DECISION", "accept".to_owned()),
            ],
        ),
        home,
    )
    .await
    else {
        return;
    };
    app.unlock(PASSPHRASE).await;

    // A Self Client connection revoked here, taken back to working.
    let script = &saved[0];
    open(&app, &ids[0]).await;
    app.click("#conn-revoke").await;
    app.click("#confirm-yes").await;
    wait_for_status(&app, "revoked").await;
    app.assert_accessible("connection-revoked").await;
    app.click("#conn-status-regenerate").await;
    app.wait_for_screen("regenerate").await;
    let count = app.text("#regen-budget-count").await;
    assert!(count.ends_with("of 20"), "{count}");
    assert!(
        app.is_enabled("#regen-start").await,
        "no warning, no tick needed"
    );
    app.assert_accessible("regenerate-preview").await;
    app.screenshots("connections-regen-1-preview").await;
    app.click("#regen-start").await;
    app.wait_for_screen("grant").await;
    app.wait_for_text_containing("#regen-banner", "Regenerating Riverside script")
        .await;
    assert!(
        app.find("#steps")
            .await
            .attr("hidden")
            .await
            .expect("attr")
            .is_some(),
        "the steps of a new connection are not shown"
    );
    let scopes = app.value("#grant-scopes").await;
    assert!(scopes.contains("ZohoBooks.settings.READ"), "{scopes}");
    app.assert_accessible("regenerate-grant-code").await;
    app.screenshots("connections-regen-2-code").await;
    let code = sandbox
        .generate_self_client_code(&self_client.client_id, &scopes, 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    app.click("#grant-next").await;
    app.wait_for_screen("regenerated").await;
    assert!(
        app.is_selected("#regen-revoke-old").await,
        "revoking is the default"
    );
    app.assert_accessible("regenerated").await;
    app.screenshots("connections-regen-3-save").await;
    app.click("#regen-finish").await;
    app.wait_for_screen("connection").await;
    app.find("#conn-flash").await;
    wait_for_status(&app, "valid").await;
    let new_token = revealed_refresh_token(&app).await;
    assert_ne!(new_token, script.refresh_token().expose());
    assert!(
        minter
            .still_refreshes(
                &script.client,
                &zoho_oauth_core::RefreshToken::new(new_token)
            )
            .await,
        "the new token works at the sandbox"
    );
    app.click("#conn-test").await;
    app.wait_for_text_containing("#conn-tested", "worked, just now")
        .await;
    app.screenshots("connections-regen-4-back-to-working").await;

    // Cancel on the way changes nothing.
    let addon = &saved[1];
    open(&app, &ids[1]).await;
    app.click("#conn-regenerate").await;
    app.click("#regen-start").await;
    app.wait_for_text("#screen-title", "Approve in your browser")
        .await;
    app.wait_for_text_containing("#regen-banner", "Regenerating Riverside add-on")
        .await;
    app.click("#back").await;
    app.wait_for_screen("connection").await;
    wait_for_status(&app, "valid").await;
    assert_eq!(
        revealed_refresh_token(&app).await,
        addon.refresh_token().expose()
    );

    // The consent page: a working connection gets a new token, the old one is revoked.
    app.click("#conn-regenerate").await;
    app.click("#regen-start").await;
    app.wait_for_text("#screen-title", "Approve in your browser")
        .await;
    app.screenshots("connections-regen-5-consent").await;
    app.click("#consent-start").await;
    app.wait_for_screen("regenerated").await;
    app.click("#regen-finish").await;
    app.wait_for_screen("connection").await;
    wait_for_status(&app, "valid").await;
    let new_token = revealed_refresh_token(&app).await;
    assert_ne!(new_token, addon.refresh_token().expose());
    assert!(
        !minter
            .still_refreshes(&addon.client, &addon.refresh_token())
            .await,
        "the old token still refreshes at the sandbox"
    );
    assert!(
        minter
            .still_refreshes(
                &addon.client,
                &zoho_oauth_core::RefreshToken::new(new_token)
            )
            .await,
        "the new token works at the sandbox"
    );
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_twenty_first_token_warning_names_the_connection_it_would_break_and_settings_work() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let mut minter = Minter::new(&sandbox);
    let mut saved = Vec::new();
    for i in 1..=20 {
        saved.push(
            minter
                .self_client(&format!("Books script {i:02}"), &client, DEMO_US_USER, None)
                .await,
        );
    }
    let home = new_home();
    let ids: Vec<String> = write_vault(home.path(), &sandbox, &saved)
        .iter()
        .map(|id| id.as_str().to_owned())
        .collect();
    let Some(app) = App::launch_in_home(options(&sandbox, &[]), home).await else {
        return;
    };
    app.unlock(PASSPHRASE).await;
    app.click("#nav-connections").await;
    app.wait_for_all(".conn-item", 20).await;
    app.assert_accessible("connections-list").await;
    app.type_into("#conn-search", "script 20").await;
    app.wait_for_all(".conn-item", 1).await;

    // The newest one regenerated would be the 21st: Zoho would drop the oldest.
    app.click(&format!("#conn-open-{}", ids[19])).await;
    app.wait_for_screen("connection").await;
    app.assert_accessible("connection").await;
    app.click("#conn-regenerate").await;
    app.wait_for_screen("regenerate").await;
    let warning = app
        .wait_for_text_containing("#regen-breaks-text", "Books script 01")
        .await;
    assert!(!warning.contains("Books script 20"), "{warning}");
    assert!(
        !app.is_enabled("#regen-start").await,
        "it waits for an explicit yes"
    );
    app.assert_accessible("regenerate-warning").await;
    app.screenshots("connections-regen-6-21st-warning").await;
    app.click("label[for=regen-accept]").await;
    assert!(app.is_enabled("#regen-start").await);
    app.click("#back").await;
    app.wait_for_screen("connection").await;

    // Settings: where the vault is, how it is protected, a new passphrase.
    app.click("#nav-settings").await;
    app.wait_for_screen("settings").await;
    let file = e2e_tests::vault_file(app.home()).display().to_string();
    app.wait_for_text("#settings-vault-file", &file).await;
    app.wait_for_text_containing("#settings-protection", "Protected by your passphrase")
        .await;
    app.click("#settings-report").await;
    let report = app.value("#support-report").await;
    assert!(report.contains("Books script 01"), "{report}");
    for s in &saved {
        assert!(
            !report.contains(s.refresh_token().expose()),
            "a token in the report"
        );
    }
    assert!(
        !report.contains(&client.client_secret),
        "the secret in the report"
    );
    app.assert_accessible("settings").await;
    app.screenshots("connections-settings").await;
    let new_passphrase = "copper kettle winter garden";
    app.type_into("#protect-passphrase", "short").await;
    app.wait_for_text_containing("#protect-strength", "Too short")
        .await;
    app.clear("#protect-passphrase").await;
    app.type_into("#protect-passphrase", new_passphrase).await;
    app.type_into("#protect-confirm", new_passphrase).await;
    app.wait_for_text("#protect-match", "Both are the same.")
        .await;
    app.wait_until_enabled("#protect-passphrase-save").await;
    app.click("#protect-passphrase-save").await;
    app.wait_for_text_containing("#protect-result", "new passphrase")
        .await;

    let Some(app) = app.relaunch(options(&sandbox, &[])).await else {
        return;
    };
    app.unlock(new_passphrase).await;
    app.wait_for_text("#nav-connections", "Saved connections (20)")
        .await;
    app.close().await;
    sandbox.shutdown().await;
}
