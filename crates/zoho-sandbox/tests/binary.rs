//! The `zoho-sandbox` binary: it prints where everything is, serves it, stops cleanly on
//! Ctrl-C, and says plainly when its port is taken.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use zoho_sandbox::{Sandbox, SandboxOptions, LOCATIONS};

const BINARY: &str = env!("CARGO_BIN_EXE_zoho-sandbox");

/// Kills the process if a test fails before it has stopped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and collects its banner, up to "Press Ctrl-C to stop.".
fn spawn_and_read_banner() -> (Running, String) {
    spawn_with_and_read_banner(&[])
}

/// As [`spawn_and_read_banner`], with more arguments after `--port 0`.
fn spawn_with_and_read_banner(more: &[&std::ffi::OsStr]) -> (Running, String) {
    let mut child = Command::new(BINARY)
        .args(["--port", "0"])
        .args(more)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let running = Running(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut banner = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines_rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no complete banner; got:\n{banner}"));
        banner.push_str(&line);
        banner.push('\n');
        if line.contains("Press Ctrl-C to stop.") {
            break;
        }
    }
    // Keep draining so the child never blocks on a full pipe.
    std::thread::spawn(move || while lines_rx.recv().is_ok() {});
    (running, banner)
}

fn base_of(banner: &str) -> String {
    banner
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .expect("a base URL")
        .trim_end_matches('/')
        .to_owned()
}

async fn post_control(base: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
    let response = http()
        .post(format!("{base}/sandbox/{path}"))
        .json(&body)
        .send()
        .await
        .expect("a control request");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn with_state_a_second_run_honours_the_refresh_token_of_the_first() {
    let folder = std::env::temp_dir().join(format!(
        "zoho-sandbox-binary-state-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let file = folder.join("state.json");
    let state_args = [std::ffi::OsStr::new("--state"), file.as_os_str()];

    let (running, banner) = spawn_with_and_read_banner(&state_args);
    assert!(
        banner.contains(&format!(
            "Remembering clients and tokens in {}",
            file.display()
        )),
        "{banner}"
    );
    let base = base_of(&banner);
    let client = post_control(
        &base,
        "clients",
        serde_json::json!({"client_type": "self_client", "location": "us"}),
    )
    .await;
    let client = zoho_sandbox::RegisteredClient {
        client_id: str_of(&client, "client_id").to_owned(),
        client_secret: str_of(&client, "client_secret").to_owned(),
        location: "us".to_owned(),
    };
    let code = post_control(
        &base,
        "self-client/code",
        serde_json::json!({"client_id": client.client_id, "scope": BOOKS_READ}),
    )
    .await;
    let (_, tokens) = exchange(&base, &client, str_of(&code, "code"), None, None).await;
    let refresh_token = str_of(&tokens, "refresh_token").to_owned();
    // Killed outright, not stopped: every change is on disk as soon as it is answered.
    drop(running);

    let (running, banner) = spawn_with_and_read_banner(&state_args);
    let (status, body) = refresh(&base_of(&banner), &client, &refresh_token).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
    drop(running);
    let _ = std::fs::remove_dir_all(&folder);
}

#[tokio::test]
async fn without_state_it_says_it_remembers_nothing() {
    let (running, banner) = spawn_and_read_banner();
    assert!(banner.contains("Remembering nothing"), "{banner}");
    drop(running);
}

#[tokio::test]
async fn prints_its_urls_serves_them_and_stops_on_ctrl_c() {
    let (mut running, banner) = spawn_and_read_banner();
    let base = banner
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .expect("a base URL")
        .trim_end_matches('/')
        .to_owned();
    assert_ne!(base, "http://127.0.0.1:0");

    for location in LOCATIONS {
        let url = if location == "us" {
            base.clone()
        } else {
            format!("{base}/{location}")
        };
        let api = format!("{base}/api/{location}");
        assert!(
            banner.lines().any(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words == [location, url.as_str(), api.as_str()]
            }),
            "no line for {location}:\n{banner}"
        );
    }
    for expected in [
        format!("{base}/console"),
        format!("{base}/oauth/serverinfo"),
        format!("{base}/sandbox/"),
        "curl -s".to_owned(),
    ] {
        assert!(
            banner.contains(&expected),
            "banner lacks {expected}:\n{banner}"
        );
    }
    // The README's walkthrough starts from this line, whatever the port.
    assert!(
        banner.lines().any(|l| l.trim() == format!("BASE={base}")),
        "no BASE line:\n{banner}"
    );

    let response = http()
        .get(format!("{base}/oauth/serverinfo"))
        .send()
        .await
        .expect("the printed URL answers");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200);
    assert_eq!(body["locations"]["eu"], format!("{base}/eu"));

    stop_with_ctrl_c(&mut running.0);
}

/// Sends the sandbox the signal Ctrl-C sends, and checks that it stops cleanly.
#[cfg(unix)]
fn stop_with_ctrl_c(running: &mut std::process::Child) {
    let pid = running.id().to_string();
    let signalled = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(signalled.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = running.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

/// Windows delivers Ctrl-C as a console event, which a program can raise only for a
/// process group on its own console (GenerateConsoleCtrlEvent; the sandbox takes
/// Ctrl-Break and the console closing as Ctrl-C, so a group of its own would do). Wine's
/// console delivers no event to a process group: the call fails with "invalid handle",
/// or "invalid access" without a terminal. So on Windows only the serving part of this
/// test is proven, and the sandbox is ended when `Running` is dropped.
#[cfg(windows)]
fn stop_with_ctrl_c(_running: &mut std::process::Child) {}

#[test]
fn a_busy_port_is_named_in_a_clear_message() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let mut child = Command::new(BINARY)
        .args(["--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the binary kept running on a busy port");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert_eq!(status.code(), Some(1));
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
    drop(taken);
}

#[test]
fn bad_arguments_print_usage() {
    let output = Command::new(BINARY)
        .args(["--port", "http"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Usage: zoho-sandbox [--port N]"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_library_reports_a_busy_port_with_its_address() {
    let first = start().await;
    let error = Sandbox::start(SandboxOptions {
        port: first.port(),
        ..SandboxOptions::default()
    })
    .await
    .expect_err("the port is taken");
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    assert!(
        error
            .to_string()
            .contains(&format!("127.0.0.1:{}", first.port())),
        "{error}"
    );
    first.shutdown().await;
}

#[tokio::test]
async fn shutdown_and_drop_stop_serving() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    assert_eq!(
        http()
            .get(format!("{base}/oauth/serverinfo"))
            .send()
            .await
            .expect("up")
            .status(),
        200
    );
    sandbox.shutdown().await;
    assert!(http()
        .get(format!("{base}/oauth/serverinfo"))
        .send()
        .await
        .is_err());

    let dropped = start().await;
    let base = dropped.base_url();
    drop(dropped);
    let deadline = Instant::now() + Duration::from_secs(5);
    while http()
        .get(format!("{base}/oauth/serverinfo"))
        .send()
        .await
        .is_ok()
    {
        assert!(Instant::now() < deadline, "still serving after drop");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
