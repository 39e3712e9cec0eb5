//! Encode and decode of the models, without any I/O:
//!
//! * a full `SigningSession` (every field set, as the server answers it);
//! * a 1,000-record `RecordPage` (a maximal `query` page).
//!
//! Each is decoded as the SDK does it (`serde_json` into the typed model), encoded back, and —
//! as baselines — decoded into an untyped `serde_json::Value` and with
//! `serde_path_to_error` tracking (which the SDK now only runs after a failed decode).
//! `cargo bench --bench codec`.

use std::time::Duration;

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use serde_json::{Value, json};
use signicat_dem::models::{RecordPage, SigningSession};

fn full_session() -> Value {
    json!({
        "id": "8ce3dac2-74b3-429c-adf7-fe6d277186d0",
        "title": "Employment contract for Ola Nordmann",
        "externalReference": "order-42/2024-05-01",
        "dueDate": "2030-05-30T12:00:00Z",
        "senderDisplayName": "ACME Human Resources",
        "signText": "Please read and sign your employment contract",
        "signatureUrl": "https://signtest-account.sandbox.signicat.com/sign/?sessionId=8ce3dac2-74b3-429c-adf7-fe6d277186d0",
        "documents": [
            {"action": "SIGN", "documentCollectionId": "0b3b2d34-94f3-4f55-9a39-1c1f7c3a4c11", "documentId": "f9d0c6a8-2a55-4e3c-9a54-5d9f0b0a7e01"},
            {"action": "SIGN", "documentCollectionId": "0b3b2d34-94f3-4f55-9a39-1c1f7c3a4c11", "documentId": "f9d0c6a8-2a55-4e3c-9a54-5d9f0b0a7e02"},
            {"action": "VIEW", "documentCollectionId": "0b3b2d34-94f3-4f55-9a39-1c1f7c3a4c11", "documentId": "f9d0c6a8-2a55-4e3c-9a54-5d9f0b0a7e03"}
        ],
        "lifecycle": {"state": "SIGNED", "stateIsFinal": true},
        "output": {
            "packages": [
                {"packageId": "5e0c1d2b-6f59-4a8e-8d0b-3f4a2c1b0a99", "packageType": "PADES_CONTAINER", "resultDocumentId": "7a1c9e3f-0d2b-4c5a-9e8f-6b7a5c4d3e21"}
            ],
            "signatures": [
                {"documentCollectionId": "0b3b2d34-94f3-4f55-9a39-1c1f7c3a4c11", "originalDocumentId": "f9d0c6a8-2a55-4e3c-9a54-5d9f0b0a7e01", "resultDocumentId": "3c2b1a09-8f7e-4d6c-b5a4-93e2d1c0b9a1", "signatureType": "PADES"},
                {"documentCollectionId": "0b3b2d34-94f3-4f55-9a39-1c1f7c3a4c11", "originalDocumentId": "f9d0c6a8-2a55-4e3c-9a54-5d9f0b0a7e02", "resultDocumentId": "3c2b1a09-8f7e-4d6c-b5a4-93e2d1c0b9a2", "signatureType": "PADES"}
            ]
        },
        "packageTo": ["PADES_CONTAINER"],
        "preAuthentication": {"enabled": true},
        "redirectSettings": {
            "success": "https://example.com/signed?ref=order-42",
            "cancel": "https://example.com/cancelled?ref=order-42",
            "error": "https://example.com/error?ref=order-42"
        },
        "signer": {
            "email": "ola.nordmann@example.com",
            "mobile": "+4799999999",
            "nationalIdentificationNumber": "01017012345",
            "validations": ["NATIONAL_IDENTIFICATION_NUMBER"]
        },
        "signingSetup": [
            {
                "identityProviders": [{"idpName": "nbid"}, {"idpName": "sbid"}, {"idpName": "ftn"}],
                "signingFlow": "AUTHENTICATION_BASED",
                "vendor": "BUYPASS",
                "additionalParameters": {"loginHint": "ola", "prompt": "login"}
            },
            {"identityProviders": [{"idpName": "nbid"}], "signingFlow": "PKISIGNING"}
        ],
        "subsequentTo": ["11111111-2222-4333-8444-555555555555"],
        "ui": {"language": "nb"}
    })
}

fn record(i: usize) -> Value {
    let id = format!("7b1f4c3e-{:04x}-4000-8000-{:012x}", i % 0xffff, i);
    json!({
        "_links": {"self": {"href": format!("https://api.signicat.com/dem/records/{id}")}},
        "id": id,
        "metadata": {
            "customerId": format!("c-{}", i % 97),
            "firstName": "Ola",
            "lastName": "Nordmann",
            "channel": "web",
            "amount": (i as f64) * 12.5,
            "consent": i.is_multiple_of(2)
        },
        "relations": [
            {"relationID": "7b1f4c3e-0000-4000-8000-000000000001", "type": "GDPR",
             "_links": {"self": {"href": "https://api.signicat.com/dem/records/7b1f4c3e-0000-4000-8000-000000000001"}}}
        ],
        "systemMetadata": {
            "auditLevel": "QUALIFIED",
            "createdBy": "mock-client",
            "createdDate": "2024-05-01T08:00:00.123Z",
            "createdDateTime": "2024-05-01T08:00:00.123Z",
            "expiryDate": "2025-05-01T08:00:00.123Z",
            "type": "GDPR"
        },
        "timestampData": {"tsa": "https://tsa.example.com", "serial": format!("{:032x}", i * 7919)}
    })
}

fn record_page(n: usize) -> Value {
    json!({
        "content": (0..n).map(record).collect::<Vec<_>>(),
        "totalElements": 25_000,
        "totalPages": 25,
        "number": 0,
        "size": n,
        "pageable": {"pageNumber": 0, "pageSize": n, "offset": 0, "paged": true, "unpaged": false},
        "first": true,
        "last": false,
        "empty": false,
        "numberOfElements": n
    })
}

fn bench_model<T>(c: &mut Criterion, name: &str, value: Value)
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_vec(&value).expect("encode fixture");
    let model: T = serde_json::from_slice(&text).expect("fixture decodes");
    let encoded = serde_json::to_vec(&model).expect("encode");
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("decode_typed", |b| {
        b.iter(|| black_box(serde_json::from_slice::<T>(black_box(&text)).expect("decode")))
    });
    g.bench_function("decode_typed_path_tracking", |b| {
        b.iter(|| {
            let de = &mut serde_json::Deserializer::from_slice(black_box(&text));
            black_box(serde_path_to_error::deserialize::<_, T>(de).expect("decode"))
        })
    });
    g.bench_function("decode_untyped_value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(&text)).expect("decode")))
    });
    g.throughput(Throughput::Bytes(encoded.len() as u64));
    g.bench_function("encode_typed", |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(&model)).expect("encode")))
    });
    g.finish();
    println!("{name}: {} bytes of JSON", text.len());
}

fn main() {
    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(30)
        .configure_from_args();
    bench_model::<SigningSession>(&mut c, "signing_session_full", full_session());
    bench_model::<RecordPage>(&mut c, "record_page_1000", record_page(1000));
    c.final_summary();
}
