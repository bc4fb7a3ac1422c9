//! Handing one connection's credentials to another tool, only when the user asks.
//!
//! Three shapes: a `.env` file (most integration tools read one), JSON (scripts), and a
//! `curl` command that mints a fresh access token from the refresh token (the quickest
//! way to check a connection from a terminal). The result holds secrets in clear, so it
//! is returned as a [`SecretString`] (wiped on drop, redacted in logs); the credentials
//! go in the form body, never in the URL, as Zoho's token endpoint expects.
//!
//! ## Names
//!
//! The `.env` keys are the ones Zoho integrations most often read: `ZOHO_CLIENT_ID`,
//! `ZOHO_CLIENT_SECRET`, `ZOHO_REFRESH_TOKEN`, `ZOHO_ACCOUNTS_URL` (where tokens are
//! refreshed: it differs per data center), `ZOHO_API_DOMAIN` (where API calls go) and
//! `ZOHO_ORG_ID` (the Books `organization_id` every Books call needs; written only when
//! the last test call showed a default or single organization), plus
//! `ZOHO_DATA_CENTER` and `ZOHO_SCOPE`. The JSON keys are Zoho's own parameter and
//! response names (`client_id`, `client_secret`, `refresh_token`, `api_domain`, `scope`
//! comma-separated as Zoho writes it), plus `accounts_url`, `token_url`,
//! `organization_id` and the `organizations` the last test call listed. The short-lived
//! access token is not exported: the other tool mints its own with the refresh token.
//! A client-credentials connection has no refresh token: its export carries the
//! organization (`ZOHO_SOID`, `soid`) instead, and its `curl` asks for a token that way.

use serde::Serialize;

use crate::client::ClientType;
use crate::secret::SecretString;

use super::model::{Connection, SavedOrganization, TestCallOutcome, TokenSource};

/// The shape of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// `KEY=value` lines for a `.env` file.
    DotEnv,
    /// A JSON object.
    Json,
    /// A `curl` command that refreshes the access token.
    Curl,
}

/// Renders `connection` as `format`.
pub(crate) fn render(connection: &Connection, format: ExportFormat) -> SecretString {
    let fields = Fields::of(connection);
    match format {
        ExportFormat::DotEnv => dot_env(&fields),
        ExportFormat::Json => json(&fields),
        ExportFormat::Curl => curl(&fields),
    }
}

/// Borrowed view of what an export contains, so secrets are not copied more than once.
#[derive(Serialize)]
struct Fields<'a> {
    name: &'a str,
    data_center: &'a str,
    accounts_url: String,
    token_url: String,
    api_domain: &'a str,
    client_type: &'a str,
    client_id: &'a str,
    client_secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    /// The organization of a client-credentials connection (`soid`), which has no
    /// refresh token.
    #[serde(skip_serializing_if = "Option::is_none")]
    soid: Option<String>,
    scope: String,
    organization_id: Option<&'a str>,
    organizations: &'a [SavedOrganization],
}

impl<'a> Fields<'a> {
    fn of(c: &'a Connection) -> Self {
        let s = &c.summary;
        let accounts_url = s.environment.endpoints(s.data_center).accounts;
        Fields {
            name: &s.name,
            data_center: s.data_center.location(),
            token_url: format!("{accounts_url}/oauth/v2/token"),
            accounts_url,
            api_domain: &s.api_domain,
            client_type: match s.client_type {
                ClientType::ServerBased => "server_based",
                ClientType::SelfClient => "self_client",
                ClientType::NonBrowser => "non_browser",
                ClientType::Org => "org",
            },
            client_id: &s.client_id,
            client_secret: c.secrets.client_secret.expose(),
            refresh_token: c.secrets.refresh_token.as_ref().map(|t| t.expose()),
            soid: match &s.token_source {
                TokenSource::ClientCredentials { soid } => Some(soid.to_string()),
                TokenSource::RefreshToken => None,
            },
            scope: s.scopes.join(","),
            organization_id: s.organization_for_calls().map(|o| o.id.as_str()),
            organizations: match s.last_test.as_ref().map(|t| &t.outcome) {
                Some(TestCallOutcome::Succeeded { organizations }) => organizations,
                _ => &[],
            },
        }
    }
}

fn dot_env(f: &Fields<'_>) -> SecretString {
    let mut out = String::with_capacity(1024);
    out.push_str(&format!(
        "# Zoho connection \"{}\" ({} data center). Keep this file private.\n",
        f.name.replace(['\r', '\n'], " "),
        f.data_center
    ));
    let org = f.organization_id.map(|id| ("ZOHO_ORG_ID", id));
    let refresh = f.refresh_token.map(|t| ("ZOHO_REFRESH_TOKEN", t));
    let soid = f.soid.as_deref().map(|s| ("ZOHO_SOID", s));
    for (key, value) in [
        ("ZOHO_DATA_CENTER", f.data_center),
        ("ZOHO_ACCOUNTS_URL", f.accounts_url.as_str()),
        ("ZOHO_API_DOMAIN", f.api_domain),
        ("ZOHO_CLIENT_ID", f.client_id),
        ("ZOHO_CLIENT_SECRET", f.client_secret),
    ]
    .into_iter()
    .chain(refresh)
    .chain(soid)
    .chain([("ZOHO_SCOPE", f.scope.as_str())])
    .chain(org)
    {
        out.push_str(key);
        out.push_str("=\"");
        for ch in value.chars() {
            match ch {
                '"' | '\\' | '$' | '`' => {
                    out.push('\\');
                    out.push(ch);
                }
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push_str("\"\n");
    }
    SecretString::new(out)
}

fn json(f: &Fields<'_>) -> SecretString {
    let mut out = Vec::with_capacity(1024);
    serde_json::to_writer_pretty(&mut out, f).expect("plain strings serialize");
    out.push(b'\n');
    SecretString::new(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

fn curl(f: &Fields<'_>) -> SecretString {
    let mut out = String::with_capacity(1024);
    out.push_str(&format!(
        "# Mints an access token for the Zoho connection \"{}\". Keep this command private.\n",
        f.name.replace(['\r', '\n'], " ")
    ));
    out.push_str("curl --request POST ");
    push_shell_quoted(&mut out, &[&f.token_url]);
    out.push_str(" \\\n");
    // A client-credentials connection has no refresh token: the command asks for a
    // token the way the connection does, for its organization.
    let params: Vec<(&str, &str)> = match f.refresh_token {
        Some(token) => vec![
            ("grant_type", "refresh_token"),
            ("client_id", f.client_id),
            ("client_secret", f.client_secret),
            ("refresh_token", token),
        ],
        None => vec![
            ("grant_type", "client_credentials"),
            ("client_id", f.client_id),
            ("client_secret", f.client_secret),
            ("scope", f.scope.as_str()),
            ("soid", f.soid.as_deref().unwrap_or_default()),
        ],
    };
    for (i, (key, value)) in params.iter().enumerate() {
        out.push_str("  --data-urlencode ");
        push_shell_quoted(&mut out, &[key, "=", value]);
        out.push_str(if i + 1 < params.len() { " \\\n" } else { "\n" });
    }
    SecretString::new(out)
}

/// Appends the concatenation of `parts`, single-quoted for POSIX shells, without
/// building an intermediate copy of the secret.
fn push_shell_quoted(out: &mut String, parts: &[&str]) {
    out.push('\'');
    for ch in parts.iter().flat_map(|p| p.chars()) {
        if ch == '\'' {
            out.push_str(r"'\''");
        } else {
            out.push(ch);
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_single_quotes() {
        let mut out = String::new();
        push_shell_quoted(&mut out, &["a'b", "=", "c"]);
        assert_eq!(out, r"'a'\''b=c'");
    }
}
