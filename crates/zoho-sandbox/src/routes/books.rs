//! `GET {dc}/books/v3/organizations`, the call the app uses to prove a token works.
//! The token is read from `Authorization: Zoho-oauthtoken <token>` only, never from the
//! query string, as Zoho's documents require.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use super::{json_response, DcState};
use crate::tokens::{self, ApiFailure};
use crate::users::Organization;

#[derive(Serialize)]
struct OrganizationsResponse {
    code: u32,
    message: &'static str,
    organizations: Vec<Organization>,
}

pub(crate) async fn organizations(State(state): State<DcState>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(zoho_oauthtoken);
    let outcome = tokens::books_organizations(&state.shared, state.dc, token);
    tracing::debug!(
        dc = %state.dc,
        outcome = match &outcome {
            Ok(_) => "listed",
            Err(ApiFailure::InvalidToken) => "invalid token",
            Err(ApiFailure::NotAuthorized) => "scope missing",
        },
        "books organizations"
    );
    match outcome {
        Ok(organizations) => json_response(
            StatusCode::OK,
            &OrganizationsResponse {
                code: 0,
                message: "success",
                organizations,
            },
        ),
        Err(ApiFailure::InvalidToken) => json_response(
            StatusCode::UNAUTHORIZED,
            &json!({ "code": 14, "message": "Invalid OAuth token." }),
        ),
        Err(ApiFailure::NotAuthorized) => json_response(
            StatusCode::UNAUTHORIZED,
            &json!({ "code": 57, "message": "You are not authorized to perform this operation" }),
        ),
    }
}

/// The token of a `Zoho-oauthtoken <token>` header value (scheme in any case).
fn zoho_oauthtoken(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("Zoho-oauthtoken") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::zoho_oauthtoken;

    #[test]
    fn only_the_zoho_scheme_is_read() {
        assert_eq!(
            zoho_oauthtoken("Zoho-oauthtoken 1000.a.b"),
            Some("1000.a.b")
        );
        assert_eq!(
            zoho_oauthtoken("zoho-oauthtoken  1000.a.b "),
            Some("1000.a.b")
        );
        assert_eq!(zoho_oauthtoken("Bearer 1000.a.b"), None);
        assert_eq!(zoho_oauthtoken("Zoho-oauthtoken "), None);
        assert_eq!(zoho_oauthtoken("1000.a.b"), None);
    }
}
