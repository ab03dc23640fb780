//! What the uniform operations do on Halo: [`capabilities`], and every
//! caveat and unsupported reason, the same text `capabilities()` gives and
//! the operations' errors carry (a test keeps them in step, another keeps
//! the README's table in step with `capabilities()`).

use psa_core::{Capabilities, Operation, Support, Vendor};

use crate::client::Settings;

/// Caveat of `merge_tickets`.
pub(crate) const MERGE_NOTE: &str = "Halo has no merge endpoint: each merged ticket is posted with merged_into_id and domerge=true (POST /Tickets), the merge fields of Halo's ticket model; Halo closes it and records the merge on the target; each merged ticket is read back and a merge that did not take is an error";
/// Caveat of `list_time_entries`.
pub(crate) const LIST_TIME_NOTE: &str = "by ticket: the ticket's actions that carry time; without a ticket: the agents' timesheets (/TimesheetEvent), which need a date range and hold ticket time only";
/// Caveat of `create_time_entry`.
pub(crate) const CREATE_TIME_NOTE: &str = "recorded as an action (timetaken hours, UTC start and end); the agent is sent as who_agentid (the act_as agent's, else the entry's, else the client's agent_id); Halo attributes writes to the API application's agent unless it allows acting for others";
/// Caveat of `act_as`.
pub(crate) const ACT_AS_NOTE: &str = "Halo has no per-request impersonation: an application acts as its configured agent. Notes, time entries and resolutions made through act_as carry the agent in the action's who_agentid and actionby_agent_id (who_type 1), fields of Halo's Actions schema; whether an application's agent may set them for others is UNVERIFIED on real tenants, so each action is read back and a write whose attribution did not take fails with an error. Other ticket field changes are recorded by Halo under the application's agent; the owner stays as the patch sets it";
/// Caveat of `list_custom_fields`.
pub(crate) const CUSTOM_FIELDS_NOTE: &str = "from Halo's field definitions (GET /FieldInfo?includevalues=true): the custom fields whose usage is the entity's (1 tickets, 2 clients, 4 users, 5 assets) and their type codes (0 text, 1 memo, 2 single and 3 multiple selection, 4 date, 5 time, 6 checkbox, 10 rich text); those codes follow Halo's UI and are UNVERIFIED against a tenant";
/// Caveat of `upload_attachment`.
pub(crate) const UPLOAD_NOTE: &str = "POST /Attachment of one JSON record with the file base64-encoded in data_base64 (Halo's Attachment request schema; the multipart /Attachment/image endpoint is for inline images); at most 20 MiB, since the body grows by a third; an internal file is not shown to end users (showforusers false)";
/// Caveat of `delete_time_entry`.
pub(crate) const DELETE_TIME_NOTE: &str = "deletes the action that carries the time, note included";
/// Caveat of configuration writes, and the error of a serial number given.
pub(crate) const SERIAL_NUMBER_REASON: &str = "halo keeps serial numbers in asset-type fields, not on the asset record; set it through custom_fields by that field's name";
/// Caveat of `add_ticket_product`.
pub(crate) const ADD_PRODUCT_NOTE: &str = "issues the item through an action's new_items_issued (Halo's item-issuing action type), the issued line read back (an error when it did not take); price and billing follow the item and the contract, `billable` cannot be set";
/// Caveat of `list_statuses`.
pub(crate) const STATUS_SCOPE_NOTE: &str = "statuses are scoped by ticket type; Halo has no per-queue (team) statuses, so a queue scope is ignored and every status is returned";
/// Caveat of `list_ticket_types`.
pub(crate) const TICKET_TYPE_SCOPE_NOTE: &str =
    "ticket types are not scoped in Halo: a scope is ignored and every ticket type is returned";
/// Caveat of `subscribe_webhook`.
pub(crate) const SUBSCRIBE_NOTE: &str = "idempotent: the outbound webhook already registered for the URL is reused (credentials refreshed, missing events added), else one is registered with Basic authentication and one notification per event (POST /Webhook, POST /Notification); the webhook is read back and events that did not take are an error; created, updated, status_changed, closed and deleted map to Halo event numbers, other events must be given as Other(\"<eventno>\")";
/// Caveat of `parse_webhook`.
pub(crate) const PARSE_NOTE: &str = "Halo does not sign deliveries: the Basic (or header) credentials configured on the webhook are checked in constant time; Halo's delivery envelope is undocumented, ticket and action objects (single or batched) are parsed";
/// Why `list_work_types` is unsupported without a look-up id.
pub(crate) const WORK_TYPES_UNCONFIGURED: &str = "halo keeps charge types (work types) in a tenant-specific look-up table; set ClientBuilder::work_type_lookup_id (GET /Lookup?lookupid=11 lists the tables)";

/// What a client with `settings` supports: everything, some partly (the
/// caveats above), and work types only once their look-up table is set.
pub(crate) fn capabilities(settings: &Settings) -> Capabilities {
    let p = |s: &'static str| Support::Partial(s.into());
    let caps = Capabilities::all_supported(Vendor::Halo)
        .with(Operation::ListCustomFields, p(CUSTOM_FIELDS_NOTE))
        .with(Operation::UploadAttachment, p(UPLOAD_NOTE))
        .with(Operation::MergeTickets, p(MERGE_NOTE))
        .with(Operation::ListTimeEntries, p(LIST_TIME_NOTE))
        .with(Operation::CreateTimeEntry, p(CREATE_TIME_NOTE))
        .with(Operation::DeleteTimeEntry, p(DELETE_TIME_NOTE))
        .with(Operation::CreateConfiguration, p(SERIAL_NUMBER_REASON))
        .with(Operation::UpdateConfiguration, p(SERIAL_NUMBER_REASON))
        .with(Operation::AddTicketProduct, p(ADD_PRODUCT_NOTE))
        .with(Operation::ListStatuses, p(STATUS_SCOPE_NOTE))
        .with(Operation::ListTicketTypes, p(TICKET_TYPE_SCOPE_NOTE))
        .with(Operation::SubscribeWebhook, p(SUBSCRIBE_NOTE))
        .with(Operation::ParseWebhook, p(PARSE_NOTE))
        .with_act_as(p(ACT_AS_NOTE));
    if settings.work_type_lookup_id.is_some() {
        caps
    } else {
        caps.with(
            Operation::ListWorkTypes,
            Support::Unsupported(WORK_TYPES_UNCONFIGURED.into()),
        )
    }
}
