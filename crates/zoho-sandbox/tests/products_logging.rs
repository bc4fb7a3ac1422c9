//! The routes of tests/products.rs log their outcomes at debug level, and never the
//! access token. This test is alone in its binary: a tracing subscriber set for one
//! thread misses events when other tests hit the same log lines first on other threads.

mod common;

use common::*;
use zoho_sandbox::{Sandbox, DEMO_US_USER};

const PROFILE: &str = "AaaServer.profile.Read";

/// Every product route, with a scope that grants it.
const PRODUCT_ROUTES: [(&str, &str); 7] = [
    ("/books/v3/organizations", "ZohoBooks.settings.READ"),
    ("/inventory/v1/organizations", "ZohoInventory.settings.READ"),
    ("/invoice/v3/organizations", "ZohoInvoice.settings.READ"),
    ("/expense/v1/organizations", "ZohoExpense.orgsettings.READ"),
    ("/books/v3/invoices", "ZohoBooks.invoices.READ"),
    ("/inventory/v1/items", "ZohoInventory.items.READ"),
    ("/crm/v8/org", "ZohoCRM.org.READ"),
];

async fn api(sandbox: &Sandbox, location: &str, path: &str, token: &str) {
    get_with_token(&format!("{}{path}", sandbox.api_url(location)), Some(token)).await;
}

// A current-thread runtime: the server's tasks log on this thread, into this subscriber.
#[tokio::test]
async fn the_new_routes_log_outcomes_but_never_the_token() {
    let (captured, _guard) = CapturedLogs::start(tracing::Level::TRACE);

    let sandbox = start().await;
    let scopes: Vec<&str> = std::iter::once(PROFILE)
        .chain(PRODUCT_ROUTES.iter().map(|(_, scope)| *scope))
        .collect();
    let token = access_token(&sandbox, "us", DEMO_US_USER, &scopes.join(",")).await;
    get_with_token(
        &format!("{}/oauth/user/info", sandbox.accounts_url("us")),
        Some(&token),
    )
    .await;
    for (path, _) in PRODUCT_ROUTES {
        api(&sandbox, "us", path, &token).await;
    }
    api(&sandbox, "eu", "/crm/v8/org", &token).await;

    let logs = captured.text();
    for line in ["user info", "organizations", "organization read", "crm org"] {
        assert!(logs.contains(line), "no {line:?} in:\n{logs}");
    }
    assert!(logs.contains("organization not chosen"), "{logs}");
    for part in std::iter::once(token.as_str()).chain(token.split('.').filter(|p| p.len() >= 16)) {
        assert!(!logs.contains(part), "the token reached the log:\n{logs}");
    }
}
