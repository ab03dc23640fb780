//! The bodies of the fuzz targets, shared by `fuzz/` (cargo-fuzz, nightly)
//! and by this crate's `fuzz_smoke` test, which runs them on stable over a
//! few thousand deterministic mutations of the vendors' recorded fixtures on
//! every CI run. Each function must never panic, whatever the bytes.
//!
//! - [`retry_after`]: any bytes as a `Retry-After` header value.
//! - [`decode_ticket`]: any bytes as each vendor's ticket record, then each
//!   vendor's public mapping to the uniform `Ticket`.
//! - [`webhook`]: any bytes as a webhook delivery body, with valid
//!   credentials so that each vendor's body parser is reached.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use psa_core::{Psa, WebhookDelivery};
use secrecy::SecretString;
use serde_json::Value;

/// `Retry-After` parsing: a parsed wait is always within the cap a retry
/// policy honours.
///
/// # Panics
/// When a parsed `Retry-After` makes the policy wait longer than its cap
/// (the property under test).
pub fn retry_after(data: &[u8]) {
    let Ok(value) = HeaderValue::from_bytes(data) else {
        return;
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    if let Some(wait) = psa_core::http::parse_retry_after(&value, now) {
        let policy = psa_core::http::RetryPolicy::default();
        assert!(
            policy.delay(1, Some(wait)) <= policy.max_retry_after(),
            "Retry-After {value:?} exceeded the cap"
        );
    }
}

/// Response decoding: the bytes decode into each vendor's ticket model and
/// map to the uniform `Ticket`, or fail with an error.
pub fn decode_ticket(data: &[u8]) {
    raw_record(data);
    if let Ok(t) = serde_json::from_slice::<psa_halo::Ticket>(data) {
        let _ = serde_json::to_vec(&t);
    }
    if let Ok(t) = serde_json::from_slice::<psa_connectwise::Ticket>(data) {
        let _ = psa_connectwise::mapping::ticket(&t);
    }
    let _ = psa_connectwise::mapping::ticket_record(bytes::Bytes::copy_from_slice(data));
    // ServiceNow's get and list keep the record's text (`ticket_record`;
    // a batched get reads the whole answer, `ticket_of_answer`); writes
    // map a `Value` (`ticket`, below).
    let _ = psa_servicenow::mapping::ticket_of_answer(
        psa_servicenow::TaskTable::Incident,
        &bytes::Bytes::copy_from_slice(data),
        &psa_servicenow::mapping::ChoiceLabels::new(),
    );
    if let Ok(text) = serde_json::from_slice::<Box<serde_json::value::RawValue>>(data) {
        let _ = psa_servicenow::mapping::ticket_record(
            psa_servicenow::TaskTable::Incident,
            text,
            &psa_servicenow::mapping::ChoiceLabels::new(),
        );
    }
    let Ok(raw) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(t) = serde_json::from_value::<psa_autotask::models::Ticket>(raw.clone()) {
        let _ = psa_autotask::mapping::ticket(
            &t,
            raw.clone(),
            &psa_autotask::Picklists::default(),
            &[psa_autotask::picklist::STATUS_COMPLETE],
        );
    }
    let _ = serde_json::from_value::<psa_servicenow::models::Task>(raw.clone());
    let _ = psa_servicenow::mapping::ticket(
        psa_servicenow::TaskTable::Incident,
        raw,
        &psa_servicenow::mapping::ChoiceLabels::new(),
    );
}

/// A [`RawRecord`](psa_core::RawRecord) accepts a body exactly when a
/// `serde_json::Value` does, and reads as that `Value`: the record is kept
/// unparsed, so a body it accepts must never fail (or change) when read.
///
/// Through a head that maps a few fields (nested ones too) and skips the
/// rest, a record may fail the head's types, but one it keeps must read as
/// its `Value` all the same.
///
/// # Panics
/// When the two disagree (the property under test).
pub fn raw_record(data: &[u8]) {
    let kept = psa_core::RawRecord::parse::<serde::de::IgnoredAny>(
        None,
        "record",
        bytes::Bytes::copy_from_slice(data),
    );
    let parsed = serde_json::from_slice::<Value>(data);
    match (kept, &parsed) {
        (Ok((_, raw)), Ok(v)) => assert!(raw.value() == v, "RawRecord read differs"),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("RawRecord kept a body a Value rejects: {e}"),
        (Err(e), Ok(_)) => panic!("RawRecord rejected a body a Value accepts: {e}"),
    }
    let typed =
        psa_core::RawRecord::parse::<Head>(None, "record", bytes::Bytes::copy_from_slice(data));
    match (typed, parsed) {
        (Ok((_, raw)), Ok(v)) => assert!(*raw.value() == v, "RawRecord read differs"),
        (Ok(_), Err(e)) => panic!("RawRecord kept through a head a body a Value rejects: {e}"),
        (Err(_), _) => {}
    }
}

/// A mapping head for [`raw_record`]: the shapes the vendors' heads take
/// (scalars, nested references, lists of them), every field optional.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by the decode only
struct Head {
    id: Option<i64>,
    summary: Option<String>,
    board: Option<Part>,
    status: Option<Part>,
    company: Option<Part>,
    #[serde(rename = "customFields")]
    custom_fields: Option<Vec<Part>>,
    customfields: Option<Vec<Part>>,
    result: Option<Vec<Part>>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Part {
    id: Option<i64>,
    name: Option<String>,
}

const HALO_USER: &str = "halo";
const HALO_PASSWORD: &str = "fuzz-webhook-password";
const SERVICENOW_SECRET: &str = "fuzz-webhook-secret-0123456789";

fn halo() -> &'static psa_halo::Client {
    static CLIENT: OnceLock<psa_halo::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        psa_halo::Client::builder()
            .base_url("https://fuzz.halopsa.com")
            .client_id("fuzz")
            .client_secret(SecretString::from("fuzz-secret"))
            .webhook_auth(psa_halo::WebhookAuth::basic(
                HALO_USER,
                SecretString::from(HALO_PASSWORD),
            ))
            .build()
            .expect("a valid Halo configuration")
    })
}

fn servicenow() -> &'static psa_servicenow::WebhookVerifier {
    static VERIFIER: OnceLock<psa_servicenow::WebhookVerifier> = OnceLock::new();
    VERIFIER
        .get_or_init(|| psa_servicenow::WebhookVerifier::new(SecretString::from(SERVICENOW_SECRET)))
}

/// Webhook parsing: the bytes, delivered with valid credentials, give
/// ticket events or a typed error. (Autotask's and ConnectWise's signatures
/// are checked over the raw bytes before any parsing, so the body parsers
/// are called directly.)
pub fn webhook(data: &[u8]) {
    let _ = futures::executor::block_on(halo().parse_webhook(&halo_delivery(
        HALO_USER,
        HALO_PASSWORD,
        data.to_vec(),
    )));
    let _ = servicenow().parse(&servicenow_delivery(SERVICENOW_SECRET, data.to_vec()));
    if let Ok(d) = psa_autotask::webhook::Delivery::parse(data) {
        let _ = psa_autotask::webhook::ticket_events(&d, &[5]);
    }
    if let Ok(raw) = serde_json::from_slice::<Value>(data) {
        if let Ok(p) =
            serde_json::from_value::<psa_connectwise::webhook::CallbackPayload>(raw.clone())
        {
            let _ = psa_connectwise::webhook::events(&p, raw);
        }
    }
}

/// A HaloPSA delivery as Halo sends it: `body` with Basic credentials
/// (`user`, `password`) and a JSON content type.
fn halo_delivery(user: &str, password: &str, body: impl Into<bytes::Bytes>) -> WebhookDelivery {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let mut headers = http::HeaderMap::new();
    if let Ok(v) = http::HeaderValue::from_str(&format!("Basic {basic}")) {
        headers.insert(http::header::AUTHORIZATION, v);
    }
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    WebhookDelivery::new(headers, body)
}

/// A ServiceNow delivery as the business rule sends it: `body` with the
/// shared-secret header.
fn servicenow_delivery(secret: &'static str, body: impl Into<bytes::Bytes>) -> WebhookDelivery {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "x-psa-webhook-secret",
        http::HeaderValue::from_static(secret),
    );
    WebhookDelivery::new(headers, body)
}
