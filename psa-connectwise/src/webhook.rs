//! Callbacks (ConnectWise's webhooks): registration bodies, delivery
//! verification and parsing into [`TicketEvent`]s.
//!
//! ## What a delivery looks like
//!
//! ConnectWise `POST`s JSON to the callback's `url`:
//!
//! ```json
//! {"MessageId": "…", "FromUrl": "…", "CompanyId": "acme", "MemberId": "jdoe",
//!  "Action": "updated", "Type": "ticket", "ID": 1234,
//!  "Entity": "{\"id\":1234,\"summary\":\"…\"}",
//!  "Metadata": {"key_url": "https://api-na.myconnectwise.net/…"},
//!  "CallbackObjectRecId": 1, "ProductInstanceId": "…", "PartnerId": "…"}
//! ```
//!
//! with the header `x-content-signature`. `Entity` is the record as a
//! *JSON-encoded string* (`null` for deletions); some senders embed the object
//! itself, and both are accepted.
//!
//! ## How it is verified
//!
//! 1. The signature header must be present and base64 of 32 bytes, or the
//!    delivery is rejected before anything else happens.
//! 2. `Metadata.key_url` is checked against the [`KeyUrlPolicy`] **before any
//!    request**: `https` only, no user-info, no IP literal, no port other
//!    than 443, and the host must be one of the allowed ConnectWise hosts
//!    (default: ConnectWise's cloud API and UI hosts and the client's own
//!    site). Anything else is rejected (SSRF: a forged delivery must not make
//!    the SDK fetch an attacker's URL).
//! 3. The signing key is fetched from that URL (`{"signing_key": "…"}`) and
//!    cached by URL for a TTL.
//! 4. `expected = base64(HMAC-SHA256(key = SHA-256(signing_key), raw body))`
//!    is compared in constant time with the header. A mismatch with a cached
//!    key refetches the key once (ConnectWise may rotate it) and checks again.
//!
//! A delivery that fails any step is a [`Webhook`](psa_core::ErrorKind::Webhook)
//! error and yields no event.
//!
//! Sources: the signing scheme and payload envelope are those implemented
//! by NangoHQ's ConnectWise PSA webhook route (`x-content-signature`,
//! `Metadata.key_url`, `signing_key`, SHA-256 of the key as the HMAC key,
//! base64), which cites ConnectWise's developer guide ("Verifying the
//! Callback Source"); `Type`/`Action`/`ID`/`Entity` as a JSON string are
//! also what KerkhoffTechnologies/django-connectwise's callback view reads.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use psa_core::{
    Error, ErrorKind, Id, Result, TicketEvent, TicketEventKind, Vendor, WebhookDelivery,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;
use url::{Host, Url};

use crate::mapping;
use crate::models::{Extra, Ticket};

/// The header carrying a delivery's signature.
pub const SIGNATURE_HEADER: &str = "x-content-signature";

/// ConnectWise's cloud hosts that may serve callback signing keys: the API
/// hosts and the UI hosts of each region, and the sandboxes.
pub const CLOUD_HOSTS: &[&str] = &[
    "api-na.myconnectwise.net",
    "api-eu.myconnectwise.net",
    "api-au.myconnectwise.net",
    "api-za.myconnectwise.net",
    "na.myconnectwise.net",
    "eu.myconnectwise.net",
    "au.myconnectwise.net",
    "za.myconnectwise.net",
    "aus.myconnectwise.net",
    "sandbox-na.myconnectwise.net",
    "sandbox-eu.myconnectwise.net",
    "sandbox-au.myconnectwise.net",
    "api-staging.connectwisedev.com",
];

/// How long a fetched signing key is reused by default.
pub const DEFAULT_KEY_TTL: Duration = Duration::from_secs(15 * 60);

/// The JSON a callback delivers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallbackPayload {
    /// The delivery's id.
    #[serde(rename = "MessageId", default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The site that sent it.
    #[serde(rename = "FromUrl", default, skip_serializing_if = "Option::is_none")]
    pub from_url: Option<String>,
    /// The ConnectWise company id.
    #[serde(rename = "CompanyId", default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// The member who made the change.
    #[serde(rename = "MemberId", default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    /// `added`, `updated` or `deleted`.
    #[serde(rename = "Action", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The record kind (`ticket`, `company` …).
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// The record's id.
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The record: a JSON-encoded string, an object, or `null`.
    #[serde(rename = "Entity", default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<Value>,
    /// Verification metadata.
    #[serde(rename = "Metadata", default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<CallbackMetadata>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CallbackPayload {
    /// The entity decoded as a ticket, when the delivery carries one.
    pub fn ticket(&self) -> Option<Ticket> {
        match self.entity.as_ref()? {
            Value::String(s) if !s.trim().is_empty() => serde_json::from_str(s).ok(),
            v @ Value::Object(_) => serde_json::from_value(v.clone()).ok(),
            _ => None,
        }
    }
}

/// `Metadata` of a delivery.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallbackMetadata {
    /// Where the signing key is fetched from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_url: Option<String>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of a key URL.
#[derive(Deserialize)]
pub(crate) struct SigningKeyResponse {
    pub(crate) signing_key: String,
}

/// Which key URLs may be fetched.
///
/// A URL passes when it is `https`, has no user-info, no fragment, no port
/// other than 443, a host name (not an IP literal) that is one of
/// [`hosts`](Self::hosts) (exact, case-insensitive) — or when its origin is
/// exactly the client's own site (which may be loopback `http` for tests,
/// as the base URL rules allow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUrlPolicy {
    hosts: BTreeSet<String>,
    own_origin: Option<url::Origin>,
}

impl Default for KeyUrlPolicy {
    fn default() -> Self {
        KeyUrlPolicy::cloud()
    }
}

impl KeyUrlPolicy {
    /// ConnectWise's cloud hosts ([`CLOUD_HOSTS`]).
    pub fn cloud() -> Self {
        KeyUrlPolicy {
            hosts: CLOUD_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            own_origin: None,
        }
    }

    /// No host at all (add the ones you trust).
    pub fn none() -> Self {
        KeyUrlPolicy {
            hosts: BTreeSet::new(),
            own_origin: None,
        }
    }

    /// Also trusts `host` (an on-premises site's host name).
    ///
    /// Rejects IP literals and anything that is not a plain host name.
    pub fn allow_host(mut self, host: &str) -> Result<Self> {
        let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
        let parsed = Host::parse(&h).map_err(|_| {
            Error::config(format!("{host:?} is not a host name")).with_vendor(Vendor::ConnectWise)
        })?;
        match parsed {
            Host::Domain(d) if d == h && !d.is_empty() => {
                self.hosts.insert(d);
                Ok(self)
            }
            _ => Err(Error::config(format!(
                "callback key host {host:?} must be a host name, not an IP address"
            ))
            .with_vendor(Vendor::ConnectWise)),
        }
    }

    /// Trusts the client's own site: its exact origin.
    #[must_use]
    pub fn with_own_site(mut self, base: &Url) -> Self {
        self.own_origin = Some(base.origin());
        self
    }

    /// The trusted host names.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        self.hosts.iter().map(String::as_str)
    }

    /// Checks a key URL; the error says why it is refused. No request is
    /// made by this check.
    pub fn check(&self, raw: &str) -> Result<Url> {
        let refuse = |why: &str| {
            Error::new(
                ErrorKind::Webhook,
                format!("callback key URL refused: {why}"),
            )
            .with_vendor(Vendor::ConnectWise)
        };
        let url = Url::parse(raw).map_err(|_| refuse("not a URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("it carries user-info"));
        }
        if url.fragment().is_some() {
            return Err(refuse("it has a fragment"));
        }
        if self.own_origin.as_ref() == Some(&url.origin()) {
            check_key_path(&url).map_err(refuse)?;
            return Ok(url);
        }
        if url.scheme() != "https" {
            return Err(refuse("it is not https"));
        }
        let host = match url.host() {
            Some(Host::Domain(d)) => d.to_ascii_lowercase(),
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => return Err(refuse("it is an IP address")),
            None => return Err(refuse("it has no host")),
        };
        if url.port().is_some_and(|p| p != 443) {
            return Err(refuse("it names a port"));
        }
        if !self.hosts.contains(host.trim_end_matches('.')) {
            return Err(refuse(&format!(
                "{host} is not an allowed ConnectWise host"
            )));
        }
        check_key_path(&url).map_err(refuse)?;
        Ok(url)
    }
}

/// The longest key-URL path (and query) accepted.
const MAX_KEY_PATH: usize = 256;

/// The shape of a signing-key URL's path: plain segments (no
/// percent-encoding, no `.` / `..` or empty segment, no `;` or `\`), one of
/// them naming a key (`…/callbackkeys/{id}`, `…/callback/key?id=…`), at most
/// [`MAX_KEY_PATH`] characters, and a query of an `id` only. Anything else
/// on an allowed host is not a key endpoint, so it is never fetched.
fn check_key_path(url: &Url) -> std::result::Result<(), &'static str> {
    let path = url.path();
    let query = url.query().unwrap_or_default();
    if path.len() + query.len() > MAX_KEY_PATH {
        return Err("its path is too long for a key URL");
    }
    if path.contains(['%', ';', '\\']) || query.contains(['%', ';', '\\']) {
        return Err("its path is encoded or has parameters");
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || s.chars().all(|c| c == '.'))
    {
        return Err("its path has an empty or dot segment");
    }
    if !segments
        .iter()
        .any(|s| s.to_ascii_lowercase().contains("key"))
    {
        return Err("its path does not name a signing key");
    }
    if !query.is_empty()
        && !url.query_pairs().all(|(k, v)| {
            k == "id"
                && !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
    {
        return Err("its query is not a key id");
    }
    Ok(())
}

struct CachedKey {
    key: SecretString,
    fetched: Instant,
}

/// Verifies deliveries: the key-URL policy and the signing-key cache.
pub struct CallbackVerifier {
    policy: KeyUrlPolicy,
    ttl: Duration,
    cache: Mutex<HashMap<String, CachedKey>>,
}

impl fmt::Debug for CallbackVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.lock().map_or(0, |c| c.len());
        f.debug_struct("CallbackVerifier")
            .field("policy", &self.policy)
            .field("ttl", &self.ttl)
            .field("cached_keys", &cached)
            .finish()
    }
}

impl CallbackVerifier {
    /// A verifier with a policy and a key TTL.
    pub fn new(policy: KeyUrlPolicy, ttl: Duration) -> Self {
        CallbackVerifier {
            policy,
            ttl,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &KeyUrlPolicy {
        &self.policy
    }

    /// Verifies a delivery and returns its payload.
    ///
    /// `fetch` gets a checked key URL and returns the signing key; it is only
    /// called for URLs the policy allows and when no fresh key is cached.
    pub async fn verify<F, Fut>(
        &self,
        delivery: &WebhookDelivery,
        fetch: F,
    ) -> Result<CallbackPayload>
    where
        F: Fn(Url) -> Fut,
        Fut: Future<Output = Result<SecretString>>,
    {
        if delivery.body.len() > MAX_DELIVERY_BYTES {
            return Err(webhook_error(
                "delivery is larger than a ConnectWise callback can be; refused unread",
            ));
        }
        let signature = header_signature(delivery)?;
        let payload: CallbackPayload = delivery.json(Vendor::ConnectWise)?;
        let raw_url = payload
            .metadata
            .as_ref()
            .and_then(|m| m.key_url.as_deref())
            .ok_or_else(|| webhook_error("delivery has no Metadata.key_url"))?;
        let url = self.policy.check(raw_url)?;
        let cache_key = url.as_str().to_owned();

        let (key, stale) = match self.cached(&cache_key) {
            Some((k, age)) => (k, age >= MIN_KEY_REFRESH.min(self.ttl)),
            None => (self.fetch_and_cache(&url, &cache_key, &fetch).await?, false),
        };
        if signature_matches(&key, &delivery.body, &signature) {
            return Ok(payload);
        }
        // A mismatch refetches a key cached for a while (the site may have
        // rotated it), never one just fetched: forged deliveries naming one
        // key cost one fetch per MIN_KEY_REFRESH at most.
        if stale {
            let fresh = self.fetch_and_cache(&url, &cache_key, &fetch).await?;
            if signature_matches(&fresh, &delivery.body, &signature) {
                return Ok(payload);
            }
        }
        Err(webhook_error(
            "x-content-signature does not match the body signed with the site's key",
        ))
    }

    fn cached(&self, url: &str) -> Option<(SecretString, Duration)> {
        let cache = self.cache.lock().ok()?;
        cache
            .get(url)
            .filter(|c| c.fetched.elapsed() < self.ttl)
            .map(|c| (c.key.clone(), c.fetched.elapsed()))
    }

    async fn fetch_and_cache<F, Fut>(
        &self,
        url: &Url,
        cache_key: &str,
        fetch: &F,
    ) -> Result<SecretString>
    where
        F: Fn(Url) -> Fut,
        Fut: Future<Output = Result<SecretString>>,
    {
        let key = fetch(url.clone()).await.map_err(|e| {
            Error::new(
                ErrorKind::Webhook,
                "could not fetch the callback signing key",
            )
            .with_vendor(Vendor::ConnectWise)
            .with_source(e)
        })?;
        if key.expose_secret().is_empty() {
            return Err(webhook_error("the callback signing key is empty"));
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|_, c| c.fetched.elapsed() < self.ttl);
            cache.insert(
                cache_key.to_owned(),
                CachedKey {
                    key: key.clone(),
                    fetched: Instant::now(),
                },
            );
        }
        Ok(key)
    }
}

/// The largest delivery body accepted: a callback carries one record (a
/// ticket's JSON is a few kilobytes), so anything larger is refused before
/// it is parsed.
pub const MAX_DELIVERY_BYTES: usize = 512 * 1024;

/// How long a cached signing key is trusted before a signature mismatch
/// may refetch it.
const MIN_KEY_REFRESH: Duration = Duration::from_secs(60);

fn webhook_error(msg: &'static str) -> Error {
    Error::new(ErrorKind::Webhook, msg).with_vendor(Vendor::ConnectWise)
}

fn header_signature(delivery: &WebhookDelivery) -> Result<Vec<u8>> {
    let value = delivery
        .headers
        .get(SIGNATURE_HEADER)
        .ok_or_else(|| webhook_error("delivery has no x-content-signature header"))?;
    let text = value
        .to_str()
        .map_err(|_| webhook_error("x-content-signature is not text"))?;
    let bytes = BASE64
        .decode(text.trim())
        .map_err(|_| webhook_error("x-content-signature is not base64"))?;
    if bytes.len() != 32 {
        return Err(webhook_error(
            "x-content-signature is not an HMAC-SHA256 signature",
        ));
    }
    Ok(bytes)
}

fn mac_for(signing_key: &SecretString, body: &[u8]) -> Option<[u8; 32]> {
    let key = Sha256::digest(signing_key.expose_secret().as_bytes());
    // HMAC accepts keys of any length: this never fails.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).ok()?;
    mac.update(body);
    Some(mac.finalize().into_bytes().into())
}

fn signature_matches(signing_key: &SecretString, body: &[u8], signature: &[u8]) -> bool {
    mac_for(signing_key, body).is_some_and(|mac| bool::from(mac.ct_eq(signature)))
}

/// The `x-content-signature` ConnectWise sends for `body` signed with
/// `signing_key`: `base64(HMAC-SHA256(SHA-256(signing_key), body))`.
///
/// ```
/// use psa_connectwise::webhook::sign;
/// use secrecy::SecretString;
/// let sig = sign(&SecretString::from("abc"), br#"{"ID":1}"#);
/// assert_eq!(sig.len(), 44);
/// ```
pub fn sign(signing_key: &SecretString, body: &[u8]) -> String {
    mac_for(signing_key, body)
        .map(|mac| BASE64.encode(mac))
        .unwrap_or_default()
}

/// Turns a verified payload into ticket events: one for a ticket callback,
/// none for other record kinds.
pub fn events(payload: &CallbackPayload, raw: Value) -> Result<Vec<TicketEvent>> {
    if !payload
        .record_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("ticket"))
    {
        return Ok(Vec::new());
    }
    let id = payload
        .id
        .filter(|id| *id > 0)
        .ok_or_else(|| webhook_error("ticket callback has no positive ID"))?;
    let kind = match payload
        .action
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("added") => TicketEventKind::Created,
        Some("updated") => TicketEventKind::Updated,
        Some("deleted") => TicketEventKind::Deleted,
        Some(other) => TicketEventKind::Other(other.to_owned()),
        None => return Err(webhook_error("ticket callback has no Action")),
    };
    let mut event = TicketEvent::new(Vendor::ConnectWise, kind, Id::from(id));
    event.delivery_id.clone_from(&payload.message_id);
    event.actor = payload.member_id.clone().filter(|m| !m.is_empty());
    if let Some(ticket) = payload.ticket() {
        event.occurred_at = ticket
            .info
            .as_ref()
            .and_then(crate::models::Info::last_updated);
        if let Ok(t) = mapping::ticket(&ticket) {
            event.snapshot = Some(Box::new(t));
        }
    }
    event.raw = raw.into();
    Ok(vec![event])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(v: Value) -> CallbackPayload {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn ticket_callbacks_become_events() {
        let p = payload(
            json!({"Type": "ticket", "Action": "added", "ID": 7, "MessageId": "m1",
            "Entity": {"id": 7, "summary": "New one", "_info": {"lastUpdated": "2026-03-01T10:00:00Z"}}}),
        );
        let e = events(&p, json!({})).unwrap();
        assert_eq!(e[0].kind, TicketEventKind::Created);
        assert_eq!(e[0].delivery_id.as_deref(), Some("m1"));
        assert_eq!(e[0].snapshot.as_ref().unwrap().summary, "New one");
        assert!(e[0].occurred_at.is_some());
        let other =
            payload(json!({"Type": "ticket", "Action": "escalated", "ID": 7, "Entity": null}));
        assert_eq!(
            events(&other, json!({})).unwrap()[0].kind,
            TicketEventKind::Other("escalated".into())
        );
    }

    #[test]
    fn other_records_yield_no_event_and_bad_ones_fail() {
        let company = payload(json!({"Type": "company", "Action": "updated", "ID": 10}));
        assert!(events(&company, json!({})).unwrap().is_empty());
        let no_id = payload(json!({"Type": "ticket", "Action": "updated"}));
        assert!(events(&no_id, json!({})).unwrap_err().is_webhook());
        let garbled =
            payload(json!({"Type": "ticket", "Action": "updated", "ID": 3, "Entity": "{not json"}));
        let e = events(&garbled, json!({})).unwrap();
        assert!(
            e[0].snapshot.is_none(),
            "an undecodable entity is not a snapshot"
        );
    }

    #[test]
    fn signature_is_hmac_of_the_sha256_of_the_key() {
        // independently: key = SHA-256("abc"), HMAC-SHA256 over the body, base64
        let key = Sha256::digest(b"abc");
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
        mac.update(b"{\"ID\":1}");
        let expected = BASE64.encode(mac.finalize().into_bytes());
        assert_eq!(sign(&SecretString::from("abc"), b"{\"ID\":1}"), expected);
        let bytes = BASE64.decode(&expected).unwrap();
        assert!(signature_matches(
            &SecretString::from("abc"),
            b"{\"ID\":1}",
            &bytes
        ));
        assert!(!signature_matches(
            &SecretString::from("abd"),
            b"{\"ID\":1}",
            &bytes
        ));
    }
}
