//! Request builders: method, path, query, headers, body and idempotency,
//! without I/O; per-call options carried by `request()` and honoured by
//! `send()`.

use http::Method;
use psa_connectwise::models::{PatchOperation, ServiceNote, Ticket, TicketBundle, TicketMerge};
use psa_connectwise::query::fields;
use psa_connectwise::resources::PageRef;
use psa_connectwise::{Client, ConnectWiseMock, auth::Credentials};
use psa_core::http::{Customize, RequestOptions, RetryPolicy};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn client() -> Client {
    Client::builder()
        .credentials(
            Credentials::new(
                "acme",
                "pub".to_owned().into(),
                "priv".to_owned().into(),
                "cid".to_owned().into(),
            )
            .expect("valid credentials"),
        )
        .base_url("https://na.myconnectwise.net/v4_6_release/apis/3.0")
        .page_size(50)
        .build()
        .expect("valid client")
}

fn pairs(r: &psa_core::http::ApiRequest) -> Vec<(String, String)> {
    r.query_pairs()
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

#[test]
fn ticket_writes() {
    let c = client();
    let ops = [
        PatchOperation::replace_ref("status", 3),
        PatchOperation::replace("summary", "x"),
    ];
    let r = c.tickets().update(12, &ops).request().unwrap();
    assert_eq!(r.method(), &Method::PATCH);
    assert_eq!(r.path(), Some("service/tickets/12"));
    assert!(r.is_idempotent(), "a JSON-Patch sets values");
    assert_eq!(
        r.body_json().unwrap(),
        json!([{"op": "replace", "path": "status", "value": {"id": 3}},
               {"op": "replace", "path": "summary", "value": "x"}])
    );
    let r = c
        .tickets()
        .merge(12, &TicketMerge::new(vec![13, 14], 5))
        .request()
        .unwrap();
    assert_eq!(
        (r.method().clone(), r.path()),
        (Method::POST, Some("service/tickets/12/merge"))
    );
    assert!(!r.is_idempotent(), "a merge is never retried");
    assert_eq!(
        r.body_json().unwrap(),
        json!({"mergeTicketIds": [13, 14], "status": {"id": 5}})
    );
    let r = c
        .tickets()
        .attach_children(12, &TicketBundle::new(vec![15]))
        .request()
        .unwrap();
    assert_eq!(r.path(), Some("service/tickets/12/attachChildren"));
    assert!(!r.is_idempotent(), "a bundle is never retried");
    assert_eq!(r.body_json().unwrap(), json!({"childTicketIds": [15]}));
    let mut note = ServiceNote::default();
    note.text = Some("hi".into());
    note.internal_analysis_flag = Some(true);
    let r = c.tickets().notes(12).create(&note).request().unwrap();
    assert_eq!(
        (r.method().clone(), r.path()),
        (Method::POST, Some("service/tickets/12/notes"))
    );
    assert!(!r.is_idempotent(), "a create is never retried");
    assert_eq!(
        r.body_json().unwrap(),
        json!({"text": "hi", "internalAnalysisFlag": true})
    );
    let mut t = Ticket::default();
    t.summary = Some("New".into());
    let r = c.tickets().create(&t).request().unwrap();
    assert_eq!(r.body_json().unwrap(), json!({"summary": "New"}));
    assert_eq!(
        r.content_type().map(|v| v.to_str().unwrap()),
        Some("application/json")
    );
    assert!(c.tickets().get(0).request().unwrap_err().is_invalid_input());
    assert!(
        c.tickets()
            .delete(-3)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    let r = c.tickets().delete(3).request().unwrap();
    assert_eq!(
        (r.method().clone(), r.path()),
        (Method::DELETE, Some("service/tickets/3"))
    );
    assert!(r.is_idempotent());
    let r = c.tickets().get(3).request().unwrap();
    assert_eq!(
        (r.method().clone(), r.path()),
        (Method::GET, Some("service/tickets/3"))
    );
    assert!(r.is_idempotent());
    assert!(r.body_bytes().is_none());
}

#[test]
fn ids_are_checked_once_by_the_handles_and_named() {
    let c = client();
    let err = c.tickets().get(0).request().unwrap_err();
    assert!(err.to_string().contains("ConnectWise ticket id"), "{err}");
    assert_eq!(err.vendor(), Some(psa_core::Vendor::ConnectWise));
    // the parent of a nested collection
    let err = c.tickets().notes(-1).list().request().unwrap_err();
    assert!(err.to_string().contains("ConnectWise ticket id"), "{err}");
    let err = c.boards().statuses(0).get(1).request().unwrap_err();
    assert!(err.to_string().contains("ConnectWise board id"), "{err}");
    let err = c.tickets().audit_trail(0).request().unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    // ids in a merge or bundle body
    let err = c
        .tickets()
        .merge(12, &TicketMerge::new(vec![13, 0], 5))
        .request()
        .unwrap_err();
    assert!(err.to_string().contains("ConnectWise ticket id"), "{err}");
    let err = c
        .tickets()
        .attach_children(12, &TicketBundle::new(vec![-4]))
        .request()
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    let err = c
        .time_entries()
        .update(0, &[PatchOperation::replace("notes", "x")])
        .request()
        .unwrap_err();
    assert!(
        err.to_string().contains("ConnectWise time entry id"),
        "{err}"
    );
}

#[test]
fn lists_and_counts() {
    let c = client();
    let r = c
        .companies()
        .list()
        .conditions(fields::NAME.contains("Acme"))
        .order_by(fields::NAME.asc())
        .fields([fields::ID, fields::NAME])
        .page_request(PageRef::Number(3))
        .unwrap();
    assert_eq!(r.path(), Some("company/companies"));
    assert_eq!(
        pairs(&r),
        vec![
            ("conditions".into(), "name contains \"Acme\"".into()),
            ("orderBy".into(), "name asc".into()),
            ("fields".into(), "id,name".into()),
            ("pageSize".into(), "50".into()),
            ("page".into(), "3".into()),
        ]
    );
    assert!(r.headers().is_empty());
    assert!(r.is_idempotent());
    let r = c
        .time_entries()
        .list()
        .limit(7)
        .forward_only()
        .page_request(PageRef::After(0))
        .unwrap();
    assert_eq!(
        pairs(&r),
        vec![("pageSize".to_string(), "7".to_string())],
        "no more than needed"
    );
    assert_eq!(r.headers().len(), 1);
    assert_eq!(r.headers()["pagination-type"], "forward-only");
    // request() is the first page's request
    let list = c.time_entries().list().forward_only();
    assert_eq!(
        pairs(&list.request().unwrap()),
        pairs(&list.page_request(PageRef::After(0)).unwrap())
    );
    let r = c.tickets().audit_trail(9).request().unwrap();
    assert_eq!(r.path(), Some("system/audittrail"));
    assert_eq!(r.query_value("type"), Some("Ticket"));
    assert_eq!(r.query_value("id"), Some("9"));
    assert_eq!(r.query_value("page"), Some("1"));
    let r = c
        .tickets()
        .count()
        .conditions(fields::CLOSED_FLAG.eq(false))
        .request()
        .unwrap();
    assert_eq!(r.path(), Some("service/tickets/count"));
    assert_eq!(r.query_value("conditions"), Some("closedFlag = false"));
    assert_eq!(r.query_string(), "conditions=closedFlag+%3D+false");
    assert!(
        c.tickets()
            .list()
            .page_size(1001)
            .page_request(PageRef::Number(1))
            .is_err()
    );
    let r = c.boards().statuses(2).list().request().unwrap();
    assert_eq!(r.path(), Some("service/boards/2/statuses"));
}

#[test]
fn customized_operations_carry_their_overrides() {
    let c = client();
    let tuned = |o: RequestOptions| {
        o.deadline(Duration::from_secs(2))
            .attempt_timeout(Duration::from_millis(500))
            .no_retry()
    };
    let r = c.tickets().get(42).customize(tuned).request().unwrap();
    assert_eq!(r.deadline_override(), Some(Duration::from_secs(2)));
    assert_eq!(
        r.attempt_timeout_override(),
        Some(Duration::from_millis(500))
    );
    assert_eq!(r.retry_policy_override(), Some(&RetryPolicy::never()));
    // the vendor's idempotency, overridden for one call
    let mut t = Ticket::default();
    t.summary = Some("Deduplicated upstream".into());
    let create = c.tickets().create(&t).customize(|o| o.idempotent(true));
    assert!(create.request().unwrap().is_idempotent());
    let update = c
        .tickets()
        .update(1, &[PatchOperation::replace("summary", "x")])
        .with_options(RequestOptions::new().idempotent(false));
    assert!(!update.request().unwrap().is_idempotent());
    // every page of a listing carries them
    let list = c
        .tickets()
        .list()
        .customize(|o| o.deadline(Duration::from_secs(9)));
    for page in [PageRef::Number(1), PageRef::Number(4)] {
        let r = list.page_request(page).unwrap();
        assert_eq!(r.deadline_override(), Some(Duration::from_secs(9)));
    }
    for r in [
        c.tickets().delete(3).customize(tuned).request().unwrap(),
        c.tickets().count().customize(tuned).request().unwrap(),
        c.tickets()
            .merge(1, &TicketMerge::new(vec![2], 5))
            .customize(tuned)
            .request()
            .unwrap(),
        c.tickets()
            .attach_children(1, &TicketBundle::new(vec![2]))
            .customize(tuned)
            .request()
            .unwrap(),
    ] {
        assert_eq!(r.retry_policy_override(), Some(&RetryPolicy::never()));
        assert_eq!(r.deadline_override(), Some(Duration::from_secs(2)));
    }
}

#[tokio::test]
async fn send_honours_the_overrides() {
    let mock = ConnectWiseMock::start().await;
    Mock::given(method("GET"))
        .and(path("/v4_6_release/apis/3.0/service/tickets/1001"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let client = mock.client();
    // by default a read is retried: every attempt meets the 503
    let fast = mock
        .client_builder()
        .http_config(
            psa_core::http::HttpConfig::default().with_retry(
                RetryPolicy::default()
                    .with_max_attempts(3)
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
            ),
        )
        .build()
        .unwrap();
    let err = fast.tickets().get(1001).send().await.unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        ticket_reads(&mock).await,
        3,
        "retried within the client's policy"
    );
    // no_retry(): exactly one request
    let err = client
        .tickets()
        .get(1001)
        .customize(RequestOptions::no_retry)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(ticket_reads(&mock).await, 4, "one request, no retry");
}

/// Requests for ticket 1001 the server received (the fault answered them,
/// so the simulator's own counters do not see them).
async fn ticket_reads(mock: &ConnectWiseMock) -> usize {
    mock.server()
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/v4_6_release/apis/3.0/service/tickets/1001")
        .count()
}
