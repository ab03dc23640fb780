//! Vendor response decoding: any bytes decode into each vendor's ticket
//! model and map to the uniform `Ticket`, or fail with an error — never a
//! panic (numbers out of range, odd date formats, wrong types, deep nesting).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| psa_conformance::fuzzing::decode_ticket(data));
