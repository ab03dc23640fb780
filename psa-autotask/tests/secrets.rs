//! Autotask credentials never show in TRACE logs: not the API user's
//! secret, not the integration code, not the webhook key, neither for a
//! working session nor for refused credentials.
//!
//! Alone in its test binary: it installs the process-wide tracing
//! subscriber (with the `log` bridge, so reqwest's and hyper's own records
//! are captured too).

use futures::TryStreamExt;
use psa_autotask::mock::{self, AutotaskMock};
use psa_core::testing::{CapturedLogs, assert_free_of};
use psa_core::{Id, NewNote, Psa, TicketQuery};
use secrecy::SecretString;

const CANARY_SECRET: &str = "CANARY-at-secret-41d0";
const CANARY_CODE: &str = "CANARY-at-code-8e2f";

fn assert_clean(what: &str, text: &str) {
    assert_free_of(
        what,
        text,
        &[
            CANARY_SECRET,
            CANARY_CODE,
            mock::SECRET,
            mock::INTEGRATION_CODE,
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_never_appear_in_trace_logs() {
    let logs = CapturedLogs::new();
    logs.install_global()
        .expect("the only subscriber of this test binary");

    let mock = AutotaskMock::start().await;

    // Refused credentials: Autotask's 401 travels through the logs.
    let wrong = mock
        .client_builder()
        .secret(SecretString::from(CANARY_SECRET))
        .integration_code(SecretString::from(CANARY_CODE))
        .build()
        .unwrap();
    let err = wrong.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert_clean("error", &format!("{err} {err:?} {:?}", err.raw_body()));

    // A working session: zone discovery, picklists, reads, a write.
    let good = mock.client();
    let open: Vec<_> = good
        .list_tickets(TicketQuery::open().limit(3))
        .try_collect()
        .await
        .unwrap();
    assert!(!open.is_empty());
    good.add_note(&open[0].id, NewNote::internal("checked the logs"))
        .await
        .unwrap();

    let text = logs.text();
    // The capture really ran at TRACE and saw the requests.
    assert!(
        text.contains("TRACE") || text.contains("DEBUG"),
        "nothing captured:\n{text}"
    );
    assert!(
        text.to_ascii_lowercase().contains("tickets"),
        "requests not logged:\n{text}"
    );
    assert_clean("TRACE logs", &text);
}
