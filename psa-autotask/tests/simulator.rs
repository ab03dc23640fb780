//! `AutotaskMock` through `psa_core::testing::Simulator`, as a suite that
//! knows no vendor drives it.

use std::time::Duration;

use http::Method;
use psa_autotask::AutotaskMock;
use psa_core::http::HttpConfig;
use psa_core::testing::{RequestClass, Simulator};
use psa_core::{Id, TicketEventKind, Vendor};
use secrecy::SecretString;

#[tokio::test]
async fn the_trait_drives_the_simulator() {
    let mock = AutotaskMock::start().await;
    let sim: &dyn Simulator = &mock;
    assert_eq!(sim.vendor(), Vendor::Autotask);
    assert_eq!(sim.uri(), mock.uri());

    let before = sim.request_count();
    let psa = sim.psa();
    let ticket = psa.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(ticket.summary, "Printer offline on 3rd floor");
    // Zone discovery, the budget's first ThresholdInformation reading, the
    // ticket, the Tickets picklists.
    assert_eq!(sim.request_count(), before + 4);
    assert_eq!(mock.threshold_reads(), 1);
    assert_eq!(
        sim.requests_to("GET", "/ATServicesRest/V1.0/Tickets/1001"),
        1
    );
    assert_eq!(
        sim.requests_to("get", "/atservicesrest/v1.0/tickets/1001/"),
        1,
        "compared without case or a trailing slash"
    );
    assert_eq!(
        sim.requests_to("POST", "/ATServicesRest/V1.0/Tickets/1001"),
        0
    );
    assert_eq!(
        sim.requests_to("GET", "/atservicesrest/v1.0/zoneInformation"),
        mock.zone_requests()
    );

    // No tokens: credentials travel as headers on every request.
    assert!(sim.tokened_psa(50).unwrap().is_none());
    assert!(!sim.expire_tokens());
    assert_eq!(sim.token_requests(), 0);

    // A raw read of a ticket in Autotask's own path.
    let raw = psa.raw(sim.raw_ticket_read(&Id::from(1002))).await.unwrap();
    assert_eq!(raw.json().unwrap()["item"]["id"], 1002);
    assert_eq!(sim.unexpected_requests(), 0);
    psa.raw(psa_core::RawRequest::get("Invoices/1"))
        .await
        .unwrap_err();
    assert_eq!(sim.unexpected_requests(), 1);
}

#[tokio::test]
async fn tuned_clients_take_the_config_and_an_origin() {
    let mock = AutotaskMock::start().await;
    let sim: &dyn Simulator = &mock;
    let config = HttpConfig::default().with_attempt_timeout(Duration::from_secs(3));
    let tuned = sim.tuned_psa(config.clone(), None).unwrap();
    tuned.get_company(&Id::from(174)).await.unwrap();
    assert_eq!(mock.zone_requests(), 1, "discovered through the simulator");
    // With an origin, the zone is there: no discovery request.
    let zones = mock.zone_requests();
    let direct = sim.tuned_psa(config, Some(&mock.uri())).unwrap();
    let company = direct.get_company(&Id::from(174)).await.unwrap();
    assert_eq!(company.name, "Contoso Dental");
    assert_eq!(mock.zone_requests(), zones);
    // A configuration the crate refuses is an error, not a panic.
    let bad = HttpConfig::default().with_attempt_timeout(Duration::ZERO);
    assert!(sim.tuned_psa(bad, None).unwrap_err().is_config());
}

#[tokio::test]
async fn refused_credentials_are_counted() {
    let mock = AutotaskMock::start().await;
    let sim: &dyn Simulator = &mock;
    let wrong = mock
        .client_builder()
        .secret(SecretString::from("wrong"))
        .threshold_poll(Duration::ZERO, 1)
        .build()
        .unwrap();
    let err = psa_core::Psa::get_ticket(&wrong, &Id::from(1001))
        .await
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(sim.unauthorized_requests(), 1);
}

#[test]
fn requests_are_classified_as_autotask_means_them() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mock = rt.block_on(AutotaskMock::start());
    let sim: &dyn Simulator = &mock;
    for (method, path, class) in [
        (
            Method::GET,
            "/atservicesrest/v1.0/zoneInformation",
            RequestClass::Setup,
        ),
        (
            Method::GET,
            "/ATServicesRest/V1.0/Tickets/1001",
            RequestClass::Read,
        ),
        (
            Method::POST,
            "/ATServicesRest/V1.0/Tickets/query",
            RequestClass::Read,
        ),
        (
            Method::POST,
            "/ATServicesRest/V1.0/Tickets/query/count",
            RequestClass::Read,
        ),
        (
            Method::POST,
            "/ATServicesRest/V1.0/Tickets/1001/Notes",
            RequestClass::Write,
        ),
        (
            Method::PATCH,
            "/ATServicesRest/V1.0/Tickets",
            RequestClass::Write,
        ),
        (
            Method::DELETE,
            "/ATServicesRest/V1.0/TimeEntries/7",
            RequestClass::Write,
        ),
    ] {
        assert_eq!(sim.classify(&method, path), class, "{method} {path}");
    }
}

#[tokio::test]
async fn a_ticket_delivery_is_verified_and_parsed() {
    let mock = AutotaskMock::start().await;
    let sim: &dyn Simulator = &mock;
    let ticket = sim.psa().get_ticket(&Id::from(1003)).await.unwrap();
    let (client, delivery) = sim.ticket_delivery(&ticket).await.unwrap();
    let events = client.parse_webhook(&delivery).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].ticket, Id::from(1003));
    assert_eq!(events[0].kind, TicketEventKind::Updated);
    // Another client, without the secret, refuses it.
    assert!(
        sim.psa()
            .parse_webhook(&delivery)
            .await
            .unwrap_err()
            .is_webhook()
    );
    // A ticket id that is not Autotask's.
    let mut foreign = ticket.clone();
    foreign.id = Id::text("incident:abc").unwrap();
    assert!(
        sim.ticket_delivery(&foreign)
            .await
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn an_empty_simulator_has_no_records() {
    let mock = AutotaskMock::builder()
        .empty()
        .generated_tickets(3)
        .start()
        .await;
    assert_eq!(mock.record_count("Companies"), 0);
    assert_eq!(mock.record_count("Tickets"), 3);
    let err = mock.client().companies().get(174).send().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}
