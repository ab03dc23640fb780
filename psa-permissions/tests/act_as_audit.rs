//! Every refusal of acting as a technician is audited — by the policy, by
//! the client, or by the PSA itself — and the first two send nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use common::CountingPsa;
use psa_core::{
    Capabilities, Error, ErrorKind, Id, NewNote, Note, Operation, PermissionGroup, Psa, Result,
    Support, Vendor,
};
use psa_halo::mock::HaloMock;
use psa_permissions::{
    Approval, AuditDecision, AuditEvent, AuditOutcome, Decision, Guarded, MemoryAudit,
    MemoryPlanStore, PlanState, Policy, Profile, Verdict,
};

/// The technician a write is made for.
const TECH: i64 = 7;
/// A technician the PSA refuses to let the integration act for.
const LOCKED: i64 = 13;

/// The notes written: (ticket, the technician they were written as).
type Written = Arc<Mutex<Vec<(Id, Option<Id>)>>>;

/// A PSA that lets the API account act for technicians — except
/// [`LOCKED`], whose writes the PSA answers with 403 — and counts the
/// calls that reach it.
#[derive(Debug, Clone, Default)]
struct Impersonating {
    requests: Arc<AtomicU64>,
    notes: Written,
    acting: Option<Id>,
}

impl Impersonating {
    fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Psa for Impersonating {
    fn vendor(&self) -> Vendor {
        Vendor::Halo
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::all_supported(Vendor::Halo).with_act_as(Support::Full)
    }
    fn act_as(&self, agent: &Id) -> Result<Arc<dyn Psa>> {
        Ok(Arc::new(Impersonating {
            requests: Arc::clone(&self.requests),
            notes: Arc::clone(&self.notes),
            acting: Some(agent.clone()),
        }))
    }
    fn acting_as(&self) -> Option<&Id> {
        self.acting.as_ref()
    }
    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if self.acting == Some(Id::from(LOCKED)) {
            return Err(Error::new(
                ErrorKind::Forbidden,
                "the API account may not impersonate this resource",
            )
            .with_vendor(Vendor::Halo));
        }
        self.notes
            .lock()
            .unwrap()
            .push((ticket.clone(), self.acting.clone()));
        Ok(Note::new(
            Id::from(1),
            ticket.clone(),
            note.body,
            note.visibility,
        ))
    }
}

fn only(events: &[AuditEvent]) -> &AuditEvent {
    assert_eq!(events.len(), 1, "{events:#?}");
    &events[0]
}

#[tokio::test]
async fn a_technician_the_policy_does_not_allow_is_audited_and_nothing_is_sent() {
    let fake = Arc::new(CountingPsa::new());
    let audit = MemoryAudit::new();
    let guard = Guarded::new(Arc::clone(&fake), Policy::profile(Profile::ItAdmin))
        .with_label("voice-agent")
        .with_audit(audit.clone());

    let err = guard
        .act_as_for(&Id::from(TECH), Operation::AddNote)
        .await
        .unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    let denial = err.denial().expect("a denial");
    assert_eq!(denial.missing, "act_as");
    assert_eq!(denial.operation, Operation::AddNote);

    let events = audit.events();
    let ev = only(&events);
    assert_eq!(ev.label, "voice-agent");
    assert_eq!(ev.technician, Some(Id::from(TECH)));
    assert_eq!(ev.operation, Operation::AddNote);
    assert_eq!(ev.group, Some(PermissionGroup::TicketNotes));
    assert!(
        matches!(&ev.decision, AuditDecision::Denied(d) if d.missing == "act_as"),
        "{ev:?}"
    );
    assert_eq!(ev.outcome, AuditOutcome::NotSent);
    let line = ev.to_string();
    assert!(
        line.contains("voice-agent") && line.contains("as agent 7") && line.contains("act_as"),
        "{line}"
    );
    // The JSON record says the same.
    let json = serde_json::to_value(ev).unwrap();
    assert_eq!(json["technician"], 7);
    assert_eq!(json["detail"]["missing"], "act_as");
    assert_eq!(fake.count(), 0, "a refused act_as reached the client");
}

#[tokio::test]
async fn a_client_that_cannot_act_for_the_technician_is_audited_and_nothing_is_sent() {
    // A client without act_as support answers Unsupported.
    let fake = Arc::new(CountingPsa::new());
    let audit = MemoryAudit::new();
    let guard = Guarded::new(
        Arc::clone(&fake),
        Policy::profile(Profile::ItAdmin).act_as(true),
    )
    .with_audit(audit.clone());
    let err = guard
        .act_as_for(&Id::from(TECH), Operation::UpdateTicket)
        .await
        .unwrap_err();
    assert!(err.is_unsupported(), "{err}");
    let events = audit.events();
    let ev = only(&events);
    assert_eq!(ev.operation, Operation::UpdateTicket);
    assert_eq!(ev.technician, Some(Id::from(TECH)));
    assert_eq!(ev.decision, AuditDecision::Allowed);
    assert!(
        matches!(&ev.outcome, AuditOutcome::Failed { kind, .. } if kind == "unsupported"),
        "{ev:?}"
    );
    assert_eq!(fake.count(), 0);

    // The HaloPSA client refuses an agent id that is not one, before any
    // request.
    let sim = HaloMock::start().await;
    let audit = MemoryAudit::new();
    let guard = Guarded::new(sim.client(), Policy::profile(Profile::ItAdmin).act_as(true))
        .with_audit(audit.clone());
    let err = guard
        .act_as_for(&Id::from(-3), Operation::AddNote)
        .await
        .unwrap_err();
    let events = audit.events();
    let ev = only(&events);
    assert_eq!(ev.technician, Some(Id::from(-3)));
    assert!(
        matches!(&ev.outcome, AuditOutcome::Failed { message, .. } if *message == err.to_string()),
        "{ev:?}"
    );
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn an_allowed_technician_is_not_a_refusal_and_the_write_is_audited_once() {
    let psa = Impersonating::default();
    let audit = MemoryAudit::new();
    let guard = Guarded::new(psa.clone(), Policy::profile(Profile::ItAdmin).act_as(true))
        .with_audit(audit.clone());
    let view = guard
        .act_as_for(&Id::from(TECH), Operation::AddNote)
        .await
        .unwrap();
    assert_eq!(view.acting_as(), Some(&Id::from(TECH)));
    assert!(audit.events().is_empty(), "an allowed act_as is no event");
    view.add_note(&Id::from(1001), NewNote::internal("On my way."))
        .await
        .unwrap();
    let events = audit.events();
    let ev = only(&events);
    assert_eq!(ev.decision, AuditDecision::Allowed);
    assert_eq!(ev.outcome, AuditOutcome::Ok);
    assert_eq!(ev.technician, Some(Id::from(TECH)));
    assert_eq!(
        psa.notes.lock().unwrap()[0],
        (Id::from(1001), Some(Id::from(TECH)))
    );
}

#[tokio::test]
async fn a_technician_the_psa_refuses_is_audited_as_a_failed_write() {
    let psa = Impersonating::default();
    let audit = MemoryAudit::new();
    let guard = Guarded::new(psa.clone(), Policy::profile(Profile::ItAdmin).act_as(true))
        .with_label("voice-agent")
        .with_audit(audit.clone());
    let view = guard
        .act_as_for(&Id::from(LOCKED), Operation::AddNote)
        .await
        .unwrap();
    let err = view
        .add_note(&Id::from(1001), NewNote::internal("x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    let events = audit.events();
    let ev = only(&events);
    assert_eq!(ev.label, "voice-agent");
    assert_eq!(ev.technician, Some(Id::from(LOCKED)));
    assert_eq!(ev.operation, Operation::AddNote);
    assert_eq!(ev.decision, AuditDecision::Allowed);
    assert!(
        matches!(&ev.outcome, AuditOutcome::Failed { kind, message }
            if kind == "forbidden" && message.contains("impersonate")),
        "{ev:?}"
    );
    // It reached the PSA, which refused it.
    assert_eq!(psa.requests(), 1);
    assert!(psa.notes.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_approved_plan_for_a_technician_is_refused_and_audited_when_acting_for_them_is_not_possible()
 {
    let psa = Impersonating::default();
    let store = MemoryPlanStore::new();
    let policy = Policy::profile(Profile::ItAdmin)
        .edit(PermissionGroup::TicketNotes)
        .approval(Approval::Writes)
        .build()
        .act_as(true);
    let planner = Guarded::new(psa.clone(), policy.clone())
        .with_label("dispatch-bot")
        .defer_approvals(store.clone());
    let tech = planner.act_as(&Id::from(TECH)).unwrap();
    let err = tech
        .add_note(&Id::from(1001), NewNote::internal("Parts ordered."))
        .await
        .unwrap_err();
    let id = err.plan_id().unwrap().to_owned();
    planner
        .decide_plan(&id, Verdict::now(Decision::Approve, Some("12".into())))
        .await
        .unwrap();

    // The act_as switch was turned off since: refused, audited, not run.
    let audit = MemoryAudit::new();
    let revoked = Guarded::new(psa.clone(), policy.clone().act_as(false))
        .with_label("dispatch-bot")
        .with_audit(audit.clone())
        .with_plan_store(store.clone());
    let err = revoked.execute_plan(&id).await.unwrap_err();
    assert_eq!(err.denial().map(|d| d.missing.as_str()), Some("act_as"));
    let events = audit.events();
    let ev = only(&events);
    assert_eq!(ev.plan.as_deref(), Some(id.as_str()));
    assert_eq!(ev.technician, Some(Id::from(TECH)));
    assert_eq!(ev.operation, Operation::AddNote);
    assert!(matches!(ev.decision, AuditDecision::Denied(_)), "{ev:?}");
    assert_eq!(psa.requests(), 0);

    // A client that cannot act for anyone: refused, audited, not run.
    let fake = Arc::new(CountingPsa::new());
    let audit = MemoryAudit::new();
    let unable = Guarded::new(Arc::clone(&fake), policy.clone())
        .with_audit(audit.clone())
        .with_plan_store(store.clone());
    let err = unable.execute_plan(&id).await.unwrap_err();
    assert!(err.is_unsupported(), "{err}");
    let events = audit.events();
    let ev = only(&events);
    assert_eq!(ev.plan.as_deref(), Some(id.as_str()));
    assert_eq!(ev.technician, Some(Id::from(TECH)));
    assert!(
        matches!(&ev.outcome, AuditOutcome::Failed { kind, .. } if kind == "unsupported"),
        "{ev:?}"
    );
    assert_eq!(fake.count(), 0);

    // The plan is still approved, and runs as the technician where it can.
    let stored = planner.plan(&id).await.unwrap();
    assert!(
        matches!(stored.state, PlanState::Approved { .. }),
        "{stored:?}"
    );
    planner.execute_plan(&id).await.unwrap();
    assert_eq!(
        psa.notes.lock().unwrap().as_slice(),
        &[(Id::from(1001), Some(Id::from(TECH)))]
    );
}

#[test]
fn psa_act_as_alone_is_still_refused_at_once() {
    // No write is named yet: the refusal is the error the caller holds.
    let guard = Guarded::new(Impersonating::default(), Policy::profile(Profile::ItAdmin));
    let err = guard.act_as(&Id::from(TECH)).unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    assert!(err.to_string().contains("act_as"), "{err}");
}
