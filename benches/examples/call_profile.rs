//! Makes `N` calls of one path against one simulator, for an instruction
//! profiler: `valgrind --tool=callgrind target/release/examples/call_profile
//! connectwise psa 500`. Paths: `bare`, `typed`, `psa`, `batch` (ServiceNow:
//! a bare client sending the batch `psa` sends), `none` (warm-up only, to
//! subtract the set-up).
#![allow(clippy::print_stdout)]

use psa_benches::sims::Sim;
use psa_core::Vendor;
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let vendor = match args.get(1).map(String::as_str) {
        Some("halo") => Vendor::Halo,
        Some("autotask") => Vendor::Autotask,
        Some("servicenow") => Vendor::ServiceNow,
        _ => Vendor::ConnectWise,
    };
    let which = args.get(2).cloned().unwrap_or_else(|| "psa".to_owned());
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(500);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    rt.block_on(async {
        let sim = Sim::start(vendor).await;
        let (id, native) = sim.sample_ticket().await.unwrap_or_else(|e| panic!("{e}"));
        let bare = sim.bare().await.unwrap_or_else(|e| panic!("{e}"));
        let psa = sim.psa();
        // Warm-up: every path once.
        bare.get(&native).await.unwrap_or_else(|e| panic!("{e}"));
        sim.get_typed(&native)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        psa.get_ticket(&id).await.unwrap_or_else(|e| panic!("{e}"));
        let exchange: serde_json::Value = sim
            .last_batch_body()
            .await
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        for _ in 0..n {
            match which.as_str() {
                "bare" => {
                    black_box(bare.get(&native).await.unwrap_or_else(|e| panic!("{e}")));
                }
                "typed" => {
                    black_box(
                        sim.get_typed(&native)
                            .await
                            .unwrap_or_else(|e| panic!("{e}")),
                    );
                }
                "batch" => {
                    black_box(
                        bare.batch(&exchange)
                            .await
                            .unwrap_or_else(|e| panic!("{e}")),
                    );
                }
                "psa" => {
                    black_box(psa.get_ticket(&id).await.unwrap_or_else(|e| panic!("{e}")));
                }
                _ => {}
            }
        }
        println!("{vendor:?} {which} {n}");
    });
}
