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

use serde::Serialize;
use sha2::{Digest, Sha256};
use zoho_oauth_core::vault::{
    ConnectionId, ConnectionSummary, ExportFormat, KeyringUse, NewConnection, NewProtection,
    Protection, RefreshTokenBudget, SavedOrganization, TestCallOutcome, TokenOwner, Unlock,
    VaultOptions, MAX_NAME_CHARS, MIN_PASSPHRASE_CHARS,
};
use zoho_oauth_core::{SecretString, UserFacing, Vault, VaultError, ZohoEnv, ZohoUser};

use crate::error::{AppError, CommandError};
use crate::wizard::MadeConnection;

/// The vault's file name inside the app's data folder.
pub const VAULT_FILE_NAME: &str = "connections.vault";

/// Where the vault is, as far as the window needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VaultKind {
    /// Nothing saved yet: the first save creates the vault.
    Absent,
    /// Protected by a passphrase that has not been typed yet.
    Locked,
    /// Open: connections can be listed and saved.
    Open,
    /// There, but it cannot be opened now (see the notice).
    Unavailable,
}

/// A saved connection as the start screen lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedConnectionView {
    /// Its id, for later commands.
    pub id: String,
    /// The name the person gave it.
    pub name: String,
    /// The product, e.g. "Zoho Books".
    pub product: String,
    /// The data center, e.g. "United States (.com)".
    pub data_center: String,
    /// The organization it works with, e.g. "Riverside Bakery Inc. (10234721)".
    pub organization: Option<String>,
    /// True when it was made in practice mode.
    pub practice: bool,
}

/// The vault as the window sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultStatus {
    /// Absent, locked, open or unavailable.
    pub state: VaultKind,
    /// How it is protected, in words ("Protected by your passphrase").
    pub protection: Option<String>,
    /// The saved connections (only while open).
    pub connections: Vec<SavedConnectionView>,
    /// Something the person should know: a damaged file kept aside, a keyring that did
    /// not answer.
    pub notice: Option<CommandError>,
}

/// How close a Zoho user and client are to Zoho's 20 refresh tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetLevel {
    /// Well within the limit.
    Ok,
    /// Three or fewer left.
    Near,
    /// At the limit, or over it.
    Full,
}

/// The refresh-token budget, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetView {
    /// Live refresh tokens this assistant knows of (this connection's included).
    pub used: usize,
    /// Zoho's limit.
    pub limit: usize,
    /// How worried to be.
    pub level: BudgetLevel,
    /// What it means, in plain words.
    pub message: String,
}

/// A connection just saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedView {
    /// Its id, for export.
    pub id: String,
    /// The name it was saved under.
    pub name: String,
    /// How the vault is protected, in words.
    pub protection: String,
    /// Where the vault file is.
    pub vault_file: String,
    /// The budget, this connection's token counted.
    pub budget: BudgetView,
}

/// What the save section shows before saving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavePreview {
    /// A name to start from, e.g. "Morgan Bookkeeping LLC - Books".
    pub suggested_name: String,
    /// Whether saving creates the vault, needs it unlocked, or just saves.
    pub vault: VaultKind,
    /// How the vault is protected, when there is one.
    pub protection: Option<String>,
    /// The budget for this connection's user and client, once the vault is open.
    pub budget: Option<BudgetView>,
    /// Set when this connection is already saved.
    pub saved: Option<SavedView>,
    /// Why the vault cannot be used now, when it cannot.
    pub notice: Option<CommandError>,
}

/// The outcome of a save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SaveOutcome {
    /// Saved.
    Saved {
        /// What was saved.
        saved: SavedView,
    },
    /// No vault existed and the keyring did not answer: ask for a passphrase.
    NeedsPassphrase {
        /// Why, in plain words.
        reason: String,
    },
}

/// What the person typed to save the connection.
#[derive(Clone, Debug, Default)]
pub struct SaveRequest {
    /// The name to save it under.
    pub name: String,
    /// The scopes asked for (used only when Zoho did not say which it granted).
    pub scopes: Vec<String>,
    /// A passphrase for a new vault (the keyring is used when there is none).
    pub passphrase: Option<SecretString>,
    /// The passphrase typed again.
    pub confirmation: Option<SecretString>,
}

/// How strong a new passphrase is, judged by its length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseCheck {
    /// Long enough to be accepted.
    pub acceptable: bool,
    /// "too_short", "fair", "good" or "strong".
    pub strength: &'static str,
    /// What it means and what makes it stronger.
    pub message: String,
    /// True when the confirmation is the same (false while it is empty).
    pub matches: bool,
}

/// Why a vault step did not work.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultStepError {
    /// The vault refused or failed.
    #[error("{}", sentence(&.0.to_string()))]
    Vault(#[from] VaultError),
    /// The connection is not ready (no tokens yet).
    #[error(transparent)]
    Wizard(#[from] AppError),
    /// Zoho sent no refresh token.
    #[error(
        "Zoho did not send a refresh token with this connection, so there is nothing to save."
    )]
    NoRefreshToken,
    /// The two passphrases typed differ.
    #[error("The two passphrases are not the same.")]
    PassphrasesDiffer,
    /// The vault is there but cannot be opened now.
    #[error("{}", .0.message)]
    Unavailable(CommandError),
    /// The app has no data folder.
    #[error("The assistant could not find a folder of its own on this computer to keep saved connections in.")]
    NoFolder,
    /// The clipboard could not be written.
    #[error("The clipboard could not be used ({reason}).")]
    Clipboard {
        /// What the platform said.
        reason: String,
    },
    /// The export file could not be written.
    #[error("The export could not be written to {} ({source}).", path.display())]
    ExportUnwritten {
        /// The file chosen.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
}

impl UserFacing for VaultStepError {
    fn kind(&self) -> &'static str {
        match self {
            VaultStepError::Vault(err) => err.kind(),
            VaultStepError::Wizard(err) => err.kind(),
            VaultStepError::NoRefreshToken => "no_refresh_token",
            VaultStepError::PassphrasesDiffer => "passphrases_differ",
            VaultStepError::Unavailable(problem) => problem.kind,
            VaultStepError::NoFolder => "no_data_folder",
            VaultStepError::Clipboard { .. } => "clipboard_unavailable",
            VaultStepError::ExportUnwritten { .. } => "export_unwritten",
        }
    }

    fn hint(&self) -> String {
        match self {
            VaultStepError::Vault(err) => err.hint(),
            VaultStepError::Wizard(err) => err.hint(),
            VaultStepError::NoRefreshToken => {
                "Connect again from the start: Zoho sends a refresh token when the code is exchanged for the first time.".into()
            }
            VaultStepError::PassphrasesDiffer => {
                "Type the same passphrase in both fields.".into()
            }
            VaultStepError::Unavailable(problem) => problem.hint.clone(),
            VaultStepError::NoFolder => {
                "Check that your user account has a home folder you can write to, then start the assistant again.".into()
            }
            VaultStepError::Clipboard { .. } => {
                "Press Reveal and copy the token by hand, or save the connection and export it to a file.".into()
            }
            VaultStepError::ExportUnwritten { .. } => {
                "Choose another folder, such as your Documents folder, and export again. Nothing else was changed.".into()
            }
        }
    }
}

/// "the passphrase does not unlock this vault" → "The passphrase does not unlock this vault."
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

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

/// The vault, managed by Tauri.
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
                connections: Vec::new(),
                notice: match &self.slot {
                    Slot::Absent { notice } => notice.clone(),
                    _ => None,
                },
            },
            Slot::Locked { protection, notice } => VaultStatus {
                state: VaultKind::Locked,
                protection: Some(protection.describe().to_owned()),
                connections: Vec::new(),
                notice: notice.clone(),
            },
            Slot::Unavailable { problem } => VaultStatus {
                state: VaultKind::Unavailable,
                protection: None,
                connections: Vec::new(),
                notice: Some(problem.clone()),
            },
            Slot::Open(vault) => VaultStatus {
                state: VaultKind::Open,
                protection: Some(vault.protection().describe().to_owned()),
                connections: vault.list().iter().map(saved_connection_view).collect(),
                notice: None,
            },
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
        let token = made.tokens.refresh_token.as_ref()?;
        let digest = token_digest(token.expose());
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
                    self.already_saved(made).is_none(),
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
        let new = NewConnection::from_tokens(
            request.name,
            made.env.clone(),
            product_name(&made.product),
            &made.credentials,
            zoho_user_key(made.user.as_ref()),
            &made.tokens,
            &request.scopes,
        )
        .ok_or(VaultStepError::NoRefreshToken)?;
        let digest = token_digest(new.refresh_token.expose());

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
        if !made.product.is_empty() {
            // The core exports the default or only organization of the last test call,
            // so the one the person chose is recorded as the one this connection is for.
            let organizations = made
                .organization
                .iter()
                .map(SavedOrganization::from)
                .collect();
            vault.record_test_call(&id, TestCallOutcome::Succeeded { organizations })?;
        }
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

fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Refresh tokens are counted per Zoho user: the e-mail address when Zoho gave one,
/// else the user id.
fn zoho_user_key(user: Option<&ZohoUser>) -> Option<String> {
    let user = user?;
    user.email.clone().or_else(|| user.zuid.clone())
}

fn owner_of(made: &MadeConnection) -> TokenOwner {
    TokenOwner {
        environment: made.env.clone(),
        data_center: made.tokens.dc,
        client_id: made.credentials.client_id.trim().to_owned(),
        zoho_user: zoho_user_key(made.user.as_ref()),
    }
}

/// The catalog's name for `product` ("Zoho Books"), or the id itself.
fn product_name(product: &str) -> String {
    zoho_oauth_core::scopes::product(product)
        .map_or_else(|| product.to_owned(), |p| p.name.to_owned())
}

/// "Morgan Bookkeeping LLC - Books", made unique among the names `taken`.
fn suggest_name(made: &MadeConnection, taken: impl Fn(&str) -> bool) -> String {
    let product = product_name(&made.product);
    let short = product.strip_prefix("Zoho ").unwrap_or(&product);
    let short = if short.is_empty() { "Zoho" } else { short };
    let base = match (&made.organization, made.user.as_ref()) {
        (Some(org), _) => format!("{} - {short}", org.name),
        (None, Some(user)) => format!("{} - {short}", user.describe()),
        (None, None) => format!("{short} ({})", made.tokens.dc.name()),
    };
    let fit = |text: &str, room: usize| -> String { text.chars().take(room).collect() };
    let base = fit(base.trim(), MAX_NAME_CHARS);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            format!(
                "{}{suffix}",
                fit(&base, MAX_NAME_CHARS - suffix.chars().count())
            )
        })
        .find(|name| !taken(name))
        .expect("some number is free")
}

fn saved_connection_view(summary: &ConnectionSummary) -> SavedConnectionView {
    let organization = summary
        .last_test
        .as_ref()
        .and_then(|test| match &test.outcome {
            TestCallOutcome::Succeeded { organizations } => match organizations.as_slice() {
                [only] => Some(format!("{} ({})", only.name, only.id)),
                _ => None,
            },
            TestCallOutcome::Failed { .. } => None,
        });
    SavedConnectionView {
        id: summary.id.to_string(),
        name: summary.name.clone(),
        product: summary.product.clone(),
        data_center: format!(
            "{} ({})",
            summary.data_center.name(),
            summary.data_center.domain()
        ),
        organization,
        practice: matches!(summary.environment, ZohoEnv::Sandbox { .. }),
    }
}

/// The budget, counting this connection's token once: `unsaved` when it is not in the
/// vault yet (it is live at Zoho all the same).
fn budget_view(budget: &RefreshTokenBudget, unsaved: bool, vault: &Vault) -> BudgetView {
    let limit = budget.limit;
    let used = (budget.live + usize::from(unsaved)).min(limit);
    let oldest = budget
        .oldest_live
        .as_ref()
        .and_then(|token| token.connection.as_ref())
        .and_then(|id| vault.summary(id).ok())
        .map(|s| format!(" (saved as \"{}\")", s.name))
        .unwrap_or_default();
    let (level, message) = if unsaved && budget.next_mint_evicts_oldest {
        (
            BudgetLevel::Full,
            format!(
                "Zoho keeps at most {limit} refresh tokens for one Zoho user and client, and this one went over: Zoho has probably deleted the oldest{oldest}, and whatever used it has stopped working."
            ),
        )
    } else if used >= limit {
        (
            BudgetLevel::Full,
            format!(
                "This is Zoho's limit. The next refresh token for this Zoho user and client silently deletes the oldest one{oldest}, and whatever uses it stops working. Revoke a token you no longer need before you connect again."
            ),
        )
    } else if limit - used <= 3 {
        (
            BudgetLevel::Near,
            format!(
                "Close to Zoho's limit of {limit}. A {}st refresh token silently deletes the oldest one{oldest}, even if another tool still uses it. Revoke tokens you no longer need before you connect again.",
                limit + 1
            ),
        )
    } else {
        (
            BudgetLevel::Ok,
            format!(
                "Zoho keeps at most {limit} refresh tokens for one Zoho user and client; a {}st silently deletes the oldest. This counts the ones saved with this assistant.",
                limit + 1
            ),
        )
    };
    BudgetView {
        used,
        limit,
        level,
        message,
    }
}

fn damage_notice(err: &VaultError) -> CommandError {
    let (reason, kept) = match err {
        VaultError::Damaged {
            reason,
            quarantined_to,
            ..
        } => (reason.to_string(), quarantined_to.clone()),
        _ => (err.to_string(), None),
    };
    CommandError {
        kind: "vault_damaged",
        message: format!("Your saved connections could not be read: the file is damaged ({reason})."),
        hint: match kept {
            Some(kept) => format!(
                "The damaged file was kept at {} and nothing was deleted. The next connection you save starts a new file; if you have a backup of the old one, ask for help restoring it.",
                kept.display()
            ),
            None => "The damaged file was left where it is, unchanged. Move it somewhere safe, then start the assistant again.".into(),
        },
    }
}

fn earlier_damage_notice(kept: &Path) -> CommandError {
    CommandError {
        kind: "vault_damaged_earlier",
        message: "An earlier file of saved connections was damaged and could not be read.".into(),
        hint: format!(
            "It is kept at {}, and nothing was deleted. The next connection you save starts a new file.",
            kept.display()
        ),
    }
}

/// Judges a new passphrase by its length, the one thing that makes it hard to guess
/// and easy to explain.
pub fn check_passphrase(passphrase: &str, confirmation: &str) -> PassphraseCheck {
    let chars = passphrase.chars().count();
    let (strength, message) = match chars {
        n if n < MIN_PASSPHRASE_CHARS => (
            "too_short",
            format!(
                "Too short: at least {MIN_PASSPHRASE_CHARS} characters ({} more). A short sentence works well.",
                MIN_PASSPHRASE_CHARS - n
            ),
        ),
        n if n < 12 => (
            "fair",
            "Acceptable, but easy to guess. Make it longer: four or five ordinary words in a row are stronger and easy to remember.".to_owned(),
        ),
        n if n < 20 => (
            "good",
            "Good. A few more words make it stronger still.".to_owned(),
        ),
        _ => ("strong", "Strong: long passphrases are the hardest to guess.".to_owned()),
    };
    PassphraseCheck {
        acceptable: chars >= MIN_PASSPHRASE_CHARS,
        strength,
        message,
        matches: !confirmation.is_empty() && confirmation == passphrase,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex as StdMutex;

    use time::OffsetDateTime;
    use zoho_oauth_core::vault::{KdfParams, KeyStore, KeyringError};
    use zoho_oauth_core::{
        AccessToken, ClientCredentials, ClientSecret, ClientType, DataCenter, Organization,
        RefreshToken, Tokens,
    };

    use super::*;

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

    #[test]
    fn passphrase_strength_is_about_length() {
        let short = check_passphrase("abc", "");
        assert!(!short.acceptable);
        assert!(short.message.contains("5 more"), "{}", short.message);
        assert!(!short.matches);
        let fair = check_passphrase("abcdefgh", "abcdefgh");
        assert!(fair.acceptable && fair.matches);
        assert_eq!(fair.strength, "fair");
        assert!(fair.message.contains("longer"), "{}", fair.message);
        assert_eq!(
            check_passphrase("correct horse battery staple", "").strength,
            "strong"
        );
    }
}
