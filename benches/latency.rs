//! Per-call latency of `get_signing_session`: the SDK against a raw HTTP request plus a serde
//! decode of the same body, on the same emulator process, in the same run.
//!
//! * `get_signing_session/blocking`: `Client` vs raw ureq + `serde_json::from_slice`
//! * `get_signing_session/async`: `AsyncClient` vs raw reqwest + `serde_json::from_slice`
//!   (one request at a time on a current-thread runtime)
//!
//! After criterion's own report, the SDK/raw ratio of the typical times is printed (read
//! from criterion's `estimates.json`). `cargo bench --bench latency`.

mod common;

use std::time::Duration;

use std::hint::black_box;

use criterion::Criterion;
use signicat_dem::models::SigningSession;

fn main() {
    common::serve_emulator_if_asked();
    let emulator = common::Emulator::spawn(signicat_dem_mock::DEFAULT_MAX_DOCUMENT_BYTES);
    let id = emulator.signing_session();
    let url = format!("{}/sign/signing-sessions/{id}", emulator.base_url);
    let auth = format!("Bearer {}", emulator.token);

    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(30)
        .configure_from_args();

    {
        let client = emulator.blocking_client();
        let agent = ureq::Agent::new_with_defaults();
        let mut g = c.benchmark_group("get_signing_session/blocking");
        g.bench_function("sdk", |b| {
            b.iter(|| black_box(client.sign().get_signing_session(&id).expect("sdk")))
        });
        g.bench_function("raw_ureq_serde", |b| {
            b.iter(|| {
                let mut resp = agent
                    .get(&url)
                    .header("authorization", &auth)
                    .header("accept", "application/json")
                    .call()
                    .expect("ureq");
                let body = resp.body_mut().read_to_vec().expect("body");
                black_box(serde_json::from_slice::<SigningSession>(&body).expect("decode"))
            })
        });
        g.finish();
    }
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let client = emulator.async_client();
        let http = common::reqwest_client();
        let mut g = c.benchmark_group("get_signing_session/async");
        g.bench_function("sdk", |b| {
            b.iter(|| {
                runtime.block_on(async {
                    black_box(client.sign().get_signing_session(&id).await.expect("sdk"))
                })
            })
        });
        g.bench_function("raw_reqwest_serde", |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let resp = http
                        .get(&url)
                        .header("authorization", &auth)
                        .header("accept", "application/json")
                        .send()
                        .await
                        .expect("reqwest");
                    let body = resp.bytes().await.expect("body");
                    black_box(serde_json::from_slice::<SigningSession>(&body).expect("decode"))
                })
            })
        });
        g.finish();
    }
    c.final_summary();

    println!();
    println!("| client | SDK | raw + serde | SDK / raw (goal ≤ 1.05 blocking) |");
    println!("|---|---:|---:|---:|");
    for (group, raw) in [
        ("get_signing_session/blocking", "raw_ureq_serde"),
        ("get_signing_session/async", "raw_reqwest_serde"),
    ] {
        match (mean_ns(group, "sdk"), mean_ns(group, raw)) {
            (Some(sdk), Some(raw)) => println!(
                "| {group} | {:.1} µs | {:.1} µs | {:.3} |",
                sdk / 1e3,
                raw / 1e3,
                sdk / raw
            ),
            _ => println!("| {group} | n/a | n/a | n/a (no criterion estimates found) |"),
        }
    }
}

/// The typical time of a benchmark's last run, from `target/criterion/<group>/<id>/new/estimates.json`.
fn mean_ns(group: &str, id: &str) -> Option<f64> {
    let dir = criterion_dir()?;
    let path = dir
        .join(group.replace('/', "_"))
        .join(id)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    // Criterion's "typical" time: the slope of the linear fit when it has one, else the mean.
    json["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| json["mean"]["point_estimate"].as_f64())
}

fn criterion_dir() -> Option<std::path::PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(home.into());
    }
    // target/<profile>/deps/latency-… → target/criterion
    let exe = std::env::current_exe().ok()?;
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => std::path::PathBuf::from(t),
        None => exe.parent()?.parent()?.parent()?.to_path_buf(),
    };
    Some(target.join("criterion"))
}
