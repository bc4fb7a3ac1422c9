//! Reading Zoho's answers tolerantly: ids come as strings on one page and numbers on
//! another, fields go missing, and an answer is never rejected for a field the app does
//! not need.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// An id or name that Zoho may send as a string or a number; `None` when absent,
/// `null`, empty, or of another type.
pub(super) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(text_of(&Value::deserialize(deserializer)?))
}

/// [`text`] for a value already read.
pub(super) fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A flag Zoho may send as `true`, `"true"` or `1`; anything else is `false`.
pub(super) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(b) => b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    })
}

/// The fields of an error answer that say what went wrong. Zoho's APIs put the code in
/// `code` (a number for the Books family, a word for CRM and the accounts server), and
/// some accounts answers use `error` or `cause` instead.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ErrorBody {
    #[serde(default)]
    pub code: Value,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub error: Value,
    #[serde(default)]
    pub cause: Value,
    /// Code 6024's list of organizations.
    #[serde(default)]
    pub error_info: Value,
}

impl ErrorBody {
    /// The body of an answer, or an empty one when it is not JSON (an HTML error page).
    pub fn read(body: &[u8]) -> ErrorBody {
        serde_json::from_slice(body).unwrap_or_default()
    }

    /// The numeric code, if the code is a number (or a string of digits).
    pub fn number(&self) -> Option<i64> {
        match &self.code {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The first code written as a word, from `code`, `error` or `cause`.
    pub fn word(&self) -> Option<&str> {
        [&self.code, &self.error, &self.cause]
            .into_iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .find(|w| !w.is_empty() && w.parse::<i64>().is_err())
    }

    /// Whether the code or message is one of the ways Zoho's APIs say the access token
    /// is not accepted.
    pub fn says_invalid_token(&self) -> bool {
        let word = self.word().unwrap_or("");
        let message = self.message.as_deref().unwrap_or("").to_ascii_lowercase();
        word.eq_ignore_ascii_case("INVALID_TOKEN")
            || word.eq_ignore_ascii_case("INVALID_OAUTHTOKEN")
            || message.contains("invalid oauth token")
            || message.contains("invalid authtoken")
    }

    /// Whether there is any code at all.
    pub fn has_code(&self) -> bool {
        self.number().is_some() || self.word().is_some()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "text")]
        id: Option<String>,
        #[serde(default, deserialize_with = "flag")]
        on: bool,
    }

    #[test]
    fn ids_and_flags_are_read_in_any_of_zohos_spellings() {
        let read = |v: Value| serde_json::from_value::<Probe>(v).unwrap();
        assert_eq!(
            read(json!({"id": "10234695"})).id.as_deref(),
            Some("10234695")
        );
        assert_eq!(
            read(json!({"id": 55_123_456_789_u64})).id.as_deref(),
            Some("55123456789")
        );
        assert_eq!(read(json!({"id": " "})).id, None);
        assert_eq!(read(json!({"id": null})).id, None);
        assert_eq!(read(json!({"id": {"nested": 1}})).id, None);
        assert_eq!(read(json!({})).id, None);
        assert!(read(json!({"on": true})).on);
        assert!(read(json!({"on": "true"})).on);
        assert!(read(json!({"on": 1})).on);
        assert!(!read(json!({"on": "no"})).on);
        assert!(!read(json!({})).on);
    }

    #[test]
    fn error_codes_are_found_wherever_zoho_puts_them() {
        let body = |v: Value| ErrorBody::read(v.to_string().as_bytes());
        assert_eq!(body(json!({"code": 57})).number(), Some(57));
        assert_eq!(body(json!({"code": "57"})).number(), Some(57));
        assert_eq!(
            body(json!({"code": "INVALID_TOKEN"})).word(),
            Some("INVALID_TOKEN")
        );
        assert_eq!(
            body(json!({"cause": "invalid_oauthscope"})).word(),
            Some("invalid_oauthscope")
        );
        assert_eq!(
            body(json!({"error": "invalid_oauthtoken"})).word(),
            Some("invalid_oauthtoken")
        );
        assert!(body(json!({"message": "Invalid OAuth token."})).says_invalid_token());
        assert!(!body(json!({"message": "hello"})).has_code());
        let html = ErrorBody::read(b"<html>Not found</html>");
        assert!(!html.has_code());
        assert_eq!(html.message, None);
    }
}
