//! What every error of this crate can tell a person who has never heard of OAuth.
//!
//! The UI branches on [`UserFacing::kind`], never on message text, and shows
//! [`UserFacing::hint`] as the next step. No message or hint may contain a secret: every
//! text here is built from Zoho's error *codes*, host names, ports and data-center names,
//! never from a response body, which could echo a token or a secret back.

use std::time::Duration;

use crate::datacenter::DataCenter;

/// An error that can be shown to the user as `{ kind, message, hint }`.
pub trait UserFacing: std::error::Error {
    /// A stable machine-readable identifier, e.g. `"code_expired"`.
    fn kind(&self) -> &'static str;
    /// What the user should do next, in plain words.
    fn hint(&self) -> String;
}

/// The result type of the consent flow, the token client and the API test call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between opening Zoho's consent page and the first API
/// calls that prove the connection works.
///
/// `Display` is the plain-language message; [`UserFacing::hint`] is the next step.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token endpoint answered `invalid_code` to a code exchange: grant codes live
    /// 60 seconds (consent page) or a few minutes (Self Client) and work once.
    #[error("Zoho did not accept the code: it has expired or was already used.")]
    CodeExpiredOrUsed,

    /// The token endpoint answered `invalid_code` to a refresh: the refresh token was
    /// revoked, removed from Connected Apps, or pushed out by a 21st newer one.
    #[error("Zoho no longer accepts this connection's refresh token: it was revoked or replaced by newer ones.")]
    RefreshTokenRevoked,

    /// `invalid_client`: Zoho does not know this Client ID at this data center.
    #[error("Zoho's {} data center does not recognise this Client ID.", dc.name())]
    InvalidClient {
        /// The data center that was asked.
        dc: DataCenter,
    },

    /// `invalid_client_secret`.
    #[error("Zoho did not accept the Client Secret for this Client ID.")]
    InvalidClientSecret,

    /// `invalid_redirect_uri`: the URI differs from the one registered for the client.
    #[error(
        "Zoho says the redirect URI {redirect_uri} is not the one registered for this client."
    )]
    RedirectUriMismatch {
        /// The redirect URI the app used (not secret).
        redirect_uri: String,
    },

    /// The account lives in another data center than the one the client is valid in,
    /// or Zoho pointed at another data center's host than the one in use.
    #[error("Your Zoho account is in the {} data center, but this client only works in {}.", account_dc.name(), client_dc.name())]
    WrongDataCenter {
        /// Where the client is registered (or the connection was made).
        client_dc: DataCenter,
        /// Where the account lives (or the host Zoho named belongs).
        account_dc: DataCenter,
    },

    /// A host taken from a redirect or a token response is not one of Zoho's hosts for
    /// the data center in use; nothing was sent to it.
    #[error("The app refused to contact {host}, because it is not a Zoho server it trusts.")]
    UntrustedHost {
        /// The host name (never a full URL, which could carry parameters).
        host: String,
    },

    /// Zoho's throttling answer ("too many requests continuously").
    #[error("Zoho is refusing new access tokens for now: it allows about 10 per refresh token in 10 minutes, and more were asked for.")]
    RateLimited,

    /// Zoho's throttling answer to a code exchange: about 10 per client in 10 minutes.
    #[error("Zoho is refusing to exchange codes for this client for now: it allows about 10 in 10 minutes, and more were tried.")]
    CodeExchangesLimited,

    /// The request never reached Zoho (no connection, DNS failure, refused).
    #[error("Could not reach Zoho.")]
    Network {
        /// What the HTTP library reported (without the URL).
        #[source]
        source: reqwest::Error,
    },

    /// The secure connection was refused because the certificate shown was not one this
    /// computer trusts: most often a company proxy or antivirus program that inspects
    /// secure connections and whose root certificate is not installed. Nothing was sent.
    #[error("The app refused the secure connection to Zoho ({host}), because the certificate it was shown is not one this computer trusts.")]
    CertificateRefused {
        /// The Zoho host that was asked for (never a full URL).
        host: String,
        /// The host of the proxy secure connections are set to go through, if any (never
        /// its user name or password).
        proxy: Option<String>,
        /// What the HTTP library reported (without the URL).
        #[source]
        source: reqwest::Error,
    },

    /// The connection broke off before Zoho's answer was complete.
    #[error("The connection to Zoho broke off before it answered.")]
    ConnectionLost {
        /// What the HTTP library reported (without the URL).
        #[source]
        source: reqwest::Error,
    },

    /// Zoho did not answer in time.
    #[error("Zoho did not answer within {} seconds.", after.as_secs_f32())]
    Timeout {
        /// The time limit that was reached.
        after: Duration,
    },

    /// Zoho answered with an HTTP 5xx status.
    #[error("Zoho's servers are having trouble right now (HTTP {status}).")]
    ZohoUnavailable {
        /// The HTTP status.
        status: u16,
    },

    /// The answer was not the JSON Zoho sends, or lacked a field it always has.
    #[error("Zoho's answer could not be understood (HTTP {status}).")]
    UnreadableResponse {
        /// The HTTP status.
        status: u16,
    },

    /// The user pressed "Deny" on Zoho's consent page.
    #[error("Access was not granted: \"Deny\" was chosen on Zoho's page.")]
    AccessDenied,

    /// The redirect's `state` did not match the one this app sent.
    #[error("The answer that came back to the app does not belong to the sign-in it started, so it was ignored.")]
    StateMismatch,

    /// The redirect reached the listener without a code (and without an error).
    #[error("Zoho's answer reached the app without a code.")]
    MissingCode,

    /// The fixed redirect port is taken by another program.
    #[error("Port {port} on this computer is already in use by another program, so the app cannot receive Zoho's answer.")]
    PortInUse {
        /// The port.
        port: u16,
    },

    /// The listener could not be started for another reason.
    #[error("The app could not listen on port {port} for Zoho's answer ({reason}).")]
    ListenerFailed {
        /// The port.
        port: u16,
        /// The operating system's reason.
        reason: std::io::ErrorKind,
    },

    /// Nobody came back from the consent page in time.
    #[error("No answer came back from Zoho's page within {} minutes.{}", waited_minutes(*waited), refused_note(*refused))]
    ListenerTimeout {
        /// How long the listener waited.
        waited: Duration,
        /// The redirect URI Zoho was asked to send the browser to.
        redirect_uri: String,
        /// Requests that reached the listener meanwhile but were refused because they
        /// did not belong to this sign-in (another `state`, none, or an ambiguous query).
        refused: u32,
    },

    /// The sign-in was cancelled from the app.
    #[error("The sign-in was cancelled.")]
    Cancelled,

    /// The API refused the access token (Books code 14, `INVALID_TOKEN`, "Invalid
    /// OAuth token", "Invalid AuthToken").
    #[error("Zoho did not accept the access token.")]
    InvalidAccessToken,

    /// The API refused because a scope is missing (Books code 57, CRM
    /// `OAUTH_SCOPE_MISMATCH`, the accounts server's `INVALID_OAUTHSCOPE`).
    #[error("This connection is not allowed to do that: add the scope {scope} and connect again.")]
    MissingScope {
        /// The scope to add: the one the refused call needs, spelled as its product
        /// documents it.
        scope: &'static str,
    },

    /// The product says the connected Zoho user has no account in it (CRM's
    /// `NO_CRM_ACCOUNT`).
    #[error("The Zoho user of this connection has no {product} account in this data center.")]
    NoProductAccount {
        /// The product, e.g. "Zoho CRM".
        product: &'static str,
    },

    /// The connection holds the scope, but the product refused to act in the
    /// organization named: it is not one of the connected user's.
    #[error("{product} refused to work in organization {organization_id}: the connected Zoho user does not belong to it.")]
    OrganizationRefused {
        /// The product, e.g. "Zoho Books".
        product: &'static str,
        /// The organization id that was named (reduced to a safe string).
        organization_id: String,
    },

    /// A token answer came without a refresh token.
    #[error("Zoho sent an access token but no refresh token.")]
    NoRefreshToken,

    /// The redirect URI settings are not usable (a path with a query, a port of 0, ...).
    #[error("The redirect address {value:?} cannot be used: {reason}.")]
    InvalidRedirectSetting {
        /// The rejected value.
        value: String,
        /// Why, in plain words.
        reason: &'static str,
    },

    /// The HTTP client could not be set up (no TLS support on this system).
    #[error("The app could not set up secure connections on this computer.")]
    HttpClientSetup {
        /// What the HTTP library reported.
        #[source]
        source: reqwest::Error,
    },

    /// The device flow's code ran out before anyone approved it (`expired`).
    #[error("The code shown for approval has expired before it was approved.")]
    DeviceCodeExpired,

    /// The person chose "Deny" on Zoho's page for the device flow's code
    /// (`access_denied`).
    #[error("Access was not granted: \"Deny\" was chosen on Zoho's page for the code.")]
    DeviceAccessDenied,

    /// Zoho refuses the device flow for this client (`unauthorized_client`): it was not
    /// registered as a "Non-browser based application".
    #[error("This client cannot use approval on another device: Zoho only allows that for a client of type \"Non-browser based application\".")]
    NotADeviceClient,

    /// Zoho sent the device flow to a data center this app does not know, or back and
    /// forth between data centers.
    #[error("Zoho sent the approval to a data center this app cannot follow ({location}).")]
    DeviceDataCenterUnknown {
        /// The `user_location` Zoho named (reduced to a safe string).
        location: String,
    },
    /// `unauthorized_client` from `scopeenhance`: the client (a Self Client) cannot add
    /// scopes to its refresh tokens.
    #[error("Zoho does not let this kind of connection gain permissions: it was made with a Self Client.")]
    ScopesCannotBeAdded,

    /// Zoho answered with an error code this app does not know.
    #[error("Zoho answered with an error this app does not know: {code}.")]
    Unexpected {
        /// Zoho's error code (not secret; reduced to a short safe string).
        code: String,
    },

    /// `missing_org_info`: a client-credentials request named no organization.
    #[error("Zoho needs to know which organization the token is for.")]
    MissingOrgInfo,

    /// `invalid_org_info` (the sandbox's word; see its README): the organization named
    /// for a client-credentials token is not one of the Self Client owner's.
    #[error("Zoho did not accept organization {organization_id} for this Self Client.")]
    OrgInfoRefused {
        /// The organization id that was named (reduced to a safe string).
        organization_id: String,
    },

    /// `unauthorized_client`: this kind of client may not use the way asked for
    /// (client credentials from a client that is not a Self Client).
    #[error("Zoho does not allow this kind of client to get a token this way.")]
    ClientTypeRefused,

    /// `invalid_scope`: Zoho did not accept the permissions asked for.
    #[error("Zoho did not accept the permissions asked for.")]
    ScopeRefused,

    /// `error=unauthorized_user` on the organization-level consent's redirect: the
    /// person who signed in is no owner or admin of a Zoho Payments account.
    #[error("Only the owner or an admin of the Zoho Payments account can allow this, and the Zoho user who signed in is neither.")]
    NotPaymentsAdmin,
}

fn refused_note(refused: u32) -> String {
    match refused {
        0 => String::new(),
        1 => " Meanwhile 1 request that did not belong to this sign-in was refused.".to_owned(),
        n => format!(" Meanwhile {n} requests that did not belong to this sign-in were refused."),
    }
}

fn waited_minutes(waited: Duration) -> String {
    let minutes = waited.as_secs_f64() / 60.0;
    if minutes >= 1.0 && minutes.fract() == 0.0 {
        format!("{minutes:.0}")
    } else {
        format!("{minutes:.1}")
    }
}

impl UserFacing for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::CodeExpiredOrUsed => "code_expired_or_used",
            Error::RefreshTokenRevoked => "refresh_token_revoked",
            Error::InvalidClient { .. } => "invalid_client",
            Error::InvalidClientSecret => "invalid_client_secret",
            Error::RedirectUriMismatch { .. } => "redirect_uri_mismatch",
            Error::WrongDataCenter { .. } => "wrong_data_center",
            Error::UntrustedHost { .. } => "untrusted_host",
            Error::RateLimited => "rate_limited",
            Error::CodeExchangesLimited => "code_exchanges_limited",
            Error::Network { .. } => "network",
            Error::CertificateRefused { .. } => "certificate_refused",
            Error::ConnectionLost { .. } => "connection_lost",
            Error::Timeout { .. } => "timeout",
            Error::ZohoUnavailable { .. } => "zoho_unavailable",
            Error::UnreadableResponse { .. } => "unreadable_response",
            Error::AccessDenied => "access_denied",
            Error::StateMismatch => "state_mismatch",
            Error::MissingCode => "missing_code",
            Error::PortInUse { .. } => "port_in_use",
            Error::ListenerFailed { .. } => "listener_failed",
            Error::ListenerTimeout { .. } => "listener_timeout",
            Error::Cancelled => "cancelled",
            Error::InvalidAccessToken => "invalid_access_token",
            Error::MissingScope { .. } => "missing_scope",
            Error::NoProductAccount { .. } => "no_product_account",
            Error::OrganizationRefused { .. } => "organization_refused",
            Error::NoRefreshToken => "no_refresh_token",
            Error::InvalidRedirectSetting { .. } => "invalid_redirect_setting",
            Error::HttpClientSetup { .. } => "http_client_setup",
            Error::DeviceCodeExpired => "device_code_expired",
            Error::DeviceAccessDenied => "device_access_denied",
            Error::NotADeviceClient => "not_a_device_client",
            Error::DeviceDataCenterUnknown { .. } => "device_data_center_unknown",
            Error::Unexpected { .. } => "unexpected",
            Error::MissingOrgInfo => "missing_org_info",
            Error::OrgInfoRefused { .. } => "org_info_refused",
            Error::ClientTypeRefused => "client_type_refused",
            Error::ScopeRefused => "scope_refused",
            Error::NotPaymentsAdmin => "not_payments_admin",
            Error::ScopesCannotBeAdded => "scopes_cannot_be_added",
        }
    }

    fn hint(&self) -> String {
        match self {
            Error::CodeExpiredOrUsed => "Get a new code and use it straight away: a code from \
                Zoho's consent page works for 60 seconds, one from a Self Client for the \
                minutes chosen in the API Console, and each code works only once."
                .into(),
            Error::RefreshTokenRevoked => "Connect again to get a new refresh token. Zoho keeps \
                at most 20 refresh tokens per user and client and silently deletes the oldest \
                when a 21st is made; revoking, removing the app from Connected Apps or \
                deleting the client also ends it."
                .into(),
            Error::InvalidClient { dc } => format!(
                "Most often the data center is wrong: check that your Zoho account is in {} \
                 ({}) and that the client was created in that data center's API Console. \
                 Otherwise, copy the Client ID again from the API Console.",
                dc.name(),
                dc.domain()
            ),
            Error::InvalidClientSecret => "Copy the Client Secret again from the client's \
                \"Client Secret\" tab in Zoho's API Console, and make sure it belongs to the \
                same client as the Client ID."
                .into(),
            Error::RedirectUriMismatch { redirect_uri } => format!(
                "In Zoho's API Console, open the client and set its Authorized Redirect URI to \
                 exactly {redirect_uri} (same port, same path, \"localhost\" not 127.0.0.1)."
            ),
            Error::WrongDataCenter {
                client_dc,
                account_dc,
            } => format!(
                "Either turn on \"Multi-DC\" in the client's Settings tab in the {} API Console \
                 ({}) and enable {}, or create the client in the {} API Console ({}) instead.",
                client_dc.name(),
                client_dc.api_console(),
                account_dc.name(),
                account_dc.name(),
                account_dc.api_console()
            ),
            Error::UntrustedHost { .. } => "Nothing was sent to it. Start the connection again; \
                if this keeps happening, something on this computer or network may be \
                tampering with the sign-in."
                .into(),
            Error::RateLimited => "Wait 15 minutes before trying again (Zoho sometimes \
                blocks for up to 30), and do not retry in the meantime: every attempt while \
                blocked can extend the wait."
                .into(),
            Error::CodeExchangesLimited => "Wait 15 minutes (Zoho sometimes blocks for up \
                to 30) without trying, then generate one new code and exchange it once."
                .into(),
            Error::Network { .. } => "Check this computer's internet connection (and proxy or \
                firewall, if any), then try again."
                .into(),
            Error::CertificateRefused { proxy, .. } => {
                let culprit = match proxy {
                    Some(proxy) => format!(
                        "The company proxy this computer is set to use ({proxy}), or an \
                         antivirus program, probably inspects secure connections"
                    ),
                    None => "A company proxy or an antivirus program that inspects secure \
                             connections is probably in the way"
                        .to_owned(),
                };
                format!(
                    "{culprit}; nothing was sent to Zoho. Ask your IT department to install \
                     the proxy's root certificate in this computer's system certificate \
                     store, or connect from another network. If this computer's date and \
                     time are wrong, correct them first."
                )
            }
            Error::ConnectionLost { .. } => "Try again in a moment. If this happened while \
                exchanging a code, the code may already be used up: get a new one."
                .into(),
            Error::Timeout { .. } => "Check the internet connection and try again in a moment. \
                If it happened while exchanging a code, get a new code first."
                .into(),
            Error::ZohoUnavailable { .. } => "Wait a few minutes and try again; nothing was \
                changed on this computer."
                .into(),
            Error::UnreadableResponse { .. } => "Try again in a moment. If it keeps happening, \
                a proxy or security program may be changing Zoho's answers."
                .into(),
            Error::AccessDenied => "Start again and press \"Accept\" on Zoho's page if you want \
                this app to be connected."
                .into(),
            Error::StateMismatch => "Start the connection again from the app and finish it in \
                the browser tab the app opens."
                .into(),
            Error::MissingCode => "Start the connection again from the app.".into(),
            Error::PortInUse { port } => format!(
                "Close the program using port {port} (often another copy of this app, or a \
                 sign-in left open), then try again. If that program must keep the port, the \
                 assistant can use another one (\"Settings for unusual set-ups\" in its \
                 README); the redirect URI registered in Zoho's API Console must then name it."
            ),
            Error::ListenerFailed { port, .. } => format!(
                "Check that a firewall or security program allows this app to listen on \
                 localhost port {port}, or have the assistant use another port (\"Settings for \
                 unusual set-ups\" in its README) and register that redirect URI in Zoho's \
                 API Console."
            ),
            Error::ListenerTimeout {
                redirect_uri,
                refused,
                ..
            } => {
                let mut hint = format!(
                    "Start the connection again and finish it in the browser within the time \
                     allowed. If Zoho's page said the redirect URI is invalid, set the client's \
                     Authorized Redirect URI to exactly {redirect_uri} in Zoho's API Console."
                );
                if *refused > 0 {
                    hint.push_str(
                        " If you did not open the refused addresses yourself, another program \
                         or web page on this computer may be trying to interfere: close other \
                         browser tabs before you try again.",
                    );
                }
                hint
            }
            Error::Cancelled => "Start again whenever you are ready.".into(),
            Error::InvalidAccessToken => "The access token may have expired, been revoked, or \
                belong to another data center: refresh the connection, and if that does not \
                help, check the data center and connect again."
                .into(),
            Error::MissingScope { scope } => format!(
                "Add the scope {scope} to this connection's permissions and connect again; \
                 Zoho only grants the scopes asked for at sign-in."
            ),
            Error::NoProductAccount { product } => format!(
                "Sign in to {product} in the browser with the same Zoho user to check it \
                 is set up there, in this data center; or connect again with the Zoho user \
                 who has the {product} account."
            ),
            Error::OrganizationRefused { .. } => "Choose one of the organizations the \
                connection test listed, or connect again with the Zoho user who belongs to \
                that organization."
                .into(),
            Error::NoRefreshToken => "Connect again: the app asks for offline access with a \
                fresh consent, which makes Zoho send a refresh token."
                .into(),
            Error::InvalidRedirectSetting { .. } => "Use a port between 1024 and 65535 and a \
                path starting with \"/\", without \"?\" or \"#\"."
                .into(),
            Error::HttpClientSetup { .. } => "Restart the app; if it keeps happening, reinstall \
                it."
            .into(),
            Error::DeviceCodeExpired => "Start again to get a new code, and approve it on Zoho's \
                page before the countdown ends."
                .into(),
            Error::DeviceAccessDenied => "Start again and press \"Approve\" on Zoho's page if \
                you want this app to be connected."
                .into(),
            Error::NotADeviceClient => "In Zoho's API Console, add a client of type \
                \"Non-browser based application\" and use its Client ID and Client Secret, or \
                choose another way to connect."
                .into(),
            Error::DeviceDataCenterUnknown { .. } => "Choose the data center your Zoho account \
                is in and start again."
                .into(),
            Error::Unexpected { .. } => "Try again in a moment. If it keeps happening, note the \
                error shown and contact support."
                .into(),
            Error::MissingOrgInfo => "Type the organization's ID: Zoho Books shows it under \
                Settings, Organization Profile."
                .into(),
            Error::OrgInfoRefused { .. } => "Check the organization ID: it must be one of the \
                organizations of the Zoho user who created the Self Client, in this product \
                and data center."
                .into(),
            Error::ClientTypeRefused => "Use a Self Client for this: in the API Console, add a \
                Self Client and paste its Client ID and Secret."
                .into(),
            Error::ScopeRefused => "Go back to the permissions and check each one; a custom \
                permission may be mistyped."
                .into(),
            Error::NotPaymentsAdmin => "Ask the owner of the Zoho Payments account, or one of \
                its admins, to approve instead: start again and let them sign in on the page \
                that opens."
                .into(),
            Error::ScopesCannotBeAdded => "Use Regenerate to get a new refresh token with the \
                permissions you need; it is made with the same Self Client."
                .into(),
        }
    }
}

/// The host of a URL that was refused, for a message: never the whole URL, whose path or
/// query could carry parameters.
pub(crate) fn host_for_message(url: &str) -> String {
    url::Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "an unknown address".to_owned())
}

/// An id (an organization id the user chose) for a message: ids are short runs of
/// letters and digits; anything else is not repeated back.
pub(crate) fn safe_id(raw: &str) -> String {
    let raw = raw.trim();
    if !raw.is_empty() && raw.len() <= 32 && raw.chars().all(|c| c.is_ascii_alphanumeric()) {
        raw.to_owned()
    } else {
        "(the one chosen)".to_owned()
    }
}

/// Reduces an error code taken from a Zoho response to something safe to show: short,
/// and made only of characters that error codes use, so that a body echoing a token
/// or a secret cannot smuggle it into a message.
pub(crate) fn safe_code(raw: &str) -> String {
    let looks_like_code = !raw.is_empty()
        && raw.len() <= 48
        && raw
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '-' | ' '));
    if looks_like_code {
        raw.to_owned()
    } else {
        "an unrecognised error".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_that_could_be_secrets_are_not_shown() {
        assert_eq!(safe_code("invalid_client"), "invalid_client");
        assert_eq!(safe_code("Access Denied"), "Access Denied");
        // Tokens and secrets contain digits and dots.
        assert_eq!(
            safe_code("1000.0123456789abcdef.0123456789abcdef"),
            "an unrecognised error"
        );
        assert_eq!(safe_code("deadbeef01"), "an unrecognised error");
        assert_eq!(safe_code(""), "an unrecognised error");
        assert_eq!(safe_code(&"a".repeat(49)), "an unrecognised error");
    }

    #[test]
    fn only_plain_ids_are_repeated_back() {
        assert_eq!(safe_id(" 10234695 "), "10234695");
        assert_eq!(safe_id("10234695&x=1"), "(the one chosen)");
        assert_eq!(safe_id(""), "(the one chosen)");
        assert_eq!(safe_id(&"1".repeat(33)), "(the one chosen)");
    }

    #[test]
    fn refused_urls_are_named_by_host_only() {
        assert_eq!(
            host_for_message("https://accounts.zoho.eu.evil.example/x?token=1000.a.b"),
            "accounts.zoho.eu.evil.example"
        );
        assert_eq!(host_for_message("not a url"), "an unknown address");
    }

    #[test]
    fn every_kind_has_a_message_and_a_hint() {
        let errors = [
            Error::CodeExpiredOrUsed,
            Error::InvalidClient { dc: DataCenter::Eu },
            Error::WrongDataCenter {
                client_dc: DataCenter::Us,
                account_dc: DataCenter::Eu,
            },
            Error::PortInUse { port: 28739 },
            Error::ListenerTimeout {
                waited: Duration::from_secs(300),
                redirect_uri: "http://localhost:28739/zoho/callback".into(),
                refused: 0,
            },
            Error::MissingScope {
                scope: "ZohoBooks.settings.READ",
            },
            Error::Unexpected {
                code: "unsupported_grant_type".into(),
            },
            Error::NoProductAccount {
                product: "Zoho CRM",
            },
            Error::OrganizationRefused {
                product: "Zoho Books",
                organization_id: "10234695".into(),
            },
            Error::MissingOrgInfo,
            Error::OrgInfoRefused {
                organization_id: "10234695".into(),
            },
            Error::ClientTypeRefused,
            Error::ScopeRefused,
            Error::NotPaymentsAdmin,
        ];
        for error in errors {
            assert!(!error.to_string().is_empty());
            assert!(error.hint().len() > 20, "{}", error.kind());
        }
    }

    #[test]
    fn messages_name_what_the_user_can_act_on() {
        let port = Error::PortInUse { port: 28739 };
        assert!(port.to_string().contains("28739"));
        assert!(port.hint().contains("28739"));
        let wait = Error::ListenerTimeout {
            waited: Duration::from_secs(300),
            redirect_uri: "http://localhost:28739/zoho/callback".into(),
            refused: 0,
        };
        assert!(wait.to_string().contains("5 minutes"), "{wait}");
        assert!(wait.hint().contains("http://localhost:28739/zoho/callback"));
        let client = Error::InvalidClient { dc: DataCenter::Eu };
        assert!(client.to_string().contains("Europe"));
        assert!(client
            .hint()
            .starts_with("Most often the data center is wrong"));
        let scope = Error::MissingScope {
            scope: "ZohoBooks.settings.READ",
        };
        assert!(scope.to_string().contains("ZohoBooks.settings.READ"));
        assert!(Error::RateLimited.to_string().contains("10 minutes"));
    }
}
