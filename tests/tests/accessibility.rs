//! Every screen of both ways in, checked with axe-core as it is shown to the person
//! (no serious or critical violation; the rest printed), and photographed at the
//! window's own size and at 800x600 (`<target>/e2e-screenshots/wizard-*.png`) for a
//! person to look at: clipped text and overflowing fields are only seen that way.

use e2e_tests::{free_port, App, Options};
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

/// Checks the screen showing now and saves its two screenshots as `wizard-<name>-*`.
async fn look_at(app: &App, name: &str) {
    app.assert_accessible(name).await;
    app.screenshots(&format!("wizard-{name}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_of_the_self_client_way_is_accessible() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let Some(app) = App::launch_practice(&sandbox.base_url()).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));

    app.wait_for_screen("start").await;
    look_at(&app, "1-start").await;
    app.click("#start-connect").await;
    app.wait_for_all("#dc-list .dc-card", 10).await;
    app.click("label[data-dc=us]").await;
    app.wait_for_text_containing("#dc-details", "United States")
        .await;
    look_at(&app, "2-datacenter").await;
    app.click("#dc-next").await;

    app.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
        .await;
    look_at(&app, "3-permissions").await;
    let scopes = app.value("#scope-string").await;
    app.click("#permissions-next").await;

    app.wait_for_screen("register").await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    look_at(&app, "4-register-self-client").await;
    app.click("#register-next").await;

    let code = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    app.wait_for_text_containing("#grant-countdown", "left to use this code")
        .await;
    look_at(&app, "5-grant-code").await;
    app.click("#grant-next").await;

    app.wait_for_all(".org-pick .check-row", 2).await;
    look_at(&app, "6-test-organizations").await;
    app.click("label[data-org='10234695']").await;
    app.wait_for_text_containing("#test-running", "Connection works")
        .await;
    app.click("#test-next").await;

    app.wait_for_text("#screen-title", "Connected to Morgan Bookkeeping LLC")
        .await;
    look_at(&app, "7-connected").await;
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_of_the_consent_page_way_is_accessible() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let port = free_port();
    // The browser shows the consent page and the person has not pressed anything yet,
    // so the waiting state stays on screen to be looked at.
    let Some(app) = App::launch_with(Options {
        sandbox_url: Some(sandbox.base_url()),
        env: vec![
            (
                "ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT".into(),
                port.to_string(),
            ),
            ("FAKE_BROWSER_USER".into(), DEMO_US_USER.into()),
            ("FAKE_BROWSER_DECISION".into(), "wait".into()),
        ],
    })
    .await
    else {
        return;
    };
    let redirect_uri = format!("http://localhost:{port}/zoho/callback");
    let client = sandbox.register_client(ClientSpec::server_based("us", &redirect_uri));

    app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.click("label[for=way-server_based]").await;
    assert_eq!(app.value("#redirect-uri").await, redirect_uri);
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    look_at(&app, "4-register-consent-page").await;
    app.click("#register-next").await;

    app.wait_for_text("#screen-title", "Approve in your browser")
        .await;
    look_at(&app, "5-grant-consent").await;
    app.click("#consent-start").await;
    app.wait_for_browser(&format!("left the page open as {DEMO_US_USER}"))
        .await;
    app.wait_for_text_containing("#consent-status", "Waiting for you to approve")
        .await;
    look_at(&app, "5-grant-consent-waiting").await;

    // Cancel ends the wait in plain words, and the way back in is offered.
    app.click("#consent-cancel").await;
    let problem = app.wait_for_problem("cancelled").await;
    assert_eq!(problem.message, "The sign-in was cancelled.");
    app.wait_for_text("#consent-start", "Try again").await;
    look_at(&app, "5-grant-consent-cancelled").await;

    // The check itself can fail: a field without a name is caught on this very page.
    app.client()
        .execute(
            "const field = document.createElement('input');\n\
             field.id = 'unnamed-field';\n\
             document.getElementById('screen').append(field);",
            Vec::new(),
        )
        .await
        .expect("a field added");
    let caught = app.axe().await;
    assert!(
        caught
            .iter()
            .any(|v| v.blocks() && v.nodes.iter().any(|n| n.target == "#unnamed-field")),
        "axe-core missed a field without a label: {caught:?}"
    );
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_screens_against_zoho_itself_are_accessible() {
    // Practice mode off, as a person first opens the app: the start screen offers
    // practice mode, and the data centers are Zoho's own.
    let Some(app) = App::launch().await else {
        return;
    };
    app.wait_for_screen("start").await;
    app.find("#start-practice-on").await;
    look_at(&app, "1-start-zoho").await;
    app.click("#start-connect").await;
    app.click("label[data-dc=eu]").await;
    app.wait_for_text("#accounts-server", "https://accounts.zoho.eu")
        .await;
    look_at(&app, "2-datacenter-zoho").await;
    app.close().await;
}
