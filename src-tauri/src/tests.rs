//! Command-layer tests: the real setup, context and capabilities, driven through Tauri's
//! mock runtime, so the IPC surface the UI sees is checked without a display.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};
use zoho_oauth_core::ZohoEnv;

use crate::{run_app, Launch};

struct TestApp {
    // Held so the app outlives every request made through its window.
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    fn start(env: ZohoEnv) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start_in(env, dir)
    }

    fn start_in(env: ZohoEnv, dir: tempfile::TempDir) -> Self {
        let launch = Launch {
            env,
            preferences_file: Some(dir.path().join("preferences.json")),
        };
        let mut app =
            run_app(mock_builder(), tauri::generate_context!(), launch).expect("app builds");
        // The first turn of the event loop runs the app's setup and opens the windows
        // of tauri.conf.json, as a real start does; the mock loop does nothing else.
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let window = app
            .get_webview_window("main")
            .expect("the main window from tauri.conf.json");
        Self {
            _app: app,
            window,
            _dir: dir,
        }
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().expect("JSON response"))
    }

    fn into_dir(self) -> tempfile::TempDir {
        self._dir
    }
}

#[test]
fn list_data_centers_returns_all_nine_in_order_with_zoho_hosts() {
    let app = TestApp::start(ZohoEnv::Production);
    let list = app.invoke("list_data_centers", json!({})).expect("ok");
    let list = list.as_array().expect("an array");

    let ids: Vec<&str> = list.iter().filter_map(|dc| dc["id"].as_str()).collect();
    assert_eq!(ids, ["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn"]);

    let eu = &list[1];
    assert_eq!(eu["name"], "Europe");
    assert_eq!(eu["domain"], ".eu");
    assert_eq!(eu["accountsServer"], "https://accounts.zoho.eu");
    assert_eq!(eu["apiConsole"], "https://api-console.zoho.eu");
    assert_eq!(eu["apiDomain"], "https://www.zohoapis.eu");
    assert_eq!(list[5]["accountsServer"], "https://accounts.zohocloud.ca");
    assert_eq!(list[8]["accountsServer"], "https://accounts.zoho.com.cn");
    for dc in list {
        for key in ["accountsServer", "apiConsole", "apiDomain"] {
            let url = dc[key].as_str().expect("a string");
            assert!(url.starts_with("https://"), "{key} of {dc}");
        }
    }
}

#[test]
fn practice_mode_points_every_data_center_at_the_sandbox() {
    let app = TestApp::start(ZohoEnv::sandbox("http://127.0.0.1:8765"));
    let list = app.invoke("list_data_centers", json!({})).expect("ok");
    assert_eq!(list[0]["accountsServer"], "http://127.0.0.1:8765");
    assert_eq!(list[1]["accountsServer"], "http://127.0.0.1:8765/eu");
    assert_eq!(list[1]["apiConsole"], "http://127.0.0.1:8765/eu/console");

    let info = app.invoke("app_info", json!({})).expect("ok");
    assert_eq!(info["practiceMode"], true);
    assert_eq!(info["sandboxUrl"], "http://127.0.0.1:8765");
}

#[test]
fn app_info_names_the_product_and_its_version() {
    let app = TestApp::start(ZohoEnv::Production);
    let info = app.invoke("app_info", json!({})).expect("ok");
    assert_eq!(info["name"], "Zoho OAuth Assistant");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["practiceMode"], false);
    assert_eq!(info["sandboxUrl"], Value::Null);
}

#[test]
fn the_chosen_data_center_is_remembered_across_restarts() {
    let app = TestApp::start(ZohoEnv::Production);
    assert_eq!(
        app.invoke("remembered_data_center", json!({})),
        Ok(Value::Null)
    );
    assert_eq!(
        app.invoke("choose_data_center", json!({ "dc": "eu" })),
        Ok(Value::Null)
    );
    assert_eq!(
        app.invoke("remembered_data_center", json!({})),
        Ok(json!("eu"))
    );

    let dir = app.into_dir();
    let saved = std::fs::read_to_string(dir.path().join("preferences.json")).expect("saved");
    assert!(saved.contains("\"eu\""), "{saved}");

    let restarted = TestApp::start_in(ZohoEnv::Production, dir);
    assert_eq!(
        restarted.invoke("remembered_data_center", json!({})),
        Ok(json!("eu"))
    );
}

#[test]
fn an_unknown_data_center_is_rejected() {
    let app = TestApp::start(ZohoEnv::Production);
    assert!(app
        .invoke("choose_data_center", json!({ "dc": "mars" }))
        .is_err());
    assert_eq!(
        app.invoke("remembered_data_center", json!({})),
        Ok(Value::Null)
    );
}

#[test]
fn the_window_may_call_nothing_but_the_assistants_own_commands() {
    let app = TestApp::start(ZohoEnv::Production);
    for (cmd, args) in [
        (
            "plugin:opener|open_url",
            json!({ "url": "https://example.com" }),
        ),
        ("plugin:opener|open_path", json!({ "path": "/etc/passwd" })),
        ("plugin:store|load", json!({ "path": "preferences.json" })),
        ("plugin:window|close", json!({})),
    ] {
        let refused = app.invoke(cmd, args).expect_err(cmd);
        assert!(
            refused.to_string().contains("not allowed"),
            "{cmd}: {refused}"
        );
    }
}
