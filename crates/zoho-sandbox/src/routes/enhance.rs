//! Incremental authorization (see [`crate::enhance`]): `POST {dc}/oauth/v2/token/scopeenhance`
//! answers `{"access_token": <enhance token>, "token_type": "Bearer", "expires_in"}` as
//! Zoho's page shows it, failures as HTTP 200 `{"error": "..."}` like the token endpoint;
//! `GET {dc}/oauth/v2/token/addextrascope` is the consent page for the added scopes, whose
//! form posts to `.../addextrascope/decision`.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::consent::posted_decision;
use super::{html_response, json_response, DcState};
use crate::dc::Dc;
use crate::enhance::{self, AddScopesRequest};
use crate::error::SandboxError;
use crate::html::{self, escape};
use crate::params::Params;
use crate::scopes;

/// The request's parameters, carried through the form unchanged.
const CARRIED: [&str; 7] = [
    "client_id",
    "redirect_uri",
    "scope",
    "response_type",
    "enhance_token",
    "state",
    "logout",
];

pub(crate) async fn scope_enhance(
    State(state): State<DcState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::from_request(query.as_deref(), &headers, body).await;
    match enhance::request_token(&state.shared, state.dc, &params) {
        Ok(issued) => json_response(
            StatusCode::OK,
            &json!({
                "access_token": issued.token,
                "token_type": "Bearer",
                "expires_in": issued.expires_in,
            }),
        ),
        Err(failure) => json_response(StatusCode::OK, &json!({ "error": failure.error_code() })),
    }
}

pub(crate) async fn page(State(state): State<DcState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::from_query(query.as_deref());
    let now = state.shared.clock.now();
    let store = state.shared.store();
    match enhance::validate(&store, state.dc, now, &params) {
        Ok(request) => {
            let name = store
                .user(&request.user_email)
                .map(|u| u.name)
                .unwrap_or_default();
            html_response(StatusCode::OK, render(state.dc, &request, &params, name))
        }
        Err(error) => error_page(&error),
    }
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
        "scope enhancement",
        "Choose Accept or Deny on the consent page.",
    ) {
        Ok(posted) => posted,
        Err(page) => return *page,
    };
    match enhance::decide(&state.shared, state.dc, &params, decision) {
        Ok(location) => match HeaderValue::from_str(&location) {
            Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
            Err(_) => error_page(&SandboxError::RedirectUriMismatch),
        },
        Err(error) => error_page(&error),
    }
}

fn error_page(error: &SandboxError) -> Response {
    tracing::debug!(kind = error.kind(), "scope enhancement request refused");
    html_response(
        StatusCode::BAD_REQUEST,
        html::error_page(error.title(), &error.to_string()),
    )
}

fn scope_list(list: &[String]) -> String {
    list.iter()
        .map(|s| {
            format!(
                "<li>{}<code>{}</code></li>",
                escape(&scopes::describe(s)),
                escape(s)
            )
        })
        .collect()
}

fn render(dc: Dc, request: &AddScopesRequest, params: &Params, user_name: &str) -> String {
    let new: Vec<String> = request
        .scopes
        .iter()
        .filter(|s| !request.held.contains(s))
        .cloned()
        .collect();
    let new_items = if new.is_empty() {
        "<li>Nothing new: the application already has all of these.</li>".to_owned()
    } else {
        scope_list(&new)
    };
    let hidden: String = CARRIED
        .iter()
        .filter_map(|name| params.raw(name).map(|value| (name, value)))
        .map(|(name, value)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                escape(name),
                escape(value)
            )
        })
        .collect();
    let body = format!(
        r#"<h1><strong>{app}</strong> would like more access to your Zoho account</h1>
<p class="muted">Client ID <code>{client_id}</code> · signed in as <strong>{user}</strong> &lt;{email}&gt; at the {dc_name} accounts server</p>
<h2>It asks to add:</h2>
<ul class="scopes">{new_items}</ul>
<h2>It keeps what it has now:</h2>
<ul class="scopes">{held_items}</ul>
<p>The application's existing connection gains these permissions; it gets no new token.</p>
<form method="post" action="{prefix}/oauth/v2/token/addextrascope/decision">
{hidden}
<div class="actions"><button type="submit" name="decision" value="accept">Accept</button><button type="submit" name="decision" value="deny" class="secondary">Deny</button></div>
</form>"#,
        app = escape(&request.client.name),
        client_id = escape(&request.client.id),
        user = escape(user_name),
        email = escape(&request.user_email),
        dc_name = escape(dc.name()),
        held_items = scope_list(&request.held),
        prefix = escape(&dc.prefix()),
    );
    html::page("Add permissions", &body)
}
