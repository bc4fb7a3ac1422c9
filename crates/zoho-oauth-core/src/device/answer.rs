//! Judges the device flow's two answers. As at the token endpoint, Zoho answers the
//! flow's states with HTTP 200 and `{"error": "..."}`, so the body is read before the
//! status is trusted, and messages come from error codes only, never from the body.

use std::time::Duration;

use serde::Deserialize;
use url::Url;

use super::DEFAULT_INTERVAL;
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::error::{host_for_message, Error, Result};
use crate::secret::DeviceCode;
use crate::token::{token_error, tokens_from, Answer, Context, Grant, Tokens};

/// A lifetime this large cannot be seconds: some Zoho answers give milliseconds.
const LONGEST_PLAUSIBLE_SECONDS: u64 = 24 * 3600;

pub(super) struct Codes {
    pub(super) user_code: String,
    pub(super) device_code: DeviceCode,
    pub(super) verification_url: String,
    pub(super) verification_url_complete: Option<String>,
    pub(super) expires_in: Duration,
    pub(super) interval: Duration,
}

#[derive(Deserialize)]
struct CodesBody {
    user_code: Option<String>,
    device_code: Option<DeviceCode>,
    verification_url: Option<String>,
    verification_uri_complete: Option<String>,
    expires_in: Option<u64>,
    interval: Option<u64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Judges the answer of `POST /oauth/v3/device/code`.
pub(super) fn codes_from(answer: &Answer, env: &ZohoEnv, dc: DataCenter) -> Result<Codes> {
    let status = answer.status;
    if status >= 500 {
        return Err(Error::ZohoUnavailable { status });
    }
    let body: CodesBody =
        serde_json::from_slice(&answer.body).map_err(|_| Error::UnreadableResponse { status })?;
    if let Some(error) = body.error.as_deref() {
        if error == "unauthorized_client" {
            return Err(Error::NotADeviceClient);
        }
        let ctx = Context {
            env,
            dc,
            client_dc: None,
            grant: Grant::AuthorizationCode,
            redirect_uri: None,
            now: time::OffsetDateTime::now_utc(),
        };
        return Err(token_error(
            error,
            body.error_description.as_deref(),
            status,
            &ctx,
        ));
    }
    let (Some(user_code), Some(device_code), Some(verification_url), Some(expires_in)) = (
        body.user_code.filter(|c| is_plain_code(c)),
        body.device_code.filter(|c| !c.is_empty()),
        body.verification_url,
        body.expires_in.filter(|s| *s > 0),
    ) else {
        return Err(Error::UnreadableResponse { status });
    };
    let expires_in = if expires_in > LONGEST_PLAUSIBLE_SECONDS {
        expires_in / 1000
    } else {
        expires_in
    };
    Ok(Codes {
        user_code,
        device_code,
        verification_url: trusted_page(env, &verification_url)?,
        verification_url_complete: body
            .verification_uri_complete
            .map(|url| trusted_page(env, &url))
            .transpose()?,
        expires_in: Duration::from_secs(expires_in),
        interval: body
            .interval
            .filter(|s| *s > 0)
            .map_or(DEFAULT_INTERVAL, Duration::from_secs),
    })
}

/// A user code is read out over the phone and shown large: letters, digits and dashes.
fn is_plain_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The app opens this page in the browser and people read it out: only a page on one of
/// this environment's accounts servers is acceptable.
fn trusted_page(env: &ZohoEnv, url: &str) -> Result<String> {
    let untrusted = || Error::UntrustedHost {
        host: host_for_message(url),
    };
    let parsed = Url::parse(url.trim()).map_err(|_| untrusted())?;
    let origin = parsed.origin().ascii_serialization();
    let path_ok =
        parsed.path() == "/oauth/v3/device" || parsed.path().ends_with("/oauth/v3/device");
    let trusted = DataCenter::ALL.iter().any(|dc| {
        let accounts = env.endpoints(*dc).accounts;
        url.trim().starts_with(&format!("{accounts}/")) && accounts.starts_with(&origin)
    });
    if trusted && path_ok {
        Ok(parsed.to_string())
    } else {
        Err(untrusted())
    }
}

/// One poll's outcome, when it is not a failure.
pub(super) enum PollAnswer {
    Tokens(Tokens),
    Pending,
    SlowDown,
    Denied,
    Expired,
    /// `user_location`, as Zoho sent it.
    OtherDc(String),
}

#[derive(Deserialize)]
struct PollBody {
    error: Option<String>,
    user_location: Option<String>,
}

/// Judges the answer of `POST /oauth/v3/device/token`.
pub(super) fn poll_answer(answer: &Answer, ctx: &Context<'_>) -> Result<PollAnswer> {
    let status = answer.status;
    if status < 500 {
        if let Ok(body) = serde_json::from_slice::<PollBody>(&answer.body) {
            match body.error.as_deref() {
                Some("authorization_pending") => return Ok(PollAnswer::Pending),
                Some("slow_down") => return Ok(PollAnswer::SlowDown),
                Some("access_denied") => return Ok(PollAnswer::Denied),
                Some("expired" | "expired_token") => return Ok(PollAnswer::Expired),
                Some("other_dc") => {
                    return Ok(PollAnswer::OtherDc(body.user_location.unwrap_or_default()))
                }
                _ => {}
            }
        }
    }
    let tokens = tokens_from(answer, ctx)?;
    if tokens.refresh_token.is_none() {
        return Err(Error::NoRefreshToken);
    }
    Ok(PollAnswer::Tokens(tokens))
}

#[cfg(test)]
mod tests {
    use zeroize::Zeroizing;

    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            body: Zeroizing::new(body.as_bytes().to_vec()),
        }
    }

    #[test]
    fn the_page_must_be_an_accounts_server_of_the_environment() {
        let env = ZohoEnv::Production;
        assert_eq!(
            trusted_page(&env, "https://accounts.zoho.eu/oauth/v3/device").ok(),
            Some("https://accounts.zoho.eu/oauth/v3/device".to_owned())
        );
        for bad in [
            "https://accounts.zoho.eu.evil.example/oauth/v3/device",
            "http://accounts.zoho.com/oauth/v3/device",
            "https://www.zohoapis.com/oauth/v3/device",
            "https://accounts.zoho.com/somewhere/else",
            "javascript:alert(1)",
        ] {
            assert!(trusted_page(&env, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_need_every_field_and_a_readable_user_code() {
        let env = ZohoEnv::Production;
        let good = r#"{"user_code":"ABCD-EFGH","device_code":"1004.x.y","verification_url":"https://accounts.zoho.com/oauth/v3/device","expires_in":300,"interval":30}"#;
        let codes = codes_from(&answer(200, good), &env, DataCenter::Us).expect("valid");
        assert_eq!(codes.expires_in, Duration::from_secs(300));
        assert_eq!(codes.interval, Duration::from_secs(30));
        let in_ms = good.replace("300,", "300000,");
        let codes = codes_from(&answer(200, &in_ms), &env, DataCenter::Us).expect("valid");
        assert_eq!(codes.expires_in, Duration::from_secs(300));
        let odd_code = good.replace("ABCD-EFGH", "<b>hi</b>");
        assert!(matches!(
            codes_from(&answer(200, &odd_code), &env, DataCenter::Us),
            Err(Error::UnreadableResponse { .. })
        ));
        assert!(matches!(
            codes_from(
                &answer(200, r#"{"error":"unauthorized_client"}"#),
                &env,
                DataCenter::Us
            ),
            Err(Error::NotADeviceClient)
        ));
    }
}
