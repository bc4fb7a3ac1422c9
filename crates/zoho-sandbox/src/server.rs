//! The listener and connection loop. The sandbox serves connections itself (rather than
//! through `axum::serve`) so that a fault can close a TCP connection without writing a
//! response: when the service returns an error, hyper drops the connection on the spot,
//! which is exactly what a client sees when a network path or a load balancer fails.
//!
//! It is also the one place every request passes: a request addressed to any host but
//! the sandbox's own loopback address is refused here, before faults or routes (see
//! [`crate::guard`]), and every answer is marked as not to be shown inside another
//! site's frame, so a page elsewhere cannot overlay the consent page and have the user
//! press Accept unawares.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceExt as _;

use crate::faults::Outcome;
use crate::guard;
use crate::html;
use crate::state::Shared;

/// How long shutdown waits for requests in flight before closing their connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Returned by the service to make hyper close the connection without a response.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault")]
struct DroppedByFault;

/// Accepts connections until `stop` fires, then lets requests in flight finish.
pub(crate) async fn run(
    listener: TcpListener,
    router: Router,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        // Out of file descriptors and the like: back off, keep serving.
                        tracing::debug!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let router = router.clone();
                let shared = shared.clone();
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    handle(router.clone(), shared.clone(), request)
                });
                let connection = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                });
            }
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::debug!("connections still open after the grace period were closed");
        }
    }
}

/// Refuses misdirected requests, applies the fault knobs, then hands the request to the
/// router.
async fn handle(
    router: Router,
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Body>, DroppedByFault> {
    if !guard::host_is_own(request.headers(), request.uri(), shared.port) {
        tracing::debug!("request for another host refused");
        return Ok(not_framed(guard::misdirected(shared.port)));
    }
    answer(router, shared, request).await.map(not_framed)
}

/// Applies the fault knobs, then hands the request to the router.
async fn answer(
    router: Router,
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Body>, DroppedByFault> {
    let path = request.uri().path();
    if path == "/sandbox" || path.starts_with("/sandbox/") {
        return Ok(route(router, &shared, request).await);
    }
    let (delay, outcome) = shared.faults.next();
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    match outcome {
        Outcome::Pass => Ok(route(router, &shared, request).await),
        Outcome::DropConnection => {
            tracing::debug!("fault: dropping the connection");
            Err(DroppedByFault)
        }
        Outcome::ServerError(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Ok(server_error(status))
        }
        Outcome::MalformedJson => Ok(malformed_json()),
    }
}

/// Forbids every framing of the answer, with the header old browsers read and the one
/// new ones do.
fn not_framed(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    response
}

/// Hands the request to the router, noting the secrets that pass either way.
async fn route(router: Router, shared: &Shared, request: Request<Incoming>) -> Response<Body> {
    let Some(request) = shared
        .wire_secrets
        .note_request(request.map(Body::new))
        .await
    else {
        return server_error(StatusCode::PAYLOAD_TOO_LARGE);
    };
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    shared.wire_secrets.note_response(response).await
}

fn server_error(status: StatusCode) -> Response<Body> {
    let reason = status.canonical_reason().unwrap_or("Server Error");
    let page = html::page(
        &format!("{} {reason}", status.as_u16()),
        &format!(
            "<h1>{} {}</h1><p>The server could not handle the request. Try again in a little while.</p>",
            status.as_u16(),
            html::escape(reason)
        ),
    );
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html;charset=UTF-8"),
    );
    response
}

fn malformed_json() -> Response<Body> {
    // A body cut off mid-value, as when a proxy truncates a response.
    let mut response = Response::new(Body::from(r#"{"access_token":"1000.8f2c"#));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    response
}
