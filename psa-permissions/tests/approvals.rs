//! Approval through the PSA, durable plans executed once, and writes
//! attributed to a technician — against an in-memory PSA that keeps tickets
//! with owners and notes with authors, as the vendors do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use futures::stream::{self, BoxStream, StreamExt};
use psa_core::{
    Access, Capabilities, Id, NewNote, NewWebhook, Note, NoteVisibility, Operation,
    PermissionGroup, Psa, Ref, Result, Support, Ticket, TicketEvent, TicketEventKind, TicketPatch,
    Vendor, WebhookSubscription,
};
use psa_permissions::{
    Approval, AuditDecision, AuditOutcome, Decision, FilePlanStore, Guarded, MemoryAudit,
    MemoryPlanStore, PlanId, PlanState, Policy, Profile, PsaApprover, Verdict,
};

/// The agent the API account writes as.
const API_AGENT: i64 = 99;
/// The ticket's assigned agent.
const OWNER: i64 = 7;
/// Another technician, not the owner.
const OTHER_AGENT: i64 = 8;
/// The ticket the tests change.
const TICKET: i64 = 1001;

#[derive(Debug, Default)]
struct State {
    notes: Vec<Note>,
    updates: Vec<(Id, TicketPatch, Option<Id>)>,
    hooks: usize,
}

/// An in-memory PSA: one ticket owned by [`OWNER`], notes with authors, and
/// a count of ticket updates (with the technician each was attributed to).
#[derive(Debug, Clone, Default)]
struct MemoryPsa {
    state: Arc<Mutex<State>>,
    acting: Option<Id>,
}

impl MemoryPsa {
    fn reply(&self, author: i64, body: &str) {
        let mut st = self.state.lock().unwrap();
        let id = Id::from(i64::try_from(st.notes.len()).unwrap() + 1);
        let mut note = Note::new(id, Id::from(TICKET), body, NoteVisibility::Internal);
        note.author = Some(Ref::named(author, format!("Agent {author}")));
        note.created_at = Some(Utc::now());
        st.notes.push(note);
    }

    fn updates(&self) -> usize {
        self.state.lock().unwrap().updates.len()
    }

    fn request_code(&self) -> String {
        let st = self.state.lock().unwrap();
        let body = &st.notes.first().expect("a request note").body;
        let at = body.find("APPROVE ").expect("the approve line") + "APPROVE ".len();
        body[at..at + 8].to_owned()
    }
}

fn one<'a, T: Send + 'a>(items: Vec<T>) -> BoxStream<'a, Result<T>> {
    stream::iter(items.into_iter().map(Ok)).boxed()
}

#[async_trait]
impl Psa for MemoryPsa {
    fn vendor(&self) -> Vendor {
        Vendor::Halo
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::all_supported(Vendor::Halo).with_act_as(Support::Full)
    }
    fn act_as(&self, agent: &Id) -> Result<Arc<dyn Psa>> {
        Ok(Arc::new(MemoryPsa {
            state: Arc::clone(&self.state),
            acting: Some(agent.clone()),
        }))
    }
    fn acting_as(&self) -> Option<&Id> {
        self.acting.as_ref()
    }
    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        let mut t = Ticket::new(id.clone(), "Printer offline");
        t.owner = Some(Ref::named(OWNER, "Olive Owner"));
        Ok(t)
    }
    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        self.state
            .lock()
            .unwrap()
            .updates
            .push((id.clone(), patch, self.acting.clone()));
        self.get_ticket(id).await
    }
    fn list_notes(&self, _ticket: &Id) -> BoxStream<'_, Result<Note>> {
        one(self.state.lock().unwrap().notes.clone())
    }
    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        let author = self
            .acting
            .as_ref()
            .and_then(Id::as_i64)
            .unwrap_or(API_AGENT);
        let mut st = self.state.lock().unwrap();
        let id = Id::from(i64::try_from(st.notes.len()).unwrap() + 1);
        let mut n = Note::new(id, ticket.clone(), note.body, note.visibility);
        n.author = Some(Ref::new(author));
        n.created_at = Some(Utc::now());
        st.notes.push(n.clone());
        Ok(n)
    }
    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        self.state.lock().unwrap().hooks += 1;
        let mut sub = WebhookSubscription::new(Id::from(5));
        sub.url = Some(hook.url.to_string());
        Ok(sub)
    }
}

/// A policy whose ticket writes need approval.
fn policy() -> Policy {
    Policy::profile(Profile::ItAdmin)
        .edit(PermissionGroup::Tickets)
        .approval(Approval::Writes)
        .build()
}

fn approver(psa: &MemoryPsa) -> PsaApprover {
    PsaApprover::new(Arc::new(psa.clone()))
        .poll_interval(Duration::from_millis(10))
        .timeout(Duration::from_secs(5))
}

fn priority() -> TicketPatch {
    TicketPatch::new().priority(Id::from(1))
}

#[tokio::test]
async fn a_deferred_write_runs_once_after_the_owner_approves_on_the_ticket() {
    let psa = MemoryPsa::default();
    let audit = MemoryAudit::new();
    let store = MemoryPlanStore::new();
    let guard = Guarded::new(psa.clone(), policy())
        .with_label("triage-bot")
        .with_approver(approver(&psa))
        .with_audit(audit.clone())
        .defer_approvals(store.clone());

    let err = guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap_err();
    assert!(err.is_approval_pending(), "{err}");
    let id = err.plan_id().unwrap().to_owned();
    assert_eq!(psa.updates(), 0, "nothing is sent while pending");
    let code = psa.request_code();
    assert_eq!(code, PlanId::parse(&id).unwrap().code());
    let request = psa.state.lock().unwrap().notes[0].clone();
    assert!(
        request
            .body
            .contains("triage-bot asks to run update_ticket on ticket 1001 writing [priority]"),
        "{}",
        request.body
    );
    assert_eq!(request.visibility, NoteVisibility::Internal);

    // Undecided, then answers that do not count.
    assert!(
        guard
            .execute_plan(&id)
            .await
            .unwrap_err()
            .is_approval_pending()
    );
    psa.reply(OTHER_AGENT, &format!("APPROVE {code}"));
    psa.reply(OWNER, "APPROVE 00000000");
    psa.reply(OWNER, "approve it please");
    assert!(
        guard
            .execute_plan(&id)
            .await
            .unwrap_err()
            .is_approval_pending()
    );
    assert_eq!(psa.updates(), 0);

    psa.reply(OWNER, &format!("<p>Fine by me. APPROVE {code}</p>"));
    let out = guard.execute_plan(&id).await.unwrap();
    assert_eq!(out["id"], TICKET);
    assert_eq!(psa.updates(), 1);
    let plan = guard.plan(&id).await.unwrap();
    assert!(
        matches!(
            plan.state,
            PlanState::Executed {
                outcome: AuditOutcome::Ok,
                ..
            }
        ),
        "{:?}",
        plan.state
    );

    // A second execution is refused and sends nothing.
    let again = guard.execute_plan(&id).await.unwrap_err();
    assert!(again.to_string().contains("a plan runs once"), "{again}");
    assert_eq!(psa.updates(), 1);

    let events = audit.events();
    assert!(matches!(
        events[0].decision,
        AuditDecision::AwaitingApproval
    ));
    assert_eq!(events[0].plan.as_deref(), Some(id.as_str()));
    let executed = events
        .iter()
        .find(|e| e.outcome == AuditOutcome::Ok)
        .unwrap();
    assert_eq!(executed.decision, AuditDecision::Approved);
    assert_eq!(executed.approver.as_deref(), Some("7"));
    assert!(executed.decided_at.is_some());
    assert_eq!(executed.label, "triage-bot");
}

#[tokio::test]
async fn a_waiting_write_is_denied_by_the_owners_reply() {
    let psa = MemoryPsa::default();
    let audit = MemoryAudit::new();
    let guard = Guarded::new(psa.clone(), policy())
        .with_approver(approver(&psa))
        .with_audit(audit.clone())
        .with_plan_store(MemoryPlanStore::new());
    let replier = psa.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if !replier.state.lock().unwrap().notes.is_empty() {
                let code = replier.request_code();
                replier.reply(OWNER, &format!("DENY {code} not during month-end"));
                break;
            }
        }
    });
    let err = guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap_err();
    assert!(err.is_approval_denied(), "{err}");
    assert!(err.to_string().contains("not during month-end"), "{err}");
    assert_eq!(psa.updates(), 0);
    let ev = audit.events().pop().unwrap();
    assert!(matches!(ev.decision, AuditDecision::ApprovalDenied(_)));
    assert_eq!(ev.approver.as_deref(), Some("7"));
    let plans = guard.plans().await.unwrap();
    assert!(matches!(plans[0].state, PlanState::Denied { .. }));
}

#[tokio::test]
async fn a_waiting_write_runs_when_approved_and_no_answer_denies() {
    let psa = MemoryPsa::default();
    let guard = Guarded::new(psa.clone(), policy())
        .with_approver(approver(&psa).timeout(Duration::from_millis(150)))
        .with_plan_store(MemoryPlanStore::new());
    let err = guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap_err();
    assert!(
        err.is_approval_denied() && err.to_string().contains("no answer"),
        "{err}"
    );
    assert_eq!(psa.updates(), 0);

    let replier = psa.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let n = replier.state.lock().unwrap().notes.len();
            if n == 2 {
                // The second request (the first one timed out).
                let body = replier.state.lock().unwrap().notes[1].body.clone();
                let at = body.find("APPROVE ").unwrap() + 8;
                replier.reply(OWNER, &format!("APPROVE {}", &body[at..at + 8]));
                break;
            }
        }
    });
    let guard = guard.with_approver(approver(&psa));
    guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap();
    assert_eq!(psa.updates(), 1);
}

#[tokio::test]
async fn a_webhook_event_wakes_a_waiting_review() {
    let psa = MemoryPsa::default();
    let approver = approver(&psa)
        .poll_interval(Duration::from_secs(30))
        .timeout(Duration::from_secs(20));
    let guard = Guarded::new(psa.clone(), policy()).with_approver(approver.clone());
    let replier = psa.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if !replier.state.lock().unwrap().notes.is_empty() {
                let code = replier.request_code();
                replier.reply(OWNER, &format!("APPROVE {code}"));
                approver.on_event(&TicketEvent::new(
                    Vendor::Halo,
                    TicketEventKind::Updated,
                    Id::from(TICKET),
                ));
                break;
            }
        }
    });
    let started = std::time::Instant::now();
    guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(psa.updates(), 1);
}

#[tokio::test]
async fn a_file_store_survives_a_restart_and_two_executors_run_it_once() {
    let dir = std::env::temp_dir().join(format!("psa-approvals-{}", PlanId::new()));
    let psa = MemoryPsa::default();
    let id = {
        let guard = Guarded::new(psa.clone(), policy())
            .with_approver(approver(&psa))
            .defer_approvals(FilePlanStore::open(&dir).unwrap());
        let err = guard
            .update_ticket(&Id::from(TICKET), priority())
            .await
            .unwrap_err();
        err.plan_id().unwrap().to_owned()
    };
    psa.reply(OWNER, &format!("APPROVE {}", psa.request_code()));
    // Two processes' worth of guards on the same directory.
    let a = Guarded::new(psa.clone(), policy())
        .with_approver(approver(&psa))
        .defer_approvals(FilePlanStore::open(&dir).unwrap());
    let b = a.clone();
    let (ra, rb) = tokio::join!(a.execute_plan(&id), b.execute_plan(&id));
    assert_eq!(
        u8::from(ra.is_ok()) + u8::from(rb.is_ok()),
        1,
        "{ra:?} {rb:?}"
    );
    assert_eq!(psa.updates(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_expired_plan_never_runs() {
    let psa = MemoryPsa::default();
    let guard = Guarded::new(psa.clone(), policy())
        .with_approver(approver(&psa))
        .plan_ttl(Duration::from_millis(30))
        .defer_approvals(MemoryPlanStore::new());
    let err = guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap_err();
    let id = err.plan_id().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(60)).await;
    psa.reply(OWNER, &format!("APPROVE {}", psa.request_code()));
    let err = guard.execute_plan(&id).await.unwrap_err();
    assert!(
        err.is_approval_denied() && err.to_string().contains("expired"),
        "{err}"
    );
    assert!(matches!(
        guard.plan(&id).await.unwrap().state,
        PlanState::Expired { .. }
    ));
    assert_eq!(psa.updates(), 0);
}

#[tokio::test]
async fn a_decision_made_elsewhere_is_recorded_and_checked_against_todays_policy() {
    let psa = MemoryPsa::default();
    let audit = MemoryAudit::new();
    let store = MemoryPlanStore::new();
    let guard = Guarded::new(psa.clone(), policy())
        .with_audit(audit.clone())
        .defer_approvals(store.clone());
    let id = guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap_err()
        .plan_id()
        .unwrap()
        .to_owned();
    guard
        .decide_plan(
            &id,
            Verdict::now(Decision::Approve, Some("lead@msp".into())),
        )
        .await
        .unwrap();
    assert!(
        guard
            .decide_plan(&id, Verdict::now(Decision::deny("changed my mind"), None))
            .await
            .is_err(),
        "a decided plan cannot be decided again"
    );
    // The policy changed since: tickets are read-only now.
    let stricter = Guarded::new(
        psa.clone(),
        policy()
            .grant(PermissionGroup::Tickets, Access::ReadOnly)
            .build(),
    )
    .defer_approvals(store.clone());
    let err = stricter.execute_plan(&id).await.unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    assert_eq!(psa.updates(), 0);
    // Under the policy that planned it, it runs.
    guard.execute_plan(&id).await.unwrap();
    assert_eq!(psa.updates(), 1);
    let approved = audit
        .events()
        .into_iter()
        .find(|e| e.decision == AuditDecision::Approved)
        .unwrap();
    assert_eq!(approved.approver.as_deref(), Some("lead@msp"));
}

#[tokio::test]
async fn a_plan_missing_a_secret_cannot_run_from_the_store() {
    let psa = MemoryPsa::default();
    let policy = Policy::profile(Profile::FullAutomation)
        .edit(PermissionGroup::Webhooks)
        .approval(Approval::Writes)
        .build();
    let guard = Guarded::new(psa.clone(), policy).defer_approvals(MemoryPlanStore::new());
    let hook = NewWebhook::new(
        "tickets",
        url::Url::parse("https://hooks.example/psa").unwrap(),
    )
    .secret(secrecy::SecretString::from("CANARY-secret"));
    let err = guard.subscribe_webhook(hook).await.unwrap_err();
    let id = err.plan_id().unwrap().to_owned();
    let plan = guard.plan(&id).await.unwrap();
    assert!(!serde_json::to_string(&plan).unwrap().contains("CANARY"));
    guard
        .decide_plan(&id, Verdict::now(Decision::Approve, None))
        .await
        .unwrap();
    // NewWebhook never serialises its secret: the plan holds every value
    // it has, and the subscription it makes has no secret. A URL with a
    // token, though, is cut from the plan and makes it incomplete.
    let hook = NewWebhook::new(
        "tickets",
        url::Url::parse("https://hooks.example/psa?token=CANARY-token").unwrap(),
    );
    let id2 = guard
        .subscribe_webhook(hook)
        .await
        .unwrap_err()
        .plan_id()
        .unwrap()
        .to_owned();
    let plan2 = guard.plan(&id2).await.unwrap();
    assert!(!plan2.complete);
    guard
        .decide_plan(&id2, Verdict::now(Decision::Approve, None))
        .await
        .unwrap();
    let err = guard.execute_plan(&id2).await.unwrap_err();
    assert!(
        err.is_invalid_input() && err.to_string().contains("secrets"),
        "{err}"
    );
    assert_eq!(psa.state.lock().unwrap().hooks, 0);
}

#[tokio::test]
async fn acting_as_a_technician_needs_the_switch_and_is_audited() {
    let psa = MemoryPsa::default();
    let audit = MemoryAudit::new();
    let no_switch = Guarded::new(psa.clone(), Policy::profile(Profile::ItAdmin));
    let err = no_switch.act_as(&Id::from(OWNER)).unwrap_err();
    assert!(err.is_permission_denied(), "{err}");

    let guard = Guarded::new(psa.clone(), Policy::profile(Profile::ItAdmin).act_as(true))
        .with_label("dispatch-bot")
        .with_audit(audit.clone());
    let tech = guard.act_as(&Id::from(OWNER)).unwrap();
    assert_eq!(tech.acting_as(), Some(&Id::from(OWNER)));
    tech.update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap();
    let note = tech
        .add_note(&Id::from(TICKET), NewNote::internal("On my way."))
        .await
        .unwrap();
    assert_eq!(note.author.unwrap().id, Id::from(OWNER));
    assert_eq!(
        psa.state.lock().unwrap().updates[0].2,
        Some(Id::from(OWNER)),
        "the vendor client wrote as the technician"
    );
    let events = audit.events();
    assert_eq!(events.len(), 2);
    for e in &events {
        assert_eq!(e.label, "dispatch-bot");
        assert_eq!(e.technician, Some(Id::from(OWNER)));
    }
    assert!(
        events[0].to_string().contains("as agent 7"),
        "{}",
        events[0]
    );
    // A deferred plan remembers the technician and runs as them.
    let store = MemoryPlanStore::new();
    let deferring = Guarded::new(psa.clone(), policy().act_as(true)).defer_approvals(store);
    let tech = deferring.act_as(&Id::from(OTHER_AGENT)).unwrap();
    let err = tech
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap_err();
    let id = err.plan_id().unwrap().to_owned();
    assert_eq!(
        deferring.plan(&id).await.unwrap().technician,
        Some(Id::from(OTHER_AGENT))
    );
    deferring
        .decide_plan(&id, Verdict::now(Decision::Approve, Some("7".into())))
        .await
        .unwrap();
    deferring.execute_plan(&id).await.unwrap();
    assert_eq!(
        psa.state.lock().unwrap().updates.last().unwrap().2,
        Some(Id::from(OTHER_AGENT))
    );
}

#[test]
fn an_unsupported_act_as_names_the_reason() {
    let caps = Capabilities::all_supported(Vendor::Halo);
    assert!(!caps.act_as().is_supported());
    assert_eq!(
        Operation::ALL
            .iter()
            .filter(|op| **op == Operation::Raw)
            .count(),
        1
    );
}

#[tokio::test]
async fn a_test_mode_guard_never_executes_a_stored_plan() {
    let psa = MemoryPsa::default();
    let store = MemoryPlanStore::new();
    let guard = Guarded::new(psa.clone(), policy()).defer_approvals(store.clone());
    let id = guard
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap_err()
        .plan_id()
        .unwrap()
        .to_owned();
    guard
        .decide_plan(&id, Verdict::now(Decision::Approve, Some("lead".into())))
        .await
        .unwrap();
    let dry = guard.clone().test_mode();
    let err = dry.execute_plan(&id).await.unwrap_err();
    assert!(err.is_dry_run(), "{err}");
    assert_eq!(psa.updates(), 0, "test mode sent the plan");
    // The plan is still approved: the live guard runs it, once.
    guard.execute_plan(&id).await.unwrap();
    assert_eq!(psa.updates(), 1);
}

#[tokio::test]
async fn an_echo_filter_learns_the_tickets_a_guard_writes() {
    let psa = MemoryPsa::default();
    let echoes = Arc::new(psa_core::EchoFilter::new());
    let writer = Guarded::new(psa.clone(), Policy::profile(Profile::ItAdmin))
        .with_echo_filter(Arc::clone(&echoes));
    let event = |ticket: i64| {
        psa_core::TicketEvent::new(Vendor::Halo, TicketEventKind::Updated, Id::from(ticket))
    };
    assert!(!echoes.is_echo(&event(TICKET)));
    writer
        .update_ticket(&Id::from(TICKET), priority())
        .await
        .unwrap();
    assert!(echoes.is_echo(&event(TICKET)), "the guard's own write");
    assert!(!echoes.is_echo(&event(TICKET + 1)), "another ticket");
    // A denied write records nothing.
    let reader = Guarded::new(psa.clone(), Policy::profile(Profile::ReadOnly))
        .with_echo_filter(Arc::clone(&echoes));
    assert!(
        reader
            .update_ticket(&Id::from(TICKET + 1), priority())
            .await
            .is_err()
    );
    assert!(!echoes.is_echo(&event(TICKET + 1)));
}
