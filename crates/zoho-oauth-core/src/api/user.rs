//! Who is connected: `GET {accounts}/oauth/user/info`, so that the app can say
//! "connected as jane@firm.com" and the user can see at once that they signed in with
//! the wrong Zoho account.
//!
//! It is the one API call every product's tokens can make (with the scope
//! [`PROFILE_READ`]), so for products without a test call of their own (Payments,
//! Analytics, Desk, ...) it is what proves the token works. It lives on the accounts
//! server of the tokens' data center, not on the API domain.

use serde::{Deserialize, Serialize};

use super::wire::{self, ErrorBody};
use crate::error::{safe_code, Error, Result};
use crate::token::Answer;

/// The scope the user-info call needs, as Zoho's accounts documentation spells it.
pub const PROFILE_READ: &str = "AaaServer.profile.Read";

/// The Zoho user an access token belongs to. Every field is optional: Zoho leaves some
/// out for some accounts, and the app shows what there is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZohoUser {
    /// Zoho's user id (ZUID).
    pub zuid: Option<String>,
    /// The sign-in e-mail address.
    pub email: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// The name Zoho shows for the user.
    pub display_name: Option<String>,
}

impl ZohoUser {
    /// The user in a few words for "Connected as ...": `Jane Doe (jane@firm.com)`, or
    /// whichever of name and e-mail Zoho sent, or the ZUID as a last resort.
    pub fn describe(&self) -> String {
        let full_name = match (&self.first_name, &self.last_name) {
            (Some(first), Some(last)) => Some(format!("{first} {last}")),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        };
        let name = self.display_name.clone().or(full_name);
        match (name, &self.email) {
            (Some(name), Some(email)) if !name.eq_ignore_ascii_case(email) => {
                format!("{name} ({email})")
            }
            (_, Some(email)) => email.clone(),
            (Some(name), None) => name,
            (None, None) => match &self.zuid {
                Some(zuid) => format!("Zoho user {zuid}"),
                None => "an unnamed Zoho user".to_owned(),
            },
        }
    }
}

/// The answer's fields, as Zoho names them.
#[derive(Deserialize)]
struct UserInfoBody {
    #[serde(rename = "ZUID", default, deserialize_with = "wire::text")]
    zuid: Option<String>,
    #[serde(rename = "Email", default, deserialize_with = "wire::text")]
    email: Option<String>,
    #[serde(rename = "First_Name", default, deserialize_with = "wire::text")]
    first_name: Option<String>,
    #[serde(rename = "Last_Name", default, deserialize_with = "wire::text")]
    last_name: Option<String>,
    #[serde(rename = "Display_Name", default, deserialize_with = "wire::text")]
    display_name: Option<String>,
}

/// Reads the user-info answer. The accounts server has answered errors with HTTP 200,
/// so a body is a user only when it names one (a ZUID or an e-mail address).
pub(super) fn user_from(answer: &Answer) -> Result<ZohoUser> {
    let status = answer.status;
    if status == 200 {
        if let Ok(body) = serde_json::from_slice::<UserInfoBody>(&answer.body) {
            if body.zuid.is_some() || body.email.is_some() {
                return Ok(ZohoUser {
                    zuid: body.zuid,
                    email: body.email,
                    first_name: body.first_name,
                    last_name: body.last_name,
                    display_name: body.display_name,
                });
            }
        }
    }
    let body = ErrorBody::read(&answer.body);
    if status == 200 && !body.has_code() {
        return Err(Error::UnreadableResponse { status });
    }
    Err(user_info_error(status, &body))
}

/// The accounts server's refusals: `INVALID_OAUTHSCOPE` (also seen in lower case and
/// under `cause` or `error`) for a token without the profile scope, `INVALID_OAUTHTOKEN`
/// for a token it does not accept.
fn user_info_error(status: u16, body: &ErrorBody) -> Error {
    let word = body.word().unwrap_or("").to_ascii_lowercase();
    let message = body.message.as_deref().unwrap_or("").to_ascii_lowercase();
    if word.contains("scope") || message.contains("invalid oauth scope") {
        Error::MissingScope {
            scope: PROFILE_READ,
        }
    } else if word.contains("token") || body.says_invalid_token() || status == 401 {
        Error::InvalidAccessToken
    } else {
        Error::Unexpected {
            code: match (body.word(), body.number()) {
                (Some(word), _) => safe_code(word),
                (None, Some(n)) => format!("Zoho accounts code {n}"),
                (None, None) => format!("HTTP {status}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use zeroize::Zeroizing;

    use super::*;
    use crate::error::UserFacing;

    fn answer(status: u16, body: serde_json::Value) -> Answer {
        Answer {
            status,
            body: Zeroizing::new(body.to_string().into_bytes()),
        }
    }

    #[test]
    fn the_user_is_read_from_zohos_field_names() {
        let user = user_from(&answer(
            200,
            json!({
                "First_Name": "Jane",
                "Last_Name": "Doe",
                "Email": "jane@firm.example",
                "Display_Name": "Jane D.",
                "ZUID": 55_123_456_u64
            }),
        ))
        .unwrap();
        assert_eq!(user.zuid.as_deref(), Some("55123456"));
        assert_eq!(user.email.as_deref(), Some("jane@firm.example"));
        assert_eq!(user.first_name.as_deref(), Some("Jane"));
        assert_eq!(user.describe(), "Jane D. (jane@firm.example)");
        let sparse = user_from(&answer(200, json!({"ZUID": "55123456"}))).unwrap();
        assert_eq!(sparse.email, None);
        assert_eq!(sparse.describe(), "Zoho user 55123456");
    }

    #[test]
    fn describe_uses_what_there_is() {
        let user = |first: Option<&str>, last: Option<&str>, email: Option<&str>| ZohoUser {
            zuid: None,
            email: email.map(str::to_owned),
            first_name: first.map(str::to_owned),
            last_name: last.map(str::to_owned),
            display_name: None,
        };
        assert_eq!(
            user(Some("Jane"), Some("Doe"), Some("j@f.example")).describe(),
            "Jane Doe (j@f.example)"
        );
        assert_eq!(
            user(None, None, Some("j@f.example")).describe(),
            "j@f.example"
        );
        assert_eq!(user(Some("Jane"), None, None).describe(), "Jane");
        assert_eq!(user(None, None, None).describe(), "an unnamed Zoho user");
    }

    #[test]
    fn refusals_name_the_profile_scope_or_the_token() {
        let kind = |status, body| user_from(&answer(status, body)).unwrap_err();
        let scope = kind(
            401,
            json!({"code": "INVALID_OAUTHSCOPE", "message": "Invalid OAuth scope"}),
        );
        assert!(
            matches!(
                scope,
                Error::MissingScope {
                    scope: PROFILE_READ
                }
            ),
            "{scope:?}"
        );
        assert!(scope.hint().contains("AaaServer.profile.Read"));
        let scope = kind(
            200,
            json!({"response": "error", "cause": "invalid_oauthscope"}),
        );
        assert_eq!(scope.kind(), "missing_scope");
        let token = kind(
            401,
            json!({"code": "INVALID_OAUTHTOKEN", "message": "Invalid OAuth token"}),
        );
        assert_eq!(token.kind(), "invalid_access_token");
        assert_eq!(kind(401, json!({})).kind(), "invalid_access_token");
        assert_eq!(
            kind(200, json!({"status_code": 405})).kind(),
            "unreadable_response"
        );
        assert_eq!(kind(404, json!({"code": "NOT_FOUND"})).kind(), "unexpected");
        let html = Answer {
            status: 200,
            body: Zeroizing::new(b"<html>sign in</html>".to_vec()),
        };
        assert_eq!(user_from(&html).unwrap_err().kind(), "unreadable_response");
    }
}
