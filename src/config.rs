//! Settings shared by both clients' builders, and per-request options.

use std::time::Duration;

use crate::auth::Credentials;
use crate::environment::Environment;
use crate::retry::RetryPolicy;

/// Default limit for one attempt, up to the end of the response headers.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on JSON (and text) bodies read into memory.
pub const DEFAULT_MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;
/// Default cap on binary bodies (documents, reports) read into memory as bytes.
pub const DEFAULT_MAX_DOWNLOAD_BYTES: u64 = 512 * 1024 * 1024;

/// Everything a builder collects; both flavours' builders wrap this.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub credentials: Option<Credentials>,
    pub environment: Environment,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
    pub max_json_bytes: u64,
    pub max_download_bytes: u64,
    pub allow_insecure_http: bool,
    pub user_agent: String,
}

impl Settings {
    pub(crate) fn new(flavour: &str) -> Self {
        Settings {
            credentials: None,
            environment: Environment::production(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_json_bytes: DEFAULT_MAX_JSON_BYTES,
            max_download_bytes: DEFAULT_MAX_DOWNLOAD_BYTES,
            allow_insecure_http: false,
            user_agent: format!("signicat-dem/{} ({flavour})", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Options for the requests of one client handle, like the Python SDK's `request_options`.
///
/// Applied with `client.with_options(…)`, which returns a cheap clone sharing the connection
/// pool and token cache. Unset fields keep the client's settings.
///
/// ```
/// use std::time::Duration;
/// use signicat_dem::RequestOptions;
/// let opts = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-correlation-id", "abc-123");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Per-attempt time limit.
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// Extra headers sent with every request (cannot replace `Authorization`).
    pub headers: Vec<(String, String)>,
    /// Extra query pairs appended to every request.
    pub query: Vec<(String, String)>,
}

impl RequestOptions {
    /// No overrides.
    ///
    /// ```
    /// let opts = signicat_dem::RequestOptions::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the per-attempt time limit.
    ///
    /// ```
    /// let opts = signicat_dem::RequestOptions::new().timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Sets the number of retries.
    ///
    /// ```
    /// let opts = signicat_dem::RequestOptions::new().max_retries(0);
    /// ```
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// Adds a header.
    ///
    /// ```
    /// let opts = signicat_dem::RequestOptions::new().header("x-request-id", "42");
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query pair.
    ///
    /// ```
    /// let opts = signicat_dem::RequestOptions::new().query("debug", "1");
    /// ```
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
}

/// How `wait_for_signing_session` polls: exponential backoff from `initial_interval` up to
/// `max_interval`, until the session is final or `timeout` has passed.
///
/// ```
/// use std::time::Duration;
/// let wait = signicat_dem::WaitOptions::new()
///     .timeout(Duration::from_secs(600))
///     .initial_interval(Duration::from_secs(1))
///     .max_interval(Duration::from_secs(15));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long (default 5 minutes).
    pub timeout: Duration,
    /// First pause between polls (default 1 s).
    pub initial_interval: Duration,
    /// Longest pause between polls (default 10 s).
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(300),
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(10),
        }
    }
}

impl WaitOptions {
    /// The defaults: 5 minutes, polling every 1 s growing to 10 s.
    ///
    /// ```
    /// let wait = signicat_dem::WaitOptions::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the overall deadline.
    ///
    /// ```
    /// let wait = signicat_dem::WaitOptions::new().timeout(std::time::Duration::from_secs(60));
    /// ```
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Sets the first pause between polls.
    ///
    /// ```
    /// let wait = signicat_dem::WaitOptions::new().initial_interval(std::time::Duration::from_millis(200));
    /// ```
    pub fn initial_interval(mut self, d: Duration) -> Self {
        self.initial_interval = d;
        self
    }

    /// Sets the longest pause between polls.
    ///
    /// ```
    /// let wait = signicat_dem::WaitOptions::new().max_interval(std::time::Duration::from_secs(30));
    /// ```
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }

    /// The pause after `polls` polls, never past the deadline.
    pub(crate) fn pause(&self, polls: u32, remaining: Duration) -> Duration {
        let grown = self.initial_interval.saturating_mul(1u32 << polls.min(16));
        grown.min(self.max_interval).min(remaining)
    }
}
