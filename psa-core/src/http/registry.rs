//! [`shared_limiter`]: one rate limiter per tenant in a process, however
//! many clients it builds.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

type Registry = Mutex<HashMap<(&'static str, String), Weak<dyn Any + Send + Sync>>>;

/// The limiter registered under `key` in this process, or a new one from
/// `make`, registered for the next caller.
///
/// A vendor's limit belongs to the tenant, not to one client: two clients
/// of the same HaloPSA tenant (a program that builds one per task, a
/// dispatcher and a reporter in one process) must draw from one budget, or
/// together they exceed it. Vendor crates build their default limiters
/// through this function, keyed by what the vendor counts by (HaloPSA: the
/// resource server and the limit; Autotask: the integration code), so every
/// client of a tenant in the process shares one.
///
/// The registry holds the limiters weakly: once every client using one is
/// dropped, it goes, and the next client starts afresh. Keys are per type,
/// so two limiter types never collide. A key should not contain a secret in
/// clear (hash it): it lives as long as the limiter.
///
/// For replicas in several processes, give the clients a shared limiter
/// instead (a Redis-backed [`RateLimiter`](super::RateLimiter)).
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use psa_core::http::{SlidingWindowLimiter, shared_limiter};
///
/// let make = || SlidingWindowLimiter::new(300, Duration::from_secs(300));
/// let a = shared_limiter("halo https://acme.halopsa.com/api 300/300s", make);
/// let b = shared_limiter("halo https://acme.halopsa.com/api 300/300s", make);
/// assert!(Arc::ptr_eq(&a, &b));
/// let other = shared_limiter("halo https://other.halopsa.com/api 300/300s", make);
/// assert!(!Arc::ptr_eq(&a, &other));
/// ```
pub fn shared_limiter<L: Send + Sync + 'static>(key: &str, make: impl FnOnce() -> L) -> Arc<L> {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    let mut registry = REGISTRY
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let slot = (std::any::type_name::<L>(), key.to_owned());
    if let Some(live) = registry
        .get(&slot)
        .and_then(Weak::upgrade)
        .and_then(|any| any.downcast::<L>().ok())
    {
        return live;
    }
    registry.retain(|_, w| w.strong_count() > 0);
    let limiter = Arc::new(make());
    let erased: Arc<dyn Any + Send + Sync> = limiter.clone();
    registry.insert(slot, Arc::downgrade(&erased));
    limiter
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{ConcurrencyLimiter, SlidingWindowLimiter};
    use std::time::Duration;

    #[test]
    fn shared_while_alive_and_dropped_after() {
        let make = || SlidingWindowLimiter::new(5, Duration::from_secs(1));
        let a = shared_limiter("registry-test-a", make);
        let b = shared_limiter("registry-test-a", make);
        assert!(Arc::ptr_eq(&a, &b));
        let weak = Arc::downgrade(&a);
        drop((a, b));
        assert!(
            weak.upgrade().is_none(),
            "the registry keeps no strong reference"
        );
        let c = shared_limiter("registry-test-a", make);
        assert_eq!(Arc::strong_count(&c), 1);
    }

    #[test]
    fn keys_are_per_type() {
        let w = shared_limiter("registry-test-b", || {
            SlidingWindowLimiter::new(5, Duration::from_secs(1))
        });
        let c = shared_limiter("registry-test-b", || ConcurrencyLimiter::per_key(3));
        assert_eq!(Arc::strong_count(&w), 1);
        assert_eq!(Arc::strong_count(&c), 1);
    }
}
