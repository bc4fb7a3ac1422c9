//! What the window shows of a saved connection: its details and a status a person reads
//! at a glance (valid for so long, expired, revoked, deleted by Zoho, locked out), in
//! plain words, with nothing secret in it.

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zoho_oauth_core::vault::{ConnectionStatus, ConnectionSummary, TestCallOutcome};
use zoho_oauth_core::{ClientType, DataCenter, Vault, ZohoEnv};

/// A saved connection, for the list and its details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    /// Its id, for later commands.
    pub id: String,
    /// The name the person gave it.
    pub name: String,
    /// The product, e.g. "Zoho Books".
    pub product: String,
    /// The data center, e.g. "United States (.com)".
    pub data_center: String,
    /// The data center's location code, e.g. "us".
    pub data_center_id: DataCenter,
    /// The organization it works with, e.g. "Riverside Bakery Inc. (10234721)".
    pub organization: Option<String>,
    /// That organization's id.
    pub organization_id: Option<String>,
    /// The Zoho user who granted it, when known.
    pub zoho_user: Option<String>,
    /// True when it was made in practice mode.
    pub practice: bool,
    /// Self Client or server-based: how it is regenerated.
    pub client_type: ClientType,
    /// The Client ID (not secret).
    pub client_id: String,
    /// The granted scopes.
    pub scopes: Vec<String>,
    /// The accounts server its tokens are refreshed and revoked at.
    pub accounts_url: String,
    /// Where its API calls go.
    pub api_domain: String,
    /// When it was saved (RFC 3339).
    pub created_at: String,
    /// When its access token was last refreshed (RFC 3339).
    pub last_refreshed_at: Option<String>,
    /// The last connection test.
    pub last_test: Option<LastTestView>,
    /// Its state at a glance.
    pub status: StatusView,
}

/// The last connection test, in a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LastTestView {
    /// When (RFC 3339).
    pub at: String,
    /// Whether it worked.
    pub ok: bool,
    /// What it showed, in plain words.
    pub message: String,
}

/// A connection's status, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    /// `valid`, `expired`, `revoked` (revoked or deleted: only a new grant helps) or
    /// `locked_out`.
    pub kind: &'static str,
    /// A short label for a badge.
    pub label: String,
    /// Why, and what to do next.
    pub detail: String,
    /// The access token's expiry (valid) or when to try again (locked out), RFC 3339.
    pub until: Option<String>,
    /// Seconds until `until`, when the view was made.
    pub seconds_left: Option<i64>,
}

/// `summary` as the window shows it, its status taken from `vault` at `now`.
pub fn connection_view(
    vault: &Vault,
    summary: &ConnectionSummary,
    now: OffsetDateTime,
) -> ConnectionView {
    let status = vault
        .status(&summary.id, now)
        .unwrap_or(ConnectionStatus::Expired);
    let organization = summary.organization_for_calls();
    ConnectionView {
        id: summary.id.to_string(),
        name: summary.name.clone(),
        product: summary.product.clone(),
        data_center: format!(
            "{} ({})",
            summary.data_center.name(),
            summary.data_center.domain()
        ),
        data_center_id: summary.data_center,
        organization: organization.map(|o| format!("{} ({})", o.name, o.id)),
        organization_id: organization.map(|o| o.id.clone()),
        zoho_user: summary.zoho_user.clone(),
        practice: matches!(summary.environment, ZohoEnv::Sandbox { .. }),
        client_type: summary.client_type,
        client_id: summary.client_id.clone(),
        scopes: summary.scopes.clone(),
        accounts_url: summary.environment.endpoints(summary.data_center).accounts,
        api_domain: summary.api_domain.clone(),
        created_at: rfc3339(summary.created_at),
        last_refreshed_at: summary.last_refreshed_at.map(rfc3339),
        last_test: summary.last_test.as_ref().map(|test| LastTestView {
            at: rfc3339(test.at),
            ok: matches!(test.outcome, TestCallOutcome::Succeeded { .. }),
            message: match &test.outcome {
                TestCallOutcome::Succeeded { organizations } => match organizations.len() {
                    0 => "It worked.".to_owned(),
                    1 => "It worked: 1 organization.".to_owned(),
                    n => format!("It worked: {n} organizations."),
                },
                TestCallOutcome::Failed { message, .. } => message.clone(),
            },
        }),
        status: status_view(&status, now),
    }
}

/// `status` in words (the core's, which the command line shows too).
pub fn status_view(status: &ConnectionStatus, now: OffsetDateTime) -> StatusView {
    let words = zoho_oauth_core::access::status_words(status, now);
    StatusView {
        kind: words.kind,
        label: words.label,
        detail: words.detail,
        until: words.until.map(rfc3339),
        seconds_left: words.until.map(|at| (at - now).whole_seconds().max(0)),
    }
}

pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// "2 December 2026".
pub(crate) fn day(at: OffsetDateTime) -> String {
    zoho_oauth_core::access::day(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    #[test]
    fn each_status_reads_plainly() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(20_789);
        let valid = status_view(
            &ConnectionStatus::Valid {
                until: now + Duration::minutes(52) + Duration::seconds(10),
            },
            now,
        );
        assert_eq!(
            (valid.kind, valid.label.as_str()),
            ("valid", "Valid for 52 min")
        );
        assert_eq!(valid.seconds_left, Some(52 * 60 + 10));
        let locked = status_view(
            &ConnectionStatus::LockedOut {
                until: now + Duration::minutes(15),
            },
            now,
        );
        assert_eq!(locked.kind, "locked_out");
        assert_eq!(locked.seconds_left, Some(900));
        assert!(locked.detail.contains("10 in 10 minutes"));
        let deleted = status_view(&ConnectionStatus::PresumedDeleted { at: now }, now);
        assert_eq!(deleted.kind, "revoked");
        assert!(deleted.detail.contains("limit of 20"), "{}", deleted.detail);
        assert!(
            deleted.detail.contains(&day(now)),
            "names the day: {}",
            deleted.detail
        );
        assert!(day(now).ends_with(&now.year().to_string()));
    }
}
