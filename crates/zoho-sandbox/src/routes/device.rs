//! The device flow's HTTP surface (rules in [`crate::device`]): the two endpoints an
//! app calls, with parameters read as the token endpoint reads them, and the
//! verification page where a person types the user code, picks an account and
//! approves or denies. As with the consent page, only the sandbox's own page may post
//! the decision (see [`crate::guard`]).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::consent::posted_decision;
use super::{html_response, json_response, DcState};
use crate::consent::Decision;
use crate::dc::Dc;
use crate::device::{self, DeviceFailure};
use crate::error::SandboxError;
use crate::html::{self, escape};
use crate::params::Params;
use crate::scopes;
use crate::state::Shared;

pub(crate) async fn code(
    State(state): State<DcState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::from_request(query.as_deref(), &headers, body).await;
    match device::request_codes(&state.shared, state.dc, &params) {
        Ok(codes) => json_response(
            StatusCode::OK,
            &json!({
                "user_code": codes.user_code,
                "device_code": codes.device_code,
                "verification_url": codes.verification_url,
                "verification_uri_complete": format!("{}?user_code={}", codes.verification_url, codes.user_code),
                "expires_in": codes.expires_in,
                "interval": codes.interval,
            }),
        ),
        Err(failure) => failure_response(state.dc, failure, &params),
    }
}

pub(crate) async fn token(
    State(state): State<DcState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::from_request(query.as_deref(), &headers, body).await;
    match device::poll(&state.shared, state.dc, &params) {
        Ok(issued) => {
            let mut body = json!({
                "access_token": issued.access_token,
                "scope": issued.scope,
                "api_domain": issued.api_domain,
                "token_type": "Bearer",
                "expires_in": issued.expires_in,
            });
            if let Some(refresh) = issued.refresh_token {
                body["refresh_token"] = json!(refresh);
            }
            json_response(StatusCode::OK, &body)
        }
        Err(failure) => failure_response(state.dc, failure, &params),
    }
}

fn failure_response(dc: Dc, failure: DeviceFailure, params: &Params) -> Response {
    tracing::debug!(
        %dc,
        client_id = params.get("client_id").unwrap_or(""),
        error = failure.error_code(),
        "device flow request answered with an error"
    );
    let body = match failure {
        DeviceFailure::OtherDc(user_dc) => {
            json!({ "user_location": user_dc.location(), "error": "other_dc" })
        }
        other => json!({ "error": other.error_code() }),
    };
    json_response(StatusCode::OK, &body)
}

pub(crate) async fn page(State(state): State<DcState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::from_query(query.as_deref());
    let user_code = params.get("user_code").unwrap_or("");
    html_response(
        StatusCode::OK,
        render(&state.shared, state.dc, user_code, None),
    )
}

pub(crate) async fn decision(
    State(state): State<DcState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (params, decision) = match posted_decision(
        state.shared.port,
        &headers,
        &body,
        "device",
        "Choose Approve or Deny.",
    ) {
        Ok(posted) => posted,
        Err(page) => return *page,
    };
    let user_code = params.get("user_code").unwrap_or("");
    let user = params.get("user_email").unwrap_or("");
    match device::decide(&state.shared, state.dc, user_code, user, decision) {
        Ok(()) => {
            let (title, line) = match decision {
                Decision::Accept => (
                    "Access approved",
                    "The application now receives access. You can close this page and go back to it.",
                ),
                Decision::Deny => (
                    "Access denied",
                    "The application was told that you said no. You can close this page.",
                ),
            };
            let body = format!(
                r#"<h1 id="device-done">{}</h1><p>{}</p>"#,
                escape(title),
                escape(line)
            );
            html_response(StatusCode::OK, html::page(title, &body))
        }
        Err(error) => html_response(
            StatusCode::BAD_REQUEST,
            render(&state.shared, state.dc, user_code, Some(&error)),
        ),
    }
}

/// The page asks for the code first; once a known code is in the address (or was
/// typed and refused for another reason), it also shows who asks for what.
fn render(shared: &Shared, dc: Dc, user_code: &str, error: Option<&SandboxError>) -> String {
    let error_html = error
        .map(|e| format!(r#"<p class="error">{}</p>"#, escape(&e.to_string())))
        .unwrap_or_default();
    let request = (!user_code.is_empty())
        .then(|| device::pending(shared, dc, user_code))
        .transpose();
    let (request, lookup_error) = match request {
        Ok(request) => (request, None),
        Err(e) if error.is_none() => (None, Some(e)),
        Err(_) => (None, None),
    };
    let lookup_error = lookup_error
        .map(|e| format!(r#"<p class="error">{}</p>"#, escape(&e.to_string())))
        .unwrap_or_default();
    let asks = match &request {
        Some(request) => {
            let items: String = request
                .scopes
                .iter()
                .map(|s| {
                    format!(
                        "<li>{}<code>{}</code></li>",
                        escape(&scopes::describe(s)),
                        escape(s)
                    )
                })
                .collect();
            let access = if request.offline {
                "Keep access when you are not using it (offline access: the application receives a refresh token)."
            } else {
                "Access only while you use it (online access: for one hour, no refresh token)."
            };
            format!(
                r#"<h2><strong>{app}</strong> asks to:</h2><ul class="scopes">{items}</ul><p>{access}</p>"#,
                app = escape(&request.client_name),
            )
        }
        None => String::new(),
    };
    let store = shared.store();
    let users: Vec<_> = store
        .users
        .iter()
        .filter(|u| u.dc.realm() == dc.realm())
        .collect();
    let first = users.iter().position(|u| u.dc == dc).unwrap_or_default();
    let user_choices: String = users
        .iter()
        .enumerate()
        .map(|(i, user)| {
            format!(
                r#"<label class="user"><input type="radio" name="user_email" value="{email}"{checked}><span><strong>{name}</strong> &lt;{email}&gt;<br><span class="muted">Account in {dc_name} ({loc})</span></span></label>"#,
                email = escape(user.email),
                checked = if i == first { " checked" } else { "" },
                name = escape(user.name),
                dc_name = escape(user.dc.name()),
                loc = escape(user.dc.location()),
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Connect a device</h1>
<p>Type the code the application shows, then approve it. Signing in at the {dc_name} accounts server.</p>
{error_html}{lookup_error}
<form method="post" action="{prefix}/oauth/v3/device/decision">
<label for="user_code">Code</label><input type="text" id="user_code" name="user_code" value="{code}" autocomplete="off" placeholder="ABCD-EFGH">
{asks}
<fieldset><legend>Sign in as</legend>{user_choices}</fieldset>
<div class="actions"><button type="submit" name="decision" value="accept">Approve</button><button type="submit" name="decision" value="deny" class="secondary">Deny</button></div>
</form>"#,
        dc_name = escape(dc.name()),
        prefix = escape(&dc.prefix()),
        code = escape(user_code),
    );
    html::page("Connect a device", &body)
}
