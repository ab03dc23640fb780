//! `task_sla` records of a task → uniform [`SlaTimers`].
//!
//! The rule: each `task_sla` of the task (cancelled ones aside) is a
//! response timer when its SLA definition's `target` (`sla.target`,
//! dot-walked from `contract_sla`) is `response`, and a resolution timer
//! otherwise (`resolution`, or a definition without a target). Where a
//! task has several timers of one kind, the active one wins, then the one
//! started last. The timer gives its due time (`planned_end_time`), when it
//! was met (`end_time`, once its stage is `completed`) and whether it
//! breached (`has_breached`); the clock is paused when an active timer's
//! stage is `paused`. The SLA named is the resolution timer's definition
//! (the response timer's when there is none).

use psa_core::{Ref, SlaTimers};
use serde_json::{Map, Value};

use super::{column, reference, text, time, walked};
use crate::models::{Field, Reference};

/// The fields a `task_sla` read asks for.
pub const TASK_SLA_FIELDS: &[&str] = &[
    "sys_id",
    "task",
    "sla",
    "sla.name",
    "sla.target",
    "stage",
    "has_breached",
    "planned_end_time",
    "start_time",
    "end_time",
    "active",
    "business_percentage",
];

fn field(cols: &Map<String, Value>, name: &str) -> Option<Field> {
    column(cols, name)
}

struct Timer {
    sla: Option<Ref>,
    response: bool,
    active: bool,
    stage: String,
    start: Option<chrono::DateTime<chrono::Utc>>,
    due: Option<chrono::DateTime<chrono::Utc>>,
    end: Option<chrono::DateTime<chrono::Utc>>,
    breached: Option<bool>,
}

fn timer(rec: &Value) -> Option<Timer> {
    let cols = rec.as_object()?;
    let stage = text(field(cols, "stage").as_ref()).unwrap_or_default();
    if stage == "cancelled" {
        return None;
    }
    let target = walked(cols, "sla.target").unwrap_or_default();
    let sla_ref: Option<Reference> = column(cols, "sla");
    Some(Timer {
        sla: reference(sla_ref.as_ref(), "contract_sla", walked(cols, "sla.name")),
        response: target.eq_ignore_ascii_case("response"),
        active: field(cols, "active").and_then(|f| f.as_bool()) == Some(true),
        stage,
        start: time(field(cols, "start_time").as_ref()),
        due: time(field(cols, "planned_end_time").as_ref()),
        end: time(field(cols, "end_time").as_ref()),
        breached: field(cols, "has_breached").and_then(|f| f.as_bool()),
    })
}

/// The timer of one kind that counts: the active one, then the one started last.
fn pick(timers: &[Timer], response: bool) -> Option<&Timer> {
    timers
        .iter()
        .filter(|t| t.response == response)
        .max_by_key(|t| (t.active, t.start))
}

/// The `task_sla` records of one task (as read with [`TASK_SLA_FIELDS`])
/// → its [`SlaTimers`], `None` when it has no timer.
///
/// Each timer (cancelled ones aside) is a response timer when its SLA
/// definition's `target` (`sla.target`) is `response`, a resolution timer
/// otherwise; of several of one kind the active one, then the one started
/// last, counts. Due = `planned_end_time`, met at = `end_time` once the
/// stage is `completed`, breached = `has_breached`; paused when an active
/// timer's stage is `paused`. The SLA named is the resolution timer's
/// definition (the response timer's when there is none).
pub fn sla_timers(records: &[Value]) -> Option<SlaTimers> {
    let timers: Vec<Timer> = records.iter().filter_map(timer).collect();
    if timers.is_empty() {
        return None;
    }
    let mut out = SlaTimers::default();
    let response = pick(&timers, true);
    let resolution = pick(&timers, false);
    let met = |t: &Timer| (t.stage == "completed").then_some(t.end).flatten();
    if let Some(r) = response {
        out.response_due = r.due;
        out.responded_at = met(r);
        out.response_breached = r.breached;
    }
    if let Some(r) = resolution {
        out.resolution_due = r.due;
        out.resolved_at = met(r);
        out.resolution_breached = r.breached;
    }
    out.sla = resolution
        .and_then(|t| t.sla.clone())
        .or_else(|| response.and_then(|t| t.sla.clone()));
    out.paused = Some(timers.iter().any(|t| t.active && t.stage == "paused"));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn response_and_resolution_by_the_definition_target() {
        let recs = [
            json!({"sla": "3d4d1e0fc0a8016a005c8e1c3e1b9c0e", "sla.name": "P2 resolution", "sla.target": "resolution",
                   "stage": "in_progress", "has_breached": "false", "planned_end_time": "2026-11-20 17:00:00",
                   "start_time": "2026-11-19 09:00:00", "end_time": "", "active": "true"}),
            json!({"sla": "3d4d1e0fc0a8016a005c8e1c3e1b9c0f", "sla.name": "P2 response", "sla.target": "response",
                   "stage": "completed", "has_breached": "true", "planned_end_time": "2026-11-19 10:00:00",
                   "start_time": "2026-11-19 09:00:00", "end_time": "2026-11-19 10:30:00", "active": "false"}),
            json!({"sla": "3d4d1e0fc0a8016a005c8e1c3e1b9c10", "sla.target": "resolution", "stage": "cancelled",
                   "has_breached": "true", "active": "false"}),
        ];
        let t = sla_timers(&recs).unwrap();
        assert_eq!(
            t.sla.as_ref().unwrap().name.as_deref(),
            Some("P2 resolution")
        );
        assert_eq!(
            t.resolution_due.unwrap().to_rfc3339(),
            "2026-11-20T17:00:00+00:00"
        );
        assert_eq!(t.resolution_breached, Some(false));
        assert_eq!(t.resolved_at, None);
        assert_eq!(
            t.response_due.unwrap().to_rfc3339(),
            "2026-11-19T10:00:00+00:00"
        );
        assert_eq!(
            t.responded_at.unwrap().to_rfc3339(),
            "2026-11-19T10:30:00+00:00"
        );
        assert_eq!(t.response_breached, Some(true));
        assert_eq!(t.paused, Some(false));
        assert!(sla_timers(&recs[2..]).is_none(), "cancelled only");
        assert!(sla_timers(&[]).is_none());
    }
}
