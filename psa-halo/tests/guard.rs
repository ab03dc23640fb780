//! A `psa_permissions::Guarded` denial makes no request to Halo.

use futures::TryStreamExt;
use psa_core::{
    Access, AgreementQuery, CompanyQuery, ConfigurationPatch, ConfigurationQuery, ContactPatch,
    ContactQuery, Id, KbQuery, LookupScope, NewConfiguration, NewContact, NewLineItem, NewNote,
    NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, OpKind, Operation, PermissionGroup,
    ProductQuery, ProjectQuery, Psa, RawRequest, ScheduleEntryPatch, ScheduleQuery,
    TicketEventKind, TicketPatch, TicketQuery, TimeEntryPatch, TimeEntryQuery, WebhookDelivery,
};
use psa_halo::HaloMock;
use psa_permissions::{Guarded, Policy, Profile};

#[tokio::test]
async fn denied_calls_never_reach_halo() {
    let mock = HaloMock::start().await;
    let bot = Guarded::new(mock.client(), Policy::read_only()).with_label("triage-bot");

    // Reads are allowed and go through.
    let open: Vec<_> = bot
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    assert!(!open.is_empty());
    let before = mock.request_count();

    let denied = [
        bot.update_ticket(&Id::from(1001), TicketPatch::new().priority(Id::from(1)))
            .await
            .unwrap_err(),
        bot.add_note(&Id::from(1001), NewNote::internal("hello"))
            .await
            .unwrap_err(),
        bot.delete_ticket(&Id::from(1001)).await.unwrap_err(),
        bot.merge_tickets(&Id::from(1001), &[Id::from(1002)])
            .await
            .unwrap_err(),
        bot.raw(RawRequest::post(
            "Tickets",
            serde_json::json!([{"id": 1001}]),
        ))
        .await
        .unwrap_err(),
        bot.raw(RawRequest::get("Invoice")).await.unwrap_err(),
    ];
    for err in &denied {
        assert!(err.is_permission_denied(), "{err}");
    }
    assert_eq!(
        mock.request_count(),
        before,
        "a denied call makes no request"
    );
    let ticket = mock.record("tickets", 1001).unwrap();
    assert_eq!(ticket["priority_id"], 3, "nothing changed");

    // A narrower grant: notes only, internal only.
    let notes = Guarded::new(
        mock.client(),
        Policy::read_only()
            .grant(PermissionGroup::TicketNotes, Access::ReadWrite)
            .fields(["internal"]),
    );
    assert!(
        notes
            .add_note(&Id::from(1001), NewNote::customer("hi"))
            .await
            .unwrap_err()
            .is_permission_denied()
    );
    assert_eq!(mock.request_count(), before);
    notes
        .add_note(&Id::from(1001), NewNote::internal("allowed"))
        .await
        .unwrap();
    assert!(mock.request_count() > before);
}

/// Calls `op` once with a valid input on the seeded tenant.
#[allow(clippy::too_many_lines)]
async fn invoke(psa: &dyn Psa, op: Operation) -> psa_core::Result<()> {
    async fn drain<T>(
        s: futures::stream::BoxStream<'_, psa_core::Result<T>>,
    ) -> psa_core::Result<()> {
        s.try_collect::<Vec<T>>().await.map(drop)
    }
    let t = Id::from(1001);
    let start = chrono::Utc::now();
    let later = start + chrono::Duration::hours(1);
    let quarter = std::time::Duration::from_secs(900);
    match op {
        Operation::GetTicket => psa.get_ticket(&t).await.map(drop),
        Operation::ListTickets => drain(psa.list_tickets(TicketQuery::open().limit(3))).await,
        Operation::CreateTicket => psa
            .create_ticket(NewTicket::new("Printer offline", Id::from(12)))
            .await
            .map(drop),
        Operation::UpdateTicket => psa
            .update_ticket(&t, TicketPatch::new().priority(Id::from(1)))
            .await
            .map(drop),
        Operation::MergeTickets => psa.merge_tickets(&t, &[Id::from(1002)]).await,
        Operation::BundleTickets => psa.bundle_tickets(&t, &[Id::from(1002)]).await,
        Operation::DeleteTicket => psa.delete_ticket(&Id::from(1003)).await,
        Operation::ListAuditTrail => drain(psa.list_audit_trail(&t)).await,
        Operation::ListNotes => drain(psa.list_notes(&t)).await,
        Operation::AddNote => psa
            .add_note(&t, NewNote::customer("On our way"))
            .await
            .map(drop),
        Operation::ListTimeEntries => {
            drain(psa.list_time_entries(TimeEntryQuery::ticket(1001))).await
        }
        Operation::CreateTimeEntry => psa
            .create_time_entry(NewTimeEntry::new(1001, start, quarter))
            .await
            .map(drop),
        Operation::UpdateTimeEntry => psa
            .update_time_entry(&Id::from(1), TimeEntryPatch::new().note("more"))
            .await
            .map(drop),
        Operation::DeleteTimeEntry => psa.delete_time_entry(&Id::from(1)).await,
        Operation::GetCompany => psa.get_company(&Id::from(12)).await.map(drop),
        Operation::SearchCompanies => drain(psa.search_companies(CompanyQuery::name("Acme"))).await,
        Operation::GetContact => psa.get_contact(&Id::from(150)).await.map(drop),
        Operation::SearchContacts => drain(psa.search_contacts(ContactQuery::name("Ann"))).await,
        Operation::CreateContact => psa
            .create_contact(NewContact::new(12, "Ann").email("ann@acme.example"))
            .await
            .map(drop),
        Operation::UpdateContact => psa
            .update_contact(
                &Id::from(150),
                ContactPatch::new().phone("+44 20 7946 0000"),
            )
            .await
            .map(drop),
        Operation::GetConfiguration => psa.get_configuration(&Id::from(1)).await.map(drop),
        Operation::ListConfigurations => {
            drain(psa.list_configurations(ConfigurationQuery::company(12))).await
        }
        Operation::CreateConfiguration => psa
            .create_configuration(NewConfiguration::new(12, "PC-1"))
            .await
            .map(drop),
        Operation::UpdateConfiguration => psa
            .update_configuration(&Id::from(1), ConfigurationPatch::new().name("PC-2"))
            .await
            .map(drop),
        Operation::ListScheduleEntries => {
            drain(psa.list_schedule_entries(ScheduleQuery::between(start, later))).await
        }
        Operation::CreateScheduleEntry => psa
            .create_schedule_entry(NewScheduleEntry::new(2, start, later))
            .await
            .map(drop),
        Operation::UpdateScheduleEntry => psa
            .update_schedule_entry(&Id::from(1), ScheduleEntryPatch::new().subject("Visit"))
            .await
            .map(drop),
        Operation::DeleteScheduleEntry => psa.delete_schedule_entry(&Id::from(1)).await,
        Operation::SearchProducts => drain(psa.search_products(ProductQuery::text("toner"))).await,
        Operation::AddTicketProduct => psa
            .add_ticket_product(&t, NewLineItem::new(7, 1.0))
            .await
            .map(drop),
        Operation::ListAgreements => drain(psa.list_agreements(AgreementQuery::all())).await,
        Operation::ListSlas => drain(psa.list_slas()).await,
        Operation::ListProjects => drain(psa.list_projects(ProjectQuery::all())).await,
        Operation::SearchKbArticles => drain(psa.search_kb_articles(KbQuery::text("vpn"))).await,
        Operation::GetKbArticle => psa.get_kb_article(&Id::from(1)).await.map(drop),
        Operation::ListStatuses => psa.list_statuses(LookupScope::all()).await.map(drop),
        Operation::ListPriorities => psa.list_priorities().await.map(drop),
        Operation::ListQueues => psa.list_queues().await.map(drop),
        Operation::ListTicketTypes => psa.list_ticket_types(LookupScope::all()).await.map(drop),
        Operation::ListAgents => psa.list_agents().await.map(drop),
        Operation::ListWorkTypes => psa.list_work_types().await.map(drop),
        Operation::ListCustomFields => psa
            .list_custom_fields(psa_core::CustomFieldEntity::Ticket)
            .await
            .map(drop),
        Operation::FindTicketByNumber => psa.find_ticket_by_number("1001").await.map(drop),
        Operation::ListAttachments => drain(psa.list_attachments(&Id::from(1001))).await,
        Operation::DownloadAttachment => {
            psa.download_attachment(&Id::from(1), 1024).await.map(drop)
        }
        Operation::UploadAttachment => psa
            .upload_attachment(
                &Id::from(1001),
                psa_core::NewAttachment::new("log.txt", "text/plain", &b"spooler log"[..]),
            )
            .await
            .map(drop),
        Operation::DeleteAttachment => psa.delete_attachment(&Id::from(1)).await,
        Operation::SubscribeWebhook => {
            let url = url::Url::parse("https://hooks.msp.example/halo").expect("a URL");
            psa.subscribe_webhook(NewWebhook::new("tickets", url).event(TicketEventKind::Created))
                .await
                .map(drop)
        }
        Operation::ListWebhooks => psa.list_webhooks().await.map(drop),
        Operation::DeleteWebhook => {
            psa.delete_webhook(&Id::text("8c0b9c51-0d1e-4d39-9a3b-4c9b2f1e5a11").expect("a GUID"))
                .await
        }
        Operation::ParseWebhook => psa
            .parse_webhook(&WebhookDelivery::new(http::HeaderMap::new(), "{}"))
            .await
            .map(drop),
        Operation::Raw => psa
            .raw(RawRequest::post(
                "Tickets",
                serde_json::json!([{"id": 1001}]),
            ))
            .await
            .map(drop),
        other => panic!("{other:?} is not exercised: add it to invoke()"),
    }
}

/// Every operation under every profile (and under an empty policy): a call
/// the guard refuses never reaches Halo, and every write a profile lacks
/// is refused.
#[tokio::test]
async fn every_operation_under_every_profile() {
    let policies = [
        ("empty", Policy::empty()),
        ("read-only", Policy::profile(Profile::ReadOnly)),
        ("helpdesk", Policy::profile(Profile::Helpdesk)),
        ("it-admin", Policy::profile(Profile::ItAdmin)),
        ("full-automation", Policy::profile(Profile::FullAutomation)),
    ];
    for (name, policy) in policies {
        let mock = HaloMock::start().await;
        let guard = Guarded::new(mock.client(), policy).with_label(name);
        let mut denied = 0;
        for &op in Operation::ALL {
            let before = mock.request_count();
            let result = invoke(&guard, op).await;
            let refused = result
                .as_ref()
                .is_err_and(|e| e.is_permission_denied() || e.is_approval_denied());
            if refused {
                denied += 1;
                assert_eq!(
                    mock.request_count(),
                    before,
                    "{name}: {op:?} was refused but reached Halo"
                );
            }
            if !guard.allows(op) {
                assert!(
                    refused,
                    "{name}: {op:?} is not allowed but was not refused: {result:?}"
                );
            }
            let d = op.descriptor();
            if name == "read-only" && d.kind != OpKind::Read {
                assert!(refused, "read-only let {op:?} through");
            }
        }
        if name == "empty" {
            assert_eq!(
                denied,
                Operation::ALL.len(),
                "an empty policy refuses everything"
            );
            assert_eq!(mock.request_count(), 0);
        }
    }
}
