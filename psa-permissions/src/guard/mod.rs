//! [`Guarded`]: a [`Psa`] that enforces a [`Policy`] before anything reaches
//! the client it wraps.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use futures::stream::{self, BoxStream, StreamExt};
use psa_core::model::{
    Agent, Agreement, AgreementQuery, AuditEntry, Company, CompanyQuery, Configuration,
    ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery, KbArticle,
    KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration, NewContact, NewLineItem, NewNote,
    NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note, Product, ProductQuery, Project,
    ProjectQuery, RawRequest, RawResponse, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla,
    Ticket, TicketEvent, TicketPatch, TicketQuery, TimeEntry, TimeEntryPatch, TimeEntryQuery,
    WebhookDelivery, WebhookSubscription,
};
use psa_core::model::{
    Attachment, AttachmentDownload, CustomFieldDef, CustomFieldEntity, NewAttachment,
};
use psa_core::{
    Capabilities, Denial, Error, Id, OpKind, Operation, PermissionGroup, PlannedWrite, Psa, Result,
    Vendor,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::approval::{Approver, Decision, DenyAll, Verdict};
use crate::audit::{AuditDecision, AuditEvent, AuditOutcome, AuditSink, TracingAudit};
use crate::plan::{PlanId, PlanStore, StoredPlan};

mod plans;

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

/// Key names whose values never go into a plan or an audit record.
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    psa_core::error::is_sensitive_header(&k)
        || [
            "secret",
            "password",
            "passwd",
            "token",
            "apikey",
            "api_key",
            "api-key",
            "credential",
            "private_key",
            "signing_key",
        ]
        .iter()
        .any(|s| k.contains(s))
}

const REDACTED: &str = "[redacted]";

/// Replaces the value of every secret-looking key, at any depth, and the
/// query values of URLs (a webhook URL may carry a token).
fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if is_secret_key(k) {
                    *val = Value::String(REDACTED.to_owned());
                } else if let (true, Value::String(s)) = (is_url_key(k), &mut *val) {
                    *s = redact_url_query(s);
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

fn is_url_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "url" || k.ends_with("_url") || k.ends_with("uri")
}

/// `https://h/p?token=abc&x=1#f` → `https://h/p?token=[redacted]&x=[redacted]#f`.
fn redact_url_query(url: &str) -> String {
    let Some((base, rest)) = url.split_once('?') else {
        return url.to_owned();
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) => format!("{k}={REDACTED}"),
            None => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{base}?{}", pairs.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The plan payload of a typed input: its JSON, secret-looking keys redacted.
fn payload<T: Serialize + ?Sized>(input: &T) -> Result<Value> {
    let mut v = serde_json::to_value(input)
        .map_err(|e| Error::invalid_input(format!("input cannot be encoded as JSON: {e}")))?;
    redact(&mut v);
    Ok(v)
}

fn raw_payload(req: &RawRequest) -> Value {
    let query: Vec<Value> = req
        .query
        .iter()
        .map(|(k, v)| {
            let v = if is_secret_key(k) {
                REDACTED
            } else {
                v.as_str()
            };
            json!([k, v])
        })
        .collect();
    let mut body = req.body.clone().unwrap_or(Value::Null);
    redact(&mut body);
    json!({
        "method": req.method.as_str(),
        "path": req.normalized_path(),
        "query": query,
        "body": body,
    })
}

fn validate_ids(what: &str, target: &Id, others: &[Id]) -> Result<()> {
    if others.is_empty() {
        return Err(Error::invalid_input(format!("{what}: no tickets given")));
    }
    if others.contains(target) {
        return Err(Error::invalid_input(format!(
            "{what}: ticket {target} cannot be merged or bundled into itself"
        )));
    }
    Ok(())
}

#[async_trait]
impl<P: Psa> Psa for Guarded<P> {
    fn vendor(&self) -> Vendor {
        self.inner.vendor()
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    /// The same guard over the inner client's view acting as `agent`: one
    /// policy, approver, audit and plan store, with the technician recorded
    /// on every audit event and stored plan. Denied (sending nothing) unless
    /// the policy's [`act_as`](Policy::act_as) switch is on; `Unsupported`
    /// when the vendor client cannot attribute writes.
    fn act_as(&self, agent: &Id) -> Result<Arc<dyn Psa>> {
        if !self.policy.act_as_allowed() {
            return Err(Error::new(
                psa_core::ErrorKind::PermissionDenied,
                format!("acting as agent {agent} needs the policy's act_as switch"),
            )
            .with_vendor(self.inner.vendor()));
        }
        let view = self.inner.act_as(agent)?;
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
        }))
    }

    fn acting_as(&self) -> Option<&Id> {
        self.technician.as_ref()
    }

    // ---- tickets ----------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        self.gate_read(Call::op(Operation::GetTicket).target(id), Ok(()))
            .await?;
        self.inner.get_ticket(id).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        match self.gate_stream(Call::op(Operation::ListTickets), query.validate()) {
            Ok(()) => self.inner.list_tickets(query),
            Err(s) => s,
        }
    }

    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        let valid = psa_core::input::ticket_number(number).map(drop);
        self.gate_read(Call::op(Operation::FindTicketByNumber), valid)
            .await?;
        self.inner.find_ticket_by_number(number).await
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        let call = Call::op(Operation::CreateTicket).fields(ticket.written_fields());
        let (valid, body) = (ticket.validate(), payload(&ticket));
        self.write(call, valid, body, move || self.inner.create_ticket(ticket))
            .await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        let call = Call::op(Operation::UpdateTicket)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_ticket(id, patch)
        })
        .await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        let call = Call::op(Operation::MergeTickets).target(into);
        let valid = validate_ids("merge", into, from);
        let body = Ok(json!({ "into": into, "from": from }));
        self.write(call, valid, body, move || {
            self.inner.merge_tickets(into, from)
        })
        .await
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        let call = Call::op(Operation::BundleTickets).target(parent);
        let valid = validate_ids("bundle", parent, children);
        let body = Ok(json!({ "parent": parent, "children": children }));
        self.write(call, valid, body, move || {
            self.inner.bundle_tickets(parent, children)
        })
        .await
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteTicket).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_ticket(id))
            .await
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        match self.gate_stream(Call::op(Operation::ListAuditTrail).target(ticket), Ok(())) {
            Ok(()) => self.inner.list_audit_trail(ticket),
            Err(s) => s,
        }
    }

    // ---- notes ------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        match self.gate_stream(Call::op(Operation::ListNotes).target(ticket), Ok(())) {
            Ok(()) => self.inner.list_notes(ticket),
            Err(s) => s,
        }
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        let call = Call::op(Operation::AddNote)
            .target(ticket)
            .fields(note.written_fields());
        let (valid, body) = (note.validate(), payload(&note));
        self.write(call, valid, body, move || self.inner.add_note(ticket, note))
            .await
    }

    // ---- time -------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        match self.gate_stream(Call::op(Operation::ListTimeEntries), query.validate()) {
            Ok(()) => self.inner.list_time_entries(query),
            Err(s) => s,
        }
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        let call = Call::op(Operation::CreateTimeEntry).fields(entry.written_fields());
        let (valid, body) = (entry.validate(), payload(&entry));
        self.write(call, valid, body, move || {
            self.inner.create_time_entry(entry)
        })
        .await
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        let call = Call::op(Operation::UpdateTimeEntry)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_time_entry(id, patch)
        })
        .await
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteTimeEntry).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_time_entry(id))
            .await
    }

    // ---- companies and contacts ---------------------------------------------

    async fn get_company(&self, id: &Id) -> Result<Company> {
        self.gate_read(Call::op(Operation::GetCompany).target(id), Ok(()))
            .await?;
        self.inner.get_company(id).await
    }

    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        match self.gate_stream(Call::op(Operation::SearchCompanies), query.validate()) {
            Ok(()) => self.inner.search_companies(query),
            Err(s) => s,
        }
    }

    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        self.gate_read(Call::op(Operation::GetContact).target(id), Ok(()))
            .await?;
        self.inner.get_contact(id).await
    }

    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        match self.gate_stream(Call::op(Operation::SearchContacts), query.validate()) {
            Ok(()) => self.inner.search_contacts(query),
            Err(s) => s,
        }
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        let call = Call::op(Operation::CreateContact).fields(contact.written_fields());
        let (valid, body) = (contact.validate(), payload(&contact));
        self.write(call, valid, body, move || {
            self.inner.create_contact(contact)
        })
        .await
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        let call = Call::op(Operation::UpdateContact)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_contact(id, patch)
        })
        .await
    }

    // ---- configurations ---------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        self.gate_read(Call::op(Operation::GetConfiguration).target(id), Ok(()))
            .await?;
        self.inner.get_configuration(id).await
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        match self.gate_stream(Call::op(Operation::ListConfigurations), query.validate()) {
            Ok(()) => self.inner.list_configurations(query),
            Err(s) => s,
        }
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        let call = Call::op(Operation::CreateConfiguration).fields(config.written_fields());
        let (valid, body) = (config.validate(), payload(&config));
        self.write(call, valid, body, move || {
            self.inner.create_configuration(config)
        })
        .await
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        let call = Call::op(Operation::UpdateConfiguration)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_configuration(id, patch)
        })
        .await
    }

    // ---- schedule ---------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        match self.gate_stream(Call::op(Operation::ListScheduleEntries), query.validate()) {
            Ok(()) => self.inner.list_schedule_entries(query),
            Err(s) => s,
        }
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        let call = Call::op(Operation::CreateScheduleEntry).fields(entry.written_fields());
        let (valid, body) = (entry.validate(), payload(&entry));
        self.write(call, valid, body, move || {
            self.inner.create_schedule_entry(entry)
        })
        .await
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        let call = Call::op(Operation::UpdateScheduleEntry)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_schedule_entry(id, patch)
        })
        .await
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteScheduleEntry).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || {
            self.inner.delete_schedule_entry(id)
        })
        .await
    }

    // ---- products ---------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        match self.gate_stream(Call::op(Operation::SearchProducts), query.validate()) {
            Ok(()) => self.inner.search_products(query),
            Err(s) => s,
        }
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        let call = Call::op(Operation::AddTicketProduct)
            .target(ticket)
            .fields(item.written_fields());
        let (valid, body) = (item.validate(), payload(&item));
        self.write(call, valid, body, move || {
            self.inner.add_ticket_product(ticket, item)
        })
        .await
    }

    // ---- read-only records --------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        match self.gate_stream(Call::op(Operation::ListAgreements), Ok(())) {
            Ok(()) => self.inner.list_agreements(query),
            Err(s) => s,
        }
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        match self.gate_stream(Call::op(Operation::ListSlas), Ok(())) {
            Ok(()) => self.inner.list_slas(),
            Err(s) => s,
        }
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        match self.gate_stream(Call::op(Operation::ListProjects), Ok(())) {
            Ok(()) => self.inner.list_projects(query),
            Err(s) => s,
        }
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        match self.gate_stream(Call::op(Operation::SearchKbArticles), query.validate()) {
            Ok(()) => self.inner.search_kb_articles(query),
            Err(s) => s,
        }
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        self.gate_read(Call::op(Operation::GetKbArticle).target(id), Ok(()))
            .await?;
        self.inner.get_kb_article(id).await
    }

    // ---- look-ups -----------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListStatuses), Ok(()))
            .await?;
        self.inner.list_statuses(scope).await
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListPriorities), Ok(()))
            .await?;
        self.inner.list_priorities().await
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListQueues), Ok(()))
            .await?;
        self.inner.list_queues().await
    }

    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListTicketTypes), Ok(()))
            .await?;
        self.inner.list_ticket_types(scope).await
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        self.gate_read(Call::op(Operation::ListAgents), Ok(()))
            .await?;
        self.inner.list_agents().await
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListWorkTypes), Ok(()))
            .await?;
        self.inner.list_work_types().await
    }

    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        self.gate_read(Call::op(Operation::ListCustomFields), Ok(()))
            .await?;
        self.inner.list_custom_fields(entity).await
    }

    // ---- attachments --------------------------------------------------------

    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        match self.gate_stream(Call::op(Operation::ListAttachments).target(ticket), Ok(())) {
            Ok(()) => self.inner.list_attachments(ticket),
            Err(s) => s,
        }
    }

    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        self.gate_read(Call::op(Operation::DownloadAttachment).target(id), Ok(()))
            .await?;
        self.inner.download_attachment(id, max_bytes).await
    }

    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        let call = Call::op(Operation::UploadAttachment)
            .target(ticket)
            .fields(file.written_fields());
        let (valid, body) = (file.validate(), payload(&file));
        self.write(call, valid, body, move || {
            self.inner.upload_attachment(ticket, file)
        })
        .await
    }

    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteAttachment).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_attachment(id))
            .await
    }

    // ---- webhooks -----------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        let call = Call::op(Operation::SubscribeWebhook).fields(hook.written_fields());
        // `NewWebhook` never serialises its secret; `payload` also redacts
        // any secret-looking key.
        let (valid, body) = (hook.validate(), payload(&hook));
        self.write(call, valid, body, move || {
            self.inner.subscribe_webhook(hook)
        })
        .await
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        self.gate_read(Call::op(Operation::ListWebhooks), Ok(()))
            .await?;
        self.inner.list_webhooks().await
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteWebhook).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_webhook(id))
            .await
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        self.gate_read(Call::op(Operation::ParseWebhook), Ok(()))
            .await?;
        self.inner.parse_webhook(delivery).await
    }

    // ---- anything else ------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        self.inner.raw_group(request)
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        let kind = request.kind();
        // The path is checked before it is mapped: only plain segments (no
        // encoded or lookalike traversal) reach `raw_group`, so the group a
        // policy judges is the resource the server reads.
        let valid = request.validate();
        let group = match valid {
            Ok(()) => self.inner.raw_group(&request),
            Err(_) => None,
        };
        let call = Call {
            operation: Operation::Raw,
            group,
            kind,
            target: None,
            fields: Vec::new(),
            request: Some(format!(
                "{} {}",
                request.method.as_str(),
                request.normalized_path()
            )),
        };
        if let Err(e) = valid {
            // Refused before any policy decision: say why, and audit a
            // refused write like any other write attempt.
            if kind.is_mutation() {
                let denial = Denial::new(Operation::Raw, None, "a valid raw request");
                let ev = self.event(
                    call,
                    AuditDecision::Denied(denial),
                    AuditOutcome::failed(&e),
                );
                self.audit.record(ev).await;
            }
            return Err(e);
        }
        if kind == OpKind::Read {
            self.gate_read(call, Ok(())).await?;
            return self.inner.raw(request).await;
        }
        let body = Ok(raw_payload(&request));
        self.write(call, Ok(()), body, move || self.inner.raw(request))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
