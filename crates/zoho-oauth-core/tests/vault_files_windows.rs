//! Windows' counterpart of the Unix file tests: renaming over a file that another
//! program holds open, which Unix always allows and Windows refuses while the other
//! program's handle does not share deletion; and the access lists that stand in for
//! 0600 and 0700, read back as Windows itself reports them.
#![cfg(windows)]

mod vault_support;

use std::fs::{self, OpenOptions};
use std::os::windows::fs::OpenOptionsExt;
use std::time::Duration;

use vault_support::*;
use zoho_oauth_core::vault::windows_acl::{access_list, current_user_sid, set_access_list};
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

/// The accounts an access list lets in, in order. Wine keeps a file's list only as its
/// Unix mode bits, so under Wine this is the list that Windows would give a file with
/// those bits: what is compared is who gets in, not how Windows spells it.
fn who_may(path: &std::path::Path) -> Vec<String> {
    let list = access_list(path).unwrap();
    let dacl = &list[list.find("D:").expect("an access list") + 2..];
    let mut sids: Vec<String> = dacl
        .split('(')
        .skip(1)
        .map(|ace| {
            let fields: Vec<&str> = ace.trim_end_matches(')').split(';').collect();
            assert_eq!(fields[0], "A", "only allow entries: {list}");
            fields[5].to_owned()
        })
        .collect();
    sids.sort();
    sids.dedup();
    sids
}

fn the_user_alone() -> Vec<String> {
    let mut sids = vec![current_user_sid().unwrap(), "SY".to_owned()];
    sids.sort();
    sids
}

#[test]
fn the_vault_file_and_the_folders_it_makes_let_in_the_user_alone() {
    let dir = tempfile::tempdir().unwrap();
    let before = access_list(dir.path()).unwrap();
    let path = dir.path().join("made").join("by vault").join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (mut vault, ids) = vault_with(&path, 1, options);
    let private = the_user_alone();

    assert_eq!(who_may(&path), private, "{}", access_list(&path).unwrap());
    assert_eq!(who_may(&dir.path().join("made")), private);
    assert_eq!(who_may(path.parent().unwrap()), private);
    assert_eq!(
        access_list(dir.path()).unwrap(),
        before,
        "a folder the vault did not make is left as it was"
    );

    vault.rename(&ids[0], "saved again").unwrap();
    assert_eq!(
        who_may(&path),
        private,
        "a save replaces the file with a private one"
    );
    assert!(vault.folder_warning().is_none());
}

#[test]
fn a_vault_file_opened_to_others_is_narrowed_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (vault, _) = vault_with(&path, 1, options.clone());
    drop(vault);
    let me = current_user_sid().unwrap();
    set_access_list(&path, &format!("D:P(A;;FA;;;{me})(A;;FR;;;WD)")).unwrap();
    assert!(
        who_may(&path).contains(&"WD".to_owned()),
        "everyone may read"
    );

    Vault::open(&path, Unlock::Passphrase(passphrase()), options).unwrap();
    assert_eq!(who_may(&path), the_user_alone());
}

#[test]
fn a_folder_other_users_may_change_is_pointed_out_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    fs::create_dir(&folder).unwrap();
    let me = current_user_sid().unwrap();
    // Everyone (WD) may add and remove files: a folder shared on a family computer.
    let shared = format!("D:P(A;OICI;FA;;;{me})(A;OICI;0x1301bf;;;WD)");
    set_access_list(&folder, &shared).unwrap();
    let before = access_list(&folder).unwrap();

    let path = folder.join("vault.zov");
    let options = fast_options(MemoryKeyStore::new());
    let (vault, _) = vault_with(&path, 1, options);
    let warning = vault.folder_warning().expect("a warning about the folder");
    assert!(warning.contains("other users"), "{warning}");
    assert_eq!(
        access_list(&folder).unwrap(),
        before,
        "the folder is not changed"
    );
    assert_eq!(who_may(&path), the_user_alone());

    set_access_list(&folder, &format!("D:P(A;OICI;FA;;;{me})")).unwrap();
    assert!(vault.folder_warning().is_none());
}
