//! The ticket lifecycle through `psa_core::Psa`: every `TicketPatch` field,
//! resolving with ServiceNow's mandatory resolution code and notes, and
//! statuses per ticket type.

#![allow(clippy::unwrap_used)]

use psa_core::{Id, LookupScope, Psa, Resolution, TicketPatch};
use psa_servicenow::mock::{ServiceNowMock, seed};

fn id(s: &str) -> Id {
    Id::text(s).unwrap()
}

fn inc(sys: &str) -> Id {
    id(&format!("incident:{sys}"))
}

#[tokio::test]
async fn every_patch_field_is_written() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let ticket = inc(seed::INC_PRINTER);
    let patch = TicketPatch::new()
        .description("The spooler crashes at start")
        .company(id(&format!("core_company:{}", seed::GLOBEX)))
        .contact(id(&format!("sys_user:{}", seed::CARLA_REYES)));
    let t = client.update_ticket(&ticket, patch).await.unwrap();
    assert_eq!(
        t.description.as_deref(),
        Some("The spooler crashes at start")
    );
    assert_eq!(
        t.company.unwrap().id,
        id(&format!("core_company:{}", seed::GLOBEX))
    );
    assert_eq!(
        t.contact.unwrap().id,
        id(&format!("sys_user:{}", seed::CARLA_REYES))
    );
    let rec = mock.record("incident", seed::INC_PRINTER).unwrap();
    assert_eq!(rec["caller_id"], seed::CARLA_REYES);
    assert_eq!(rec["company"], seed::GLOBEX);

    // Clearing: the contact and the owner (unassigned).
    let t = client
        .update_ticket(&ticket, TicketPatch::new().clear_contact().unassign())
        .await
        .unwrap();
    assert_eq!(t.contact, None);
    assert_eq!(t.owner, None);
    let rec = mock.record("incident", seed::INC_PRINTER).unwrap();
    assert_eq!(rec["caller_id"], "");
    assert_eq!(rec["assigned_to"], "");

    // The category is a choice field: ServiceNow does not clear it.
    let before = mock.request_count();
    let e = client
        .update_ticket(&ticket, TicketPatch::new().clear_subtype())
        .await
        .unwrap_err();
    assert!(e.is_unsupported(), "{e}");
    assert_eq!(mock.request_count(), before, "refused before any request");
}

#[tokio::test]
async fn resolving_needs_a_code_and_notes_before_any_request() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let ticket = inc(seed::INC_PRINTER);
    // Warm the token so that the counts below are the patch's only.
    client.get_ticket(&ticket).await.unwrap();
    let before = mock.request_count();
    for patch in [
        TicketPatch::new().status(Id::from(6)),
        TicketPatch::new()
            .status(Id::from(6))
            .resolution(Resolution::new("Replaced the fuser")),
        TicketPatch::new().status(Id::from(7)),
    ] {
        let e = client.update_ticket(&ticket, patch).await.unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
        assert!(e.to_string().contains("close_code"), "{e}");
    }
    assert_eq!(mock.request_count(), before, "no request was sent");

    let t = client
        .update_ticket(
            &ticket,
            TicketPatch::new()
                .status(Id::from(6))
                .resolution(Resolution::new("Replaced the fuser").code("Solution provided")),
        )
        .await
        .unwrap();
    assert_eq!(t.status.unwrap().id, Id::from(6));
    assert_eq!(t.closed, Some(true));
    let rec = mock.record("incident", seed::INC_PRINTER).unwrap();
    assert_eq!(rec["close_code"], "Solution provided");
    assert_eq!(rec["close_notes"], "Replaced the fuser");
    assert_eq!(rec["state"], "6");

    // Requested items have no close_code column.
    let ritm = id(&format!("sc_req_item:{}", seed::RITM_LAPTOP));
    let e = client
        .update_ticket(
            &ritm,
            TicketPatch::new().resolution(Resolution::new("Delivered").code("Done")),
        )
        .await
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
}

#[tokio::test]
async fn the_simulator_refuses_a_resolve_without_the_fields_as_a_data_policy() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let e = client
        .table("incident")
        .update(seed::INC_VPN, serde_json::json!({"state": "6"}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(403), "{e}");
    assert!(
        e.to_string().contains("Data Policy Exception")
            || format!("{:?}", e.raw_body()).contains("Data Policy Exception"),
        "{e}"
    );
    let rec = mock.record("incident", seed::INC_VPN).unwrap();
    assert_ne!(rec["state"], "6", "the refused save changed nothing");
}

#[tokio::test]
async fn statuses_follow_the_ticket_type() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let incident = client.list_statuses(LookupScope::all()).await.unwrap();
    assert!(
        incident.iter().any(|s| s.name == "Resolved"),
        "{incident:?}"
    );
    let ritm = client
        .list_statuses(LookupScope::ticket_type(id("sc_req_item")))
        .await
        .unwrap();
    assert!(!ritm.iter().any(|s| s.name == "Resolved"), "{ritm:?}");
    assert_ne!(incident, ritm);
}

#[tokio::test]
async fn sla_timers_come_from_task_sla() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let t = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    let sla = t.sla.expect("the printer incident has SLA timers");
    assert_eq!(
        sla.sla.as_ref().and_then(|s| s.name.as_deref()),
        Some("Priority 2 resolution (8 hour)")
    );
    assert!(sla.response_due.is_some());
    assert!(sla.responded_at.is_some());
    assert_eq!(sla.response_breached, Some(true));
    assert!(sla.resolution_due.is_some());
    assert_eq!(sla.resolved_at, None);
    assert_eq!(sla.resolution_breached, Some(false));
    assert_eq!(sla.paused, Some(false));

    // The paused clock of the VPN incident.
    let vpn = client.get_ticket(&inc(seed::INC_VPN)).await.unwrap();
    assert_eq!(vpn.sla.as_ref().unwrap().paused, Some(true));
    // Listings stay one request per page: no timers there.
    let before = mock.requests_to("GET", "/api/now/table/task_sla");
    let listed: Vec<_> =
        futures::TryStreamExt::try_collect(client.list_tickets(psa_core::TicketQuery::open()))
            .await
            .unwrap();
    assert!(listed.iter().all(|t| t.sla.is_none()));
    assert_eq!(mock.requests_to("GET", "/api/now/table/task_sla"), before);
}
