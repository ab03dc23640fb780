//! Ticket lifecycle through the uniform `Psa`: every `TicketPatch` field,
//! resolving (a Resolution note and a closed status of the board), and the
//! SLA timers read from ConnectWise's ticket fields.

use futures::TryStreamExt;
use psa_connectwise::ConnectWiseMock;
use psa_core::{Id, LookupScope, Psa, Resolution, TicketPatch};

fn id(n: i64) -> Id {
    Id::from(n)
}

#[tokio::test]
async fn contact_company_owner_and_subtype_are_set_and_cleared() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let t = psa
        .update_ticket(
            &id(1001),
            TicketPatch::new().company(id(11)).contact(id(204)),
        )
        .await
        .unwrap();
    assert_eq!(t.company.unwrap().id, id(11));
    assert_eq!(t.contact.unwrap().id, id(204));
    let stored = mock.ticket(1001).unwrap();
    assert_eq!(stored["company"]["id"], 11);

    let t = psa
        .update_ticket(
            &id(1001),
            TicketPatch::new()
                .clear_contact()
                .unassign()
                .clear_subtype(),
        )
        .await
        .unwrap();
    assert!(t.contact.is_none() && t.owner.is_none() && t.subtype.is_none());
    let stored = mock.ticket(1001).unwrap();
    assert!(stored["contact"].is_null() && stored["owner"].is_null());
}

#[tokio::test]
async fn description_is_the_first_discussion_note() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let discussion = |mock: &ConnectWiseMock, t: i64| -> Vec<String> {
        mock.notes_of(t)
            .into_iter()
            .filter(|n| n["detailDescriptionFlag"] == true)
            .map(|n| n["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    // each seeded ticket with a Discussion note: its first one changes in place
    let with_note = (1001..=1025)
        .find(|t| !discussion(&mock, *t).is_empty())
        .expect("a seeded ticket with a Discussion note");
    let before = discussion(&mock, with_note);
    psa.update_ticket(
        &id(with_note),
        TicketPatch::new().description("Printer needs a new fuser"),
    )
    .await
    .unwrap();
    let after = discussion(&mock, with_note);
    assert_eq!(after.len(), before.len(), "changed in place, not added");
    assert_eq!(after[0], "Printer needs a new fuser");

    // a ticket without one gets one
    let without = (1001..=1025)
        .find(|t| discussion(&mock, *t).is_empty())
        .expect("a seeded ticket without a Discussion note");
    psa.update_ticket(&id(without), TicketPatch::new().description("Fresh text"))
        .await
        .unwrap();
    assert_eq!(discussion(&mock, without), ["Fresh text"]);

    // blank text is refused before any request
    let sent = mock.request_count();
    let err = psa
        .update_ticket(&id(without), TicketPatch::new().description("   "))
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    assert_eq!(mock.request_count(), sent);
}

#[tokio::test]
async fn a_resolution_closes_with_a_resolution_note() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let open = psa.get_ticket(&id(1001)).await.unwrap();
    assert_eq!(open.closed, Some(false));

    // without a status: the board's first closed status
    let t = psa
        .update_ticket(
            &id(1001),
            TicketPatch::new().resolution(Resolution::new("Replaced the fuser")),
        )
        .await
        .unwrap();
    assert_eq!(t.closed, Some(true));
    let closed_statuses: Vec<_> = psa
        .list_statuses(LookupScope::queue(id(1)))
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.name.contains("Closed"))
        .map(|s| s.id)
        .collect();
    assert_eq!(closed_statuses, [t.status.clone().unwrap().id]);
    let notes = mock.notes_of(1001);
    let resolution = notes.iter().find(|n| n["resolutionFlag"] == true).unwrap();
    assert_eq!(resolution["text"], "Replaced the fuser");
    let sla = t.sla.unwrap();
    assert!(sla.resolved_at.is_some(), "{sla:?}");
}

#[tokio::test]
async fn a_resolution_is_checked_before_anything_is_written() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    // a code: ConnectWise has none — refused before any request
    let sent = mock.request_count();
    let err = psa
        .update_ticket(
            &id(1001),
            TicketPatch::new().resolution(Resolution::new("Fixed").code("Solved")),
        )
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    // blank notes: refused by the uniform check
    let err = psa
        .update_ticket(
            &id(1001),
            TicketPatch::new().resolution(Resolution::new(" \u{7} ")),
        )
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    assert_eq!(mock.request_count(), sent);

    // a status that is not closed: refused before any write
    let notes = mock.notes_of(1001).len();
    let err = psa
        .update_ticket(
            &id(1001),
            TicketPatch::new()
                .status(id(2))
                .resolution(Resolution::new("Fixed")),
        )
        .await
        .unwrap_err();
    assert!(
        err.is_invalid_input() && err.to_string().contains("closed"),
        "{err}"
    );
    assert_eq!(mock.api_requests_to("PATCH", "service/tickets/1001"), 0);
    assert_eq!(mock.notes_of(1001).len(), notes);
    assert_eq!(mock.ticket(1001).unwrap()["closedFlag"], false);

    // the board's closed status: accepted
    let t = psa
        .update_ticket(
            &id(1001),
            TicketPatch::new()
                .status(id(5))
                .resolution(Resolution::new("Fixed")),
        )
        .await
        .unwrap();
    assert_eq!(t.closed, Some(true));
    assert_eq!(mock.api_requests_to("PATCH", "service/tickets/1001"), 1);
}

#[tokio::test]
async fn sla_timers_come_from_the_ticket() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let tickets: Vec<_> = psa
        .list_tickets(psa_core::TicketQuery::any())
        .try_collect()
        .await
        .unwrap();
    for t in &tickets {
        let sla = t.sla.as_ref().expect("every seeded ticket has an SLA");
        assert_eq!(
            sla.sla.as_ref().unwrap().name.as_deref(),
            Some("Standard SLA")
        );
        assert!(sla.response_due.is_some() && sla.resolution_due.is_some());
        assert_eq!(sla.resolved_at.is_some(), t.closed == Some(true), "{t:?}");
        assert_eq!(sla.response_breached, Some(false));
    }
    assert!(
        tickets
            .iter()
            .any(|t| t.sla.as_ref().unwrap().responded_at.is_some())
    );
}
