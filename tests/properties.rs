//! Property tests (proptest): what goes on the wire for any input.
//!
//! * Any id, whatever its characters (`/`, `?`, `#`, `%`, spaces, `..` inside, any unicode),
//!   stays one path segment that percent-decodes back to the id, in both clients; `""`, `.`
//!   and `..` are refused before anything is sent.
//! * Any sort keys and extra query pairs come back, in order, when the URL's query is decoded.
//! * Every model survives encode → decode → encode unchanged, unknown enum values and
//!   unknown page fields included.
//!
//! Requests are captured by a recording transport (`ClientBuilder::with_transport`); nothing
//! touches the network.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use signicat_dem::models::*;
use signicat_dem::{Environment, Error, ErrorKind, HttpRequest, Method, RequestOptions};
use time::OffsetDateTime;

const BASE: &str = "http://127.0.0.1:9";

/// A body every operation used here accepts: a valid `SigningSession`, and (unknown fields
/// being ignored) a valid `RecordResponse` and `PaginatedSigningSessionResponse`.
const BODY: &[u8] = br#"{"documents":[],"signingSetup":[],"title":"t"}"#;

type Sent = Arc<Mutex<Vec<HttpRequest>>>;

fn env() -> Environment {
    Environment::local(BASE).expect("environment")
}

fn take(sent: &Sent) -> Vec<HttpRequest> {
    std::mem::take(&mut *sent.lock().unwrap())
}

#[cfg(feature = "blocking")]
mod blocking_flavour {
    use super::*;
    use signicat_dem::blocking::{Client, HttpResponse, ResponseBody, Transport};

    #[derive(Clone, Default)]
    pub struct Recorder {
        pub sent: Sent,
    }

    impl Transport for Recorder {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
            self.sent.lock().unwrap().push(request);
            Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: ResponseBody::from_bytes(BODY.to_vec()),
            })
        }
    }

    pub fn client() -> (Client<Recorder>, Sent) {
        let recorder = Recorder::default();
        let sent = recorder.sent.clone();
        let client = Client::builder()
            .token("prop-token")
            .environment(env())
            .max_retries(0)
            .with_transport(recorder)
            .expect("client");
        (client, sent)
    }

    /// Runs `op` with `id` and returns its result (the decoded value dropped).
    pub fn call(client: &Client<Recorder>, op: Op, id: &str) -> Result<(), Error> {
        match op {
            Op::GetDocument => client.sign().get_document(id).map(drop),
            Op::GetDocumentInfo => client.sign().get_document_info(id).map(drop),
            Op::DeleteDocumentCollection => client.sign().delete_document_collection(id),
            Op::GetSigningSession => client.sign().get_signing_session(id).map(drop),
            Op::GetRecordById => client.dem().get_record_by_id(id).map(drop),
            Op::SetExpiryDate => client.dem().set_expiry_date(id, 30),
            Op::GenerateReport => client.dem().generate_report(id).map(drop),
        }
    }

    pub fn list(
        client: &Client<Recorder>,
        params: &ListSigningSessions,
        options: RequestOptions,
    ) -> Result<(), Error> {
        client
            .with_options(options)
            .sign()
            .list_signing_sessions(params)
            .map(drop)
    }
}

#[cfg(feature = "async")]
mod async_flavour {
    use super::*;
    use signicat_dem::nonblocking::{Client, HttpResponse, ResponseBody, Transport};

    #[derive(Clone, Default)]
    pub struct Recorder {
        pub sent: Sent,
    }

    impl Transport for Recorder {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
            self.sent.lock().unwrap().push(request);
            Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: ResponseBody::from_bytes(BODY.to_vec()),
            })
        }
    }

    pub fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
    }

    pub fn client() -> (Client<Recorder>, Sent) {
        let recorder = Recorder::default();
        let sent = recorder.sent.clone();
        let client = signicat_dem::AsyncClient::builder()
            .token("prop-token")
            .environment(env())
            .max_retries(0)
            .with_transport(recorder)
            .expect("client");
        (client, sent)
    }

    pub async fn call(client: &Client<Recorder>, op: Op, id: &str) -> Result<(), Error> {
        match op {
            Op::GetDocument => client.sign().get_document(id).await.map(drop),
            Op::GetDocumentInfo => client.sign().get_document_info(id).await.map(drop),
            Op::DeleteDocumentCollection => client.sign().delete_document_collection(id).await,
            Op::GetSigningSession => client.sign().get_signing_session(id).await.map(drop),
            Op::GetRecordById => client.dem().get_record_by_id(id).await.map(drop),
            Op::SetExpiryDate => client.dem().set_expiry_date(id, 30).await,
            Op::GenerateReport => client.dem().generate_report(id).await.map(drop),
        }
    }

    pub async fn list(
        client: &Client<Recorder>,
        params: &ListSigningSessions,
        options: RequestOptions,
    ) -> Result<(), Error> {
        client
            .with_options(options)
            .sign()
            .list_signing_sessions(params)
            .await
            .map(drop)
    }
}

// ------------------------------------------------------------------------ ids in paths

/// Operations that put a caller's id into the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    GetDocument,
    GetDocumentInfo,
    DeleteDocumentCollection,
    GetSigningSession,
    GetRecordById,
    SetExpiryDate,
    GenerateReport,
}

const OPS: [Op; 7] = [
    Op::GetDocument,
    Op::GetDocumentInfo,
    Op::DeleteDocumentCollection,
    Op::GetSigningSession,
    Op::GetRecordById,
    Op::SetExpiryDate,
    Op::GenerateReport,
];

impl Op {
    /// The method and the path after the base, with `None` where the id goes.
    fn expected(self) -> (Method, &'static [Option<&'static str>]) {
        match self {
            Op::GetDocument => (Method::Get, &[Some("sign"), Some("documents"), None]),
            Op::GetDocumentInfo => (
                Method::Get,
                &[Some("sign"), Some("documents"), None, Some("metadata")],
            ),
            Op::DeleteDocumentCollection => (
                Method::Delete,
                &[Some("sign"), Some("document-collections"), None],
            ),
            Op::GetSigningSession => (Method::Get, &[Some("sign"), Some("signing-sessions"), None]),
            Op::GetRecordById => (Method::Get, &[Some("dem"), Some("records"), None]),
            Op::SetExpiryDate => (Method::Patch, &[Some("dem"), Some("records"), None]),
            Op::GenerateReport => (Method::Get, &[Some("dem"), Some("reports"), None]),
        }
    }
}

/// Asserts that `sent` is exactly one request for `op` whose id segment decodes to `id`.
fn check_id_request(op: Op, id: &str, sent: &[HttpRequest]) -> Result<(), TestCaseError> {
    prop_assert_eq!(sent.len(), 1, "one request for {:?}", op);
    let req = &sent[0];
    let (method, shape) = op.expected();
    prop_assert_eq!(req.method, method);
    let rest = req.url.strip_prefix(BASE).unwrap_or_default();
    prop_assert!(rest.starts_with('/'), "{}", req.url);
    prop_assert!(!req.url.contains(['?', '#']), "{}", req.url);
    let segments: Vec<&str> = rest[1..].split('/').collect();
    prop_assert_eq!(segments.len(), shape.len(), "{}", req.url);
    for (seg, want) in segments.iter().zip(shape) {
        match want {
            Some(fixed) => prop_assert_eq!(seg, fixed),
            None => {
                prop_assert!(
                    seg.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
                    "{}",
                    seg
                );
                let decoded = percent_decode_str(seg).decode_utf8();
                prop_assert_eq!(decoded.as_deref().ok(), Some(id), "{}", req.url);
                prop_assert_eq!(seg.to_string(), signicat_dem::encode_segment(id));
            }
        }
    }
    // A URL parser sees the same segments: nothing is normalised away or re-encoded.
    let parsed = url::Url::parse(&req.url).expect("URL parses");
    prop_assert_eq!(parsed.as_str(), req.url.as_str());
    let parsed_segments: Vec<&str> = parsed.path_segments().expect("segments").collect();
    prop_assert_eq!(parsed_segments, segments);
    Ok(())
}

/// Ids of every kind: any unicode, URL-significant characters, dots inside longer strings.
fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[a-zA-Z0-9/?#% .&=+;:@!$'()*,\\[\\]\\\\-]{1,12}",
        2 => ("[./%a-z]{0,4}", "[./%a-z]{0,4}").prop_map(|(a, b)| format!("{a}..{b}")),
        1 => Just("../../etc/passwd".to_string()),
        1 => Just("%2e%2e".to_string()),
        1 => Just(".%2e".to_string()),
        1 => Just("a b?c=d#e".to_string()),
        1 => "\\PC{1,8}",
    ]
    .prop_filter("empty and dot segments are refused", |id| {
        !matches!(id.as_str(), "" | "." | "..")
    })
}

#[cfg(feature = "blocking")]
proptest! {
    #[test]
    fn blocking_ids_stay_in_their_segment(id in any_id(), op in prop::sample::select(OPS.to_vec())) {
        let (client, sent) = blocking_flavour::client();
        blocking_flavour::call(&client, op, &id).expect("call succeeds");
        check_id_request(op, &id, &take(&sent))?;
    }
}

#[cfg(feature = "async")]
proptest! {
    #[test]
    fn async_ids_stay_in_their_segment(id in any_id(), op in prop::sample::select(OPS.to_vec())) {
        let rt = async_flavour::runtime();
        let (client, sent) = async_flavour::client();
        rt.block_on(async_flavour::call(&client, op, &id)).expect("call succeeds");
        check_id_request(op, &id, &take(&sent))?;
    }
}

fn assert_refused(op: Op, id: &str, result: Result<(), Error>, sent: &Sent) {
    let err = result.expect_err("refused");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidInput { .. }),
        "{op:?} {id:?}: {err:?}"
    );
    assert_eq!(err.attempts(), 0, "{op:?} {id:?}");
    assert!(take(sent).is_empty(), "{op:?} {id:?}: something was sent");
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_empty_and_dot_ids_are_refused() {
    let (client, sent) = blocking_flavour::client();
    for op in OPS {
        for id in ["", ".", ".."] {
            assert_refused(op, id, blocking_flavour::call(&client, op, id), &sent);
        }
    }
}

#[cfg(feature = "async")]
#[test]
fn async_empty_and_dot_ids_are_refused() {
    let rt = async_flavour::runtime();
    let (client, sent) = async_flavour::client();
    for op in OPS {
        for id in ["", ".", ".."] {
            let result = rt.block_on(async_flavour::call(&client, op, id));
            assert_refused(op, id, result, &sent);
        }
    }
}

// ------------------------------------------------------------------------ query strings

#[derive(Debug, Clone)]
struct QueryInput {
    limit: Option<u32>,
    offset: Option<u64>,
    sort: Vec<(bool, String)>,
    extra: Vec<(String, String)>,
}

impl QueryInput {
    fn params(&self) -> ListSigningSessions {
        let mut params = ListSigningSessions {
            limit: self.limit,
            offset: self.offset,
            sort: Vec::new(),
        };
        for (descending, field) in &self.sort {
            params = params.sort(if *descending {
                SessionSort::desc(field.clone())
            } else {
                SessionSort::asc(field.clone())
            });
        }
        params
    }

    fn options(&self) -> RequestOptions {
        self.extra.iter().fold(RequestOptions::new(), |o, (k, v)| {
            o.query(k.clone(), v.clone())
        })
    }

    /// The pairs the server must see, in order.
    fn expected(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit".to_string(), limit.to_string()));
        }
        if let Some(offset) = self.offset {
            pairs.push(("offset".to_string(), offset.to_string()));
        }
        for (descending, field) in &self.sort {
            let sign = if *descending { '-' } else { '+' };
            pairs.push(("sort".to_string(), format!("{sign}{field}")));
        }
        pairs.extend(self.extra.iter().cloned());
        pairs
    }
}

fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9+&=?#%/ ;,.~_-]{0,10}",
        Just(String::new()),
    ]
}

fn query_input() -> impl Strategy<Value = QueryInput> {
    (
        prop::option::of(any::<u32>()),
        prop::option::of(any::<u64>()),
        prop::collection::vec((any::<bool>(), query_text()), 0..4),
        prop::collection::vec((query_text(), query_text()), 0..4),
    )
        .prop_map(|(limit, offset, sort, extra)| QueryInput {
            limit,
            offset,
            sort,
            extra,
        })
}

fn check_query(input: &QueryInput, sent: &[HttpRequest]) -> Result<(), TestCaseError> {
    prop_assert_eq!(sent.len(), 1);
    let url = &sent[0].url;
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, q),
        None => (url.as_str(), ""),
    };
    prop_assert_eq!(path, format!("{BASE}/sign/signing-sessions"));
    prop_assert!(!url.contains('#'), "{}", url);
    prop_assert!(
        query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%=&".contains(&b)),
        "{}",
        query
    );
    let expected = input.expected();
    prop_assert_eq!(query.is_empty(), expected.is_empty(), "{}", url);
    let decoded: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    prop_assert_eq!(decoded, expected, "{}", url);
    Ok(())
}

#[cfg(feature = "blocking")]
proptest! {
    #[test]
    fn blocking_query_decodes_to_the_same_pairs(input in query_input()) {
        let (client, sent) = blocking_flavour::client();
        blocking_flavour::list(&client, &input.params(), input.options()).expect("call succeeds");
        check_query(&input, &take(&sent))?;
    }
}

#[cfg(feature = "async")]
proptest! {
    #[test]
    fn async_query_decodes_to_the_same_pairs(input in query_input()) {
        let rt = async_flavour::runtime();
        let (client, sent) = async_flavour::client();
        rt.block_on(async_flavour::list(&client, &input.params(), input.options()))
            .expect("call succeeds");
        check_query(&input, &take(&sent))?;
    }
}

#[cfg(feature = "blocking")]
proptest! {
    /// Extra query pairs on an operation with no query of its own start the query with `?`.
    #[test]
    fn blocking_extra_pairs_alone_form_the_query(
        extra in prop::collection::vec((query_text(), query_text()), 1..4),
    ) {
        let (client, sent) = blocking_flavour::client();
        let options = extra
            .iter()
            .fold(RequestOptions::new(), |o, (k, v)| o.query(k.clone(), v.clone()));
        client.with_options(options).dem().get_record_by_id("r-1").expect("call succeeds");
        let sent = take(&sent);
        let (path, query) = sent[0].url.split_once('?').expect("a query");
        prop_assert_eq!(path, format!("{BASE}/dem/records/r-1"));
        let decoded: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        prop_assert_eq!(decoded, extra);
    }
}

// ------------------------------------------------------------------------ model round trips

/// encode → decode → encode: the value decodes equal and its JSON is unchanged.
fn round_trip<T>(value: &T) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let first = serde_json::to_string(value).expect("encodes");
    let decoded: T = match serde_json::from_str(&first) {
        Ok(v) => v,
        Err(e) => return Err(TestCaseError::fail(format!("{e}: {first}"))),
    };
    prop_assert_eq!(&decoded, value, "{}", first);
    let second = serde_json::to_string(&decoded).expect("encodes again");
    prop_assert_eq!(second, first);
    Ok(())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ._-]{0,12}",
        1 => any::<String>(),
    ]
}

fn opt<S: Strategy>(s: S) -> impl Strategy<Value = Option<S::Value>> {
    prop::option::of(s)
}

fn small_vec<S: Strategy>(s: S) -> impl Strategy<Value = Vec<S::Value>> {
    prop::collection::vec(s, 0..3)
}

/// Whole-second or sub-second UTC timestamps between 1970 and 2100.
fn timestamp() -> impl Strategy<Value = OffsetDateTime> {
    let nanos = prop_oneof![
        Just(0u32),
        (0u32..1000).prop_map(|ms| ms * 1_000_000),
        0u32..1_000_000_000,
    ];
    (0i64..4_102_444_800, nanos).prop_map(|(secs, nanos)| {
        OffsetDateTime::from_unix_timestamp(secs)
            .expect("in range")
            .replace_nanosecond(nanos)
            .expect("valid nanosecond")
    })
}

/// Any JSON: nulls, booleans, integers of both signs, finite floats, strings, nested
/// arrays and objects.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        (-1000i32..1000, 0u32..100).prop_map(|(i, c)| Value::from(i as f64 + c as f64 / 100.0)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_map() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(text(), json_value(), 0..4).prop_map(|m| m.into_iter().collect())
}

/// Strings that are no known value of an open enum (they decode as `Unknown`).
fn unknown_text() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Z_]{1,12}", "[a-z]{1,4}", any::<String>(),]
}

/// Known variants, or `Unknown` with a value that does not collide with a known one.
macro_rules! open_enum_strategy {
    ($fn:ident: $ty:ident = [$($variant:ident),+ $(,)?]) => {
        fn $fn() -> impl Strategy<Value = $ty> {
            prop_oneof![
                3 => prop::sample::select(vec![$($ty::$variant),+]),
                1 => unknown_text().prop_filter_map("collides with a known value", |s| {
                    match $ty::from(s) {
                        v @ $ty::Unknown(_) => Some(v),
                        _ => None,
                    }
                }),
            ]
        }
    };
}

open_enum_strategy!(document_action: DocumentAction = [Sign, View]);
open_enum_strategy!(session_state: SessionState = [Blocked, Ready, Rejected, Signed]);
open_enum_strategy!(signing_flow: SigningFlow = [AuthenticationBased, PkiSigning]);
open_enum_strategy!(vendor: Vendor = [Audkenni, Buypass, Sbid]);
open_enum_strategy!(package_type: PackageType = [PadesContainer]);
open_enum_strategy!(signature_type: SignatureType = [Pades, Xades]);
open_enum_strategy!(language: Language = [Da, De, En, Fi, Nb, Nn, Sv]);
open_enum_strategy!(signer_validation: SignerValidation = [NationalIdentificationNumber]);
open_enum_strategy!(hash_algorithm: HashAlgorithm = [Sha256]);
open_enum_strategy!(record_type: RecordType = [
    Consent, Gdpr, InternalAudit, Kyc, LogIn, Other, Sensitive, Signature, Transaction,
]);
open_enum_strategy!(audit_level: AuditLevel = [Simple, Advanced, Qualified]);
open_enum_strategy!(query_operator: QueryOperator = [Eq, Ne, Gt, Gte, Lt, Lte, Regex, In, Nin]);

// Sign models.

fn session_package() -> impl Strategy<Value = SessionPackage> {
    (opt(text()), opt(package_type()), opt(text())).prop_map(
        |(package_id, package_type, result_document_id)| SessionPackage {
            package_id,
            package_type,
            result_document_id,
        },
    )
}

fn document_collection() -> impl Strategy<Value = DocumentCollection> {
    (
        small_vec(
            (opt(text()), text()).prop_map(|(description, document_id)| DocumentReference {
                description,
                document_id,
            }),
        ),
        opt(text()),
        opt(opt(small_vec(session_package())).prop_map(|packages| CollectionOutput { packages })),
        opt(small_vec(package_type())),
    )
        .prop_map(|(documents, id, output, package_to)| DocumentCollection {
            documents,
            id,
            output,
            package_to,
        })
}

fn document_hash() -> impl Strategy<Value = DocumentHash> {
    (opt("[0-9a-f]{64}"), opt(hash_algorithm())).prop_map(|(hash, hash_algorithm)| DocumentHash {
        hash,
        hash_algorithm,
    })
}

fn document() -> impl Strategy<Value = Document> {
    (
        opt(timestamp()),
        opt(text()),
        opt(document_hash()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
    )
        .prop_map(
            |(created_at, description, document_hash, document_id, filename, mime_type, title)| {
                Document {
                    created_at,
                    description,
                    document_hash,
                    document_id,
                    filename,
                    mime_type,
                    title,
                }
            },
        )
}

fn signing_setup() -> impl Strategy<Value = SigningSetup> {
    (
        opt(prop::collection::btree_map(text(), text(), 0..3)),
        small_vec(text().prop_map(IdentityProvider::new)),
        signing_flow(),
        opt(vendor()),
    )
        .prop_map(
            |(additional_parameters, identity_providers, signing_flow, vendor)| SigningSetup {
                additional_parameters,
                identity_providers,
                signing_flow,
                vendor,
            },
        )
}

fn session_output() -> impl Strategy<Value = SessionOutput> {
    let signature = (opt(text()), opt(text()), text(), signature_type()).prop_map(
        |(document_collection_id, original_document_id, result_document_id, signature_type)| {
            SessionSignature {
                document_collection_id,
                original_document_id,
                result_document_id,
                signature_type,
            }
        },
    );
    (opt(small_vec(session_package())), opt(small_vec(signature))).prop_map(
        |(packages, signatures)| SessionOutput {
            packages,
            signatures,
        },
    )
}

fn signing_session() -> impl Strategy<Value = SigningSession> {
    let documents = small_vec((document_action(), text(), text()).prop_map(
        |(action, collection, document)| SessionDocument::new(action, collection, document),
    ));
    let lifecycle =
        (opt(session_state()), opt(any::<bool>())).prop_map(|(state, state_is_final)| {
            SessionLifecycle {
                state,
                state_is_final,
            }
        });
    let signer = (
        opt(text()),
        opt(text()),
        opt(text()),
        opt(small_vec(signer_validation())),
    )
        .prop_map(
            |(email, mobile, national_identification_number, validations)| Signer {
                email,
                mobile,
                national_identification_number,
                validations,
            },
        );
    let redirect = (text(), text(), text())
        .prop_map(|(success, cancel, error)| RedirectSettings::new(success, cancel, error));
    (
        (
            documents,
            opt(timestamp()),
            opt(text()),
            opt(text()),
            opt(lifecycle),
            opt(session_output()),
            opt(small_vec(package_type())),
            opt(any::<bool>().prop_map(|enabled| PreAuthentication { enabled })),
        ),
        (
            opt(redirect),
            opt(text()),
            opt(text()),
            opt(text()),
            opt(signer),
            small_vec(signing_setup()),
            opt(small_vec(text())),
            text(),
            opt(opt(language()).prop_map(|language| Ui { language })),
        ),
    )
        .prop_map(
            |(
                (
                    documents,
                    due_date,
                    external_reference,
                    id,
                    lifecycle,
                    output,
                    package_to,
                    pre_authentication,
                ),
                (
                    redirect_settings,
                    sender_display_name,
                    sign_text,
                    signature_url,
                    signer,
                    signing_setup,
                    subsequent_to,
                    title,
                    ui,
                ),
            )| SigningSession {
                documents,
                due_date,
                external_reference,
                id,
                lifecycle,
                output,
                package_to,
                pre_authentication,
                redirect_settings,
                sender_display_name,
                sign_text,
                signature_url,
                signer,
                signing_setup,
                subsequent_to,
                title,
                ui,
            },
        )
}

// DEM models.

fn link() -> impl Strategy<Value = Link> {
    (
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(any::<bool>()),
        opt(text()),
        opt(text()),
    )
        .prop_map(
            |(deprecation, href, hreflang, name, profile, templated, title, media_type)| Link {
                deprecation,
                href,
                hreflang,
                name,
                profile,
                templated,
                title,
                media_type,
            },
        )
}

fn links() -> impl Strategy<Value = Option<BTreeMap<String, Link>>> {
    opt(prop::collection::btree_map(text(), link(), 0..3))
}

fn system_metadata() -> impl Strategy<Value = SystemMetadata> {
    (
        opt(audit_level()),
        opt(text()),
        opt(prop_oneof![
            text(),
            timestamp().prop_map(|t| t
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()),
            Just("2024-05-01".to_string()),
        ]),
        opt(timestamp()),
        opt(timestamp()),
        opt(record_type()),
    )
        .prop_map(
            |(
                audit_level,
                created_by,
                created_date,
                created_date_time,
                expiry_date,
                record_type,
            )| {
                SystemMetadata {
                    audit_level,
                    created_by,
                    created_date,
                    created_date_time,
                    expiry_date,
                    record_type,
                }
            },
        )
}

fn record_response() -> impl Strategy<Value = RecordResponse> {
    let relation =
        (links(), opt(text()), opt(record_type())).prop_map(|(links, relation_id, record_type)| {
            RecordRelationResponse {
                links,
                relation_id,
                record_type,
            }
        });
    (
        links(),
        opt(json_map()),
        opt(text()),
        opt(json_map()),
        opt(small_vec(relation)),
        opt(system_metadata()),
        opt(json_map()),
    )
        .prop_map(
            |(links, core_data, id, metadata, relations, system_metadata, timestamp_data)| {
                RecordResponse {
                    links,
                    core_data,
                    id,
                    metadata,
                    relations,
                    system_metadata,
                    timestamp_data,
                }
            },
        )
}

fn record_request() -> impl Strategy<Value = RecordRequest> {
    (
        opt(audit_level()),
        json_map(),
        json_map(),
        opt(small_vec(text())),
        any::<u32>(),
        record_type(),
    )
        .prop_map(
            |(audit_level, core_data, metadata, relations, ttl, record_type)| RecordRequest {
                audit_level,
                core_data,
                metadata,
                relations,
                ttl,
                record_type,
            },
        )
}

fn query_condition() -> impl Strategy<Value = QueryCondition> {
    (text(), query_operator(), json_value())
        .prop_map(|(field, operator, value)| QueryCondition::new(field, operator, value))
}

fn query_body() -> impl Strategy<Value = QueryRequestBody> {
    (
        opt(small_vec(query_condition())),
        opt(small_vec(query_condition())),
        opt(small_vec(query_condition())),
    )
        .prop_map(|(and, not, or)| QueryRequestBody { and, not, or })
}

/// Fields of a page the SDK does not model (`pageable`, `last`, …), never a modelled name.
fn page_extra() -> impl Strategy<Value = Map<String, Value>> {
    const MODELLED: [&str; 5] = ["content", "totalElements", "totalPages", "number", "size"];
    let key = prop_oneof![
        prop::sample::select(vec![
            "pageable",
            "last",
            "first",
            "empty",
            "sort",
            "numberOfElements",
        ])
        .prop_map(str::to_string),
        text(),
    ]
    .prop_filter("a modelled field", |k| !MODELLED.contains(&k.as_str()));
    prop::collection::btree_map(key, json_value(), 0..4).prop_map(|m| m.into_iter().collect())
}

fn record_page() -> impl Strategy<Value = RecordPage> {
    (
        small_vec(record_response()),
        any::<u64>(),
        any::<u64>(),
        any::<u64>(),
        any::<u64>(),
        page_extra(),
    )
        .prop_map(
            |(content, total_elements, total_pages, number, size, extra)| RecordPage {
                content,
                total_elements,
                total_pages,
                number,
                size,
                extra,
            },
        )
}

fn stats() -> impl Strategy<Value = Stats> {
    (opt(text()), opt(text()), opt(any::<u64>()), opt(json_map())).prop_map(
        |(avg_record_size, collection_size, total_records, total_records_by_type)| Stats {
            avg_record_size,
            collection_size,
            total_records,
            total_records_by_type,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn signing_session_round_trips(session in signing_session()) {
        round_trip(&session)?;
        round_trip(&vec![session])?;
    }

    #[test]
    fn paginated_sessions_round_trip(
        data in opt(small_vec(signing_session())),
        count in opt(any::<u64>()),
        limit in opt(any::<u64>()),
        offset in opt(any::<u64>()),
        total in opt(any::<u64>()),
    ) {
        round_trip(&PaginatedSigningSessionResponse { count, data, limit, offset, total })?;
    }

    #[test]
    fn record_page_round_trips(page in record_page()) {
        round_trip(&page)?;
    }
}

proptest! {
    #[test]
    fn document_collection_round_trips(collection in document_collection()) {
        round_trip(&collection)?;
    }

    #[test]
    fn document_round_trips(doc in document()) {
        round_trip(&doc)?;
        let upload = PostDocumentResponse {
            created_at: doc.created_at,
            document_hash: doc.document_hash.clone(),
            document_id: doc.document_id.clone(),
            mime_type: doc.mime_type.clone(),
        };
        round_trip(&upload)?;
        let update = UpdateDocument {
            created_at: doc.created_at,
            description: doc.description,
            document_hash: doc.document_hash,
            filename: doc.filename,
            mime_type: doc.mime_type,
            title: doc.title,
        };
        round_trip(&update)?;
    }

    #[test]
    fn record_request_round_trips(record in record_request()) {
        round_trip(&record)?;
    }

    #[test]
    fn record_response_round_trips(record in record_response()) {
        round_trip(&record)?;
    }

    #[test]
    fn query_body_round_trips(query in query_body(), ttl in any::<u32>()) {
        round_trip(&query)?;
        round_trip(&BatchUpdateTtlRequest::new(query, ttl))?;
        round_trip(&SetExpiryDateRequest::new(ttl))?;
    }

    #[test]
    fn stats_round_trip(stats in stats()) {
        round_trip(&stats)?;
    }

    #[test]
    fn json_values_round_trip(value in json_value()) {
        round_trip(&value)?;
    }

    #[test]
    fn unknown_enum_values_round_trip(
        state in session_state(),
        kind in record_type(),
        op in query_operator(),
        lang in language(),
    ) {
        round_trip(&state)?;
        round_trip(&kind)?;
        round_trip(&op)?;
        round_trip(&lang)?;
        // The wire value is the string itself, known or not.
        prop_assert_eq!(serde_json::to_value(&kind).unwrap(), Value::from(kind.as_str()));
    }
}
