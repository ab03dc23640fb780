//! Halo's rate limit: the client keeps to it, and a 429 is a rate-limit
//! error carrying Halo's message.

use psa_core::{Id, Psa};
use psa_halo::{HaloMock, RateLimit};
use std::time::{Duration, Instant};

#[tokio::test]
async fn the_client_keeps_to_the_limit_and_gets_no_429() {
    let window = Duration::from_secs(2);
    let mock = HaloMock::builder().rate_limit(5, window).start().await;
    let c = mock
        .client_builder()
        .rate_limit(RateLimit::Window { max: 5, window })
        .build()
        .unwrap();
    let start = Instant::now();
    let calls = (0..12).map(|i| {
        let c = c.clone();
        async move { c.get_ticket(&Id::from(1001 + i % 3)).await }
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(mock.rate_limited_requests(), 0, "zero 429s");
    // 12 calls at 5 per 2 s need at least two full windows.
    assert!(
        start.elapsed() >= Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_429_is_a_rate_limit_error_with_halos_message() {
    let mock = HaloMock::builder()
        .rate_limit(2, Duration::from_secs(60))
        .start()
        .await;
    let c = mock.client();
    c.get_ticket(&Id::from(1001)).await.unwrap();
    c.get_ticket(&Id::from(1001)).await.unwrap();
    let err = c.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(429));
    assert!(
        err.to_string()
            .contains("Rate Limit Reached - 300 Requests per rolling 5 minute window"),
        "{err}"
    );
    assert!(mock.rate_limited_requests() >= 1);
}
