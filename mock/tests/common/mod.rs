//! Shared helpers for the emulator's integration tests.
#![allow(dead_code)]

use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};
use signicat_dem_mock::MockServer;

pub struct T {
    pub server: MockServer,
    pub http: Client,
    pub base: String,
}

pub async fn start() -> T {
    wrap(MockServer::start().await)
}

pub fn wrap(server: MockServer) -> T {
    let base = server.base_url();
    T {
        server,
        http: http_client(),
        base,
    }
}

/// A plain HTTP client. In a workspace build the SDK's `async` feature unifies reqwest's
/// `rustls-no-provider` into this dev-dependency, and reqwest then needs a process-wide
/// crypto provider even for plain http; installing ring (idempotent) covers both builds.
pub fn http_client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::new()
}

/// A decoded answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }
    pub fn content_type(&self) -> String {
        self.header("content-type").unwrap_or_default()
    }
    /// Asserts a problem document with this status and code; answers the invalidParams names.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> Vec<String> {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        assert_eq!(
            self.content_type(),
            "application/problem+json",
            "body: {}",
            self.text()
        );
        let v = self.json();
        assert_eq!(v["code"], code, "body: {v}");
        assert_eq!(v["status"], status, "body: {v}");
        assert!(
            v["traceId"].as_str().is_some_and(|t| t.len() == 32),
            "body: {v}"
        );
        assert!(
            v["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("https://")),
            "body: {v}"
        );
        assert!(
            v["title"].is_string() && v["detail"].is_string(),
            "body: {v}"
        );
        v["invalidParams"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Asserts a 400 validation problem naming exactly these parameters (in any order).
    #[track_caller]
    pub fn invalid(&self, names: &[&str]) {
        let mut got = self.problem(400, "VALIDATION_ERROR");
        got.sort();
        let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "body: {}", self.text());
    }
}

pub async fn answer(resp: Response) -> Answer {
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("body").to_vec();
    Answer {
        status,
        headers,
        bytes,
    }
}

impl T {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(self.server.token())
    }

    pub async fn send(&self, rb: reqwest::RequestBuilder) -> Answer {
        answer(rb.send().await.expect("send")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.req(Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(self.req(Method::DELETE, path)).await
    }

    pub async fn json(&self, method: Method, path: &str, body: &Value) -> Answer {
        self.send(self.req(method, path).json(body)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.json(Method::POST, path, body).await
    }

    pub async fn upload(&self, bytes: &[u8], content_type: &str) -> Answer {
        self.send(
            self.req(Method::POST, "/sign/documents")
                .header("content-type", content_type)
                .body(bytes.to_vec()),
        )
        .await
    }

    /// Uploads a document; answers its id.
    pub async fn document(&self) -> String {
        let a = self.upload(b"%PDF-1.4\n%%EOF\n", "application/pdf").await;
        assert_eq!(a.status, 200, "{}", a.text());
        a.json()["documentId"].as_str().unwrap().to_string()
    }

    /// Creates a collection with one new document; answers (collection id, document id).
    pub async fn collection(&self, package: bool) -> (String, String) {
        let doc = self.document().await;
        let mut body = json!({"documents": [{"documentId": doc, "description": "d"}]});
        if package {
            body["packageTo"] = json!(["PADES_CONTAINER"]);
        }
        let a = self.post("/sign/document-collections", &body).await;
        assert_eq!(a.status, 201, "{}", a.text());
        (a.json()["id"].as_str().unwrap().to_string(), doc)
    }

    /// A valid session item for a new collection+document.
    pub async fn session_item(&self, title: &str) -> Value {
        let (coll, doc) = self.collection(false).await;
        session_item(title, &coll, &doc)
    }

    /// Creates sessions; asserts 201; answers the created array.
    pub async fn create_sessions(&self, items: Value) -> Vec<Value> {
        let a = self.post("/sign/signing-sessions", &items).await;
        assert_eq!(a.status, 201, "{}", a.text());
        a.json().as_array().unwrap().clone()
    }

    pub async fn record(&self, body: &Value) -> Value {
        let a = self.post("/dem/records", body).await;
        assert_eq!(a.status, 201, "{}", a.text());
        a.json()
    }
}

pub fn session_item(title: &str, coll: &str, doc: &str) -> Value {
    json!({
        "title": title,
        "documents": [{"action": "SIGN", "documentCollectionId": coll, "documentId": doc}],
        "signingSetup": [{"identityProviders": [{"idpName": "nbid"}], "signingFlow": "AUTHENTICATION_BASED"}]
    })
}

pub fn record_body(kind: &str) -> Value {
    json!({"type": kind, "metadata": {"firstName": "Ola"}, "coreData": {"x": 1}, "ttl": 30})
}

/// Percent-encodes every byte outside the RFC 3986 unreserved set.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn rfc3339_in(days: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}
