//! The audit trail: one [`AuditEvent`] per write attempt (and per denied
//! read), sent to an [`AuditSink`].

use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psa_core::{Denial, Error, ErrorKind, Id, OpKind, Operation, PermissionGroup, Vendor};
use serde::{Deserialize, Serialize};

/// What the guard decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision", content = "detail")]
#[non_exhaustive]
pub enum AuditDecision {
    /// The policy allowed it and no approval was needed.
    Allowed,
    /// The policy allowed it and an approver approved it.
    Approved,
    /// The policy denied it; nothing was sent.
    Denied(Denial),
    /// The approver denied it, for this reason; nothing was sent.
    ApprovalDenied(String),
    /// Test mode: planned and recorded, nothing was sent.
    Planned,
    /// Stored and submitted for a deferred approval; nothing was sent yet.
    AwaitingApproval,
}

/// What came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
#[non_exhaustive]
pub enum AuditOutcome {
    /// Nothing was sent to the PSA (denied, refused by the approver, or test mode).
    NotSent,
    /// The PSA call succeeded.
    Ok,
    /// The call failed (the input was rejected, or the PSA call failed).
    Failed {
        /// The error kind, snake_case (`invalid_input`, `timeout`, `api` …).
        kind: String,
        /// The error's message (errors never carry secrets).
        message: String,
    },
}

impl AuditOutcome {
    /// The outcome of a call that returned `result`.
    pub fn of<T>(result: &Result<T, Error>) -> Self {
        match result {
            Ok(_) => AuditOutcome::Ok,
            Err(e) => AuditOutcome::failed(e),
        }
    }

    /// The outcome of a call that failed with `error`.
    pub fn failed(error: &Error) -> Self {
        AuditOutcome::Failed {
            kind: error_kind_name(error.kind()).to_owned(),
            message: error.to_string(),
        }
    }
}

/// A stable snake_case name for an error kind.
pub(crate) fn error_kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NotFound => "not_found",
        ErrorKind::RateLimited => "rate_limited",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Connect => "connect",
        ErrorKind::Unauthorized => "unauthorized",
        ErrorKind::Forbidden => "forbidden",
        ErrorKind::PermissionDenied => "permission_denied",
        ErrorKind::ApprovalDenied => "approval_denied",
        ErrorKind::DryRun => "dry_run",
        ErrorKind::ApprovalPending => "approval_pending",
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::AmbiguousWrite => "ambiguous_write",
        ErrorKind::InvalidInput => "invalid_input",
        ErrorKind::Decode => "decode",
        ErrorKind::Api => "api",
        ErrorKind::Config => "config",
        ErrorKind::Webhook => "webhook",
        ErrorKind::Transport => "transport",
        _ => "other",
    }
}

/// One audited call: who (the guard's label) tried what, on which record,
/// writing which fields, what the guard decided and what came of it. It
/// never holds a secret (inputs' secrets are not serialised, and errors
/// carry none). Serialises as one JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuditEvent {
    /// When the call was made (UTC).
    pub time: DateTime<Utc>,
    /// The principal: the guard's label (`triage-bot`).
    pub label: String,
    /// The vendor.
    pub vendor: Vendor,
    /// The operation.
    pub operation: Operation,
    /// The permission group (`None` for a raw request to an unknown path).
    pub group: Option<PermissionGroup>,
    /// What the call does.
    pub kind: OpKind,
    /// The record concerned, when it exists already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Id>,
    /// The uniform fields written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// For raw requests: the method and normalised path (`POST Tickets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The technician the write is attributed to ([`Psa::act_as`](psa_core::Psa::act_as)),
    /// besides the principal in `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<Id>,
    /// The stored plan, for writes that went through approval with a plan store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Who approved or denied, when an approver said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// When the approval decision was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The guard's decision.
    #[serde(flatten)]
    pub decision: AuditDecision,
    /// What came of it.
    pub outcome: AuditOutcome,
}

impl fmt::Display for AuditEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.label, self.vendor, self.operation)?;
        if let Some(t) = &self.technician {
            write!(f, " as agent {t}")?;
        }
        if let Some(t) = &self.target {
            write!(f, " {t}")?;
        }
        let decision = match &self.decision {
            AuditDecision::Allowed => "allowed".to_owned(),
            AuditDecision::Approved => "approved".to_owned(),
            AuditDecision::Denied(d) => format!("denied ({d})"),
            AuditDecision::ApprovalDenied(r) => format!("approval denied ({r})"),
            AuditDecision::Planned => "planned".to_owned(),
            AuditDecision::AwaitingApproval => "awaiting approval".to_owned(),
        };
        let outcome = match &self.outcome {
            AuditOutcome::NotSent => "not sent".to_owned(),
            AuditOutcome::Ok => "ok".to_owned(),
            AuditOutcome::Failed { kind, .. } => format!("failed: {kind}"),
        };
        write!(f, ": {decision}, {outcome}")
    }
}

/// Where audit events go. Recording must not fail the call: a sink that
/// cannot write reports it its own way (a log line) and returns.
#[async_trait]
pub trait AuditSink: Send + Sync + fmt::Debug {
    /// Records one event.
    async fn record(&self, event: AuditEvent);
}

#[async_trait]
impl<T: AuditSink + ?Sized> AuditSink for Arc<T> {
    async fn record(&self, event: AuditEvent) {
        (**self).record(event).await;
    }
}

#[async_trait]
impl<T: AuditSink + ?Sized> AuditSink for Box<T> {
    async fn record(&self, event: AuditEvent) {
        (**self).record(event).await;
    }
}

/// The default sink: one `tracing` event per audit event, at INFO on the
/// target `psa::audit`, with the event as JSON in the `event` field.
#[derive(Debug, Clone, Copy, Default)]
pub struct TracingAudit;

#[async_trait]
impl AuditSink for TracingAudit {
    async fn record(&self, event: AuditEvent) {
        let json = serde_json::to_string(&event).unwrap_or_default();
        tracing::info!(
            target: "psa::audit",
            label = %event.label,
            vendor = %event.vendor,
            operation = %event.operation,
            event = %json,
            "{event}"
        );
    }
}

/// Keeps events in memory (for tests). Clones share the same events.
#[derive(Debug, Clone, Default)]
pub struct MemoryAudit {
    events: Arc<Mutex<Vec<AuditEvent>>>,
}

impl MemoryAudit {
    /// An empty log.
    pub fn new() -> Self {
        MemoryAudit::default()
    }

    /// The events recorded so far, oldest first.
    pub fn events(&self) -> Vec<AuditEvent> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the events recorded so far.
    pub fn clear(&self) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[async_trait]
impl AuditSink for MemoryAudit {
    async fn record(&self, event: AuditEvent) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }
}

/// Writes each event as one line of JSON to any writer (a file opened for
/// appending, stdout), flushing after each line. Writes are small and
/// synchronous; a failed write is reported through `tracing` at ERROR on
/// the target `psa::audit`.
pub struct JsonLinesAudit<W> {
    out: Mutex<W>,
}

impl<W: Write + Send> JsonLinesAudit<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        JsonLinesAudit {
            out: Mutex::new(out),
        }
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl JsonLinesAudit<std::fs::File> {
    /// A sink appending to the file at `path` (created when missing).
    pub fn append_to(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(JsonLinesAudit::new(file))
    }
}

impl<W> fmt::Debug for JsonLinesAudit<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLinesAudit").finish_non_exhaustive()
    }
}

#[async_trait]
impl<W: Write + Send> AuditSink for JsonLinesAudit<W> {
    async fn record(&self, event: AuditEvent) {
        let mut line = match serde_json::to_vec(&event) {
            Ok(l) => l,
            Err(e) => {
                tracing::error!(target: "psa::audit", error = %e, "cannot encode audit event");
                return;
            }
        };
        line.push(b'\n');
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = out.write_all(&line).and_then(|()| out.flush()) {
            tracing::error!(target: "psa::audit", error = %e, "cannot write audit event: {event}");
        }
    }
}
