//! Per-call overrides (`RequestOptions`) and the deadline that bounds every
//! wait of a call, credentials included.
#![allow(clippy::unwrap_used)]

mod http_common;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use http::HeaderMap;
use psa_core::Result;
use psa_core::http::{ApiRequest, Auth, AuthStamp, RequestOptions, RetryPolicy};
use tokio::time::Instant;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use http_common::{builder, received};

/// Credentials that never become ready (a token endpoint that hangs).
#[derive(Debug)]
struct Hanging;

#[async_trait]
impl Auth for Hanging {
    async fn authorize(&self, _headers: &mut HeaderMap) -> Result<AuthStamp> {
        std::future::pending::<()>().await;
        Ok(AuthStamp::NONE)
    }
}

#[tokio::test]
async fn waiting_for_credentials_ends_at_the_deadline_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = builder(&server).auth(Arc::new(Hanging)).build().unwrap();
    let started = Instant::now();
    let req = RequestOptions::new()
        .deadline(Duration::from_millis(300))
        .apply(ApiRequest::get("Tickets"));
    let err = client.send(req).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(err.to_string().contains("credentials"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn the_attempt_timeout_also_bounds_the_wait_for_credentials() {
    let server = MockServer::start().await;
    let client = builder(&server).auth(Arc::new(Hanging)).build().unwrap();
    let started = Instant::now();
    let req = ApiRequest::get("Tickets").attempt_timeout(Duration::from_millis(200));
    let err = client.send(req).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(err.to_string().contains("credentials"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_per_call_retry_policy_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    // The client's policy makes 4 attempts; this call asks for one.
    let err = client
        .send(
            RequestOptions::new()
                .no_retry()
                .apply(ApiRequest::get("Tickets")),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await, 1);
    let err = client
        .send(
            RequestOptions::new()
                .retry_policy(
                    RetryPolicy::default()
                        .with_max_attempts(2)
                        .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
                )
                .apply(ApiRequest::get("Tickets")),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await, 3);
}

#[tokio::test]
async fn idempotency_override_decides_whether_a_post_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let create = || {
        ApiRequest::post("Tickets")
            .json(&serde_json::json!([{}]))
            .unwrap()
    };
    let err = client.send(create()).await.unwrap_err();
    assert!(err.is_ambiguous_write(), "{err}");
    assert_eq!(received(&server).await, 1, "a create is never re-sent");
    let err = client
        .send(RequestOptions::new().idempotent(true).apply(create()))
        .await
        .unwrap_err();
    assert!(!err.is_ambiguous_write(), "{err}");
    assert_eq!(received(&server).await, 5, "marked idempotent: 4 attempts");
}
