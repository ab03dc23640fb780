//! Time entries, companies, contacts, configurations, catalog, contracts,
//! SLAs, projects, knowledge, look-ups, webhooks and raw requests through
//! `psa_core::Psa`, against the simulator.

// Helpers outside #[test] functions unwrap fixed test data, as the tests do
// (clippy.toml allows unwrap in tests but not in their helpers).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use http::{HeaderMap, HeaderValue};
use psa_core::phone::CountryCode;
use psa_core::{
    AgreementQuery, CompanyQuery, ConfigurationPatch, ConfigurationQuery, ContactPatch,
    ContactQuery, Id, KbQuery, LookupScope, NewConfiguration, NewContact, NewLineItem,
    NewScheduleEntry, NewTimeEntry, NewWebhook, Operation, ProductQuery, ProjectQuery, Psa,
    RawRequest, Ref, ScheduleQuery, Support, TicketEventKind, TimeEntryPatch, TimeEntryQuery,
    WebhookDelivery,
};
use psa_servicenow::mock::{ServiceNowMock, seed};
use secrecy::SecretString;

fn id(s: &str) -> Id {
    Id::text(s).unwrap()
}

#[tokio::test]
async fn time_entries_are_task_time_worked() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let ticket = id(&format!("incident:{}", seed::INC_PRINTER));
    let listed: Vec<_> = client
        .list_time_entries(TimeEntryQuery::ticket(ticket.clone()))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let e = &listed[0];
    assert_eq!(
        e.id,
        id(&format!("task_time_worked:{}", seed::TIME_PRINTER))
    );
    assert_eq!(e.ticket.as_ref(), Some(&ticket));
    assert_eq!(e.duration, Some(Duration::from_secs(1800)));
    assert_eq!(
        e.agent,
        Some(Ref::named(
            id(&format!("sys_user:{}", seed::BETH_ANGLIN)),
            "Beth Anglin"
        ))
    );
    assert_eq!(e.work_type, Some(Ref::named(id("task_work"), "Task work")));
    assert_eq!(
        e.note.as_deref(),
        Some("Restarted the spooler and test-printed.")
    );
    assert_eq!(e.start, None, "ServiceNow keeps no start time");

    let by_agent: Vec<_> = client
        .list_time_entries(TimeEntryQuery::agent(id(seed::DAVID_LOO)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_agent.len(), 1);
    assert_eq!(
        by_agent[0].ticket,
        Some(id(&format!("sc_req_item:{}", seed::RITM_LAPTOP)))
    );

    let start = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let new = NewTimeEntry::new(ticket.clone(), start, Duration::from_secs(45 * 60))
        .agent(id(seed::BETH_ANGLIN))
        .work_type(id("meeting"))
        .note("Call with the vendor");
    let created = client.create_time_entry(new.clone()).await.unwrap();
    assert_eq!(created.duration, Some(Duration::from_secs(2700)));
    assert_eq!(
        created.work_type.as_ref().and_then(|w| w.name.as_deref()),
        Some("Meeting")
    );
    let sys = created
        .id
        .to_string()
        .trim_start_matches("task_time_worked:")
        .to_owned();
    let stored = mock.record("task_time_worked", &sys).unwrap();
    assert_eq!(stored["time_worked"], "1970-01-01 00:45:00");
    assert_eq!(stored["work_date"], "2026-11-20");
    assert_eq!(stored["task"], seed::INC_PRINTER);

    let updated = client
        .update_time_entry(
            &created.id,
            TimeEntryPatch::new()
                .duration(Duration::from_secs(3600))
                .note("Longer call"),
        )
        .await
        .unwrap();
    assert_eq!(updated.duration, Some(Duration::from_secs(3600)));
    assert_eq!(updated.note.as_deref(), Some("Longer call"));

    // No billable flag in ServiceNow: refused before any request.
    let before = mock.request_count();
    assert!(
        client
            .create_time_entry(new.billable(true))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        client
            .update_time_entry(&created.id, TimeEntryPatch::new().end(start))
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(mock.request_count(), before);

    client.delete_time_entry(&created.id).await.unwrap();
    assert!(mock.record("task_time_worked", &sys).is_none());
    let e = client
        .delete_time_entry(&id(&format!("core_company:{}", seed::ACME)))
        .await
        .unwrap_err();
    assert!(e.is_invalid_input());
}

#[tokio::test]
async fn companies_and_contacts() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let acme = client
        .get_company(&id(&format!("core_company:{}", seed::ACME)))
        .await
        .unwrap();
    assert_eq!(acme.name, "ACME North America");
    assert_eq!(acme.phone.as_deref(), Some("+1 858 287 7834"));
    assert_eq!(acme.website.as_deref(), Some("https://acme.example"));
    let found: Vec<_> = client
        .search_companies(CompanyQuery::name("glob"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Globex Corporation");
    let all: Vec<_> = client
        .search_companies(CompanyQuery::all().limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);

    let abel = client.get_contact(&id(seed::ABEL_TUTER)).await.unwrap();
    assert_eq!(abel.name, "Abel Tuter");
    assert_eq!(abel.first_name.as_deref(), Some("Abel"));
    assert_eq!(abel.email.as_deref(), Some("abel.tuter@acme.example"));
    assert_eq!(abel.mobile.as_deref(), Some("+1 858 555 0199"));
    assert_eq!(
        abel.company.as_ref().and_then(|c| c.name.as_deref()),
        Some("ACME North America")
    );
    assert_eq!(abel.active, Some(true));

    // Phone numbers as people say them: the digits are compared.
    for phone in ["858-555-0101", "+18585550101", "(858) 555 0101"] {
        let hits: Vec<_> = client
            .search_contacts(ContactQuery::phone(phone))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(hits.len(), 1, "{phone}");
        assert_eq!(hits[0].id, abel.id);
    }
    let hits: Vec<_> = client
        .search_contacts(ContactQuery::phone("858 555 0199"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hits[0].id, abel.id, "mobile numbers match too");
    let hits: Vec<_> = client
        .search_contacts(ContactQuery::email("ABEL.TUTER@acme.example"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    let hits: Vec<_> = client
        .search_contacts(ContactQuery::company(id(seed::ACME)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hits.len(), 3);
    let hits: Vec<_> = client
        .search_contacts(ContactQuery::name("ruggeri"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hits[0].name, "Bow Ruggeri");
    let e = client
        .search_contacts(ContactQuery::name("x^NQactive=true"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(e.is_invalid_input());

    let created = client
        .create_contact(
            NewContact::new(id(seed::GLOBEX), "Dana")
                .last_name("Ng")
                .email("dana.ng@globex.example")
                .phone("+1 312 555 0177"),
        )
        .await
        .unwrap();
    assert_eq!(created.name, "Dana Ng");
    assert_eq!(
        created.company.as_ref().unwrap().id,
        id(&format!("core_company:{}", seed::GLOBEX))
    );
    let updated = client
        .update_contact(&created.id, ContactPatch::new().phone("+1 312 555 0178"))
        .await
        .unwrap();
    assert_eq!(updated.phone.as_deref(), Some("+1 312 555 0178"));
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn a_caller_is_found_by_the_same_number_in_the_tenants_country() {
    let mock = ServiceNowMock::start().await;
    let search = |client: psa_servicenow::Client, phone: &'static str| async move {
        let hits: Vec<_> = client
            .search_contacts(ContactQuery::phone(phone))
            .try_collect()
            .await
            .unwrap();
        hits.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let bow = id(&format!("sys_user:{}", seed::BOW_RUGGERI));
    // Bow's number is stored without a country code (858.555.0102).
    let sent = mock.request_count();
    let hits = search(mock.client(), "+1 858 555 0102").await;
    assert_eq!(
        hits,
        std::slice::from_ref(&bow),
        "read in the caller's country"
    );
    let us = mock
        .client_builder()
        .phone_country(CountryCode::US)
        .build()
        .unwrap();
    assert_eq!(search(us, "+1 858 555 0102").await, [bow]);
    let gb = mock
        .client_builder()
        .phone_country(CountryCode::GB)
        .build()
        .unwrap();
    assert!(
        search(gb, "+1 858 555 0102").await.is_empty(),
        "a national number in a British tenant is a British number"
    );
    // Another number sharing the last four digits is not the same number.
    assert!(search(mock.client(), "+1 312 555 0102").await.is_empty());
    assert!(mock.request_count() > sent);
    // Text that is no phone number matches nobody, and costs no request.
    let sent = mock.request_count();
    assert!(search(mock.client(), "ext 12").await.is_empty());
    assert_eq!(mock.request_count(), sent);
}

#[tokio::test]
async fn configurations() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let printer = client
        .get_configuration(&id(seed::CI_PRINTER))
        .await
        .unwrap();
    assert_eq!(printer.name, "ACME-PRN-3F");
    assert_eq!(
        printer.configuration_type,
        Some(Ref::new(id("cmdb_ci_printer")))
    );
    assert_eq!(printer.serial_number.as_deref(), Some("CN3F00421"));
    assert_eq!(printer.active, Some(true));

    let acme: Vec<_> = client
        .list_configurations(ConfigurationQuery::company(id(seed::ACME)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        acme.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["ACME-LT-0042", "ACME-PRN-3F"]
    );
    let with_retired: Vec<_> = client
        .list_configurations(ConfigurationQuery::company(id(seed::ACME)).include_inactive())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(with_retired.len(), 3);

    let new = NewConfiguration::new(id(seed::GLOBEX), "GLOBEX-LT-0100")
        .configuration_type(id("cmdb_ci_computer"))
        .serial_number("5CD9999ABC");
    let created = client.create_configuration(new).await.unwrap();
    assert_eq!(
        created.configuration_type,
        Some(Ref::new(id("cmdb_ci_computer")))
    );
    assert_eq!(
        mock.requests_to("POST", "/api/now/table/cmdb_ci_computer"),
        1,
        "created in its class table"
    );
    let retired = client
        .update_configuration(&created.id, ConfigurationPatch::new().active(false))
        .await
        .unwrap();
    assert_eq!(retired.active, Some(false));
    let e = client
        .update_configuration(
            &created.id,
            ConfigurationPatch::new().configuration_type(id("cmdb_ci_server")),
        )
        .await
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    let e = client
        .create_configuration(
            NewConfiguration::new(id(seed::ACME), "x").configuration_type(id("sys_user")),
        )
        .await
        .unwrap_err();
    assert!(e.is_invalid_input());
}

#[tokio::test]
async fn catalog_contracts_slas_projects_and_knowledge() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let products: Vec<_> = client
        .search_products(ProductQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        products.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Adobe Acrobat Pro", "Standard Laptop"]
    );
    assert_eq!(products[1].price, Some(1100.0));
    let laptops: Vec<_> = client
        .search_products(ProductQuery::text("thinkpad"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(laptops.len(), 1);
    let e = client
        .add_ticket_product(
            &id(seed::INC_PRINTER),
            NewLineItem::new(id(seed::CAT_LAPTOP), 1.0),
        )
        .await
        .unwrap_err();
    assert!(e.is_unsupported());

    let active: Vec<_> = client
        .list_agreements(AgreementQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].name, "ACME managed services 2026");
    assert_eq!(
        active[0].company.as_ref().and_then(|c| c.name.as_deref()),
        Some("ACME North America")
    );
    assert_eq!(
        active[0].end.unwrap().to_rfc3339(),
        "2026-12-31T00:00:00+00:00"
    );
    let mut q = AgreementQuery::company(id(seed::GLOBEX));
    q.include_inactive = true;
    let globex: Vec<_> = client.list_agreements(q).try_collect().await.unwrap();
    assert_eq!(globex.len(), 1);
    assert_eq!(globex[0].active, Some(false));

    let slas: Vec<_> = client.list_slas().try_collect().await.unwrap();
    assert_eq!(
        slas.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        [
            "Priority 1 resolution (4 hour)",
            "Priority 2 resolution (8 hour)",
            "Priority 2 response (1 hour)"
        ]
    );

    let projects: Vec<_> = client
        .list_projects(ProjectQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].name, "ACME office move");
    assert_eq!(
        projects[0].manager.as_ref().and_then(|m| m.name.as_deref()),
        Some("Beth Anglin")
    );

    let kb: Vec<_> = client
        .search_kb_articles(KbQuery::text("vpn token"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(kb.len(), 1, "drafts are not searched");
    assert_eq!(kb[0].title, "How to reset your VPN token");
    let article = client.get_kb_article(&kb[0].id).await.unwrap();
    assert!(article.body.unwrap().contains("Reset token"));
    let like = mock.client_builder().kb_text_index(false).build().unwrap();
    let kb: Vec<_> = like
        .search_kb_articles(KbQuery::text("spooler"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(kb.len(), 1);
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn projects_without_the_plugin_are_unsupported() {
    let mock = ServiceNowMock::builder()
        .without_table("pm_project")
        .start()
        .await;
    let client = mock.client();
    let e = client
        .list_projects(ProjectQuery::all())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(e.is_unsupported(), "{e}");
    assert!(e.message().contains("Project Portfolio Management"), "{e}");
    assert!(e.message().contains("Invalid table pm_project"), "{e}");
}

#[tokio::test]
async fn look_ups() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let statuses = client.list_statuses(LookupScope::all()).await.unwrap();
    assert_eq!(
        statuses.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        [
            "New",
            "In Progress",
            "On Hold",
            "Resolved",
            "Closed",
            "Canceled"
        ]
    );
    assert_eq!(statuses[3].closed, Some(true));
    assert_eq!(statuses[1].closed, Some(false));
    assert_eq!(statuses[0].scope, Some(id("incident")));
    let ritm = client
        .list_statuses(LookupScope::ticket_type(id("sc_req_item")))
        .await
        .unwrap();
    assert_eq!(ritm[0].name, "Pending");
    assert_eq!(ritm[0].id, Id::from(-5));
    // Cached: a second call makes no request.
    let before = mock.request_count();
    client.list_statuses(LookupScope::all()).await.unwrap();
    assert_eq!(mock.request_count(), before);

    let priorities = client.list_priorities().await.unwrap();
    assert_eq!(priorities.len(), 5);
    assert_eq!(priorities[0].name, "1 - Critical");
    let queues = client.list_queues().await.unwrap();
    assert_eq!(
        queues.iter().map(|q| q.name.as_str()).collect::<Vec<_>>(),
        ["Hardware", "Network", "Service Desk"]
    );
    let types = client.list_ticket_types(LookupScope::all()).await.unwrap();
    assert_eq!(types.len(), 6);
    assert_eq!(types[1].id, id("sc_request"));
    let agents = client.list_agents().await.unwrap();
    assert_eq!(
        agents.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        [
            "Beth Anglin",
            "David Loo",
            "PSA Integration",
            "System Administrator"
        ]
    );
    assert_eq!(agents[0].identifier.as_deref(), Some("beth.anglin"));
    let work = client.list_work_types().await.unwrap();
    assert_eq!(
        work.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(),
        ["Task work", "Meeting", "Travel"]
    );
}

#[tokio::test]
async fn webhooks_and_the_unsupported_operations_agree_with_capabilities() {
    let mock = ServiceNowMock::start().await;
    let secret = "canary-shared-secret-b8e1f07c";
    let client = mock
        .client_builder()
        .webhook_secret(SecretString::from(secret))
        .build()
        .unwrap();
    let caps = client.capabilities();
    let url = url::Url::parse("https://receiver.example/hooks").unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let before = mock.request_count();
    let results = [
        (
            Operation::SubscribeWebhook,
            client
                .subscribe_webhook(NewWebhook::new("x", url))
                .await
                .map(|_| ()),
        ),
        (
            Operation::ListWebhooks,
            client.list_webhooks().await.map(|_| ()),
        ),
        (
            Operation::DeleteWebhook,
            client.delete_webhook(&Id::from(1)).await,
        ),
        (
            Operation::MergeTickets,
            client.merge_tickets(&id(seed::INC_PRINTER), &[]).await,
        ),
        (
            Operation::ListScheduleEntries,
            client
                .list_schedule_entries(ScheduleQuery::between(
                    start,
                    start + chrono::TimeDelta::hours(8),
                ))
                .try_collect::<Vec<_>>()
                .await
                .map(|_| ()),
        ),
        (
            Operation::CreateScheduleEntry,
            client
                .create_schedule_entry(NewScheduleEntry::new(
                    id(seed::BETH_ANGLIN),
                    start,
                    start + chrono::TimeDelta::hours(1),
                ))
                .await
                .map(|_| ()),
        ),
        (
            Operation::DeleteScheduleEntry,
            client.delete_schedule_entry(&id(seed::INC_PRINTER)).await,
        ),
    ];
    for (op, r) in results {
        let e = r.unwrap_err();
        assert!(e.is_unsupported(), "{op}: {e}");
        assert_eq!(
            Support::Unsupported(e.message().to_owned().into()),
            *caps.support(op),
            "{op}"
        );
    }
    assert_eq!(mock.request_count(), before);
    for op in Operation::ALL {
        if let Support::Unsupported(reason) = caps.support(*op) {
            assert!(!reason.is_empty(), "{op}");
        }
    }
}

#[tokio::test]
async fn webhook_deliveries_are_verified_then_parsed() {
    let mock = ServiceNowMock::start().await;
    let secret = "canary-shared-secret-b8e1f07c";
    let client = mock
        .client_builder()
        .webhook_secret(SecretString::from(secret))
        .build()
        .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("x-psa-webhook-secret", HeaderValue::from_static(secret));
    let body = format!(
        r#"{{"delivery_id":"d-1","table":"incident","sys_id":"{}","number":"INC0010001","operation":"update","changed_fields":["comments"],"sys_updated_on":"2026-11-20 09:15:02","sys_updated_by":"abel.tuter"}}"#,
        seed::INC_PRINTER
    );
    let events = client
        .parse_webhook(&WebhookDelivery::new(headers, body.clone()))
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, TicketEventKind::NoteAdded);
    assert_eq!(
        events[0].ticket,
        id(&format!("incident:{}", seed::INC_PRINTER))
    );

    let mut wrong = HeaderMap::new();
    wrong.insert("x-psa-webhook-secret", HeaderValue::from_static("guess"));
    let e = client
        .parse_webhook(&WebhookDelivery::new(wrong, body.clone()))
        .await
        .unwrap_err();
    assert!(e.is_webhook());
    assert!(!format!("{e:?}").contains(secret));
    let e = mock
        .client()
        .parse_webhook(&WebhookDelivery::new(HeaderMap::new(), body))
        .await
        .unwrap_err();
    assert!(e.is_config(), "no secret configured: {e}");
}

#[tokio::test]
async fn raw_requests_are_mapped_to_groups() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let r = RawRequest::get("api/now/table/sys_user_group")
        .query("sysparm_query", "active=true")
        .query("sysparm_limit", "2");
    assert_eq!(
        client.raw_group(&r),
        Some(psa_core::PermissionGroup::Lookups)
    );
    let resp = client.raw(r).await.unwrap();
    assert_eq!(resp.status.as_u16(), 200);
    assert!(
        resp.headers.get("set-cookie").is_none(),
        "sensitive headers are removed"
    );
    assert_eq!(resp.json().unwrap()["result"].as_array().unwrap().len(), 2);
    assert_eq!(
        client.raw_group(&RawRequest::get("api/now/table/sys_properties")),
        None
    );
    let e = client
        .raw(RawRequest::get("oauth_token.do"))
        .await
        .unwrap_err();
    assert!(e.is_invalid_input());
    let e = client
        .raw(RawRequest::get(
            "https://evil.example/api/now/table/incident",
        ))
        .await
        .unwrap_err();
    assert!(e.is_invalid_input());
}
