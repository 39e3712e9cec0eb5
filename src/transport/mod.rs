//! The two HTTP stacks. Each file only turns an [`HttpRequest`](crate::HttpRequest) into a
//! response and maps its library's errors; everything else is in `api/`.

#[cfg(feature = "blocking")]
pub mod ureq;

#[cfg(feature = "async")]
pub mod reqwest;

#[cfg(any(feature = "blocking", feature = "async"))]
use crate::error::{Error, ErrorKind};

/// The headers a response carries up to the SDK: all of them for an error answer (the retry
/// loop reads `Retry-After`), none for a success, whose length travels in the body. Copying
/// every header of every success into owned strings cost ~2,000 instructions a call
/// (benches/load.rs, callgrind); both default transports are only driven by the SDK.
#[cfg(any(feature = "blocking", feature = "async"))]
pub(crate) fn error_headers(status: u16, headers: &http::HeaderMap) -> Vec<(String, String)> {
    if (200..300).contains(&status) {
        return Vec::new();
    }
    headers
        .iter()
        .map(|(k, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_owned(), value)
        })
        .collect()
}

/// The buffer for reading a body of announced `length` under `limit`: refused at once when
/// the announced length is over the limit, and never pre-allocating more than 1 MiB on the
/// server's word.
#[cfg(any(feature = "blocking", feature = "async"))]
pub(crate) fn body_buffer(length: Option<u64>, limit: u64) -> Result<Vec<u8>, Error> {
    if length.is_some_and(|n| n > limit) {
        return Err(Error::new(ErrorKind::BodyTooLarge { limit }));
    }
    let capacity = length.unwrap_or(0).min(limit).min(1 << 20);
    Ok(Vec::with_capacity(usize::try_from(capacity).unwrap_or(0)))
}
