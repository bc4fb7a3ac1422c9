//! Getting vault bytes on and off the disk without ever losing what was saved.
//!
//! - A save writes a temporary file in the vault's own folder (same file system, so the
//!   rename is atomic), flushes it to disk, renames it over the vault and flushes the
//!   folder, so that after a crash or power cut the vault is either the old file or
//!   the new one, never a mix or a stub. On Windows std's rename replaces the file in
//!   one step (a POSIX-semantics rename by handle, or `MoveFileExW` with
//!   `MOVEFILE_REPLACE_EXISTING` where the file system lacks it); NTFS journals the
//!   rename itself, and Windows has no way to flush a folder, so there is none.
//! - Every file the vault writes is 0600; on Windows it gets an access list of its own
//!   that lets in only the user and the system account, not the one it would inherit
//!   from its folder. A folder the vault has to create is made private to the user in
//!   the same way (0700, or that access list); an existing folder is the user's choice and is never
//!   changed, but when other users may write to it (they could replace or remove the
//!   vault) the log says so and [`folder_warning`] words it for the user.
//! - A file that cannot be read as a vault is renamed aside with a timestamp, never
//!   overwritten or deleted: the user may have a way to recover it that we do not.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use time::macros::format_description;
use time::OffsetDateTime;

use super::crypto;

/// Reads the whole vault file; `None` when there is none.
pub(crate) fn read(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The last `n` bytes of the file (to compare its checksum); `None` if it is gone.
pub(crate) fn read_tail(path: &Path, n: usize) -> io::Result<Option<Vec<u8>>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    if len < n as u64 {
        return Ok(Some(Vec::new()));
    }
    file.seek(SeekFrom::End(-(n as i64)))?;
    let mut tail = vec![0u8; n];
    file.read_exact(&mut tail)?;
    Ok(Some(tail))
}

/// The folder holding `path` (the current directory for a bare file name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates the vault's folder, and any missing folder above it, as 0700. A folder that
/// already exists is left exactly as it is: it may be the user's Documents or a shared
/// drive, whose permissions are theirs to choose.
pub(crate) fn ensure_folder(folder: &Path) -> io::Result<()> {
    if folder.is_dir() {
        warn_if_shared(folder);
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)
    }
    #[cfg(windows)]
    {
        let mut missing: Vec<&Path> = folder.ancestors().take_while(|f| !f.exists()).collect();
        fs::create_dir_all(folder)?;
        missing.reverse();
        for created in missing {
            keep_private(created);
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    fs::create_dir_all(folder)
}

/// Gives a file or folder of the vault's own Windows' owner-only access list. A drive
/// without access lists (a FAT memory stick, some network shares) refuses; the vault is
/// still encrypted, so the save goes on and the log says why the list is missing.
#[cfg(windows)]
fn keep_private(path: &Path) {
    if let Err(e) = super::windows_acl::make_private(path) {
        tracing::warn!(
            path = %path.display(),
            error = %e,
            "could not give this vault file or folder an owner-only access list"
        );
    }
}

/// True when users other than the owner may create, replace or remove files in
/// `folder` (group- or world-writable, sticky or not: even with the sticky bit another
/// user can take the vault's name before it is first saved).
fn writable_by_others(folder: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(folder).is_ok_and(|m| m.permissions().mode() & 0o022 != 0)
    }
    #[cfg(windows)]
    {
        super::windows_acl::others_may_change(folder).unwrap_or_else(|e| {
            tracing::debug!(folder = %folder.display(), error = %e, "could not read the folder's access list");
            false
        })
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = folder;
        false
    }
}

fn warn_if_shared(folder: &Path) {
    if writable_by_others(folder) {
        tracing::warn!(
            folder = %folder.display(),
            "the vault's folder is writable by other users; its permissions were left unchanged"
        );
    }
}

/// A note for the user when other users of this computer may change the folder holding
/// the vault at `path`; `None` when only the user can.
pub(crate) fn folder_warning(path: &Path) -> Option<String> {
    let folder = folder_of(path);
    writable_by_others(&folder).then(|| {
        format!(
            "The folder {} that holds your saved connections can be changed by other users \
             of this computer, so one of them could replace or delete the vault file. Your \
             connections are still encrypted; to keep the file safe too, move the vault to a \
             folder only you can change, such as one in your home folder.",
            folder.display()
        )
    })
}

fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vault".into());
    format!(".{name}.tmp-")
}

/// Replaces `path` with `bytes` atomically and durably.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = folder_of(path);
    ensure_folder(&folder)?;
    let temp = folder.join(format!(
        "{}{}-{}",
        temp_prefix(path),
        std::process::id(),
        crypto::random_hex(6)
    ));
    let result = write_temp_then_rename(&temp, path, bytes);
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_folder(&folder)
}

fn write_temp_then_rename(temp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(temp)?;
    // Before a byte is written, so the secrets never sit under the folder's list.
    #[cfg(windows)]
    keep_private(temp);
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    rename(temp, path)
}

/// How long a rename waits for another program to let go of the vault.
const RENAME_RETRY_FOR: Duration = Duration::from_secs(3);

/// Windows refuses to rename over (or away) a file that another program holds open
/// without `FILE_SHARE_DELETE`, as virus scanners, backup and search indexers do for a
/// moment; such a refusal is waited out. Unix renames regardless.
fn rename(from: &Path, to: &Path) -> io::Result<()> {
    let deadline = Instant::now() + RENAME_RETRY_FOR;
    loop {
        match fs::rename(from, to) {
            Err(e) if held_by_another_program(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(25));
            }
            result => return result,
        }
    }
}

fn held_by_another_program(error: &io::Error) -> bool {
    // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
    cfg!(windows) && matches!(error.raw_os_error(), Some(5 | 32 | 33))
}

/// Flushes the folder entry so the rename itself survives a power cut.
fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// Moves a damaged vault aside as `<name>.damaged-<UTC timestamp>[-n]`, keeping its
/// bytes exactly. Returns the new path.
pub(crate) fn quarantine(path: &Path, now: OffsetDateTime) -> io::Result<PathBuf> {
    let folder = folder_of(path);
    let prefix = damaged_prefix(path);
    let stamp = now
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .map_err(io::Error::other)?;
    for n in 0u32..1000 {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let target = folder.join(format!("{prefix}{stamp}{suffix}"));
        if target.exists() {
            continue;
        }
        rename(path, &target)?;
        sync_folder(&folder)?;
        return Ok(target);
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many damaged copies with the same timestamp",
    ))
}

/// The damaged copies [`quarantine`] kept of `path`, oldest first (the UTC timestamp
/// in their names sorts by time).
pub(crate) fn damaged_copies(path: &Path) -> Vec<PathBuf> {
    let prefix = damaged_prefix(path);
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return Vec::new();
    };
    let mut copies: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    copies.sort_by_key(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let rest = name[prefix.len()..].to_owned();
        // "<stamp>" sorts before "<stamp>-1", "<stamp>-2", ... "<stamp>-10".
        let (stamp, n) = rest.split_once('-').unwrap_or((&rest, "0"));
        (stamp.to_owned(), n.parse::<u32>().unwrap_or(0))
    });
    copies
}

fn damaged_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vault".into());
    format!("{name}.damaged-")
}

/// Deletes temporary files a killed save left behind. They never hold committed state
/// (the rename is the commit), so removing them loses nothing. Returns how many.
pub(crate) fn remove_stale_temp_files(path: &Path) -> usize {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

/// Narrows the vault file to 0600 (on Windows, to the owner-only access list) if something widened it (the file is the vault's
/// own, unlike its folder), and logs when the folder is open to other users.
pub(crate) fn ensure_private_file(path: &Path) -> io::Result<()> {
    warn_if_shared(&folder_of(path));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o600 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(windows)]
    if super::windows_acl::others_may_read(path).unwrap_or(false) {
        super::windows_acl::make_private(path)?;
    }
    #[cfg(not(any(unix, windows)))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.zov");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn quarantine_never_overwrites_an_earlier_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.zov");
        let now = OffsetDateTime::now_utc();
        fs::write(&path, b"first").unwrap();
        let a = quarantine(&path, now).unwrap();
        fs::write(&path, b"second").unwrap();
        let b = quarantine(&path, now).unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::read(&a).unwrap(), b"first");
        assert_eq!(fs::read(&b).unwrap(), b"second");
        assert!(!path.exists());
        assert!(a
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("v.zov.damaged-"));
    }

    #[test]
    fn damaged_copies_are_listed_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.zov");
        let earlier = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let later = earlier + time::Duration::days(1);
        let mut made = Vec::new();
        for now in [earlier, earlier, later] {
            fs::write(&path, b"x").unwrap();
            made.push(quarantine(&path, now).unwrap());
        }
        for n in 2..=10 {
            fs::write(&path, b"x").unwrap();
            made.insert(n, quarantine(&path, earlier).unwrap());
        }
        fs::write(dir.path().join("other.zov.damaged-1"), b"x").unwrap();
        assert_eq!(damaged_copies(&path), made);
        assert!(damaged_copies(&dir.path().join("none.zov")).is_empty());
    }

    #[test]
    fn stale_temp_files_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.zov");
        fs::write(dir.path().join(".v.zov.tmp-1-abc"), b"x").unwrap();
        fs::write(dir.path().join("notes.txt"), b"keep").unwrap();
        assert_eq!(remove_stale_temp_files(&path), 1);
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn tail_of_a_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_tail(&dir.path().join("none"), 32).unwrap().is_none());
    }
}
