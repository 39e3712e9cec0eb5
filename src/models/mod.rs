//! Request and response bodies of the Sign API and the DEM API, as serde types.
//!
//! Every type serialises to the exact wire names of the API reference (camelCase, plus
//! `_links`, `relationID`, `and`/`or`/`not` and `type` where the API spells them so).
//! Optional fields the caller leaves unset are omitted from the JSON, never sent as `null`,
//! and `null` is accepted as "unset" when decoding.
//!
//! Timestamps are [`time::OffsetDateTime`] encoded as RFC 3339; UTC values are written with
//! a `Z` suffix and without fractional seconds when those are zero, so
//! `2023-04-12T10:30:00Z` re-encodes unchanged.
//!
//! Enums are *open*: a value this SDK version does not know decodes to an `Unknown(String)`
//! variant and re-encodes unchanged, so a new server-side value never breaks decoding.
//!
//! * [`sign`]: document collections, documents, signing sessions.
//! * [`dem`]: evidence records, queries, statistics.

#[macro_use]
mod common;
pub mod dem;
pub mod sign;

pub use dem::*;
pub use sign::*;
