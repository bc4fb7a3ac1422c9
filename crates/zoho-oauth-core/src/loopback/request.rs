//! Reads the head of one HTTP/1.1 request, strictly.
//!
//! The listener serves one `GET` from a browser and nothing else, so it needs far less
//! than a general HTTP server, and everything it does accept is something a web page or
//! another program on this computer may have crafted. Whatever is ambiguous (two `Host`
//! headers, a folded header line, a bare line feed, a request target that is not a
//! path) is refused rather than interpreted, so no two readers of the same bytes can
//! disagree about what was asked.

/// The most bytes a request head may take. A redirect from Zoho is well under 1 KiB,
/// but a browser also sends the cookies of every other program that serves `localhost`,
/// which on a developer's machine can be several kilobytes.
pub(crate) const MAX_HEAD_BYTES: usize = 32 * 1024;

/// The most header lines accepted; browsers send about a dozen.
const MAX_HEADERS: usize = 100;

/// What the listener needs from a request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestHead {
    pub(crate) method: String,
    /// The path, without the query.
    pub(crate) path: String,
    /// The query, without the `?`; empty when there is none.
    pub(crate) query: String,
    /// The `Host` header, when there is exactly one.
    pub(crate) host: Option<String>,
}

/// Why a head was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadError {
    /// Longer than [`MAX_HEAD_BYTES`].
    TooLarge,
    /// Not a well-formed HTTP/1.x request head; the reason is for the debug log.
    Malformed(&'static str),
}

/// The length of the head at the start of `bytes`, blank line included, once it is
/// all there.
pub(crate) fn head_len(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
}

/// Parses a complete head: `bytes` up to and including the blank line (more is
/// ignored: a `GET` has no body the listener would read).
pub(crate) fn parse_head(bytes: &[u8]) -> Result<RequestHead, HeadError> {
    let len = head_len(bytes).ok_or(HeadError::Malformed("the head does not end"))?;
    if len > MAX_HEAD_BYTES {
        return Err(HeadError::TooLarge);
    }
    // Without the final CRLF CRLF; every line ends in CRLF and nothing else.
    let head = &bytes[..len - 4];
    if head.contains(&0) {
        return Err(HeadError::Malformed("a NUL byte"));
    }
    let mut lines = split_crlf(head)?.into_iter();
    let request_line = lines
        .next()
        .ok_or(HeadError::Malformed("no request line"))?;
    let (method, target) = parse_request_line(request_line)?;
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, query),
        None => (target, ""),
    };

    let mut host = None;
    let mut hosts = 0;
    for (n, line) in lines.enumerate() {
        if n >= MAX_HEADERS {
            return Err(HeadError::Malformed("too many header lines"));
        }
        let (name, value) = parse_header_line(line)?;
        if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
            host = std::str::from_utf8(value).ok().map(str::to_owned);
        }
    }
    if hosts > 1 {
        return Err(HeadError::Malformed("more than one Host header"));
    }
    Ok(RequestHead {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        host,
    })
}

/// Splits on CRLF; a CR or LF anywhere else is refused (it is how requests are smuggled
/// past a reader that splits lines differently).
fn split_crlf(head: &[u8]) -> Result<Vec<&[u8]>, HeadError> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < head.len() {
        match head[i] {
            b'\r' if head.get(i + 1) == Some(&b'\n') => {
                lines.push(&head[start..i]);
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => return Err(HeadError::Malformed("a bare CR or LF")),
            _ => i += 1,
        }
    }
    lines.push(&head[start..]);
    Ok(lines)
}

fn parse_request_line(line: &[u8]) -> Result<(&str, &str), HeadError> {
    let line = std::str::from_utf8(line).map_err(|_| HeadError::Malformed("request line"))?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed("request line"));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(HeadError::Malformed("method"));
    }
    // Only the origin form a browser sends to a server: a path, maybe a query.
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(HeadError::Malformed("request target"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(HeadError::Malformed("HTTP version"));
    }
    Ok((method, target))
}

fn parse_header_line(line: &[u8]) -> Result<(&[u8], &[u8]), HeadError> {
    if line.first().is_some_and(|&b| b == b' ' || b == b'\t') {
        return Err(HeadError::Malformed("a folded header line"));
    }
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or(HeadError::Malformed("a header line without a colon"))?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    // No space before the colon either: readers disagree on what such a name is.
    if name.is_empty() || !name.iter().copied().all(is_token_byte) {
        return Err(HeadError::Malformed("a header name"));
    }
    if value.iter().any(|&b| b < 0x20 && b != b'\t' || b == 0x7f) {
        return Err(HeadError::Malformed("a control character in a header"));
    }
    Ok((name, value.trim_ascii()))
}

/// RFC 9110 `tchar`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RequestHead, HeadError> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn a_browser_request_is_read() {
        let head = parse(
            "GET /zoho/callback?state=s&code=c HTTP/1.1\r\nHost: localhost:28739\r\n\
             User-Agent: Mozilla/5.0\r\nCookie: a=b\r\n\r\n",
        )
        .unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.path, "/zoho/callback");
        assert_eq!(head.query, "state=s&code=c");
        assert_eq!(head.host.as_deref(), Some("localhost:28739"));
        let bare = parse("GET / HTTP/1.0\r\n\r\n").unwrap();
        assert_eq!((bare.path.as_str(), bare.query.as_str()), ("/", ""));
        assert_eq!(bare.host, None);
    }

    #[test]
    fn ambiguous_heads_are_refused() {
        for bad in [
            "GET /a HTTP/1.1\r\nHost: localhost:1\r\nHost: evil.example\r\n\r\n",
            "GET /a HTTP/1.1\r\nHost: localhost:1\r\nHOST: localhost:1\r\n\r\n",
            "GET /a HTTP/1.1\r\nHost: localhost:1\r\n folded\r\n\r\n",
            "GET /a HTTP/1.1\r\nHost : localhost:1\r\n\r\n",
            "GET /a HTTP/1.1\nHost: localhost:1\r\n\r\n",
            "GET /a HTTP/1.1\r\nX: a\rb\r\n\r\n",
            "GET http://localhost:1/a HTTP/1.1\r\n\r\n",
            "GET /a b HTTP/1.1\r\n\r\n",
            "GET /a HTTP/2\r\n\r\n",
            "G(T /a HTTP/1.1\r\n\r\n",
            "GET /a HTTP/1.1\r\nno colon\r\n\r\n",
            "GET /a HTTP/1.1\r\nX: \0\r\n\r\n",
            "GET /a HTTP/1.1\r\n",
        ] {
            assert!(
                matches!(parse(bad), Err(HeadError::Malformed(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_oversized_head_is_refused_as_such() {
        let big = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEAD_BYTES)
        );
        assert_eq!(parse(&big), Err(HeadError::TooLarge));
    }
}

/// Property tests: `PROPTEST_CASES` sets how many cases each runs (see the README).
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    fn token() -> impl Strategy<Value = String> {
        "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
    }

    fn header_value() -> impl Strategy<Value = String> {
        // Visible ASCII and inner spaces; the parser trims the outer ones.
        "[!-~]([ -~]{0,40}[!-~])?"
    }

    fn target() -> impl Strategy<Value = (String, String)> {
        ("/[!-~&&[^?]]{0,30}", proptest::option::of("[!-~]{0,60}"))
            .prop_map(|(path, query)| (path, query.unwrap_or_default()))
    }

    /// Header lines other than Host.
    fn other_headers() -> impl Strategy<Value = Vec<(String, String)>> {
        proptest::collection::vec(
            (
                token().prop_filter("not Host", |n| !n.eq_ignore_ascii_case("host")),
                header_value(),
            ),
            0..8,
        )
    }

    proptest! {
        #[test]
        fn no_input_makes_the_parser_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = head_len(&bytes);
            let _ = parse_head(&bytes);
        }

        #[test]
        fn near_misses_of_a_real_head_do_not_panic(
            cut in 0usize..200,
            flip in 0usize..200,
            byte in any::<u8>(),
        ) {
            let mut head =
                b"GET /zoho/callback?state=s&code=c HTTP/1.1\r\nHost: localhost:28739\r\n\r\n".to_vec();
            let at = flip % head.len();
            head[at] = byte;
            head.truncate(head.len() - cut % head.len());
            let _ = parse_head(&head);
        }

        #[test]
        fn a_well_formed_head_reads_back_what_was_written(
            method in token(),
            (path, query) in target(),
            host in proptest::option::of(header_value()),
            headers in other_headers(),
            host_at in 0usize..8,
        ) {
            let mut lines: Vec<String> =
                headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
            if let Some(host) = &host {
                lines.insert(host_at.min(lines.len()), format!("Host:  {host} "));
            }
            let target = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
            let text = format!("{method} {target} HTTP/1.1\r\n{}\r\n", lines.iter().map(|l| format!("{l}\r\n")).collect::<String>());
            let head = parse_head(text.as_bytes()).unwrap();
            prop_assert_eq!(head.method, method);
            prop_assert_eq!(head.path, path);
            prop_assert_eq!(head.query, query);
            prop_assert_eq!(head.host, host);
        }

        #[test]
        fn a_second_host_header_is_always_refused(
            first in header_value(),
            second in header_value(),
            headers in other_headers(),
            spelled in "[hH][oO][sS][tT]",
        ) {
            let mut text = format!("GET / HTTP/1.1\r\nHost: {first}\r\n");
            for (n, v) in &headers {
                text.push_str(&format!("{n}: {v}\r\n"));
            }
            text.push_str(&format!("{spelled}: {second}\r\n\r\n"));
            prop_assert!(matches!(parse_head(text.as_bytes()), Err(HeadError::Malformed(_))));
        }
    }
}
