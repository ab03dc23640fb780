//! Issue 12 on Halo: a team named without its id maps to a queue; writes
//! resting on fields outside Halo's request schema are read back and fail
//! clearly when the field did not take; caller look-up by phone; ticket
//! numbers.

use futures::TryStreamExt;
use psa_core::{
    ContactQuery, ErrorKind, Id, NewLineItem, NewTicket, Psa, TicketPatch, TicketQuery,
};
use psa_halo::HaloMock;

#[tokio::test]
async fn a_ticket_naming_only_its_team_maps_to_the_queue() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let raw = mock.record("tickets", 1025).unwrap();
    assert!(raw.get("team_id").is_none() && raw["team"].is_string());
    let t = c.get_ticket(&Id::from(1025)).await.unwrap();
    let q = t.queue.expect("the queue from the team's name");
    assert_eq!(q.name.as_deref(), raw["team"].as_str());
    assert!(q.id.require_int("team").unwrap() > 0);
    // Listings resolve it too, reading /Team once.
    let listed: Vec<_> = c
        .list_tickets(TicketQuery::any().limit(100))
        .try_collect()
        .await
        .unwrap();
    let again = listed.iter().find(|t| t.id == Id::from(1025)).unwrap();
    assert_eq!(again.queue.as_ref().unwrap().id, q.id);
    assert_eq!(mock.requests_to("GET", "/api/Team"), 1);
}

#[tokio::test]
async fn an_ignored_team_id_is_an_error_on_create_and_update() {
    let mock = HaloMock::builder().ignore_fields(["team_id"]).start().await;
    let c = mock.client();
    let e = c
        .create_ticket(NewTicket::new("Keyboard sticky", Id::from(13)).queue(Id::from(2)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    assert!(e.to_string().contains("team_id"), "{e}");
    let e = c
        .update_ticket(&Id::from(1001), TicketPatch::new().queue(Id::from(2)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    // Without the queue the same tenant is fine.
    c.update_ticket(&Id::from(1001), TicketPatch::new().priority(Id::from(2)))
        .await
        .unwrap();
    // And a Halo that honours team_id passes the check.
    let ok = HaloMock::start().await;
    let t = ok
        .client()
        .update_ticket(&Id::from(1001), TicketPatch::new().queue(Id::from(2)))
        .await
        .unwrap();
    assert_eq!(t.queue.unwrap().id, Id::from(2));
}

#[tokio::test]
async fn an_ignored_merge_or_item_issue_is_an_error() {
    let mock = HaloMock::builder()
        .ignore_fields(["merged_into_id", "new_items_issued"])
        .start()
        .await;
    let c = mock.client();
    let e = c
        .merge_tickets(&Id::from(1001), &[Id::from(1004)])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    assert!(e.to_string().contains("merged_into_id"), "{e}");
    let e = c
        .add_ticket_product(&Id::from(1001), NewLineItem::new(Id::from(8), 1.0))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    assert!(e.to_string().contains("new_items_issued"), "{e}");

    let ok = HaloMock::start().await;
    ok.client()
        .merge_tickets(&Id::from(1001), &[Id::from(1004)])
        .await
        .unwrap();
    assert_eq!(ok.record("tickets", 1004).unwrap()["merged_into_id"], 1001);
}

#[tokio::test]
async fn a_caller_number_matches_the_national_form_in_the_configured_country() {
    let mock = HaloMock::start().await;
    let mut user = psa_halo::User::new(31, "Nadia Ortiz");
    user.phonenumber = Some("(02) 9999 0000".to_owned());
    let stored = mock.client().users().create([user]).send().await.unwrap();
    let id = Id::from(stored[0].id.unwrap());
    let au = mock
        .client_builder()
        .phone_country(psa_core::phone::CountryCode::AU)
        .build()
        .unwrap();
    let found: Vec<_> = au
        .search_contacts(ContactQuery::phone("+61 2 9999 0000"))
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found, [id]);
    // In another country the national number is another number.
    let gb = mock
        .client_builder()
        .phone_country(psa_core::phone::CountryCode::GB)
        .build()
        .unwrap();
    let found: Vec<_> = gb
        .search_contacts(ContactQuery::phone("+61 2 9999 0000"))
        .try_collect()
        .await
        .unwrap();
    assert!(found.is_empty(), "{found:?}");
}

#[tokio::test]
async fn a_ticket_is_found_by_its_number() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    for n in ["1003", "#1003", " 1003 "] {
        let t = c.find_ticket_by_number(n).await.unwrap();
        assert_eq!(t.id, Id::from(1003), "{n}");
    }
    assert_eq!(mock.requests_to("GET", "/api/Tickets/1003"), 3);
    assert!(
        c.find_ticket_by_number("999999")
            .await
            .unwrap_err()
            .is_not_found()
    );
    let before = mock.request_count();
    for bad in ["INC0010001", "12 34", "", "-5"] {
        assert!(
            c.find_ticket_by_number(bad)
                .await
                .unwrap_err()
                .is_invalid_input(),
            "{bad}"
        );
    }
    assert_eq!(mock.request_count(), before);
    // The number filter of a listing.
    let listed: Vec<_> = c
        .list_tickets(TicketQuery::any().number("#1003"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, Id::from(1003));
}
