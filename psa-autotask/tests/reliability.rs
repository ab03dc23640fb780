//! The shared HTTP machinery as an Autotask client sees it: a create whose
//! outcome is unknown is never sent twice; a slow read is retried.
//! (The fault routes `expect(1)`: wiremock fails `verify` on a second send.)

use std::time::Duration;

use psa_autotask::mock::AutotaskMock;
use psa_core::http::HttpConfig;
use psa_core::{Id, NewNote, NewTimeEntry, Psa};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

/// A route answering 3 s late (past the client's 400 ms attempt timeout),
/// ahead of the simulator's own routes; `verify` fails unless it was called
/// exactly once.
fn slow(verb: &str, path: &str) -> Mock {
    Mock::given(method(verb))
        .and(path_regex(path))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .with_priority(1)
        .expect(1)
}

fn client(mock: &AutotaskMock) -> psa_autotask::Client {
    mock.client_builder()
        .http_config(HttpConfig::default().with_attempt_timeout(Duration::from_millis(400)))
        .build()
        .expect("the simulator's client configuration is valid")
}

#[tokio::test]
async fn a_create_that_times_out_is_ambiguous_and_sent_once() {
    let mock = AutotaskMock::start().await;
    // Every POST hits the slow route, so a re-sent create would count twice.
    slow("POST", r"(?i)/V1\.0/Tickets/1001/Notes$")
        .mount(mock.server())
        .await;
    slow("POST", r"(?i)/V1\.0/TimeEntries$")
        .mount(mock.server())
        .await;
    let client = client(&mock);

    let err = client
        .add_note(&Id::from(1001), NewNote::internal("Replaced the toner."))
        .await
        .unwrap_err();
    assert!(err.is_ambiguous_write(), "{err}");

    let entry = NewTimeEntry::new(
        Id::from(1001),
        chrono::Utc::now() - chrono::Duration::minutes(15),
        Duration::from_secs(15 * 60),
    );
    let err = client.create_time_entry(entry).await.unwrap_err();
    assert!(err.is_ambiguous_write(), "{err}");
    // Each delayed create was received exactly once (the simulator's own
    // routes were never reached either: nothing was re-sent).
    mock.server().verify().await;
}

#[tokio::test]
async fn a_read_that_times_out_is_retried() {
    let mock = AutotaskMock::start().await;
    // Only the first GET is slow: the retry reaches the simulator.
    slow("GET", r"(?i)/V1\.0/Tickets/1001$")
        .up_to_n_times(1)
        .mount(mock.server())
        .await;
    let client = client(&mock);

    let ticket = client.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(ticket.id, Id::from(1001));
    // The first attempt hit the slow answer once; the retry reached the simulator.
    mock.server().verify().await;
    assert_eq!(
        mock.requests_to("GET", "/ATServicesRest/V1.0/Tickets/1001"),
        1
    );
}
