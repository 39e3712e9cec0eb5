//! One error type for every operation of both clients.
//!
//! Callers ask questions of an [`Error`] (`status()`, `problem()`, `trace_id()`,
//! `is_retryable()`, `is_timeout()`) rather than matching a deep enum; [`ErrorKind`] is
//! there for the rare caller that needs it.
//!
//! No message, `Debug` or `Display` of an error ever contains the bearer token or the
//! client secret: errors are built from statuses, response bodies of API calls and our own
//! words, never from request headers.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How many bytes of a non-problem error body are kept in an [`Error`].
pub(crate) const BODY_SNIPPET_BYTES: usize = 2048;

/// The error returned by every operation of [`Client`](crate::Client) and
/// [`AsyncClient`](crate::AsyncClient).
///
/// ```
/// # fn check(err: signicat_dem::Error) {
/// if err.status() == Some(404) {
///     println!("no such document");
/// } else if err.is_retryable() {
///     println!("try again later: {err}");
/// } else if let Some(problem) = err.problem() {
///     for p in &problem.invalid_params {
///         println!("{}: {}", p.name, p.reason);
///     }
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct Error {
    kind: ErrorKind,
    operation: Option<&'static str>,
    attempts: u32,
}

/// What went wrong, in detail. Most callers use the query methods of [`Error`] instead.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with a non-2xx status.
    Api {
        /// HTTP status code.
        status: u16,
        /// The RFC 7807 problem document, when the body was one.
        problem: Option<Box<Problem>>,
        /// The start of the raw body (at most 2 KiB, lossy UTF-8) when it was not a problem document.
        body: String,
        /// The `Retry-After` delay the server asked for, if any.
        retry_after: Option<Duration>,
    },
    /// The request never got an HTTP answer: connection refused, DNS, TLS, I/O.
    Transport {
        /// True when no connection could be made, so the request was certainly not sent.
        connect: bool,
        /// What the HTTP library reported.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The connect or request timeout expired.
    Timeout {
        /// The limit that expired.
        after: Option<Duration>,
    },
    /// A wait (e.g. `wait_for_signing_session`) reached its deadline before the awaited
    /// state; the last state seen is kept.
    StillPending {
        /// How long the wait lasted.
        after: Duration,
        /// The signing session as last fetched.
        session: Box<crate::models::SigningSession>,
    },
    /// A 2xx body could not be decoded into the expected type.
    Decode {
        /// Where in the document decoding failed (serde path, e.g. `data[3].lifecycle.state`).
        path: String,
        /// serde's message.
        message: String,
        /// The start of the body (at most 2 KiB), or empty when the body may hold a secret.
        snippet: String,
    },
    /// An auto-paginating listing stopped: the server repeated a page, or the page budget
    /// ran out.
    Pagination {
        /// What happened.
        reason: String,
    },
    /// A response body was larger than the configured limit and was not read into memory.
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The caller's input was rejected before anything was sent.
    InvalidInput {
        /// Which argument was wrong.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The client could not be built (bad base URL, missing environment variable, TLS setup).
    Config {
        /// What is wrong.
        reason: String,
    },
}

/// An RFC 7807 problem document (`application/problem+json`), Signicat's error format.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI that identifies the problem type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_uri: Option<String>,
    /// Short, human-readable summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The HTTP status the server meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Human-readable explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Machine-readable error code, e.g. `VALIDATION_ERROR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The server's trace id: quote it to Signicat support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// One entry per rejected input field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

/// One rejected input field of a [`Problem`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InvalidParam {
    /// The field, e.g. `documents[0].documentId`.
    #[serde(default)]
    pub name: String,
    /// Why it was rejected.
    #[serde(default)]
    pub reason: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error {
            kind,
            operation: None,
            attempts: 0,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput {
            field,
            reason: reason.into(),
        })
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config {
            reason: reason.into(),
        })
    }

    pub(crate) fn transport(
        connect: bool,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::new(ErrorKind::Transport {
            connect,
            source: source.into(),
        })
    }

    pub(crate) fn timeout(after: Option<Duration>) -> Self {
        Error::new(ErrorKind::Timeout { after })
    }

    /// An error for a non-2xx answer: parses a problem document when the body is one.
    pub(crate) fn api(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let problem = serde_json::from_slice::<Problem>(body)
            .ok()
            .filter(|p| p.title.is_some() || p.detail.is_some() || p.code.is_some())
            .map(Box::new);
        let body = if problem.is_some() {
            String::new()
        } else {
            snippet(body)
        };
        Error::new(ErrorKind::Api {
            status,
            problem,
            body,
            retry_after,
        })
    }

    pub(crate) fn decode(err: serde_path_to_error::Error<serde_json::Error>, body: &[u8]) -> Self {
        Error::new(ErrorKind::Decode {
            path: err.path().to_string(),
            message: err.inner().to_string(),
            snippet: snippet(body),
        })
    }

    pub(crate) fn with_operation(mut self, operation: &'static str) -> Self {
        self.operation = Some(operation);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The detailed kind of failure.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// use signicat_dem::ErrorKind;
    /// if let ErrorKind::Decode { path, .. } = err.kind() {
    ///     eprintln!("unexpected response shape at {path}");
    /// }
    /// # }
    /// ```
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The operation that failed, e.g. `get_signing_session`.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// eprintln!("{} failed", err.operation().unwrap_or("request"));
    /// # }
    /// ```
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }

    /// How many HTTP attempts were made before giving up (0 when nothing was sent).
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// eprintln!("gave up after {} attempt(s)", err.attempts());
    /// # }
    /// ```
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The HTTP status of an API error; `None` when there was no HTTP answer.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if err.status() == Some(404) { /* gone */ }
    /// # }
    /// ```
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ErrorKind::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The parsed problem document of an API error, when the server sent one.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if let Some(p) = err.problem() {
    ///     eprintln!("{:?}: {:?}", p.code, p.detail);
    /// }
    /// # }
    /// ```
    pub fn problem(&self) -> Option<&Problem> {
        match &self.kind {
            ErrorKind::Api { problem, .. } => problem.as_deref(),
            _ => None,
        }
    }

    /// The server's trace id from the problem document, for support requests.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if let Some(id) = err.trace_id() { eprintln!("trace id {id}"); }
    /// # }
    /// ```
    pub fn trace_id(&self) -> Option<&str> {
        self.problem().and_then(|p| p.trace_id.as_deref())
    }

    /// The raw error body (start of it) when the server's answer was not a problem document.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if let Some(body) = err.body() { eprintln!("server said: {body}"); }
    /// # }
    /// ```
    pub fn body(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Api { body, .. } if !body.is_empty() => Some(body),
            _ => None,
        }
    }

    /// The delay the server asked for in `Retry-After`, if any.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if let Some(d) = err.retry_after() { std::thread::sleep(d); }
    /// # }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match &self.kind {
            ErrorKind::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True when trying the same request again later may succeed: connection failures,
    /// timeouts, and the statuses 408, 429, 500, 502, 503 and 504.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if err.is_retryable() { /* schedule a retry */ }
    /// # }
    /// ```
    pub fn is_retryable(&self) -> bool {
        match &self.kind {
            ErrorKind::Api { status, .. } => is_retryable_status(*status),
            ErrorKind::Transport { .. } | ErrorKind::Timeout { .. } => true,
            _ => false,
        }
    }

    /// True when a connect or request timeout expired.
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if err.is_timeout() { eprintln!("the server is slow"); }
    /// # }
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Timeout { .. } | ErrorKind::StillPending { .. }
        )
    }

    /// The last state of a signing session a wait gave up on (see `wait_for_signing_session`).
    ///
    /// ```
    /// # fn check(err: &signicat_dem::Error) {
    /// if let Some(session) = err.last_session() {
    ///     eprintln!("still {:?}", session.state());
    /// }
    /// # }
    /// ```
    pub fn last_session(&self) -> Option<&crate::models::SigningSession> {
        match &self.kind {
            ErrorKind::StillPending { session, .. } => Some(session),
            _ => None,
        }
    }

    /// True when the request was certainly not sent (no connection could be made).
    pub(crate) fn is_connect(&self) -> bool {
        matches!(self.kind, ErrorKind::Transport { connect: true, .. })
    }

    fn render(&self) -> String {
        let mut out = String::new();
        if let Some(op) = self.operation {
            out.push_str(op);
            out.push_str(": ");
        }
        out.push_str(&self.kind.to_string());
        if self.attempts > 1 {
            out.push_str(&format!(" (after {} attempts)", self.attempts));
        }
        out
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Api {
                status,
                problem,
                body,
                ..
            } => {
                write!(f, "HTTP {status}")?;
                if let Some(p) = problem {
                    if let Some(title) = &p.title {
                        write!(f, " {title}")?;
                    }
                    if let Some(detail) = &p.detail {
                        write!(f, ": {detail}")?;
                    }
                    for ip in &p.invalid_params {
                        write!(f, "; {}: {}", ip.name, ip.reason)?;
                    }
                    if let Some(t) = &p.trace_id {
                        write!(f, " (traceId {t})")?;
                    }
                } else if !body.is_empty() {
                    write!(f, ": {}", body.chars().take(200).collect::<String>())?;
                }
                Ok(())
            }
            ErrorKind::Transport { connect, source } => {
                if *connect {
                    write!(f, "could not connect: {source}")
                } else {
                    write!(f, "transport error: {source}")
                }
            }
            ErrorKind::Timeout { after: Some(d) } => write!(f, "timed out after {d:?}"),
            ErrorKind::Timeout { after: None } => write!(f, "timed out"),
            ErrorKind::StillPending { after, session } => {
                let state = session.state().map_or("unknown", |s| s.as_str());
                write!(f, "still {state} after waiting {after:?}")
            }
            ErrorKind::Decode { path, message, .. } if path.is_empty() || path == "." => {
                write!(f, "could not decode the response: {message}")
            }
            ErrorKind::Decode { path, message, .. } => {
                write!(f, "could not decode the response at `{path}`: {message}")
            }
            ErrorKind::Pagination { reason } => write!(f, "pagination stopped: {reason}"),
            ErrorKind::BodyTooLarge { limit } => {
                write!(f, "response body larger than the {limit}-byte limit")
            }
            ErrorKind::InvalidInput { field, reason } => write!(f, "invalid {field}: {reason}"),
            ErrorKind::Config { reason } => write!(f, "configuration error: {reason}"),
        }
    }
}

/// Decodes JSON, reporting the serde path of the first mismatch.
pub(crate) fn decode_json<R: serde::de::DeserializeOwned>(body: &[u8]) -> Result<R, Error> {
    // Path tracking nearly doubles the cost of a decode (benches/load.rs, callgrind), so the
    // body is decoded plainly first and decoded again with tracking only when that fails.
    let plain = &mut serde_json::Deserializer::from_slice(body);
    if let Ok(value) = R::deserialize(plain) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| Error::decode(e, body))
}

/// Statuses worth retrying: the request may succeed unchanged later.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The start of a body as lossy UTF-8, cut at a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_SNIPPET_BYTES)];
    String::from_utf8_lossy(cut).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_body_is_parsed_and_queried() {
        let body = br#"{"type":"about:blank","title":"Bad Request","status":400,"detail":"bad","code":"VALIDATION_ERROR","traceId":"abc","invalidParams":[{"name":"title","reason":"required"}]}"#;
        let err = Error::api(400, body, None).with_operation("create_signing_session");
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.trace_id(), Some("abc"));
        assert_eq!(err.problem().map(|p| p.invalid_params.len()), Some(1));
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(text.starts_with("create_signing_session: HTTP 400 Bad Request: bad"));
        assert!(text.contains("title: required"));
    }

    #[test]
    fn non_problem_body_is_kept_as_snippet() {
        let err = Error::api(503, b"<html>down</html>", Some(Duration::from_secs(2)));
        assert!(err.problem().is_none());
        assert_eq!(err.body(), Some("<html>down</html>"));
        assert!(err.is_retryable());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn snippet_is_bounded() {
        let big = vec![b'x'; 10_000];
        assert_eq!(snippet(&big).len(), BODY_SNIPPET_BYTES);
    }
}
