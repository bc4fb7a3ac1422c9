//! The Self Client way from the start screen to Connected, counted: every click, press
//! of Enter and paste the person makes in the window (typed values stand for pastes),
//! and the screens they pass through. Opening the console and copying the scopes count
//! too, since a person cannot get the client or the code without them. What they do in
//! Zoho's console itself happens in the browser and is not counted here.
//!
//! The aim is at most 15 actions in at most 7 screens; the figures are printed on every
//! run.

use std::io::Write;

use e2e_tests::{App, Walk};
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

const MOST_ACTIONS: usize = 15;
const MOST_SCREENS: usize = 7;

#[tokio::test(flavor = "multi_thread")]
async fn the_self_client_way_takes_at_most_15_actions_in_7_screens() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let Some(app) = App::launch_practice(&sandbox.base_url()).await else {
        return;
    };
    // What the person creates in the practice console, done through the sandbox's API.
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));

    app.wait_for_screen("start").await;
    let mut walk = Walk::new(&app);
    walk.click("#start-connect").await;
    walk.click("label[data-dc=us]").await;
    walk.click("#dc-next").await;

    // Books' defaults are what most tools need to connect: nothing to tick.
    app.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
        .await;
    walk.click("#permissions-next").await;

    walk.click("#open-console").await;
    app.wait_for_browser(&format!("opened {}/console", sandbox.base_url()))
        .await;
    walk.paste("#client-id", &client.client_id).await;
    walk.paste("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    walk.click("#register-next").await;

    // The scopes go into the console's Generate Code form.
    walk.click("#grant-scopes-copy").await;
    app.wait_for_text("#grant-scopes-copy", "Copied").await;
    let scopes = app.value("#grant-scopes").await;
    let code = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 3)
        .expect("a code");
    walk.paste("#grant-code", &code).await;
    app.wait_for_text_containing("#grant-countdown", "left to use this code")
        .await;
    walk.click("#grant-next").await;

    app.wait_for_all(".org-pick .check-row", 2).await;
    walk.click("label[data-org='10234695']").await;
    walk.click("#test-next").await;

    app.wait_for_text("#screen-title", "Connected to Morgan Bookkeeping LLC")
        .await;
    walk.note_screen().await;

    let summary = walk.summary();
    // Past the test harness's capture, so the figures show on every run.
    let _ = writeln!(
        std::io::stderr().lock(),
        "\nSelf Client, start to Connected: {summary}\n"
    );
    assert_eq!(
        walk.screens().first().map(String::as_str),
        Some("start"),
        "{summary}"
    );
    assert_eq!(
        walk.screens().last().map(String::as_str),
        Some("connected"),
        "{summary}"
    );
    assert!(
        walk.actions() <= MOST_ACTIONS,
        "the path is longer than {MOST_ACTIONS} actions: {summary}"
    );
    assert!(
        walk.screens().len() <= MOST_SCREENS,
        "the path has more than {MOST_SCREENS} screens: {summary}"
    );
    app.close().await;
    sandbox.shutdown().await;
}
