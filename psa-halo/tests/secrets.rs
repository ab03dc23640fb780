//! A client secret never shows: not in `Debug` of the builder or the
//! client, not in any error, not in the logs at TRACE level — neither the
//! configured secret, nor a wrong one, nor the access tokens Halo issues.
//!
//! Alone in its test binary: it installs the process-wide tracing
//! subscriber (with the `log` bridge, so reqwest's and hyper's own records
//! are captured too).

use futures::TryStreamExt;
use psa_core::testing::{CapturedLogs, assert_free_of};
use psa_core::{Id, NewNote, Psa, TicketQuery};
use psa_halo::mock::{CLIENT_SECRET, WEBHOOK_PASSWORD};
use psa_halo::{Client, HaloMock, RateLimit};
use secrecy::SecretString;

const CANARY: &str = "canary-halo-secret-5b1e77";

/// The secrets of this test: the canary, the simulator's own client secret
/// (a working secret) and its webhook password.
fn assert_clean(what: &str, text: &str) {
    // The simulator's access tokens are `mock-<n>-<hex>`.
    let tokens: Vec<String> = (1..=20).map(|n| format!("mock-{n}-")).collect();
    let mut secrets = vec![CANARY, CLIENT_SECRET, WEBHOOK_PASSWORD];
    secrets.extend(tokens.iter().map(String::as_str));
    assert_free_of(what, text, &secrets);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_never_appears_in_debug_errors_or_trace_logs() {
    let logs = CapturedLogs::new();
    logs.install_global()
        .expect("the only subscriber of this test binary");

    let mock = HaloMock::start().await;

    // Debug of a builder and a client holding the canary.
    let builder = Client::builder()
        .base_url(mock.base_url())
        .client_id(mock.client_id())
        .client_secret(SecretString::from(CANARY))
        .rate_limit(RateLimit::Disabled);
    assert_clean("builder Debug", &format!("{builder:?}"));
    let wrong = builder.build().unwrap();
    assert_clean("client Debug", &format!("{wrong:?} {:?}", wrong.http()));

    // A refused secret: the error, its Debug, its raw body.
    let err = wrong.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_clean(
        "token error",
        &format!("{err} {err:?} {:?} {:?}", err.raw_body(), err.api_body()),
    );

    // A working secret through a full session: token, reads, a write, a
    // token renewal after a 401, a failing call.
    let good = mock.client();
    assert_clean(
        "simulator client Debug",
        &format!("{good:?} {:?}", mock.client_builder()),
    );
    let open: Vec<_> = good
        .list_tickets(TicketQuery::open().limit(5))
        .try_collect()
        .await
        .unwrap();
    assert!(!open.is_empty());
    good.add_note(&Id::from(1001), NewNote::internal("checked the printer"))
        .await
        .unwrap();
    mock.expire_tokens();
    good.get_ticket(&Id::from(1002)).await.unwrap();
    assert_eq!(
        mock.token_requests(),
        3,
        "one refused, one issued, one renewed"
    );
    let missing = good.get_ticket(&Id::from(999_999)).await.unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
    assert_clean("not-found error", &format!("{missing} {missing:?}"));

    let text = logs.text();
    // The capture really is at TRACE and covers the HTTP stack.
    assert!(
        text.contains("psa.request"),
        "no request span captured:\n{text}"
    );
    assert!(text.contains("TRACE"), "nothing captured at TRACE:\n{text}");
    assert_clean("TRACE logs", &text);
}
