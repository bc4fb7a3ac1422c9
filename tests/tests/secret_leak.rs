//! The secret-leak scan: both ways in (the Self Client and the consent page, with its
//! PKCE verifier), saving with a passphrase, copying a token, refreshing and testing a
//! saved connection and a report for support, all with the most verbose logging. Then
//! every secret that crossed the sandbox's port, and the passphrase, is searched for in
//! everything the app left behind: its log, every file under its home folder (data,
//! config, cache, WebKit's storage), the clipboard once its clear time has passed, and
//! the support report. None may be found.
//!
//! The app's panics go to its log too, so a panic message holding a secret would be
//! found there.

use std::path::{Path, PathBuf};
use std::time::Duration;

use e2e_tests::{free_port, App, Options};
use zoho_sandbox::{ClientSpec, Sandbox, SandboxOptions, DEMO_US_USER};

const PASSPHRASE: &str = "ledger willow harbour 1987";

/// Every file under `dir`, the harness's own files left out.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file()
                && !App::HARNESS_FILES
                    .iter()
                    .any(|name| path.file_name().is_some_and(|n| n == *name))
            {
                found.push(path);
            }
        }
    }
    found
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_is_left_in_logs_files_clipboard_or_report() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let port = free_port();
    let redirect_uri = format!("http://localhost:{port}/zoho/callback");
    let Some(app) = App::launch_with(Options {
        sandbox_url: Some(sandbox.base_url()),
        env: vec![
            ("ZOHO_OAUTH_ASSISTANT_LOG".into(), "trace".into()),
            (
                "ZOHO_OAUTH_ASSISTANT_CLIPBOARD_CLEAR_SECONDS".into(),
                "2".into(),
            ),
            (
                "ZOHO_OAUTH_ASSISTANT_REDIRECT_PORT".into(),
                port.to_string(),
            ),
            ("FAKE_BROWSER_USER".into(), DEMO_US_USER.into()),
        ],
    })
    .await
    else {
        return;
    };
    let self_client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let server = sandbox.register_client(ClientSpec::server_based("us", &redirect_uri));

    // The Self Client way to Connected.
    let scopes = app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.type_into("#client-id", &self_client.client_id).await;
    app.type_into("#client-secret", &self_client.client_secret)
        .await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    let code = sandbox
        .generate_self_client_code(&self_client.client_id, &scopes, 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    app.click("#grant-next").await;
    app.wait_for_all(".org-pick .check-row", 2).await;
    app.click("label[data-org='10234721']").await;
    app.click("#test-next").await;
    app.wait_for_text("#screen-title", "Connected to Riverside Bakery Inc.")
        .await;

    // Copied at the person's request, then gone from the clipboard after its time.
    app.click("#refresh-copy").await;
    app.wait_for_text_containing("#copy-status", "Copied").await;
    let copied = app.clipboard_text().expect("the token on the clipboard");
    app.wait_for_clipboard_cleared_of(&copied, Duration::from_secs(15))
        .await;

    // Saved under a passphrase (no keyring answers in these tests).
    app.click("#save-submit").await;
    app.type_into("#passphrase-new", PASSPHRASE).await;
    app.type_into("#passphrase-confirm", PASSPHRASE).await;
    app.wait_for_text("#passphrase-match", "Both are the same.")
        .await;
    app.click("#passphrase-save").await;
    app.wait_for_text_containing("#saved-as", "Saved as").await;

    // Refreshed and tested from the saved connections.
    app.click("#nav-connections").await;
    app.click("[id^=conn-open-]").await;
    app.click("#conn-refresh").await;
    app.click("#confirm-yes").await;
    app.wait_for_text("#conn-refreshed", "just now").await;
    app.click("#conn-test").await;
    app.wait_for_text_containing("#conn-tested", "worked, just now")
        .await;

    // The consent page way, with PKCE, to a second saved connection.
    app.click("#nav-connections").await;
    app.click("#conn-connect").await;
    app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.click("label[for=way-server_based]").await;
    app.type_into("#client-id", &server.client_id).await;
    app.type_into("#client-secret", &server.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    app.click("#consent-start").await;
    app.wait_for_browser("returned to").await;
    app.wait_for_all(".org-pick .check-row", 2).await;
    app.click("label[data-org='10234695']").await;
    app.click("#test-next").await;
    app.wait_for_text_containing("#screen-title", "Connected to")
        .await;
    app.click("#save-submit").await;
    app.wait_for_text_containing("#saved-as", "Saved as").await;

    // A report for support, as a person would send it.
    app.click("#nav-settings").await;
    app.click("#settings-report").await;
    let report = app
        .find("#support-report")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    let clipboard = app.clipboard_text().unwrap_or_default();
    let home = app.finish().await;
    let mut secrets = sandbox.secrets_seen();
    sandbox.shutdown().await;

    // The list must hold what this test knows crossed the wire, so a tap that saw
    // nothing cannot pass the scan: both client secrets, the code, and from the consent
    // way at least a code and a verifier more, besides the tokens.
    for known in [&self_client.client_secret, &server.client_secret, &code] {
        assert!(
            secrets.contains(known),
            "the sandbox did not see {}…",
            &known[..6]
        );
    }
    // Two codes, two refresh tokens and three access tokens (two exchanges, one refresh).
    let codes_and_tokens = secrets.iter().filter(|s| s.starts_with("1000.")).count();
    assert!(
        codes_and_tokens >= 7,
        "{codes_and_tokens} codes and tokens seen"
    );
    let verifiers = secrets
        .iter()
        .filter(|s| {
            !s.starts_with("1000.")
                && **s != self_client.client_secret
                && **s != server.client_secret
        })
        .count();
    assert!(verifiers >= 1, "no PKCE verifier seen");
    secrets.push(PASSPHRASE.to_owned());

    let log_file = home
        .path()
        .join("data/com.zohooauthassistant.app/logs/assistant.log");
    let log = std::fs::read_to_string(&log_file).expect("the app wrote its log");
    // The scan means something only if the log is as verbose as it gets and the
    // report carries its recent lines.
    assert!(
        log.contains("TRACE"),
        "the log is not at its most verbose:\n{log}"
    );
    assert!(
        log.contains("The window asked to exchange self client code"),
        "{log}"
    );
    assert!(report.contains("Recent activity:"), "{report}");
    assert!(
        report.contains(&format!("Log file: {}", log_file.display())),
        "{report}"
    );

    let mut hits = Vec::new();
    let files = files_under(home.path());
    assert!(files.contains(&log_file), "{files:?}");
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        for secret in &secrets {
            if holds(&bytes, secret) {
                hits.push(format!("{} holds {}…", file.display(), &secret[..6]));
            }
        }
    }
    for (what, text) in [
        ("the support report", &report),
        ("the clipboard", &clipboard),
    ] {
        for secret in &secrets {
            if holds(text.as_bytes(), secret) {
                hits.push(format!("{what} holds {}…", &secret[..6]));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "secrets found ({} files, {} secrets searched):\n{}",
        files.len(),
        secrets.len(),
        hits.join("\n")
    );
}
