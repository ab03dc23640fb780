//! [`RedisBudget`]: a request budget per rolling period (Autotask's 10,000
//! an hour per database) in a few counters, shared by every replica.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use psa_core::http::{OnLimit, RateLimiter, RatePermit, SlidingWindowLimiter};
use psa_core::{Error, ErrorKind, Result};
use redis::aio::ConnectionManager;
use tokio::time::Instant;

use crate::store::{from_micros, micros};
use crate::window::fail_closed;
use crate::{OnUnavailable, RedisStore};

/// Counts a request in the bucket of now, if the buckets overlapping the
/// last `window` hold fewer than `limit` (a bucket partly older than the
/// window still counts whole: the count never under-estimates). Older
/// buckets are deleted. Returns {1, remaining} or {0, µs until enough
/// buckets leave the window}. With `dry` = 1, counts nothing and returns
/// {used, 0}.
const TAKE: &str = r"
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local bucket = tonumber(ARGV[3])
local allowed = tonumber(ARGV[4])
local dry = tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local first = math.floor((now - window) / bucket)
local current = math.floor(now / bucket)
local h = redis.call('HGETALL', key)
local total = 0
local live = {}
for i = 1, #h, 2 do
  local idx = tonumber(h[i])
  local c = tonumber(h[i + 1])
  if idx < first then
    redis.call('HDEL', key, h[i])
  else
    total = total + c
    live[#live + 1] = {idx, c}
  end
end
if dry == 1 then
  return {total, 0}
end
if total < limit then
  redis.call('HINCRBY', key, tostring(current), 1)
  redis.call('PEXPIRE', key, math.ceil((window + bucket) / 1000) + 1000)
  return {1, limit - total - 1}
end
table.sort(live, function(a, b) return a[1] < b[1] end)
local need = total - limit + 1
local freed = 0
local wait = window
for _, e in ipairs(live) do
  freed = freed + e[2]
  if freed >= need then
    wait = (e[1] + 1) * bucket + window - now
    break
  end
end
if allowed >= 0 and wait <= allowed then
  return {2, wait}
end
return {0, wait}
";

fn take_script() -> &'static redis::Script {
    static SCRIPT: OnceLock<redis::Script> = OnceLock::new();
    SCRIPT.get_or_init(|| redis::Script::new(TAKE))
}

/// A request budget per rolling period, shared by every replica: Autotask's
/// 10,000 requests an hour per database (shared by every integration of
/// the tenant), or any other "N per period".
///
/// The period is cut into buckets (60 by default: one a minute for an
/// hour) counted in one Redis hash; a request is let through while the
/// buckets overlapping the last period hold fewer than `limit`. A bucket
/// only partly inside the period counts whole, so the budget is never
/// over-spent in any rolling period; the cost is at most one bucket's worth
/// of throughput (1/60). Memory: one small hash per tenant, whatever the
/// limit — against `limit` entries for the exact
/// [`RedisWindowLimiter`](crate::RedisWindowLimiter).
///
/// A spent budget waits for the next bucket to leave the period when that
/// is within the call's deadline and [`OnLimit`]; otherwise the call fails
/// at once with `RateLimited` and a `retry_after`.
///
/// ```no_run
/// # async fn demo() -> psa_core::Result<()> {
/// use std::time::Duration;
/// use psa_core::Vendor;
/// use psa_redis::RedisStore;
///
/// let redis = RedisStore::new("redis://127.0.0.1:6379/")?;
/// // 10,000 an hour, keeping 10 % for the tenant's other integrations.
/// let hourly = redis
///     .tenant(Vendor::Autotask, "acme")
///     .budget(9_000, Duration::from_secs(3600));
/// println!("used this hour: {}", hourly.used().await?);
/// # Ok(()) }
/// ```
pub struct RedisBudget {
    store: RedisStore,
    key: String,
    limit: u64,
    window: Duration,
    buckets: u32,
    on_limit: OnLimit,
    on_unavailable: OnUnavailable,
    fallback: OnceLock<Arc<SlidingWindowLimiter>>,
}

impl fmt::Debug for RedisBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBudget")
            .field("key", &self.key)
            .field("limit", &self.limit)
            .field("window", &self.window)
            .field("buckets", &self.buckets)
            .field("on_limit", &self.on_limit)
            .field("on_unavailable", &self.on_unavailable)
            .finish_non_exhaustive()
    }
}

impl RedisBudget {
    pub(crate) fn new(store: RedisStore, key: String, limit: u64, window: Duration) -> Self {
        RedisBudget {
            store,
            key,
            limit: limit.max(1),
            window: window.max(Duration::from_millis(1)),
            buckets: 60,
            on_limit: OnLimit::default(),
            on_unavailable: OnUnavailable::default(),
            fallback: OnceLock::new(),
        }
    }

    /// Cuts the period into `n` buckets (default 60; at least 1). More
    /// buckets waste less throughput and take a little more memory.
    #[must_use]
    pub fn with_buckets(mut self, n: u32) -> Self {
        self.buckets = n.max(1);
        self
    }

    /// What happens when the budget is spent (default: wait, up to the
    /// call's deadline).
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

    /// The budget per period.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The Redis key of the counters.
    pub fn key(&self) -> &str {
        &self.key
    }

    fn bucket(&self) -> Duration {
        (self.window / self.buckets).max(Duration::from_micros(1))
    }

    async fn take(&self, allowed: Option<Duration>, dry: bool) -> Result<(i64, i64)> {
        let mut invocation = take_script().prepare_invoke();
        invocation
            .key(&self.key)
            .arg(self.limit)
            .arg(micros(self.window))
            .arg(micros(self.bucket()))
            .arg(allowed.map_or(-1, micros))
            .arg(i32::from(dry));
        self.store
            .run("the request budget", async |c: &mut ConnectionManager| {
                invocation.invoke_async(c).await
            })
            .await
    }

    /// Requests counted in the current period, across every replica.
    pub async fn used(&self) -> Result<u64> {
        let (used, _) = self.take(None, true).await?;
        Ok(u64::try_from(used).unwrap_or(0))
    }
}

#[async_trait]
impl RateLimiter for RedisBudget {
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit> {
        loop {
            let now = Instant::now();
            let allowed = match self.on_limit {
                OnLimit::FailFast => Duration::ZERO,
                OnLimit::Wait { max_wait } => max_wait,
                _ => Duration::MAX,
            }
            .min(deadline.saturating_duration_since(now));
            match self.take(Some(allowed), false).await {
                Ok((1, _)) => return Ok(RatePermit::none()),
                // Spent, but a bucket leaves the period in time: wait, then
                // try again (other replicas may take the freed room first).
                Ok((2, wait)) => tokio::time::sleep(from_micros(wait)).await,
                Ok((_, wait)) => {
                    return Err(Error::new(
                        ErrorKind::RateLimited,
                        format!(
                            "the shared budget of {} requests per {:?} is spent (all replicas); nothing was sent",
                            self.limit, self.window
                        ),
                    )
                    .with_retry_after(from_micros(wait)));
                }
                Err(e) => {
                    return match self.on_unavailable {
                        OnUnavailable::LocalFraction(fraction) => {
                            let fallback = self.fallback.get_or_init(|| {
                                let n = OnUnavailable::scaled(fraction, self.limit);
                                Arc::new(
                                    SlidingWindowLimiter::new(
                                        u32::try_from(n).unwrap_or(u32::MAX),
                                        self.window,
                                    )
                                    .with_on_limit(self.on_limit),
                                )
                            });
                            fallback.acquire(key, deadline).await
                        }
                        _ => Err(fail_closed(e)),
                    };
                }
            }
        }
    }
}
