//! DEM API: evidence records, queries, TTLs, statistics, custom fields and PDF reports.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::problem::Problem;
use crate::routes::Route;
use crate::state::{App, Record, Store, lock};
use crate::wire::{
    Errors, Req, bytes_response, fmt_time, int_param, json_body, json_response, no_content, now,
    query_pairs, required_json_body, text_response,
};

/// Record types accepted by `POST /dem/records`.
pub const RECORD_TYPES: &[&str] = &[
    "CONSENT",
    "GDPR",
    "INTERNAL_AUDIT",
    "KYC",
    "LOG_IN",
    "OTHER",
    "SENSITIVE",
    "SIGNATURE",
    "TRANSACTION",
];
/// Audit levels; `QUALIFIED` is the default.
pub const AUDIT_LEVELS: &[&str] = &["SIMPLE", "ADVANCED", "QUALIFIED"];
/// Minimum TTL in days.
pub const MIN_TTL_DAYS: i64 = 2;
/// Default and maximum page size of `POST /dem/records/query`.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// Maximum page size of `POST /dem/records/query`.
pub const MAX_PAGE_SIZE: i64 = 1000;

pub(crate) fn handle(app: &App, route: Route, req: &Req) -> Result<Response<Body>, Problem> {
    match (route, &req.method) {
        (Route::Ping, _) => Ok(text_response(StatusCode::OK, "OK")),
        (Route::Info, _) => Ok(json_response(StatusCode::OK, &stats(app))),
        (Route::CustomFields, _) => Ok(json_response(StatusCode::OK, &custom_fields(app, None))),
        (Route::CustomFieldsOfType(t), _) => {
            Ok(json_response(StatusCode::OK, &custom_fields(app, Some(&t))))
        }
        (Route::Records, &Method::POST) => create_record(app, req),
        (Route::Records, _) => set_expiry_dates(app, req),
        (Route::Record(id), &Method::GET) => {
            let store = lock(&app.store);
            let r = store
                .record(&id)
                .ok_or_else(|| Problem::not_found("record", &id))?;
            Ok(json_response(
                StatusCode::OK,
                &r.to_json(&app.config.base_url, true),
            ))
        }
        (Route::Record(id), _) => set_expiry_date(app, &id, req),
        (Route::RecordsQuery, _) => query_records(app, req),
        (Route::Report(id), _) => report(app, &id),
        (other, m) => Err(Problem::no_route(m.as_str(), &format!("{other:?}"))),
    }
}

/// A validated `RecordRequest`.
#[derive(Debug)]
pub(crate) struct NewRecord {
    pub record_type: String,
    pub audit_level: String,
    pub metadata: Value,
    pub core_data: Value,
    pub ttl: i64,
    pub relations: Vec<String>,
}

/// `now + ttl days`, or `None` when that is beyond the representable range.
pub(crate) fn expiry_from(start: OffsetDateTime, ttl_days: i64) -> Option<OffsetDateTime> {
    start.checked_add(time::Duration::seconds(ttl_days.checked_mul(86_400)?))
}

fn check_ttl(errs: &mut Errors, obj: &Map<String, Value>) -> Option<i64> {
    let ttl = errs.integer(obj, "", "ttl", true, MIN_TTL_DAYS)?;
    if expiry_from(now(), ttl).is_none() {
        errs.push("ttl", "is too large");
        return None;
    }
    Some(ttl)
}

/// Validates a `RecordRequest`; `store` enables the relation existence check.
pub(crate) fn check_record(v: &Value, store: Option<&Store>) -> Result<NewRecord, Problem> {
    let mut errs = Errors::default();
    let Some(obj) = errs.object(v, "") else {
        return Err(errs.into_problem());
    };
    let record_type = errs.enum_string(obj, "", "type", true, RECORD_TYPES);
    let audit_level = errs.enum_string(obj, "", "auditLevel", false, AUDIT_LEVELS);
    let metadata = errs.sub_object(obj, "", "metadata", true).cloned();
    let core_data = errs.sub_object(obj, "", "coreData", true).cloned();
    let ttl = check_ttl(&mut errs, obj);
    let relations = errs
        .string_array(obj, "", "relations", None)
        .unwrap_or_default();
    if let Some(store) = store {
        for (i, r) in relations.iter().enumerate() {
            if store.record(r).is_none() {
                errs.push(
                    format!("relations[{i}]"),
                    format!("record `{r}` does not exist"),
                );
            }
        }
    }
    match (record_type, metadata, core_data, ttl) {
        (Some(record_type), Some(metadata), Some(core_data), Some(ttl)) if errs.is_empty() => {
            Ok(NewRecord {
                record_type,
                audit_level: audit_level.unwrap_or_else(|| "QUALIFIED".to_string()),
                metadata: Value::Object(metadata),
                core_data: Value::Object(core_data),
                ttl,
                relations,
            })
        }
        _ => Err(errs.into_problem()),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hash of the canonical (key-sorted, compact) JSON of `coreData`.
fn core_data_hash(core: &Value) -> String {
    sha256_hex(&serde_json::to_vec(core).unwrap_or_default())
}

fn create_record(app: &App, req: &Req) -> Result<Response<Body>, Problem> {
    let v = required_json_body(req)?;
    let mut store = lock(&app.store);
    let new = check_record(&v, Some(&store))?;
    let created = now();
    let expiry =
        expiry_from(created, new.ttl).ok_or_else(|| Problem::invalid("ttl", "is too large"))?;
    let relations = new
        .relations
        .iter()
        .map(|r| {
            let t = store
                .record(r)
                .map(|x| x.record_type.clone())
                .unwrap_or_default();
            (r.clone(), t)
        })
        .collect();
    let hash = core_data_hash(&new.core_data);
    let record = Record {
        id: uuid::Uuid::new_v4().to_string(),
        timestamp_data: json!({
            "algorithm": "SHA256",
            "hash": hash,
            "timestamp": fmt_time(created),
            "auditLevel": new.audit_level,
            "authority": if new.audit_level == "SIMPLE" { "none (hash only)" } else { "signicat-dem-mock TSA (simulated)" },
        }),
        record_type: new.record_type,
        audit_level: new.audit_level,
        metadata: new.metadata,
        core_data: new.core_data,
        relations,
        created,
        expiry,
        created_by: req.client_id.clone(),
    };
    let body = record.to_json(&app.config.base_url, true);
    let idx = store.records.len();
    store.record_index.insert(record.id.clone(), idx);
    store.records.push(record);
    Ok(json_response(StatusCode::CREATED, &body))
}

/// Validates `{"ttl": n}`.
pub(crate) fn check_set_expiry(req: &Req) -> Result<i64, Problem> {
    let v = required_json_body(req)?;
    let mut errs = Errors::default();
    let Some(obj) = errs.object(&v, "") else {
        return Err(errs.into_problem());
    };
    match check_ttl(&mut errs, obj) {
        Some(ttl) if errs.is_empty() => Ok(ttl),
        _ => Err(errs.into_problem()),
    }
}

/// The new expiry date is `now + ttl` days.
fn set_expiry_date(app: &App, id: &str, req: &Req) -> Result<Response<Body>, Problem> {
    let ttl = check_set_expiry(req)?;
    let expiry = expiry_from(now(), ttl).ok_or_else(|| Problem::invalid("ttl", "is too large"))?;
    let mut store = lock(&app.store);
    let r = store
        .record_mut(id)
        .ok_or_else(|| Problem::not_found("record", id))?;
    r.expiry = expiry;
    Ok(no_content())
}

/// Validates `{"query": {...}, "ttl": n}`.
pub(crate) fn check_batch_ttl(req: &Req) -> Result<(Value, i64), Problem> {
    let v = required_json_body(req)?;
    let mut errs = Errors::default();
    let Some(obj) = errs.object(&v, "") else {
        return Err(errs.into_problem());
    };
    let query = errs
        .sub_object(obj, "", "query", true)
        .cloned()
        .map(Value::Object);
    let ttl = check_ttl(&mut errs, obj);
    if let Some(q) = &query
        && let Err(list) = crate::query::validate(q)
    {
        for (name, reason) in list {
            errs.push(format!("query.{name}"), reason);
        }
    }
    match (query, ttl) {
        (Some(q), Some(t)) if errs.is_empty() => Ok((q, t)),
        _ => Err(errs.into_problem()),
    }
}

fn set_expiry_dates(app: &App, req: &Req) -> Result<Response<Body>, Problem> {
    let (query, ttl) = check_batch_ttl(req)?;
    let expiry = expiry_from(now(), ttl).ok_or_else(|| Problem::invalid("ttl", "is too large"))?;
    let query = crate::query::Query::compile(&query)
        .map_err(|e| Problem::invalid(format!("query.{}", e.field), e.reason))?;
    let mut store = lock(&app.store);
    let hits: Vec<usize> = (0..store.records.len())
        .filter(|&i| {
            store
                .records
                .get(i)
                .is_some_and(|r| query.matches(&r.query_view()))
        })
        .collect();
    for &i in &hits {
        if let Some(r) = store.records.get_mut(i) {
            r.expiry = expiry;
        }
    }
    let n = hits.len();
    let noun = if n == 1 { "record" } else { "records" };
    Ok(text_response(StatusCode::OK, format!("{n} {noun} updated")))
}

/// Validates `page`/`size` and the optional body; answers `(page, size, query)`.
pub(crate) fn check_query_request(req: &Req) -> Result<(i64, i64, Value), Problem> {
    let pairs = query_pairs(req);
    let mut errs = Vec::new();
    let page = int_param(&pairs, "page", 0, i64::from(u32::MAX), 0, &mut errs);
    let size = int_param(
        &pairs,
        "size",
        1,
        MAX_PAGE_SIZE,
        DEFAULT_PAGE_SIZE,
        &mut errs,
    );
    if !errs.is_empty() {
        return Err(Problem::validation(errs));
    }
    let query = json_body(req)?.unwrap_or_else(|| json!({}));
    let query = match query {
        Value::Null => json!({}),
        Value::Object(_) => query,
        other => {
            return Err(Problem::invalid(
                "body",
                format!(
                    "must be a query object, got {}",
                    crate::wire::type_name(&other)
                ),
            ));
        }
    };
    crate::query::validate(&query).map_err(Problem::validation)?;
    Ok((page, size, query))
}

fn query_records(app: &App, req: &Req) -> Result<Response<Body>, Problem> {
    let (page, size, query) = check_query_request(req)?;
    let query =
        crate::query::Query::compile(&query).map_err(|e| Problem::invalid(e.field, e.reason))?;
    let store = lock(&app.store);
    let matched: Vec<&Record> = store
        .records
        .iter()
        .filter(|r| query.matches(&r.query_view()))
        .collect();
    let total = matched.len() as i64;
    let pages = (total + size - 1) / size;
    let skip = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
    let content: Vec<Value> = matched
        .into_iter()
        .skip(skip)
        .take(size as usize)
        .map(|r| r.to_json(&app.config.base_url, false))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "content": content,
            "totalElements": total,
            "totalPages": pages,
            "number": page,
            "size": size,
        }),
    ))
}

fn stats(app: &App) -> Value {
    let store = lock(&app.store);
    let mut by_type: BTreeMap<&str, u64> = BTreeMap::new();
    let mut size: u64 = 0;
    for r in &store.records {
        *by_type.entry(r.record_type.as_str()).or_default() += 1;
        size += serde_json::to_vec(&r.to_json("", true))
            .map(|v| v.len() as u64)
            .unwrap_or(0);
    }
    let total = store.records.len() as u64;
    let avg = size.checked_div(total).unwrap_or(0);
    json!({
        "totalRecords": total,
        "totalRecordsByType": by_type,
        "collectionSize": size.to_string(),
        "avgRecordSize": avg.to_string(),
    })
}

fn custom_fields(app: &App, record_type: Option<&str>) -> Value {
    let store = lock(&app.store);
    let keys: BTreeSet<&String> = store
        .records
        .iter()
        .filter(|r| record_type.is_none_or(|t| r.record_type == t))
        .filter_map(|r| r.metadata.as_object())
        .flat_map(|m| m.keys())
        .collect();
    json!(keys)
}

/// The `(field, value)` lines of a record's PDF report.
fn report_lines(r: &Record) -> Vec<(String, String)> {
    let mut lines = vec![
        ("id".to_string(), r.id.clone()),
        ("type".to_string(), r.record_type.clone()),
        ("auditLevel".to_string(), r.audit_level.clone()),
        ("createdBy".to_string(), r.created_by.clone()),
        ("createdDateTime".to_string(), fmt_time(r.created)),
        ("expiryDate".to_string(), fmt_time(r.expiry)),
    ];
    if let Some(m) = r.metadata.as_object() {
        for (k, v) in m {
            let value = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            lines.push((format!("metadata.{k}"), value));
        }
    }
    let relations = if r.relations.is_empty() {
        "(none)".to_string()
    } else {
        r.relations
            .iter()
            .map(|(id, t)| format!("{id} ({t})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    lines.push(("relations".to_string(), relations));
    lines.push(("coreData.sha256".to_string(), core_data_hash(&r.core_data)));
    lines
}

fn report(app: &App, id: &str) -> Result<Response<Body>, Problem> {
    let lines = {
        let store = lock(&app.store);
        let r = store
            .record(id)
            .ok_or_else(|| Problem::not_found("record", id))?;
        report_lines(r)
    };
    let pdf = crate::pdf::record_report(&format!("DEM record {id}"), &lines);
    let mut resp = bytes_response(StatusCode::OK, "application/pdf", pdf);
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"dem-record-report.pdf\""),
    );
    Ok(resp)
}
