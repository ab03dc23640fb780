//! `impl Psa for Guarded`: every operation through the policy, the
//! approver and the audit, in the order the trait declares them.

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::BoxStream;
use psa_core::model::{
    Agent, Agreement, AgreementQuery, AuditEntry, Company, CompanyQuery, Configuration,
    ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery, KbArticle,
    KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration, NewContact, NewLineItem, NewNote,
    NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note, Product, ProductQuery, Project,
    ProjectQuery, RawRequest, RawResponse, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla,
    Ticket, TicketEvent, TicketPatch, TicketQuery, TimeEntry, TimeEntryPatch, TimeEntryQuery,
    WebhookDelivery, WebhookSubscription,
};
use psa_core::model::{
    Attachment, AttachmentDownload, CustomFieldDef, CustomFieldEntity, NewAttachment,
};
use psa_core::{Capabilities, Denial, Id, OpKind, Operation, PermissionGroup, Psa, Result, Vendor};
use serde_json::json;

use crate::audit::{AuditDecision, AuditOutcome, AuditSink};

use super::{Call, Guarded, payload, raw_payload, validate_ids};

#[async_trait]
impl<P: Psa> Psa for Guarded<P> {
    fn vendor(&self) -> Vendor {
        self.inner.vendor()
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    /// The same guard over the inner client's view acting as `agent`: one
    /// policy, approver, audit and plan store, with the technician recorded
    /// on every audit event and stored plan. Denied (sending nothing) unless
    /// the policy's [`act_as`](crate::Policy::act_as) switch is on; `Unsupported`
    /// when the vendor client cannot attribute writes. Such a refusal names
    /// no write, so it is an error only; [`Guarded::act_as_for`] takes the
    /// write's operation and audits the refusal.
    fn act_as(&self, agent: &Id) -> Result<Arc<dyn Psa>> {
        self.try_act_as(agent)
            .map_err(|refusal| self.act_as_error(agent, refusal))
    }

    fn acting_as(&self) -> Option<&Id> {
        self.technician.as_ref()
    }

    // ---- tickets ----------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        self.gate_read(Call::op(Operation::GetTicket).target(id), Ok(()))
            .await?;
        self.inner.get_ticket(id).await
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        match self.gate_stream(Call::op(Operation::ListTickets), query.validate()) {
            Ok(()) => self.inner.list_tickets(query),
            Err(s) => s,
        }
    }

    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        let valid = psa_core::input::ticket_number(number).map(drop);
        self.gate_read(Call::op(Operation::FindTicketByNumber), valid)
            .await?;
        self.inner.find_ticket_by_number(number).await
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        let call = Call::op(Operation::CreateTicket).fields(ticket.written_fields());
        let (valid, body) = (ticket.validate(), payload(&ticket));
        self.write(call, valid, body, move || self.inner.create_ticket(ticket))
            .await
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        let call = Call::op(Operation::UpdateTicket)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_ticket(id, patch)
        })
        .await
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        let call = Call::op(Operation::MergeTickets).target(into);
        let valid = validate_ids("merge", into, from);
        let body = Ok(json!({ "into": into, "from": from }));
        self.write(call, valid, body, move || {
            self.inner.merge_tickets(into, from)
        })
        .await
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        let call = Call::op(Operation::BundleTickets).target(parent);
        let valid = validate_ids("bundle", parent, children);
        let body = Ok(json!({ "parent": parent, "children": children }));
        self.write(call, valid, body, move || {
            self.inner.bundle_tickets(parent, children)
        })
        .await
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteTicket).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_ticket(id))
            .await
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        match self.gate_stream(Call::op(Operation::ListAuditTrail).target(ticket), Ok(())) {
            Ok(()) => self.inner.list_audit_trail(ticket),
            Err(s) => s,
        }
    }

    // ---- notes ------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        match self.gate_stream(Call::op(Operation::ListNotes).target(ticket), Ok(())) {
            Ok(()) => self.inner.list_notes(ticket),
            Err(s) => s,
        }
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        let call = Call::op(Operation::AddNote)
            .target(ticket)
            .fields(note.written_fields());
        let (valid, body) = (note.validate(), payload(&note));
        self.write(call, valid, body, move || self.inner.add_note(ticket, note))
            .await
    }

    // ---- time -------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        match self.gate_stream(Call::op(Operation::ListTimeEntries), query.validate()) {
            Ok(()) => self.inner.list_time_entries(query),
            Err(s) => s,
        }
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        let call = Call::op(Operation::CreateTimeEntry).fields(entry.written_fields());
        let (valid, body) = (entry.validate(), payload(&entry));
        self.write(call, valid, body, move || {
            self.inner.create_time_entry(entry)
        })
        .await
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        let call = Call::op(Operation::UpdateTimeEntry)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_time_entry(id, patch)
        })
        .await
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteTimeEntry).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_time_entry(id))
            .await
    }

    // ---- companies and contacts ---------------------------------------------

    async fn get_company(&self, id: &Id) -> Result<Company> {
        self.gate_read(Call::op(Operation::GetCompany).target(id), Ok(()))
            .await?;
        self.inner.get_company(id).await
    }

    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        match self.gate_stream(Call::op(Operation::SearchCompanies), query.validate()) {
            Ok(()) => self.inner.search_companies(query),
            Err(s) => s,
        }
    }

    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        self.gate_read(Call::op(Operation::GetContact).target(id), Ok(()))
            .await?;
        self.inner.get_contact(id).await
    }

    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        match self.gate_stream(Call::op(Operation::SearchContacts), query.validate()) {
            Ok(()) => self.inner.search_contacts(query),
            Err(s) => s,
        }
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        let call = Call::op(Operation::CreateContact).fields(contact.written_fields());
        let (valid, body) = (contact.validate(), payload(&contact));
        self.write(call, valid, body, move || {
            self.inner.create_contact(contact)
        })
        .await
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        let call = Call::op(Operation::UpdateContact)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_contact(id, patch)
        })
        .await
    }

    // ---- configurations ---------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        self.gate_read(Call::op(Operation::GetConfiguration).target(id), Ok(()))
            .await?;
        self.inner.get_configuration(id).await
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        match self.gate_stream(Call::op(Operation::ListConfigurations), query.validate()) {
            Ok(()) => self.inner.list_configurations(query),
            Err(s) => s,
        }
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        let call = Call::op(Operation::CreateConfiguration).fields(config.written_fields());
        let (valid, body) = (config.validate(), payload(&config));
        self.write(call, valid, body, move || {
            self.inner.create_configuration(config)
        })
        .await
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        let call = Call::op(Operation::UpdateConfiguration)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_configuration(id, patch)
        })
        .await
    }

    // ---- schedule ---------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        match self.gate_stream(Call::op(Operation::ListScheduleEntries), query.validate()) {
            Ok(()) => self.inner.list_schedule_entries(query),
            Err(s) => s,
        }
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        let call = Call::op(Operation::CreateScheduleEntry).fields(entry.written_fields());
        let (valid, body) = (entry.validate(), payload(&entry));
        self.write(call, valid, body, move || {
            self.inner.create_schedule_entry(entry)
        })
        .await
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        let call = Call::op(Operation::UpdateScheduleEntry)
            .target(id)
            .fields(patch.written_fields());
        let (valid, body) = (patch.validate(), payload(&patch));
        self.write(call, valid, body, move || {
            self.inner.update_schedule_entry(id, patch)
        })
        .await
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteScheduleEntry).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || {
            self.inner.delete_schedule_entry(id)
        })
        .await
    }

    // ---- products ---------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        match self.gate_stream(Call::op(Operation::SearchProducts), query.validate()) {
            Ok(()) => self.inner.search_products(query),
            Err(s) => s,
        }
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        let call = Call::op(Operation::AddTicketProduct)
            .target(ticket)
            .fields(item.written_fields());
        let (valid, body) = (item.validate(), payload(&item));
        self.write(call, valid, body, move || {
            self.inner.add_ticket_product(ticket, item)
        })
        .await
    }

    // ---- read-only records --------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        match self.gate_stream(Call::op(Operation::ListAgreements), Ok(())) {
            Ok(()) => self.inner.list_agreements(query),
            Err(s) => s,
        }
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        match self.gate_stream(Call::op(Operation::ListSlas), Ok(())) {
            Ok(()) => self.inner.list_slas(),
            Err(s) => s,
        }
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        match self.gate_stream(Call::op(Operation::ListProjects), Ok(())) {
            Ok(()) => self.inner.list_projects(query),
            Err(s) => s,
        }
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        match self.gate_stream(Call::op(Operation::SearchKbArticles), query.validate()) {
            Ok(()) => self.inner.search_kb_articles(query),
            Err(s) => s,
        }
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        self.gate_read(Call::op(Operation::GetKbArticle).target(id), Ok(()))
            .await?;
        self.inner.get_kb_article(id).await
    }

    // ---- look-ups -----------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListStatuses), Ok(()))
            .await?;
        self.inner.list_statuses(scope).await
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListPriorities), Ok(()))
            .await?;
        self.inner.list_priorities().await
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListQueues), Ok(()))
            .await?;
        self.inner.list_queues().await
    }

    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListTicketTypes), Ok(()))
            .await?;
        self.inner.list_ticket_types(scope).await
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        self.gate_read(Call::op(Operation::ListAgents), Ok(()))
            .await?;
        self.inner.list_agents().await
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        self.gate_read(Call::op(Operation::ListWorkTypes), Ok(()))
            .await?;
        self.inner.list_work_types().await
    }

    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        self.gate_read(Call::op(Operation::ListCustomFields), Ok(()))
            .await?;
        self.inner.list_custom_fields(entity).await
    }

    // ---- attachments --------------------------------------------------------

    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        match self.gate_stream(Call::op(Operation::ListAttachments).target(ticket), Ok(())) {
            Ok(()) => self.inner.list_attachments(ticket),
            Err(s) => s,
        }
    }

    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        self.gate_read(Call::op(Operation::DownloadAttachment).target(id), Ok(()))
            .await?;
        self.inner.download_attachment(id, max_bytes).await
    }

    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        let call = Call::op(Operation::UploadAttachment)
            .target(ticket)
            .fields(file.written_fields());
        let (valid, body) = (file.validate(), payload(&file));
        self.write(call, valid, body, move || {
            self.inner.upload_attachment(ticket, file)
        })
        .await
    }

    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteAttachment).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_attachment(id))
            .await
    }

    // ---- webhooks -----------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        let call = Call::op(Operation::SubscribeWebhook).fields(hook.written_fields());
        // `NewWebhook` never serialises its secret; `payload` also redacts
        // any secret-looking key.
        let (valid, body) = (hook.validate(), payload(&hook));
        self.write(call, valid, body, move || {
            self.inner.subscribe_webhook(hook)
        })
        .await
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        self.gate_read(Call::op(Operation::ListWebhooks), Ok(()))
            .await?;
        self.inner.list_webhooks().await
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        let call = Call::op(Operation::DeleteWebhook).target(id);
        let body = Ok(json!({ "id": id }));
        self.write(call, Ok(()), body, move || self.inner.delete_webhook(id))
            .await
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        self.gate_read(Call::op(Operation::ParseWebhook), Ok(()))
            .await?;
        let events = self.inner.parse_webhook(delivery).await?;
        // Only a delivery the inner client verified reaches the window: a
        // forged one must not spend the id of the genuine one.
        if let Some(window) = &self.replay {
            window.check_all(&events)?;
        }
        Ok(events)
    }

    // ---- anything else ------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        self.inner.raw_group(request)
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        let kind = request.kind();
        // The path is checked before it is mapped: only plain segments (no
        // encoded or lookalike traversal) reach `raw_group`, so the group a
        // policy judges is the resource the server reads.
        let valid = request.validate();
        let group = match valid {
            Ok(()) => self.inner.raw_group(&request),
            Err(_) => None,
        };
        let call = Call {
            operation: Operation::Raw,
            group,
            kind,
            target: None,
            fields: Vec::new(),
            request: Some(format!(
                "{} {}",
                request.method.as_str(),
                request.normalized_path()
            )),
        };
        if let Err(e) = valid {
            // Refused before any policy decision: say why, and audit a
            // refused write like any other write attempt.
            if kind.is_mutation() {
                let denial = Denial::new(Operation::Raw, None, "a valid raw request");
                let ev = self.event(
                    call,
                    AuditDecision::Denied(denial),
                    AuditOutcome::failed(&e),
                );
                self.audit.record(ev).await;
            }
            return Err(e);
        }
        if kind == OpKind::Read {
            self.gate_read(call, Ok(())).await?;
            return self.inner.raw(request).await;
        }
        let body = Ok(raw_payload(&request));
        self.write(call, Ok(()), body, move || self.inner.raw(request))
            .await
    }
}
