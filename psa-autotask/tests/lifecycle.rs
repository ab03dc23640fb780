//! Ticket lifecycle through the uniform patch: description, contact,
//! company, unassigning, clearing the subtype, resolving; scoped look-ups.

use psa_autotask::mock::AutotaskMock;
use psa_core::{ErrorKind, Id, LookupScope, Psa, Resolution, TicketPatch};

#[tokio::test]
async fn every_patch_field_reaches_autotask() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let id = Id::from(1001);

    let t = c
        .update_ticket(
            &id,
            TicketPatch::new()
                .description("Toner low; printer offline again")
                .contact(Id::from(30_683_002)),
        )
        .await
        .unwrap();
    assert_eq!(
        t.description.as_deref(),
        Some("Toner low; printer offline again")
    );
    assert_eq!(
        t.contact.as_ref().map(|r| r.id.clone()),
        Some(Id::from(30_683_002))
    );

    let t = c
        .update_ticket(
            &id,
            TicketPatch::new()
                .clear_contact()
                .unassign()
                .clear_subtype(),
        )
        .await
        .unwrap();
    assert!(t.contact.is_none() && t.owner.is_none() && t.subtype.is_none());
    let rec = mock.record("Tickets", 1001).unwrap();
    assert!(rec["contactID"].is_null());
    assert!(rec["assignedResourceID"].is_null() && rec["assignedResourceRoleID"].is_null());
    assert!(rec["issueType"].is_null() && rec["subIssueType"].is_null());

    // Another company, then a contact of that company.
    let t = c
        .update_ticket(&id, TicketPatch::new().company(Id::from(175)))
        .await
        .unwrap();
    assert_eq!(
        t.company.as_ref().map(|r| r.id.clone()),
        Some(Id::from(175))
    );
    let wrong = c
        .update_ticket(&id, TicketPatch::new().contact(Id::from(30_683_001)))
        .await
        .unwrap_err();
    assert!(wrong.message().contains("does not belong"), "{wrong}");
    c.update_ticket(&id, TicketPatch::new().contact(Id::from(30_683_003)))
        .await
        .unwrap();

    // Resolve: the resolution text lands in `resolution`, the ticket is complete.
    let t = c
        .update_ticket(
            &id,
            TicketPatch::new()
                .status(Id::from(5))
                .resolution(Resolution::new("Replaced the toner cartridge.")),
        )
        .await
        .unwrap();
    assert_eq!(t.closed, Some(true));
    assert_eq!(
        mock.record("Tickets", 1001).unwrap()["resolution"],
        "Replaced the toner cartridge."
    );
}

#[tokio::test]
async fn refusals_come_before_any_request() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let id = Id::from(1002);
    c.get_ticket(&id).await.unwrap();
    let before = mock.request_count();

    let coded = c
        .update_ticket(
            &id,
            TicketPatch::new()
                .status(Id::from(5))
                .resolution(Resolution::new("Fixed.").code("Solved (Permanently)")),
        )
        .await
        .unwrap_err();
    assert_eq!(coded.kind(), ErrorKind::InvalidInput);
    assert!(coded.message().contains("resolution code"));

    let long = c
        .update_ticket(&id, TicketPatch::new().description("x".repeat(8001)))
        .await
        .unwrap_err();
    assert_eq!(long.kind(), ErrorKind::InvalidInput);
    let blank = c
        .update_ticket(
            &id,
            TicketPatch::new().resolution(Resolution::new("\u{7}\u{0}")),
        )
        .await
        .unwrap_err();
    assert_eq!(blank.kind(), ErrorKind::InvalidInput);
    assert_eq!(mock.request_count(), before);
}

#[tokio::test]
async fn statuses_and_types_take_a_scope() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let all = c.list_statuses(LookupScope::all()).await.unwrap();
    let queued = c
        .list_statuses(LookupScope::queue(Id::from(29_682_833)))
        .await
        .unwrap();
    // Autotask's standard statuses have no parent field: every status is in every queue.
    assert_eq!(all, queued);
    assert!(
        all.iter()
            .any(|s| s.name == "Complete" && s.closed == Some(true))
    );
    let bad = c
        .list_statuses(LookupScope::queue(Id::text("triage").unwrap()))
        .await
        .unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
    let types = c
        .list_ticket_types(LookupScope::queue(Id::from(29_682_833)))
        .await
        .unwrap();
    assert_eq!(types.len(), 5);
}
