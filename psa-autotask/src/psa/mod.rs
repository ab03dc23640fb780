//! `impl psa_core::Psa for Client`: the uniform surface over Autotask.
//!
//! One route per operation: the uniform input is checked and mapped
//! ([`mapping`](crate::mapping)), sent through the typed handles
//! ([`resources`](crate::resources)) — which build each `ApiRequest` and
//! check record ids — and mapped back. The trait's sections each have a
//! file: `tickets`, `notes`, `time`, `parties` (companies and contacts),
//! `assets` (configurations), `schedule`, `catalog` (products and the
//! read-only records), `lookups`, `webhooks` and `raw` (with
//! [`raw_group_of`]).

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

use async_trait::async_trait;
use chrono::Utc;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::psa::error_stream;
use psa_core::{
    Agent, Agreement, AgreementQuery, Attachment, AttachmentDownload, AuditEntry, Capabilities,
    Company, CompanyQuery, Configuration, ConfigurationPatch, ConfigurationQuery, Contact,
    ContactPatch, ContactQuery, CustomFieldDef, CustomFieldEntity, Error, Id, KbArticle, KbQuery,
    LineItem, LookupItem, LookupScope, NewAttachment, NewConfiguration, NewContact, NewLineItem,
    NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note, PermissionGroup, Product,
    ProductQuery, Project, ProjectQuery, Psa, RawRecord, RawRequest, RawResponse, Result,
    ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Ticket, TicketEvent, TicketPatch,
    TicketQuery, TimeEntry, TimeEntryPatch, TimeEntryQuery, Timestamp, Vendor, WebhookDelivery,
    WebhookSubscription,
};
use serde_json::Value;

use crate::caps;
use crate::client::Client;
use crate::models::Entity;
use crate::resources::List;

pub use attachments::{MAX_UPLOAD_BYTES, UPLOAD_THRESHOLD_BYTES, UPLOAD_WINDOW};
pub use raw::raw_group_of;

/// A record id the uniform caller gave, as Autotask's integer id; the typed
/// handle then checks what Autotask allows (positive, or 0 for companies).
fn record_id(id: &Id, what: &str) -> Result<i64> {
    id.require_int(what)
}

/// A positive integer id used as a value (a filter, a field of a body),
/// which no handle checks: `InvalidInput` otherwise.
fn value_id(id: &Id, what: &str) -> Result<i64> {
    id.require_positive(what)
}

fn opt_value_id(id: Option<&Id>, what: &str) -> Result<Option<i64>> {
    id.map(|i| value_id(i, what)).transpose()
}

/// A company id used as a value: Autotask's own company (the MSP) has id 0.
fn company_value(id: &Id) -> Result<i64> {
    let v = id.require_int("company id")?;
    if v < 0 {
        return Err(Error::invalid_input(format!(
            "company id must not be negative, got {v}"
        )));
    }
    Ok(v)
}

/// Escape-free text for a `contains` filter: values are JSON strings, so
/// nothing needs escaping; blank text is refused.
fn text_arg(what: &str, text: &str) -> Result<String> {
    // Whitespace-, NUL- or control-only text is refused, never read as "no filter".
    psa_core::input::search_text(what, text)?;
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

/// A date-time as Autotask takes it in a body: RFC 3339 in UTC with a `Z`.
fn ts(t: chrono::DateTime<Utc>) -> Value {
    Value::String(Timestamp::from(t).as_str().to_owned())
}

/// The records of `list`, at most `limit`, each mapped to its uniform form
/// with its JSON as sent; a query that could not be built is the stream's
/// only item.
fn listing<T: Entity, U: Send + 'static>(
    list: Result<List<T>>,
    limit: Option<u64>,
    map: impl Fn(&T, RawRecord) -> U + Send + 'static,
) -> BoxStream<'static, Result<U>> {
    match list {
        Ok(mut list) => {
            if let Some(n) = limit {
                list = list.limit(n);
            }
            list.stream_records()
                .map_ok(move |(t, raw)| map(&t, raw))
                .boxed()
        }
        Err(e) => error_stream(e),
    }
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

#[async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        Vendor::Autotask
    }

    fn capabilities(&self) -> Capabilities {
        caps::capabilities(self.impersonation().is_some())
    }

    fn act_as(&self, agent: &Id) -> Result<std::sync::Arc<dyn Psa>> {
        let resource = value_id(agent, "agent (resource) id")?;
        Ok(std::sync::Arc::new(self.impersonating(resource)))
    }

    fn acting_as(&self) -> Option<&Id> {
        self.acting.as_ref()
    }

    // ---- tickets ---------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        tickets::get(self, id).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        tickets::list(self, query)
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        tickets::create(self, ticket).await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        tickets::update(self, id, patch).await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        tickets::merge(into, from)
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        tickets::bundle(self, parent, children).await
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        tickets::delete(id)
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        tickets::audit_trail(self, ticket)
    }

    // ---- notes -------------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        notes::list(self, ticket)
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        notes::add(self, ticket, note).await
    }

    // ---- time ----------------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        time::list(self, &query)
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        time::create(self, entry).await
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        time::update(self, id, patch).await
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        time::delete(self, id).await
    }

    // ---- companies and contacts -----------------------------------------------------

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
        assets::get(self, id).await
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        assets::list(self, query)
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        assets::create(self, config).await
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        assets::update(self, id, patch).await
    }

    // ---- schedule ------------------------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        schedule::list(self, query)
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        schedule::create(self, entry).await
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        schedule::update(self, id, patch).await
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        schedule::delete(self, id).await
    }

    // ---- products ---------------------------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        catalog::search_products(self, &query)
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        catalog::add_ticket_product(self, ticket, item).await
    }

    // ---- read-only records -------------------------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        catalog::list_agreements(self, query)
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        catalog::list_slas(self)
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        catalog::list_projects(self, query)
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        catalog::search_kb_articles(self, &query)
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        catalog::get_kb_article(self, id).await
    }

    // ---- look-ups ------------------------------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        lookups::statuses(self, &scope).await
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        lookups::ticket_picklist(self, "priority").await
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        lookups::ticket_picklist(self, "queueID").await
    }

    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        lookups::ticket_types(self, &scope).await
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        lookups::agents(self).await
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        lookups::work_types(self).await
    }

    // ---- custom fields -----------------------------------------------------------------------------

    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        custom_fields::list(self, entity).await
    }

    // ---- attachments -------------------------------------------------------------------------------

    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        attachments::list(self, ticket)
    }

    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        attachments::download(self, id, max_bytes).await
    }

    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        attachments::upload(self, ticket, file).await
    }

    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        attachments::delete(self, id).await
    }

    // ---- webhooks ----------------------------------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        webhooks::subscribe(self, hook).await
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        webhooks::list(self).await
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        webhooks::delete(self, id).await
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        webhooks::parse(self, delivery).await
    }

    // ---- anything else -------------------------------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        raw_group_of(request.normalized_path())
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        raw::send(self, &request).await
    }
}
