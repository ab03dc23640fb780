//! Paging: list every ticket of a simulator holding 10,000 and then 100,000
//! generated tickets through the uniform stream `Psa::list_tickets`, per
//! vendor, and measure
//! - the growth of the peak resident memory of the listing process between
//!   its warmed-up state and the end of the listing; the goal is that it does
//!   not grow with the record count (ratio 100,000 / 10,000 ≈ 1; a listing
//!   that kept every record would be ≈ 10);
//! - the requests the simulator received per 10,000 records, against the
//!   fewest the vendor's largest page allows.
//!
//! The simulators run in this process; each listing runs in a child process
//! (this same executable, re-run with `--psa-paging-child VENDOR ADDRESS`),
//! so that the 100,000 records a simulator holds, and wiremock's log of the
//! requests, are not in the memory measured. The child warms up (token, zone
//! discovery, look-ups), says `ready`, waits for `go`, resets its
//! high-water mark, lists, and reports `done RECORDS BASE_KIB PEAK_KIB
//! MILLIS RESET`. The parent reads the simulator's request counter at `go`
//! and at `done`.
//!
//! A control run lists the same 100,000 and 10,000 Autotask tickets but keeps
//! every record (`try_collect` into a `Vec`), to show that the measure sees
//! a store-everything listing.
//!
//! `cargo bench -p psa-benches --bench paging` (10,000 and 100,000 records,
//! each listing run 3 times, the median reported); without `--bench`
//! (`cargo test --benches`) it runs 1,000 and 5,000 once as a smoke test.
//! `PSA_BENCH_VENDORS=halo,autotask` runs some vendors only;
//! `PSA_PAGING_RECORDS=20000,200000` other record counts;
//! `PSA_PAGING_REPEATS=5` another number of runs.
#![allow(clippy::print_stdout)] // a bench prints its table

use std::hint::black_box;
use std::process::Stdio;
use std::time::Instant;

use futures::{StreamExt, TryStreamExt};
use psa_benches::memory::{reset_peak, resident};
use psa_benches::pages::VENDORS;
use psa_benches::remote;
use psa_benches::sims::Sim;
use psa_core::{TicketQuery, Vendor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const CHILD: &str = "--psa-paging-child";
/// The growth ratio (100,000 / 10,000 records) accepted as "does not grow".
const GOAL: f64 = 1.5;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == CHILD) {
        child(&args[at + 1..]);
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
    let chosen = records_from_env();
    let (small, large) = chosen.unwrap_or(if full {
        (10_000, 100_000)
    } else {
        (1_000, 5_000)
    });
    let vendors: Vec<Vendor> = match std::env::var("PSA_BENCH_VENDORS") {
        Ok(list) => VENDORS
            .into_iter()
            .filter(|v| list.split(',').any(|w| w.trim() == v.as_str()))
            .collect(),
        Err(_) => VENDORS.to_vec(),
    };
    let repeats: usize = std::env::var("PSA_PAGING_REPEATS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if full { 3 } else { 1 });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));

    let mut rows = Vec::new();
    for vendor in vendors {
        let a = rt.block_on(listing(vendor, small, Mode::Stream, repeats));
        let b = rt.block_on(listing(vendor, large, Mode::Stream, repeats));
        println!("{}: {a:?}", vendor.as_str());
        println!("{}: {b:?}", vendor.as_str());
        rows.push((vendor, a, b));
    }
    let control_vendor = Vendor::Autotask;
    let ca = rt.block_on(listing(control_vendor, small, Mode::Collect, repeats));
    let cb = rt.block_on(listing(control_vendor, large, Mode::Collect, repeats));
    println!("control {}: {ca:?}", control_vendor.as_str());
    println!("control {}: {cb:?}", control_vendor.as_str());

    println!();
    println!(
        "paging: Psa::list_tickets over {small} and {large} generated tickets; peak-RSS growth of the listing process (median of {repeats} runs), goal ratio ~1 (accepted <= {GOAL}; a store-everything listing is ~{}); requests per 10,000 records",
        large / small
    );
    println!(
        "| vendor | records listed (small / large run) | peak growth, small run | large run | growth ratio | requests per 10,000 | fewest possible (largest page) | records a second | goal met |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (vendor, a, b) in &rows {
        let ratio = growth_ratio(a, b);
        let per_10k = b.requests_per_10k();
        let fewest = fewest_per_10k(*vendor);
        println!(
            "| {} | {} / {} | {} KiB | {} KiB | {ratio:.2} | {per_10k:.1} | {fewest} (page {}) | {:.0} | {} |",
            vendor.as_str(),
            a.records,
            b.records,
            a.growth_kib(),
            b.growth_kib(),
            largest_page(*vendor),
            b.records_per_second(),
            if ratio <= GOAL { "yes" } else { "no" },
        );
    }
    println!(
        "| control: {} keeping every record | {} / {} | {} KiB | {} KiB | {:.2} | {:.1} | — | {:.0} | (must be ~{}) |",
        control_vendor.as_str(),
        ca.records,
        cb.records,
        ca.growth_kib(),
        cb.growth_kib(),
        growth_ratio(&ca, &cb),
        cb.requests_per_10k(),
        cb.records_per_second(),
        large / small,
    );
    let resets = rows.iter().all(|(_, a, b)| a.reset && b.reset);
    if !resets {
        println!(
            "note: /proc/self/clear_refs could not reset the high-water mark; growth includes the warm-up"
        );
    }
}

/// `PSA_PAGING_RECORDS=SMALL,LARGE` overrides the two record counts.
fn records_from_env() -> Option<(usize, usize)> {
    let v = std::env::var("PSA_PAGING_RECORDS").ok()?;
    let (a, b) = v.split_once(',')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Consume the stream item by item (the SDK's contract).
    Stream,
    /// Keep every record (the control).
    Collect,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Stream => "stream",
            Mode::Collect => "collect",
        }
    }
}

/// One listing's figures.
#[derive(Debug, Clone, Copy)]
struct Listing {
    records: u64,
    base_kib: u64,
    peak_kib: u64,
    millis: u64,
    requests: u64,
    reset: bool,
}

impl Listing {
    fn growth_kib(&self) -> u64 {
        self.peak_kib.saturating_sub(self.base_kib)
    }

    #[allow(clippy::cast_precision_loss)]
    fn requests_per_10k(&self) -> f64 {
        self.requests as f64 * 10_000.0 / self.records.max(1) as f64
    }

    #[allow(clippy::cast_precision_loss)]
    fn records_per_second(&self) -> f64 {
        self.records as f64 * 1000.0 / self.millis.max(1) as f64
    }
}

#[allow(clippy::cast_precision_loss)]
fn growth_ratio(small: &Listing, large: &Listing) -> f64 {
    // A page-bounded listing grows by a few MiB at most; 256 KiB floors the
    // denominator so that a near-zero small run cannot blow up the ratio.
    large.growth_kib() as f64 / small.growth_kib().max(256) as f64
}

/// The vendor's largest page (ServiceNow: the SDK's default page, 1,000;
/// the instance allows 10,000 but the SDK asks for less on purpose, see
/// `psa_servicenow::client::DEFAULT_PAGE_SIZE`).
fn largest_page(vendor: Vendor) -> u64 {
    match vendor {
        Vendor::Halo => u64::from(psa_halo::resources::MAX_PAGE_SIZE),
        Vendor::ConnectWise => u64::from(psa_connectwise::query::MAX_PAGE_SIZE),
        Vendor::Autotask => u64::from(psa_autotask::query::MAX_RECORDS),
        _ => psa_servicenow::client::DEFAULT_PAGE_SIZE,
    }
}

fn fewest_per_10k(vendor: Vendor) -> u64 {
    10_000_u64.div_ceil(largest_page(vendor))
}

/// Starts `vendor`'s simulator with `n` generated tickets and lists them
/// `repeats` times, each from a fresh child process; the run of median
/// memory growth. (A single run's growth varies by about a MiB with the
/// allocator's arenas, which is most of a page-bounded listing's growth.)
async fn listing(vendor: Vendor, n: usize, mode: Mode, repeats: usize) -> Listing {
    let sim = Sim::start_with_tickets(vendor, n).await;
    let mut runs = Vec::with_capacity(repeats);
    for _ in 0..repeats.max(1) {
        runs.push(listing_once(&sim, vendor, n, mode).await);
    }
    runs.sort_by_key(Listing::growth_kib);
    runs.swap_remove(runs.len() / 2)
}

/// One listing of `sim`'s tickets from a child process.
async fn listing_once(sim: &Sim, vendor: Vendor, n: usize, mode: Mode) -> Listing {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
    let mut child = tokio::process::Command::new(exe)
        .arg(CHILD)
        .arg(vendor.as_str())
        .arg(remote::address(sim))
        .arg(mode.as_str())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("spawn the listing child: {e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("child stdin"));
    let stdout = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("child stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let mut before = 0;
    let mut result = None;
    while let Ok(Some(line)) = lines.next_line().await {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("ready") => {
                before = sim.request_count();
                stdin
                    .write_all(b"go\n")
                    .await
                    .unwrap_or_else(|e| panic!("child stdin: {e}"));
                stdin
                    .flush()
                    .await
                    .unwrap_or_else(|e| panic!("child stdin: {e}"));
            }
            Some("done") => {
                let requests = sim.request_count() - before;
                let f: Vec<u64> = words.filter_map(|w| w.parse().ok()).collect();
                if let [records, base_kib, peak_kib, millis, reset] = f[..] {
                    result = Some(Listing {
                        records,
                        base_kib,
                        peak_kib,
                        millis,
                        requests,
                        reset: reset == 1,
                    });
                }
            }
            Some("error") => panic!("{vendor:?} listing of {n}: {line}"),
            _ => {}
        }
    }
    let status = child
        .wait()
        .await
        .unwrap_or_else(|e| panic!("wait for the child: {e}"));
    assert!(status.success(), "{vendor:?} listing child: {status}");
    result.unwrap_or_else(|| panic!("{vendor:?} listing of {n}: no result from the child"))
}

/// The child: lists `VENDOR`'s tickets from the simulator at `ADDRESS`.
fn child(args: &[String]) {
    let (Some(vendor), Some(address), Some(mode)) = (args.first(), args.get(1), args.get(2)) else {
        println!("error usage: {CHILD} VENDOR ADDRESS stream|collect");
        return;
    };
    let Some(vendor) = VENDORS.into_iter().find(|v| v.as_str() == vendor) else {
        println!("error unknown vendor {vendor}");
        return;
    };
    let collect = mode == "collect";
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    if let Err(e) = rt.block_on(list_in_child(vendor, address, collect)) {
        println!("error {e}");
    }
}

async fn list_in_child(vendor: Vendor, address: &str, collect: bool) -> psa_core::Result<()> {
    let psa = remote::client(vendor, address)?;
    // Warm-up: token, zone discovery, picklists and look-up caches.
    let first: Vec<_> = psa
        .list_tickets(TicketQuery::any().limit(1))
        .try_collect()
        .await?;
    black_box(first);
    println!("ready");
    let mut line = String::new();
    let mut stdin = BufReader::new(tokio::io::stdin());
    stdin
        .read_line(&mut line)
        .await
        .map_err(|e| psa_core::Error::invalid_input(format!("stdin: {e}")))?;

    let base = resident().map_err(|e| psa_core::Error::invalid_input(e.to_string()))?;
    let reset = reset_peak().is_ok();
    let start = Instant::now();
    let records = if collect {
        let all: Vec<_> = psa.list_tickets(TicketQuery::any()).try_collect().await?;
        let n = all.len();
        black_box(&all);
        n
    } else {
        let mut stream = psa.list_tickets(TicketQuery::any());
        let mut n = 0usize;
        while let Some(ticket) = stream.next().await {
            black_box(ticket?);
            n += 1;
        }
        n
    };
    let millis = start.elapsed().as_millis();
    let after = resident().map_err(|e| psa_core::Error::invalid_input(e.to_string()))?;
    println!(
        "done {records} {} {} {millis} {}",
        base.now_kib,
        after.peak_kib,
        u8::from(reset)
    );
    Ok(())
}
