//! The practice-mode switch in the header starts a practice server inside the app and
//! stops it again: the data centers' addresses follow, the chosen one stays chosen,
//! and the server really answers on the port the window shows.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use e2e_tests::{http_get, App, UI_TIMEOUT};

#[tokio::test(flavor = "multi_thread")]
async fn the_switch_starts_a_practice_server_and_stopping_it_returns_to_zoho() {
    let Some(app) = App::launch().await else {
        return;
    };

    app.click("#start-connect").await;
    app.wait_for_all("#dc-list .dc-card", 10).await;
    app.wait_for_text("#mode .mode-label", "Practice mode (sandbox): off")
        .await;
    let switch = app.find("#practice-switch").await;
    assert_eq!(
        switch.attr("role").await.ok().flatten().as_deref(),
        Some("switch")
    );
    assert_eq!(aria_checked(&app).await.as_deref(), Some("false"));
    app.click("label[data-dc=eu]").await;
    app.wait_for_text("#accounts-server", "https://accounts.zoho.eu")
        .await;

    // On: the addresses become the practice server's, Europe still chosen.
    app.click("#practice-switch").await;
    app.wait_for_text("#mode .mode-label", "Practice mode (sandbox): on")
        .await;
    assert_eq!(aria_checked(&app).await.as_deref(), Some("true"));
    let europe = wait_for_sandbox_address(&app, "#dc-eu-server").await;
    let port = europe
        .strip_prefix("127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/eu"))
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("Europe shows {europe:?}, not 127.0.0.1:<port>/eu"));
    let base = format!("http://127.0.0.1:{port}");
    assert!(app
        .find("#dc-eu")
        .await
        .is_selected()
        .await
        .expect("radio state"));
    app.wait_for_text("#accounts-server", &format!("{base}/eu"))
        .await;
    app.wait_for_text("#api-console", &format!("{base}/eu/console"))
        .await;
    let detail = app.text("#mode-detail").await;
    assert!(detail.contains(&base), "{detail}");

    let (status, body) = http_get(&format!("{base}/oauth/serverinfo"))
        .unwrap_or_else(|err| panic!("the practice server at {base} did not answer: {err}"));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""result":"success""#), "{body}");
    assert!(body.contains(&format!(r#""eu":"{base}/eu""#)), "{body}");

    let shot = app.screenshot("practice-switch-on").await;
    eprintln!("screenshot: {}", shot.display());

    // Off: Zoho's addresses again, and the practice server is gone.
    app.click("#practice-switch").await;
    app.wait_for_text("#mode .mode-label", "Practice mode (sandbox): off")
        .await;
    app.wait_for_text("#dc-eu-server", "accounts.zoho.eu").await;
    app.wait_for_text("#accounts-server", "https://accounts.zoho.eu")
        .await;
    assert_eq!(aria_checked(&app).await.as_deref(), Some("false"));
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} is still open after practice mode was switched off"
    );

    let shot = app.screenshot("practice-switch-off").await;
    eprintln!("screenshot: {}", shot.display());
    app.close().await;
}

async fn aria_checked(app: &App) -> Option<String> {
    let switch = app.find("#practice-switch").await;
    switch.attr("aria-checked").await.ok().flatten()
}

/// The text of `css` once it is a loopback address.
async fn wait_for_sandbox_address(app: &App, css: &str) -> String {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        let text = app.text(css).await;
        if text.starts_with("127.0.0.1:") {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{css:?} still reads {text:?}, not a practice address"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
