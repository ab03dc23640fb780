//! `subscribe_webhook` ensures one webhook per URL.

use psa_autotask::mock::AutotaskMock;
use psa_core::{NewWebhook, Psa, TicketEventKind};
use secrecy::SecretString;

const FIRST_SECRET: &str = "first-Secret-0123456789abcdef";
const SECOND_SECRET: &str = "second-Secret-0123456789abcdef";

#[tokio::test]
async fn subscribing_twice_leaves_one_subscription() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let url = url::Url::parse("https://hooks.example/autotask").unwrap();
    let first = c
        .subscribe_webhook(
            NewWebhook::new("psa-sdk tickets", url.clone())
                .secret(SecretString::from(FIRST_SECRET)),
        )
        .await
        .unwrap();
    let again = c
        .subscribe_webhook(
            NewWebhook::new("psa-sdk tickets", url.clone())
                .secret(SecretString::from(FIRST_SECRET)),
        )
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(c.list_webhooks().await.unwrap().len(), 1);
    assert_eq!(mock.record_count("TicketWebhooks"), 1);
    let id = first.id.as_i64().unwrap();
    let hooks = c.ticket_webhooks();
    assert_eq!(hooks.fields(id).list().send().await.unwrap().len(), 5);
    assert_eq!(
        hooks
            .excluded_resources(id)
            .list()
            .send()
            .await
            .unwrap()
            .len(),
        1
    );

    // Other events and a new secret: the same webhook, updated.
    let changed = c
        .subscribe_webhook(
            NewWebhook::new("psa-sdk created only", url)
                .secret(SecretString::from(SECOND_SECRET))
                .event(TicketEventKind::Created),
        )
        .await
        .unwrap();
    assert_eq!(changed.id, first.id);
    assert_eq!(changed.events, vec![TicketEventKind::Created]);
    assert_eq!(changed.name.as_deref(), Some("psa-sdk created only"));
    assert_eq!(c.list_webhooks().await.unwrap().len(), 1);
    // Deliveries are now signed with the new secret.
    let verifier = mock
        .client_builder()
        .webhook_secret(SecretString::from(SECOND_SECRET))
        .build()
        .unwrap();
    let delivery = mock
        .signed_ticket_delivery(id, 1001, "Create", &serde_json::json!({"title": "x"}))
        .unwrap();
    assert!(verifier.parse_webhook(&delivery).await.is_ok());

    // Another URL is another webhook.
    c.subscribe_webhook(
        NewWebhook::new(
            "other",
            url::Url::parse("https://hooks.example/other").unwrap(),
        )
        .secret(SecretString::from(FIRST_SECRET)),
    )
    .await
    .unwrap();
    assert_eq!(c.list_webhooks().await.unwrap().len(), 2);
}
