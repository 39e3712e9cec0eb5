//! Auto-paginating listings: lazy, one page at a time, stopping on a short or empty page,
//! and guarded against a server that never ends. The blocking flavour adds `Iterator`, the
//! async one `into_stream()`.

use super::client::Client;
use super::maybe_async;
use super::transport::Transport;
use crate::error::Error;
use crate::models::dem::{QueryRecords, RecordResponse};
use crate::models::sign::{ListSigningSessions, SigningSession};
use crate::pagination::{Cursor, DEFAULT_MAX_PAGES};

/// Page size asked for when the caller sets none: the server's default for sessions.
const DEFAULT_PAGE_SIZE: u32 = 100;

/// Every item of a paginated listing, fetched one page at a time.
///
/// `SigningSessionPages` (from `client.sign().list_all_signing_sessions(&params)`) walks
/// `limit` / `offset`; `RecordPages` (from `client.dem().query_all(&query)`) walks
/// `page` / `size`.
pub struct Pages<T: Transport, S: source::PageSource<T>> {
    client: Client<T>,
    source: S,
    cursor: Cursor<S::Item>,
    seen: u64,
}

/// Every signing session of a listing.
pub type SigningSessionPages<T> = Pages<T, source::Sessions>;
/// Every record a DEM query matches.
pub type RecordPages<T> = Pages<T, source::Records>;

impl<T: Transport, S: source::PageSource<T>> Pages<T, S> {
    pub(crate) fn new(client: Client<T>, source: S, start: u64, page_size: u32) -> Self {
        Pages {
            client,
            source,
            cursor: Cursor::new(start, page_size.into(), DEFAULT_MAX_PAGES),
            seen: 0,
        }
    }

    /// Stop with an error after `pages` pages (default 10,000) rather than follow a server
    /// that never ends.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.cursor = Cursor::new(self.cursor.next, self.cursor.page_size, pages.max(1));
        self
    }

    /// The next item, fetching the next page when the current one is used up; `None` at the
    /// end. After an error the listing stops.
    #[maybe_async]
    pub async fn try_next(&mut self) -> Result<Option<S::Item>, Error> {
        loop {
            if let Some(item) = self.cursor.pop() {
                return Ok(Some(item));
            }
            if self.cursor.is_done() {
                return Ok(None);
            }
            let page = match self.source.fetch(&self.client, self.cursor.next).await {
                Ok(page) => page,
                Err(e) => {
                    self.cursor.stop();
                    return Err(e);
                }
            };
            let n = page.items.len() as u64;
            let advance = if S::BY_OFFSET { n } else { 1 };
            self.cursor
                .accept(page.items, page.ids, page.total, advance, self.seen)?;
            self.seen += n;
        }
    }
}

impl<T: Transport> Pages<T, source::Sessions> {
    pub(crate) fn sessions(client: Client<T>, params: &ListSigningSessions) -> Self {
        let size = params.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        let source = source::Sessions(params.clone().limit(size));
        Pages::new(client, source, params.offset.unwrap_or(0), size)
    }
}

impl<T: Transport> Pages<T, source::Records> {
    pub(crate) fn records(client: Client<T>, query: &QueryRecords) -> Self {
        let size = query.size.unwrap_or(DEFAULT_PAGE_SIZE);
        let source = source::Records(query.clone().size(size));
        Pages::new(client, source, query.page.unwrap_or(0).into(), size)
    }
}

/// What each listing fetches. Public only so the `Pages` aliases can name it.
pub mod source {
    use super::super::client::Client;
    use super::super::maybe_async;
    use super::super::transport::Transport;
    use super::{ListSigningSessions, QueryRecords, RecordResponse, SigningSession};
    use crate::error::Error;

    /// One fetched page.
    pub struct Page<I> {
        pub(crate) items: Vec<I>,
        pub(crate) ids: Vec<String>,
        pub(crate) total: Option<u64>,
    }

    /// How a listing fetches the page at a position (an offset or a page number).
    #[maybe_async(AFIT)]
    pub trait PageSource<T: Transport>: Send + Sync {
        /// The listed item.
        type Item: Send;
        /// True when the position is a row offset, false when it is a page number.
        const BY_OFFSET: bool;
        /// Fetches the page at `position`.
        fn fetch(
            &self,
            client: &Client<T>,
            position: u64,
        ) -> impl std::future::Future<Output = Result<Page<Self::Item>, Error>> + Send;
    }

    /// `GET /signing-sessions` with `limit` / `offset`.
    pub struct Sessions(pub(crate) ListSigningSessions);

    /// `POST /records/query` with `page` / `size`.
    pub struct Records(pub(crate) QueryRecords);

    #[maybe_async(AFIT)]
    impl<T: Transport> PageSource<T> for Sessions {
        type Item = SigningSession;
        const BY_OFFSET: bool = true;

        async fn fetch(
            &self,
            client: &Client<T>,
            position: u64,
        ) -> Result<Page<SigningSession>, Error> {
            let params = self.0.clone().offset(position);
            let page = client.sign().list_signing_sessions(&params).await?;
            let items = page.data.unwrap_or_default();
            let ids = items.iter().filter_map(|s| s.id.clone()).collect();
            Ok(Page {
                items,
                ids,
                total: page.total,
            })
        }
    }

    #[maybe_async(AFIT)]
    impl<T: Transport> PageSource<T> for Records {
        type Item = RecordResponse;
        const BY_OFFSET: bool = false;

        async fn fetch(
            &self,
            client: &Client<T>,
            position: u64,
        ) -> Result<Page<RecordResponse>, Error> {
            let page_number = u32::try_from(position).unwrap_or(u32::MAX);
            let query = self.0.clone().page(page_number);
            let page = client.dem().query(&query).await?;
            let ids = page.content.iter().filter_map(|r| r.id.clone()).collect();
            Ok(Page {
                items: page.content,
                ids,
                total: Some(page.total_elements),
            })
        }
    }
}
