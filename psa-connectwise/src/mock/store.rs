//! The simulator's state: its records, the member tokens it issued, its
//! counters and the faults a test injected.
//!
//! Records are kept as ConnectWise JSON (`serde_json::Value`) so that
//! conditions, `fields`, `orderBy` and JSON-Patch apply to them exactly as
//! they apply to what a client receives.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The collections the simulator keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Coll {
    Tickets,
    Notes,
    Time,
    Companies,
    Contacts,
    Configurations,
    Schedule,
    Catalog,
    Products,
    Agreements,
    Slas,
    Projects,
    Kb,
    Boards,
    Statuses,
    Types,
    Subtypes,
    Items,
    Priorities,
    Members,
    WorkTypes,
    Callbacks,
    Audit,
    Documents,
    UserDefinedFields,
}

/// A document's content and the record it is attached to (its metadata is
/// in [`Coll::Documents`]).
#[derive(Debug, Clone)]
pub(crate) struct StoredDocument {
    pub(crate) record_type: String,
    pub(crate) record_id: i64,
    pub(crate) content_type: String,
    pub(crate) data: Vec<u8>,
}

/// A member token issued by `POST /system/members/{id}/tokens`.
#[derive(Debug, Clone)]
pub(crate) struct IssuedToken {
    pub(crate) public_key: String,
    pub(crate) private_key: String,
    pub(crate) member: String,
    pub(crate) expires: DateTime<Utc>,
}

/// Everything the simulator knows.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) colls: BTreeMap<Coll, BTreeMap<i64, Value>>,
    pub(crate) next_id: i64,
    pub(crate) tokens: Vec<IssuedToken>,
    pub(crate) signing_keys: BTreeMap<i64, String>,
    pub(crate) site: String,
    pub(crate) documents: BTreeMap<i64, StoredDocument>,
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    crate::models::format_timestamp(t)
}

impl State {
    pub(crate) fn coll(&self, c: Coll) -> &BTreeMap<i64, Value> {
        static EMPTY: BTreeMap<i64, Value> = BTreeMap::new();
        self.colls.get(&c).unwrap_or(&EMPTY)
    }

    pub(crate) fn coll_mut(&mut self, c: Coll) -> &mut BTreeMap<i64, Value> {
        self.colls.entry(c).or_default()
    }

    pub(crate) fn get(&self, c: Coll, id: i64) -> Option<&Value> {
        self.coll(c).get(&id)
    }

    pub(crate) fn insert(&mut self, c: Coll, id: i64, v: Value) {
        self.coll_mut(c).insert(id, v);
    }

    pub(crate) fn fresh_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// A reference `{id, name}` to a record, by id, with its display name.
    pub(crate) fn reference(&self, c: Coll, id: i64) -> Option<Value> {
        let r = self.get(c, id)?;
        let mut out = json!({ "id": id });
        match c {
            Coll::Companies => {
                out["identifier"] = r["identifier"].clone();
                out["name"] = r["name"].clone();
            }
            Coll::Members => {
                out["identifier"] = r["identifier"].clone();
                out["name"] = json!(format!(
                    "{} {}",
                    r["firstName"].as_str().unwrap_or_default(),
                    r["lastName"].as_str().unwrap_or_default()
                ));
            }
            Coll::Contacts => {
                out["name"] = json!(format!(
                    "{} {}",
                    r["firstName"].as_str().unwrap_or_default(),
                    r["lastName"].as_str().unwrap_or_default()
                ));
            }
            Coll::Tickets => out["summary"] = r["summary"].clone(),
            Coll::Priorities => {
                out["name"] = r["name"].clone();
                out["sort"] = r["sortOrder"].clone();
                out["level"] = r["level"].clone();
            }
            Coll::Statuses => {
                out["name"] = r["name"].clone();
                out["sort"] = r["sortOrder"].clone();
            }
            Coll::Catalog => {
                out["identifier"] = r["identifier"].clone();
                out["name"] = r["description"].clone();
            }
            _ => out["name"] = r["name"].clone(),
        }
        Some(out)
    }

    /// The member a login identifier names.
    pub(crate) fn member_by_identifier(&self, identifier: &str) -> Option<i64> {
        self.coll(Coll::Members).iter().find_map(|(id, m)| {
            m["identifier"]
                .as_str()
                .is_some_and(|i| i.eq_ignore_ascii_case(identifier))
                .then_some(*id)
        })
    }

    /// The default status of a board.
    pub(crate) fn default_status(&self, board: i64) -> Option<i64> {
        self.coll(Coll::Statuses)
            .iter()
            .filter(|(_, s)| s["board"]["id"].as_i64() == Some(board))
            .find(|(_, s)| s["defaultFlag"].as_bool() == Some(true))
            .map(|(id, _)| *id)
    }

    /// Records an audit-trail entry of a ticket.
    pub(crate) fn audit(
        &mut self,
        ticket: i64,
        sub_type: &str,
        text: &str,
        by: &str,
        when: DateTime<Utc>,
    ) {
        let id = self.fresh_id();
        self.insert(
            Coll::Audit,
            id,
            json!({
                "text": text,
                "enteredDate": ts(when),
                "enteredBy": by,
                "auditType": "Ticket",
                "auditSubType": sub_type,
                "auditSource": "API",
                "_ticket": ticket,
            }),
        );
    }
}

/// Settings of a running simulator.
#[derive(Debug, Clone)]
pub(crate) struct MockConfig {
    pub(crate) company_id: String,
    pub(crate) public_key: String,
    pub(crate) private_key: String,
    pub(crate) client_id: String,
    pub(crate) codebase: String,
    pub(crate) api_member: String,
    pub(crate) token_lifetime: chrono::Duration,
    pub(crate) rate_limit_every: Option<u64>,
}

/// Request counters.
#[derive(Debug, Default, Clone)]
pub(crate) struct Counters {
    pub(crate) total: u64,
    pub(crate) api: u64,
    pub(crate) per_path: BTreeMap<String, u64>,
    pub(crate) key_requests: u64,
    pub(crate) companyinfo_requests: u64,
    pub(crate) unexpected: u64,
    pub(crate) unauthorized: u64,
    pub(crate) rate_limited: u64,
    pub(crate) accept_versions: Vec<String>,
    pub(crate) write_identities: Vec<String>,
}

/// Faults a test injects.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pub(crate) next_429: u32,
    pub(crate) retry_after_secs: u64,
}

/// State shared by the router and the [`ConnectWiseMock`](super::ConnectWiseMock) handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) cfg: MockConfig,
    pub(crate) state: Mutex<State>,
    pub(crate) counters: Mutex<Counters>,
    pub(crate) faults: Mutex<Faults>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
