//! The technician-in-the-loop hook: an [`Approver`] reviews a planned write
//! before it is executed.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psa_core::{PlannedWrite, Result};

use crate::plan::StoredPlan;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

/// An approver's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision", content = "reason")]
pub enum Decision {
    /// Execute the write.
    Approve,
    /// Do not execute it, for this reason (shown to the caller and audited).
    Deny(String),
}

impl Decision {
    /// A denial with a reason.
    pub fn deny(reason: impl Into<String>) -> Self {
        Decision::Deny(reason.into())
    }

    /// Whether the write may go ahead.
    pub fn is_approved(&self) -> bool {
        matches!(self, Decision::Approve)
    }
}

/// A decision with who made it and when, for the audit and the plan store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// Approve or deny (with the reason).
    pub decision: Decision,
    /// Who decided: an agent id, a user name, as the approver knows them;
    /// `None` when the approver cannot say (an automatic rule).
    pub approver: Option<String>,
    /// When.
    pub decided_at: DateTime<Utc>,
}

impl Verdict {
    /// A decision made now by `approver`.
    pub fn now(decision: Decision, approver: Option<String>) -> Self {
        Verdict {
            decision,
            approver,
            decided_at: Utc::now(),
        }
    }
}

/// Reviews writes that a policy's [`Approval`](crate::Approval) rule sends
/// for approval. A denial becomes an
/// [`ApprovalDenied`](psa_core::ErrorKind::ApprovalDenied) error, never a
/// silent skip. Implementations must fail closed: when no one answers, deny.
///
/// Two ways to answer:
/// - **waiting**: [`review`](Self::review) (or [`review_stored`](Self::review_stored)
///   for a plan kept in a [`PlanStore`](crate::PlanStore)) returns the
///   decision; the write's call waits for it, up to the approver's timeout;
/// - **deferred** ([`Guarded::defer_approvals`](crate::Guarded::defer_approvals)):
///   [`submit`](Self::submit) asks without waiting and the call returns
///   [`ApprovalPending`](psa_core::ErrorKind::ApprovalPending); later,
///   [`Guarded::execute_plan`](crate::Guarded::execute_plan) asks
///   [`poll`](Self::poll) for the decision so far. An approver that cannot
///   be asked that way keeps the defaults, and a deferred plan is decided
///   with [`Guarded::decide_plan`](crate::Guarded::decide_plan).
#[async_trait]
pub trait Approver: Send + Sync + fmt::Debug {
    /// Approves or denies `plan` (which carries no secret).
    async fn review(&self, plan: &PlannedWrite) -> Decision;

    /// Reviews a stored plan and says who decided. The default asks
    /// [`review`](Self::review) and names no one.
    async fn review_stored(&self, plan: &StoredPlan) -> Verdict {
        Verdict::now(self.review(&plan.plan).await, None)
    }

    /// Asks for a decision on `plan` without waiting for it; returns the
    /// approver's reference to its request (kept on the stored plan, so a
    /// second `submit` after a restart does not ask twice). The default
    /// does nothing.
    async fn submit(&self, plan: &StoredPlan) -> Result<Option<String>> {
        let _ = plan;
        Ok(None)
    }

    /// The decision on a submitted plan so far, without waiting: `None`
    /// while undecided. The default never knows.
    async fn poll(&self, plan: &StoredPlan) -> Result<Option<Verdict>> {
        let _ = plan;
        Ok(None)
    }
}

macro_rules! forward_approver {
    ($($ty:ty),*) => {$(
        #[async_trait]
        impl<T: Approver + ?Sized> Approver for $ty {
            async fn review(&self, plan: &PlannedWrite) -> Decision {
                (**self).review(plan).await
            }
            async fn review_stored(&self, plan: &StoredPlan) -> Verdict {
                (**self).review_stored(plan).await
            }
            async fn submit(&self, plan: &StoredPlan) -> Result<Option<String>> {
                (**self).submit(plan).await
            }
            async fn poll(&self, plan: &StoredPlan) -> Result<Option<Verdict>> {
                (**self).poll(plan).await
            }
        }
    )*};
}

forward_approver!(Arc<T>, Box<T>);

/// Approves everything (for tests, and for policies whose approval rules are
/// meant as audit markers only).
#[derive(Debug, Clone, Copy, Default)]
pub struct AutoApprove;

#[async_trait]
impl Approver for AutoApprove {
    async fn review(&self, _plan: &PlannedWrite) -> Decision {
        Decision::Approve
    }
}

/// Denies everything. The guard's default approver: a write that needs
/// approval when no approver is configured is denied.
#[derive(Debug, Clone, Default)]
pub struct DenyAll {
    reason: Option<String>,
}

impl DenyAll {
    /// Denies with the default reason.
    pub fn new() -> Self {
        DenyAll::default()
    }

    /// Denies with this reason.
    pub fn with_reason(reason: impl Into<String>) -> Self {
        DenyAll {
            reason: Some(reason.into()),
        }
    }
}

#[async_trait]
impl Approver for DenyAll {
    async fn review(&self, _plan: &PlannedWrite) -> Decision {
        Decision::Deny(
            self.reason
                .clone()
                .unwrap_or_else(|| "no approver is configured".to_owned()),
        )
    }
}

/// A write waiting for a technician, as a [`ChannelApprover`] hands it to
/// whatever UI or chat bot answers: show [`plan`](Self::plan), then answer
/// with [`approve`](Self::approve), [`deny`](Self::deny) or
/// [`answer`](Self::answer). Dropping it unanswered denies the write.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApprovalRequest {
    /// The write to review (no secret in it).
    pub plan: PlannedWrite,
    /// Where the answer goes.
    pub reply: oneshot::Sender<Decision>,
}

impl ApprovalRequest {
    /// Sends `decision`. Returns `false` when the guard stopped waiting
    /// (timed out), in which case the write was denied.
    pub fn answer(self, decision: Decision) -> bool {
        self.reply.send(decision).is_ok()
    }

    /// Approves the write.
    pub fn approve(self) -> bool {
        self.answer(Decision::Approve)
    }

    /// Denies the write with a reason.
    pub fn deny(self, reason: impl Into<String>) -> bool {
        self.answer(Decision::Deny(reason.into()))
    }

    /// The parts: the plan and the reply channel.
    pub fn into_parts(self) -> (PlannedWrite, oneshot::Sender<Decision>) {
        (self.plan, self.reply)
    }
}

/// A technician-in-the-loop approver: each plan goes over a tokio mpsc
/// channel, with a oneshot sender for the answer, to whatever serves the
/// technician (a web UI, a Slack bot). Fails closed: no answer within the
/// timeout, a closed channel or a dropped reply is a denial.
///
/// ```
/// use std::time::Duration;
/// use psa_permissions::ChannelApprover;
///
/// # async fn run() {
/// let (approver, mut requests) = ChannelApprover::new(Duration::from_secs(300));
/// tokio::spawn(async move {
///     while let Some(req) = requests.recv().await {
///         // Show `req.plan` to a technician; here, approve notes only.
///         if req.plan.operation == psa_core::Operation::AddNote {
///             req.approve();
///         } else {
///             req.deny("only notes today");
///         }
///     }
/// });
/// # let _ = approver;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ChannelApprover {
    tx: mpsc::Sender<ApprovalRequest>,
    timeout: Duration,
}

impl ChannelApprover {
    /// How many requests may wait in the channel before senders wait too.
    pub const DEFAULT_CAPACITY: usize = 32;

    /// An approver and the receiving end its requests arrive on. `timeout`
    /// bounds the whole review: queueing and the technician's answer.
    pub fn new(timeout: Duration) -> (Self, mpsc::Receiver<ApprovalRequest>) {
        let (tx, rx) = mpsc::channel(Self::DEFAULT_CAPACITY);
        (ChannelApprover { tx, timeout }, rx)
    }

    /// An approver over an existing channel.
    pub fn from_sender(tx: mpsc::Sender<ApprovalRequest>, timeout: Duration) -> Self {
        ChannelApprover { tx, timeout }
    }

    /// The review timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    async fn ask(&self, plan: &PlannedWrite) -> Decision {
        let (reply, answer) = oneshot::channel();
        let req = ApprovalRequest {
            plan: plan.clone(),
            reply,
        };
        if self.tx.send(req).await.is_err() {
            return Decision::deny("approval channel is closed");
        }
        answer
            .await
            .unwrap_or_else(|_| Decision::deny("the approval request was dropped unanswered"))
    }
}

#[async_trait]
impl Approver for ChannelApprover {
    async fn review(&self, plan: &PlannedWrite) -> Decision {
        match tokio::time::timeout(self.timeout, self.ask(plan)).await {
            Ok(decision) => decision,
            Err(_) => Decision::deny(format!(
                "no approval within {} s",
                self.timeout.as_secs_f64()
            )),
        }
    }
}
