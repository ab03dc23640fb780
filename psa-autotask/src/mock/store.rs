//! The simulator's state: the records of the simulated database, the
//! counters tests read, and what creates, updates and deletes do to the
//! records (Autotask's required fields, references, picklist values and
//! ticket rules).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::seed::{self, API_USER_RESOURCE};

/// The records of the simulated database, by entity and id.
#[derive(Debug, Default)]
pub(crate) struct Store {
    tables: HashMap<&'static str, BTreeMap<i64, Value>>,
    next_id: i64,
}

/// Every entity the simulator knows, in canonical spelling.
pub(crate) const ENTITIES: &[&str] = &[
    "Tickets",
    "TicketNotes",
    "TimeEntries",
    "Companies",
    "Contacts",
    "ConfigurationItems",
    "ServiceCalls",
    "ServiceCallTickets",
    "ServiceCallTicketResources",
    "Products",
    "TicketCharges",
    "Contracts",
    "ServiceLevelAgreementResults",
    "Projects",
    "Resources",
    "Roles",
    "ResourceServiceDeskRoles",
    "BillingCodes",
    "KnowledgeBaseArticles",
    "ArticlePlainTextContent",
    "TicketCategories",
    "TicketHistory",
    "TicketWebhooks",
    "TicketWebhookFields",
    "TicketWebhookExcludedResources",
    "TicketAttachments",
];

/// The largest attachment the simulator takes (Autotask: 6–7 MB a file).
pub(crate) const MAX_ATTACHMENT_BYTES: usize = 7_000_000;

pub(crate) fn canonical(name: &str) -> Option<&'static str> {
    ENTITIES
        .iter()
        .copied()
        .find(|e| e.eq_ignore_ascii_case(name))
}

impl Store {
    /// Inserts (or replaces) a record under its `id`.
    pub(crate) fn insert(&mut self, entity: &str, record: Value) {
        let Some(entity) = canonical(entity) else {
            return;
        };
        let id = record.get("id").and_then(Value::as_i64).unwrap_or_default();
        self.next_id = self.next_id.max(id + 1);
        self.tables.entry(entity).or_default().insert(id, record);
    }

    /// A record.
    pub(crate) fn get(&self, entity: &str, id: i64) -> Option<&Value> {
        self.tables.get(canonical(entity)?)?.get(&id)
    }

    pub(crate) fn get_mut(&mut self, entity: &str, id: i64) -> Option<&mut Value> {
        self.tables.get_mut(canonical(entity)?)?.get_mut(&id)
    }

    pub(crate) fn remove(&mut self, entity: &str, id: i64) -> Option<Value> {
        self.tables.get_mut(canonical(entity)?)?.remove(&id)
    }

    pub(crate) fn table(&self, entity: &str) -> Option<&BTreeMap<i64, Value>> {
        canonical(entity).and_then(|e| self.tables.get(e))
    }

    pub(crate) fn new_id(&mut self) -> i64 {
        let id = self.next_id.max(1_000_000);
        self.next_id = id + 1;
        id
    }

    /// How many records an entity has.
    pub(crate) fn len(&self, entity: &str) -> usize {
        self.table(entity).map_or(0, BTreeMap::len)
    }
}

/// A write the simulator accepted, for tests to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteRecord {
    /// The HTTP method.
    pub method: String,
    /// The path (after `/V1.0/`).
    pub path: String,
    /// The `ImpersonationResourceId` header, when there was one.
    pub impersonation: Option<i64>,
}

/// Settings of the simulator.
#[derive(Debug, Clone)]
pub(crate) struct SimConfig {
    pub(crate) username: String,
    pub(crate) secret: String,
    pub(crate) integration_code: String,
    pub(crate) base_url: String,
    pub(crate) thread_limit: Option<usize>,
    pub(crate) hourly_budget: Option<i64>,
    pub(crate) threshold: i64,
    pub(crate) latency: Duration,
}

/// Counters the tests read.
#[derive(Debug, Default, Clone)]
pub(crate) struct Counters {
    pub(crate) total: u64,
    /// By (method, URL path in lower case without a trailing `/`).
    pub(crate) per_path: HashMap<(String, String), u64>,
    pub(crate) zone: u64,
    pub(crate) unexpected: u64,
    pub(crate) unauthorized: u64,
    pub(crate) thread_errors: u64,
    pub(crate) budget_errors: u64,
    pub(crate) threshold_reads: u64,
    /// By object endpoint, lower case.
    pub(crate) max_in_flight: HashMap<String, u64>,
}

impl Counters {
    /// Counts a request for `method` and `path` (the URL path as sent).
    pub(crate) fn count(&mut self, method: &str, path: &str) {
        self.total += 1;
        *self.per_path.entry(path_key(method, path)).or_default() += 1;
    }

    /// Requests for `method` and `path`, compared without case.
    pub(crate) fn requests_to(&self, method: &str, path: &str) -> u64 {
        self.per_path
            .get(&path_key(method, path))
            .copied()
            .unwrap_or_default()
    }
}

fn path_key(method: &str, path: &str) -> (String, String) {
    (
        method.to_ascii_uppercase(),
        path.trim_end_matches('/').to_ascii_lowercase(),
    )
}

/// The simulator.
#[derive(Debug)]
pub(crate) struct Sim {
    pub(crate) store: Store,
    pub(crate) config: SimConfig,
    pub(crate) counters: Counters,
    pub(crate) in_flight: HashMap<String, Vec<Instant>>,
    pub(crate) window: VecDeque<Instant>,
    pub(crate) other_usage: i64,
    /// The rolling window the hourly budget counts over (an hour; shorter
    /// only to scale a benchmark down in time).
    pub(crate) budget_window: Duration,
    pub(crate) writes: Vec<WriteRecord>,
    pub(crate) webhook_secrets: HashMap<i64, String>,
    /// The last `SequenceNumber` each webhook sent.
    pub(crate) webhook_sequence: HashMap<i64, i64>,
}

/// A reply: status, JSON body, and how long the server takes.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) delay: Duration,
}

pub(crate) fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        body,
        delay: Duration::ZERO,
    }
}

pub(crate) fn errors(status: u16, message: impl Into<String>) -> Reply {
    reply(status, json!({"errors": [message.into()]}))
}

fn now_text() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string()
}

pub(crate) fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

pub(crate) fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn field_i64(rec: &Value, key: &str) -> Option<i64> {
    rec.as_object().and_then(|o| int(get_ci(o, key)))
}

/// The instant of a date-time text, as Autotask reads one (`None` for
/// Autotask's "no date" and for text that is not a date-time).
pub(crate) fn instant(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    psa_core::Timestamp::parse(text).and_then(|t| t.utc())
}

/// The decoded size of a new file attachment's `data`: Autotask takes a
/// file as base64 and refuses one past its per-file limit.
fn attachment_size(rec: &Map<String, Value>) -> Result<usize, Reply> {
    let kind = rec.get("attachmentType").and_then(Value::as_str);
    if kind != Some("FILE_ATTACHMENT") {
        return Err(errors(
            500,
            "attachmentType must be FILE_ATTACHMENT for an attachment created through the API.",
        ));
    }
    let data = rec
        .get("data")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| errors(500, "Missing Required Field(s): data"))?;
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data)
        .map_err(|_| errors(500, "The attachment data is not valid base64."))?;
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(errors(
            500,
            format!(
                "The attachment exceeds the maximum file size of {MAX_ATTACHMENT_BYTES} bytes."
            ),
        ));
    }
    Ok(bytes.len())
}

/// `existing` UDFs with the ones in `changes` set by name (a `null` value
/// clears one, and stays present).
fn merge_udfs(existing: Option<&Value>, changes: &Value) -> Value {
    let mut out: Vec<Value> = existing
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for change in changes.as_array().into_iter().flatten() {
        let name = change.get("name").and_then(Value::as_str);
        match out
            .iter_mut()
            .find(|u| u.get("name").and_then(Value::as_str) == name)
        {
            Some(slot) => *slot = change.clone(),
            None => out.push(change.clone()),
        }
    }
    Value::Array(out)
}

/// The SLA due times Autotask computes for a new ticket with an SLA: first
/// response in an hour, resolution in eight (the simulator's SLAs).
fn sla_due_times(rec: &mut Map<String, Value>) {
    if rec
        .get("serviceLevelAgreementID")
        .is_none_or(Value::is_null)
    {
        return;
    }
    let at = |h: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(h))
            .format("%Y-%m-%dT%H:%M:%S%.3f")
            .to_string()
    };
    rec.insert("firstResponseDueDateTime".into(), json!(at(1)));
    rec.insert("resolvedDueDateTime".into(), json!(at(8)));
    rec.insert(
        "serviceLevelAgreementPausedNextEventHours".into(),
        json!(0.0),
    );
}

/// Fields a create (or an update's merged record) must carry, per entity.
const REQUIRED: &[(&str, &[&str])] = &[
    ("Tickets", &["companyID", "title", "status", "priority"]),
    (
        "TicketNotes",
        &["description", "noteType", "publish", "ticketID"],
    ),
    ("TimeEntries", &["resourceID", "roleID", "hoursWorked"]),
    ("Companies", &["companyName"]),
    (
        "Contacts",
        &["firstName", "lastName", "isActive", "companyID"],
    ),
    (
        "ConfigurationItems",
        &["companyID", "productID", "isActive"],
    ),
    (
        "ServiceCalls",
        &["companyID", "startDateTime", "endDateTime", "status"],
    ),
    ("ServiceCallTickets", &["ticketID"]),
    ("ServiceCallTicketResources", &["resourceID"]),
    (
        "TicketCharges",
        &[
            "name",
            "chargeType",
            "status",
            "unitQuantity",
            "isBillableToCompany",
        ],
    ),
    (
        "TicketWebhooks",
        &[
            "name",
            "webhookUrl",
            "deactivationUrl",
            "secretKey",
            "isActive",
        ],
    ),
    ("TicketWebhookFields", &["fieldID"]),
    (
        "TicketAttachments",
        &["title", "attachmentType", "publish", "parentID"],
    ),
    ("TicketWebhookExcludedResources", &["resourceID"]),
];

/// Reference fields that must name an existing record: (entity, field, target).
const REFERENCES: &[(&str, &str, &str)] = &[
    ("Tickets", "companyID", "Companies"),
    ("Tickets", "contactID", "Contacts"),
    ("Tickets", "assignedResourceID", "Resources"),
    ("Tickets", "problemTicketId", "Tickets"),
    ("TicketNotes", "ticketID", "Tickets"),
    ("TimeEntries", "ticketID", "Tickets"),
    ("TimeEntries", "resourceID", "Resources"),
    ("TimeEntries", "roleID", "Roles"),
    ("TimeEntries", "billingCodeID", "BillingCodes"),
    ("ConfigurationItems", "companyID", "Companies"),
    ("ConfigurationItems", "productID", "Products"),
    ("ServiceCalls", "companyID", "Companies"),
    ("ServiceCallTickets", "ticketID", "Tickets"),
    ("ServiceCallTicketResources", "resourceID", "Resources"),
    ("TicketCharges", "productID", "Products"),
    ("TicketWebhookExcludedResources", "resourceID", "Resources"),
    ("TicketAttachments", "parentID", "Tickets"),
];

impl Sim {
    pub(crate) fn new(config: SimConfig, seeded: bool, generated: u64) -> Sim {
        let mut store = Store::default();
        if seeded {
            seed::seed(&mut store);
        }
        seed::generate_tickets(&mut store, generated);
        Sim {
            store,
            config,
            counters: Counters::default(),
            in_flight: HashMap::new(),
            window: VecDeque::new(),
            other_usage: 0,
            budget_window: Duration::from_secs(3600),
            writes: Vec::new(),
            webhook_secrets: HashMap::new(),
            webhook_sequence: HashMap::new(),
        }
    }

    /// Requests counted against the hour, by this and (simulated) other integrations.
    pub(crate) fn usage(&mut self, now: Instant) -> i64 {
        let hour = self.budget_window;
        while self
            .window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= hour)
        {
            self.window.pop_front();
        }
        i64::try_from(self.window.len()).unwrap_or(i64::MAX) + self.other_usage
    }
}

/// What writes do to the records.
impl Sim {
    fn picklist_ok(entity: &str, field: &str, value: &Value) -> bool {
        let fields = seed::field_info(entity);
        let Some(f) = fields.iter().find(|f| f["name"].as_str() == Some(field)) else {
            return true;
        };
        let Some(values) = f["picklistValues"].as_array() else {
            return true;
        };
        let Some(v) = int(Some(value)) else {
            return false;
        };
        values.iter().any(|p| {
            p["value"].as_str().and_then(|s| s.parse::<i64>().ok()) == Some(v)
                && p["isActive"] == json!(true)
        })
    }

    fn validate(&self, entity: &str, rec: &Map<String, Value>) -> Result<(), Reply> {
        let has = |k: &str| get_ci(rec, k).is_some_and(|v| !v.is_null() && v != &json!(""));
        for (k, v) in rec {
            if !v.is_null() && !Self::picklist_ok(entity, k, v) {
                return Err(errors(
                    500,
                    format!("Value {v} is not valid for field {k}."),
                ));
            }
        }
        if let Some((_, fields)) = REQUIRED.iter().find(|(e, _)| *e == entity) {
            let absent: Vec<&str> = fields.iter().copied().filter(|f| !has(f)).collect();
            if !absent.is_empty() {
                return Err(errors(
                    500,
                    format!("Missing Required Field(s): {}", absent.join(", ")),
                ));
            }
        }
        for (_, field, target) in REFERENCES.iter().filter(|(e, _, _)| *e == entity) {
            if let Some(id) = int(get_ci(rec, field)) {
                if self.store.get(target, id).is_none() {
                    return Err(errors(
                        500,
                        format!(
                            "Value {id} for field {field} does not reference an existing {target} record."
                        ),
                    ));
                }
            }
        }
        match entity {
            "Tickets" => self.ticket_rules(rec),
            "TimeEntries" => Self::time_entry_rules(rec),
            _ => Ok(()),
        }
    }

    fn ticket_rules(&self, rec: &Map<String, Value>) -> Result<(), Reply> {
        let has = |k: &str| get_ci(rec, k).is_some_and(|v| !v.is_null());
        if !has("queueID") && !has("assignedResourceID") {
            return Err(errors(
                500,
                "A ticket needs a queueID or an assignedResourceID.",
            ));
        }
        if has("assignedResourceID") && !has("assignedResourceRoleID") {
            return Err(errors(
                500,
                "assignedResourceRoleID is required when assignedResourceID is set.",
            ));
        }
        if let (Some(contact), Some(company)) =
            (int(get_ci(rec, "contactID")), int(get_ci(rec, "companyID")))
        {
            let of = self
                .store
                .get("Contacts", contact)
                .and_then(|c| field_i64(c, "companyID"));
            if of.is_some_and(|of| of != company) {
                return Err(errors(
                    500,
                    format!(
                        "Contact {contact} does not belong to company {company}: the ticket's contact must be a contact of its company."
                    ),
                ));
            }
        }
        if get_ci(rec, "description")
            .and_then(Value::as_str)
            .is_some_and(|d| d.chars().count() > 8000)
        {
            return Err(errors(
                500,
                "Value for field description exceeds the maximum length of 8000.",
            ));
        }
        if let Some(p) = int(get_ci(rec, "problemTicketId")) {
            let parent_type = self
                .store
                .get("Tickets", p)
                .and_then(|t| field_i64(t, "ticketType"));
            if parent_type != Some(3) {
                return Err(errors(
                    500,
                    format!(
                        "Ticket {p} is not a Problem ticket; incidents can only be linked to a problem ticket."
                    ),
                ));
            }
        }
        Ok(())
    }

    fn time_entry_rules(rec: &Map<String, Value>) -> Result<(), Reply> {
        let has = |k: &str| get_ci(rec, k).is_some_and(|v| !v.is_null());
        if !has("ticketID") && !has("taskID") {
            return Err(errors(500, "A time entry needs a ticketID or a taskID."));
        }
        if !has("startDateTime") && !has("dateWorked") {
            return Err(errors(500, "Missing Required Field(s): dateWorked"));
        }
        let time = |k: &str| get_ci(rec, k).and_then(Value::as_str).and_then(instant);
        if let (Some(s), Some(e)) = (time("startDateTime"), time("endDateTime")) {
            if e <= s {
                return Err(errors(500, "endDateTime must be after startDateTime."));
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_lines)] // one arm of what Autotask stamps per entity
    pub(crate) fn create(
        &mut self,
        entity: &str,
        body: Value,
        parent: Option<(&str, i64)>,
        imp: Option<i64>,
    ) -> Reply {
        let Value::Object(mut rec) = body else {
            return errors(400, "The request body is not a JSON object.");
        };
        rec.retain(|k, _| !k.eq_ignore_ascii_case("id"));
        if let Some((fk, pid)) = parent {
            if fk == "id" {
                return errors(
                    405,
                    "This child collection cannot be created through the API.",
                );
            }
            rec.retain(|k, _| !k.eq_ignore_ascii_case(fk));
            rec.insert(fk.to_owned(), json!(pid));
        }
        if let Err(r) = self.validate(entity, &rec) {
            return r;
        }
        let id = self.store.new_id();
        rec.insert("id".into(), json!(id));
        let now = now_text();
        let creator = imp.unwrap_or(API_USER_RESOURCE);
        match entity {
            "Tickets" => {
                rec.insert(
                    "ticketNumber".into(),
                    json!(format!(
                        "T{}.{:04}",
                        chrono::Utc::now().format("%Y%m%d"),
                        id % 10_000
                    )),
                );
                rec.insert("createDate".into(), json!(now));
                rec.insert("lastActivityDate".into(), json!(now));
                rec.insert("creatorResourceID".into(), json!(creator));
                if rec.get("status").and_then(|v| int(Some(v))) == Some(5) {
                    rec.insert("completedDate".into(), json!(now));
                    rec.insert("resolvedDateTime".into(), json!(now));
                }
                // Autotask computes the SLA's due times from the creation time.
                sla_due_times(&mut rec);
            }
            "TicketNotes" => {
                rec.insert("createDateTime".into(), json!(now));
                rec.insert("lastActivityDate".into(), json!(now));
                rec.insert("creatorResourceID".into(), json!(creator));
            }
            "TimeEntries" => {
                rec.insert("createDateTime".into(), json!(now));
                rec.insert("creatorUserID".into(), json!(creator));
                rec.insert(
                    "resourceID".into(),
                    rec.get("resourceID").cloned().unwrap_or(json!(creator)),
                );
            }
            "ServiceCalls" => {
                rec.insert("createDateTime".into(), json!(now));
                rec.insert("creatorResourceID".into(), json!(creator));
            }
            "TicketAttachments" => match attachment_size(&rec) {
                Ok(size) => {
                    rec.insert("fileSize".into(), json!(size));
                    rec.insert("ticketID".into(), rec["parentID"].clone());
                    rec.insert("attachDate".into(), json!(now));
                    rec.insert("attachedByResourceID".into(), json!(creator));
                }
                Err(r) => return r,
            },
            "TicketWebhooks" => {
                if let Some(Value::String(s)) = rec.get("secretKey") {
                    self.webhook_secrets.insert(id, s.clone());
                }
                rec.insert(
                    "webhookGUID".into(),
                    json!(format!("{:08x}-0000-4000-8000-{:012x}", id, id)),
                );
                rec.insert("isReady".into(), json!(false));
            }
            "TicketWebhookFields" if rec.get("isSubscribedField") == Some(&json!(true)) => {
                if let Some(w) =
                    parent.and_then(|(_, pid)| self.store.get_mut("TicketWebhooks", pid))
                {
                    w["isReady"] = json!(true);
                }
            }
            _ => {}
        }
        if imp.is_some()
            && matches!(
                entity,
                "Tickets" | "TicketNotes" | "TimeEntries" | "ServiceCalls" | "TicketAttachments"
            )
        {
            rec.insert(
                "impersonatorCreatorResourceID".into(),
                json!(API_USER_RESOURCE),
            );
        }
        if entity == "TicketNotes" {
            if let Some(t) = int(rec.get("ticketID")).and_then(|t| self.store.get_mut("Tickets", t))
            {
                t["lastActivityDate"] = json!(now);
            }
        }
        self.store.insert(entity, Value::Object(rec));
        if entity == "Tickets" {
            self.history(id, "Created", "Ticket created through the API", creator);
        }
        reply(200, json!({"itemId": id}))
    }

    pub(crate) fn history(&mut self, ticket: i64, action: &str, detail: &str, who: i64) {
        let id = self.store.new_id();
        self.store.insert(
            "TicketHistory",
            json!({"id": id, "ticketID": ticket, "action": action, "detail": detail,
                   "date": now_text(), "resourceID": who}),
        );
    }

    pub(crate) fn update(
        &mut self,
        entity: &str,
        body: Value,
        replace: bool,
        parent: Option<(&str, i64)>,
        imp: Option<i64>,
    ) -> Reply {
        let Value::Object(mut changes) = body else {
            return errors(400, "The request body is not a JSON object.");
        };
        let Some(id) = int(get_ci(&changes, "id")) else {
            return errors(
                500,
                "The id of the record to update is missing from the body.",
            );
        };
        changes.retain(|k, _| !k.eq_ignore_ascii_case("id"));
        let Some(existing) = self.store.get(entity, id).cloned() else {
            return errors(404, format!("{entity} with id {id} was not found."));
        };
        if let Some((fk, pid)) = parent {
            if field_i64(&existing, fk) != Some(pid) {
                return errors(
                    404,
                    format!("{entity} with id {id} was not found under {pid}."),
                );
            }
        }
        let mut merged = if replace {
            let mut m = Map::new();
            m.insert("id".into(), json!(id));
            if let Some((fk, pid)) = parent {
                m.insert(fk.to_owned(), json!(pid));
            }
            m
        } else {
            existing.as_object().cloned().unwrap_or_default()
        };
        let mut diffs = Vec::new();
        for (k, mut v) in changes {
            let key = merged
                .keys()
                .find(|e| e.eq_ignore_ascii_case(&k))
                .cloned()
                .unwrap_or(k);
            if key == "userDefinedFields" && !replace {
                // Autotask updates the UDFs named in the body, by name.
                v = merge_udfs(merged.get(&key), &v);
            }
            if merged.get(&key) != Some(&v) {
                diffs.push((
                    key.clone(),
                    merged.get(&key).cloned().unwrap_or(Value::Null),
                    v.clone(),
                ));
            }
            merged.insert(key, v);
        }
        if let Err(r) = self.validate(entity, &merged) {
            return r;
        }
        let now = now_text();
        let who = imp.unwrap_or(API_USER_RESOURCE);
        if entity == "Tickets" {
            merged.insert("lastActivityDate".into(), json!(now));
            merged.insert("lastActivityResourceID".into(), json!(who));
            if diffs.iter().any(|(k, _, _)| k == "status") {
                if int(merged.get("status")) == Some(5) {
                    merged.insert("completedDate".into(), json!(now));
                    merged.insert("resolvedDateTime".into(), json!(now));
                } else {
                    merged.remove("completedDate");
                    merged.remove("resolvedDateTime");
                }
            }
        }
        if imp.is_some() && matches!(entity, "TicketNotes" | "TimeEntries") {
            merged.insert(
                "impersonatorUpdaterResourceID".into(),
                json!(API_USER_RESOURCE),
            );
        }
        if entity == "TicketWebhooks" {
            if let Some(Value::String(key)) = get_ci(&merged, "secretKey") {
                self.webhook_secrets.insert(id, key.clone());
            }
        }
        self.store.insert(entity, Value::Object(merged));
        if entity == "Tickets" {
            for (k, old, new) in diffs {
                if k != "lastActivityDate" {
                    self.history(
                        id,
                        "Edited",
                        &format!("{k} changed from {old} to {new}"),
                        who,
                    );
                }
            }
        }
        reply(200, json!({"itemId": id}))
    }

    pub(crate) fn delete(&mut self, entity: &str, id: i64) -> Reply {
        if self.store.remove(entity, id).is_none() {
            return errors(404, format!("{entity} with id {id} was not found."));
        }
        // Cascade the links of a service call and the rows of a webhook.
        let cascade: &[(&str, &str)] = match entity {
            "ServiceCalls" => &[("ServiceCallTickets", "serviceCallID")],
            "ServiceCallTickets" => &[("ServiceCallTicketResources", "serviceCallTicketID")],
            "TicketWebhooks" => &[
                ("TicketWebhookFields", "webhookID"),
                ("TicketWebhookExcludedResources", "webhookID"),
            ],
            _ => &[],
        };
        for (child, fk) in cascade {
            let ids: Vec<i64> = self
                .store
                .table(child)
                .map(|t| {
                    t.iter()
                        .filter(|(_, r)| field_i64(r, fk) == Some(id))
                        .map(|(k, _)| *k)
                        .collect()
                })
                .unwrap_or_default();
            for cid in ids {
                self.delete(child, cid);
            }
        }
        if entity == "TicketWebhooks" {
            self.webhook_secrets.remove(&id);
        }
        reply(200, json!({"itemId": id}))
    }
}
