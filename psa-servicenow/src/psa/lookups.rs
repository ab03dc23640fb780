//! Look-ups: statuses and priorities (`sys_choice`), queues
//! (`sys_user_group`), ticket types (the enabled task tables), agents
//! (`sys_user` with the agent role) and work types.

use psa_core::{Agent, LookupItem, LookupScope, Result};

use super::{decode, owned};
use crate::client::Client;
use crate::ids::TaskTable;
use crate::mapping;
use crate::models::{SysUser, SysUserGroup};
use crate::query::Query;

/// The items of the choice field `element` of `table` (`closed`: the values
/// that mean closed, when known).
async fn choices(
    c: &Client,
    table: &str,
    element: &str,
    closed: Option<&[&str]>,
) -> Result<Vec<LookupItem>> {
    let labels = c.choice_labels(table, &[element]).await?;
    Ok(labels
        .choices(table, element)
        .iter()
        .filter_map(|choice| mapping::choice_item(choice, table, closed))
        .collect())
}

pub(super) async fn list_statuses(c: &Client, scope: LookupScope) -> Result<Vec<LookupItem>> {
    let table = match &scope.ticket_type {
        Some(t) => t.to_string().parse::<TaskTable>()?,
        None => c.default_table(),
    };
    c.check_table(table)?;
    choices(c, table.as_str(), "state", table.closed_states()).await
}

pub(super) async fn list_priorities(c: &Client) -> Result<Vec<LookupItem>> {
    choices(c, c.default_table().as_str(), "priority", None).await
}

pub(super) async fn list_queues(c: &Client) -> Result<Vec<LookupItem>> {
    let q = Query::new()
        .eq("active", "true")
        .order_by("name")
        .order_by("sys_id");
    let fields = owned(&["sys_id", "name", "active"]);
    Client::collect(c.mapped("sys_user_group", q, fields, None, |raw| {
        let g: SysUserGroup = decode(&raw, "group")?;
        mapping::queue_item(&g, raw)
    }))
    .await
}

pub(super) fn list_ticket_types(c: &Client) -> Result<Vec<LookupItem>> {
    c.config()
        .tables
        .iter()
        .map(|t| mapping::ticket_type_item(*t))
        .collect()
}

pub(super) async fn list_agents(c: &Client) -> Result<Vec<Agent>> {
    let q = Query::new()
        .eq("active", "true")
        .eq("roles", c.config().agent_role.as_str())
        .order_by("name")
        .order_by("sys_id");
    Client::collect(
        c.mapped("sys_user", q, owned(mapping::USER_FIELDS), None, |raw| {
            let u: SysUser = decode(&raw, "user")?;
            mapping::agent(&u, raw)
        }),
    )
    .await
}

pub(super) async fn list_work_types(c: &Client) -> Result<Vec<LookupItem>> {
    choices(c, "task_time_worked", "category", None).await
}
