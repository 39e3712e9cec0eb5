//! Helpers shared by the network benchmarks (`latency`, `load`, `memory`).
//!
//! The emulator always runs in a **separate process**, so that its CPU, its allocations and
//! the documents it stores never count against the process being measured. By default the
//! benchmark binary re-executes itself with `--serve-emulator` (the child runs
//! `signicat_dem_mock::MockServer` on a multi-thread tokio runtime, exactly like the
//! `signicat-dem-mock` binary does); set `SIGNICAT_DEM_MOCK_BIN` to the path of a built
//! `signicat-dem-mock` binary to use that instead. The child exits when the benchmark's end of
//! its stdin closes, so it never outlives the benchmark, even when the benchmark panics.

#![allow(dead_code)] // each bench uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The argument that turns a benchmark binary into an emulator process.
pub const SERVE_FLAG: &str = "--serve-emulator";

/// Call first thing in `main`: when this process was started as the emulator, serve until
/// stdin closes, then exit.
pub fn serve_emulator_if_asked() {
    let args: Vec<String> = std::env::args().collect();
    let Some(pos) = args.iter().position(|a| a == SERVE_FLAG) else {
        return;
    };
    let max_doc: usize = args
        .get(pos + 1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(signicat_dem_mock::DEFAULT_MAX_DOCUMENT_BYTES);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("emulator runtime");
    runtime.block_on(async move {
        let server = signicat_dem_mock::MockServer::builder()
            .max_document_bytes(max_doc)
            .try_start()
            .await
            .expect("emulator: bind 127.0.0.1");
        println!("EMULATOR {} {}", server.base_url(), server.token());
        let _ = std::io::stdout().flush();
        // Serve until the parent closes our stdin (or dies).
        let _ = tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await;
        drop(server);
    });
    std::process::exit(0);
}

/// An emulator running in a child process; killed (and reaped) on drop.
pub struct Emulator {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// The static bearer token.
    pub token: String,
}

impl Emulator {
    /// Starts an emulator process accepting documents up to `max_document_bytes`.
    pub fn spawn(max_document_bytes: usize) -> Emulator {
        let mut cmd = match std::env::var_os("SIGNICAT_DEM_MOCK_BIN") {
            Some(bin) => {
                let mut c = Command::new(bin);
                c.args(["--port", "0", "--max-document-bytes"])
                    .arg(max_document_bytes.to_string());
                c
            }
            None => {
                let mut c = Command::new(std::env::current_exe().expect("current exe"));
                c.arg(SERVE_FLAG).arg(max_document_bytes.to_string());
                c
            }
        };
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn the emulator process");
        let stdout = child.stdout.take().expect("emulator stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let mut sent = false;
            while let Some(Ok(line)) = lines.next() {
                if !sent {
                    let _ = tx.send(line);
                    sent = true;
                }
            }
        });
        let line = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the emulator did not start within 20 s");
            }
        };
        let (base_url, token) = parse_banner(&line).unwrap_or_else(|| {
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected emulator banner: {line}")
        });
        let emulator = Emulator {
            child,
            base_url,
            token,
        };
        emulator.wait_until_up();
        emulator
    }

    fn wait_until_up(&self) {
        let url = format!("{}/dem/.ping", self.base_url);
        let agent = ureq::Agent::new_with_defaults();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let ok = agent
                .get(&url)
                .header("authorization", format!("Bearer {}", self.token))
                .call()
                .is_ok();
            if ok {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the emulator at {} does not answer", self.base_url);
    }

    /// The emulator process id (to read its memory use).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A blocking SDK client for this emulator.
    pub fn blocking_client(&self) -> signicat_dem::Client {
        signicat_dem::Client::builder()
            .token(&self.token)
            .environment(signicat_dem::Environment::local(&self.base_url).expect("env"))
            .build()
            .expect("blocking client")
    }

    /// An async SDK client for this emulator.
    pub fn async_client(&self) -> signicat_dem::AsyncClient {
        signicat_dem::AsyncClient::builder()
            .token(&self.token)
            .environment(signicat_dem::Environment::local(&self.base_url).expect("env"))
            .build()
            .expect("async client")
    }

    /// Creates a document, a collection and a signing session; returns the session id.
    pub fn signing_session(&self) -> String {
        use signicat_dem::models::*;
        let client = self.blocking_client();
        let doc = client
            .sign()
            .upload_document("application/pdf", &b"%PDF-1.4 benchmark"[..])
            .expect("upload");
        let doc_id = doc.document_id.expect("document id");
        let coll = client
            .sign()
            .create_document_collection(&DocumentCollection::new(vec![
                DocumentReference::new(&doc_id).with_description("the contract"),
            ]))
            .expect("collection");
        let session = SigningSession::new(
            "Employment contract",
            vec![SessionDocument::sign(
                coll.id.expect("collection id"),
                doc_id,
            )],
            vec![SigningSetup::new(
                SigningFlow::AuthenticationBased,
                ["nbid"],
            )],
        )
        .with_external_reference("order-42")
        .with_sender_display_name("ACME HR")
        .with_sign_text("Please sign your employment contract")
        .with_ui(Ui::new(Language::En));
        let created = client
            .sign()
            .create_signing_session(&[session])
            .expect("session");
        created[0].id.clone().expect("session id")
    }
}

fn parse_banner(line: &str) -> Option<(String, String)> {
    if let Some(rest) = line.strip_prefix("EMULATOR ") {
        let mut parts = rest.split_whitespace();
        return Some((parts.next()?.to_owned(), parts.next()?.to_owned()));
    }
    // The `signicat-dem-mock` binary: "... listening on http://127.0.0.1:PORT (... static token: T)".
    let start = line.find("http://")?;
    let base = line[start..].split_whitespace().next()?.to_owned();
    let token = line
        .rsplit("static token: ")
        .next()
        .map(|t| t.trim_end_matches(')').to_owned())
        .unwrap_or_else(|| signicat_dem_mock::DEFAULT_TOKEN.to_owned());
    Some((base, token))
}

impl Drop for Emulator {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain reqwest client, configured like the SDK's (rustls with ring, which the
/// `rustls-no-provider` build needs even for plain HTTP; redirects off).
pub fn reqwest_client() -> reqwest::Client {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client")
}

/// A `/proc/{pid}/status` field in KiB (`VmHWM`, `VmRSS`).
pub fn proc_status_kib(pid: Option<u32>, field: &str) -> Option<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_owned(),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Requests per second measured by `wrk` against `url`, or `None` when wrk is not installed.
pub fn wrk(url: &str, token: &str, connections: usize, seconds: u64) -> Option<f64> {
    let threads = connections.clamp(1, 2);
    let out = Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        .arg(url)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("Requests/sec:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Deterministic pseudo-random bytes (xorshift64*), generated on the fly: a 1 GiB document
/// that never exists in memory. The first bytes are a PDF header so the emulator accepts it
/// as `application/pdf` and never mistakes it for a multipart body.
pub struct PseudoRandom {
    state: u64,
    remaining: u64,
    header: &'static [u8],
    carry: [u8; 8],
    carry_len: usize,
}

impl PseudoRandom {
    pub fn new(len: u64) -> Self {
        PseudoRandom {
            state: 0x9E37_79B9_7F4A_7C15,
            remaining: len,
            header: b"%PDF-1.7\n%",
            carry: [0; 8],
            carry_len: 0,
        }
    }

    fn next_word(&mut self) -> [u8; 8] {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes()
    }

    /// Fills `buf` (up to what remains); returns the number of bytes written.
    pub fn fill(&mut self, buf: &mut [u8]) -> usize {
        let want = (buf.len() as u64).min(self.remaining) as usize;
        let buf = &mut buf[..want];
        let mut i = 0;
        while i < want && !self.header.is_empty() {
            buf[i] = self.header[0];
            self.header = &self.header[1..];
            i += 1;
        }
        while i < want && self.carry_len > 0 {
            buf[i] = self.carry[8 - self.carry_len];
            self.carry_len -= 1;
            i += 1;
        }
        while want - i >= 8 {
            let w = self.next_word();
            buf[i..i + 8].copy_from_slice(&w);
            i += 8;
        }
        if i < want {
            self.carry = self.next_word();
            self.carry_len = 8;
            while i < want {
                buf[i] = self.carry[8 - self.carry_len];
                self.carry_len -= 1;
                i += 1;
            }
        }
        self.remaining -= want as u64;
        want
    }

    pub fn remaining(&self) -> u64 {
        self.remaining
    }
}

impl Read for PseudoRandom {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(self.fill(buf))
    }
}

/// Checks downloaded bytes against the same pseudo-random sequence, in bounded memory.
pub struct Verifier {
    expected: PseudoRandom,
    scratch: Vec<u8>,
    pub seen: u64,
    pub mismatch: bool,
}

impl Verifier {
    pub fn new(len: u64) -> Self {
        Verifier {
            expected: PseudoRandom::new(len),
            scratch: vec![0; 64 * 1024],
            seen: 0,
            mismatch: false,
        }
    }

    pub fn check(&mut self, mut data: &[u8]) {
        self.seen += data.len() as u64;
        while !data.is_empty() {
            let n = data.len().min(self.scratch.len());
            let got = self.expected.fill(&mut self.scratch[..n]);
            if got != n || self.scratch[..n] != data[..n] {
                self.mismatch = true;
                return;
            }
            data = &data[n..];
        }
    }

    /// Whether exactly the expected bytes were seen.
    pub fn ok(&self) -> bool {
        !self.mismatch && self.expected.remaining() == 0
    }
}

impl Write for Verifier {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.check(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Median of a non-empty list.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// An environment variable parsed as a number, or `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
