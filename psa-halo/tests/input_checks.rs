//! Issue 11 on Halo: blank search text and control-character notes are
//! refused before any request; raw requests use only Halo's methods and an
//! encoded traversal maps to no permission group; token errors never carry
//! the client secret in any encoding.

use futures::StreamExt;
use http::Method;
use psa_core::{
    CompanyQuery, ConfigurationQuery, ContactQuery, Id, KbQuery, NewNote, ProductQuery, Psa,
    RawRequest, TicketQuery,
};
use psa_halo::{HaloMock, raw_group_of};
use secrecy::SecretString;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

async fn first_error<T: std::fmt::Debug>(
    s: futures::stream::BoxStream<'_, psa_core::Result<T>>,
) -> psa_core::Error {
    let items: Vec<_> = s.collect().await;
    items
        .into_iter()
        .find_map(Result::err)
        .expect("the stream fails")
}

#[tokio::test]
async fn blank_search_text_is_invalid_input_on_every_search() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let before = mock.request_count();
    for blank in [
        "",
        " ",
        "\t",
        "\n",
        " \u{3000} ",
        "\u{0}",
        "\u{200b}",
        " \u{2060}\u{feff} ",
    ] {
        let errors = [
            first_error(c.list_tickets(TicketQuery::any().text(blank))).await,
            first_error(c.search_companies(CompanyQuery::name(blank))).await,
            first_error(c.search_contacts(ContactQuery::name(blank))).await,
            first_error(c.search_contacts(ContactQuery::email(blank))).await,
            first_error(c.search_contacts(ContactQuery::phone(blank))).await,
            first_error(c.search_products(ProductQuery::text(blank))).await,
            first_error(c.search_kb_articles(KbQuery::text(blank))).await,
            first_error(c.list_configurations(ConfigurationQuery::name(blank))).await,
        ];
        for e in errors {
            assert!(e.is_invalid_input(), "{blank:?}: {e}");
        }
    }
    assert_eq!(mock.request_count(), before, "nothing was sent");
}

#[tokio::test]
async fn a_note_of_control_characters_only_is_refused() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let before = mock.request_count();
    for body in ["\u{1}\u{2}", "\u{0}", " \u{7f} ", "\u{200b}"] {
        let e = c
            .add_note(&Id::from(1001), NewNote::internal(body))
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "{body:?}: {e}");
    }
    assert_eq!(mock.request_count(), before);
}

#[tokio::test]
async fn raw_requests_use_halos_methods_and_refuse_encoded_traversal_before_mapping() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    for path in [
        "Tickets/..%2fWebhook",
        "Tickets/%2e%2e/Webhook",
        "Tickets/..%252fWebhook",
        "Tickets/../Webhook",
        "Tickets/..;/Webhook",
        "Tickets//Webhook",
    ] {
        assert_eq!(raw_group_of(path), None, "{path}");
        assert_eq!(c.raw_group(&RawRequest::get(path)), None, "{path}");
    }
    assert!(raw_group_of("Tickets/1001").is_some());
    for m in [Method::PUT, Method::PATCH] {
        let req = RawRequest::new(m.clone(), "Tickets");
        assert_eq!(c.raw_group(&req), None, "{m}");
        let before = mock.request_count();
        assert!(
            Psa::raw(&c, req).await.unwrap_err().is_invalid_input(),
            "{m}"
        );
        assert_eq!(mock.request_count(), before);
    }
    let e = Psa::raw(&c, RawRequest::get("Tickets/..%2fWebhook"))
        .await
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn a_token_error_echoing_the_secret_in_any_encoding_is_scrubbed() {
    let mock = HaloMock::start().await;
    let secret = "s3cr+t/with space&more=1";
    let encoded = "s3cr%2Bt%2Fwith+space%26more%3D1";
    let percent = "s3cr%2Bt%2Fwith%20space%26more%3D1";
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!(
                "bad client_secret={encoded} (raw {secret}, {percent})"
            ),
        })))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let c = mock
        .client_builder()
        .client_secret(SecretString::from(secret))
        .build()
        .unwrap();
    let e = c.get_ticket(&Id::from(1001)).await.unwrap_err();
    let shown = format!("{e} {e:?} {}", e.raw_body().unwrap_or_default());
    for form in [secret, encoded, percent] {
        assert!(!shown.contains(form), "{form} leaked: {shown}");
    }
    assert!(
        shown.contains("invalid_client") || shown.contains("bad client_secret"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_server_serving_the_same_page_again_ends_the_listing_with_an_error() {
    let mock = HaloMock::start().await;
    // Every page number gets the same two tickets, and the count says ten.
    let page = serde_json::json!({"record_count": 10, "tickets": [
        {"id": 1001, "summary": "a", "status_id": 1},
        {"id": 1002, "summary": "b", "status_id": 1}
    ]});
    Mock::given(method("GET"))
        .and(path("/api/Tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let got: Vec<_> = mock
        .client()
        .list_tickets(TicketQuery::any())
        .collect()
        .await;
    assert!(got.iter().any(Result::is_err), "{got:?}");
    assert!(got.iter().filter(|r| r.is_ok()).count() <= 2, "{got:?}");
}

#[tokio::test]
async fn a_response_with_more_records_than_the_cap_is_refused() {
    let mock = HaloMock::start().await;
    let statuses: Vec<_> = (1..=psa_halo::models::MAX_LIST_RECORDS + 1)
        .map(|i| serde_json::json!({"id": i, "name": "s"}))
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/Status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(statuses))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let e = mock
        .client()
        .list_statuses(psa_core::LookupScope::all())
        .await
        .unwrap_err();
    assert!(e.is_decode(), "{e}");
    assert!(e.to_string().contains("more than"), "{e}");
}
