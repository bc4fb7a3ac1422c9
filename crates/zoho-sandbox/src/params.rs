//! Request parameters as Zoho reads them: its documents put token-request parameters in
//! the query string, and clients also send them as a form body, so both are read (the
//! body wins when a name appears in both). An empty value counts as missing.

use std::collections::HashMap;

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

    /// Parameters from the query string and a URL-encoded body.
    pub(crate) fn from_query_and_body(query: Option<&str>, body: &[u8]) -> Self {
        let mut from_body = Params::default();
        from_body.add_encoded(body);
        let mut merged = Params::from_query(query);
        merged.0.extend(from_body.0);
        merged
    }

    /// The first value of each name wins, as with most servers.
    fn add_encoded(&mut self, encoded: &[u8]) {
        for (name, value) in url::form_urlencoded::parse(encoded) {
            self.0
                .entry(name.into_owned())
                .or_insert_with(|| value.into_owned());
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
