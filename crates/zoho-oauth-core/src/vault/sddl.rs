//! Judges a Windows access list, read as SDDL text (what
//! `ConvertSecurityDescriptorToStringSecurityDescriptorW` prints), for the vault's two
//! questions: may anyone but the user read this file, and may anyone but the user add,
//! replace or remove files in this folder. Reading the text keeps the judging in safe
//! code, testable on every platform; only fetching and setting the list touches
//! Windows' API (`windows_acl`).
//!
//! Only allow entries count. Deny entries only ever take rights away, so ignoring them
//! can make the answer more cautious, never less. Entries marked inherit-only (`IO`)
//! apply to what the folder will hold, not to the object itself.

/// Accounts that may always hold rights over the vault: the local system account,
/// which backup and the indexer run as, and the Administrators group, which can take
/// any file anyway. The user's own account is passed in.
const TRUSTED: &[&str] = &["SY", "S-1-5-18", "BA", "S-1-5-32-544", "OW", "S-1-3-4"];

/// The bits that let their holder read a file's contents, or give itself that right.
const READ_RIGHTS: u32 = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL | WRITE_DAC | WRITE_OWNER;

/// The bits that let their holder put a file in a folder, or take one out of it, or
/// give itself those rights.
const CHANGE_RIGHTS: u32 = FILE_ADD_FILE
    | FILE_ADD_SUBDIRECTORY
    | FILE_DELETE_CHILD
    | DELETE
    | GENERIC_WRITE
    | GENERIC_ALL
    | WRITE_DAC
    | WRITE_OWNER;

const FILE_READ_DATA: u32 = 0x1;
const FILE_ADD_FILE: u32 = 0x2;
const FILE_ADD_SUBDIRECTORY: u32 = 0x4;
const FILE_DELETE_CHILD: u32 = 0x40;
const DELETE: u32 = 0x1_0000;
const WRITE_DAC: u32 = 0x4_0000;
const WRITE_OWNER: u32 = 0x8_0000;
const GENERIC_ALL: u32 = 0x1000_0000;
const GENERIC_WRITE: u32 = 0x4000_0000;
const GENERIC_READ: u32 = 0x8000_0000;
const FILE_ALL_ACCESS: u32 = 0x1F_01FF;
const FILE_GENERIC_READ: u32 = 0x12_0089;
const FILE_GENERIC_WRITE: u32 = 0x12_0116;
const FILE_GENERIC_EXECUTE: u32 = 0x12_00A0;

/// The access list the vault gives its own file and the folders it creates: full
/// control for the user and the system account, nothing inherited from above (`P`),
/// passed on to whatever the folder holds (`OICI`).
pub(crate) fn owner_only(user_sid: &str) -> String {
    format!("D:P(A;OICI;FA;;;{user_sid})(A;OICI;FA;;;SY)")
}

/// True when an account other than `user_sid` (and the trusted ones) may read the
/// file whose access list is `sddl`.
pub(crate) fn others_may_read(sddl: &str, user_sid: &str) -> bool {
    others_hold(sddl, user_sid, READ_RIGHTS)
}

/// True when an account other than `user_sid` (and the trusted ones) may add, replace
/// or remove files in the folder whose access list is `sddl`.
pub(crate) fn others_may_change(sddl: &str, user_sid: &str) -> bool {
    others_hold(sddl, user_sid, CHANGE_RIGHTS)
}

fn others_hold(sddl: &str, user_sid: &str, rights: u32) -> bool {
    let Some(dacl) = dacl_part(sddl) else {
        // No access list at all: Windows lets everyone do everything.
        return true;
    };
    if dacl.contains("NO_ACCESS_CONTROL") {
        return true;
    }
    let Some(aces) = aces(dacl) else {
        // Text this reader does not understand is treated as open, so the user hears
        // about it rather than not.
        return true;
    };
    aces.iter().any(|ace| {
        ace.allows
            && !ace.inherit_only
            && ace.rights & rights != 0
            && !ace.sid.eq_ignore_ascii_case(user_sid)
            && !TRUSTED.iter().any(|t| ace.sid.eq_ignore_ascii_case(t))
    })
}

/// The `D:` part of a security descriptor's text, up to the next part (`S:` for the
/// audit list), if any.
fn dacl_part(sddl: &str) -> Option<&str> {
    let start = sddl.find("D:")? + 2;
    let rest = &sddl[start..];
    // No SID or entry holds a colon, so the next one starts the next part.
    Some(match rest.find("S:") {
        Some(i) => &rest[..i],
        None => rest,
    })
}

struct Ace<'a> {
    allows: bool,
    inherit_only: bool,
    rights: u32,
    sid: &'a str,
}

/// The entries of a `D:` part: `flags(type;flags;rights;guid;guid;sid)...`.
fn aces(dacl: &str) -> Option<Vec<Ace<'_>>> {
    let mut out = Vec::new();
    let mut rest = dacl;
    while let Some(open) = rest.find('(') {
        let close = rest[open..].find(')')? + open;
        let fields: Vec<&str> = rest[open + 1..close].split(';').collect();
        let [kind, flags, rights, _, _, sid, ..] = fields.as_slice() else {
            return None;
        };
        out.push(Ace {
            allows: matches!(*kind, "A" | "OA" | "XA" | "ZA"),
            inherit_only: flags.contains("IO"),
            rights: rights_mask(rights)?,
            sid: sid.trim(),
        });
        rest = &rest[close + 1..];
    }
    Some(out)
}

/// A rights field: a number (`0x1200a9`) or two-letter codes (`FA`, `FRFW`, `CCDCLC`).
fn rights_mask(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16).ok();
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let mut mask = 0;
    for code in text.as_bytes().chunks(2) {
        mask |= match code {
            b"GA" => GENERIC_ALL,
            b"GR" => GENERIC_READ,
            b"GW" => GENERIC_WRITE,
            b"GX" => 0x2000_0000,
            b"FA" => FILE_ALL_ACCESS,
            b"FR" => FILE_GENERIC_READ,
            b"FW" => FILE_GENERIC_WRITE,
            b"FX" => FILE_GENERIC_EXECUTE,
            b"SD" => DELETE,
            b"RC" => 0x2_0000,
            b"WD" => WRITE_DAC,
            b"WO" => WRITE_OWNER,
            // The directory-service letters name the low 9 bits, which for files are
            // the file and folder rights.
            b"CC" => 0x1,
            b"DC" => 0x2,
            b"LC" => 0x4,
            b"SW" => 0x8,
            b"RP" => 0x10,
            b"WP" => 0x20,
            b"DT" => 0x40,
            b"LO" => 0x80,
            b"CR" => 0x100,
            _ => return None,
        };
    }
    Some(mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "S-1-5-21-1004336348-1177238915-682003330-1001";

    #[test]
    fn the_list_the_vault_sets_is_private() {
        let sddl = owner_only(ME);
        assert!(!others_may_read(&sddl, ME));
        assert!(!others_may_change(&sddl, ME));
    }

    #[test]
    fn a_profile_folder_as_windows_makes_it_is_private() {
        // %APPDATA% of a standard account, as icacls shows it: the user, SYSTEM and
        // Administrators, inherited.
        let sddl =
            format!("O:{ME}G:{ME}D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;FA;;;{ME})");
        assert!(!others_may_read(&sddl, ME));
        assert!(!others_may_change(&sddl, ME));
    }

    #[test]
    fn everyone_or_users_reading_is_seen() {
        let everyone = format!("D:(A;;FA;;;{ME})(A;;0x1200a9;;;WD)");
        assert!(others_may_read(&everyone, ME));
        assert!(!others_may_change(&everyone, ME), "read and execute only");
        let users = format!("D:AI(A;ID;FA;;;{ME})(A;ID;FR;;;BU)");
        assert!(others_may_read(&users, ME));
    }

    #[test]
    fn another_user_who_may_add_files_is_seen() {
        // C:\ as Windows ships it: Authenticated Users may create folders and files.
        let root = "D:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICIIO;SDGXGWGR;;;AU)(A;;LC;;;AU)";
        assert!(others_may_change(root, ME));
        let shared = "D:(A;OICI;0x1301bf;;;S-1-5-21-1-2-3-1002)";
        assert!(others_may_change(shared, ME));
    }

    #[test]
    fn inherit_only_entries_and_deny_entries_give_the_object_nothing() {
        let sddl = format!("D:P(A;OICI;FA;;;{ME})(A;OICIIO;GA;;;CO)(D;;FA;;;WD)");
        assert!(!others_may_read(&sddl, ME));
        assert!(!others_may_change(&sddl, ME));
    }

    #[test]
    fn no_list_or_an_unreadable_one_counts_as_open() {
        assert!(others_may_read("O:BAG:BA", ME));
        assert!(others_may_change("D:NO_ACCESS_CONTROL", ME));
        assert!(others_may_read("D:(A;;QQ;;;WD)", ME));
        assert!(others_may_read("D:(A;;FA;;", ME));
    }

    #[test]
    fn the_audit_part_is_not_read_as_access() {
        let sddl = format!("D:P(A;;FA;;;{ME})S:(AU;SA;FA;;;WD)");
        assert!(!others_may_read(&sddl, ME));
    }

    #[test]
    fn user_sid_comparison_ignores_case() {
        let sddl = format!("D:P(A;;FA;;;{})", ME.to_lowercase());
        assert!(!others_may_read(&sddl, ME));
    }
}
