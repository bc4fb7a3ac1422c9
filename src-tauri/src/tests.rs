//! Command-layer tests: the real setup, context and capabilities, driven through Tauri's
//! mock runtime, so the IPC surface the UI sees is checked without a display.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};
use zoho_oauth_core::ZohoEnv;

use crate::{run_app, Launch, PRACTICE_PORT};

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
        Self::start_with(env, PRACTICE_PORT, dir)
    }

    fn start_with(env: ZohoEnv, practice_port: u16, dir: tempfile::TempDir) -> Self {
        let launch = Launch {
            env,
            practice_port,
            preferences_file: Some(dir.path().join("preferences.json")),
            redirect_port: zoho_oauth_core::DEFAULT_REDIRECT_PORT,
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
fn list_data_centers_returns_all_ten_in_order_with_zoho_hosts() {
    let app = TestApp::start(ZohoEnv::Production);
    let list = app.invoke("list_data_centers", json!({})).expect("ok");
    let list = list.as_array().expect("an array");

    let ids: Vec<&str> = list.iter().filter_map(|dc| dc["id"].as_str()).collect();
    assert_eq!(
        ids,
        ["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn", "ae"]
    );

    let eu = &list[1];
    assert_eq!(eu["name"], "Europe");
    assert_eq!(eu["domain"], ".eu");
    assert_eq!(eu["accountsServer"], "https://accounts.zoho.eu");
    assert_eq!(eu["apiConsole"], "https://api-console.zoho.eu");
    assert_eq!(eu["apiDomain"], "https://www.zohoapis.eu");
    assert_eq!(list[5]["accountsServer"], "https://accounts.zohocloud.ca");
    assert_eq!(list[8]["accountsServer"], "https://accounts.zoho.com.cn");
    assert_eq!(list[9]["accountsServer"], "https://accounts.zoho.ae");
    assert_eq!(list[9]["apiDomain"], "https://www.zohoapis.ae");
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
    assert_eq!(info["practice"]["on"], true);
    assert_eq!(info["practice"]["source"], "external");
    assert_eq!(info["practice"]["sandboxUrl"], "http://127.0.0.1:8765");
}

#[test]
fn app_info_names_the_product_and_its_version() {
    let app = TestApp::start(ZohoEnv::Production);
    let info = app.invoke("app_info", json!({})).expect("ok");
    assert_eq!(info["name"], "Zoho OAuth Assistant");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        info["practice"],
        json!({ "on": false, "source": "off", "sandboxUrl": null, "note": null })
    );
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

/// `GET url` over plain HTTP/1.1 on loopback: the status code and the body.
fn http_get(url: &str) -> std::io::Result<(u16, String)> {
    let url = url::Url::parse(url).expect("a URL");
    let host = url.host_str().expect("a host");
    let port = url.port().expect("a port");
    let mut stream = TcpStream::connect((host, port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n",
        url.path()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

fn port_of(url: &str) -> u16 {
    url::Url::parse(url)
        .ok()
        .and_then(|url| url.port())
        .expect("a URL with a port")
}

#[test]
fn the_switch_starts_a_local_sandbox_and_stopping_it_returns_to_zoho() {
    let app = TestApp::start(ZohoEnv::Production);

    let on = app
        .invoke("set_practice_mode", json!({ "on": true }))
        .expect("practice mode starts");
    assert_eq!(on["on"], true);
    assert_eq!(on["source"], "built_in");
    let base = on["sandboxUrl"]
        .as_str()
        .expect("the sandbox's address")
        .to_owned();
    let port = port_of(&base);
    assert_eq!(base, format!("http://127.0.0.1:{port}"));
    // The usual port unless another program holds it, and then the note says so.
    if port == PRACTICE_PORT {
        assert_eq!(on["note"], Value::Null);
    } else {
        let note = on["note"].as_str().expect("a note on the other port");
        assert!(note.contains(&PRACTICE_PORT.to_string()), "{note}");
        assert!(note.contains(&port.to_string()), "{note}");
    }

    // Every command now uses the sandbox, and the sandbox really answers there.
    let info = app.invoke("app_info", json!({})).expect("ok");
    assert_eq!(info["practice"], on);
    let list = app.invoke("list_data_centers", json!({})).expect("ok");
    assert_eq!(list[0]["accountsServer"], base.as_str());
    assert_eq!(list[1]["accountsServer"], format!("{base}/eu"));
    assert_eq!(list[1]["apiConsole"], format!("{base}/eu/console"));
    let (status, body) = http_get(&format!("{base}/oauth/serverinfo")).expect("an answer");
    assert_eq!(status, 200, "{body}");
    let serverinfo: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(serverinfo["result"], "success");
    assert_eq!(serverinfo["locations"]["eu"], format!("{base}/eu"));

    // Switching on again keeps the same server.
    let again = app
        .invoke("set_practice_mode", json!({ "on": true }))
        .expect("still on");
    assert_eq!(again, on);

    let off = app
        .invoke("set_practice_mode", json!({ "on": false }))
        .expect("practice mode stops");
    assert_eq!(
        off,
        json!({ "on": false, "source": "off", "sandboxUrl": null, "note": null })
    );
    let list = app.invoke("list_data_centers", json!({})).expect("ok");
    assert_eq!(list[1]["accountsServer"], "https://accounts.zoho.eu");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} still open after practice mode was switched off"
    );
}

#[test]
fn a_busy_port_moves_the_sandbox_to_a_free_one_and_says_so() {
    let taken = TcpListener::bind(("127.0.0.1", 0)).expect("a port to occupy");
    let busy = taken.local_addr().expect("address").port();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::start_with(ZohoEnv::Production, busy, dir);

    let on = app
        .invoke("set_practice_mode", json!({ "on": true }))
        .expect("practice mode starts elsewhere");
    let base = on["sandboxUrl"].as_str().expect("the sandbox's address");
    let port = port_of(base);
    assert_ne!(port, busy);
    let note = on["note"].as_str().expect("a note");
    assert!(
        note.contains(&format!("Port {busy} is in use")) && note.contains(&format!("port {port}")),
        "{note}"
    );
    let (status, _) = http_get(&format!("{base}/eu/oauth/serverinfo")).expect("an answer");
    assert_eq!(status, 200);

    app.invoke("set_practice_mode", json!({ "on": false }))
        .expect("practice mode stops");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn a_sandbox_named_at_start_up_shows_as_on_and_switching_off_returns_to_zoho() {
    let app = TestApp::start(ZohoEnv::sandbox("http://127.0.0.1:9"));
    let info = app.invoke("app_info", json!({})).expect("ok");
    assert_eq!(info["practice"]["on"], true);
    assert_eq!(info["practice"]["source"], "external");
    let note = info["practice"]["note"].as_str().expect("a note");
    assert!(note.contains("start-up"), "{note}");

    let off = app
        .invoke("set_practice_mode", json!({ "on": false }))
        .expect("switched off");
    assert_eq!(off["on"], false);
    assert_eq!(off["source"], "off");
    let list = app.invoke("list_data_centers", json!({})).expect("ok");
    assert_eq!(list[1]["accountsServer"], "https://accounts.zoho.eu");
}

#[test]
fn the_window_cannot_read_the_clipboard_or_open_dialogs_itself() {
    // Rust copies secrets and opens the export dialog; the window is granted neither
    // plugin, so a script in it could not read a copied token or pick files.
    let app = TestApp::start(ZohoEnv::Production);
    for (cmd, args) in [
        ("plugin:clipboard-manager|read_text", json!({})),
        (
            "plugin:clipboard-manager|write_text",
            json!({ "text": "x" }),
        ),
        ("plugin:dialog|save", json!({ "options": {} })),
        ("plugin:dialog|open", json!({ "options": {} })),
    ] {
        let refused = app.invoke(cmd, args).expect_err(cmd);
        assert!(
            refused.to_string().contains("not allowed"),
            "{cmd}: {refused}"
        );
    }
}

#[test]
fn without_tokens_nothing_can_be_revealed_copied_or_saved() {
    let app = TestApp::start(ZohoEnv::Production);
    for (cmd, args) in [
        ("reveal_token", json!({ "which": "refresh" })),
        ("copy_token", json!({ "which": "access" })),
        ("save_preview", json!({})),
        (
            "save_connection",
            json!({ "name": "Books", "scopes": [], "passphrase": null, "confirmation": null }),
        ),
    ] {
        let refused = app.invoke(cmd, args).expect_err(cmd);
        assert_eq!(refused["kind"], "no_client", "{cmd}: {refused}");
    }
}

#[test]
fn the_add_permissions_commands_are_granted_and_refuse_plainly_when_idle() {
    let app = TestApp::start(ZohoEnv::Production);
    assert_eq!(app.invoke("cancel_enhance", json!({})), Ok(Value::Null));
    let err = app
        .invoke("reopen_enhance_page", json!({}))
        .expect_err("nothing is running");
    assert_eq!(err["kind"], "no_enhancement_running");
    let err = app
        .invoke(
            "start_enhance",
            json!({"id": "nope", "scopes": ["ZohoBooks.bills.READ"]}),
        )
        .expect_err("no vault is open");
    assert_ne!(err["kind"], "", "{err}");
    assert!(err["hint"].as_str().is_some_and(|h| !h.is_empty()), "{err}");
}
