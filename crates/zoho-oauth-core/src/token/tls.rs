//! Telling a refused certificate apart from other connection failures, and naming the
//! proxy that is probably the reason.
//!
//! A firm's proxy or antivirus program that inspects secure connections shows its own
//! certificate instead of Zoho's. When its root is not in the system's store, the
//! connection fails in the TLS handshake, before anything is sent; "could not reach
//! Zoho" would send the user to check a network that works. reqwest reports it as a
//! connection error, so the cause is found by walking the error chain down to rustls.

use std::error::Error as StdError;

/// Whether `error` (or anything it was caused by) is rustls refusing the certificate
/// the server showed.
pub(crate) fn is_certificate_refusal(error: &reqwest::Error) -> bool {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(cause) = current {
        if is_refused_certificate(cause) {
            return true;
        }
        // `io::Error` hides its inner error from `source()`: look inside it.
        if let Some(inner) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            if is_refused_certificate(inner) {
                return true;
            }
        }
        current = cause.source();
    }
    false
}

fn is_refused_certificate(error: &(dyn StdError + 'static)) -> bool {
    match error.downcast_ref::<rustls::Error>() {
        Some(rustls::Error::InvalidCertificate(_)) => true,
        Some(_) => false,
        // A rustls of another version than this crate's would not downcast; its text
        // still says so.
        None => error.to_string().contains("invalid peer certificate"),
    }
}

/// The host of the proxy that secure connections are configured to go through
/// (`HTTPS_PROXY`, then `ALL_PROXY`, in upper or lower case, as reqwest reads them);
/// never its port, user name or password.
pub(crate) fn configured_proxy_host() -> Option<String> {
    ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .and_then(|value| proxy_host(&value))
}

/// The host of a proxy setting such as `http://user:pass@proxy.firm.example:3128` or
/// `proxy.firm.example:3128` (a scheme is optional in these variables).
pub(crate) fn proxy_host(value: &str) -> Option<String> {
    let value = value.trim();
    let with_scheme = if value.contains("://") {
        value.to_owned()
    } else {
        format!("http://{value}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    let host = match url.host()? {
        url::Host::Domain(domain) => domain.to_owned(),
        url::Host::Ipv4(ip) => ip.to_string(),
        url::Host::Ipv6(ip) => ip.to_string(),
    };
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_settings_are_reduced_to_their_host() {
        let cases = [
            ("http://proxy.firm.example:3128", Some("proxy.firm.example")),
            (
                "http://jane:s3cret@proxy.firm.example:3128/",
                Some("proxy.firm.example"),
            ),
            ("proxy.firm.example:8080", Some("proxy.firm.example")),
            ("jane:s3cret@10.0.0.5:8080", Some("10.0.0.5")),
            ("socks5://[::1]:1080", Some("::1")),
            ("  https://proxy.firm.example  ", Some("proxy.firm.example")),
            ("", None),
            ("http://", None),
        ];
        for (value, expected) in cases {
            assert_eq!(proxy_host(value).as_deref(), expected, "{value:?}");
        }
    }

    #[test]
    fn only_certificate_errors_count_as_refusals() {
        let refused = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        assert!(is_refused_certificate(&refused));
        let wrapped = std::io::Error::new(std::io::ErrorKind::InvalidData, refused);
        assert!(is_refused_certificate(wrapped.get_ref().unwrap()));
        assert!(!is_refused_certificate(&rustls::Error::DecryptError));
        let refused_connection = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(!is_refused_certificate(&refused_connection));
    }
}
