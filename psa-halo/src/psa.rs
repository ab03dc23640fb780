//! `impl psa_core::Psa for Client`: the uniform operations on Halo.

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::Method;
use psa_core::psa::error_stream;
use psa_core::{
    Agent, Agreement, AgreementQuery, AuditEntry, Capabilities, Company, CompanyQuery,
    Configuration, ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery,
    Error, ErrorKind, Id, KbArticle, KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration,
    NewContact, NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note,
    Operation, PermissionGroup, Product, ProductQuery, Project, ProjectQuery, Psa, RawRequest,
    RawResponse, Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Support, Ticket,
    TicketEvent, TicketPatch, TicketQuery, TicketState, TimeEntry, TimeEntryPatch, TimeEntryQuery,
    Vendor, WebhookDelivery, WebhookSubscription,
};
use secrecy::{ExposeSecret, SecretString};

use crate::client::Client;
use crate::keys::{ActionKey, positive, webhook_guid};
use crate::mapping;
use crate::models::{self, Notification, WebhookAuthType, WebhookKind, WebhookMethod};
use crate::request::Request;
use crate::webhook::{self, WebhookAuth};

/// Caveat of `merge_tickets`.
pub(crate) const MERGE_NOTE: &str = "Halo has no merge endpoint: each merged ticket is posted with merged_into_id and domerge=true (POST /Tickets), the merge fields of Halo's ticket model; Halo closes it and records the merge on the target (verify on your tenant)";
/// Caveat of `list_time_entries`.
pub(crate) const LIST_TIME_NOTE: &str = "by ticket: the ticket's actions that carry time; without a ticket: the agents' timesheets (/TimesheetEvent), which need a date range and hold ticket time only";
/// Caveat of `create_time_entry`.
pub(crate) const CREATE_TIME_NOTE: &str = "recorded as an action (timetaken hours, UTC start and end); the agent is sent as who_agentid, else the client's agent_id; Halo attributes writes to the API application's agent unless it allows acting for others";
/// Caveat of `delete_time_entry`.
pub(crate) const DELETE_TIME_NOTE: &str = "deletes the action that carries the time, note included";
/// Caveat of configuration writes.
pub(crate) const CONFIGURATION_NOTE: &str = crate::mapping::SERIAL_NUMBER_REASON;
/// Caveat of `add_ticket_product`.
pub(crate) const ADD_PRODUCT_NOTE: &str = "issues the item through an action's new_items_issued (Halo's item-issuing action type); price and billing follow the item and the contract, `billable` cannot be set";
/// Caveat of `list_statuses`.
pub(crate) const STATUS_SCOPE_NOTE: &str = "statuses are scoped by ticket type; Halo has no per-queue (team) statuses, so a queue scope is ignored and every status is returned";
/// Caveat of `list_ticket_types`.
pub(crate) const TICKET_TYPE_SCOPE_NOTE: &str =
    "ticket types are not scoped in Halo: a scope is ignored and every ticket type is returned";
/// Caveat of `subscribe_webhook`.
pub(crate) const SUBSCRIBE_NOTE: &str = "registers an outbound webhook with Basic authentication and one notification per event (POST /Webhook, POST /Notification); created, updated, status_changed, closed and deleted map to Halo event numbers, other events must be given as Other(\"<eventno>\")";
/// Caveat of `parse_webhook`.
pub(crate) const PARSE_NOTE: &str = "Halo does not sign deliveries: the Basic (or header) credentials configured on the webhook are checked in constant time; Halo's delivery envelope is undocumented, ticket and action objects (single or batched) are parsed";
/// Why `list_work_types` is unsupported without a look-up id.
pub(crate) const WORK_TYPES_UNCONFIGURED: &str = "halo keeps charge types (work types) in a tenant-specific look-up table; set ClientBuilder::work_type_lookup_id (GET /Lookup?lookupid=11 lists the tables)";

const HALO: Vendor = Vendor::Halo;

/// The permission group of a Halo API path, by its first segment; `None`
/// for paths the table does not know (a guard then denies them).
pub fn raw_group_of(path: &str) -> Option<PermissionGroup> {
    let path = api_relative(path);
    let first = path.split(['/', '?']).next()?.to_ascii_lowercase();
    Some(match first.as_str() {
        "tickets" | "ticketarea" | "attachment" => PermissionGroup::Tickets,
        "projects" => PermissionGroup::Projects,
        "actions" => PermissionGroup::TicketNotes,
        "timesheet" | "timesheetevent" => PermissionGroup::TimeEntries,
        "client" | "site" | "toplevel" => PermissionGroup::Companies,
        "users" => PermissionGroup::Contacts,
        "asset" | "assettype" | "assetgroup" => PermissionGroup::Configurations,
        "appointment" => PermissionGroup::ScheduleEntries,
        "item" | "itemgroup" | "itemstock" => PermissionGroup::Products,
        "clientcontract" | "contractschedule" => PermissionGroup::Agreements,
        "sla" => PermissionGroup::Slas,
        "kbarticle" | "faqlists" => PermissionGroup::KnowledgeBase,
        "audit" => PermissionGroup::AuditTrail,
        "webhook" | "webhookevent" | "notification" => PermissionGroup::Webhooks,
        "status" | "priority" | "team" | "tickettype" | "agent" | "lookup" | "chargerate"
        | "outcome" | "category" => PermissionGroup::Lookups,
        _ => return None,
    })
}

/// A path relative to the resource server: without a leading `/` or `api/`.
fn api_relative(path: &str) -> &str {
    let path = path.trim_start_matches('/');
    match path.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("api/") => &path[4..],
        _ => path,
    }
}

fn validate_ids(ids: &[Id], what: &str) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let v = positive(id, what)?;
        if out.contains(&v) {
            return Err(Error::invalid_input(format!("{what} {v} is given twice")));
        }
        out.push(v);
    }
    Ok(out)
}

fn first<T>(records: Vec<T>, what: &str) -> Result<T> {
    records.into_iter().next().ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            format!("halo answered the {what} with no record"),
        )
        .with_vendor(HALO)
    })
}

impl Client {
    fn webhook_credentials(&self, hook: &NewWebhook) -> Result<(String, SecretString)> {
        match (self.webhook_auth(), &hook.secret) {
            (Some(WebhookAuth::Basic { username, .. }), Some(secret)) => {
                Ok((username.clone(), secret.clone()))
            }
            (Some(WebhookAuth::Basic { username, password }), None) => {
                Ok((username.clone(), password.clone()))
            }
            (None, Some(secret)) => Ok((DEFAULT_WEBHOOK_USER.to_owned(), secret.clone())),
            (Some(WebhookAuth::Header { .. }), _) => Err(Error::invalid_input(
                "halo subscriptions register Basic credentials, but this client verifies deliveries by header; configure ClientBuilder::webhook_auth(WebhookAuth::basic(..))",
            )),
            (None, None) => Err(Error::invalid_input(
                "halo does not sign webhook deliveries: give the subscription a secret (NewWebhook::secret) or configure ClientBuilder::webhook_auth",
            )),
        }
    }
}

/// The Basic user name registered when the client has none configured.
pub(crate) const DEFAULT_WEBHOOK_USER: &str = "halo";

#[async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        HALO
    }

    fn capabilities(&self) -> Capabilities {
        let p = |s: &'static str| Support::Partial(s.into());
        let caps = Capabilities::all_supported(HALO)
            .with(Operation::MergeTickets, p(MERGE_NOTE))
            .with(Operation::ListTimeEntries, p(LIST_TIME_NOTE))
            .with(Operation::CreateTimeEntry, p(CREATE_TIME_NOTE))
            .with(Operation::DeleteTimeEntry, p(DELETE_TIME_NOTE))
            .with(Operation::CreateConfiguration, p(CONFIGURATION_NOTE))
            .with(Operation::UpdateConfiguration, p(CONFIGURATION_NOTE))
            .with(Operation::AddTicketProduct, p(ADD_PRODUCT_NOTE))
            .with(Operation::ListStatuses, p(STATUS_SCOPE_NOTE))
            .with(Operation::ListTicketTypes, p(TICKET_TYPE_SCOPE_NOTE))
            .with(Operation::SubscribeWebhook, p(SUBSCRIBE_NOTE))
            .with(Operation::ParseWebhook, p(PARSE_NOTE));
        if self.settings().work_type_lookup_id.is_some() {
            caps
        } else {
            caps.with(
                Operation::ListWorkTypes,
                Support::Unsupported(WORK_TYPES_UNCONFIGURED.into()),
            )
        }
    }

    // ---- tickets --------------------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        let id = positive(id, "halo ticket id")?;
        // The record's text as sent: the uniform ticket decodes only the
        // fields it maps and keeps the body as `raw`, parsed when read.
        let req = self.tickets().get(id).request()?;
        mapping::ticket_record(self.send(req).await?.body, self.settings())
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        let list = match ticket_list(self, &query) {
            Ok(l) => l,
            Err(e) => return error_stream(e),
        };
        // Each record's text is kept as `raw` (parsed only when read), as
        // `get_ticket` does.
        list.retype::<models::Text<models::Ticket>>()
            .stream_at()
            .and_then(move |(page, i, t)| async move {
                let what = format!("ticket tickets[{i}] of page {page}");
                mapping::ticket_text(t.0, &what, self.settings())
            })
            .boxed()
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        let t = mapping::new_ticket(&ticket)?;
        let saved = first(self.tickets().save([t]).send().await?, "ticket create")?;
        mapping::ticket(&saved, self.settings())
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        let id = positive(id, "halo ticket id")?;
        let t = mapping::ticket_patch(id, &patch)?;
        let saved = first(self.tickets().save([t]).send().await?, "ticket update")?;
        mapping::ticket(&saved, self.settings())
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        let into = positive(into, "halo ticket id (merge target)")?;
        let from = validate_ids(from, "halo ticket id (merged ticket)")?;
        if from.is_empty() {
            return Err(Error::invalid_input(
                "merge needs at least one ticket to merge",
            ));
        }
        if from.contains(&into) {
            return Err(Error::invalid_input(format!(
                "ticket {into} cannot be merged into itself"
            )));
        }
        let records = from.into_iter().map(|id| {
            let mut t = models::Ticket::update(id);
            t.merged_into_id = Some(into);
            t.domerge = Some(true);
            t
        });
        self.tickets().save(records).send().await.map(drop)
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        let parent = positive(parent, "halo ticket id (parent)")?;
        let children = validate_ids(children, "halo ticket id (child)")?;
        if children.is_empty() {
            return Err(Error::invalid_input(
                "bundle needs at least one child ticket",
            ));
        }
        if children.contains(&parent) {
            return Err(Error::invalid_input(format!(
                "ticket {parent} cannot be its own child"
            )));
        }
        let records = children.into_iter().map(|id| {
            let mut t = models::Ticket::update(id);
            t.parent_id = Some(parent);
            t
        });
        self.tickets().save(records).send().await.map(drop)
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        let id = positive(id, "halo ticket id")?;
        self.tickets().delete(id).send().await
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        let id = match positive(ticket, "halo ticket id") {
            Ok(id) => id,
            Err(e) => return error_stream(e),
        };
        stream::once(async move {
            let t = self.tickets().get(id).include_auditing().send().await?;
            let entries: Vec<Result<AuditEntry>> = t
                .audit_log
                .unwrap_or_default()
                .iter()
                .map(|a| Ok(mapping::audit(a, id)))
                .collect();
            Ok::<_, Error>(stream::iter(entries))
        })
        .try_flatten()
        .boxed()
    }

    // ---- notes --------------------------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        let id = match positive(ticket, "halo ticket id") {
            Ok(id) => id,
            Err(e) => return error_stream(e),
        };
        stream::once(async move {
            let mut actions: Vec<models::Action> =
                self.actions().list(id).stream().try_collect().await?;
            actions.retain(|a| {
                a.note.as_deref().is_some_and(|n| !n.trim().is_empty())
                    || a.note_html.as_deref().is_some_and(|n| !n.trim().is_empty())
            });
            actions.sort_by_key(|a| {
                (
                    a.datetime.as_ref().and_then(crate::Timestamp::utc),
                    a.id.unwrap_or_default(),
                )
            });
            let notes: Vec<Result<Note>> = actions
                .iter()
                .map(|a| mapping::note(a, self.settings()))
                .collect();
            Ok::<_, Error>(stream::iter(notes))
        })
        .try_flatten()
        .boxed()
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        let id = positive(ticket, "halo ticket id")?;
        let a = mapping::new_note(id, &note, self.settings())?;
        let saved = first(self.actions().save([a]).send().await?, "note")?;
        mapping::note(&saved, self.settings())
    }

    // ---- time ----------------------------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        if let Err(e) = query.validate() {
            return error_stream(e);
        }
        let agent = match query
            .agent
            .as_ref()
            .map(|a| positive(a, "halo agent id"))
            .transpose()
        {
            Ok(a) => a,
            Err(e) => return error_stream(e),
        };
        let (from, to) = (query.from, query.to);
        let in_range = move |e: &TimeEntry| {
            let start = e.start;
            from.is_none_or(|f| start.is_some_and(|s| s >= f))
                && to.is_none_or(|t| start.is_some_and(|s| s < t))
        };
        let by_agent = move |e: &TimeEntry| {
            agent.is_none_or(|a| e.agent.as_ref().is_some_and(|r| r.id == Id::int(a)))
        };
        if let Some(ticket) = &query.ticket {
            let id = match positive(ticket, "halo ticket id") {
                Ok(id) => id,
                Err(e) => return error_stream(e),
            };
            return self
                .actions()
                .list(id)
                .time_entries_only()
                .stream()
                .and_then(|a| async move { mapping::time_entry_from_action(&a) })
                .try_filter(move |e| std::future::ready(in_range(e) && by_agent(e)))
                .boxed();
        }
        let (Some(from), Some(to)) = (from, to) else {
            return error_stream(Error::invalid_input(
                "halo lists time entries without a ticket from the agents' timesheets, which need a date range (from and to)",
            ));
        };
        let mut list = self.timesheet_events().list().start_date(from).end_date(to);
        if let Some(a) = agent {
            list = list.agents(&[a]);
        }
        list.stream()
            .try_filter_map(|e| async move { Ok(mapping::time_entry_from_timesheet(&e)) })
            .try_filter(move |e| std::future::ready(in_range(e) && by_agent(e)))
            .boxed()
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        let a = mapping::new_time_entry(&entry, self.settings())?;
        let saved = first(self.actions().save([a]).send().await?, "time entry")?;
        mapping::time_entry_from_action(&saved)
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        let key = ActionKey::from_id(id, "halo time entry id")?;
        patch.validate()?;
        let current = self.actions().get(key).send().await?;
        let a = mapping::time_entry_patch(key, &patch, &current)?;
        let saved = first(self.actions().save([a]).send().await?, "time entry update")?;
        mapping::time_entry_from_action(&saved)
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        let key = ActionKey::from_id(id, "halo time entry id")?;
        self.actions().delete(key).send().await
    }

    // ---- companies and contacts -------------------------------------------------------------------

    async fn get_company(&self, id: &Id) -> Result<Company> {
        let id = positive(id, "halo client id")?;
        mapping::company(&self.clients().get(id).send().await?)
    }

    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        let mut list = self.clients().list();
        if let Some(n) = &query.name {
            list = list.search(n);
        }
        if query.include_inactive {
            list = list.include_inactive();
        }
        if let Some(n) = query.limit {
            list = list.limit(n);
        }
        list.stream()
            .and_then(|c| async move { mapping::company(&c) })
            .boxed()
    }

    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        let id = positive(id, "halo user id")?;
        mapping::contact(&self.users().get(id).send().await?)
    }

    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        if let Err(e) = query.validate() {
            return error_stream(e);
        }
        let mut list = self.users().list();
        if let Some(c) = &query.company {
            match positive(c, "halo client id (company)") {
                Ok(c) => list = list.client_id(c),
                Err(e) => return error_stream(e),
            }
        }
        // One `search` parameter: the most selective criterion; the others
        // are checked on the records.
        if let Some(email) = &query.email {
            list = list.search(email);
        } else if let Some(phone) = &query.phone {
            list = list.search(phone).search_phone_numbers();
        } else if let Some(name) = &query.name {
            list = list.search(name);
        }
        let digits = query.phone_digits();
        let name = query.name.as_ref().map(|n| n.to_lowercase());
        let email = query.email.as_ref().map(|e| e.to_lowercase());
        let matches = move |c: &Contact| {
            let d = |s: &Option<String>| {
                s.as_deref()
                    .unwrap_or_default()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
            };
            email
                .as_ref()
                .is_none_or(|e| c.email.as_deref().is_some_and(|m| m.to_lowercase() == *e))
                && name
                    .as_ref()
                    .is_none_or(|n| c.name.to_lowercase().contains(n))
                && digits.as_ref().is_none_or(|p| {
                    !p.is_empty()
                        && (d(&c.phone).contains(p.as_str()) || d(&c.mobile).contains(p.as_str()))
                })
        };
        let s = list
            .stream()
            .and_then(|u| async move { mapping::contact(&u) })
            .try_filter(move |c| std::future::ready(matches(c)));
        match query.limit {
            Some(n) => s.take(usize::try_from(n).unwrap_or(usize::MAX)).boxed(),
            None => s.boxed(),
        }
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        contact.validate()?;
        let client_id = positive(&contact.company, "halo client id (company)")?;
        let client = self.clients().get(client_id).send().await?;
        let site = if let Some(s) = client.main_site_id.filter(|s| *s > 0) {
            s
        } else {
            let sites = self
                .sites()
                .list()
                .client_id(client_id)
                .page_size(1)
                .send()
                .await?;
            sites.records.first().and_then(|s| s.id).ok_or_else(|| {
                Error::invalid_input(format!(
                    "halo client {client_id} has no site to file the contact under"
                ))
            })?
        };
        let u = mapping::new_contact(&contact, site)?;
        let saved = first(self.users().save([u]).send().await?, "contact create")?;
        mapping::contact(&saved)
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        let id = positive(id, "halo user id")?;
        patch.validate()?;
        let current = self.users().get(id).send().await?;
        let u = mapping::contact_patch(id, &patch, &current)?;
        let saved = first(self.users().save([u]).send().await?, "contact update")?;
        mapping::contact(&saved)
    }

    // ---- configurations --------------------------------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        let id = positive(id, "halo asset id")?;
        mapping::configuration(&self.assets().get(id).send().await?)
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        let mut list = self.assets().list();
        if let Some(c) = &query.company {
            match positive(c, "halo client id (company)") {
                Ok(c) => list = list.client_id(c),
                Err(e) => return error_stream(e),
            }
        }
        if let Some(n) = &query.name {
            list = list.search(n);
        }
        if query.include_inactive {
            list = list.include_inactive();
        }
        if let Some(n) = query.limit {
            list = list.limit(n);
        }
        list.stream()
            .and_then(|a| async move { mapping::configuration(&a) })
            .boxed()
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        let a = mapping::new_configuration(&config)?;
        let saved = first(self.assets().save([a]).send().await?, "asset create")?;
        mapping::configuration(&saved)
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        let id = positive(id, "halo asset id")?;
        let a = mapping::configuration_patch(id, &patch)?;
        let saved = first(self.assets().save([a]).send().await?, "asset update")?;
        mapping::configuration(&saved)
    }

    // ---- schedule ---------------------------------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        if let Err(e) = query.validate() {
            return error_stream(e);
        }
        let mut list = self
            .appointments()
            .list()
            .start_date(query.from)
            .end_date(query.to);
        if let Some(a) = &query.agent {
            match positive(a, "halo agent id") {
                Ok(a) => list = list.agents(&[a]),
                Err(e) => return error_stream(e),
            }
        }
        let (from, to) = (query.from, query.to);
        list.stream()
            .and_then(|a| async move { mapping::schedule_entry(&a) })
            .try_filter(move |e| std::future::ready(e.start.is_none_or(|s| s >= from && s < to)))
            .boxed()
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        let a = mapping::new_schedule_entry(&entry)?;
        let saved = first(
            self.appointments().save([a]).send().await?,
            "appointment create",
        )?;
        mapping::schedule_entry(&saved)
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        let id = positive(id, "halo appointment id")?;
        let a = mapping::schedule_patch(id, &patch)?;
        let saved = first(
            self.appointments().save([a]).send().await?,
            "appointment update",
        )?;
        mapping::schedule_entry(&saved)
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        let id = positive(id, "halo appointment id")?;
        self.appointments().delete(id).send().await
    }

    // ---- products ------------------------------------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        let mut list = self.items().list();
        if let Some(t) = &query.text {
            list = list.search(t);
        }
        if query.include_inactive {
            list = list.include_inactive();
        }
        if let Some(n) = query.limit {
            list = list.limit(n);
        }
        list.stream()
            .and_then(|i| async move { mapping::product(&i) })
            .boxed()
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        let ticket = positive(ticket, "halo ticket id")?;
        let a = mapping::new_line_item(ticket, &item, self.settings())?;
        let item_id = positive(&item.product, "halo item id (product)")?;
        let saved = first(self.actions().save([a]).send().await?, "item issue")?;
        if let Some(line) = saved
            .new_items_issued
            .iter()
            .flatten()
            .find(|l| l.id.is_some_and(|id| id > 0))
        {
            return mapping::line_item(line, ticket);
        }
        // Halo did not echo the issued line: read it back from the ticket.
        let t = self.tickets().get(ticket).include_details().send().await?;
        let line = t
            .items_issued
            .iter()
            .flatten()
            .filter(|l| l.item_id == Some(item_id))
            .max_by_key(|l| l.id.unwrap_or_default())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    format!("halo did not return the item issued to ticket {ticket}"),
                )
                .with_vendor(HALO)
            })?;
        mapping::line_item(line, ticket)
    }

    // ---- read-only records ---------------------------------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        let mut list = self.contracts().list();
        if let Some(c) = &query.company {
            match positive(c, "halo client id (company)") {
                Ok(c) => list = list.client_id(c),
                Err(e) => return error_stream(e),
            }
        }
        if query.include_inactive {
            list = list.include_inactive();
        }
        list.stream()
            .and_then(|c| async move { mapping::agreement(&c) })
            .boxed()
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        self.slas()
            .list()
            .stream()
            .and_then(|s| async move { mapping::sla(&s) })
            .boxed()
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        let mut list = self.projects().list();
        if let Some(c) = &query.company {
            match positive(c, "halo client id (company)") {
                Ok(c) => list = list.client_id(c),
                Err(e) => return error_stream(e),
            }
        }
        if !query.include_closed {
            list = list.open_only();
        }
        if let Some(n) = query.limit {
            list = list.limit(n);
        }
        list.stream()
            .and_then(move |t| async move { mapping::project(&t, self.settings()) })
            .boxed()
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        let mut list = self.kb_articles().list();
        if let Some(t) = &query.text {
            list = list.search(t);
        }
        if let Some(n) = query.limit {
            list = list.limit(n);
        }
        list.stream()
            .and_then(|k| async move { mapping::kb_article(&k) })
            .boxed()
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        let id = positive(id, "halo KB article id")?;
        mapping::kb_article(&self.kb_articles().get(id).send().await?)
    }

    // ---- look-ups -------------------------------------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        // Every Halo status applies to every team, so the statuses "of a
        // queue" are all of them: a queue scope is ignored, as the trait says
        // of a scope the vendor does not have.
        let ticket_type = scope
            .ticket_type
            .as_ref()
            .map(|t| positive(t, "halo ticket type id"))
            .transpose()?;
        let (mut all, mut open) = (
            self.statuses().list(),
            self.statuses().list().exclude_closed(),
        );
        if let Some(t) = ticket_type {
            all = all.ticket_type(t);
            open = open.ticket_type(t);
        }
        let (all, open) = futures::try_join!(all.send(), open.send())?;
        let open: Vec<i64> = open.records.iter().filter_map(|s| s.id).collect();
        all.records
            .iter()
            .map(|s| mapping::status(s, Some(&open)))
            .collect()
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        mapping::priorities(&self.priorities().list().send().await?.records)
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        self.teams()
            .list()
            .send()
            .await?
            .records
            .iter()
            .map(mapping::team)
            .collect()
    }

    async fn list_ticket_types(&self, _scope: LookupScope) -> Result<Vec<LookupItem>> {
        // Halo ticket types belong to no team: every one applies to every
        // queue, so a scope is ignored (TICKET_TYPE_SCOPE_NOTE).
        self.ticket_types()
            .list()
            .send()
            .await?
            .records
            .iter()
            .map(mapping::ticket_type)
            .collect()
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        self.agents()
            .list()
            .send()
            .await?
            .records
            .iter()
            .map(mapping::agent)
            .collect()
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        let Some(id) = self.settings().work_type_lookup_id else {
            return Err(Error::unsupported(HALO, WORK_TYPES_UNCONFIGURED));
        };
        self.lookups()
            .list(id)
            .send()
            .await?
            .records
            .iter()
            .map(mapping::lookup_entry)
            .collect()
    }

    // ---- webhooks ---------------------------------------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        hook.validate()?;
        let (username, password) = self.webhook_credentials(&hook)?;
        let events = if hook.events.is_empty() {
            mapping::DEFAULT_EVENTS.to_vec()
        } else {
            let mut out = Vec::new();
            for e in &hook.events {
                let n = mapping::event_numbers(e)?;
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            out
        };
        let w = models::Webhook {
            name: Some(hook.name.clone()),
            url: Some(hook.url.to_string()),
            kind: Some(WebhookKind::Outbound),
            method: Some(WebhookMethod::Post),
            content_type: Some("application/json".to_owned()),
            authentication_type: Some(WebhookAuthType::Basic),
            basic_username: Some(username),
            basic_password: Some(models::Redacted::new(password.expose_secret())),
            active: Some(true),
            ..models::Webhook::default()
        };
        let saved = first(self.webhooks().save([w]).send().await?, "webhook create")?;
        let guid = saved.id.clone().filter(|g| !g.is_empty()).ok_or_else(|| {
            Error::new(ErrorKind::Decode, "halo created a webhook without an id").with_vendor(HALO)
        })?;
        let notifications = events
            .into_iter()
            .map(|e| Notification::webhook(guid.clone(), e));
        if let Err(e) = self.webhooks().add_events(notifications).send().await {
            // Leave no half-configured subscription behind.
            let cleanup = self.webhooks().delete(&guid).send().await;
            return Err(match cleanup {
                Ok(()) => e,
                Err(_) => Error::new(
                    e.kind(),
                    format!(
                        "{} (the webhook {guid} was created without its events and could not be removed)",
                        e.message()
                    ),
                )
                .with_vendor(HALO),
            });
        }
        let stored = self.webhooks().get(&guid).send().await?;
        mapping::webhook(&stored)
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        self.webhooks()
            .list()
            .send()
            .await?
            .records
            .iter()
            .filter(|w| w.kind != Some(WebhookKind::Runbook))
            .map(mapping::webhook)
            .collect()
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        let guid = webhook_guid(id)?;
        self.webhooks().delete(&guid).send().await
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        webhook::parse(self.webhook_auth(), delivery, self.settings())
    }

    // ---- anything else --------------------------------------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        request.validate().ok()?;
        raw_group_of(request.normalized_path())
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        request.validate()?;
        let path = api_relative(request.normalized_path()).to_owned();
        if path.is_empty() {
            return Err(Error::invalid_input(
                "halo raw request needs a resource path",
            ));
        }
        let mut req = match request.method {
            Method::GET => Request::get(path),
            Method::DELETE => Request::delete(path),
            Method::POST => Request::post(path, request.body.clone().unwrap_or_default()),
            ref other => {
                return Err(Error::invalid_input(format!(
                    "halo's API has only GET, POST and DELETE, not {other}"
                )));
            }
        };
        for (k, v) in &request.query {
            req.set(std::borrow::Cow::Owned(k.clone()), v);
        }
        self.send_raw(req).await
    }
}

fn ticket_list<'a>(
    client: &'a Client,
    q: &TicketQuery,
) -> Result<crate::resources::List<'a, models::Ticket>> {
    let mut list = client.tickets().list();
    list = match q.state {
        TicketState::Open => list.open_only(),
        TicketState::Closed => list.closed_only(),
        TicketState::Any => list,
    };
    if !q.statuses.is_empty() {
        list = list.statuses(&validate_ids(&q.statuses, "halo status id")?);
    }
    if !q.priorities.is_empty() {
        list = list.priorities(&validate_ids(&q.priorities, "halo priority id")?);
    }
    if let Some(c) = &q.company {
        list = list.client_id(positive(c, "halo client id (company)")?);
    }
    if let Some(c) = &q.contact {
        list = list.user_id(positive(c, "halo user id (contact)")?);
    }
    if let Some(a) = &q.owner {
        list = list.agent_id(positive(a, "halo agent id (owner)")?);
    }
    if let Some(t) = &q.queue {
        list = list.teams(&[positive(t, "halo team id (queue)")?]);
    }
    if let Some(t) = &q.ticket_type {
        list = list.ticket_type(positive(t, "halo ticket type id")?);
    }
    if let Some(t) = q.created_since {
        list = list.created_since(t);
    }
    if let Some(t) = q.updated_since {
        list = list.updated_since(t);
    }
    if let Some(text) = &q.text {
        list = list.search(text);
    }
    if let Some(n) = q.limit {
        list = list.limit(n);
    }
    drop(list.request()?);
    Ok(list)
}
