//! The Batch API: a ticket read with its SLA timers in one HTTP request,
//! the fallback when an instance refuses the Batch API, and the typed
//! `Client::batch` operation.

#![allow(clippy::unwrap_used)]

use psa_core::{Id, Psa};
use psa_servicenow::mock::{ROUTE_PRIORITY, ServiceNowMock, seed};
use psa_servicenow::resources::BATCH_PATH;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn inc(sys: &str) -> Id {
    Id::text(format!("incident:{sys}")).unwrap()
}

#[tokio::test]
async fn a_ticket_read_with_its_sla_timers_is_one_request() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    // The token and the choice labels are fetched once per client.
    client.get_ticket(&inc(seed::INC_VPN)).await.unwrap();

    let before = mock.request_count();
    let t = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(mock.request_count() - before, 1, "one HTTP request");
    assert_eq!(mock.requests_to("POST", BATCH_PATH), 2);
    // The batch's items are counted on their own routes too.
    let path = format!("/api/now/table/incident/{}", seed::INC_PRINTER);
    assert_eq!(mock.requests_to("GET", &path), 1);
    assert_eq!(mock.requests_to("GET", "/api/now/table/task_sla"), 2);

    assert_eq!(t.number.as_deref(), Some("INC0010001"));
    let sla = t.sla.expect("the printer incident has SLA timers");
    assert_eq!(
        sla.sla.as_ref().and_then(|s| s.name.as_deref()),
        Some("Priority 2 resolution (8 hour)")
    );
    assert_eq!(sla.response_breached, Some(true));
    // The record's text is kept as `raw`, as a read of its own keeps it.
    assert_eq!(t.raw.value()["number"], json!("INC0010001"));
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn the_batched_read_gives_what_the_one_by_one_read_gives() {
    let mock = ServiceNowMock::start().await;
    let batched = mock.client();
    let one_by_one = mock.client_builder().batch_reads(false).build().unwrap();
    for sys in [seed::INC_PRINTER, seed::INC_VPN, seed::INC_CLOSED] {
        let a = batched.get_ticket(&inc(sys)).await.unwrap();
        let b = one_by_one.get_ticket(&inc(sys)).await.unwrap();
        assert_eq!(a, b, "{sys}");
    }
    // `batch_reads(false)` never batches.
    assert_eq!(mock.requests_to("POST", BATCH_PATH), 3);
}

#[tokio::test]
async fn a_missing_ticket_is_not_found_with_servicenows_message() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let e = client
        .get_ticket(&inc("0123456789abcdef0123456789abcdef"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(
        e.api_body().and_then(|b| b.message.as_deref()),
        Some("No Record found")
    );
    assert!(
        e.to_string()
            .contains("GET /api/now/table/incident/0123456789abcdef0123456789abcdef"),
        "{e}"
    );
    // A record the API user may not read is not found either (the ACL).
    let e = client.get_ticket(&inc(seed::INC_HIDDEN)).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

#[tokio::test]
async fn an_instance_refusing_the_batch_api_is_read_one_by_one_and_remembered() {
    let mock = ServiceNowMock::builder().refuse_batch_api().start().await;
    let client = mock.client();
    let t = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert!(t.sla.is_some(), "the timers come from the second request");
    assert_eq!(mock.requests_to("POST", BATCH_PATH), 1);

    let before = mock.request_count();
    client.get_ticket(&inc(seed::INC_VPN)).await.unwrap();
    assert_eq!(mock.requests_to("POST", BATCH_PATH), 1, "not asked again");
    assert_eq!(mock.request_count() - before, 2);
}

#[tokio::test]
async fn sla_records_the_user_may_not_read_leave_the_timers_unknown() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    // A batch answer whose SLA item is refused by the instance's ACLs.
    let record = json!({"result": {
        "sys_id": seed::INC_PRINTER, "number": "INC0010001",
        "short_description": "Printer jammed", "state": "2", "priority": "2",
    }});
    let refused =
        json!({"error": {"message": "User Not Authorized", "detail": null}, "status": "failure"});
    let b64 = |v: &Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(v.to_string())
    };
    Mock::given(method("POST"))
        .and(path(BATCH_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "batch_request_id": "1",
            "serviced_requests": [
                {"id": "ticket", "status_code": 200, "status_text": "OK", "headers": [], "body": b64(&record), "execution_time": 3},
                {"id": "sla", "status_code": 403, "status_text": "Forbidden", "headers": [], "body": b64(&refused), "execution_time": 1},
            ],
            "unserviced_requests": [],
        })))
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let t = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(t.number.as_deref(), Some("INC0010001"));
    assert!(t.sla.is_none());
}

#[tokio::test]
async fn a_typed_batch_answers_each_item_as_its_request_would() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let incidents = client.table("incident");
    let mut answer = client
        .batch()
        .item(
            "vpn",
            incidents
                .get(seed::INC_VPN)
                .fields(["number"])
                .request()
                .unwrap(),
        )
        .item(
            "missing",
            incidents
                .get("0123456789abcdef0123456789abcdef")
                .request()
                .unwrap(),
        )
        .item(
            "new",
            incidents
                .create(json!({"short_description": "Made in a batch"}))
                .request()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let vpn: Value = answer.take("vpn").unwrap().json().unwrap();
    assert_eq!(vpn["result"]["number"], "INC0010002");
    let e = answer.take("missing").unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let created: Value = answer.take("new").unwrap().json().unwrap();
    let sys_id = created["result"]["sys_id"].as_str().unwrap();
    // The write really happened, under the batch's user.
    let stored = mock.record("incident", sys_id).unwrap();
    assert_eq!(stored["short_description"], "Made in a batch");
    assert_eq!(stored["sys_created_by"], seed::INTEGRATION_USER);
    // An id the batch did not carry is an error, not a panic.
    assert!(answer.take("vpn").is_err());
}

#[tokio::test]
async fn bad_batches_are_refused_before_anything_is_sent() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let get = client
        .table("incident")
        .get(seed::INC_VPN)
        .request()
        .unwrap();
    let before = mock.request_count();

    let e = client.batch().send().await.unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    let e = client
        .batch()
        .item("a", get.clone())
        .item("a", get.clone())
        .send()
        .await
        .unwrap_err();
    assert!(e.is_invalid_input() && e.message().contains("twice"), "{e}");
    let elsewhere = psa_core::http::ApiRequest::absolute(
        http::Method::GET,
        url::Url::parse("https://elsewhere.example/api/now/table/incident").unwrap(),
    );
    let e = client
        .batch()
        .item("x", elsewhere)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert_eq!(mock.request_count(), before, "nothing was sent");

    // A batch holding a write is not idempotent: never re-sent.
    let write = client
        .table("incident")
        .create(json!({"short_description": "x"}))
        .request()
        .unwrap();
    let req = client
        .batch()
        .item("r", get)
        .item("w", write)
        .request()
        .unwrap();
    assert!(!req.is_idempotent());
}

#[tokio::test]
async fn an_item_that_failed_transiently_is_read_again_on_its_own() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let unavailable =
        json!({"error": {"message": "Service Unavailable", "detail": null}, "status": "failure"});
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(unavailable.to_string())
    };
    Mock::given(method("POST"))
        .and(path(BATCH_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "batch_request_id": "1",
            "serviced_requests": [
                {"id": "ticket", "status_code": 503, "status_text": "Service Unavailable", "headers": [], "body": b64, "execution_time": 1},
            ],
            "unserviced_requests": ["sla"],
        })))
        .up_to_n_times(1)
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let t = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(t.number.as_deref(), Some("INC0010001"));
    assert!(t.sla.is_some());
    let path = format!("/api/now/table/incident/{}", seed::INC_PRINTER);
    assert_eq!(mock.requests_to("GET", &path), 1, "read on its own");
    // Not remembered as a refusal: the next read batches again.
    client.get_ticket(&inc(seed::INC_VPN)).await.unwrap();
    assert_eq!(mock.requests_to("POST", BATCH_PATH), 1);
}

#[tokio::test]
async fn sla_records_past_one_page_are_read_whole() {
    let mock = ServiceNowMock::start().await;
    // A page of one record: the batch brings the first SLA record only.
    let small = mock.client_builder().page_size(1).build().unwrap();
    let t = small.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    let whole = mock
        .client()
        .get_ticket(&inc(seed::INC_PRINTER))
        .await
        .unwrap();
    assert_eq!(t.sla, whole.sla);
    let slas = mock.records("task_sla");
    let on_printer = slas
        .iter()
        .filter(|r| r["task"]["value"] == seed::INC_PRINTER || r["task"] == seed::INC_PRINTER)
        .count();
    assert!(
        on_printer > 1,
        "the seed has several SLAs on the printer incident"
    );
    // The batch's page, then every page on its own, then the other client's batch.
    assert_eq!(
        mock.requests_to("GET", "/api/now/table/task_sla"),
        1 + on_printer as u64 + 1
    );
}
