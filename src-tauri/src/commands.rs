//! The commands the web UI may call (each granted in `capabilities/default.json`).

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use zoho_oauth_core::{DataCenter, ZohoEnv};

use crate::error::{AppError, CommandError};
use crate::links;
use crate::models::{AppInfo, DataCenterView};
use crate::preferences::Preferences;

/// Where this run of the app sends everything (Zoho or the sandbox), fixed at start-up.
pub struct ActiveEnv {
    pub env: ZohoEnv,
}

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, active: State<'_, ActiveEnv>) -> AppInfo {
    AppInfo::new(app.package_info(), &active.env)
}

#[tauri::command]
pub fn list_data_centers(active: State<'_, ActiveEnv>) -> Vec<DataCenterView> {
    DataCenter::ALL
        .into_iter()
        .map(|dc| DataCenterView::new(dc, &active.env))
        .collect()
}

#[tauri::command]
pub fn remembered_data_center<R: Runtime>(
    app: AppHandle<R>,
    preferences: State<'_, Preferences>,
) -> Option<DataCenter> {
    preferences.data_center(&app)
}

#[tauri::command]
pub fn choose_data_center<R: Runtime>(
    app: AppHandle<R>,
    preferences: State<'_, Preferences>,
    dc: DataCenter,
) -> Result<(), CommandError> {
    Ok(preferences.remember_data_center(&app, dc)?)
}

#[tauri::command]
pub fn open_api_console<R: Runtime>(
    app: AppHandle<R>,
    active: State<'_, ActiveEnv>,
    dc: DataCenter,
) -> Result<(), CommandError> {
    let url = links::checked(&active.env.endpoints(dc).api_console, &active.env)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|_| AppError::BrowserUnavailable { url: url.into() })?;
    Ok(())
}
