//! Quickstart (async): the quickstart flow for several signers at once — upload one
//! contract, open one signing session per signer concurrently, wait for all of them, and
//! download every signed result.
//!
//! ```text
//! cargo run --example quickstart_async
//! ```
//!
//! Offline (no `SIGNICAT_*` variables) it runs against an in-process emulator, which also
//! plays the signers; with `SIGNICAT_API_TOKEN` or client credentials it uses that account.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::try_join_all;
use signicat_dem::models::{
    DocumentCollection, DocumentReference, SessionDocument, SigningFlow, SigningSession,
    SigningSetup,
};
use signicat_dem::{AsyncClient, Environment, WaitOptions};
use signicat_dem_mock::MockServer;

const CONTRACT: &[u8] = include_bytes!("assets/contract.pdf");
const SIGNERS: [&str; 4] = ["Ada", "Grace", "Edsger", "Barbara"];

#[tokio::main]
async fn main() {
    if let Err(err) = run().await {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let online = ["SIGNICAT_API_TOKEN", "SIGNICAT_CLIENT_ID"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    let emulator = match online {
        true => None,
        false => Some(Arc::new(MockServer::start().await)),
    };
    let client = match &emulator {
        Some(server) => AsyncClient::builder()
            .token(server.token())
            .environment(Environment::local(&server.base_url())?)
            .build()?,
        None => AsyncClient::from_env()?,
    };

    let uploaded = client
        .sign()
        .upload_document("application/pdf", CONTRACT)
        .await?;
    let document_id = uploaded.document_id.ok_or("no documentId in the answer")?;
    let collection = client
        .sign()
        .create_document_collection(&DocumentCollection::new(vec![DocumentReference::new(
            &document_id,
        )]))
        .await?;
    let collection_id = collection.id.ok_or("no collection id")?;

    // One session per signer, created and awaited concurrently.
    let flows = SIGNERS.iter().map(|signer| {
        let client = client.clone();
        let emulator = emulator.clone();
        let (collection_id, document_id) = (collection_id.clone(), document_id.clone());
        async move {
            let session = SigningSession::new(
                format!("Contract for {signer}"),
                vec![SessionDocument::sign(collection_id, document_id)],
                vec![SigningSetup::new(
                    SigningFlow::AuthenticationBased,
                    ["nbid"],
                )],
            )
            .with_external_reference(format!("signer-{signer}"));
            let created = client.sign().create_signing_session(&[session]).await?;
            let id = created
                .into_iter()
                .next()
                .and_then(|s| s.id)
                .ok_or("no session id")?;
            println!("{signer}: session {id} created");
            if let Some(server) = emulator {
                // The emulator's signer answers after a moment.
                let id = id.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    if let Err(e) = server.sign_session(&id) {
                        eprintln!("emulator could not sign {id}: {e}");
                    }
                });
            }
            let wait = WaitOptions::new().initial_interval(Duration::from_millis(100));
            let signed = client.sign().wait_for_signing_session(&id, wait).await?;
            println!("{signer}: {:?}", signed.state().map(|s| s.as_str()));
            let mut saved = Vec::new();
            for signature in signed.output.and_then(|o| o.signatures).unwrap_or_default() {
                let path = std::env::temp_dir()
                    .join(format!("signed-{}.pdf", signature.result_document_id));
                let mut file = tokio::fs::File::create(&path).await?;
                let body = client
                    .sign()
                    .get_document_stream(&signature.result_document_id)
                    .await?;
                body.copy_to(&mut file).await?;
                saved.push(path);
            }
            Ok::<_, Box<dyn std::error::Error>>((signer, saved))
        }
    });
    for (signer, saved) in try_join_all(flows).await? {
        for path in saved {
            println!("{signer}: signed document saved to {}", path.display());
        }
    }
    Ok(())
}
