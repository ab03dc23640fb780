//! Paging over several pages with Halo's 100-record cap; decode errors name
//! the failing field.

use futures::{StreamExt, TryStreamExt};
use psa_core::{Psa, TicketQuery};
use psa_halo::HaloMock;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn streams_every_page_and_stops() {
    let mock = HaloMock::builder().generated_tickets(250).start().await;
    let c = mock.client();
    let all: Vec<_> = c
        .tickets()
        .list()
        .open_only()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let seeded_open = 18; // the seed's open, non-project tickets
    assert_eq!(all.len(), 250 + seeded_open);
    let mut ids: Vec<_> = all.iter().filter_map(|t| t.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no record twice");
    // 268 records at 100 a page: exactly 3 pages, no wasted request.
    assert_eq!(mock.requests_to("GET", "/api/Tickets"), 3);
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn the_uniform_stream_is_lazy_and_limited() {
    let mock = HaloMock::builder().generated_tickets(1_000).start().await;
    let c = mock.client();
    let first: Vec<_> = c
        .list_tickets(TicketQuery::open().limit(150))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 150);
    assert_eq!(
        mock.requests_to("GET", "/api/Tickets"),
        2,
        "two pages, not ten"
    );
    let mut s = c.list_tickets(TicketQuery::open());
    let one = s.next().await.unwrap().unwrap();
    assert!(one.id.as_i64().is_some());
    drop(s);
    assert_eq!(
        mock.requests_to("GET", "/api/Tickets"),
        3,
        "one page per first item"
    );
}

/// A server that caps pages below what was asked: the client follows what
/// it returned and `record_count`, and still gets everything.
#[tokio::test]
async fn a_server_cap_does_not_truncate_the_listing() {
    let mock = HaloMock::start().await;
    let page = |ids: std::ops::Range<i64>| {
        json!({"page_no": 1, "page_size": 100, "record_count": 7,
               "tickets": ids.map(|i| json!({"id": i, "summary": format!("t{i}")})).collect::<Vec<_>>()})
    };
    for (no, ids) in [("1", 1..4), ("2", 4..7), ("3", 7..8)] {
        Mock::given(method("GET"))
            .and(path("/api/Tickets"))
            .and(query_param("page_no", no))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(ids)))
            .expect(1)
            .with_priority(1)
            .mount(mock.server())
            .await;
    }
    let all: Vec<_> = mock
        .client()
        .tickets()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().filter_map(|t| t.id).collect::<Vec<_>>(),
        (1..8).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn an_empty_page_ends_a_listing_without_a_count() {
    let mock = HaloMock::start().await;
    for (no, body) in [
        ("1", json!([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])),
        ("2", json!([])),
    ] {
        Mock::given(method("GET"))
            .and(path("/api/Client"))
            .and(query_param("page_no", no))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .with_priority(1)
            .mount(mock.server())
            .await;
    }
    let all: Vec<_> = mock
        .client()
        .customers()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn a_malformed_page_names_the_field() {
    let mock = HaloMock::start().await;
    let tickets: Vec<_> = (1..=5)
        .map(|i| {
            if i == 4 {
                json!({"id": "four"})
            } else {
                json!({"id": i})
            }
        })
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/Tickets"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"record_count": 5, "tickets": tickets})),
        )
        .with_priority(1)
        .mount(mock.server())
        .await;
    let err = mock
        .client()
        .list_tickets(TicketQuery::any())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(err.is_decode(), "{err}");
    // The record (its place in the page) and the field.
    assert!(
        err.to_string().contains("tickets[3] of page 1 at `id`"),
        "{err}"
    );
    assert!(err.raw_body().unwrap().contains("four"));

    Mock::given(method("GET"))
        .and(path("/api/Tickets/77"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 77, "customfields": [{"id": "x"}]})),
        )
        .with_priority(1)
        .mount(mock.server())
        .await;
    let err = mock.client().tickets().get(77).send().await.unwrap_err();
    assert!(err.to_string().contains("customfields[0].id"), "{err}");
    let err = mock.client().get_ticket(&77.into()).await.unwrap_err();
    assert!(err.is_decode());

    Mock::given(method("GET"))
        .and(path("/api/Status"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let err = mock.client().statuses().list().send().await.unwrap_err();
    assert!(err.is_decode(), "{err}");
}
