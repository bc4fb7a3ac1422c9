//! No secret ever appears in clear where it could leak: not in the vault file's bytes,
//! not in any log line the vault writes (captured at TRACE level), not in an error's
//! message or hint, not in `Debug` output. Non-secret but private details (connection
//! names, client ids, organization names) are not in the file in clear either.

mod vault_support;

use std::fs;
use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;
use vault_support::*;
use zoho_oauth_core::vault::{
    ExportFormat, KeyringError, NewProtection, PreviousToken, RefreshedAccess, SavedOrganization,
    TestCallOutcome, Unlock, Vault, VaultError,
};
use zoho_oauth_core::{AccessToken, SecretString, UserFacing};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const N: usize = 4;
const REFRESHED: &str = "1000.refreshedaccesstokenvalue.0123456789";
const NEW_PASSPHRASE: &str = "another long passphrase";

#[test]
fn no_secret_reaches_the_file_the_logs_or_the_errors() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let keys = MemoryKeyStore::new();
    let options = fast_options(keys.clone());
    let mut texts = Vec::new(); // every error message, hint and Debug output seen

    let (mut vault, ids) = vault_with(&path, N, options.clone());
    vault
        .record_refresh(
            &ids[0],
            RefreshedAccess {
                access_token: AccessToken::new(REFRESHED),
                expires_at: time::OffsetDateTime::now_utc(),
                api_domain: None,
            },
        )
        .unwrap();
    vault
        .record_test_call(
            &ids[1],
            TestCallOutcome::Succeeded {
                organizations: vec![SavedOrganization {
                    id: "60098765".into(),
                    name: "Confidential Bakery Ltd".into(),
                    is_default: true,
                }],
            },
        )
        .unwrap();
    for format in [ExportFormat::DotEnv, ExportFormat::Json, ExportFormat::Curl] {
        let exported = vault.export(&ids[2], format).unwrap();
        assert!(exported.expose().contains(&sample_secrets(2).refresh_token));
        texts.push(format!("{exported:?} {exported}"));
    }
    let connection = vault.get(&ids[3]).unwrap();
    texts.push(format!("{connection:?} {connection:#?} {vault:?}"));
    texts.push(format!("{:?}", vault.revocation_details(&ids[3]).unwrap()));
    vault.delete(&ids[3], PreviousToken::Revoked).unwrap();
    let file_bytes = fs::read(&path).unwrap();

    let mut record = |e: VaultError| texts.push(format!("{e} | {e:?} | {}", e.hint()));
    record(
        Vault::open(
            &path,
            Unlock::Passphrase(SecretString::from(NEW_PASSPHRASE)),
            options.clone(),
        )
        .unwrap_err(),
    );
    record(
        vault
            .change_protection(NewProtection::Passphrase(SecretString::from("short")))
            .unwrap_err(),
    );
    keys.fail_with(Some(KeyringError::Locked));
    record(vault.change_protection(NewProtection::Keyring).unwrap_err());
    keys.fail_with(None);
    vault
        .change_protection(NewProtection::KeyringWithRecoveryPassphrase(
            SecretString::from(NEW_PASSPHRASE),
        ))
        .unwrap();
    let file_after_change = fs::read(&path).unwrap();
    fs::write(&path, &file_after_change[..file_after_change.len() - 5]).unwrap();
    record(Vault::open(&path, Unlock::Keyring, options.clone()).unwrap_err());

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("vault created") && logs.contains("connection exported"),
        "{logs}"
    );
    let texts = texts.join("\n");
    let mut secrets = all_secrets(N);
    secrets.extend([REFRESHED.to_owned(), NEW_PASSPHRASE.to_owned()]);
    for secret in &secrets {
        for (what, bytes) in [
            ("vault file", &file_bytes),
            ("vault file after a protection change", &file_after_change),
        ] {
            assert!(!contains(bytes, secret), "{what} holds a secret in clear");
        }
        assert!(
            !logs.contains(secret.as_str()),
            "a log line holds a secret:\n{logs}"
        );
        assert!(
            !texts.contains(secret.as_str()),
            "an error or Debug output holds a secret:\n{texts}"
        );
    }
    for private in [
        "Books connection",
        "1000.CLIENTID",
        "Confidential Bakery",
        "comptable@",
        "ZohoBooks.",
    ] {
        assert!(
            !contains(&file_bytes, private),
            "{private} is in the file in clear"
        );
    }
    // Keys never leave in clear either: the keyring entry is not in the file.
    for account in keys.accounts() {
        let key = keys_get(&keys, &account);
        assert!(!contains(&file_after_change, &key));
        assert!(!logs.contains(&key));
    }
}

fn keys_get(keys: &MemoryKeyStore, account: &str) -> String {
    use zoho_oauth_core::vault::KeyStore;
    keys.get("zoho-oauth-vault-tests", account)
        .unwrap()
        .to_string()
}
