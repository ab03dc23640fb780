//! Every `Psa` operation against the simulator: supported ones succeed and
//! persist, unsupported ones return `Unsupported` with the reason
//! `capabilities()` gives.

use chrono::{Duration as Days, TimeZone, Utc};
use futures::TryStreamExt;
use psa_core::{
    AgreementQuery, CompanyQuery, ConfigurationPatch, ConfigurationQuery, ContactPatch,
    ContactQuery, Id, KbQuery, LookupScope, NewConfiguration, NewContact, NewLineItem, NewNote,
    NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, NoteVisibility, Operation, ProductQuery,
    ProjectQuery, Psa, RawRequest, ScheduleEntryPatch, ScheduleQuery, Support, TicketEventKind,
    TicketPatch, TicketQuery, TimeEntryPatch, TimeEntryQuery,
};
use psa_halo::HaloMock;
use std::time::Duration;

#[tokio::test]
async fn tickets_read_create_update_delete() {
    let mock = HaloMock::start().await;
    let c = mock.client();

    let t = c.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.summary, "Printer offline on 3rd floor");
    assert_eq!(t.company.as_ref().unwrap().id, Id::from(12));
    assert_eq!(
        t.company.as_ref().unwrap().name.as_deref(),
        Some("Acme Pty Ltd")
    );
    assert_eq!(t.closed, Some(false));
    assert_eq!(
        t.custom_fields.get_str("CFContractRef"),
        Some("ACME-MSA-2024")
    );
    assert_eq!(t.raw["id"], 1001);

    let open: Vec<_> = c
        .list_tickets(TicketQuery::open().company(Id::from(12)))
        .try_collect()
        .await
        .unwrap();
    assert!(!open.is_empty());
    assert!(open.iter().all(|t| t.closed == Some(false)));
    assert!(
        open.iter()
            .all(|t| t.company.as_ref().unwrap().id == Id::from(12))
    );

    let closed: Vec<_> = c
        .list_tickets(TicketQuery::closed())
        .try_collect()
        .await
        .unwrap();
    assert!(!closed.is_empty() && closed.iter().all(|t| t.closed == Some(true)));

    let found: Vec<_> = c
        .list_tickets(TicketQuery::any().text("printer offline"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 2, "{found:?}");

    let created = c
        .create_ticket(
            NewTicket::new("Keyboard sticky", Id::from(13))
                .contact(Id::from(150))
                .priority(Id::from(4))
                .queue(Id::from(1))
                .custom_field("CFContractRef", "GLX-247"),
        )
        .await
        .unwrap();
    assert_eq!(created.summary, "Keyboard sticky");
    assert_eq!(created.contact.as_ref().unwrap().id, Id::from(150));
    assert_eq!(
        created.custom_fields.get_str("CFContractRef"),
        Some("GLX-247")
    );
    let again = c.get_ticket(&created.id).await.unwrap();
    assert_eq!(again.summary, "Keyboard sticky", "the create persisted");

    let updated = c
        .update_ticket(
            &created.id,
            TicketPatch::new()
                .status(Id::from(2))
                .owner(Id::from(2))
                .custom_field("CFContractRef", "GLX-248"),
        )
        .await
        .unwrap();
    assert_eq!(updated.status.as_ref().unwrap().id, Id::from(2));
    assert_eq!(
        updated.owner.as_ref().unwrap().name.as_deref(),
        Some("Alex Tech")
    );
    assert_eq!(
        updated.custom_fields.get_str("CFContractRef"),
        Some("GLX-248")
    );

    let audit: Vec<_> = c.list_audit_trail(&created.id).try_collect().await.unwrap();
    assert!(audit.iter().any(|a| a.field.as_deref() == Some("status_id")
        && a.old_value.as_deref() == Some("1")
        && a.new_value.as_deref() == Some("2")));

    c.delete_ticket(&created.id).await.unwrap();
    assert!(c.get_ticket(&created.id).await.unwrap_err().is_not_found());
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn a_listed_ticket_keeps_the_record_text_and_maps_as_a_get_does() {
    let mock = HaloMock::start().await;
    let psa = mock.client();
    let listed: Vec<_> = psa
        .list_tickets(TicketQuery::any())
        .try_collect()
        .await
        .unwrap();
    let first = listed.iter().find(|t| t.id == Id::from(1001)).unwrap();
    let text = first.raw.json_text().expect("listing keeps the text");
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(value["id"], 1001);
    assert_eq!(*first.raw, value, "raw reads as the text it keeps");

    let got = psa.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(first.summary, got.summary);
    assert_eq!(first.status, got.status);
    assert_eq!(first.priority, got.priority);
    assert_eq!(first.queue, got.queue);
    assert_eq!(first.company, got.company);
    assert_eq!(first.contact, got.contact);
    assert_eq!(first.owner, got.owner);
    assert_eq!(first.closed, got.closed);
    assert_eq!(first.created_at, got.created_at);
    assert_eq!(first.updated_at, got.updated_at);
    assert_eq!(first.custom_fields, got.custom_fields);
}

#[tokio::test]
async fn merge_and_bundle() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    c.merge_tickets(&Id::from(1001), &[Id::from(1023)])
        .await
        .unwrap();
    let merged = c.get_ticket(&Id::from(1023)).await.unwrap();
    assert_eq!(merged.merged_into, Some(Id::from(1001)));
    assert_eq!(merged.closed, Some(true));
    let notes: Vec<_> = c.list_notes(&Id::from(1001)).try_collect().await.unwrap();
    assert!(notes.iter().any(|n| n.raw["merged_from_ticketid"] == 1023));

    c.bundle_tickets(&Id::from(1004), &[Id::from(1005), Id::from(1006)])
        .await
        .unwrap();
    let child = c.get_ticket(&Id::from(1006)).await.unwrap();
    assert_eq!(child.parent, Some(Id::from(1004)));
    let parent = mock.record("tickets", 1004).unwrap();
    assert_eq!(parent["child_ticket_ids"], serde_json::json!([1005, 1006]));

    assert!(
        c.merge_tickets(&Id::from(1001), &[Id::from(1001)])
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.merge_tickets(&Id::from(1001), &[])
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.bundle_tickets(&Id::from(1004), &[Id::from(1005), Id::from(1005)])
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn notes_internal_customer_resolution() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let internal = c
        .add_note(&Id::from(1001), NewNote::internal("Spooler restarted."))
        .await
        .unwrap();
    assert_eq!(internal.visibility, NoteVisibility::Internal);
    assert_eq!(internal.raw["hiddenfromuser"], true);
    assert_eq!(internal.raw["outcome"], "Private Note");
    let customer = c
        .add_note(
            &Id::from(1001),
            NewNote::customer("Fixed, please retry.").notify(true),
        )
        .await
        .unwrap();
    assert_eq!(customer.visibility, NoteVisibility::Customer);
    assert_eq!(customer.raw["sendemail"], true);
    let resolution = c
        .add_note(
            &Id::from(1001),
            NewNote::resolution("Restarted the print spooler."),
        )
        .await
        .unwrap();
    assert_eq!(resolution.visibility, NoteVisibility::Resolution);

    let notes: Vec<_> = c.list_notes(&Id::from(1001)).try_collect().await.unwrap();
    let ids: Vec<_> = notes.iter().map(|n| n.id.to_string()).collect();
    for n in [&internal, &customer, &resolution] {
        assert!(ids.contains(&n.id.to_string()), "{} persisted", n.id);
    }
    assert!(
        notes.windows(2).all(|w| w[0].created_at <= w[1].created_at),
        "oldest first"
    );
    assert!(
        c.add_note(&Id::from(1001), NewNote::internal("x").notify(true))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn time_entries_create_list_update_delete() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let start = Utc.with_ymd_and_hms(2025, 3, 20, 22, 0, 0).unwrap();
    let e = c
        .create_time_entry(
            NewTimeEntry::new(Id::from(1004), start, Duration::from_secs(15 * 60))
                .billable(true)
                .work_type(Id::from(2))
                .note("Rebuilt the Outlook profile"),
        )
        .await
        .unwrap();
    assert_eq!(e.duration, Some(Duration::from_secs(900)));
    assert_eq!(e.start, Some(start));
    assert_eq!(e.end, Some(start + Days::minutes(15)));
    assert_eq!(
        e.agent.as_ref().unwrap().id,
        Id::from(1),
        "the configured API agent"
    );
    assert_eq!(e.raw["actionarrivaldate"], "2025-03-20T22:00:00Z");
    assert_eq!(e.raw["utcoffset"], 0);
    assert_eq!(e.raw["timetaken"], 0.25);

    let by_ticket: Vec<_> = c
        .list_time_entries(TimeEntryQuery::ticket(Id::from(1004)))
        .try_collect()
        .await
        .unwrap();
    assert!(by_ticket.iter().any(|t| t.id == e.id));
    let by_agent: Vec<_> = c
        .list_time_entries(
            TimeEntryQuery::agent(Id::from(1))
                .and_between(start - Days::hours(1), start + Days::hours(1)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_agent.len(), 1);
    assert_eq!(by_agent[0].id, e.id);
    assert!(
        c.list_time_entries(TimeEntryQuery::agent(Id::from(1)))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err()
            .is_invalid_input()
    );

    let other = c
        .create_time_entry(
            NewTimeEntry::new(Id::from(1004), start, Duration::from_secs(600)).agent(Id::from(3)),
        )
        .await
        .unwrap();
    assert_eq!(other.agent.unwrap().id, Id::from(3));

    let changed = c
        .update_time_entry(
            &e.id,
            TimeEntryPatch::new().duration(Duration::from_secs(1800)),
        )
        .await
        .unwrap();
    assert_eq!(changed.duration, Some(Duration::from_secs(1800)));
    assert_eq!(changed.end, Some(start + Days::minutes(30)));
    let ticket = mock.record("tickets", 1004).unwrap();
    assert_eq!(
        ticket["timetaken"].as_f64(),
        Some(0.25 + 0.5 + 600.0 / 3600.0)
    );

    c.delete_time_entry(&e.id).await.unwrap();
    let after: Vec<_> = c
        .list_time_entries(TimeEntryQuery::ticket(Id::from(1004)))
        .try_collect()
        .await
        .unwrap();
    assert!(after.iter().all(|t| t.id != e.id));
    assert!(
        c.delete_time_entry(&Id::from(5))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn companies_and_contacts() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let acme = c.get_company(&Id::from(12)).await.unwrap();
    assert_eq!(acme.name, "Acme Pty Ltd");
    assert_eq!(
        acme.custom_fields.get("CFTier"),
        Some(&serde_json::json!(1))
    );
    let found: Vec<_> = c
        .search_companies(CompanyQuery::name("glob"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let all: Vec<_> = c
        .search_companies(CompanyQuery::all())
        .try_collect()
        .await
        .unwrap();
    let with_inactive: Vec<_> = c
        .search_companies(CompanyQuery::all().include_inactive())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len() + 1, with_inactive.len());

    let jane = c.get_contact(&Id::from(140)).await.unwrap();
    assert_eq!(jane.email.as_deref(), Some("jane@acme.example"));
    let by_email: Vec<_> = c
        .search_contacts(ContactQuery::email("JANE@acme.example"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_email.len(), 1);
    let by_phone: Vec<_> = c
        .search_contacts(ContactQuery::phone("+1 (555) 0102"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_phone.len(), 1);
    assert_eq!(by_phone[0].name, "Lenny Leonard");
    let by_company: Vec<_> = c
        .search_contacts(ContactQuery::company(Id::from(14)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_company.len(), 3);

    let new = c
        .create_contact(
            NewContact::new(Id::from(13), "Moe")
                .last_name("Szyslak")
                .email("moe@globex.example"),
        )
        .await
        .unwrap();
    assert_eq!(new.name, "Moe Szyslak");
    assert_eq!(new.company.as_ref().unwrap().id, Id::from(13));
    let stored = mock.record("users", new.id.as_i64().unwrap()).unwrap();
    assert_eq!(stored["site_id"], 33, "filed under the client's main site");
    let changed = c
        .update_contact(
            &new.id,
            ContactPatch::new().phone("+1 555 0150").first_name("Moses"),
        )
        .await
        .unwrap();
    assert_eq!(changed.phone.as_deref(), Some("+1 555 0150"));
    assert_eq!(changed.name, "Moses Szyslak");
}

#[tokio::test]
async fn configurations() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let a = c.get_configuration(&Id::from(502)).await.unwrap();
    assert_eq!(a.name, "ACME-LT-017");
    assert_eq!(a.custom_fields.get_str("CFWarrantyRef"), Some("DL-99812"));
    let acme: Vec<_> = c
        .list_configurations(ConfigurationQuery::company(Id::from(12)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(acme.len(), 3);
    let created = c
        .create_configuration(
            NewConfiguration::new(Id::from(14), "INI-LT-099").configuration_type(Id::from(1)),
        )
        .await
        .unwrap();
    assert_eq!(
        created.company.as_ref().unwrap().name.as_deref(),
        Some("Initech")
    );
    let updated = c
        .update_configuration(
            &created.id,
            ConfigurationPatch::new().active(false).name("INI-LT-100"),
        )
        .await
        .unwrap();
    assert_eq!(updated.active, Some(false));
    assert_eq!(updated.name, "INI-LT-100");
    let err = c
        .create_configuration(NewConfiguration::new(Id::from(14), "x").serial_number("SN1"))
        .await
        .unwrap_err();
    assert!(
        err.is_invalid_input() && err.to_string().contains("asset-type field"),
        "{err}"
    );
}

#[tokio::test]
async fn schedule_entries() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let from = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2025, 3, 5, 0, 0, 0).unwrap();
    let alex: Vec<_> = c
        .list_schedule_entries(ScheduleQuery::between(from, to).agent(Id::from(2)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(alex.len(), 2);
    let start = Utc.with_ymd_and_hms(2025, 3, 10, 1, 0, 0).unwrap();
    let e = c
        .create_schedule_entry(
            NewScheduleEntry::new(Id::from(2), start, start + Days::hours(1))
                .ticket(Id::from(1004))
                .subject("Onsite: Outlook"),
        )
        .await
        .unwrap();
    assert_eq!(e.start, Some(start));
    assert_eq!(e.raw["start_date"], "2025-03-10T01:00:00Z");
    let moved = c
        .update_schedule_entry(
            &e.id,
            ScheduleEntryPatch::new()
                .agent(Id::from(3))
                .subject("Remote: Outlook"),
        )
        .await
        .unwrap();
    assert_eq!(moved.agent.as_ref().unwrap().id, Id::from(3));
    c.delete_schedule_entry(&e.id).await.unwrap();
    assert!(
        mock.record("appointments", e.id.as_i64().unwrap())
            .is_none()
    );
}

#[tokio::test]
async fn products_agreements_slas_projects_kb() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let toner: Vec<_> = c
        .search_products(ProductQuery::text("toner"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(toner.len(), 1);
    assert_eq!(toner[0].sku.as_deref(), Some("HP-CF259A"));
    assert_eq!(toner[0].price, Some(149.0));

    let line = c
        .add_ticket_product(
            &Id::from(1001),
            NewLineItem::new(Id::from(8), 2.0).price(275.0),
        )
        .await
        .unwrap();
    assert!((line.quantity - 2.0).abs() < f64::EPSILON);
    assert_eq!(line.price, Some(275.0));
    assert_eq!(
        line.product.as_ref().unwrap().name.as_deref(),
        Some("USB-C dock")
    );
    let t = c
        .tickets()
        .get(1001)
        .include_details()
        .send()
        .await
        .unwrap();
    assert_eq!(t.items_issued.unwrap().len(), 2, "persisted on the ticket");
    assert!(
        c.add_ticket_product(
            &Id::from(1001),
            NewLineItem::new(Id::from(8), 1.0).billable(true)
        )
        .await
        .unwrap_err()
        .is_invalid_input()
    );

    let acme: Vec<_> = c
        .list_agreements(AgreementQuery::company(Id::from(12)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(acme.len(), 1, "expired contracts left out");
    assert_eq!(acme[0].name, "ACME-MSA-2024");
    let slas: Vec<_> = c.list_slas().try_collect().await.unwrap();
    assert_eq!(slas.len(), 2);
    let projects: Vec<_> = c
        .list_projects(ProjectQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(projects.len(), 2);
    assert!(
        projects
            .iter()
            .all(|p| p.start.is_some() && p.end.is_some())
    );
    let kb: Vec<_> = c
        .search_kb_articles(KbQuery::text("spooler"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(kb.len(), 1);
    let art = c.get_kb_article(&kb[0].id).await.unwrap();
    assert_eq!(
        art.resolution.as_deref(),
        Some("Restart the Print Spooler service on the print server.")
    );
}

#[tokio::test]
async fn lookups() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let statuses = c.list_statuses(LookupScope::all()).await.unwrap();
    let closed: Vec<_> = statuses
        .iter()
        .filter(|s| s.closed == Some(true))
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(closed, ["Closed", "Cancelled"]);
    // Halo statuses belong to no team: a queue scope is ignored, not an error.
    assert_eq!(
        c.list_statuses(LookupScope::queue(Id::from(1)))
            .await
            .unwrap(),
        statuses
    );
    let priorities = c.list_priorities().await.unwrap();
    assert_eq!(priorities.len(), 4, "one per priority id, not per SLA");
    assert_eq!(c.list_queues().await.unwrap().len(), 3);
    assert_eq!(
        c.list_ticket_types(LookupScope::all()).await.unwrap().len(),
        4
    );
    let agents = c.list_agents().await.unwrap();
    assert_eq!(agents.len(), 3, "disabled agents left out");
    let work = c.list_work_types().await.unwrap();
    assert_eq!(work.len(), 4);
    assert_eq!(work[3].active, Some(false));
}

#[tokio::test]
async fn webhooks_subscribe_list_delete() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let sub = c
        .subscribe_webhook(
            NewWebhook::new(
                "triage bot",
                "https://hooks.msp.example/halo".parse().unwrap(),
            )
            .event(TicketEventKind::Created)
            .event(TicketEventKind::StatusChanged),
        )
        .await
        .unwrap();
    assert_eq!(
        sub.events,
        [TicketEventKind::Created, TicketEventKind::StatusChanged]
    );
    assert_eq!(sub.active, Some(true));
    assert!(
        sub.raw.get("basic_password").is_none(),
        "secret removed from raw"
    );
    let stored = mock.webhooks();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["authentication_type"], 1);
    assert_eq!(stored[0]["basic_username"], psa_halo::mock::WEBHOOK_USER);
    assert_eq!(
        stored[0]["basic_password"],
        psa_halo::mock::WEBHOOK_PASSWORD
    );

    let listed = c.list_webhooks().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, sub.id);

    let err = c
        .subscribe_webhook(
            NewWebhook::new("x", "https://hooks.msp.example/halo".parse().unwrap())
                .event(TicketEventKind::NoteAdded),
        )
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    assert!(
        c.subscribe_webhook(NewWebhook::new(
            "x",
            "http://example.com/hook".parse().unwrap()
        ))
        .await
        .unwrap_err()
        .is_invalid_input()
    );

    c.delete_webhook(&sub.id).await.unwrap();
    assert!(c.list_webhooks().await.unwrap().is_empty());
    assert!(
        c.delete_webhook(&Id::from(5))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn raw_requests_and_groups() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let r = Psa::raw(&c, RawRequest::get("Status").query("excludeclosed", "true"))
        .await
        .unwrap();
    assert!(r.status.is_success());
    let v = r.json().unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    assert_eq!(
        c.raw_group(&RawRequest::get("Tickets/1001")),
        Some(psa_core::PermissionGroup::Tickets)
    );
    assert_eq!(
        c.raw_group(&RawRequest::get("/api/Actions")),
        Some(psa_core::PermissionGroup::TicketNotes)
    );
    assert_eq!(c.raw_group(&RawRequest::get("Invoice")), None);
    assert_eq!(c.raw_group(&RawRequest::get("../Tickets")), None);
    let put = RawRequest::new(http::Method::PUT, "Tickets");
    assert!(Psa::raw(&c, put).await.unwrap_err().is_invalid_input());
    assert!(
        Psa::raw(&c, RawRequest::get("https://evil.example/x"))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    // Halo's own API through the typed raw handle.
    let teams: serde_json::Value = c.raw().get("Team").json().await.unwrap();
    assert_eq!(teams.as_array().unwrap().len(), 3);
    assert!(
        c.raw()
            .get("../Tickets")
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.raw()
            .get("Tickets?x=1")
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn invalid_ids_fail_before_any_request() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let before = mock.request_count();
    let bad = [Id::from(0), Id::from(-4), Id::text("incident:abc").unwrap()];
    for id in &bad {
        let err = c.get_ticket(id).await.unwrap_err();
        assert!(
            err.is_invalid_input() && err.to_string().contains("halo ticket id"),
            "{err}"
        );
        assert!(c.get_company(id).await.unwrap_err().is_invalid_input());
        assert!(c.get_contact(id).await.unwrap_err().is_invalid_input());
        assert!(c.delete_ticket(id).await.unwrap_err().is_invalid_input());
        assert!(
            c.update_ticket(id, TicketPatch::new().status(Id::from(2)))
                .await
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(
            c.list_notes(id)
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(
            c.add_note(id, NewNote::internal("x"))
                .await
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(c.get_kb_article(id).await.unwrap_err().is_invalid_input());
        assert!(
            c.delete_schedule_entry(id)
                .await
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(
            c.create_ticket(NewTicket::new("x", id.clone()))
                .await
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(
            c.list_tickets(TicketQuery::open().owner(id.clone()))
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err()
                .is_invalid_input()
        );
    }
    assert_eq!(mock.request_count(), before, "nothing was sent");
}

#[tokio::test]
async fn unsupported_operations_agree_with_capabilities() {
    let mock = HaloMock::start().await;
    let configured = mock.client();
    let unconfigured = psa_halo::Client::builder()
        .base_url(mock.base_url())
        .client_id(mock.client_id())
        .client_secret(mock.client_secret())
        .rate_limit(psa_halo::RateLimit::Disabled)
        .build()
        .unwrap();
    for c in [&configured, &unconfigured] {
        let caps = c.capabilities();
        for op in Operation::ALL {
            if let Support::Unsupported(reason) = caps.support(*op) {
                // The only operation Halo's client may lack is work types.
                assert_eq!(*op, Operation::ListWorkTypes);
                let err = c.list_work_types().await.unwrap_err();
                assert!(err.is_unsupported());
                assert_eq!(err.message(), reason);
            }
        }
    }
    assert!(configured.capabilities().supports(Operation::ListWorkTypes));
    assert!(
        !unconfigured
            .capabilities()
            .supports(Operation::ListWorkTypes)
    );
    assert!(
        configured
            .capabilities()
            .reason(Operation::MergeTickets)
            .unwrap()
            .contains("merged_into_id")
    );
}

/// A caller's number finds the contact whatever the format it was stored
/// in: Halo is asked for the last digits, and a candidate is kept when it is
/// the same number, a national one read in the client's phone country.
#[tokio::test]
async fn a_caller_is_found_by_number_in_any_format() {
    let mock = HaloMock::start().await;
    // Stored as a technician would type it in Sydney, with a mobile that
    // shares the last four digits of the office line.
    let mut user = psa_halo::User::new(31, "Nadia Ortiz");
    user.phonenumber = Some("(02) 9123 4567".to_owned());
    let stored = mock.client().users().create([user]).send().await.unwrap();
    let id = Id::from(stored[0].id.unwrap());
    let mut other = psa_halo::User::new(31, "Owen Price");
    other.phonenumber = Some("0400 004 567".to_owned());
    mock.client().users().create([other]).send().await.unwrap();

    let search = |c: psa_halo::Client, number: &'static str| async move {
        c.search_contacts(ContactQuery::phone(number))
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
    };
    let au = mock
        .client_builder()
        .phone_country(psa_core::phone::CountryCode::AU)
        .build()
        .unwrap();
    assert_eq!(
        search(au.clone(), "+61 2 9123 4567").await,
        vec![id.clone()]
    );
    assert_eq!(
        search(au.clone(), "0011 61 2 9123 4567").await,
        vec![id.clone()]
    );
    assert_eq!(
        search(au, "+61 (0)2 9123-4567 ext 3").await,
        vec![id.clone()]
    );
    // Without a country, a national number is read in the caller's.
    assert_eq!(
        search(mock.client(), "+61291234567").await,
        vec![id.clone()]
    );
    // In another country it is another line.
    let gb = mock
        .client_builder()
        .phone_country(psa_core::phone::CountryCode::GB)
        .build()
        .unwrap();
    assert!(search(gb, "+61 2 9123 4567").await.is_empty());
    // Halo was asked for the last four digits only.
    let asked: Vec<String> = mock
        .server()
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/api/Users" && r.method.as_str() == "GET")
        .filter_map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "search")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert!(!asked.is_empty());
    assert!(asked.iter().all(|s| s == "4567"), "{asked:?}");
    // Text that is no phone number matches nobody, and asks Halo nothing.
    let before = mock.request_count();
    assert!(search(mock.client(), "call me maybe 1234").await.is_empty());
    assert_eq!(mock.request_count(), before);
    assert_eq!(mock.unexpected_requests(), 0);
}
