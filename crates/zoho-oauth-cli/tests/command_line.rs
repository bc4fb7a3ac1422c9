//! The real `zoho-oauth` binary against a sandbox this test starts, with a passphrase
//! vault written through the core and the passphrase in a file: the access token reused
//! while valid (the sandbox saw no refresh), refreshed when expired, each output format
//! (the curl one run with curl), a revoked token's exit code and message, 20 concurrent
//! `token` calls plus a refresh through the core (the app's path) minting one token, and
//! no secret on standard error.
//!
//! The sandbox side is read from its own log: it records every token it issues, with
//! the client, and a refresh is an issue without a new refresh token.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use time::OffsetDateTime;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;
use zoho_oauth_core::vault::{
    ConnectionId, KdfParams, NewConnection, NewProtection, RefreshedAccess, Unlock, Vault,
    VaultOptions,
};
use zoho_oauth_core::{
    ClientCredentials, ClientSecret, ClientType, DataCenter, GrantCode, SavedAccess, SystemClock,
    TokenClient, Tokens, Want, ZohoEnv,
};
use zoho_sandbox::{ClientSpec, RegisteredClient, Sandbox, SandboxOptions, DEMO_US_USER};

const SCOPES: &str = "ZohoBooks.settings.READ,AaaServer.profile.Read";
const PASSPHRASE: &str = "river bakery ledger autumn";
const BIN: &str = env!("CARGO_BIN_EXE_zoho-oauth");

/// Refreshes the sandbox answered, per client id.
fn refreshes() -> &'static Mutex<HashMap<String, usize>> {
    static COUNTS: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();
    COUNTS.get_or_init(|| {
        let layer = RefreshCounter;
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
        Mutex::new(HashMap::new())
    })
}

struct RefreshCounter;

#[derive(Default)]
struct Issued {
    token_issued: bool,
    client_id: String,
    with_refresh_token: Option<bool>,
}

impl Visit for Issued {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.token_issued = format!("{value:?}") == "token issued";
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "client_id" {
            self.client_id = value.to_owned();
        }
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "with_refresh_token" {
            self.with_refresh_token = Some(value);
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for RefreshCounter {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut issued = Issued::default();
        event.record(&mut issued);
        if issued.token_issued && issued.with_refresh_token == Some(false) {
            *refreshes()
                .lock()
                .unwrap()
                .entry(issued.client_id)
                .or_default() += 1;
        }
    }
}

struct World {
    sandbox: Sandbox,
    env: ZohoEnv,
    client: RegisteredClient,
    dir: tempfile::TempDir,
    vault_file: PathBuf,
    passphrase_file: PathBuf,
}

/// Fetches `url` with the header line as printed, as a script would: with curl where
/// it is sure to be there, and on Windows (whose curl.exe Wine lacks) with a plain
/// HTTP/1.1 request carrying the line verbatim. True when the answer is a success.
#[cfg(not(windows))]
fn get_with_header_line(url: &str, header: &str) -> (bool, String) {
    let curl = std::process::Command::new("curl")
        .args(["-sS", "--fail-with-body", "-H", header, url])
        .output()
        .expect("curl is installed");
    (
        curl.status.success(),
        String::from_utf8_lossy(&curl.stdout).into_owned(),
    )
}

#[cfg(windows)]
fn get_with_header_line(url: &str, header: &str) -> (bool, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("a sandbox URL");
    let (host, path) = rest.split_once('/').expect("a path");
    let mut stream = std::net::TcpStream::connect(host).expect("the sandbox answers");
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\n{header}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let ok = answer.starts_with("HTTP/1.1 2");
    (ok, answer)
}

/// The environment that makes the binary find its vault in `dir`'s data folder, as it
/// finds the app's. Linux's data folder follows `XDG_DATA_HOME`; Windows' (the known
/// folder RoamingAppData) and macOS's follow no variable, so there the vault is named
/// by the variable the command line also reads, and the default folder itself is
/// checked by the core's own tests.
fn data_folder_of(dir: &std::path::Path) -> Vec<(&'static str, PathBuf)> {
    if cfg!(target_os = "linux") {
        vec![("XDG_DATA_HOME", dir.join("data"))]
    } else {
        vec![(
            "ZOHO_OAUTH_VAULT",
            dir.join("data/com.zohooauthassistant.app/connections.vault"),
        )]
    }
}

impl World {
    async fn new() -> World {
        refreshes();
        let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
        let env = ZohoEnv::sandbox(sandbox.base_url());
        let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
        let dir = tempfile::tempdir().unwrap();
        // Where the app keeps it, with this test's data folder.
        let vault_file = dir
            .path()
            .join("data/com.zohooauthassistant.app/connections.vault");
        let passphrase_file = dir.path().join("passphrase");
        std::fs::write(&passphrase_file, format!("{PASSPHRASE}\n")).unwrap();
        Vault::create(
            &vault_file,
            NewProtection::Passphrase(PASSPHRASE.into()),
            options(),
        )
        .unwrap();
        World {
            sandbox,
            env,
            client,
            dir,
            vault_file,
            passphrase_file,
        }
    }

    fn credentials(&self) -> ClientCredentials {
        ClientCredentials {
            client_type: ClientType::SelfClient,
            client_id: self.client.client_id.clone(),
            client_secret: ClientSecret::new(self.client.client_secret.clone()),
        }
    }

    async fn save(&self, name: &str) -> (ConnectionId, Tokens) {
        let code = self
            .sandbox
            .generate_self_client_code(&self.client.client_id, SCOPES, 3)
            .unwrap();
        let tokens = TokenClient::new(self.env.clone(), Arc::new(SystemClock))
            .unwrap()
            .exchange_self_client_code(DataCenter::Us, &self.credentials(), &GrantCode::new(code))
            .await
            .unwrap();
        let scopes: Vec<String> = SCOPES.split(',').map(str::to_owned).collect();
        let new = NewConnection::from_tokens(
            name,
            self.env.clone(),
            "Zoho Books",
            &self.credentials(),
            Some(DEMO_US_USER.into()),
            &tokens,
            &scopes,
        )
        .unwrap();
        let id = self.open().add(new).unwrap();
        (id, tokens)
    }

    fn open(&self) -> Vault {
        Vault::open(
            &self.vault_file,
            Unlock::Passphrase(PASSPHRASE.into()),
            options(),
        )
        .unwrap()
    }

    /// Makes the stored access token an hour old, at the sandbox as in the vault.
    fn expire(&self, id: &ConnectionId) {
        self.sandbox.advance_clock(Duration::from_secs(3700));
        let mut vault = self.open();
        let token = vault.get(id).unwrap().secrets.access_token.unwrap();
        vault
            .record_refresh(
                id,
                RefreshedAccess {
                    access_token: token,
                    expires_at: OffsetDateTime::now_utc() - time::Duration::minutes(1),
                    api_domain: None,
                },
            )
            .unwrap();
    }

    fn refreshes(&self) -> usize {
        refreshes()
            .lock()
            .unwrap()
            .get(&self.client.client_id)
            .copied()
            .unwrap_or(0)
    }

    fn stored_access_token(&self, id: &ConnectionId) -> String {
        let token = self.open().get(id).unwrap().secrets.access_token.unwrap();
        token.expose().to_owned()
    }

    /// Starts the binary as a script would: no terminal, the vault found in the data
    /// folder of `XDG_DATA_HOME`, the passphrase in a file named by the variable.
    fn start(&self, args: &[&str]) -> std::process::Child {
        std::process::Command::new(BIN)
            .args(["--sandbox", &self.sandbox.base_url()])
            .args(args)
            .env_remove("ZOHO_OAUTH_VAULT")
            .envs(data_folder_of(self.dir.path()))
            .env("HOME", self.dir.path())
            .env("ZOHO_OAUTH_PASSPHRASE_FILE", &self.passphrase_file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Runs the binary to its end (off the runtime's threads, which serve the sandbox).
    async fn run(&self, args: &[&str]) -> Output {
        finish(self.start(args)).await
    }

    /// Every secret of the test: none may reach standard error.
    fn secrets(&self, tokens: &[&str]) -> Vec<String> {
        let mut all = vec![PASSPHRASE.to_owned(), self.client.client_secret.clone()];
        let vault = self.open();
        for summary in vault.list() {
            let c = vault.get(&summary.id).unwrap();
            all.push(
                c.secrets
                    .refresh_token
                    .as_ref()
                    .unwrap()
                    .expose()
                    .to_owned(),
            );
            all.extend(c.secrets.access_token.map(|t| t.expose().to_owned()));
        }
        all.extend(tokens.iter().map(|t| (*t).to_owned()));
        all
    }
}

fn options() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::INSECURE_FAST_FOR_TESTS,
        ..VaultOptions::default()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn assert_no_secret(output: &Output, secrets: &[String]) {
    let err = stderr(output);
    for secret in secrets {
        assert!(!err.contains(secret.as_str()), "a secret on stderr: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_is_reused_while_valid_refreshed_when_expired_and_printed_in_every_format() {
    let w = World::new().await;
    let (id, minted) = w.save("Riverside - Books").await;
    w.save("Harbour - CRM").await;

    let first = w.run(&["token", "riv"]).await;
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first),
        format!("{}\n", minted.access_token.expose())
    );
    assert!(
        first.stderr.is_empty(),
        "nothing but the token: {}",
        stderr(&first)
    );
    let again = w.run(&["token", "Riverside - Books"]).await;
    assert_eq!(stdout(&again), stdout(&first));
    assert_eq!(
        w.refreshes(),
        0,
        "the sandbox saw no refresh while the token is valid"
    );

    let header = w.run(&["token", "riv", "--format", "header"]).await;
    let header = stdout(&header);
    assert_eq!(
        header.trim_end(),
        format!(
            "Authorization: Zoho-oauthtoken {}",
            minted.access_token.expose()
        )
    );
    let books = format!("{}/books/v3/organizations", minted.api_domain);
    let (ok, body) = get_with_header_line(&books, header.trim_end());
    assert!(ok, "{body}");
    assert!(body.contains("organizations"), "{body}");

    let json = w.run(&["token", "riv", "--format", "json"]).await;
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["access_token"], minted.access_token.expose());
    assert_eq!(json["api_domain"], minted.api_domain);
    assert!(json["expires_in"].as_i64().unwrap() > 3000);
    assert!(json["expires_at"].as_str().unwrap().contains('T'));
    assert!(json.get("organization_id").is_some());

    let env = stdout(&w.run(&["token", "riv", "--format", "env"]).await);
    assert!(
        env.contains(&format!(
            "export ZOHO_ACCESS_TOKEN='{}'",
            minted.access_token.expose()
        )),
        "{env}"
    );
    assert!(
        env.contains(&format!("export ZOHO_API_DOMAIN='{}'", minted.api_domain)),
        "{env}"
    );

    let curl_command = stdout(&w.run(&["token", "riv", "--format", "curl"]).await);
    // The command is written for a POSIX shell, which Windows (and Wine) lacks.
    if cfg!(windows) {
        assert!(
            curl_command.contains(minted.access_token.expose()),
            "{curl_command}"
        );
    } else {
        let ran = std::process::Command::new("sh")
            .args(["-c", curl_command.trim_end()])
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "{curl_command}: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
        assert!(String::from_utf8_lossy(&ran.stdout).contains("organizations"));
    }
    assert_eq!(w.refreshes(), 0);

    // Expired: one refresh, saved, then reused.
    w.expire(&id);
    let refreshed = w.run(&["token", "riv"]).await;
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));
    let new_token = stdout(&refreshed).trim_end().to_owned();
    assert_ne!(new_token, minted.access_token.expose());
    assert_eq!(new_token, w.stored_access_token(&id), "saved in the vault");
    assert_eq!(
        stdout(&w.run(&["token", "riv"]).await).trim_end(),
        new_token
    );
    assert_eq!(w.refreshes(), 1);

    // A refresh while valid asks for --force and says the cost.
    let unforced = w.run(&["refresh", "riv"]).await;
    assert_eq!(unforced.status.code(), Some(2));
    assert!(
        stderr(&unforced).contains("--force"),
        "{}",
        stderr(&unforced)
    );
    assert!(stderr(&unforced).contains("10 new access tokens"));
    assert_eq!(w.refreshes(), 1);

    let listed = stdout(&w.run(&["list"]).await);
    assert!(listed.contains("Riverside - Books (practice)"), "{listed}");
    assert!(listed.contains("Valid for"), "{listed}");
    let listed: serde_json::Value =
        serde_json::from_slice(&w.run(&["list", "--json"]).await.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[0]["status"]["kind"], "valid");

    let tested = w.run(&["test", "riv"]).await;
    assert!(tested.status.success(), "{}", stderr(&tested));
    assert!(
        stdout(&tested).starts_with("It works"),
        "{}",
        stdout(&tested)
    );
    assert!(
        w.open().summary(&id).unwrap().last_test.is_some(),
        "the test was saved"
    );

    let ambiguous = w.run(&["token", ""]).await;
    assert_eq!(ambiguous.status.code(), Some(4));
    assert!(
        stderr(&ambiguous).contains("\"Harbour - CRM\""),
        "{}",
        stderr(&ambiguous)
    );
    assert_eq!(w.run(&["token", "nothing"]).await.status.code(), Some(4));

    let status = stdout(&w.run(&["status"]).await);
    assert!(
        status.contains(&w.vault_file.display().to_string()),
        "{status}"
    );
    assert!(status.contains("2 saved connections"), "{status}");

    let secrets = w.secrets(&[&new_token]);
    for args in [
        &["token", "riv"][..],
        &["test", "riv"],
        &["list"],
        &["refresh", "riv"],
        &["token", "nothing"],
    ] {
        assert_no_secret(&w.run(args).await, &secrets);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revoked_token_says_so_with_its_exit_code_and_a_wrong_passphrase_is_refused() {
    let w = World::new().await;
    w.save("Riverside - Books").await;
    let secrets = w.secrets(&[]);

    let not_confirmed = w.run(&["revoke", "riv"]).await;
    assert_eq!(
        not_confirmed.status.code(),
        Some(2),
        "no terminal to confirm on"
    );
    let revoked = w.run(&["revoke", "riv", "--yes"]).await;
    assert!(revoked.status.success(), "{}", stderr(&revoked));

    let refused = w.run(&["token", "riv"]).await;
    assert_eq!(refused.status.code(), Some(5));
    assert!(refused.stdout.is_empty());
    let message = stderr(&refused);
    assert!(
        message.contains("no longer has a working refresh token"),
        "{message}"
    );
    assert!(message.contains("Regenerate"), "{message}");
    assert_no_secret(&refused, &secrets);

    std::fs::write(&w.passphrase_file, "not the passphrase\n").unwrap();
    let locked = w.run(&["token", "riv"]).await;
    assert_eq!(locked.status.code(), Some(3));
    assert!(
        stderr(&locked).contains("passphrase"),
        "{}",
        stderr(&locked)
    );
    assert_no_secret(&locked, &secrets);

    let off = std::process::Command::new(BIN)
        .args(["token", "riv"])
        .envs(data_folder_of(w.dir.path()))
        .env("ZOHO_OAUTH_PASSPHRASE_FILE", &w.passphrase_file)
        .env_remove("ZOHO_OAUTH_ASSISTANT_SANDBOX_URL")
        .output()
        .unwrap();
    assert_eq!(
        off.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&off.stderr)
    );
    let remote = w
        .run(&["--sandbox", "http://192.168.1.10:8765", "list"])
        .await;
    assert_eq!(
        remote.status.code(),
        Some(2),
        "a practice server elsewhere is refused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_commands_and_the_app_at_once_mint_one_token_and_lose_nothing() {
    let w = World::new().await;
    let (id, minted) = w.save("Riverside - Books").await;
    let (other, _) = w.save("Harbour - Books").await;
    w.expire(&id);
    let before = w.refreshes();

    let calls: Vec<_> = (0..20).map(|_| w.start(&["token", "riv"])).collect();
    // The app's path, in this process, at the same time: its own vault and lock.
    let app_vault = Mutex::new(w.open());
    let app = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let access = SavedAccess::default()
            .access_token(&app_vault, &id, Want::usable_now(OffsetDateTime::now_utc()))
            .await
            .unwrap();
        app_vault
            .lock()
            .unwrap()
            .rename(&other, "Harbour Bakery - Books")
            .unwrap();
        access.access_token().expose().to_owned()
    };
    let all_done = async {
        let mut outputs = Vec::new();
        for child in calls {
            outputs.push(finish(child).await);
        }
        outputs
    };
    let (outputs, app_token) = tokio::join!(all_done, app);

    let mut printed: Vec<String> = outputs
        .iter()
        .map(|o| {
            assert!(o.status.success(), "{}", stderr(o));
            stdout(o).trim_end().to_owned()
        })
        .collect();
    printed.push(app_token);
    printed.dedup();
    assert_eq!(printed.len(), 1, "one access token for all: {printed:?}");
    assert_ne!(printed[0], minted.access_token.expose());
    assert_eq!(w.refreshes() - before, 1, "the sandbox saw one refresh");

    let vault = w.open();
    assert_eq!(w.stored_access_token(&id), printed[0]);
    assert_eq!(
        vault.summary(&other).unwrap().name,
        "Harbour Bakery - Books",
        "nothing lost"
    );
    assert_eq!(vault.len(), 2);
}

async fn finish(child: std::process::Child) -> Output {
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap()
}

/// Waits by moving the sandbox's clock, which the sandbox measures poll intervals on.
#[derive(Debug)]
struct SandboxClockPause<'a>(&'a Sandbox);

impl zoho_oauth_core::Pause for SandboxClockPause<'_> {
    fn pause(
        &self,
        length: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.0.advance_clock(length);
        Box::pin(async {})
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_connection_approved_on_another_device_gives_tokens_too() {
    let w = World::new().await;
    let device = w.sandbox.register_client(ClientSpec::non_browser("us"));
    let credentials = ClientCredentials {
        client_type: ClientType::NonBrowser,
        client_id: device.client_id.clone(),
        client_secret: ClientSecret::new(device.client_secret.clone()),
    };
    let tokens_client = TokenClient::new(w.env.clone(), Arc::new(SystemClock)).unwrap();
    let flow = zoho_oauth_core::DeviceFlow::new(tokens_client);
    let scopes: Vec<String> = SCOPES.split(',').map(str::to_owned).collect();
    let auth = flow
        .start(DataCenter::Us, &credentials, &scopes)
        .await
        .unwrap();
    w.sandbox
        .device_decision(
            "us",
            &auth.user_code,
            DEMO_US_USER,
            zoho_sandbox::Decision::Accept,
        )
        .unwrap();
    let minted = flow
        .wait(
            &auth,
            &SandboxClockPause(&w.sandbox),
            &zoho_oauth_core::device::DeviceCancel::new(),
            |_| {},
        )
        .await
        .unwrap();
    let new = NewConnection::from_tokens(
        "Phone support",
        w.env.clone(),
        "Zoho Books",
        &credentials,
        Some(DEMO_US_USER.into()),
        &minted,
        &scopes,
    )
    .unwrap();
    let id = w.open().add(new).unwrap();

    let first = w.run(&["token", "phone"]).await;
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first),
        format!("{}\n", minted.access_token.expose())
    );

    w.expire(&id);
    let refreshed = w.run(&["token", "phone"]).await;
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));
    let token = stdout(&refreshed).trim_end().to_owned();
    assert_ne!(token, minted.access_token.expose(), "a new access token");
    assert_eq!(w.stored_access_token(&id), token, "kept in the vault");
    assert_no_secret(&refreshed, &w.secrets(&[&token, &device.client_secret]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_credentials_connection_is_asked_for_again_when_expired() {
    let w = World::new().await;
    let scopes: Vec<String> = SCOPES.split(',').map(str::to_owned).collect();
    let soid = zoho_oauth_core::Soid::for_product("books", "10234695").unwrap();
    let tokens = TokenClient::new(w.env.clone(), Arc::new(SystemClock))
        .unwrap()
        .client_credentials(DataCenter::Us, &w.credentials(), &scopes, &soid)
        .await
        .unwrap();
    let id = w
        .open()
        .add(NewConnection::from_client_credentials(
            "One-time import",
            w.env.clone(),
            "Zoho Books",
            &w.credentials(),
            Some(DEMO_US_USER.into()),
            &tokens,
            &scopes,
            soid,
        ))
        .unwrap();

    let first = w.run(&["token", "one-time"]).await;
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first),
        format!("{}\n", tokens.access_token.expose())
    );

    w.expire(&id);
    let again = w.run(&["token", "one-time"]).await;
    assert!(again.status.success(), "{}", stderr(&again));
    let fresh = stdout(&again);
    assert_ne!(fresh.trim_end(), tokens.access_token.expose());
    assert_eq!(fresh.trim_end(), w.stored_access_token(&id));
    assert!(w.open().get(&id).unwrap().secrets.refresh_token.is_none());

    let revoke = w.run(&["revoke", "one-time", "--yes"]).await;
    assert_eq!(revoke.status.code(), Some(2), "{}", stderr(&revoke));
    assert!(
        stderr(&revoke).contains("has no refresh token to revoke"),
        "{}",
        stderr(&revoke)
    );
    assert_no_secret(
        &again,
        &[
            PASSPHRASE.to_owned(),
            w.client.client_secret.clone(),
            fresh.trim_end().to_owned(),
        ],
    );
}
