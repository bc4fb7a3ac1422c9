//! `GET {accounts}/oauth/user/info`: who the access token belongs to, so that an app can
//! say "connected as jane@firm.com". It lives on the accounts server, not on the API
//! domain, and needs `AaaServer.profile.Read`. Failures are HTTP 401 with the accounts
//! server's security codes: `INVALID_OAUTHTOKEN` (no, unknown, expired, revoked or
//! other-DC token) and `INVALID_OAUTHSCOPE` (no profile scope).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use super::oauth_header::credential;
use super::{json_response, DcState};
use crate::api_access::{self, ApiFailure};
use crate::scopes;

/// The field names public clients read from Zoho's answer.
#[derive(Serialize)]
struct UserInfo {
    #[serde(rename = "First_Name")]
    first_name: &'static str,
    #[serde(rename = "Last_Name")]
    last_name: &'static str,
    #[serde(rename = "Email")]
    email: &'static str,
    #[serde(rename = "Display_Name")]
    display_name: &'static str,
    #[serde(rename = "ZUID")]
    zuid: u64,
}

pub(crate) async fn user_info(State(state): State<DcState>, headers: HeaderMap) -> Response {
    let outcome = api_access::authorize(
        &state.shared,
        state.dc,
        credential(&headers).token(),
        scopes::allows_user_info,
    );
    tracing::debug!(
        dc = %state.dc,
        outcome = outcome.as_ref().map_or_else(|f| f.label(), |_| "answered"),
        "user info"
    );
    match outcome {
        Ok(user) => json_response(
            StatusCode::OK,
            &UserInfo {
                first_name: user.first_name,
                last_name: user.last_name,
                email: user.email,
                display_name: user.name,
                zuid: user.zuid,
            },
        ),
        Err(ApiFailure::InvalidToken) => json_response(
            StatusCode::UNAUTHORIZED,
            &json!({ "code": "INVALID_OAUTHTOKEN", "message": "Invalid OAuth token" }),
        ),
        Err(ApiFailure::NotAuthorized) => json_response(
            StatusCode::UNAUTHORIZED,
            &json!({ "code": "INVALID_OAUTHSCOPE", "message": "Invalid OAuth scope" }),
        ),
    }
}
