//! The path-segment encoder `signicat_dem::encode_segment`, on arbitrary UTF-8.
//!
//! The output holds only RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) and `%XX`
//! escapes (upper-case hex), so it contains no `/`, `?` or `#`; it percent-decodes back to
//! the input; and unreserved input characters are left as they are.

#![no_main]

use libfuzzer_sys::fuzz_target;

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fuzz_target!(|input: &str| {
    let out = signicat_dem::encode_segment(input);
    assert!(!out.contains(['/', '?', '#']), "{input:?} -> {out:?}");

    // Walk the output: unreserved bytes or %XX (upper-case hex), decoding as we go.
    let bytes = out.as_bytes();
    let mut decoded = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) else {
                panic!("bad escape at {i} in {out:?} (input {input:?})");
            };
            let value = hi << 4 | lo;
            assert!(
                !unreserved(value),
                "unreserved byte {value:#x} escaped in {out:?}"
            );
            decoded.push(value);
            i += 3;
        } else {
            assert!(unreserved(b), "byte {b:#x} left unescaped in {out:?}");
            decoded.push(b);
            i += 1;
        }
    }
    assert_eq!(decoded, input.as_bytes(), "does not decode back");

    // The percent-encoding crate's own decoder agrees.
    let url_decoded: Vec<u8> = url::form_urlencoded::parse(format!("k={out}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default();
    assert_eq!(url_decoded, input.as_bytes());

    // Nothing is "normalised": encoding is injective, so two inputs never share a segment.
    assert_eq!(
        out.len(),
        input.len() + 2 * (decoded.iter().filter(|b| !unreserved(**b)).count())
    );
});
