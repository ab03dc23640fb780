//! The uniform, object-safe [`Psa`] trait.

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt};
use std::fmt::Debug;

use crate::model::{
    Agent, Agreement, AgreementQuery, AuditEntry, Company, CompanyQuery, Configuration,
    ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery, KbArticle,
    KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration, NewContact, NewLineItem, NewNote,
    NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note, Product, ProductQuery, Project,
    ProjectQuery, RawRequest, RawResponse, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla,
    Ticket, TicketEvent, TicketPatch, TicketQuery, TimeEntry, TimeEntryPatch, TimeEntryQuery,
    WebhookDelivery, WebhookSubscription,
};
use crate::model::{
    Attachment, AttachmentDownload, CustomFieldDef, CustomFieldEntity, NewAttachment,
};
use crate::{Capabilities, Error, Id, Operation, PermissionGroup, Result, Vendor};

/// The error every default body returns: the vendor client does not
/// implement `op`. Vendor crates return their own reason instead.
pub fn unsupported(vendor: Vendor, op: Operation) -> Error {
    Error::unsupported(
        vendor,
        format!("{op} is not supported by this {vendor} client"),
    )
}

/// The most tickets [`Psa::find_ticket_by_number`]'s default looks at.
pub const MAX_NUMBER_CANDIDATES: u64 = 10;

/// Whether `ticket` is the one people quote as `number` (checked with
/// [`input::ticket_number`](crate::input::ticket_number)): its
/// [`number`](Ticket::number), compared without regard to ASCII case, or —
/// for a ticket without a separate number (HaloPSA, ConnectWise) — its id.
/// What a vendor's lookup checks a candidate with.
///
/// ```
/// use psa_core::{Id, Ticket, psa::has_number};
/// let mut sn = Ticket::new(Id::text("incident:9d385017c611228701d22104cc95c371")?, "Printer");
/// sn.number = Some("INC0010001".into());
/// assert!(has_number(&sn, "inc0010001"));
/// assert!(has_number(&Ticket::new(Id::from(12345), "Printer"), "12345"));
/// assert!(!has_number(&Ticket::new(Id::from(12345), "Printer"), "1234"));
/// # Ok::<(), psa_core::Error>(())
/// ```
pub fn has_number(ticket: &Ticket, number: &str) -> bool {
    match &ticket.number {
        Some(n) => n.trim().eq_ignore_ascii_case(number),
        None => ticket.id.to_string() == number,
    }
}

/// A stream that yields one error and ends: how a stream-returning
/// operation fails before its first request (a denied permission, an invalid
/// query, an unsupported operation).
pub fn error_stream<'a, T: Send + 'a>(err: Error) -> BoxStream<'a, Result<T>> {
    stream::once(async move { Err(err) }).boxed()
}

/// One uniform, permission-gated way to read and write a PSA.
///
/// Implemented by each vendor client (`psa_halo::Client` …) and by
/// `psa_permissions::Guarded`, which wraps any `Psa` with a policy. The trait
/// is object-safe: `Arc<dyn Psa>` works, so one program serves several
/// vendors and several policies over one connection.
///
/// Every method is one [`Operation`] with a static descriptor (group, kind,
/// written fields). Reads that return many records return a lazily paging
/// `Stream` whose memory is bounded by one page. A vendor that cannot do
/// something returns [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported)
/// with the reason, and says so up front in [`capabilities`](Psa::capabilities).
/// The default bodies below return `Unsupported`.
///
/// ```
/// use futures::TryStreamExt;
/// use psa_core::{Psa, Result, TicketQuery};
///
/// async fn open_ticket_summaries(psa: &dyn Psa) -> Result<Vec<String>> {
///     psa.list_tickets(TicketQuery::open().limit(20))
///         .map_ok(|t| t.summary)
///         .try_collect()
///         .await
/// }
/// ```
#[async_trait]
pub trait Psa: Send + Sync + Debug {
    /// The vendor behind this client.
    fn vendor(&self) -> Vendor;

    /// What this client supports, with reasons for what it doesn't.
    fn capabilities(&self) -> Capabilities {
        Capabilities::none(self.vendor())
    }

    /// A view of this client whose writes are attributed to the technician
    /// `agent` (an id [`list_agents`](Psa::list_agents) returns), through the
    /// vendor's own mechanism: ConnectWise member impersonation tokens,
    /// Autotask `ImpersonationResourceId`, HaloPSA's agent fields on
    /// tickets, actions and time, ServiceNow per-user credentials. Reads are
    /// unchanged. The view shares this client's connection, limits and
    /// credentials cache.
    ///
    /// A vendor (or configuration) that cannot attribute a write to another
    /// agent returns [`Unsupported`](crate::ErrorKind::Unsupported) with the
    /// reason [`Capabilities::act_as`] gives; a guard checks its policy's
    /// `act_as` switch first and audits the technician with every write.
    fn act_as(&self, agent: &Id) -> Result<std::sync::Arc<dyn Psa>> {
        let _ = agent;
        let caps = self.capabilities();
        Err(Error::unsupported(
            self.vendor(),
            caps.act_as()
                .reason()
                .unwrap_or("acting as another agent is not supported by this client")
                .to_owned(),
        ))
    }

    /// The technician this client's writes are attributed to, for a view
    /// made by [`act_as`](Psa::act_as); `None` for the API account itself.
    fn acting_as(&self) -> Option<&Id> {
        None
    }

    // ---- tickets ----------------------------------------------------------

    /// Reads one ticket.
    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::GetTicket))
    }

    /// Lists tickets matching `query`, paging lazily. Every filter of the
    /// query is honoured, the [`number`](TicketQuery::number) filter
    /// included, and a query that fails [`TicketQuery::validate`] (blank
    /// search text, a malformed number) is an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error before any
    /// request.
    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::ListTickets))
    }

    /// Reads the ticket people quote by its number — ServiceNow
    /// `INC0010001`, Autotask `T20261203.0001`, a HaloPSA or ConnectWise
    /// ticket id `12345` (a leading `#` and surrounding spaces are
    /// dropped) — open or closed. A [`NotFound`](crate::ErrorKind::NotFound)
    /// error when no ticket has it; an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error, before any
    /// request, for text that is no ticket number
    /// ([`input::ticket_number`](crate::input::ticket_number)).
    ///
    /// The default lists [`TicketQuery::any`] with the
    /// [`number`](TicketQuery::number) filter and returns the first ticket
    /// whose [`number`](Ticket::number) is the one asked for (compared
    /// without regard to ASCII case), or, for a ticket without a separate
    /// number, whose id is. It checks what comes back, so a vendor that
    /// ignored the filter could never return another ticket; it looks at
    /// [`MAX_NUMBER_CANDIDATES`] tickets at most. Vendors override it with
    /// a direct read where they have one (HaloPSA and ConnectWise: the
    /// number is the id).
    ///
    /// ```
    /// use psa_core::{Psa, Result, Ticket};
    /// async fn caller_says(psa: &dyn Psa) -> Result<Ticket> {
    ///     psa.find_ticket_by_number("INC0010001").await
    /// }
    /// ```
    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        let wanted = crate::input::ticket_number(number)?;
        let query = TicketQuery::any()
            .number(wanted)
            .limit(MAX_NUMBER_CANDIDATES);
        let mut found = self
            .list_tickets(query)
            .take(usize::try_from(MAX_NUMBER_CANDIDATES).unwrap_or(usize::MAX));
        while let Some(ticket) = found.next().await {
            let ticket = ticket.map_err(|e| {
                if e.is_unsupported() {
                    unsupported(self.vendor(), Operation::FindTicketByNumber)
                } else {
                    e
                }
            })?;
            if has_number(&ticket, wanted) {
                return Ok(ticket);
            }
        }
        Err(Error::new(
            crate::ErrorKind::NotFound,
            format!("no ticket has the number {wanted}"),
        )
        .with_vendor(self.vendor()))
    }

    /// Creates a ticket. Never retried automatically: an unknown outcome is
    /// an [`AmbiguousWrite`](crate::ErrorKind::AmbiguousWrite).
    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        let _ = ticket;
        Err(unsupported(self.vendor(), Operation::CreateTicket))
    }

    /// Updates a ticket's triage fields; only the fields set in `patch` change.
    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        let _ = (id, patch);
        Err(unsupported(self.vendor(), Operation::UpdateTicket))
    }

    /// Merges `from` into `into`; the merged tickets are closed by the vendor.
    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        let _ = (into, from);
        Err(unsupported(self.vendor(), Operation::MergeTickets))
    }

    /// Bundles `children` under `parent` (they stay open, linked).
    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        let _ = (parent, children);
        Err(unsupported(self.vendor(), Operation::BundleTickets))
    }

    /// Deletes a ticket.
    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::DeleteTicket))
    }

    /// Reads a ticket's audit trail.
    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        let _ = ticket;
        error_stream(unsupported(self.vendor(), Operation::ListAuditTrail))
    }

    // ---- notes ------------------------------------------------------------

    /// Lists a ticket's notes, oldest first.
    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        let _ = ticket;
        error_stream(unsupported(self.vendor(), Operation::ListNotes))
    }

    /// Adds a note. Never retried automatically.
    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        let _ = (ticket, note);
        Err(unsupported(self.vendor(), Operation::AddNote))
    }

    // ---- time -------------------------------------------------------------

    /// Lists time entries by ticket, agent or date range.
    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::ListTimeEntries))
    }

    /// Logs time. Never retried automatically.
    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        let _ = entry;
        Err(unsupported(self.vendor(), Operation::CreateTimeEntry))
    }

    /// Changes a time entry.
    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        let _ = (id, patch);
        Err(unsupported(self.vendor(), Operation::UpdateTimeEntry))
    }

    /// Deletes a time entry.
    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::DeleteTimeEntry))
    }

    // ---- companies and contacts --------------------------------------------

    /// Reads one company.
    async fn get_company(&self, id: &Id) -> Result<Company> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::GetCompany))
    }

    /// Searches companies.
    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::SearchCompanies))
    }

    /// Reads one contact.
    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::GetContact))
    }

    /// Searches contacts by name, email or phone.
    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::SearchContacts))
    }

    /// Creates a contact. Never retried automatically.
    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        let _ = contact;
        Err(unsupported(self.vendor(), Operation::CreateContact))
    }

    /// Updates a contact.
    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        let _ = (id, patch);
        Err(unsupported(self.vendor(), Operation::UpdateContact))
    }

    // ---- configurations ------------------------------------------------------

    /// Reads one configuration / asset.
    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::GetConfiguration))
    }

    /// Lists configurations.
    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::ListConfigurations))
    }

    /// Creates a configuration. Never retried automatically.
    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        let _ = config;
        Err(unsupported(self.vendor(), Operation::CreateConfiguration))
    }

    /// Updates a configuration.
    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        let _ = (id, patch);
        Err(unsupported(self.vendor(), Operation::UpdateConfiguration))
    }

    // ---- schedule ---------------------------------------------------------------

    /// Lists schedule entries by agent and range.
    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::ListScheduleEntries))
    }

    /// Creates a schedule entry. Never retried automatically.
    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        let _ = entry;
        Err(unsupported(self.vendor(), Operation::CreateScheduleEntry))
    }

    /// Updates a schedule entry.
    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        let _ = (id, patch);
        Err(unsupported(self.vendor(), Operation::UpdateScheduleEntry))
    }

    /// Deletes a schedule entry.
    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::DeleteScheduleEntry))
    }

    // ---- products -------------------------------------------------------------

    /// Searches the product catalog.
    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::SearchProducts))
    }

    /// Adds a product line item to a ticket. Never retried automatically.
    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        let _ = (ticket, item);
        Err(unsupported(self.vendor(), Operation::AddTicketProduct))
    }

    // ---- read-only records ---------------------------------------------------

    /// Lists agreements / contracts.
    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::ListAgreements))
    }

    /// Lists SLA definitions.
    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        error_stream(unsupported(self.vendor(), Operation::ListSlas))
    }

    /// Lists projects.
    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::ListProjects))
    }

    /// Searches knowledge-base articles.
    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        let _ = query;
        error_stream(unsupported(self.vendor(), Operation::SearchKbArticles))
    }

    /// Reads one knowledge-base article.
    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::GetKbArticle))
    }

    // ---- look-ups -------------------------------------------------------------

    /// Ticket statuses (per queue / board where the vendor scopes them).
    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let _ = scope;
        Err(unsupported(self.vendor(), Operation::ListStatuses))
    }

    /// Priorities.
    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        Err(unsupported(self.vendor(), Operation::ListPriorities))
    }

    /// Queues / boards / teams / assignment groups.
    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        Err(unsupported(self.vendor(), Operation::ListQueues))
    }

    /// Ticket types (per queue / board where the vendor scopes them).
    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let _ = scope;
        Err(unsupported(self.vendor(), Operation::ListTicketTypes))
    }

    /// Agents / members / resources.
    async fn list_agents(&self) -> Result<Vec<Agent>> {
        Err(unsupported(self.vendor(), Operation::ListAgents))
    }

    /// Work types / billing codes / charge rates.
    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        Err(unsupported(self.vendor(), Operation::ListWorkTypes))
    }

    /// The tenant's custom-field definitions for records of `entity`: name,
    /// kind, required, picklist values — so that a write can be checked
    /// before it is sent ([`validate_custom_fields`](crate::model::validate_custom_fields)).
    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        let _ = entity;
        Err(unsupported(self.vendor(), Operation::ListCustomFields))
    }

    // ---- attachments --------------------------------------------------------

    /// Lists the files attached to a ticket (and to its notes).
    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        let _ = ticket;
        error_stream(unsupported(self.vendor(), Operation::ListAttachments))
    }

    /// Downloads an attachment as a stream of chunks. A file larger than
    /// `max_bytes` is refused before its content is read when the vendor
    /// announces its size, and the stream ends with an error at the limit
    /// otherwise: memory never holds more than one chunk.
    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        let _ = (id, max_bytes);
        Err(unsupported(self.vendor(), Operation::DownloadAttachment))
    }

    /// Attaches a file to a ticket. The file is checked before any request
    /// ([`NewAttachment::validate`], and the vendor's own size limit).
    /// Never retried automatically: an unknown outcome is an
    /// [`AmbiguousWrite`](crate::ErrorKind::AmbiguousWrite).
    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        let _ = (ticket, file);
        Err(unsupported(self.vendor(), Operation::UploadAttachment))
    }

    /// Deletes an attachment.
    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::DeleteAttachment))
    }

    // ---- webhooks ---------------------------------------------------------------

    /// Registers a webhook subscription for ticket events.
    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        let _ = hook;
        Err(unsupported(self.vendor(), Operation::SubscribeWebhook))
    }

    /// Lists webhook subscriptions.
    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        Err(unsupported(self.vendor(), Operation::ListWebhooks))
    }

    /// Deletes a webhook subscription.
    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        let _ = id;
        Err(unsupported(self.vendor(), Operation::DeleteWebhook))
    }

    /// Verifies a delivery (signature or shared secret, constant-time) and
    /// turns it into ticket events. A delivery that fails verification is a
    /// [`Webhook`](crate::ErrorKind::Webhook) error and yields no event.
    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        let _ = delivery;
        Err(unsupported(self.vendor(), Operation::ParseWebhook))
    }

    // ---- anything else ----------------------------------------------------------

    /// The permission group a raw request's path belongs to, or `None` when
    /// the path is unknown (a guard then denies it).
    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        let _ = request;
        None
    }

    /// Sends a request to any endpoint of the vendor's API. Non-idempotent
    /// methods are never retried automatically.
    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        let _ = request;
        Err(unsupported(self.vendor(), Operation::Raw))
    }
}

macro_rules! forward_psa {
    ($($ty:ty),*) => {$(
        #[async_trait]
        impl<T: Psa + ?Sized> Psa for $ty {
    fn vendor(&self) -> Vendor {
        (**self).vendor()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn act_as(&self, agent: &Id) -> Result<std::sync::Arc<dyn Psa>> {
        (**self).act_as(agent)
    }
    fn acting_as(&self) -> Option<&Id> {
        (**self).acting_as()
    }
    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        (**self).get_ticket(id).await
    }
    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        (**self).list_tickets(query)
    }
    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        (**self).find_ticket_by_number(number).await
    }
    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        (**self).create_ticket(ticket).await
    }
    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        (**self).update_ticket(id, patch).await
    }
    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        (**self).merge_tickets(into, from).await
    }
    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        (**self).bundle_tickets(parent, children).await
    }
    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        (**self).delete_ticket(id).await
    }
    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        (**self).list_audit_trail(ticket)
    }
    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        (**self).list_notes(ticket)
    }
    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        (**self).add_note(ticket, note).await
    }
    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        (**self).list_time_entries(query)
    }
    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        (**self).create_time_entry(entry).await
    }
    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        (**self).update_time_entry(id, patch).await
    }
    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        (**self).delete_time_entry(id).await
    }
    async fn get_company(&self, id: &Id) -> Result<Company> {
        (**self).get_company(id).await
    }
    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        (**self).search_companies(query)
    }
    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        (**self).get_contact(id).await
    }
    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        (**self).search_contacts(query)
    }
    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        (**self).create_contact(contact).await
    }
    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        (**self).update_contact(id, patch).await
    }
    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        (**self).get_configuration(id).await
    }
    fn list_configurations(&self, query: ConfigurationQuery) -> BoxStream<'_, Result<Configuration>> {
        (**self).list_configurations(query)
    }
    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        (**self).create_configuration(config).await
    }
    async fn update_configuration(&self, id: &Id, patch: ConfigurationPatch) -> Result<Configuration> {
        (**self).update_configuration(id, patch).await
    }
    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        (**self).list_schedule_entries(query)
    }
    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        (**self).create_schedule_entry(entry).await
    }
    async fn update_schedule_entry(&self, id: &Id, patch: ScheduleEntryPatch) -> Result<ScheduleEntry> {
        (**self).update_schedule_entry(id, patch).await
    }
    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        (**self).delete_schedule_entry(id).await
    }
    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        (**self).search_products(query)
    }
    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        (**self).add_ticket_product(ticket, item).await
    }
    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        (**self).list_agreements(query)
    }
    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        (**self).list_slas()
    }
    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        (**self).list_projects(query)
    }
    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        (**self).search_kb_articles(query)
    }
    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        (**self).get_kb_article(id).await
    }
    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        (**self).list_statuses(scope).await
    }
    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        (**self).list_priorities().await
    }
    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        (**self).list_queues().await
    }
    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        (**self).list_ticket_types(scope).await
    }
    async fn list_agents(&self) -> Result<Vec<Agent>> {
        (**self).list_agents().await
    }
    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        (**self).list_work_types().await
    }
    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        (**self).list_custom_fields(entity).await
    }
    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        (**self).list_attachments(ticket)
    }
    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        (**self).download_attachment(id, max_bytes).await
    }
    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        (**self).upload_attachment(ticket, file).await
    }
    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        (**self).delete_attachment(id).await
    }
    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        (**self).subscribe_webhook(hook).await
    }
    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        (**self).list_webhooks().await
    }
    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        (**self).delete_webhook(id).await
    }
    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        (**self).parse_webhook(delivery).await
    }
    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        (**self).raw_group(request)
    }
    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        (**self).raw(request).await
    }
        }
    )*};
}

// `Arc<dyn Psa>`, `Box<dyn Psa>` and `&P` are `Psa` too: many guards with
// different policies share one underlying client.
forward_psa!(std::sync::Arc<T>, Box<T>, &T);
