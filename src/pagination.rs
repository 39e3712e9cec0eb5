//! Pagination state shared by both clients' auto-paginating helpers (pure, no I/O).

use std::collections::VecDeque;

use crate::error::{Error, ErrorKind};

/// Default safety budget: more pages than this is taken as a server that never ends.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// Where a paginated listing stands: the buffered items of the current page, the next
/// position to ask for, and the guards against a server that never ends.
#[derive(Debug)]
pub(crate) struct Cursor<I> {
    buffer: VecDeque<I>,
    /// Next offset (sessions) or page number (records).
    pub next: u64,
    pub page_size: u64,
    done: bool,
    pages: u32,
    max_pages: u32,
    previous_ids: Vec<String>,
}

impl<I> Cursor<I> {
    pub(crate) fn new(start: u64, page_size: u64, max_pages: u32) -> Self {
        Cursor {
            buffer: VecDeque::new(),
            next: start,
            page_size: page_size.max(1),
            done: false,
            pages: 0,
            max_pages,
            previous_ids: Vec::new(),
        }
    }

    /// The next buffered item, if any.
    pub(crate) fn pop(&mut self) -> Option<I> {
        self.buffer.pop_front()
    }

    /// True when no further page will be fetched.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// Stops the listing (after an error, so an iterator does not spin on it).
    pub(crate) fn stop(&mut self) {
        self.done = true;
    }

    /// Takes in one fetched page. `ids` identify its items so that a server answering the
    /// same page again is caught; `total` is the server's count when it gives one.
    /// `advance` is how far `next` moves (the item count for offsets, 1 for page numbers).
    pub(crate) fn accept(
        &mut self,
        items: Vec<I>,
        ids: Vec<String>,
        total: Option<u64>,
        advance: u64,
        seen_before: u64,
    ) -> Result<(), Error> {
        self.pages += 1;
        let short = (items.len() as u64) < self.page_size;
        let reached_total = total.is_some_and(|t| seen_before + items.len() as u64 >= t);
        if !items.is_empty() && !ids.is_empty() && ids == self.previous_ids {
            self.done = true;
            return Err(pagination_error("the server answered the same page twice"));
        }
        if self.pages >= self.max_pages && !(short || reached_total || items.is_empty()) {
            self.done = true;
            return Err(pagination_error(&format!(
                "more than {} pages; raise max_pages if this is expected",
                self.max_pages
            )));
        }
        self.done = items.is_empty() || short || reached_total;
        self.next += advance;
        self.previous_ids = ids;
        self.buffer.extend(items);
        Ok(())
    }
}

fn pagination_error(reason: &str) -> Error {
    Error::new(ErrorKind::Pagination {
        reason: reason.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(r: std::ops::Range<u32>) -> (Vec<u32>, Vec<String>) {
        (r.clone().collect(), r.map(|i| i.to_string()).collect())
    }

    #[test]
    fn stops_on_a_short_page() {
        let mut c = Cursor::new(0, 3, 100);
        let (items, keys) = ids(0..3);
        c.accept(items, keys, None, 3, 0).unwrap();
        assert!(!c.is_done());
        let (items, keys) = ids(3..4);
        c.accept(items, keys, None, 1, 3).unwrap();
        assert!(c.is_done());
        assert_eq!(c.next, 4);
    }

    #[test]
    fn stops_on_total_and_on_empty() {
        let mut c = Cursor::new(0, 2, 100);
        let (items, keys) = ids(0..2);
        c.accept(items, keys, Some(2), 2, 0).unwrap();
        assert!(c.is_done());
        let mut c: Cursor<u32> = Cursor::new(0, 2, 100);
        c.accept(vec![], vec![], None, 0, 0).unwrap();
        assert!(c.is_done());
    }

    #[test]
    fn a_repeated_page_is_an_error() {
        let mut c = Cursor::new(0, 2, 100);
        let (items, keys) = ids(0..2);
        c.accept(items.clone(), keys.clone(), None, 2, 0).unwrap();
        assert!(c.accept(items, keys, None, 2, 2).is_err());
        assert!(c.is_done());
    }

    #[test]
    fn the_page_budget_is_enforced() {
        let mut c = Cursor::new(0, 1, 3);
        for i in 0..2u32 {
            c.accept(vec![i], vec![i.to_string()], None, 1, 0).unwrap();
        }
        assert!(c.accept(vec![9], vec!["9".into()], None, 1, 0).is_err());
    }
}
