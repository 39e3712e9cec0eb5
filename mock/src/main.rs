//! `signicat-dem-mock`: run the emulator as a standalone HTTP server.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use signicat_dem_mock::{MockServer, Mode};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ModeArg {
    /// In-memory state, lifecycle simulation, id checks.
    Stateful,
    /// Stateless: documented example responses.
    Examples,
}

/// Local emulator of Signicat's Sign and DEM APIs (plus the OAuth token endpoint).
#[derive(Debug, Parser)]
#[command(name = "signicat-dem-mock", version, about)]
struct Args {
    /// Port to listen on (0 picks a free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Host or IP address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Static bearer token that is always accepted.
    #[arg(long, default_value = signicat_dem_mock::DEFAULT_TOKEN)]
    token: String,
    /// Stateful emulator or stateless examples.
    #[arg(long, value_enum, default_value_t = ModeArg::Stateful)]
    mode: ModeArg,
    /// OAuth client id accepted by the token endpoint.
    #[arg(long, default_value = signicat_dem_mock::DEFAULT_CLIENT_ID)]
    client_id: String,
    /// OAuth client secret accepted by the token endpoint.
    #[arg(long, default_value = signicat_dem_mock::DEFAULT_CLIENT_SECRET)]
    client_secret: String,
    /// Lifetime of issued OAuth tokens, in seconds.
    #[arg(long, default_value_t = 600)]
    token_expires_in: u64,
    /// Largest accepted document upload, in bytes.
    #[arg(long, default_value_t = signicat_dem_mock::DEFAULT_MAX_DOCUMENT_BYTES)]
    max_document_bytes: usize,
    /// Largest accepted body of every other request, in bytes.
    #[arg(long, default_value_t = signicat_dem_mock::DEFAULT_MAX_JSON_BYTES)]
    max_json_bytes: usize,
}

async fn terminate() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mode = match args.mode {
        ModeArg::Stateful => Mode::Stateful,
        ModeArg::Examples => Mode::Examples,
    };
    let builder = MockServer::builder()
        .host(&args.host)
        .port(args.port)
        .token(&args.token)
        .mode(mode)
        .client_credentials(&args.client_id, &args.client_secret)
        .token_expires_in(Duration::from_secs(args.token_expires_in))
        .max_document_bytes(args.max_document_bytes)
        .max_json_bytes(args.max_json_bytes);
    let server = match builder.try_start().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "signicat-dem-mock: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let base = server.base_url();
    println!(
        "signicat-dem-mock listening on {base} (sign: {base}/sign, dem: {base}/dem, token: {base}/auth/open/connect/token; mode: {:?}; static token: {})",
        args.mode, args.token
    );
    terminate().await;
    println!("signicat-dem-mock: shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}
