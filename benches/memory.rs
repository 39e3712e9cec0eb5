//! Memory benchmark: a 1 GiB document uploaded and downloaded through each client, with the
//! peak resident memory (`VmHWM`) of the client process and the throughput.
//!
//! The document is generated on the fly (xorshift, never held in memory) and checked byte by
//! byte on the way back. The emulator, which keeps the document in memory, runs in its own
//! process; every client flavour runs in a fresh process of its own (this binary, re-run with
//! `--flavour NAME`), so one flavour's peak never hides another's. The peak is reset
//! (`/proc/self/clear_refs`) before the upload and before the download, so each phase has its
//! own figure.
//!
//! `cargo bench --bench memory`; `BENCH_MEMORY_MIB` (default 1024) sets the size,
//! `BENCH_MEMORY_FLAVOURS` (default all) picks flavours from
//! `sdk-blocking,raw-ureq,sdk-async,sdk-async-reader,raw-reqwest`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{PseudoRandom, Verifier, proc_status_kib};

const FLAVOURS: &[&str] = &[
    "sdk-blocking",
    "raw-ureq",
    "sdk-async",
    "sdk-async-reader",
    "raw-reqwest",
];
const CHUNK: usize = 64 * 1024;

fn main() {
    common::serve_emulator_if_asked();
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--flavour") {
        let flavour = &args[pos + 1];
        let base = &args[pos + 2];
        let token = &args[pos + 3];
        let len: u64 = args[pos + 4].parse().expect("length");
        run_flavour(flavour, base, token, len);
        return;
    }

    let mib: u64 = common::env_or("BENCH_MEMORY_MIB", 1024);
    let len = mib * 1024 * 1024;
    let flavours: Vec<String> = std::env::var("BENCH_MEMORY_FLAVOURS")
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_else(|_| FLAVOURS.iter().map(|s| s.to_string()).collect());
    let emulator = common::Emulator::spawn(len as usize + 1024 * 1024);
    println!(
        "memory: {mib} MiB document, emulator (separate process) at {}",
        emulator.base_url
    );
    let exe = std::env::current_exe().expect("current exe");
    let mut rows = Vec::new();
    for flavour in &flavours {
        let out = Command::new(&exe)
            .args(["--flavour", flavour, &emulator.base_url, &emulator.token])
            .arg(len.to_string())
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .expect("run a flavour");
        let text = String::from_utf8_lossy(&out.stdout);
        match text.lines().find_map(|l| l.strip_prefix("RESULT ")) {
            Some(row) if out.status.success() => rows.push(row.to_owned()),
            _ => rows.push(format!("| {flavour} | failed: {} |", out.status)),
        }
        let emu_rss = proc_status_kib(Some(emulator.pid()), "VmRSS").unwrap_or(0);
        eprintln!("  {flavour} done; emulator RSS {} MiB", emu_rss / 1024);
    }
    println!();
    println!(
        "| client | peak RSS at rest | peak RSS upload | peak RSS download | upload MiB/s | download MiB/s |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
    println!("(goal: ≤ 32 MiB peak RSS for the SDK flavours)");
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0); false when not possible.
fn reset_peak() -> bool {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/self/clear_refs")
        .and_then(|mut f| f.write_all(b"5"))
        .is_ok()
}

fn peak_mib() -> f64 {
    proc_status_kib(None, "VmHWM").unwrap_or(0) as f64 / 1024.0
}

fn run_flavour(flavour: &str, base: &str, token: &str, len: u64) {
    let mib = len as f64 / (1024.0 * 1024.0);
    let (rest, up_peak, up_secs, down_peak, down_secs) = match flavour {
        "sdk-blocking" => {
            let client = signicat_dem::Client::builder()
                .token(token)
                .environment(signicat_dem::Environment::local(base).expect("env"))
                .build()
                .expect("client");
            client.dem().ping().expect("ping");
            let rest = peak_mib();
            reset_peak();
            let t = Instant::now();
            let doc = client
                .sign()
                .upload_document_reader("application/pdf", PseudoRandom::new(len), Some(len))
                .expect("upload");
            let up = (peak_mib(), t.elapsed().as_secs_f64());
            let id = doc.document_id.expect("id");
            reset_peak();
            let t = Instant::now();
            let mut verifier = Verifier::new(len);
            let mut body = client.sign().get_document_stream(&id).expect("download");
            body.copy_to(&mut verifier).expect("copy");
            assert!(verifier.ok(), "downloaded bytes differ");
            let down = (peak_mib(), t.elapsed().as_secs_f64());
            client.sign().delete_document(&id).expect("delete");
            (rest, up.0, up.1, down.0, down.1)
        }
        "raw-ureq" => {
            let agent = ureq::Agent::new_with_defaults();
            let auth = format!("Bearer {token}");
            let rest = peak_mib();
            reset_peak();
            let t = Instant::now();
            let resp: serde_json::Value = agent
                .post(format!("{base}/sign/documents"))
                .header("authorization", &auth)
                .header("content-type", "application/pdf")
                .header("content-length", len.to_string())
                .send(ureq::SendBody::from_owned_reader(PseudoRandom::new(len)))
                .expect("upload")
                .body_mut()
                .read_to_vec()
                .map(|body| serde_json::from_slice(&body).expect("json"))
                .expect("body");
            let up = (peak_mib(), t.elapsed().as_secs_f64());
            let id = resp["documentId"].as_str().expect("id").to_owned();
            reset_peak();
            let t = Instant::now();
            let mut verifier = Verifier::new(len);
            let mut resp = agent
                .get(format!("{base}/sign/documents/{id}"))
                .header("authorization", &auth)
                .call()
                .expect("download");
            std::io::copy(&mut resp.body_mut().as_reader(), &mut verifier).expect("copy");
            assert!(verifier.ok(), "downloaded bytes differ");
            let down = (peak_mib(), t.elapsed().as_secs_f64());
            agent
                .delete(format!("{base}/sign/documents/{id}"))
                .header("authorization", &auth)
                .call()
                .expect("delete");
            (rest, up.0, up.1, down.0, down.1)
        }
        "sdk-async" | "sdk-async-reader" | "raw-reqwest" => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(run_async(flavour, base, token, len))
        }
        other => panic!("unknown flavour {other}"),
    };
    println!(
        "RESULT | {flavour} | {rest:.1} MiB | {up_peak:.1} MiB | {down_peak:.1} MiB | {:.0} | {:.0} |",
        mib / up_secs,
        mib / down_secs
    );
}

/// The pseudo-random document as a stream of 64 KiB chunks.
fn chunk_stream(
    len: u64,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    futures_util::stream::unfold(PseudoRandom::new(len), |mut source| async move {
        if source.remaining() == 0 {
            return None;
        }
        let mut buf = vec![0u8; CHUNK];
        let n = source.fill(&mut buf);
        buf.truncate(n);
        Some((Ok(bytes::Bytes::from(buf)), source))
    })
}

/// The pseudo-random document as a `tokio::io::AsyncRead`.
struct AsyncPseudoRandom(PseudoRandom);

impl tokio::io::AsyncRead for AsyncPseudoRandom {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = self.0.fill(buf.initialize_unfilled());
        buf.advance(n);
        std::task::Poll::Ready(Ok(()))
    }
}

/// Checks downloaded bytes as a `tokio::io::AsyncWrite`.
struct AsyncVerifier(Verifier);

impl tokio::io::AsyncWrite for AsyncVerifier {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.0.check(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

async fn run_async(flavour: &str, base: &str, token: &str, len: u64) -> (f64, f64, f64, f64, f64) {
    use futures_util::StreamExt;
    if flavour == "raw-reqwest" {
        let http = common::reqwest_client();
        let auth = format!("Bearer {token}");
        let rest = peak_mib();
        reset_peak();
        let t = Instant::now();
        let resp: serde_json::Value = {
            let body = http
                .post(format!("{base}/sign/documents"))
                .header("authorization", &auth)
                .header("content-type", "application/pdf")
                .header("content-length", len)
                .body(reqwest::Body::wrap_stream(chunk_stream(len)))
                .send()
                .await
                .expect("upload")
                .bytes()
                .await
                .expect("body");
            serde_json::from_slice(&body).expect("json")
        };
        let up = (peak_mib(), t.elapsed().as_secs_f64());
        let id = resp["documentId"].as_str().expect("id").to_owned();
        reset_peak();
        let t = Instant::now();
        let mut verifier = Verifier::new(len);
        let mut stream = http
            .get(format!("{base}/sign/documents/{id}"))
            .header("authorization", &auth)
            .send()
            .await
            .expect("download")
            .bytes_stream();
        while let Some(chunk) = stream.next().await {
            verifier.check(&chunk.expect("chunk"));
        }
        assert!(verifier.ok(), "downloaded bytes differ");
        let down = (peak_mib(), t.elapsed().as_secs_f64());
        http.delete(format!("{base}/sign/documents/{id}"))
            .header("authorization", &auth)
            .send()
            .await
            .expect("delete");
        return (rest, up.0, up.1, down.0, down.1);
    }
    let client = signicat_dem::AsyncClient::builder()
        .token(token)
        .environment(signicat_dem::Environment::local(base).expect("env"))
        .build()
        .expect("client");
    client.dem().ping().await.expect("ping");
    let rest = peak_mib();
    reset_peak();
    let t = Instant::now();
    let doc = if flavour == "sdk-async-reader" {
        client
            .sign()
            .upload_document_reader(
                "application/pdf",
                AsyncPseudoRandom(PseudoRandom::new(len)),
                Some(len),
            )
            .await
    } else {
        client
            .sign()
            .upload_document_stream("application/pdf", chunk_stream(len), Some(len))
            .await
    }
    .expect("upload");
    let up = (peak_mib(), t.elapsed().as_secs_f64());
    let id = doc.document_id.expect("id");
    reset_peak();
    let t = Instant::now();
    let mut verifier = AsyncVerifier(Verifier::new(len));
    let body = client
        .sign()
        .get_document_stream(&id)
        .await
        .expect("download");
    body.copy_to(&mut verifier).await.expect("copy");
    assert!(verifier.0.ok(), "downloaded bytes differ");
    let down = (peak_mib(), t.elapsed().as_secs_f64());
    client.sign().delete_document(&id).await.expect("delete");
    (rest, up.0, up.1, down.0, down.1)
}
