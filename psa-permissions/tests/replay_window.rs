//! `Guarded::with_replay_window`: webhook deliveries parsed and verified by
//! the HaloPSA simulator's real client, then refused when replayed or stale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use psa_core::{Id, Psa, ReplayWindow, WebhookDelivery};
use psa_halo::mock::HaloMock;
use psa_permissions::{Guarded, Policy, Profile};
use serde_json::{Value, json};

/// One Halo ticket event: delivery `guid`, ticket last updated at `at`.
fn item(guid: &str, at: DateTime<Utc>) -> Value {
    json!({
        "guid": guid,
        "ticket": {
            "id": 1001,
            "summary": "Printer offline",
            "last_update": at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        },
    })
}

fn delivery(sim: &HaloMock, body: &Value) -> WebhookDelivery {
    sim.delivery(serde_json::to_vec(body).unwrap())
}

fn hours_ago(h: i64) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::hours(h)
}

/// A receiver over the simulator's client with a five-minute window that
/// remembers delivery ids.
fn receiver(sim: &HaloMock) -> Guarded<psa_halo::Client> {
    let window = ReplayWindow::new(Duration::from_secs(300)).remember_ids(1000);
    Guarded::new(sim.client(), Policy::profile(Profile::ReadOnly))
        .with_replay_window(Arc::new(window))
}

fn refusal(err: &psa_core::Error) -> String {
    assert!(err.is_webhook(), "not a webhook error: {err:?}");
    err.to_string()
}

#[tokio::test]
async fn the_same_delivery_parsed_twice_is_refused_the_second_time() {
    let sim = HaloMock::start().await;
    let guard = receiver(&sim);
    let d = delivery(&sim, &item("d-1", Utc::now()));

    let events = guard.parse_webhook(&d).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].delivery_id.as_deref(), Some("d-1"));
    assert_eq!(events[0].ticket, Id::from(1001));

    let err = guard.parse_webhook(&d).await.unwrap_err();
    assert!(refusal(&err).contains("received before"), "{err}");

    // A clone shares the window (one receiver behind several handlers).
    let err = guard.clone().parse_webhook(&d).await.unwrap_err();
    assert!(refusal(&err).contains("received before"), "{err}");

    // Without a window the guard passes the replay through.
    let plain = Guarded::new(sim.client(), Policy::profile(Profile::ReadOnly));
    assert_eq!(plain.parse_webhook(&d).await.unwrap().len(), 1);
    assert_eq!(plain.parse_webhook(&d).await.unwrap().len(), 1);
    // Parsing is local: nothing reached the simulator.
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn an_old_delivery_is_refused_and_a_fresh_one_passes() {
    let sim = HaloMock::start().await;
    let guard = receiver(&sim);

    let old = delivery(&sim, &item("d-2", hours_ago(2)));
    let err = guard.parse_webhook(&old).await.unwrap_err();
    assert!(
        refusal(&err).contains("older than the replay window"),
        "{err}"
    );

    let ahead = delivery(&sim, &item("d-3", Utc::now() + chrono::Duration::hours(1)));
    let err = guard.parse_webhook(&ahead).await.unwrap_err();
    assert!(refusal(&err).contains("in the future"), "{err}");

    // A stale delivery leaves no id behind: a fresh one with that id passes.
    let fresh = delivery(&sim, &item("d-2", Utc::now()));
    let events = guard.parse_webhook(&fresh).await.unwrap();
    assert_eq!(events[0].delivery_id.as_deref(), Some("d-2"));
    let other = delivery(&sim, &item("d-4", Utc::now()));
    assert_eq!(guard.parse_webhook(&other).await.unwrap().len(), 1);
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn a_forged_delivery_is_refused_by_the_client_and_does_not_spend_the_id() {
    let sim = HaloMock::start().await;
    let guard = receiver(&sim);
    let body = serde_json::to_vec(&item("d-5", Utc::now())).unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_static("Basic aGFsbzp3cm9uZw=="), // halo:wrong
    );
    let forged = WebhookDelivery::new(headers, body);
    let err = guard.parse_webhook(&forged).await.unwrap_err();
    assert!(
        !err.to_string().contains("replayed"),
        "the window saw an unverified delivery: {err}"
    );

    // The genuine delivery with that id is accepted.
    let genuine = delivery(&sim, &item("d-5", Utc::now()));
    assert_eq!(guard.parse_webhook(&genuine).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_delivery_of_several_events_is_accepted_or_refused_whole() {
    let sim = HaloMock::start().await;
    let guard = receiver(&sim);

    // One stale event refuses the delivery: no event is returned, and the
    // fresh event's id is not remembered.
    let mixed = delivery(
        &sim,
        &json!([item("m-1", Utc::now()), item("m-2", hours_ago(3))]),
    );
    let err = guard.parse_webhook(&mixed).await.unwrap_err();
    assert!(refusal(&err).contains("older"), "{err}");
    let fresh = delivery(
        &sim,
        &json!([item("m-1", Utc::now()), item("m-3", Utc::now())]),
    );
    let events = guard.parse_webhook(&fresh).await.unwrap();
    assert_eq!(events.len(), 2);

    // One event seen before refuses the delivery, though the other is new.
    let partly_seen = delivery(
        &sim,
        &json!([item("m-4", Utc::now()), item("m-3", Utc::now())]),
    );
    let err = guard.parse_webhook(&partly_seen).await.unwrap_err();
    assert!(refusal(&err).contains("\"m-3\""), "{err}");
    // Sent again, it is refused again.
    assert!(guard.parse_webhook(&partly_seen).await.is_err());
}

#[tokio::test]
async fn views_acting_for_a_technician_share_the_window() {
    let sim = HaloMock::start().await;
    let window = Arc::new(ReplayWindow::new(Duration::from_secs(300)).remember_ids(10));
    let guard = Guarded::new(
        sim.client(),
        Policy::profile(Profile::ReadOnly).act_as(true),
    )
    .with_replay_window(Arc::clone(&window));
    let d = delivery(&sim, &item("v-1", Utc::now()));
    assert_eq!(guard.parse_webhook(&d).await.unwrap().len(), 1);
    let view = guard.act_as(&Id::from(5)).unwrap();
    let err = view.parse_webhook(&d).await.unwrap_err();
    assert!(refusal(&err).contains("received before"), "{err}");
    // The caller's own handle on the window sees it too.
    let events = sim.client().parse_webhook(&d).await.unwrap();
    assert!(window.check_all(&events).is_err());
}

#[tokio::test]
async fn a_denied_parse_sends_nothing_to_the_window() {
    let sim = HaloMock::start().await;
    let window = Arc::new(ReplayWindow::new(Duration::from_secs(300)).remember_ids(10));
    let no_webhooks = Policy::read_only().revoke(psa_core::PermissionGroup::Webhooks);
    let denied = Guarded::new(sim.client(), no_webhooks).with_replay_window(Arc::clone(&window));
    let d = delivery(&sim, &item("p-1", Utc::now()));
    let err = denied.parse_webhook(&d).await.unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    // The id was not spent by the refused call.
    let allowed = receiver(&sim).with_replay_window(window);
    assert_eq!(allowed.parse_webhook(&d).await.unwrap().len(), 1);
}
