//! Typed Halo records ⇄ the uniform `psa_core` models.
//!
//! Reads keep the Halo record in `raw` (re-encoded from the typed record,
//! which reproduces what Halo sent). Writes turn the uniform inputs into the
//! partial Halo records that `POST` creates or updates.

use chrono::{DateTime, Utc};
use psa_core::{
    AuditEntry, CustomFields, Error, ErrorKind, Id, NewConfiguration, NewContact, NewLineItem,
    NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NoteVisibility, Ref, Result,
    ScheduleEntryPatch, TicketPatch, TimeEntryPatch, Vendor, WorkSpan,
};
use serde::Serialize;
use std::time::Duration;

use crate::client::Settings;
use crate::ids::ActionKey;
use crate::models::Number;
use crate::models::{
    Action, Agent, Appointment, Asset, Audit, Contract, CustomField, Customer, EventNo, Item,
    KbArticle, LookupEntry, Priority, Sla, Status, Team, Text, Ticket, TicketHead, TicketItem,
    TicketType, TimesheetEvent, User, Webhook,
};
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

// ---- tickets ----------------------------------------------------------------

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

fn ticket_head(
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
fn sla_breached(state: Option<&String>) -> Option<bool> {
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
fn sla_timers(t: &TicketHead, closed_at: Option<DateTime<Utc>>) -> Option<psa_core::SlaTimers> {
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
        &[
            "status",
            "priority",
            "queue",
            "ticket_type",
            "subtype",
            "owner",
            "contact",
            "company",
            "summary",
            "description",
            "resolution",
            "custom_fields",
        ],
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
fn change_id(c: &psa_core::Change<Id>, what: &str) -> Result<Option<i64>> {
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

// ---- notes and time ---------------------------------------------------------------

fn action_key(a: &Action, what: &str) -> Result<ActionKey> {
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
fn attribute(a: &mut Action, acting: Option<i64>) {
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

// ---- companies, contacts, configurations -------------------------------------------

/// A Halo client → the uniform company.
pub(crate) fn company(c: &Customer) -> Result<psa_core::Company> {
    let id = pos(c.id).ok_or_else(|| missing("client", "id"))?;
    let mut out = psa_core::Company::new(Id::int(id), c.name.clone().unwrap_or_default());
    out.identifier = text(c.accountsid.as_ref());
    out.website = text(c.website.as_ref());
    out.active = c.inactive.map(|i| !i);
    out.custom_fields = custom_fields(c.customfields.as_ref());
    out.raw = raw(c).into();
    Ok(out)
}

/// A Halo end user → the uniform contact.
pub(crate) fn contact(u: &User) -> Result<psa_core::Contact> {
    let id = pos(u.id).ok_or_else(|| missing("user", "id"))?;
    let name = u.name.clone().unwrap_or_else(|| {
        [u.firstname.as_deref(), u.surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut out = psa_core::Contact::new(Id::int(id), name);
    out.first_name = text(u.firstname.as_ref());
    out.last_name = text(u.surname.as_ref());
    out.email = text(u.emailaddress.as_ref());
    out.phone = text(u.phonenumber.as_ref());
    out.mobile = text(u.mobilenumber.as_ref());
    out.company = reference(u.client_id, u.client_name.as_ref());
    out.active = u.inactive.map(|i| !i);
    out.custom_fields = custom_fields(u.customfields.as_ref());
    out.raw = raw(u).into();
    Ok(out)
}

/// A new uniform contact → the Halo user to post for client `client_id`
/// (the contact's company, already read). Halo files end users under a
/// site, so `site_id` is the client's main site.
pub(crate) fn new_contact(c: &NewContact, client_id: i64, site_id: i64) -> Result<User> {
    c.validate()?;
    let name = match &c.last_name {
        Some(l) => format!("{} {l}", c.first_name),
        None => c.first_name.clone(),
    };
    let mut u = User::new(site_id, name);
    u.client_id = Some(client_id);
    u.firstname = Some(c.first_name.clone());
    u.surname.clone_from(&c.last_name);
    u.emailaddress.clone_from(&c.email);
    u.phonenumber.clone_from(&c.phone);
    Ok(u)
}

/// A uniform contact patch → the Halo update of user `id`. `current` is the
/// stored user, needed to keep the display name consistent.
pub(crate) fn contact_patch(id: i64, p: &psa_core::ContactPatch, current: &User) -> Result<User> {
    p.validate()?;
    let mut u = User {
        id: Some(id),
        ..User::default()
    };
    u.firstname.clone_from(&p.first_name);
    u.surname.clone_from(&p.last_name);
    u.emailaddress.clone_from(&p.email);
    u.phonenumber.clone_from(&p.phone);
    if p.first_name.is_some() || p.last_name.is_some() {
        let first = p.first_name.as_ref().or(current.firstname.as_ref());
        let last = p.last_name.as_ref().or(current.surname.as_ref());
        u.name = Some(
            [first, last]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    Ok(u)
}

/// A Halo asset → the uniform configuration.
pub(crate) fn configuration(a: &Asset) -> Result<psa_core::Configuration> {
    let id = pos(a.id).ok_or_else(|| missing("asset", "id"))?;
    let name = text(a.inventory_number.as_ref())
        .or_else(|| text(a.key_field.as_ref()))
        .unwrap_or_default();
    let mut out = psa_core::Configuration::new(Id::int(id), name);
    out.configuration_type = reference(a.assettype_id, a.assettype_name.as_ref());
    out.company = reference(a.client_id, a.client_name.as_ref());
    out.active = a.inactive.map(|i| !i);
    out.custom_fields = custom_fields(a.customfields.as_ref());
    out.raw = raw(a).into();
    Ok(out)
}

/// A new uniform configuration → the Halo asset to post.
pub(crate) fn new_configuration(c: &NewConfiguration) -> Result<Asset> {
    c.validate()?;
    if c.serial_number.is_some() {
        return Err(Error::invalid_input(crate::caps::SERIAL_NUMBER_REASON).with_vendor(HALO));
    }
    Ok(Asset {
        client_id: Some(c.company.require_positive("halo client id (company)")?),
        inventory_number: Some(c.name.clone()),
        assettype_id: opt_pos(c.configuration_type.as_ref(), "halo asset type id")?,
        customfields: to_custom_fields(&c.custom_fields),
        ..Asset::default()
    })
}

/// A uniform configuration patch → the Halo update of asset `id`.
pub(crate) fn configuration_patch(id: i64, p: &psa_core::ConfigurationPatch) -> Result<Asset> {
    p.validate()?;
    if p.serial_number.is_some() {
        return Err(Error::invalid_input(crate::caps::SERIAL_NUMBER_REASON).with_vendor(HALO));
    }
    Ok(Asset {
        id: Some(id),
        inventory_number: p.name.clone(),
        assettype_id: opt_pos(p.configuration_type.as_ref(), "halo asset type id")?,
        inactive: p.active.map(|a| !a),
        customfields: to_custom_fields(&p.custom_fields),
        ..Asset::default()
    })
}

// ---- schedule ----------------------------------------------------------------------

/// A Halo appointment → the uniform schedule entry.
pub(crate) fn schedule_entry(a: &Appointment) -> Result<psa_core::ScheduleEntry> {
    let id = pos(a.id).ok_or_else(|| missing("appointment", "id"))?;
    let mut out = psa_core::ScheduleEntry::new(Id::int(id));
    out.agent = reference(a.agent_id, a.agent_name.as_ref());
    out.ticket = pos(a.ticket_id).map(Id::int);
    out.subject = text(a.subject.as_ref());
    out.start = at(a.start_date.as_ref());
    out.end = at(a.end_date.as_ref());
    out.note = text(a.note.as_ref());
    out.raw = raw(a).into();
    Ok(out)
}

/// A new uniform schedule entry → the Halo appointment to post (UTC, `Z`,
/// `utcoffset: 0`).
pub(crate) fn new_schedule_entry(e: &NewScheduleEntry) -> Result<Appointment> {
    e.validate()?;
    Ok(Appointment {
        agent_id: Some(e.agent.require_positive("halo agent id")?),
        ticket_id: opt_pos(e.ticket.as_ref(), "halo ticket id")?,
        subject: e.subject.clone(),
        note: e.note.clone(),
        start_date: Some(Timestamp::from(e.start)),
        end_date: Some(Timestamp::from(e.end)),
        utcoffset: Some(Number::int(0)),
        ..Appointment::default()
    })
}

/// A uniform schedule patch → the Halo update of appointment `id`.
pub(crate) fn schedule_patch(id: i64, p: &ScheduleEntryPatch) -> Result<Appointment> {
    p.validate()?;
    let dates = p.start.is_some() || p.end.is_some();
    Ok(Appointment {
        id: Some(id),
        agent_id: opt_pos(p.agent.as_ref(), "halo agent id")?,
        subject: p.subject.clone(),
        note: p.note.clone(),
        start_date: p.start.map(Timestamp::from),
        end_date: p.end.map(Timestamp::from),
        utcoffset: dates.then(|| Number::int(0)),
        ..Appointment::default()
    })
}

// ---- catalog -------------------------------------------------------------------------

/// A Halo item → the uniform product.
pub(crate) fn product(i: &Item) -> Result<psa_core::Product> {
    let id = pos(i.id).ok_or_else(|| missing("item", "id"))?;
    let mut out = psa_core::Product::new(Id::int(id), i.name.clone().unwrap_or_default());
    out.sku = text(i.internalreference.as_ref()).or_else(|| text(i.supplier_part_code.as_ref()));
    out.description = text(i.description.as_ref());
    out.price = i.baseprice.map(Number::get);
    out.cost = i.costprice.map(Number::get);
    out.active = i.inactive.map(|i| !i);
    out.raw = raw(i).into();
    Ok(out)
}

/// A Halo item issued to a ticket → the uniform line item.
pub(crate) fn line_item(i: &TicketItem, ticket: i64) -> Result<psa_core::LineItem> {
    let id = pos(i.id).ok_or_else(|| missing("ticket item", "id"))?;
    let mut out = psa_core::LineItem::new(
        Id::int(id),
        Id::int(pos(i.ticket_id).unwrap_or(ticket)),
        i.quantity.map_or(0.0, Number::get),
    );
    out.product = reference(i.item_id, i.name.as_ref());
    out.price = i.price.map(Number::get);
    out.description = text(i.note.as_ref());
    out.raw = raw(i).into();
    Ok(out)
}

/// A uniform line → the action that issues it to `ticket`.
pub(crate) fn new_line_item(ticket: i64, l: &NewLineItem, settings: &Settings) -> Result<Action> {
    l.validate()?;
    if l.billable.is_some() {
        return Err(Error::invalid_input(
            "halo takes billing of issued items from the item and the contract; leave `billable` unset",
        )
        .with_vendor(HALO));
    }
    let item = TicketItem {
        item_id: Some(l.product.require_positive("halo item id (product)")?),
        quantity: Some(Number::from(l.quantity)),
        price: l.price.map(Number::from),
        note: l.description.clone(),
        ..TicketItem::default()
    };
    let mut a = Action::new(ticket, l.description.clone().unwrap_or_default())
        .with_outcome(settings.outcomes.issue_items_name())
        .hidden_from_user(true);
    a.new_items_issued = Some(vec![item]);
    a.sendemail = Some(false);
    Ok(a)
}

/// A Halo contract → the uniform agreement.
pub(crate) fn agreement(c: &Contract) -> Result<psa_core::Agreement> {
    let id = pos(c.id).ok_or_else(|| missing("contract", "id"))?;
    let mut out = psa_core::Agreement::new(Id::int(id), c.reference.clone().unwrap_or_default());
    out.company = reference(c.client_id, c.client_name.as_ref());
    out.agreement_type = pos(c.contracttype).map(Ref::new);
    out.start = at(c.start_date.as_ref());
    out.end = at(c.end_date.as_ref());
    out.active = match (c.active, c.expired) {
        (Some(a), _) => Some(a),
        (None, Some(e)) => Some(!e),
        _ => None,
    };
    out.custom_fields = custom_fields(c.customfields.as_ref());
    out.raw = raw(c).into();
    Ok(out)
}

/// A Halo SLA → the uniform SLA.
pub(crate) fn sla(s: &Sla) -> Result<psa_core::Sla> {
    let id = pos(s.id).ok_or_else(|| missing("SLA", "id"))?;
    let mut out = psa_core::Sla::new(Id::int(id), s.name.clone().unwrap_or_default());
    out.raw = raw(s).into();
    Ok(out)
}

/// A Halo knowledge-base entry → the uniform article.
pub(crate) fn kb_article(k: &KbArticle) -> Result<psa_core::KbArticle> {
    let id = pos(k.id).ok_or_else(|| missing("KB article", "id"))?;
    let mut out = psa_core::KbArticle::new(Id::int(id), k.name.clone().unwrap_or_default());
    out.body = text(k.description.as_ref());
    out.resolution = text(k.resolution.as_ref());
    out.updated_at = at(k.date_edited.as_ref()).or_else(|| at(k.date_created.as_ref()));
    out.raw = raw(k).into();
    Ok(out)
}

// ---- look-ups ----------------------------------------------------------------------------

/// A Halo status → a uniform look-up item; `open` holds the ids of the
/// statuses Halo lists when closed ones are excluded.
pub(crate) fn status(s: &Status, open: Option<&[i64]>) -> Result<psa_core::LookupItem> {
    let id = pos(s.id).ok_or_else(|| missing("status", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), s.name.clone().unwrap_or_default());
    out.closed = open.map(|open| !open.contains(&id));
    out.raw = raw(s).into();
    Ok(out)
}

/// Halo priorities (one per SLA and priority) → uniform look-up items, one
/// per `priorityid` (the first SLA's record names it).
pub(crate) fn priorities(list: &[Priority]) -> Result<Vec<psa_core::LookupItem>> {
    let mut out: Vec<psa_core::LookupItem> = Vec::new();
    for p in list {
        let id = pos(p.priorityid).ok_or_else(|| missing("priority", "priorityid"))?;
        if out.iter().any(|i| i.id == Id::int(id)) {
            continue;
        }
        let mut item = psa_core::LookupItem::new(Id::int(id), p.name.clone().unwrap_or_default());
        item.active = p.ishidden.map(|h| !h);
        item.raw = raw(p).into();
        out.push(item);
    }
    Ok(out)
}

/// A Halo team → a uniform queue.
pub(crate) fn team(t: &Team) -> Result<psa_core::LookupItem> {
    let id = pos(t.id).ok_or_else(|| missing("team", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), t.name.clone().unwrap_or_default());
    out.active = t.inactive.map(|i| !i);
    out.raw = raw(t).into();
    Ok(out)
}

/// A Halo ticket type → a uniform look-up item.
pub(crate) fn ticket_type(t: &TicketType) -> Result<psa_core::LookupItem> {
    let id = pos(t.id).ok_or_else(|| missing("ticket type", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), t.name.clone().unwrap_or_default());
    out.active = match (t.inactive, t.visible) {
        (Some(i), _) => Some(!i),
        (None, v) => v,
    };
    out.raw = raw(t).into();
    Ok(out)
}

/// A Halo look-up entry (a charge type) → a uniform work type.
pub(crate) fn lookup_entry(l: &LookupEntry) -> Result<psa_core::LookupItem> {
    let id = pos(l.id).ok_or_else(|| missing("look-up entry", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), l.name.clone().unwrap_or_default());
    out.active = l.inactive.map(|i| !i);
    out.raw = raw(l).into();
    Ok(out)
}

/// A Halo agent → the uniform agent.
pub(crate) fn agent(a: &Agent) -> Result<psa_core::Agent> {
    let id = pos(a.id).ok_or_else(|| missing("agent", "id"))?;
    let mut out = psa_core::Agent::new(Id::int(id), a.name.clone().unwrap_or_default());
    out.email = text(a.email.as_ref());
    out.active = a.isdisabled.map(|d| !d);
    out.raw = raw(a).into();
    Ok(out)
}

// ---- attachments and custom fields ----------------------------------------------------

/// A Halo attachment → the uniform attachment; `ticket` when Halo leaves
/// the ticket out.
pub(crate) fn attachment(a: &crate::models::Attachment, ticket: i64) -> psa_core::Attachment {
    let ticket = pos(a.ticket_id).unwrap_or(ticket);
    let mut out = psa_core::Attachment::new(
        Id::int(a.id.unwrap_or_default()),
        Id::int(ticket),
        a.filename.clone().unwrap_or_default(),
    );
    out.note = pos(a.action_id).map(|action| ActionKey::new(ticket, action).to_id());
    out.content_type = text(a.content_type.as_ref());
    out.size = a.filesize.and_then(|s| u64::try_from(s).ok());
    out.created_at = at(a.datecreated.as_ref());
    out.author = pos(a.agent_id).map(Ref::new);
    let mut shown = a.clone();
    shown.data_base64 = None;
    out.raw = raw(&shown).into();
    out
}

/// A uniform file → the Halo attachment to post on `ticket`: the content
/// base64-encoded in `data_base64`; an internal file is not shown to end
/// users (`showforusers`).
pub(crate) fn new_attachment(
    ticket: i64,
    f: &psa_core::NewAttachment,
) -> crate::models::Attachment {
    let mut a = crate::models::Attachment::upload(ticket, f.file_name.clone(), &f.data);
    a.content_type = Some(f.content_type.trim().to_owned());
    a.showforusers = Some(!f.internal);
    a
}

/// The file name of a `Content-Disposition` header (`attachment;
/// filename="a b.pdf"`, or RFC 5987's `filename*=UTF-8''a%20b.pdf`).
pub(crate) fn disposition_file_name(header: &str) -> Option<String> {
    let mut plain = None;
    for part in header.split(';').map(str::trim) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == "filename*" {
            let encoded = value.splitn(3, '\'').nth(2)?;
            let decoded = percent_decode(encoded)?;
            return Some(decoded).filter(|n| !n.is_empty());
        }
        if key == "filename" {
            plain = Some(value.trim_matches('"').to_owned()).filter(|n| !n.is_empty());
        }
    }
    plain
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Halo's `usage` of the records of a uniform entity (tickets 1, clients
/// 2, users 4, assets 5).
pub(crate) fn field_usage(entity: psa_core::CustomFieldEntity) -> Option<i64> {
    use psa_core::CustomFieldEntity as E;
    match entity {
        E::Ticket => Some(1),
        E::Company => Some(2),
        E::Contact => Some(4),
        E::Configuration => Some(5),
        _ => None,
    }
}

/// A Halo field definition → the uniform custom-field definition.
pub(crate) fn custom_field_def(
    f: &crate::models::FieldInfo,
    entity: psa_core::CustomFieldEntity,
) -> Result<psa_core::CustomFieldDef> {
    use psa_core::CustomFieldKind as K;
    let name = text(f.name.as_ref()).ok_or_else(|| missing("field", "name"))?;
    let kind = match f.field_type.unwrap_or_default() {
        0 => K::Text,
        1 | 10 => K::LongText,
        2 => K::Picklist,
        3 => K::MultiPicklist,
        4 => K::Date,
        5 => K::DateTime,
        6 => K::Boolean,
        other => K::Other(format!("halo field type {other}")),
    };
    let mut out = psa_core::CustomFieldDef::new(name, entity, kind)
        .required(f.mandatory.unwrap_or(false))
        .read_only(f.readonly.unwrap_or(false));
    if let Some(l) = text(f.label.as_ref()) {
        out = out.label(l);
    }
    if let Some(max) = f.characterlimit.filter(|m| *m > 0) {
        out = out.max_length(u32::try_from(max).unwrap_or(u32::MAX));
    }
    out = out.options(f.values.iter().flatten().filter_map(|v| {
        let id = pos(v.id)?;
        Some(
            psa_core::PicklistOption::new(id, v.name.clone().unwrap_or_default())
                .active(!v.inactive.unwrap_or(false)),
        )
    }));
    out.raw = raw(f).into();
    Ok(out)
}

// ---- webhooks -----------------------------------------------------------------------------

/// The uniform event kind of a Halo event number.
pub(crate) fn event_kind(e: EventNo) -> psa_core::TicketEventKind {
    use psa_core::TicketEventKind as K;
    match e {
        EventNo::NewTicketLogged => K::Created,
        EventNo::TicketUpdatedByUser => K::Updated,
        EventNo::Closed => K::Closed,
        EventNo::StatusChanged => K::StatusChanged,
        EventNo::Deleted => K::Deleted,
        other => K::Other(other.code().to_string()),
    }
}

/// The Halo event numbers of a uniform event kind: the named ones, or a
/// number given as `Other("<eventno>")`.
pub(crate) fn event_numbers(kind: &psa_core::TicketEventKind) -> Result<EventNo> {
    use psa_core::TicketEventKind as K;
    Ok(match kind {
        K::Created => EventNo::NewTicketLogged,
        K::Updated => EventNo::TicketUpdatedByUser,
        K::Closed => EventNo::Closed,
        K::StatusChanged => EventNo::StatusChanged,
        K::Deleted => EventNo::Deleted,
        K::Other(s) => match s.parse::<i64>() {
            Ok(n) if n > 0 => EventNo::from_code(n),
            _ => {
                return Err(Error::invalid_input(format!(
                    "halo webhook event {s:?} is not a Halo event number"
                )));
            }
        },
        other => {
            return Err(Error::invalid_input(format!(
                "halo has no webhook event for `{other}`; pass its Halo event number as TicketEventKind::Other(\"<eventno>\")"
            )));
        }
    })
}

/// The ticket events a subscription without explicit events registers.
pub(crate) const DEFAULT_EVENTS: [EventNo; 5] = [
    EventNo::NewTicketLogged,
    EventNo::TicketUpdatedByUser,
    EventNo::StatusChanged,
    EventNo::Closed,
    EventNo::Deleted,
];

/// A Halo webhook → the uniform subscription; any credential Halo echoes
/// is removed from `raw`.
pub(crate) fn webhook(w: &Webhook) -> Result<psa_core::WebhookSubscription> {
    let guid =
        w.id.as_deref()
            .filter(|g| !g.is_empty())
            .ok_or_else(|| missing("webhook", "id"))?;
    let id = Id::text(guid).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("halo webhook id {guid:?}: {}", e.message()),
        )
        .with_vendor(HALO)
    })?;
    let mut out = psa_core::WebhookSubscription::new(id);
    out.name = text(w.name.as_ref());
    out.url = text(w.url.as_ref());
    out.events = w
        .events
        .iter()
        .flatten()
        .filter_map(|n| n.eventno.map(event_kind))
        .collect();
    out.active = match (w.active, w.disabled) {
        (Some(a), Some(d)) => Some(a && !d),
        (a, None) => a,
        (None, Some(d)) => Some(!d),
    };
    let mut shown = w.clone();
    shown.basic_password = None;
    shown.extra.remove("authentication_header_value");
    out.raw = raw(&shown).into();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
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
