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
        ]),
    ))
    .expect("failed to run tauri-build");
}
