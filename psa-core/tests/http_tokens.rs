//! Token endpoint failures (issue 11): a failed refresh is shared by every
//! caller waiting on it and cached briefly; waiting for a token is bounded
//! by each caller's deadline; tokens issued already expired do not cause a
//! token request per call; several `TokenAuth`s sharing a store's refresh
//! lock make one request, and a dead lock holder blocks nobody past its
//! lease. Each test counts the token requests a wiremock token endpoint
//! received.
#![allow(clippy::unwrap_used)]

mod http_common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::join_all;
use http_common::{builder, fast_config};
use psa_core::http::{
    ApiRequest, HttpClient, MemoryTokenStore, OAuthClientCredentials, RefreshLock, TokenAuth,
    TokenSource, TokenStore,
};
use psa_core::{Error, ErrorKind};
use secrecy::SecretString;
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALLERS: usize = 100;

fn source(server: &MockServer) -> OAuthClientCredentials {
    OAuthClientCredentials::new(
        &format!("{}/auth/token", server.uri()),
        "the-client",
        SecretString::from("the-secret"),
    )
    .unwrap()
}

fn token_auth(server: &MockServer) -> TokenAuth {
    TokenAuth::new(Arc::new(source(server)), fast_config()).unwrap()
}

fn token_body(token: &str, expires_in: i64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": token, "token_type": "Bearer", "expires_in": expires_in
    }))
}

async fn mount_api(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/Tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tickets": []})))
        .mount(server)
        .await;
}

async fn token_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/auth/token")
        .count()
}

fn client(server: &MockServer, auth: TokenAuth) -> HttpClient {
    builder(server).auth(Arc::new(auth)).build().unwrap()
}

/// `n` concurrent `GET Tickets` through `client`, each with `deadline`.
async fn burst(
    client: &HttpClient,
    n: usize,
    deadline: Duration,
) -> Vec<(psa_core::Result<()>, Duration)> {
    let calls = (0..n).map(|_| {
        let c = client.clone();
        async move {
            let t0 = Instant::now();
            let r = c
                .send(ApiRequest::get("Tickets").deadline(deadline))
                .await
                .map(|_| ());
            (r, t0.elapsed())
        }
    });
    join_all(calls).await
}

/// The token endpoint fails with `response` (slowly enough that every
/// caller is waiting on the refresh): one token request for a hundred
/// callers, one error for all of them.
async fn one_failure_for_all(response: ResponseTemplate, expect_kind: ErrorKind) -> Vec<Error> {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(response.set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let client = client(&server, token_auth(&server));
    let results = burst(&client, CALLERS, Duration::from_secs(30)).await;
    assert_eq!(token_requests(&server).await, 1, "one token request");
    let errors: Vec<Error> = results.into_iter().map(|(r, _)| r.unwrap_err()).collect();
    for e in &errors {
        assert_eq!(e.kind(), expect_kind, "{e}");
    }
    // Everyone got the same error.
    let first = errors[0].to_string();
    assert!(errors.iter().all(|e| e.to_string() == first), "{first}");
    // A call right after is answered from the negative cache: no request.
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert_eq!(e.kind(), expect_kind);
    assert!(e.retry_after().is_some(), "says when the next try is");
    assert_eq!(token_requests(&server).await, 1, "negative cache");
    errors
}

#[tokio::test]
async fn token_endpoint_500_is_one_request_and_one_error_for_a_hundred_callers() {
    let errors = one_failure_for_all(
        ResponseTemplate::new(500).set_body_string("internal error"),
        ErrorKind::Api,
    )
    .await;
    assert_eq!(errors[7].http_status().map(|s| s.as_u16()), Some(500));
    assert_eq!(errors[7].raw_body(), Some("internal error"));
}

#[tokio::test]
async fn token_endpoint_html_is_one_request_and_one_error_for_a_hundred_callers() {
    one_failure_for_all(
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/html")
            .set_body_string("<html><body>Sign in</body></html>"),
        ErrorKind::Decode,
    )
    .await;
}

#[tokio::test]
async fn token_endpoint_empty_body_is_one_request_and_one_error_for_a_hundred_callers() {
    one_failure_for_all(ResponseTemplate::new(200), ErrorKind::Decode).await;
}

#[tokio::test]
async fn token_endpoint_503_is_retried_within_one_shared_refresh() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(50)))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let client = client(&server, token_auth(&server));
    let results = burst(&client, CALLERS, Duration::from_secs(30)).await;
    assert!(results.iter().all(|(r, _)| r.is_err()));
    // The policy's 4 attempts, once — not 4 per caller.
    assert_eq!(
        token_requests(&server).await,
        fast_config().retry().max_attempts() as usize
    );
}

#[tokio::test]
async fn after_the_backoff_the_next_call_tries_again_and_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("good", 3600))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let auth = token_auth(&server)
        .with_failure_backoff(Duration::from_millis(300), Duration::from_secs(5));
    let client = client(&server, auth);
    assert!(client.send(ApiRequest::get("Tickets")).await.is_err());
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    let wait = e.retry_after().unwrap();
    assert!(
        wait <= Duration::from_millis(300) && !wait.is_zero(),
        "{wait:?}"
    );
    assert_eq!(token_requests(&server).await, 1);
    tokio::time::sleep(Duration::from_millis(350)).await;
    client.send(ApiRequest::get("Tickets")).await.unwrap();
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_still_valid_token_is_used_while_its_renewal_fails() {
    let server = MockServer::start().await;
    // A 1 s token used for the 4 s minimum lifetime is renewed at 3.6 s
    // (10 % early) and works until 4 s; its renewal fails.
    Mock::given(path("/auth/token"))
        .respond_with(token_body("old", 1))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let auth = token_auth(&server).with_min_token_lifetime(Duration::from_secs(4));
    let client = client(&server, auth);
    client.send(ApiRequest::get("Tickets")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(3_650)).await;
    let results = burst(&client, CALLERS, Duration::from_secs(30)).await;
    assert!(
        results.iter().all(|(r, _)| r.is_ok()),
        "the old token works"
    );
    // Let the failed renewal finish: one request for the renewal, then the
    // backoff keeps the next calls from asking again.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let results = burst(&client, CALLERS, Duration::from_secs(30)).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()));
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_hanging_token_endpoint_costs_each_caller_only_its_deadline() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("late", 3600).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let client = client(&server, token_auth(&server));
    let deadline = Duration::from_secs(1);
    let t0 = Instant::now();
    let results = burst(&client, 20, deadline).await;
    let all_done = t0.elapsed();
    for (r, took) in &results {
        let e = r.as_ref().unwrap_err();
        assert!(e.is_timeout(), "{e}");
        assert!(e.to_string().contains("access token"), "{e}");
        assert!(*took < deadline + Duration::from_millis(500), "{took:?}");
    }
    assert!(
        all_done < Duration::from_secs(2),
        "the 20th caller returned after {all_done:?}"
    );
    assert_eq!(token_requests(&server).await, 1, "they shared one request");
}

#[tokio::test]
async fn waiting_for_a_token_is_bounded_by_the_attempt_timeout_too() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("late", 3600).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let client = client(&server, token_auth(&server));
    let t0 = Instant::now();
    let e = client
        .send(
            ApiRequest::get("Tickets")
                .attempt_timeout(Duration::from_millis(500))
                .deadline(Duration::from_secs(60)),
        )
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(
        t0.elapsed() < Duration::from_millis(1500),
        "{:?}",
        t0.elapsed()
    );
}

#[tokio::test]
async fn tokens_issued_already_expired_do_not_cost_a_request_per_call() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("instant", 0).set_delay(Duration::from_millis(50)))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let client = client(&server, token_auth(&server));
    let results = burst(&client, CALLERS, Duration::from_secs(30)).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()));
    for _ in 0..CALLERS {
        client.send(ApiRequest::get("Tickets")).await.unwrap();
    }
    assert_eq!(token_requests(&server).await, 1);
}

#[tokio::test]
async fn tokens_shorter_than_the_margin_are_renewed_at_most_once_per_min_lifetime() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("short", 0))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let auth = token_auth(&server).with_min_token_lifetime(Duration::from_millis(400));
    let client = client(&server, auth);
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(1) {
        client.send(ApiRequest::get("Tickets")).await.unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // 1 s of calls with a 400 ms floor: the first token and two or three
    // renewals, not one per call.
    let n = token_requests(&server).await;
    assert!((2..=4).contains(&n), "{n} token requests");
}

#[tokio::test]
async fn two_token_auths_sharing_a_store_make_one_request() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("shared", 3600).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let a = token_auth(&server)
        .with_store(Arc::clone(&store))
        .with_lock_poll_interval(Duration::from_millis(20));
    let b = token_auth(&server)
        .with_store(Arc::clone(&store))
        .with_lock_poll_interval(Duration::from_millis(20));
    let (ca, cb) = (client(&server, a.clone()), client(&server, b.clone()));
    let (ra, rb) = tokio::join!(
        burst(&ca, CALLERS / 2, Duration::from_secs(30)),
        burst(&cb, CALLERS / 2, Duration::from_secs(30))
    );
    assert!(ra.iter().chain(&rb).all(|(r, _)| r.is_ok()));
    assert_eq!(token_requests(&server).await, 1);
    assert_eq!(a.fetch_count() + b.fetch_count(), 1);
}

#[tokio::test]
async fn a_dead_lock_holder_blocks_nobody_past_its_lease() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("after-lease", 3600))
        .mount(&server)
        .await;
    mount_api(&server).await;
    let store = Arc::new(MemoryTokenStore::new());
    let key = source(&server).cache_key();
    // A "replica" takes the lock and dies: it never puts a token or unlocks.
    let lease = Duration::from_millis(600);
    let t0 = Instant::now();
    let RefreshLock::Acquired(_) = store.try_lock_refresh(&key, lease).await.unwrap() else {
        panic!("the lock was free")
    };
    let auth = token_auth(&server)
        .with_store(store.clone())
        .with_lock_poll_interval(Duration::from_millis(20));
    let client = client(&server, auth);
    let results = burst(&client, 20, Duration::from_secs(10)).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()));
    let took = t0.elapsed();
    assert!(took >= lease && took < Duration::from_secs(2), "{took:?}");
    assert_eq!(token_requests(&server).await, 1);
    // The refresh put the token in the store and released the lock.
    let stored = store.get(&key).await.unwrap().unwrap();
    assert!(!stored.is_expired_at(SystemTime::now()));
    assert!(matches!(
        store.try_lock_refresh(&key, lease).await.unwrap(),
        RefreshLock::Acquired(_)
    ));
}
