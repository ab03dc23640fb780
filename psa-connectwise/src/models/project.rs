//! Projects.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomField, Extra, Info, Reference, opt_timestamp};

/// A project (`/project/projects`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Project {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Project board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// Contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Reference>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    /// Project type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub project_type: Option<Reference>,
    /// Project manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<Reference>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Planned start.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_start: Option<DateTime<Utc>>,
    /// Planned end.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_end: Option<DateTime<Utc>>,
    /// Actual start.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub actual_start: Option<DateTime<Utc>>,
    /// Actual end.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub actual_end: Option<DateTime<Utc>>,
    /// Scheduled start.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub scheduled_start: Option<DateTime<Utc>>,
    /// Scheduled end.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub scheduled_end: Option<DateTime<Utc>>,
    /// Percent complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<f64>,
    /// Budgeted hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_hours: Option<f64>,
    /// Hours logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_hours: Option<f64>,
    /// Billing method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_method: Option<String>,
    /// Whether closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_flag: Option<bool>,
    /// Agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Reference>,
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
