//! Blocking flavour helpers.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::blocking::{Pages, Transport, source::PageSource};
use crate::error::Error;

pub(crate) type RefreshLock = Mutex<()>;

pub(crate) fn sleep(d: Duration) {
    std::thread::sleep(d);
}

pub(crate) fn lock(m: &RefreshLock) -> MutexGuard<'_, ()> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A blocking listing is an iterator of `Result`s: it fetches the next page when the
/// current one is used up, and ends after the last page or after an error.
impl<T: Transport, S: PageSource<T>> Iterator for Pages<T, S> {
    type Item = Result<S::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.try_next().transpose()
    }
}
