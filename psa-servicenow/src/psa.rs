//! `impl psa_core::Psa for Client`.

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::Method;
use psa_core::psa::error_stream;
use psa_core::{
    Agent, Agreement, AgreementQuery, AuditEntry, Capabilities, Company, CompanyQuery,
    Configuration, ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery,
    Error, Id, KbArticle, KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration, NewContact,
    NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note, Operation,
    PermissionGroup, Product, ProductQuery, Project, ProjectQuery, Psa, RawRequest, RawResponse,
    Ref, Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Ticket, TicketEvent,
    TicketPatch, TicketQuery, TicketState, TimeEntry, TimeEntryPatch, TimeEntryQuery, Vendor,
    WebhookDelivery, WebhookSubscription,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::caps;
use crate::client::{Client, Request};
use crate::error::is_invalid_table;
use crate::ids::{TaskTable, TicketId, sys_id_of};
use crate::mapping::{self, ChoiceLabels};
use crate::models::{
    AstContract, CmdbCi, ContractSla, CoreCompany, Field, JournalEntry, KbKnowledge, PmProject,
    ScCatItem, SysAudit, SysUser, SysUserGroup, TaskTimeWorked, format_glide_datetime,
};
use crate::query::{Query, Term};

/// Decodes a record read as JSON into a typed model, naming the failing field.
fn decode<T: DeserializeOwned>(raw: &Value, what: &str) -> Result<T> {
    psa_core::error::decode_value(Some(Vendor::ServiceNow), &format!("ServiceNow {what}"), raw)
}

fn stop_after<'a, T: Send + 'a>(
    s: BoxStream<'a, Result<T>>,
    limit: Option<u64>,
) -> BoxStream<'a, Result<T>> {
    match limit.and_then(|n| usize::try_from(n).ok()) {
        Some(n) => s.take(n).boxed(),
        None => s,
    }
}

fn with_custom(fields: &[&str], custom: &[String]) -> Vec<String> {
    fields
        .iter()
        .map(|f| (*f).to_owned())
        .chain(custom.iter().cloned())
        .collect()
}

impl Client {
    fn ticket_id(&self, id: &Id) -> Result<TicketId> {
        let t = TicketId::from_id(id, self.default_table())?;
        self.check_table(t.table)?;
        Ok(t)
    }

    fn check_table(&self, table: TaskTable) -> Result<()> {
        if self.config().tables.contains(&table) {
            Ok(())
        } else {
            Err(Error::invalid_input(format!(
                "table {table} is not enabled on this client (ClientBuilder::tables)"
            )))
        }
    }

    fn ticket_fields(&self, table: TaskTable) -> Vec<String> {
        let mut f = with_custom(mapping::TICKET_FIELDS, &self.config().custom_fields);
        if let Some(c) = table.contact_field() {
            f.push(c.to_owned());
            f.push(format!("{c}.name"));
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

    async fn ticket_labels(&self, table: TaskTable) -> Result<ChoiceLabels> {
        self.choice_labels(table.as_str(), &Client::label_elements(table))
            .await
    }

    async fn read_ticket(&self, t: &TicketId) -> Result<Ticket> {
        // The record's text as sent: the mapping decodes the fields and
        // columns it reads, and keeps the text as `raw`, parsed when read.
        let raw = self
            .table(t.table.as_str())
            .get(t.sys_id.as_str())
            .fields(self.ticket_fields(t.table))
            .exclude_reference_link(true)
            .send_as::<Box<serde_json::value::RawValue>>()
            .await?;
        let labels = self.ticket_labels(t.table).await?;
        mapping::ticket_record(t.table, raw, &labels)
    }

    async fn map_ticket(&self, table: TaskTable, raw: Value) -> Result<Ticket> {
        let labels = self.ticket_labels(table).await?;
        mapping::ticket(table, raw, &labels)
    }

    /// A stream of mapped records of `table`, paging lazily. Each record is
    /// decoded as `R` (a `Value`, or the record's text as a `Box<RawValue>`
    /// for a mapping that keeps it) and handed to `map`.
    fn mapped<R, T, F>(
        &self,
        table: &str,
        query: Query,
        fields: Vec<String>,
        limit: Option<u64>,
        map: F,
    ) -> BoxStream<'static, Result<T>>
    where
        R: serde::de::DeserializeOwned + Send + 'static,
        T: Send + 'static,
        F: Fn(R) -> Result<T> + Send + 'static,
    {
        let mut req = self
            .table(table)
            .list()
            .query(query)
            .fields(fields)
            .exclude_reference_link(true);
        if let Some(n) = limit.filter(|n| *n < self.page_size()) {
            req = req.limit(n.max(1));
        }
        stop_after(
            req.stream_as::<R>()
                .and_then(move |raw| std::future::ready(map(raw)))
                .boxed(),
            limit,
        )
    }

    /// Like [`mapped`](Client::mapped), with the choice labels of `elements`
    /// of `label_table` loaded first.
    #[allow(clippy::too_many_arguments)]
    fn labeled<R, T, F>(
        &self,
        table: &str,
        label_table: &'static str,
        elements: Vec<&'static str>,
        query: Query,
        fields: Vec<String>,
        limit: Option<u64>,
        map: F,
    ) -> BoxStream<'static, Result<T>>
    where
        R: serde::de::DeserializeOwned + Send + 'static,
        T: Send + 'static,
        F: Fn(R, &ChoiceLabels) -> Result<T> + Send + Sync + 'static,
    {
        let this = self.clone();
        let table = table.to_owned();
        stream::once(async move {
            let labels = this.choice_labels(label_table, &elements).await?;
            Ok::<_, Error>(this.mapped(&table, query, fields, limit, move |raw| map(raw, &labels)))
        })
        .try_flatten()
        .boxed()
    }

    async fn collect<T: Send + 'static>(s: BoxStream<'static, Result<T>>) -> Result<Vec<T>> {
        s.try_collect().await
    }

    fn ticket_query(q: &TicketQuery, table: TaskTable) -> Result<Query> {
        let resolved = table.resolved_states();
        let mut query = Query::new();
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

    async fn patch_ticket(
        &self,
        t: &TicketId,
        body: serde_json::Map<String, Value>,
        idempotent: bool,
    ) -> Result<Value> {
        self.table(t.table.as_str())
            .patch(t.sys_id.as_str(), Value::Object(body))
            .fields(self.ticket_fields(t.table))
            .exclude_reference_link(true)
            .idempotent(idempotent)
            .send()
            .await
    }

    async fn read_back_note(
        &self,
        t: &TicketId,
        element: &str,
        note: &NewNote,
        by: Option<&str>,
    ) -> Result<Option<Note>> {
        let base = Query::new()
            .eq("element_id", t.sys_id.as_str())
            .eq("element", element);
        let by_user = by.map(|u| base.clone().eq("sys_created_by", u));
        let query = match by_user {
            Some(q) if q.encode().is_ok() => q,
            _ => base,
        }
        .order_by_desc("sys_created_on")
        .order_by_desc("sys_id");
        let page = self
            .table("sys_journal_field")
            .list()
            .query(query)
            .fields(mapping::JOURNAL_FIELDS.iter().copied())
            .limit(10)
            .send()
            .await?;
        let ticket = t.to_id()?;
        for raw in page.items {
            let entry: JournalEntry = decode(&raw, "journal entry")?;
            if entry.value.as_ref().map(|v| v.value().trim()) == Some(note.body.trim()) {
                return mapping::note(&ticket, &entry, raw).map(Some);
            }
        }
        Ok(None)
    }
}

fn field_text(v: &Value, name: &str) -> Option<String> {
    v.get(name)
        .and_then(|f| serde_json::from_value::<Field>(f.clone()).ok())
        .and_then(|f| f.non_empty().map(str::to_owned))
}

fn raw_table_group(path: &str) -> Option<PermissionGroup> {
    let rest = path.strip_prefix("api/now/")?;
    let rest = rest
        .strip_prefix("v1/")
        .or_else(|| rest.strip_prefix("v2/"))
        .unwrap_or(rest);
    let rest = rest
        .strip_prefix("table/")
        .or_else(|| rest.strip_prefix("stats/"))?;
    let table = rest.split('/').next()?;
    Some(match table {
        t if TaskTable::from_name(t).is_some() => PermissionGroup::Tickets,
        "task" => PermissionGroup::Tickets,
        "sys_journal_field" => PermissionGroup::TicketNotes,
        "task_time_worked" | "time_card" => PermissionGroup::TimeEntries,
        "core_company" | "customer_account" => PermissionGroup::Companies,
        "sys_user" | "customer_contact" => PermissionGroup::Contacts,
        t if t == "cmdb_ci" || t.starts_with("cmdb_ci_") => PermissionGroup::Configurations,
        "sc_cat_item" => PermissionGroup::Products,
        "ast_contract" | "ast_service" => PermissionGroup::Agreements,
        "contract_sla" | "task_sla" => PermissionGroup::Slas,
        "pm_project" | "pm_project_task" => PermissionGroup::Projects,
        "kb_knowledge" => PermissionGroup::KnowledgeBase,
        "sys_audit" => PermissionGroup::AuditTrail,
        "sys_choice" | "sys_user_group" => PermissionGroup::Lookups,
        _ => return None,
    })
}

#[async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        Vendor::ServiceNow
    }

    fn capabilities(&self) -> Capabilities {
        caps::capabilities()
    }

    // ---- tickets ---------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        let t = self.ticket_id(id)?;
        self.read_ticket(&t).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        let table = match &query.ticket_type {
            Some(tt) => match tt.to_string().parse::<TaskTable>() {
                Ok(t) => t,
                Err(e) => return error_stream(e),
            },
            None => self.default_table(),
        };
        let plan = self
            .check_table(table)
            .and_then(|()| Client::ticket_query(&query, table));
        let q = match plan {
            Ok(q) => q,
            Err(e) => return error_stream(e),
        };
        let fields = self.ticket_fields(table);
        self.labeled(
            table.as_str(),
            table.as_str(),
            Client::label_elements(table),
            q,
            fields,
            query.limit,
            // Each record's text is kept as `raw` (parsed only when read),
            // as `get_ticket` does.
            move |raw: Box<serde_json::value::RawValue>, labels| {
                mapping::ticket_record(table, raw, labels)
            },
        )
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        let table = mapping::new_ticket_table(&ticket, self.default_table())?;
        self.check_table(table)?;
        let body = mapping::new_ticket_body(&ticket, table)?;
        let raw = self
            .table(table.as_str())
            .create(Value::Object(body))
            .fields(self.ticket_fields(table))
            .exclude_reference_link(true)
            .send()
            .await?;
        self.map_ticket(table, raw).await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        let t = self.ticket_id(id)?;
        let body = mapping::ticket_patch_body(&patch, t.table)?;
        let raw = self.patch_ticket(&t, body, true).await?;
        self.map_ticket(t.table, raw).await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        let _ = (into, from);
        Err(caps::unsupported(Operation::MergeTickets))
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        let p = self.ticket_id(parent)?;
        if p.table != TaskTable::Incident {
            return Err(Error::unsupported(Vendor::ServiceNow, caps::BUNDLE));
        }
        if children.is_empty() {
            return Err(Error::invalid_input(
                "bundle_tickets needs at least one child",
            ));
        }
        let mut kids = Vec::with_capacity(children.len());
        for c in children {
            let k = self.ticket_id(c)?;
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
            self.table("incident")
                .patch(
                    k.sys_id.as_str(),
                    json!({"parent_incident": p.sys_id.as_str()}),
                )
                .fields(["sys_id"])
                .idempotent(true)
                .send()
                .await?;
        }
        Ok(())
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        let t = self.ticket_id(id)?;
        self.table(t.table.as_str())
            .delete(t.sys_id.as_str())
            .send()
            .await?;
        Ok(())
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        let t = match self.ticket_id(ticket).and_then(|t| Ok((t.to_id()?, t))) {
            Ok(t) => t,
            Err(e) => return error_stream(e),
        };
        let (uniform, t) = t;
        let q = Query::new()
            .eq("documentkey", t.sys_id.as_str())
            .eq("tablename", t.table.as_str())
            .order_by("sys_created_on")
            .order_by("sys_id");
        let fields = mapping::AUDIT_FIELDS
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        self.mapped("sys_audit", q, fields, None, move |raw| {
            let a: SysAudit = decode(&raw, "audit entry")?;
            mapping::audit_entry(&uniform, &a, raw)
        })
    }

    // ---- notes -----------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        let (uniform, t) = match self.ticket_id(ticket).and_then(|t| Ok((t.to_id()?, t))) {
            Ok(t) => t,
            Err(e) => return error_stream(e),
        };
        let q = Query::new()
            .eq("element_id", t.sys_id.as_str())
            .and(Term::is_in("element", ["work_notes", "comments"]))
            .order_by("sys_created_on")
            .order_by("sys_id");
        let fields = mapping::JOURNAL_FIELDS
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        self.mapped("sys_journal_field", q, fields, None, move |raw| {
            let e: JournalEntry = decode(&raw, "journal entry")?;
            mapping::note(&uniform, &e, raw)
        })
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        let t = self.ticket_id(ticket)?;
        let rule = self.config().resolution_rule(t.table);
        let body = mapping::note_body(&note, &rule)?;
        let resp = self
            .table(t.table.as_str())
            .patch(t.sys_id.as_str(), Value::Object(body))
            .fields(["sys_id", "sys_updated_on", "sys_updated_by"])
            .exclude_reference_link(true)
            .send()
            .await?;
        let by = field_text(&resp, "sys_updated_by");
        if let Some(element) = mapping::journal_element(note.visibility) {
            if let Some(n) = self
                .read_back_note(&t, element, &note, by.as_deref())
                .await?
            {
                return Ok(n);
            }
        }
        // A resolution note (close_notes) has no record of its own; a journal
        // entry the user may not read back is addressed by its field.
        let field = mapping::journal_element(note.visibility).unwrap_or("close_notes");
        let mut n = Note::new(
            Id::text(format!("{t}:{field}"))?,
            t.to_id()?,
            note.body.clone(),
            note.visibility,
        );
        n.author = by.and_then(|u| Id::text(&u).ok().map(|id| Ref::named(id, u)));
        n.created_at = field_text(&resp, "sys_updated_on")
            .and_then(|s| crate::models::parse_glide_datetime(&s));
        n.raw = resp.into();
        Ok(n)
    }

    // ---- time ------------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        let plan = (|| -> Result<Query> {
            query.validate()?;
            let mut q = Query::new();
            if let Some(t) = &query.ticket {
                q = q.eq("task", self.ticket_id(t)?.sys_id.as_str());
            }
            if let Some(a) = &query.agent {
                q = q.eq("user", sys_id_of(a, &["sys_user"], "agent id")?.as_str());
            }
            if let Some(f) = query.from {
                q = q.and(Term::ge("sys_created_on", format_glide_datetime(f)));
            }
            if let Some(t) = query.to {
                q = q.and(Term::lt("sys_created_on", format_glide_datetime(t)));
            }
            Ok(q.order_by("sys_created_on").order_by("sys_id"))
        })();
        let q = match plan {
            Ok(q) => q,
            Err(e) => return error_stream(e),
        };
        let fields = with_custom(mapping::TIME_FIELDS, &self.config().custom_fields);
        self.labeled(
            "task_time_worked",
            "task_time_worked",
            vec!["category"],
            q,
            fields,
            None,
            |raw, labels| {
                let r: TaskTimeWorked = decode(&raw, "time entry")?;
                mapping::time_entry(&r, raw, labels)
            },
        )
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        let t = self.ticket_id(&entry.ticket)?;
        let body = mapping::new_time_body(&entry, &t.sys_id)?;
        let raw = self
            .table("task_time_worked")
            .create(Value::Object(body))
            .fields(with_custom(
                mapping::TIME_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .send()
            .await?;
        let labels = self
            .choice_labels("task_time_worked", &["category"])
            .await?;
        let r: TaskTimeWorked = decode(&raw, "time entry")?;
        mapping::time_entry(&r, raw, &labels)
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        let sys = sys_id_of(id, &["task_time_worked"], "time entry id")?;
        let body = mapping::time_patch_body(&patch)?;
        let raw = self
            .table("task_time_worked")
            .patch(sys.as_str(), Value::Object(body))
            .fields(with_custom(
                mapping::TIME_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .idempotent(true)
            .send()
            .await?;
        let labels = self
            .choice_labels("task_time_worked", &["category"])
            .await?;
        let r: TaskTimeWorked = decode(&raw, "time entry")?;
        mapping::time_entry(&r, raw, &labels)
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        let sys = sys_id_of(id, &["task_time_worked"], "time entry id")?;
        self.table("task_time_worked")
            .delete(sys.as_str())
            .send()
            .await?;
        Ok(())
    }

    // ---- companies and contacts ------------------------------------------------------

    async fn get_company(&self, id: &Id) -> Result<Company> {
        let sys = sys_id_of(id, &["core_company"], "company id")?;
        let raw = self
            .table("core_company")
            .get(sys.as_str())
            .fields(with_custom(
                mapping::COMPANY_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .send()
            .await?;
        let c: CoreCompany = decode(&raw, "company")?;
        mapping::company(&c, raw)
    }

    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        let mut q = Query::new();
        if let Some(name) = query
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            q = q.and(Term::like("name", name));
        }
        let q = q.order_by("name").order_by("sys_id");
        let fields = with_custom(mapping::COMPANY_FIELDS, &self.config().custom_fields);
        self.mapped("core_company", q, fields, query.limit, |raw| {
            let c: CoreCompany = decode(&raw, "company")?;
            mapping::company(&c, raw)
        })
    }

    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        let sys = sys_id_of(id, &["sys_user"], "contact id")?;
        let raw = self
            .table("sys_user")
            .get(sys.as_str())
            .fields(with_custom(
                mapping::USER_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .send()
            .await?;
        let u: SysUser = decode(&raw, "user")?;
        mapping::contact(&u, raw)
    }

    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        let plan = (|| -> Result<(Query, Option<String>)> {
            query.validate()?;
            let mut q = Query::new();
            if let Some(n) = &query.name {
                q = q.and(Term::like("name", n.trim()));
            }
            if let Some(e) = &query.email {
                q = q.eq("email", e.trim());
            }
            let digits = query.phone_digits();
            if let Some(d) = &digits {
                // ServiceNow stores phones as typed: match on the last four
                // digits, then compare all digits here.
                let tail: String = d
                    .chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                q = q.or([
                    Term::like("phone", tail.as_str()),
                    Term::like("mobile_phone", tail.as_str()),
                ]);
            }
            if let Some(c) = &query.company {
                q = q.eq(
                    "company",
                    sys_id_of(c, &["core_company"], "company id")?.as_str(),
                );
            }
            Ok((q.order_by("name").order_by("sys_id"), digits))
        })();
        let (q, digits) = match plan {
            Ok(p) => p,
            Err(e) => return error_stream(e),
        };
        let fields = with_custom(mapping::USER_FIELDS, &self.config().custom_fields);
        let s = self.mapped("sys_user", q, fields, None, |raw| {
            let u: SysUser = decode(&raw, "user")?;
            mapping::contact(&u, raw)
        });
        let s = match digits {
            Some(d) => s
                .try_filter(move |c| {
                    let matches = |p: &Option<String>| {
                        p.as_deref().is_some_and(|p| {
                            let own: String = p.chars().filter(char::is_ascii_digit).collect();
                            !own.is_empty() && (own.ends_with(&d) || d.ends_with(&own))
                        })
                    };
                    std::future::ready(matches(&c.phone) || matches(&c.mobile))
                })
                .boxed(),
            None => s,
        };
        stop_after(s, query.limit)
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        let body = mapping::new_contact_body(&contact)?;
        let raw = self
            .table("sys_user")
            .create(Value::Object(body))
            .fields(with_custom(
                mapping::USER_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .send()
            .await?;
        let u: SysUser = decode(&raw, "user")?;
        mapping::contact(&u, raw)
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        let sys = sys_id_of(id, &["sys_user"], "contact id")?;
        let body = mapping::contact_patch_body(&patch)?;
        let raw = self
            .table("sys_user")
            .patch(sys.as_str(), Value::Object(body))
            .fields(with_custom(
                mapping::USER_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .idempotent(true)
            .send()
            .await?;
        let u: SysUser = decode(&raw, "user")?;
        mapping::contact(&u, raw)
    }

    // ---- configurations ---------------------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        let sys = sys_id_of(id, &["cmdb_ci"], "configuration id")?;
        let raw = self
            .table("cmdb_ci")
            .get(sys.as_str())
            .fields(with_custom(
                mapping::CI_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .send()
            .await?;
        let ci: CmdbCi = decode(&raw, "configuration item")?;
        mapping::configuration(&ci, raw)
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        let plan = (|| -> Result<Query> {
            let mut q = Query::new();
            if let Some(c) = &query.company {
                q = q.eq(
                    "company",
                    sys_id_of(c, &["core_company"], "company id")?.as_str(),
                );
            }
            if let Some(n) = query
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                q = q.and(Term::like("name", n));
            }
            if !query.include_inactive {
                q = q.and(Term::ne("install_status", mapping::CI_RETIRED));
            }
            Ok(q.order_by("name").order_by("sys_id"))
        })();
        let q = match plan {
            Ok(q) => q,
            Err(e) => return error_stream(e),
        };
        let fields = with_custom(mapping::CI_FIELDS, &self.config().custom_fields);
        self.mapped("cmdb_ci", q, fields, query.limit, |raw| {
            let ci: CmdbCi = decode(&raw, "configuration item")?;
            mapping::configuration(&ci, raw)
        })
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        let class = mapping::ci_class(config.configuration_type.as_ref())?;
        let body = mapping::new_configuration_body(&config)?;
        let raw = self
            .table(class)
            .create(Value::Object(body))
            .fields(with_custom(
                mapping::CI_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .send()
            .await?;
        let ci: CmdbCi = decode(&raw, "configuration item")?;
        mapping::configuration(&ci, raw)
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        let sys = sys_id_of(id, &["cmdb_ci"], "configuration id")?;
        let class = match &patch.configuration_type {
            Some(_) => {
                let current = self
                    .table("cmdb_ci")
                    .get(sys.as_str())
                    .fields(["sys_class_name"])
                    .send()
                    .await?;
                field_text(&current, "sys_class_name").unwrap_or_else(|| "cmdb_ci".to_owned())
            }
            None => String::new(),
        };
        let body = mapping::configuration_patch_body(&patch, &class)?;
        let raw = self
            .table("cmdb_ci")
            .patch(sys.as_str(), Value::Object(body))
            .fields(with_custom(
                mapping::CI_FIELDS,
                &self.config().custom_fields,
            ))
            .exclude_reference_link(true)
            .idempotent(true)
            .send()
            .await?;
        let ci: CmdbCi = decode(&raw, "configuration item")?;
        mapping::configuration(&ci, raw)
    }

    // ---- schedule ------------------------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        let _ = query;
        error_stream(caps::unsupported(Operation::ListScheduleEntries))
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        let _ = entry;
        Err(caps::unsupported(Operation::CreateScheduleEntry))
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        let _ = (id, patch);
        Err(caps::unsupported(Operation::UpdateScheduleEntry))
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(caps::unsupported(Operation::DeleteScheduleEntry))
    }

    // ---- products ---------------------------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        let mut q = Query::new();
        if let Some(t) = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            q = q.or([Term::like("name", t), Term::like("short_description", t)]);
        }
        if !query.include_inactive {
            q = q.eq("active", "true");
        }
        let q = q.order_by("name").order_by("sys_id");
        let fields = ["sys_id", "name", "short_description", "price", "active"]
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        self.mapped("sc_cat_item", q, fields, query.limit, |raw| {
            let c: ScCatItem = decode(&raw, "catalog item")?;
            mapping::product(&c, raw)
        })
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        let _ = (ticket, item);
        Err(caps::unsupported(Operation::AddTicketProduct))
    }

    // ---- read-only records ----------------------------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        let mut q = Query::new();
        if let Some(c) = &query.company {
            match sys_id_of(c, &["core_company"], "company id") {
                Ok(s) => q = q.eq("customer", s.as_str()),
                Err(e) => return error_stream(e),
            }
        }
        if !query.include_inactive {
            q = q.eq("active", "true");
        }
        let q = q.order_by("number").order_by("sys_id");
        let fields = with_custom(mapping::CONTRACT_FIELDS, &self.config().custom_fields);
        self.mapped("ast_contract", q, fields, None, |raw| {
            let c: AstContract = decode(&raw, "contract")?;
            mapping::agreement(&c, raw)
        })
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        let q = Query::new()
            .eq("active", "true")
            .order_by("name")
            .order_by("sys_id");
        let fields = [
            "sys_id",
            "name",
            "type",
            "target",
            "collection",
            "duration",
            "active",
        ]
        .iter()
        .map(|f| (*f).to_owned())
        .collect();
        self.mapped("contract_sla", q, fields, None, |raw| {
            let s: ContractSla = decode(&raw, "SLA definition")?;
            mapping::sla(&s, raw)
        })
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        let mut q = Query::new();
        if let Some(c) = &query.company {
            match sys_id_of(c, &["core_company"], "company id") {
                Ok(s) => q = q.eq("company", s.as_str()),
                Err(e) => return error_stream(e),
            }
        }
        if !query.include_closed {
            q = q.eq("active", "true");
        }
        let q = q.order_by("number").order_by("sys_id");
        let fields = mapping::PROJECT_FIELDS
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        self.labeled(
            "pm_project",
            "pm_project",
            vec!["state"],
            q,
            fields,
            query.limit,
            |raw, labels| {
                let p: PmProject = decode(&raw, "project")?;
                mapping::project(&p, raw, labels)
            },
        )
        .map_err(|e| {
            if e.api_body().is_some_and(is_invalid_table) {
                Error::unsupported(
                    Vendor::ServiceNow,
                    format!(
                        "{} ({})",
                        caps::PROJECTS,
                        e.api_body()
                            .and_then(|b| b.message.clone())
                            .unwrap_or_default()
                    ),
                )
            } else {
                e
            }
        })
        .boxed()
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        let mut q = Query::new().eq("workflow_state", "published");
        if let Some(t) = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            q = if self.config().kb_text_index {
                q.and(Term::text_search(t))
            } else {
                q.or([Term::like("short_description", t), Term::like("text", t)])
            };
        }
        let q = q.order_by("number").order_by("sys_id");
        let fields = mapping::KB_FIELDS.iter().map(|f| (*f).to_owned()).collect();
        self.mapped("kb_knowledge", q, fields, query.limit, |raw| {
            let k: KbKnowledge = decode(&raw, "knowledge article")?;
            mapping::kb_article(&k, raw)
        })
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        let sys = sys_id_of(id, &["kb_knowledge"], "knowledge article id")?;
        let raw = self
            .table("kb_knowledge")
            .get(sys.as_str())
            .fields(mapping::KB_FIELDS.iter().copied())
            .exclude_reference_link(true)
            .send()
            .await?;
        let k: KbKnowledge = decode(&raw, "knowledge article")?;
        mapping::kb_article(&k, raw)
    }

    // ---- look-ups ---------------------------------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let table = match &scope.ticket_type {
            Some(t) => t.to_string().parse::<TaskTable>()?,
            None => self.default_table(),
        };
        self.check_table(table)?;
        let labels = self.choice_labels(table.as_str(), &["state"]).await?;
        Ok(labels
            .choices(table.as_str(), "state")
            .iter()
            .filter_map(|c| mapping::choice_item(c, table.as_str(), table.closed_states()))
            .collect())
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        let table = self.default_table();
        let labels = self.choice_labels(table.as_str(), &["priority"]).await?;
        Ok(labels
            .choices(table.as_str(), "priority")
            .iter()
            .filter_map(|c| mapping::choice_item(c, table.as_str(), None))
            .collect())
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        let q = Query::new()
            .eq("active", "true")
            .order_by("name")
            .order_by("sys_id");
        let fields = ["sys_id", "name", "active"]
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        Client::collect(self.mapped("sys_user_group", q, fields, None, |raw| {
            let g: SysUserGroup = decode(&raw, "group")?;
            mapping::queue_item(&g, raw)
        }))
        .await
    }

    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let _ = scope;
        self.config()
            .tables
            .iter()
            .map(|t| mapping::ticket_type_item(*t))
            .collect()
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        let q = Query::new()
            .eq("active", "true")
            .eq("roles", self.config().agent_role.as_str())
            .order_by("name")
            .order_by("sys_id");
        let fields = mapping::USER_FIELDS
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        Client::collect(self.mapped("sys_user", q, fields, None, |raw| {
            let u: SysUser = decode(&raw, "user")?;
            mapping::agent(&u, raw)
        }))
        .await
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        let labels = self
            .choice_labels("task_time_worked", &["category"])
            .await?;
        Ok(labels
            .choices("task_time_worked", "category")
            .iter()
            .filter_map(|c| mapping::choice_item(c, "task_time_worked", None))
            .collect())
    }

    // ---- webhooks ---------------------------------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        let _ = hook;
        Err(caps::unsupported(Operation::SubscribeWebhook))
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        Err(caps::unsupported(Operation::ListWebhooks))
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(caps::unsupported(Operation::DeleteWebhook))
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        let verifier = self.config().webhook.as_ref().ok_or_else(|| {
            Error::config("no webhook secret configured (ClientBuilder::webhook_secret)")
                .with_vendor(Vendor::ServiceNow)
        })?;
        verifier.parse(delivery)
    }

    // ---- anything else ----------------------------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        raw_table_group(request.normalized_path())
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        request.validate()?;
        let path = request.normalized_path();
        if !path.starts_with("api/") {
            return Err(Error::invalid_input(
                "raw requests go to the instance's REST APIs: the path must start with `api/`",
            ));
        }
        let idempotent = matches!(
            request.method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        );
        let mut req = Request::new(request.method.clone(), format!("/{path}"))
            .query(request.query.clone())
            .idempotent(idempotent);
        if let Some(b) = request.body {
            req = req.json(b);
        }
        // The response's headers come without credential-bearing ones
        // (the session cookie included).
        let resp = self.send(req).await?;
        Ok(RawResponse::new(
            resp.status,
            resp.headers.clone(),
            bytes::Bytes::copy_from_slice(resp.body()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_paths_map_to_groups() {
        assert_eq!(
            raw_table_group("api/now/table/incident/abc"),
            Some(PermissionGroup::Tickets)
        );
        assert_eq!(
            raw_table_group("api/now/v2/table/sys_journal_field"),
            Some(PermissionGroup::TicketNotes)
        );
        assert_eq!(
            raw_table_group("api/now/table/cmdb_ci_server"),
            Some(PermissionGroup::Configurations)
        );
        assert_eq!(
            raw_table_group("api/now/stats/incident"),
            Some(PermissionGroup::Tickets)
        );
        assert_eq!(raw_table_group("api/now/table/sys_properties"), None);
        assert_eq!(raw_table_group("api/now/attachment/file"), None);
        assert_eq!(raw_table_group("oauth_token.do"), None);
    }
}
