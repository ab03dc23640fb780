//! Retries: idempotent requests only, ambiguous writes, Retry-After, budget,
//! cooldown, deadlines.
#![allow(clippy::unwrap_used)]

mod http_common;

use std::sync::Arc;
use std::time::Duration;

use http_common::{Counting, builder, received};
use psa_core::Vendor;
use psa_core::http::{ApiRequest, HttpClient, HttpConfig, RetryBudget, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn post_note() -> ApiRequest {
    ApiRequest::post("Actions")
        .json(&json!([{"ticket_id": 1, "note": "hello"}]))
        .unwrap()
}

#[tokio::test]
async fn slow_post_is_not_resent_and_is_ambiguous() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let e = client
        .send(post_note().attempt_timeout(Duration::from_millis(200)))
        .await
        .unwrap_err();
    assert!(e.is_ambiguous_write(), "{e}");
    assert!(
        e.message().contains("may or may not have been applied"),
        "{e}"
    );
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn slow_get_is_retried_then_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let e = client
        .send(
            ApiRequest::get("Tickets")
                .attempt_timeout(Duration::from_millis(100))
                .retry_policy(
                    RetryPolicy::default()
                        .with_max_attempts(3)
                        .with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
                ),
        )
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert_eq!(received(&server).await, 3);
}

#[tokio::test]
async fn post_on_503_is_ambiguous_and_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let e = client.send(post_note()).await.unwrap_err();
    assert!(e.is_ambiguous_write(), "{e}");
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(e.raw_body(), Some("Service Unavailable"));
    assert_eq!(e.vendor(), Some(Vendor::Halo));
}

#[tokio::test]
async fn post_on_429_with_retry_after_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!([{"id": 7}])))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .config(HttpConfig::default())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let resp = client.send(post_note()).await.unwrap();
    assert_eq!(resp.status.as_u16(), 201);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
}

#[tokio::test]
async fn get_on_503_with_retry_after_is_retried_and_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"record_count": 0})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .config(HttpConfig::default())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let v: serde_json::Value = client.send_json(ApiRequest::get("Tickets")).await.unwrap();
    assert_eq!(v["record_count"], 0);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
}

#[tokio::test]
async fn get_on_500_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(500));
    assert!(!e.is_ambiguous_write());
}

#[tokio::test]
async fn get_on_502_uses_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .expect(4)
        .mount(&server)
        .await;
    let limiter = Counting::new();
    let client = builder(&server)
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(502));
    assert_eq!(limiter.acquired(), 4, "a permit per attempt");
    assert_eq!(*limiter.observed.lock().unwrap(), [502, 502, 502, 502]);
}

#[tokio::test]
async fn idempotent_post_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/Tickets/query"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Tickets/query"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    client
        .send(
            ApiRequest::post("Tickets/query")
                .idempotent(true)
                .json(&json!({"filter": []}))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn exhausted_budget_stops_retrying() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // Two retries for the whole tenant, shared by two clients.
    let budget = RetryBudget::new(0.0, 2, Duration::from_secs(60));
    let a = builder(&server)
        .retry_budget(budget.clone())
        .build()
        .unwrap();
    let b = builder(&server)
        .retry_budget(budget.clone())
        .build()
        .unwrap();
    assert!(a.send(ApiRequest::get("Tickets")).await.is_err());
    assert_eq!(
        received(&server).await,
        3,
        "first attempt + the two retries"
    );
    let e = b.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await, 4, "the budget is spent: no retry");
    assert_eq!(budget.balance(), 0);
}

#[tokio::test]
async fn never_policy_sends_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .config(HttpConfig::default().with_retry(RetryPolicy::never()))
        .build()
        .unwrap();
    assert!(client.send(ApiRequest::get("Tickets")).await.is_err());
}

#[tokio::test]
async fn connect_errors_are_retried_even_for_posts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let limiter = Counting::new();
    let client = HttpClient::builder(Vendor::Halo, format!("http://127.0.0.1:{port}/api"))
        .config(http_common::fast_config())
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    let e = client.send(post_note()).await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert!(
        std::error::Error::source(&e).is_some(),
        "the reqwest error is kept"
    );
    assert_eq!(
        limiter.acquired(),
        4,
        "nothing was sent, so the POST was retried"
    );
}

#[tokio::test]
async fn a_429_cools_the_whole_client_down() {
    let server = MockServer::start().await;
    Mock::given(path("/api/a"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .mount(&server)
        .await;
    Mock::given(path("/api/b"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = builder(&server)
        .config(HttpConfig::default().with_retry(RetryPolicy::never()))
        .build()
        .unwrap();
    let e = client.send(ApiRequest::get("a")).await.unwrap_err();
    assert!(e.is_rate_limited());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    let started = std::time::Instant::now();
    client.clone().send(ApiRequest::get("b")).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for the cooldown"
    );
}

#[tokio::test]
async fn deadline_bounds_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = builder(&server)
        .config(HttpConfig::default())
        .build()
        .unwrap();
    let e = client
        .send(ApiRequest::get("Tickets").deadline(Duration::from_secs(2)))
        .await
        .unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        received(&server).await,
        1,
        "a 30 s wait does not fit a 2 s deadline"
    );
}

#[tokio::test]
async fn classifier_turns_a_500_into_a_rate_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"errors": ["thread threshold exceeded for this endpoint"]})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"itemId": 5})))
        .mount(&server)
        .await;
    let client = builder(&server)
        .classifier(Arc::new(|status, _headers, body: &[u8]| {
            (status.as_u16() == 500 && String::from_utf8_lossy(body).contains("thread threshold"))
                .then_some(psa_core::ErrorKind::RateLimited)
        }))
        .build()
        .unwrap();
    let v: serde_json::Value = client.send_json(post_note()).await.unwrap();
    assert_eq!(v["itemId"], 5);
    assert_eq!(received(&server).await, 2);
}

/// Issue 11: a `Retry-After: 60` (within the 60 s cap) made the *next*
/// call sleep 60 s. A cool-down longer than the client's longest wait now
/// fails the call at once, with the time left, sending nothing and taking
/// no limiter slot; the 429'd call itself does not sleep 60 s to retry.
#[tokio::test]
async fn a_long_cool_down_fails_the_next_call_fast_with_the_wait() {
    let server = MockServer::start().await;
    Mock::given(path("/api/a"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "60"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/b"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let limiter = Counting::new();
    let client = builder(&server)
        .config(HttpConfig::default())
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    assert_eq!(
        HttpConfig::default().max_rate_limit_wait(),
        Duration::from_secs(5)
    );

    let started = std::time::Instant::now();
    let e = client.send(ApiRequest::get("a")).await.unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(60)));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "no 60 s sleep to retry"
    );

    let started = std::time::Instant::now();
    let e = client.send(ApiRequest::get("b")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1), "failed fast");
    assert!(e.is_rate_limited(), "{e}");
    let wait = e.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(55) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    assert!(e.to_string().contains("nothing was sent"), "{e}");
    assert_eq!(received(&server).await, 1);
    assert_eq!(limiter.acquired(), 1, "the fast failure took no permit");
}

/// A cool-down the client would wait for still fails fast when it would
/// outlast the call's own deadline; a call with time for it waits.
#[tokio::test]
async fn a_cool_down_never_outlives_the_callers_deadline() {
    let server = MockServer::start().await;
    Mock::given(path("/api/a"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "2"))
        .mount(&server)
        .await;
    Mock::given(path("/api/b"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .config(
            HttpConfig::default()
                .with_retry(RetryPolicy::never())
                .with_max_rate_limit_wait(Duration::from_secs(10)),
        )
        .build()
        .unwrap();
    let e = client.send(ApiRequest::get("a")).await.unwrap_err();
    assert!(e.is_rate_limited());

    let started = std::time::Instant::now();
    let e = client
        .send(ApiRequest::get("b").deadline(Duration::from_millis(500)))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "failed fast"
    );
    assert!(
        e.is_rate_limited() && e.to_string().contains("deadline"),
        "{e}"
    );
    assert!(e.retry_after().unwrap() > Duration::from_secs(1));

    let started = std::time::Instant::now();
    client.send(ApiRequest::get("b")).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited the cool-down out"
    );
}

/// A `Retry-After` longer than the client waits is not slept through
/// before a retry, for a 503 as for a 429: the error comes back with it.
#[tokio::test]
async fn a_long_retry_after_is_returned_not_slept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .config(HttpConfig::default().with_max_rate_limit_wait(Duration::from_secs(1)))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
}
