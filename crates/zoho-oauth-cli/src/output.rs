//! What the commands print: the access token in the shapes scripts take, and the list of
//! connections with their status in the assistant's own words.

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zoho_oauth_core::access::{product_id, status_words, Access};
use zoho_oauth_core::api::TestCall;
use zoho_oauth_core::vault::{ConnectionStatus, ConnectionSummary, TestCallOutcome};
use zoho_oauth_core::{SecretString, ZohoEnv};

use crate::cli::TokenFormat;

/// The access token of `access` as `format`; it holds the token, so it is wiped on drop.
pub fn token(access: &Access, format: TokenFormat, now: OffsetDateTime) -> SecretString {
    let token = access.access_token().expose();
    let summary = &access.summary;
    let organization = summary.organization_for_calls().map(|o| o.id.as_str());
    let text = match format {
        TokenFormat::Raw => token.to_owned(),
        TokenFormat::Header => format!("Authorization: Zoho-oauthtoken {token}"),
        TokenFormat::Env => {
            let mut lines = vec![
                format!("export ZOHO_ACCESS_TOKEN={}", shell_quote(token)),
                format!(
                    "export ZOHO_API_DOMAIN={}",
                    shell_quote(&summary.api_domain)
                ),
            ];
            if let Some(id) = organization {
                lines.push(format!("export ZOHO_ORG_ID={}", shell_quote(id)));
            }
            lines.join("\n")
        }
        TokenFormat::Json => json!({
            "access_token": token,
            "token_type": "Zoho-oauthtoken",
            "api_domain": summary.api_domain,
            "expires_at": rfc3339(access.tokens.expires_at),
            "expires_in": (access.tokens.expires_at - now).whole_seconds().max(0),
            "organization_id": organization,
            "connection": summary.name,
        })
        .to_string(),
        TokenFormat::Curl => format!(
            "curl -sS --fail-with-body -H {} {}",
            shell_quote(&format!("Authorization: Zoho-oauthtoken {token}")),
            shell_quote(&test_url(summary))
        ),
    };
    SecretString::from(text)
}

/// The product's own test call, or who the token belongs to for products without one.
fn test_url(summary: &ConnectionSummary) -> String {
    match TestCall::for_product(&product_id(&summary.product)) {
        Some(call) => format!("{}{}", summary.api_domain, call.path()),
        None => format!(
            "{}/oauth/user/info",
            summary.environment.endpoints(summary.data_center).accounts
        ),
    }
}

/// `value` in single quotes for a POSIX shell.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// One connection and its status, as `list --json` prints it.
pub fn connection_json(
    summary: &ConnectionSummary,
    status: &ConnectionStatus,
    now: OffsetDateTime,
) -> Value {
    let words = status_words(status, now);
    let organization = summary.organization_for_calls();
    json!({
        "id": summary.id.as_str(),
        "name": summary.name,
        "product": summary.product,
        "data_center": summary.data_center.location(),
        "organization": organization.map(|o| o.name.clone()),
        "organization_id": organization.map(|o| o.id.clone()),
        "practice": matches!(summary.environment, ZohoEnv::Sandbox { .. }),
        "api_domain": summary.api_domain,
        "last_refreshed_at": summary.last_refreshed_at.map(rfc3339),
        "last_test": summary.last_test.as_ref().map(|t| json!({
            "at": rfc3339(t.at),
            "ok": matches!(t.outcome, TestCallOutcome::Succeeded { .. }),
        })),
        "status": {
            "kind": words.kind,
            "label": words.label,
            "detail": words.detail,
            "until": words.until.map(rfc3339),
            "seconds_left": words.until.map(|at| (at - now).whole_seconds().max(0)),
        },
    })
}

/// The connections as a table a person reads.
pub fn table(rows: &[(ConnectionSummary, ConnectionStatus)], now: OffsetDateTime) -> String {
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|(summary, status)| {
            let practice = if matches!(summary.environment, ZohoEnv::Sandbox { .. }) {
                " (practice)"
            } else {
                ""
            };
            [
                format!("{}{practice}", summary.name),
                summary.product.clone(),
                summary.data_center.name().to_owned(),
                status_words(status, now).label,
            ]
        })
        .collect();
    let header = ["NAME", "PRODUCT", "DATA CENTER", "STATUS"].map(str::to_owned);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&cells) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    std::iter::once(&header)
        .chain(&cells)
        .map(|row| {
            let line: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, w)| format!("{cell:<w$}"))
                .collect();
            line.join("  ").trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
