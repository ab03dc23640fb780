//! Time entries and work types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{BillableOption, CustomField, Extra, Info, Reference, cw_enum, opt_timestamp};

cw_enum! {
    /// What a time entry is charged to (`chargeToType`).
    ChargeToType {
        /// A company.
        Company => "Company",
        /// A service ticket.
        ServiceTicket => "ServiceTicket",
        /// A project ticket.
        ProjectTicket => "ProjectTicket",
        /// A charge code.
        ChargeCode => "ChargeCode",
        /// A sales activity.
        Activity => "Activity",
    }
}

cw_enum! {
    /// A time entry's approval `status`.
    TimeEntryStatus {
        /// Open.
        Open => "Open",
        /// Rejected.
        Rejected => "Rejected",
        /// Pending approval.
        PendingApproval => "PendingApproval",
        /// Errors corrected.
        ErrorsCorrected => "ErrorsCorrected",
        /// Pending project approval.
        PendingProjectApproval => "PendingProjectApproval",
        /// Approved by tier one.
        ApprovedByTierOne => "ApprovedByTierOne",
        /// Rejected by the second tier.
        RejectBySecondTier => "RejectBySecondTier",
        /// Approved by tier two.
        ApprovedByTierTwo => "ApprovedByTierTwo",
        /// Ready to bill.
        ReadyToBill => "ReadyToBill",
        /// Billed.
        Billed => "Billed",
        /// Written off.
        WrittenOff => "WrittenOff",
        /// Billed through an agreement.
        BilledAgreement => "BilledAgreement",
    }
}

/// A time entry (`/time/entries`), also the body of a create.
///
/// Times are UTC (`2026-01-05T09:00:00Z`); ConnectWise shows them in the
/// member's time zone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeEntry {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// The record charged (a ticket id for `ServiceTicket`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_to_id: Option<i64>,
    /// What is charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_to_type: Option<ChargeToType>,
    /// The member who worked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Reference>,
    /// Work type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<Reference>,
    /// Work role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_role: Option<Reference>,
    /// Agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Reference>,
    /// Start (required on create).
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub time_start: Option<DateTime<Utc>>,
    /// End.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub time_end: Option<DateTime<Utc>>,
    /// Hours deducted (breaks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_deduct: Option<f64>,
    /// Hours worked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_hours: Option<f64>,
    /// Billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billable_option: Option<BillableOption>,
    /// Notes (the customer may see them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Internal notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
    /// Also add the notes to the ticket's discussion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_to_detail_description_flag: Option<bool>,
    /// Also add the notes to the ticket's internal analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_to_internal_analysis_flag: Option<bool>,
    /// Also add the notes to the ticket's resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_to_resolution_flag: Option<bool>,
    /// Email the resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_resource_flag: Option<bool>,
    /// Email the contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_contact_flag: Option<bool>,
    /// Email the CC list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_cc_flag: Option<bool>,
    /// Hours billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_billed: Option<f64>,
    /// Who entered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    /// When it was entered.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_entered: Option<DateTime<Utc>>,
    /// Approval status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TimeEntryStatus>,
    /// The ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<Reference>,
    /// The project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Reference>,
    /// The time sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_sheet: Option<Reference>,
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

/// A work type (`/time/workTypes`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WorkType {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Default billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_time: Option<BillableOption>,
    /// Rate type (`AdjAmount`, `Custom`, `Multiplier`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_type: Option<String>,
    /// Rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Whether it is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall_default_flag: Option<bool>,
    /// Counts toward utilisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization_flag: Option<bool>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}
