//! The one HTTP client every call to Zoho goes through, so that time limits, the user
//! agent, "no redirects" and the reading of answers are the same everywhere.
//!
//! Redirects are never followed: a token request's body holds the client secret, and a
//! redirect could carry it (or an API call's token) to another host.
//!
//! Certificates: Zoho's are checked against the operating system's store and against
//! Mozilla's roots built into the app. The system store is where a firm installs the
//! root of a proxy or antivirus program that inspects secure connections, so with it the
//! app works wherever the firm's browsers do; the built-in roots keep Zoho reachable on a
//! machine whose store is empty or unreadable (a bare Linux install). A certificate that
//! neither trusts becomes [`Error::CertificateRefused`], which names the configured
//! proxy, if any, by host.
//!
//! Proxies: requests to Zoho go through the proxy the environment names (`HTTPS_PROXY`,
//! `ALL_PROXY`, ...), as a firm's network may require. Requests to the sandbox never
//! do: it speaks plain http on this computer, and a proxy would see every secret.

use std::net::SocketAddr;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::datacenter::ZohoEnv;
use crate::error::{Error, Result};

use super::tls;

/// Zoho's answers are a few hundred bytes; anything far larger is not one of them.
const MAX_BODY: usize = 256 * 1024;
/// What a token answer or an organizations list usually fits in.
const TYPICAL_BODY: usize = 8 * 1024;

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
        Self::resolving(env, options, &[])
    }

    /// As [`Http::new`], but connecting to `addr` whenever `host` is asked for. Only for
    /// tests of what the user is told when a connection to one of Zoho's hosts fails
    /// (see [`crate::TokenClient::with_hosts_resolved`]): certificates are still checked
    /// against the usual roots, for the host name asked for.
    pub(crate) fn resolving(
        env: &ZohoEnv,
        options: HttpOptions,
        resolved: &[(&str, SocketAddr)],
    ) -> Result<Self> {
        let with_system_roots = Self::builder(env, &options, resolved).build();
        let client = match with_system_roots {
            Ok(client) => client,
            // Some system stores hold only certificates rustls cannot read, which reqwest
            // refuses; the built-in roots alone still reach Zoho.
            Err(_) if !env.is_sandbox() => Self::builder(env, &options, resolved)
                .tls_built_in_native_certs(false)
                .build()
                .map_err(|source| Error::HttpClientSetup {
                    source: source.without_url(),
                })?,
            Err(source) => {
                return Err(Error::HttpClientSetup {
                    source: source.without_url(),
                })
            }
        };
        Ok(Self { client, options })
    }

    fn builder(
        env: &ZohoEnv,
        options: &HttpOptions,
        resolved: &[(&str, SocketAddr)],
    ) -> reqwest::ClientBuilder {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(options.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            // Zoho's hosts are all https; only the local sandbox speaks plain http.
            .https_only(!env.is_sandbox());
        if env.is_sandbox() {
            // Plain http on this computer: through a proxy, every secret would be read.
            builder = builder.no_proxy();
        }
        for (host, addr) in resolved {
            builder = builder.resolve(host, *addr);
        }
        builder
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
        let announced = response.content_length().unwrap_or(0);
        if announced > MAX_BODY as u64 {
            return Err(Error::UnreadableResponse { status });
        }
        // Room for the announced body, else for a typical token answer. Allocating (and
        // wiping) the largest accepted size on every call made a refresh cost several
        // times a bare POST.
        let mut body = Zeroizing::new(Vec::with_capacity(
            usize::try_from(announced)
                .unwrap_or(MAX_BODY)
                .max(TYPICAL_BODY),
        ));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            let needed = body.len() + chunk.len();
            if needed > MAX_BODY {
                return Err(Error::UnreadableResponse { status });
            }
            if needed > body.capacity() {
                // Grow by hand: the old buffer is wiped when dropped, where Vec's own
                // growth would leave a copy of the answer in freed memory.
                let mut bigger = Zeroizing::new(Vec::with_capacity(
                    needed.max(body.capacity() * 2).min(MAX_BODY),
                ));
                bigger.extend_from_slice(&body);
                body = bigger;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, body })
    }

    fn classify(&self, error: reqwest::Error) -> Error {
        let host = error
            .url()
            .and_then(|url| url.host_str())
            .map(str::to_owned);
        let refused = tls::is_certificate_refusal(&error);
        let source = error.without_url();
        if refused {
            Error::CertificateRefused {
                host: host.unwrap_or_else(|| "an unknown host".to_owned()),
                proxy: tls::configured_proxy_host(),
                source,
            }
        } else if source.is_connect() {
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
