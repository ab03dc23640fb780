//! The guard's approvals (an approver deciding, once) and its audit (one
//! event per write attempt, no secret anywhere).

mod common;

use std::fmt::Debug;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{CANARY, CountingPsa, MISSING, webhook_with_canary};
use futures::StreamExt;
use psa_core::{
    Access, Id, NewNote, NewTicket, OpKind, Operation, PermissionGroup, PlannedWrite, Psa,
    RawRequest, TicketPatch, TicketQuery,
};
use psa_permissions::{
    Approval, ApprovalRequest, Approver, AuditDecision, AuditEvent, AuditOutcome, AuditSink,
    ChannelApprover, Decision, DenyAll, Guarded, JsonLinesAudit, MemoryAudit, Mode, Policy,
    Profile, TracingAudit,
};

use PermissionGroup as G;

fn guard(policy: impl Into<Policy>) -> (Arc<CountingPsa>, MemoryAudit, Guarded<Arc<CountingPsa>>) {
    let fake = Arc::new(CountingPsa::new());
    let audit = MemoryAudit::new();
    let g = Guarded::new(Arc::clone(&fake), policy).with_audit(audit.clone());
    (fake, audit, g)
}

// ---- approval ---------------------------------------------------------------------------------

/// An approver that counts reviews and answers as told.
#[derive(Debug)]
struct Recording {
    answer: Decision,
    seen: Mutex<Vec<PlannedWrite>>,
}

#[async_trait::async_trait]
impl Approver for Recording {
    async fn review(&self, plan: &PlannedWrite) -> Decision {
        self.seen.lock().expect("lock").push(plan.clone());
        self.answer.clone()
    }
}

fn approval_policy(rule: Approval) -> Policy {
    Policy::empty()
        .grant(G::Tickets, Access::ReadWrite)
        .merge(true)
        .approval(rule)
        .build()
}

#[tokio::test]
async fn approved_writes_execute_once() {
    let approver = Arc::new(Recording {
        answer: Decision::Approve,
        seen: Mutex::new(Vec::new()),
    });
    let (fake, audit, g) = guard(approval_policy(Approval::Writes));
    let g = g.with_approver(Arc::clone(&approver));
    g.update_ticket(&Id::from(1), TicketPatch::new().status(3))
        .await
        .unwrap();
    assert_eq!(fake.calls(), vec![Operation::UpdateTicket]);
    let seen = approver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].operation, Operation::UpdateTicket);
    assert_eq!(seen[0].target, Some(Id::from(1)));
    let events = audit.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].decision, AuditDecision::Approved);
    assert_eq!(events[0].outcome, AuditOutcome::Ok);
    // Reads are never sent for approval.
    g.get_ticket(&Id::from(1)).await.unwrap();
    assert_eq!(approver.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn denied_approval_is_an_error_and_executes_nothing() {
    let (fake, audit, g) = guard(approval_policy(Approval::Writes));
    let g = g.with_approver(DenyAll::with_reason("change freeze"));
    let err = g
        .update_ticket(&Id::from(1), TicketPatch::new().status(3))
        .await
        .unwrap_err();
    assert!(err.is_approval_denied(), "{err:?}");
    assert!(err.to_string().contains("change freeze"), "{err}");
    assert_eq!(
        err.plan().map(|p| p.operation),
        Some(Operation::UpdateTicket)
    );
    assert_eq!(fake.count(), 0);
    assert_eq!(
        audit.events()[0].decision,
        AuditDecision::ApprovalDenied("change freeze".into())
    );
    assert_eq!(audit.events()[0].outcome, AuditOutcome::NotSent);

    // No approver configured: fail closed.
    let (fake, _audit, g) = guard(approval_policy(Approval::Writes));
    let err = g.create_ticket(NewTicket::new("x", 1)).await.unwrap_err();
    assert!(err.is_approval_denied());
    assert_eq!(fake.count(), 0);
}

#[tokio::test]
async fn destructive_approval_only_asks_for_deletes_merges_and_bundles() {
    let approver = Arc::new(Recording {
        answer: Decision::deny("not now"),
        seen: Mutex::new(Vec::new()),
    });
    let (fake, _audit, g) = guard(approval_policy(Approval::Destructive));
    let g = g.with_approver(Arc::clone(&approver));
    g.update_ticket(&Id::from(1), TicketPatch::new().status(3))
        .await
        .unwrap();
    assert!(approver.seen.lock().unwrap().is_empty());
    let err = g
        .merge_tickets(&Id::from(1), &[Id::from(2)])
        .await
        .unwrap_err();
    assert!(err.is_approval_denied());
    assert_eq!(approver.seen.lock().unwrap().len(), 1);
    assert_eq!(fake.calls(), vec![Operation::UpdateTicket]);
}

#[tokio::test]
async fn channel_approver_round_trip() {
    let (approver, mut requests) = ChannelApprover::new(Duration::from_secs(30));
    let (fake, _audit, g) = guard(approval_policy(Approval::Writes));
    let g = g.with_approver(approver);
    let technician = tokio::spawn(async move {
        let mut answered = 0;
        while let Some(req) = requests.recv().await {
            let req: ApprovalRequest = req;
            if req.plan.fields == vec!["status"] {
                assert!(req.approve());
            } else {
                assert!(req.deny("priority changes need a human"));
            }
            answered += 1;
        }
        answered
    });
    g.update_ticket(&Id::from(1), TicketPatch::new().status(3))
        .await
        .unwrap();
    let err = g
        .update_ticket(&Id::from(1), TicketPatch::new().priority(1))
        .await
        .unwrap_err();
    assert!(err.is_approval_denied());
    assert!(err.to_string().contains("priority changes need a human"));
    assert_eq!(fake.calls(), vec![Operation::UpdateTicket]);
    drop(g);
    assert_eq!(technician.await.unwrap(), 2);
}

#[tokio::test(start_paused = true)]
async fn channel_approver_times_out_closed() {
    let (approver, mut requests) = ChannelApprover::new(Duration::from_secs(60));
    let (fake, audit, g) = guard(approval_policy(Approval::Writes));
    let g = g.with_approver(approver);
    // Someone receives the request but never answers.
    let hold = tokio::spawn(async move {
        let req = requests.recv().await;
        tokio::time::sleep(Duration::from_secs(3600)).await;
        drop(req);
    });
    let err = g
        .update_ticket(&Id::from(1), TicketPatch::new().status(3))
        .await
        .unwrap_err();
    assert!(err.is_approval_denied(), "{err:?}");
    assert!(err.to_string().contains("no approval within"), "{err}");
    assert_eq!(fake.count(), 0);
    assert!(matches!(
        audit.events()[0].decision,
        AuditDecision::ApprovalDenied(_)
    ));
    hold.abort();
}

#[tokio::test]
async fn channel_approver_fails_closed_when_nobody_listens() {
    // The receiver is gone.
    let (approver, requests) = ChannelApprover::new(Duration::from_secs(30));
    drop(requests);
    assert!(matches!(
        approver.review(&plan_example()).await,
        Decision::Deny(r) if r.contains("closed")
    ));
    // The request is dropped unanswered.
    let (approver, mut requests) = ChannelApprover::new(Duration::from_secs(30));
    let dropper = tokio::spawn(async move {
        let req = requests.recv().await;
        drop(req);
    });
    assert!(matches!(
        approver.review(&plan_example()).await,
        Decision::Deny(r) if r.contains("dropped")
    ));
    dropper.await.unwrap();
}

fn plan_example() -> PlannedWrite {
    PlannedWrite::new(
        psa_core::Vendor::Halo,
        Operation::AddNote,
        G::TicketNotes,
        OpKind::Write,
        Some(Id::from(1)),
        vec!["internal".into()],
        serde_json::json!({"body": "x"}),
    )
}

// ---- audit ------------------------------------------------------------------------------------

#[derive(Clone, Default)]
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends every event to two sinks.
#[derive(Debug)]
struct Both(MemoryAudit, Arc<JsonLinesAudit<SharedBuf>>);

#[async_trait::async_trait]
impl AuditSink for Both {
    async fn record(&self, event: AuditEvent) {
        self.0.record(event.clone()).await;
        self.1.record(event).await;
    }
}

#[tokio::test]
async fn one_audit_event_per_write_attempt() {
    let memory = MemoryAudit::new();
    let buf = SharedBuf::default();
    let lines = Arc::new(JsonLinesAudit::new(buf.clone()));
    let fake = Arc::new(CountingPsa::new());
    let policy = Policy::profile(Profile::Helpdesk)
        .edit(G::TicketNotes)
        .approval(Approval::Writes);
    let g = Guarded::new(Arc::clone(&fake), policy)
        .with_label("triage-bot")
        .with_audit(Both(memory.clone(), Arc::clone(&lines)))
        .with_approver(DenyAll::with_reason("night shift"));

    // 1. allowed, ok
    g.update_ticket(&Id::from(1), TicketPatch::new().status(2))
        .await
        .unwrap();
    // 2. allowed, the PSA fails
    let err = g
        .update_ticket(&Id::from(MISSING), TicketPatch::new().status(2))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    // 3. denied by policy
    g.update_ticket(&Id::from(1), TicketPatch::new().priority(1))
        .await
        .unwrap_err();
    // 4. allowed, invalid input
    g.create_ticket(NewTicket::new("   ", 12))
        .await
        .unwrap_err();
    // 5. approval denied
    g.add_note(&Id::from(1), NewNote::internal("x"))
        .await
        .unwrap_err();
    // Reads: allowed ones are not audited …
    g.get_ticket(&Id::from(1)).await.unwrap();
    // … denied ones are (6), streams when polled (7).
    let g2 = Guarded::new(Arc::clone(&fake), Policy::empty())
        .with_label("nobody")
        .with_audit(memory.clone());
    g2.get_ticket(&Id::from(1)).await.unwrap_err();
    let stream = g2.list_tickets(TicketQuery::open());
    assert_eq!(memory.events().len(), 6);
    let first: Vec<_> = stream.collect().await;
    assert!(first[0].as_ref().unwrap_err().is_permission_denied());

    let events = memory.events();
    assert_eq!(events.len(), 7);
    let d: Vec<(&AuditDecision, &AuditOutcome)> =
        events.iter().map(|e| (&e.decision, &e.outcome)).collect();
    assert_eq!(d[0], (&AuditDecision::Allowed, &AuditOutcome::Ok));
    assert!(
        matches!(d[1], (AuditDecision::Allowed, AuditOutcome::Failed { kind, .. }) if kind == "not_found")
    );
    assert!(
        matches!(d[2], (AuditDecision::Denied(x), AuditOutcome::NotSent) if x.missing == "field:priority")
    );
    assert!(
        matches!(d[3], (AuditDecision::Allowed, AuditOutcome::Failed { kind, .. }) if kind == "invalid_input")
    );
    assert!(
        matches!(d[4], (AuditDecision::ApprovalDenied(r), AuditOutcome::NotSent) if r == "night shift")
    );
    assert!(matches!(d[5], (AuditDecision::Denied(x), _) if x.missing == "read_only"));
    assert!(matches!(d[6], (AuditDecision::Denied(x), _) if x.operation == Operation::ListTickets));

    let first = &events[0];
    assert_eq!(first.label, "triage-bot");
    assert_eq!(first.vendor, psa_core::Vendor::Halo);
    assert_eq!(first.operation, Operation::UpdateTicket);
    assert_eq!(first.group, Some(G::Tickets));
    assert_eq!(first.kind, OpKind::Write);
    assert_eq!(first.target, Some(Id::from(1)));
    assert_eq!(first.fields, vec!["status"]);
    assert_eq!(events[5].label, "nobody");
    assert_eq!(
        fake.calls(),
        vec![
            Operation::UpdateTicket,
            Operation::UpdateTicket,
            Operation::GetTicket
        ]
    );

    // The JSON lines sink got the same five write events, one JSON object each.
    let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    let parsed: Vec<AuditEvent> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(parsed, events[..5].to_vec());
    let v: serde_json::Value = serde_json::from_str(text.lines().nth(2).unwrap()).unwrap();
    assert_eq!(v["decision"], "denied");
    assert_eq!(v["detail"]["missing"], "field:priority");
    assert_eq!(v["outcome"]["status"], "not_sent");
    assert_eq!(v["label"], "triage-bot");
    assert!(v["time"].as_str().unwrap().ends_with('Z'), "{v}");
}

#[tokio::test]
async fn no_secret_in_any_plan_audit_record_or_debug() {
    let memory = MemoryAudit::new();
    let buf = SharedBuf::default();
    let lines = Arc::new(JsonLinesAudit::new(buf.clone()));
    let mut everything: Vec<String> = Vec::new();
    for mode in [Mode::Live, Mode::Test] {
        let fake = Arc::new(CountingPsa::new());
        let g = Guarded::new(Arc::clone(&fake), Policy::profile(Profile::FullAutomation))
            .with_audit(Both(memory.clone(), Arc::clone(&lines)))
            .with_mode(mode);
        let r = g.subscribe_webhook(webhook_with_canary()).await;
        everything.push(format!("{r:?}"));
        if let Err(e) = &r {
            everything.push(e.to_string());
            everything.push(serde_json::to_string(&e.plan()).unwrap());
        }
        let raw = RawRequest::post(
            "Tickets",
            serde_json::json!({"summary": "x", "nested": [{"Password": CANARY}], "api_token": CANARY}),
        )
        .query("client_secret", CANARY);
        let r = g.raw(raw).await;
        everything.push(format!("{r:?}"));
        everything.push(format!("{g:?}"));
        for p in g.planned() {
            everything.push(serde_json::to_string(&p).unwrap());
            everything.push(format!("{p:?} {p}"));
        }
        if mode == Mode::Test {
            assert_eq!(g.planned().len(), 2);
            assert_eq!(g.planned()[1].payload["body"]["api_token"], "[redacted]");
            assert_eq!(g.planned()[1].payload["body"]["summary"], "x");
            assert_eq!(g.planned()[1].payload["query"][0][1], "[redacted]");
            assert_eq!(g.planned()[0].payload["name"], "ticket events");
            assert_eq!(
                g.planned()[0].payload["url"],
                "https://hooks.example.com/psa?tenant=[redacted]&token=[redacted]"
            );
            assert!(g.planned()[0].fields.contains(&"secret".to_owned()));
        }
    }
    for e in memory.events() {
        everything.push(serde_json::to_string(&e).unwrap());
        everything.push(format!("{e:?} {e}"));
    }
    everything.push(String::from_utf8(buf.0.lock().unwrap().clone()).unwrap());
    let everything = everything.join("\n");
    assert_eq!(memory.events().len(), 4);
    assert!(
        everything.contains("ticket events"),
        "the check must see the records"
    );
    assert!(
        !everything.contains(CANARY),
        "a secret leaked: {everything}"
    );
}

#[tokio::test]
async fn tracing_audit_is_the_default_and_does_not_fail() {
    let fake = CountingPsa::new();
    let g = Guarded::new(&fake, Policy::profile(Profile::Helpdesk));
    assert!(format!("{g:?}").contains("TracingAudit"));
    g.add_note(&Id::from(1), NewNote::internal("x"))
        .await
        .unwrap();
    TracingAudit.record(sample_event()).await;
    assert_eq!(fake.count(), 1);
}

fn sample_event() -> AuditEvent {
    serde_json::from_value(serde_json::json!({
        "time": "2026-11-20T09:00:00Z",
        "label": "x",
        "vendor": "halo",
        "operation": "add_note",
        "group": "ticket_notes",
        "kind": "write",
        "decision": "planned",
        "outcome": {"status": "not_sent"}
    }))
    .expect("an audit event")
}
