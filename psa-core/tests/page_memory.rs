//! Issue 11, memory: a 31 MiB page of `{}` records (under the 32 MiB body
//! cap) took 480–690 MiB of resident memory to decode into a `Vec`. With
//! `PageDecoder`'s record cap the peak grows by at most a few MiB.
//!
//! Alone in its test binary: it measures this process's resident
//! high-water mark (Linux `VmHWM`, reset through `/proc/self/clear_refs`),
//! which other tests running in parallel threads would disturb.
#![allow(clippy::unwrap_used)]

use psa_core::Vendor;
use psa_core::paging::PageDecoder;
use serde_json::value::RawValue;

/// The resident high-water mark in KiB, after resetting it to the current
/// resident size; `None` where Linux's `/proc` interface is missing.
fn reset_and_read_peak() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    peak_kib()
}

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| {
        l.strip_prefix("VmHWM:")?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    })
}

/// Decodes `body` with a cap of `max` records; returns the growth of the
/// resident peak in KiB (when measurable) and checks the page is refused.
fn growth(body: &[u8], max: usize) -> Option<u64> {
    let before = reset_and_read_peak();
    let err = PageDecoder::new("tickets page", max)
        .vendor(Vendor::Halo)
        .decode_under_key::<Box<RawValue>>(body, "tickets")
        .unwrap_err();
    let after = peak_kib();
    assert!(err.is_decode(), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("more than {max} records")),
        "{err}"
    );
    assert!(err.raw_body().is_none_or(|b| b.len() <= 70_000));
    Some(after?.saturating_sub(before?))
}

#[test]
fn a_hostile_31_mib_page_is_refused_with_bounded_memory() {
    const MIB: usize = 1024 * 1024;
    let mut body = Vec::with_capacity(31 * MIB + 64);
    body.extend_from_slice(br#"{"record_count":1,"tickets":["#);
    while body.len() < 31 * MIB {
        body.extend_from_slice(b"{},");
    }
    body.extend_from_slice(b"{}]}");
    assert!(body.len() < 32 * MIB, "under the body cap");

    // The cap a vendor would use: twice a page of 500.
    let small = growth(&body, 1_000);
    // A cap far past any page: the measure must see the records it holds.
    let large = growth(&body, 500_000);
    let (Some(small), Some(large)) = (small, large) else {
        eprintln!("no /proc/self/clear_refs here: the refusal was checked, not the memory");
        return;
    };
    eprintln!("peak growth: {small} KiB with a cap of 1,000; {large} KiB with 500,000");
    assert!(
        small < 4 * 1024,
        "a capped page grew the peak by {small} KiB"
    );
    assert!(
        large > 12 * 1024,
        "the measure must see 500,000 records held ({large} KiB)"
    );
}
