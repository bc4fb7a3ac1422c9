//! One instance at a time: both would need the consent page's redirect port and the
//! vault, so a second launch brings the open window forward instead of starting again.
//!
//! On Linux the plugin talks over the D-Bus session bus. Without one (a bare virtual
//! display, some remote sessions) it cannot work at all, and some versions stop the app
//! outright; the app then runs without it, since a second copy is a smaller harm than
//! no app.

use tauri::{AppHandle, Manager, Runtime};

/// Whether the platform can keep to one instance here.
pub fn available() -> bool {
    #[cfg(target_os = "linux")]
    {
        linux_session_bus(
            std::env::var("DBUS_SESSION_BUS_ADDRESS").ok().as_deref(),
            std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from),
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// Brings the running window to the front, as the second launch asked.
pub fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// A session bus is reachable when its address names a transport that can work (a
/// `unix:` socket whose path exists, or another real transport), or, with no address,
/// when the default socket `$XDG_RUNTIME_DIR/bus` exists.
#[cfg(any(target_os = "linux", test))]
fn linux_session_bus(address: Option<&str>, runtime_dir: Option<std::path::PathBuf>) -> bool {
    match address.map(str::trim).filter(|a| !a.is_empty()) {
        Some(address) => address.split(';').any(|entry| {
            let (transport, params) = entry.split_once(':').unwrap_or((entry, ""));
            match transport {
                "unix" => params.split(',').any(|param| match param.split_once('=') {
                    Some(("path", path)) => std::path::Path::new(path).exists(),
                    Some(("abstract", _)) => true,
                    _ => false,
                }),
                "tcp" => true,
                _ => false,
            }
        }),
        None => runtime_dir.is_some_and(|dir| dir.join("bus").exists()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_reachable_session_bus_counts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("bus");
        assert!(!linux_session_bus(None, None));
        assert!(!linux_session_bus(None, Some(dir.path().to_path_buf())));
        assert!(!linux_session_bus(Some("disabled:"), None));
        assert!(!linux_session_bus(Some(""), None));
        let address = format!("unix:path={}", socket.display());
        assert!(!linux_session_bus(Some(&address), None));
        std::fs::write(&socket, b"").expect("a stand-in socket file");
        assert!(linux_session_bus(Some(&address), None));
        assert!(linux_session_bus(None, Some(dir.path().to_path_buf())));
        assert!(linux_session_bus(Some("unix:abstract=/tmp/dbus-x"), None));
        assert!(linux_session_bus(
            Some("disabled:;tcp:host=127.0.0.1,port=1"),
            None
        ));
    }
}
