//! What a saved connection is.
//!
//! A connection is split in two on purpose: a [`ConnectionSummary`] of everything that
//! is not a credential (name, data center, scopes, client id, expiry times, the last test
//! call), which the app lists freely; and [`ConnectionSecrets`] (client secret, refresh
//! and access tokens), which are decrypted only when one connection is asked for.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::ClientType;
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::secret::{AccessToken, ClientSecret, RefreshToken};

use super::crypto;
use super::history::MintedToken;

/// A saved connection's stable identifier (random, not derived from anything secret).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConnectionId(String);

impl ConnectionId {
    pub(crate) fn random() -> Self {
        Self(crypto::random_hex(16))
    }

    /// The id as text (for the UI and command arguments).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for ConnectionId {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for ConnectionId {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Zoho Books organization as the test call showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// `organization_id`.
    pub id: String,
    /// The organization's name.
    pub name: String,
}

/// What the last test call (e.g. listing Books organizations) showed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum TestCallOutcome {
    /// The call worked; for Books, the organizations it listed.
    Succeeded {
        /// The organizations the token can see.
        organizations: Vec<Organization>,
    },
    /// The call failed; the error's `kind` and plain-language message (never a secret).
    Failed {
        /// The error's [`crate::UserFacing::kind`].
        kind: String,
        /// The message shown to the user.
        message: String,
    },
}

/// When a test call was made and what it showed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCallRecord {
    /// When the call was made.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// What it showed.
    pub outcome: TestCallOutcome,
}

/// Everything about a saved connection except its credentials. Safe to list and to
/// send to the UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionSummary {
    /// Stable id.
    pub id: ConnectionId,
    /// The user's name for it, unique in the vault.
    pub name: String,
    /// Zoho itself or the practice sandbox; tokens are only ever sent there.
    pub environment: ZohoEnv,
    /// The data center the account lives in.
    pub data_center: DataCenter,
    /// The product the scopes are for, e.g. "Zoho Books".
    pub product: String,
    /// The granted scopes, e.g. `ZohoBooks.invoices.READ`.
    pub scopes: Vec<String>,
    /// Server-based client or Self Client.
    pub client_type: ClientType,
    /// The Client ID (not secret).
    pub client_id: String,
    /// The Zoho user who granted access, when known (e.g. their email); refresh tokens
    /// are counted per user and client.
    pub zoho_user: Option<String>,
    /// Where API calls go, from the token response.
    pub api_domain: String,
    /// When the connection was saved.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the access token was last refreshed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_refreshed_at: Option<OffsetDateTime>,
    /// When the stored access token stops working, if there is one.
    #[serde(with = "time::serde::rfc3339::option")]
    pub access_token_expires_at: Option<OffsetDateTime>,
    /// The last test call, if any.
    pub last_test: Option<TestCallRecord>,
}

impl ConnectionSummary {
    /// True while the stored access token can still be used at `now` with `margin` to
    /// spare. Zoho locks out clients that refresh too often, so callers reuse the token
    /// while this holds.
    pub fn access_token_usable(&self, now: OffsetDateTime, margin: time::Duration) -> bool {
        self.access_token_expires_at
            .is_some_and(|expiry| now + margin < expiry)
    }
}

/// A connection's credentials. Every field prints as `[redacted]`.
#[derive(Clone, Debug)]
pub struct ConnectionSecrets {
    /// The Client Secret.
    pub client_secret: ClientSecret,
    /// The refresh token.
    pub refresh_token: RefreshToken,
    /// The current access token, if one is stored.
    pub access_token: Option<AccessToken>,
}

/// A saved connection in full, as [`super::Vault::get`] returns it.
#[derive(Clone, Debug)]
pub struct Connection {
    /// Everything but the credentials.
    pub summary: ConnectionSummary,
    /// The credentials.
    pub secrets: ConnectionSecrets,
    /// Refresh tokens minted for the same Zoho user and client, oldest first, with their
    /// non-secret fingerprints.
    pub refresh_token_history: Vec<MintedToken>,
}

/// What is needed to save a new connection after a successful code exchange.
#[derive(Clone, Debug)]
pub struct NewConnection {
    /// The user's name for it.
    pub name: String,
    /// Zoho or the sandbox.
    pub environment: ZohoEnv,
    /// The account's data center.
    pub data_center: DataCenter,
    /// The product, e.g. "Zoho Books".
    pub product: String,
    /// The granted scopes.
    pub scopes: Vec<String>,
    /// Server-based or Self Client.
    pub client_type: ClientType,
    /// The Client ID.
    pub client_id: String,
    /// The Client Secret.
    pub client_secret: ClientSecret,
    /// The Zoho user who granted access, when known.
    pub zoho_user: Option<String>,
    /// The refresh token from the exchange.
    pub refresh_token: RefreshToken,
    /// The access token from the exchange.
    pub access_token: Option<AccessToken>,
    /// Its absolute expiry.
    pub access_token_expires_at: Option<OffsetDateTime>,
    /// `api_domain` from the token response.
    pub api_domain: String,
}

/// The result of a refresh: a new access token.
#[derive(Clone, Debug)]
pub struct RefreshedAccess {
    /// The new access token.
    pub access_token: AccessToken,
    /// Its absolute expiry.
    pub expires_at: OffsetDateTime,
    /// `api_domain` from the response, when it was present.
    pub api_domain: Option<String>,
}

/// A new refresh token minted for an existing connection (a lost or revoked one
/// regenerated with the saved client and scopes).
#[derive(Clone, Debug)]
pub struct NewGrant {
    /// The new refresh token.
    pub refresh_token: RefreshToken,
    /// The access token that came with it.
    pub access_token: Option<AccessToken>,
    /// Its absolute expiry.
    pub access_token_expires_at: Option<OffsetDateTime>,
    /// `api_domain` from the response.
    pub api_domain: String,
    /// The scopes granted this time.
    pub scopes: Vec<String>,
}

/// What became of the refresh token a connection held before it got a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreviousToken {
    /// It was revoked at Zoho: it no longer counts towards the limit.
    Revoked,
    /// It may still be alive at Zoho (lost, or revocation failed): it still counts.
    MaybeLive,
}

/// What the caller needs to revoke a connection's refresh token at Zoho before deleting
/// it.
#[derive(Clone, Debug)]
pub struct RevocationDetails {
    /// Zoho or the sandbox.
    pub environment: ZohoEnv,
    /// The data center whose accounts server accepts the revocation.
    pub data_center: DataCenter,
    /// `POST {accounts_url}/oauth/v2/token/revoke`.
    pub accounts_url: String,
    /// The token to revoke.
    pub refresh_token: RefreshToken,
}

/// The encrypted record of one connection's credentials.
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredSecrets {
    #[serde(with = "crate::secret::expose")]
    pub(crate) client_secret: ClientSecret,
    #[serde(with = "crate::secret::expose")]
    pub(crate) refresh_token: RefreshToken,
    #[serde(with = "crate::secret::expose_option")]
    pub(crate) access_token: Option<AccessToken>,
}

impl From<StoredSecrets> for ConnectionSecrets {
    fn from(s: StoredSecrets) -> Self {
        ConnectionSecrets {
            client_secret: s.client_secret.clone(),
            refresh_token: s.refresh_token.clone(),
            access_token: s.access_token.clone(),
        }
    }
}

impl From<&ConnectionSecrets> for StoredSecrets {
    fn from(s: &ConnectionSecrets) -> Self {
        StoredSecrets {
            client_secret: s.client_secret.clone(),
            refresh_token: s.refresh_token.clone(),
            access_token: s.access_token.clone(),
        }
    }
}

/// The longest connection name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Trims `name` and checks it is one short line.
pub(crate) fn clean_name(name: &str) -> Option<String> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return None;
    }
    Some(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_short_line() {
        assert_eq!(clean_name("  Books EU  ").as_deref(), Some("Books EU"));
        assert!(clean_name("   ").is_none());
        assert!(clean_name("two\nlines").is_none());
        assert!(clean_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_none());
        assert!(clean_name(&"é".repeat(MAX_NAME_CHARS)).is_some());
    }

    #[test]
    fn access_token_usable_only_before_expiry_with_margin() {
        let now = OffsetDateTime::now_utc();
        let mut summary = ConnectionSummary {
            id: ConnectionId::random(),
            name: "n".into(),
            environment: ZohoEnv::Production,
            data_center: DataCenter::Eu,
            product: "Zoho Books".into(),
            scopes: vec![],
            client_type: ClientType::SelfClient,
            client_id: "1000.X".into(),
            zoho_user: None,
            api_domain: "https://www.zohoapis.eu".into(),
            created_at: now,
            last_refreshed_at: None,
            access_token_expires_at: None,
            last_test: None,
        };
        let margin = time::Duration::minutes(1);
        assert!(!summary.access_token_usable(now, margin));
        summary.access_token_expires_at = Some(now + time::Duration::minutes(30));
        assert!(summary.access_token_usable(now, margin));
        assert!(!summary.access_token_usable(
            now + time::Duration::minutes(29) + time::Duration::seconds(30),
            margin
        ));
    }
}
