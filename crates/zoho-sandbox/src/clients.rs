//! OAuth clients as the API Console registers them: a server-based client with its
//! redirect URIs, or a Self Client tied to the console user who created it. A client is
//! valid only in its home data center unless Multi-DC is turned on (server-based
//! clients only; Zoho offers no Multi-DC for a Self Client).

use std::fmt;

use crate::dc::Dc;
use crate::error::SandboxError;
use crate::ids;
use crate::users::{User, DEMO_US_USER};

/// The kind of client, as chosen in the API Console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ClientType {
    /// A web or desktop application that sends people to the consent page.
    #[default]
    ServerBased,
    /// A client for one's own account, which generates codes in the console.
    SelfClient,
    /// A "Non-browser based application": no redirect URI; people approve it on any
    /// device through the device flow (`/oauth/v3/device/...`).
    NonBrowser,
    /// Zoho Payments' organization-level client (client type ORG): consent at
    /// `/oauth/v2/org/auth` by an owner or admin of a Payments account, for that account.
    Org,
}

/// What to register; see [`crate::Sandbox::register_client`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSpec {
    /// Server-based client or Self Client.
    pub client_type: ClientType,
    /// The home data center's location (`"us"`, `"eu"`, ...).
    pub location: String,
    /// Redirect URIs matched exactly at the consent page (server-based clients).
    pub redirect_uris: Vec<String>,
    /// Lets a server-based client be used in every data center. Ignored for a Self Client.
    pub multi_dc: bool,
    /// The console user who owns a Self Client; its codes grant access to this user's
    /// account. Empty means the seeded user of the client's data center.
    pub owner_email: String,
}

impl Default for ClientSpec {
    fn default() -> Self {
        ClientSpec {
            client_type: ClientType::ServerBased,
            location: "us".to_owned(),
            redirect_uris: Vec::new(),
            multi_dc: false,
            owner_email: DEMO_US_USER.to_owned(),
        }
    }
}

impl ClientSpec {
    /// A server-based client in `location` with one redirect URI.
    pub fn server_based(location: &str, redirect_uri: &str) -> Self {
        ClientSpec {
            location: location.to_owned(),
            redirect_uris: vec![redirect_uri.to_owned()],
            ..ClientSpec::default()
        }
    }

    /// A "Non-browser based application" in `location`, for the device flow.
    pub fn non_browser(location: &str) -> Self {
        ClientSpec {
            client_type: ClientType::NonBrowser,
            location: location.to_owned(),
            ..ClientSpec::default()
        }
    }

    /// An organization-level (ORG) client for Zoho Payments in `location`.
    pub fn org(location: &str, redirect_uri: &str) -> Self {
        ClientSpec {
            client_type: ClientType::Org,
            ..ClientSpec::server_based(location, redirect_uri)
        }
    }

    /// A Self Client in `location` owned by `owner_email`.
    pub fn self_client(location: &str, owner_email: &str) -> Self {
        ClientSpec {
            client_type: ClientType::SelfClient,
            location: location.to_owned(),
            owner_email: owner_email.to_owned(),
            ..ClientSpec::default()
        }
    }
}

/// A registered client's credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct RegisteredClient {
    /// `1000.` (`1004.` for a non-browser client) followed by 30 upper-case letters
    /// and digits.
    pub client_id: String,
    /// 42 lower-case hex digits.
    pub client_secret: String,
    /// The client's home data center.
    pub location: String,
}

impl fmt::Debug for RegisteredClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisteredClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("location", &self.location)
            .finish()
    }
}

/// A client as the sandbox keeps it.
#[derive(Clone)]
pub(crate) struct Client {
    pub(crate) id: String,
    /// Kept in clear because the console shows it, as Zoho's does.
    pub(crate) secret: String,
    pub(crate) name: String,
    pub(crate) client_type: ClientType,
    pub(crate) home: Dc,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) multi_dc: bool,
    pub(crate) owner_email: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("client_type", &self.client_type)
            .field("home", &self.home)
            .field("multi_dc", &self.multi_dc)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Checks a spec and builds a client with fresh credentials. `name` is what the
    /// console and the consent page show; `None` picks one from the ID.
    pub(crate) fn from_spec(
        spec: &ClientSpec,
        name: Option<&str>,
        users: &[User],
    ) -> Result<Client, SandboxError> {
        let home = Dc::from_location(&spec.location)
            .ok_or_else(|| SandboxError::UnknownLocation(spec.location.clone()))?;
        let id = match spec.client_type {
            ClientType::NonBrowser => ids::non_browser_client_id(),
            _ => ids::client_id(),
        };
        let (redirect_uris, multi_dc, owner_email) = match spec.client_type {
            ClientType::ServerBased | ClientType::Org => {
                let uris: Vec<String> = spec
                    .redirect_uris
                    .iter()
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty())
                    .collect();
                if uris.is_empty() {
                    return Err(SandboxError::MissingRedirectUri);
                }
                if let Some(bad) = uris.iter().find(|u| !is_http_url(u)) {
                    return Err(SandboxError::InvalidRedirectUri(bad.clone()));
                }
                (uris, spec.multi_dc, spec.owner_email.trim().to_owned())
            }
            ClientType::SelfClient => {
                let wanted = spec.owner_email.trim();
                let owner = if wanted.is_empty() {
                    users.iter().find(|u| u.dc == home)
                } else {
                    users.iter().find(|u| u.email.eq_ignore_ascii_case(wanted))
                }
                .ok_or_else(|| SandboxError::UnknownUser(wanted.to_owned()))?;
                (Vec::new(), false, owner.email.to_owned())
            }
            ClientType::NonBrowser => (Vec::new(), spec.multi_dc, String::new()),
        };
        let name = match name.map(str::trim) {
            Some(n) if !n.is_empty() => n.to_owned(),
            _ => match spec.client_type {
                ClientType::ServerBased => format!("Application {}", &id[..13]),
                ClientType::SelfClient => "Self Client".to_owned(),
                ClientType::NonBrowser => format!("Device application {}", &id[..13]),
                ClientType::Org => format!("Organization application {}", &id[..13]),
            },
        };
        Ok(Client {
            secret: ids::client_secret(),
            id,
            name,
            client_type: spec.client_type,
            home,
            redirect_uris,
            multi_dc,
            owner_email,
        })
    }

    /// True when the client may be used at `dc`'s accounts server.
    pub(crate) fn valid_at(&self, dc: Dc) -> bool {
        self.home == dc || (self.multi_dc && self.client_type != ClientType::SelfClient)
    }

    pub(crate) fn credentials(&self) -> RegisteredClient {
        RegisteredClient {
            client_id: self.id.clone(),
            client_secret: self.secret.clone(),
            location: self.home.location().to_owned(),
        }
    }
}

fn is_http_url(candidate: &str) -> bool {
    url::Url::parse(candidate)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::{seeded, DEMO_EU_USER};

    #[test]
    fn server_based_clients_need_http_redirect_uris() {
        let users = seeded();
        let spec = ClientSpec::server_based("eu", "http://localhost:53682/");
        let client = Client::from_spec(&spec, None, &users).expect("valid");
        assert_eq!(client.home, Dc::Eu);
        assert!(client.valid_at(Dc::Eu));
        assert!(!client.valid_at(Dc::Us));

        let no_uri = ClientSpec {
            redirect_uris: vec![" ".to_owned()],
            ..spec.clone()
        };
        assert_eq!(
            Client::from_spec(&no_uri, None, &users).err(),
            Some(SandboxError::MissingRedirectUri)
        );
        let bad_uri = ClientSpec::server_based("eu", "localhost:53682");
        assert!(matches!(
            Client::from_spec(&bad_uri, None, &users),
            Err(SandboxError::InvalidRedirectUri(_))
        ));
        let bad_dc = ClientSpec::server_based("xx", "http://localhost:1/");
        assert!(matches!(
            Client::from_spec(&bad_dc, None, &users),
            Err(SandboxError::UnknownLocation(_))
        ));
    }

    #[test]
    fn self_clients_have_an_owner_and_no_multi_dc() {
        let users = seeded();
        let spec = ClientSpec {
            multi_dc: true,
            ..ClientSpec::self_client("eu", DEMO_EU_USER)
        };
        let client = Client::from_spec(&spec, None, &users).expect("valid");
        assert_eq!(client.owner_email, DEMO_EU_USER);
        assert!(!client.valid_at(Dc::Us));

        let defaulted =
            Client::from_spec(&ClientSpec::self_client("jp", ""), None, &users).expect("valid");
        assert_eq!(defaulted.owner_email, "keiri@example.jp");

        let unknown = ClientSpec::self_client("us", "nobody@example.com");
        assert!(matches!(
            Client::from_spec(&unknown, None, &users),
            Err(SandboxError::UnknownUser(_))
        ));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let users = seeded();
        let client =
            Client::from_spec(&ClientSpec::self_client("us", ""), None, &users).expect("valid");
        let creds = client.credentials();
        assert!(!format!("{creds:?}").contains(&creds.client_secret));
        assert!(!format!("{client:?}").contains(&client.secret));
    }
}
