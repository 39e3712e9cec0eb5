//! Cross-cutting behaviour: auth, OAuth token endpoint, routing errors, faults, journal,
//! examples mode, concurrency, start/stop.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use signicat_dem_mock::{Fault, FaultAction, MockServer, Mode};

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/sign/documents"),
    ("GET", "/sign/documents/x"),
    ("DELETE", "/sign/documents/x"),
    ("GET", "/sign/documents/x/metadata"),
    ("PATCH", "/sign/documents/x/metadata"),
    ("POST", "/sign/document-collections"),
    ("GET", "/sign/document-collections/x"),
    ("DELETE", "/sign/document-collections/x"),
    ("POST", "/sign/signing-sessions"),
    ("GET", "/sign/signing-sessions"),
    ("GET", "/sign/signing-sessions/x"),
    ("DELETE", "/sign/signing-sessions/x"),
    ("GET", "/dem/.ping"),
    ("GET", "/dem/info"),
    ("GET", "/dem/info/custom-fields"),
    ("GET", "/dem/info/custom-fields/GDPR"),
    ("GET", "/dem/records/x"),
    ("POST", "/dem/records"),
    ("PATCH", "/dem/records"),
    ("PATCH", "/dem/records/x"),
    ("POST", "/dem/records/query"),
    ("GET", "/dem/reports/x"),
];

fn method(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap()
}

#[tokio::test]
async fn every_route_requires_a_valid_bearer_token() {
    let t = start().await;
    let expired = t.server.issue_token(Duration::ZERO);
    for (m, p) in ROUTES {
        let cases: Vec<Option<String>> = vec![
            None,
            Some("Bearer wrong".into()),
            Some("Basic bW9jay1jbGllbnQ6bW9jay1zZWNyZXQ=".into()),
            Some(format!("Bearer {expired}")),
            Some("Bearer".into()),
        ];
        for auth in cases {
            let mut rb = t.http.request(method(m), t.url(p));
            if let Some(a) = &auth {
                rb = rb.header("authorization", a);
            }
            let a = t.send(rb).await;
            a.problem(401, "UNAUTHORIZED");
            assert!(
                a.header("www-authenticate").unwrap().starts_with("Bearer"),
                "{m} {p} {auth:?}"
            );
        }
    }
    // Lower-case scheme is accepted.
    let a = t
        .send(
            t.http
                .get(t.url("/dem/.ping"))
                .header("authorization", "bearer mock-token"),
        )
        .await;
    assert_eq!(a.status, 200);
    // Nothing was created by rejected requests.
    assert_eq!(t.get("/dem/info").await.json()["totalRecords"], 0);
}

#[tokio::test]
async fn oauth_client_credentials_flow() {
    let t = wrap(
        MockServer::builder()
            .client_credentials("cid", "s3cret:+/")
            .token_expires_in(Duration::from_millis(1500))
            .start()
            .await,
    );
    let token_url = t.url("/auth/open/connect/token");
    let form = "application/x-www-form-urlencoded";
    // Basic auth (values form-urlencoded before base64, per RFC 6749).
    let a = t
        .send(
            t.http
                .post(&token_url)
                .basic_auth("cid", Some("s3cret%3A%2B%2F"))
                .header("content-type", form)
                .body("grant_type=client_credentials&scope=signicat-api"),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.content_type(), "application/json");
    let v = a.json();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 1);
    assert_eq!(v["scope"], "signicat-api");
    let token = v["access_token"].as_str().unwrap().to_string();
    // Raw (non-encoded) Basic credentials work as well.
    let a = t
        .send(
            t.http
                .post(&token_url)
                .basic_auth("cid", Some("s3cret:+/"))
                .header("content-type", form)
                .body("grant_type=client_credentials"),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    // Form credentials.
    let a = t
        .send(
            t.http
                .post(&token_url)
                .header("content-type", form)
                .body("grant_type=client_credentials&client_id=cid&client_secret=s3cret%3A%2B%2F"),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(t.server.tokens_issued(), 3);
    let tokens = t.send(t.http.get(t.url("/__mock/tokens"))).await.json();
    assert_eq!(tokens, json!({"issued": 3}));

    // Wrong credentials / grant.
    for body in [
        "grant_type=client_credentials&client_id=cid&client_secret=no",
        "grant_type=client_credentials",
    ] {
        let a = t
            .send(
                t.http
                    .post(&token_url)
                    .header("content-type", form)
                    .body(body),
            )
            .await;
        assert_eq!(a.status, 401);
        assert_eq!(a.json()["error"], "invalid_client");
        assert_eq!(a.content_type(), "application/json");
    }
    let a = t
        .send(
            t.http
                .post(&token_url)
                .basic_auth("cid", Some("s3cret:+/"))
                .body("grant_type=password"),
        )
        .await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"], "unsupported_grant_type");
    t.send(t.http.get(&token_url))
        .await
        .problem(405, "METHOD_NOT_ALLOWED");
    assert_eq!(t.server.tokens_issued(), 3);

    // The issued token works, then expires.
    let a = t
        .send(t.http.get(t.url("/dem/info")).bearer_auth(&token))
        .await;
    assert_eq!(a.status, 200);
    let r = t
        .send(
            t.http
                .post(t.url("/dem/records"))
                .bearer_auth(&token)
                .json(&record_body("GDPR")),
        )
        .await;
    assert_eq!(r.json()["systemMetadata"]["createdBy"], "cid");
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let a = t
        .send(t.http.get(t.url("/dem/info")).bearer_auth(&token))
        .await;
    a.problem(401, "UNAUTHORIZED");
    assert!(a.json()["detail"].as_str().unwrap().contains("expired"));
    // The static token never expires.
    assert_eq!(t.get("/dem/info").await.status, 200);
    // The token endpoint is journaled with the secret masked.
    let j = t.server.journal();
    let e = j
        .iter()
        .find(|e| e.path == "/auth/open/connect/token")
        .unwrap();
    assert_eq!(e.header("authorization"), Some("Basic ***"));
    assert_eq!(e.query_pairs(), vec![]);
    t.server.reset();
    assert_eq!(t.server.tokens_issued(), 0);
}

#[tokio::test]
async fn routing_errors() {
    let t = start().await;
    for p in [
        "/",
        "/sign",
        "/sign/",
        "/sign/nope",
        "/dem/records/a/b",
        "/sign/documents/",
        "/dem/ping",
        "/sign/documents/x/metadata/y",
    ] {
        let a = t.get(p).await;
        a.problem(404, "NOT_FOUND");
    }
    // Unknown routes 404 even without a token.
    t.send(t.http.get(t.url("/nope")))
        .await
        .problem(404, "NOT_FOUND");
    let wrong = [
        ("GET", "/sign/documents", "POST"),
        ("PUT", "/sign/documents/x", "GET, DELETE"),
        ("POST", "/sign/documents/x/metadata", "GET, PATCH"),
        ("DELETE", "/sign/signing-sessions", "GET, POST"),
        ("GET", "/dem/records", "POST, PATCH"),
        ("DELETE", "/dem/records/x", "GET, PATCH"),
        ("POST", "/dem/info", "GET"),
        ("PATCH", "/dem/reports/x", "GET"),
    ];
    for (m, p, allow) in wrong {
        let a = t.send(t.req(method(m), p)).await;
        a.problem(405, "METHOD_NOT_ALLOWED");
        assert_eq!(a.header("allow").as_deref(), Some(allow), "{m} {p}");
    }
    // Wrong JSON types name the field.
    t.post("/sign/signing-sessions", &json!("text"))
        .await
        .invalid(&["body"]);
    t.post(
        "/dem/records",
        &json!({"type": "GDPR", "metadata": 1, "coreData": {}, "ttl": 2}),
    )
    .await
    .invalid(&["metadata"]);
    // Body too large on a JSON route (default limit 1 MiB).
    let big = json!({"documents": [{"documentId": "x".repeat(1_100_000)}]});
    t.post("/sign/document-collections", &big)
        .await
        .problem(413, "PAYLOAD_TOO_LARGE");
    // The server keeps answering on the same client afterwards.
    assert_eq!(t.get("/dem/.ping").await.status, 200);
}

#[tokio::test]
async fn status_fault_n_times_then_normal() {
    let t = start().await;
    t.server.inject(
        Fault::status(Some("POST"), "/dem/records", 503)
            .times(2)
            .retry_after(7),
    );
    for _ in 0..2 {
        let a = t.post("/dem/records", &record_body("GDPR")).await;
        a.problem(503, "SERVICE_UNAVAILABLE");
        assert_eq!(a.header("retry-after").as_deref(), Some("7"));
    }
    // A faulted POST created nothing.
    assert_eq!(t.get("/dem/info").await.json()["totalRecords"], 0);
    assert_eq!(
        t.post("/dem/records", &record_body("GDPR")).await.status,
        201
    );
    // Method filter: a GET is not affected by a POST fault.
    t.server
        .inject(Fault::status(Some("POST"), "/dem/info", 500));
    assert_eq!(t.get("/dem/info").await.status, 200);
    t.server.clear_faults();

    // 429 with Retry-After, prefix match, non-JSON body.
    t.server
        .inject(Fault::status(None, "/sign/*", 429).retry_after(1));
    let a = t.get("/sign/signing-sessions").await;
    a.problem(429, "TOO_MANY_REQUESTS");
    assert_eq!(a.header("retry-after").as_deref(), Some("1"));
    t.server
        .inject(Fault::status(None, "/dem/.ping", 502).non_json());
    let a = t.get("/dem/.ping").await;
    assert_eq!(a.status, 502);
    assert!(a.content_type().starts_with("text/html"));
    assert!(serde_json::from_slice::<Value>(&a.bytes).is_err());
    assert_eq!(t.get("/dem/.ping").await.status, 200);

    // Faults apply before auth and to the token route too.
    t.server
        .inject(Fault::status(None, "/auth/open/connect/token", 500));
    let a = t
        .send(
            t.http
                .post(t.url("/auth/open/connect/token"))
                .basic_auth("mock-client", Some("mock-secret"))
                .body("grant_type=client_credentials"),
        )
        .await;
    assert_eq!(a.status, 500);
    assert_eq!(t.server.tokens_issued(), 0);

    // The journal records faulted requests with the status answered.
    let statuses: Vec<u16> = t
        .server
        .journal()
        .iter()
        .filter(|e| e.path == "/dem/records")
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, vec![503, 503, 201]);
}

#[tokio::test]
async fn faults_over_http_control_routes() {
    let t = start().await;
    let f = Fault::status(Some("GET"), "/dem/info", 418).times(1);
    let a = t.send(t.http.post(t.url("/__mock/faults")).json(&f)).await;
    assert_eq!(a.status, 201);
    assert_eq!(t.get("/dem/info").await.status, StatusCode::IM_A_TEAPOT);
    assert_eq!(t.get("/dem/info").await.status, 200);
    // Raw JSON with defaults (times = 1).
    let raw =
        json!({"path": "/dem/info", "action": {"kind": "status", "status": 503, "retry_after": 2}});
    assert_eq!(
        t.send(t.http.post(t.url("/__mock/faults")).json(&raw))
            .await
            .status,
        201
    );
    assert_eq!(
        t.send(t.http.delete(t.url("/__mock/faults"))).await.status,
        204
    );
    assert_eq!(t.get("/dem/info").await.status, 200);
    let bad = t
        .send(
            t.http
                .post(t.url("/__mock/faults"))
                .json(&json!({"path": 1})),
        )
        .await;
    bad.problem(400, "VALIDATION_ERROR");
    // Serde shape of FaultAction.
    let v = serde_json::to_value(FaultAction::CloseAfter { bytes: 3 }).unwrap();
    assert_eq!(v, json!({"kind": "close_after", "bytes": 3}));
}

#[tokio::test]
async fn delay_fault() {
    let t = start().await;
    t.server
        .inject(Fault::delay(Some("GET"), "/dem/.ping", 300));
    let started = Instant::now();
    let a = t.get("/dem/.ping").await;
    assert_eq!(a.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    t.get("/dem/.ping").await;
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn close_after_fault_cuts_the_body() {
    let t = start().await;
    for r in 0..3 {
        t.record(&json!({"type": "GDPR", "metadata": {"r": r}, "coreData": {}, "ttl": 2}))
            .await;
    }
    t.server
        .inject(Fault::close_after(None, "/dem/records/query", 10));
    let resp = t
        .req(Method::POST, "/dem/records/query")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.content_length().unwrap() > 10);
    assert!(resp.bytes().await.is_err(), "the body must fail mid-way");
    // Next request is normal (on a fresh connection).
    let a = t.send(t.req(Method::POST, "/dem/records/query")).await;
    assert_eq!(a.json()["totalElements"], 3);
    // Zero bytes.
    t.server.inject(Fault::close_after(None, "/dem/info", 0));
    let resp = t.req(Method::GET, "/dem/info").send().await.unwrap();
    assert!(resp.bytes().await.is_err());
    let j = t.server.journal();
    assert_eq!(
        j.iter()
            .filter(|e| e.path == "/dem/records/query")
            .map(|e| e.status)
            .collect::<Vec<_>>(),
        vec![200, 200]
    );
}

#[tokio::test]
async fn journal_contents() {
    let t = start().await;
    let body = json!({"type": "GDPR", "metadata": {"a": 1}, "coreData": {}, "ttl": 2});
    let bytes = serde_json::to_vec(&body).unwrap();
    t.send(
        t.req(Method::POST, "/dem/records/query?page=0&size=5&q=a%2Bb+c")
            .header("x-custom", "Yes")
            .header("content-type", "application/json")
            .body("{}"),
    )
    .await;
    t.send(
        t.req(Method::POST, "/dem/records")
            .header("content-type", "application/json")
            .body(bytes.clone()),
    )
    .await;
    t.send(t.http.get(t.url("/nowhere/a%2Fb"))).await;
    t.send(t.http.get(t.url("/__mock/journal"))).await; // control routes are not journaled
    let j = t.server.journal();
    assert_eq!(j.len(), 3, "{j:#?}");
    let q = &j[0];
    assert_eq!(q.method, "POST");
    assert_eq!(q.path, "/dem/records/query");
    assert_eq!(q.query.as_deref(), Some("page=0&size=5&q=a%2Bb+c"));
    assert_eq!(
        q.query_pairs(),
        vec![
            ("page".into(), "0".into()),
            ("size".into(), "5".into()),
            ("q".into(), "a+b c".into())
        ]
    );
    assert_eq!(q.header("authorization"), Some("Bearer ***"));
    assert_eq!(q.header("X-Custom"), Some("Yes"));
    assert!(q.headers.iter().all(|(n, _)| *n == n.to_ascii_lowercase()));
    assert_eq!(q.status, 200);
    let r = &j[1];
    assert_eq!(r.status, 201);
    assert_eq!(r.body_len, bytes.len() as u64);
    let hash: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(r.body_sha256, hash);
    assert_eq!(r.json(), Some(body));
    assert_eq!(j[2].path, "/nowhere/a%2Fb");
    assert_eq!(j[2].status, 404);
    assert_eq!(j[2].header("authorization"), None);
    // The HTTP view equals the in-process one.
    let http: Vec<signicat_dem_mock::JournalEntry> =
        serde_json::from_slice(&t.send(t.http.get(t.url("/__mock/journal"))).await.bytes).unwrap();
    assert_eq!(http, j);
    // Large bodies: only the first 64 KiB are kept, the hash covers everything.
    let big = vec![b'x'; 100_000];
    t.upload(&big, "text/plain").await;
    let e = t.server.journal().pop().unwrap();
    assert_eq!(e.body_len, 100_000);
    assert_eq!(e.body.len(), 64 * 1024);
    // Clearing.
    assert_eq!(
        t.send(t.http.delete(t.url("/__mock/journal"))).await.status,
        204
    );
    assert!(t.server.journal().is_empty());
    t.get("/dem/.ping").await;
    t.server.clear_journal();
    assert!(t.server.journal().is_empty());
}

#[tokio::test]
async fn reset_clears_everything() {
    let t = start().await;
    let doc = t.document().await;
    t.record(&record_body("GDPR")).await;
    t.server.inject(Fault::status(None, "*", 500).times(100));
    t.server.issue_token(Duration::from_secs(60));
    assert_eq!(
        t.send(t.http.post(t.url("/__mock/reset"))).await.status,
        204
    );
    assert_eq!(t.server.tokens_issued(), 0);
    assert!(t.server.journal().is_empty());
    t.get(&format!("/sign/documents/{doc}"))
        .await
        .problem(404, "NOT_FOUND");
    assert_eq!(t.get("/dem/info").await.json()["totalRecords"], 0);
    let unknown = t.send(t.http.get(t.url("/__mock/nope"))).await;
    unknown.problem(404, "NOT_FOUND");
    let wrong = t.send(t.http.get(t.url("/__mock/reset"))).await;
    wrong.problem(405, "METHOD_NOT_ALLOWED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_creates() {
    let t = start().await;
    let (coll, doc) = t.collection(false).await;
    let n = 510;
    let futs = (0..n).map(|i| {
        let t = &t;
        let (coll, doc) = (coll.clone(), doc.clone());
        async move {
            match i % 3 {
                0 => {
                    let a = t.upload(format!("doc {i}").as_bytes(), "text/plain").await;
                    assert_eq!(a.status, 200);
                    ("doc", a.json()["documentId"].as_str().unwrap().to_string())
                }
                1 => {
                    let a = t
                        .post(
                            "/sign/signing-sessions",
                            &json!([session_item(&format!("s{i}"), &coll, &doc)]),
                        )
                        .await;
                    assert_eq!(a.status, 201, "{}", a.text());
                    ("session", a.json()[0]["id"].as_str().unwrap().to_string())
                }
                _ => {
                    let a = t
                        .post(
                            "/dem/records",
                            &record_body(if i % 2 == 0 { "GDPR" } else { "KYC" }),
                        )
                        .await;
                    assert_eq!(a.status, 201);
                    ("record", a.json()["id"].as_str().unwrap().to_string())
                }
            }
        }
    });
    let results = futures_util::future::join_all(futs).await;
    assert_eq!(results.len(), n);
    let ids: HashSet<&String> = results.iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), n, "ids are unique");
    let count = |k: &str| results.iter().filter(|(kind, _)| *kind == k).count();
    assert_eq!(count("doc") + count("session") + count("record"), n);

    let list = t.get("/sign/signing-sessions?limit=1000").await.json();
    assert_eq!(list["total"], count("session"));
    let listed: HashSet<String> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    let sessions: HashSet<String> = results
        .iter()
        .filter(|(k, _)| *k == "session")
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(listed, sessions);
    let stats = t.get("/dem/info").await.json();
    assert_eq!(stats["totalRecords"], count("record"));
    let by_type = &stats["totalRecordsByType"];
    assert_eq!(
        by_type["GDPR"].as_u64().unwrap() + by_type["KYC"].as_u64().unwrap(),
        count("record") as u64
    );
    let q = t
        .post("/dem/records/query?size=1000", &json!({}))
        .await
        .json();
    assert_eq!(q["totalElements"], count("record"));
    for (kind, id) in results.iter().filter(|(k, _)| *k == "doc") {
        assert_eq!(*kind, "doc");
        assert_eq!(
            t.get(&format!("/sign/documents/{id}/metadata"))
                .await
                .status,
            200
        );
    }
    // Journal: every request recorded once.
    assert_eq!(
        t.server.journal().iter().filter(|e| e.status == 0).count(),
        0
    );
    assert!(t.server.journal().len() > n);
}

#[test]
fn start_blocking_from_plain_test() {
    let server = MockServer::start_blocking();
    let addr = server.addr();
    assert_eq!(server.base_url(), format!("http://{addr}"));
    assert_eq!(server.token(), "mock-token");
    // A plain blocking HTTP/1.1 exchange.
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /dem/.ping HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer mock-token\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.ends_with("OK"));
    assert_eq!(server.journal().len(), 1);
    drop(server);
    // After drop the port stops accepting (give the runtime a moment).
    let deadline = Instant::now() + Duration::from_secs(3);
    while std::net::TcpStream::connect(addr).is_ok() {
        assert!(
            Instant::now() < deadline,
            "server still accepting after drop"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn start_blocking_inside_a_runtime() {
    let server = MockServer::start_blocking();
    let http = common::http_client();
    let a = http
        .get(format!("{}/dem/.ping", server.base_url()))
        .bearer_auth(server.token())
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), 200);
    drop(server); // must not panic inside a runtime
}

#[tokio::test]
async fn custom_token_and_try_start() {
    let server = MockServer::builder()
        .token("tok")
        .try_start()
        .await
        .unwrap();
    let t = wrap(server);
    assert_eq!(t.get("/dem/.ping").await.status, 200);
    let a = t
        .send(t.http.get(t.url("/dem/.ping")).bearer_auth("mock-token"))
        .await;
    a.problem(401, "UNAUTHORIZED");
    // Binding a taken port fails cleanly.
    let port = t.server.addr().port();
    assert!(MockServer::builder().port(port).try_start().await.is_err());
}

async fn examples_server() -> T {
    wrap(MockServer::builder().mode(Mode::Examples).start().await)
}

#[tokio::test]
async fn examples_mode_answers_documented_examples() {
    let t = examples_server().await;
    assert_eq!(t.server.mode(), Mode::Examples);
    let session = json!([{"title": "t", "documents": [{"action": "SIGN", "documentCollectionId": "c", "documentId": "d"}],
        "signingSetup": [{"identityProviders": [{"idpName": "x"}], "signingFlow": "PKISIGNING"}],
        "dueDate": "2001-01-01T00:00:00Z", "subsequentTo": ["ghost"]}]);
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, Vec<u8>)>, u16);
    let cases: Vec<Case> = vec![
        (
            "POST",
            "/sign/documents",
            Some(("application/pdf", b"%PDF".to_vec())),
            200,
        ),
        ("GET", "/sign/documents/any", None, 200),
        ("DELETE", "/sign/documents/any", None, 204),
        ("GET", "/sign/documents/any/metadata", None, 200),
        (
            "PATCH",
            "/sign/documents/any/metadata",
            Some(("application/json", b"{}".to_vec())),
            200,
        ),
        (
            "POST",
            "/sign/document-collections",
            Some((
                "application/json",
                br#"{"documents":[{"documentId":"ghost"}]}"#.to_vec(),
            )),
            201,
        ),
        ("GET", "/sign/document-collections/any", None, 200),
        ("DELETE", "/sign/document-collections/any", None, 204),
        (
            "POST",
            "/sign/signing-sessions",
            Some(("application/json", serde_json::to_vec(&session).unwrap())),
            201,
        ),
        ("GET", "/sign/signing-sessions?sort=-whatever", None, 200),
        ("GET", "/sign/signing-sessions/any", None, 200),
        ("DELETE", "/sign/signing-sessions/any", None, 204),
        ("GET", "/dem/.ping", None, 200),
        ("GET", "/dem/info", None, 200),
        ("GET", "/dem/info/custom-fields", None, 200),
        ("GET", "/dem/info/custom-fields/GDPR", None, 200),
        ("GET", "/dem/records/any", None, 200),
        (
            "POST",
            "/dem/records",
            Some((
                "application/json",
                br#"{"type":"GDPR","metadata":{},"coreData":{},"ttl":2,"relations":["ghost"]}"#
                    .to_vec(),
            )),
            201,
        ),
        (
            "PATCH",
            "/dem/records",
            Some(("application/json", br#"{"query":{},"ttl":2}"#.to_vec())),
            200,
        ),
        (
            "PATCH",
            "/dem/records/any",
            Some(("application/json", br#"{"ttl":2}"#.to_vec())),
            204,
        ),
        ("POST", "/dem/records/query", None, 200),
        ("GET", "/dem/reports/any", None, 200),
    ];
    assert_eq!(cases.len(), 22);
    let mut answers = Vec::new();
    for (m, p, body, status) in cases {
        let mut rb = t.req(method(m), p);
        if let Some((ct, b)) = body {
            rb = rb.header("content-type", ct).body(b);
        }
        let a = t.send(rb).await;
        assert_eq!(a.status.as_u16(), status, "{m} {p}: {}", a.text());
        answers.push(a);
    }
    assert_eq!(
        answers[0].json()["documentId"],
        "d1234567-89ab-cdef-0123-456789abcdef"
    );
    assert_eq!(answers[1].content_type(), "application/pdf");
    assert_eq!(answers[3].json()["title"], "Invoice #001");
    assert_eq!(
        answers[5].json()["id"],
        "f05d0dce-a7af-432b-b6b8-e455ab7c0858"
    );
    assert_eq!(answers[8].json()[0]["title"], "Business Process");
    assert_eq!(
        answers[9].json(),
        json!({"count": 100, "limit": 100, "offset": 0, "total": 1000})
    );
    assert_eq!(
        answers[10].json()["id"],
        "f05d0dce-a7af-432b-b6b8-e455ab7c0852"
    );
    assert_eq!(answers[12].text(), "OK");
    assert!(answers[13].json()["totalRecords"].is_u64());
    assert!(answers[14].json().is_array());
    assert!(answers[16].json()["coreData"].is_object());
    assert!(answers[19].bytes.is_empty());
    assert!(answers[20].json()["content"][0].get("coreData").is_none());
    assert_eq!(answers[21].content_type(), "application/pdf");
    assert!(answers[18].text().ends_with("records updated"));
    // Nothing is stored.
    assert_eq!(t.get("/dem/info").await.json()["totalRecords"], 3);
}

#[tokio::test]
async fn examples_mode_still_validates_schema_and_auth() {
    let t = examples_server().await;
    t.post("/dem/records", &json!({"type": "GDPR"}))
        .await
        .invalid(&["metadata", "coreData", "ttl"]);
    t.post("/sign/signing-sessions", &json!([{"title": "t"}]))
        .await
        .invalid(&["[0].documents", "[0].signingSetup"]);
    t.post("/sign/signing-sessions", &json!([]))
        .await
        .invalid(&["body"]);
    t.post(
        "/sign/document-collections",
        &json!({"documents": [{"documentId": 1}]}),
    )
    .await
    .invalid(&["documents[0].documentId"]);
    t.get("/sign/signing-sessions?limit=abc")
        .await
        .invalid(&["limit"]);
    t.upload(b"x", "image/gif")
        .await
        .problem(415, "UNSUPPORTED_MEDIA_TYPE");
    t.send(t.http.get(t.url("/dem/info")))
        .await
        .problem(401, "UNAUTHORIZED");
    t.get("/dem/nope").await.problem(404, "NOT_FOUND");
    t.send(t.req(Method::PUT, "/dem/info"))
        .await
        .problem(405, "METHOD_NOT_ALLOWED");
    t.send(
        t.req(Method::POST, "/dem/records")
            .header("content-type", "application/json")
            .body("nope"),
    )
    .await
    .problem(400, "MALFORMED_JSON");
}
