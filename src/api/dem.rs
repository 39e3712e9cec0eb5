//! DEM API: evidence records, queries, expiry, statistics and reports (10 operations).

use super::client::Client;
use super::maybe_async;
use super::pagination::RecordPages;
use super::transport::{ResponseBody, Transport};
use crate::error::Error;
use crate::models::dem::{
    BatchUpdateTtlRequest, QueryRecords, RecordPage, RecordRequest, RecordResponse,
    SetExpiryDateRequest, Stats,
};
use crate::request::{Api, Method, RequestSpec};

/// The DEM API operations; get one with `client.dem()`.
pub struct Dem<'a, T: Transport> {
    pub(crate) client: &'a Client<T>,
}

fn spec(operation: &'static str, method: Method) -> RequestSpec {
    RequestSpec::new(operation, method, Api::Dem)
}

fn record(operation: &'static str, method: Method, id: &str) -> Result<RequestSpec, Error> {
    spec(operation, method).path("records").id("record_id", id)
}

/// The service keeps records at least two days.
fn check_ttl(ttl: u32) -> Result<(), Error> {
    if ttl < 2 {
        return Err(Error::invalid(
            "ttl",
            format!("must be at least 2 days, got {ttl}"),
        ));
    }
    Ok(())
}

impl<T: Transport> Dem<'_, T> {
    /// Liveness check (`GET /.ping`); the Python SDK calls it `signicat`. Returns the
    /// service's text answer (`OK`).
    ///
    #[doc = example!("", "dem().ping()")]
    #[maybe_async]
    pub async fn ping(&self) -> Result<String, Error> {
        self.client
            .text(spec("ping", Method::Get).path(".ping"))
            .await
    }

    /// Statistics about the stored records (`GET /info`).
    ///
    #[doc = example!("", "dem().get_collection_stats()")]
    #[maybe_async]
    pub async fn get_collection_stats(&self) -> Result<Stats, Error> {
        self.client
            .json(spec("get_collection_stats", Method::Get).path("info"))
            .await
    }

    /// Every distinct key used in records' `metadata` (`GET /info/custom-fields`), or only
    /// in records of one type (`GET /info/custom-fields/{type}`).
    ///
    #[doc = example!(
        "use signicat_dem::models::RecordType;\n",
        "dem().get_custom_meta_fields(Some(&RecordType::Gdpr))"
    )]
    #[maybe_async]
    pub async fn get_custom_meta_fields(
        &self,
        record_type: Option<&crate::models::RecordType>,
    ) -> Result<Vec<String>, Error> {
        let mut spec = spec("get_custom_meta_fields", Method::Get)
            .path("info")
            .path("custom-fields");
        if let Some(t) = record_type {
            spec = spec.id("type", t.as_str())?;
        }
        self.client.json(spec).await
    }

    /// One full record, `coreData` included (`GET /records/{id}`).
    ///
    #[doc = example!("", "dem().get_record_by_id(\"record-id\")")]
    #[maybe_async]
    pub async fn get_record_by_id(&self, record_id: &str) -> Result<RecordResponse, Error> {
        self.client
            .json(record("get_record_by_id", Method::Get, record_id)?)
            .await
    }

    /// Stores a new record (`POST /records`). `ttl` must be at least 2 days.
    ///
    /// Not retried after the request was sent (a repeat would store the record twice).
    ///
    #[doc = example!(
        "use signicat_dem::models::{RecordRequest, RecordType};\nlet mut metadata = serde_json::Map::new();\nmetadata.insert(\"customerId\".into(), \"c-42\".into());\nlet record = RecordRequest::new(RecordType::Consent, metadata, serde_json::Map::new(), 30);\n",
        "dem().post_new_record(&record)"
    )]
    #[maybe_async]
    pub async fn post_new_record(&self, record: &RecordRequest) -> Result<RecordResponse, Error> {
        check_ttl(record.ttl)?;
        let spec = spec("post_new_record", Method::Post)
            .path("records")
            .json(record)?;
        self.client.json(spec).await
    }

    /// Changes the TTL of every record the query matches (`PATCH /records`); returns the
    /// service's text answer, e.g. `3 records updated`.
    ///
    #[doc = example!(
        "use signicat_dem::models::{BatchUpdateTtlRequest, QueryCondition, QueryRequestBody};\nlet req = BatchUpdateTtlRequest::new(QueryRequestBody::all_of([QueryCondition::eq(\"metadata.customerId\", \"c-42\")]), 90);\n",
        "dem().set_expiry_dates(&req)"
    )]
    #[maybe_async]
    pub async fn set_expiry_dates(&self, request: &BatchUpdateTtlRequest) -> Result<String, Error> {
        check_ttl(request.ttl)?;
        let spec = spec("set_expiry_dates", Method::Patch)
            .path("records")
            .json(request)?;
        self.client.text(spec).await
    }

    /// Sets when one record is deleted, in days from now (`PATCH /records/{id}`); at least 2.
    ///
    #[doc = example!("", "dem().set_expiry_date(\"record-id\", 365)")]
    #[maybe_async]
    pub async fn set_expiry_date(&self, record_id: &str, ttl: u32) -> Result<(), Error> {
        check_ttl(ttl)?;
        let spec = record("set_expiry_date", Method::Patch, record_id)?
            .json(&SetExpiryDateRequest { ttl })?;
        self.client.empty(spec).await
    }

    /// One page of records matching a query (`POST /records/query?page&size`); records come
    /// without `coreData`. With no filter every record matches (and no body is sent).
    ///
    #[doc = example!(
        "use signicat_dem::models::{QueryCondition, QueryRecords, QueryRequestBody};\nlet q = QueryRecords::new()\n    .filter(QueryRequestBody::all_of([QueryCondition::eq(\"metadata.customerId\", \"c-42\")]))\n    .size(100);\n",
        "dem().query(&q)"
    )]
    #[maybe_async]
    pub async fn query(&self, query: &QueryRecords) -> Result<RecordPage, Error> {
        let pairs = query
            .to_query()
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        let mut spec = spec("query", Method::Post)
            .path("records")
            .path("query")
            .query(pairs)
            // A query changes nothing: repeating it is harmless.
            .idempotent(true);
        if let Some(filter) = &query.filter {
            spec = spec.json(filter)?;
        }
        self.client.json(spec).await
    }

    /// Every record the query matches, fetched lazily page by page (`size` from the query,
    /// 100 when unset; starting at its `page`); stops on a short or empty page.
    ///
    #[doc = pages_example!("dem().query_all(&signicat_dem::models::QueryRecords::all())")]
    pub fn query_all(&self, query: &QueryRecords) -> RecordPages<T> {
        RecordPages::records(self.client.clone(), query)
    }

    /// A PDF report of one record (`GET /reports/{id}`), as bytes.
    ///
    #[doc = example!("", "dem().generate_report(\"record-id\")")]
    #[maybe_async]
    pub async fn generate_report(&self, record_id: &str) -> Result<Vec<u8>, Error> {
        let spec = spec("generate_report", Method::Get)
            .path("reports")
            .id("record_id", record_id)?;
        self.client.bytes(spec).await
    }

    /// A PDF report of one record as a body you read incrementally.
    ///
    #[doc = example!("", "dem().generate_report_stream(\"record-id\")")]
    #[maybe_async]
    pub async fn generate_report_stream(&self, record_id: &str) -> Result<ResponseBody, Error> {
        let spec = spec("generate_report", Method::Get)
            .path("reports")
            .id("record_id", record_id)?;
        Ok(self.client.execute(&spec).await?.body)
    }
}
