//! Every secret value that crosses the sandbox's port, in either direction: client
//! secrets, grant and device codes, PKCE verifiers, refresh, access and enhance tokens.
//! A client's test can then search everything the client wrote (logs, reports, files)
//! for each of them, including the ones it never sees itself, such as the verifier a
//! client sent.
//!
//! Values are taken from the places Zoho's clients put them: query strings and form
//! bodies under the parameter names of the token, revoke and consent endpoints,
//! `Authorization` headers, JSON answers and `Location` redirects.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, Response};

/// Parameters and answer fields whose values are secret.
const SECRET_NAMES: [&str; 9] = [
    "client_secret",
    "code",
    "code_verifier",
    "refresh_token",
    "access_token",
    "token",
    "device_code",
    "enhance_token",
    "id_token",
];

/// More than any test or practice session makes; past it, new values are not kept, so a
/// long-running practice sandbox cannot grow without bound.
const MOST_KEPT: usize = 20_000;

/// The largest body taken: axum's own limit for a form, which the sandbox's routes
/// would otherwise apply.
const MOST_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The values seen so far.
#[derive(Debug, Default)]
pub(crate) struct WireSecrets {
    seen: Mutex<BTreeSet<String>>,
}

impl WireSecrets {
    pub(crate) fn all(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    fn keep(&self, value: &str) {
        // Short values ("1", "true") are not secrets and would match everywhere.
        if value.len() < 8 {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() < MOST_KEPT {
            seen.insert(value.to_owned());
        }
    }

    /// Notes the secrets a request carries and gives the request back unchanged, or
    /// `None` when its body is larger than any route takes (or is cut off).
    pub(crate) async fn note_request(&self, request: Request<Body>) -> Option<Request<Body>> {
        let (parts, body) = request.into_parts();
        if let Some(query) = parts.uri.query() {
            self.note_form(query.as_bytes());
        }
        self.note_headers(&parts.headers);
        let bytes = axum::body::to_bytes(body, MOST_BODY_BYTES).await.ok()?;
        self.note_form(&bytes);
        Some(Request::from_parts(parts, Body::from(bytes)))
    }

    /// Notes the secrets an answer carries and gives the answer back unchanged.
    pub(crate) async fn note_response(&self, response: Response<Body>) -> Response<Body> {
        let (parts, body) = response.into_parts();
        if let Some(location) = parts
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
        {
            if let Some((_, query)) = location.split_once('?') {
                self.note_form(query.as_bytes());
            }
        }
        // The sandbox's own answers are small and whole; one that is not is not looked into.
        let bytes = axum::body::to_bytes(body, MOST_BODY_BYTES)
            .await
            .unwrap_or_default();
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            self.note_json(&json);
        }
        Response::from_parts(parts, Body::from(bytes))
    }

    fn note_form(&self, bytes: &[u8]) {
        for (name, value) in url::form_urlencoded::parse(bytes) {
            if SECRET_NAMES.contains(&name.as_ref()) {
                self.keep(&value);
            }
        }
    }

    fn note_headers(&self, headers: &HeaderMap) {
        for value in headers.get_all(header::AUTHORIZATION) {
            let Ok(text) = value.to_str() else { continue };
            if let Some((scheme, credential)) = text.split_once(' ') {
                if scheme.eq_ignore_ascii_case("basic") {
                    self.note_basic(credential.trim());
                } else {
                    self.keep(credential.trim());
                }
            }
        }
    }

    fn note_basic(&self, credential: &str) {
        use base64::Engine as _;
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(credential) else {
            return;
        };
        let text = String::from_utf8_lossy(&decoded);
        if let Some((_, secret)) = text.split_once(':') {
            self.keep(secret);
        }
    }

    fn note_json(&self, json: &serde_json::Value) {
        match json {
            serde_json::Value::Object(fields) => {
                for (name, value) in fields {
                    match value {
                        serde_json::Value::String(text)
                            if SECRET_NAMES.contains(&name.as_str()) =>
                        {
                            self.keep(text);
                        }
                        _ => self.note_json(value),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| self.note_json(item)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn secrets_in_forms_headers_redirects_and_answers_are_kept_and_nothing_else() {
        let wire = WireSecrets::default();
        let request = Request::post(
            "/oauth/v2/token?grant_type=authorization_code&code=1000.codecodecode",
        )
        .header(header::AUTHORIZATION, "Zoho-oauthtoken 1000.accessaccess")
        .body(Body::from(
            "client_id=1000.PUBLICID&client_secret=s3cr3ts3cr3t&code_verifier=verifierverifier",
        ))
        .unwrap();
        let request = wire.note_request(request).await.expect("a small body");
        let body = axum::body::to_bytes(request.into_body(), 1024)
            .await
            .unwrap();
        assert!(
            body.starts_with(b"client_id="),
            "the body is passed on as it came"
        );

        let response = Response::builder()
            .header(header::LOCATION, "http://localhost:28739/zoho/callback?code=1000.redirectcode&state=abc")
            .body(Body::from(r#"{"access_token":"1000.answered","refresh_token":"1000.refreshed","expires_in":3600,"nested":{"device_code":"1004.devicecode"}}"#))
            .unwrap();
        wire.note_response(response).await;

        let basic = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode("1000.PUBLICID:basicsecret")
        };
        let revoke = Request::post("/oauth/v2/revoke/token")
            .header(header::AUTHORIZATION, format!("Basic {basic}"))
            .body(Body::from(
                "token=1000.revokedtoken&token_type=refresh_token",
            ))
            .unwrap();
        wire.note_request(revoke).await;

        let mut expected = vec![
            "1000.codecodecode",
            "1000.accessaccess",
            "s3cr3ts3cr3t",
            "verifierverifier",
            "1000.redirectcode",
            "1000.answered",
            "1000.refreshed",
            "1004.devicecode",
            "basicsecret",
            "1000.revokedtoken",
        ];
        expected.sort_unstable();
        assert_eq!(wire.all(), expected);
    }
}
