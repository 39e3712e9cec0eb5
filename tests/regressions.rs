//! Regression tests for inputs found by fuzzing (`fuzz/`) and property testing
//! (`tests/properties.rs`). Each test names the target that found it.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use signicat_dem::models::*;

/// decode → encode → decode gives an equal value, and the encoding is stable.
fn assert_round_trip<T>(json: &str) -> T
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let decoded: T = serde_json::from_str(json).expect("decodes");
    let encoded = serde_json::to_string(&decoded).expect("encodes");
    let again: T = serde_json::from_str(&encoded).expect("re-encoded JSON decodes");
    assert_eq!(decoded, again, "decode(encode(x)) != x; encoded: {encoded}");
    assert_eq!(serde_json::to_string(&again).unwrap(), encoded);
    decoded
}

/// fuzz target `decode_models`, crash-632251c3: `1e-307` in an unknown page field decoded
/// to `1.0000000000000001e-307` (serde_json's default float parser is not correctly
/// rounded), which re-encodes and decodes to another number. Fixed by serde_json's
/// `float_roundtrip` feature.
#[test]
fn fuzz_decode_models_float_in_page_extra() {
    let page: RecordPage = assert_round_trip(r#"{"action":1e-307,"tocumentId":"d"}"#);
    assert_eq!(page.extra["action"].as_f64(), Some(1e-307));
    assert_eq!(page.extra["tocumentId"], "d");
}

/// The same defect anywhere free-form JSON is kept: record data, query values, stats.
/// `0.07 * 3.0` (= 0.21000000000000002) used to read back as `0.21`.
#[test]
fn floats_in_free_form_json_read_back_exactly() {
    let computed = 0.07_f64 * 3.0;
    let numbers = [
        computed,
        1e-307,
        -1.0172726886886501e25,
        -2.6249959764487686e73,
        1.0715660391465826e-75,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
    ];
    for n in numbers {
        let text = serde_json::to_string(&n).unwrap();
        let record: RecordResponse = assert_round_trip(&format!(
            r#"{{"coreData":{{"amount":{text}}},"metadata":{{"m":[{text}]}}}}"#
        ));
        let core = record.core_data.expect("coreData");
        assert_eq!(core["amount"].as_f64(), Some(n), "{text}");
        let condition: QueryCondition = assert_round_trip(&format!(
            r#"{{"field":"f","operator":"gt","value":{text}}}"#
        ));
        assert_eq!(condition.value.as_f64(), Some(n), "{text}");
        let stats: Stats =
            assert_round_trip(&format!(r#"{{"totalRecordsByType":{{"x":{text}}}}}"#));
        assert_eq!(
            stats.total_records_by_type.unwrap()["x"],
            Value::from(n),
            "{text}"
        );
    }
}
