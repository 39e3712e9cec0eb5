//! Async flavour helpers.

use std::time::Duration;

use futures_util::Stream;

use bytes::Bytes;

use crate::error::Error;
use crate::models::PostDocumentResponse;
use crate::nonblocking::{Pages, Sign, Transport, source::PageSource};
use crate::request::{Body, ByteStream, OneShot};

pub(crate) type RefreshLock = tokio::sync::Mutex<()>;

pub(crate) async fn sleep(d: Duration) {
    tokio::time::sleep(d).await;
}

pub(crate) async fn lock(m: &RefreshLock) -> tokio::sync::MutexGuard<'_, ()> {
    m.lock().await
}

/// Anything an async upload can read from: every `AsyncRead + Send + 'static`.
pub trait UploadReader: tokio::io::AsyncRead + Send + 'static {
    /// The request body that streams this reader once.
    fn into_body(self, content_type: &str, length: Option<u64>) -> Body;
}

impl<R: tokio::io::AsyncRead + Send + 'static> UploadReader for R {
    fn into_body(self, content_type: &str, length: Option<u64>) -> Body {
        let stream: ByteStream = Box::pin(tokio_util::io::ReaderStream::new(self));
        stream_body(content_type, length, stream)
    }
}

fn stream_body(content_type: &str, length: Option<u64>, stream: ByteStream) -> Body {
    Body::Stream {
        content_type: content_type.to_owned(),
        length,
        stream: OneShot::new(stream),
    }
}

impl<T: Transport> Sign<'_, T> {
    /// Uploads a document from a `Stream` of byte chunks, in bounded memory
    /// (`POST /documents`). Pass `length` when you know it (sent as `Content-Length`;
    /// otherwise chunked). A stream is sent at most once: this upload is never retried.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), signicat_dem::Error> {
    /// let client = signicat_dem::AsyncClient::new("TOKEN")?;
    /// let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"%PDF-1.4 ..."))]);
    /// let doc = client.sign().upload_document_stream("application/pdf", chunks, Some(12)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn upload_document_stream(
        &self,
        content_type: &str,
        stream: impl Stream<Item = std::io::Result<Bytes>> + Send + 'static,
        length: Option<u64>,
    ) -> Result<PostDocumentResponse, Error> {
        self.upload(stream_body(content_type, length, Box::pin(stream)))
            .await
    }
}

impl<T: Transport, S: PageSource<T> + 'static> Pages<T, S> {
    /// The listing as a `Stream` of `Result`s: lazy, one page at a time, ending after the
    /// last page or after an error.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), signicat_dem::Error> {
    /// use futures_util::TryStreamExt;
    /// let client = signicat_dem::AsyncClient::new("TOKEN")?;
    /// let params = signicat_dem::models::ListSigningSessions::new();
    /// let sessions: Vec<_> = client.sign().list_all_signing_sessions(&params).into_stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> impl Stream<Item = Result<S::Item, Error>> + Send {
        futures_util::stream::try_unfold(self, |mut pages| async move {
            Ok(pages.try_next().await?.map(|item| (item, pages)))
        })
    }
}
