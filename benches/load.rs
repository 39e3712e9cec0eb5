//! Load program: `get_signing_session` throughput through the SDK against the raw HTTP
//! clients and against `wrk`, all on one emulator process, in the same run.
//!
//! * blocking, sequential (1 connection): `Client` vs raw ureq + serde vs `wrk -c1`
//! * async at 1, 16, 64 and 256 requests in flight: `AsyncClient` vs raw reqwest + serde
//!   vs `wrk -cN`
//!
//! SDK and raw rounds alternate (`BENCH_ROUNDS` pairs of rounds of `BENCH_ROUND_MS` each,
//! every round also capped in request count); the rates are the median rounds and the ratio
//! is the median of the per-pair ratios, which holds up on a noisy machine. Run with
//! `cargo bench --bench load`. Knobs: `BENCH_ROUNDS` (default 15), `BENCH_ROUND_MS` (300),
//! `BENCH_WRK_SECS` (3, 0 skips wrk), `BENCH_INFLIGHT` (e.g. `64`, default `1,16,64,256`).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::{Emulator, env_or, median};
use signicat_dem::models::SigningSession;

/// Hard cap on requests in one round, whatever the speed.
const MAX_PER_ROUND: u64 = 2_000_000;

struct Row {
    name: String,
    sdk: f64,
    raw: f64,
    /// Median of the per-pair ratios (each SDK round against the raw round right after it).
    ratio: f64,
    wrk: Option<f64>,
}

/// Median SDK and raw rates, and the median of the paired ratios (robust to the machine
/// getting slower or faster between pairs).
fn summarise(name: String, mut sdk: Vec<f64>, mut raw: Vec<f64>, wrk: Option<f64>) -> Row {
    let mut ratios: Vec<f64> = sdk.iter().zip(&raw).map(|(s, r)| s / r).collect();
    Row {
        name,
        ratio: median(&mut ratios),
        sdk: median(&mut sdk),
        raw: median(&mut raw),
        wrk,
    }
}

fn main() {
    common::serve_emulator_if_asked();
    let rounds: usize = env_or("BENCH_ROUNDS", 15);
    let round = Duration::from_millis(env_or("BENCH_ROUND_MS", 300));
    let wrk_secs: u64 = env_or("BENCH_WRK_SECS", 3);
    let inflight: Vec<usize> = std::env::var("BENCH_INFLIGHT")
        .unwrap_or_else(|_| "1,16,64,256".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();

    let emulator = Emulator::spawn(signicat_dem_mock::DEFAULT_MAX_DOCUMENT_BYTES);
    let id = emulator.signing_session();
    let url = format!("{}/sign/signing-sessions/{id}", emulator.base_url);
    let auth = format!("Bearer {}", emulator.token);
    if let Some((which, count)) = profile_request() {
        profile(&emulator, &id, &url, &auth, &which, count);
        return;
    }
    println!(
        "load: GET /sign/signing-sessions/{{id}} against the emulator at {} (separate process)",
        emulator.base_url
    );
    println!(
        "      {rounds} alternating pairs of {round:?} rounds; median rates, median paired ratio"
    );

    let mut rows = Vec::new();

    // Blocking, sequential.
    let client = emulator.blocking_client();
    let agent = ureq::Agent::new_with_defaults();
    // Warm-up (connection, allocator).
    blocking_sdk(&client, &id, Duration::from_millis(200));
    blocking_raw(&agent, &url, &auth, Duration::from_millis(200));
    let (mut sdk, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        sdk.push(blocking_sdk(&client, &id, round));
        raw.push(blocking_raw(&agent, &url, &auth, round));
    }
    let wrk = (wrk_secs > 0)
        .then(|| common::wrk(&url, &emulator.token, 1, wrk_secs))
        .flatten();
    rows.push(summarise("blocking, sequential".into(), sdk, raw, wrk));
    drop(client);
    drop(agent);

    // Async, N in flight.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for &n in &inflight {
        let client = emulator.async_client();
        let http = common::reqwest_client();
        runtime.block_on(async {
            async_sdk(&client, &id, n, Duration::from_millis(200)).await;
            async_raw(&http, &url, &auth, n, Duration::from_millis(200)).await;
        });
        let (mut sdk, mut raw) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            runtime.block_on(async {
                sdk.push(async_sdk(&client, &id, n, round).await);
                raw.push(async_raw(&http, &url, &auth, n, round).await);
            });
        }
        // Close this level's connections before wrk and the next level.
        drop(client);
        drop(http);
        let wrk = (wrk_secs > 0)
            .then(|| common::wrk(&url, &emulator.token, n, wrk_secs))
            .flatten();
        rows.push(summarise(format!("async, {n} in flight"), sdk, raw, wrk));
    }

    println!();
    println!(
        "| workload | SDK calls/s | raw client + serde, calls/s | SDK / raw | wrk, req/s | SDK / wrk | raw / wrk |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let (wrk, sdk_wrk, raw_wrk) = match r.wrk {
            Some(w) => (
                format!("{w:.0}"),
                format!("{:.2}", r.sdk / w),
                format!("{:.2}", r.raw / w),
            ),
            None => ("n/a".into(), "n/a".into(), "n/a".into()),
        };
        println!(
            "| {} | {:.0} | {:.0} | {:.3} | {} | {} | {} |",
            r.name, r.sdk, r.raw, r.ratio, wrk, sdk_wrk, raw_wrk
        );
    }
}

/// `--profile WHICH COUNT`: only `COUNT` sequential calls of one client (for
/// `valgrind --tool=callgrind`, whose instruction counts are repeatable on a noisy machine;
/// the emulator child is not traced). WHICH: blocking-sdk, blocking-raw, async-sdk, async-raw,
/// async-raw-timeout (raw reqwest with the SDK's per-request timeout).
fn profile_request() -> Option<(String, u64)> {
    let args: Vec<String> = std::env::args().collect();
    let pos = args.iter().position(|a| a == "--profile")?;
    let which = args.get(pos + 1)?.clone();
    let count = args
        .get(pos + 2)
        .and_then(|c| c.parse().ok())
        .unwrap_or(1000);
    Some((which, count))
}

fn profile(emulator: &Emulator, id: &str, url: &str, auth: &str, which: &str, count: u64) {
    let start = Instant::now();
    match which {
        "blocking-sdk" => {
            let client = emulator.blocking_client();
            for _ in 0..count {
                std::hint::black_box(client.sign().get_signing_session(id).expect("sdk"));
            }
        }
        "blocking-raw" => {
            let agent = ureq::Agent::new_with_defaults();
            for _ in 0..count {
                let mut resp = agent
                    .get(url)
                    .header("authorization", auth)
                    .header("accept", "application/json")
                    .call()
                    .expect("ureq call");
                let body = resp.body_mut().read_to_vec().expect("body");
                let s: SigningSession = serde_json::from_slice(&body).expect("decode");
                std::hint::black_box(s);
            }
        }
        "async-sdk" | "async-raw" | "async-raw-timeout" => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            let client = emulator.async_client();
            let http = common::reqwest_client();
            runtime.block_on(async {
                for _ in 0..count {
                    if which == "async-sdk" {
                        let s = client.sign().get_signing_session(id).await.expect("sdk");
                        std::hint::black_box(s);
                    } else {
                        let mut request = http
                            .get(url)
                            .header("authorization", auth)
                            .header("accept", "application/json");
                        if which == "async-raw-timeout" {
                            request = request.timeout(Duration::from_secs(60));
                        }
                        let resp = request.send().await.expect("reqwest call");
                        let body = resp.bytes().await.expect("body");
                        let s: SigningSession = serde_json::from_slice(&body).expect("decode");
                        std::hint::black_box(s);
                    }
                }
            });
        }
        other => panic!("unknown profile target {other}"),
    }
    println!("{which}: {count} calls in {:?}", start.elapsed());
}

fn blocking_sdk(client: &signicat_dem::Client, id: &str, dur: Duration) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while n < MAX_PER_ROUND && start.elapsed() < dur {
        let s = client.sign().get_signing_session(id).expect("sdk call");
        std::hint::black_box(s);
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn blocking_raw(agent: &ureq::Agent, url: &str, auth: &str, dur: Duration) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while n < MAX_PER_ROUND && start.elapsed() < dur {
        let mut resp = agent
            .get(url)
            .header("authorization", auth)
            .header("accept", "application/json")
            .call()
            .expect("ureq call");
        let body = resp.body_mut().read_to_vec().expect("body");
        let s: SigningSession = serde_json::from_slice(&body).expect("decode");
        std::hint::black_box(s);
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn run_in_flight<F, Fut>(inflight: usize, dur: Duration, call: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + dur;
    let per_task = MAX_PER_ROUND / inflight as u64 + 1;
    let mut tasks = Vec::with_capacity(inflight);
    for _ in 0..inflight {
        let call = call.clone();
        let done = Arc::clone(&done);
        tasks.push(tokio::spawn(async move {
            let mut n = 0;
            while n < per_task && Instant::now() < deadline {
                call().await;
                n += 1;
            }
            done.fetch_add(n, Ordering::Relaxed);
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

async fn async_sdk(client: &signicat_dem::AsyncClient, id: &str, n: usize, dur: Duration) -> f64 {
    let client = client.clone();
    let id: Arc<str> = id.into();
    run_in_flight(n, dur, move || {
        let client = client.clone();
        let id = Arc::clone(&id);
        async move {
            let s = client
                .sign()
                .get_signing_session(&id)
                .await
                .expect("sdk call");
            std::hint::black_box(s);
        }
    })
    .await
}

async fn async_raw(http: &reqwest::Client, url: &str, auth: &str, n: usize, dur: Duration) -> f64 {
    let http = http.clone();
    let url: Arc<str> = url.into();
    let auth: Arc<str> = auth.into();
    run_in_flight(n, dur, move || {
        let http = http.clone();
        let url = Arc::clone(&url);
        let auth = Arc::clone(&auth);
        async move {
            let resp = http
                .get(&*url)
                .header("authorization", &*auth)
                .header("accept", "application/json")
                .send()
                .await
                .expect("reqwest call");
            let body = resp.bytes().await.expect("body");
            let s: SigningSession = serde_json::from_slice(&body).expect("decode");
            std::hint::black_box(s);
        }
    })
    .await
}
