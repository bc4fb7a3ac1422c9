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
    let mut child = Command::new(BINARY)
        .args(["--port", "0"])
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

    let pid = running.0.id().to_string();
    let signalled = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(signalled.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = running.0.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

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
    let error = Sandbox::start(SandboxOptions { port: first.port() })
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
