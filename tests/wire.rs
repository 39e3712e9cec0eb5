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
