//! # signicat-dem-mock
//!
//! A local, in-memory emulator of Signicat's **Sign API** and **Digital Evidence Management
//! (DEM) API**, for tests and offline development. It is an independent implementation of the
//! wire contract (it shares no types with the `signicat-dem` SDK) and serves both APIs on one
//! port: Sign under `{base_url}/sign`, DEM under `{base_url}/dem`, and the OAuth token endpoint
//! at `{base_url}/auth/open/connect/token`.
//!
//! ```no_run
//! # async fn demo() {
//! use signicat_dem_mock::{Fault, MockServer};
//!
//! let server = MockServer::start().await;          // 127.0.0.1, ephemeral port
//! let base = server.base_url();                   // "http://127.0.0.1:PORT"
//! let token = server.token();                     // always-accepted bearer token
//! # let _ = (base, token);
//!
//! // Make the next upload fail with 503 + Retry-After, then behave normally.
//! server.inject(Fault::status(Some("POST"), "/sign/documents", 503).retry_after(1));
//!
//! // … run the code under test; then look at what it sent:
//! for entry in server.journal() {
//!     println!("{} {} -> {}", entry.method, entry.path, entry.status);
//! }
//! # }
//! ```
//!
//! From synchronous code (or from a test that blocks its async runtime, e.g. a blocking
//! HTTP client inside `#[tokio::test]`) use [`MockServer::start_blocking`], which runs the
//! server on its own runtime thread.
//!
//! The emulator stops when its [`MockServer`] handle is dropped.
//!
//! ## Control routes (emulator only)
//!
//! Routes under `/__mock/` are **not part of Signicat's API**; they exist only in the emulator,
//! need no token and are never journaled: `POST /__mock/faults`, `DELETE /__mock/faults`,
//! `POST /__mock/sessions/{id}/sign`, `POST /__mock/sessions/{id}/reject`,
//! `POST /__mock/reset`, `GET|DELETE /__mock/journal`, `GET /__mock/tokens`. Each has an
//! in-process twin on [`MockServer`].
#![deny(missing_docs)]

mod control;
mod dem;
mod examples;
mod faults;
mod journal;
mod pdf;
mod pipeline;
mod problem;
// The routes use `query::Query::compile` once per request; the one-shot `query::matches`
// stays part of that module's contract.
#[allow(dead_code)]
mod query;
mod routes;
mod sign;
mod state;
mod token;
mod wire;

use std::fmt;
use std::net::{SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::any;
use tokio::sync::watch;

pub use faults::{Fault, FaultAction};
pub use journal::JournalEntry;

use state::{App, Config, Shared, lock};

/// How the emulator answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// In-memory state: documents, collections, sessions and records are stored, ids are
    /// checked, sessions move through their lifecycle (the default).
    #[default]
    Stateful,
    /// Stateless: every authenticated, schema-valid request gets its operation's documented
    /// example response, whatever the ids (like an OpenAPI mock server).
    Examples,
}

/// Why a simulated signer action could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ControlError {
    /// No signing session has this id.
    UnknownSession {
        /// The id asked for.
        id: String,
    },
    /// The session is `BLOCKED`: a session it follows (`subsequentTo`) is not signed yet.
    Blocked {
        /// The session id.
        id: String,
    },
    /// The session is already in a final state (`SIGNED` or `REJECTED`).
    AlreadyFinal {
        /// The session id.
        id: String,
        /// Its state.
        state: String,
    },
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ControlError::UnknownSession { id } => {
                write!(f, "signing session `{id}` does not exist")
            }
            ControlError::Blocked { id } => write!(
                f,
                "signing session `{id}` is BLOCKED until the sessions it follows are signed"
            ),
            ControlError::AlreadyFinal { id, state } => {
                write!(f, "signing session `{id}` is already {state} (final)")
            }
        }
    }
}

impl std::error::Error for ControlError {}

/// Default static bearer token.
pub const DEFAULT_TOKEN: &str = "mock-token";
/// Default OAuth client id.
pub const DEFAULT_CLIENT_ID: &str = "mock-client";
/// Default OAuth client secret.
pub const DEFAULT_CLIENT_SECRET: &str = "mock-secret";
/// Default maximum document size (50 MiB).
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 50 * 1024 * 1024;
/// Default maximum size of every other request body (1 MiB).
pub const DEFAULT_MAX_JSON_BYTES: usize = 1024 * 1024;

/// Configures and starts a [`MockServer`].
///
/// ```no_run
/// # async fn demo() {
/// use std::time::Duration;
/// use signicat_dem_mock::{MockServer, Mode};
///
/// let server = MockServer::builder()
///     .token("secret-token")
///     .client_credentials("my-client", "my-secret")
///     .token_expires_in(Duration::from_secs(60))
///     .max_document_bytes(1024 * 1024)
///     .mode(Mode::Stateful)
///     .start()
///     .await;
/// # drop(server);
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    token: String,
    mode: Mode,
    max_document_bytes: usize,
    max_json_bytes: usize,
    client_id: String,
    client_secret: String,
    token_expires_in: Duration,
    host: String,
    port: u16,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            token: DEFAULT_TOKEN.to_string(),
            mode: Mode::Stateful,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            max_json_bytes: DEFAULT_MAX_JSON_BYTES,
            client_id: DEFAULT_CLIENT_ID.to_string(),
            client_secret: DEFAULT_CLIENT_SECRET.to_string(),
            token_expires_in: Duration::from_secs(600),
            host: "127.0.0.1".to_string(),
            port: 0,
        }
    }
}

impl MockServerBuilder {
    /// The static bearer token that is always accepted (default `mock-token`).
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_string();
        self
    }

    /// Stateful (default) or examples mode.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Largest accepted document upload in bytes (default 50 MiB); larger uploads answer 413.
    pub fn max_document_bytes(mut self, n: usize) -> Self {
        self.max_document_bytes = n;
        self
    }

    /// Largest accepted body of every other request in bytes (default 1 MiB); larger bodies
    /// answer 413.
    pub fn max_json_bytes(mut self, n: usize) -> Self {
        self.max_json_bytes = n;
        self
    }

    /// OAuth client credentials accepted by the token endpoint
    /// (default `mock-client` / `mock-secret`).
    pub fn client_credentials(mut self, client_id: &str, client_secret: &str) -> Self {
        self.client_id = client_id.to_string();
        self.client_secret = client_secret.to_string();
        self
    }

    /// Lifetime of tokens issued by the token endpoint (default 600 s).
    pub fn token_expires_in(mut self, d: Duration) -> Self {
        self.token_expires_in = d;
        self
    }

    /// Host or IP address to bind (default `127.0.0.1`).
    pub fn host(mut self, host: &str) -> Self {
        self.host = host.to_string();
        self
    }

    /// Port to bind (default 0: an ephemeral port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    fn bind(&self) -> std::io::Result<(StdListener, App)> {
        let addrs: Vec<SocketAddr> = (self.host.as_str(), self.port).to_socket_addrs()?.collect();
        let listener = StdListener::bind(&addrs[..])?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let config = Config {
            token: self.token.clone(),
            mode: self.mode,
            max_document_bytes: self.max_document_bytes,
            max_json_bytes: self.max_json_bytes,
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            token_expires_in: self.token_expires_in,
            base_url: format!("http://{addr}"),
        };
        Ok((listener, Arc::new(Shared::new(config))))
    }

    /// Starts the server on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// Panics if the address cannot be bound; use [`MockServerBuilder::try_start`] to get the
    /// error instead. Must be called within a tokio runtime.
    pub async fn start(self) -> MockServer {
        match self.try_start().await {
            Ok(s) => s,
            Err(e) => panic!(
                "signicat-dem-mock: cannot bind {}:{}: {e}",
                self.host, self.port
            ),
        }
    }

    /// Starts the server on the current tokio runtime, answering bind errors.
    pub async fn try_start(&self) -> std::io::Result<MockServer> {
        let (std_listener, app) = self.bind()?;
        let listener = tokio::net::TcpListener::from_std(std_listener)?;
        let addr = listener.local_addr()?;
        let (tx, rx) = watch::channel(false);
        let task = tokio::spawn(serve(listener, build_router(app.clone()), rx));
        Ok(MockServer {
            app,
            addr,
            shutdown: tx,
            task: Some(Task::Tokio(task)),
        })
    }

    /// Starts the server on its own multi-thread runtime in a background thread. Works from
    /// plain synchronous code and from inside another tokio runtime.
    ///
    /// # Panics
    ///
    /// Panics if the address cannot be bound or the runtime cannot be created; use
    /// [`MockServerBuilder::try_start_blocking`] to get the error instead.
    pub fn start_blocking(self) -> MockServer {
        match self.try_start_blocking() {
            Ok(s) => s,
            Err(e) => panic!(
                "signicat-dem-mock: cannot start on {}:{}: {e}",
                self.host, self.port
            ),
        }
    }

    /// Like [`MockServerBuilder::start_blocking`], answering errors.
    pub fn try_start_blocking(&self) -> std::io::Result<MockServer> {
        let (std_listener, app) = self.bind()?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("signicat-dem-mock")
            .enable_all()
            .build()?;
        let (tx, rx) = watch::channel(false);
        let router = build_router(app.clone());
        let thread = std::thread::Builder::new()
            .name("signicat-dem-mock".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(std_listener) {
                        Ok(listener) => serve(listener, router, rx).await,
                        Err(e) => eprintln!("signicat-dem-mock: cannot listen: {e}"),
                    }
                });
            })?;
        Ok(MockServer {
            app,
            addr,
            shutdown: tx,
            task: Some(Task::Thread(thread)),
        })
    }
}

/// Serves until the shutdown signal; connections still busy 2 s after it are dropped.
async fn serve(listener: tokio::net::TcpListener, router: Router, rx: watch::Receiver<bool>) {
    let mut graceful_rx = rx.clone();
    let mut force_rx = rx;
    let graceful = axum::serve(listener, router).with_graceful_shutdown(async move {
        let _ = graceful_rx.wait_for(|stop| *stop).await;
    });
    let force = async move {
        let _ = force_rx.wait_for(|stop| *stop).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    tokio::select! {
        r = graceful => {
            if let Err(e) = r {
                eprintln!("signicat-dem-mock: server error: {e}");
            }
        }
        () = force => {}
    }
}

fn build_router(app: App) -> Router {
    let api = Router::new()
        .fallback(routes::dispatch)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            pipeline::journal_and_faults,
        ))
        .with_state(app.clone());
    Router::new()
        .route("/__mock", any(control::dispatch))
        .route("/__mock/{*rest}", any(control::dispatch))
        .fallback_service(api)
        .with_state(app)
}

#[derive(Debug)]
enum Task {
    Tokio(tokio::task::JoinHandle<()>),
    Thread(std::thread::JoinHandle<()>),
}

/// A running emulator. Dropping it stops the server (gracefully; connections still busy two
/// seconds later are dropped).
#[derive(Debug)]
pub struct MockServer {
    app: App,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<Task>,
}

impl MockServer {
    /// Starts an emulator with the default configuration on `127.0.0.1` and an ephemeral port,
    /// on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// Panics only if binding the loopback address fails (see [`MockServer::try_start`]).
    pub async fn start() -> MockServer {
        MockServer::builder().start().await
    }

    /// Like [`MockServer::start`], answering the bind error instead of panicking.
    pub async fn try_start() -> std::io::Result<MockServer> {
        MockServer::builder().try_start().await
    }

    /// Starts an emulator with the default configuration on its own runtime thread (usable
    /// from synchronous code and from inside a tokio runtime).
    ///
    /// # Panics
    ///
    /// Panics only if binding the loopback address or creating the runtime fails.
    pub fn start_blocking() -> MockServer {
        MockServer::builder().start_blocking()
    }

    /// A builder for a non-default configuration.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash). Sign is at `{base_url}/sign`, DEM at
    /// `{base_url}/dem`, the token endpoint at `{base_url}/auth/open/connect/token`.
    pub fn base_url(&self) -> String {
        self.app.config.base_url.clone()
    }

    /// The static bearer token that is always accepted.
    pub fn token(&self) -> &str {
        &self.app.config.token
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The mode the emulator runs in.
    pub fn mode(&self) -> Mode {
        self.app.config.mode
    }

    /// Simulates the signer signing a `READY` session: it becomes `SIGNED` (final) with
    /// `output.signatures` (one new result document per `SIGN` document) and, when `packageTo`
    /// holds `PADES_CONTAINER`, `output.packages`; sessions that follow it are unblocked and
    /// finished collections packaged. Same as `POST /__mock/sessions/{id}/sign`.
    pub fn sign_session(&self, id: &str) -> Result<(), ControlError> {
        sign::sign_session(&self.app, id)
    }

    /// Simulates the signer rejecting a `READY` session: it becomes `REJECTED` (final).
    /// Same as `POST /__mock/sessions/{id}/reject`.
    pub fn reject_session(&self, id: &str) -> Result<(), ControlError> {
        sign::reject_session(&self.app, id)
    }

    /// Clears all state: documents, collections, sessions, records, the journal, armed faults,
    /// issued tokens and the token counter. Same as `POST /__mock/reset`.
    pub fn reset(&self) {
        self.app.reset();
    }

    /// Every request received (Sign, DEM, token and unknown routes; not `/__mock` routes), in
    /// arrival order. An entry whose answer is still being produced has status 0.
    pub fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.app.journal).entries()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        lock(&self.app.journal).clear();
    }

    /// Arms a fault. Faults are matched in the order they were armed; a request consumes at
    /// most one fault.
    pub fn inject(&self, fault: Fault) {
        lock(&self.app.faults).push(fault);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        lock(&self.app.faults).clear();
    }

    /// How many tokens the token endpoint (and [`MockServer::issue_token`]) issued since the
    /// start or the last reset.
    pub fn tokens_issued(&self) -> u64 {
        lock(&self.app.tokens).count
    }

    /// Mints an OAuth access token for the configured client, valid for `expires_in`
    /// (`Duration::ZERO` gives an already expired token). Counts as issued.
    pub fn issue_token(&self, expires_in: Duration) -> String {
        self.app.issue_token(&self.app.config.client_id, expires_in)
    }

    /// Stops the server and waits until it has stopped (at most about two seconds).
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        match self.task.take() {
            Some(Task::Tokio(handle)) => {
                let _ = handle.await;
            }
            Some(Task::Thread(handle)) => {
                let _ = tokio::task::spawn_blocking(move || handle.join()).await;
            }
            None => {}
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
