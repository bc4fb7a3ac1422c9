//! "Copy a report for support": what the app knows of the attempt, in plain text a
//! support person can read, built only from values that are safe to share. It is made
//! from the masked views the UI already gets (never from the secrets themselves), so no
//! client secret, token, code or verifier can end up in it by mistake.

use std::fmt::Write as _;

use serde::Deserialize;
use zoho_oauth_core::ClientType;

use crate::logging::Logging;
use crate::practice::PracticeView;
use crate::vault_views::VaultStatus;
use crate::wizard::WizardSnapshot;

/// The problem on screen, as the UI shows it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ShownProblem {
    /// The error's stable identifier.
    #[serde(default)]
    pub kind: String,
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// What to do next.
    #[serde(default)]
    pub hint: String,
}

/// Everything the report is made from.
pub struct ReportInput<'a> {
    /// App name and version.
    pub app: &'a str,
    /// Practice mode as it is.
    pub practice: &'a PracticeView,
    /// The screen the person was on.
    pub screen: &'a str,
    /// The problem shown, if any.
    pub problem: Option<&'a ShownProblem>,
    /// The connection being made, masked.
    pub wizard: &'a WizardSnapshot,
    /// The saved connections (no secrets in them), when the vault is open.
    pub vault: Option<&'a VaultStatus>,
    /// The app's log, when one is kept.
    pub log: Option<&'a Logging>,
}

/// The report's text.
pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Zoho OAuth Assistant support report");
    let _ = writeln!(out, "App: {}", input.app);
    let _ = writeln!(
        out,
        "System: {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let _ = writeln!(
        out,
        "Practice mode: {}",
        match &input.practice.sandbox_url {
            Some(url) => format!("on ({url})"),
            None => "off (Zoho's real servers)".to_owned(),
        }
    );
    let _ = writeln!(out, "Screen: {}", clean(input.screen));
    if let Some(problem) = input.problem {
        let _ = writeln!(
            out,
            "Problem: {} ({})",
            clean(&problem.message),
            clean(&problem.kind)
        );
        let _ = writeln!(out, "Suggested next step: {}", clean(&problem.hint));
    }
    let w = input.wizard;
    match &w.client {
        Some(client) => {
            let kind = match client.client_type {
                ClientType::SelfClient => "Self Client",
                ClientType::Org => "organization-level client (Zoho Payments)",
                ClientType::ServerBased => "server-based client",
                ClientType::NonBrowser => "non-browser client (approve on another device)",
            };
            let _ = writeln!(
                out,
                "Client: {kind} in the {} data center, Client ID {}, secret {}",
                client.dc.name(),
                client.client_id,
                client.secret_hint
            );
        }
        None => {
            let _ = writeln!(out, "Client: not entered yet");
        }
    }
    match &w.tokens {
        Some(tokens) => {
            let _ = writeln!(
                out,
                "Tokens: from the {} data center, API domain {}, refresh token {}, access token {} ({} s left)",
                tokens.dc.name(),
                tokens.api_domain,
                tokens.refresh_token_masked.as_deref().unwrap_or("none"),
                tokens.access_token_masked,
                tokens.access_seconds_left
            );
            if let Some(scope) = &tokens.scope {
                let _ = writeln!(out, "Granted scopes: {scope}");
            }
        }
        None => {
            let _ = writeln!(out, "Tokens: none yet");
        }
    }
    if let Some(test) = &w.test {
        let _ = writeln!(
            out,
            "Connection test ({}): {} organization(s), chosen: {}, user: {}",
            test.product,
            test.organizations.len(),
            test.chosen.as_deref().unwrap_or("none"),
            test.user.as_deref().unwrap_or("not known")
        );
    }
    let _ = writeln!(
        out,
        "Consent page: {}",
        if w.consent_waiting {
            "waiting for the browser"
        } else {
            "not waiting"
        }
    );
    if let Some(vault) = input.vault {
        saved_lines(&mut out, vault);
    }
    if let Some(log) = input.log {
        log_lines(&mut out, log);
    }
    out
}

/// Where the full log is, and the app's last steps, so support sees what happened
/// before the problem without asking for the file first.
fn log_lines(out: &mut String, log: &Logging) {
    match (log.file(), log.trouble()) {
        (Some(file), _) => {
            let _ = writeln!(out, "Log file: {}", file.display());
        }
        (None, Some(reason)) => {
            let _ = writeln!(out, "Log file: none ({})", clean(reason));
        }
        (None, None) => {}
    }
    let recent = log.recent_lines();
    if !recent.is_empty() {
        let _ = writeln!(out, "Recent activity:");
        for line in recent {
            let _ = writeln!(out, "  {}", clean(&line));
        }
    }
}

fn saved_lines(out: &mut String, vault: &VaultStatus) {
    let _ = writeln!(
        out,
        "Saved connections: {} ({:?}{})",
        vault.connections.len(),
        vault.state,
        vault
            .protection
            .as_deref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default()
    );
    if let Some(file) = &vault.vault_file {
        let _ = writeln!(out, "Vault file: {file}");
    }
    if let Some(notice) = &vault.notice {
        let _ = writeln!(
            out,
            "Vault notice: {} ({})",
            clean(&notice.message),
            notice.kind
        );
    }
    for c in &vault.connections {
        let _ = writeln!(
            out,
            "- {}: {}, {} data center{}{}, {:?} client {}, status {} ({}), last refreshed {}, last test {}",
            clean(&c.name),
            c.product,
            c.data_center,
            c.organization.as_deref().map(|o| format!(", organization {o}")).unwrap_or_default(),
            if c.practice { ", practice" } else { "" },
            c.client_type,
            c.client_id,
            c.status.label,
            c.status.kind,
            c.last_refreshed_at.as_deref().unwrap_or("never"),
            c.last_test
                .as_ref()
                .map(|t| format!("{} at {}: {}", if t.ok { "worked" } else { "failed" }, t.at, clean(&t.message)))
                .unwrap_or_else(|| "never".into()),
        );
    }
}

/// One line, at most a few hundred characters, of text that came from the window.
fn clean(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(400)
        .collect();
    line.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use zoho_oauth_core::{ClientSecret, DataCenter, ZohoEnv};

    use super::*;
    use crate::practice::PracticeSource;
    use crate::wizard::Wizard;

    const ID: &str = "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789";

    #[tokio::test]
    async fn the_report_says_what_is_known_and_holds_no_secret() {
        let wizard = Wizard::new(zoho_oauth_core::DEFAULT_REDIRECT_PORT);
        wizard
            .set_client(
                ZohoEnv::Production,
                DataCenter::Eu,
                ClientType::SelfClient,
                ID,
                ClientSecret::new(SECRET),
            )
            .await
            .expect("a well-formed client");
        let problem = ShownProblem {
            kind: "code_expired".into(),
            message: "Zoho did not accept the code.\nline two".into(),
            hint: "Generate a new code.".into(),
        };
        let practice = PracticeView {
            on: false,
            source: PracticeSource::Off,
            sandbox_url: None,
            note: None,
        };
        let text = render(&ReportInput {
            app: "Zoho OAuth Assistant 0.1.0",
            practice: &practice,
            screen: "grant",
            problem: Some(&problem),
            wizard: &wizard.snapshot().await,
            vault: None,
            log: None,
        });
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains(&format!("Client ID {ID}")), "{text}");
        assert!(
            text.contains("Self Client in the Europe data center"),
            "{text}"
        );
        assert!(text.contains("secret ••••••••6789"), "{text}");
        assert!(text.contains("Problem: Zoho did not accept the code. line two (code_expired)"));
        assert!(text.contains("Tokens: none yet"));
        assert!(text.contains("Practice mode: off"));
    }
}
