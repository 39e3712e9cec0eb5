//! Every operation × both clients, on the wire. Compiled once per flavour (see `tests/wire.rs`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use signicat_dem::ErrorKind;
use signicat_dem::models::*;
use signicat_dem_mock::{Fault, JournalEntry};

use super::harness::{Harness, fast_retries, oauth};
use super::{FLAVOUR, maybe_async};

const PDF: &[u8] =
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n\x00\x01\x02 binary tail\n%%EOF\n";

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The last request the emulator received.
fn last(h: &Harness) -> JournalEntry {
    h.server
        .journal()
        .pop()
        .expect("the emulator received a request")
}

/// Headers every SDK request carries: the bearer token (masked by the journal) and our
/// User-Agent naming the flavour.
fn assert_common_headers(e: &JournalEntry) {
    assert_eq!(e.header("authorization"), Some("Bearer ***"), "{e:?}");
    let ua = e.header("user-agent").unwrap_or_default();
    assert!(
        ua.starts_with(&format!("signicat-dem/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    assert!(ua.contains(FLAVOUR), "{ua}");
    assert!(e.headers.iter().all(|(k, _)| !k.starts_with("x-sideko")));
}

fn assert_json_request(e: &JournalEntry, method: &str, path: &str, body: &Value) {
    assert_eq!(e.method, method);
    assert_eq!(e.path, path);
    assert_eq!(e.header("content-type"), Some("application/json"));
    assert_eq!(e.json().as_ref(), Some(body), "body sent");
    assert_common_headers(e);
}

fn assert_bodyless(e: &JournalEntry, method: &str, path: &str) {
    assert_eq!(e.method, method);
    assert_eq!(e.path, path);
    assert_eq!(e.query, None);
    assert_eq!(e.body_len, 0);
    assert_eq!(e.header("content-type"), None);
    assert_common_headers(e);
}

#[maybe_async]
async fn upload(h: &Harness, bytes: &[u8]) -> String {
    let doc = h
        .client
        .sign()
        .upload_document("application/pdf", bytes.to_vec())
        .await
        .expect("upload");
    doc.document_id.expect("document id")
}

#[maybe_async]
async fn upload_collection(h: &Harness) -> (String, String) {
    let doc = upload(h, PDF).await;
    let coll = h
        .client
        .sign()
        .create_document_collection(&DocumentCollection::new(vec![DocumentReference::new(&doc)]))
        .await
        .expect("collection");
    (doc, coll.id.expect("collection id"))
}

fn session(title: &str, collection: &str, doc: &str) -> SigningSession {
    SigningSession::new(
        title,
        vec![SessionDocument::sign(collection, doc)],
        vec![SigningSetup::new(
            SigningFlow::AuthenticationBased,
            ["nbid"],
        )],
    )
}

#[maybe_async]
async fn new_session(h: &Harness, title: &str) -> SigningSession {
    let (doc, coll) = upload_collection(h).await;
    let mut created = h
        .client
        .sign()
        .create_signing_session(&[session(title, &coll, &doc)])
        .await
        .expect("create session");
    created.remove(0)
}

fn metadata(pairs: &[(&str, Value)]) -> serde_json::Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

#[maybe_async]
async fn new_record(h: &Harness, kind: RecordType, name: &str, age: i64) -> RecordResponse {
    let req = RecordRequest::new(
        kind,
        metadata(&[("firstName", json!(name)), ("age", json!(age))]),
        metadata(&[("payload", json!({"amount": 10}))]),
        30,
    );
    h.client
        .dem()
        .post_new_record(&req)
        .await
        .expect("post record")
}

// ---------------------------------------------------------------- Sign: documents

#[maybe_async]
async fn upload_document_sends_raw_bytes_with_callers_content_type(h: &Harness) {
    let resp = h
        .client
        .sign()
        .upload_document("application/pdf", PDF.to_vec())
        .await
        .expect("upload");
    let e = last(h);
    assert_eq!(
        (e.method.as_str(), e.path.as_str()),
        ("POST", "/sign/documents")
    );
    assert_eq!(e.header("content-type"), Some("application/pdf"));
    assert_eq!(e.body_len, PDF.len() as u64);
    assert_eq!(e.body_sha256, sha256_hex(PDF));
    assert_eq!(e.body, PDF, "raw bytes, never multipart");
    assert_common_headers(&e);
    assert_eq!(resp.mime_type.as_deref(), Some("application/pdf"));
    let hash = resp.document_hash.expect("documentHash");
    assert_eq!(hash.hash.as_deref(), Some(sha256_hex(PDF).as_str()));
    assert_eq!(hash.hash_algorithm, Some(HashAlgorithm::Sha256));
    assert!(resp.created_at.is_some());
}

#[maybe_async]
async fn get_document_returns_exactly_the_uploaded_bytes(h: &Harness) {
    let id = upload(h, PDF).await;
    let bytes = h.client.sign().get_document(&id).await.expect("download");
    assert_eq!(bytes, PDF);
    assert_bodyless(&last(h), "GET", &format!("/sign/documents/{id}"));

    let body = h
        .client
        .sign()
        .get_document_stream(&id)
        .await
        .expect("stream");
    assert_eq!(body.content_length(), Some(PDF.len() as u64));
    let streamed = body.read_limited(1 << 20).await.expect("read stream");
    assert_eq!(streamed, PDF);
}

#[maybe_async]
async fn get_document_info_and_update_metadata(h: &Harness) {
    let id = upload(h, PDF).await;
    let info = h.client.sign().get_document_info(&id).await.expect("info");
    assert_bodyless(&last(h), "GET", &format!("/sign/documents/{id}/metadata"));
    assert_eq!(info.document_id.as_deref(), Some(id.as_str()));
    assert_eq!(info.mime_type.as_deref(), Some("application/pdf"));

    let update = UpdateDocument {
        title: Some("Invoice #001".into()),
        filename: Some("invoice_001.pdf".into()),
        description: Some("Invoice for order #001".into()),
        ..Default::default()
    };
    let doc = h
        .client
        .sign()
        .update_document_metadata(&id, &update)
        .await
        .expect("update");
    assert_json_request(
        &last(h),
        "PATCH",
        &format!("/sign/documents/{id}/metadata"),
        &json!({"title": "Invoice #001", "filename": "invoice_001.pdf", "description": "Invoice for order #001"}),
    );
    assert_eq!(doc.title.as_deref(), Some("Invoice #001"));
    assert_eq!(doc.filename.as_deref(), Some("invoice_001.pdf"));
    let again = h.client.sign().get_document_info(&id).await.expect("info");
    assert_eq!(again.description.as_deref(), Some("Invoice for order #001"));
}

#[maybe_async]
async fn delete_document_then_404(h: &Harness) {
    let id = upload(h, PDF).await;
    h.client.sign().delete_document(&id).await.expect("delete");
    let e = last(h);
    assert_bodyless(&e, "DELETE", &format!("/sign/documents/{id}"));
    assert_eq!(e.status, 204);
    let err = h.client.sign().get_document(&id).await.expect_err("gone");
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.problem().and_then(|p| p.code.as_deref()),
        Some("NOT_FOUND")
    );
    assert!(err.trace_id().is_some());
    assert_eq!(err.operation(), Some("get_document"));
    let err = h
        .client
        .sign()
        .delete_document(&id)
        .await
        .expect_err("gone");
    assert_eq!(err.status(), Some(404));
}

#[maybe_async]
async fn upload_document_file_streams_from_disk(h: &Harness) {
    let dir = std::env::temp_dir().join(format!(
        "signicat-dem-test-{}-{}",
        std::process::id(),
        FLAVOUR
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("contract.pdf");
    let big: Vec<u8> = (0..300_000u32).flat_map(|i| i.to_le_bytes()).collect();
    std::fs::write(&path, &big).expect("write");
    let resp = h
        .client
        .sign()
        .upload_document_file("application/pdf", &path)
        .await
        .expect("upload file");
    let e = last(h);
    assert_eq!(
        (e.method.as_str(), e.path.as_str()),
        ("POST", "/sign/documents")
    );
    assert_eq!(
        e.header("content-length"),
        Some(big.len().to_string().as_str())
    );
    assert_eq!(e.body_sha256, sha256_hex(&big));
    let id = resp.document_id.expect("id");
    let back = h.client.sign().get_document(&id).await.expect("download");
    assert_eq!(back, big);
    let missing = h
        .client
        .sign()
        .upload_document_file("application/pdf", dir.join("nope.pdf"))
        .await;
    let err = missing.expect_err("no such file");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{err:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[maybe_async]
async fn upload_document_reader_streams_once(h: &Harness) {
    let data = b"plain text evidence\n".repeat(1000);
    let reader = std::io::Cursor::new(data.clone());
    let resp = h
        .client
        .sign()
        .upload_document_reader("text/plain", reader, None)
        .await
        .expect("upload reader");
    let e = last(h);
    assert_eq!(
        e.header("transfer-encoding"),
        Some("chunked"),
        "unknown length: chunked"
    );
    assert_eq!(e.body_sha256, sha256_hex(&data));
    assert_eq!(e.header("content-type"), Some("text/plain"));
    let id = resp.document_id.expect("id");
    let back = h.client.sign().get_document(&id).await.expect("download");
    assert_eq!(back, data);

    let reader = std::io::Cursor::new(data.clone());
    let len = data.len() as u64;
    h.client
        .sign()
        .upload_document_reader("text/plain", reader, Some(len))
        .await
        .expect("upload with length");
    assert_eq!(
        last(h).header("content-length"),
        Some(len.to_string().as_str())
    );

    // A reader cannot be re-sent, so even a retryable failure is final.
    h.server
        .inject(Fault::status(Some("POST"), "/sign/documents", 503));
    let reader = std::io::Cursor::new(data.clone());
    let client = h.client(|b| b.max_retries(3));
    let err = client
        .sign()
        .upload_document_reader("text/plain", reader, Some(len))
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), 1);
}

#[maybe_async]
async fn get_cut_mid_body_is_retried(h: &Harness) {
    let big: Vec<u8> = (0..50_000u32).flat_map(|i| i.to_be_bytes()).collect();
    let id = upload(h, &big).await;
    let path = format!("/sign/documents/{id}");
    h.server
        .inject(Fault::close_after(Some("GET"), &path, 1_000));
    let back = h
        .client
        .sign()
        .get_document(&id)
        .await
        .expect("retried after the cut");
    assert_eq!(back, big);
    let gets = h
        .server
        .journal()
        .iter()
        .filter(|e| e.method == "GET" && e.path == path)
        .count();
    assert_eq!(gets, 2);
}

// ---------------------------------------------------------------- Sign: collections

#[maybe_async]
async fn document_collection_create_get_delete(h: &Harness) {
    let doc = upload(h, PDF).await;
    let coll =
        DocumentCollection::new(vec![DocumentReference::new(&doc).with_description("Terms")])
            .with_package_to([PackageType::PadesContainer]);
    let created = h
        .client
        .sign()
        .create_document_collection(&coll)
        .await
        .expect("create");
    assert_json_request(
        &last(h),
        "POST",
        "/sign/document-collections",
        &json!({"documents": [{"documentId": doc, "description": "Terms"}], "packageTo": ["PADES_CONTAINER"]}),
    );
    let id = created.id.clone().expect("server-chosen id");
    assert_eq!(created.documents, coll.documents);

    let got = h
        .client
        .sign()
        .get_document_collection(&id)
        .await
        .expect("get");
    assert_bodyless(&last(h), "GET", &format!("/sign/document-collections/{id}"));
    assert_eq!(got, created);

    h.client
        .sign()
        .delete_document_collection(&id)
        .await
        .expect("delete");
    assert_bodyless(
        &last(h),
        "DELETE",
        &format!("/sign/document-collections/{id}"),
    );
    let err = h
        .client
        .sign()
        .get_document_collection(&id)
        .await
        .expect_err("gone");
    assert_eq!(err.status(), Some(404));
}

// ---------------------------------------------------------------- Sign: sessions

#[maybe_async]
async fn create_signing_session_sends_an_array_and_returns_created_sessions(h: &Harness) {
    let (doc, coll) = upload_collection(h).await;
    let due = time::OffsetDateTime::now_utc() + time::Duration::days(7);
    let due = due.replace_nanosecond(0).expect("whole seconds");
    let s = session("Employment contract", &coll, &doc)
        .with_external_reference("ext-1")
        .with_due_date(due)
        .with_ui(Ui::new(Language::Nb));
    let created = h
        .client
        .sign()
        .create_signing_session(std::slice::from_ref(&s))
        .await
        .expect("create");
    let e = last(h);
    let sent = e.json().expect("json body");
    assert!(sent.is_array(), "the body is a JSON array");
    assert_json_request(
        &e,
        "POST",
        "/sign/signing-sessions",
        &json!([serde_json::to_value(&s).expect("encode")]),
    );
    assert_eq!(
        sent[0]["dueDate"],
        json!(
            due.format(&time::format_description::well_known::Rfc3339)
                .expect("fmt")
        )
    );
    assert_eq!(sent[0]["title"], json!("Employment contract"));
    assert!(
        sent[0].get("lifecycle").is_none(),
        "unset optionals are omitted, not null"
    );

    assert_eq!(created.len(), 1);
    let c = &created[0];
    assert!(c.id.is_some());
    assert!(c.signature_url.is_some());
    assert_eq!(c.state(), Some(&SessionState::Ready));
    assert!(!c.is_final());
    assert_eq!(c.external_reference.as_deref(), Some("ext-1"));
    assert_eq!(c.due_date, Some(due));
}

#[maybe_async]
async fn get_and_delete_signing_session(h: &Harness) {
    let created = new_session(h, "Get me").await;
    let id = created.id.clone().expect("id");
    let got = h.client.sign().get_signing_session(&id).await.expect("get");
    assert_bodyless(&last(h), "GET", &format!("/sign/signing-sessions/{id}"));
    assert_eq!(got.title, "Get me");
    assert_eq!(got.id, created.id);

    h.server.sign_session(&id).expect("simulate the signer");
    let signed = h.client.sign().get_signing_session(&id).await.expect("get");
    assert_eq!(signed.state(), Some(&SessionState::Signed));
    assert!(signed.is_final());
    let sig = &signed
        .output
        .as_ref()
        .and_then(|o| o.signatures.clone())
        .expect("signatures")[0];
    let result = h
        .client
        .sign()
        .get_document(&sig.result_document_id)
        .await
        .expect("signed result is downloadable");
    assert!(!result.is_empty());

    h.client
        .sign()
        .delete_signing_session(&id)
        .await
        .expect("delete");
    assert_bodyless(&last(h), "DELETE", &format!("/sign/signing-sessions/{id}"));
    let err = h
        .client
        .sign()
        .get_signing_session(&id)
        .await
        .expect_err("gone");
    assert_eq!(err.status(), Some(404));
}

#[maybe_async]
async fn list_signing_sessions_form_explodes_the_query(h: &Harness) {
    let (doc, coll) = upload_collection(h).await;
    let batch: Vec<SigningSession> = ["c", "a", "d", "b"]
        .iter()
        .map(|t| session(t, &coll, &doc))
        .collect();
    h.client
        .sign()
        .create_signing_session(&batch)
        .await
        .expect("create");

    let params = ListSigningSessions::new()
        .limit(2)
        .offset(1)
        .sort(SessionSort::asc("title"))
        .sort(SessionSort::desc("createdAt"));
    let page = h
        .client
        .sign()
        .list_signing_sessions(&params)
        .await
        .expect("list");
    let e = last(h);
    assert_eq!(
        (e.method.as_str(), e.path.as_str()),
        ("GET", "/sign/signing-sessions")
    );
    assert_eq!(
        e.query.as_deref(),
        Some("limit=2&offset=1&sort=%2Btitle&sort=-createdAt")
    );
    assert_common_headers(&e);
    let titles: Vec<&str> = page
        .data
        .iter()
        .flatten()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["b", "c"]);
    assert_eq!(page.total, Some(4));
    assert_eq!(page.count, Some(2));

    let all = h
        .client
        .sign()
        .list_signing_sessions(&ListSigningSessions::new())
        .await
        .expect("list");
    assert_eq!(last(h).query, None, "no parameters, no query string");
    assert_eq!(all.data.map(|d| d.len()), Some(4));
}

// ---------------------------------------------------------------- DEM

#[maybe_async]
async fn ping_sends_the_token_and_returns_text(h: &Harness) {
    let pong = h.client.dem().ping().await.expect("ping");
    assert_eq!(pong.trim(), "OK");
    assert_bodyless(&last(h), "GET", "/dem/.ping");
}

#[maybe_async]
async fn post_new_record_and_get_it_back(h: &Harness) {
    let first = new_record(h, RecordType::Gdpr, "Ola", 30).await;
    let req = RecordRequest::new(
        RecordType::Consent,
        metadata(&[("customerId", json!("c-42"))]),
        metadata(&[("text", json!("I agree"))]),
        10,
    )
    .with_relations([first.id.clone().expect("id")])
    .with_audit_level(AuditLevel::Simple);
    let rec = h.client.dem().post_new_record(&req).await.expect("post");
    assert_json_request(
        &last(h),
        "POST",
        "/dem/records",
        &json!({
            "type": "CONSENT",
            "metadata": {"customerId": "c-42"},
            "coreData": {"text": "I agree"},
            "ttl": 10,
            "relations": [first.id],
            "auditLevel": "SIMPLE"
        }),
    );
    let sys = rec.system_metadata.clone().expect("systemMetadata");
    assert_eq!(sys.record_type, Some(RecordType::Consent));
    assert_eq!(sys.audit_level, Some(AuditLevel::Simple));
    let created = sys.created_date_time.expect("createdDateTime");
    let expiry = sys.expiry_date.expect("expiryDate");
    assert_eq!((expiry - created).whole_days(), 10);
    let rel = &rec.relations.clone().expect("relations")[0];
    assert_eq!(rel.relation_id, first.id);

    let id = rec.id.clone().expect("id");
    let got = h.client.dem().get_record_by_id(&id).await.expect("get");
    assert_bodyless(&last(h), "GET", &format!("/dem/records/{id}"));
    assert_eq!(got.core_data, rec.core_data);
    assert_eq!(
        got.metadata,
        Some(metadata(&[("customerId", json!("c-42"))]))
    );
}

#[maybe_async]
async fn query_with_filter_page_and_size(h: &Harness) {
    for (name, age) in [("Ola", 30), ("Kari", 41), ("Ola", 52), ("Per", 19)] {
        new_record(h, RecordType::Gdpr, name, age).await;
    }
    let filter = QueryRequestBody::all_of([QueryCondition::eq("metadata.firstName", "Ola")])
        .or(QueryCondition::gt("metadata.age", 40))
        .or(QueryCondition::in_("systemMetadata.type", ["GDPR"]));
    let q = QueryRecords::new().filter(filter.clone()).page(0).size(1);
    let page = h.client.dem().query(&q).await.expect("query");
    let e = last(h);
    assert_json_request(
        &e,
        "POST",
        "/dem/records/query",
        &serde_json::to_value(&filter).expect("encode"),
    );
    assert_eq!(e.query.as_deref(), Some("page=0&size=1"));
    assert_eq!(page.total_elements, 2);
    assert_eq!(page.total_pages, 2);
    assert_eq!(page.size, 1);
    assert_eq!(page.content.len(), 1);
    assert!(
        page.content[0].core_data.is_none(),
        "query results omit coreData"
    );

    let everything = h
        .client
        .dem()
        .query(&QueryRecords::all())
        .await
        .expect("query");
    let e = last(h);
    assert_eq!(e.body_len, 0, "no filter, no body");
    assert_eq!(e.header("content-type"), None);
    assert_eq!(e.query, None);
    assert_eq!(everything.total_elements, 4);
}

#[maybe_async]
async fn set_expiry_date_and_dates(h: &Harness) {
    let rec = new_record(h, RecordType::LogIn, "Ola", 30).await;
    new_record(h, RecordType::LogIn, "Kari", 30).await;
    let id = rec.id.clone().expect("id");
    h.client
        .dem()
        .set_expiry_date(&id, 365)
        .await
        .expect("set one");
    let e = last(h);
    assert_json_request(
        &e,
        "PATCH",
        &format!("/dem/records/{id}"),
        &json!({"ttl": 365}),
    );
    assert_eq!(e.status, 204);
    let got = h.client.dem().get_record_by_id(&id).await.expect("get");
    let expiry = got
        .system_metadata
        .and_then(|s| s.expiry_date)
        .expect("expiry");
    let days = (expiry - time::OffsetDateTime::now_utc()).whole_days();
    assert!((364..=365).contains(&days), "{days}");

    let req = BatchUpdateTtlRequest::new(
        QueryRequestBody::all_of([QueryCondition::eq("systemMetadata.type", "LOG_IN")]),
        90,
    );
    let answer = h
        .client
        .dem()
        .set_expiry_dates(&req)
        .await
        .expect("set many");
    assert_json_request(
        &last(h),
        "PATCH",
        "/dem/records",
        &json!({"query": {"and": [{"field": "systemMetadata.type", "operator": "eq", "value": "LOG_IN"}]}, "ttl": 90}),
    );
    assert!(answer.starts_with('2'), "{answer}");
}

#[maybe_async]
async fn collection_stats_and_custom_fields(h: &Harness) {
    new_record(h, RecordType::Gdpr, "Ola", 30).await;
    let req = RecordRequest::new(
        RecordType::Kyc,
        metadata(&[("passport", json!("X1"))]),
        serde_json::Map::new(),
        5,
    );
    h.client.dem().post_new_record(&req).await.expect("post");

    let stats = h.client.dem().get_collection_stats().await.expect("stats");
    assert_bodyless(&last(h), "GET", "/dem/info");
    assert_eq!(stats.total_records, Some(2));
    let by_type = stats.total_records_by_type.expect("by type");
    assert_eq!(by_type.get("KYC"), Some(&json!(1)));

    let all = h
        .client
        .dem()
        .get_custom_meta_fields(None)
        .await
        .expect("fields");
    assert_bodyless(&last(h), "GET", "/dem/info/custom-fields");
    assert_eq!(all, ["age", "firstName", "passport"]);
    let kyc = h
        .client
        .dem()
        .get_custom_meta_fields(Some(&RecordType::Kyc))
        .await
        .expect("fields");
    assert_bodyless(&last(h), "GET", "/dem/info/custom-fields/KYC");
    assert_eq!(kyc, ["passport"]);
}

#[maybe_async]
async fn generate_report_returns_a_pdf(h: &Harness) {
    let rec = new_record(h, RecordType::Signature, "Ola", 30).await;
    let id = rec.id.expect("id");
    let pdf = h.client.dem().generate_report(&id).await.expect("report");
    assert_bodyless(&last(h), "GET", &format!("/dem/reports/{id}"));
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(
        pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"),
        "a complete PDF"
    );

    let streamed = h
        .client
        .dem()
        .generate_report_stream(&id)
        .await
        .expect("stream");
    let streamed = streamed.read_limited(1 << 20).await.expect("read");
    assert_eq!(streamed, pdf);
}

// ---------------------------------------------------------------- error paths

#[maybe_async]
async fn validation_error_carries_invalid_params(h: &Harness) {
    let bad = session("Bad", "no-such-collection", "no-such-document");
    let err = h
        .client
        .sign()
        .create_signing_session(&[bad])
        .await
        .expect_err("400");
    assert_eq!(err.status(), Some(400));
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), 1, "a 400 is not retried");
    let problem = err.problem().expect("problem+json");
    assert_eq!(problem.status, Some(400));
    assert!(problem.title.is_some() && problem.detail.is_some() && problem.code.is_some());
    let names: Vec<&str> = problem
        .invalid_params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert!(names.iter().any(|n| n.contains("documentId")), "{names:?}");
    assert!(
        names.iter().any(|n| n.contains("documentCollectionId")),
        "{names:?}"
    );
    assert!(err.to_string().contains("documentId"), "{err}");
}

#[maybe_async]
async fn wrong_token_is_401_and_never_printed(h: &Harness) {
    let secret = "WRONG-TOKEN-7f3a9c";
    let client = h.client(|b| b.token(secret));
    let err = client.dem().ping().await.expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert!(!err.is_retryable());
    assert_eq!(
        err.problem().and_then(|p| p.code.as_deref()),
        Some("UNAUTHORIZED")
    );
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains(secret), "token leaked: {text}");
    }
    assert!(format!("{client:?}").contains("***"));
}

#[maybe_async]
async fn non_json_error_body_is_kept_raw(h: &Harness) {
    h.server.inject(
        Fault::status(Some("GET"), "/dem/info", 502)
            .times(3)
            .non_json(),
    );
    let err = h
        .client
        .dem()
        .get_collection_stats()
        .await
        .expect_err("502");
    assert_eq!(err.status(), Some(502));
    assert!(err.problem().is_none());
    assert!(err.body().is_some_and(|b| !b.is_empty()));
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), 3, "default policy: 1 attempt + 2 retries");
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[maybe_async]
async fn malformed_json_success_body_is_a_decode_error(h: &Harness) {
    h.server
        .inject(Fault::status(Some("GET"), "/dem/info", 200).non_json());
    let err = h
        .client
        .dem()
        .get_collection_stats()
        .await
        .expect_err("decode");
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(err.operation(), Some("get_collection_stats"));
    assert_eq!(err.attempts(), 1, "the request was sent once");
    assert_eq!(err.status(), None);
}

#[maybe_async]
async fn hostile_ids_stay_inside_their_segment(h: &Harness) {
    let doc = upload(h, PDF).await;
    for (id, encoded) in [
        ("../x", "..%2Fx"),
        ("a/b", "a%2Fb"),
        ("x?y=1", "x%3Fy%3D1"),
        ("x#y", "x%23y"),
        ("%2e%2e", "%252e%252e"),
        ("a b", "a%20b"),
    ] {
        let coll = DocumentCollection::new(vec![DocumentReference::new(&doc)]).with_id(id);
        let created = h
            .client
            .sign()
            .create_document_collection(&coll)
            .await
            .expect("create");
        assert_eq!(created.id.as_deref(), Some(id));
        let got = h
            .client
            .sign()
            .get_document_collection(id)
            .await
            .expect("get by hostile id");
        assert_eq!(got.id.as_deref(), Some(id));
        let e = last(h);
        assert_eq!(e.path, format!("/sign/document-collections/{encoded}"));
        assert_eq!(e.query, None, "{id:?} must not start a query");
        let err = h
            .client
            .sign()
            .get_document(id)
            .await
            .expect_err("no such document");
        assert_eq!(err.status(), Some(404));
        assert_eq!(last(h).path, format!("/sign/documents/{encoded}"));
    }
}

#[maybe_async]
async fn invalid_input_is_refused_before_sending(h: &Harness) {
    let before = h.server.journal().len();
    let sign = h.client.sign();
    let dem = h.client.dem();
    // (No `.await` inside macros: maybe-async does not rewrite macro arguments.)
    let mut errs = Vec::new();
    errs.push(sign.get_document("").await.expect_err("empty id"));
    errs.push(
        sign.get_signing_session("..")
            .await
            .expect_err("dot segment"),
    );
    let r = sign.upload_document("not a type", b"x".to_vec()).await;
    errs.push(r.expect_err("content type"));
    let r = sign
        .upload_document("text/plain\r\nx-evil: 1", b"x".to_vec())
        .await;
    errs.push(r.expect_err("header injection"));
    let r = sign.upload_document("text/plain", Vec::new()).await;
    errs.push(r.expect_err("empty document"));
    errs.push(
        sign.create_signing_session(&[])
            .await
            .expect_err("empty batch"),
    );
    errs.push(dem.set_expiry_date("id", 1).await.expect_err("ttl < 2"));
    let zero_ttl = RecordRequest::new(RecordType::Other, Default::default(), Default::default(), 0);
    errs.push(dem.post_new_record(&zero_ttl).await.expect_err("ttl < 2"));
    for err in errs {
        assert!(
            matches!(err.kind(), ErrorKind::InvalidInput { .. }),
            "{err:?}"
        );
        assert_eq!(err.status(), None);
        assert!(!err.is_retryable());
    }
    assert_eq!(h.server.journal().len(), before, "nothing was sent");
}

#[maybe_async]
async fn unknown_enum_values_from_the_server_decode(h: &Harness) {
    // The emulator's types are its own; an SDK-side unknown value must still decode.
    let created = new_session(h, "Open enums").await;
    let mut value = serde_json::to_value(&created).expect("encode");
    value["lifecycle"]["state"] = json!("EXPIRED");
    let decoded: SigningSession = serde_json::from_value(value.clone()).expect("decode");
    assert_eq!(
        decoded.state(),
        Some(&SessionState::Unknown("EXPIRED".into()))
    );
    assert_eq!(serde_json::to_value(&decoded).expect("encode"), value);
}

// ---------------------------------------------------------------- pipeline

#[maybe_async]
async fn retries_transient_failures_then_succeeds(h: &Harness) {
    h.server
        .inject(Fault::status(Some("GET"), "/dem/.ping", 503).times(2));
    let pong = h.client.dem().ping().await.expect("third attempt succeeds");
    assert_eq!(pong.trim(), "OK");
    let pings = h
        .server
        .journal()
        .iter()
        .filter(|e| e.path == "/dem/.ping")
        .count();
    assert_eq!(pings, 3);
}

#[maybe_async]
async fn post_create_is_not_repeated_after_a_503(h: &Harness) {
    let (doc, coll) = upload_collection(h).await;
    h.server
        .inject(Fault::status(Some("POST"), "/sign/signing-sessions", 503));
    let err = h
        .client
        .sign()
        .create_signing_session(&[session("Once", &coll, &doc)])
        .await
        .expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), 1);
    let list = h
        .client
        .sign()
        .list_signing_sessions(&ListSigningSessions::new())
        .await
        .expect("list");
    assert_eq!(list.total, Some(0), "nothing was created twice (or at all)");
}

#[maybe_async]
async fn create_with_client_id_is_retried_and_resolved(h: &Harness) {
    let (doc, coll) = upload_collection(h).await;
    let mut s = session("With id", &coll, &doc);
    s.id = Some("client-chosen-1".into());
    // The first attempt goes through but its answer is lost (connection cut mid-body);
    // the retry answers 409, which the SDK resolves by fetching the session.
    h.server.inject(Fault::close_after(
        Some("POST"),
        "/sign/signing-sessions",
        5,
    ));
    let created = h
        .client
        .sign()
        .create_signing_session(&[s])
        .await
        .expect("resolved");
    assert_eq!(created[0].id.as_deref(), Some("client-chosen-1"));
    let list = h
        .client
        .sign()
        .list_signing_sessions(&ListSigningSessions::new())
        .await
        .expect("list");
    assert_eq!(list.total, Some(1), "exactly one session");
}

#[maybe_async]
async fn retry_after_is_honoured(h: &Harness) {
    h.server
        .inject(Fault::status(Some("GET"), "/dem/info", 429).retry_after(1));
    let start = Instant::now();
    h.client
        .dem()
        .get_collection_stats()
        .await
        .expect("second attempt");
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[maybe_async]
async fn stalled_response_times_out(h: &Harness) {
    h.server
        .inject(Fault::delay(Some("GET"), "/dem/.ping", 3_000));
    let client = h.client(|b| b.timeout(Duration::from_millis(300)).max_retries(0));
    let start = Instant::now();
    let err = client.dem().ping().await.expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[maybe_async]
async fn request_options_add_headers_query_and_timeout(h: &Harness) {
    let opts = signicat_dem::RequestOptions::new()
        .header("x-correlation-id", "abc-123")
        .header("authorization", "Bearer not-this-one")
        .query("trace", "a b+c")
        .max_retries(0);
    let client = h.client.with_options(opts);
    client.dem().ping().await.expect("ping");
    let e = last(h);
    assert_eq!(e.header("x-correlation-id"), Some("abc-123"));
    assert_eq!(e.query.as_deref(), Some("trace=a%20b%2Bc"));
    let auths = e
        .headers
        .iter()
        .filter(|(k, _)| k == "authorization")
        .count();
    assert_eq!(auths, 1, "options cannot replace the token");

    let list = client
        .sign()
        .list_signing_sessions(&ListSigningSessions::new().limit(5))
        .await
        .expect("list");
    assert_eq!(last(h).query.as_deref(), Some("limit=5&trace=a%20b%2Bc"));
    assert_eq!(list.total, Some(0));
}

#[maybe_async]
async fn oversized_json_body_is_a_typed_error(h: &Harness) {
    let client = h.client(|b| b.max_json_bytes(64));
    new_record(h, RecordType::Gdpr, "Ola", 30).await;
    let err = client
        .dem()
        .query(&QueryRecords::all())
        .await
        .expect_err("too large");
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit: 64 }),
        "{err:?}"
    );
}

#[maybe_async]
async fn clones_share_the_client_and_work_concurrently(h: &Harness) {
    let client = h.client.clone();
    let a = client.dem().ping().await.expect("clone works");
    let b = h.client.dem().ping().await.expect("original works");
    assert_eq!(a, b);
}

#[maybe_async]
async fn refuses_plain_http_to_remote_hosts(h: &Harness) {
    let env =
        signicat_dem::Environment::custom("http://example.com/sign", "https://example.com/dem")
            .expect("env");
    let err = super::Client::builder()
        .token("t")
        .environment(env.clone())
        .build()
        .expect_err("insecure");
    assert!(matches!(err.kind(), ErrorKind::Config { .. }));
    assert!(err.to_string().contains("allow_insecure_http"));
    assert!(
        super::Client::builder()
            .token("t")
            .environment(env)
            .allow_insecure_http(true)
            .retry(fast_retries())
            .build()
            .is_ok()
    );
    // Loopback is fine without the opt-in (that is how the harness client works).
    h.client.dem().ping().await.expect("loopback http");
}

#[maybe_async]
async fn pagination_returns_every_session_exactly_once(h: &Harness) {
    let (doc, coll) = upload_collection(h).await;
    for batch in 0..10 {
        let sessions: Vec<SigningSession> = (0..250)
            .map(|i| session(&format!("s{batch}-{i}"), &coll, &doc))
            .collect();
        h.client
            .sign()
            .create_signing_session(&sessions)
            .await
            .expect("batch");
    }
    h.server.clear_journal();
    let params = ListSigningSessions::new()
        .limit(100)
        .sort(SessionSort::asc("title"));
    let mut pages = h.client.sign().list_all_signing_sessions(&params);
    let mut ids = std::collections::HashSet::new();
    let mut count = 0;
    while let Some(s) = pages.try_next().await.expect("page") {
        ids.insert(s.id.expect("id"));
        count += 1;
    }
    assert_eq!(count, 2_500);
    assert_eq!(ids.len(), 2_500, "each exactly once");
    let journal = h.server.journal();
    assert_eq!(journal.len(), 25, "lazy: 25 pages of 100, no extra request");
    assert_eq!(
        journal[1].query.as_deref(),
        Some("limit=100&offset=100&sort=%2Btitle")
    );
}

#[maybe_async]
async fn query_all_walks_pages(h: &Harness) {
    for i in 0..45 {
        new_record(h, RecordType::Transaction, "Ola", i).await;
    }
    new_record(h, RecordType::Gdpr, "Kari", 1).await;
    h.server.clear_journal();
    let filter =
        QueryRequestBody::all_of([QueryCondition::eq("systemMetadata.type", "TRANSACTION")]);
    let mut pages = h
        .client
        .dem()
        .query_all(&QueryRecords::new().filter(filter).size(10));
    let mut ages = Vec::new();
    while let Some(r) = pages.try_next().await.expect("page") {
        ages.push(
            r.metadata
                .and_then(|m| m.get("age").and_then(Value::as_i64))
                .expect("age"),
        );
    }
    assert_eq!(ages, (0..45).collect::<Vec<_>>());
    let queries: Vec<_> = h
        .server
        .journal()
        .into_iter()
        .map(|e| e.query.unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        [
            "page=0&size=10",
            "page=1&size=10",
            "page=2&size=10",
            "page=3&size=10",
            "page=4&size=10"
        ]
    );
    let mut budget = h
        .client
        .dem()
        .query_all(&QueryRecords::all().size(10))
        .max_pages(2);
    let mut result = Ok(None);
    for _ in 0..100 {
        result = budget.try_next().await;
        if !matches!(result, Ok(Some(_))) {
            break;
        }
    }
    let err = result.expect_err("budget exhausted");
    assert!(
        matches!(err.kind(), ErrorKind::Pagination { .. }),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- OAuth2

#[maybe_async]
async fn oauth_token_is_fetched_once_cached_and_sent(_h: &Harness) {
    let (server, client) = oauth(Duration::from_secs(600), "s3cret-client-secret").await;
    for _ in 0..3 {
        client.dem().ping().await.expect("ping");
    }
    client
        .sign()
        .list_signing_sessions(&ListSigningSessions::new())
        .await
        .expect("list");
    assert_eq!(server.tokens_issued(), 1);
    let journal = server.journal();
    let token_req = &journal[0];
    assert_eq!(
        (token_req.method.as_str(), token_req.path.as_str()),
        ("POST", "/auth/open/connect/token")
    );
    assert_eq!(token_req.header("authorization"), Some("Basic ***"));
    assert_eq!(
        token_req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        token_req.body,
        b"grant_type=client_credentials&scope=signicat-api"
    );
    assert!(
        journal[1..]
            .iter()
            .all(|e| e.header("authorization") == Some("Bearer ***") && e.status == 200)
    );
}

#[maybe_async]
async fn oauth_token_is_refreshed_ahead_of_expiry_exactly_once(_h: &Harness) {
    let (server, client) = oauth(Duration::from_secs(2), "s3cret-client-secret").await;
    client.dem().ping().await.expect("ping");
    super::pause(Duration::from_millis(2_100)).await;
    client.dem().ping().await.expect("ping after expiry");
    client.dem().ping().await.expect("ping again");
    assert_eq!(server.tokens_issued(), 2, "one refresh");
    assert!(
        server.journal().iter().all(|e| e.status < 400),
        "never sent an expired token"
    );
}

#[maybe_async]
async fn oauth_401_refreshes_once_and_retries_once(_h: &Harness) {
    let (server, client) = oauth(Duration::from_secs(600), "s3cret-client-secret").await;
    client.dem().ping().await.expect("ping");
    server.inject(Fault::status(Some("GET"), "/dem/.ping", 401));
    client.dem().ping().await.expect("refreshed and retried");
    assert_eq!(server.tokens_issued(), 2);
    server.inject(Fault::status(Some("GET"), "/dem/.ping", 401).times(5));
    let err = client
        .dem()
        .ping()
        .await
        .expect_err("a second 401 is final");
    assert_eq!(err.status(), Some(401));
    assert_eq!(server.tokens_issued(), 3, "refreshed once, not in a loop");
}

#[maybe_async]
async fn oauth_wrong_secret_is_a_clear_error_without_the_secret(_h: &Harness) {
    let (server, client) = oauth(Duration::from_secs(600), "WRONG-secret-4242").await;
    let err = client.dem().ping().await.expect_err("invalid_client");
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.operation(), Some("fetch_token"));
    assert_eq!(server.tokens_issued(), 0);
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("WRONG-secret-4242"), "secret leaked: {text}");
    }
    assert!(
        server
            .journal()
            .iter()
            .all(|e| e.path == "/auth/open/connect/token"),
        "no API call without a token"
    );
}

#[maybe_async]
async fn oauth_cold_cache_under_100_concurrent_calls_fetches_one_token(_h: &Harness) {
    let (server, client) = oauth(Duration::from_secs(600), "s3cret-client-secret").await;
    let results = super::ping_concurrently(&client, 100).await;
    assert_eq!(results.len(), 100);
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().is_ok_and(|s| s.trim() == "OK"))
    );
    assert_eq!(server.tokens_issued(), 1, "single flight");
}

/// The fault matrix with the DEFAULT retry policy (0.5 s base, full jitter, 2 retries):
/// asserts each outcome and prints `fault | client | outcome | attempts | elapsed` (see it
/// with `cargo test --test wire fault_matrix -- --nocapture`).
#[maybe_async]
async fn fault_matrix_with_the_default_policy(h: &Harness) {
    let client = h.client(|b| {
        b.retry(signicat_dem::RetryPolicy::default())
            .timeout(Duration::from_secs(1))
    });
    let (doc, coll) = upload_collection(h).await;
    let doc_path = format!("/sign/documents/{doc}");
    let mut rows = Vec::new();

    h.server
        .inject(Fault::status(Some("GET"), "/dem/.ping", 503).times(2));
    let t = Instant::now();
    let r = client.dem().ping().await;
    assert!(r.is_ok());
    let n = h
        .server
        .journal()
        .iter()
        .filter(|e| e.path == "/dem/.ping")
        .count();
    assert_eq!(n, 3);
    rows.push((
        "503, 503, 200 on GET /.ping",
        "ok".to_string(),
        n,
        t.elapsed(),
    ));

    h.server
        .inject(Fault::status(Some("GET"), "/dem/info", 429).retry_after(1));
    let t = Instant::now();
    let r = client.dem().get_collection_stats().await;
    assert!(r.is_ok());
    let took = t.elapsed();
    assert!(took >= Duration::from_secs(1));
    rows.push((
        "429 + Retry-After: 1 on GET /info",
        "ok".to_string(),
        2,
        took,
    ));

    h.server
        .inject(Fault::close_after(Some("GET"), &doc_path, 8));
    let t = Instant::now();
    let r = client.sign().get_document(&doc).await;
    assert_eq!(r.expect("retried"), PDF);
    rows.push((
        "body cut after 8 bytes on GET document",
        "ok".to_string(),
        2,
        t.elapsed(),
    ));

    h.server
        .inject(Fault::status(Some("POST"), "/sign/signing-sessions", 503).times(3));
    let t = Instant::now();
    let err = client
        .sign()
        .create_signing_session(&[session("once", &coll, &doc)])
        .await
        .expect_err("503");
    let listed = client
        .sign()
        .list_signing_sessions(&ListSigningSessions::new())
        .await;
    assert_eq!(listed.expect("list").total, Some(0));
    assert_eq!(err.attempts(), 1);
    rows.push((
        "503 on POST create (no client id)",
        format!("HTTP {:?}, 0 created", err.status()),
        1,
        t.elapsed(),
    ));

    h.server
        .inject(Fault::delay(Some("GET"), "/dem/.ping", 5_000).times(3));
    let t = Instant::now();
    let err = client.dem().ping().await.expect_err("stalled");
    assert!(err.is_timeout());
    assert_eq!(err.attempts(), 3);
    rows.push((
        "stalled 5 s, 1 s timeout, GET",
        "is_timeout()".to_string(),
        3,
        t.elapsed(),
    ));
    h.server.clear_faults();

    h.server.inject(
        Fault::status(Some("GET"), "/dem/info", 502)
            .times(5)
            .non_json(),
    );
    let t = Instant::now();
    let err = client.dem().get_collection_stats().await.expect_err("502");
    assert_eq!((err.status(), err.attempts()), (Some(502), 3));
    rows.push((
        "502 non-JSON ×5 on GET /info",
        "HTTP 502 after 3".to_string(),
        3,
        t.elapsed(),
    ));

    for (fault, outcome, attempts, took) in rows {
        println!("FAULT-MATRIX | {fault} | {FLAVOUR} | {outcome} | {attempts} | {took:.2?}");
    }
}

#[maybe_async]
async fn wait_for_signing_session_until_final_or_deadline(h: &Harness) {
    let wait = signicat_dem::WaitOptions::new()
        .timeout(Duration::from_millis(400))
        .initial_interval(Duration::from_millis(50))
        .max_interval(Duration::from_millis(100));
    let pending = new_session(h, "Pending").await;
    let id = pending.id.clone().expect("id");
    h.server.clear_journal();
    let start = Instant::now();
    let err = h
        .client
        .sign()
        .wait_for_signing_session(&id, wait)
        .await
        .expect_err("deadline");
    assert!(err.is_timeout(), "{err:?}");
    assert!(start.elapsed() >= Duration::from_millis(400));
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(
        err.last_session().and_then(|s| s.state()),
        Some(&SessionState::Ready)
    );
    let polls = h.server.journal().len();
    assert!(
        (3..=10).contains(&polls),
        "polled with backoff, {polls} times"
    );

    h.server.sign_session(&id).expect("sign");
    let signed = h
        .client
        .sign()
        .wait_for_signing_session(&id, wait)
        .await
        .expect("final");
    assert_eq!(signed.state(), Some(&SessionState::Signed));

    let rejected = new_session(h, "Rejected").await.id.expect("id");
    h.server.reject_session(&rejected).expect("reject");
    let done = h
        .client
        .sign()
        .wait_for_signing_session(&rejected, wait)
        .await
        .expect("final");
    assert_eq!(done.state(), Some(&SessionState::Rejected));
    assert!(done.is_final());
}

cases!(
    wait_for_signing_session_until_final_or_deadline,
    fault_matrix_with_the_default_policy,
    upload_document_file_streams_from_disk,
    upload_document_reader_streams_once,
    get_cut_mid_body_is_retried,
    oauth_token_is_fetched_once_cached_and_sent,
    oauth_token_is_refreshed_ahead_of_expiry_exactly_once,
    oauth_401_refreshes_once_and_retries_once,
    oauth_wrong_secret_is_a_clear_error_without_the_secret,
    oauth_cold_cache_under_100_concurrent_calls_fetches_one_token,
    pagination_returns_every_session_exactly_once,
    query_all_walks_pages,
    upload_document_sends_raw_bytes_with_callers_content_type,
    get_document_returns_exactly_the_uploaded_bytes,
    get_document_info_and_update_metadata,
    delete_document_then_404,
    document_collection_create_get_delete,
    create_signing_session_sends_an_array_and_returns_created_sessions,
    get_and_delete_signing_session,
    list_signing_sessions_form_explodes_the_query,
    ping_sends_the_token_and_returns_text,
    post_new_record_and_get_it_back,
    query_with_filter_page_and_size,
    set_expiry_date_and_dates,
    collection_stats_and_custom_fields,
    generate_report_returns_a_pdf,
    validation_error_carries_invalid_params,
    wrong_token_is_401_and_never_printed,
    non_json_error_body_is_kept_raw,
    malformed_json_success_body_is_a_decode_error,
    hostile_ids_stay_inside_their_segment,
    invalid_input_is_refused_before_sending,
    unknown_enum_values_from_the_server_decode,
    retries_transient_failures_then_succeeds,
    post_create_is_not_repeated_after_a_503,
    create_with_client_id_is_retried_and_resolved,
    retry_after_is_honoured,
    stalled_response_times_out,
    request_options_add_headers_query_and_timeout,
    oversized_json_body_is_a_typed_error,
    clones_share_the_client_and_work_concurrently,
    refuses_plain_http_to_remote_hosts,
);
