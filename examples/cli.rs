//! `signicat` — a small blocking command-line client, printing JSON.
//!
//! ```text
//! cargo run --example cli -- --help
//! cargo run --example cli -- upload examples/assets/contract.pdf --type application/pdf
//! cargo run --example cli -- session create --document DOC_ID --title "Contract"
//! cargo run --example cli -- session get SESSION_ID
//! cargo run --example cli -- session list --limit 10 --sort -createdAt
//! cargo run --example cli -- records query --where metadata.customerId=eq:c-42 --size 20
//! ```
//!
//! Credentials come from `--token` / `SIGNICAT_API_TOKEN` (or `SIGNICAT_CLIENT_ID` +
//! `SIGNICAT_CLIENT_SECRET`), the endpoint from `--base-url` / `SIGNICAT_BASE_URL`. With none
//! of them, each run starts its own in-process emulator (state does not survive the run); to
//! keep state, run `cargo run -p signicat-dem-mock -- --port 8080` and pass
//! `--base-url http://127.0.0.1:8080 --token mock-token`.
//!
//! Exit codes: 0 success, 1 API error (HTTP 4xx/5xx), 2 usage error, 3 configuration or
//! input error, 4 network error or timeout.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use signicat_dem::models::{
    DocumentCollection, DocumentReference, ListSigningSessions, QueryCondition, QueryOperator,
    QueryRecords, QueryRequestBody, SessionDocument, SessionSort, SigningFlow, SigningSession,
    SigningSetup,
};
use signicat_dem::{Client, Environment, Error, ErrorKind};
use signicat_dem_mock::MockServer;

#[derive(Parser)]
#[command(
    name = "signicat",
    version,
    about = "Signicat Sign and DEM from the command line"
)]
struct Cli {
    /// Bearer token (default: SIGNICAT_API_TOKEN or client credentials from the environment).
    #[arg(
        long,
        global = true,
        env = "SIGNICAT_API_TOKEN",
        hide_env_values = true
    )]
    token: Option<String>,
    /// Base URL with /sign and /dem below it (default: SIGNICAT_BASE_URL, or production).
    #[arg(long, global = true, env = "SIGNICAT_BASE_URL", hide_env_values = true)]
    base_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Upload a document.
    Upload {
        /// The file to upload (streamed from disk).
        file: std::path::PathBuf,
        /// Its media type.
        #[arg(long = "type", default_value = "application/pdf")]
        content_type: String,
    },
    /// Signing sessions.
    #[command(subcommand)]
    Session(SessionCommand),
    /// DEM records.
    #[command(subcommand)]
    Records(RecordsCommand),
}

#[derive(Subcommand)]
enum SessionCommand {
    /// Create a collection for a document and a signing session for it.
    Create {
        /// The uploaded document's id.
        #[arg(long)]
        document: String,
        /// The session's title.
        #[arg(long)]
        title: String,
        /// Identity providers the signer may use.
        #[arg(long = "idp", default_value = "nbid")]
        idps: Vec<String>,
    },
    /// Show a signing session.
    Get {
        /// The session id.
        id: String,
    },
    /// List signing sessions.
    List {
        /// Page size.
        #[arg(long)]
        limit: Option<u32>,
        /// Rows to skip.
        #[arg(long)]
        offset: Option<u64>,
        /// Sort keys like -createdAt or +title (repeatable).
        #[arg(long, allow_hyphen_values = true)]
        sort: Vec<String>,
    },
}

#[derive(Subcommand)]
enum RecordsCommand {
    /// Query records: every --where must hold (field=operator:value, value as JSON or text).
    Query {
        /// Conditions such as metadata.age=gte:18 or systemMetadata.type=in:["GDPR","KYC"].
        #[arg(long = "where")]
        conditions: Vec<String>,
        /// Page number (0-based).
        #[arg(long)]
        page: Option<u32>,
        /// Page size.
        #[arg(long)]
        size: Option<u32>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(3)
        }
        Err(Failure::Sdk(err)) => {
            eprintln!("error: {err}");
            ExitCode::from(match err.kind() {
                ErrorKind::Api { .. } => 1,
                ErrorKind::InvalidInput { .. } | ErrorKind::Config { .. } => 3,
                _ => 4,
            })
        }
    }
}

enum Failure {
    Input(String),
    Sdk(Error),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Sdk(err)
    }
}

fn print(value: &impl Serialize) -> Result<(), Failure> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Input(e.to_string()))?;
    // A closed pipe (`cli … | head`) is not an error worth a panic.
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Input(e.to_string())),
        _ => Ok(()),
    }
}

fn client(cli: &Cli) -> Result<(Client, Option<MockServer>), Failure> {
    let configured = cli.token.is_some()
        || cli.base_url.is_some()
        || std::env::var_os("SIGNICAT_CLIENT_ID").is_some();
    if !configured {
        let server = MockServer::start_blocking();
        eprintln!(
            "(no credentials: using a fresh in-process emulator at {})",
            server.base_url()
        );
        let client = Client::builder()
            .token(server.token())
            .environment(Environment::local(&server.base_url())?)
            .build()?;
        return Ok((client, Some(server)));
    }
    let client = match (&cli.token, &cli.base_url) {
        (Some(token), base) => {
            let mut b = Client::builder().token(token);
            if let Some(base) = base {
                b = b.environment(Environment::local(base)?);
            }
            b.build()?
        }
        (None, _) => Client::from_env()?,
    };
    Ok((client, None))
}

fn condition(text: &str) -> Result<QueryCondition, Failure> {
    let bad = || Failure::Input(format!("--where `{text}`: expected field=operator:value"));
    let (field, rest) = text.split_once('=').ok_or_else(bad)?;
    let (op, value) = rest.split_once(':').ok_or_else(bad)?;
    let value = serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::from(value));
    Ok(QueryCondition::new(field, QueryOperator::from(op), value))
}

fn run(cli: Cli) -> Result<(), Failure> {
    let (client, _emulator) = client(&cli)?;
    match cli.command {
        Command::Upload { file, content_type } => {
            print(&client.sign().upload_document_file(&content_type, &file)?)
        }
        Command::Session(SessionCommand::Create {
            document,
            title,
            idps,
        }) => {
            let collection = client
                .sign()
                .create_document_collection(&DocumentCollection::new(vec![
                    DocumentReference::new(&document),
                ]))?;
            let collection_id = collection.id.unwrap_or_default();
            let session = SigningSession::new(
                title,
                vec![SessionDocument::sign(collection_id, document)],
                vec![SigningSetup::new(SigningFlow::AuthenticationBased, idps)],
            );
            print(&client.sign().create_signing_session(&[session])?)
        }
        Command::Session(SessionCommand::Get { id }) => {
            print(&client.sign().get_signing_session(&id)?)
        }
        Command::Session(SessionCommand::List {
            limit,
            offset,
            sort,
        }) => {
            let mut params = ListSigningSessions::new();
            params.limit = limit;
            params.offset = offset;
            for key in sort {
                let key: SessionSort = key.parse().map_err(|_| Failure::Input(key))?;
                params = params.sort(key);
            }
            print(&client.sign().list_signing_sessions(&params)?)
        }
        Command::Records(RecordsCommand::Query {
            conditions,
            page,
            size,
        }) => {
            let mut query = QueryRecords::new();
            if !conditions.is_empty() {
                let conds = conditions
                    .iter()
                    .map(|c| condition(c))
                    .collect::<Result<Vec<_>, _>>()?;
                query = query.filter(QueryRequestBody::all_of(conds));
            }
            query.page = page;
            query.size = size;
            print(&client.dem().query(&query)?)
        }
    }
}
