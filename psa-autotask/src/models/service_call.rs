//! Service calls (`/V1.0/ServiceCalls`): the dispatch calendar's appointments, linked to tickets by `ServiceCallTickets` and to resources by `ServiceCallTicketResources`.

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::is_zero;

/// A service call (`ServiceCallModel`).
///
/// A service call belongs to a company; tickets and resources are attached through child records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceCall {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `cancelationNoticeHours`.
    #[serde(
        rename = "cancelationNoticeHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cancelation_notice_hours: Option<f64>,
    /// Autotask field `canceledByResourceID`.
    #[serde(
        rename = "canceledByResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub canceled_by_resource_id: Option<i64>,
    /// Autotask field `canceledDateTime`.
    #[serde(
        rename = "canceledDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub canceled_date_time: Option<Timestamp>,
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
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Autotask field `duration`.
    #[serde(rename = "duration", default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// End (UTC).
    #[serde(
        rename = "endDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date_time: Option<Timestamp>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// Autotask field `isComplete`.
    #[serde(
        rename = "isComplete",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_complete: Option<i64>,
    /// Autotask field `lastModifiedDateTime`.
    #[serde(
        rename = "lastModifiedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_date_time: Option<Timestamp>,
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
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The link between a service call and a ticket (`ServiceCallTicketModel`).
///
/// Created with `POST /ServiceCalls/{id}/Tickets`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceCallTicket {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// The service call.
    #[serde(
        rename = "serviceCallID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_call_id: Option<i64>,
    /// The ticket (`Tickets`).
    #[serde(rename = "ticketID", default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A resource assigned to a service call's ticket (`ServiceCallTicketResourceModel`).
///
/// Created with `POST /ServiceCallTickets/{id}/Resources`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceCallTicketResource {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// The resource (`Resources`, a technician).
    #[serde(
        rename = "resourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_id: Option<i64>,
    /// The service call ticket link.
    #[serde(
        rename = "serviceCallTicketID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_call_ticket_id: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
