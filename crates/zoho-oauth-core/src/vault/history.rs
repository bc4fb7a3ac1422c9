//! The refresh tokens this app has seen minted, per Zoho user and client.
//!
//! Zoho keeps at most 20 refresh tokens per user and client; minting a 21st silently
//! deletes the oldest, even one a bookkeeping tool still depends on. The vault records
//! every token it saves (by a one-way fingerprint, never the token) so the app can warn
//! *before* a new consent would break an existing connection. Tokens minted outside
//! this app are unknown to it, so the count is a lower bound; when the Zoho user is not
//! known, tokens are counted per client, which can only warn too early, never too late.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::datacenter::{DataCenter, ZohoEnv};
use crate::secret::RefreshToken;

use super::crypto;
use super::model::{ConnectionId, ConnectionSummary};

/// Zoho's limit of live refresh tokens per user and client.
pub const ZOHO_REFRESH_TOKEN_LIMIT: usize = 20;

/// How many non-live tokens to remember per owner; live ones are always kept.
const RETIRED_KEPT_PER_OWNER: usize = 50;

/// Whose refresh-token pool a token belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenOwner {
    /// Zoho or the sandbox.
    pub environment: ZohoEnv,
    /// The data center.
    pub data_center: DataCenter,
    /// The client the token was minted for.
    pub client_id: String,
    /// The Zoho user, when known.
    pub zoho_user: Option<String>,
}

impl TokenOwner {
    /// The pool a saved connection's tokens belong to.
    pub fn of(summary: &ConnectionSummary) -> Self {
        TokenOwner {
            environment: summary.environment.clone(),
            data_center: summary.data_center,
            client_id: summary.client_id.clone(),
            zoho_user: summary.zoho_user.clone(),
        }
    }

    /// Tokens of an unknown user are counted with every user of the client, so that
    /// the warning errs on the early side.
    fn shares_pool_with(&self, other: &TokenOwner) -> bool {
        self.environment == other.environment
            && self.data_center == other.data_center
            && self.client_id == other.client_id
            && match (&self.zoho_user, &other.zoho_user) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => true,
            }
    }
}

/// A one-way, non-secret fingerprint of a refresh token (16 hex digits), enough to tell
/// tokens apart in a list.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenFingerprint(String);

impl TokenFingerprint {
    /// The fingerprint of `token`.
    pub fn of(token: &RefreshToken) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"zoho-oauth-assistant/refresh-token-fingerprint/v1\0");
        hash.update(token.expose().as_bytes());
        Self(crypto::hex(&hash.finalize()[..8]))
    }

    /// The fingerprint as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a minted token still counts towards Zoho's limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TokenState {
    /// Presumed alive at Zoho.
    Live,
    /// Revoked through this app.
    Revoked {
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// Zoho presumably deleted it when a newer token went over the limit.
    PresumedEvicted {
        /// When the newer token was minted.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

/// One refresh token the app saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintedToken {
    /// Its fingerprint.
    pub fingerprint: TokenFingerprint,
    /// Whose pool it counts in.
    pub owner: TokenOwner,
    /// When it was saved.
    #[serde(with = "time::serde::rfc3339")]
    pub minted_at: OffsetDateTime,
    /// The connection that held it (it may since have been deleted or given a new one).
    pub connection: Option<ConnectionId>,
    /// Whether it still counts.
    pub state: TokenState,
}

/// How close a Zoho user and client are to the 20-token limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefreshTokenBudget {
    /// Zoho's limit (20).
    pub limit: usize,
    /// Tokens this app knows to be live for this user and client.
    pub live: usize,
    /// How many more can be minted before the oldest is deleted.
    pub remaining: usize,
    /// True when minting one more token makes Zoho delete the oldest live one.
    pub next_mint_evicts_oldest: bool,
    /// The token that would go first, with the connection that holds it.
    pub oldest_live: Option<MintedToken>,
}

/// The ledger stored (encrypted) in the vault's index.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Ledger {
    tokens: Vec<MintedToken>,
}

impl Ledger {
    /// Records a newly saved token. If the pool was full, Zoho deleted its oldest token:
    /// that entry is marked and returned.
    pub(crate) fn record_mint(
        &mut self,
        owner: TokenOwner,
        token: &RefreshToken,
        connection: &ConnectionId,
        now: OffsetDateTime,
    ) -> Option<MintedToken> {
        let fingerprint = TokenFingerprint::of(token);
        if let Some(known) = self
            .tokens
            .iter_mut()
            .find(|t| t.fingerprint == fingerprint)
        {
            // The same token saved again (e.g. re-imported): not a new mint.
            known.connection = Some(connection.clone());
            return None;
        }
        let evicted = if self.budget(&owner).next_mint_evicts_oldest {
            self.oldest_live_mut(&owner).map(|oldest| {
                oldest.state = TokenState::PresumedEvicted { at: now };
                oldest.clone()
            })
        } else {
            None
        };
        self.tokens.push(MintedToken {
            fingerprint,
            owner: owner.clone(),
            minted_at: now,
            connection: Some(connection.clone()),
            state: TokenState::Live,
        });
        self.prune(&owner);
        evicted
    }

    /// Marks `token` revoked, if it is known and live.
    pub(crate) fn mark_revoked(&mut self, token: &RefreshToken, now: OffsetDateTime) {
        let fingerprint = TokenFingerprint::of(token);
        for t in self
            .tokens
            .iter_mut()
            .filter(|t| t.fingerprint == fingerprint)
        {
            if t.state == TokenState::Live {
                t.state = TokenState::Revoked { at: now };
            }
        }
    }

    /// The token `connection` holds now: the last one saved for it.
    pub(crate) fn current_of(&self, connection: &ConnectionId) -> Option<&MintedToken> {
        self.tokens
            .iter()
            .rev()
            .find(|t| t.connection.as_ref() == Some(connection))
    }

    /// The state of `token`, if known.
    pub(crate) fn state_of(&self, token: &RefreshToken) -> Option<TokenState> {
        let fingerprint = TokenFingerprint::of(token);
        self.tokens
            .iter()
            .find(|t| t.fingerprint == fingerprint)
            .map(|t| t.state.clone())
    }

    pub(crate) fn budget(&self, owner: &TokenOwner) -> RefreshTokenBudget {
        let live = self.live(owner).count();
        RefreshTokenBudget {
            limit: ZOHO_REFRESH_TOKEN_LIMIT,
            live,
            remaining: ZOHO_REFRESH_TOKEN_LIMIT.saturating_sub(live),
            next_mint_evicts_oldest: live >= ZOHO_REFRESH_TOKEN_LIMIT,
            oldest_live: self.live(owner).min_by_key(|t| t.minted_at).cloned(),
        }
    }

    /// Every token in `owner`'s pool, oldest first.
    pub(crate) fn history(&self, owner: &TokenOwner) -> Vec<MintedToken> {
        let mut tokens: Vec<_> = self
            .tokens
            .iter()
            .filter(|t| t.owner.shares_pool_with(owner))
            .cloned()
            .collect();
        tokens.sort_by_key(|t| t.minted_at);
        tokens
    }

    fn live<'a>(&'a self, owner: &'a TokenOwner) -> impl Iterator<Item = &'a MintedToken> + 'a {
        self.tokens
            .iter()
            .filter(move |t| t.state == TokenState::Live && t.owner.shares_pool_with(owner))
    }

    fn oldest_live_mut(&mut self, owner: &TokenOwner) -> Option<&mut MintedToken> {
        self.tokens
            .iter_mut()
            .filter(|t| t.state == TokenState::Live && t.owner.shares_pool_with(owner))
            .min_by_key(|t| t.minted_at)
    }

    /// Forgets the oldest retired tokens of `owner` beyond a bound, so the ledger does
    /// not grow forever.
    fn prune(&mut self, owner: &TokenOwner) {
        let mut retired: Vec<OffsetDateTime> = self
            .tokens
            .iter()
            .filter(|t| t.state != TokenState::Live && t.owner == *owner)
            .map(|t| t.minted_at)
            .collect();
        if retired.len() <= RETIRED_KEPT_PER_OWNER {
            return;
        }
        retired.sort();
        let cutoff = retired[retired.len() - RETIRED_KEPT_PER_OWNER];
        self.tokens
            .retain(|t| t.state == TokenState::Live || t.owner != *owner || t.minted_at >= cutoff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(user: Option<&str>) -> TokenOwner {
        TokenOwner {
            environment: ZohoEnv::Production,
            data_center: DataCenter::Us,
            client_id: "1000.CLIENT".into(),
            zoho_user: user.map(str::to_owned),
        }
    }

    fn token(i: usize) -> RefreshToken {
        RefreshToken::new(format!("1000.{i:032x}.{:032x}", i * 7))
    }

    #[test]
    fn the_twenty_first_token_evicts_the_oldest() {
        let mut ledger = Ledger::default();
        let start = OffsetDateTime::now_utc();
        let conn = ConnectionId::from("c");
        for i in 0..ZOHO_REFRESH_TOKEN_LIMIT {
            let before = ledger.budget(&owner(Some("a@x")));
            assert_eq!(before.live, i);
            assert!(!before.next_mint_evicts_oldest);
            let evicted = ledger.record_mint(
                owner(Some("a@x")),
                &token(i),
                &conn,
                start + time::Duration::minutes(i as i64),
            );
            assert!(evicted.is_none());
        }
        let full = ledger.budget(&owner(Some("a@x")));
        assert_eq!((full.live, full.remaining), (20, 0));
        assert!(full.next_mint_evicts_oldest);
        assert_eq!(
            full.oldest_live.unwrap().fingerprint,
            TokenFingerprint::of(&token(0))
        );
        let evicted = ledger
            .record_mint(
                owner(Some("a@x")),
                &token(99),
                &conn,
                start + time::Duration::hours(1),
            )
            .expect("the oldest is evicted");
        assert_eq!(evicted.fingerprint, TokenFingerprint::of(&token(0)));
        assert!(matches!(
            ledger.state_of(&token(0)),
            Some(TokenState::PresumedEvicted { .. })
        ));
        assert_eq!(ledger.budget(&owner(Some("a@x"))).live, 20);
    }

    #[test]
    fn revoked_tokens_free_a_place_and_other_users_do_not_count() {
        let mut ledger = Ledger::default();
        let now = OffsetDateTime::now_utc();
        let conn = ConnectionId::from("c");
        ledger.record_mint(owner(Some("a@x")), &token(1), &conn, now);
        ledger.record_mint(owner(Some("b@x")), &token(2), &conn, now);
        assert_eq!(ledger.budget(&owner(Some("A@x"))).live, 1);
        assert_eq!(
            ledger.budget(&owner(None)).live,
            2,
            "an unknown user counts against every user of the client"
        );
        ledger.mark_revoked(&token(1), now);
        assert_eq!(ledger.budget(&owner(Some("a@x"))).live, 0);
        assert_eq!(ledger.history(&owner(Some("a@x"))).len(), 1);
    }

    #[test]
    fn saving_the_same_token_twice_is_not_a_new_mint() {
        let mut ledger = Ledger::default();
        let now = OffsetDateTime::now_utc();
        ledger.record_mint(owner(None), &token(1), &ConnectionId::from("a"), now);
        ledger.record_mint(owner(None), &token(1), &ConnectionId::from("b"), now);
        assert_eq!(ledger.budget(&owner(None)).live, 1);
    }

    #[test]
    fn retired_tokens_are_pruned_but_live_ones_kept() {
        let mut ledger = Ledger::default();
        let start = OffsetDateTime::now_utc();
        let conn = ConnectionId::from("c");
        for i in 0..200 {
            let t = token(i);
            ledger.record_mint(
                owner(None),
                &t,
                &conn,
                start + time::Duration::seconds(i as i64),
            );
            ledger.mark_revoked(&t, start);
        }
        assert!(ledger.tokens.len() <= RETIRED_KEPT_PER_OWNER + 1);
        assert_eq!(ledger.budget(&owner(None)).live, 0);
    }

    #[test]
    fn fingerprints_are_stable_short_and_do_not_contain_the_token() {
        let t = RefreshToken::new(
            "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210",
        );
        let f = TokenFingerprint::of(&t);
        assert_eq!(f, TokenFingerprint::of(&t.clone()));
        assert_eq!(f.as_str().len(), 16);
        assert!(!t.expose().contains(f.as_str()));
    }
}
