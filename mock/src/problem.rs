//! RFC 7807 problem documents (`application/problem+json`) in Signicat's shape.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use serde_json::{Value, json};

/// Media type of every error answer of the Sign and DEM routes.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error answer under construction.
#[derive(Debug, Clone)]
pub struct Problem {
    status: StatusCode,
    code: &'static str,
    title: &'static str,
    detail: String,
    invalid_params: Vec<(String, String)>,
    headers: Vec<(header::HeaderName, String)>,
}

impl Problem {
    fn new(
        status: StatusCode,
        code: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Problem {
            status,
            code,
            title,
            detail: detail.into(),
            invalid_params: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// 400 with one or more invalid parameters.
    pub fn validation(params: Vec<(String, String)>) -> Self {
        let detail = match params.first() {
            Some((name, reason)) if params.len() == 1 => {
                format!("invalid parameter `{name}`: {reason}")
            }
            Some(_) => format!("{} invalid parameters", params.len()),
            None => "the request is invalid".to_string(),
        };
        let mut p = Problem::new(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "Bad Request",
            detail,
        );
        p.invalid_params = params;
        p
    }

    /// 400 for a single named parameter.
    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Problem::validation(vec![(name.into(), reason.into())])
    }

    /// 400 for a body that is not JSON.
    pub fn malformed_json(err: &serde_json::Error) -> Self {
        let mut p = Problem::new(
            StatusCode::BAD_REQUEST,
            "MALFORMED_JSON",
            "Bad Request",
            format!("the request body is not valid JSON: {err}"),
        );
        p.invalid_params = vec![("body".into(), format!("malformed JSON: {err}"))];
        p
    }

    /// 401 with `WWW-Authenticate: Bearer`.
    pub fn unauthorized(detail: impl Into<String>, error: &str) -> Self {
        let mut p = Problem::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Unauthorized",
            detail,
        );
        p.headers.push((
            header::WWW_AUTHENTICATE,
            format!("Bearer realm=\"signicat-dem-mock\", error=\"{error}\""),
        ));
        p
    }

    /// 404 for an unknown resource id.
    pub fn not_found(what: &str, id: &str) -> Self {
        Problem::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Not Found",
            format!("{what} `{id}` does not exist"),
        )
    }

    /// 404 for an unknown route.
    pub fn no_route(method: &str, path: &str) -> Self {
        Problem::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Not Found",
            format!("no route for {method} {path}"),
        )
    }

    /// 405 with an `Allow` header.
    pub fn method_not_allowed(method: &str, allow: &[&str]) -> Self {
        let mut p = Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Method Not Allowed",
            format!(
                "method {method} is not allowed here; allowed: {}",
                allow.join(", ")
            ),
        );
        p.headers.push((header::ALLOW, allow.join(", ")));
        p
    }

    /// 409 for an id that already exists.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::CONFLICT, "CONFLICT", "Conflict", detail)
    }

    /// 413 for a body over the configured limit.
    pub fn too_large(limit: usize) -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "Payload Too Large",
            format!("the request body exceeds the limit of {limit} bytes"),
        )
    }

    /// 415 for a missing or unsupported `Content-Type`.
    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Unsupported Media Type",
            detail,
        )
    }

    /// 400 for a request that cannot be read at all.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "Bad Request",
            detail,
        )
    }

    /// An answer for any status, used by injected faults.
    pub fn injected(status: StatusCode) -> Self {
        let (code, title) = match status.as_u16() {
            400 => ("BAD_REQUEST", "Bad Request"),
            401 => ("UNAUTHORIZED", "Unauthorized"),
            403 => ("FORBIDDEN", "Forbidden"),
            404 => ("NOT_FOUND", "Not Found"),
            408 => ("REQUEST_TIMEOUT", "Request Timeout"),
            409 => ("CONFLICT", "Conflict"),
            429 => ("TOO_MANY_REQUESTS", "Too Many Requests"),
            500 => ("INTERNAL_ERROR", "Internal Server Error"),
            502 => ("BAD_GATEWAY", "Bad Gateway"),
            503 => ("SERVICE_UNAVAILABLE", "Service Unavailable"),
            504 => ("GATEWAY_TIMEOUT", "Gateway Timeout"),
            s if s >= 500 => ("INTERNAL_ERROR", "Server Error"),
            _ => ("INJECTED_FAULT", "Injected Fault"),
        };
        Problem::new(status, code, title, "fault injected by signicat-dem-mock")
    }

    /// The JSON document.
    pub fn body(&self) -> Value {
        let mut v = json!({
            "type": format!("https://signicat-dem-mock/problems/{}", self.code.to_ascii_lowercase().replace('_', "-")),
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
            "code": self.code,
            "traceId": trace_id(),
        });
        if !self.invalid_params.is_empty() || self.code == "VALIDATION_ERROR" {
            v["invalidParams"] = Value::Array(
                self.invalid_params
                    .iter()
                    .map(|(n, r)| json!({"name": n, "reason": r}))
                    .collect(),
            );
        }
        v
    }

    /// Renders the problem as a response.
    pub fn into_response(self) -> Response<Body> {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut resp = Response::new(Body::from(body));
        *resp.status_mut() = self.status;
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().append(name, v);
            }
        }
        resp
    }
}

impl axum::response::IntoResponse for Problem {
    fn into_response(self) -> axum::response::Response {
        Problem::into_response(self)
    }
}

/// A fresh random trace id (32 lowercase hex digits).
pub fn trace_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
