//! Windows' counterpart of the vault's 0600 file and 0700 folders: an explicit access
//! list giving the user (and the system account) full control and nobody else
//! anything, not inherited from the folder above, and the reading of a folder's list to
//! warn when other users may change it. Judging a list is done on its SDDL text in safe
//! code (`sddl`); this module only fetches and sets lists. Reading and setting a list
//! are public so that tests and diagnostics can see what Windows itself reports.
//!
//! This is the crate's one module with `unsafe`: Windows' security API is C, and no
//! well-kept crate wraps these few calls safely. Every pointer Windows hands back is
//! owned by a guard that frees it with `LocalFree`.
#![allow(unsafe_code)]

use std::ffi::{c_void, OsStr};
use std::fs::OpenOptions;
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::AsRawHandle;
use std::path::Path;
use std::ptr;

use windows_sys::Win32::Foundation::{CloseHandle, LocalFree, ERROR_SUCCESS, GENERIC_READ, HANDLE};
use windows_sys::Win32::Security::Authorization::{
    ConvertSecurityDescriptorToStringSecurityDescriptorW, ConvertSidToStringSidW,
    ConvertStringSecurityDescriptorToSecurityDescriptorW, GetNamedSecurityInfoW, SDDL_REVISION_1,
    SE_FILE_OBJECT,
};
use windows_sys::Win32::Security::{
    GetSecurityDescriptorDacl, GetTokenInformation, SetKernelObjectSecurity, TokenUser, ACL,
    DACL_SECURITY_INFORMATION, PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR,
    TOKEN_QUERY, TOKEN_USER, UNPROTECTED_DACL_SECURITY_INFORMATION,
};
use windows_sys::Win32::Storage::FileSystem::{
    FILE_FLAG_BACKUP_SEMANTICS, READ_CONTROL, WRITE_DAC,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use super::sddl;

/// Gives `path` (a file or a folder) the owner-only list.
pub(crate) fn make_private(path: &Path) -> io::Result<()> {
    set_access_list(path, &sddl::owner_only(&current_user_sid()?))
}

/// Replaces the access list of `path` with the `D:` part of the SDDL text `list`; a
/// protected list (`D:P`) stops inheriting from the folder above.
pub fn set_access_list(path: &Path, list: &str) -> io::Result<()> {
    let text = wide(OsStr::new(list));
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    // SAFETY: `text` is a NUL-terminated UTF-16 string that outlives the call; on
    // success Windows stores a LocalAlloc'd descriptor in `descriptor`.
    let made = unsafe {
        ConvertStringSecurityDescriptorToSecurityDescriptorW(
            text.as_ptr(),
            SDDL_REVISION_1,
            &mut descriptor,
            ptr::null_mut(),
        )
    };
    if made == 0 {
        return Err(io::Error::last_os_error());
    }
    let descriptor = Local(descriptor);
    // Checked, so that text without a `D:` part cannot pass for an empty list.
    let (mut present, mut defaulted) = (0, 0);
    let mut dacl: *mut ACL = ptr::null_mut();
    // SAFETY: `descriptor.0` is the valid descriptor made above; `dacl` points into it
    // and is used only while `descriptor` lives.
    let found =
        unsafe { GetSecurityDescriptorDacl(descriptor.0, &mut present, &mut dacl, &mut defaulted) };
    if found == 0 || present == 0 || dacl.is_null() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the text holds no access list",
        ));
    }
    let protection = if list.contains("D:P") {
        PROTECTED_DACL_SECURITY_INFORMATION
    } else {
        UNPROTECTED_DACL_SECURITY_INFORMATION
    };
    // Set on a handle of our own that may read, exactly as given: Wine applies a list
    // only to a file it holds open for reading or writing, and its SetSecurityInfo
    // adds the folder's entries even to a protected list.
    let handle = OpenOptions::new()
        .access_mode(GENERIC_READ | READ_CONTROL | WRITE_DAC)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)?;
    // SAFETY: the handle is open (above) with WRITE_DAC; `descriptor.0` is the valid
    // descriptor made above, which holds an access list.
    let set = unsafe {
        SetKernelObjectSecurity(
            handle.as_raw_handle(),
            DACL_SECURITY_INFORMATION | protection,
            descriptor.0,
        )
    };
    if set == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// True when an account other than the user, the system and Administrators may read
/// the file at `path`.
pub(crate) fn others_may_read(path: &Path) -> io::Result<bool> {
    Ok(sddl::others_may_read(
        &access_list(path)?,
        &current_user_sid()?,
    ))
}

/// True when an account other than the user, the system and Administrators may add,
/// replace or remove files in the folder at `path`.
pub(crate) fn others_may_change(path: &Path) -> io::Result<bool> {
    Ok(sddl::others_may_change(
        &access_list(path)?,
        &current_user_sid()?,
    ))
}

/// The access list of `path` as Windows prints it in SDDL (`D:P(A;;FA;;;S-1-5-21-...)`).
pub fn access_list(path: &Path) -> io::Result<String> {
    let name = wide(path.as_os_str());
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    // SAFETY: `name` is NUL-terminated and outlives the call; only the descriptor is
    // asked for (the other out-pointers may be null), which Windows LocalAllocs.
    let status = unsafe {
        GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut descriptor,
        )
    };
    if status != ERROR_SUCCESS {
        return Err(io::Error::from_raw_os_error(status as i32));
    }
    let descriptor = Local(descriptor);
    let mut text: *mut u16 = ptr::null_mut();
    let mut len = 0u32;
    // SAFETY: `descriptor.0` is the valid descriptor fetched above; on success `text`
    // is a LocalAlloc'd UTF-16 string of `len` units.
    let converted = unsafe {
        ConvertSecurityDescriptorToStringSecurityDescriptorW(
            descriptor.0,
            SDDL_REVISION_1,
            DACL_SECURITY_INFORMATION,
            &mut text,
            &mut len,
        )
    };
    if converted == 0 {
        return Err(io::Error::last_os_error());
    }
    let text = Local(text.cast());
    // SAFETY: Windows wrote `len` UTF-16 units at `text` (above), freed only when the
    // guard drops after this copy.
    Ok(unsafe { string_at(text.0.cast(), len as usize) })
}

/// The SID of the account this program runs as, as text (`S-1-5-21-...`).
pub fn current_user_sid() -> io::Result<String> {
    let mut token: HANDLE = ptr::null_mut();
    // SAFETY: GetCurrentProcess returns a pseudo-handle that needs no closing; `token`
    // receives a real handle, closed by the guard.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let token = Handle(token);
    let mut needed = 0u32;
    // SAFETY: a size query: no buffer, Windows only writes `needed`.
    unsafe { GetTokenInformation(token.0, TokenUser, ptr::null_mut(), 0, &mut needed) };
    if needed == 0 {
        return Err(io::Error::last_os_error());
    }
    // u64s, so that the TOKEN_USER at its start is aligned.
    let mut buffer = vec![0u64; (needed as usize).div_ceil(8)];
    // SAFETY: `buffer` holds at least `needed` bytes and is 8-aligned.
    let got = unsafe {
        GetTokenInformation(
            token.0,
            TokenUser,
            buffer.as_mut_ptr().cast(),
            needed,
            &mut needed,
        )
    };
    if got == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: Windows filled `buffer` with a TOKEN_USER whose SID points inside it.
    let sid = unsafe { (*buffer.as_ptr().cast::<TOKEN_USER>()).User.Sid };
    let mut text: *mut u16 = ptr::null_mut();
    // SAFETY: `sid` is valid while `buffer` lives; `text` receives a LocalAlloc'd,
    // NUL-terminated string.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let text = Local(text.cast());
    // SAFETY: `text` is NUL-terminated (above) and freed after the copy.
    Ok(unsafe { string_at(text.0.cast(), nul_len(text.0.cast())) })
}

fn wide(text: &OsStr) -> Vec<u16> {
    text.encode_wide().chain(Some(0)).collect()
}

/// # Safety
/// `text` must point at `len` readable UTF-16 units.
unsafe fn string_at(text: *const u16, len: usize) -> String {
    let units = unsafe { std::slice::from_raw_parts(text, len) };
    let units = units.strip_suffix(&[0]).unwrap_or(units);
    String::from_utf16_lossy(units)
}

/// # Safety
/// `text` must point at a NUL-terminated UTF-16 string.
unsafe fn nul_len(text: *const u16) -> usize {
    let mut len = 0;
    while unsafe { *text.add(len) } != 0 {
        len += 1;
    }
    len
}

/// Memory Windows allocated for us with LocalAlloc.
struct Local(*mut c_void);

impl Drop for Local {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from a Windows call documented to LocalAlloc it,
            // and is freed once.
            unsafe { LocalFree(self.0) };
        }
    }
}

struct Handle(HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle OpenProcessToken returned, closed once.
        unsafe { CloseHandle(self.0) };
    }
}
