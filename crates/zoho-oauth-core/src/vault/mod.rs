//! The encrypted credential vault: saved Zoho connections that survive crashes, damaged
//! files and lost keys without losing anything.
//!
//! The promise to the user is "your Zoho keys are kept safe on this computer", so:
//!
//! - **Everything is encrypted** with XChaCha20-Poly1305 under a random data key
//!   (`crypto.rs`). The data key is stored only wrapped, by a key in the system keyring or
//!   by an Argon2id passphrase key (`keys.rs`); [`Vault::protection`] says which.
//! - **Saves are atomic and durable** (`file.rs`): temp file, fsync, rename, fsync of the
//!   folder; a 0600 file, in a 0700 folder when the vault creates it (an existing folder
//!   is never changed; see [`Vault::folder_warning`]). A crash leaves the old vault or the
//!   new one.
//! - **A bad file is never overwritten**: a file that fails its checksum, its
//!   authentication or parsing is renamed aside with a timestamp and the caller gets
//!   [`VaultError::Damaged`] naming where it went. A wrong passphrase, a missing keyring
//!   entry or a newer format leaves the file exactly as it was.
//! - **The format is versioned** ([`FORMAT_VERSION`]; layout in `format.rs`).
//!
//! ## Why the index is encrypted separately from each connection's secrets
//!
//! Listing connections should not put every refresh token of the vault in memory in
//! clear. But the non-secret details (connection names, client ids, organization names)
//! are still private business data, so they are not written in clear either. The file
//! therefore holds one encrypted *index* (every [`ConnectionSummary`] plus the
//! refresh-token history) and one encrypted *record* per connection with its client
//! secret and tokens. Opening the vault decrypts only the index; [`Vault::get`] decrypts
//! one record. The index stores a SHA-256 digest of each record and is itself
//! authenticated together with the clear header, so a record cannot be swapped, rolled
//! back or removed without the vault noticing at open. Unchanged records keep their
//! ciphertext across saves, so a save re-encrypts only what changed (and the index).
//!
//! Changing the protection ([`Vault::change_protection`]) also replaces the data key and
//! re-encrypts every record, so an old copy of the file plus an old passphrase or keyring
//! entry cannot open what is saved afterwards.
//!
//! The app and any number of command-line processes may have the same vault open.
//! Every change holds the vault's file lock (`lock.rs`), re-reads the file if another
//! process saved it since, applies the change to what is on disk now and saves, so no
//! change is lost; [`Vault::lock`] holds it across a call to Zoho, so that two
//! processes that both find an access token expired refresh it once. Only a change this
//! vault cannot take in (another process changed the protection, or replaced the file
//! with another vault) stops a save, with [`VaultError::ChangedOnDisk`].

mod crypto;
mod error;
mod export;
mod file;
mod format;
mod history;
mod keys;
mod location;
mod lock;
mod model;
#[cfg(any(windows, test))]
mod sddl;
mod status;
#[cfg(windows)]
pub mod windows_acl;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tracing::{debug, info, warn};
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::secret::{RefreshToken, SecretString};

use crypto::{Sealed, SecretKey};
use format::{DecodeError, Header};
use history::Ledger;
use keys::{KeySlot, KeyringLocation};
use lock::LockFile;
use model::StoredSecrets;

pub use error::{DamageReason, KeyringError, KeyringUse, VaultError};
pub use export::ExportFormat;
pub use format::FORMAT_VERSION;
pub use history::{
    MintedToken, RefreshTokenBudget, TokenFingerprint, TokenOwner, TokenState,
    ZOHO_REFRESH_TOKEN_LIMIT,
};
pub use keys::{
    KdfParams, KeyStore, NewProtection, OsKeyring, Protection, Unlock, MIN_PASSPHRASE_CHARS,
};
pub use location::{default_folder, default_location, APP_IDENTIFIER, DEFAULT_FILE_NAME};
pub use lock::{VaultLock, LOCK_WAIT};
pub use model::TokenSource;
pub use model::{
    Connection, ConnectionId, ConnectionSecrets, ConnectionSummary, NewConnection, NewGrant,
    PreviousToken, RefreshedAccess, RevocationDetails, SavedOrganization, TestCallOutcome,
    TestCallRecord, MAX_NAME_CHARS,
};
pub use status::{refresh_margin, ConnectionStatus, RefreshProblem, RevokedBy, LOCKOUT_WAIT};

/// The keyring service name new vault keys are stored under.
pub const DEFAULT_KEYRING_SERVICE: &str = "Zoho OAuth Assistant vault";

/// What a vault uses besides its file.
#[derive(Clone, Debug)]
pub struct VaultOptions {
    /// Argon2id cost for new passphrase slots (existing slots keep what they recorded).
    pub kdf: KdfParams,
    /// Where keyring-protected keys are kept.
    pub key_store: Arc<dyn KeyStore>,
    /// The keyring service name for new keys.
    pub keyring_service: String,
    /// "Now", for timestamps.
    pub clock: Arc<dyn Clock>,
}

impl Default for VaultOptions {
    fn default() -> Self {
        VaultOptions {
            kdf: KdfParams::RECOMMENDED,
            key_store: Arc::new(OsKeyring::new()),
            keyring_service: DEFAULT_KEYRING_SERVICE.to_owned(),
            clock: Arc::new(SystemClock),
        }
    }
}

/// What can be known about a vault file without unlocking it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VaultInfo {
    /// The file.
    pub path: PathBuf,
    /// Its format version.
    pub format_version: u16,
    /// How it is protected, so the app knows whether to ask for a passphrase.
    pub protection: Protection,
}

/// Where the time went while opening a vault (shown by the benchmark, useful when a
/// user reports a slow start).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UnlockTimings {
    /// Reading the file.
    pub read: Duration,
    /// Argon2id, when unlocked with a passphrase.
    pub key_derivation: Duration,
    /// The keyring call, when unlocked with the keyring.
    pub keyring: Duration,
    /// Decrypting and parsing the index.
    pub decrypt_index: Duration,
    /// Checking every record against the index.
    pub verify_records: Duration,
    /// All of it.
    pub total: Duration,
}

/// Non-secret details of every connection plus the refresh-token ledger.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Index {
    /// Incremented by every save.
    generation: u64,
    #[serde(with = "time::serde::rfc3339::option")]
    saved_at: Option<OffsetDateTime>,
    connections: Vec<IndexEntry>,
    refresh_tokens: Ledger,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct IndexEntry {
    summary: ConnectionSummary,
    /// Hex SHA-256 of the record's nonce and ciphertext.
    record_digest: String,
}

/// Everything a save writes; a change is made to a copy and adopted only once it is on
/// disk, so a failed save leaves the open vault as it was.
#[derive(Clone, Debug)]
struct State {
    header: Header,
    data_key: SecretKey,
    index: Index,
    /// One per index entry, same order.
    records: Vec<Sealed>,
}

/// An unlocked vault. Holds the data key and the decrypted index; secrets stay
/// encrypted until [`Vault::get`] or [`Vault::export`] asks for them.
pub struct Vault {
    path: PathBuf,
    options: VaultOptions,
    state: State,
    /// Checksum of the file as last read or written, to notice other writers.
    disk_checksum: [u8; 32],
    timings: UnlockTimings,
    /// Shared with every [`VaultLock`] this vault hands out.
    lock: Arc<LockFile>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("protection", &self.protection())
            .field("connections", &self.len())
            .finish_non_exhaustive()
    }
}

/// Key slots made for a new data key, and the keyring entry created for them (to be
/// removed again if the save fails).
struct NewSlots {
    slots: Vec<KeySlot>,
    created_keyring_entry: Option<KeyringLocation>,
}

impl Vault {
    /// Reads what can be known without unlocking: format and protection.
    ///
    /// # Errors
    /// [`VaultError::NotFound`], [`VaultError::UnsupportedVersion`],
    /// [`VaultError::Damaged`] (the file is moved aside), [`VaultError::Io`].
    pub fn inspect(
        path: impl AsRef<Path>,
        options: &VaultOptions,
    ) -> Result<VaultInfo, VaultError> {
        let path = path.as_ref();
        let bytes = read_existing(path)?;
        let raw = decode_or_quarantine(path, &bytes, options)?;
        Ok(VaultInfo {
            path: path.to_path_buf(),
            format_version: raw.version,
            protection: protection_of(&raw.header),
        })
    }

    /// Creates a new, empty vault at `path`, which should be in a folder of the app's
    /// own: a folder that does not exist yet is created private to the user (0700).
    ///
    /// # Errors
    /// [`VaultError::AlreadyExists`] if any file is there (it is left alone);
    /// [`VaultError::PassphraseTooShort`]; [`VaultError::Keyring`] with
    /// [`KeyringUse::Store`] when the keyring cannot be used (offer a passphrase);
    /// [`VaultError::Io`].
    pub fn create(
        path: impl AsRef<Path>,
        protection: NewProtection,
        options: VaultOptions,
    ) -> Result<Vault, VaultError> {
        let path = path.as_ref().to_path_buf();
        let lock = LockFile::beside(&path);
        let _held = lock.acquire(LOCK_WAIT)?;
        if path.symlink_metadata().is_ok() {
            return Err(VaultError::AlreadyExists { path });
        }
        let vault_id = crypto::random_hex(16);
        let data_key = SecretKey::random();
        let new = build_slots(&vault_id, &data_key, &protection, &options)?;
        let state = State {
            header: Header {
                vault_id,
                cipher: format::CIPHER.to_owned(),
                key_slots: new.slots,
            },
            data_key,
            index: Index::default(),
            records: Vec::new(),
        };
        let mut vault = Vault {
            path,
            options,
            state,
            disk_checksum: [0; 32],
            timings: UnlockTimings::default(),
            lock,
        };
        match vault.write(&vault.state, None) {
            Ok(checksum) => vault.disk_checksum = checksum,
            Err(e) => {
                vault.forget_keyring_entry(new.created_keyring_entry.as_ref());
                return Err(e);
            }
        }
        info!(path = %vault.path.display(), protection = ?vault.protection(), "vault created");
        Ok(vault)
    }

    /// Opens and unlocks the vault at `path`.
    ///
    /// # Errors
    /// [`VaultError::NotFound`]; [`VaultError::WrongPassphrase`],
    /// [`VaultError::PassphraseRequired`], [`VaultError::KeyringRequired`],
    /// [`VaultError::Keyring`], [`VaultError::KeyringKeyMismatch`] and
    /// [`VaultError::UnsupportedVersion`], all of which leave the file untouched;
    /// [`VaultError::Damaged`] (the file is moved aside); [`VaultError::Io`].
    pub fn open(
        path: impl AsRef<Path>,
        unlock: Unlock,
        options: VaultOptions,
    ) -> Result<Vault, VaultError> {
        let started = Instant::now();
        let path = path.as_ref().to_path_buf();
        let mut timings = UnlockTimings::default();
        let bytes = read_existing(&path)?;
        timings.read = started.elapsed();
        let raw = decode_or_quarantine(&path, &bytes, &options)?;

        let data_key = unlock_data_key(&path, &raw.header, &unlock, &options, &mut timings)?;

        let step = Instant::now();
        let damaged = |reason| quarantine_damaged(&path, reason, &options);
        let plain = crypto::open(&data_key, &raw.index, &raw.prefix)
            .map_err(|_| damaged(DamageReason::Undecryptable))?;
        let index: Index = serde_json::from_slice(&plain)
            .map_err(|_| damaged(DamageReason::UnreadableContents))?;
        drop(plain);
        timings.decrypt_index = step.elapsed();

        let step = Instant::now();
        let consistent = index.connections.len() == raw.records.len()
            && index
                .connections
                .iter()
                .zip(&raw.records)
                .all(|(entry, record)| entry.record_digest == crypto::hex(&record.digest()));
        if !consistent {
            return Err(damaged(DamageReason::Undecryptable));
        }
        timings.verify_records = step.elapsed();

        let lock = LockFile::beside(&path);
        // A temporary file is stale only if no process is saving: with the lock held,
        // none is. When another holds it, the clean-up waits for a later open.
        if let Ok(Some(_held)) = lock.try_acquire() {
            let removed = file::remove_stale_temp_files(&path);
            if removed > 0 {
                debug!(
                    removed,
                    "removed temporary files left by an interrupted save"
                );
            }
        }
        if let Err(e) = file::ensure_private_file(&path) {
            warn!(path = %path.display(), error = %e, "could not narrow the vault file's permissions");
        }
        timings.total = started.elapsed();
        let vault = Vault {
            path,
            options,
            state: State {
                header: raw.header,
                data_key,
                index,
                records: raw.records,
            },
            disk_checksum: raw.checksum,
            timings,
            lock,
        };
        info!(
            path = %vault.path.display(),
            connections = vault.len(),
            protection = ?vault.protection(),
            "vault opened"
        );
        Ok(vault)
    }

    /// The vault file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A plain note for the user when other users of this computer can change the
    /// folder holding the vault (the vault never changes an existing folder's
    /// permissions); `None` when only the user can. Checked anew on each call.
    pub fn folder_warning(&self) -> Option<String> {
        file::folder_warning(&self.path)
    }

    /// How the vault's key is protected right now.
    pub fn protection(&self) -> Protection {
        protection_of(&self.state.header)
    }

    /// Where the time went while opening (all zero for a vault just created).
    pub fn unlock_timings(&self) -> UnlockTimings {
        self.timings
    }

    /// How many connections are saved.
    pub fn len(&self) -> usize {
        self.state.index.connections.len()
    }

    /// True when no connection is saved.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every saved connection without its credentials, in the order they were added.
    /// Decrypts nothing.
    pub fn list(&self) -> Vec<ConnectionSummary> {
        self.state
            .index
            .connections
            .iter()
            .map(|e| e.summary.clone())
            .collect()
    }

    /// One connection without its credentials. Decrypts nothing.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`].
    pub fn summary(&self, id: &ConnectionId) -> Result<&ConnectionSummary, VaultError> {
        let i = self.position(id)?;
        Ok(&self.state.index.connections[i].summary)
    }

    /// The connection named `name` (case-insensitive), if any.
    pub fn find_by_name(&self, name: &str) -> Option<&ConnectionSummary> {
        let name = name.trim();
        self.state
            .index
            .connections
            .iter()
            .map(|e| &e.summary)
            .find(|s| s.name.to_lowercase() == name.to_lowercase())
    }

    /// One connection with its credentials (decrypts its record only).
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`]; [`VaultError::Damaged`] if the record fails
    /// to decrypt (the file is not moved while open).
    pub fn get(&self, id: &ConnectionId) -> Result<Connection, VaultError> {
        let i = self.position(id)?;
        let secrets = self.open_record(&self.state, i)?;
        let summary = self.state.index.connections[i].summary.clone();
        let history = self
            .state
            .index
            .refresh_tokens
            .history(&TokenOwner::of(&summary));
        debug!(id = %id, "connection credentials decrypted");
        Ok(Connection {
            summary,
            secrets: secrets.into(),
            refresh_token_history: history,
        })
    }

    /// Saves a new connection and records its refresh token in the history.
    ///
    /// Check [`Vault::refresh_token_budget`] *before* minting the token: if the pool
    /// was full, Zoho has already deleted the oldest token, and the history marks it.
    ///
    /// # Errors
    /// [`VaultError::InvalidName`], [`VaultError::NameTaken`], and the errors of a save
    /// ([`VaultError::Io`], [`VaultError::ChangedOnDisk`]).
    pub fn add(&mut self, new: NewConnection) -> Result<ConnectionId, VaultError> {
        let mut ids = self.add_many(vec![new])?;
        Ok(ids.remove(0))
    }

    /// Saves several new connections in one save (an import, a restore).
    ///
    /// # Errors
    /// As [`Vault::add`]; nothing is saved if any of them is refused.
    pub fn add_many(&mut self, new: Vec<NewConnection>) -> Result<Vec<ConnectionId>, VaultError> {
        let ids = self.commit(|state, now| {
            let mut ids = Vec::with_capacity(new.len());
            for n in new {
                let name = checked_name(state, &n.name, None)?;
                let id = ConnectionId::random();
                let summary = ConnectionSummary {
                    id: id.clone(),
                    name,
                    environment: n.environment,
                    data_center: n.data_center,
                    product: n.product,
                    scopes: n.scopes,
                    client_type: n.client_type,
                    client_id: n.client_id,
                    zoho_user: n.zoho_user,
                    api_domain: n.api_domain,
                    created_at: now,
                    last_refreshed_at: None,
                    access_token_expires_at: n.access_token_expires_at,
                    last_test: None,
                    organization: n.organization,
                    refresh_problem: None,
                    token_source: n.token_source,
                    payments_account_id: n.payments_account_id,
                };
                let secrets = StoredSecrets {
                    client_secret: n.client_secret,
                    refresh_token: n.refresh_token,
                    access_token: n.access_token,
                };
                // Client credentials mint no refresh token: nothing to count.
                if let Some(evicted) = secrets.refresh_token.as_ref().and_then(|token| {
                    state.index.refresh_tokens.record_mint(
                        TokenOwner::of(&summary),
                        token,
                        &id,
                        now,
                    )
                }) {
                    warn!(
                        fingerprint = evicted.fingerprint.as_str(),
                        "a new refresh token presumably made Zoho delete the oldest one"
                    );
                }
                let record = seal_record(state, &id, &secrets);
                state.index.connections.push(IndexEntry {
                    summary,
                    record_digest: crypto::hex(&record.digest()),
                });
                state.records.push(record);
                ids.push(id);
            }
            Ok(ids)
        })?;
        info!(count = ids.len(), "connections saved");
        Ok(ids)
    }

    /// Renames a connection.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], [`VaultError::InvalidName`],
    /// [`VaultError::NameTaken`], and the errors of a save.
    pub fn rename(&mut self, id: &ConnectionId, name: &str) -> Result<(), VaultError> {
        let _held = self.lock()?;
        let i = self.position(id)?;
        self.commit(|state, _| {
            let name = checked_name(state, name, Some(i))?;
            state.index.connections[i].summary.name = name;
            Ok(())
        })?;
        info!(id = %id, "connection renamed");
        Ok(())
    }

    /// Stores the access token a refresh returned.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], and the errors of a save.
    pub fn record_refresh(
        &mut self,
        id: &ConnectionId,
        refreshed: RefreshedAccess,
    ) -> Result<(), VaultError> {
        let _held = self.lock()?;
        let i = self.position(id)?;
        let mut secrets = self.open_record(&self.state, i)?;
        secrets.access_token = Some(refreshed.access_token);
        self.commit(|state, now| {
            let summary = &mut state.index.connections[i].summary;
            summary.access_token_expires_at = Some(refreshed.expires_at);
            summary.last_refreshed_at = Some(now);
            summary.refresh_problem = None;
            if let Some(domain) = refreshed.api_domain {
                summary.api_domain = domain;
            }
            replace_record(state, i, &secrets);
            Ok(())
        })?;
        info!(id = %id, "access token refreshed and saved");
        Ok(())
    }

    /// Stores a new refresh token minted for an existing connection (regenerating a
    /// lost or revoked one with the saved client and scopes).
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], and the errors of a save.
    pub fn replace_refresh_token(
        &mut self,
        id: &ConnectionId,
        grant: NewGrant,
        previous: PreviousToken,
    ) -> Result<(), VaultError> {
        let _held = self.lock()?;
        let i = self.position(id)?;
        let mut secrets = self.open_record(&self.state, i)?;
        let old = secrets.refresh_token.clone();
        secrets.refresh_token = Some(grant.refresh_token.clone());
        secrets.access_token = grant.access_token;
        self.commit(|state, now| {
            if let (PreviousToken::Revoked, Some(old)) = (previous, &old) {
                state.index.refresh_tokens.mark_revoked(old, now);
            }
            let entry = &mut state.index.connections[i];
            entry.summary.scopes = grant.scopes;
            entry.summary.api_domain = grant.api_domain;
            entry.summary.access_token_expires_at = grant.access_token_expires_at;
            entry.summary.last_refreshed_at = Some(now);
            entry.summary.refresh_problem = None;
            entry.summary.token_source = TokenSource::RefreshToken;
            let owner = TokenOwner::of(&entry.summary);
            state
                .index
                .refresh_tokens
                .record_mint(owner, &grant.refresh_token, id, now);
            replace_record(state, i, &secrets);
            Ok(())
        })?;
        info!(id = %id, "new refresh token saved");
        Ok(())
    }

    /// Records scopes Zoho added to the connection's refresh token (incremental
    /// authorization): the saved scopes become the union, in their order with the new
    /// ones after. The refresh token, its fingerprint and the count of refresh tokens
    /// minted stay as they were, since none was minted. The stored access token is
    /// dropped: it was issued before and lacks the new scopes, so the next use gets one
    /// that has them. Returns the scopes now saved.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], [`VaultError::Damaged`], and the errors of a
    /// save.
    pub fn record_added_scopes(
        &mut self,
        id: &ConnectionId,
        added: &[String],
    ) -> Result<Vec<String>, VaultError> {
        let _held = self.lock()?;
        let i = self.position(id)?;
        let mut secrets = self.open_record(&self.state, i)?;
        secrets.access_token = None;
        let scopes = self.commit(|state, _| {
            let summary = &mut state.index.connections[i].summary;
            for scope in added.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                if !summary.scopes.iter().any(|held| held == scope) {
                    summary.scopes.push(scope.to_owned());
                }
            }
            summary.access_token_expires_at = None;
            let scopes = summary.scopes.clone();
            replace_record(state, i, &secrets);
            Ok(scopes)
        })?;
        info!(id = %id, "scopes added to the connection");
        Ok(scopes)
    }

    /// Stores what a test call showed.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], and the errors of a save.
    pub fn record_test_call(
        &mut self,
        id: &ConnectionId,
        outcome: TestCallOutcome,
    ) -> Result<(), VaultError> {
        let _held = self.lock()?;
        let i = self.position(id)?;
        self.commit(|state, now| {
            state.index.connections[i].summary.last_test =
                Some(TestCallRecord { at: now, outcome });
            Ok(())
        })
    }

    /// Records what a call to Zoho learned about the connection's refresh token: a
    /// lockout to wait out, or a token Zoho no longer accepts (which then stops counting
    /// towards the limit of 20, and whose access token is dropped with it).
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], [`VaultError::Damaged`], and the errors of a
    /// save.
    pub fn record_refresh_problem(
        &mut self,
        id: &ConnectionId,
        problem: RefreshProblem,
    ) -> Result<(), VaultError> {
        let _held = self.lock()?;
        let i = self.position(id)?;
        let ended = matches!(problem, RefreshProblem::Revoked { .. });
        let mut secrets = self.open_record(&self.state, i)?;
        if ended {
            secrets.access_token = None;
        }
        self.commit(|state, now| {
            if ended {
                if let Some(token) = &secrets.refresh_token {
                    state.index.refresh_tokens.mark_revoked(token, now);
                }
                state.index.connections[i].summary.access_token_expires_at = None;
                replace_record(state, i, &secrets);
            }
            state.index.connections[i].summary.refresh_problem = Some(problem);
            Ok(())
        })?;
        info!(id = %id, ended, "refresh problem recorded");
        Ok(())
    }

    /// Records that the connection's refresh token was revoked through this app: the
    /// connection stays, so that it can be given a new token.
    ///
    /// # Errors
    /// As [`Vault::record_refresh_problem`].
    pub fn record_revoked(&mut self, id: &ConnectionId) -> Result<(), VaultError> {
        let now = self.options.clock.now();
        self.record_refresh_problem(
            id,
            RefreshProblem::Revoked {
                at: now,
                by: RevokedBy::ThisApp,
            },
        )
    }

    /// Records that `token` (one a connection held before it got a new one) was revoked
    /// at Zoho, so that it stops counting towards the limit.
    ///
    /// # Errors
    /// The errors of a save.
    pub fn record_token_revoked(&mut self, token: &RefreshToken) -> Result<(), VaultError> {
        self.commit(|state, now| {
            state.index.refresh_tokens.mark_revoked(token, now);
            Ok(())
        })
    }

    /// The connection's status at `now`, without decrypting its secrets or calling Zoho.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`].
    pub fn status(
        &self,
        id: &ConnectionId,
        now: OffsetDateTime,
    ) -> Result<ConnectionStatus, VaultError> {
        let i = self.position(id)?;
        let token = self.state.index.refresh_tokens.current_of(id);
        Ok(ConnectionStatus::of(
            &self.state.index.connections[i].summary,
            token.map(|t| &t.state),
            now,
        ))
    }

    /// What the caller needs to revoke the connection's refresh token at Zoho before
    /// [`Vault::delete`].
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], [`VaultError::Damaged`].
    pub fn revocation_details(&self, id: &ConnectionId) -> Result<RevocationDetails, VaultError> {
        let i = self.position(id)?;
        let secrets = self.open_record(&self.state, i)?;
        let summary = &self.state.index.connections[i].summary;
        Ok(RevocationDetails {
            environment: summary.environment.clone(),
            data_center: summary.data_center,
            accounts_url: summary.environment.endpoints(summary.data_center).accounts,
            refresh_token: secrets.refresh_token.clone(),
        })
    }

    /// Deletes a connection. Say whether its refresh token was revoked first: an
    /// unrevoked token stays alive at Zoho and keeps counting towards the limit.
    ///
    /// To offer revoking first: build a [`crate::TokenClient`] for the details'
    /// `environment`, call [`crate::TokenClient::revoke`] with the `data_center` and
    /// `refresh_token` of [`Vault::revocation_details`], and on
    /// [`crate::RevokeOutcome::Revoked`] or [`crate::RevokeOutcome::AlreadyInvalid`]
    /// delete with [`PreviousToken::Revoked`]; if revoking failed and the user still
    /// wants the connection gone, delete with [`PreviousToken::MaybeLive`].
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], and the errors of a save.
    pub fn delete(
        &mut self,
        id: &ConnectionId,
        token: PreviousToken,
    ) -> Result<ConnectionSummary, VaultError> {
        let _held = self.lock()?;
        let i = self.position(id)?;
        let old = match token {
            PreviousToken::Revoked => self.open_record(&self.state, i)?.refresh_token.clone(),
            PreviousToken::MaybeLive => None,
        };
        let removed = self.commit(|state, now| {
            if let Some(old) = &old {
                state.index.refresh_tokens.mark_revoked(old, now);
            }
            state.records.remove(i);
            Ok(state.index.connections.remove(i).summary)
        })?;
        info!(id = %id, revoked = old.is_some(), "connection deleted");
        Ok(removed)
    }

    /// How close `owner` (a Zoho user and client) is to Zoho's 20 refresh tokens.
    /// Call before minting a new token; warn when `next_mint_evicts_oldest`.
    pub fn refresh_token_budget(&self, owner: &TokenOwner) -> RefreshTokenBudget {
        self.state.index.refresh_tokens.budget(owner)
    }

    /// Whether the connection's refresh token is still presumed alive.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], [`VaultError::Damaged`].
    pub fn refresh_token_state(&self, id: &ConnectionId) -> Result<TokenState, VaultError> {
        let i = self.position(id)?;
        let secrets = self.open_record(&self.state, i)?;
        Ok(secrets
            .refresh_token
            .as_ref()
            .and_then(|token| self.state.index.refresh_tokens.state_of(token))
            .unwrap_or(TokenState::Live))
    }

    /// Switches protection (new passphrase, keyring to passphrase or back, adding a
    /// recovery passphrase). Makes a new data key and re-encrypts every connection; old
    /// keyring entries are removed once the new file is safely on disk.
    ///
    /// # Errors
    /// [`VaultError::PassphraseTooShort`], [`VaultError::Keyring`] with
    /// [`KeyringUse::Store`], [`VaultError::Damaged`], and the errors of a save. On
    /// error the vault keeps its old protection.
    pub fn change_protection(&mut self, protection: NewProtection) -> Result<(), VaultError> {
        let _held = self.lock()?;
        let vault_id = self.state.header.vault_id.clone();
        let new_key = SecretKey::random();
        let mut reencrypted = Vec::with_capacity(self.len());
        for (i, entry) in self.state.index.connections.iter().enumerate() {
            let secrets = self.open_record(&self.state, i)?;
            let sealed = crypto::seal(
                &new_key,
                &record_plaintext(&secrets),
                &record_aad(&vault_id, &entry.summary.id),
            );
            reencrypted.push(sealed);
        }
        let old_entries = keyring_locations(&self.state.header);
        let new = build_slots(&vault_id, &new_key, &protection, &self.options)?;
        let result = self.commit(|state, _| {
            for (entry, sealed) in state.index.connections.iter_mut().zip(&reencrypted) {
                entry.record_digest = crypto::hex(&sealed.digest());
            }
            state.records = reencrypted;
            state.data_key = new_key;
            state.header.key_slots = new.slots;
            Ok(())
        });
        if let Err(e) = result {
            self.forget_keyring_entry(new.created_keyring_entry.as_ref());
            return Err(e);
        }
        for location in &old_entries {
            self.forget_keyring_entry(Some(location));
        }
        info!(protection = ?self.protection(), "vault protection changed");
        Ok(())
    }

    /// One connection's credentials as `.env`, JSON or a `curl` command, for another
    /// tool. Only call when the user asked for it.
    ///
    /// # Errors
    /// [`VaultError::ConnectionNotFound`], [`VaultError::Damaged`].
    pub fn export(
        &self,
        id: &ConnectionId,
        format: ExportFormat,
    ) -> Result<SecretString, VaultError> {
        let connection = self.get(id)?;
        info!(id = %id, ?format, "connection exported at the user's request");
        Ok(export::render(&connection, format))
    }

    fn position(&self, id: &ConnectionId) -> Result<usize, VaultError> {
        self.state
            .index
            .connections
            .iter()
            .position(|e| &e.summary.id == id)
            .ok_or_else(|| VaultError::ConnectionNotFound { id: id.clone() })
    }

    fn open_record(&self, state: &State, i: usize) -> Result<StoredSecrets, VaultError> {
        let id = &state.index.connections[i].summary.id;
        let damaged = |reason| VaultError::Damaged {
            path: self.path.clone(),
            reason,
            quarantined_to: None,
        };
        let plain = crypto::open(
            &state.data_key,
            &state.records[i],
            &record_aad(&state.header.vault_id, id),
        )
        .map_err(|_| damaged(DamageReason::Undecryptable))?;
        // Never pass the parse error on: it could quote the secret it choked on.
        serde_json::from_slice(&plain).map_err(|_| damaged(DamageReason::UnreadableContents))
    }

    /// Takes the vault's file lock and brings this vault up to date with what other
    /// processes saved. Every change takes it by itself; hold it yourself to make a
    /// decision and a change with nobody else changing the vault in between, e.g. "the
    /// access token is expired" and the refresh that follows, so that two processes
    /// refresh it once. Taking it again in the same process while it is held does not
    /// wait.
    ///
    /// # Errors
    /// [`VaultError::Busy`] when another process keeps it longer than [`LOCK_WAIT`];
    /// [`VaultError::ChangedOnDisk`] when the file changed in a way this vault cannot
    /// take in (another process changed its protection or replaced it); [`VaultError::Io`].
    pub fn lock(&mut self) -> Result<VaultLock, VaultError> {
        let held = self.lock.acquire(LOCK_WAIT)?;
        self.reload_if_changed()?;
        Ok(held)
    }

    /// Re-reads the file when another process saved it since this vault last read or
    /// wrote it. Call only with the lock held, so that nobody writes meanwhile.
    fn reload_if_changed(&mut self) -> Result<(), VaultError> {
        let changed = || VaultError::ChangedOnDisk {
            path: self.path.clone(),
        };
        let tail =
            file::read_tail(&self.path, 32).map_err(|e| VaultError::io("read", &self.path, e))?;
        if tail.as_deref() == Some(&self.disk_checksum[..]) {
            return Ok(());
        }
        let bytes = file::read(&self.path)
            .map_err(|e| VaultError::io("read", &self.path, e))?
            .ok_or_else(changed)?;
        // A file that fails here is left for the next open to judge (and move aside if
        // damaged); this vault only refuses to save over it.
        let raw = format::decode(&bytes).map_err(|_| changed())?;
        if raw.header.vault_id != self.state.header.vault_id {
            return Err(changed());
        }
        // The same data key opens it unless its protection was changed elsewhere.
        let plain =
            crypto::open(&self.state.data_key, &raw.index, &raw.prefix).map_err(|_| changed())?;
        let index: Index = serde_json::from_slice(&plain).map_err(|_| changed())?;
        drop(plain);
        let consistent = index.connections.len() == raw.records.len()
            && index
                .connections
                .iter()
                .zip(&raw.records)
                .all(|(entry, record)| entry.record_digest == crypto::hex(&record.digest()));
        if !consistent {
            return Err(changed());
        }
        debug!(
            generation = index.generation,
            "vault re-read after another program saved it"
        );
        self.state = State {
            header: raw.header,
            data_key: self.state.data_key.clone(),
            index,
            records: raw.records,
        };
        self.disk_checksum = raw.checksum;
        Ok(())
    }

    /// Applies `change` to a copy of the state as it is on disk now, saves the copy, and
    /// adopts it only once it is on disk.
    fn commit<T>(
        &mut self,
        change: impl FnOnce(&mut State, OffsetDateTime) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        let _held = self.lock()?;
        let now = self.options.clock.now();
        let mut draft = self.state.clone();
        let out = change(&mut draft, now)?;
        draft.index.generation += 1;
        draft.index.saved_at = Some(now);
        let checksum = self.write(&draft, Some(self.disk_checksum))?;
        self.state = draft;
        self.disk_checksum = checksum;
        Ok(out)
    }

    /// Encodes and atomically writes `state`, provided the file on disk is still the one
    /// this vault last saw (`None`: there must be no file).
    fn write(&self, state: &State, expected: Option<[u8; 32]>) -> Result<[u8; 32], VaultError> {
        let prefix = format::encode_prefix(&state.header);
        let mut plain = Zeroizing::new(Vec::with_capacity(4096));
        serde_json::to_writer(&mut *plain, &state.index).expect("the index is plain data");
        let index = crypto::seal(&state.data_key, &plain, &prefix);
        drop(plain);
        let (bytes, checksum) = format::encode(&prefix, &index, &state.records);

        let on_disk =
            file::read_tail(&self.path, 32).map_err(|e| VaultError::io("read", &self.path, e))?;
        match (expected, on_disk) {
            (None, None) => {}
            (None, Some(_)) => {
                return Err(VaultError::AlreadyExists {
                    path: self.path.clone(),
                })
            }
            (Some(sum), Some(tail)) if tail == sum => {}
            _ => {
                return Err(VaultError::ChangedOnDisk {
                    path: self.path.clone(),
                })
            }
        }
        file::write_atomically(&self.path, &bytes)
            .map_err(|e| VaultError::io("save", &self.path, e))?;
        debug!(
            bytes = bytes.len(),
            generation = state.index.generation,
            "vault saved"
        );
        Ok(checksum)
    }

    /// Removes a keyring entry this vault no longer uses; a failure only leaves an
    /// unused entry behind, so it is logged, not raised.
    fn forget_keyring_entry(&self, location: Option<&KeyringLocation>) {
        let Some(location) = location else { return };
        if let Err(e) = self
            .options
            .key_store
            .delete(&location.service, &location.account)
        {
            warn!(account = %location.account, error = %e, "could not remove an unused keyring entry");
        }
    }
}

fn read_existing(path: &Path) -> Result<Vec<u8>, VaultError> {
    file::read(path)
        .map_err(|e| VaultError::io("read", path, e))?
        .ok_or_else(|| VaultError::NotFound {
            path: path.to_path_buf(),
            damaged_copies: file::damaged_copies(path),
        })
}

fn decode_or_quarantine(
    path: &Path,
    bytes: &[u8],
    options: &VaultOptions,
) -> Result<format::RawVault, VaultError> {
    format::decode(bytes).map_err(|e| match e {
        DecodeError::TooNew(found) => VaultError::UnsupportedVersion {
            found,
            supported: FORMAT_VERSION,
        },
        DecodeError::Damaged(reason) => quarantine_damaged(path, reason, options),
    })
}

/// Moves a damaged file aside and builds the error that tells the user where it went.
fn quarantine_damaged(path: &Path, reason: DamageReason, options: &VaultOptions) -> VaultError {
    let quarantined_to = match file::quarantine(path, options.clock.now()) {
        Ok(moved) => {
            warn!(path = %path.display(), moved_to = %moved.display(), %reason, "damaged vault file moved aside");
            Some(moved)
        }
        Err(e) => {
            warn!(path = %path.display(), %reason, error = %e, "damaged vault file could not be moved aside; left unchanged");
            None
        }
    };
    VaultError::Damaged {
        path: path.to_path_buf(),
        reason,
        quarantined_to,
    }
}

fn unlock_data_key(
    path: &Path,
    header: &Header,
    unlock: &Unlock,
    options: &VaultOptions,
    timings: &mut UnlockTimings,
) -> Result<SecretKey, VaultError> {
    let protection = protection_of(header);
    match unlock {
        Unlock::Passphrase(passphrase) => {
            let slot = header
                .key_slots
                .iter()
                .find(|s| matches!(s, KeySlot::Passphrase { .. }))
                .ok_or(VaultError::KeyringRequired)?;
            let KeySlot::Passphrase { kdf, .. } = slot else {
                unreachable!("found a passphrase slot")
            };
            let started = Instant::now();
            let kek = keys::derive_passphrase_key(passphrase, kdf)
                .ok_or_else(|| quarantine_damaged(path, DamageReason::Malformed, options))?;
            timings.key_derivation = started.elapsed();
            keys::unwrap_slot(&header.vault_id, slot, &kek).ok_or(VaultError::WrongPassphrase)
        }
        Unlock::Keyring => {
            let slot = header
                .key_slots
                .iter()
                .find(|s| matches!(s, KeySlot::Keyring { .. }))
                .ok_or(VaultError::PassphraseRequired)?;
            let KeySlot::Keyring { location, .. } = slot else {
                unreachable!("found a keyring slot")
            };
            let started = Instant::now();
            let text = options
                .key_store
                .get(&location.service, &location.account)
                .map_err(|source| VaultError::Keyring {
                    during: KeyringUse::Unlock {
                        recovery_passphrase: protection.has_passphrase(),
                    },
                    source,
                })?;
            timings.keyring = started.elapsed();
            let kek = keys::decode_keyring_secret(&text).ok_or(VaultError::KeyringKeyMismatch)?;
            keys::unwrap_slot(&header.vault_id, slot, &kek).ok_or(VaultError::KeyringKeyMismatch)
        }
    }
}

fn build_slots(
    vault_id: &str,
    data_key: &SecretKey,
    protection: &NewProtection,
    options: &VaultOptions,
) -> Result<NewSlots, VaultError> {
    if let Some(passphrase) = protection.passphrase() {
        keys::check_new_passphrase(passphrase)?;
    }
    let mut slots = Vec::new();
    let mut created_keyring_entry = None;
    if protection.uses_keyring() {
        let kek = SecretKey::random();
        // A fresh account name per key: the old entry must survive until the file that
        // points at the new one is safely on disk.
        let location = KeyringLocation {
            service: options.keyring_service.clone(),
            account: format!("vault-{vault_id}-key-{}", crypto::random_hex(4)),
        };
        options
            .key_store
            .set(
                &location.service,
                &location.account,
                &keys::encode_keyring_secret(&kek),
            )
            .map_err(|source| VaultError::Keyring {
                during: KeyringUse::Store,
                source,
            })?;
        debug!(account = %location.account, "vault key stored in the keyring");
        slots.push(keys::keyring_slot(
            vault_id,
            data_key,
            &kek,
            location.clone(),
        ));
        created_keyring_entry = Some(location);
    }
    if let Some(passphrase) = protection.passphrase() {
        slots.push(keys::passphrase_slot(
            vault_id,
            data_key,
            passphrase,
            options.kdf,
        ));
    }
    Ok(NewSlots {
        slots,
        created_keyring_entry,
    })
}

fn protection_of(header: &Header) -> Protection {
    let keyring = header
        .key_slots
        .iter()
        .any(|s| matches!(s, KeySlot::Keyring { .. }));
    let passphrase = header
        .key_slots
        .iter()
        .any(|s| matches!(s, KeySlot::Passphrase { .. }));
    match (keyring, passphrase) {
        (true, true) => Protection::KeyringWithRecoveryPassphrase,
        (true, false) => Protection::Keyring,
        _ => Protection::Passphrase,
    }
}

fn keyring_locations(header: &Header) -> Vec<KeyringLocation> {
    header
        .key_slots
        .iter()
        .filter_map(|s| match s {
            KeySlot::Keyring { location, .. } => Some(location.clone()),
            KeySlot::Passphrase { .. } => None,
        })
        .collect()
}

fn record_aad(vault_id: &str, id: &ConnectionId) -> Vec<u8> {
    format!("zoho-oauth-vault/record/v1/{vault_id}/{id}").into_bytes()
}

fn record_plaintext(secrets: &StoredSecrets) -> Zeroizing<Vec<u8>> {
    let mut plain = Zeroizing::new(Vec::with_capacity(512));
    serde_json::to_writer(&mut *plain, secrets).expect("secrets are plain strings");
    plain
}

fn seal_record(state: &State, id: &ConnectionId, secrets: &StoredSecrets) -> Sealed {
    crypto::seal(
        &state.data_key,
        &record_plaintext(secrets),
        &record_aad(&state.header.vault_id, id),
    )
}

fn replace_record(state: &mut State, i: usize, secrets: &StoredSecrets) {
    let id = state.index.connections[i].summary.id.clone();
    let sealed = seal_record(state, &id, secrets);
    state.index.connections[i].record_digest = crypto::hex(&sealed.digest());
    state.records[i] = sealed;
}

/// Validates `name` and checks no other connection (ignoring index `except`) has it.
fn checked_name(state: &State, name: &str, except: Option<usize>) -> Result<String, VaultError> {
    let name = model::clean_name(name).ok_or(VaultError::InvalidName {
        max: MAX_NAME_CHARS,
    })?;
    let lower = name.to_lowercase();
    let taken = state
        .index
        .connections
        .iter()
        .enumerate()
        .any(|(i, e)| Some(i) != except && e.summary.name.to_lowercase() == lower);
    if taken {
        return Err(VaultError::NameTaken { name });
    }
    Ok(name)
}
