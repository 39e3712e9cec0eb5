//! The request journal: every request the API side received, in arrival order.

use serde::{Deserialize, Serialize};

/// How many body bytes a journal entry keeps (the hash and length cover the whole body).
pub const JOURNAL_BODY_LIMIT: usize = 64 * 1024;

/// One request received by the emulator (Sign, DEM, token and unknown routes; never `/__mock`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// HTTP method, upper case (`GET`, `POST`, …).
    pub method: String,
    /// Raw path exactly as on the request line, still percent-encoded.
    pub path: String,
    /// Raw query string (without `?`), if the request had one.
    pub query: Option<String>,
    /// Request headers in arrival order, names lower case. The `authorization` value is masked
    /// to its scheme followed by `***` (for example `Bearer ***`).
    pub headers: Vec<(String, String)>,
    /// Number of body bytes received.
    pub body_len: u64,
    /// Lowercase hex SHA-256 of the body bytes received.
    pub body_sha256: String,
    /// The first 64 KiB of the body.
    pub body: Vec<u8>,
    /// The status the emulator answered with.
    pub status: u16,
}

impl JournalEntry {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is (and was stored in full).
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The query string decoded as `application/x-www-form-urlencoded` pairs
    /// (percent escapes decoded, `+` read as a space).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        match &self.query {
            Some(q) => form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            None => Vec::new(),
        }
    }
}

/// Masks a credential header value, keeping only its scheme.
pub(crate) fn mask_credentials(value: &str) -> String {
    match value.trim().split_once(' ') {
        Some((scheme, _)) => format!("{scheme} ***"),
        None => "***".to_string(),
    }
}
