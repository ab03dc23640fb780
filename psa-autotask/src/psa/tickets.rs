//! Tickets: read, list, create, update, bundle, the audit trail; merge and
//! delete are unsupported.

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    AuditEntry, Change, Error, Id, NewTicket, Result, Ticket, TicketPatch, TicketQuery, TicketState,
};
use serde_json::{Map, Value, json};

use super::{company_value, listing, opt_value_id, record_id, text_arg, value_id};
use crate::caps::{self, NO_MERGE, NO_TICKET_DELETE};
use crate::client::Client;
use crate::mapping::{self, check_picklist, put, udfs_from};
use crate::picklist::Picklists;
use crate::query::{Filter, Query};

/// The ticket picklists and the statuses that count as closed.
pub(super) async fn context(client: &Client) -> Result<(Arc<Picklists>, Vec<i64>)> {
    let pl = client.picklists("Tickets").await?;
    let closed = client.closed_statuses_for(&pl);
    Ok((pl, closed))
}

/// Ticket `id` as a uniform ticket.
async fn one(client: &Client, id: i64) -> Result<Ticket> {
    let (t, raw) = client.tickets().get(id).send_record().await?;
    let (pl, closed) = context(client).await?;
    Ok(mapping::ticket(&t, raw, &pl, &closed))
}

pub(super) async fn get(client: &Client, id: &Id) -> Result<Ticket> {
    one(client, record_id(id, "ticket id")?).await
}

/// The Autotask query of a uniform ticket query.
pub(super) fn filters(query: &TicketQuery, closed: &[i64]) -> Result<Query> {
    let mut q = Query::new();
    match query.state {
        TicketState::Open if !closed.is_empty() => {
            q = q.filter(Filter::not_in("status", closed.to_vec()));
        }
        TicketState::Closed if !closed.is_empty() => {
            q = q.filter(Filter::is_in("status", closed.to_vec()));
        }
        _ => {}
    }
    if !query.statuses.is_empty() {
        let ids = query
            .statuses
            .iter()
            .map(|s| value_id(s, "status"))
            .collect::<Result<Vec<_>>>()?;
        q = q.filter(Filter::is_in("status", ids));
    }
    if !query.priorities.is_empty() {
        let ids = query
            .priorities
            .iter()
            .map(|s| value_id(s, "priority"))
            .collect::<Result<Vec<_>>>()?;
        q = q.filter(Filter::is_in("priority", ids));
    }
    if let Some(c) = query.company.as_ref().map(company_value).transpose()? {
        q = q.filter(Filter::eq("companyID", c));
    }
    if let Some(c) = opt_value_id(query.contact.as_ref(), "contact id")? {
        q = q.filter(Filter::eq("contactID", c));
    }
    if let Some(o) = opt_value_id(query.owner.as_ref(), "owner id")? {
        q = q.filter(Filter::eq("assignedResourceID", o));
    }
    if let Some(v) = opt_value_id(query.queue.as_ref(), "queue id")? {
        q = q.filter(Filter::eq("queueID", v));
    }
    if let Some(v) = opt_value_id(query.ticket_type.as_ref(), "ticket type id")? {
        q = q.filter(Filter::eq("ticketType", v));
    }
    if let Some(t) = query.created_since {
        q = q.filter(Filter::gte("createDate", t));
    }
    if let Some(t) = query.updated_since {
        q = q.filter(Filter::gte("lastActivityDate", t));
    }
    if let Some(number) = &query.number {
        let number = psa_core::input::ticket_number(number)?;
        q = q.filter(Filter::eq("ticketNumber", number.to_owned()));
    }
    if let Some(text) = &query.text {
        let text = text_arg("ticket search text", text)?;
        q = q.filter(Filter::or([
            Filter::contains("title", text.clone()),
            Filter::contains("description", text),
        ]));
    }
    if q.filter_list().is_empty() {
        q = Query::all();
    }
    Ok(q)
}

pub(super) fn list(client: &Client, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
    stream::once(async move {
        // Caller input is refused before the picklists (and, on a first
        // call, zone discovery) are fetched: a bad query sends nothing.
        query.validate()?;
        let (pl, closed) = context(client).await?;
        let list = client.tickets().list(filters(&query, &closed)?);
        Ok::<_, Error>(listing(Ok(list), query.limit, move |t, raw| {
            mapping::ticket(t, raw, &pl, &closed)
        }))
    })
    .try_flatten()
    .boxed()
}

/// The role a resource's ticket time and assignments use.
pub(super) async fn role_for(client: &Client, resource: i64) -> Result<i64> {
    client.default_role(resource).await
}

/// The body of a new ticket, with picklist defaults filled in.
async fn new_body(client: &Client, t: &NewTicket) -> Result<Map<String, Value>> {
    let pl = client.picklists("Tickets").await?;
    let mut body = Map::new();
    body.insert("companyID".into(), json!(company_value(&t.company)?));
    body.insert("title".into(), json!(t.summary));
    put(&mut body, "description", t.description.as_ref());
    put(
        &mut body,
        "contactID",
        opt_value_id(t.contact.as_ref(), "contact id")?,
    );
    let pick = |given: Option<&Id>, field: &str, what: &str| -> Result<Option<i64>> {
        match opt_value_id(given, what)? {
            Some(v) => {
                check_picklist(&pl, field, v)?;
                Ok(Some(v))
            }
            None => Ok(pl.default_value(field)),
        }
    };
    let status = pick(t.status.as_ref(), "status", "status id")?.ok_or_else(|| {
        Error::invalid_input("no status given and the Tickets status picklist has no default")
    })?;
    let priority = pick(t.priority.as_ref(), "priority", "priority id")?.ok_or_else(|| {
        Error::invalid_input("no priority given and the Tickets priority picklist has no default")
    })?;
    body.insert("status".into(), json!(status));
    body.insert("priority".into(), json!(priority));
    let queue = pick(t.queue.as_ref(), "queueID", "queue id")?;
    put(&mut body, "queueID", queue);
    if let Some(v) = opt_value_id(t.ticket_type.as_ref(), "ticket type id")? {
        check_picklist(&pl, "ticketType", v)?;
        body.insert("ticketType".into(), json!(v));
    }
    if let Some(v) = opt_value_id(t.subtype.as_ref(), "subtype (issue type) id")? {
        check_picklist(&pl, "issueType", v)?;
        body.insert("issueType".into(), json!(v));
    }
    if let Some(owner) = opt_value_id(t.owner.as_ref(), "owner id")? {
        body.insert("assignedResourceID".into(), json!(owner));
        body.insert(
            "assignedResourceRoleID".into(),
            json!(role_for(client, owner).await?),
        );
    }
    if queue.is_none() && t.owner.is_none() {
        return Err(Error::invalid_input(
            "Autotask needs a queue or an owner for a new ticket, and the queue picklist has no default",
        ));
    }
    if !t.custom_fields.is_empty() {
        body.insert("userDefinedFields".into(), udfs_from(&t.custom_fields));
    }
    Ok(body)
}

pub(super) async fn create(client: &Client, ticket: NewTicket) -> Result<Ticket> {
    ticket.validate()?;
    if let Some(d) = &ticket.description {
        if d.chars().count() > MAX_DESCRIPTION {
            return Err(Error::invalid_input(format!(
                "Autotask ticket descriptions hold at most {MAX_DESCRIPTION} characters"
            )));
        }
    }
    let body = new_body(client, &ticket).await?;
    let id = client.tickets().create_fields(body).send().await?;
    one(client, id).await
}

/// The longest ticket description Autotask stores (`description`, 8,000
/// characters).
pub(crate) const MAX_DESCRIPTION: usize = 8000;

/// Why a resolution code is refused: Autotask tickets have a free-text
/// `resolution` field and no resolution code.
pub(crate) const NO_RESOLUTION_CODE: &str = "Autotask tickets have no resolution code (only the free-text `resolution` field): send the resolution without a code";

/// The fields a ticket patch changes (picklist values checked).
async fn patch_body(client: &Client, p: &TicketPatch) -> Result<Map<String, Value>> {
    p.check_mapped(
        psa_core::Vendor::Autotask,
        TicketPatch::FIELDS,
        &["subtype", "owner", "contact"],
    )?;
    check_patch_input(p)?;
    let pl = client.picklists("Tickets").await?;
    let mut body = Map::new();
    for (given, field, what) in [
        (p.status.as_ref(), "status", "status id"),
        (p.priority.as_ref(), "priority", "priority id"),
        (p.queue.as_ref(), "queueID", "queue id"),
        (p.ticket_type.as_ref(), "ticketType", "ticket type id"),
        (p.subtype.as_set(), "issueType", "subtype (issue type) id"),
    ] {
        if let Some(v) = opt_value_id(given, what)? {
            check_picklist(&pl, field, v)?;
            body.insert(field.into(), json!(v));
        }
    }
    if p.subtype.is_clear() {
        // The sub-issue type belongs to the issue type: both go.
        body.insert("issueType".into(), Value::Null);
        body.insert("subIssueType".into(), Value::Null);
    }
    match &p.owner {
        Change::Set(owner) => {
            let owner = value_id(owner, "owner id")?;
            body.insert("assignedResourceID".into(), json!(owner));
            body.insert(
                "assignedResourceRoleID".into(),
                json!(role_for(client, owner).await?),
            );
        }
        Change::Clear => {
            // Autotask sets and clears the resource and its role together.
            body.insert("assignedResourceID".into(), Value::Null);
            body.insert("assignedResourceRoleID".into(), Value::Null);
        }
        Change::Keep => {}
    }
    match &p.contact {
        Change::Set(c) => {
            body.insert("contactID".into(), json!(value_id(c, "contact id")?));
        }
        Change::Clear => {
            body.insert("contactID".into(), Value::Null);
        }
        Change::Keep => {}
    }
    if let Some(c) = &p.company {
        body.insert("companyID".into(), json!(company_value(c)?));
    }
    put(&mut body, "title", p.summary.as_ref());
    put(&mut body, "description", p.description.as_ref());
    if let Some(r) = &p.resolution {
        body.insert("resolution".into(), json!(r.notes));
    }
    if !p.custom_fields.is_empty() {
        body.insert("userDefinedFields".into(), udfs_from(&p.custom_fields));
    }
    Ok(body)
}

/// What Autotask refuses in a patch, checked before any request: a
/// description past its 8,000 characters and a resolution code.
fn check_patch_input(p: &TicketPatch) -> Result<()> {
    if let Some(d) = &p.description {
        if d.chars().count() > MAX_DESCRIPTION {
            return Err(Error::invalid_input(format!(
                "Autotask ticket descriptions hold at most {MAX_DESCRIPTION} characters"
            )));
        }
    }
    if let Some(r) = &p.resolution {
        if r.code.is_some() {
            return Err(Error::invalid_input(NO_RESOLUTION_CODE));
        }
    }
    Ok(())
}

pub(super) async fn update(client: &Client, id: &Id, patch: TicketPatch) -> Result<Ticket> {
    patch.validate()?;
    let id = record_id(id, "ticket id")?;
    let update = client.tickets().update(id, Map::new());
    // The handle checks the id before the picklists are read.
    let _ = update.request()?;
    let body = patch_body(client, &patch).await?;
    update.changes(body).send().await?;
    one(client, id).await
}

pub(super) fn merge(into: &Id, from: &[Id]) -> Result<()> {
    let _ = (into, from);
    Err(caps::unsupported(NO_MERGE))
}

pub(super) async fn bundle(client: &Client, parent: &Id, children: &[Id]) -> Result<()> {
    let parent = value_id(parent, "parent ticket id")?;
    if children.is_empty() {
        return Err(Error::invalid_input(
            "bundle needs at least one child ticket",
        ));
    }
    let mut links = Vec::with_capacity(children.len());
    for c in children {
        let c = record_id(c, "child ticket id")?;
        if c == parent {
            return Err(Error::invalid_input(
                "a ticket cannot be bundled under itself",
            ));
        }
        let mut changes = Map::new();
        changes.insert("problemTicketId".into(), json!(parent));
        let link = client.tickets().update(c, changes);
        let _ = link.request()?;
        links.push(link);
    }
    for link in links {
        link.send().await?;
    }
    Ok(())
}

pub(super) fn delete(id: &Id) -> Result<()> {
    let _ = id;
    Err(caps::unsupported(NO_TICKET_DELETE))
}

pub(super) fn audit_trail<'a>(
    client: &'a Client,
    ticket: &Id,
) -> BoxStream<'a, Result<AuditEntry>> {
    let list = value_id(ticket, "ticket id").map(|ticket| {
        client
            .ticket_history()
            .list(Query::new().filter(Filter::eq("ticketID", ticket)))
    });
    listing(list, None, mapping::audit_entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_ticket_queries_become_autotask_filters() {
        let q = TicketQuery::open()
            .company(Id::from(12))
            .priority(Id::from(1))
            .priority(Id::from(4))
            .text("printer");
        let body = filters(&q, &[5]).unwrap().to_body().unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"MaxRecords":500,"Filter":[{"op":"notIn","field":"status","value":[5]},{"op":"in","field":"priority","value":[1,4]},{"op":"eq","field":"companyID","value":12},{"op":"or","items":[{"op":"contains","field":"title","value":"printer"},{"op":"contains","field":"description","value":"printer"}]}]}"#
        );
        let any = filters(&TicketQuery::any(), &[5]).unwrap();
        assert_eq!(
            String::from_utf8(any.to_body().unwrap()).unwrap(),
            r#"{"MaxRecords":500,"Filter":[{"op":"gt","field":"id","value":0}]}"#
        );
    }

    #[test]
    fn hostile_search_text_cannot_widen_the_query() {
        let hostile = r#"x"},{"op":"gt","field":"id","value":0}],"MaxRecords":500,"x":{"a":"#;
        let q = TicketQuery::closed().text(hostile);
        let body = String::from_utf8(filters(&q, &[5]).unwrap().to_body().unwrap()).unwrap();
        assert_eq!(
            body,
            r#"{"MaxRecords":500,"Filter":[{"op":"in","field":"status","value":[5]},{"op":"or","items":[{"op":"contains","field":"title","value":"x\"},{\"op\":\"gt\",\"field\":\"id\",\"value\":0}],\"MaxRecords\":500,\"x\":{\"a\":"},{"op":"contains","field":"description","value":"x\"},{\"op\":\"gt\",\"field\":\"id\",\"value\":0}],\"MaxRecords\":500,\"x\":{\"a\":"}]}]}"#
        );
        let parsed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["Filter"].as_array().unwrap().len(), 2);
        assert_eq!(parsed["Filter"][1]["items"][0]["value"], hostile);
        assert!(filters(&TicketQuery::open().text("   "), &[5]).is_err());
        assert!(filters(&TicketQuery::open().company(Id::text("abc").unwrap()), &[5]).is_err());
    }
}
