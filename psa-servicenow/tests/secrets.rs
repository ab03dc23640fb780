//! No secret ever shows: not in `Debug` of a builder or a client, not in
//! any error (message, `Debug`, raw body, headers), not in the logs at TRACE
//! level — neither a refused canary secret, nor the simulator's working
//! client secret and password, nor the access and refresh tokens it issues,
//! nor the webhook secret.
//!
//! Alone in its test binary: it installs the process-wide tracing
//! subscriber (with the `log` bridge, so reqwest's and hyper's own records
//! are captured too).

// Helpers outside #[test] functions unwrap fixed test data, as the tests do
// (clippy.toml allows unwrap in tests but not in their helpers).
#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use psa_core::testing::{CapturedLogs, assert_free_of};
use psa_core::{Id, NewNote, Psa, TicketQuery, WebhookDelivery};
use psa_servicenow::mock::{ServiceNowMock, seed};
use psa_servicenow::{Auth, Client};
use secrecy::SecretString;

const CANARY_SECRET: &str = "canary-sn-client-secret-71d0c2";
const CANARY_PASSWORD: &str = "canary-sn-password-a83e5f";
const CANARY_WEBHOOK: &str = "canary-sn-webhook-secret-4b9d16";

fn assert_clean(what: &str, text: &str) {
    assert_free_of(
        what,
        text,
        &[
            CANARY_SECRET,
            CANARY_PASSWORD,
            CANARY_WEBHOOK,
            seed::CLIENT_SECRET,
            seed::INTEGRATION_PASSWORD,
            // The simulator's tokens are `mockAccess<n><sys_id>` and
            // `mockRefresh<n><sys_id>`.
            "mockAccess",
            "mockRefresh",
        ],
    );
}

fn error_text(e: &psa_core::Error) -> String {
    format!(
        "{e} {e:?} {:?} {:?} {:?}",
        e.raw_body(),
        e.api_body(),
        e.headers()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_appear_in_debug_errors_or_trace_logs() {
    let logs = CapturedLogs::new();
    logs.install_global()
        .expect("the only subscriber of this test binary");

    let mock = ServiceNowMock::start().await;

    // Builders and clients holding the canaries.
    let builders = [
        Client::builder()
            .base_url(mock.uri())
            .auth(Auth::client_credentials(
                seed::CLIENT_ID,
                SecretString::from(CANARY_SECRET),
            )),
        Client::builder().base_url(mock.uri()).auth(Auth::password(
            seed::CLIENT_ID,
            SecretString::from(CANARY_SECRET),
            seed::INTEGRATION_USER,
            SecretString::from(CANARY_PASSWORD),
        )),
        Client::builder().base_url(mock.uri()).auth(Auth::basic(
            seed::INTEGRATION_USER,
            SecretString::from(CANARY_PASSWORD),
        )),
    ];
    for b in builders {
        let b = b.webhook_secret(SecretString::from(CANARY_WEBHOOK));
        assert_clean("builder Debug", &format!("{b:?}"));
        let client = b.build().unwrap();
        assert_clean("client Debug", &format!("{client:?} {:?}", client.http()));
        // Refused: the token request (OAuth) or the call (Basic).
        let e = client
            .get_ticket(&Id::text(format!("incident:{}", seed::INC_PRINTER)).unwrap())
            .await
            .unwrap_err();
        assert!(e.is_unauthorized(), "{e}");
        assert_clean("refusal", &error_text(&e));
        // A delivery without the right secret.
        let bad = WebhookDelivery::new(
            http::HeaderMap::new(),
            bytes::Bytes::from_static(br#"{"table":"incident"}"#),
        );
        let e = client.parse_webhook(&bad).await.unwrap_err();
        assert!(e.is_webhook(), "{e}");
        assert_clean("webhook refusal", &error_text(&e));
    }

    // Working credentials through a session each: tokens, reads, a journal
    // write, a renewal after a 401 (and a refresh-token grant), a failing
    // call.
    let working = [
        mock.client(),
        Client::builder()
            .base_url(mock.uri())
            .auth(Auth::password(
                seed::CLIENT_ID,
                SecretString::from(seed::CLIENT_SECRET),
                seed::INTEGRATION_USER,
                SecretString::from(seed::INTEGRATION_PASSWORD),
            ))
            .build()
            .unwrap(),
        Client::builder()
            .base_url(mock.uri())
            .auth(Auth::basic(
                seed::INTEGRATION_USER,
                SecretString::from(seed::INTEGRATION_PASSWORD),
            ))
            .build()
            .unwrap(),
    ];
    let printer = Id::text(format!("incident:{}", seed::INC_PRINTER)).unwrap();
    for client in &working {
        assert_clean("client Debug", &format!("{client:?} {:?}", client.http()));
        let open: Vec<_> = client
            .list_tickets(TicketQuery::open().limit(5))
            .try_collect()
            .await
            .unwrap();
        assert!(!open.is_empty());
        client
            .add_note(&printer, NewNote::internal("checked the spooler"))
            .await
            .unwrap();
        mock.expire_tokens();
        client.get_ticket(&printer).await.unwrap();
        let hidden = Id::text(format!("incident:{}", seed::INC_HIDDEN)).unwrap();
        let e = client.get_ticket(&hidden).await.unwrap_err();
        assert!(e.is_not_found(), "{e}");
        assert_clean("not-found error", &error_text(&e));
    }
    assert_eq!(
        mock.token_requests(),
        2 + 2 + 2,
        "two refused grants, then a grant and a renewal per OAuth client"
    );

    let text = logs.text();
    // The capture really is at TRACE and covers the HTTP stack.
    assert!(
        text.contains("psa.request"),
        "no request span captured:\n{text}"
    );
    assert!(text.contains("TRACE"), "nothing captured at TRACE:\n{text}");
    assert_clean("TRACE logs", &text);
}
