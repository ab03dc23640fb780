//! A counting fake `Psa` standing in for the network, and one call of every
//! operation.
#![allow(dead_code, unreachable_pub)]

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, TimeZone, Utc};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::{HeaderMap, StatusCode};
use psa_core::{
    Agent, Agreement, AgreementQuery, AuditEntry, Capabilities, Company, CompanyQuery,
    Configuration, ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery,
    Error, Id, KbArticle, KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration, NewContact,
    NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note,
    NoteVisibility, Operation, PermissionGroup, Product, ProductQuery, Project, ProjectQuery, Psa,
    RawRequest, RawResponse, Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Ticket,
    TicketEvent, TicketEventKind, TicketPatch, TicketQuery, TimeEntry, TimeEntryPatch,
    TimeEntryQuery, Vendor, WebhookDelivery, WebhookSubscription,
};
use secrecy::SecretString;

/// A secret that must never appear in a plan, an audit record or a Debug.
pub const CANARY: &str = "CANARY-7f3a9c-never-log-me";

/// The id the fake answers "not found" for (a failing PSA call).
pub const MISSING: i64 = 404;

/// A fake PSA: every method that would reach the network records its
/// operation and returns a canned value. `vendor`, `capabilities` and
/// `raw_group` are classification, not I/O, and are not counted.
#[derive(Debug, Default)]
pub struct CountingPsa {
    calls: Mutex<Vec<Operation>>,
}

impl CountingPsa {
    pub fn new() -> Self {
        CountingPsa::default()
    }

    /// The operations that reached the fake, in order.
    pub fn calls(&self) -> Vec<Operation> {
        self.calls.lock().expect("lock").clone()
    }

    /// How many calls reached the fake.
    pub fn count(&self) -> usize {
        self.calls.lock().expect("lock").len()
    }

    pub fn reset(&self) {
        self.calls.lock().expect("lock").clear();
    }

    fn hit(&self, op: Operation) {
        self.calls.lock().expect("lock").push(op);
    }

    fn hit_id(&self, op: Operation, id: &Id) -> Result<()> {
        self.hit(op);
        if id.as_i64() == Some(MISSING) {
            Err(Error::new(
                psa_core::ErrorKind::NotFound,
                format!("record {id} does not exist"),
            )
            .with_vendor(Vendor::Halo))
        } else {
            Ok(())
        }
    }
}

fn one<'a, T: Send + 'a>(item: T) -> BoxStream<'a, Result<T>> {
    stream::iter(vec![Ok(item)]).boxed()
}

fn ticket(id: i64) -> Ticket {
    Ticket::new(Id::from(id), "Printer offline")
}

#[async_trait]
impl Psa for CountingPsa {
    fn vendor(&self) -> Vendor {
        Vendor::Halo
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_supported(Vendor::Halo)
    }

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        self.hit_id(Operation::GetTicket, id)?;
        Ok(Ticket::new(id.clone(), "Printer offline"))
    }
    fn list_tickets(&self, _query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        self.hit(Operation::ListTickets);
        one(ticket(1))
    }
    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        self.hit(Operation::FindTicketByNumber);
        let mut t = ticket(1);
        t.number = Some(number.trim().to_owned());
        Ok(t)
    }
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        self.hit(Operation::CreateTicket);
        Ok(Ticket::new(Id::from(100), t.summary))
    }
    async fn update_ticket(&self, id: &Id, _patch: TicketPatch) -> Result<Ticket> {
        self.hit_id(Operation::UpdateTicket, id)?;
        Ok(Ticket::new(id.clone(), "Printer offline"))
    }
    async fn merge_tickets(&self, into: &Id, _from: &[Id]) -> Result<()> {
        self.hit_id(Operation::MergeTickets, into)
    }
    async fn bundle_tickets(&self, parent: &Id, _children: &[Id]) -> Result<()> {
        self.hit_id(Operation::BundleTickets, parent)
    }
    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        self.hit_id(Operation::DeleteTicket, id)
    }
    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        self.hit(Operation::ListAuditTrail);
        one(AuditEntry::new(ticket.clone()))
    }
    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        self.hit(Operation::ListNotes);
        one(Note::new(
            Id::from(1),
            ticket.clone(),
            "hello",
            NoteVisibility::Internal,
        ))
    }
    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        self.hit_id(Operation::AddNote, ticket)?;
        Ok(Note::new(
            Id::from(2),
            ticket.clone(),
            note.body,
            note.visibility,
        ))
    }
    fn list_time_entries(&self, _query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        self.hit(Operation::ListTimeEntries);
        one(TimeEntry::new(Id::from(1)))
    }
    async fn create_time_entry(&self, _entry: NewTimeEntry) -> Result<TimeEntry> {
        self.hit(Operation::CreateTimeEntry);
        Ok(TimeEntry::new(Id::from(3)))
    }
    async fn update_time_entry(&self, id: &Id, _patch: TimeEntryPatch) -> Result<TimeEntry> {
        self.hit_id(Operation::UpdateTimeEntry, id)?;
        Ok(TimeEntry::new(id.clone()))
    }
    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        self.hit_id(Operation::DeleteTimeEntry, id)
    }
    async fn get_company(&self, id: &Id) -> Result<Company> {
        self.hit_id(Operation::GetCompany, id)?;
        Ok(Company::new(id.clone(), "Acme"))
    }
    fn search_companies(&self, _query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        self.hit(Operation::SearchCompanies);
        one(Company::new(Id::from(12), "Acme"))
    }
    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        self.hit_id(Operation::GetContact, id)?;
        Ok(Contact::new(id.clone(), "Ann"))
    }
    fn search_contacts(&self, _query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        self.hit(Operation::SearchContacts);
        one(Contact::new(Id::from(40), "Ann"))
    }
    async fn create_contact(&self, c: NewContact) -> Result<Contact> {
        self.hit(Operation::CreateContact);
        Ok(Contact::new(Id::from(41), c.first_name))
    }
    async fn update_contact(&self, id: &Id, _patch: ContactPatch) -> Result<Contact> {
        self.hit_id(Operation::UpdateContact, id)?;
        Ok(Contact::new(id.clone(), "Ann"))
    }
    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        self.hit_id(Operation::GetConfiguration, id)?;
        Ok(Configuration::new(id.clone(), "PC-1"))
    }
    fn list_configurations(
        &self,
        _query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        self.hit(Operation::ListConfigurations);
        one(Configuration::new(Id::from(7), "PC-1"))
    }
    async fn create_configuration(&self, c: NewConfiguration) -> Result<Configuration> {
        self.hit(Operation::CreateConfiguration);
        Ok(Configuration::new(Id::from(8), c.name))
    }
    async fn update_configuration(
        &self,
        id: &Id,
        _patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        self.hit_id(Operation::UpdateConfiguration, id)?;
        Ok(Configuration::new(id.clone(), "PC-1"))
    }
    fn list_schedule_entries(&self, _query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        self.hit(Operation::ListScheduleEntries);
        one(ScheduleEntry::new(Id::from(1)))
    }
    async fn create_schedule_entry(&self, _entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        self.hit(Operation::CreateScheduleEntry);
        Ok(ScheduleEntry::new(Id::from(2)))
    }
    async fn update_schedule_entry(
        &self,
        id: &Id,
        _patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        self.hit_id(Operation::UpdateScheduleEntry, id)?;
        Ok(ScheduleEntry::new(id.clone()))
    }
    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        self.hit_id(Operation::DeleteScheduleEntry, id)
    }
    fn search_products(&self, _query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        self.hit(Operation::SearchProducts);
        one(Product::new(Id::from(9), "Toner"))
    }
    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        self.hit_id(Operation::AddTicketProduct, ticket)?;
        Ok(LineItem::new(Id::from(1), ticket.clone(), item.quantity))
    }
    fn list_agreements(&self, _query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        self.hit(Operation::ListAgreements);
        one(Agreement::new(Id::from(1), "Managed services"))
    }
    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        self.hit(Operation::ListSlas);
        one(Sla::new(Id::from(1), "Gold"))
    }
    fn list_projects(&self, _query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        self.hit(Operation::ListProjects);
        one(Project::new(Id::from(1), "Migration"))
    }
    fn search_kb_articles(&self, _query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        self.hit(Operation::SearchKbArticles);
        one(KbArticle::new(Id::from(1), "VPN setup"))
    }
    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        self.hit_id(Operation::GetKbArticle, id)?;
        Ok(KbArticle::new(id.clone(), "VPN setup"))
    }
    async fn list_statuses(&self, _scope: LookupScope) -> Result<Vec<LookupItem>> {
        self.hit(Operation::ListStatuses);
        Ok(vec![LookupItem::new(Id::from(1), "New")])
    }
    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        self.hit(Operation::ListPriorities);
        Ok(vec![LookupItem::new(Id::from(1), "P1")])
    }
    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        self.hit(Operation::ListQueues);
        Ok(vec![LookupItem::new(Id::from(1), "Service desk")])
    }
    async fn list_ticket_types(&self, _scope: LookupScope) -> Result<Vec<LookupItem>> {
        self.hit(Operation::ListTicketTypes);
        Ok(vec![LookupItem::new(Id::from(1), "Incident")])
    }
    async fn list_agents(&self) -> Result<Vec<Agent>> {
        self.hit(Operation::ListAgents);
        Ok(vec![Agent::new(Id::from(5), "Bot")])
    }
    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        self.hit(Operation::ListWorkTypes);
        Ok(vec![LookupItem::new(Id::from(1), "Remote")])
    }
    async fn list_custom_fields(
        &self,
        entity: psa_core::CustomFieldEntity,
    ) -> Result<Vec<psa_core::CustomFieldDef>> {
        self.hit(Operation::ListCustomFields);
        Ok(vec![psa_core::CustomFieldDef::new(
            "Tier",
            entity,
            psa_core::CustomFieldKind::Text,
        )])
    }
    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<psa_core::Attachment>> {
        self.hit(Operation::ListAttachments);
        one(psa_core::Attachment::new(
            Id::from(5),
            ticket.clone(),
            "log.txt",
        ))
    }
    async fn download_attachment(
        &self,
        id: &Id,
        _max_bytes: u64,
    ) -> Result<psa_core::AttachmentDownload> {
        self.hit_id(Operation::DownloadAttachment, id)?;
        Ok(psa_core::AttachmentDownload::new(
            stream::iter(vec![Ok(Bytes::from_static(b"hello"))]).boxed(),
        ))
    }
    async fn upload_attachment(
        &self,
        ticket: &Id,
        file: psa_core::NewAttachment,
    ) -> Result<psa_core::Attachment> {
        self.hit_id(Operation::UploadAttachment, ticket)?;
        Ok(psa_core::Attachment::new(
            Id::from(6),
            ticket.clone(),
            file.file_name,
        ))
    }
    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        self.hit_id(Operation::DeleteAttachment, id)
    }
    async fn subscribe_webhook(&self, _hook: NewWebhook) -> Result<WebhookSubscription> {
        self.hit(Operation::SubscribeWebhook);
        Ok(WebhookSubscription::new(Id::from(1)))
    }
    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        self.hit(Operation::ListWebhooks);
        Ok(vec![WebhookSubscription::new(Id::from(1))])
    }
    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        self.hit_id(Operation::DeleteWebhook, id)
    }
    async fn parse_webhook(&self, _delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        self.hit(Operation::ParseWebhook);
        Ok(vec![TicketEvent::new(
            Vendor::Halo,
            TicketEventKind::Updated,
            Id::from(1),
        )])
    }
    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        let first = request.normalized_path().split('/').next().unwrap_or("");
        match first {
            "Tickets" => Some(PermissionGroup::Tickets),
            "Actions" => Some(PermissionGroup::TicketNotes),
            "Users" => Some(PermissionGroup::Contacts),
            "Client" => Some(PermissionGroup::Companies),
            _ => None,
        }
    }
    async fn raw(&self, _request: RawRequest) -> Result<RawResponse> {
        self.hit(Operation::Raw);
        Ok(RawResponse::new(
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from_static(b"{}"),
        ))
    }
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("a valid time")
}

pub fn webhook_with_canary() -> NewWebhook {
    // The secret is set as the signing secret and also, as some receivers
    // do, in the URL's query string.
    let url = format!("https://hooks.example.com/psa?tenant=acme&token={CANARY}");
    NewWebhook::new("ticket events", url::Url::parse(&url).expect("a URL"))
        .event(TicketEventKind::Created)
        .secret(SecretString::from(CANARY.to_owned()))
}

async fn drain<T>(s: BoxStream<'_, Result<T>>) -> Result<()> {
    s.try_collect::<Vec<T>>().await.map(drop)
}

/// Calls `op` once on `psa` with a valid input that writes only basic
/// fields (`summary`/`company`/`status` on tickets, an internal note).
/// `None` for an operation this function does not know: the matrix then
/// fails, so that no operation can be added without being exercised.
// One arm per operation: the length is the list of operations.
#[allow(clippy::too_many_lines)]
pub async fn invoke(psa: &dyn Psa, op: Operation) -> Option<Result<()>> {
    let id = Id::from(1);
    let hour = Duration::from_secs(3600);
    let later = t0() + chrono::Duration::hours(1);
    let r = match op {
        Operation::GetTicket => psa.get_ticket(&id).await.map(drop),
        Operation::ListTickets => drain(psa.list_tickets(TicketQuery::open())).await,
        Operation::FindTicketByNumber => psa.find_ticket_by_number("INC0010001").await.map(drop),
        Operation::CreateTicket => psa
            .create_ticket(NewTicket::new("Printer offline", Id::from(12)))
            .await
            .map(drop),
        Operation::UpdateTicket => psa
            .update_ticket(&id, TicketPatch::new().status(Id::from(3)))
            .await
            .map(drop),
        Operation::MergeTickets => psa.merge_tickets(&id, &[Id::from(2)]).await,
        Operation::BundleTickets => psa.bundle_tickets(&id, &[Id::from(2), Id::from(3)]).await,
        Operation::DeleteTicket => psa.delete_ticket(&id).await,
        Operation::ListNotes => drain(psa.list_notes(&id)).await,
        Operation::AddNote => psa
            .add_note(&id, NewNote::internal("Restarted the spooler"))
            .await
            .map(drop),
        Operation::ListTimeEntries => drain(psa.list_time_entries(TimeEntryQuery::ticket(1))).await,
        Operation::CreateTimeEntry => psa
            .create_time_entry(NewTimeEntry::new(1, t0(), hour / 4))
            .await
            .map(drop),
        Operation::UpdateTimeEntry => psa
            .update_time_entry(&id, TimeEntryPatch::new().note("more detail"))
            .await
            .map(drop),
        Operation::DeleteTimeEntry => psa.delete_time_entry(&id).await,
        Operation::GetCompany => psa.get_company(&id).await.map(drop),
        Operation::SearchCompanies => drain(psa.search_companies(CompanyQuery::name("Acme"))).await,
        Operation::GetContact => psa.get_contact(&id).await.map(drop),
        Operation::SearchContacts => {
            drain(psa.search_contacts(ContactQuery::email("ann@acme.example"))).await
        }
        Operation::CreateContact => psa
            .create_contact(NewContact::new(12, "Ann").email("ann@acme.example"))
            .await
            .map(drop),
        Operation::UpdateContact => psa
            .update_contact(&id, ContactPatch::new().phone("+61 2 9999 0000"))
            .await
            .map(drop),
        Operation::GetConfiguration => psa.get_configuration(&id).await.map(drop),
        Operation::ListConfigurations => {
            drain(psa.list_configurations(ConfigurationQuery::company(12))).await
        }
        Operation::CreateConfiguration => psa
            .create_configuration(NewConfiguration::new(12, "PC-1"))
            .await
            .map(drop),
        Operation::UpdateConfiguration => psa
            .update_configuration(&id, ConfigurationPatch::new().serial_number("SN-1"))
            .await
            .map(drop),
        Operation::ListScheduleEntries => {
            drain(psa.list_schedule_entries(ScheduleQuery::between(t0(), later))).await
        }
        Operation::CreateScheduleEntry => psa
            .create_schedule_entry(NewScheduleEntry::new(5, t0(), later))
            .await
            .map(drop),
        Operation::UpdateScheduleEntry => psa
            .update_schedule_entry(&id, ScheduleEntryPatch::new().subject("On-site visit"))
            .await
            .map(drop),
        Operation::DeleteScheduleEntry => psa.delete_schedule_entry(&id).await,
        Operation::SearchProducts => drain(psa.search_products(ProductQuery::text("toner"))).await,
        Operation::AddTicketProduct => psa
            .add_ticket_product(&id, NewLineItem::new(9, 1.0))
            .await
            .map(drop),
        Operation::ListAgreements => drain(psa.list_agreements(AgreementQuery::all())).await,
        Operation::ListSlas => drain(psa.list_slas()).await,
        Operation::ListProjects => drain(psa.list_projects(ProjectQuery::all())).await,
        Operation::SearchKbArticles => drain(psa.search_kb_articles(KbQuery::text("vpn"))).await,
        Operation::GetKbArticle => psa.get_kb_article(&id).await.map(drop),
        Operation::ListAuditTrail => drain(psa.list_audit_trail(&id)).await,
        Operation::ListStatuses => psa.list_statuses(LookupScope::all()).await.map(drop),
        Operation::ListPriorities => psa.list_priorities().await.map(drop),
        Operation::ListQueues => psa.list_queues().await.map(drop),
        Operation::ListTicketTypes => psa.list_ticket_types(LookupScope::all()).await.map(drop),
        Operation::ListAgents => psa.list_agents().await.map(drop),
        Operation::ListWorkTypes => psa.list_work_types().await.map(drop),
        Operation::ListCustomFields => psa
            .list_custom_fields(psa_core::CustomFieldEntity::Ticket)
            .await
            .map(drop),
        Operation::ListAttachments => drain(psa.list_attachments(&id)).await,
        Operation::DownloadAttachment => psa.download_attachment(&id, 1024).await.map(drop),
        Operation::UploadAttachment => psa
            .upload_attachment(
                &id,
                psa_core::NewAttachment::new("log.txt", "text/plain", &b"spooler restarted"[..]),
            )
            .await
            .map(drop),
        Operation::DeleteAttachment => psa.delete_attachment(&id).await,
        Operation::SubscribeWebhook => psa.subscribe_webhook(webhook_with_canary()).await.map(drop),
        Operation::ListWebhooks => psa.list_webhooks().await.map(drop),
        Operation::DeleteWebhook => psa.delete_webhook(&id).await,
        Operation::ParseWebhook => psa
            .parse_webhook(&WebhookDelivery::new(HeaderMap::new(), "{}"))
            .await
            .map(drop),
        Operation::Raw => psa.raw(RawRequest::get("Tickets/1")).await.map(drop),
        _ => return None,
    };
    Some(r)
}
