//! What the window is shown of the vault: its state, the saved connections' names, the
//! refresh-token budget in plain words, and notices about damaged files. Plain data,
//! built from the core's types; nothing secret is ever in it.

use std::path::Path;

use serde::Serialize;
use zoho_oauth_core::vault::{Protection, RefreshTokenBudget};
use zoho_oauth_core::{SecretString, Vault, VaultError};

use crate::error::CommandError;
use crate::saved_views::ConnectionView;

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

/// The vault as the window sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultStatus {
    /// Absent, locked, open or unavailable.
    pub state: VaultKind,
    /// How it is protected, in words ("Protected by your passphrase").
    pub protection: Option<String>,
    /// The same as a code: `keyring`, `passphrase` or `keyring_and_passphrase`.
    pub protection_kind: Option<&'static str>,
    /// Where the vault file is (or would be).
    pub vault_file: Option<String>,
    /// The saved connections (only while open).
    pub connections: Vec<ConnectionView>,
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

/// `protection` as a code the window branches on.
pub(crate) fn protection_kind(protection: Protection) -> &'static str {
    match protection {
        Protection::Keyring => "keyring",
        Protection::Passphrase => "passphrase",
        Protection::KeyringWithRecoveryPassphrase => "keyring_and_passphrase",
    }
}

/// The budget, counting this connection's token once: `unsaved` when it is not in the
/// vault yet (it is live at Zoho all the same).
pub(crate) fn budget_view(budget: &RefreshTokenBudget, unsaved: bool, vault: &Vault) -> BudgetView {
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

pub(crate) fn damage_notice(err: &VaultError) -> CommandError {
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

pub(crate) fn earlier_damage_notice(kept: &Path) -> CommandError {
    CommandError {
        kind: "vault_damaged_earlier",
        message: "An earlier file of saved connections was damaged and could not be read.".into(),
        hint: format!(
            "It is kept at {}, and nothing was deleted. The next connection you save starts a new file.",
            kept.display()
        ),
    }
}
