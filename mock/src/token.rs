//! `POST /auth/open/connect/token`: the OAuth 2.0 client-credentials grant.
//!
//! Errors here use the OAuth format (`{"error": "invalid_client"}`), not problem documents.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use base64::Engine;
use serde_json::{Value, json};

use crate::state::App;
use crate::wire::{Req, json_response};

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response<Body> {
    let mut resp = json_response(
        status,
        &json!({"error": error, "error_description": description}),
    );
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"signicat-dem-mock\""),
        );
    }
    resp
}

/// Client credentials from HTTP Basic: `id:secret`, each form-urlencoded per RFC 6749 2.3.1.
/// Many clients skip that encoding, so both the decoded and the raw pair are candidates.
fn basic_credentials(req: &Req) -> Option<Vec<(String, String)>> {
    let value = req.headers.get(header::AUTHORIZATION)?;
    let value = String::from_utf8_lossy(value.as_bytes());
    let (scheme, b64) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let (id, secret) = raw.split_once(':')?;
    let dec = |s: &str| {
        form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| s.to_string())
    };
    Some(vec![
        (dec(id), dec(secret)),
        (id.to_string(), secret.to_string()),
    ])
}

pub(crate) fn handle(app: &App, req: &Req) -> Response<Body> {
    if req.too_large.is_some() {
        return oauth_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            "request body too large",
        );
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(&req.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());

    let creds = basic_credentials(req)
        .or_else(|| Some(vec![(field("client_id")?, field("client_secret")?)]));
    let Some(candidates) = creds else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication is required (HTTP Basic or client_id/client_secret)",
        );
    };
    let known = candidates
        .iter()
        .any(|(id, secret)| *id == app.config.client_id && *secret == app.config.client_secret);
    if !known {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client or wrong secret",
        );
    }
    match field("grant_type").as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only client_credentials is supported",
            );
        }
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is required",
            );
        }
    }
    let expires_in = app.config.token_expires_in;
    let token = app.issue_token(&app.config.client_id, expires_in);
    let scope = field("scope").unwrap_or_else(|| "signicat-api".to_string());
    let body: Value = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in.as_secs(),
        "scope": scope,
    });
    let mut resp = json_response(StatusCode::OK, &body);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
