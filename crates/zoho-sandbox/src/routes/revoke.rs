//! Zoho's two revoke endpoints. The older `POST {dc}/oauth/v2/token/revoke?token=...`
//! takes the token alone. The newer `POST {dc}/oauth/v2/revoke/token` also wants the
//! client that holds it, in HTTP Basic, and the token's kind in `token_type`; it answers
//! credential trouble with HTTP 401 and a bad request with HTTP 400, unlike the token
//! endpoint's HTTP 200 errors. Both read parameters in every shape the token endpoint
//! reads, and both answer an unknown token the same way.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::json;

use super::{json_response, DcState};
use crate::params::Params;
use crate::tokens::{self, RevokeFailure, TokenKind};

/// `POST {dc}/oauth/v2/token/revoke`.
pub(crate) async fn revoke(
    State(state): State<DcState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::from_request(query.as_deref(), &headers, body).await;
    let revoked = params
        .get("token")
        .is_some_and(|token| tokens::revoke(&state.shared, state.dc, token));
    if revoked {
        success()
    } else {
        invalid_token()
    }
}

/// `POST {dc}/oauth/v2/revoke/token`.
pub(crate) async fn revoke_by_client(
    State(state): State<DcState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((client_id, secret)) = basic_credentials(&headers) else {
        tracing::debug!(dc = %state.dc, "revoke without readable client credentials");
        return error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    let params = Params::from_request(query.as_deref(), &headers, body).await;
    let (Some(token), Some(kind)) = (
        params.get("token"),
        params
            .get("token_type")
            .and_then(TokenKind::from_token_type),
    ) else {
        return error(StatusCode::BAD_REQUEST, "invalid_request");
    };
    match tokens::revoke_as_client(&state.shared, state.dc, &client_id, &secret, token, kind) {
        Ok(()) => success(),
        Err(RevokeFailure::UnknownClient) => error(StatusCode::UNAUTHORIZED, "invalid_client"),
        Err(RevokeFailure::WrongSecret) => error(StatusCode::UNAUTHORIZED, "invalid_client_secret"),
        Err(RevokeFailure::NoSuchToken) => invalid_token(),
    }
}

/// `client_id` and `client_secret` from `Authorization: Basic base64(id:secret)`, or
/// `None` when the header is absent, of another scheme, or does not decode to two
/// non-empty parts.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (client_id, secret) = decoded.split_once(':')?;
    if client_id.is_empty() || secret.is_empty() {
        return None;
    }
    Some((client_id.to_owned(), secret.to_owned()))
}

fn success() -> Response {
    json_response(StatusCode::OK, &json!({ "status": "success" }))
}

/// The older endpoint's failure, which the newer one shares for a token it cannot revoke.
fn invalid_token() -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({ "status": "failure", "error": "invalid_token" }),
    )
}

fn error(status: StatusCode, code: &str) -> Response {
    json_response(status, &json!({ "error": code }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(value).expect("header value"),
        );
        headers
    }

    #[test]
    fn basic_credentials_are_read_strictly() {
        let good = format!("Basic {}", STANDARD.encode("1000.ABC:s3cr:et"));
        assert_eq!(
            basic_credentials(&authorization(&good)),
            Some(("1000.ABC".to_owned(), "s3cr:et".to_owned()))
        );
        let lower = format!("basic {}", STANDARD.encode("id:secret"));
        assert!(basic_credentials(&authorization(&lower)).is_some());

        for bad in [
            format!("Bearer {}", STANDARD.encode("id:secret")),
            format!("Basic {}", STANDARD.encode("no-colon")),
            format!("Basic {}", STANDARD.encode(":secret")),
            format!("Basic {}", STANDARD.encode("id:")),
            format!("Basic {}", STANDARD.encode([0xff, 0xfe, b':', b'x'])),
            "Basic not*base64".to_owned(),
            "Basic".to_owned(),
        ] {
            assert_eq!(basic_credentials(&authorization(&bad)), None, "{bad}");
        }
        assert_eq!(basic_credentials(&HeaderMap::new()), None);
    }
}
