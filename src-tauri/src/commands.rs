//! The commands the web UI may call (each granted in `capabilities/default.json`).

use tauri::{AppHandle, Emitter, Manager, Runtime, State, WebviewWindow};
use zoho_oauth_core::vault::ExportFormat;
use zoho_oauth_core::{ClientSecret, ClientType, DataCenter, GrantCode, SecretString};

use crate::browser;
use crate::clipboard::SecretCopier;
use crate::enhance::{EnhancePreview, EnhanceStarted, Enhancements};
use crate::error::CommandError;
use crate::handover::{self, TokenKind};
use crate::models::{AppInfo, DataCenterView, ScopeCheck};
use crate::practice::{PracticeMode, PracticeView};
use crate::preferences::Preferences;
use crate::report::{self, ReportInput, ShownProblem};
use crate::saved::{
    self, DeletedView, ProtectionChoice, RefreshView, RegenerationDone, RegenerationPreview,
    RegenerationStarted, SavedConnections, SavedValue, TestSavedView,
};
use crate::saved_views::ConnectionView;
use crate::vault_state::VaultState;
use crate::wizard::{ClientFieldCheck, ClientView, ConsentStarted, TestView, TokensView, Wizard};

/// The event that carries the consent flow's progress to the window.
const CONSENT_EVENT: &str = "consent";

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, practice: State<'_, PracticeMode>) -> AppInfo {
    AppInfo::new(app.package_info(), practice.view())
}

/// The window's first screen has been drawn.
#[tauri::command]
pub fn ui_ready() {
    crate::launch::report_ready();
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
    Ok(browser::open(&app, &env.endpoints(dc).api_console, &env)?)
}

#[tauri::command]
pub async fn set_practice_mode(
    practice: State<'_, PracticeMode>,
    on: bool,
) -> Result<PracticeView, CommandError> {
    Ok(practice.switch(on).await?)
}

#[tauri::command]
pub fn scope_catalog() -> &'static zoho_oauth_core::scopes::Catalog {
    zoho_oauth_core::scopes::catalog()
}

#[tauri::command]
pub fn check_scopes(input: String) -> ScopeCheck {
    ScopeCheck::of(&input)
}

#[tauri::command]
pub fn recognize_address(address: String) -> Option<DataCenter> {
    DataCenter::from_web_address(&address)
}

#[tauri::command]
pub fn check_client_fields(client_id: String, client_secret: ClientSecret) -> ClientFieldCheck {
    Wizard::check_fields(&client_id, client_secret.expose())
}

#[tauri::command]
pub async fn set_client(
    practice: State<'_, PracticeMode>,
    wizard: State<'_, Wizard>,
    dc: DataCenter,
    client_type: ClientType,
    client_id: String,
    client_secret: ClientSecret,
) -> Result<ClientView, CommandError> {
    let env = practice.env();
    Ok(wizard
        .set_client(env, dc, client_type, &client_id, client_secret)
        .await?)
}

#[tauri::command]
pub async fn exchange_self_client_code(
    practice: State<'_, PracticeMode>,
    wizard: State<'_, Wizard>,
    code: GrantCode,
) -> Result<TokensView, CommandError> {
    Ok(wizard
        .exchange_self_client_code(practice.env(), code)
        .await?)
}

#[tauri::command]
pub async fn request_client_credentials(
    practice: State<'_, PracticeMode>,
    wizard: State<'_, Wizard>,
    product: String,
    organization_id: String,
    scopes: Vec<String>,
) -> Result<TokensView, CommandError> {
    Ok(wizard
        .request_client_credentials(practice.env(), &product, &organization_id, scopes)
        .await?)
}

#[tauri::command]
pub async fn test_connection(
    practice: State<'_, PracticeMode>,
    wizard: State<'_, Wizard>,
    product: String,
) -> Result<TestView, CommandError> {
    Ok(wizard.test_connection(practice.env(), &product).await?)
}

#[tauri::command]
pub async fn choose_organization(
    wizard: State<'_, Wizard>,
    organization_id: String,
) -> Result<TestView, CommandError> {
    Ok(wizard.choose_organization(&organization_id).await?)
}

#[tauri::command]
pub async fn connection_tokens(
    wizard: State<'_, Wizard>,
) -> Result<Option<TokensView>, CommandError> {
    Ok(wizard.tokens().await)
}

#[tauri::command]
pub async fn reset_connection(wizard: State<'_, Wizard>) -> Result<(), CommandError> {
    wizard.reset().await;
    Ok(())
}

#[tauri::command]
pub fn redirect_uri(wizard: State<'_, Wizard>) -> Result<String, CommandError> {
    Ok(wizard.redirect_uri()?)
}

#[tauri::command]
pub async fn start_consent<R: Runtime>(
    app: AppHandle<R>,
    practice: State<'_, PracticeMode>,
    wizard: State<'_, Wizard>,
    scopes: Vec<String>,
) -> Result<ConsentStarted, CommandError> {
    let env = practice.env();
    let (opener, env_for_browser, emitter) = (app.clone(), env.clone(), app);
    Ok(wizard
        .start_consent(
            env,
            scopes,
            move |url| browser::open(&opener, url, &env_for_browser),
            move |event| {
                let _ = emitter.emit(CONSENT_EVENT, event);
            },
        )
        .await?)
}

#[tauri::command]
pub async fn cancel_consent(wizard: State<'_, Wizard>) -> Result<(), CommandError> {
    wizard.cancel_consent().await;
    Ok(())
}

#[tauri::command]
pub async fn support_report<R: Runtime>(
    app: AppHandle<R>,
    practice: State<'_, PracticeMode>,
    wizard: State<'_, Wizard>,
    vault: State<'_, VaultState>,
    screen: String,
    problem: Option<ShownProblem>,
) -> Result<String, CommandError> {
    let info = app.package_info();
    let snapshot = wizard.snapshot().await;
    let saved = vault.status().await;
    Ok(report::render(&ReportInput {
        app: &format!("{} {}", info.name, info.version),
        practice: &practice.view(),
        screen: &screen,
        problem: problem.as_ref(),
        wizard: &snapshot,
        vault: Some(&saved),
        log: app.try_state::<crate::logging::Logging>().as_deref(),
    }))
}

// Saved connections (the vault), and handing tokens over at the person's request.

#[tauri::command]
pub async fn vault_status(
    vault: State<'_, VaultState>,
) -> Result<crate::vault_views::VaultStatus, CommandError> {
    Ok(vault.status().await)
}

#[tauri::command]
pub async fn unlock_vault(
    vault: State<'_, VaultState>,
    passphrase: SecretString,
) -> Result<crate::vault_views::VaultStatus, CommandError> {
    Ok(vault.unlock(passphrase).await?)
}

#[tauri::command]
pub fn check_passphrase(
    passphrase: SecretString,
    confirmation: SecretString,
) -> crate::passphrase::PassphraseCheck {
    crate::passphrase::check_passphrase(passphrase.expose(), confirmation.expose())
}

#[tauri::command]
pub async fn save_preview(
    wizard: State<'_, Wizard>,
    vault: State<'_, VaultState>,
) -> Result<crate::vault_views::SavePreview, CommandError> {
    Ok(vault.preview(wizard.made().await?).await)
}

#[tauri::command]
pub async fn save_connection(
    wizard: State<'_, Wizard>,
    vault: State<'_, VaultState>,
    name: String,
    scopes: Vec<String>,
    passphrase: Option<SecretString>,
    confirmation: Option<SecretString>,
) -> Result<crate::vault_views::SaveOutcome, CommandError> {
    let request = crate::vault_views::SaveRequest {
        name,
        scopes,
        passphrase,
        confirmation,
    };
    Ok(vault.save(wizard.made().await?, request).await?)
}

#[tauri::command]
pub async fn reveal_token(
    wizard: State<'_, Wizard>,
    which: TokenKind,
) -> Result<String, CommandError> {
    Ok(handover::reveal(&wizard.made().await?, which)?)
}

#[tauri::command]
pub async fn copy_token<R: Runtime>(
    app: AppHandle<R>,
    wizard: State<'_, Wizard>,
    copier: State<'_, SecretCopier>,
    which: TokenKind,
) -> Result<crate::clipboard::Copied, CommandError> {
    let clipboard = std::sync::Arc::new(crate::clipboard::SystemClipboard(app));
    Ok(handover::copy(
        &wizard.made().await?,
        which,
        &copier,
        clipboard,
    )?)
}

#[tauri::command]
pub async fn export_connection<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    vault: State<'_, VaultState>,
    id: String,
    format: ExportFormat,
) -> Result<Option<crate::export_file::Exported>, CommandError> {
    Ok(crate::export_file::export(&app, &window, &vault, id.into(), format).await?)
}

// What the support person does with saved connections.

#[tauri::command]
pub async fn refresh_saved(
    practice: State<'_, PracticeMode>,
    vault: State<'_, VaultState>,
    saved: State<'_, SavedConnections>,
    id: String,
    force: bool,
) -> Result<RefreshView, CommandError> {
    Ok(saved
        .refresh(&vault, &practice.env(), id.into(), force)
        .await?)
}

#[tauri::command]
pub async fn test_saved(
    practice: State<'_, PracticeMode>,
    vault: State<'_, VaultState>,
    saved: State<'_, SavedConnections>,
    id: String,
) -> Result<TestSavedView, CommandError> {
    Ok(saved.test(&vault, &practice.env(), id.into()).await?)
}

#[tauri::command]
pub async fn revoke_saved(
    practice: State<'_, PracticeMode>,
    vault: State<'_, VaultState>,
    saved: State<'_, SavedConnections>,
    id: String,
) -> Result<ConnectionView, CommandError> {
    Ok(saved.revoke(&vault, &practice.env(), id.into()).await?)
}

#[tauri::command]
pub async fn rename_saved(
    vault: State<'_, VaultState>,
    saved: State<'_, SavedConnections>,
    id: String,
    name: String,
) -> Result<ConnectionView, CommandError> {
    Ok(saved.rename(&vault, id.into(), name).await?)
}

#[tauri::command]
pub async fn delete_saved(
    practice: State<'_, PracticeMode>,
    vault: State<'_, VaultState>,
    saved: State<'_, SavedConnections>,
    id: String,
    revoke: bool,
) -> Result<DeletedView, CommandError> {
    Ok(saved
        .delete(&vault, &practice.env(), id.into(), revoke)
        .await?)
}

#[tauri::command]
pub async fn regeneration_preview(
    vault: State<'_, VaultState>,
    saved: State<'_, SavedConnections>,
    id: String,
) -> Result<RegenerationPreview, CommandError> {
    Ok(saved.regeneration_preview(&vault, id.into()).await?)
}

#[tauri::command]
pub async fn begin_regeneration(
    practice: State<'_, PracticeMode>,
    vault: State<'_, VaultState>,
    wizard: State<'_, Wizard>,
    saved: State<'_, SavedConnections>,
    id: String,
) -> Result<RegenerationStarted, CommandError> {
    Ok(saved
        .begin_regeneration(&vault, &wizard, &practice.env(), id.into())
        .await?)
}

#[tauri::command]
pub async fn finish_regeneration(
    vault: State<'_, VaultState>,
    wizard: State<'_, Wizard>,
    saved: State<'_, SavedConnections>,
    id: String,
    revoke_old: bool,
) -> Result<RegenerationDone, CommandError> {
    Ok(saved
        .finish_regeneration(&vault, &wizard, id.into(), revoke_old)
        .await?)
}

#[tauri::command]
pub async fn reveal_saved(
    vault: State<'_, VaultState>,
    id: String,
    what: SavedValue,
) -> Result<String, CommandError> {
    Ok(saved::value_of(&vault, id.into(), what)
        .await?
        .expose()
        .to_owned())
}

#[tauri::command]
pub async fn copy_saved<R: Runtime>(
    app: AppHandle<R>,
    vault: State<'_, VaultState>,
    copier: State<'_, SecretCopier>,
    id: String,
    what: SavedValue,
) -> Result<crate::clipboard::Copied, CommandError> {
    let value = saved::value_of(&vault, id.into(), what).await?;
    let clipboard = std::sync::Arc::new(crate::clipboard::SystemClipboard(app));
    Ok(copier
        .copy(clipboard, value.expose())
        .map_err(|reason| crate::vault_error::VaultStepError::Clipboard { reason })?)
}

#[tauri::command]
pub async fn change_protection(
    vault: State<'_, VaultState>,
    to: ProtectionChoice,
    passphrase: Option<SecretString>,
    confirmation: Option<SecretString>,
) -> Result<crate::vault_views::VaultStatus, CommandError> {
    let protection = saved::new_protection(to, passphrase, confirmation)?;
    Ok(vault.change_protection(protection).await?)
}

/// The event that carries the device flow's progress to the window.
const DEVICE_EVENT: &str = "device";

#[tauri::command]
pub async fn start_device_flow<R: Runtime>(
    app: AppHandle<R>,
    practice: State<'_, PracticeMode>,
    wizard: State<'_, Wizard>,
    devices: State<'_, crate::device::DeviceFlows>,
    scopes: Vec<String>,
) -> Result<crate::device::DeviceStarted, CommandError> {
    Ok(devices
        .start(&wizard, practice.env(), scopes, move |event| {
            let _ = app.emit(DEVICE_EVENT, event);
        })
        .await?)
}

#[tauri::command]
pub async fn cancel_device_flow(
    devices: State<'_, crate::device::DeviceFlows>,
) -> Result<(), CommandError> {
    devices.cancel().await;
    Ok(())
}

#[tauri::command]
pub async fn open_device_page<R: Runtime>(
    app: AppHandle<R>,
    devices: State<'_, crate::device::DeviceFlows>,
) -> Result<(), CommandError> {
    let (url, env) = devices.page().await?;
    Ok(browser::open(&app, &url, &env)?)
}

/// The event that carries the progress of "Add permissions" to the window.
const ENHANCE_EVENT: &str = "enhance";

#[tauri::command]
pub async fn enhance_preview(
    vault: State<'_, VaultState>,
    enhancements: State<'_, Enhancements>,
    id: String,
) -> Result<EnhancePreview, CommandError> {
    Ok(enhancements.preview(&vault, id.into()).await?)
}

#[tauri::command]
pub async fn start_enhance<R: Runtime>(
    app: AppHandle<R>,
    practice: State<'_, PracticeMode>,
    vault: State<'_, VaultState>,
    enhancements: State<'_, Enhancements>,
    id: String,
    scopes: Vec<String>,
) -> Result<EnhanceStarted, CommandError> {
    let env = practice.env();
    let (opener, env_for_browser, emitter) = (app.clone(), env.clone(), app);
    Ok(enhancements
        .start(
            &vault,
            &env,
            id.into(),
            scopes,
            move |url| browser::open(&opener, url, &env_for_browser),
            move |event| {
                let _ = emitter.emit(ENHANCE_EVENT, event);
            },
        )
        .await?)
}

#[tauri::command]
pub async fn cancel_enhance(enhancements: State<'_, Enhancements>) -> Result<(), CommandError> {
    enhancements.cancel().await;
    Ok(())
}

#[tauri::command]
pub async fn reopen_enhance_page<R: Runtime>(
    app: AppHandle<R>,
    enhancements: State<'_, Enhancements>,
) -> Result<(), CommandError> {
    Ok(enhancements
        .reopen(|url, env| browser::open(&app, url, env))
        .await?)
}
