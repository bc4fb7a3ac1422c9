//! The window at the sizes people use: the size it opens at and a small laptop's, so
//! that every screen is seen (and photographed) where text is most likely to be
//! clipped or fields to overflow.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::{within, App, COMMAND_TIMEOUT};

/// The size the window opens at (`tauri.conf.json`).
pub const DEFAULT_SIZE: (u32, u32) = (1040, 760);
/// A small laptop's screen, minus the desktop's own bars.
pub const SMALL_SIZE: (u32, u32) = (800, 600);

impl App {
    /// Resizes the window to `width` x `height` and waits until the page has laid
    /// itself out at that size.
    ///
    /// # Panics
    /// When WebDriver cannot resize it, or the page never takes the new width.
    pub async fn resize(&self, (width, height): (u32, u32)) {
        within(
            COMMAND_TIMEOUT,
            "resizing the window",
            self.client().set_window_size(width, height),
        )
        .await
        .unwrap_or_else(|err| panic!("the window could not be resized to {width}x{height}: {err}"));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let inner = within(
                COMMAND_TIMEOUT,
                "reading the page size",
                self.client().execute(
                    "return [window.innerWidth, window.innerHeight];",
                    Vec::new(),
                ),
            )
            .await
            .ok()
            .and_then(|v| serde_json::from_value::<(u32, u32)>(v).ok());
            if inner == Some((width, height)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page is {inner:?} after resizing the window to {width}x{height}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves `<name>-1040x760.png` and `<name>-800x600.png` (see [`App::screenshot`])
    /// and leaves the window at its default size; returns both paths.
    ///
    /// # Panics
    /// As for [`App::resize`] and [`App::screenshot`].
    pub async fn screenshots(&self, name: &str) -> Vec<PathBuf> {
        let mut saved = Vec::new();
        for size in [DEFAULT_SIZE, SMALL_SIZE] {
            self.resize(size).await;
            // Each size starts at the top of the screen, as a person arriving sees it.
            let _ = self
                .client()
                .execute("window.scrollTo(0, 0);", Vec::new())
                .await;
            saved.push(
                self.screenshot(&format!("{name}-{}x{}", size.0, size.1))
                    .await,
            );
        }
        self.resize(DEFAULT_SIZE).await;
        saved
    }
}
