//! Every response (and request) model of `signicat_dem::models` decoded from arbitrary bytes.
//!
//! Decoding may fail, but must not panic. When it succeeds, encoding must not panic either,
//! the encoding must decode again to an equal value, and that value must encode to the same
//! bytes (the wire form is stable after one round).

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use signicat_dem::models::*;

fn round_trip<T>(data: &[u8])
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(decoded) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let encoded = serde_json::to_vec(&decoded).expect("a decoded value encodes");
    let again: T = match serde_json::from_slice(&encoded) {
        Ok(v) => v,
        Err(e) => panic!(
            "{}: re-encoded JSON does not decode: {e}\n{}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(&encoded)
        ),
    };
    assert_eq!(
        decoded,
        again,
        "{}: decode(encode(x)) != x\nencoded: {}",
        std::any::type_name::<T>(),
        String::from_utf8_lossy(&encoded)
    );
    let encoded_again = serde_json::to_vec(&again).expect("encodes again");
    assert_eq!(
        String::from_utf8_lossy(&encoded),
        String::from_utf8_lossy(&encoded_again),
        "{}: encoding is not stable",
        std::any::type_name::<T>()
    );
}

macro_rules! all {
    ($data:expr; $($t:ty),+ $(,)?) => {
        $( round_trip::<$t>($data); )+
    };
}

fuzz_target!(|data: &[u8]| {
    all!(data;
        // Sign API
        DocumentCollection,
        DocumentReference,
        CollectionOutput,
        SessionPackage,
        Document,
        DocumentHash,
        PostDocumentResponse,
        UpdateDocument,
        SigningSession,
        Vec<SigningSession>,
        SessionDocument,
        SessionLifecycle,
        SessionOutput,
        SessionSignature,
        SigningSetup,
        IdentityProvider,
        PreAuthentication,
        RedirectSettings,
        Signer,
        Ui,
        PaginatedSigningSessionResponse,
        // DEM API
        RecordRequest,
        RecordResponse,
        RecordRelationResponse,
        SystemMetadata,
        Link,
        Stats,
        QueryRequestBody,
        QueryCondition,
        BatchUpdateTtlRequest,
        SetExpiryDateRequest,
        RecordPage,
        Vec<String>,
        // open enums
        DocumentAction,
        SessionState,
        SigningFlow,
        Vendor,
        PackageType,
        SignatureType,
        Language,
        SignerValidation,
        HashAlgorithm,
        RecordType,
        AuditLevel,
        QueryOperator,
    );
});
