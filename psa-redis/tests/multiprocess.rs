//! Several processes (not tasks) sharing one tenant through Redis: a
//! budget-enforcing HaloPSA simulator sees no over-limit request; a
//! hundred callers in four processes with an expired token make one token
//! request; a replica killed (SIGKILL) while it holds the refresh lock or
//! concurrency leases blocks nobody past the lease.
//!
//! The processes are this test executable run again: `child` below is their
//! entry point (it does nothing unless `PSA_REDIS_CHILD` names a role). The
//! parent starts the simulator (or a wiremock token endpoint) and the
//! children, and counts what the server received.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use psa_core::http::{
    ApiRequest, HttpClient, HttpConfig, OAuthClientCredentials, OnLimit, RateLimiter, Token,
    TokenAuth, TokenSource, TokenStore,
};
use psa_core::{Id, Psa, Vendor};
use psa_redis::RedisStore;
use secrecy::SecretString;
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROLE: &str = "PSA_REDIS_CHILD";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn env_u64(name: &str) -> u64 {
    env(name).parse().unwrap()
}

fn unix_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// Runs this executable's `child` test with `role` and `vars`.
fn spawn(role: &str, vars: &[(&str, String)]) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// A child's `RESULT ok=… err=… elapsed_ms=…` line (after it exits).
#[derive(Debug, Default, Clone, Copy)]
struct Report {
    ok: u64,
    err: u64,
    elapsed_ms: u64,
}

fn report(child: Child) -> Report {
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "a child failed: {:?}", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.find("RESULT ").map(|at| &l[at..]))
        .unwrap_or_else(|| panic!("no RESULT line in {text}"));
    let mut r = Report::default();
    for part in line.split_whitespace().skip(1) {
        let (k, v) = part.split_once('=').unwrap();
        let v: u64 = v.parse().unwrap();
        match k {
            "ok" => r.ok = v,
            "err" => r.err = v,
            "elapsed_ms" => r.elapsed_ms = v,
            _ => {}
        }
    }
    r
}

/// Waits for a line starting with `marker` on the child's stdout.
fn wait_for_line(child: &mut Child, marker: &str) {
    let stdout = child.stdout.as_mut().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the child ended before {marker}"
        );
        if line.contains(marker) {
            return;
        }
    }
}

async fn token_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/auth/token")
        .count()
}

/// The token endpoint of the token tests' children.
fn oauth(token_url: &str) -> OAuthClientCredentials {
    OAuthClientCredentials::new(token_url, "shared-client", SecretString::from("s3cret")).unwrap()
}

/// The entry point of the child processes; a no-op in a normal test run.
#[test]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let store = RedisStore::builder(env("PSA_REDIS_URL"))
            .prefix(env("PREFIX"))
            .build()
            .unwrap();
        match role.as_str() {
            "halo-budget" => halo_budget(&store).await,
            "token-burst" => token_burst(&store).await,
            "hold-leases" => hold_leases(&store).await,
            other => panic!("unknown role {other}"),
        }
    });
}

/// Waits until the parent's common start time.
async fn start_together() {
    let at = env_u64("START_AT");
    let now = unix_ms();
    if at > now {
        tokio::time::sleep(Duration::from_millis(at - now)).await;
    }
}

async fn halo_budget(store: &RedisStore) {
    let tenant = store.tenant(Vendor::Halo, "acme");
    let window = Duration::from_millis(env_u64("WINDOW_MS"));
    let limiter = tenant
        .window_limiter(u32::try_from(env_u64("MAX")).unwrap(), window)
        .with_margin(Duration::from_millis(env_u64("MARGIN_MS")));
    let client = psa_halo::Client::builder()
        .base_url(env("HALO_URL"))
        .client_id(psa_halo::mock::CLIENT_ID)
        .client_secret(SecretString::from(psa_halo::mock::CLIENT_SECRET))
        .rate_limiter(Arc::new(limiter))
        .token_store(Arc::new(tenant.token_store()))
        .build()
        .unwrap();
    start_together().await;
    let t0 = Instant::now();
    let calls = env_u64("CALLS");
    let tasks = (0..env_u64("TASKS")).map(|_| {
        let c = client.clone();
        tokio::spawn(async move {
            let mut ok = 0;
            for _ in 0..calls {
                if c.get_ticket(&Id::from(1001_i64)).await.is_ok() {
                    ok += 1;
                }
            }
            ok
        })
    });
    let ok: u64 = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .sum();
    let total = calls * env_u64("TASKS");
    println!(
        "\nRESULT ok={ok} err={} elapsed_ms={}",
        total - ok,
        t0.elapsed().as_millis()
    );
}

async fn token_burst(store: &RedisStore) {
    let tokens = store.tenant(Vendor::Halo, "acme").token_store();
    let auth = TokenAuth::new(Arc::new(oauth(&env("TOKEN_URL"))), HttpConfig::default())
        .unwrap()
        .with_store(Arc::new(tokens))
        .with_refresh_lease(Duration::from_millis(env_u64("LEASE_MS")))
        .with_lock_poll_interval(Duration::from_millis(20));
    let client = HttpClient::builder(Vendor::Halo, env("API_URL"))
        .auth(Arc::new(auth))
        .build()
        .unwrap();
    start_together().await;
    let t0 = Instant::now();
    let tasks = (0..env_u64("TASKS")).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.send(ApiRequest::get("Tickets")).await.is_ok() })
    });
    let results = futures::future::join_all(tasks).await;
    let ok = results.iter().filter(|r| matches!(r, Ok(true))).count();
    println!(
        "\nRESULT ok={ok} err={} elapsed_ms={}",
        results.len() - ok,
        t0.elapsed().as_millis()
    );
}

async fn hold_leases(store: &RedisStore) {
    let limiter = store
        .tenant(Vendor::Autotask, "acme")
        .concurrency_limiter(2, Duration::from_millis(env_u64("LEASE_MS")));
    let deadline = Instant::now() + Duration::from_secs(10);
    let _a = limiter.acquire("Tickets", deadline).await.unwrap();
    let _b = limiter.acquire("Tickets", deadline).await.unwrap();
    println!("\nHOLDING");
    // Held until the parent kills this process.
    tokio::time::sleep(Duration::from_secs(120)).await;
}

fn common(store: &RedisStore) -> Vec<(&'static str, String)> {
    vec![
        ("PSA_REDIS_URL", support::redis_url()),
        ("PREFIX", store.prefix().to_owned()),
    ]
}

#[tokio::test]
async fn three_processes_share_one_halo_budget_without_a_429() {
    const MAX: u64 = 30;
    const WINDOW_MS: u64 = 1_500;
    // The window is widened by this margin for the time between the limiter
    // granting a slot and the request reaching the server. The default
    // (100 ms here) is right on a quiet host; a CI machine running other
    // builds on 2 cores delays requests by more than that, so the test
    // gives the jitter a real deployment across a network would get.
    const MARGIN_MS: u64 = 500;
    let store = support::store("mp-budget").await;
    let mock = psa_halo::HaloMock::builder()
        .rate_limit(
            u32::try_from(MAX).unwrap(),
            Duration::from_millis(WINDOW_MS),
        )
        .start()
        .await;
    let start_at = unix_ms() + 1_500;
    let children: Vec<Child> = (0..3)
        .map(|_| {
            let mut vars = common(&store);
            vars.extend([
                ("HALO_URL", mock.base_url()),
                ("MAX", MAX.to_string()),
                ("WINDOW_MS", WINDOW_MS.to_string()),
                ("MARGIN_MS", MARGIN_MS.to_string()),
                ("TASKS", "10".to_owned()),
                ("CALLS", "4".to_owned()),
                ("START_AT", start_at.to_string()),
            ]);
            spawn("halo-budget", &vars)
        })
        .collect();
    let reports: Vec<Report> =
        tokio::task::spawn_blocking(move || children.into_iter().map(report).collect())
            .await
            .unwrap();
    let ok: u64 = reports.iter().map(|r| r.ok).sum();
    assert_eq!(ok, 120, "{reports:?}");
    assert_eq!(mock.rate_limited_requests(), 0, "over-limit requests");
    assert_eq!(mock.requests_to("GET", "/api/Tickets/1001"), 120);
    // One token for all three processes (the store and its lock).
    assert_eq!(mock.token_requests(), 1);
    // 120 requests at 30 per 1.5 s (+ the margin) need ≥ 3 windows.
    let slowest = reports.iter().map(|r| r.elapsed_ms).max().unwrap();
    assert!(slowest >= 3 * WINDOW_MS, "{slowest} ms");
    support::cleanup(&store).await;
}

#[tokio::test]
async fn a_hundred_callers_in_four_processes_on_an_expired_token_make_one_token_request() {
    let store = support::store("mp-token").await;
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "fresh", "expires_in": 3600}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let token_url = format!("{}/auth/token", server.uri());
    // The shared store holds an expired token.
    let tokens = store.tenant(Vendor::Halo, "acme").token_store();
    tokens
        .put(
            &oauth(&token_url).cache_key(),
            Token::new(
                SecretString::from("stale"),
                SystemTime::now() - Duration::from_secs(1),
            ),
        )
        .await
        .unwrap();
    let start_at = unix_ms() + 1_500;
    let children: Vec<Child> = (0..4)
        .map(|_| {
            let mut vars = common(&store);
            vars.extend([
                ("TOKEN_URL", token_url.clone()),
                ("API_URL", format!("{}/api", server.uri())),
                ("TASKS", "25".to_owned()),
                ("LEASE_MS", "5000".to_owned()),
                ("START_AT", start_at.to_string()),
            ]);
            spawn("token-burst", &vars)
        })
        .collect();
    let reports: Vec<Report> =
        tokio::task::spawn_blocking(move || children.into_iter().map(report).collect())
            .await
            .unwrap();
    assert_eq!(
        reports.iter().map(|r| r.ok).sum::<u64>(),
        100,
        "{reports:?}"
    );
    assert_eq!(token_requests(&server).await, 1);
    support::cleanup(&store).await;
}

#[tokio::test]
async fn killing_the_refresh_lock_holder_blocks_nobody_past_the_lease() {
    const LEASE_MS: u64 = 1_500;
    let store = support::store("mp-lock").await;
    let server = MockServer::start().await;
    // The first token request hangs (its process is killed meanwhile).
    Mock::given(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "never", "expires_in": 3600}))
                .set_delay(Duration::from_secs(60)),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "fresh", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let mut vars = common(&store);
    vars.extend([
        ("TOKEN_URL", format!("{}/auth/token", server.uri())),
        ("API_URL", format!("{}/api", server.uri())),
        ("LEASE_MS", LEASE_MS.to_string()),
        ("START_AT", "0".to_owned()),
    ]);
    let mut holder_vars = vars.clone();
    holder_vars.push(("TASKS", "1".to_owned()));
    let mut holder = spawn("token-burst", &holder_vars);
    // Wait until the holder has the lock and its token request is hanging.
    let t0 = Instant::now();
    while token_requests(&server).await == 0 {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "the holder never asked"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let locked_at = Instant::now();
    holder.kill().unwrap(); // SIGKILL: no unlock, no cleanup
    holder.wait().unwrap();
    let mut next_vars = vars;
    next_vars.push(("TASKS", "20".to_owned()));
    let next = spawn("token-burst", &next_vars);
    let r = tokio::task::spawn_blocking(move || report(next))
        .await
        .unwrap();
    let blocked = locked_at.elapsed();
    assert_eq!(r.ok, 20, "{r:?}");
    assert_eq!(
        token_requests(&server).await,
        2,
        "the holder's, then one more"
    );
    // Blocked until the lease ended, not much longer (process start included).
    assert!(
        blocked < Duration::from_millis(LEASE_MS) + Duration::from_secs(3),
        "{blocked:?}"
    );
    support::cleanup(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_a_lease_holder_frees_its_slots_after_the_lease() {
    const LEASE_MS: u64 = 1_000;
    let store = support::store("mp-lease").await;
    let mut vars = common(&store);
    vars.push(("LEASE_MS", LEASE_MS.to_string()));
    let mut holder = spawn("hold-leases", &vars);
    tokio::task::block_in_place(|| wait_for_line(&mut holder, "HOLDING"));
    let limiter = store
        .tenant(Vendor::Autotask, "acme")
        .concurrency_limiter(2, Duration::from_millis(LEASE_MS));
    let fail_fast = store
        .tenant(Vendor::Autotask, "acme")
        .concurrency_limiter(2, Duration::from_millis(LEASE_MS))
        .with_on_limit(OnLimit::FailFast);
    // Held by the other process (its renewals keep them past one lease).
    tokio::time::sleep(Duration::from_millis(LEASE_MS + 200)).await;
    let e = fail_fast
        .acquire("Tickets", Instant::now() + Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    assert_eq!(limiter.in_flight("Tickets").await.unwrap(), 2);
    holder.kill().unwrap();
    holder.wait().unwrap();
    let t0 = Instant::now();
    let _one = limiter
        .acquire("Tickets", Instant::now() + Duration::from_secs(10))
        .await
        .unwrap();
    let _two = limiter
        .acquire("Tickets", Instant::now() + Duration::from_secs(10))
        .await
        .unwrap();
    let waited = t0.elapsed();
    assert!(
        waited <= Duration::from_millis(LEASE_MS + 300),
        "blocked {waited:?} by a dead holder"
    );
    support::cleanup(&store).await;
}
