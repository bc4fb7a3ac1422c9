//! The test call that proves a connection works: list the user's Zoho Books
//! organizations.
//!
//! It is also what the user needs next: every other Books call takes an
//! `organization_id`, and an account may hold several, so the UI shows their names and
//! ids and lets the user pick. The token goes only in the `Authorization` header, and
//! only to the `api_domain` Zoho named, after checking it belongs to the tokens' DC.

use serde::{Deserialize, Serialize};

use crate::error::{host_for_message, Error, Result};
use crate::token::{Http, TokenClient, Tokens};

/// The scope the organizations call needs (`ZohoBooks.settings.ALL` and
/// `ZohoBooks.fullaccess.all` also cover it).
pub const BOOKS_SETTINGS_READ: &str = "ZohoBooks.settings.READ";

/// One Zoho Books organization, as the API lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// The id every other Books call needs.
    pub organization_id: String,
    /// The organization's name.
    pub name: String,
    /// The contact person's name.
    #[serde(default)]
    pub contact_name: String,
    /// The contact email.
    #[serde(default)]
    pub email: String,
    /// Whether it is the account's default organization.
    #[serde(default)]
    pub is_default_org: bool,
    /// The base currency, e.g. `EUR`.
    #[serde(default)]
    pub currency_code: String,
}

/// Calls Zoho Books with a connection's tokens.
#[derive(Clone, Debug)]
pub struct BooksClient {
    http: Http,
    env: crate::datacenter::ZohoEnv,
}

#[derive(Deserialize)]
struct ListBody {
    code: Option<serde_json::Value>,
    organizations: Option<Vec<Organization>>,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<serde_json::Value>,
    message: Option<String>,
}

impl BooksClient {
    /// A Books client sharing `tokens`' connections, time limits and environment.
    pub fn new(tokens: &TokenClient) -> Self {
        Self {
            http: tokens.http().clone(),
            env: tokens.env().clone(),
        }
    }

    /// `GET {api_domain}/books/v3/organizations`.
    ///
    /// The access token is used as it is; call
    /// [`TokenClient::ensure_fresh`](crate::token::TokenClient::ensure_fresh) first.
    ///
    /// # Errors
    /// [`Error::UntrustedHost`] (nothing is sent) when `tokens.api_domain` is not the API
    /// domain of `tokens.dc`; [`Error::MissingScope`] naming
    /// [`BOOKS_SETTINGS_READ`]; [`Error::InvalidAccessToken`] for an expired, revoked or
    /// other-DC token; and the transport errors.
    pub async fn organizations(&self, tokens: &Tokens) -> Result<Vec<Organization>> {
        if !self
            .env
            .is_trusted_api_domain(tokens.dc, &tokens.api_domain)
        {
            return Err(Error::UntrustedHost {
                host: host_for_message(&tokens.api_domain),
            });
        }
        let url = format!(
            "{}/books/v3/organizations",
            tokens.api_domain.trim_end_matches('/')
        );
        let request = self
            .http
            .client()
            .get(url)
            .header(reqwest::header::AUTHORIZATION, authorization_value(tokens)?);
        let answer = self.http.send(request).await?;
        let status = answer.status;
        if status >= 500 {
            return Err(Error::ZohoUnavailable { status });
        }
        if (200..300).contains(&status) {
            let body: ListBody = serde_json::from_slice(&answer.body)
                .map_err(|_| Error::UnreadableResponse { status })?;
            return match (
                body.code.as_ref().and_then(|c| c.as_i64()),
                body.organizations,
            ) {
                (Some(0), Some(organizations)) => Ok(organizations),
                (Some(code), _) if code != 0 => Err(api_error(status, body.code.as_ref(), None)),
                _ => Err(Error::UnreadableResponse { status }),
            };
        }
        let body: ErrorBody = serde_json::from_slice(&answer.body).unwrap_or(ErrorBody {
            code: None,
            message: None,
        });
        Err(api_error(
            status,
            body.code.as_ref(),
            body.message.as_deref(),
        ))
    }
}

fn authorization_value(tokens: &Tokens) -> Result<reqwest::header::HeaderValue> {
    let mut value = reqwest::header::HeaderValue::from_str(&format!(
        "Zoho-oauthtoken {}",
        tokens.access_token.expose()
    ))
    // A token with a line break or other control characters cannot be a Zoho token.
    .map_err(|_| Error::InvalidAccessToken)?;
    value.set_sensitive(true);
    Ok(value)
}

/// Maps a Books error answer. Books uses numeric codes (14: invalid token, 57: not
/// authorized); other Zoho APIs answer `INVALID_TOKEN` or "Invalid AuthToken".
fn api_error(status: u16, code: Option<&serde_json::Value>, message: Option<&str>) -> Error {
    let numeric = code.and_then(serde_json::Value::as_i64);
    let text = code.and_then(serde_json::Value::as_str).unwrap_or("");
    let message = message.unwrap_or("").to_ascii_lowercase();
    let invalid_token = numeric == Some(14)
        || text.eq_ignore_ascii_case("INVALID_TOKEN")
        || message.contains("invalid oauth token")
        || message.contains("invalid authtoken");
    if numeric == Some(57) || text.eq_ignore_ascii_case("OAUTH_SCOPE_MISMATCH") {
        Error::MissingScope {
            scope: BOOKS_SETTINGS_READ,
        }
    } else if invalid_token || (status == 401 && code.is_none()) {
        Error::InvalidAccessToken
    } else {
        Error::Unexpected {
            code: match (numeric, text) {
                (Some(n), _) => format!("Zoho Books code {n}"),
                (None, t) if !t.is_empty() => crate::error::safe_code(t),
                _ => format!("HTTP {status}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::error::UserFacing;

    #[test]
    fn books_errors_map_to_what_the_user_can_fix() {
        let kind = |status, code: serde_json::Value, message: &str| {
            api_error(status, Some(&code), Some(message)).kind()
        };
        assert_eq!(
            kind(
                401,
                json!(57),
                "You are not authorized to perform this operation"
            ),
            "missing_scope"
        );
        assert_eq!(
            kind(401, json!(14), "Invalid OAuth token."),
            "invalid_access_token"
        );
        assert_eq!(
            kind(401, json!("INVALID_TOKEN"), "invalid oauth token"),
            "invalid_access_token"
        );
        assert_eq!(
            kind(400, json!(1002), "Invalid AuthToken"),
            "invalid_access_token"
        );
        assert_eq!(kind(400, json!(6041), "Something else"), "unexpected");
        assert_eq!(api_error(401, None, None).kind(), "invalid_access_token");
    }

    #[test]
    fn missing_scope_tells_which_scope_to_add() {
        let err = api_error(401, Some(&json!(57)), None);
        assert!(err.to_string().contains("ZohoBooks.settings.READ"), "{err}");
        assert!(err.hint().contains("ZohoBooks.settings.READ"));
    }

    #[test]
    fn invalid_token_hint_mentions_expiry_and_data_center() {
        let hint = Error::InvalidAccessToken.hint();
        assert!(hint.contains("expired"));
        assert!(hint.contains("data center"));
    }

    #[test]
    fn organizations_parse_from_the_documented_shape() {
        let body = json!({
            "code": 0,
            "message": "success",
            "organizations": [{
                "organization_id": "10234695",
                "name": "Zillium Inc",
                "contact_name": "John Smith",
                "email": "johnsmith@zilliuminc.com",
                "is_default_org": false,
                "currency_code": "USD",
                "plan_name": "Standard"
            }]
        });
        let parsed: ListBody = serde_json::from_value(body).unwrap();
        let orgs = parsed.organizations.unwrap();
        assert_eq!(orgs[0].organization_id, "10234695");
        assert_eq!(orgs[0].currency_code, "USD");
        assert!(!orgs[0].is_default_org);
    }
}
