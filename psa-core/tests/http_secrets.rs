//! Secrets never leak: a canary client secret, access token, refresh token
//! and static header secret are searched for in every `Debug` output, every
//! error and the TRACE-level logs of a full call, a token fetch and failures.
//!
//! Alone in its test binary: a scoped tracing subscriber must not race with
//! other tests registering the same callsites.
#![allow(clippy::unwrap_used)]

mod http_common;

use std::sync::Arc;

use http_common::builder;
use psa_core::http::{
    ApiRequest, Auth, OAuthClientCredentials, StaticHeaderAuth, TokenAuth, TokenSource,
};
use psa_core::testing::{CapturedLogs, assert_free_of};
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "canary-client-secret-0001";
const ACCESS_TOKEN: &str = "canary-access-token-0002";
const REFRESH_TOKEN: &str = "canary-refresh-token-0003";
const HEADER_SECRET: &str = "canary-header-secret-0004";
const CANARIES: [&str; 4] = [CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, HEADER_SECRET];

fn assert_clean(what: &str, text: &str) {
    assert_free_of(what, text, &CANARIES);
}

#[tokio::test]
async fn canaries_never_appear_in_debug_errors_or_trace_logs() {
    let logs = CapturedLogs::new();
    let _guard = logs.set_default();

    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": ACCESS_TOKEN, "token_type": "Bearer",
            "expires_in": 3600, "refresh_token": REFRESH_TOKEN
        })))
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header(
            "authorization",
            format!("Bearer {ACCESS_TOKEN}").as_str(),
        ))
        .and(header("x-extra", HEADER_SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tickets": []})))
        .mount(&server)
        .await;
    Mock::given(path("/api/Broken"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"message": "bad request"})))
        .mount(&server)
        .await;
    Mock::given(path("/bad/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": format!("client secret {CLIENT_SECRET} is wrong"),
        })))
        .mount(&server)
        .await;

    let source = OAuthClientCredentials::new(
        &format!("{}/auth/token", server.uri()),
        "client-id",
        SecretString::from(CLIENT_SECRET),
    )
    .unwrap()
    .with_scope("all");
    let auth = TokenAuth::new(Arc::new(source.clone()), http_common::fast_config()).unwrap();
    let client = builder(&server)
        .auth(Arc::new(auth.clone()))
        .build()
        .unwrap();

    let mut secret_value = http::HeaderValue::from_static(HEADER_SECRET);
    secret_value.set_sensitive(true);
    let request = ApiRequest::get("Tickets")
        .header(http::HeaderName::from_static("x-extra"), secret_value)
        .query("search", "printer");
    assert_clean("request Debug", &format!("{request:?}"));

    // A full call with a token fetch.
    let response = client.send(request).await.unwrap();
    assert_clean("response Debug", &format!("{response:?}"));
    // A failing call.
    let e = client.send(ApiRequest::get("Broken")).await.unwrap_err();
    assert!(e.to_string().contains("bad request"));
    assert_clean("API error", &format!("{e} {e:?} {:?}", e.headers()));
    // A failing token request whose body echoes the secret.
    let bad = OAuthClientCredentials::new(
        &format!("{}/bad/token", server.uri()),
        "client-id",
        SecretString::from(CLIENT_SECRET),
    )
    .unwrap();
    let e = bad
        .fetch(client.reqwest_client(), client.config())
        .await
        .unwrap_err();
    assert!(e.is_unauthorized());
    assert_clean(
        "token error",
        &format!("{e} {e:?} {:?} {:?}", e.raw_body(), e.api_body()),
    );
    // A token.
    let token = source
        .fetch(client.reqwest_client(), client.config())
        .await
        .unwrap();
    assert_clean("token Debug", &format!("{token:?}"));

    let static_auth = StaticHeaderAuth::basic("user", SecretString::from(HEADER_SECRET))
        .unwrap()
        .with_header("Secret", SecretString::from(HEADER_SECRET))
        .unwrap();
    let mut headers = http::HeaderMap::new();
    static_auth.authorize(&mut headers).await.unwrap();
    assert!(headers.values().all(http::HeaderValue::is_sensitive));
    assert_clean("static auth Debug", &format!("{static_auth:?} {headers:?}"));
    assert_clean("client Debug", &format!("{client:?}"));
    assert_clean("token auth Debug", &format!("{auth:?}"));
    assert_clean(
        "source Debug",
        &format!("{source:?} {}", source.cache_key()),
    );

    let logs = logs.text();
    if std::env::var_os("PSA_SHOW_LOGS").is_some() {
        eprintln!("{logs}");
    }
    assert!(logs.contains("psa.request"), "the span is logged:\n{logs}");
    assert!(!logs.contains("search=printer"), "no query strings in logs");
    assert_clean("TRACE logs", &logs);
}
