//! A saved connection's status, worked out from what the vault recorded: a lockout that
//! passes, a token Zoho refused or that was revoked here (no longer counted towards the
//! 20), one pushed out by a 21st, and the chosen organization kept through test calls.
//! Everything survives closing and opening the vault again.

mod vault_support;

use std::sync::Arc;

use time::{Duration, OffsetDateTime};
use vault_support::{fast_options, passphrase, sample_connection, vault_with, MemoryKeyStore};
use zoho_oauth_core::error::Error;
use zoho_oauth_core::vault::{
    ConnectionStatus, ExportFormat, RefreshProblem, RefreshedAccess, RevokedBy, SavedOrganization,
    TestCallOutcome, TokenOwner, Unlock, LOCKOUT_WAIT,
};
use zoho_oauth_core::{AccessToken, Vault};

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A passphrase vault of `n` connections of one Zoho user and client, so that their
/// refresh tokens count in one pool.
fn one_client_vault(
    path: &std::path::Path,
    n: usize,
) -> (Vault, Vec<zoho_oauth_core::vault::ConnectionId>) {
    let mut vault = Vault::create(
        path,
        zoho_oauth_core::vault::NewProtection::Passphrase(passphrase()),
        fast_options(Arc::default()),
    )
    .unwrap();
    let ids = vault.add_many((0..n).map(same_client).collect()).unwrap();
    (vault, ids)
}

fn same_client(i: usize) -> zoho_oauth_core::vault::NewConnection {
    let mut c = sample_connection(i);
    c.client_id = "1000.ONECLIENTFORALL".into();
    c
}

#[test]
fn a_lockout_shows_until_its_time_is_up_and_a_working_refresh_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let keys = Arc::new(MemoryKeyStore::default());
    let (mut vault, ids) = vault_with(&path, 1, fast_options(keys.clone()));
    let id = &ids[0];

    let refused = RefreshProblem::from_error(&Error::RateLimited, now()).unwrap();
    vault.record_refresh_problem(id, refused).unwrap();
    let until = match vault.status(id, now()).unwrap() {
        ConnectionStatus::LockedOut { until } => until,
        other => panic!("{other:?}"),
    };
    assert!(until > now() + LOCKOUT_WAIT - Duration::minutes(1));
    drop(vault);

    let mut vault =
        Vault::open(&path, Unlock::Passphrase(passphrase()), fast_options(keys)).expect("reopened");
    assert!(
        matches!(
            vault.status(id, now()).unwrap(),
            ConnectionStatus::LockedOut { .. }
        ),
        "the lockout is remembered across runs"
    );
    assert!(
        !matches!(
            vault
                .status(id, now() + LOCKOUT_WAIT + Duration::minutes(1))
                .unwrap(),
            ConnectionStatus::LockedOut { .. }
        ),
        "and passes"
    );

    vault
        .record_refresh(
            id,
            RefreshedAccess {
                access_token: AccessToken::new("1000.new.access"),
                expires_at: now() + Duration::hours(1),
                api_domain: None,
            },
        )
        .unwrap();
    assert!(matches!(
        vault.status(id, now()).unwrap(),
        ConnectionStatus::Valid { .. }
    ));
    assert_eq!(vault.summary(id).unwrap().refresh_problem, None);
}

#[test]
fn a_token_zoho_refused_stops_counting_and_drops_its_access_token() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, ids) = one_client_vault(&dir.path().join("v"), 2);
    let owner = TokenOwner::of(vault.summary(&ids[0]).unwrap());
    assert_eq!(vault.refresh_token_budget(&owner).live, 2);

    let refused = RefreshProblem::from_error(&Error::RefreshTokenRevoked, now()).unwrap();
    vault.record_refresh_problem(&ids[0], refused).unwrap();
    let status = vault.status(&ids[0], now()).unwrap();
    assert!(
        matches!(
            status,
            ConnectionStatus::Revoked {
                by: RevokedBy::Zoho,
                ..
            }
        ),
        "{status:?}"
    );
    assert!(status.needs_new_grant());
    assert_eq!(vault.refresh_token_budget(&owner).live, 1);
    assert!(vault.get(&ids[0]).unwrap().secrets.access_token.is_none());

    vault.record_revoked(&ids[1]).unwrap();
    assert!(matches!(
        vault.status(&ids[1], now()).unwrap(),
        ConnectionStatus::Revoked {
            by: RevokedBy::ThisApp,
            ..
        }
    ));
    assert_eq!(vault.refresh_token_budget(&owner).live, 0);
    assert_eq!(vault.len(), 2, "revoking keeps the connections");
}

#[test]
fn the_twenty_first_token_marks_the_oldest_connection_presumed_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, ids) = one_client_vault(&dir.path().join("v"), 20);
    assert!(matches!(
        vault.status(&ids[0], now()).unwrap(),
        ConnectionStatus::Valid { .. } | ConnectionStatus::Expired
    ));
    let mut extra = same_client(20);
    extra.name = "The 21st".into();
    vault.add(extra).unwrap();
    assert!(matches!(
        vault.status(&ids[0], now()).unwrap(),
        ConnectionStatus::PresumedDeleted { .. }
    ));
    assert!(!vault.status(&ids[1], now()).unwrap().needs_new_grant());
}

#[test]
fn the_chosen_organization_outlives_test_calls_and_is_the_one_exported() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = Vault::create(
        dir.path().join("v"),
        zoho_oauth_core::vault::NewProtection::Passphrase(passphrase()),
        fast_options(Arc::default()),
    )
    .unwrap();
    let chosen = SavedOrganization {
        id: "20087654".into(),
        name: "Second Company".into(),
        is_default: false,
    };
    let id = vault
        .add(sample_connection(0).with_organization(Some(chosen.clone())))
        .unwrap();
    vault
        .record_test_call(
            &id,
            TestCallOutcome::Succeeded {
                organizations: vec![
                    SavedOrganization {
                        id: "10234721".into(),
                        name: "Default Company".into(),
                        is_default: true,
                    },
                    chosen.clone(),
                ],
            },
        )
        .unwrap();
    let summary = vault.summary(&id).unwrap();
    assert_eq!(summary.organization_for_calls(), Some(&chosen));
    let env = vault.export(&id, ExportFormat::DotEnv).unwrap();
    assert!(
        env.expose().contains("ZOHO_ORG_ID=\"20087654\""),
        "{}",
        env.expose()
    );
}
