//! Zoho Payments' organization-level consent, `GET {dc}/oauth/v2/org/auth`: the same
//! request as the usual consent page, for an ORG client only; only an owner or admin of
//! a Payments account may accept, for one account they pick; the code lasts about 2
//! minutes and its token answer names that `account_id`.
//!
//! A user who may not grant it sees a page that says so, and the application is told
//! with `error=unauthorized_user` on its redirect URI (ZOHO.md gives no wording; the
//! sandbox README notes the choice).

use std::time::Duration;

use crate::clients::ClientType;
use crate::consent::{self, AuthorizeRequest, Decision};
use crate::dc::Dc;
use crate::error::SandboxError;
use crate::ids::Digest32;
use crate::params::Params;
use crate::payments;
use crate::state::{GrantCode, Shared, Store};

/// How long an organization-level code lasts.
pub(crate) const ORG_CODE_LIFETIME: Duration = Duration::from_secs(120);

/// Checks an organization-level authorization request.
pub(crate) fn validate(
    store: &Store,
    start: Dc,
    params: &Params,
) -> Result<AuthorizeRequest, SandboxError> {
    let request = consent::validate(store, start, params)?;
    if request.client.client_type != ClientType::Org {
        return Err(SandboxError::WrongClientType);
    }
    Ok(request)
}

/// What became of the user's decision: where the browser goes next, or (for a user
/// who may not grant it) the refusal to show, with the redirect that tells the app.
pub(crate) enum Outcome {
    Redirect(String),
    Refused {
        error: SandboxError,
        redirect: String,
    },
}

/// Turns the decision of `user_email` about `account_id` into a redirect.
pub(crate) fn decide(
    shared: &Shared,
    start: Dc,
    params: &Params,
    user_email: &str,
    account_id: Option<&str>,
    decision: Decision,
) -> Result<Outcome, SandboxError> {
    let now = shared.clock.now();
    let mut store = shared.store();
    let request = validate(&store, start, params)?;
    let redirect = |pairs: &[(&str, &str)]| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            query.append_pair(k, v);
        }
        if let Some(state) = &request.state {
            query.append_pair("state", state);
        }
        let separator = if request.redirect_uri.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{separator}{}", request.redirect_uri, query.finish())
    };
    if decision == Decision::Deny {
        return Ok(Outcome::Redirect(redirect(&[("error", "access_denied")])));
    }
    let user = store
        .user(user_email)
        .ok_or_else(|| SandboxError::UnknownUser(user_email.trim().to_owned()))?
        .clone();
    if user.dc.realm() != start.realm() {
        return Err(SandboxError::UserNotAtThisServer(user.email.to_owned()));
    }
    let grantable = payments::grantable_by(user.email);
    if grantable.is_empty() {
        tracing::debug!(client_id = %request.client.id, "organization consent by a non-admin refused");
        return Ok(Outcome::Refused {
            error: SandboxError::NotPaymentsAdmin(user.email.to_owned()),
            redirect: redirect(&[("error", "unauthorized_user")]),
        });
    }
    let account = match (account_id, grantable.as_slice()) {
        (None, [only]) => *only,
        (None, _) => return Err(SandboxError::MissingParameter("account_id")),
        (Some(id), _) => *grantable
            .iter()
            .find(|a| a.account_id == id)
            .ok_or_else(|| SandboxError::UnknownPaymentsAccount(id.to_owned()))?,
    };
    let home = user.dc;
    let code = store.issue_code(
        GrantCode {
            client_id: request.client.id.clone(),
            user_email: user.email.to_owned(),
            dc: home,
            scopes: request.scopes.clone(),
            redirect_uri: Some(request.redirect_uri.clone()),
            expires_at: now + ORG_CODE_LIFETIME,
            pkce: request.pkce.clone(),
            offline: request.offline,
            always_refresh_token: request.prompt_consent,
        },
        now,
    );
    store
        .org_grants
        .insert(Digest32::of(&code), account.account_id.to_owned());
    let accounts_server = shared.accounts_url(home);
    tracing::debug!(client_id = %request.client.id, %home, "organization consent accepted");
    Ok(Outcome::Redirect(redirect(&[
        ("code", &code),
        ("location", home.location()),
        ("accounts-server", &accounts_server),
    ])))
}

/// Splits an organization-level authorize URL of this sandbox into its DC and
/// parameters, as [`consent::parse_authorize_url`] does for the usual one.
pub(crate) fn parse_authorize_url(
    shared: &Shared,
    authorize_url: &str,
) -> Result<(Dc, Params), SandboxError> {
    let usual = authorize_url.replacen("/oauth/v2/org/auth", "/oauth/v2/auth", 1);
    if usual == authorize_url {
        return Err(SandboxError::InvalidAuthorizeUrl(
            "its path is not /oauth/v2/org/auth".to_owned(),
        ));
    }
    consent::parse_authorize_url(shared, &usual)
}
