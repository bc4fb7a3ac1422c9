//! The file lock that lets the app and any number of command-line processes share one
//! vault file.
//!
//! Every read-modify-write of the vault holds it: without it, two processes that each
//! read the file, change it and save would silently drop one of the two changes, and
//! two processes that each find the access token expired would both refresh it (Zoho
//! counts every refresh towards its lockout).
//!
//! The lock is taken on a small file beside the vault (`connections.vault.lock`), never
//! on the vault itself, because saves replace the vault by renaming a new file over it:
//! a lock on the old file would not stop anyone opening the new one. The lock file is
//! never deleted: deleting it while another process waits on it would let a third lock
//! a fresh file at the same time.
//!
//! Inside one process the lock is shared: the app may hold it for a refresh that waits
//! on Zoho while it saves something else, and taking it twice from the same process
//! would otherwise wait for itself. The operating system releases it when a process
//! dies, so a killed command never leaves the vault locked.
//!
//! It uses std's `File::lock`/`try_lock` (Rust 1.89, the workspace's declared minimum).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::error::VaultError;
use super::file;

/// How long a process waits for another to finish with the vault before giving up. A
/// holder may be waiting on Zoho (at most its time limits), so this is generous.
pub const LOCK_WAIT: Duration = Duration::from_secs(90);

/// Between two tries while another process holds the lock.
const RETRY_EVERY: Duration = Duration::from_millis(15);

/// The lock of one vault file, shared by every holder in this process.
#[derive(Debug)]
pub(crate) struct LockFile {
    path: PathBuf,
    held: Mutex<Held>,
}

#[derive(Debug, Default)]
struct Held {
    /// Open while the lock is held; closing it releases the lock.
    file: Option<File>,
    holders: usize,
}

/// The vault's file lock, held until dropped. Other processes wait to change the vault
/// (or to refresh one of its tokens) until then.
#[derive(Debug)]
#[must_use = "the lock is released as soon as this is dropped"]
pub struct VaultLock {
    lock: Arc<LockFile>,
}

impl LockFile {
    /// The lock for the vault at `vault`.
    pub(crate) fn beside(vault: &Path) -> Arc<LockFile> {
        let mut name = vault
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "vault".into());
        name.push(".lock");
        Arc::new(LockFile {
            path: file::folder_of(vault).join(name),
            held: Mutex::new(Held::default()),
        })
    }

    /// Takes the lock, waiting up to `wait` for another process to release it.
    ///
    /// # Errors
    /// [`VaultError::Busy`] when it is still held after `wait`; [`VaultError::Io`] when
    /// the lock file cannot be made.
    pub(crate) fn acquire(self: &Arc<Self>, wait: Duration) -> Result<VaultLock, VaultError> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(lock) = self.try_acquire()? {
                return Ok(lock);
            }
            if Instant::now() >= deadline {
                return Err(VaultError::Busy {
                    path: self.path.clone(),
                    waited: wait,
                });
            }
            std::thread::sleep(RETRY_EVERY);
        }
    }

    /// Takes the lock if no other process holds it.
    ///
    /// # Errors
    /// [`VaultError::Io`] when the lock file cannot be made or locked.
    pub(crate) fn try_acquire(self: &Arc<Self>) -> Result<Option<VaultLock>, VaultError> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.holders > 0 {
            held.holders += 1;
            return Ok(Some(VaultLock { lock: self.clone() }));
        }
        let io = |e| VaultError::io("lock", &self.path, e);
        file::ensure_folder(&file::folder_of(&self.path)).map_err(io)?;
        let handle = open_lock_file(&self.path).map_err(io)?;
        match handle.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        held.file = Some(handle);
        held.holders = 1;
        Ok(Some(VaultLock { lock: self.clone() }))
    }
}

impl Drop for VaultLock {
    fn drop(&mut self) {
        let mut held = self
            .lock
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        held.holders = held.holders.saturating_sub(1);
        if held.holders == 0 {
            // Closing the handle releases the lock.
            held.file = None;
        }
    }
}

fn open_lock_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_process_waits_and_the_same_process_shares() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("v.zov");
        let ours = LockFile::beside(&vault);
        let first = ours.acquire(LOCK_WAIT).unwrap();
        let again = ours.try_acquire().unwrap();
        assert!(again.is_some(), "the same process shares its lock");

        // Another open file description stands in for another process.
        let theirs = LockFile::beside(&vault);
        assert!(theirs.try_acquire().unwrap().is_none());
        let err = theirs.acquire(Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, VaultError::Busy { .. }), "{err:?}");

        drop(first);
        assert!(
            theirs.try_acquire().unwrap().is_none(),
            "still held by the second holder"
        );
        drop(again);
        assert!(theirs.try_acquire().unwrap().is_some(), "released");
        assert!(dir.path().join("v.zov.lock").exists());
    }
}
