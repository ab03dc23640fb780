//! Contracts (`/V1.0/Contracts`) and SLA results (`/V1.0/ServiceLevelAgreementResults`).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::{UserDefinedField, is_zero};

/// A contract (`ContractModel`).
///
/// `status` and `contractType` are picklists.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Contract {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `billingPreference`.
    #[serde(
        rename = "billingPreference",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_preference: Option<i64>,
    /// Autotask field `billToCompanyContactID`.
    #[serde(
        rename = "billToCompanyContactID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_company_contact_id: Option<i64>,
    /// Autotask field `billToCompanyID`.
    #[serde(
        rename = "billToCompanyID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_company_id: Option<i64>,
    /// The company (`Companies`) the record belongs to.
    #[serde(rename = "companyID", default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<i64>,
    /// The contact (`Contacts`).
    #[serde(rename = "contactID", default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<i64>,
    /// Autotask field `contactName`.
    #[serde(
        rename = "contactName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_name: Option<String>,
    /// Autotask field `contractCategory`.
    #[serde(
        rename = "contractCategory",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_category: Option<i64>,
    /// Autotask field `contractExclusionSetID`.
    #[serde(
        rename = "contractExclusionSetID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_exclusion_set_id: Option<i64>,
    /// The contract name.
    #[serde(
        rename = "contractName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_name: Option<String>,
    /// Autotask field `contractNumber`.
    #[serde(
        rename = "contractNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_number: Option<String>,
    /// Autotask field `contractPeriodType`.
    #[serde(
        rename = "contractPeriodType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_period_type: Option<i64>,
    /// Autotask field `contractType`.
    #[serde(
        rename = "contractType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_type: Option<i64>,
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// End date (UTC).
    #[serde(rename = "endDate", default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Timestamp>,
    /// Autotask field `estimatedCost`.
    #[serde(
        rename = "estimatedCost",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_cost: Option<f64>,
    /// Autotask field `estimatedHours`.
    #[serde(
        rename = "estimatedHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_hours: Option<f64>,
    /// Autotask field `estimatedRevenue`.
    #[serde(
        rename = "estimatedRevenue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_revenue: Option<f64>,
    /// Autotask field `exclusionContractID`.
    #[serde(
        rename = "exclusionContractID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub exclusion_contract_id: Option<i64>,
    /// Autotask field `internalCurrencyOverageBillingRate`.
    #[serde(
        rename = "internalCurrencyOverageBillingRate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_currency_overage_billing_rate: Option<f64>,
    /// Autotask field `internalCurrencySetupFee`.
    #[serde(
        rename = "internalCurrencySetupFee",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_currency_setup_fee: Option<f64>,
    /// Autotask field `isCompliant`.
    #[serde(
        rename = "isCompliant",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_compliant: Option<bool>,
    /// Autotask field `isDefaultContract`.
    #[serde(
        rename = "isDefaultContract",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_default_contract: Option<bool>,
    /// Autotask field `lastModifiedDateTime`.
    #[serde(
        rename = "lastModifiedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_date_time: Option<Timestamp>,
    /// Autotask field `opportunityID`.
    #[serde(
        rename = "opportunityID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub opportunity_id: Option<i64>,
    /// Autotask field `organizationalLevelAssociationID`.
    #[serde(
        rename = "organizationalLevelAssociationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub organizational_level_association_id: Option<i64>,
    /// Autotask field `overageBillingRate`.
    #[serde(
        rename = "overageBillingRate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub overage_billing_rate: Option<f64>,
    /// Autotask field `purchaseOrderNumber`.
    #[serde(
        rename = "purchaseOrderNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_order_number: Option<String>,
    /// Autotask field `renewedContractID`.
    #[serde(
        rename = "renewedContractID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub renewed_contract_id: Option<i64>,
    /// The service level agreement (a picklist value).
    #[serde(
        rename = "serviceLevelAgreementID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_level_agreement_id: Option<i64>,
    /// Autotask field `setupFee`.
    #[serde(rename = "setupFee", default, skip_serializing_if = "Option::is_none")]
    pub setup_fee: Option<f64>,
    /// Autotask field `setupFeeBillingCodeID`.
    #[serde(
        rename = "setupFeeBillingCodeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub setup_fee_billing_code_id: Option<i64>,
    /// Start date (UTC).
    #[serde(rename = "startDate", default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Timestamp>,
    /// Status (a picklist value; read the labels from `entityInformation/fields`).
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Autotask field `timeReportingRequiresStartAndStopTimes`.
    #[serde(
        rename = "timeReportingRequiresStartAndStopTimes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub time_reporting_requires_start_and_stop_times: Option<i64>,
    /// User-defined fields (`[{name, value}]`).
    #[serde(
        rename = "userDefinedFields",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_fields: Option<Vec<UserDefinedField>>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// How a ticket fared against its service level agreement (`ServiceLevelAgreementResultsModel`).
///
/// Read-only; one row per ticket with an SLA.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SlaResult {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `firstResponseElapsedHours`.
    #[serde(
        rename = "firstResponseElapsedHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_response_elapsed_hours: Option<f64>,
    /// Autotask field `firstResponseInitiatingResourceID`.
    #[serde(
        rename = "firstResponseInitiatingResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_response_initiating_resource_id: Option<i64>,
    /// Autotask field `firstResponseResourceID`.
    #[serde(
        rename = "firstResponseResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_response_resource_id: Option<i64>,
    /// Autotask field `isFirstResponseMet`.
    #[serde(
        rename = "isFirstResponseMet",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_first_response_met: Option<bool>,
    /// Autotask field `isResolutionMet`.
    #[serde(
        rename = "isResolutionMet",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_resolution_met: Option<bool>,
    /// Autotask field `isResolutionPlanMet`.
    #[serde(
        rename = "isResolutionPlanMet",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_resolution_plan_met: Option<bool>,
    /// Autotask field `resolutionElapsedHours`.
    #[serde(
        rename = "resolutionElapsedHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_elapsed_hours: Option<f64>,
    /// Autotask field `resolutionPlanElapsedHours`.
    #[serde(
        rename = "resolutionPlanElapsedHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_plan_elapsed_hours: Option<f64>,
    /// Autotask field `resolutionPlanResourceID`.
    #[serde(
        rename = "resolutionPlanResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_plan_resource_id: Option<i64>,
    /// Autotask field `resolutionResourceID`.
    #[serde(
        rename = "resolutionResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_resource_id: Option<i64>,
    /// Autotask field `serviceLevelAgreementName`.
    #[serde(
        rename = "serviceLevelAgreementName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_level_agreement_name: Option<String>,
    /// The ticket (`Tickets`).
    #[serde(rename = "ticketID", default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
