//! Fault injection: answer the next matching requests with an error, a delay or a cut body.

use serde::{Deserialize, Serialize};

/// A fault armed for the next `times` requests matching `method` and `path`.
///
/// ```
/// use signicat_dem_mock::Fault;
/// let f = Fault::status(Some("POST"), "/sign/documents", 503).times(2).retry_after(1);
/// assert_eq!(f.times, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// Method to match (case-insensitive); `None` matches any method.
    #[serde(default)]
    pub method: Option<String>,
    /// The raw request path (still percent-encoded) to match exactly, or a prefix ending in `*`
    /// (`/dem/*` matches every DEM route, `*` every request).
    pub path: String,
    /// How many matching requests are affected; the fault is removed afterwards.
    #[serde(default = "one")]
    pub times: u32,
    /// What happens to a matching request.
    pub action: FaultAction,
}

fn one() -> u32 {
    1
}

/// What an armed [`Fault`] does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer with `status` before the handler runs (nothing is created or changed). The body
    /// is a problem document, or a short `text/html` page when `non_json` is set. `retry_after`
    /// adds a `Retry-After` header (seconds).
    Status {
        /// HTTP status to answer with (200..=999; other values answer 500).
        status: u16,
        /// Seconds for a `Retry-After` header.
        #[serde(default)]
        retry_after: Option<u64>,
        /// Answer with a non-JSON body instead of a problem document.
        #[serde(default)]
        non_json: bool,
    },
    /// Wait this long, then answer normally.
    Delay {
        /// Milliseconds to wait.
        millis: u64,
    },
    /// Answer normally, but send only the first `bytes` bytes of the body (with the full
    /// `Content-Length`) and then abort the connection.
    CloseAfter {
        /// Body bytes sent before the connection is aborted.
        bytes: usize,
    },
}

impl Fault {
    fn new(method: Option<&str>, path: &str, action: FaultAction) -> Fault {
        Fault {
            method: method.map(|m| m.to_ascii_uppercase()),
            path: path.to_string(),
            times: 1,
            action,
        }
    }

    /// Answer the next matching request with `status` (a problem document).
    pub fn status(method: Option<&str>, path: &str, status: u16) -> Fault {
        Fault::new(
            method,
            path,
            FaultAction::Status {
                status,
                retry_after: None,
                non_json: false,
            },
        )
    }

    /// Delay the next matching request by `millis` milliseconds.
    pub fn delay(method: Option<&str>, path: &str, millis: u64) -> Fault {
        Fault::new(method, path, FaultAction::Delay { millis })
    }

    /// Cut the next matching response body after `bytes` bytes and abort the connection.
    pub fn close_after(method: Option<&str>, path: &str, bytes: usize) -> Fault {
        Fault::new(method, path, FaultAction::CloseAfter { bytes })
    }

    /// Affect the next `n` matching requests instead of one.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = n;
        self
    }

    /// Add `Retry-After: secs` to a [`FaultAction::Status`] answer (no effect on other kinds).
    pub fn retry_after(mut self, secs: u64) -> Fault {
        if let FaultAction::Status { retry_after, .. } = &mut self.action {
            *retry_after = Some(secs);
        }
        self
    }

    /// Make a [`FaultAction::Status`] answer a non-JSON body (no effect on other kinds).
    pub fn non_json(mut self) -> Fault {
        if let FaultAction::Status { non_json, .. } = &mut self.action {
            *non_json = true;
        }
        self
    }

    /// Whether this fault applies to a request.
    pub(crate) fn matches(&self, method: &str, raw_path: &str) -> bool {
        if self.times == 0 {
            return false;
        }
        if let Some(m) = &self.method
            && !m.eq_ignore_ascii_case(method)
        {
            return false;
        }
        match self.path.strip_suffix('*') {
            Some(prefix) => raw_path.starts_with(prefix),
            None => self.path == raw_path,
        }
    }
}

/// Takes the first armed fault matching the request, consuming one of its `times`.
pub(crate) fn take_matching(
    faults: &mut Vec<Fault>,
    method: &str,
    raw_path: &str,
) -> Option<FaultAction> {
    let idx = faults.iter().position(|f| f.matches(method, raw_path))?;
    let fault = &mut faults[idx];
    fault.times -= 1;
    let action = fault.action.clone();
    if fault.times == 0 {
        faults.remove(idx);
    }
    Some(action)
}
