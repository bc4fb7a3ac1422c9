//! `GET {api}/crm/v8/org`: the CRM organization the token belongs to (one per token). CRM
//! words its failures differently from the Books family: `AUTHENTICATION_FAILURE` when no
//! token can be read from the request, `INVALID_TOKEN` for a token Zoho does not accept,
//! `OAUTH_SCOPE_MISMATCH` for a missing scope, all HTTP 401 with CRM's
//! `{"code","details","message","status"}` body.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use super::oauth_header::{credential, Credential};
use super::{json_response, DcState};
use crate::api_access::{self, ApiFailure};
use crate::scopes;
use crate::users::CrmOrganization;

/// `{"org": [...]}`, a list of the one organization the token belongs to.
#[derive(Serialize)]
struct OrgResponse<'a> {
    org: [&'a CrmOrganization; 1],
}

pub(crate) async fn org(State(state): State<DcState>, headers: HeaderMap) -> Response {
    let token = match credential(&headers) {
        Credential::Token(token) => token,
        Credential::Absent | Credential::Unreadable => {
            tracing::debug!(dc = %state.dc, outcome = "no token", "crm org");
            return error("AUTHENTICATION_FAILURE", "Authentication failed");
        }
    };
    let outcome =
        api_access::authorize(&state.shared, state.dc, Some(token), scopes::allows_crm_org);
    let outcome_label = match &outcome {
        Ok(user) if user.crm.is_some() => "answered",
        Ok(_) => "no crm account",
        Err(failure) => failure.label(),
    };
    tracing::debug!(dc = %state.dc, outcome = outcome_label, "crm org");
    match outcome {
        Ok(user) => match user.crm {
            Some(org) => json_response(StatusCode::OK, &OrgResponse { org: [&org] }),
            // The sandbox's wording of CRM's documented "No CRM account" error (code 4102
            // of its first API) in the shape of its current errors.
            None => error(
                "NO_CRM_ACCOUNT",
                "the user does not belong to any Zoho CRM organization",
            ),
        },
        Err(ApiFailure::InvalidToken) => error("INVALID_TOKEN", "invalid oauth token"),
        Err(ApiFailure::NotAuthorized) => error(
            "OAUTH_SCOPE_MISMATCH",
            "invalid oauth scope to access this URL",
        ),
    }
}

/// A CRM error body with HTTP 401.
fn error(code: &str, message: &str) -> Response {
    json_response(
        StatusCode::UNAUTHORIZED,
        &json!({ "code": code, "details": {}, "message": message, "status": "error" }),
    )
}
