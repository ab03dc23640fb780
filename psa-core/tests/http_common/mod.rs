//! Helpers shared by the `http_*` integration tests.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use psa_core::Result;
use psa_core::Vendor;
use psa_core::http::{
    HttpClient, HttpClientBuilder, HttpConfig, RateLimiter, RatePermit, RetryPolicy,
};
use tokio::time::Instant;
use wiremock::MockServer;

/// Retries without real waiting: 1–10 ms backoff, `Retry-After` capped at 50 ms.
pub fn fast_config() -> HttpConfig {
    HttpConfig::default().with_retry(
        RetryPolicy::default()
            .with_backoff(Duration::from_millis(1), Duration::from_millis(10))
            .with_max_retry_after(Duration::from_millis(50)),
    )
}

/// A Halo client on `server`'s `/api/`, with [`fast_config`].
pub fn builder(server: &MockServer) -> HttpClientBuilder {
    HttpClient::builder(Vendor::Halo, format!("{}/api", server.uri())).config(fast_config())
}

/// How many requests `server` received.
pub async fn received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// A limiter that grants everything and counts acquisitions and observations.
#[derive(Debug, Default)]
pub struct Counting {
    pub acquired: AtomicUsize,
    pub observed: Mutex<Vec<u16>>,
}

#[async_trait]
impl RateLimiter for Counting {
    async fn acquire(&self, _key: &str, _deadline: Instant) -> Result<RatePermit> {
        self.acquired.fetch_add(1, Ordering::SeqCst);
        Ok(RatePermit::none())
    }
    fn observe(&self, _key: &str, status: http::StatusCode, _headers: &http::HeaderMap) {
        self.observed.lock().unwrap().push(status.as_u16());
    }
}

impl Counting {
    pub fn new() -> Arc<Self> {
        Arc::new(Counting::default())
    }
    pub fn acquired(&self) -> usize {
        self.acquired.load(Ordering::SeqCst)
    }
}
