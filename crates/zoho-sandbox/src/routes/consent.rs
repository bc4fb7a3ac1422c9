//! The consent screen: `GET {dc}/oauth/v2/auth` shows who is asking for what, lets the
//! person pick a sandbox account and Accept or Deny; the form posts to
//! `POST {dc}/oauth/v2/auth/decision`, which redirects the browser back to the app.
//! The decision is accepted only from the sandbox's own page: a page on another site
//! must not be able to press Accept for the user (see [`crate::guard`]).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{html_response, DcState};
use crate::consent::{self, AuthorizeRequest, Decision};
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::guard;
use crate::html::{self, escape};
use crate::params::Params;
use crate::scopes;
use crate::users::User;

/// The authorization request's parameters, carried through the form unchanged.
pub(crate) const CARRIED: [&str; 9] = [
    "client_id",
    "redirect_uri",
    "scope",
    "response_type",
    "access_type",
    "prompt",
    "state",
    "code_challenge",
    "code_challenge_method",
];

pub(crate) async fn page(State(state): State<DcState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::from_query(query.as_deref());
    let store = state.shared.store();
    match consent::validate(&store, state.dc, &params) {
        Ok(request) => {
            let users: Vec<&User> = store
                .users
                .iter()
                .filter(|u| u.dc.realm() == state.dc.realm())
                .collect();
            html_response(StatusCode::OK, render(state.dc, &request, &params, &users))
        }
        Err(error) => error_page(&error),
    }
}

/// A decision posted from one of the sandbox's own pages: the form's parameters and
/// Accept or Deny; or the page to answer with when another site posted it (`what`
/// names the page in the log) or no choice was made (`choose` says what to do).
pub(crate) fn posted_decision(
    port: u16,
    headers: &HeaderMap,
    body: &[u8],
    what: &str,
    choose: &str,
) -> Result<(Params, Decision), Box<Response>> {
    if guard::origin_is_foreign(headers, port) {
        tracing::debug!("{what} decision from another site refused");
        return Err(Box::new(html_response(
            StatusCode::FORBIDDEN,
            guard::foreign_origin_page(),
        )));
    }
    let params = Params::from_query_and_body(None, body);
    let decision = match params.get("decision") {
        Some("accept") => Decision::Accept,
        Some("deny") => Decision::Deny,
        _ => {
            return Err(Box::new(html_response(
                StatusCode::BAD_REQUEST,
                html::error_page("Invalid OAuth request", choose),
            )))
        }
    };
    Ok((params, decision))
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
        "consent",
        "Choose Accept or Deny on the consent page.",
    ) {
        Ok(posted) => posted,
        Err(page) => return *page,
    };
    let user = params.get("user_email").unwrap_or("");
    match consent::decide(&state.shared, state.dc, &params, user, decision) {
        Ok(location) => match HeaderValue::from_str(&location) {
            Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
            Err(_) => error_page(&SandboxError::RedirectUriMismatch),
        },
        Err(error) => error_page(&error),
    }
}

fn error_page(error: &SandboxError) -> Response {
    tracing::debug!(kind = error.kind(), "consent request refused");
    html_response(
        StatusCode::BAD_REQUEST,
        html::error_page(error.title(), &error.to_string()),
    )
}

fn render(dc: Dc, request: &AuthorizeRequest, params: &Params, users: &[&User]) -> String {
    let client = &request.client;
    let scope_items: String = request
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
        r#"<h1><strong>{app}</strong> would like to access your Zoho account</h1>
<p class="muted">Client ID <code>{client_id}</code> · signing in at the {dc_name} accounts server</p>
<h2>It asks to:</h2>
<ul class="scopes">{scope_items}</ul>
<p>{access}</p>
<form method="post" action="{prefix}/oauth/v2/auth/decision">
{hidden}
<fieldset><legend>Sign in as</legend>{user_choices}
<p class="muted">If the account lives in another data center, you are sent on to that data center and the application is told where.</p></fieldset>
<div class="actions"><button type="submit" name="decision" value="accept">Accept</button><button type="submit" name="decision" value="deny" class="secondary">Deny</button></div>
</form>"#,
        app = escape(&client.name),
        client_id = escape(&client.id),
        dc_name = escape(dc.name()),
        prefix = escape(&dc.prefix()),
    );
    html::page("Consent", &body)
}
