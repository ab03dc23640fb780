//! The tables the simulator knows, their fields and references.

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text (also numbers, booleans and durations: the Table API sends strings).
    Text,
    /// A choice field: its display value comes from `sys_choice`.
    Choice,
    /// A reference to a record of a table (`task` = any task-family table).
    Ref(&'static str),
    /// A journal field: writing it adds a `sys_journal_field` entry; it reads back empty.
    Journal,
}

/// The task-family tables stored separately, each extending `task`.
pub(crate) const TASK_TABLES: &[&str] = &[
    "incident",
    "sc_request",
    "sc_req_item",
    "sc_task",
    "change_request",
    "problem",
    "pm_project",
];

/// CI classes stored in `cmdb_ci` (a query on a class filters by `sys_class_name`).
pub(crate) const CI_CLASSES: &[&str] = &[
    "cmdb_ci",
    "cmdb_ci_computer",
    "cmdb_ci_server",
    "cmdb_ci_printer",
    "cmdb_ci_netgear",
];

/// Every table the simulator stores, besides the CI classes.
pub(crate) const TABLES: &[&str] = &[
    "incident",
    "sc_request",
    "sc_req_item",
    "sc_task",
    "change_request",
    "problem",
    "pm_project",
    "sys_journal_field",
    "core_company",
    "sys_user",
    "sys_user_group",
    "cmdb_ci",
    "task_time_worked",
    "time_card",
    "kb_knowledge",
    "task_sla",
    "contract_sla",
    "ast_contract",
    "sys_choice",
    "sys_audit",
    "sc_cat_item",
    "sys_dictionary",
];

const SYS_FIELDS: &[(&str, Kind)] = &[
    ("sys_id", Kind::Text),
    ("sys_created_on", Kind::Text),
    ("sys_created_by", Kind::Text),
    ("sys_updated_on", Kind::Text),
    ("sys_updated_by", Kind::Text),
    ("sys_mod_count", Kind::Text),
    ("sys_tags", Kind::Text),
];

const TASK_FIELDS: &[(&str, Kind)] = &[
    ("number", Kind::Text),
    ("short_description", Kind::Text),
    ("description", Kind::Text),
    ("state", Kind::Choice),
    ("priority", Kind::Choice),
    ("impact", Kind::Choice),
    ("urgency", Kind::Choice),
    ("active", Kind::Text),
    ("assignment_group", Kind::Ref("sys_user_group")),
    ("assigned_to", Kind::Ref("sys_user")),
    ("company", Kind::Ref("core_company")),
    ("opened_at", Kind::Text),
    ("opened_by", Kind::Ref("sys_user")),
    ("closed_at", Kind::Text),
    ("closed_by", Kind::Ref("sys_user")),
    ("close_notes", Kind::Text),
    ("parent", Kind::Ref("task")),
    ("cmdb_ci", Kind::Ref("cmdb_ci")),
    ("due_date", Kind::Text),
    ("sla_due", Kind::Text),
    ("work_notes", Kind::Journal),
    ("comments", Kind::Journal),
    ("comments_and_work_notes", Kind::Journal),
    ("time_worked", Kind::Text),
    ("contact_type", Kind::Choice),
    ("approval", Kind::Text),
    ("escalation", Kind::Text),
    ("watch_list", Kind::Text),
    ("work_notes_list", Kind::Text),
    ("correlation_id", Kind::Text),
    ("sys_class_name", Kind::Text),
    ("sys_domain", Kind::Ref("sys_user_group")),
];

#[allow(clippy::too_many_lines)] // one table of field lists, easier to read whole
fn own_fields(table: &str) -> &'static [(&'static str, Kind)] {
    match table {
        "incident" => &[
            ("caller_id", Kind::Ref("sys_user")),
            ("category", Kind::Choice),
            ("subcategory", Kind::Text),
            ("close_code", Kind::Choice),
            ("incident_state", Kind::Text),
            ("severity", Kind::Text),
            ("parent_incident", Kind::Ref("incident")),
            ("problem_id", Kind::Ref("problem")),
            ("rfc", Kind::Ref("change_request")),
            ("caused_by", Kind::Ref("change_request")),
            ("hold_reason", Kind::Text),
            ("resolved_at", Kind::Text),
            ("resolved_by", Kind::Ref("sys_user")),
            ("reopen_count", Kind::Text),
            ("child_incidents", Kind::Text),
            ("business_service", Kind::Ref("cmdb_ci")),
            ("notify", Kind::Text),
        ],
        "sc_request" => &[
            ("requested_for", Kind::Ref("sys_user")),
            ("request_state", Kind::Text),
            ("stage", Kind::Text),
            ("price", Kind::Text),
            ("special_instructions", Kind::Text),
        ],
        "sc_req_item" => &[
            ("request", Kind::Ref("sc_request")),
            ("cat_item", Kind::Ref("sc_cat_item")),
            ("requested_for", Kind::Ref("sys_user")),
            ("quantity", Kind::Text),
            ("stage", Kind::Text),
            ("price", Kind::Text),
            ("recurring_price", Kind::Text),
        ],
        "sc_task" => &[
            ("request_item", Kind::Ref("sc_req_item")),
            ("request", Kind::Ref("sc_request")),
        ],
        "change_request" => &[
            ("type", Kind::Text),
            ("category", Kind::Choice),
            ("risk", Kind::Text),
            ("start_date", Kind::Text),
            ("end_date", Kind::Text),
            ("implementation_plan", Kind::Text),
            ("backout_plan", Kind::Text),
            ("test_plan", Kind::Text),
            ("close_code", Kind::Choice),
            ("requested_by", Kind::Ref("sys_user")),
            ("on_hold", Kind::Text),
        ],
        "problem" => &[
            ("category", Kind::Choice),
            ("subcategory", Kind::Text),
            ("problem_state", Kind::Text),
            ("known_error", Kind::Text),
            ("cause_notes", Kind::Text),
            ("fix_notes", Kind::Text),
            ("resolution_code", Kind::Text),
            ("first_reported_by_task", Kind::Ref("task")),
        ],
        "pm_project" => &[
            ("project_manager", Kind::Ref("sys_user")),
            ("start_date", Kind::Text),
            ("end_date", Kind::Text),
            ("percent_complete", Kind::Text),
        ],
        "sys_journal_field" => &[
            ("element", Kind::Text),
            ("element_id", Kind::Text),
            ("name", Kind::Text),
            ("value", Kind::Text),
        ],
        "core_company" => &[
            ("name", Kind::Text),
            ("phone", Kind::Text),
            ("fax_phone", Kind::Text),
            ("website", Kind::Text),
            ("street", Kind::Text),
            ("city", Kind::Text),
            ("state", Kind::Text),
            ("zip", Kind::Text),
            ("country", Kind::Text),
            ("customer", Kind::Text),
            ("vendor", Kind::Text),
            ("manufacturer", Kind::Text),
            ("parent", Kind::Ref("core_company")),
            ("stock_symbol", Kind::Text),
            ("notes", Kind::Text),
        ],
        "sys_user" => &[
            ("user_name", Kind::Text),
            ("first_name", Kind::Text),
            ("last_name", Kind::Text),
            ("name", Kind::Text),
            ("email", Kind::Text),
            ("phone", Kind::Text),
            ("mobile_phone", Kind::Text),
            ("company", Kind::Ref("core_company")),
            ("department", Kind::Text),
            ("location", Kind::Text),
            ("title", Kind::Text),
            ("active", Kind::Text),
            ("locked_out", Kind::Text),
            ("time_zone", Kind::Text),
            ("roles", Kind::Text),
        ],
        "sys_user_group" => &[
            ("name", Kind::Text),
            ("description", Kind::Text),
            ("email", Kind::Text),
            ("manager", Kind::Ref("sys_user")),
            ("parent", Kind::Ref("sys_user_group")),
            ("active", Kind::Text),
            ("type", Kind::Text),
        ],
        "cmdb_ci" => &[
            ("name", Kind::Text),
            ("sys_class_name", Kind::Text),
            ("company", Kind::Ref("core_company")),
            ("serial_number", Kind::Text),
            ("asset_tag", Kind::Text),
            ("install_status", Kind::Choice),
            ("operational_status", Kind::Text),
            ("manufacturer", Kind::Ref("core_company")),
            ("model_id", Kind::Text),
            ("ip_address", Kind::Text),
            ("assigned_to", Kind::Ref("sys_user")),
            ("location", Kind::Text),
            ("short_description", Kind::Text),
        ],
        "task_time_worked" => &[
            ("task", Kind::Ref("task")),
            ("user", Kind::Ref("sys_user")),
            ("time_worked", Kind::Text),
            ("time_in_seconds", Kind::Text),
            ("comments", Kind::Text),
            ("category", Kind::Choice),
            ("work_date", Kind::Text),
            ("time_card", Kind::Ref("time_card")),
        ],
        "time_card" => &[
            ("task", Kind::Ref("task")),
            ("user", Kind::Ref("sys_user")),
            ("week_starts_on", Kind::Text),
            ("state", Kind::Text),
            ("category", Kind::Text),
            ("total", Kind::Text),
        ],
        "kb_knowledge" => &[
            ("number", Kind::Text),
            ("short_description", Kind::Text),
            ("text", Kind::Text),
            ("workflow_state", Kind::Text),
            ("kb_knowledge_base", Kind::Text),
            ("kb_category", Kind::Text),
            ("author", Kind::Ref("sys_user")),
            ("active", Kind::Text),
            ("valid_to", Kind::Text),
        ],
        "task_sla" => &[
            ("task", Kind::Ref("task")),
            ("sla", Kind::Ref("contract_sla")),
            ("stage", Kind::Text),
            ("has_breached", Kind::Text),
            ("planned_end_time", Kind::Text),
            ("percentage", Kind::Text),
            ("business_percentage", Kind::Text),
            ("start_time", Kind::Text),
            ("end_time", Kind::Text),
            ("active", Kind::Text),
        ],
        "contract_sla" => &[
            ("name", Kind::Text),
            ("type", Kind::Text),
            ("target", Kind::Text),
            ("collection", Kind::Text),
            ("duration", Kind::Text),
            ("schedule", Kind::Text),
            ("active", Kind::Text),
        ],
        "ast_contract" => &[
            ("number", Kind::Text),
            ("short_description", Kind::Text),
            ("vendor_contract", Kind::Text),
            ("vendor", Kind::Ref("core_company")),
            ("customer", Kind::Ref("core_company")),
            ("contract_model", Kind::Text),
            ("starts", Kind::Text),
            ("ends", Kind::Text),
            ("state", Kind::Text),
            ("substate", Kind::Text),
            ("active", Kind::Text),
            ("contract_administrator", Kind::Ref("sys_user")),
            ("description", Kind::Text),
        ],
        "sys_dictionary" => &[
            ("name", Kind::Text),
            ("element", Kind::Text),
            ("column_label", Kind::Text),
            ("internal_type", Kind::Text),
            ("max_length", Kind::Text),
            ("mandatory", Kind::Text),
            ("read_only", Kind::Text),
            ("active", Kind::Text),
            ("choice", Kind::Text),
            ("reference", Kind::Text),
        ],
        "sys_choice" => &[
            ("name", Kind::Text),
            ("element", Kind::Text),
            ("value", Kind::Text),
            ("label", Kind::Text),
            ("language", Kind::Text),
            ("inactive", Kind::Text),
            ("sequence", Kind::Text),
            ("dependent_value", Kind::Text),
        ],
        "sys_audit" => &[
            ("tablename", Kind::Text),
            ("fieldname", Kind::Text),
            ("documentkey", Kind::Text),
            ("user", Kind::Text),
            ("oldvalue", Kind::Text),
            ("newvalue", Kind::Text),
            ("reason", Kind::Text),
            ("record_checkpoint", Kind::Text),
        ],
        "sc_cat_item" => &[
            ("name", Kind::Text),
            ("short_description", Kind::Text),
            ("description", Kind::Text),
            ("price", Kind::Text),
            ("active", Kind::Text),
            ("category", Kind::Text),
            ("sys_class_name", Kind::Text),
        ],
        _ => &[],
    }
}

/// Where a table's rows are stored (`cmdb_ci_computer` rows live in `cmdb_ci`).
pub(crate) fn storage_of(table: &str) -> &str {
    if CI_CLASSES.contains(&table) {
        "cmdb_ci"
    } else {
        table
    }
}

/// Whether the simulator knows the table (a `task`-family table, a CI class, or another known table).
pub(crate) fn is_known(table: &str) -> bool {
    TABLES.contains(&table) || CI_CLASSES.contains(&table)
}

/// The kind of a field of `table`, when the table has it. Custom `u_*`
/// columns are text.
pub(crate) fn field_kind(table: &str, field: &str) -> Option<Kind> {
    let storage = storage_of(table);
    let is_task = TASK_TABLES.contains(&storage) || storage == "task";
    SYS_FIELDS
        .iter()
        .chain(if is_task { TASK_FIELDS } else { &[] })
        .chain(own_fields(storage))
        .find(|(name, _)| *name == field)
        .map(|(_, k)| *k)
        .or_else(|| field.starts_with("u_").then_some(Kind::Text))
}

/// The field shown as a record's display value.
pub(crate) fn display_field(storage: &str) -> &'static str {
    match storage {
        s if TASK_TABLES.contains(&s) => "number",
        "kb_knowledge" => "number",
        "ast_contract" => "vendor_contract",
        "sys_choice" => "label",
        "sys_dictionary" => "column_label",
        "sys_audit" | "sys_journal_field" | "task_time_worked" | "time_card" | "task_sla" => {
            "sys_id"
        }
        _ => "name",
    }
}

/// The `sys_class_name` a new record of `table` gets.
pub(crate) fn class_name(table: &str) -> &str {
    table
}

/// Whether a (possibly dot-walked) field exists on `table`.
pub(crate) fn knows_path(table: &str, path: &str) -> bool {
    match path.split_once('.') {
        None => field_kind(table, path).is_some(),
        Some((head, rest)) => match field_kind(table, head) {
            Some(Kind::Ref(target)) => {
                let target = if target == "task" { "incident" } else { target };
                knows_path(target, rest)
            }
            _ => false,
        },
    }
}
