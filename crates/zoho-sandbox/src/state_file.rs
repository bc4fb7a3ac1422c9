//! The file a sandbox keeps its records in between runs, when it is given one.
//!
//! It is written whole after every change, to a temporary file beside it that then
//! takes its place, so a crash or a full disk mid-write leaves the previous version and
//! never half of one. On Unix only its owner may read it: it holds client secrets and
//! digests of tokens, practice values all, but a person's practice is their own.
//!
//! A file that cannot be read or understood is moved aside (kept, for whoever wants to
//! look at it) and the sandbox starts empty with a warning: remembering is a comfort,
//! never a reason for the sandbox not to start.

use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the records live between runs, and what was last written there.
pub(crate) struct StateFile {
    path: PathBuf,
    /// The bytes last read or written, so that a request that changed nothing writes
    /// nothing.
    last: Mutex<Option<Vec<u8>>>,
    /// Off after a damaged file could not be moved aside: writing would destroy it.
    writable: AtomicBool,
}

impl fmt::Debug for StateFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl StateFile {
    pub(crate) fn new(path: PathBuf) -> Self {
        StateFile {
            path,
            last: Mutex::new(None),
            writable: AtomicBool::new(true),
        }
    }

    /// Reads the file and decodes it with `decode`, which says in words what is wrong
    /// when it cannot. `None` when there is no file yet, or when it was damaged (it is
    /// then moved aside, with a warning).
    pub(crate) fn load<T>(&self, decode: impl FnOnce(&[u8]) -> Result<T, String>) -> Option<T> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return None,
            Err(error) => {
                self.set_aside(&format!("cannot be read ({error})"));
                return None;
            }
        };
        match decode(&bytes) {
            Ok(value) => {
                *self.lock_last() = Some(bytes);
                Some(value)
            }
            Err(why) => {
                self.set_aside(&why);
                None
            }
        }
    }

    /// Replaces the file's content with `bytes`, unless they are what it already holds.
    /// A failure is logged and the sandbox carries on: the next change tries again.
    pub(crate) fn save(&self, bytes: Vec<u8>) {
        if !self.writable.load(Ordering::Relaxed) {
            return;
        }
        let mut last = self.lock_last();
        if last.as_deref() == Some(bytes.as_slice()) {
            return;
        }
        match write_atomically(&self.path, &bytes) {
            Ok(()) => *last = Some(bytes),
            Err(error) => tracing::warn!(
                file = %self.path.display(),
                %error,
                "cannot save the sandbox's state; it will try again at the next change"
            ),
        }
    }

    fn set_aside(&self, why: &str) {
        let aside = aside_path(&self.path);
        match fs::rename(&self.path, &aside) {
            Ok(()) => tracing::warn!(
                file = %self.path.display(),
                kept_as = %aside.display(),
                "the sandbox's state file {why}; it was moved aside and the sandbox starts empty"
            ),
            Err(error) => {
                self.writable.store(false, Ordering::Relaxed);
                tracing::warn!(
                    file = %self.path.display(),
                    %error,
                    "the sandbox's state file {why} and cannot be moved aside; the sandbox \
                     starts empty, leaves the file as it is and remembers nothing this time"
                );
            }
        }
    }

    fn lock_last(&self) -> std::sync::MutexGuard<'_, Option<Vec<u8>>> {
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `NAME.damaged-UNIXSECONDS` beside the file, with `-2`, `-3`... when that is taken.
fn aside_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sandbox-state".to_owned());
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let base = path.with_file_name(format!("{name}.damaged-{stamp}"));
    let mut candidate = base.clone();
    let mut n = 1;
    while candidate.exists() {
        n += 1;
        candidate = base.with_file_name(format!("{name}.damaged-{stamp}-{n}"));
    }
    candidate
}

/// Writes `bytes` to a temporary file in the same folder, flushes it to disk, then
/// renames it over `path` (which replaces it on every platform Rust supports).
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_folder(&folder)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The process ID keeps two sandboxes given the same file from writing one temporary
    // file at once.
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = create_owner_only(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// A new file only its owner can read or write. A temporary file left by a crash is
/// removed first, so its permissions are never the ones that count.
fn create_owner_only(path: &Path) -> io::Result<fs::File> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    // Elsewhere the file takes the folder's permissions; the app data folder is the
    // user's own.
    options.open(path)
}

fn create_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(folder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary one, removed afterwards.
    struct Folder(PathBuf);

    impl Folder {
        fn new(label: &str) -> Self {
            let unique = format!(
                "zoho-sandbox-{label}-{}-{:x}",
                std::process::id(),
                rand::random::<u64>()
            );
            let path = std::env::temp_dir().join(unique);
            fs::create_dir_all(&path).expect("a temporary folder");
            Folder(path)
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .expect("listable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_missing_file_loads_nothing_and_is_created_at_the_first_save() {
        let folder = Folder::new("missing");
        let path = folder.0.join("deeper").join("state.json");
        let file = StateFile::new(path.clone());
        assert_eq!(file.load(|_| Ok(())), None);
        file.save(b"{}".to_vec());
        assert_eq!(fs::read(&path).expect("written"), b"{}");
        assert_eq!(names_in(&folder.0.join("deeper")), ["state.json"]);
    }

    #[test]
    fn saving_replaces_the_whole_content() {
        let folder = Folder::new("replace");
        let path = folder.0.join("state.json");
        let file = StateFile::new(path.clone());
        file.save(b"a much longer first version".to_vec());
        file.save(b"short".to_vec());
        assert_eq!(fs::read(&path).expect("written"), b"short");
        let again = StateFile::new(path);
        assert_eq!(again.load(|b| Ok(b.to_vec())), Some(b"short".to_vec()));
    }

    #[test]
    fn a_file_that_cannot_be_decoded_is_moved_aside_and_kept() {
        let folder = Folder::new("damaged");
        let path = folder.0.join("state.json");
        fs::write(&path, b"not what was expected").expect("written");
        let file = StateFile::new(path.clone());
        assert_eq!(file.load(|_| Err::<(), _>("is damaged".to_owned())), None);
        assert!(!path.exists());
        let names = names_in(&folder.0);
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("state.json.damaged-"), "{names:?}");
        let kept = fs::read(folder.0.join(&names[0])).expect("kept");
        assert_eq!(kept, b"not what was expected");

        // The sandbox goes on saving to the usual name, and a second damaged file is
        // kept beside the first rather than over it.
        file.save(b"fresh".to_vec());
        assert_eq!(fs::read(&path).expect("written"), b"fresh");
        let second = StateFile::new(path.clone());
        assert_eq!(second.load(|_| Err::<(), _>("is damaged".to_owned())), None);
        assert_eq!(names_in(&folder.0).len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn only_the_owner_may_read_the_file_even_when_it_was_readable_before() {
        use std::os::unix::fs::PermissionsExt as _;
        let folder = Folder::new("mode");
        let path = folder.0.join("state.json");
        fs::write(&path, b"old").expect("written");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        StateFile::new(path.clone()).save(b"new".to_vec());
        let mode = fs::metadata(&path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
