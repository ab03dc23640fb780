//! Issue 11 for Autotask: each hardening with the attack it stops.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt;
use http::Method;
use psa_autotask::mock::{self, AutotaskMock};
use psa_core::{
    CompanyQuery, ConfigurationQuery, ContactQuery, ErrorKind, Id, KbQuery, NewWebhook,
    PermissionGroup, ProductQuery, Psa, RawRequest, TicketQuery,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const HOOK_SECRET: &str = "hook-Secret-issue11-0123456789";

#[tokio::test]
async fn oversized_deliveries_are_refused_before_the_hmac() {
    let mock = AutotaskMock::start().await;
    let c = mock
        .client_builder()
        .webhook_secret(SecretString::from(HOOK_SECRET))
        .build()
        .unwrap();
    let sub = c
        .subscribe_webhook(
            NewWebhook::new("t", url::Url::parse("https://hooks.example/a").unwrap())
                .secret(SecretString::from(HOOK_SECRET)),
        )
        .await
        .unwrap();
    let id = sub.id.as_i64().unwrap();
    // Correctly signed, but larger than any Autotask callout.
    let big = mock
        .signed_ticket_delivery(id, 1001, "Update", &json!({"title": "x".repeat(1_100_000)}))
        .unwrap();
    let e = c.parse_webhook(&big).await.unwrap_err();
    assert!(e.is_webhook(), "{e}");
    assert!(e.message().contains("refused before verification"), "{e}");
    let small = mock
        .signed_ticket_delivery(id, 1001, "Update", &json!({"title": "x"}))
        .unwrap();
    assert!(c.parse_webhook(&small).await.is_ok());
}

async fn lookup_answering(zone: &str) -> MockServer {
    let lookup = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ATServicesRest/V1.0/zoneInformation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"zoneName": "x", "url": zone, "webUrl": "https://ww14.autotask.net/", "ci": 1}),
        ))
        .mount(&lookup)
        .await;
    lookup
}

#[tokio::test]
async fn zone_discovery_follows_only_autotask_hosts_over_https() {
    let mock = AutotaskMock::start().await;
    for zone in [
        "https://attacker.example/ATServicesRest/",
        "http://webservices14.autotask.net/ATServicesRest/",
        "https://webservices14.autotask.net.attacker.example/ATServicesRest/",
    ] {
        let lookup = lookup_answering(zone).await;
        let c = mock
            .client_builder()
            .zone_lookup_url(format!(
                "{}/ATServicesRest/V1.0/zoneInformation",
                lookup.uri()
            ))
            .build()
            .unwrap();
        let e = c.get_ticket(&Id::from(1001)).await.unwrap_err();
        // Refused before any credential is sent there: by the host check,
        // or (plain http) by the base-URL check.
        assert!(
            e.message().contains("not an Autotask host") || e.message().contains("must use https"),
            "{zone}: {e}"
        );
    }
    // The simulator (loopback) is followed.
    assert!(mock.client().get_ticket(&Id::from(1001)).await.is_ok());
}

fn ticket(id: i64) -> Value {
    json!({"id": id, "ticketNumber": format!("T20261101.{id}"), "title": format!("t{id}"),
           "companyID": 174, "status": 1, "priority": 2, "queueID": 29_682_833})
}

#[tokio::test]
async fn a_cycling_listing_ends_with_an_error() {
    let mock = AutotaskMock::start().await;
    let items: Vec<Value> = (2001..2026).map(ticket).collect();
    let base = mock.uri();
    let first = json!({"items": items, "pageDetails": {"count": 25, "requestCount": 500,
        "prevPageUrl": null,
        "nextPageUrl": format!("{base}/ATServicesRest/V1.0/Tickets/query/next?paging=p1")}});
    Mock::given(method("POST"))
        .and(path("/ATServicesRest/V1.0/Tickets/query"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .with_priority(1)
        .mount(mock.server())
        .await;
    // Every "next" page is the same 25 records under a fresh URL.
    let n = Arc::new(AtomicUsize::new(1));
    let again = {
        let items = items.clone();
        move |_: &Request| {
            let k = n.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(json!({"items": items,
                "pageDetails": {"count": 25, "requestCount": 500, "prevPageUrl": null,
                "nextPageUrl": format!("{base}/ATServicesRest/V1.0/Tickets/query/next?paging=p{k}")}}))
        }
    };
    Mock::given(method("GET"))
        .and(path("/ATServicesRest/V1.0/Tickets/query/next"))
        .respond_with(again)
        .with_priority(1)
        .mount(mock.server())
        .await;

    let c = mock.client();
    let got: Vec<_> = c.list_tickets(TicketQuery::any()).take(200).collect().await;
    let ok = got.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 25, "the cycle must not repeat records");
    assert!(
        got.iter().any(Result::is_err),
        "the cycle ends with an error"
    );
}

#[tokio::test]
async fn reflected_credentials_never_reach_errors() {
    let mock = AutotaskMock::start().await;
    Mock::given(method("GET"))
        .and(path("/ATServicesRest/V1.0/Tickets/1001"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"errors": [format!(
                "Request rejected: Secret '{}' with ApiIntegrationCode '{}' is not valid here",
                mock::SECRET,
                mock::INTEGRATION_CODE
            )]})),
        )
        .with_priority(1)
        .mount(mock.server())
        .await;
    let e = mock.client().get_ticket(&Id::from(1001)).await.unwrap_err();
    let text = format!("{e} {e:?} {:?} {:?}", e.raw_body(), e.api_body());
    assert!(text.contains("Request rejected"), "{text}");
    psa_core::testing::assert_free_of("error", &text, &[mock::SECRET, mock::INTEGRATION_CODE]);
}

#[tokio::test]
async fn raw_requests_use_only_autotasks_methods() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    for m in [
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ] {
        let e = c
            .raw(RawRequest::new(m.clone(), "Tickets/1001"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{m}");
    }
    assert_eq!(mock.request_count(), 0);
    assert!(
        c.raw(RawRequest::new(Method::GET, "Tickets/1001"))
            .await
            .is_ok()
    );
    assert_eq!(
        c.raw_group(&RawRequest::new(Method::POST, "Tickets/1001/Attachments")),
        Some(PermissionGroup::Attachments)
    );
    assert_eq!(
        c.raw_group(&RawRequest::new(Method::GET, "TicketAttachments/5")),
        Some(PermissionGroup::Attachments)
    );
}

fn kind_of<T>(r: psa_core::Result<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

#[tokio::test]
async fn blank_search_text_is_refused_by_every_search() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    for blank in [" ", "\t\n", "\u{0}", "\u{1b}"] {
        let errs = [
            c.list_tickets(TicketQuery::any().text(blank))
                .next()
                .await
                .map(kind_of),
            c.search_companies(CompanyQuery::name(blank))
                .next()
                .await
                .map(kind_of),
            c.search_contacts(ContactQuery::name(blank))
                .next()
                .await
                .map(kind_of),
            c.search_contacts(ContactQuery::email(blank))
                .next()
                .await
                .map(kind_of),
            c.list_configurations(ConfigurationQuery::name(blank))
                .next()
                .await
                .map(kind_of),
            c.search_products(ProductQuery::text(blank))
                .next()
                .await
                .map(kind_of),
            c.search_kb_articles(KbQuery::text(blank))
                .next()
                .await
                .map(kind_of),
        ];
        for (i, kind) in errs.into_iter().enumerate() {
            assert_eq!(
                kind,
                Some(Some(ErrorKind::InvalidInput)),
                "search {i} with {blank:?}"
            );
        }
    }
    // Refused before any request (the ticket listing reads no picklist first).
    assert_eq!(
        mock.requests_to("POST", "/ATServicesRest/V1.0/Companies/query"),
        0
    );
}
