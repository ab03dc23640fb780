//! The shared HTTP machinery as a Halo client sees it: writes whose
//! outcome is unknown are never sent twice, reads are retried, a hundred
//! calls on an expired token cause one token request, and an operation's
//! per-call overrides are honoured when it is sent.

use futures::TryStreamExt;
use psa_core::http::{Customize, HttpConfig, RequestOptions, RetryPolicy};
use psa_core::{Id, NewNote, NewTimeEntry, Psa};
use psa_halo::HaloMock;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

/// Requests the server received for `METHOD /path` (fault mocks included,
/// which the simulator's own counters do not see).
async fn received(mock: &HaloMock, method_and_path: &str) -> usize {
    mock.server()
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| format!("{} {}", r.method, r.url.path()) == method_and_path)
        .count()
}

/// Short attempts, so that a slow answer is a timeout within the test.
fn fast() -> HttpConfig {
    HttpConfig::default()
        .with_attempt_timeout(Duration::from_millis(300))
        .with_retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(10), Duration::from_millis(50)),
        )
}

#[tokio::test]
async fn a_post_that_times_out_is_not_sent_again() {
    let mock = HaloMock::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(2)))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock.client_builder().http_config(fast()).build().unwrap();

    let err = c
        .add_note(&Id::from(1001), NewNote::internal("rebooted the switch"))
        .await
        .unwrap_err();
    assert!(err.is_ambiguous_write(), "{err}");
    assert!(err.to_string().contains("not re-sent"), "{err}");
    assert_eq!(
        received(&mock, "POST /api/Actions").await,
        1,
        "sent once, never again"
    );

    // Time is a POST of an action too.
    let entry = NewTimeEntry::new(Id::from(1001), chrono::Utc::now(), Duration::from_secs(900));
    let err = c.create_time_entry(entry).await.unwrap_err();
    assert!(err.is_ambiguous_write(), "{err}");
    assert_eq!(received(&mock, "POST /api/Actions").await, 2);

    // The typed client behaves the same.
    let err = c
        .actions()
        .create([psa_halo::Action::new(1001, "typed note")])
        .send()
        .await
        .unwrap_err();
    assert!(err.is_ambiguous_write(), "{err}");
    assert_eq!(received(&mock, "POST /api/Actions").await, 3);
}

#[tokio::test]
async fn a_post_answered_503_is_ambiguous_but_a_429_is_retried() {
    let mock = HaloMock::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock.client_builder().http_config(fast()).build().unwrap();
    let err = c
        .add_note(&Id::from(1001), NewNote::internal("one"))
        .await
        .unwrap_err();
    assert!(err.is_ambiguous_write(), "{err}");
    assert_eq!(received(&mock, "POST /api/Actions").await, 1);

    // A 429 was refused unprocessed: sending it again is safe.
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_string("Rate Limit Reached - 300 Requests per rolling 5 minute window"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    let note = c
        .add_note(&Id::from(1001), NewNote::internal("two"))
        .await
        .unwrap();
    assert_eq!(note.body, "two");
    assert_eq!(
        received(&mock, "POST /api/Actions").await,
        3,
        "refused once, then created"
    );
}

#[tokio::test]
async fn a_get_answered_503_with_retry_after_is_retried_after_it() {
    let mock = HaloMock::start().await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets/1001"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock.client_builder().http_config(fast()).build().unwrap();
    let started = Instant::now();
    let t = c.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.id, Id::from(1001));
    assert_eq!(received(&mock, "GET /api/Tickets/1001").await, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_read_that_times_out_is_retried() {
    let mock = HaloMock::start().await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets/1001"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock.client_builder().http_config(fast()).build().unwrap();
    let t = c.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.id, Id::from(1001));
    assert_eq!(received(&mock, "GET /api/Tickets/1001").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_calls_on_an_expired_token_make_one_token_request() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    c.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(mock.token_requests(), 1);
    mock.expire_tokens();
    let calls = (0..100).map(|i| {
        let c = c.clone();
        tokio::spawn(async move { c.get_ticket(&Id::from(1001 + i % 5)).await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(mock.token_requests(), 2, "exactly one renewal");
}

#[tokio::test]
async fn a_read_customized_with_no_retry_is_sent_once() {
    let mock = HaloMock::start().await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets/1001"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock.client_builder().http_config(fast()).build().unwrap();
    let err = c
        .tickets()
        .get(1001)
        .customize(RequestOptions::no_retry)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503), "{err}");
    assert_eq!(
        received(&mock, "GET /api/Tickets/1001").await,
        1,
        "one attempt, no retry"
    );
    // The same read without the override is retried (psa-core's 4 attempts).
    c.tickets().get(1001).send().await.unwrap_err();
    assert_eq!(received(&mock, "GET /api/Tickets/1001").await, 5);
}

#[tokio::test]
async fn every_page_of_a_customized_listing_carries_the_overrides() {
    let mock = HaloMock::builder().generated_tickets(150).start().await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets"))
        .and(query_param("page_no", "2"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock.client_builder().http_config(fast()).build().unwrap();
    let err = c
        .tickets()
        .list()
        .customize(RequestOptions::no_retry)
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503), "{err}");
    assert_eq!(
        mock.requests_to("GET", "/api/Tickets"),
        1,
        "the first page, from the simulator"
    );
    assert_eq!(
        received(&mock, "GET /api/Tickets").await,
        2,
        "the second page once, not retried"
    );
}

#[tokio::test]
async fn a_create_marked_idempotent_is_retried() {
    let mock = HaloMock::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock.client_builder().http_config(fast()).build().unwrap();
    let saved = c
        .actions()
        .create([psa_halo::Action::new(1001, "deduplicated by the caller")])
        .customize(|o| o.idempotent(true))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        received(&mock, "POST /api/Actions").await,
        2,
        "refused once, then created"
    );
}
