//! Schedule entries: Autotask service calls, with the ticket and the
//! resources linked through `ServiceCallTickets` and
//! `ServiceCallTicketResources`.

use std::collections::HashMap;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Error, Id, NewScheduleEntry, Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery,
    Timestamp,
};
use serde_json::{Map, Value, json};

use super::notes::default_or_first;
use super::{opt_value_id, partial_write, record_id, ts, value_id};
use crate::client::Client;
use crate::mapping::{self, put};
use crate::models::{ServiceCall, ServiceCallTicket, ServiceCallTicketResource};
use crate::query::{Filter, Query};

/// Every record of `T` matching `query`, collected.
async fn all<T: crate::models::Entity>(client: &Client, query: Query) -> Result<Vec<T>> {
    client
        .entity::<T>()
        .list(query)
        .stream()
        .try_collect()
        .await
}

/// For each service call: its first linked ticket and every resource
/// assigned through its tickets. `in` lists stay under Autotask's 500 OR
/// conditions.
async fn links(client: &Client, calls: &[i64]) -> Result<HashMap<i64, (Option<i64>, Vec<i64>)>> {
    let mut out: HashMap<i64, (Option<i64>, Vec<i64>)> = HashMap::new();
    let mut link_to_call = HashMap::new();
    for chunk in calls.chunks(400) {
        let found: Vec<ServiceCallTicket> = all(
            client,
            Query::new().filter(Filter::is_in("serviceCallID", chunk.to_vec())),
        )
        .await?;
        for l in found {
            if let Some(call) = l.service_call_id {
                let entry = out.entry(call).or_default();
                if entry.0.is_none() {
                    entry.0 = l.ticket_id;
                }
                link_to_call.insert(l.id, call);
            }
        }
    }
    let link_ids: Vec<i64> = link_to_call.keys().copied().collect();
    for chunk in link_ids.chunks(400) {
        let resources: Vec<ServiceCallTicketResource> = all(
            client,
            Query::new().filter(Filter::is_in("serviceCallTicketID", chunk.to_vec())),
        )
        .await?;
        for r in resources {
            let call = r.service_call_ticket_id.and_then(|l| link_to_call.get(&l));
            if let (Some(call), Some(resource)) = (call, r.resource_id) {
                let entry = out.entry(*call).or_default();
                if !entry.1.contains(&resource) {
                    entry.1.push(resource);
                }
            }
        }
    }
    Ok(out)
}

/// Service call `id` as a uniform schedule entry.
async fn one(client: &Client, id: i64) -> Result<ScheduleEntry> {
    let (call, raw) = client.service_calls().get(id).send_record().await?;
    let mut found = links(client, &[id]).await?;
    let (ticket, resources) = found.remove(&id).unwrap_or_default();
    Ok(mapping::schedule_entry(
        &call,
        raw,
        ticket,
        resources.first().copied(),
    ))
}

pub(super) fn list(client: &Client, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
    stream::once(async move {
        query.validate()?;
        let agent = opt_value_id(query.agent.as_ref(), "agent id")?;
        let q = Query::new()
            .filter(Filter::gte("startDateTime", query.from))
            .filter(Filter::lt("startDateTime", query.to));
        let calls: Vec<_> = client
            .service_calls()
            .list(q)
            .stream_records()
            .try_collect()
            .await?;
        let ids: Vec<i64> = calls.iter().map(|(c, _): &(ServiceCall, _)| c.id).collect();
        let mut found = links(client, &ids).await?;
        let mut out = Vec::with_capacity(calls.len());
        for (call, raw) in calls {
            let (ticket, resources) = found.remove(&call.id).unwrap_or_default();
            let shown = match agent {
                Some(a) if resources.contains(&a) => Some(a),
                Some(_) => continue,
                None => resources.first().copied(),
            };
            out.push(Ok(mapping::schedule_entry(&call, raw, ticket, shown)));
        }
        Ok::<_, Error>(stream::iter(out))
    })
    .try_flatten()
    .boxed()
}

/// `{"serviceCallTicketID": link, "resourceID": agent}`: an agent on a
/// service call's ticket.
fn assignment(link: i64, agent: i64) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("serviceCallTicketID".into(), json!(link));
    body.insert("resourceID".into(), json!(agent));
    body
}

pub(super) async fn create(client: &Client, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
    entry.validate()?;
    let agent = value_id(&entry.agent, "agent id")?;
    let ticket = entry
        .ticket
        .as_ref()
        .map(|t| record_id(t, "ticket id"))
        .transpose()?
        .ok_or_else(|| {
            Error::invalid_input(
                "Autotask service calls belong to a company: give the ticket the schedule entry is for",
            )
        })?;
    let t = client.tickets().get(ticket).send().await?;
    let company = t
        .company_id
        .ok_or_else(|| Error::invalid_input(format!("ticket {ticket} has no company")))?;
    let pl = client.picklists("ServiceCalls").await?;
    let status = default_or_first(&pl, "status")
        .ok_or_else(|| Error::invalid_input("the ServiceCalls status picklist is empty"))?;
    let mut body = Map::new();
    body.insert("companyID".into(), json!(company));
    body.insert("startDateTime".into(), ts(entry.start));
    body.insert("endDateTime".into(), ts(entry.end));
    body.insert("status".into(), json!(status));
    put(
        &mut body,
        "description",
        mapping::join_description(entry.subject.as_deref(), entry.note.as_deref()),
    );
    let call = client.service_calls().create_fields(body).send().await?;
    let mut link = Map::new();
    link.insert("serviceCallID".into(), json!(call));
    link.insert("ticketID".into(), json!(ticket));
    let link = client
        .service_calls()
        .tickets(call)
        .create_fields(link)
        .send()
        .await
        .map_err(|e| partial_write(e, call))?;
    client
        .service_call_tickets()
        .resources(link)
        .create_fields(assignment(link, agent))
        .send()
        .await
        .map_err(|e| partial_write(e, call))?;
    one(client, call).await
}

/// Replaces the resources of every ticket linked to service call `id` with
/// `agent`.
async fn reassign(client: &Client, id: i64, agent: i64) -> Result<()> {
    let linked = client.service_calls().tickets(id).list().send().await?;
    if linked.is_empty() {
        return Err(Error::invalid_input(format!(
            "service call {id} has no ticket to assign an agent through"
        )));
    }
    for link in linked {
        let resources = client.service_call_tickets().resources(link.id);
        let assigned = resources.list().send().await?;
        if assigned.iter().any(|r| r.resource_id == Some(agent)) {
            continue;
        }
        resources
            .create_fields(assignment(link.id, agent))
            .send()
            .await?;
        for r in assigned {
            resources.delete(r.id).send().await?;
        }
    }
    Ok(())
}

pub(super) async fn update(
    client: &Client,
    id: &Id,
    patch: ScheduleEntryPatch,
) -> Result<ScheduleEntry> {
    patch.validate()?;
    let id = record_id(id, "schedule entry id")?;
    let current = client.service_calls().get(id).send().await?;
    let mut body = Map::new();
    put(&mut body, "startDateTime", patch.start.map(ts));
    put(&mut body, "endDateTime", patch.end.map(ts));
    if patch.subject.is_some() || patch.note.is_some() {
        let (old_subject, old_note) = {
            let e = mapping::schedule_entry(&current, Value::Null, None, None);
            (e.subject, e.note)
        };
        let subject = patch.subject.clone().or(old_subject);
        let note = patch.note.clone().or(old_note);
        put(
            &mut body,
            "description",
            mapping::join_description(subject.as_deref(), note.as_deref()),
        );
    }
    if let (Some(start), None) = (patch.start, patch.end) {
        if current
            .end_date_time
            .as_ref()
            .and_then(Timestamp::utc)
            .is_some_and(|e| e <= start)
        {
            return Err(Error::invalid_input(
                "the new start is after the service call's end",
            ));
        }
    }
    if !body.is_empty() {
        client.service_calls().update(id, body).send().await?;
    }
    if let Some(agent) = opt_value_id(patch.agent.as_ref(), "agent id")? {
        reassign(client, id, agent).await?;
    }
    one(client, id).await
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    let id = record_id(id, "schedule entry id")?;
    client.service_calls().delete(id).send().await
}
