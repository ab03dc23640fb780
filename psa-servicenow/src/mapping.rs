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
//! | KB article / product / audit | `kb_knowledge` / `sc_cat_item` / `sys_audit` |
//!
//! Reads ask only for the fields the mapping uses (`sysparm_fields`, the
//! `*_FIELDS` constants) plus the client's configured custom fields, and take
//! the names of referenced records by dot-walking (`assignment_group.name`)
//! instead of asking for display values.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use psa_core::{
    Agent, Agreement, AuditEntry, Company, Configuration, ConfigurationPatch, Contact,
    ContactPatch, CustomFields, Error, Id, KbArticle, LookupItem, NewConfiguration, NewContact,
    NewNote, NewTicket, NewTimeEntry, Note, NoteVisibility, Product, Project, RawRecord, Ref,
    Result, Sla, Ticket, TicketPatch, TimeEntry, TimeEntryPatch, WorkSpan,
};
use serde_json::{Map, Value, json};

use crate::ids::{SysId, TaskTable, TicketId, record_id, sys_id_of, validate_table_name};
use crate::models::{
    AstContract, CmdbCi, ContractSla, CoreCompany, Field, JournalEntry, KbKnowledge, PmProject,
    Reference, ScCatItem, SysAudit, SysChoice, SysUser, SysUserGroup, TaskTimeWorked,
    format_glide_duration,
};
use crate::query::validate_field;

/// The fields a ticket read asks for (the table's contact and category
/// fields, and the configured custom fields, are added).
pub const TICKET_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "short_description",
    "description",
    "state",
    "priority",
    "impact",
    "urgency",
    "active",
    "assignment_group",
    "assignment_group.name",
    "assigned_to",
    "assigned_to.name",
    "company",
    "company.name",
    "opened_at",
    "closed_at",
    "due_date",
    "sla_due",
    "parent",
    "parent.sys_class_name",
    "sys_class_name",
    "sys_created_on",
    "sys_updated_on",
    "sys_updated_by",
];

/// The journal fields of a read of `sys_journal_field`.
pub const JOURNAL_FIELDS: &[&str] = &[
    "sys_id",
    "element",
    "element_id",
    "name",
    "value",
    "sys_created_on",
    "sys_created_by",
];

/// The fields of a `task_time_worked` read.
pub const TIME_FIELDS: &[&str] = &[
    "sys_id",
    "task",
    "task.sys_class_name",
    "user",
    "user.name",
    "time_worked",
    "comments",
    "category",
    "work_date",
    "sys_created_on",
];

/// The fields of a `core_company` read.
pub const COMPANY_FIELDS: &[&str] = &["sys_id", "name", "phone", "website", "stock_symbol"];

/// The fields of a `sys_user` read.
pub const USER_FIELDS: &[&str] = &[
    "sys_id",
    "user_name",
    "first_name",
    "last_name",
    "name",
    "email",
    "phone",
    "mobile_phone",
    "company",
    "company.name",
    "active",
];

/// The fields of a `cmdb_ci` read.
pub const CI_FIELDS: &[&str] = &[
    "sys_id",
    "name",
    "sys_class_name",
    "company",
    "company.name",
    "serial_number",
    "install_status",
];

/// The fields of an `ast_contract` read.
pub const CONTRACT_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "short_description",
    "vendor_contract",
    "customer",
    "customer.name",
    "contract_model",
    "starts",
    "ends",
    "state",
    "active",
];

/// The fields of a `pm_project` read.
pub const PROJECT_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "short_description",
    "state",
    "company",
    "company.name",
    "project_manager",
    "project_manager.name",
    "start_date",
    "end_date",
    "active",
];

/// The fields of a `kb_knowledge` read.
pub const KB_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "short_description",
    "text",
    "workflow_state",
    "sys_updated_on",
];

/// The fields of a `sys_audit` read.
pub const AUDIT_FIELDS: &[&str] = &[
    "sys_id",
    "tablename",
    "fieldname",
    "documentkey",
    "user",
    "oldvalue",
    "newvalue",
    "sys_created_on",
];

/// The `install_status` of a retired CI (the uniform `active: false`).
pub const CI_RETIRED: &str = "7";
/// The `install_status` of an installed CI (the uniform `active: true`).
pub const CI_INSTALLED: &str = "1";

/// What a resolution note does on a table: it always writes `close_notes`;
/// it may also move the record to a resolved state and set `close_code`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResolutionRule {
    /// The state to set (`6` Resolved for incidents), if any.
    pub state: Option<String>,
    /// The `close_code` to set (`Solution provided`), if any.
    pub close_code: Option<String>,
}

impl ResolutionRule {
    /// Writes `close_notes` only.
    pub fn notes_only() -> Self {
        ResolutionRule {
            state: None,
            close_code: None,
        }
    }

    /// Also sets the state.
    #[must_use]
    pub fn state(mut self, value: impl Into<String>) -> Self {
        self.state = Some(value.into());
        self
    }

    /// Also sets `close_code`.
    #[must_use]
    pub fn close_code(mut self, value: impl Into<String>) -> Self {
        self.close_code = Some(value.into());
        self
    }

    /// The baseline rule of a table: incidents go to `6` (Resolved) with the
    /// close code `Solution provided` (as in ServiceNow's own recorded close
    /// example); requests, requested items and catalog tasks to `3` (Closed
    /// Complete); changes and problems only get their close notes (their
    /// state models need their own transitions).
    pub fn baseline(table: TaskTable) -> Self {
        match table {
            TaskTable::Incident => ResolutionRule::notes_only()
                .state("6")
                .close_code("Solution provided"),
            TaskTable::ScRequest | TaskTable::ScReqItem | TaskTable::ScTask => {
                ResolutionRule::notes_only().state("3")
            }
            TaskTable::ChangeRequest | TaskTable::Problem => ResolutionRule::notes_only(),
        }
    }
}

/// Choice labels by (table, element), read from `sys_choice`. Each field's
/// list is shared (`Arc`) with the client's cache, so handing a read its
/// labels copies no choice.
#[derive(Debug, Clone, Default)]
pub struct ChoiceLabels {
    by_field: HashMap<(String, String), std::sync::Arc<Vec<SysChoice>>>,
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
        self.by_field
            .insert((table.to_owned(), element.to_owned()), choices);
    }

    /// Whether the field's choices are known.
    pub fn has(&self, table: &str, element: &str) -> bool {
        self.by_field
            .contains_key(&(table.to_owned(), element.to_owned()))
    }

    /// The choices of a field.
    pub fn choices(&self, table: &str, element: &str) -> &[SysChoice] {
        self.by_field
            .get(&(table.to_owned(), element.to_owned()))
            .map_or(&[], |c| c.as_slice())
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

fn text(f: Option<&Field>) -> Option<String> {
    f.and_then(Field::non_empty).map(str::to_owned)
}

fn time(f: Option<&Field>) -> Option<DateTime<Utc>> {
    f.and_then(Field::as_datetime)
}

/// A dot-walked field of a record (`assignment_group.name`), as text.
fn walked(extra: &Map<String, Value>, name: &str) -> Option<String> {
    extra
        .get(name)
        .and_then(|v| serde_json::from_value::<Field>(v.clone()).ok())
        .and_then(|f| f.non_empty().map(str::to_owned))
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
fn reference(r: Option<&Reference>, table: &str, name: Option<String>) -> Option<Ref> {
    let r = r?;
    let sys_id = r.sys_id().filter(|s| SysId::is_valid(s))?;
    let id = record_id(table, sys_id).ok()?;
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
            let value = match serde_json::from_value::<Field>(v.clone()) {
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

/// The task columns the uniform mapping reads, decoded from the record by
/// reference: the other columns are not copied, since the record itself
/// becomes `Ticket::raw`. (Decoding a whole [`Task`], its flattened `extra`
/// included, cost as much again as the request itself — psa-benches
/// `call_overhead`.)
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct TaskHead {
    sys_id: Option<Field>,
    number: Option<Field>,
    short_description: Option<Field>,
    description: Option<Field>,
    state: Option<Field>,
    priority: Option<Field>,
    active: Option<Field>,
    assignment_group: Option<Reference>,
    assigned_to: Option<Reference>,
    company: Option<Reference>,
    parent: Option<Reference>,
    opened_at: Option<Field>,
    closed_at: Option<Field>,
    due_date: Option<Field>,
    sla_due: Option<Field>,
    sys_created_on: Option<Field>,
    sys_updated_on: Option<Field>,
}

/// A column of a record, decoded as `T`; `None` when absent or of another
/// shape (a table-specific or dot-walked column).
fn column<T: serde::de::DeserializeOwned>(cols: &Map<String, Value>, name: &str) -> Option<T> {
    cols.get(name).and_then(|v| T::deserialize(v).ok())
}

/// A task-family record (its JSON, as the Table API returns it with or
/// without display values) → uniform [`Ticket`], keeping the record as
/// `raw`.
///
/// # Errors
/// `Decode` when the record is not an object, a column the mapping reads has
/// the wrong shape (the error names it), or the `sys_id` is missing.
pub fn ticket(table: TaskTable, raw: Value, labels: &ChoiceLabels) -> Result<Ticket> {
    let Some(cols) = raw.as_object() else {
        return Err(Error::new(
            psa_core::ErrorKind::Decode,
            format!("ServiceNow {} record is not a JSON object", table.as_str()),
        )
        .with_vendor(psa_core::Vendor::ServiceNow)
        .with_body(raw.to_string().as_bytes()));
    };
    let task: TaskHead = psa_core::error::decode_value(
        Some(psa_core::Vendor::ServiceNow),
        &format!("ServiceNow {} record", table.as_str()),
        &raw,
    )?;
    let mut out = ticket_head(table, &task, cols, labels)?;
    out.raw = raw.into();
    Ok(out)
}

/// [`ticket`] from the record's JSON text as the Table API sent it (what
/// `Psa::get_ticket` and `Psa::list_tickets` use): the mapped fields and the
/// columns the mapping looks up by name are decoded from the text, which is
/// kept as a [`RawRecord`] and parsed into a `Value` only when `raw` is read.
///
/// # Errors
/// As [`ticket`].
pub fn ticket_record(
    table: TaskTable,
    json: Box<serde_json::value::RawValue>,
    labels: &ChoiceLabels,
) -> Result<Ticket> {
    let what = format!("ServiceNow {} record", table.as_str());
    let cols: Columns = psa_core::error::decode_slice(
        Some(psa_core::Vendor::ServiceNow),
        &what,
        json.get().as_bytes(),
    )?;
    let (task, raw) =
        RawRecord::parse_raw_value::<TaskHead>(Some(psa_core::Vendor::ServiceNow), &what, json)?;
    let mut out = ticket_head(table, &task, &cols.0, labels)?;
    out.raw = raw;
    Ok(out)
}

/// The columns of a task record that the ticket mapping looks up by name
/// beside [`TaskHead`]: custom (`u_`/`x_`) and dot-walked columns, the
/// tables' contact and category fields, `parent_incident` and
/// `resolved_at`. The others are skipped unparsed.
struct Columns(Map<String, Value>);

/// Whether the ticket mapping looks `column` up by name (see [`Columns`]);
/// the contact and category fields come from [`TaskTable`] itself, so a
/// table added there is covered here.
fn looked_up(column: &str) -> bool {
    column.contains('.')
        || is_custom_field(column)
        || matches!(column, "parent_incident" | "resolved_at")
        || TaskTable::ALL
            .iter()
            .any(|t| t.contact_field() == Some(column) || t.category_field() == Some(column))
}

impl<'de> serde::Deserialize<'de> for Columns {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Columns;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a record (a JSON object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Columns, A::Error> {
                let mut out = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if looked_up(&key) {
                        let value = map.next_value::<Value>()?;
                        out.insert(key, value);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Columns(out))
            }
        }
        d.deserialize_map(V)
    }
}

fn ticket_head(
    table: TaskTable,
    task: &TaskHead,
    cols: &Map<String, Value>,
    labels: &ChoiceLabels,
) -> Result<Ticket> {
    let t = table.as_str();
    let id = TicketId::new(table, sys_id(task.sys_id.as_ref(), "ticket")?).to_id()?;
    let summary = task
        .short_description
        .as_ref()
        .map(|f| f.value().to_owned())
        .unwrap_or_default();
    let mut out = Ticket::new(id, summary);
    out.number = text(task.number.as_ref());
    out.description = text(task.description.as_ref());
    out.status = choice_ref(labels, t, "state", task.state.as_ref());
    out.priority = choice_ref(labels, t, "priority", task.priority.as_ref());
    out.queue = reference(
        task.assignment_group.as_ref(),
        "sys_user_group",
        walked(cols, "assignment_group.name"),
    );
    out.ticket_type = Some(Ref::named(Id::text(t)?, table.label()));
    out.subtype = table.category_field().and_then(|f| {
        let field: Option<Field> = column(cols, f);
        choice_ref(labels, t, f, field.as_ref())
    });
    out.company = reference(
        task.company.as_ref(),
        "core_company",
        walked(cols, "company.name"),
    );
    out.contact = table.contact_field().and_then(|f| {
        let r: Option<Reference> = column(cols, f);
        reference(r.as_ref(), "sys_user", walked(cols, &format!("{f}.name")))
    });
    out.owner = reference(
        task.assigned_to.as_ref(),
        "sys_user",
        walked(cols, "assigned_to.name"),
    );
    let state = task.state.as_ref().map(Field::value).unwrap_or_default();
    let active = task.active.as_ref().and_then(Field::as_bool);
    let resolved = table.resolved_states().contains(&state);
    out.closed = active.map(|a| !a || resolved);
    out.created_at = time(task.sys_created_on.as_ref()).or_else(|| time(task.opened_at.as_ref()));
    out.updated_at = time(task.sys_updated_on.as_ref());
    out.closed_at = time(task.closed_at.as_ref()).or_else(|| {
        resolved
            .then(|| column::<Field>(cols, "resolved_at"))
            .flatten()
            .and_then(|f| f.as_datetime())
    });
    out.due_at = time(task.due_date.as_ref()).or_else(|| time(task.sla_due.as_ref()));
    out.parent = parent_of(table, task.parent.as_ref(), cols);
    out.custom_fields = custom_fields(cols);
    Ok(out)
}

fn parent_of(
    table: TaskTable,
    parent: Option<&Reference>,
    cols: &Map<String, Value>,
) -> Option<Id> {
    if table == TaskTable::Incident {
        if let Some(id) = column::<Reference>(cols, "parent_incident")
            .and_then(|r| r.sys_id().and_then(|s| SysId::parse(s).ok()))
        {
            return TicketId::new(TaskTable::Incident, id).to_id().ok();
        }
    }
    let sys = parent?.sys_id().and_then(|s| SysId::parse(s).ok())?;
    let parent_table =
        walked(cols, "parent.sys_class_name").and_then(|t| TaskTable::from_name(&t))?;
    TicketId::new(parent_table, sys).to_id().ok()
}

/// Sets the fields a ticket's priority maps to. On incidents ServiceNow
/// computes `priority` from impact × urgency (the priority lookup rules, as
/// the recorded create shows: impact 3 and urgency 3 gave priority 5 whatever
/// priority was sent), so a uniform priority sets impact and urgency to the
/// baseline pair that yields it.
fn put_priority(body: &mut Map<String, Value>, table: TaskTable, priority: &Id) -> Result<()> {
    if table != TaskTable::Incident {
        body.insert(
            "priority".into(),
            json!(choice_value(priority, "priority")?),
        );
        return Ok(());
    }
    let (impact, urgency) = match priority.as_i64() {
        Some(1) => ("1", "1"),
        Some(2) => ("1", "2"),
        Some(3) => ("2", "2"),
        Some(4) => ("2", "3"),
        Some(5) => ("3", "3"),
        _ => {
            return Err(Error::invalid_input(format!(
                "incident priority must be 1 to 5 (it is computed from impact × urgency), got {priority}"
            )));
        }
    };
    body.insert("impact".into(), json!(impact));
    body.insert("urgency".into(), json!(urgency));
    Ok(())
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

/// The table a new ticket goes to: its ticket type, or the default table.
pub fn new_ticket_table(t: &NewTicket, default_table: TaskTable) -> Result<TaskTable> {
    match &t.ticket_type {
        Some(id) => id.to_string().parse(),
        None => Ok(default_table),
    }
}

/// A uniform new ticket → the request body of a POST to its table.
pub fn new_ticket_body(t: &NewTicket, table: TaskTable) -> Result<Map<String, Value>> {
    t.validate()?;
    check_custom(&t.custom_fields)?;
    let mut body = Map::new();
    body.insert("short_description".into(), json!(t.summary));
    if let Some(d) = &t.description {
        body.insert("description".into(), json!(d));
    }
    put_ref(
        &mut body,
        "company",
        &t.company,
        &["core_company"],
        "company id",
    )?;
    if let Some(c) = &t.contact {
        let field = table.contact_field().ok_or_else(|| {
            Error::invalid_input(format!("{table} records have no contact (caller) field"))
        })?;
        put_ref(&mut body, field, c, &["sys_user"], "contact id")?;
    }
    put_routing(
        &mut body,
        table,
        Routing {
            status: t.status.as_ref(),
            priority: t.priority.as_ref(),
            queue: t.queue.as_ref(),
            subtype: t.subtype.as_ref(),
            owner: t.owner.as_ref(),
        },
    )?;
    for (k, v) in t.custom_fields.iter() {
        body.insert(k.to_owned(), custom_value(v));
    }
    Ok(body)
}

/// The fields a new ticket and a patch both route a ticket with.
#[derive(Clone, Copy)]
struct Routing<'a> {
    status: Option<&'a Id>,
    priority: Option<&'a Id>,
    queue: Option<&'a Id>,
    subtype: Option<&'a Id>,
    owner: Option<&'a Id>,
}

/// Writes `r` into a request body: `state`, the priority columns, the
/// `assignment_group`, the table's category column and `assigned_to`.
fn put_routing(body: &mut Map<String, Value>, table: TaskTable, r: Routing<'_>) -> Result<()> {
    if let Some(s) = r.status {
        body.insert("state".into(), json!(choice_value(s, "status")?));
    }
    if let Some(p) = r.priority {
        put_priority(body, table, p)?;
    }
    if let Some(q) = r.queue {
        put_ref(body, "assignment_group", q, &["sys_user_group"], "queue id")?;
    }
    if let Some(s) = r.subtype {
        let field = table.category_field().ok_or_else(|| {
            Error::invalid_input(format!("{table} records have no category (subtype) field"))
        })?;
        body.insert(field.into(), json!(choice_value(s, "subtype")?));
    }
    if let Some(o) = r.owner {
        put_ref(body, "assigned_to", o, &["sys_user"], "owner id")?;
    }
    Ok(())
}

/// A uniform ticket patch → the request body of a PATCH.
pub fn ticket_patch_body(p: &TicketPatch, table: TaskTable) -> Result<Map<String, Value>> {
    p.validate()?;
    p.check_mapped(
        psa_core::Vendor::ServiceNow,
        &[
            "status",
            "priority",
            "queue",
            "ticket_type",
            "subtype",
            "owner",
            "summary",
            "custom_fields",
        ],
        &[],
    )?;
    check_custom(&p.custom_fields)?;
    let mut body = Map::new();
    if let Some(tt) = &p.ticket_type {
        if tt.to_string() != table.as_str() {
            return Err(Error::invalid_input(format!(
                "a ServiceNow ticket cannot move from {table} to {tt}: the ticket type is its table"
            )));
        }
    }
    put_routing(
        &mut body,
        table,
        Routing {
            status: p.status.as_ref(),
            priority: p.priority.as_ref(),
            queue: p.queue.as_ref(),
            subtype: p.subtype.as_set(),
            owner: p.owner.as_set(),
        },
    )?;
    if let Some(s) = &p.summary {
        body.insert("short_description".into(), json!(s));
    }
    for (k, v) in p.custom_fields.iter() {
        body.insert(k.to_owned(), custom_value(v));
    }
    Ok(body)
}

/// A uniform note → the PATCH body that writes it: `work_notes`, `comments`,
/// or `close_notes` with the table's [`ResolutionRule`].
pub fn note_body(n: &NewNote, rule: &ResolutionRule) -> Result<Map<String, Value>> {
    n.validate()?;
    let mut body = Map::new();
    match n.visibility {
        NoteVisibility::Internal => {
            body.insert("work_notes".into(), json!(n.body));
        }
        NoteVisibility::Customer => {
            body.insert("comments".into(), json!(n.body));
        }
        NoteVisibility::Resolution => {
            body.insert("close_notes".into(), json!(n.body));
            if let Some(s) = &rule.state {
                body.insert("state".into(), json!(s));
            }
            if let Some(c) = &rule.close_code {
                body.insert("close_code".into(), json!(c));
            }
        }
        _ => {
            return Err(Error::invalid_input(
                "this note visibility has no ServiceNow journal field",
            ));
        }
    }
    Ok(body)
}

/// The journal field a note visibility writes.
pub fn journal_element(v: NoteVisibility) -> Option<&'static str> {
    match v {
        NoteVisibility::Internal => Some("work_notes"),
        NoteVisibility::Customer => Some("comments"),
        _ => None,
    }
}

/// A journal entry → uniform [`Note`]. ServiceNow records the author's user
/// name (`sys_created_by`), not a reference: the note's `author` carries the
/// user name as both its id and its name.
pub fn note(ticket: &Id, e: &JournalEntry, raw: Value) -> Result<Note> {
    let id = record_id(
        "sys_journal_field",
        sys_id(e.sys_id.as_ref(), "journal entry")?.as_str(),
    )?;
    let visibility = match e.element.as_ref().map(Field::value) {
        Some("comments") => NoteVisibility::Customer,
        _ => NoteVisibility::Internal,
    };
    let body = e
        .value
        .as_ref()
        .map(|f| f.value().to_owned())
        .unwrap_or_default();
    let mut n = Note::new(id, ticket.clone(), body, visibility);
    n.author =
        text(e.sys_created_by.as_ref()).and_then(|u| Id::text(&u).ok().map(|id| Ref::named(id, u)));
    n.created_at = time(e.sys_created_on.as_ref());
    n.raw = raw.into();
    Ok(n)
}

/// A `task_time_worked` record → uniform [`TimeEntry`]. ServiceNow stores a
/// duration and when it was logged, not a start time: `start` and `end` stay
/// empty (the log time is in `raw.sys_created_on`).
pub fn time_entry(r: &TaskTimeWorked, raw: Value, labels: &ChoiceLabels) -> Result<TimeEntry> {
    let id = record_id(
        "task_time_worked",
        sys_id(r.sys_id.as_ref(), "time entry")?.as_str(),
    )?;
    let mut e = TimeEntry::new(id);
    e.ticket = r.task.as_ref().and_then(|t| {
        let sys = SysId::parse(t.sys_id()?).ok()?;
        let table = walked(&r.extra, "task.sys_class_name")
            .and_then(|n| TaskTable::from_name(&n))
            .or_else(|| t.table().and_then(TaskTable::from_name))?;
        TicketId::new(table, sys).to_id().ok()
    });
    e.agent = reference(r.user.as_ref(), "sys_user", walked(&r.extra, "user.name"));
    e.duration = r
        .time_worked
        .as_ref()
        .and_then(Field::as_duration)
        .or_else(|| {
            r.time_in_seconds
                .as_ref()
                .and_then(|f| f.value().parse::<u64>().ok())
                .map(Duration::from_secs)
        });
    e.work_type = choice_ref(labels, "task_time_worked", "category", r.category.as_ref());
    e.note = text(r.comments.as_ref());
    e.custom_fields = custom_fields(&r.extra);
    e.raw = raw.into();
    Ok(e)
}

fn duration_text(d: Duration) -> Result<String> {
    format_glide_duration(d).ok_or_else(|| Error::invalid_input("time entry duration is too long"))
}

/// A uniform new time entry → the body of a POST to `task_time_worked`.
/// `ticket_sys_id` is the ticket's `sys_id` (its table does not matter: the
/// `task` reference takes any task).
pub fn new_time_body(e: &NewTimeEntry, ticket_sys_id: &SysId) -> Result<Map<String, Value>> {
    e.validate()?;
    if e.billable.is_some() {
        return Err(Error::invalid_input(
            "ServiceNow's task_time_worked has no billable flag: leave `billable` unset (a custom column can be written with raw())",
        ));
    }
    let mut body = Map::new();
    body.insert("task".into(), json!(ticket_sys_id.as_str()));
    if let Some(a) = &e.agent {
        put_ref(&mut body, "user", a, &["sys_user"], "agent id")?;
    }
    let d = e.span.duration_from(e.start)?;
    body.insert("time_worked".into(), json!(duration_text(d)?));
    body.insert(
        "work_date".into(),
        json!(e.start.date_naive().format("%Y-%m-%d").to_string()),
    );
    if let Some(w) = &e.work_type {
        body.insert("category".into(), json!(choice_value(w, "work type")?));
    }
    if let Some(n) = &e.note {
        body.insert("comments".into(), json!(n));
    }
    Ok(body)
}

/// A uniform time-entry patch → a PATCH body. An end time needs the start:
/// ServiceNow keeps only a duration, so `end` is accepted only with `start`.
pub fn time_patch_body(p: &TimeEntryPatch) -> Result<Map<String, Value>> {
    p.validate()?;
    if p.billable.is_some() {
        return Err(Error::invalid_input(
            "ServiceNow's task_time_worked has no billable flag",
        ));
    }
    let mut body = Map::new();
    match (p.span, p.start) {
        (Some(WorkSpan::Duration(d)), _) => {
            body.insert("time_worked".into(), json!(duration_text(d)?));
        }
        (Some(span @ WorkSpan::Until(_)), Some(start)) => {
            body.insert(
                "time_worked".into(),
                json!(duration_text(span.duration_from(start)?)?),
            );
        }
        (Some(WorkSpan::Until(_)), None) => {
            return Err(Error::invalid_input(
                "ServiceNow stores a duration, not an end time: give the start with the end, or a duration",
            ));
        }
        (None, _) => {}
    }
    if let Some(s) = p.start {
        body.insert(
            "work_date".into(),
            json!(s.date_naive().format("%Y-%m-%d").to_string()),
        );
    }
    if let Some(w) = &p.work_type {
        body.insert("category".into(), json!(choice_value(w, "work type")?));
    }
    if let Some(n) = &p.note {
        body.insert("comments".into(), json!(n));
    }
    Ok(body)
}

/// A `core_company` record → uniform [`Company`]. The baseline company
/// table has no active flag: `active` is read only when the instance has an
/// `active` column.
pub fn company(c: &CoreCompany, raw: Value) -> Result<Company> {
    let id = record_id(
        "core_company",
        sys_id(c.sys_id.as_ref(), "company")?.as_str(),
    )?;
    let mut out = Company::new(
        id,
        c.name
            .as_ref()
            .map(|f| f.value().to_owned())
            .unwrap_or_default(),
    );
    out.identifier = text(c.stock_symbol.as_ref());
    out.phone = text(c.phone.as_ref());
    out.website = text(c.website.as_ref());
    out.active = c
        .extra
        .get("active")
        .and_then(|v| serde_json::from_value::<Field>(v.clone()).ok())
        .and_then(|f| f.as_bool());
    out.custom_fields = custom_fields(&c.extra);
    out.raw = raw.into();
    Ok(out)
}

/// A `sys_user` record → uniform [`Contact`].
pub fn contact(u: &SysUser, raw: Value) -> Result<Contact> {
    let id = record_id("sys_user", sys_id(u.sys_id.as_ref(), "user")?.as_str())?;
    let first = text(u.first_name.as_ref());
    let last = text(u.last_name.as_ref());
    let name = text(u.name.as_ref()).unwrap_or_else(|| {
        [first.as_deref(), last.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut out = Contact::new(id, name);
    out.first_name = first;
    out.last_name = last;
    out.email = text(u.email.as_ref());
    out.phone = text(u.phone.as_ref());
    out.mobile = text(u.mobile_phone.as_ref());
    out.company = reference(
        u.company.as_ref(),
        "core_company",
        walked(&u.extra, "company.name"),
    );
    out.active = u.active.as_ref().and_then(Field::as_bool);
    out.custom_fields = custom_fields(&u.extra);
    out.raw = raw.into();
    Ok(out)
}

/// A `sys_user` record → uniform [`Agent`].
pub fn agent(u: &SysUser, raw: Value) -> Result<Agent> {
    let c = contact(u, Value::Null)?;
    let mut a = Agent::new(c.id, c.name);
    a.identifier = text(u.user_name.as_ref());
    a.email = c.email;
    a.active = c.active;
    a.raw = raw.into();
    Ok(a)
}

/// A uniform new contact → the body of a POST to `sys_user`.
pub fn new_contact_body(c: &NewContact) -> Result<Map<String, Value>> {
    c.validate()?;
    let mut body = Map::new();
    put_ref(
        &mut body,
        "company",
        &c.company,
        &["core_company"],
        "company id",
    )?;
    body.insert("first_name".into(), json!(c.first_name));
    if let Some(v) = &c.last_name {
        body.insert("last_name".into(), json!(v));
    }
    if let Some(v) = &c.email {
        body.insert("email".into(), json!(v));
    }
    if let Some(v) = &c.phone {
        body.insert("phone".into(), json!(v));
    }
    Ok(body)
}

/// A uniform contact patch → a PATCH body.
pub fn contact_patch_body(p: &ContactPatch) -> Result<Map<String, Value>> {
    p.validate()?;
    let mut body = Map::new();
    for (k, v) in [
        ("first_name", &p.first_name),
        ("last_name", &p.last_name),
        ("email", &p.email),
        ("phone", &p.phone),
    ] {
        if let Some(v) = v {
            body.insert(k.into(), json!(v));
        }
    }
    Ok(body)
}

/// A `cmdb_ci` record → uniform [`Configuration`]. The type is the CI class
/// (`cmdb_ci_computer`); `active` is `install_status` other than 7 (Retired).
pub fn configuration(ci: &CmdbCi, raw: Value) -> Result<Configuration> {
    let id = record_id(
        "cmdb_ci",
        sys_id(ci.sys_id.as_ref(), "configuration item")?.as_str(),
    )?;
    let mut out = Configuration::new(
        id,
        ci.name
            .as_ref()
            .map(|f| f.value().to_owned())
            .unwrap_or_default(),
    );
    out.configuration_type = ci
        .sys_class_name
        .as_ref()
        .and_then(Field::non_empty)
        .and_then(|c| Id::text(c).ok())
        .map(Ref::new);
    out.company = reference(
        ci.company.as_ref(),
        "core_company",
        walked(&ci.extra, "company.name"),
    );
    out.serial_number = text(ci.serial_number.as_ref());
    out.active = ci
        .install_status
        .as_ref()
        .and_then(Field::non_empty)
        .map(|s| s != CI_RETIRED);
    out.custom_fields = custom_fields(&ci.extra);
    out.raw = raw.into();
    Ok(out)
}

/// The CI class a new configuration is created in: its type, `cmdb_ci`
/// otherwise. A type must be a `cmdb_ci…` table.
pub fn ci_class(t: Option<&Id>) -> Result<String> {
    let Some(t) = t else {
        return Ok("cmdb_ci".to_owned());
    };
    let class = t.to_string();
    validate_table_name(&class)?;
    if class != "cmdb_ci" && !class.starts_with("cmdb_ci_") {
        return Err(Error::invalid_input(format!(
            "configuration type {class:?} is not a CI class (cmdb_ci or cmdb_ci_…)"
        )));
    }
    Ok(class)
}

/// A uniform new configuration → the body of a POST to its class table.
pub fn new_configuration_body(c: &NewConfiguration) -> Result<Map<String, Value>> {
    c.validate()?;
    check_custom(&c.custom_fields)?;
    let mut body = Map::new();
    body.insert("name".into(), json!(c.name));
    put_ref(
        &mut body,
        "company",
        &c.company,
        &["core_company"],
        "company id",
    )?;
    if let Some(s) = &c.serial_number {
        body.insert("serial_number".into(), json!(s));
    }
    for (k, v) in c.custom_fields.iter() {
        body.insert(k.to_owned(), custom_value(v));
    }
    Ok(body)
}

/// A uniform configuration patch → a PATCH body. The class cannot change
/// through the Table API (reclassification is a CMDB operation).
pub fn configuration_patch_body(
    p: &ConfigurationPatch,
    current_class: &str,
) -> Result<Map<String, Value>> {
    p.validate()?;
    check_custom(&p.custom_fields)?;
    if let Some(t) = &p.configuration_type {
        if t.to_string() != current_class {
            return Err(Error::invalid_input(format!(
                "a CI's class cannot change through the Table API ({current_class} → {t})"
            )));
        }
    }
    let mut body = Map::new();
    if let Some(n) = &p.name {
        body.insert("name".into(), json!(n));
    }
    if let Some(s) = &p.serial_number {
        body.insert("serial_number".into(), json!(s));
    }
    if let Some(a) = p.active {
        body.insert(
            "install_status".into(),
            json!(if a { CI_INSTALLED } else { CI_RETIRED }),
        );
    }
    for (k, v) in p.custom_fields.iter() {
        body.insert(k.to_owned(), custom_value(v));
    }
    Ok(body)
}

/// An `ast_contract` record → uniform [`Agreement`].
pub fn agreement(c: &AstContract, raw: Value) -> Result<Agreement> {
    let id = record_id(
        "ast_contract",
        sys_id(c.sys_id.as_ref(), "contract")?.as_str(),
    )?;
    let name = text(c.short_description.as_ref())
        .or_else(|| text(c.vendor_contract.as_ref()))
        .or_else(|| text(c.number.as_ref()))
        .unwrap_or_default();
    let mut out = Agreement::new(id, name);
    out.company = reference(
        c.customer.as_ref(),
        "core_company",
        walked(&c.extra, "customer.name"),
    );
    out.agreement_type = c.contract_model.as_ref().and_then(|m| {
        reference(Some(m), "cmdb_model", None)
            .or_else(|| m.sys_id().and_then(|v| Id::text(v).ok()).map(Ref::new))
    });
    out.start = time(c.starts.as_ref());
    out.end = time(c.ends.as_ref());
    out.active = c
        .active
        .as_ref()
        .and_then(Field::as_bool)
        .or_else(|| c.state.as_ref().map(|s| s.value() == "active"));
    out.custom_fields = custom_fields(&c.extra);
    out.raw = raw.into();
    Ok(out)
}

/// A `contract_sla` record → uniform [`Sla`].
pub fn sla(s: &ContractSla, raw: Value) -> Result<Sla> {
    let id = record_id(
        "contract_sla",
        sys_id(s.sys_id.as_ref(), "SLA definition")?.as_str(),
    )?;
    let mut out = Sla::new(
        id,
        s.name
            .as_ref()
            .map(|f| f.value().to_owned())
            .unwrap_or_default(),
    );
    out.raw = raw.into();
    Ok(out)
}

/// A `pm_project` record → uniform [`Project`].
pub fn project(p: &PmProject, raw: Value, labels: &ChoiceLabels) -> Result<Project> {
    let id = record_id("pm_project", sys_id(p.sys_id.as_ref(), "project")?.as_str())?;
    let mut out = Project::new(
        id,
        p.short_description
            .as_ref()
            .map(|f| f.value().to_owned())
            .unwrap_or_default(),
    );
    out.company = reference(
        p.company.as_ref(),
        "core_company",
        walked(&p.extra, "company.name"),
    );
    out.status = choice_ref(labels, "pm_project", "state", p.state.as_ref());
    out.manager = reference(
        p.project_manager.as_ref(),
        "sys_user",
        walked(&p.extra, "project_manager.name"),
    );
    out.start = time(p.start_date.as_ref());
    out.end = time(p.end_date.as_ref());
    out.closed = p.active.as_ref().and_then(Field::as_bool).map(|a| !a);
    out.raw = raw.into();
    Ok(out)
}

/// A `kb_knowledge` record → uniform [`KbArticle`] (the body is HTML).
pub fn kb_article(k: &KbKnowledge, raw: Value) -> Result<KbArticle> {
    let id = record_id(
        "kb_knowledge",
        sys_id(k.sys_id.as_ref(), "knowledge article")?.as_str(),
    )?;
    let mut out = KbArticle::new(
        id,
        k.short_description
            .as_ref()
            .map(|f| f.value().to_owned())
            .unwrap_or_default(),
    );
    out.body = text(k.text.as_ref());
    out.updated_at = time(k.sys_updated_on.as_ref());
    out.raw = raw.into();
    Ok(out)
}

/// A `sys_audit` record of `ticket` → uniform [`AuditEntry`].
pub fn audit_entry(ticket: &Id, a: &SysAudit, raw: Value) -> Result<AuditEntry> {
    let mut out = AuditEntry::new(ticket.clone());
    out.id = Some(record_id(
        "sys_audit",
        sys_id(a.sys_id.as_ref(), "audit entry")?.as_str(),
    )?);
    out.at = time(a.sys_created_on.as_ref());
    out.actor = text(a.user.as_ref());
    out.field = text(a.fieldname.as_ref());
    out.old_value = text(a.oldvalue.as_ref());
    out.new_value = text(a.newvalue.as_ref());
    out.raw = raw.into();
    Ok(out)
}

/// A `sc_cat_item` record → uniform [`Product`].
pub fn product(c: &ScCatItem, raw: Value) -> Result<Product> {
    let id = record_id(
        "sc_cat_item",
        sys_id(c.sys_id.as_ref(), "catalog item")?.as_str(),
    )?;
    let mut out = Product::new(
        id,
        c.name
            .as_ref()
            .map(|f| f.value().to_owned())
            .unwrap_or_default(),
    );
    out.description = text(c.short_description.as_ref());
    out.price = c.price.as_ref().and_then(Field::as_f64);
    out.active = c.active.as_ref().and_then(Field::as_bool);
    out.raw = raw.into();
    Ok(out)
}

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
    let id = record_id(
        "sys_user_group",
        sys_id(g.sys_id.as_ref(), "group")?.as_str(),
    )?;
    let mut item = LookupItem::new(
        id,
        g.name
            .as_ref()
            .map(|f| f.value().to_owned())
            .unwrap_or_default(),
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Incident;

    fn labels() -> ChoiceLabels {
        let mut l = ChoiceLabels::new();
        let c = |v: &str, label: &str| -> SysChoice {
            serde_json::from_value(json!({"value": v, "label": label, "inactive": "false"}))
                .unwrap()
        };
        l.insert("incident", "state", vec![c("1", "New"), c("6", "Resolved")]);
        l.insert("incident", "priority", vec![c("5", "5 - Planning")]);
        l.insert("incident", "category", vec![c("inquiry", "Inquiry / Help")]);
        l
    }

    #[test]
    fn a_malformed_column_is_named_and_a_non_object_refused() {
        let bad = json!({"sys_id": "cdbf29dd978f31101196f6fce053afef", "state": [1, 2]});
        let err = ticket(TaskTable::Incident, bad, &labels()).unwrap_err();
        assert!(err.is_decode(), "{err}");
        assert!(err.to_string().contains("state"), "{err}");
        let err = ticket(TaskTable::Incident, json!([1]), &labels()).unwrap_err();
        assert!(err.is_decode(), "{err}");
    }

    #[test]
    fn ticket_record_maps_like_ticket_and_keeps_the_text() {
        let recorded: Value =
            serde_json::from_str(include_str!("../tests/fixtures/incident_create_201.json"))
                .unwrap();
        let display: Value =
            serde_json::from_str(include_str!("../tests/fixtures/incident_display_all.json"))
                .unwrap();
        let mut record = recorded["response"]["body"]["result"].clone();
        record["u_custom"] = json!("kept");
        record["assignment_group.name"] = json!("Service Desk");
        for record in [record, display["result"].clone()] {
            let text = serde_json::to_string(&record).unwrap();
            let raw = serde_json::value::RawValue::from_string(text.clone()).unwrap();
            let from_text = ticket_record(TaskTable::Incident, raw, &labels()).unwrap();
            assert_eq!(from_text.raw.json_text(), Some(text.as_str()));
            assert_eq!(
                from_text,
                ticket(TaskTable::Incident, record, &labels()).unwrap()
            );
        }
        let raw = serde_json::value::RawValue::from_string("[1]".into()).unwrap();
        assert!(
            ticket_record(TaskTable::Incident, raw, &labels())
                .unwrap_err()
                .is_decode()
        );
    }

    #[test]
    fn the_recorded_incident_maps() {
        let raw = include_str!("../tests/fixtures/incident_create_201.json");
        let sample: Value = serde_json::from_str(raw).unwrap();
        let record = sample["response"]["body"]["result"].clone();
        let t = ticket(TaskTable::Incident, record.clone(), &labels()).unwrap();
        assert_eq!(
            t.id.to_string(),
            "incident:cdbf29dd978f31101196f6fce053afef"
        );
        assert_eq!(t.number.as_deref(), Some("INC0010001"));
        assert_eq!(t.summary, "network is down");
        assert_eq!(t.status, Some(Ref::named(Id::from(1), "New")));
        assert_eq!(t.priority, Some(Ref::named(Id::from(5), "5 - Planning")));
        assert_eq!(
            t.queue.as_ref().unwrap().id.to_string(),
            "sys_user_group:287ebd7da9fe198100f92cc8d1d2154e"
        );
        assert_eq!(
            t.subtype,
            Some(Ref::named(Id::text("inquiry").unwrap(), "Inquiry / Help"))
        );
        assert_eq!(t.contact, None, "caller_id is empty");
        assert_eq!(t.closed, Some(false));
        assert_eq!(
            t.created_at.unwrap().to_rfc3339(),
            "2023-12-10T16:45:21+00:00"
        );
        assert_eq!(t.raw, record);
        let typed: Incident = serde_json::from_value(record).unwrap();
        assert_eq!(
            typed.task.number.as_ref().map(Field::value),
            t.number.as_deref()
        );
    }

    #[test]
    fn bodies_validate_ids_and_custom_fields() {
        let company = Id::text("core_company:81fca4cbac1d55eb4cb89f136b4e7cd4").unwrap();
        let t = NewTicket::new("Printer offline", company.clone())
            .priority(Id::from(2))
            .queue(Id::text("287ebd7da9fe198100f92cc8d1d2154e").unwrap())
            .custom_field("u_contract_ref", "ACME-1");
        let body = new_ticket_body(&t, TaskTable::Incident).unwrap();
        assert_eq!(body["impact"], "1");
        assert_eq!(body["urgency"], "2");
        assert!(!body.contains_key("priority"));
        assert_eq!(body["assignment_group"], "287ebd7da9fe198100f92cc8d1d2154e");
        let ritm = new_ticket_body(&t, TaskTable::ScReqItem).unwrap();
        assert_eq!(ritm["priority"], "2");

        let bad = NewTicket::new("x", company.clone()).custom_field("active", "false");
        assert!(
            new_ticket_body(&bad, TaskTable::Incident)
                .unwrap_err()
                .is_invalid_input()
        );
        let bad = NewTicket::new(
            "x",
            Id::text("sys_user:81fca4cbac1d55eb4cb89f136b4e7cd4").unwrap(),
        );
        assert!(
            new_ticket_body(&bad, TaskTable::Incident)
                .unwrap_err()
                .is_invalid_input()
        );
        let bad = NewTicket::new("x", company.clone()).contact(Id::from(7));
        assert!(
            new_ticket_body(&bad, TaskTable::Incident)
                .unwrap_err()
                .is_invalid_input()
        );
        let bad = NewTicket::new("x", company).priority(Id::from(9));
        assert!(
            new_ticket_body(&bad, TaskTable::Incident)
                .unwrap_err()
                .is_invalid_input()
        );
    }

    #[test]
    fn notes_and_resolutions() {
        let rule = ResolutionRule::baseline(TaskTable::Incident);
        let b = note_body(&NewNote::resolution("Replaced the cable"), &rule).unwrap();
        assert_eq!(b["close_notes"], "Replaced the cable");
        assert_eq!(b["state"], "6");
        assert_eq!(b["close_code"], "Solution provided");
        let b = note_body(&NewNote::internal("x"), &rule).unwrap();
        assert_eq!(Value::Object(b), json!({"work_notes": "x"}));
        let b = note_body(&NewNote::customer("y"), &rule).unwrap();
        assert_eq!(Value::Object(b), json!({"comments": "y"}));
    }

    #[test]
    fn time_bodies() {
        let start = DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z")
            .unwrap()
            .to_utc();
        let e = NewTimeEntry::new(Id::from(1), start, Duration::from_secs(90 * 60)).note("Fixed");
        let sys = SysId::parse("9d385017c611228701d22104cc95c371").unwrap();
        let b = new_time_body(&e, &sys).unwrap();
        assert_eq!(b["time_worked"], "1970-01-01 01:30:00");
        assert_eq!(b["work_date"], "2026-11-20");
        assert!(
            new_time_body(&e.clone().billable(true), &sys)
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(
            time_patch_body(&TimeEntryPatch::new().end(start))
                .unwrap_err()
                .is_invalid_input()
        );
    }
}
