//! The commands the web UI may call (each granted in `capabilities/default.json`).

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use zoho_oauth_core::DataCenter;

use crate::error::{AppError, CommandError};
use crate::links;
use crate::models::{AppInfo, DataCenterView};
use crate::practice::{PracticeMode, PracticeView};
use crate::preferences::Preferences;

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, practice: State<'_, PracticeMode>) -> AppInfo {
    AppInfo::new(app.package_info(), practice.view())
}

#[tauri::command]
pub fn list_data_centers(practice: State<'_, PracticeMode>) -> Vec<DataCenterView> {
    let env = practice.env();
    DataCenter::ALL
        .into_iter()
        .map(|dc| DataCenterView::new(dc, &env))
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
    practice: State<'_, PracticeMode>,
    dc: DataCenter,
) -> Result<(), CommandError> {
    let env = practice.env();
    let url = links::checked(&env.endpoints(dc).api_console, &env)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|_| AppError::BrowserUnavailable { url: url.into() })?;
    Ok(())
}

#[tauri::command]
pub async fn set_practice_mode(
    practice: State<'_, PracticeMode>,
    on: bool,
) -> Result<PracticeView, CommandError> {
    Ok(practice.switch(on).await?)
}
