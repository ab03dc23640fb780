//! Time entries: list, create, update, delete.

use futures::stream::BoxStream;
use psa_core::{
    Error, Id, NewTimeEntry, Result, TimeEntry, TimeEntryPatch, TimeEntryQuery, Timestamp, WorkSpan,
};
use serde_json::{Map, json};

use super::tickets::role_for;
use super::{listing, opt_value_id, record_id, ts, value_id};
use crate::client::Client;
use crate::mapping::{self, put};
use crate::models;
use crate::query::{Filter, Query};

/// Time entry `id` as a uniform entry.
async fn one(client: &Client, id: i64) -> Result<TimeEntry> {
    let (e, raw) = client.time_entries().get(id).send_record().await?;
    Ok(mapping::time_entry(&e, raw))
}

fn filters(query: &TimeEntryQuery) -> Result<Query> {
    query.validate()?;
    let mut q = Query::new();
    if let Some(t) = opt_value_id(query.ticket.as_ref(), "ticket id")? {
        q = q.filter(Filter::eq("ticketID", t));
    }
    if let Some(a) = opt_value_id(query.agent.as_ref(), "agent id")? {
        q = q.filter(Filter::eq("resourceID", a));
    }
    if let Some(f) = query.from {
        q = q.filter(Filter::gte("startDateTime", f));
    }
    if let Some(t) = query.to {
        q = q.filter(Filter::lt("startDateTime", t));
    }
    q.validate()?;
    Ok(q)
}

pub(super) fn list<'a>(
    client: &'a Client,
    query: &TimeEntryQuery,
) -> BoxStream<'a, Result<TimeEntry>> {
    listing(
        filters(query).map(|q| client.time_entries().list(q)),
        None,
        mapping::time_entry,
    )
}

pub(super) async fn create(client: &Client, entry: NewTimeEntry) -> Result<TimeEntry> {
    entry.validate()?;
    let ticket = value_id(&entry.ticket, "ticket id")?;
    let resource = match opt_value_id(entry.agent.as_ref(), "agent id")? {
        Some(r) => r,
        // The work is the acting agent's, else the client's agent resource.
        None => client
            .impersonation()
            .or_else(|| client.agent_resource())
            .ok_or_else(|| {
                Error::invalid_input(
                    "no agent given and the client has no agent resource (ClientBuilder::agent_resource)",
                )
            })?,
    };
    let role = role_for(client, resource).await?;
    let duration = entry.span.duration_from(entry.start)?;
    let end = entry.span.end_from(entry.start)?;
    let mut body = Map::new();
    body.insert("ticketID".into(), json!(ticket));
    body.insert("resourceID".into(), json!(resource));
    body.insert("roleID".into(), json!(role));
    body.insert("startDateTime".into(), ts(entry.start));
    body.insert("endDateTime".into(), ts(end));
    body.insert(
        "hoursWorked".into(),
        json!(mapping::duration_to_hours(duration)),
    );
    put(&mut body, "isNonBillable", entry.billable.map(|b| !b));
    put(
        &mut body,
        "billingCodeID",
        opt_value_id(entry.work_type.as_ref(), "work type id")?,
    );
    put(&mut body, "summaryNotes", entry.note.as_ref());
    let id = client.time_entries().create_fields(body).send().await?;
    one(client, id).await
}

/// The new start, end and hours of an entry whose start or span changes,
/// keeping what the patch leaves as it is.
fn new_times(
    current: &models::TimeEntry,
    patch: &TimeEntryPatch,
    body: &mut Map<String, serde_json::Value>,
) -> Result<()> {
    let start = patch
        .start
        .or_else(|| current.start_date_time.as_ref().and_then(Timestamp::utc))
        .ok_or_else(|| Error::invalid_input("the time entry has no start to keep"))?;
    let span = if let Some(s) = patch.span {
        s
    } else {
        let kept = match (
            current.start_date_time.as_ref().and_then(Timestamp::utc),
            current.end_date_time.as_ref().and_then(Timestamp::utc),
        ) {
            (Some(s), Some(e)) => Some(
                (e - s)
                    .to_std()
                    .map_err(|_| Error::invalid_input("the time entry ends before it starts"))?,
            ),
            _ => current.hours_worked.and_then(mapping::hours_to_duration),
        };
        WorkSpan::Duration(
            kept.ok_or_else(|| Error::invalid_input("the time entry has no duration to keep"))?,
        )
    };
    let duration = span.duration_from(start)?;
    if duration > psa_core::MAX_TIME_ENTRY {
        return Err(Error::invalid_input(
            "a time entry cannot be longer than a day",
        ));
    }
    body.insert("startDateTime".into(), ts(start));
    body.insert("endDateTime".into(), ts(span.end_from(start)?));
    body.insert(
        "hoursWorked".into(),
        json!(mapping::duration_to_hours(duration)),
    );
    Ok(())
}

pub(super) async fn update(client: &Client, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
    patch.validate()?;
    let id = record_id(id, "time entry id")?;
    let mut body = Map::new();
    if patch.start.is_some() || patch.span.is_some() {
        let current = client.time_entries().get(id).send().await?;
        new_times(&current, &patch, &mut body)?;
    }
    put(&mut body, "isNonBillable", patch.billable.map(|b| !b));
    put(
        &mut body,
        "billingCodeID",
        opt_value_id(patch.work_type.as_ref(), "work type id")?,
    );
    put(&mut body, "summaryNotes", patch.note.as_ref());
    client.time_entries().update(id, body).send().await?;
    one(client, id).await
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    let id = record_id(id, "time entry id")?;
    client.time_entries().delete(id).send().await
}
