//! Request parameters as Zoho reads them. Its documents put token-request parameters in
//! the query string, clients also post them as an `application/x-www-form-urlencoded`
//! body, and some of Zoho's own SDKs post `multipart/form-data`: the token and revoke
//! endpoints read all three, and nothing else. A body of any other type (JSON, plain
//! text, or no type at all) is not a form, so its parameters count as missing, as they
//! would at Zoho; a client that sends one must fail here as it would there. The body
//! wins when a name appears in both it and the query string, and an empty value counts
//! as missing.

use std::collections::HashMap;
use std::convert::Infallible;

use axum::body::Bytes;
use axum::http::{header, HeaderMap};

/// The form media type, compared without case and without parameters.
const URL_ENCODED: &str = "application/x-www-form-urlencoded";

/// Parameters of one request.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    /// Parameters from a URL-encoded query string.
    pub(crate) fn from_query(query: Option<&str>) -> Self {
        let mut params = Params::default();
        params.add_encoded(query.unwrap_or("").as_bytes());
        params
    }

    /// Parameters from the query string and a body taken as URL-encoded whatever its
    /// type: for the sandbox's own HTML forms, which only browsers post, always
    /// URL-encoded.
    pub(crate) fn from_query_and_body(query: Option<&str>, body: &[u8]) -> Self {
        let mut from_body = Params::default();
        from_body.add_encoded(body);
        Params::from_query(query).overlaid_with(from_body)
    }

    /// Parameters of a request to an endpoint that reads every shape Zoho reads: the
    /// query string, plus a URL-encoded or multipart body chosen by its `Content-Type`.
    pub(crate) async fn from_request(
        query: Option<&str>,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Self {
        let from_body = match BodyShape::of(headers) {
            BodyShape::UrlEncoded => {
                let mut params = Params::default();
                params.add_encoded(&body);
                params
            }
            BodyShape::Multipart(boundary) => Params::from_multipart(body, boundary).await,
            BodyShape::NotAForm => Params::default(),
        };
        Params::from_query(query).overlaid_with(from_body)
    }

    /// The text fields of a multipart body. A file part is not a parameter; a body that
    /// cannot be read to its end yields no parameters at all, rather than whatever came
    /// before the damage.
    async fn from_multipart(body: Bytes, boundary: String) -> Self {
        let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut params = Params::default();
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => return params,
                Err(error) => return Params::malformed_multipart(&error),
            };
            let name = field
                .name()
                .filter(|_| is_text_field(&field))
                .map(str::to_owned);
            // The part is read even when it is skipped, so damage further on is noticed.
            let value = match field.bytes().await {
                Ok(value) => value,
                Err(error) => return Params::malformed_multipart(&error),
            };
            if let (Some(name), Ok(value)) = (name, String::from_utf8(value.to_vec())) {
                params.0.entry(name).or_insert(value);
            }
        }
    }

    fn malformed_multipart(error: &multer::Error) -> Self {
        tracing::debug!(%error, "multipart body could not be read; its parameters count as missing");
        Params::default()
    }

    /// The first value of each name wins, as with most servers.
    fn add_encoded(&mut self, encoded: &[u8]) {
        for (name, value) in url::form_urlencoded::parse(encoded) {
            self.0
                .entry(name.into_owned())
                .or_insert_with(|| value.into_owned());
        }
    }

    /// These parameters, with each of `winner`'s replacing one of the same name.
    fn overlaid_with(mut self, winner: Params) -> Self {
        self.0.extend(winner.0);
        self
    }

    /// The value of `name`, or `None` when it is absent or empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// The value of `name` as sent, even when empty (for `state`, which is passed back
    /// exactly as it came).
    pub(crate) fn raw(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// How a request body is to be read, from its `Content-Type`.
#[derive(Debug, PartialEq, Eq)]
enum BodyShape {
    UrlEncoded,
    /// `multipart/form-data` with its boundary.
    Multipart(String),
    /// Any other type, a multipart type without a boundary, or no type.
    NotAForm,
}

impl BodyShape {
    fn of(headers: &HeaderMap) -> Self {
        let Some(content_type) = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
        else {
            return BodyShape::NotAForm;
        };
        let media_type = content_type.split(';').next().unwrap_or("").trim();
        if media_type.eq_ignore_ascii_case(URL_ENCODED) {
            return BodyShape::UrlEncoded;
        }
        multer::parse_boundary(content_type)
            .map(BodyShape::Multipart)
            .unwrap_or(BodyShape::NotAForm)
    }
}

/// A form field typed in, not a file: no file name, and text if it says what it is
/// (RFC 7578 section 4.4: a part without a type is `text/plain`).
fn is_text_field(field: &multer::Field<'_>) -> bool {
    field.file_name().is_none()
        && field
            .content_type()
            .is_none_or(|mime| mime.type_().as_str() == "text")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn body_wins_over_query_and_empty_means_missing() {
        let params = Params::from_query_and_body(
            Some("code=from-query&client_id=abc&scope="),
            b"code=from-body&state=a%20b",
        );
        assert_eq!(params.get("code"), Some("from-body"));
        assert_eq!(params.get("client_id"), Some("abc"));
        assert_eq!(params.get("scope"), None);
        assert_eq!(params.raw("scope"), Some(""));
        assert_eq!(params.get("state"), Some("a b"));
        assert_eq!(params.get("missing"), None);
    }

    fn with_type(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("header value"),
        );
        headers
    }

    #[test]
    fn the_body_shape_follows_the_content_type() {
        for form in [
            "application/x-www-form-urlencoded",
            "Application/X-WWW-Form-URLEncoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "application/x-www-form-urlencoded;charset=utf-8",
        ] {
            assert_eq!(
                BodyShape::of(&with_type(form)),
                BodyShape::UrlEncoded,
                "{form}"
            );
        }
        assert_eq!(
            BodyShape::of(&with_type("multipart/form-data; boundary=abc123")),
            BodyShape::Multipart("abc123".to_owned())
        );
        assert_eq!(
            BodyShape::of(&with_type("Multipart/Form-Data; boundary=\"a b\"")),
            BodyShape::Multipart("a b".to_owned())
        );
        for not_a_form in [
            "multipart/form-data",
            "multipart/mixed; boundary=abc123",
            "application/json",
            "text/plain",
            "application/x-www-form-urlencoded-extra",
            "",
        ] {
            assert_eq!(
                BodyShape::of(&with_type(not_a_form)),
                BodyShape::NotAForm,
                "{not_a_form}"
            );
        }
        assert_eq!(BodyShape::of(&HeaderMap::new()), BodyShape::NotAForm);
    }

    #[tokio::test]
    async fn only_form_bodies_are_read_and_the_query_always_is() {
        let body = Bytes::from_static(b"code=from-body&grant_type=refresh_token");
        let query = Some("code=from-query&client_id=abc");

        let form = Params::from_request(
            query,
            &with_type("application/x-www-form-urlencoded"),
            body.clone(),
        )
        .await;
        assert_eq!(form.get("code"), Some("from-body"));
        assert_eq!(form.get("grant_type"), Some("refresh_token"));
        assert_eq!(form.get("client_id"), Some("abc"));

        for headers in [with_type("text/plain"), HeaderMap::new()] {
            let plain = Params::from_request(query, &headers, body.clone()).await;
            assert_eq!(plain.get("code"), Some("from-query"));
            assert_eq!(plain.get("grant_type"), None);
            assert_eq!(plain.get("client_id"), Some("abc"));
        }
    }

    const BOUNDARY: &str = "XyZzY";

    async fn multipart(body: &str) -> Params {
        Params::from_request(
            None,
            &with_type(&format!("multipart/form-data; boundary={BOUNDARY}")),
            Bytes::from(body.to_owned()),
        )
        .await
    }

    #[tokio::test]
    async fn multipart_text_fields_are_read_and_file_parts_are_not() {
        let params = multipart(
            "--XyZzY\r\n\
             Content-Disposition: form-data; name=\"code\"\r\n\
             \r\n\
             first\r\n\
             --XyZzY\r\n\
             Content-Disposition: form-data; name=\"code\"\r\n\
             \r\n\
             second\r\n\
             --XyZzY\r\n\
             Content-Disposition: form-data; name=\"state\"\r\n\
             Content-Type: text/plain; charset=UTF-8\r\n\
             \r\n\
             a b\r\n\
             --XyZzY\r\n\
             Content-Disposition: form-data; name=\"client_secret\"; filename=\"secret.txt\"\r\n\
             Content-Type: text/plain\r\n\
             \r\n\
             in-a-file\r\n\
             --XyZzY\r\n\
             Content-Disposition: form-data; name=\"client_id\"\r\n\
             Content-Type: application/octet-stream\r\n\
             \r\n\
             binary\r\n\
             --XyZzY\r\n\
             Content-Disposition: form-data; name=\"scope\"\r\n\
             \r\n\
             \r\n\
             --XyZzY--\r\n",
        )
        .await;
        assert_eq!(params.get("code"), Some("first"));
        assert_eq!(params.get("state"), Some("a b"));
        assert_eq!(params.get("client_secret"), None);
        assert_eq!(params.get("client_id"), None);
        assert_eq!(params.get("scope"), None);
        assert_eq!(params.raw("scope"), Some(""));
    }

    #[tokio::test]
    async fn a_damaged_multipart_body_yields_nothing() {
        let unterminated = "--XyZzY\r\n\
             Content-Disposition: form-data; name=\"code\"\r\n\
             \r\n\
             first\r\n";
        let wrong_boundary = "--Other\r\n\
             Content-Disposition: form-data; name=\"code\"\r\n\
             \r\n\
             first\r\n\
             --Other--\r\n";
        let broken_headers = "--XyZzY\r\n\
             Content-Disposition: form-data; name=\"code\"\r\n\
             \r\n\
             first\r\n\
             --XyZzY\r\n\
             no header block here\r\n\
             --XyZzY--\r\n";
        for body in [unterminated, wrong_boundary, broken_headers] {
            let params = multipart(body).await;
            assert_eq!(params.raw("code"), None, "{body:?}");
        }
    }
}
