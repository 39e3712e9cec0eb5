//! Retry policy: which failures are retried, and how long to wait (pure, no I/O).

use std::time::{Duration, SystemTime};

use crate::error::Error;

/// How failed requests are retried.
///
/// Retried: connection failures, timeouts and the statuses 408, 429, 500, 502, 503, 504,
/// for requests whose repetition is harmless: GET, DELETE and PATCH always; a POST only
/// when nothing was sent (the connection could not be made), because repeating a create
/// could create twice. Waits use exponential backoff with full jitter
/// (`random(0, min(cap, base * 2^n))`), or the server's `Retry-After` when it sends one
/// (capped by `max_retry_after`).
///
/// ```
/// use std::time::Duration;
/// let policy = signicat_dem::RetryPolicy::default().max_retries(4).base_delay(Duration::from_millis(100));
/// assert_eq!(policy.get_max_retries(), 4);
/// let never = signicat_dem::RetryPolicy::disabled();
/// assert_eq!(never.get_max_retries(), 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base: Duration,
    cap: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every request is attempted once.
    ///
    /// ```
    /// let p = signicat_dem::RetryPolicy::disabled();
    /// ```
    pub fn disabled() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// How many times a failed request is tried again (default 2, so 3 attempts).
    ///
    /// ```
    /// let p = signicat_dem::RetryPolicy::default().max_retries(5);
    /// ```
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The first backoff step (default 0.5 s).
    ///
    /// ```
    /// let p = signicat_dem::RetryPolicy::default().base_delay(std::time::Duration::from_millis(50));
    /// ```
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base = d;
        self
    }

    /// The largest backoff step (default 8 s).
    ///
    /// ```
    /// let p = signicat_dem::RetryPolicy::default().max_delay(std::time::Duration::from_secs(2));
    /// ```
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.cap = d;
        self
    }

    /// The longest `Retry-After` honoured (default 60 s); longer requests are cut to this.
    ///
    /// ```
    /// let p = signicat_dem::RetryPolicy::default().max_retry_after(std::time::Duration::from_secs(5));
    /// ```
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// The configured number of retries.
    ///
    /// ```
    /// assert_eq!(signicat_dem::RetryPolicy::default().get_max_retries(), 2);
    /// ```
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before retry number `retry` (0-based) after `err`, or `None` when the
    /// failure must not be retried.
    pub(crate) fn next_delay(&self, retry: u32, err: &Error, idempotent: bool) -> Option<Duration> {
        if retry >= self.max_retries || !err.is_retryable() {
            return None;
        }
        if !idempotent && !err.is_connect() {
            return None;
        }
        if let Some(ra) = err.retry_after() {
            return Some(ra.min(self.max_retry_after));
        }
        Some(self.backoff(retry))
    }

    fn backoff(&self, retry: u32) -> Duration {
        let exp = self.base.saturating_mul(1u32 << retry.min(20));
        let ceiling = exp.min(self.cap);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Parses `Retry-After`: delay-seconds or an HTTP date (a date in the past means now).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let d = parse_retry_after(&later).unwrap();
        assert!(d > Duration::from_secs(25) && d <= Duration::from_secs(30));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_is_bounded_by_cap() {
        let p = RetryPolicy::default().max_retries(30);
        for n in 0..30 {
            assert!(p.backoff(n) <= Duration::from_secs(8));
        }
    }

    #[test]
    fn posts_are_retried_only_before_sending() {
        let p = RetryPolicy::default();
        let unavailable = Error::api(503, b"", None);
        assert!(p.next_delay(0, &unavailable, true).is_some());
        assert!(p.next_delay(0, &unavailable, false).is_none());
        assert!(p.next_delay(2, &unavailable, true).is_none());
        let refused = Error::transport(true, "refused");
        assert!(p.next_delay(0, &refused, false).is_some());
        let limited = Error::api(429, b"", Some(Duration::from_secs(600)));
        assert_eq!(
            p.next_delay(0, &limited, true),
            Some(Duration::from_secs(60))
        );
        assert!(p.next_delay(0, &Error::api(400, b"", None), true).is_none());
    }
}
