//! Autotask's limits: the thread threshold, the hourly budget, paging.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use psa_autotask::BudgetMode;
use psa_autotask::mock::{self, AutotaskMock};
use psa_core::{Psa, TicketQuery};
use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn fifty_concurrent_lists_never_trip_the_thread_threshold() {
    let mock = AutotaskMock::builder()
        .enforce_thread_limit(3)
        .latency(Duration::from_millis(15))
        .start()
        .await;
    let client = mock.client();
    // Warm the picklists so that every task only queries tickets.
    client.list_priorities().await.unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let c = client.clone();
            tokio::spawn(async move {
                let q = if i % 2 == 0 {
                    TicketQuery::open()
                } else {
                    TicketQuery::closed()
                };
                c.list_tickets(q).try_collect::<Vec<_>>().await
            })
        })
        .collect();
    for t in tasks {
        let tickets = t.await.unwrap().unwrap();
        assert!(!tickets.is_empty());
    }
    assert_eq!(mock.thread_threshold_errors(), 0);
    assert!(
        mock.max_in_flight("tickets") <= 3,
        "{}",
        mock.max_in_flight("tickets")
    );
    assert_eq!(
        mock.max_in_flight("tickets"),
        3,
        "the limiter should use all 3 threads"
    );
    assert_eq!(
        mock.requests_to("POST", "/ATServicesRest/V1.0/Tickets/query"),
        50
    );
}

#[tokio::test]
async fn a_thread_threshold_answer_is_rate_limited_and_retried() {
    let mock = AutotaskMock::start().await;
    Mock::given(method("GET"))
        .and(path_regex("(?i)/ATServicesRest/V1.0/Companies/174$"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"errors": [
            "Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)"
        ]})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    let company = mock
        .client()
        .get_company(&psa_core::Id::from(174))
        .await
        .unwrap();
    assert_eq!(company.name, "Contoso Dental");
}

#[tokio::test]
async fn a_persistent_thread_threshold_answer_is_a_rate_limited_error() {
    let mock = AutotaskMock::start().await;
    Mock::given(method("GET"))
        .and(path_regex("(?i)/ATServicesRest/V1.0/Companies/174$"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"errors": [
            "Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)"
        ]})))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let err = mock
        .client()
        .get_company(&psa_core::Id::from(174))
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert!(err.field_errors()[0].message.contains("Itgenatr005"));
}

#[tokio::test]
async fn paging_follows_next_page_urls() {
    let mock = AutotaskMock::builder()
        .generated_tickets(1_200)
        .start()
        .await;
    let client = mock
        .client_builder()
        .threshold_poll(Duration::ZERO, 1)
        .build()
        .unwrap();
    let q = psa_autotask::query::Query::new().filter(psa_autotask::query::Filter::gte(
        "id",
        mock::GENERATED_TICKET_BASE,
    ));
    let all: Vec<_> = client
        .tickets()
        .list(q.clone())
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1_200);
    assert_eq!(
        mock.requests_to("POST", "/ATServicesRest/V1.0/Tickets/query"),
        1
    );
    assert_eq!(
        mock.requests_to("GET", "/ATServicesRest/V1.0/Tickets/query/next"),
        2
    );
    let ids: std::collections::BTreeSet<i64> = all.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 1_200, "duplicates across pages");

    // A limit stops early and asks for no more than needed.
    let some: Vec<_> = client
        .tickets()
        .list(q)
        .limit(600)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(some.len(), 600);
    assert_eq!(
        mock.requests_to("POST", "/ATServicesRest/V1.0/Tickets/query"),
        2
    );
    assert_eq!(
        mock.requests_to("GET", "/ATServicesRest/V1.0/Tickets/query/next"),
        3
    );
}

#[tokio::test]
async fn a_foreign_next_page_url_is_refused_without_a_request() {
    let mock = AutotaskMock::start().await;
    Mock::given(method("POST"))
        .and(path_regex("(?i)/ATServicesRest/V1.0/Companies/query$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": 174, "companyName": "Contoso Dental"}],
            "pageDetails": {"count": 1, "requestCount": 500, "prevPageUrl": null,
                "nextPageUrl": "https://attacker.example/ATServicesRest/V1.0/Companies/query/next?paging=x"}
        })))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let client = mock
        .client_builder()
        .threshold_poll(Duration::ZERO, 1)
        .build()
        .unwrap();
    let mut stream = client
        .companies()
        .list(psa_autotask::query::Query::all())
        .stream();
    let first = stream.try_next().await.unwrap().unwrap();
    assert_eq!(first.id, 174);
    let before = mock.request_count();
    let err = stream.try_next().await.unwrap_err();
    assert!(err.message().contains("attacker.example"), "{err}");
    assert_eq!(
        mock.request_count(),
        before,
        "the foreign page was requested"
    );
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn budget_fail_fast_refuses_before_sending() {
    // Other integrations have used 8,995 of 10,000; the reserve is 10%.
    let mock = AutotaskMock::builder().other_usage(8_995).start().await;
    let client = mock
        .client_builder()
        .budget_mode(BudgetMode::FailFast)
        .budget_reserve(0.10)
        .build()
        .unwrap();
    let mut ok = 0;
    let err = loop {
        match client.get_company(&psa_core::Id::from(174)).await {
            Ok(_) => ok += 1,
            Err(e) => break e,
        }
        assert!(ok < 20, "the budget never ran out");
    };
    assert!(err.is_rate_limited(), "{err}");
    assert!(err.retry_after().is_some_and(|d| d > Duration::ZERO));
    // The reading counts itself (8,996 used); four calls bring the estimate
    // to 9,000 = 90% of 10,000, and the fifth is refused.
    assert_eq!(mock.threshold_reads(), 1);
    assert_eq!(ok, 4);
    let before = mock.request_count();
    assert!(
        client
            .get_company(&psa_core::Id::from(174))
            .await
            .unwrap_err()
            .is_rate_limited()
    );
    assert_eq!(
        mock.request_count(),
        before,
        "a refused call reached Autotask"
    );
    assert_eq!(mock.budget_errors(), 0);
}

#[tokio::test]
async fn budget_wait_mode_waits_for_the_window() {
    let mock = AutotaskMock::builder().other_usage(8_999).start().await;
    let client = mock
        .client_builder()
        .budget_mode(BudgetMode::Wait)
        .threshold_poll(Duration::from_millis(200), 500)
        .budget_max_wait(Duration::from_secs(20))
        .build()
        .unwrap();
    let waiter = {
        let c = client.clone();
        tokio::spawn(async move { c.get_company(&psa_core::Id::from(174)).await })
    };
    // The first reading says 9,000 used (8,999 + itself): the call waits.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(!waiter.is_finished());
    assert_eq!(
        mock.requests_to("GET", "/ATServicesRest/V1.0/Companies/174"),
        0
    );
    // Other integrations go quiet; the next reading frees the budget.
    mock.set_other_usage(100);
    let company = tokio::time::timeout(Duration::from_secs(10), waiter)
        .await
        .expect("the waiting call never went")
        .unwrap()
        .unwrap();
    assert_eq!(company.name, "Contoso Dental");
    assert_eq!(mock.threshold_reads(), 2);
}

#[tokio::test]
async fn threshold_information_is_read_sparingly() {
    let mock = AutotaskMock::start().await;
    let client = mock
        .client_builder()
        .threshold_poll(Duration::from_secs(300), 10)
        .build()
        .unwrap();
    for _ in 0..25 {
        client.get_company(&psa_core::Id::from(174)).await.unwrap();
    }
    // The first call reads it, then every 10 requests.
    assert_eq!(mock.threshold_reads(), 3);
    let info = client.threshold_information().await.unwrap();
    assert_eq!(info.external_request_threshold, 10_000);
    assert_eq!(
        info.current_timeframe_request_count,
        i64::try_from(mock.request_count() - mock.zone_requests()).unwrap()
    );
}

#[tokio::test]
async fn autotasks_own_budget_error_is_rate_limited() {
    let mock = AutotaskMock::builder()
        .rate_limit(3, Duration::from_secs(3600))
        .start()
        .await;
    let client = mock
        .client_builder()
        .threshold_poll(Duration::ZERO, 1)
        .build()
        .unwrap();
    for _ in 0..3 {
        client.get_company(&psa_core::Id::from(174)).await.unwrap();
    }
    let err = client
        .get_company(&psa_core::Id::from(174))
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(429));
}

#[tokio::test]
async fn a_repeated_next_page_url_stops_paging() {
    let mock = AutotaskMock::start().await;
    let again = format!("{}V1.0/Companies/query/next?paging=same", mock.zone_url());
    let page = json!({
        "items": [{"id": 174, "companyName": "Contoso Dental"}],
        "pageDetails": {"count": 1, "requestCount": 500, "prevPageUrl": null, "nextPageUrl": again}
    });
    Mock::given(method("POST"))
        .and(path_regex("(?i)/ATServicesRest/V1.0/Companies/query$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page.clone()))
        .with_priority(1)
        .expect(1)
        .mount(mock.server())
        .await;
    Mock::given(method("GET"))
        .and(path_regex("(?i)/ATServicesRest/V1.0/Companies/query/next$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .with_priority(1)
        .expect(1)
        .mount(mock.server())
        .await;
    let client = mock
        .client_builder()
        .threshold_poll(Duration::ZERO, 1)
        .build()
        .unwrap();
    let got: Vec<_> = client
        .companies()
        .list(psa_autotask::query::Query::all())
        .stream()
        .collect()
        .await;
    // The second page repeats the first page's records: the listing ends
    // with an error (issue 11), not with the record twice, and the repeated
    // URL is not requested again.
    assert_eq!(got.len(), 2);
    assert!(got[0].is_ok());
    assert!(got[1].is_err(), "{:?}", got[1]);
    mock.server().verify().await;
}

#[tokio::test]
async fn requests_are_built_without_io() {
    let mock = AutotaskMock::start().await;
    let client = mock.client();
    let q = psa_autotask::query::Query::new()
        .filter(psa_autotask::query::Filter::eq("companyID", 174))
        .include_fields(["title"]);
    let req = client.tickets().list(q).limit(10).request().unwrap();
    assert_eq!(
        String::from_utf8(req.body_bytes().unwrap().to_vec()).unwrap(),
        r#"{"MaxRecords":10,"IncludeFields":["id","title"],"Filter":[{"op":"eq","field":"companyID","value":174}]}"#
    );
    let err = client
        .tickets()
        .list(psa_autotask::query::Query::new())
        .request()
        .unwrap_err();
    assert!(err.is_invalid_input());
    assert_eq!(mock.request_count(), 0);
}
