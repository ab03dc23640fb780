//! Ticket attachments (`/V1.0/TicketAttachments`, created and deleted under
//! `/V1.0/Tickets/{id}/Attachments`).

use serde::{Deserialize, Serialize};

use super::Timestamp;
use super::common::is_zero;

/// The `attachmentType` of an uploaded file.
pub const FILE_ATTACHMENT: &str = "FILE_ATTACHMENT";

/// A file attached to a ticket (`TicketAttachmentModel`).
///
/// `data` is the file's content in base64: Autotask returns it only when one
/// attachment is read by id (`GET /V1.0/TicketAttachments/{id}`), and takes
/// it on create. `fileSize` is the size in bytes.
#[derive(Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketAttachment {
    /// The record id (zero on an attachment not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// When it was attached.
    #[serde(
        rename = "attachDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attach_date: Option<Timestamp>,
    /// The contact who attached it.
    #[serde(
        rename = "attachedByContactID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attached_by_contact_id: Option<i64>,
    /// The resource who attached it.
    #[serde(
        rename = "attachedByResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attached_by_resource_id: Option<i64>,
    /// `FILE_ATTACHMENT`, `URL`, `FOLDER_LINK` (a link) …
    #[serde(
        rename = "attachmentType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub attachment_type: Option<String>,
    /// The MIME type.
    #[serde(
        rename = "contentType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_type: Option<String>,
    /// The content, base64 (only on a read by id, and on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// The size in bytes.
    #[serde(rename = "fileSize", default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<f64>,
    /// The file name (or the URL of a link).
    #[serde(rename = "fullPath", default, skip_serializing_if = "Option::is_none")]
    pub full_path: Option<String>,
    /// The API user, when a resource was impersonated.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// The ticket.
    #[serde(rename = "parentID", default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    /// Who sees it (`publish` picklist: 1 All Autotask Users, 2 Internal Only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<i64>,
    /// The ticket.
    #[serde(rename = "ticketID", default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// The title shown in Autotask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Fields not modelled here, kept as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl std::fmt::Debug for TicketAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TicketAttachment")
            .field("id", &self.id)
            .field("parent_id", &self.parent_id)
            .field("title", &self.title)
            .field("file_size", &self.file_size)
            .field(
                "data",
                &self
                    .data
                    .as_ref()
                    .map(|d| format!("<{} base64 chars>", d.len())),
            )
            .finish_non_exhaustive()
    }
}
