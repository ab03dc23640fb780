//! `capabilities()` and the calls agree.
//!
//! psa-core promises that an operation a vendor lists as unsupported
//! returns [`ErrorKind::Unsupported`] when called, with the same reason.
//! [`operations_agree`] calls every operation of a vendor with well-formed
//! inputs and checks, for the unsupported ones, the kind, the vendor, the
//! reason and that no request was sent, and for the others that they are
//! not `Unsupported`. [`call`] makes any operation's call.

use futures::StreamExt;
use futures::stream::BoxStream;
use psa_core::reexports::url::Url;
use psa_core::{
    AgreementQuery, CompanyQuery, ConfigurationPatch, ConfigurationQuery, ContactPatch,
    ContactQuery, ErrorKind, KbQuery, LookupScope, NewConfiguration, NewContact, NewLineItem,
    NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Operation, ProductQuery,
    ProjectQuery, Psa, Result, ScheduleEntryPatch, ScheduleQuery, TicketPatch, TicketQuery,
    TimeEntryPatch, TimeEntryQuery, WebhookDelivery,
};

use crate::guarded::{Targets, targets};
use crate::scenarios::{WORK, work_start};
use crate::sim::Sim;

/// The first item of a listing (or its error).
async fn first<T>(mut s: BoxStream<'_, Result<T>>) -> Result<()> {
    s.next().await.transpose().map(drop)
}

/// Makes `op`'s call with well-formed inputs built from `t` (ids of the
/// vendor's shape; the ticket id stands in for records the targets do not
/// name). `None` for an operation this suite does not know.
#[allow(clippy::too_many_lines)] // one arm per operation
pub async fn call(psa: &dyn Psa, op: Operation, t: &Targets) -> Option<Result<()>> {
    use Operation as O;
    let id = &t.ticket;
    let other = std::slice::from_ref(&t.other);
    let start = work_start();
    let end = start + chrono::Duration::minutes(30);
    let company = t.company.clone();
    Some(match op {
        O::GetTicket => psa.get_ticket(id).await.map(drop),
        O::ListTickets => first(psa.list_tickets(TicketQuery::open().limit(1))).await,
        O::CreateTicket => psa
            .create_ticket(NewTicket::new("Capabilities probe", company))
            .await
            .map(drop),
        O::UpdateTicket => psa
            .update_ticket(id, TicketPatch::new().summary("Capabilities probe"))
            .await
            .map(drop),
        O::MergeTickets => psa.merge_tickets(id, other).await,
        O::BundleTickets => psa.bundle_tickets(id, other).await,
        O::DeleteTicket => psa.delete_ticket(&t.other).await,
        O::ListAuditTrail => first(psa.list_audit_trail(id)).await,
        O::ListNotes => first(psa.list_notes(id)).await,
        O::AddNote => psa
            .add_note(id, NewNote::internal("Capabilities probe"))
            .await
            .map(drop),
        O::ListTimeEntries => {
            first(psa.list_time_entries(TimeEntryQuery::ticket(id.clone()))).await
        }
        O::CreateTimeEntry => psa
            .create_time_entry(NewTimeEntry::new(id.clone(), start, WORK))
            .await
            .map(drop),
        O::UpdateTimeEntry => psa
            .update_time_entry(id, TimeEntryPatch::new().note("Capabilities probe"))
            .await
            .map(drop),
        O::DeleteTimeEntry => psa.delete_time_entry(id).await,
        O::GetCompany => psa.get_company(&t.company).await.map(drop),
        O::SearchCompanies => first(psa.search_companies(CompanyQuery::all().limit(1))).await,
        O::GetContact => psa.get_contact(&t.contact).await.map(drop),
        O::SearchContacts => first(psa.search_contacts(ContactQuery::company(company))).await,
        O::CreateContact => psa
            .create_contact(NewContact::new(company, "Probe"))
            .await
            .map(drop),
        O::UpdateContact => psa
            .update_contact(&t.contact, ContactPatch::new().first_name("Probe"))
            .await
            .map(drop),
        O::GetConfiguration => psa.get_configuration(id).await.map(drop),
        O::ListConfigurations => {
            first(psa.list_configurations(ConfigurationQuery::company(company))).await
        }
        O::CreateConfiguration => psa
            .create_configuration(NewConfiguration::new(company, "Capabilities probe"))
            .await
            .map(drop),
        O::UpdateConfiguration => psa
            .update_configuration(id, ConfigurationPatch::new().name("Capabilities probe"))
            .await
            .map(drop),
        O::ListScheduleEntries => {
            first(psa.list_schedule_entries(ScheduleQuery::between(start, end))).await
        }
        O::CreateScheduleEntry => psa
            .create_schedule_entry(
                NewScheduleEntry::new(t.contact.clone(), start, end).ticket(id.clone()),
            )
            .await
            .map(drop),
        O::UpdateScheduleEntry => psa
            .update_schedule_entry(id, ScheduleEntryPatch::new().subject("Capabilities probe"))
            .await
            .map(drop),
        O::DeleteScheduleEntry => psa.delete_schedule_entry(id).await,
        O::SearchProducts => first(psa.search_products(ProductQuery::all().limit(1))).await,
        O::AddTicketProduct => psa
            .add_ticket_product(id, NewLineItem::new(t.other.clone(), 1.0))
            .await
            .map(drop),
        O::ListAgreements => first(psa.list_agreements(AgreementQuery::all())).await,
        O::ListSlas => first(psa.list_slas()).await,
        O::ListProjects => first(psa.list_projects(ProjectQuery::all())).await,
        O::SearchKbArticles => first(psa.search_kb_articles(KbQuery::text("printer"))).await,
        O::GetKbArticle => psa.get_kb_article(id).await.map(drop),
        O::ListStatuses => psa.list_statuses(LookupScope::all()).await.map(drop),
        O::ListPriorities => psa.list_priorities().await.map(drop),
        O::ListQueues => psa.list_queues().await.map(drop),
        O::ListTicketTypes => psa.list_ticket_types(LookupScope::all()).await.map(drop),
        O::ListAgents => psa.list_agents().await.map(drop),
        O::ListWorkTypes => psa.list_work_types().await.map(drop),
        O::ListCustomFields => psa
            .list_custom_fields(psa_core::CustomFieldEntity::Ticket)
            .await
            .map(drop),
        O::FindTicketByNumber => match psa.find_ticket_by_number(&t.ticket.to_string()).await {
            // The probe's number may be another vendor's shape: only
            // "unsupported" matters here.
            Err(e) if !e.is_unsupported() => Ok(()),
            other => other.map(drop),
        },
        O::ListAttachments => first(psa.list_attachments(id)).await,
        O::DownloadAttachment => psa.download_attachment(id, 1024).await.map(drop),
        O::UploadAttachment => psa
            .upload_attachment(
                id,
                psa_core::NewAttachment::new("probe.txt", "text/plain", &b"capabilities probe"[..]),
            )
            .await
            .map(drop),
        O::DeleteAttachment => psa.delete_attachment(id).await,
        O::SubscribeWebhook => {
            let url = Url::parse("https://hooks.example.com/psa").ok()?;
            psa.subscribe_webhook(NewWebhook::new("Capabilities probe", url))
                .await
                .map(drop)
        }
        O::ListWebhooks => psa.list_webhooks().await.map(drop),
        O::DeleteWebhook => psa.delete_webhook(id).await,
        O::ParseWebhook => psa
            .parse_webhook(&WebhookDelivery::new(http::HeaderMap::new(), "{}"))
            .await
            .map(drop),
        O::Raw => psa.raw(t.raw.clone()).await.map(drop),
        _ => return None,
    })
}

/// What [`operations_agree`] checked.
#[derive(Debug, Default)]
pub struct Agreement {
    /// Unsupported operations: each failed as `Unsupported` with the reason.
    pub unsupported: Vec<Operation>,
    /// Supported (fully or partly) operations: none failed as `Unsupported`.
    pub supported: Vec<Operation>,
}

/// Calls every operation of `vendor` with well-formed inputs, on a fresh
/// simulator, and checks it against `capabilities()`:
///
/// - listed as unsupported: `Unsupported`, naming the vendor, with exactly
///   the reason `capabilities()` gives, and **no request** to the simulator;
/// - listed as supported (fully or with a caveat): not `Unsupported` (the
///   call may still fail for its input — a ticket id given where a time
///   entry's is expected — which the scenarios and the vendor crates'
///   own tests cover).
///
/// # Panics
/// When a call and the capabilities disagree.
pub async fn operations_agree(vendor: psa_core::Vendor) -> Agreement {
    let sim = Sim::start(vendor).await;
    let t = targets(&sim).await;
    let psa = sim.psa();
    let caps = psa.capabilities();
    assert_eq!(caps.vendor(), vendor, "capabilities() names its vendor");
    let mut seen = Agreement::default();
    for op in Operation::ALL.iter().copied() {
        let support = caps.support(op);
        let before = sim.request_count();
        let Some(result) = call(psa.as_ref(), op, &t).await else {
            continue;
        };
        let what = format!("{vendor}: {op} (capabilities: {support:?})");
        if support.is_supported() {
            if let Err(e) = &result {
                assert_ne!(e.kind(), ErrorKind::Unsupported, "{what}: {e}");
            }
            seen.supported.push(op);
        } else {
            let reason = caps.reason(op).unwrap_or_default();
            let err = result.expect_err(&what);
            assert_eq!(err.kind(), ErrorKind::Unsupported, "{what}: {err}");
            assert_eq!(
                err.vendor(),
                Some(vendor),
                "{what}: the error names its vendor"
            );
            assert_eq!(
                err.message(),
                reason,
                "{what}: the error gives another reason"
            );
            assert_eq!(sim.request_count(), before, "{what}: sent a request");
            seen.unsupported.push(op);
        }
    }
    seen
}
