//! Blocking flavour helpers.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::blocking::{Pages, Transport, source::PageSource};
use crate::error::Error;
use crate::request::{Body, OneShot};

pub(crate) type RefreshLock = Mutex<()>;

pub(crate) fn sleep(d: Duration) {
    std::thread::sleep(d);
}

pub(crate) fn lock(m: &RefreshLock) -> MutexGuard<'_, ()> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Anything a blocking upload can read from: every `Read + Send + 'static`.
pub trait UploadReader: std::io::Read + Send + 'static {
    /// The request body that streams this reader once.
    fn into_body(self, content_type: &str, length: Option<u64>) -> Body;
}

impl<R: std::io::Read + Send + 'static> UploadReader for R {
    fn into_body(self, content_type: &str, length: Option<u64>) -> Body {
        Body::Reader {
            content_type: content_type.to_owned(),
            length,
            reader: OneShot::new(Box::new(self)),
        }
    }
}

/// A blocking listing is an iterator of `Result`s: it fetches the next page when the
/// current one is used up, and ends after the last page or after an error.
impl<T: Transport, S: PageSource<T>> Iterator for Pages<T, S> {
    type Item = Result<S::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.try_next().transpose()
    }
}
