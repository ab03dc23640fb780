//! The stored-plan side of [`Guarded`]: executing an approved plan once,
//! recording a decision made elsewhere, and the state changes every path
//! shares.

use chrono::Utc;
use psa_core::{Error, ErrorKind, PlannedWrite, Psa, Result};
use serde_json::Value;

use super::{ActAsRefusal, Call, Guarded};
use crate::approval::{Decision, Verdict};
use crate::audit::{AuditDecision, AuditOutcome};
use crate::plan::{PlanId, PlanState, PlanStore, StoredPlan, wrong_state};

/// Pending → Approved / Denied with `verdict`.
pub(super) fn decided(p: &StoredPlan, verdict: Verdict) -> Result<StoredPlan> {
    if p.state != PlanState::Pending {
        return Err(wrong_state(p, "decided"));
    }
    let state = match verdict.decision {
        Decision::Approve => PlanState::Approved {
            by: verdict.approver,
            at: verdict.decided_at,
        },
        Decision::Deny(reason) => PlanState::Denied {
            by: verdict.approver,
            reason,
            at: verdict.decided_at,
        },
    };
    Ok(StoredPlan { state, ..p.clone() })
}

/// Approved → Executing: the one claim that lets a plan run.
pub(super) fn claim(p: &StoredPlan) -> Result<StoredPlan> {
    match p.state {
        PlanState::Approved { .. } => Ok(StoredPlan {
            state: PlanState::Executing { since: Utc::now() },
            ..p.clone()
        }),
        _ => Err(wrong_state(p, "executed")),
    }
}

/// Executing → Executed with the outcome.
pub(super) fn executed(p: &StoredPlan, outcome: AuditOutcome) -> Result<StoredPlan> {
    match p.state {
        PlanState::Executing { .. } => Ok(StoredPlan {
            state: PlanState::Executed {
                at: Utc::now(),
                outcome,
            },
            ..p.clone()
        }),
        _ => Err(wrong_state(p, "marked executed")),
    }
}

/// Pending → Expired, once its time is up.
fn expired(p: &StoredPlan) -> Result<StoredPlan> {
    if p.is_expired_at(Utc::now()) {
        Ok(StoredPlan {
            state: PlanState::Expired { at: Utc::now() },
            ..p.clone()
        })
    } else {
        Err(wrong_state(p, "expired"))
    }
}

/// Whether the guard left a value out of the plan as a secret.
pub(super) fn contains_redacted(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains(super::REDACTED),
        Value::Array(items) => items.iter().any(contains_redacted),
        Value::Object(map) => map.values().any(contains_redacted),
        _ => false,
    }
}

impl<P: Psa> Guarded<P> {
    fn store(&self) -> Result<&std::sync::Arc<dyn PlanStore>> {
        self.plans.as_ref().ok_or_else(|| {
            Error::config(
                "this guard has no plan store (Guarded::with_plan_store or defer_approvals)",
            )
        })
    }

    /// The audit event of a stored plan, as a call.
    fn plan_call(plan: &PlannedWrite) -> Call {
        Call {
            operation: plan.operation,
            group: Some(plan.group),
            kind: plan.kind,
            target: plan.target.clone(),
            fields: plan.fields.clone(),
            request: None,
        }
    }

    /// Every stored plan, oldest first (pending, decided and executed).
    pub async fn plans(&self) -> Result<Vec<StoredPlan>> {
        self.store()?.list().await
    }

    /// One stored plan.
    pub async fn plan(&self, id: &str) -> Result<StoredPlan> {
        let id = PlanId::parse(id)?;
        self.store()?
            .get(&id)
            .await?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no stored plan {id}")))
    }

    /// Records a decision on a pending plan made outside the approver (a
    /// technician's button in a web UI, an MCP client's approval), audited
    /// with who made it. A plan that is not pending is refused.
    pub async fn decide_plan(&self, id: &str, verdict: Verdict) -> Result<StoredPlan> {
        let id = PlanId::parse(id)?;
        let store = self.store()?;
        let updated = store.update(&id, &|p| decided(p, verdict.clone())).await?;
        let decision = match &verdict.decision {
            Decision::Approve => AuditDecision::Approved,
            Decision::Deny(r) => AuditDecision::ApprovalDenied(r.clone()),
        };
        let mut ev = self.event(
            Self::plan_call(&updated.plan),
            decision,
            AuditOutcome::NotSent,
        );
        ev.plan = Some(id.to_string());
        ev.approver = verdict.approver;
        ev.decided_at = Some(verdict.decided_at);
        ev.technician.clone_from(&updated.technician);
        self.audit.record(ev).await;
        Ok(updated)
    }

    /// Executes a stored plan once it is approved, exactly as planned, once,
    /// and returns the record written as JSON (`null` for calls that return
    /// nothing).
    ///
    /// In order: a pending plan past its expiry is expired (an
    /// `ApprovalDenied` error); a pending plan is put to the approver's
    /// [`poll`](crate::Approver::poll) — still undecided is an
    /// `ApprovalPending` error, a denial an `ApprovalDenied` one; the plan
    /// must be for this guard's vendor, complete (see
    /// [`StoredPlan::complete`]) and still allowed by the guard's policy
    /// *now* — for a plan made for a technician, the policy's `act_as`
    /// switch too, and the client must be able to act for them (both
    /// refusals audited with the technician, as
    /// [`act_as_for`](Self::act_as_for) does); then it is claimed
    /// (`Executing`) — a plan claimed before, by this process or another,
    /// is refused — run, and recorded `Executed` with its outcome. Every
    /// step is audited; nothing is sent unless the claim succeeded.
    pub async fn execute_plan(&self, id: &str) -> Result<Value> {
        let store = self.store()?.clone();
        let mut stored = self.plan(id).await?;
        if self.mode == super::Mode::Test {
            // Test mode sends nothing, stored plans included.
            return Err(Error::dry_run(stored.plan));
        }
        let id = stored.id.clone();
        if stored.plan.vendor != self.inner.vendor() {
            return Err(Error::invalid_input(format!(
                "plan {id} is for {}, this guard's client is {}",
                stored.plan.vendor,
                self.inner.vendor()
            )));
        }
        if stored.state == PlanState::Pending {
            if stored.is_expired_at(Utc::now()) {
                let updated = store.update(&id, &expired).await?;
                let reason = format!(
                    "plan {id} expired at {} without a decision",
                    updated.expires_at
                );
                let mut ev = self.event(
                    Self::plan_call(&updated.plan),
                    AuditDecision::ApprovalDenied(reason.clone()),
                    AuditOutcome::NotSent,
                );
                ev.plan = Some(id.to_string());
                self.audit.record(ev).await;
                return Err(Error::approval_denied(updated.plan, reason));
            }
            match self.approver.poll(&stored).await? {
                None => return Err(Error::approval_pending(stored.plan, id.as_str())),
                Some(verdict) => {
                    stored = self.decide_plan(id.as_str(), verdict).await?;
                }
            }
        }
        let (approver, decided_at) = match &stored.state {
            PlanState::Approved { by, at } => (by.clone(), *at),
            PlanState::Denied { reason, .. } => {
                return Err(Error::approval_denied(stored.plan, reason));
            }
            _ => return Err(wrong_state(&stored, "executed")),
        };
        if !stored.complete {
            return Err(Error::invalid_input(format!(
                "plan {id} left out values that looked like secrets, so it cannot run from the store; send the call again"
            )));
        }
        let mut call = Self::plan_call(&stored.plan);
        if let Err(denial) = self.decide(&call) {
            let err = Error::permission_denied(denial.clone());
            let mut ev = self.event(call, AuditDecision::Denied(denial), AuditOutcome::NotSent);
            ev.plan = Some(id.to_string());
            self.audit.record(ev).await;
            return Err(err);
        }
        // The client the plan's technician acts through, before the claim:
        // the policy's act_as switch is checked again (it may have been
        // turned off since the plan was made), and a client that cannot act
        // for them leaves the plan approved. Either refusal is audited.
        let view = match &stored.technician {
            Some(t) if !self.policy.act_as_allowed() => {
                let call = Self::plan_call(&stored.plan);
                return Err(self
                    .refuse_act_as(call, t, ActAsRefusal::Policy, Some(&id))
                    .await);
            }
            Some(t) if self.inner.acting_as() != Some(t) => match self.inner.act_as(t) {
                Ok(view) => Some(view),
                Err(e) => {
                    let call = Self::plan_call(&stored.plan);
                    return Err(self
                        .refuse_act_as(call, t, ActAsRefusal::Client(e), Some(&id))
                        .await);
                }
            },
            _ => None,
        };
        store.update(&id, &claim).await?;
        let result = match &view {
            Some(v) => crate::replay::execute_plan(&**v, &stored.plan).await,
            None => crate::replay::execute_plan(&self.inner, &stored.plan).await,
        };
        let outcome = AuditOutcome::of(&result);
        let recorded = store.update(&id, &|p| executed(p, outcome.clone())).await;
        if let Err(e) = &recorded {
            tracing::warn!(plan = %id, error = %e, "could not record the plan's outcome");
        }
        call.target.clone_from(&stored.plan.target);
        let mut ev = self.event(call, AuditDecision::Approved, outcome);
        ev.plan = Some(id.to_string());
        ev.approver = approver;
        ev.decided_at = Some(decided_at);
        ev.technician.clone_from(&stored.technician);
        self.audit.record(ev).await;
        result
    }
}
