//! Sign API: documents, document collections and signing sessions (12 operations).

use std::path::Path;
use std::sync::Arc;

use super::client::Client;
use super::maybe_async;
use super::pagination::SigningSessionPages;
use super::transport::{ResponseBody, Transport};
use crate::config::WaitOptions;
use crate::error::{Error, ErrorKind};
use crate::models::sign::{
    Document, DocumentCollection, ListSigningSessions, PaginatedSigningSessionResponse,
    PostDocumentResponse, SigningSession, UpdateDocument,
};
use crate::request::{Api, Body, Method, RequestSpec};

/// The Sign API operations; get one with `client.sign()`.
pub struct Sign<'a, T: Transport> {
    pub(crate) client: &'a Client<T>,
}

fn spec(operation: &'static str, method: Method) -> RequestSpec {
    RequestSpec::new(operation, method, Api::Sign)
}

fn document(operation: &'static str, method: Method, id: &str) -> Result<RequestSpec, Error> {
    spec(operation, method)
        .path("documents")
        .id("document_id", id)
}

fn collection(operation: &'static str, method: Method, id: &str) -> Result<RequestSpec, Error> {
    spec(operation, method)
        .path("document-collections")
        .id("document_collection_id", id)
}

fn session(operation: &'static str, method: Method, id: &str) -> Result<RequestSpec, Error> {
    spec(operation, method)
        .path("signing-sessions")
        .id("session_id", id)
}

impl<T: Transport> Sign<'_, T> {
    /// Uploads a document: `POST /documents` with the raw bytes as the body and
    /// `content_type` as its `Content-Type` (`application/pdf`, `text/plain`, …).
    ///
    /// Not retried after the request was sent (a repeat would store the document twice).
    ///
    #[doc = example!(
        "let pdf = std::fs::read(\"contract.pdf\").unwrap_or_default();\n",
        "sign().upload_document(\"application/pdf\", pdf)"
    )]
    #[maybe_async]
    pub async fn upload_document(
        &self,
        content_type: &str,
        body: impl Into<Arc<[u8]>>,
    ) -> Result<PostDocumentResponse, Error> {
        let data: Arc<[u8]> = body.into();
        if data.is_empty() {
            return Err(Error::invalid("body", "a document cannot be empty"));
        }
        let content_type = content_type.to_owned();
        self.upload(Body::Bytes { content_type, data }).await
    }

    /// Uploads a file, streamed from disk in bounded memory (`POST /documents`). The file is
    /// re-opened if the request has to be sent again.
    ///
    #[doc = example!("", "sign().upload_document_file(\"application/pdf\", \"contract.pdf\")")]
    #[maybe_async]
    pub async fn upload_document_file(
        &self,
        content_type: &str,
        path: impl AsRef<Path>,
    ) -> Result<PostDocumentResponse, Error> {
        let path = path.as_ref().to_owned();
        let content_type = content_type.to_owned();
        self.upload(Body::File { content_type, path }).await
    }

    #[doc = concat!(
        "Uploads a document read from ",
        flavour!(reader_kind),
        ", streamed in bounded memory (`POST /documents`). Pass `length` when you know it ",
        "(it is sent as `Content-Length`; otherwise the body is chunked). A reader is sent at ",
        "most once: this upload is never retried."
    )]
    ///
    #[doc = example!(
        flavour!(reader_setup),
        "sign().upload_document_reader(\"application/pdf\", reader, None)"
    )]
    #[maybe_async]
    pub async fn upload_document_reader(
        &self,
        content_type: &str,
        reader: impl super::UploadReader,
        length: Option<u64>,
    ) -> Result<PostDocumentResponse, Error> {
        self.upload(reader.into_body(content_type, length)).await
    }

    #[maybe_async]
    pub(crate) async fn upload(&self, body: Body) -> Result<PostDocumentResponse, Error> {
        let spec = spec("upload_document", Method::Post)
            .path("documents")
            .body(body)?;
        self.client.json(spec).await
    }

    /// Downloads a stored document (`GET /documents/{documentId}`): exactly the uploaded
    /// bytes. Bounded by `max_download_bytes`; use [`Sign::get_document_stream`] for large files.
    ///
    #[doc = example!("", "sign().get_document(\"document-id\")")]
    #[maybe_async]
    pub async fn get_document(&self, document_id: &str) -> Result<Vec<u8>, Error> {
        let spec = document("get_document", Method::Get, document_id)?;
        self.client.bytes(spec).await
    }

    /// Downloads a stored document as a body you read incrementally, in bounded memory.
    ///
    #[doc = example!("", "sign().get_document_stream(\"document-id\")")]
    #[maybe_async]
    pub async fn get_document_stream(&self, document_id: &str) -> Result<ResponseBody, Error> {
        let spec = document("get_document", Method::Get, document_id)?;
        Ok(self.client.execute(&spec).await?.body)
    }

    /// Everything stored about a document except its content
    /// (`GET /documents/{documentId}/metadata`).
    ///
    #[doc = example!("", "sign().get_document_info(\"document-id\")")]
    #[maybe_async]
    pub async fn get_document_info(&self, document_id: &str) -> Result<Document, Error> {
        let spec = document("get_document_info", Method::Get, document_id)?.path("metadata");
        self.client.json(spec).await
    }

    /// Sets descriptive metadata on a stored document
    /// (`PATCH /documents/{documentId}/metadata`). Unset fields are not sent.
    ///
    #[doc = example!(
        "let update = signicat_dem::models::UpdateDocument { title: Some(\"Invoice #001\".into()), ..Default::default() };\n",
        "sign().update_document_metadata(\"document-id\", &update)"
    )]
    #[maybe_async]
    pub async fn update_document_metadata(
        &self,
        document_id: &str,
        update: &UpdateDocument,
    ) -> Result<Document, Error> {
        let spec = document("update_document_metadata", Method::Patch, document_id)?
            .path("metadata")
            .json(update)?;
        self.client.json(spec).await
    }

    /// Permanently deletes a document and its metadata (`DELETE /documents/{documentId}`).
    ///
    #[doc = example!("", "sign().delete_document(\"document-id\")")]
    #[maybe_async]
    pub async fn delete_document(&self, document_id: &str) -> Result<(), Error> {
        let spec = document("delete_document", Method::Delete, document_id)?;
        self.client.empty(spec).await
    }

    /// Creates a document collection (`POST /document-collections`).
    ///
    /// With a client-chosen `id` the create is safe to retry: if a retried attempt answers
    /// 409 because an earlier attempt already created it, the stored collection is fetched
    /// and returned.
    ///
    #[doc = example!(
        "use signicat_dem::models::{DocumentCollection, DocumentReference};\nlet collection = DocumentCollection::new(vec![DocumentReference::new(\"document-id\")]);\n",
        "sign().create_document_collection(&collection)"
    )]
    #[maybe_async]
    pub async fn create_document_collection(
        &self,
        collection: &DocumentCollection,
    ) -> Result<DocumentCollection, Error> {
        if collection.documents.is_empty() {
            return Err(Error::invalid(
                "documents",
                "a collection needs at least one document",
            ));
        }
        let client_id = collection.id.as_deref().filter(|id| !id.is_empty());
        let spec = spec("create_document_collection", Method::Post)
            .path("document-collections")
            .json(collection)?
            .idempotent(client_id.is_some());
        match (self.client.json(spec).await, client_id) {
            (Err(e), Some(id)) if e.status() == Some(409) && e.attempts() > 1 => {
                self.get_document_collection(id).await
            }
            (result, _) => result,
        }
    }

    /// Fetches a document collection (`GET /document-collections/{documentCollectionId}`).
    ///
    #[doc = example!("", "sign().get_document_collection(\"collection-id\")")]
    #[maybe_async]
    pub async fn get_document_collection(
        &self,
        document_collection_id: &str,
    ) -> Result<DocumentCollection, Error> {
        let spec = collection(
            "get_document_collection",
            Method::Get,
            document_collection_id,
        )?;
        self.client.json(spec).await
    }

    /// Deletes a document collection (`DELETE /document-collections/{documentCollectionId}`).
    /// Its documents are not deleted.
    ///
    #[doc = example!("", "sign().delete_document_collection(\"collection-id\")")]
    #[maybe_async]
    pub async fn delete_document_collection(
        &self,
        document_collection_id: &str,
    ) -> Result<(), Error> {
        let spec = collection(
            "delete_document_collection",
            Method::Delete,
            document_collection_id,
        )?;
        self.client.empty(spec).await
    }

    /// Creates signing sessions (`POST /signing-sessions`, a JSON array) and returns the
    /// created sessions, in order, with their `id`, `signatureUrl` and `lifecycle`.
    ///
    /// The batch is all-or-nothing. When every session carries a client-chosen `id` the
    /// create is safe to retry: a 409 on a retried attempt is resolved by fetching them.
    ///
    #[doc = example!(
        "use signicat_dem::models::*;\nlet session = SigningSession::new(\n    \"Employment contract\",\n    vec![SessionDocument::sign(\"collection-id\", \"document-id\")],\n    vec![SigningSetup::new(SigningFlow::AuthenticationBased, [\"nbid\"])],\n);\n",
        "sign().create_signing_session(&[session])"
    )]
    #[maybe_async]
    pub async fn create_signing_session(
        &self,
        sessions: &[SigningSession],
    ) -> Result<Vec<SigningSession>, Error> {
        if sessions.is_empty() {
            return Err(Error::invalid(
                "sessions",
                "at least one signing session is needed",
            ));
        }
        let ids: Option<Vec<&str>> = sessions
            .iter()
            .map(|s| s.id.as_deref().filter(|id| !id.is_empty()))
            .collect();
        let spec = spec("create_signing_session", Method::Post)
            .path("signing-sessions")
            .json(sessions)?
            .idempotent(ids.is_some());
        match (self.client.json(spec).await, ids) {
            (Err(e), Some(ids)) if e.status() == Some(409) && e.attempts() > 1 => {
                let mut created = Vec::with_capacity(ids.len());
                for id in ids {
                    created.push(self.get_signing_session(id).await?);
                }
                Ok(created)
            }
            (result, _) => result,
        }
    }

    /// Fetches a signing session (`GET /signing-sessions/{sessionId}`).
    ///
    #[doc = example!("", "sign().get_signing_session(\"session-id\")")]
    #[maybe_async]
    pub async fn get_signing_session(&self, session_id: &str) -> Result<SigningSession, Error> {
        let spec = session("get_signing_session", Method::Get, session_id)?;
        self.client.json(spec).await
    }

    /// Polls a signing session until its state is final (`SIGNED` or `REJECTED`, or the
    /// server's `stateIsFinal`), with exponential backoff. At the deadline it returns an
    /// error whose `is_timeout()` is true and whose `last_session()` is the last state seen.
    /// Transient failures while polling are retried by the client's retry policy.
    ///
    #[doc = example!(
        "let wait = signicat_dem::WaitOptions::new().timeout(std::time::Duration::from_secs(600));\n",
        "sign().wait_for_signing_session(\"session-id\", wait)"
    )]
    #[maybe_async]
    pub async fn wait_for_signing_session(
        &self,
        session_id: &str,
        options: WaitOptions,
    ) -> Result<SigningSession, Error> {
        let start = std::time::Instant::now();
        let mut polls = 0u32;
        loop {
            let session = self.get_signing_session(session_id).await?;
            if session.is_final() {
                return Ok(session);
            }
            let elapsed = start.elapsed();
            if elapsed >= options.timeout {
                return Err(Error::new(ErrorKind::StillPending {
                    after: elapsed,
                    session: Box::new(session),
                })
                .with_operation("wait_for_signing_session"));
            }
            super::sleep(options.pause(polls, options.timeout - elapsed)).await;
            polls += 1;
        }
    }

    /// One page of signing sessions (`GET /signing-sessions?limit&offset&sort`).
    ///
    #[doc = example!(
        "use signicat_dem::models::{ListSigningSessions, SessionSort};\nlet params = ListSigningSessions::new().limit(50).sort(SessionSort::desc(\"createdAt\"));\n",
        "sign().list_signing_sessions(&params)"
    )]
    #[maybe_async]
    pub async fn list_signing_sessions(
        &self,
        params: &ListSigningSessions,
    ) -> Result<PaginatedSigningSessionResponse, Error> {
        let query = params
            .to_query()
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        let spec = spec("list_signing_sessions", Method::Get)
            .path("signing-sessions")
            .query(query);
        self.client.json(spec).await
    }

    /// Every signing session of a listing, fetched lazily page by page (`limit` from
    /// `params`, 100 when unset; starting at `params.offset`); stops on a short or empty page.
    ///
    #[doc = pages_example!("sign().list_all_signing_sessions(&signicat_dem::models::ListSigningSessions::new())")]
    pub fn list_all_signing_sessions(
        &self,
        params: &ListSigningSessions,
    ) -> SigningSessionPages<T> {
        SigningSessionPages::sessions(self.client.clone(), params)
    }

    /// Deletes a signing session (`DELETE /signing-sessions/{sessionId}`).
    ///
    #[doc = example!("", "sign().delete_signing_session(\"session-id\")")]
    #[maybe_async]
    pub async fn delete_signing_session(&self, session_id: &str) -> Result<(), Error> {
        let spec = session("delete_signing_session", Method::Delete, session_id)?;
        self.client.empty(spec).await
    }
}
