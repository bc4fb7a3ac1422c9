//! What the commands send to the UI (camelCase, as JavaScript expects).

use serde::Serialize;
use tauri::PackageInfo;
use zoho_oauth_core::{DataCenter, ZohoEnv};

use crate::practice::PracticeView;

/// A data center as the picker shows it, with the URLs of the active environment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataCenterView {
    /// Zoho's `location` value, e.g. `"eu"`; what the UI sends back.
    pub id: DataCenter,
    /// Plain-language name, e.g. "Europe".
    pub name: &'static str,
    /// The domain people see in their address bar, e.g. ".eu".
    pub domain: &'static str,
    /// Where sign-in and token requests go.
    pub accounts_server: String,
    /// Where API calls go.
    pub api_domain: String,
    /// Where apps are registered.
    pub api_console: String,
}

impl DataCenterView {
    /// `dc` as seen in `env`.
    pub fn new(dc: DataCenter, env: &ZohoEnv) -> Self {
        let endpoints = env.endpoints(dc);
        Self {
            id: dc,
            name: dc.name(),
            domain: dc.domain(),
            accounts_server: endpoints.accounts,
            api_domain: endpoints.api_domain,
            api_console: endpoints.api_console,
        }
    }
}

/// The app's name and version, and whether it is in practice mode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Product name.
    pub name: String,
    /// Version, e.g. "0.1.0".
    pub version: String,
    /// Whether requests go to a practice sandbox, and which.
    pub practice: PracticeView,
}

impl AppInfo {
    /// Describes this build with practice mode as it is now.
    pub fn new(package: &PackageInfo, practice: PracticeView) -> Self {
        Self {
            name: package.name.clone(),
            version: package.version.to_string(),
            practice,
        }
    }
}

/// A scope list as typed or picked, judged by the core's validator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeCheck {
    /// True when the list can be sent to Zoho as it is.
    pub ok: bool,
    /// The comma-joined list to send, when `ok`.
    pub scope_string: Option<String>,
    /// Each scope, in the spelling that will be sent, when `ok`.
    pub scopes: Vec<String>,
    /// What must be fixed (when not `ok`).
    pub problems: Vec<zoho_oauth_core::scopes::Finding>,
    /// Worth knowing, but not in the way.
    pub warnings: Vec<zoho_oauth_core::scopes::Finding>,
}

impl ScopeCheck {
    /// Validates `input` (comma- or space-separated scopes).
    pub fn of(input: &str) -> Self {
        match zoho_oauth_core::scopes::validate(input) {
            Ok(valid) => Self {
                ok: true,
                scope_string: Some(valid.scope_string),
                scopes: valid.scopes,
                problems: Vec::new(),
                warnings: valid.warnings,
            },
            Err(invalid) => Self {
                ok: false,
                scope_string: None,
                scopes: Vec::new(),
                problems: invalid.problems,
                warnings: invalid.warnings,
            },
        }
    }
}
