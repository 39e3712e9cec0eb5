//! Small wire helpers: the request as handlers see it, encodings, responses, JSON checks.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::problem::Problem;

/// A request as the route handlers see it: the body already read (up to the limit).
#[derive(Debug)]
pub(crate) struct Req {
    pub method: Method,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// `Some(limit)` when the body was larger than the limit (then `body` is empty).
    pub too_large: Option<usize>,
    /// The OAuth client the bearer token was issued to (`mock-client` for the static token).
    pub client_id: String,
}

/// Everything except RFC 3986 unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or query value.
pub(crate) fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Splits a raw path into percent-decoded segments (the leading `/` dropped).
pub(crate) fn decode_segments(raw_path: &str) -> Vec<String> {
    raw_path
        .strip_prefix('/')
        .unwrap_or(raw_path)
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect()
}

/// RFC 3339 in UTC with millisecond precision, e.g. `2024-05-01T10:30:00.123Z`.
pub(crate) fn fmt_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Parses an RFC 3339 date-time.
pub(crate) fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A JSON answer.
pub(crate) fn json_response(status: StatusCode, v: &Value) -> Response<Body> {
    let body = serde_json::to_vec(v).unwrap_or_default();
    bytes_response(status, "application/json", body)
}

/// A plain-text answer.
pub(crate) fn text_response(status: StatusCode, text: impl Into<String>) -> Response<Body> {
    bytes_response(
        status,
        "text/plain; charset=utf-8",
        text.into().into_bytes(),
    )
}

/// An answer with a body of the given media type.
pub(crate) fn bytes_response(
    status: StatusCode,
    content_type: &str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut resp = Response::new(Body::from(body.into()));
    *resp.status_mut() = status;
    let ct = HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    resp
}

/// `204 No Content`.
pub(crate) fn no_content() -> Response<Body> {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}

/// The lower-case media type essence of the `Content-Type` header (`None` when absent).
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(header::CONTENT_TYPE)?;
    let s = String::from_utf8_lossy(raw.as_bytes());
    let essence = s
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(essence)
}

fn is_json_media(essence: &str) -> bool {
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a JSON body. `Ok(None)` for an empty body. A present body needs a JSON media type
/// (415 otherwise) and must parse (400 otherwise).
pub(crate) fn json_body(req: &Req) -> Result<Option<Value>, Problem> {
    if let Some(limit) = req.too_large {
        return Err(Problem::too_large(limit));
    }
    if req.body.is_empty() {
        return Ok(None);
    }
    match media_type(&req.headers) {
        Some(m) if is_json_media(&m) => {}
        Some(m) => {
            return Err(Problem::unsupported_media_type(format!(
                "Content-Type `{m}` is not accepted here; send application/json"
            )));
        }
        None => {
            return Err(Problem::unsupported_media_type(
                "a request body needs Content-Type: application/json",
            ));
        }
    }
    serde_json::from_slice(&req.body)
        .map(Some)
        .map_err(|e| Problem::malformed_json(&e))
}

/// Reads a JSON body that must be present.
pub(crate) fn required_json_body(req: &Req) -> Result<Value, Problem> {
    json_body(req)?.ok_or_else(|| Problem::invalid("body", "a JSON request body is required"))
}

/// The query string as decoded form pairs.
pub(crate) fn query_pairs(req: &Req) -> Vec<(String, String)> {
    match &req.query {
        Some(q) => form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        None => Vec::new(),
    }
}

/// An optional integer query parameter within `min..=max`.
pub(crate) fn int_param(
    pairs: &[(String, String)],
    name: &str,
    min: i64,
    max: i64,
    default: i64,
    errs: &mut Vec<(String, String)>,
) -> i64 {
    let Some((_, v)) = pairs.iter().rev().find(|(k, _)| k == name) else {
        return default;
    };
    match v.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => n,
        Ok(_) => {
            errs.push((name.into(), format!("must be between {min} and {max}")));
            default
        }
        Err(_) => {
            errs.push((name.into(), format!("must be an integer, got `{v}`")));
            default
        }
    }
}

/// JSON type name for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Joins a parameter prefix and a key: `("[1]", "title")` → `[1].title`, `("", "title")` → `title`.
pub(crate) fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Collects `(name, reason)` validation errors while walking a JSON body.
#[derive(Debug, Default)]
pub(crate) struct Errors(pub Vec<(String, String)>);

impl Errors {
    pub fn push(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.0.push((name.into(), reason.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_problem(self) -> Problem {
        Problem::validation(self.0)
    }

    /// A required object body.
    pub fn object<'a>(&mut self, v: &'a Value, name: &str) -> Option<&'a Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                let n = if name.is_empty() { "body" } else { name };
                self.wrong_type(n.to_owned(), "an object", other)
            }
        }
    }

    /// A string field; `required` decides whether absence is an error. `null` counts as absent
    /// when `nullable`.
    pub fn string(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        nullable: bool,
    ) -> Option<String> {
        let (name, v) = self.field(obj, prefix, key, required, nullable && !required)?;
        match v {
            Value::String(s) => Some(s.clone()),
            other => self.wrong_type(name, "a string", other),
        }
    }

    /// A string field limited to `max` characters.
    pub fn bounded_string(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        max: usize,
    ) -> Option<String> {
        let s = self.string(obj, prefix, key, required, !required)?;
        if s.chars().count() > max {
            self.push(
                join(prefix, key),
                format!("must be at most {max} characters"),
            );
            return None;
        }
        Some(s)
    }

    /// A string restricted to `allowed` values.
    pub fn enum_string(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        allowed: &[&str],
    ) -> Option<String> {
        let s = self.string(obj, prefix, key, required, false)?;
        self.check_enum(&join(prefix, key), &s, allowed)
            .then_some(s)
    }

    /// Checks a value against an enum; records an error when it is not allowed.
    pub fn check_enum(&mut self, name: &str, s: &str, allowed: &[&str]) -> bool {
        if allowed.contains(&s) {
            true
        } else {
            self.push(
                name,
                format!(
                    "unknown value `{s}`; expected one of {}",
                    allowed.join(", ")
                ),
            );
            false
        }
    }

    /// An array field.
    pub fn array<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        non_empty: bool,
    ) -> Option<&'a Vec<Value>> {
        let (name, v) = self.field(obj, prefix, key, required, !required)?;
        match v {
            Value::Array(a) if non_empty && a.is_empty() => {
                self.push(name, "must not be empty");
                None
            }
            Value::Array(a) => Some(a),
            other => self.wrong_type(name, "an array", other),
        }
    }

    /// An array of strings restricted to `allowed` (when given).
    pub fn string_array(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        allowed: Option<&[&str]>,
    ) -> Option<Vec<String>> {
        let a = self.array(obj, prefix, key, false, false)?;
        let name = join(prefix, key);
        let mut out = Vec::new();
        let before = self.0.len();
        for (i, v) in a.iter().enumerate() {
            match v {
                Value::String(s) => {
                    if let Some(allowed) = allowed {
                        self.check_enum(&format!("{name}[{i}]"), s, allowed);
                    }
                    out.push(s.clone());
                }
                other => self.push(
                    format!("{name}[{i}]"),
                    format!("must be a string, got {}", type_name(other)),
                ),
            }
        }
        (self.0.len() == before).then_some(out)
    }

    /// An object field.
    pub fn sub_object<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<&'a Map<String, Value>> {
        let (name, v) = self.field(obj, prefix, key, required, !required)?;
        match v {
            Value::Object(m) => Some(m),
            other => self.wrong_type(name, "an object", other),
        }
    }

    /// A boolean field.
    pub fn boolean(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<bool> {
        let (name, v) = self.field(obj, prefix, key, required, false)?;
        match v {
            Value::Bool(b) => Some(*b),
            other => self.wrong_type(name, "a boolean", other),
        }
    }

    /// An integer field with a minimum.
    pub fn integer(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        min: i64,
    ) -> Option<i64> {
        let (name, v) = self.field(obj, prefix, key, required, false)?;
        match v {
            Value::Number(n) => match n.as_i64() {
                Some(i) if i >= min => Some(i),
                Some(_) => {
                    self.push(name, format!("must be an integer >= {min}"));
                    None
                }
                None => {
                    self.push(name, format!("must be an integer >= {min}, got {n}"));
                    None
                }
            },
            other => self.wrong_type(name, "an integer", other),
        }
    }

    /// Looks up `key`: records "is required" when it is absent and required, and treats
    /// `null` as absent when `null_is_absent`. Returns the field's name and its value.
    fn field<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        null_is_absent: bool,
    ) -> Option<(String, &'a Value)> {
        let name = join(prefix, key);
        match obj.get(key) {
            None => {
                if required {
                    self.push(name, "is required");
                }
                None
            }
            Some(Value::Null) if null_is_absent => None,
            Some(v) => Some((name, v)),
        }
    }

    /// Records that a field has the wrong JSON type.
    fn wrong_type<T>(&mut self, name: String, expected: &str, got: &Value) -> Option<T> {
        self.push(name, format!("must be {expected}, got {}", type_name(got)));
        None
    }
}
