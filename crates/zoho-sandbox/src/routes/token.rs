//! `POST {dc}/oauth/v2/token`: both grants, parameters in the query string, a URL-encoded
//! body or a multipart body (see [`crate::params`]).
//! Failures are HTTP 200 with `{"error": "..."}`, as Zoho answers them; only the rate
//! limit is an HTTP 400, with Zoho's "Access Denied" body.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use super::{json_response, DcState};
use crate::params::Params;
use crate::tokens::{self, TokenFailure};

#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    scope: String,
    api_domain: String,
    token_type: &'static str,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
}

pub(crate) async fn token(
    State(state): State<DcState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::from_request(query.as_deref(), &headers, body).await;
    match tokens::token_request(&state.shared, state.dc, &params) {
        Ok(issued) => json_response(
            StatusCode::OK,
            &TokenResponse {
                access_token: issued.access_token,
                refresh_token: issued.refresh_token,
                scope: issued.scope,
                api_domain: issued.api_domain,
                token_type: "Bearer",
                expires_in: issued.expires_in,
                account_id: issued.account_id,
            },
        ),
        Err(TokenFailure::AccessDenied) => json_response(
            StatusCode::BAD_REQUEST,
            &json!({
                "error_description": "You have made too many requests continuously. Please try again after some time.",
                "error": "Access Denied",
                "status": "failure",
            }),
        ),
        Err(failure) => json_response(StatusCode::OK, &json!({ "error": failure.error_code() })),
    }
}
