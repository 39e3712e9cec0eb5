//! DEM API routes of the emulator (the query operators themselves are tested with query.rs).

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn ping() {
    let t = start().await;
    let a = t.get("/dem/.ping").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.text(), "OK");
    assert!(a.content_type().starts_with("text/plain"));
}

#[tokio::test]
async fn create_get_record() {
    let t = start().await;
    let parent = t.record(&record_body("CONSENT")).await;
    let pid = parent["id"].as_str().unwrap();
    let r = t
        .record(&json!({"type": "GDPR", "metadata": {"firstName": "Ola", "n": 3}, "coreData": {"secret": [1, 2]},
            "ttl": 2, "relations": [pid], "auditLevel": "SIMPLE", "junk": 1}))
        .await;
    let id = r["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok());
    assert_eq!(r["metadata"], json!({"firstName": "Ola", "n": 3}));
    assert_eq!(r["coreData"], json!({"secret": [1, 2]}));
    assert!(r.get("junk").is_none());
    let sm = &r["systemMetadata"];
    assert_eq!(sm["type"], "GDPR");
    assert_eq!(sm["auditLevel"], "SIMPLE");
    assert_eq!(sm["createdBy"], "mock-client");
    let parse = |k: &str| {
        time::OffsetDateTime::parse(
            sm[k].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap_or_else(|e| panic!("{k}: {e}"))
    };
    let created = parse("createdDateTime");
    parse("createdDate");
    assert_eq!(parse("expiryDate") - created, time::Duration::days(2));
    assert!(r["timestampData"].is_object());
    assert_eq!(r["relations"][0]["relationID"], pid);
    assert_eq!(r["relations"][0]["type"], "CONSENT");
    assert!(
        r["relations"][0]["_links"]["self"]["href"]
            .as_str()
            .unwrap()
            .ends_with(pid)
    );
    assert_eq!(
        r["_links"]["self"]["href"],
        format!("{}/dem/records/{id}", t.base)
    );
    assert_eq!(
        r["_links"]["report"]["href"],
        format!("{}/dem/reports/{id}", t.base)
    );
    assert_eq!(parent["systemMetadata"]["auditLevel"], "QUALIFIED");
    assert_eq!(parent["relations"], json!([]));

    assert_eq!(t.get(&format!("/dem/records/{id}")).await.json(), r);
    t.get("/dem/records/00000000-0000-4000-8000-000000000000")
        .await
        .problem(404, "NOT_FOUND");
    t.get("/dem/records/not-a-uuid")
        .await
        .problem(404, "NOT_FOUND");
    // GET on `query` is a record lookup, not the query route.
    t.get("/dem/records/query").await.problem(404, "NOT_FOUND");
}

#[tokio::test]
async fn record_validation() {
    let t = start().await;
    let ok = record_body("GDPR");
    let with = |k: &str, v: serde_json::Value| {
        let mut b = ok.clone();
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v;
        }
        b
    };
    let cases = vec![
        (with("type", serde_json::Value::Null), vec!["type"]),
        (with("type", json!("MEETING")), vec!["type"]),
        (with("type", json!(1)), vec!["type"]),
        (with("metadata", serde_json::Value::Null), vec!["metadata"]),
        (with("metadata", json!([])), vec!["metadata"]),
        (with("coreData", serde_json::Value::Null), vec!["coreData"]),
        (with("coreData", json!("x")), vec!["coreData"]),
        (with("ttl", serde_json::Value::Null), vec!["ttl"]),
        (with("ttl", json!(1)), vec!["ttl"]),
        (with("ttl", json!(2.5)), vec!["ttl"]),
        (with("ttl", json!("30")), vec!["ttl"]),
        (with("ttl", json!(i64::MAX)), vec!["ttl"]),
        (with("relations", json!(["missing"])), vec!["relations[0]"]),
        (with("relations", json!([1])), vec!["relations[0]"]),
        (with("auditLevel", json!("HIGH")), vec!["auditLevel"]),
        (json!({}), vec!["type", "metadata", "coreData", "ttl"]),
        (json!([]), vec!["body"]),
    ];
    for (body, names) in cases {
        t.post("/dem/records", &body).await.invalid(&names);
    }
    for kind in [
        "CONSENT",
        "GDPR",
        "INTERNAL_AUDIT",
        "KYC",
        "LOG_IN",
        "OTHER",
        "SENSITIVE",
        "SIGNATURE",
        "TRANSACTION",
    ] {
        t.record(&record_body(kind)).await;
    }
    t.send(t.req(Method::POST, "/dem/records").body("{}"))
        .await
        .problem(415, "UNSUPPORTED_MEDIA_TYPE");
    t.send(
        t.req(Method::POST, "/dem/records")
            .header("content-type", "application/json")
            .body("{,}"),
    )
    .await
    .problem(400, "MALFORMED_JSON");
    // application/*+json is JSON too.
    let a = t
        .send(
            t.req(Method::POST, "/dem/records")
                .header("content-type", "application/vnd.x+json")
                .body(ok.to_string()),
        )
        .await;
    assert_eq!(a.status, 201);
}

#[tokio::test]
async fn expiry_updates() {
    let t = start().await;
    let r = t.record(&record_body("GDPR")).await;
    let id = r["id"].as_str().unwrap();
    let a = t
        .json(
            Method::PATCH,
            &format!("/dem/records/{id}"),
            &json!({"ttl": 10}),
        )
        .await;
    assert_eq!(a.status, 204);
    assert!(a.bytes.is_empty());
    let after = t.get(&format!("/dem/records/{id}")).await.json();
    let exp = time::OffsetDateTime::parse(
        after["systemMetadata"]["expiryDate"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let days = (exp - time::OffsetDateTime::now_utc()).whole_hours();
    assert!((239..=240).contains(&days), "{days}");
    t.json(
        Method::PATCH,
        &format!("/dem/records/{id}"),
        &json!({"ttl": 1}),
    )
    .await
    .invalid(&["ttl"]);
    t.json(Method::PATCH, &format!("/dem/records/{id}"), &json!({}))
        .await
        .invalid(&["ttl"]);
    t.json(Method::PATCH, "/dem/records/nope", &json!({"ttl": 5}))
        .await
        .problem(404, "NOT_FOUND");

    t.record(&record_body("LOG_IN")).await;
    let a = t
        .json(
            Method::PATCH,
            "/dem/records",
            &json!({"query": {}, "ttl": 3}),
        )
        .await;
    assert_eq!(a.status, 200);
    assert!(a.content_type().starts_with("text/plain"));
    assert_eq!(a.text(), "2 records updated");
    t.json(Method::PATCH, "/dem/records", &json!({"ttl": 3}))
        .await
        .invalid(&["query"]);
    t.json(
        Method::PATCH,
        "/dem/records",
        &json!({"query": {}, "ttl": 0}),
    )
    .await
    .invalid(&["ttl"]);
    t.json(
        Method::PATCH,
        "/dem/records",
        &json!({"query": [], "ttl": "x"}),
    )
    .await
    .invalid(&["query", "ttl"]);
}

#[tokio::test]
async fn query_paging_and_plumbing() {
    let t = start().await;
    let mut ids = Vec::new();
    for i in 0..45 {
        let r = t
            .record(&json!({"type": "GDPR", "metadata": {"i": i}, "coreData": {"c": i}, "ttl": 5}))
            .await;
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    // No body, no Content-Type: everything, default size 20, page 0.
    let a = t.send(t.req(Method::POST, "/dem/records/query")).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.content_type(), "application/json");
    let v = a.json();
    assert_eq!(
        (
            v["totalElements"].clone(),
            v["totalPages"].clone(),
            v["number"].clone(),
            v["size"].clone()
        ),
        (json!(45), json!(3), json!(0), json!(20))
    );
    let content = v["content"].as_array().unwrap();
    assert_eq!(content.len(), 20);
    assert!(
        content
            .iter()
            .all(|r| r.get("coreData").is_none() && r["metadata"].is_object())
    );
    let got: Vec<&str> = content.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        got,
        ids[..20].iter().map(String::as_str).collect::<Vec<_>>()
    );
    // Last page.
    let v = t
        .post("/dem/records/query?page=2&size=20", &json!({}))
        .await
        .json();
    assert_eq!(v["content"].as_array().unwrap().len(), 5);
    assert_eq!(v["content"][4]["id"], ids[44]);
    assert_eq!(v["number"], 2);
    // Past the end.
    let v = t
        .post("/dem/records/query?page=9", &json!({"and": []}))
        .await
        .json();
    assert_eq!(v["content"], json!([]));
    assert_eq!(v["totalElements"], 45);
    let v = t
        .post("/dem/records/query?size=1000", &json!({}))
        .await
        .json();
    assert_eq!(v["content"].as_array().unwrap().len(), 45);
    assert_eq!(v["totalPages"], 1);
    // Invalid paging and bodies.
    t.post("/dem/records/query?size=0", &json!({}))
        .await
        .invalid(&["size"]);
    t.post("/dem/records/query?size=1001", &json!({}))
        .await
        .invalid(&["size"]);
    t.post("/dem/records/query?page=-1", &json!({}))
        .await
        .invalid(&["page"]);
    t.post("/dem/records/query?page=x&size=y", &json!({}))
        .await
        .invalid(&["page", "size"]);
    t.post("/dem/records/query", &json!([1]))
        .await
        .invalid(&["body"]);
    t.send(
        t.req(Method::POST, "/dem/records/query")
            .header("content-type", "application/json")
            .body("{"),
    )
    .await
    .problem(400, "MALFORMED_JSON");
    t.send(
        t.req(Method::POST, "/dem/records/query")
            .header("content-type", "text/plain")
            .body("{}"),
    )
    .await
    .problem(415, "UNSUPPORTED_MEDIA_TYPE");
}

#[tokio::test]
async fn stats_and_custom_fields() {
    let t = start().await;
    let v = t.get("/dem/info").await.json();
    assert_eq!(v["totalRecords"], 0);
    assert_eq!(v["totalRecordsByType"], json!({}));
    assert_eq!(v["collectionSize"], "0");
    assert_eq!(v["avgRecordSize"], "0");
    assert_eq!(t.get("/dem/info/custom-fields").await.json(), json!([]));

    t.record(
        &json!({"type": "GDPR", "metadata": {"zeta": 1, "alpha": 2}, "coreData": {}, "ttl": 2}),
    )
    .await;
    t.record(&json!({"type": "GDPR", "metadata": {"alpha": 3}, "coreData": {}, "ttl": 2}))
        .await;
    t.record(&json!({"type": "KYC", "metadata": {"kyc": true}, "coreData": {}, "ttl": 2}))
        .await;
    let v = t.get("/dem/info").await.json();
    assert_eq!(v["totalRecords"], 3);
    assert_eq!(v["totalRecordsByType"], json!({"GDPR": 2, "KYC": 1}));
    let size: u64 = v["collectionSize"].as_str().unwrap().parse().unwrap();
    let avg: u64 = v["avgRecordSize"].as_str().unwrap().parse().unwrap();
    assert!(size > 0 && avg == size / 3);

    let a = t.get("/dem/info/custom-fields").await;
    assert_eq!(a.content_type(), "application/json");
    assert_eq!(a.json(), json!(["alpha", "kyc", "zeta"]));
    assert_eq!(
        t.get("/dem/info/custom-fields/GDPR").await.json(),
        json!(["alpha", "zeta"])
    );
    assert_eq!(
        t.get("/dem/info/custom-fields/KYC").await.json(),
        json!(["kyc"])
    );
    assert_eq!(
        t.get("/dem/info/custom-fields/OTHER").await.json(),
        json!([])
    );
}

#[tokio::test]
async fn report_route() {
    let t = start().await;
    let r = t.record(&record_body("GDPR")).await;
    let id = r["id"].as_str().unwrap();
    let a = t.get(&format!("/dem/reports/{id}")).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type(), "application/pdf");
    assert!(a.bytes.starts_with(b"%PDF-"));
    t.get("/dem/reports/nope").await.problem(404, "NOT_FOUND");
}

#[tokio::test]
async fn report_is_a_real_pdf_naming_the_record() {
    let t = start().await;
    let r = t.record(&json!({"type": "GDPR", "metadata": {"customer": "Ola Nordmann"}, "coreData": {"a": 1}, "ttl": 2})).await;
    let id = r["id"].as_str().unwrap();
    let a = t.get(&format!("/dem/reports/{id}")).await;
    let doc = lopdf::Document::load_mem(&a.bytes).expect("a parseable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    let text = doc.extract_text(&pages).expect("text");
    assert!(text.contains(id), "{text}");
    assert!(text.contains("GDPR"), "{text}");
    assert!(text.contains("Ola Nordmann"), "{text}");
}
