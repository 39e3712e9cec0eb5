//! DEM API bodies: evidence records, queries and statistics (reference §4.2, §0.7).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

open_enum! {
    /// Kind of evidence a record holds (`type` of requests, `systemMetadata.type`, relations).
    pub enum RecordType {
        /// Consent given by a user.
        Consent => "CONSENT",
        /// Evidence of GDPR compliance.
        Gdpr => "GDPR",
        /// Internal audit evidence.
        InternalAudit => "INTERNAL_AUDIT",
        /// Know-your-customer evidence.
        Kyc => "KYC",
        /// A user's log-in to a system.
        LogIn => "LOG_IN",
        /// Anything else.
        Other => "OTHER",
        /// Sensitive information.
        Sensitive => "SENSITIVE",
        /// A digital signature.
        Signature => "SIGNATURE",
        /// A financial transaction.
        Transaction => "TRANSACTION",
    }
    default = Other;
}

open_enum! {
    /// How strongly a record's integrity is protected (`auditLevel`).
    pub enum AuditLevel {
        /// Integrity checked by hashing.
        Simple => "SIMPLE",
        /// Timestamped and verified through a TSA.
        Advanced => "ADVANCED",
        /// Timestamped and verified through a qualified TSA; the server default.
        Qualified => "QUALIFIED",
    }
}

open_enum! {
    /// Comparison of a [`QueryCondition`].
    pub enum QueryOperator {
        /// Equals the value.
        Eq => "eq",
        /// Differs from the value.
        Ne => "ne",
        /// Greater than the value.
        Gt => "gt",
        /// Greater than or equal to the value.
        Gte => "gte",
        /// Less than the value.
        Lt => "lt",
        /// Less than or equal to the value.
        Lte => "lte",
        /// Contains a match of the regular expression in the value.
        Regex => "regex",
        /// Equals one element of the array value.
        In => "in",
        /// Equals no element of the array value.
        Nin => "nin",
    }
    default = Eq;
}

/// Body of `post_new_record`: a new evidence record.
///
/// ```
/// use serde_json::{json, Map};
/// use signicat_dem::models::{AuditLevel, RecordRequest, RecordType};
///
/// let mut metadata = Map::new();
/// metadata.insert("firstName".into(), json!("Ola"));
/// let mut core_data = Map::new();
/// core_data.insert("consent".into(), json!(true));
///
/// let record = RecordRequest::new(RecordType::Gdpr, metadata, core_data, 365)
///     .with_relations(["7b1f4c3e-0000-4000-8000-000000000001"])
///     .with_audit_level(AuditLevel::Simple);
/// assert_eq!(serde_json::to_value(&record).unwrap()["type"], "GDPR");
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct RecordRequest {
    /// Integrity level; the server uses `QUALIFIED` when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_level: Option<AuditLevel>,
    /// Arbitrary data that gets timestamped.
    pub core_data: Map<String, Value>,
    /// Arbitrary data that becomes searchable with `query` (`metadata.<key>`).
    pub metadata: Map<String, Value>,
    /// IDs of related records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations: Option<Vec<String>>,
    /// Time to live, in days (at least 2).
    pub ttl: u32,
    /// Kind of record.
    #[serde(rename = "type")]
    pub record_type: RecordType,
}

impl RecordRequest {
    /// A record with its four required fields.
    pub fn new(
        record_type: RecordType,
        metadata: Map<String, Value>,
        core_data: Map<String, Value>,
        ttl_days: u32,
    ) -> Self {
        Self {
            audit_level: None,
            core_data,
            metadata,
            relations: None,
            ttl: ttl_days,
            record_type,
        }
    }

    /// Sets the IDs of related records.
    pub fn with_relations<I>(mut self, record_ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.relations = Some(record_ids.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the integrity level.
    pub fn with_audit_level(mut self, audit_level: AuditLevel) -> Self {
        self.audit_level = Some(audit_level);
        self
    }
}

/// A stored record (`get_record_by_id`, `post_new_record`; items of a [`RecordPage`], which
/// omit `coreData`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct RecordResponse {
    /// Hypermedia links keyed by relation name.
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<BTreeMap<String, Link>>,
    /// The timestamped data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_data: Option<Map<String, Value>>,
    /// Record ID (UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The searchable data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Related records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations: Option<Vec<RecordRelationResponse>>,
    /// Data the DEM maintains about the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_metadata: Option<SystemMetadata>,
    /// Timestamp and verification data (contents not described by the API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_data: Option<Map<String, Value>>,
}

/// A relation from one record to another.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct RecordRelationResponse {
    /// Hypermedia links keyed by relation name.
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<BTreeMap<String, Link>>,
    /// ID of the related record (wire name `relationID`).
    #[serde(
        rename = "relationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub relation_id: Option<String>,
    /// Type of the related record.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<RecordType>,
}

/// Data the DEM maintains about a record.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SystemMetadata {
    /// Integrity level of the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_level: Option<AuditLevel>,
    /// Who created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Creation date, kept as the server's string: the API states no format for it and
    /// a server may send a date without a time (`2024-05-01`), which must not fail the
    /// whole record. [`SystemMetadata::created_date_time`] is the typed timestamp;
    /// [`SystemMetadata::created_date_parsed`] reads this one when it is RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    /// Creation time (RFC 3339); queryable as `systemMetadata.createdDateTime`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub created_date_time: Option<OffsetDateTime>,
    /// When the record will be deleted (RFC 3339), derived from its `ttl`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub expiry_date: Option<OffsetDateTime>,
    /// Kind of record.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<RecordType>,
}

impl SystemMetadata {
    /// `createdDate` as a timestamp, when it is an RFC 3339 date-time.
    ///
    /// ```
    /// use signicat_dem::models::SystemMetadata;
    ///
    /// let meta = SystemMetadata { created_date: Some("2024-05-01T08:00:00Z".into()), ..Default::default() };
    /// assert_eq!(meta.created_date_parsed().unwrap().year(), 2024);
    /// let date_only = SystemMetadata { created_date: Some("2024-05-01".into()), ..Default::default() };
    /// assert!(date_only.created_date_parsed().is_none());
    /// ```
    pub fn created_date_parsed(&self) -> Option<OffsetDateTime> {
        let text = self.created_date.as_deref()?;
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
    }
}

/// A hypermedia link (HAL style).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// URL saying the link is deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation: Option<String>,
    /// Target URL (or URI template when `templated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Language of the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hreflang: Option<String>,
    /// Secondary key for links of the same relation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Profile URI of the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Whether `href` is a URI template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templated: Option<bool>,
    /// Human-readable title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Media type hint of the target (wire name `type`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// Statistics about the caller's stored records (`get_collection_stats`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Average record size, as the server formats it (unit not stated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avg_record_size: Option<String>,
    /// Total storage size, as the server formats it (unit not stated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_size: Option<String>,
    /// Number of records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_records: Option<u64>,
    /// Number of records per record type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_records_by_type: Option<Map<String, Value>>,
}

/// Conditions selecting records (body of `query`, `query` of [`BatchUpdateTtlRequest`]).
/// With no lists every record matches.
///
/// ```
/// use signicat_dem::models::{QueryCondition, QueryRequestBody};
///
/// let query = QueryRequestBody::all_of([QueryCondition::eq("metadata.firstName", "Ola")])
///     .or(QueryCondition::in_("systemMetadata.type", ["GDPR", "LOG_IN"]));
/// assert_eq!(
///     serde_json::to_value(&query).unwrap(),
///     serde_json::json!({
///         "and": [{"field": "metadata.firstName", "operator": "eq", "value": "Ola"}],
///         "or": [{"field": "systemMetadata.type", "operator": "in", "value": ["GDPR", "LOG_IN"]}]
///     })
/// );
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct QueryRequestBody {
    /// Every condition must hold.
    #[serde(rename = "and", default, skip_serializing_if = "Option::is_none")]
    pub and: Option<Vec<QueryCondition>>,
    /// Reserved by the API: accepted but not applied yet (planned: none may hold).
    #[serde(rename = "not", default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Vec<QueryCondition>>,
    /// At least one condition must hold.
    #[serde(rename = "or", default, skip_serializing_if = "Option::is_none")]
    pub or: Option<Vec<QueryCondition>>,
}

impl QueryRequestBody {
    /// Matches every record (an empty object).
    pub fn new() -> Self {
        Self::default()
    }

    /// Matches records for which every condition holds (`and`).
    pub fn all_of(conditions: impl IntoIterator<Item = QueryCondition>) -> Self {
        Self {
            and: Some(conditions.into_iter().collect()),
            ..Self::default()
        }
    }

    /// Matches records for which at least one condition holds (`or`).
    pub fn any_of(conditions: impl IntoIterator<Item = QueryCondition>) -> Self {
        Self {
            or: Some(conditions.into_iter().collect()),
            ..Self::default()
        }
    }

    /// Appends a condition to the `and` list.
    pub fn and(mut self, condition: QueryCondition) -> Self {
        self.and.get_or_insert_with(Vec::new).push(condition);
        self
    }

    /// Appends a condition to the `or` list.
    pub fn or(mut self, condition: QueryCondition) -> Self {
        self.or.get_or_insert_with(Vec::new).push(condition);
        self
    }

    /// Appends a condition to the `not` list (reserved by the API: not applied yet).
    pub fn not(mut self, condition: QueryCondition) -> Self {
        self.not.get_or_insert_with(Vec::new).push(condition);
        self
    }
}

/// One comparison: `field` (a dotted path such as `metadata.firstName` or
/// `systemMetadata.createdDateTime`), an operator and a value.
///
/// ```
/// use signicat_dem::models::{QueryCondition, QueryOperator};
///
/// let cond = QueryCondition::gte("systemMetadata.createdDateTime", "2024-01-01T00:00:00Z");
/// assert_eq!(cond.operator, QueryOperator::Gte);
/// let cond = QueryCondition::nin("systemMetadata.type", ["KYC"]);
/// assert_eq!(cond.value, serde_json::json!(["KYC"]));
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct QueryCondition {
    /// Dotted path of the compared field.
    pub field: String,
    /// The comparison.
    pub operator: QueryOperator,
    /// The comparison value; an array for `in` / `nin`.
    pub value: Value,
}

impl QueryCondition {
    /// A condition with any operator.
    pub fn new(field: impl Into<String>, operator: QueryOperator, value: impl Into<Value>) -> Self {
        Self {
            field: field.into(),
            operator,
            value: value.into(),
        }
    }

    /// `field` equals `value`.
    pub fn eq(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, QueryOperator::Eq, value)
    }

    /// `field` differs from `value`.
    pub fn ne(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, QueryOperator::Ne, value)
    }

    /// `field` is greater than `value`.
    pub fn gt(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, QueryOperator::Gt, value)
    }

    /// `field` is greater than or equal to `value`.
    pub fn gte(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, QueryOperator::Gte, value)
    }

    /// `field` is less than `value`.
    pub fn lt(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, QueryOperator::Lt, value)
    }

    /// `field` is less than or equal to `value`.
    pub fn lte(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(field, QueryOperator::Lte, value)
    }

    /// `field` contains a match of the regular expression `pattern`.
    pub fn regex(field: impl Into<String>, pattern: impl Into<String>) -> Self {
        Self::new(field, QueryOperator::Regex, pattern.into())
    }

    /// `field` equals one of `values` (sent as a JSON array).
    pub fn in_<I>(field: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Value>,
    {
        Self::new(field, QueryOperator::In, array(values))
    }

    /// `field` equals none of `values` (sent as a JSON array).
    pub fn nin<I>(field: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Value>,
    {
        Self::new(field, QueryOperator::Nin, array(values))
    }
}

fn array<I>(values: I) -> Value
where
    I: IntoIterator,
    I::Item: Into<Value>,
{
    Value::Array(values.into_iter().map(Into::into).collect())
}

/// Body of `set_expiry_dates`: a new TTL for every record the query matches.
///
/// ```
/// use signicat_dem::models::{BatchUpdateTtlRequest, QueryCondition, QueryRequestBody};
///
/// let query = QueryRequestBody::all_of([QueryCondition::eq("metadata.customer", "42")]);
/// let body = BatchUpdateTtlRequest::new(query, 30);
/// assert_eq!(body.ttl, 30);
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BatchUpdateTtlRequest {
    /// Selects the records to update.
    pub query: QueryRequestBody,
    /// New time to live, in days (at least 2).
    pub ttl: u32,
}

impl BatchUpdateTtlRequest {
    /// Sets `ttl_days` on every record `query` matches.
    pub fn new(query: QueryRequestBody, ttl_days: u32) -> Self {
        Self {
            query,
            ttl: ttl_days,
        }
    }
}

/// Body of `set_expiry_date`: days until one record is deleted.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SetExpiryDateRequest {
    /// Days until deletion (at least 2).
    pub ttl: u32,
}

impl SetExpiryDateRequest {
    /// Deletes the record `ttl_days` days from now.
    ///
    /// ```
    /// use signicat_dem::models::SetExpiryDateRequest;
    /// assert_eq!(serde_json::to_string(&SetExpiryDateRequest::new(7)).unwrap(), r#"{"ttl":7}"#);
    /// ```
    pub fn new(ttl_days: u32) -> Self {
        Self { ttl: ttl_days }
    }
}

/// One page of `query` results (reference §0.7). Records come without `coreData`.
/// Fields missing from the response read as empty / 0; fields this SDK does not know are
/// kept in `extra` and re-encoded.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct RecordPage {
    /// The page's records.
    #[serde(default)]
    pub content: Vec<RecordResponse>,
    /// Records matching the query, across all pages.
    #[serde(default)]
    pub total_elements: u64,
    /// Number of pages.
    #[serde(default)]
    pub total_pages: u64,
    /// This page's number, 0-based.
    #[serde(default)]
    pub number: u64,
    /// Page size.
    #[serde(default)]
    pub size: u64,
    /// Fields not modelled above (e.g. `pageable`, `last`), kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Query parameters and body of `query`. Unset parameters are not sent, leaving the
/// server's defaults (`page` 0, `size` 20, max 1000); no filter matches every record.
///
/// ```
/// use signicat_dem::models::{QueryCondition, QueryRecords, QueryRequestBody};
///
/// let q = QueryRequestBody::all_of([QueryCondition::eq("metadata.firstName", "Ola")]);
/// let params = QueryRecords::new().filter(q).page(0).size(100);
/// assert_eq!(params.to_query(), [("page", "0".to_string()), ("size", "100".to_string())]);
/// assert!(QueryRecords::all().to_query().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub struct QueryRecords {
    /// Conditions sent as the body; `None` sends no body.
    pub filter: Option<QueryRequestBody>,
    /// Page number, 0-based.
    pub page: Option<u32>,
    /// Page size.
    pub size: Option<u32>,
}

impl QueryRecords {
    /// No filter and the server's default paging.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every record, first page with the server's default size (same as [`QueryRecords::new`]).
    pub fn all() -> Self {
        Self::default()
    }

    /// Sets the conditions.
    pub fn filter(mut self, filter: QueryRequestBody) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Sets the 0-based page number.
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Sets the page size.
    pub fn size(mut self, size: u32) -> Self {
        self.size = Some(size);
        self
    }

    /// Form query pairs in order: `page`, `size` (unset ones left out).
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::with_capacity(2);
        if let Some(page) = self.page {
            query.push(("page", page.to_string()));
        }
        if let Some(size) = self.size {
            query.push(("size", size.to_string()));
        }
        query
    }
}
