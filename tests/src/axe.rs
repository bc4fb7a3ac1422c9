//! The accessibility check of a screen: axe-core (the npm package, installed by
//! `npm ci` at the repository root) is injected into the window through WebDriver and
//! run over the whole page. Serious and critical violations fail the test, since they
//! keep someone from using the screen (unreadable contrast, a field without a name, a
//! control a screen reader cannot reach); the others are printed for a person to
//! judge.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use crate::{loud, within, App};

/// How long one axe run may take in a debug build of the window.
const AXE_TIMEOUT: Duration = Duration::from_secs(60);

/// One rule a screen breaks, as axe reports it.
#[derive(Clone, Debug)]
pub struct Violation {
    /// axe's rule id, e.g. `"color-contrast"`.
    pub id: String,
    /// `"minor"`, `"moderate"`, `"serious"` or `"critical"`.
    pub impact: Option<String>,
    /// What the rule asks for, in a sentence.
    pub help: String,
    /// The elements that break it (CSS selectors) and why, at most a few.
    pub nodes: Vec<Node>,
}

/// One element that breaks a rule.
#[derive(Clone, Debug)]
pub struct Node {
    /// The element, as a CSS selector.
    pub target: String,
    /// What is wrong with it, in axe's words.
    pub summary: String,
}

impl Violation {
    fn from_json(value: &Value) -> Self {
        let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
        Self {
            id: text(value, "id"),
            impact: value["impact"].as_str().map(str::to_owned),
            help: text(value, "help"),
            nodes: value["nodes"]
                .as_array()
                .map(|nodes| {
                    nodes
                        .iter()
                        .map(|n| Node {
                            target: text(n, "target"),
                            summary: text(n, "summary"),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Whether this keeps someone from using the screen.
    pub fn blocks(&self) -> bool {
        matches!(self.impact.as_deref(), Some("serious" | "critical"))
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let impact = self.impact.as_deref().unwrap_or("unrated");
        writeln!(f, "  [{impact}] {}: {}", self.id, self.help)?;
        for node in &self.nodes {
            let summary = node.summary.replace('\n', " ");
            writeln!(f, "      {}: {summary}", node.target)?;
        }
        Ok(())
    }
}

/// `node_modules/axe-core/axe.min.js` at the repository root.
pub fn axe_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js")
}

impl App {
    /// Runs axe-core over the page as it is now and returns every violation.
    ///
    /// # Panics
    /// When axe-core is not installed (run `npm ci` at the repository root) or cannot
    /// run in the window.
    pub async fn axe(&self) -> Vec<Violation> {
        let loaded = within(
            AXE_TIMEOUT,
            "checking for axe-core",
            self.client()
                .execute("return typeof window.axe === 'object';", Vec::new()),
        )
        .await
        .unwrap_or_else(|err| panic!("cannot run a script in the window: {err}"));
        if loaded != json!(true) {
            let path = axe_script();
            let source = std::fs::read_to_string(&path).unwrap_or_else(|err| {
                panic!(
                    "axe-core is not installed ({}: {err}); run npm ci at the repository root",
                    path.display()
                )
            });
            within(
                AXE_TIMEOUT,
                "injecting axe-core",
                self.client()
                    .execute(&format!("{source}\n;return typeof window.axe;"), Vec::new()),
            )
            .await
            .unwrap_or_else(|err| panic!("axe-core could not be injected: {err}"));
        }
        let run = self.client().execute_async(
            "const done = arguments[arguments.length - 1];\n\
             window.axe\n\
               .run(document, { resultTypes: ['violations'] })\n\
               .then((result) => done({ violations: result.violations.map((v) => ({\n\
                 id: v.id, impact: v.impact, help: v.help,\n\
                 nodes: v.nodes.slice(0, 5).map((n) => ({\n\
                   target: n.target.join(' '), summary: n.failureSummary ?? '' })) })) }))\n\
               .catch((err) => done({ error: String(err) }));",
            Vec::new(),
        );
        let answer = within(
            AXE_TIMEOUT + Duration::from_secs(5),
            "running axe-core",
            run,
        )
        .await
        .unwrap_or_else(|err| panic!("axe-core did not run: {err}"));
        if let Some(error) = answer.get("error") {
            panic!("axe-core failed in the window: {error}");
        }
        let Some(violations) = answer["violations"].as_array() else {
            panic!("axe-core's answer could not be read: {answer}");
        };
        violations.iter().map(Violation::from_json).collect()
    }

    /// Checks the screen showing now: fails on any serious or critical violation, and
    /// prints the others under `screen`'s name.
    ///
    /// # Panics
    /// When the screen has a serious or critical violation, or axe cannot run.
    pub async fn assert_accessible(&self, screen: &str) {
        let violations = self.axe().await;
        let (blocking, other): (Vec<_>, Vec<_>) =
            violations.into_iter().partition(Violation::blocks);
        if !other.is_empty() {
            let listed: String = other.iter().map(ToString::to_string).collect();
            loud(&format!(
                "accessibility notes on {screen} (not blocking):\n{listed}"
            ));
        }
        let listed: String = blocking.iter().map(ToString::to_string).collect();
        assert!(
            blocking.is_empty(),
            "{screen} has serious or critical accessibility violations:\n{listed}"
        );
    }
}
