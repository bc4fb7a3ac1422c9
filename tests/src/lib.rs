//! End-to-end tests of the real app window: the built app binary runs under a virtual
//! display, WebKitWebDriver drives its web view through tauri-driver, and a test clicks
//! and reads the page as a person would.
//!
//! [`App::launch`] sets all of that up and [`App`]'s `Drop` tears it down (even when a
//! test fails): it starts Xvfb on a free display, points every XDG folder at a fresh
//! temporary one so a run never reads or leaves app data in `$HOME`, starts tauri-driver
//! on two free ports, and opens a WebDriver session with a time limit.
//!
//! Where Xvfb, tauri-driver, WebKitWebDriver or the app binary is missing the test is
//! skipped with a loud message, or fails when `E2E_REQUIRED=1` (as `scripts/test.sh`
//! sets), so a CI run can never pass by skipping.

mod display;
mod http;
mod locate;
mod process;

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;

pub use http::get as http_get;

use display::Display;
use process::Spawned;

/// How long the app may take to open its window and start the WebDriver session.
const SESSION_TIMEOUT: Duration = Duration::from_secs(90);
/// How long a test waits for something to appear on the page.
pub const UI_TIMEOUT: Duration = Duration::from_secs(15);
/// How long one WebDriver command may take before the test fails instead of hanging.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// The environment variable that switches the app into practice mode; always set
/// explicitly for the app under test, never inherited.
const SANDBOX_URL_VAR: &str = "ZOHO_OAUTH_ASSISTANT_SANDBOX_URL";

/// Where the fake browser writes what it did, inside the temporary home.
const BROWSER_LOG: &str = "browser.log";

/// A running app window under WebDriver control.
pub struct App {
    // Fields drop in this order: the WebDriver client, then tauri-driver's process group
    // (WebKitWebDriver and the app), then Xvfb, then the temporary home folders.
    client: Option<Client>,
    driver: Spawned,
    display: Display,
    home: TempDir,
}

/// Options for one launch.
#[derive(Default, Clone, Debug)]
pub struct Options {
    /// Practice mode at this sandbox address, or Zoho itself when `None`.
    pub sandbox_url: Option<String>,
    /// More environment variables for the app (`BROWSER`, the redirect port...).
    pub env: Vec<(String, String)>,
}

impl App {
    /// Launches the app against Zoho itself. `None` when the test must be skipped
    /// (already reported loudly).
    ///
    /// # Panics
    /// When something that is installed fails to start, or a prerequisite is missing
    /// while `E2E_REQUIRED=1`.
    pub async fn launch() -> Option<Self> {
        Self::launch_with(Options::default()).await
    }

    /// Launches the app in practice mode against the sandbox at `sandbox_url`; see
    /// [`App::launch`].
    ///
    /// # Panics
    /// As for [`App::launch`].
    pub async fn launch_practice(sandbox_url: &str) -> Option<Self> {
        Self::launch_with(Options {
            sandbox_url: Some(sandbox_url.to_owned()),
            ..Options::default()
        })
        .await
    }

    /// Launches the app with `options`; see [`App::launch`].
    ///
    /// # Panics
    /// As for [`App::launch`].
    pub async fn launch_with(options: Options) -> Option<Self> {
        let home = tempfile::Builder::new()
            .prefix("zoho-oauth-e2e-")
            .tempdir()
            .expect("a temporary folder for the app's data");
        Self::launch_in(options, home).await
    }

    /// Launches the app with `options` on the data, config and cache folders under
    /// `home`; see [`App::launch`].
    async fn launch_in(options: Options, home: TempDir) -> Option<Self> {
        let tools = match Tools::find() {
            Ok(tools) => tools,
            Err(reason) => return skip(&reason),
        };
        warn_if_stale(&tools.app);

        let xdg = XdgDirs::create(home.path()).expect("XDG folders in the temporary home");

        let display = match &tools.xvfb {
            Some(xvfb) => Display::start_xvfb(xvfb).unwrap_or_else(|err| panic!("{err}")),
            None => Display::existing().expect("checked by Tools::find"),
        };

        let ports = locate::free_ports(2).expect("two free loopback ports");
        let (port, native_port) = (ports[0], ports[1]);
        let log_path = home.path().join("tauri-driver.log");
        let log = std::fs::File::create(&log_path).expect("a log file for tauri-driver");
        let mut command = Command::new(&tools.tauri_driver);
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .arg("--native-driver")
            .arg(&tools.webkit_driver)
            .env("DISPLAY", &display.name)
            .env_remove("WAYLAND_DISPLAY")
            .env("GDK_BACKEND", "x11")
            // No accessibility bus in a bare Xvfb; without this GTK waits for one.
            .env("NO_AT_BRIDGE", "1")
            // WEBKIT_DISABLE_DMABUF_RENDERER would save memory but makes WebDriver
            // screenshots hang under Xvfb, so it is deliberately left unset.
            .env_remove("WEBKIT_DISABLE_DMABUF_RENDERER")
            .env_remove(SANDBOX_URL_VAR)
            .stdout(log.try_clone().expect("log handle"))
            .stderr(Stdio::from(log));
        xdg.apply(&mut command);
        // Every page the app opens goes to the fake browser, never a real one; it
        // writes down what it saw.
        command
            .env("BROWSER", locate::fake_browser())
            .env("FAKE_BROWSER_LOG", home.path().join(BROWSER_LOG))
            // No session bus unless a test asks for one: with a bus, the single-instance
            // plugin would hand every app after the first to the first, so tests could
            // not run side by side; and the OS keyring stays out of tests that did not
            // choose it.
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:");
        for (name, value) in &options.env {
            command.env(name, value);
        }
        if let Some(url) = &options.sandbox_url {
            command.env(SANDBOX_URL_VAR, url);
        }
        let driver = Spawned::start("tauri-driver", &mut command)
            .unwrap_or_else(|err| panic!("could not start tauri-driver: {err}"));

        let mut app = Self {
            client: None,
            driver,
            display,
            home,
        };
        // tauri-driver starts WebKitWebDriver behind it; a session request that arrives
        // before that one listens fails, so wait for both.
        app.wait_for_port(port);
        app.wait_for_port(native_port);
        app.client = Some(app.new_session(port, &tools.app).await);
        Some(app)
    }

    fn wait_for_port(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                self.driver.is_running(),
                "tauri-driver exited at start-up\n{}",
                self.driver_log()
            );
            assert!(
                Instant::now() < deadline,
                "nothing listened on port {port} within 15 s\n{}",
                self.driver_log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    async fn new_session(&self, port: u16, app: &Path) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("wry"));
        capabilities.insert(
            "tauri:options".into(),
            json!({ "application": app.display().to_string() }),
        );
        let connect = async {
            ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
        };
        match tokio::time::timeout(SESSION_TIMEOUT, connect).await {
            Ok(Ok(client)) => client,
            Ok(Err(err)) => panic!(
                "the WebDriver session did not start: {err}\n{}",
                self.driver_log()
            ),
            Err(_) => panic!(
                "the app window did not open within {} s\n{}",
                SESSION_TIMEOUT.as_secs(),
                self.driver_log()
            ),
        }
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("session open until close()")
    }

    /// The X display the window is on, e.g. `:93`.
    pub fn display(&self) -> &str {
        &self.display.name
    }

    /// The app's data, config, cache and runtime folders live under here.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// What the fake browser has done so far, one step a line.
    pub fn browser_log(&self) -> String {
        std::fs::read_to_string(self.home.path().join(BROWSER_LOG)).unwrap_or_default()
    }

    /// Waits until the fake browser's log has a line containing `part`, and returns
    /// the whole log.
    ///
    /// # Panics
    /// When that does not happen within [`UI_TIMEOUT`].
    pub async fn wait_for_browser(&self, part: &str) -> String {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let log = self.browser_log();
            if log.contains(part) {
                return log;
            }
            assert!(
                Instant::now() < deadline,
                "the browser never did {part:?}; its log:\n{log}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until exactly `count` elements match `css`, and returns them.
    ///
    /// # Panics
    /// When that does not happen within [`UI_TIMEOUT`].
    pub async fn wait_for_all(&self, css: &str, count: usize) -> Vec<Element> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let found = within(
                COMMAND_TIMEOUT,
                "finding elements",
                self.client().find_all(Locator::Css(css)),
            )
            .await
            .unwrap_or_default();
            if found.len() == count {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "expected {count} elements matching {css:?}, found {}",
                found.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element matching `css` shows `expected` as its text.
    ///
    /// # Panics
    /// When that does not happen within [`UI_TIMEOUT`].
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = String::new();
        loop {
            let found = self.client().find(Locator::Css(css));
            if let Ok(element) = within(COMMAND_TIMEOUT, "finding an element", found).await {
                last = within(COMMAND_TIMEOUT, "reading text", element.text())
                    .await
                    .unwrap_or_default();
                if last.trim() == expected {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "expected {css:?} to read {expected:?}, it reads {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text the element matching `css` shows now, trimmed.
    ///
    /// # Panics
    /// When there is no such element within [`UI_TIMEOUT`].
    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        within(COMMAND_TIMEOUT, "reading text", element.text())
            .await
            .unwrap_or_else(|err| panic!("cannot read the text of {css:?}: {err}"))
            .trim()
            .to_owned()
    }

    /// The element matching `css`.
    ///
    /// # Panics
    /// When there is none within [`UI_TIMEOUT`].
    pub async fn find(&self, css: &str) -> Element {
        let wait = self
            .client()
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(Locator::Css(css));
        within(UI_TIMEOUT + COMMAND_TIMEOUT, "waiting for an element", wait)
            .await
            .unwrap_or_else(|err| panic!("no element matches {css:?}: {err}"))
    }

    /// Clicks the element matching `css`, as a person would.
    ///
    /// # Panics
    /// When there is no such element or the click fails.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        within(
            COMMAND_TIMEOUT,
            &format!("click on {css:?}"),
            element.click(),
        )
        .await
        .unwrap_or_else(|err| panic!("click on {css:?} failed: {err}"));
    }

    /// From the start screen to the permissions screen with `location`'s data center
    /// chosen, once the scopes have been checked; returns the scope list to be sent.
    ///
    /// # Panics
    /// When a step does not appear within [`UI_TIMEOUT`].
    pub async fn open_permissions(&self, location: &str) -> String {
        self.click("#start-connect").await;
        self.click(&format!("label[data-dc={location}]")).await;
        self.click("#dc-next").await;
        self.wait_for_text_containing("#scope-check", "ready to ask Zoho for")
            .await;
        self.value("#scope-string").await
    }

    /// Types `text` into the field matching `css` as a paste would put it there.
    ///
    /// # Panics
    /// When there is no such field or typing fails.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        within(
            COMMAND_TIMEOUT,
            &format!("typing into {css:?}"),
            element.send_keys(text),
        )
        .await
        .unwrap_or_else(|err| panic!("typing into {css:?} failed: {err}"));
    }

    /// Waits until the element matching `css` shows text containing `part`, and
    /// returns the whole text.
    ///
    /// # Panics
    /// When that does not happen within [`UI_TIMEOUT`].
    pub async fn wait_for_text_containing(&self, css: &str, part: &str) -> String {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = String::new();
        loop {
            let found = self.client().find(Locator::Css(css));
            if let Ok(element) = within(COMMAND_TIMEOUT, "finding an element", found).await {
                last = within(COMMAND_TIMEOUT, "reading text", element.text())
                    .await
                    .unwrap_or_default();
                if last.contains(part) {
                    return last;
                }
            }
            assert!(
                Instant::now() < deadline,
                "expected {css:?} to contain {part:?}, it reads {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot of the window as `target/e2e-screenshots/<name>.png` and
    /// returns its path.
    ///
    /// # Panics
    /// When WebDriver cannot take it or the file cannot be written.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // WebKit paints a moment after the page changes, and a screenshot taken before
        // shows the old frame: let the short CSS transitions end, then wait for two
        // animation frames, after which the current state has been painted.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let painted = self.client().execute_async(
            "const done = arguments[arguments.length - 1];\n\
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            Vec::new(),
        );
        within(COMMAND_TIMEOUT, "waiting for a paint", painted)
            .await
            .unwrap_or_else(|err| panic!("waiting for a paint failed: {err}"));
        let png = within(COMMAND_TIMEOUT, "screenshot", self.client().screenshot())
            .await
            .unwrap_or_else(|err| panic!("screenshot failed: {err}"));
        let dir = locate::screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("screenshot written");
        path
    }

    /// Ends the WebDriver session (closing the app) before the processes are stopped.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
    }

    fn driver_log(&self) -> String {
        let log =
            std::fs::read_to_string(self.home.path().join("tauri-driver.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!("--- tauri-driver log (last lines) ---\n{}", tail.join("\n"))
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() {
            loud(&self.driver_log());
        }
    }
}

/// The programs a run needs.
struct Tools {
    xvfb: Option<PathBuf>,
    tauri_driver: PathBuf,
    webkit_driver: PathBuf,
    app: PathBuf,
}

impl Tools {
    fn find() -> Result<Self, String> {
        let install = "install it with ./scripts/install-deps.sh";
        let xvfb = locate::executable("Xvfb");
        if xvfb.is_none() && Display::existing().is_none() {
            return Err(format!(
                "Xvfb is not installed and there is no $DISPLAY; {install}"
            ));
        }
        let tauri_driver = locate::executable("tauri-driver")
            .ok_or_else(|| format!("tauri-driver is not installed; {install}"))?;
        let webkit_driver = locate::executable("WebKitWebDriver").ok_or_else(|| {
            format!(
                "WebKitWebDriver (Debian package webkit2gtk-driver) is not installed; {install}"
            )
        })?;
        let app = locate::app_binary();
        if !app.is_file() {
            return Err(format!(
                "the app binary {} has not been built; run cargo build -p zoho-oauth-assistant",
                app.display()
            ));
        }
        Ok(Self {
            xvfb,
            tauri_driver,
            webkit_driver,
            app,
        })
    }
}

/// The XDG folders the app (and WebKit) keep data in, all inside a temporary home.
struct XdgDirs {
    dirs: Vec<(&'static str, PathBuf)>,
}

impl XdgDirs {
    fn create(home: &Path) -> std::io::Result<Self> {
        use std::os::unix::fs::PermissionsExt;
        let dirs = vec![
            ("XDG_DATA_HOME", home.join("data")),
            ("XDG_CONFIG_HOME", home.join("config")),
            ("XDG_CACHE_HOME", home.join("cache")),
            ("XDG_RUNTIME_DIR", home.join("runtime")),
        ];
        for (_, dir) in &dirs {
            std::fs::create_dir_all(dir)?;
            // XDG_RUNTIME_DIR must be private to its user; the rest may as well be.
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(Self { dirs })
    }

    fn apply(&self, command: &mut Command) {
        for (var, dir) in &self.dirs {
            command.env(var, dir);
        }
    }
}

/// Awaits `future`, failing the test (rather than hanging it) after `limit`.
async fn within<T>(limit: Duration, what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {} s", limit.as_secs()))
}

fn skip(reason: &str) -> Option<App> {
    loud(&format!(
        "{line}\nEND-TO-END TEST SKIPPED: {reason}\n{line}",
        line = "=".repeat(78)
    ));
    if std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1") {
        panic!("E2E_REQUIRED=1 but the end-to-end test cannot run: {reason}");
    }
    None
}

fn warn_if_stale(app: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let sources = [root.join("ui"), root.join("src-tauri")];
    let built = app.metadata().and_then(|m| m.modified()).ok();
    if let (Some(built), Some(newest)) = (built, locate::newest_source(&sources)) {
        if newest > built {
            loud(&format!(
                "WARNING: {} is older than the app's sources; the test runs the old build.\n\
                 Run cargo build -p zoho-oauth-assistant first (scripts/test.sh does).",
                app.display()
            ));
        }
    }
}

/// Writes straight to standard error, past the test harness's output capture, so a
/// skip or a failure's context is seen even when the test passes.
fn loud(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "\n{message}\n");
}

mod axe;
mod page;
mod walk;
mod window_size;

pub use axe::{axe_script, Node, Violation};
pub use page::Problem;
pub use walk::Walk;
pub use window_size::{DEFAULT_SIZE, SMALL_SIZE};

/// A TCP port on 127.0.0.1 that was free a moment ago, for a test's own redirect URI,
/// so that tests running side by side never wait on each other's listener.
///
/// # Panics
/// When the system hands out no port at all.
pub fn free_port() -> u16 {
    locate::free_ports(1).expect("a free loopback port")[0]
}

/// The program that reads the clipboard of an X display (`src/bin/read-clipboard.rs`),
/// built beside the fake browser.
fn clipboard_reader() -> PathBuf {
    locate::fake_browser().with_file_name(format!("read-clipboard{}", std::env::consts::EXE_SUFFIX))
}

impl App {
    /// Closes the app and starts it again on the same home folder, so it finds what
    /// it saved (preferences, the vault), as after a person restarts it.
    ///
    /// # Panics
    /// As for [`App::launch`].
    pub async fn relaunch(mut self, options: Options) -> Option<Self> {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        let spare = tempfile::tempdir().expect("a temporary folder");
        let home = std::mem::replace(&mut self.home, spare);
        // Stops tauri-driver (and the app with it) and the display before the next start.
        drop(self);
        Self::launch_in(options, home).await
    }

    /// Closes the app and stops everything it ran with, and hands back its home folder
    /// with whatever the app left there, to be looked through after it has gone.
    pub async fn finish(mut self) -> TempDir {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        let spare = tempfile::tempdir().expect("a temporary folder");
        let home = std::mem::replace(&mut self.home, spare);
        drop(self);
        home
    }

    /// Files in the home folder that the tests themselves write (the WebDriver log,
    /// which holds every keystroke sent, and the stand-in browser's log), not the app.
    pub const HARNESS_FILES: [&'static str; 2] = ["tauri-driver.log", BROWSER_LOG];

    /// The text on the window's clipboard right now, `None` when it holds none.
    ///
    /// # Panics
    /// When the reader cannot be run.
    pub fn clipboard_text(&self) -> Option<String> {
        let output = Command::new(clipboard_reader())
            .env("DISPLAY", &self.display.name)
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap_or_else(|err| panic!("could not run the clipboard reader: {err}"));
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Waits until the clipboard holds no text (or something else than `text`).
    ///
    /// # Panics
    /// When it still holds `text` after `limit`.
    pub async fn wait_for_clipboard_cleared_of(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.clipboard_text().as_deref() == Some(text) {
            assert!(
                Instant::now() < deadline,
                "the clipboard still holds the copied text after {} s",
                limit.as_secs()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl App {
    /// Answers the app's native save dialog titled `title` (a GTK window WebDriver
    /// cannot reach) as a person would: types `path` into its name field and presses
    /// Enter. Uses xdotool on the app's display.
    ///
    /// # Panics
    /// When xdotool is missing or the dialog does not open within [`UI_TIMEOUT`].
    pub async fn answer_save_dialog(&self, title: &str, path: &Path) {
        let xdotool = locate::executable("xdotool")
            .expect("xdotool is not installed; install it with ./scripts/install-deps.sh");
        let run = |args: &[&str]| {
            Command::new(&xdotool)
                .env("DISPLAY", &self.display.name)
                .args(args)
                .output()
                .unwrap_or_else(|err| panic!("could not run xdotool: {err}"))
        };
        let deadline = Instant::now() + UI_TIMEOUT;
        let window = loop {
            let found = run(&["search", "--onlyvisible", "--name", title]);
            let ids = String::from_utf8_lossy(&found.stdout).into_owned();
            if let Some(id) = ids.lines().next().filter(|id| !id.trim().is_empty()) {
                break id.trim().to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no dialog titled {title:?} opened"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        // The dialog maps before it takes keys; a moment later it does.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let path = path.display().to_string();
        for args in [
            vec!["windowfocus", "--sync", window.as_str()],
            vec!["key", "--clearmodifiers", "ctrl+a"],
            vec!["type", "--delay", "10", path.as_str()],
            vec!["key", "Return"],
        ] {
            let done = run(&args);
            assert!(
                done.status.success(),
                "xdotool {args:?} failed: {}",
                String::from_utf8_lossy(&done.stderr)
            );
        }
    }
}

/// Where the app keeps its vault under a test's home folder (see [`App::home`]).
pub fn vault_file(home: &Path) -> PathBuf {
    home.join("data")
        .join("com.zohooauthassistant.app")
        .join("connections.vault")
}

/// A fresh temporary home folder for [`App::launch_in_home`], for a test that puts
/// something there (a vault, say) before the app starts.
///
/// # Panics
/// When no temporary folder can be made.
pub fn new_home() -> TempDir {
    tempfile::Builder::new()
        .prefix("zoho-oauth-e2e-")
        .tempdir()
        .expect("a temporary folder for the app's data")
}

impl App {
    /// Launches the app with `options` on `home` (from [`new_home`]), so it finds what
    /// the test put there; see [`App::launch`].
    ///
    /// # Panics
    /// As for [`App::launch`].
    pub async fn launch_in_home(options: Options, home: TempDir) -> Option<Self> {
        Self::launch_in(options, home).await
    }

    /// Unlocks a passphrase vault on the unlock screen the app opens with, and waits
    /// for the start screen.
    ///
    /// # Panics
    /// When the unlock screen does not show, or the start screen does not follow.
    pub async fn unlock(&self, passphrase: &str) {
        self.wait_for_text("#screen-title", "Unlock your saved connections")
            .await;
        self.type_into("#unlock-passphrase", passphrase).await;
        self.click("#unlock-submit").await;
        self.wait_for_text("#screen-title", "Connect a Zoho account")
            .await;
    }
}
