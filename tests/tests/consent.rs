//! The consent-page way in, as an accountant walks it in practice mode: a server-based
//! client from the practice console, "Approve in your browser", the browser (played by
//! the fake one) signing in and pressing Accept or Deny, the redirect caught on the
//! assistant's own port, and the connection tested and named. Each test listens on a
//! redirect port of its own, so the tests run side by side.

use e2e_tests::{free_port, App, Options};
use zoho_sandbox::{
    ClientSpec, RegisteredClient, Sandbox, SandboxOptions, DEMO_EU_USER, DEMO_US_USER,
};

/// A sandbox, the app in practice mode against it, and the redirect URI both agree on.
struct Setup {
    sandbox: Sandbox,
    app: App,
    redirect_uri: String,
}

/// Starts the sandbox and the app with its redirect on a free port; the fake browser
/// signs in as `user` and answers each consent page with the next of `decisions`.
async fn setup(user: &str, decisions: &str) -> Option<Setup> {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let port = free_port();
    let app = App::launch_with(Options {
        sandbox_url: Some(sandbox.base_url()),
        env: vec![
            (
                "ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT".into(),
                port.to_string(),
            ),
            ("FAKE_BROWSER_USER".into(), user.into()),
            ("FAKE_BROWSER_DECISION".into(), decisions.into()),
        ],
    })
    .await?;
    Some(Setup {
        sandbox,
        app,
        redirect_uri: format!("http://localhost:{port}/zoho/callback"),
    })
}

/// Start, data center, permissions (Books, or `product` picked from the list), the
/// consent-page way chosen and the client's ID and secret pasted; ends on "Approve in
/// your browser". The register screen must show `redirect_uri` to copy into the console.
async fn walk_to_consent(
    app: &App,
    dc: &str,
    product: Option<&str>,
    client: &RegisteredClient,
    redirect_uri: &str,
) {
    app.click("#start-connect").await;
    app.click(&format!("label[data-dc={dc}]")).await;
    app.click("#dc-next").await;
    app.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
        .await;
    if let Some(product) = product {
        app.click(&format!("label[for=product-{product}]")).await;
        let name = app.text(&format!("label[for=product-{product}]")).await;
        app.wait_for_text_containing("#scope-check", &format!("for {name}, ready"))
            .await;
    }
    app.click("#permissions-next").await;
    app.click("label[for=way-server_based]").await;
    assert_eq!(app.value("#redirect-uri").await, redirect_uri);
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    app.wait_for_text("#screen-title", "Approve in your browser")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_consent_page_leads_to_a_connection_named_by_organization_and_user() {
    let Some(Setup {
        sandbox,
        app,
        redirect_uri,
    }) = setup(DEMO_US_USER, "accept").await
    else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::server_based("us", &redirect_uri));

    // Zoho Invoice: the US demo user has one organization there, so it is simply shown.
    walk_to_consent(&app, "us", Some("invoice"), &client, &redirect_uri).await;
    app.click("#consent-start").await;

    let log = app
        .wait_for_browser(&format!("returned to {}", origin_and_path(&redirect_uri)))
        .await;
    assert!(
        log.contains(&format!("opened {}/oauth/v2/auth", sandbox.base_url())),
        "the browser did not open the US consent page:\n{log}"
    );
    assert!(
        log.contains(&format!("pressed accept as {DEMO_US_USER}: HTTP 302")),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "returned to {}: HTTP 200",
            origin_and_path(&redirect_uri)
        )),
        "the assistant's page did not answer the browser:\n{log}"
    );

    app.wait_for_screen("test").await;
    app.wait_for_text(
        "#test-org",
        "Organization: Morgan Bookkeeping LLC (10234695)",
    )
    .await;
    app.wait_for_text_containing("#test-running", "Connection works as Alex Morgan")
        .await;
    assert!(
        app.is_enabled("#test-next").await,
        "the only organization should be the one"
    );
    app.click("#test-next").await;

    app.wait_for_text("#screen-title", "Connected to Morgan Bookkeeping LLC")
        .await;
    app.wait_for_text(
        "#connected-org",
        "Morgan Bookkeeping LLC (organization 10234695)",
    )
    .await;
    app.wait_for_text("#connected-user", &format!("Alex Morgan ({DEMO_US_USER})"))
        .await;
    app.wait_for_text_containing("#connected-dc", "United States")
        .await;
    let scopes = app.text("#connected-scopes").await;
    assert!(scopes.contains("ZohoInvoice.settings.READ"), "{scopes}");
    let refresh = app.text("#refresh-masked").await;
    assert!(refresh.starts_with("••••"), "{refresh}");
    assert!(
        !app.find("#screen")
            .await
            .html(false)
            .await
            .expect("html")
            .contains(&client.client_secret),
        "the client secret is on the page"
    );
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_eu_user_starting_at_the_us_server_is_connected_in_europe() {
    let Some(Setup {
        sandbox,
        app,
        redirect_uri,
    }) = setup(DEMO_EU_USER, "accept").await
    else {
        return;
    };
    // One client for every data center: registered in the US with Multi-DC on.
    let client = sandbox.register_client(ClientSpec {
        multi_dc: true,
        ..ClientSpec::server_based("us", &redirect_uri)
    });

    walk_to_consent(&app, "us", None, &client, &redirect_uri).await;
    app.click("#consent-start").await;
    let log = app
        .wait_for_browser(&format!(
            "returned to {}: HTTP 200",
            origin_and_path(&redirect_uri)
        ))
        .await;
    assert!(
        log.contains(&format!("opened {}/oauth/v2/auth", sandbox.base_url())),
        "the flow should start at the US server:\n{log}"
    );
    assert!(
        log.contains(&format!("pressed accept as {DEMO_EU_USER}: HTTP 302")),
        "{log}"
    );

    // The EU user's Books organizations, read at the EU API domain.
    app.wait_for_screen("test").await;
    app.wait_for_all(".org-pick .check-row", 2).await;
    app.wait_for_text_containing("#test-running", "Camille Durand")
        .await;
    app.click("label[data-org='20081167']").await;
    app.click("#test-next").await;

    app.wait_for_text("#screen-title", "Connected to Boulangerie du Marché")
        .await;
    app.wait_for_text_containing("#connected-dc", "Europe")
        .await;
    app.wait_for_text(
        "#connected-org",
        "Boulangerie du Marché (organization 20081167)",
    )
    .await;
    app.wait_for_text(
        "#connected-user",
        &format!("Camille Durand ({DEMO_EU_USER})"),
    )
    .await;
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deny_is_said_plainly_and_try_again_connects() {
    // The person presses Deny, then changes their mind.
    let Some(Setup {
        sandbox,
        app,
        redirect_uri,
    }) = setup(DEMO_US_USER, "deny,accept").await
    else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::server_based("us", &redirect_uri));

    walk_to_consent(&app, "us", Some("invoice"), &client, &redirect_uri).await;
    app.click("#consent-start").await;
    app.wait_for_browser(&format!("pressed deny as {DEMO_US_USER}: HTTP 302"))
        .await;

    let problem = app.wait_for_problem("access_denied").await;
    assert!(
        problem.message.contains("\"Deny\" was chosen"),
        "{problem:?}"
    );
    assert!(
        problem.hint.contains("press \"Accept\""),
        "the hint should say what to do: {problem:?}"
    );
    app.wait_for_screen("grant").await;
    app.wait_for_text("#consent-start", "Try again").await;
    assert!(app.is_enabled("#consent-start").await);
    // The wait is over: nothing says the assistant is still waiting, and the address
    // of the attempt that ended is no longer offered to open by hand.
    assert!(!app
        .find("#consent-status")
        .await
        .is_displayed()
        .await
        .expect("state"));
    assert_eq!(app.text("#consent-fallback").await, "");

    app.click("#consent-start").await;
    let log = app
        .wait_for_browser(&format!("pressed accept as {DEMO_US_USER}: HTTP 302"))
        .await;
    assert_eq!(
        log.matches("/oauth/v2/auth\n").count(),
        2,
        "Try again should open the consent page once more:\n{log}"
    );
    app.wait_for_screen("test").await;
    // The old problem does not linger once the new attempt worked.
    assert_eq!(app.problem_now().await, None);
    app.wait_for_text(
        "#test-org",
        "Organization: Morgan Bookkeeping LLC (10234695)",
    )
    .await;
    app.click("#test-next").await;
    app.wait_for_text("#screen-title", "Connected to Morgan Bookkeeping LLC")
        .await;
    app.close().await;
    sandbox.shutdown().await;
}

/// `http://localhost:PORT/zoho/callback` as the fake browser logs it (origin and path).
fn origin_and_path(uri: &str) -> String {
    let url = url::Url::parse(uri).expect("a redirect URI");
    format!("{}{}", url.origin().ascii_serialization(), url.path())
}
