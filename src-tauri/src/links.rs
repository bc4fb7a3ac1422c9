//! Links the app opens in the system browser. Only Zoho's own pages are opened (the
//! exact `https` origins of the data-center table's accounts servers and API Consoles),
//! or, in practice mode, pages of the local sandbox; anything else is refused before a
//! browser is started.

use url::Url;
use zoho_oauth_core::{DataCenter, ZohoEnv};

use crate::error::AppError;

/// `url`, parsed, if the browser may be sent there.
///
/// # Errors
/// [`AppError::UnsafeLink`] for anything that is not one of Zoho's pages (in practice
/// mode: not on the sandbox's own origin).
pub fn checked(url: &str, env: &ZohoEnv) -> Result<Url, AppError> {
    let refuse = || AppError::UnsafeLink {
        url: url.to_owned(),
    };
    let parsed = Url::parse(url).map_err(|_| refuse())?;
    if parsed.host_str().is_none() || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse());
    }
    let allowed = match env {
        ZohoEnv::Production => DataCenter::ALL.into_iter().any(|dc| {
            [dc.accounts_server(), dc.api_console()]
                .into_iter()
                .any(|page| Url::parse(page).is_ok_and(|page| page.origin() == parsed.origin()))
        }),
        ZohoEnv::Sandbox { base } => {
            Url::parse(base).is_ok_and(|base| base.origin() == parsed.origin())
        }
    };
    allowed.then_some(parsed).ok_or_else(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_only_zohos_own_pages_when_talking_to_zoho() {
        let env = ZohoEnv::Production;
        assert!(checked("https://api-console.zoho.eu", &env).is_ok());
        assert!(checked("https://accounts.zoho.com/oauth/v2/auth?scope=x", &env).is_ok());
        assert!(checked("https://api-console.zoho.ae/", &env).is_ok());
        for url in [
            "https://example.com",
            "https://accounts.zoho.com.evil.example/",
            "https://accounts.zoho.com:8443/",
            "https://www.zohoapis.com/books/v3/organizations",
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
    fn practice_mode_opens_the_sandbox_itself_and_nothing_else() {
        let env = ZohoEnv::sandbox("http://127.0.0.1:8765");
        assert!(checked("http://127.0.0.1:8765/eu/console", &env).is_ok());
        assert!(checked("https://api-console.zoho.com", &env).is_err());
        assert!(checked("http://127.0.0.1:8766/eu/console", &env).is_err());
        assert!(checked("http://localhost:8765/eu/console", &env).is_err());
    }
}
