//! The transport-neutral description of one HTTP request.
//!
//! An endpoint builds a `RequestSpec` (which API, which path segments, which query pairs,
//! which body); the pipeline in `api/execute.rs` turns it into an [`HttpRequest`] with an
//! absolute, fully encoded URL and the auth headers, which either transport sends as it is.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::environment::Environment;
use crate::error::Error;

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so an
/// id can never add a segment (`/`), start a query (`?`) or fragment (`#`), or smuggle an
/// escape (`%`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// HTTP methods the two APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    ///
    /// ```
    /// assert_eq!(signicat_dem::Method::Patch.as_str(), "PATCH");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which API a request goes to; picks the base URL from the [`Environment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Sign,
    Dem,
}

/// A request body. Bytes and files can be sent again on a retry (a file is re-opened for
/// each attempt); a reader or stream is sent at most once.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes with their content type (JSON bodies are `application/json`).
    Bytes {
        /// The `Content-Type` header to send.
        content_type: String,
        /// The bytes, shared between attempts.
        data: Arc<[u8]>,
    },
    /// A file, streamed from disk in bounded memory and re-opened for each attempt.
    File {
        /// The `Content-Type` header to send.
        content_type: String,
        /// The file's path.
        path: PathBuf,
    },
    /// A blocking reader, streamed once.
    #[cfg(feature = "blocking")]
    Reader {
        /// The `Content-Type` header to send.
        content_type: String,
        /// The length, when known (sent as `Content-Length`; otherwise chunked).
        length: Option<u64>,
        /// The reader; taken by the attempt that sends it.
        reader: OneShot<Box<dyn std::io::Read + Send>>,
    },
    /// An async byte stream, streamed once.
    #[cfg(feature = "async")]
    Stream {
        /// The `Content-Type` header to send.
        content_type: String,
        /// The length, when known (sent as `Content-Length`; otherwise chunked).
        length: Option<u64>,
        /// The stream; taken by the attempt that sends it.
        stream: OneShot<ByteStream>,
    },
}

/// A stream of body chunks for async uploads.
#[cfg(feature = "async")]
pub type ByteStream = std::pin::Pin<
    Box<dyn futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static>,
>;

/// A value that the first attempt takes; later attempts find it gone.
pub struct OneShot<T>(Arc<Mutex<Option<T>>>);

impl<T> OneShot<T> {
    /// Wraps a value to be taken once.
    ///
    /// ```
    /// let once = signicat_dem::request::OneShot::new(5);
    /// assert_eq!(once.take(), Some(5));
    /// assert_eq!(once.take(), None);
    /// ```
    pub fn new(value: T) -> Self {
        OneShot(Arc::new(Mutex::new(Some(value))))
    }

    /// Takes the value, if no one has yet.
    ///
    /// ```
    /// let once = signicat_dem::request::OneShot::new("x");
    /// assert!(once.take().is_some());
    /// ```
    pub fn take(&self) -> Option<T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

impl<T> Clone for OneShot<T> {
    fn clone(&self) -> Self {
        OneShot(Arc::clone(&self.0))
    }
}

impl Body {
    /// The `Content-Type` to send, if there is a body.
    ///
    /// ```
    /// assert_eq!(signicat_dem::Body::Empty.content_type(), None);
    /// ```
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Body::Empty => None,
            Body::Bytes { content_type, .. } | Body::File { content_type, .. } => {
                Some(content_type)
            }
            #[cfg(feature = "blocking")]
            Body::Reader { content_type, .. } => Some(content_type),
            #[cfg(feature = "async")]
            Body::Stream { content_type, .. } => Some(content_type),
        }
    }

    /// The bytes of a `Bytes` body (empty for any other kind).
    ///
    /// ```
    /// assert!(signicat_dem::Body::Empty.bytes().is_empty());
    /// ```
    pub fn bytes(&self) -> &[u8] {
        match self {
            Body::Bytes { data, .. } => data,
            _ => &[],
        }
    }

    /// True when a second attempt can send the same body again.
    ///
    /// ```
    /// assert!(signicat_dem::Body::Empty.is_rewindable());
    /// ```
    pub fn is_rewindable(&self) -> bool {
        matches!(self, Body::Empty | Body::Bytes { .. } | Body::File { .. })
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes { content_type, data } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("len", &data.len())
                .finish(),
            Body::File { content_type, path } => f
                .debug_struct("File")
                .field("content_type", content_type)
                .field("path", path)
                .finish(),
            #[cfg(feature = "blocking")]
            Body::Reader {
                content_type,
                length,
                ..
            } => f
                .debug_struct("Reader")
                .field("content_type", content_type)
                .field("length", length)
                .finish_non_exhaustive(),
            #[cfg(feature = "async")]
            Body::Stream {
                content_type,
                length,
                ..
            } => f
                .debug_struct("Stream")
                .field("content_type", content_type)
                .field("length", length)
                .finish_non_exhaustive(),
        }
    }
}

/// One HTTP request as a transport sends it: absolute URL, headers, body and time limit.
///
/// Custom transports (see `ClientBuilder::with_transport`) receive this. Its `Debug` output
/// masks the `Authorization` header.
#[derive(Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// Absolute URL, already percent-encoded.
    pub url: String,
    /// Header names (lower case) and values, `Authorization` included.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
    /// Limit for the whole exchange, up to the end of the response headers.
    pub timeout: Duration,
    /// Limit for establishing the connection.
    pub connect_timeout: Duration,
}

impl HttpRequest {
    /// The value of a header (names compare case-insensitively).
    ///
    /// ```
    /// # fn f(req: &signicat_dem::HttpRequest) {
    /// let ua = req.header("user-agent");
    /// # }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let masked = k.eq_ignore_ascii_case("authorization");
                (k.as_str(), if masked { "***" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What an endpoint wants sent, before the environment, auth and limits are applied.
#[derive(Debug, Clone)]
pub(crate) struct RequestSpec {
    pub operation: &'static str,
    pub method: Method,
    pub api: Api,
    pub segments: Vec<String>,
    /// The path with ids as `{name}`: safe to log.
    pub template: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Body,
    /// True when repeating the request cannot change the outcome (GET, DELETE, PATCH with
    /// the same value). POST creates are not, unless they carry a client-chosen id.
    pub idempotent: bool,
}

impl RequestSpec {
    pub(crate) fn new(operation: &'static str, method: Method, api: Api) -> Self {
        RequestSpec {
            operation,
            idempotent: method != Method::Post,
            method,
            template: match api {
                Api::Sign => "/sign".to_owned(),
                Api::Dem => "/dem".to_owned(),
            },
            api,
            segments: Vec::new(),
            query: Vec::new(),
            body: Body::Empty,
        }
    }

    /// A fixed path segment, written by us (no user data).
    pub(crate) fn path(mut self, segment: &'static str) -> Self {
        self.template.push('/');
        self.template.push_str(segment);
        self.segments.push(segment.to_owned());
        self
    }

    /// A path segment that comes from the caller: refused when empty or a dot segment
    /// (no encoding keeps `.`/`..` from being normalised away by URL parsers).
    pub(crate) fn id(mut self, field: &'static str, value: &str) -> Result<Self, Error> {
        if value.is_empty() {
            return Err(Error::invalid(field, "must not be empty"));
        }
        if value == "." || value == ".." {
            return Err(Error::invalid(
                field,
                "`.` and `..` cannot be addressed as a path segment",
            ));
        }
        self.template.push_str("/{");
        self.template.push_str(field);
        self.template.push('}');
        self.segments.push(value.to_owned());
        Ok(self)
    }

    pub(crate) fn query(mut self, pairs: Vec<(&'static str, String)>) -> Self {
        self.query = pairs;
        self
    }

    pub(crate) fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self, Error> {
        let data = serde_json::to_vec(value)
            .map_err(|e| Error::invalid("body", format!("cannot be encoded as JSON: {e}")))?;
        self.body = Body::Bytes {
            content_type: "application/json".into(),
            data: data.into(),
        };
        Ok(self)
    }

    /// A caller-supplied body (an upload); its content type is checked first.
    pub(crate) fn body(mut self, body: Body) -> Result<Self, Error> {
        check_content_type(body.content_type().unwrap_or_default())?;
        self.body = body;
        Ok(self)
    }

    pub(crate) fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// The absolute URL: base, every segment percent-encoded, then the query.
    pub(crate) fn url(&self, env: &Environment) -> String {
        let base = match self.api {
            Api::Sign => env.sign_base(),
            Api::Dem => env.dem_base(),
        };
        let mut url = String::with_capacity(base.len() + 64);
        url.push_str(base);
        for s in &self.segments {
            url.push('/');
            url.extend(utf8_percent_encode(s, COMPONENT));
        }
        append_query(
            &mut url,
            self.query.iter().map(|(k, v)| (*k, v.as_str())),
            false,
        );
        url
    }
}

/// Appends `?k=v&k=v` (form style, exploded, every value percent-encoded: `+` becomes `%2B`);
/// continues with `&` when the URL already has a query.
pub(crate) fn append_query<'a>(
    url: &mut String,
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
    has_query: bool,
) {
    for (i, (k, v)) in pairs.enumerate() {
        url.push(if i == 0 && !has_query { '?' } else { '&' });
        url.extend(utf8_percent_encode(k, COMPONENT));
        url.push('=');
        url.extend(utf8_percent_encode(v, COMPONENT));
    }
}

/// Encodes one path segment exactly as the SDK sends it.
///
/// ```
/// assert_eq!(signicat_dem::encode_segment("a/b?c"), "a%2Fb%3Fc");
/// ```
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, COMPONENT).to_string()
}

/// A header value must be visible ASCII (a `type/subtype` media type here); anything else
/// could split the header or be refused by the HTTP library mid-flight.
pub(crate) fn check_content_type(ct: &str) -> Result<(), Error> {
    let valid_chars = ct.bytes().all(|b| (0x20..0x7f).contains(&b));
    let (kind, rest) = ct.split_once('/').unwrap_or(("", ""));
    let subtype = rest.split(';').next().unwrap_or("").trim();
    if !valid_chars || kind.trim().is_empty() || subtype.is_empty() || kind.contains(' ') {
        return Err(Error::invalid(
            "content_type",
            format!(
                "`{}` is not a media type like application/pdf",
                ct.escape_debug()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment::local("http://127.0.0.1:1").unwrap()
    }

    #[test]
    fn hostile_ids_stay_in_their_segment() {
        for (id, enc) in [
            ("../x", "..%2Fx"),
            ("a/b", "a%2Fb"),
            ("x?y=1", "x%3Fy%3D1"),
            ("x#y", "x%23y"),
            ("%2e%2e", "%252e%252e"),
            ("a b", "a%20b"),
        ] {
            let spec = RequestSpec::new("op", Method::Get, Api::Sign)
                .path("documents")
                .id("document_id", id)
                .unwrap();
            assert_eq!(
                spec.url(&env()),
                format!("http://127.0.0.1:1/sign/documents/{enc}")
            );
        }
    }

    #[test]
    fn dot_segments_and_empty_ids_are_refused() {
        for id in ["", ".", ".."] {
            let r = RequestSpec::new("op", Method::Get, Api::Sign).id("id", id);
            assert!(r.is_err(), "{id:?}");
        }
    }

    #[test]
    fn query_is_form_exploded_and_plus_is_encoded() {
        let spec = RequestSpec::new("op", Method::Get, Api::Sign)
            .path("signing-sessions")
            .query(vec![
                ("limit", "10".into()),
                ("sort", "+dueDate".into()),
                ("sort", "-createdAt".into()),
            ]);
        assert_eq!(
            spec.url(&env()),
            "http://127.0.0.1:1/sign/signing-sessions?limit=10&sort=%2BdueDate&sort=-createdAt"
        );
    }

    #[test]
    fn content_types_are_checked() {
        assert!(check_content_type("application/pdf").is_ok());
        assert!(check_content_type("text/plain; charset=utf-8").is_ok());
        for bad in [
            "",
            "pdf",
            "application/",
            "text/plain\r\nX-Evil: 1",
            "a b/c",
        ] {
            assert!(check_content_type(bad).is_err(), "{bad:?}");
        }
    }
}
