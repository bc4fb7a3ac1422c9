//! The window opens, asks Rust for the data centers, shows all ten, and shows the
//! chosen one's accounts server.

use e2e_tests::{App, Options};
use fantoccini::Locator;

const EXPECTED: [(&str, &str, &str); 10] = [
    ("us", "United States", "accounts.zoho.com"),
    ("eu", "Europe", "accounts.zoho.eu"),
    ("in", "India", "accounts.zoho.in"),
    ("au", "Australia", "accounts.zoho.com.au"),
    ("jp", "Japan", "accounts.zoho.jp"),
    ("ca", "Canada", "accounts.zohocloud.ca"),
    ("sa", "Saudi Arabia", "accounts.zoho.sa"),
    ("uk", "United Kingdom", "accounts.zoho.uk"),
    ("cn", "China", "accounts.zoho.com.cn"),
    ("ae", "United Arab Emirates", "accounts.zoho.ae"),
];

#[tokio::test(flavor = "multi_thread")]
async fn the_window_lists_every_data_center_and_shows_the_chosen_accounts_server() {
    let Some(app) = App::launch().await else {
        return;
    };

    // The list is filled from the `list_data_centers` command; the page has no copy.
    app.click("#start-connect").await;
    let cards = app.wait_for_all("#dc-list .dc-card", EXPECTED.len()).await;
    let list = app.find("#dc-list").await;
    assert_eq!(
        list.attr("aria-busy").await.ok().flatten().as_deref(),
        Some("false")
    );
    for (card, (id, name, host)) in cards.iter().zip(EXPECTED) {
        assert_eq!(
            card.attr("data-dc").await.ok().flatten().as_deref(),
            Some(id)
        );
        let text_of = |css| async move {
            let part = card.find(Locator::Css(css)).await.expect(css);
            part.text().await.expect("text")
        };
        assert_eq!(text_of(".dc-name").await, name, "card {id}");
        assert_eq!(text_of(".dc-server").await, host, "card {id}");
    }
    app.wait_for_text("#mode .mode-label", "Practice mode (sandbox): off")
        .await;

    app.click("label[data-dc=eu]").await;
    app.wait_for_text("#accounts-server", "https://accounts.zoho.eu")
        .await;
    app.wait_for_text("#api-console", "https://api-console.zoho.eu")
        .await;
    let radio = app.find("#dc-eu").await;
    assert!(radio.is_selected().await.expect("radio state"));

    let shot = app.screenshot("data-center-europe").await;
    eprintln!("screenshot: {}", shot.display());
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn practice_mode_is_announced_and_every_address_is_the_sandboxs() {
    // Nothing is sent to the sandbox on this screen, so no server needs to answer here.
    let sandbox = "http://127.0.0.1:8765";
    let options = Options {
        sandbox_url: Some(sandbox.to_owned()),
        ..Options::default()
    };
    let Some(app) = App::launch_with(options).await else {
        return;
    };

    app.wait_for_text("#mode .mode-label", "Practice mode (sandbox): on")
        .await;
    app.click("#start-connect").await;
    app.wait_for_all("#dc-list .dc-card", EXPECTED.len()).await;
    app.wait_for_text("#dc-eu-server", "127.0.0.1:8765/eu")
        .await;
    app.click("label[data-dc=eu]").await;
    app.wait_for_text("#accounts-server", &format!("{sandbox}/eu"))
        .await;
    app.wait_for_text("#api-console", &format!("{sandbox}/eu/console"))
        .await;

    let shot = app.screenshot("practice-mode").await;
    eprintln!("screenshot: {}", shot.display());
    app.close().await;
}
