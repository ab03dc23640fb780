//! [`Tenant`]: the key namespace of one vendor tenant.

use std::time::Duration;

use crate::store::key_part;
use crate::{
    RedisBudget, RedisConcurrencyLimiter, RedisStore, RedisTokenStore, RedisWindowLimiter,
};

/// The Redis keys of one vendor tenant (`{prefix}:{vendor}:{tenant}:…`),
/// and the shared limiters and token store that live under them. Every
/// replica that names the same prefix, vendor and tenant shares them.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> psa_core::Result<()> {
/// use std::time::Duration;
/// use psa_core::Vendor;
/// use psa_redis::RedisStore;
///
/// let redis = RedisStore::new("redis://127.0.0.1:6379/")?; // no IO yet
/// let acme = redis.tenant(Vendor::Halo, "acme");
/// assert_eq!(acme.key_prefix(), "psa:halo:acme");
/// let window = acme.window_limiter(300, Duration::from_secs(300));
/// assert_eq!(window.key(), "psa:halo:acme:window:api");
/// // A tenant name cannot reach into another's keys.
/// assert_eq!(redis.tenant(Vendor::Halo, "acme:window").key_prefix(), "psa:halo:acme%3Awindow");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Tenant {
    store: RedisStore,
    base: String,
}

impl Tenant {
    pub(crate) fn new(store: RedisStore, base: String) -> Self {
        Tenant { store, base }
    }

    /// The prefix of this tenant's keys.
    pub fn key_prefix(&self) -> &str {
        &self.base
    }

    /// At most `max` request starts in any rolling `window` (key `api`).
    pub fn window_limiter(&self, max: u32, window: Duration) -> RedisWindowLimiter {
        self.named_window_limiter("api", max, window)
    }

    /// A window limiter under its own name (one per ServiceNow rule, for
    /// instance).
    pub fn named_window_limiter(
        &self,
        name: &str,
        max: u32,
        window: Duration,
    ) -> RedisWindowLimiter {
        RedisWindowLimiter::new(
            self.store.clone(),
            format!("{}:window:{}", self.base, key_part(name)),
            max,
            window,
        )
    }

    /// At most `limit` requests in flight per rate key, each slot a lease
    /// of `lease` (renewed while held).
    pub fn concurrency_limiter(&self, limit: u32, lease: Duration) -> RedisConcurrencyLimiter {
        RedisConcurrencyLimiter::new(
            self.store.clone(),
            format!("{}:inflight", self.base),
            limit,
            lease,
        )
    }

    /// At most `limit` requests per rolling `period`, in compact counters.
    pub fn budget(&self, limit: u64, period: Duration) -> RedisBudget {
        RedisBudget::new(
            self.store.clone(),
            format!("{}:budget", self.base),
            limit,
            period,
        )
    }

    /// The tenant's token store.
    pub fn token_store(&self) -> RedisTokenStore {
        RedisTokenStore::new(self.store.clone(), self.base.clone())
    }
}
