//! Secrets (client secrets, grant codes, access and refresh tokens) live in types that
//! print as `[redacted]` in `Debug` and `Display`, wipe their memory on drop, and can be
//! serialized only through an explicit opt-in (`#[serde(with = "secret::expose")]`), so
//! that a secret cannot reach a log, an error message or the UI by accident.

use std::fmt;

use serde::{Deserialize, Deserializer};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A string whose contents are secret.
#[derive(Clone, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps `value`; the caller's copy is moved in, not duplicated.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret itself. Call only where the value must leave the process (an HTTP
    /// body, the encrypted vault) or where the user asked to see it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// Declares a named secret type so that a client secret cannot be passed where a
/// refresh token is expected.
macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop, Deserialize)]
        #[serde(transparent)]
        pub struct $name(SecretString);

        impl $name {
            /// Wraps `value`.
            pub fn new(value: impl Into<String>) -> Self {
                Self(SecretString::new(value.into()))
            }

            /// The secret itself; see [`SecretString::expose`].
            pub fn expose(&self) -> &str {
                self.0.expose()
            }

            /// True when the secret is the empty string.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.expose()
            }
        }
    };
}

secret_type!(
    /// The Client Secret Zoho's API Console shows for a registered client.
    ClientSecret
);
secret_type!(
    /// A single-use grant code from the consent page or a Self Client.
    GrantCode
);
secret_type!(
    /// A short-lived token sent as `Authorization: Zoho-oauthtoken ...`.
    AccessToken
);
secret_type!(
    /// A long-lived token that mints access tokens until revoked.
    RefreshToken
);
secret_type!(
    /// A PKCE code verifier, kept until the code is exchanged.
    PkceVerifier
);
secret_type!(
    /// The device flow's device code: whoever holds it collects the tokens once the
    /// person approves, so it never leaves the app (the person sees the user code).
    DeviceCode
);
secret_type!(
    /// A short-lived, single-use token from `scopeenhance` that lets Zoho's page add
    /// scopes to one refresh token.
    EnhanceToken
);

impl AsRef<str> for SecretString {
    fn as_ref(&self) -> &str {
        self.expose()
    }
}

/// Opt-in serialization that writes the secret in clear. Use only for payloads that are
/// encrypted before they touch disk: `#[serde(with = "zoho_oauth_core::secret::expose")]`.
pub mod expose {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the secret's value.
    pub fn serialize<T: AsRef<str>, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.as_ref())
    }

    /// Reads the secret's value.
    pub fn deserialize<'de, T: From<String>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        String::deserialize(d).map(T::from)
    }
}

/// Like [`expose`], for an optional secret.
pub mod expose_option {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the secret's value, or `null`.
    pub fn serialize<T: AsRef<str>, S: Serializer>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_some(v.as_ref()),
            None => s.serialize_none(),
        }
    }

    /// Reads the secret's value, or `None`.
    pub fn deserialize<'de, T: From<String>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<String>::deserialize(d).map(|o| o.map(T::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = ClientSecret::new("fb01abcdef-very-secret");
        let token = RefreshToken::new("1000.abc.def");
        for text in [
            format!("{secret:?}"),
            format!("{secret}"),
            format!("{token:?}"),
            format!("{token:#?}"),
            format!("{:?}", SecretString::from("plain")),
        ] {
            assert!(
                !text.contains("secret") || text.contains("Secret("),
                "{text}"
            );
            assert!(!text.contains("fb01"), "{text}");
            assert!(!text.contains("1000.abc"), "{text}");
            assert!(!text.contains("plain"), "{text}");
            assert!(text.contains("[redacted]"), "{text}");
        }
        assert_eq!(secret.expose(), "fb01abcdef-very-secret");
    }

    #[test]
    fn secrets_inside_structs_stay_redacted() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Pair {
            id: &'static str,
            secret: ClientSecret,
        }
        let pair = Pair {
            id: "1000.ID",
            secret: ClientSecret::new("topsecretvalue"),
        };
        let text = format!("{pair:?}");
        assert!(text.contains("1000.ID"));
        assert!(!text.contains("topsecretvalue"));
    }

    #[test]
    fn expose_serializes_only_on_request() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Stored {
            #[serde(with = "expose")]
            token: RefreshToken,
            #[serde(with = "expose_option")]
            access: Option<AccessToken>,
        }
        let json = serde_json::to_string(&Stored {
            token: RefreshToken::new("1000.r.t"),
            access: Some(AccessToken::new("1000.a.t")),
        })
        .unwrap();
        assert_eq!(json, r#"{"token":"1000.r.t","access":"1000.a.t"}"#);
        let back: Stored = serde_json::from_str(&json).unwrap();
        assert_eq!(back.token.expose(), "1000.r.t");
        assert_eq!(back.access.unwrap().expose(), "1000.a.t");
    }
}
