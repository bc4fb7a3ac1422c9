//! Plays the person's web browser for the end-to-end tests: the app under test runs it
//! through `$BROWSER` with the consent page's address, and it does what a person would
//! in a browser: loads the sandbox's consent page, picks the account named by
//! `FAKE_BROWSER_USER`, presses the button named by `FAKE_BROWSER_DECISION` (`accept`
//! or `deny`), and follows the redirect back to the app's loopback listener. A list
//! such as `deny,accept` plays a person who changes their mind: the first consent page
//! gets the first answer, the next one the next (the last one repeats). `wait` plays a
//! person who has the page open and has not pressed anything yet.
//!
//! Zoho's page that adds permissions to a connection (`/oauth/v2/token/addextrascope`)
//! is answered the same way, and counts as a consent page for `FAKE_BROWSER_DECISION`.
//!
//! Each step is appended to the file `FAKE_BROWSER_LOG` (when set), so a test can tell
//! what the "browser" saw. Only hosts and paths are written, never codes or the state.
//! Any other address (the API Console, say) is only recorded, as if a page opened.

use std::io::Write;

use reqwest::redirect::Policy;
use url::Url;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Some(address) = std::env::args().nth(1) else {
        log("no address given");
        std::process::exit(2);
    };
    if let Err(problem) = browse(&address).await {
        log(&format!("failed: {problem}"));
        std::process::exit(1);
    }
}

async fn browse(address: &str) -> Result<(), String> {
    let url = Url::parse(address).map_err(|e| format!("not an address: {e}"))?;
    log(&format!("opened {}{}", origin(&url), url.path()));
    if !is_consent_page(url.path()) {
        return Ok(());
    }
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let page = http
        .get(url.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let action = attribute_after(&page, "<form", "action").ok_or("the page has no form")?;
    let mut form = hidden_inputs(&page);
    let user = std::env::var("FAKE_BROWSER_USER").unwrap_or_default();
    if !user.is_empty() {
        form.push(("user_email".to_owned(), user.clone()));
    }
    // The Payments account to allow, on Zoho Payments' organization consent page.
    if let Ok(account) = std::env::var("FAKE_BROWSER_ACCOUNT") {
        form.push(("account_id".to_owned(), account));
    }
    let decision = decision();
    if decision == "wait" {
        log(&format!("left the page open as {user}"));
        return Ok(());
    }
    form.push(("decision".to_owned(), decision.clone()));
    let target = url.join(&action).map_err(|e| e.to_string())?;
    let answer = http
        .post(target)
        .header("Origin", origin(&url))
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    log(&format!(
        "pressed {decision} as {user}: HTTP {}",
        answer.status().as_u16()
    ));
    let redirected = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let location = match redirected {
        Some(location) => location,
        // A refusal page with a way back: the person clicks it, as they would.
        None => {
            let page = answer.text().await.map_err(|e| e.to_string())?;
            let back = attribute_after(&page, r#"id="back-to-app""#, "href")
                .or_else(|| attribute_after(&page, "<a", "href"))
                .ok_or("the consent page did not redirect")?;
            log("clicked Back to the application");
            back
        }
    };
    let back = Url::parse(&location).map_err(|e| e.to_string())?;
    let landed = http
        .get(back.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    log(&format!(
        "returned to {}{}: HTTP {}",
        origin(&back),
        back.path(),
        landed.status().as_u16()
    ));
    Ok(())
}

/// The answer for this consent page: the entry of `FAKE_BROWSER_DECISION` for the
/// number of consent pages opened before this one, as the log records them.
fn decision() -> String {
    let listed = std::env::var("FAKE_BROWSER_DECISION").unwrap_or_else(|_| "accept".to_owned());
    let answers: Vec<&str> = listed.split(',').map(str::trim).collect();
    let opened = std::env::var_os("FAKE_BROWSER_LOG")
        .and_then(|path| std::fs::read_to_string(path).ok())
        .map_or(0, |log| {
            log.lines()
                .filter(|l| l.starts_with("opened ") && is_consent_page(l))
                .count()
        });
    // This page's own "opened" line is already written.
    let before = opened.saturating_sub(1);
    answers[before.min(answers.len() - 1)].to_owned()
}

/// The pages a person answers with Accept or Deny: the usual consent page, Zoho
/// Payments' organization-level one, and the one that adds permissions.
fn is_consent_page(path: &str) -> bool {
    path.ends_with("/oauth/v2/auth")
        || path.ends_with("/oauth/v2/org/auth")
        || path.ends_with("/oauth/v2/token/addextrascope")
}

fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The value of `name` in the first tag that starts with `tag`.
fn attribute_after(page: &str, tag: &str, name: &str) -> Option<String> {
    let start = page.find(tag)?;
    let end = start + page[start..].find('>')?;
    attribute(&page[start..end], name)
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(unescape(&tag[at..at + len]))
}

fn hidden_inputs(page: &str) -> Vec<(String, String)> {
    page.split("<input")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
        .filter(|tag| tag.contains("type=\"hidden\""))
        .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value")?)))
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn log(line: &str) {
    let Some(path) = std::env::var_os("FAKE_BROWSER_LOG") else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
}
