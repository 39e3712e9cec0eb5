//! DEM records: create evidence records, query them with `and` / `or`, change their expiry
//! (one, then many), read the statistics and save a PDF report.
//!
//! ```text
//! cargo run --example dem_records
//! ```
//!
//! Offline (no `SIGNICAT_*` variables) it runs against an in-process emulator.

use serde_json::{Map, Value, json};
use signicat_dem::models::{
    AuditLevel, BatchUpdateTtlRequest, QueryCondition, QueryRecords, QueryRequestBody,
    RecordRequest, RecordType,
};
use signicat_dem::{Client, Environment};
use signicat_dem_mock::MockServer;

fn main() {
    if let Err(err) = run() {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let online = ["SIGNICAT_API_TOKEN", "SIGNICAT_CLIENT_ID"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    let emulator = (!online).then(MockServer::start_blocking);
    let client = match &emulator {
        Some(server) => Client::builder()
            .token(server.token())
            .environment(Environment::local(&server.base_url())?)
            .build()?,
        None => Client::from_env()?,
    };
    println!("DEM says: {}", client.dem().ping()?.trim());

    // 1. Evidence: a consent and two log-ins, related to the consent.
    let consent = client.dem().post_new_record(
        &RecordRequest::new(
            RecordType::Consent,
            object(json!({"customerId": "c-42", "channel": "web"})),
            object(json!({"text": "I agree to the terms, version 7", "ip": "203.0.113.7"})),
            365,
        )
        .with_audit_level(AuditLevel::Advanced),
    )?;
    let consent_id = consent.id.clone().ok_or("no record id")?;
    println!("consent record {consent_id}");
    for (i, channel) in ["web", "app"].iter().enumerate() {
        let login = RecordRequest::new(
            RecordType::LogIn,
            object(json!({"customerId": "c-42", "channel": channel, "attempt": i + 1})),
            object(json!({"method": "bankid"})),
            30,
        )
        .with_relations([consent_id.clone()]);
        client.dem().post_new_record(&login)?;
    }

    // 2. Query: this customer's records that are log-ins OR came from the app.
    let filter = QueryRequestBody::all_of([QueryCondition::eq("metadata.customerId", "c-42")])
        .or(QueryCondition::eq("systemMetadata.type", "LOG_IN"))
        .or(QueryCondition::eq("metadata.channel", "app"));
    let page = client
        .dem()
        .query(&QueryRecords::new().filter(filter.clone()).size(50))?;
    println!("{} matching record(s):", page.total_elements);
    for record in &page.content {
        let kind = record
            .system_metadata
            .as_ref()
            .and_then(|s| s.record_type.as_ref())
            .map_or("?", |t| t.as_str());
        println!("  {} {kind}", record.id.as_deref().unwrap_or("?"));
    }

    // 3. Expiry: keep the consent for 10 years, the log-ins for 90 days.
    client.dem().set_expiry_date(&consent_id, 3650)?;
    let answer = client.dem().set_expiry_dates(&BatchUpdateTtlRequest::new(
        QueryRequestBody::all_of([QueryCondition::eq("systemMetadata.type", "LOG_IN")]),
        90,
    ))?;
    println!("expiry: {}", answer.trim());

    // 4. Statistics and the searchable fields.
    let stats = client.dem().get_collection_stats()?;
    println!(
        "stats: {} records, by type {:?}",
        stats.total_records.unwrap_or(0),
        stats.total_records_by_type.unwrap_or_default()
    );
    println!(
        "metadata fields: {:?}",
        client.dem().get_custom_meta_fields(None)?
    );

    // 5. A PDF report of the consent.
    let pdf = client.dem().generate_report(&consent_id)?;
    let path = std::env::temp_dir().join(format!("dem-report-{consent_id}.pdf"));
    std::fs::write(&path, &pdf)?;
    println!("report ({} bytes) saved to {}", pdf.len(), path.display());
    Ok(())
}
