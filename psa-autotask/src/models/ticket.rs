//! Tickets (`/V1.0/Tickets`), their history (`/V1.0/TicketHistory`) and ticket categories (`/V1.0/TicketCategories`).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::{UserDefinedField, is_zero};

/// An Autotask ticket (`TicketModel`).
///
/// Created with `POST /Tickets`, changed with `PATCH /Tickets` (id in the body), read with `GET /Tickets/{id}` and `POST /Tickets/query`; tickets cannot be deleted through the REST API.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ticket {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `apiVendorID`.
    #[serde(
        rename = "apiVendorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub api_vendor_id: Option<i64>,
    /// The primary resource assigned (set together with `assignedResourceRoleID`).
    #[serde(
        rename = "assignedResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub assigned_resource_id: Option<i64>,
    /// The role the assigned resource works the ticket under.
    #[serde(
        rename = "assignedResourceRoleID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub assigned_resource_role_id: Option<i64>,
    /// The billing code: on tickets and time entries, the work type.
    #[serde(
        rename = "billingCodeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_code_id: Option<i64>,
    /// Autotask field `changeApprovalBoard`.
    #[serde(
        rename = "changeApprovalBoard",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_approval_board: Option<i64>,
    /// Autotask field `changeApprovalStatus`.
    #[serde(
        rename = "changeApprovalStatus",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_approval_status: Option<i64>,
    /// Autotask field `changeApprovalType`.
    #[serde(
        rename = "changeApprovalType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_approval_type: Option<i64>,
    /// Autotask field `changeInfoField1`.
    #[serde(
        rename = "changeInfoField1",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_info_field1: Option<String>,
    /// Autotask field `changeInfoField2`.
    #[serde(
        rename = "changeInfoField2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_info_field2: Option<String>,
    /// Autotask field `changeInfoField3`.
    #[serde(
        rename = "changeInfoField3",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_info_field3: Option<String>,
    /// Autotask field `changeInfoField4`.
    #[serde(
        rename = "changeInfoField4",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_info_field4: Option<String>,
    /// Autotask field `changeInfoField5`.
    #[serde(
        rename = "changeInfoField5",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub change_info_field5: Option<String>,
    /// The company (`Companies`) the record belongs to.
    #[serde(rename = "companyID", default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<i64>,
    /// Autotask field `companyLocationID`.
    #[serde(
        rename = "companyLocationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_location_id: Option<i64>,
    /// Autotask field `completedByResourceID`.
    #[serde(
        rename = "completedByResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_by_resource_id: Option<i64>,
    /// When the ticket was completed (UTC).
    #[serde(
        rename = "completedDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_date: Option<Timestamp>,
    /// The configuration item (`ConfigurationItems`).
    #[serde(
        rename = "configurationItemID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub configuration_item_id: Option<i64>,
    /// The contact (`Contacts`).
    #[serde(rename = "contactID", default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<i64>,
    /// The contract (`Contracts`).
    #[serde(
        rename = "contractID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_id: Option<i64>,
    /// Autotask field `contractServiceBundleID`.
    #[serde(
        rename = "contractServiceBundleID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_service_bundle_id: Option<i64>,
    /// Autotask field `contractServiceID`.
    #[serde(
        rename = "contractServiceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_service_id: Option<i64>,
    /// When it was created (UTC).
    #[serde(
        rename = "createDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_date: Option<Timestamp>,
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
    /// Autotask field `creatorType`.
    #[serde(
        rename = "creatorType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub creator_type: Option<i64>,
    /// Autotask field `currentServiceThermometerRating`.
    #[serde(
        rename = "currentServiceThermometerRating",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_service_thermometer_rating: Option<i64>,
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// When it is due (UTC).
    #[serde(
        rename = "dueDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub due_date_time: Option<Timestamp>,
    /// Autotask field `estimatedHours`.
    #[serde(
        rename = "estimatedHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_hours: Option<f64>,
    /// Autotask field `externalID`.
    #[serde(
        rename = "externalID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<String>,
    /// Autotask field `firstResponseAssignedResourceID`.
    #[serde(
        rename = "firstResponseAssignedResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_response_assigned_resource_id: Option<i64>,
    /// Autotask field `firstResponseDateTime`.
    #[serde(
        rename = "firstResponseDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_response_date_time: Option<Timestamp>,
    /// Autotask field `firstResponseDueDateTime`.
    #[serde(
        rename = "firstResponseDueDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_response_due_date_time: Option<Timestamp>,
    /// Autotask field `firstResponseInitiatingResourceID`.
    #[serde(
        rename = "firstResponseInitiatingResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first_response_initiating_resource_id: Option<i64>,
    /// Autotask field `hoursToBeScheduled`.
    #[serde(
        rename = "hoursToBeScheduled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hours_to_be_scheduled: Option<f64>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// Autotask field `isAssignedToComanaged`.
    #[serde(
        rename = "isAssignedToComanaged",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_assigned_to_comanaged: Option<bool>,
    /// Issue type (a picklist value).
    #[serde(rename = "issueType", default, skip_serializing_if = "Option::is_none")]
    pub issue_type: Option<i64>,
    /// Autotask field `isVisibleToComanaged`.
    #[serde(
        rename = "isVisibleToComanaged",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_visible_to_comanaged: Option<bool>,
    /// When it last changed (UTC).
    #[serde(
        rename = "lastActivityDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_date: Option<Timestamp>,
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
    /// Autotask field `lastCustomerNotificationDateTime`.
    #[serde(
        rename = "lastCustomerNotificationDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_customer_notification_date_time: Option<Timestamp>,
    /// Autotask field `lastCustomerVisibleActivityDateTime`.
    #[serde(
        rename = "lastCustomerVisibleActivityDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_customer_visible_activity_date_time: Option<Timestamp>,
    /// When a tracked field last changed (UTC).
    #[serde(
        rename = "lastTrackedModificationDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_tracked_modification_date_time: Option<Timestamp>,
    /// Autotask field `monitorID`.
    #[serde(rename = "monitorID", default, skip_serializing_if = "Option::is_none")]
    pub monitor_id: Option<i64>,
    /// Autotask field `monitorTypeID`.
    #[serde(
        rename = "monitorTypeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub monitor_type_id: Option<i64>,
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
    /// Autotask field `previousServiceThermometerRating`.
    #[serde(
        rename = "previousServiceThermometerRating",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_service_thermometer_rating: Option<i64>,
    /// Priority (a picklist value).
    #[serde(rename = "priority", default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// The problem ticket this incident is linked to.
    #[serde(
        rename = "problemTicketId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub problem_ticket_id: Option<i64>,
    /// Autotask field `projectID`.
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<i64>,
    /// Autotask field `purchaseOrderNumber`.
    #[serde(
        rename = "purchaseOrderNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_order_number: Option<String>,
    /// Queue (a picklist value).
    #[serde(rename = "queueID", default, skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<i64>,
    /// Resolution text.
    #[serde(
        rename = "resolution",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution: Option<String>,
    /// Autotask field `resolutionPlanDateTime`.
    #[serde(
        rename = "resolutionPlanDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_plan_date_time: Option<Timestamp>,
    /// Autotask field `resolutionPlanDueDateTime`.
    #[serde(
        rename = "resolutionPlanDueDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_plan_due_date_time: Option<Timestamp>,
    /// Autotask field `resolvedDateTime`.
    #[serde(
        rename = "resolvedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolved_date_time: Option<Timestamp>,
    /// Autotask field `resolvedDueDateTime`.
    #[serde(
        rename = "resolvedDueDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolved_due_date_time: Option<Timestamp>,
    /// Autotask field `rmaStatus`.
    #[serde(rename = "rmaStatus", default, skip_serializing_if = "Option::is_none")]
    pub rma_status: Option<i64>,
    /// Autotask field `rmaType`.
    #[serde(rename = "rmaType", default, skip_serializing_if = "Option::is_none")]
    pub rma_type: Option<i64>,
    /// Autotask field `rmmAlertID`.
    #[serde(
        rename = "rmmAlertID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_alert_id: Option<String>,
    /// Autotask field `serviceLevelAgreementHasBeenMet`.
    #[serde(
        rename = "serviceLevelAgreementHasBeenMet",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_level_agreement_has_been_met: Option<bool>,
    /// The service level agreement (a picklist value).
    #[serde(
        rename = "serviceLevelAgreementID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_level_agreement_id: Option<i64>,
    /// Autotask field `serviceLevelAgreementPausedNextEventHours`.
    #[serde(
        rename = "serviceLevelAgreementPausedNextEventHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_level_agreement_paused_next_event_hours: Option<f64>,
    /// Autotask field `serviceThermometerTemperature`.
    #[serde(
        rename = "serviceThermometerTemperature",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_thermometer_temperature: Option<i64>,
    /// Source (a picklist value: phone, email, portal …).
    #[serde(rename = "source", default, skip_serializing_if = "Option::is_none")]
    pub source: Option<i64>,
    /// Status (a picklist value; read the labels from `entityInformation/fields`).
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Sub-issue type (a picklist value whose parent is `issueType`).
    #[serde(
        rename = "subIssueType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_issue_type: Option<i64>,
    /// Ticket category (`TicketCategories`).
    #[serde(
        rename = "ticketCategory",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ticket_category: Option<i64>,
    /// The number people quote, e.g. `T20240101.0001`.
    #[serde(
        rename = "ticketNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ticket_number: Option<String>,
    /// Ticket type (a picklist value: Service Request, Incident, Problem, Change Request, Alert …).
    #[serde(
        rename = "ticketType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ticket_type: Option<i64>,
    /// Title.
    #[serde(rename = "title", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
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

/// One entry of a ticket's history (`TicketHistoryModel`).
///
/// Read with `POST /TicketHistory/query`, which accepts exactly one `ticketID eq` filter.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketHistory {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// What changed.
    #[serde(rename = "action", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// When (UTC).
    #[serde(rename = "date", default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
    /// Details of the change.
    #[serde(rename = "detail", default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The resource (`Resources`, a technician).
    #[serde(
        rename = "resourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_id: Option<i64>,
    /// The ticket (`Tickets`).
    #[serde(rename = "ticketID", default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A ticket category (`TicketCategoryModel`).
///
/// Categories decide which fields a ticket form requires and their defaults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketCategory {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `displayColorRGB`.
    #[serde(
        rename = "displayColorRGB",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_color_rgb: Option<i64>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Autotask field `isApiOnly`.
    #[serde(rename = "isApiOnly", default, skip_serializing_if = "Option::is_none")]
    pub is_api_only: Option<bool>,
    /// Autotask field `isGlobalDefault`.
    #[serde(
        rename = "isGlobalDefault",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_global_default: Option<bool>,
    /// Name.
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Autotask field `nickname`.
    #[serde(rename = "nickname", default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
