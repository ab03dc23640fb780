//! [`RedisConcurrencyLimiter`]: at most `n` requests in flight per key
//! across every replica, each slot a lease that ends if its holder dies.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use psa_core::http::{ConcurrencyLimiter, OnLimit, RateLimiter, RatePermit};
use psa_core::{Error, ErrorKind, Result};
use redis::aio::ConnectionManager;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::store::{from_micros, key_part, micros};
use crate::window::fail_closed;
use crate::{OnUnavailable, RedisStore};

/// Takes a slot: drops expired leases, then adds `member` with a lease
/// ending `lease` µs from now if fewer than `limit` are held. Returns
/// {1, 0} or {0, µs until the earliest lease ends}.
const ACQUIRE: &str = r"
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
local n = redis.call('ZCARD', key)
if n < limit then
  redis.call('ZADD', key, now + lease, ARGV[3])
  redis.call('PEXPIRE', key, math.ceil(lease / 1000) + 1000)
  return {1, 0}
end
local e = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tonumber(e[2]) - now}
";

/// Extends `member`'s lease if it still holds one. Returns 1 or 0.
const RENEW: &str = r"
local key = KEYS[1]
local lease = tonumber(ARGV[1])
if not redis.call('ZSCORE', key, ARGV[2]) then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZADD', key, 'XX', now + lease, ARGV[2])
redis.call('PEXPIRE', key, math.ceil(lease / 1000) + 1000)
return 1
";

fn scripts() -> &'static (redis::Script, redis::Script) {
    static SCRIPTS: OnceLock<(redis::Script, redis::Script)> = OnceLock::new();
    SCRIPTS.get_or_init(|| (redis::Script::new(ACQUIRE), redis::Script::new(RENEW)))
}

/// At most `limit` requests in flight per key (Autotask: 3 per entity
/// endpoint per integration), or in all, counted across every replica.
///
/// Each slot is a **lease** in a Redis sorted set (member: a random holder
/// id; score: when the lease ends, on the Redis server's clock). The holder
/// renews it every third of the lease while its request runs, and removes
/// it when the permit is dropped (the response body read). A replica that
/// dies holding slots stops renewing them: they end with their lease, and
/// the other replicas proceed — nobody is blocked longer than the lease.
///
/// Within a process, callers first queue on a local semaphore of `limit`
/// slots (first come, first served, and no more than `limit` of them
/// polling Redis); a caller whose slot is busy everywhere polls (every
/// 10–25 ms, bounded by the earliest lease's end and its deadline).
///
/// ```no_run
/// # async fn demo() -> psa_core::Result<()> {
/// use std::time::Duration;
/// use psa_core::Vendor;
/// use psa_redis::RedisStore;
///
/// let redis = RedisStore::new("redis://127.0.0.1:6379/")?;
/// // Autotask: 3 in flight per endpoint for this integration code.
/// let threads = redis
///     .tenant(Vendor::Autotask, "acme-integration")
///     .concurrency_limiter(3, Duration::from_secs(10));
/// assert_eq!(threads.limit(), 3);
/// # Ok(()) }
/// ```
pub struct RedisConcurrencyLimiter {
    store: RedisStore,
    base: String,
    limit: u32,
    lease: Duration,
    per_key: bool,
    on_limit: OnLimit,
    on_unavailable: OnUnavailable,
    local: ConcurrencyLimiter,
    fallback: OnceLock<Arc<ConcurrencyLimiter>>,
    counter: AtomicU64,
    id: u64,
}

impl fmt::Debug for RedisConcurrencyLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisConcurrencyLimiter")
            .field("key", &self.base)
            .field("limit", &self.limit)
            .field("lease", &self.lease)
            .field("per_key", &self.per_key)
            .field("on_limit", &self.on_limit)
            .field("on_unavailable", &self.on_unavailable)
            .finish_non_exhaustive()
    }
}

impl RedisConcurrencyLimiter {
    pub(crate) fn new(store: RedisStore, base: String, limit: u32, lease: Duration) -> Self {
        let limit = limit.max(1);
        let slots = usize::try_from(limit).unwrap_or(usize::MAX);
        RedisConcurrencyLimiter {
            store,
            base,
            limit,
            lease: lease.max(Duration::from_millis(30)),
            per_key: true,
            on_limit: OnLimit::default(),
            on_unavailable: OnUnavailable::default(),
            local: ConcurrencyLimiter::per_key(slots),
            fallback: OnceLock::new(),
            counter: AtomicU64::new(0),
            id: rand::random(),
        }
    }

    /// Counts every key together (`limit` in flight in all), instead of
    /// per key.
    #[must_use]
    pub fn total(mut self) -> Self {
        self.per_key = false;
        self.local = ConcurrencyLimiter::total(usize::try_from(self.limit).unwrap_or(usize::MAX));
        self
    }

    /// What happens when no slot frees up soon enough (default: wait, up
    /// to the call's deadline).
    #[must_use]
    pub fn with_on_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_limit = on_limit;
        self.local = self.local.with_on_limit(on_limit);
        self
    }

    /// What happens when Redis does not answer (default
    /// [`OnUnavailable::FailClosed`]).
    #[must_use]
    pub fn with_on_unavailable(mut self, policy: OnUnavailable) -> Self {
        self.on_unavailable = policy;
        self
    }

    /// The most requests in flight (per key, or in all).
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The lease of a slot.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    /// The Redis key of `key`'s slots.
    pub fn redis_key(&self, key: &str) -> String {
        if self.per_key {
            format!("{}:{}", self.base, key_part(key))
        } else {
            self.base.clone()
        }
    }

    /// How many leases are held on `key`'s slots right now (expired ones
    /// not counted), across every replica.
    pub async fn in_flight(&self, key: &str) -> Result<u64> {
        let redis_key = self.redis_key(key);
        let time = redis::cmd("TIME");
        let (secs, us): (i64, i64) = self
            .store
            .run("TIME", async |c: &mut ConnectionManager| {
                time.query_async(c).await
            })
            .await?;
        let now = secs.saturating_mul(1_000_000).saturating_add(us);
        let mut count = redis::cmd("ZCOUNT");
        count.arg(&redis_key).arg(format!("({now}")).arg("+inf");
        self.store
            .run("ZCOUNT", async |c: &mut ConnectionManager| {
                count.query_async(c).await
            })
            .await
    }

    fn member(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}-{n}", self.id)
    }

    async fn try_take(&self, redis_key: &str, member: &str) -> Result<(bool, Duration)> {
        let mut invocation = scripts().0.prepare_invoke();
        invocation
            .key(redis_key)
            .arg(self.limit)
            .arg(micros(self.lease))
            .arg(member);
        let (granted, wait): (i64, i64) = self
            .store
            .run("a concurrency slot", async |c: &mut ConnectionManager| {
                invocation.invoke_async(c).await
            })
            .await?;
        Ok((granted == 1, from_micros(wait)))
    }

    fn busy(&self, key: &str, retry_after: Duration) -> Error {
        Error::new(
            ErrorKind::RateLimited,
            format!(
                "{} requests already in flight for `{key}` across replicas; nothing was sent",
                self.limit
            ),
        )
        .with_retry_after(retry_after)
    }

    fn lease_guard(&self, redis_key: String, member: String) -> Lease {
        let store = self.store.clone();
        let lease = self.lease;
        let renew_key = redis_key.clone();
        let renew_member = member.clone();
        let renewal = tokio::spawn(async move {
            let every = lease / 3;
            loop {
                tokio::time::sleep(every).await;
                let mut invocation = scripts().1.prepare_invoke();
                invocation
                    .key(&renew_key)
                    .arg(micros(lease))
                    .arg(&renew_member);
                let renewed: Result<i64> = store
                    .run("a lease renewal", async |c: &mut ConnectionManager| {
                        invocation.invoke_async(c).await
                    })
                    .await;
                match renewed {
                    Ok(1) => {}
                    Ok(_) => {
                        tracing::warn!(
                            "a concurrency lease ran out while its request was in flight"
                        );
                        return;
                    }
                    Err(e) => tracing::warn!(error = %e, "could not renew a concurrency lease"),
                }
            }
        });
        Lease {
            store: self.store.clone(),
            key: redis_key,
            member,
            renewal,
        }
    }
}

/// A slot held in Redis: renewed while held, removed when dropped.
struct Lease {
    store: RedisStore,
    key: String,
    member: String,
    renewal: JoinHandle<()>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewal.abort();
        let store = self.store.clone();
        let key = std::mem::take(&mut self.key);
        let member = std::mem::take(&mut self.member);
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let mut zrem = redis::cmd("ZREM");
                zrem.arg(&key).arg(&member);
                let released: Result<i64> = store
                    .run("a lease release", async |c: &mut ConnectionManager| {
                        zrem.query_async(c).await
                    })
                    .await;
                if let Err(e) = released {
                    tracing::warn!(error = %e, "could not release a concurrency lease; it ends with its lease");
                }
            });
        }
    }
}

#[async_trait]
impl RateLimiter for RedisConcurrencyLimiter {
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit> {
        let local = self.local.acquire(key, deadline).await?;
        let redis_key = self.redis_key(key);
        let member = self.member();
        let until = match self.on_limit {
            OnLimit::FailFast => Instant::now(),
            OnLimit::Wait { max_wait } => Instant::now()
                .checked_add(max_wait)
                .map_or(deadline, |t| t.min(deadline)),
            _ => deadline,
        };
        loop {
            match self.try_take(&redis_key, &member).await {
                Ok((true, _)) => {
                    let mut permit = local;
                    permit.merge(RatePermit::holding(self.lease_guard(redis_key, member)));
                    return Ok(permit);
                }
                Ok((false, lease_ends)) => {
                    let now = Instant::now();
                    if now >= until {
                        return Err(self.busy(key, lease_ends));
                    }
                    let jitter = Duration::from_millis(rand::random_range(10..=25));
                    let wait = jitter.min(lease_ends.max(Duration::from_millis(1)));
                    tokio::time::sleep_until((now + wait).min(until)).await;
                }
                Err(e) => {
                    return match self.on_unavailable {
                        OnUnavailable::LocalFraction(fraction) => {
                            let fallback = self.fallback.get_or_init(|| {
                                let n = OnUnavailable::scaled(fraction, u64::from(self.limit));
                                let n = usize::try_from(n).unwrap_or(1);
                                let l = if self.per_key {
                                    ConcurrencyLimiter::per_key(n)
                                } else {
                                    ConcurrencyLimiter::total(n)
                                };
                                Arc::new(l.with_on_limit(self.on_limit))
                            });
                            let mut permit = local;
                            permit.merge(fallback.acquire(key, deadline).await?);
                            Ok(permit)
                        }
                        _ => Err(fail_closed(e)),
                    };
                }
            }
        }
    }
}
