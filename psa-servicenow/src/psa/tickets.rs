//! Tickets: task-family records (`incident`, `sc_req_item` …), their
//! bundles (`parent_incident`) and their audit trail (`sys_audit`).

use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock, PoisonError};

use futures::stream::{BoxStream, TryStreamExt};
use psa_core::psa::error_stream;
use psa_core::{
    AuditEntry, Error, Id, NewTicket, Operation, Result, Ticket, TicketPatch, TicketQuery,
    TicketState, Vendor,
};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::{decode, with_custom};
use crate::caps;
use crate::client::Client;
use crate::ids::{TaskTable, TicketId, sys_id_of};
use crate::mapping::{self, ChoiceLabels, SlaRow};
use crate::models::{SysAudit, format_glide_datetime};
use crate::query::{FieldList, Query, Term};
use crate::resources::{Get, List};

impl Client {
    /// A uniform ticket id as this client's [`TicketId`]: the table named in
    /// it (or the default table), which must be enabled.
    pub(super) fn ticket_id(&self, id: &Id) -> Result<TicketId> {
        let t = TicketId::from_id(id, self.default_table())?;
        self.check_table(t.table)?;
        Ok(t)
    }

    /// A uniform ticket id as this client's [`TicketId`], with the uniform
    /// id it is known by (`<table>:<sys_id>`) for the records read from it.
    pub(super) fn ticket_and_id(&self, id: &Id) -> Result<(Id, TicketId)> {
        let t = self.ticket_id(id)?;
        Ok((t.to_id()?, t))
    }

    pub(super) fn check_table(&self, table: TaskTable) -> Result<()> {
        if self.config().tables.contains(&table) {
            Ok(())
        } else {
            Err(Error::invalid_input(format!(
                "table {table} is not enabled on this client (ClientBuilder::tables)"
            )))
        }
    }

    /// The fields a ticket read asks for on `table`, checked and joined
    /// once per client (a ticket read builds its request on every call).
    fn ticket_fields(&self, table: TaskTable) -> Result<FieldList> {
        match of_table(&self.inner.ticket_fields, table) {
            Some(cell) => cached_fields(cell, || self.ticket_field_names(table)),
            None => FieldList::new(self.ticket_field_names(table)),
        }
    }

    /// The names of [`ticket_fields`](Self::ticket_fields).
    fn ticket_field_names(&self, table: TaskTable) -> Vec<String> {
        let mut f = with_custom(mapping::TICKET_FIELDS, &self.config().custom_fields);
        if let Some((c, name)) = table.contact_columns() {
            f.push(c.to_owned());
            f.push(name.to_owned());
        }
        if let Some(c) = table.category_field() {
            f.push(c.to_owned());
        }
        if table == TaskTable::Incident {
            f.push("parent_incident".to_owned());
            f.push("resolved_at".to_owned());
        }
        f
    }

    fn label_elements(table: TaskTable) -> Vec<&'static str> {
        let mut e = vec!["state", "priority"];
        if let Some(c) = table.category_field() {
            e.push(c);
        }
        e
    }

    /// The labels a ticket of `table` is mapped with. Assembled once and
    /// kept until the oldest choice list in them expires
    /// ([`ClientBuilder::choice_cache_ttl`](crate::ClientBuilder::choice_cache_ttl)),
    /// so a read of a known table takes no lock on the choice cache.
    async fn ticket_labels(&self, table: TaskTable) -> Result<Arc<ChoiceLabels>> {
        let slot = of_table(&self.inner.ticket_labels, table);
        let ttl = self.config().choice_ttl;
        if let Some(slot) = slot {
            let kept = slot.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((at, labels)) = kept.as_ref() {
                if at.elapsed() <= ttl {
                    return Ok(Arc::clone(labels));
                }
            }
        }
        let (at, labels) = self
            .choice_labels_dated(table.as_str(), &Client::label_elements(table))
            .await?;
        let labels = Arc::new(labels);
        if let Some(slot) = slot {
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some((at, Arc::clone(&labels)));
        }
        Ok(labels)
    }

    async fn map_ticket(&self, table: TaskTable, raw: Value) -> Result<Ticket> {
        let labels = self.ticket_labels(table).await?;
        let ticket = mapping::ticket(table, raw, &labels)?;
        let mut with = self.with_sla(vec![ticket]).await?;
        with.pop()
            .ok_or_else(|| Error::invalid_input("no ticket to map"))
    }

    /// Fills each ticket's [`sla`](Ticket::sla) from the `task_sla` records
    /// of the tickets (one request for them all — a ticket write;
    /// listings leave the timers out, a read batches it with the ticket's
    /// request; see [`mapping::sla_timers`] for the rule). An instance that
    /// does not let the user read `task_sla` (403) leaves the timers unknown.
    pub(super) async fn with_sla(&self, mut tickets: Vec<Ticket>) -> Result<Vec<Ticket>> {
        let ids = self.sys_ids_of(&tickets);
        if ids.is_empty() {
            return Ok(tickets);
        }
        let records: Result<Vec<SlaRow>> = self
            .sla_list(&ids)?
            .stream_as::<SlaRow>()
            .try_collect()
            .await;
        match records {
            Ok(r) => apply_sla(&mut tickets, &ids, &r),
            Err(e) if e.is_forbidden() => {
                tracing::debug!("task_sla is not readable: SLA timers left unknown");
            }
            Err(e) => return Err(e),
        }
        Ok(tickets)
    }

    fn sys_ids_of(&self, tickets: &[Ticket]) -> Vec<String> {
        tickets
            .iter()
            .filter_map(|t| TicketId::from_id(&t.id, self.default_table()).ok())
            .map(|t| t.sys_id.as_str().to_owned())
            .collect()
    }

    /// The `task_sla` records of the tasks `ids`, oldest first.
    fn sla_list(&self, ids: &[String]) -> Result<List> {
        let fields = cached_fields(&self.inner.sla_fields, || mapping::TASK_SLA_FIELDS)?;
        let q = Query::new()
            .and(Term::is_in("task", ids.iter().map(String::as_str)))
            .order_by("start_time")
            .order_by("sys_id");
        Ok(self
            .table("task_sla")
            .list()
            .query(q)
            .field_list(&fields)
            .exclude_reference_link(true))
    }

    /// Whether a read may batch its requests.
    fn batching(&self) -> bool {
        self.config().batch_reads && !self.inner.batch_refused.load(Ordering::Relaxed)
    }
}

/// The entry of `table` in a per-table array (one entry for each of
/// [`TaskTable::ALL`], in its order).
fn of_table<T>(per_table: &[T], table: TaskTable) -> Option<&T> {
    TaskTable::ALL
        .iter()
        .position(|t| *t == table)
        .and_then(|i| per_table.get(i))
}

/// The field list in `cell`, made from `names` (and kept there) on first
/// use.
fn cached_fields<I, S>(cell: &OnceLock<FieldList>, names: impl FnOnce() -> I) -> Result<FieldList>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    if let Some(list) = cell.get() {
        return Ok(list.clone());
    }
    let list = FieldList::new(names())?;
    Ok(cell.get_or_init(|| list).clone())
}

/// The SLA timers of `records` (`task_sla` rows) on the tickets whose
/// `sys_id`s are `ids` (in the tickets' order). A ticket no row names keeps
/// the timers it has. The rows are scanned once per ticket: a read maps
/// one ticket.
fn apply_sla(tickets: &mut [Ticket], ids: &[String], records: &[SlaRow]) {
    for (t, sys) in tickets.iter_mut().zip(ids) {
        let mut rows = records
            .iter()
            .filter(|r| r.task_sys_id() == Some(sys.as_str()))
            .peekable();
        if rows.peek().is_some() {
            t.sla = mapping::sla_timers_of(rows);
        }
    }
}

fn ticket_query(q: &TicketQuery, table: TaskTable) -> Result<Query> {
    q.validate()?;
    let resolved = table.resolved_states();
    let mut query = Query::new();
    if let Some(n) = q.number_filter()? {
        // Numbers are upper case (`INC0010001`); the number is one literal value.
        query = query.eq("number", n.to_ascii_uppercase().as_str());
    }
    match q.state {
        TicketState::Open => {
            query = query.eq("active", "true");
            for s in resolved {
                query = query.and(Term::ne("state", *s));
            }
        }
        TicketState::Closed => {
            let mut or = vec![Term::eq("active", "false")];
            or.extend(resolved.iter().map(|s| Term::eq("state", *s)));
            query = query.or(or);
        }
        TicketState::Any => {}
    }
    if !q.statuses.is_empty() {
        let values: Vec<String> = q.statuses.iter().map(ToString::to_string).collect();
        query = query.and(Term::is_in("state", values));
    }
    if !q.priorities.is_empty() {
        let values: Vec<String> = q.priorities.iter().map(ToString::to_string).collect();
        query = query.and(Term::is_in("priority", values));
    }
    if let Some(c) = &q.company {
        query = query.eq(
            "company",
            sys_id_of(c, &["core_company"], "company id")?.as_str(),
        );
    }
    if let Some(c) = &q.contact {
        let field = table.contact_field().ok_or_else(|| {
            Error::invalid_input(format!("{table} records have no contact (caller) field"))
        })?;
        query = query.eq(field, sys_id_of(c, &["sys_user"], "contact id")?.as_str());
    }
    if let Some(o) = &q.owner {
        query = query.eq(
            "assigned_to",
            sys_id_of(o, &["sys_user"], "owner id")?.as_str(),
        );
    }
    if let Some(g) = &q.queue {
        query = query.eq(
            "assignment_group",
            sys_id_of(g, &["sys_user_group"], "queue id")?.as_str(),
        );
    }
    if let Some(t) = q.created_since {
        query = query.and(Term::ge("sys_created_on", format_glide_datetime(t)));
    }
    if let Some(t) = q.updated_since {
        query = query.and(Term::ge("sys_updated_on", format_glide_datetime(t)));
    }
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        query = query.or([
            Term::like("short_description", text),
            Term::like("description", text),
        ]);
    }
    Ok(query.order_by("sys_created_on").order_by("sys_id"))
}

pub(super) async fn get_ticket(c: &Client, id: &Id) -> Result<Ticket> {
    let t = c.ticket_id(id)?;
    let get = c
        .table(t.table.as_str())
        .get(&t.sys_id)
        .field_list(&c.ticket_fields(t.table)?)
        .exclude_reference_link(true);
    if c.batching() {
        if let Some(ticket) = get_ticket_batched(c, &t, &get).await? {
            return Ok(ticket);
        }
    }
    // The record's text as sent: the mapping decodes the fields and
    // columns it reads, and keeps the text as `raw`, parsed when read.
    let raw = get.send_as::<Box<RawValue>>().await?;
    let labels = c.ticket_labels(t.table).await?;
    let ticket = mapping::ticket_record(t.table, raw, &labels)?;
    let mut with = c.with_sla(vec![ticket]).await?;
    with.pop()
        .ok_or_else(|| Error::invalid_input("no ticket to map"))
}

/// The ticket and its `task_sla` records in one [`Batch`](crate::resources::Batch)
/// request; `None` when the instance refuses the Batch API (remembered: the
/// client's reads go one by one from then on).
async fn get_ticket_batched(c: &Client, t: &TicketId, get: &Get) -> Result<Option<Ticket>> {
    let ids = [t.sys_id.as_str().to_owned()];
    let slas = c.sla_list(&ids)?;
    let batch = c
        .batch()
        .item("ticket", get.request()?)
        .item("sla", slas.request()?);
    let mut answer = match batch.send().await {
        Ok(a) => a,
        Err(e) if batch_refused(&e) => {
            tracing::debug!(error = %e, "the Batch API is refused: reads go one by one");
            c.inner.batch_refused.store(true, Ordering::Relaxed);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    // An item the instance did not run (the batch reached a limit), or one
    // that failed transiently (a 429, a 503 inside the batch), is not
    // retried with the batch: the read goes one by one, with its retries.
    if !answer.unserviced.is_empty() {
        return Ok(None);
    }
    let record = match answer.take("ticket") {
        Ok(resp) => resp.body,
        Err(e) if e.is_retryable() => return Ok(None),
        Err(e) => return Err(e),
    };
    let labels = c.ticket_labels(t.table).await?;
    let mut ticket = mapping::ticket_of_answer(t.table, &record, &labels)?;
    let complete = match answer.take("sla") {
        Ok(resp) => {
            let page = slas.page_of::<SlaRow>(&resp)?;
            let whole = page.next_offset.is_none();
            if whole {
                apply_sla(std::slice::from_mut(&mut ticket), &ids, &page.items);
            }
            whole
        }
        Err(e) if e.is_forbidden() => {
            tracing::debug!("task_sla is not readable: SLA timers left unknown");
            true
        }
        Err(e) if e.is_retryable() => false,
        Err(e) => return Err(e),
    };
    if complete {
        return Ok(Some(ticket));
    }
    // More SLAs than one page holds, or a transient failure of the item:
    // read them on their own (every page, with retries).
    Ok(c.with_sla(vec![ticket]).await?.pop())
}

/// Whether the instance refused the Batch API itself (rather than failing
/// this one batch): it is not there, not allowed, or not this method.
fn batch_refused(e: &Error) -> bool {
    e.http_status()
        .is_some_and(|s| matches!(s.as_u16(), 400 | 403 | 404 | 405))
}

pub(super) fn list_tickets<'a>(
    c: &'a Client,
    query: &TicketQuery,
) -> BoxStream<'a, Result<Ticket>> {
    let table = match &query.ticket_type {
        Some(tt) => match tt.to_string().parse::<TaskTable>() {
            Ok(t) => t,
            Err(e) => return error_stream(e),
        },
        None => c.default_table(),
    };
    let plan = c
        .check_table(table)
        .and_then(|()| ticket_query(query, table));
    let q = match plan {
        Ok(q) => q,
        Err(e) => return error_stream(e),
    };
    let fields = c.ticket_field_names(table);
    // Listed tickets carry no SLA timers: they live in task_sla, and a
    // listing is one request per page (get_ticket reads them).
    c.labeled(
        table.as_str(),
        table.as_str(),
        Client::label_elements(table),
        q,
        fields,
        query.limit,
        // Each record's text is kept as `raw` (parsed only when read), as
        // `get_ticket` does.
        move |raw: Box<serde_json::value::RawValue>, labels| {
            mapping::ticket_record(table, raw, labels)
        },
    )
}

pub(super) async fn create_ticket(c: &Client, ticket: NewTicket) -> Result<Ticket> {
    let table = mapping::new_ticket_table(&ticket, c.default_table())?;
    c.check_table(table)?;
    let body = mapping::new_ticket_body(&ticket, table)?;
    let raw = c
        .table(table.as_str())
        .create(Value::Object(body))
        .field_list(&c.ticket_fields(table)?)
        .exclude_reference_link(true)
        .send()
        .await?;
    c.map_ticket(table, raw).await
}

pub(super) async fn update_ticket(c: &Client, id: &Id, patch: TicketPatch) -> Result<Ticket> {
    let t = c.ticket_id(id)?;
    let body = mapping::ticket_patch_body(&patch, t.table)?;
    // Plain fields only (a patch writes no journal): retried when the
    // outcome is unknown.
    let raw = c
        .table(t.table.as_str())
        .update(&t.sys_id, Value::Object(body))
        .field_list(&c.ticket_fields(t.table)?)
        .exclude_reference_link(true)
        .send()
        .await?;
    c.map_ticket(t.table, raw).await
}

/// The table a ticket number belongs to, by its prefix (`INC0010001` →
/// `incident`, `RITM…` → `sc_req_item` …), among the enabled tables; the
/// default table when no prefix matches.
fn table_of_number(c: &Client, number: &str) -> TaskTable {
    c.config()
        .tables
        .iter()
        .copied()
        .filter(|t| {
            number.len() > t.number_prefix().len()
                && number[..t.number_prefix().len()].eq_ignore_ascii_case(t.number_prefix())
                && number[t.number_prefix().len()..]
                    .chars()
                    .all(|ch| ch.is_ascii_digit())
        })
        .max_by_key(|t| t.number_prefix().len())
        .unwrap_or_else(|| c.default_table())
}

/// `Psa::find_ticket_by_number`: one listing of the number's table
/// filtered by `number` (any state), checked on what comes back.
pub(super) async fn find_ticket_by_number(c: &Client, number: &str) -> Result<Ticket> {
    let wanted = psa_core::input::ticket_number(number)?;
    let table = table_of_number(c, wanted);
    let mut q = TicketQuery::any().number(wanted).limit(2);
    q.ticket_type = Some(Id::text(table.as_str())?);
    let mut found = list_tickets(c, &q);
    while let Some(t) = found.try_next().await? {
        if psa_core::psa::has_number(&t, wanted) {
            return Ok(t);
        }
    }
    Err(Error::new(
        psa_core::ErrorKind::NotFound,
        format!("no ticket has the number {wanted}"),
    )
    .with_vendor(Vendor::ServiceNow))
}

pub(super) fn merge_tickets(_into: &Id, _from: &[Id]) -> Result<()> {
    Err(caps::unsupported(Operation::MergeTickets))
}

pub(super) async fn bundle_tickets(c: &Client, parent: &Id, children: &[Id]) -> Result<()> {
    let p = c.ticket_id(parent)?;
    if p.table != TaskTable::Incident {
        return Err(Error::unsupported(Vendor::ServiceNow, caps::BUNDLE));
    }
    if children.is_empty() {
        return Err(Error::invalid_input(
            "bundle_tickets needs at least one child",
        ));
    }
    let mut kids = Vec::with_capacity(children.len());
    for child in children {
        let k = c.ticket_id(child)?;
        if k.table != TaskTable::Incident {
            return Err(Error::unsupported(Vendor::ServiceNow, caps::BUNDLE));
        }
        if k == p {
            return Err(Error::invalid_input(
                "a ticket cannot be bundled under itself",
            ));
        }
        kids.push(k);
    }
    for k in kids {
        c.table("incident")
            .update(&k.sys_id, json!({"parent_incident": p.sys_id.as_str()}))
            .fields(["sys_id"])
            .send()
            .await?;
    }
    Ok(())
}

pub(super) async fn delete_ticket(c: &Client, id: &Id) -> Result<()> {
    let t = c.ticket_id(id)?;
    c.table(t.table.as_str()).delete(&t.sys_id).send().await
}

pub(super) fn list_audit_trail<'a>(
    c: &'a Client,
    ticket: &Id,
) -> BoxStream<'a, Result<AuditEntry>> {
    let (uniform, t) = match c.ticket_and_id(ticket) {
        Ok(t) => t,
        Err(e) => return error_stream(e),
    };
    let q = Query::new()
        .eq("documentkey", t.sys_id.as_str())
        .eq("tablename", t.table.as_str())
        .order_by("sys_created_on")
        .order_by("sys_id");
    let fields = mapping::AUDIT_FIELDS
        .iter()
        .map(|f| (*f).to_owned())
        .collect();
    c.mapped("sys_audit", q, fields, None, move |raw| {
        let a: SysAudit = decode(&raw, "audit entry")?;
        mapping::audit_entry(&uniform, &a, raw)
    })
}
