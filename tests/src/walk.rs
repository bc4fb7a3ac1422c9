//! Counting the path a person takes through the wizard: every click, every press of
//! Enter and every paste (a value typed by the test stands for a paste: nobody types a
//! Client Secret by hand), and the screens passed through. The aim is a short path; a
//! count that grows shows up in the test's output before anyone has to complain.

use crate::App;

/// A walk through the window that counts what the person does.
pub struct Walk<'a> {
    app: &'a App,
    clicks: usize,
    enters: usize,
    pastes: usize,
    screens: Vec<String>,
}

impl<'a> Walk<'a> {
    /// Starts counting on `app` as it is now.
    pub fn new(app: &'a App) -> Self {
        Self {
            app,
            clicks: 0,
            enters: 0,
            pastes: 0,
            screens: Vec::new(),
        }
    }

    /// The app being walked, for looking without counting.
    pub fn app(&self) -> &'a App {
        self.app
    }

    /// Clicks `css` and counts a click.
    pub async fn click(&mut self, css: &str) {
        self.app.find(css).await;
        self.note_screen().await;
        self.app.click(css).await;
        self.clicks += 1;
    }

    /// Puts `text` into `css` and counts a paste.
    pub async fn paste(&mut self, css: &str, text: &str) {
        self.app.find(css).await;
        self.note_screen().await;
        self.app.type_into(css, text).await;
        self.pastes += 1;
    }

    /// Presses Enter in `css` and counts it.
    pub async fn enter(&mut self, css: &str) {
        self.app.find(css).await;
        self.note_screen().await;
        self.app.press_enter(css).await;
        self.enters += 1;
    }

    /// Records the screen showing now, if it is not the one recorded last.
    pub async fn note_screen(&mut self) {
        if let Some(screen) = self.app.screen_id().await {
            if self.screens.last() != Some(&screen) {
                self.screens.push(screen);
            }
        }
    }

    /// Clicks, presses of Enter and pastes so far.
    pub fn actions(&self) -> usize {
        self.clicks + self.enters + self.pastes
    }

    /// The screens passed through so far, in order (one returned to counts again).
    pub fn screens(&self) -> &[String] {
        &self.screens
    }

    /// The figures in one line, for the test's output.
    pub fn summary(&self) -> String {
        format!(
            "{} actions ({} clicks, {} presses of Enter, {} pastes) in {} screens ({})",
            self.actions(),
            self.clicks,
            self.enters,
            self.pastes,
            self.screens.len(),
            self.screens.join(" > ")
        )
    }
}
