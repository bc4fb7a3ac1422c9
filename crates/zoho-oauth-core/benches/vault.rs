//! How long unlocking and loading a vault of 1,000 connections takes, with the key
//! derivation reported on its own, and how long saves take at that size.
//!
//! Run: `cargo bench -p zoho-oauth-core --bench vault` (an optimised build).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use zeroize::Zeroizing;
use zoho_oauth_core::vault::{
    KdfParams, KeyStore, KeyringError, NewConnection, NewProtection, RefreshedAccess,
    SavedOrganization, TestCallOutcome, TokenSource, Unlock, Vault, VaultOptions,
};
use zoho_oauth_core::{
    AccessToken, ClientSecret, ClientType, DataCenter, RefreshToken, SecretString, ZohoEnv,
};

const CONNECTIONS: usize = 1_000;
const RUNS: usize = 7;
const COMMAND: &str = "cargo bench -p zoho-oauth-core --bench vault";

/// Stands in for the system keyring so the keyring path can be timed without D-Bus.
#[derive(Debug, Default)]
struct MemoryKeyStore(Mutex<HashMap<String, String>>);

impl KeyStore for MemoryKeyStore {
    fn get(&self, _: &str, account: &str) -> Result<Zeroizing<String>, KeyringError> {
        let map = self.0.lock().unwrap();
        map.get(account)
            .map(|v| Zeroizing::new(v.clone()))
            .ok_or(KeyringError::EntryMissing)
    }
    fn set(&self, _: &str, account: &str, secret: &str) -> Result<(), KeyringError> {
        let mut map = self.0.lock().unwrap();
        map.insert(account.to_owned(), secret.to_owned());
        Ok(())
    }
    fn delete(&self, _: &str, account: &str) -> Result<(), KeyringError> {
        self.0.lock().unwrap().remove(account);
        Ok(())
    }
}

fn connection(i: usize) -> NewConnection {
    NewConnection {
        name: format!("Client {i:04} - Zoho Books"),
        environment: ZohoEnv::Production,
        data_center: DataCenter::ALL[i % DataCenter::ALL.len()],
        product: "Zoho Books".into(),
        scopes: [
            "ZohoBooks.settings.READ",
            "ZohoBooks.invoices.CREATE",
            "ZohoBooks.invoices.READ",
            "ZohoBooks.contacts.READ",
            "ZohoBooks.bills.READ",
        ]
        .map(String::from)
        .to_vec(),
        client_type: if i.is_multiple_of(2) {
            ClientType::SelfClient
        } else {
            ClientType::ServerBased
        },
        client_id: format!("1000.{i:030}"),
        client_secret: ClientSecret::new(format!("{i:042x}")),
        zoho_user: Some(format!("accountant{i}@example.com")),
        refresh_token: Some(RefreshToken::new(format!("1000.{i:032x}.{:032x}", i * 31))),
        access_token: Some(AccessToken::new(format!("1000.{:032x}.{i:032x}", i * 17))),
        access_token_expires_at: Some(OffsetDateTime::now_utc() + time::Duration::hours(1)),
        api_domain: "https://www.zohoapis.com".into(),
        organization: None,
        token_source: TokenSource::RefreshToken,
        payments_account_id: None,
    }
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:9.2} ms", d.as_secs_f64() * 1000.0)
}

fn row(what: &str, samples: Vec<Duration>) {
    let min = *samples.iter().min().unwrap();
    println!(
        "{what:<58} median {}   min {}   ({} runs)",
        ms(median(samples.clone())),
        ms(min),
        samples.len()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let kdf = KdfParams::RECOMMENDED;
    println!("# Vault benchmark: unlock and load a vault of {CONNECTIONS} connections");
    println!("# command: {COMMAND}");
    println!(
        "# build: optimised (bench profile); KDF: Argon2id m={} KiB, t={}, p={} (KdfParams::RECOMMENDED)",
        kdf.memory_kib, kdf.iterations, kdf.parallelism
    );
    println!(
        "# machine: {} CPU(s), {} {}; each figure is the median (and minimum) of {RUNS} runs",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    println!();

    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("vault.zov");
    let options = VaultOptions {
        kdf,
        key_store: Arc::new(MemoryKeyStore::default()),
        ..VaultOptions::default()
    };
    let passphrase = || SecretString::from("a benchmark passphrase");

    let started = Instant::now();
    let mut vault = Vault::create(
        &path,
        NewProtection::Passphrase(passphrase()),
        options.clone(),
    )
    .expect("create");
    let create = started.elapsed();
    let started = Instant::now();
    let ids = vault
        .add_many((0..CONNECTIONS).map(connection).collect())
        .expect("add");
    let first_save = started.elapsed();
    for (i, id) in ids.iter().enumerate().step_by(3) {
        vault
            .record_test_call(
                id,
                TestCallOutcome::Succeeded {
                    organizations: vec![
                        SavedOrganization {
                            id: format!("600{i:05}"),
                            name: format!("Org {i} Ltd"),
                            is_default: true,
                        },
                        SavedOrganization {
                            id: format!("700{i:05}"),
                            name: format!("Org {i} Holdings"),
                            is_default: false,
                        },
                    ],
                },
            )
            .expect("test call");
    }
    let size = std::fs::metadata(&path).expect("vault file").len();
    println!(
        "vault file: {} bytes ({:.1} KiB) for {CONNECTIONS} connections",
        size,
        size as f64 / 1024.0
    );
    println!(
        "{:<58} {}",
        "create an empty vault (includes one KDF run)",
        ms(create)
    );
    println!(
        "{:<58} {}",
        "first save of 1,000 new connections (one atomic save)",
        ms(first_save)
    );
    println!();

    let (mut total, mut kdf_time, mut rest, mut load_all) = (vec![], vec![], vec![], vec![]);
    for _ in 0..RUNS {
        let started = Instant::now();
        let opened =
            Vault::open(&path, Unlock::Passphrase(passphrase()), options.clone()).expect("open");
        let t = opened.unlock_timings();
        total.push(started.elapsed());
        kdf_time.push(t.key_derivation);
        rest.push(t.total.saturating_sub(t.key_derivation));
        let started = Instant::now();
        for summary in opened.list() {
            let c = opened.get(&summary.id).expect("get");
            std::hint::black_box(c.secrets.refresh_token.as_ref().unwrap().expose().len());
        }
        load_all.push(started.elapsed());
    }
    println!("Passphrase-protected vault");
    row("unlock + load index (open), total", total.clone());
    row("  of which key derivation (Argon2id)", kdf_time);
    row(
        "  of which read + decrypt index + verify 1,000 records",
        rest,
    );
    row(
        "decrypt all 1,000 connections' secrets (get x 1,000)",
        load_all.clone(),
    );
    let full: Vec<Duration> = total.iter().zip(&load_all).map(|(a, b)| *a + *b).collect();
    row("unlock + load everything (open + get x 1,000)", full);

    let opened =
        Vault::open(&path, Unlock::Passphrase(passphrase()), options.clone()).expect("open");
    let mut list = vec![];
    for _ in 0..RUNS {
        let started = Instant::now();
        std::hint::black_box(opened.list().len());
        list.push(started.elapsed());
    }
    row("list 1,000 summaries (nothing decrypted)", list);
    drop(opened);

    let mut saves = vec![];
    for (i, id) in ids.iter().enumerate().take(RUNS * 3) {
        let started = Instant::now();
        vault
            .record_refresh(
                id,
                RefreshedAccess {
                    access_token: AccessToken::new(format!("1000.refreshed.{i}")),
                    expires_at: OffsetDateTime::now_utc() + time::Duration::hours(1),
                    api_domain: None,
                },
            )
            .expect("save");
        saves.push(started.elapsed());
    }
    row("save one refreshed token (atomic write + fsync x2)", saves);

    let started = Instant::now();
    vault
        .change_protection(NewProtection::Keyring)
        .expect("to keyring");
    let rekey = started.elapsed();
    println!(
        "{:<58} {}",
        "move to keyring protection (new key, re-encrypt 1,000)",
        ms(rekey)
    );
    println!();

    let mut keyring_total = vec![];
    for _ in 0..RUNS {
        let started = Instant::now();
        let opened = Vault::open(&path, Unlock::Keyring, options.clone()).expect("open");
        std::hint::black_box(opened.len());
        keyring_total.push(started.elapsed());
    }
    println!("Keyring-protected vault (in-memory key store standing in for the OS keyring)");
    row("unlock + load index (open), total, no KDF", keyring_total);
}
