//! A client registered in Zoho's API Console: what kind it is and its credentials.

use serde::{Deserialize, Serialize};

use crate::secret::ClientSecret;

/// How the client was registered in the API Console, which decides how the grant code
/// is obtained and whether `redirect_uri` is sent on the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientType {
    /// "Server-based Applications": consent page in the browser, redirect to the
    /// loopback listener; `redirect_uri` is required on the exchange.
    ServerBased,
    /// "Self Client": the user generates a code in the console and pastes it; no
    /// `redirect_uri`, and no multi-DC.
    SelfClient,
}

/// The Client ID and Client Secret of a registered client.
#[derive(Clone, Debug)]
pub struct ClientCredentials {
    /// Server-based or Self Client.
    pub client_type: ClientType,
    /// The Client ID (not secret: it appears in authorize URLs).
    pub client_id: String,
    /// The Client Secret.
    pub client_secret: ClientSecret,
}
