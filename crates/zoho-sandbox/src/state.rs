//! Everything the sandbox remembers: users, clients, outstanding grant codes, refresh
//! tokens and access tokens, each record tied to the data center that issued it.
//! One mutex guards it all; it is never held across an `.await`. With a state file, a
//! change is made through [`Shared::store_mut`], which saves the records before it lets
//! go of the lock, so saves happen in the order of the changes.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::clients::{Client, ClientSpec};
use crate::clock::SandboxClock;
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::faults::FaultBoard;
use crate::ids::{self, Digest32};
use crate::saved;
use crate::state_file::StateFile;
use crate::throttle::Throttle;
use crate::users::{self, User};
use crate::wire_secrets::WireSecrets;

/// How long a code from the consent page stays valid (seed 001: 60 seconds).
pub(crate) const CONSENT_CODE_LIFETIME: Duration = Duration::from_secs(60);
/// How long an access token stays valid; `expires_in` in token responses.
pub(crate) const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// How long a scope enhancement token stays valid. Zoho's page gives `expires_in` without
/// a figure; the sandbox picks a short life, as for every one-step credential.
pub(crate) const ENHANCE_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// State shared by the server's tasks and the [`crate::Sandbox`] handle.
#[derive(Debug)]
pub(crate) struct Shared {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub(crate) base_url: String,
    /// The port it listens on: the only one requests may name in `Host` and `Origin`.
    pub(crate) port: u16,
    pub(crate) clock: SandboxClock,
    pub(crate) faults: FaultBoard,
    pub(crate) wire_secrets: WireSecrets,
    store: Mutex<Store>,
    state_file: Option<StateFile>,
}

impl Shared {
    /// State for a sandbox at `addr`: what `state_file` remembers, if it is given and
    /// readable, else nothing but the seeded users.
    pub(crate) fn new(addr: SocketAddr, state_file: Option<PathBuf>) -> Self {
        let clock = SandboxClock::default();
        let state_file = state_file.map(StateFile::new);
        let store = state_file
            .as_ref()
            .and_then(|file| file.load(|bytes| saved::decode(bytes, clock.timeline())))
            .inspect(|store| {
                tracing::debug!(
                    clients = store.clients.len(),
                    refresh_tokens = store.refresh_tokens.len(),
                    "state restored"
                );
            })
            .unwrap_or_else(Store::new);
        Shared {
            base_url: format!("http://{addr}"),
            port: addr.port(),
            clock,
            faults: FaultBoard::default(),
            wire_secrets: WireSecrets::default(),
            store: Mutex::new(store),
            state_file,
        }
    }

    /// Locks the store, to read it or to change what is not kept between runs (grant
    /// codes). A panic elsewhere cannot leave it half-updated in a way that matters to
    /// an emulator, so a poisoned lock is simply taken over.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Locks the store for a change a state file keeps (clients, tokens, throttles);
    /// the records are saved when the returned guard goes, however the change ends.
    pub(crate) fn store_mut(&self) -> StoreUpdate<'_> {
        StoreUpdate {
            shared: self,
            store: self.store(),
        }
    }

    /// A DC's accounts server: the base URL for the US, `base/eu` etc.
    pub(crate) fn accounts_url(&self, dc: Dc) -> String {
        format!("{}{}", self.base_url, dc.prefix())
    }

    /// A DC's API domain, the `api_domain` of its token answers: `base/api/eu` etc.
    pub(crate) fn api_url(&self, dc: Dc) -> String {
        format!("{}{}", self.base_url, dc.api_prefix())
    }
}

/// The locked store; saves it to the state file, if there is one, when dropped.
pub(crate) struct StoreUpdate<'a> {
    shared: &'a Shared,
    store: MutexGuard<'a, Store>,
}

impl Deref for StoreUpdate<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

impl DerefMut for StoreUpdate<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl Drop for StoreUpdate<'_> {
    fn drop(&mut self) {
        // A change cut short by a panic is not worth keeping.
        if std::thread::panicking() {
            return;
        }
        if let Some(file) = &self.shared.state_file {
            file.save(saved::encode(&self.store, self.shared.clock.timeline()));
        }
    }
}

/// PKCE parameters sent with an authorization request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pkce {
    pub(crate) challenge: String,
    pub(crate) method: PkceMethod,
}

/// How the verifier is turned into the challenge (RFC 7636 section 4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PkceMethod {
    S256,
    Plain,
}

/// An outstanding grant code.
#[derive(Clone, Debug)]
pub(crate) struct GrantCode {
    pub(crate) client_id: String,
    pub(crate) user_email: String,
    pub(crate) dc: Dc,
    pub(crate) scopes: Vec<String>,
    /// The redirect URI of the authorization request; `None` for a Self Client code.
    pub(crate) redirect_uri: Option<String>,
    pub(crate) expires_at: Instant,
    pub(crate) pkce: Option<Pkce>,
    /// `access_type=offline`.
    pub(crate) offline: bool,
    /// `prompt=consent`, or a Self Client code: a refresh token every time.
    pub(crate) always_refresh_token: bool,
}

/// A live refresh token.
#[derive(Clone, Debug)]
pub(crate) struct RefreshRecord {
    /// Order of minting, to find the oldest when a 21st is minted.
    pub(crate) seq: u64,
    pub(crate) client_id: String,
    pub(crate) user_email: String,
    pub(crate) dc: Dc,
    pub(crate) scopes: Vec<String>,
    /// The access tokens minted from it, for the refresh limit.
    pub(crate) minted: Throttle,
}

/// A live access token.
#[derive(Clone, Debug)]
pub(crate) struct AccessRecord {
    /// The client it was issued to, which alone may revoke it by client credentials.
    pub(crate) client_id: String,
    pub(crate) user_email: String,
    pub(crate) dc: Dc,
    pub(crate) scopes: Vec<String>,
    pub(crate) expires_at: Instant,
    /// The refresh token it came from (or was minted beside); revoking that kills it.
    pub(crate) refresh: Option<Digest32>,
}

/// An outstanding scope enhancement token: lets its client add scopes to one refresh
/// token, once, through the `addextrascope` consent page.
#[derive(Clone, Debug)]
pub(crate) struct EnhanceGrant {
    pub(crate) client_id: String,
    pub(crate) dc: Dc,
    /// The refresh token the scopes are added to.
    pub(crate) refresh: Digest32,
    pub(crate) expires_at: Instant,
}

/// The sandbox's records. Codes and tokens are keyed by their SHA-256 digest.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) users: Vec<User>,
    pub(crate) clients: Vec<Client>,
    pub(crate) codes: HashMap<Digest32, GrantCode>,
    pub(crate) refresh_tokens: HashMap<Digest32, RefreshRecord>,
    pub(crate) access_tokens: HashMap<Digest32, AccessRecord>,
    /// (user, client) pairs that have received a refresh token through the consent
    /// page: without `prompt=consent`, Zoho gives a refresh token only the first time.
    pub(crate) offline_granted: HashSet<(String, String)>,
    /// Code exchange requests of each registered client at each DC, for Zoho's limit
    /// on grant codes.
    pub(crate) code_requests: HashMap<(String, Dc), Throttle>,
    /// The Payments `account_id` each organization-level code was granted for.
    pub(crate) org_grants: HashMap<Digest32, String>,
    /// The `seq` of the latest refresh token minted.
    pub(crate) next_seq: u64,
    /// Outstanding device flow requests, keyed by the device code's digest; like grant
    /// codes, not kept between runs.
    pub(crate) device_grants: HashMap<Digest32, crate::device::DeviceGrant>,
    /// Scope enhancement tokens not yet used; like grant codes, not kept in a state file.
    pub(crate) enhance_tokens: HashMap<Digest32, EnhanceGrant>,
}

impl Store {
    /// The seeded users and nothing else.
    pub(crate) fn new() -> Self {
        Store {
            users: users::seeded(),
            clients: Vec::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            access_tokens: HashMap::new(),
            offline_granted: HashSet::new(),
            code_requests: HashMap::new(),
            org_grants: HashMap::new(),
            next_seq: 0,
            device_grants: HashMap::new(),
            enhance_tokens: HashMap::new(),
        }
    }

    pub(crate) fn user(&self, email: &str) -> Option<&User> {
        let email = email.trim();
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub(crate) fn client(&self, client_id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == client_id)
    }

    /// Registers a client. `name` is what the console shows.
    pub(crate) fn register(
        &mut self,
        spec: &ClientSpec,
        name: Option<&str>,
    ) -> Result<Client, SandboxError> {
        let client = Client::from_spec(spec, name, &self.users)?;
        tracing::debug!(client_id = %client.id, dc = %client.home, "client registered");
        self.clients.push(client.clone());
        Ok(client)
    }

    /// Stores a new grant code and returns it; the only copy in clear is the return value.
    pub(crate) fn issue_code(&mut self, code: GrantCode, now: Instant) -> String {
        self.purge_expired(now);
        let value = ids::token();
        tracing::debug!(client_id = %code.client_id, dc = %code.dc, "grant code issued");
        self.codes.insert(Digest32::of(&value), code);
        value
    }

    /// Mints a refresh token, first deleting the oldest of this user's tokens for this
    /// client (and its access tokens) if they already hold the maximum of 20.
    pub(crate) fn mint_refresh_token(
        &mut self,
        client_id: &str,
        user_email: &str,
        dc: Dc,
        scopes: Vec<String>,
    ) -> (String, Digest32) {
        const MAX_PER_USER_AND_CLIENT: usize = 20;
        let held: Vec<(Digest32, u64)> = self
            .refresh_tokens
            .iter()
            .filter(|(_, r)| r.client_id == client_id && r.user_email == user_email)
            .map(|(digest, r)| (*digest, r.seq))
            .collect();
        if held.len() >= MAX_PER_USER_AND_CLIENT {
            if let Some((oldest, _)) = held.iter().min_by_key(|(_, seq)| *seq) {
                tracing::debug!(%client_id, "oldest refresh token deleted to make room");
                self.delete_refresh_token(oldest);
            }
        }
        let value = ids::token();
        let digest = Digest32::of(&value);
        self.next_seq += 1;
        self.refresh_tokens.insert(
            digest,
            RefreshRecord {
                seq: self.next_seq,
                client_id: client_id.to_owned(),
                user_email: user_email.to_owned(),
                dc,
                scopes,
                minted: Throttle::default(),
            },
        );
        (value, digest)
    }

    /// Mints an access token, counting it against its refresh token's limit.
    pub(crate) fn mint_access_token(
        &mut self,
        client_id: &str,
        user_email: &str,
        dc: Dc,
        scopes: Vec<String>,
        refresh: Option<Digest32>,
        now: Instant,
    ) -> String {
        self.purge_expired(now);
        if let Some(record) = refresh.and_then(|d| self.refresh_tokens.get_mut(&d)) {
            record.minted.count(now);
        }
        let value = ids::token();
        self.access_tokens.insert(
            Digest32::of(&value),
            AccessRecord {
                client_id: client_id.to_owned(),
                user_email: user_email.to_owned(),
                dc,
                scopes,
                expires_at: now + ACCESS_TOKEN_LIFETIME,
                refresh,
            },
        );
        value
    }

    /// Deletes a refresh token and every access token minted from it.
    pub(crate) fn delete_refresh_token(&mut self, digest: &Digest32) {
        self.refresh_tokens.remove(digest);
        self.enhance_tokens.retain(|_, e| e.refresh != *digest);
        self.access_tokens
            .retain(|_, access| access.refresh.as_ref() != Some(digest));
    }

    /// Stores a new scope enhancement token and returns it.
    pub(crate) fn issue_enhance_token(&mut self, grant: EnhanceGrant, now: Instant) -> String {
        self.purge_expired(now);
        let value = ids::token();
        tracing::debug!(client_id = %grant.client_id, dc = %grant.dc, "enhance token issued");
        self.enhance_tokens.insert(Digest32::of(&value), grant);
        value
    }

    /// Forgets codes and access tokens that can no longer be used, so a long-running
    /// sandbox does not grow without bound. (An expired token and an unknown one get
    /// the same answer, so forgetting changes nothing a client can see.)
    fn purge_expired(&mut self, now: Instant) {
        self.codes.retain(|_, c| c.expires_at > now);
        let codes = &self.codes;
        self.org_grants
            .retain(|digest, _| codes.contains_key(digest));
        self.enhance_tokens.retain(|_, e| e.expires_at > now);
        self.access_tokens.retain(|_, a| a.expires_at > now);
    }
}
