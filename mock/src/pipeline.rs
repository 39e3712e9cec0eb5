//! The middleware in front of every API route (Sign, DEM, token, unknown routes): reads the
//! body within its limit, records the journal entry and applies injected faults.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use axum::middleware::Next;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};

use crate::faults::{FaultAction, take_matching};
use crate::journal::{JOURNAL_BODY_LIMIT, JournalEntry, mask_credentials};
use crate::problem::Problem;
use crate::state::{App, lock};

/// The body as read by the middleware, handed to the route handlers as a request extension.
#[derive(Debug, Clone)]
pub(crate) struct ReadBody {
    pub bytes: Bytes,
    /// `Some(limit)` when the body exceeded `limit` (then `bytes` is empty).
    pub too_large: Option<usize>,
}

/// After this many bytes beyond the limit the rest of an oversized body is not drained any
/// more (the connection is then closed by hyper after the 413).
const DRAIN_CAP: u64 = 256 * 1024 * 1024;

struct Received {
    body: ReadBody,
    len: u64,
    sha256: String,
    head: Vec<u8>,
    error: Option<String>,
}

async fn read_body(mut body: Body, limit: usize) -> Received {
    let mut buf = BytesMut::new();
    let mut hasher = Sha256::new();
    let mut len: u64 = 0;
    let mut head = Vec::new();
    let mut too_large = false;
    let mut error = None;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        hasher.update(&data);
        len += data.len() as u64;
        if head.len() < JOURNAL_BODY_LIMIT {
            let take = (JOURNAL_BODY_LIMIT - head.len()).min(data.len());
            head.extend_from_slice(&data[..take]);
        }
        if !too_large {
            if buf.len() + data.len() > limit {
                too_large = true;
                buf = BytesMut::new();
            } else {
                buf.extend_from_slice(&data);
            }
        }
        if too_large && len > (limit as u64).saturating_add(DRAIN_CAP) {
            break;
        }
    }
    // Hex by table: a `format!` per byte was a quarter of the emulator's time per request.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let sha256 = hasher
        .finalize()
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
        .map(char::from)
        .collect();
    Received {
        body: ReadBody {
            bytes: if too_large {
                Bytes::new()
            } else {
                buf.freeze()
            },
            too_large: too_large.then_some(limit),
        },
        len,
        sha256,
        head,
        error,
    }
}

/// The middleware (installed with `axum::middleware::from_fn_with_state`).
pub(crate) async fn journal_and_faults(
    State(app): State<App>,
    req: Request,
    next: Next,
) -> Response<Body> {
    let (mut parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();
    let raw_path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    let limit = if parts.method == Method::POST && raw_path == "/sign/documents" {
        app.config.max_document_bytes
    } else {
        app.config.max_json_bytes
    };
    let received = read_body(body, limit).await;
    let headers = parts
        .headers
        .iter()
        .map(|(n, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            let value = if n == header::AUTHORIZATION || n == header::PROXY_AUTHORIZATION {
                mask_credentials(&value)
            } else {
                value
            };
            (n.as_str().to_ascii_lowercase(), value)
        })
        .collect();
    let entry = JournalEntry {
        method: method.clone(),
        path: raw_path.clone(),
        query,
        headers,
        body_len: received.len,
        body_sha256: received.sha256,
        body: received.head,
        status: 0,
    };
    let seq = lock(&app.journal).open(entry);

    let action = take_matching(&mut lock(&app.faults), &method, &raw_path);
    let response = if let Some(err) = received.error {
        Problem::bad_request(format!("the request body could not be read: {err}")).into_response()
    } else {
        parts.extensions.insert(received.body);
        let req = Request::from_parts(parts, Body::empty());
        match action {
            None => next.run(req).await,
            Some(FaultAction::Status {
                status,
                retry_after,
                non_json,
            }) => fault_answer(status, retry_after, non_json),
            Some(FaultAction::Delay { millis }) => {
                tokio::time::sleep(Duration::from_millis(millis)).await;
                next.run(req).await
            }
            Some(FaultAction::CloseAfter { bytes }) => cut_body(next.run(req).await, bytes).await,
        }
    };
    lock(&app.journal).complete(seq, response.status().as_u16());
    response
}

fn fault_answer(status: u16, retry_after: Option<u64>, non_json: bool) -> Response<Body> {
    // Informational statuses cannot be final answers; they (and invalid codes) answer 500.
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(|s| !s.is_informational())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = if non_json {
        let html = format!(
            "<html><head><title>{status}</title></head><body><h1>{status}</h1><p>fault injected by signicat-dem-mock</p></body></html>"
        );
        let mut r = Response::new(Body::from(html));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r
    } else {
        Problem::injected(status).into_response()
    };
    *resp.status_mut() = status;
    if let Some(secs) = retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

/// Sends the first `keep` bytes of the body with the full `Content-Length`, then fails the body
/// stream so hyper aborts the connection.
async fn cut_body(resp: Response<Body>, keep: usize) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    let full = match body.collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let head = full.slice(..keep.min(full.len()));
    // Yield the head, pause so hyper flushes the headers and the head, then fail the body.
    let head =
        futures_util::stream::iter((!head.is_empty()).then_some(Ok::<Bytes, std::io::Error>(head)));
    let abort = futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "signicat-dem-mock: close_after fault",
        ))
    });
    let stream = head.chain(abort);
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    Response::from_parts(parts, Body::from_stream(stream))
}
