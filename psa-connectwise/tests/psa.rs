//! Every uniform `Psa` operation against the simulator.

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use psa_connectwise::ConnectWiseMock;
use psa_core::{
    AgreementQuery, CompanyQuery, ConfigurationPatch, ConfigurationQuery, ContactPatch,
    ContactQuery, Id, KbQuery, LookupScope, NewConfiguration, NewContact, NewLineItem, NewNote,
    NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, NoteVisibility, Operation, ProductQuery,
    ProjectQuery, Psa, RawRequest, ScheduleEntryPatch, ScheduleQuery, TicketEventKind, TicketPatch,
    TicketQuery, TimeEntryPatch, TimeEntryQuery,
};
use std::time::Duration;

fn id(n: i64) -> Id {
    Id::from(n)
}

#[tokio::test]
async fn tickets_read_filter_and_page() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let t = psa.get_ticket(&id(1001)).await.unwrap();
    assert_eq!(t.summary, "Printer offline on 3rd floor");
    assert_eq!(
        t.queue.as_ref().unwrap().name.as_deref(),
        Some("Service Desk")
    );
    assert_eq!(t.company.as_ref().unwrap().id, id(10));
    assert_eq!(t.closed, Some(false));
    assert!(t.custom_fields.get("Story Points").is_some());
    assert!(t.created_at.is_some() && t.raw["_info"].is_object());

    let open: Vec<_> = psa
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    let all: Vec<_> = psa
        .list_tickets(TicketQuery::any())
        .try_collect()
        .await
        .unwrap();
    let closed: Vec<_> = psa
        .list_tickets(TicketQuery::closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    assert_eq!(open.len() + closed.len(), 25);
    assert!(closed.iter().all(|t| t.closed == Some(true)));

    let acme: Vec<_> = psa
        .list_tickets(TicketQuery::any().company(10).text("printer"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        acme.len(),
        3,
        "{:?}",
        acme.iter().map(|t| &t.summary).collect::<Vec<_>>()
    );
    let limited: Vec<_> = psa
        .list_tickets(TicketQuery::any().limit(4))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(limited.len(), 4);

    let missing = psa.get_ticket(&id(999_999)).await.unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
    assert_eq!(missing.http_status().map(|s| s.as_u16()), Some(404));
    let bad = psa.get_ticket(&Id::text("abc").unwrap()).await.unwrap_err();
    assert!(bad.is_invalid_input());
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn create_update_merge_bundle_delete() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let t = psa
        .create_ticket(
            NewTicket::new("Laptop will not charge", 10)
                .contact(201)
                .priority(2)
                .description("Charger light is off")
                .custom_field("Story Points", 3),
        )
        .await
        .unwrap();
    let tid = t.id.as_i64().unwrap();
    assert_eq!(t.queue.as_ref().unwrap().id, id(1), "default board");
    assert_eq!(t.status.as_ref().unwrap().name.as_deref(), Some("New"));
    assert_eq!(
        t.custom_fields.get("Story Points"),
        Some(&serde_json::json!(3))
    );
    let notes = mock.notes_of(tid);
    assert_eq!(notes.len(), 1, "initialDescription became the first note");
    assert_eq!(notes[0]["detailDescriptionFlag"], true);

    let updated = psa
        .update_ticket(
            &t.id,
            TicketPatch::new()
                .status(2)
                .priority(1)
                .owner(102)
                .summary("Laptop will not charge (USB-C)")
                .custom_field("Root Cause", "Cable"),
        )
        .await
        .unwrap();
    assert_eq!(
        updated.status.as_ref().unwrap().name.as_deref(),
        Some("In Progress")
    );
    assert_eq!(updated.owner.as_ref().unwrap().id, id(102));
    assert_eq!(updated.custom_fields.get_str("Root Cause"), Some("Cable"));
    // a status of another board is refused by ConnectWise
    let err = psa
        .update_ticket(&t.id, TicketPatch::new().status(7))
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.field_errors()[0].field.as_deref(), Some("status"));
    let err = psa
        .update_ticket(&t.id, TicketPatch::new().custom_field("Nope", 1))
        .await
        .unwrap_err();
    assert!(err.is_invalid_input());

    // merge two tickets (boards 1 and 2) into the new one
    psa.merge_tickets(&t.id, &[id(1020), id(1010)])
        .await
        .unwrap();
    for child in [1020, 1010] {
        let c = mock.ticket(child).unwrap();
        assert_eq!(c["mergedParentTicket"]["id"], tid);
        assert_eq!(c["closedFlag"], true);
    }
    assert_eq!(mock.ticket(tid).unwrap()["hasMergedChildTicketFlag"], true);
    let merged = psa.get_ticket(&id(1020)).await.unwrap();
    assert_eq!(merged.merged_into, Some(t.id.clone()));
    assert!(
        psa.merge_tickets(&t.id, std::slice::from_ref(&t.id))
            .await
            .unwrap_err()
            .is_invalid_input()
    );

    // bundle
    psa.bundle_tickets(&id(1001), &[id(1014), id(1002)])
        .await
        .unwrap();
    let child = psa.get_ticket(&id(1014)).await.unwrap();
    assert_eq!(child.parent, Some(id(1001)));
    assert_eq!(mock.ticket(1001).unwrap()["hasChildTicket"], true);

    // audit trail records the changes
    let audit: Vec<_> = psa.list_audit_trail(&t.id).try_collect().await.unwrap();
    assert!(audit.iter().any(|a| {
        a.description
            .as_deref()
            .is_some_and(|d| d.contains("Status changed from \"New\" to \"In Progress\""))
    }));
    assert!(audit.iter().all(|a| a.ticket == t.id && a.at.is_some()));

    psa.delete_ticket(&t.id).await.unwrap();
    assert!(psa.get_ticket(&t.id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn notes_by_visibility() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let before: Vec<_> = psa.list_notes(&id(1003)).try_collect().await.unwrap();
    let internal = psa
        .add_note(&id(1003), NewNote::internal("Checked the spooler"))
        .await
        .unwrap();
    assert_eq!(internal.visibility, NoteVisibility::Internal);
    let customer = psa
        .add_note(&id(1003), NewNote::customer("On our way").notify(true))
        .await
        .unwrap();
    assert_eq!(customer.visibility, NoteVisibility::Customer);
    let resolution = psa
        .add_note(&id(1003), NewNote::resolution("Replaced the fuser"))
        .await
        .unwrap();
    assert_eq!(resolution.visibility, NoteVisibility::Resolution);
    let stored = mock.notes_of(1003);
    let last = stored.iter().find(|n| n["text"] == "On our way").unwrap();
    assert_eq!(last["detailDescriptionFlag"], true);
    assert_eq!(last["processNotifications"], true);
    let after: Vec<_> = psa.list_notes(&id(1003)).try_collect().await.unwrap();
    assert_eq!(after.len(), before.len() + 3);
    assert!(after.windows(2).all(|w| w[0].id <= w[1].id), "oldest first");
    assert!(
        psa.add_note(&id(1003), NewNote::internal("  "))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn time_entries_charge_tickets() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client_builder().time_member(103).build().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 3, 10, 14, 0, 0).unwrap();
    let e = psa
        .create_time_entry(
            NewTimeEntry::new(1001, start, Duration::from_secs(45 * 60))
                .billable(false)
                .work_type(2)
                .note("Replaced toner"),
        )
        .await
        .unwrap();
    assert_eq!(e.ticket, Some(id(1001)));
    assert_eq!(e.agent.as_ref().unwrap().id, id(103));
    assert_eq!(e.duration, Some(Duration::from_secs(45 * 60)));
    assert_eq!(e.billable, Some(false));
    let stored = &mock.time_entries_of(1001);
    assert!(
        stored
            .iter()
            .any(|t| t["chargeToType"] == "ServiceTicket"
                && t["timeStart"] == "2026-03-10T14:00:00Z")
    );

    let on_ticket: Vec<_> = psa
        .list_time_entries(TimeEntryQuery::ticket(1001))
        .try_collect()
        .await
        .unwrap();
    assert!(on_ticket.iter().any(|t| t.id == e.id));
    let by_agent: Vec<_> = psa
        .list_time_entries(
            TimeEntryQuery::agent(103).and_between(start, start + chrono::Duration::hours(1)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_agent.len(), 1);

    let u = psa
        .update_time_entry(
            &e.id,
            TimeEntryPatch::new()
                .duration(Duration::from_secs(3600))
                .billable(true),
        )
        .await
        .unwrap();
    assert_eq!(u.end, Some(start + chrono::Duration::hours(1)));
    assert_eq!(u.billable, Some(true));
    psa.delete_time_entry(&e.id).await.unwrap();
    assert!(
        psa.list_time_entries(TimeEntryQuery::default())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn companies_and_contacts() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let c = psa.get_company(&id(10)).await.unwrap();
    assert_eq!(c.identifier.as_deref(), Some("Acme"));
    assert_eq!(c.custom_fields.get_str("Account Manager"), Some("Jane Doe"));
    let found: Vec<_> = psa
        .search_companies(CompanyQuery::name("glob"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let active: Vec<_> = psa
        .search_companies(CompanyQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 6, "the inactive company is left out");
    let every: Vec<_> = psa
        .search_companies(CompanyQuery::all().include_inactive())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(every.len(), 7);

    let ct = psa.get_contact(&id(201)).await.unwrap();
    assert_eq!(ct.email.as_deref(), Some("wile.coyote@acme.example"));
    assert_eq!(ct.phone.as_deref(), Some("5552010111"));
    assert_eq!(ct.mobile.as_deref(), Some("5553010111"));
    let by_email: Vec<_> = psa
        .search_contacts(ContactQuery::email("HANK@globex.example"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_email.len(), 1);
    assert_eq!(by_email[0].id, id(204));
    let by_phone: Vec<_> = psa
        .search_contacts(ContactQuery::phone("+61 2 9999 0000"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_phone.len(), 1);
    assert_eq!(by_phone[0].id, id(209));
    let by_name: Vec<_> = psa
        .search_contacts(ContactQuery::name("Marvin O'Brien"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_name.len(), 1);
    let in_company: Vec<_> = psa
        .search_contacts(ContactQuery::company(12))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(in_company.len(), 2);

    let new = psa
        .create_contact(
            NewContact::new(11, "Lisa")
                .last_name("Simpson")
                .email("lisa@globex.example")
                .phone("5552010299"),
        )
        .await
        .unwrap();
    assert_eq!(new.email.as_deref(), Some("lisa@globex.example"));
    assert_eq!(new.phone.as_deref(), Some("5552010299"));
    let upd = psa
        .update_contact(
            &new.id,
            ContactPatch::new()
                .email("lisa.s@globex.example")
                .last_name("S."),
        )
        .await
        .unwrap();
    assert_eq!(upd.email.as_deref(), Some("lisa.s@globex.example"));
    assert_eq!(upd.last_name.as_deref(), Some("S."));
    let again: Vec<_> = psa
        .search_contacts(ContactQuery::email("lisa.s@globex.example"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
}

#[tokio::test]
async fn configurations() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let c = psa.get_configuration(&id(801)).await.unwrap();
    assert_eq!(c.serial_number.as_deref(), Some("CNB3K1234"));
    let umbrella: Vec<_> = psa
        .list_configurations(ConfigurationQuery::company(13))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(umbrella.len(), 1, "the inactive UPS is left out");
    let all: Vec<_> = psa
        .list_configurations(ConfigurationQuery::company(13).include_inactive())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(
        psa.create_configuration(NewConfiguration::new(10, "No type"))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    let new = psa
        .create_configuration(
            NewConfiguration::new(10, "ACME-LT-0099")
                .configuration_type(2)
                .serial_number("SN-99")
                .custom_field("Warranty Contract", "CP-1"),
        )
        .await
        .unwrap();
    assert_eq!(new.custom_fields.get_str("Warranty Contract"), Some("CP-1"));
    let upd = psa
        .update_configuration(
            &new.id,
            ConfigurationPatch::new().name("ACME-LT-0100").active(false),
        )
        .await
        .unwrap();
    assert_eq!(upd.name, "ACME-LT-0100");
    assert_eq!(upd.active, Some(false));
}

#[tokio::test]
async fn schedule_entries() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let from = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let seeded: Vec<_> = psa
        .list_schedule_entries(ScheduleQuery::between(from, to))
        .try_collect()
        .await
        .unwrap();
    assert!(!seeded.is_empty());
    assert!(seeded.iter().all(|s| s.ticket.is_some()));
    let start = Utc.with_ymd_and_hms(2026, 3, 27, 9, 0, 0).unwrap();
    let e = psa
        .create_schedule_entry(
            NewScheduleEntry::new(105, start, start + chrono::Duration::hours(2))
                .ticket(1005)
                .subject("Onsite visit"),
        )
        .await
        .unwrap();
    assert_eq!(e.ticket, Some(id(1005)));
    assert_eq!(e.agent.as_ref().unwrap().id, id(105));
    let mine: Vec<_> = psa
        .list_schedule_entries(ScheduleQuery::between(from, to).agent(105))
        .try_collect()
        .await
        .unwrap();
    assert!(mine.iter().any(|s| s.id == e.id));
    let moved = psa
        .update_schedule_entry(
            &e.id,
            ScheduleEntryPatch::new()
                .agent(104)
                .end(start + chrono::Duration::hours(3)),
        )
        .await
        .unwrap();
    assert_eq!(moved.agent.as_ref().unwrap().id, id(104));
    assert!(
        psa.update_schedule_entry(&e.id, ScheduleEntryPatch::new().note("x"))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    psa.delete_schedule_entry(&e.id).await.unwrap();
    assert!(
        psa.create_schedule_entry(NewScheduleEntry::new(
            105,
            start,
            start + chrono::Duration::hours(1)
        ))
        .await
        .unwrap_err()
        .is_invalid_input()
    );
}

#[tokio::test]
async fn products_and_read_only_records() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let toner: Vec<_> = psa
        .search_products(ProductQuery::text("toner"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(toner.len(), 1);
    assert_eq!(toner[0].sku.as_deref(), Some("HW-TONER-HP58"));
    let all: Vec<_> = psa
        .search_products(ProductQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5, "the discontinued product is left out");
    let line = psa
        .add_ticket_product(&id(1001), NewLineItem::new(402, 2.0).price(199.0))
        .await
        .unwrap();
    assert_eq!(line.ticket, id(1001));
    assert!((line.quantity - 2.0).abs() < f64::EPSILON);
    assert_eq!(line.price, Some(199.0));
    assert_eq!(line.billable, Some(true));
    assert!(
        psa.add_ticket_product(&id(1001), NewLineItem::new(402, 0.0))
            .await
            .unwrap_err()
            .is_invalid_input()
    );

    let agreements: Vec<_> = psa
        .list_agreements(AgreementQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(agreements.len(), 3);
    let acme: Vec<_> = psa
        .list_agreements(AgreementQuery::company(10))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(acme.len(), 1);
    let slas: Vec<_> = psa.list_slas().try_collect().await.unwrap();
    assert_eq!(slas.len(), 2);
    let projects: Vec<_> = psa
        .list_projects(ProjectQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(projects.len(), 2);
    let with_closed: Vec<_> = psa
        .list_projects(ProjectQuery::all().include_closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(with_closed.len(), 3);
    let kb: Vec<_> = psa
        .search_kb_articles(KbQuery::text("spooler"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(kb.len(), 1);
    let art = psa.get_kb_article(&kb[0].id).await.unwrap();
    assert!(art.resolution.unwrap().contains("print spooler"));
}

#[tokio::test]
async fn look_ups() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let board1 = psa.list_statuses(LookupScope::queue(1)).await.unwrap();
    assert_eq!(board1.len(), 5);
    assert!(board1.iter().all(|s| s.scope == Some(id(1))));
    assert_eq!(board1.iter().filter(|s| s.closed == Some(true)).count(), 1);
    let every = psa.list_statuses(LookupScope::all()).await.unwrap();
    assert_eq!(every.len(), 20);
    let types = psa.list_ticket_types(LookupScope::queue(2)).await.unwrap();
    assert_eq!(types.len(), 3);
    assert_eq!(psa.list_priorities().await.unwrap().len(), 4);
    let queues = psa.list_queues().await.unwrap();
    assert_eq!(queues.len(), 3, "the project board is not a queue");
    let agents = psa.list_agents().await.unwrap();
    assert!(
        agents
            .iter()
            .any(|a| a.identifier.as_deref() == Some("jdoe"))
    );
    assert_eq!(psa.list_work_types().await.unwrap().len(), 4);
}

#[tokio::test]
async fn callbacks_register_list_parse_delete() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let url = url::Url::parse("https://hooks.example.com/cw").unwrap();
    let sub = psa
        .subscribe_webhook(NewWebhook::new("psa-sdk tickets", url.clone()))
        .await
        .unwrap();
    assert_eq!(sub.url.as_deref(), Some("https://hooks.example.com/cw"));
    let stored = mock.callbacks();
    assert_eq!(stored[0]["type"], "ticket");
    assert_eq!(stored[0]["level"], "owner");
    assert_eq!(stored[0]["objectId"], 1);
    assert_eq!(psa.list_webhooks().await.unwrap().len(), 1);
    let secret = NewWebhook::new("x", url).secret("s3cret".to_owned().into());
    assert!(
        psa.subscribe_webhook(secret)
            .await
            .unwrap_err()
            .is_invalid_input()
    );

    let events = psa
        .parse_webhook(&mock.signed_delivery("updated", 1001))
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, TicketEventKind::Updated);
    assert_eq!(events[0].ticket, id(1001));
    assert_eq!(events[0].actor.as_deref(), Some("jdoe"));
    let snap = events[0].snapshot.as_ref().unwrap();
    assert_eq!(snap.summary, "Printer offline on 3rd floor");
    let deleted = psa
        .parse_webhook(&mock.signed_delivery("deleted", 1002))
        .await
        .unwrap();
    assert_eq!(deleted[0].kind, TicketEventKind::Deleted);
    assert!(deleted[0].snapshot.is_none());
    assert_eq!(mock.key_requests(), 1, "the signing key is cached");

    psa.delete_webhook(&sub.id).await.unwrap();
    assert!(psa.list_webhooks().await.unwrap().is_empty());
}

#[tokio::test]
async fn raw_requests_and_groups() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let r = psa
        .raw(RawRequest::get("service/tickets").query("conditions", "id = 1001"))
        .await
        .unwrap();
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.json().unwrap()[0]["id"], 1001);
    assert_eq!(
        psa.raw_group(&RawRequest::get("service/tickets/1001/notes")),
        Some(psa_core::PermissionGroup::TicketNotes)
    );
    assert_eq!(
        psa.raw_group(&RawRequest::post(
            "system/members/jdoe/tokens",
            serde_json::json!({})
        )),
        None
    );
    assert!(
        psa.raw(RawRequest::get("https://evil.example/x"))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        psa.raw(RawRequest::get("../login/companyinfo/x"))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn no_operation_is_unsupported() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let caps = psa.capabilities();
    // Not implemented for ConnectWise yet: each says so with a reason.
    for op in Operation::ALL {
        assert!(caps.supports(*op), "{op}");
    }
    assert_eq!(caps.vendor(), psa_core::Vendor::ConnectWise);
}

#[tokio::test]
async fn a_caller_is_found_by_the_same_number_in_the_clients_country() {
    use psa_core::phone::CountryCode;
    let mock = ConnectWiseMock::start().await;
    // contact 209 is stored as "0299990000", a national number
    let found = |psa: psa_connectwise::Client, phone: &'static str| async move {
        let found: Vec<_> = psa
            .search_contacts(ContactQuery::phone(phone))
            .try_collect()
            .await
            .unwrap();
        found.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let plain = mock.client();
    assert_eq!(found(plain.clone(), "+61 2 9999 0000").await, vec![id(209)]);
    assert_eq!(found(plain.clone(), "(02) 9999-0000").await, vec![id(209)]);
    // the last digits match, the number does not: the candidate is dropped
    let before = mock.request_count();
    assert!(found(plain.clone(), "+61 3 9999 0000").await.is_empty());
    assert!(mock.request_count() > before, "ConnectWise was asked");
    // without a country, a national number is read in the caller's
    assert_eq!(found(plain, "+64 2 9999 0000").await, vec![id(209)]);
    // in Australia it is an Australian number
    let au = mock
        .client_builder()
        .phone_country(CountryCode::AU)
        .build()
        .unwrap();
    assert_eq!(au.phone_country(), Some(CountryCode::AU));
    assert_eq!(found(au.clone(), "+61 2 9999 0000").await, vec![id(209)]);
    assert!(found(au.clone(), "+64 2 9999 0000").await.is_empty());
    // not a phone number: refused before any request
    let before = mock.request_count();
    let err = au
        .search_contacts(ContactQuery::phone("12"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    assert_eq!(mock.request_count(), before);
}
