//! Schedule entries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{Extra, Info, Reference, opt_timestamp};

/// The schedule type id of service-ticket entries (the spec's own guidance:
/// `/schedule/entries?conditions=type/id=4 AND objectId={ticketId}`).
pub const SERVICE_TICKET_SCHEDULE_TYPE: i64 = 4;

/// A schedule entry (`/schedule/entries`).
///
/// For a service ticket, `type` is `{"id": 4}` and `objectId` the ticket id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScheduleEntry {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The scheduled record (a ticket id for service entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<i64>,
    /// Name / subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The member scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Reference>,
    /// Service location.
    #[serde(rename = "where", default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Reference>,
    /// Start.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_start: Option<DateTime<Utc>>,
    /// End.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_end: Option<DateTime<Utc>>,
    /// Reminder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<Reference>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    /// Schedule type (required).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub schedule_type: Option<Reference>,
    /// Span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Reference>,
    /// Whether done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_flag: Option<bool>,
    /// Whether acknowledged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_flag: Option<bool>,
    /// Whether the member owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_flag: Option<bool>,
    /// Whether it is a meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_flag: Option<bool>,
    /// Allow overlapping entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_schedule_conflicts_flag: Option<bool>,
    /// Hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}
