//! Opening a page in the person's own browser, where they are signed in to Zoho. One
//! function does it for the whole app, so every page goes through the same check
//! ([`crate::links::checked`]) first.
//!
//! `$BROWSER` is honoured when set, as `gh`, rclone and Python's `webbrowser` do: a
//! list of commands separated by the platform's path separator, each run with the
//! address in place of `%s` (or after it), the first that starts wins. Otherwise the
//! system's default browser opens it, through tauri-plugin-opener.

use std::process::{Command, Stdio};

use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;
use url::Url;
use zoho_oauth_core::ZohoEnv;

use crate::error::AppError;
use crate::links;

/// The environment variable naming the browser to use instead of the system's default.
pub const BROWSER_VAR: &str = "BROWSER";

/// Opens `url` in the browser if it is a page the app may open in `env`.
///
/// # Errors
/// [`AppError::UnsafeLink`] for a page outside Zoho's (or the practice server's)
/// hosts; [`AppError::BrowserUnavailable`] when no browser could be started.
pub fn open<R: Runtime>(app: &AppHandle<R>, url: &str, env: &ZohoEnv) -> Result<(), AppError> {
    let url = links::checked(url, env)?;
    let unavailable = || AppError::BrowserUnavailable {
        url: url.to_string(),
    };
    match std::env::var_os(BROWSER_VAR).filter(|v| !v.is_empty()) {
        Some(list) => {
            let list = list.to_string_lossy().into_owned();
            open_with_commands(&list, &url).ok_or_else(unavailable)
        }
        None => app
            .opener()
            .open_url(url.as_str(), None::<&str>)
            .map_err(|_| unavailable()),
    }
}

/// Starts the first command of `$BROWSER` that runs; `None` when none does.
fn open_with_commands(list: &str, url: &Url) -> Option<()> {
    for entry in std::env::split_paths(list) {
        let entry = entry.to_string_lossy().into_owned();
        let Some((program, args)) = command_line(&entry, url.as_str()) else {
            continue;
        };
        let started = Command::new(&program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match started {
            Ok(mut child) => {
                // Reaped in the background, so a browser that exits leaves no zombie.
                std::thread::spawn(move || child.wait());
                return Some(());
            }
            Err(error) => report_failed_start(&program, &error),
        }
    }
    None
}

/// The program and arguments of one `$BROWSER` entry, with the address put in.
fn command_line(entry: &str, url: &str) -> Option<(String, Vec<String>)> {
    let mut words = entry.split_whitespace().map(str::to_owned);
    let program = words.next()?;
    let mut args: Vec<String> = words.collect();
    if args.iter().any(|a| a.contains("%s")) {
        for arg in &mut args {
            *arg = arg.replace("%s", url);
        }
    } else {
        args.push(url.to_owned());
    }
    Some((program, args))
}

fn report_failed_start(program: &str, error: &std::io::Error) {
    eprintln!("Zoho OAuth Assistant: the browser {program:?} from ${BROWSER_VAR} did not start ({error}); trying the next one.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_goes_where_percent_s_is_or_at_the_end() {
        let url = "https://accounts.zoho.com/oauth/v2/auth?x=1";
        assert_eq!(
            command_line("firefox --new-tab", url),
            Some((
                "firefox".to_owned(),
                vec!["--new-tab".to_owned(), url.to_owned()]
            ))
        );
        assert_eq!(
            command_line("open -a Safari %s", url),
            Some((
                "open".to_owned(),
                vec!["-a".to_owned(), "Safari".to_owned(), url.to_owned()]
            ))
        );
        assert_eq!(command_line("   ", url), None);
    }

    #[test]
    fn a_browser_that_does_not_start_gives_way_to_the_next() {
        let url = Url::parse("https://accounts.zoho.com/").expect("url");
        let missing = "/nonexistent/browser-one";
        assert_eq!(open_with_commands(missing, &url), None);
        #[cfg(unix)]
        {
            let list = std::env::join_paths([missing, "true"]).expect("a list");
            assert_eq!(open_with_commands(&list.to_string_lossy(), &url), Some(()));
        }
    }
}
