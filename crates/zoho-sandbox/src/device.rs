//! Zoho's device flow for "Non-browser based application" clients: the app asks
//! `POST {dc}/oauth/v3/device/code` for a user code and a device code, the person
//! types the user code on the verification page (on any device) and approves or denies,
//! and meanwhile the app polls `POST {dc}/oauth/v3/device/token` with the device code.
//!
//! The rules are Zoho's: the poll answers `authorization_pending` until the person
//! decides, `slow_down` to a poll that comes sooner than `interval` after the previous
//! one, `access_denied`, `expired` once the code's time is up, and, when the account that
//! approved lives in another data center, `other_dc` with `user_location` until the app
//! polls that DC instead. The answers are HTTP 200 with `{"error": "..."}`, as the
//! token endpoint's are. Every time is measured on the sandbox clock, so tests move it
//! instead of waiting.

use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;

use crate::clients::ClientType;
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::ids::{self, Digest32};
use crate::params::Params;
use crate::scopes;
use crate::state::{Shared, ACCESS_TOKEN_LIFETIME};
use crate::tokens::Issued;
use crate::Decision;

/// How long a device code and its user code stay valid (`expires_in`).
pub(crate) const DEVICE_CODE_LIFETIME: Duration = Duration::from_secs(300);
/// The least time between two polls (`interval`); Zoho's figure.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_secs(30);
/// How long an expired request is still answered with `expired` rather than forgotten.
const REMEMBER_EXPIRED: Duration = Duration::from_secs(600);

/// Where a device flow request stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved { user_email: String, user_dc: Dc },
    Denied,
}

/// An outstanding device flow request.
#[derive(Clone, Debug)]
pub(crate) struct DeviceGrant {
    pub(crate) client_id: String,
    /// The DC whose endpoint issued the codes.
    pub(crate) dc: Dc,
    pub(crate) scopes: Vec<String>,
    pub(crate) offline: bool,
    /// Shown to people; not a secret on its own (it is useless without the approval).
    pub(crate) user_code: String,
    pub(crate) expires_at: Instant,
    pub(crate) last_poll: Option<Instant>,
    pub(crate) status: DeviceStatus,
}

/// What `POST /oauth/v3/device/code` hands out.
pub(crate) struct DeviceCodes {
    pub(crate) user_code: String,
    pub(crate) device_code: String,
    pub(crate) verification_url: String,
    pub(crate) expires_in: u64,
    pub(crate) interval: u64,
}

/// Why a device code request or a poll was refused; `error_code` is the body's `error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeviceFailure {
    InvalidRequest,
    UnsupportedGrantType,
    InvalidClient,
    InvalidClientSecret,
    /// The client exists here but is not a "Non-browser based application".
    UnauthorizedClient,
    InvalidScope,
    /// Unknown device code, or one of another client, or polled at a DC it has nothing
    /// to do with.
    InvalidCode,
    AuthorizationPending,
    SlowDown,
    AccessDenied,
    Expired,
    /// Approved by an account of another DC: poll there.
    OtherDc(Dc),
}

impl DeviceFailure {
    pub(crate) fn error_code(self) -> &'static str {
        match self {
            DeviceFailure::InvalidRequest => "invalid_request",
            DeviceFailure::UnsupportedGrantType => "unsupported_grant_type",
            DeviceFailure::InvalidClient => "invalid_client",
            DeviceFailure::InvalidClientSecret => "invalid_client_secret",
            DeviceFailure::UnauthorizedClient => "unauthorized_client",
            DeviceFailure::InvalidScope => "invalid_scope",
            DeviceFailure::InvalidCode => "invalid_code",
            DeviceFailure::AuthorizationPending => "authorization_pending",
            DeviceFailure::SlowDown => "slow_down",
            DeviceFailure::AccessDenied => "access_denied",
            DeviceFailure::Expired => "expired",
            DeviceFailure::OtherDc(_) => "other_dc",
        }
    }
}

/// `POST {dc}/oauth/v3/device/code`.
pub(crate) fn request_codes(
    shared: &Shared,
    dc: Dc,
    params: &Params,
) -> Result<DeviceCodes, DeviceFailure> {
    match params.get("grant_type") {
        None => return Err(DeviceFailure::InvalidRequest),
        Some("device_request") => {}
        Some(_) => return Err(DeviceFailure::UnsupportedGrantType),
    }
    let client_id = params
        .get("client_id")
        .ok_or(DeviceFailure::InvalidRequest)?;
    let offline = match params.get("access_type").map(str::to_ascii_lowercase) {
        None => false,
        Some(t) if t == "online" => false,
        Some(t) if t == "offline" => true,
        Some(_) => return Err(DeviceFailure::InvalidRequest),
    };
    let now = shared.clock.now();
    let mut store = shared.store();
    let client = store
        .client(client_id)
        .filter(|c| c.valid_at(dc))
        .ok_or(DeviceFailure::InvalidClient)?;
    if client.client_type != ClientType::NonBrowser {
        return Err(DeviceFailure::UnauthorizedClient);
    }
    let client_id = client.id.clone();
    let scopes = scopes::parse(params.raw("scope").unwrap_or(""))
        .map_err(|_| DeviceFailure::InvalidScope)?;
    store
        .device_grants
        .retain(|_, g| g.expires_at + REMEMBER_EXPIRED > now);
    let device_code = ids::device_code();
    let user_code = ids::user_code();
    store.device_grants.insert(
        Digest32::of(&device_code),
        DeviceGrant {
            client_id: client_id.clone(),
            dc,
            scopes,
            offline,
            user_code: user_code.clone(),
            expires_at: now + DEVICE_CODE_LIFETIME,
            last_poll: None,
            status: DeviceStatus::Pending,
        },
    );
    tracing::debug!(%client_id, %dc, "device code issued");
    Ok(DeviceCodes {
        user_code,
        device_code,
        verification_url: format!("{}/oauth/v3/device", shared.accounts_url(dc)),
        expires_in: DEVICE_CODE_LIFETIME.as_secs(),
        interval: POLL_INTERVAL.as_secs(),
    })
}

/// `POST {dc}/oauth/v3/device/token`: one poll.
pub(crate) fn poll(shared: &Shared, dc: Dc, params: &Params) -> Result<Issued, DeviceFailure> {
    match params.get("grant_type") {
        None => return Err(DeviceFailure::InvalidRequest),
        Some("device_token") => {}
        Some(_) => return Err(DeviceFailure::UnsupportedGrantType),
    }
    let (Some(code), Some(client_id), Some(secret)) = (
        params.get("code"),
        params.get("client_id"),
        params.get("client_secret"),
    ) else {
        return Err(DeviceFailure::InvalidRequest);
    };
    let now = shared.clock.now();
    let mut store = shared.store_mut();
    let client = store
        .client(client_id)
        .filter(|c| c.valid_at(dc))
        .ok_or(DeviceFailure::InvalidClient)?;
    if !bool::from(secret.as_bytes().ct_eq(client.secret.as_bytes())) {
        return Err(DeviceFailure::InvalidClientSecret);
    }
    let client_id = client.id.clone();
    let digest = Digest32::of(code);
    let grant = store
        .device_grants
        .get_mut(&digest)
        .filter(|g| g.client_id == client_id)
        .filter(|g| match &g.status {
            DeviceStatus::Approved { user_dc, .. } => g.dc == dc || *user_dc == dc,
            _ => g.dc == dc,
        })
        .ok_or(DeviceFailure::InvalidCode)?;
    if now >= grant.expires_at {
        return Err(DeviceFailure::Expired);
    }
    let too_soon = grant
        .last_poll
        .is_some_and(|last| now.saturating_duration_since(last) < POLL_INTERVAL);
    grant.last_poll = Some(now);
    if too_soon {
        return Err(DeviceFailure::SlowDown);
    }
    let (user_email, user_dc) = match &grant.status {
        DeviceStatus::Pending => return Err(DeviceFailure::AuthorizationPending),
        DeviceStatus::Denied => return Err(DeviceFailure::AccessDenied),
        DeviceStatus::Approved { user_dc, .. } if *user_dc != dc => {
            return Err(DeviceFailure::OtherDc(*user_dc))
        }
        DeviceStatus::Approved {
            user_email,
            user_dc,
        } => (user_email.clone(), *user_dc),
    };
    let grant = store
        .device_grants
        .remove(&digest)
        .ok_or(DeviceFailure::InvalidCode)?;
    let (refresh_token, refresh_digest) = if grant.offline {
        let (value, digest) =
            store.mint_refresh_token(&client_id, &user_email, user_dc, grant.scopes.clone());
        (Some(value), Some(digest))
    } else {
        (None, None)
    };
    let access_token = store.mint_access_token(
        &client_id,
        &user_email,
        user_dc,
        grant.scopes.clone(),
        refresh_digest,
        now,
    );
    tracing::debug!(%client_id, %user_dc, "device flow tokens issued");
    Ok(Issued {
        access_token,
        refresh_token,
        scope: grant.scopes.join(","),
        api_domain: shared.api_url(user_dc),
        expires_in: ACCESS_TOKEN_LIFETIME.as_secs(),
        account_id: None,
    })
}

/// What the verification page shows about a user code before the person decides.
pub(crate) struct PendingRequest {
    pub(crate) client_name: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) offline: bool,
}

/// Finds the pending, unexpired request of a user code typed at `dc`'s page (any DC of
/// the same realm: China's accounts are apart from every other DC's).
pub(crate) fn pending(
    shared: &Shared,
    dc: Dc,
    user_code: &str,
) -> Result<PendingRequest, SandboxError> {
    let now = shared.clock.now();
    let store = shared.store();
    let wanted = normalize(user_code);
    let grant = store
        .device_grants
        .values()
        .find(|g| normalize(&g.user_code) == wanted && g.dc.realm() == dc.realm())
        .ok_or(SandboxError::UnknownUserCode)?;
    if now >= grant.expires_at {
        return Err(SandboxError::UserCodeExpired);
    }
    if grant.status != DeviceStatus::Pending {
        return Err(SandboxError::UserCodeUsed);
    }
    let client_name = store
        .client(&grant.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    Ok(PendingRequest {
        client_name,
        scopes: grant.scopes.clone(),
        offline: grant.offline,
    })
}

/// Records the person's decision on a user code, typed at `dc`'s verification page or
/// sent through the control API, as `user_email` (only needed to approve).
pub(crate) fn decide(
    shared: &Shared,
    dc: Dc,
    user_code: &str,
    user_email: &str,
    decision: Decision,
) -> Result<(), SandboxError> {
    pending(shared, dc, user_code)?;
    let mut store = shared.store();
    let status = match decision {
        Decision::Deny => DeviceStatus::Denied,
        Decision::Accept => {
            let user = store
                .user(user_email)
                .ok_or_else(|| SandboxError::UnknownUser(user_email.trim().to_owned()))?;
            if user.dc.realm() != dc.realm() {
                return Err(SandboxError::UserNotAtThisServer(user.email.to_owned()));
            }
            DeviceStatus::Approved {
                user_email: user.email.to_owned(),
                user_dc: user.dc,
            }
        }
    };
    let wanted = normalize(user_code);
    if let Some(grant) = store
        .device_grants
        .values_mut()
        .find(|g| normalize(&g.user_code) == wanted && g.status == DeviceStatus::Pending)
    {
        tracing::debug!(client_id = %grant.client_id, ?decision, "device request decided");
        grant.status = status;
    }
    Ok(())
}

/// People type user codes with or without the dash, in any case, with stray spaces.
fn normalize(user_code: &str) -> String {
    user_code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_matched_as_people_type_them() {
        assert_eq!(normalize(" abcd-ef23 "), normalize("ABCDEF23"));
        assert_ne!(normalize("ABCD-EF23"), normalize("ABCD-EF24"));
    }
}
