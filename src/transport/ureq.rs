//! Blocking transport over ureq 3 (rustls + ring).

use std::fmt;
use std::io::{self, Read, Write};

use crate::blocking::{HttpResponse, Transport};
use crate::config::Settings;
use crate::error::{Error, ErrorKind};
use crate::request::{Body, HttpRequest, Method};
use ureq::{AsSendBody, SendBody};

/// The default blocking transport: a ureq agent with a connection pool.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    /// The limits the agent was configured with; a request with other limits (a
    /// `RequestOptions` timeout) gets its own configuration.
    timeout: std::time::Duration,
    connect_timeout: std::time::Duration,
}

/// Applies the attempt's limits to a ureq config builder (agent or request scope).
///
/// Each phase after the name lookup (send request, send body, receive response, receive body)
/// gets `timeout`. Not a global timeout: ureq resolves the host on every request, pooled
/// connection or not, and with a global (or per-call or resolve) timeout it does so on a new
/// thread each time — a thread per call, which made a call 15× slower than a raw ureq request
/// (benches/load.rs); the lookup is left to the system resolver's own limits.
///
/// Every read and write is also capped at `timeout`, and the phases get `timeout` plus 50 ms,
/// so a stalled server still fails at `timeout` and a trickling one by `timeout` + 50 ms. The
/// cap is there because ureq sets the socket's timeout (a syscall) whenever the value it
/// applies changes, and a phase's remaining budget changes on every read, while the cap — which
/// applies whenever it is below the remaining budget, i.e. in the first 50 ms of a phase,
/// where a fast answer is read — does not: two syscalls fewer per call, about 7 % of a call's
/// time on loopback (benches/load.rs).
macro_rules! with_limits {
    ($builder:expr, $timeout:expr, $connect_timeout:expr) => {{
        let timeout: std::time::Duration = $timeout;
        let phase = Some(timeout.saturating_add(std::time::Duration::from_millis(50)));
        let per_io = Some(timeout);
        $builder
            .timeout_connect(Some($connect_timeout))
            .timeout_send_request(phase)
            .timeout_send_body(phase)
            .timeout_recv_response(phase)
            .timeout_recv_body(phase)
            .timeout_per_read(per_io)
            .timeout_per_write(per_io)
    }};
}

impl UreqTransport {
    pub(crate) fn new(settings: &Settings) -> Result<Self, Error> {
        let builder = ureq::Agent::config_builder()
            // Non-2xx answers are classified (and their bodies read) by the SDK.
            .http_status_as_error(false)
            // The APIs do not redirect; following one could carry the token elsewhere.
            .max_redirects(0);
        let agent = with_limits!(builder, settings.timeout, settings.connect_timeout)
            .build()
            .new_agent();
        Ok(UreqTransport {
            agent,
            timeout: settings.timeout,
            connect_timeout: settings.connect_timeout,
        })
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let mut builder = ureq::http::Request::builder()
            .method(match request.method {
                Method::Get => ureq::http::Method::GET,
                Method::Post => ureq::http::Method::POST,
                Method::Patch => ureq::http::Method::PATCH,
                Method::Delete => ureq::http::Method::DELETE,
            })
            .uri(&request.url);
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let response = match &request.body {
            Body::Empty => self.run(builder, SendBody::none(), &request)?,
            Body::Bytes { data, .. } => self.run(builder, &data[..], &request)?,
            Body::File { path, .. } => {
                let file = std::fs::File::open(path).map_err(|e| {
                    Error::invalid("path", format!("cannot open {}: {e}", path.display()))
                })?;
                let length = file.metadata().ok().map(|m| m.len());
                let builder = with_length(builder, length);
                self.run(builder, SendBody::from_owned_reader(file), &request)?
            }
            Body::Reader { reader, length, .. } => {
                let reader = reader.take().ok_or_else(already_sent)?;
                let builder = with_length(builder, *length);
                self.run(builder, SendBody::from_owned_reader(reader), &request)?
            }
            #[cfg(feature = "async")]
            Body::Stream { .. } => {
                return Err(Error::invalid(
                    "body",
                    "an async stream needs the async client",
                ));
            }
        };
        let status = response.status().as_u16();
        let headers = super::error_headers(status, response.headers());
        let content_length = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let reader = response.into_body().into_reader();
        Ok(HttpResponse {
            status,
            headers,
            body: ResponseBody {
                reader: Box::new(reader),
                content_length,
            },
        })
    }
}

impl UreqTransport {
    fn run(
        &self,
        builder: ureq::http::request::Builder,
        body: impl AsSendBody,
        request: &HttpRequest,
    ) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let http_request = builder
            .body(body)
            .map_err(|e| Error::invalid("request", format!("cannot build the request: {e}")))?;
        // Per-request configuration (a copy of the agent's) only when the limits differ from
        // the agent's.
        let http_request =
            if request.timeout == self.timeout && request.connect_timeout == self.connect_timeout {
                http_request
            } else {
                let builder = self.agent.configure_request(http_request);
                with_limits!(builder, request.timeout, request.connect_timeout).build()
            };
        self.agent
            .run(http_request)
            .map_err(|e| map_error(e, Some(request.timeout)))
    }
}

fn with_length(
    builder: ureq::http::request::Builder,
    length: Option<u64>,
) -> ureq::http::request::Builder {
    match length {
        Some(n) => builder.header("content-length", n),
        None => builder,
    }
}

fn already_sent() -> Error {
    Error::invalid("body", "a streamed body can be sent only once")
}

fn map_error(err: ureq::Error, limit: Option<std::time::Duration>) -> Error {
    match err {
        ureq::Error::Timeout(_) => Error::timeout(limit),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => Error::transport(true, err),
        ureq::Error::Io(io) => map_io(io, limit),
        other => Error::transport(false, other),
    }
}

fn map_io(err: io::Error, limit: Option<std::time::Duration>) -> Error {
    match err.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::timeout(limit),
        io::ErrorKind::ConnectionRefused => Error::transport(true, err),
        _ => {
            // ureq wraps its own errors (e.g. a timeout while reading the body) in io::Error.
            match err.downcast::<ureq::Error>() {
                Ok(inner) => map_error(inner, limit),
                Err(err) => Error::transport(false, err),
            }
        }
    }
}

/// A response body, read incrementally: implements [`std::io::Read`].
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = signicat_dem::Client::new("TOKEN")?;
/// let mut body = client.sign().get_document_stream("document-id")?;
/// let mut file = std::fs::File::create("document.pdf")?;
/// body.copy_to(&mut file)?;
/// # Ok(()) }
/// ```
pub struct ResponseBody {
    reader: Box<dyn Read + Send>,
    content_length: Option<u64>,
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody")
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl ResponseBody {
    /// A body made of bytes in memory (for custom transports and tests).
    ///
    /// ```
    /// let body = signicat_dem::blocking::ResponseBody::from_bytes(b"OK".to_vec());
    /// assert_eq!(body.read_limited(10).unwrap(), b"OK");
    /// ```
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let content_length = Some(bytes.len() as u64);
        ResponseBody {
            reader: Box::new(io::Cursor::new(bytes)),
            content_length,
        }
    }

    /// A body read from any reader (for custom transports).
    ///
    /// ```
    /// let body = signicat_dem::blocking::ResponseBody::from_reader(std::io::empty(), None);
    /// ```
    pub fn from_reader(reader: impl Read + Send + 'static, content_length: Option<u64>) -> Self {
        ResponseBody {
            reader: Box::new(reader),
            content_length,
        }
    }

    /// The announced length, if the server sent `Content-Length`.
    ///
    /// ```
    /// let body = signicat_dem::blocking::ResponseBody::from_bytes(vec![1, 2, 3]);
    /// assert_eq!(body.content_length(), Some(3));
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the whole body into memory, failing with a `BodyTooLarge` error beyond `limit`
    /// bytes (without reading more than `limit + 1`).
    ///
    /// ```
    /// let body = signicat_dem::blocking::ResponseBody::from_bytes(vec![0; 100]);
    /// assert!(body.read_limited(10).is_err());
    /// ```
    pub fn read_limited(self, limit: u64) -> Result<Vec<u8>, Error> {
        let mut buf = super::body_buffer(self.content_length, limit)?;
        self.reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| map_io(e, None))?;
        if buf.len() as u64 > limit {
            return Err(Error::new(ErrorKind::BodyTooLarge { limit }));
        }
        Ok(buf)
    }

    /// Copies the body into `writer` in bounded memory; returns the number of bytes.
    ///
    /// ```
    /// let mut body = signicat_dem::blocking::ResponseBody::from_bytes(b"abc".to_vec());
    /// let mut out = Vec::new();
    /// assert_eq!(body.copy_to(&mut out).unwrap(), 3);
    /// ```
    pub fn copy_to(&mut self, writer: &mut (impl Write + ?Sized)) -> Result<u64, Error> {
        io::copy(&mut self.reader, writer).map_err(|e| map_io(e, None))
    }
}

impl Read for ResponseBody {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf)
    }
}
