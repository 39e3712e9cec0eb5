//! The `tracing` feature: one span per operation with its name, method and path template;
//! never the token, never an id from the caller.
#![cfg(feature = "tracing")]

use std::io::Write;
use std::sync::{Arc, Mutex};

use signicat_dem::Environment;
use signicat_dem_mock::{Fault, MockServer};
use tracing_subscriber::fmt::MakeWriter;

const TOKEN_MARK: &str = "tok-TRACE-SECRET-9d2f";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("capture")).into_owned()
    }
}

fn subscriber(capture: &Capture) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish()
}

fn assert_clean(log: &str, secret_id: &str) {
    assert!(log.contains("operation=\"get_document_info\""), "{log}");
    assert!(
        log.contains("path=/sign/documents/{document_id}/metadata"),
        "{log}"
    );
    assert!(log.contains("method=\"GET\""), "{log}");
    assert!(log.contains("status=404"), "{log}");
    assert!(log.contains("attempt=3"), "retries are visible: {log}");
    assert!(!log.contains(TOKEN_MARK), "token leaked into the log");
    // The span's fields carry the path template, not the id (the server's own error
    // detail, logged with the failure, may quote it).
    // (Other crates, e.g. the HTTP stack, log lines of their own.)
    let ours: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("signicat_dem{"))
        .collect();
    assert!(ours.len() >= 4, "three attempts and the failure: {log}");
    for line in ours {
        let fields = line
            .split("signicat_dem{")
            .nth(1)
            .and_then(|r| r.split('}').next());
        assert!(
            !fields.unwrap_or_default().contains(secret_id),
            "id in span fields: {line}"
        );
    }
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_spans_name_the_operation_and_hide_secrets() {
    let server = MockServer::builder().token(TOKEN_MARK).start_blocking();
    let client = signicat_dem::Client::builder()
        .token(TOKEN_MARK)
        .environment(Environment::local(&server.base_url()).expect("env"))
        .retry(signicat_dem::RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .expect("client");
    let capture = Capture::default();
    server.inject(Fault::status(Some("GET"), "*", 503).times(2));
    tracing::subscriber::with_default(subscriber(&capture), || {
        let err = client
            .sign()
            .get_document_info("customer-4711-doc")
            .expect_err("404");
        assert_eq!(err.status(), Some(404));
    });
    assert_clean(&capture.text(), "customer-4711-doc");
}

#[cfg(feature = "async")]
#[tokio::test(flavor = "current_thread")]
async fn async_spans_name_the_operation_and_hide_secrets() {
    let server = MockServer::builder().token(TOKEN_MARK).start_blocking();
    let client = signicat_dem::AsyncClient::builder()
        .token(TOKEN_MARK)
        .environment(Environment::local(&server.base_url()).expect("env"))
        .retry(signicat_dem::RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .expect("client");
    let capture = Capture::default();
    server.inject(Fault::status(Some("GET"), "*", 503).times(2));
    let _guard = tracing::subscriber::set_default(subscriber(&capture));
    let err = client
        .sign()
        .get_document_info("customer-4711-doc")
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_clean(&capture.text(), "customer-4711-doc");
}

#[cfg(feature = "blocking")]
#[test]
fn oauth_secret_and_issued_tokens_never_reach_the_log() {
    const SECRET: &str = "cs-TRACE-SECRET-51ab";
    let server = MockServer::builder()
        .client_credentials("client-7", SECRET)
        .start_blocking();
    let client = signicat_dem::Client::builder()
        .client_credentials("client-7", SECRET)
        .environment(Environment::local(&server.base_url()).expect("env"))
        .build()
        .expect("client");
    let capture = Capture::default();
    server.inject(Fault::status(Some("GET"), "/dem/.ping", 401));
    tracing::subscriber::with_default(subscriber(&capture), || {
        client.dem().ping().expect("refreshed after the 401");
        let wrong = signicat_dem::Client::builder()
            .client_credentials("client-7", "wrong-secret-77")
            .environment(Environment::local(&server.base_url()).expect("env"))
            .build()
            .expect("client");
        wrong.dem().ping().expect_err("invalid client");
    });
    let log = capture.text();
    assert_eq!(server.tokens_issued(), 2);
    let issued = server.issue_token(std::time::Duration::from_secs(60));
    let prefix = issued.get(..8).unwrap_or(&issued);
    for needle in [SECRET, "wrong-secret-77", prefix] {
        assert!(!log.contains(needle), "{needle} in the log:\n{log}");
    }
    assert!(log.contains("operation=\"ping\""), "{log}");
}
