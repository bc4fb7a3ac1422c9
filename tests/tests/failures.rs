//! What an accountant meets when something goes wrong, and that they can get out of it:
//! a mistyped Client Secret, a Self Client code that ran out before it was used, and
//! the redirect port held by another program. Each problem is matched on the `kind`
//! the window exposes and on the words that tell the person what happened and what to
//! do next; then the person does that, and the connection is made.

use std::net::TcpListener;
use std::time::Duration;

use e2e_tests::{free_port, App, Options};
use zoho_sandbox::{ClientSpec, RegisteredClient, Sandbox, SandboxOptions, DEMO_US_USER};

/// How long to watch for the browser opening when it must not.
const NOTHING_OPENS_WITHIN: Duration = Duration::from_secs(2);

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox")
}

async fn launch(sandbox: &Sandbox, env: Vec<(String, String)>) -> Option<App> {
    App::launch_with(Options {
        sandbox_url: Some(sandbox.base_url()),
        env,
    })
    .await
}

/// Start, the US data center, Books' default permissions, and the Self Client's ID and
/// `secret` pasted; ends on the code screen. Returns the scopes to generate a code for.
async fn walk_to_code(app: &App, client_id: &str, secret: &str) -> String {
    let scopes = app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.type_into("#client-id", client_id).await;
    app.type_into("#client-secret", secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    app.wait_for_text("#screen-title", "Get a code from Zoho")
        .await;
    scopes
}

/// Pastes `code`, waits for its countdown, and presses "Get the tokens".
async fn use_code(app: &App, code: &str) {
    app.type_into("#grant-code", code).await;
    app.wait_for_text_containing("#grant-countdown", "left to use this code")
        .await;
    app.click("#grant-next").await;
}

/// A secret of the right shape that is not `client`'s: the same 42 hex digits with
/// each one moved to the next.
fn wrong_secret(client: &RegisteredClient) -> String {
    let wrong: String = client
        .client_secret
        .chars()
        .map(|c| {
            let digit = c.to_digit(16).expect("a hex secret");
            char::from_digit((digit + 1) % 16, 16).expect("a hex digit")
        })
        .collect();
    assert_ne!(wrong, client.client_secret);
    wrong
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_client_secret_is_named_and_pasting_the_right_one_connects() {
    let sandbox = sandbox().await;
    let Some(app) = launch(&sandbox, Vec::new()).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));

    let scopes = walk_to_code(&app, &client.client_id, &wrong_secret(&client)).await;
    let code = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 5)
        .expect("a code");
    use_code(&app, &code).await;

    let problem = app.wait_for_problem("invalid_client_secret").await;
    assert_eq!(
        problem.message,
        "Zoho did not accept the Client Secret for this Client ID."
    );
    assert!(
        problem.hint.contains("Copy the Client Secret again"),
        "{problem:?}"
    );
    app.wait_for_screen("grant").await;
    assert!(
        app.is_enabled("#grant-next").await,
        "the person may retry without retyping"
    );
    app.assert_accessible("the code screen with a problem")
        .await;
    app.screenshots("problem-wrong-secret").await;

    // The way to fix it is offered where the problem is shown: back to the client, the
    // right secret pasted; Zoho did not use the code up.
    app.wait_for_text_containing("#grant-client-fix", "paste the code again")
        .await;
    app.click("#grant-fix-client").await;
    app.wait_for_screen("register").await;
    assert_eq!(app.value("#client-id").await, client.client_id);
    assert_eq!(
        app.value("#client-secret").await,
        "",
        "a secret must not be kept in the page"
    );
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    app.wait_for_screen("grant").await;
    use_code(&app, &code).await;
    app.wait_for_screen("test").await;
    app.wait_for_text_containing("#test-running", "Connection works")
        .await;
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_self_client_code_says_so_and_a_new_one_connects() {
    let sandbox = sandbox().await;
    let Some(app) = launch(&sandbox, Vec::new()).await else {
        return;
    };
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));

    let scopes = walk_to_code(&app, &client.client_id, &client.client_secret).await;
    let code = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    app.wait_for_text_containing("#grant-countdown", "left to use this code")
        .await;
    // The person was slow: Zoho's three minutes are over before "Get the tokens".
    sandbox.advance_clock(Duration::from_secs(3 * 60 + 10));
    app.click("#grant-next").await;

    let problem = app.wait_for_problem("code_expired_or_used").await;
    assert!(
        !app.find("#grant-client-fix")
            .await
            .is_displayed()
            .await
            .expect("state"),
        "the client is fine: only the code needs replacing"
    );
    assert!(
        problem.message.contains("expired or was already used"),
        "{problem:?}"
    );
    assert!(
        problem
            .hint
            .contains("Get a new code and use it straight away"),
        "{problem:?}"
    );
    app.wait_for_screen("grant").await;
    app.screenshots("problem-code-expired").await;

    let fresh = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 3)
        .expect("a new code");
    app.clear("#grant-code").await;
    use_code(&app, &fresh).await;
    app.wait_for_screen("test").await;
    assert_eq!(app.problem_now().await, None);
    app.wait_for_text_containing("#test-running", "Connection works")
        .await;
    app.close().await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_redirect_port_is_named_nothing_opens_and_freeing_it_connects() {
    let sandbox = sandbox().await;
    let port = free_port();
    let Some(app) = launch(
        &sandbox,
        vec![
            (
                "ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT".into(),
                port.to_string(),
            ),
            ("FAKE_BROWSER_USER".into(), DEMO_US_USER.into()),
        ],
    )
    .await
    else {
        return;
    };
    let redirect_uri = format!("http://localhost:{port}/zoho/callback");
    let client = sandbox.register_client(ClientSpec::server_based("us", &redirect_uri));
    // Another program holds the port.
    let squatter = TcpListener::bind(("127.0.0.1", port)).expect("the redirect port");

    app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.click("label[for=way-server_based]").await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    app.click("#consent-start").await;

    let problem = app.wait_for_problem("port_in_use").await;
    assert!(
        problem
            .message
            .contains(&format!("Port {port} on this computer is already in use")),
        "{problem:?}"
    );
    assert!(
        problem
            .hint
            .contains(&format!("Close the program using port {port}")),
        "{problem:?}"
    );
    tokio::time::sleep(NOTHING_OPENS_WITHIN).await;
    let log = app.browser_log();
    assert!(
        !log.contains("/oauth/v2/auth"),
        "the consent page was opened with nobody to hear the answer:\n{log}"
    );
    app.wait_for_text("#consent-start", "Try again").await;
    assert!(
        app.is_enabled("#consent-start").await,
        "the person must be able to try again"
    );
    app.screenshots("problem-port-in-use").await;

    // The other program is closed; the same button now works.
    drop(squatter);
    app.click("#consent-start").await;
    app.wait_for_browser(&format!(
        "returned to http://localhost:{port}/zoho/callback: HTTP 200"
    ))
    .await;
    app.wait_for_screen("test").await;
    assert_eq!(app.problem_now().await, None);
    app.close().await;
    sandbox.shutdown().await;
}
