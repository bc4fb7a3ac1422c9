//! Several organizations and an explicit pick: writing to the wrong company is the
//! mistake that costs an accountant most, so when the Zoho user has more than one, the
//! window lists them, marks Zoho's default, chooses none, and keeps Continue disabled
//! until the person picks; the one picked (not the default) is the one connected.

use std::time::Duration;

use e2e_tests::App;
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

/// The US demo user's Books organizations: the first is Zoho's default.
const DEFAULT_ORG: &str = "10234695";
const OTHER_ORG: &str = "10234721";

#[tokio::test(flavor = "multi_thread")]
async fn several_organizations_wait_for_an_explicit_pick_and_the_pick_is_connected() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let Some(app) = App::launch_practice(&sandbox.base_url()).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));

    let scopes = app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    let code = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    app.wait_for_text_containing("#grant-countdown", "left to use this code")
        .await;
    app.click("#grant-next").await;

    app.wait_for_all(".org-pick .check-row", 2).await;
    app.wait_for_text_containing("#test-running", "2 organizations found")
        .await;
    let question = app.text(".org-pick legend").await;
    assert!(question.contains("Which one"), "{question}");

    // The default is marked, and only the default.
    let default_row = app.text(&format!("label[data-org='{DEFAULT_ORG}']")).await;
    assert!(
        default_row.contains("Morgan Bookkeeping LLC") && default_row.contains("default in Zoho"),
        "{default_row}"
    );
    let other_row = app.text(&format!("label[data-org='{OTHER_ORG}']")).await;
    assert!(
        other_row.contains("Riverside Bakery Inc.") && !other_row.contains("default"),
        "{other_row}"
    );

    // Nothing is chosen for the person, now or a moment later, and Continue does
    // nothing until they choose.
    for _ in 0..2 {
        for org in [DEFAULT_ORG, OTHER_ORG] {
            assert!(
                !app.is_selected(&format!("#org-{org}")).await,
                "organization {org} was chosen without the person"
            );
        }
        assert!(
            !app.is_enabled("#test-next").await,
            "Continue before a pick"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    app.click("#test-next").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.screen_id().await.as_deref(), Some("test"));

    app.click(&format!("label[data-org='{OTHER_ORG}']")).await;
    assert!(app.is_selected(&format!("#org-{OTHER_ORG}")).await);
    assert!(!app.is_selected(&format!("#org-{DEFAULT_ORG}")).await);
    app.wait_until_enabled("#test-next").await;
    app.click("#test-next").await;

    app.wait_for_text("#screen-title", "Connected to Riverside Bakery Inc.")
        .await;
    app.wait_for_text(
        "#connected-org",
        &format!("Riverside Bakery Inc. (organization {OTHER_ORG})"),
    )
    .await;
    app.close().await;
    sandbox.shutdown().await;
}
