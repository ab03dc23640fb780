//! Client-side rate limiting.
//!
//! [`RateLimiter`] is a trait so that a shared store (Redis) can back it when
//! several replicas share one tenant's budget; the in-process defaults are:
//! - [`SlidingWindowLimiter`]: at most `max` request starts in any rolling
//!   window (HaloPSA hosted: 300 per 5 minutes; Autotask: 10,000 per hour);
//! - [`ConcurrencyLimiter`]: at most `n` requests in flight per key
//!   (Autotask: 3 per entity endpoint);
//! - [`AllOf`] to combine them, and [`Unlimited`].
//!
//! [`HttpClient`](super::HttpClient) acquires a permit before every attempt
//! and holds it until the response body has been read.

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use http::{HeaderMap, StatusCode};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::after;
use crate::{Error, ErrorKind, Result};

/// Permission to start one request. Whatever it holds (a concurrency slot)
/// is released when it is dropped.
#[derive(Default)]
pub struct RatePermit {
    held: Vec<Box<dyn Any + Send + Sync>>,
}

impl fmt::Debug for RatePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RatePermit")
            .field("held", &self.held.len())
            .finish()
    }
}

impl RatePermit {
    /// A permit that holds nothing.
    pub fn none() -> Self {
        RatePermit::default()
    }

    /// A permit that holds `guard` until it is dropped.
    pub fn holding<T: Send + Sync + 'static>(guard: T) -> Self {
        RatePermit {
            held: vec![Box::new(guard)],
        }
    }

    /// Adds what `other` holds to this permit.
    pub fn merge(&mut self, other: RatePermit) {
        self.held.extend(other.held);
    }
}

/// A client-side rate limiter.
///
/// `key` names the budget a request draws from (an endpoint such as
/// `"Tickets"`, or the client's default key): see
/// [`ApiRequest::rate_key`](super::ApiRequest::rate_key).
#[async_trait]
pub trait RateLimiter: Send + Sync + fmt::Debug {
    /// Waits for permission to start a request under `key`.
    ///
    /// A limiter must not keep the caller waiting past `deadline` (the
    /// call's overall deadline): when it can tell no slot frees up before
    /// then, it fails at once with [`ErrorKind::RateLimited`] and a
    /// [`retry_after`](Error::retry_after).
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit>;

    /// Sees every response (status and headers), to learn from the vendor's
    /// rate-limit headers. The default ignores it.
    fn observe(&self, key: &str, status: StatusCode, headers: &HeaderMap) {
        let _ = (key, status, headers);
    }
}

/// What a limiter does when no slot is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OnLimit {
    /// Wait for a slot, at most `max_wait` (and never past the call's deadline).
    Wait {
        /// The longest wait.
        max_wait: Duration,
    },
    /// Fail at once with `RateLimited` and a `retry_after`.
    FailFast,
}

impl Default for OnLimit {
    fn default() -> Self {
        OnLimit::Wait {
            max_wait: Duration::MAX,
        }
    }
}

impl OnLimit {
    fn max_wait(self) -> Duration {
        match self {
            OnLimit::Wait { max_wait } => max_wait,
            OnLimit::FailFast => Duration::ZERO,
        }
    }
}

/// No limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unlimited;

#[async_trait]
impl RateLimiter for Unlimited {
    async fn acquire(&self, _key: &str, _deadline: Instant) -> Result<RatePermit> {
        Ok(RatePermit::none())
    }
}

/// At most `max` request starts in any rolling `window`, whatever the key.
///
/// An exact sliding log: the start times of the last `max` grants are kept,
/// and a request may start only at `window` (plus the safety margin) after
/// the grant `max` places before it. Each caller is given its start time
/// under a lock, in arrival order, then sleeps until it: waiting is fair
/// (first come, first served) and the limit holds over every window, not
/// just aligned ones.
///
/// Why not a token bucket (GCRA, the `governor` crate)? A bucket of
/// capacity 300 refilling at 300 per 5 minutes lets a full burst of 300
/// through and then keeps replenishing, so close to 600 requests can start
/// within one rolling 5-minute window — exactly what HaloPSA refuses with a
/// 429. The log costs `max` instants of memory (80 KiB for Autotask's
/// 10,000 per hour) and O(1) per grant.
///
/// A caller dropped while it waits forfeits its slot (never more than `max`
/// starts; at worst a little less throughput).
///
/// ```
/// use std::time::Duration;
/// use psa_core::http::{OnLimit, SlidingWindowLimiter};
///
/// // HaloPSA hosted: 300 requests per rolling 5 minutes, with 2 s of margin.
/// let halo = SlidingWindowLimiter::new(300, Duration::from_secs(300))
///     .with_margin(Duration::from_secs(2))
///     .with_on_limit(OnLimit::Wait { max_wait: Duration::from_secs(60) });
/// assert_eq!(halo.max(), 300);
/// ```
pub struct SlidingWindowLimiter {
    max: usize,
    window: Duration,
    margin: Duration,
    on_limit: OnLimit,
    log: Mutex<VecDeque<Instant>>,
}

impl fmt::Debug for SlidingWindowLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SlidingWindowLimiter")
            .field("max", &self.max)
            .field("window", &self.window)
            .field("margin", &self.margin)
            .field("on_limit", &self.on_limit)
            .finish_non_exhaustive()
    }
}

impl SlidingWindowLimiter {
    /// At most `max` (at least 1) starts in any rolling `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        let max = usize::try_from(max.max(1)).unwrap_or(usize::MAX);
        SlidingWindowLimiter {
            max,
            window,
            margin: Duration::ZERO,
            on_limit: OnLimit::default(),
            log: Mutex::new(VecDeque::with_capacity(max.min(16_384))),
        }
    }

    /// Widens the window by `margin` (clock skew, requests by others).
    #[must_use]
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Sets what happens when no slot is free (default: wait, up to the
    /// call's deadline).
    #[must_use]
    pub fn with_on_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_limit = on_limit;
        self
    }

    /// The most starts per window.
    pub fn max(&self) -> usize {
        self.max
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Gives the caller its start time, or says how long until a slot frees
    /// when that is longer than `allowed`.
    fn reserve(&self, now: Instant, allowed: Duration) -> std::result::Result<Instant, Duration> {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        let at = if log.len() < self.max {
            now
        } else {
            // log holds the last `max` grants, oldest first.
            let oldest = log.front().copied().unwrap_or(now);
            after(oldest, self.window.saturating_add(self.margin)).max(now)
        };
        let wait = at - now;
        if wait > allowed {
            return Err(wait);
        }
        if log.len() >= self.max {
            log.pop_front();
        }
        log.push_back(at);
        Ok(at)
    }
}

#[async_trait]
impl RateLimiter for SlidingWindowLimiter {
    async fn acquire(&self, _key: &str, deadline: Instant) -> Result<RatePermit> {
        let now = Instant::now();
        let allowed = self
            .on_limit
            .max_wait()
            .min(deadline.saturating_duration_since(now));
        match self.reserve(now, allowed) {
            Ok(at) => {
                if at > now {
                    tracing::debug!(
                        wait_ms = u64::try_from((at - now).as_millis()).unwrap_or(u64::MAX),
                        "waiting for the rate limit window"
                    );
                    tokio::time::sleep_until(at).await;
                }
                Ok(RatePermit::none())
            }
            Err(wait) => Err(Error::new(
                ErrorKind::RateLimited,
                format!(
                    "client-side limit of {} requests per {:?} reached; nothing was sent",
                    self.max, self.window
                ),
            )
            .with_retry_after(wait)),
        }
    }
}

/// At most `n` requests in flight, per key ([`per_key`](Self::per_key)) or
/// in all ([`total`](Self::total)). A slot is held until the response body
/// has been read. Waiting is first come, first served.
///
/// Keys are expected to be a small set (endpoint names); one semaphore is
/// kept per key seen.
///
/// ```
/// use psa_core::http::ConcurrencyLimiter;
///
/// // Autotask: 3 requests in flight per entity endpoint.
/// let autotask = ConcurrencyLimiter::per_key(3);
/// assert_eq!(autotask.limit(), 3);
/// ```
pub struct ConcurrencyLimiter {
    limit: usize,
    per_key: bool,
    on_limit: OnLimit,
    semaphores: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl fmt::Debug for ConcurrencyLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcurrencyLimiter")
            .field("limit", &self.limit)
            .field("per_key", &self.per_key)
            .field("on_limit", &self.on_limit)
            .finish_non_exhaustive()
    }
}

impl ConcurrencyLimiter {
    /// At most `n` (at least 1) in flight for each key.
    pub fn per_key(n: usize) -> Self {
        ConcurrencyLimiter {
            limit: n.clamp(1, Semaphore::MAX_PERMITS),
            per_key: true,
            on_limit: OnLimit::default(),
            semaphores: Mutex::new(HashMap::new()),
        }
    }

    /// At most `n` (at least 1) in flight in all.
    pub fn total(n: usize) -> Self {
        ConcurrencyLimiter {
            per_key: false,
            ..ConcurrencyLimiter::per_key(n)
        }
    }

    /// Sets what happens when no slot is free.
    #[must_use]
    pub fn with_on_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_limit = on_limit;
        self
    }

    /// The most requests in flight (per key, or in all).
    pub fn limit(&self) -> usize {
        self.limit
    }

    fn semaphore(&self, key: &str) -> Arc<Semaphore> {
        let key = if self.per_key { key } else { "" };
        let mut map = self
            .semaphores
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = map.get(key) {
            return Arc::clone(s);
        }
        let s = Arc::new(Semaphore::new(self.limit));
        map.insert(key.to_owned(), Arc::clone(&s));
        s
    }

    fn busy(&self, key: &str) -> Error {
        Error::new(
            ErrorKind::RateLimited,
            format!(
                "{} requests already in flight for `{key}`; nothing was sent",
                self.limit
            ),
        )
    }
}

#[async_trait]
impl RateLimiter for ConcurrencyLimiter {
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit> {
        let semaphore = self.semaphore(key);
        if let Ok(permit) = Arc::clone(&semaphore).try_acquire_owned() {
            return Ok(RatePermit::holding(permit));
        }
        let now = Instant::now();
        let until = match now.checked_add(self.on_limit.max_wait()) {
            Some(t) => t.min(deadline),
            None => deadline,
        };
        if until <= now {
            return Err(self.busy(key));
        }
        match tokio::time::timeout_at(until, semaphore.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(RatePermit::holding(permit)),
            Ok(Err(_)) | Err(_) => Err(self.busy(key)),
        }
    }
}

/// Several limiters that must all grant, acquired in the order given
/// (put concurrency limits before windows, so that a window slot is not
/// spent while waiting for a concurrency slot). If one refuses, the permits
/// already taken are released.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use psa_core::http::{AllOf, ConcurrencyLimiter, SlidingWindowLimiter};
///
/// let autotask = AllOf::new()
///     .and(Arc::new(ConcurrencyLimiter::per_key(3)))
///     .and(Arc::new(SlidingWindowLimiter::new(9_000, Duration::from_secs(3600))));
/// assert_eq!(autotask.len(), 2);
/// ```
#[derive(Debug, Default, Clone)]
pub struct AllOf {
    limiters: Vec<Arc<dyn RateLimiter>>,
}

impl AllOf {
    /// No limiter yet (grants everything).
    pub fn new() -> Self {
        AllOf::default()
    }

    /// Adds a limiter.
    #[must_use]
    pub fn and(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiters.push(limiter);
        self
    }

    /// The number of limiters.
    pub fn len(&self) -> usize {
        self.limiters.len()
    }

    /// Whether there is no limiter.
    pub fn is_empty(&self) -> bool {
        self.limiters.is_empty()
    }
}

#[async_trait]
impl RateLimiter for AllOf {
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit> {
        let mut permit = RatePermit::none();
        for limiter in &self.limiters {
            permit.merge(limiter.acquire(key, deadline).await?);
        }
        Ok(permit)
    }

    fn observe(&self, key: &str, status: StatusCode, headers: &HeaderMap) {
        for limiter in &self.limiters {
            limiter.observe(key, status, headers);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::cast_precision_loss)]
    use super::*;

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(3600)
    }

    /// Every `max + 1` consecutive starts span at least the window.
    fn assert_window(starts: &[Instant], max: usize, window: Duration) {
        for pair in starts.windows(max + 1) {
            assert!(
                pair[max] - pair[0] >= window,
                "{} starts within {:?}",
                max + 1,
                pair[max] - pair[0]
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn sliding_window_burst_is_exact_and_fast() {
        let max = 20;
        let window = Duration::from_millis(200);
        let limiter = Arc::new(SlidingWindowLimiter::new(max, window));
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let l = Arc::clone(&limiter);
                tokio::spawn(async move {
                    let _p = l.acquire("k", far()).await.unwrap();
                    Instant::now()
                })
            })
            .collect();
        let mut starts = Vec::new();
        for t in tasks {
            starts.push(t.await.unwrap());
        }
        starts.sort();
        assert_window(&starts, max as usize, window);
        // 100 starts at 20 per 200 ms: the last may start at 800 ms at best.
        let span = *starts.last().unwrap() - t0;
        assert!(span < Duration::from_millis(810), "{span:?}");
        // Throughput: starts per elapsed window ≥ 90 % of the limit.
        let windows = span.as_secs_f64() / window.as_secs_f64() + 1.0;
        let rate = starts.len() as f64 / windows;
        assert!(rate >= 0.9 * f64::from(max), "rate {rate}");
    }

    #[tokio::test(start_paused = true)]
    async fn sliding_window_is_fair_fifo() {
        let limiter = Arc::new(SlidingWindowLimiter::new(2, Duration::from_millis(100)));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..8 {
            let l = Arc::clone(&limiter);
            let o = Arc::clone(&order);
            tasks.push(tokio::spawn(async move {
                let _p = l.acquire("k", far()).await.unwrap();
                o.lock().unwrap().push(i);
            }));
            tokio::task::yield_now().await;
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), (0..8).collect::<Vec<_>>());
    }

    #[tokio::test(start_paused = true)]
    async fn fail_fast_says_when() {
        let limiter =
            SlidingWindowLimiter::new(2, Duration::from_secs(10)).with_on_limit(OnLimit::FailFast);
        limiter.acquire("k", far()).await.unwrap();
        tokio::time::advance(Duration::from_secs(3)).await;
        limiter.acquire("k", far()).await.unwrap();
        let e = limiter.acquire("k", far()).await.unwrap_err();
        assert!(e.is_rate_limited());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        tokio::time::advance(Duration::from_secs(7)).await;
        limiter.acquire("k", far()).await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn wait_is_bounded_by_max_wait_and_deadline() {
        let limiter =
            SlidingWindowLimiter::new(1, Duration::from_secs(10)).with_on_limit(OnLimit::Wait {
                max_wait: Duration::from_secs(5),
            });
        limiter.acquire("k", far()).await.unwrap();
        let e = limiter.acquire("k", far()).await.unwrap_err();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(10)));
        let limiter = SlidingWindowLimiter::new(1, Duration::from_secs(10));
        limiter.acquire("k", far()).await.unwrap();
        let soon = Instant::now() + Duration::from_secs(2);
        assert!(
            limiter
                .acquire("k", soon)
                .await
                .unwrap_err()
                .is_rate_limited()
        );
        // A refused caller reserved nothing: the next one waits 10 s, not 20.
        let t0 = Instant::now();
        limiter.acquire("k", far()).await.unwrap();
        assert_eq!(Instant::now() - t0, Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrency_per_key() {
        let limiter = Arc::new(ConcurrencyLimiter::per_key(2));
        let a1 = limiter.acquire("a", far()).await.unwrap();
        let _a2 = limiter.acquire("a", far()).await.unwrap();
        let _b1 = limiter.acquire("b", far()).await.unwrap();
        let l = Arc::clone(&limiter);
        let waiting = tokio::spawn(async move { l.acquire("a", far()).await.map(|_| ()) });
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(!waiting.is_finished());
        drop(a1);
        waiting.await.unwrap().unwrap();
        let soon = Instant::now() + Duration::from_millis(50);
        let _a3 = limiter.acquire("a", far()).await.unwrap();
        let e = limiter.acquire("a", soon).await.unwrap_err();
        assert!(e.is_rate_limited());
        let fast = ConcurrencyLimiter::total(1).with_on_limit(OnLimit::FailFast);
        let _x = fast.acquire("a", far()).await.unwrap();
        assert!(
            fast.acquire("b", far()).await.is_err(),
            "total is across keys"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn all_of_releases_on_refusal() {
        let conc = Arc::new(ConcurrencyLimiter::total(1));
        let window = Arc::new(
            SlidingWindowLimiter::new(1, Duration::from_secs(60)).with_on_limit(OnLimit::FailFast),
        );
        let both = AllOf::new()
            .and(Arc::clone(&conc) as Arc<dyn RateLimiter>)
            .and(window);
        drop(both.acquire("k", far()).await.unwrap());
        assert!(both.acquire("k", far()).await.is_err());
        // The concurrency slot taken before the window refused was released.
        let _c = conc
            .acquire("k", Instant::now() + Duration::from_millis(1))
            .await
            .unwrap();
        assert!(AllOf::new().is_empty());
        Unlimited.acquire("k", Instant::now()).await.unwrap();
    }
}
