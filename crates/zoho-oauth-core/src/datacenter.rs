//! Zoho runs separate data centers, each with its own accounts server, API Console and
//! API domain; an account lives in exactly one. Getting the DC wrong is the most common
//! failure people meet, so every host the app talks to comes from here, and every host
//! taken from a redirect or a token response is checked against this table.
//!
//! [`ZohoEnv`] switches between Zoho itself and the local sandbox (practice mode and
//! tests). The sandbox serves every DC from one origin: the US accounts server at the
//! root and each other DC's under `/{location}` (e.g. `http://127.0.0.1:PORT/eu`), and
//! each DC's API domain apart from its accounts server, under `/api/{location}`, as
//! `www.zohoapis.eu` is apart from `accounts.zoho.eu`.

use serde::{Deserialize, Serialize};
use url::Url;

/// A Zoho data center.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataCenter {
    /// United States (.com)
    Us,
    /// Europe (.eu)
    Eu,
    /// India (.in)
    In,
    /// Australia (.com.au)
    Au,
    /// Japan (.jp)
    Jp,
    /// Canada (zohocloud.ca)
    Ca,
    /// Saudi Arabia (.sa)
    Sa,
    /// United Kingdom (.uk)
    Uk,
    /// China (.com.cn)
    Cn,
    /// United Arab Emirates (.ae)
    Ae,
}

struct Row {
    dc: DataCenter,
    location: &'static str,
    name: &'static str,
    domain: &'static str,
    accounts: &'static str,
    api: &'static str,
    console: &'static str,
}

const TABLE: [Row; 10] = [
    Row {
        dc: DataCenter::Us,
        location: "us",
        name: "United States",
        domain: ".com",
        accounts: "https://accounts.zoho.com",
        api: "https://www.zohoapis.com",
        console: "https://api-console.zoho.com",
    },
    Row {
        dc: DataCenter::Eu,
        location: "eu",
        name: "Europe",
        domain: ".eu",
        accounts: "https://accounts.zoho.eu",
        api: "https://www.zohoapis.eu",
        console: "https://api-console.zoho.eu",
    },
    Row {
        dc: DataCenter::In,
        location: "in",
        name: "India",
        domain: ".in",
        accounts: "https://accounts.zoho.in",
        api: "https://www.zohoapis.in",
        console: "https://api-console.zoho.in",
    },
    Row {
        dc: DataCenter::Au,
        location: "au",
        name: "Australia",
        domain: ".com.au",
        accounts: "https://accounts.zoho.com.au",
        api: "https://www.zohoapis.com.au",
        console: "https://api-console.zoho.com.au",
    },
    Row {
        dc: DataCenter::Jp,
        location: "jp",
        name: "Japan",
        domain: ".jp",
        accounts: "https://accounts.zoho.jp",
        api: "https://www.zohoapis.jp",
        console: "https://api-console.zoho.jp",
    },
    Row {
        dc: DataCenter::Ca,
        location: "ca",
        name: "Canada",
        domain: "zohocloud.ca",
        accounts: "https://accounts.zohocloud.ca",
        api: "https://www.zohoapis.ca",
        console: "https://api-console.zohocloud.ca",
    },
    Row {
        dc: DataCenter::Sa,
        location: "sa",
        name: "Saudi Arabia",
        domain: ".sa",
        accounts: "https://accounts.zoho.sa",
        api: "https://www.zohoapis.sa",
        console: "https://api-console.zoho.sa",
    },
    Row {
        dc: DataCenter::Uk,
        location: "uk",
        name: "United Kingdom",
        domain: ".uk",
        accounts: "https://accounts.zoho.uk",
        api: "https://www.zohoapis.uk",
        console: "https://api-console.zoho.uk",
    },
    Row {
        dc: DataCenter::Cn,
        location: "cn",
        name: "China",
        domain: ".com.cn",
        accounts: "https://accounts.zoho.com.cn",
        api: "https://www.zohoapis.com.cn",
        console: "https://api-console.zoho.com.cn",
    },
    // Listed by Zoho WorkDrive's multi-DC page and by other clients, not by the general
    // accounts page; the console host follows the pattern of the others.
    Row {
        dc: DataCenter::Ae,
        location: "ae",
        name: "United Arab Emirates",
        domain: ".ae",
        accounts: "https://accounts.zoho.ae",
        api: "https://www.zohoapis.ae",
        console: "https://api-console.zoho.ae",
    },
];

impl DataCenter {
    /// Every data center, in the order the UI lists them.
    pub const ALL: [DataCenter; 10] = [
        DataCenter::Us,
        DataCenter::Eu,
        DataCenter::In,
        DataCenter::Au,
        DataCenter::Jp,
        DataCenter::Ca,
        DataCenter::Sa,
        DataCenter::Uk,
        DataCenter::Cn,
        DataCenter::Ae,
    ];

    fn row(self) -> &'static Row {
        TABLE
            .iter()
            .find(|r| r.dc == self)
            .expect("every DC has a row")
    }

    /// Zoho's `location` value, as sent on the redirect (`us`, `eu`, ...).
    pub fn location(self) -> &'static str {
        self.row().location
    }

    /// A plain-language name, e.g. "Europe".
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The domain a user recognises from their Zoho address bar, e.g. ".eu".
    pub fn domain(self) -> &'static str {
        self.row().domain
    }

    /// Zoho's production accounts server, e.g. `https://accounts.zoho.eu`.
    pub fn accounts_server(self) -> &'static str {
        self.row().accounts
    }

    /// Zoho's production API domain, e.g. `https://www.zohoapis.eu`.
    pub fn api_domain(self) -> &'static str {
        self.row().api
    }

    /// Zoho's production API Console, e.g. `https://api-console.zoho.eu`.
    pub fn api_console(self) -> &'static str {
        self.row().console
    }

    /// Looks up by `location` (`"eu"`), case-insensitively.
    pub fn from_location(location: &str) -> Option<Self> {
        let location = location.trim();
        TABLE
            .iter()
            .find(|r| r.location.eq_ignore_ascii_case(location))
            .map(|r| r.dc)
    }

    /// Looks up by name (`"Europe"`, `"EU"`, `"United States"`, `".com.au"`),
    /// case-insensitively.
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        TABLE
            .iter()
            .find(|r| {
                r.name.eq_ignore_ascii_case(name)
                    || r.location.eq_ignore_ascii_case(name)
                    || r.domain.eq_ignore_ascii_case(name)
            })
            .map(|r| r.dc)
    }

    /// Looks up by a production accounts-server URL (`https://accounts.zoho.eu/`).
    /// Only exact `https` origins of Zoho's accounts servers match.
    pub fn from_accounts_server(url: &str) -> Option<Self> {
        let origin = origin_of(url)?;
        TABLE.iter().find(|r| r.accounts == origin).map(|r| r.dc)
    }

    /// Recognises the data center from an address a person signs in at or copied from
    /// their browser: `books.zoho.eu`, `https://inventory.zoho.com.au/app#/home`,
    /// `crm.zohocloud.ca`, an API Console or API domain address. People do not know
    /// their "data center", but they know the address in their browser's bar.
    /// `None` when the text names no Zoho site.
    pub fn from_web_address(text: &str) -> Option<Self> {
        let text = text.trim();
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            format!("https://{text}")
        };
        let url = Url::parse(&with_scheme).ok()?;
        if !url.username().is_empty() || url.password().is_some() {
            return None;
        }
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        // The longest site first, so that `zoho.com.au` wins over `zoho.com`.
        let mut best: Option<(usize, DataCenter)> = None;
        for row in &TABLE {
            for site in sites_of(row) {
                let matches = host == site || host.ends_with(&format!(".{site}"));
                if matches && best.is_none_or(|(len, _)| site.len() > len) {
                    best = Some((site.len(), row.dc));
                }
            }
        }
        best.map(|(_, dc)| dc)
    }
}

/// The registrable domains of a data center's sites: where its accounts server lives
/// (`zoho.eu`, `zohocloud.ca`) and where its APIs live (`zohoapis.eu`).
fn sites_of(row: &Row) -> [&'static str; 2] {
    let after_first_label = |url: &'static str| {
        let host = url.trim_start_matches("https://");
        host.split_once('.').map_or(host, |(_, rest)| rest)
    };
    [after_first_label(row.accounts), after_first_label(row.api)]
}

/// The scheme, host and port of `url`, with any path, query or trailing slash removed;
/// `None` for anything that is not an absolute http(s) URL with a host.
fn origin_of(url: &str) -> Option<String> {
    let parsed = Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return None;
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return None;
    }
    Some(parsed.origin().ascii_serialization())
}

/// Where the app talks to: Zoho itself, or the local sandbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum ZohoEnv {
    /// Zoho's real servers.
    Production,
    /// The local sandbox at `base` (e.g. `http://127.0.0.1:8765`).
    Sandbox {
        /// The sandbox's origin.
        base: String,
    },
}

/// The URLs of one data center in one environment, without trailing slashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    /// The data center these belong to.
    pub dc: DataCenter,
    /// Accounts server: `/oauth/v2/auth`, `/oauth/v2/token`, ... hang off it.
    pub accounts: String,
    /// Where API calls go unless a token response names another trusted domain.
    pub api_domain: String,
    /// The API Console, where clients are registered and Self Client codes generated.
    pub api_console: String,
}

impl ZohoEnv {
    /// A sandbox environment at `base` (trailing slash optional).
    pub fn sandbox(base: impl Into<String>) -> Self {
        ZohoEnv::Sandbox {
            base: base.into().trim_end_matches('/').to_owned(),
        }
    }

    /// True for the sandbox.
    pub fn is_sandbox(&self) -> bool {
        matches!(self, ZohoEnv::Sandbox { .. })
    }

    /// The sandbox's host when it is not on this computer. The sandbox speaks plain
    /// http, so secrets may only travel to it over loopback; `None` for production and
    /// for a loopback sandbox.
    pub fn non_local_sandbox_host(&self) -> Option<String> {
        let ZohoEnv::Sandbox { base } = self else {
            return None;
        };
        let host = Url::parse(base)
            .ok()
            .and_then(|u| u.host().map(|h| h.to_owned()));
        match host {
            Some(url::Host::Ipv4(ip)) if ip.is_loopback() => None,
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => None,
            Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => None,
            Some(other) => Some(other.to_string()),
            None => Some(base.clone()),
        }
    }

    fn sandbox_dc_base(base: &str, dc: DataCenter) -> String {
        let base = base.trim_end_matches('/');
        match dc {
            DataCenter::Us => base.to_owned(),
            other => format!("{base}/{}", other.location()),
        }
    }

    /// The URLs of `dc` in this environment.
    pub fn endpoints(&self, dc: DataCenter) -> Endpoints {
        match self {
            ZohoEnv::Production => Endpoints {
                dc,
                accounts: dc.accounts_server().to_owned(),
                api_domain: dc.api_domain().to_owned(),
                api_console: dc.api_console().to_owned(),
            },
            ZohoEnv::Sandbox { base } => {
                let dc_base = Self::sandbox_dc_base(base, dc);
                Endpoints {
                    dc,
                    accounts: dc_base.clone(),
                    api_domain: format!("{}/api/{}", base.trim_end_matches('/'), dc.location()),
                    api_console: format!("{dc_base}/console"),
                }
            }
        }
    }

    /// The accounts server a consent flow starts at: Zoho sends the user on to their own
    /// DC. Every DC starts at the US server except China, which is separate.
    pub fn consent_start(&self, dc: DataCenter) -> Endpoints {
        match dc {
            DataCenter::Cn => self.endpoints(DataCenter::Cn),
            _ => self.endpoints(DataCenter::Us),
        }
    }

    /// Which DC an `accounts-server` value (from a redirect) belongs to in this
    /// environment; `None` for any host that is not one of its accounts servers, which
    /// callers must refuse rather than send a code or token to.
    pub fn dc_for_accounts_server(&self, url: &str) -> Option<DataCenter> {
        let wanted = normalize(url)?;
        DataCenter::ALL
            .into_iter()
            .find(|dc| normalize(&self.endpoints(*dc).accounts).as_deref() == Some(&wanted))
    }

    /// True when `api_domain` (from a token response) is the API domain of `dc` in this
    /// environment, so that a token may be sent there.
    pub fn is_trusted_api_domain(&self, dc: DataCenter, api_domain: &str) -> bool {
        normalize(api_domain).is_some_and(|d| Some(d) == normalize(&self.endpoints(dc).api_domain))
    }
}

/// An http(s) URL reduced to origin plus path, without a trailing slash, query or
/// fragment, so that `https://accounts.zoho.eu/` and `https://accounts.zoho.eu` compare
/// equal but `https://accounts.zoho.eu.evil.example` does not.
fn normalize(url: &str) -> Option<String> {
    let origin = origin_of(url)?;
    let parsed = Url::parse(url.trim()).ok()?;
    let path = parsed.path().trim_end_matches('/');
    Some(format!("{origin}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dc_has_distinct_https_hosts() {
        let mut seen = std::collections::HashSet::new();
        for dc in DataCenter::ALL {
            for url in [dc.accounts_server(), dc.api_domain(), dc.api_console()] {
                assert!(url.starts_with("https://"), "{url}");
                assert!(seen.insert(url), "duplicate {url}");
            }
        }
    }

    #[test]
    fn lookups_by_location_name_and_server() {
        assert_eq!(DataCenter::from_location("EU"), Some(DataCenter::Eu));
        assert_eq!(DataCenter::from_location("xx"), None);
        assert_eq!(DataCenter::from_name("Australia"), Some(DataCenter::Au));
        assert_eq!(DataCenter::from_name(".com.au"), Some(DataCenter::Au));
        assert_eq!(DataCenter::from_name("uk"), Some(DataCenter::Uk));
        assert_eq!(
            DataCenter::from_accounts_server("https://accounts.zohocloud.ca/"),
            Some(DataCenter::Ca)
        );
        assert_eq!(
            DataCenter::from_accounts_server("http://accounts.zoho.eu"),
            None
        );
        assert_eq!(
            DataCenter::from_accounts_server("https://accounts.zoho.eu.evil.example"),
            None
        );
        assert_eq!(
            DataCenter::from_accounts_server("https://user@accounts.zoho.eu"),
            None
        );
    }

    #[test]
    fn the_address_people_sign_in_at_names_their_data_center() {
        for (address, dc) in [
            ("books.zoho.eu", DataCenter::Eu),
            (
                "https://books.zoho.com/app/60012345#/home/dashboard",
                DataCenter::Us,
            ),
            ("https://inventory.zoho.com.au/app#/home", DataCenter::Au),
            ("  crm.zohocloud.ca ", DataCenter::Ca),
            ("https://www.zohoapis.ca/crm/v8/org", DataCenter::Ca),
            ("accounts.zoho.com.cn", DataCenter::Cn),
            ("https://api-console.zoho.in/", DataCenter::In),
            ("mail.zoho.jp", DataCenter::Jp),
            ("BOOKS.ZOHO.UK", DataCenter::Uk),
            ("books.zoho.sa", DataCenter::Sa),
            ("books.zoho.ae", DataCenter::Ae),
            ("zoho.eu", DataCenter::Eu),
        ] {
            assert_eq!(DataCenter::from_web_address(address), Some(dc), "{address}");
        }
        for other in [
            "",
            "books",
            "https://books.zoho.eu.evil.example",
            "notzoho.com",
            "https://example.com/?books.zoho.eu",
            "mailto:someone@zoho.eu",
        ] {
            assert_eq!(DataCenter::from_web_address(other), None, "{other}");
        }
    }

    #[test]
    fn consent_starts_at_us_except_china() {
        let env = ZohoEnv::Production;
        assert_eq!(
            env.consent_start(DataCenter::Eu).accounts,
            "https://accounts.zoho.com"
        );
        assert_eq!(
            env.consent_start(DataCenter::Cn).accounts,
            "https://accounts.zoho.com.cn"
        );
    }

    #[test]
    fn sandbox_serves_us_at_root_and_others_under_location() {
        let env = ZohoEnv::sandbox("http://127.0.0.1:9000/");
        assert_eq!(
            env.endpoints(DataCenter::Us).accounts,
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            env.endpoints(DataCenter::Eu).accounts,
            "http://127.0.0.1:9000/eu"
        );
        assert_eq!(
            env.endpoints(DataCenter::Eu).api_console,
            "http://127.0.0.1:9000/eu/console"
        );
        assert_eq!(
            env.endpoints(DataCenter::Eu).api_domain,
            "http://127.0.0.1:9000/api/eu"
        );
        assert_eq!(
            env.endpoints(DataCenter::Us).api_domain,
            "http://127.0.0.1:9000/api/us"
        );
        assert!(env.is_trusted_api_domain(DataCenter::Eu, "http://127.0.0.1:9000/api/eu/"));
        // An accounts server is not an API domain, even of the same DC.
        assert!(!env.is_trusted_api_domain(DataCenter::Eu, "http://127.0.0.1:9000/eu"));
        assert!(!env.is_trusted_api_domain(DataCenter::Us, "http://127.0.0.1:9000"));
        assert_eq!(
            env.dc_for_accounts_server("http://127.0.0.1:9000/api/eu"),
            None
        );
        assert_eq!(
            env.dc_for_accounts_server("http://127.0.0.1:9000/eu/"),
            Some(DataCenter::Eu)
        );
        assert_eq!(
            env.dc_for_accounts_server("http://127.0.0.1:9000"),
            Some(DataCenter::Us)
        );
        assert_eq!(env.dc_for_accounts_server("http://127.0.0.1:9001/eu"), None);
        assert_eq!(env.dc_for_accounts_server("https://accounts.zoho.eu"), None);
    }

    #[test]
    fn only_a_loopback_sandbox_is_local() {
        assert_eq!(ZohoEnv::Production.non_local_sandbox_host(), None);
        for local in [
            "http://127.0.0.1:9000",
            "http://[::1]:9000",
            "http://localhost:1",
        ] {
            assert_eq!(
                ZohoEnv::sandbox(local).non_local_sandbox_host(),
                None,
                "{local}"
            );
        }
        assert_eq!(
            ZohoEnv::sandbox("http://192.168.1.20:8765").non_local_sandbox_host(),
            Some("192.168.1.20".into())
        );
        assert_eq!(
            ZohoEnv::sandbox("http://sandbox.example.com").non_local_sandbox_host(),
            Some("sandbox.example.com".into())
        );
        assert!(ZohoEnv::sandbox("not a url")
            .non_local_sandbox_host()
            .is_some());
    }

    #[test]
    fn production_refuses_foreign_accounts_servers_and_api_domains() {
        let env = ZohoEnv::Production;
        assert_eq!(
            env.dc_for_accounts_server("https://accounts.zoho.eu"),
            Some(DataCenter::Eu)
        );
        assert_eq!(
            env.dc_for_accounts_server("https://accounts.zoho.evil.com"),
            None
        );
        assert_eq!(
            env.dc_for_accounts_server("https://evil.example/?https://accounts.zoho.com"),
            None
        );
        assert!(env.is_trusted_api_domain(DataCenter::Eu, "https://www.zohoapis.eu"));
        assert!(!env.is_trusted_api_domain(DataCenter::Eu, "https://accounts.zoho.eu"));
        assert!(env.is_trusted_api_domain(DataCenter::Ae, "https://www.zohoapis.ae"));
        assert_eq!(
            env.dc_for_accounts_server("https://accounts.zoho.ae"),
            Some(DataCenter::Ae)
        );
        assert!(!env.is_trusted_api_domain(DataCenter::Eu, "https://www.zohoapis.com"));
        assert!(!env.is_trusted_api_domain(DataCenter::Us, "https://www.zohoapis.com.evil.io"));
    }
}
