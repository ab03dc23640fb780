//! Webhook parsing: any body, delivered with valid credentials, gives ticket
//! events or a `Webhook`/`Decode` error — never a panic. Each vendor's
//! verification is satisfied so that the fuzzer reaches the body parsers
//! (Autotask's and ConnectWise's signatures are checked separately, over
//! the raw bytes, before any parsing).
#![no_main]

use std::sync::OnceLock;

use base64::Engine as _;
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use psa_core::{Psa, WebhookDelivery};
use secrecy::SecretString;

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
    VERIFIER.get_or_init(|| {
        psa_servicenow::WebhookVerifier::new(SecretString::from(SERVICENOW_SECRET))
    })
}

fn halo_delivery(body: &[u8]) -> WebhookDelivery {
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{HALO_USER}:{HALO_PASSWORD}"));
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!("Basic {basic}")) {
        headers.insert(http::header::AUTHORIZATION, v);
    }
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    WebhookDelivery::new(headers, body.to_vec())
}

fn servicenow_delivery(body: &[u8]) -> WebhookDelivery {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-psa-webhook-secret",
        HeaderValue::from_static(SERVICENOW_SECRET),
    );
    WebhookDelivery::new(headers, body.to_vec())
}

fuzz_target!(|data: &[u8]| {
    let _ = futures::executor::block_on(halo().parse_webhook(&halo_delivery(data)));
    let _ = servicenow().parse(&servicenow_delivery(data));
    if let Ok(d) = psa_autotask::webhook::Delivery::parse(data) {
        let _ = psa_autotask::webhook::ticket_events(&d, &[5]);
    }
    if let Ok(raw) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(p) =
            serde_json::from_value::<psa_connectwise::webhook::CallbackPayload>(raw.clone())
        {
            let _ = psa_connectwise::webhook::events(&p, raw);
        }
    }
});
