//! The expert's one-time server task in the real window, in practice mode: a Self
//! Client, the "one-time server task" option on the register screen, the organization
//! named in plain words, an access token with no refresh token, the test for that
//! organization, and the save. Without an organization nothing can be asked for, and an
//! organization the Self Client's owner does not belong to is refused in plain words.

use e2e_tests::{App, Options};
use zoho_sandbox::{ClientSpec, RegisteredClient, Sandbox, SandboxOptions, DEMO_US_USER};

const PASSPHRASE: &str = "river bakery ledger autumn";

fn options(sandbox: &Sandbox) -> Options {
    Options {
        sandbox_url: Some(sandbox.base_url()),
        env: vec![
            // No keyring answers: the first save asks for a passphrase.
            (
                "DBUS_SESSION_BUS_ADDRESS".into(),
                "unix:path=/nonexistent/zoho-oauth-e2e-no-session-bus".into(),
            ),
        ],
    }
}

/// Start, US, the default Books permissions, the Self Client with the one-time option.
async fn to_the_organization_step(app: &App, client: &RegisteredClient) {
    app.click("#start-connect").await;
    app.click("label[data-dc=us]").await;
    app.click("#dc-next").await;
    app.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
        .await;
    app.click("#permissions-next").await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#one-time-details summary").await;
    app.click("#way-one-time").await;
    app.screenshots("cc-1-register").await;
    app.click("#register-next").await;
    app.wait_for_text("#screen-title", "Get a token for one organization")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_one_time_task_token_for_one_organization_is_tested_and_saved() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let Some(app) = App::launch_with(options(&sandbox)).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    to_the_organization_step(&app, &client).await;

    assert!(
        !app.is_enabled("#cc-next").await,
        "nothing can be asked for without an organization"
    );
    app.screenshots("cc-2-organization").await;

    // Someone else's organization: Zoho refuses, and the window says what to check.
    app.type_into("#cc-organization", "20081134").await;
    app.click("#cc-next").await;
    let refused = app.wait_for_problem("org_info_refused").await;
    assert!(refused.message.contains("20081134"), "{refused:?}");
    assert!(refused.hint.contains("organization ID"), "{refused:?}");
    app.screenshots("cc-3-refused").await;

    app.clear("#cc-organization").await;
    app.type_into("#cc-organization", "10234721").await;
    app.click("#cc-next").await;

    // The organization named is the one chosen: nothing to pick.
    app.wait_until_enabled("#test-next").await;
    app.click("#test-next").await;
    app.wait_for_text("#screen-title", "Connected to Riverside Bakery Inc.")
        .await;
    let lead = app.text("#connected-lead").await;
    assert!(lead.contains("no refresh token"), "{lead}");
    assert!(
        app.client()
            .find(fantoccini::Locator::Css("#refresh-masked"))
            .await
            .is_err(),
        "no refresh token row"
    );
    app.wait_for_text_containing("#budget", "None spent").await;
    app.screenshots("cc-4-connected").await;

    app.click("#save-submit").await;
    app.type_into("#passphrase-new", PASSPHRASE).await;
    app.type_into("#passphrase-confirm", PASSPHRASE).await;
    app.wait_for_text("#passphrase-match", "Both are the same.")
        .await;
    app.click("#passphrase-save").await;
    app.wait_for_text_containing("#saved-as", "Saved as").await;
    app.screenshots("cc-5-saved").await;
    app.close().await;
    sandbox.shutdown().await;
}
