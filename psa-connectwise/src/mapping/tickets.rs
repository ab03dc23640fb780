//! Tickets: the record (decoded from its text, kept as sent), the create
//! body, the triage `PATCH` and audit-trail entries.

use bytes::Bytes;
use psa_core::{AuditEntry, Id, NewTicket, RawRecord, Ref, Result, TicketPatch, Vendor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::{int_id, merge_custom_fields, missing_id, ref_of, to_raw};
use crate::models::{
    AuditTrailEntry, InfoHead, PatchOperation, RefHead, Reference, Ticket, TicketHead,
    custom_field_map, parse_timestamp,
};

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
    out.sla = Some(sla_timers(t)).filter(|s| !s.is_empty());
    out.raw = raw;
    Ok(out)
}

/// The SLA timers of a ticket: its SLA, the response and resolution goals
/// (`respondByGoalUTC`, `resolutionGoalUTC`) and when they were met
/// (`dateResponded`, `dateResolved`). A target is breached when it was met
/// after its goal; for the target still running, ConnectWise's `isInSla`
/// says whether it is breached. ConnectWise's ticket does not say whether
/// the clock is stopped (a waiting status), so `paused` stays unknown.
fn sla_timers(t: &TicketHead) -> psa_core::SlaTimers {
    let responded = t.date_responded.as_deref().and_then(parse_timestamp);
    let resolved = t.date_resolved.as_deref().and_then(parse_timestamp);
    let mut out = psa_core::SlaTimers::default();
    out.sla = t
        .sla
        .as_ref()
        .and_then(|r| Some(Ref::with_opt_name(r.id?, r.name.clone())));
    out.response_due = t.respond_by_goal_utc;
    out.responded_at = responded;
    out.resolution_due = t.resolution_goal_utc;
    out.resolved_at = resolved;
    let running = t.is_in_sla.map(|ok| !ok);
    out.response_breached = match (responded, t.respond_by_goal_utc) {
        (Some(at), Some(due)) => Some(at > due),
        (None, _) => running,
        (Some(_), None) => None,
    };
    out.resolution_breached = match (resolved, t.resolution_goal_utc) {
        (Some(at), Some(due)) => Some(at > due),
        // still running: breached when out of SLA and the response was met
        (None, _) if responded.is_some() => running,
        (None, _) => running.filter(|b| !b),
        (Some(_), None) => None,
    };
    out
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

/// The ticket fields [`ticket_patch`] writes. `description` and
/// `resolution` are written as notes by the `Psa` update (ConnectWise keeps
/// a ticket's description as its first Discussion note and its resolution
/// as a Resolution note), not by the `PATCH`.
pub const PATCH_FIELDS: &[&str] = TicketPatch::FIELDS;

/// The reference fields a patch can clear (a JSON-Patch `remove`).
pub const CLEARABLE_FIELDS: &[&str] = &["subtype", "owner", "contact"];

/// The `PATCH` operations of a ticket update. `current` is needed only for
/// custom fields (their ids). `description` and `resolution` are not part
/// of it (see [`PATCH_FIELDS`]).
pub fn ticket_patch(p: &TicketPatch, current: Option<&Ticket>) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    p.check_mapped(
        psa_core::Vendor::ConnectWise,
        PATCH_FIELDS,
        CLEARABLE_FIELDS,
    )?;
    let mut ops = Vec::new();
    for (value, path, what) in [
        (p.status.as_ref(), "status", "status id"),
        (p.priority.as_ref(), "priority", "priority id"),
        (p.queue.as_ref(), "board", "board id"),
        (p.ticket_type.as_ref(), "type", "type id"),
        (p.subtype.as_set(), "subType", "subtype id"),
        (p.owner.as_set(), "owner", "owner id"),
        (p.contact.as_set(), "contact", "contact id"),
        (p.company.as_ref(), "company", "company id"),
    ] {
        if let Some(id) = value {
            ops.push(PatchOperation::replace_ref(path, int_id(id, what)?));
        }
    }
    for (change, path) in [(&p.owner, "owner"), (&p.contact, "contact")] {
        if change.is_clear() {
            ops.push(PatchOperation::remove(path));
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
        if p.subtype.as_set().is_none() {
            ops.push(PatchOperation::remove("subType"));
        }
        ops.push(PatchOperation::remove("item"));
    } else if p.subtype.is_clear() {
        ops.push(PatchOperation::remove("subType"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{CustomField, PatchOp};

    #[test]
    fn ticket_json_keeps_the_record_and_maps_like_the_typed_ticket() {
        let raw: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/ticket.json")).unwrap();
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
        let text = include_str!("../../tests/fixtures/ticket.json");
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
    fn contact_company_and_clears_are_mapped() {
        let p = TicketPatch::new()
            .contact(Id::from(204))
            .company(Id::from(11))
            .unassign()
            .clear_subtype();
        let ops = serde_json::to_value(ticket_patch(&p, None).unwrap()).unwrap();
        assert_eq!(
            ops,
            serde_json::json!([
                {"op": "replace", "path": "contact", "value": {"id": 204}},
                {"op": "replace", "path": "company", "value": {"id": 11}},
                {"op": "remove", "path": "owner", "value": null},
                {"op": "remove", "path": "subType", "value": null},
            ])
        );
        let clear = TicketPatch::new().clear_contact();
        assert_eq!(
            serde_json::to_value(ticket_patch(&clear, None).unwrap()).unwrap(),
            serde_json::json!([{"op": "remove", "path": "contact", "value": null}])
        );
        // description and resolution are notes: no PATCH operation
        let notes = TicketPatch::new().description("text");
        assert!(ticket_patch(&notes, None).unwrap().is_empty());
    }

    #[test]
    fn sla_timers_report_breaches_from_the_goals() {
        let t: TicketHead = serde_json::from_value(serde_json::json!({
            "id": 1, "sla": {"id": 3, "name": "Gold"},
            "respondByGoalUTC": "2026-03-02T10:00:00Z",
            "dateResponded": "2026-03-02T10:30:00Z",
            "resolutionGoalUTC": "2026-03-03T09:00:00Z",
            "dateResolved": "2026-03-03T08:00:00Z",
            "isInSla": false
        }))
        .unwrap();
        let sla = sla_timers(&t);
        assert_eq!(sla.sla.as_ref().unwrap().name.as_deref(), Some("Gold"));
        assert_eq!(sla.response_breached, Some(true), "responded late");
        assert_eq!(sla.resolution_breached, Some(false), "resolved in time");
        assert!(sla.resolved_at.is_some() && sla.paused.is_none());
        // running: `isInSla` speaks for the target still open
        let running: TicketHead = serde_json::from_value(serde_json::json!({
            "id": 2, "respondByGoalUTC": "2026-03-02T10:00:00Z",
            "dateResponded": "2026-03-02T09:00:00Z",
            "resolutionGoalUTC": "2026-03-03T09:00:00Z", "isInSla": false
        }))
        .unwrap();
        let sla = sla_timers(&running);
        assert_eq!(sla.response_breached, Some(false));
        assert_eq!(sla.resolution_breached, Some(true));
        let waiting: TicketHead = serde_json::from_value(serde_json::json!({
            "id": 3, "respondByGoalUTC": "2026-03-02T10:00:00Z", "isInSla": false
        }))
        .unwrap();
        let sla = sla_timers(&waiting);
        assert_eq!(sla.response_breached, Some(true));
        assert_eq!(sla.resolution_breached, None);
        let none: TicketHead = serde_json::from_value(serde_json::json!({"id": 4})).unwrap();
        assert!(sla_timers(&none).is_empty());
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
}
