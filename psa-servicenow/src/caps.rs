//! What the ServiceNow client supports, with reasons: one table that both
//! `capabilities()` and the `Unsupported` errors read, so that they agree.

use psa_core::{Capabilities, Error, Operation, Support, Vendor};

/// Merge: not an operation ServiceNow has.
pub(crate) const MERGE: &str = "ServiceNow has no merge operation for task records; close the duplicate (e.g. incident close code `Duplicate`) and link it with parent_incident (bundle_tickets)";
/// Bundle: incidents only.
pub(crate) const BUNDLE: &str = "incidents only: sets each child's parent_incident to the parent (ServiceNow's baseline then resolves the children with their parent); other tables have no such link";
/// Customer notes are emailed by notification rules.
pub(crate) const ADD_NOTE: &str = "customer notes are additional comments, emailed by the instance's notification rules whatever `notify` says; a resolution note writes close_notes and, for incidents and catalog records, moves the record to its resolved state";
/// Time entries carry a duration, not a start time or a billable flag.
pub(crate) const TIME: &str = "task_time_worked keeps a duration and a work date, not a start time or a billable flag: listed entries have no start/end, date ranges filter on when the time was logged, `billable` is refused";
/// Schedule entries.
pub(crate) const SCHEDULE: &str = "ServiceNow has no baseline table for an agent's appointments on a ticket (cmn_schedule_span defines schedule calendars such as business hours; Field Service Management's wm_task needs its plugin): use raw() for those";
/// Products: catalog items.
pub(crate) const PRODUCTS: &str =
    "products are Service Catalog items (sc_cat_item): name, description, price; no SKU or cost";
/// Line items.
pub(crate) const LINE_ITEM: &str = "ServiceNow has no product lines on a ticket: ordering a catalog item creates a request (sc_request / sc_req_item) through the Service Catalog, not a line on an existing ticket";
/// Projects need a plugin.
pub(crate) const PROJECTS: &str = "projects are pm_project records (Project Portfolio Management plugin); an instance without the plugin answers that the table does not exist";
/// Work types.
pub(crate) const WORK_TYPES: &str = "work types are the choices of task_time_worked.category (Time Card Management); an instance without them returns an empty list";
/// Webhook registration.
pub(crate) const WEBHOOK_REGISTRATION: &str = "ServiceNow has no webhook-registration API: an administrator installs the business rule that posts events (see psa_servicenow::webhook::BUSINESS_RULE_SCRIPT and the crate README)";
/// Audit trail.
pub(crate) const AUDIT: &str = "from sys_audit, which records changes of audited tables (the task tables are audited by default)";
/// Configurations.
pub(crate) const CONFIGURATIONS: &str = "configuration items (cmdb_ci); the type is the CI class, fixed at creation; active means install_status is not 7 (Retired)";
/// Contacts.
pub(crate) const CONTACTS: &str = "contacts are sys_user records; a phone search asks for the numbers containing the caller's last four digits (whole, or split once by a space, dash or dot), then keeps those that are the same number (formatting, trunk and international prefixes aside; national numbers read in ClientBuilder::phone_country)";

/// Acting as an agent: per-user credentials.
pub(crate) const ACT_AS: &str = "writes authenticate as the agent with the agent's own login (OAuth password grant, or Basic), configured per agent with ClientBuilder::agent_login or agent_login_provider; ServiceNow records that user in sys_updated_by and as the journal author; agents without a login are refused";

/// The unsupported error for `op`, with the same reason as [`capabilities`].
pub(crate) fn unsupported(op: Operation) -> Error {
    let reason = match capabilities(false).support(op) {
        Support::Unsupported(r) => r.to_string(),
        _ => format!("{op} is not supported by the ServiceNow client"),
    };
    Error::unsupported(Vendor::ServiceNow, reason)
}

/// The client's capabilities; `act_as` is partial when agent logins are
/// configured (`agent_logins`), unsupported otherwise.
pub(crate) fn capabilities(agent_logins: bool) -> Capabilities {
    let partial = |s: &'static str| Support::Partial(s.into());
    let no = |s: &'static str| Support::Unsupported(s.into());
    let act_as = if agent_logins {
        partial(ACT_AS)
    } else {
        no(crate::client::ACT_AS_NO_LOGIN)
    };
    Capabilities::all_supported(Vendor::ServiceNow)
        .with_act_as(act_as)
        .with(Operation::MergeTickets, no(MERGE))
        .with(Operation::BundleTickets, partial(BUNDLE))
        .with(Operation::ListAuditTrail, partial(AUDIT))
        .with(Operation::AddNote, partial(ADD_NOTE))
        .with(Operation::ListTimeEntries, partial(TIME))
        .with(Operation::CreateTimeEntry, partial(TIME))
        .with(Operation::UpdateTimeEntry, partial(TIME))
        .with(Operation::SearchContacts, partial(CONTACTS))
        .with(Operation::CreateConfiguration, partial(CONFIGURATIONS))
        .with(Operation::UpdateConfiguration, partial(CONFIGURATIONS))
        .with(Operation::ListScheduleEntries, no(SCHEDULE))
        .with(Operation::CreateScheduleEntry, no(SCHEDULE))
        .with(Operation::UpdateScheduleEntry, no(SCHEDULE))
        .with(Operation::DeleteScheduleEntry, no(SCHEDULE))
        .with(Operation::SearchProducts, partial(PRODUCTS))
        .with(Operation::AddTicketProduct, no(LINE_ITEM))
        .with(Operation::ListProjects, partial(PROJECTS))
        .with(Operation::ListWorkTypes, partial(WORK_TYPES))
        .with(Operation::SubscribeWebhook, no(WEBHOOK_REGISTRATION))
        .with(Operation::ListWebhooks, no(WEBHOOK_REGISTRATION))
        .with(Operation::DeleteWebhook, no(WEBHOOK_REGISTRATION))
}
