//! Schedule entries: Halo appointments.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::{Id, NewScheduleEntry, Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery};

use super::first;
use crate::client::Client;
use crate::mapping;

/// The name of an appointment id in errors.
const APPOINTMENT_ID: &str = "halo appointment id";

/// The agents' appointments in the range, filtered to starts within it.
pub(super) fn list<'a>(
    c: &'a Client,
    query: &ScheduleQuery,
) -> Result<BoxStream<'a, Result<ScheduleEntry>>> {
    query.validate()?;
    let mut list = c
        .appointments()
        .list()
        .start_date(query.from)
        .end_date(query.to);
    if let Some(a) = &query.agent {
        list = list.agents(&[a.require_int("halo agent id")?]);
    }
    let (from, to) = (query.from, query.to);
    Ok(list
        .stream()
        .and_then(|a| async move { mapping::schedule_entry(&a) })
        .try_filter(move |e| std::future::ready(e.start.is_none_or(|s| s >= from && s < to)))
        .boxed())
}

pub(super) async fn create(c: &Client, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
    let a = mapping::new_schedule_entry(&entry)?;
    let saved = first(
        c.appointments().create([a]).send().await?,
        "appointment create",
    )?;
    mapping::schedule_entry(&saved)
}

pub(super) async fn update(
    c: &Client,
    id: &Id,
    patch: ScheduleEntryPatch,
) -> Result<ScheduleEntry> {
    let a = mapping::schedule_patch(id.require_int(APPOINTMENT_ID)?, &patch)?;
    let saved = first(
        c.appointments().update([a]).send().await?,
        "appointment update",
    )?;
    mapping::schedule_entry(&saved)
}

pub(super) async fn delete(c: &Client, id: &Id) -> Result<()> {
    c.appointments()
        .delete(id.require_int(APPOINTMENT_ID)?)
        .send()
        .await
}
