//! Zoho Payments' organization-level way in the real window, in practice mode: the
//! register screen recommends it for Payments and says why, an admin's approval on the
//! organization consent page connects with the Payments account, and a person who is
//! no owner or admin is refused in plain words.

use e2e_tests::{free_port, App, Options};
use zoho_sandbox::{
    ClientSpec, RegisteredClient, Sandbox, SandboxOptions, DEMO_EU_USER, DEMO_US_USER,
};

async fn launch(user: &str, account: Option<&str>) -> Option<(Sandbox, App, String)> {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let port = free_port();
    let mut env = vec![
        (
            "ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT".to_owned(),
            port.to_string(),
        ),
        ("FAKE_BROWSER_USER".to_owned(), user.to_owned()),
        ("FAKE_BROWSER_DECISION".to_owned(), "accept".to_owned()),
    ];
    if let Some(account) = account {
        env.push(("FAKE_BROWSER_ACCOUNT".to_owned(), account.to_owned()));
    }
    let app = App::launch_with(Options {
        sandbox_url: Some(sandbox.base_url()),
        env,
    })
    .await?;
    Some((
        sandbox,
        app,
        format!("http://localhost:{port}/zoho/callback"),
    ))
}

/// Start, `dc`, Zoho Payments, the organization way with `client`, to the consent step.
async fn to_consent(app: &App, dc: &str, client: &RegisteredClient, shots: Option<&str>) {
    app.click("#start-connect").await;
    app.click(&format!("label[data-dc={dc}]")).await;
    app.click("#dc-next").await;
    app.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
        .await;
    app.click("label[for=product-payments]").await;
    app.wait_for_text_containing("#scope-check", "for Zoho Payments, ready")
        .await;
    app.click("#permissions-next").await;

    let recommended = app.text("label[for=way-org]").await;
    assert!(recommended.contains("Recommended"), "{recommended}");
    assert!(
        recommended.contains("retiring the Self Client way"),
        "{recommended}"
    );
    assert!(recommended.contains("keep working after the person who approved leaves"));
    let self_client = app.text("label[for=way-self_client]").await;
    assert!(!self_client.contains("Recommended"), "{self_client}");
    assert!(self_client.contains("already use it"), "{self_client}");
    app.click("label[for=way-org]").await;
    app.wait_for_text_containing("#register-steps", "owner or an admin")
        .await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    if let Some(name) = shots {
        app.screenshots(name).await;
    }
    app.click("#register-next").await;
    app.wait_for_text("#screen-title", "Approve in your browser")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_approves_for_one_payments_account() {
    let Some((sandbox, app, redirect_uri)) = launch(DEMO_US_USER, Some("30001234598")).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::org("us", &redirect_uri));
    to_consent(&app, "us", &client, Some("payments-1-register")).await;
    app.click("#consent-start").await;
    let log = app.wait_for_browser("returned to").await;
    assert!(
        log.contains(&format!("opened {}/oauth/v2/org/auth", sandbox.base_url())),
        "the organization consent page was not opened:\n{log}"
    );
    app.wait_until_enabled("#test-next").await;
    app.click("#test-next").await;
    app.wait_for_text("#connected-payments-account", "30001234598")
        .await;
    let refresh = app.text("#refresh-masked").await;
    assert!(refresh.starts_with("••••"), "{refresh}");
    app.screenshots("payments-2-connected").await;
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn someone_who_is_no_owner_or_admin_is_refused_in_plain_words() {
    let Some((sandbox, app, redirect_uri)) = launch(DEMO_EU_USER, None).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::org("eu", &redirect_uri));
    to_consent(&app, "eu", &client, None).await;
    app.click("#consent-start").await;
    let problem = app.wait_for_problem("not_payments_admin").await;
    assert!(problem.message.contains("owner or an admin"), "{problem:?}");
    assert!(problem.hint.contains("Ask the owner"), "{problem:?}");
    app.screenshots("payments-3-not-admin").await;
    app.close().await;
    sandbox.shutdown().await;
}
