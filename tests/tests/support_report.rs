//! Every problem on screen offers "Copy a report for support": the report says what
//! happened and what the app knows of the attempt, and holds no secret.

use e2e_tests::App;
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_exchange_can_be_reported_without_its_secrets() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let Some(app) = App::launch_practice(&sandbox.base_url()).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    // Well-formed, but not this client's.
    let wrong_secret = "f".repeat(42);

    app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &wrong_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    let code = sandbox
        .generate_self_client_code(&client.client_id, "ZohoBooks.settings.READ", 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    app.click("#grant-next").await;

    app.find("#problem[data-kind=invalid_client_secret]").await;
    app.click("#copy-report").await;
    let report = app
        .find("#support-report")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(report.contains("(invalid_client_secret)"), "{report}");
    assert!(report.contains(&client.client_id), "{report}");
    assert!(report.contains("Screen: grant"), "{report}");
    assert!(report.contains(&format!("Practice mode: on ({})", sandbox.base_url())));
    for secret in [
        wrong_secret.as_str(),
        code.as_str(),
        client.client_secret.as_str(),
    ] {
        assert!(
            !report.contains(secret),
            "the report holds a secret:\n{report}"
        );
    }
    app.screenshot("problem-with-report").await;
    app.close().await;
    sandbox.shutdown().await;
}
