//! Where an API call may go and how the access token travels.
//!
//! Product calls go only to the `api_domain` Zoho named, after checking it is the API
//! domain of the tokens' data center; the user-info call goes only to that data
//! center's accounts server, whatever `api_domain` says. The token goes only in the
//! `Authorization` header, marked sensitive so that it is never logged.

use reqwest::header::{HeaderValue, AUTHORIZATION};
use zeroize::Zeroizing;

use crate::datacenter::ZohoEnv;
use crate::error::{host_for_message, Error, Result};
use crate::token::{Answer, Http, Tokens};

/// `path` on the tokens' API domain.
///
/// # Errors
/// [`Error::UntrustedHost`] when `tokens.api_domain` is not the API domain of
/// `tokens.dc` in `env` (an accounts server included): nothing is sent.
pub(super) fn on_api_domain(env: &ZohoEnv, tokens: &Tokens, path: &str) -> Result<String> {
    if !env.is_trusted_api_domain(tokens.dc, &tokens.api_domain) {
        return Err(Error::UntrustedHost {
            host: host_for_message(&tokens.api_domain),
        });
    }
    Ok(format!("{}{path}", tokens.api_domain.trim_end_matches('/')))
}

/// `path` on the accounts server of the tokens' data center.
pub(super) fn on_accounts_server(env: &ZohoEnv, tokens: &Tokens, path: &str) -> String {
    format!("{}{path}", env.endpoints(tokens.dc).accounts)
}

/// `GET url?query` with the access token; a 5xx answer is [`Error::ZohoUnavailable`].
///
/// # Errors
/// [`Error::InvalidAccessToken`] for a token that cannot be put in a header, and the
/// transport errors.
pub(super) async fn get(
    http: &Http,
    url: String,
    query: &[(&str, &str)],
    tokens: &Tokens,
) -> Result<Answer> {
    let mut request = http
        .client()
        .get(url)
        .header(AUTHORIZATION, authorization(tokens)?);
    if !query.is_empty() {
        request = request.query(query);
    }
    let answer = http.send(request).await?;
    if answer.status >= 500 {
        return Err(Error::ZohoUnavailable {
            status: answer.status,
        });
    }
    Ok(answer)
}

fn authorization(tokens: &Tokens) -> Result<HeaderValue> {
    let text = Zeroizing::new(format!("Zoho-oauthtoken {}", tokens.access_token.expose()));
    let mut value = HeaderValue::from_str(&text)
        // A token with a line break or other control characters cannot be a Zoho token.
        .map_err(|_| Error::InvalidAccessToken)?;
    value.set_sensitive(true);
    Ok(value)
}
