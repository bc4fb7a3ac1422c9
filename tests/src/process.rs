//! Child processes that are always cleaned up: each starts in a process group of its
//! own, and dropping the handle ends the whole group (the process and everything it
//! started, such as WebKitWebDriver and the app under test), by that group's id.
//!
//! `Drop` does not run when the test process itself is killed (a Ctrl-C, which does not
//! reach the children's separate groups, or a CI time limit), so each group also gets a
//! small watchdog shell that ends it once the test process is gone.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running child process and its process group.
pub struct Spawned {
    name: &'static str,
    child: Child,
    watchdog: Option<Child>,
}

impl Spawned {
    /// Starts `command` in a new process group.
    ///
    /// # Errors
    /// When the program cannot be started.
    pub fn start(name: &'static str, command: &mut Command) -> std::io::Result<Self> {
        let child = command.stdin(Stdio::null()).process_group(0).spawn()?;
        let watchdog = watchdog(child.id());
        Ok(Self {
            name,
            child,
            watchdog,
        })
    }

    /// The process id (also the process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Mutable access to the child, e.g. to take its stdout.
    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// True while the process has not exited.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn signal_group(&self, signal: &str) {
        // `kill` with a negative id signals the whole group; no unsafe FFI needed.
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.pid())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && self.is_running() {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever ignored SIGTERM (or outlived its parent in the group) goes now.
        self.signal_group("-KILL");
        let _ = self.child.kill();
        if self.child.wait().is_err() {
            eprintln!("e2e: could not reap {} (pid {})", self.name, self.pid());
        }
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
    }
}

/// Starts a shell that polls this test process once a second and, once it has gone,
/// ends the process group `pgid`. `None` if no shell could be started (cleanup then
/// relies on `Drop` alone). The external `kill` is used because dash's builtin does not
/// accept a negative process group id.
fn watchdog(pgid: u32) -> Option<Child> {
    const SCRIPT: &str = r#"trap '' INT HUP TERM
while kill -0 "$1" 2>/dev/null; do sleep 1; done
env kill -TERM -- "-$2" 2>/dev/null; sleep 2; env kill -KILL -- "-$2" 2>/dev/null"#;
    Command::new("sh")
        .args(["-c", SCRIPT, "e2e-watchdog"])
        .arg(std::process::id().to_string())
        .arg(pgid.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()
}
