//! Zoho Payments' organization-level consent page: `GET {dc}/oauth/v2/org/auth` shows
//! what is asked, the sandbox accounts to sign in as and, for each, the Payments
//! accounts they may grant (owner or admin); `POST {dc}/oauth/v2/org/auth/decision`
//! redirects back to the application, or shows a user who may not grant it why.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::consent::{posted_decision, CARRIED};
use super::{html_response, DcState};
use crate::consent::AuthorizeRequest;
use crate::error::SandboxError;
use crate::html::{self, escape};
use crate::org_consent::{self, Outcome};
use crate::params::Params;
use crate::payments;
use crate::scopes;

pub(crate) async fn page(State(state): State<DcState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::from_query(query.as_deref());
    let store = state.shared.store();
    match org_consent::validate(&store, state.dc, &params) {
        Ok(request) => {
            let emails: Vec<(&str, &str)> = store
                .users
                .iter()
                .filter(|u| u.dc.realm() == state.dc.realm())
                .map(|u| (u.email, u.name))
                .collect();
            html_response(StatusCode::OK, render(&state, &request, &params, &emails))
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
        "organization consent",
        "Choose Accept or Deny.",
    ) {
        Ok(posted) => posted,
        Err(page) => return *page,
    };
    // The page's one radio group names user and account together ("email|account_id");
    // a client posting the two apart (`user_email`, `account_id`) is answered alike.
    let choice = params.get("grant_as").unwrap_or("");
    let (user, account) = match choice.split_once('|') {
        Some((user, account)) => (user, Some(account).filter(|a| !a.is_empty())),
        None if choice.is_empty() => (
            params.get("user_email").unwrap_or(""),
            params.get("account_id"),
        ),
        None => (choice, None),
    };
    match org_consent::decide(&state.shared, state.dc, &params, user, account, decision) {
        Ok(Outcome::Redirect(location)) => redirect(&location),
        Ok(Outcome::Refused { error, redirect }) => {
            let body = format!(
                r#"<h1>{title}</h1><p>{message}.</p><p>Ask the owner of the Zoho Payments account, or one of its admins, to allow it.</p><p><a class="button" id="back-to-app" href="{href}">Back to the application</a></p>"#,
                title = escape(error.title()),
                message = escape(&error.to_string()),
                href = escape(&redirect),
            );
            html_response(StatusCode::FORBIDDEN, html::page("Not allowed", &body))
        }
        Err(error) => error_page(&error),
    }
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => error_page(&SandboxError::RedirectUriMismatch),
    }
}

fn error_page(error: &SandboxError) -> Response {
    tracing::debug!(kind = error.kind(), "organization consent request refused");
    html_response(
        StatusCode::BAD_REQUEST,
        html::error_page(error.title(), &error.to_string()),
    )
}

fn render(
    state: &DcState,
    request: &AuthorizeRequest,
    params: &Params,
    users: &[(&str, &str)],
) -> String {
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
    let mut first = true;
    let choices: String = users
        .iter()
        .map(|(email, name)| {
            let grantable = payments::grantable_by(email);
            let options: String = if grantable.is_empty() {
                format!(
                    r#"<label class="user"><input type="radio" name="grant_as" value="{email}"><span><strong>{name}</strong> &lt;{email}&gt;<br><span class="muted">Not an owner or admin of any Zoho Payments account</span></span></label>"#,
                    email = escape(email),
                    name = escape(name),
                )
            } else {
                grantable
                    .iter()
                    .map(|a| {
                        let checked = std::mem::take(&mut first);
                        format!(
                            r#"<label class="user"><input type="radio" name="grant_as" value="{email}|{id}"{checked}><span><strong>{account}</strong> (account {id})<br><span class="muted">as {name} &lt;{email}&gt;, {role}</span></span></label>"#,
                            email = escape(email),
                            id = escape(a.account_id),
                            account = escape(a.name),
                            name = escape(name),
                            role = if a.role == payments::Role::Owner { "owner" } else { "admin" },
                            checked = if checked { " checked" } else { "" },
                        )
                    })
                    .collect()
            };
            options
        })
        .collect();
    let body = format!(
        r#"<h1><strong>{app}</strong> would like organization-level access to Zoho Payments</h1>
<p class="muted">Client ID <code>{client_id}</code> · signing in at the {dc_name} accounts server</p>
<p>Only the owner or an admin of a Zoho Payments account can allow this. The access belongs to the organization: it keeps working if the person who allows it leaves.</p>
<h2>It asks to:</h2>
<ul class="scopes">{scope_items}</ul>
<form method="post" action="{prefix}/oauth/v2/org/auth/decision">
{hidden}
<fieldset><legend>Allow for</legend>{choices}</fieldset>
<div class="actions"><button type="submit" name="decision" value="accept">Accept</button><button type="submit" name="decision" value="deny" class="secondary">Deny</button></div>
</form>"#,
        app = escape(&request.client.name),
        client_id = escape(&request.client.id),
        dc_name = escape(state.dc.name()),
        prefix = escape(&state.dc.prefix()),
    );
    html::page("Organization consent", &body)
}
