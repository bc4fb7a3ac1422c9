//! Everything the assistant knows about Zoho OAuth, with no UI dependency, so that
//! every piece can be tested against the sandbox without a window.
#![deny(missing_docs)]

pub mod access;
pub mod api;
pub mod authorize;
pub mod client;
pub mod clock;
pub mod datacenter;
pub mod device;
pub mod enhance;
pub mod error;
pub mod loopback;
pub mod scopes;
pub mod secret;
pub mod token;
pub mod vault;

pub use client::{client_id_problem, client_secret_problem, ClientCredentials, ClientType};
pub use clock::{Clock, ManualClock, SystemClock};
pub use datacenter::{DataCenter, Endpoints, ZohoEnv};
pub use error::UserFacing;
pub use secret::{
    AccessToken, ClientSecret, DeviceCode, EnhanceToken, GrantCode, PkceVerifier, RefreshToken,
    SecretString,
};

pub use access::{AccessError, SavedAccess, VaultHandle, Want};
pub use api::{
    ApiClient, BooksClient, ConnectionReport, OrgScopedCall, Organization, OrganizationCheck,
    OrganizationChoice, TestCall, ZohoUser,
};
pub use authorize::{PendingConsent, RedirectUri, DEFAULT_REDIRECT_PATH, DEFAULT_REDIRECT_PORT};
pub use device::{DeviceAuthorization, DeviceFlow, DeviceProgress, Pause, RealPause};
pub use error::Error;
pub use loopback::{AuthorizationCallback, CallbackListener, CancelHandle, ListenerOptions};
pub use token::{
    CodeExchange, Freshness, HttpOptions, OrgGrant, RevokeOutcome, Soid, TokenClient, Tokens,
};
pub use vault::{Vault, VaultError};
