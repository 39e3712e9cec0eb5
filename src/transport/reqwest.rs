//! Async transport over reqwest 0.13 (rustls with ring, Mozilla's roots; no aws-lc-sys,
//! no OpenSSL, no process-wide crypto provider installed).

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use crate::config::Settings;
use crate::error::{Error, ErrorKind};
use crate::nonblocking::{HttpResponse, Transport};
use crate::request::{Body, HttpRequest, Method};

/// The default async transport: a reqwest client with a connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    pub(crate) fn new(settings: &Settings) -> Result<Self, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots =
            rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::config(format!("TLS setup: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(settings.connect_timeout)
            // The APIs do not redirect; following one could carry the token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::config(format!("HTTP client setup: {e}")))?;
        Ok(ReqwestTransport { client })
    }
}

impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .client
            .request(method, &request.url)
            .timeout(request.timeout);
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { data, .. } => builder.body(Bytes::from_owner(Arc::clone(data))),
            Body::File { path, .. } => {
                let file = tokio::fs::File::open(path).await.map_err(|e| {
                    Error::invalid("path", format!("cannot open {}: {e}", path.display()))
                })?;
                let length = file.metadata().await.ok().map(|m| m.len());
                with_length(builder, length).body(reqwest::Body::from(file))
            }
            Body::Stream { stream, length, .. } => {
                let stream = stream.take().ok_or_else(|| {
                    Error::invalid("body", "a streamed body can be sent only once")
                })?;
                with_length(builder, *length).body(reqwest::Body::wrap_stream(stream))
            }
            #[cfg(feature = "blocking")]
            Body::Reader { .. } => {
                return Err(Error::invalid(
                    "body",
                    "a blocking reader needs the blocking client",
                ));
            }
        };
        let limit = request.timeout;
        let response = builder
            .send()
            .await
            .map_err(|e| map_error(e, Some(limit)))?;
        let status = response.status().as_u16();
        let headers = super::error_headers(status, response.headers());
        let content_length = response.content_length();
        let stream = response
            .bytes_stream()
            .map(move |chunk| chunk.map_err(|e| map_error(e, Some(limit))));
        Ok(HttpResponse {
            status,
            headers,
            body: ResponseBody {
                stream: Box::pin(stream),
                content_length,
            },
        })
    }
}

fn with_length(builder: reqwest::RequestBuilder, length: Option<u64>) -> reqwest::RequestBuilder {
    match length {
        Some(n) => builder.header("content-length", n),
        None => builder,
    }
}

fn map_error(err: reqwest::Error, limit: Option<std::time::Duration>) -> Error {
    if err.is_timeout() {
        Error::timeout(limit)
    } else if err.is_connect() {
        Error::transport(true, err)
    } else if err.is_builder() {
        Error::invalid("request", format!("cannot build the request: {err}"))
    } else {
        Error::transport(false, err)
    }
}

type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A response body, read incrementally: a [`Stream`] of byte chunks.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = signicat_dem::AsyncClient::new("TOKEN")?;
/// let body = client.sign().get_document_stream("document-id").await?;
/// let mut file = tokio::fs::File::create("document.pdf").await?;
/// body.copy_to(&mut file).await?;
/// # Ok(()) }
/// ```
pub struct ResponseBody {
    stream: ByteStream,
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
    /// # async fn run() {
    /// let body = signicat_dem::nonblocking::ResponseBody::from_bytes(b"OK".to_vec());
    /// assert_eq!(body.read_limited(10).await.unwrap(), b"OK");
    /// # }
    /// ```
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let content_length = Some(bytes.len() as u64);
        let chunk = Bytes::from(bytes);
        ResponseBody {
            stream: Box::pin(futures_util::stream::once(async move { Ok(chunk) })),
            content_length,
        }
    }

    /// A body made of any stream of chunks (for custom transports).
    ///
    /// ```
    /// let body = signicat_dem::nonblocking::ResponseBody::from_stream(futures_util::stream::empty(), None);
    /// ```
    pub fn from_stream(
        stream: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
        content_length: Option<u64>,
    ) -> Self {
        ResponseBody {
            stream: Box::pin(stream),
            content_length,
        }
    }

    /// The announced length, if the server sent `Content-Length`.
    ///
    /// ```
    /// let body = signicat_dem::nonblocking::ResponseBody::from_bytes(vec![1, 2, 3]);
    /// assert_eq!(body.content_length(), Some(3));
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the whole body into memory, failing with a `BodyTooLarge` error beyond
    /// `limit` bytes (without buffering more than `limit` plus one chunk).
    ///
    /// ```
    /// # async fn run() {
    /// let body = signicat_dem::nonblocking::ResponseBody::from_bytes(vec![0; 100]);
    /// assert!(body.read_limited(10).await.is_err());
    /// # }
    /// ```
    pub async fn read_limited(mut self, limit: u64) -> Result<Vec<u8>, Error> {
        let mut buf = super::body_buffer(self.content_length, limit)?;
        while let Some(chunk) = self.stream.next().await {
            let chunk = chunk?;
            if (buf.len() + chunk.len()) as u64 > limit {
                return Err(Error::new(ErrorKind::BodyTooLarge { limit }));
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(buf)
    }

    /// Copies the body into `writer` in bounded memory; returns the number of bytes.
    ///
    /// ```
    /// # async fn run() {
    /// let body = signicat_dem::nonblocking::ResponseBody::from_bytes(b"abc".to_vec());
    /// let mut out = Vec::new();
    /// assert_eq!(body.copy_to(&mut out).await.unwrap(), 3);
    /// # }
    /// ```
    pub async fn copy_to(
        mut self,
        writer: &mut (impl tokio::io::AsyncWrite + Unpin + ?Sized),
    ) -> Result<u64, Error> {
        use tokio::io::AsyncWriteExt;
        let mut total = 0u64;
        while let Some(chunk) = self.stream.next().await {
            let chunk = chunk?;
            writer
                .write_all(&chunk)
                .await
                .map_err(|e| Error::transport(false, e))?;
            total += chunk.len() as u64;
        }
        writer
            .flush()
            .await
            .map_err(|e| Error::transport(false, e))?;
        Ok(total)
    }
}

impl Stream for ResponseBody {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}
