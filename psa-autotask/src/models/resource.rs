//! Resources (technicians), roles, service desk roles and billing codes (work types).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::is_zero;

/// A resource: a technician or other Autotask user (`ResourceModel`).
///
/// Resources are read-only here except for a few fields; API users are resources too.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Resource {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `accountingReferenceID`.
    #[serde(
        rename = "accountingReferenceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub accounting_reference_id: Option<String>,
    /// Autotask field `dateFormat`.
    #[serde(
        rename = "dateFormat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_format: Option<String>,
    /// The role the resource's ticket time uses by default.
    #[serde(
        rename = "defaultServiceDeskRoleID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_service_desk_role_id: Option<i64>,
    /// Email address.
    #[serde(rename = "email", default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Autotask field `email2`.
    #[serde(rename = "email2", default, skip_serializing_if = "Option::is_none")]
    pub email2: Option<String>,
    /// Autotask field `email3`.
    #[serde(rename = "email3", default, skip_serializing_if = "Option::is_none")]
    pub email3: Option<String>,
    /// Autotask field `emailTypeCode`.
    #[serde(
        rename = "emailTypeCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_type_code: Option<String>,
    /// Autotask field `emailTypeCode2`.
    #[serde(
        rename = "emailTypeCode2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_type_code2: Option<String>,
    /// Autotask field `emailTypeCode3`.
    #[serde(
        rename = "emailTypeCode3",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_type_code3: Option<String>,
    /// First name.
    #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Autotask field `gender`.
    #[serde(rename = "gender", default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Autotask field `greeting`.
    #[serde(rename = "greeting", default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<i64>,
    /// Autotask field `hireDate`.
    #[serde(rename = "hireDate", default, skip_serializing_if = "Option::is_none")]
    pub hire_date: Option<Timestamp>,
    /// Autotask field `homePhone`.
    #[serde(rename = "homePhone", default, skip_serializing_if = "Option::is_none")]
    pub home_phone: Option<String>,
    /// Autotask field `initials`.
    #[serde(rename = "initials", default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    /// Autotask field `internalCost`.
    #[serde(
        rename = "internalCost",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_cost: Option<f64>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Last name.
    #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Autotask field `licenseType`.
    #[serde(
        rename = "licenseType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub license_type: Option<i64>,
    /// Autotask field `locationID`.
    #[serde(
        rename = "locationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub location_id: Option<i64>,
    /// Autotask field `middleName`.
    #[serde(
        rename = "middleName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub middle_name: Option<String>,
    /// Mobile phone number.
    #[serde(
        rename = "mobilePhone",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mobile_phone: Option<String>,
    /// Autotask field `numberFormat`.
    #[serde(
        rename = "numberFormat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub number_format: Option<String>,
    /// Autotask field `officeExtension`.
    #[serde(
        rename = "officeExtension",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub office_extension: Option<String>,
    /// Autotask field `officePhone`.
    #[serde(
        rename = "officePhone",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub office_phone: Option<String>,
    /// Autotask field `payrollIdentifier`.
    #[serde(
        rename = "payrollIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub payroll_identifier: Option<String>,
    /// Autotask field `payrollType`.
    #[serde(
        rename = "payrollType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub payroll_type: Option<i64>,
    /// Autotask field `resourceType`.
    #[serde(
        rename = "resourceType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_type: Option<String>,
    /// Autotask field `suffix`.
    #[serde(rename = "suffix", default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<i64>,
    /// Autotask field `surveyResourceRating`.
    #[serde(
        rename = "surveyResourceRating",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub survey_resource_rating: Option<f64>,
    /// Autotask field `timeFormat`.
    #[serde(
        rename = "timeFormat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub time_format: Option<String>,
    /// Title.
    #[serde(rename = "title", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Autotask field `travelAvailabilityPct`.
    #[serde(
        rename = "travelAvailabilityPct",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub travel_availability_pct: Option<String>,
    /// Login name.
    #[serde(rename = "userName", default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// Autotask field `userType`.
    #[serde(rename = "userType", default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A role (`RoleModel`): the billing role time is logged under.
///
/// Roles are assigned to resources per queue / department.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Role {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Autotask field `hourlyFactor`.
    #[serde(
        rename = "hourlyFactor",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hourly_factor: Option<f64>,
    /// Autotask field `hourlyRate`.
    #[serde(
        rename = "hourlyRate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hourly_rate: Option<f64>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Autotask field `isExcludedFromNewContracts`.
    #[serde(
        rename = "isExcludedFromNewContracts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_excluded_from_new_contracts: Option<bool>,
    /// Autotask field `isSystemRole`.
    #[serde(
        rename = "isSystemRole",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_system_role: Option<bool>,
    /// Name.
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Autotask field `quoteItemDefaultTaxCategoryId`.
    #[serde(
        rename = "quoteItemDefaultTaxCategoryId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub quote_item_default_tax_category_id: Option<i64>,
    /// Autotask field `roleType`.
    #[serde(rename = "roleType", default, skip_serializing_if = "Option::is_none")]
    pub role_type: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A service desk role of a resource (`ResourceServiceDeskRoleModel`).
///
/// `isDefault` marks the role a resource's ticket time uses unless told otherwise.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResourceServiceDeskRole {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Whether this is the default.
    #[serde(rename = "isDefault", default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    /// The resource (`Resources`, a technician).
    #[serde(
        rename = "resourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_id: Option<i64>,
    /// The role (`Roles`).
    #[serde(rename = "roleID", default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A billing code (`BillingCodeModel`, called allocation code in the SOAP API).
///
/// Billing codes of `billingCodeType` 1 are work types, what a time entry's `billingCodeID` takes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingCode {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `afterHoursWorkType`.
    #[serde(
        rename = "afterHoursWorkType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub after_hours_work_type: Option<i64>,
    /// Billing code type (1 = work type).
    #[serde(
        rename = "billingCodeType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_code_type: Option<i64>,
    /// Autotask field `department`.
    #[serde(
        rename = "department",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub department: Option<i64>,
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Autotask field `externalNumber`.
    #[serde(
        rename = "externalNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub external_number: Option<String>,
    /// Autotask field `generalLedgerAccount`.
    #[serde(
        rename = "generalLedgerAccount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub general_ledger_account: Option<i64>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Autotask field `isExcludedFromNewContracts`.
    #[serde(
        rename = "isExcludedFromNewContracts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_excluded_from_new_contracts: Option<bool>,
    /// Autotask field `markupRate`.
    #[serde(
        rename = "markupRate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub markup_rate: Option<f64>,
    /// Name.
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Autotask field `taxCategoryID`.
    #[serde(
        rename = "taxCategoryID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_category_id: Option<i64>,
    /// Unit cost.
    #[serde(rename = "unitCost", default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<f64>,
    /// Unit price.
    #[serde(rename = "unitPrice", default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<f64>,
    /// Autotask field `useType`.
    #[serde(rename = "useType", default, skip_serializing_if = "Option::is_none")]
    pub use_type: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
