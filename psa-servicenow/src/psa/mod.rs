//! `impl psa_core::Psa for Client`: the one trait impl, whose bodies call
//! one function per operation in a file per section of the trait. Every
//! operation goes through the typed handle ([`Client::table`]) and its
//! operations, never around them; this file also holds what the sections
//! share (listing a table mapped record by record, with choice labels).

mod assets;
mod attachments;
mod catalog;
mod custom_fields;
mod lookups;
mod notes;
mod parties;
mod raw;
mod schedule;
mod tickets;
mod time;
mod webhooks;

pub use raw::raw_group_of;

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Agent, Agreement, AgreementQuery, Attachment, AttachmentDownload, AuditEntry, Capabilities,
    Company, CompanyQuery, Configuration, ConfigurationPatch, ConfigurationQuery, Contact,
    ContactPatch, ContactQuery, Error, Id, KbArticle, KbQuery, LineItem, LookupItem, LookupScope,
    NewAttachment, NewConfiguration, NewContact, NewLineItem, NewNote, NewScheduleEntry, NewTicket,
    NewTimeEntry, NewWebhook, Note, Operation, PermissionGroup, Product, ProductQuery, Project,
    ProjectQuery, Psa, RawRequest, RawResponse, Result, ScheduleEntry, ScheduleEntryPatch,
    ScheduleQuery, Sla, Ticket, TicketEvent, TicketPatch, TicketQuery, TimeEntry, TimeEntryPatch,
    TimeEntryQuery, Vendor, WebhookDelivery, WebhookSubscription,
};
use psa_core::{CustomFieldDef, CustomFieldEntity};
use serde::Deserialize as _;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::caps;
use crate::client::Client;
use crate::mapping::ChoiceLabels;
use crate::models::Field;
use crate::query::Query;

/// Decodes a record read as JSON into a typed model, naming the failing field.
fn decode<T: DeserializeOwned>(raw: &Value, what: &str) -> Result<T> {
    psa_core::error::decode_value(Some(Vendor::ServiceNow), &format!("ServiceNow {what}"), raw)
}

/// A stream that ends after `limit` items (all without one).
fn stop_after<'a, T: Send + 'a>(
    s: BoxStream<'a, Result<T>>,
    limit: Option<u64>,
) -> BoxStream<'a, Result<T>> {
    match limit.and_then(|n| usize::try_from(n).ok()) {
        Some(n) => s.take(n).boxed(),
        None => s,
    }
}

/// Field names as the list operation takes them.
fn owned(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| (*f).to_owned()).collect()
}

/// `fields` and the client's custom fields.
fn with_custom(fields: &[&str], custom: &[String]) -> Vec<String> {
    let mut all = owned(fields);
    all.extend(custom.iter().cloned());
    all
}

/// A plain field of a record read as JSON, when it is not empty.
fn field_text(v: &Value, name: &str) -> Option<String> {
    v.get(name)
        .and_then(|f| Field::deserialize(f).ok())
        .and_then(|f| f.non_empty().map(str::to_owned))
}

impl Client {
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
        R: DeserializeOwned + Send + 'static,
        T: Send + 'static,
        F: Fn(R) -> Result<T> + Send + 'static,
    {
        let mut list = self
            .table(table)
            .list()
            .query(query)
            .fields(fields)
            .exclude_reference_link(true);
        if let Some(n) = limit.filter(|n| *n < self.page_size()) {
            list = list.limit(n.max(1));
        }
        stop_after(
            list.stream_as::<R>()
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
        R: DeserializeOwned + Send + 'static,
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
}

#[async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        Vendor::ServiceNow
    }

    fn capabilities(&self) -> Capabilities {
        caps::capabilities(self.act_as_configured())
    }

    fn act_as(&self, agent: &Id) -> Result<std::sync::Arc<dyn Psa>> {
        Ok(std::sync::Arc::new(self.acting_as_agent(agent)?))
    }

    fn acting_as(&self) -> Option<&Id> {
        self.acting.as_ref().map(|a| &a.agent)
    }

    // ---- tickets ---------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        tickets::get_ticket(self, id).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        tickets::list_tickets(self, &query)
    }

    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        tickets::find_ticket_by_number(self, number).await
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        tickets::create_ticket(self, ticket).await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        tickets::update_ticket(self, id, patch).await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        tickets::merge_tickets(into, from)
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        tickets::bundle_tickets(self, parent, children).await
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        tickets::delete_ticket(self, id).await
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        tickets::list_audit_trail(self, ticket)
    }

    // ---- notes -----------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        notes::list_notes(self, ticket)
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        notes::add_note(self, ticket, note).await
    }

    // ---- time ------------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        time::list_time_entries(self, &query)
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        time::create_time_entry(self, entry).await
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        time::update_time_entry(self, id, patch).await
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        time::delete_time_entry(self, id).await
    }

    // ---- companies and contacts ------------------------------------------------------

    async fn get_company(&self, id: &Id) -> Result<Company> {
        parties::get_company(self, id).await
    }

    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        parties::search_companies(self, &query)
    }

    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        parties::get_contact(self, id).await
    }

    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        parties::search_contacts(self, &query)
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        parties::create_contact(self, contact).await
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        parties::update_contact(self, id, patch).await
    }

    // ---- configurations ---------------------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        assets::get_configuration(self, id).await
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        assets::list_configurations(self, &query)
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        assets::create_configuration(self, config).await
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        assets::update_configuration(self, id, patch).await
    }

    // ---- schedule ------------------------------------------------------------------------

    fn list_schedule_entries(&self, _query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        schedule::list_schedule_entries()
    }

    async fn create_schedule_entry(&self, _entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        schedule::schedule_write(Operation::CreateScheduleEntry)
    }

    async fn update_schedule_entry(
        &self,
        _id: &Id,
        _patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        schedule::schedule_write(Operation::UpdateScheduleEntry)
    }

    async fn delete_schedule_entry(&self, _id: &Id) -> Result<()> {
        schedule::schedule_write(Operation::DeleteScheduleEntry)
    }

    // ---- products ---------------------------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        catalog::search_products(self, &query)
    }

    async fn add_ticket_product(&self, _ticket: &Id, _item: NewLineItem) -> Result<LineItem> {
        catalog::add_ticket_product()
    }

    // ---- read-only records ----------------------------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        catalog::list_agreements(self, &query)
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        catalog::list_slas(self)
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        catalog::list_projects(self, &query)
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        catalog::search_kb_articles(self, &query)
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        catalog::get_kb_article(self, id).await
    }

    // ---- look-ups ---------------------------------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        lookups::list_statuses(self, scope).await
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        lookups::list_priorities(self).await
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        lookups::list_queues(self).await
    }

    async fn list_ticket_types(&self, _scope: LookupScope) -> Result<Vec<LookupItem>> {
        lookups::list_ticket_types(self)
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        lookups::list_agents(self).await
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        lookups::list_work_types(self).await
    }

    // ---- custom fields ----------------------------------------------------------------------------

    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        custom_fields::list_custom_fields(self, entity).await
    }

    // ---- attachments ------------------------------------------------------------------------------

    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        attachments::list_attachments(self, ticket)
    }

    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        attachments::download_attachment(self, id, max_bytes).await
    }

    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        attachments::upload_attachment(self, ticket, file).await
    }

    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        attachments::delete_attachment(self, id).await
    }

    // ---- webhooks ---------------------------------------------------------------------------------

    async fn subscribe_webhook(&self, _hook: NewWebhook) -> Result<WebhookSubscription> {
        webhooks::registration(Operation::SubscribeWebhook)
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        webhooks::registration(Operation::ListWebhooks)
    }

    async fn delete_webhook(&self, _id: &Id) -> Result<()> {
        webhooks::registration(Operation::DeleteWebhook)
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        webhooks::parse_webhook(self, delivery)
    }

    // ---- anything else ----------------------------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        raw::raw_group(request)
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        raw::raw(self, request).await
    }
}
