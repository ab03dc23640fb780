//! ConnectWise credentials never show in TRACE logs: not the API key's
//! private half, not the `Authorization` value built from it, not a member
//! token (`act_as_member`), not a callback signing key — for refused
//! credentials and for a working session that reads, writes, renews a
//! member token and verifies a signed callback.
//!
//! Alone in its test binary: it installs the process-wide tracing
//! subscriber (with the `log` bridge, so reqwest's and hyper's own records
//! are captured too).
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use futures::TryStreamExt;
use psa_connectwise::auth::Credentials;
use psa_connectwise::mock::{CLIENT_ID, COMPANY_ID, PRIVATE_KEY, PUBLIC_KEY, SIGNING_KEY};
use psa_connectwise::{Client, ConnectWiseMock};
use psa_core::testing::{CapturedLogs, assert_free_of};
use psa_core::{Id, NewNote, Psa, TicketQuery};
use secrecy::SecretString;

const CANARY_PRIVATE: &str = "CANARY-cw-private-5c1a";

fn basic(user: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_never_appear_in_trace_logs() {
    let logs = CapturedLogs::new();
    logs.install_global()
        .expect("the only subscriber of this test binary");
    let mock = ConnectWiseMock::start().await;

    // Refused credentials: ConnectWise's 401 travels through the logs.
    let wrong = Client::builder()
        .credentials(
            Credentials::new(
                COMPANY_ID,
                SecretString::from(PUBLIC_KEY),
                SecretString::from(CANARY_PRIVATE),
                SecretString::from(CLIENT_ID),
            )
            .unwrap(),
        )
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let err = wrong.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");

    // A working session: reads, a paged listing, a write.
    let good = mock.client();
    good.get_ticket(&Id::from(1001)).await.unwrap();
    let open: Vec<_> = good
        .list_tickets(TicketQuery::open().limit(3))
        .try_collect()
        .await
        .unwrap();
    good.add_note(&open[0].id, NewNote::internal("checked the logs"))
        .await
        .unwrap();

    // Acting as a member: a member token is issued, revoked, and renewed.
    let member = mock.client_builder().act_as_member("jdoe").build().unwrap();
    member
        .add_note(&Id::from(1001), NewNote::internal("as a member"))
        .await
        .unwrap();
    mock.revoke_member_tokens();
    member
        .add_note(&Id::from(1001), NewNote::internal("after renewal"))
        .await
        .unwrap();
    assert!(mock.token_requests() >= 2, "the member token was renewed");

    // A signed callback: the signing key is fetched from its key URL.
    good.parse_webhook(&mock.signed_delivery("updated", 1001))
        .await
        .unwrap();
    assert_eq!(mock.key_requests(), 1);

    let text = logs.text();
    // The capture really ran at TRACE and saw the requests.
    assert!(text.contains("psa.request"), "requests not logged:\n{text}");
    assert!(text.contains("TRACE") || text.contains("DEBUG"));
    // The `Authorization: Basic` values: the API key's, and the prefix every
    // member token's shares (`northwind+tmpPu` is 15 bytes, so its base64
    // does not depend on what follows).
    let api_key = basic(&format!("{COMPANY_ID}+{PUBLIC_KEY}"), PRIVATE_KEY);
    let canary_key = basic(&format!("{COMPANY_ID}+{PUBLIC_KEY}"), CANARY_PRIVATE);
    let member_prefix =
        base64::engine::general_purpose::STANDARD.encode(format!("{COMPANY_ID}+tmpPu"));
    assert_eq!(format!("{COMPANY_ID}+tmpPu").len() % 3, 0);
    assert_free_of(
        "TRACE logs",
        &text,
        &[
            PRIVATE_KEY,
            CANARY_PRIVATE,
            &api_key,
            &canary_key,
            &member_prefix,
            "tmpPriv",
            SIGNING_KEY,
        ],
    );
    assert_free_of(
        "the refused call's error",
        &format!("{err} {err:?} {:?} {:?}", err.raw_body(), err.headers()),
        &[CANARY_PRIVATE, &canary_key],
    );
}
