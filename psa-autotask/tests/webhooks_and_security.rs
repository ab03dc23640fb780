//! Webhooks end to end, zone discovery, credentials, impersonation, canary
//! secrets and the permission guard.

use std::time::Duration;

use bytes::Bytes;
use futures::TryStreamExt;
use psa_autotask::mock::{self, AutotaskMock};
use psa_core::{
    Access, Id, NewNote, NewWebhook, Operation, PermissionGroup, Psa, TicketEventKind, TicketPatch,
    TicketQuery, WebhookDelivery,
};
use psa_permissions::{Guarded, Policy};
use secrecy::SecretString;

const HOOK_SECRET: &str = "hook-Secret-0123456789";

/// Neither `raw`, its kept JSON text nor any rendering holds the key.
fn assert_keeps_no_secret(sub: &psa_core::WebhookSubscription) {
    assert!(sub.raw.get("secretKey").is_none());
    assert!(
        !sub.raw
            .json_text()
            .unwrap_or_default()
            .contains(HOOK_SECRET)
    );
    let json = serde_json::to_string(sub).expect("a subscription serialises");
    assert!(!json.contains(HOOK_SECRET));
    assert!(!format!("{sub:?}").contains(HOOK_SECRET));
}

#[tokio::test]
async fn webhooks_register_verify_and_parse() {
    let mock = AutotaskMock::start().await;
    let client = mock
        .client_builder()
        .webhook_secret(SecretString::from(HOOK_SECRET))
        .build()
        .unwrap();
    let url = url::Url::parse("https://hooks.example/autotask").unwrap();
    let sub = client
        .subscribe_webhook(
            NewWebhook::new("psa-sdk tickets", url).secret(SecretString::from(HOOK_SECRET)),
        )
        .await
        .unwrap();
    assert_eq!(sub.active, Some(true));
    assert_eq!(sub.events.len(), 3);
    assert_keeps_no_secret(&sub);
    let id = sub.id.as_i64().unwrap();
    let hooks = client.ticket_webhooks();
    let fields = hooks.fields(id).list().send().await.unwrap();
    assert_eq!(fields.len(), 5);
    assert!(fields.iter().all(|f| f.is_subscribed_field == Some(true)));
    let excluded = hooks.excluded_resources(id).list().send().await.unwrap();
    assert_eq!(excluded[0].resource_id, Some(mock::API_USER_RESOURCE_ID));
    assert_eq!(mock.record("TicketWebhooks", id).unwrap()["isReady"], true);
    assert_eq!(client.list_webhooks().await.unwrap().len(), 1);

    // A good delivery.
    let good = mock
        .signed_ticket_delivery(id, 1001, "Update", &serde_json::json!({"status": 5}))
        .unwrap();
    let events = client.parse_webhook(&good).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, TicketEventKind::Closed);
    assert_eq!(events[0].ticket, Id::from(1001));
    let guid = mock.record("TicketWebhooks", id).unwrap()["webhookGUID"]
        .as_str()
        .unwrap()
        .to_owned();
    // The webhook's GUID and its count of deliveries: the next delivery of
    // the same webhook is another delivery.
    assert_eq!(events[0].delivery_id, Some(format!("{guid}:1")));
    let next = mock.signed_ticket_delivery(id, 1001, "Update", &serde_json::json!({}));
    let again = client.parse_webhook(&next.unwrap()).await.unwrap();
    assert_eq!(again[0].delivery_id, Some(format!("{guid}:2")));

    // Tampered: same signature, changed body.
    let text = String::from_utf8(good.body.to_vec())
        .unwrap()
        .replace("1001", "1002");
    let tampered = WebhookDelivery::new(good.headers.clone(), Bytes::from(text));
    assert!(
        client
            .parse_webhook(&tampered)
            .await
            .unwrap_err()
            .is_webhook()
    );
    // Missing signature.
    let unsigned = WebhookDelivery::new(http::HeaderMap::new(), good.body.clone());
    assert!(
        client
            .parse_webhook(&unsigned)
            .await
            .unwrap_err()
            .is_webhook()
    );
    // A client without the secret fails closed.
    let err = mock.client().parse_webhook(&good).await.unwrap_err();
    assert!(err.is_webhook(), "{err}");

    client.delete_webhook(&sub.id).await.unwrap();
    assert!(client.list_webhooks().await.unwrap().is_empty());
    assert_eq!(mock.record_count("TicketWebhookFields"), 0);

    // Registration input is checked before anything is sent.
    let before = mock.request_count();
    let no_secret = NewWebhook::new("x", url::Url::parse("https://hooks.example/a").unwrap());
    assert!(
        client
            .subscribe_webhook(no_secret)
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    let long = NewWebhook::new("x", url::Url::parse("https://hooks.example/a").unwrap())
        .secret(SecretString::from("k".repeat(65)));
    assert!(
        client
            .subscribe_webhook(long)
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    let notes = NewWebhook::new("x", url::Url::parse("https://hooks.example/a").unwrap())
        .secret(SecretString::from(HOOK_SECRET))
        .event(TicketEventKind::NoteAdded);
    assert!(
        client
            .subscribe_webhook(notes)
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(mock.request_count(), before);
}

#[tokio::test]
async fn zone_is_discovered_once_per_user() {
    let mock = AutotaskMock::start().await;
    let a = mock.client();
    let b = mock.client();
    assert_eq!(a.zone().await.unwrap().as_str(), mock.zone_url());
    a.get_company(&Id::from(174)).await.unwrap();
    b.get_company(&Id::from(174)).await.unwrap();
    assert_eq!(mock.zone_requests(), 1);
    // A known zone skips discovery.
    let fixed = mock
        .client_builder()
        .base_url(mock.zone_url())
        .build()
        .unwrap();
    fixed.get_company(&Id::from(174)).await.unwrap();
    assert_eq!(mock.zone_requests(), 1);
}

#[tokio::test]
async fn bad_credentials_are_unauthorized_with_autotasks_body() {
    let mock = AutotaskMock::start().await;
    let client = mock
        .client_builder()
        .secret(SecretString::from("wrong-secret"))
        .threshold_poll(Duration::ZERO, 1)
        .build()
        .unwrap();
    let err = client.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(401));
    assert!(err.field_errors()[0].message.contains("authenticate"));
    assert_eq!(mock.unauthorized_requests(), 1);
}

#[tokio::test]
async fn impersonation_default_and_per_call() {
    let mock = AutotaskMock::start().await;
    let client = mock.client();
    let ticket = Id::from(1004);
    client
        .add_note(&ticket, NewNote::internal("as the API user"))
        .await
        .unwrap();
    client
        .impersonating(mock::TECH_RESOURCE_ID)
        .add_note(&ticket, NewNote::internal("as Jordan"))
        .await
        .unwrap();
    let by_default = mock
        .client_builder()
        .impersonate(mock::TECH_RESOURCE_ID)
        .build()
        .unwrap();
    by_default
        .update_ticket(&ticket, TicketPatch::new().priority(Id::from(1)))
        .await
        .unwrap();
    by_default
        .without_impersonation()
        .update_ticket(&ticket, TicketPatch::new().priority(Id::from(3)))
        .await
        .unwrap();
    let writes = mock.writes();
    let imp: Vec<Option<i64>> = writes.iter().map(|w| w.impersonation).collect();
    assert_eq!(
        imp,
        vec![
            None,
            Some(mock::TECH_RESOURCE_ID),
            Some(mock::TECH_RESOURCE_ID),
            None
        ]
    );
    let notes: Vec<_> = client.list_notes(&ticket).try_collect().await.unwrap();
    let jordan = notes.iter().find(|n| n.body == "as Jordan").unwrap();
    assert_eq!(
        jordan.author,
        Some(psa_core::Ref::new(mock::TECH_RESOURCE_ID))
    );
    assert_eq!(
        jordan.raw["impersonatorCreatorResourceID"],
        mock::API_USER_RESOURCE_ID
    );

    // The API user itself (API-only security level) cannot be impersonated.
    let err = client
        .impersonating(mock::API_USER_RESOURCE_ID)
        .add_note(&ticket, NewNote::internal("x"))
        .await
        .unwrap_err();
    assert!(err.is_forbidden(), "{err:?}");

    let caps = client.impersonating(mock::TECH_RESOURCE_ID).capabilities();
    assert!(
        caps.reason(Operation::AddNote)
            .unwrap()
            .contains("ImpersonationResourceId")
    );
    assert!(
        !client
            .capabilities()
            .reason(Operation::UpdateTicket)
            .unwrap()
            .contains("ImpersonationResourceId")
    );
}

#[tokio::test]
async fn canary_secrets_never_show() {
    const CANARY_SECRET: &str = "CANARY-secret-7f1e9";
    const CANARY_CODE: &str = "CANARY-code-2b8d4";
    const CANARY_HOOK: &str = "CANARY-hook-9c3a1";
    let mock = AutotaskMock::start().await;
    let builder = mock
        .client_builder()
        .secret(SecretString::from(CANARY_SECRET))
        .integration_code(SecretString::from(CANARY_CODE))
        .webhook_secret(SecretString::from(CANARY_HOOK))
        .threshold_poll(Duration::ZERO, 1);
    let shown_builder = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client.get_ticket(&Id::from(1001)).await.unwrap_err();
    let shown = [
        shown_builder,
        format!("{client:?}"),
        format!("{:?}", client.impersonating(5)),
        format!("{err:?}"),
        err.to_string(),
        format!("{:?}", err.headers()),
        err.raw_body().unwrap_or_default().to_owned(),
        format!(
            "{:?}",
            psa_autotask::webhook::WebhookVerifier::new(SecretString::from(CANARY_HOOK))
        ),
    ];
    for s in shown {
        for canary in [CANARY_SECRET, CANARY_CODE, CANARY_HOOK, mock::USERNAME] {
            assert!(!s.contains(canary), "{canary} leaked in {s}");
        }
    }
}

#[tokio::test]
async fn a_guard_denial_makes_no_request() {
    let mock = AutotaskMock::start().await;
    let guarded = Guarded::new(
        mock.client(),
        Policy::read_only().grant(PermissionGroup::TicketNotes, Access::ReadOnly),
    );
    let before = mock.request_count();
    let err = guarded
        .update_ticket(&Id::from(1001), TicketPatch::new().status(Id::from(5)))
        .await
        .unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    let err = guarded
        .add_note(&Id::from(1001), NewNote::internal("x"))
        .await
        .unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    let err = guarded
        .raw(psa_core::RawRequest::get("Invoices/1"))
        .await
        .unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    assert_eq!(
        mock.request_count(),
        before,
        "a denied call reached the simulator"
    );
    // Reads still work.
    let open: Vec<_> = guarded
        .list_tickets(TicketQuery::open().limit(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
}
