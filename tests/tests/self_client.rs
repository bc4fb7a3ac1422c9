//! The whole Self Client way in, as an accountant walks it in practice mode: start,
//! data center, permissions, the client from the practice console, a code pasted with
//! its countdown running, the tokens tested, an organization picked, connected.

use e2e_tests::App;
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

#[tokio::test(flavor = "multi_thread")]
async fn a_self_client_connection_from_start_to_connected() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let Some(app) = App::launch_practice(&sandbox.base_url()).await else {
        return;
    };
    // What the person does in the practice console, done through the sandbox's API.
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));

    app.screenshot("wizard-1-start").await;
    app.click("#start-connect").await;
    app.click("label[data-dc=us]").await;
    app.screenshot("wizard-2-datacenter").await;
    app.click("#dc-next").await;

    // Books, with the connection test and user info scopes on by default.
    app.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
        .await;
    let scopes = app
        .find("#scope-string")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(scopes.contains("ZohoBooks.settings.READ"), "{scopes}");
    app.screenshot("wizard-3-permissions").await;
    app.click("#permissions-next").await;

    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.screenshot("wizard-4-register").await;
    app.click("#register-next").await;

    let code = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    app.wait_for_text_containing("#grant-countdown", "left to use this code")
        .await;
    app.screenshot("wizard-5-grant").await;
    app.click("#grant-next").await;

    // The US demo user has two Books organizations: neither is picked for them.
    app.wait_for_all(".org-pick .check-row", 2).await;
    let next = app.find("#test-next").await;
    assert!(
        !next.is_enabled().await.expect("state"),
        "an organization was chosen silently"
    );
    app.screenshot("wizard-6-test").await;
    app.click("label[data-org='10234721']").await;
    app.click("#test-next").await;

    app.wait_for_text("#screen-title", "Connected to Riverside Bakery Inc.")
        .await;
    app.wait_for_text_containing("#connected-org", "10234721")
        .await;
    let refresh = app.text("#refresh-masked").await;
    assert!(refresh.starts_with("••••"), "{refresh}");
    assert!(!app
        .find("#screen")
        .await
        .html(false)
        .await
        .expect("html")
        .contains(&code));
    app.screenshot("wizard-7-connected").await;
    app.close().await;
    sandbox.shutdown().await;
}
