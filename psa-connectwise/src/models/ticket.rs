//! Service tickets, their notes and their audit trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{BillableOption, CustomField, Extra, Info, Reference, cw_enum, opt_timestamp};

cw_enum! {
    /// A ticket's `recordType`.
    RecordType {
        /// A service-board ticket.
        ServiceTicket => "ServiceTicket",
        /// A project ticket.
        ProjectTicket => "ProjectTicket",
        /// A project issue.
        ProjectIssue => "ProjectIssue",
    }
}

cw_enum! {
    /// A ticket's `severity` and `impact`.
    Level {
        /// Low.
        Low => "Low",
        /// Medium.
        Medium => "Medium",
        /// High.
        High => "High",
    }
}

/// The ticket fields the uniform mapping reads, decoded from a ticket's JSON
/// by reference: the other ~100 fields are not copied, since the record
/// itself becomes `psa_core::Ticket::raw`. (Decoding a whole [`Ticket`] and
/// re-encoding it as `raw` cost a fifth of a loopback `get_ticket` —
/// psa-benches `call_overhead`.)
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct TicketHead {
    pub(crate) id: Option<i64>,
    pub(crate) summary: Option<String>,
    pub(crate) board: Option<RefHead>,
    pub(crate) status: Option<RefHead>,
    pub(crate) company: Option<RefHead>,
    pub(crate) contact: Option<RefHead>,
    #[serde(rename = "type")]
    pub(crate) ticket_type: Option<RefHead>,
    pub(crate) sub_type: Option<RefHead>,
    pub(crate) owner: Option<RefHead>,
    pub(crate) priority: Option<RefHead>,
    #[serde(with = "opt_timestamp")]
    pub(crate) required_date: Option<DateTime<Utc>>,
    pub(crate) closed_flag: Option<bool>,
    pub(crate) closed_date: Option<String>,
    #[serde(rename = "resolutionGoalUTC", with = "opt_timestamp")]
    pub(crate) resolution_goal_utc: Option<DateTime<Utc>>,
    #[serde(rename = "respondByGoalUTC", with = "opt_timestamp")]
    pub(crate) respond_by_goal_utc: Option<DateTime<Utc>>,
    pub(crate) date_responded: Option<String>,
    pub(crate) date_resolved: Option<String>,
    pub(crate) is_in_sla: Option<bool>,
    pub(crate) sla: Option<RefHead>,
    pub(crate) parent_ticket_id: Option<i64>,
    pub(crate) merged_parent_ticket: Option<RefHead>,
    #[serde(rename = "_info")]
    pub(crate) info: Option<InfoHead>,
    pub(crate) custom_fields: Option<Vec<CustomField>>,
}

/// The part of a reference (`{id, identifier, name, _info}`) the mapping
/// reads; its `_info` links are left in the record.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RefHead {
    pub(crate) id: Option<i64>,
    pub(crate) identifier: Option<String>,
    pub(crate) name: Option<String>,
}

/// The audit dates of a record's `_info`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct InfoHead {
    pub(crate) date_entered: Option<String>,
    pub(crate) last_updated: Option<String>,
}

/// A service ticket (`/service/tickets`), also the body of a create.
///
/// The most used of ConnectWise's ~120 ticket fields are typed; the rest
/// are kept in [`extra`](Self::extra).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Ticket {
    /// Id (the ticket number people quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Summary (at most 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Service ticket, project ticket or project issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<RecordType>,
    /// The service board (the queue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// Status (a status of the board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    /// Company (required on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// Company site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// Site name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// Contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Reference>,
    /// Contact name as entered on the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact phone number on the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone_number: Option<String>,
    /// Contact email on the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email_address: Option<String>,
    /// Type (of the board).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ticket_type: Option<Reference>,
    /// Subtype (of the board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<Reference>,
    /// Item (of the board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Reference>,
    /// Team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Reference>,
    /// Owner (the assigned member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Reference>,
    /// Priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Reference>,
    /// Source (phone, email, portal …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Reference>,
    /// Service location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_location: Option<Reference>,
    /// Agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Reference>,
    /// SLA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Reference>,
    /// SLA status text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_status: Option<String>,
    /// Severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Level>,
    /// Impact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Level>,
    /// Due date.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub required_date: Option<DateTime<Utc>>,
    /// Budgeted hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_hours: Option<f64>,
    /// Hours logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_hours: Option<f64>,
    /// External reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_x_ref: Option<String>,
    /// Purchase order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// First discussion note (create only; not returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_description: Option<String>,
    /// First internal note (create only; not returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_internal_analysis: Option<String>,
    /// First resolution note (create only; not returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_resolution: Option<String>,
    /// Whether ConnectWise sends the board's notification emails for this write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_notifications: Option<bool>,
    /// Whether this write skips callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_callback: Option<bool>,
    /// Whether the customer updated it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_updated_flag: Option<bool>,
    /// Email the contact on changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_email_contact_flag: Option<bool>,
    /// Email the resources on changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_email_resource_flag: Option<bool>,
    /// Email the CC list on changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_email_cc_flag: Option<bool>,
    /// CC list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_email_cc: Option<String>,
    /// Whether it is closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_flag: Option<bool>,
    /// When it was closed (text, as ConnectWise sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_date: Option<String>,
    /// Who closed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    /// When it was responded to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_responded: Option<String>,
    /// When it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_resolved: Option<String>,
    /// SLA response target.
    #[serde(
        rename = "respondByGoalUTC",
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub respond_by_goal_utc: Option<DateTime<Utc>>,
    /// SLA resolution target.
    #[serde(
        rename = "resolutionGoalUTC",
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_goal_utc: Option<DateTime<Utc>>,
    /// Whether it is within its SLA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_in_sla: Option<bool>,
    /// Assigned resources, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<String>,
    /// The parent ticket of a bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_ticket_id: Option<i64>,
    /// Whether it has bundled child tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_child_ticket: Option<bool>,
    /// Whether tickets were merged into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_merged_child_ticket_flag: Option<bool>,
    /// The ticket it was merged into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_parent_ticket: Option<Reference>,
    /// Billing of time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_time: Option<BillableOption>,
    /// Billing of expenses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_expenses: Option<BillableOption>,
    /// Billing of products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_products: Option<BillableOption>,
    /// Integrator tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrator_tags: Option<Vec<String>>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomField>>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A note of a service ticket (`/service/tickets/{id}/notes`).
///
/// Exactly one of the three flags says where the note goes:
/// `detailDescriptionFlag` (discussion, the customer sees it),
/// `internalAnalysisFlag` (internal), `resolutionFlag` (resolution).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceNote {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Discussion: visible to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_description_flag: Option<bool>,
    /// Internal analysis: technicians only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_analysis_flag: Option<bool>,
    /// Resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_flag: Option<bool>,
    /// Marks the note as the issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_flag: Option<bool>,
    /// The member who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Reference>,
    /// The contact who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Reference>,
    /// Sets the ticket's customer-updated flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_updated_flag: Option<bool>,
    /// Whether ConnectWise emails the note per the board's rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_notifications: Option<bool>,
    /// When it was written (text, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    /// Who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Server-derived flag; do not rely on it for visibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_flag: Option<bool>,
    /// Server-derived flag; do not rely on it for visibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_flag: Option<bool>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of `/system/audittrail?type=Ticket&id=…`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuditTrailEntry {
    /// What changed, in ConnectWise's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// When (text, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_date: Option<String>,
    /// Who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    /// Kind of record (`Ticket`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_type: Option<String>,
    /// Sub-kind (`Status`, `Notes` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_sub_type: Option<String>,
    /// Where the change came from (`API`, `PSA` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_source: Option<String>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}
