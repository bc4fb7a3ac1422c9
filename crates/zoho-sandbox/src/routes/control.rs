//! The JSON control API under `/sandbox/`, for tests written in any language and for
//! scripts: register clients, generate Self Client codes, answer consent requests,
//! move the clock and set faults. Faults never apply here. Errors are HTTP 400 with
//! `{"error": "<kind>", "message": "..."}`.
//!
//! Whoever can call it can mint tokens and answer consent for any sandbox account, so
//! it answers only what a web page cannot send (see [`crate::guard`]): a request with
//! another site's `Origin` is HTTP 403, and a POST whose body is not declared
//! `application/json` is HTTP 415, both in the same error shape.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::json_response;
use crate::clients::{ClientSpec, ClientType};
use crate::consent::{self, Decision};
use crate::enhance;
use crate::error::SandboxError;
use crate::faults::{Fault, FaultKind};
use crate::guard;
use crate::inspect;
use crate::self_client;
use crate::state::Shared;

pub(crate) fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/clients", post(register_client))
        .route("/self-client/code", post(self_client_code))
        .route("/consent", post(consent))
        .route("/device/decision", post(device_decision))
        .route("/scope-enhance", post(scope_enhance))
        .route("/refresh-token", post(refresh_token))
        .route("/refresh-tokens/count", post(refresh_token_count))
        .route("/clock/advance", post(advance_clock))
        .route("/faults", post(set_fault).delete(clear_faults))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            refuse_what_pages_can_send,
        ))
        .with_state(shared)
}

/// Lets through only requests that no web page elsewhere can make: no foreign
/// `Origin`, and JSON bodies on every POST. (`DELETE /sandbox/faults` has no body, and
/// a page can send a cross-site DELETE only after the preflight the sandbox refuses.)
async fn refuse_what_pages_can_send(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if guard::origin_is_foreign(request.headers(), shared.port) {
        tracing::debug!("control request from another site refused");
        return json_response(
            StatusCode::FORBIDDEN,
            &json!({
                "error": "forbidden_origin",
                "message": "the control API does not answer requests sent by web pages of other sites",
            }),
        );
    }
    if request.method() == Method::POST && !guard::is_json(request.headers()) {
        return json_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &json!({
                "error": "unsupported_media_type",
                "message": "the control API takes JSON bodies: send Content-Type: application/json",
            }),
        );
    }
    next.run(request).await
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ClientTypeBody {
    ServerBased,
    SelfClient,
    NonBrowser,
    Org,
}

#[derive(Deserialize)]
struct ClientBody {
    client_type: ClientTypeBody,
    #[serde(default = "default_location")]
    location: String,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    multi_dc: bool,
    #[serde(default)]
    owner_email: String,
    #[serde(default)]
    client_name: Option<String>,
}

fn default_location() -> String {
    "us".to_owned()
}

async fn register_client(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: ClientBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let spec = ClientSpec {
        client_type: match body.client_type {
            ClientTypeBody::ServerBased => ClientType::ServerBased,
            ClientTypeBody::SelfClient => ClientType::SelfClient,
            ClientTypeBody::NonBrowser => ClientType::NonBrowser,
            ClientTypeBody::Org => ClientType::Org,
        },
        location: body.location,
        redirect_uris: body.redirect_uris,
        multi_dc: body.multi_dc,
        owner_email: body.owner_email,
    };
    let registered = shared
        .store_mut()
        .register(&spec, body.client_name.as_deref());
    match registered {
        Ok(client) => {
            let creds = client.credentials();
            json_response(
                StatusCode::OK,
                &json!({
                    "client_id": creds.client_id,
                    "client_secret": creds.client_secret,
                    "location": creds.location,
                }),
            )
        }
        Err(error) => refused(&error),
    }
}

#[derive(Deserialize)]
struct CodeBody {
    client_id: String,
    scope: String,
    #[serde(default = "default_duration")]
    duration_minutes: u32,
}

fn default_duration() -> u32 {
    3
}

async fn self_client_code(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: CodeBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    match self_client::generate_code(
        &shared,
        &body.client_id,
        &body.scope,
        body.duration_minutes,
        None,
    ) {
        Ok((code, lifetime)) => json_response(
            StatusCode::OK,
            &json!({ "code": code, "expires_in": lifetime.as_secs() }),
        ),
        Err(error) => refused(&error),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum DecisionBody {
    Accept,
    Deny,
}

#[derive(Deserialize)]
struct ConsentBody {
    authorize_url: String,
    #[serde(default)]
    user_email: String,
    decision: DecisionBody,
}

async fn consent(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: ConsentBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let decision = match body.decision {
        DecisionBody::Accept => Decision::Accept,
        DecisionBody::Deny => Decision::Deny,
    };
    let outcome = consent::parse_authorize_url(&shared, &body.authorize_url)
        .and_then(|(dc, params)| consent::decide(&shared, dc, &params, &body.user_email, decision));
    match outcome {
        Ok(redirect) => json_response(StatusCode::OK, &json!({ "redirect": redirect })),
        Err(error) => refused(&error),
    }
}

#[derive(Deserialize)]
struct DeviceDecisionBody {
    #[serde(default = "default_location")]
    location: String,
    user_code: String,
    #[serde(default)]
    user_email: String,
    decision: DecisionBody,
}

async fn device_decision(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: DeviceDecisionBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let decision = match body.decision {
        DecisionBody::Accept => Decision::Accept,
        DecisionBody::Deny => Decision::Deny,
    };
    let outcome = crate::dc::Dc::from_location(&body.location)
        .ok_or_else(|| SandboxError::UnknownLocation(body.location.clone()))
        .and_then(|dc| {
            crate::device::decide(&shared, dc, &body.user_code, &body.user_email, decision)
        });
    match outcome {
        Ok(()) => json_response(StatusCode::OK, &json!({ "status": "success" })),
        Err(error) => refused(&error),
    }
}

#[derive(Deserialize)]
struct RefreshTokenBody {
    refresh_token: String,
}

async fn refresh_token(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: RefreshTokenBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    match inspect::refresh_token(&shared, &body.refresh_token) {
        Some(found) => json_response(
            StatusCode::OK,
            &json!({
                "client_id": found.client_id,
                "user_email": found.user_email,
                "location": found.location,
                "scopes": found.scopes,
            }),
        ),
        None => json_response(
            StatusCode::BAD_REQUEST,
            &json!({
                "error": "unknown_refresh_token",
                "message": "no live refresh token matches: it was never issued, or it was revoked or deleted",
            }),
        ),
    }
}

#[derive(Deserialize)]
struct CountBody {
    client_id: String,
    user_email: String,
}

async fn refresh_token_count(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: CountBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let count = inspect::refresh_token_count(&shared, &body.client_id, &body.user_email);
    json_response(StatusCode::OK, &json!({ "count": count }))
}

#[derive(Deserialize)]
struct ClockBody {
    seconds: u64,
}

async fn advance_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: ClockBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    shared.clock.advance(Duration::from_secs(body.seconds));
    json_response(
        StatusCode::OK,
        &json!({ "status": "success", "offset_seconds": shared.clock.offset().as_secs() }),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum FaultKindBody {
    Delay,
    ServerError,
    MalformedJson,
    DropConnection,
}

#[derive(Deserialize)]
struct FaultBody {
    kind: FaultKindBody,
    delay_ms: Option<u64>,
    status: Option<u16>,
    remaining: Option<u32>,
}

async fn set_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: FaultBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let kind = match body.kind {
        FaultKindBody::Delay => match body.delay_ms {
            Some(ms) => FaultKind::Delay(Duration::from_millis(ms)),
            None => return bad_request("a delay fault needs delay_ms"),
        },
        FaultKindBody::ServerError => match body.status.unwrap_or(500) {
            status @ 500..=599 => FaultKind::ServerError(status),
            _ => return bad_request("a server_error fault needs a status from 500 to 599"),
        },
        FaultKindBody::MalformedJson => FaultKind::MalformedJson,
        FaultKindBody::DropConnection => FaultKind::DropConnection,
    };
    shared.faults.set(Fault {
        kind,
        remaining: body.remaining,
    });
    json_response(StatusCode::OK, &json!({ "status": "success" }))
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    shared.faults.clear();
    json_response(StatusCode::OK, &json!({ "status": "success" }))
}

/// Reads a JSON body, or answers why it could not.
#[allow(clippy::result_large_err)]
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(body)
        .map_err(|e| bad_request(&format!("the JSON body is not valid: {e}")))
}

fn bad_request(message: &str) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({ "error": "invalid_request", "message": message }),
    )
}

fn refused(error: &SandboxError) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({ "error": error.kind(), "message": error.to_string() }),
    )
}
#[derive(Deserialize)]
struct ScopeEnhanceBody {
    url: String,
    decision: DecisionBody,
}

async fn scope_enhance(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: ScopeEnhanceBody = match parse(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let decision = match body.decision {
        DecisionBody::Accept => Decision::Accept,
        DecisionBody::Deny => Decision::Deny,
    };
    let outcome = enhance::parse_url(&shared, &body.url)
        .and_then(|(dc, params)| enhance::decide(&shared, dc, &params, decision));
    match outcome {
        Ok(redirect) => json_response(StatusCode::OK, &json!({ "redirect": redirect })),
        Err(error) => refused(&error),
    }
}
