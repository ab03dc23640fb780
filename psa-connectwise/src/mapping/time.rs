//! Time entries charged to tickets: the record, the create body and the
//! `PATCH`.

use chrono::{DateTime, Utc};
use psa_core::{Error, Id, NewTimeEntry, Result, WorkSpan};

use super::{int_id, missing_id, ref_of, reference, to_raw};
use crate::models::{
    BillableOption, ChargeToType, PatchOperation, Reference, TimeEntry, custom_field_map,
};

/// A time entry.
pub fn time_entry(t: &TimeEntry) -> Result<psa_core::TimeEntry> {
    let id = t.id.ok_or_else(|| missing_id("time entry"))?;
    let mut out = psa_core::TimeEntry::new(Id::from(id));
    out.ticket = match t.charge_to_type {
        Some(ChargeToType::ServiceTicket | ChargeToType::ProjectTicket) => {
            t.charge_to_id.map(Id::from)
        }
        _ => None,
    }
    .or_else(|| t.ticket.as_ref().and_then(|r| r.id).map(Id::from));
    out.agent = reference(t.member.as_ref());
    out.start = t.time_start;
    out.end = t.time_end;
    out.duration = t
        .actual_hours
        .filter(|h| h.is_finite() && *h >= 0.0)
        .map(hours_to_duration)
        .or_else(|| match (t.time_start, t.time_end) {
            (Some(s), Some(e)) => (e - s).to_std().ok(),
            _ => None,
        });
    out.billable = t
        .billable_option
        .as_ref()
        .and_then(BillableOption::is_billable);
    out.work_type = reference(t.work_type.as_ref());
    out.note.clone_from(&t.notes);
    out.custom_fields = custom_field_map(t.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(t).into();
    Ok(out)
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn hours_to_duration(h: f64) -> std::time::Duration {
    // finite and non-negative (checked by the caller); rounded to seconds
    std::time::Duration::from_secs((h * 3600.0).round() as u64)
}

/// The body of `POST /time/entries`: charged to the ticket as a
/// `ServiceTicket`, by `agent` or else `default_member` (else ConnectWise
/// records the API member).
pub fn new_time_entry(e: &NewTimeEntry, default_member: Option<i64>) -> Result<TimeEntry> {
    e.validate()?;
    let end = e.span.end_from(e.start)?;
    let mut body = TimeEntry {
        charge_to_id: Some(int_id(&e.ticket, "ticket id")?),
        charge_to_type: Some(ChargeToType::ServiceTicket),
        time_start: Some(e.start),
        time_end: Some(end),
        ..TimeEntry::default()
    };
    body.member = match &e.agent {
        Some(a) => Some(ref_of(a, "agent id")?),
        None => default_member.map(Reference::id),
    };
    body.billable_option = e.billable.map(BillableOption::from_bool);
    body.work_type = e
        .work_type
        .as_ref()
        .map(|w| ref_of(w, "work type id"))
        .transpose()?;
    body.notes.clone_from(&e.note);
    Ok(body)
}

/// The `PATCH` operations of a time-entry update. `current_start` is the
/// entry's start, needed when only a duration is given.
pub fn time_entry_patch(
    p: &psa_core::TimeEntryPatch,
    current_start: Option<DateTime<Utc>>,
) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    let mut ops = Vec::new();
    if let Some(s) = p.start {
        ops.push(PatchOperation::replace(
            "timeStart",
            crate::models::format_timestamp(s),
        ));
    }
    if let Some(span) = p.span {
        let start = p.start.or(current_start).ok_or_else(|| {
            Error::invalid_input("the time entry has no start to measure the duration from")
        })?;
        let end = span.end_from(start)?;
        if let WorkSpan::Duration(d) = span {
            if d > psa_core::MAX_TIME_ENTRY {
                return Err(Error::invalid_input("time entry is longer than a day"));
            }
        }
        ops.push(PatchOperation::replace(
            "timeEnd",
            crate::models::format_timestamp(end),
        ));
    }
    if let Some(b) = p.billable {
        ops.push(PatchOperation::replace(
            "billableOption",
            BillableOption::from_bool(b).as_str(),
        ));
    }
    if let Some(w) = &p.work_type {
        ops.push(PatchOperation::replace_ref(
            "workType",
            int_id(w, "work type id")?,
        ));
    }
    if let Some(n) = &p.note {
        ops.push(PatchOperation::replace("notes", n.clone()));
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::time::Duration;

    #[test]
    fn time_entries_charge_the_ticket() {
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let e = NewTimeEntry::new(Id::from(42), start, Duration::from_secs(1800))
            .billable(false)
            .note("done");
        let body = serde_json::to_value(new_time_entry(&e, Some(5)).unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "chargeToId": 42, "chargeToType": "ServiceTicket",
                "member": {"id": 5},
                "timeStart": "2026-03-02T09:00:00Z", "timeEnd": "2026-03-02T09:30:00Z",
                "billableOption": "DoNotBill", "notes": "done"
            })
        );
    }
}
