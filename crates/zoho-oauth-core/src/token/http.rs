//! The one HTTP client every call to Zoho goes through, so that time limits, the user
//! agent, "no redirects" and the reading of answers are the same everywhere.
//!
//! Redirects are never followed: a token request's body holds the client secret, and a
//! redirect could carry it (or an API call's token) to another host.

use std::time::Duration;

use zeroize::Zeroizing;

use crate::datacenter::ZohoEnv;
use crate::error::{Error, Result};

/// Zoho's answers are a few hundred bytes; anything far larger is not one of them.
const MAX_BODY: usize = 256 * 1024;

/// Time limits and identification of every request to Zoho.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    /// How long to wait for a connection to be set up.
    pub connect_timeout: Duration,
    /// How long a whole request may take, answer included.
    pub timeout: Duration,
    /// The `User-Agent` sent with every request.
    pub user_agent: String,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            user_agent: concat!("ZohoOAuthAssistant/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// A configured client and the limits it was built with.
#[derive(Clone, Debug)]
pub(crate) struct Http {
    client: reqwest::Client,
    options: HttpOptions,
}

/// A complete answer: status and body. The body may hold tokens and is wiped on drop.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Zeroizing<Vec<u8>>,
}

impl Http {
    pub(crate) fn new(env: &ZohoEnv, options: HttpOptions) -> Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(options.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            // Zoho's hosts are all https; only the local sandbox speaks plain http.
            .https_only(!env.is_sandbox())
            .build()
            .map_err(|source| Error::HttpClientSetup {
                source: source.without_url(),
            })?;
        Ok(Self { client, options })
    }

    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends `request` and reads the whole answer.
    ///
    /// # Errors
    /// [`Error::Network`], [`Error::Timeout`], [`Error::ConnectionLost`], or
    /// [`Error::UnreadableResponse`] for an oversized body.
    pub(crate) async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer> {
        let mut response = request.send().await.map_err(|e| self.classify(e))?;
        let status = response.status().as_u16();
        // Room for the largest accepted body up front: growing would leave copies behind.
        let mut body = Zeroizing::new(Vec::with_capacity(MAX_BODY));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Error::UnreadableResponse { status });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, body })
    }

    fn classify(&self, error: reqwest::Error) -> Error {
        let source = error.without_url();
        if source.is_connect() {
            Error::Network { source }
        } else if source.is_timeout() {
            Error::Timeout {
                after: self.options.timeout,
            }
        } else {
            Error::ConnectionLost { source }
        }
    }
}
