//! The simulator through `psa_core::testing::Simulator` only, as a
//! vendor-neutral suite drives every vendor's simulator: no ServiceNow
//! knowledge below `drive`'s signature.

// Helpers outside #[test] functions unwrap fixed test data, as the tests do
// (clippy.toml allows unwrap in tests but not in their helpers).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use http::Method;
use psa_core::http::{HttpConfig, RetryPolicy};
use psa_core::testing::{RequestClass, Simulator};
use psa_core::{Ticket, TicketEventKind, TicketQuery, Vendor};
use psa_servicenow::ServiceNowMock;
use wiremock::matchers::path_regex;
use wiremock::{Mock, ResponseTemplate};

async fn open_tickets(sim: &dyn Simulator) -> Vec<Ticket> {
    sim.psa()
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap()
}

async fn drive(sim: &dyn Simulator) {
    assert_eq!(sim.vendor(), Vendor::ServiceNow);
    assert_eq!(sim.uri(), sim.server().uri());

    // Counters: every request, per method and path, token requests.
    let open = open_tickets(sim).await;
    assert!(!open.is_empty());
    assert!(sim.request_count() >= 3, "a token, the choices, a page");
    assert_eq!(sim.token_requests(), 1);
    let list = "/api/now/table/incident";
    assert_eq!(sim.requests_to("GET", list), 1);
    assert_eq!(sim.requests_to("get", &list.to_uppercase()), 1, "no case");
    assert_eq!(sim.requests_to("POST", list), 0);
    assert_eq!(sim.unauthorized_requests(), 0);

    // What each request is.
    assert_eq!(
        sim.classify(&Method::POST, "/oauth_token.do"),
        RequestClass::Setup
    );
    assert_eq!(sim.classify(&Method::GET, list), RequestClass::Read);
    assert_eq!(sim.classify(&Method::POST, list), RequestClass::Write);
    assert_eq!(
        sim.classify(&Method::PATCH, &format!("{list}/x")),
        RequestClass::Write
    );

    // A raw read of a ticket in the vendor's own path.
    let ticket = &open[0];
    let psa = sim.psa();
    let raw = psa.raw(sim.raw_ticket_read(&ticket.id)).await.unwrap();
    assert_eq!(raw.status.as_u16(), 200);
    assert_eq!(
        raw.json().unwrap()["result"]["number"].as_str(),
        ticket.number.as_deref()
    );

    // An expired token: one 401, one new token, the call replayed.
    assert!(sim.expire_tokens());
    let tokens = sim.token_requests();
    psa.get_ticket(&ticket.id).await.unwrap();
    assert_eq!(sim.unauthorized_requests(), 1);
    assert_eq!(sim.token_requests(), tokens + 1);

    // A client paging by two.
    let paged = sim.tokened_psa(2).unwrap().unwrap();
    let before = sim.requests_to("GET", "/api/now/table/sys_user_group");
    let queues = paged.list_queues().await.unwrap();
    assert!(queues.len() > 2);
    assert_eq!(
        sim.requests_to("GET", "/api/now/table/sys_user_group") - before,
        u64::try_from(queues.len().div_ceil(2)).unwrap()
    );

    // A tuned client: one attempt against a failing read.
    let tuned = sim
        .tuned_psa(
            HttpConfig::default()
                .with_attempt_timeout(Duration::from_secs(2))
                .with_retry(RetryPolicy::never()),
            None,
        )
        .unwrap();
    // The read is a batch (the ticket and its SLA records) or, one by one,
    // a GET of the record: fail whichever comes.
    Mock::given(path_regex("^/api/now/(v1/batch$|table/incident/)"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .up_to_n_times(1)
        .mount(sim.server())
        .await;
    let e = tuned.get_ticket(&ticket.id).await.unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));

    // A webhook delivery as the vendor sends it, verified and parsed.
    let (receiver, delivery) = sim.ticket_delivery(ticket).await.unwrap();
    let events = receiver.parse_webhook(&delivery).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].ticket, ticket.id);
    assert_eq!(events[0].kind, TicketEventKind::Updated);

    assert_eq!(sim.unexpected_requests(), 0);
}

#[tokio::test]
async fn the_simulator_is_driven_through_the_trait() {
    let mock = ServiceNowMock::start().await;
    drive(&mock).await;
}

#[tokio::test]
async fn generated_tickets_page_through_the_trait() {
    let sim: Box<dyn Simulator> = Box::new(
        ServiceNowMock::builder()
            .generated_tickets(25)
            .start()
            .await,
    );
    let open = open_tickets(sim.as_ref()).await;
    assert!(open.len() >= 25);
    let paged = sim.tokened_psa(10).unwrap().unwrap();
    let before = sim.requests_to("GET", "/api/now/table/incident");
    let all: Vec<Ticket> = paged
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), open.len());
    assert!(sim.requests_to("GET", "/api/now/table/incident") - before >= 3);
}
