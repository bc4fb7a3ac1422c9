//! A plain HTTP/1.1 `GET` over loopback, so a test can check that a server the app
//! started really answers, without a client library in the test crate.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// `GET http://HOST:PORT/PATH`: the status code and the body (read to the end).
///
/// # Errors
/// The connection is refused, times out or breaks, or `url` is not `http://host:port/...`.
pub fn get(url: &str) -> std::io::Result<(u16, String)> {
    let invalid = || std::io::Error::new(std::io::ErrorKind::InvalidInput, url.to_owned());
    let rest = url.strip_prefix("http://").ok_or_else(invalid)?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(invalid)?;
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
