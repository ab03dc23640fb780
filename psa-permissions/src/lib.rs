#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod approval;
mod audit;
mod file;
mod guard;
pub mod plan;
mod policy;
mod psa_approver;
mod replay;

pub use approval::{
    ApprovalRequest, Approver, AutoApprove, ChannelApprover, Decision, DenyAll, Verdict,
};
pub use audit::{
    AuditDecision, AuditEvent, AuditOutcome, AuditSink, JsonLinesAudit, MemoryAudit, TracingAudit,
};
pub use guard::{Guarded, Mode};
pub use plan::{
    FilePlanStore, MemoryPlanStore, PlanChange, PlanId, PlanState, PlanStore, StoredPlan,
};
pub use policy::{Approval, GroupGrant, GroupPolicy, Policy, Profile};
pub use psa_approver::{PsaApprover, REQUEST_MARKER, is_request_note};
pub use replay::execute_plan;
