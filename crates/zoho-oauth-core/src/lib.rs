//! Everything the assistant knows about Zoho OAuth, with no UI dependency, so that
//! every piece can be tested against the sandbox without a window.
#![deny(missing_docs)]

pub mod clock;
pub mod datacenter;
pub mod error;
pub mod secret;

pub use clock::{Clock, ManualClock, SystemClock};
pub use datacenter::{DataCenter, Endpoints, ZohoEnv};
pub use error::UserFacing;
pub use secret::{AccessToken, ClientSecret, GrantCode, PkceVerifier, RefreshToken, SecretString};
