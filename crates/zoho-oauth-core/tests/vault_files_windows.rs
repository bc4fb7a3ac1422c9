//! Windows' counterpart of the Unix file tests: renaming over a file that another
//! program holds open, which Unix always allows and Windows refuses while the other
//! program's handle does not share deletion.
#![cfg(windows)]

mod vault_support;

use std::fs::{self, OpenOptions};
use std::os::windows::fs::OpenOptionsExt;
use std::time::Duration;

use vault_support::*;
use zoho_oauth_core::vault::{Unlock, Vault};

/// `FILE_SHARE_READ` alone: what a virus scanner or backup tool opening the vault
/// for a look typically asks for.
const SHARE_READ_ONLY: u32 = 0x1;

#[test]
fn a_save_waits_for_another_program_to_let_go_of_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (mut vault, ids) = vault_with(&path, 1, options.clone());
    let before = fs::read(&path).unwrap();

    let scanner = OpenOptions::new()
        .read(true)
        .share_mode(SHARE_READ_ONLY)
        .open(&path)
        .unwrap();
    assert!(
        fs::rename(&path, dir.path().join("moved")).is_err(),
        "Windows lets nobody rename a file held without FILE_SHARE_DELETE"
    );
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        drop(scanner);
    });
    vault.rename(&ids[0], "saved while held").unwrap();
    release.join().unwrap();

    assert_ne!(fs::read(&path).unwrap(), before, "the save went through");
    let reopened = Vault::open(&path, Unlock::Passphrase(passphrase()), options).unwrap();
    assert_eq!(
        reopened.get(&ids[0]).unwrap().summary.name,
        "saved while held"
    );
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains(".tmp-")),
        "no temporary file left: {names:?}"
    );
}
