//! `application/problem+json` error bodies: `signicat_dem::Problem` decoded from arbitrary
//! bytes. Must not panic; a decoded problem re-encodes, decodes to an equal value, and its
//! encoding is stable. `Debug` of the decoded value must not panic either.

#![no_main]

use libfuzzer_sys::fuzz_target;
use signicat_dem::{InvalidParam, Problem};

fuzz_target!(|data: &[u8]| {
    if let Ok(problem) = serde_json::from_slice::<Problem>(data) {
        let encoded = serde_json::to_vec(&problem).expect("a decoded problem encodes");
        let again: Problem = serde_json::from_slice(&encoded).expect("re-encoded problem decodes");
        assert_eq!(problem, again);
        assert_eq!(
            encoded,
            serde_json::to_vec(&again).unwrap(),
            "encoding is not stable"
        );
        let _ = format!("{problem:?}");
    }
    // The element type on its own (servers send `invalidParams` entries of any shape).
    if let Ok(param) = serde_json::from_slice::<InvalidParam>(data) {
        let encoded = serde_json::to_vec(&param).expect("encodes");
        let again: InvalidParam = serde_json::from_slice(&encoded).expect("decodes");
        assert_eq!(param, again);
    }
});
