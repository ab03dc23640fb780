//! Ticket webhook registrations (`/V1.0/TicketWebhooks`) and their field and
//! excluded-resource rows.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use super::common::is_zero;

/// A ticket webhook registration (`TicketWebhookModel`).
///
/// `secretKey` (up to 64 characters) signs every delivery
/// (`X-Hook-Signature: sha1=…`). It is a secret: `Debug` redacts it, and it
/// is only serialised into the request that registers the webhook. At least
/// one subscribed field must exist before Autotask marks the webhook ready.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketWebhook {
    /// The record id (zero on a webhook not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Where Autotask posts a notice when the webhook is deactivated or deleted.
    #[serde(
        rename = "deactivationUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub deactivation_url: Option<String>,
    /// Whether callouts are sent.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Whether Autotask will send callouts (needs at least one subscribed field). Read-only.
    #[serde(rename = "isReady", default, skip_serializing_if = "Option::is_none")]
    pub is_ready: Option<bool>,
    /// Fire on ticket creation.
    #[serde(
        rename = "isSubscribedToCreateEvents",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_subscribed_to_create_events: Option<bool>,
    /// Fire on ticket deletion.
    #[serde(
        rename = "isSubscribedToDeleteEvents",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_subscribed_to_delete_events: Option<bool>,
    /// Fire on ticket updates of a subscribed field.
    #[serde(
        rename = "isSubscribedToUpdateEvents",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_subscribed_to_update_events: Option<bool>,
    /// Name (up to 50 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Who is emailed when the webhook exceeds its threshold.
    #[serde(
        rename = "notificationEmailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub notification_email_address: Option<String>,
    /// The resource that owns the webhook.
    #[serde(
        rename = "ownerResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub owner_resource_id: Option<i64>,
    /// The key deliveries are signed with (HMAC-SHA1). Write-only in practice.
    #[serde(
        rename = "secretKey",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_secret"
    )]
    pub secret_key: Option<SecretString>,
    /// Email when the webhook's callouts exceed Autotask's threshold.
    #[serde(
        rename = "sendThresholdExceededNotification",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub send_threshold_exceeded_notification: Option<bool>,
    /// The webhook's GUID, sent in every delivery as `Guid`. Read-only.
    #[serde(
        rename = "webhookGUID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub webhook_guid: Option<String>,
    /// Where Autotask posts deliveries (up to 500 characters).
    #[serde(
        rename = "webhookUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub webhook_url: Option<String>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[allow(clippy::ref_option)]
fn serialize_secret<S: Serializer>(v: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(secret) => s.serialize_str(secret.expose_secret()),
        None => s.serialize_none(),
    }
}

/// A field of a ticket webhook (`TicketWebhookFieldModel`, child `/TicketWebhooks/{id}/Fields`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketWebhookField {
    /// The record id.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// The Autotask field id (from `/Tickets/entityInformation/fields`… see
    /// the crate docs for the ids this SDK subscribes to).
    #[serde(rename = "fieldID", default, skip_serializing_if = "Option::is_none")]
    pub field_id: Option<i64>,
    /// This field is always in the payload.
    #[serde(
        rename = "isDisplayAlwaysField",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_display_always_field: Option<bool>,
    /// A change to this field triggers a callout.
    #[serde(
        rename = "isSubscribedField",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_subscribed_field: Option<bool>,
    /// The webhook.
    #[serde(rename = "webhookID", default, skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl TicketWebhookField {
    /// A field row: `subscribed` triggers callouts, `always` is always in the payload.
    pub fn new(field_id: i64, subscribed: bool, always: bool) -> Self {
        TicketWebhookField {
            field_id: Some(field_id),
            is_subscribed_field: Some(subscribed),
            is_display_always_field: Some(always),
            ..TicketWebhookField::default()
        }
    }
}

/// A resource whose changes do not trigger the webhook
/// (`TicketWebhookExcludedResourceModel`, child `/TicketWebhooks/{id}/ExcludedResources`).
///
/// Exclude the integration's own API user to keep its writes from echoing back.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketWebhookExcludedResource {
    /// The record id.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// The resource excluded.
    #[serde(
        rename = "resourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_id: Option<i64>,
    /// The webhook.
    #[serde(rename = "webhookID", default, skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<i64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl TicketWebhookExcludedResource {
    /// An exclusion of `resource_id`.
    pub fn new(resource_id: i64) -> Self {
        TicketWebhookExcludedResource {
            resource_id: Some(resource_id),
            ..TicketWebhookExcludedResource::default()
        }
    }
}
