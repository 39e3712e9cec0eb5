//! The two HTTP stacks. Each file only turns an [`HttpRequest`](crate::HttpRequest) into a
//! response and maps its library's errors; everything else is in `api/`.

#[cfg(feature = "blocking")]
pub mod ureq;

#[cfg(feature = "async")]
pub mod reqwest;
