//! The `Authorization: Zoho-oauthtoken <token>` header, the only place Zoho's APIs read an
//! access token from (never the query string). Products differ in how they answer a
//! request without it, so the header's absence is kept apart from a header they cannot
//! read.

use axum::http::{header, HeaderMap};

/// What a request's `Authorization` header holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Credential<'a> {
    /// No `Authorization` header.
    Absent,
    /// A header of another scheme (`Bearer ...`), without a token, or not text.
    Unreadable,
    /// The token of a `Zoho-oauthtoken` header.
    Token(&'a str),
}

impl<'a> Credential<'a> {
    /// The token, if the header held one.
    pub(crate) fn token(self) -> Option<&'a str> {
        match self {
            Credential::Token(token) => Some(token),
            Credential::Absent | Credential::Unreadable => None,
        }
    }
}

/// Reads the request's credential.
pub(crate) fn credential(headers: &HeaderMap) -> Credential<'_> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Credential::Absent;
    };
    value
        .to_str()
        .ok()
        .and_then(zoho_oauthtoken)
        .map_or(Credential::Unreadable, Credential::Token)
}

/// The token of a `Zoho-oauthtoken <token>` header value (scheme in any case).
fn zoho_oauthtoken(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("Zoho-oauthtoken") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn only_the_zoho_scheme_is_read() {
        assert_eq!(
            zoho_oauthtoken("Zoho-oauthtoken 1000.a.b"),
            Some("1000.a.b")
        );
        assert_eq!(
            zoho_oauthtoken("zoho-oauthtoken  1000.a.b "),
            Some("1000.a.b")
        );
        assert_eq!(zoho_oauthtoken("Bearer 1000.a.b"), None);
        assert_eq!(zoho_oauthtoken("Zoho-oauthtoken "), None);
        assert_eq!(zoho_oauthtoken("1000.a.b"), None);
    }

    #[test]
    fn a_missing_header_is_told_apart_from_an_unreadable_one() {
        let mut headers = HeaderMap::new();
        assert_eq!(credential(&headers), Credential::Absent);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(credential(&headers), Credential::Unreadable);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Zoho-oauthtoken 1000.a.b"),
        );
        assert_eq!(credential(&headers), Credential::Token("1000.a.b"));
        assert_eq!(credential(&headers).token(), Some("1000.a.b"));
    }
}
