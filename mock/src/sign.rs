//! Sign API: documents, document collections, signing sessions and their simulated lifecycle.

use std::cmp::Ordering;

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use bytes::Bytes;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::ControlError;
use crate::problem::Problem;
use crate::routes::Route;
use crate::state::{App, Collection, Session, SessionState, Shared, Store, StoredDocument, lock};
use crate::wire::{
    Errors, Req, bytes_response, int_param, join, json_body, json_response, media_type, no_content,
    now, parse_time, query_pairs, required_json_body,
};

/// Media types accepted by `POST /sign/documents`.
pub const ACCEPTED_DOCUMENT_TYPES: &[&str] = &[
    "application/pdf",
    "text/plain",
    "application/xml",
    "text/xml",
];
const PACKAGE_TYPES: &[&str] = &["PADES_CONTAINER"];
const ACTIONS: &[&str] = &["SIGN", "VIEW"];
const SIGNING_FLOWS: &[&str] = &["AUTHENTICATION_BASED", "PKISIGNING"];
const VENDORS: &[&str] = &["AUDKENNI", "BUYPASS", "SBID"];
const VALIDATIONS: &[&str] = &["NATIONAL_IDENTIFICATION_NUMBER"];
const LANGUAGES: &[&str] = &["da", "de", "en", "fi", "nb", "nn", "sv"];
/// Sortable fields of `GET /sign/signing-sessions`.
pub const SORT_FIELDS: &[&str] = &["createdAt", "dueDate", "title"];
const MAX_DUE_DAYS: i64 = 30;

pub(crate) fn handle(app: &App, route: Route, req: &Req) -> Result<Response<Body>, Problem> {
    match (route, &req.method) {
        (Route::Documents, _) => upload_document(app, req),
        (Route::Document(id), &Method::GET) => get_document(app, &id),
        (Route::Document(id), _) => {
            lock(&app.store)
                .documents
                .remove(&id)
                .ok_or_else(|| Problem::not_found("document", &id))?;
            Ok(no_content())
        }
        (Route::DocumentMetadata(id), &Method::GET) => {
            let store = lock(&app.store);
            let doc = store
                .documents
                .get(&id)
                .ok_or_else(|| Problem::not_found("document", &id))?;
            Ok(json_response(StatusCode::OK, &doc.to_json()))
        }
        (Route::DocumentMetadata(id), _) => update_metadata(app, &id, req),
        (Route::Collections, _) => create_collection(app, req),
        (Route::Collection(id), &Method::GET) => {
            let store = lock(&app.store);
            let c = store
                .collections
                .get(&id)
                .ok_or_else(|| Problem::not_found("document collection", &id))?;
            Ok(json_response(StatusCode::OK, &c.to_json()))
        }
        (Route::Collection(id), _) => {
            lock(&app.store)
                .collections
                .remove(&id)
                .ok_or_else(|| Problem::not_found("document collection", &id))?;
            Ok(no_content())
        }
        (Route::Sessions, &Method::GET) => list_sessions(app, req),
        (Route::Sessions, _) => create_sessions(app, req),
        (Route::Session(id), &Method::GET) => {
            let store = lock(&app.store);
            let s = store
                .sessions
                .get(&id)
                .ok_or_else(|| Problem::not_found("signing session", &id))?;
            Ok(json_response(
                StatusCode::OK,
                &s.to_json(&app.config.base_url),
            ))
        }
        (Route::Session(id), _) => {
            lock(&app.store)
                .sessions
                .remove(&id)
                .ok_or_else(|| Problem::not_found("signing session", &id))?;
            Ok(no_content())
        }
        (other, m) => Err(Problem::no_route(m.as_str(), &format!("{other:?}"))),
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The Python SDK sends a `multipart/form-data` envelope with one part named `file` while the
/// request's Content-Type stays the document's type (reference 2.4). Extract that part.
fn extract_file_part(body: &Bytes) -> Option<Bytes> {
    if !body.starts_with(b"--") {
        return None;
    }
    let line_end = find(&body[..body.len().min(256)], b"\r\n")?;
    let boundary = &body[..line_end];
    let headers_start = line_end + 2;
    let headers_len = find(
        &body[headers_start..body.len().min(headers_start + 4096)],
        b"\r\n\r\n",
    )?;
    let headers = String::from_utf8_lossy(&body[headers_start..headers_start + headers_len])
        .to_ascii_lowercase();
    if !(headers.contains("content-disposition: form-data") && headers.contains("name=\"file\"")) {
        return None;
    }
    let content_start = headers_start + headers_len + 4;
    let mut delim = b"\r\n".to_vec();
    delim.extend_from_slice(boundary);
    let end = find(&body[content_start..], &delim)? + content_start;
    Some(body.slice(content_start..end))
}

/// Checks an upload; answers `(bytes, Content-Type as sent, media type essence)`.
pub(crate) fn check_upload(req: &Req) -> Result<(Bytes, String, String), Problem> {
    if let Some(limit) = req.too_large {
        return Err(Problem::too_large(limit));
    }
    let Some(essence) = media_type(&req.headers) else {
        return Err(Problem::unsupported_media_type(format!(
            "Content-Type is required; accepted: {}",
            ACCEPTED_DOCUMENT_TYPES.join(", ")
        )));
    };
    if !ACCEPTED_DOCUMENT_TYPES.contains(&essence.as_str()) {
        return Err(Problem::unsupported_media_type(format!(
            "Content-Type `{essence}` is not accepted; accepted: {}",
            ACCEPTED_DOCUMENT_TYPES.join(", ")
        )));
    }
    let raw_ct = req
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or(&essence)
        .to_string();
    let bytes = extract_file_part(&req.body).unwrap_or_else(|| req.body.clone());
    if bytes.is_empty() {
        return Err(Problem::invalid("body", "the document must not be empty"));
    }
    Ok((bytes, raw_ct, essence))
}

fn upload_document(app: &App, req: &Req) -> Result<Response<Body>, Problem> {
    let (bytes, content_type, mime) = check_upload(req)?;
    let doc = StoredDocument {
        id: uuid::Uuid::new_v4().to_string(),
        hash: hex_sha256(&bytes),
        bytes,
        content_type,
        mime,
        created_at: now(),
        title: None,
        description: None,
        filename: None,
    };
    let body = json!({
        "documentId": doc.id,
        "createdAt": crate::wire::fmt_time(doc.created_at),
        "mimeType": doc.mime,
        "documentHash": doc.hash_json(),
    });
    lock(&app.store).documents.insert(doc.id.clone(), doc);
    Ok(json_response(StatusCode::OK, &body))
}

fn get_document(app: &App, id: &str) -> Result<Response<Body>, Problem> {
    let store = lock(&app.store);
    let doc = store
        .documents
        .get(id)
        .ok_or_else(|| Problem::not_found("document", id))?;
    Ok(bytes_response(
        StatusCode::OK,
        &doc.content_type,
        doc.bytes.clone(),
    ))
}

/// Changes to document metadata: `Some(None)` clears a field.
#[derive(Debug, Default)]
pub(crate) struct MetadataPatch {
    pub title: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub filename: Option<Option<String>>,
}

/// Validates an `UpdateDocument` body (server-owned fields are ignored).
pub(crate) fn check_metadata_patch(req: &Req) -> Result<MetadataPatch, Problem> {
    let v = json_body(req)?.unwrap_or_else(|| json!({}));
    let mut errs = Errors::default();
    let Some(obj) = errs.object(&v, "") else {
        return Err(errs.into_problem());
    };
    let mut patch = MetadataPatch::default();
    for (key, max) in [("title", 255), ("description", 1000), ("filename", 255)] {
        let value = match obj.get(key) {
            None => continue,
            Some(Value::Null) => Some(None),
            Some(_) => errs.bounded_string(obj, "", key, true, max).map(Some),
        };
        match key {
            "title" => patch.title = value,
            "description" => patch.description = value,
            _ => patch.filename = value,
        }
    }
    if errs.is_empty() {
        Ok(patch)
    } else {
        Err(errs.into_problem())
    }
}

fn update_metadata(app: &App, id: &str, req: &Req) -> Result<Response<Body>, Problem> {
    let patch = check_metadata_patch(req)?;
    let mut store = lock(&app.store);
    let doc = store
        .documents
        .get_mut(id)
        .ok_or_else(|| Problem::not_found("document", id))?;
    if let Some(t) = patch.title {
        doc.title = t;
    }
    if let Some(d) = patch.description {
        doc.description = d;
    }
    if let Some(f) = patch.filename {
        doc.filename = f;
    }
    Ok(json_response(StatusCode::OK, &doc.to_json()))
}

/// A validated collection body.
#[derive(Debug)]
pub(crate) struct NewCollection {
    pub id: Option<String>,
    pub documents: Value,
    pub package_to: Option<Vec<String>>,
}

/// Validates a `DocumentCollection` body; `store` enables the existence checks.
pub(crate) fn check_collection(v: &Value, store: Option<&Store>) -> Result<NewCollection, Problem> {
    let mut errs = Errors::default();
    let Some(obj) = errs.object(v, "") else {
        return Err(errs.into_problem());
    };
    let mut docs = Vec::new();
    if let Some(items) = errs.array(obj, "", "documents", true, true) {
        for (i, item) in items.iter().enumerate() {
            let prefix = format!("documents[{i}]");
            let Some(d) = errs.object(item, &prefix) else {
                continue;
            };
            let id = errs.string(d, &prefix, "documentId", true, false);
            let desc = errs.string(d, &prefix, "description", false, true);
            if let (Some(id), Some(store)) = (&id, store)
                && !store.documents.contains_key(id)
            {
                errs.push(
                    join(&prefix, "documentId"),
                    format!("document `{id}` does not exist"),
                );
            }
            let mut m = Map::new();
            if let Some(id) = id {
                m.insert("documentId".into(), json!(id));
            }
            if let Some(desc) = desc {
                m.insert("description".into(), json!(desc));
            }
            docs.push(Value::Object(m));
        }
    }
    let id = check_client_id(&mut errs, obj, "");
    let package_to = errs.string_array(obj, "", "packageTo", Some(PACKAGE_TYPES));
    if !errs.is_empty() {
        return Err(errs.into_problem());
    }
    Ok(NewCollection {
        id,
        documents: Value::Array(docs),
        package_to,
    })
}

fn check_client_id(errs: &mut Errors, obj: &Map<String, Value>, prefix: &str) -> Option<String> {
    let id = errs.string(obj, prefix, "id", false, true)?;
    if id.is_empty() {
        errs.push(join(prefix, "id"), "must not be empty");
        return None;
    }
    Some(id)
}

fn create_collection(app: &App, req: &Req) -> Result<Response<Body>, Problem> {
    let v = required_json_body(req)?;
    let mut store = lock(&app.store);
    let new = check_collection(&v, Some(&store))?;
    let id = match new.id {
        Some(id) if store.collections.contains_key(&id) => {
            return Err(Problem::conflict(format!(
                "document collection `{id}` already exists"
            )));
        }
        Some(id) => id,
        None => uuid::Uuid::new_v4().to_string(),
    };
    let c = Collection {
        id: id.clone(),
        documents: new.documents,
        package_to: new.package_to,
        packages: None,
    };
    let body = c.to_json();
    store.collections.insert(id, c);
    Ok(json_response(StatusCode::CREATED, &body))
}

/// A validated signing session.
#[derive(Debug)]
pub(crate) struct NewSession {
    pub id: Option<String>,
    pub due: Option<OffsetDateTime>,
    pub fields: Map<String, Value>,
}

/// Copies a validated optional value into the cleaned map.
fn keep(fields: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        fields.insert(key.to_string(), v);
    }
}

fn check_session(
    errs: &mut Errors,
    item: &Value,
    prefix: &str,
    store: Option<&Store>,
    batch_ids: &[String],
) -> Option<NewSession> {
    let obj = errs.object(item, prefix)?;
    let before = errs.0.len();
    let mut f = Map::new();

    match errs.bounded_string(obj, prefix, "title", true, 255) {
        Some(t) if t.trim().is_empty() => errs.push(join(prefix, "title"), "must not be empty"),
        t => keep(&mut f, "title", t.map(Value::String)),
    }

    if let Some(docs) = errs.array(obj, prefix, "documents", true, true) {
        let mut out = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            let p = format!("{}[{i}]", join(prefix, "documents"));
            let Some(d) = errs.object(d, &p) else {
                continue;
            };
            let action = errs.enum_string(d, &p, "action", true, ACTIONS);
            let coll = errs.string(d, &p, "documentCollectionId", true, false);
            let doc = errs.string(d, &p, "documentId", true, false);
            if let Some(store) = store {
                if let Some(doc) = &doc
                    && !store.documents.contains_key(doc)
                {
                    errs.push(
                        join(&p, "documentId"),
                        format!("document `{doc}` does not exist"),
                    );
                }
                if let Some(coll) = &coll
                    && !store.collections.contains_key(coll)
                {
                    errs.push(
                        join(&p, "documentCollectionId"),
                        format!("document collection `{coll}` does not exist"),
                    );
                }
            }
            out.push(json!({"action": action, "documentCollectionId": coll, "documentId": doc}));
        }
        f.insert("documents".into(), Value::Array(out));
    }

    if let Some(setups) = errs.array(obj, prefix, "signingSetup", true, true) {
        let mut out = Vec::new();
        for (i, s) in setups.iter().enumerate() {
            let p = format!("{}[{i}]", join(prefix, "signingSetup"));
            let Some(s) = errs.object(s, &p) else {
                continue;
            };
            let mut m = Map::new();
            if let Some(idps) = errs.array(s, &p, "identityProviders", true, true) {
                let mut list = Vec::new();
                for (j, idp) in idps.iter().enumerate() {
                    let ip = format!("{}[{j}]", join(&p, "identityProviders"));
                    let Some(idp) = errs.object(idp, &ip) else {
                        continue;
                    };
                    if let Some(name) = errs.string(idp, &ip, "idpName", true, false) {
                        list.push(json!({"idpName": name}));
                    }
                }
                m.insert("identityProviders".into(), Value::Array(list));
            }
            keep(
                &mut m,
                "signingFlow",
                errs.enum_string(s, &p, "signingFlow", true, SIGNING_FLOWS)
                    .map(Value::String),
            );
            keep(
                &mut m,
                "vendor",
                errs.enum_string(s, &p, "vendor", false, VENDORS)
                    .map(Value::String),
            );
            if let Some(params) = errs.sub_object(s, &p, "additionalParameters", false) {
                let ap = join(&p, "additionalParameters");
                for (k, v) in params {
                    if !v.is_string() {
                        errs.push(format!("{ap}.{k}"), "must be a string");
                    }
                }
                m.insert("additionalParameters".into(), Value::Object(params.clone()));
            }
            out.push(Value::Object(m));
        }
        f.insert("signingSetup".into(), Value::Array(out));
    }

    let mut due = None;
    if let Some(d) = errs.string(obj, prefix, "dueDate", false, true) {
        let name = join(prefix, "dueDate");
        match parse_time(&d) {
            None => errs.push(
                name,
                "must be an RFC 3339 date-time, e.g. 2025-04-01T17:32:28Z",
            ),
            Some(t) => {
                if store.is_some() {
                    let n = now();
                    if t <= n {
                        errs.push(name, "must be in the future");
                    } else if t > n + time::Duration::days(MAX_DUE_DAYS) {
                        errs.push(name, format!("must be at most {MAX_DUE_DAYS} days ahead"));
                    }
                }
                due = Some(t);
                f.insert("dueDate".into(), json!(d));
            }
        }
    }

    keep(
        &mut f,
        "externalReference",
        errs.string(obj, prefix, "externalReference", false, true)
            .map(Value::String),
    );
    keep(
        &mut f,
        "senderDisplayName",
        errs.string(obj, prefix, "senderDisplayName", false, true)
            .map(Value::String),
    );
    keep(
        &mut f,
        "signText",
        errs.string(obj, prefix, "signText", false, true)
            .map(Value::String),
    );
    keep(
        &mut f,
        "packageTo",
        errs.string_array(obj, prefix, "packageTo", Some(PACKAGE_TYPES))
            .map(|v| json!(v)),
    );

    if let Some(pa) = errs.sub_object(obj, prefix, "preAuthentication", false) {
        let p = join(prefix, "preAuthentication");
        if let Some(enabled) = errs.boolean(pa, &p, "enabled", true) {
            f.insert("preAuthentication".into(), json!({"enabled": enabled}));
        }
    }
    if let Some(rs) = errs.sub_object(obj, prefix, "redirectSettings", false) {
        let p = join(prefix, "redirectSettings");
        let mut m = Map::new();
        for key in ["cancel", "error", "success"] {
            keep(
                &mut m,
                key,
                errs.string(rs, &p, key, true, false).map(Value::String),
            );
        }
        f.insert("redirectSettings".into(), Value::Object(m));
    }
    if let Some(signer) = errs.sub_object(obj, prefix, "signer", false) {
        let p = join(prefix, "signer");
        let mut m = Map::new();
        for key in ["email", "mobile", "nationalIdentificationNumber"] {
            keep(
                &mut m,
                key,
                errs.string(signer, &p, key, false, true).map(Value::String),
            );
        }
        keep(
            &mut m,
            "validations",
            errs.string_array(signer, &p, "validations", Some(VALIDATIONS))
                .map(|v| json!(v)),
        );
        f.insert("signer".into(), Value::Object(m));
    }
    if let Some(ui) = errs.sub_object(obj, prefix, "ui", false) {
        let p = join(prefix, "ui");
        let mut m = Map::new();
        keep(
            &mut m,
            "language",
            errs.enum_string(ui, &p, "language", false, LANGUAGES)
                .map(Value::String),
        );
        f.insert("ui".into(), Value::Object(m));
    }

    let id = check_client_id(errs, obj, prefix);
    if let Some(subs) = errs.string_array(obj, prefix, "subsequentTo", None) {
        if let Some(store) = store {
            for (j, s) in subs.iter().enumerate() {
                let name = format!("{}[{j}]", join(prefix, "subsequentTo"));
                if id.as_deref() == Some(s.as_str()) {
                    errs.push(name, "a session cannot follow itself");
                } else if !store.sessions.contains_key(s) && !batch_ids.contains(s) {
                    errs.push(name, format!("signing session `{s}` does not exist"));
                }
            }
        }
        f.insert("subsequentTo".into(), json!(subs));
    }

    (errs.0.len() == before).then_some(NewSession { id, due, fields: f })
}

/// Validates a `create_signing_session` body (a non-empty array); all-or-nothing.
pub(crate) fn check_session_batch(
    v: &Value,
    store: Option<&Store>,
) -> Result<Vec<NewSession>, Problem> {
    let Value::Array(items) = v else {
        return Err(Problem::invalid(
            "body",
            format!(
                "must be a JSON array of signing sessions, got {}",
                crate::wire::type_name(v)
            ),
        ));
    };
    if items.is_empty() {
        return Err(Problem::invalid(
            "body",
            "must contain at least one signing session",
        ));
    }
    let batch_ids: Vec<String> = items
        .iter()
        .filter_map(|i| i.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut errs = Errors::default();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(s) = check_session(&mut errs, item, &format!("[{i}]"), store, &batch_ids) {
            out.push(s);
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs.into_problem())
    }
}

fn create_sessions(app: &App, req: &Req) -> Result<Response<Body>, Problem> {
    let v = required_json_body(req)?;
    let mut store = lock(&app.store);
    let batch = check_session_batch(&v, Some(&store))?;
    let mut seen: Vec<&str> = Vec::new();
    for (i, s) in batch.iter().enumerate() {
        if let Some(id) = &s.id {
            if store.sessions.contains_key(id) {
                return Err(Problem::conflict(format!(
                    "[{i}].id: signing session `{id}` already exists"
                )));
            }
            if seen.contains(&id.as_str()) {
                return Err(Problem::conflict(format!(
                    "[{i}].id: `{id}` is used twice in this batch"
                )));
            }
            seen.push(id);
        }
    }
    let created_at = now();
    let mut ids = Vec::new();
    for s in batch {
        let id = s.id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let seq = store.next_seq();
        let session = Session {
            id: id.clone(),
            seq,
            created_at,
            due: s.due,
            fields: s.fields,
            state: SessionState::Ready,
            output: None,
        };
        store.sessions.insert(id.clone(), session);
        ids.push(id);
    }
    // A session is BLOCKED while any session it follows is not SIGNED (including new ones).
    for id in &ids {
        let blocked = store.sessions.get(id).is_some_and(|s| {
            s.subsequent_to().iter().any(|p| {
                store
                    .sessions
                    .get(p)
                    .is_none_or(|p| p.state != SessionState::Signed)
            })
        });
        if blocked && let Some(s) = store.sessions.get_mut(id) {
            s.state = SessionState::Blocked;
        }
    }
    let out: Vec<Value> = ids
        .iter()
        .filter_map(|id| store.sessions.get(id))
        .map(|s| s.to_json(&app.config.base_url))
        .collect();
    Ok(json_response(StatusCode::CREATED, &Value::Array(out)))
}

/// Parsed list parameters.
#[derive(Debug)]
pub(crate) struct ListParams {
    pub limit: usize,
    pub offset: usize,
    /// (field, descending)
    pub sort: Vec<(String, bool)>,
}

/// Validates `limit`, `offset` and `sort`; `check_names` enables the sort field check.
pub(crate) fn check_list_params(req: &Req, check_names: bool) -> Result<ListParams, Problem> {
    let pairs = query_pairs(req);
    let mut errs = Vec::new();
    let limit = int_param(&pairs, "limit", 1, 1000, 100, &mut errs) as usize;
    let offset = int_param(&pairs, "offset", 0, i64::MAX, 0, &mut errs) as usize;
    let mut sort = Vec::new();
    for (_, v) in pairs.iter().filter(|(k, _)| k == "sort") {
        // A raw `+` decodes to a space in form encoding: read a leading space as `+`.
        let (field, desc) = if let Some(f) = v.strip_prefix('-') {
            (f, true)
        } else if let Some(f) = v.strip_prefix('+').or_else(|| v.strip_prefix(' ')) {
            (f, false)
        } else {
            (v.as_str(), false)
        };
        let field = field.trim();
        if check_names && !SORT_FIELDS.contains(&field) {
            errs.push((
                "sort".to_string(),
                format!(
                    "unknown sort field `{field}`; expected one of {}",
                    SORT_FIELDS.join(", ")
                ),
            ));
        }
        sort.push((field.to_string(), desc));
    }
    if sort.is_empty() {
        sort.push(("createdAt".to_string(), true));
    }
    if errs.is_empty() {
        Ok(ListParams {
            limit,
            offset,
            sort,
        })
    } else {
        Err(Problem::validation(errs))
    }
}

fn compare(a: &Session, b: &Session, field: &str) -> Ordering {
    match field {
        // createdAt ties (one batch) fall back to creation order.
        "createdAt" => (a.created_at, a.seq).cmp(&(b.created_at, b.seq)),
        "title" => a.title().cmp(b.title()),
        // Sessions without a due date sort after every date.
        "dueDate" => match (a.due, b.due) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        _ => Ordering::Equal,
    }
}

fn list_sessions(app: &App, req: &Req) -> Result<Response<Body>, Problem> {
    let params = check_list_params(req, true)?;
    let store = lock(&app.store);
    let mut all: Vec<&Session> = store.sessions.values().collect();
    all.sort_by(|a, b| {
        params
            .sort
            .iter()
            .map(|(field, desc)| {
                let o = compare(a, b, field);
                if *desc { o.reverse() } else { o }
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then(a.seq.cmp(&b.seq))
    });
    let total = all.len();
    let data: Vec<Value> = all
        .into_iter()
        .skip(params.offset)
        .take(params.limit)
        .map(|s| s.to_json(&app.config.base_url))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "count": data.len(),
            "data": data,
            "limit": params.limit,
            "offset": params.offset,
            "total": total,
        }),
    ))
}

/// The bytes of a signed result document: the original with a marker appended in a way that
/// keeps the format readable (a PDF comment after `%%EOF`, an XML comment, a text line).
fn signed_copy(original: Option<&StoredDocument>) -> (Bytes, String, String) {
    let Some(doc) = original else {
        return (
            Bytes::from_static(b"signed by signicat-dem-mock (original document was deleted)\n"),
            "text/plain".into(),
            "text/plain".into(),
        );
    };
    let marker: &[u8] = match doc.mime.as_str() {
        "application/pdf" => b"\n% signed by signicat-dem-mock (PAdES simulated)\n",
        "application/xml" | "text/xml" => b"\n<!-- signed by signicat-dem-mock -->\n",
        _ => b"\n-- signed by signicat-dem-mock --\n",
    };
    let mut v = doc.bytes.to_vec();
    v.extend_from_slice(marker);
    (Bytes::from(v), doc.content_type.clone(), doc.mime.clone())
}

fn store_document(
    store: &mut Store,
    bytes: Bytes,
    content_type: String,
    mime: String,
    title: Option<String>,
) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let doc = StoredDocument {
        id: id.clone(),
        hash: hex_sha256(&bytes),
        bytes,
        content_type,
        mime,
        created_at: now(),
        title,
        description: None,
        filename: None,
    };
    store.documents.insert(id.clone(), doc);
    id
}

/// A PAdES container package: a PDF listing what it contains.
fn new_package(store: &mut Store, title: String, lines: Vec<(String, String)>) -> Value {
    let pdf = crate::pdf::record_report(&title, &lines);
    let doc_id = store_document(
        store,
        Bytes::from(pdf),
        "application/pdf".into(),
        "application/pdf".into(),
        Some(title),
    );
    json!({
        "packageId": uuid::Uuid::new_v4().to_string(),
        "packageType": "PADES_CONTAINER",
        "resultDocumentId": doc_id,
    })
}

fn ready_session<'a>(store: &'a Store, id: &str) -> Result<&'a Session, ControlError> {
    let s = store
        .sessions
        .get(id)
        .ok_or_else(|| ControlError::UnknownSession { id: id.to_string() })?;
    match s.state {
        SessionState::Ready => Ok(s),
        SessionState::Blocked => Err(ControlError::Blocked { id: id.to_string() }),
        state => Err(ControlError::AlreadyFinal {
            id: id.to_string(),
            state: state.as_str().to_string(),
        }),
    }
}

/// Simulates the signer completing a READY session.
pub(crate) fn sign_session(app: &Shared, id: &str) -> Result<(), ControlError> {
    let mut guard = lock(&app.store);
    let store = &mut *guard;
    let session = ready_session(store, id)?;
    let docs = session.documents();
    let wants_container = session.wants_container();
    let title = session.title().to_string();

    let mut signatures = Vec::new();
    let mut lines = vec![
        ("session".to_string(), id.to_string()),
        ("title".to_string(), title),
    ];
    for (doc_id, coll_id, action) in docs {
        if action != "SIGN" {
            continue;
        }
        let (bytes, ct, mime) = signed_copy(store.documents.get(&doc_id));
        let original_title = store.documents.get(&doc_id).and_then(|d| d.title.clone());
        let result_id = store_document(store, bytes, ct, mime, original_title);
        lines.push(("signed document".to_string(), result_id.clone()));
        signatures.push(json!({
            "documentCollectionId": coll_id,
            "originalDocumentId": doc_id,
            "resultDocumentId": result_id,
            "signatureType": "PADES",
        }));
    }
    let mut output = json!({ "signatures": signatures });
    if wants_container {
        let package = new_package(
            store,
            format!("PAdES container of signing session {id}"),
            lines,
        );
        output["packages"] = json!([package]);
    }
    if let Some(s) = store.sessions.get_mut(id) {
        s.state = SessionState::Signed;
        s.output = Some(output);
    }

    // Unblock sessions whose predecessors are all signed.
    let signed = |store: &Store, sid: &String| {
        store
            .sessions
            .get(sid)
            .is_some_and(|s| s.state == SessionState::Signed)
    };
    let unblock: Vec<String> = store
        .sessions
        .values()
        .filter(|s| {
            s.state == SessionState::Blocked && s.subsequent_to().iter().all(|p| signed(store, p))
        })
        .map(|s| s.id.clone())
        .collect();
    for sid in unblock {
        if let Some(s) = store.sessions.get_mut(&sid) {
            s.state = SessionState::Ready;
        }
    }

    // Package collections whose sessions are now all signed.
    let due: Vec<(String, Vec<(String, String)>)> = store
        .collections
        .values()
        .filter(|c| c.wants_container() && c.packages.is_none())
        .filter_map(|c| {
            let doc_ids = c.document_ids();
            let referencing: Vec<&Session> = store
                .sessions
                .values()
                .filter(|s| {
                    s.documents()
                        .iter()
                        .any(|(d, coll, _)| coll == &c.id || doc_ids.contains(d))
                })
                .collect();
            let complete = !referencing.is_empty()
                && referencing.iter().all(|s| s.state == SessionState::Signed);
            complete.then(|| {
                let mut lines = vec![("collection".to_string(), c.id.clone())];
                for s in referencing {
                    lines.push(("session".to_string(), s.id.clone()));
                }
                (c.id.clone(), lines)
            })
        })
        .collect();
    for (cid, lines) in due {
        let package = new_package(
            store,
            format!("PAdES container of document collection {cid}"),
            lines,
        );
        if let Some(c) = store.collections.get_mut(&cid) {
            c.packages = Some(json!([package]));
        }
    }
    Ok(())
}

/// Simulates the signer rejecting a READY session.
pub(crate) fn reject_session(app: &Shared, id: &str) -> Result<(), ControlError> {
    let mut store = lock(&app.store);
    ready_session(&store, id)?;
    if let Some(s) = store.sessions.get_mut(id) {
        s.state = SessionState::Rejected;
    }
    Ok(())
}

/// The JSON of one session (for the control routes).
pub(crate) fn session_json(app: &Shared, id: &str) -> Option<Value> {
    lock(&app.store)
        .sessions
        .get(id)
        .map(|s| s.to_json(&app.config.base_url))
}
