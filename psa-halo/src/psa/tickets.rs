//! Tickets: read, list, create, update, merge, bundle, delete, audit trail.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::TicketState;
use psa_core::{
    AuditEntry, Error, ErrorKind, Id, NewTicket, Result, Ticket, TicketPatch, TicketQuery,
};

use super::{first, int_ids, once};
use crate::client::Client;
use crate::mapping;
use crate::models;
use crate::resources::List;

/// The name of a ticket id in errors.
pub(super) const TICKET_ID: &str = "halo ticket id";

pub(super) async fn get(c: &Client, id: &Id) -> Result<Ticket> {
    let id = id.require_int(TICKET_ID)?;
    // The record's text as sent: the uniform ticket decodes only the
    // fields it maps and keeps the text as `raw`, parsed when read.
    let text = c.tickets().get(id).send_text().await?;
    let t = mapping::ticket_text(text, "ticket", c.settings())?;
    with_queue(c, t).await
}

/// A ticket that names its team (`team`) without its id (`team_id`) gets
/// its queue from the cached teams (`GET /Team`, by name).
async fn with_queue(c: &Client, mut t: Ticket) -> Result<Ticket> {
    if t.queue.is_some() {
        return Ok(t);
    }
    let name = t
        .raw
        .get("team")
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if let Some(name) = name {
        if let Some(id) = c.team_id_by_name(&name).await? {
            t.queue = Some(psa_core::Ref::named(id, name));
        }
    }
    Ok(t)
}

pub(super) fn list<'a>(c: &'a Client, q: &TicketQuery) -> Result<BoxStream<'a, Result<Ticket>>> {
    // Each record's text is kept as `raw` (parsed only when read), as
    // `get` does.
    Ok(ticket_list(c, q)?
        .text()
        .stream_at()
        .and_then(move |(page, i, t)| async move {
            let what = format!("ticket tickets[{i}] of page {page}");
            with_queue(c, mapping::ticket_text(t, &what, c.settings())?).await
        })
        .boxed())
}

/// The typed listing of a uniform ticket query.
fn ticket_list<'a>(c: &'a Client, q: &TicketQuery) -> Result<List<'a, models::Ticket>> {
    q.validate()?;
    let mut list = c.tickets().list();
    if let Some(n) = q.number_filter()? {
        list = list.ticket_ids(&[number_id(n)?]);
    }
    list = match q.state {
        TicketState::Open => list.open_only(),
        TicketState::Closed => list.closed_only(),
        TicketState::Any => list,
    };
    if !q.statuses.is_empty() {
        list = list.statuses(&int_ids(&q.statuses, "halo status id")?);
    }
    if !q.priorities.is_empty() {
        list = list.priorities(&int_ids(&q.priorities, "halo priority id")?);
    }
    if let Some(c) = &q.company {
        list = list.client_id(c.require_int("halo client id (company)")?);
    }
    if let Some(c) = &q.contact {
        list = list.user_id(c.require_int("halo user id (contact)")?);
    }
    if let Some(a) = &q.owner {
        list = list.agent_id(a.require_int("halo agent id (owner)")?);
    }
    if let Some(t) = &q.queue {
        list = list.teams(&[t.require_int("halo team id (queue)")?]);
    }
    if let Some(t) = &q.ticket_type {
        list = list.ticket_type(t.require_int("halo ticket type id")?);
    }
    if let Some(t) = q.created_since {
        list = list.created_since(t);
    }
    if let Some(t) = q.updated_since {
        list = list.updated_since(t);
    }
    if let Some(text) = &q.text {
        list = list.search(text);
    }
    if let Some(n) = q.limit {
        list = list.limit(n);
    }
    Ok(list)
}

/// A ticket number as Halo's ticket id: Halo numbers tickets by their id.
fn number_id(number: &str) -> Result<i64> {
    match number.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(Error::invalid_input(format!(
            "halo ticket numbers are the tickets' ids (positive integers); {number} is not one"
        ))),
    }
}

/// The number people quote is the ticket's id: one read (`GET
/// /Tickets/{id}`), open or closed.
pub(super) async fn find_by_number(c: &Client, number: &str) -> Result<Ticket> {
    let id = number_id(psa_core::input::ticket_number(number)?)?;
    get(c, &Id::int(id)).await.map_err(|e| {
        if e.kind() == ErrorKind::NotFound {
            Error::new(
                ErrorKind::NotFound,
                format!("no ticket has the number {id}"),
            )
            .with_vendor(super::HALO)
        } else {
            e
        }
    })
}

pub(super) async fn create(c: &Client, ticket: NewTicket) -> Result<Ticket> {
    let t = mapping::new_ticket(&ticket)?;
    let team = t.team_id;
    let saved = first(c.tickets().create([t]).send().await?, "ticket create")?;
    let out = mapping::ticket(&saved, c.settings())?;
    if let Some(team) = team {
        // `team_id` is not in Halo's request schema: read the ticket back
        // and say so when the queue did not take.
        let id = out.id.require_int(TICKET_ID)?;
        let back = get(c, &out.id).await?;
        check_queue(&back, team, id, "created")?;
        return Ok(back);
    }
    Ok(out)
}

/// The ticket record first (when the patch changes it), then the
/// resolution action that closes it; the ticket read back, with the queue
/// checked (`team_id` rests on Halo's behaviour, not its schema).
pub(super) async fn update(c: &Client, id: &Id, patch: TicketPatch) -> Result<Ticket> {
    let id_int = id.require_int(TICKET_ID)?;
    let (record, resolution) =
        mapping::ticket_patch(id_int, &patch, c.settings(), c.acting_agent())?;
    let team = record.as_ref().and_then(|r| r.team_id);
    if let Some(t) = record {
        first(c.tickets().update([t]).send().await?, "ticket update")?;
    }
    if let Some(a) = resolution {
        let saved = first(c.actions().create([a]).send().await?, "ticket resolution")?;
        super::attributed(c, saved, "resolution").await?;
    }
    let back = get(c, id).await?;
    if let Some(team) = team {
        check_queue(&back, team, id_int, "updated")?;
    }
    Ok(back)
}

/// An error when ticket `id` read back is not in team `team`: Halo
/// ignored the undocumented `team_id` it was sent.
fn check_queue(t: &Ticket, team: i64, id: i64, verb: &str) -> Result<()> {
    let now = t.queue.as_ref().map(|q| q.id.clone());
    if now == Some(Id::int(team)) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Api,
        format!(
            "halo {verb} ticket {id} but did not put it in team {team} (it reads back in {}): this Halo version ignores `team_id`, a field its request schema does not list; set the team by name or in Halo",
            now.map_or_else(|| "no team".to_owned(), |q| format!("team {q}"))
        ),
    )
    .with_vendor(super::HALO))
}

/// Halo has no merge endpoint: each merged ticket is updated with the merge
/// fields of Halo's ticket model (`caps::MERGE_NOTE`).
pub(super) async fn merge(c: &Client, into: &Id, from: &[Id]) -> Result<()> {
    let into = into.require_positive("halo ticket id (merge target)")?;
    let from = int_ids(from, "halo ticket id (merged ticket)")?;
    if from.is_empty() {
        return Err(Error::invalid_input(
            "merge needs at least one ticket to merge",
        ));
    }
    if from.contains(&into) {
        return Err(Error::invalid_input(format!(
            "ticket {into} cannot be merged into itself"
        )));
    }
    let records = from.iter().map(|id| {
        let mut t = models::Ticket::update(*id);
        t.merged_into_id = Some(into);
        t.domerge = Some(true);
        t
    });
    c.tickets().update(records).send().await?;
    // The merge fields are not a documented contract: read each merged
    // ticket back and say so when the merge did not take.
    for id in from {
        let back = c.tickets().get(id).send().await?;
        if back.merged_into_id != Some(into) {
            return Err(Error::new(
                ErrorKind::Api,
                format!(
                    "halo saved ticket {id} but it reads back not merged into ticket {into} (merged_into_id {}): this Halo version ignores merged_into_id/domerge; merge the tickets in Halo",
                    back.merged_into_id.unwrap_or_default()
                ),
            )
            .with_vendor(super::HALO));
        }
    }
    Ok(())
}

/// Children are tickets updated with their `parent_id`.
pub(super) async fn bundle(c: &Client, parent: &Id, children: &[Id]) -> Result<()> {
    let parent = parent.require_positive("halo ticket id (parent)")?;
    let children = int_ids(children, "halo ticket id (child)")?;
    if children.is_empty() {
        return Err(Error::invalid_input(
            "bundle needs at least one child ticket",
        ));
    }
    if children.contains(&parent) {
        return Err(Error::invalid_input(format!(
            "ticket {parent} cannot be its own child"
        )));
    }
    let records = children.into_iter().map(|id| {
        let mut t = models::Ticket::update(id);
        t.parent_id = Some(parent);
        t
    });
    c.tickets().update(records).send().await.map(drop)
}

pub(super) async fn delete(c: &Client, id: &Id) -> Result<()> {
    c.tickets().delete(id.require_int(TICKET_ID)?).send().await
}

/// The ticket's audit records (`include_auditing=true`).
pub(super) fn audit_trail<'a>(
    c: &'a Client,
    ticket: &Id,
) -> Result<BoxStream<'a, Result<AuditEntry>>> {
    let id = ticket.require_int(TICKET_ID)?;
    Ok(once(async move {
        let t = c.tickets().get(id).include_auditing().send().await?;
        Ok(t.audit_log
            .unwrap_or_default()
            .iter()
            .map(|a| Ok(mapping::audit(a, id)))
            .collect())
    }))
}
