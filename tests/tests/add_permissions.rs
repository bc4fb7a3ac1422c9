//! "Add permissions" on a saved connection, in practice mode against a sandbox the test
//! starts: a consent-page connection gains a permission through Zoho's page (played by
//! the fake browser), and the sandbox confirms that the same refresh token now carries it
//! and that no refresh token was minted; a Self Client connection is told plainly that it
//! cannot gain permissions and is offered Regenerate. Screens are checked with axe-core
//! and photographed at both sizes.

mod support;

use e2e_tests::{free_port, new_home, App, Options};
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

use support::{write_vault, Minter, PASSPHRASE};

const INVOICES_READ: &str = "ZohoBooks.invoices.READ";

#[tokio::test(flavor = "multi_thread")]
async fn a_consent_page_connection_gains_a_permission_on_the_same_token_and_a_self_client_is_told_why_not(
) {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let port = free_port();
    let redirect_uri = format!("http://localhost:{port}/zoho/callback");
    let server = sandbox.register_client(ClientSpec::server_based("us", &redirect_uri));
    let self_client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let mut minter = Minter::new(&sandbox);
    let riverside = Some(("10234721", "Riverside Bakery Inc."));
    let saved = vec![
        minter
            .consent(
                "Riverside add-on",
                &server,
                &redirect_uri,
                DEMO_US_USER,
                riverside,
            )
            .await,
        minter
            .self_client("Riverside script", &self_client, DEMO_US_USER, riverside)
            .await,
    ];
    let home = new_home();
    let ids: Vec<String> = write_vault(home.path(), &sandbox, &saved)
        .iter()
        .map(|id| id.as_str().to_owned())
        .collect();
    let Some(app) = App::launch_in_home(
        Options {
            sandbox_url: Some(sandbox.base_url()),
            env: vec![
                (
                    "DBUS_SESSION_BUS_ADDRESS".to_owned(),
                    "unix:path=/nonexistent/zoho-oauth-e2e-no-session-bus".to_owned(),
                ),
                (
                    "ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT".to_owned(),
                    port.to_string(),
                ),
                ("FAKE_BROWSER_USER".to_owned(), DEMO_US_USER.to_owned()),
                ("FAKE_BROWSER_DECISION".to_owned(), "accept,wait".to_owned()),
            ],
        },
        home,
    )
    .await
    else {
        return;
    };
    app.unlock(PASSPHRASE).await;

    let addon = &saved[0];
    let token = addon.refresh_token();
    let count_before = sandbox.refresh_token_count(&server.client_id, DEMO_US_USER);
    assert_eq!(count_before, 1);

    open(&app, &ids[0]).await;
    app.click("#conn-add-permissions").await;
    app.wait_for_screen("enhance").await;
    app.wait_for_text_containing("#screen-title", "Add permissions to Riverside add-on")
        .await;
    let kept = app.text("#enhance-kept").await;
    assert!(kept.contains("ZohoBooks.settings.READ"), "{kept}");
    assert!(
        !app.is_enabled("#enhance-scope-ZohoBooks-settings-READ")
            .await,
        "a permission it has is shown kept, not offered again"
    );
    assert!(
        !app.is_enabled("#enhance-start").await,
        "nothing picked yet"
    );
    app.click("details[data-group='Invoices'] summary").await;
    app.click("#enhance-scope-ZohoBooks-invoices-READ").await;
    app.wait_for_text_containing("#enhance-summary", INVOICES_READ)
        .await;
    app.assert_accessible("enhance-pick").await;
    app.screenshots("enhance-1-pick").await;

    app.click("#enhance-start").await;
    app.wait_for_screen("connection").await;
    let flash = app.text("#conn-flash").await;
    assert!(flash.contains("Zoho added 1 permission to"), "{flash}");
    let log = app.wait_for_browser("/oauth/v2/token/addextrascope").await;
    assert!(log.contains("pressed accept"), "{log}");
    app.screenshots("enhance-2-added").await;

    let info = sandbox
        .refresh_token_info(token.expose())
        .expect("the same refresh token is still live");
    assert!(
        info.scopes.iter().any(|s| s == INVOICES_READ),
        "the sandbox's refresh token carries the new scope: {:?}",
        info.scopes
    );
    assert_eq!(
        sandbox.refresh_token_count(&server.client_id, DEMO_US_USER),
        count_before,
        "no refresh token was minted"
    );
    assert!(
        minter.still_refreshes(&addon.client, &token).await,
        "the saved token still works"
    );
    app.click("#conn-test").await;
    app.wait_for_text_containing("#conn-tested", "worked, just now")
        .await;

    // Cancel while Zoho's page is open adds nothing.
    open(&app, &ids[0]).await;
    app.click("#conn-add-permissions").await;
    app.wait_for_screen("enhance").await;
    app.click("details[data-group='Bills'] summary").await;
    app.click("#enhance-scope-ZohoBooks-bills-READ").await;
    app.click("#enhance-start").await;
    app.find("#enhance-clock").await;
    app.assert_accessible("enhance-waiting").await;
    app.screenshots("enhance-4-waiting").await;
    app.click("#enhance-cancel").await;
    app.find("#problem[data-kind=cancelled]").await;
    assert!(app.is_enabled("#enhance-start").await, "back to the choice");
    let info = sandbox.refresh_token_info(token.expose()).expect("live");
    assert!(!info.scopes.iter().any(|s| s == "ZohoBooks.bills.READ"));

    // A Self Client connection: why not, and Regenerate instead.
    open(&app, &ids[1]).await;
    app.click("#conn-add-permissions").await;
    app.wait_for_screen("enhance").await;
    let why = app.text("#enhance-not-possible").await;
    assert!(why.contains("Self Client"), "{why}");
    assert!(why.contains("Regenerate"), "{why}");
    app.assert_accessible("enhance-self-client").await;
    app.screenshots("enhance-3-self-client").await;
    app.click("#enhance-regenerate").await;
    app.wait_for_screen("regenerate").await;

    app.close().await;
    sandbox.shutdown().await;
}

async fn open(app: &App, id: &str) {
    app.click("#nav-connections").await;
    app.wait_for_screen("connections").await;
    app.click(&format!("#conn-open-{id}")).await;
    app.wait_for_screen("connection").await;
    app.find("#conn-status").await;
}
