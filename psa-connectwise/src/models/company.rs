//! Companies and contacts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomField, Extra, Info, Reference, cw_enum, opt_timestamp};

cw_enum! {
    /// A contact communication item's `communicationType`.
    CommunicationType {
        /// An email address.
        Email => "Email",
        /// A fax number.
        Fax => "Fax",
        /// A phone number.
        Phone => "Phone",
    }
}

/// A company (`/company/companies`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Company {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Short identifier (`Acme`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Status (`Active`, `Inactive` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    /// Types (client, prospect …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<Reference>>,
    /// Address line 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Reference>,
    /// Main phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Fax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<String>,
    /// Website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Territory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territory: Option<Reference>,
    /// Market.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<Reference>,
    /// Account number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    /// Default contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_contact: Option<Reference>,
    /// When it became a customer.
    #[serde(
        default,
        with = "opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_acquired: Option<DateTime<Utc>>,
    /// Time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone_setup: Option<Reference>,
    /// Whether it is a lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_flag: Option<bool>,
    /// Whether it is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_flag: Option<bool>,
    /// Territory manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territory_manager: Option<Reference>,
    /// Main site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// Integrator tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrator_tags: Option<Vec<String>>,
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

/// One way to reach a contact (`communicationItems[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommunicationItem {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Type (`Email`, `Direct`, `Mobile` … by name).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<Reference>,
    /// The address or number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Phone extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Whether it is the default of its kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_flag: Option<bool>,
    /// Email domain (`@acme.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Email, fax or phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communication_type: Option<CommunicationType>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A contact (`/company/contacts`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contact {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// Site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Reference>,
    /// Relationship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<Reference>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Default phone type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_phone_type: Option<String>,
    /// Default phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_phone_nbr: Option<String>,
    /// Default phone extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_phone_extension: Option<String>,
    /// Default billing contact of the company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_billing_flag: Option<bool>,
    /// Default contact of the company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_flag: Option<bool>,
    /// Portal login disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_portal_login_flag: Option<bool>,
    /// Unsubscribed from marketing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe_flag: Option<bool>,
    /// Emails and phone numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communication_items: Option<Vec<CommunicationItem>>,
    /// Contact types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<Reference>>,
    /// Integrator tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrator_tags: Option<Vec<String>>,
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
