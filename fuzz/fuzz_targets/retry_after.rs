//! `Retry-After` parsing: any header value gives a duration or `None`, never
//! a panic (overflowing delta-seconds, decimals, HTTP dates far in the past
//! or future, garbage).
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = http::HeaderValue::from_bytes(data) else {
        return;
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    if let Some(wait) = psa_core::http::parse_retry_after(&value, now) {
        // A policy caps what it honours; the cap must hold for any value.
        let policy = psa_core::http::RetryPolicy::default();
        assert!(policy.delay(1, Some(wait)) <= policy.max_retry_after());
    }
});
