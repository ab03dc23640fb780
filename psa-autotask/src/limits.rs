//! Autotask's limits as `psa_core::http` rate limiters.
//!
//! Autotask enforces two limits, and a client stays under both by default:
//!
//! - **Threads**: at most 3 requests in flight per integration code and
//!   object endpoint. [`thread_limiter`] is a per-endpoint
//!   `ConcurrencyLimiter` shared by every client of the integration code in
//!   the process (`psa_core::http::shared_limiter`).
//! - **The hourly budget**: 10,000 requests per rolling hour per database,
//!   shared by every integration of the tenant. Two limiters keep a client
//!   inside it:
//!   - [`hourly_window`]: the integration's own requests, at most
//!     `limit × (1 − reserve)` per hour (a `SlidingWindowLimiter`, shared by
//!     the clients of the integration code in the process, or replaced
//!     with one shared by replicas:
//!     [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter));
//!   - [`ThresholdBudget`]: the whole database's use, learnt from
//!     `GET /V1.0/ThresholdInformation`, read sparingly (at most every
//!     `poll_interval`, or after `poll_after_requests` requests of this
//!     client, whichever comes first). Between reads it adds the client's
//!     own requests to the last reading; when the estimate reaches
//!     `limit × (1 − reserve)` a request waits ([`BudgetMode::Wait`]) or
//!     fails with `RateLimited` and a `retry_after` ([`BudgetMode::FailFast`]),
//!     before anything is sent.
//!
//! The client's limiter is `AllOf` the three, in that order: the budget
//! first (no thread slot is held while it waits), then the threads, then the
//! window.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::future::BoxFuture;
use psa_core::http::{
    ConcurrencyLimiter, OnLimit, RateLimiter, RatePermit, SlidingWindowLimiter, shared_limiter,
};
use psa_core::{Error, ErrorKind, Result, Vendor};

use crate::models::ThresholdInformation;

/// The rate key of `GET /V1.0/ThresholdInformation`: the budget lets it
/// through unmetered, since it is how the budget learns (Autotask counts it
/// like any request, and the reading includes it).
pub(crate) const THRESHOLD_KEY: &str = "thresholdinformation";

/// What a call does when the hourly budget is nearly spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BudgetMode {
    /// Wait until the budget frees up (bounded by the maximum wait and the
    /// call's deadline), then send.
    #[default]
    Wait,
    /// Fail at once with a `RateLimited` error carrying `retry_after`.
    FailFast,
}

/// Budget settings (see [`ClientBuilder`](crate::ClientBuilder)).
#[derive(Debug, Clone)]
pub(crate) struct BudgetConfig {
    pub(crate) mode: BudgetMode,
    pub(crate) reserve: f64,
    pub(crate) hourly_limit: u32,
    pub(crate) poll_interval: Duration,
    pub(crate) poll_after_requests: u32,
    pub(crate) max_wait: Duration,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig {
            mode: BudgetMode::Wait,
            reserve: 0.10,
            hourly_limit: 10_000,
            poll_interval: Duration::from_secs(300),
            poll_after_requests: 500,
            max_wait: Duration::from_secs(900),
        }
    }
}

impl BudgetConfig {
    /// Checks the settings: a reserve in `[0, 1)`, a limit of at least 1.
    pub(crate) fn validate(&self) -> Result<()> {
        if !(0.0..1.0).contains(&self.reserve) || self.reserve.is_nan() {
            return Err(Error::config(format!(
                "the budget reserve must be a fraction in [0, 1), got {}",
                self.reserve
            )));
        }
        if self.hourly_limit == 0 {
            return Err(Error::config("the hourly limit must be at least 1"));
        }
        Ok(())
    }

    /// The most requests this client lets the tenant reach in an hour of
    /// `limit`: `limit × (1 − reserve)`, at least 1.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    pub(crate) fn allowance(&self, limit: i64) -> u64 {
        let limit = limit.max(1) as f64;
        (limit * (1.0 - self.reserve.clamp(0.0, 1.0)))
            .floor()
            .max(1.0) as u64
    }

    fn on_limit(&self) -> OnLimit {
        match self.mode {
            BudgetMode::Wait => OnLimit::Wait {
                max_wait: self.max_wait,
            },
            BudgetMode::FailFast => OnLimit::FailFast,
        }
    }
}

/// The concurrency limiter of one integration code in this process:
/// Autotask counts threads per (integration code, object endpoint), so every
/// client of the same code shares one limiter, keyed by the code's hash.
pub(crate) fn thread_limiter(integration_key: &str, limit: usize) -> Arc<ConcurrencyLimiter> {
    shared_limiter(
        &format!("autotask threads {integration_key} {limit}"),
        || ConcurrencyLimiter::per_key(limit),
    )
}

/// The integration's own hourly count: a sliding window of
/// `hourly_limit × (1 − reserve)` requests per hour that waits or fails fast
/// by the mode, shared by the clients of the integration code in this
/// process that count the same way.
pub(crate) fn hourly_window(
    integration_key: &str,
    config: &BudgetConfig,
) -> Arc<SlidingWindowLimiter> {
    let allowance =
        u32::try_from(config.allowance(i64::from(config.hourly_limit))).unwrap_or(u32::MAX);
    let on_limit = config.on_limit();
    shared_limiter(
        &format!("autotask hourly {integration_key} {allowance} {on_limit:?}"),
        || SlidingWindowLimiter::new(allowance, Duration::from_secs(3600)).with_on_limit(on_limit),
    )
}

/// Reads the database's `ThresholdInformation` for a [`ThresholdBudget`].
pub(crate) type ThresholdReader =
    Arc<dyn Fn() -> BoxFuture<'static, Result<ThresholdInformation>> + Send + Sync>;

#[derive(Debug, Default)]
struct State {
    /// The last reading and when it was taken.
    reading: Option<(Instant, ThresholdInformation)>,
    /// Requests this client sent since the last reading.
    since_reading: u64,
    /// When the last reading was attempted (failed readings count too, so a
    /// broken endpoint is not hammered).
    last_attempt: Option<Instant>,
}

/// What the budget says about the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Send it.
    Go,
    /// The allowance is spent; look again after this long.
    Spent(Duration),
}

/// The database-wide hourly budget of one client (shared by its clones), as
/// a rate limiter: it reads `ThresholdInformation` itself through its
/// reader, when a reading is due, and admits, delays or refuses each
/// request. The reading's own request (rate key [`THRESHOLD_KEY`]) passes
/// unmetered.
pub(crate) struct ThresholdBudget {
    config: BudgetConfig,
    state: Mutex<State>,
    poll: tokio::sync::Mutex<()>,
    reader: ThresholdReader,
}

impl fmt::Debug for ThresholdBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ThresholdBudget")
            .field("config", &self.config)
            .field("reading", &state.reading.map(|(_, r)| r))
            .field("since_reading", &state.since_reading)
            .finish_non_exhaustive()
    }
}

impl ThresholdBudget {
    /// A budget with `config` (validated by the builder) reading through `reader`.
    pub(crate) fn new(config: BudgetConfig, reader: ThresholdReader) -> ThresholdBudget {
        ThresholdBudget {
            config,
            state: Mutex::new(State::default()),
            poll: tokio::sync::Mutex::new(()),
            reader,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a reading of `ThresholdInformation`.
    pub(crate) fn learn(&self, info: ThresholdInformation) {
        let mut s = self.lock();
        let now = Instant::now();
        s.reading = Some((now, info));
        s.since_reading = 0;
        s.last_attempt = Some(now);
    }

    /// Whether a reading is due now.
    fn poll_due(&self, now: Instant) -> bool {
        if self.config.poll_interval.is_zero() {
            return false;
        }
        let s = self.lock();
        match s.last_attempt {
            None => true,
            Some(last) => {
                now.duration_since(last) >= self.config.poll_interval
                    || s.since_reading >= u64::from(self.config.poll_after_requests)
            }
        }
    }

    /// The verdict for the next request, from the last reading plus this
    /// client's requests since.
    fn verdict(&self, now: Instant) -> Verdict {
        let s = self.lock();
        let (limit, used, timeframe) = match s.reading {
            Some((_, r)) => (
                r.external_request_threshold,
                u64::try_from(r.current_timeframe_request_count).unwrap_or_default(),
                r.request_threshold_timeframe,
            ),
            // Without readings (polling off, or the first one failed) the
            // sliding-window limiter alone governs this client's own rate.
            None => return Verdict::Go,
        };
        let estimate = used + s.since_reading;
        if estimate < self.config.allowance(limit) {
            return Verdict::Go;
        }
        // Spent: come back when a new reading may show the window moved on.
        let window = Duration::from_secs(u64::try_from(timeframe.max(1)).unwrap_or(60) * 60);
        let since = s
            .last_attempt
            .map_or(Duration::ZERO, |t| now.duration_since(t));
        let interval = if self.config.poll_interval.is_zero() {
            window
        } else {
            self.config.poll_interval
        };
        Verdict::Spent(interval.saturating_sub(since).max(Duration::from_secs(1)))
    }

    fn count(&self) {
        self.lock().since_reading += 1;
    }

    /// Reads `ThresholdInformation` when a reading is due; one reading at a
    /// time, late arrivals re-check instead. A failed reading keeps the last
    /// estimate.
    async fn refresh(&self) {
        if !self.poll_due(Instant::now()) {
            return;
        }
        let _one_at_a_time = self.poll.lock().await;
        if !self.poll_due(Instant::now()) {
            return;
        }
        self.lock().last_attempt = Some(Instant::now());
        match (self.reader)().await {
            Ok(info) => self.learn(info),
            Err(e) => tracing::warn!(
                error = %e,
                "could not read Autotask's ThresholdInformation; keeping the last estimate"
            ),
        }
    }

    fn spent(&self, retry_after: Duration) -> Error {
        Error::new(
            ErrorKind::RateLimited,
            format!(
                "the Autotask database's hourly request budget is spent down to this client's reserve ({:.0}% kept for other integrations); not sending",
                self.config.reserve * 100.0
            ),
        )
        .with_vendor(Vendor::Autotask)
        .with_retry_after(retry_after)
    }
}

#[async_trait]
impl RateLimiter for ThresholdBudget {
    async fn acquire(&self, key: &str, deadline: tokio::time::Instant) -> Result<RatePermit> {
        if key == THRESHOLD_KEY {
            return Ok(RatePermit::none());
        }
        let started = Instant::now();
        loop {
            self.refresh().await;
            match self.verdict(Instant::now()) {
                Verdict::Go => {
                    self.count();
                    return Ok(RatePermit::none());
                }
                Verdict::Spent(after) => {
                    let wait_left = self.config.max_wait.saturating_sub(started.elapsed());
                    let deadline_left =
                        deadline.saturating_duration_since(tokio::time::Instant::now());
                    let wait = after.min(wait_left);
                    // Fail now when waiting is off, or when the next look
                    // would come after the call's deadline.
                    if self.config.mode == BudgetMode::FailFast
                        || wait.is_zero()
                        || deadline_left <= wait
                    {
                        return Err(self.spent(after));
                    }
                    tokio::time::sleep(wait).await;
                    // Take a fresh reading after the wait.
                    self.lock().last_attempt = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn far() -> tokio::time::Instant {
        tokio::time::Instant::now() + Duration::from_secs(3600)
    }

    /// A budget whose reader answers `used` of 10,000 and counts its reads.
    fn budget(config: BudgetConfig, used: i64) -> (ThresholdBudget, Arc<AtomicU64>) {
        let reads = Arc::new(AtomicU64::new(0));
        let counter = reads.clone();
        let reader: ThresholdReader = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { Ok(ThresholdInformation::new(10_000, 60, used)) })
        });
        (ThresholdBudget::new(config, reader), reads)
    }

    #[test]
    fn readings_drive_the_verdict() {
        let (b, _) = budget(BudgetConfig::default(), 0);
        assert_eq!(b.config.allowance(10_000), 9_000);
        assert!(b.poll_due(Instant::now()));
        b.learn(ThresholdInformation::new(10_000, 60, 8_998));
        assert!(!b.poll_due(Instant::now()));
        assert_eq!(b.verdict(Instant::now()), Verdict::Go);
        b.count();
        assert_eq!(b.verdict(Instant::now()), Verdict::Go);
        b.count();
        match b.verdict(Instant::now()) {
            Verdict::Spent(after) => {
                assert!(after <= Duration::from_secs(300) && after >= Duration::from_secs(1));
            }
            Verdict::Go => panic!("9,000 of 9,000 used but still going"),
        }
        // A tenant with a bigger allotment.
        b.learn(ThresholdInformation::new(50_000, 60, 9_000));
        assert_eq!(b.verdict(Instant::now()), Verdict::Go);
    }

    #[test]
    fn polls_after_n_requests() {
        let (b, _) = budget(
            BudgetConfig {
                poll_after_requests: 3,
                ..BudgetConfig::default()
            },
            0,
        );
        b.learn(ThresholdInformation::new(10_000, 60, 0));
        for _ in 0..3 {
            assert!(!b.poll_due(Instant::now()));
            b.count();
        }
        assert!(b.poll_due(Instant::now()));
    }

    #[test]
    fn bad_settings_are_config_errors() {
        for reserve in [-0.1, 1.0, f64::NAN] {
            assert!(
                BudgetConfig {
                    reserve,
                    ..BudgetConfig::default()
                }
                .validate()
                .unwrap_err()
                .is_config()
            );
        }
        assert!(
            BudgetConfig {
                hourly_limit: 0,
                ..BudgetConfig::default()
            }
            .validate()
            .is_err()
        );
        assert!(BudgetConfig::default().validate().is_ok());
    }

    #[tokio::test]
    async fn the_limiter_reads_admits_and_refuses_by_itself() {
        let (b, reads) = budget(
            BudgetConfig {
                mode: BudgetMode::FailFast,
                ..BudgetConfig::default()
            },
            8_998,
        );
        // The reading's own request passes unmetered and reads nothing.
        b.acquire(THRESHOLD_KEY, far()).await.unwrap();
        assert_eq!(reads.load(Ordering::SeqCst), 0);
        // 8,998 used: two more fit under 9,000, the third is refused.
        b.acquire("tickets", far()).await.unwrap();
        b.acquire("companies", far()).await.unwrap();
        let e = b.acquire("tickets", far()).await.unwrap_err();
        assert!(e.is_rate_limited(), "{e}");
        assert_eq!(e.vendor(), Some(Vendor::Autotask));
        assert!(e.retry_after().is_some_and(|d| d >= Duration::from_secs(1)));
        assert_eq!(reads.load(Ordering::SeqCst), 1, "one reading");
    }

    #[tokio::test]
    async fn waiting_stops_at_the_deadline_with_a_rate_limit() {
        let (b, _) = budget(BudgetConfig::default(), 9_500);
        let soon = tokio::time::Instant::now() + Duration::from_millis(50);
        let e = b.acquire("tickets", soon).await.unwrap_err();
        assert!(e.is_rate_limited(), "{e}");
    }

    #[tokio::test]
    async fn polling_off_leaves_the_window_in_charge() {
        let (b, reads) = budget(
            BudgetConfig {
                poll_interval: Duration::ZERO,
                ..BudgetConfig::default()
            },
            9_999,
        );
        for _ in 0..5 {
            b.acquire("tickets", far()).await.unwrap();
        }
        assert_eq!(reads.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn shared_limiters_are_per_integration_and_setting() {
        let a = thread_limiter("k-test-1", 3);
        let b = thread_limiter("k-test-1", 3);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &thread_limiter("k-test-2", 3)));
        let config = BudgetConfig::default();
        let w1 = hourly_window("k-test-1", &config);
        assert!(Arc::ptr_eq(&w1, &hourly_window("k-test-1", &config)));
        assert_eq!(w1.max(), 9_000);
        let fail_fast = BudgetConfig {
            mode: BudgetMode::FailFast,
            ..BudgetConfig::default()
        };
        assert!(!Arc::ptr_eq(&w1, &hourly_window("k-test-1", &fail_fast)));
    }
}
