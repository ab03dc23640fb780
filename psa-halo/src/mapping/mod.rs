//! Typed Halo records ⇄ the uniform `psa_core` models.
//!
//! Reads keep the Halo record in `raw` (re-encoded from the typed record,
//! which reproduces what Halo sent). Writes turn the uniform inputs into the
//! partial Halo records that `POST` creates or updates.

use chrono::{DateTime, Utc};
use psa_core::{CustomFields, Error, ErrorKind, Id, Ref, Result, Vendor};
use serde::Serialize;
use std::time::Duration;

use crate::models::CustomField;
use crate::models::Number;
use psa_core::Timestamp;

/// The vendor, for errors.
const HALO: Vendor = Vendor::Halo;

fn raw<T: Serialize>(record: &T) -> serde_json::Value {
    serde_json::to_value(record).unwrap_or(serde_json::Value::Null)
}

fn missing(what: &str, field: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("halo {what} has no `{field}`")).with_vendor(HALO)
}

/// A positive id from an optional Halo id field (0 and negatives mean "none").
fn pos(v: Option<i64>) -> Option<i64> {
    v.filter(|v| *v > 0)
}

fn reference(id: Option<i64>, name: Option<&String>) -> Option<Ref> {
    pos(id).map(|id| Ref::with_opt_name(id, name.cloned()))
}

fn at(t: Option<&Timestamp>) -> Option<DateTime<Utc>> {
    t.and_then(Timestamp::utc)
}

fn text(s: Option<&String>) -> Option<String> {
    s.filter(|s| !s.is_empty()).cloned()
}

/// Hours as Halo stores them → a duration, rounded to the second.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn hours(h: Option<Number>) -> Option<Duration> {
    let h = h?.get();
    (h.is_finite() && h > 0.0).then(|| Duration::from_secs((h * 3600.0).round() as u64))
}

/// A duration → hours, the unit Halo's `timetaken` uses.
#[allow(clippy::cast_precision_loss)]
fn to_hours(d: Duration) -> Number {
    Number::from(d.as_secs() as f64 / 3600.0)
}

/// Custom fields by name (`CF…`); a field without a name is keyed by its
/// label, then by `CF<id>`.
pub(crate) fn custom_fields(fields: Option<&Vec<CustomField>>) -> CustomFields {
    let mut out = CustomFields::new();
    for f in fields.into_iter().flatten() {
        let key = f
            .name
            .clone()
            .or_else(|| f.label.clone())
            .or_else(|| f.id.map(|id| format!("CF{id}")));
        if let (Some(key), Some(v)) = (key, f.effective_value()) {
            out.insert(key, v);
        }
    }
    out
}

fn to_custom_fields(cf: &CustomFields) -> Option<Vec<CustomField>> {
    (!cf.is_empty()).then(|| {
        cf.iter()
            .map(|(name, v)| CustomField::set(name, v.clone()))
            .collect()
    })
}

fn opt_pos(id: Option<&Id>, what: &str) -> Result<Option<i64>> {
    id.map(|id| id.require_positive(what)).transpose()
}

mod lookups;
mod notes;
mod records;
mod tickets;
mod webhooks;

pub(crate) use lookups::{
    agent, attachment, custom_field_def, disposition_file_name, field_usage, lookup_entry,
    new_attachment, priorities, status, team, ticket_type,
};
pub(crate) use notes::{
    new_note, new_time_entry, note, time_entry_from_action, time_entry_from_timesheet,
    time_entry_patch,
};
pub(crate) use records::{
    agreement, company, configuration, configuration_patch, contact, contact_patch, kb_article,
    line_item, new_configuration, new_contact, new_line_item, new_schedule_entry, product,
    schedule_entry, schedule_patch, sla,
};
pub(crate) use tickets::{audit, new_ticket, project, ticket, ticket_patch, ticket_text};
pub(crate) use webhooks::{DEFAULT_EVENTS, event_kind, event_numbers, webhook};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Settings;
    use crate::models::{Action, EventNo, Priority, Ticket, TimesheetEvent, Webhook};
    use psa_core::NoteVisibility;
    use serde_json::json;

    fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).expect("test record decodes")
    }

    #[test]
    fn ticket_mapping() {
        let s = Settings::default();
        let t: Ticket = from(json!({
            "id": 7, "summary": "s", "status_id": 9, "status_name": "Closed", "client_id": 0,
            "agent_id": 0, "team_id": 2, "team": "Escalations", "dateclosed": "1900-01-01T00:00:00",
            "dateoccurred": "2025-01-02T03:04:05", "merged_into_id": 0, "parent_id": 3,
            "customfields": [{"label": "No name", "value": "x"}, {"id": 9, "display": "shown"}]
        }));
        let u = ticket(&t, &s).unwrap();
        assert_eq!(u.closed, Some(true));
        assert_eq!(u.company, None, "0 means none");
        assert_eq!(u.owner, None);
        assert_eq!(u.queue, Some(Ref::named(2, "Escalations")));
        assert_eq!(u.closed_at, None, "1900-01-01 means none");
        assert_eq!(
            u.created_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-01-02T03:04:05+00:00")
        );
        assert_eq!(u.parent, Some(Id::from(3)));
        assert_eq!(u.merged_into, None);
        assert_eq!(u.custom_fields.get_str("No name"), Some("x"));
        assert_eq!(u.custom_fields.get_str("CF9"), Some("shown"));
        assert_eq!(u.raw["team"], "Escalations");

        let no_id: Ticket = from(json!({"summary": "x"}));
        let err = ticket(&no_id, &s).unwrap_err();
        assert!(err.is_decode() && err.to_string().contains("`id`"), "{err}");
    }

    #[test]
    fn note_visibility_follows_halo() {
        let s = Settings::default();
        let mk = |hidden: bool, outcome: &str| -> Action {
            from(
                json!({"ticket_id": 1, "id": 2, "note": "n", "hiddenfromuser": hidden, "outcome": outcome}),
            )
        };
        assert_eq!(
            note(&mk(true, "Private Note"), &s).unwrap().visibility,
            NoteVisibility::Internal
        );
        assert_eq!(
            note(&mk(false, "Note"), &s).unwrap().visibility,
            NoteVisibility::Customer
        );
        assert_eq!(
            note(&mk(false, "Resolution"), &s).unwrap().visibility,
            NoteVisibility::Resolution
        );
        assert_eq!(note(&mk(true, "x"), &s).unwrap().id.to_string(), "1:2");
    }

    #[test]
    fn time_entries_are_hours_between_utc_dates() {
        let a: Action = from(json!({
            "ticket_id": 5, "id": 3, "timetaken": 1.5, "who_agentid": 2, "who": "Alex",
            "actionarrivaldate": "2025-01-01T09:00:00", "actioncompletiondate": "2025-01-01T10:30:00",
            "actisbillable": false, "chargerate": 0
        }));
        let e = time_entry_from_action(&a).unwrap();
        assert_eq!(e.duration, Some(Duration::from_secs(5400)));
        assert_eq!(e.billable, Some(false));
        assert_eq!(e.work_type, None);
        assert_eq!(e.agent, Some(Ref::named(2, "Alex")));

        let break_time: TimesheetEvent =
            from(json!({"id": 1, "ticket_id": 0, "action_number": 0, "timetaken": 0.5}));
        assert!(time_entry_from_timesheet(&break_time).is_none());
    }

    #[test]
    fn priorities_are_one_per_priority_id() {
        let list: Vec<Priority> = from(json!([
            {"priorityid": 1, "slaid": 1, "name": "Critical"},
            {"priorityid": 2, "slaid": 1, "name": "High", "ishidden": true},
            {"priorityid": 1, "slaid": 2, "name": "P1"}
        ]));
        let p = priorities(&list).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "Critical");
        assert_eq!(p[1].active, Some(false));
    }

    #[test]
    fn webhook_mapping_drops_credentials() {
        let w: Webhook = from(json!({
            "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "n", "basic_password": "pw",
            "active": true, "disabled": true, "events": [{"eventno": 76}, {"eventno": 12345}]
        }));
        let s = webhook(&w).unwrap();
        assert!(s.raw.get("basic_password").is_none());
        assert_eq!(s.active, Some(false));
        assert_eq!(
            s.events,
            [
                psa_core::TicketEventKind::StatusChanged,
                psa_core::TicketEventKind::Other("12345".into())
            ]
        );
        assert_eq!(
            event_numbers(&psa_core::TicketEventKind::Other("12345".into())).unwrap(),
            EventNo::Unknown(12345)
        );
        assert!(event_numbers(&psa_core::TicketEventKind::Other("x".into())).is_err());
        assert!(event_numbers(&psa_core::TicketEventKind::Assigned).is_err());
    }
}
