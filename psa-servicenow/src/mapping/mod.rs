//! Typed ServiceNow records ⇄ the uniform `psa_core` models.
//!
//! | uniform | ServiceNow |
//! |---|---|
//! | ticket | a task-family record; id `<table>:<sys_id>` |
//! | status / priority | `state` / `priority` choice values; names from `sys_choice` |
//! | queue | `assignment_group` (`sys_user_group`) |
//! | ticket type | the table (`incident`, `sc_req_item` …) |
//! | subtype | `category`, where the table has one |
//! | contact | `caller_id` / `requested_for` / `requested_by` |
//! | owner | `assigned_to` |
//! | internal / customer note | `work_notes` / `comments` journal entries |
//! | resolution note | `close_notes` (+ the table's resolved state and `close_code`) |
//! | time entry | `task_time_worked` |
//! | company / contact / agent | `core_company` / `sys_user` / `sys_user` with a role |
//! | configuration | `cmdb_ci` (class = type) |
//! | agreement / SLA / project | `ast_contract` / `contract_sla` / `pm_project` |
//! | a ticket's SLA timers | its `task_sla` records (see [`sla_timers`]) |
//! | KB article / product / audit | `kb_knowledge` / `sc_cat_item` / `sys_audit` |
//!
//! Reads ask only for the fields the mapping uses (`sysparm_fields`, the
//! `*_FIELDS` constants) plus the client's configured custom fields, and take
//! the names of referenced records by dot-walking (`assignment_group.name`)
//! instead of asking for display values.
//!
//! One file per section of the uniform trait (tickets, notes, time, parties,
//! assets, catalog, look-ups); this file holds what they share: choice
//! labels, field readers, custom fields and reference writers.

use crate::ids::{SysId, known_record_id, record_id, sys_id_of};
use crate::models::{Field, Reference, SysChoice};
use crate::query::validate_field;
use chrono::{DateTime, Utc};
use psa_core::{CustomFields, Error, Id, Ref, Result};
use serde::Deserialize as _;
use serde_json::{Map, Value, json};

mod assets;
mod catalog;
mod lookups;
mod notes;
mod parties;
mod sla;
mod tickets;
mod time;

pub use assets::{
    CI_FIELDS, CI_INSTALLED, CI_RETIRED, ci_class, configuration, configuration_patch_body,
    new_configuration_body,
};
pub use catalog::{
    CONTRACT_FIELDS, KB_FIELDS, PROJECT_FIELDS, agreement, kb_article, product, project, sla,
};
pub use lookups::{choice_item, queue_item, ticket_type_item};
pub use notes::{JOURNAL_FIELDS, ResolutionRule, journal_element, note, note_body};
pub use parties::{
    COMPANY_FIELDS, USER_FIELDS, agent, company, contact, contact_patch_body, new_contact_body,
};
pub use sla::{SlaRow, TASK_SLA_FIELDS, sla_timers, sla_timers_of};
pub use tickets::{
    AUDIT_FIELDS, TICKET_FIELDS, audit_entry, new_ticket_body, new_ticket_table,
    states_needing_resolution, ticket, ticket_of_answer, ticket_patch_body, ticket_record,
};
pub use time::{TIME_FIELDS, new_time_body, time_entry, time_patch_body};

/// Choice labels by (table, element), read from `sys_choice`. Each field's
/// list is shared (`Arc`) with the client's cache, so handing a read its
/// labels copies no choice.
#[derive(Debug, Clone, Default)]
pub struct ChoiceLabels {
    /// `(table, element, choices)`: a read holds the labels of a handful
    /// of fields, found by comparing names (no key is built to look one up).
    by_field: Vec<(String, String, std::sync::Arc<Vec<SysChoice>>)>,
}

impl ChoiceLabels {
    /// No labels.
    pub fn new() -> Self {
        ChoiceLabels::default()
    }

    /// Stores the choices of one field.
    pub fn insert(&mut self, table: &str, element: &str, choices: Vec<SysChoice>) {
        self.insert_shared(table, element, std::sync::Arc::new(choices));
    }

    pub(crate) fn insert_shared(
        &mut self,
        table: &str,
        element: &str,
        choices: std::sync::Arc<Vec<SysChoice>>,
    ) {
        match self.position(table, element) {
            Some(i) => self.by_field[i].2 = choices,
            None => self
                .by_field
                .push((table.to_owned(), element.to_owned(), choices)),
        }
    }

    fn position(&self, table: &str, element: &str) -> Option<usize> {
        self.by_field
            .iter()
            .position(|(t, e, _)| t == table && e == element)
    }

    /// Whether the field's choices are known.
    pub fn has(&self, table: &str, element: &str) -> bool {
        self.position(table, element).is_some()
    }

    /// The choices of a field.
    pub fn choices(&self, table: &str, element: &str) -> &[SysChoice] {
        self.position(table, element)
            .map_or(&[], |i| self.by_field[i].2.as_slice())
    }

    /// The label of a value.
    pub fn label(&self, table: &str, element: &str, value: &str) -> Option<String> {
        self.choices(table, element)
            .iter()
            .find(|c| c.value.as_ref().map(Field::value) == Some(value))
            .and_then(|c| c.label.as_ref().and_then(Field::non_empty))
            .map(str::to_owned)
    }
}

/// The uniform id of a record read from `table`, `<table>:<sys_id>`; a
/// missing or malformed `sys_id` is a `Decode` error naming `what`.
fn own_id(table: &str, f: Option<&Field>, what: &str) -> Result<Id> {
    record_id(table, sys_id(f, what)?.as_str())
}

/// A field's value as sent, `""` when absent (a name, a summary).
fn value(f: Option<&Field>) -> String {
    f.map(|f| f.value().to_owned()).unwrap_or_default()
}

fn text(f: Option<&Field>) -> Option<String> {
    f.and_then(Field::non_empty).map(str::to_owned)
}

fn time(f: Option<&Field>) -> Option<DateTime<Utc>> {
    f.and_then(Field::as_datetime)
}

/// A dot-walked field of a record (`assignment_group.name`), as text.
fn walked(extra: &Map<String, Value>, name: &str) -> Option<String> {
    column::<Field>(extra, name).and_then(|f| f.non_empty().map(str::to_owned))
}

/// A column of a record, decoded as `T` (a [`Field`], a [`Reference`]) from
/// the record's `Value` without copying it; `None` when absent or of
/// another shape.
fn column<T: serde::de::DeserializeOwned>(cols: &Map<String, Value>, name: &str) -> Option<T> {
    cols.get(name).and_then(|v| T::deserialize(v).ok())
}

/// A choice value as a uniform id (`"2"` → `2`, `"inquiry"` → `inquiry`).
pub fn choice_id(value: &str) -> Option<Id> {
    Id::text(value).ok()
}

fn choice_ref(
    labels: &ChoiceLabels,
    table: &str,
    element: &str,
    value: Option<&Field>,
) -> Option<Ref> {
    let v = value.and_then(Field::non_empty)?;
    let id = choice_id(v)?;
    Some(Ref::with_opt_name(id, labels.label(table, element, v)))
}

/// A reference as a uniform [`Ref`] to a record of `table`, named by the
/// dot-walked `name_field` or the reference's display value.
fn reference(r: Option<&Reference>, table: &'static str, name: Option<String>) -> Option<Ref> {
    let r = r?;
    let sys_id = r.sys_id().filter(|s| SysId::is_valid(s))?;
    let id = known_record_id(table, sys_id).ok()?;
    Some(Ref::with_opt_name(
        id,
        name.or_else(|| r.display_value().map(str::to_owned)),
    ))
}

/// The custom fields of a record: its `u_*` (and scoped `x_*`) columns.
pub fn custom_fields(extra: &Map<String, Value>) -> CustomFields {
    extra
        .iter()
        .filter(|(k, _)| is_custom_field(k))
        .map(|(k, v)| {
            let value = match Field::deserialize(v) {
                Ok(f) => Value::String(f.value().to_owned()),
                Err(_) => v.clone(),
            };
            (k.clone(), value)
        })
        .collect()
}

/// Whether a field name is a custom column: `u_…` (global) or `x_…`
/// (scoped application), with no dot-walk.
pub fn is_custom_field(name: &str) -> bool {
    (name.starts_with("u_") || name.starts_with("x_"))
        && !name.contains('.')
        && validate_field(name).is_ok()
}

fn check_custom(cf: &CustomFields) -> Result<()> {
    for name in cf.names() {
        if !is_custom_field(name) {
            return Err(Error::invalid_input(format!(
                "custom field {name:?} is not a ServiceNow custom column (`u_…` or `x_…`); other columns are written through their uniform field"
            )));
        }
    }
    Ok(())
}

fn custom_value(v: &Value) -> Value {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => v.clone(),
        Value::Null => Value::String(String::new()),
        other => Value::String(other.to_string()),
    }
}

/// A record's `sys_id`, required.
fn sys_id(f: Option<&Field>, what: &str) -> Result<SysId> {
    let v = f.map(Field::value).unwrap_or_default();
    SysId::parse(v).map_err(|e| {
        Error::new(
            psa_core::ErrorKind::Decode,
            format!("{what} has no valid sys_id: {}", e.message()),
        )
        .with_vendor(psa_core::Vendor::ServiceNow)
    })
}

/// A choice value from a uniform id (a status, priority or category id).
pub fn choice_value(id: &Id, what: &str) -> Result<String> {
    let v = id.to_string();
    if v.len() > 100 {
        return Err(Error::invalid_input(format!("{what} value is too long")));
    }
    Ok(v)
}

fn put_ref(
    body: &mut Map<String, Value>,
    field: &str,
    id: &Id,
    tables: &[&str],
    what: &str,
) -> Result<()> {
    let sys = sys_id_of(id, tables, what)?;
    body.insert(field.to_owned(), json!(sys.as_str()));
    Ok(())
}
