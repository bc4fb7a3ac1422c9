//! A client registered in Zoho's API Console: what kind it is and its credentials.

use serde::{Deserialize, Serialize};

use crate::secret::ClientSecret;

/// How the client was registered in the API Console, which decides how the grant code
/// is obtained and whether `redirect_uri` is sent on the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientType {
    /// "Server-based Applications": consent page in the browser, redirect to the
    /// loopback listener; `redirect_uri` is required on the exchange.
    ServerBased,
    /// "Self Client": the user generates a code in the console and pastes it; no
    /// `redirect_uri`, and no multi-DC.
    SelfClient,
    /// "Non-browser based application": the device flow; the person approves a short
    /// code on any device, and no redirect URI is involved.
    NonBrowser,
    /// Zoho Payments' organization-level client (client type ORG): consent at
    /// `/oauth/v2/org/auth` by an owner or admin of a Payments account, with the
    /// loopback redirect as for a server-based client; its tokens belong to the
    /// organization and survive the departure of whoever granted them.
    Org,
}

/// The Client ID and Client Secret of a registered client.
#[derive(Clone, Debug)]
pub struct ClientCredentials {
    /// Server-based or Self Client.
    pub client_type: ClientType,
    /// The Client ID (not secret: it appears in authorize URLs).
    pub client_id: String,
    /// The Client Secret.
    pub client_secret: ClientSecret,
}

/// Why a typed Client ID cannot be right, in plain words, or `None` when it has the
/// shape of one (`1000.` and 30 letters and digits). People copy these by hand between
/// a browser and the app: catching a cut-off or swapped value here saves a round trip to
/// Zoho that would only answer `invalid_client`.
pub fn client_id_problem(text: &str) -> Option<String> {
    let id = text.trim();
    if id.is_empty() {
        return Some("Paste the Client ID shown in the API Console.".to_owned());
    }
    if id.chars().any(char::is_whitespace) {
        return Some(
            "The Client ID has a space or line break inside it: copy it again.".to_owned(),
        );
    }
    if client_secret_shape(id) {
        return Some(
            "This looks like the Client Secret. The Client ID starts with 1000. and goes in this field."
                .to_owned(),
        );
    }
    let Some((prefix, rest)) = id.split_once('.') else {
        return Some("A Client ID starts with 1000. followed by letters and digits.".to_owned());
    };
    if prefix.len() != 4 || !prefix.chars().all(|c| c.is_ascii_digit()) {
        return Some("A Client ID starts with four digits and a dot, such as 1000.".to_owned());
    }
    if !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some("A Client ID has only letters and digits after the dot.".to_owned());
    }
    if rest.len() != CLIENT_ID_BODY_LEN {
        return Some(format!(
            "A Client ID has {CLIENT_ID_BODY_LEN} letters and digits after the dot; this one has {}. Copy it again in full.",
            rest.len()
        ));
    }
    None
}

/// Why a typed Client Secret cannot be right, or `None` when it has the shape of one
/// (42 letters and digits). The message never repeats the value.
pub fn client_secret_problem(text: &str) -> Option<String> {
    let secret = text.trim();
    if secret.is_empty() {
        return Some("Paste the Client Secret shown in the API Console.".to_owned());
    }
    if secret.chars().any(char::is_whitespace) {
        return Some(
            "The Client Secret has a space or line break inside it: copy it again.".to_owned(),
        );
    }
    if client_id_problem(secret).is_none() {
        return Some(
            "This is the Client ID. The Client Secret is the longer value below it in the API Console."
                .to_owned(),
        );
    }
    if !secret.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some("A Client Secret has only letters and digits.".to_owned());
    }
    if secret.len() != CLIENT_SECRET_LEN {
        return Some(format!(
            "A Client Secret has {CLIENT_SECRET_LEN} letters and digits; this one has {}. Copy it again in full.",
            secret.len()
        ));
    }
    None
}

/// Letters and digits after `1000.` in the Client IDs the API Console issues.
const CLIENT_ID_BODY_LEN: usize = 30;
/// Length of the Client Secrets the API Console issues.
const CLIENT_SECRET_LEN: usize = 42;

fn client_secret_shape(text: &str) -> bool {
    text.len() == CLIENT_SECRET_LEN && text.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789";

    #[test]
    fn well_formed_credentials_pass_with_surrounding_blanks() {
        assert_eq!(client_id_problem(ID), None);
        assert_eq!(client_id_problem(&format!("  {ID}\n")), None);
        assert_eq!(client_secret_problem(SECRET), None);
        assert_eq!(client_secret_problem(&format!("{SECRET} ")), None);
    }

    #[test]
    fn common_slips_are_named() {
        let id = |t: &str| client_id_problem(t).unwrap_or_default();
        assert!(id("").contains("Paste"));
        assert!(id("1000.ABCDEF GHIJ").contains("space"));
        assert!(id(SECRET).contains("Client Secret"));
        assert!(id("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123").contains("starts with 1000."));
        assert!(id("10.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123").contains("four digits"));
        assert!(id("1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ012").contains("this one has 29"));
        assert!(id("1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ01-3").contains("only letters"));

        let secret = |t: &str| client_secret_problem(t).unwrap_or_default();
        assert!(secret("").contains("Paste"));
        assert!(secret(ID).contains("This is the Client ID"));
        assert!(secret("0123456789abcdef0123456789abcdef012345678").contains("this one has 41"));
        assert!(secret("0123456789abcdef0123456789abcdef012345678!").contains("only letters"));
    }

    #[test]
    fn a_problem_never_repeats_the_secret() {
        let near = "0123456789abcdef0123456789abcdef01234567";
        let message = client_secret_problem(near).expect("too short");
        assert!(!message.contains(near));
    }
}
