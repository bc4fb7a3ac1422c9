//! The practice API Console, for people: `GET {dc}/console` lists the clients registered
//! in that data center and adds new ones (server-based with a redirect URI, or a Self
//! Client); a Self Client's "Generate Code" shows a code and how long it stays valid, as
//! Zoho's console does. Forms post back and redirect, so a reload never repeats an action.
//! They are accepted only from the console's own pages (see [`crate::guard`]).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{html_response, DcState};
use crate::clients::{ClientSpec, ClientType};
use crate::clock::utc_time_of_day;
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::guard;
use crate::html::{self, escape};
use crate::params::Params;
use crate::self_client;

/// The durations the console offers, in minutes.
const OFFERED_DURATIONS: [u32; 4] = [3, 5, 7, 10];

pub(crate) async fn page(State(state): State<DcState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::from_query(query.as_deref());
    let notice = params.get("created").map(|id| {
        format!(
            "Client created. Its Client ID is <code>{}</code>; the Client Secret is in the table below.",
            escape(id)
        )
    });
    html_response(StatusCode::OK, render(&state, notice.as_deref(), None))
}

pub(crate) async fn add_client(
    State(state): State<DcState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = refuse_foreign(&state, &headers) {
        return refused;
    }
    let form = Params::from_query_and_body(None, &body);
    let client_type = match form.get("client_type") {
        Some("self_client") => ClientType::SelfClient,
        Some("non_browser") => ClientType::NonBrowser,
        Some("org") => ClientType::Org,
        _ => ClientType::ServerBased,
    };
    let spec = ClientSpec {
        client_type,
        location: state.dc.location().to_owned(),
        redirect_uris: form
            .get("redirect_uri")
            .map(|u| vec![u.to_owned()])
            .unwrap_or_default(),
        multi_dc: form.get("multi_dc").is_some(),
        owner_email: form.get("owner_email").unwrap_or("").to_owned(),
    };
    let registered = state
        .shared
        .store_mut()
        .register(&spec, form.get("client_name"));
    match registered {
        Ok(client) => {
            let target = format!("{}/console?created={}", state.dc.prefix(), client.id);
            match HeaderValue::from_str(&target) {
                Ok(target) => (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response(),
                Err(_) => html_response(StatusCode::OK, render(&state, None, None)),
            }
        }
        Err(error) => html_response(StatusCode::BAD_REQUEST, render(&state, None, Some(&error))),
    }
}

pub(crate) async fn generate_code(
    State(state): State<DcState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = refuse_foreign(&state, &headers) {
        return refused;
    }
    let form = Params::from_query_and_body(None, &body);
    let client_id = form.get("client_id").unwrap_or("");
    let scope = form.get("scope").unwrap_or("");
    let duration = form
        .get("duration_minutes")
        .and_then(|d| d.trim().parse::<u32>().ok())
        .unwrap_or(0);
    if form.get("description").is_none() {
        let error = SandboxError::MissingParameter("description");
        return html_response(StatusCode::BAD_REQUEST, render(&state, None, Some(&error)));
    }
    match self_client::generate_code(&state.shared, client_id, scope, duration, Some(state.dc)) {
        Ok((code, lifetime)) => {
            let until = utc_time_of_day(state.shared.clock.unix_seconds() + lifetime.as_secs());
            let accounts = state.shared.accounts_url(state.dc);
            let body = format!(
                r#"<h1>Code generated</h1>
<p>Copy this code now. It can be used once, for {minutes} minutes (until {until} on the sandbox clock).</p>
<div class="code-box" id="code">{code}</div>
<p class="muted">Scope: <code>{scope}</code><br>Client ID: <code>{client_id}</code></p>
<h2>Next step</h2>
<p>Exchange it for tokens with <code>POST {accounts}/oauth/v2/token</code> and the parameters
<code>code</code>, <code>client_id</code>, <code>client_secret</code> and <code>grant_type=authorization_code</code>.
A Self Client needs no <code>redirect_uri</code>.</p>
<p><a href="{prefix}/console">Back to the API Console</a></p>"#,
                minutes = lifetime.as_secs() / 60,
                until = escape(&until),
                code = escape(&code),
                scope = escape(scope),
                client_id = escape(client_id),
                accounts = escape(&accounts),
                prefix = escape(&state.dc.prefix()),
            );
            html_response(StatusCode::OK, html::page("Code generated", &body))
        }
        Err(error) => html_response(StatusCode::BAD_REQUEST, render(&state, None, Some(&error))),
    }
}

/// The refusal of a console form sent from a page on another site.
fn refuse_foreign(state: &DcState, headers: &HeaderMap) -> Option<Response> {
    guard::origin_is_foreign(headers, state.shared.port).then(|| {
        tracing::debug!("console form from another site refused");
        html_response(StatusCode::FORBIDDEN, guard::foreign_origin_page())
    })
}

fn render(state: &DcState, notice: Option<&str>, error: Option<&SandboxError>) -> String {
    let dc = state.dc;
    let prefix = escape(&dc.prefix());
    let store = state.shared.store();
    let clients: Vec<_> = store.clients.iter().filter(|c| c.home == dc).collect();

    let nav: String = Dc::ALL
        .into_iter()
        .map(|other| {
            if other == dc {
                format!("<strong>{}</strong> ", escape(other.location()))
            } else {
                format!(
                    r#"<a href="{}/console">{}</a> "#,
                    escape(&other.prefix()),
                    escape(other.location())
                )
            }
        })
        .collect();
    let offset = state.shared.clock.offset().as_secs();
    let clock = if offset > 0 {
        format!(
            r#"<p class="muted">The sandbox clock runs {offset} seconds ahead of real time.</p>"#
        )
    } else {
        String::new()
    };
    let notice = notice
        .map(|n| format!(r#"<p class="notice">{n}</p>"#))
        .unwrap_or_default();
    let error = error
        .map(|e| format!(r#"<p class="error">{}</p>"#, escape(&e.to_string())))
        .unwrap_or_default();

    let rows: String = if clients.is_empty() {
        r#"<tr><td colspan="4" class="muted">No clients yet. Add one below.</td></tr>"#.to_owned()
    } else {
        clients
            .iter()
            .map(|c| {
                let details = match c.client_type {
                    ClientType::ServerBased => {
                        let uris: Vec<String> = c
                            .redirect_uris
                            .iter()
                            .map(|u| format!("<code>{}</code>", escape(u)))
                            .collect();
                        format!(
                            "Server-based · Multi-DC {}<br>Redirect URI: {}",
                            if c.multi_dc { "on" } else { "off" },
                            uris.join(", ")
                        )
                    }
                    ClientType::SelfClient => {
                        format!("Self Client of {}", escape(&c.owner_email))
                    }
                    ClientType::NonBrowser => format!(
                        "Non-browser based application · Multi-DC {} · no redirect URI",
                        if c.multi_dc { "on" } else { "off" }
                    ),
                    ClientType::Org => {
                        let uris: Vec<String> = c
                            .redirect_uris
                            .iter()
                            .map(|u| format!("<code>{}</code>", escape(u)))
                            .collect();
                        format!(
                            "Organization (ORG, Zoho Payments)<br>Redirect URI: {}",
                            uris.join(", ")
                        )
                    }
                };
                format!(
                    r#"<tr><td><strong>{name}</strong><br><span class="muted">{details}</span></td><td><code>{id}</code></td><td><details><summary>Show</summary><code>{secret}</code></details></td></tr>"#,
                    name = escape(&c.name),
                    id = escape(&c.id),
                    secret = escape(&c.secret),
                )
            })
            .collect()
    };

    let duration_options: String = OFFERED_DURATIONS
        .iter()
        .map(|m| format!(r#"<option value="{m}">{m} minutes</option>"#))
        .collect();
    let self_clients: String = clients
        .iter()
        .filter(|c| c.client_type == ClientType::SelfClient)
        .map(|c| {
            format!(
                r#"<option value="{id}">{name} · {id}</option>"#,
                name = escape(&c.name),
                id = escape(&c.id),
            )
        })
        .collect();
    let generate_form = if self_clients.is_empty() {
        String::new()
    } else {
        format!(
            r#"<h2>Generate Code</h2>
<form class="stack" method="post" action="{prefix}/console/self-client/code">
<label for="gen-client">Self Client</label><select id="gen-client" name="client_id">{self_clients}</select>
<label for="gen-scope">Scope</label><input type="text" id="gen-scope" name="scope" placeholder="ZohoBooks.settings.READ,ZohoBooks.invoices.READ" required>
<label for="gen-duration">Time Duration</label><select id="gen-duration" name="duration_minutes">{duration_options}</select>
<label for="gen-description">Scope Description</label><input type="text" id="gen-description" name="description" placeholder="What the code is for" required>
<div class="actions"><button type="submit">Create</button></div>
</form>"#
        )
    };
    let owners: String = store
        .users
        .iter()
        .filter(|u| u.dc == dc)
        .map(|u| {
            format!(
                r#"<option value="{email}">{name} &lt;{email}&gt;</option>"#,
                email = escape(u.email),
                name = escape(u.name)
            )
        })
        .collect();

    let body = format!(
        r#"<h1>API Console · {dc_name}</h1>
<nav class="dcs muted">Data center: {nav}</nav>
<p class="notice">Practice copy of Zoho's API Console: nothing here reaches Zoho. To register an app, go to
<strong>Add Client</strong> below: choose <strong>Self Client</strong> (pick the user it belongs to), or
<strong>Server-based Applications</strong> with the exact redirect URI the app shows you, and click
<strong>Create</strong>; an app that shows you a code to approve on another device needs a
<strong>Non-browser based application</strong> (no redirect URI). Then copy the <strong>Client ID</strong> and <strong>Client Secret</strong> from
<strong>Applications</strong> (click Show). A Self Client's codes come from <strong>Generate Code</strong>.</p>
{clock}{notice}{error}
<h2>Applications</h2>
<table><tr><th>Client</th><th>Client ID</th><th>Client Secret</th></tr>{rows}</table>
{generate_form}
<h2>Add Client</h2>
<form class="stack" method="post" action="{prefix}/console/clients">
<label for="client_type">Client Type</label>
<select id="client_type" name="client_type"><option value="server_based">Server-based Applications</option><option value="self_client">Self Client</option><option value="non_browser">Non-browser based application</option><option value="org">Organization (ORG, Zoho Payments)</option></select>
<label for="client_name">Client Name</label><input type="text" id="client_name" name="client_name" placeholder="My accounting tool">
<label for="redirect_uri">Authorized Redirect URI (server-based only)</label><input type="url" id="redirect_uri" name="redirect_uri" placeholder="http://localhost:53682/callback">
<label><input type="checkbox" name="multi_dc" value="on"> Use the same client in every data center (Multi-DC, not for a Self Client)</label>
<label for="owner_email">Self Client user</label><select id="owner_email" name="owner_email">{owners}</select>
<div class="actions"><button type="submit">Create</button></div>
</form>"#,
        dc_name = escape(&format!("{} ({})", dc.name(), dc.location())),
    );
    html::page("API Console", &body)
}
