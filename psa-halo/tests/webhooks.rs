//! Webhook deliveries: verified before they are read, then parsed.

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use psa_core::{Id, Psa, TicketEventKind, WebhookDelivery};
use psa_halo::{Client, HaloMock, WebhookAuth};
use secrecy::SecretString;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test helper")
}

fn basic(user: &str, password: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    h.insert(
        http::header::AUTHORIZATION,
        HeaderValue::from_str(&format!("Basic {token}")).expect("test helper"),
    );
    h
}

fn good() -> HeaderMap {
    basic(
        psa_halo::mock::WEBHOOK_USER,
        psa_halo::mock::WEBHOOK_PASSWORD,
    )
}

#[tokio::test]
async fn a_good_delivery_is_parsed() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let events = c
        .parse_webhook(&WebhookDelivery::new(
            good(),
            fixture("webhook_new_ticket.json"),
        ))
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.kind, TicketEventKind::Created);
    assert_eq!(e.ticket, Id::from(1026));
    assert_eq!(
        e.delivery_id.as_deref(),
        Some("0b9c1e2a-7d2f-4c4e-8f1a-2d3c4b5a6f70")
    );
    let snap = e.snapshot.as_ref().unwrap();
    assert_eq!(snap.summary, "Cannot print from Excel");
    assert_eq!(
        snap.custom_fields.get_str("CFContractRef"),
        Some("ACME-MSA-2024")
    );
    assert_eq!(e.raw["eventno"], 3);
    assert_eq!(mock.request_count(), 0, "parsing makes no request");
}

#[tokio::test]
async fn a_batched_delivery_gives_one_event_each() {
    let c = HaloMock::start().await.client();
    let events = c
        .parse_webhook(&WebhookDelivery::new(good(), fixture("webhook_batch.json")))
        .await
        .unwrap();
    let kinds: Vec<_> = events
        .iter()
        .map(|e| (e.kind.clone(), e.ticket.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (TicketEventKind::NoteAdded, Id::from(1004)),
            (TicketEventKind::StatusChanged, Id::from(1008)),
            (TicketEventKind::NoteAdded, Id::from(1011)),
            (TicketEventKind::Deleted, Id::from(1012)),
        ]
    );
    assert_eq!(events[0].actor.as_deref(), Some("Jane Citizen"));
    assert_eq!(
        events[1].occurred_at.map(|t| t.to_rfc3339()),
        Some("2025-03-21T01:02:00+00:00".to_owned())
    );
    assert!(events[2].snapshot.is_none());
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_rejected() {
    let c = HaloMock::start().await.client();
    let body = fixture("webhook_new_ticket.json");
    let mut lower_scheme = HeaderMap::new();
    let token = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        psa_halo::mock::WEBHOOK_USER,
        psa_halo::mock::WEBHOOK_PASSWORD
    ));
    lower_scheme.insert(
        http::header::AUTHORIZATION,
        HeaderValue::from_str(&format!("basic {token}")).unwrap(),
    );
    assert!(
        c.parse_webhook(&WebhookDelivery::new(lower_scheme, body.clone()))
            .await
            .is_ok()
    );

    let mut bearer = HeaderMap::new();
    bearer.insert(
        http::header::AUTHORIZATION,
        HeaderValue::from_static("Bearer mock-webhook-secret"),
    );
    let not_base64 = {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Basic !!!"),
        );
        h
    };
    for headers in [
        HeaderMap::new(),
        basic("halo", "wrong"),
        basic("someone", psa_halo::mock::WEBHOOK_PASSWORD),
        basic("halo", "mock-webhook-secre"),
        basic("halo", "mock-webhook-secretX"),
        bearer,
        not_base64,
    ] {
        let err = c
            .parse_webhook(&WebhookDelivery::new(headers.clone(), body.clone()))
            .await
            .unwrap_err();
        assert!(err.is_webhook(), "{headers:?}: {err}");
        assert!(!err.to_string().contains(psa_halo::mock::WEBHOOK_PASSWORD));
    }
    // Credentials are checked before the body is read: a bad body with bad
    // credentials is a credential error.
    let err = c
        .parse_webhook(&WebhookDelivery::new(HeaderMap::new(), &b"not json"[..]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("credentials"), "{err}");
}

#[tokio::test]
async fn header_secrets_and_unconfigured_clients() {
    let mock = HaloMock::start().await;
    let name = HeaderName::from_static("x-halo-secret");
    let c = mock
        .client_builder()
        .webhook_auth(WebhookAuth::header(
            name.clone(),
            SecretString::from("s3cret"),
        ))
        .build()
        .unwrap();
    let body = fixture("webhook_new_ticket.json");
    let mut h = HeaderMap::new();
    h.insert(name.clone(), HeaderValue::from_static("s3cret"));
    assert_eq!(
        c.parse_webhook(&WebhookDelivery::new(h, body.clone()))
            .await
            .unwrap()
            .len(),
        1
    );
    let mut wrong = HeaderMap::new();
    wrong.insert(name, HeaderValue::from_static("s3cre"));
    assert!(
        c.parse_webhook(&WebhookDelivery::new(wrong, body.clone()))
            .await
            .unwrap_err()
            .is_webhook()
    );

    let unconfigured = Client::builder()
        .base_url(mock.base_url())
        .client_id("x")
        .client_secret("y".into())
        .build()
        .unwrap();
    let err = unconfigured
        .parse_webhook(&WebhookDelivery::new(good(), body))
        .await
        .unwrap_err();
    assert!(
        err.is_webhook() && err.to_string().contains("webhook_auth"),
        "{err}"
    );
}

#[tokio::test]
async fn malformed_bodies_name_the_field() {
    let c = HaloMock::start().await.client();
    let cases: [(&[u8], &str); 6] = [
        (b"{not json", "not JSON"),
        (b"[1]", "`[0]` is not an object"),
        (br#"{"ticket": {"id": "abc"}}"#, "`ticket.id`"),
        (
            br#"[{"ticket": {"id": 5}}, {"ticket": {"id": 6, "dateoccurred": "yesterday"}}]"#,
            "`[1].ticket.dateoccurred`",
        ),
        (br#"{"action": {"id": 3, "note": "x"}}"#, "`ticket_id`"),
        (br#"{"ticket": {"summary": "no id"}}"#, "`ticket.id`"),
    ];
    for (body, expect) in cases {
        let err = c
            .parse_webhook(&WebhookDelivery::new(good(), body))
            .await
            .unwrap_err();
        assert!(err.is_webhook(), "{err}");
        assert!(
            err.to_string().contains(expect),
            "{} → {err}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn webhook_auth_debug_hides_secrets() {
    let a = WebhookAuth::basic("halo", SecretString::from("canary-pw-1"));
    let b = WebhookAuth::header(
        HeaderName::from_static("x-k"),
        SecretString::from("canary-pw-2"),
    );
    assert!(!format!("{a:?}{b:?}").contains("canary"));
}
