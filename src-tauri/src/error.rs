//! Errors as the UI receives them: `{ kind, message, hint }`, built from any core error
//! (anything implementing [`UserFacing`]) so the UI branches on `kind`, shows `message`
//! and offers `hint` as the next step. No message or hint ever carries a secret.

use serde::Serialize;
use zoho_oauth_core::UserFacing;

/// An error as sent to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    /// Stable identifier the UI branches on, e.g. `"unsafe_link"`.
    pub kind: &'static str,
    /// What went wrong, in plain words.
    pub message: String,
    /// What to do next, in plain words.
    pub hint: String,
}

impl<E: UserFacing> From<E> for CommandError {
    fn from(err: E) -> Self {
        // Every failure the window shows passes here, so the log has each one; the
        // message is the one shown, which never carries a secret.
        tracing::warn!(kind = err.kind(), "{err}");
        Self {
            kind: err.kind(),
            message: err.to_string(),
            hint: err.hint(),
        }
    }
}

/// Failures of the desktop shell itself (everything about Zoho is the core's).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// A link that is neither `https` nor the local practice server.
    #[error("The assistant refused to open {url} because it is not a secure (https) address.")]
    UnsafeLink {
        /// The refused address.
        url: String,
    },
    /// The system has no browser the app could start.
    #[error("Your web browser could not be opened to show {url}.")]
    BrowserUnavailable {
        /// The address that should have opened.
        url: String,
    },
    /// The preferences file could not be read or written.
    #[error("Your choice could not be saved on this computer ({reason}).")]
    PreferencesUnsaved {
        /// What the file system said.
        reason: String,
    },
    /// The practice-mode address given at start-up is not a local address.
    #[error("Practice mode needs the address of the local practice server, but {SANDBOX_VAR} is set to \"{value}\".", SANDBOX_VAR = crate::launch::SANDBOX_URL_VAR)]
    InvalidSandboxUrl {
        /// The value as given.
        value: String,
    },
    /// The redirect port given at start-up is not a usable port.
    #[error("The redirect port must be a number from 1024 to 65535, but {REDIRECT_VAR} is set to \"{value}\".", REDIRECT_VAR = crate::launch::REDIRECT_PORT_VAR)]
    InvalidRedirectPort {
        /// The value as given.
        value: String,
    },
    /// The consent page was asked for with a client that cannot use it.
    #[error("A Self Client cannot use Zoho's consent page.")]
    NotServerBased,
    /// A consent flow was started while another one is still waiting.
    #[error("The assistant is already waiting for Zoho's answer in your browser.")]
    ConsentRunning,
    /// The built-in practice server found no port to listen on.
    #[error("Practice mode could not be switched on: the practice server could not open a network port on this computer ({reason}).")]
    PracticeUnavailable {
        /// What the operating system said.
        reason: String,
    },
    /// The window could not be created.
    #[error("The window could not be opened: {0}")]
    Startup(String),
    /// A Client ID or Secret as typed cannot be right.
    #[error("{problem}")]
    ClientFields {
        /// What is wrong, in plain words (never the value itself).
        problem: String,
    },
    /// A step that needs the registered client came before it.
    #[error("The app does not have your Client ID and Client Secret yet.")]
    NoClient,
    /// A step that needs the tokens came before the code was exchanged.
    #[error("The app has not received tokens from Zoho yet.")]
    NoTokens,
    /// Practice mode was switched on or off in the middle of a connection.
    #[error("Practice mode was switched since this connection was started, so its client and tokens belong to the other side.")]
    EnvironmentChanged,
    /// An organization id the connection test did not return.
    #[error("That organization is not one this connection can reach.")]
    UnknownOrganization,
    /// "Open in browser" was asked for with no device flow code waiting for approval.
    #[error("There is no code waiting for approval right now.")]
    NoDeviceCode,
    /// Client credentials were asked for with a client that is not a Self Client.
    #[error("Only a Self Client can get a token for a one-time server task.")]
    NotSelfClient,
    /// The organization ID typed for client credentials cannot be right.
    #[error("{problem}")]
    OrganizationId {
        /// What is wrong, in plain words.
        problem: String,
    },
    /// "Add permissions" with none the connection lacks.
    #[error("Every permission chosen is one this connection already has.")]
    NothingToAdd,
    /// The page that adds permissions was asked for again after its flow ended.
    #[error("The assistant is no longer waiting for Zoho's page that adds permissions.")]
    NoEnhancementRunning,
    /// Whatever Zoho, the network or the flow reported.
    #[error(transparent)]
    Zoho(#[from] zoho_oauth_core::Error),
}

impl UserFacing for AppError {
    fn kind(&self) -> &'static str {
        match self {
            AppError::UnsafeLink { .. } => "unsafe_link",
            AppError::BrowserUnavailable { .. } => "browser_unavailable",
            AppError::PreferencesUnsaved { .. } => "preferences_unsaved",
            AppError::InvalidSandboxUrl { .. } => "invalid_sandbox_url",
            AppError::InvalidRedirectPort { .. } => "invalid_redirect_port",
            AppError::NotServerBased => "not_server_based",
            AppError::ConsentRunning => "consent_running",
            AppError::PracticeUnavailable { .. } => "practice_unavailable",
            AppError::Startup(_) => "startup_failed",
            AppError::ClientFields { .. } => "client_fields",
            AppError::NoClient => "no_client",
            AppError::NoTokens => "no_tokens",
            AppError::NoDeviceCode => "no_device_code",
            AppError::EnvironmentChanged => "environment_changed",
            AppError::UnknownOrganization => "unknown_organization",
            AppError::NotSelfClient => "not_self_client",
            AppError::OrganizationId { .. } => "organization_id",
            AppError::NothingToAdd => "nothing_to_add",
            AppError::NoEnhancementRunning => "no_enhancement_running",
            AppError::Zoho(err) => err.kind(),
        }
    }

    fn hint(&self) -> String {
        match self {
            AppError::UnsafeLink { .. } => {
                "Nothing was opened. Type the address of Zoho's API Console into your browser yourself.".into()
            }
            AppError::BrowserUnavailable { url } => {
                format!("Copy {url} and paste it into your web browser's address bar.")
            }
            AppError::PreferencesUnsaved { .. } => {
                "You can carry on: the choice applies until you close the assistant. Check that your home folder has free space and is writable.".into()
            }
            AppError::InvalidSandboxUrl { .. } => format!(
                "Set {} to the address the practice server printed, such as http://127.0.0.1:8765, or unset it to use Zoho itself.",
                crate::launch::SANDBOX_URL_VAR
            ),
            AppError::InvalidRedirectPort { .. } => format!(
                "Unset {} to use the usual port, or set it to a free port and register http://localhost:PORT/zoho/callback in the API Console.",
                crate::launch::REDIRECT_PORT_VAR
            ),
            AppError::NotServerBased => {
                "Go back and choose \"Consent page\" with a server-based client, or use the Self Client's Generate Code instead.".into()
            }
            AppError::ConsentRunning => {
                "Finish or cancel the sign-in that is open, then try again.".into()
            }
            AppError::PracticeUnavailable { .. } => {
                "Nothing changed: the assistant still uses Zoho's real servers. Try the switch again in a moment; if it keeps failing, restart your computer.".into()
            }
            AppError::Startup(_) => {
                "Check that a graphical desktop is running, then start the assistant again.".into()
            }
            AppError::ClientFields { .. } => {
                "Copy the value again from the API Console, then paste it here.".into()
            }
            AppError::NoClient => {
                "Go back to \"Register the app with Zoho\" and enter the Client ID and Client Secret.".into()
            }
            AppError::NoTokens => "Go back one step and get a code from Zoho first.".into(),
            AppError::NoDeviceCode => "Click \"Show a code\" to get a new one.".into(),
            AppError::EnvironmentChanged => {
                "Start the connection again from the beginning; nothing was saved.".into()
            }
            AppError::UnknownOrganization => {
                "Choose one of the organizations listed.".into()
            }
            AppError::NotSelfClient => {
                "Go back to \"Register\" and choose Self Client, then paste that client's ID and Secret.".into()
            }
            AppError::OrganizationId { .. } => {
                "Copy the organization ID from the product's settings (in Zoho Books: Settings, Organization Profile) and paste it here.".into()
            }
            AppError::NothingToAdd => {
                "Tick at least one permission that is not marked \"already has\".".into()
            }
            AppError::NoEnhancementRunning => {
                "Press \"Add permissions\" again to start over.".into()
            }
            AppError::Zoho(err) => err.hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_kind_message_hint() {
        let err = CommandError::from(AppError::UnsafeLink {
            url: "http://example.com".into(),
        });
        let json = serde_json::to_value(&err).expect("serializable");
        assert_eq!(json["kind"], "unsafe_link");
        assert!(json["message"]
            .as_str()
            .is_some_and(|m| m.contains("http://example.com")));
        assert!(json["hint"].as_str().is_some_and(|h| !h.is_empty()));
        assert_eq!(json.as_object().map(|o| o.len()), Some(3));
    }

    #[test]
    fn a_practice_server_that_cannot_start_says_nothing_changed() {
        let err = CommandError::from(AppError::PracticeUnavailable {
            reason: "no free port".into(),
        });
        assert_eq!(err.kind, "practice_unavailable");
        assert!(err
            .message
            .contains("Practice mode could not be switched on"));
        assert!(
            err.hint.contains("still uses Zoho's real servers"),
            "{}",
            err.hint
        );
    }
}
