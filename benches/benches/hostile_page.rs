//! A hostile page: the first `list_tickets` page answered with ~31 MiB of
//! empty records (`{}`), under the 32 MiB body cap, in each vendor's own
//! envelope. Before issue 11 decoding such a page into a `Vec` raised the
//! listing process's peak resident memory by 480–690 MiB. The goal: the
//! peak grows by at most **4× the page's bytes** (the body itself must be
//! read once; its decoded form must not multiply it), measured as the ratio
//! growth ÷ body bytes against that limit.
//!
//! The simulator runs in this process; the listing runs in a child process
//! (this executable re-run with `--psa-hostile-child VENDOR ADDRESS`) so
//! that the page wiremock holds and copies is not in the memory measured.
//! The child warms up (token, zone discovery, look-ups, one real page),
//! says `ready`; the parent then mounts the hostile page in front of the
//! simulator's listing route and says `go`; the child resets its resident
//! high-water mark, asks for the first ticket, and reports
//! `done OUTCOME BASE_KIB PEAK_KIB RESET`.
//!
//! `cargo bench -p psa-benches --bench hostile_page` (31 MiB pages);
//! without `--bench` (`cargo test --benches`) a 4 MiB page as a smoke test.
//! `PSA_BENCH_VENDORS=halo,autotask` runs some vendors only.
#![allow(clippy::print_stdout, clippy::cast_precision_loss)] // a bench prints its table

use std::process::Stdio;

use futures::StreamExt;
use psa_benches::memory::{reset_peak, resident};
use psa_benches::pages::VENDORS;
use psa_benches::remote;
use psa_benches::sims::Sim;
use psa_core::{TicketQuery, Vendor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

const CHILD: &str = "--psa-hostile-child";
/// Peak growth accepted, as a multiple of the page's bytes.
const GOAL: f64 = 4.0;
const MIB: usize = 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == CHILD) {
        child(&args[at + 1..]);
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
    let size = if full { 31 * MIB } else { 4 * MIB };
    let chosen: Option<Vec<String>> = std::env::var("PSA_BENCH_VENDORS")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_lowercase()).collect());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    println!(
        "hostile page of {:.1} MiB of `{{}}` records",
        size as f64 / MIB as f64
    );
    println!(
        "| vendor | page bytes | first ticket | peak growth | growth ÷ bytes | goal ≤ {GOAL} |"
    );
    println!("|---|---|---|---|---|---|");
    let mut failed = false;
    for vendor in VENDORS {
        if chosen
            .as_ref()
            .is_some_and(|c| !c.iter().any(|v| v == vendor.as_str()))
        {
            continue;
        }
        let row = rt.block_on(run(vendor, size));
        match row {
            Ok(r) => {
                let ratio = r.growth_kib as f64 * 1024.0 / r.bytes as f64;
                let met = ratio <= GOAL;
                failed |= !met;
                println!(
                    "| {vendor} | {} | {} | {:.1} MiB | {ratio:.2} | {} |",
                    r.bytes,
                    r.outcome,
                    r.growth_kib as f64 / 1024.0,
                    if met { "met" } else { "NOT met" }
                );
            }
            Err(e) => {
                failed = true;
                println!("| {vendor} | - | bench error: {e} | - | - | - |");
            }
        }
    }
    if failed && full {
        std::process::exit(1);
    }
}

struct Row {
    bytes: usize,
    outcome: String,
    growth_kib: u64,
}

/// The vendor's listing route and a body of at least `size` bytes of empty
/// records in its envelope.
fn hostile(vendor: Vendor, size: usize) -> (&'static str, &'static str, Vec<u8>) {
    let (verb, route, head, tail): (_, _, &[u8], &[u8]) = match vendor {
        Vendor::Halo => (
            "GET",
            r"(?i)^/api/tickets$",
            br#"{"record_count":1,"tickets":["#,
            b"{}]}",
        ),
        Vendor::ConnectWise => ("GET", r"(?i)/service/tickets$", b"[", b"{}]"),
        Vendor::Autotask => (
            "POST",
            r"(?i)/v1\.0/tickets/query$",
            br#"{"items":["#,
            br#"{}],"pageDetails":{"count":1,"requestCount":500,"prevPageUrl":null,"nextPageUrl":null}}"#,
        ),
        _ => ("GET", r"(?i)^/api/now/table/incident$", br#"{"result":["#, b"{}]}"),
    };
    let mut body = Vec::with_capacity(size + 128);
    body.extend_from_slice(head);
    while body.len() < size {
        body.extend_from_slice(b"{},");
    }
    body.extend_from_slice(tail);
    (verb, route, body)
}

async fn run(vendor: Vendor, size: usize) -> Result<Row, String> {
    let sim = Sim::start(vendor).await;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = tokio::process::Command::new(exe)
        .args([CHILD, vendor.as_str(), &remote::address(&sim)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let ready = lines.next_line().await.map_err(|e| e.to_string())?;
    if ready.as_deref() != Some("ready") {
        return Err(format!("child said {ready:?}"));
    }
    let (verb, route, body) = hostile(vendor, size);
    let bytes = body.len();
    Mock::given(method(verb))
        .and(path_regex(route))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .with_priority(1)
        .mount(sim.server())
        .await;
    stdin.write_all(b"go\n").await.map_err(|e| e.to_string())?;
    let done = lines
        .next_line()
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the child ended without a report")?;
    let _ = child.wait().await;
    let parts: Vec<&str> = done.split('\t').collect();
    let [tag, outcome, base, peak, reset] = parts[..] else {
        return Err(format!("child said {done:?}"));
    };
    if tag != "done" {
        return Err(format!("child said {done:?}"));
    }
    if reset != "1" {
        return Err("this kernel cannot reset the high-water mark".to_owned());
    }
    let base: u64 = base.parse().map_err(|_| format!("bad base {base}"))?;
    let peak: u64 = peak.parse().map_err(|_| format!("bad peak {peak}"))?;
    Ok(Row {
        bytes,
        outcome: outcome.to_owned(),
        growth_kib: peak.saturating_sub(base),
    })
}

fn child(args: &[String]) {
    let (Some(vendor), Some(address)) = (args.first(), args.get(1)) else {
        println!("error usage: {CHILD} VENDOR ADDRESS");
        return;
    };
    let Some(vendor) = VENDORS.into_iter().find(|v| v.as_str() == vendor) else {
        println!("error unknown vendor {vendor}");
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    if let Err(e) = rt.block_on(first_ticket(vendor, address)) {
        println!("error {e}");
    }
}

async fn first_ticket(vendor: Vendor, address: &str) -> psa_core::Result<()> {
    let psa = remote::client(vendor, address)?;
    // Warm-up: token, zone discovery, look-ups, one real page.
    let mut warm = psa.list_tickets(TicketQuery::any().limit(1));
    std::hint::black_box(warm.next().await);
    drop(warm);
    println!("ready");
    let mut line = String::new();
    BufReader::new(tokio::io::stdin())
        .read_line(&mut line)
        .await
        .map_err(|e| psa_core::Error::invalid_input(format!("stdin: {e}")))?;
    let base = resident().map_err(|e| psa_core::Error::invalid_input(e.to_string()))?;
    let reset = reset_peak().is_ok();
    let mut stream = psa.list_tickets(TicketQuery::any());
    let outcome = match stream.next().await {
        Some(Ok(_)) => "a ticket".to_owned(),
        Some(Err(e)) => format!("{:?} error", e.kind()),
        None => "no ticket".to_owned(),
    };
    drop(stream);
    let after = resident().map_err(|e| psa_core::Error::invalid_input(e.to_string()))?;
    println!(
        "done\t{outcome}\t{}\t{}\t{}",
        base.now_kib,
        after.peak_kib,
        u8::from(reset)
    );
    Ok(())
}
