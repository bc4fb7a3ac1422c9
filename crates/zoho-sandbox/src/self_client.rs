//! The API Console's "Generate Code" for a Self Client: a code for the client owner's own
//! account, valid for the duration chosen (3 to 10 minutes), single use, exchanged
//! without a redirect URI at the client's data center.

use std::time::Duration;

use crate::clients::ClientType;
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::scopes;
use crate::state::{GrantCode, Shared};

/// The durations Zoho's console allows, in minutes.
pub(crate) const DURATIONS: std::ops::RangeInclusive<u32> = 3..=10;

/// Generates a code. `console_dc` is the DC whose console was used, if any: a console
/// only shows the clients registered in its own DC.
pub(crate) fn generate_code(
    shared: &Shared,
    client_id: &str,
    scope: &str,
    duration_minutes: u32,
    console_dc: Option<Dc>,
) -> Result<(String, Duration), SandboxError> {
    if !DURATIONS.contains(&duration_minutes) {
        return Err(SandboxError::InvalidDuration(duration_minutes));
    }
    let scopes = scopes::parse(scope).map_err(SandboxError::InvalidScope)?;
    let now = shared.clock.now();
    let mut store = shared.store();
    let client = store
        .client(client_id)
        .filter(|c| console_dc.is_none_or(|dc| c.home == dc))
        .ok_or(SandboxError::UnknownClient)?;
    if client.client_type != ClientType::SelfClient {
        return Err(SandboxError::NotSelfClient);
    }
    let lifetime = Duration::from_secs(u64::from(duration_minutes) * 60);
    let grant = GrantCode {
        client_id: client.id.clone(),
        user_email: client.owner_email.clone(),
        dc: client.home,
        scopes,
        redirect_uri: None,
        expires_at: now + lifetime,
        pkce: None,
        offline: true,
        always_refresh_token: true,
    };
    Ok((store.issue_code(grant, now), lifetime))
}
