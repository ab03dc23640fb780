//! Schedule entries of tickets: list, create, update, delete.

use futures::stream::BoxStream;
use psa_core::{Id, NewScheduleEntry, Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery};

use super::{int, map_stream};
use crate::client::Client;
use crate::mapping::{self, int_id};
use crate::query::{Condition, fields as f};

pub(super) fn list<'a>(
    client: &'a Client,
    query: &ScheduleQuery,
) -> BoxStream<'a, Result<ScheduleEntry>> {
    let build = || {
        query.validate()?;
        let mut c = vec![f::DATE_START.ge(query.from), f::DATE_START.lt(query.to)];
        if let Some(a) = &query.agent {
            c.push(f::MEMBER_ID.eq(int_id(a, "agent id")?));
        }
        Ok(client
            .schedule_entries()
            .list()
            .order_by(f::DATE_START.asc())
            .conditions(Condition::all(c)))
    };
    map_stream(build, mapping::schedule_entry)
}

pub(super) async fn create(client: &Client, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
    let body = mapping::new_schedule_entry(&entry)?;
    mapping::schedule_entry(&client.schedule_entries().create(&body).send().await?)
}

pub(super) async fn update(
    client: &Client,
    id: &Id,
    patch: ScheduleEntryPatch,
) -> Result<ScheduleEntry> {
    let id = int(id, "schedule entry")?;
    let ops = mapping::schedule_entry_patch(&patch)?;
    mapping::schedule_entry(&client.schedule_entries().update(id, &ops).send().await?)
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    client
        .schedule_entries()
        .delete(int(id, "schedule entry")?)
        .send()
        .await
}
