//! Credentials and the cached OAuth2 token (state only; fetching lives in `api/execute.rs`
//! because it goes through the flavour's transport).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine;
use serde::Deserialize;

/// A string that never shows itself in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Arc<str>);

impl Secret {
    pub(crate) fn new(s: impl AsRef<str>) -> Self {
        Secret(Arc::from(s.as_ref()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How the client authenticates.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    /// A bearer token the caller obtained.
    Token(Secret),
    /// OAuth2 client credentials; tokens are fetched from the environment's token URL.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
        scope: String,
    },
}

impl Credentials {
    /// `Authorization: Basic …` for the token endpoint (RFC 6749 §2.3.1: both parts
    /// form-urlencoded before base64).
    pub(crate) fn basic_header(client_id: &str, client_secret: &Secret) -> String {
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let raw = format!("{}:{}", enc(client_id), enc(client_secret.expose()));
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

/// The token endpoint's answer.
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
}

/// Default lifetime when the token endpoint does not say (Signicat's default is 600 s).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(600);

#[derive(Clone)]
struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// The current OAuth2 token, shared by every clone of a client.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: Mutex<Option<CachedToken>>,
}

impl TokenCache {
    /// The cached token if it is not due for refresh, and not the one that just failed.
    pub(crate) fn fresh(&self, rejected: Option<&Secret>) -> Option<Secret> {
        let guard = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = guard.as_ref()?;
        if Instant::now() >= cached.refresh_at || Some(&cached.token) == rejected {
            return None;
        }
        Some(cached.token.clone())
    }

    /// Stores a new token; it is refreshed ahead of expiry by the smaller of 60 s and a
    /// tenth of its lifetime.
    pub(crate) fn store(&self, token: Secret, expires_in: Option<u64>) {
        let lifetime = expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
        let margin = (lifetime / 10).min(Duration::from_secs(60));
        let cached = CachedToken {
            token,
            refresh_at: Instant::now() + lifetime.saturating_sub(margin),
        };
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(cached);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "***");
        let c = Credentials::ClientCredentials {
            client_id: "id".into(),
            client_secret: Secret::new("hunter2"),
            scope: "signicat-api".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn basic_header_encodes_both_parts() {
        let h = Credentials::basic_header("a:b", &Secret::new("p w"));
        let b64 = h.strip_prefix("Basic ").unwrap();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(raw, b"a%3Ab:p+w");
    }

    #[test]
    fn cache_refreshes_ahead_and_skips_rejected_token() {
        let cache = TokenCache::default();
        assert!(cache.fresh(None).is_none());
        cache.store(Secret::new("t1"), Some(600));
        assert_eq!(
            cache.fresh(None).map(|s| s.expose().to_owned()),
            Some("t1".into())
        );
        assert!(cache.fresh(Some(&Secret::new("t1"))).is_none());
        cache.store(Secret::new("t2"), Some(0));
        assert!(cache.fresh(None).is_none());
    }
}
