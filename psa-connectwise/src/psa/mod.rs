//! `impl psa_core::Psa for Client`: the uniform operations mapped onto
//! ConnectWise's endpoints, one file per section of the trait.
//!
//! Every operation takes one route: uniform input → [`mapping`](crate::mapping)
//! → the typed handle's operation (`client.tickets().get(id)` …) →
//! `ApiRequest` → `HttpClient`, and back through the mapping. Nothing here
//! builds a path or sends a request itself. A uniform [`Id`] is converted
//! to ConnectWise's integer here ([`int`]); the typed handle checks it is
//! positive, so a bad id is refused once, before anything is sent.

mod assets;
mod attachments;
mod catalog;
mod lookups;
mod notes;
mod parties;
mod raw;
mod schedule;
mod tickets;
mod time;
mod webhooks;

use futures::stream::{BoxStream, StreamExt};
use psa_core::psa::error_stream;
use psa_core::{
    Agent, Agreement, AgreementQuery, Attachment, AttachmentDownload, AuditEntry, Capabilities,
    Company, CompanyQuery, Configuration, ConfigurationPatch, ConfigurationQuery, Contact,
    ContactPatch, ContactQuery, CustomFieldDef, CustomFieldEntity, Error, ErrorKind, Id, KbArticle,
    KbQuery, LineItem, LookupItem, LookupScope, NewAttachment, NewConfiguration, NewContact,
    NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note,
    PermissionGroup, Product, ProductQuery, Project, ProjectQuery, Psa, RawRequest, RawResponse,
    Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Ticket, TicketEvent,
    TicketPatch, TicketQuery, TimeEntry, TimeEntryPatch, TimeEntryQuery, Vendor, WebhookDelivery,
    WebhookSubscription,
};
use serde::de::DeserializeOwned;
use std::sync::Arc;

pub use raw::raw_group_of;

use crate::client::Client;
use crate::query::{Condition, Field};
use crate::resources::List;

#[async_trait::async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        Vendor::ConnectWise
    }

    fn capabilities(&self) -> Capabilities {
        crate::caps::capabilities()
    }

    fn act_as(&self, agent: &Id) -> Result<Arc<dyn Psa>> {
        Ok(Arc::new(self.acting_as_agent(agent)?))
    }

    fn acting_as(&self) -> Option<&Id> {
        self.agent()
    }

    // ---- tickets ------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        tickets::get(self, id).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        tickets::list(self, &query)
    }

    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        tickets::find_by_number(self, number).await
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        tickets::create(&self.writer().await?, ticket).await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        tickets::update(&self.writer().await?, id, patch).await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        tickets::merge(&self.writer().await?, into, from).await
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        tickets::bundle(&self.writer().await?, parent, children).await
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        tickets::delete(&self.writer().await?, id).await
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        tickets::audit_trail(self, ticket)
    }

    // ---- notes --------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        notes::list(self, ticket)
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        notes::add(&self.writer().await?, ticket, note).await
    }

    // ---- time ---------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        time::list(self, &query)
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        time::create(&self.writer().await?, entry).await
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        time::update(&self.writer().await?, id, patch).await
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        time::delete(&self.writer().await?, id).await
    }

    // ---- companies and contacts ---------------------------------------------

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
        parties::create_contact(&self.writer().await?, contact).await
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        parties::update_contact(&self.writer().await?, id, patch).await
    }

    // ---- configurations -----------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        assets::get(self, id).await
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        assets::list(self, &query)
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        assets::create(&self.writer().await?, config).await
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        assets::update(&self.writer().await?, id, patch).await
    }

    // ---- schedule -----------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        schedule::list(self, &query)
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        schedule::create(&self.writer().await?, entry).await
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        schedule::update(&self.writer().await?, id, patch).await
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        schedule::delete(&self.writer().await?, id).await
    }

    // ---- products -----------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        catalog::search_products(self, &query)
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        catalog::add_ticket_product(&self.writer().await?, ticket, item).await
    }

    // ---- read-only records --------------------------------------------------

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

    // ---- look-ups -----------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        lookups::statuses(self, &scope).await
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        lookups::priorities(self).await
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        lookups::queues(self).await
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

    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        lookups::custom_fields(self, entity).await
    }

    // ---- attachments --------------------------------------------------------

    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        attachments::list(self, ticket)
    }

    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        attachments::download(self, id, max_bytes).await
    }

    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        attachments::upload(&self.writer().await?, ticket, file).await
    }

    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        attachments::delete(&self.writer().await?, id).await
    }

    // ---- webhooks -----------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        webhooks::subscribe(&self.writer().await?, hook).await
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        webhooks::list(self).await
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        webhooks::delete(&self.writer().await?, id).await
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        webhooks::parse(self, delivery).await
    }

    // ---- anything else ------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        // the path that would be sent, or none: an invalid path (an encoded
        // traversal …) maps to no group, and `raw` refuses it
        request.checked_path().ok().and_then(raw_group_of)
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        if request.method.is_safe() {
            raw::send(self, &request).await
        } else {
            raw::send(&self.writer().await?, &request).await
        }
    }
}

/// The ConnectWise integer of a uniform id, or an `InvalidInput` error
/// naming it ("ConnectWise ticket id"); the typed handle the id is given to
/// checks that it is positive.
fn int(id: &Id, noun: &str) -> Result<i64> {
    match id.as_i64() {
        Some(i) => Ok(i),
        None => id
            .require_int(&format!("ConnectWise {noun} id"))
            .map_err(|e| e.with_vendor(Vendor::ConnectWise)),
    }
}

/// [`int`] of each id.
fn ints(ids: &[Id], noun: &str) -> Result<Vec<i64>> {
    ids.iter().map(|i| int(i, noun)).collect()
}

/// `list`, once its first page's request is known to build: a filter
/// that cannot be written safely is refused before any request.
fn checked<T: DeserializeOwned + Send + 'static>(list: List<T>) -> Result<List<T>> {
    list.request().map(|_| list)
}

/// Every record of a listing built by `build`, each mapped with `map`; an
/// error building it is the stream's only item.
fn map_stream<'a, T, U>(
    build: impl FnOnce() -> Result<List<T>>,
    map: impl Fn(&T) -> Result<U> + Send + 'a,
) -> BoxStream<'a, Result<U>>
where
    T: DeserializeOwned + Send + 'static,
    U: Send + 'a,
{
    match build().and_then(checked) {
        Ok(list) => list.stream().map(move |r| r.and_then(|t| map(&t))).boxed(),
        Err(e) => error_stream(e),
    }
}

/// Every record of `list`, mapped with `map`, collected.
async fn collect<T, U>(list: List<T>, map: impl Fn(&T) -> Result<U>) -> Result<Vec<U>>
where
    T: DeserializeOwned + Send + 'static,
{
    use futures::TryStreamExt;
    let items: Vec<T> = list.stream().try_collect().await?;
    items.iter().map(map).collect()
}

/// A condition that `text` is in any of `fields`.
fn text_in_any(fields: &[Field], text: &str) -> Condition {
    Condition::any(fields.iter().map(|f| f.contains(text)))
}

/// The id of a record ConnectWise just created; `Decode` when it sent none.
fn created_id(id: Option<i64>, what: &str) -> Result<i64> {
    id.ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            format!("ConnectWise created a {what} without an id"),
        )
        .with_vendor(Vendor::ConnectWise)
    })
}

/// A create whose follow-up PATCH of custom fields failed: the record
/// exists (its id is named, so a caller can retry the PATCH alone, not the
/// create), and the PATCH's error is the source.
fn custom_fields_not_set(what: &str, id: i64, e: Error) -> Error {
    Error::new(
        e.kind(),
        format!("{what} #{id} was created, but its custom fields were not set"),
    )
    .with_vendor(Vendor::ConnectWise)
    .with_source(e)
}
