//! `subscribe_webhook` is idempotent: the webhook for a URL is reused, and
//! events that did not take are reported.

use psa_core::{ErrorKind, NewWebhook, Psa, TicketEventKind};
use psa_halo::HaloMock;

fn hook() -> NewWebhook {
    NewWebhook::new(
        "triage bot",
        "https://hooks.msp.example/halo".parse().expect("a URL"),
    )
    .event(TicketEventKind::Created)
}

#[tokio::test]
async fn subscribing_twice_leaves_one_subscription() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let first = c.subscribe_webhook(hook()).await.unwrap();
    let again = c.subscribe_webhook(hook()).await.unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!(mock.webhooks().len(), 1);
    assert_eq!(mock.webhooks()[0]["events"].as_array().unwrap().len(), 1);
    assert_eq!(c.list_webhooks().await.unwrap().len(), 1);

    // The same URL with another event: the one webhook gains it.
    let wider = c
        .subscribe_webhook(hook().event(TicketEventKind::Closed))
        .await
        .unwrap();
    assert_eq!(wider.id, first.id);
    assert_eq!(
        wider.events,
        [TicketEventKind::Created, TicketEventKind::Closed]
    );
    assert_eq!(mock.webhooks().len(), 1);

    // Another URL is another subscription.
    c.subscribe_webhook(NewWebhook::new(
        "other",
        "https://hooks.msp.example/other".parse().unwrap(),
    ))
    .await
    .unwrap();
    assert_eq!(mock.webhooks().len(), 2);
}

#[tokio::test]
async fn events_halo_did_not_register_are_an_error() {
    let mock = HaloMock::builder().ignore_fields(["eventno"]).start().await;
    let e = mock.client().subscribe_webhook(hook()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    assert!(e.to_string().contains("did not take"), "{e}");
}
