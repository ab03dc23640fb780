//! The conformance suite and the fault matrix on the HaloPSA simulator.

#[macro_use]
mod common;

use psa_core::Vendor;

scenario_tests!(Vendor::Halo);

#[tokio::test]
async fn statuses_accept_a_queue_scope() {
    let sim = Sim::start(Vendor::Halo).await;
    scenarios::statuses_accept_a_queue_scope(sim.psa().as_ref()).await;
}

fault_tests!(Vendor::Halo;
    read_429_retry_after,
    read_429_no_retry_after,
    read_429_every_attempt,
    read_500,
    read_502,
    read_503,
    read_504,
    read_503_every_attempt,
    read_slow,
    read_truncated_json,
    read_html_error_page,
    read_html_200,
    read_invalid_json,
    read_empty_200,
    write_429_retry_after,
    write_429_no_retry_after,
    write_429_every_attempt,
    write_500,
    write_502,
    write_503,
    write_504,
    write_slow,
    write_truncated_json,
    write_html_error_page,
    write_html_200,
    write_invalid_json,
    write_empty_200,
    read_connection_refused,
    write_connection_refused,
    read_reset_before_request_read,
    write_reset_before_request_read,
    read_reset_after_request_sent,
    write_reset_after_request_sent,
    read_reset_instead_of_response,
    write_reset_instead_of_response,
    read_body_cut_by_connection_close,
    write_body_cut_by_connection_close,
);
