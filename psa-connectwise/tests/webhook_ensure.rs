//! `subscribe_webhook` is idempotent: a callback for the same URL, type,
//! level and object is found before one is created.

use psa_connectwise::ConnectWiseMock;
use psa_core::{NewWebhook, Psa, RawRequest};

#[tokio::test]
async fn subscribing_twice_leaves_one_callback() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let url = url::Url::parse("https://hooks.example.com/cw").unwrap();
    let first = psa
        .subscribe_webhook(NewWebhook::new("psa-sdk tickets", url.clone()))
        .await
        .unwrap();
    let second = psa
        .subscribe_webhook(NewWebhook::new("psa-sdk tickets", url.clone()))
        .await
        .unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(mock.callbacks().len(), 1);
    assert_eq!(mock.api_requests_to("POST", "system/callbacks"), 1);

    // an inactive one is made active again (and renamed), not duplicated
    let path = format!("system/callbacks/{}", first.id);
    psa.raw(
        RawRequest::new(http::Method::PATCH, path).body(serde_json::json!([
            {"op": "replace", "path": "inactiveFlag", "value": true}
        ])),
    )
    .await
    .unwrap();
    let third = psa
        .subscribe_webhook(NewWebhook::new("renamed", url))
        .await
        .unwrap();
    assert_eq!(third.id, first.id);
    let stored = mock.callbacks();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["inactiveFlag"], false);
    assert_eq!(stored[0]["description"], "renamed");

    // another URL is another callback
    let other = url::Url::parse("https://hooks.example.com/other").unwrap();
    let fourth = psa
        .subscribe_webhook(NewWebhook::new("other", other))
        .await
        .unwrap();
    assert_ne!(fourth.id, first.id);
    assert_eq!(mock.callbacks().len(), 2);
}
