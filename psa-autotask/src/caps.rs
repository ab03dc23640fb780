//! What the Autotask client supports through the uniform `Psa` trait: the
//! support table and every caveat and unsupported reason.

use psa_core::{Capabilities, Error, Operation, Support, Vendor};

/// Why tickets cannot be merged.
pub(crate) const NO_MERGE: &str = "Autotask's REST API has no ticket merge endpoint (merging and absorbing tickets is UI-only; no path of the 2,077-path swagger merges)";
/// Why tickets cannot be deleted.
pub(crate) const NO_TICKET_DELETE: &str =
    "tickets cannot be deleted through Autotask's REST API (there is no DELETE /Tickets/{id})";
/// Why `notify` is refused.
pub(crate) const NO_NOTIFY: &str = "Autotask's REST API has no per-note email switch: customer notifications follow the instance's notification rules; send the note without `notify`";

/// The caveat impersonation adds to every write.
pub(crate) const IMPERSONATION_NOTE: &str = "writes to tickets, ticket notes, attachments, time entries, contacts, configuration items and service calls carry ImpersonationResourceId: Autotask attributes them to that resource (creatorResourceID, with the API user in impersonatorCreatorResourceID) only for objects whose impersonation (Add / Edit) the API user's security level grants in its Web Services API section, and only when the resource's own security level allows impersonation (API-only levels never do); otherwise Autotask refuses the write. Writes to entities Autotask does not attribute (ticket charges, service-call links, webhooks) go out as the API user";

/// How `act_as` attributes writes.
pub(crate) const ACT_AS_NOTE: &str = "a view whose writes carry ImpersonationResourceId with the agent's resource id (the id list_agents returns); Autotask records the resource as creator (creatorResourceID) and the API user in impersonatorCreatorResourceID / impersonatorUpdaterResourceID; it refuses resources whose security level does not allow impersonation (API-only resources never), and writes to entities it does not attribute (ticket charges, service-call links, webhooks) stay the API user's";

fn partial(note: &'static str) -> Support {
    Support::Partial(note.into())
}

/// The support of every operation; `impersonating` adds the impersonation
/// caveat to the writes.
pub(crate) fn capabilities(impersonating: bool) -> Capabilities {
    use Operation as O;
    let mut caps = Capabilities::all_supported(Vendor::Autotask)
        .with_act_as(Support::Partial(ACT_AS_NOTE.into()))
        .with(O::ListCustomFields, partial("user-defined fields of Tickets, Companies, Contacts and ConfigurationItems (entityInformation/userDefinedFields); picklist options are the values' ids as text, the form Autotask stores UDF values in"))
        .with(O::ListAttachments, partial("ticket-level attachments (TicketAttachments, by parentID); files attached to notes (TicketNoteAttachments) are not listed"))
        .with(O::DownloadAttachment, partial("Autotask returns the file inside JSON, base64-encoded: the announced fileSize is checked first (a file over the limit is refused before its content is read), then the record is read (bounded by the limit's encoded size), decoded and delivered in 64 KiB chunks — memory holds the file once, not one chunk; links (URL / folder attachments) are refused"))
        .with(O::UploadAttachment, partial("sent as a FILE_ATTACHMENT in base64 JSON; files are limited to 6,000,000 bytes (Autotask: 6–7 MB), and the client refuses an upload that would pass Autotask's 10,000,000 bytes per 5 minutes (after which Autotask blocks attachment creation for 5 minutes), counting its own uploads; internal files publish as Internal Only (2), others as All Autotask Users (1)"))
        .with(O::DeleteAttachment, partial("reads the attachment's ticket first, then deletes under /Tickets/{id}/Attachments/{attachmentId} (two requests)"))
        .with(O::CreateTicket, partial("status, priority and queue default to the picklists' defaults (isDefaultValue) when not given; an owner is assigned with their default service desk role; subtype is the issue type"))
        .with(O::MergeTickets, Support::Unsupported(NO_MERGE.into()))
        .with(O::BundleTickets, partial("links each child as an incident of the parent problem ticket (`problemTicketId`, one PATCH per child, not atomic); Autotask requires the parent to be a Problem ticket"))
        .with(O::DeleteTicket, Support::Unsupported(NO_TICKET_DELETE.into()))
        .with(O::AddNote, partial("internal notes publish as Internal Only (publish 2), customer notes as All Autotask Users (publish 1); on reads only publish 1 is customer-visible, 2 (Internal Only), 3 (Internal & Co-managed) and any other value are internal; `notify` is refused (notification rules decide); a resolution note sets the ticket's `resolution` field and its id is `resolution:<ticket>`"))
        .with(O::CreateTimeEntry, partial("the agent defaults to the client's agent resource and the role to the resource's default service desk role; times are sent in UTC (Autotask stores UTC)"))
        .with(O::SearchContacts, partial("phone numbers match on their last 4 digits in Autotask, then locally as the same line, formatting, trunk prefix and country code aside (Autotask stores phone numbers as typed; ClientBuilder::phone_country reads numbers stored without a country code)"))
        .with(O::CreateContact, partial("Autotask requires a last name"))
        .with(O::CreateConfiguration, partial("Autotask requires a product: the client's configuration product is used (ClientBuilder::configuration_product)"))
        .with(O::ListScheduleEntries, partial("schedule entries are service calls; the ticket is the first linked ServiceCallTicket, the agent the queried one (or the first assigned resource)"))
        .with(O::CreateScheduleEntry, partial("creates a service call for the ticket's company (a ticket is required), links the ticket and the agent (three requests, not atomic); subject and note share the call's description"))
        .with(O::UpdateScheduleEntry, partial("subject and note share the service call's description; changing the agent replaces the resources linked to the call's tickets"))
        .with(O::AddTicketProduct, partial("adds a ticket charge; charge type and status take the picklists' defaults, the name and price come from the product"))
        .with(O::ListSlas, partial("SLA names and ids from the Tickets serviceLevelAgreementID picklist; Autotask's REST API exposes no SLA targets (per-ticket results: Client::sla_results)"))
        .with(O::SearchKbArticles, partial("matches title and keywords; article bodies are read by get_kb_article"))
        .with(O::UpdateTicket, partial("`resolution` writes the ticket's free-text `resolution` field (Autotask has no resolution code: a code is refused); clearing the owner clears assignedResourceID and its role (Autotask then needs a queue), clearing the subtype clears issueType and subIssueType; the contact must belong to the ticket's company; descriptions hold at most 8,000 characters"))
        .with(O::ListStatuses, partial("the status picklist is scoped only where the instance gives it a parent field (picklistParentValueField queueID or ticketType); Autotask's standard statuses have none, so a scope then returns every status"))
        .with(O::ListTicketTypes, partial("ticket types are scoped by queue only where the instance gives the ticketType picklist the parent field queueID; otherwise a scope returns every type"))
        .with(O::SubscribeWebhook, partial("ensures one TicketWebhook per URL: an existing webhook with the same webhookUrl is updated to the events, secret and name asked (its missing field rows and the API user's exclusion added) instead of a second one being created; otherwise registers a TicketWebhook (create / update / delete callouts) subscribed to status, priority, queue, owner and title changes, with the API user excluded; Autotask needs a secret key (up to 64 characters) and sends deactivation notices to the same URL"));
    if impersonating {
        let writes: Vec<Operation> = Operation::ALL
            .iter()
            .copied()
            .filter(|op| op.descriptor().kind.is_mutation())
            .collect();
        for op in writes {
            let support = match caps.support(op).clone() {
                Support::Full => Support::Partial(IMPERSONATION_NOTE.into()),
                Support::Partial(note) => {
                    Support::Partial(format!("{note}; {IMPERSONATION_NOTE}").into())
                }
                unsupported @ Support::Unsupported(_) => unsupported,
            };
            caps = caps.with(op, support);
        }
    }
    caps
}

/// The `Unsupported` error of an operation, with the reason `capabilities()` gives.
pub(crate) fn unsupported(reason: &'static str) -> Error {
    Error::unsupported(Vendor::Autotask, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impersonation_marks_every_write() {
        let plain = capabilities(false);
        let imp = capabilities(true);
        assert_eq!(plain.support(Operation::UpdateContact), &Support::Full);
        assert!(
            imp.reason(Operation::UpdateTicket)
                .unwrap()
                .contains("ImpersonationResourceId")
        );
        assert!(
            imp.reason(Operation::CreateTicket)
                .unwrap()
                .contains("picklists")
        );
        assert_eq!(imp.support(Operation::GetTicket), &Support::Full);
        assert!(!imp.supports(Operation::MergeTickets));
        assert_eq!(imp.reason(Operation::MergeTickets), Some(NO_MERGE));
    }
}
