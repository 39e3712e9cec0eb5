//! Async flavour helpers.

use std::time::Duration;

use futures_util::Stream;

use crate::error::Error;
use crate::nonblocking::{Pages, Transport, source::PageSource};

pub(crate) type RefreshLock = tokio::sync::Mutex<()>;

pub(crate) async fn sleep(d: Duration) {
    tokio::time::sleep(d).await;
}

pub(crate) async fn lock(m: &RefreshLock) -> tokio::sync::MutexGuard<'_, ()> {
    m.lock().await
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
