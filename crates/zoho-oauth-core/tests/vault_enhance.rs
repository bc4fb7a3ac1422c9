//! Scopes added to a saved connection's refresh token: the saved scopes grow in place,
//! and nothing about the refresh token or the 20-token count changes.

mod vault_support;

use time::OffsetDateTime;
use vault_support::*;
use zoho_oauth_core::vault::{TokenOwner, Unlock, Vault, VaultError};

#[test]
fn added_scopes_join_the_saved_ones_and_the_token_and_budget_stay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (mut vault, ids) = vault_with(&path, 2, options.clone());
    let id = &ids[1];
    let before = vault.get(id).unwrap();
    let owner = TokenOwner::of(&before.summary);
    let budget_before = vault.refresh_token_budget(&owner);

    let scopes = vault
        .record_added_scopes(
            id,
            &[
                "ZohoBooks.bills.READ".to_owned(),
                " ZohoBooks.settings.READ ".to_owned(),
                String::new(),
            ],
        )
        .unwrap();
    assert_eq!(
        scopes,
        [
            "ZohoBooks.settings.READ",
            "ZohoBooks.invoices.CREATE",
            "ZohoBooks.bills.READ"
        ]
    );

    let back = Vault::open(&path, Unlock::Passphrase(passphrase()), options).unwrap();
    let after = back.get(id).unwrap();
    assert_eq!(after.summary.scopes, scopes);
    assert_eq!(
        after.secrets.refresh_token.as_ref().map(|t| t.expose()),
        before.secrets.refresh_token.as_ref().map(|t| t.expose())
    );
    assert_eq!(after.refresh_token_history, before.refresh_token_history);
    assert_eq!(back.refresh_token_budget(&owner), budget_before);
    // The access token from before lacks the new scopes: the next use gets another.
    assert!(after.secrets.access_token.is_none());
    assert!(!after.summary.access_token_usable(
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
        time::Duration::ZERO
    ));
    // The other connection is untouched.
    assert_eq!(
        back.get(&ids[0]).unwrap().summary,
        vault.get(&ids[0]).unwrap().summary
    );
}

#[test]
fn an_unknown_connection_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, ids) = vault_with(
        &dir.path().join("v.zov"),
        1,
        fast_options(MemoryKeyStore::new()),
    );
    let gone = ids[0].clone();
    vault
        .delete(&gone, zoho_oauth_core::vault::PreviousToken::Revoked)
        .unwrap();
    let err = vault
        .record_added_scopes(&gone, &["ZohoBooks.bills.READ".to_owned()])
        .unwrap_err();
    assert!(
        matches!(err, VaultError::ConnectionNotFound { .. }),
        "{err:?}"
    );
}
