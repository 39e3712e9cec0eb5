//! # signicat-dem
//!
//! Rust SDK for Signicat's **Sign API** (upload documents, group them in document
//! collections, open signing sessions, fetch the signed result) and **DEM API** (Digital
//! Evidence Management: tamper-evident records, queries, expiry, PDF reports).
//!
//! Two clients, one build, the same operations and semantics:
//!
//! | feature    | default | gives you | pulls in |
//! |------------|---------|-----------|----------|
//! | `blocking` | yes     | [`Client`] | ureq 3, rustls + ring (no tokio) |
//! | `async`    | yes     | [`AsyncClient`] | reqwest 0.13, tokio, rustls + ring |
//!
//! TLS is rustls with the *ring* provider and Mozilla's roots in both flavours: no OpenSSL,
//! no aws-lc-sys. The features are additive; a build with both gives both clients.
//!
//! ## Blocking
//!
//! ```no_run
//! # #[cfg(feature = "blocking")]
//! # fn main() -> Result<(), signicat_dem::Error> {
//! use signicat_dem::models::*;
//!
//! let client = signicat_dem::Client::new(std::env::var("SIGNICAT_API_TOKEN").unwrap_or_default())?;
//! let doc = client.sign().upload_document("application/pdf", b"%PDF-1.4 ...".to_vec())?;
//! let doc_id = doc.document_id.unwrap_or_default();
//! let collection = client
//!     .sign()
//!     .create_document_collection(&DocumentCollection::new(vec![DocumentReference::new(&doc_id)]))?;
//! let session = SigningSession::new(
//!     "Employment contract",
//!     vec![SessionDocument::sign(collection.id.unwrap_or_default(), doc_id)],
//!     vec![SigningSetup::new(SigningFlow::AuthenticationBased, ["nbid"])],
//! );
//! let created = client.sign().create_signing_session(&[session])?;
//! println!("sign at {:?}", created[0].signature_url);
//! # Ok(()) }
//! # #[cfg(not(feature = "blocking"))] fn main() {}
//! ```
//!
//! ## Async
//!
//! ```no_run
//! # #[cfg(feature = "async")]
//! # async fn run() -> Result<(), signicat_dem::Error> {
//! use signicat_dem::models::{QueryCondition, QueryRecords, QueryRequestBody};
//!
//! let client = signicat_dem::AsyncClient::new("TOKEN")?;
//! let page = client
//!     .dem()
//!     .query(&QueryRecords::new().filter(QueryRequestBody::all_of([
//!         QueryCondition::eq("metadata.customerId", "c-42"),
//!     ])))
//!     .await?;
//! println!("{} matching records", page.total_elements);
//! # Ok(()) }
//! # fn main() {}
//! ```
//!
//! ## Errors
//!
//! Every operation returns [`Error`], which you query: [`Error::status`],
//! [`Error::problem`] (the parsed `application/problem+json`), [`Error::trace_id`],
//! [`Error::is_retryable`], [`Error::is_timeout`]. Tokens and secrets never appear in
//! errors or `Debug` output.
//!
//! ## Local emulator
//!
//! The `signicat-dem-mock` package is a stateful emulator of both APIs for tests and
//! offline development; point a client at it with [`Environment::local`].

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod config;
pub mod environment;
pub mod error;
mod flavour;
pub mod models;
mod pagination;
pub mod request;
pub mod retry;
mod trace;
pub mod transport;

pub use config::{RequestOptions, WaitOptions};
pub use environment::Environment;
pub use error::{Error, ErrorKind, InvalidParam, Problem};
pub use request::{Body, HttpRequest, Method, encode_segment};
pub use retry::RetryPolicy;

// Doc examples for the twice-compiled endpoint layer, written once. They ask `flavour!(…)`
// for the client type, the function around the example and `.await`; each wrapper module
// below defines its own `flavour!` (macro_rules resolves it where the example is used).

/// A doc example for one call.
#[cfg(any(feature = "blocking", feature = "async"))]
macro_rules! example {
    ($setup:expr, $call:expr) => {
        concat!(
            "```no_run\n",
            flavour!(open),
            "let client = signicat_dem::",
            flavour!(client),
            "::new(\"TOKEN\")?;\n",
            $setup,
            "let result = client.",
            $call,
            flavour!(await),
            "?;\n",
            "# let _ = result;\n",
            flavour!(close),
            "```"
        )
    };
}

/// A doc example for a paginated listing.
#[cfg(any(feature = "blocking", feature = "async"))]
macro_rules! pages_example {
    ($call:expr) => {
        concat!(
            "```no_run\n",
            flavour!(open),
            "let client = signicat_dem::",
            flavour!(client),
            "::new(\"TOKEN\")?;\n",
            "let mut items = client.",
            $call,
            ";\n",
            "while let Some(item) = items.try_next()",
            flavour!(await),
            "? {\n",
            "    # let _ = item;\n",
            "}\n",
            flavour!(close),
            "```"
        )
    };
}

/// A doc example showing every builder setting.
#[cfg(any(feature = "blocking", feature = "async"))]
macro_rules! builder_example {
    () => {
        concat!(
            "```no_run\n",
            "# fn main() -> Result<(), signicat_dem::Error> {\n",
            "use std::time::Duration;\n",
            "let client = signicat_dem::",
            flavour!(client),
            "::builder()\n",
            "    .client_credentials(\"client-id\", \"client-secret\")\n",
            "    .scope(\"signicat-api\")\n",
            "    .environment(signicat_dem::Environment::production())\n",
            "    .timeout(Duration::from_secs(30))\n",
            "    .connect_timeout(Duration::from_secs(5))\n",
            "    .retry(signicat_dem::RetryPolicy::default())\n",
            "    .max_retries(3)\n",
            "    .max_json_bytes(8 << 20)\n",
            "    .max_download_bytes(1 << 30)\n",
            "    .allow_insecure_http(false)\n",
            "    .user_agent_suffix(\"my-app/1.0\")\n",
            "    .build()?;\n",
            "# let _ = client;\n",
            "# Ok(()) }\n",
            "```"
        )
    };
}

/// A doc example for `from_env`.
#[cfg(any(feature = "blocking", feature = "async"))]
macro_rules! from_env_example {
    () => {
        concat!(
            "```no_run\n",
            "let client = signicat_dem::",
            flavour!(client),
            "::from_env()?;\n",
            "# Ok::<(), signicat_dem::Error>(())\n",
            "```"
        )
    };
}

/// The blocking flavour of the endpoint layer (`src/api/`, compiled without `async`).
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
#[path = "api"]
pub mod blocking {
    use maybe_async::must_be_sync as maybe_async;

    /// Per-flavour text for the doc examples (see the macros at the crate root).
    macro_rules! flavour {
        () => {
            "blocking"
        };
        (client) => {
            "Client"
        };
        (open) => {
            "# fn main() -> Result<(), signicat_dem::Error> {\n"
        };
        (close) => {
            "# Ok(()) }\n"
        };
        (await) => {
            ""
        };
        (reader_kind) => {
            "any `std::io::Read`"
        };
        (reader_setup) => {
            "let reader = std::io::Cursor::new(b\"%PDF-1.4 ...\".to_vec());\n"
        };
    }

    mod client;
    mod dem;
    mod execute;
    mod pagination;
    mod sign;
    mod transport;

    pub use self::client::{Client, ClientBuilder};
    pub use self::dem::Dem;
    pub use self::pagination::{Pages, RecordPages, SigningSessionPages, source};
    pub use self::sign::Sign;
    pub use self::transport::{HttpResponse, Transport};
    pub use crate::flavour::blocking::UploadReader;
    pub use crate::transport::ureq::ResponseBody;

    pub(crate) type DefaultTransport = crate::transport::ureq::UreqTransport;
    pub(crate) use crate::flavour::blocking::{RefreshLock, lock, sleep};
}

/// The async flavour of the endpoint layer (`src/api/`, compiled as `async fn`s).
#[cfg(feature = "async")]
#[cfg_attr(docsrs, doc(cfg(feature = "async")))]
#[allow(clippy::duplicate_mod)] // intentional: src/api/* is compiled once per flavour
#[path = "api"]
pub mod nonblocking {
    use maybe_async::must_be_async as maybe_async;

    /// Per-flavour text for the doc examples (see the macros at the crate root).
    macro_rules! flavour {
        () => {
            "async"
        };
        (client) => {
            "AsyncClient"
        };
        (open) => {
            "# async fn run() -> Result<(), signicat_dem::Error> {\n"
        };
        (close) => {
            "# Ok(()) }\n# fn main() {}\n"
        };
        (await) => {
            ".await"
        };
        (reader_kind) => {
            "any `tokio::io::AsyncRead`"
        };
        (reader_setup) => {
            "let reader = std::io::Cursor::new(b\"%PDF-1.4 ...\".to_vec()); // any AsyncRead\n"
        };
    }

    mod client;
    mod dem;
    mod execute;
    mod pagination;
    mod sign;
    mod transport;

    pub use self::client::{Client, ClientBuilder};
    pub use self::dem::Dem;
    pub use self::pagination::{Pages, RecordPages, SigningSessionPages, source};
    pub use self::sign::Sign;
    pub use self::transport::{HttpResponse, Transport};
    pub use crate::flavour::nonblocking::UploadReader;
    pub use crate::transport::reqwest::ResponseBody;

    pub(crate) type DefaultTransport = crate::transport::reqwest::ReqwestTransport;
    pub(crate) use crate::flavour::nonblocking::{RefreshLock, lock, sleep};
}

#[cfg(feature = "blocking")]
#[doc(inline)]
pub use blocking::Client;

#[cfg(feature = "async")]
#[doc(inline)]
pub use nonblocking::Client as AsyncClient;

/// The README's code blocks, compiled as doctests so the README cannot drift from the API.
#[cfg(all(doctest, feature = "blocking", feature = "async"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
