//! Decode: a page of 1,000 realistic tickets per vendor into the SDK's typed
//! models through the SDK's decode path (`psa_core::http::ApiResponse::json`:
//! plain `serde_json`, then `serde_path_to_error` only on a failure), as a
//! throughput ratio to plain
//! `serde_json::from_slice` into the same structs on the same bytes.
//! Goal (DESIGN.md): ≥ 0.95.
//!
//! `cargo bench -p psa-benches --bench decode` runs criterion's timings of
//! the three paths, then the interleaved ratio table. Without `--bench`
//! (`cargo test --benches`) it runs each path once as a smoke test.
#![allow(clippy::print_stdout)] // a bench prints its table

use criterion::{BenchmarkId, Criterion, Throughput};
use psa_benches::pages::{
    PAGE_RECORDS, VENDORS, decode_baseline, decode_fast_path, decode_sdk, page,
};
use psa_benches::stats::{Ratio, throughput_ratios};
use std::hint::black_box;
use std::time::Duration;

const GOAL: f64 = 0.95;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let pages: Vec<_> = VENDORS
        .iter()
        .map(|&v| (v, page(v, PAGE_RECORDS)))
        .collect();
    for (v, body) in &pages {
        assert_eq!(decode_sdk(*v, body).ok(), Some(PAGE_RECORDS), "{v:?}");
        assert_eq!(decode_baseline(*v, body).ok(), Some(PAGE_RECORDS), "{v:?}");
    }

    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("decode_1000_tickets");
    for (v, body) in &pages {
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("sdk", v.as_str()), body, |b, body| {
            b.iter(|| decode_sdk(*v, black_box(body)));
        });
        group.bench_with_input(
            BenchmarkId::new("serde_json", v.as_str()),
            body,
            |b, body| b.iter(|| decode_baseline(*v, black_box(body))),
        );
        group.bench_with_input(
            BenchmarkId::new("fast_path", v.as_str()),
            body,
            |b, body| b.iter(|| decode_fast_path(*v, black_box(body))),
        );
    }
    group.finish();

    let (rounds, iters) = if full { (41, 3) } else { (1, 1) };
    println!();
    println!(
        "decode: throughput ratio to serde_json::from_slice, {PAGE_RECORDS} tickets a page, goal >= {GOAL}"
    );
    println!(
        "| vendor | page | SDK path (ApiResponse::json_named) | fast path written out (reference) | goal met |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for (v, body) in &pages {
        let sdk = Ratio::of(&throughput_ratios(
            rounds,
            iters,
            || {
                black_box(decode_sdk(*v, black_box(body)).ok());
            },
            || {
                black_box(decode_baseline(*v, black_box(body)).ok());
            },
        ));
        let fast = Ratio::of(&throughput_ratios(
            rounds,
            iters,
            || {
                black_box(decode_fast_path(*v, black_box(body)).ok());
            },
            || {
                black_box(decode_baseline(*v, black_box(body)).ok());
            },
        ));
        let show = |r: Option<Ratio>| r.map_or_else(|| "n/a".to_owned(), |r| r.to_string());
        let met = sdk.is_some_and(|r| r.median >= GOAL);
        println!(
            "| {} | {} KiB | {} | {} | {} |",
            v.as_str(),
            body.len() / 1024,
            show(sdk),
            show(fast),
            if met { "yes" } else { "no" }
        );
    }
    c.final_summary();
}
