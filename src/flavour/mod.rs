//! What differs between the two flavours, and nothing else: sleeping, the token-refresh
//! lock, and the iterator / stream adapters over the shared paginators.

#[cfg(feature = "blocking")]
pub(crate) mod blocking;

#[cfg(feature = "async")]
pub(crate) mod nonblocking;
