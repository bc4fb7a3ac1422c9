//! The HTTP surface. Every data center's accounts server gets the same routes under
//! `/{location}`, and the US one is also served at the root, as `accounts.zoho.com` is
//! the default server. Each DC's API domain (`www.zohoapis.eu` at Zoho) is a separate
//! tree under `/api/{location}`: as at Zoho, a token request sent to an API domain, or an
//! API call sent to an accounts server, finds nothing there. The control API for tests
//! lives under `/sandbox/` at the root only.

mod consent;
mod console;
mod control;
mod crm;
mod device;
mod enhance;
mod oauth_header;
mod org_consent;
mod products;
mod revoke;
mod serverinfo;
mod token;
mod user_info;

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;

use crate::dc::Dc;
use crate::html;
use crate::product::{Listing, Product};
use crate::state::Shared;

/// What a DC's handlers know: the shared state and which DC they serve.
#[derive(Clone)]
pub(crate) struct DcState {
    pub(crate) shared: Arc<Shared>,
    pub(crate) dc: Dc,
}

/// The whole application.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut app = Router::new()
        .merge(accounts_routes(shared.clone(), Dc::Us))
        .nest("/sandbox", control::routes(shared.clone()));
    for dc in Dc::ALL {
        app = app
            .nest(
                &format!("/{}", dc.location()),
                accounts_routes(shared.clone(), dc),
            )
            .nest(&dc.api_prefix(), api_routes(shared.clone(), dc));
    }
    app.fallback(not_found)
}

/// A DC's accounts server: sign-in, consent, tokens, and the API Console.
fn accounts_routes(shared: Arc<Shared>, dc: Dc) -> Router {
    Router::new()
        .route("/oauth/serverinfo", get(serverinfo::serverinfo))
        .route("/oauth/v2/auth", get(consent::page))
        .route("/oauth/v2/auth/decision", post(consent::decision))
        .route("/oauth/v2/org/auth", get(org_consent::page))
        .route("/oauth/v2/org/auth/decision", post(org_consent::decision))
        .route("/oauth/v2/token", post(token::token))
        .route("/oauth/v2/token/revoke", post(revoke::revoke))
        .route("/oauth/v2/revoke/token", post(revoke::revoke_by_client))
        .route("/oauth/user/info", get(user_info::user_info))
        .route("/oauth/v3/device/code", post(device::code))
        .route("/oauth/v3/device/token", post(device::token))
        .route("/oauth/v3/device", get(device::page))
        .route("/oauth/v3/device/decision", post(device::decision))
        .route("/oauth/v2/token/scopeenhance", post(enhance::scope_enhance))
        .route("/oauth/v2/token/addextrascope", get(enhance::page))
        .route(
            "/oauth/v2/token/addextrascope/decision",
            post(enhance::decision),
        )
        .route("/console", get(console::page))
        .route("/console/clients", post(console::add_client))
        .route("/console/self-client/code", post(console::generate_code))
        .with_state(DcState { shared, dc })
}

/// A DC's API domain: the product APIs, which take an access token and nothing else.
fn api_routes(shared: Arc<Shared>, dc: Dc) -> Router {
    Router::new()
        .route(
            "/books/v3/organizations",
            products::organizations(Product::Books),
        )
        .route(
            "/books/v3/invoices",
            products::listing(Listing::BooksInvoices),
        )
        .route(
            "/inventory/v1/organizations",
            products::organizations(Product::Inventory),
        )
        .route(
            "/inventory/v1/items",
            products::listing(Listing::InventoryItems),
        )
        .route(
            "/invoice/v3/organizations",
            products::organizations(Product::Invoice),
        )
        .route(
            "/expense/v1/organizations",
            products::organizations(Product::Expense),
        )
        .route("/crm/v8/org", get(crm::org))
        .fallback(api_not_found)
        .with_state(DcState { shared, dc })
}

/// What Zoho's API hosts answer for an address no API lives at.
async fn api_not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &serde_json::json!({ "code": 5, "message": "Invalid URL Passed" }),
    )
}

async fn not_found() -> Response {
    html_response(
        StatusCode::NOT_FOUND,
        html::error_page("Page not found", "There is nothing at this address."),
    )
}

/// A JSON body with the content type Zoho's servers send.
pub(crate) fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            )],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::debug!(%error, "response could not be serialized");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// An HTML page.
pub(crate) fn html_response(status: StatusCode, page: String) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html;charset=UTF-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        page,
    )
        .into_response()
}
