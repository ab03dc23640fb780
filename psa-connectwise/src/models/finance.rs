//! Agreements.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomField, Extra, Info, Reference, cw_enum, opt_timestamp};

cw_enum! {
    /// An agreement's `agreementStatus`.
    AgreementStatus {
        /// Active.
        Active => "Active",
        /// Cancelled.
        Cancelled => "Cancelled",
        /// Expired.
        Expired => "Expired",
        /// Inactive.
        Inactive => "Inactive",
    }
}

/// An agreement (`/finance/agreements`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Agreement {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Agreement type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub agreement_type: Option<Reference>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// Contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Reference>,
    /// Site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// Parent agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_agreement: Option<Reference>,
    /// Start.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date: Option<DateTime<Utc>>,
    /// End.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date: Option<DateTime<Utc>>,
    /// Whether it has no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_ending_date_flag: Option<bool>,
    /// Whether cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_flag: Option<bool>,
    /// When cancelled.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_cancelled: Option<DateTime<Utc>>,
    /// SLA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Reference>,
    /// Default work role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_role: Option<Reference>,
    /// Default work type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<Reference>,
    /// Amount billed per cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_amount: Option<f64>,
    /// Billing cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<Reference>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_status: Option<AgreementStatus>,
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
