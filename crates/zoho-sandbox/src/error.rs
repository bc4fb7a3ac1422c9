//! Errors of the sandbox's own API: registering clients, generating Self Client codes and
//! answering consent requests. (What the emulated Zoho endpoints answer is not an error
//! of the sandbox: those bodies are built in `tokens` and the routes.)
//!
//! No message carries a secret: client secrets, codes and tokens never appear here.

/// Why the sandbox refused a request made through its library or control API, or shown
/// as an error page on its consent screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The location is not one of `us eu in au jp ca sa uk cn`.
    #[error("unknown data center location {0:?}; use one of us, eu, in, au, jp, ca, sa, uk, cn")]
    UnknownLocation(String),
    /// No seeded user has this e-mail address.
    #[error("no sandbox user has the e-mail address {0:?}")]
    UnknownUser(String),
    /// A server-based client needs at least one redirect URI.
    #[error("a server-based client needs at least one redirect URI")]
    MissingRedirectUri,
    /// A redirect URI given at registration is not an absolute http(s) URL.
    #[error("the redirect URI {0:?} is not an absolute http or https URL")]
    InvalidRedirectUri(String),
    /// No client with that ID is registered here.
    #[error("Invalid Client: no client with that client ID is registered at this accounts server")]
    UnknownClient,
    /// Only a Self Client can generate codes from the console.
    #[error("only a Self Client can generate a code in the console")]
    NotSelfClient,
    /// A Self Client code must last 3 to 10 minutes.
    #[error("a Self Client code lasts 3 to 10 minutes, not {0}")]
    InvalidDuration(u32),
    /// The scope list is empty (`None`) or has an entry that is not a scope.
    #[error("{}", match .0 {
        None => "Invalid OAuth Scope: no scope was given".to_owned(),
        Some(entry) => format!("Invalid OAuth Scope: {entry:?} is not a scope of the form Service.scope.OPERATION (separate scopes with commas)"),
    })]
    InvalidScope(Option<String>),
    /// The URL given to `consent` is not an authorize URL of this sandbox.
    #[error("not an authorize URL of this sandbox: {0}")]
    InvalidAuthorizeUrl(String),
    /// A required parameter of the authorization request is missing.
    #[error("the parameter {0} is missing")]
    MissingParameter(&'static str),
    /// The redirect URI is not one the client registered, character for character.
    #[error(
        "Invalid Redirect Uri: the redirect URI does not match the one registered for this client"
    )]
    RedirectUriMismatch,
    /// `response_type` was something other than `code`.
    #[error("Invalid response_type {0:?}: only code is supported")]
    UnsupportedResponseType(String),
    /// `access_type` was something other than `offline` or `online`.
    #[error("Invalid access_type {0:?}: use offline or online")]
    InvalidAccessType(String),
    /// `code_challenge_method` was something other than `S256` or `plain`.
    #[error("Invalid code_challenge_method {0:?}: use S256 or plain")]
    InvalidCodeChallengeMethod(String),
    /// The user's account cannot sign in through this accounts server (China is separate
    /// from every other DC).
    #[error("the account {0:?} cannot sign in at this accounts server")]
    UserNotAtThisServer(String),
    /// No device flow request has this user code.
    #[error("that code is not known: check it against the code the application shows")]
    UnknownUserCode,
    /// The device flow request of this user code has expired.
    #[error("that code has expired: ask the application for a new one")]
    UserCodeExpired,
    /// The device flow request of this user code was already approved or denied.
    #[error("that code was already used")]
    UserCodeUsed,
    /// The organization consent page was opened for a client that is not an ORG client,
    /// or the usual consent page for one that is.
    #[error("this page is for organization-level (ORG) clients only, and this client is not one; an ORG client uses /oauth/v2/org/auth")]
    WrongClientType,
    /// The account is not an owner or admin of any Zoho Payments account.
    #[error("only the owner or an admin of a Zoho Payments account can allow organization-level access, and {0:?} is neither")]
    NotPaymentsAdmin(String),
    /// The Payments account picked is not one the user administers.
    #[error("{0:?} is not a Zoho Payments account this user owns or administers")]
    UnknownPaymentsAccount(String),
    /// The scope enhancement token is unknown, expired, already used, of another client
    /// or DC, or its refresh token is gone.
    #[error("this request to add permissions has expired or was already used; go back to the application and start again")]
    InvalidEnhanceToken,
}

impl SandboxError {
    /// A stable, machine-readable name for the error, used by the control API.
    pub fn kind(&self) -> &'static str {
        match self {
            SandboxError::UnknownLocation(_) => "unknown_location",
            SandboxError::UnknownUser(_) => "unknown_user",
            SandboxError::MissingRedirectUri => "missing_redirect_uri",
            SandboxError::InvalidRedirectUri(_) => "invalid_redirect_uri",
            SandboxError::UnknownClient => "invalid_client",
            SandboxError::NotSelfClient => "not_self_client",
            SandboxError::InvalidDuration(_) => "invalid_duration",
            SandboxError::InvalidScope(_) => "invalid_scope",
            SandboxError::InvalidAuthorizeUrl(_) => "invalid_authorize_url",
            SandboxError::MissingParameter(_) => "invalid_request",
            SandboxError::RedirectUriMismatch => "invalid_redirect_uri",
            SandboxError::UnsupportedResponseType(_) => "unsupported_response_type",
            SandboxError::InvalidAccessType(_) => "invalid_access_type",
            SandboxError::InvalidCodeChallengeMethod(_) => "invalid_code_challenge_method",
            SandboxError::UserNotAtThisServer(_) => "user_not_at_this_server",
            SandboxError::UnknownUserCode => "unknown_user_code",
            SandboxError::UserCodeExpired => "user_code_expired",
            SandboxError::UserCodeUsed => "user_code_used",
            SandboxError::WrongClientType => "unauthorized_client",
            SandboxError::NotPaymentsAdmin(_) => "not_payments_admin",
            SandboxError::UnknownPaymentsAccount(_) => "unknown_payments_account",
            SandboxError::InvalidEnhanceToken => "invalid_enhance_token",
        }
    }

    /// A short title for the consent screen's error page.
    pub(crate) fn title(&self) -> &'static str {
        match self {
            SandboxError::UnknownClient => "Invalid Client",
            SandboxError::RedirectUriMismatch => "Invalid Redirect Uri",
            SandboxError::InvalidScope(_) => "Invalid OAuth Scope",
            SandboxError::UnsupportedResponseType(_) => "Invalid Response Type",
            SandboxError::UnknownUser(_) | SandboxError::UserNotAtThisServer(_) => {
                "Account not found"
            }
            SandboxError::UnknownUserCode
            | SandboxError::UserCodeExpired
            | SandboxError::UserCodeUsed => "Invalid code",
            SandboxError::NotPaymentsAdmin(_) => "Only an owner or admin can allow this",
            SandboxError::InvalidEnhanceToken => "Invalid enhance token",
            _ => "Invalid OAuth request",
        }
    }
}
