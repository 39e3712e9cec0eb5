//! Evaluator for DEM record queries (`QueryRequestBody`, the body of
//! `POST /records/query` and the `query` field of `PATCH /records`).
//!
//! A query is a JSON object with up to three optional lists of conditions,
//! each condition being `{"field": …, "operator": …, "value": …}`.
//! The reference leaves several points open; this module settles them as
//! follows.
//!
//! # Logic lists
//!
//! * `and`: every condition must hold.
//! * `or`: at least one condition must hold.
//! * `not`: **none** of the conditions may hold (NOR). Signicat documents
//!   `not` as "reserved, currently ignored, planned as NOR"; the emulator
//!   applies the planned NOR semantics.
//! * The lists present are combined with AND: a record matches when it
//!   satisfies the `and` list, the `or` list and the `not` list.
//! * An absent, `null` or empty list imposes nothing (so `"or": []` does not
//!   reject every record). A `null` query or `{}` matches every record.
//! * Unknown top-level keys and unknown keys inside a condition are errors.
//!
//! # Fields
//!
//! * `metadata.<path>`: a value in the caller's metadata. The path is split
//!   on dots and walks nested objects (`metadata.address.city`); a segment
//!   that is a decimal number also indexes into an array
//!   (`metadata.tags.0`). Keys that themselves contain dots cannot be
//!   addressed.
//! * `systemMetadata.<key>`: a value in the DEM-maintained system metadata
//!   (`type`, `auditLevel`, `createdDateTime`, `expiryDate`, `createdBy`,
//!   `createdDate`), walked the same way.
//! * `relations`: the list of the ids of related records (the `relationID`
//!   of each relation; plain strings are accepted too). A record without
//!   relations has the empty list, so this field is never missing.
//! * Conveniences: `id` (the record id) and `type` (same as
//!   `systemMetadata.type`).
//! * Anything else (`coreData.x`, `metadata` alone, `metadata..x`, `foo`) is
//!   rejected by [`validate`] and makes [`matches`] fail.
//!
//! # Operators
//!
//! * `eq` / `ne`: JSON equality, with numbers compared numerically
//!   (`1 == 1.0`, also inside arrays and objects). Strings compare exactly:
//!   two spellings of the same instant are *not* `eq` (use `gte` + `lte`).
//! * `gt` / `gte` / `lt` / `lte`: two numbers compare numerically; two
//!   strings that both parse as RFC 3339 date-times compare as instants
//!   (`"2024-01-01T11:00:00+01:00"` equals `"2024-01-01T10:00:00Z"`);
//!   other pairs of strings compare lexicographically (byte order, which
//!   also orders `YYYY-MM-DD` dates). Any other pair of types (string vs
//!   number, booleans, null, objects) does not match; it is not an error.
//! * `regex`: `value` must be a string holding a valid regular expression
//!   (syntax of the Rust `regex` crate, compiled size limited to 1 MiB). It
//!   matches when it finds a match anywhere in a string field (use `^…$` to
//!   anchor); non-string fields do not match.
//! * `in` / `nin`: `value` must be an array; `in` holds when the field is
//!   `eq` to one of its elements, `nin` when it is `eq` to none of them.
//! * Operator names are lower case; any other operator is an error.
//!
//! # Array fields (MongoDB-like)
//!
//! When the field's value is an array (including `relations`), `eq` holds
//! when the array contains the value *or* equals it as a whole, and `ne` is
//! its negation ("does not contain"); `in` means "contains any", `nin`
//! "contains none". `gt`/`gte`/`lt`/`lte`/`regex` hold when at least one
//! element satisfies them.
//!
//! # Missing fields
//!
//! A field absent from the record makes `eq`, `in`, `gt`, `gte`, `lt`, `lte`
//! and `regex` false and `ne` and `nin` true. A field that is present with
//! the value `null` is not missing: it is `eq` to `null`.
//!
//! # Compilation
//!
//! [`Query::compile`] checks a query once (compiling its regular expressions)
//! and can then be matched against many records; [`matches`] compiles and
//! matches in one call.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use regex::{Regex, RegexBuilder};
use serde_json::{Map, Number, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The operators a condition may use, in the order the reference lists them.
pub const OPERATORS: [&str; 9] = ["eq", "ne", "gt", "gte", "lt", "lte", "regex", "in", "nin"];

/// The logic lists a query may hold.
const LISTS: [&str; 3] = ["and", "or", "not"];

/// Upper bound on the compiled size of a `regex` value, in bytes.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A problem found in a query: which parameter and why.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    /// Name of the faulty parameter, relative to the query body, e.g.
    /// `and[0].operator`, `or[2].value`, `not`, or `query` for the body itself.
    pub field: String,
    /// Human-readable explanation.
    pub reason: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for QueryError {}

/// Validate the shape of a `QueryRequestBody`.
///
/// Accepts `null` (match all) or an object whose only keys are `and`, `or`
/// and `not`, each absent, `null` or an array of conditions. Every condition
/// must be an object with exactly `field` (a supported field path, see the
/// module docs), `operator` (one of [`OPERATORS`]) and `value` (present; an
/// array for `in`/`nin`; a string holding a valid regular expression for
/// `regex`).
///
/// Returns every problem as `(parameter name, reason)`, with names such as
/// `and[0].operator`, `or[2].value`, `not`, `foo` (an unknown key) or
/// `query` (the body is not an object).
pub fn validate(query: &serde_json::Value) -> Result<(), Vec<(String, String)>> {
    let mut problems = Problems::default();
    parse_query(query, &mut problems);
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(problems.0)
    }
}

/// Does this stored record match the query?
///
/// `record` is the stored record JSON (`id`, `metadata`, `systemMetadata`,
/// `relations`, …). Returns the first problem of an invalid query (the one
/// [`validate`] would list first) as an error; see the module docs for the
/// matching rules.
pub fn matches(record: &serde_json::Value, query: &serde_json::Value) -> Result<bool, QueryError> {
    Ok(Query::compile(query)?.matches(record))
}

/// A checked query, ready to be matched against many records.
#[derive(Debug, Clone)]
pub struct Query {
    and: Vec<Condition>,
    or: Vec<Condition>,
    not: Vec<Condition>,
}

impl Query {
    /// Check `query` (see [`validate`]) and compile it; the error is the
    /// first problem found.
    pub fn compile(query: &Value) -> Result<Self, QueryError> {
        let mut problems = Problems::default();
        let parsed = parse_query(query, &mut problems);
        match problems.0.into_iter().next() {
            Some((field, reason)) => Err(QueryError { field, reason }),
            None => Ok(parsed),
        }
    }

    /// Does `record` satisfy the `and`, `or` and `not` lists?
    pub fn matches(&self, record: &Value) -> bool {
        let and_ok = self.and.iter().all(|c| c.holds(record));
        let or_ok = self.or.is_empty() || self.or.iter().any(|c| c.holds(record));
        let not_ok = !self.not.iter().any(|c| c.holds(record));
        and_ok && or_ok && not_ok
    }
}

/// Problems collected while parsing a query.
#[derive(Default)]
struct Problems(Vec<(String, String)>);

impl Problems {
    fn push(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.0.push((name.into(), reason.into()));
    }
}

/// One `{field, operator, value}` condition.
#[derive(Debug, Clone)]
struct Condition {
    field: FieldPath,
    op: Op,
}

impl Condition {
    fn holds(&self, record: &Value) -> bool {
        let value = self.field.resolve(record);
        self.op.holds(value.as_deref())
    }
}

/// Where a condition's field lives in a stored record.
#[derive(Debug, Clone)]
enum FieldPath {
    Id,
    Relations,
    /// `root` is the top-level key (`metadata` or `systemMetadata`).
    Nested {
        root: &'static str,
        path: Vec<String>,
    },
}

impl FieldPath {
    fn parse(field: &str) -> Option<Self> {
        match field {
            "id" => return Some(Self::Id),
            "relations" => return Some(Self::Relations),
            "type" => return Some(Self::nested("systemMetadata", ["type"])),
            _ => {}
        }
        let (root, rest) = field.split_once('.')?;
        let root = match root {
            "metadata" => "metadata",
            "systemMetadata" => "systemMetadata",
            _ => return None,
        };
        let path: Vec<&str> = rest.split('.').collect();
        if path.iter().any(|segment| segment.is_empty()) {
            return None;
        }
        Some(Self::nested(root, path))
    }

    fn nested<'a>(root: &'static str, path: impl IntoIterator<Item = &'a str>) -> Self {
        let path = path.into_iter().map(str::to_owned).collect();
        Self::Nested { root, path }
    }

    /// The field's value on `record`, or `None` when it is missing.
    fn resolve<'r>(&self, record: &'r Value) -> Option<Cow<'r, Value>> {
        match self {
            Self::Id => record.get("id").map(Cow::Borrowed),
            Self::Relations => Some(Cow::Owned(relation_ids(record))),
            Self::Nested { root, path } => {
                let start = record.get(*root)?;
                path.iter()
                    .try_fold(start, |value, segment| step(value, segment))
                    .map(Cow::Borrowed)
            }
        }
    }
}

/// One step of a dotted path: an object key, or an index into an array.
fn step<'r>(value: &'r Value, segment: &str) -> Option<&'r Value> {
    match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The ids of the records related to `record`, as a JSON array of strings.
fn relation_ids(record: &Value) -> Value {
    let Some(Value::Array(relations)) = record.get("relations") else {
        return Value::Array(Vec::new());
    };
    let ids = relations
        .iter()
        .filter_map(|relation| match relation {
            Value::String(_) => Some(relation.clone()),
            Value::Object(map) => map.get("relationID").cloned(),
            _ => None,
        })
        .collect();
    Value::Array(ids)
}

/// An operator with its (checked) operand.
#[derive(Debug, Clone)]
enum Op {
    Eq(Value),
    Ne(Value),
    Compare(Comparison, Value),
    Regex(Regex),
    In(Vec<Value>),
    Nin(Vec<Value>),
}

/// The four ordering operators.
#[derive(Debug, Clone, Copy)]
enum Comparison {
    Gt,
    Gte,
    Lt,
    Lte,
}

impl Comparison {
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Self::Gt => ordering == Ordering::Greater,
            Self::Gte => ordering != Ordering::Less,
            Self::Lt => ordering == Ordering::Less,
            Self::Lte => ordering != Ordering::Greater,
        }
    }
}

impl Op {
    /// Build the operator, or explain why `value` does not suit it.
    fn parse(operator: &str, value: &Value) -> Result<Self, String> {
        let op = match operator {
            "eq" => Self::Eq(value.clone()),
            "ne" => Self::Ne(value.clone()),
            "gt" => Self::Compare(Comparison::Gt, value.clone()),
            "gte" => Self::Compare(Comparison::Gte, value.clone()),
            "lt" => Self::Compare(Comparison::Lt, value.clone()),
            "lte" => Self::Compare(Comparison::Lte, value.clone()),
            "regex" => Self::Regex(compile_regex(value)?),
            "in" => Self::In(array_operand(operator, value)?),
            "nin" => Self::Nin(array_operand(operator, value)?),
            other => return Err(unknown_operator(other)),
        };
        Ok(op)
    }

    /// Does the field value (`None` = missing) satisfy the operator?
    fn holds(&self, field: Option<&Value>) -> bool {
        let Some(field) = field else {
            return matches!(self, Self::Ne(_) | Self::Nin(_));
        };
        match self {
            Self::Eq(value) => field_eq(field, value),
            Self::Ne(value) => !field_eq(field, value),
            Self::Compare(cmp, value) => any_element(field, |f| {
                compare(f, value).is_some_and(|ordering| cmp.accepts(ordering))
            }),
            Self::Regex(re) => any_element(field, |f| f.as_str().is_some_and(|s| re.is_match(s))),
            Self::In(values) => values.iter().any(|v| field_eq(field, v)),
            Self::Nin(values) => !values.iter().any(|v| field_eq(field, v)),
        }
    }
}

fn unknown_operator(operator: &str) -> String {
    format!(
        "unknown operator '{operator}'; expected one of {}",
        OPERATORS.join(", ")
    )
}

fn compile_regex(value: &Value) -> Result<Regex, String> {
    let pattern = value
        .as_str()
        .ok_or("must be a string holding a regular expression for operator 'regex'")?;
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regular expression: {e}"))
}

fn array_operand(operator: &str, value: &Value) -> Result<Vec<Value>, String> {
    value
        .as_array()
        .cloned()
        .ok_or_else(|| format!("must be an array for operator '{operator}'"))
}

/// Does `check` hold for the field, or (for an array field) for any element?
fn any_element(field: &Value, check: impl Fn(&Value) -> bool) -> bool {
    match field {
        Value::Array(items) => items.iter().any(check),
        other => check(other),
    }
}

/// `eq` on a field: equality, or containment when the field is an array.
fn field_eq(field: &Value, value: &Value) -> bool {
    json_eq(field, value)
        || field
            .as_array()
            .is_some_and(|items| items.iter().any(|i| json_eq(i, value)))
}

/// JSON equality where numbers compare numerically at every depth.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_cmp(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(i, j)| json_eq(i, j))
        }
        (Value::Object(x), Value::Object(y)) => objects_eq(x, y),
        _ => a == b,
    }
}

fn objects_eq(x: &Map<String, Value>, y: &Map<String, Value>) -> bool {
    x.len() == y.len()
        && x.iter()
            .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
}

/// Order two values for `gt`/`gte`/`lt`/`lte`; `None` when incomparable.
fn compare(field: &Value, value: &Value) -> Option<Ordering> {
    match (field, value) {
        (Value::Number(x), Value::Number(y)) => number_cmp(x, y),
        (Value::String(x), Value::String(y)) => Some(string_cmp(x, y)),
        _ => None,
    }
}

/// Instants when both strings are RFC 3339 date-times, else byte order.
fn string_cmp(x: &str, y: &str) -> Ordering {
    match (parse_instant(x), parse_instant(y)) {
        (Some(a), Some(b)) => a.cmp(&b),
        _ => x.cmp(y),
    }
}

fn parse_instant(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Numeric order: exact for integers, IEEE for anything with a fraction.
fn number_cmp(x: &Number, y: &Number) -> Option<Ordering> {
    match (as_integer(x), as_integer(y)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
    }
}

fn as_integer(n: &Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

/// Parse a whole query, recording every problem in `problems`.
fn parse_query(query: &Value, problems: &mut Problems) -> Query {
    let mut parsed = Query {
        and: Vec::new(),
        or: Vec::new(),
        not: Vec::new(),
    };
    let map = match query {
        Value::Null => return parsed,
        Value::Object(map) => map,
        _ => {
            problems.push("query", "must be a JSON object (or null)");
            return parsed;
        }
    };
    for (key, value) in map {
        match key.as_str() {
            "and" => parsed.and = parse_list(key, value, problems),
            "or" => parsed.or = parse_list(key, value, problems),
            "not" => parsed.not = parse_list(key, value, problems),
            _ => problems.push(key.as_str(), unknown_key("query", &LISTS)),
        }
    }
    parsed
}

fn unknown_key(context: &str, expected: &[&str]) -> String {
    format!("unknown {context} key; expected {}", expected.join(", "))
}

/// Parse one logic list (`null` or an array of conditions).
fn parse_list(name: &str, value: &Value, problems: &mut Problems) -> Vec<Condition> {
    let items = match value {
        Value::Null => return Vec::new(),
        Value::Array(items) => items,
        _ => {
            problems.push(name, "must be an array of conditions");
            return Vec::new();
        }
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| parse_condition(&format!("{name}[{i}]"), item, problems))
        .collect()
}

/// Parse one condition; `None` (with problems recorded) when it is invalid.
fn parse_condition(name: &str, item: &Value, problems: &mut Problems) -> Option<Condition> {
    let Some(map) = item.as_object() else {
        problems.push(name, "must be an object with field, operator and value");
        return None;
    };
    for key in map
        .keys()
        .filter(|k| !["field", "operator", "value"].contains(&k.as_str()))
    {
        problems.push(
            format!("{name}.{key}"),
            unknown_key("condition", &["field", "operator", "value"]),
        );
    }
    let field = parse_field(name, map.get("field"), problems);
    let operator = parse_operator(name, map.get("operator"), problems);
    let value = map.get("value");
    if value.is_none() {
        problems.push(format!("{name}.value"), "is required");
    }
    let op = match Op::parse(operator?, value?) {
        Ok(op) => op,
        Err(reason) => {
            problems.push(format!("{name}.value"), reason);
            return None;
        }
    };
    Some(Condition { field: field?, op })
}

fn parse_field(name: &str, field: Option<&Value>, problems: &mut Problems) -> Option<FieldPath> {
    let param = format!("{name}.field");
    let text = match field {
        None => {
            problems.push(param, "is required");
            return None;
        }
        Some(Value::String(text)) if !text.is_empty() => text,
        Some(_) => {
            problems.push(param, "must be a non-empty string");
            return None;
        }
    };
    let path = FieldPath::parse(text);
    if path.is_none() {
        problems.push(
            param,
            format!(
                "unsupported field '{text}'; expected metadata.<key>, systemMetadata.<key>, \
                 relations, id or type"
            ),
        );
    }
    path
}

fn parse_operator<'q>(
    name: &str,
    operator: Option<&'q Value>,
    problems: &mut Problems,
) -> Option<&'q str> {
    let param = format!("{name}.operator");
    match operator {
        None => problems.push(param, "is required"),
        Some(Value::String(op)) if OPERATORS.contains(&op.as_str()) => return Some(op),
        Some(Value::String(op)) => problems.push(param, unknown_operator(op)),
        Some(_) => problems.push(param, "must be a string"),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Value {
        json!({
            "id": "11111111-1111-4111-8111-111111111111",
            "metadata": {
                "firstName": "Ola",
                "lastName": "Nordmann",
                "age": 42,
                "score": 7.5,
                "active": true,
                "nothing": null,
                "tags": ["vip", "nordic", 3],
                "address": {"city": "Oslo", "zip": "0150", "geo": {"lat": 59.9}},
                "signedAt": "2024-03-01T12:00:00+01:00",
                "day": "2024-03-01"
            },
            "systemMetadata": {
                "type": "GDPR",
                "auditLevel": "QUALIFIED",
                "createdDateTime": "2024-01-01T10:00:00Z",
                "expiryDate": "2024-12-31T10:00:00Z",
                "createdBy": "client-1",
                "createdDate": "2024-01-01"
            },
            "relations": [
                {"relationID": "rel-a", "type": "GDPR", "_links": {}},
                {"relationID": "rel-b", "type": "KYC", "_links": {}}
            ],
            "coreData": {"secret": "x"}
        })
    }

    /// Match `record()` against a single `and` condition.
    fn check(field: &str, operator: &str, value: Value) -> bool {
        let query = json!({"and": [{"field": field, "operator": operator, "value": value}]});
        matches(&record(), &query).expect("valid query")
    }

    fn error(query: Value) -> QueryError {
        matches(&record(), &query).expect_err("invalid query")
    }

    fn names(query: Value) -> Vec<String> {
        let problems = validate(&query).expect_err("invalid query");
        problems.into_iter().map(|(name, _)| name).collect()
    }

    // --- eq / ne -------------------------------------------------------

    #[test]
    fn eq_matches_strings_numbers_bools_null() {
        assert!(check("metadata.firstName", "eq", json!("Ola")));
        assert!(check("metadata.age", "eq", json!(42)));
        assert!(check("metadata.age", "eq", json!(42.0)));
        assert!(check("metadata.score", "eq", json!(7.5)));
        assert!(check("metadata.active", "eq", json!(true)));
        assert!(check("metadata.nothing", "eq", Value::Null));
    }

    #[test]
    fn eq_non_match_and_type_mismatch() {
        assert!(!check("metadata.firstName", "eq", json!("Kari")));
        assert!(!check("metadata.firstName", "eq", json!("ola")));
        assert!(!check("metadata.age", "eq", json!("42")));
        assert!(!check("metadata.age", "eq", json!(43)));
        assert!(!check("metadata.active", "eq", json!("true")));
    }

    #[test]
    fn eq_missing_field_is_false_even_for_null() {
        assert!(!check("metadata.missing", "eq", json!("x")));
        assert!(!check("metadata.missing", "eq", Value::Null));
        assert!(!check("metadata.firstName.deeper", "eq", json!("x")));
    }

    #[test]
    fn eq_compares_objects_and_arrays_numerically() {
        assert!(check("metadata.address.geo", "eq", json!({"lat": 59.9})));
        assert!(!check(
            "metadata.address.geo",
            "eq",
            json!({"lat": 59.9, "lon": 10.7})
        ));
        assert!(check("metadata.tags", "eq", json!(["vip", "nordic", 3.0])));
        assert!(!check("metadata.tags", "eq", json!(["vip", "nordic"])));
    }

    #[test]
    fn eq_on_array_field_means_contains() {
        assert!(check("metadata.tags", "eq", json!("vip")));
        assert!(check("metadata.tags", "eq", json!(3.0)));
        assert!(!check("metadata.tags", "eq", json!("gold")));
    }

    #[test]
    fn eq_does_not_unify_date_spellings() {
        assert!(!check(
            "systemMetadata.createdDateTime",
            "eq",
            json!("2024-01-01T11:00:00+01:00")
        ));
        assert!(check(
            "systemMetadata.createdDateTime",
            "eq",
            json!("2024-01-01T10:00:00Z")
        ));
    }

    #[test]
    fn ne_semantics() {
        assert!(check("metadata.firstName", "ne", json!("Kari")));
        assert!(!check("metadata.firstName", "ne", json!("Ola")));
        assert!(!check("metadata.age", "ne", json!(42.0)));
        assert!(check("metadata.age", "ne", json!("42")));
        assert!(check("metadata.missing", "ne", json!("x")));
        assert!(check("metadata.missing", "ne", Value::Null));
        assert!(!check("metadata.tags", "ne", json!("vip")));
        assert!(check("metadata.tags", "ne", json!("gold")));
    }

    // --- gt / gte / lt / lte --------------------------------------------

    #[test]
    fn comparisons_on_numbers() {
        assert!(check("metadata.age", "gt", json!(41)));
        assert!(!check("metadata.age", "gt", json!(42)));
        assert!(check("metadata.age", "gte", json!(42)));
        assert!(check("metadata.age", "gte", json!(41.5)));
        assert!(!check("metadata.age", "gte", json!(42.5)));
        assert!(check("metadata.age", "lt", json!(42.1)));
        assert!(!check("metadata.age", "lt", json!(42)));
        assert!(check("metadata.age", "lte", json!(42.0)));
        assert!(!check("metadata.age", "lte", json!(-1)));
        assert!(check("metadata.score", "lt", json!(8)));
    }

    #[test]
    fn comparisons_on_large_integers_are_exact() {
        let rec = json!({"metadata": {"big": u64::MAX, "neg": i64::MIN}});
        let q = |field: &str, op: &str, v: Value| json!({"and": [{"field": field, "operator": op, "value": v}]});
        assert!(matches(&rec, &q("metadata.big", "gt", json!(u64::MAX - 1))).unwrap_or(false));
        assert!(matches(&rec, &q("metadata.big", "gt", json!(-1))).unwrap_or(false));
        assert!(matches(&rec, &q("metadata.neg", "lt", json!(0u64))).unwrap_or(false));
    }

    #[test]
    fn comparisons_on_strings_are_lexicographic() {
        assert!(check("metadata.lastName", "gt", json!("A")));
        assert!(check("metadata.lastName", "lt", json!("O")));
        assert!(!check("metadata.lastName", "lt", json!("N")));
        assert!(check("metadata.lastName", "gte", json!("Nordmann")));
        assert!(check("metadata.lastName", "lte", json!("Nordmann")));
        assert!(check("metadata.day", "gte", json!("2024-02-28")));
        assert!(!check("metadata.day", "gt", json!("2024-03-01")));
    }

    #[test]
    fn comparisons_on_dates_use_instants() {
        let field = "systemMetadata.createdDateTime";
        assert!(check(field, "gte", json!("2024-01-01T00:00:00Z")));
        assert!(!check(field, "lt", json!("2024-01-01T00:00:00Z")));
        // Same instant, other offset: lexicographically smaller, equal as instants.
        assert!(check(field, "gte", json!("2024-01-01T11:00:00+01:00")));
        assert!(check(field, "lte", json!("2024-01-01T11:00:00+01:00")));
        assert!(!check(field, "gt", json!("2024-01-01T11:00:00+01:00")));
        // 12:00+01:00 is 11:00Z, which is after 10:30Z.
        assert!(check(
            "metadata.signedAt",
            "gt",
            json!("2024-03-01T10:30:00Z")
        ));
        assert!(check(field, "lt", json!("2024-01-01T10:00:00.5Z")));
    }

    #[test]
    fn comparisons_missing_and_mismatched_are_false() {
        for op in ["gt", "gte", "lt", "lte"] {
            assert!(!check("metadata.missing", op, json!(1)), "{op} missing");
            assert!(
                !check("metadata.age", op, json!("42")),
                "{op} number vs string"
            );
            assert!(
                !check("metadata.firstName", op, json!(1)),
                "{op} string vs number"
            );
            assert!(!check("metadata.active", op, json!(false)), "{op} booleans");
            assert!(!check("metadata.nothing", op, Value::Null), "{op} null");
            assert!(!check("metadata.address", op, json!({})), "{op} object");
        }
    }

    #[test]
    fn comparisons_on_array_field_use_any_element() {
        assert!(check("metadata.tags", "gt", json!(2)));
        assert!(!check("metadata.tags", "gt", json!(3)));
        assert!(check("metadata.tags", "gte", json!("vip")));
    }

    // --- regex ----------------------------------------------------------

    #[test]
    fn regex_matches_anywhere_and_anchors() {
        assert!(check("metadata.lastName", "regex", json!("rdm")));
        assert!(check("metadata.lastName", "regex", json!("^Nord")));
        assert!(!check("metadata.lastName", "regex", json!("^rdm")));
        assert!(check("metadata.lastName", "regex", json!("(?i)NORDMANN$")));
        assert!(check("metadata.tags", "regex", json!("^nor")));
    }

    #[test]
    fn regex_missing_and_non_string_fields_are_false() {
        assert!(!check("metadata.missing", "regex", json!(".*")));
        assert!(!check("metadata.age", "regex", json!("4")));
        assert!(!check("metadata.address", "regex", json!(".*")));
    }

    #[test]
    fn regex_invalid_or_not_a_string_is_an_error() {
        let bad =
            error(json!({"and": [{"field": "metadata.a", "operator": "regex", "value": "("}]}));
        assert_eq!(bad.field, "and[0].value");
        assert!(
            bad.reason.contains("invalid regular expression"),
            "{}",
            bad.reason
        );
        let not_string =
            error(json!({"or": [{"field": "metadata.a", "operator": "regex", "value": 1}]}));
        assert_eq!(not_string.field, "or[0].value");
    }

    #[test]
    fn regex_too_large_is_an_error() {
        let pattern = json!("\\w{1000}\\w{1000}\\w{1000}");
        let err =
            error(json!({"and": [{"field": "metadata.a", "operator": "regex", "value": pattern}]}));
        assert_eq!(err.field, "and[0].value");
    }

    // --- in / nin -------------------------------------------------------

    #[test]
    fn in_semantics() {
        assert!(check(
            "systemMetadata.type",
            "in",
            json!(["LOG_IN", "GDPR"])
        ));
        assert!(!check(
            "systemMetadata.type",
            "in",
            json!(["LOG_IN", "KYC"])
        ));
        assert!(!check("systemMetadata.type", "in", json!([])));
        assert!(check("metadata.age", "in", json!([1, 42.0])));
        assert!(!check("metadata.age", "in", json!(["42"])));
        assert!(!check("metadata.missing", "in", json!([Value::Null, "x"])));
        assert!(check("metadata.tags", "in", json!(["gold", "vip"])));
        assert!(!check("metadata.tags", "in", json!(["gold"])));
    }

    #[test]
    fn nin_semantics() {
        assert!(check(
            "systemMetadata.type",
            "nin",
            json!(["LOG_IN", "KYC"])
        ));
        assert!(!check("systemMetadata.type", "nin", json!(["GDPR"])));
        assert!(check("systemMetadata.type", "nin", json!([])));
        assert!(check("metadata.age", "nin", json!(["42"])));
        assert!(check("metadata.missing", "nin", json!(["x"])));
        assert!(!check("metadata.tags", "nin", json!(["gold", "nordic"])));
    }

    #[test]
    fn in_and_nin_require_arrays() {
        for op in ["in", "nin"] {
            let err =
                error(json!({"not": [{"field": "metadata.a", "operator": op, "value": "x"}]}));
            assert_eq!(err.field, "not[0].value");
            assert!(err.reason.contains("array"), "{}", err.reason);
        }
    }

    // --- fields -----------------------------------------------------------

    #[test]
    fn nested_metadata_paths_and_array_indexes() {
        assert!(check("metadata.address.city", "eq", json!("Oslo")));
        assert!(check("metadata.address.geo.lat", "gt", json!(59)));
        assert!(check("metadata.tags.1", "eq", json!("nordic")));
        assert!(!check("metadata.tags.9", "eq", json!("nordic")));
        assert!(!check("metadata.address.city.name", "eq", json!("Oslo")));
        assert!(check("metadata.address.street", "ne", json!("x")));
    }

    #[test]
    fn system_metadata_id_and_type_fields() {
        assert!(check("systemMetadata.auditLevel", "eq", json!("QUALIFIED")));
        assert!(check(
            "systemMetadata.createdBy",
            "regex",
            json!("^client-")
        ));
        assert!(check("type", "eq", json!("GDPR")));
        assert!(check(
            "id",
            "eq",
            json!("11111111-1111-4111-8111-111111111111")
        ));
        assert!(!check("id", "eq", json!("other")));
    }

    #[test]
    fn relations_membership() {
        assert!(check("relations", "eq", json!("rel-a")));
        assert!(!check("relations", "eq", json!("rel-z")));
        assert!(check("relations", "ne", json!("rel-z")));
        assert!(!check("relations", "ne", json!("rel-b")));
        assert!(check("relations", "in", json!(["rel-z", "rel-b"])));
        assert!(!check("relations", "in", json!(["rel-z"])));
        assert!(check("relations", "nin", json!(["rel-z"])));
        assert!(!check("relations", "nin", json!(["rel-z", "rel-a"])));
        assert!(check("relations", "regex", json!("^rel-")));
    }

    #[test]
    fn relations_absent_or_plain_strings() {
        let bare = json!({"id": "x", "metadata": {}});
        let eq = json!({"and": [{"field": "relations", "operator": "eq", "value": "a"}]});
        let ne = json!({"and": [{"field": "relations", "operator": "ne", "value": "a"}]});
        assert_eq!(matches(&bare, &eq), Ok(false));
        assert_eq!(matches(&bare, &ne), Ok(true));
        let plain = json!({"relations": ["a", "b"]});
        assert_eq!(matches(&plain, &eq), Ok(true));
    }

    #[test]
    fn unsupported_fields_are_errors() {
        for field in [
            "coreData.secret",
            "metadata",
            "metadata.",
            "metadata..a",
            "foo",
            "Metadata.a",
        ] {
            let err = error(json!({"and": [{"field": field, "operator": "eq", "value": 1}]}));
            assert_eq!(err.field, "and[0].field", "{field}");
        }
    }

    // --- logic lists --------------------------------------------------------

    fn cond(field: &str, operator: &str, value: Value) -> Value {
        json!({"field": field, "operator": operator, "value": value})
    }

    fn yes() -> Value {
        cond("metadata.firstName", "eq", json!("Ola"))
    }

    fn no() -> Value {
        cond("metadata.firstName", "eq", json!("Kari"))
    }

    fn run(query: Value) -> bool {
        matches(&record(), &query).expect("valid query")
    }

    #[test]
    fn empty_queries_match_everything() {
        assert!(run(Value::Null));
        assert!(run(json!({})));
        assert!(run(json!({"and": [], "or": [], "not": []})));
        assert!(run(json!({"and": null, "or": null, "not": null})));
        assert_eq!(validate(&Value::Null), Ok(()));
        assert_eq!(validate(&json!({})), Ok(()));
    }

    #[test]
    fn and_requires_all() {
        assert!(run(json!({"and": [yes(), yes()]})));
        assert!(!run(json!({"and": [yes(), no()]})));
    }

    #[test]
    fn or_requires_one() {
        assert!(run(json!({"or": [no(), yes()]})));
        assert!(!run(json!({"or": [no(), no()]})));
    }

    #[test]
    fn not_is_nor() {
        assert!(run(json!({"not": [no(), no()]})));
        assert!(!run(json!({"not": [no(), yes()]})));
        assert!(!run(json!({"not": [yes()]})));
    }

    #[test]
    fn lists_combine_with_and() {
        assert!(run(
            json!({"and": [yes()], "or": [no(), yes()], "not": [no()]})
        ));
        assert!(!run(json!({"and": [yes()], "or": [no()]})));
        assert!(!run(json!({"and": [no()], "or": [yes()]})));
        assert!(!run(json!({"and": [yes()], "or": [yes()], "not": [yes()]})));
        assert!(run(json!({"and": [], "or": [yes()]})));
    }

    #[test]
    fn reference_example_query() {
        let query = json!({
            "and": [
                cond("metadata.firstName", "eq", json!("Ola")),
                cond("systemMetadata.createdDateTime", "gte", json!("2024-01-01T00:00:00Z"))
            ],
            "or": [cond("systemMetadata.type", "in", json!(["GDPR", "LOG_IN"]))]
        });
        assert!(run(query));
    }

    #[test]
    fn compiled_query_is_reusable() {
        let query = Query::compile(&json!({"and": [cond("metadata.n", "gt", json!(1))]}));
        let query = query.expect("valid query");
        assert!(query.matches(&json!({"metadata": {"n": 2}})));
        assert!(!query.matches(&json!({"metadata": {"n": 1}})));
        assert!(!query.matches(&json!({})));
        assert!(!query.matches(&json!("not a record")));
    }

    // --- validation -----------------------------------------------------------

    #[test]
    fn unknown_operator_is_an_error() {
        let err = error(json!({"and": [cond("metadata.a", "like", json!("x"))]}));
        assert_eq!(err.field, "and[0].operator");
        assert!(err.reason.contains("like"), "{}", err.reason);
        let upper = error(json!({"and": [cond("metadata.a", "EQ", json!("x"))]}));
        assert_eq!(upper.field, "and[0].operator");
    }

    #[test]
    fn validate_names_every_problem() {
        let query = json!({
            "and": [yes(), {"field": "", "operator": "eq", "value": 1}],
            "or": [yes(), yes(), {"field": "metadata.a", "operator": "in", "value": 1}],
            "not": {"field": "metadata.a"},
            "sort": "x"
        });
        assert_eq!(names(query), ["and[1].field", "not", "or[2].value", "sort"]);
    }

    #[test]
    fn validate_reports_missing_and_mistyped_condition_members() {
        let query = json!({"and": [{}, 5, {"field": 1, "operator": 2, "value": 3, "extra": 4}]});
        assert_eq!(
            names(query),
            [
                "and[0].field",
                "and[0].operator",
                "and[0].value",
                "and[1]",
                "and[2].extra",
                "and[2].field",
                "and[2].operator",
            ]
        );
    }

    #[test]
    fn validate_rejects_non_object_bodies() {
        for body in [json!([]), json!("q"), json!(1), json!(true)] {
            assert_eq!(names(body), ["query"]);
        }
        assert_eq!(names(json!({"and": "x"})), ["and"]);
    }

    #[test]
    fn validate_accepts_every_operator() {
        let conditions: Vec<Value> = OPERATORS
            .iter()
            .map(|op| {
                let value = match *op {
                    "in" | "nin" => json!(["a"]),
                    "regex" => json!("^a"),
                    _ => json!("a"),
                };
                cond("metadata.a", op, value)
            })
            .collect();
        assert_eq!(validate(&json!({"and": conditions})), Ok(()));
    }

    #[test]
    fn matches_reports_first_problem_and_displays() {
        let err = error(json!({"or": [cond("metadata.a", "bogus", json!(1))], "zzz": 1}));
        assert_eq!(err.field, "or[0].operator");
        assert!(
            err.to_string()
                .starts_with("or[0].operator: unknown operator 'bogus'")
        );
    }
}
