//! Shared server state: configuration, the in-memory store, tokens, journal and faults.
//!
//! Every lock is a `std::sync::Mutex` held only for synchronous work (never across `.await`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::Mode;
use crate::faults::Fault;
use crate::journal::JournalEntry;
use crate::wire::fmt_time;

/// Server configuration, fixed at start.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub token: String,
    pub mode: Mode,
    pub max_document_bytes: usize,
    pub max_json_bytes: usize,
    pub client_id: String,
    pub client_secret: String,
    pub token_expires_in: Duration,
    pub base_url: String,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub store: Mutex<Store>,
    pub journal: Mutex<Journal>,
    pub faults: Mutex<Vec<Fault>>,
    pub tokens: Mutex<Tokens>,
}

pub(crate) type App = Arc<Shared>;

/// Locks a mutex, recovering from poisoning (no handler panics while holding a lock, but a
/// poisoned lock must never take the whole emulator down).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub fn new(config: Config) -> Shared {
        Shared {
            config,
            store: Mutex::new(Store::default()),
            journal: Mutex::new(Journal::default()),
            faults: Mutex::new(Vec::new()),
            tokens: Mutex::new(Tokens::default()),
        }
    }

    pub fn reset(&self) {
        *lock(&self.store) = Store::default();
        lock(&self.journal).clear();
        lock(&self.faults).clear();
        *lock(&self.tokens) = Tokens::default();
    }

    /// Mints an OAuth access token for `client_id`.
    pub fn issue_token(&self, client_id: &str, expires_in: Duration) -> String {
        let token = format!("mock-at-{}", uuid::Uuid::new_v4().simple());
        let mut tokens = lock(&self.tokens);
        tokens.count += 1;
        let expires = Instant::now()
            .checked_add(expires_in)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(10 * 365 * 24 * 3600));
        tokens
            .issued
            .insert(token.clone(), (expires, client_id.to_string()));
        token
    }
}

/// The journal: entries are added when a request's body has been read (status 0 until the
/// answer is known) and completed with the status answered.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    next: u64,
    entries: std::collections::VecDeque<(u64, JournalEntry)>,
}

/// The journal keeps the most recent entries only, so a long-running emulator stays bounded.
pub(crate) const JOURNAL_CAP: usize = 10_000;

impl Journal {
    pub fn open(&mut self, entry: JournalEntry) -> u64 {
        self.next += 1;
        if self.entries.len() >= JOURNAL_CAP {
            self.entries.pop_front();
        }
        self.entries.push_back((self.next, entry));
        self.next
    }

    pub fn complete(&mut self, seq: u64, status: u16) {
        if let Some((_, e)) = self.entries.iter_mut().rev().find(|(s, _)| *s == seq) {
            e.status = status;
        }
    }

    /// Drops every entry (sequence numbers keep counting so in-flight requests never
    /// complete someone else's entry).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().map(|(_, e)| e.clone()).collect()
    }
}

/// Issued OAuth tokens.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    /// token -> (expiry, client id)
    pub issued: HashMap<String, (Instant, String)>,
    pub count: u64,
}

/// A stored document (uploaded or produced by signing).
#[derive(Debug, Clone)]
pub(crate) struct StoredDocument {
    pub id: String,
    pub bytes: Bytes,
    /// `Content-Type` header value as uploaded (answered on download).
    pub content_type: String,
    /// Media type essence (`application/pdf`).
    pub mime: String,
    pub created_at: OffsetDateTime,
    pub title: Option<String>,
    pub description: Option<String>,
    pub filename: Option<String>,
    pub hash: String,
}

impl StoredDocument {
    pub fn hash_json(&self) -> Value {
        json!({"hash": self.hash, "hashAlgorithm": "SHA256"})
    }

    /// The `Document` schema.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("documentId".into(), json!(self.id));
        m.insert("createdAt".into(), json!(fmt_time(self.created_at)));
        m.insert("mimeType".into(), json!(self.mime));
        m.insert("documentHash".into(), self.hash_json());
        if let Some(t) = &self.title {
            m.insert("title".into(), json!(t));
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), json!(d));
        }
        if let Some(f) = &self.filename {
            m.insert("filename".into(), json!(f));
        }
        Value::Object(m)
    }
}

/// A document collection.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    pub id: String,
    /// Cleaned `documents` array (documentId, description).
    pub documents: Value,
    pub package_to: Option<Vec<String>>,
    pub packages: Option<Value>,
}

impl Collection {
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("documents".into(), self.documents.clone());
        if let Some(p) = &self.package_to {
            m.insert("packageTo".into(), json!(p));
        }
        if let Some(p) = &self.packages {
            m.insert("output".into(), json!({ "packages": p }));
        }
        Value::Object(m)
    }

    pub fn wants_container(&self) -> bool {
        self.package_to
            .as_ref()
            .is_some_and(|p| p.iter().any(|t| t == "PADES_CONTAINER"))
    }

    pub fn document_ids(&self) -> Vec<String> {
        self.documents
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| {
                        d.get("documentId")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Lifecycle state of a signing session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionState {
    Ready,
    Blocked,
    Signed,
    Rejected,
}

impl SessionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Ready => "READY",
            SessionState::Blocked => "BLOCKED",
            SessionState::Signed => "SIGNED",
            SessionState::Rejected => "REJECTED",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, SessionState::Signed | SessionState::Rejected)
    }
}

/// A signing session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub id: String,
    pub seq: u64,
    pub created_at: OffsetDateTime,
    pub due: Option<OffsetDateTime>,
    /// Cleaned client fields (known fields only), without server-owned ones.
    pub fields: Map<String, Value>,
    pub state: SessionState,
    pub output: Option<Value>,
}

impl Session {
    pub fn to_json(&self, base_url: &str) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        for (k, v) in &self.fields {
            m.insert(k.clone(), v.clone());
        }
        m.insert(
            "lifecycle".into(),
            json!({"state": self.state.as_str(), "stateIsFinal": self.state.is_final()}),
        );
        m.insert(
            "signatureUrl".into(),
            json!(format!(
                "{base_url}/__mock/sign/?sessionId={}",
                crate::wire::encode_component(&self.id)
            )),
        );
        m.insert("createdAt".into(), json!(fmt_time(self.created_at)));
        if let Some(o) = &self.output {
            m.insert("output".into(), o.clone());
        }
        Value::Object(m)
    }

    pub fn title(&self) -> &str {
        self.fields
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn subsequent_to(&self) -> Vec<String> {
        string_list(self.fields.get("subsequentTo"))
    }

    pub fn wants_container(&self) -> bool {
        string_list(self.fields.get("packageTo"))
            .iter()
            .any(|t| t == "PADES_CONTAINER")
    }

    /// `(documentId, documentCollectionId, action)` of every session document.
    pub fn documents(&self) -> Vec<(String, String, String)> {
        self.fields
            .get("documents")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|d| {
                        let s =
                            |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                        (s("documentId"), s("documentCollectionId"), s("action"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub(crate) fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A DEM record.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub id: String,
    pub record_type: String,
    pub audit_level: String,
    pub metadata: Value,
    pub core_data: Value,
    /// (related record id, its type)
    pub relations: Vec<(String, String)>,
    pub created: OffsetDateTime,
    pub expiry: OffsetDateTime,
    pub created_by: String,
    pub timestamp_data: Value,
}

impl Record {
    fn system_metadata(&self) -> Value {
        let date = self.created.replace_time(time::Time::MIDNIGHT);
        json!({
            "type": self.record_type,
            "auditLevel": self.audit_level,
            "createdBy": self.created_by,
            "createdDate": fmt_time(date),
            "createdDateTime": fmt_time(self.created),
            "expiryDate": fmt_time(self.expiry),
        })
    }

    /// The `RecordResponse` schema.
    pub fn to_json(&self, base_url: &str, with_core_data: bool) -> Value {
        let relations: Vec<Value> = self
            .relations
            .iter()
            .map(|(id, t)| {
                json!({
                    "relationID": id,
                    "type": t,
                    "_links": {"self": {"href": format!("{base_url}/dem/records/{}", crate::wire::encode_component(id))}},
                })
            })
            .collect();
        let enc = crate::wire::encode_component(&self.id);
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("metadata".into(), self.metadata.clone());
        if with_core_data {
            m.insert("coreData".into(), self.core_data.clone());
        }
        m.insert("relations".into(), Value::Array(relations));
        m.insert("systemMetadata".into(), self.system_metadata());
        m.insert("timestampData".into(), self.timestamp_data.clone());
        m.insert(
            "_links".into(),
            json!({
                "self": {"href": format!("{base_url}/dem/records/{enc}")},
                "report": {"href": format!("{base_url}/dem/reports/{enc}")},
            }),
        );
        Value::Object(m)
    }

    /// The view the query language evaluates: id, metadata, systemMetadata, relations
    /// (`[{relationID, type}]`) and timestampData; no coreData, no links.
    pub fn query_view(&self) -> Value {
        json!({
            "id": self.id,
            "metadata": self.metadata,
            "systemMetadata": self.system_metadata(),
            "relations": self.relations.iter().map(|(id, t)| json!({"relationID": id, "type": t})).collect::<Vec<_>>(),
            "timestampData": self.timestamp_data,
        })
    }
}

/// The in-memory store.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub seq: u64,
    pub documents: HashMap<String, StoredDocument>,
    pub collections: HashMap<String, Collection>,
    pub sessions: HashMap<String, Session>,
    /// Records in creation order (records are never deleted, only reset).
    pub records: Vec<Record>,
    pub record_index: HashMap<String, usize>,
}

impl Store {
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn record(&self, id: &str) -> Option<&Record> {
        self.record_index.get(id).and_then(|&i| self.records.get(i))
    }

    pub fn record_mut(&mut self, id: &str) -> Option<&mut Record> {
        match self.record_index.get(id) {
            Some(&i) => self.records.get_mut(i),
            None => None,
        }
    }
}
