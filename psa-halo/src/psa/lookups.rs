//! Look-ups: statuses, priorities, queues (teams), ticket types, agents,
//! work types (charge types).

use psa_core::{Agent, CustomFieldDef, CustomFieldEntity, Error, LookupItem, LookupScope, Result};

use super::HALO;
use crate::caps::WORK_TYPES_UNCONFIGURED;
use crate::client::Client;
use crate::mapping;

/// Every status, each marked closed when Halo leaves it out of the open
/// ones. Every Halo status applies to every team, so the statuses "of a
/// queue" are all of them: a queue scope is ignored, as the trait says of
/// a scope the vendor does not have (`caps::STATUS_SCOPE_NOTE`).
pub(super) async fn statuses(c: &Client, scope: &LookupScope) -> Result<Vec<LookupItem>> {
    let (mut all, mut open) = (c.statuses().list(), c.statuses().list().exclude_closed());
    if let Some(t) = &scope.ticket_type {
        let t = t.require_int("halo ticket type id")?;
        all = all.ticket_type(t);
        open = open.ticket_type(t);
    }
    let (all, open) = futures::try_join!(all.send(), open.send())?;
    let open: Vec<i64> = open.records.iter().filter_map(|s| s.id).collect();
    all.records
        .iter()
        .map(|s| mapping::status(s, Some(&open)))
        .collect()
}

pub(super) async fn priorities(c: &Client) -> Result<Vec<LookupItem>> {
    mapping::priorities(&c.priorities().list().send().await?.records)
}

pub(super) async fn queues(c: &Client) -> Result<Vec<LookupItem>> {
    let teams = c.teams().list().send().await?.records;
    teams.iter().map(mapping::team).collect()
}

pub(super) async fn ticket_types(c: &Client) -> Result<Vec<LookupItem>> {
    let types = c.ticket_types().list().send().await?.records;
    types.iter().map(mapping::ticket_type).collect()
}

pub(super) async fn agents(c: &Client) -> Result<Vec<Agent>> {
    let agents = c.agents().list().send().await?.records;
    agents.iter().map(mapping::agent).collect()
}

/// The entries of the tenant's charge-type look-up table, once configured.
pub(super) async fn work_types(c: &Client) -> Result<Vec<LookupItem>> {
    let Some(id) = c.settings().work_type_lookup_id else {
        return Err(Error::unsupported(HALO, WORK_TYPES_UNCONFIGURED));
    };
    let entries = c.lookups().list(id).send().await?.records;
    entries.iter().map(mapping::lookup_entry).collect()
}

/// The custom fields (`custom` 1) Halo's field definitions (`/FieldInfo`)
/// give for the records of `entity` (`usage`), with their options
/// (`caps::CUSTOM_FIELDS_NOTE`).
pub(super) async fn custom_fields(
    c: &Client,
    entity: CustomFieldEntity,
) -> Result<Vec<CustomFieldDef>> {
    let Some(usage) = mapping::field_usage(entity) else {
        return Err(Error::unsupported(
            HALO,
            format!("halo has no custom fields of {entity} records"),
        ));
    };
    let fields = c.field_info().list().send().await?.records;
    fields
        .iter()
        .filter(|f| f.usage == Some(usage) && f.custom.is_none_or(|c| c != 0))
        .map(|f| mapping::custom_field_def(f, entity))
        .collect()
}
