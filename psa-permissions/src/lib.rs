#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod approval;
mod audit;
mod file;
mod guard;
mod policy;

pub use approval::{ApprovalRequest, Approver, AutoApprove, ChannelApprover, Decision, DenyAll};
pub use audit::{
    AuditDecision, AuditEvent, AuditOutcome, AuditSink, JsonLinesAudit, MemoryAudit, TracingAudit,
};
pub use guard::{Guarded, Mode};
pub use policy::{Approval, GroupGrant, GroupPolicy, Policy, Profile};
