//! The per-vendor entry points, generated once: each vendor's test file
//! invokes these macros with its `Vendor`, so every vendor runs the same
//! tests under the same names.

/// The scenarios, the permission checks and the expired-token case.
macro_rules! scenario_tests {
    ($vendor:expr) => {
        use psa_conformance::{Sim, faults, guarded, scenarios};
        use psa_permissions::Profile;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn triage_a_new_ticket_across_queues() {
            let sim = Sim::start($vendor).await;
            scenarios::triage(sim.psa().as_ref(), true).await;
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn triage_a_new_ticket_in_its_queue() {
            let sim = Sim::start($vendor).await;
            scenarios::triage(sim.psa().as_ref(), false).await;
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn voice_agent_opens_a_ticket_for_a_caller() {
            let sim = Sim::start($vendor).await;
            scenarios::voice_agent(sim.psa().as_ref()).await;
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn lists_a_company_configurations() {
            let sim = Sim::start($vendor).await;
            let (_, n) = scenarios::company_configurations(sim.psa().as_ref()).await;
            assert!(n > 0);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn merges_or_agrees_it_cannot() {
            let sim = Sim::start($vendor).await;
            let count = || sim.request_count();
            scenarios::merge(sim.psa().as_ref(), Some(&count)).await;
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn incremental_sync_sees_a_change() {
            let sim = Sim::start($vendor).await;
            let synced = scenarios::incremental_sync(sim.psa().as_ref()).await;
            println!("{}: {synced:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn created_since_lists_a_new_ticket() {
            let sim = Sim::start($vendor).await;
            let (id, listed) = scenarios::new_since(sim.psa().as_ref()).await;
            println!("{}: {id} among {listed}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn filters_narrow_a_listing() {
            let sim = Sim::start($vendor).await;
            for n in scenarios::filters_narrow_a_listing(sim.psa().as_ref()).await {
                println!("{}: {n:?}", $vendor);
            }
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn limits_stop_early() {
            let sim = Sim::start($vendor).await;
            let count = || sim.request_count();
            scenarios::limits_stop_early(sim.psa().as_ref(), &count).await;
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn finds_a_caller_by_email_or_phone() {
            let sim = Sim::start($vendor).await;
            let s = scenarios::finds_a_caller(sim.psa().as_ref()).await;
            println!("{}: {s:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn finds_companies_by_name() {
            let sim = Sim::start($vendor).await;
            let s = scenarios::companies_by_name(sim.psa().as_ref()).await;
            println!("{}: {s:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_webhook_names_a_readable_ticket() {
            let sim = Sim::start($vendor).await;
            let id = scenarios::webhook_names_a_readable_ticket(&sim).await;
            println!("{}: {id}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn finds_a_ticket_by_number() {
            let sim = Sim::start($vendor).await;
            let n = scenarios::finds_a_ticket_by_number(sim.psa().as_ref()).await;
            println!("{}: {n:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn blank_search_text_is_refused() {
            let sim = Sim::start($vendor).await;
            let count = || sim.request_count();
            let n = scenarios::blank_search_text_is_refused(sim.psa().as_ref(), &count).await;
            assert!(n >= 25, "{n} searches checked");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn finds_a_caller_by_any_phone_form() {
            let sim = Sim::start($vendor).await;
            let s = scenarios::finds_a_caller_by_any_phone_form(sim.psa().as_ref()).await;
            println!("{}: {s:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn act_as_attributes_writes() {
            let sim = Sim::start($vendor).await;
            let s = scenarios::act_as_attributes_writes(sim.psa().as_ref()).await;
            println!("{}: {s:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn attachments_round_trip() {
            let sim = Sim::start($vendor).await;
            let count = || sim.request_count();
            let s = scenarios::attachments_round_trip(sim.psa().as_ref(), &count).await;
            println!("{}: {s:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn custom_field_definitions() {
            let sim = Sim::start($vendor).await;
            let s = scenarios::custom_field_definitions(sim.psa().as_ref()).await;
            println!("{}: {s:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn approval_through_the_psa() {
            let sim = Sim::start($vendor).await;
            let s = scenarios::approval_through_the_psa(sim.psa()).await;
            println!("{}: {s:?}", $vendor);
            assert_eq!(sim.unexpected_requests(), 0);
        }

        #[tokio::test]
        async fn statuses_accept_a_queue_scope() {
            let sim = Sim::start($vendor).await;
            scenarios::statuses_accept_a_queue_scope(sim.psa().as_ref()).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn operations_agree_with_capabilities() {
            let seen = psa_conformance::capabilities::operations_agree($vendor).await;
            println!("{}: {seen:?}", $vendor);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn profiles_deny_without_a_request() {
            for profile in Profile::ALL {
                guarded::live($vendor, profile).await;
            }
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn test_mode_plans_and_sends_nothing() {
            for profile in Profile::ALL {
                let plans = guarded::test_mode($vendor, profile).await;
                let ops: Vec<_> = plans.iter().map(|p| p.operation).collect();
                let want: Vec<_> = guarded::Probe::ALL
                    .into_iter()
                    .filter(|p| !p.is_read())
                    .filter(|p| guarded::expected(profile, *p) != guarded::Expect::Denied)
                    .map(guarded::Probe::operation)
                    .collect();
                assert_eq!(ops, want, "{profile}");
            }
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn expired_token_mid_listing() {
            match faults::expired_token_mid_listing($vendor).await {
                Some((n, renewed)) => {
                    println!("{}: {n} tickets listed, {renewed} token renewal", $vendor)
                }
                None => println!("{}: no token to expire", $vendor),
            }
        }
    };
}

/// The fault matrix: one test per case of `psa_conformance::faults::cases()`,
/// named after it (the list is written once, here; a test checks it against
/// `cases()`).
macro_rules! fault_tests {
    ($vendor:expr) => {
        fault_case_tests!($vendor;
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
    };
}

/// One test per named fault case.
macro_rules! fault_case_tests {
    ($vendor:expr; $( $(#[$meta:meta])* $name:ident ),* $(,)?) => {
        $(
            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let seen = psa_conformance::faults::check($vendor, stringify!($name)).await;
                println!("{}: {}: {:?}", $vendor, stringify!($name), seen);
            }
        )*

        #[test]
        fn every_fault_case_has_a_test() {
            let listed = [$(stringify!($name)),*];
            let all: Vec<_> = psa_conformance::faults::cases().iter().map(|c| c.name).collect();
            assert_eq!(listed.as_slice(), all.as_slice());
        }
    };
}
