//! Call overhead: reading one ticket through the SDK — the vendor client's
//! typed call and the uniform `Psa::get_ticket` — against a bare reqwest +
//! serde_json request to the same loopback simulator, as a cost ratio
//! (SDK time / bare time). Goal (DESIGN.md): ≤ 1.10.
//!
//! The simulators' default clients carry no client-side limiter that could
//! wait here (see `psa_benches::sims::Sim`); every call is sequential.
//!
//! ServiceNow's `Psa::get_ticket` reads the record and its SLA timers
//! (`task_sla`) in one Batch API request: more work for the instance than a
//! `GET` of the record alone. So ServiceNow has a second baseline, a bare
//! reqwest + serde_json client sending the same batch (its body taken from
//! the simulator's log once, serialised on each call) and decoding its
//! items: the SDK's own cost is the
//! ratio to that; the ratio to the bare `GET` is what reading the SLA
//! timers along costs.
//!
//! `cargo bench -p psa-benches --bench call_overhead`; without `--bench` it
//! makes each call once as a smoke test.
#![allow(clippy::print_stdout)] // a bench prints its table

use criterion::{BenchmarkId, Criterion};
use psa_benches::pages::VENDORS;
use psa_benches::sims::{Bare, Sim};
use psa_benches::stats::{Ratio, div};
use psa_core::Id;
use std::hint::black_box;
use std::time::{Duration, Instant};

const GOAL: f64 = 1.10;

struct Case {
    sim: Sim,
    bare: Bare,
    id: Id,
    native: String,
    /// ServiceNow: the batch `Psa::get_ticket` sends.
    exchange: Option<serde_json::Value>,
}

impl Case {
    async fn bare(&self) -> usize {
        self.bare
            .get(&self.native)
            .await
            .unwrap_or_else(|e| panic!("bare call failed: {e}"))
    }
    async fn typed(&self) -> usize {
        self.sim
            .get_typed(&self.native)
            .await
            .unwrap_or_else(|e| panic!("typed call failed: {e}"))
    }
    async fn psa(&self) -> usize {
        self.sim.psa().get_ticket(&self.id).await.map_or_else(
            |e| panic!("Psa::get_ticket failed: {e}"),
            |t| t.summary.len(),
        )
    }
    /// Requests the simulator sees for `n` calls of `which`.
    async fn requests_per_call(&self, which: usize, n: u64) -> f64 {
        let before = self.sim.request_count();
        for _ in 0..n {
            self.call(which).await;
        }
        #[allow(clippy::cast_precision_loss)]
        let per = (self.sim.request_count() - before) as f64 / n as f64;
        per
    }
    async fn bare_exchange(&self) -> usize {
        match &self.exchange {
            Some(body) => self
                .bare
                .batch(body)
                .await
                .unwrap_or_else(|e| panic!("bare batch failed: {e}")),
            None => self.bare().await,
        }
    }
    /// The paths measured: 0 bare GET, 1 typed, 2 `Psa`, and for
    /// ServiceNow 3, the bare batch.
    fn paths(&self) -> usize {
        if self.exchange.is_some() { 4 } else { 3 }
    }
    async fn call(&self, which: usize) -> usize {
        match which {
            0 => self.bare().await,
            1 => self.typed().await,
            2 => self.psa().await,
            _ => self.bare_exchange().await,
        }
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    let cases: Vec<Case> = rt.block_on(async {
        let mut cases = Vec::new();
        for v in VENDORS {
            let sim = Sim::start(v).await;
            let (id, native) = sim
                .sample_ticket()
                .await
                .unwrap_or_else(|e| panic!("{v:?}: no sample ticket: {e}"));
            let bare = sim
                .bare()
                .await
                .unwrap_or_else(|e| panic!("{v:?}: bare client: {e}"));
            let mut case = Case {
                sim,
                bare,
                id,
                native,
                exchange: None,
            };
            // Warm-up: tokens, zone discovery, picklists and look-up caches.
            for which in 0..3 {
                case.call(which).await;
            }
            case.exchange = case
                .sim
                .last_batch_body()
                .await
                .and_then(|b| serde_json::from_slice(&b).ok());
            cases.push(case);
        }
        cases
    });

    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("get_ticket");
    for case in &cases {
        let name = case.sim.vendor().as_str();
        let labels = ["bare_reqwest", "sdk_typed", "sdk_psa", "bare_batch"];
        for (which, label) in labels.iter().enumerate().take(case.paths()) {
            group.bench_function(BenchmarkId::new(*label, name), |b| {
                b.to_async(&rt)
                    .iter(|| async { black_box(case.call(which).await) });
            });
        }
    }
    group.finish();

    // 100 calls a round: at ~150 µs a call, 20 calls (3 ms) were short
    // enough for scheduler noise to move a round by ±10 %.
    let (rounds, calls) = if full { (61, 100) } else { (1, 1) };
    println!();
    println!(
        "call overhead: cost ratio to a bare reqwest + serde_json client on the same simulator, goal <= {GOAL}"
    );
    println!(
        "| vendor | requests a call (bare / typed / Psa) | typed client / bare GET | Psa::get_ticket / bare GET | Psa::get_ticket / bare of the same exchange | goal met (typed, Psa) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for case in &cases {
        let (typed, psa, same, reqs) = rt.block_on(measure(case, rounds, calls));
        let show = |r: Option<Ratio>| r.map_or_else(|| "n/a".to_owned(), |r| r.to_string());
        let met = |r: Option<Ratio>| {
            if r.is_some_and(|r| r.median <= GOAL) {
                "yes"
            } else {
                "no"
            }
        };
        let same_text = if case.paths() == 4 {
            show(same)
        } else {
            "(the same GET)".to_owned()
        };
        println!(
            "| {} | {} / {} / {} | {} | {} | {} | {}, {} |",
            case.sim.vendor().as_str(),
            reqs[0],
            reqs[1],
            reqs[2],
            show(typed),
            show(psa),
            same_text,
            met(typed),
            met(same),
        );
    }
    c.final_summary();
}

/// The cost ratios of `rounds` rounds of `calls` calls of each path (typed
/// / bare GET, Psa / bare GET, Psa / bare of the same exchange) and the
/// requests each of the first three paths makes a call.
async fn measure(
    case: &Case,
    rounds: usize,
    calls: usize,
) -> (Option<Ratio>, Option<Ratio>, Option<Ratio>, [f64; 3]) {
    let n = case.paths();
    let (mut typed, mut psa, mut same) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rounds {
        let mut t = [Duration::ZERO; 4];
        // Rotate the order so that no path always runs first.
        for k in 0..n {
            let which = (r + k) % n;
            let start = Instant::now();
            for _ in 0..calls {
                black_box(case.call(which).await);
            }
            t[which] = start.elapsed();
        }
        typed.push(div(t[1], t[0]));
        psa.push(div(t[2], t[0]));
        same.push(div(t[2], if n == 4 { t[3] } else { t[0] }));
    }
    let mut reqs = [0.0; 3];
    for (which, r) in reqs.iter_mut().enumerate() {
        *r = case.requests_per_call(which, 10).await;
    }
    (Ratio::of(&typed), Ratio::of(&psa), Ratio::of(&same), reqs)
}
