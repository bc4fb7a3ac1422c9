//! Refusing what a web page in the user's browser could forge. In practice mode the
//! sandbox listens on a fixed loopback port, so any page the user visits can send it
//! requests (cross-site request forgery), or reach it under a domain of its own that
//! resolves to 127.0.0.1 and read the answers (DNS rebinding). Three rules close both:
//!
//! - every request must name the sandbox's own loopback address in `Host`: a page that
//!   rebinds its domain can reach the socket, but its browser sends that domain there;
//! - where a request changes something on a person's behalf (the control API, the
//!   consent decision, the console's forms), an `Origin` other than the sandbox's own
//!   is refused; browsers send `Origin` on every cross-site POST and pages cannot
//!   forge it;
//! - the control API takes only `application/json` bodies, which a page elsewhere can
//!   send only after a CORS preflight that the sandbox never grants: it sends no CORS
//!   headers at all.
//!
//! Clients that are not browsers (the app's HTTP client, curl, test code) send the
//! right `Host` and no `Origin`, so none of this stands in their way.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode, Uri};

use crate::html;

/// The names the sandbox answers to, each followed by `:PORT`: its own address and the
/// names a browser or client on the same computer uses for it.
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];
/// The origins of the sandbox's own pages, each followed by `:PORT`. (It listens on
/// IPv4 only, so a page at `[::1]:PORT` is some other program's.)
const OWN_ORIGINS: [&str; 2] = ["http://127.0.0.1", "http://localhost"];

/// True when the request is addressed to the sandbox itself: exactly one `Host` header
/// naming a loopback address with the sandbox's port, and, if the request line carries
/// an absolute URL, that URL naming one too. Compared without regard to case.
pub(crate) fn host_is_own(headers: &HeaderMap, uri: &Uri, port: u16) -> bool {
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return false;
    };
    let names_own = |value: &str| names_one_of(value, &LOOPBACK_HOSTS, port);
    let host_is_own = host.to_str().is_ok_and(names_own);
    host_is_own && uri.authority().is_none_or(|a| names_own(a.as_str()))
}

/// True when the request carries an `Origin` that is not one of the sandbox's own
/// pages: another site, `null` (what sandboxed frames and local files send), or more
/// than one `Origin` header. A request without `Origin` does not come from a page on
/// another site: browsers send it on every cross-site request that can change state.
pub(crate) fn origin_is_foreign(headers: &HeaderMap, port: u16) -> bool {
    let mut origins = headers.get_all(header::ORIGIN).iter();
    match (origins.next(), origins.next()) {
        (None, _) => false,
        (Some(origin), None) => !origin
            .to_str()
            .is_ok_and(|value| names_one_of(value, &OWN_ORIGINS, port)),
        (Some(_), Some(_)) => true,
    }
}

/// True when the body is declared as JSON: one `Content-Type` header whose media type
/// is `application/json` in any case, with or without parameters (`; charset=utf-8`).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let mut types = headers.get_all(header::CONTENT_TYPE).iter();
    let (Some(content_type), None) = (types.next(), types.next()) else {
        return false;
    };
    content_type.to_str().is_ok_and(|value| {
        let media_type = value.split(';').next().unwrap_or_default().trim();
        media_type.eq_ignore_ascii_case("application/json")
    })
}

/// `value` is one of `prefixes` followed by `:port`, ignoring case.
fn names_one_of(value: &str, prefixes: &[&str], port: u16) -> bool {
    prefixes
        .iter()
        .any(|prefix| value.eq_ignore_ascii_case(&format!("{prefix}:{port}")))
}

/// The answer to a request addressed to another host: HTTP 421 Misdirected Request
/// ("this server does not answer for that authority"), in plain text, since neither a
/// browser that was rebound nor a confused client has a page to show it in.
pub(crate) fn misdirected(port: u16) -> Response<Body> {
    let text = format!(
        "Misdirected Request: this Zoho sandbox answers only requests addressed to \
         127.0.0.1:{port}, localhost:{port} or [::1]:{port}.\n"
    );
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = StatusCode::MISDIRECTED_REQUEST;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The page shown when one of the sandbox's forms arrives from a page on another site.
pub(crate) fn foreign_origin_page() -> String {
    html::page(
        "Request refused",
        &format!(
            r#"<h1 class="error-title">Request refused</h1><p class="error">{}</p><p class="muted">{}</p>"#,
            html::escape(
                "This form can be sent only from the sandbox's own pages. Another web site \
                 sent it from your browser, and nothing was done."
            ),
            html::escape(
                "To continue, open the sandbox's page again from the application and use the \
                 buttons there."
            ),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).expect("a value"));
        }
        map
    }

    fn host(value: &str) -> HeaderMap {
        headers(&[(header::HOST, value)])
    }

    #[test]
    fn only_the_sandbox_s_own_loopback_address_is_a_host_it_answers_to() {
        let path = Uri::from_static("/oauth/serverinfo");
        for own in [
            "127.0.0.1:8765",
            "localhost:8765",
            "LocalHost:8765",
            "[::1]:8765",
        ] {
            assert!(host_is_own(&host(own), &path, 8765), "{own}");
        }
        for foreign in [
            "localhost",
            "127.0.0.1",
            "localhost:8766",
            "127.0.0.1:87650",
            "localhost:08765",
            "evil.example:8765",
            "127.0.0.1.nip.io:8765",
            "localhost.:8765",
            "[::ffff:127.0.0.1]:8765",
            "",
        ] {
            assert!(!host_is_own(&host(foreign), &path, 8765), "{foreign:?}");
        }
        assert!(!host_is_own(&HeaderMap::new(), &path, 8765));
        let twice = headers(&[
            (header::HOST, "127.0.0.1:8765"),
            (header::HOST, "evil.example:8765"),
        ]);
        assert!(!host_is_own(&twice, &path, 8765));
    }

    #[test]
    fn an_absolute_request_url_must_name_the_sandbox_too() {
        let own = host("127.0.0.1:8765");
        let absolute = Uri::from_static("http://evil.example:8765/oauth/serverinfo");
        assert!(!host_is_own(&own, &absolute, 8765));
        let absolute = Uri::from_static("http://localhost:8765/oauth/serverinfo");
        assert!(host_is_own(&own, &absolute, 8765));
    }

    #[test]
    fn an_origin_is_foreign_unless_it_is_one_of_the_sandbox_s_own_pages() {
        assert!(!origin_is_foreign(&HeaderMap::new(), 8765));
        for own in [
            "http://127.0.0.1:8765",
            "http://localhost:8765",
            "HTTP://LOCALHOST:8765",
        ] {
            let map = headers(&[(header::ORIGIN, own)]);
            assert!(!origin_is_foreign(&map, 8765), "{own}");
        }
        for foreign in [
            "null",
            "https://evil.example",
            "http://localhost:3000",
            "https://127.0.0.1:8765",
            "http://[::1]:8765",
            "http://127.0.0.1:8765/",
            "http://127.0.0.1",
            "",
        ] {
            let map = headers(&[(header::ORIGIN, foreign)]);
            assert!(origin_is_foreign(&map, 8765), "{foreign:?}");
        }
        let twice = headers(&[
            (header::ORIGIN, "http://127.0.0.1:8765"),
            (header::ORIGIN, "http://127.0.0.1:8765"),
        ]);
        assert!(origin_is_foreign(&twice, 8765));
    }

    #[test]
    fn json_is_application_json_with_any_parameters_in_any_case() {
        for json in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
            " application/json ",
        ] {
            assert!(
                is_json(&headers(&[(header::CONTENT_TYPE, json)])),
                "{json:?}"
            );
        }
        for other in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json-patch+json",
            "application/jsonp",
            "text/json",
            "",
        ] {
            assert!(
                !is_json(&headers(&[(header::CONTENT_TYPE, other)])),
                "{other:?}"
            );
        }
        assert!(!is_json(&HeaderMap::new()));
    }
}
