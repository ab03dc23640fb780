//! Typed ConnectWise records ⇄ the uniform `psa_core` models.
//!
//! Reads keep the vendor record in `raw` and custom fields keyed by
//! caption. Writes build the exact ConnectWise bodies and JSON-Patch
//! operations; ids are checked (positive integers) before anything is sent.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use psa_core::{
    Agent, AuditEntry, CustomFields, Error, ErrorKind, Id, LookupItem, NewContact, NewLineItem,
    NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, NoteVisibility, RawRecord, Ref,
    Result, TicketEventKind, TicketPatch, Vendor, WorkSpan,
};
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::models::{
    Agreement, AuditTrailEntry, BillableOption, Board, BoardStatus, BoardSubType, BoardType,
    CallbackEntry, CatalogItem, ChargeToType, CommunicationItem, CommunicationType, Company,
    Configuration, Contact, CustomField, Info, InfoHead, KnowledgeBaseArticle, Member,
    PatchOperation, Priority, ProductItem, Project, RefHead, Reference,
    SERVICE_TICKET_SCHEDULE_TYPE, ScheduleEntry, ServiceNote, Sla, Ticket, TicketHead, TimeEntry,
    WorkType, custom_field_map, parse_timestamp,
};

fn to_raw<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn missing_id(what: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("ConnectWise {what} has no id"))
        .with_vendor(Vendor::ConnectWise)
}

/// A reference → a uniform [`Ref`] (`None` without an id).
pub fn reference(r: Option<&Reference>) -> Option<Ref> {
    let r = r?;
    let id = r.id?;
    Some(Ref::with_opt_name(
        id,
        r.name.clone().or_else(|| r.identifier.clone()),
    ))
}

/// A positive integer id, or an `InvalidInput` error naming `what`.
pub fn int_id(id: &Id, what: &str) -> Result<i64> {
    id.require_positive(what)
        .map_err(|e| e.with_vendor(Vendor::ConnectWise))
}

fn ref_of(id: &Id, what: &str) -> Result<Reference> {
    int_id(id, what).map(Reference::id)
}

fn info_time(info: Option<&Info>, f: fn(&Info) -> Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    info.and_then(f)
}

// ---- reads -------------------------------------------------------------------

/// A ticket.
pub fn ticket(t: &Ticket) -> Result<psa_core::Ticket> {
    ticket_json(to_raw(t))
}

/// A ticket from its JSON value: only the fields the uniform model needs
/// are decoded, and the value is kept as `raw`.
///
/// # Errors
/// `Decode` when a field the mapping reads has the wrong type (the error
/// names it) or the ticket has no id.
pub fn ticket_json(raw: Value) -> Result<psa_core::Ticket> {
    let t: TicketHead = psa_core::error::decode_value(Some(Vendor::ConnectWise), TICKET, &raw)?;
    ticket_head(&t, raw.into())
}

/// A ticket from its JSON text as ConnectWise sent it (what the `Psa`
/// reads use): only the fields the uniform model needs are decoded, and the
/// text is kept as a [`RawRecord`], parsed into a `Value` only if someone
/// reads `raw`.
///
/// # Errors
/// As [`ticket_json`]; also when the text holds JSON a `Value` cannot
/// (a number out of range, a lone surrogate escape).
pub fn ticket_record(json: Bytes) -> Result<psa_core::Ticket> {
    let (t, raw) = RawRecord::parse::<TicketHead>(Some(Vendor::ConnectWise), TICKET, json)?;
    ticket_head(&t, raw)
}

/// [`ticket_record`] for a record of a page (a `RawValue` holds its text).
pub fn ticket_raw_value(json: Box<RawValue>) -> Result<psa_core::Ticket> {
    let (t, raw) =
        RawRecord::parse_raw_value::<TicketHead>(Some(Vendor::ConnectWise), TICKET, json)?;
    ticket_head(&t, raw)
}

const TICKET: &str = "ConnectWise ticket";

fn ticket_head(t: &TicketHead, raw: RawRecord) -> Result<psa_core::Ticket> {
    let head = |r: Option<&RefHead>| {
        let r = r?;
        Some(Ref::with_opt_name(
            r.id?,
            r.name.clone().or_else(|| r.identifier.clone()),
        ))
    };
    let date = |f: fn(&InfoHead) -> Option<&String>| {
        t.info.as_ref().and_then(f).and_then(|s| parse_timestamp(s))
    };
    let id = t.id.ok_or_else(|| missing_id("ticket"))?;
    let mut out = psa_core::Ticket::new(Id::from(id), t.summary.clone().unwrap_or_default());
    out.status = head(t.status.as_ref());
    out.priority = head(t.priority.as_ref());
    out.queue = head(t.board.as_ref());
    out.ticket_type = head(t.ticket_type.as_ref());
    out.subtype = head(t.sub_type.as_ref());
    out.company = head(t.company.as_ref());
    out.contact = head(t.contact.as_ref());
    out.owner = head(t.owner.as_ref());
    out.closed = t.closed_flag;
    out.created_at = date(|i| i.date_entered.as_ref());
    out.updated_at = date(|i| i.last_updated.as_ref());
    out.closed_at = t.closed_date.as_deref().and_then(parse_timestamp);
    out.due_at = t.resolution_goal_utc.or(t.required_date);
    out.parent = t.parent_ticket_id.filter(|p| *p > 0).map(Id::from);
    out.merged_into = t
        .merged_parent_ticket
        .as_ref()
        .and_then(|r| r.id)
        .map(Id::from);
    out.custom_fields = custom_field_map(t.custom_fields.as_deref().unwrap_or_default());
    out.raw = raw;
    Ok(out)
}

/// Who can see a note, from its flags: resolution, then discussion
/// (customer), else internal.
pub fn note_visibility(n: &ServiceNote) -> NoteVisibility {
    if n.resolution_flag == Some(true) {
        NoteVisibility::Resolution
    } else if n.detail_description_flag == Some(true) {
        NoteVisibility::Customer
    } else {
        NoteVisibility::Internal
    }
}

/// A ticket note.
pub fn note(n: &ServiceNote, ticket: i64) -> Result<psa_core::Note> {
    let id = n.id.ok_or_else(|| missing_id("note"))?;
    let mut out = psa_core::Note::new(
        Id::from(id),
        Id::from(n.ticket_id.unwrap_or(ticket)),
        n.text.clone().unwrap_or_default(),
        note_visibility(n),
    );
    out.author = reference(n.member.as_ref())
        .or_else(|| reference(n.contact.as_ref()))
        .or_else(|| {
            n.created_by
                .as_ref()
                .map(|c| Ref::with_opt_name(0, Some(c.clone())))
        });
    out.created_at = n
        .date_created
        .as_deref()
        .and_then(parse_timestamp)
        .or_else(|| info_time(n.info.as_ref(), Info::date_entered));
    out.raw = to_raw(n).into();
    Ok(out)
}

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

/// A company.
pub fn company(c: &Company) -> Result<psa_core::Company> {
    let id = c.id.ok_or_else(|| missing_id("company"))?;
    let mut out = psa_core::Company::new(Id::from(id), c.name.clone().unwrap_or_default());
    out.identifier.clone_from(&c.identifier);
    out.phone.clone_from(&c.phone_number);
    out.website.clone_from(&c.website);
    out.active = Some(
        c.deleted_flag != Some(true)
            && !c
                .status
                .as_ref()
                .and_then(|s| s.name.as_deref())
                .is_some_and(|n| n.eq_ignore_ascii_case("inactive")),
    );
    out.custom_fields = custom_field_map(c.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(c).into();
    Ok(out)
}

fn comm_items<'a>(
    c: &'a Contact,
    kind: &'a CommunicationType,
) -> impl Iterator<Item = &'a CommunicationItem> {
    c.communication_items
        .iter()
        .flatten()
        .filter(move |i| i.communication_type.as_ref() == Some(kind))
}

fn is_mobile(i: &CommunicationItem) -> bool {
    i.item_type
        .as_ref()
        .and_then(|t| t.name.as_deref())
        .is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("mobile") || n.contains("cell")
        })
}

/// A contact.
pub fn contact(c: &Contact) -> Result<psa_core::Contact> {
    let id = c.id.ok_or_else(|| missing_id("contact"))?;
    let name = [c.first_name.as_deref(), c.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = psa_core::Contact::new(Id::from(id), name);
    out.first_name.clone_from(&c.first_name);
    out.last_name.clone_from(&c.last_name);
    let emails: Vec<&CommunicationItem> = comm_items(c, &CommunicationType::Email).collect();
    out.email = emails
        .iter()
        .find(|i| i.default_flag == Some(true))
        .or_else(|| emails.first())
        .and_then(|i| i.value.clone());
    let phones: Vec<&CommunicationItem> = comm_items(c, &CommunicationType::Phone).collect();
    out.mobile = phones
        .iter()
        .find(|i| is_mobile(i))
        .and_then(|i| i.value.clone());
    out.phone = c.default_phone_nbr.clone().or_else(|| {
        phones
            .iter()
            .filter(|i| !is_mobile(i))
            .find(|i| i.default_flag == Some(true))
            .or_else(|| phones.iter().find(|i| !is_mobile(i)))
            .and_then(|i| i.value.clone())
    });
    out.company = reference(c.company.as_ref());
    out.active = c.inactive_flag.map(|f| !f);
    out.custom_fields = custom_field_map(c.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(c).into();
    Ok(out)
}

/// A configuration.
pub fn configuration(c: &Configuration) -> Result<psa_core::Configuration> {
    let id = c.id.ok_or_else(|| missing_id("configuration"))?;
    let mut out = psa_core::Configuration::new(Id::from(id), c.name.clone().unwrap_or_default());
    out.configuration_type = reference(c.configuration_type.as_ref());
    out.company = reference(c.company.as_ref());
    out.serial_number.clone_from(&c.serial_number);
    out.active = c.active_flag;
    out.custom_fields = custom_field_map(c.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(c).into();
    Ok(out)
}

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

/// A catalog item → a product.
pub fn product(c: &CatalogItem) -> Result<psa_core::Product> {
    let id = c.id.ok_or_else(|| missing_id("catalog item"))?;
    let name = c
        .description
        .clone()
        .or_else(|| c.identifier.clone())
        .unwrap_or_default();
    let mut out = psa_core::Product::new(Id::from(id), name);
    out.sku.clone_from(&c.identifier);
    out.description.clone_from(&c.customer_description);
    out.price = c.price;
    out.cost = c.cost;
    out.active = c.inactive_flag.map(|f| !f);
    out.raw = to_raw(c).into();
    Ok(out)
}

/// A product line of a ticket.
pub fn line_item(p: &ProductItem, ticket: i64) -> Result<psa_core::LineItem> {
    let id = p.id.ok_or_else(|| missing_id("product"))?;
    let mut out =
        psa_core::LineItem::new(Id::from(id), Id::from(ticket), p.quantity.unwrap_or(0.0));
    out.product = reference(p.catalog_item.as_ref());
    out.price = p.price;
    out.description.clone_from(&p.description);
    out.billable = p
        .billable_option
        .as_ref()
        .and_then(BillableOption::is_billable);
    out.raw = to_raw(p).into();
    Ok(out)
}

/// An agreement.
pub fn agreement(a: &Agreement) -> Result<psa_core::Agreement> {
    let id = a.id.ok_or_else(|| missing_id("agreement"))?;
    let mut out = psa_core::Agreement::new(Id::from(id), a.name.clone().unwrap_or_default());
    out.company = reference(a.company.as_ref());
    out.agreement_type = reference(a.agreement_type.as_ref());
    out.start = a.start_date;
    out.end = a.end_date;
    out.active = match &a.agreement_status {
        Some(s) => Some(*s == crate::models::AgreementStatus::Active),
        None => a.cancelled_flag.map(|c| !c),
    };
    out.custom_fields = custom_field_map(a.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(a).into();
    Ok(out)
}

/// An SLA.
pub fn sla(s: &Sla) -> Result<psa_core::Sla> {
    let id = s.id.ok_or_else(|| missing_id("SLA"))?;
    let mut out = psa_core::Sla::new(Id::from(id), s.name.clone().unwrap_or_default());
    out.raw = to_raw(s).into();
    Ok(out)
}

/// A project.
pub fn project(p: &Project) -> Result<psa_core::Project> {
    let id = p.id.ok_or_else(|| missing_id("project"))?;
    let mut out = psa_core::Project::new(Id::from(id), p.name.clone().unwrap_or_default());
    out.company = reference(p.company.as_ref());
    out.status = reference(p.status.as_ref());
    out.manager = reference(p.manager.as_ref());
    out.start = p.actual_start.or(p.estimated_start);
    out.end = p.actual_end.or(p.estimated_end);
    out.closed = p.closed_flag;
    out.raw = to_raw(p).into();
    Ok(out)
}

/// A knowledge-base article.
pub fn kb_article(k: &KnowledgeBaseArticle) -> Result<psa_core::KbArticle> {
    let id = k.id.ok_or_else(|| missing_id("knowledge-base article"))?;
    let mut out = psa_core::KbArticle::new(Id::from(id), k.title.clone().unwrap_or_default());
    out.body.clone_from(&k.issue);
    out.resolution.clone_from(&k.resolution);
    out.updated_at = info_time(k.info.as_ref(), Info::last_updated)
        .or_else(|| k.date_created.as_deref().and_then(parse_timestamp));
    out.raw = to_raw(k).into();
    Ok(out)
}

/// An audit-trail entry of a ticket.
pub fn audit_entry(a: &AuditTrailEntry, ticket: i64) -> AuditEntry {
    let mut out = AuditEntry::new(Id::from(ticket));
    out.at = a.entered_date.as_deref().and_then(parse_timestamp);
    out.actor.clone_from(&a.entered_by);
    out.description.clone_from(&a.text);
    out.raw = to_raw(a).into();
    out
}

/// A board → a queue.
pub fn board(b: &Board) -> Result<LookupItem> {
    let id = b.id.ok_or_else(|| missing_id("board"))?;
    let mut out = LookupItem::new(Id::from(id), b.name.clone().unwrap_or_default());
    out.active = b.inactive_flag.map(|f| !f);
    out.raw = to_raw(b).into();
    Ok(out)
}

/// A board status → a status, scoped to its board.
pub fn board_status(s: &BoardStatus, board: i64) -> Result<LookupItem> {
    let id = s.id.ok_or_else(|| missing_id("board status"))?;
    let mut out = LookupItem::new(Id::from(id), s.name.clone().unwrap_or_default());
    out.active = s.inactive.map(|f| !f);
    out.closed = s.closed_status;
    out.scope = Some(Id::from(board));
    out.raw = to_raw(s).into();
    Ok(out)
}

/// A board type → a ticket type, scoped to its board.
pub fn board_type(t: &BoardType, board: i64) -> Result<LookupItem> {
    let id = t.id.ok_or_else(|| missing_id("board type"))?;
    let mut out = LookupItem::new(Id::from(id), t.name.clone().unwrap_or_default());
    out.active = t.inactive_flag.map(|f| !f);
    out.scope = Some(Id::from(board));
    out.raw = to_raw(t).into();
    Ok(out)
}

/// A board subtype, scoped to its board.
pub fn board_subtype(t: &BoardSubType, board: i64) -> Result<LookupItem> {
    let id = t.id.ok_or_else(|| missing_id("board subtype"))?;
    let mut out = LookupItem::new(Id::from(id), t.name.clone().unwrap_or_default());
    out.active = t.inactive_flag.map(|f| !f);
    out.scope = Some(Id::from(board));
    out.raw = to_raw(t).into();
    Ok(out)
}

/// A priority.
pub fn priority(p: &Priority) -> Result<LookupItem> {
    let id = p.id.ok_or_else(|| missing_id("priority"))?;
    let mut out = LookupItem::new(Id::from(id), p.name.clone().unwrap_or_default());
    out.raw = to_raw(p).into();
    Ok(out)
}

/// A work type.
pub fn work_type(w: &WorkType) -> Result<LookupItem> {
    let id = w.id.ok_or_else(|| missing_id("work type"))?;
    let mut out = LookupItem::new(Id::from(id), w.name.clone().unwrap_or_default());
    out.active = w.inactive_flag.map(|f| !f);
    out.raw = to_raw(w).into();
    Ok(out)
}

/// A member → an agent.
pub fn member(m: &Member) -> Result<Agent> {
    let id = m.id.ok_or_else(|| missing_id("member"))?;
    let full = [m.first_name.as_deref(), m.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = if full.is_empty() {
        m.identifier.clone().unwrap_or_default()
    } else {
        full
    };
    let mut out = Agent::new(Id::from(id), name);
    out.identifier.clone_from(&m.identifier);
    out.email = m.primary_email.clone().or_else(|| m.office_email.clone());
    out.active = m.inactive_flag.map(|f| !f);
    out.raw = to_raw(m).into();
    Ok(out)
}

/// A callback → a webhook subscription.
pub fn callback(c: &CallbackEntry) -> Result<psa_core::WebhookSubscription> {
    let id = c.id.ok_or_else(|| missing_id("callback"))?;
    let mut out = psa_core::WebhookSubscription::new(Id::from(id));
    out.name.clone_from(&c.description);
    out.url.clone_from(&c.url);
    if c.callback_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("ticket"))
    {
        out.events = vec![
            TicketEventKind::Created,
            TicketEventKind::Updated,
            TicketEventKind::Deleted,
        ];
    }
    out.active = c.inactive_flag.map(|f| !f);
    out.raw = to_raw(c).into();
    Ok(out)
}

// ---- writes ------------------------------------------------------------------

/// The body of `POST /service/tickets`. Custom fields are not part of it:
/// ConnectWise identifies them by id, which a create does not know yet (the
/// client sets them with a follow-up `PATCH`).
pub fn new_ticket(t: &NewTicket, default_board: Option<i64>) -> Result<Ticket> {
    t.validate()?;
    let mut body = Ticket {
        summary: Some(t.summary.clone()),
        company: Some(ref_of(&t.company, "company id")?),
        ..Ticket::default()
    };
    body.board = match &t.queue {
        Some(q) => Some(ref_of(q, "board id")?),
        None => default_board.map(Reference::id),
    };
    body.contact = t
        .contact
        .as_ref()
        .map(|c| ref_of(c, "contact id"))
        .transpose()?;
    body.status = t
        .status
        .as_ref()
        .map(|c| ref_of(c, "status id"))
        .transpose()?;
    body.priority = t
        .priority
        .as_ref()
        .map(|c| ref_of(c, "priority id"))
        .transpose()?;
    body.ticket_type = t
        .ticket_type
        .as_ref()
        .map(|c| ref_of(c, "type id"))
        .transpose()?;
    body.sub_type = t
        .subtype
        .as_ref()
        .map(|c| ref_of(c, "subtype id"))
        .transpose()?;
    body.owner = t
        .owner
        .as_ref()
        .map(|c| ref_of(c, "owner id"))
        .transpose()?;
    body.initial_description.clone_from(&t.description);
    Ok(body)
}

/// Sets uniform custom fields (by caption, or by numeric id) on the
/// record's current `customFields`, returning the whole array to write back.
pub fn merge_custom_fields(
    current: &[CustomField],
    changes: &CustomFields,
    what: &str,
) -> Result<Vec<CustomField>> {
    let mut out = current.to_vec();
    for (name, value) in changes.iter() {
        let pos = out
            .iter()
            .position(|f| f.caption.as_deref() == Some(name))
            .or_else(|| {
                let id: i64 = name.parse().ok()?;
                out.iter().position(|f| f.id == Some(id))
            });
        let Some(i) = pos else {
            let known: Vec<&str> = current
                .iter()
                .filter_map(|f| f.caption.as_deref())
                .collect();
            return Err(Error::invalid_input(format!(
                "{what} has no custom field {name:?}; known: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
            .with_vendor(Vendor::ConnectWise));
        };
        out[i].value = Some(value.clone());
    }
    Ok(out)
}

/// The `PATCH` operations of a ticket triage update. `current` is needed
/// only for custom fields (their ids).
pub fn ticket_patch(p: &TicketPatch, current: Option<&Ticket>) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    p.check_mapped(
        Vendor::ConnectWise,
        &[
            "status",
            "priority",
            "queue",
            "ticket_type",
            "subtype",
            "owner",
            "summary",
            "custom_fields",
        ],
        &[],
    )?;
    let mut ops = Vec::new();
    for (value, path, what) in [
        (p.status.as_ref(), "status", "status id"),
        (p.priority.as_ref(), "priority", "priority id"),
        (p.queue.as_ref(), "board", "board id"),
        (p.ticket_type.as_ref(), "type", "type id"),
        (p.subtype.as_set(), "subType", "subtype id"),
        (p.owner.as_set(), "owner", "owner id"),
    ] {
        if let Some(id) = value {
            ops.push(PatchOperation::replace_ref(path, int_id(id, what)?));
        }
    }
    // Types, subtypes and items belong to a board: moving a ticket to
    // another board with its old type would be refused (`type N is not on
    // board M`), so a move that names no type clears them, as ConnectWise's
    // own ticket screen does. A move that names a type keeps the subtype it
    // names (if any) and clears the rest.
    if p.queue.is_some() {
        if p.ticket_type.is_none() {
            ops.push(PatchOperation::remove("type"));
        }
        if p.subtype.is_keep() {
            ops.push(PatchOperation::remove("subType"));
        }
        ops.push(PatchOperation::remove("item"));
    }
    if let Some(s) = &p.summary {
        ops.push(PatchOperation::replace("summary", s.clone()));
    }
    if !p.custom_fields.is_empty() {
        let current = current
            .and_then(|t| t.custom_fields.as_deref())
            .unwrap_or_default();
        let merged = merge_custom_fields(current, &p.custom_fields, "ticket")?;
        ops.push(PatchOperation::replace("customFields", to_raw(&merged)));
    }
    Ok(ops)
}

/// The body of `POST /service/tickets/{id}/notes`.
pub fn new_note(n: &NewNote, ticket: i64) -> Result<ServiceNote> {
    n.validate()?;
    let mut body = ServiceNote {
        ticket_id: Some(ticket),
        text: Some(n.body.clone()),
        ..ServiceNote::default()
    };
    match n.visibility {
        NoteVisibility::Customer => body.detail_description_flag = Some(true),
        NoteVisibility::Resolution => body.resolution_flag = Some(true),
        _ => body.internal_analysis_flag = Some(true),
    }
    body.process_notifications = Some(n.notify);
    Ok(body)
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

fn email_item(value: &str) -> CommunicationItem {
    CommunicationItem {
        item_type: Some(Reference::name("Email")),
        value: Some(value.to_owned()),
        default_flag: Some(true),
        communication_type: Some(CommunicationType::Email),
        ..CommunicationItem::default()
    }
}

fn phone_item(value: &str) -> CommunicationItem {
    CommunicationItem {
        item_type: Some(Reference::name("Direct")),
        value: Some(value.to_owned()),
        default_flag: Some(true),
        communication_type: Some(CommunicationType::Phone),
        ..CommunicationItem::default()
    }
}

/// The body of `POST /company/contacts`. Email and phone become
/// communication items of the types named `Email` and `Direct` (ConnectWise's
/// defaults; the type is referenced by name).
pub fn new_contact(c: &NewContact) -> Result<Contact> {
    c.validate()?;
    let mut items = Vec::new();
    if let Some(e) = &c.email {
        items.push(email_item(e));
    }
    if let Some(p) = &c.phone {
        items.push(phone_item(p));
    }
    Ok(Contact {
        first_name: Some(c.first_name.clone()),
        last_name: c.last_name.clone(),
        company: Some(ref_of(&c.company, "company id")?),
        communication_items: (!items.is_empty()).then_some(items),
        ..Contact::default()
    })
}

fn upsert_item(items: &mut Vec<CommunicationItem>, kind: &CommunicationType, value: &str) {
    let mut of_kind: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.communication_type.as_ref() == Some(kind) && !is_mobile(i))
        .map(|(n, _)| n)
        .collect();
    of_kind.sort_by_key(|n| items[*n].default_flag != Some(true));
    match of_kind.first() {
        Some(n) => items[*n].value = Some(value.to_owned()),
        None => items.push(match kind {
            CommunicationType::Email => email_item(value),
            _ => phone_item(value),
        }),
    }
}

/// The `PATCH` operations of a contact update; `current` supplies the
/// communication items an email or phone change rewrites.
pub fn contact_patch(
    p: &psa_core::ContactPatch,
    current: Option<&Contact>,
) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    let mut ops = Vec::new();
    if let Some(v) = &p.first_name {
        ops.push(PatchOperation::replace("firstName", v.clone()));
    }
    if let Some(v) = &p.last_name {
        ops.push(PatchOperation::replace("lastName", v.clone()));
    }
    if p.email.is_some() || p.phone.is_some() {
        let mut items = current
            .and_then(|c| c.communication_items.clone())
            .unwrap_or_default();
        if let Some(e) = &p.email {
            upsert_item(&mut items, &CommunicationType::Email, e);
        }
        if let Some(ph) = &p.phone {
            upsert_item(&mut items, &CommunicationType::Phone, ph);
        }
        ops.push(PatchOperation::replace(
            "communicationItems",
            to_raw(&items),
        ));
    }
    Ok(ops)
}

/// The body of `POST /company/configurations`. ConnectWise requires a type.
pub fn new_configuration(c: &psa_core::NewConfiguration) -> Result<Configuration> {
    c.validate()?;
    let ty = c.configuration_type.as_ref().ok_or_else(|| {
        Error::invalid_input("ConnectWise requires a configuration type to create a configuration")
            .with_vendor(Vendor::ConnectWise)
    })?;
    Ok(Configuration {
        name: Some(c.name.clone()),
        configuration_type: Some(ref_of(ty, "configuration type id")?),
        company: Some(ref_of(&c.company, "company id")?),
        serial_number: c.serial_number.clone(),
        ..Configuration::default()
    })
}

/// The `PATCH` operations of a configuration update.
pub fn configuration_patch(
    p: &psa_core::ConfigurationPatch,
    current: Option<&Configuration>,
) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    let mut ops = Vec::new();
    if let Some(v) = &p.name {
        ops.push(PatchOperation::replace("name", v.clone()));
    }
    if let Some(t) = &p.configuration_type {
        ops.push(PatchOperation::replace_ref(
            "type",
            int_id(t, "configuration type id")?,
        ));
    }
    if let Some(v) = &p.serial_number {
        ops.push(PatchOperation::replace("serialNumber", v.clone()));
    }
    if let Some(a) = p.active {
        ops.push(PatchOperation::replace("activeFlag", a));
    }
    if !p.custom_fields.is_empty() {
        let current = current
            .and_then(|c| c.custom_fields.as_deref())
            .unwrap_or_default();
        let merged = merge_custom_fields(current, &p.custom_fields, "configuration")?;
        ops.push(PatchOperation::replace("customFields", to_raw(&merged)));
    }
    Ok(ops)
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

/// The body of `POST /procurement/products` adding a catalog item to a
/// ticket. ConnectWise requires a billable option: `None` sends `Billable`.
///
/// The ticket is named both ways ConnectWise has used: the `ticket`
/// reference of current API versions and `chargeToId` / `chargeToType:
/// "Ticket"` (older versions, and still the query fields the spec
/// recommends for a ticket's products).
pub fn new_line_item(ticket: i64, item: &NewLineItem) -> Result<ProductItem> {
    item.validate()?;
    Ok(ProductItem {
        catalog_item: Some(ref_of(&item.product, "product id")?),
        quantity: Some(item.quantity),
        price: item.price,
        description: item.description.clone(),
        billable_option: Some(
            item.billable
                .map_or(BillableOption::Billable, BillableOption::from_bool),
        ),
        ticket: Some(Reference::id(ticket)),
        charge_to_id: Some(ticket),
        charge_to_type: Some("Ticket".to_owned()),
        ..ProductItem::default()
    })
}

/// The body of `POST /system/callbacks`: every ticket (`type: ticket`,
/// `level: owner`, `objectId: 1`).
pub fn new_callback(w: &NewWebhook) -> Result<CallbackEntry> {
    w.validate()?;
    if w.secret.is_some() {
        return Err(Error::invalid_input(
            "ConnectWise signs callbacks with its own key (fetched from the site when a delivery \
             arrives); a shared secret cannot be set — leave `secret` empty",
        )
        .with_vendor(Vendor::ConnectWise));
    }
    let name: String = w.name.chars().take(100).collect();
    Ok(CallbackEntry {
        description: Some(name),
        url: Some(w.url.to_string()),
        object_id: Some(1),
        callback_type: Some("ticket".to_owned()),
        level: Some("owner".to_owned()),
        inactive_flag: Some(false),
        ..CallbackEntry::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::PatchOp;
    use chrono::TimeZone;
    use std::time::Duration;

    #[test]
    fn ticket_json_keeps_the_record_and_maps_like_the_typed_ticket() {
        let raw: Value =
            serde_json::from_str(include_str!("../tests/fixtures/ticket.json")).unwrap();
        let typed: Ticket = serde_json::from_value(raw.clone()).unwrap();
        let mut from_json = ticket_json(raw.clone()).unwrap();
        let mut from_typed = ticket(&typed).unwrap();
        assert_eq!(from_json.raw, raw, "the record is kept as sent");
        from_json.raw = Value::Null.into();
        from_typed.raw = Value::Null.into();
        assert_eq!(from_json, from_typed);
        let err = ticket_json(serde_json::json!({"id": 5, "board": "Help Desk"})).unwrap_err();
        assert!(
            err.is_decode() && err.to_string().contains("board"),
            "{err}"
        );
        let err = ticket_json(serde_json::json!({"summary": "no id"})).unwrap_err();
        assert!(err.is_decode(), "{err}");
    }

    #[test]
    fn ticket_record_maps_like_ticket_json_and_keeps_the_text() {
        let text = include_str!("../tests/fixtures/ticket.json");
        let raw: Value = serde_json::from_str(text).unwrap();
        let from_text = ticket_record(Bytes::from_static(text.as_bytes())).unwrap();
        assert_eq!(from_text.raw.json_text(), Some(text), "kept verbatim");
        assert_eq!(from_text, ticket_json(raw.clone()).unwrap());
        let page = format!("[{text},{text}]");
        let items: Vec<Box<RawValue>> = serde_json::from_str(&page).unwrap();
        for item in items {
            assert_eq!(ticket_raw_value(item).unwrap().raw, raw);
        }
        let err =
            ticket_record(Bytes::from_static(br#"{"id":5,"board":"Help Desk"}"#)).unwrap_err();
        assert!(
            err.is_decode() && err.to_string().contains("board"),
            "{err}"
        );
        let err = ticket_record(Bytes::from_static(br#"{"id":5,"x":1e999}"#)).unwrap_err();
        assert!(err.is_decode() && err.to_string().contains("`x`"), "{err}");
    }

    #[test]
    fn ticket_patch_is_json_patch() {
        let p = TicketPatch::new()
            .status(Id::from(3))
            .queue(Id::from(2))
            .summary("New");
        let ops = ticket_patch(&p, None).unwrap();
        assert_eq!(
            serde_json::to_value(&ops).unwrap(),
            serde_json::json!([
                {"op": "replace", "path": "status", "value": {"id": 3}},
                {"op": "replace", "path": "board", "value": {"id": 2}},
                {"op": "remove", "path": "type", "value": null},
                {"op": "remove", "path": "subType", "value": null},
                {"op": "remove", "path": "item", "value": null},
                {"op": "replace", "path": "summary", "value": "New"},
            ])
        );
        // A move that names the new board's type keeps it and clears the
        // old subtype and item; no move, nothing cleared.
        let typed = TicketPatch::new()
            .queue(Id::from(2))
            .ticket_type(Id::from(7));
        let paths: Vec<_> = ticket_patch(&typed, None)
            .unwrap()
            .into_iter()
            .map(|o| (o.op, o.path))
            .collect();
        assert_eq!(
            paths,
            [
                (PatchOp::Replace, "board".to_owned()),
                (PatchOp::Replace, "type".to_owned()),
                (PatchOp::Remove, "subType".to_owned()),
                (PatchOp::Remove, "item".to_owned()),
            ]
        );
        let stay = TicketPatch::new().ticket_type(Id::from(7));
        assert_eq!(ticket_patch(&stay, None).unwrap().len(), 1);
        let bad = TicketPatch::new().status(Id::text("abc").unwrap());
        assert!(ticket_patch(&bad, None).unwrap_err().is_invalid_input());
    }

    #[test]
    fn custom_fields_need_a_known_caption() {
        let current = vec![CustomField {
            id: Some(7),
            caption: Some("Story Points".into()),
            value: Some(Value::Null),
            ..CustomField::default()
        }];
        let t = Ticket {
            custom_fields: Some(current),
            ..Ticket::default()
        };
        let ok = TicketPatch::new().custom_field("Story Points", 5);
        let ops = ticket_patch(&ok, Some(&t)).unwrap();
        assert_eq!(ops[0].path, "customFields");
        assert_eq!(ops[0].value[0]["value"], 5);
        assert_eq!(ops[0].value[0]["id"], 7);
        let by_id = TicketPatch::new().custom_field("7", 8);
        assert_eq!(
            ticket_patch(&by_id, Some(&t)).unwrap()[0].value[0]["value"],
            8
        );
        let bad = TicketPatch::new().custom_field("Nope", 1);
        let err = ticket_patch(&bad, Some(&t)).unwrap_err();
        assert!(err.is_invalid_input() && err.to_string().contains("Story Points"));
    }

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

    #[test]
    fn notes_set_exactly_one_flag() {
        for (n, flag) in [
            (NewNote::internal("x"), "internalAnalysisFlag"),
            (NewNote::customer("x").notify(true), "detailDescriptionFlag"),
            (NewNote::resolution("x"), "resolutionFlag"),
        ] {
            let body = serde_json::to_value(new_note(&n, 9).unwrap()).unwrap();
            assert_eq!(body[flag], true, "{body}");
            let flags = [
                "internalAnalysisFlag",
                "detailDescriptionFlag",
                "resolutionFlag",
            ];
            assert_eq!(flags.iter().filter(|f| body.get(**f).is_some()).count(), 1);
        }
    }
}
