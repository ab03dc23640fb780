//! [`RedisWindowLimiter`]: at most `max` request starts in any rolling
//! window, counted across every replica.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use psa_core::http::{OnLimit, RateLimiter, RatePermit, SlidingWindowLimiter};
use psa_core::{Error, ErrorKind, Result};
use redis::aio::ConnectionManager;
use tokio::time::Instant;

use crate::store::{from_micros, micros};
use crate::{OnUnavailable, RedisStore};

/// Reserves a start time in a sorted set of the last `max` reserved starts
/// (scores in µs of the Redis server's clock, so replicas' clocks do not
/// matter): the new start is `now`, or `window` after the start `max`
/// places before it, whichever is later. Refuses (reserving nothing) when
/// that is more than `allowed` µs away.
///
/// KEYS[1] the set; ARGV: max, window µs, allowed µs (-1: any), member.
/// Returns {granted 0/1, wait µs}.
const RESERVE: &str = r"
local key = KEYS[1]
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local allowed = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
local n = redis.call('ZCARD', key)
local at = now
if n >= max then
  local e = redis.call('ZRANGE', key, n - max, n - max, 'WITHSCORES')
  at = math.max(now, tonumber(e[2]) + window)
end
local wait = at - now
if allowed >= 0 and wait > allowed then
  return {0, wait}
end
redis.call('ZADD', key, at, ARGV[4])
if n + 1 > max then
  redis.call('ZREMRANGEBYRANK', key, 0, n - max)
end
redis.call('PEXPIRE', key, math.ceil((wait + window) / 1000) + 1000)
return {1, wait}
";

fn reserve_script() -> &'static redis::Script {
    static SCRIPT: OnceLock<redis::Script> = OnceLock::new();
    SCRIPT.get_or_init(|| redis::Script::new(RESERVE))
}

/// At most `max` request starts in any rolling `window`, shared by every
/// replica using the same Redis and tenant: HaloPSA's 300 per rolling
/// 5 minutes, a ServiceNow rule's hourly count, Autotask's 10,000 an hour
/// when exactness matters more than memory (see
/// [`RedisBudget`](crate::RedisBudget) for the compact counter).
///
/// The exact sliding log of psa-core's
/// [`SlidingWindowLimiter`](psa_core::http::SlidingWindowLimiter), kept in
/// a Redis sorted set: one atomic script gives each caller its start time
/// (first come, first served across replicas) and the caller sleeps until
/// then — one Redis round trip per request, no polling. Times are the
/// Redis server's, so replicas' clocks may disagree. Memory: `max` entries
/// per key (~60 bytes each).
///
/// The window is widened by a margin (default a fiftieth of the window, at
/// least 100 ms and at most 5 s, as psa-halo does): the time between a
/// reservation and the request reaching the vendor.
///
/// A caller dropped while it sleeps forfeits its reserved start (never
/// more than `max` starts; at worst a little less throughput).
///
/// ```no_run
/// # async fn demo() -> psa_core::Result<()> {
/// use std::sync::Arc;
/// use std::time::Duration;
/// use psa_core::Vendor;
/// use psa_redis::{OnUnavailable, RedisStore};
///
/// let redis = RedisStore::new("redis://127.0.0.1:6379/")?;
/// let halo = redis
///     .tenant(Vendor::Halo, "acme")
///     .window_limiter(300, Duration::from_secs(300))
///     .with_on_unavailable(OnUnavailable::local_fraction(0.5)?);
/// let client = psa_halo::Client::builder()
///     .base_url("https://acme.halopsa.com")
///     .client_id("id")
///     .client_secret(secrecy::SecretString::from("secret"))
///     .rate_limiter(Arc::new(halo))
///     .build()?;
/// # Ok(()) }
/// ```
pub struct RedisWindowLimiter {
    store: RedisStore,
    key: String,
    max: u32,
    window: Duration,
    margin: Duration,
    on_limit: OnLimit,
    on_unavailable: OnUnavailable,
    fallback: OnceLock<Arc<SlidingWindowLimiter>>,
    counter: AtomicU64,
    id: u64,
}

impl fmt::Debug for RedisWindowLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisWindowLimiter")
            .field("key", &self.key)
            .field("max", &self.max)
            .field("window", &self.window)
            .field("margin", &self.margin)
            .field("on_limit", &self.on_limit)
            .field("on_unavailable", &self.on_unavailable)
            .finish_non_exhaustive()
    }
}

/// The default margin of a window: a fiftieth of it, between 100 ms (or
/// the window, if shorter) and 5 s.
pub fn default_margin(window: Duration) -> Duration {
    (window / 50).clamp(
        Duration::from_millis(100).min(window),
        Duration::from_secs(5),
    )
}

impl RedisWindowLimiter {
    pub(crate) fn new(store: RedisStore, key: String, max: u32, window: Duration) -> Self {
        RedisWindowLimiter {
            store,
            key,
            max: max.max(1),
            window,
            margin: default_margin(window),
            on_limit: OnLimit::default(),
            on_unavailable: OnUnavailable::default(),
            fallback: OnceLock::new(),
            counter: AtomicU64::new(0),
            id: rand::random(),
        }
    }

    /// Widens the window by `margin` (default [`default_margin`]).
    #[must_use]
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// What happens when no start is free soon enough (default: wait, up
    /// to the call's deadline).
    #[must_use]
    pub fn with_on_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_limit = on_limit;
        self
    }

    /// What happens when Redis does not answer (default
    /// [`OnUnavailable::FailClosed`]).
    #[must_use]
    pub fn with_on_unavailable(mut self, policy: OnUnavailable) -> Self {
        self.on_unavailable = policy;
        self
    }

    /// The Redis key of the window.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The most starts per window.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }

    fn fallback(&self, fraction: f64) -> &Arc<SlidingWindowLimiter> {
        self.fallback.get_or_init(|| {
            let max = u32::try_from(OnUnavailable::scaled(fraction, u64::from(self.max)))
                .unwrap_or(u32::MAX);
            Arc::new(
                SlidingWindowLimiter::new(max, self.window)
                    .with_margin(self.margin)
                    .with_on_limit(self.on_limit),
            )
        })
    }

    fn member(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}-{n}", self.id)
    }

    async fn reserve(&self, allowed: Option<Duration>) -> Result<(bool, Duration)> {
        let window = micros(self.window.saturating_add(self.margin));
        let allowed = allowed.map_or(-1, micros);
        let member = self.member();
        let mut invocation = reserve_script().prepare_invoke();
        invocation
            .key(&self.key)
            .arg(self.max)
            .arg(window)
            .arg(allowed)
            .arg(member);
        let (granted, wait): (i64, i64) = self
            .store
            .run(
                "the rate-limit window",
                async |c: &mut ConnectionManager| invocation.invoke_async(c).await,
            )
            .await?;
        Ok((granted == 1, from_micros(wait)))
    }
}

#[async_trait]
impl RateLimiter for RedisWindowLimiter {
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit> {
        let now = Instant::now();
        let allowed = match self.on_limit {
            OnLimit::FailFast => Duration::ZERO,
            OnLimit::Wait { max_wait } => max_wait,
            _ => Duration::MAX,
        }
        .min(deadline.saturating_duration_since(now));
        match self.reserve(Some(allowed)).await {
            Ok((true, wait)) => {
                if !wait.is_zero() {
                    tracing::debug!(
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "waiting for the shared rate-limit window"
                    );
                    // From the reply, not from the request: the script's
                    // clock read happened somewhere in between, so this
                    // never starts early.
                    tokio::time::sleep(wait).await;
                }
                Ok(RatePermit::none())
            }
            Ok((false, wait)) => Err(Error::new(
                ErrorKind::RateLimited,
                format!(
                    "shared limit of {} requests per {:?} reached (all replicas); nothing was sent",
                    self.max, self.window
                ),
            )
            .with_retry_after(wait)),
            Err(e) => match self.on_unavailable {
                OnUnavailable::LocalFraction(fraction) => {
                    tracing::debug!("Redis unavailable: using the local fallback window");
                    self.fallback(fraction).acquire(key, deadline).await
                }
                _ => Err(fail_closed(e)),
            },
        }
    }
}

/// The error of a limiter failing closed: says so, keeps the cause's kind.
pub(crate) fn fail_closed(e: Error) -> Error {
    let kind = e.kind();
    Error::new(
        kind,
        "the shared rate limiter's Redis is unavailable; nothing was sent (failing closed)",
    )
    .with_source(e)
}
