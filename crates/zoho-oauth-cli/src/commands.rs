//! Each command: find the vault and the connection, ask the core, print the result.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;

use clap::CommandFactory;
use time::OffsetDateTime;
use url::Url;
use zoho_oauth_core::access::{side_mismatch, Obtained, SideMismatch};
use zoho_oauth_core::vault::{ConnectionSummary, ExportFormat};
use zoho_oauth_core::{SavedAccess, SystemClock, TokenClient, Vault, Want, ZohoEnv};

use crate::cli::{Cli, Command, CompletionShell, ExportShape};
use crate::failure::{Code, Failure};
use crate::output;
use crate::pick::pick;
use crate::unlock;

/// Runs the command `cli` asks for.
///
/// # Errors
/// Whatever stopped it, with its exit code.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    if let Command::Completions { shell } = cli.command {
        return completions(shell);
    }
    let env = environment(cli.sandbox.as_deref())?;
    let path = unlock::vault_path(cli.vault.as_deref())?;
    if let Command::Status = cli.command {
        return status(&path, cli.passphrase_file.as_deref());
    }
    let vault = Mutex::new(unlock::open(&path, cli.passphrase_file.as_deref())?);
    let now = OffsetDateTime::now_utc();
    match cli.command {
        Command::List { json } => list(&vault, json, now),
        Command::Token { name, format } => {
            let summary = connection(&vault, &name, &env)?;
            let access = SavedAccess::default()
                .access_token(&vault, &summary.id, Want::usable_now(now))
                .await?;
            let text = output::token(&access, format, OffsetDateTime::now_utc());
            print_out(text.expose())
        }
        Command::Test { name } => {
            let summary = connection(&vault, &name, &env)?;
            let report = SavedAccess::default().test(&vault, &summary.id).await?;
            print_out(&report.message)
        }
        Command::Refresh { name, force } => {
            let summary = connection(&vault, &name, &env)?;
            let want = Want {
                asked_at: now,
                force,
            };
            let access = SavedAccess::default()
                .access_token(&vault, &summary.id, want)
                .await?;
            match access.obtained {
                Obtained::Reused => {
                    let minutes = (access.tokens.expires_at - OffsetDateTime::now_utc())
                        .whole_minutes()
                        .max(1);
                    Err(Failure::new(
                        Code::Usage,
                        format!("The access token of \"{}\" still works for about {minutes} more minutes, so nothing was refreshed.", summary.name),
                        "A refresh now spends one of the roughly 10 new access tokens Zoho allows in 10 minutes; going over locks this connection out for 15 minutes or more. Add --force to refresh anyway; `zoho-oauth token` refreshes by itself when it is time.",
                    ))
                }
                Obtained::RefreshedMeanwhile => print_out(&format!(
                    "Another program fetched a new access token for \"{}\" a moment ago; it is used.",
                    summary.name
                )),
                Obtained::Refreshed => print_out(&format!(
                    "A new access token was fetched and saved for \"{}\". It works for an hour.",
                    summary.name
                )),
            }
        }
        Command::Revoke { name, yes } => {
            let summary = connection(&vault, &name, &env)?;
            revoke(&vault, &summary, yes).await
        }
        Command::Export { name, format } => {
            let summary = connection(&vault, &name, &env)?;
            let format = match format {
                ExportShape::Env => ExportFormat::DotEnv,
                ExportShape::Json => ExportFormat::Json,
                ExportShape::Curl => ExportFormat::Curl,
            };
            let text = lock(&vault).export(&summary.id, format)?;
            print_out(text.expose())
        }
        Command::Status | Command::Completions { .. } => unreachable!("handled above"),
    }
}

fn lock(vault: &Mutex<Vault>) -> std::sync::MutexGuard<'_, Vault> {
    vault
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Zoho itself, or the practice server named by `--sandbox` (on this computer only,
/// as the app's own variable).
fn environment(sandbox: Option<&str>) -> Result<ZohoEnv, Failure> {
    let Some(value) = sandbox.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(ZohoEnv::Production);
    };
    let refused = || {
        Failure::new(
            Code::Usage,
            format!("--sandbox must be the address of the practice server on this computer, such as http://127.0.0.1:8765; \"{value}\" is not."),
            "Practice mode only ever talks to this computer (127.0.0.1, ::1 or localhost), so that no practice token crosses a network.",
        )
    };
    let url = Url::parse(value).map_err(|_| refused())?;
    let bare = url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none()
        && matches!(url.scheme(), "http" | "https");
    let env = ZohoEnv::sandbox(url.origin().ascii_serialization());
    if !bare || env.non_local_sandbox_host().is_some() {
        return Err(refused());
    }
    Ok(env)
}

/// The connection `name` means, checked to be on the side of practice mode in use.
fn connection(
    vault: &Mutex<Vault>,
    name: &str,
    env: &ZohoEnv,
) -> Result<ConnectionSummary, Failure> {
    let summary = pick(&lock(vault).list(), name)?;
    match side_mismatch(&summary, env) {
        None => Ok(summary),
        Some(SideMismatch::PracticeOff) => {
            let hint = match &summary.environment {
                ZohoEnv::Sandbox { base } => format!("Run it with --sandbox {base} while that practice server is running."),
                ZohoEnv::Production => "Leave out --sandbox.".to_owned(),
            };
            Err(Failure::new(
                Code::Usage,
                format!("\"{}\" is a practice connection, and practice mode is not on for that practice server.", summary.name),
                hint,
            ))
        }
        Some(SideMismatch::PracticeOn) => Err(Failure::new(
            Code::Usage,
            format!("\"{}\" is a connection to your real Zoho account, and practice mode is on (--sandbox).", summary.name),
            "Leave out --sandbox (and unset ZOHO_OAUTH_ASSISTANT_SANDBOX_URL) to use it: in practice mode nothing is sent to Zoho.",
        )),
    }
}

fn list(vault: &Mutex<Vault>, json: bool, now: OffsetDateTime) -> Result<(), Failure> {
    let vault = lock(vault);
    let mut rows = Vec::new();
    for summary in vault.list() {
        let status = vault.status(&summary.id, now)?;
        rows.push((summary, status));
    }
    if json {
        let all: Vec<_> = rows
            .iter()
            .map(|(summary, status)| output::connection_json(summary, status, now))
            .collect();
        return print_out(&serde_json::Value::Array(all).to_string());
    }
    if rows.is_empty() {
        return print_out("No connections are saved yet. Save one with the Zoho OAuth Assistant.");
    }
    print_out(&output::table(&rows, now))
}

fn status(
    path: &std::path::Path,
    passphrase_file: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let info = unlock::inspect(path)?;
    let mut lines = vec![
        format!("Vault: {}", path.display()),
        format!("Protection: {}", info.protection.describe()),
    ];
    let count = match unlock::open(path, passphrase_file) {
        Ok(vault) => match vault.len() {
            1 => "1 saved connection".to_owned(),
            n => format!("{n} saved connections"),
        },
        Err(failure) => format!("not counted, the vault stays locked ({})", failure.message),
    };
    lines.push(format!("Connections: {count}"));
    print_out(&lines.join("\n"))
}

async fn revoke(
    vault: &Mutex<Vault>,
    summary: &ConnectionSummary,
    yes: bool,
) -> Result<(), Failure> {
    if !yes {
        confirm(&format!(
            "Revoke the refresh token of \"{}\" at Zoho? Every tool using this connection stops working until it is regenerated. Type yes to go on: ",
            summary.name
        ))?;
    }
    let details = lock(vault).revocation_details(&summary.id)?;
    let Some(refresh_token) = &details.refresh_token else {
        return Err(Failure::new(
            Code::Usage,
            format!(
                "\"{}\" has no refresh token to revoke: it asks Zoho for a new access token each hour (client credentials).",
                summary.name
            ),
            "Nothing to do: its last access token stops working within the hour. Delete the connection in the Zoho OAuth Assistant if it is no longer needed.",
        ));
    };
    TokenClient::new(
        details.environment.clone(),
        std::sync::Arc::new(SystemClock),
    )?
    .revoke(details.data_center, refresh_token)
    .await?;
    lock(vault).record_revoked(&summary.id)?;
    print_out(&format!(
        "The refresh token of \"{}\" was revoked at Zoho. The connection stays saved, marked revoked: regenerate it in the Zoho OAuth Assistant to use it again.",
        summary.name
    ))
}

fn confirm(question: &str) -> Result<(), Failure> {
    let no_answer = || {
        Failure::new(
            Code::Usage,
            "Nothing was revoked: it was not confirmed.",
            "Answer yes when asked, or add --yes to revoke without being asked (in a script).",
        )
    };
    if !std::io::stdin().is_terminal() {
        return Err(no_answer());
    }
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|_| no_answer())?;
    if matches!(answer.trim().to_lowercase().as_str(), "yes" | "y") {
        Ok(())
    } else {
        Err(no_answer())
    }
}

fn completions(shell: CompletionShell) -> Result<(), Failure> {
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "zoho-oauth", &mut std::io::stdout());
    Ok(())
}

/// Prints `text` and a line break on standard output; a closed pipe is not an error a
/// person needs to read about.
fn print_out(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
    Ok(())
}
