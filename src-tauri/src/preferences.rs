//! Small choices worth remembering between runs (the data center picked last), kept
//! with tauri-plugin-store. Nothing secret is ever stored here: connections and their
//! tokens belong in the encrypted vault.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;
use zoho_oauth_core::DataCenter;

use crate::error::AppError;

/// The file's name inside the app config folder.
pub const FILE_NAME: &str = "preferences.json";

const DATA_CENTER: &str = "dataCenter";

/// The preferences file.
pub struct Preferences {
    file: PathBuf,
}

impl Preferences {
    /// Preferences kept in `file`.
    pub fn new(file: PathBuf) -> Self {
        Self { file }
    }

    /// The data center chosen last time; `None` when there is none or the file cannot
    /// be read (a lost preference only means the user picks again).
    pub fn data_center<R: Runtime>(&self, app: &AppHandle<R>) -> Option<DataCenter> {
        let store = self.store(app).ok()?;
        serde_json::from_value(store.get(DATA_CENTER)?).ok()
    }

    /// Remembers `dc` for next time.
    ///
    /// # Errors
    /// [`AppError::PreferencesUnsaved`] when the file cannot be written.
    pub fn remember_data_center<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        dc: DataCenter,
    ) -> Result<(), AppError> {
        let unsaved = |err: tauri_plugin_store::Error| AppError::PreferencesUnsaved {
            reason: err.to_string(),
        };
        let store = self.store(app).map_err(unsaved)?;
        store.set(DATA_CENTER, dc.location());
        store.save().map_err(unsaved)
    }

    /// The preferences store, with auto-save off: every change is saved explicitly.
    fn store<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<std::sync::Arc<tauri_plugin_store::Store<R>>, tauri_plugin_store::Error> {
        app.store_builder(&self.file).disable_auto_save().build()
    }
}
