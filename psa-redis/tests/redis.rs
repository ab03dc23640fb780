//! The Redis limiters and token store against a real `redis-server`
//! (in one process; `multiprocess.rs` runs several).
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use futures::future::join_all;
use psa_core::Vendor;
use psa_core::http::{OnLimit, RateLimiter, RefreshLock, Token, TokenStore};
use psa_redis::{OnUnavailable, RedisStore};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

fn far() -> Instant {
    Instant::now() + Duration::from_secs(60)
}

#[tokio::test]
async fn window_is_exact_across_two_limiters_and_uses_the_window() {
    const MAX: usize = 20;
    let store = support::store("window").await;
    let tenant = store.tenant(Vendor::Halo, "acme");
    let window = Duration::from_millis(400);
    // Two "replicas": two limiter objects on the same keys. The margin
    // covers the time between a reservation and the caller's start (the
    // Redis reply), as it covers the way to the vendor in production.
    let margin = Duration::from_millis(50);
    let a: Arc<dyn RateLimiter> = Arc::new(tenant.window_limiter(20, window).with_margin(margin));
    let b: Arc<dyn RateLimiter> = Arc::new(tenant.window_limiter(20, window).with_margin(margin));
    let t0 = Instant::now();
    let tasks = (0..60).map(|i| {
        let l = if i % 2 == 0 {
            Arc::clone(&a)
        } else {
            Arc::clone(&b)
        };
        tokio::spawn(async move {
            l.acquire("Tickets", far()).await.unwrap();
            Instant::now()
        })
    });
    let mut starts: Vec<Instant> = join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    starts.sort();
    for (i, s) in starts.iter().enumerate() {
        let within = starts[i..].iter().take_while(|t| **t - *s < window).count();
        assert!(within <= MAX, "{within} starts in one window");
    }
    // 60 starts at 20 per 450 ms: the last at ~900 ms.
    let span = *starts.last().unwrap() - t0;
    assert!(span >= Duration::from_millis(890), "{span:?}");
    assert!(span < Duration::from_millis(1_300), "{span:?}");
    support::cleanup(&store).await;
}

#[tokio::test]
async fn window_fail_fast_says_when_and_reserves_nothing() {
    let store = support::store("window-ff").await;
    let limiter = store
        .tenant(Vendor::Halo, "acme")
        .window_limiter(2, Duration::from_secs(10))
        .with_margin(Duration::ZERO)
        .with_on_limit(OnLimit::FailFast);
    limiter.acquire("k", far()).await.unwrap();
    limiter.acquire("k", far()).await.unwrap();
    for _ in 0..3 {
        let e = limiter.acquire("k", far()).await.unwrap_err();
        assert!(e.is_rate_limited(), "{e}");
        let after = e.retry_after().unwrap();
        assert!(
            after > Duration::from_secs(9) && after <= Duration::from_secs(10),
            "{after:?}"
        );
    }
    // The refusals reserved nothing: still two entries.
    let deadline_soon = Instant::now() + Duration::from_millis(100);
    let waiting = store
        .tenant(Vendor::Halo, "acme")
        .window_limiter(2, Duration::from_secs(10))
        .with_margin(Duration::ZERO);
    assert!(waiting.acquire("k", deadline_soon).await.is_err());
    support::cleanup(&store).await;
}

#[tokio::test]
async fn tenants_do_not_share_budgets() {
    let store = support::store("tenants").await;
    let a = store
        .tenant(Vendor::Halo, "a")
        .window_limiter(1, Duration::from_secs(30))
        .with_on_limit(OnLimit::FailFast);
    let b = store
        .tenant(Vendor::Halo, "b")
        .window_limiter(1, Duration::from_secs(30))
        .with_on_limit(OnLimit::FailFast);
    a.acquire("k", far()).await.unwrap();
    b.acquire("k", far()).await.unwrap();
    assert!(a.acquire("k", far()).await.is_err());
    support::cleanup(&store).await;
}

#[tokio::test]
async fn concurrency_is_bounded_across_limiters_and_released_on_drop() {
    let store = support::store("conc").await;
    let tenant = store.tenant(Vendor::Autotask, "acme");
    let a = Arc::new(tenant.concurrency_limiter(3, Duration::from_secs(5)));
    let b = Arc::new(tenant.concurrency_limiter(3, Duration::from_secs(5)));
    let held = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let tasks = (0..24).map(|i| {
        let l = if i % 2 == 0 {
            Arc::clone(&a)
        } else {
            Arc::clone(&b)
        };
        let (held, peak) = (Arc::clone(&held), Arc::clone(&peak));
        tokio::spawn(async move {
            let permit = l.acquire("Tickets", far()).await.unwrap();
            let now = held.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            held.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
        })
    });
    for t in join_all(tasks).await {
        t.unwrap();
    }
    assert_eq!(peak.load(Ordering::SeqCst), 3);
    // Releases are sent by a task after the drop: give them a moment.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(a.in_flight("Tickets").await.unwrap(), 0);
    // Another key has its own slots.
    let _x = a.acquire("Companies", far()).await.unwrap();
    assert_eq!(a.in_flight("Companies").await.unwrap(), 1);
    support::cleanup(&store).await;
}

#[tokio::test]
async fn a_held_lease_is_renewed_past_its_length() {
    let store = support::store("renew").await;
    let tenant = store.tenant(Vendor::Autotask, "acme");
    let l = tenant
        .concurrency_limiter(1, Duration::from_millis(300))
        .with_on_limit(OnLimit::FailFast);
    let permit = l.acquire("k", far()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await;
    let e = l.acquire("k", far()).await.unwrap_err();
    assert!(e.is_rate_limited(), "still held after 3 leases: {e}");
    drop(permit);
    tokio::time::sleep(Duration::from_millis(100)).await;
    l.acquire("k", far()).await.unwrap();
    support::cleanup(&store).await;
}

#[tokio::test]
async fn budget_counts_across_limiters_and_refills_with_the_period() {
    let store = support::store("budget").await;
    let tenant = store.tenant(Vendor::Autotask, "acme");
    let period = Duration::from_secs(2);
    let a = tenant
        .budget(5, period)
        .with_buckets(4)
        .with_on_limit(OnLimit::FailFast);
    let b = tenant
        .budget(5, period)
        .with_buckets(4)
        .with_on_limit(OnLimit::FailFast);
    for i in 0..5 {
        let l = if i % 2 == 0 { &a } else { &b };
        l.acquire("any", far()).await.unwrap();
    }
    assert_eq!(a.used().await.unwrap(), 5);
    let e = b.acquire("any", far()).await.unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    let after = e.retry_after().unwrap();
    assert!(after <= period + period / 4, "{after:?}");
    // Waiting (within the deadline) lets the call through once a bucket
    // leaves the period.
    let waiting = tenant.budget(5, period).with_buckets(4);
    let t0 = Instant::now();
    waiting
        .acquire("any", Instant::now() + Duration::from_secs(5))
        .await
        .unwrap();
    assert!(t0.elapsed() >= after.saturating_sub(Duration::from_millis(50)));
    support::cleanup(&store).await;
}

#[tokio::test]
async fn token_store_round_trip_and_lock() {
    let store = support::store("tokens").await;
    let tokens = store.tenant(Vendor::Halo, "acme").token_store();
    let key = "oauth-client-credentials https://acme.example/auth/token id all";
    assert!(tokens.get(key).await.unwrap().is_none());
    let exp = SystemTime::now() + Duration::from_secs(3600);
    tokens
        .put(
            key,
            Token::new(SecretString::from("tok-1"), exp)
                .with_refresh_token(SecretString::from("ref-1")),
        )
        .await
        .unwrap();
    let back = tokens.get(key).await.unwrap().unwrap();
    assert_eq!(back.access_token.expose_secret(), "tok-1");
    assert_eq!(back.refresh_token.unwrap().expose_secret(), "ref-1");
    let drift = back
        .expires_at
        .duration_since(exp)
        .unwrap_or_else(|e| e.duration());
    assert!(drift < Duration::from_millis(2));
    tokens.remove(key).await.unwrap();
    assert!(tokens.get(key).await.unwrap().is_none());

    let lease = Duration::from_millis(400);
    let RefreshLock::Acquired(mine) = tokens.try_lock_refresh(key, lease).await.unwrap() else {
        panic!("free lock not granted")
    };
    let RefreshLock::Held { remaining } = tokens.try_lock_refresh(key, lease).await.unwrap() else {
        panic!("a held lock was granted twice")
    };
    assert!(remaining.unwrap() <= lease);
    // Another holder's release does not free my lock.
    tokens
        .unlock_refresh(key, &psa_core::http::RefreshLease::random())
        .await
        .unwrap();
    assert!(matches!(
        tokens.try_lock_refresh(key, lease).await.unwrap(),
        RefreshLock::Held { .. }
    ));
    tokens.unlock_refresh(key, &mine).await.unwrap();
    let RefreshLock::Acquired(_) = tokens.try_lock_refresh(key, lease).await.unwrap() else {
        panic!("released lock not granted")
    };
    // An abandoned lock ends with its lease.
    tokio::time::sleep(lease + Duration::from_millis(50)).await;
    assert!(matches!(
        tokens.try_lock_refresh(key, lease).await.unwrap(),
        RefreshLock::Acquired(_)
    ));
    support::cleanup(&store).await;
}

/// A Redis that does not answer: a port nothing listens on.
fn unreachable() -> RedisStore {
    RedisStore::builder("redis://127.0.0.1:1/")
        .prefix(support::unique_prefix("down"))
        .op_timeout(Duration::from_millis(200))
        .connect_timeout(Duration::from_millis(200))
        .build()
        .unwrap()
}

#[tokio::test]
async fn unreachable_redis_fails_closed_with_a_clear_error() {
    let store = unreachable();
    let limiter = store
        .tenant(Vendor::Halo, "acme")
        .window_limiter(10, Duration::from_secs(1));
    let t0 = Instant::now();
    let e = limiter.acquire("k", far()).await.unwrap_err();
    assert!(e.is_connect() || e.is_timeout(), "{e}");
    assert!(e.to_string().contains("Redis"), "{e}");
    assert!(e.to_string().contains("nothing was sent"), "{e}");
    assert!(t0.elapsed() < Duration::from_secs(1));
    // Taken as down: the next call fails at once, without waiting on Redis.
    assert!(store.is_down());
    let t1 = Instant::now();
    assert!(limiter.acquire("k", far()).await.is_err());
    assert!(t1.elapsed() < Duration::from_millis(50));
    let conc = store
        .tenant(Vendor::Autotask, "acme")
        .concurrency_limiter(3, Duration::from_secs(1));
    assert!(conc.acquire("k", far()).await.is_err());
    let budget = store
        .tenant(Vendor::Autotask, "acme")
        .budget(10, Duration::from_secs(1));
    assert!(budget.acquire("k", far()).await.is_err());
}

#[tokio::test]
async fn unreachable_redis_falls_back_to_a_fraction_of_the_limit() {
    let store = unreachable();
    let limiter = store
        .tenant(Vendor::Halo, "acme")
        .window_limiter(10, Duration::from_secs(30))
        .with_on_unavailable(OnUnavailable::local_fraction(0.3).unwrap())
        .with_on_limit(OnLimit::FailFast);
    for _ in 0..3 {
        limiter.acquire("k", far()).await.unwrap();
    }
    let e = limiter.acquire("k", far()).await.unwrap_err();
    assert!(e.is_rate_limited(), "the local window holds 3 of 10: {e}");
    let conc = store
        .tenant(Vendor::Autotask, "acme")
        .concurrency_limiter(3, Duration::from_secs(1))
        .with_on_unavailable(OnUnavailable::local_fraction(0.5).unwrap())
        .with_on_limit(OnLimit::FailFast);
    let _one = conc.acquire("k", far()).await.unwrap();
    assert!(conc.acquire("k", far()).await.is_err(), "1 of 3 locally");
    let budget = store
        .tenant(Vendor::Autotask, "acme")
        .budget(4, Duration::from_secs(30))
        .with_on_unavailable(OnUnavailable::local_fraction(0.5).unwrap())
        .with_on_limit(OnLimit::FailFast);
    budget.acquire("k", far()).await.unwrap();
    budget.acquire("k", far()).await.unwrap();
    assert!(budget.acquire("k", far()).await.is_err(), "2 of 4 locally");
}
