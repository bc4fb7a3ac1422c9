//! Links the app opens in the system browser. Only secure Zoho pages are opened, or,
//! in practice mode, pages of the local sandbox; anything else is refused before a
//! browser is started.

use url::Url;
use zoho_oauth_core::ZohoEnv;

use crate::error::AppError;

/// `url`, parsed, if the browser may be sent there.
///
/// # Errors
/// [`AppError::UnsafeLink`] for anything that is not `https` (or, in practice mode,
/// not on the sandbox's own origin).
pub fn checked(url: &str, env: &ZohoEnv) -> Result<Url, AppError> {
    let refuse = || AppError::UnsafeLink {
        url: url.to_owned(),
    };
    let parsed = Url::parse(url).map_err(|_| refuse())?;
    if parsed.host_str().is_none() || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse());
    }
    let allowed = match env {
        ZohoEnv::Production => parsed.scheme() == "https",
        ZohoEnv::Sandbox { base } => {
            parsed.scheme() == "https"
                || Url::parse(base).is_ok_and(|base| base.origin() == parsed.origin())
        }
    };
    allowed.then_some(parsed).ok_or_else(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_https_only_when_talking_to_zoho() {
        let env = ZohoEnv::Production;
        assert!(checked("https://api-console.zoho.eu", &env).is_ok());
        for url in [
            "http://api-console.zoho.eu",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://user@api-console.zoho.eu",
            "not a url",
            "http://127.0.0.1:8765/console",
        ] {
            assert!(
                matches!(checked(url, &env), Err(AppError::UnsafeLink { .. })),
                "{url}"
            );
        }
    }

    #[test]
    fn practice_mode_also_opens_the_sandbox_itself() {
        let env = ZohoEnv::sandbox("http://127.0.0.1:8765");
        assert!(checked("http://127.0.0.1:8765/eu/console", &env).is_ok());
        assert!(checked("https://api-console.zoho.com", &env).is_ok());
        assert!(checked("http://127.0.0.1:8766/eu/console", &env).is_err());
        assert!(checked("http://localhost:8765/eu/console", &env).is_err());
    }
}
