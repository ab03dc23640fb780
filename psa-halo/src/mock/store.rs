//! The simulator's state: every record of the simulated tenant, kept as
//! Halo JSON objects, and how its fields read.

use psa_core::Timestamp;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::seed::{API_AGENT_ID, CLOSED_STATUSES, GENERATED_BASE};

pub(crate) type Record = Map<String, Value>;
pub(crate) type Table = BTreeMap<i64, Record>;

/// A JSON object from a `json!` literal.
pub(crate) fn obj(v: Value) -> Record {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// An integer field (0 when absent).
pub(crate) fn int(r: &Record, k: &str) -> i64 {
    r.get(k).and_then(Value::as_i64).unwrap_or_default()
}

/// A number field (0 when absent).
pub(crate) fn num(r: &Record, k: &str) -> f64 {
    r.get(k).and_then(Value::as_f64).unwrap_or_default()
}

/// A text field (empty when absent).
pub(crate) fn string<'a>(r: &'a Record, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or_default()
}

/// A boolean field (false when absent).
pub(crate) fn boolean(r: &Record, k: &str) -> bool {
    r.get(k).and_then(Value::as_bool).unwrap_or_default()
}

/// A date field, read as Halo's dates are.
pub(crate) fn date(r: &Record, k: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    r.get(k)
        .and_then(Value::as_str)
        .and_then(Timestamp::parse)
        .and_then(|t| t.utc())
}

/// Every record of the simulated tenant.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) tickets: Table,
    /// Actions by (ticket, action number).
    pub(crate) actions: BTreeMap<(i64, i64), Record>,
    pub(crate) clients: Table,
    pub(crate) sites: Table,
    pub(crate) users: Table,
    pub(crate) agents: Table,
    pub(crate) teams: Table,
    pub(crate) statuses: Table,
    /// The statuses of ticket types that do not use every status (Halo
    /// scopes statuses by ticket type), by ticket type id.
    pub(crate) type_statuses: BTreeMap<i64, Vec<i64>>,
    pub(crate) priorities: Vec<Record>,
    pub(crate) ticket_types: Table,
    pub(crate) slas: Table,
    pub(crate) lookups: BTreeMap<i64, Vec<Record>>,
    pub(crate) assets: Table,
    pub(crate) items: Table,
    pub(crate) contracts: Table,
    pub(crate) kb: Table,
    pub(crate) appointments: Table,
    pub(crate) webhooks: BTreeMap<String, Record>,
    /// Attachments by id, as listed (without their content).
    pub(crate) attachments: Table,
    /// The content of each attachment.
    pub(crate) files: BTreeMap<i64, Vec<u8>>,
    /// Field definitions (`/FieldInfo`).
    pub(crate) fields: Vec<Record>,
    /// Audit records by ticket.
    pub(crate) audit: BTreeMap<i64, Vec<Record>>,
    /// Generated tickets (`GENERATED_BASE..GENERATED_BASE + generated`),
    /// synthesised on demand; those changed or deleted are in `tickets` /
    /// `deleted_generated`.
    pub(crate) generated: i64,
    pub(crate) deleted_generated: BTreeSet<i64>,
    pub(crate) next_item_line: i64,
    pub(crate) next_id: HashMap<&'static str, i64>,
}

/// Halo's date format: UTC without a zone.
pub(crate) fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string()
}

impl Store {
    /// The next id for a table, after the seeded ones.
    pub(crate) fn allocate(&mut self, table: &'static str) -> i64 {
        let start = match table {
            "tickets" => GENERATED_BASE * 10,
            "clients" | "users" | "assets" | "items" | "contracts" | "kb" => 5000,
            "appointments" => 9000,
            "notifications" => 900,
            "attachments" => 7100,
            "timesheet" => 30_000,
            _ => 100,
        };
        let next = self.next_id.entry(table).or_insert(start);
        *next += 1;
        *next
    }

    pub(crate) fn is_closed(status: i64) -> bool {
        CLOSED_STATUSES.contains(&status)
    }

    /// A generated ticket, synthesised from its number.
    pub(crate) fn generated_ticket(&self, id: i64) -> Option<Record> {
        let n = id - GENERATED_BASE;
        if n < 0 || n >= self.generated || self.deleted_generated.contains(&id) {
            return None;
        }
        Some(obj(json!({
            "id": id, "summary": format!("Generated ticket {n}"), "details": "Generated for paging benchmarks.",
            "status_id": 1, "tickettype_id": 1, "sla_id": 1, "priority_id": 4,
            "client_id": 14, "client_name": "Initech", "site_id": 35, "site_name": "Main",
            "user_id": 160, "user_name": "Peter Gibbons", "agent_id": 0, "team": "Service Desk", "team_id": 1,
            "dateoccurred": "2025-01-01T00:00:00", "dateclosed": "1900-01-01T00:00:00",
            "parent_id": 0, "merged_into_id": 0, "onhold": false, "timetaken": 0, "customfields": []
        })))
    }

    /// A ticket by id, stored or generated.
    pub(crate) fn ticket(&self, id: i64) -> Option<Record> {
        self.tickets
            .get(&id)
            .cloned()
            .or_else(|| self.generated_ticket(id))
    }

    /// A mutable stored ticket, materialising a generated one first.
    pub(crate) fn ticket_mut(&mut self, id: i64) -> Option<&mut Record> {
        if !self.tickets.contains_key(&id) {
            let t = self.generated_ticket(id)?;
            self.deleted_generated.insert(id);
            self.tickets.insert(id, t);
        }
        self.tickets.get_mut(&id)
    }

    /// Every ticket id in order (stored and generated), lazily.
    pub(crate) fn ticket_ids(&self) -> impl Iterator<Item = i64> + '_ {
        let generated = (GENERATED_BASE..GENERATED_BASE + self.generated)
            .filter(|id| !self.deleted_generated.contains(id));
        merge_sorted(self.tickets.keys().copied(), generated)
    }

    pub(crate) fn add_action_raw(&mut self, a: Record) {
        let t = a
            .get("ticket_id")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        let id = a.get("id").and_then(Value::as_i64).unwrap_or_default();
        self.actions.insert((t, id), a);
    }

    /// The next action number on a ticket.
    pub(crate) fn next_action_id(&self, ticket: i64) -> i64 {
        self.actions
            .range((ticket, i64::MIN)..=(ticket, i64::MAX))
            .next_back()
            .map_or(1, |((_, id), _)| id + 1)
    }

    /// Records an audit entry for a ticket field change.
    pub(crate) fn audit(&mut self, ticket: i64, field: &str, from: &Value, to: &Value) {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let list = self.audit.entry(ticket).or_default();
        let id = 10_000 + i64::try_from(list.len()).unwrap_or_default() + ticket * 100;
        list.push(obj(json!({
            "id": id, "ticket_id": ticket, "agent_id": API_AGENT_ID, "username": "API Integration",
            "date": now_text(), "value": field, "from": text(from), "to": text(to),
            "table_name": "FAULTS", "actoutcome": "Updated via API"
        })));
    }
}

/// Merges two ascending id sequences.
fn merge_sorted(
    a: impl Iterator<Item = i64>,
    b: impl Iterator<Item = i64>,
) -> impl Iterator<Item = i64> {
    let mut a = a.peekable();
    let mut b = b.peekable();
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if x <= y => a.next(),
        (Some(_) | None, Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, None) => None,
    })
}
