//! The query encoder, through the public API: `list_signing_sessions` with fuzzed sort keys
//! and paging, on a client whose `RequestOptions` add fuzzed query pairs, sent through a
//! recording transport. The URL's query must decode (form-urlencoded) back to exactly the
//! pairs the caller gave, in order; it holds only unreserved characters, `%XX`, `=` and `&`;
//! the path is untouched; and the `url` crate parses the URL without re-encoding it.

#![no_main]

use std::sync::{Arc, Mutex, OnceLock};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use signicat_dem::blocking::{Client, HttpResponse, ResponseBody, Transport};
use signicat_dem::models::{ListSigningSessions, SessionSort};
use signicat_dem::{Environment, Error, HttpRequest, RequestOptions};

const BASE: &str = "http://127.0.0.1:9";

#[derive(Clone, Default)]
struct RecordingTransport {
    sent: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Transport for RecordingTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.sent.lock().unwrap().push(request);
        Ok(HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: ResponseBody::from_bytes(b"{}".to_vec()),
        })
    }
}

fn client() -> &'static (Client<RecordingTransport>, RecordingTransport) {
    static CLIENT: OnceLock<(Client<RecordingTransport>, RecordingTransport)> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let transport = RecordingTransport::default();
        let client = Client::builder()
            .token("fuzz-token")
            .environment(Environment::local(BASE).unwrap())
            .max_retries(0)
            .with_transport(transport.clone())
            .unwrap();
        (client, transport)
    })
}

#[derive(Arbitrary, Debug)]
struct Input {
    limit: Option<u32>,
    offset: Option<u64>,
    sort: Vec<(bool, String)>,
    extra: Vec<(String, String)>,
}

fn allowed(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%' | b'=' | b'&')
}

fuzz_target!(|input: Input| {
    let (client, transport) = client();
    let mut params = ListSigningSessions::new();
    let mut expected: Vec<(String, String)> = Vec::new();
    if let Some(limit) = input.limit {
        params = params.limit(limit);
        expected.push(("limit".into(), limit.to_string()));
    }
    if let Some(offset) = input.offset {
        params = params.offset(offset);
        expected.push(("offset".into(), offset.to_string()));
    }
    for (descending, field) in &input.sort {
        let sort = SessionSort {
            field: field.clone(),
            descending: *descending,
        };
        let sign = if *descending { '-' } else { '+' };
        expected.push(("sort".into(), format!("{sign}{field}")));
        params = params.sort(sort);
    }
    let mut options = RequestOptions::new();
    for (k, v) in &input.extra {
        options = options.query(k.clone(), v.clone());
        expected.push((k.clone(), v.clone()));
    }

    transport.sent.lock().unwrap().clear();
    client
        .with_options(options)
        .sign()
        .list_signing_sessions(&params)
        .expect("the recording transport answers 200 {}");
    let sent = transport
        .sent
        .lock()
        .unwrap()
        .pop()
        .expect("one request sent");

    let (path, query) = match sent.url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (sent.url.as_str(), None),
    };
    assert_eq!(path, format!("{BASE}/sign/signing-sessions"));
    assert!(!sent.url.contains('#'));
    let query = query.unwrap_or("");
    assert_eq!(query.is_empty(), expected.is_empty(), "{:?}", sent.url);
    assert!(
        query.bytes().all(allowed),
        "unexpected character in {query:?}"
    );
    assert_eq!(
        query.split('&').filter(|p| !p.is_empty()).count(),
        expected.len(),
        "one `&`-separated pair per input pair: {query:?}"
    );

    let decoded: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(decoded, expected, "query {query:?}");

    // A URL parser takes the URL as it is: nothing left to encode or normalise.
    let parsed = url::Url::parse(&sent.url).expect("the URL parses");
    assert_eq!(parsed.as_str(), sent.url);
});
