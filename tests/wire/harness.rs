//! The per-test set-up, written once and compiled per flavour like the suite.

use std::time::Duration;

use signicat_dem::{Environment, RetryPolicy};
use signicat_dem_mock::{MockServer, MockServerBuilder};

use super::{Client, ClientBuilder, maybe_async, start};

/// A fresh emulator and a client pointed at it.
pub struct Harness {
    pub server: MockServer,
    pub client: Client,
}

impl Harness {
    #[maybe_async]
    pub async fn start() -> Harness {
        let server = start(MockServer::builder()).await;
        let client = builder(&server).build().expect("client");
        Harness { server, client }
    }

    /// Another client for this emulator, with other credentials or settings.
    pub fn client(&self, f: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
        f(builder(&self.server)).build().expect("client")
    }
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .token(server.token())
        .environment(Environment::local(&server.base_url()).expect("env"))
        .retry(fast_retries())
}

/// The default policy with millisecond backoff, so retry tests stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
}

/// An emulator issuing OAuth tokens that live `expires_in`, and a client using client
/// credentials (with `secret`) against it.
#[maybe_async]
pub async fn oauth(expires_in: Duration, secret: &str) -> (MockServer, Client) {
    let server_builder: MockServerBuilder = MockServer::builder()
        .client_credentials("client-1", "s3cret-client-secret")
        .token_expires_in(expires_in);
    let server = start(server_builder).await;
    let client = Client::builder()
        .client_credentials("client-1", secret)
        .environment(Environment::local(&server.base_url()).expect("env"))
        .retry(fast_retries())
        .build()
        .expect("client");
    (server, client)
}
