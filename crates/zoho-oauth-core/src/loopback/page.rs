//! The answers the listener writes: the small page the browser shows after the
//! redirect, and bare status answers for everything else. Each is a complete HTTP/1.1
//! response that closes the connection, because one request per connection is all a
//! browser needs here and it leaves nothing open to reuse.

use std::fmt::Write as _;

/// An HTTP status the listener answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Ok,
    BadRequest,
    NotFound,
    MethodNotAllowed,
    Gone,
    HeadersTooLarge,
}

impl Status {
    fn line(self) -> &'static str {
        match self {
            Status::Ok => "200 OK",
            Status::BadRequest => "400 Bad Request",
            Status::NotFound => "404 Not Found",
            Status::MethodNotAllowed => "405 Method Not Allowed",
            Status::Gone => "410 Gone",
            Status::HeadersTooLarge => "431 Request Header Fields Too Large",
        }
    }
}

/// A bare answer with a one-line text body.
pub(crate) fn plain(status: Status, text: &str) -> Vec<u8> {
    let extra = if status == Status::MethodNotAllowed {
        "Allow: GET\r\n"
    } else {
        ""
    };
    response(status, "text/plain; charset=utf-8", extra, text)
}

/// The page shown in the browser tab Zoho sent back to the listener.
pub(crate) struct Page {
    pub(crate) status: Status,
    pub(crate) title: &'static str,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl Page {
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        let hint = self
            .hint
            .map(|h| format!("<p class=\"hint\">{}</p>", escape(&h)))
            .unwrap_or_default();
        let html = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} - Zoho OAuth Assistant</title><style>\
             body{{font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;background:#f4f6f8;\
             color:#1f2933;display:flex;min-height:100vh;margin:0;align-items:center;\
             justify-content:center}}\
             main{{background:#fff;border-radius:12px;padding:2rem 2.5rem;max-width:32rem;\
             box-shadow:0 2px 12px rgba(0,0,0,.08)}}\
             h1{{font-size:1.4rem;margin-top:0}}p{{line-height:1.5}}.hint{{color:#52606d}}\
             </style></head><body><main><h1>{title}</h1><p>{message}</p>{hint}</main></body></html>\n",
            title = escape(self.title),
            message = escape(&self.message),
        );
        response(self.status, "text/html; charset=utf-8", "", &html)
    }
}

/// Every answer: nothing cached (the URL held a code), no referrer sent anywhere,
/// nothing loaded from outside the page, and the connection closed after it.
fn response(status: Status, content_type: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    let mut head = String::with_capacity(512);
    let _ = write!(
        head,
        "HTTP/1.1 {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n{extra_headers}\r\n",
        status.line(),
        body.len(),
    );
    let mut out = head.into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_show() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let page = Page {
            status: Status::BadRequest,
            title: "Not connected",
            message: "<script>".into(),
            hint: None,
        };
        let text = String::from_utf8(page.into_bytes()).unwrap();
        assert!(text.starts_with("HTTP/1.1 400 Bad Request\r\n"));
        assert!(!text.contains("<script>"));
    }

    #[test]
    fn the_length_header_matches_the_body() {
        let bytes = plain(Status::MethodNotAllowed, "Method not allowed");
        let text = String::from_utf8(bytes).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        assert!(head.contains("Allow: GET"));
        assert!(head.contains("Connection: close"));
    }
}
