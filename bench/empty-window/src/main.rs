//! An empty Tauri 2 window whose page reports, as the app's first screen does, when it
//! has been drawn: the start-up benchmark's floor.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

#[tauri::command]
fn ready() {
    let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
    eprintln!("ready after {ms} ms");
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the empty window could not start");
}
