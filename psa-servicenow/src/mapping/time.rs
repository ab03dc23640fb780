//! `task_time_worked` ⇄ uniform time entries.

use super::{
    ChoiceLabels, choice_ref, choice_value, custom_fields, own_id, put_ref, reference, text, walked,
};
use crate::ids::{SysId, TaskTable, TicketId};
use crate::models::{Field, TaskTimeWorked, format_glide_duration};
use psa_core::{Error, NewTimeEntry, Result, TimeEntry, TimeEntryPatch, WorkSpan};
use serde_json::{Map, Value, json};
use std::time::Duration;

/// The fields of a `task_time_worked` read.
pub const TIME_FIELDS: &[&str] = &[
    "sys_id",
    "task",
    "task.sys_class_name",
    "user",
    "user.name",
    "time_worked",
    "comments",
    "category",
    "work_date",
    "sys_created_on",
];

/// A `task_time_worked` record → uniform [`TimeEntry`]. ServiceNow stores a
/// duration and when it was logged, not a start time: `start` and `end` stay
/// empty (the log time is in `raw.sys_created_on`).
pub fn time_entry(r: &TaskTimeWorked, raw: Value, labels: &ChoiceLabels) -> Result<TimeEntry> {
    let id = own_id("task_time_worked", r.sys_id.as_ref(), "time entry")?;
    let mut e = TimeEntry::new(id);
    e.ticket = r.task.as_ref().and_then(|t| {
        let sys = SysId::parse(t.sys_id()?).ok()?;
        let table = walked(&r.extra, "task.sys_class_name")
            .and_then(|n| TaskTable::from_name(&n))
            .or_else(|| t.table().and_then(TaskTable::from_name))?;
        TicketId::new(table, sys).to_id().ok()
    });
    e.agent = reference(r.user.as_ref(), "sys_user", walked(&r.extra, "user.name"));
    e.duration = r
        .time_worked
        .as_ref()
        .and_then(Field::as_duration)
        .or_else(|| {
            r.time_in_seconds
                .as_ref()
                .and_then(|f| f.value().parse::<u64>().ok())
                .map(Duration::from_secs)
        });
    e.work_type = choice_ref(labels, "task_time_worked", "category", r.category.as_ref());
    e.note = text(r.comments.as_ref());
    e.custom_fields = custom_fields(&r.extra);
    e.raw = raw.into();
    Ok(e)
}

fn duration_text(d: Duration) -> Result<String> {
    format_glide_duration(d).ok_or_else(|| Error::invalid_input("time entry duration is too long"))
}

/// A uniform new time entry → the body of a POST to `task_time_worked`.
/// `ticket_sys_id` is the ticket's `sys_id` (its table does not matter: the
/// `task` reference takes any task).
pub fn new_time_body(e: &NewTimeEntry, ticket_sys_id: &SysId) -> Result<Map<String, Value>> {
    e.validate()?;
    if e.billable.is_some() {
        return Err(Error::invalid_input(
            "ServiceNow's task_time_worked has no billable flag: leave `billable` unset (a custom column can be written with raw())",
        ));
    }
    let mut body = Map::new();
    body.insert("task".into(), json!(ticket_sys_id.as_str()));
    if let Some(a) = &e.agent {
        put_ref(&mut body, "user", a, &["sys_user"], "agent id")?;
    }
    let d = e.span.duration_from(e.start)?;
    body.insert("time_worked".into(), json!(duration_text(d)?));
    body.insert(
        "work_date".into(),
        json!(e.start.date_naive().format("%Y-%m-%d").to_string()),
    );
    if let Some(w) = &e.work_type {
        body.insert("category".into(), json!(choice_value(w, "work type")?));
    }
    if let Some(n) = &e.note {
        body.insert("comments".into(), json!(n));
    }
    Ok(body)
}

/// A uniform time-entry patch → a PATCH body. An end time needs the start:
/// ServiceNow keeps only a duration, so `end` is accepted only with `start`.
pub fn time_patch_body(p: &TimeEntryPatch) -> Result<Map<String, Value>> {
    p.validate()?;
    if p.billable.is_some() {
        return Err(Error::invalid_input(
            "ServiceNow's task_time_worked has no billable flag",
        ));
    }
    let mut body = Map::new();
    match (p.span, p.start) {
        (Some(WorkSpan::Duration(d)), _) => {
            body.insert("time_worked".into(), json!(duration_text(d)?));
        }
        (Some(span @ WorkSpan::Until(_)), Some(start)) => {
            body.insert(
                "time_worked".into(),
                json!(duration_text(span.duration_from(start)?)?),
            );
        }
        (Some(WorkSpan::Until(_)), None) => {
            return Err(Error::invalid_input(
                "ServiceNow stores a duration, not an end time: give the start with the end, or a duration",
            ));
        }
        (None, _) => {}
    }
    if let Some(s) = p.start {
        body.insert(
            "work_date".into(),
            json!(s.date_naive().format("%Y-%m-%d").to_string()),
        );
    }
    if let Some(w) = &p.work_type {
        body.insert("category".into(), json!(choice_value(w, "work type")?));
    }
    if let Some(n) = &p.note {
        body.insert("comments".into(), json!(n));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use psa_core::Id;

    #[test]
    fn time_bodies() {
        let start = DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z")
            .unwrap()
            .to_utc();
        let e = NewTimeEntry::new(Id::from(1), start, Duration::from_secs(90 * 60)).note("Fixed");
        let sys = SysId::parse("9d385017c611228701d22104cc95c371").unwrap();
        let b = new_time_body(&e, &sys).unwrap();
        assert_eq!(b["time_worked"], "1970-01-01 01:30:00");
        assert_eq!(b["work_date"], "2026-11-20");
        assert!(
            new_time_body(&e.clone().billable(true), &sys)
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(
            time_patch_body(&TimeEntryPatch::new().end(start))
                .unwrap_err()
                .is_invalid_input()
        );
    }
}
