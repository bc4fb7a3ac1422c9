//! The start of the consent flow for a server-based client: the URL of Zoho's consent
//! page, and what must be remembered until the browser comes back.
//!
//! Zoho's documented parameters (`scope`, `client_id`, `response_type=code`,
//! `redirect_uri`, `access_type`, `prompt`, `state`) are all sent. `access_type=offline`
//! with `prompt=consent` is what makes Zoho return a refresh token every time, not only
//! on the first consent. `state` (256 random bits) ties the redirect to this flow, and
//! PKCE (RFC 7636, S256) ties the code to this process: the verifier never leaves the
//! app until the exchange.
//!
//! The consent page starts at the US accounts server for every DC but China, as Zoho
//! documents; Zoho then sends the user to their own DC and says so on the redirect.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use url::Url;

use crate::client::{ClientCredentials, ClientType};
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::error::{Error, Result};
use crate::secret::{PkceVerifier, SecretString};

/// The default port of the redirect URI.
///
/// Zoho matches the redirect URI exactly, so the port is part of every client a user
/// registers and must never change between releases. 28739 sits below every operating
/// system's range of ports handed out to outgoing connections (Linux from 32768,
/// Windows and macOS from 49152), so no passing connection can hold it, and it is not
/// used by common developer tools, databases or other sign-in tools (rclone, for one,
/// uses 53682).
pub const DEFAULT_REDIRECT_PORT: u16 = 28739;

/// The default path of the redirect URI; a distinctive path keeps stray requests from
/// other local programs from being mistaken for Zoho's answer.
pub const DEFAULT_REDIRECT_PATH: &str = "/zoho/callback";

/// `http://localhost:{port}{path}`: where Zoho sends the browser back to.
///
/// `localhost`, not `127.0.0.1`: Zoho is reported to reject `127.0.0.1` redirect URIs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RedirectUri {
    port: u16,
    path: String,
}

impl Default for RedirectUri {
    fn default() -> Self {
        Self {
            port: DEFAULT_REDIRECT_PORT,
            path: DEFAULT_REDIRECT_PATH.to_owned(),
        }
    }
}

impl RedirectUri {
    /// A redirect URI on `port` with `path` (a leading `/` is added when missing).
    ///
    /// # Errors
    /// [`Error::InvalidRedirectSetting`] for port 0 or below 1024 (ports an ordinary
    /// program may not open on every system), or a path with characters that would not
    /// survive the round trip through Zoho unchanged (`?`, `#`, spaces, `%`, non-ASCII).
    pub fn new(port: u16, path: &str) -> Result<Self> {
        if port < 1024 {
            return Err(Error::InvalidRedirectSetting {
                value: port.to_string(),
                reason: "the port must be between 1024 and 65535",
            });
        }
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.');
        if !path.chars().all(allowed) || path.contains("//") {
            return Err(Error::InvalidRedirectSetting {
                value: path,
                reason: "the path may only hold letters, digits and / - _ .",
            });
        }
        Ok(Self { port, path })
    }

    /// The default redirect URI on another port.
    ///
    /// # Errors
    /// As [`RedirectUri::new`].
    pub fn on_port(port: u16) -> Result<Self> {
        Self::new(port, DEFAULT_REDIRECT_PATH)
    }

    /// The port the listener must open.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The path the listener answers on, starting with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The URI as registered in the API Console and sent to Zoho.
    pub fn as_string(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "http://localhost:{}{}", self.port, self.path)
    }
}

/// The opaque value sent as `state` and expected back on the redirect.
///
/// Not a credential, but knowing it lets a local program forge a redirect, so it is
/// kept out of logs like one.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsentState(SecretString);

impl ConsentState {
    /// 256 bits from the operating system's generator, URL-safe base64 (43 characters).
    pub(crate) fn generate() -> Self {
        Self(SecretString::new(random_urlsafe(32)))
    }

    /// The value itself, to compare against a redirect.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for ConsentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConsentState([redacted])")
    }
}

fn random_urlsafe(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    let text = URL_SAFE_NO_PAD.encode(&buf);
    zeroize::Zeroize::zeroize(&mut buf);
    text
}

/// The S256 challenge for `verifier`: `BASE64URL(SHA256(verifier))` (RFC 7636 §4.2).
pub fn pkce_challenge(verifier: &PkceVerifier) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// A consent flow that has been started and not yet finished: everything the loopback
/// listener and the code exchange need, and nothing more.
///
/// Made by [`PendingConsent::start`]; consumed by the exchange
/// ([`crate::token::TokenClient::exchange_consent`]), so a verifier is never used twice.
pub struct PendingConsent {
    env: ZohoEnv,
    dc: DataCenter,
    client: ClientCredentials,
    scope: String,
    redirect_uri: RedirectUri,
    state: ConsentState,
    verifier: PkceVerifier,
    authorize_url: Url,
}

impl PendingConsent {
    /// Starts a consent flow for a server-based `client` that the user registered in the
    /// API Console of `dc`, asking for `scopes` (joined with commas, as Zoho wants).
    ///
    /// # Errors
    /// [`Error::UntrustedHost`] if the environment's accounts server does not make a
    /// valid URL (a mistyped sandbox address).
    pub fn start<S: AsRef<str>>(
        env: &ZohoEnv,
        dc: DataCenter,
        client: ClientCredentials,
        scopes: &[S],
        redirect_uri: RedirectUri,
    ) -> Result<Self> {
        let scope = scopes
            .iter()
            .map(|s| s.as_ref().trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        let state = ConsentState::generate();
        let verifier = PkceVerifier::new(random_urlsafe(32));
        let start = env.consent_start(dc).accounts;
        let path = match client.client_type {
            ClientType::Org => "/oauth/v2/org/auth",
            ClientType::ServerBased | ClientType::SelfClient | ClientType::NonBrowser => {
                "/oauth/v2/auth"
            }
        };
        let mut authorize_url =
            Url::parse(&format!("{start}{path}")).map_err(|_| Error::UntrustedHost {
                host: start.clone(),
            })?;
        authorize_url
            .query_pairs_mut()
            .append_pair("scope", &scope)
            .append_pair("client_id", client.client_id.trim())
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &redirect_uri.to_string())
            .append_pair("access_type", "offline")
            .append_pair("prompt", "consent")
            .append_pair("state", state.expose())
            .append_pair("code_challenge", &pkce_challenge(&verifier))
            .append_pair("code_challenge_method", "S256");
        Ok(Self {
            env: env.clone(),
            dc,
            client,
            scope,
            redirect_uri,
            state,
            verifier,
            authorize_url,
        })
    }

    /// The consent page to open in the system browser. It carries `state` and the PKCE
    /// challenge but no secret.
    pub fn authorize_url(&self) -> &Url {
        &self.authorize_url
    }

    /// The environment the flow runs in.
    pub fn env(&self) -> &ZohoEnv {
        &self.env
    }

    /// The data center the user chose, where the client was registered.
    pub fn client_dc(&self) -> DataCenter {
        self.dc
    }

    /// The data center whose accounts server shows the consent page.
    pub fn consent_dc(&self) -> DataCenter {
        self.env.consent_start(self.dc).dc
    }

    /// The client the flow is for.
    pub fn client(&self) -> &ClientCredentials {
        &self.client
    }

    /// The scopes asked for, comma-joined.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// Where Zoho sends the browser back to.
    pub fn redirect_uri(&self) -> &RedirectUri {
        &self.redirect_uri
    }

    /// The `state` expected back.
    pub fn state(&self) -> &ConsentState {
        &self.state
    }

    /// The PKCE verifier to send with the code.
    pub fn verifier(&self) -> &PkceVerifier {
        &self.verifier
    }
}

impl fmt::Debug for PendingConsent {
    // The authorize URL is left out: its query carries the state.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingConsent")
            .field("env", &self.env)
            .field("dc", &self.dc)
            .field("client", &self.client)
            .field("scope", &self.scope)
            .field("redirect_uri", &self.redirect_uri)
            .field("state", &self.state)
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::client::ClientType;
    use crate::secret::ClientSecret;

    fn client() -> ClientCredentials {
        ClientCredentials {
            client_type: ClientType::ServerBased,
            client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".into(),
            client_secret: ClientSecret::new("0123456789abcdef0123456789abcdef01234567ab"),
        }
    }

    fn params(url: &Url) -> HashMap<String, String> {
        url.query_pairs().into_owned().collect()
    }

    #[test]
    fn authorize_url_carries_every_documented_parameter() {
        let pending = PendingConsent::start(
            &ZohoEnv::Production,
            DataCenter::Eu,
            client(),
            &["ZohoBooks.settings.READ", " ZohoBooks.invoices.CREATE "],
            RedirectUri::default(),
        )
        .unwrap();
        let url = pending.authorize_url();
        assert_eq!(
            url.as_str().split('?').next().unwrap(),
            "https://accounts.zoho.com/oauth/v2/auth"
        );
        let p = params(url);
        assert_eq!(
            p["scope"],
            "ZohoBooks.settings.READ,ZohoBooks.invoices.CREATE"
        );
        assert_eq!(p["client_id"], "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123");
        assert_eq!(p["response_type"], "code");
        assert_eq!(p["redirect_uri"], "http://localhost:28739/zoho/callback");
        assert_eq!(p["access_type"], "offline");
        assert_eq!(p["prompt"], "consent");
        assert_eq!(p["code_challenge_method"], "S256");
        assert_eq!(p["state"], pending.state().expose());
        assert_eq!(p["code_challenge"], pkce_challenge(pending.verifier()));
        assert!(!url.as_str().contains(pending.verifier().expose()));
        assert!(!url
            .as_str()
            .contains(pending.client().client_secret.expose()));
        assert_eq!(pending.consent_dc(), DataCenter::Us);
        assert_eq!(pending.client_dc(), DataCenter::Eu);
    }

    #[test]
    fn china_starts_at_its_own_server_and_the_sandbox_at_its_base() {
        let cn = PendingConsent::start(
            &ZohoEnv::Production,
            DataCenter::Cn,
            client(),
            &["ZohoBooks.settings.READ"],
            RedirectUri::default(),
        )
        .unwrap();
        assert!(cn
            .authorize_url()
            .as_str()
            .starts_with("https://accounts.zoho.com.cn/oauth/v2/auth?"));
        let sandbox = PendingConsent::start(
            &ZohoEnv::sandbox("http://127.0.0.1:4000"),
            DataCenter::Eu,
            client(),
            &["ZohoBooks.settings.READ"],
            RedirectUri::default(),
        )
        .unwrap();
        assert!(sandbox
            .authorize_url()
            .as_str()
            .starts_with("http://127.0.0.1:4000/oauth/v2/auth?"));
    }

    #[test]
    fn state_and_verifier_are_long_random_and_url_safe() {
        let a = PendingConsent::start(
            &ZohoEnv::Production,
            DataCenter::Us,
            client(),
            &["ZohoBooks.settings.READ"],
            RedirectUri::default(),
        )
        .unwrap();
        let b = PendingConsent::start(
            &ZohoEnv::Production,
            DataCenter::Us,
            client(),
            &["ZohoBooks.settings.READ"],
            RedirectUri::default(),
        )
        .unwrap();
        for value in [a.state().expose(), a.verifier().expose()] {
            // 43 base64url characters = 256 bits; RFC 7636 wants 43..=128 for verifiers.
            assert_eq!(value.len(), 43);
            assert!(value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        }
        assert_ne!(a.state().expose(), b.state().expose());
        assert_ne!(a.verifier().expose(), b.verifier().expose());
    }

    #[test]
    fn pkce_challenge_matches_rfc_7636_appendix_b() {
        let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            pkce_challenge(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn debug_output_hides_state_verifier_and_secret() {
        let pending = PendingConsent::start(
            &ZohoEnv::Production,
            DataCenter::Us,
            client(),
            &["ZohoBooks.settings.READ"],
            RedirectUri::default(),
        )
        .unwrap();
        let text = format!("{pending:?}");
        assert!(!text.contains(pending.verifier().expose()));
        assert!(!text.contains(pending.client().client_secret.expose()));
        assert!(!text.contains(pending.state().expose()));
        assert!(text.contains("ConsentState([redacted])"));
    }

    #[test]
    fn redirect_uri_is_localhost_with_a_fixed_port_and_clean_path() {
        assert_eq!(
            RedirectUri::default().to_string(),
            "http://localhost:28739/zoho/callback"
        );
        assert_eq!(
            RedirectUri::new(40001, "cb").unwrap().to_string(),
            "http://localhost:40001/cb"
        );
        assert_eq!(
            RedirectUri::on_port(40002).unwrap().path(),
            DEFAULT_REDIRECT_PATH
        );
        for (port, path) in [
            (0, "/cb"),
            (80, "/cb"),
            (40001, "/cb?x=1"),
            (40001, "/cb#f"),
            (40001, "/a b"),
            (40001, "//evil"),
        ] {
            let err = RedirectUri::new(port, path).unwrap_err();
            assert!(
                matches!(err, Error::InvalidRedirectSetting { .. }),
                "{port} {path}"
            );
        }
    }
}
