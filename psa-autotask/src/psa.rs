//! `impl psa_core::Psa for Client`: the uniform surface over Autotask.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::Utc;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::psa::error_stream;
use psa_core::{
    Agent, Agreement, AgreementQuery, AuditEntry, Capabilities, Company, CompanyQuery,
    Configuration, ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery,
    Error, Id, KbArticle, KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration, NewContact,
    NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note,
    NoteVisibility, PermissionGroup, Product, ProductQuery, Project, ProjectQuery, Psa, RawRequest,
    RawResponse, Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Ticket,
    TicketEvent, TicketEventKind, TicketPatch, TicketQuery, TicketState, TimeEntry, TimeEntryPatch,
    TimeEntryQuery, Vendor, WebhookDelivery, WebhookSubscription, WorkSpan,
};
use serde_json::{Map, Value, json};

use crate::caps::{self, NO_MERGE, NO_NOTIFY, NO_TICKET_DELETE};
use crate::client::Client;
use crate::mapping::{self, check_picklist, put, udfs_from};
use crate::models::{
    self, BillingCode, ConfigurationItem, KnowledgeBaseArticle, Resource, ServiceCall,
    ServiceCallTicket, ServiceCallTicketResource, TicketCharge, TicketHistory, TicketNote,
    TicketWebhook, TicketWebhookExcludedResource, TicketWebhookField, Timestamp,
};
use crate::query::{Filter, Query};
use crate::webhook::{self, Delivery};

/// The positive integer id of a uniform id, or `InvalidInput`.
fn int_id(id: &Id, what: &str) -> Result<i64> {
    id.require_positive(what)
}

/// A company id: Autotask's own company (the MSP) has id 0.
fn company_id(id: &Id) -> Result<i64> {
    let v = id.require_int("company id")?;
    if v < 0 {
        return Err(Error::invalid_input(format!(
            "company id must not be negative, got {v}"
        )));
    }
    Ok(v)
}

fn opt_int(id: Option<&Id>, what: &str) -> Result<Option<i64>> {
    id.map(|i| int_id(i, what)).transpose()
}

/// A page size that wastes nothing when the caller wants fewer than 500.
fn sized(query: Query, limit: Option<u64>) -> Query {
    match limit {
        Some(n) if n > 0 && n < 500 => query.max_records(u32::try_from(n).unwrap_or(500)),
        _ => query,
    }
}

/// Escape-free text for a `contains` filter: values are JSON strings, so
/// nothing needs escaping; blank text is refused.
fn text_arg(what: &str, text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid_input(format!("{what} is empty")));
    }
    if t.chars().count() > 255 {
        return Err(Error::invalid_input(format!(
            "{what} is longer than 255 characters"
        )));
    }
    Ok(t.to_owned())
}

fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    line.chars().take(max).collect()
}

fn ts(t: chrono::DateTime<Utc>) -> Value {
    Value::String(Timestamp::from(t).as_str().to_owned())
}

impl Client {
    async fn ticket_context(
        &self,
    ) -> Result<(std::sync::Arc<crate::picklist::Picklists>, Vec<i64>)> {
        let pl = self.picklists("Tickets").await?;
        let closed = self.closed_statuses_for(&pl);
        Ok((pl, closed))
    }

    async fn uniform_ticket(&self, id: i64) -> Result<Ticket> {
        let (t, raw) = self.fetch_item::<models::Ticket>(id).await?;
        let (pl, closed) = self.ticket_context().await?;
        Ok(mapping::ticket(&t, raw, &pl, &closed))
    }

    fn ticket_filters(query: &TicketQuery, closed: &[i64]) -> Result<Query> {
        let mut q = Query::new();
        match query.state {
            TicketState::Open if !closed.is_empty() => {
                q = q.filter(Filter::not_in("status", closed.to_vec()));
            }
            TicketState::Closed if !closed.is_empty() => {
                q = q.filter(Filter::is_in("status", closed.to_vec()));
            }
            _ => {}
        }
        if !query.statuses.is_empty() {
            let ids = query
                .statuses
                .iter()
                .map(|s| int_id(s, "status"))
                .collect::<Result<Vec<_>>>()?;
            q = q.filter(Filter::is_in("status", ids));
        }
        if !query.priorities.is_empty() {
            let ids = query
                .priorities
                .iter()
                .map(|s| int_id(s, "priority"))
                .collect::<Result<Vec<_>>>()?;
            q = q.filter(Filter::is_in("priority", ids));
        }
        if let Some(c) = query.company.as_ref().map(company_id).transpose()? {
            q = q.filter(Filter::eq("companyID", c));
        }
        if let Some(c) = opt_int(query.contact.as_ref(), "contact id")? {
            q = q.filter(Filter::eq("contactID", c));
        }
        if let Some(o) = opt_int(query.owner.as_ref(), "owner id")? {
            q = q.filter(Filter::eq("assignedResourceID", o));
        }
        if let Some(v) = opt_int(query.queue.as_ref(), "queue id")? {
            q = q.filter(Filter::eq("queueID", v));
        }
        if let Some(v) = opt_int(query.ticket_type.as_ref(), "ticket type id")? {
            q = q.filter(Filter::eq("ticketType", v));
        }
        if let Some(t) = query.created_since {
            q = q.filter(Filter::gte("createDate", t));
        }
        if let Some(t) = query.updated_since {
            q = q.filter(Filter::gte("lastActivityDate", t));
        }
        if let Some(text) = &query.text {
            let text = text_arg("ticket search text", text)?;
            q = q.filter(Filter::or([
                Filter::contains("title", text.clone()),
                Filter::contains("description", text),
            ]));
        }
        if q.filter_list().is_empty() {
            q = Query::all();
        }
        Ok(q)
    }

    /// The role a resource's ticket time and assignments use.
    async fn role_for(&self, resource: i64) -> Result<i64> {
        self.default_role(resource).await
    }

    /// The body of a new ticket, with picklist defaults filled in.
    async fn new_ticket_body(&self, t: &NewTicket) -> Result<Map<String, Value>> {
        let pl = self.picklists("Tickets").await?;
        let mut body = Map::new();
        body.insert("companyID".into(), json!(company_id(&t.company)?));
        body.insert("title".into(), json!(t.summary));
        put(&mut body, "description", t.description.as_ref());
        put(
            &mut body,
            "contactID",
            opt_int(t.contact.as_ref(), "contact id")?,
        );
        let pick = |given: Option<&Id>, field: &str, what: &str| -> Result<Option<i64>> {
            match opt_int(given, what)? {
                Some(v) => {
                    check_picklist(&pl, field, v)?;
                    Ok(Some(v))
                }
                None => Ok(pl.default_value(field)),
            }
        };
        let status = pick(t.status.as_ref(), "status", "status id")?.ok_or_else(|| {
            Error::invalid_input("no status given and the Tickets status picklist has no default")
        })?;
        let priority = pick(t.priority.as_ref(), "priority", "priority id")?.ok_or_else(|| {
            Error::invalid_input(
                "no priority given and the Tickets priority picklist has no default",
            )
        })?;
        body.insert("status".into(), json!(status));
        body.insert("priority".into(), json!(priority));
        let queue = pick(t.queue.as_ref(), "queueID", "queue id")?;
        put(&mut body, "queueID", queue);
        if let Some(v) = opt_int(t.ticket_type.as_ref(), "ticket type id")? {
            check_picklist(&pl, "ticketType", v)?;
            body.insert("ticketType".into(), json!(v));
        }
        if let Some(v) = opt_int(t.subtype.as_ref(), "subtype (issue type) id")? {
            check_picklist(&pl, "issueType", v)?;
            body.insert("issueType".into(), json!(v));
        }
        if let Some(owner) = opt_int(t.owner.as_ref(), "owner id")? {
            body.insert("assignedResourceID".into(), json!(owner));
            body.insert(
                "assignedResourceRoleID".into(),
                json!(self.role_for(owner).await?),
            );
        }
        if queue.is_none() && t.owner.is_none() {
            return Err(Error::invalid_input(
                "Autotask needs a queue or an owner for a new ticket, and the queue picklist has no default",
            ));
        }
        if !t.custom_fields.is_empty() {
            body.insert("userDefinedFields".into(), udfs_from(&t.custom_fields));
        }
        Ok(body)
    }

    async fn ticket_patch_body(&self, id: i64, p: &TicketPatch) -> Result<Map<String, Value>> {
        p.check_mapped(
            Vendor::Autotask,
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
        let pl = self.picklists("Tickets").await?;
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        for (given, field, what) in [
            (p.status.as_ref(), "status", "status id"),
            (p.priority.as_ref(), "priority", "priority id"),
            (p.queue.as_ref(), "queueID", "queue id"),
            (p.ticket_type.as_ref(), "ticketType", "ticket type id"),
            (p.subtype.as_set(), "issueType", "subtype (issue type) id"),
        ] {
            if let Some(v) = opt_int(given, what)? {
                check_picklist(&pl, field, v)?;
                body.insert(field.into(), json!(v));
            }
        }
        if let Some(owner) = opt_int(p.owner.as_set(), "owner id")? {
            body.insert("assignedResourceID".into(), json!(owner));
            body.insert(
                "assignedResourceRoleID".into(),
                json!(self.role_for(owner).await?),
            );
        }
        put(&mut body, "title", p.summary.as_ref());
        if !p.custom_fields.is_empty() {
            body.insert("userDefinedFields".into(), udfs_from(&p.custom_fields));
        }
        Ok(body)
    }

    async fn uniform_time_entry(&self, id: i64) -> Result<TimeEntry> {
        let (e, raw) = self.fetch_item::<models::TimeEntry>(id).await?;
        Ok(mapping::time_entry(&e, raw))
    }

    /// For each service call: its first linked ticket and every resource
    /// assigned through its tickets. `in` lists stay under Autotask's 500
    /// OR conditions.
    async fn schedule_links(&self, calls: &[i64]) -> Result<HashMap<i64, (Option<i64>, Vec<i64>)>> {
        let mut out: HashMap<i64, (Option<i64>, Vec<i64>)> = HashMap::new();
        let mut link_to_call = HashMap::new();
        for chunk in calls.chunks(400) {
            let links = self
                .collect_records::<ServiceCallTicket>(
                    Query::new().filter(Filter::is_in("serviceCallID", chunk.to_vec())),
                    None,
                )
                .await?;
            for (l, _) in links {
                if let Some(call) = l.service_call_id {
                    let entry = out.entry(call).or_default();
                    if entry.0.is_none() {
                        entry.0 = l.ticket_id;
                    }
                    link_to_call.insert(l.id, call);
                }
            }
        }
        let link_ids: Vec<i64> = link_to_call.keys().copied().collect();
        for chunk in link_ids.chunks(400) {
            let resources = self
                .collect_records::<ServiceCallTicketResource>(
                    Query::new().filter(Filter::is_in("serviceCallTicketID", chunk.to_vec())),
                    None,
                )
                .await?;
            for (r, _) in resources {
                let call = r.service_call_ticket_id.and_then(|l| link_to_call.get(&l));
                if let (Some(call), Some(resource)) = (call, r.resource_id) {
                    let entry = out.entry(*call).or_default();
                    if !entry.1.contains(&resource) {
                        entry.1.push(resource);
                    }
                }
            }
        }
        Ok(out)
    }

    async fn uniform_schedule_entry(&self, id: i64) -> Result<ScheduleEntry> {
        let (call, raw) = self.fetch_item::<ServiceCall>(id).await?;
        let mut links = self.schedule_links(&[id]).await?;
        let (ticket, resources) = links.remove(&id).unwrap_or_default();
        Ok(mapping::schedule_entry(
            &call,
            raw,
            ticket,
            resources.first().copied(),
        ))
    }

    async fn kb_content(&self, article: i64) -> Result<Option<String>> {
        let rows = self
            .list_children::<models::ArticlePlainTextContent>(format!(
                "KnowledgeBaseArticles/{article}/PlainTextContent"
            ))
            .await?;
        Ok(rows.into_iter().find_map(|(r, _)| r.content_data))
    }

    /// The webhook field ids (from the `fieldID` picklist of
    /// `TicketWebhookFields`) of the ticket fields the uniform events need.
    async fn webhook_field_ids(&self) -> Result<Vec<i64>> {
        let pl = self.picklists("TicketWebhookFields").await?;
        let wanted = [
            "status",
            "priority",
            "queueID",
            "assignedResourceID",
            "title",
        ];
        let mut ids = Vec::new();
        for name in wanted {
            let stem = name.trim_end_matches("ID");
            let found = pl.values("fieldID").iter().find(|p| {
                let l = p.label.trim();
                l.eq_ignore_ascii_case(name) || l.eq_ignore_ascii_case(stem)
            });
            if let Some(v) = found.and_then(|p| p.value.trim().parse().ok()) {
                ids.push(v);
            }
        }
        if ids.is_empty() {
            return Err(Error::new(
                psa_core::ErrorKind::Api,
                "the TicketWebhookFields fieldID picklist names none of status, priority, queueID, assignedResourceID, title",
            )
            .with_vendor(Vendor::Autotask));
        }
        Ok(ids)
    }
}

#[async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        Vendor::Autotask
    }

    fn capabilities(&self) -> Capabilities {
        caps::capabilities(self.impersonation().is_some())
    }

    // ---- tickets ---------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        self.uniform_ticket(int_id(id, "ticket id")?).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        let this = self.clone();
        stream::once(async move {
            let (pl, closed) = this.ticket_context().await?;
            let q = Client::ticket_filters(&query, &closed)?;
            let q = sized(q, query.limit);
            q.validate()?;
            Ok::<_, Error>(
                this.query_records::<models::Ticket>(q, query.limit)
                    .map_ok(move |(t, raw)| mapping::ticket(&t, raw, &pl, &closed)),
            )
        })
        .try_flatten()
        .boxed()
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        ticket.validate()?;
        let body = self.new_ticket_body(&ticket).await?;
        let id = self
            .post_create("Tickets".into(), Value::Object(body))
            .await?;
        self.uniform_ticket(id).await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        patch.validate()?;
        let id = int_id(id, "ticket id")?;
        let body = self.ticket_patch_body(id, &patch).await?;
        self.patch_update("Tickets".into(), Value::Object(body))
            .await?;
        self.uniform_ticket(id).await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        let _ = (into, from);
        Err(caps::unsupported(NO_MERGE))
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        let parent = int_id(parent, "parent ticket id")?;
        if children.is_empty() {
            return Err(Error::invalid_input(
                "bundle needs at least one child ticket",
            ));
        }
        let mut ids = Vec::with_capacity(children.len());
        for c in children {
            let c = int_id(c, "child ticket id")?;
            if c == parent {
                return Err(Error::invalid_input(
                    "a ticket cannot be bundled under itself",
                ));
            }
            ids.push(c);
        }
        for child in ids {
            self.patch_update(
                "Tickets".into(),
                json!({"id": child, "problemTicketId": parent}),
            )
            .await?;
        }
        Ok(())
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(caps::unsupported(NO_TICKET_DELETE))
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        let ticket = match int_id(ticket, "ticket id") {
            Ok(t) => t,
            Err(e) => return error_stream(e),
        };
        self.query_records::<TicketHistory>(
            Query::new().filter(Filter::eq("ticketID", ticket)),
            None,
        )
        .map_ok(|(h, raw)| mapping::audit_entry(&h, raw))
        .boxed()
    }

    // ---- notes -------------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        let ticket = match int_id(ticket, "ticket id") {
            Ok(t) => t,
            Err(e) => return error_stream(e),
        };
        let this = self.clone();
        stream::once(async move {
            let pl = this.picklists("TicketNotes").await?;
            let publish = crate::picklist::PublishValues::from_picklists(&pl);
            let mut notes: Vec<Note> = this
                .collect_records::<TicketNote>(
                    Query::new().filter(Filter::eq("ticketID", ticket)),
                    None,
                )
                .await?
                .into_iter()
                .map(|(n, raw)| mapping::note(&n, raw, &pl, publish))
                .collect();
            notes.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
            Ok::<_, Error>(stream::iter(notes.into_iter().map(Ok)))
        })
        .try_flatten()
        .boxed()
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        note.validate()?;
        let ticket = int_id(ticket, "ticket id")?;
        if note.notify {
            return Err(caps::unsupported(NO_NOTIFY));
        }
        if note.visibility == NoteVisibility::Resolution {
            self.patch_update(
                "Tickets".into(),
                json!({"id": ticket, "resolution": note.body}),
            )
            .await?;
            let mut out = Note::new(
                Id::text(format!("resolution:{ticket}"))?,
                Id::int(ticket),
                note.body.clone(),
                NoteVisibility::Resolution,
            );
            out.created_at = Some(Utc::now());
            out.raw = json!({"id": ticket, "resolution": note.body}).into();
            return Ok(out);
        }
        let pl = self.picklists("TicketNotes").await?;
        let publish = crate::picklist::PublishValues::from_picklists(&pl).ok_or_else(|| {
            Error::new(
                psa_core::ErrorKind::Api,
                "the TicketNotes publish picklist has no \"All Autotask Users\" and internal values",
            )
            .with_vendor(Vendor::Autotask)
        })?;
        let publish_value = if note.visibility == NoteVisibility::Internal {
            publish.internal
        } else {
            publish.all_users
        };
        let note_type = pl
            .default_value("noteType")
            .or_else(|| {
                pl.values("noteType")
                    .iter()
                    .find(|p| p.is_active)
                    .and_then(|p| p.value.trim().parse().ok())
            })
            .ok_or_else(|| Error::invalid_input("the TicketNotes noteType picklist is empty"))?;
        let body = json!({
            "ticketID": ticket,
            "title": first_line(&note.body, 250),
            "description": note.body,
            "noteType": note_type,
            "publish": publish_value,
        });
        let id = self
            .post_create(format!("Tickets/{ticket}/Notes"), body)
            .await?;
        let (n, raw) = self.fetch_item::<TicketNote>(id).await?;
        Ok(mapping::note(&n, raw, &pl, Some(publish)))
    }

    // ---- time ----------------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        let q = (|| -> Result<Query> {
            query.validate()?;
            let mut q = Query::new();
            if let Some(t) = opt_int(query.ticket.as_ref(), "ticket id")? {
                q = q.filter(Filter::eq("ticketID", t));
            }
            if let Some(a) = opt_int(query.agent.as_ref(), "agent id")? {
                q = q.filter(Filter::eq("resourceID", a));
            }
            if let Some(f) = query.from {
                q = q.filter(Filter::gte("startDateTime", f));
            }
            if let Some(t) = query.to {
                q = q.filter(Filter::lt("startDateTime", t));
            }
            q.validate()?;
            Ok(q)
        })();
        match q {
            Ok(q) => self
                .query_records::<models::TimeEntry>(q, None)
                .map_ok(|(e, raw)| mapping::time_entry(&e, raw))
                .boxed(),
            Err(e) => error_stream(e),
        }
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        entry.validate()?;
        let ticket = int_id(&entry.ticket, "ticket id")?;
        let resource = match opt_int(entry.agent.as_ref(), "agent id")? {
            Some(r) => r,
            None => self.agent_resource().ok_or_else(|| {
                Error::invalid_input(
                    "no agent given and the client has no agent resource (ClientBuilder::agent_resource)",
                )
            })?,
        };
        let role = self.role_for(resource).await?;
        let duration = entry.span.duration_from(entry.start)?;
        let end = entry.span.end_from(entry.start)?;
        let mut body = Map::new();
        body.insert("ticketID".into(), json!(ticket));
        body.insert("resourceID".into(), json!(resource));
        body.insert("roleID".into(), json!(role));
        body.insert("startDateTime".into(), ts(entry.start));
        body.insert("endDateTime".into(), ts(end));
        body.insert(
            "hoursWorked".into(),
            json!(mapping::duration_to_hours(duration)),
        );
        put(&mut body, "isNonBillable", entry.billable.map(|b| !b));
        put(
            &mut body,
            "billingCodeID",
            opt_int(entry.work_type.as_ref(), "work type id")?,
        );
        put(&mut body, "summaryNotes", entry.note.as_ref());
        let id = self
            .post_create("TimeEntries".into(), Value::Object(body))
            .await?;
        self.uniform_time_entry(id).await
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        patch.validate()?;
        let id = int_id(id, "time entry id")?;
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        if patch.start.is_some() || patch.span.is_some() {
            let (current, _) = self.fetch_item::<models::TimeEntry>(id).await?;
            let start = patch
                .start
                .or_else(|| current.start_date_time.as_ref().map(Timestamp::utc))
                .ok_or_else(|| Error::invalid_input("the time entry has no start to keep"))?;
            let span = match patch.span {
                Some(s) => s,
                None => match (&current.start_date_time, &current.end_date_time) {
                    (Some(s), Some(e)) => {
                        WorkSpan::Duration((e.utc() - s.utc()).to_std().map_err(|_| {
                            Error::invalid_input("the time entry ends before it starts")
                        })?)
                    }
                    _ => WorkSpan::Duration(
                        current
                            .hours_worked
                            .and_then(mapping::hours_to_duration)
                            .ok_or_else(|| {
                                Error::invalid_input("the time entry has no duration to keep")
                            })?,
                    ),
                },
            };
            let duration = span.duration_from(start)?;
            if duration > psa_core::MAX_TIME_ENTRY {
                return Err(Error::invalid_input(
                    "a time entry cannot be longer than a day",
                ));
            }
            body.insert("startDateTime".into(), ts(start));
            body.insert("endDateTime".into(), ts(span.end_from(start)?));
            body.insert(
                "hoursWorked".into(),
                json!(mapping::duration_to_hours(duration)),
            );
        }
        put(&mut body, "isNonBillable", patch.billable.map(|b| !b));
        put(
            &mut body,
            "billingCodeID",
            opt_int(patch.work_type.as_ref(), "work type id")?,
        );
        put(&mut body, "summaryNotes", patch.note.as_ref());
        self.patch_update("TimeEntries".into(), Value::Object(body))
            .await?;
        self.uniform_time_entry(id).await
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        let id = int_id(id, "time entry id")?;
        self.delete_path(format!("TimeEntries/{id}")).await
    }

    // ---- companies and contacts -----------------------------------------------------

    async fn get_company(&self, id: &Id) -> Result<Company> {
        let (c, raw) = self.fetch_item::<models::Company>(company_id(id)?).await?;
        Ok(mapping::company(&c, raw))
    }

    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        let q = (|| -> Result<Query> {
            let mut q = Query::new();
            if let Some(name) = &query.name {
                q = q.filter(Filter::contains(
                    "companyName",
                    text_arg("company name", name)?,
                ));
            }
            if !query.include_inactive {
                q = q.filter(Filter::eq("isActive", true));
            }
            if q.filter_list().is_empty() {
                // `id gt 0` would miss the MSP's own company, id 0.
                q = q.filter(Filter::gte("id", 0));
            }
            let q = sized(q, query.limit);
            q.validate()?;
            Ok(q)
        })();
        match q {
            Ok(q) => self
                .query_records::<models::Company>(q, query.limit)
                .map_ok(|(c, raw)| mapping::company(&c, raw))
                .boxed(),
            Err(e) => error_stream(e),
        }
    }

    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        let (c, raw) = self
            .fetch_item::<models::Contact>(int_id(id, "contact id")?)
            .await?;
        Ok(mapping::contact(&c, raw))
    }

    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        let built = (|| -> Result<(Query, Option<String>)> {
            query.validate()?;
            let mut q = Query::new();
            if let Some(c) = query.company.as_ref().map(company_id).transpose()? {
                q = q.filter(Filter::eq("companyID", c));
            }
            if let Some(name) = &query.name {
                let name = text_arg("contact name", name)?;
                let mut parts = name.split_whitespace();
                let filter = match (parts.next(), parts.next_back()) {
                    (Some(first), Some(last)) => Filter::or([
                        Filter::and([
                            Filter::contains("firstName", first),
                            Filter::contains("lastName", last),
                        ]),
                        Filter::contains("lastName", name.clone()),
                        Filter::contains("firstName", name.clone()),
                    ]),
                    _ => Filter::or([
                        Filter::contains("firstName", name.clone()),
                        Filter::contains("lastName", name.clone()),
                    ]),
                };
                q = q.filter(filter);
            }
            if let Some(email) = &query.email {
                let email = text_arg("contact email", email)?;
                q = q.filter(Filter::or([
                    Filter::eq("emailAddress", email.clone()),
                    Filter::eq("emailAddress2", email.clone()),
                    Filter::eq("emailAddress3", email),
                ]));
            }
            let digits = query.phone_digits();
            if let Some(d) = &digits {
                let tail: String = d
                    .chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                q = q.filter(Filter::or([
                    Filter::contains("phone", tail.clone()),
                    Filter::contains("mobilePhone", tail.clone()),
                    Filter::contains("alternatePhone", tail),
                ]));
            }
            let q = if digits.is_some() {
                q
            } else {
                sized(q, query.limit)
            };
            q.validate()?;
            Ok((q, digits))
        })();
        let (q, digits) = match built {
            Ok(b) => b,
            Err(e) => return error_stream(e),
        };
        let limit = query.limit;
        let s = self
            .query_records::<models::Contact>(q, if digits.is_some() { None } else { limit })
            .try_filter(move |(c, _)| {
                let keep = match &digits {
                    None => true,
                    Some(want) => [&c.phone, &c.mobile_phone, &c.alternate_phone]
                        .into_iter()
                        .flatten()
                        .any(|p| same_number(p, want)),
                };
                futures::future::ready(keep)
            })
            .map_ok(|(c, raw)| mapping::contact(&c, raw));
        match limit {
            Some(n) => s.take(usize::try_from(n).unwrap_or(usize::MAX)).boxed(),
            None => s.boxed(),
        }
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        contact.validate()?;
        let company = company_id(&contact.company)?;
        let last = contact
            .last_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::invalid_input("Autotask requires a contact's last name"))?;
        let mut body = Map::new();
        body.insert("companyID".into(), json!(company));
        body.insert("firstName".into(), json!(contact.first_name.trim()));
        body.insert("lastName".into(), json!(last));
        body.insert("isActive".into(), json!(1));
        put(&mut body, "emailAddress", contact.email.as_ref());
        put(&mut body, "phone", contact.phone.as_ref());
        let id = self
            .post_create(format!("Companies/{company}/Contacts"), Value::Object(body))
            .await?;
        let (c, raw) = self.fetch_item::<models::Contact>(id).await?;
        Ok(mapping::contact(&c, raw))
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        patch.validate()?;
        let id = int_id(id, "contact id")?;
        let (current, _) = self.fetch_item::<models::Contact>(id).await?;
        let company = current
            .company_id
            .ok_or_else(|| Error::invalid_input(format!("contact {id} has no company")))?;
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        put(&mut body, "firstName", patch.first_name.as_ref());
        put(&mut body, "lastName", patch.last_name.as_ref());
        put(&mut body, "emailAddress", patch.email.as_ref());
        put(&mut body, "phone", patch.phone.as_ref());
        self.patch_update(format!("Companies/{company}/Contacts"), Value::Object(body))
            .await?;
        let (c, raw) = self.fetch_item::<models::Contact>(id).await?;
        Ok(mapping::contact(&c, raw))
    }

    // ---- configurations ---------------------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        let (ci, raw) = self
            .fetch_item::<ConfigurationItem>(int_id(id, "configuration id")?)
            .await?;
        let pl = self.picklists("ConfigurationItems").await?;
        Ok(mapping::configuration(&ci, raw, &pl))
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        let this = self.clone();
        stream::once(async move {
            let mut q = Query::new();
            if let Some(c) = query.company.as_ref().map(company_id).transpose()? {
                q = q.filter(Filter::eq("companyID", c));
            }
            if let Some(name) = &query.name {
                q = q.filter(Filter::contains(
                    "referenceTitle",
                    text_arg("configuration name", name)?,
                ));
            }
            if !query.include_inactive {
                q = q.filter(Filter::eq("isActive", true));
            }
            if q.filter_list().is_empty() {
                q = Query::all();
            }
            let q = sized(q, query.limit);
            q.validate()?;
            let pl = this.picklists("ConfigurationItems").await?;
            Ok::<_, Error>(
                this.query_records::<ConfigurationItem>(q, query.limit)
                    .map_ok(move |(ci, raw)| mapping::configuration(&ci, raw, &pl)),
            )
        })
        .try_flatten()
        .boxed()
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        config.validate()?;
        let product = self.configuration_product().ok_or_else(|| {
            Error::invalid_input(
                "Autotask requires a product for a configuration item; set ClientBuilder::configuration_product",
            )
        })?;
        let mut body = Map::new();
        body.insert("companyID".into(), json!(company_id(&config.company)?));
        body.insert("productID".into(), json!(product));
        body.insert("isActive".into(), json!(true));
        body.insert("referenceTitle".into(), json!(config.name));
        put(
            &mut body,
            "configurationItemType",
            opt_int(config.configuration_type.as_ref(), "configuration type id")?,
        );
        put(&mut body, "serialNumber", config.serial_number.as_ref());
        if !config.custom_fields.is_empty() {
            body.insert("userDefinedFields".into(), udfs_from(&config.custom_fields));
        }
        let id = self
            .post_create("ConfigurationItems".into(), Value::Object(body))
            .await?;
        self.get_configuration(&Id::int(id)).await
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        patch.validate()?;
        let id = int_id(id, "configuration id")?;
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        put(&mut body, "referenceTitle", patch.name.as_ref());
        put(
            &mut body,
            "configurationItemType",
            opt_int(patch.configuration_type.as_ref(), "configuration type id")?,
        );
        put(&mut body, "serialNumber", patch.serial_number.as_ref());
        put(&mut body, "isActive", patch.active);
        if !patch.custom_fields.is_empty() {
            body.insert("userDefinedFields".into(), udfs_from(&patch.custom_fields));
        }
        self.patch_update("ConfigurationItems".into(), Value::Object(body))
            .await?;
        self.get_configuration(&Id::int(id)).await
    }

    // ---- schedule ------------------------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        let this = self.clone();
        stream::once(async move {
            query.validate()?;
            let agent = opt_int(query.agent.as_ref(), "agent id")?;
            let q = Query::new()
                .filter(Filter::gte("startDateTime", query.from))
                .filter(Filter::lt("startDateTime", query.to));
            let calls = this.collect_records::<ServiceCall>(q, None).await?;
            let ids: Vec<i64> = calls.iter().map(|(c, _)| c.id).collect();
            let mut links = this.schedule_links(&ids).await?;
            let mut out = Vec::with_capacity(calls.len());
            for (call, raw) in calls {
                let (ticket, resources) = links.remove(&call.id).unwrap_or_default();
                let shown = match agent {
                    Some(a) if resources.contains(&a) => Some(a),
                    Some(_) => continue,
                    None => resources.first().copied(),
                };
                out.push(Ok(mapping::schedule_entry(&call, raw, ticket, shown)));
            }
            Ok::<_, Error>(stream::iter(out))
        })
        .try_flatten()
        .boxed()
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        entry.validate()?;
        let agent = int_id(&entry.agent, "agent id")?;
        let ticket = opt_int(entry.ticket.as_ref(), "ticket id")?.ok_or_else(|| {
            Error::invalid_input(
                "Autotask service calls belong to a company: give the ticket the schedule entry is for",
            )
        })?;
        let (t, _) = self.fetch_item::<models::Ticket>(ticket).await?;
        let company = t
            .company_id
            .ok_or_else(|| Error::invalid_input(format!("ticket {ticket} has no company")))?;
        let pl = self.picklists("ServiceCalls").await?;
        let status = pl
            .default_value("status")
            .or_else(|| {
                pl.values("status")
                    .iter()
                    .find(|p| p.is_active)
                    .and_then(|p| p.value.trim().parse().ok())
            })
            .ok_or_else(|| Error::invalid_input("the ServiceCalls status picklist is empty"))?;
        let mut body = Map::new();
        body.insert("companyID".into(), json!(company));
        body.insert("startDateTime".into(), ts(entry.start));
        body.insert("endDateTime".into(), ts(entry.end));
        body.insert("status".into(), json!(status));
        put(
            &mut body,
            "description",
            mapping::join_description(entry.subject.as_deref(), entry.note.as_deref()),
        );
        let call = self
            .post_create("ServiceCalls".into(), Value::Object(body))
            .await?;
        let link = self
            .post_create(
                format!("ServiceCalls/{call}/Tickets"),
                json!({"serviceCallID": call, "ticketID": ticket}),
            )
            .await
            .map_err(|e| partial_write(e, call))?;
        self.post_create(
            format!("ServiceCallTickets/{link}/Resources"),
            json!({"serviceCallTicketID": link, "resourceID": agent}),
        )
        .await
        .map_err(|e| partial_write(e, call))?;
        self.uniform_schedule_entry(call).await
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        patch.validate()?;
        let id = int_id(id, "schedule entry id")?;
        let (current, _) = self.fetch_item::<ServiceCall>(id).await?;
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        put(&mut body, "startDateTime", patch.start.map(ts));
        put(&mut body, "endDateTime", patch.end.map(ts));
        if patch.subject.is_some() || patch.note.is_some() {
            let (old_subject, old_note) = {
                let e = mapping::schedule_entry(&current, Value::Null, None, None);
                (e.subject, e.note)
            };
            let subject = patch.subject.clone().or(old_subject);
            let note = patch.note.clone().or(old_note);
            put(
                &mut body,
                "description",
                mapping::join_description(subject.as_deref(), note.as_deref()),
            );
        }
        if let (Some(start), None) = (patch.start, patch.end) {
            if current
                .end_date_time
                .as_ref()
                .is_some_and(|e| e.utc() <= start)
            {
                return Err(Error::invalid_input(
                    "the new start is after the service call's end",
                ));
            }
        }
        if body.len() > 1 {
            self.patch_update("ServiceCalls".into(), Value::Object(body))
                .await?;
        }
        if let Some(agent) = opt_int(patch.agent.as_ref(), "agent id")? {
            let links = self
                .list_children::<ServiceCallTicket>(format!("ServiceCalls/{id}/Tickets"))
                .await?;
            if links.is_empty() {
                return Err(Error::invalid_input(format!(
                    "service call {id} has no ticket to assign an agent through"
                )));
            }
            for (link, _) in links {
                let assigned = self
                    .list_children::<ServiceCallTicketResource>(format!(
                        "ServiceCallTickets/{}/Resources",
                        link.id
                    ))
                    .await?;
                if assigned.iter().any(|(r, _)| r.resource_id == Some(agent)) {
                    continue;
                }
                self.post_create(
                    format!("ServiceCallTickets/{}/Resources", link.id),
                    json!({"serviceCallTicketID": link.id, "resourceID": agent}),
                )
                .await?;
                for (r, _) in assigned {
                    self.delete_path(format!("ServiceCallTickets/{}/Resources/{}", link.id, r.id))
                        .await?;
                }
            }
        }
        self.uniform_schedule_entry(id).await
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        let id = int_id(id, "schedule entry id")?;
        self.delete_path(format!("ServiceCalls/{id}")).await
    }

    // ---- products ---------------------------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        let q = (|| -> Result<Query> {
            let mut q = Query::new();
            if let Some(text) = &query.text {
                let text = text_arg("product search text", text)?;
                q = q.filter(Filter::or([
                    Filter::contains("name", text.clone()),
                    Filter::contains("sku", text.clone()),
                    Filter::contains("manufacturerProductName", text),
                ]));
            }
            if !query.include_inactive {
                q = q.filter(Filter::eq("isActive", true));
            }
            if q.filter_list().is_empty() {
                q = Query::all();
            }
            let q = sized(q, query.limit);
            q.validate()?;
            Ok(q)
        })();
        match q {
            Ok(q) => self
                .query_records::<models::Product>(q, query.limit)
                .map_ok(|(p, raw)| mapping::product(&p, raw))
                .boxed(),
            Err(e) => error_stream(e),
        }
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        item.validate()?;
        let ticket = int_id(ticket, "ticket id")?;
        let product_id = int_id(&item.product, "product id")?;
        let (product, _) = self.fetch_item::<models::Product>(product_id).await?;
        let pl = self.picklists("TicketCharges").await?;
        let pick = |field: &str| {
            pl.default_value(field).or_else(|| {
                pl.values(field)
                    .iter()
                    .find(|p| p.is_active)
                    .and_then(|p| p.value.trim().parse().ok())
            })
        };
        let mut body = Map::new();
        body.insert("ticketID".into(), json!(ticket));
        body.insert("productID".into(), json!(product_id));
        body.insert(
            "name".into(),
            json!(
                product
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("Product {product_id}"))
            ),
        );
        body.insert("unitQuantity".into(), json!(item.quantity));
        put(&mut body, "unitPrice", item.price.or(product.unit_price));
        put(&mut body, "unitCost", product.unit_cost);
        put(&mut body, "description", item.description.as_ref());
        body.insert(
            "isBillableToCompany".into(),
            json!(item.billable.unwrap_or(true)),
        );
        body.insert(
            "chargeType".into(),
            json!(pick("chargeType").ok_or_else(|| Error::invalid_input(
                "the TicketCharges chargeType picklist is empty"
            ))?),
        );
        body.insert(
            "status".into(),
            json!(pick("status").ok_or_else(|| Error::invalid_input(
                "the TicketCharges status picklist is empty"
            ))?),
        );
        body.insert("datePurchased".into(), ts(Utc::now()));
        let id = self
            .post_create(format!("Tickets/{ticket}/Charges"), Value::Object(body))
            .await?;
        let (c, raw) = self.fetch_item::<TicketCharge>(id).await?;
        Ok(mapping::line_item(&c, raw))
    }

    // ---- read-only records -------------------------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        let this = self.clone();
        stream::once(async move {
            let pl = this.picklists("Contracts").await?;
            let active = pl.value_by_label("status", "Active");
            let mut q = Query::new();
            if let Some(c) = query.company.as_ref().map(company_id).transpose()? {
                q = q.filter(Filter::eq("companyID", c));
            }
            if !query.include_inactive {
                match active {
                    Some(a) => q = q.filter(Filter::eq("status", a)),
                    None => q = q.filter(Filter::gte("endDate", Utc::now())),
                }
            }
            if q.filter_list().is_empty() {
                q = Query::all();
            }
            q.validate()?;
            Ok::<_, Error>(
                this.query_records::<models::Contract>(q, None)
                    .map_ok(move |(c, raw)| mapping::agreement(&c, raw, &pl, active)),
            )
        })
        .try_flatten()
        .boxed()
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        let this = self.clone();
        stream::once(async move {
            let pl = this.picklists("Tickets").await?;
            let slas: Vec<Result<Sla>> = pl
                .values("serviceLevelAgreementID")
                .iter()
                .filter_map(|p| {
                    let id: i64 = p.value.trim().parse().ok()?;
                    let mut sla = Sla::new(Id::int(id), p.label.clone());
                    sla.raw = serde_json::to_value(p).unwrap_or(Value::Null).into();
                    Some(Ok(sla))
                })
                .collect();
            Ok::<_, Error>(stream::iter(slas))
        })
        .try_flatten()
        .boxed()
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        let this = self.clone();
        stream::once(async move {
            let pl = this.picklists("Projects").await?;
            let mut complete: Vec<i64> = pl
                .values("status")
                .iter()
                .filter(|p| p.label.trim().eq_ignore_ascii_case("Complete"))
                .filter_map(|p| p.value.trim().parse().ok())
                .collect();
            if complete.is_empty() {
                complete.push(crate::picklist::STATUS_COMPLETE);
            }
            let mut q = Query::new();
            if let Some(c) = query.company.as_ref().map(company_id).transpose()? {
                q = q.filter(Filter::eq("companyID", c));
            }
            if !query.include_closed {
                q = q.filter(Filter::not_in("status", complete.clone()));
            }
            if q.filter_list().is_empty() {
                q = Query::all();
            }
            let q = sized(q, query.limit);
            q.validate()?;
            Ok::<_, Error>(
                this.query_records::<models::Project>(q, query.limit)
                    .map_ok(move |(p, raw)| mapping::project(&p, raw, &pl, &complete)),
            )
        })
        .try_flatten()
        .boxed()
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        let q = (|| -> Result<Query> {
            let mut q = Query::new().filter(Filter::eq("isActive", true));
            if let Some(text) = &query.text {
                let text = text_arg("knowledge-base search text", text)?;
                q = q.filter(Filter::or([
                    Filter::contains("title", text.clone()),
                    Filter::contains("keywords", text.clone()),
                    Filter::contains("errorCodes", text),
                ]));
            }
            let q = sized(q, query.limit);
            q.validate()?;
            Ok(q)
        })();
        match q {
            Ok(q) => self
                .query_records::<KnowledgeBaseArticle>(q, query.limit)
                .map_ok(|(a, raw)| mapping::kb_article(&a, raw, None))
                .boxed(),
            Err(e) => error_stream(e),
        }
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        let id = int_id(id, "article id")?;
        let (a, raw) = self.fetch_item::<KnowledgeBaseArticle>(id).await?;
        let content = self.kb_content(id).await?;
        Ok(mapping::kb_article(&a, raw, content))
    }

    // ---- look-ups ------------------------------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let _ = scope;
        let (pl, closed) = self.ticket_context().await?;
        Ok(mapping::lookup_items(pl.values("status"), Some(&closed)))
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        let pl = self.picklists("Tickets").await?;
        Ok(mapping::lookup_items(pl.values("priority"), None))
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        let pl = self.picklists("Tickets").await?;
        Ok(mapping::lookup_items(pl.values("queueID"), None))
    }

    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let _ = scope;
        let pl = self.picklists("Tickets").await?;
        Ok(mapping::lookup_items(pl.values("ticketType"), None))
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        Ok(self
            .collect_records::<Resource>(Query::new().filter(Filter::eq("isActive", true)), None)
            .await?
            .into_iter()
            .map(|(r, raw)| mapping::agent(&r, raw))
            .collect())
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        Ok(self
            .collect_records::<BillingCode>(
                Query::new()
                    .filter(Filter::eq("billingCodeType", 1))
                    .filter(Filter::eq("isActive", true)),
                None,
            )
            .await?
            .into_iter()
            .map(|(b, raw)| mapping::work_type(&b, raw))
            .collect())
    }

    // ---- webhooks ----------------------------------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        hook.validate()?;
        let secret = hook.secret.clone().ok_or_else(|| {
            Error::invalid_input(
                "Autotask signs deliveries with a secret key: give the webhook a secret",
            )
        })?;
        webhook::validate_secret_key(&secret)?;
        if hook.name.chars().count() > 50 {
            return Err(Error::invalid_input(
                "an Autotask webhook name has at most 50 characters",
            ));
        }
        if hook.url.as_str().len() > 500 {
            return Err(Error::invalid_input(
                "an Autotask webhook URL has at most 500 characters",
            ));
        }
        let wants = |k: &TicketEventKind| hook.events.is_empty() || hook.events.contains(k);
        let create = wants(&TicketEventKind::Created);
        let delete = wants(&TicketEventKind::Deleted);
        let update = hook.events.is_empty()
            || hook.events.iter().any(|k| {
                matches!(
                    k,
                    TicketEventKind::Updated
                        | TicketEventKind::StatusChanged
                        | TicketEventKind::Assigned
                        | TicketEventKind::Closed
                )
            });
        if let Some(other) = hook.events.iter().find(|k| {
            !matches!(
                k,
                TicketEventKind::Created
                    | TicketEventKind::Deleted
                    | TicketEventKind::Updated
                    | TicketEventKind::StatusChanged
                    | TicketEventKind::Assigned
                    | TicketEventKind::Closed
            )
        }) {
            return Err(Error::invalid_input(format!(
                "Autotask ticket webhooks cannot deliver `{other}` events (ticket notes have their own webhook entity)"
            )));
        }
        let field_ids = self.webhook_field_ids().await?;
        let w = TicketWebhook {
            name: Some(hook.name.clone()),
            webhook_url: Some(hook.url.to_string()),
            deactivation_url: Some(hook.url.to_string()),
            is_active: Some(true),
            is_subscribed_to_create_events: Some(create),
            is_subscribed_to_update_events: Some(update),
            is_subscribed_to_delete_events: Some(delete),
            send_threshold_exceeded_notification: Some(false),
            secret_key: Some(secret),
            ..TicketWebhook::default()
        };
        let body = serde_json::to_value(&w)
            .map_err(|e| Error::invalid_input("the webhook could not be encoded").with_source(e))?;
        let id = self.post_create("TicketWebhooks".into(), body).await?;
        for field in field_ids {
            let row = TicketWebhookField::new(field, true, false);
            let mut body = serde_json::to_value(&row).unwrap_or(Value::Null);
            body["webhookID"] = json!(id);
            self.post_create(format!("TicketWebhooks/{id}/Fields"), body)
                .await
                .map_err(|e| partial_write(e, id))?;
        }
        if let Some(api_user) = self.api_user_resource().await? {
            let mut body = serde_json::to_value(TicketWebhookExcludedResource::new(api_user))
                .unwrap_or(Value::Null);
            body["webhookID"] = json!(id);
            self.post_create(format!("TicketWebhooks/{id}/ExcludedResources"), body)
                .await
                .map_err(|e| partial_write(e, id))?;
        }
        let (w, raw) = self.fetch_item::<TicketWebhook>(id).await?;
        Ok(mapping::webhook_subscription(&w, raw))
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        Ok(self
            .collect_records::<TicketWebhook>(Query::all(), None)
            .await?
            .into_iter()
            .map(|(w, raw)| mapping::webhook_subscription(&w, raw))
            .collect())
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        let id = int_id(id, "webhook id")?;
        self.delete_path(format!("TicketWebhooks/{id}")).await
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        let verifier = self.webhook_verifier().ok_or_else(|| {
            Error::new(
                psa_core::ErrorKind::Webhook,
                "no webhook secret configured (ClientBuilder::webhook_secret): deliveries cannot be verified",
            )
            .with_vendor(Vendor::Autotask)
        })?;
        verifier.verify(&delivery.headers, &delivery.body)?;
        let parsed = Delivery::parse(&delivery.body)?;
        let closed = match self.picklists("Tickets").await {
            Ok(pl) => self.closed_statuses_for(&pl),
            Err(_) => self.closed_statuses_for(&crate::picklist::Picklists::default()),
        };
        webhook::ticket_events(&parsed, &closed)
    }

    // ---- anything else -------------------------------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        caps::raw_group(request.normalized_path())
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        request.validate()?;
        self.send_raw(request).await
    }
}

/// Whether a stored phone number and the digits asked for are the same
/// number, formatting, trunk zeros and country code aside: the shorter digit
/// string (at least 6 digits, leading zeros dropped) ends the longer one.
fn same_number(stored: &str, want: &str) -> bool {
    let have: String = stored.chars().filter(char::is_ascii_digit).collect();
    let a = have.trim_start_matches('0');
    let b = want.trim_start_matches('0');
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 6 && long.ends_with(short)
}

/// A multi-step create that failed after its first record was written.
fn partial_write(err: Error, created: i64) -> Error {
    let message = format!(
        "record {created} was created, but a follow-up request failed: {}",
        err.message()
    );
    let mut e = Error::new(err.kind(), message).with_vendor(Vendor::Autotask);
    if let Some(after) = err.retry_after() {
        e = e.with_retry_after(after);
    }
    e.with_source(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_match_across_formats() {
        assert!(same_number("(02) 9222 3001", "61292223001"));
        assert!(same_number("+61 2 9222 3001", "0292223001"));
        assert!(same_number("555-0100 ext", "15550100"));
        assert!(!same_number("(02) 9222 3001", "61292223002"));
        assert!(!same_number("3001", "61292223001"));
    }

    #[test]
    fn uniform_ticket_queries_become_autotask_filters() {
        let q = TicketQuery::open()
            .company(Id::from(12))
            .priority(Id::from(1))
            .priority(Id::from(4))
            .text("printer");
        let body = Client::ticket_filters(&q, &[5]).unwrap().to_body().unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"MaxRecords":500,"Filter":[{"op":"notIn","field":"status","value":[5]},{"op":"in","field":"priority","value":[1,4]},{"op":"eq","field":"companyID","value":12},{"op":"or","items":[{"op":"contains","field":"title","value":"printer"},{"op":"contains","field":"description","value":"printer"}]}]}"#
        );
        let any = Client::ticket_filters(&TicketQuery::any(), &[5]).unwrap();
        assert_eq!(
            String::from_utf8(any.to_body().unwrap()).unwrap(),
            r#"{"MaxRecords":500,"Filter":[{"op":"gt","field":"id","value":0}]}"#
        );
    }

    #[test]
    fn hostile_search_text_cannot_widen_the_query() {
        let hostile = r#"x"},{"op":"gt","field":"id","value":0}],"MaxRecords":500,"x":{"a":"#;
        let q = TicketQuery::closed().text(hostile);
        let body = String::from_utf8(Client::ticket_filters(&q, &[5]).unwrap().to_body().unwrap())
            .unwrap();
        assert_eq!(
            body,
            r#"{"MaxRecords":500,"Filter":[{"op":"in","field":"status","value":[5]},{"op":"or","items":[{"op":"contains","field":"title","value":"x\"},{\"op\":\"gt\",\"field\":\"id\",\"value\":0}],\"MaxRecords\":500,\"x\":{\"a\":"},{"op":"contains","field":"description","value":"x\"},{\"op\":\"gt\",\"field\":\"id\",\"value\":0}],\"MaxRecords\":500,\"x\":{\"a\":"}]}]}"#
        );
        let parsed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["Filter"].as_array().unwrap().len(), 2);
        assert_eq!(parsed["Filter"][1]["items"][0]["value"], hostile);
        assert!(Client::ticket_filters(&TicketQuery::open().text("   "), &[5]).is_err());
        assert!(
            Client::ticket_filters(&TicketQuery::open().company(Id::text("abc").unwrap()), &[5])
                .is_err()
        );
    }
}
