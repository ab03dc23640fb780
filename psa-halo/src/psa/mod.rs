//! `impl psa_core::Psa for Client`: the uniform operations on Halo.
//!
//! The trait impl below only dispatches: each operation is one function in
//! the file of its section of the trait (tickets, notes, time, parties,
//! assets, schedule, catalog, look-ups, webhooks, raw). Every function takes
//! one route: the uniform input through the mapping, the typed handle's
//! operation (`client.tickets().get(id)` …), its `ApiRequest`, the HTTP
//! client, and back through the mapping. Nothing here builds a path or
//! sends a request itself.
//!
//! Ids are checked once. A uniform [`Id`] is converted with
//! [`Id::require_int`] (an id of another shape is an `InvalidInput` error
//! naming it); the typed operation then checks what Halo allows (a positive
//! id) and names it ("halo ticket id"). An id the mapping puts in a record
//! field (a ticket's client, a merge target) is checked by the mapping
//! with [`Id::require_positive`]. A call with an invalid id sends nothing.

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

pub use raw::raw_group_of;

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::psa::error_stream;
use psa_core::{
    Agent, Agreement, AgreementQuery, AuditEntry, Capabilities, Company, CompanyQuery,
    Configuration, ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery,
    Error, ErrorKind, Id, KbArticle, KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration,
    NewContact, NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note,
    PermissionGroup, Product, ProductQuery, Project, ProjectQuery, Psa, RawRequest, RawResponse,
    Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Ticket, TicketEvent,
    TicketPatch, TicketQuery, TimeEntry, TimeEntryPatch, TimeEntryQuery, Vendor, WebhookDelivery,
    WebhookSubscription,
};
use psa_core::{Attachment, AttachmentDownload, CustomFieldDef, CustomFieldEntity, NewAttachment};
use std::future::Future;

use crate::client::Client;

/// The vendor, for errors.
const HALO: Vendor = Vendor::Halo;

/// The integers of `ids` (`what` names them), each given once.
fn int_ids(ids: &[Id], what: &str) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let v = id.require_int(what)?;
        if out.contains(&v) {
            return Err(Error::invalid_input(format!("{what} {v} is given twice")));
        }
        out.push(v);
    }
    Ok(out)
}

/// The one record Halo answered a write of one record with.
fn first<T>(records: Vec<T>, what: &str) -> Result<T> {
    records.into_iter().next().ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            format!("halo answered the {what} with no record"),
        )
        .with_vendor(HALO)
    })
}

/// The action `saved` read back, checked to be attributed to the agent
/// this view acts as: Halo's request schema has the agent fields, but
/// whether an application's agent may set them for another agent is not
/// documented, so a write that did not take is an error, never a silent
/// success. Without `act_as`, `saved` as it is.
async fn attributed(
    c: &Client,
    saved: crate::models::Action,
    what: &str,
) -> Result<crate::models::Action> {
    let Some(agent) = c.acting_agent() else {
        return Ok(saved);
    };
    let key = saved.key().ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            format!("halo answered the {what} without its ticket and action number"),
        )
        .with_vendor(HALO)
    })?;
    let back = c.actions().get(key).send().await?;
    if back.who_agentid == Some(agent) {
        return Ok(back);
    }
    Err(Error::new(
        ErrorKind::Api,
        format!(
            "halo saved the {what} (action {} on ticket {}) as agent {}, not agent {agent}: this Halo tenant does not let the application's agent act for others (who_agentid is ignored); the {what} stays attributed to the application's agent",
            key.action_id,
            key.ticket_id,
            back.who_agentid.map_or_else(|| "unknown".to_owned(), |a| a.to_string()),
        ),
    )
    .with_vendor(HALO))
}

/// A stream built after checks that may fail: the stream, or the error as
/// a stream of one.
fn checked<'a, T: Send + 'a>(stream: Result<BoxStream<'a, Result<T>>>) -> BoxStream<'a, Result<T>> {
    stream.unwrap_or_else(error_stream)
}

/// The items of one call, as a stream (a list Halo answers in one
/// response, mapped record by record).
fn once<'a, T: Send + 'a>(
    items: impl Future<Output = Result<Vec<Result<T>>>> + Send + 'a,
) -> BoxStream<'a, Result<T>> {
    stream::once(items)
        .map_ok(stream::iter)
        .try_flatten()
        .boxed()
}

#[async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        HALO
    }

    fn capabilities(&self) -> Capabilities {
        crate::caps::capabilities(self.settings())
    }

    /// A view whose notes, time entries and resolutions carry `agent` in
    /// the agent fields of Halo's actions (`who_agentid`,
    /// `actionby_agent_id`, `who_type` 1), checked by reading each action
    /// back (`caps::ACT_AS_NOTE`).
    fn act_as(&self, agent: &Id) -> Result<std::sync::Arc<dyn Psa>> {
        let agent = agent.require_positive("halo agent id (act_as)")?;
        Ok(std::sync::Arc::new(self.acting_for(agent)))
    }

    fn acting_as(&self) -> Option<&Id> {
        self.acting_id()
    }

    // ---- tickets --------------------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        tickets::get(self, id).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        checked(tickets::list(self, &query))
    }

    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        tickets::find_by_number(self, number).await
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        tickets::create(self, ticket).await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        tickets::update(self, id, patch).await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        tickets::merge(self, into, from).await
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        tickets::bundle(self, parent, children).await
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        tickets::delete(self, id).await
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        checked(tickets::audit_trail(self, ticket))
    }

    // ---- notes --------------------------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        checked(notes::list(self, ticket))
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        notes::add(self, ticket, note).await
    }

    // ---- time ----------------------------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        checked(time::list(self, &query))
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

    // ---- companies and contacts -------------------------------------------------------------------

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
        checked(parties::search_contacts(self, &query))
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        parties::create_contact(self, contact).await
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        parties::update_contact(self, id, patch).await
    }

    // ---- configurations --------------------------------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        assets::get(self, id).await
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        checked(assets::list(self, &query))
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

    // ---- schedule ---------------------------------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        checked(schedule::list(self, &query))
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

    // ---- products ------------------------------------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        catalog::search_products(self, &query)
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        catalog::add_ticket_product(self, ticket, item).await
    }

    // ---- read-only records ---------------------------------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        checked(catalog::list_agreements(self, &query))
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        catalog::list_slas(self)
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        checked(catalog::list_projects(self, &query))
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        catalog::search_kb_articles(self, &query)
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        catalog::get_kb_article(self, id).await
    }

    // ---- look-ups -------------------------------------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        lookups::statuses(self, &scope).await
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        lookups::priorities(self).await
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        lookups::queues(self).await
    }

    async fn list_ticket_types(&self, _scope: LookupScope) -> Result<Vec<LookupItem>> {
        // Halo ticket types belong to no team: every one applies to every
        // queue, so a scope is ignored (caps::TICKET_TYPE_SCOPE_NOTE).
        lookups::ticket_types(self).await
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

    // ---- attachments ----------------------------------------------------------------------------

    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        checked(attachments::list(self, ticket))
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

    // ---- webhooks ---------------------------------------------------------------------------------------

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
        crate::webhook::parse(self.webhook_auth(), delivery, self.settings())
    }

    // ---- anything else --------------------------------------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        request.validate_methods(&raw::HALO_METHODS).ok()?;
        raw_group_of(request.checked_path().ok()?)
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        raw::send(self, request).await
    }
}
