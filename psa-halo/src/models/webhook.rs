//! Webhook registrations and their notification events.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use super::macros::{int_enum, model};

int_enum! {
    /// What a webhook is (`Webhook.type`).
    pub enum WebhookKind {
        /// Halo posts events to a URL.
        Outbound = 0,
        /// A runbook (integrator automation).
        Runbook = 1,
    }
}

int_enum! {
    /// The HTTP method of an outbound webhook (`Webhook.method`).
    pub enum WebhookMethod {
        /// POST.
        Post = 0,
        /// GET.
        Get = 1,
        /// PUT.
        Put = 2,
        /// DELETE.
        Delete = 3,
        /// PATCH.
        Patch = 4,
    }
}

int_enum! {
    /// How Halo authenticates to the receiver (`Webhook.authentication_type`).
    pub enum WebhookAuthType {
        /// No credentials.
        None = 0,
        /// `Authorization: Basic base64(basic_username:basic_password)`.
        Basic = 1,
        /// A bearer token.
        Bearer = 2,
        /// An API key header.
        ApiKey = 3,
        /// A client certificate.
        Certificate = 4,
    }
}

int_enum! {
    /// A Halo notification event a webhook can fire on (`eventno`). Halo's
    /// list is long and instance-specific; the codes named here are the
    /// ticket events the SDK maps to uniform events.
    pub enum EventNo {
        /// "New Ticket Logged".
        NewTicketLogged = 3,
        /// "Ticket Updated by User".
        TicketUpdatedByUser = 19,
        /// "Closed".
        Closed = 39,
        /// "Ticket Status Changed".
        StatusChanged = 76,
        /// "Ticket Deleted".
        Deleted = 1072,
    }
}

/// A credential Halo stores and may echo back (`basic_password`): sent and
/// received as plain JSON, never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Redacted(String);

impl Redacted {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Redacted(value.into())
    }

    /// The credential.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Redacted {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Redacted {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Redacted)
    }
}

model! {
    /// An outbound webhook registration (`/Webhook`). Its id is a GUID.
    pub struct Webhook {
        /// GUID.
        id: String,
        /// Name.
        name: String,
        /// Outbound or runbook.
        #[serde(rename = "type")]
        kind: WebhookKind,
        /// Receiver URL.
        url: String,
        /// Content type (Halo sends JSON).
        content_type: String,
        /// HTTP method.
        method: WebhookMethod,
        /// How Halo authenticates to the receiver.
        authentication_type: WebhookAuthType,
        /// Basic-auth user name.
        basic_username: String,
        /// Basic-auth password (Halo may echo it; never shown by `Debug`).
        basic_password: Redacted,
        /// Header used by header-based authentication.
        authentication_header: String,
        /// Active.
        active: bool,
        /// Disabled.
        disabled: bool,
        /// The events it fires on (notification records).
        events: Vec<Notification>,
    }
}

model! {
    /// A notification record: one event (`eventno`) delivered through a
    /// webhook (`delivery_method` 6) — Halo's `UnameNotification`
    /// (`/Notification`).
    pub struct Notification {
        /// Record id.
        id: i64,
        /// Name.
        name: String,
        /// The webhook it delivers through.
        webhook_id: String,
        /// The event.
        eventno: EventNo,
        /// Delivery method code (6 = webhook).
        delivery_method: i64,
        /// Notification type code.
        #[serde(rename = "type")]
        notification_type: i64,
    }
}

impl Notification {
    /// The delivery method code for webhooks.
    pub const DELIVERY_WEBHOOK: i64 = 6;

    /// A notification that fires `event` through webhook `webhook_id`.
    pub fn webhook(webhook_id: impl Into<String>, event: EventNo) -> Self {
        Notification {
            webhook_id: Some(webhook_id.into()),
            eventno: Some(event),
            delivery_method: Some(Self::DELIVERY_WEBHOOK),
            notification_type: Some(-2),
            ..Notification::default()
        }
    }
}
