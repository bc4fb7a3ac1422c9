//! The app's log: a file in the platform's log folder that support can ask for, and the
//! last few lines of what the app did, which go into the support report.
//!
//! What is logged is what the core and the shell say through `tracing`: steps, outcomes
//! and error kinds, never a secret (the secret types print as `[redacted]`). The file's
//! verbosity follows [`LOG_VAR`] (`tracing`'s filter syntax, e.g. `trace` or
//! `zoho_oauth_core=debug`); the recent-activity lines are always the app's own steps
//! at `info` and above, whatever the file's verbosity, so the report stays readable.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::filter::{EnvFilter, LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::Layer as _;

/// The environment variable that sets how much goes into the log file.
pub const LOG_VAR: &str = "ZOHO_OAUTH_ASSISTANT_LOG";

/// The log file's name inside the log folder.
pub const LOG_FILE: &str = "assistant.log";

/// The previous log, kept once when the current one grows past [`KEEP_BYTES`].
pub const OLD_LOG_FILE: &str = "assistant.old.log";

/// A log larger than this at start-up is moved aside, so the folder never grows much
/// past twice this size.
const KEEP_BYTES: u64 = 2 * 1024 * 1024;

/// How many lines of recent activity the support report shows.
const RECENT_LINES: usize = 40;

/// Without [`LOG_VAR`]: the app's own steps, and only warnings from libraries.
const DEFAULT_FILTER: &str =
    "warn,zoho_oauth_assistant=info,zoho_oauth_core=info,zoho_sandbox=info";

/// The crates whose `info` lines are the app's recent activity.
const OWN_CRATES: [&str; 3] = ["zoho_oauth_assistant", "zoho_oauth_core", "zoho_sandbox"];

/// Where the log is, and what it said lately.
#[derive(Clone, Debug, Default)]
pub struct Logging {
    file: Option<PathBuf>,
    trouble: Option<String>,
    recent: Recent,
}

impl Logging {
    /// The log file, when one is being written.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Why no log file is written, when none is.
    pub fn trouble(&self) -> Option<&str> {
        self.trouble.as_deref()
    }

    /// The last lines of the app's own activity, oldest first.
    pub fn recent_lines(&self) -> Vec<String> {
        self.recent.lines()
    }
}

/// Commands the window calls to look, not to act (often, on timers): logged only at
/// `debug`, so the recent activity keeps what the person did.
const LOOKS: [&str; 13] = [
    "app_info",
    "ui_ready",
    "list_data_centers",
    "remembered_data_center",
    "scope_catalog",
    "check_scopes",
    "recognize_address",
    "check_client_fields",
    "connection_tokens",
    "redirect_uri",
    "vault_status",
    "check_passphrase",
    "save_preview",
];

/// Wraps the window's command handler so that each call is logged by name (never its
/// arguments, which may be secrets) before it runs.
pub fn commands_logged<R: tauri::Runtime>(
    handler: impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke| {
        let command = invoke.message.command();
        if LOOKS.contains(&command) {
            tracing::debug!(command, "The window asked");
        } else {
            tracing::info!("The window asked to {}", command.replace('_', " "));
        }
        handler(invoke)
    }
}

/// The app's log folder, as Tauri's `app_log_dir()` finds it: `~/Library/Logs/{id}` on
/// macOS, the local data folder's `{id}/logs` elsewhere (`%LOCALAPPDATA%` on Windows).
/// It is worked out here because logging starts before Tauri does.
pub fn log_folder() -> Option<PathBuf> {
    let id = zoho_oauth_core::vault::APP_IDENTIFIER;
    if cfg!(target_os = "macos") {
        dirs::home_dir().map(|home| home.join("Library/Logs").join(id))
    } else {
        dirs::data_local_dir().map(|dir| dir.join(id).join("logs"))
    }
}

/// Starts logging for this process into `folder` (when given and writable) and the
/// recent-activity lines, and logs panics too. Calling it again does nothing.
pub fn start(folder: Option<&Path>) -> Logging {
    let recent = Recent::default();
    let (path, file, trouble) = match folder.map(open_log) {
        Some(Ok((path, file))) => (Some(path), Some(file), None),
        Some(Err(err)) => (None, None, Some(err.to_string())),
        None => (
            None,
            None,
            Some("this computer has no folder for it".to_owned()),
        ),
    };
    let filter =
        EnvFilter::try_from_env(LOG_VAR).unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let file_layer = file.map(|handle| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(SharedFile(Arc::new(Mutex::new(handle))))
            .with_filter(filter)
    });
    let own = OWN_CRATES.iter().fold(Targets::new(), |targets, name| {
        targets.with_target(*name, LevelFilter::INFO)
    });
    let recent_layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_target(false)
        .with_writer(recent.clone())
        .with_filter(own);
    let started = tracing_subscriber::registry()
        .with(file_layer)
        .with(recent_layer)
        .try_init()
        .is_ok();
    if started {
        log_panics();
    }
    if let Some(reason) = &trouble {
        tracing::warn!("No log file is written: {reason}");
    }
    Logging {
        file: path,
        trouble,
        recent,
    }
}

fn open_log(folder: &Path) -> io::Result<(PathBuf, File)> {
    std::fs::create_dir_all(folder)?;
    let path = folder.join(LOG_FILE);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > KEEP_BYTES) {
        std::fs::rename(&path, folder.join(OLD_LOG_FILE))?;
    }
    let file = OpenOptions::new().create(true).append(true).open(&path)?;
    Ok((path, file))
}

/// A panic's message and place go into the log before the usual report on standard
/// error, which nobody sees when the app was started from a desktop menu.
fn log_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(target: "zoho_oauth_assistant::panic", "The app stopped unexpectedly{place}: {message}");
        previous(info);
    }));
}

/// The log file, shared by every event; a whole line is written under the lock.
struct SharedFile(Arc<Mutex<File>>);

impl<'a> MakeWriter<'a> for SharedFile {
    type Writer = Line<FileSink>;

    fn make_writer(&'a self) -> Self::Writer {
        Line::new(FileSink(self.0.clone()))
    }
}

/// The recent-activity lines, newest last.
#[derive(Clone, Debug, Default)]
struct Recent(Arc<Mutex<VecDeque<String>>>);

impl Recent {
    fn lines(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

impl<'a> MakeWriter<'a> for Recent {
    type Writer = Line<Recent>;

    fn make_writer(&'a self) -> Self::Writer {
        Line::new(self.clone())
    }
}

/// Where a finished line goes.
trait Sink {
    fn take(&self, line: &[u8]);
}

struct FileSink(Arc<Mutex<File>>);

impl Sink for FileSink {
    fn take(&self, line: &[u8]) {
        let mut file = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // A full disk must not stop the app; the line is lost, nothing else.
        let _ = file.write_all(line);
    }
}

impl Sink for Recent {
    fn take(&self, line: &[u8]) {
        let text = String::from_utf8_lossy(line).trim_end().to_owned();
        let mut lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if lines.len() == RECENT_LINES {
            lines.pop_front();
        }
        lines.push_back(text);
    }
}

/// One event's text, gathered and handed over in one piece when the event is written.
struct Line<S: Sink> {
    buffer: Vec<u8>,
    sink: S,
}

impl<S: Sink> Line<S> {
    fn new(sink: S) -> Self {
        Self {
            buffer: Vec::with_capacity(160),
            sink,
        }
    }
}

impl<S: Sink> Write for Line<S> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<S: Sink> Drop for Line<S> {
    fn drop(&mut self) {
        if !self.buffer.is_empty() {
            self.sink.take(&self.buffer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_activity_keeps_the_last_lines_only() {
        let recent = Recent::default();
        for n in 0..RECENT_LINES + 5 {
            let mut line = recent.make_writer();
            writeln!(line, "step {n}").unwrap();
        }
        let lines = recent.lines();
        assert_eq!(lines.len(), RECENT_LINES);
        assert_eq!(lines.first().map(String::as_str), Some("step 5"));
        assert_eq!(
            lines.last().map(String::as_str),
            Some(format!("step {}", RECENT_LINES + 4).as_str())
        );
    }

    #[test]
    fn a_large_log_is_moved_aside_once_and_a_fresh_one_started() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(LOG_FILE),
            vec![b'x'; (KEEP_BYTES + 1) as usize],
        )
        .unwrap();
        std::fs::write(dir.path().join(OLD_LOG_FILE), b"older").unwrap();
        let (path, _file) = open_log(dir.path()).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        assert_eq!(
            std::fs::metadata(dir.path().join(OLD_LOG_FILE))
                .unwrap()
                .len(),
            KEEP_BYTES + 1
        );
    }

    #[test]
    fn a_small_log_is_appended_to() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOG_FILE), b"earlier\n").unwrap();
        let (path, file) = open_log(dir.path()).unwrap();
        FileSink(Arc::new(Mutex::new(file))).take(b"later\n");
        assert_eq!(std::fs::read_to_string(path).unwrap(), "earlier\nlater\n");
    }
}
