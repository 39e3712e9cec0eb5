//! The few public items that exist in one flavour only: the blocking `Iterator` over a
//! listing, and the async `into_stream()` and `upload_document_stream`.

use signicat_dem::Environment;
use signicat_dem::models::{QueryRecords, RecordRequest, RecordType};
use signicat_dem_mock::MockServer;

fn record(i: i64) -> RecordRequest {
    let mut metadata = serde_json::Map::new();
    metadata.insert("i".into(), i.into());
    RecordRequest::new(RecordType::Other, metadata, serde_json::Map::new(), 2)
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_listing_is_an_iterator() {
    let server = MockServer::start_blocking();
    let client = signicat_dem::Client::builder()
        .token(server.token())
        .environment(Environment::local(&server.base_url()).expect("env"))
        .build()
        .expect("client");
    for i in 0..7 {
        client.dem().post_new_record(&record(i)).expect("post");
    }
    let all: Result<Vec<_>, _> = client
        .dem()
        .query_all(&QueryRecords::all().size(3))
        .collect();
    assert_eq!(all.expect("pages").len(), 7);
    let none: Vec<_> = client
        .sign()
        .list_all_signing_sessions(&signicat_dem::models::ListSigningSessions::new())
        .collect();
    assert!(none.is_empty());
}

#[cfg(feature = "async")]
#[tokio::test]
async fn async_listing_is_a_stream_and_uploads_take_streams() {
    use futures_util::{StreamExt, TryStreamExt};

    let server = MockServer::start().await;
    let client = signicat_dem::AsyncClient::builder()
        .token(server.token())
        .environment(Environment::local(&server.base_url()).expect("env"))
        .build()
        .expect("client");
    for i in 0..7 {
        client
            .dem()
            .post_new_record(&record(i))
            .await
            .expect("post");
    }
    let all: Vec<_> = client
        .dem()
        .query_all(&QueryRecords::all().size(3))
        .into_stream()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(all.len(), 7);

    let chunks = vec![
        b"%PDF-1.4\n".to_vec(),
        vec![7u8; 70_000],
        b"%%EOF\n".to_vec(),
    ];
    let expected: Vec<u8> = chunks.concat();
    let stream =
        futures_util::stream::iter(chunks).map(|c| Ok::<_, std::io::Error>(bytes::Bytes::from(c)));
    let doc = client
        .sign()
        .upload_document_stream("application/pdf", stream, Some(expected.len() as u64))
        .await
        .expect("upload stream");
    let id = doc.document_id.expect("id");
    assert_eq!(
        client.sign().get_document(&id).await.expect("download"),
        expected
    );
    let entry = server
        .journal()
        .into_iter()
        .find(|e| e.method == "POST" && e.path == "/sign/documents")
        .expect("upload request");
    assert_eq!(entry.body_len, expected.len() as u64);
    assert_eq!(
        entry.header("content-length"),
        Some(expected.len().to_string().as_str())
    );
}
