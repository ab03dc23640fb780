//! Credentials: token caching, single-flight refresh, 401 replay, OAuth.
#![allow(clippy::unwrap_used)]

mod http_common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::join_all;
use http_common::{builder, received};
use psa_core::http::{
    ApiRequest, HttpConfig, MemoryTokenStore, OAuthClientCredentials, StaticHeaderAuth, Token,
    TokenAuth, TokenSource, TokenStore,
};
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn token_body(token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": token, "token_type": "Bearer", "expires_in": 3600
    }))
}

fn source(server: &MockServer) -> OAuthClientCredentials {
    OAuthClientCredentials::new(
        &format!("{}/auth/token", server.uri()),
        "the-client",
        SecretString::from("the-secret"),
    )
    .unwrap()
    .with_scope("all")
    .with_query_param("tenant", "acme")
}

fn token_auth(server: &MockServer) -> TokenAuth {
    TokenAuth::new(Arc::new(source(server)), http_common::fast_config()).unwrap()
}

#[tokio::test]
async fn hundred_concurrent_calls_with_an_expired_token_fetch_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_body("fresh").set_delay(Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets"))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tickets": []})))
        .expect(100)
        .mount(&server)
        .await;

    let src = source(&server);
    let store = Arc::new(MemoryTokenStore::new());
    let expired = Token::new(
        SecretString::from("stale"),
        SystemTime::now() - Duration::from_secs(5),
    );
    store.put(&src.cache_key(), expired).await.unwrap();
    let auth = TokenAuth::new(Arc::new(src), http_common::fast_config())
        .unwrap()
        .with_store(store.clone());
    let client = builder(&server).auth(Arc::new(auth)).build().unwrap();

    let calls = (0..100).map(|_| {
        let c = client.clone();
        async move { c.send(ApiRequest::get("Tickets")).await }
    });
    for r in join_all(calls).await {
        r.unwrap();
    }
    let stored = store
        .get(&source(&server).cache_key())
        .await
        .unwrap()
        .unwrap();
    assert!(
        !stored.is_expired_at(SystemTime::now()),
        "the new token is stored"
    );
}

#[tokio::test]
async fn token_request_shape() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(query_param("tenant", "acme"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=the-client"))
        .and(body_string_contains("client_secret=the-secret"))
        .and(body_string_contains("scope=all"))
        .respond_with(token_body("t1"))
        .expect(1)
        .mount(&server)
        .await;
    let token = source(&server)
        .fetch(&reqwest::Client::new(), &HttpConfig::default())
        .await
        .unwrap();
    assert_eq!(token.token_type, "Bearer");
}

#[tokio::test]
async fn a_401_refreshes_once_and_replays_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_body("old"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_body("new"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Actions"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Actions"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!([{"id": 1}])))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .auth(Arc::new(token_auth(&server)))
        .build()
        .unwrap();
    // A POST too: a 401 means the request was refused, so a replay is safe.
    let resp = client
        .send(
            ApiRequest::post("Actions")
                .json(&json!([{"note": "x"}]))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status.as_u16(), 201);
}

#[tokio::test]
async fn hundred_concurrent_401s_cause_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("old").set_delay(Duration::from_millis(50)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("new").set_delay(Duration::from_millis(50)))
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401).set_delay(Duration::from_millis(20)))
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let client = builder(&server)
        .auth(Arc::new(token_auth(&server)))
        .build()
        .unwrap();
    let calls = (0..100).map(|_| {
        let c = client.clone();
        async move { c.send(ApiRequest::get("Tickets")).await }
    });
    for r in join_all(calls).await {
        r.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let token_requests = requests
        .iter()
        .filter(|r| r.url.path() == "/auth/token")
        .count();
    assert_eq!(token_requests, 2, "one initial fetch and one refresh");
}

#[tokio::test]
async fn two_401s_in_a_row_are_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("t"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "invalid_token", "error_description": "expired"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server)
        .auth(Arc::new(token_auth(&server)))
        .build()
        .unwrap();
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(401));
    assert_eq!(e.api_body().unwrap().message.as_deref(), Some("expired"));
}

#[tokio::test]
async fn static_credentials_are_not_replayed_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(path("/api/service/tickets"))
        .and(header("authorization", "Basic YWNtZStwdWI6cHJpdg=="))
        .and(header("clientid", "cid"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let auth = StaticHeaderAuth::basic("acme+pub", SecretString::from("priv"))
        .unwrap()
        .with_header("clientId", SecretString::from("cid"))
        .unwrap();
    let client = builder(&server).auth(Arc::new(auth)).build().unwrap();
    let e = client
        .send(ApiRequest::get("service/tickets"))
        .await
        .unwrap_err();
    assert!(e.is_unauthorized());
}

#[tokio::test]
async fn token_endpoint_refusal_is_unauthorized_with_the_oauth_body() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_client", "error_description": "Invalid client credentials"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .auth(Arc::new(token_auth(&server)))
        .build()
        .unwrap();
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    assert_eq!(
        e.api_body().unwrap().code.as_deref(),
        Some("invalid_client")
    );
    assert!(e.to_string().contains("Invalid client credentials"));
    assert_eq!(received(&server).await, 1, "no API request without a token");
}

#[tokio::test]
async fn token_endpoint_5xx_is_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(token_body("t"))
        .expect(1)
        .mount(&server)
        .await;
    let token = source(&server)
        .fetch(&reqwest::Client::new(), &http_common::fast_config())
        .await
        .unwrap();
    assert!(!token.is_expired_at(SystemTime::now()));
}

#[tokio::test]
async fn token_endpoint_redirect_is_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .auth(Arc::new(token_auth(&server)))
        .build()
        .unwrap();
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    assert_eq!(received(&elsewhere).await, 0);
}
