//! Choices, groups and task tables ⇄ uniform look-up items.

use super::{choice_id, own_id, value};
use crate::ids::TaskTable;
use crate::models::{Field, SysChoice, SysUserGroup};
use psa_core::{Id, LookupItem, Result};
use serde_json::Value;

/// A `sys_choice` record → uniform [`LookupItem`]; `closed` from the
/// table's known closed states, `scope` the table.
pub fn choice_item(c: &SysChoice, table: &str, closed: Option<&[&str]>) -> Option<LookupItem> {
    let value = c.value.as_ref().and_then(Field::non_empty)?;
    let id = choice_id(value)?;
    let label = c
        .label
        .as_ref()
        .map_or_else(|| value.to_owned(), |f| f.value().to_owned());
    let mut item = LookupItem::new(id, label);
    item.active = c.inactive.as_ref().and_then(Field::as_bool).map(|i| !i);
    item.closed = closed.map(|s| s.contains(&value));
    item.scope = Id::text(table).ok();
    item.raw = serde_json::to_value(c).unwrap_or(Value::Null).into();
    Some(item)
}

/// A `sys_user_group` record → uniform queue [`LookupItem`].
pub fn queue_item(g: &SysUserGroup, raw: Value) -> Result<LookupItem> {
    let id = own_id("sys_user_group", g.sys_id.as_ref(), "group")?;
    let mut item = LookupItem::new(id, value(g.name.as_ref()));
    item.active = g.active.as_ref().and_then(Field::as_bool);
    item.raw = raw.into();
    Ok(item)
}

/// The task tables as uniform ticket types.
pub fn ticket_type_item(t: TaskTable) -> Result<LookupItem> {
    let mut item = LookupItem::new(Id::text(t.as_str())?, t.label());
    item.active = Some(true);
    Ok(item)
}
