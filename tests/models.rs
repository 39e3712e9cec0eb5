//! Wire-format tests of the shared models: every JSON example of the API reference decodes
//! and re-encodes to the same JSON; open enums, omitted optionals, nulls, pages, timestamps
//! and query parameters.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use signicat_dem::models::*;
use time::macros::datetime;

/// Decodes `json` into `T`, re-encodes it and asserts the JSON is unchanged.
fn round_trip<T: DeserializeOwned + Serialize>(json: Value) -> T {
    let decoded: T = serde_json::from_value(json.clone()).expect("decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded, json, "re-encoded JSON differs");
    // Also through text, as the transports do.
    let text = serde_json::to_string(&decoded).unwrap();
    let again: T = serde_json::from_str(&text).expect("decodes from text");
    assert_eq!(serde_json::to_value(&again).unwrap(), json);
    decoded
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

// ---------------------------------------------------------------- reference examples, Sign

#[test]
fn document_collection_request_2_1() {
    let collection: DocumentCollection = round_trip(json!({
        "documents": [
            {"description": "Terms of Service", "documentId": "15197b79-6333-4fa5-9e4c-23b9392a838f"}
        ],
        "id": "f05d0dce-a7af-432b-b6b8-e455ab7c0858",
        "output": {
            "packages": [
                {
                    "packageId": "f05d0dce-a7af-432b-b6b8-e455ab7c0863",
                    "packageType": "PADES_CONTAINER",
                    "resultDocumentId": "f05d0dce-a7af-432b-b6b8-e455ab7c0863"
                }
            ]
        },
        "packageTo": ["PADES_CONTAINER"]
    }));
    assert_eq!(
        collection.documents[0].document_id,
        "15197b79-6333-4fa5-9e4c-23b9392a838f"
    );
    assert_eq!(
        collection.package_to,
        Some(vec![PackageType::PadesContainer])
    );
    let package = &collection.output.unwrap().packages.unwrap()[0];
    assert_eq!(package.package_type, Some(PackageType::PadesContainer));
}

#[test]
fn document_collection_response_2_1() {
    let json = json!({
        "documents": [
            {"description": "Terms of Service", "documentId": "15197b79-6333-4fa5-9e4c-23b9392a838f"}
        ],
        "id": "f05d0dce-a7af-432b-b6b8-e455ab7c0858"
    });
    let collection: DocumentCollection = round_trip(json.clone());
    let built = DocumentCollection::new(vec![
        DocumentReference::new("15197b79-6333-4fa5-9e4c-23b9392a838f")
            .with_description("Terms of Service"),
    ])
    .with_id("f05d0dce-a7af-432b-b6b8-e455ab7c0858");
    assert_eq!(built, collection);
    assert_eq!(to_json(&built), json);
}

#[test]
fn post_document_response_2_4() {
    let response: PostDocumentResponse = round_trip(json!({
        "createdAt": "2023-04-12T10:30:00Z",
        "documentId": "d1234567-89ab-cdef-0123-456789abcdef",
        "mimeType": "application/pdf"
    }));
    assert_eq!(
        response.created_at,
        Some(datetime!(2023-04-12 10:30:00 UTC))
    );
    assert_eq!(response.mime_type.as_deref(), Some("application/pdf"));
    assert!(response.document_hash.is_none());
}

#[test]
fn document_info_2_7() {
    let document: Document = round_trip(json!({
        "createdAt": "2023-04-12T10:30:00Z",
        "description": "Invoice for order #001",
        "documentId": "d1234567-89ab-cdef-0123-456789abcdef",
        "filename": "invoice_001.pdf",
        "mimeType": "application/pdf",
        "title": "Invoice #001"
    }));
    assert_eq!(document.filename.as_deref(), Some("invoice_001.pdf"));
    assert_eq!(document.title.as_deref(), Some("Invoice #001"));
}

#[test]
fn update_document_request_2_8() {
    let update: UpdateDocument = round_trip(json!({
        "createdAt": "2023-04-12T10:30:00Z",
        "description": "Invoice for order #001",
        "documentHash": {"hash": "string", "hashAlgorithm": "SHA256"},
        "filename": "invoice_001.pdf",
        "mimeType": "application/pdf",
        "title": "Invoice #001"
    }));
    let hash = update.document_hash.unwrap();
    assert_eq!(hash.hash_algorithm, Some(HashAlgorithm::Sha256));
    assert_eq!(hash.hash.as_deref(), Some("string"));
}

#[test]
fn update_document_empty_is_empty_object() {
    assert_eq!(
        serde_json::to_string(&UpdateDocument::default()).unwrap(),
        "{}"
    );
    let _: UpdateDocument = round_trip(json!({}));
}

fn full_session_json() -> Value {
    json!([
        {
            "documents": [
                {
                    "action": "SIGN",
                    "documentCollectionId": "f05d0dce-a7af-432b-b6b8-e455ab7c0853",
                    "documentId": "f05d0dce-a7af-432b-b6b8-e455ab7c0857"
                }
            ],
            "dueDate": "2025-04-01T17:32:28Z",
            "externalReference": "string",
            "id": "f05d0dce-a7af-432b-b6b8-e455ab7c0852",
            "lifecycle": {"state": "BLOCKED", "stateIsFinal": true},
            "output": {
                "packages": [
                    {
                        "packageId": "f05d0dce-a7af-432b-b6b8-e455ab7c0863",
                        "packageType": "PADES_CONTAINER",
                        "resultDocumentId": "f05d0dce-a7af-432b-b6b8-e455ab7c0863"
                    }
                ],
                "signatures": [
                    {
                        "documentCollectionId": "f05d0dce-a7af-432b-b6b8-e455ab7c0854",
                        "originalDocumentId": "f05d0dce-a7af-432b-b6b8-e455ab7c0856",
                        "resultDocumentId": "f05d0dce-a7af-432b-b6b8-e455ab7c0855",
                        "signatureType": "PADES"
                    }
                ]
            },
            "packageTo": ["PADES_CONTAINER"],
            "preAuthentication": {"enabled": true},
            "redirectSettings": {
                "cancel": "http://example.com/cancel",
                "error": "http://example.com/error",
                "success": "http://example.com/complete"
            },
            "senderDisplayName": "Corporation incorporated",
            "signText": "Please sign this document",
            "signatureUrl": "https://signtest-account.sandbox.signicat.com/sign/?sessionId=8ce3dac2-74b3-429c-adf7-fe6d277186d0",
            "signer": {
                "email": "mail@example.org",
                "mobile": "+47 123 45 678",
                "nationalIdentificationNumber": "string",
                "validations": ["NATIONAL_IDENTIFICATION_NUMBER"]
            },
            "signingSetup": [
                {
                    "additionalParameters": {"sbid_end_user_ip": "127.0.0.1", "sbid_flow": "QR"},
                    "identityProviders": [{"idpName": "string"}],
                    "signingFlow": "AUTHENTICATION_BASED",
                    "vendor": "AUDKENNI"
                }
            ],
            "subsequentTo": ["f05d0dce-a7af-432b-b6b8-e455ab7c0858"],
            "title": "Business Process",
            "ui": {"language": "da"}
        }
    ])
}

#[test]
fn create_signing_session_request_2_9() {
    let sessions: Vec<SigningSession> = round_trip(full_session_json());
    let session = &sessions[0];
    assert_eq!(session.title, "Business Process");
    assert_eq!(session.documents[0].action, DocumentAction::Sign);
    assert_eq!(session.due_date, Some(datetime!(2025-04-01 17:32:28 UTC)));
    assert_eq!(session.state(), Some(&SessionState::Blocked));
    // The example says BLOCKED with stateIsFinal true: the server's flag wins.
    assert!(session.is_final());
    let setup = &session.signing_setup[0];
    assert_eq!(setup.signing_flow, SigningFlow::AuthenticationBased);
    assert_eq!(setup.vendor, Some(Vendor::Audkenni));
    let params = setup.additional_parameters.as_ref().unwrap();
    assert_eq!(params["sbid_end_user_ip"], "127.0.0.1");
    assert_eq!(params["sbid_flow"], "QR");
    assert_eq!(
        session.signer.as_ref().unwrap().validations,
        Some(vec![SignerValidation::NationalIdentificationNumber])
    );
    assert_eq!(session.ui, Some(Ui::new(Language::Da)));
    assert_eq!(
        session.pre_authentication,
        Some(PreAuthentication { enabled: true })
    );
    let signature = &session
        .output
        .as_ref()
        .unwrap()
        .signatures
        .as_ref()
        .unwrap()[0];
    assert_eq!(signature.signature_type, SignatureType::Pades);
    assert_eq!(
        signature.result_document_id,
        "f05d0dce-a7af-432b-b6b8-e455ab7c0855"
    );
}

#[test]
fn create_signing_session_request_2_9_built_with_constructors() {
    let mut session = SigningSession::new(
        "Business Process",
        vec![SessionDocument::sign(
            "f05d0dce-a7af-432b-b6b8-e455ab7c0853",
            "f05d0dce-a7af-432b-b6b8-e455ab7c0857",
        )],
        vec![
            SigningSetup::new(SigningFlow::AuthenticationBased, ["string"])
                .with_vendor(Vendor::Audkenni)
                .with_additional_parameter("sbid_flow", "QR")
                .with_additional_parameter("sbid_end_user_ip", "127.0.0.1"),
        ],
    )
    .with_due_date(datetime!(2025-04-01 17:32:28 UTC))
    .with_external_reference("string")
    .with_package_to([PackageType::PadesContainer])
    .with_redirect_settings(RedirectSettings::new(
        "http://example.com/complete",
        "http://example.com/cancel",
        "http://example.com/error",
    ))
    .with_sender_display_name("Corporation incorporated")
    .with_sign_text("Please sign this document")
    .with_signer(Signer {
        email: Some("mail@example.org".into()),
        mobile: Some("+47 123 45 678".into()),
        national_identification_number: Some("string".into()),
        validations: Some(vec![SignerValidation::NationalIdentificationNumber]),
    })
    .with_subsequent_to(["f05d0dce-a7af-432b-b6b8-e455ab7c0858"])
    .with_ui(Ui::new(Language::Da));
    // Server-owned fields, set by hand to match the example.
    let full: Vec<SigningSession> = serde_json::from_value(full_session_json()).unwrap();
    session.id = full[0].id.clone();
    session.lifecycle = full[0].lifecycle.clone();
    session.output = full[0].output.clone();
    session.signature_url = full[0].signature_url.clone();
    session.pre_authentication = Some(PreAuthentication { enabled: true });
    assert_eq!(to_json(&vec![session]), full_session_json());
}

#[test]
fn create_signing_session_response_2_9() {
    let sessions: Vec<SigningSession> = round_trip(json!([
        {
            "documents": [
                {
                    "action": "SIGN",
                    "documentCollectionId": "f05d0dce-a7af-432b-b6b8-e455ab7c0853",
                    "documentId": "f05d0dce-a7af-432b-b6b8-e455ab7c0857"
                }
            ],
            "dueDate": "2025-04-01T17:32:28Z",
            "id": "f05d0dce-a7af-432b-b6b8-e455ab7c0852",
            "senderDisplayName": "Corporation incorporated",
            "signText": "Please sign this document",
            "signatureUrl": "https://signtest-account.sandbox.signicat.com/sign/?sessionId=8ce3dac2-74b3-429c-adf7-fe6d277186d0",
            "signingSetup": [
                {
                    "additionalParameters": {"sbid_end_user_ip": "127.0.0.1", "sbid_flow": "QR"},
                    "identityProviders": [{"idpName": "string"}],
                    "signingFlow": "AUTHENTICATION_BASED"
                }
            ],
            "title": "Business Process"
        }
    ]));
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].lifecycle.is_none());
    assert_eq!(sessions[0].state(), None);
    assert!(!sessions[0].is_final());
}

#[test]
fn list_signing_sessions_response_2_10() {
    let page: PaginatedSigningSessionResponse =
        round_trip(json!({"count": 100, "limit": 100, "offset": 0, "total": 1000}));
    assert_eq!(page.count, Some(100));
    assert_eq!(page.total, Some(1000));
    assert_eq!(page.offset, Some(0));
    assert!(page.data.is_none());
}

#[test]
fn list_signing_sessions_response_with_data() {
    let mut data = full_session_json();
    let page: PaginatedSigningSessionResponse = round_trip(json!({
        "count": 1, "data": data.take(), "limit": 100, "offset": 0, "total": 1
    }));
    assert_eq!(page.data.unwrap()[0].title, "Business Process");
}

// ---------------------------------------------------------------- reference examples, DEM

#[test]
fn post_new_record_request_3_6() {
    let record: RecordRequest = round_trip(json!({
        "auditLevel": "string", "coreData": {}, "metadata": {},
        "relations": ["string"], "ttl": 123, "type": "string"
    }));
    assert_eq!(
        record.audit_level,
        Some(AuditLevel::Unknown("string".into()))
    );
    assert_eq!(record.record_type, RecordType::Unknown("string".into()));
    assert_eq!(record.ttl, 123);
    assert_eq!(record.relations, Some(vec!["string".to_string()]));
}

#[test]
fn record_request_constructor() {
    let mut metadata = serde_json::Map::new();
    metadata.insert("firstName".into(), json!("Ola"));
    let mut core_data = serde_json::Map::new();
    core_data.insert("consentText".into(), json!("I agree"));
    core_data.insert("nested".into(), json!({"a": [1, 2.5, null, true]}));
    let record = RecordRequest::new(RecordType::Gdpr, metadata, core_data, 30);
    assert_eq!(
        to_json(&record),
        json!({
            "coreData": {"consentText": "I agree", "nested": {"a": [1, 2.5, null, true]}},
            "metadata": {"firstName": "Ola"},
            "ttl": 30,
            "type": "GDPR"
        })
    );
    let record = record
        .with_relations(["r1", "r2"])
        .with_audit_level(AuditLevel::Advanced);
    let json = to_json(&record);
    assert_eq!(json["relations"], json!(["r1", "r2"]));
    assert_eq!(json["auditLevel"], "ADVANCED");
    let _: RecordRequest = round_trip(json);
}

fn test_query_json() -> Value {
    json!({
        "and": [{"field": "string", "operator": "string", "value": "{}"}],
        "not": [{"field": "string", "operator": "string", "value": "{}"}],
        "or": [{"field": "string", "operator": "string", "value": "{}"}]
    })
}

#[test]
fn set_expiry_dates_request_3_7() {
    let body: BatchUpdateTtlRequest = round_trip(json!({"query": test_query_json(), "ttl": 123}));
    assert_eq!(body.ttl, 123);
    let cond = &body.query.and.as_ref().unwrap()[0];
    assert_eq!(cond.operator, QueryOperator::Unknown("string".into()));
    assert_eq!(cond.value, json!("{}"));
    let built = BatchUpdateTtlRequest::new(
        QueryRequestBody::new()
            .and(QueryCondition::new("string", "string".into(), "{}"))
            .not(QueryCondition::new("string", "string".into(), "{}"))
            .or(QueryCondition::new("string", "string".into(), "{}")),
        123,
    );
    assert_eq!(built, body);
}

#[test]
fn set_expiry_date_request_3_8() {
    let body: SetExpiryDateRequest = round_trip(json!({"ttl": 123}));
    assert_eq!(body, SetExpiryDateRequest::new(123));
}

#[test]
fn query_request_3_9_test_body() {
    let body: QueryRequestBody = round_trip(test_query_json());
    assert_eq!(body.or.unwrap().len(), 1);
}

#[test]
fn query_request_3_9_illustrative_body() {
    let json = json!({
        "and": [
            {"field": "metadata.firstName", "operator": "eq", "value": "Ola"},
            {"field": "systemMetadata.createdDateTime", "operator": "gte", "value": "2024-01-01T00:00:00Z"}
        ],
        "or": [
            {"field": "systemMetadata.type", "operator": "in", "value": ["GDPR", "LOG_IN"]}
        ]
    });
    let body: QueryRequestBody = round_trip(json);
    let built = QueryRequestBody::all_of([
        QueryCondition::eq("metadata.firstName", "Ola"),
        QueryCondition::gte("systemMetadata.createdDateTime", "2024-01-01T00:00:00Z"),
    ])
    .or(QueryCondition::in_(
        "systemMetadata.type",
        ["GDPR", "LOG_IN"],
    ));
    assert_eq!(built, body);
    assert_eq!(body.and.as_ref().unwrap()[1].operator, QueryOperator::Gte);
    assert!(body.not.is_none());
}

#[test]
fn query_condition_constructors() {
    let cases = [
        (QueryCondition::eq("f", 1), "eq", json!(1)),
        (QueryCondition::ne("f", "x"), "ne", json!("x")),
        (QueryCondition::gt("f", 2.5), "gt", json!(2.5)),
        (QueryCondition::gte("f", 3), "gte", json!(3)),
        (QueryCondition::lt("f", -1), "lt", json!(-1)),
        (QueryCondition::lte("f", true), "lte", json!(true)),
        (QueryCondition::regex("f", "^Ol"), "regex", json!("^Ol")),
        (QueryCondition::in_("f", vec![1, 2]), "in", json!([1, 2])),
        (QueryCondition::nin("f", ["a"]), "nin", json!(["a"])),
        (
            QueryCondition::eq("f", json!({"k": null})),
            "eq",
            json!({"k": null}),
        ),
    ];
    for (cond, op, value) in cases {
        assert_eq!(
            to_json(&cond),
            json!({"field": "f", "operator": op, "value": value})
        );
        assert_eq!(cond.operator.as_str(), op);
    }
}

#[test]
fn query_body_helpers() {
    assert_eq!(to_json(&QueryRequestBody::new()), json!({}));
    let any = QueryRequestBody::any_of([QueryCondition::eq("a", 1), QueryCondition::eq("b", 2)]);
    assert_eq!(keys(&to_json(&any)), ["or"]);
    assert_eq!(any.or.as_ref().unwrap().len(), 2);
    let mixed = QueryRequestBody::all_of([QueryCondition::eq("a", 1)])
        .and(QueryCondition::eq("b", 2))
        .not(QueryCondition::eq("c", 3));
    assert_eq!(mixed.and.as_ref().unwrap().len(), 2);
    assert_eq!(mixed.not.as_ref().unwrap().len(), 1);
    assert!(mixed.or.is_none());
    // Absent and empty lists stay distinct.
    let empty_and: QueryRequestBody = round_trip(json!({"and": []}));
    assert_eq!(empty_and.and, Some(vec![]));
}

// ---------------------------------------------------------------- DEM responses

fn full_record_json() -> Value {
    json!({
        "_links": {
            "self": {"href": "https://api.signicat.com/dem/records/123e4567-e89b-12d3-a456-556642440000"},
            "report": {
                "deprecation": "https://example.com/deprecated",
                "href": "https://api.signicat.com/dem/reports/{id}",
                "hreflang": "en",
                "name": "pdf",
                "profile": "https://example.com/profile",
                "templated": true,
                "title": "PDF report",
                "type": "application/pdf"
            }
        },
        "coreData": {"consentText": "I agree", "amount": 12.5},
        "id": "123e4567-e89b-12d3-a456-556642440000",
        "metadata": {"firstName": "Ola", "tags": ["a", "b"]},
        "relations": [
            {
                "_links": {"self": {"href": "https://api.signicat.com/dem/records/7b1f4c3e"}},
                "relationID": "7b1f4c3e",
                "type": "KYC"
            }
        ],
        "systemMetadata": {
            "auditLevel": "QUALIFIED",
            "createdBy": "client-1",
            "createdDate": "2024-05-01T08:00:00Z",
            "createdDateTime": "2024-05-01T08:00:00.123Z",
            "expiryDate": "2025-05-01T08:00:00Z",
            "type": "GDPR"
        },
        "timestampData": {"tsa": "qualified", "token": "MIIB..."}
    })
}

#[test]
fn record_response_with_every_field() {
    let record: RecordResponse = round_trip(full_record_json());
    let links = record.links.as_ref().unwrap();
    assert_eq!(
        links["report"].media_type.as_deref(),
        Some("application/pdf")
    );
    assert_eq!(links["report"].templated, Some(true));
    let relation = &record.relations.as_ref().unwrap()[0];
    assert_eq!(relation.relation_id.as_deref(), Some("7b1f4c3e"));
    assert_eq!(relation.record_type, Some(RecordType::Kyc));
    let system = record.system_metadata.as_ref().unwrap();
    assert_eq!(system.audit_level, Some(AuditLevel::Qualified));
    assert_eq!(system.record_type, Some(RecordType::Gdpr));
    assert_eq!(
        system.created_date_time,
        Some(datetime!(2024-05-01 08:00:00.123 UTC))
    );
    assert_eq!(system.expiry_date, Some(datetime!(2025-05-01 08:00:00 UTC)));
    assert_eq!(
        system.created_date_parsed(),
        Some(datetime!(2024-05-01 08:00:00 UTC))
    );
    assert_eq!(record.core_data.as_ref().unwrap()["amount"], json!(12.5));
}

#[test]
fn record_response_examples_are_empty_objects() {
    // §3.5 / §3.6 README examples: `{}`.
    let record: RecordResponse = round_trip(json!({}));
    assert_eq!(record, RecordResponse::default());
}

#[test]
fn system_metadata_created_date_is_kept_verbatim() {
    let meta: SystemMetadata = round_trip(json!({"createdDate": "2024-05-01"}));
    assert_eq!(meta.created_date.as_deref(), Some("2024-05-01"));
    assert_eq!(meta.created_date_parsed(), None);
}

#[test]
fn stats_example_and_full() {
    let _: Stats = round_trip(json!({}));
    let stats: Stats = round_trip(json!({
        "avgRecordSize": "1.2 KB",
        "collectionSize": "12 MB",
        "totalRecords": 10000,
        "totalRecordsByType": {"GDPR": 6000, "LOG_IN": 4000}
    }));
    assert_eq!(stats.total_records, Some(10_000));
    assert_eq!(stats.total_records_by_type.unwrap()["GDPR"], json!(6000));
}

#[test]
fn record_page_round_trips_with_extra_fields() {
    let mut record = full_record_json();
    record.as_object_mut().unwrap().remove("coreData");
    let json = json!({
        "content": [record],
        "totalElements": 41,
        "totalPages": 3,
        "number": 2,
        "size": 20,
        "first": false,
        "last": true,
        "pageable": {"pageNumber": 2, "pageSize": 20, "sort": {"sorted": false}}
    });
    let page: RecordPage = round_trip(json);
    assert_eq!(page.total_elements, 41);
    assert_eq!(page.total_pages, 3);
    assert_eq!(page.number, 2);
    assert_eq!(page.size, 20);
    assert_eq!(page.content.len(), 1);
    assert!(page.content[0].core_data.is_none());
    assert_eq!(page.extra["last"], json!(true));
    assert_eq!(page.extra["pageable"]["pageSize"], json!(20));
    assert_eq!(page.extra.len(), 3);
}

#[test]
fn record_page_defaults_missing_fields() {
    let page: RecordPage = serde_json::from_value(json!({})).unwrap();
    assert_eq!(page, RecordPage::default());
    assert_eq!(
        to_json(&page),
        json!({"content": [], "totalElements": 0, "totalPages": 0, "number": 0, "size": 0})
    );
    let page: RecordPage = serde_json::from_value(json!({"content": [{"id": "x"}]})).unwrap();
    assert_eq!(page.content[0].id.as_deref(), Some("x"));
    assert_eq!(page.total_elements, 0);
    assert!(page.extra.is_empty());
}

// ---------------------------------------------------------------- open enums

#[test]
fn unknown_enum_values_round_trip() {
    let session: SigningSession = round_trip(json!({
        "documents": [{"action": "APPROVE", "documentCollectionId": "c", "documentId": "d"}],
        "lifecycle": {"state": "EXPIRED"},
        "output": {"signatures": [{"resultDocumentId": "r", "signatureType": "CADES"}],
                   "packages": [{"packageType": "ZIP"}]},
        "packageTo": ["ASICE"],
        "signer": {"validations": ["DATE_OF_BIRTH"]},
        "signingSetup": [{"identityProviders": [], "signingFlow": "REMOTE", "vendor": "ITSME"}],
        "title": "t",
        "ui": {"language": "pl"}
    }));
    assert_eq!(
        session.documents[0].action,
        DocumentAction::Unknown("APPROVE".into())
    );
    assert_eq!(
        session.state(),
        Some(&SessionState::Unknown("EXPIRED".into()))
    );
    assert!(!session.is_final());
    assert_eq!(
        session.ui.unwrap().language,
        Some(Language::Unknown("pl".into()))
    );
    assert_eq!(
        session.signing_setup[0].signing_flow,
        SigningFlow::Unknown("REMOTE".into())
    );

    let doc: Document = round_trip(json!({"documentHash": {"hashAlgorithm": "SHA512"}}));
    assert_eq!(
        doc.document_hash.unwrap().hash_algorithm.unwrap().as_str(),
        "SHA512"
    );

    let meta: SystemMetadata = round_trip(json!({"type": "NEW_TYPE", "auditLevel": "EXTREME"}));
    assert_eq!(
        meta.record_type,
        Some(RecordType::Unknown("NEW_TYPE".into()))
    );
    assert_eq!(
        meta.audit_level,
        Some(AuditLevel::Unknown("EXTREME".into()))
    );
    let relation: RecordRelationResponse = round_trip(json!({"type": "NEW_TYPE"}));
    assert_eq!(relation.record_type.unwrap().to_string(), "NEW_TYPE");
    let cond: QueryCondition =
        round_trip(json!({"field": "f", "operator": "exists", "value": true}));
    assert_eq!(cond.operator, QueryOperator::Unknown("exists".into()));
}

#[test]
fn enum_values_are_case_sensitive() {
    // "sign" is not "SIGN": kept as an unknown value, sent back as received.
    let doc: SessionDocument = round_trip(json!({
        "action": "sign", "documentCollectionId": "c", "documentId": "d"
    }));
    assert_eq!(doc.action, DocumentAction::Unknown("sign".into()));
}

#[test]
fn known_enum_values_map_both_ways() {
    fn check<E>(pairs: &[(E, &str)])
    where
        E: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + std::fmt::Display,
        E: for<'a> From<&'a str> + From<String> + std::str::FromStr<Err = std::convert::Infallible>,
    {
        for (value, wire) in pairs {
            assert_eq!(to_json(value), json!(wire));
            assert_eq!(&serde_json::from_value::<E>(json!(wire)).unwrap(), value);
            assert_eq!(value.to_string(), *wire);
            assert_eq!(&E::from(*wire), value);
            assert_eq!(&E::from(wire.to_string()), value);
            assert_eq!(&wire.parse::<E>().unwrap(), value);
        }
    }
    use DocumentAction as A;
    check(&[
        (A::Sign, "SIGN"),
        (A::View, "VIEW"),
        (A::Unknown("X".into()), "X"),
    ]);
    use SessionState as S;
    check(&[
        (S::Blocked, "BLOCKED"),
        (S::Ready, "READY"),
        (S::Rejected, "REJECTED"),
        (S::Signed, "SIGNED"),
    ]);
    check(&[
        (SigningFlow::AuthenticationBased, "AUTHENTICATION_BASED"),
        (SigningFlow::PkiSigning, "PKISIGNING"),
    ]);
    check(&[
        (Vendor::Audkenni, "AUDKENNI"),
        (Vendor::Buypass, "BUYPASS"),
        (Vendor::Sbid, "SBID"),
    ]);
    check(&[(PackageType::PadesContainer, "PADES_CONTAINER")]);
    check(&[
        (SignatureType::Pades, "PADES"),
        (SignatureType::Xades, "XADES"),
    ]);
    use Language as L;
    check(&[
        (L::Da, "da"),
        (L::De, "de"),
        (L::En, "en"),
        (L::Fi, "fi"),
        (L::Nb, "nb"),
        (L::Nn, "nn"),
        (L::Sv, "sv"),
    ]);
    check(&[(
        SignerValidation::NationalIdentificationNumber,
        "NATIONAL_IDENTIFICATION_NUMBER",
    )]);
    check(&[(HashAlgorithm::Sha256, "SHA256")]);
    use RecordType as R;
    check(&[
        (R::Consent, "CONSENT"),
        (R::Gdpr, "GDPR"),
        (R::InternalAudit, "INTERNAL_AUDIT"),
        (R::Kyc, "KYC"),
        (R::LogIn, "LOG_IN"),
        (R::Other, "OTHER"),
        (R::Sensitive, "SENSITIVE"),
        (R::Signature, "SIGNATURE"),
        (R::Transaction, "TRANSACTION"),
    ]);
    check(&[
        (AuditLevel::Simple, "SIMPLE"),
        (AuditLevel::Advanced, "ADVANCED"),
        (AuditLevel::Qualified, "QUALIFIED"),
    ]);
    use QueryOperator as Q;
    check(&[
        (Q::Eq, "eq"),
        (Q::Ne, "ne"),
        (Q::Gt, "gt"),
        (Q::Gte, "gte"),
        (Q::Lt, "lt"),
        (Q::Lte, "lte"),
        (Q::Regex, "regex"),
        (Q::In, "in"),
        (Q::Nin, "nin"),
    ]);
}

#[test]
fn enum_rejects_non_strings() {
    assert!(serde_json::from_value::<DocumentAction>(json!(1)).is_err());
    assert!(serde_json::from_value::<DocumentAction>(json!(null)).is_err());
}

#[test]
fn session_state_finality() {
    assert!(SessionState::Signed.is_final());
    assert!(SessionState::Rejected.is_final());
    assert!(!SessionState::Ready.is_final());
    assert!(!SessionState::Blocked.is_final());
    assert!(!SessionState::Unknown("EXPIRED".into()).is_final());
    let mut session: SigningSession = serde_json::from_value(json!({
        "documents": [], "signingSetup": [], "title": "t", "lifecycle": {"state": "SIGNED"}
    }))
    .unwrap();
    assert!(session.is_final());
    session.lifecycle.as_mut().unwrap().state_is_final = Some(false);
    assert!(!session.is_final());
}

// ---------------------------------------------------------------- omitted optionals and nulls

#[test]
fn new_signing_session_has_only_required_keys() {
    let session = SigningSession::new(
        "Contract",
        vec![SessionDocument::sign("c1", "d1")],
        vec![SigningSetup::new(
            SigningFlow::AuthenticationBased,
            ["bankid-no"],
        )],
    );
    let json = to_json(&session);
    assert_eq!(keys(&json), ["documents", "signingSetup", "title"]);
    assert_eq!(
        json,
        json!({
            "documents": [{"action": "SIGN", "documentCollectionId": "c1", "documentId": "d1"}],
            "signingSetup": [{"identityProviders": [{"idpName": "bankid-no"}], "signingFlow": "AUTHENTICATION_BASED"}],
            "title": "Contract"
        })
    );
}

#[test]
fn constructors_leave_optionals_unset() {
    assert_eq!(
        to_json(&DocumentCollection::new(vec![DocumentReference::new("d")])),
        json!({"documents": [{"documentId": "d"}]})
    );
    assert_eq!(
        to_json(&SessionDocument::view("c", "d")),
        json!({"action": "VIEW", "documentCollectionId": "c", "documentId": "d"})
    );
    assert_eq!(
        to_json(&SigningSetup::new(
            SigningFlow::PkiSigning,
            Vec::<String>::new()
        )),
        json!({"identityProviders": [], "signingFlow": "PKISIGNING"})
    );
    assert_eq!(to_json(&Signer::default()), json!({}));
    assert_eq!(to_json(&Ui::default()), json!({}));
    assert_eq!(to_json(&SessionOutput::default()), json!({}));
    assert_eq!(to_json(&Link::default()), json!({}));
    assert_eq!(to_json(&SystemMetadata::default()), json!({}));
}

#[test]
fn empty_lists_are_kept_apart_from_absent_ones() {
    let session = SigningSession::new("t", vec![], vec![]).with_subsequent_to(Vec::<String>::new());
    assert_eq!(to_json(&session)["subsequentTo"], json!([]));
    let output: SessionOutput = round_trip(json!({"packages": [], "signatures": []}));
    assert_eq!(output.packages, Some(vec![]));
}

#[test]
fn nullable_fields_accept_null() {
    let session: SigningSession = serde_json::from_value(json!({
        "documents": [{"action": "SIGN", "documentCollectionId": "c", "documentId": "d"}],
        "externalReference": null,
        "output": {"packages": null, "signatures": null},
        "signingSetup": [{"additionalParameters": null, "identityProviders": [{"idpName": "x"}], "signingFlow": "PKISIGNING", "vendor": null}],
        "title": "t",
        "dueDate": null,
        "ui": null
    }))
    .unwrap();
    assert!(session.external_reference.is_none());
    assert!(session.due_date.is_none());
    assert_eq!(session.output, Some(SessionOutput::default()));
    assert!(session.signing_setup[0].additional_parameters.is_none());
    // Re-encoding omits what was null.
    let json = to_json(&session);
    assert!(json.get("externalReference").is_none());
    assert_eq!(json["output"], json!({}));
    assert_eq!(
        keys(&json["signingSetup"][0]),
        ["identityProviders", "signingFlow"]
    );

    let collection: DocumentCollection = serde_json::from_value(json!({
        "documents": [], "output": {"packages": null}, "id": null, "packageTo": null
    }))
    .unwrap();
    assert_eq!(collection.output, Some(CollectionOutput { packages: None }));
    assert!(collection.package_to.is_none());

    // Response models: every optional field may be null.
    let doc: Document = serde_json::from_value(json!({
        "createdAt": null, "description": null, "documentHash": null, "documentId": null,
        "filename": null, "mimeType": null, "title": null
    }))
    .unwrap();
    assert_eq!(doc, Document::default());
    let record: RecordResponse = serde_json::from_value(json!({
        "_links": null, "coreData": null, "id": null, "metadata": null, "relations": null,
        "systemMetadata": {"createdDateTime": null, "expiryDate": null, "createdDate": null, "type": null},
        "timestampData": null
    }))
    .unwrap();
    assert_eq!(to_json(&record), json!({"systemMetadata": {}}));
    let page: PaginatedSigningSessionResponse =
        serde_json::from_value(json!({"count": null, "data": null, "total": null})).unwrap();
    assert_eq!(page, PaginatedSigningSessionResponse::default());
}

#[test]
fn required_fields_are_required() {
    assert!(
        serde_json::from_value::<SigningSession>(json!({"documents": [], "signingSetup": []}))
            .is_err()
    );
    assert!(
        serde_json::from_value::<SessionDocument>(json!({"action": "SIGN", "documentId": "d"}))
            .is_err()
    );
    assert!(
        serde_json::from_value::<RecordRequest>(
            json!({"type": "GDPR", "metadata": {}, "coreData": {}})
        )
        .is_err()
    );
    assert!(serde_json::from_value::<SessionSignature>(json!({"signatureType": "PADES"})).is_err());
}

#[test]
fn additional_parameter_keys_are_not_renamed() {
    let setup = SigningSetup::new(SigningFlow::AuthenticationBased, ["sbid"])
        .with_additional_parameter("sbid_end_user_ip", "127.0.0.1");
    let mut expected = BTreeMap::new();
    expected.insert("sbid_end_user_ip".to_string(), "127.0.0.1".to_string());
    assert_eq!(setup.additional_parameters, Some(expected));
    assert_eq!(
        to_json(&setup)["additionalParameters"],
        json!({"sbid_end_user_ip": "127.0.0.1"})
    );
}

// ---------------------------------------------------------------- timestamps

#[test]
fn timestamps_re_encode_identically() {
    for text in [
        "2023-04-12T10:30:00Z",
        "2025-04-01T17:32:28Z",
        "2023-04-12T10:30:00.5Z",
        "2023-04-12T10:30:00.123456789Z",
        "2023-04-12T12:30:00+02:00",
        "2023-04-12T05:30:00-05:00",
    ] {
        let doc: Document = round_trip(json!({"createdAt": text}));
        assert!(doc.created_at.is_some(), "{text}");
    }
    // A UTC value set in code is written with `Z` and no zero fraction.
    let session =
        SigningSession::new("t", vec![], vec![]).with_due_date(datetime!(2025-04-01 17:32:28 UTC));
    assert_eq!(to_json(&session)["dueDate"], "2025-04-01T17:32:28Z");
    // Offsets are kept, not converted.
    let doc: Document =
        serde_json::from_value(json!({"createdAt": "2023-04-12T12:30:00+02:00"})).unwrap();
    assert_eq!(doc.created_at, Some(datetime!(2023-04-12 12:30:00 +2)));
}

#[test]
fn invalid_timestamps_are_rejected() {
    for bad in ["2023-04-12", "tomorrow", "2023-04-12T10:30:00"] {
        assert!(
            serde_json::from_value::<Document>(json!({"createdAt": bad})).is_err(),
            "{bad}"
        );
    }
}

// ---------------------------------------------------------------- query parameters

#[test]
fn list_signing_sessions_query() {
    assert!(ListSigningSessions::new().to_query().is_empty());
    let params = ListSigningSessions::new()
        .limit(50)
        .offset(100)
        .sort(SessionSort::desc("createdAt"))
        .sort(SessionSort::asc("dueDate"));
    assert_eq!(
        params.to_query(),
        vec![
            ("limit", "50".to_string()),
            ("offset", "100".to_string()),
            ("sort", "-createdAt".to_string()),
            ("sort", "+dueDate".to_string()),
        ]
    );
    assert_eq!(
        ListSigningSessions::new()
            .sort(SessionSort::asc("title"))
            .to_query(),
        vec![("sort", "+title".to_string())]
    );
    assert_eq!(
        ListSigningSessions::new().offset(7).to_query(),
        vec![("offset", "7".to_string())]
    );
}

#[test]
fn session_sort_text() {
    assert_eq!(SessionSort::asc("dueDate").to_string(), "+dueDate");
    assert_eq!(SessionSort::desc("createdAt").to_string(), "-createdAt");
    assert_eq!(
        "+dueDate".parse::<SessionSort>().unwrap(),
        SessionSort::asc("dueDate")
    );
    assert_eq!(
        "dueDate".parse::<SessionSort>().unwrap(),
        SessionSort::asc("dueDate")
    );
    assert_eq!(
        "-createdAt".parse::<SessionSort>().unwrap(),
        SessionSort::desc("createdAt")
    );
}

#[test]
fn query_records_params() {
    assert!(QueryRecords::all().to_query().is_empty());
    assert_eq!(QueryRecords::all(), QueryRecords::new());
    let filter = QueryRequestBody::all_of([QueryCondition::eq("metadata.firstName", "Ola")]);
    let params = QueryRecords::new().filter(filter.clone()).page(0).size(100);
    assert_eq!(
        params.to_query(),
        vec![("page", "0".to_string()), ("size", "100".to_string())]
    );
    assert_eq!(params.filter, Some(filter));
    assert_eq!(
        QueryRecords::new().size(5).to_query(),
        vec![("size", "5".to_string())]
    );
}

// ---------------------------------------------------------------- defaults

#[test]
fn defaults_help_struct_update() {
    let session = SigningSession {
        title: "t".into(),
        sign_text: Some("Sign".into()),
        ..Default::default()
    };
    assert_eq!(
        to_json(&session),
        json!({"documents": [], "signingSetup": [], "signText": "Sign", "title": "t"})
    );
    assert_eq!(SessionDocument::default().action, DocumentAction::Sign);
    assert_eq!(
        SigningSetup::default().signing_flow,
        SigningFlow::AuthenticationBased
    );
    assert_eq!(
        SessionSignature::default().signature_type,
        SignatureType::Pades
    );
    assert_eq!(RecordRequest::default().record_type, RecordType::Other);
    assert_eq!(QueryCondition::default().operator, QueryOperator::Eq);
    assert_eq!(QueryCondition::default().value, Value::Null);
}
