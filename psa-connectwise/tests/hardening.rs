//! Issues 11 and 12: caller text refused before any request, tickets found
//! by number, raw requests limited to ConnectWise's methods and paths.

use futures::{StreamExt, TryStreamExt};
use psa_connectwise::ConnectWiseMock;
use psa_core::{
    CompanyQuery, ConfigurationQuery, ContactQuery, Id, KbQuery, NewNote, ProductQuery, Psa,
    TicketPatch, TicketQuery,
};

#[tokio::test]
async fn whitespace_only_search_text_is_refused_on_every_search() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    for blank in [" ", "\t\n", "   "] {
        let errs = [
            psa.list_tickets(TicketQuery::any().text(blank))
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
            psa.search_companies(CompanyQuery::name(blank))
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
            psa.search_contacts(ContactQuery::name(blank))
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
            psa.list_configurations(ConfigurationQuery::name(blank))
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
            psa.search_products(ProductQuery::text(blank))
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
            psa.search_kb_articles(KbQuery::text(blank))
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
        ];
        for e in errs {
            assert!(e.is_invalid_input(), "{blank:?}: {e}");
        }
    }
    assert_eq!(mock.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn control_only_text_is_refused_for_notes_and_descriptions() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    for text in ["\u{1}\u{2}", "\u{7}", "\0"] {
        let e = psa
            .add_note(&Id::from(1001), NewNote::internal(text))
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
        let e = psa
            .update_ticket(&Id::from(1001), TicketPatch::new().description(text))
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
    }
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn a_ticket_is_found_by_its_number() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    for n in ["1001", "#1001", " 1001 "] {
        assert_eq!(
            psa.find_ticket_by_number(n).await.unwrap().id,
            Id::from(1001)
        );
    }
    assert_eq!(mock.api_requests_to("GET", "service/tickets/1001"), 3);
    for missing in ["999999", "T20261203.0001"] {
        let e = psa.find_ticket_by_number(missing).await.unwrap_err();
        assert!(e.is_not_found(), "{missing}: {e}");
    }
    let sent = mock.request_count();
    let e = psa.find_ticket_by_number("  ").await.unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    assert_eq!(mock.request_count(), sent);

    let listed: Vec<_> = psa
        .list_tickets(TicketQuery::any().number("1002"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, Id::from(1002));
    let none: Vec<_> = psa
        .list_tickets(TicketQuery::any().number("INC0010001"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn raw_requests_use_connectwise_methods_and_plain_paths() {
    use http::Method;
    use psa_core::RawRequest;
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    for m in [
        Method::TRACE,
        Method::CONNECT,
        Method::HEAD,
        Method::OPTIONS,
    ] {
        let e = psa
            .raw(RawRequest::new(m.clone(), "service/tickets"))
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "{m}: {e}");
    }
    for path in [
        "service/tickets/%2e%2e/%2e%2e/system/members/jdoe/tokens",
        "service/tickets/..%2fsystem",
        "service/tickets/%252e%252e/x",
        "service/tickets/..;/x",
        "service//tickets",
    ] {
        let req = RawRequest::get(path);
        assert_eq!(psa.raw_group(&req), None, "{path}");
        let e = psa.raw(req).await.unwrap_err();
        assert!(e.is_invalid_input(), "{path}: {e}");
    }
    assert_eq!(mock.request_count(), 0);
    let ok = psa
        .raw(RawRequest::get("service/tickets/1001"))
        .await
        .unwrap();
    assert_eq!(ok.status.as_u16(), 200);
}

#[tokio::test]
async fn a_site_repeating_a_page_or_overfilling_one_ends_the_listing() {
    use wiremock::matchers::{method, path_regex};
    use wiremock::{Mock, ResponseTemplate};
    let mock = ConnectWiseMock::start().await;
    // a site that ignores `page`: every request answers the same full page
    Mock::given(method("GET"))
        .and(path_regex("/service/priorities$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"id": 1, "name": "P1"}, {"id": 2, "name": "P2"}
        ])))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let client = mock.client();
    let all: Vec<_> = client
        .priorities()
        .list()
        .page_size(2)
        .stream()
        .collect::<Vec<_>>()
        .await;
    let err = all
        .iter()
        .find_map(|r| r.as_ref().err())
        .expect("the repeat is an error");
    assert!(
        err.to_string().contains("repeat") || err.to_string().contains("same"),
        "{err}"
    );
    assert!(
        all.len() <= 3,
        "stopped at the repeated page, got {}",
        all.len()
    );

    // more records than the page size asked for: refused
    Mock::given(method("GET"))
        .and(path_regex("/time/workTypes$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"id": 1, "name": "A"}, {"id": 2, "name": "B"}, {"id": 3, "name": "C"}
        ])))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let err = client
        .work_types()
        .list()
        .page_size(2)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.is_decode() && err.to_string().contains("more than 2"),
        "{err}"
    );
}
