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
