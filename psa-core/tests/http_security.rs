//! Credentials never leave the base URL's origin: no redirects, no other hosts.
#![allow(clippy::unwrap_used)]

mod http_common;

use std::sync::Arc;
use std::time::Duration;

use http::Method;
use http_common::{builder, received};
use psa_core::http::{ApiRequest, StaticHeaderAuth};
use secrecy::SecretString;
use url::Url;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const HEADER_SECRET: &str = "canary-header-secret-0004";

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/api/Tickets"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let auth = StaticHeaderAuth::new()
        .with_header("Secret", SecretString::from(HEADER_SECRET))
        .unwrap();
    let client = builder(&server).auth(Arc::new(auth)).build().unwrap();
    let e = client.send(ApiRequest::get("Tickets")).await.unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(302));
    assert!(e.message().contains("redirect"), "{e}");
    assert!(e.headers().unwrap().get("location").is_some());
    assert_eq!(received(&elsewhere).await, 0);
}

#[tokio::test]
async fn absolute_urls_on_other_origins_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let auth = StaticHeaderAuth::new()
        .with_header("Secret", SecretString::from(HEADER_SECRET))
        .unwrap();
    let client = builder(&server).auth(Arc::new(auth)).build().unwrap();
    let next = Url::parse(&format!("{}/api/Tickets?page=2", elsewhere.uri())).unwrap();
    let e = client
        .send(ApiRequest::absolute(Method::GET, next))
        .await
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    for bad in [
        "../admin",
        "//evil.example/x",
        "https://evil.example/x",
        "a\\b",
    ] {
        let e = client.send(ApiRequest::get(bad)).await.unwrap_err();
        assert!(e.is_invalid_input(), "{bad}: {e}");
    }
    assert_eq!(received(&elsewhere).await, 0);
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn absolute_urls_on_the_same_origin_carry_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/atservicesrest/v1.0/Tickets/query/next"))
        .and(header("secret", HEADER_SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let auth = StaticHeaderAuth::new()
        .with_header("Secret", SecretString::from(HEADER_SECRET))
        .unwrap();
    let client = builder(&server)
        .auth(Arc::new(auth))
        .config(http_common::fast_config().with_deadline(Duration::from_secs(5)))
        .build()
        .unwrap();
    let next = Url::parse(&format!(
        "{}/atservicesrest/v1.0/Tickets/query/next?paging=abc",
        server.uri()
    ))
    .unwrap();
    client
        .send(ApiRequest::absolute(Method::GET, next))
        .await
        .unwrap();
}
