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
use serde::Deserialize as _;
use serde_json::Value;

use super::{reference, text, time};
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

/// The columns of a `task_sla` record (read with [`TASK_SLA_FIELDS`]) the
/// SLA mapping uses, decoded straight from the record's text: a ticket
/// read decodes its SLA records into these, not into JSON trees. A column
/// of the wrong shape is a `Decode` error naming it, as for the ticket's
/// own columns.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SlaRow {
    task: Option<Reference>,
    sla: Option<Reference>,
    #[serde(rename = "sla.name")]
    sla_name: Option<Field>,
    #[serde(rename = "sla.target")]
    sla_target: Option<Field>,
    stage: Option<Field>,
    has_breached: Option<Field>,
    planned_end_time: Option<Field>,
    start_time: Option<Field>,
    end_time: Option<Field>,
    active: Option<Field>,
}

impl SlaRow {
    /// The `sys_id` of the task the timer runs on.
    pub fn task_sys_id(&self) -> Option<&str> {
        self.task.as_ref().and_then(Reference::sys_id)
    }
}

/// One timer, read from its row (borrowed: the SLA definition's reference
/// is built only for the timer the ticket names).
struct Timer<'a> {
    row: &'a SlaRow,
    response: bool,
    active: bool,
    stage: &'a str,
    start: Option<chrono::DateTime<chrono::Utc>>,
    due: Option<chrono::DateTime<chrono::Utc>>,
    end: Option<chrono::DateTime<chrono::Utc>>,
    breached: Option<bool>,
}

impl Timer<'_> {
    fn sla(&self) -> Option<Ref> {
        reference(
            self.row.sla.as_ref(),
            "contract_sla",
            text(self.row.sla_name.as_ref()),
        )
    }
}

fn timer(row: &SlaRow) -> Option<Timer<'_>> {
    let stage = row
        .stage
        .as_ref()
        .and_then(Field::non_empty)
        .unwrap_or_default();
    if stage == "cancelled" {
        return None;
    }
    let target = row
        .sla_target
        .as_ref()
        .map(Field::value)
        .unwrap_or_default();
    Some(Timer {
        row,
        response: target.eq_ignore_ascii_case("response"),
        active: row.active.as_ref().and_then(Field::as_bool) == Some(true),
        stage,
        start: time(row.start_time.as_ref()),
        due: time(row.planned_end_time.as_ref()),
        end: time(row.end_time.as_ref()),
        breached: row.has_breached.as_ref().and_then(Field::as_bool),
    })
}

fn pick<'t, 'a>(timers: &'t [Timer<'a>], response: bool) -> Option<&'t Timer<'a>> {
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
///
/// The records are JSON values; a record that is not a `task_sla` record
/// (a column of the wrong shape) is left out. [`sla_timers_of`] takes
/// decoded rows.
pub fn sla_timers(records: &[Value]) -> Option<SlaTimers> {
    let rows: Vec<SlaRow> = records
        .iter()
        .filter_map(|r| SlaRow::deserialize(r).ok())
        .collect();
    sla_timers_of(&rows)
}

/// [`sla_timers`] of rows decoded already (what a ticket read does).
pub fn sla_timers_of<'a>(rows: impl IntoIterator<Item = &'a SlaRow>) -> Option<SlaTimers> {
    let timers: Vec<Timer<'_>> = rows.into_iter().filter_map(timer).collect();
    if timers.is_empty() {
        return None;
    }
    let mut out = SlaTimers::default();
    let response = pick(&timers, true);
    let resolution = pick(&timers, false);
    let met = |t: &Timer<'_>| (t.stage == "completed").then_some(t.end).flatten();
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
        .and_then(Timer::sla)
        .or_else(|| response.and_then(Timer::sla));
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

    #[test]
    fn rows_decoded_from_text_map_as_the_values_do() {
        let text = r#"[{"sys_id":"a1","task":"9d385017c611228701d22104cc95c371","sla":"3d4d1e0fc0a8016a005c8e1c3e1b9c0e",
            "sla.name":"P1 resolution","sla.target":"resolution","stage":"paused","has_breached":"false",
            "planned_end_time":"2026-11-20 17:00:00","start_time":"2026-11-19 09:00:00","end_time":"",
            "active":"true","business_percentage":"12.5"}]"#;
        let rows: Vec<SlaRow> = serde_json::from_str(text).unwrap();
        let values: Vec<Value> = serde_json::from_str(text).unwrap();
        assert_eq!(
            rows[0].task_sys_id(),
            Some("9d385017c611228701d22104cc95c371")
        );
        let t = sla_timers_of(&rows).unwrap();
        assert_eq!(Some(&t), sla_timers(&values).as_ref());
        assert_eq!(t.paused, Some(true));
        assert_eq!(t.sla.unwrap().name.as_deref(), Some("P1 resolution"));
        // A column of the wrong shape is an error naming it, not a timer
        // read wrong.
        let bad = r#"{"stage":["paused"]}"#;
        let mut de = serde_json::Deserializer::from_str(bad);
        let err = serde_path_to_error::deserialize::<_, SlaRow>(&mut de).unwrap_err();
        assert_eq!(err.path().to_string(), "stage");
        assert!(sla_timers(&[json!({"stage": ["paused"]})]).is_none());
    }
}
