//! Finding what a run needs: programs on `PATH` (and in `~/.cargo/bin`, where
//! `cargo install` puts tauri-driver), the app binary built beside this test, and free
//! TCP ports on loopback.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// tauri-driver's default native port: never hand it out (a clash makes tauri-driver
/// loop on "accept new stream fail" and fill the disk with logs).
const RESERVED_PORT: u16 = 4445;

/// The first executable called `name` on `PATH` or in `~/.cargo/bin`.
pub fn executable(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .map(|home| home.join("bin"));
    std::env::split_paths(&path)
        .chain(cargo_bin)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// The app binary: `$E2E_APP_BINARY`, else `zoho-oauth-assistant` in the profile folder
/// this test binary was built into (`target/debug/deps/<test>` -> `target/debug/`).
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("E2E_APP_BINARY") {
        return PathBuf::from(path);
    }
    profile_dir().join("zoho-oauth-assistant")
}

/// The program that plays the person's browser (`src/bin/fake-browser.rs`), built
/// beside the app.
pub fn fake_browser() -> PathBuf {
    profile_dir().join(format!("fake-browser{}", std::env::consts::EXE_SUFFIX))
}

/// `target/e2e-screenshots`, beside the profile folders.
pub fn screenshot_dir() -> PathBuf {
    let profile = profile_dir();
    profile.parent().unwrap_or(&profile).join("e2e-screenshots")
}

fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The newest modification time of any file under `roots` (the app's sources), to warn
/// when the binary under test is older than the code it should contain.
pub fn newest_source(roots: &[PathBuf]) -> Option<SystemTime> {
    fn walk(path: &Path, newest: &mut Option<SystemTime>) {
        let Ok(meta) = path.metadata() else { return };
        if meta.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                walk(&entry.path(), newest);
            }
        } else if let Ok(modified) = meta.modified() {
            *newest = (*newest).max(Some(modified));
        }
    }
    let mut newest = None;
    for root in roots {
        walk(root, &mut newest);
    }
    newest
}

/// `count` distinct free TCP ports on 127.0.0.1, never 4445.
pub fn free_ports(count: usize) -> std::io::Result<Vec<u16>> {
    // Hold every listener until all are chosen so the kernel hands out distinct ports.
    let mut held = Vec::new();
    while held.len() < count {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        if listener.local_addr()?.port() != RESERVED_PORT {
            held.push(listener);
        }
    }
    held.iter()
        .map(|l| l.local_addr().map(|a| a.port()))
        .collect()
}
