//! Time entries charged to tickets: list, create, update, delete.

use futures::stream::BoxStream;
use psa_core::{Id, NewTimeEntry, Result, TimeEntry, TimeEntryPatch, TimeEntryQuery};

use super::{int, map_stream};
use crate::client::Client;
use crate::mapping::{self, int_id};
use crate::query::{Condition, fields as f};

pub(super) fn list<'a>(
    client: &'a Client,
    query: &TimeEntryQuery,
) -> BoxStream<'a, Result<TimeEntry>> {
    let build = || {
        query.validate()?;
        let mut c = Vec::new();
        if let Some(t) = &query.ticket {
            c.push(Condition::any([
                f::CHARGE_TO_TYPE.eq("ServiceTicket"),
                f::CHARGE_TO_TYPE.eq("ProjectTicket"),
            ]));
            c.push(f::CHARGE_TO_ID.eq(int_id(t, "ticket id")?));
        }
        if let Some(a) = &query.agent {
            c.push(f::MEMBER_ID.eq(int_id(a, "agent id")?));
        }
        if let Some(from) = query.from {
            c.push(f::TIME_START.ge(from));
        }
        if let Some(to) = query.to {
            c.push(f::TIME_START.lt(to));
        }
        Ok(client
            .time_entries()
            .list()
            .forward_only()
            .conditions(Condition::all(c)))
    };
    map_stream(build, mapping::time_entry)
}

pub(super) async fn create(client: &Client, entry: NewTimeEntry) -> Result<TimeEntry> {
    let body = mapping::new_time_entry(&entry, client.time_member())?;
    mapping::time_entry(&client.time_entries().create(&body).send().await?)
}

pub(super) async fn update(client: &Client, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
    let id = int(id, "time entry")?;
    patch.validate()?;
    let start = if patch.span.is_some() && patch.start.is_none() {
        client.time_entries().get(id).send().await?.time_start
    } else {
        None
    };
    let ops = mapping::time_entry_patch(&patch, start)?;
    mapping::time_entry(&client.time_entries().update(id, &ops).send().await?)
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    client
        .time_entries()
        .delete(int(id, "time entry")?)
        .send()
        .await
}
