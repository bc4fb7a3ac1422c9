//! Where the app keeps its vault, found the same way by the app and the command line,
//! so that both always use the same file.
//!
//! The app's data folder is Tauri's `app_data_dir()`: the platform's data folder (the
//! `dirs` crate's `data_dir()`, as Tauri itself uses) joined with the bundle identifier
//! of `src-tauri/tauri.conf.json`:
//!
//! | Platform | Folder |
//! | --- | --- |
//! | Linux | `$XDG_DATA_HOME/com.zohooauthassistant.app` or `~/.local/share/com.zohooauthassistant.app` |
//! | macOS | `~/Library/Application Support/com.zohooauthassistant.app` |
//! | Windows | `%APPDATA%\com.zohooauthassistant.app` (the roaming AppData folder) |

use std::path::PathBuf;

/// The app's bundle identifier, which names its data folder. Must equal `identifier`
/// in `src-tauri/tauri.conf.json` (the app's tests check it).
pub const APP_IDENTIFIER: &str = "com.zohooauthassistant.app";

/// The vault's file name inside the app's data folder.
pub const DEFAULT_FILE_NAME: &str = "connections.vault";

/// The app's data folder, where the vault is kept; `None` when the platform has no data
/// folder for this user (no home directory).
pub fn default_folder() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER))
}

/// The vault file the app uses; `None` as for [`default_folder`].
pub fn default_location() -> Option<PathBuf> {
    default_folder().map(|dir| dir.join(DEFAULT_FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_it_is_under_the_xdg_data_folder() {
        let location = default_location().expect("a home directory");
        let expected_base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
            Some(base) if PathBuf::from(&base).is_absolute() => PathBuf::from(base),
            _ => PathBuf::from(std::env::var_os("HOME").unwrap()).join(".local/share"),
        };
        assert_eq!(
            location,
            expected_base
                .join("com.zohooauthassistant.app")
                .join("connections.vault")
        );
    }

    /// Windows keeps it in the roaming AppData folder, which `%APPDATA%` names (and
    /// whose access list lets in only the user, SYSTEM and Administrators).
    #[cfg(windows)]
    #[test]
    fn on_windows_it_is_under_the_roaming_app_data_folder() {
        let location = default_location().expect("a profile folder");
        let app_data = PathBuf::from(std::env::var_os("APPDATA").expect("APPDATA is set"));
        assert_eq!(
            location,
            app_data
                .join("com.zohooauthassistant.app")
                .join("connections.vault")
        );
        assert!(location.is_absolute());
    }

    #[cfg(target_os = "macos")]
    #[test]
    fn on_macos_it_is_under_application_support() {
        let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
        assert_eq!(
            default_location().expect("a home directory"),
            home.join("Library/Application Support/com.zohooauthassistant.app/connections.vault")
        );
    }
}
