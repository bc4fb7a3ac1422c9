//! The window opens, asks Rust for the data centers, shows all nine, and shows the
//! chosen one's accounts server.

use e2e_tests::App;
use fantoccini::Locator;

const EXPECTED: [(&str, &str, &str); 9] = [
    ("us", "United States", "accounts.zoho.com"),
    ("eu", "Europe", "accounts.zoho.eu"),
    ("in", "India", "accounts.zoho.in"),
    ("au", "Australia", "accounts.zoho.com.au"),
    ("jp", "Japan", "accounts.zoho.jp"),
    ("ca", "Canada", "accounts.zohocloud.ca"),
    ("sa", "Saudi Arabia", "accounts.zoho.sa"),
    ("uk", "United Kingdom", "accounts.zoho.uk"),
    ("cn", "China", "accounts.zoho.com.cn"),
];

#[tokio::test(flavor = "multi_thread")]
async fn the_window_lists_every_data_center_and_shows_the_chosen_accounts_server() {
    let Some(app) = App::launch().await else {
        return;
    };

    // The list is filled from the `list_data_centers` command; the page has no copy.
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
