//! Projects (`/V1.0/Projects`).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::{UserDefinedField, is_zero};

/// A project (`ProjectModel`).
///
/// `status` is a picklist; the system status Complete closes a project.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Project {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `actualBilledHours`.
    #[serde(
        rename = "actualBilledHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub actual_billed_hours: Option<f64>,
    /// Autotask field `actualHours`.
    #[serde(
        rename = "actualHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub actual_hours: Option<f64>,
    /// Autotask field `changeOrdersBudget`.
    #[serde(
        rename = "changeOrdersBudget",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_orders_budget: Option<f64>,
    /// Autotask field `changeOrdersRevenue`.
    #[serde(
        rename = "changeOrdersRevenue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_orders_revenue: Option<f64>,
    /// The company (`Companies`) the record belongs to.
    #[serde(rename = "companyID", default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<i64>,
    /// Autotask field `companyOwnerResourceID`.
    #[serde(
        rename = "companyOwnerResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_owner_resource_id: Option<i64>,
    /// Autotask field `completedDateTime`.
    #[serde(
        rename = "completedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_date_time: Option<Timestamp>,
    /// Autotask field `completedPercentage`.
    #[serde(
        rename = "completedPercentage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_percentage: Option<i64>,
    /// The contract (`Contracts`).
    #[serde(
        rename = "contractID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_id: Option<i64>,
    /// When it was created (UTC).
    #[serde(
        rename = "createDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_date_time: Option<Timestamp>,
    /// The resource that created it.
    #[serde(
        rename = "creatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub creator_resource_id: Option<i64>,
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
    /// Autotask field `duration`.
    #[serde(rename = "duration", default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// End (UTC).
    #[serde(
        rename = "endDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date_time: Option<Timestamp>,
    /// Autotask field `estimatedSalesCost`.
    #[serde(
        rename = "estimatedSalesCost",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_sales_cost: Option<f64>,
    /// Autotask field `estimatedTime`.
    #[serde(
        rename = "estimatedTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_time: Option<f64>,
    /// Autotask field `extProjectNumber`.
    #[serde(
        rename = "extProjectNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ext_project_number: Option<String>,
    /// Autotask field `extProjectType`.
    #[serde(
        rename = "extProjectType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ext_project_type: Option<i64>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// Autotask field `laborEstimatedCosts`.
    #[serde(
        rename = "laborEstimatedCosts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub labor_estimated_costs: Option<f64>,
    /// Autotask field `laborEstimatedMarginPercentage`.
    #[serde(
        rename = "laborEstimatedMarginPercentage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub labor_estimated_margin_percentage: Option<f64>,
    /// Autotask field `laborEstimatedRevenue`.
    #[serde(
        rename = "laborEstimatedRevenue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub labor_estimated_revenue: Option<f64>,
    /// Autotask field `lastActivityDateTime`.
    #[serde(
        rename = "lastActivityDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_date_time: Option<Timestamp>,
    /// Autotask field `lastActivityPersonType`.
    #[serde(
        rename = "lastActivityPersonType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_person_type: Option<i64>,
    /// Autotask field `lastActivityResourceID`.
    #[serde(
        rename = "lastActivityResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_resource_id: Option<i64>,
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
    /// Autotask field `originalEstimatedRevenue`.
    #[serde(
        rename = "originalEstimatedRevenue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub original_estimated_revenue: Option<f64>,
    /// Autotask field `projectCostEstimatedMarginPercentage`.
    #[serde(
        rename = "projectCostEstimatedMarginPercentage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_cost_estimated_margin_percentage: Option<f64>,
    /// Autotask field `projectCostsBudget`.
    #[serde(
        rename = "projectCostsBudget",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_costs_budget: Option<f64>,
    /// Autotask field `projectCostsRevenue`.
    #[serde(
        rename = "projectCostsRevenue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_costs_revenue: Option<f64>,
    /// The project lead.
    #[serde(
        rename = "projectLeadResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_lead_resource_id: Option<i64>,
    /// The project name.
    #[serde(
        rename = "projectName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_name: Option<String>,
    /// Autotask field `projectNumber`.
    #[serde(
        rename = "projectNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_number: Option<String>,
    /// Autotask field `projectType`.
    #[serde(
        rename = "projectType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_type: Option<i64>,
    /// Autotask field `purchaseOrderNumber`.
    #[serde(
        rename = "purchaseOrderNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_order_number: Option<String>,
    /// Autotask field `sgda`.
    #[serde(rename = "sgda", default, skip_serializing_if = "Option::is_none")]
    pub sgda: Option<f64>,
    /// Start (UTC).
    #[serde(
        rename = "startDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date_time: Option<Timestamp>,
    /// Status (a picklist value; read the labels from `entityInformation/fields`).
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Autotask field `statusDateTime`.
    #[serde(
        rename = "statusDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_date_time: Option<Timestamp>,
    /// Autotask field `statusDetail`.
    #[serde(
        rename = "statusDetail",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_detail: Option<String>,
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
