//! A crash in the middle of a save never loses or corrupts the vault: a child process
//! saving in a loop is killed at random moments, hundreds of times, and after every
//! kill the vault opens and holds either the state before the interrupted save or the
//! state after it, consistent between index and secrets.
//!
//! `Child::kill` is SIGKILL on Unix and TerminateProcess on Windows: neither lets the
//! child run another instruction, so both stand for a crash or a power cut as far as
//! this process's writes go.

mod vault_support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use time::OffsetDateTime;
use vault_support::*;
use zoho_oauth_core::vault::{RefreshedAccess, Unlock, Vault};
use zoho_oauth_core::AccessToken;

const CHILD_ENV: &str = "ZOHO_VAULT_CRASH_TEST_CHILD";
const TEST_NAME: &str = "killing_during_saves_never_corrupts_the_vault";
const CYCLES: usize = 220;
const CONNECTIONS: usize = 30;

fn base_time() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_900_000_000).unwrap()
}

/// Generation `n`: an access token (of varying length, so file sizes change) and an
/// expiry that must always agree. They live in different encrypted parts of the file.
fn token_for(n: u64) -> String {
    format!("1000.gen.{n}.{}", "x".repeat((n % 97) as usize))
}

fn generation_of(vault: &Vault) -> u64 {
    let first = vault.list()[0].id.clone();
    let c = vault.get(&first).unwrap();
    let token = c.secrets.access_token.map(|t| t.expose().to_owned());
    let Some(token) = token.filter(|t| t.starts_with("1000.gen.")) else {
        return 0;
    };
    let n: u64 = token.split('.').nth(2).unwrap().parse().unwrap();
    assert_eq!(token, token_for(n), "token intact");
    assert_eq!(
        c.summary.access_token_expires_at,
        Some(base_time() + Duration::from_secs(n)),
        "index and secrets from the same save"
    );
    n
}

/// The child: open the vault and save new generations until killed.
fn save_forever(path: &Path) -> ! {
    let options = fast_options(MemoryKeyStore::new());
    let mut vault = Vault::open(path, Unlock::Passphrase(passphrase()), options)
        .expect("the child finds a valid vault");
    let first = vault.list()[0].id.clone();
    let opened_at = generation_of(&vault);
    let mut n = opened_at;
    println!("ready");
    std::io::stdout().flush().unwrap();
    loop {
        n += 1;
        vault
            .record_refresh(
                &first,
                RefreshedAccess {
                    access_token: AccessToken::new(token_for(n)),
                    expires_at: base_time() + Duration::from_secs(n),
                    api_domain: None,
                },
            )
            .expect("save");
        if n == opened_at + 1 {
            // The parent may have stopped listening; only the kill may end this loop.
            let mut out = std::io::stdout();
            let _ = writeln!(out, "saved").and_then(|()| out.flush());
        }
    }
}

/// True when `status` is that of a child ended by `Child::kill`, not one that stopped
/// by itself (a panic exits with 101, a failed test harness with 101 too).
fn was_killed(status: ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status.signal() == Some(9)
    }
    #[cfg(windows)]
    {
        // std's `Child::kill` calls TerminateProcess with exit code 1.
        status.code() == Some(1)
    }
}

fn temp_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp-")
        })
        .count()
}

#[test]
fn killing_during_saves_never_corrupts_the_vault() {
    if let Some(path) = std::env::var_os(CHILD_ENV) {
        save_forever(Path::new(&path));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    vault_with(&path, CONNECTIONS, fast_options(MemoryKeyStore::new()));
    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::thread_rng();
    let started = Instant::now();
    let (mut last, mut advanced, mut interrupted_mid_write) = (0u64, 0usize, 0usize);

    for cycle in 0..CYCLES {
        let mut child = Command::new(&exe)
            .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Mostly kill once the save loop runs; now and then during start-up and open.
        // Two cycles in five wait for a finished save, so that however slow the disk
        // (fsync under load), enough kills land after the vault has moved on.
        if cycle % 5 != 0 {
            let until = if cycle % 5 <= 2 { "saved" } else { "ready" };
            let mut line = String::new();
            let mut out = BufReader::new(child.stdout.take().unwrap());
            while !line.contains(until) {
                line.clear();
                assert!(
                    out.read_line(&mut line).unwrap() > 0,
                    "cycle {cycle}: the child exited"
                );
            }
        }
        std::thread::sleep(Duration::from_micros(rng.gen_range(0..60_000)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            was_killed(status),
            "cycle {cycle}: the child stopped by itself ({status}), so it found a broken vault"
        );
        if temp_files(dir.path()) > 0 {
            interrupted_mid_write += 1;
        }

        let vault = Vault::open(
            &path,
            Unlock::Passphrase(passphrase()),
            fast_options(MemoryKeyStore::new()),
        )
        .unwrap_or_else(|e| panic!("cycle {cycle}: the vault does not open after the kill: {e:?}"));
        assert_eq!(vault.len(), CONNECTIONS, "cycle {cycle}");
        let now = generation_of(&vault);
        assert!(now >= last, "cycle {cycle}: went back from {last} to {now}");
        if now > last {
            advanced += 1;
        }
        last = now;
        assert_eq!(
            temp_files(dir.path()),
            0,
            "opening clears what a killed save left"
        );
    }
    println!(
        "{CYCLES} kills in {:.1?}: {advanced} cycles saved at least once, \
         {interrupted_mid_write} killed while a temporary file was being written, \
         {last} saves in all",
        started.elapsed()
    );
    assert!(
        advanced >= CYCLES / 4,
        "many kills should land after saves began ({advanced}/{CYCLES})"
    );
    assert!(
        interrupted_mid_write > 0,
        "some kills should hit a save half-way"
    );
    // The vault and its lock file, which is kept for good (see the vault's lock).
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["vault.zov", "vault.zov.lock"],
        "nothing quarantined, nothing left over"
    );
}
