//! Webhook parsing: any body, delivered with valid credentials, gives ticket
//! events or a `Webhook`/`Decode` error — never a panic. Each vendor's
//! verification is satisfied so that the fuzzer reaches the body parsers
//! (Autotask's and ConnectWise's signatures are checked separately, over
//! the raw bytes, before any parsing).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| psa_conformance::fuzzing::webhook(data));
