//! Webhook subscriptions, deliveries and the uniform [`TicketEvent`].

use super::RawRecord;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::HeaderMap;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use url::Url;

use super::ticket::Ticket;
use crate::{Error, Id, Result, Vendor};

/// What happened to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TicketEventKind {
    /// The ticket was created.
    Created,
    /// The ticket was updated (any field).
    Updated,
    /// The ticket was deleted.
    Deleted,
    /// A note / action was added.
    NoteAdded,
    /// The status changed.
    StatusChanged,
    /// It was (re)assigned.
    Assigned,
    /// It was closed / resolved.
    Closed,
    /// A vendor event with no uniform meaning, by the vendor's name.
    Other(String),
}

impl TicketEventKind {
    /// The snake_case name (`note_added`), or the vendor's name for `Other`.
    pub fn as_str(&self) -> &str {
        match self {
            TicketEventKind::Created => "created",
            TicketEventKind::Updated => "updated",
            TicketEventKind::Deleted => "deleted",
            TicketEventKind::NoteAdded => "note_added",
            TicketEventKind::StatusChanged => "status_changed",
            TicketEventKind::Assigned => "assigned",
            TicketEventKind::Closed => "closed",
            TicketEventKind::Other(s) => s,
        }
    }

    /// Parses a snake_case name; anything else becomes `Other`.
    pub fn from_name(s: &str) -> Self {
        match s {
            "created" => TicketEventKind::Created,
            "updated" => TicketEventKind::Updated,
            "deleted" => TicketEventKind::Deleted,
            "note_added" => TicketEventKind::NoteAdded,
            "status_changed" => TicketEventKind::StatusChanged,
            "assigned" => TicketEventKind::Assigned,
            "closed" => TicketEventKind::Closed,
            other => TicketEventKind::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for TicketEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TicketEventKind {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TicketEventKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(TicketEventKind::from_name(&s))
    }
}

/// A ticket event from any vendor's webhook delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketEvent {
    /// Where it came from.
    pub vendor: Vendor,
    /// What happened.
    pub kind: TicketEventKind,
    /// The ticket.
    pub ticket: Id,
    /// The vendor's delivery / event id, for de-duplication, when it sends one.
    pub delivery_id: Option<String>,
    /// When it happened, when the vendor says.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Who did it, when the vendor says.
    pub actor: Option<String>,
    /// Uniform or vendor field names that changed, when the vendor says.
    pub changed_fields: Vec<String>,
    /// The ticket as the delivery described it, when it carried the record.
    pub snapshot: Option<Box<Ticket>>,
    /// The delivery's JSON (for batched deliveries, this event's element).
    pub raw: RawRecord,
}

impl TicketEvent {
    /// An event; vendor parsers fill the rest.
    pub fn new(vendor: Vendor, kind: TicketEventKind, ticket: Id) -> Self {
        TicketEvent {
            vendor,
            kind,
            ticket,
            delivery_id: None,
            occurred_at: None,
            actor: None,
            changed_fields: Vec::new(),
            snapshot: None,
            raw: RawRecord::default(),
        }
    }
}

/// A webhook delivery as an HTTP server received it: verify it with
/// [`Psa::parse_webhook`](crate::Psa::parse_webhook) before trusting it.
///
/// Its `Debug` output goes into logs, so it shows every header name but
/// not the value of one that may carry a credential — `Authorization`,
/// shared secrets, signatures, keys (see
/// [`is_sensitive_delivery_header`]) — and only the size of the body,
/// which may quote a secret or a customer's data.
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use psa_core::WebhookDelivery;
/// let mut h = HeaderMap::new();
/// h.insert("authorization", HeaderValue::from_static("Basic aGFsbzpzM2NyZXQ="));
/// h.insert("x-hook-signature", HeaderValue::from_static("sha1=0b9c2625dc21ef05f6ad4ddf47c5f203837aa32c"));
/// h.insert("content-type", HeaderValue::from_static("application/json"));
/// let d = WebhookDelivery::new(h, r#"{"id":1,"secret":"s3cret"}"#);
/// let shown = format!("{d:?}");
/// assert!(!shown.contains("aGFsbzpzM2NyZXQ") && !shown.contains("0b9c2625") && !shown.contains("s3cret"));
/// assert!(shown.contains("application/json") && shown.contains("26 bytes"), "{shown}");
/// ```
#[derive(Clone)]
pub struct WebhookDelivery {
    /// The request headers (the signature or shared secret is in them).
    pub headers: HeaderMap,
    /// The raw body, byte for byte as received: signatures cover these bytes.
    pub body: Bytes,
}

/// Whether a webhook delivery header may carry a credential and must not
/// be shown: what [`is_sensitive_header`](crate::error::is_sensitive_header)
/// says, and any name with `auth`, `sig` (signatures), `key`, `hmac` or
/// `hash` in it — receivers configure their own secret header names
/// (ServiceNow's is the caller's choice).
pub fn is_sensitive_delivery_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    crate::error::is_sensitive_header(&lower)
        || ["auth", "sig", "key", "hmac", "hash"]
            .iter()
            .any(|s| lower.contains(s))
}

impl fmt::Debug for WebhookDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a HeaderMap);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut m = f.debug_map();
                for (name, value) in self.0 {
                    if value.is_sensitive() || is_sensitive_delivery_header(name.as_str()) {
                        m.entry(&name.as_str(), &"[redacted]");
                    } else {
                        m.entry(&name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
                    }
                }
                m.finish()
            }
        }
        f.debug_struct("WebhookDelivery")
            .field("headers", &Headers(&self.headers))
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

impl WebhookDelivery {
    /// A delivery.
    pub fn new(headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        WebhookDelivery {
            headers,
            body: body.into(),
        }
    }

    /// Decodes the body as JSON, or a [`Webhook`](crate::ErrorKind::Webhook)
    /// error naming the failing field.
    pub fn json<T: serde::de::DeserializeOwned>(&self, vendor: Vendor) -> Result<T> {
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            Error::new(
                crate::ErrorKind::Webhook,
                format!("delivery body is not the expected JSON at `{path}`: {inner}"),
            )
            .with_vendor(vendor)
            .with_source(inner)
        })
    }
}

/// A webhook subscription to register.
///
/// `secret` is what the receiver checks: the shared secret the vendor sends
/// in a header (HaloPSA, ServiceNow) or the key it signs deliveries with
/// (Autotask). It is never serialised, logged or shown in a plan.
#[derive(Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewWebhook {
    /// A name for the subscription.
    pub name: String,
    /// Where the vendor posts deliveries (https).
    pub url: Url,
    /// Events to receive; empty means every ticket event the vendor offers.
    pub events: Vec<TicketEventKind>,
    /// The shared secret / signing key.
    #[serde(skip)]
    pub secret: Option<SecretString>,
}

impl NewWebhook {
    /// A subscription named `name` posting to `url`.
    pub fn new(name: impl Into<String>, url: Url) -> Self {
        NewWebhook {
            name: name.into(),
            url,
            events: Vec::new(),
            secret: None,
        }
    }
    /// Adds an event.
    #[must_use]
    pub fn event(mut self, kind: TicketEventKind) -> Self {
        self.events.push(kind);
        self
    }
    /// Sets the shared secret / signing key.
    #[must_use]
    pub fn secret(mut self, secret: SecretString) -> Self {
        self.secret = Some(secret);
        self
    }

    /// Rejects a non-https URL (loopback http excepted, for tests) and a blank name.
    pub fn validate(&self) -> Result<()> {
        crate::input::line("webhook name", &self.name, 255)?;
        let loopback = match self.url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d == "localhost",
            None => false,
        };
        if self.url.scheme() != "https" && !(self.url.scheme() == "http" && loopback) {
            return Err(Error::invalid_input("webhook URL must be https"));
        }
        if !self.url.username().is_empty() || self.url.password().is_some() {
            return Err(Error::invalid_input(
                "webhook URL must not carry credentials",
            ));
        }
        Ok(())
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec!["url".to_owned(), "events".to_owned(), "name".to_owned()];
        if self.secret.is_some() {
            f.push("secret".to_owned());
        }
        f
    }
}

impl fmt::Debug for NewWebhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewWebhook")
            .field("name", &self.name)
            .field("url", &url_without_query(&self.url))
            .field("events", &self.events)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// The URL with its query replaced by `[redacted]`: a receiver URL may carry
/// a token in its query, and `Debug` output ends up in logs.
fn url_without_query(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let mut s = String::from(shown.as_str());
    if url.query().is_some() {
        s.push_str("?[redacted]");
    }
    s
}

impl PartialEq for NewWebhook {
    fn eq(&self, other: &Self) -> bool {
        use secrecy::ExposeSecret;
        self.name == other.name
            && self.url == other.url
            && self.events == other.events
            && self.secret.as_ref().map(ExposeSecret::expose_secret)
                == other.secret.as_ref().map(ExposeSecret::expose_secret)
    }
}

/// A registered webhook subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookSubscription {
    /// Id (a GUID on HaloPSA, an integer elsewhere).
    pub id: Id,
    /// Name.
    pub name: Option<String>,
    /// Delivery URL.
    pub url: Option<String>,
    /// Events delivered.
    pub events: Vec<TicketEventKind>,
    /// Whether active.
    pub active: Option<bool>,
    /// The vendor's record (secrets the vendor echoes are removed).
    pub raw: RawRecord,
}

impl WebhookSubscription {
    /// A subscription; vendor mappings fill the rest.
    pub fn new(id: Id) -> Self {
        WebhookSubscription {
            id,
            name: None,
            url: None,
            events: Vec::new(),
            active: None,
            raw: RawRecord::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    /// Issue 11: the derived `Debug` printed `Authorization`, the shared
    /// secret, the signature and the whole body.
    #[test]
    fn a_delivery_debug_shows_no_credential_and_no_body() {
        use http::HeaderValue;
        let canaries = [
            ("authorization", "Basic Q0FOQVJZLUFVVEgtMQ=="),
            ("x-psa-webhook-secret", "CANARY-SECRET-2"),
            ("x-hook-signature", "CANARY-SIG-3"),
            ("x-content-signature", "CANARY-SIG-4"),
            ("x-hub-signature-256", "sha256=CANARY-SIG-5"),
            ("x-shared-key", "CANARY-KEY-6"),
            ("x-api-key", "CANARY-KEY-7"),
            ("cookie", "session=CANARY-COOKIE-8"),
            ("x-my-auth", "CANARY-AUTH-9"),
        ];
        let mut h = HeaderMap::new();
        for (name, value) in canaries {
            h.insert(name, HeaderValue::from_static(value));
        }
        h.insert("x-request-id", HeaderValue::from_static("req-42"));
        let body = format!(
            r#"{{"note":"{}","token":"CANARY-BODY-10"}}"#,
            "x".repeat(5000)
        );
        let d = WebhookDelivery::new(h, body.clone());
        for shown in [format!("{d:?}"), format!("{d:#?}")] {
            assert!(!shown.contains("CANARY"), "{shown}");
            assert!(!shown.contains("Q0FOQVJZ"), "{shown}");
            assert!(
                shown.contains("req-42") && shown.contains("x-hub-signature-256"),
                "{shown}"
            );
            assert!(shown.contains(&format!("{} bytes", body.len())), "{shown}");
            assert!(shown.len() < 1_000, "{shown}");
        }
    }

    #[test]
    fn debug_hides_the_secret_and_the_url_query() {
        let url = Url::parse("https://hooks.example.com/psa?token=CANARY-TOKEN-123").unwrap();
        let hook = NewWebhook::new("tickets", url).secret(SecretString::from("CANARY-SECRET-456"));
        let shown = format!("{hook:?}");
        assert!(!shown.contains("CANARY-TOKEN-123"), "{shown}");
        assert!(!shown.contains("CANARY-SECRET-456"), "{shown}");
        assert!(
            shown.contains("https://hooks.example.com/psa?[redacted]"),
            "{shown}"
        );
    }
}
