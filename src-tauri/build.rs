//! Declares the app's own commands so that tauri-build generates an `allow-*`
//! permission for each; a capability must grant them before the window may call them.

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "list_data_centers",
            "remembered_data_center",
            "choose_data_center",
            "open_api_console",
            "set_practice_mode",
            "scope_catalog",
            "check_scopes",
            "recognize_address",
            "check_client_fields",
            "set_client",
            "exchange_self_client_code",
            "test_connection",
            "choose_organization",
            "connection_tokens",
            "reset_connection",
            "redirect_uri",
            "start_consent",
            "cancel_consent",
            "support_report",
            "vault_status",
            "unlock_vault",
            "check_passphrase",
            "save_preview",
            "save_connection",
            "reveal_token",
            "copy_token",
            "export_connection",
            "refresh_saved",
            "test_saved",
            "revoke_saved",
            "rename_saved",
            "delete_saved",
            "regeneration_preview",
            "begin_regeneration",
            "finish_regeneration",
            "reveal_saved",
            "copy_saved",
            "change_protection",
        ]),
    ))
    .expect("failed to run tauri-build");
}
