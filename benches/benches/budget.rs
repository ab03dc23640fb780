//! Budget: 50 tasks make 1,000 `Psa::get_ticket` calls in total (20 each,
//! all at once) through one client against a simulator that enforces the
//! vendor's limit, scaled down in time so that the run takes seconds; the
//! client is configured with the same (scaled) limit. Reported per scenario:
//! the refusals the simulator counted (429s, Autotask thread-threshold
//! errors; goal 0) and the achieved rate as a fraction of the allowed rate
//! (goal ≥ 0.9).
//!
//! Scenarios:
//! - **HaloPSA**, 300 requests per rolling 5 minutes scaled to 300 per 3 s
//!   (÷ 100): `HaloMock::builder().rate_limit(300, 3 s)`, client
//!   `RateLimit::Window { max: 300, window: 3 s }` (the SDK widens a window
//!   by its safety margin, here 100 ms).
//! - **Autotask, hourly budget**: 10,000 per rolling hour scaled to 300 per
//!   3 s (`AutotaskMock::builder().rate_limit(300, 3 s)`), together with
//!   the thread limit (3 in flight per endpoint, 5 ms a request); client
//!   `thread_limit(3)` and
//!   `rate_limiter(SlidingWindowLimiter(300 per 3 s) + HaloPSA's
//!   margin rule)`, `budget_reserve(0)`, `ThresholdInformation` polling off
//!   (this client is the only integration, and its own window is the scaled
//!   budget).
//! - **Autotask, thread limit**: 3 in flight per endpoint, 20 ms a request
//!   on the server (so that the limit, not the loopback, sets the rate), the
//!   hourly budget of 10,000 enforced unscaled; the client's defaults
//!   (`thread_limit(3)`, 10 % reserve).
//!
//! The allowed rate is the fastest schedule the simulator's limit admits
//! for the requests it received: for `max` per rolling `window`, request
//! `k` (0-based) cannot start before `⌊k / max⌋ × window`, so `R` requests
//! need `⌊(R − 1) / max⌋ × window`; for `c` in flight of `latency` each,
//! `⌈R / c⌉ × latency`. Achieved fraction = that time / the measured time
//! from the first call to the last answer.
//!
//! `cargo bench -p psa-benches --bench budget`; without `--bench`
//! (`cargo test --benches`) it runs 200 calls with the same limits scaled to
//! 60 per window as a smoke test.
#![allow(clippy::print_stdout)] // a bench prints its table

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use psa_core::http::SlidingWindowLimiter;
use psa_core::{Id, Psa, TicketQuery};

const TASKS: usize = 50;
const GOAL: f64 = 0.9;
/// HaloPSA's 5-minute window and Autotask's hour, scaled down.
const WINDOW: Duration = Duration::from_secs(3);

/// What a scenario measured.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    calls_ok: usize,
    call_errors: usize,
    /// API requests the simulator received during the burst.
    requests: u64,
    /// 429s the simulator answered.
    refused_429: u64,
    /// Autotask thread-threshold errors.
    thread_errors: u64,
    /// Autotask: most requests in flight on the Tickets endpoint.
    max_in_flight: Option<u64>,
    elapsed: Duration,
    /// The fastest the simulator's limit allows for `requests`.
    ideal: Duration,
}

impl Outcome {
    fn fraction(&self) -> f64 {
        psa_benches::stats::div(self.ideal, self.elapsed)
    }
}

/// The scaled limits of one run.
#[derive(Debug, Clone, Copy)]
struct Scale {
    calls: usize,
    /// Requests per `WINDOW`.
    max: u32,
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let scale = if full {
        Scale {
            calls: 1_000,
            max: 300,
        }
    } else {
        Scale {
            calls: 200,
            max: 60,
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));

    let halo = rt.block_on(halo(scale));
    println!("halo: {halo:?}");
    let at_budget = rt.block_on(autotask_budget(scale));
    println!("autotask (hourly budget): {at_budget:?}");
    let at_threads = rt.block_on(autotask_threads(scale));
    println!("autotask (thread limit): {at_threads:?}");

    println!();
    println!(
        "budget: {} tasks, {} Psa::get_ticket calls in total, against simulators enforcing the vendor's limit (scaled); goal 0 refusals and >= {GOAL} of the allowed rate",
        TASKS, scale.calls
    );
    println!(
        "| scenario | simulator limit (scaled) | calls ok / failed | requests | 429s | thread-threshold errors | max in flight | time taken | fastest allowed | achieved / allowed rate | goal met |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let secs = WINDOW.as_secs();
    let rows = [
        (
            "HaloPSA",
            format!("{} per rolling {secs} s (300 per 5 min ÷ 100)", scale.max),
            halo,
        ),
        (
            "Autotask, hourly budget",
            format!(
                "{} per rolling {secs} s (10,000 per hour, scaled) + 3 in flight, 5 ms each",
                scale.max
            ),
            at_budget,
        ),
        (
            "Autotask, thread limit",
            "3 in flight per endpoint, 20 ms each; 10,000 per hour".to_owned(),
            at_threads,
        ),
    ];
    for (name, limit, o) in rows {
        let met = o.refused_429 == 0
            && o.thread_errors == 0
            && o.call_errors == 0
            && o.fraction() >= GOAL;
        println!(
            "| {name} | {limit} | {} / {} | {} | {} | {} | {} | {:.2} s | {:.2} s | {:.3} | {} |",
            o.calls_ok,
            o.call_errors,
            o.requests,
            o.refused_429,
            o.thread_errors,
            o.max_in_flight
                .map_or_else(|| "—".to_owned(), |m| m.to_string()),
            o.elapsed.as_secs_f64(),
            o.ideal.as_secs_f64(),
            o.fraction(),
            if met { "yes" } else { "no" },
        );
    }
}

/// The ids of up to 20 tickets, read once before the burst (and the
/// client's caches warmed with one `get_ticket`).
async fn warm_up(psa: &dyn Psa) -> Vec<Id> {
    let tickets: Vec<psa_core::Ticket> = psa
        .list_tickets(TicketQuery::any().limit(20))
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("warm-up listing: {e}"));
    let ids: Vec<Id> = tickets.into_iter().map(|t| t.id).collect();
    assert!(!ids.is_empty(), "the simulator has no ticket");
    psa.get_ticket(&ids[0])
        .await
        .unwrap_or_else(|e| panic!("warm-up get_ticket: {e}"));
    ids
}

/// `calls` calls of `get_ticket` from [`TASKS`] tasks at once; returns
/// (calls ok, calls failed, time from the start to the last answer).
async fn burst(psa: Arc<dyn Psa>, ids: Arc<Vec<Id>>, calls: usize) -> (usize, usize, Duration) {
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let psa = Arc::clone(&psa);
            let ids = Arc::clone(&ids);
            // Spread `calls` over the tasks (the first ones take the rest).
            let mine = calls / TASKS + usize::from(task < calls % TASKS);
            tokio::spawn(async move {
                let (mut ok, mut failed) = (0, 0);
                for k in 0..mine {
                    let id = &ids[(task + k * TASKS) % ids.len()];
                    match psa.get_ticket(id).await {
                        Ok(t) => {
                            std::hint::black_box(t);
                            ok += 1;
                        }
                        Err(e) => {
                            if failed == 0 {
                                println!("task {task}: {e}");
                            }
                            failed += 1;
                        }
                    }
                }
                (ok, failed)
            })
        })
        .collect();
    let (mut ok, mut failed) = (0, 0);
    for t in tasks {
        let (o, f) = t.await.unwrap_or((0, 1));
        ok += o;
        failed += f;
    }
    (ok, failed, start.elapsed())
}

/// The fastest `requests` can go at `max` per rolling `window`.
fn window_ideal(requests: u64, max: u32, window: Duration) -> Duration {
    let windows = requests.saturating_sub(1) / u64::from(max.max(1));
    window.saturating_mul(u32::try_from(windows).unwrap_or(u32::MAX))
}

/// The fastest `requests` can go at `in_flight` at a time, `latency` each.
fn threads_ideal(requests: u64, in_flight: u64, latency: Duration) -> Duration {
    let rounds = requests.div_ceil(in_flight.max(1));
    latency.saturating_mul(u32::try_from(rounds).unwrap_or(u32::MAX))
}

async fn halo(scale: Scale) -> Outcome {
    let mock = psa_halo::HaloMock::builder()
        .rate_limit(scale.max, WINDOW)
        .start()
        .await;
    let client = mock
        .client_builder()
        .rate_limit(psa_halo::RateLimit::Window {
            max: scale.max,
            window: WINDOW,
        })
        .build()
        .unwrap_or_else(|e| panic!("halo client: {e}"));
    let psa: Arc<dyn Psa> = Arc::new(client);
    let ids = warm_up(psa.as_ref()).await;
    // Let the warm-up's requests leave both windows.
    tokio::time::sleep(WINDOW + psa_halo::RateLimit::margin(WINDOW)).await;
    let (req0, tok0, refused0) = (
        mock.request_count(),
        mock.token_requests(),
        mock.rate_limited_requests(),
    );
    let (calls_ok, call_errors, elapsed) = burst(psa, Arc::new(ids), scale.calls).await;
    let requests = (mock.request_count() - req0) - (mock.token_requests() - tok0);
    Outcome {
        calls_ok,
        call_errors,
        requests,
        refused_429: mock.rate_limited_requests() - refused0,
        thread_errors: 0,
        max_in_flight: None,
        elapsed,
        ideal: window_ideal(requests, scale.max, WINDOW),
    }
}

async fn autotask_budget(scale: Scale) -> Outcome {
    let latency = Duration::from_millis(5);
    let mock = psa_autotask::mock::AutotaskMock::builder()
        .enforce_thread_limit(3)
        .latency(latency)
        .rate_limit(scale.max, WINDOW)
        .start()
        .await;
    let window = SlidingWindowLimiter::new(scale.max, WINDOW)
        .with_margin(psa_halo::RateLimit::margin(WINDOW));
    let client = mock
        .client_builder()
        .thread_limit(3)
        .hourly_limit(scale.max)
        .budget_reserve(0.0)
        .threshold_poll(Duration::ZERO, 1)
        .rate_limiter(Arc::new(window))
        .build()
        .unwrap_or_else(|e| panic!("autotask client: {e}"));
    autotask_run(&mock, client, scale, |requests| {
        window_ideal(requests, scale.max, WINDOW)
    })
    .await
}

async fn autotask_threads(scale: Scale) -> Outcome {
    let latency = Duration::from_millis(20);
    let mock = psa_autotask::mock::AutotaskMock::builder()
        .enforce_thread_limit(3)
        .latency(latency)
        .hourly_rate_limit()
        .start()
        .await;
    let client = mock
        .client_builder()
        .build()
        .unwrap_or_else(|e| panic!("autotask client: {e}"));
    autotask_run(&mock, client, scale, |requests| {
        threads_ideal(requests, 3, latency)
    })
    .await
}

async fn autotask_run(
    mock: &psa_autotask::mock::AutotaskMock,
    client: psa_autotask::Client,
    scale: Scale,
    ideal: impl Fn(u64) -> Duration,
) -> Outcome {
    let psa: Arc<dyn Psa> = Arc::new(client);
    let ids = warm_up(psa.as_ref()).await;
    tokio::time::sleep(WINDOW + psa_halo::RateLimit::margin(WINDOW)).await;
    let count = |m: &psa_autotask::mock::AutotaskMock| {
        // Zone discovery is not an API request (and not counted by the budget).
        m.request_count() - m.zone_requests()
    };
    let (req0, budget0, threads0) = (
        count(mock),
        mock.budget_errors(),
        mock.thread_threshold_errors(),
    );
    let (calls_ok, call_errors, elapsed) = burst(psa, Arc::new(ids), scale.calls).await;
    let requests = count(mock) - req0;
    Outcome {
        calls_ok,
        call_errors,
        requests,
        refused_429: mock.budget_errors() - budget0,
        thread_errors: mock.thread_threshold_errors() - threads0,
        max_in_flight: Some(mock.max_in_flight("Tickets")),
        elapsed,
        ideal: ideal(requests),
    }
}
