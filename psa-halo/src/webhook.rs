//! Webhook deliveries: verification and parsing into [`TicketEvent`]s.
//!
//! Halo does not sign deliveries. It authenticates to the receiver with the
//! credentials configured on the webhook — HTTP Basic (`basic_username` /
//! `basic_password`), which is what
//! [`subscribe_webhook`](psa_core::Psa::subscribe_webhook) registers — or a
//! header the operator configures. The receiver checks them in constant
//! time; a delivery that fails the check is rejected before its body is
//! read.
//!
//! Halo's delivery envelope is not publicly documented beyond "the ticket
//! and action objects where applicable". The parser accepts, per event:
//! an object with a `ticket` (a `Faults` record) and/or an `action` (an
//! `Actions` record), optionally with `eventno` / `event_name`; a bare
//! ticket record; a bare action record. A JSON array of these is a batched
//! delivery.

use base64::Engine as _;
use http::{HeaderMap, HeaderName, header::AUTHORIZATION};
use psa_core::{
    Error, ErrorKind, Id, Result, TicketEvent, TicketEventKind, Vendor, WebhookDelivery,
};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use subtle::ConstantTimeEq;

use crate::client::Settings;
use crate::mapping;
use crate::models::{Action, EventNo, Ticket};

/// How the receiver authenticates Halo's deliveries: the credentials
/// configured on the webhook in Halo.
#[derive(Clone)]
#[non_exhaustive]
pub enum WebhookAuth {
    /// `Authorization: Basic base64(username:password)` — Halo's "Basic
    /// Authentication" webhook setting (what `subscribe_webhook` registers).
    Basic {
        /// The user name configured on the webhook.
        username: String,
        /// The password configured on the webhook.
        password: SecretString,
    },
    /// A header carrying a shared secret (for webhooks an operator set up
    /// with a custom header).
    Header {
        /// The header's name.
        name: HeaderName,
        /// The secret it must carry.
        secret: SecretString,
    },
}

impl WebhookAuth {
    /// Basic credentials.
    pub fn basic(username: impl Into<String>, password: SecretString) -> Self {
        WebhookAuth::Basic {
            username: username.into(),
            password,
        }
    }

    /// A shared-secret header.
    pub fn header(name: HeaderName, secret: SecretString) -> Self {
        WebhookAuth::Header { name, secret }
    }

    /// Checks a delivery's headers in constant time.
    pub fn verify(&self, headers: &HeaderMap) -> Result<()> {
        let ok = match self {
            WebhookAuth::Basic { username, password } => {
                let expected = format!("{username}:{}", password.expose_secret());
                basic_credentials(headers)
                    .is_some_and(|given| bool::from(given.as_slice().ct_eq(expected.as_bytes())))
            }
            WebhookAuth::Header { name, secret } => headers
                .get(name)
                .is_some_and(|v| bool::from(v.as_bytes().ct_eq(secret.expose_secret().as_bytes()))),
        };
        if ok {
            Ok(())
        } else {
            Err(webhook_error(match self {
                WebhookAuth::Basic { .. } => {
                    "delivery credentials missing or wrong (Basic authentication)".to_owned()
                }
                WebhookAuth::Header { name, .. } => {
                    format!("delivery credentials missing or wrong (header `{name}`)")
                }
            }))
        }
    }
}

impl fmt::Debug for WebhookAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookAuth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
            WebhookAuth::Header { name, .. } => f
                .debug_struct("Header")
                .field("name", name)
                .field("secret", &"[redacted]")
                .finish(),
        }
    }
}

/// The decoded `user:password` of a Basic `Authorization` header.
fn basic_credentials(headers: &HeaderMap) -> Option<Vec<u8>> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
}

fn webhook_error(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::Webhook, message).with_vendor(Vendor::Halo)
}

/// Verifies a delivery with `auth`, then parses it into events.
pub(crate) fn parse(
    auth: Option<&WebhookAuth>,
    delivery: &WebhookDelivery,
    settings: &Settings,
) -> Result<Vec<TicketEvent>> {
    let auth = auth.ok_or_else(|| {
        webhook_error(
            "no webhook credentials configured: set ClientBuilder::webhook_auth before accepting deliveries",
        )
    })?;
    auth.verify(&delivery.headers)?;
    parse_body(&delivery.body, settings)
}

/// Parses a verified delivery body.
pub(crate) fn parse_body(body: &[u8], settings: &Settings) -> Result<Vec<TicketEvent>> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        webhook_error(format!("delivery body is not JSON: {e}"))
            .with_source(e)
            .with_body(body)
    })?;
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| event(item, &format!("[{i}]"), settings))
            .collect(),
        other => Ok(vec![event(other, "", settings)?]),
    }
}

fn decode<T: DeserializeOwned>(v: &Value, at: &str) -> Result<T> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path.is_empty() || path == "." {
            at.to_owned()
        } else {
            format!("{at}.{path}")
        };
        webhook_error(format!("delivery field `{field}` is malformed: {inner}")).with_source(inner)
    })
}

fn event(item: Value, at: &str, settings: &Settings) -> Result<TicketEvent> {
    let Value::Object(map) = &item else {
        return Err(webhook_error(format!(
            "delivery element `{}` is not an object",
            if at.is_empty() { "." } else { at }
        )));
    };
    let join = |k: &str| {
        if at.is_empty() {
            k.to_owned()
        } else {
            format!("{at}.{k}")
        }
    };
    let is_ticket = |m: &serde_json::Map<String, Value>| {
        m.contains_key("summary") || m.contains_key("status_id") || m.contains_key("client_id")
    };
    let (ticket, action) = match (map.get("ticket"), map.get("action")) {
        (None, None) if map.contains_key("ticket_id") && !is_ticket(map) => {
            (None, Some(decode::<Action>(&item, at)?))
        }
        (None, None) if map.contains_key("id") => (Some(decode::<Ticket>(&item, at)?), None),
        (t, a) => (
            t.map(|t| decode::<Ticket>(t, &join("ticket")))
                .transpose()?,
            a.map(|a| decode::<Action>(a, &join("action")))
                .transpose()?,
        ),
    };
    let ticket_id = ticket
        .as_ref()
        .and_then(|t| t.id)
        .or_else(|| action.as_ref().and_then(|a| a.ticket_id))
        .or_else(|| map.get("ticket_id").and_then(Value::as_i64))
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            let field = if map.contains_key("ticket") {
                join("ticket.id")
            } else {
                join("ticket_id")
            };
            webhook_error(format!("delivery field `{field}` is missing: no ticket id"))
        })?;

    let kind = explicit_kind(map).unwrap_or_else(|| match (&ticket, &action) {
        (_, Some(a)) if a.new_status.is_some_and(|s| s > 0) => TicketEventKind::StatusChanged,
        (_, Some(_)) => TicketEventKind::NoteAdded,
        (Some(t), None) if t.deleted == Some(true) => TicketEventKind::Deleted,
        _ => TicketEventKind::Updated,
    });
    let mut ev = TicketEvent::new(Vendor::Halo, kind, Id::int(ticket_id));
    ev.delivery_id = ["guid", "delivery_id"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_owned));
    ev.occurred_at = action
        .as_ref()
        .and_then(|a| a.datetime.as_ref().and_then(psa_core::Timestamp::utc))
        .or_else(|| {
            ticket
                .as_ref()
                .and_then(|t| t.last_update.as_ref().and_then(psa_core::Timestamp::utc))
        });
    ev.actor = action
        .as_ref()
        .and_then(|a| a.who.clone())
        .filter(|w| !w.is_empty());
    if let Some(t) = &ticket {
        if t.id.is_some_and(|id| id > 0) {
            ev.snapshot = Some(Box::new(mapping::ticket(t, settings)?));
        }
    }
    ev.raw = item.into();
    Ok(ev)
}

/// The event a delivery names: `eventno` (a number or numeric text), or an
/// `event_name` / `event` text.
fn explicit_kind(map: &serde_json::Map<String, Value>) -> Option<TicketEventKind> {
    let no = map.get("eventno").and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    });
    if let Some(no) = no {
        return Some(mapping::event_kind(EventNo::from_code(no)));
    }
    let name = ["event_name", "event"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))?;
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "new ticket logged" | "ticket logged" | "new ticket" => TicketEventKind::Created,
        "closed" | "ticket closed" => TicketEventKind::Closed,
        "ticket deleted" => TicketEventKind::Deleted,
        "ticket status changed" | "status changed" => TicketEventKind::StatusChanged,
        "ticket reassigned" | "ticket assigned" => TicketEventKind::Assigned,
        s if s.contains("updated") => TicketEventKind::Updated,
        s if s.contains("action") || s.contains("note") => TicketEventKind::NoteAdded,
        _ => TicketEventKind::Other(name.to_owned()),
    })
}
