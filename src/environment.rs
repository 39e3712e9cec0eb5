//! Where the two APIs live: production, a custom pair of base URLs, or the local emulator.

use std::net::IpAddr;

use http::Uri;

use crate::error::Error;

/// The base URLs of the Sign API and the DEM API.
///
/// ```
/// use signicat_dem::Environment;
/// let prod = Environment::production();
/// assert_eq!(prod.sign_base(), "https://api.signicat.com/sign");
/// let local = Environment::local("http://127.0.0.1:8080").unwrap();
/// assert_eq!(local.dem_base(), "http://127.0.0.1:8080/dem");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    sign: String,
    dem: String,
    token_url: String,
}

/// Signicat's production token endpoint for the OAuth2 client-credentials flow.
pub const PRODUCTION_TOKEN_URL: &str = "https://api.signicat.com/auth/open/connect/token";

impl Environment {
    /// Signicat's production endpoints (`https://api.signicat.com/sign` and `/dem`).
    ///
    /// ```
    /// let env = signicat_dem::Environment::production();
    /// assert_eq!(env.dem_base(), "https://api.signicat.com/dem");
    /// ```
    pub fn production() -> Self {
        Environment {
            sign: "https://api.signicat.com/sign".into(),
            dem: "https://api.signicat.com/dem".into(),
            token_url: PRODUCTION_TOKEN_URL.into(),
        }
    }

    /// Separate base URLs for each API (for example a gateway or a proxy). The token URL
    /// stays Signicat's production one; change it with [`Environment::with_token_url`].
    ///
    /// ```
    /// let env = signicat_dem::Environment::custom(
    ///     "https://gw.example.com/signicat/sign",
    ///     "https://gw.example.com/signicat/dem",
    /// )?;
    /// # Ok::<(), signicat_dem::Error>(())
    /// ```
    pub fn custom(sign_base: &str, dem_base: &str) -> Result<Self, Error> {
        Ok(Environment {
            sign: normalise(sign_base, "sign base URL")?,
            dem: normalise(dem_base, "DEM base URL")?,
            token_url: PRODUCTION_TOKEN_URL.into(),
        })
    }

    /// The layout of the local emulator (`signicat-dem-mock`): `{base}/sign`, `{base}/dem`
    /// and the token endpoint at `{base}/auth/open/connect/token`.
    ///
    /// ```
    /// let env = signicat_dem::Environment::local("http://127.0.0.1:8080/")?;
    /// assert_eq!(env.sign_base(), "http://127.0.0.1:8080/sign");
    /// # Ok::<(), signicat_dem::Error>(())
    /// ```
    pub fn local(base: &str) -> Result<Self, Error> {
        let base = normalise(base, "emulator base URL")?;
        Ok(Environment {
            sign: format!("{base}/sign"),
            dem: format!("{base}/dem"),
            token_url: format!("{base}/auth/open/connect/token"),
        })
    }

    /// The same environment with another OAuth2 token endpoint.
    ///
    /// ```
    /// let env = signicat_dem::Environment::production()
    ///     .with_token_url("https://login.example.com/token")?;
    /// assert_eq!(env.token_url(), "https://login.example.com/token");
    /// # Ok::<(), signicat_dem::Error>(())
    /// ```
    pub fn with_token_url(mut self, token_url: &str) -> Result<Self, Error> {
        self.token_url = normalise(token_url, "token URL")?;
        Ok(self)
    }

    /// Base URL of the Sign API, without a trailing slash.
    ///
    /// ```
    /// assert!(signicat_dem::Environment::production().sign_base().ends_with("/sign"));
    /// ```
    pub fn sign_base(&self) -> &str {
        &self.sign
    }

    /// Base URL of the DEM API, without a trailing slash.
    ///
    /// ```
    /// assert!(signicat_dem::Environment::production().dem_base().ends_with("/dem"));
    /// ```
    pub fn dem_base(&self) -> &str {
        &self.dem
    }

    /// The OAuth2 token endpoint.
    ///
    /// ```
    /// assert!(signicat_dem::Environment::production().token_url().starts_with("https://"));
    /// ```
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// True when every URL is https, or plain http to a loopback address.
    pub(crate) fn insecure_url(&self) -> Option<&str> {
        [&self.sign, &self.dem, &self.token_url]
            .into_iter()
            .find(|u| !is_secure_or_loopback(u))
            .map(String::as_str)
    }
}

impl Default for Environment {
    fn default() -> Self {
        Environment::production()
    }
}

/// Checks a base URL and strips its trailing slashes. Query strings, fragments and embedded
/// credentials make no sense in a base URL and are refused rather than silently dropped.
fn normalise(raw: &str, what: &'static str) -> Result<String, Error> {
    let bad = |why: &str| Error::config(format!("{what} `{raw}`: {why}"));
    if raw.contains('#') {
        return Err(bad("must not have a fragment"));
    }
    let uri: Uri = raw.parse().map_err(|e| bad(&format!("{e}")))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(bad("scheme must be http or https")),
    }
    let authority = uri.authority().ok_or_else(|| bad("no host"))?;
    if authority.as_str().contains('@') {
        return Err(bad("must not embed credentials"));
    }
    if authority.host().is_empty() {
        return Err(bad("no host"));
    }
    if uri.query().is_some() {
        return Err(bad("must not have a query"));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

fn is_secure_or_loopback(raw: &str) -> bool {
    let Ok(uri) = raw.parse::<Uri>() else {
        return false;
    };
    if uri.scheme_str() == Some("https") {
        return true;
    }
    let host = uri.host().unwrap_or_default();
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || ip.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_layout_and_trailing_slash() {
        let env = Environment::local("http://127.0.0.1:9/").unwrap();
        assert_eq!(env.sign_base(), "http://127.0.0.1:9/sign");
        assert_eq!(
            env.token_url(),
            "http://127.0.0.1:9/auth/open/connect/token"
        );
        assert_eq!(env.insecure_url(), None);
    }

    #[test]
    fn bad_urls_are_config_errors() {
        for bad in [
            "ftp://x",
            "https://x?a=1",
            "https://x#frag",
            "https://user:pw@x",
            "not a url",
            "/relative",
            "",
        ] {
            assert!(Environment::custom(bad, "https://y").is_err(), "{bad:?}");
        }
        assert!(
            Environment::local("http://[::1]:8080")
                .unwrap()
                .insecure_url()
                .is_none()
        );
        assert!(
            Environment::local("http://localhost:8080")
                .unwrap()
                .insecure_url()
                .is_none()
        );
        assert!(
            Environment::local("http://127.0.0.2")
                .unwrap()
                .insecure_url()
                .is_none()
        );
        assert!(
            Environment::local("http://10.0.0.1")
                .unwrap()
                .insecure_url()
                .is_some()
        );
    }

    #[test]
    fn plain_http_to_a_remote_host_is_flagged() {
        let env =
            Environment::custom("http://example.com/sign", "https://example.com/dem").unwrap();
        assert_eq!(env.insecure_url(), Some("http://example.com/sign"));
    }
}
