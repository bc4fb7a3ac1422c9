//! The saved-connections screens as a support person uses them, in practice mode against
//! a sandbox the test starts: seven Books connections written into a passphrase vault
//! before the app opens, then, in one window, the list and its search; Refresh of an
//! expired token (no question asked) and of a valid one (asked first, with the cost);
//! Test; a lockout from refreshing too often, with its countdown; a token revoked at
//! Zoho found on Refresh and Regenerate offered; Rename; Revoke; Delete with revoke;
//! Copy, Reveal and Export (the exported curl command run against the sandbox); and the
//! app restarted with everything kept. What happened at Zoho is checked at the sandbox.
//! Screenshots land in `target/e2e-screenshots/connections-*`.

mod support;

use std::time::Duration;

use e2e_tests::{new_home, App, Options};
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

use support::{write_vault, Minter, PASSPHRASE};

const CLIPBOARD_CLEAR_VAR: &str = "ZOHO_OAUTH_ASSISTANT_CLIPBOARD_CLEAR_SECONDS";

fn options(sandbox: &Sandbox) -> Options {
    Options {
        sandbox_url: Some(sandbox.base_url()),
        env: vec![
            (CLIPBOARD_CLEAR_VAR.into(), "3".into()),
            // No keyring: the vault the test wrote is a passphrase one.
            (
                "DBUS_SESSION_BUS_ADDRESS".into(),
                "unix:path=/nonexistent/zoho-oauth-e2e-no-session-bus".into(),
            ),
        ],
    }
}

/// Opens the saved connection `id` from the header's way to the list.
async fn open(app: &App, id: &str) {
    app.click("#nav-connections").await;
    app.wait_for_screen("connections").await;
    app.click(&format!("#conn-open-{id}")).await;
    app.wait_for_screen("connection").await;
    app.find("#conn-status").await;
}

/// The status the open connection shows (`data-status` of its badge); empty while the
/// screen is being drawn again.
async fn status(app: &App) -> String {
    let badge = app.find("#conn-status").await;
    badge
        .attr("data-status")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

async fn wait_for_status(app: &App, expected: &str) {
    let deadline = std::time::Instant::now() + e2e_tests::UI_TIMEOUT;
    loop {
        let now = status(app).await;
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

#[tokio::test(flavor = "multi_thread")]
async fn a_support_person_refreshes_tests_fixes_and_hands_over_saved_connections() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let mut minter = Minter::new(&sandbox);
    let riverside = Some(("10234721", "Riverside Bakery Inc."));
    let morgan = Some(("10234695", "Morgan Bookkeeping LLC"));
    let saved = vec![
        minter
            .self_client(
                "Riverside Bakery Inc. - Books",
                &client,
                DEMO_US_USER,
                riverside,
            )
            .await,
        minter
            .self_client(
                "Morgan Bookkeeping LLC - Books",
                &client,
                DEMO_US_USER,
                morgan,
            )
            .await
            .expired(),
        minter
            .self_client("Nightly sync script", &client, DEMO_US_USER, riverside)
            .await,
        minter
            .self_client("Payroll add-on", &client, DEMO_US_USER, morgan)
            .await
            .expired(),
        minter
            .self_client("Old laptop", &client, DEMO_US_USER, riverside)
            .await,
        minter
            .self_client("Spare", &client, DEMO_US_USER, riverside)
            .await,
        minter
            .self_client("Month-end report", &client, DEMO_US_USER, morgan)
            .await,
    ];
    let home = new_home();
    let ids: Vec<String> = write_vault(home.path(), &sandbox, &saved)
        .iter()
        .map(|id| id.as_str().to_owned())
        .collect();
    let [riverside_id, morgan_id, nightly_id, payroll_id, old_id, spare_id, _] =
        <[String; 7]>::try_from(ids).expect("seven ids");

    let Some(app) = App::launch_in_home(options(&sandbox), home).await else {
        return;
    };
    app.unlock(PASSPHRASE).await;

    // The start screen names the first few and leads to all; the header does too.
    app.wait_for_text("#start-all-saved", "See all 7 saved connections")
        .await;
    app.wait_for_text("#nav-connections", "Saved connections (7)")
        .await;
    app.click("#start-all-saved").await;
    app.wait_for_screen("connections").await;
    app.wait_for_all(".conn-item", 7).await;
    app.wait_for_all(".conn-item .badge-practice", 7).await;
    app.wait_for_all(".conn-item[data-status=expired]", 2).await;
    let row = app.text(&format!("#conn-open-{riverside_id}")).await;
    for part in [
        "Zoho Books",
        "United States (.com)",
        "Riverside Bakery Inc. (10234721)",
        DEMO_US_USER,
        "Valid for",
        "Last refreshed never",
        "Last tested worked",
    ] {
        assert!(row.contains(part), "{part:?} not in the row: {row}");
    }
    app.screenshots("connections-1-list").await;

    // More than five: a search box, which filters as typed.
    app.type_into("#conn-search", "morgan").await;
    app.wait_for_all(".conn-item", 3).await;
    app.wait_for_text("#conn-count", "3 of 7 connections match.")
        .await;
    app.type_into("#conn-search", " payroll").await;
    app.wait_for_all(".conn-item", 1).await;
    app.screenshots("connections-2-search").await;
    app.clear("#conn-search").await;
    app.type_into("#conn-search", "nothing like it").await;
    app.wait_for_all(".conn-item", 0).await;
    app.wait_for_text_containing("#conn-count", "None of the 7 connections matches")
        .await;
    app.clear("#conn-search").await;
    app.type_into("#conn-search", " ").await;
    app.wait_for_all(".conn-item", 7).await;

    // Expired: Refresh gets a new access token without asking.
    app.click(&format!("#conn-open-{morgan_id}")).await;
    app.wait_for_screen("connection").await;
    wait_for_status(&app, "expired").await;
    app.wait_for_text("#screen-title", "Morgan Bookkeeping LLC - Books practice")
        .await;
    app.find("#conn-practice").await;
    app.wait_for_text("#conn-refreshed", "never").await;
    app.screenshots("connections-3-expired").await;
    app.click("#conn-refresh").await;
    wait_for_status(&app, "valid").await;
    app.find("#conn-said").await;
    assert!(
        app.find("#conn-confirm")
            .await
            .attr("hidden")
            .await
            .expect("attr")
            .is_some(),
        "an expired token is refreshed without asking"
    );
    app.wait_for_text("#conn-refreshed", "just now").await;
    app.wait_for_text_containing("#conn-status", "Valid for")
        .await;

    // Valid: Refresh asks first and says what it costs; "keep" sends nothing.
    open(&app, &riverside_id).await;
    wait_for_status(&app, "valid").await;
    app.click("#conn-refresh").await;
    app.wait_for_text(
        "#confirm-title",
        "Refresh while the access token still works?",
    )
    .await;
    let cost = app.text("#confirm-body").await;
    assert!(cost.contains("10"), "the cost against Zoho's limit: {cost}");
    app.screenshots("connections-4-refresh-confirm").await;
    app.click("#confirm-no").await;
    app.wait_for_text(
        "#conn-said",
        "Nothing was sent to Zoho: the current access token is kept.",
    )
    .await;
    app.wait_for_text("#conn-refreshed", "never").await;
    app.click("#conn-refresh").await;
    app.click("#confirm-yes").await;
    app.wait_for_text("#conn-refreshed", "just now").await;
    wait_for_status(&app, "valid").await;

    // Test: the product's call, its result and time saved.
    app.click("#conn-test").await;
    app.wait_for_text_containing("#conn-tested", "worked, just now")
        .await;
    // A test that worked says so as one.
    app.find("#conn-said.check-ok").await;
    app.screenshots("connections-5-tested").await;

    // Copy and Reveal: secrets are dots until Reveal; Copy is Rust's.
    let masked = app.text("#field-refresh_token").await;
    assert!(masked.starts_with("••••"), "{masked}");
    app.click("#field-refresh_token-reveal").await;
    app.wait_for_text("#field-refresh_token-reveal", "Hide")
        .await;
    assert_eq!(
        app.text("#field-refresh_token").await,
        saved[0].refresh_token().expose()
    );
    app.click("#field-refresh_token-reveal").await;
    app.wait_for_text("#field-refresh_token", &masked).await;
    app.click("#field-client_id-copy").await;
    app.wait_for_text_containing("#conn-copy-status", "Client ID: Copied")
        .await;
    assert_eq!(
        app.clipboard_text().as_deref(),
        Some(client.client_id.as_str())
    );
    app.click("#field-client_secret-copy").await;
    app.wait_for_text_containing("#conn-copy-status", "Client secret: Copied")
        .await;
    assert_eq!(
        app.clipboard_text().as_deref(),
        Some(client.client_secret.as_str())
    );
    app.wait_for_clipboard_cleared_of(&client.client_secret, Duration::from_secs(15))
        .await;

    // Export: the curl command, run as is, mints an access token that works.
    let exported = app.home().join("exports").join("riverside.sh");
    std::fs::create_dir_all(exported.parent().expect("a folder")).expect("folder");
    app.click("#export-curl").await;
    app.answer_save_dialog("Export the connection", &exported)
        .await;
    app.wait_for_text_containing("#export-result", "Written to")
        .await;
    let ran = std::process::Command::new("sh")
        .arg(&exported)
        .output()
        .expect("sh runs the exported command");
    let answer: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap_or_else(|_| {
        panic!(
            "the exported curl command printed no JSON: {}{}",
            String::from_utf8_lossy(&ran.stdout),
            String::from_utf8_lossy(&ran.stderr)
        )
    });
    let access = answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no access token in {answer}"));
    let organizations = reqwest::Client::new()
        .get(format!("{}/books/v3/organizations", sandbox.api_url("us")))
        .header("Authorization", format!("Zoho-oauthtoken {access}"))
        .send()
        .await
        .expect("the API answers")
        .text()
        .await
        .expect("a body");
    assert!(
        organizations.contains("Riverside Bakery Inc."),
        "the exported command's token lists the organizations: {organizations}"
    );
    let env_file = app.home().join("exports").join("riverside.env");
    app.click("#export-dot_env").await;
    app.answer_save_dialog("Export the connection", &env_file)
        .await;
    app.wait_for_text_containing("#export-result", "riverside.env")
        .await;
    let env = std::fs::read_to_string(&env_file).expect("the .env export");
    assert!(
        env.lines().any(|l| l == "ZOHO_ORG_ID=\"10234721\""),
        "{env}"
    );
    let json_file = app.home().join("exports").join("riverside.json");
    app.click("#export-json").await;
    app.answer_save_dialog("Export the connection", &json_file)
        .await;
    app.wait_for_text_containing("#export-result", "riverside.json")
        .await;
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).expect("the JSON export"))
            .expect("JSON");
    assert_eq!(json["refresh_token"], saved[0].refresh_token().expose());
    app.screenshots("connections-6-exported").await;

    // A lockout: another tool refreshed this token until Zoho refused; the next is refused, and
    // Refresh waits, counting down.
    let nightly = &saved[2];
    minter
        .refresh_until_locked_out(&nightly.client, &nightly.refresh_token())
        .await;
    open(&app, &nightly_id).await;
    app.click("#conn-refresh").await;
    app.click("#confirm-yes").await;
    let problem = app.wait_for_problem("rate_limited").await;
    assert!(!problem.message.is_empty() && !problem.hint.is_empty());
    wait_for_status(&app, "locked_out").await;
    let first = app
        .wait_for_text_containing("#conn-lock-countdown", "try again in")
        .await;
    assert!(!app.is_enabled("#conn-refresh").await, "Refresh waits");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let later = app.text("#conn-lock-countdown").await;
    assert_ne!(first, later, "the countdown is live");
    app.screenshots("connections-7-locked-out").await;

    // Revoked at Zoho by someone else: Refresh finds out, says so, offers Regenerate.
    let payroll = &saved[3];
    minter.revoke_at_zoho(&payroll.refresh_token()).await;
    open(&app, &payroll_id).await;
    wait_for_status(&app, "expired").await;
    app.click("#conn-refresh").await;
    let problem = app.wait_for_problem("refresh_token_revoked").await;
    assert!(!problem.message.contains(payroll.refresh_token().expose()));
    wait_for_status(&app, "revoked").await;
    app.wait_for_text("#conn-status-regenerate", "Regenerate it now")
        .await;
    assert!(!app.is_enabled("#conn-refresh").await);
    app.screenshots("connections-8-revoked").await;

    // Rename: a name in use is refused in plain words, a new one is taken.
    open(&app, &spare_id).await;
    app.click("#conn-rename").await;
    app.clear("#rename-name").await;
    app.type_into("#rename-name", "Month-end report").await;
    app.click("#rename-save").await;
    app.find("#rename-note.field-bad").await;
    app.screenshots("connections-9-rename-taken").await;
    app.clear("#rename-name").await;
    app.type_into("#rename-name", "Spare laptop script").await;
    app.click("#rename-save").await;
    app.wait_for_text("#screen-title", "Spare laptop script practice")
        .await;

    // Revoke: asked first, saying what stops working; Zoho no longer takes the token.
    app.click("#conn-revoke").await;
    app.wait_for_text_containing("#confirm-body", "stops working")
        .await;
    app.screenshots("connections-10-revoke-confirm").await;
    app.click("#confirm-yes").await;
    wait_for_status(&app, "revoked").await;
    let spare = &saved[5];
    assert!(
        !minter
            .still_refreshes(&spare.client, &spare.refresh_token())
            .await,
        "the revoked token still refreshes at the sandbox"
    );

    // Delete, revoking first: gone from the list, and from Zoho.
    open(&app, &old_id).await;
    app.click("#conn-delete").await;
    app.wait_for_text("#confirm-yes", "Revoke and delete").await;
    app.screenshots("connections-11-delete-confirm").await;
    app.click("#confirm-yes").await;
    app.wait_for_screen("connections").await;
    app.find("#conn-flash").await;
    app.wait_for_all(".conn-item", 6).await;
    let old = &saved[4];
    assert!(
        !minter
            .still_refreshes(&old.client, &old.refresh_token())
            .await,
        "the deleted connection's token still refreshes at the sandbox"
    );

    // Restarted: everything as it was left.
    let Some(app) = app.relaunch(options(&sandbox)).await else {
        return;
    };
    app.unlock(PASSPHRASE).await;
    app.click("#nav-connections").await;
    app.wait_for_all(".conn-item", 6).await;
    app.wait_for_text_containing(&format!("#conn-open-{spare_id}"), "Spare laptop script")
        .await;
    app.wait_for_all(
        &format!(".conn-item[data-id='{spare_id}'][data-status=revoked]"),
        1,
    )
    .await;
    app.wait_for_all(
        &format!(".conn-item[data-id='{payroll_id}'][data-status=revoked]"),
        1,
    )
    .await;
    let row = app.text(&format!("#conn-open-{riverside_id}")).await;
    assert!(
        !row.contains("Last refreshed never") && row.contains("Last tested worked"),
        "{row}"
    );
    app.wait_for_all(&format!("#conn-open-{old_id}"), 0).await;
    app.close().await;
    sandbox.shutdown().await;
}
