//! Every typed operation builds its request without IO: method, path,
//! query, body, headers and idempotency asserted on `request()`; a
//! `customize`d operation carries its overrides and `send()` honours them.

use std::time::Duration;

use http::Method;
use psa_autotask::Client;
use psa_autotask::mock::AutotaskMock;
use psa_autotask::models::{Company, TicketNote};
use psa_autotask::query::{Filter, Query};
use psa_core::http::{Customize, HttpConfig, RequestOptions, RetryPolicy};
use secrecy::SecretString;
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

/// A client that never reaches a network: a fixed zone, nothing sent.
fn offline() -> Client {
    Client::builder()
        .username("api@example-msp.com")
        .secret(SecretString::from("secret"))
        .integration_code(SecretString::from("CODE"))
        .base_url("https://webservices14.autotask.net/ATServicesRest/")
        .build()
        .expect("a valid configuration")
}

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("an object"),
    }
}

#[test]
fn reads_are_idempotent_and_carry_their_endpoint() {
    let c = offline();
    let get = c.tickets().get(1001).request().unwrap();
    assert_eq!(get.method(), Method::GET);
    assert_eq!(get.path(), Some("Tickets/1001"));
    assert!(get.is_idempotent());
    assert_eq!(get.rate_key_name(), Some("tickets"));
    assert!(get.body_bytes().is_none());
    assert!(get.headers().is_empty(), "no credentials in a request");

    let list = c
        .tickets()
        .list(Query::new().filter(Filter::eq("companyID", 174)))
        .limit(20)
        .request()
        .unwrap();
    assert_eq!(list.method(), Method::POST);
    assert_eq!(list.path(), Some("Tickets/query"));
    assert!(list.is_idempotent(), "POST …/query is a read");
    assert_eq!(
        list.body_json().unwrap(),
        json!({"MaxRecords": 20, "Filter": [{"op": "eq", "field": "companyID", "value": 174}]})
    );
    assert_eq!(
        list.content_type().map(|v| v.to_str().unwrap()),
        Some("application/json")
    );

    let count = c.time_entries().count(Query::all()).request().unwrap();
    assert_eq!(count.method(), Method::POST);
    assert_eq!(count.path(), Some("TimeEntries/query/count"));
    assert!(count.is_idempotent(), "POST …/query/count is a read");
    assert_eq!(count.rate_key_name(), Some("timeentries"));

    let notes = c.tickets().notes(1001).list().request().unwrap();
    assert_eq!(notes.method(), Method::GET);
    assert_eq!(notes.path(), Some("Tickets/1001/Notes"));
    assert!(notes.is_idempotent());

    let fields_req = c.entity_fields("TicketNotes").request().unwrap();
    assert_eq!(
        fields_req.path(),
        Some("TicketNotes/entityInformation/fields")
    );
    assert!(fields_req.is_idempotent());
}

#[test]
fn writes_say_whether_they_may_be_sent_twice() {
    let c = offline();
    let mut note = TicketNote::default();
    note.description = Some("Checked the spooler".into());
    let create = c.tickets().notes(1001).create(&note).request().unwrap();
    assert_eq!(create.method(), Method::POST);
    assert_eq!(create.path(), Some("Tickets/1001/Notes"));
    assert!(!create.is_idempotent(), "a create is never retried");
    assert_eq!(
        create.body_json().unwrap()["description"],
        "Checked the spooler"
    );
    assert_eq!(create.rate_key_name(), Some("tickets"));

    let sparse = c
        .time_entries()
        .create_fields(fields(json!({"ticketID": 1001, "hoursWorked": 0.5})))
        .request()
        .unwrap();
    assert_eq!(sparse.path(), Some("TimeEntries"));
    assert_eq!(
        sparse.body_json().unwrap(),
        json!({"ticketID": 1001, "hoursWorked": 0.5})
    );

    let update = c
        .tickets()
        .update(1001, fields(json!({"priority": 1})))
        .changes(fields(json!({"status": 5})))
        .request()
        .unwrap();
    assert_eq!(update.method(), Method::PATCH);
    assert_eq!(update.path(), Some("Tickets"));
    assert!(
        update.is_idempotent(),
        "a sparse update sets fields to values"
    );
    assert_eq!(
        update.body_json().unwrap(),
        json!({"id": 1001, "priority": 1, "status": 5})
    );
    let contact = c
        .companies()
        .contacts(174)
        .update(30_683_003, fields(json!({"phone": "+61 2 9222 3001"})))
        .request()
        .unwrap();
    assert_eq!(contact.path(), Some("Companies/174/Contacts"));

    let delete = c.time_entries().delete(7301).request().unwrap();
    assert_eq!(delete.method(), Method::DELETE);
    assert_eq!(delete.path(), Some("TimeEntries/7301"));
    assert!(delete.is_idempotent());
    let child = c
        .service_call_tickets()
        .resources(12)
        .delete(34)
        .request()
        .unwrap();
    assert_eq!(child.path(), Some("ServiceCallTickets/12/Resources/34"));
}

#[test]
fn ids_autotask_never_uses_are_refused_before_sending() {
    let c = offline();
    for id in [0, -1] {
        let e = c.tickets().get(id).request().unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
        assert!(e.message().contains("Tickets id"), "{e}");
        assert!(c.tickets().update(id, Map::new()).request().is_err());
        assert!(c.tickets().delete(id).request().is_err());
        assert!(c.tickets().notes(id).list().request().is_err());
        assert!(c.tickets().notes(id).path().is_err());
    }
    // The MSP's own company is company 0.
    assert_eq!(
        c.entity::<Company>().get(0).request().unwrap().path(),
        Some("Companies/0")
    );
    assert_eq!(
        c.companies().contacts(0).path().unwrap(),
        "Companies/0/Contacts"
    );
    assert!(
        c.companies()
            .get(-1)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    // A query Autotask would refuse, and an entity name that is not one.
    assert!(
        c.tickets()
            .list(Query::new())
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.entity_fields("Tickets/../x")
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
}

#[test]
fn customized_operations_carry_their_overrides() {
    let c = offline();
    let get = c
        .tickets()
        .get(1001)
        .customize(|o| o.deadline(Duration::from_secs(2)).no_retry())
        .request()
        .unwrap();
    assert_eq!(get.deadline_override(), Some(Duration::from_secs(2)));
    assert_eq!(get.retry_policy_override(), Some(&RetryPolicy::never()));
    assert!(get.is_idempotent());

    // A create the caller knows Autotask de-duplicates may be retried.
    let create = c
        .tickets()
        .create_fields(Map::new())
        .customize(|o| o.idempotent(true).attempt_timeout(Duration::from_secs(5)))
        .request()
        .unwrap();
    assert!(create.is_idempotent());
    assert_eq!(
        create.attempt_timeout_override(),
        Some(Duration::from_secs(5))
    );

    let list = c
        .tickets()
        .list(Query::all())
        .customize(|o| o.idempotent(false))
        .request()
        .unwrap();
    assert!(!list.is_idempotent());
    assert!(
        c.tickets()
            .list(Query::all())
            .request()
            .unwrap()
            .is_idempotent()
    );
}

/// A client retrying fast, so that a retried call is quick to observe.
fn fast_retries(mock: &AutotaskMock) -> Client {
    mock.client_builder()
        .http_config(
            HttpConfig::default().with_retry(
                RetryPolicy::default()
                    .with_max_attempts(3)
                    .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
            ),
        )
        .threshold_poll(Duration::ZERO, 1)
        .build()
        .expect("a valid configuration")
}

fn unavailable() -> Mock {
    Mock::given(method("GET"))
        .and(path_regex(r"(?i)/V1\.0/Tickets/1001$"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"errors": ["busy"]})))
        .with_priority(1)
}

/// (wiremock's scoped mocks lose track of themselves among mocks of other
/// priorities, so each case has a simulator of its own, verified whole.)
#[tokio::test]
async fn send_honours_no_retry() {
    // The client's policy retries a 503 read: three attempts.
    let mock = AutotaskMock::start().await;
    unavailable().expect(3).mount(mock.server()).await;
    let e = fast_retries(&mock)
        .tickets()
        .get(1001)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    mock.server().verify().await;

    // `no_retry()` for one call: exactly one request.
    let mock = AutotaskMock::start().await;
    unavailable().expect(1).mount(mock.server()).await;
    let e = fast_retries(&mock)
        .tickets()
        .get(1001)
        .customize(RequestOptions::no_retry)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    mock.server().verify().await;
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn every_page_of_a_listing_carries_the_options() {
    let mock = AutotaskMock::builder().generated_tickets(600).start().await;
    let client = fast_retries(&mock);
    // The second page is unavailable: without retries, one request to it.
    Mock::given(method("GET"))
        .and(path_regex(r"(?i)/V1\.0/Tickets/query/next$"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .expect(1)
        .mount(mock.server())
        .await;
    let q = Query::new().filter(Filter::gte("id", psa_autotask::mock::GENERATED_TICKET_BASE));
    let mut seen = 0;
    let mut stream = client
        .tickets()
        .list(q)
        .customize(RequestOptions::no_retry)
        .stream();
    let err = loop {
        match futures::TryStreamExt::try_next(&mut stream).await {
            Ok(Some(_)) => seen += 1,
            Ok(None) => panic!("the second page failed, the stream should too"),
            Err(e) => break e,
        }
    };
    assert_eq!(seen, 500, "the first page");
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503));
    mock.server().verify().await;
}

#[tokio::test]
async fn impersonation_rides_on_writes_only() {
    let mock = AutotaskMock::start().await;
    let client = mock
        .client()
        .impersonating(psa_autotask::mock::TECH_RESOURCE_ID);
    let mut note = TicketNote::default();
    note.description = Some("as Jordan".into());
    note.note_type = Some(1);
    note.publish = Some(2);
    // The header is the transport's to add: request() shows none.
    let create = client.tickets().notes(1004).create(&note);
    assert!(create.request().unwrap().headers().is_empty());
    create.send().await.unwrap();
    client
        .tickets()
        .list(Query::new().filter(Filter::eq("id", 1004)))
        .send()
        .await
        .unwrap();
    let writes = mock.writes();
    assert_eq!(writes.len(), 1, "the query is not a write");
    assert_eq!(
        writes[0].impersonation,
        Some(psa_autotask::mock::TECH_RESOURCE_ID)
    );
}

#[tokio::test]
async fn an_invalid_call_sends_nothing() {
    use psa_core::{Id, NewLineItem, NewNote, Psa, TicketPatch};
    let mock = AutotaskMock::start().await;
    let client = mock.client();
    let e = client.tickets().get(0).send().await.unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    let e = client
        .tickets()
        .list(Query::new())
        .send()
        .await
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    // The uniform layer: the handle refuses the id before the picklists,
    // the product or anything else is read.
    let zero = Id::from(0);
    for e in [
        client
            .update_ticket(&zero, TicketPatch::new().priority(Id::from(1)))
            .await
            .unwrap_err(),
        client
            .add_note(&zero, NewNote::internal("x"))
            .await
            .unwrap_err(),
        client
            .add_ticket_product(&zero, NewLineItem::new(Id::from(29_683_001), 1.0))
            .await
            .unwrap_err(),
        client
            .bundle_tickets(&Id::from(1005), &[Id::from(1010), zero.clone()])
            .await
            .unwrap_err(),
    ] {
        assert!(e.is_invalid_input(), "{e}");
        assert!(e.message().contains("autotask Tickets id"), "{e}");
    }
    assert_eq!(mock.request_count(), 0, "not even zone discovery");
}
