//! `Retry-After` parsing: any header value gives a duration or `None`, never
//! a panic (overflowing delta-seconds, decimals, HTTP dates far in the past
//! or future, garbage).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| psa_conformance::fuzzing::retry_after(data));
