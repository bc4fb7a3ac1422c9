//! A server at 127.0.0.1 that records every request it gets and answers by request line,
//! for tests about where a call goes and what it carries: the sandbox answers as Zoho
//! would, but cannot tell a test which host a request was sent to.
#![allow(dead_code)]

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A request as it arrived.
#[derive(Debug)]
pub struct Request {
    /// `GET /eu/oauth/user/info HTTP/1.1`.
    pub line: String,
    /// The header lines.
    pub headers: String,
}

impl Request {
    /// The path and query of the request line.
    pub fn target(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("")
    }

    /// The value of header `name`, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Starts the server; `answer` gets each request's target and returns the HTTP status
/// and JSON body to send. Returns the server's base URL and the requests it got.
pub async fn start(
    answer: impl Fn(&str) -> (u16, String) + Send + Sync + 'static,
) -> (String, mpsc::UnboundedReceiver<Request>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let answer = Arc::new(answer);
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let tx = tx.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut raw = Vec::new();
                let mut buf = [0u8; 4096];
                let head = loop {
                    let n = stream.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    raw.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&raw).into_owned();
                    if let Some(end) = text.find("\r\n\r\n") {
                        break text[..end].to_owned();
                    }
                };
                let (line, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
                let request = Request {
                    line: line.to_owned(),
                    headers: headers.to_owned(),
                };
                let (status, body) = answer(request.target());
                let _ = tx.send(request);
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (base, rx)
}

/// Every request received so far.
pub fn drain(seen: &mut mpsc::UnboundedReceiver<Request>) -> Vec<Request> {
    let mut all = Vec::new();
    while let Ok(request) = seen.try_recv() {
        all.push(request);
    }
    all
}
