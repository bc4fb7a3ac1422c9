//! The fault table (docs/FAULTS.md): each of the sandbox's fault knobs, met in the window
//! on a saved connection's Refresh and Test and on a Self Client code's exchange. Each
//! must give its plain message with a next step, and leave the vault as it was (byte for
//! byte, where Zoho's answer carried nothing to keep); once the fault is gone, the same
//! button works, with the same saved token or the same code.
//!
//! One window for every row, so the run costs one launch and the 30 s of the row that
//! waits past the time limit.

mod support;

use std::io::Write as _;
use std::time::{Duration, Instant};

use e2e_tests::{new_home, vault_file, App, Options};
use zoho_sandbox::{ClientSpec, Fault, FaultKind, Sandbox, SandboxOptions, DEMO_US_USER};

use support::{write_vault, Minter, PASSPHRASE};

/// Past the token client's 30 s time limit.
const PAST_THE_TIME_LIMIT: Duration = Duration::from_secs(33);

fn once(kind: FaultKind) -> Fault {
    Fault {
        kind,
        remaining: Some(1),
    }
}

/// Waits for the problem `kind` for up to `limit` (longer than the harness's usual
/// wait, for the row that waits out the time limit).
async fn problem_within(app: &App, kind: &str, limit: Duration) -> e2e_tests::Problem {
    let deadline = Instant::now() + limit;
    loop {
        let shown = app.problem_now().await;
        if let Some(problem) = shown.as_ref().filter(|p| p.kind == kind) {
            return problem.clone();
        }
        assert!(
            Instant::now() < deadline,
            "expected the problem {kind:?}, the window shows {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn open(app: &App, id: &str) {
    app.click("#nav-connections").await;
    app.wait_for_screen("connections").await;
    app.click(&format!("#conn-open-{id}")).await;
    app.wait_for_screen("connection").await;
    app.find("#conn-status").await;
}

struct Row {
    fault: &'static str,
    shown: String,
    vault: &'static str,
}

#[tokio::test(flavor = "multi_thread")]
async fn every_fault_is_named_plainly_and_nothing_saved_is_lost() {
    let sandbox = Sandbox::start(SandboxOptions::default())
        .await
        .expect("sandbox");
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let mut minter = Minter::new(&sandbox);
    let riverside = Some(("10234721", "Riverside Bakery Inc."));
    let saved = vec![
        minter
            .self_client("Riverside bookkeeping", &client, DEMO_US_USER, riverside)
            .await
            .expired(),
        minter
            .self_client("Riverside reports", &client, DEMO_US_USER, riverside)
            .await,
        minter
            .self_client("Riverside payroll", &client, DEMO_US_USER, riverside)
            .await,
    ];
    let home = new_home();
    let ids: Vec<String> = write_vault(home.path(), &sandbox, &saved)
        .iter()
        .map(|id| id.as_str().to_owned())
        .collect();
    let vault = vault_file(home.path());
    let Some(app) = App::launch_in_home(
        Options {
            sandbox_url: Some(sandbox.base_url()),
            env: vec![(
                "DBUS_SESSION_BUS_ADDRESS".into(),
                "unix:path=/nonexistent/zoho-oauth-e2e-no-session-bus".into(),
            )],
        },
        home,
    )
    .await
    else {
        return;
    };
    app.unlock(PASSPHRASE).await;
    let mut rows = Vec::new();

    // Refresh of an expired token, once per transient fault: the answer is named, the
    // vault is byte for byte as it was, and the token is still the one saved.
    open(&app, &ids[0]).await;
    for (fault, kind, expected, wait) in [
        (
            "HTTP 503 from the accounts server",
            FaultKind::ServerError(503),
            "zoho_unavailable",
            e2e_tests::UI_TIMEOUT,
        ),
        (
            "HTTP 200 with a body cut off mid-JSON",
            FaultKind::MalformedJson,
            "unreadable_response",
            e2e_tests::UI_TIMEOUT,
        ),
        (
            "Connection closed without an answer",
            FaultKind::DropConnection,
            "connection_lost",
            e2e_tests::UI_TIMEOUT,
        ),
        (
            "Answer held past the 30 s time limit",
            FaultKind::Delay(PAST_THE_TIME_LIMIT),
            "timeout",
            Duration::from_secs(50),
        ),
    ] {
        let before = std::fs::read(&vault).expect("the vault");
        sandbox.set_fault(once(kind));
        app.click("#conn-refresh").await;
        let problem = problem_within(&app, expected, wait).await;
        assert!(
            !problem.message.is_empty() && !problem.hint.is_empty(),
            "{problem:?}"
        );
        assert_eq!(std::fs::read(&vault).expect("the vault"), before, "{fault}");
        // Nothing was lost: the token still refreshes.
        assert!(
            minter
                .still_refreshes(&saved[0].client, &saved[0].refresh_token())
                .await,
            "{fault}: the saved token no longer refreshes"
        );
        rows.push(Row {
            fault,
            shown: format!("{} {} ({expected})", problem.message, problem.hint),
            vault: "unchanged, byte for byte",
        });
        sandbox.clear_faults();
    }
    // Once Zoho answers again, the same button works.
    app.click("#conn-refresh").await;
    app.wait_for_text("#conn-refreshed", "just now").await;

    // Clock skew: Zoho's clock is an hour and more ahead of this computer's, so a token
    // the app takes for valid is expired at Zoho. Test finds out, refreshes once and
    // tries again.
    sandbox.advance_clock(Duration::from_secs(61 * 60));
    open(&app, &ids[1]).await;
    app.click("#conn-test").await;
    app.wait_for_text_containing("#conn-tested", "worked, just now")
        .await;
    app.wait_for_text("#conn-refreshed", "just now").await;
    rows.push(Row {
        fault: "Zoho's clock 61 minutes ahead (a valid-looking token expired at Zoho)",
        shown: format!(
            "{} (Test refreshed once and worked)",
            app.text("#conn-said").await
        ),
        vault: "the new access token saved; refresh token kept",
    });

    // A refresh token revoked at Zoho (from its Connected Apps page, say).
    minter.revoke_at_zoho(&saved[0].refresh_token()).await;
    open(&app, &ids[0]).await;
    app.click("#conn-refresh").await;
    app.click("#confirm-yes").await;
    let problem = app.wait_for_problem("refresh_token_revoked").await;
    app.wait_for_text("#conn-status-regenerate", "Regenerate it now")
        .await;
    rows.push(Row {
        fault: "Refresh token revoked at Zoho",
        shown: format!(
            "{} {} (refresh_token_revoked, Regenerate offered)",
            problem.message, problem.hint
        ),
        vault: "marked as revoked by Zoho; kept until deleted",
    });

    // A Self Client code's exchange while Zoho fails: the same code works afterwards,
    // since Zoho never took it.
    app.click("#nav-connections").await;
    app.click("#conn-connect").await;
    let scopes = app.open_permissions("us").await;
    app.click("#permissions-next").await;
    app.type_into("#client-id", &client.client_id).await;
    app.type_into("#client-secret", &client.client_secret).await;
    app.wait_for_text("#client-secret-note", "Looks right.")
        .await;
    app.click("#register-next").await;
    let code = sandbox
        .generate_self_client_code(&client.client_id, &scopes, 3)
        .expect("a code");
    app.type_into("#grant-code", &code).await;
    sandbox.set_fault(once(FaultKind::ServerError(502)));
    let before = std::fs::read(&vault).expect("the vault");
    app.click("#grant-next").await;
    let problem = app.wait_for_problem("zoho_unavailable").await;
    assert_eq!(std::fs::read(&vault).expect("the vault"), before);
    app.click("#grant-next").await;
    app.wait_for_all(".org-pick .check-row", 2).await;
    rows.push(Row {
        fault: "HTTP 502 while a Self Client code is exchanged",
        shown: format!(
            "{} {} (zoho_unavailable; the same code worked on Next)",
            problem.message, problem.hint
        ),
        vault: "unchanged, byte for byte",
    });

    // The rate limit, last (its lockout lasts 15 minutes): another tool refreshed this
    // token until Zoho refused.
    minter
        .refresh_until_locked_out(&saved[2].client, &saved[2].refresh_token())
        .await;
    open(&app, &ids[2]).await;
    app.click("#conn-refresh").await;
    app.click("#confirm-yes").await;
    let problem = app.wait_for_problem("rate_limited").await;
    app.wait_for_text_containing("#conn-lock-countdown", "try again in")
        .await;
    rows.push(Row {
        fault: "Rate limit: 10 access tokens in 10 minutes, then Zoho's \"Access Denied\"",
        shown: format!(
            "{} {} (rate_limited, Refresh waits with a countdown)",
            problem.message, problem.hint
        ),
        vault: "lockout time noted; refresh token kept",
    });

    app.close().await;
    sandbox.shutdown().await;
    let mut table = String::from("\n| Fault | What the window said | The vault |\n|---|---|---|\n");
    for row in rows {
        table.push_str(&format!(
            "| {} | {} | {} |\n",
            row.fault, row.shown, row.vault
        ));
    }
    // Past the test harness's capture, so the table shows on every run.
    let _ = writeln!(std::io::stderr().lock(), "{table}");
}
