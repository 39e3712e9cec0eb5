//! The seam between the endpoint layer and an HTTP library.
//!
//! A transport only turns an [`HttpRequest`] into an [`HttpResponse`]: auth, retries and
//! decoding happen above it, once, for both flavours.

use super::maybe_async;
use crate::error::Error;
use crate::request::HttpRequest;

pub use super::ResponseBody;

/// Sends one HTTP request. Implement it to route the SDK through your own HTTP stack
/// (a proxying client, a recorder in tests); pass it to `ClientBuilder::with_transport`.
///
/// The transport must not follow redirects with the `Authorization` header to another
/// host, and should map its time-outs to an error whose `is_timeout()` is true.
#[maybe_async(AFIT)]
pub trait Transport: Send + Sync + 'static {
    /// Sends the request and returns the response with its body unread.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl std::future::Future<Output = Result<HttpResponse, Error>> + Send;
}

/// A response whose body has not been read yet.
#[derive(Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body, read lazily.
    pub body: ResponseBody,
}

impl HttpResponse {
    /// The value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
