//! "Approve on another device" in the real window, in practice mode: a non-browser
//! client from the practice console, the code shown large with Zoho's address and a
//! countdown, the approval given elsewhere (played here by the sandbox's verification
//! page decision), and the outcome: a tested connection, a denial, an expired code, an
//! account in another data center. The app asks the sandbox no faster than Zoho's 30
//! seconds, for real, so each test waits about that long for each poll.

use std::time::{Duration, Instant};

mod support;

use e2e_tests::{new_home, App, Options};
use support::{write_vault, Minter, PASSPHRASE};
use zoho_sandbox::{
    ClientSpec, Decision, RegisteredClient, Sandbox, SandboxOptions, DEMO_EU_USER, DEMO_US_USER,
};

/// One poll interval and then some: how long the window may take to notice an answer.
const POLL_WAIT: Duration = Duration::from_secs(80);

async fn setup() -> Option<(Sandbox, App)> {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let app = App::launch_with(Options {
        sandbox_url: Some(sandbox.base_url()),
        env: Vec::new(),
    })
    .await?;
    Some((sandbox, app))
}

/// Start, the US data center, Books' default permissions, the "Approve on another
/// device" way in with `client`'s ID and secret; then "Show a code". Returns the code
/// the window shows.
async fn walk_to_code(app: &App, client: &RegisteredClient, shots: Option<&str>) -> String {
    app.click("#start-connect").await;
    app.click("label[data-dc=us]").await;
    app.click("#dc-next").await;
    app.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
        .await;
    app.click("#permissions-next").await;
    app.click("label[for=way-non_browser]").await;
    app.wait_for_text_containing("#register-steps", "Non-browser based application")
        .await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    if let Some(prefix) = shots {
        app.screenshots(&format!("{prefix}-register")).await;
    }
    app.click("#register-next").await;
    app.wait_for_text("#screen-title", "Approve on another device")
        .await;
    if let Some(prefix) = shots {
        app.screenshots(&format!("{prefix}-start")).await;
    }
    app.click("#device-start").await;
    app.wait_for_text_containing("#device-status", "Waiting for the approval")
        .await;
    let code = app.value("#device-code").await;
    assert_eq!(code.len(), 9, "a code of the form ABCD-EFGH: {code:?}");
    code
}

/// Waits up to [`POLL_WAIT`] for the wizard to show `screen`.
async fn wait_long_for_screen(app: &App, screen: &str) {
    let deadline = Instant::now() + POLL_WAIT;
    while app.screen_id().await.as_deref() != Some(screen) {
        assert!(
            Instant::now() < deadline,
            "the window never showed {screen:?}; problem: {:?}",
            app.problem_now().await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits up to [`POLL_WAIT`] for the text of `css` to contain `part`.
async fn wait_long_for_text(app: &App, css: &str, part: &str) {
    let deadline = Instant::now() + POLL_WAIT;
    loop {
        let text = app.text(css).await;
        if text.contains(part) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{css} never said {part:?}: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits up to [`POLL_WAIT`] for a problem of `kind`.
async fn wait_long_for_problem(app: &App, kind: &str) -> e2e_tests::Problem {
    let deadline = Instant::now() + POLL_WAIT;
    loop {
        if let Some(problem) = app.problem_now().await.filter(|p| p.kind == kind) {
            return problem;
        }
        assert!(
            Instant::now() < deadline,
            "no {kind:?} problem; the window shows {:?}",
            app.problem_now().await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_approved_elsewhere_becomes_a_tested_connection() {
    let Some((sandbox, app)) = setup().await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::non_browser("us"));
    let code = walk_to_code(&app, &client, Some("device")).await;
    assert_eq!(
        app.value("#device-url").await,
        format!("{}/oauth/v3/device", sandbox.base_url())
    );
    app.wait_for_text_containing("#device-countdown", "The code works for 4:")
        .await;
    app.screenshots("device-waiting").await;

    app.click("#device-open").await;
    let log = app.wait_for_browser("opened").await;
    assert!(
        log.contains(&format!("opened {}/oauth/v3/device", sandbox.base_url())),
        "{log}"
    );

    sandbox
        .device_decision("us", &code, DEMO_US_USER, Decision::Accept)
        .expect("the code is waiting");
    wait_long_for_screen(&app, "test").await;
    app.wait_for_text_containing("#test-running", "Connection works as Alex Morgan")
        .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denied_code_says_so_and_offers_a_new_one() {
    let Some((sandbox, app)) = setup().await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::non_browser("us"));
    let code = walk_to_code(&app, &client, None).await;
    sandbox
        .device_decision("us", &code, "", Decision::Deny)
        .expect("the code is waiting");
    let problem = wait_long_for_problem(&app, "device_access_denied").await;
    assert!(problem.hint.contains("Approve"), "{problem:?}");
    app.wait_for_text("#device-start", "Get a new code").await;
    assert_eq!(app.text("#device-shown").await, "", "the old code is gone");
    app.screenshots("device-denied").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_code_says_to_start_again() {
    let Some((sandbox, app)) = setup().await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::non_browser("us"));
    walk_to_code(&app, &client, None).await;
    sandbox.advance_clock(Duration::from_secs(301));
    let problem = wait_long_for_problem(&app, "device_code_expired").await;
    assert!(problem.hint.contains("new code"), "{problem:?}");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_in_another_data_center_is_connected_there() {
    let Some((sandbox, app)) = setup().await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec {
        multi_dc: true,
        ..ClientSpec::non_browser("us")
    });
    let code = walk_to_code(&app, &client, None).await;
    sandbox
        .device_decision("us", &code, DEMO_EU_USER, Decision::Accept)
        .expect("the code is waiting");
    wait_long_for_text(&app, "#device-status", "Europe data center").await;
    wait_long_for_screen(&app, "test").await;
    app.wait_for_text_containing("#test-running", "Camille Durand")
        .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_stops_the_wait() {
    let Some((sandbox, app)) = setup().await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::non_browser("us"));
    walk_to_code(&app, &client, None).await;
    app.click("#device-cancel").await;
    let problem = app.wait_for_problem("cancelled").await;
    assert!(!problem.message.is_empty());
    app.wait_for_text("#device-start", "Get a new code").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_device_connection_refreshes_tests_and_regenerates_by_a_new_code() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let client = sandbox.register_client(ClientSpec::non_browser("us"));
    let mut minter = Minter::new(&sandbox);
    let saved = vec![minter
        .device("Phone support", &client, DEMO_US_USER)
        .await
        .expired()];
    let home = new_home();
    let ids = write_vault(home.path(), &sandbox, &saved);
    let id = ids[0].as_str().to_owned();
    let Some(app) = App::launch_in_home(
        Options {
            sandbox_url: Some(sandbox.base_url()),
            env: vec![(
                "DBUS_SESSION_BUS_ADDRESS".to_owned(),
                "unix:path=/nonexistent/zoho-oauth-e2e-no-session-bus".to_owned(),
            )],
        },
        home,
    )
    .await
    else {
        return;
    };
    app.unlock(PASSPHRASE).await;
    app.click("#nav-connections").await;
    app.wait_for_screen("connections").await;
    app.click(&format!("#conn-open-{id}")).await;
    app.wait_for_screen("connection").await;
    app.wait_for_text_containing("#conn-way", "another device")
        .await;
    app.wait_for_text("#conn-refreshed", "never").await;
    app.click("#conn-refresh").await;
    app.wait_for_text("#conn-refreshed", "just now").await;
    app.click("#conn-test").await;
    app.wait_for_text_containing("#conn-tested", "worked, just now")
        .await;

    app.click("#conn-regenerate").await;
    app.wait_for_screen("regenerate").await;
    app.wait_for_text_containing("#screen", "approve it on any device")
        .await;
    app.click("#regen-start").await;
    app.wait_for_text("#screen-title", "Approve on another device")
        .await;
    app.wait_for_text_containing("#regen-banner", "Regenerating Phone support")
        .await;
    app.click("#device-start").await;
    app.wait_for_text_containing("#device-status", "Waiting for the approval")
        .await;
    let code = app.value("#device-code").await;
    sandbox
        .device_decision("us", &code, DEMO_US_USER, Decision::Accept)
        .expect("the code is waiting");
    wait_long_for_screen(&app, "regenerated").await;
    app.click("#regen-finish").await;
    app.wait_for_screen("connection").await;
    app.find("#conn-flash").await;
    assert!(
        !minter
            .still_refreshes(&saved[0].client, &saved[0].refresh_token())
            .await,
        "the old token was revoked, as the regenerated screen offers by default"
    );
    app.click("#conn-test").await;
    app.wait_for_text_containing("#conn-tested", "worked, just now")
        .await;
    app.close().await;
}
