//! Time entries (`/V1.0/TimeEntries`).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::is_zero;

/// A time entry (`TimeEntryModel`).
///
/// Ticket time needs `ticketID`, `resourceID`, `roleID`, `startDateTime`/`endDateTime` and `hoursWorked`; `billingCodeID` is the work type. Times are UTC.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimeEntry {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `billingApprovalDateTime`.
    #[serde(
        rename = "billingApprovalDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_approval_date_time: Option<Timestamp>,
    /// Autotask field `billingApprovalLevelMostRecent`.
    #[serde(
        rename = "billingApprovalLevelMostRecent",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_approval_level_most_recent: Option<i64>,
    /// Autotask field `billingApprovalResourceID`.
    #[serde(
        rename = "billingApprovalResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_approval_resource_id: Option<i64>,
    /// The billing code: on tickets and time entries, the work type.
    #[serde(
        rename = "billingCodeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_code_id: Option<i64>,
    /// The contract (`Contracts`).
    #[serde(
        rename = "contractID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_id: Option<i64>,
    /// Autotask field `contractServiceBundleID`.
    #[serde(
        rename = "contractServiceBundleID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_service_bundle_id: Option<i64>,
    /// Autotask field `contractServiceID`.
    #[serde(
        rename = "contractServiceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_service_id: Option<i64>,
    /// When it was created (UTC).
    #[serde(
        rename = "createDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_date_time: Option<Timestamp>,
    /// Autotask field `creatorUserID`.
    #[serde(
        rename = "creatorUserID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub creator_user_id: Option<i64>,
    /// The date worked (UTC).
    #[serde(
        rename = "dateWorked",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_worked: Option<Timestamp>,
    /// End (UTC).
    #[serde(
        rename = "endDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date_time: Option<Timestamp>,
    /// Autotask field `hoursToBill`.
    #[serde(
        rename = "hoursToBill",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hours_to_bill: Option<f64>,
    /// Hours worked.
    #[serde(
        rename = "hoursWorked",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hours_worked: Option<f64>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// The API user that last updated the record while impersonating the updater.
    #[serde(
        rename = "impersonatorUpdaterResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_updater_resource_id: Option<i64>,
    /// Autotask field `internalBillingCodeID`.
    #[serde(
        rename = "internalBillingCodeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_billing_code_id: Option<i64>,
    /// Notes visible to Autotask users only.
    #[serde(
        rename = "internalNotes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_notes: Option<String>,
    /// Autotask field `isInternalNotesVisibleToComanaged`.
    #[serde(
        rename = "isInternalNotesVisibleToComanaged",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_internal_notes_visible_to_comanaged: Option<bool>,
    /// Whether the time is non-billable.
    #[serde(
        rename = "isNonBillable",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_non_billable: Option<bool>,
    /// Autotask field `lastModifiedDateTime`.
    #[serde(
        rename = "lastModifiedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_date_time: Option<Timestamp>,
    /// Autotask field `lastModifiedUserID`.
    #[serde(
        rename = "lastModifiedUserID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_user_id: Option<i64>,
    /// Autotask field `offsetHours`.
    #[serde(
        rename = "offsetHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub offset_hours: Option<f64>,
    /// The resource (`Resources`, a technician).
    #[serde(
        rename = "resourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_id: Option<i64>,
    /// The role (`Roles`).
    #[serde(rename = "roleID", default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<i64>,
    /// Autotask field `showOnInvoice`.
    #[serde(
        rename = "showOnInvoice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub show_on_invoice: Option<bool>,
    /// Start (UTC).
    #[serde(
        rename = "startDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date_time: Option<Timestamp>,
    /// The note customers can see on the time entry.
    #[serde(
        rename = "summaryNotes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub summary_notes: Option<String>,
    /// Autotask field `taskID`.
    #[serde(rename = "taskID", default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<i64>,
    /// The ticket (`Tickets`).
    #[serde(rename = "ticketID", default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// Autotask field `timeEntryType`.
    #[serde(
        rename = "timeEntryType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub time_entry_type: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
