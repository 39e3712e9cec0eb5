//! Secret hygiene: neither the bearer token nor the OAuth client secret (nor the `Basic`
//! header built from it, nor a token fetched with it) ever shows in `Display` or `Debug`
//! (`{:?}` and `{:#?}`) of an error, a client, a builder or an `HttpRequest`, whatever went
//! wrong: API errors (401, 404, 503 with an HTML body), time-outs, undecodable bodies,
//! connection failures, and a token endpoint that refuses the secret or is down.
//!
//! The scenarios are written once and compiled for both clients (maybe-async
//! `must_be_sync` / `must_be_async`, like `tests/wire.rs`). Errors come from the emulator
//! over real HTTP on 127.0.0.1; the `HttpRequest` checks use a recording transport.

use std::time::Duration;

use base64::Engine;
use signicat_dem::{Environment, Error, ErrorKind};
use signicat_dem_mock::{Fault, MockServer};

/// The token the emulator accepts and the well-behaved clients send.
const TOKEN: &str = "tok-SECRET-1234";
/// A token the emulator refuses.
const WRONG_TOKEN: &str = "tok-SECRET-WRONG-0000";
const CLIENT_ID: &str = "client-id";
/// The client secret the emulator's token endpoint accepts.
const CLIENT_SECRET: &str = "cs-SECRET-5678";
/// A secret the token endpoint refuses (right client id).
const WRONG_SECRET: &str = "cs-SECRET-WRONG-9999";

/// Everything that must never be printed: the secrets, the `Basic` credentials built from
/// them, and the prefix of tokens the emulator issues.
fn forbidden() -> Vec<String> {
    let basic = |secret: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{secret}"))
    };
    vec![
        "SECRET".to_string(),
        TOKEN.to_string(),
        WRONG_TOKEN.to_string(),
        CLIENT_SECRET.to_string(),
        WRONG_SECRET.to_string(),
        basic(CLIENT_SECRET),
        basic(WRONG_SECRET),
        "mock-at-".to_string(),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for secret in forbidden() {
        assert!(!text.contains(&secret), "{what} shows `{secret}`:\n{text}");
    }
}

/// Display, Debug and pretty Debug of the error, its kind and every source in its chain.
fn assert_error_clean(what: &str, err: &Error) {
    assert_clean(&format!("{what}: Display"), &err.to_string());
    assert_clean(&format!("{what}: Debug"), &format!("{err:?}"));
    assert_clean(&format!("{what}: pretty Debug"), &format!("{err:#?}"));
    assert_clean(&format!("{what}: kind Display"), &err.kind().to_string());
    assert_clean(
        &format!("{what}: kind Debug"),
        &format!("{:#?}", err.kind()),
    );
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        assert_clean(&format!("{what}: source"), &format!("{s} {s:?} {s:#?}"));
        source = s.source();
    }
}

/// Debug of anything holding credentials: clean, and shows the mask.
fn assert_masked(what: &str, value: &impl std::fmt::Debug) {
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        assert_clean(what, &text);
        assert!(
            text.contains("***"),
            "{what} does not show the mask:\n{text}"
        );
    }
}

fn server() -> MockServer {
    MockServer::builder()
        .token(TOKEN)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .start_blocking()
}

/// A loopback URL nothing listens on (a port just bound and released).
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn local(server: &MockServer) -> Environment {
    Environment::local(&server.base_url()).expect("environment")
}

/// One scenario's outcome: what was done, and the error it gave.
type Outcome = (&'static str, Error);

fn expect_err<T>(what: &'static str, result: Result<T, Error>) -> Outcome {
    match result {
        Ok(_) => panic!("{what}: expected an error"),
        Err(e) => (what, e),
    }
}

macro_rules! flavour {
    ($Client:ty) => {
        type Client = $Client;

        fn token_client(server: &MockServer, token: &str) -> Client {
            let builder = <Client>::builder()
                .token(token)
                .environment(local(server))
                .max_retries(0);
            assert_masked("builder with a token", &builder);
            builder.build().expect("client")
        }

        fn oauth_client(server: &MockServer, secret: &str) -> Client {
            let builder = <Client>::builder()
                .client_credentials(CLIENT_ID, secret)
                .environment(local(server))
                .max_retries(0);
            assert_masked("builder with client credentials", &builder);
            builder.build().expect("client")
        }

        /// Every failure with a static token; the clients' Debug checked on the way.
        #[maybe_async]
        async fn token_failures(server: &MockServer) -> Vec<Outcome> {
            let mut out = Vec::new();

            let wrong = token_client(server, WRONG_TOKEN);
            assert_masked("client with a wrong token", &wrong);
            let r = wrong.dem().get_collection_stats().await;
            out.push(expect_err("401 with a wrong token", r));
            assert_eq!(out.last().unwrap().1.status(), Some(401));

            let client = token_client(server, TOKEN);
            assert_masked("client with a token", &client);

            let r = client.sign().get_document("no-such-document").await;
            out.push(expect_err("404", r));
            assert_eq!(out.last().unwrap().1.status(), Some(404));

            server.inject(Fault::status(Some("GET"), "/dem/.ping", 503).non_json());
            let r = client.dem().ping().await;
            out.push(expect_err("503 with an HTML body", r));
            let err = &out.last().unwrap().1;
            assert_eq!(err.status(), Some(503));
            assert!(err.body().is_some_and(|b| b.contains("<html>")), "{err:?}");

            server.inject(Fault::delay(Some("GET"), "/dem/.ping", 1_500));
            let slow = <Client>::builder()
                .token(TOKEN)
                .environment(local(server))
                .max_retries(0)
                .timeout(Duration::from_millis(200))
                .build()
                .expect("client");
            let r = slow.dem().ping().await;
            out.push(expect_err("timeout", r));
            assert!(out.last().unwrap().1.is_timeout(), "{:?}", out.last());

            server.inject(Fault::status(Some("GET"), "/dem/info", 200).non_json());
            let r = client.dem().get_collection_stats().await;
            out.push(expect_err("undecodable 200", r));
            assert!(
                matches!(out.last().unwrap().1.kind(), ErrorKind::Decode { .. }),
                "{:?}",
                out.last()
            );

            let refused = <Client>::builder()
                .token(TOKEN)
                .environment(Environment::local(&closed_port_url()).unwrap())
                .max_retries(0)
                .build()
                .expect("client");
            let r = refused.dem().ping().await;
            out.push(expect_err("connection refused", r));
            assert_eq!(out.last().unwrap().1.status(), None);

            out
        }

        /// Every failure with OAuth client credentials.
        #[maybe_async]
        async fn oauth_failures(server: &MockServer) -> Vec<Outcome> {
            let mut out = Vec::new();

            let wrong = oauth_client(server, WRONG_SECRET);
            assert_masked("client with a wrong secret", &wrong);
            let r = wrong.dem().get_collection_stats().await;
            out.push(expect_err("token endpoint refuses the secret", r));
            let err = &out.last().unwrap().1;
            assert_eq!(err.status(), Some(401), "{err:?}");
            assert_eq!(err.operation(), Some("fetch_token"), "{err:?}");

            let client = oauth_client(server, CLIENT_SECRET);
            assert_masked("client with client credentials", &client);

            server.inject(Fault::status(Some("POST"), "/auth/open/connect/token", 503).non_json());
            let r = client.dem().get_collection_stats().await;
            out.push(expect_err("token endpoint down", r));
            assert_eq!(out.last().unwrap().1.status(), Some(503));

            server.inject(Fault::status(Some("POST"), "/auth/open/connect/token", 200).non_json());
            let r = client.dem().get_collection_stats().await;
            out.push(expect_err("token endpoint answers garbage", r));
            assert!(
                matches!(out.last().unwrap().1.kind(), ErrorKind::Decode { .. }),
                "{:?}",
                out.last()
            );

            // Now a token is fetched and cached: API errors must not show it either.
            let r = client.sign().get_document("no-such-document").await;
            out.push(expect_err("404 with a fetched token", r));
            assert_eq!(out.last().unwrap().1.status(), Some(404));
            assert!(server.tokens_issued() >= 1);
            assert_masked("client holding a fetched token", &client);

            // A 401 makes the client fetch a new token once, then give up.
            server.inject(Fault::status(Some("GET"), "/dem/info", 401).times(2));
            let r = client.dem().get_collection_stats().await;
            out.push(expect_err("401 after a token refresh", r));
            assert_eq!(out.last().unwrap().1.status(), Some(401));

            server.inject(Fault::delay(
                Some("POST"),
                "/auth/open/connect/token",
                1_500,
            ));
            let slow = <Client>::builder()
                .client_credentials(CLIENT_ID, CLIENT_SECRET)
                .environment(local(server))
                .max_retries(0)
                .timeout(Duration::from_millis(200))
                .build()
                .expect("client");
            let r = slow.dem().get_collection_stats().await;
            out.push(expect_err("token endpoint times out", r));
            assert!(out.last().unwrap().1.is_timeout(), "{:?}", out.last());

            out
        }

        /// The requests a client sends: Debug masks `Authorization`, which does carry the
        /// secrets (so the check is not vacuous).
        #[maybe_async]
        async fn recorded_requests() -> Vec<signicat_dem::HttpRequest> {
            let recorder = Recorder::default();
            let oauth = <Client>::builder()
                .client_credentials(CLIENT_ID, CLIENT_SECRET)
                .environment(Environment::local("http://127.0.0.1:9").unwrap())
                .max_retries(0)
                .with_transport(recorder.clone())
                .expect("client");
            assert_masked("client over a custom transport", &oauth);
            let err = oauth
                .sign()
                .get_document("doc-1")
                .await
                .expect_err("the recorder answers 404");
            assert_error_clean("404 from a custom transport", &err);
            let with_token = <Client>::builder()
                .token(TOKEN)
                .environment(Environment::local("http://127.0.0.1:9").unwrap())
                .max_retries(0)
                .with_transport(recorder.clone())
                .expect("client");
            let _ = with_token.dem().ping().await;
            let sent = std::mem::take(&mut *recorder.sent.lock().unwrap());
            assert_eq!(sent.len(), 3, "token request, API request, ping");
            sent
        }

        #[maybe_async]
        pub async fn errors_hide_secrets() {
            let server = server();
            let outcomes = token_failures(&server).await;
            assert_eq!(outcomes.len(), 6);
            for (what, err) in &outcomes {
                assert_error_clean(what, err);
            }
        }

        #[maybe_async]
        pub async fn token_endpoint_errors_hide_secrets() {
            let server = server();
            let outcomes = oauth_failures(&server).await;
            assert_eq!(outcomes.len(), 6);
            for (what, err) in &outcomes {
                assert_error_clean(what, err);
            }
        }

        #[maybe_async]
        pub async fn http_request_debug_masks_authorization() {
            let sent = recorded_requests().await;
            let basic = base64::engine::general_purpose::STANDARD
                .encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
            assert_eq!(
                sent[0].header("authorization"),
                Some(format!("Basic {basic}").as_str())
            );
            assert_eq!(
                sent[1].header("authorization"),
                Some(format!("Bearer {TOKEN}").as_str())
            );
            assert_eq!(
                sent[2].header("authorization"),
                Some(format!("Bearer {TOKEN}").as_str())
            );
            for req in &sent {
                assert_masked("HttpRequest", req);
            }
        }
    };
}

#[cfg(feature = "blocking")]
mod blocking {
    use super::*;
    use maybe_async::must_be_sync as maybe_async;
    use signicat_dem::blocking::{HttpResponse, ResponseBody, Transport};
    use std::sync::{Arc, Mutex};

    /// Answers the token endpoint with `TOKEN` and everything else with a 404 problem.
    #[derive(Clone, Default)]
    struct Recorder {
        sent: Arc<Mutex<Vec<signicat_dem::HttpRequest>>>,
    }

    impl Transport for Recorder {
        fn send(&self, request: signicat_dem::HttpRequest) -> Result<HttpResponse, Error> {
            let (status, body) = canned(&request);
            self.sent.lock().unwrap().push(request);
            Ok(HttpResponse {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: ResponseBody::from_bytes(body),
            })
        }
    }

    flavour!(signicat_dem::Client);

    #[test]
    fn errors() {
        errors_hide_secrets();
    }

    #[test]
    fn token_endpoint_errors() {
        token_endpoint_errors_hide_secrets();
    }

    #[test]
    fn http_request_debug() {
        http_request_debug_masks_authorization();
    }
}

#[cfg(feature = "async")]
mod nonblocking {
    use super::*;
    use maybe_async::must_be_async as maybe_async;
    use signicat_dem::nonblocking::{HttpResponse, ResponseBody, Transport};
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Recorder {
        sent: Arc<Mutex<Vec<signicat_dem::HttpRequest>>>,
    }

    impl Transport for Recorder {
        async fn send(&self, request: signicat_dem::HttpRequest) -> Result<HttpResponse, Error> {
            let (status, body) = canned(&request);
            self.sent.lock().unwrap().push(request);
            Ok(HttpResponse {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: ResponseBody::from_bytes(body),
            })
        }
    }

    flavour!(signicat_dem::AsyncClient);

    #[tokio::test]
    async fn errors() {
        errors_hide_secrets().await;
    }

    #[tokio::test]
    async fn token_endpoint_errors() {
        token_endpoint_errors_hide_secrets().await;
    }

    #[tokio::test]
    async fn http_request_debug() {
        http_request_debug_masks_authorization().await;
    }
}

/// The recording transports' answers: a token from the token endpoint, 404 elsewhere.
#[cfg(any(feature = "blocking", feature = "async"))]
fn canned(request: &signicat_dem::HttpRequest) -> (u16, Vec<u8>) {
    if request.url.ends_with("/auth/open/connect/token") {
        let body =
            format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":600}}"#);
        (200, body.into_bytes())
    } else {
        (
            404,
            br#"{"title":"Not Found","status":404,"detail":"no such thing"}"#.to_vec(),
        )
    }
}
