//! Accepts connections on the listener's sockets and keeps them on a short leash.
//!
//! Anything on this computer can connect to the port, so every connection is bounded:
//! its request head must arrive within [`HEAD_TIME_LIMIT`] and within
//! [`super::request::MAX_HEAD_BYTES`]; at most [`MAX_CONNECTIONS`] are open at once;
//! each answers one request and closes. When the cap is reached, the oldest connection
//! that is not being answered (still sending its head, or lingering after its answer)
//! is closed to make room: a browser sends its head at once, so the real redirect is
//! never the one waiting longest. Only when every open connection is being answered is
//! the newcomer closed at once. Every connection
//! task lives in one `JoinSet` owned by the accept loop, so ending the loop ends them
//! all: nothing outlives the flow.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::{timeout, timeout_at, Instant};

use super::request::{head_len, parse_head, HeadError, MAX_HEAD_BYTES};
use super::Shared;

/// How long a connection may take to send its request head, from the moment it is
/// accepted. A browser sends it in the first packet.
pub(crate) const HEAD_TIME_LIMIT: Duration = Duration::from_secs(3);

/// The most connections open at once. A browser opens a few (the page, the icon).
pub(crate) const MAX_CONNECTIONS: usize = 16;

/// How long writing an answer may take before the connection is dropped.
const WRITE_TIME_LIMIT: Duration = Duration::from_secs(2);

/// A connection being served.
struct Open {
    abort: AbortHandle,
    /// Set while its answer is being worked out and written: only then may it not be
    /// closed to make room for another.
    answering: Arc<AtomicBool>,
}

/// Serves `listeners` until `stop` turns true (or its sender is dropped), then closes
/// the sockets and every connection before returning.
pub(crate) async fn accept_loop(
    listeners: Vec<TcpListener>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let mut tasks = JoinSet::new();
    let mut open: VecDeque<Open> = VecDeque::new();
    loop {
        tokio::select! {
            biased;
            () = stopped(&mut stop) => break,
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                let id = match &done {
                    Ok((id, ())) => *id,
                    Err(e) => e.id(),
                };
                open.retain(|o| o.abort.id() != id);
            }
            accepted = accept_any(&listeners) => {
                let stream = match accepted {
                    Ok(stream) => stream,
                    Err(e) => {
                        // Out of file descriptors, most likely: back off instead of
                        // spinning, the connections in hand will free some.
                        tracing::debug!(error = %e, "could not accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                if open.len() >= MAX_CONNECTIONS && !make_room(&mut open) {
                    tracing::debug!("connection refused: all slots are being answered");
                    drop(stream);
                    continue;
                }
                let answering = Arc::new(AtomicBool::new(false));
                let abort = tasks.spawn(serve(stream, shared.clone(), answering.clone()));
                open.push_back(Open { abort, answering });
            }
        }
    }
    drop(listeners);
    tasks.shutdown().await;
}

/// Returns once `stop` is true, or its sender is gone (the listener was dropped).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// Closes the oldest connection that is not being answered (still sending its head, or
/// answered already); false when there is none.
fn make_room(open: &mut VecDeque<Open>) -> bool {
    match open
        .iter()
        .position(|o| !o.answering.load(Ordering::Acquire))
    {
        Some(oldest) => {
            if let Some(evicted) = open.remove(oldest) {
                evicted.abort.abort();
            }
            tracing::debug!("closed the oldest unfinished connection to make room");
            true
        }
        None => false,
    }
}

async fn accept_any(listeners: &[TcpListener]) -> io::Result<TcpStream> {
    let first = listeners[0].accept();
    let second = async {
        match listeners.get(1) {
            Some(listener) => listener.accept().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        accepted = first => accepted.map(|(stream, _)| stream),
        accepted = second => accepted.map(|(stream, _)| stream),
    }
}

/// One connection: read the head, answer, close.
async fn serve(mut stream: TcpStream, shared: Arc<Shared>, answering: Arc<AtomicBool>) {
    let head = match read_head(&mut stream).await {
        Some(head) => head,
        None => return,
    };
    answering.store(true, Ordering::Release);
    let reply = shared.reply(head.and_then(|bytes| parse_head(&bytes)));
    let written = timeout(WRITE_TIME_LIMIT, async {
        stream.write_all(&reply.bytes).await?;
        stream.shutdown().await
    })
    .await;
    if !matches!(written, Ok(Ok(()))) {
        tracing::debug!("could not finish writing an answer");
    }
    // Only now: once the flow has its result the listener closes every connection, and
    // the browser must have its page by then.
    if let Some(finish) = reply.finish {
        finish.deliver();
    }
    answering.store(false, Ordering::Release);
    drain(&mut stream).await;
}

/// Reads what the client still sends (the rest of an oversized head, a body) for a
/// moment before closing: closing a socket with unread bytes resets the connection,
/// and the reset can destroy the answer before the client has read it.
async fn drain(stream: &mut TcpStream) {
    const DRAIN_LIMIT: Duration = Duration::from_secs(1);
    const DRAIN_BYTES: usize = 1024 * 1024;
    let mut chunk = [0u8; 4096];
    let mut drained = 0;
    let _ = timeout(DRAIN_LIMIT, async {
        while drained < DRAIN_BYTES {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    })
    .await;
}

/// The head's bytes, or `Err` with what to answer; `None` when the connection is to be
/// dropped without an answer (it closed, or was too slow).
async fn read_head(stream: &mut TcpStream) -> Option<Result<Vec<u8>, HeadError>> {
    let deadline = Instant::now() + HEAD_TIME_LIMIT;
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        let searched_from = buf.len().saturating_sub(3);
        let read = match timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => {
                tracing::debug!("dropped a connection that did not send its request in time");
                return None;
            }
            Ok(Err(_)) | Ok(Ok(0)) => return None,
            Ok(Ok(n)) => n,
        };
        buf.extend_from_slice(&chunk[..read]);
        if let Some(len) = head_len(&buf[searched_from..]) {
            buf.truncate(searched_from + len);
            return Some(if buf.len() > MAX_HEAD_BYTES {
                Err(HeadError::TooLarge)
            } else {
                Ok(buf)
            });
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Some(Err(HeadError::TooLarge));
        }
    }
}
