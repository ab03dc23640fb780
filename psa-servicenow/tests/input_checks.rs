//! Issue 11 and 12 checks: blank search text, control-character notes, raw
//! paths and dot-walks are refused before any request; ticket numbers are
//! looked up directly.

#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use psa_core::{
    CompanyQuery, ConfigurationQuery, ContactQuery, Id, KbQuery, NewNote, ProductQuery, Psa,
    RawRequest, TicketQuery,
};
use psa_servicenow::mock::{ServiceNowMock, seed};

#[tokio::test]
async fn whitespace_only_search_text_is_refused_on_every_search() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    for blank in ["\n", "\t", " "] {
        let e = client
            .list_tickets(TicketQuery::any().text(blank))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "tickets {blank:?}: {e}");
        let e = client
            .search_companies(CompanyQuery::name(blank))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "companies {blank:?}: {e}");
        let e = client
            .list_configurations(ConfigurationQuery::name(blank))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "configurations {blank:?}: {e}");
        let e = client
            .search_contacts(ContactQuery::name(blank))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "contacts {blank:?}: {e}");
        let e = client
            .search_kb_articles(KbQuery::text(blank))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "kb {blank:?}: {e}");
        let e = client
            .search_products(ProductQuery::text(blank))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "products {blank:?}: {e}");
    }
    assert_eq!(mock.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn control_character_notes_are_refused() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let ticket = Id::text(format!("incident:{}", seed::INC_PRINTER)).unwrap();
    for body in ["\u{1}\u{2}", "\u{0}", "\u{7f}\u{1b}"] {
        let e = client
            .add_note(&ticket, NewNote::internal(body))
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "{body:?}: {e}");
    }
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn raw_paths_with_encoded_traversal_or_dot_walks_are_refused() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    for path in [
        "api/now/table/incident/%2e%2e/sys_properties",
        "api/now/table/incident/..%2fsys_properties",
        "api/now/table/incident/%252e%252e/sys_user",
        "api/now/table/incident/..;/sys_properties",
    ] {
        let req = RawRequest::get(path);
        assert_eq!(client.raw_group(&req), None, "{path}");
        let e = client.raw(req).await.unwrap_err();
        assert!(e.is_invalid_input(), "{path}: {e}");
    }
    let walk = RawRequest::get("api/now/table/incident")
        .query("sysparm_fields", "number,caller_id.user_password");
    let e = client.raw(walk).await.unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    let trace = RawRequest::new(http::Method::OPTIONS, "api/now/table/incident");
    assert!(client.raw(trace).await.unwrap_err().is_invalid_input());
    assert_eq!(mock.request_count(), 0);
    // A plain one still works.
    let ok = RawRequest::get("api/now/table/incident").query("sysparm_fields", "number");
    assert_eq!(client.raw(ok).await.unwrap().status.as_u16(), 200);
}

#[tokio::test]
async fn find_ticket_by_number_reads_the_numbers_table() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let t = client.find_ticket_by_number("INC0010001").await.unwrap();
    assert_eq!(t.id.to_string(), format!("incident:{}", seed::INC_PRINTER));
    let t = client.find_ticket_by_number(" inc0010001 ").await.unwrap();
    assert_eq!(t.number.as_deref(), Some("INC0010001"));
    let ritm = client.find_ticket_by_number("RITM0010001").await.unwrap();
    assert!(
        ritm.id.to_string().starts_with("sc_req_item:"),
        "{}",
        ritm.id
    );
    assert!(
        client
            .find_ticket_by_number("INC9999999")
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .find_ticket_by_number("INC1^ORactive=true")
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    // The lookup filtered on the number: one incident page, no scan.
    assert_eq!(mock.requests_to("GET", "/api/now/table/incident"), 3);
}

#[tokio::test]
async fn a_phone_lookup_finds_numbers_typed_in_pairs() {
    let mock = ServiceNowMock::start().await;
    let user = mock.insert(
        "sys_user",
        &[
            ("user_name", "ann.pair"),
            ("first_name", "Ann"),
            ("last_name", "Pair"),
            ("name", "Ann Pair"),
            ("email", "ann.pair@acme.example"),
            ("phone", "+44 20 79 46 00 58"),
            ("mobile_phone", ""),
            ("active", "true"),
            ("company", seed::ACME),
        ],
    );
    let client = mock.client();
    for asked in ["+442079460058", "020 7946 0058", "+44 (0)20 7946-0058"] {
        let found: Vec<_> = client
            .search_contacts(ContactQuery::phone(asked))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{asked}");
        assert_eq!(found[0].id.to_string(), format!("sys_user:{user}"));
    }
    let none: Vec<_> = client
        .search_contacts(ContactQuery::phone("+44 20 7946 0059"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}
