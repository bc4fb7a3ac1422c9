//! Turns what the token endpoint said into tokens or a typed error.
//!
//! Zoho reports most failures as HTTP 200 with `{"error": "..."}`, so the body is read
//! and judged before the status is trusted. Messages are built from the error code
//! only; the body itself (which might echo a token) is never shown.

use serde::Deserialize;
use time::OffsetDateTime;

use super::http::Answer;
use super::tokens::Tokens;
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::error::{host_for_message, safe_code, Error, Result};
use crate::secret::{AccessToken, RefreshToken};

/// Which grant the answer is for: the same `invalid_code` means an expired code on an
/// exchange and a dead refresh token on a refresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Grant {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
}

/// What the request was about, to word the error.
pub(crate) struct Context<'a> {
    pub env: &'a ZohoEnv,
    /// The DC whose token endpoint was asked.
    pub dc: DataCenter,
    /// For a consent flow: the DC the client was registered in, when it differs from
    /// `dc`, which makes `invalid_client` mean "wrong data center".
    pub client_dc: Option<DataCenter>,
    pub grant: Grant,
    /// The redirect URI sent, if any.
    pub redirect_uri: Option<String>,
    pub now: OffsetDateTime,
}

#[derive(Deserialize)]
struct Body {
    access_token: Option<AccessToken>,
    refresh_token: Option<RefreshToken>,
    api_domain: Option<String>,
    expires_in: Option<u64>,
    // Older answers carried the lifetime in seconds here and in milliseconds above.
    expires_in_sec: Option<u64>,
    scope: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Zoho's throttling answer: `"error":"Access Denied"` with a description about too
/// many requests, seen with HTTP 200 and 400.
fn is_throttled(error: &str, description: Option<&str>) -> bool {
    error.eq_ignore_ascii_case("Access Denied")
        && description.is_some_and(|d| d.to_ascii_lowercase().contains("too many requests"))
}

pub(crate) fn token_error(
    error: &str,
    description: Option<&str>,
    status: u16,
    ctx: &Context<'_>,
) -> Error {
    if status == 429 || is_throttled(error, description) {
        return match ctx.grant {
            Grant::AuthorizationCode => Error::CodeExchangesLimited,
            Grant::RefreshToken | Grant::ClientCredentials => Error::RateLimited,
        };
    }
    match error {
        "invalid_code" => match ctx.grant {
            Grant::AuthorizationCode | Grant::ClientCredentials => Error::CodeExpiredOrUsed,
            Grant::RefreshToken => Error::RefreshTokenRevoked,
        },
        "missing_org_info" => Error::MissingOrgInfo,
        "invalid_org_info" => Error::OrgInfoRefused {
            organization_id: String::new(),
        },
        "unauthorized_client" => Error::ClientTypeRefused,
        "invalid_scope" => Error::ScopeRefused,
        "invalid_client" => match ctx.client_dc {
            Some(client_dc) if client_dc != ctx.dc => Error::WrongDataCenter {
                client_dc,
                account_dc: ctx.dc,
            },
            _ => Error::InvalidClient { dc: ctx.dc },
        },
        "invalid_client_secret" => Error::InvalidClientSecret,
        "invalid_redirect_uri" => Error::RedirectUriMismatch {
            redirect_uri: ctx
                .redirect_uri
                .clone()
                .unwrap_or_else(|| "(none was sent)".to_owned()),
        },
        other => Error::Unexpected {
            code: safe_code(other),
        },
    }
}

/// Judges a token endpoint answer.
pub(crate) fn tokens_from(answer: &Answer, ctx: &Context<'_>) -> Result<Tokens> {
    let status = answer.status;
    if status >= 500 {
        return Err(Error::ZohoUnavailable { status });
    }
    let body: Body = match serde_json::from_slice(&answer.body) {
        Ok(body) => body,
        Err(_) if status == 429 => return Err(Error::RateLimited),
        Err(_) => return Err(Error::UnreadableResponse { status }),
    };
    if let Some(error) = body.error.as_deref() {
        return Err(token_error(
            error,
            body.error_description.as_deref(),
            status,
            ctx,
        ));
    }
    if !(200..300).contains(&status) {
        return Err(Error::Unexpected {
            code: format!("HTTP {status}"),
        });
    }
    let (Some(access_token), Some(api_domain), Some(lifetime)) = (
        body.access_token,
        body.api_domain,
        body.expires_in_sec.or(body.expires_in),
    ) else {
        return Err(Error::UnreadableResponse { status });
    };
    // An access token that is already expired, or whose expiry is past the calendar's
    // end, is not one Zoho issues; trusting it would refresh on every call or never.
    let expires_at = (lifetime > 0)
        .then(|| {
            ctx.now
                .checked_add(time::Duration::seconds(i64::try_from(lifetime).ok()?))
        })
        .flatten()
        .ok_or(Error::UnreadableResponse { status })?;
    if !ctx.env.is_trusted_api_domain(ctx.dc, &api_domain) {
        return Err(Error::UntrustedHost {
            host: host_for_message(&api_domain),
        });
    }
    Ok(Tokens {
        dc: ctx.dc,
        access_token,
        refresh_token: body.refresh_token,
        api_domain: api_domain.trim_end_matches('/').to_owned(),
        scope: body.scope,
        expires_at,
    })
}

/// How a revocation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevokeOutcome {
    /// Zoho revoked the token (and every access token minted with it).
    Revoked,
    /// Zoho did not know the token: it was already revoked, replaced or mistyped.
    /// Either way it no longer works, which is what revoking was for.
    AlreadyInvalid,
}

#[derive(Deserialize)]
struct RevokeBody {
    status: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Judges a revocation answer.
pub(crate) fn revoke_outcome(answer: &Answer, ctx: &Context<'_>) -> Result<RevokeOutcome> {
    let status = answer.status;
    if status >= 500 {
        return Err(Error::ZohoUnavailable { status });
    }
    let body: RevokeBody =
        serde_json::from_slice(&answer.body).map_err(|_| Error::UnreadableResponse { status })?;
    match (body.status.as_deref(), body.error.as_deref()) {
        (_, Some("invalid_token")) => Ok(RevokeOutcome::AlreadyInvalid),
        (_, Some(error)) => Err(token_error(
            error,
            body.error_description.as_deref(),
            status,
            ctx,
        )),
        (Some("success"), None) if (200..300).contains(&status) => Ok(RevokeOutcome::Revoked),
        _ if status == 429 => Err(Error::RateLimited),
        _ => Err(Error::UnreadableResponse { status }),
    }
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use zeroize::Zeroizing;

    use super::*;
    use crate::error::UserFacing;

    const ACCESS: &str = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210";
    const REFRESH: &str = "1000.aaaabbbbccccddddeeeeffff00001111.2222333344445555666677778888999a";

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            body: Zeroizing::new(body.as_bytes().to_vec()),
        }
    }

    fn ctx(env: &ZohoEnv, grant: Grant) -> Context<'_> {
        Context {
            env,
            dc: DataCenter::Eu,
            client_dc: None,
            grant,
            redirect_uri: Some("http://localhost:28739/zoho/callback".into()),
            now: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn success_becomes_tokens_with_an_absolute_expiry() {
        let env = ZohoEnv::Production;
        let body = format!(
            r#"{{"access_token":"{ACCESS}","refresh_token":"{REFRESH}","api_domain":"https://www.zohoapis.eu","token_type":"Bearer","expires_in":3600,"scope":"ZohoBooks.settings.READ"}}"#
        );
        let tokens =
            tokens_from(&answer(200, &body), &ctx(&env, Grant::AuthorizationCode)).unwrap();
        assert_eq!(tokens.access_token.expose(), ACCESS);
        assert_eq!(tokens.refresh_token.unwrap().expose(), REFRESH);
        assert_eq!(tokens.api_domain, "https://www.zohoapis.eu");
        assert_eq!(tokens.dc, DataCenter::Eu);
        assert_eq!(
            tokens.expires_at,
            OffsetDateTime::UNIX_EPOCH + time::Duration::hours(1)
        );
        assert_eq!(tokens.scope.as_deref(), Some("ZohoBooks.settings.READ"));
    }

    #[test]
    fn the_older_seconds_field_wins_over_milliseconds() {
        let env = ZohoEnv::Production;
        let body = format!(
            r#"{{"access_token":"{ACCESS}","api_domain":"https://www.zohoapis.eu","expires_in":3600000,"expires_in_sec":3600}}"#
        );
        let tokens = tokens_from(&answer(200, &body), &ctx(&env, Grant::RefreshToken)).unwrap();
        assert_eq!(
            tokens.expires_at,
            OffsetDateTime::UNIX_EPOCH + time::Duration::hours(1)
        );
    }

    #[test]
    fn an_impossible_lifetime_is_unreadable_not_a_panic() {
        let env = ZohoEnv::Production;
        for lifetime in ["18446744073709551615", "0"] {
            let body = format!(
                r#"{{"access_token":"{ACCESS}","api_domain":"https://www.zohoapis.eu","expires_in":{lifetime}}}"#
            );
            let err =
                tokens_from(&answer(200, &body), &ctx(&env, Grant::RefreshToken)).unwrap_err();
            assert_eq!(err.kind(), "unreadable_response", "{lifetime}");
        }
    }

    #[test]
    fn an_api_domain_outside_the_dc_is_refused() {
        let env = ZohoEnv::Production;
        for domain in [
            "https://www.zohoapis.com",
            "https://www.zohoapis.eu.evil.example",
            "http://www.zohoapis.eu",
        ] {
            let body = format!(
                r#"{{"access_token":"{ACCESS}","api_domain":"{domain}","expires_in":3600}}"#
            );
            let err =
                tokens_from(&answer(200, &body), &ctx(&env, Grant::RefreshToken)).unwrap_err();
            assert_eq!(err.kind(), "untrusted_host", "{domain}");
            assert!(!err.to_string().contains(ACCESS));
        }
    }

    #[test]
    fn http_200_error_bodies_become_typed_errors() {
        let env = ZohoEnv::Production;
        let cases = [
            (
                Grant::AuthorizationCode,
                r#"{"error":"invalid_code"}"#,
                "code_expired_or_used",
            ),
            (
                Grant::RefreshToken,
                r#"{"error":"invalid_code"}"#,
                "refresh_token_revoked",
            ),
            (
                Grant::AuthorizationCode,
                r#"{"error":"invalid_client"}"#,
                "invalid_client",
            ),
            (
                Grant::AuthorizationCode,
                r#"{"error":"invalid_client_secret"}"#,
                "invalid_client_secret",
            ),
            (
                Grant::AuthorizationCode,
                r#"{"error":"invalid_redirect_uri"}"#,
                "redirect_uri_mismatch",
            ),
            (
                Grant::RefreshToken,
                r#"{"error_description":"You have made too many requests continuously. Please try again after some time.","error":"Access Denied","status":"failure"}"#,
                "rate_limited",
            ),
            (
                Grant::RefreshToken,
                r#"{"error":"unsupported_grant_type"}"#,
                "unexpected",
            ),
            (
                Grant::RefreshToken,
                r#"{"access_token":"x"}"#,
                "unreadable_response",
            ),
            (Grant::RefreshToken, r#"<html>oops"#, "unreadable_response"),
        ];
        for (grant, body, kind) in cases {
            let err = tokens_from(&answer(200, body), &ctx(&env, grant)).unwrap_err();
            assert_eq!(err.kind(), kind, "{body}");
        }
        let throttled = r#"{"error_description":"You have made too many requests continuously. Please try again after some time.","error":"Access Denied","status":"failure"}"#;
        assert_eq!(
            tokens_from(&answer(400, throttled), &ctx(&env, Grant::RefreshToken))
                .unwrap_err()
                .kind(),
            "rate_limited"
        );
        assert_eq!(
            tokens_from(&answer(503, "{}"), &ctx(&env, Grant::RefreshToken))
                .unwrap_err()
                .kind(),
            "zoho_unavailable"
        );
    }

    #[test]
    fn invalid_client_for_an_account_elsewhere_means_wrong_data_center() {
        let env = ZohoEnv::Production;
        let mut context = ctx(&env, Grant::AuthorizationCode);
        context.client_dc = Some(DataCenter::Us);
        match tokens_from(&answer(200, r#"{"error":"invalid_client"}"#), &context) {
            Err(Error::WrongDataCenter {
                client_dc: DataCenter::Us,
                account_dc: DataCenter::Eu,
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_error_code_that_echoes_a_token_is_not_repeated() {
        let env = ZohoEnv::Production;
        let body = format!(r#"{{"error":"{REFRESH}"}}"#);
        let err = tokens_from(&answer(200, &body), &ctx(&env, Grant::RefreshToken)).unwrap_err();
        for text in [err.to_string(), format!("{err:?}"), err.hint()] {
            assert!(!text.contains(REFRESH), "{text}");
        }
    }

    #[test]
    fn revocation_outcomes() {
        let env = ZohoEnv::Production;
        let c = ctx(&env, Grant::RefreshToken);
        assert_eq!(
            revoke_outcome(&answer(200, r#"{"status":"success"}"#), &c).unwrap(),
            RevokeOutcome::Revoked
        );
        assert_eq!(
            revoke_outcome(
                &answer(400, r#"{"status":"failure","error":"invalid_token"}"#),
                &c
            )
            .unwrap(),
            RevokeOutcome::AlreadyInvalid
        );
        assert_eq!(
            revoke_outcome(&answer(200, "not json"), &c)
                .unwrap_err()
                .kind(),
            "unreadable_response"
        );
        assert_eq!(
            revoke_outcome(&answer(502, ""), &c).unwrap_err().kind(),
            "zoho_unavailable"
        );
    }
}
