//! Route table of the API side (Sign, DEM, token): resolves the raw path into a route, answers
//! 404/405, checks the bearer token and calls the handler of the configured mode.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, Response, header};

use crate::Mode;
use crate::pipeline::ReadBody;
use crate::problem::Problem;
use crate::state::{App, lock};
use crate::wire::{Req, decode_segments};

/// One API operation (path parameters percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/sign/documents`
    Documents,
    /// `/sign/documents/{documentId}`
    Document(String),
    /// `/sign/documents/{documentId}/metadata`
    DocumentMetadata(String),
    /// `/sign/document-collections`
    Collections,
    /// `/sign/document-collections/{id}`
    Collection(String),
    /// `/sign/signing-sessions`
    Sessions,
    /// `/sign/signing-sessions/{id}`
    Session(String),
    /// `/dem/.ping`
    Ping,
    /// `/dem/info`
    Info,
    /// `/dem/info/custom-fields`
    CustomFields,
    /// `/dem/info/custom-fields/{type}`
    CustomFieldsOfType(String),
    /// `/dem/records`
    Records,
    /// `/dem/records/{id}`
    Record(String),
    /// `/dem/records/query`
    RecordsQuery,
    /// `/dem/reports/{id}`
    Report(String),
    /// `/auth/open/connect/token`
    Token,
}

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_DELETE: &[&str] = &["GET", "DELETE"];
const GET_PATCH: &[&str] = &["GET", "PATCH"];
const GET_POST: &[&str] = &["GET", "POST"];
const POST_PATCH: &[&str] = &["POST", "PATCH"];

/// Resolves decoded path segments (and the method, for `/dem/records/query`).
fn resolve(method: &Method, segs: &[String]) -> Option<(Route, &'static [&'static str])> {
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    // An empty path parameter is never an id.
    let id = |x: &str| (!x.is_empty()).then(|| x.to_string());
    let r = match s.as_slice() {
        ["sign", "documents"] => (Route::Documents, POST),
        ["sign", "documents", d] => (Route::Document(id(d)?), GET_DELETE),
        ["sign", "documents", d, "metadata"] => (Route::DocumentMetadata(id(d)?), GET_PATCH),
        ["sign", "document-collections"] => (Route::Collections, POST),
        ["sign", "document-collections", c] => (Route::Collection(id(c)?), GET_DELETE),
        ["sign", "signing-sessions"] => (Route::Sessions, GET_POST),
        ["sign", "signing-sessions", x] => (Route::Session(id(x)?), GET_DELETE),
        ["dem", ".ping"] => (Route::Ping, GET),
        ["dem", "info"] => (Route::Info, GET),
        ["dem", "info", "custom-fields"] => (Route::CustomFields, GET),
        ["dem", "info", "custom-fields", t] => (Route::CustomFieldsOfType(id(t)?), GET),
        ["dem", "records"] => (Route::Records, POST_PATCH),
        // `query` is the query operation for POST; any other method treats it as a record id.
        ["dem", "records", "query"] if method == Method::POST => (Route::RecordsQuery, POST),
        ["dem", "records", r] => (Route::Record(id(r)?), GET_PATCH),
        ["dem", "reports", r] => (Route::Report(id(r)?), GET),
        ["auth", "open", "connect", "token"] => (Route::Token, POST),
        _ => return None,
    };
    Some(r)
}

/// The fallback handler of the API router.
pub(crate) async fn dispatch(State(app): State<App>, req: Request) -> Response<Body> {
    let (parts, _) = req.into_parts();
    let body = parts
        .extensions
        .get::<ReadBody>()
        .cloned()
        .unwrap_or(ReadBody {
            bytes: Default::default(),
            too_large: None,
        });
    let raw_path = parts.uri.path().to_string();
    let segs = decode_segments(&raw_path);
    let Some((route, allowed)) = resolve(&parts.method, &segs) else {
        return Problem::no_route(parts.method.as_str(), &raw_path).into_response();
    };
    if !allowed.contains(&parts.method.as_str()) {
        return Problem::method_not_allowed(parts.method.as_str(), allowed).into_response();
    }
    let mut req = Req {
        method: parts.method,
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
        body: body.bytes,
        too_large: body.too_large,
        client_id: String::new(),
    };
    if route == Route::Token {
        return crate::token::handle(&app, &req);
    }
    match authenticate(&app, &req) {
        Ok(client) => req.client_id = client,
        Err(p) => return p.into_response(),
    }
    let result = match app.config.mode {
        Mode::Stateful => match route {
            Route::Documents
            | Route::Document(_)
            | Route::DocumentMetadata(_)
            | Route::Collections
            | Route::Collection(_)
            | Route::Sessions
            | Route::Session(_) => crate::sign::handle(&app, route, &req),
            _ => crate::dem::handle(&app, route, &req),
        },
        Mode::Examples => crate::examples::handle(&app, route, &req),
    };
    result.unwrap_or_else(Problem::into_response)
}

/// Checks `Authorization: Bearer <token>`; answers the client id the token belongs to.
fn authenticate(app: &App, req: &Req) -> Result<String, Problem> {
    let Some(value) = req.headers.get(header::AUTHORIZATION) else {
        return Err(Problem::unauthorized(
            "missing Authorization header; send `Authorization: Bearer <token>`",
            "invalid_request",
        ));
    };
    let value = String::from_utf8_lossy(value.as_bytes());
    let value = value.trim();
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(Problem::unauthorized(
                "the Authorization header must use the Bearer scheme",
                "invalid_request",
            ));
        }
    };
    if !token.is_empty() && token == app.config.token {
        return Ok("mock-client".to_string());
    }
    let tokens = lock(&app.tokens);
    match tokens.issued.get(token) {
        Some((expires, client)) if Instant::now() < *expires => Ok(client.clone()),
        Some(_) => Err(Problem::unauthorized(
            "the access token has expired",
            "invalid_token",
        )),
        None => Err(Problem::unauthorized(
            "the access token is not valid",
            "invalid_token",
        )),
    }
}
