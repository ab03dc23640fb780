//! The guard's behaviour, one concern at a time.

mod common;

use std::fmt::Debug;
use std::sync::Arc;

use common::CountingPsa;
use futures::StreamExt;
use psa_core::{
    Access, CompanyQuery, ConfigurationQuery, ContactQuery, Id, KbQuery, NewNote, NewTicket,
    OpKind, Operation, PermissionGroup, ProductQuery, Psa, RawRequest, TicketPatch, TicketQuery,
    TimeEntryQuery,
};
use psa_permissions::{
    Approver, AuditDecision, AuditEvent, AuditOutcome, AuditSink, AutoApprove, ChannelApprover,
    DenyAll, GroupPolicy, Guarded, JsonLinesAudit, MemoryAudit, Mode, Policy, Profile,
    TracingAudit,
};

use PermissionGroup as G;

fn guard(policy: impl Into<Policy>) -> (Arc<CountingPsa>, MemoryAudit, Guarded<Arc<CountingPsa>>) {
    let fake = Arc::new(CountingPsa::new());
    let audit = MemoryAudit::new();
    let g = Guarded::new(Arc::clone(&fake), policy).with_audit(audit.clone());
    (fake, audit, g)
}

fn missing(err: &psa_core::Error) -> &str {
    assert!(err.is_permission_denied(), "not a denial: {err:?}");
    &err.denial().expect("denial").missing
}

// ---- field whitelists ------------------------------------------------------------

#[tokio::test]
async fn helpdesk_cannot_change_priority_but_can_change_status() {
    let (fake, audit, g) = guard(Policy::profile(Profile::Helpdesk));
    let id = Id::from(7);

    let err = g
        .update_ticket(&id, TicketPatch::new().priority(Id::from(1)))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:priority");
    let denial = err.denial().unwrap();
    assert_eq!(denial.operation, Operation::UpdateTicket);
    assert_eq!(denial.group, Some(G::Tickets));
    assert!(err.to_string().contains("field:priority"), "{err}");
    assert_eq!(fake.count(), 0);

    let err = g
        .update_ticket(
            &id,
            TicketPatch::new()
                .status(Id::from(2))
                .owner(Id::from(5))
                .queue(Id::from(3)),
        )
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:queue, field:owner");
    assert_eq!(fake.count(), 0);

    g.update_ticket(&id, TicketPatch::new().status(Id::from(2)))
        .await
        .unwrap();
    g.update_ticket(
        &id,
        TicketPatch::new()
            .summary("Printer offline (3rd floor)")
            .custom_field("CFSite", "HQ"),
    )
    .await
    .unwrap();
    assert_eq!(fake.calls(), vec![Operation::UpdateTicket; 2]);

    let err = g
        .create_ticket(NewTicket::new("New starter", 12).owner(5))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:owner");
    g.create_ticket(
        NewTicket::new("New starter", 12)
            .contact(40)
            .description("Laptop"),
    )
    .await
    .unwrap();
    assert_eq!(fake.count(), 3);

    let decisions: Vec<_> = audit.events().into_iter().map(|e| e.decision).collect();
    assert!(matches!(&decisions[0], AuditDecision::Denied(d) if d.missing == "field:priority"));
    assert_eq!(decisions.len(), 6);
}

#[tokio::test]
async fn note_visibility_whitelist() {
    let policy = Policy::read_only()
        .grant(G::TicketNotes, Access::ReadWrite)
        .fields(["internal"]);
    let (fake, _audit, g) = guard(policy);
    let t = Id::from(1);
    g.add_note(&t, NewNote::internal("checked logs"))
        .await
        .unwrap();
    let err = g
        .add_note(&t, NewNote::customer("we're on it"))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:customer");
    let err = g
        .add_note(&t, NewNote::resolution("fixed"))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:resolution");
    let err = g
        .add_note(&t, NewNote::customer("we're on it").notify(true))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:customer, field:notify");
    assert_eq!(fake.calls(), vec![Operation::AddNote]);

    // Helpdesk: customer notes yes, emailing the customer no.
    let (fake, _audit, g) = guard(Policy::profile(Profile::Helpdesk));
    g.add_note(&t, NewNote::customer("we're on it"))
        .await
        .unwrap();
    g.add_note(&t, NewNote::resolution("fixed")).await.unwrap();
    let err = g
        .add_note(&t, NewNote::customer("we're on it").notify(true))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:notify");
    assert_eq!(fake.count(), 2);
}

#[tokio::test]
async fn one_custom_field_can_be_whitelisted() {
    let policy = Policy::read_only()
        .grant(G::Tickets, Access::ReadWrite)
        .fields(["custom_fields.CFSite"]);
    let (fake, _audit, g) = guard(policy);
    g.update_ticket(
        &Id::from(1),
        TicketPatch::new().custom_field("CFSite", "HQ"),
    )
    .await
    .unwrap();
    let err = g
        .update_ticket(
            &Id::from(1),
            TicketPatch::new().custom_field("CFBilling", "x"),
        )
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:custom_fields.CFBilling");
    assert_eq!(fake.count(), 1);
    assert!(g.allows(Operation::UpdateTicket));
    assert!(g.allows(Operation::CreateTicket));
}

#[test]
fn an_empty_whitelist_allows_no_write() {
    let policy = Policy::read_only()
        .grant(G::TicketNotes, Access::ReadWrite)
        .fields(Vec::<String>::new())
        .build();
    assert!(!policy.allows(Operation::AddNote));
    assert!(policy.allows(Operation::ListNotes));
    assert_eq!(
        policy
            .check(Operation::AddNote, &["internal".into()])
            .unwrap_err()
            .missing,
        "field:internal"
    );
}

#[test]
fn undeclared_fields_are_denied_even_without_a_whitelist() {
    let policy = Policy::profile(Profile::FullAutomation);
    let denial = policy
        .check(Operation::UpdateTicket, &["closed_at".into()])
        .unwrap_err();
    assert_eq!(denial.missing, "field:closed_at");
    assert!(
        policy
            .check(Operation::UpdateTicket, &["priority".into()])
            .is_ok()
    );
}

// ---- delete, merge, bundle -----------------------------------------------------------

#[tokio::test]
async fn delete_is_off_by_default_even_at_read_write() {
    let (fake, _audit, g) = guard(Policy::empty().grant(G::Tickets, Access::ReadWrite));
    let err = g.delete_ticket(&Id::from(1)).await.unwrap_err();
    assert_eq!(missing(&err), "delete");
    let err = g
        .merge_tickets(&Id::from(1), &[Id::from(2)])
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "merge");
    let err = g
        .bundle_tickets(&Id::from(1), &[Id::from(2)])
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "bundle");
    assert_eq!(fake.count(), 0);

    // Full Automation: still no delete, until enabled.
    let (fake, _audit, g) = guard(Policy::profile(Profile::FullAutomation));
    assert_eq!(
        missing(&g.delete_ticket(&Id::from(1)).await.unwrap_err()),
        "delete"
    );
    assert_eq!(
        missing(&g.delete_webhook(&Id::from(1)).await.unwrap_err()),
        "delete"
    );
    assert_eq!(fake.count(), 0);
    let (fake, _audit, g) = guard(
        Policy::profile(Profile::FullAutomation)
            .edit(G::Tickets)
            .delete(true),
    );
    g.delete_ticket(&Id::from(1)).await.unwrap();
    assert_eq!(
        missing(&g.delete_time_entry(&Id::from(1)).await.unwrap_err()),
        "delete"
    );
    assert_eq!(fake.calls(), vec![Operation::DeleteTicket]);

    // A delete switch without read_write does nothing.
    let (fake, _audit, g) = guard(
        Policy::empty()
            .grant(G::Tickets, Access::ReadOnly)
            .delete(true),
    );
    assert_eq!(
        missing(&g.delete_ticket(&Id::from(1)).await.unwrap_err()),
        "read_write"
    );
    assert_eq!(fake.count(), 0);
}

#[tokio::test]
async fn merge_and_bundle_have_their_own_switches() {
    let (fake, _audit, g) = guard(
        Policy::empty()
            .grant(G::Tickets, Access::ReadWrite)
            .merge(true),
    );
    g.merge_tickets(&Id::from(1), &[Id::from(2)]).await.unwrap();
    assert_eq!(
        missing(
            &g.bundle_tickets(&Id::from(1), &[Id::from(2)])
                .await
                .unwrap_err()
        ),
        "bundle"
    );
    let (fake2, _audit, g2) = guard(
        Policy::empty()
            .grant(G::Tickets, Access::ReadWrite)
            .bundle(true),
    );
    g2.bundle_tickets(&Id::from(1), &[Id::from(2)])
        .await
        .unwrap();
    assert_eq!(
        missing(
            &g2.merge_tickets(&Id::from(1), &[Id::from(2)])
                .await
                .unwrap_err()
        ),
        "merge"
    );
    assert_eq!(fake.calls(), vec![Operation::MergeTickets]);
    assert_eq!(fake2.calls(), vec![Operation::BundleTickets]);

    // Nonsense merges never reach the client either.
    let err = g.merge_tickets(&Id::from(1), &[]).await.unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    let err = g
        .merge_tickets(&Id::from(1), &[Id::from(1)])
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert_eq!(fake.count(), 1);
}

// ---- raw requests -----------------------------------------------------------------------

#[tokio::test]
async fn raw_requests_are_gated_by_path_method_and_switch() {
    let policy = Policy::empty()
        .grant(G::Tickets, Access::ReadOnly)
        .grant(G::TicketNotes, Access::ReadWrite)
        .raw(true);
    let (fake, audit, g) = guard(policy.clone());

    // GET on a read-only group: allowed.
    g.raw(RawRequest::get("Tickets/1")).await.unwrap();
    assert_eq!(fake.calls(), vec![Operation::Raw]);

    // POST on a read-only group: denied.
    let err = g
        .raw(RawRequest::post(
            "Tickets",
            serde_json::json!({"summary": "x"}),
        ))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "read_write");
    assert_eq!(err.denial().unwrap().group, Some(G::Tickets));
    assert_eq!(err.denial().unwrap().operation, Operation::Raw);

    // DELETE: needs read_write and the delete switch.
    let err = g.raw(RawRequest::delete("Tickets/1")).await.unwrap_err();
    assert_eq!(missing(&err), "read_write");
    let err = g.raw(RawRequest::delete("Actions/1")).await.unwrap_err();
    assert_eq!(missing(&err), "delete");

    // A path the client cannot map: denied.
    let err = g.raw(RawRequest::get("Invoice")).await.unwrap_err();
    assert_eq!(missing(&err), "known raw path");
    assert_eq!(err.denial().unwrap().group, None);

    // A path that escapes the API: invalid, never sent.
    let err = g
        .raw(RawRequest::get("Tickets/../../admin"))
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");

    // POST to a read-write group: allowed.
    g.raw(RawRequest::post(
        "Actions",
        serde_json::json!({"note": "x"}),
    ))
    .await
    .unwrap();
    assert_eq!(fake.calls(), vec![Operation::Raw, Operation::Raw]);

    // Every raw write attempt was audited, with its method and path.
    let raw_events: Vec<AuditEvent> = audit
        .events()
        .into_iter()
        .filter(|e| e.kind != OpKind::Read)
        .collect();
    assert_eq!(raw_events.len(), 4);
    assert_eq!(raw_events[0].request.as_deref(), Some("POST Tickets"));
    assert_eq!(raw_events[3].outcome, AuditOutcome::Ok);

    // Raw off: even a GET is denied.
    let (fake, _audit, g) = guard(policy.raw(false));
    let err = g.raw(RawRequest::get("Tickets/1")).await.unwrap_err();
    assert_eq!(missing(&err), "raw");
    assert_eq!(fake.count(), 0);
    assert!(!g.allows(Operation::Raw));
}

/// Issue 11: an encoded traversal under a writable group's path (`Actions`
/// maps to ticket notes) used to be mapped by its first segment and sent;
/// the server decoded it to another resource. Now the path is decoded and
/// refused before it is mapped, and nothing reaches the client.
#[tokio::test]
async fn encoded_traversals_are_refused_before_the_path_is_mapped() {
    let policy = Policy::empty()
        .grant(G::TicketNotes, Access::ReadWrite)
        .raw(true);
    let (fake, audit, g) = guard(policy);
    for path in [
        "Actions/..%2fTickets/1",
        "Actions/%2e%2e/Tickets/1",
        "Actions/%252e%252e/Tickets/1",
        "Actions/..%5cTickets/1",
        "Actions/..;/Tickets/1",
        "Actions/．．/Tickets/1",
    ] {
        let err = g
            .raw(RawRequest::post(path, serde_json::json!({"note": "x"})))
            .await
            .unwrap_err();
        assert!(err.is_invalid_input(), "{path}: {err:?}");
        let err = g.raw(RawRequest::get(path)).await.unwrap_err();
        assert!(err.is_invalid_input(), "{path}: {err:?}");
    }
    assert_eq!(fake.count(), 0, "nothing reached the client");
    // Each refused write was audited, as refused and not sent anywhere.
    let events = audit.events();
    assert_eq!(events.len(), 6);
    for ev in &events {
        assert!(
            matches!(&ev.decision, AuditDecision::Denied(d) if d.missing == "a valid raw request"),
            "{ev:?}"
        );
        assert_eq!(ev.group, None);
        assert!(
            matches!(&ev.outcome, AuditOutcome::Failed { kind, .. } if kind == "invalid_input"),
            "{ev:?}"
        );
    }
    // A plain path to the same resource is judged by its own group.
    let err = g
        .raw(RawRequest::post("Tickets/1", serde_json::json!({})))
        .await
        .unwrap_err();
    assert!(err.is_permission_denied(), "{err:?}");
}

#[tokio::test]
async fn raw_writes_cannot_bypass_a_field_whitelist() {
    let policy = Policy::empty()
        .grant(G::Tickets, Access::ReadWrite)
        .fields(["status"])
        .raw(true);
    let (fake, _audit, g) = guard(policy);
    let err = g
        .raw(RawRequest::post(
            "Tickets",
            serde_json::json!({"priority_id": 1}),
        ))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "unrestricted fields");
    g.raw(RawRequest::get("Tickets/1")).await.unwrap();
    assert_eq!(fake.calls(), vec![Operation::Raw]);
}

// ---- test mode ----------------------------------------------------------------------------

#[tokio::test]
async fn test_mode_plans_writes_and_executes_none() {
    let fake = Arc::new(CountingPsa::new());
    let audit = MemoryAudit::new();
    let g = Guarded::new(Arc::clone(&fake), Policy::profile(Profile::FullAutomation))
        .with_audit(audit.clone())
        .with_approver(AutoApprove)
        .test_mode();
    assert_eq!(g.mode(), Mode::Test);

    let err = g
        .create_ticket(NewTicket::new("Printer offline", 12).priority(2))
        .await
        .unwrap_err();
    assert!(err.is_dry_run(), "{err:?}");
    let plan = err.plan().expect("plan");
    assert_eq!(plan.operation, Operation::CreateTicket);
    assert_eq!(plan.payload["summary"], "Printer offline");
    assert_eq!(plan.payload["priority"], 2);
    assert!(plan.fields.contains(&"priority".to_owned()));

    let err = g
        .update_ticket(&Id::from(9), TicketPatch::new().status(3))
        .await
        .unwrap_err();
    assert!(err.is_dry_run());
    let err = g
        .merge_tickets(&Id::from(9), &[Id::from(10)])
        .await
        .unwrap_err();
    assert!(err.is_dry_run());
    let err = g
        .raw(RawRequest::post("Tickets", serde_json::json!({"x": 1})))
        .await
        .unwrap_err();
    assert!(err.is_dry_run());

    let plans = g.planned();
    assert_eq!(plans.len(), 4);
    assert_eq!(plans[1].target, Some(Id::from(9)));
    assert_eq!(plans[1].payload, serde_json::json!({"status": 3}));
    assert_eq!(plans[1].fields, vec!["status"]);
    assert_eq!(
        plans[2].payload,
        serde_json::json!({"into": 9, "from": [10]})
    );
    assert_eq!(plans[3].payload["method"], "POST");
    assert_eq!(plans[3].group, G::Tickets);
    assert_eq!(fake.count(), 0, "test mode executed something");
    assert!(
        audit
            .events()
            .iter()
            .all(|e| e.decision == AuditDecision::Planned && e.outcome == AuditOutcome::NotSent)
    );

    // Invalid input is reported as such, not planned.
    let err = g
        .update_ticket(&Id::from(9), TicketPatch::new())
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert_eq!(g.planned().len(), 4);

    // Reads still work.
    g.get_ticket(&Id::from(9)).await.unwrap();
    let listed: Vec<_> = g.list_tickets(TicketQuery::open()).collect().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        fake.calls(),
        vec![Operation::GetTicket, Operation::ListTickets]
    );

    g.clear_planned();
    assert!(g.planned().is_empty());
}

// ---- sharing one client, stacking, traits -------------------------------------------------

#[tokio::test]
async fn many_guards_share_one_client() {
    let fake = Arc::new(CountingPsa::new());
    let client: Arc<dyn Psa> = fake.clone();
    let audit = MemoryAudit::new();
    let junior = Guarded::new(
        Arc::clone(&client),
        Policy::read_only()
            .grant(G::TicketNotes, Access::ReadWrite)
            .fields(["internal"]),
    )
    .with_label("junior")
    .with_audit(audit.clone());
    let dispatcher = Guarded::new(
        Arc::clone(&client),
        Policy::read_only()
            .grant(G::TicketNotes, Access::ReadWrite)
            .grant(G::Tickets, Access::ReadWrite)
            .fields(["status", "priority", "owner", "queue"]),
    )
    .with_label("dispatcher")
    .with_audit(audit.clone());

    let t = Id::from(1);
    junior
        .add_note(&t, NewNote::internal("looks like a dup of #2"))
        .await
        .unwrap();
    let err = junior
        .update_ticket(&t, TicketPatch::new().priority(1))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "read_write");
    dispatcher
        .add_note(&t, NewNote::customer("escalated"))
        .await
        .unwrap();
    dispatcher
        .update_ticket(&t, TicketPatch::new().priority(1).owner(5))
        .await
        .unwrap();
    assert_eq!(
        fake.calls(),
        vec![
            Operation::AddNote,
            Operation::AddNote,
            Operation::UpdateTicket
        ]
    );
    let labels: Vec<String> = audit.events().into_iter().map(|e| e.label).collect();
    assert_eq!(labels, ["junior", "junior", "dispatcher", "dispatcher"]);

    // A guard is a `Psa` too: as a trait object, and stacked (the inner
    // guard's policy still applies).
    let as_dyn: Arc<dyn Psa> = Arc::new(dispatcher.clone());
    as_dyn
        .update_ticket(&t, TicketPatch::new().queue(2))
        .await
        .unwrap();
    let stacked = Guarded::new(as_dyn, Policy::profile(Profile::FullAutomation));
    let err = stacked
        .update_ticket(&t, TicketPatch::new().summary("renamed"))
        .await
        .unwrap_err();
    assert_eq!(missing(&err), "field:summary");
    assert_eq!(fake.count(), 4);
    assert_eq!(stacked.vendor(), psa_core::Vendor::Halo);
    assert!(stacked.capabilities().supports(Operation::MergeTickets));
    assert_eq!(
        stacked.raw_group(&RawRequest::get("Tickets/1")),
        Some(G::Tickets)
    );
}

#[tokio::test]
async fn invalid_queries_never_reach_the_client() {
    let (fake, audit, g) = guard(Policy::read_only());
    let r: Vec<_> = g
        .list_time_entries(TimeEntryQuery::default())
        .collect()
        .await;
    assert!(r[0].as_ref().unwrap_err().is_invalid_input());
    let r: Vec<_> = g.search_contacts(ContactQuery::default()).collect().await;
    assert!(r[0].as_ref().unwrap_err().is_invalid_input());
    // Issue 11: blank search text is an error, never "no filter".
    for blank in ["\n", "\t", " "] {
        let first = |r: Option<psa_core::Result<()>>| r.expect("one item").unwrap_err();
        let errors = [
            first(
                g.list_tickets(TicketQuery::open().text(blank))
                    .map(|r| r.map(drop))
                    .next()
                    .await,
            ),
            first(
                g.search_companies(CompanyQuery::name(blank))
                    .map(|r| r.map(drop))
                    .next()
                    .await,
            ),
            first(
                g.list_configurations(ConfigurationQuery::name(blank))
                    .map(|r| r.map(drop))
                    .next()
                    .await,
            ),
            first(
                g.search_products(ProductQuery::text(blank))
                    .map(|r| r.map(drop))
                    .next()
                    .await,
            ),
            first(
                g.search_kb_articles(KbQuery::text(blank))
                    .map(|r| r.map(drop))
                    .next()
                    .await,
            ),
        ];
        for err in errors {
            assert!(err.is_invalid_input(), "{blank:?}: {err:?}");
        }
    }
    let r: Vec<_> = g
        .list_tickets(TicketQuery::any().number("INC1^ORactive=true"))
        .collect()
        .await;
    assert!(r[0].as_ref().unwrap_err().is_invalid_input());
    assert_eq!(fake.count(), 0);
    assert!(audit.events().is_empty());
}

/// Issue 12: a lookup by ticket number is a Tickets read, checked before
/// the client is reached, and passed to the client's own lookup.
#[tokio::test]
async fn a_ticket_is_found_by_number_as_a_tickets_read() {
    let (fake, audit, g) = guard(Policy::empty().grant(G::Tickets, Access::ReadOnly));
    let t = g.find_ticket_by_number(" INC0010001 ").await.unwrap();
    assert_eq!(t.number.as_deref(), Some("INC0010001"));
    assert_eq!(fake.calls(), vec![Operation::FindTicketByNumber]);

    fake.reset();
    let err = g
        .find_ticket_by_number("INC1^ORactive=true")
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert_eq!(fake.count(), 0);

    let (fake, audit2, g) = guard(Policy::empty().grant(G::TicketNotes, Access::ReadOnly));
    let err = g.find_ticket_by_number("INC0010001").await.unwrap_err();
    assert_eq!(missing(&err), "read_only");
    assert_eq!(err.denial().unwrap().group, Some(G::Tickets));
    assert_eq!(fake.count(), 0);
    assert!(audit.events().is_empty(), "allowed reads are not audited");
    assert_eq!(audit2.events().len(), 1, "a denied read is");
}

#[test]
fn guards_are_send_sync_debug() {
    fn assert_traits<T: Send + Sync + Debug>() {}
    fn assert_psa<T: Psa>() {}
    fn assert_clone<T: Clone>() {}
    assert_traits::<Guarded<Arc<dyn Psa>>>();
    assert_traits::<Guarded<CountingPsa>>();
    assert_traits::<Guarded<Box<dyn Psa>>>();
    assert_psa::<Guarded<Arc<dyn Psa>>>();
    assert_psa::<Guarded<Guarded<Arc<dyn Psa>>>>();
    assert_psa::<Guarded<&'static CountingPsa>>();
    assert_clone::<Guarded<Arc<dyn Psa>>>();
    assert_traits::<Policy>();
    assert_traits::<GroupPolicy>();
    assert_traits::<ChannelApprover>();
    assert_traits::<AutoApprove>();
    assert_traits::<DenyAll>();
    assert_traits::<MemoryAudit>();
    assert_traits::<TracingAudit>();
    assert_traits::<JsonLinesAudit<std::fs::File>>();
    assert_traits::<AuditEvent>();
    assert_traits::<Arc<dyn Approver>>();
    assert_traits::<Arc<dyn AuditSink>>();
}

#[test]
fn debug_shows_the_label_and_policy_not_secrets() {
    let fake = CountingPsa::new();
    let g = Guarded::new(&fake, Policy::profile(Profile::Helpdesk)).with_label("triage-bot");
    let dbg = format!("{g:?}");
    assert!(dbg.contains("triage-bot"), "{dbg}");
    assert!(
        dbg.contains("Helpdesk") || dbg.contains("ReadWrite"),
        "{dbg}"
    );
    assert_eq!(g.label(), "triage-bot");
    assert_eq!(g.allowed_operations(), g.policy().allowed_operations());
}
