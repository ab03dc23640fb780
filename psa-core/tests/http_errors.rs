//! Error bodies, status mapping and decoding.
#![allow(clippy::unwrap_used)]

mod http_common;

use std::sync::Arc;

use http_common::builder;
use psa_core::http::{ApiRequest, HttpConfig, RetryPolicy};
use psa_core::{ApiErrorBody, ErrorKind, FieldError, Vendor};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn respond(server: &MockServer, at: &str, template: ResponseTemplate) {
    Mock::given(path(at))
        .respond_with(template)
        .mount(server)
        .await;
}

fn no_retry(server: &MockServer) -> psa_core::http::HttpClient {
    builder(server)
        .config(HttpConfig::default().with_retry(RetryPolicy::never()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn vendor_error_bodies_go_through_the_parser_hook() {
    let server = MockServer::start().await;
    respond(
        &server,
        "/api/service/tickets",
        ResponseTemplate::new(400).set_body_json(json!({
            "code": "InvalidObject", "message": "ticket object is invalid",
            "errors": [{"code": "Required", "message": "summary is required", "field": "summary"}]
        })),
    )
    .await;
    let client = builder(&server)
        .error_parser(Arc::new(|_status, _headers, body: &[u8]| {
            let v: serde_json::Value = serde_json::from_slice(body).ok()?;
            Some(ApiErrorBody::new(
                v["message"].as_str().map(str::to_owned),
                v["code"].as_str().map(str::to_owned),
                vec![FieldError::new(Some("summary".into()), None, "custom")],
            ))
        }))
        .build()
        .unwrap();
    let e = client
        .send(
            ApiRequest::post("service/tickets")
                .json(&json!({}))
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.vendor(), Some(Vendor::Halo));
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(400));
    assert_eq!(e.api_body().unwrap().code.as_deref(), Some("InvalidObject"));
    assert_eq!(e.field_errors()[0].message, "custom");
    assert!(e.to_string().contains("ticket object is invalid"), "{e}");
    assert!(e.to_string().contains("POST /api/service/tickets"), "{e}");
    assert!(e.raw_body().unwrap().contains("summary is required"));
}

#[tokio::test]
async fn an_html_502_is_kept_as_text() {
    let server = MockServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>";
    respond(
        &server,
        "/api/Tickets",
        ResponseTemplate::new(502).set_body_raw(html, "text/html"),
    )
    .await;
    let e = no_retry(&server)
        .send(ApiRequest::get("Tickets"))
        .await
        .unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(502));
    assert_eq!(e.raw_body(), Some(html));
    assert!(e.api_body().is_none());
    assert!(e.is_retryable());
}

#[tokio::test]
async fn an_empty_502_is_an_api_error() {
    let server = MockServer::start().await;
    respond(&server, "/api/Tickets", ResponseTemplate::new(502)).await;
    let e = no_retry(&server)
        .send(ApiRequest::get("Tickets"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.raw_body(), None);
    assert!(e.to_string().contains("Bad Gateway"), "{e}");
}

#[tokio::test]
async fn statuses_map_to_kinds() {
    let server = MockServer::start().await;
    for code in [403, 404, 409, 429] {
        respond(
            &server,
            &format!("/api/s{code}"),
            ResponseTemplate::new(code).set_body_json(json!({"errors": ["nope"]})),
        )
        .await;
    }
    let client = no_retry(&server);
    let kind = |code: u16| {
        let c = client.clone();
        async move {
            c.send(ApiRequest::get(format!("s{code}")))
                .await
                .unwrap_err()
                .kind()
        }
    };
    assert_eq!(kind(403).await, ErrorKind::Forbidden);
    assert_eq!(kind(404).await, ErrorKind::NotFound);
    assert_eq!(kind(409).await, ErrorKind::Api);
    assert_eq!(kind(429).await, ErrorKind::RateLimited);
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Page {
    tickets: Vec<Ticket>,
    record_count: u64,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Ticket {
    id: u64,
    summary: String,
}

#[tokio::test]
async fn bad_json_in_a_200_is_a_decode_error_naming_the_path() {
    let server = MockServer::start().await;
    respond(
        &server,
        "/api/wrong",
        ResponseTemplate::new(200).set_body_raw(
            r#"{"tickets":[{"id":1,"summary":"a"},{"id":"two","summary":"b"}],"record_count":2}"#,
            "application/json",
        ),
    )
    .await;
    respond(
        &server,
        "/api/truncated",
        ResponseTemplate::new(200).set_body_raw(r#"{"tickets":[{"id":1,"summ"#, "application/json"),
    )
    .await;
    respond(&server, "/api/empty", ResponseTemplate::new(200)).await;
    let client = no_retry(&server);
    let e = client
        .send_json::<Page>(ApiRequest::get("wrong"))
        .await
        .unwrap_err();
    assert!(e.is_decode());
    assert!(e.to_string().contains("tickets[1].id"), "{e}");
    assert!(e.raw_body().is_some());
    for at in ["truncated", "empty"] {
        let e = client
            .send_json::<Page>(ApiRequest::get(at))
            .await
            .unwrap_err();
        assert!(e.is_decode(), "{at}: {e}");
        assert_eq!(e.vendor(), Some(Vendor::Halo));
    }
}

#[tokio::test]
async fn oversized_bodies_are_an_error() {
    let server = MockServer::start().await;
    respond(
        &server,
        "/api/big",
        ResponseTemplate::new(200).set_body_string("x".repeat(1000)),
    )
    .await;
    let client = builder(&server)
        .config(HttpConfig::default().with_max_body_size(100))
        .build()
        .unwrap();
    let e = client.send(ApiRequest::get("big")).await.unwrap_err();
    assert!(e.is_decode(), "{e}");
    assert!(e.message().contains("larger than 100 bytes"));
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(200));
}
