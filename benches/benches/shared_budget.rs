//! Shared budgets on Redis (psa-redis, psa-tenants):
//!
//! 1. **Four processes × 50 tasks** make `Psa::get_ticket` calls through
//!    one HaloPSA tenant whose limit (300 per rolling 5 minutes, scaled to
//!    300 per rolling 3 s) is kept in a [`psa_redis::RedisWindowLimiter`],
//!    against one `HaloMock` enforcing that limit. Goal: 0 refusals (429)
//!    and ≥ 0.9 of the allowed rate (the fastest schedule the limit admits
//!    for the requests received, over the time from the first start to the
//!    last answer).
//! 2. **Cost per call** of the Redis window's `acquire` (one script on
//!    loopback) against psa-core's in-process `SlidingWindowLimiter`, both
//!    with room to spare (no waiting): the ratio of medians over
//!    alternating rounds, and the Redis call's absolute p50/p99.
//! 3. **Memory per idle tenant**: 1,000 HaloPSA tenants registered in a
//!    `psa_tenants::TenantRegistry`, each with its client built (and never
//!    used), as resident-memory growth per tenant.
//!
//! `cargo bench -p psa-benches --bench shared_budget` (needs a Redis:
//! `PSA_REDIS_URL`, default `redis://127.0.0.1:6379/`); without `--bench`
//! it runs a smaller smoke version.
#![allow(
    clippy::print_stdout,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use psa_core::http::{RateLimiter, SlidingWindowLimiter};
use psa_core::{Id, Psa, Vendor};
use psa_permissions::{Policy, Profile};
use psa_redis::RedisStore;
use psa_tenants::{CredentialProvider, Credentials, HaloFactory, TenantConfig, TenantRegistry};
use secrecy::SecretString;

const PROCESSES: usize = 4;
const TASKS: usize = 50;
const WINDOW: Duration = Duration::from_secs(3);
const GOAL: f64 = 0.9;
const CHILD: &str = "--psa-shared-child";

fn redis_url() -> String {
    std::env::var("PSA_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned())
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(0))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    if let Some(at) = args.iter().position(|a| a == CHILD) {
        let get = |i: usize| args.get(at + i).cloned().unwrap_or_default();
        rt.block_on(child(&get(1), &get(2), &get(3), &get(4), &get(5)));
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
    let (max, calls_per_task, overhead_rounds, tenants) = if full {
        (300_u32, 6_usize, 41_usize, 1_000_usize)
    } else {
        (60, 2, 5, 100)
    };
    let budget = rt.block_on(processes(max, calls_per_task));
    let overhead = rt.block_on(overhead(overhead_rounds));
    let memory = rt.block_on(idle_tenants(tenants));

    println!();
    println!(
        "shared_budget: {PROCESSES} processes x {TASKS} tasks, one Halo tenant on Redis, simulator enforcing {max} per rolling {} s",
        WINDOW.as_secs()
    );
    println!(
        "| calls ok / failed | requests | 429s | token requests | time taken | fastest allowed | achieved / allowed rate | goal met |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let fraction = budget.ideal.as_secs_f64() / budget.elapsed.as_secs_f64();
    println!(
        "| {} / {} | {} | {} | {} | {:.2} s | {:.2} s | {fraction:.3} | {} |",
        budget.ok,
        budget.failed,
        budget.requests,
        budget.refused,
        budget.tokens,
        budget.elapsed.as_secs_f64(),
        budget.ideal.as_secs_f64(),
        if budget.refused == 0 && budget.failed == 0 && fraction >= GOAL {
            "yes"
        } else {
            "no"
        }
    );
    println!();
    println!(
        "| limiter acquire | median per call | p99 per call | Redis / in-process (median ratio, IQR) |"
    );
    println!("| --- | --- | --- | --- |");
    println!(
        "| in-process SlidingWindowLimiter | {:.2} µs | {:.2} µs | 1 |",
        overhead.local_p50_us, overhead.local_p99_us
    );
    println!(
        "| RedisWindowLimiter (loopback) | {:.1} µs | {:.1} µs | {:.0} ({:.0}–{:.0}) |",
        overhead.redis_p50_us,
        overhead.redis_p99_us,
        overhead.ratio.median,
        overhead.ratio.p25,
        overhead.ratio.p75
    );
    println!();
    println!("| tenants registered, clients built | resident growth | per idle tenant |");
    println!("| --- | --- | --- |");
    println!(
        "| {tenants} | {} KiB | {:.1} KiB |",
        memory.0,
        memory.0 as f64 / tenants as f64
    );
}

#[derive(Debug, Default)]
struct Budget {
    ok: u64,
    failed: u64,
    requests: u64,
    refused: u64,
    tokens: u64,
    elapsed: Duration,
    ideal: Duration,
}

async fn processes(max: u32, calls_per_task: usize) -> Budget {
    let prefix = format!("psa-bench-{}-{}", std::process::id(), unix_ms());
    let store = RedisStore::builder(redis_url())
        .prefix(prefix.clone())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .ping()
        .await
        .unwrap_or_else(|e| panic!("this bench needs a Redis at {}: {e}", redis_url()));
    let mock = psa_halo::HaloMock::builder()
        .rate_limit(max, WINDOW)
        .start()
        .await;
    let start_at = unix_ms() + 2_000;
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(&exe)
                .args([
                    CHILD,
                    &mock.base_url(),
                    &prefix,
                    &max.to_string(),
                    &calls_per_task.to_string(),
                    &start_at.to_string(),
                ])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let outputs = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap_or_else(|e| panic!("{e}")))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Budget::default();
    let mut last_end = 0_u64;
    for o in outputs {
        let text = String::from_utf8_lossy(&o.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("CHILD "))
            .unwrap_or_else(|| panic!("no CHILD line: {text}"));
        let v: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        out.ok += v[0];
        out.failed += v[1];
        last_end = last_end.max(v[2]);
    }
    out.requests = mock.requests_to("GET", "/api/Tickets/1001");
    out.refused = mock.rate_limited_requests();
    out.tokens = mock.token_requests();
    out.elapsed = Duration::from_millis(last_end.saturating_sub(start_at));
    let windows = out.requests.saturating_sub(1) / u64::from(max);
    out.ideal = WINDOW * u32::try_from(windows).unwrap_or(u32::MAX);
    let _ = store.delete_all_keys().await;
    out
}

async fn child(halo_url: &str, prefix: &str, max: &str, calls: &str, start_at: &str) {
    let store = RedisStore::builder(redis_url())
        .prefix(prefix)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let tenant = store.tenant(Vendor::Halo, "acme");
    let limiter = tenant.window_limiter(max.parse().unwrap_or(1), WINDOW);
    let client = psa_halo::Client::builder()
        .base_url(halo_url)
        .client_id(psa_halo::mock::CLIENT_ID)
        .client_secret(SecretString::from(psa_halo::mock::CLIENT_SECRET))
        .rate_limiter(Arc::new(limiter))
        .token_store(Arc::new(tenant.token_store()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let calls: usize = calls.parse().unwrap_or(1);
    let at: u64 = start_at.parse().unwrap_or(0);
    let now = unix_ms();
    if at > now {
        tokio::time::sleep(Duration::from_millis(at - now)).await;
    }
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move {
                let mut ok = 0_u64;
                for _ in 0..calls {
                    if c.get_ticket(&Id::from(1001_i64)).await.is_ok() {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += t.await.unwrap_or(0);
    }
    let total = (calls * TASKS) as u64;
    println!("CHILD {ok} {} {}", total - ok, unix_ms());
}

struct Overhead {
    local_p50_us: f64,
    local_p99_us: f64,
    redis_p50_us: f64,
    redis_p99_us: f64,
    ratio: psa_benches::stats::Ratio,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

async fn overhead(rounds: usize) -> Overhead {
    const CALLS: usize = 200;
    let store = RedisStore::builder(redis_url())
        .prefix(format!("psa-bench-overhead-{}", std::process::id()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let redis = store
        .tenant(Vendor::Halo, "acme")
        .window_limiter(u32::MAX, Duration::from_secs(1));
    let local = SlidingWindowLimiter::new(u32::MAX, Duration::from_secs(1));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3600);
    let (mut local_calls, mut redis_calls, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..CALLS {
            let _ = local.acquire("k", deadline).await;
        }
        let local_round = t.elapsed();
        local_calls.push(local_round.as_secs_f64() * 1e6 / CALLS as f64);
        let t = Instant::now();
        for _ in 0..CALLS {
            let c = Instant::now();
            redis
                .acquire("k", deadline)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            redis_calls.push(c.elapsed().as_secs_f64() * 1e6);
        }
        let redis_round = t.elapsed();
        ratios.push(redis_round.as_secs_f64() / local_round.as_secs_f64());
    }
    // The in-process call is too short to time one by one: its per-call
    // figures are round means.
    local_calls.sort_by(f64::total_cmp);
    redis_calls.sort_by(f64::total_cmp);
    let _ = store.delete_all_keys().await;
    Overhead {
        local_p50_us: percentile(&local_calls, 0.5),
        local_p99_us: percentile(&local_calls, 0.99),
        redis_p50_us: percentile(&redis_calls, 0.5),
        redis_p99_us: percentile(&redis_calls, 0.99),
        ratio: psa_benches::stats::Ratio::of(&ratios).unwrap_or_else(|| panic!("no rounds")),
    }
}

#[derive(Debug)]
struct MockCredentials;

#[async_trait::async_trait]
impl CredentialProvider for MockCredentials {
    async fn credentials(&self, _tenant: &str) -> psa_core::Result<Credentials> {
        Ok(Credentials::new()
            .with("client_id", SecretString::from(psa_halo::mock::CLIENT_ID))
            .with(
                "client_secret",
                SecretString::from(psa_halo::mock::CLIENT_SECRET),
            ))
    }
}

/// Resident growth (KiB) of `n` registered tenants with built clients.
async fn idle_tenants(n: usize) -> (u64,) {
    let redis = RedisStore::builder(redis_url())
        .prefix(format!("psa-bench-tenants-{}", std::process::id()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let registry = TenantRegistry::new(
        Arc::new(MockCredentials),
        Arc::new(HaloFactory::new().shared(redis)),
    );
    // Warm up: one tenant built, so that one-off allocations are not counted.
    registry.register(TenantConfig::new(
        "warm",
        Vendor::Halo,
        "http://127.0.0.1:9",
        Policy::profile(Profile::Helpdesk),
    ));
    let _ = registry.client("warm").await;
    let before = psa_benches::memory::resident()
        .unwrap_or_else(|e| panic!("{e}"))
        .now_kib;
    for i in 0..n {
        let id = format!("tenant-{i:04}");
        registry.register(TenantConfig::new(
            id.clone(),
            Vendor::Halo,
            format!("http://127.0.0.{}:9", 1 + i % 200),
            Policy::profile(Profile::Helpdesk),
        ));
        registry.client(&id).await.unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(registry.active(), n + 1);
    let after = psa_benches::memory::resident()
        .unwrap_or_else(|e| panic!("{e}"))
        .now_kib;
    (after.saturating_sub(before),)
}
