//! Reading and doing more on the page than clicking and typing: a field's value, the
//! Enter key, whether a button can be pressed, which wizard screen is showing, and the
//! problem the window reports, matched on its `kind` as the UI exposes it.

use std::time::{Duration, Instant};

use fantoccini::key::Key;

use crate::{within, App, COMMAND_TIMEOUT, UI_TIMEOUT};

/// A problem as the window shows it: what happened, and what to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `data-kind` of `#problem`, e.g. `"code_expired_or_used"`.
    pub kind: String,
    /// What happened, in the window's words.
    pub message: String,
    /// What to do next, in the window's words.
    pub hint: String,
}

impl App {
    /// The current `value` of the field matching `css`.
    ///
    /// # Panics
    /// When there is no such field within [`UI_TIMEOUT`].
    pub async fn value(&self, css: &str) -> String {
        let element = self.find(css).await;
        within(COMMAND_TIMEOUT, "reading a value", element.prop("value"))
            .await
            .unwrap_or_else(|err| panic!("cannot read the value of {css:?}: {err}"))
            .unwrap_or_default()
    }

    /// Presses Enter in the element matching `css`, as a person finishing a field does.
    ///
    /// # Panics
    /// When there is no such element or the key cannot be sent.
    pub async fn press_enter(&self, css: &str) {
        let element = self.find(css).await;
        let enter = char::from(Key::Enter).to_string();
        within(
            COMMAND_TIMEOUT,
            &format!("Enter in {css:?}"),
            element.send_keys(&enter),
        )
        .await
        .unwrap_or_else(|err| panic!("pressing Enter in {css:?} failed: {err}"));
    }

    /// Empties the field matching `css`.
    ///
    /// # Panics
    /// When there is no such field or it cannot be cleared.
    pub async fn clear(&self, css: &str) {
        let element = self.find(css).await;
        within(
            COMMAND_TIMEOUT,
            &format!("clearing {css:?}"),
            element.clear(),
        )
        .await
        .unwrap_or_else(|err| panic!("clearing {css:?} failed: {err}"));
    }

    /// Whether the button (or field) matching `css` can be used now.
    ///
    /// # Panics
    /// When there is no such element within [`UI_TIMEOUT`].
    pub async fn is_enabled(&self, css: &str) -> bool {
        let element = self.find(css).await;
        within(COMMAND_TIMEOUT, "reading a state", element.is_enabled())
            .await
            .unwrap_or_else(|err| panic!("cannot tell whether {css:?} is enabled: {err}"))
    }

    /// Waits until the button (or field) matching `css` can be used.
    ///
    /// # Panics
    /// When that does not happen within [`UI_TIMEOUT`].
    pub async fn wait_until_enabled(&self, css: &str) {
        let deadline = Instant::now() + UI_TIMEOUT;
        while !self.is_enabled(css).await {
            assert!(Instant::now() < deadline, "{css:?} stayed disabled");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether the radio button or checkbox matching `css` is ticked.
    ///
    /// # Panics
    /// When there is no such element within [`UI_TIMEOUT`].
    pub async fn is_selected(&self, css: &str) -> bool {
        let element = self.find(css).await;
        within(COMMAND_TIMEOUT, "reading a state", element.is_selected())
            .await
            .unwrap_or_else(|err| panic!("cannot tell whether {css:?} is ticked: {err}"))
    }

    /// Waits until the wizard shows the screen `id` (`"grant"`, `"connected"`...: the
    /// `data-screen` of `#screen`).
    ///
    /// # Panics
    /// When that does not happen within [`UI_TIMEOUT`].
    pub async fn wait_for_screen(&self, id: &str) {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let now = self.screen_id().await;
            if now.as_deref() == Some(id) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "expected the {id:?} screen, the window shows {now:?}{}",
                self.problem_now()
                    .await
                    .map(|p| format!(" with the problem {p:?}"))
                    .unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The wizard screen showing now (`data-screen` of `#screen`).
    pub async fn screen_id(&self) -> Option<String> {
        let found = self.client().find(fantoccini::Locator::Css("#screen"));
        let screen = within(COMMAND_TIMEOUT, "finding the screen", found)
            .await
            .ok()?;
        within(
            COMMAND_TIMEOUT,
            "reading the screen",
            screen.attr("data-screen"),
        )
        .await
        .ok()
        .flatten()
    }

    /// Waits until the window reports a problem of `kind`, and returns it.
    ///
    /// # Panics
    /// When that does not happen within [`UI_TIMEOUT`] (naming the problem shown
    /// instead, if any).
    pub async fn wait_for_problem(&self, kind: &str) -> Problem {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let shown = self.problem_now().await;
            if let Some(problem) = shown.as_ref().filter(|p| p.kind == kind) {
                return problem.clone();
            }
            assert!(
                Instant::now() < deadline,
                "expected a problem of kind {kind:?}, the window shows {shown:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The problem shown now, if any.
    pub async fn problem_now(&self) -> Option<Problem> {
        let read = self.client().execute(
            "const p = document.getElementById('problem');\n\
             if (!p || p.hidden) return null;\n\
             const text = (css) => (p.querySelector(css)?.textContent ?? '').trim();\n\
             return [p.dataset.kind ?? '', text('.problem-message'), text('.problem-hint')];",
            Vec::new(),
        );
        let value = within(COMMAND_TIMEOUT, "reading the problem", read)
            .await
            .ok()?;
        let parts: Vec<String> = serde_json::from_value(value).ok()?;
        match <[String; 3]>::try_from(parts) {
            Ok([kind, message, hint]) => Some(Problem {
                kind,
                message,
                hint,
            }),
            Err(_) => None,
        }
    }
}
