//! Webhook deliveries: signature verification and parsing.
//!
//! Autotask signs every callout with the webhook's secret key
//! ([Secret key and payload verification][doc]):
//!
//! ```text
//! X-Hook-Signature: sha1=UaDXFl2DRDu9dnINVkFle7y5uAE=
//! ```
//!
//! that is `sha1=` followed by the base64 of HMAC-SHA1(secret key, request
//! body). [`WebhookVerifier`] recomputes it over the raw body, byte for byte
//! as received, and compares in constant time (`subtle`). A missing,
//! malformed or wrong signature is a [`Webhook`](psa_core::ErrorKind::Webhook)
//! error and nothing is parsed.
//!
//! Community clients report that Autotask computes the HMAC over its own
//! serialisation of the payload, in which `& < > ' " \` +` and non-ASCII
//! characters inside strings are `\uXXXX`-escaped, while the body on the
//! wire may carry them unescaped (msoukhomlinov/n8n-nodes-autotask verifies
//! against that form first). The verifier therefore accepts, after the raw
//! body, the signature of that escaped form too; both are HMACs under the
//! same secret, so this accepts no unsigned body. Turn it off with
//! [`WebhookVerifier::raw_body_only`].
//!
//! A delivery is `{"Guid", "EntityType", "Id", "EventTime", "SequenceNumber",
//! "PersonID", "Action", "Fields"}`. `Guid` is the webhook's `webhookGUID`
//! — the same on every delivery of one webhook (integrations match a
//! delivery to its webhook by it) — and `SequenceNumber` counts the
//! webhook's deliveries (with gaps). A delivery is therefore identified by
//! both: [`Delivery::delivery_id`] is `"{Guid}:{SequenceNumber}"` (and,
//! without a sequence number, the webhook, entity, record and event time),
//! which becomes the events' `delivery_id`, to de-duplicate on (Autotask
//! may send a callout more than once).
//!
//! [doc]: https://www.autotask.net/help/developerhelp/Content/APIs/Webhooks/SecretKeyPayloadVerification.htm

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use psa_core::{Error, ErrorKind, Id, Result, TicketEvent, TicketEventKind, Vendor};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use std::fmt::{self, Write as _};
use subtle::ConstantTimeEq;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Hook-Signature";

/// The longest secret key Autotask accepts.
pub const MAX_SECRET_KEY: usize = 64;

type HmacSha1 = Hmac<Sha1>;

fn webhook_error(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::Webhook, message).with_vendor(Vendor::Autotask)
}

/// Checks a secret key: 1 to 64 characters (Autotask's limit), no whitespace
/// or control characters. Autotask recommends at least 10.
pub fn validate_secret_key(secret: &SecretString) -> Result<()> {
    let s = secret.expose_secret();
    let n = s.chars().count();
    if n == 0 || n > MAX_SECRET_KEY {
        return Err(Error::invalid_input(format!(
            "an Autotask webhook secret key has 1 to {MAX_SECRET_KEY} characters, got {n}"
        )));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid_input(
            "an Autotask webhook secret key must not contain spaces or control characters",
        ));
    }
    Ok(())
}

/// The value of `X-Hook-Signature` for `body` under `secret`: `sha1=<base64>`.
///
/// What Autotask sends; useful to sign test deliveries.
pub fn sign(secret: &SecretString, body: &[u8]) -> String {
    format!(
        "sha1={}",
        base64::engine::general_purpose::STANDARD.encode(hmac_sha1(secret, body))
    )
}

fn hmac_sha1(secret: &SecretString, body: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = HmacSha1::new_from_slice(secret.expose_secret().as_bytes()) else {
        return Vec::new();
    };
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Verifies `X-Hook-Signature` on deliveries of one webhook.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
    escaped_fallback: bool,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &"[redacted]")
            .field("escaped_fallback", &self.escaped_fallback)
            .finish()
    }
}

/// The largest delivery body verified: 1 MiB. An Autotask callout carries
/// one record's subscribed fields (a few kilobytes); a larger body is
/// refused before any HMAC is computed over it.
pub const MAX_DELIVERY_BYTES: usize = 1024 * 1024;

impl WebhookVerifier {
    /// A verifier for the webhook's secret key.
    pub fn new(secret: SecretString) -> Self {
        WebhookVerifier {
            secret,
            escaped_fallback: true,
        }
    }

    /// Accepts only the HMAC of the raw body, as Autotask's documentation
    /// describes it (no escaped-form fallback).
    #[must_use]
    pub fn raw_body_only(mut self) -> Self {
        self.escaped_fallback = false;
        self
    }

    /// Checks the signature of a delivery; `Ok(())` when it matches.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<()> {
        if body.len() > MAX_DELIVERY_BYTES {
            return Err(webhook_error(format!(
                "delivery body is {} bytes, more than the {MAX_DELIVERY_BYTES} an Autotask callout carries: refused before verification",
                body.len()
            )));
        }
        let mut values = headers.get_all(SIGNATURE_HEADER).iter();
        let value = values
            .next()
            .ok_or_else(|| webhook_error("delivery has no X-Hook-Signature header"))?;
        if values.next().is_some() {
            return Err(webhook_error(
                "delivery has more than one X-Hook-Signature header",
            ));
        }
        let value = value
            .to_str()
            .map_err(|_| webhook_error("X-Hook-Signature is not ASCII"))?
            .trim();
        let (algorithm, digest) = value
            .split_once('=')
            .filter(|(a, _)| a.chars().all(|c| c.is_ascii_alphanumeric()))
            .ok_or_else(|| webhook_error("X-Hook-Signature is not `sha1=<base64>`"))?;
        if !algorithm.eq_ignore_ascii_case("sha1") {
            return Err(webhook_error(format!(
                "X-Hook-Signature uses {algorithm:?}, not sha1"
            )));
        }
        let given = base64::engine::general_purpose::STANDARD
            .decode(digest.trim())
            .map_err(|_| webhook_error("X-Hook-Signature digest is not base64"))?;
        if given.len() != 20 {
            return Err(webhook_error("X-Hook-Signature digest is not an HMAC-SHA1"));
        }
        let raw_ok: bool = hmac_sha1(&self.secret, body).ct_eq(&given).into();
        if raw_ok {
            return Ok(());
        }
        if self.escaped_fallback {
            if let Ok(text) = std::str::from_utf8(body) {
                let escaped = escape_like_autotask(text);
                if escaped.as_bytes() != body {
                    let ok: bool = hmac_sha1(&self.secret, escaped.as_bytes())
                        .ct_eq(&given)
                        .into();
                    if ok {
                        return Ok(());
                    }
                }
            }
        }
        Err(webhook_error(
            "X-Hook-Signature does not match the body: wrong secret key or a tampered delivery",
        ))
    }

    /// Verifies and then parses a delivery.
    pub fn verify_and_parse(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery> {
        self.verify(headers, body)?;
        Delivery::parse(body)
    }
}

/// Rewrites JSON text the way Autotask's serialiser writes it before
/// signing: inside string literals, `& < > ' \` +` and every non-ASCII UTF-16
/// unit become `\uXXXX` (upper-case hex) and an escaped quote `\"` becomes
/// `\u0022`. Text outside strings is unchanged.
pub(crate) fn escape_like_autotask(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if !in_string {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
            continue;
        }
        if escaped {
            escaped = false;
            if c == '"' {
                out.pop();
                out.push_str("\\u0022");
            } else {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '"' => {
                in_string = false;
                out.push(c);
            }
            '&' | '<' | '>' | '\'' | '`' | '+' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c if !c.is_ascii() => {
                let mut units = [0_u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// What happened to the record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// `Create`.
    Create,
    /// `Update`.
    Update,
    /// `Delete`.
    Delete,
    /// `Deactivated`: the webhook itself was deactivated.
    Deactivated,
    /// An action this SDK does not know, by Autotask's name.
    Unknown(String),
}

impl Action {
    /// Autotask's name.
    pub fn as_str(&self) -> &str {
        match self {
            Action::Create => "Create",
            Action::Update => "Update",
            Action::Delete => "Delete",
            Action::Deactivated => "Deactivated",
            Action::Unknown(s) => s,
        }
    }
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "Create" => Action::Create,
            "Update" => Action::Update,
            "Delete" => Action::Delete,
            "Deactivated" => Action::Deactivated,
            _ => Action::Unknown(s),
        })
    }
}

/// A webhook delivery, as Autotask posts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Delivery {
    /// The webhook's GUID (`webhookGUID`): the same on every delivery of
    /// the webhook. [`Delivery::delivery_id`] identifies one delivery.
    #[serde(rename = "Guid")]
    pub guid: String,
    /// The entity: `Ticket`, `TicketNote`, `Account` (companies), `Contact`,
    /// `InstalledProduct` (configuration items).
    #[serde(rename = "EntityType")]
    pub entity_type: String,
    /// The record's id.
    #[serde(rename = "Id")]
    pub id: i64,
    /// When it happened, as Autotask wrote it.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<String>,
    /// Sequence number (may have gaps).
    #[serde(
        rename = "SequenceNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sequence_number: Option<i64>,
    /// Who made the change (a resource or contact id).
    #[serde(rename = "PersonID", default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<i64>,
    /// What happened.
    #[serde(rename = "Action")]
    pub action: Action,
    /// The subscribed fields that changed plus the "display always" fields
    /// (for a create, the subscribed fields).
    #[serde(rename = "Fields", default)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Members this SDK does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Delivery {
    /// What identifies this delivery: `"{Guid}:{SequenceNumber}"` — the
    /// webhook and its count of deliveries — or, for a delivery without a
    /// sequence number, `"{Guid}:{EntityType}:{Id}:{EventTime}"`. A callout
    /// Autotask sends again carries the same id.
    ///
    /// ```
    /// use psa_autotask::webhook::Delivery;
    /// let d = Delivery::parse(br#"{"Guid":"7f9c","EntityType":"Ticket","Id":1001,"SequenceNumber":7,"Action":"Update","Fields":{}}"#)?;
    /// assert_eq!(d.delivery_id(), "7f9c:7");
    /// # Ok::<(), psa_core::Error>(())
    /// ```
    pub fn delivery_id(&self) -> String {
        match self.sequence_number {
            Some(n) => format!("{}:{n}", self.guid),
            None => format!(
                "{}:{}:{}:{}",
                self.guid,
                self.entity_type,
                self.id,
                self.event_time.as_deref().unwrap_or_default()
            ),
        }
    }

    /// Parses a delivery body (after verification!). A body that is not a
    /// delivery is a [`Webhook`](psa_core::ErrorKind::Webhook) error naming
    /// the failing member.
    pub fn parse(body: &[u8]) -> Result<Delivery> {
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            webhook_error(format!(
                "delivery body is not an Autotask webhook delivery at `{path}`: {inner}"
            ))
            .with_source(inner)
        })
    }

    /// A field of the payload, matched case-insensitively (`status`, `Status`).
    pub fn field(&self, name: &str) -> Option<&serde_json::Value> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The event time in UTC, when it parses.
    pub fn occurred_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.event_time
            .as_deref()
            .and_then(psa_core::Timestamp::parse)
            .and_then(|t| t.utc())
    }

    /// The payload's fields under their REST names (`Status` → `status`,
    /// `QueueID` → `queueID`): Autotask's names with a lower-case first letter.
    pub fn rest_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        self.fields
            .iter()
            .map(|(k, v)| {
                let mut chars = k.chars();
                let key = match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => String::new(),
                };
                (key, v.clone())
            })
            .collect()
    }
}

fn as_i64(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Turns a verified delivery into uniform ticket events.
///
/// - `Ticket` deliveries: `Create` → `Created`; `Delete` → `Deleted`;
///   `Update` → `Closed` when the new `status` is one of `closed_statuses`,
///   `StatusChanged` when `status` is in the payload, `Assigned` when
///   `assignedResourceID` is, else `Updated`. (The payload mixes changed and
///   "display always" fields; webhooks this SDK registers have no
///   display-always fields, so there every field in it changed.)
/// - `TicketNote` deliveries on create → `NoteAdded` on the note's ticket
///   (`TicketID` must be in the payload).
/// - `Deactivated` → no event (an operational notice, not a ticket change).
/// - Any other entity → a `Webhook` error: it is not a ticket event.
pub fn ticket_events(delivery: &Delivery, closed_statuses: &[i64]) -> Result<Vec<TicketEvent>> {
    if delivery.action == Action::Deactivated {
        return Ok(Vec::new());
    }
    let entity = delivery.entity_type.as_str();
    let (kind, ticket) = if entity.eq_ignore_ascii_case("Ticket")
        || entity.eq_ignore_ascii_case("Tickets")
    {
        let kind = match &delivery.action {
            Action::Create => TicketEventKind::Created,
            Action::Delete => TicketEventKind::Deleted,
            Action::Update => match delivery.field("status").and_then(as_i64) {
                Some(s) if closed_statuses.contains(&s) => TicketEventKind::Closed,
                Some(_) => TicketEventKind::StatusChanged,
                None if delivery.field("assignedResourceID").is_some() => TicketEventKind::Assigned,
                None => TicketEventKind::Updated,
            },
            Action::Unknown(other) => TicketEventKind::Other(other.clone()),
            Action::Deactivated => return Ok(Vec::new()),
        };
        (kind, delivery.id)
    } else if entity.eq_ignore_ascii_case("TicketNote")
        || entity.eq_ignore_ascii_case("TicketNotes")
    {
        let ticket = delivery.field("ticketID").and_then(as_i64).ok_or_else(|| {
            webhook_error("a TicketNote delivery without TicketID in its fields names no ticket")
        })?;
        let kind = match &delivery.action {
            Action::Create => TicketEventKind::NoteAdded,
            other => {
                TicketEventKind::Other(format!("note_{}", other.as_str().to_ascii_lowercase()))
            }
        };
        (kind, ticket)
    } else {
        return Err(webhook_error(format!(
            "delivery is for entity {entity:?}, not a ticket or ticket note"
        )));
    };
    if ticket <= 0 {
        return Err(webhook_error(format!("delivery names ticket id {ticket}")));
    }
    let mut event = TicketEvent::new(Vendor::Autotask, kind, Id::int(ticket));
    event.delivery_id = Some(delivery.delivery_id());
    event.occurred_at = delivery.occurred_at();
    event.actor = delivery.person_id.map(|p| p.to_string());
    event.changed_fields = delivery.rest_fields().keys().cloned().collect();
    event.raw = serde_json::to_value(delivery)
        .unwrap_or(serde_json::Value::Null)
        .into();
    Ok(vec![event])
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn secret() -> SecretString {
        SecretString::from("s3cr3t-key-0123")
    }

    fn headers(sig: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(SIGNATURE_HEADER, HeaderValue::from_str(sig).unwrap());
        h
    }

    const BODY: &[u8] = br#"{"Guid":"7f9c2ba4-e88f-4d2b-9a3c-000000000001","EntityType":"Ticket","Id":1001,"EventTime":"2026-11-20T09:15:00.123Z","SequenceNumber":7,"PersonID":29682885,"Action":"Update","Fields":{"status":5}}"#;

    #[test]
    fn good_signature_is_accepted_and_parsed() {
        let v = WebhookVerifier::new(secret());
        let d = v
            .verify_and_parse(&headers(&sign(&secret(), BODY)), BODY)
            .unwrap();
        assert_eq!(d.guid, "7f9c2ba4-e88f-4d2b-9a3c-000000000001");
        assert_eq!(d.action, Action::Update);
        let ev = ticket_events(&d, &[5]).unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, TicketEventKind::Closed);
        assert_eq!(ev[0].ticket, Id::from(1001));
        assert_eq!(
            ev[0].delivery_id.as_deref(),
            Some("7f9c2ba4-e88f-4d2b-9a3c-000000000001:7")
        );
        assert_eq!(ev[0].changed_fields, vec!["status"]);
    }

    #[test]
    fn known_vector() {
        // HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog")
        // = de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9 (RFC 2104 test vector family).
        let s = sign(
            &SecretString::from("key"),
            b"The quick brown fox jumps over the lazy dog",
        );
        assert_eq!(s, "sha1=3nybhbi3iqa8ino29wqQcBydtNk=");
    }

    #[test]
    fn tampered_missing_and_malformed_are_rejected() {
        let v = WebhookVerifier::new(secret());
        let sig = sign(&secret(), BODY);
        let tampered = String::from_utf8(BODY.to_vec())
            .unwrap()
            .replace("1001", "1002");
        for (h, body) in [
            (headers(&sig), tampered.as_bytes()),
            (HeaderMap::new(), BODY),
            (headers("sha1=not base64!"), BODY),
            (headers("sha256=3nybhbi3iqa8ino29wqQcBydtNk="), BODY),
            (headers("3nybhbi3iqa8ino29wqQcBydtNk="), BODY),
            (
                headers(&sign(&SecretString::from("other-key-000"), BODY)),
                BODY,
            ),
        ] {
            let e = v.verify_and_parse(&h, body).unwrap_err();
            assert!(e.is_webhook(), "{e}");
        }
        let mut two = headers(&sig);
        two.append(SIGNATURE_HEADER, HeaderValue::from_str(&sig).unwrap());
        assert!(v.verify(&two, BODY).is_err());
    }

    #[test]
    fn escaped_serialisation_fallback() {
        let wire = r#"{"Guid":"g","EntityType":"Ticket","Id":5,"Action":"Update","Fields":{"title":"Fish & chips <b> \"é\""}}"#;
        let signed_form = escape_like_autotask(wire);
        assert_eq!(
            signed_form,
            r#"{"Guid":"g","EntityType":"Ticket","Id":5,"Action":"Update","Fields":{"title":"Fish \u0026 chips \u003Cb\u003E \u0022\u00E9\u0022"}}"#
        );
        let sig = sign(&secret(), signed_form.as_bytes());
        assert!(
            WebhookVerifier::new(secret())
                .verify(&headers(&sig), wire.as_bytes())
                .is_ok()
        );
        assert!(
            WebhookVerifier::new(secret())
                .raw_body_only()
                .verify(&headers(&sig), wire.as_bytes())
                .is_err()
        );
    }

    #[test]
    fn events_by_entity_and_action() {
        let parse = |s: &str| Delivery::parse(s.as_bytes()).unwrap();
        let note = parse(
            r#"{"Guid":"n","EntityType":"TicketNote","Id":9,"Action":"Create","Fields":{"TicketID":"44"}}"#,
        );
        let ev = ticket_events(&note, &[5]).unwrap();
        assert_eq!(
            (ev[0].kind.clone(), ev[0].ticket.clone()),
            (TicketEventKind::NoteAdded, Id::from(44))
        );
        let assigned = parse(
            r#"{"Guid":"a","EntityType":"Ticket","Id":3,"Action":"Update","Fields":{"AssignedResourceID":7}}"#,
        );
        assert_eq!(
            ticket_events(&assigned, &[5]).unwrap()[0].kind,
            TicketEventKind::Assigned
        );
        assert_eq!(
            ticket_events(&assigned, &[5]).unwrap()[0].changed_fields,
            vec!["assignedResourceID"]
        );
        let created =
            parse(r#"{"Guid":"c","EntityType":"Ticket","Id":3,"Action":"Create","Fields":{}}"#);
        assert_eq!(
            ticket_events(&created, &[5]).unwrap()[0].kind,
            TicketEventKind::Created
        );
        let off = parse(r#"{"Guid":"d","EntityType":"Ticket","Id":3,"Action":"Deactivated"}"#);
        assert!(ticket_events(&off, &[5]).unwrap().is_empty());
        let company =
            parse(r#"{"Guid":"x","EntityType":"Account","Id":3,"Action":"Update","Fields":{}}"#);
        assert!(ticket_events(&company, &[5]).unwrap_err().is_webhook());
        assert!(Delivery::parse(br#"{"Guid":1}"#).unwrap_err().is_webhook());
        assert!(
            Delivery::parse(b"<html>")
                .unwrap_err()
                .message()
                .contains("delivery body")
        );
    }
}
