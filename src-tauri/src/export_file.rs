//! Writing an export (.env, JSON, curl) to the file the person picks.
//!
//! The file holds the client secret and the refresh token in clear, so on Unix it is
//! created readable by its owner only (0600), and an existing file chosen in the dialog
//! is narrowed to 0600 before anything is written into it. The save dialog is opened
//! from Rust (tauri-plugin-dialog); the window is granted none of the plugin's commands.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, Runtime, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use zoho_oauth_core::vault::{ConnectionId, ExportFormat};

use crate::vault_error::VaultStepError;
use crate::vault_state::VaultState;

/// Where an export went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    /// The file written.
    pub path: String,
    /// What to tell the person.
    pub message: String,
}

/// Asks where to write saved connection `id` as `format`, then writes it there; `None`
/// when the person cancelled the dialog. The secrets are decrypted only once a file
/// has been chosen.
///
/// # Errors
/// A vault that is not open, an unknown id, a file that cannot be written.
pub async fn export<R: Runtime>(
    app: &AppHandle<R>,
    window: &WebviewWindow<R>,
    vault: &VaultState,
    id: ConnectionId,
    format: ExportFormat,
) -> Result<Option<Exported>, VaultStepError> {
    let name = vault.connection_name(id.clone()).await?;
    let suggested = suggested_file_name(&name, format);
    let Some(path) = pick_path(app, window, &suggested, format).await else {
        return Ok(None);
    };
    let contents = vault.export(id, format).await?;
    let target = path.clone();
    tokio::task::spawn_blocking(move || write_private(&target, contents.expose()))
        .await
        .unwrap_or_else(|err| std::panic::resume_unwind(err.into_panic()))
        .map_err(|source| VaultStepError::ExportUnwritten {
            path: path.clone(),
            source,
        })?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        message: format!(
            "Written to {}. The file holds the client secret and the refresh token in clear: keep it private, and delete it once the other tool has what it needs.",
            path.display()
        ),
    }))
}

/// The file name the dialog suggests for `connection_name` in `format`: the name with
/// characters that some systems refuse in file names replaced.
pub fn suggested_file_name(connection_name: &str, format: ExportFormat) -> String {
    let stem: String = connection_name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let stem = stem.trim().trim_start_matches('.');
    let stem = if stem.is_empty() {
        "Zoho connection"
    } else {
        stem
    };
    format!("{stem}.{}", extension(format))
}

/// The usual extension of `format`'s files.
pub fn extension(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::DotEnv => "env",
        ExportFormat::Json => "json",
        ExportFormat::Curl => "sh",
    }
}

/// What the dialog's file type filter says.
fn filter_name(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::DotEnv => "Environment file (.env)",
        ExportFormat::Json => "JSON file",
        ExportFormat::Curl => "Shell command (curl)",
    }
}

/// Asks where to write the export, in a save dialog over `window`; `None` when the
/// person cancelled.
pub async fn pick_path<R: Runtime>(
    app: &AppHandle<R>,
    window: &WebviewWindow<R>,
    suggested: &str,
    format: ExportFormat,
) -> Option<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app
        .dialog()
        .file()
        .set_title("Export the connection")
        .set_file_name(suggested)
        .add_filter(filter_name(format), &[extension(format)])
        .set_parent(window);
    if let Some(documents) = dirs_documents(app) {
        dialog = dialog.set_directory(documents);
    }
    dialog.save_file(move |path| {
        let _ = tx.send(path);
    });
    rx.await
        .ok()
        .flatten()
        .and_then(|path| path.into_path().ok())
}

fn dirs_documents<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    use tauri::Manager;
    app.path().document_dir().ok().filter(|dir| dir.is_dir())
}

/// Writes `contents` to `path`, private to the user on Unix.
///
/// # Errors
/// What the file system said.
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // An existing file keeps its old permissions when opened: narrow them before the
    // secrets go in, and only then drop its old contents.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.set_len(0)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_are_safe_file_names() {
        assert_eq!(
            suggested_file_name("Morgan Bookkeeping LLC - Books", ExportFormat::DotEnv),
            "Morgan Bookkeeping LLC - Books.env"
        );
        assert_eq!(
            suggested_file_name("A/B: C?", ExportFormat::Json),
            "A-B- C-.json"
        );
        assert_eq!(
            suggested_file_name("..", ExportFormat::Curl),
            "Zoho connection.sh"
        );
    }

    #[test]
    fn an_export_is_private_even_over_an_open_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.env");
        std::fs::write(&path, "old contents that are longer than the new ones").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        write_private(&path, "ZOHO=1\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "ZOHO=1\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let fresh = dir.path().join("fresh.json");
        write_private(&fresh, "{}").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
