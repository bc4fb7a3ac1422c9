//! Shared fixtures for the vault's integration tests: fast KDF settings, an in-memory
//! keyring, and connections with recognisable (fake) credentials.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use time::OffsetDateTime;
use zeroize::Zeroizing;
use zoho_oauth_core::vault::{
    ConnectionId, KdfParams, KeyStore, KeyringError, NewConnection, TokenSource, Vault,
    VaultOptions,
};
use zoho_oauth_core::{
    AccessToken, ClientSecret, ClientType, DataCenter, ManualClock, RefreshToken, SecretString,
    ZohoEnv,
};

/// A keyring held in memory, which can be told to fail like a real one.
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    entries: Mutex<HashMap<(String, String), String>>,
    failure: Mutex<Option<KeyringError>>,
}

impl MemoryKeyStore {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Every later call fails with `error` (or works again with `None`).
    pub fn fail_with(&self, error: Option<KeyringError>) {
        *self.failure.lock().unwrap() = error;
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap().len()
    }

    pub fn accounts(&self) -> Vec<String> {
        self.entries
            .lock()
            .unwrap()
            .keys()
            .map(|(_, a)| a.clone())
            .collect()
    }

    pub fn clear(&self) {
        self.entries.lock().unwrap().clear();
    }

    /// Replaces every stored key with `value`.
    pub fn overwrite_all(&self, value: &str) {
        for v in self.entries.lock().unwrap().values_mut() {
            *v = value.to_owned();
        }
    }

    fn check(&self) -> Result<(), KeyringError> {
        match self.failure.lock().unwrap().clone() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl KeyStore for MemoryKeyStore {
    fn get(&self, service: &str, account: &str) -> Result<Zeroizing<String>, KeyringError> {
        self.check()?;
        self.entries
            .lock()
            .unwrap()
            .get(&(service.to_owned(), account.to_owned()))
            .map(|v| Zeroizing::new(v.clone()))
            .ok_or(KeyringError::EntryMissing)
    }

    fn set(&self, service: &str, account: &str, secret: &str) -> Result<(), KeyringError> {
        self.check()?;
        self.entries
            .lock()
            .unwrap()
            .insert((service.to_owned(), account.to_owned()), secret.to_owned());
        Ok(())
    }

    fn delete(&self, service: &str, account: &str) -> Result<(), KeyringError> {
        self.check()?;
        self.entries
            .lock()
            .unwrap()
            .remove(&(service.to_owned(), account.to_owned()));
        Ok(())
    }
}

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn passphrase() -> SecretString {
    SecretString::from(PASSPHRASE)
}

/// Options with the cheap KDF, an in-memory keyring and a frozen clock.
pub fn fast_options(keys: Arc<MemoryKeyStore>) -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::INSECURE_FAST_FOR_TESTS,
        key_store: keys,
        keyring_service: "zoho-oauth-vault-tests".into(),
        clock: Arc::new(ManualClock::starting_at(
            OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
        )),
    }
}

/// The credentials of sample connection `i`, shaped like Zoho's.
pub struct SampleSecrets {
    pub client_secret: String,
    pub refresh_token: String,
    pub access_token: String,
}

pub fn sample_secrets(i: usize) -> SampleSecrets {
    SampleSecrets {
        client_secret: format!("{:042x}", 0x5ec1e7_u128 * 1_000_003 + i as u128),
        refresh_token: format!(
            "1000.{:032x}.{:032x}",
            0xfeed_u128 + i as u128,
            0xbeef_u128 * (i as u128 + 7)
        ),
        access_token: format!(
            "1000.{:032x}.{:032x}",
            0xacce55_u128 + i as u128,
            0xcafe_u128 * (i as u128 + 3)
        ),
    }
}

pub fn sample_connection(i: usize) -> NewConnection {
    let s = sample_secrets(i);
    NewConnection {
        name: format!("Books connection {i}"),
        environment: ZohoEnv::Production,
        data_center: DataCenter::Eu,
        product: "Zoho Books".into(),
        scopes: vec![
            "ZohoBooks.settings.READ".into(),
            "ZohoBooks.invoices.CREATE".into(),
        ],
        client_type: ClientType::SelfClient,
        client_id: format!("1000.CLIENTID{i:021}"),
        client_secret: ClientSecret::new(s.client_secret),
        zoho_user: Some("comptable@example.eu".into()),
        refresh_token: Some(RefreshToken::new(s.refresh_token)),
        access_token: Some(AccessToken::new(s.access_token)),
        access_token_expires_at: Some(OffsetDateTime::from_unix_timestamp(1_800_003_600).unwrap()),
        api_domain: "https://www.zohoapis.eu".into(),
        organization: None,
        token_source: TokenSource::RefreshToken,
        payments_account_id: None,
    }
}

/// A passphrase vault at `path` holding `n` sample connections.
pub fn vault_with(path: &Path, n: usize, options: VaultOptions) -> (Vault, Vec<ConnectionId>) {
    let mut vault = Vault::create(
        path,
        zoho_oauth_core::vault::NewProtection::Passphrase(passphrase()),
        options,
    )
    .unwrap();
    let ids = vault
        .add_many((0..n).map(sample_connection).collect())
        .unwrap();
    (vault, ids)
}

/// Every secret a sample vault of `n` connections holds, plus the passphrase.
pub fn all_secrets(n: usize) -> Vec<String> {
    let mut out = vec![PASSPHRASE.to_owned()];
    for i in 0..n {
        let s = sample_secrets(i);
        out.extend([s.client_secret, s.refresh_token, s.access_token]);
    }
    out
}

/// True when `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
