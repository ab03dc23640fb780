//! Ticket notes: created under `/V1.0/Tickets/{id}/Notes`, queried at `/V1.0/TicketNotes/query`.

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::is_zero;

/// A note on a ticket (`TicketNoteModel`).
///
/// `publish` is a picklist: "All Autotask Users" or an internal-only option; `noteType` is a picklist too. Read both from `/TicketNotes/entityInformation/fields`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketNote {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// When it was created (UTC).
    #[serde(
        rename = "createDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_date_time: Option<Timestamp>,
    /// Autotask field `createdByContactID`.
    #[serde(
        rename = "createdByContactID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_by_contact_id: Option<i64>,
    /// The resource that created it.
    #[serde(
        rename = "creatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub creator_resource_id: Option<i64>,
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
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
    /// When it last changed (UTC).
    #[serde(
        rename = "lastActivityDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_date: Option<Timestamp>,
    /// Note type (a picklist value).
    #[serde(rename = "noteType", default, skip_serializing_if = "Option::is_none")]
    pub note_type: Option<i64>,
    /// Who can see it (a picklist value: All Autotask Users or an internal option).
    #[serde(rename = "publish", default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<i64>,
    /// The ticket (`Tickets`).
    #[serde(rename = "ticketID", default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// Title.
    #[serde(rename = "title", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
