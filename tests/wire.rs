//! The wire suite: `tests/wire/suite.rs` (and its `harness.rs`) is written once and compiled
//! once per client, the same way the SDK compiles `src/api/` (maybe-async `must_be_sync` /
//! `must_be_async` behind one alias). Every case runs against the emulator over real HTTP on
//! 127.0.0.1 and checks what the server received (its journal) and what the client decoded.
//! Below is only what differs between the flavours.

#[cfg(feature = "blocking")]
#[path = "wire"]
mod blocking {
    use maybe_async::must_be_sync as maybe_async;
    use signicat_dem_mock::{MockServer, MockServerBuilder};

    pub use signicat_dem::blocking::ClientBuilder;
    pub type Client = signicat_dem::Client;
    pub const FLAVOUR: &str = "blocking";

    /// Starts an emulator on its own runtime thread.
    pub fn start(builder: MockServerBuilder) -> MockServer {
        builder.start_blocking()
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
                        let h = super::Harness::start();
                        super::$name(&h);
                    }
                )*
            }
        };
    }

    mod harness;
    mod suite;
}

#[cfg(feature = "async")]
#[allow(clippy::duplicate_mod)] // intentional: the suite is compiled once per flavour
#[path = "wire"]
mod nonblocking {
    use maybe_async::must_be_async as maybe_async;
    use signicat_dem_mock::{MockServer, MockServerBuilder};

    pub use signicat_dem::nonblocking::ClientBuilder;
    pub type Client = signicat_dem::AsyncClient;
    pub const FLAVOUR: &str = "async";

    /// Starts an emulator on the test's runtime.
    pub async fn start(builder: MockServerBuilder) -> MockServer {
        builder.start().await
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
                        let h = super::Harness::start().await;
                        super::$name(&h).await;
                    }
                )*
            }
        };
    }

    mod harness;
    mod suite;
}
