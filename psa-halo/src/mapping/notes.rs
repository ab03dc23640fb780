//! Notes and time: actions as notes and time entries, and attribution of an
//! action to the agent a view acts for.

use psa_core::{
    Error, Id, NewNote, NewTimeEntry, NoteVisibility, Ref, Result, TimeEntryPatch, WorkSpan,
};

use crate::client::Settings;
use crate::ids::ActionKey;
use crate::models::Number;
use crate::models::{Action, TimesheetEvent};
use psa_core::Timestamp;

/// The vendor, for errors.
use super::{HALO, at, hours, missing, opt_pos, pos, raw, reference, text, to_hours};

pub(super) fn action_key(a: &Action, what: &str) -> Result<ActionKey> {
    let ticket = pos(a.ticket_id).ok_or_else(|| missing(what, "ticket_id"))?;
    let id = pos(a.id).ok_or_else(|| missing(what, "id"))?;
    Ok(ActionKey::new(ticket, id))
}

/// A Halo action → the uniform note.
pub(crate) fn note(a: &Action, settings: &Settings) -> Result<psa_core::Note> {
    let key = action_key(a, "action")?;
    let visibility = if a.outcome.as_deref() == Some(settings.outcomes.resolution_name()) {
        NoteVisibility::Resolution
    } else if a.hiddenfromuser == Some(true) {
        NoteVisibility::Internal
    } else {
        NoteVisibility::Customer
    };
    let mut out = psa_core::Note::new(
        key.to_id(),
        Id::int(key.ticket_id),
        a.note.clone().unwrap_or_default(),
        visibility,
    );
    out.author = reference(a.who_agentid, a.who.as_ref());
    out.created_at = at(a.datetime.as_ref()).or_else(|| at(a.actiondatecreated.as_ref()));
    out.raw = raw(a).into();
    Ok(out)
}

/// A uniform note → the Halo action to post on `ticket`.
///
/// Internal notes are `hiddenfromuser: true`; customer and resolution notes
/// are visible to the end user, and emailed (`sendemail`) when `notify`.
pub(crate) fn new_note(
    ticket: i64,
    n: &NewNote,
    settings: &Settings,
    acting: Option<i64>,
) -> Result<Action> {
    n.validate()?;
    let o = &settings.outcomes;
    let (outcome, hidden) = match n.visibility {
        NoteVisibility::Internal => (o.internal_note_name(), true),
        NoteVisibility::Resolution => (o.resolution_name(), false),
        _ => (o.customer_note_name(), false),
    };
    let mut a = Action::new(ticket, &n.body)
        .with_outcome(outcome)
        .hidden_from_user(hidden);
    a.sendemail = Some(n.notify);
    attribute(&mut a, acting);
    Ok(a)
}

/// Attributes an action to the agent a view acts as (`act_as`): Halo's
/// agent fields of an action, `who_agentid` and `actionby_agent_id`, with
/// `who_type` 1 (an agent).
pub(super) fn attribute(a: &mut Action, acting: Option<i64>) {
    if let Some(agent) = acting {
        a.who_agentid = Some(agent);
        a.actionby_agent_id = Some(agent);
        a.who_type = Some(1);
    }
}

/// A Halo action with time → the uniform time entry.
pub(crate) fn time_entry_from_action(a: &Action) -> Result<psa_core::TimeEntry> {
    let key = action_key(a, "action")?;
    let mut out = psa_core::TimeEntry::new(key.to_id());
    out.ticket = Some(Id::int(key.ticket_id));
    out.agent = reference(a.who_agentid.or(a.actionby_agent_id), a.who.as_ref());
    out.start = at(a.actionarrivaldate.as_ref());
    out.end = at(a.actioncompletiondate.as_ref());
    out.duration = hours(a.timetaken);
    out.billable = a.actisbillable;
    out.work_type = pos(a.chargerate).map(Ref::new);
    out.note = text(a.note.as_ref());
    out.raw = raw(a).into();
    Ok(out)
}

/// A timesheet entry of ticket time → the uniform time entry; `None` for
/// entries that are not time on a ticket (breaks, holidays, admin time).
pub(crate) fn time_entry_from_timesheet(e: &TimesheetEvent) -> Option<psa_core::TimeEntry> {
    let key = ActionKey::new(pos(e.ticket_id)?, pos(e.action_number)?);
    let mut out = psa_core::TimeEntry::new(key.to_id());
    out.ticket = Some(Id::int(key.ticket_id));
    out.agent = pos(e.agent_id).map(Ref::new);
    out.start = at(e.start_date.as_ref());
    out.end = at(e.end_date.as_ref());
    out.duration = hours(e.timetaken);
    out.work_type = pos(e.charge_rate).map(Ref::new);
    out.note = text(e.note.as_ref());
    out.raw = raw(e).into();
    Some(out)
}

/// A uniform time entry → the Halo action that records it.
///
/// Time in Halo is recorded on actions: `timetaken` in hours between
/// `actionarrivaldate` and `actioncompletiondate`, sent in UTC (`Z`) with
/// `utcoffset: 0` so that the API agent's time zone is never applied.
/// The agent is the entry's, else the client's configured agent
/// (`who_agentid`).
pub(crate) fn new_time_entry(
    e: &NewTimeEntry,
    settings: &Settings,
    acting: Option<i64>,
) -> Result<Action> {
    e.validate()?;
    // The action's ticket, checked by the create (`Writable` for `Action`).
    let ticket = e.ticket.require_int("halo ticket id")?;
    let duration = e.span.duration_from(e.start)?;
    let end = e.span.end_from(e.start)?;
    let agent = match &e.agent {
        Some(a) => Some(a.require_positive("halo agent id")?),
        None => acting.or(settings.agent_id),
    };
    if let (Some(a), Some(me)) = (agent, acting) {
        if a != me {
            return Err(Error::invalid_input(format!(
                "this view acts as agent {me}: it logs time as that agent, not agent {a}"
            ))
            .with_vendor(HALO));
        }
    }
    let mut a = Action::new(ticket, "")
        .with_outcome(settings.outcomes.time_entry_name())
        .hidden_from_user(true);
    a.note.clone_from(&e.note);
    a.timetaken = Some(to_hours(duration));
    a.actionarrivaldate = Some(Timestamp::from(e.start));
    a.actioncompletiondate = Some(Timestamp::from(end));
    a.utcoffset = Some(Number::int(0));
    a.actisbillable = e.billable;
    a.chargerate = opt_pos(e.work_type.as_ref(), "halo charge rate id (work type)")?;
    a.who_agentid = agent;
    a.sendemail = Some(false);
    attribute(&mut a, acting);
    Ok(a)
}

/// A uniform time-entry patch → the Halo update of the action `key`.
/// `current` is the action as stored, needed when only one end of the span
/// changes.
pub(crate) fn time_entry_patch(
    key: ActionKey,
    p: &TimeEntryPatch,
    current: &Action,
) -> Result<Action> {
    p.validate()?;
    let mut a = Action {
        id: Some(key.action_id),
        ticket_id: Some(key.ticket_id),
        ..Action::default()
    };
    let start = p
        .start
        .or_else(|| at(current.actionarrivaldate.as_ref()))
        .ok_or_else(|| {
            Error::invalid_input("halo time entry has no start; set one in the patch")
        })?;
    if p.start.is_some() || p.span.is_some() {
        let span = match p.span {
            Some(s) => s,
            None => match hours(current.timetaken) {
                Some(d) => WorkSpan::Duration(d),
                None => {
                    WorkSpan::Until(at(current.actioncompletiondate.as_ref()).ok_or_else(|| {
                        Error::invalid_input(
                            "halo time entry has no duration; set one in the patch",
                        )
                    })?)
                }
            },
        };
        let d = span.duration_from(start)?;
        if d > psa_core::MAX_TIME_ENTRY {
            return Err(Error::invalid_input("time entry is longer than a day"));
        }
        a.timetaken = Some(to_hours(d));
        a.actionarrivaldate = Some(Timestamp::from(start));
        a.actioncompletiondate = Some(Timestamp::from(span.end_from(start)?));
        a.utcoffset = Some(Number::int(0));
    }
    a.actisbillable = p.billable;
    a.chargerate = opt_pos(p.work_type.as_ref(), "halo charge rate id (work type)")?;
    a.note.clone_from(&p.note);
    Ok(a)
}
