//! `POST {dc}/oauth/v2/token/revoke?token=...` (the token may also come in a form body).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::{json_response, DcState};
use crate::params::Params;
use crate::tokens;

pub(crate) async fn revoke(
    State(state): State<DcState>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let params = Params::from_query_and_body(query.as_deref(), &body);
    let revoked = params
        .get("token")
        .is_some_and(|token| tokens::revoke(&state.shared, state.dc, token));
    if revoked {
        json_response(StatusCode::OK, &json!({ "status": "success" }))
    } else {
        json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "status": "failure", "error": "invalid_token" }),
        )
    }
}
