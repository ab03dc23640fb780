//! Task-family records ⇄ uniform tickets, and their audit trail.

use super::{
    ChoiceLabels, check_custom, choice_ref, choice_value, custom_fields, custom_value,
    is_custom_field, own_id, put_ref, reference, sys_id, text, time, value,
};
use crate::ids::{SysId, TaskTable, TicketId};
use crate::models::{Field, Reference, SysAudit};
use psa_core::{AuditEntry, Error, Id, NewTicket, RawRecord, Ref, Result, Ticket, TicketPatch};
use serde_json::{Map, Value, json};

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

/// The name a [`TaskHead`] column has in the record: its own, or the one
/// given (`company_name = "company.name"`).
macro_rules! head_column_name {
    ($name:ident) => {
        stringify!($name)
    };
    ($name:ident = $wire:literal) => {
        $wire
    };
}

/// Declares [`TaskHead`] — the columns the uniform mapping reads, typed —
/// and the lookup from a column name to one of its fields, from one list of
/// names: plain fields, then references.
macro_rules! task_head {
    (
        fields { $($f:ident $(= $fw:literal)?),+ $(,)? }
        references { $($r:ident $(= $rw:literal)?),+ $(,)? }
    ) => {
        /// The task columns the uniform mapping reads — its own, the
        /// dot-walked names and the tables' contact and category fields —
        /// decoded from the record by reference: the other columns are not
        /// copied, since the record itself becomes `Ticket::raw`. (Decoding
        /// a whole [`Task`](crate::models::Task), its flattened `extra`
        /// included, cost as much again as the request itself —
        /// psa-benches `call_overhead`.)
        #[derive(Default)]
        struct TaskHead {
            $($f: Option<Field>,)+
            $($r: Option<Reference>,)+
        }

        /// A column of [`TaskHead`].
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum HeadColumn {
            $($f,)+
            $($r,)+
        }

        impl HeadColumn {
            fn of(name: &str) -> Option<HeadColumn> {
                match name {
                    $(head_column_name!($f $(= $fw)?) => Some(HeadColumn::$f),)+
                    $(head_column_name!($r $(= $rw)?) => Some(HeadColumn::$r),)+
                    _ => None,
                }
            }
        }

        impl TaskHead {
            /// Decodes the value of `column` from `map` (the next value).
            fn read<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                column: HeadColumn,
                map: &mut A,
            ) -> std::result::Result<(), A::Error> {
                match column {
                    $(HeadColumn::$f => {
                        if self.$f.is_some() {
                            return Err(serde::de::Error::duplicate_field(
                                head_column_name!($f $(= $fw)?),
                            ));
                        }
                        self.$f = map.next_value()?;
                    })+
                    $(HeadColumn::$r => {
                        if self.$r.is_some() {
                            return Err(serde::de::Error::duplicate_field(
                                head_column_name!($r $(= $rw)?),
                            ));
                        }
                        self.$r = map.next_value()?;
                    })+
                }
                Ok(())
            }

            /// The plain field named `name` in the record, when it is one
            /// of the head's (for the columns a table names: its category).
            fn field(&self, name: &str) -> Option<&Field> {
                match HeadColumn::of(name)? {
                    $(HeadColumn::$f => self.$f.as_ref(),)+
                    _ => None,
                }
            }

            /// The reference named `name` in the record, when it is one of
            /// the head's (for the columns a table names: its contact).
            fn reference(&self, name: &str) -> Option<&Reference> {
                match HeadColumn::of(name)? {
                    $(HeadColumn::$r => self.$r.as_ref(),)+
                    _ => None,
                }
            }
        }
    };
}

task_head! {
    fields {
        sys_id,
        number,
        short_description,
        description,
        state,
        priority,
        active,
        opened_at,
        closed_at,
        resolved_at,
        due_date,
        sla_due,
        sys_created_on,
        sys_updated_on,
        category,
        assignment_group_name = "assignment_group.name",
        assigned_to_name = "assigned_to.name",
        company_name = "company.name",
        parent_class = "parent.sys_class_name",
        caller_id_name = "caller_id.name",
        requested_for_name = "requested_for.name",
        requested_by_name = "requested_by.name",
    }
    references {
        assignment_group,
        assigned_to,
        company,
        parent,
        parent_incident,
        caller_id,
        requested_for,
        requested_by,
    }
}

/// A task-family record (its JSON, as the Table API returns it with or
/// without display values) → uniform [`Ticket`], keeping the record as
/// `raw`.
///
/// # Errors
/// `Decode` when the record is not an object, a column the mapping reads has
/// the wrong shape (the error names it), or the `sys_id` is missing.
pub fn ticket(table: TaskTable, raw: Value, labels: &ChoiceLabels) -> Result<Ticket> {
    if !raw.is_object() {
        return Err(Error::new(
            psa_core::ErrorKind::Decode,
            format!("ServiceNow {} record is not a JSON object", table.as_str()),
        )
        .with_vendor(psa_core::Vendor::ServiceNow)
        .with_body(raw.to_string().as_bytes()));
    }
    let record: TaskRecord = psa_core::error::decode_value(
        Some(psa_core::Vendor::ServiceNow),
        &record_what(table),
        &raw,
    )?;
    let mut out = ticket_head(table, &record.head, &record.columns, labels)?;
    out.raw = raw.into();
    Ok(out)
}

/// [`ticket`] from the record's JSON text as the Table API sent it (what
/// `Psa::get_ticket` and `Psa::list_tickets` use): the mapped fields and the
/// columns the mapping looks up by name are decoded from the text in one
/// pass, and the text is kept as a [`RawRecord`], parsed into a `Value`
/// only when `raw` is read.
///
/// # Errors
/// As [`ticket`].
pub fn ticket_record(
    table: TaskTable,
    json: Box<serde_json::value::RawValue>,
    labels: &ChoiceLabels,
) -> Result<Ticket> {
    let decoded = RawRecord::parse_raw_value::<TaskRecord>(
        Some(psa_core::Vendor::ServiceNow),
        &record_what(table),
        json,
    )?;
    ticket_of_decoded(table, decoded, labels)
}

/// [`ticket_record`] of a whole Table API answer for one record
/// (`{"result": {…}}`, as a `GET` of the record or a batch item carries
/// it), the record kept as a slice of `body` (no copy).
///
/// Instances write the envelope as exactly `{"result":` record `}`; such a
/// body is read in one pass, the record straight from its place in it.
/// Any other form of the envelope (white space, more keys, escapes in the
/// key) is decoded as JSON first — the same ticket, or the same error.
///
/// # Errors
/// As [`ticket`]; `Decode` for a body that is not such an envelope.
pub fn ticket_of_answer(
    table: TaskTable,
    body: &bytes::Bytes,
    labels: &ChoiceLabels,
) -> Result<Ticket> {
    let exact = body
        .strip_prefix(b"{\"result\":".as_slice())
        .and_then(|rest| rest.strip_suffix(b"}".as_slice()));
    if let Some(record) = exact {
        if let Ok(t) = ticket_of_text(table, body.slice_ref(record), labels) {
            return Ok(t);
        }
    }
    let envelope: crate::models::Envelope<Box<serde_json::value::RawValue>> =
        psa_core::error::decode_slice(
            Some(psa_core::Vendor::ServiceNow),
            &format!("ServiceNow {} answer", table.as_str()),
            body,
        )?;
    ticket_record(table, envelope.result, labels)
}

/// The ticket of one record's JSON text, decoded in one pass and kept as
/// its `raw`.
fn ticket_of_text(table: TaskTable, json: bytes::Bytes, labels: &ChoiceLabels) -> Result<Ticket> {
    let decoded = RawRecord::parse::<TaskRecord>(
        Some(psa_core::Vendor::ServiceNow),
        &record_what(table),
        json,
    )?;
    ticket_of_decoded(table, decoded, labels)
}

/// What a record of `table` is called in decode errors.
fn record_what(table: TaskTable) -> String {
    format!("ServiceNow {} record", table.as_str())
}

/// The ticket of a record decoded as [`TaskRecord`], its text kept as `raw`.
fn ticket_of_decoded(
    table: TaskTable,
    (record, raw): (TaskRecord, RawRecord),
    labels: &ChoiceLabels,
) -> Result<Ticket> {
    let mut out = ticket_head(table, &record.head, &record.columns, labels)?;
    out.raw = raw;
    Ok(out)
}

/// What the ticket mapping reads of a task record, decoded in one pass over
/// it: the [`TaskHead`] columns, typed, and the custom columns (see
/// [`looked_up`]) as values. The others are skipped unparsed, their
/// names not even copied.
struct TaskRecord {
    head: TaskHead,
    columns: Map<String, Value>,
}

/// Whether the ticket mapping looks `column` up by name: the custom
/// (`u_`/`x_`) columns, which become the ticket's custom fields. Every
/// other column it reads is a [`TaskHead`] column.
fn looked_up(column: &str) -> bool {
    is_custom_field(column)
}

/// A record's key, sorted as it is read (no copy unless it is kept).
enum RecordKey {
    Head(HeadColumn),
    LookedUp(String),
    Other,
}

impl<'de> serde::Deserialize<'de> for RecordKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RecordKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a column name")
            }
            fn visit_str<E: serde::de::Error>(
                self,
                name: &str,
            ) -> std::result::Result<RecordKey, E> {
                Ok(match HeadColumn::of(name) {
                    Some(c) => RecordKey::Head(c),
                    None if looked_up(name) => RecordKey::LookedUp(name.to_owned()),
                    None => RecordKey::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> serde::Deserialize<'de> for TaskRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = TaskRecord;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a record (a JSON object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<TaskRecord, A::Error> {
                let mut head = TaskHead::default();
                let mut columns = Map::new();
                while let Some(key) = map.next_key::<RecordKey>()? {
                    match key {
                        RecordKey::Head(c) => head.read(c, &mut map)?,
                        RecordKey::LookedUp(name) => {
                            let value = map.next_value::<Value>()?;
                            columns.insert(name, value);
                        }
                        RecordKey::Other => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(TaskRecord { head, columns })
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
    let summary = value(task.short_description.as_ref());
    let mut out = Ticket::new(id, summary);
    out.number = text(task.number.as_ref());
    out.description = text(task.description.as_ref());
    out.status = choice_ref(labels, t, "state", task.state.as_ref());
    out.priority = choice_ref(labels, t, "priority", task.priority.as_ref());
    out.queue = reference(
        task.assignment_group.as_ref(),
        "sys_user_group",
        text(task.assignment_group_name.as_ref()),
    );
    out.ticket_type = Some(Ref::named(Id::text(t)?, table.label()));
    out.subtype = table
        .category_field()
        .and_then(|f| choice_ref(labels, t, f, task.field(f)));
    out.company = reference(
        task.company.as_ref(),
        "core_company",
        text(task.company_name.as_ref()),
    );
    out.contact = table
        .contact_columns()
        .and_then(|(f, name)| reference(task.reference(f), "sys_user", text(task.field(name))));
    out.owner = reference(
        task.assigned_to.as_ref(),
        "sys_user",
        text(task.assigned_to_name.as_ref()),
    );
    let state = task.state.as_ref().map(Field::value).unwrap_or_default();
    let active = task.active.as_ref().and_then(Field::as_bool);
    let resolved = table.resolved_states().contains(&state);
    out.closed = active.map(|a| !a || resolved);
    out.created_at = time(task.sys_created_on.as_ref()).or_else(|| time(task.opened_at.as_ref()));
    out.updated_at = time(task.sys_updated_on.as_ref());
    out.closed_at = time(task.closed_at.as_ref())
        .or_else(|| resolved.then(|| time(task.resolved_at.as_ref())).flatten());
    out.due_at = time(task.due_date.as_ref()).or_else(|| time(task.sla_due.as_ref()));
    out.parent = parent_of(table, task);
    out.custom_fields = custom_fields(cols);
    Ok(out)
}

fn parent_of(table: TaskTable, task: &TaskHead) -> Option<Id> {
    if table == TaskTable::Incident {
        if let Some(id) = task
            .parent_incident
            .as_ref()
            .and_then(|r| r.sys_id().and_then(|s| SysId::parse(s).ok()))
        {
            return TicketId::new(TaskTable::Incident, id).to_id().ok();
        }
    }
    let sys = task
        .parent
        .as_ref()?
        .sys_id()
        .and_then(|s| SysId::parse(s).ok())?;
    let parent_table = text(task.parent_class.as_ref()).and_then(|t| TaskTable::from_name(&t))?;
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

/// The states of `table` that ServiceNow's baseline data policy lets a
/// record reach only with a resolution code and notes (`close_code`,
/// `close_notes`): incidents' 6 Resolved and 7 Closed.
pub fn states_needing_resolution(table: TaskTable) -> &'static [&'static str] {
    match table {
        TaskTable::Incident => &["6", "7"],
        _ => &[],
    }
}

/// Whether `table` has a `close_code` column (incidents and changes; the
/// other task tables have `close_notes` only).
fn has_close_code(table: TaskTable) -> bool {
    matches!(table, TaskTable::Incident | TaskTable::ChangeRequest)
}

/// A uniform ticket patch → the request body of a PATCH.
///
/// - `description`, `company` and `contact` (the table's caller field; a
///   cleared contact is written `""`) map to their columns; `owner`
///   cleared writes `assigned_to: ""` (unassigned).
/// - `resolution` writes `close_notes` and its code `close_code`. Moving an
///   incident to 6 Resolved or 7 Closed needs both (ServiceNow's baseline
///   data policy refuses the save otherwise): without them the patch is
///   `InvalidInput` before any request.
/// - A subtype (category) cannot be cleared: it is a choice field, and
///   ServiceNow does not clear choice fields with an empty value.
pub fn ticket_patch_body(p: &TicketPatch, table: TaskTable) -> Result<Map<String, Value>> {
    p.validate()?;
    p.check_mapped(
        psa_core::Vendor::ServiceNow,
        TicketPatch::FIELDS,
        &["owner", "contact"],
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
    if let Some(s) = &p.status {
        let state = choice_value(s, "status")?;
        if states_needing_resolution(table).contains(&state.as_str()) {
            let complete = p.resolution.as_ref().is_some_and(|r| {
                r.code.as_deref().is_some_and(|c| !c.trim().is_empty())
                    && !r.notes.trim().is_empty()
            });
            if !complete {
                return Err(Error::invalid_input(format!(
                    "moving a ServiceNow {table} to state {state} needs a resolution with notes and a code \
                     (close_notes and close_code, e.g. Resolution::new(\"…\").code(\"Solution provided\")): \
                     the instance's data policy refuses the save without them"
                )));
            }
        }
    }
    if let Some(r) = &p.resolution {
        body.insert("close_notes".into(), json!(r.notes));
        if let Some(code) = &r.code {
            if !has_close_code(table) {
                return Err(Error::invalid_input(format!(
                    "{table} records have no resolution code (close_code); send the resolution without a code"
                )));
            }
            body.insert("close_code".into(), json!(code));
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
    if p.owner.is_clear() {
        body.insert("assigned_to".into(), json!(""));
    }
    if let Some(c) = &p.company {
        put_ref(&mut body, "company", c, &["core_company"], "company id")?;
    }
    if p.contact.as_set().is_some() || p.contact.is_clear() {
        let field = table.contact_field().ok_or_else(|| {
            Error::invalid_input(format!("{table} records have no contact (caller) field"))
        })?;
        match p.contact.as_set() {
            Some(c) => put_ref(&mut body, field, c, &["sys_user"], "contact id")?,
            None => {
                body.insert(field.into(), json!(""));
            }
        }
    }
    if let Some(s) = &p.summary {
        body.insert("short_description".into(), json!(s));
    }
    if let Some(d) = &p.description {
        body.insert("description".into(), json!(d));
    }
    for (k, v) in p.custom_fields.iter() {
        body.insert(k.to_owned(), custom_value(v));
    }
    Ok(body)
}

/// A `sys_audit` record of `ticket` → uniform [`AuditEntry`].
pub fn audit_entry(ticket: &Id, a: &SysAudit, raw: Value) -> Result<AuditEntry> {
    let mut out = AuditEntry::new(ticket.clone());
    out.id = Some(own_id("sys_audit", a.sys_id.as_ref(), "audit entry")?);
    out.at = time(a.sys_created_on.as_ref());
    out.actor = text(a.user.as_ref());
    out.field = text(a.fieldname.as_ref());
    out.old_value = text(a.oldvalue.as_ref());
    out.new_value = text(a.newvalue.as_ref());
    out.raw = raw.into();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::ChoiceLabels;
    use crate::models::{Field, Incident, SysChoice};
    use psa_core::Ref;
    use serde_json::json;

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
    fn every_column_a_table_names_is_read_typed() {
        const SYS: &str = "cdbf29dd978f31101196f6fce053afef";
        const WHO: &str = "62826bf03710200044e0bfc8bcbe5df1";
        for table in TaskTable::ALL {
            let mut record = json!({"sys_id": SYS, "u_site": "north"});
            if let Some((f, name)) = table.contact_columns() {
                record[f] = json!(WHO);
                record[name] = json!("Abel Tuter");
            }
            if let Some(f) = table.category_field() {
                record[f] = json!("inquiry");
            }
            let names = [
                table.contact_field(),
                table.contact_name_field(),
                table.category_field(),
            ];
            for name in names.into_iter().flatten() {
                assert!(HeadColumn::of(name).is_some(), "{table}: {name}");
            }
            let head: TaskRecord = serde_json::from_value(record).unwrap();
            if let Some((f, name)) = table.contact_columns() {
                assert_eq!(
                    head.head.reference(f).and_then(Reference::sys_id),
                    Some(WHO)
                );
                assert_eq!(head.head.field(name).map(Field::value), Some("Abel Tuter"));
            }
            if let Some(f) = table.category_field() {
                assert_eq!(head.head.field(f).map(Field::value), Some("inquiry"));
            }
            // Only the custom columns are kept by name.
            assert_eq!(head.columns.keys().collect::<Vec<_>>(), ["u_site"]);
        }
        // A dot-walked column of the wrong shape is named, as the others are.
        let bad = json!({"sys_id": SYS, "company.name": [1, 2]});
        let err = ticket(TaskTable::Incident, bad, &labels()).unwrap_err();
        assert!(err.is_decode(), "{err}");
        assert!(err.to_string().contains("company.name"), "{err}");
    }

    #[test]
    fn ticket_record_maps_like_ticket_and_keeps_the_text() {
        let recorded: Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/incident_create_201.json"
        ))
        .unwrap();
        let display: Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/incident_display_all.json"
        ))
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
    fn an_answer_maps_as_its_record_whatever_the_envelope_looks_like() {
        let recorded: Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/incident_create_201.json"
        ))
        .unwrap();
        let record = recorded["response"]["body"]["result"].clone();
        let text = serde_json::to_string(&record).unwrap();
        let want = ticket(TaskTable::Incident, record, &labels()).unwrap();
        let answer = |body: String| {
            ticket_of_answer(TaskTable::Incident, &bytes::Bytes::from(body), &labels())
        };
        for body in [
            format!(r#"{{"result":{text}}}"#),
            format!("{{ \"result\" : {text} }}\n"),
            format!(r#"{{"result":{text},"x":{{"y":"}}"}}}}"#),
            format!(r#"{{"x":1,"result":{text}}}"#),
            format!(r#"{{"res\u0075lt":{text}}}"#),
        ] {
            let t = answer(body.clone()).unwrap_or_else(|e| panic!("{body}: {e}"));
            assert_eq!(t, want, "{body}");
            assert_eq!(t.raw.json_text(), Some(text.as_str()), "{body}");
        }
        // Not an envelope, or a record of the wrong shape: the errors a
        // decode of the envelope gives.
        for bad in [
            r#"{"result":[1]}"#.to_owned(),
            r#"{"result":{"sys_id":"x"}"#.to_owned(),
            r#"{"result":{"state":[1]}}"#.to_owned(),
            "[]".to_owned(),
            String::new(),
        ] {
            let e = answer(bad.clone()).unwrap_err();
            assert!(e.is_decode(), "{bad}: {e}");
        }
        let e = answer(r#"{"result":{"state":[1]}}"#.to_owned()).unwrap_err();
        assert!(e.to_string().contains("state"), "{e}");
    }

    #[test]
    fn the_recorded_incident_maps() {
        let raw = include_str!("../../tests/fixtures/incident_create_201.json");
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
}
