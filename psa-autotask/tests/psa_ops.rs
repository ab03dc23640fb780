//! Every `Psa` operation against the simulator; unsupported ones agree with
//! `capabilities()`.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use psa_autotask::mock::{self, AutotaskMock};
use psa_core::{
    AgreementQuery, CompanyQuery, ConfigurationPatch, ConfigurationQuery, ContactPatch,
    ContactQuery, Id, KbQuery, LookupScope, NewConfiguration, NewContact, NewLineItem, NewNote,
    NewScheduleEntry, NewTicket, NewTimeEntry, NoteVisibility, Operation, ProductQuery,
    ProjectQuery, Psa, RawRequest, ScheduleEntryPatch, ScheduleQuery, Support, TicketPatch,
    TicketQuery, TimeEntryPatch, TimeEntryQuery,
};

#[tokio::test]
async fn tickets_read_and_list() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();

    let t = c.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.summary, "Printer offline on 3rd floor");
    assert_eq!(
        t.status.as_ref().and_then(|s| s.name.as_deref()),
        Some("New")
    );
    assert_eq!(
        t.queue.as_ref().and_then(|s| s.name.as_deref()),
        Some("Level II Support")
    );
    assert_eq!(t.custom_fields.get_str("Customer Ref"), Some("CR-1001"));
    assert_eq!(t.closed, Some(false));

    let open: Vec<_> = c
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    assert!(open.iter().all(|t| t.closed == Some(false)));
    let closed: Vec<_> = c
        .list_tickets(TicketQuery::closed())
        .try_collect()
        .await
        .unwrap();
    assert!(!closed.is_empty() && closed.iter().all(|t| t.closed == Some(true)));
    assert_eq!(open.len() + closed.len(), mock::SEEDED_TICKETS);
    let printer: Vec<_> = c
        .list_tickets(TicketQuery::any().text("printer").company(Id::from(174)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(printer.len(), 1);
    let two: Vec<_> = c
        .list_tickets(TicketQuery::any().limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(two.len(), 2);
    let bad = c
        .get_ticket(&Id::text("incident:abc").unwrap())
        .await
        .unwrap_err();
    assert!(bad.is_invalid_input());
    let missing = c.get_ticket(&Id::from(999_999)).await.unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn tickets_create_update_bundle_and_history() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();

    // Create with picklist defaults (status New, priority Medium, queue Level I).
    let created = c
        .create_ticket(
            NewTicket::new("Scanner jammed", Id::from(175)).contact(Id::from(30_683_003)),
        )
        .await
        .unwrap();
    assert_eq!(
        created.status.as_ref().and_then(|s| s.name.as_deref()),
        Some("New")
    );
    assert_eq!(
        created.priority.as_ref().and_then(|s| s.name.as_deref()),
        Some("Medium")
    );
    assert_eq!(
        created.queue.as_ref().and_then(|s| s.name.as_deref()),
        Some("Level I Support")
    );
    assert!(created.number.is_some());

    // A bad picklist value is refused before sending, naming the valid ones.
    let before = mock.request_count();
    let err = c
        .create_ticket(NewTicket::new("x", Id::from(175)).priority(Id::from(99)))
        .await
        .unwrap_err();
    assert!(
        err.is_invalid_input() && err.message().contains("2 (Medium)"),
        "{err}"
    );
    assert_eq!(mock.request_count(), before);

    // Triage: owner (with their default role), status Complete → closed.
    let updated = c
        .update_ticket(
            &created.id,
            TicketPatch::new()
                .owner(Id::from(29_682_887))
                .status(Id::from(5))
                .custom_field("Escalated", "Yes"),
        )
        .await
        .unwrap();
    assert_eq!(updated.owner, Some(psa_core::Ref::new(29_682_887)));
    assert_eq!(updated.closed, Some(true));
    assert_eq!(updated.custom_fields.get_str("Escalated"), Some("Yes"));
    let rec = mock
        .record("Tickets", created.id.as_i64().unwrap())
        .unwrap();
    assert_eq!(rec["assignedResourceRoleID"], 29_683_461);

    // Bundle: incidents of problem ticket 1005.
    c.bundle_tickets(&Id::from(1005), &[Id::from(1010), Id::from(1011)])
        .await
        .unwrap();
    assert_eq!(
        c.get_ticket(&Id::from(1010)).await.unwrap().parent,
        Some(Id::from(1005))
    );
    let err = c
        .bundle_tickets(&Id::from(1001), &[Id::from(1002)])
        .await
        .unwrap_err();
    assert!(err.message().contains("Problem"), "{err}");

    let history: Vec<_> = c.list_audit_trail(&created.id).try_collect().await.unwrap();
    assert!(history.len() >= 2, "{history:?}");
    assert!(history.iter().any(|h| {
        h.description
            .as_deref()
            .unwrap_or_default()
            .contains("status")
    }));

    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn unsupported_operations_agree_with_capabilities() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let caps = c.capabilities();
    let before = mock.request_count();
    let merge = c
        .merge_tickets(&Id::from(1001), &[Id::from(1002)])
        .await
        .unwrap_err();
    assert!(merge.is_unsupported());
    assert_eq!(caps.reason(Operation::MergeTickets), Some(merge.message()));
    let delete = c.delete_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(delete.is_unsupported());
    assert_eq!(caps.reason(Operation::DeleteTicket), Some(delete.message()));
    assert_eq!(
        mock.request_count(),
        before,
        "unsupported calls sent requests"
    );
    for op in Operation::ALL {
        match caps.support(*op) {
            Support::Unsupported(_) => assert!(
                matches!(
                    op,
                    Operation::MergeTickets
                        | Operation::DeleteTicket
                        // Not implemented for Autotask yet; each says so.
                        | Operation::ListCustomFields
                        | Operation::ListAttachments
                        | Operation::DownloadAttachment
                        | Operation::UploadAttachment
                        | Operation::DeleteAttachment
                ),
                "{op} unexpectedly unsupported"
            ),
            Support::Partial(note) => assert!(!note.is_empty()),
            Support::Full => {}
        }
    }
}

#[tokio::test]
async fn notes_internal_customer_and_resolution() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let ticket = Id::from(1003);
    let notes: Vec<_> = c.list_notes(&ticket).try_collect().await.unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].visibility, NoteVisibility::Customer);
    assert_eq!(notes[1].visibility, NoteVisibility::Internal);

    let internal = c
        .add_note(&ticket, NewNote::internal("Checked the spooler"))
        .await
        .unwrap();
    assert_eq!(internal.visibility, NoteVisibility::Internal);
    assert_eq!(
        mock.record("TicketNotes", internal.id.as_i64().unwrap())
            .unwrap()["publish"],
        2
    );
    let customer = c
        .add_note(&ticket, NewNote::customer("We're on it"))
        .await
        .unwrap();
    assert_eq!(
        mock.record("TicketNotes", customer.id.as_i64().unwrap())
            .unwrap()["publish"],
        1
    );
    assert_eq!(customer.visibility, NoteVisibility::Customer);

    let notify = c
        .add_note(&ticket, NewNote::customer("x").notify(true))
        .await
        .unwrap_err();
    assert!(notify.is_unsupported());

    let res = c
        .add_note(&ticket, NewNote::resolution("Replaced the fuser"))
        .await
        .unwrap();
    assert_eq!(res.visibility, NoteVisibility::Resolution);
    assert_eq!(res.id.to_string(), "resolution:1003");
    assert_eq!(
        mock.record("Tickets", 1003).unwrap()["resolution"],
        "Replaced the fuser"
    );

    let all: Vec<_> = c.list_notes(&ticket).try_collect().await.unwrap();
    assert_eq!(all.len(), 4);
}

#[tokio::test]
async fn time_entries_round_trip() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let start = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let e = c
        .create_time_entry(
            NewTimeEntry::new(Id::from(1002), start, Duration::from_secs(45 * 60))
                .billable(false)
                .work_type(Id::from(29_682_802))
                .note("Onsite: reseated the RAM"),
        )
        .await
        .unwrap();
    assert_eq!(e.agent, Some(psa_core::Ref::new(mock::BOT_RESOURCE_ID)));
    assert_eq!(e.duration, Some(Duration::from_secs(45 * 60)));
    assert_eq!(e.billable, Some(false));
    let rec = mock.record("TimeEntries", e.id.as_i64().unwrap()).unwrap();
    assert_eq!(rec["roleID"], 29_683_460);
    assert_eq!(rec["startDateTime"], "2026-11-20T09:00:00Z");
    assert_eq!(rec["endDateTime"], "2026-11-20T09:45:00Z");
    assert_eq!(rec["hoursWorked"], 0.75);

    let changed = c
        .update_time_entry(
            &e.id,
            TimeEntryPatch::new()
                .duration(Duration::from_secs(3600))
                .billable(true),
        )
        .await
        .unwrap();
    assert_eq!(changed.duration, Some(Duration::from_secs(3600)));
    assert_eq!(changed.billable, Some(true));

    let on_ticket: Vec<_> = c
        .list_time_entries(TimeEntryQuery::ticket(Id::from(1002)))
        .try_collect()
        .await
        .unwrap();
    assert!(on_ticket.iter().any(|t| t.id == e.id));
    let by_agent: Vec<_> = c
        .list_time_entries(TimeEntryQuery::agent(Id::from(mock::BOT_RESOURCE_ID)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_agent.len(), 1);
    c.delete_time_entry(&e.id).await.unwrap();
    assert!(mock.record("TimeEntries", e.id.as_i64().unwrap()).is_none());
    assert!(
        c.list_time_entries(TimeEntryQuery::default())
            .try_next()
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn companies_and_contacts() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let company = c.get_company(&Id::from(175)).await.unwrap();
    assert_eq!(company.name, "Fabrikam Legal");
    assert_eq!(company.custom_fields.get_str("Contract Tier"), Some("Gold"));
    let active: Vec<_> = c
        .search_companies(CompanyQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert!(active.iter().all(|c| c.active == Some(true)));
    let all: Vec<_> = c
        .search_companies(CompanyQuery::all().include_inactive())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), active.len() + 1);
    let named: Vec<_> = c
        .search_companies(CompanyQuery::name("contoso"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(named.len(), 1);

    let grace: Vec<_> = c
        .search_contacts(ContactQuery::name("Grace Hopper"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(grace.len(), 1);
    let by_email: Vec<_> = c
        .search_contacts(ContactQuery::email("ADA@fabrikam-legal.example"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_email[0].name, "Ada Lovelace");
    // Stored as "(02) 9222 3001"; the caller dials +61 2 9222 3001.
    let by_phone: Vec<_> = c
        .search_contacts(ContactQuery::phone("+61 2 9222 3001"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_phone.len(), 1, "{by_phone:?}");
    assert_eq!(by_phone[0].first_name.as_deref(), Some("Ada"));
    let in_company: Vec<_> = c
        .search_contacts(ContactQuery::company(Id::from(177)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(in_company.len(), 3);

    let created = c
        .create_contact(
            NewContact::new(Id::from(176), "Katherine")
                .last_name("Johnson")
                .email("kj@tailspin.example"),
        )
        .await
        .unwrap();
    assert_eq!(created.company, Some(psa_core::Ref::new(176)));
    assert_eq!(created.active, Some(true));
    let no_last = c
        .create_contact(NewContact::new(Id::from(176), "Cher"))
        .await
        .unwrap_err();
    assert!(no_last.is_invalid_input());
    let updated = c
        .update_contact(&created.id, ContactPatch::new().phone("+61 3 9333 4999"))
        .await
        .unwrap();
    assert_eq!(updated.phone.as_deref(), Some("+61 3 9333 4999"));
    let contact = c.get_contact(&created.id).await.unwrap();
    assert_eq!(contact.email.as_deref(), Some("kj@tailspin.example"));
}

#[tokio::test]
async fn configurations() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let fs01 = c.get_configuration(&Id::from(70_001)).await.unwrap();
    assert_eq!(fs01.name, "FS01");
    assert_eq!(
        fs01.configuration_type
            .as_ref()
            .and_then(|t| t.name.as_deref()),
        Some("Server")
    );
    let contoso: Vec<_> = c
        .list_configurations(ConfigurationQuery::company(Id::from(174)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contoso.len(), 3);
    let created = c
        .create_configuration(
            NewConfiguration::new(Id::from(175), "FL-LAPTOP-08")
                .serial_number("PF2ABCD8")
                .configuration_type(Id::from(1)),
        )
        .await
        .unwrap();
    assert_eq!(created.serial_number.as_deref(), Some("PF2ABCD8"));
    let off = c
        .update_configuration(&created.id, ConfigurationPatch::new().active(false))
        .await
        .unwrap();
    assert_eq!(off.active, Some(false));
}

#[tokio::test]
async fn schedule_entries_are_service_calls() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let from = Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0).unwrap();
    let all: Vec<_> = c
        .list_schedule_entries(ScheduleQuery::between(from, to))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|e| e.ticket.is_some() && e.agent.is_some()));
    assert_eq!(all[0].subject.as_deref(), Some("Onsite visit"));
    let jordan: Vec<_> = c
        .list_schedule_entries(
            ScheduleQuery::between(from, to).agent(Id::from(mock::TECH_RESOURCE_ID)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(jordan.len(), 2);

    let start = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
    let entry = c
        .create_schedule_entry(
            NewScheduleEntry::new(
                Id::from(29_682_887),
                start,
                start + chrono::Duration::hours(2),
            )
            .ticket(Id::from(1004))
            .subject("Replace access point")
            .note("Bring the ladder"),
        )
        .await
        .unwrap();
    assert_eq!(entry.ticket, Some(Id::from(1004)));
    assert_eq!(entry.agent, Some(psa_core::Ref::new(29_682_887)));
    assert_eq!(entry.note.as_deref(), Some("Bring the ladder"));
    let moved = c
        .update_schedule_entry(
            &entry.id,
            ScheduleEntryPatch::new()
                .agent(Id::from(29_682_888))
                .subject("Replace AP"),
        )
        .await
        .unwrap();
    assert_eq!(moved.agent, Some(psa_core::Ref::new(29_682_888)));
    assert_eq!(moved.subject.as_deref(), Some("Replace AP"));
    assert_eq!(moved.note.as_deref(), Some("Bring the ladder"));
    c.delete_schedule_entry(&entry.id).await.unwrap();
    assert!(
        mock.record("ServiceCalls", entry.id.as_i64().unwrap())
            .is_none()
    );
    let no_ticket = c
        .create_schedule_entry(NewScheduleEntry::new(
            Id::from(29_682_887),
            start,
            start + chrono::Duration::hours(1),
        ))
        .await
        .unwrap_err();
    assert!(no_ticket.is_invalid_input());
}

#[tokio::test]
async fn products_agreements_slas_projects_kb() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let toner: Vec<_> = c
        .search_products(ProductQuery::text("toner"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(toner.len(), 1);
    assert_eq!(toner[0].price, Some(149.0));
    let line = c
        .add_ticket_product(&Id::from(1006), NewLineItem::new(toner[0].id.clone(), 2.0))
        .await
        .unwrap();
    assert!((line.quantity - 2.0).abs() < f64::EPSILON);
    assert_eq!(line.price, Some(149.0));
    assert_eq!(line.billable, Some(true));

    let agreements: Vec<_> = c
        .list_agreements(AgreementQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(agreements.len(), 3);
    assert!(agreements.iter().all(|a| a.active == Some(true)));
    let contoso: Vec<_> = c
        .list_agreements(AgreementQuery::company(Id::from(174)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        contoso[0]
            .agreement_type
            .as_ref()
            .and_then(|t| t.name.as_deref()),
        Some("Recurring Service")
    );

    let slas: Vec<_> = c.list_slas().try_collect().await.unwrap();
    assert_eq!(slas.len(), 2);
    let results = c
        .sla_results()
        .list(
            psa_autotask::query::Query::new()
                .filter(psa_autotask::query::Filter::eq("ticketID", 1005)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(results.items[0].is_resolution_met, Some(false));

    let open: Vec<_> = c
        .list_projects(ProjectQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
    let all: Vec<_> = c
        .list_projects(ProjectQuery::all().include_closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.iter().filter(|p| p.closed == Some(true)).count(), 1);

    let kb: Vec<_> = c
        .search_kb_articles(KbQuery::text("printer"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(kb.len(), 1);
    let article = c.get_kb_article(&kb[0].id).await.unwrap();
    assert!(article.body.unwrap().contains("Print Spooler"));
}

#[tokio::test]
async fn lookups() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let statuses = c.list_statuses(LookupScope::all()).await.unwrap();
    let complete = statuses.iter().find(|s| s.name == "Complete").unwrap();
    assert_eq!(complete.closed, Some(true));
    assert!(statuses.iter().filter(|s| s.closed == Some(true)).count() == 1);
    assert_eq!(c.list_priorities().await.unwrap().len(), 4);
    assert_eq!(c.list_queues().await.unwrap().len(), 3);
    assert_eq!(
        c.list_ticket_types(LookupScope::all()).await.unwrap().len(),
        5
    );
    let agents = c.list_agents().await.unwrap();
    assert!(agents.iter().any(|a| a.name == "Jordan Reyes"));
    let work = c.list_work_types().await.unwrap();
    assert_eq!(work.len(), 3);
    // Picklists are cached: the second round makes no request.
    let before = mock.request_count();
    c.list_priorities().await.unwrap();
    c.list_queues().await.unwrap();
    assert_eq!(mock.request_count(), before);
}

#[tokio::test]
async fn raw_requests_and_their_groups() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let r = c.raw(RawRequest::get("Companies/174")).await.unwrap();
    assert_eq!(r.json().unwrap()["item"]["companyName"], "Contoso Dental");
    assert_eq!(
        c.raw_group(&RawRequest::get("Tickets/1/Notes")),
        Some(psa_core::PermissionGroup::TicketNotes)
    );
    assert_eq!(c.raw_group(&RawRequest::get("Invoices/1")), None);
    let before = mock.request_count();
    assert!(
        c.raw(RawRequest::get("https://evil.example/x"))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.raw(RawRequest::get("../x"))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(mock.request_count(), before);
}
