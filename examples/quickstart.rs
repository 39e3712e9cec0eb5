//! Quickstart (blocking): upload a PDF → document collection → signing session → print the
//! signature URL → wait until it is signed → download the signed result.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With no `SIGNICAT_*` variables set it runs offline against an in-process emulator
//! (`signicat-dem-mock`), which also plays the signer. With `SIGNICAT_API_TOKEN` (or
//! `SIGNICAT_CLIENT_ID` + `SIGNICAT_CLIENT_SECRET`, and optionally `SIGNICAT_BASE_URL`) it
//! talks to that account instead, and you sign in a browser at the printed URL.

use std::time::Duration;

use signicat_dem::models::{
    DocumentCollection, DocumentReference, SessionDocument, SigningFlow, SigningSession,
    SigningSetup,
};
use signicat_dem::{Client, Environment, WaitOptions};
use signicat_dem_mock::MockServer;

const CONTRACT: &[u8] = include_bytes!("assets/contract.pdf");

fn main() {
    if let Err(err) = run() {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let online = ["SIGNICAT_API_TOKEN", "SIGNICAT_CLIENT_ID"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    // Offline: an emulator on 127.0.0.1, stopped when `emulator` is dropped.
    let emulator = (!online).then(MockServer::start_blocking);
    let client = match &emulator {
        Some(server) => Client::builder()
            .token(server.token())
            .environment(Environment::local(&server.base_url())?)
            .build()?,
        None => Client::from_env()?,
    };
    match &emulator {
        Some(server) => println!("offline: using the emulator at {}", server.base_url()),
        None => println!("online: {}", client.environment().sign_base()),
    }

    // 1. Upload the document: the raw PDF bytes, Content-Type application/pdf.
    let uploaded = client.sign().upload_document("application/pdf", CONTRACT)?;
    let document_id = uploaded.document_id.ok_or("no documentId in the answer")?;
    println!("uploaded document {document_id}");

    // 2. Group it in a document collection.
    let collection = client
        .sign()
        .create_document_collection(&DocumentCollection::new(vec![
            DocumentReference::new(&document_id).with_description("Employment contract"),
        ]))?;
    let collection_id = collection.id.ok_or("no collection id in the answer")?;

    // 3. Open a signing session for it.
    let session = SigningSession::new(
        "Employment contract",
        vec![SessionDocument::sign(&collection_id, &document_id)],
        vec![SigningSetup::new(
            SigningFlow::AuthenticationBased,
            ["nbid"],
        )],
    )
    .with_sender_display_name("Example AS")
    .with_sign_text("Please sign your employment contract");
    let created = client.sign().create_signing_session(&[session])?;
    let session = created
        .into_iter()
        .next()
        .ok_or("no session in the answer")?;
    let session_id = session.id.clone().ok_or("no session id in the answer")?;
    println!(
        "signing session {session_id}: sign at {}",
        session.signature_url.as_deref().unwrap_or("(no URL)")
    );

    // 4. Wait for the signer. Offline, the emulator signs after a moment.
    let wait = WaitOptions::new().initial_interval(Duration::from_millis(200));
    let signed = std::thread::scope(|scope| {
        if let Some(server) = &emulator {
            let id = session_id.clone();
            scope.spawn(move || {
                std::thread::sleep(Duration::from_millis(500));
                if let Err(e) = server.sign_session(&id) {
                    eprintln!("emulator could not sign: {e}");
                }
            });
        }
        client.sign().wait_for_signing_session(&session_id, wait)
    })?;
    println!("session is {:?}", signed.state().map(|s| s.as_str()));

    // 5. Download each signed result document, streamed to a file.
    let signatures = signed.output.and_then(|o| o.signatures).unwrap_or_default();
    for signature in &signatures {
        let path =
            std::env::temp_dir().join(format!("signed-{}.pdf", signature.result_document_id));
        let mut file = std::fs::File::create(&path)?;
        let mut body = client
            .sign()
            .get_document_stream(&signature.result_document_id)?;
        let bytes = body.copy_to(&mut file)?;
        println!(
            "saved the signed document ({bytes} bytes) to {}",
            path.display()
        );
    }
    if signatures.is_empty() {
        println!("the session ended without signatures");
    }
    Ok(())
}
