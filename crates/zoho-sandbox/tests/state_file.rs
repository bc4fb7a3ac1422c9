//! A sandbox given a state file remembers: one started again on the same file honours
//! the clients and tokens of the one before, keeps counting towards Zoho's limits, and
//! a damaged file never stops it from starting.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use serde_json::json;
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

/// A fresh folder under the system's temporary one, removed afterwards.
struct Folder(PathBuf);

impl Folder {
    fn new(label: &str) -> Self {
        let unique = format!(
            "zoho-sandbox-test-{label}-{}-{:x}",
            std::process::id(),
            rand_suffix()
        );
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).expect("a temporary folder");
        Folder(path)
    }

    fn file(&self) -> PathBuf {
        self.0.join("practice-sandbox.json")
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

async fn start_on(file: &Path) -> Sandbox {
    Sandbox::start(SandboxOptions {
        port: 0,
        state_file: Some(file.to_path_buf()),
    })
    .await
    .expect("the sandbox starts")
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_sandbox_started_again_on_its_file_honours_the_tokens_of_the_last_run() {
    let folder = Folder::new("restart");
    let first = start_on(&folder.file()).await;
    let (client, tokens) = self_client_tokens(&first, "us", DEMO_US_USER, BOOKS_READ).await;
    let kept = str_of(&tokens, "refresh_token").to_owned();
    let access = str_of(&tokens, "access_token").to_owned();
    let code = first
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    let (_, second_tokens) = exchange(&first.base_url(), &client, &code, None, None).await;
    let revoked = str_of(&second_tokens, "refresh_token").to_owned();
    assert_eq!(revoke(&first.base_url(), &revoked).await.0, 200);
    first.shutdown().await;

    let again = start_on(&folder.file()).await;
    let base = again.base_url();
    let (status, body) = refresh(&base, &client, &kept).await;
    assert_eq!(status, 200, "{body}");
    assert!(is_zoho_token(str_of(&body, "access_token")), "{body}");
    let (status, _) =
        organizations(&again.api_url("us"), Some(str_of(&body, "access_token"))).await;
    assert_eq!(status, 200);
    // The access token of the last run is still good for what is left of its hour.
    let (status, body) = organizations(&again.api_url("us"), Some(&access)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        refresh(&base, &client, &revoked).await,
        (200, json!({"error": "invalid_code"}))
    );
    // The client is the same one, secret and all: a wrong secret is still refused.
    let wrong = zoho_sandbox::RegisteredClient {
        client_secret: "0".repeat(42),
        ..client.clone()
    };
    assert_eq!(
        refresh(&base, &wrong, &kept).await,
        (200, json!({"error": "invalid_client_secret"}))
    );
    again.shutdown().await;
}

#[tokio::test]
async fn without_a_state_file_a_new_sandbox_knows_nothing() {
    let first = start().await;
    let (client, tokens) = self_client_tokens(&first, "us", DEMO_US_USER, BOOKS_READ).await;
    first.shutdown().await;
    let again = start().await;
    assert_eq!(
        refresh(&again.base_url(), &client, str_of(&tokens, "refresh_token")).await,
        (200, json!({"error": "invalid_client"}))
    );
}

#[tokio::test]
async fn the_twenty_refresh_token_limit_counts_the_tokens_of_the_last_run() {
    let folder = Folder::new("twenty");
    let first = start_on(&folder.file()).await;
    let client = first.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let mut minted = Vec::new();
    for n in 0..20 {
        if n == 10 {
            // Stay within Zoho's ten code exchanges per client in ten minutes.
            first.advance_clock(Duration::from_secs(10 * 60));
        }
        let code = first
            .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
            .expect("code");
        let (_, body) = exchange(&first.base_url(), &client, &code, None, None).await;
        minted.push(str_of(&body, "refresh_token").to_owned());
    }
    first.shutdown().await;

    let again = start_on(&folder.file()).await;
    let base = again.base_url();
    // The exchanges of the last run still count; wait out their window, as at Zoho.
    again.advance_clock(Duration::from_secs(10 * 60 + 1));
    let code = again
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code");
    let (_, body) = exchange(&base, &client, &code, None, None).await;
    let newest = str_of(&body, "refresh_token").to_owned();

    assert_eq!(
        refresh(&base, &client, &minted[0]).await,
        (200, json!({"error": "invalid_code"})),
        "the oldest token, minted before the restart, made room for the twenty-first"
    );
    for refresh_token in minted[1..].iter().chain([&newest]) {
        let (_, body) = refresh(&base, &client, refresh_token).await;
        assert!(body["access_token"].is_string(), "{body}");
    }
    again.shutdown().await;
}

#[tokio::test]
async fn the_refresh_limit_counts_the_access_tokens_of_the_last_run() {
    let folder = Folder::new("throttle");
    let first = start_on(&folder.file()).await;
    let (client, tokens) = self_client_tokens(&first, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token").to_owned();
    // The exchange minted the first access token; nine refreshes make ten.
    for _ in 2..=10 {
        let (status, body) = refresh(&first.base_url(), &client, &refresh_token).await;
        assert_eq!(status, 200, "{body}");
    }
    first.shutdown().await;

    let again = start_on(&folder.file()).await;
    let (status, body) = refresh(&again.base_url(), &client, &refresh_token).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "Access Denied");
    again.shutdown().await;

    // The lockout that refusal started is remembered too.
    let third = start_on(&folder.file()).await;
    third.advance_clock(Duration::from_secs(11 * 60));
    let (status, body) = refresh(&third.base_url(), &client, &refresh_token).await;
    assert_eq!(
        (status, &body["error"]),
        (400, &json!("Access Denied")),
        "{body}"
    );
    third.shutdown().await;
}

// A current-thread runtime: the sandbox starts on this thread, into this subscriber.
#[tokio::test]
async fn a_garbage_state_file_is_moved_aside_and_the_sandbox_starts_empty() {
    let (captured, _guard) = CapturedLogs::start(tracing::Level::WARN);

    let folder = Folder::new("garbage");
    let garbage = b"{\"format\": 1, \"clients\": [tr\x00\xffuncated";
    std::fs::write(folder.file(), garbage).expect("written");

    let sandbox = start_on(&folder.file()).await;
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;

    let names = names_in(&folder.0);
    let aside: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("practice-sandbox.json.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{names:?}");
    assert_eq!(
        std::fs::read(folder.0.join(aside[0])).expect("kept"),
        garbage,
        "the damaged file is kept as it was"
    );
    let log = captured.text();
    assert!(log.contains("WARN"), "{log}");
    assert!(log.contains("moved aside"), "{log}");
    assert!(log.contains(aside[0].as_str()), "{log}");

    // What this run does is remembered in a new file of the usual name.
    sandbox.shutdown().await;
    let again = start_on(&folder.file()).await;
    let (status, body) =
        refresh(&again.base_url(), &client, str_of(&tokens, "refresh_token")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
    again.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn the_state_file_is_its_owner_s_alone() {
    use std::os::unix::fs::PermissionsExt as _;
    let folder = Folder::new("mode");
    let sandbox = start_on(&folder.file()).await;
    sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let mode = std::fs::metadata(folder.file())
        .expect("written at the first change")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Nothing but the file itself is left in the folder: no temporary file.
    assert_eq!(names_in(&folder.0), ["practice-sandbox.json"]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_file_holds_digests_not_tokens() {
    let folder = Folder::new("digests");
    let sandbox = start_on(&folder.file()).await;
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    sandbox.shutdown().await;
    let text = std::fs::read_to_string(folder.file()).expect("written");
    assert!(!text.contains(str_of(&tokens, "refresh_token")));
    assert!(!text.contains(str_of(&tokens, "access_token")));
}
