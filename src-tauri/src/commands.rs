//! The commands the web UI may call (each granted in `capabilities/default.json`).

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use zoho_oauth_core::{DataCenter, ZohoEnv};

use crate::error::{AppError, CommandError};
use crate::links;
use crate::models::{AppInfo, DataCenterView};
use crate::preferences::Preferences;

/// What this run of the app talks to, fixed at start-up.
pub struct Session {
    pub env: ZohoEnv,
}

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, session: State<'_, Session>) -> AppInfo {
    AppInfo::new(app.package_info(), &session.env)
}

#[tauri::command]
pub fn list_data_centers(session: State<'_, Session>) -> Vec<DataCenterView> {
    DataCenter::ALL
        .into_iter()
        .map(|dc| DataCenterView::new(dc, &session.env))
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
    session: State<'_, Session>,
    dc: DataCenter,
) -> Result<(), CommandError> {
    let url = links::checked(&session.env.endpoints(dc).api_console, &session.env)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|_| AppError::BrowserUnavailable { url: url.into() })?;
    Ok(())
}
