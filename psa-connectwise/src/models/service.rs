//! Service set-up: boards with their statuses, types, subtypes and items;
//! priorities; SLAs; knowledge-base articles.

use serde::{Deserialize, Serialize};

use super::common::{Extra, Info, Reference, cw_enum};

cw_enum! {
    /// A priority's `level`.
    PriorityLevel {
        /// Critical.
        Critical => "Critical",
        /// High.
        High => "High",
        /// Medium.
        Medium => "Medium",
        /// Low.
        Low => "Low",
    }
}

/// A service board (`/service/boards`): the uniform queue.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Board {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Reference>,
    /// Department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Reference>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Whether it is a project board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_flag: Option<bool>,
    /// Dispatcher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_member: Option<Reference>,
    /// Service manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_manager_member: Option<Reference>,
    /// Default work role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_role: Option<Reference>,
    /// Default work type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<Reference>,
    /// Default billing of time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_time: Option<String>,
    /// Status tickets close into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_close_status: Option<Reference>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A status of a board (`/service/boards/{id}/statuses`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BoardStatus {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// Sort order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    /// Shown on the board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_on_board: Option<bool>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive: Option<bool>,
    /// Whether tickets in it are closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_status: Option<bool>,
    /// Whether time entries are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_entry_not_allowed: Option<bool>,
    /// Whether it is the board's default status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_flag: Option<bool>,
    /// Escalation status (`NotResponded`, `Responded`, `Resolved` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_status: Option<String>,
    /// Description on the customer portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_portal_description: Option<String>,
    /// Shown on the customer portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_portal_flag: Option<bool>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A ticket type of a board (`/service/boards/{id}/types`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BoardType {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Category (`Reactive`, `Proactive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Whether it is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_flag: Option<bool>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Whether it is a change request type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_for_change_flag: Option<bool>,
    /// The board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A subtype of a board (`/service/boards/{id}/subtypes`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BoardSubType {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Types it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_association_ids: Option<Vec<i64>>,
    /// The board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An item of a board (`/service/boards/{id}/items`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BoardItem {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// The board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A ticket priority (`/service/priorities`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Priority {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Sort order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    /// Whether it is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_flag: Option<bool>,
    /// Level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<PriorityLevel>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A service level agreement (`/service/SLAs`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Sla {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Calendar it is based on (`MyCalendar`, `Custom`, `AllHours` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<String>,
    /// Custom calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_calendar: Option<Reference>,
    /// Whether it is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_flag: Option<bool>,
    /// Order of application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_order: Option<i64>,
    /// Hours to respond.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond_hours: Option<f64>,
    /// Hours to plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_within: Option<f64>,
    /// Hours to resolve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_hours: Option<f64>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A knowledge-base article (`/service/knowledgeBaseArticles`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KnowledgeBaseArticle {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// The resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<i64>,
    /// Business unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_unit_id: Option<i64>,
    /// Board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    /// Subcategory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_category_id: Option<i64>,
    /// When written (text, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    /// Who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}
