//! Typed Autotask models ⇄ uniform `psa_core` models.
//!
//! Reads keep the vendor's record in `raw` and user-defined fields in
//! `custom_fields`; picklist integers become [`Ref`]s named from the entity's
//! picklists. Writes build sparse JSON bodies (only the fields set), so that
//! a `PATCH` never clears what it does not mean to change.
//!
//! Field correspondences (uniform ← Autotask):
//!
//! | uniform | Autotask |
//! |---|---|
//! | ticket `summary` / `number` | `title` / `ticketNumber` |
//! | ticket `status`, `priority`, `queue` | `status`, `priority`, `queueID` (picklists) |
//! | ticket `ticket_type` / `subtype` | `ticketType` / `issueType` (picklists) |
//! | ticket `owner` | `assignedResourceID` (+ `assignedResourceRoleID` on writes) |
//! | ticket `closed` | `status` is a Complete status |
//! | ticket `parent` | `problemTicketId` (incident of a problem ticket) |
//! | ticket `description` / resolution notes | `description` / `resolution` |
//! | ticket `sla` | `serviceLevelAgreementID`, `firstResponseDueDateTime`, `firstResponseDateTime`, `resolvedDueDateTime`, `resolvedDateTime`, `serviceLevelAgreementHasBeenMet`, `serviceLevelAgreementPausedNextEventHours` |
//! | note `visibility` | `publish` value: 1 (All Autotask Users) → customer; 2, 3 and any other → internal |
//! | time `work_type` / `billable` / `note` | `billingCodeID` / `!isNonBillable` / `summaryNotes` |
//! | schedule entry | `ServiceCalls` + `ServiceCallTickets` + `ServiceCallTicketResources` |
//! | line item | `TicketCharges` |
//! | agreement | `Contracts` |
//! | agent / work type | `Resources` / `BillingCodes` of type 1 |

use chrono::{DateTime, Utc};
use psa_core::{
    Agent, Agreement, AuditEntry, Company, Configuration, Contact, CustomFields, Error, Id,
    KbArticle, LineItem, LookupItem, Note, NoteVisibility, Product, Project, RawRecord, Ref,
    Result, ScheduleEntry, Ticket, TicketEventKind, TimeEntry, WebhookSubscription,
};
use serde_json::{Map, Value, json};
use std::time::Duration;

use crate::models::{self, Timestamp, UserDefinedField};
use crate::picklist::Picklists;

fn utc(t: Option<&Timestamp>) -> Option<DateTime<Utc>> {
    t.and_then(Timestamp::utc)
}

fn id_ref(id: Option<i64>) -> Option<Ref> {
    id.filter(|v| *v != 0).map(Ref::new)
}

/// The uniform custom fields of a record's UDFs: every UDF Autotask sent,
/// an unset one (`"value": null`) present with a `null` value.
fn custom_fields(udfs: Option<&Vec<UserDefinedField>>) -> CustomFields {
    udfs.into_iter()
        .flatten()
        .map(|u| (u.name.as_str(), u.value.clone().unwrap_or(Value::Null)))
        .collect()
}

/// The `userDefinedFields` array for a write.
pub(crate) fn udfs_from(cf: &CustomFields) -> Value {
    Value::Array(
        cf.iter()
            .map(|(name, value)| {
                // Autotask stores UDF values as text; send scalars as strings.
                let v = match value {
                    Value::String(_) | Value::Null => value.clone(),
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::Bool(b) => Value::String(b.to_string()),
                    other => Value::String(other.to_string()),
                };
                json!({"name": name, "value": v})
            })
            .collect(),
    )
}

/// An Autotask ticket as a uniform ticket.
pub fn ticket(
    t: &models::Ticket,
    raw: impl Into<RawRecord>,
    picklists: &Picklists,
    closed: &[i64],
) -> Ticket {
    let mut out = Ticket::new(Id::int(t.id), t.title.clone().unwrap_or_default());
    out.number.clone_from(&t.ticket_number);
    out.description.clone_from(&t.description);
    out.status = t.status.map(|v| picklists.reference("status", v));
    out.priority = t.priority.map(|v| picklists.reference("priority", v));
    out.queue = t.queue_id.map(|v| picklists.reference("queueID", v));
    out.ticket_type = t.ticket_type.map(|v| picklists.reference("ticketType", v));
    out.subtype = t.issue_type.map(|v| picklists.reference("issueType", v));
    out.company = id_ref(t.company_id);
    out.contact = id_ref(t.contact_id);
    out.owner = id_ref(t.assigned_resource_id);
    out.closed = t.status.map(|s| closed.contains(&s));
    out.created_at = utc(t.create_date.as_ref());
    out.updated_at = utc(t
        .last_activity_date
        .as_ref()
        .or(t.last_tracked_modification_date_time.as_ref()));
    out.closed_at = utc(t.completed_date.as_ref());
    out.due_at = utc(t.due_date_time.as_ref());
    out.parent = t.problem_ticket_id.filter(|v| *v > 0).map(Id::int);
    out.custom_fields = custom_fields(t.user_defined_fields.as_ref());
    let sla = sla_timers(t, picklists);
    out.sla = (!sla.is_empty()).then_some(sla);
    out.raw = raw.into();
    out
}

/// A ticket's SLA timers: the SLA (`serviceLevelAgreementID`, named from
/// its picklist), first response due / made (`firstResponseDueDateTime`,
/// `firstResponseDateTime`), resolution due / made (`resolvedDueDateTime`,
/// `resolvedDateTime`). A target counts as missed when it was met after its
/// due time; when Autotask says the SLA has been met
/// (`serviceLevelAgreementHasBeenMet`), neither target is missed. The clock
/// is paused while `serviceLevelAgreementPausedNextEventHours` is above 0.
pub fn sla_timers(t: &models::Ticket, picklists: &Picklists) -> psa_core::SlaTimers {
    let mut sla = psa_core::SlaTimers::default();
    sla.sla = t
        .service_level_agreement_id
        .filter(|v| *v > 0)
        .map(|v| picklists.reference("serviceLevelAgreementID", v));
    sla.response_due = utc(t.first_response_due_date_time.as_ref());
    sla.responded_at = utc(t.first_response_date_time.as_ref());
    sla.resolution_due = utc(t.resolved_due_date_time.as_ref());
    sla.resolved_at = utc(t.resolved_date_time.as_ref());
    let missed = |done: Option<DateTime<Utc>>, due: Option<DateTime<Utc>>| match (done, due) {
        (Some(d), Some(due)) => Some(d > due),
        _ => None,
    };
    let met = t.service_level_agreement_has_been_met;
    let or_met = |b: Option<bool>| b.or_else(|| (met == Some(true)).then_some(false));
    sla.response_breached = or_met(missed(sla.responded_at, sla.response_due));
    sla.resolution_breached = or_met(missed(sla.resolved_at, sla.resolution_due));
    sla.paused = t
        .service_level_agreement_paused_next_event_hours
        .map(|h| h > 0.0);
    if sla.sla.is_none() && sla.response_due.is_none() && sla.resolution_due.is_none() {
        // No SLA on the ticket: nothing is timed.
        return psa_core::SlaTimers::default();
    }
    sla
}

/// A user-defined field's definition (`entityInformation/userDefinedFields`)
/// as a uniform definition. The kind comes from `dataType` (or `type`):
/// `string` is text (long text past 255 characters), `integer` / `long`
/// whole numbers, `double` / `decimal` numbers, `boolean`, `datetime` /
/// `date`; a picklist's options are its values, written as the value's text
/// (Autotask stores UDF values as text).
pub fn custom_field_def(
    f: &models::FieldInformation,
    entity: psa_core::CustomFieldEntity,
) -> psa_core::CustomFieldDef {
    use psa_core::{CustomFieldKind as K, PicklistOption};
    let type_name = f
        .data_type
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .or_else(|| {
            f.extra
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let max_length = f
        .length
        .filter(|l| *l > 0)
        .and_then(|l| u32::try_from(l).ok());
    let kind = if f.is_pick_list {
        K::Picklist
    } else {
        match type_name.to_ascii_lowercase().as_str() {
            "string" if max_length.is_some_and(|l| l > 255) => K::LongText,
            "string" => K::Text,
            "integer" | "int" | "short" | "long" => K::Integer,
            "double" | "decimal" | "float" => K::Number,
            "boolean" => K::Boolean,
            "date" => K::Date,
            "datetime" => K::DateTime,
            _ => K::Other(type_name.clone()),
        }
    };
    let mut def = psa_core::CustomFieldDef::new(f.name.clone(), entity, kind)
        .required(f.is_required)
        .read_only(f.is_read_only)
        .options(f.picklist_values.iter().flatten().map(|p| {
            PicklistOption::new(Value::String(p.value.trim().to_owned()), p.label.clone())
                .active(p.is_active)
        }));
    if let Some(label) = f
        .extra
        .get("label")
        .and_then(Value::as_str)
        .filter(|l| !l.trim().is_empty())
    {
        def = def.label(label);
    }
    if let Some(max) = max_length {
        def = def.max_length(max);
    }
    def.raw = RawRecord::from(serde_json::to_value(f).unwrap_or(Value::Null));
    def
}

/// A ticket attachment as a uniform attachment.
pub fn attachment(a: &models::TicketAttachment, raw: impl Into<RawRecord>) -> psa_core::Attachment {
    let ticket = a.parent_id.or(a.ticket_id).unwrap_or_default();
    let name = a
        .full_path
        .clone()
        .or_else(|| a.title.clone())
        .unwrap_or_default();
    let mut out = psa_core::Attachment::new(Id::int(a.id), Id::int(ticket), name);
    out.content_type.clone_from(&a.content_type);
    out.size = a
        .file_size
        .filter(|s| s.is_finite() && *s >= 0.0)
        // Whole bytes; a fraction can only make it larger.
        .map(|s| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let n = s.ceil() as u64;
            n
        });
    out.created_at = utc(a.attach_date.as_ref());
    out.author = id_ref(a.attached_by_resource_id);
    out.raw = raw.into();
    out
}

/// A ticket note as a uniform note. Visibility is read from the `publish`
/// value Autotask documents — 1 All Autotask Users is shared with the
/// customer; 2 Internal Only, 3 Internal & Co-managed, any other value and
/// no value are internal (fail closed) — never from its label.
pub fn note(n: &models::TicketNote, raw: impl Into<RawRecord>) -> Note {
    let internal = crate::picklist::publish_is_internal(n.publish);
    let visibility = if internal {
        NoteVisibility::Internal
    } else {
        NoteVisibility::Customer
    };
    let body = match (&n.title, &n.description) {
        (_, Some(d)) if !d.is_empty() => d.clone(),
        (Some(t), _) => t.clone(),
        _ => String::new(),
    };
    let mut out = Note::new(
        Id::int(n.id),
        Id::int(n.ticket_id.unwrap_or_default()),
        body,
        visibility,
    );
    out.author = id_ref(n.creator_resource_id).or_else(|| id_ref(n.created_by_contact_id));
    out.created_at = utc(n.create_date_time.as_ref());
    out.raw = raw.into();
    out
}

/// Hours (Autotask's decimal hours) as a duration, rounded to the second.
pub fn hours_to_duration(hours: f64) -> Option<Duration> {
    if hours.is_finite() && hours >= 0.0 {
        Some(Duration::from_secs_f64((hours * 3600.0).round()))
    } else {
        None
    }
}

/// A duration as Autotask's decimal hours (to the hundredth, as the UI shows).
#[allow(clippy::cast_precision_loss)]
pub fn duration_to_hours(d: Duration) -> f64 {
    ((d.as_secs() as f64 / 3600.0) * 100.0).round() / 100.0
}

/// A time entry as a uniform time entry.
pub fn time_entry(e: &models::TimeEntry, raw: impl Into<RawRecord>) -> TimeEntry {
    let mut out = TimeEntry::new(Id::int(e.id));
    out.ticket = e.ticket_id.filter(|v| *v > 0).map(Id::int);
    out.agent = id_ref(e.resource_id);
    out.start = utc(e.start_date_time.as_ref());
    out.end = utc(e.end_date_time.as_ref());
    out.duration =
        e.hours_worked
            .and_then(hours_to_duration)
            .or_else(|| match (out.start, out.end) {
                (Some(s), Some(e)) => (e - s).to_std().ok(),
                _ => None,
            });
    out.billable = e.is_non_billable.map(|nb| !nb);
    out.work_type = id_ref(e.billing_code_id);
    out.note.clone_from(&e.summary_notes);
    out.raw = raw.into();
    out
}

/// A company as a uniform company.
pub fn company(c: &models::Company, raw: impl Into<RawRecord>) -> Company {
    let mut out = Company::new(Id::int(c.id), c.company_name.clone().unwrap_or_default());
    out.identifier = c.company_number.clone().filter(|s| !s.is_empty());
    out.phone = c.phone.clone().filter(|s| !s.is_empty());
    out.website = c.web_address.clone().filter(|s| !s.is_empty());
    out.active = c.is_active;
    out.custom_fields = custom_fields(c.user_defined_fields.as_ref());
    out.raw = raw.into();
    out
}

/// A contact as a uniform contact.
pub fn contact(c: &models::Contact, raw: impl Into<RawRecord>) -> Contact {
    let first = c.first_name.clone().filter(|s| !s.is_empty());
    let last = c.last_name.clone().filter(|s| !s.is_empty());
    let name = [first.as_deref(), last.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Contact::new(Id::int(c.id), name);
    out.first_name = first;
    out.last_name = last;
    out.email = c.email_address.clone().filter(|s| !s.is_empty());
    out.phone = c.phone.clone().filter(|s| !s.is_empty());
    out.mobile = c.mobile_phone.clone().filter(|s| !s.is_empty());
    out.company = id_ref(c.company_id);
    out.active = c.is_active.map(|a| a != 0);
    out.custom_fields = custom_fields(c.user_defined_fields.as_ref());
    out.raw = raw.into();
    out
}

/// A configuration item as a uniform configuration.
pub fn configuration(
    ci: &models::ConfigurationItem,
    raw: impl Into<RawRecord>,
    picklists: &Picklists,
) -> Configuration {
    let name = ci
        .reference_title
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| ci.serial_number.clone().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| format!("Configuration item {}", ci.id));
    let mut out = Configuration::new(Id::int(ci.id), name);
    out.configuration_type = ci
        .configuration_item_type
        .map(|v| picklists.reference("configurationItemType", v));
    out.company = id_ref(ci.company_id);
    out.serial_number = ci.serial_number.clone().filter(|s| !s.is_empty());
    out.active = ci.is_active;
    out.custom_fields = custom_fields(ci.user_defined_fields.as_ref());
    out.raw = raw.into();
    out
}

/// A service call's description as a schedule entry's subject (first line)
/// and note (the rest).
fn split_description(d: Option<&str>) -> (Option<String>, Option<String>) {
    match d.map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, None),
        Some(text) => match text.split_once('\n') {
            Some((first, rest)) => (
                Some(first.trim().to_owned()),
                Some(rest.trim().to_owned()).filter(|s| !s.is_empty()),
            ),
            None => (Some(text.to_owned()), None),
        },
    }
}

/// A schedule entry's subject and note as a service call description.
pub(crate) fn join_description(subject: Option<&str>, note: Option<&str>) -> Option<String> {
    match (subject, note) {
        (Some(s), Some(n)) => Some(format!("{s}\n{n}")),
        (Some(s), None) => Some(s.to_owned()),
        (None, Some(n)) => Some(format!("\n{n}")),
        (None, None) => None,
    }
}

/// A service call (with its first linked ticket and resource) as a uniform
/// schedule entry.
pub fn schedule_entry(
    call: &models::ServiceCall,
    raw: impl Into<RawRecord>,
    ticket: Option<i64>,
    resource: Option<i64>,
) -> ScheduleEntry {
    let mut out = ScheduleEntry::new(Id::int(call.id));
    out.agent = id_ref(resource);
    out.ticket = ticket.filter(|v| *v > 0).map(Id::int);
    let (subject, note) = split_description(call.description.as_deref());
    out.subject = subject;
    out.note = note;
    out.start = utc(call.start_date_time.as_ref());
    out.end = utc(call.end_date_time.as_ref());
    out.raw = raw.into();
    out
}

/// A product as a uniform product.
pub fn product(p: &models::Product, raw: impl Into<RawRecord>) -> Product {
    let mut out = Product::new(Id::int(p.id), p.name.clone().unwrap_or_default());
    out.sku = p.sku.clone().filter(|s| !s.is_empty());
    out.description = p.description.clone().filter(|s| !s.is_empty());
    out.price = p.unit_price;
    out.cost = p.unit_cost;
    out.active = p.is_active;
    out.raw = raw.into();
    out
}

/// A ticket charge as a uniform line item.
pub fn line_item(c: &models::TicketCharge, raw: impl Into<RawRecord>) -> LineItem {
    let mut out = LineItem::new(
        Id::int(c.id),
        Id::int(c.ticket_id.unwrap_or_default()),
        c.unit_quantity.unwrap_or_default(),
    );
    out.product = c
        .product_id
        .filter(|v| *v > 0)
        .map(|id| Ref::with_opt_name(Id::int(id), c.name.clone()));
    out.price = c.unit_price;
    out.description = c.description.clone().or_else(|| c.name.clone());
    out.billable = c.is_billable_to_company;
    out.raw = raw.into();
    out
}

/// A contract as a uniform agreement; active is the Contracts `status`
/// system value 1 (Active).
pub fn agreement(
    c: &models::Contract,
    raw: impl Into<RawRecord>,
    picklists: &Picklists,
) -> Agreement {
    let mut out = Agreement::new(Id::int(c.id), c.contract_name.clone().unwrap_or_default());
    out.company = id_ref(c.company_id);
    out.agreement_type = c
        .contract_type
        .map(|v| picklists.reference("contractType", v));
    out.start = utc(c.start_date.as_ref());
    out.end = utc(c.end_date.as_ref());
    out.active = c
        .status
        .map(|s| s == crate::picklist::CONTRACT_STATUS_ACTIVE);
    out.custom_fields = custom_fields(c.user_defined_fields.as_ref());
    out.raw = raw.into();
    out
}

/// A project as a uniform project; `complete` are the Projects statuses that
/// close a project.
pub fn project(
    p: &models::Project,
    raw: impl Into<RawRecord>,
    picklists: &Picklists,
    complete: &[i64],
) -> Project {
    let mut out = Project::new(Id::int(p.id), p.project_name.clone().unwrap_or_default());
    out.company = id_ref(p.company_id);
    out.status = p.status.map(|v| picklists.reference("status", v));
    out.manager = id_ref(p.project_lead_resource_id);
    out.start = utc(p.start_date_time.as_ref());
    out.end = utc(p.end_date_time.as_ref());
    out.closed = p.status.map(|s| complete.contains(&s));
    out.raw = raw.into();
    out
}

/// A knowledge-base article (and its plain-text content, when read) as a
/// uniform article.
pub fn kb_article(
    a: &models::KnowledgeBaseArticle,
    raw: impl Into<RawRecord>,
    content: Option<String>,
) -> KbArticle {
    let mut out = KbArticle::new(Id::int(a.id), a.title.clone().unwrap_or_default());
    out.body = content;
    out.updated_at = utc(a
        .last_modified_date_time
        .as_ref()
        .or(a.created_date_time.as_ref()));
    out.raw = raw.into();
    out
}

/// Picklist values as uniform look-up items; `closed` marks the statuses that
/// count as closed.
pub fn lookup_items(values: &[models::PickListValue], closed: Option<&[i64]>) -> Vec<LookupItem> {
    values
        .iter()
        .filter_map(|p| {
            let id: i64 = p.value.trim().parse().ok()?;
            let mut item = LookupItem::new(Id::int(id), p.label.clone());
            item.active = Some(p.is_active);
            item.closed = closed.map(|c| c.contains(&id));
            item.scope = p
                .parent_value
                .as_deref()
                .and_then(|v| v.trim().parse::<i64>().ok())
                .map(Id::int);
            item.raw = serde_json::to_value(p).unwrap_or(Value::Null).into();
            Some(item)
        })
        .collect()
}

/// A resource as a uniform agent.
pub fn agent(r: &models::Resource, raw: impl Into<RawRecord>) -> Agent {
    let name = [r.first_name.as_deref(), r.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Agent::new(Id::int(r.id), name);
    out.identifier = r.user_name.clone().filter(|s| !s.is_empty());
    out.email = r.email.clone().filter(|s| !s.is_empty());
    out.active = r.is_active;
    out.raw = raw.into();
    out
}

/// A billing code (work type) as a uniform look-up item.
pub fn work_type(b: &models::BillingCode, raw: impl Into<RawRecord>) -> LookupItem {
    let mut out = LookupItem::new(Id::int(b.id), b.name.clone().unwrap_or_default());
    out.active = b.is_active;
    out.raw = raw.into();
    out
}

/// A ticket history row as a uniform audit entry.
pub fn audit_entry(h: &models::TicketHistory, raw: impl Into<RawRecord>) -> AuditEntry {
    let mut out = AuditEntry::new(Id::int(h.ticket_id.unwrap_or_default()));
    out.id = (h.id != 0).then(|| Id::int(h.id));
    out.at = utc(h.date.as_ref());
    out.actor = h.resource_id.map(|r| r.to_string());
    out.description = match (h.action.as_deref(), h.detail.as_deref()) {
        (Some(a), Some(d)) if !d.is_empty() => Some(format!("{a}: {d}")),
        (Some(a), _) => Some(a.to_owned()),
        (None, d) => d.map(str::to_owned),
    };
    out.raw = raw.into();
    out
}

/// A ticket webhook as a uniform subscription (the secret key removed from
/// `raw`, whose JSON text is then not kept either).
pub fn webhook_subscription(
    w: &models::TicketWebhook,
    raw: impl Into<RawRecord>,
) -> WebhookSubscription {
    let mut raw: RawRecord = raw.into();
    // `DerefMut` parses the record and drops the text that holds the key.
    if let Value::Object(m) = &mut *raw {
        m.retain(|k, _| !k.eq_ignore_ascii_case("secretKey"));
    }
    let mut out = WebhookSubscription::new(Id::int(w.id));
    out.name.clone_from(&w.name);
    out.url.clone_from(&w.webhook_url);
    let mut events = Vec::new();
    if w.is_subscribed_to_create_events == Some(true) {
        events.push(TicketEventKind::Created);
    }
    if w.is_subscribed_to_update_events == Some(true) {
        events.push(TicketEventKind::Updated);
    }
    if w.is_subscribed_to_delete_events == Some(true) {
        events.push(TicketEventKind::Deleted);
    }
    out.events = events;
    out.active = w.is_active;
    out.raw = raw;
    out
}

/// Checks that `value` is an active value of `field`'s picklist, naming the
/// valid values in the error.
pub(crate) fn check_picklist(picklists: &Picklists, field: &str, value: i64) -> Result<()> {
    if picklists.accepts(field, value) {
        return Ok(());
    }
    let valid: Vec<String> = picklists
        .values(field)
        .iter()
        .filter(|p| p.is_active)
        .take(25)
        .map(|p| format!("{} ({})", p.value, p.label))
        .collect();
    Err(Error::invalid_input(format!(
        "{value} is not an active {} `{field}` value; valid values include {}",
        picklists.entity(),
        valid.join(", ")
    )))
}

/// Inserts `key: value` into a body when `value` is set.
pub(crate) fn put<T: serde::Serialize>(body: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(v) = value {
        if let Ok(v) = serde_json::to_value(v) {
            body.insert(key.to_owned(), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{FieldInformation, PickListValue};

    #[test]
    fn a_webhook_read_keeps_no_trace_of_its_secret_key() {
        let text = r#"{"id":9,"name":"hooks","webhookUrl":"https://h.example/x","secretKey":"canary-secret-key","isActive":true}"#;
        let (w, raw) = RawRecord::parse::<models::TicketWebhook>(
            None,
            "webhook",
            bytes::Bytes::from_static(text.as_bytes()),
        )
        .unwrap();
        let sub = webhook_subscription(&w, raw);
        assert_eq!(sub.raw.json_text(), None, "the text held the key");
        assert!(sub.raw.get("secretKey").is_none());
        assert!(!format!("{sub:?}").contains("canary-secret-key"));
        assert!(
            !serde_json::to_string(&sub)
                .unwrap()
                .contains("canary-secret-key")
        );
    }

    fn picklists() -> Picklists {
        let mut f = FieldInformation {
            name: "status".into(),
            is_pick_list: true,
            ..FieldInformation::default()
        };
        f.picklist_values = Some(vec![
            PickListValue::new("1", "New"),
            PickListValue::new("5", "Complete"),
        ]);
        Picklists::from_fields("Tickets", &[f])
    }

    #[test]
    fn tickets_map_with_names_and_udfs() {
        let raw = json!({
            "id": 7, "ticketNumber": "T20240101.0007", "title": "Printer offline",
            "status": 5, "companyID": 12, "assignedResourceID": 0,
            "completedDate": "2024-01-02T10:00:00",
            "userDefinedFields": [{"name": "CustomerRef", "value": "ACME-1"}, {"name": "Empty", "value": null}]
        });
        let t: models::Ticket = serde_json::from_value(raw.clone()).unwrap();
        let u = ticket(&t, raw.clone(), &picklists(), &[5]);
        assert_eq!(u.summary, "Printer offline");
        assert_eq!(
            u.status.as_ref().and_then(|s| s.name.as_deref()),
            Some("Complete")
        );
        assert_eq!(u.closed, Some(true));
        assert_eq!(u.company, Some(Ref::new(12)));
        assert_eq!(u.owner, None);
        assert_eq!(u.custom_fields.get_str("CustomerRef"), Some("ACME-1"));
        // An unset UDF stays present, unset (issue 12).
        assert_eq!(u.custom_fields.get("Empty"), Some(&Value::Null));
        assert_eq!(
            u.closed_at.unwrap().to_rfc3339(),
            "2024-01-02T10:00:00+00:00"
        );
        assert_eq!(u.raw, raw);
    }

    #[test]
    fn hours_round_trip() {
        assert_eq!(hours_to_duration(0.25), Some(Duration::from_secs(900)));
        assert!((duration_to_hours(Duration::from_secs(900)) - 0.25).abs() < 1e-9);
        assert!((duration_to_hours(Duration::from_secs(1000)) - 0.28).abs() < 1e-9);
        assert_eq!(hours_to_duration(-1.0), None);
    }

    #[test]
    fn service_call_descriptions_split() {
        assert_eq!(
            split_description(Some("Onsite visit\nBring a spare toner")),
            (
                Some("Onsite visit".into()),
                Some("Bring a spare toner".into())
            )
        );
        assert_eq!(
            join_description(Some("a"), Some("b")).as_deref(),
            Some("a\nb")
        );
        assert_eq!(split_description(Some("  ")), (None, None));
    }

    #[test]
    fn udfs_are_sent_as_text() {
        let mut cf = CustomFields::new();
        cf.insert("Count", 3);
        cf.insert("Ref", "A");
        assert_eq!(
            udfs_from(&cf),
            json!([{"name": "Count", "value": "3"}, {"name": "Ref", "value": "A"}])
        );
    }

    #[test]
    fn picklist_errors_name_valid_values() {
        let e = check_picklist(&picklists(), "status", 99).unwrap_err();
        assert!(e.is_invalid_input());
        assert!(e.message().contains("1 (New)"), "{e}");
        assert!(check_picklist(&picklists(), "status", 5).is_ok());
    }
}
