//! Examples mode: stateless, like an OpenAPI mock server. Every authenticated, schema-valid
//! request gets its operation's documented example (reference sections 2 and 3, wire names)
//! with the documented success status, whatever the ids. Business rules that need state or the
//! clock (ids exist, `dueDate` window, sort field names, 409s) are not applied.

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::problem::Problem;
use crate::routes::Route;
use crate::state::App;
use crate::wire::{
    Req, bytes_response, json_response, no_content, required_json_body, text_response,
};
use crate::{dem, sign};

const DOCUMENT_ID: &str = "d1234567-89ab-cdef-0123-456789abcdef";
const RECORD_ID: &str = "123e4567-e89b-12d3-a456-556642440000";
const EXAMPLE_HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// `DocumentCollection` example (2.1 response).
pub fn collection() -> Value {
    json!({
        "documents": [
            {"description": "Terms of Service", "documentId": "15197b79-6333-4fa5-9e4c-23b9392a838f"}
        ],
        "id": "f05d0dce-a7af-432b-b6b8-e455ab7c0858"
    })
}

/// `PostDocumentResponse` example (2.4 response, with a `documentHash`).
pub fn post_document_response() -> Value {
    json!({
        "createdAt": "2023-04-12T10:30:00Z",
        "documentId": DOCUMENT_ID,
        "mimeType": "application/pdf",
        "documentHash": {"hash": EXAMPLE_HASH, "hashAlgorithm": "SHA256"}
    })
}

/// `Document` example (2.7 response, with a `documentHash`).
pub fn document() -> Value {
    json!({
        "createdAt": "2023-04-12T10:30:00Z",
        "description": "Invoice for order #001",
        "documentId": DOCUMENT_ID,
        "filename": "invoice_001.pdf",
        "mimeType": "application/pdf",
        "title": "Invoice #001",
        "documentHash": {"hash": EXAMPLE_HASH, "hashAlgorithm": "SHA256"}
    })
}

/// `SigningSession` example (2.9 response item).
pub fn session() -> Value {
    json!({
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
    })
}

/// `PaginatedSigningSessionResponse` example (2.10 response).
pub fn session_page() -> Value {
    json!({"count": 100, "limit": 100, "offset": 0, "total": 1000})
}

/// A filled `RecordResponse` (the reference's example is `{}`).
pub fn record(with_core_data: bool) -> Value {
    let mut r = json!({
        "id": RECORD_ID,
        "metadata": {"firstName": "Ola", "lastName": "Nordmann"},
        "relations": [],
        "systemMetadata": {
            "type": "GDPR",
            "auditLevel": "QUALIFIED",
            "createdBy": "mock-client",
            "createdDate": "2024-01-15T00:00:00.000Z",
            "createdDateTime": "2024-01-15T10:30:00.000Z",
            "expiryDate": "2024-02-14T10:30:00.000Z"
        },
        "timestampData": {
            "algorithm": "SHA256",
            "hash": EXAMPLE_HASH,
            "timestamp": "2024-01-15T10:30:00.000Z"
        },
        "_links": {
            "self": {"href": format!("https://api.signicat.com/dem/records/{RECORD_ID}")},
            "report": {"href": format!("https://api.signicat.com/dem/reports/{RECORD_ID}")}
        }
    });
    if with_core_data {
        r["coreData"] = json!({"consent": true, "purpose": "marketing"});
    }
    r
}

/// A filled `Stats` (the reference's example is `{}`).
pub fn stats() -> Value {
    json!({
        "totalRecords": 3,
        "totalRecordsByType": {"GDPR": 2, "LOG_IN": 1},
        "collectionSize": "4096",
        "avgRecordSize": "1365"
    })
}

/// A query page with the example record.
pub fn query_page() -> Value {
    json!({
        "content": [record(false)],
        "totalElements": 1,
        "totalPages": 1,
        "number": 0,
        "size": 20
    })
}

fn pdf(title: &str) -> Response<Body> {
    let lines = vec![("id".to_string(), RECORD_ID.to_string())];
    bytes_response(
        StatusCode::OK,
        "application/pdf",
        crate::pdf::record_report(title, &lines),
    )
}

pub(crate) fn handle(_app: &App, route: Route, req: &Req) -> Result<Response<Body>, Problem> {
    let ok = |v: Value| Ok(json_response(StatusCode::OK, &v));
    match (route, &req.method) {
        (Route::Documents, _) => {
            sign::check_upload(req)?;
            ok(post_document_response())
        }
        (Route::Document(_), &Method::GET) => Ok(pdf("Example document")),
        (Route::DocumentMetadata(_), &Method::GET) => ok(document()),
        (Route::DocumentMetadata(_), _) => {
            sign::check_metadata_patch(req)?;
            ok(document())
        }
        (Route::Collections, _) => {
            sign::check_collection(&required_json_body(req)?, None)?;
            Ok(json_response(StatusCode::CREATED, &collection()))
        }
        (Route::Collection(_), &Method::GET) => ok(collection()),
        (Route::Sessions, &Method::GET) => {
            sign::check_list_params(req, false)?;
            ok(session_page())
        }
        (Route::Sessions, _) => {
            sign::check_session_batch(&required_json_body(req)?, None)?;
            Ok(json_response(StatusCode::CREATED, &json!([session()])))
        }
        (Route::Session(_), &Method::GET) => ok(session()),
        (Route::Document(_) | Route::Collection(_) | Route::Session(_), _) => Ok(no_content()),
        (Route::Ping, _) => Ok(text_response(StatusCode::OK, "OK")),
        (Route::Info, _) => ok(stats()),
        (Route::CustomFields | Route::CustomFieldsOfType(_), _) => {
            ok(json!(["firstName", "lastName"]))
        }
        (Route::Records, &Method::POST) => {
            dem::check_record(&required_json_body(req)?, None)?;
            Ok(json_response(StatusCode::CREATED, &record(true)))
        }
        (Route::Records, _) => {
            dem::check_batch_ttl(req)?;
            Ok(text_response(StatusCode::OK, "3 records updated"))
        }
        (Route::Record(_), &Method::GET) => ok(record(true)),
        (Route::Record(_), _) => {
            dem::check_set_expiry(req)?;
            Ok(no_content())
        }
        (Route::RecordsQuery, _) => {
            dem::check_query_request(req)?;
            ok(query_page())
        }
        (Route::Report(_), _) => Ok(pdf("DEM record report (example)")),
        (Route::Token, m) => Err(Problem::no_route(m.as_str(), "/auth/open/connect/token")),
    }
}
