//! The data centers the sandbox serves. Zoho keeps every account, client, code and token
//! in exactly one data center, and most real-world failures come from sending something
//! to the wrong one, so every record here carries its DC and every lookup is scoped to it.
//!
//! This table is kept apart from the core crate's on purpose: the sandbox stands in for
//! Zoho, so a mistake in the app's own data-center table must fail against it rather
//! than be mirrored by it.

use std::fmt;

/// Where the API domains live, below the sandbox's origin.
pub(crate) const API_ROOT: &str = "/api";

/// One Zoho data center, named by the `location` value Zoho puts on redirects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Dc {
    Us,
    Eu,
    In,
    Au,
    Jp,
    Ca,
    Sa,
    Uk,
    Cn,
    Ae,
}

impl Dc {
    /// Every DC, in the order Zoho's own tables list them.
    pub(crate) const ALL: [Dc; 10] = [
        Dc::Us,
        Dc::Eu,
        Dc::In,
        Dc::Au,
        Dc::Jp,
        Dc::Ca,
        Dc::Sa,
        Dc::Uk,
        Dc::Cn,
        Dc::Ae,
    ];

    /// Zoho's `location` value (`us`, `eu`, ...).
    pub(crate) fn location(self) -> &'static str {
        match self {
            Dc::Us => "us",
            Dc::Eu => "eu",
            Dc::In => "in",
            Dc::Au => "au",
            Dc::Jp => "jp",
            Dc::Ca => "ca",
            Dc::Sa => "sa",
            Dc::Uk => "uk",
            Dc::Cn => "cn",
            Dc::Ae => "ae",
        }
    }

    /// The name people know the DC by.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Dc::Us => "United States",
            Dc::Eu => "Europe",
            Dc::In => "India",
            Dc::Au => "Australia",
            Dc::Jp => "Japan",
            Dc::Ca => "Canada",
            Dc::Sa => "Saudi Arabia",
            Dc::Uk => "United Kingdom",
            Dc::Cn => "China",
            Dc::Ae => "United Arab Emirates",
        }
    }

    /// Looks a DC up by its `location` value, ignoring case and surrounding blanks.
    pub(crate) fn from_location(location: &str) -> Option<Dc> {
        let location = location.trim();
        Dc::ALL
            .into_iter()
            .find(|dc| dc.location().eq_ignore_ascii_case(location))
    }

    /// The path prefix of this DC's accounts server: empty for the US (served at the
    /// root, as `accounts.zoho.com` is where flows start), `/eu` and so on for the others.
    pub(crate) fn prefix(self) -> String {
        match self {
            Dc::Us => String::new(),
            other => format!("/{}", other.location()),
        }
    }

    /// The path prefix of this DC's API domain (`www.zohoapis.eu` at Zoho): `/api/eu`,
    /// `/api/us`... A host of its own, as far as a client can tell: the accounts routes
    /// do not answer under it, and the API routes answer nowhere else.
    pub(crate) fn api_prefix(self) -> String {
        format!("{API_ROOT}/{}", self.location())
    }

    /// China runs apart from the rest of Zoho: a consent flow for a Chinese account
    /// starts at the Chinese accounts server, and every other DC's flows start at the US
    /// one. Two DCs in the same realm can hand a user over to each other.
    pub(crate) fn realm(self) -> u8 {
        match self {
            Dc::Cn => 1,
            _ => 0,
        }
    }
}

impl fmt::Display for Dc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.location())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_round_trip_and_us_sits_at_the_root() {
        for dc in Dc::ALL {
            assert_eq!(Dc::from_location(dc.location()), Some(dc));
        }
        assert_eq!(Dc::from_location(" EU "), Some(Dc::Eu));
        assert_eq!(Dc::from_location("AE"), Some(Dc::Ae));
        assert_eq!(Dc::from_location("xx"), None);
        assert_eq!(Dc::Us.prefix(), "");
        assert_eq!(Dc::Jp.prefix(), "/jp");
        assert_eq!(Dc::Us.api_prefix(), "/api/us");
        assert_eq!(Dc::Ae.api_prefix(), "/api/ae");
        assert_ne!(Dc::Cn.realm(), Dc::Us.realm());
        assert_eq!(Dc::Eu.realm(), Dc::Us.realm());
    }
}
