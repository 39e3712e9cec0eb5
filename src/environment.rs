//! Where the two APIs live: production, a custom pair of base URLs, or the local emulator.

use url::Url;

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

/// Checks a base URL and strips its trailing slashes. Query strings and fragments make no
/// sense in a base URL and are refused rather than silently dropped.
fn normalise(raw: &str, what: &'static str) -> Result<String, Error> {
    let url = Url::parse(raw).map_err(|e| Error::config(format!("{what} `{raw}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "{what} `{raw}`: scheme must be http or https"
        )));
    }
    if url.host().is_none() {
        return Err(Error::config(format!("{what} `{raw}`: no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "{what} `{raw}`: must not have a query or fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!("{what}: must not embed credentials")));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_secure_or_loopback(raw: &str) -> bool {
    let Ok(url) = Url::parse(raw) else {
        return false;
    };
    match (url.scheme(), url.host()) {
        ("https", _) => true,
        (_, Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        (_, Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        (_, Some(url::Host::Domain(d))) => d == "localhost",
        _ => false,
    }
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
        assert!(Environment::custom("ftp://x", "https://y").is_err());
        assert!(Environment::custom("https://x?a=1", "https://y").is_err());
        assert!(Environment::local("not a url").is_err());
    }

    #[test]
    fn plain_http_to_a_remote_host_is_flagged() {
        let env =
            Environment::custom("http://example.com/sign", "https://example.com/dem").unwrap();
        assert_eq!(env.insecure_url(), Some("http://example.com/sign"));
    }
}
