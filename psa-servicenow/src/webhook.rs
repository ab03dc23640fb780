//! Ticket events from ServiceNow: a business rule posts them, the SDK verifies
//! and parses them.
//!
//! ServiceNow has no webhook-registration API and signs nothing. The usual
//! way — and the one this module receives — is an *after* business rule that
//! sends an outbound REST message (`sn_ws.RESTMessageV2`) for every insert,
//! update and delete, carrying a shared secret in a header. An administrator
//! installs it ([`BUSINESS_RULE_SCRIPT`], explained in the crate README);
//! [`Psa::subscribe_webhook`](psa_core::Psa::subscribe_webhook) therefore
//! returns `Unsupported`.
//!
//! A delivery is verified first — the secret header compared in constant
//! time with [`subtle`] — and only then parsed. A delivery that fails either
//! is a [`Webhook`](psa_core::ErrorKind::Webhook) error and yields no event.
//!
//! The JSON the script sends:
//!
//! ```json
//! {
//!   "delivery_id": "a3f1c0e2b4d54e0f9e1b2c3d4e5f6a7b",
//!   "table": "incident",
//!   "sys_id": "9d385017c611228701d22104cc95c371",
//!   "number": "INC0010001",
//!   "operation": "update",
//!   "changed_fields": ["state", "work_notes"],
//!   "state": "2",
//!   "active": "true",
//!   "sys_updated_on": "2026-11-20 09:15:02",
//!   "sys_updated_by": "itil.agent"
//! }
//! ```

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderName};
use psa_core::{Error, ErrorKind, Result, TicketEvent, TicketEventKind, Vendor, WebhookDelivery};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use subtle::ConstantTimeEq;

use crate::ids::{SysId, TaskTable, TicketId};
use crate::models::parse_glide_datetime;

/// The header the business rule sends the shared secret in.
pub const DEFAULT_SECRET_HEADER: &str = "x-psa-webhook-secret";

/// The largest delivery accepted, in bytes (a delivery is a few hundred).
pub const MAX_DELIVERY_BYTES: usize = 64 * 1024;

/// The business rule an administrator installs (table `incident` or `task`,
/// *When: after*, *Insert*, *Update* and *Delete* ticked, *Advanced*). It
/// reads the receiver URL and the shared secret from two system properties,
/// `psa_sdk.webhook.endpoint` and `psa_sdk.webhook.secret` (mark the secret
/// property *Private* so that it is not exported with update sets), and
/// posts the delivery without waiting for the answer (`executeAsync`), so a
/// slow receiver never slows the agent who saved the record.
pub const BUSINESS_RULE_SCRIPT: &str = r"(function executeRule(current, previous /*null when async*/) {
    var endpoint = gs.getProperty('psa_sdk.webhook.endpoint');
    var secret = gs.getProperty('psa_sdk.webhook.secret');
    if (!endpoint || !secret) {
        gs.warn('psa-sdk webhook: set psa_sdk.webhook.endpoint and psa_sdk.webhook.secret');
        return;
    }
    var watched = ['state', 'priority', 'impact', 'urgency', 'assigned_to',
        'assignment_group', 'short_description', 'description', 'category',
        'company', 'caller_id', 'work_notes', 'comments', 'close_code',
        'close_notes', 'active'];
    var operation = current.operation();
    var changed = [];
    if (operation == 'update') {
        for (var i = 0; i < watched.length; i++) {
            if (current.isValidField(watched[i]) && current[watched[i]].changes()) {
                changed.push(watched[i]);
            }
        }
    }
    var payload = {
        delivery_id: gs.generateGUID(),
        table: current.getTableName(),
        sys_id: current.getUniqueValue(),
        number: current.getValue('number'),
        operation: operation,
        changed_fields: changed,
        state: current.getValue('state'),
        active: current.getValue('active'),
        sys_updated_on: current.getValue('sys_updated_on'),
        sys_updated_by: current.getValue('sys_updated_by')
    };
    var request = new sn_ws.RESTMessageV2();
    request.setEndpoint(endpoint);
    request.setHttpMethod('post');
    request.setRequestHeader('Content-Type', 'application/json');
    request.setRequestHeader('X-Psa-Webhook-Secret', secret);
    request.setRequestBody(JSON.stringify(payload));
    request.executeAsync();
})(current, previous);
";

/// What happened to the record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryOperation {
    /// Inserted.
    Insert,
    /// Updated.
    Update,
    /// Deleted.
    Delete,
    /// Something else the script sent.
    Unknown(String),
}

impl DeliveryOperation {
    /// The name as the script sends it.
    pub fn as_str(&self) -> &str {
        match self {
            DeliveryOperation::Insert => "insert",
            DeliveryOperation::Update => "update",
            DeliveryOperation::Delete => "delete",
            DeliveryOperation::Unknown(s) => s,
        }
    }
}

impl Serialize for DeliveryOperation {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DeliveryOperation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "insert" => DeliveryOperation::Insert,
            "update" => DeliveryOperation::Update,
            "delete" => DeliveryOperation::Delete,
            _ => DeliveryOperation::Unknown(s),
        })
    }
}

/// The JSON a delivery carries (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Delivery {
    /// A unique id per delivery (`gs.generateGUID()`), for de-duplication.
    pub delivery_id: String,
    /// The record's table.
    pub table: String,
    /// The record's `sys_id`.
    pub sys_id: String,
    /// The record's number.
    #[serde(default)]
    pub number: Option<String>,
    /// What happened.
    pub operation: DeliveryOperation,
    /// The fields an update changed (empty for inserts and deletes).
    #[serde(default)]
    pub changed_fields: Vec<String>,
    /// The state value after the change.
    #[serde(default)]
    pub state: Option<String>,
    /// `"true"` while the record is open.
    #[serde(default)]
    pub active: Option<String>,
    /// When (UTC, `YYYY-MM-DD HH:MM:SS`).
    #[serde(default)]
    pub sys_updated_on: Option<String>,
    /// Who (a user name).
    #[serde(default)]
    pub sys_updated_by: Option<String>,
    /// Anything else a customised script adds.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Verifies deliveries by their shared-secret header and turns them into
/// [`TicketEvent`]s.
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use psa_core::{TicketEventKind, WebhookDelivery};
/// use psa_servicenow::webhook::WebhookVerifier;
///
/// let verifier = WebhookVerifier::new("s3cr3t-shared-with-the-business-rule".to_owned().into());
/// let mut headers = HeaderMap::new();
/// headers.insert("x-psa-webhook-secret", HeaderValue::from_static("s3cr3t-shared-with-the-business-rule"));
/// let body = r#"{"delivery_id":"d1","table":"incident","sys_id":"9d385017c611228701d22104cc95c371",
///                "operation":"insert","sys_updated_on":"2026-11-20 09:15:02","sys_updated_by":"admin"}"#;
/// let events = verifier.parse(&WebhookDelivery::new(headers, body))?;
/// assert_eq!(events[0].kind, TicketEventKind::Created);
/// assert_eq!(events[0].ticket.to_string(), "incident:9d385017c611228701d22104cc95c371");
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
    header: HeaderName,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("header", &self.header.as_str())
            .field("secret", &"[redacted]")
            .finish()
    }
}

fn webhook_error(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::Webhook, message).with_vendor(Vendor::ServiceNow)
}

impl WebhookVerifier {
    /// A verifier expecting `secret` in the `X-Psa-Webhook-Secret` header.
    pub fn new(secret: SecretString) -> Self {
        WebhookVerifier {
            secret,
            header: HeaderName::from_static(DEFAULT_SECRET_HEADER),
        }
    }

    /// Expects the secret in another header (when the script is changed).
    #[must_use]
    pub fn header(mut self, header: HeaderName) -> Self {
        self.header = header;
        self
    }

    /// Checks the shared secret in constant time. A missing, repeated or
    /// wrong header is a [`Webhook`](ErrorKind::Webhook) error. (The
    /// comparison hides the content, not the length: use a long random
    /// secret.)
    pub fn verify(&self, headers: &HeaderMap) -> Result<()> {
        let mut values = headers.get_all(&self.header).iter();
        let (Some(given), None) = (values.next(), values.next()) else {
            return Err(webhook_error(format!(
                "delivery has no single `{}` header",
                self.header
            )));
        };
        let expected = self.secret.expose_secret().as_bytes();
        if expected.is_empty() {
            return Err(
                Error::config("the webhook shared secret is empty").with_vendor(Vendor::ServiceNow)
            );
        }
        if bool::from(given.as_bytes().ct_eq(expected)) {
            Ok(())
        } else {
            Err(webhook_error(format!(
                "delivery's `{}` header does not match the shared secret",
                self.header
            )))
        }
    }

    /// Verifies a delivery and decodes its JSON.
    pub fn decode(&self, delivery: &WebhookDelivery) -> Result<Delivery> {
        self.verify(&delivery.headers)?;
        if delivery.body.len() > MAX_DELIVERY_BYTES {
            return Err(webhook_error(format!(
                "delivery of {} bytes is larger than {MAX_DELIVERY_BYTES}",
                delivery.body.len()
            )));
        }
        delivery.json::<Delivery>(Vendor::ServiceNow)
    }

    /// Verifies a delivery and turns it into ticket events.
    pub fn parse(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        let d = self.decode(delivery)?;
        let raw = serde_json::from_slice(&delivery.body).unwrap_or_default();
        events_of(&d, &raw)
    }
}

/// The events a verified delivery describes: `Created` for an insert,
/// `Deleted` for a delete; for an update one event per recognised change —
/// `NoteAdded` (work notes or comments), `Closed` or `StatusChanged` (state),
/// `Assigned` (assignee or group) — or `Updated` when none applies.
pub fn events_of(d: &Delivery, raw: &serde_json::Value) -> Result<Vec<TicketEvent>> {
    let table = TaskTable::from_name(&d.table).ok_or_else(|| {
        webhook_error(format!(
            "delivery names table {:?}, which is not a task-family table",
            d.table
        ))
    })?;
    let sys_id = SysId::parse(&d.sys_id)
        .map_err(|e| webhook_error(format!("delivery's sys_id: {}", e.message())))?;
    let ticket = TicketId::new(table, sys_id).to_id()?;
    if d.delivery_id.trim().is_empty() {
        return Err(webhook_error("delivery has an empty delivery_id"));
    }

    let changed = |f: &str| d.changed_fields.iter().any(|c| c == f);
    let kinds = match &d.operation {
        DeliveryOperation::Insert => vec![TicketEventKind::Created],
        DeliveryOperation::Delete => vec![TicketEventKind::Deleted],
        DeliveryOperation::Unknown(op) => vec![TicketEventKind::Other(op.clone())],
        DeliveryOperation::Update => {
            let mut k = Vec::new();
            if changed("work_notes") || changed("comments") {
                k.push(TicketEventKind::NoteAdded);
            }
            if changed("state") {
                let state = d.state.as_deref().unwrap_or_default();
                let closed = d.active.as_deref() == Some("false")
                    || table.resolved_states().contains(&state)
                    || table.closed_states().is_some_and(|s| s.contains(&state));
                k.push(if closed {
                    TicketEventKind::Closed
                } else {
                    TicketEventKind::StatusChanged
                });
            }
            if changed("assigned_to") || changed("assignment_group") {
                k.push(TicketEventKind::Assigned);
            }
            if k.is_empty() {
                k.push(TicketEventKind::Updated);
            }
            k
        }
    };
    let occurred_at: Option<DateTime<Utc>> =
        d.sys_updated_on.as_deref().and_then(parse_glide_datetime);
    Ok(kinds
        .into_iter()
        .map(|kind| {
            let mut e = TicketEvent::new(Vendor::ServiceNow, kind, ticket.clone());
            e.delivery_id = Some(d.delivery_id.clone());
            e.occurred_at = occurred_at;
            e.actor = d.sys_updated_by.clone().filter(|a| !a.is_empty());
            e.changed_fields.clone_from(&d.changed_fields);
            e.raw = raw.clone().into();
            e
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const SECRET: &str = "canary-webhook-secret-7f3a9c";

    fn delivery(secret: Option<&str>, body: &str) -> WebhookDelivery {
        let mut h = HeaderMap::new();
        if let Some(s) = secret {
            h.insert(DEFAULT_SECRET_HEADER, HeaderValue::from_str(s).unwrap());
        }
        WebhookDelivery::new(h, body.to_owned())
    }

    const UPDATE: &str = r#"{"delivery_id":"6f1e","table":"sc_req_item","sys_id":"aeed229047801200e0ef563dbb9a71c2",
        "number":"RITM0010002","operation":"update","changed_fields":["state","work_notes","assigned_to"],
        "state":"3","active":"false","sys_updated_on":"2026-11-20 09:15:02","sys_updated_by":"itil.agent",
        "u_custom":"kept"}"#;

    #[test]
    fn a_verified_update_yields_specific_events() {
        let v = WebhookVerifier::new(SECRET.to_owned().into());
        let events = v.parse(&delivery(Some(SECRET), UPDATE)).unwrap();
        let kinds: Vec<_> = events.iter().map(|e| e.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                TicketEventKind::NoteAdded,
                TicketEventKind::Closed,
                TicketEventKind::Assigned
            ]
        );
        let e = &events[0];
        assert_eq!(
            e.ticket.to_string(),
            "sc_req_item:aeed229047801200e0ef563dbb9a71c2"
        );
        assert_eq!(e.delivery_id.as_deref(), Some("6f1e"));
        assert_eq!(e.actor.as_deref(), Some("itil.agent"));
        assert_eq!(
            e.occurred_at.unwrap().to_rfc3339(),
            "2026-11-20T09:15:02+00:00"
        );
        assert_eq!(e.raw["u_custom"], "kept");
    }

    #[test]
    fn bad_secrets_and_bodies_yield_no_event() {
        let v = WebhookVerifier::new(SECRET.to_owned().into());
        for d in [
            delivery(None, UPDATE),
            delivery(Some("wrong"), UPDATE),
            delivery(Some(&SECRET[..SECRET.len() - 1]), UPDATE),
            delivery(Some(&format!("{SECRET}x")), UPDATE),
        ] {
            let e = v.parse(&d).unwrap_err();
            assert!(e.is_webhook(), "{e}");
            assert!(!e.to_string().contains(SECRET));
        }
        let mut twice = delivery(Some(SECRET), UPDATE);
        twice
            .headers
            .append(DEFAULT_SECRET_HEADER, HeaderValue::from_static("other"));
        assert!(v.parse(&twice).unwrap_err().is_webhook());

        for body in [
            "not json",
            r#"{"delivery_id":"1","table":"sys_user","sys_id":"aeed229047801200e0ef563dbb9a71c2","operation":"insert"}"#,
            r#"{"delivery_id":"1","table":"incident","sys_id":"../../x","operation":"insert"}"#,
            r#"{"delivery_id":"","table":"incident","sys_id":"aeed229047801200e0ef563dbb9a71c2","operation":"insert"}"#,
            r#"{"table":"incident","sys_id":"aeed229047801200e0ef563dbb9a71c2","operation":"insert"}"#,
        ] {
            assert!(
                v.parse(&delivery(Some(SECRET), body))
                    .unwrap_err()
                    .is_webhook(),
                "{body}"
            );
        }
        assert!(!format!("{v:?}").contains(SECRET));
    }

    #[test]
    fn plain_updates_and_deletes() {
        let v = WebhookVerifier::new(SECRET.to_owned().into());
        let body = r#"{"delivery_id":"2","table":"incident","sys_id":"aeed229047801200e0ef563dbb9a71c2","operation":"update","changed_fields":["short_description"]}"#;
        assert_eq!(
            v.parse(&delivery(Some(SECRET), body)).unwrap()[0].kind,
            TicketEventKind::Updated
        );
        let body = r#"{"delivery_id":"3","table":"incident","sys_id":"aeed229047801200e0ef563dbb9a71c2","operation":"update","changed_fields":["state"],"state":"2","active":"true"}"#;
        assert_eq!(
            v.parse(&delivery(Some(SECRET), body)).unwrap()[0].kind,
            TicketEventKind::StatusChanged
        );
        let body = r#"{"delivery_id":"4","table":"problem","sys_id":"aeed229047801200e0ef563dbb9a71c2","operation":"delete"}"#;
        assert_eq!(
            v.parse(&delivery(Some(SECRET), body)).unwrap()[0].kind,
            TicketEventKind::Deleted
        );
    }
}
