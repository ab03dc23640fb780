//! `HaloMock` through psa-core's `Simulator` trait, as a suite that drives
//! every vendor's simulator sees it: no Halo-specific code below the first
//! line of each test.

use futures::TryStreamExt;
use http::Method;
use psa_core::http::{HttpConfig, RetryPolicy};
use psa_core::testing::{RequestClass, Simulator};
use psa_core::{Id, TicketEventKind, TicketQuery, Vendor};
use psa_halo::HaloMock;
use std::time::Duration;

#[tokio::test]
async fn counters_and_clients() {
    let mock = HaloMock::start().await;
    let sim: &dyn Simulator = &mock;
    assert_eq!(sim.vendor(), Vendor::Halo);
    assert_eq!(sim.uri(), mock.base_url());
    assert_eq!(sim.request_count(), 0);

    let psa = sim.psa();
    let t = psa.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.id, Id::from(1001));
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(sim.request_count(), 2, "a token and a read");
    assert_eq!(sim.requests_to("GET", "/api/Tickets/1001"), 1);
    assert_eq!(
        sim.requests_to("get", "/API/tickets/1001"),
        1,
        "without case"
    );
    assert_eq!(sim.requests_to("DELETE", "/api/Tickets/1001"), 0);

    // An expired token: one 401, one new token, the call replayed.
    assert!(sim.expire_tokens());
    psa.get_ticket(&Id::from(1002)).await.unwrap();
    assert_eq!(sim.unauthorized_requests(), 1);
    assert_eq!(sim.token_requests(), 2);

    // A raw read of a ticket, in Halo's own path.
    let raw = psa.raw(sim.raw_ticket_read(&Id::from(1001))).await.unwrap();
    assert_eq!(raw.json().unwrap()["id"], 1001);
    assert_eq!(sim.requests_to("GET", "/api/Tickets/1001"), 2);
    assert_eq!(sim.unexpected_requests(), 0);
}

#[tokio::test]
async fn tuned_and_tokened_clients() {
    let mock = HaloMock::builder().generated_tickets(120).start().await;
    let sim: &dyn Simulator = &mock;
    let config = HttpConfig::default()
        .with_attempt_timeout(Duration::from_secs(1))
        .with_retry(RetryPolicy::never());
    let tuned = sim.tuned_psa(config.clone(), None).unwrap();
    let open: Vec<_> = tuned
        .list_tickets(TicketQuery::open().limit(5))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(open.len(), 5);
    // Through another origin: every request, credentials included, goes
    // there (here an origin with nothing listening, so the call fails).
    let elsewhere = sim.tuned_psa(config, Some("http://127.0.0.1:9")).unwrap();
    let before = sim.request_count();
    assert!(elsewhere.get_ticket(&Id::from(1001)).await.is_err());
    assert_eq!(sim.request_count(), before, "nothing reached the simulator");

    let tokened = sim.tokened_psa(50).unwrap().expect("halo issues tokens");
    let all: Vec<_> = tokened
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    assert!(all.len() > 120);
    assert!(sim.expire_tokens());
    tokened.get_ticket(&all[0].id).await.unwrap();
    assert_eq!(sim.unauthorized_requests(), 1);
}

#[tokio::test]
async fn requests_are_classified() {
    let mock = HaloMock::start().await;
    let sim: &dyn Simulator = &mock;
    assert_eq!(
        sim.classify(&Method::POST, "/auth/token"),
        RequestClass::Setup
    );
    assert_eq!(
        sim.classify(&Method::GET, "/api/Tickets/1001"),
        RequestClass::Read
    );
    assert_eq!(
        sim.classify(&Method::POST, "/api/Tickets"),
        RequestClass::Write,
        "Halo's POST creates or updates: never a read"
    );
    assert_eq!(
        sim.classify(&Method::DELETE, "/api/Actions/3"),
        RequestClass::Write
    );
}

#[tokio::test]
async fn a_ticket_delivery_is_verified_and_parsed() {
    let mock = HaloMock::start().await;
    let sim: &dyn Simulator = &mock;
    let ticket = sim.psa().get_ticket(&Id::from(1004)).await.unwrap();
    let before = sim.request_count();
    let (client, delivery) = sim.ticket_delivery(&ticket).await.unwrap();
    let events = client.parse_webhook(&delivery).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].ticket, Id::from(1004));
    assert_eq!(events[0].kind, TicketEventKind::Updated);
    assert_eq!(
        events[0].snapshot.as_ref().map(|t| t.summary.as_str()),
        Some(ticket.summary.as_str())
    );
    assert_eq!(sim.request_count(), before, "parsing makes no request");

    // A ticket of another vendor's shape is refused.
    let mut other = ticket.clone();
    other.id = Id::text("incident:9d385017c611228701d22104cc95c371").unwrap();
    assert!(
        sim.ticket_delivery(&other)
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}
