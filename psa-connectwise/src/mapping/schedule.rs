//! Schedule entries: service-ticket entries (type 4, `objectId` = the
//! ticket).

use psa_core::{Error, Id, NewScheduleEntry, Result, Vendor};

use super::{int_id, missing_id, ref_of, reference, to_raw};
use crate::models::{PatchOperation, Reference, SERVICE_TICKET_SCHEDULE_TYPE, ScheduleEntry};

/// A schedule entry.
pub fn schedule_entry(s: &ScheduleEntry) -> Result<psa_core::ScheduleEntry> {
    let id = s.id.ok_or_else(|| missing_id("schedule entry"))?;
    let mut out = psa_core::ScheduleEntry::new(Id::from(id));
    out.agent = reference(s.member.as_ref());
    let is_ticket = s
        .schedule_type
        .as_ref()
        .and_then(|t| t.id)
        .is_some_and(|t| t == SERVICE_TICKET_SCHEDULE_TYPE);
    out.ticket = s.object_id.filter(|_| is_ticket).map(Id::from);
    out.subject.clone_from(&s.name);
    out.start = s.date_start;
    out.end = s.date_end;
    out.raw = to_raw(s).into();
    Ok(out)
}

fn no_schedule_notes() -> Error {
    Error::invalid_input(
        "ConnectWise schedule entries have no notes field; add a ticket note instead",
    )
    .with_vendor(Vendor::ConnectWise)
}

/// The body of `POST /schedule/entries`: a service-ticket entry (type 4,
/// `objectId` = the ticket).
pub fn new_schedule_entry(e: &NewScheduleEntry) -> Result<ScheduleEntry> {
    e.validate()?;
    if e.note.is_some() {
        return Err(no_schedule_notes());
    }
    let ticket = e.ticket.as_ref().ok_or_else(|| {
        Error::invalid_input(
            "ConnectWise schedule entries made through the uniform API are for a ticket; set the ticket",
        )
        .with_vendor(Vendor::ConnectWise)
    })?;
    Ok(ScheduleEntry {
        object_id: Some(int_id(ticket, "ticket id")?),
        schedule_type: Some(Reference::id(SERVICE_TICKET_SCHEDULE_TYPE)),
        member: Some(ref_of(&e.agent, "agent id")?),
        date_start: Some(e.start),
        date_end: Some(e.end),
        name: e.subject.clone(),
        ..ScheduleEntry::default()
    })
}

/// The `PATCH` operations of a schedule-entry update.
pub fn schedule_entry_patch(p: &psa_core::ScheduleEntryPatch) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    if p.note.is_some() {
        return Err(no_schedule_notes());
    }
    let mut ops = Vec::new();
    if let Some(a) = &p.agent {
        ops.push(PatchOperation::replace_ref(
            "member",
            int_id(a, "agent id")?,
        ));
    }
    if let Some(s) = p.start {
        ops.push(PatchOperation::replace(
            "dateStart",
            crate::models::format_timestamp(s),
        ));
    }
    if let Some(e) = p.end {
        ops.push(PatchOperation::replace(
            "dateEnd",
            crate::models::format_timestamp(e),
        ));
    }
    if let Some(s) = &p.subject {
        ops.push(PatchOperation::replace("name", s.clone()));
    }
    Ok(ops)
}
