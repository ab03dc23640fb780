//! Rate limiting through the public API: a burst against a sliding window
//! (paused clock, exact), and a concurrency limit held until the body is read.
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

mod http_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use futures::future::join_all;
use http_common::builder;
use psa_core::Result;
use psa_core::http::{
    AllOf, ApiRequest, ConcurrencyLimiter, OnLimit, RateLimiter, RatePermit, SlidingWindowLimiter,
};
use tokio::time::Instant;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test(start_paused = true)]
async fn burst_of_sixty_tasks_never_exceeds_the_window_and_uses_it() {
    const MAX: usize = 20;
    const WINDOW: Duration = Duration::from_millis(200);
    let limiter: Arc<dyn RateLimiter> = Arc::new(SlidingWindowLimiter::new(20, WINDOW));
    let t0 = Instant::now();
    let deadline = t0 + Duration::from_secs(60);
    let tasks = (0..60).map(|_| {
        let l = Arc::clone(&limiter);
        tokio::spawn(async move {
            let _permit = l.acquire("Tickets", deadline).await.unwrap();
            Instant::now()
        })
    });
    let mut starts: Vec<Instant> = join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    starts.sort();
    // No rolling window holds more than MAX starts.
    for (i, start) in starts.iter().enumerate() {
        let in_window = starts[i..]
            .iter()
            .take_while(|s| **s - *start < WINDOW)
            .count();
        assert!(in_window <= MAX, "{in_window} starts in one window");
    }
    // Throughput: 60 starts at 20 per 200 ms fit in [0, 400 ms]; ≥ 90 % of
    // the allowed rate over the time used.
    let used = *starts.last().unwrap() - t0 + WINDOW;
    let allowed = MAX as f64 * used.as_secs_f64() / WINDOW.as_secs_f64();
    assert!(
        starts.len() as f64 >= 0.9 * allowed,
        "{} starts in {used:?}, {allowed} allowed",
        starts.len()
    );
}

#[tokio::test(start_paused = true)]
async fn fail_fast_window_reports_when_a_slot_frees() {
    let limiter =
        SlidingWindowLimiter::new(3, Duration::from_secs(300)).with_on_limit(OnLimit::FailFast);
    let deadline = Instant::now() + Duration::from_secs(600);
    for _ in 0..3 {
        limiter.acquire("k", deadline).await.unwrap();
    }
    tokio::time::advance(Duration::from_secs(100)).await;
    let e = limiter.acquire("k", deadline).await.unwrap_err();
    assert!(e.is_rate_limited());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(200)));
}

/// Wraps a limiter and records the most permits held at once.
#[derive(Debug)]
struct Tracking {
    inner: Arc<dyn RateLimiter>,
    held: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

struct Release(Arc<AtomicUsize>);

impl Drop for Release {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl RateLimiter for Tracking {
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit> {
        let mut permit = self.inner.acquire(key, deadline).await?;
        let now = self.held.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        permit.merge(RatePermit::holding(Release(Arc::clone(&self.held))));
        Ok(permit)
    }
}

#[tokio::test]
async fn concurrency_limit_holds_until_the_body_is_read() {
    let server = MockServer::start().await;
    Mock::given(path("/api/Tickets"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("[]")
                .set_delay(Duration::from_millis(30)),
        )
        .expect(10)
        .mount(&server)
        .await;
    let held = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let limiter = Tracking {
        inner: Arc::new(AllOf::new().and(Arc::new(ConcurrencyLimiter::per_key(2)))),
        held: Arc::clone(&held),
        peak: Arc::clone(&peak),
    };
    let client = builder(&server)
        .rate_limiter(Arc::new(limiter))
        .build()
        .unwrap();
    let calls = (0..10).map(|_| {
        let c = client.clone();
        async move { c.send(ApiRequest::get("Tickets").rate_key("Tickets")).await }
    });
    for r in join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(peak.load(Ordering::SeqCst), 2);
    assert_eq!(held.load(Ordering::SeqCst), 0, "every permit released");
}
