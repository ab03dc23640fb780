//! Tickets: read (kept as ConnectWise's text), list, create (custom fields
//! by a follow-up `PATCH`), triage updates, merge, bundle, delete and the
//! audit trail.

use futures::TryStreamExt;
use futures::stream::BoxStream;
use psa_core::{
    AuditEntry, Error, ErrorKind, Id, NewNote, NewTicket, Result, Ticket, TicketPatch, TicketQuery,
    TicketState, Vendor,
};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

use super::{created_id, custom_fields_not_set, int, ints, map_stream};
use crate::client::Client;
use crate::mapping::{self, int_id};
use crate::models::{self, PatchOperation, TicketBundle, TicketMerge};
use crate::query::{Condition, fields as f};
use crate::resources::List;

pub(super) async fn get(client: &Client, id: &Id) -> Result<Ticket> {
    // The record's text as sent: the uniform ticket decodes only the
    // fields it maps and keeps the body as `raw`, parsed when read.
    let text = client.tickets().get(int(id, "ticket")?).send_text().await?;
    mapping::ticket_record(text)
}

/// The uniform query as a forward-only listing of tickets.
fn listing(client: &Client, q: &TicketQuery) -> Result<List<models::Ticket>> {
    q.validate()?;
    let mut c = Vec::new();
    if let Some(n) = &q.number {
        // a ConnectWise ticket's number is its id
        let number = psa_core::input::ticket_number(n)?;
        match number.parse::<i64>() {
            Ok(id) if id > 0 => c.push(f::ID.eq(id)),
            // no ticket has a number that is not an id
            _ => c.push(f::ID.eq(0)),
        }
    }
    match q.state {
        TicketState::Open => c.push(f::CLOSED_FLAG.eq(false)),
        TicketState::Closed => c.push(f::CLOSED_FLAG.eq(true)),
        TicketState::Any => {}
    }
    if !q.statuses.is_empty() {
        c.push(f::STATUS_ID.is_in(ids(&q.statuses, "status id")?));
    }
    if !q.priorities.is_empty() {
        c.push(f::PRIORITY_ID.is_in(ids(&q.priorities, "priority id")?));
    }
    for (value, field, what) in [
        (&q.company, f::COMPANY_ID, "company id"),
        (&q.contact, f::CONTACT_ID, "contact id"),
        (&q.owner, f::OWNER_ID, "owner id"),
        (&q.queue, f::BOARD_ID, "board id"),
        (&q.ticket_type, f::TYPE_ID, "type id"),
    ] {
        if let Some(v) = value {
            c.push(field.eq(int_id(v, what)?));
        }
    }
    if let Some(t) = q.created_since {
        c.push(f::DATE_ENTERED.ge(t));
    }
    if let Some(t) = q.updated_since {
        c.push(f::LAST_UPDATED.ge(t));
    }
    if let Some(t) = &q.text {
        c.push(f::SUMMARY.contains(t.clone()));
    }
    let mut list = client.tickets().list().forward_only();
    if !c.is_empty() {
        list = list.conditions(Condition::all(c));
    }
    if let Some(l) = q.limit {
        list = list.limit(l);
    }
    Ok(list)
}

/// Filter values: positive integer ids.
fn ids(list: &[Id], what: &str) -> Result<Vec<i64>> {
    list.iter().map(|i| int_id(i, what)).collect()
}

pub(super) fn list<'a>(client: &'a Client, query: &TicketQuery) -> BoxStream<'a, Result<Ticket>> {
    // Each record's text as sent (see `get`).
    map_stream(
        || Ok(listing(client, query)?.decode_as::<Box<RawValue>>()),
        |raw| mapping::ticket_raw_value(raw.clone()),
    )
}

/// The ticket people quote by its number: a ConnectWise ticket's number is
/// its id, so this is a direct read (`#` and spaces dropped); a number that
/// is not an id is no ticket's.
pub(super) async fn find_by_number(client: &Client, number: &str) -> Result<Ticket> {
    let wanted = psa_core::input::ticket_number(number)?;
    match wanted.parse::<i64>() {
        Ok(id) if id > 0 => get(client, &Id::from(id)).await,
        _ => Err(Error::new(
            ErrorKind::NotFound,
            format!("no ticket has the number {wanted}: a ConnectWise ticket number is its id"),
        )
        .with_vendor(Vendor::ConnectWise)),
    }
}

pub(super) async fn create(client: &Client, ticket: NewTicket) -> Result<Ticket> {
    let body = mapping::new_ticket(&ticket, client.default_board())?;
    let created = client.tickets().create(&body).send().await?;
    if ticket.custom_fields.is_empty() {
        return mapping::ticket(&created);
    }
    let id = created_id(created.id, "ticket")?;
    let mut patch = TicketPatch::new();
    patch.custom_fields = ticket.custom_fields.clone();
    let set = async {
        let ops = mapping::ticket_patch(&patch, Some(&created))?;
        client.tickets().update(id, &ops).send().await
    };
    match set.await {
        Ok(t) => mapping::ticket(&t),
        Err(e) => Err(custom_fields_not_set("ticket", id, e)),
    }
}

/// A ticket update: the `PATCH` of its fields first (idempotent, retried),
/// then the description (its first Discussion note, changed in place or
/// added) and the resolution (a Resolution note), each named in the error
/// when the `PATCH` went through and the note did not.
///
/// A resolution closes the ticket: the patch's status must be a closed
/// status (`closedStatus`) of the ticket's board — without one, the board's
/// first closed status is set — and ConnectWise has no resolution code.
/// Both are checked before anything is written.
pub(super) async fn update(client: &Client, id: &Id, mut patch: TicketPatch) -> Result<Ticket> {
    let id = int(id, "ticket")?;
    patch.validate()?;
    patch.check_mapped(
        Vendor::ConnectWise,
        mapping::PATCH_FIELDS,
        mapping::CLEARABLE_FIELDS,
    )?;
    if let Some(d) = &patch.description {
        // the description is a note: blank or control-only text is refused
        psa_core::input::text("ticket description", d, TicketPatch::MAX_DESCRIPTION).map_err(
            |e| {
                Error::invalid_input(format!(
                    "ConnectWise keeps a ticket's description as its first Discussion note, \
                     which needs visible text: {e}"
                ))
            },
        )?;
    }
    if patch.resolution.as_ref().is_some_and(|r| r.code.is_some()) {
        return Err(Error::invalid_input(
            "ConnectWise has no resolution code: a resolution is a Resolution note and a closed status",
        ));
    }
    let current = if patch.custom_fields.is_empty() && patch.resolution.is_none() {
        None
    } else {
        Some(client.tickets().get(id).send().await?)
    };
    if let (Some(_), Some(current)) = (&patch.resolution, &current) {
        let board = match &patch.queue {
            Some(q) => int(q, "board")?,
            None => current.board.as_ref().and_then(|b| b.id).ok_or_else(|| {
                Error::new(ErrorKind::Decode, format!("ticket #{id} has no board"))
                    .with_vendor(Vendor::ConnectWise)
            })?,
        };
        let statuses = board_statuses(client, board).await?;
        match &patch.status {
            Some(s) => {
                let s = int(s, "status")?;
                if !statuses
                    .iter()
                    .any(|b| b.id == Some(s) && b.closed_status == Some(true))
                {
                    return Err(Error::invalid_input(format!(
                        "status {s} is not a closed status of board {board}: a resolution closes \
                         the ticket, so its status must be one whose `closedStatus` is set"
                    )));
                }
            }
            None => patch.status = Some(Id::from(first_closed(&statuses, board)?)),
        }
    }
    let ops = mapping::ticket_patch(&patch, current.as_ref())?;
    let patched = !ops.is_empty();
    let mut updated = if patched {
        Some(client.tickets().update(id, &ops).send().await?)
    } else {
        None
    };
    let partial = |what: &str, e: Error| {
        if patched {
            Error::new(
                e.kind(),
                format!("ticket #{id} was updated, but its {what} was not written"),
            )
            .with_vendor(Vendor::ConnectWise)
            .with_source(e)
        } else {
            e
        }
    };
    if let Some(d) = &patch.description {
        set_description(client, id, d)
            .await
            .map_err(|e| partial("description", e))?;
    }
    if let Some(r) = &patch.resolution {
        let body = mapping::new_note(&NewNote::resolution(r.notes.clone()), id)?;
        client
            .tickets()
            .notes(id)
            .create(&body)
            .send()
            .await
            .map_err(|e| partial("resolution note", e))?;
    }
    let updated = match updated.take() {
        Some(t) => t,
        None => client.tickets().get(id).send().await?,
    };
    mapping::ticket(&updated)
}

/// Sets a ticket's description: the text of its first Discussion note
/// (`detailDescriptionFlag`), or a new Discussion note when it has none.
async fn set_description(client: &Client, ticket: i64, text: &str) -> Result<()> {
    let notes = client.tickets().notes(ticket);
    let first: Option<models::ServiceNote> = notes
        .list()
        .conditions(f::DETAIL_DESCRIPTION_FLAG.eq(true))
        .order_by(f::ID.asc())
        .limit(1)
        .stream()
        .try_next()
        .await?;
    if let Some(note) = first.and_then(|n| n.id) {
        notes
            .update(note, &[PatchOperation::replace("text", text)])
            .send()
            .await
            .map(|_| ())
    } else {
        let body = mapping::new_note(&NewNote::customer(text), ticket)?;
        notes.create(&body).send().await.map(|_| ())
    }
}

pub(super) async fn merge(client: &Client, into: &Id, from: &[Id]) -> Result<()> {
    let parent = int(into, "ticket")?;
    let children = ints(from, "ticket")?;
    if children.is_empty() {
        return Err(Error::invalid_input(
            "merge needs at least one ticket to merge",
        ));
    }
    if children.contains(&parent) {
        return Err(Error::invalid_input(
            "a ticket cannot be merged into itself",
        ));
    }
    let mut by_board: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for c in &children {
        if by_board.values().any(|v| v.contains(c)) {
            continue;
        }
        let t = client.tickets().get(*c).send().await?;
        let board = t.board.as_ref().and_then(|b| b.id).ok_or_else(|| {
            Error::new(ErrorKind::Decode, format!("ticket #{c} has no board"))
                .with_vendor(Vendor::ConnectWise)
        })?;
        by_board.entry(board).or_default().push(*c);
    }
    for (board, group) in by_board {
        let status = closed_status(client, board).await?;
        client
            .tickets()
            .merge(parent, &TicketMerge::new(group, status))
            .send()
            .await?;
    }
    Ok(())
}

/// The first closed status of a board (lowest sort order).
async fn closed_status(client: &Client, board: i64) -> Result<i64> {
    first_closed(&board_statuses(client, board).await?, board)
}

/// Every status of a board.
async fn board_statuses(client: &Client, board: i64) -> Result<Vec<models::BoardStatus>> {
    client
        .boards()
        .statuses(board)
        .list()
        .stream()
        .try_collect()
        .await
}

/// The active closed status of `statuses` with the lowest sort order.
fn first_closed(statuses: &[models::BoardStatus], board: i64) -> Result<i64> {
    statuses
        .iter()
        .filter(|s| s.closed_status == Some(true) && s.inactive != Some(true))
        .min_by_key(|s| s.sort_order.unwrap_or(i64::MAX))
        .and_then(|s| s.id)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Api,
                format!("board {board} has no closed status"),
            )
            .with_vendor(Vendor::ConnectWise)
        })
}

pub(super) async fn bundle(client: &Client, parent: &Id, children: &[Id]) -> Result<()> {
    let parent = int(parent, "ticket")?;
    let mut kids = ints(children, "ticket")?;
    kids.dedup();
    if kids.is_empty() {
        return Err(Error::invalid_input(
            "bundle needs at least one child ticket",
        ));
    }
    if kids.contains(&parent) {
        return Err(Error::invalid_input(
            "a ticket cannot be bundled under itself",
        ));
    }
    client
        .tickets()
        .attach_children(parent, &TicketBundle::new(kids))
        .send()
        .await
        .map(|_| ())
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    client.tickets().delete(int(id, "ticket")?).send().await
}

pub(super) fn audit_trail<'a>(
    client: &'a Client,
    ticket: &Id,
) -> BoxStream<'a, Result<AuditEntry>> {
    let ticket = int(ticket, "ticket");
    match ticket {
        Ok(t) => map_stream(
            || Ok(client.tickets().audit_trail(t)),
            move |a| Ok(mapping::audit_entry(a, t)),
        ),
        Err(e) => psa_core::psa::error_stream(e),
    }
}
