//! Ticket lifecycle against the simulator: every `TicketPatch` field,
//! clearing fields, resolving, statuses per ticket type, SLA timers.

use chrono::{TimeZone, Utc};
use psa_core::{Id, LookupScope, Psa, Resolution, TicketPatch};
use psa_halo::HaloMock;

#[tokio::test]
async fn a_patch_writes_description_contact_company_and_clears() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    // 1002 has an owner (agent 2), a contact (141) and client 12.
    let t = c
        .update_ticket(
            &Id::from(1002),
            TicketPatch::new()
                .description("Laptop ordered; accounts next")
                .company(Id::from(13))
                .contact(Id::from(150)),
        )
        .await
        .unwrap();
    assert_eq!(
        t.description.as_deref(),
        Some("Laptop ordered; accounts next")
    );
    assert_eq!(t.company.as_ref().unwrap().id, Id::from(13));
    assert_eq!(t.contact.as_ref().unwrap().id, Id::from(150));
    let stored = mock.record("tickets", 1002).unwrap();
    assert_eq!(stored["client_id"], 13);
    assert_eq!(stored["site_id"], 33, "the new client's main site");

    let t = c
        .update_ticket(
            &Id::from(1002),
            TicketPatch::new()
                .unassign()
                .clear_contact()
                .clear_subtype(),
        )
        .await
        .unwrap();
    assert_eq!(t.owner, None);
    assert_eq!(t.contact, None);
    assert_eq!(t.subtype, None);
    let stored = mock.record("tickets", 1002).unwrap();
    assert_eq!(stored["agent_id"], 0);
    assert_eq!(stored["user_id"], 0);
    assert_eq!(stored["categoryid_1"], 0);
}

#[tokio::test]
async fn a_resolution_closes_with_a_resolution_action() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let t = c
        .update_ticket(
            &Id::from(1001),
            TicketPatch::new()
                .status(Id::from(9))
                .resolution(Resolution::new("Restarted the spooler")),
        )
        .await
        .unwrap();
    assert_eq!(t.closed, Some(true));
    assert_eq!(t.status.as_ref().unwrap().id, Id::from(9));
    assert!(t.closed_at.is_some());
    let a = mock.action(1001, 2).expect("the resolution action");
    assert_eq!(a["outcome"], "Resolution");
    assert_eq!(a["note"], "Restarted the spooler");
    assert_eq!(a["new_status"], 9);
}

#[tokio::test]
async fn a_resolution_without_a_closed_status_or_with_a_code_is_refused_before_any_request() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let before = mock.request_count();
    for patch in [
        TicketPatch::new().resolution(Resolution::new("done")),
        TicketPatch::new()
            .status(Id::from(2))
            .resolution(Resolution::new("done")),
        TicketPatch::new()
            .status(Id::from(9))
            .resolution(Resolution::new("done").code("Solved")),
    ] {
        let e = c.update_ticket(&Id::from(1001), patch).await.unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
    }
    assert_eq!(mock.request_count(), before);
}

#[tokio::test]
async fn the_simulator_refuses_a_closing_action_without_a_note_as_halo_does() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let mut a = psa_halo::Action::new(1001, "  ");
    a.new_status = Some(9);
    let e = c.actions().create([a]).send().await.unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(400), "{e}");
    assert!(e.to_string().contains("note"), "{e}");
}

#[tokio::test]
async fn statuses_follow_the_ticket_type() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let all = c.list_statuses(LookupScope::all()).await.unwrap();
    let project = c
        .list_statuses(LookupScope::ticket_type(Id::from(5)))
        .await
        .unwrap();
    assert!(all.len() > project.len());
    let ids: Vec<_> = project.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids, [Id::from(1), Id::from(2), Id::from(9)]);
    assert_eq!(project[2].closed, Some(true));
}

#[tokio::test]
async fn sla_timers_come_from_halos_fields() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let t = c.get_ticket(&Id::from(1001)).await.unwrap();
    let sla = t.sla.expect("seeded tickets carry SLA timers");
    assert_eq!(sla.sla.as_ref().unwrap().id, Id::from(1));
    assert_eq!(
        sla.response_due,
        Some(Utc.with_ymd_and_hms(2025, 3, 1, 2, 15, 0).unwrap())
    );
    assert_eq!(
        sla.responded_at,
        Some(Utc.with_ymd_and_hms(2025, 3, 1, 1, 45, 0).unwrap())
    );
    assert_eq!(sla.response_breached, Some(false));
    assert_eq!(sla.resolution_breached, Some(false));
    assert_eq!(sla.paused, Some(false));
    assert!(sla.resolution_due.is_some());
    // The fifth seeded ticket missed its response target.
    let late = c.get_ticket(&Id::from(1005)).await.unwrap().sla.unwrap();
    assert_eq!(late.response_breached, Some(true));
    assert!(late.is_breached_at(Utc::now()));
}
