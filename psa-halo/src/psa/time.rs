//! Time entries: Halo actions that carry time, and agents' timesheets.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Error, Id, NewTimeEntry, Result, TimeEntry, TimeEntryPatch, TimeEntryQuery, id::positive,
};

use super::first;
use crate::client::Client;
use crate::ids::ActionKey;
use crate::mapping;

/// The name of a time entry's id in errors.
const TIME_ENTRY_ID: &str = "halo time entry id";

/// By ticket: the ticket's actions that carry time; otherwise the agents'
/// timesheets, which need a date range (`caps::LIST_TIME_NOTE`). Both are
/// filtered to the range and agent asked for.
pub(super) fn list<'a>(
    c: &'a Client,
    query: &TimeEntryQuery,
) -> Result<BoxStream<'a, Result<TimeEntry>>> {
    query.validate()?;
    let agent = query
        .agent
        .as_ref()
        .map(|a| a.require_int("halo agent id"))
        .transpose()?;
    let (from, to) = (query.from, query.to);
    let in_range = move |e: &TimeEntry| {
        let start = e.start;
        from.is_none_or(|f| start.is_some_and(|s| s >= f))
            && to.is_none_or(|t| start.is_some_and(|s| s < t))
    };
    let by_agent = move |e: &TimeEntry| {
        agent.is_none_or(|a| e.agent.as_ref().is_some_and(|r| r.id == Id::int(a)))
    };
    if let Some(ticket) = &query.ticket {
        // The agent only filters the records here: Halo is not asked for it.
        agent.map(|a| positive(a, "halo agent id")).transpose()?;
        return Ok(c
            .actions()
            .list(ticket.require_int(super::tickets::TICKET_ID)?)
            .time_entries_only()
            .stream()
            .and_then(|a| async move { mapping::time_entry_from_action(&a) })
            .try_filter(move |e| std::future::ready(in_range(e) && by_agent(e)))
            .boxed());
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::invalid_input(
            "halo lists time entries without a ticket from the agents' timesheets, which need a date range (from and to)",
        ));
    };
    let mut list = c.timesheet_events().list().start_date(from).end_date(to);
    if let Some(a) = agent {
        list = list.agents(&[a]);
    }
    Ok(list
        .stream()
        .try_filter_map(|e| async move { Ok(mapping::time_entry_from_timesheet(&e)) })
        .try_filter(move |e| std::future::ready(in_range(e) && by_agent(e)))
        .boxed())
}

pub(super) async fn create(c: &Client, entry: NewTimeEntry) -> Result<TimeEntry> {
    let a = mapping::new_time_entry(&entry, c.settings(), c.acting_agent())?;
    let saved = first(c.actions().create([a]).send().await?, "time entry")?;
    let saved = super::attributed(c, saved, "time entry").await?;
    mapping::time_entry_from_action(&saved)
}

/// Reads the action first: a patch of one end of the span needs the other.
pub(super) async fn update(c: &Client, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
    let key = ActionKey::from_id(id, TIME_ENTRY_ID)?;
    patch.validate()?;
    let current = c.actions().get(key).send().await?;
    let a = mapping::time_entry_patch(key, &patch, &current)?;
    let saved = first(c.actions().update([a]).send().await?, "time entry update")?;
    mapping::time_entry_from_action(&saved)
}

pub(super) async fn delete(c: &Client, id: &Id) -> Result<()> {
    let key = ActionKey::from_id(id, TIME_ENTRY_ID)?;
    c.actions().delete(key).send().await
}
