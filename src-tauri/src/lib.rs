//! The desktop shell of the Zoho OAuth Assistant: Tauri setup, app state and the thin
//! commands the web UI calls. Everything about Zoho and OAuth lives in
//! `zoho_oauth_core`; this crate only converts between it and the window.
//! Practice mode's sandbox comes from the `zoho_sandbox` crate; this crate only starts
//! and stops it when the window's switch asks.
//!
//! [`run_app`] is generic over the Tauri runtime so that the real setup can be driven by
//! `tauri::test::mock_builder()` in tests, without a display.

mod browser;
mod clipboard;
mod commands;
mod device;
mod enhance;
mod error;
mod export_file;
mod handover;
mod launch;
mod links;
mod logging;
mod models;
mod naming;
mod passphrase;
mod practice;
mod preferences;
mod report;
mod saved;
mod saved_error;
#[cfg(test)]
mod saved_tests;
mod saved_views;
mod single_instance;
mod vault_error;
mod vault_state;
mod vault_views;
mod wizard;

#[cfg(test)]
mod tests;

use tauri::{App, Builder, Context, Manager, Runtime};
use zoho_oauth_core::UserFacing;

pub use error::{AppError, CommandError};
pub use launch::{Launch, REDIRECT_PORT_VAR, SANDBOX_URL_VAR};
pub use models::{AppInfo, DataCenterView};
pub use practice::{PracticeSource, PracticeView, PRACTICE_PORT};

use preferences::Preferences;

/// Starts the app with the real window, as configured by this process's environment.
/// Exits with a message on standard error when the configuration or the window
/// cannot be set up.
pub fn run() {
    launch::note_start();
    let logging = logging::start(logging::log_folder().as_deref());
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        os = std::env::consts::OS,
        "The assistant is starting"
    );
    let launch = Launch::from_process_env().unwrap_or_else(|err| exit_with(&err, 2));
    // The single-instance plugin must come first, before anything else starts. It is
    // only in the real app: the command-layer tests build many apps in one process.
    let builder = if single_instance::available() {
        Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            single_instance::focus_main(app)
        }))
    } else {
        Builder::default()
    };
    let app = run_app(builder.manage(logging), tauri::generate_context!(), launch)
        .unwrap_or_else(|err| exit_with(&AppError::Startup(err.to_string()), 1));
    app.run(|_, _| {});
}

/// Builds the app on `builder` (the real one, or Tauri's mock one in tests): plugins,
/// state, commands, and the preferences file resolved during setup.
///
/// # Errors
/// Whatever Tauri reports when the app cannot be built, e.g. no app data folder.
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    launch: Launch,
) -> tauri::Result<App<R>> {
    let Launch {
        env,
        practice_port,
        preferences_file,
        redirect_port,
    } = launch;
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_store::Builder::new().build())
        .manage(practice::PracticeMode::new(env, practice_port))
        .manage(wizard::Wizard::new(redirect_port))
        .manage(enhance::Enhancements::new(redirect_port))
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(vault_state::VaultState::new(
            zoho_oauth_core::vault::VaultOptions::default(),
        ))
        .manage(clipboard::SecretCopier::from_process_env())
        .manage(saved::SavedConnections::default())
        .manage(device::DeviceFlows::default())
        .setup(move |app| {
            let file = match preferences_file {
                Some(file) => file,
                None => app.path().app_config_dir()?.join(preferences::FILE_NAME),
            };
            app.manage(Preferences::new(file));
            app.state::<vault_state::VaultState>().place_in(
                &zoho_oauth_core::vault::default_folder().ok_or(tauri::Error::UnknownPath)?,
            );
            app.state::<practice::PracticeMode>()
                .place_in(&app.path().app_data_dir()?);
            Ok(())
        })
        .invoke_handler(logging::commands_logged(tauri::generate_handler![
            commands::app_info,
            commands::ui_ready,
            commands::list_data_centers,
            commands::remembered_data_center,
            commands::choose_data_center,
            commands::open_api_console,
            commands::set_practice_mode,
            commands::scope_catalog,
            commands::check_scopes,
            commands::recognize_address,
            commands::check_client_fields,
            commands::set_client,
            commands::exchange_self_client_code,
            commands::test_connection,
            commands::choose_organization,
            commands::connection_tokens,
            commands::reset_connection,
            commands::redirect_uri,
            commands::start_consent,
            commands::cancel_consent,
            commands::support_report,
            commands::vault_status,
            commands::unlock_vault,
            commands::check_passphrase,
            commands::save_preview,
            commands::save_connection,
            commands::reveal_token,
            commands::copy_token,
            commands::export_connection,
            commands::refresh_saved,
            commands::test_saved,
            commands::revoke_saved,
            commands::rename_saved,
            commands::delete_saved,
            commands::regeneration_preview,
            commands::begin_regeneration,
            commands::finish_regeneration,
            commands::reveal_saved,
            commands::copy_saved,
            commands::change_protection,
            commands::start_device_flow,
            commands::cancel_device_flow,
            commands::open_device_page,
            commands::request_client_credentials,
            commands::enhance_preview,
            commands::start_enhance,
            commands::cancel_enhance,
            commands::reopen_enhance_page,
        ]))
        .build(context)
}

fn exit_with(err: &AppError, code: i32) -> ! {
    tracing::error!(kind = err.kind(), "{err}");
    eprintln!("Zoho OAuth Assistant: {err}\n{}", err.hint());
    std::process::exit(code);
}
