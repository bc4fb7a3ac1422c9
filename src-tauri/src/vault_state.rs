//! The saved connections, as the window uses them: the encrypted vault of the core
//! (`zoho_oauth_core::vault`), opened once per run and kept in Tauri's managed state.
//!
//! At start the app asks for [`VaultState::status`]: no vault yet, a passphrase vault
//! waiting to be unlocked, a keyring vault (opened there and then, the keyring call
//! bounded by the core's 3-second limit), or one that cannot be opened now (its keyring
//! does not answer, or a newer release wrote it). A damaged file has already been moved
//! aside by the vault; the status carries a plain notice with where it was kept.
//!
//! The first save creates the vault, in the system keyring unless the person chose a
//! passphrase; when the keyring does not answer, the save answers
//! [`SaveOutcome::NeedsPassphrase`] with the reason in plain words, and the window asks
//! for one. Saving the same tokens twice (a double click) saves them once.
//!
//! Every vault call blocks (Argon2id, file I/O, the keyring), so each runs on Tokio's
//! blocking pool, one at a time.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest, Sha256};
use zoho_oauth_core::vault::{
    ConnectionId, ExportFormat, KeyringUse, NewConnection, NewProtection, Protection,
    SavedOrganization, TokenOwner, Unlock, VaultOptions,
};
use zoho_oauth_core::{SecretString, UserFacing, Vault, VaultError};

use crate::error::CommandError;
use crate::naming::{owner_of, product_name, suggest_name, zoho_user_key};
use crate::saved_views::connection_view;
use crate::vault_error::VaultStepError;
use crate::vault_views::{
    budget_view, damage_notice, earlier_damage_notice, protection_kind, SaveOutcome, SavePreview,
    SaveRequest, SavedView, VaultKind, VaultStatus,
};
use crate::wizard::MadeConnection;

/// The vault's file name inside the app's data folder.
pub const VAULT_FILE_NAME: &str = zoho_oauth_core::vault::DEFAULT_FILE_NAME;

enum Slot {
    /// Not looked at yet.
    Unchecked,
    Absent {
        notice: Option<CommandError>,
    },
    Locked {
        protection: Protection,
        notice: Option<CommandError>,
    },
    Unavailable {
        problem: CommandError,
    },
    Open(Box<Vault>),
}

struct Inner {
    file: Option<PathBuf>,
    options: VaultOptions,
    slot: Slot,
    /// Digests of the refresh tokens saved in this run, with where they went.
    saved: Vec<([u8; 32], ConnectionId)>,
}

/// The vault, managed by Tauri. Clones share it, for work that outlives a command.
#[derive(Clone)]
pub struct VaultState {
    inner: Arc<Mutex<Inner>>,
}

impl VaultState {
    /// A vault with `options`, its file placed later by [`VaultState::place_in`].
    pub fn new(options: VaultOptions) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                file: None,
                options,
                slot: Slot::Unchecked,
                saved: Vec::new(),
            })),
        }
    }

    /// Keeps the vault in `folder` (the app data folder), unless a place was already
    /// given.
    pub fn place_in(&self, folder: &Path) {
        let mut inner = self.lock();
        if inner.file.is_none() {
            inner.file = Some(folder.join(VAULT_FILE_NAME));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the blocking pool with the vault to itself.
    async fn with<T: Send + 'static>(&self, f: impl FnOnce(&mut Inner) -> T + Send + 'static) -> T {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = inner.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .unwrap_or_else(|err| std::panic::resume_unwind(err.into_panic()))
    }

    /// The vault's state, opening a keyring vault on the first call.
    pub async fn status(&self) -> VaultStatus {
        self.with(|inner| {
            if matches!(inner.slot, Slot::Unavailable { .. }) {
                // The keyring may answer now (unlocked since), so look again.
                inner.slot = Slot::Unchecked;
            }
            inner.check();
            inner.status()
        })
        .await
    }

    /// Unlocks a passphrase vault. A wrong passphrase changes nothing on disk.
    ///
    /// # Errors
    /// [`VaultError::WrongPassphrase`], and whatever else the vault reports.
    pub async fn unlock(&self, passphrase: SecretString) -> Result<VaultStatus, VaultStepError> {
        self.with(move |inner| {
            inner.check();
            inner.unlock(passphrase)?;
            Ok(inner.status())
        })
        .await
    }

    /// What saving `made` would do, and its budget.
    pub async fn preview(&self, made: MadeConnection) -> SavePreview {
        self.with(move |inner| {
            inner.check();
            inner.preview(&made)
        })
        .await
    }

    /// Saves `made` under the request's name, creating the vault on the first save.
    ///
    /// # Errors
    /// Passphrases that differ or are too short, a name taken or invalid, a locked or
    /// unavailable vault, no refresh token, a failed write.
    pub async fn save(
        &self,
        made: MadeConnection,
        request: SaveRequest,
    ) -> Result<SaveOutcome, VaultStepError> {
        self.with(move |inner| {
            inner.check();
            inner.save(&made, request)
        })
        .await
    }

    /// Runs `f` with the open vault, on the blocking pool, one call at a time.
    ///
    /// # Errors
    /// A vault that is not open (locked, absent, unavailable), and whatever `f` returns.
    pub async fn with_open<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, VaultStepError> + Send + 'static,
    ) -> Result<T, VaultStepError> {
        self.with(move |inner| {
            inner.check();
            match &mut inner.slot {
                Slot::Open(vault) => f(vault),
                Slot::Unavailable { problem } => Err(VaultStepError::Unavailable(problem.clone())),
                _ => Err(VaultError::PassphraseRequired.into()),
            }
        })
        .await
    }

    /// Changes how the vault is protected; every connection is re-encrypted under a new
    /// key. On error nothing changes.
    ///
    /// # Errors
    /// A passphrase too short, a keyring that does not answer, a failed save.
    pub async fn change_protection(
        &self,
        protection: NewProtection,
    ) -> Result<VaultStatus, VaultStepError> {
        self.with(move |inner| {
            inner.check();
            match &mut inner.slot {
                Slot::Open(vault) => vault.change_protection(protection)?,
                Slot::Unavailable { problem } => {
                    return Err(VaultStepError::Unavailable(problem.clone()))
                }
                _ => return Err(VaultError::PassphraseRequired.into()),
            }
            Ok(inner.status())
        })
        .await
    }

    /// The name of a saved connection.
    ///
    /// # Errors
    /// A vault that is not open, an unknown id.
    pub async fn connection_name(&self, id: ConnectionId) -> Result<String, VaultStepError> {
        self.with(move |inner| Ok(inner.open_vault()?.summary(&id)?.name.clone()))
            .await
    }

    /// A saved connection in `format`, for a file the person chose.
    ///
    /// # Errors
    /// A vault that is not open, an unknown id, a record that fails to decrypt.
    pub async fn export(
        &self,
        id: ConnectionId,
        format: ExportFormat,
    ) -> Result<SecretString, VaultStepError> {
        self.with(move |inner| Ok(inner.open_vault()?.export(&id, format)?))
            .await
    }
}

impl Inner {
    fn check(&mut self) {
        if !matches!(self.slot, Slot::Unchecked) {
            return;
        }
        let Some(file) = self.file.clone() else {
            self.slot = Slot::Unavailable {
                problem: CommandError::from(VaultStepError::NoFolder),
            };
            return;
        };
        self.slot = match Vault::inspect(&file, &self.options) {
            Err(VaultError::NotFound { damaged_copies, .. }) => Slot::Absent {
                notice: damaged_copies
                    .last()
                    .map(|kept| earlier_damage_notice(kept)),
            },
            Err(err @ VaultError::Damaged { .. }) => Slot::Absent {
                notice: Some(damage_notice(&err)),
            },
            Err(err) => Slot::Unavailable {
                problem: CommandError::from(VaultStepError::from(err)),
            },
            Ok(info) if info.protection.has_keyring() => {
                match Vault::open(&file, Unlock::Keyring, self.options.clone()) {
                    Ok(vault) => Slot::Open(Box::new(vault)),
                    Err(err @ VaultError::Damaged { .. }) => Slot::Absent {
                        notice: Some(damage_notice(&err)),
                    },
                    Err(err) if info.protection.has_passphrase() => Slot::Locked {
                        protection: info.protection,
                        notice: Some(CommandError::from(VaultStepError::from(err))),
                    },
                    Err(err) => Slot::Unavailable {
                        problem: CommandError::from(VaultStepError::from(err)),
                    },
                }
            }
            Ok(info) => Slot::Locked {
                protection: info.protection,
                notice: None,
            },
        };
    }

    fn status(&self) -> VaultStatus {
        match &self.slot {
            Slot::Unchecked | Slot::Absent { .. } => VaultStatus {
                state: VaultKind::Absent,
                protection: None,
                protection_kind: None,
                vault_file: None,
                connections: Vec::new(),
                notice: match &self.slot {
                    Slot::Absent { notice } => notice.clone(),
                    _ => None,
                },
            },
            Slot::Locked { protection, notice } => VaultStatus {
                state: VaultKind::Locked,
                protection: Some(protection.describe().to_owned()),
                protection_kind: Some(protection_kind(*protection)),
                vault_file: self.file.as_ref().map(|f| f.display().to_string()),
                connections: Vec::new(),
                notice: notice.clone(),
            },
            Slot::Unavailable { problem } => VaultStatus {
                state: VaultKind::Unavailable,
                protection: None,
                protection_kind: None,
                vault_file: self.file.as_ref().map(|f| f.display().to_string()),
                connections: Vec::new(),
                notice: Some(problem.clone()),
            },
            Slot::Open(vault) => {
                let now = time::OffsetDateTime::now_utc();
                VaultStatus {
                    state: VaultKind::Open,
                    protection: Some(vault.protection().describe().to_owned()),
                    protection_kind: Some(protection_kind(vault.protection())),
                    vault_file: Some(vault.path().display().to_string()),
                    connections: vault
                        .list()
                        .iter()
                        .map(|summary| connection_view(vault, summary, now))
                        .collect(),
                    notice: None,
                }
            }
        }
    }

    fn unlock(&mut self, passphrase: SecretString) -> Result<(), VaultStepError> {
        match &self.slot {
            Slot::Open(_) => return Ok(()),
            Slot::Locked { .. } => {}
            Slot::Unavailable { problem } => {
                return Err(VaultStepError::Unavailable(problem.clone()))
            }
            Slot::Unchecked | Slot::Absent { .. } => {
                return Err(VaultStepError::Vault(VaultError::NotFound {
                    path: self.file.clone().unwrap_or_default(),
                    damaged_copies: Vec::new(),
                }))
            }
        }
        let file = self.file.clone().ok_or(VaultStepError::NoFolder)?;
        match Vault::open(&file, Unlock::Passphrase(passphrase), self.options.clone()) {
            Ok(vault) => {
                self.slot = Slot::Open(Box::new(vault));
                Ok(())
            }
            Err(err @ VaultError::Damaged { .. }) => {
                let notice = damage_notice(&err);
                self.slot = Slot::Absent {
                    notice: Some(notice.clone()),
                };
                Err(VaultStepError::Unavailable(notice))
            }
            Err(err) => Err(err.into()),
        }
    }

    fn open_vault(&self) -> Result<&Vault, VaultStepError> {
        match &self.slot {
            Slot::Open(vault) => Ok(vault),
            Slot::Unavailable { problem } => Err(VaultStepError::Unavailable(problem.clone())),
            _ => Err(VaultError::PassphraseRequired.into()),
        }
    }

    fn kind(&self) -> VaultKind {
        match &self.slot {
            Slot::Unchecked | Slot::Absent { .. } => VaultKind::Absent,
            Slot::Locked { .. } => VaultKind::Locked,
            Slot::Unavailable { .. } => VaultKind::Unavailable,
            Slot::Open(_) => VaultKind::Open,
        }
    }

    fn already_saved(&self, made: &MadeConnection) -> Option<&ConnectionId> {
        let digest = made_digest(made)?;
        let Slot::Open(vault) = &self.slot else {
            return None;
        };
        self.saved
            .iter()
            .find(|(saved, id)| *saved == digest && vault.summary(id).is_ok())
            .map(|(_, id)| id)
    }

    fn preview(&self, made: &MadeConnection) -> SavePreview {
        let (taken, budget, protection): (Vec<String>, _, _) = match &self.slot {
            Slot::Open(vault) => (
                vault.list().into_iter().map(|s| s.name).collect(),
                Some(budget_view(
                    &vault.refresh_token_budget(&owner_of(made)),
                    // Client credentials spend none of the refresh tokens.
                    self.already_saved(made).is_none() && made.soid.is_none(),
                    vault,
                )),
                Some(vault.protection().describe().to_owned()),
            ),
            Slot::Locked { protection, .. } => {
                (Vec::new(), None, Some(protection.describe().to_owned()))
            }
            _ => (Vec::new(), None, None),
        };
        let saved = self
            .already_saved(made)
            .and_then(|id| self.saved_view(id).ok());
        SavePreview {
            suggested_name: suggest_name(made, |name| {
                taken.iter().any(|t| t.eq_ignore_ascii_case(name))
            }),
            vault: self.kind(),
            protection,
            budget,
            saved,
            notice: match &self.slot {
                Slot::Unavailable { problem } => Some(problem.clone()),
                Slot::Locked { notice, .. } | Slot::Absent { notice } => notice.clone(),
                _ => None,
            },
        }
    }

    fn save(
        &mut self,
        made: &MadeConnection,
        request: SaveRequest,
    ) -> Result<SaveOutcome, VaultStepError> {
        if let Some(id) = self.already_saved(made).cloned() {
            return Ok(SaveOutcome::Saved {
                saved: self.saved_view(&id)?,
            });
        }
        let new = match &made.soid {
            Some(soid) => Some(NewConnection::from_client_credentials(
                request.name,
                made.env.clone(),
                product_name(&made.product),
                &made.credentials,
                zoho_user_key(made.user.as_ref()),
                &made.tokens,
                &request.scopes,
                soid.clone(),
            )),
            None => NewConnection::from_tokens(
                request.name,
                made.env.clone(),
                product_name(&made.product),
                &made.credentials,
                zoho_user_key(made.user.as_ref()),
                &made.tokens,
                &request.scopes,
            ),
        }
        .ok_or(VaultStepError::NoRefreshToken)?
        .with_organization(made.organization.as_ref().map(SavedOrganization::from))
        .with_payments_account(made.account_id.clone());
        let digest = made_digest(made).ok_or(VaultStepError::NoRefreshToken)?;

        match &self.slot {
            Slot::Open(_) => {}
            Slot::Unchecked | Slot::Absent { .. } => {
                let file = self.file.clone().ok_or(VaultStepError::NoFolder)?;
                let protection = match request.passphrase {
                    None => NewProtection::Keyring,
                    Some(passphrase) => {
                        let same = request
                            .confirmation
                            .as_ref()
                            .is_some_and(|c| c.expose() == passphrase.expose());
                        if !same {
                            return Err(VaultStepError::PassphrasesDiffer);
                        }
                        NewProtection::Passphrase(passphrase)
                    }
                };
                match Vault::create(&file, protection, self.options.clone()) {
                    Ok(vault) => self.slot = Slot::Open(Box::new(vault)),
                    Err(
                        err @ VaultError::Keyring {
                            during: KeyringUse::Store,
                            ..
                        },
                    ) => return Ok(SaveOutcome::NeedsPassphrase { reason: err.hint() }),
                    Err(err) => return Err(err.into()),
                }
            }
            Slot::Locked { .. } => return Err(VaultError::PassphraseRequired.into()),
            Slot::Unavailable { problem } => {
                return Err(VaultStepError::Unavailable(problem.clone()))
            }
        }
        let Slot::Open(vault) = &mut self.slot else {
            unreachable!("opened or created above")
        };
        let id = vault.add(new)?;
        self.saved.push((digest, id.clone()));
        Ok(SaveOutcome::Saved {
            saved: self.saved_view(&id)?,
        })
    }

    fn saved_view(&self, id: &ConnectionId) -> Result<SavedView, VaultStepError> {
        let vault = self.open_vault()?;
        let summary = vault.summary(id)?;
        Ok(SavedView {
            id: id.to_string(),
            name: summary.name.clone(),
            protection: vault.protection().describe().to_owned(),
            vault_file: vault.path().display().to_string(),
            budget: budget_view(
                &vault.refresh_token_budget(&TokenOwner::of(summary)),
                false,
                vault,
            ),
        })
    }
}

/// What tells one made connection from another once saved: its refresh token, or for
/// client credentials (which have none) the access token Zoho gave.
fn made_digest(made: &MadeConnection) -> Option<[u8; 32]> {
    match (&made.soid, &made.tokens.refresh_token) {
        (Some(_), _) => Some(token_digest(made.tokens.access_token.expose())),
        (None, Some(token)) => Some(token_digest(token.expose())),
        (None, None) => None,
    }
}

fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex as StdMutex;

    use time::OffsetDateTime;
    use zoho_oauth_core::vault::{KdfParams, KeyStore, KeyringError};
    use zoho_oauth_core::{
        AccessToken, ClientCredentials, ClientSecret, ClientType, DataCenter, Organization,
        RefreshToken, Tokens, ZohoEnv, ZohoUser,
    };

    use super::*;
    use crate::vault_views::BudgetLevel;

    /// A keyring that works, in memory; or one that never answers.
    #[derive(Debug, Default)]
    struct MemoryKeyring {
        entries: StdMutex<HashMap<(String, String), String>>,
        broken: bool,
    }

    impl KeyStore for MemoryKeyring {
        fn get(
            &self,
            service: &str,
            account: &str,
        ) -> Result<zeroize::Zeroizing<String>, KeyringError> {
            if self.broken {
                return Err(KeyringError::TimedOut { millis: 3000 });
            }
            self.entries
                .lock()
                .unwrap()
                .get(&(service.into(), account.into()))
                .cloned()
                .map(zeroize::Zeroizing::new)
                .ok_or(KeyringError::EntryMissing)
        }
        fn set(&self, service: &str, account: &str, secret: &str) -> Result<(), KeyringError> {
            if self.broken {
                return Err(KeyringError::TimedOut { millis: 3000 });
            }
            self.entries
                .lock()
                .unwrap()
                .insert((service.into(), account.into()), secret.into());
            Ok(())
        }
        fn delete(&self, service: &str, account: &str) -> Result<(), KeyringError> {
            self.entries
                .lock()
                .unwrap()
                .remove(&(service.into(), account.into()));
            Ok(())
        }
    }

    fn options(keyring: Arc<MemoryKeyring>) -> VaultOptions {
        VaultOptions {
            kdf: KdfParams::INSECURE_FAST_FOR_TESTS,
            key_store: keyring,
            ..VaultOptions::default()
        }
    }

    fn state_in(dir: &Path, keyring: Arc<MemoryKeyring>) -> VaultState {
        let state = VaultState::new(options(keyring));
        state.place_in(dir);
        state
    }

    fn org(id: &str, name: &str, is_default: bool) -> Organization {
        Organization {
            id: id.into(),
            name: name.into(),
            is_default,
            currency: None,
            email: None,
            contact_name: None,
            time_zone: None,
        }
    }

    fn made(refresh: &str, organization: Option<Organization>) -> MadeConnection {
        MadeConnection {
            env: ZohoEnv::sandbox("http://127.0.0.1:9"),
            credentials: ClientCredentials {
                client_type: ClientType::SelfClient,
                client_id: "1000.CLIENTID".into(),
                client_secret: ClientSecret::new("client-secret-value"),
            },
            tokens: Tokens {
                dc: DataCenter::Us,
                access_token: AccessToken::new("1000.access.token"),
                refresh_token: Some(RefreshToken::new(refresh)),
                api_domain: "http://127.0.0.1:9/api/us".into(),
                scope: Some("ZohoBooks.settings.READ".into()),
                expires_at: OffsetDateTime::now_utc() + time::Duration::hours(1),
            },
            product: "books".into(),
            organization,
            soid: None,
            account_id: None,
            user: Some(ZohoUser {
                zuid: Some("749301256".into()),
                email: Some("accountant@example.com".into()),
                first_name: Some("Alex".into()),
                last_name: Some("Morgan".into()),
                display_name: None,
            }),
        }
    }

    fn request(name: &str, passphrase: Option<&str>) -> SaveRequest {
        SaveRequest {
            name: name.into(),
            scopes: vec!["ZohoBooks.settings.READ".into()],
            passphrase: passphrase.map(SecretString::from),
            confirmation: passphrase.map(SecretString::from),
        }
    }

    fn saved(outcome: SaveOutcome) -> SavedView {
        match outcome {
            SaveOutcome::Saved { saved } => saved,
            other => panic!("not saved: {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_first_save_creates_a_keyring_vault_that_opens_by_itself() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Arc::new(MemoryKeyring::default());
        let state = state_in(dir.path(), keyring.clone());
        assert_eq!(state.status().await.state, VaultKind::Absent);

        let riverside = org("10234721", "Riverside Bakery Inc.", false);
        let preview = state
            .preview(made("1000.r.one", Some(riverside.clone())))
            .await;
        assert_eq!(preview.suggested_name, "Riverside Bakery Inc. - Books");
        assert_eq!(preview.vault, VaultKind::Absent);
        assert_eq!(preview.budget, None, "no vault, no count yet");

        let view = saved(
            state
                .save(
                    made("1000.r.one", Some(riverside.clone())),
                    request(&preview.suggested_name, None),
                )
                .await
                .unwrap(),
        );
        assert_eq!(view.name, "Riverside Bakery Inc. - Books");
        assert_eq!(view.protection, Protection::Keyring.describe());
        assert_eq!((view.budget.used, view.budget.limit), (1, 20));
        assert_eq!(view.budget.level, BudgetLevel::Ok);

        // A double click saves once.
        let again = saved(
            state
                .save(
                    made("1000.r.one", Some(riverside.clone())),
                    request("Other name", None),
                )
                .await
                .unwrap(),
        );
        assert_eq!(again.id, view.id);

        // The next run opens it with the keyring, no passphrase asked.
        let restarted = state_in(dir.path(), keyring);
        let status = restarted.status().await;
        assert_eq!(status.state, VaultKind::Open);
        assert_eq!(status.connections.len(), 1);
        let listed = &status.connections[0];
        assert_eq!(listed.name, "Riverside Bakery Inc. - Books");
        assert_eq!(listed.product, "Zoho Books");
        assert_eq!(
            listed.organization.as_deref(),
            Some("Riverside Bakery Inc. (10234721)")
        );
        assert!(listed.practice);

        // The export names the chosen organization, not Zoho's default one.
        let env = restarted
            .export(ConnectionId::from(view.id.as_str()), ExportFormat::DotEnv)
            .await
            .unwrap();
        assert!(env.expose().contains("ZOHO_ORG_ID=\"10234721\""), "{env:?}");
        assert!(env
            .expose()
            .contains("ZOHO_API_DOMAIN=\"http://127.0.0.1:9/api/us\""));
        assert!(env.expose().contains("ZOHO_REFRESH_TOKEN=\"1000.r.one\""));

        // A second connection suggests a free name and counts both tokens.
        let preview = restarted.preview(made("1000.r.two", Some(riverside))).await;
        assert_eq!(preview.suggested_name, "Riverside Bakery Inc. - Books (2)");
        assert_eq!(
            preview.budget.map(|b| b.used),
            Some(2),
            "this unsaved one counts"
        );
    }

    #[tokio::test]
    async fn without_a_keyring_the_save_asks_for_a_passphrase_and_the_vault_then_needs_it() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Arc::new(MemoryKeyring {
            broken: true,
            ..MemoryKeyring::default()
        });
        let state = state_in(dir.path(), keyring.clone());
        let outcome = state
            .save(made("1000.r.one", None), request("Books", None))
            .await
            .unwrap();
        let SaveOutcome::NeedsPassphrase { reason } = outcome else {
            panic!("{outcome:?}")
        };
        assert!(reason.contains("keyring did not answer"), "{reason}");
        assert!(reason.contains("passphrase"), "{reason}");
        assert!(!dir.path().join(VAULT_FILE_NAME).exists());

        let differ = SaveRequest {
            confirmation: Some("another passphrase".into()),
            ..request("Books", Some("correct horse battery"))
        };
        let err = state
            .save(made("1000.r.one", None), differ)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "passphrases_differ");
        let err = state
            .save(made("1000.r.one", None), request("Books", Some("short")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "passphrase_too_short");

        saved(
            state
                .save(
                    made("1000.r.one", None),
                    request("Books", Some("correct horse battery")),
                )
                .await
                .unwrap(),
        );
        let file = dir.path().join(VAULT_FILE_NAME);
        let bytes = std::fs::read(&file).unwrap();
        for secret in ["1000.r.one", "1000.access.token", "client-secret-value"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in clear"
            );
        }

        let restarted = state_in(dir.path(), keyring);
        let status = restarted.status().await;
        assert_eq!(status.state, VaultKind::Locked);
        assert_eq!(
            status.protection.as_deref(),
            Some(Protection::Passphrase.describe())
        );
        let err = restarted
            .unlock("wrong passphrase!".into())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "wrong_passphrase");
        assert_eq!(
            err.to_string(),
            "The passphrase does not unlock this vault."
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            bytes,
            "a wrong passphrase changes nothing"
        );
        let status = restarted
            .unlock("correct horse battery".into())
            .await
            .unwrap();
        assert_eq!(status.state, VaultKind::Open);
        assert_eq!(status.connections[0].name, "Books");
    }

    #[tokio::test]
    async fn a_damaged_file_is_kept_aside_and_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(VAULT_FILE_NAME);
        std::fs::write(
            &file,
            b"this is not a vault at all, just some bytes on the disk",
        )
        .unwrap();
        let state = state_in(dir.path(), Arc::default());
        let status = state.status().await;
        assert_eq!(status.state, VaultKind::Absent);
        let notice = status.notice.expect("a notice");
        assert_eq!(notice.kind, "vault_damaged");
        assert!(!file.exists(), "moved aside");
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(kept.len(), 1);
        assert!(
            notice.hint.contains(&kept[0].display().to_string()),
            "{}",
            notice.hint
        );
    }

    #[test]
    fn the_budget_warns_near_and_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = Vault::create(
            dir.path().join("v"),
            NewProtection::Keyring,
            options(Arc::default()),
        )
        .unwrap();
        let base = made("1000.r.0", None);
        for i in 0..18 {
            let mut m = base.clone();
            m.tokens.refresh_token = Some(RefreshToken::new(format!("1000.r.{i}")));
            let new = NewConnection::from_tokens(
                format!("c{i}"),
                m.env.clone(),
                "Zoho Books",
                &m.credentials,
                zoho_user_key(m.user.as_ref()),
                &m.tokens,
                &[],
            )
            .unwrap();
            vault.add(new).unwrap();
        }
        let owner = owner_of(&base);
        let near = budget_view(&vault.refresh_token_budget(&owner), true, &vault);
        assert_eq!((near.used, near.level), (19, BudgetLevel::Near));
        assert!(near.message.contains("21st"), "{}", near.message);
        assert!(near.message.contains("saved as \"c0\""), "{}", near.message);
        let ok = budget_view(&vault.refresh_token_budget(&owner), false, &vault);
        assert_eq!(ok.used, 18);
        let mut other = base.clone();
        other.credentials.client_id = "1000.OTHER".into();
        let fresh = budget_view(&vault.refresh_token_budget(&owner_of(&other)), true, &vault);
        assert_eq!((fresh.used, fresh.level), (1, BudgetLevel::Ok));
    }
}
