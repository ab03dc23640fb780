//! Tickets: the uniform ticket, its creation and triage patch, projects and
//! the audit trail.

use chrono::{DateTime, Utc};
use psa_core::{AuditEntry, Error, Id, NewTicket, Result, TicketPatch, Vendor};

use crate::client::Settings;
use crate::models::{Action, Audit, Text, Ticket, TicketHead};

/// The vendor, for errors.
use super::notes::attribute;
use super::{
    HALO, at, custom_fields, missing, opt_pos, pos, raw, reference, text, to_custom_fields,
};

/// A Halo ticket → the uniform ticket.
pub(crate) fn ticket(t: &Ticket, settings: &Settings) -> Result<psa_core::Ticket> {
    ticket_json(raw(t), settings)
}

/// A Halo ticket's JSON value → the uniform ticket, decoding only the
/// fields it maps and keeping the value as `raw`.
pub(crate) fn ticket_json(
    record: serde_json::Value,
    settings: &Settings,
) -> Result<psa_core::Ticket> {
    let t: TicketHead = crate::transport::decode_value(&record, "ticket")?;
    ticket_head(&t, record.into(), settings)
}

/// A Halo ticket's JSON text as Halo sent it → the uniform ticket, decoding
/// only the fields it maps and keeping the text as `raw`, parsed into a
/// `Value` only when read (what `Psa::get_ticket` and `Psa::list_tickets`
/// use); `what` names the record in a decode error (`tickets[3] of page 2`).
pub(crate) fn ticket_text(
    json: Text<Ticket>,
    what: &str,
    settings: &Settings,
) -> Result<psa_core::Ticket> {
    let (t, raw) =
        psa_core::RawRecord::parse::<TicketHead>(Some(Vendor::Halo), what, json.into_bytes())?;
    ticket_head(&t, raw, settings)
}

pub(super) fn ticket_head(
    t: &TicketHead,
    raw: psa_core::RawRecord,
    settings: &Settings,
) -> Result<psa_core::Ticket> {
    let id = pos(t.id).ok_or_else(|| missing("ticket", "id"))?;
    let mut out = psa_core::Ticket::new(Id::int(id), t.summary.clone().unwrap_or_default());
    out.description = text(t.details.as_ref());
    out.status = reference(t.status_id, t.status_name.as_ref());
    out.priority = reference(t.priority_id, t.priority_name.as_ref());
    out.queue = reference(t.team_id, t.team.as_ref());
    out.ticket_type = reference(t.tickettype_id, t.tickettype_name.as_ref());
    out.subtype = reference(t.categoryid_1, t.category_1.as_ref());
    out.company = reference(t.client_id, t.client_name.as_ref());
    out.contact = reference(t.user_id, t.user_name.as_ref());
    out.owner = reference(t.agent_id, t.agent_name.as_ref());
    out.closed = pos(t.status_id).map(|s| settings.is_closed_status(s));
    out.created_at = at(t.datecreated.as_ref()).or_else(|| at(t.dateoccurred.as_ref()));
    out.updated_at = at(t.last_update.as_ref()).or_else(|| at(t.lastactiondate.as_ref()));
    out.closed_at = at(t.dateclosed.as_ref());
    out.due_at = at(t.fixbydate.as_ref()).or_else(|| at(t.deadlinedate.as_ref()));
    out.parent = pos(t.parent_id).map(Id::int);
    out.merged_into = pos(t.merged_into_id).map(Id::int);
    out.custom_fields = custom_fields(t.customfields.as_ref());
    out.sla = sla_timers(t, out.closed_at);
    out.raw = raw;
    Ok(out)
}

/// Halo's SLA state letter: `I` inside the target, `O` outside it; other
/// values (or none) are unknown.
pub(super) fn sla_breached(state: Option<&String>) -> Option<bool> {
    match state.map(|s| s.trim().to_ascii_uppercase()).as_deref() {
        Some("I") => Some(false),
        Some("O") => Some(true),
        _ => None,
    }
}

/// A ticket's SLA timers: `respondbydate` / `responsedate` /
/// `slaresponsestate` for the response, `fixbydate` / `dateclosed` /
/// `slastate` for the resolution, `onhold` for a paused clock; `None` when
/// Halo sent none of them.
pub(super) fn sla_timers(
    t: &TicketHead,
    closed_at: Option<DateTime<Utc>>,
) -> Option<psa_core::SlaTimers> {
    let mut s = psa_core::SlaTimers::default();
    s.sla = reference(t.sla_id, t.sla_name.as_ref());
    s.response_due = at(t.respondbydate.as_ref());
    s.responded_at = at(t.responsedate.as_ref());
    s.resolution_due = at(t.fixbydate.as_ref());
    s.resolved_at = closed_at;
    s.response_breached = sla_breached(t.slaresponsestate.as_ref());
    s.resolution_breached = sla_breached(t.slastate.as_ref());
    s.paused = t.onhold;
    (!s.is_empty()).then_some(s)
}

/// A new uniform ticket → the Halo record to post.
pub(crate) fn new_ticket(t: &NewTicket) -> Result<Ticket> {
    t.validate()?;
    let mut out = Ticket::new(
        t.company.require_positive("halo client id (company)")?,
        &t.summary,
    );
    out.details.clone_from(&t.description);
    out.user_id = opt_pos(t.contact.as_ref(), "halo user id (contact)")?;
    out.status_id = opt_pos(t.status.as_ref(), "halo status id")?;
    out.priority_id = opt_pos(t.priority.as_ref(), "halo priority id")?;
    out.team_id = opt_pos(t.queue.as_ref(), "halo team id (queue)")?;
    out.tickettype_id = opt_pos(t.ticket_type.as_ref(), "halo ticket type id")?;
    out.categoryid_1 = opt_pos(t.subtype.as_ref(), "halo category id (subtype)")?;
    out.agent_id = opt_pos(t.owner.as_ref(), "halo agent id (owner)")?;
    out.customfields = to_custom_fields(&t.custom_fields);
    Ok(out)
}

/// A uniform ticket patch → the Halo update of ticket `id` (`None` when
/// the patch changes no field of the ticket record itself), and the
/// resolution action that closes it.
///
/// Halo keeps "none" as `0`: clearing the contact, owner or subtype sends
/// `user_id`, `agent_id` or `categoryid_1` as `0`. A resolution is how Halo
/// closes a ticket: an action of the resolution type
/// ([`Outcomes::resolution`](crate::Outcomes::resolution)) with the notes
/// as its note and the patch's status as `new_status`, so it needs a
/// closed status in the same patch; Halo has no resolution code.
pub(crate) fn ticket_patch(
    id: i64,
    p: &TicketPatch,
    settings: &Settings,
    acting: Option<i64>,
) -> Result<(Option<Ticket>, Option<Action>)> {
    p.validate()?;
    p.check_mapped(
        psa_core::Vendor::Halo,
        TicketPatch::FIELDS,
        &["subtype", "owner", "contact"],
    )?;
    let status = opt_pos(p.status.as_ref(), "halo status id")?;
    let resolution = match &p.resolution {
        None => None,
        Some(r) => {
            if r.code.is_some() {
                return Err(Error::invalid_input(
                    "halo has no resolution code: give the resolution notes only",
                )
                .with_vendor(HALO));
            }
            let closing = status.filter(|s| settings.is_closed_status(*s));
            let Some(closing) = closing else {
                return Err(Error::invalid_input(format!(
                    "halo resolves a ticket by closing it: a resolution needs a closed status in the same patch (one of {:?})",
                    settings.closed_status_ids
                ))
                .with_vendor(HALO));
            };
            let mut a = Action::new(id, &r.notes)
                .with_outcome(settings.outcomes.resolution_name())
                .hidden_from_user(false);
            a.new_status = Some(closing);
            a.sendemail = Some(false);
            attribute(&mut a, acting);
            Some(a)
        }
    };
    let mut out = Ticket::update(id);
    out.summary.clone_from(&p.summary);
    out.details.clone_from(&p.description);
    if resolution.is_none() {
        out.status_id = status;
    }
    out.priority_id = opt_pos(p.priority.as_ref(), "halo priority id")?;
    out.team_id = opt_pos(p.queue.as_ref(), "halo team id (queue)")?;
    out.tickettype_id = opt_pos(p.ticket_type.as_ref(), "halo ticket type id")?;
    out.client_id = opt_pos(p.company.as_ref(), "halo client id (company)")?;
    out.categoryid_1 = change_id(&p.subtype, "halo category id (subtype)")?;
    if p.subtype.is_clear() {
        out.category_1 = Some(String::new());
    }
    out.agent_id = change_id(&p.owner, "halo agent id (owner)")?;
    out.user_id = change_id(&p.contact, "halo user id (contact)")?;
    out.customfields = to_custom_fields(&p.custom_fields);
    let changes_record = out != Ticket::update(id);
    Ok((changes_record.then_some(out), resolution))
}

/// A three-state change of an id field: the id, `0` (Halo's "none") to
/// clear it, or nothing.
pub(super) fn change_id(c: &psa_core::Change<Id>, what: &str) -> Result<Option<i64>> {
    if c.is_clear() {
        return Ok(Some(0));
    }
    opt_pos(c.as_set(), what)
}

/// A Halo ticket of a project type → the uniform project.
pub(crate) fn project(t: &Ticket, settings: &Settings) -> Result<psa_core::Project> {
    let id = pos(t.id).ok_or_else(|| missing("project", "id"))?;
    let mut out = psa_core::Project::new(Id::int(id), t.summary.clone().unwrap_or_default());
    out.company = reference(t.client_id, t.client_name.as_ref());
    out.status = reference(t.status_id, t.status_name.as_ref());
    out.manager = reference(t.agent_id, t.agent_name.as_ref());
    out.start = at(t.startdate.as_ref()).or_else(|| at(t.dateoccurred.as_ref()));
    out.end = at(t.targetdate.as_ref()).or_else(|| at(t.deadlinedate.as_ref()));
    out.closed = pos(t.status_id).map(|s| settings.is_closed_status(s));
    out.raw = raw(t).into();
    Ok(out)
}

/// A Halo audit record → the uniform audit entry.
pub(crate) fn audit(a: &Audit, ticket: i64) -> AuditEntry {
    let mut out = AuditEntry::new(Id::int(pos(a.ticket_id).unwrap_or(ticket)));
    out.id = pos(a.id).map(Id::int);
    out.at = at(a.date.as_ref());
    out.actor = text(a.username.as_ref());
    out.field = text(a.value.as_ref());
    out.old_value.clone_from(&a.from);
    out.new_value.clone_from(&a.to);
    out.description = text(a.actoutcome.as_ref());
    out.raw = raw(a).into();
    out
}
