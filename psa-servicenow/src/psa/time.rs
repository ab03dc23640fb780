//! Time entries: `task_time_worked` records.

use futures::stream::BoxStream;
use psa_core::psa::error_stream;
use psa_core::{Id, NewTimeEntry, Result, TimeEntry, TimeEntryPatch, TimeEntryQuery};
use serde_json::Value;

use super::{decode, with_custom};
use crate::client::Client;
use crate::ids::sys_id_of;
use crate::mapping;
use crate::models::{TaskTimeWorked, format_glide_datetime};
use crate::query::{Query, Term};

const TABLE: &str = "task_time_worked";

fn time_query(c: &Client, query: &TimeEntryQuery) -> Result<Query> {
    query.validate()?;
    let mut q = Query::new();
    if let Some(t) = &query.ticket {
        q = q.eq("task", c.ticket_id(t)?.sys_id.as_str());
    }
    if let Some(a) = &query.agent {
        q = q.eq("user", sys_id_of(a, &["sys_user"], "agent id")?.as_str());
    }
    if let Some(f) = query.from {
        q = q.and(Term::ge("sys_created_on", format_glide_datetime(f)));
    }
    if let Some(t) = query.to {
        q = q.and(Term::lt("sys_created_on", format_glide_datetime(t)));
    }
    Ok(q.order_by("sys_created_on").order_by("sys_id"))
}

pub(super) fn list_time_entries<'a>(
    c: &'a Client,
    query: &TimeEntryQuery,
) -> BoxStream<'a, Result<TimeEntry>> {
    let q = match time_query(c, query) {
        Ok(q) => q,
        Err(e) => return error_stream(e),
    };
    let fields = with_custom(mapping::TIME_FIELDS, &c.config().custom_fields);
    c.labeled(
        TABLE,
        TABLE,
        vec!["category"],
        q,
        fields,
        None,
        |raw, labels| {
            let r: TaskTimeWorked = decode(&raw, "time entry")?;
            mapping::time_entry(&r, raw, labels)
        },
    )
}

/// A `task_time_worked` record the instance answered with → a time entry,
/// with the category's label.
async fn time_entry(c: &Client, raw: Value) -> Result<TimeEntry> {
    let labels = c.choice_labels(TABLE, &["category"]).await?;
    let r: TaskTimeWorked = decode(&raw, "time entry")?;
    mapping::time_entry(&r, raw, &labels)
}

pub(super) async fn create_time_entry(c: &Client, entry: NewTimeEntry) -> Result<TimeEntry> {
    let t = c.ticket_id(&entry.ticket)?;
    let body = mapping::new_time_body(&entry, &t.sys_id)?;
    let raw = c
        .table(TABLE)
        .create(Value::Object(body))
        .fields(with_custom(mapping::TIME_FIELDS, &c.config().custom_fields))
        .exclude_reference_link(true)
        .send()
        .await?;
    time_entry(c, raw).await
}

pub(super) async fn update_time_entry(
    c: &Client,
    id: &Id,
    patch: TimeEntryPatch,
) -> Result<TimeEntry> {
    let sys = sys_id_of(id, &[TABLE], "time entry id")?;
    let body = mapping::time_patch_body(&patch)?;
    let raw = c
        .table(TABLE)
        .update(&sys, Value::Object(body))
        .fields(with_custom(mapping::TIME_FIELDS, &c.config().custom_fields))
        .exclude_reference_link(true)
        .send()
        .await?;
    time_entry(c, raw).await
}

pub(super) async fn delete_time_entry(c: &Client, id: &Id) -> Result<()> {
    let sys = sys_id_of(id, &[TABLE], "time entry id")?;
    c.table(TABLE).delete(&sys).send().await
}
