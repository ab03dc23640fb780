//! Tickets, notes, the audit trail and paging, through `psa_core::Psa`,
//! against the simulator — for incidents and requested items.

// Helpers outside #[test] functions unwrap fixed test data, as the tests do
// (clippy.toml allows unwrap in tests but not in their helpers).
#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use psa_core::{Id, NewNote, NewTicket, NoteVisibility, Psa, Ref, TicketPatch, TicketQuery};
use psa_servicenow::mock::{ServiceNowMock, seed};
use psa_servicenow::{Client, TaskTable};

fn id(s: &str) -> Id {
    Id::text(s).unwrap()
}

fn inc(sys: &str) -> Id {
    id(&format!("incident:{sys}"))
}

fn ritm(sys: &str) -> Id {
    id(&format!("sc_req_item:{sys}"))
}

/// Requests to `path` with any method the client sends.
fn requests_to_any_method(mock: &ServiceNowMock, path: &str) -> u64 {
    ["GET", "POST", "PATCH", "PUT", "DELETE"]
        .iter()
        .map(|m| mock.requests_to(m, path))
        .sum()
}

async fn setup() -> (ServiceNowMock, Client) {
    let mock = ServiceNowMock::start().await;
    let client = mock
        .client_builder()
        .custom_fields(["u_contract_ref"])
        .build()
        .unwrap();
    (mock, client)
}

#[tokio::test]
async fn get_an_incident() {
    let (mock, client) = setup().await;
    let t = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(t.id, inc(seed::INC_PRINTER));
    assert_eq!(t.number.as_deref(), Some("INC0010001"));
    assert_eq!(t.summary, "Printer on the third floor is offline");
    assert_eq!(t.status, Some(Ref::named(Id::from(2), "In Progress")));
    assert_eq!(t.priority, Some(Ref::named(Id::from(3), "3 - Moderate")));
    assert_eq!(
        t.queue,
        Some(Ref::named(
            id(&format!("sys_user_group:{}", seed::SERVICE_DESK)),
            "Service Desk"
        ))
    );
    assert_eq!(t.ticket_type, Some(Ref::named(id("incident"), "Incident")));
    assert_eq!(t.subtype, Some(Ref::named(id("hardware"), "Hardware")));
    assert_eq!(
        t.company,
        Some(Ref::named(
            id(&format!("core_company:{}", seed::ACME)),
            "ACME North America"
        ))
    );
    assert_eq!(
        t.contact,
        Some(Ref::named(
            id(&format!("sys_user:{}", seed::ABEL_TUTER)),
            "Abel Tuter"
        ))
    );
    assert_eq!(
        t.owner,
        Some(Ref::named(
            id(&format!("sys_user:{}", seed::BETH_ANGLIN)),
            "Beth Anglin"
        ))
    );
    assert_eq!(t.closed, Some(false));
    assert_eq!(
        t.custom_fields.get_str("u_contract_ref"),
        Some("ACME-MSA-2026")
    );
    assert!(t.created_at.is_some() && t.updated_at.is_some());
    assert_eq!(t.raw["number"], "INC0010001");
    // A bare sys_id goes to the default table.
    let bare = client.get_ticket(&id(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(bare.id, t.id);
    // Only the mapped fields were asked for; choices were read once.
    assert_eq!(mock.requests_to("GET", "/api/now/table/sys_choice"), 1);
    assert_eq!(mock.unexpected_requests(), 0);
    assert_eq!(
        mock.cookie_requests(),
        0,
        "session cookies are never sent back"
    );
}

#[tokio::test]
async fn ticket_labels_are_read_again_once_the_choice_ttl_passes() {
    let mock = ServiceNowMock::start().await;
    let ttl = std::time::Duration::from_millis(400);
    let client = mock.client_builder().choice_cache_ttl(ttl).build().unwrap();
    let choices = || mock.requests_to("GET", "/api/now/table/sys_choice");
    let first = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    let again = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(choices(), 1, "the labels are kept within the TTL");
    assert_eq!(again.status, first.status);
    tokio::time::sleep(ttl + std::time::Duration::from_millis(100)).await;
    let later = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(choices(), 2, "expired labels are read again");
    assert_eq!(later.status, first.status);
    assert_eq!(later.priority, first.priority);
    assert_eq!(later.subtype, first.subtype);
    client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(choices(), 2, "and kept again");
}

#[tokio::test]
async fn get_a_requested_item() {
    let (_mock, client) = setup().await;
    let t = client.get_ticket(&ritm(seed::RITM_LAPTOP)).await.unwrap();
    assert_eq!(t.number.as_deref(), Some("RITM0010001"));
    // sc_req_item has no state choices of its own: the task table's apply.
    assert_eq!(t.status, Some(Ref::named(Id::from(2), "Work in Progress")));
    assert_eq!(
        t.contact.unwrap().id,
        id(&format!("sys_user:{}", seed::ABEL_TUTER))
    );
    assert_eq!(t.subtype, None, "requested items have no category");
    assert_eq!(t.ticket_type.unwrap().id, id("sc_req_item"));
    let closed = client.get_ticket(&ritm(seed::RITM_SOFTWARE)).await.unwrap();
    assert_eq!(closed.closed, Some(true));
}

#[tokio::test]
async fn bad_ids_are_refused_before_any_request() {
    let (mock, client) = setup().await;
    for bad in [
        Id::from(42),
        id("INC0010001"),
        id(&format!("sys_user:{}", seed::INC_PRINTER)),
        id(&format!("incident:{}", seed::INC_PRINTER.to_uppercase())),
        id("incident:../../sys_user"),
        id(&format!("task:{}", seed::INC_PRINTER)),
    ] {
        let e = client.get_ticket(&bad).await.unwrap_err();
        assert!(e.is_invalid_input(), "{bad:?}: {e}");
    }
    assert_eq!(mock.request_count(), 0);

    // Hidden by an ACL: a 404.
    let e = client.get_ticket(&inc(seed::INC_HIDDEN)).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(
        e.api_body().and_then(|b| b.message.as_deref()),
        Some("No Record found")
    );
}

#[tokio::test]
async fn a_listed_ticket_keeps_the_record_text_and_maps_as_a_get_does() {
    let (_mock, client) = setup().await;
    let listed: Vec<_> = client
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    let first = listed
        .iter()
        .find(|t| t.id == inc(seed::INC_PRINTER))
        .unwrap();
    let text = first.raw.json_text().expect("listing keeps the text");
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(value["sys_id"], seed::INC_PRINTER);
    assert_eq!(*first.raw, value, "raw reads as the text it keeps");

    let got = client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(first.summary, got.summary);
    assert_eq!(first.status, got.status);
    assert_eq!(first.priority, got.priority);
    assert_eq!(first.queue, got.queue);
    assert_eq!(first.company, got.company);
    assert_eq!(first.contact, got.contact);
    assert_eq!(first.subtype, got.subtype);
    assert_eq!(first.custom_fields, got.custom_fields);
    assert_eq!(*first.raw, *got.raw);
}

#[tokio::test]
async fn list_tickets_by_state_and_filters() {
    let (mock, client) = setup().await;
    let numbers =
        |v: Vec<psa_core::Ticket>| v.into_iter().filter_map(|t| t.number).collect::<Vec<_>>();

    let open = client
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        numbers(open),
        ["INC0010001", "INC0010002"],
        "resolved, closed, canceled and hidden are out"
    );
    let closed = client
        .list_tickets(TicketQuery::closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers(closed), ["INC0010004", "INC0010003", "INC0010006"]);
    let any: Vec<_> = client
        .list_tickets(TicketQuery::any())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(any.len(), 5);

    let q = TicketQuery::any()
        .company(id(&format!("core_company:{}", seed::ACME)))
        .queue(id(seed::SERVICE_DESK))
        .text("printer");
    let hits = client.list_tickets(q).try_collect().await.unwrap();
    assert_eq!(numbers(hits), ["INC0010001", "INC0010006"]);

    let q = TicketQuery::any()
        .priority(Id::from(2))
        .contact(id(seed::CARLA_REYES));
    let hits = client.list_tickets(q).try_collect().await.unwrap();
    assert_eq!(numbers(hits), ["INC0010002"]);

    let mut q = TicketQuery::open();
    q.ticket_type = Some(id("sc_req_item"));
    let ritms = client.list_tickets(q).try_collect().await.unwrap();
    assert_eq!(numbers(ritms), ["RITM0010001"]);
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn hostile_text_cannot_widen_a_ticket_query() {
    let (mock, client) = setup().await;
    for text in [
        "x^NQactive=false",
        "x^ORsys_id!=0",
        "a\nb",
        "javascript:gs.getUserID()",
    ] {
        let e = client
            .list_tickets(TicketQuery::open().text(text))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(e.is_invalid_input(), "{text:?}: {e}");
    }
    assert_eq!(requests_to_any_method(&mock, "/api/now/table/incident"), 0);
}

#[tokio::test]
async fn caller_text_reaches_the_instance_as_one_literal_value() {
    let (mock, client) = setup().await;
    // Punctuation that is harmless inside a value is sent as it is, and the
    // query the instance receives is exactly the builder's: one LIKE term
    // per searched field, nothing more.
    let text = "50% = ORDERBYnumber, LIKE 'x' OR \"y\" @home; ISEMPTY";
    let found: Vec<_> = client
        .list_tickets(TicketQuery::open().text(text))
        .try_collect()
        .await
        .unwrap();
    assert!(found.is_empty());
    let requests = mock.server().received_requests().await.unwrap();
    let sent = requests
        .iter()
        .rev()
        .find(|r| r.url.path() == "/api/now/table/incident")
        .unwrap();
    let query = sent
        .url
        .query_pairs()
        .find(|(k, _)| k == "sysparm_query")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert_eq!(
        query,
        format!(
            "active=true^state!=6\
             ^short_descriptionLIKE{text}^ORdescriptionLIKE{text}\
             ^ORDERBYsys_created_on^ORDERBYsys_id"
        )
    );
    // `^` is percent-encoded on the wire only where the builder wrote it.
    assert_eq!(sent.url.query().unwrap().matches("%5E").count(), 5);
}

#[tokio::test]
async fn paging_does_not_stop_on_a_short_page() {
    let mock = ServiceNowMock::builder()
        .generated_tickets(35)
        .start()
        .await;
    let client = mock.client_builder().page_size(10).build().unwrap();
    // Generated incidents list first, in creation order. Hide the whole
    // second page and the head of the third from the API user: the second
    // page comes back empty and the third short, yet more follow.
    let generated: Vec<String> = mock
        .records("incident")
        .into_iter()
        .filter(|r| {
            r["short_description"]
                .as_str()
                .is_some_and(|s| s.starts_with("Generated"))
        })
        .map(|r| r["sys_id"].as_str().unwrap().to_owned())
        .collect();
    for sys in &generated[10..21] {
        mock.hide_from_api(sys);
    }
    let before = mock.requests_to("GET", "/api/now/table/incident");
    let open: Vec<_> = client
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    // 35 generated + INC0010001 + INC0010002 (+ INC0010005, hidden) match;
    // 11 generated are hidden.
    assert_eq!(open.len(), 26);
    assert_eq!(open.last().unwrap().number.as_deref(), Some("INC0010002"));
    let pages = mock.requests_to("GET", "/api/now/table/incident") - before;
    assert_eq!(pages, 4, "38 matching records in pages of 10");

    // A limit asks for no more than needed.
    let before = mock.requests_to("GET", "/api/now/table/incident");
    let few: Vec<_> = client
        .list_tickets(TicketQuery::open().limit(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(few.len(), 3);
    assert_eq!(
        mock.requests_to("GET", "/api/now/table/incident") - before,
        1
    );
}

#[tokio::test]
async fn create_update_and_delete_tickets() {
    let (mock, client) = setup().await;
    let t = NewTicket::new(
        "Laptop will not boot",
        id(&format!("core_company:{}", seed::ACME)),
    )
    .description("Black screen after the BIOS logo")
    .contact(id(seed::BOW_RUGGERI))
    .queue(id(seed::HARDWARE))
    .priority(Id::from(2))
    .subtype(id("hardware"))
    .custom_field("u_contract_ref", "ACME-MSA-2026");
    let created = client.create_ticket(t).await.unwrap();
    assert_eq!(created.number.as_deref(), Some("INC0010007"));
    assert_eq!(
        created.priority,
        Some(Ref::named(Id::from(2), "2 - High")),
        "impact 1 × urgency 2"
    );
    assert_eq!(created.status, Some(Ref::named(Id::from(1), "New")));
    assert_eq!(
        created.custom_fields.get_str("u_contract_ref"),
        Some("ACME-MSA-2026")
    );
    let sys = created
        .id
        .to_string()
        .trim_start_matches("incident:")
        .to_owned();
    let stored = mock.record("incident", &sys).unwrap();
    assert_eq!(stored["caller_id"], seed::BOW_RUGGERI);
    assert_eq!(stored["impact"], "1");
    assert_eq!(
        stored["sys_created_by"],
        seed::INTEGRATION_USER,
        "writes are the integration user's"
    );

    let patch = TicketPatch::new()
        .status(Id::from(2))
        .owner(id(&format!("sys_user:{}", seed::DAVID_LOO)))
        .queue(id(seed::SERVICE_DESK))
        .summary("Laptop will not boot (BIOS)")
        .priority(Id::from(4));
    let updated = client.update_ticket(&created.id, patch).await.unwrap();
    assert_eq!(updated.status.unwrap().name.as_deref(), Some("In Progress"));
    assert_eq!(updated.owner.unwrap().name.as_deref(), Some("David Loo"));
    assert_eq!(updated.summary, "Laptop will not boot (BIOS)");
    assert_eq!(updated.priority.unwrap().id, Id::from(4));

    // A requested item: contact is requested_for, priority is set directly.
    let mut t = NewTicket::new("Second monitor", id(seed::ACME))
        .contact(id(seed::ABEL_TUTER))
        .priority(Id::from(3));
    t.ticket_type = Some(id("sc_req_item"));
    let r = client.create_ticket(t).await.unwrap();
    assert!(r.id.to_string().starts_with("sc_req_item:"));
    assert_eq!(r.number.as_deref(), Some("RITM0010003"));
    assert_eq!(r.priority.unwrap().id, Id::from(3));
    let bad = client
        .update_ticket(&r.id, TicketPatch::new().subtype(id("hardware")))
        .await
        .unwrap_err();
    assert!(
        bad.is_invalid_input(),
        "requested items have no category: {bad}"
    );
    let mut moved = TicketPatch::new();
    moved.ticket_type = Some(id("incident"));
    assert!(
        client
            .update_ticket(&r.id, moved)
            .await
            .unwrap_err()
            .is_invalid_input()
    );

    client.delete_ticket(&r.id).await.unwrap();
    assert!(client.get_ticket(&r.id).await.unwrap_err().is_not_found());
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn notes_are_journal_entries() {
    let (mock, client) = setup().await;
    let ticket = inc(seed::INC_PRINTER);
    let seeded: Vec<_> = client.list_notes(&ticket).try_collect().await.unwrap();
    assert_eq!(seeded.len(), 2);
    assert_eq!(seeded[0].visibility, NoteVisibility::Customer);
    assert_eq!(seeded[1].visibility, NoteVisibility::Internal);
    assert_eq!(
        seeded[1].author.as_ref().and_then(|a| a.name.as_deref()),
        Some("Beth Anglin")
    );
    assert_eq!(
        seeded[1].author.as_ref().map(|a| a.id.to_string()),
        Some(format!("sys_user:{}", seed::BETH_ANGLIN)),
        "the id list_agents returns"
    );
    assert!(seeded[0].id.to_string().starts_with("sys_journal_field:"));

    let internal = client
        .add_note(&ticket, NewNote::internal("Swapped the fuser"))
        .await
        .unwrap();
    assert_eq!(internal.visibility, NoteVisibility::Internal);
    assert!(
        internal.id.to_string().starts_with("sys_journal_field:"),
        "{}",
        internal.id
    );
    assert_eq!(
        internal.author.as_ref().map(|a| a.id.to_string()),
        Some(format!("sys_user:{}", seed::INTEGRATION_USER_ID))
    );
    let customer = client
        .add_note(&ticket, NewNote::customer("Fixed, please test"))
        .await
        .unwrap();
    assert_eq!(customer.visibility, NoteVisibility::Customer);
    // The record's journal fields read back empty.
    assert_eq!(
        mock.record("incident", seed::INC_PRINTER).unwrap()["work_notes"],
        ""
    );
    let all: Vec<_> = client.list_notes(&ticket).try_collect().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[2].body, "Swapped the fuser");
    assert_eq!(all[3].body, "Fixed, please test");

    // Resolution: close notes, resolved state, close code.
    let resolution = client
        .add_note(&ticket, NewNote::resolution("Replaced the fuser unit"))
        .await
        .unwrap();
    assert_eq!(resolution.visibility, NoteVisibility::Resolution);
    assert_eq!(
        resolution.id.to_string(),
        format!("incident:{}:close_notes", seed::INC_PRINTER)
    );
    let rec = mock.record("incident", seed::INC_PRINTER).unwrap();
    assert_eq!(rec["close_notes"], "Replaced the fuser unit");
    assert_eq!(rec["state"], "6");
    assert_eq!(rec["close_code"], "Solution provided");
    let t = client.get_ticket(&ticket).await.unwrap();
    assert_eq!(t.closed, Some(true), "a resolved incident counts as closed");
    assert!(t.closed_at.is_some());

    // On a requested item: Closed Complete.
    client
        .add_note(&ritm(seed::RITM_LAPTOP), NewNote::resolution("Delivered"))
        .await
        .unwrap();
    let rec = mock.record("sc_req_item", seed::RITM_LAPTOP).unwrap();
    assert_eq!(rec["state"], "3");
    assert_eq!(rec["active"], "false");
    let notes: Vec<_> = client
        .list_notes(&ritm(seed::RITM_LAPTOP))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 1);

    let e = client
        .add_note(&ticket, NewNote::internal("x").notify(true))
        .await
        .unwrap_err();
    assert!(e.is_invalid_input());
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn audit_trail_comes_from_sys_audit() {
    let (_mock, client) = setup().await;
    let ticket = inc(seed::INC_PRINTER);
    let before: Vec<_> = client
        .list_audit_trail(&ticket)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(before.len(), 3);
    assert_eq!(before[0].field.as_deref(), Some("state"));
    assert_eq!(before[0].old_value.as_deref(), Some("1"));
    assert_eq!(before[0].new_value.as_deref(), Some("2"));
    assert_eq!(before[0].actor.as_deref(), Some("beth.anglin"));
    assert_eq!(before[0].ticket, ticket);
    client
        .update_ticket(&ticket, TicketPatch::new().status(Id::from(3)))
        .await
        .unwrap();
    let after: Vec<_> = client
        .list_audit_trail(&ticket)
        .try_collect()
        .await
        .unwrap();
    let last = after
        .iter()
        .find(|a| a.field.as_deref() == Some("state") && a.new_value.as_deref() == Some("3"));
    assert_eq!(last.unwrap().actor.as_deref(), Some(seed::INTEGRATION_USER));
}

#[tokio::test]
async fn bundle_merge_and_their_limits() {
    let (mock, client) = setup().await;
    client
        .bundle_tickets(
            &inc(seed::INC_PRINTER),
            &[inc(seed::INC_CANCELED), id(seed::INC_VPN)],
        )
        .await
        .unwrap();
    assert_eq!(
        mock.record("incident", seed::INC_CANCELED).unwrap()["parent_incident"],
        seed::INC_PRINTER
    );
    assert_eq!(
        mock.record("incident", seed::INC_VPN).unwrap()["parent_incident"],
        seed::INC_PRINTER
    );
    let child = client.get_ticket(&inc(seed::INC_VPN)).await.unwrap();
    assert_eq!(child.parent, Some(inc(seed::INC_PRINTER)));

    let before = mock.request_count();
    let e = client
        .bundle_tickets(&ritm(seed::RITM_LAPTOP), &[ritm(seed::RITM_SOFTWARE)])
        .await
        .unwrap_err();
    assert!(e.is_unsupported(), "{e}");
    let e = client
        .bundle_tickets(&inc(seed::INC_PRINTER), &[inc(seed::INC_PRINTER)])
        .await
        .unwrap_err();
    assert!(e.is_invalid_input());
    let e = client
        .merge_tickets(&inc(seed::INC_PRINTER), &[inc(seed::INC_VPN)])
        .await
        .unwrap_err();
    assert!(e.is_unsupported());
    assert_eq!(
        Some(e.message()),
        client
            .capabilities()
            .reason(psa_core::Operation::MergeTickets)
    );
    assert_eq!(mock.request_count(), before, "refusals make no request");
}

#[tokio::test]
async fn a_guard_denial_makes_no_request() {
    use psa_permissions::{Guarded, Policy};
    let (mock, client) = setup().await;
    let guarded = Guarded::new(client, Policy::read_only());
    let before = mock.request_count();
    let e = guarded
        .update_ticket(
            &inc(seed::INC_PRINTER),
            TicketPatch::new().status(Id::from(6)),
        )
        .await
        .unwrap_err();
    assert!(e.is_permission_denied(), "{e}");
    let e = guarded
        .add_note(&inc(seed::INC_PRINTER), NewNote::internal("x"))
        .await
        .unwrap_err();
    assert!(e.is_permission_denied(), "{e}");
    let e = guarded
        .delete_ticket(&inc(seed::INC_PRINTER))
        .await
        .unwrap_err();
    assert!(e.is_permission_denied(), "{e}");
    assert_eq!(mock.request_count(), before, "denied calls send nothing");
    // Reads pass.
    guarded.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert!(mock.request_count() > before);
}

#[tokio::test]
async fn the_default_table_is_configurable() {
    let mock = ServiceNowMock::start().await;
    let client = mock
        .client_builder()
        .default_table(TaskTable::ScReqItem)
        .build()
        .unwrap();
    let t = client.get_ticket(&id(seed::RITM_LAPTOP)).await.unwrap();
    assert_eq!(t.id, ritm(seed::RITM_LAPTOP));
    let open: Vec<_> = client
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    assert!(
        open.iter()
            .all(|t| t.id.to_string().starts_with("sc_req_item:"))
    );
    let only_incidents = mock
        .client_builder()
        .tables([TaskTable::Incident])
        .build()
        .unwrap();
    assert!(
        only_incidents
            .get_ticket(&ritm(seed::RITM_LAPTOP))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn a_requested_item_through_every_ticket_operation() {
    use psa_core::{NewTimeEntry, TimeEntryQuery};
    let (mock, client) = setup().await;
    let item = ritm(seed::RITM_LAPTOP);

    // Read and list.
    let t = client.get_ticket(&item).await.unwrap();
    assert_eq!(t.number.as_deref(), Some("RITM0010001"));
    let mut q = TicketQuery::open();
    q.ticket_type = Some(id("sc_req_item"));
    let listed: Vec<_> = client.list_tickets(q).try_collect().await.unwrap();
    assert!(listed.iter().any(|t| t.id == item));

    // Triage: status, owner, queue, priority, summary.
    let updated = client
        .update_ticket(
            &item,
            TicketPatch::new()
                .status(Id::from(1))
                .owner(id(seed::DAVID_LOO))
                .queue(id(seed::HARDWARE))
                .priority(Id::from(2))
                .summary("Laptop for the new starter (rush)"),
        )
        .await
        .unwrap();
    assert_eq!(updated.status.unwrap().id, Id::from(1));
    assert_eq!(updated.owner.unwrap().name.as_deref(), Some("David Loo"));
    assert_eq!(
        updated.queue.unwrap().id,
        id(&format!("sys_user_group:{}", seed::HARDWARE))
    );
    assert_eq!(updated.priority.unwrap().id, Id::from(2));
    assert_eq!(updated.summary, "Laptop for the new starter (rush)");
    let stored = mock.record("sc_req_item", seed::RITM_LAPTOP).unwrap();
    assert_eq!(stored["assigned_to"], seed::DAVID_LOO);

    // Notes: internal and customer journal entries, read back in order.
    let before: Vec<_> = client.list_notes(&item).try_collect().await.unwrap();
    let internal = client
        .add_note(&item, NewNote::internal("Imaging the laptop"))
        .await
        .unwrap();
    assert_eq!(internal.visibility, NoteVisibility::Internal);
    assert!(internal.id.to_string().starts_with("sys_journal_field:"));
    let customer = client
        .add_note(&item, NewNote::customer("Ready for pickup tomorrow"))
        .await
        .unwrap();
    assert_eq!(customer.visibility, NoteVisibility::Customer);
    let after: Vec<_> = client.list_notes(&item).try_collect().await.unwrap();
    assert_eq!(after.len(), before.len() + 2);
    assert_eq!(after[after.len() - 2].body, "Imaging the laptop");
    assert_eq!(after[after.len() - 1].body, "Ready for pickup tomorrow");
    assert_eq!(
        mock.record("sc_req_item", seed::RITM_LAPTOP).unwrap()["comments"],
        "",
        "journal fields read back empty"
    );

    // The audit trail records the triage.
    let audit: Vec<_> = client.list_audit_trail(&item).try_collect().await.unwrap();
    assert!(
        audit.iter().any(|a| a.field.as_deref() == Some("state")
            && a.old_value.as_deref() == Some("2")
            && a.new_value.as_deref() == Some("1")
            && a.actor.as_deref() == Some(seed::INTEGRATION_USER)),
        "{audit:?}"
    );

    // Time on the item.
    let start = chrono::Utc::now();
    let logged = client
        .create_time_entry(
            NewTimeEntry::new(item.clone(), start, std::time::Duration::from_secs(1200))
                .note("Imaging"),
        )
        .await
        .unwrap();
    assert_eq!(logged.ticket.as_ref(), Some(&item));
    let times: Vec<_> = client
        .list_time_entries(TimeEntryQuery::ticket(item.clone()))
        .try_collect()
        .await
        .unwrap();
    assert!(times.iter().any(|e| e.id == logged.id));

    // What requested items cannot do, refused before any request.
    let sent = mock.request_count();
    assert!(
        client
            .merge_tickets(&item, &[ritm(seed::RITM_SOFTWARE)])
            .await
            .unwrap_err()
            .is_unsupported()
    );
    assert!(
        client
            .bundle_tickets(&item, &[ritm(seed::RITM_SOFTWARE)])
            .await
            .unwrap_err()
            .is_unsupported()
    );
    assert_eq!(mock.request_count(), sent);

    // Resolution, then delete.
    let resolved = client
        .add_note(&item, NewNote::resolution("Delivered to the starter"))
        .await
        .unwrap();
    assert_eq!(resolved.visibility, NoteVisibility::Resolution);
    assert_eq!(client.get_ticket(&item).await.unwrap().closed, Some(true));
    client.delete_ticket(&item).await.unwrap();
    assert!(client.get_ticket(&item).await.unwrap_err().is_not_found());
    assert_eq!(mock.unexpected_requests(), 0);
}
