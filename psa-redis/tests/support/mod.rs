//! Helpers of the Redis tests: the server's URL and a key prefix unique to
//! each test, whose keys are deleted at the end.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use psa_redis::RedisStore;

/// The Redis the tests use: `PSA_REDIS_URL`, or the loopback one `.ci/run`
/// starts.
pub fn redis_url() -> String {
    std::env::var("PSA_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned())
}

/// A prefix no other test (or test run, or user of the shared Redis) uses.
pub fn unique_prefix(name: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "psa-test-{name}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A store under a fresh prefix; fails the test with a clear message when
/// no Redis answers.
pub async fn store(name: &str) -> RedisStore {
    let store = RedisStore::builder(redis_url())
        .prefix(unique_prefix(name))
        .build()
        .unwrap();
    if let Err(e) = store.ping().await {
        panic!(
            "these tests need a Redis at {} (PSA_REDIS_URL): {e}. `.ci/run` starts one; \
             or run `redis-server --daemonize yes --port 6379 --save '' --appendonly no`",
            redis_url()
        );
    }
    store
}

/// Deletes every key of `store`'s prefix.
pub async fn cleanup(store: &RedisStore) {
    store.delete_all_keys().await.unwrap();
}
