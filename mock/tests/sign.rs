//! Sign API routes of the emulator.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn upload_download_metadata_delete() {
    let t = start().await;
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    let a = t.upload(pdf, "application/pdf").await;
    assert_eq!(a.status, 200);
    let v = a.json();
    let id = v["documentId"].as_str().unwrap().to_string();
    assert_eq!(v["mimeType"], "application/pdf");
    let hash: String = Sha256::digest(pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        v["documentHash"],
        json!({"hash": hash, "hashAlgorithm": "SHA256"})
    );
    assert!(
        time::OffsetDateTime::parse(
            v["createdAt"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339
        )
        .is_ok()
    );
    assert!(uuid::Uuid::parse_str(&id).is_ok());

    let a = t.get(&format!("/sign/documents/{id}")).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.bytes, pdf);
    assert_eq!(a.content_type(), "application/pdf");

    let a = t.get(&format!("/sign/documents/{id}/metadata")).await;
    assert_eq!(a.json()["documentId"], id);
    assert!(a.json().get("title").is_none());

    // Merge: server-owned fields ignored.
    let patch = json!({"title": "Invoice #001", "filename": "invoice.pdf", "documentId": "other",
        "mimeType": "text/plain", "createdAt": "2020-01-01T00:00:00Z", "documentHash": {"hash": "x"}});
    let a = t
        .json(
            Method::PATCH,
            &format!("/sign/documents/{id}/metadata"),
            &patch,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    let d = a.json();
    assert_eq!(d["title"], "Invoice #001");
    assert_eq!(d["filename"], "invoice.pdf");
    assert_eq!(d["documentId"], id);
    assert_eq!(d["mimeType"], "application/pdf");
    assert_eq!(d["documentHash"]["hash"], hash);
    assert_eq!(d["createdAt"], v["createdAt"]);
    let a = t
        .json(
            Method::PATCH,
            &format!("/sign/documents/{id}/metadata"),
            &json!({"description": "Desc"}),
        )
        .await;
    assert_eq!(a.json()["title"], "Invoice #001");
    assert_eq!(a.json()["description"], "Desc");

    assert_eq!(t.delete(&format!("/sign/documents/{id}")).await.status, 204);
    t.get(&format!("/sign/documents/{id}"))
        .await
        .problem(404, "NOT_FOUND");
    t.get(&format!("/sign/documents/{id}/metadata"))
        .await
        .problem(404, "NOT_FOUND");
    t.delete(&format!("/sign/documents/{id}"))
        .await
        .problem(404, "NOT_FOUND");
    t.json(
        Method::PATCH,
        &format!("/sign/documents/{id}/metadata"),
        &json!({}),
    )
    .await
    .problem(404, "NOT_FOUND");
}

#[tokio::test]
async fn upload_media_types_and_limits() {
    let t = wrap(MockServerBuilderExt::small().await);
    for ct in [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/xml",
        "text/xml",
        "Application/PDF",
    ] {
        let a = t.upload(b"abc", ct).await;
        assert_eq!(a.status, 200, "{ct}: {}", a.text());
        let id = a.json()["documentId"].as_str().unwrap().to_string();
        let d = t.get(&format!("/sign/documents/{id}")).await;
        assert_eq!(d.content_type(), ct);
    }
    t.upload(b"abc", "image/png")
        .await
        .problem(415, "UNSUPPORTED_MEDIA_TYPE");
    t.upload(b"abc", "multipart/form-data; boundary=x")
        .await
        .problem(415, "UNSUPPORTED_MEDIA_TYPE");
    t.send(t.req(Method::POST, "/sign/documents").body("abc"))
        .await
        .problem(415, "UNSUPPORTED_MEDIA_TYPE");
    t.upload(b"", "application/pdf").await.invalid(&["body"]);
    // Limit is 1000 bytes here.
    assert_eq!(t.upload(&[b'a'; 1000], "text/plain").await.status, 200);
    t.upload(&[b'a'; 1001], "text/plain")
        .await
        .problem(413, "PAYLOAD_TOO_LARGE");
    // JSON limit (2000 bytes here) applies elsewhere.
    let big = json!({"documents": [{"documentId": "x".repeat(3000)}]});
    t.post("/sign/document-collections", &big)
        .await
        .problem(413, "PAYLOAD_TOO_LARGE");
    // The journal still records the oversized upload with its full hash.
    let j = t.server.journal();
    let e = j
        .iter()
        .find(|e| e.status == 413 && e.path == "/sign/documents")
        .unwrap();
    assert_eq!(e.body_len, 1001);
    let hash: String = Sha256::digest([b'a'; 1001])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(e.body_sha256, hash);
}

struct MockServerBuilderExt;
impl MockServerBuilderExt {
    async fn small() -> signicat_dem_mock::MockServer {
        signicat_dem_mock::MockServer::builder()
            .max_document_bytes(1000)
            .max_json_bytes(2000)
            .start()
            .await
    }
}

#[tokio::test]
async fn multipart_file_part_is_extracted() {
    let t = start().await;
    let body = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF-1.4 data\r\n--xyz--\r\n";
    let a = t.upload(body, "application/pdf").await;
    let id = a.json()["documentId"].as_str().unwrap().to_string();
    assert_eq!(
        t.get(&format!("/sign/documents/{id}")).await.bytes,
        b"%PDF-1.4 data"
    );
}

#[tokio::test]
async fn metadata_validation() {
    let t = start().await;
    let id = t.document().await;
    let path = format!("/sign/documents/{id}/metadata");
    t.json(Method::PATCH, &path, &json!({"title": "x".repeat(256)}))
        .await
        .invalid(&["title"]);
    t.json(
        Method::PATCH,
        &path,
        &json!({"filename": "x".repeat(256), "description": "d".repeat(1001)}),
    )
    .await
    .invalid(&["filename", "description"]);
    t.json(Method::PATCH, &path, &json!({"title": 5}))
        .await
        .invalid(&["title"]);
    t.json(Method::PATCH, &path, &json!([1]))
        .await
        .invalid(&["body"]);
    assert_eq!(
        t.json(Method::PATCH, &path, &json!({"title": "é".repeat(255)}))
            .await
            .status,
        200
    );
    t.send(
        t.req(Method::PATCH, &path)
            .header("content-type", "text/plain")
            .body("{}"),
    )
    .await
    .problem(415, "UNSUPPORTED_MEDIA_TYPE");
    t.send(
        t.req(Method::PATCH, &path)
            .header("content-type", "application/json")
            .body("{\"title\":"),
    )
    .await
    .problem(400, "MALFORMED_JSON");
}

#[tokio::test]
async fn collections() {
    let t = start().await;
    let doc = t.document().await;
    let a = t
        .post(
            "/sign/document-collections",
            &json!({"documents": [{"documentId": doc, "description": "ToS", "extra": 1}], "extra": true,
                "output": {"packages": [{"packageId": "p"}]}, "packageTo": ["PADES_CONTAINER"]}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text());
    let c = a.json();
    let id = c["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok());
    assert_eq!(
        c["documents"],
        json!([{"documentId": doc, "description": "ToS"}])
    );
    assert!(c.get("extra").is_none() && c.get("output").is_none());
    assert_eq!(
        t.get(&format!("/sign/document-collections/{id}"))
            .await
            .json(),
        c
    );

    // Client id honoured, then 409.
    let body = json!({"id": "my-coll", "documents": [{"documentId": doc}]});
    assert_eq!(
        t.post("/sign/document-collections", &body).await.json()["id"],
        "my-coll"
    );
    t.post("/sign/document-collections", &body)
        .await
        .problem(409, "CONFLICT");

    t.post("/sign/document-collections", &json!({"documents": []}))
        .await
        .invalid(&["documents"]);
    t.post("/sign/document-collections", &json!({}))
        .await
        .invalid(&["documents"]);
    t.post(
        "/sign/document-collections",
        &json!({"documents": [{"documentId": doc}, {"documentId": "nope"}, {}]}),
    )
    .await
    .invalid(&["documents[1].documentId", "documents[2].documentId"]);
    t.post(
        "/sign/document-collections",
        &json!({"documents": [{"documentId": doc}], "packageTo": ["ZIP"]}),
    )
    .await
    .invalid(&["packageTo[0]"]);
    t.post(
        "/sign/document-collections",
        &json!({"documents": "x", "id": 3}),
    )
    .await
    .invalid(&["documents", "id"]);
    t.post("/sign/document-collections", &json!([]))
        .await
        .invalid(&["body"]);
    t.send(t.req(Method::POST, "/sign/document-collections"))
        .await
        .invalid(&["body"]);

    assert_eq!(
        t.delete("/sign/document-collections/my-coll").await.status,
        204
    );
    t.get("/sign/document-collections/my-coll")
        .await
        .problem(404, "NOT_FOUND");
    t.delete("/sign/document-collections/my-coll")
        .await
        .problem(404, "NOT_FOUND");
    // Deletes do not cascade.
    assert_eq!(t.get(&format!("/sign/documents/{doc}")).await.status, 200);
}

#[tokio::test]
async fn create_session_echoes_known_fields_and_sets_server_fields() {
    let t = start().await;
    let (coll, doc) = t.collection(false).await;
    let due = rfc3339_in(7);
    let item = json!({
        "id": "s-1",
        "title": "Business Process",
        "documents": [{"action": "SIGN", "documentCollectionId": coll, "documentId": doc, "junk": 1}],
        "signingSetup": [{
            "additionalParameters": {"sbid_end_user_ip": "127.0.0.1", "sbid_flow": "QR"},
            "identityProviders": [{"idpName": "sbid"}],
            "signingFlow": "PKISIGNING",
            "vendor": "SBID"
        }],
        "dueDate": due,
        "externalReference": "ext-1",
        "packageTo": ["PADES_CONTAINER"],
        "preAuthentication": {"enabled": true},
        "redirectSettings": {"cancel": "http://e/c", "error": "http://e/e", "success": "http://e/s"},
        "senderDisplayName": "Corp",
        "signText": "Please sign",
        "signer": {"email": "a@b.c", "mobile": "+47 1", "nationalIdentificationNumber": "1", "validations": ["NATIONAL_IDENTIFICATION_NUMBER"]},
        "ui": {"language": "nb"},
        "lifecycle": {"state": "SIGNED", "stateIsFinal": true},
        "output": {"signatures": []},
        "signatureUrl": "https://evil.example/",
        "unknownField": "dropped"
    });
    let created = t.create_sessions(json!([item])).await;
    let s = &created[0];
    for key in [
        "title",
        "dueDate",
        "externalReference",
        "packageTo",
        "preAuthentication",
        "redirectSettings",
        "senderDisplayName",
        "signText",
        "signer",
        "ui",
        "signingSetup",
    ] {
        assert_eq!(s[key], item[key], "{key}");
    }
    assert_eq!(s["id"], "s-1");
    assert_eq!(
        s["documents"],
        json!([{"action": "SIGN", "documentCollectionId": coll, "documentId": doc}])
    );
    assert_eq!(
        s["lifecycle"],
        json!({"state": "READY", "stateIsFinal": false})
    );
    assert!(s.get("output").is_none());
    assert!(s.get("unknownField").is_none());
    let url = s["signatureUrl"].as_str().unwrap();
    assert!(
        url.starts_with(&t.base) && url.contains("sessionId=s-1"),
        "{url}"
    );
    assert_eq!(t.get("/sign/signing-sessions/s-1").await.json(), *s);
    // The signature page exists.
    let page = t.send(t.http.get(url)).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Business Process"));

    t.post("/sign/signing-sessions", &json!([item]))
        .await
        .problem(409, "CONFLICT");
    assert_eq!(t.delete("/sign/signing-sessions/s-1").await.status, 204);
    t.get("/sign/signing-sessions/s-1")
        .await
        .problem(404, "NOT_FOUND");
    t.delete("/sign/signing-sessions/s-1")
        .await
        .problem(404, "NOT_FOUND");
}

#[tokio::test]
async fn session_validation_rules() {
    let t = start().await;
    let (coll, doc) = t.collection(false).await;
    let good = session_item("ok", &coll, &doc);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        json!([good.clone(), v])
    };
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!([]), vec!["body"]),
        (json!({"title": "x"}), vec!["body"]),
        (json!([1]), vec!["[0]"]),
        (
            with(&|v| drop(v.as_object_mut().unwrap().remove("title"))),
            vec!["[1].title"],
        ),
        (with(&|v| v["title"] = json!("")), vec!["[1].title"]),
        (
            with(&|v| v["title"] = json!("t".repeat(256))),
            vec!["[1].title"],
        ),
        (with(&|v| v["title"] = json!(7)), vec!["[1].title"]),
        (with(&|v| v["documents"] = json!([])), vec!["[1].documents"]),
        (
            with(&|v| drop(v.as_object_mut().unwrap().remove("documents"))),
            vec!["[1].documents"],
        ),
        (
            with(&|v| v["documents"][0]["action"] = json!("STAMP")),
            vec!["[1].documents[0].action"],
        ),
        (
            with(&|v| v["documents"][0]["documentId"] = json!("missing")),
            vec!["[1].documents[0].documentId"],
        ),
        (
            with(&|v| v["documents"][0]["documentCollectionId"] = json!("missing")),
            vec!["[1].documents[0].documentCollectionId"],
        ),
        (
            with(&|v| {
                drop(
                    v["documents"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("documentCollectionId"),
                )
            }),
            vec!["[1].documents[0].documentCollectionId"],
        ),
        (
            with(&|v| v["signingSetup"] = json!([])),
            vec!["[1].signingSetup"],
        ),
        (
            with(&|v| drop(v.as_object_mut().unwrap().remove("signingSetup"))),
            vec!["[1].signingSetup"],
        ),
        (
            with(&|v| v["signingSetup"][0]["signingFlow"] = json!("MAGIC")),
            vec!["[1].signingSetup[0].signingFlow"],
        ),
        (
            with(&|v| v["signingSetup"][0]["vendor"] = json!("ACME")),
            vec!["[1].signingSetup[0].vendor"],
        ),
        (
            with(&|v| v["signingSetup"][0]["identityProviders"] = json!([{}])),
            vec!["[1].signingSetup[0].identityProviders[0].idpName"],
        ),
        (
            with(&|v| v["signingSetup"][0]["additionalParameters"] = json!({"k": 1})),
            vec!["[1].signingSetup[0].additionalParameters.k"],
        ),
        (
            with(&|v| v["dueDate"] = json!("tomorrow")),
            vec!["[1].dueDate"],
        ),
        (
            with(&|v| v["dueDate"] = json!(rfc3339_in(-1))),
            vec!["[1].dueDate"],
        ),
        (
            with(&|v| v["dueDate"] = json!(rfc3339_in(31))),
            vec!["[1].dueDate"],
        ),
        (
            with(&|v| v["subsequentTo"] = json!(["nope"])),
            vec!["[1].subsequentTo[0]"],
        ),
        (
            with(&|v| v["packageTo"] = json!(["ZIP"])),
            vec!["[1].packageTo[0]"],
        ),
        (
            with(&|v| v["ui"] = json!({"language": "xx"})),
            vec!["[1].ui.language"],
        ),
        (
            with(&|v| v["signer"] = json!({"validations": ["FACE"]})),
            vec!["[1].signer.validations[0]"],
        ),
        (
            with(&|v| v["preAuthentication"] = json!({})),
            vec!["[1].preAuthentication.enabled"],
        ),
        (
            with(&|v| v["redirectSettings"] = json!({"cancel": "c"})),
            vec!["[1].redirectSettings.error", "[1].redirectSettings.success"],
        ),
        (
            with(&|v| v["externalReference"] = json!(1)),
            vec!["[1].externalReference"],
        ),
        (with(&|v| v["id"] = json!("")), vec!["[1].id"]),
    ];
    for (body, names) in cases {
        let a = t.post("/sign/signing-sessions", &body).await;
        a.invalid(&names);
    }
    // All-or-nothing: nothing was stored by any failed batch.
    assert_eq!(t.get("/sign/signing-sessions").await.json()["total"], 0);
    // Valid edge cases: 30 days ahead minus a minute, null nullable fields.
    let mut ok = good.clone();
    ok["dueDate"] = json!(
        (time::OffsetDateTime::now_utc() + time::Duration::days(30) - time::Duration::minutes(1))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    );
    ok["externalReference"] = Value::Null;
    t.create_sessions(json!([ok])).await;
    // Duplicate ids within one batch → 409, nothing stored.
    let mut a = good.clone();
    a["id"] = json!("dup");
    t.post("/sign/signing-sessions", &json!([a.clone(), a]))
        .await
        .problem(409, "CONFLICT");
    assert_eq!(t.get("/sign/signing-sessions").await.json()["total"], 1);
}

#[tokio::test]
async fn lifecycle_sign_reject_blocked_packages() {
    let t = start().await;
    let (coll, doc) = t.collection(true).await;
    let mut first = session_item("first", &coll, &doc);
    first["id"] = json!("first");
    first["packageTo"] = json!(["PADES_CONTAINER"]);
    let mut second = session_item("second", &coll, &doc);
    second["id"] = json!("second");
    second["subsequentTo"] = json!(["first"]);
    second["documents"] = json!([
        {"action": "SIGN", "documentCollectionId": coll, "documentId": doc},
        {"action": "VIEW", "documentCollectionId": coll, "documentId": doc}
    ]);
    let created = t.create_sessions(json!([first, second])).await;
    assert_eq!(created[0]["lifecycle"]["state"], "READY");
    assert_eq!(
        created[1]["lifecycle"],
        json!({"state": "BLOCKED", "stateIsFinal": false})
    );

    // Blocked cannot be signed; unknown → error.
    assert!(matches!(
        t.server.sign_session("second"),
        Err(signicat_dem_mock::ControlError::Blocked { .. })
    ));
    assert!(matches!(
        t.server.sign_session("zzz"),
        Err(signicat_dem_mock::ControlError::UnknownSession { .. })
    ));
    let a = t
        .send(t.http.post(t.url("/__mock/sessions/second/sign")))
        .await;
    a.problem(409, "CONFLICT");
    t.send(t.http.post(t.url("/__mock/sessions/zzz/sign")))
        .await
        .problem(404, "NOT_FOUND");

    // The collection is not packaged yet.
    assert!(
        t.get(&format!("/sign/document-collections/{coll}"))
            .await
            .json()
            .get("output")
            .is_none()
    );

    t.server.sign_session("first").unwrap();
    let s = t.get("/sign/signing-sessions/first").await.json();
    assert_eq!(
        s["lifecycle"],
        json!({"state": "SIGNED", "stateIsFinal": true})
    );
    let sigs = s["output"]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1);
    assert_eq!(sigs[0]["originalDocumentId"], doc);
    assert_eq!(sigs[0]["documentCollectionId"], coll);
    assert_eq!(sigs[0]["signatureType"], "PADES");
    let result = sigs[0]["resultDocumentId"].as_str().unwrap();
    assert_ne!(result, doc);
    let r = t.get(&format!("/sign/documents/{result}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/pdf");
    assert!(r.bytes.starts_with(b"%PDF-1.4"));
    let pkgs = s["output"]["packages"].as_array().unwrap();
    assert_eq!(pkgs[0]["packageType"], "PADES_CONTAINER");
    let pkg_doc = pkgs[0]["resultDocumentId"].as_str().unwrap();
    assert_eq!(
        t.get(&format!("/sign/documents/{pkg_doc}"))
            .await
            .content_type(),
        "application/pdf"
    );
    assert_eq!(
        t.get(&format!("/sign/documents/{pkg_doc}/metadata"))
            .await
            .status,
        200
    );
    assert!(matches!(
        t.server.sign_session("first"),
        Err(signicat_dem_mock::ControlError::AlreadyFinal { .. })
    ));

    // Second is unblocked now, and the collection waits for it.
    assert_eq!(
        t.get("/sign/signing-sessions/second").await.json()["lifecycle"]["state"],
        "READY"
    );
    assert!(
        t.get(&format!("/sign/document-collections/{coll}"))
            .await
            .json()
            .get("output")
            .is_none()
    );
    let a = t
        .send(t.http.post(t.url("/__mock/sessions/second/sign")))
        .await;
    assert_eq!(a.status, 200);
    let s2 = a.json();
    assert_eq!(s2["lifecycle"]["state"], "SIGNED");
    assert_eq!(
        s2["output"]["signatures"].as_array().unwrap().len(),
        1,
        "VIEW documents are not signed"
    );
    assert!(s2["output"].get("packages").is_none());
    let c = t
        .get(&format!("/sign/document-collections/{coll}"))
        .await
        .json();
    let cp = c["output"]["packages"].as_array().unwrap();
    assert_eq!(cp.len(), 1);
    assert_eq!(cp[0]["packageType"], "PADES_CONTAINER");
    let cdoc = cp[0]["resultDocumentId"].as_str().unwrap();
    assert_eq!(t.get(&format!("/sign/documents/{cdoc}")).await.status, 200);

    // Rejecting.
    let third = t
        .create_sessions(json!([t.session_item("third").await]))
        .await;
    let id = third[0]["id"].as_str().unwrap().to_string();
    let a = t
        .send(t.http.post(t.url(&format!("/__mock/sessions/{id}/reject"))))
        .await;
    assert_eq!(
        a.json()["lifecycle"],
        json!({"state": "REJECTED", "stateIsFinal": true})
    );
    assert!(t.server.reject_session(&id).is_err());
    assert!(t.server.sign_session(&id).is_err());
}

#[tokio::test]
async fn subsequent_to_an_already_signed_session_starts_ready() {
    let t = start().await;
    let a = t.create_sessions(json!([t.session_item("a").await])).await;
    let a_id = a[0]["id"].as_str().unwrap().to_string();
    t.server.sign_session(&a_id).unwrap();
    let mut b = t.session_item("b").await;
    b["subsequentTo"] = json!([a_id]);
    assert_eq!(
        t.create_sessions(json!([b])).await[0]["lifecycle"]["state"],
        "READY"
    );
}

#[tokio::test]
async fn list_sort_limit_offset() {
    let t = start().await;
    let (coll, doc) = t.collection(false).await;
    let specs = [("b", 5), ("a", 3), ("c", 9), ("a", 1)];
    let mut ids = Vec::new();
    for (title, days) in specs {
        let mut it = session_item(title, &coll, &doc);
        it["dueDate"] = json!(rfc3339_in(days));
        ids.push(
            t.create_sessions(json!([it])).await[0]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let ids_of = |v: &Value| -> Vec<String> {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Default -createdAt: newest first.
    let v = t.get("/sign/signing-sessions").await.json();
    assert_eq!(
        (
            v["count"].clone(),
            v["total"].clone(),
            v["limit"].clone(),
            v["offset"].clone()
        ),
        (json!(4), json!(4), json!(100), json!(0))
    );
    assert_eq!(
        ids_of(&v),
        vec![
            ids[3].clone(),
            ids[2].clone(),
            ids[1].clone(),
            ids[0].clone()
        ]
    );
    let v = t
        .get("/sign/signing-sessions?sort=%2BcreatedAt")
        .await
        .json();
    assert_eq!(ids_of(&v), ids);
    let v = t.get("/sign/signing-sessions?sort=createdAt").await.json();
    assert_eq!(ids_of(&v), ids);
    // A raw `+` (decoded as a space) is read as ascending.
    let v = t.get("/sign/signing-sessions?sort=+dueDate").await.json();
    assert_eq!(
        ids_of(&v),
        vec![
            ids[3].clone(),
            ids[1].clone(),
            ids[0].clone(),
            ids[2].clone()
        ]
    );
    let v = t.get("/sign/signing-sessions?sort=-dueDate").await.json();
    assert_eq!(
        ids_of(&v),
        vec![
            ids[2].clone(),
            ids[0].clone(),
            ids[1].clone(),
            ids[3].clone()
        ]
    );
    // title asc, ties by the next key (-dueDate): a(3 days), a(1 day), b, c.
    let v = t
        .get("/sign/signing-sessions?sort=title&sort=-dueDate")
        .await
        .json();
    assert_eq!(
        ids_of(&v),
        vec![
            ids[1].clone(),
            ids[3].clone(),
            ids[0].clone(),
            ids[2].clone()
        ]
    );
    // title asc alone: ties by insertion.
    let v = t.get("/sign/signing-sessions?sort=title").await.json();
    assert_eq!(
        ids_of(&v),
        vec![
            ids[1].clone(),
            ids[3].clone(),
            ids[0].clone(),
            ids[2].clone()
        ]
    );
    // Paging.
    let v = t
        .get("/sign/signing-sessions?sort=%2BcreatedAt&limit=2&offset=1")
        .await
        .json();
    assert_eq!(ids_of(&v), vec![ids[1].clone(), ids[2].clone()]);
    assert_eq!(
        (
            v["count"].clone(),
            v["total"].clone(),
            v["limit"].clone(),
            v["offset"].clone()
        ),
        (json!(2), json!(4), json!(2), json!(1))
    );
    let v = t.get("/sign/signing-sessions?offset=10").await.json();
    assert_eq!(
        (v["count"].clone(), v["total"].clone()),
        (json!(0), json!(4))
    );
    assert_eq!(t.get("/sign/signing-sessions?limit=1000").await.status, 200);
    // Invalid parameters.
    t.get("/sign/signing-sessions?sort=-nope")
        .await
        .invalid(&["sort"]);
    t.get("/sign/signing-sessions?limit=0")
        .await
        .invalid(&["limit"]);
    t.get("/sign/signing-sessions?limit=1001")
        .await
        .invalid(&["limit"]);
    t.get("/sign/signing-sessions?limit=ten")
        .await
        .invalid(&["limit"]);
    t.get("/sign/signing-sessions?offset=-1")
        .await
        .invalid(&["offset"]);
    t.get("/sign/signing-sessions?offset=1.5&limit=x")
        .await
        .invalid(&["offset", "limit"]);
}

#[tokio::test]
async fn hostile_ids_round_trip() {
    let t = start().await;
    let doc = t.document().await;
    let (coll, _) = t.collection(false).await;
    let ids = [
        "a/b",
        "../x",
        "x?y=1",
        "x#y",
        "%2e%2e",
        "a b",
        "a+b",
        "ø/ü",
        "..%2F..",
        "a%2Fb",
        "semi;colon",
        "q\"uote",
    ];
    for id in ids {
        let a = t
            .post(
                "/sign/document-collections",
                &json!({"id": id, "documents": [{"documentId": doc}]}),
            )
            .await;
        assert_eq!(a.status, 201, "{id}: {}", a.text());
        let got = t
            .get(&format!("/sign/document-collections/{}", enc(id)))
            .await;
        assert_eq!(got.status, 200, "{id}: {}", got.text());
        assert_eq!(got.json()["id"], id);

        let mut item = session_item("hostile", &coll, &doc);
        item["id"] = json!(id);
        t.create_sessions(json!([item])).await;
        let got = t.get(&format!("/sign/signing-sessions/{}", enc(id))).await;
        assert_eq!(got.json()["id"], id, "{id}");
        // Control route with the same encoding.
        let a = t
            .send(
                t.http
                    .post(t.url(&format!("/__mock/sessions/{}/sign", enc(id)))),
            )
            .await;
        assert_eq!(a.status, 200, "{id}: {}", a.text());
        assert_eq!(
            t.delete(&format!("/sign/signing-sessions/{}", enc(id)))
                .await
                .status,
            204
        );
        assert_eq!(
            t.delete(&format!("/sign/document-collections/{}", enc(id)))
                .await
                .status,
            204
        );
    }
    // The journal keeps the raw, still-encoded path.
    assert!(
        t.server
            .journal()
            .iter()
            .any(|e| e.path == "/sign/document-collections/a%2Fb")
    );
    // A literal `a/b` path is a different (unknown) route, not the id.
    t.get("/sign/document-collections/a/b")
        .await
        .problem(404, "NOT_FOUND");
}

/// `%2E%2E` must reach the server unnormalised (WHATWG URL clients would collapse it, so this
/// talks raw HTTP/1.1).
#[tokio::test]
async fn encoded_dot_segments_are_not_normalised() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = start().await;
    let doc = t.document().await;
    for id in ["..", "."] {
        let a = t
            .post(
                "/sign/document-collections",
                &json!({"id": id, "documents": [{"documentId": doc}]}),
            )
            .await;
        assert_eq!(a.status, 201);
    }
    for (raw, id) in [("%2E%2E", ".."), ("%2e", ".")] {
        let mut s = tokio::net::TcpStream::connect(t.server.addr())
            .await
            .unwrap();
        let req = format!(
            "GET /sign/document-collections/{raw} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer mock-token\r\nConnection: close\r\n\r\n"
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert!(out.contains(&format!("\"id\":\"{id}\"")), "{out}");
    }
}
