//! [`Guarded`]: a [`Psa`] that enforces a [`Policy`] before anything reaches
//! the client it wraps.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::Utc;
use futures::stream::{self, BoxStream, StreamExt};
use psa_core::{
    Denial, EchoFilter, Error, Id, OpKind, Operation, PermissionGroup, PlannedWrite, Psa,
    ReplayWindow, Result,
};
use serde_json::Value;

use crate::approval::{Approver, Decision, DenyAll, Verdict};
use crate::audit::{AuditDecision, AuditEvent, AuditOutcome, AuditSink, TracingAudit};
use crate::plan::{PlanId, PlanStore, StoredPlan};

mod plans;
mod psa;
mod redact;

use redact::{REDACTED, payload, raw_payload, validate_ids};

use crate::policy::Policy;
use plans::{claim, contains_redacted, decided, executed};

/// Whether allowed writes are executed or only planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Mode {
    /// Allowed writes are executed (after approval when the policy asks for it).
    #[default]
    Live,
    /// Test mode: allowed writes are planned, recorded and audited, and
    /// return [`DryRun`](psa_core::ErrorKind::DryRun) errors carrying the
    /// plan; nothing is executed. Reads work as usual.
    Test,
}

/// A [`Psa`] that enforces a [`Policy`].
///
/// For every call, before anything reaches the inner client: the access
/// level the operation needs, the delete / merge / bundle switch, the field
/// whitelist against the input's `written_fields()`, and the input's
/// `validate()`; for raw requests, the group the inner client maps the path
/// to ([`Psa::raw_group`]), the method's kind, and the raw switch. A denial
/// is a [`PermissionDenied`](psa_core::ErrorKind::PermissionDenied) error
/// naming the operation, the group and the missing right, and makes no call
/// to the inner client.
///
/// An allowed write is planned ([`PlannedWrite`]: the input as JSON, with no
/// secret). In [test mode](Mode::Test) the plan is recorded and returned as a
/// `DryRun` error; otherwise, if the group's [`Approval`](crate::Approval)
/// rule asks for it, the [`Approver`] reviews it, and then it is executed.
/// Every write attempt produces exactly one [`AuditEvent`]; so does every
/// denied read. Allowed reads pass through unaudited.
///
/// Many guards can share one client: `Guarded<Arc<dyn Psa>>`.
///
/// ```
/// use std::sync::Arc;
/// use psa_core::{Access, Operation, PermissionGroup, Psa};
/// use psa_permissions::{Guarded, MemoryAudit, Policy, Profile};
///
/// fn triage_bot(client: Arc<dyn Psa>, audit: MemoryAudit) -> Guarded<Arc<dyn Psa>> {
///     let policy = Policy::profile(Profile::ReadOnly)
///         .grant(PermissionGroup::TicketNotes, Access::ReadWrite)
///         .fields(["internal"]);
///     let guard = Guarded::new(client, policy)
///         .with_label("triage-bot")
///         .with_audit(audit);
///     assert!(guard.allows(Operation::AddNote));
///     assert!(!guard.allows(Operation::UpdateTicket));
///     guard
/// }
/// ```
pub struct Guarded<P> {
    inner: P,
    policy: Arc<Policy>,
    label: Arc<str>,
    mode: Mode,
    approver: Arc<dyn Approver>,
    audit: Arc<dyn AuditSink>,
    planned: Arc<Mutex<Vec<PlannedWrite>>>,
    plans: Option<Arc<dyn PlanStore>>,
    defer: bool,
    plan_ttl: Duration,
    technician: Option<Id>,
    echo: Option<Arc<EchoFilter>>,
    replay: Option<Arc<ReplayWindow>>,
}

impl<P: Clone> Clone for Guarded<P> {
    /// A clone shares the policy, sinks and recorded plans.
    fn clone(&self) -> Self {
        Guarded {
            inner: self.inner.clone(),
            policy: Arc::clone(&self.policy),
            label: Arc::clone(&self.label),
            mode: self.mode,
            approver: Arc::clone(&self.approver),
            audit: Arc::clone(&self.audit),
            planned: Arc::clone(&self.planned),
            plans: self.plans.clone(),
            defer: self.defer,
            plan_ttl: self.plan_ttl,
            technician: self.technician.clone(),
            echo: self.echo.clone(),
            replay: self.replay.clone(),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for Guarded<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guarded")
            .field("label", &self.label)
            .field("mode", &self.mode)
            .field("policy", &self.policy)
            .field("approver", &self.approver)
            .field("audit", &self.audit)
            .field("plans", &self.plans)
            .field("defer", &self.defer)
            .field("technician", &self.technician)
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

/// What the guard knows about one call before deciding.
struct Call {
    operation: Operation,
    group: Option<PermissionGroup>,
    kind: OpKind,
    target: Option<Id>,
    fields: Vec<String>,
    request: Option<String>,
}

impl Call {
    fn op(operation: Operation) -> Self {
        let d = operation.descriptor();
        Call {
            operation,
            group: Some(d.group),
            kind: d.kind,
            target: None,
            fields: Vec::new(),
            request: None,
        }
    }

    fn target(mut self, id: &Id) -> Self {
        self.target = Some(id.clone());
        self
    }

    fn fields(mut self, fields: Vec<String>) -> Self {
        self.fields = fields;
        self
    }
}

/// Why [`Psa::act_as`] was refused.
enum ActAsRefusal {
    /// The policy's `act_as` switch is off.
    Policy,
    /// The inner client cannot act for that agent (`Unsupported`, or
    /// whatever else its `act_as` returned).
    Client(Error),
}

/// A write that passed every check, waiting to be executed and audited.
struct Cleared {
    event: AuditEvent,
    /// The stored plan this write executes, claimed (`Executing`).
    plan: Option<PlanId>,
}

impl<P: Psa> Guarded<P> {
    /// Guards `inner` with `policy`: live mode, label `"unlabelled"`, no approver
    /// (a write that needs approval is denied), audit to `tracing`.
    pub fn new(inner: P, policy: impl Into<Policy>) -> Self {
        Guarded {
            inner,
            policy: Arc::new(policy.into()),
            label: Arc::from("unlabelled"),
            mode: Mode::Live,
            approver: Arc::new(DenyAll::with_reason(
                "approval required but no approver is configured",
            )),
            audit: Arc::new(TracingAudit),
            planned: Arc::new(Mutex::new(Vec::new())),
            plans: None,
            defer: false,
            plan_ttl: Self::DEFAULT_PLAN_TTL,
            technician: None,
            echo: None,
            replay: None,
        }
    }

    /// How long a stored plan may wait for approval by default.
    pub const DEFAULT_PLAN_TTL: Duration = Duration::from_secs(24 * 3600);

    /// Stores every write that needs approval in `store` before the approver
    /// is asked, with what happens to it (approved by whom and when, denied,
    /// executed with its outcome): see [`crate::plan`]. The write's call
    /// still waits for the approver unless [`defer_approvals`](Self::defer_approvals).
    #[must_use]
    pub fn with_plan_store(mut self, store: impl PlanStore + 'static) -> Self {
        self.plans = Some(Arc::new(store));
        self
    }

    /// Deferred approval: a write that needs approval is stored in `store`,
    /// submitted to the approver ([`Approver::submit`]) and answered at once
    /// with an [`ApprovalPending`](psa_core::ErrorKind::ApprovalPending)
    /// error naming the plan; nothing is sent. Once approved,
    /// [`execute_plan`](Self::execute_plan) runs it, exactly as planned, once.
    #[must_use]
    pub fn defer_approvals(mut self, store: impl PlanStore + 'static) -> Self {
        self.plans = Some(Arc::new(store));
        self.defer = true;
        self
    }

    /// How long a stored plan may wait for a decision before it expires
    /// (default [`DEFAULT_PLAN_TTL`](Self::DEFAULT_PLAN_TTL)).
    #[must_use]
    pub fn plan_ttl(mut self, ttl: Duration) -> Self {
        self.plan_ttl = ttl;
        self
    }

    /// The plan store, when one is configured.
    pub fn plan_store(&self) -> Option<&Arc<dyn PlanStore>> {
        self.plans.as_ref()
    }

    /// Names the principal (`triage-bot`), for audit records.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Arc::from(label.into());
        self
    }

    /// Sets the mode.
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Test mode: writes are planned and recorded, never executed.
    #[must_use]
    pub fn test_mode(self) -> Self {
        self.with_mode(Mode::Test)
    }

    /// Sets the approver consulted where the policy asks for approval.
    #[must_use]
    pub fn with_approver(mut self, approver: impl Approver + 'static) -> Self {
        self.approver = Arc::new(approver);
        self
    }

    /// Records every ticket this guard writes in `filter`, so that the
    /// webhook events those writes cause can be recognised as echoes
    /// ([`EchoFilter::is_echo`]) by the program that receives them. Views
    /// made by [`act_as`](Psa::act_as) record in the same filter.
    ///
    /// ```
    /// # fn demo(client: std::sync::Arc<dyn psa_core::Psa>) {
    /// use std::sync::Arc;
    /// use psa_core::EchoFilter;
    /// use psa_permissions::{Guarded, Policy, Profile};
    ///
    /// let echoes = Arc::new(EchoFilter::new().actor("svc-psa-bot"));
    /// let agent = Guarded::new(client, Policy::profile(Profile::Helpdesk))
    ///     .with_echo_filter(Arc::clone(&echoes));
    /// // In the webhook handler: `let events = echoes.retain(events);`
    /// # }
    /// ```
    #[must_use]
    pub fn with_echo_filter(mut self, filter: Arc<EchoFilter>) -> Self {
        self.echo = Some(filter);
        self
    }

    /// Refuses replayed and stale webhook deliveries: once the inner client
    /// has parsed and verified a delivery ([`Psa::parse_webhook`]), its
    /// events are checked with [`ReplayWindow::check_all`], and a delivery
    /// whose delivery id was seen before, or whose events are older than the
    /// window (or dated too far ahead), is the
    /// [`Webhook`](psa_core::ErrorKind::Webhook) error the window returns —
    /// never events. Views made by [`act_as`](Psa::act_as) share the window.
    ///
    /// A delivery is accepted or refused whole, as `check_all` decides: if
    /// any of its events is refused, none is returned. Its delivery ids are
    /// remembered only once all its events passed the time check, so a
    /// delivery refused as stale leaves no id behind; one refused because an
    /// id was seen before may have had its other, new ids remembered — a
    /// resend of it is refused all the same. A delivery the inner client
    /// refuses (a bad signature or secret) never reaches the window, so a
    /// forged delivery cannot spend a genuine delivery's id.
    ///
    /// ```
    /// # fn demo(client: std::sync::Arc<dyn psa_core::Psa>) {
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use psa_core::ReplayWindow;
    /// use psa_permissions::{Guarded, Policy, Profile};
    ///
    /// let window = ReplayWindow::new(Duration::from_secs(15 * 60)).remember_ids(50_000);
    /// let receiver = Guarded::new(client, Policy::profile(Profile::ReadOnly))
    ///     .with_replay_window(Arc::new(window));
    /// // In the webhook handler: `receiver.parse_webhook(&delivery).await?`
    /// // is an error for a delivery received before or sent too long ago.
    /// # }
    /// ```
    #[must_use]
    pub fn with_replay_window(mut self, window: Arc<ReplayWindow>) -> Self {
        self.replay = Some(window);
        self
    }

    /// Sets the audit sink.
    #[must_use]
    pub fn with_audit(mut self, sink: impl AuditSink + 'static) -> Self {
        self.audit = Arc::new(sink);
        self
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The principal's label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The wrapped client.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    /// The wrapped client, guard removed.
    pub fn into_inner(self) -> P {
        self.inner
    }

    /// Whether the policy could ever allow `op`; see [`Policy::allows`].
    pub fn allows(&self, op: Operation) -> bool {
        self.policy.allows(op)
    }

    /// Every operation the policy could allow.
    pub fn allowed_operations(&self) -> Vec<Operation> {
        self.policy.allowed_operations()
    }

    /// The writes planned in test mode so far, oldest first.
    pub fn planned(&self) -> Vec<PlannedWrite> {
        self.planned
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the planned writes.
    pub fn clear_planned(&self) {
        self.planned
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn event(&self, call: Call, decision: AuditDecision, outcome: AuditOutcome) -> AuditEvent {
        AuditEvent {
            time: Utc::now(),
            label: self.label.to_string(),
            vendor: self.inner.vendor(),
            operation: call.operation,
            group: call.group,
            kind: call.kind,
            target: call.target,
            fields: call.fields,
            request: call.request,
            technician: self.technician.clone(),
            plan: None,
            approver: None,
            decided_at: None,
            decision,
            outcome,
        }
    }

    /// The guarded view acting as `agent`, or why it cannot be had. Sends
    /// nothing: the policy's switch is read, then the inner client's
    /// `act_as` (which builds a view) is asked.
    fn try_act_as(&self, agent: &Id) -> std::result::Result<Arc<dyn Psa>, ActAsRefusal> {
        if !self.policy.act_as_allowed() {
            return Err(ActAsRefusal::Policy);
        }
        let view = self.inner.act_as(agent).map_err(ActAsRefusal::Client)?;
        Ok(Arc::new(Guarded {
            inner: view,
            policy: Arc::clone(&self.policy),
            label: Arc::clone(&self.label),
            mode: self.mode,
            approver: Arc::clone(&self.approver),
            audit: Arc::clone(&self.audit),
            planned: Arc::clone(&self.planned),
            plans: self.plans.clone(),
            defer: self.defer,
            plan_ttl: self.plan_ttl,
            technician: Some(agent.clone()),
            echo: self.echo.clone(),
            replay: self.replay.clone(),
        }))
    }

    /// The error of a refused `act_as` that names no write yet.
    fn act_as_error(&self, agent: &Id, refusal: ActAsRefusal) -> Error {
        match refusal {
            ActAsRefusal::Policy => Error::new(
                psa_core::ErrorKind::PermissionDenied,
                format!("acting as agent {agent} needs the policy's act_as switch"),
            )
            .with_vendor(self.inner.vendor()),
            ActAsRefusal::Client(e) => e,
        }
    }

    /// Audits a refused `act_as` as the write `call` it was for, attributed
    /// to `agent`, and returns the error for the caller. Nothing was sent.
    async fn refuse_act_as(
        &self,
        call: Call,
        agent: &Id,
        refusal: ActAsRefusal,
        plan: Option<&PlanId>,
    ) -> Error {
        let (decision, outcome, err) = match refusal {
            ActAsRefusal::Policy => {
                let denial = Denial::new(call.operation, None, "act_as");
                let err = Error::permission_denied(denial.clone()).with_vendor(self.inner.vendor());
                (AuditDecision::Denied(denial), AuditOutcome::NotSent, err)
            }
            // The policy allowed it; the client refused to act for them.
            ActAsRefusal::Client(e) => (AuditDecision::Allowed, AuditOutcome::failed(&e), e),
        };
        let mut ev = self.event(call, decision, outcome);
        ev.technician = Some(agent.clone());
        ev.plan = plan.map(ToString::to_string);
        self.audit.record(ev).await;
        err
    }

    /// [`Psa::act_as`] for a write of `operation`: the same guarded view
    /// acting as `agent`, and the same refusals, but a refusal is audited —
    /// one [`AuditEvent`] naming the principal (the label), the technician
    /// `agent`, `operation` and why:
    ///
    /// - the policy's [`act_as`](crate::Policy::act_as) switch is off:
    ///   decision [`Denied`](AuditDecision::Denied) with `missing` =
    ///   `"act_as"`, outcome `NotSent`; the error is that
    ///   [`PermissionDenied`](psa_core::ErrorKind::PermissionDenied) denial;
    /// - the inner client cannot act for `agent` (`Unsupported`, or another
    ///   error of its `act_as`): decision `Allowed`, outcome
    ///   [`Failed`](AuditOutcome::Failed) with that error, which is returned.
    ///
    /// Either way nothing is sent. Use it where a write and the technician
    /// it is for arrive together (an agent's tool call, a queued job);
    /// `Psa::act_as` alone names no write, so its refusal is only an error.
    /// A write the vendor itself refuses for that technician (a `Forbidden`
    /// from the PSA) is audited by the view like any failed write, with the
    /// technician.
    ///
    /// ```
    /// # async fn demo(guard: psa_permissions::Guarded<std::sync::Arc<dyn psa_core::Psa>>) -> psa_core::Result<()> {
    /// use psa_core::{Id, NewNote, Operation, Psa};
    ///
    /// let technician = Id::from(7);
    /// let view = guard.act_as_for(&technician, Operation::AddNote).await?;
    /// view.add_note(&Id::from(1001), NewNote::internal("Called the user back.")).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Psa::act_as`] on a guard, with the denial carrying `operation`.
    pub async fn act_as_for(&self, agent: &Id, operation: Operation) -> Result<Arc<dyn Psa>> {
        match self.try_act_as(agent) {
            Ok(view) => Ok(view),
            Err(refusal) => Err(self
                .refuse_act_as(Call::op(operation), agent, refusal, None)
                .await),
        }
    }

    fn decide(&self, call: &Call) -> Result<(), Denial> {
        if call.operation == Operation::Raw {
            self.policy.check_raw(call.group, call.kind)
        } else {
            self.policy.check(call.operation, &call.fields)
        }
    }

    /// Checks a read. A denial is audited and returned.
    async fn gate_read(&self, call: Call, valid: Result<()>) -> Result<()> {
        match self.decide(&call) {
            Ok(()) => valid,
            Err(denial) => {
                let err = Error::permission_denied(denial.clone());
                let ev = self.event(call, AuditDecision::Denied(denial), AuditOutcome::NotSent);
                self.audit.record(ev).await;
                Err(err)
            }
        }
    }

    /// Checks a read that returns a stream: `Ok` to go ahead, or the stream
    /// to return instead (it audits the denial when first polled).
    fn gate_stream<'a, T: Send + 'a>(
        &'a self,
        call: Call,
        valid: Result<()>,
    ) -> std::result::Result<(), BoxStream<'a, Result<T>>> {
        match self.decide(&call) {
            Ok(()) => valid.map_err(psa_core::psa::error_stream),
            Err(denial) => {
                let err = Error::permission_denied(denial.clone());
                let ev = self.event(call, AuditDecision::Denied(denial), AuditOutcome::NotSent);
                let audit = Arc::clone(&self.audit);
                Err(stream::once(async move {
                    audit.record(ev).await;
                    Err(err)
                })
                .boxed())
            }
        }
    }

    /// Checks, validates, plans and (when the policy asks) approves a write.
    /// Returns the cleared write, or the error to return (already audited).
    async fn gate_write(
        &self,
        call: Call,
        valid: Result<()>,
        payload: Result<Value>,
    ) -> Result<Cleared> {
        // A write needs a group for its plan; a raw request to an unknown
        // path has none and is denied by `decide` already.
        let granted = self.decide(&call).and_then(|()| {
            call.group
                .ok_or_else(|| Denial::new(call.operation, None, "known raw path"))
        });
        let group = match granted {
            Ok(group) => group,
            Err(denial) => {
                let err = Error::permission_denied(denial.clone());
                let ev = self.event(call, AuditDecision::Denied(denial), AuditOutcome::NotSent);
                self.audit.record(ev).await;
                return Err(err);
            }
        };
        let payload = match valid.and(payload) {
            Ok(p) => p,
            Err(err) => {
                let ev = self.event(call, AuditDecision::Allowed, AuditOutcome::failed(&err));
                self.audit.record(ev).await;
                return Err(err);
            }
        };
        let plan = PlannedWrite::new(
            self.inner.vendor(),
            call.operation,
            group,
            call.kind,
            call.target.clone(),
            call.fields.clone(),
            payload,
        );
        if self.mode == Mode::Test {
            self.planned
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(plan.clone());
            let ev = self.event(call, AuditDecision::Planned, AuditOutcome::NotSent);
            self.audit.record(ev).await;
            return Err(Error::dry_run(plan));
        }
        if !self.policy.needs_approval(group, call.kind) {
            return Ok(Cleared {
                event: self.event(call, AuditDecision::Allowed, AuditOutcome::NotSent),
                plan: None,
            });
        }
        let Some(store) = self.plans.clone() else {
            // No store: the approver reviews the plan while the call waits.
            let verdict = Verdict::now(self.approver.review(&plan).await, None);
            return self.cleared_or_denied(call, plan, verdict, None).await;
        };
        let stored = StoredPlan::new(plan.clone(), &*self.label, self.plan_ttl)
            .technician(self.technician.clone())
            .complete(!contains_redacted(&plan.payload));
        let id = stored.id.clone();
        if let Err(e) = store.insert(stored.clone()).await {
            let ev = self.event(call, AuditDecision::Allowed, AuditOutcome::failed(&e));
            self.audit.record(ev).await;
            return Err(e);
        }
        if self.defer {
            return self.submit_deferred(call, plan, &store, &stored).await;
        }
        let verdict = self.approver.review_stored(&stored).await;
        if let Err(e) = store.update(&id, &|p| decided(p, verdict.clone())).await {
            let ev = self.event(call, AuditDecision::Allowed, AuditOutcome::failed(&e));
            self.audit.record(ev).await;
            return Err(e);
        }
        self.cleared_or_denied(call, plan, verdict, Some((store, id)))
            .await
    }

    /// Deferred approval: asks the approver without waiting and answers
    /// with `ApprovalPending` (audited; nothing sent).
    async fn submit_deferred(
        &self,
        call: Call,
        plan: PlannedWrite,
        store: &Arc<dyn PlanStore>,
        stored: &StoredPlan,
    ) -> Result<Cleared> {
        let id = &stored.id;
        let reference = match self.approver.submit(stored).await {
            Ok(r) => r,
            Err(e) => {
                let verdict = Verdict::now(
                    Decision::deny(format!("the approval request could not be made: {e}")),
                    None,
                );
                if let Err(e) = store.update(id, &|p| decided(p, verdict.clone())).await {
                    tracing::warn!(plan = %id, error = %e, "could not record the failed request on the plan");
                }
                let ev = self.event(call, AuditDecision::Allowed, AuditOutcome::failed(&e));
                self.audit.record(ev).await;
                return Err(e);
            }
        };
        if reference.is_some() {
            let change = |p: &StoredPlan| {
                Ok(StoredPlan {
                    approval_ref: reference.clone(),
                    ..p.clone()
                })
            };
            if let Err(e) = store.update(id, &change).await {
                tracing::warn!(plan = %id, error = %e, "could not record the approval request on the plan");
            }
        }
        let mut ev = self.event(call, AuditDecision::AwaitingApproval, AuditOutcome::NotSent);
        ev.plan = Some(id.to_string());
        self.audit.record(ev).await;
        Err(Error::approval_pending(plan, id.as_str()))
    }

    /// The write cleared by an approver (claimed for execution when it is a
    /// stored plan), or the audited denial.
    async fn cleared_or_denied(
        &self,
        call: Call,
        plan: PlannedWrite,
        verdict: Verdict,
        stored: Option<(Arc<dyn PlanStore>, PlanId)>,
    ) -> Result<Cleared> {
        let plan_id = stored.as_ref().map(|(_, id)| id.to_string());
        if let Decision::Deny(reason) = &verdict.decision {
            let mut ev = self.event(
                call,
                AuditDecision::ApprovalDenied(reason.clone()),
                AuditOutcome::NotSent,
            );
            ev.plan = plan_id;
            ev.approver.clone_from(&verdict.approver);
            ev.decided_at = Some(verdict.decided_at);
            self.audit.record(ev).await;
            return Err(Error::approval_denied(plan, reason));
        }
        let mut ev = self.event(call, AuditDecision::Approved, AuditOutcome::NotSent);
        ev.plan.clone_from(&plan_id);
        ev.approver.clone_from(&verdict.approver);
        ev.decided_at = Some(verdict.decided_at);
        let plan_ref = match stored {
            Some((store, id)) => {
                if let Err(e) = store.update(&id, &claim).await {
                    ev.outcome = AuditOutcome::failed(&e);
                    self.audit.record(ev).await;
                    return Err(e);
                }
                Some(id)
            }
            None => None,
        };
        Ok(Cleared {
            event: ev,
            plan: plan_ref,
        })
    }

    /// Audits the outcome of an executed write (and records it on its
    /// stored plan) and passes it on.
    async fn finish<T>(&self, cleared: Cleared, result: Result<T>) -> Result<T> {
        let mut ev = cleared.event;
        ev.outcome = AuditOutcome::of(&result);
        if let (Some(echo), Some(ticket), true) = (&self.echo, &ev.target, result.is_ok()) {
            if writes_the_ticket(ev.operation) {
                echo.record_write(ev.vendor, ticket);
            }
        }
        if let (Some(id), Some(store)) = (&cleared.plan, &self.plans) {
            let outcome = ev.outcome.clone();
            if let Err(e) = store.update(id, &|p| executed(p, outcome.clone())).await {
                tracing::warn!(plan = %id, error = %e, "could not record the plan's outcome");
            }
        }
        self.audit.record(ev).await;
        result
    }

    /// Guards one write end to end. `exec` is called (and so the inner
    /// client reached) only once the write is cleared.
    async fn write<T, F, Fut>(
        &self,
        call: Call,
        valid: Result<()>,
        payload: Result<Value>,
        exec: F,
    ) -> Result<T>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let cleared = self.gate_write(call, valid, payload).await?;
        let result = exec().await;
        self.finish(cleared, result).await
    }
}

/// Whether a write's target is the ticket it changes (what a ticket event
/// would then report).
fn writes_the_ticket(op: Operation) -> bool {
    matches!(
        op,
        Operation::UpdateTicket
            | Operation::MergeTickets
            | Operation::BundleTickets
            | Operation::DeleteTicket
            | Operation::AddNote
            | Operation::AddTicketProduct
            | Operation::UploadAttachment
    )
}

#[cfg(test)]
mod tests {
    use super::redact::{redact, redact_url_query};
    use super::*;
    use serde_json::json;

    #[test]
    fn url_queries_are_redacted() {
        assert_eq!(
            redact_url_query("https://h.example/p?token=abc&x=1#frag"),
            "https://h.example/p?token=[redacted]&x=[redacted]#frag"
        );
        assert_eq!(
            redact_url_query("https://h.example/p"),
            "https://h.example/p"
        );
        let mut v = json!({"url": "https://h/p?sig=s3cr3t", "note": "see https://kb/a?id=5",
                           "nested": {"callback_url": "https://x/y?k=v", "Api-Key": "k"}});
        redact(&mut v);
        assert_eq!(v["url"], "https://h/p?sig=[redacted]");
        assert_eq!(v["note"], "see https://kb/a?id=5");
        assert_eq!(v["nested"]["callback_url"], "https://x/y?k=[redacted]");
        assert_eq!(v["nested"]["Api-Key"], REDACTED);
    }
}
