//! The wire suite: `tests/wire/suite.rs` is written once and compiled once per client, the
//! same way the SDK compiles `src/api/` (maybe-async `must_be_sync` / `must_be_async` behind
//! one alias). Every case runs against the emulator over real HTTP on 127.0.0.1 and checks
//! what the server received (from its journal) and what the client decoded.

#[cfg(feature = "blocking")]
#[path = "wire"]
mod blocking {
    use maybe_async::must_be_sync as maybe_async;
    use signicat_dem::blocking::ClientBuilder;
    use signicat_dem_mock::MockServer;

    pub type Client = signicat_dem::Client;
    pub const FLAVOUR: &str = "blocking";

    pub struct Harness {
        pub server: MockServer,
        pub client: Client,
    }

    impl Harness {
        pub fn start() -> Harness {
            Harness::with_server(MockServer::start_blocking())
        }

        pub fn with_server(server: MockServer) -> Harness {
            let client = builder(&server, server.token()).build().expect("client");
            Harness { server, client }
        }

        /// A client for this server with other credentials or settings.
        pub fn client(&self, f: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
            f(builder(&self.server, self.server.token()))
                .build()
                .expect("client")
        }
    }

    fn builder(server: &MockServer, token: &str) -> ClientBuilder {
        Client::builder()
            .token(token)
            .environment(signicat_dem::Environment::local(&server.base_url()).expect("env"))
            .retry(fast_retries())
    }

    pub fn fast_retries() -> signicat_dem::RetryPolicy {
        signicat_dem::RetryPolicy::default()
            .base_delay(std::time::Duration::from_millis(5))
            .max_delay(std::time::Duration::from_millis(20))
    }

    /// A server that issues OAuth tokens living `expires_in`, and a client using client
    /// credentials against it.
    pub fn oauth(expires_in: std::time::Duration, secret: &str) -> (MockServer, Client) {
        let server = MockServer::builder()
            .client_credentials("client-1", "s3cret-client-secret")
            .token_expires_in(expires_in)
            .start_blocking();
        let client = oauth_client(&server, secret);
        (server, client)
    }

    fn oauth_client(server: &MockServer, secret: &str) -> Client {
        Client::builder()
            .client_credentials("client-1", secret)
            .environment(signicat_dem::Environment::local(&server.base_url()).expect("env"))
            .retry(fast_retries())
            .build()
            .expect("client")
    }

    pub fn pause(d: std::time::Duration) {
        std::thread::sleep(d);
    }

    /// `n` pings at once, each on its own thread.
    pub fn ping_concurrently(
        client: &Client,
        n: usize,
    ) -> Vec<Result<String, signicat_dem::Error>> {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..n).map(|_| s.spawn(|| client.dem().ping())).collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        })
    }

    macro_rules! cases {
        ($($name:ident),* $(,)?) => {
            mod run {
                $(
                    #[test]
                    fn $name() {
                        let h = super::super::Harness::start();
                        super::$name(&h);
                    }
                )*
            }
        };
    }

    mod suite;
}

#[cfg(feature = "async")]
#[allow(clippy::duplicate_mod)] // intentional: the suite is compiled once per flavour
#[path = "wire"]
mod nonblocking {
    use maybe_async::must_be_async as maybe_async;
    use signicat_dem::nonblocking::ClientBuilder;
    use signicat_dem_mock::MockServer;

    pub type Client = signicat_dem::AsyncClient;
    pub const FLAVOUR: &str = "async";

    pub struct Harness {
        pub server: MockServer,
        pub client: Client,
    }

    impl Harness {
        pub async fn start() -> Harness {
            Harness::with_server(MockServer::start().await)
        }

        pub fn with_server(server: MockServer) -> Harness {
            let client = builder(&server, server.token()).build().expect("client");
            Harness { server, client }
        }

        pub fn client(&self, f: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
            f(builder(&self.server, self.server.token()))
                .build()
                .expect("client")
        }
    }

    fn builder(server: &MockServer, token: &str) -> ClientBuilder {
        Client::builder()
            .token(token)
            .environment(signicat_dem::Environment::local(&server.base_url()).expect("env"))
            .retry(fast_retries())
    }

    pub fn fast_retries() -> signicat_dem::RetryPolicy {
        signicat_dem::RetryPolicy::default()
            .base_delay(std::time::Duration::from_millis(5))
            .max_delay(std::time::Duration::from_millis(20))
    }

    pub async fn oauth(expires_in: std::time::Duration, secret: &str) -> (MockServer, Client) {
        let server = MockServer::builder()
            .client_credentials("client-1", "s3cret-client-secret")
            .token_expires_in(expires_in)
            .start()
            .await;
        let client = Client::builder()
            .client_credentials("client-1", secret)
            .environment(signicat_dem::Environment::local(&server.base_url()).expect("env"))
            .retry(fast_retries())
            .build()
            .expect("client");
        (server, client)
    }

    pub async fn pause(d: std::time::Duration) {
        tokio::time::sleep(d).await;
    }

    /// `n` pings at once, each in its own task.
    pub async fn ping_concurrently(
        client: &Client,
        n: usize,
    ) -> Vec<Result<String, signicat_dem::Error>> {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.dem().ping().await })
            })
            .collect();
        let mut out = Vec::with_capacity(n);
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    }

    macro_rules! cases {
        ($($name:ident),* $(,)?) => {
            mod run {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let h = super::super::Harness::start().await;
                        super::$name(&h).await;
                    }
                )*
            }
        };
    }

    mod suite;
}
