//! Emulator-only control routes under `/__mock/` (no auth; not part of Signicat's API).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use serde_json::json;

use crate::ControlError;
use crate::faults::Fault;
use crate::problem::Problem;
use crate::state::{App, lock};
use crate::wire::{decode_segments, encode_component, json_response, no_content};

const CONTROL_BODY_LIMIT: usize = 1024 * 1024;

fn control_error(e: ControlError) -> Response<Body> {
    match e {
        ControlError::UnknownSession { id } => {
            Problem::not_found("signing session", &id).into_response()
        }
        other => Problem::conflict(other.to_string()).into_response(),
    }
}

/// Handler for every `/__mock` path.
pub(crate) async fn dispatch(State(app): State<App>, req: Request) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, CONTROL_BODY_LIMIT).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => return Problem::too_large(CONTROL_BODY_LIMIT).into_response(),
    };
    let raw_path = parts.uri.path().to_string();
    let segs = decode_segments(&raw_path);
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = &parts.method;
    let allowed: &[&str] = match s.as_slice() {
        ["__mock", "faults"] => {
            if m == Method::POST {
                let fault: Fault = match serde_json::from_slice(&body) {
                    Ok(f) => f,
                    Err(e) => {
                        return Problem::invalid("body", format!("not a fault: {e}"))
                            .into_response();
                    }
                };
                lock(&app.faults).push(fault.clone());
                return json_response(StatusCode::CREATED, &json!(fault));
            } else if m == Method::DELETE {
                lock(&app.faults).clear();
                return no_content();
            } else if m == Method::GET {
                let faults = lock(&app.faults).clone();
                return json_response(StatusCode::OK, &json!(faults));
            }
            &["GET", "POST", "DELETE"]
        }
        ["__mock", "sessions", id, action @ ("sign" | "reject")] => {
            if m == Method::POST {
                let result = if *action == "sign" {
                    crate::sign::sign_session(&app, id)
                } else {
                    crate::sign::reject_session(&app, id)
                };
                return match result {
                    Ok(()) => json_response(
                        StatusCode::OK,
                        &crate::sign::session_json(&app, id).unwrap_or_else(|| json!({})),
                    ),
                    Err(e) => control_error(e),
                };
            }
            &["POST"]
        }
        ["__mock", "reset"] => {
            if m == Method::POST {
                app.reset();
                return no_content();
            }
            &["POST"]
        }
        ["__mock", "journal"] => {
            if m == Method::GET {
                return json_response(StatusCode::OK, &json!(lock(&app.journal).entries()));
            } else if m == Method::DELETE {
                lock(&app.journal).clear();
                return no_content();
            }
            &["GET", "DELETE"]
        }
        ["__mock", "tokens"] => {
            if m == Method::GET {
                return json_response(StatusCode::OK, &json!({"issued": lock(&app.tokens).count}));
            }
            &["GET"]
        }
        ["__mock", "sign"] | ["__mock", "sign", ""] => {
            if m == Method::GET {
                return signing_page(&app, parts.uri.query());
            }
            &["GET"]
        }
        _ => return Problem::no_route(m.as_str(), &raw_path).into_response(),
    };
    Problem::method_not_allowed(m.as_str(), allowed).into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The page behind a session's `signatureUrl`: two buttons that sign or reject it.
fn signing_page(app: &App, query: Option<&str>) -> Response<Body> {
    let id = query
        .map(|q| form_urlencoded::parse(q.as_bytes()))
        .and_then(|mut p| {
            p.find(|(k, _)| k == "sessionId")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    let Some(session) = crate::sign::session_json(app, &id) else {
        return Problem::not_found("signing session", &id).into_response();
    };
    let title = session.get("title").and_then(|t| t.as_str()).unwrap_or("");
    let state = session
        .pointer("/lifecycle/state")
        .and_then(|t| t.as_str())
        .unwrap_or("");
    let enc = encode_component(&id);
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>signicat-dem-mock: sign</title></head><body>\
         <h1>{}</h1><p>Signing session <code>{}</code> is <b>{}</b>.</p>\
         <form method=\"post\" action=\"/__mock/sessions/{enc}/sign\"><button>Sign</button></form>\
         <form method=\"post\" action=\"/__mock/sessions/{enc}/reject\"><button>Reject</button></form>\
         <p><small>Emulator-only page; not part of Signicat's API.</small></p></body></html>",
        html_escape(title),
        html_escape(&id),
        html_escape(state),
    );
    let mut resp = Response::new(Body::from(html));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}
