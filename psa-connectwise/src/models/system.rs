//! Members, callbacks, the site's company info and member tokens.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{Extra, Info, Reference, opt_timestamp};

/// A member (`/system/members`): the uniform agent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Member {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Login identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// License class (`F` full, `A` API member …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_class: Option<String>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Primary email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_email: Option<String>,
    /// Office email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_email: Option<String>,
    /// Office phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_phone: Option<String>,
    /// Mobile phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    /// Which email is the default (`Office`, `Mobile`, `Home`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_email: Option<String>,
    /// Security role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_role: Option<Reference>,
    /// Time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Reference>,
    /// Hire date.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub hire_date: Option<DateTime<Utc>>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A callback registration (`/system/callbacks`), also the body of a create.
///
/// `type` names the record kind (`ticket`, `company`, `contact` …), `level`
/// the scope (`owner` for everything of the type, `board`, `status` …) and
/// `objectId` the scoped record (`1` with `owner`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallbackEntry {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Description (at most 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where ConnectWise posts deliveries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The scoped record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<i64>,
    /// Record kind (`ticket` …).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub callback_type: Option<String>,
    /// Scope (`owner`, `board`, `status` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The member who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<i64>,
    /// Version of the delivered entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_version: Option<String>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Whether it is a legacy SOAP callback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_soap_callback_flag: Option<bool>,
    /// Whether changes made by this integration are not delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_self_suppressed_flag: Option<bool>,
    /// ConnectWise's global id.
    #[serde(
        rename = "connectWiseID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub connect_wise_id: Option<String>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The unauthenticated `GET https://{site}/login/companyinfo/{companyId}`:
/// where the site's API lives.
///
/// `Codebase` (`v4_6_release/`, `v2025_1/`) goes between the site and
/// `apis/3.0`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CompanyInfo {
    /// The company's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// The codebase path segment, with its trailing slash (`v4_6_release/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebase: Option<String>,
    /// The version code (`v2025.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_code: Option<String>,
    /// The build number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_number: Option<String>,
    /// The company id it answers for.
    #[serde(rename = "CompanyID", default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// Whether the site is ConnectWise's cloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_cloud: Option<bool>,
    /// The site URL, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_url: Option<String>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A document (`/system/documents`, ConnectWise's `DocumentInfo`): a file
/// attached to a record (a ticket's attachments).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Document {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Title (the description shown in the attachments list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The file's name as uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The name the site stores it under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_file_name: Option<String>,
    /// The member who uploaded it (identifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// A link rather than a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_flag: Option<bool>,
    /// An image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_flag: Option<bool>,
    /// Shown in the customer portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_flag: Option<bool>,
    /// Only the owner may change it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_flag: Option<bool>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// A URL rather than a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_flag: Option<bool>,
    /// Audit metadata.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Fields not typed above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A file to upload as a document (`POST /system/documents`, sent as
/// `multipart/form-data`: ConnectWise answers 415 to JSON).
#[derive(Clone)]
#[non_exhaustive]
pub struct DocumentUpload {
    /// The record type it is attached to (`Ticket`).
    pub record_type: String,
    /// The record's id.
    pub record_id: i64,
    /// The title (by default the file name).
    pub title: String,
    /// Hidden from the customer portal.
    pub private_flag: bool,
    /// The file name.
    pub file_name: String,
    /// The content type.
    pub content_type: String,
    /// The content.
    pub data: bytes::Bytes,
}

impl DocumentUpload {
    /// A file for a record, titled with its name and private.
    pub fn new(
        record_type: impl Into<String>,
        record_id: i64,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<bytes::Bytes>,
    ) -> Self {
        let file_name = file_name.into();
        DocumentUpload {
            record_type: record_type.into(),
            record_id,
            title: file_name.clone(),
            private_flag: true,
            file_name,
            content_type: content_type.into(),
            data: data.into(),
        }
    }

    /// Shown in the customer portal (`privateFlag: false`) or not.
    #[must_use]
    pub fn private(mut self, private: bool) -> Self {
        self.private_flag = private;
        self
    }
}

impl std::fmt::Debug for DocumentUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentUpload")
            .field("record_type", &self.record_type)
            .field("record_id", &self.record_id)
            .field("title", &self.title)
            .field("private_flag", &self.private_flag)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// A custom field's definition (`/system/userDefinedFields`): what the
/// `customFields[]` entries with its `id` hold.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserDefinedField {
    /// Id (the `id` of the records' `customFields[]` entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The screen (pod) it is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_id: Option<i64>,
    /// Caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Position on the screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<i64>,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_text: Option<String>,
    /// The kind of value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_type_identifier: Option<super::CustomFieldType>,
    /// Decimals of a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_decimals: Option<i32>,
    /// How it is entered (free entry, a list, options, a date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_type_identifier: Option<super::EntryMethod>,
    /// Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_flag: Option<bool>,
    /// Shown on the screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_on_screen_flag: Option<bool>,
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_flag: Option<bool>,
    /// The values of a list or options field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<UserDefinedFieldOption>>,
    /// Audit metadata.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Fields not typed above.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One value of a list or options custom field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserDefinedFieldOption {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option_value: Option<String>,
    /// The default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_flag: Option<bool>,
    /// Inactive (no longer offered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    /// Fields not typed above.
    #[serde(flatten)]
    pub extra: Extra,
}
