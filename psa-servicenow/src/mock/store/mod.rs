//! The simulator's state: its records and the business rules it applies on
//! writes. The tables' shape (which fields each table has, which are
//! references, choices or journals) is [`schema`], a file of its own
//! because it is data the store reads, not logic.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value, json};

pub(crate) mod schema;

use super::filter::{Parsed, SortKey, compare_keys};
use crate::models::format_glide_datetime;
use schema::{Kind, TASK_TABLES};

/// A record: every value a string, as the Table API stores them.
pub(crate) type Row = BTreeMap<String, String>;

/// The user a request is authenticated as.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub(crate) sys_id: String,
    pub(crate) user_name: String,
}

/// `sysparm_display_value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DisplayMode {
    Value,
    Display,
    All,
}

/// A Table API error the routes turn into ServiceNow's error body.
#[derive(Debug, Clone)]
pub(crate) struct ApiErr {
    pub(crate) status: u16,
    pub(crate) message: String,
    pub(crate) detail: Value,
}

impl ApiErr {
    pub(crate) fn new(status: u16, message: impl Into<String>, detail: Value) -> Self {
        ApiErr {
            status,
            message: message.into(),
            detail,
        }
    }
    pub(crate) fn invalid_table(table: &str) -> Self {
        ApiErr::new(400, format!("Invalid table {table}"), Value::Null)
    }
    pub(crate) fn not_found() -> Self {
        ApiErr::new(
            404,
            "No Record found",
            json!("Record doesn't exist or ACL restricts the record retrieval"),
        )
    }
    pub(crate) fn body(&self) -> Value {
        json!({"error": {"message": self.message, "detail": self.detail}, "status": "failure"})
    }
}

/// The records of the simulated instance.
#[derive(Debug, Default)]
pub(crate) struct Store {
    tables: BTreeMap<String, Vec<Row>>,
    /// Where each record is: `sys_id` → (storage table, position), so that
    /// following a reference is not a scan of its table (a listing of
    /// 100,000 incidents follows several references per record).
    by_id: HashMap<String, (String, usize)>,
    hidden: BTreeSet<String>,
    disabled: BTreeSet<String>,
    seq: u64,
    clock: i64,
    numbers: BTreeMap<String, u64>,
}

const CLOCK_START: i64 = 1_795_165_200; // 2026-11-21 05:00:00 UTC

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The baseline incident priority lookup: impact × urgency → priority.
pub(crate) fn priority_lookup(impact: &str, urgency: &str) -> &'static str {
    let i: u8 = impact.parse().unwrap_or(3);
    let u: u8 = urgency.parse().unwrap_or(3);
    match i + u {
        0..=2 => "1",
        3 => "2",
        4 => "3",
        5 => "4",
        _ => "5",
    }
}

/// The baseline incident data policy: an incident in state 6 (Resolved)
/// or 7 (Closed) must have its resolution code and notes. A save breaking
/// it is refused with 403 and ServiceNow's "Data Policy Exception" body.
fn data_policy(storage: &str, row: &Row) -> Result<(), ApiErr> {
    if storage != "incident" {
        return Ok(());
    }
    let state = row.get("state").map_or("", String::as_str);
    if !matches!(state, "6" | "7") {
        return Ok(());
    }
    let missing: Vec<&str> = [
        ("close_code", "Resolution code"),
        ("close_notes", "Resolution notes"),
    ]
    .into_iter()
    .filter(|(f, _)| row.get(*f).is_none_or(|v| v.trim().is_empty()))
    .map(|(_, label)| label)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ApiErr::new(
        403,
        "Operation Failed",
        json!(format!(
            "Data Policy Exception: \n\tThe following fields are mandatory: {}\n",
            missing.join(", ")
        )),
    ))
}

fn inactive_states(table: &str) -> &'static [&'static str] {
    match table {
        "incident" => &["7", "8"],
        "change_request" => &["3", "4"],
        "problem" => &["107"],
        _ => &["3", "4", "7"],
    }
}

fn number_prefix(table: &str) -> Option<&'static str> {
    Some(match table {
        "incident" => "INC",
        "sc_request" => "REQ",
        "sc_req_item" => "RITM",
        "sc_task" => "SCTASK",
        "change_request" => "CHG",
        "problem" => "PRB",
        "pm_project" => "PRJ",
        "kb_knowledge" => "KB",
        "ast_contract" => "CNTR",
        _ => return None,
    })
}

fn json_to_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("value").map(json_to_text).unwrap_or_default(),
        other => other.to_string(),
    }
}

impl Store {
    pub(crate) fn now(&mut self) -> String {
        self.clock += 1;
        let t = DateTime::<Utc>::from_timestamp(CLOCK_START + self.clock, 0).unwrap_or_default();
        format_glide_datetime(t)
    }

    /// The current simulated time, without advancing it.
    pub(crate) fn current_time(&self) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(CLOCK_START + self.clock, 0).unwrap_or_default()
    }

    /// A time `days` before the simulated start, for seed data.
    pub(crate) fn days_ago(days: i64, hour: u32) -> String {
        let base = DateTime::<Utc>::from_timestamp(CLOCK_START, 0).unwrap_or_default();
        let t =
            base - TimeDelta::days(days) + TimeDelta::hours(i64::from(hour)) - TimeDelta::hours(5);
        format_glide_datetime(t)
    }

    /// [`days_ago`](Store::days_ago) plus `secs` seconds.
    pub(crate) fn days_ago_plus(days: i64, secs: i64) -> String {
        let base = DateTime::<Utc>::from_timestamp(CLOCK_START, 0).unwrap_or_default();
        format_glide_datetime(
            base - TimeDelta::days(days) - TimeDelta::hours(5) + TimeDelta::seconds(secs),
        )
    }

    pub(crate) fn new_sys_id(&mut self) -> String {
        self.seq += 1;
        let a = splitmix(self.seq);
        let b = splitmix(a ^ 0x5EED);
        format!("{a:016x}{b:016x}")
    }

    fn next_number(&mut self, prefix: &str) -> String {
        let n = self.numbers.entry(prefix.to_owned()).or_insert(10_000);
        *n += 1;
        format!("{prefix}{n:07}")
    }

    pub(crate) fn disable_table(&mut self, table: &str) {
        self.disabled.insert(table.to_owned());
    }

    pub(crate) fn hide(&mut self, sys_id: &str) {
        self.hidden.insert(sys_id.to_owned());
    }

    pub(crate) fn is_hidden(&self, sys_id: &str) -> bool {
        self.hidden.contains(sys_id)
    }

    /// Whether the table exists on this instance.
    pub(crate) fn table_exists(&self, table: &str) -> bool {
        schema::is_known(table) && !self.disabled.contains(table)
    }

    pub(crate) fn rows(&self, storage: &str) -> &[Row] {
        self.tables.get(storage).map_or(&[], Vec::as_slice)
    }

    /// Adds a seed record as it is (no business rules), with a sys_id and
    /// system fields when missing.
    pub(crate) fn seed(&mut self, table: &str, fields: &[(&str, &str)]) -> String {
        let mut row: Row = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let sys_id = if let Some(id) = row.get("sys_id") {
            id.clone()
        } else {
            let id = self.new_sys_id();
            row.insert("sys_id".to_owned(), id.clone());
            id
        };
        let storage = schema::storage_of(table).to_owned();
        if let Some(prefix) = number_prefix(&storage) {
            if !row.contains_key("number") {
                let n = self.next_number(prefix);
                row.insert("number".to_owned(), n);
            } else if let Some(n) = row.get("number").and_then(|n| n.strip_prefix(prefix)) {
                if let Ok(v) = n.parse::<u64>() {
                    let e = self.numbers.entry(prefix.to_owned()).or_insert(10_000);
                    *e = (*e).max(v);
                }
            }
        }
        let created = row
            .get("sys_created_on")
            .cloned()
            .unwrap_or_else(|| Store::days_ago(30, 9));
        row.entry("sys_created_on".to_owned())
            .or_insert_with(|| created.clone());
        row.entry("sys_updated_on".to_owned()).or_insert(created);
        row.entry("sys_created_by".to_owned())
            .or_insert_with(|| "admin".to_owned());
        row.entry("sys_updated_by".to_owned())
            .or_insert_with(|| "admin".to_owned());
        row.entry("sys_mod_count".to_owned())
            .or_insert_with(|| "0".to_owned());
        if TASK_TABLES.contains(&storage.as_str()) || storage == "cmdb_ci" {
            row.entry("sys_class_name".to_owned())
                .or_insert_with(|| table.to_owned());
        }
        if TASK_TABLES.contains(&storage.as_str()) {
            for f in ["work_notes", "comments", "comments_and_work_notes"] {
                row.insert(f.to_owned(), String::new());
            }
        }
        self.push_row(storage, row);
        sys_id
    }

    /// Appends a row to its storage table and indexes its `sys_id`.
    fn push_row(&mut self, storage: String, row: Row) {
        let rows = self.tables.entry(storage.clone()).or_default();
        if let Some(id) = row.get("sys_id") {
            self.by_id.insert(id.clone(), (storage, rows.len()));
        }
        rows.push(row);
    }

    fn find_in(&self, storage: &str, sys_id: &str) -> Option<(&str, &Row)> {
        // Every row is indexed as it is added (`push_row`), so a sys_id the
        // index does not know is on no table.
        let (t, i) = self.by_id.get(sys_id)?;
        let in_scope = if storage == "task" {
            TASK_TABLES.contains(&t.as_str())
        } else {
            t == schema::storage_of(storage)
        };
        let row = self.tables.get(t).and_then(|rows| rows.get(*i));
        if let (true, Some(row)) = (in_scope, row) {
            if row.get("sys_id").is_some_and(|id| id == sys_id) {
                return Some((t.as_str(), row));
            }
        }
        // The same sys_id on another table (seed data may reuse one): scan.
        if storage == "task" {
            return TASK_TABLES.iter().find_map(|t| {
                self.rows(t)
                    .iter()
                    .find(|r| r.get("sys_id").is_some_and(|id| id == sys_id))
                    .map(|r| (*t, r))
            });
        }
        let s = schema::storage_of(storage);
        self.tables.get_key_value(s).and_then(|(k, rows)| {
            rows.iter()
                .find(|r| r.get("sys_id").is_some_and(|id| id == sys_id))
                .map(|r| (k.as_str(), r))
        })
    }

    /// A record of `table` by `sys_id` (class tables see only their class).
    pub(crate) fn get(&self, table: &str, sys_id: &str) -> Option<&Row> {
        let (_, row) = self.find_in(table, sys_id)?;
        if schema::storage_of(table) == "cmdb_ci" && table != "cmdb_ci" {
            return (row.get("sys_class_name").map(String::as_str) == Some(table)).then_some(row);
        }
        Some(row)
    }

    /// A field of a record, following references for dot-walked names.
    pub(crate) fn field(&self, table: &str, row: &Row, path: &str) -> String {
        match path.split_once('.') {
            None => row.get(path).cloned().unwrap_or_default(),
            Some((head, rest)) => {
                let Some(Kind::Ref(target)) = schema::field_kind(table, head) else {
                    return String::new();
                };
                let Some(id) = row.get(head).filter(|v| !v.is_empty()) else {
                    return String::new();
                };
                match self.find_in(target, id) {
                    Some((t, r)) => self.field(t, r, rest),
                    None => String::new(),
                }
            }
        }
    }

    fn choice_label(&self, table: &str, element: &str, value: &str) -> Option<String> {
        let storage = schema::storage_of(table);
        let owners: Vec<&str> = if TASK_TABLES.contains(&storage) {
            vec![storage, "task"]
        } else {
            vec![storage]
        };
        owners.into_iter().find_map(|owner| {
            self.rows("sys_choice")
                .iter()
                .find(|c| {
                    c.get("name").map(String::as_str) == Some(owner)
                        && c.get("element").map(String::as_str) == Some(element)
                        && c.get("value").map(String::as_str) == Some(value)
                })
                .and_then(|c| c.get("label").cloned())
        })
    }

    fn display_of(&self, table: &str, field: &str, value: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        match schema::field_kind(table, field) {
            Some(Kind::Choice) => self
                .choice_label(table, field, value)
                .unwrap_or_else(|| value.to_owned()),
            Some(Kind::Ref(target)) => match self.find_in(target, value) {
                Some((t, r)) => r
                    .get(schema::display_field(schema::storage_of(t)))
                    .cloned()
                    .unwrap_or_default(),
                None => String::new(),
            },
            _ => value.to_owned(),
        }
    }

    fn render_field(
        &self,
        table: &str,
        row: &Row,
        path: &str,
        mode: DisplayMode,
        exclude_links: bool,
        base: &str,
    ) -> Value {
        // The table and field the (possibly dot-walked) path ends on.
        let (owner_table, owner_row, leaf) = self.walk(table, row, path);
        let value = owner_row
            .and_then(|r| r.get(leaf).cloned())
            .unwrap_or_default();
        let kind = schema::field_kind(&owner_table, leaf);
        let display = || self.display_of(&owner_table, leaf, &value);
        match kind {
            Some(Kind::Ref(target)) => {
                let link = (!exclude_links && !value.is_empty()).then(|| {
                    let t = match self.find_in(target, &value) {
                        Some((t, _)) => t.to_owned(),
                        None => target.to_owned(),
                    };
                    format!("{base}/api/now/table/{t}/{value}")
                });
                match mode {
                    DisplayMode::Value => match link {
                        Some(l) => json!({"link": l, "value": value}),
                        None => json!(value),
                    },
                    DisplayMode::Display => json!(display()),
                    DisplayMode::All => match link {
                        Some(l) => json!({"display_value": display(), "link": l, "value": value}),
                        None => json!({"display_value": display(), "value": value}),
                    },
                }
            }
            _ => match mode {
                DisplayMode::Value => json!(value),
                DisplayMode::Display => json!(display()),
                DisplayMode::All => json!({"display_value": display(), "value": value}),
            },
        }
    }

    fn walk<'a>(
        &'a self,
        table: &str,
        row: &'a Row,
        path: &'a str,
    ) -> (String, Option<&'a Row>, &'a str) {
        match path.split_once('.') {
            None => (table.to_owned(), Some(row), path),
            Some((head, rest)) => {
                let Some(Kind::Ref(target)) = schema::field_kind(table, head) else {
                    return (table.to_owned(), None, path);
                };
                let id = row.get(head).map(String::as_str).unwrap_or_default();
                match self.find_in(target, id) {
                    Some((t, r)) => self.walk(t, r, rest),
                    None => (
                        target.to_owned(),
                        None,
                        rest.rsplit('.').next().unwrap_or(rest),
                    ),
                }
            }
        }
    }

    /// A record as the Table API sends it.
    pub(crate) fn render(
        &self,
        table: &str,
        row: &Row,
        fields: Option<&[String]>,
        mode: DisplayMode,
        exclude_links: bool,
        base: &str,
    ) -> Value {
        let mut out = Map::new();
        match fields {
            Some(list) => {
                for f in list {
                    if schema::knows_path(table, f) {
                        out.insert(
                            f.clone(),
                            self.render_field(table, row, f, mode, exclude_links, base),
                        );
                    }
                }
            }
            None => {
                for k in row.keys() {
                    out.insert(
                        k.clone(),
                        self.render_field(table, row, k, mode, exclude_links, base),
                    );
                }
            }
        }
        Value::Object(out)
    }

    /// The records of `table` matching `query`, ordered; then the page
    /// `[offset, offset + limit)` — *before* hiding the records the API user
    /// may not read (the limit is applied before ACLs, as on a real instance).
    /// Returns the visible records of the page and the total match count.
    pub(crate) fn list(
        &self,
        table: &str,
        query: &Parsed,
        limit: usize,
        offset: usize,
    ) -> (Vec<&Row>, usize) {
        let storage = schema::storage_of(table);
        let class_filter = (storage == "cmdb_ci" && table != "cmdb_ci").then_some(table);
        let matched: Vec<&Row> = self
            .rows(storage)
            .iter()
            .filter(|r| {
                class_filter.is_none_or(|c| r.get("sys_class_name").map(String::as_str) == Some(c))
            })
            .filter(|r| {
                query.matches(
                    &|f| self.field(table, r, f),
                    &|| r.values().cloned().collect::<Vec<_>>().join(" "),
                    &|f| storage == "sys_user" && f == "roles",
                )
            })
            .collect();
        // Each row's sort keys are read once (not twice per comparison), so
        // that paging a large table costs O(n log n) comparisons of ready
        // keys per page; a stable sort keeps insertion order among equals.
        let keys: Vec<Vec<SortKey>> = matched
            .iter()
            .map(|r| {
                query
                    .order
                    .iter()
                    .map(|(f, _)| SortKey::new(self.field(table, r, f)))
                    .collect()
            })
            .collect();
        let mut order: Vec<usize> = (0..matched.len()).collect();
        order.sort_by(|&a, &b| {
            for (k, (_, desc)) in query.order.iter().enumerate() {
                let o = compare_keys(&keys[a][k], &keys[b][k]);
                let o = if *desc { o.reverse() } else { o };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        let total = matched.len();
        let page = order
            .into_iter()
            .map(|i| matched[i])
            .skip(offset)
            .take(limit)
            .filter(|r| r.get("sys_id").is_none_or(|id| !self.hidden.contains(id)))
            .collect();
        (page, total)
    }

    fn journal(&mut self, table: &str, sys_id: &str, element: &str, text: &str, actor: &Actor) {
        let now = self.now();
        let id = self.new_sys_id();
        let row: Row = [
            ("sys_id", id.as_str()),
            ("element", element),
            ("element_id", sys_id),
            ("name", table),
            ("value", text),
            ("sys_created_on", now.as_str()),
            ("sys_created_by", actor.user_name.as_str()),
            ("sys_tags", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        self.push_row("sys_journal_field".to_owned(), row);
        self.audit(table, sys_id, element, "", text, actor, "0");
    }

    #[allow(clippy::too_many_arguments)]
    fn audit(
        &mut self,
        table: &str,
        sys_id: &str,
        field: &str,
        old: &str,
        new: &str,
        actor: &Actor,
        checkpoint: &str,
    ) {
        let now = self.now();
        let id = self.new_sys_id();
        let row: Row = [
            ("sys_id", id.as_str()),
            ("tablename", table),
            ("fieldname", field),
            ("documentkey", sys_id),
            ("user", actor.user_name.as_str()),
            ("oldvalue", old),
            ("newvalue", new),
            ("reason", ""),
            ("record_checkpoint", checkpoint),
            ("sys_created_on", now.as_str()),
            ("sys_created_by", actor.user_name.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        self.push_row("sys_audit".to_owned(), row);
    }

    /// Applies a request body to a row; journal fields are returned to be
    /// written after the row is stored.
    fn apply(table: &str, row: &mut Row, body: &Map<String, Value>) -> Vec<(String, String)> {
        let mut journals = Vec::new();
        for (k, v) in body {
            if k == "sys_id" || k.starts_with("sys_") && k != "sys_class_name" {
                continue;
            }
            match schema::field_kind(table, k) {
                // Invalid fields are ignored, as on a real instance.
                None => {}
                Some(Kind::Journal) => {
                    let text = json_to_text(v);
                    if !text.is_empty() {
                        journals.push((k.clone(), text));
                    }
                }
                Some(_) => {
                    row.insert(k.clone(), json_to_text(v));
                }
            }
        }
        journals
    }

    fn task_rules(table: &str, row: &mut Row, now: &str, actor: &Actor, was_active: bool) {
        if table == "incident" {
            let p = priority_lookup(
                row.get("impact").map_or("3", String::as_str),
                row.get("urgency").map_or("3", String::as_str),
            );
            row.insert("priority".to_owned(), p.to_owned());
            let state = row.get("state").cloned().unwrap_or_default();
            row.insert("incident_state".to_owned(), state.clone());
            if state == "6" && row.get("resolved_at").is_none_or(String::is_empty) {
                row.insert("resolved_at".to_owned(), now.to_owned());
                row.insert("resolved_by".to_owned(), actor.sys_id.clone());
            }
        }
        let state = row.get("state").cloned().unwrap_or_default();
        let active = !inactive_states(table).contains(&state.as_str());
        row.insert("active".to_owned(), active.to_string());
        if was_active && !active {
            row.insert("closed_at".to_owned(), now.to_owned());
            row.insert("closed_by".to_owned(), actor.sys_id.clone());
        }
    }

    /// Inserts a record (POST).
    pub(crate) fn insert(
        &mut self,
        table: &str,
        body: &Map<String, Value>,
        actor: &Actor,
    ) -> Result<Row, ApiErr> {
        let storage = schema::storage_of(table).to_owned();
        let now = self.now();
        let sys_id = self.new_sys_id();
        let mut row = Row::new();
        let journals = Store::apply(table, &mut row, body);
        row.insert("sys_id".to_owned(), sys_id.clone());
        row.insert("sys_created_on".to_owned(), now.clone());
        row.insert("sys_updated_on".to_owned(), now.clone());
        row.insert("sys_created_by".to_owned(), actor.user_name.clone());
        row.insert("sys_updated_by".to_owned(), actor.user_name.clone());
        row.insert("sys_mod_count".to_owned(), "0".to_owned());
        if let Some(prefix) = number_prefix(&storage) {
            if row.get("number").is_none_or(String::is_empty) {
                let n = self.next_number(prefix);
                row.insert("number".to_owned(), n);
            }
        }
        let is_task = TASK_TABLES.contains(&storage.as_str());
        if is_task {
            row.entry("state".to_owned())
                .or_insert_with(|| "1".to_owned());
            row.entry("impact".to_owned())
                .or_insert_with(|| "3".to_owned());
            row.entry("urgency".to_owned())
                .or_insert_with(|| "3".to_owned());
            row.entry("priority".to_owned())
                .or_insert_with(|| "4".to_owned());
            row.entry("opened_at".to_owned())
                .or_insert_with(|| now.clone());
            row.entry("opened_by".to_owned())
                .or_insert_with(|| actor.sys_id.clone());
            row.entry("approval".to_owned())
                .or_insert_with(|| "not requested".to_owned());
            row.entry("escalation".to_owned())
                .or_insert_with(|| "0".to_owned());
            for f in schema_task_text_defaults() {
                row.entry((*f).to_owned()).or_default();
            }
            for f in ["work_notes", "comments", "comments_and_work_notes"] {
                row.insert(f.to_owned(), String::new());
            }
            Store::task_rules(&storage, &mut row, &now, actor, true);
        }
        if is_task || storage == "cmdb_ci" {
            row.insert(
                "sys_class_name".to_owned(),
                schema::class_name(table).to_owned(),
            );
        }
        match storage.as_str() {
            "sys_user" => {
                let first = row.get("first_name").cloned().unwrap_or_default();
                let last = row.get("last_name").cloned().unwrap_or_default();
                let name = format!("{first} {last}").trim().to_owned();
                row.insert("name".to_owned(), name);
                row.entry("active".to_owned())
                    .or_insert_with(|| "true".to_owned());
            }
            "task_time_worked" => {
                row.entry("user".to_owned())
                    .or_insert_with(|| actor.sys_id.clone());
                if let Some(secs) = row
                    .get("time_worked")
                    .and_then(|t| crate::models::parse_glide_duration(t))
                {
                    row.insert("time_in_seconds".to_owned(), secs.as_secs().to_string());
                }
            }
            "cmdb_ci" => {
                row.entry("install_status".to_owned())
                    .or_insert_with(|| "1".to_owned());
            }
            _ => {}
        }
        data_policy(&storage, &row)?;
        self.push_row(storage.clone(), row);
        for (element, text) in journals {
            self.journal(&storage, &sys_id, &element, &text, actor);
        }
        self.get(table, &sys_id)
            .cloned()
            .ok_or_else(ApiErr::not_found)
    }

    /// Updates a record (PATCH / PUT).
    pub(crate) fn update(
        &mut self,
        table: &str,
        sys_id: &str,
        body: &Map<String, Value>,
        actor: &Actor,
    ) -> Result<Row, ApiErr> {
        if self.get(table, sys_id).is_none() || self.hidden.contains(sys_id) {
            return Err(ApiErr::not_found());
        }
        let storage = schema::storage_of(table).to_owned();
        let now = self.now();
        let rows = self.tables.entry(storage.clone()).or_default();
        let Some(row) = rows
            .iter_mut()
            .find(|r| r.get("sys_id").is_some_and(|id| id == sys_id))
        else {
            return Err(ApiErr::not_found());
        };
        let before = row.clone();
        let journals = Store::apply(table, row, body);
        if TASK_TABLES.contains(&storage.as_str()) {
            let was_active = before.get("active").is_none_or(|a| a == "true");
            Store::task_rules(&storage, row, &now, actor, was_active);
        }
        if let Err(e) = data_policy(&storage, row) {
            // The save is refused whole: nothing changes, no journal entry.
            *row = before;
            return Err(e);
        }
        let changed = row != &before || !journals.is_empty();
        let mod_count = before
            .get("sys_mod_count")
            .and_then(|c| c.parse::<u64>().ok())
            .unwrap_or(0)
            + u64::from(changed);
        if changed {
            row.insert("sys_updated_on".to_owned(), now);
            row.insert("sys_updated_by".to_owned(), actor.user_name.clone());
            row.insert("sys_mod_count".to_owned(), mod_count.to_string());
        }
        if storage == "task_time_worked" {
            if let Some(secs) = row
                .get("time_worked")
                .and_then(|t| crate::models::parse_glide_duration(t))
            {
                row.insert("time_in_seconds".to_owned(), secs.as_secs().to_string());
            }
        }
        let after = row.clone();
        if TASK_TABLES.contains(&storage.as_str()) {
            for (k, new) in &after {
                let old = before.get(k).cloned().unwrap_or_default();
                if &old != new && !k.starts_with("sys_") {
                    self.audit(
                        &storage,
                        sys_id,
                        k,
                        &old,
                        new,
                        actor,
                        &mod_count.to_string(),
                    );
                }
            }
        }
        for (element, text) in journals {
            self.journal(&storage, sys_id, &element, &text, actor);
        }
        self.get(table, sys_id)
            .cloned()
            .ok_or_else(ApiErr::not_found)
    }

    /// Deletes a record.
    pub(crate) fn delete(&mut self, table: &str, sys_id: &str) -> Result<(), ApiErr> {
        if self.get(table, sys_id).is_none() || self.hidden.contains(sys_id) {
            return Err(ApiErr::not_found());
        }
        let storage = schema::storage_of(table).to_owned();
        if let Some(rows) = self.tables.get_mut(&storage) {
            rows.retain(|r| r.get("sys_id").is_none_or(|id| id != sys_id));
            // Positions after the deleted row moved: re-index the table.
            self.by_id.remove(sys_id);
            for (i, r) in rows.iter().enumerate() {
                if let Some(id) = r.get("sys_id") {
                    self.by_id.insert(id.clone(), (storage.clone(), i));
                }
            }
        }
        Ok(())
    }

    /// A user by login name.
    pub(crate) fn user_by_name(&self, user_name: &str) -> Option<Actor> {
        self.rows("sys_user")
            .iter()
            .find(|u| u.get("user_name").map(String::as_str) == Some(user_name))
            .map(|u| Actor {
                sys_id: u.get("sys_id").cloned().unwrap_or_default(),
                user_name: user_name.to_owned(),
            })
    }
}

/// Task fields a new record gets as empty strings, as the Table API shows them.
fn schema_task_text_defaults() -> &'static [&'static str] {
    &[
        "short_description",
        "description",
        "assignment_group",
        "assigned_to",
        "company",
        "closed_at",
        "closed_by",
        "close_notes",
        "parent",
        "cmdb_ci",
        "due_date",
        "sla_due",
        "time_worked",
        "contact_type",
        "watch_list",
        "work_notes_list",
        "correlation_id",
    ]
}
