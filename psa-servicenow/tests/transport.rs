//! Authentication, token caching, retries, rate limits, error bodies, paging
//! safety and secrets, against the simulator.

// Helpers outside #[test] functions unwrap fixed test data, as the tests do
// (clippy.toml allows unwrap in tests but not in their helpers).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use psa_core::http::{HttpConfig, RetryPolicy};
use psa_core::{Id, NewNote, NewTicket, Psa, TicketPatch, TicketQuery};
use psa_servicenow::limits::RuleLimiter;
use psa_servicenow::mock::{ROUTE_PRIORITY, ServiceNowMock, seed};
use psa_servicenow::models::Incident;
use psa_servicenow::{Auth, Client};
use secrecy::SecretString;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const CANARY_SECRET: &str = "canary-client-secret-5e7b21";
const CANARY_PASSWORD: &str = "canary-password-9c4d6f";

/// psa-core's default HTTP settings with at most `max` retries, waiting at
/// most `max_wait` for a `Retry-After` (and for a rate-limit window).
fn retrying(max: u32, max_wait: Duration) -> HttpConfig {
    let policy = HttpConfig::default()
        .retry()
        .clone()
        .with_max_attempts(max + 1)
        .with_max_retry_after(max_wait);
    HttpConfig::default().with_retry(policy)
}

/// A client of the simulator with a rate limiter of its own, as a replica
/// in another process has.
fn other_process(mock: &ServiceNowMock, config: HttpConfig) -> Client {
    let own = RuleLimiter::new(config.retry().max_retry_after());
    mock.client_builder()
        .http_config(config)
        .rate_limiter(Arc::new(own))
        .build()
        .unwrap()
}

fn inc(sys: &str) -> Id {
    Id::text(format!("incident:{sys}")).unwrap()
}

#[tokio::test]
async fn tokens_are_fetched_once_for_many_concurrent_calls() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let calls = (0..12).map(|_| {
        let c = client.clone();
        async move { c.get_ticket(&inc(seed::INC_PRINTER)).await }
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(mock.token_requests(), 1, "single-flight");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_replayed() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    mock.expire_tokens();
    client.get_ticket(&inc(seed::INC_VPN)).await.unwrap();
    assert_eq!(mock.token_requests(), 2);
    // Short-lived tokens are renewed before they expire.
    let short = ServiceNowMock::builder()
        .token_lifetime(Duration::from_secs(1))
        .start()
        .await;
    let c = short.client();
    c.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    c.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(short.token_requests(), 2);
}

#[tokio::test]
async fn the_password_grant_uses_its_refresh_token_then_falls_back() {
    let mock = ServiceNowMock::start().await;
    let client = Client::builder()
        .base_url(mock.uri())
        .auth(Auth::password(
            seed::CLIENT_ID,
            SecretString::from(seed::CLIENT_SECRET),
            seed::INTEGRATION_USER,
            SecretString::from(seed::INTEGRATION_PASSWORD),
        ))
        .build()
        .unwrap();
    client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    mock.expire_tokens();
    client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(
        mock.token_requests(),
        2,
        "password grant, then refresh_token grant"
    );
    mock.expire_tokens();
    mock.revoke_refresh_tokens();
    client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    assert_eq!(
        mock.token_requests(),
        4,
        "refused refresh, then the password grant again"
    );
}

#[tokio::test]
async fn basic_auth_works_and_writes_are_the_users() {
    let mock = ServiceNowMock::start().await;
    let client = Client::builder()
        .base_url(mock.uri())
        .auth(Auth::basic(
            seed::INTEGRATION_USER,
            SecretString::from(seed::INTEGRATION_PASSWORD),
        ))
        .build()
        .unwrap();
    let t = client
        .create_ticket(NewTicket::new(
            "Basic auth ticket",
            Id::text(seed::ACME).unwrap(),
        ))
        .await
        .unwrap();
    assert_eq!(t.raw["sys_updated_by"], seed::INTEGRATION_USER);
    assert_eq!(mock.token_requests(), 0);
}

#[tokio::test]
async fn bad_credentials_are_unauthorized_and_secrets_stay_out_of_errors() {
    let mock = ServiceNowMock::start().await;
    let oauth = Client::builder()
        .base_url(mock.uri())
        .auth(Auth::client_credentials(
            seed::CLIENT_ID,
            SecretString::from(CANARY_SECRET),
        ))
        .build()
        .unwrap();
    let e = oauth.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        e.api_body().and_then(|b| b.message.as_deref()),
        Some("access_denied")
    );

    let basic = Client::builder()
        .base_url(mock.uri())
        .auth(Auth::basic(
            seed::INTEGRATION_USER,
            SecretString::from(CANARY_PASSWORD),
        ))
        .webhook_secret(SecretString::from("canary-webhook-secret-1a2b3c"))
        .build()
        .unwrap();
    let e2 = basic.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap_err();
    assert!(e2.is_unauthorized());
    assert_eq!(
        e2.api_body().and_then(|b| b.message.as_deref()),
        Some("User Not Authenticated")
    );

    // A working client's token never shows either.
    let good = mock.client();
    good.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    let e3 = good.get_ticket(&inc(seed::INC_HIDDEN)).await.unwrap_err();

    let texts = [
        format!("{e} {e:?} {:?}", e.raw_body()),
        format!("{e2} {e2:?} {:?}", e2.headers()),
        format!("{e3:?}"),
        format!("{oauth:?} {basic:?} {good:?}"),
        format!(
            "{:?}",
            Auth::password(
                "id",
                SecretString::from(CANARY_SECRET),
                "u",
                SecretString::from(CANARY_PASSWORD)
            )
        ),
        format!(
            "{:?}",
            mock.client_builder()
                .webhook_secret(SecretString::from(CANARY_SECRET))
        ),
    ];
    for t in &texts {
        for canary in [
            CANARY_SECRET,
            CANARY_PASSWORD,
            "canary-webhook-secret",
            seed::CLIENT_SECRET,
            "mockAccess",
        ] {
            assert!(!t.contains(canary), "{canary} leaked in {t}");
        }
    }
}

#[tokio::test]
async fn rate_limits_are_honoured_with_retry_after() {
    let mock = ServiceNowMock::builder()
        .rate_limit(3, Duration::from_secs(1))
        .start()
        .await;
    let ours = mock.client();
    let groups = ours.table("sys_user_group");
    groups.list().limit(1).send().await.unwrap();
    // Another replica (another process: a limiter of its own) of the same
    // integration user spends the budget: our count cannot see that, the
    // instance answers 429 with Retry-After.
    let other = other_process(&mock, HttpConfig::default());
    other
        .table("sys_user_group")
        .list()
        .limit(1)
        .send()
        .await
        .unwrap();
    other
        .table("sys_user_group")
        .list()
        .limit(1)
        .send()
        .await
        .unwrap();
    let started = std::time::Instant::now();
    groups.list().limit(1).send().await.unwrap();
    assert_eq!(mock.rate_limited_requests(), 1, "the rule bit once");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "waited for Retry-After"
    );

    // A Retry-After beyond the longest wait: the 429 is the answer, with
    // its Retry-After and ServiceNow's body.
    let strict = ServiceNowMock::builder()
        .rate_limit(1, Duration::from_secs(30))
        .start()
        .await;
    let other = strict.client();
    other
        .table("sys_user_group")
        .list()
        .limit(1)
        .send()
        .await
        .unwrap();
    let client = strict
        .client_builder()
        .http_config(retrying(0, Duration::from_millis(10)))
        .build()
        .unwrap();
    let groups = client.table("sys_user_group");
    let e = groups.list().limit(1).send().await.unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(429));
    assert!(e.retry_after().unwrap() > Duration::from_secs(1));
    assert_eq!(
        e.api_body().and_then(|b| b.message.as_deref()),
        Some("Rate limit exceeded")
    );
    assert_eq!(strict.rate_limited_requests(), 1);
    // Having learned the rule, the client refuses locally rather than spend
    // a request it knows will be refused.
    let sent = strict.request_count();
    let e = groups.list().limit(1).send().await.unwrap_err();
    assert!(e.is_rate_limited());
    assert!(e.retry_after().unwrap() > Duration::from_secs(1));
    assert_eq!(strict.request_count(), sent, "nothing was sent");

    // With retries allowed, the retry after a 429 is not sent before the
    // instance's Retry-After either: the rule is known to be used up. (A
    // client of another process, which has not learned the rule yet.)
    let fresh = other_process(&strict, retrying(3, Duration::from_millis(10)));
    let e = fresh
        .table("sys_user_group")
        .list()
        .limit(1)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    assert!(e.retry_after().unwrap() > Duration::from_secs(1));
    assert_eq!(
        strict.rate_limited_requests(),
        2,
        "one 429, no retry before its Retry-After"
    );
}

#[tokio::test]
async fn the_learned_limit_paces_calls_instead_of_hitting_429() {
    let mock = ServiceNowMock::builder()
        .rate_limit(3, Duration::from_secs(2))
        .start()
        .await;
    let client = mock.client();
    let groups = client.table("sys_user_group");
    let started = std::time::Instant::now();
    for _ in 0..5 {
        groups.list().limit(1).send().await.unwrap();
    }
    assert_eq!(
        mock.rate_limited_requests(),
        0,
        "the client waited for the window instead"
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn creates_are_never_retried_but_reads_are() {
    let mock = ServiceNowMock::start().await;
    let client = mock
        .client_builder()
        .http_config(retrying(2, Duration::from_millis(10)))
        .build()
        .unwrap();
    client
        .list_statuses(psa_core::LookupScope::all())
        .await
        .unwrap();
    Mock::given(method("POST"))
        .and(path("/api/now/table/incident"))
        .respond_with(
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
        )
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let before = mock.requests_to("POST", "/api/now/table/incident");
    let e = client
        .create_ticket(NewTicket::new("Never twice", Id::text(seed::ACME).unwrap()))
        .await
        .unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    assert!(
        e.is_ambiguous_write(),
        "a 503 after a create was sent: the outcome is unknown: {e}"
    );
    assert_eq!(
        e.raw_body(),
        Some("<html>Service Unavailable</html>"),
        "non-JSON bodies are kept as text"
    );
    let _ = before;

    // A flaky read is retried.
    let flaky = ServiceNowMock::start().await;
    let client = flaky
        .client_builder()
        .http_config(retrying(2, Duration::from_millis(10)))
        .build()
        .unwrap();
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/now/table/incident/{}",
            seed::INC_PRINTER
        )))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(flaky.server())
        .await;
    client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
}

#[tokio::test]
async fn a_failed_create_is_sent_once() {
    let mock = ServiceNowMock::start().await;
    Mock::given(method("POST"))
        .and(path("/api/now/table/incident"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let client = mock
        .client_builder()
        .http_config(retrying(3, Duration::from_millis(10)))
        .build()
        .unwrap();
    assert!(
        client
            .create_ticket(NewTicket::new("Once", Id::text(seed::ACME).unwrap()))
            .await
            .is_err()
    );
    mock.server().verify().await;
}

#[tokio::test]
async fn a_malformed_page_names_the_field() {
    let mock = ServiceNowMock::start().await;
    Mock::given(method("GET"))
        .and(path("/api/now/table/incident"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"result":[{"sys_id":"9d385017c611228701d22104cc95c371","number":"INC0010001"},{"sys_id":"e8caedcbc0a80164017df472f39eaed1","caller_id":[1,2]}]}"#,
        ))
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let e = mock
        .client()
        .table("incident")
        .list()
        .send_as::<Incident>()
        .await
        .unwrap_err();
    assert!(e.is_decode(), "{e}");
    assert!(e.to_string().contains("result[1]"), "{e}");
    assert!(
        e.to_string().contains("caller_id") || e.to_string().contains("reference"),
        "{e}"
    );
    assert!(e.raw_body().is_some());
}

#[tokio::test]
async fn next_links_to_another_origin_are_never_followed_and_paging_goes_on_by_offset() {
    let mock = ServiceNowMock::start().await;
    Mock::given(method("GET"))
        .and(path("/api/now/table/sys_user_group"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", "<https://evil.example/api/now/table/sys_user_group?sysparm_offset=1>;rel=\"next\"")
                .insert_header("x-total-count", "3")
                .set_body_string(r#"{"result":[{"sys_id":"287ebd7da9fe198100f92cc8d1d2154e","name":"Service Desk"}]}"#),
        )
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let got = mock
        .client()
        .table("sys_user_group")
        .list()
        .limit(1)
        .query(psa_servicenow::query::Query::new().eq("active", "true"))
        .fields(["sys_id", "name"])
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(
        got.len(),
        3,
        "offsets 0, 1, 2 from the client's own base URL"
    );
    let asked: Vec<_> = mock
        .server()
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/api/now/table/sys_user_group")
        .collect();
    assert_eq!(asked.len(), 3);
    for (i, r) in asked.iter().enumerate() {
        let q: std::collections::HashMap<_, _> = r.url.query_pairs().into_owned().collect();
        assert_eq!(q["sysparm_offset"], i.to_string());
        assert_eq!(
            q["sysparm_query"], "active=true",
            "the caller's query is kept"
        );
        assert_eq!(
            q["sysparm_fields"], "sys_id,name",
            "the caller's fields are kept"
        );
    }
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn an_instance_behind_a_custom_domain_lists_every_page() {
    let mock = ServiceNowMock::builder()
        .generated_tickets(7)
        .link_base("https://support.acme.example")
        .start()
        .await;
    let client = mock.client_builder().page_size(4).build().unwrap();
    let all: Vec<_> = client
        .list_tickets(psa_core::TicketQuery::any())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 12, "13 incidents, one hidden by an ACL");
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn the_generic_table_client_pages_and_writes() {
    let mock = ServiceNowMock::builder().generated_tickets(7).start().await;
    let client = mock.client();
    let t = client.table("incident");
    let page = t.list().limit(4).send().await.unwrap();
    assert_eq!(page.items.len(), 4);
    assert_eq!(
        page.total,
        Some(13),
        "6 seeded (one hidden, still counted) + 7 generated"
    );
    assert_eq!(page.next_offset, Some(4));
    let all: Vec<_> = t.list().limit(4).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 12, "every visible record, over short pages");
    let typed: Vec<Incident> = t.list().limit(5).stream_as().try_collect().await.unwrap();
    assert_eq!(typed.len(), 12);

    let created = t
        .create(serde_json::json!({"short_description": "Raw create", "u_contract_ref": "X-1"}))
        .send_as::<Incident>()
        .await
        .unwrap();
    let sys = created.task.sys_id.as_ref().unwrap().value().to_owned();
    assert_eq!(created.task.extra["u_contract_ref"], "X-1");
    let patched = t
        .update(&sys, serde_json::json!({"state": "2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched["state"], "2");
    t.delete(&sys).send().await.unwrap();
    assert!(t.get(&sys).send().await.unwrap_err().is_not_found());

    let e = client
        .table("sys_user_groups")
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.api_body().and_then(|b| b.message.as_deref()),
        Some("Invalid table sys_user_groups")
    );
    assert_eq!(
        e.api_body().and_then(|b| b.code.as_deref()),
        Some("failure"),
        "ServiceNow's `status` is kept as the code"
    );
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(400));
    assert!(e.raw_body().unwrap().contains(r#""status":"failure""#));
    assert!(
        e.headers().unwrap().get("set-cookie").is_none(),
        "errors keep no session cookie"
    );
    // A successful answer's headers hold no session cookie either.
    let resp = client
        .send(t.list().limit(1).request().unwrap())
        .await
        .unwrap();
    assert!(resp.headers.get("set-cookie").is_none());
    assert!(resp.headers.get("x-total-count").is_some());
    assert!(format!("{resp:?}").contains("bytes"));
    assert_eq!(mock.cookie_requests(), 0);
}

#[tokio::test]
async fn updates_touch_only_what_the_patch_names() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let before = mock.record("incident", seed::INC_PRINTER).unwrap();
    client
        .update_ticket(
            &inc(seed::INC_PRINTER),
            TicketPatch::new().summary("Printer offline (3F)"),
        )
        .await
        .unwrap();
    let after = mock.record("incident", seed::INC_PRINTER).unwrap();
    for field in [
        "state",
        "assigned_to",
        "assignment_group",
        "impact",
        "urgency",
        "caller_id",
    ] {
        assert_eq!(before[field], after[field], "{field}");
    }
    assert_eq!(after["short_description"], "Printer offline (3F)");
    let open: Vec<_> = client
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(open[0].summary, "Printer offline (3F)");
}

#[tokio::test]
async fn writes_that_time_out_are_ambiguous_and_never_re_sent() {
    let mock = ServiceNowMock::start().await;
    let client = mock
        .client_builder()
        .http_config(
            HttpConfig::default()
                .with_attempt_timeout(Duration::from_millis(300))
                .with_retry(
                    RetryPolicy::default()
                        .with_max_attempts(4)
                        .with_backoff(Duration::from_millis(10), Duration::from_millis(40)),
                ),
        )
        .build()
        .unwrap();
    // The token and the choice labels first, so that only the write is slow.
    client.get_ticket(&inc(seed::INC_VPN)).await.unwrap();
    let slow = || {
        ResponseTemplate::new(201)
            .set_delay(Duration::from_secs(2))
            .set_body_string(r#"{"result":{}}"#)
    };

    // A create (POST).
    Mock::given(method("POST"))
        .and(path("/api/now/table/incident"))
        .respond_with(slow())
        .expect(1)
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let e = client
        .create_ticket(NewTicket::new("Slow", Id::text(seed::ACME).unwrap()))
        .await
        .unwrap_err();
    assert!(e.is_ambiguous_write(), "{e}");
    assert!(e.message().contains("not re-sent"), "{e}");

    // A journal write (PATCH of work_notes): each send adds an entry.
    Mock::given(method("PATCH"))
        .and(path(format!("/api/now/table/incident/{}", seed::INC_VPN)))
        .respond_with(slow())
        .expect(1)
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let e = client
        .add_note(&inc(seed::INC_VPN), NewNote::internal("slow"))
        .await
        .unwrap_err();
    assert!(e.is_ambiguous_write(), "{e}");

    // A read that times out is retried: the ticket read is a batch of two
    // reads (the record and its SLA records), which is idempotent.
    Mock::given(method("POST"))
        .and(path("/api/now/v1/batch"))
        .respond_with(slow())
        .up_to_n_times(1)
        .expect(1)
        .with_priority(ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
    mock.server().verify().await;
}

#[tokio::test]
async fn no_session_cookie_is_ever_sent_back() {
    // Every answer of the simulator sets `glide_session_store`, as an
    // instance does; the core HTTP client keeps no cookie store.
    let mock = ServiceNowMock::start().await;
    let basic = Client::builder()
        .base_url(mock.uri())
        .auth(Auth::basic(
            seed::INTEGRATION_USER,
            SecretString::from(seed::INTEGRATION_PASSWORD),
        ))
        .build()
        .unwrap();
    for client in [mock.client(), basic] {
        for _ in 0..3 {
            client.get_ticket(&inc(seed::INC_PRINTER)).await.unwrap();
        }
        let open: Vec<_> = client
            .list_tickets(TicketQuery::open())
            .try_collect()
            .await
            .unwrap();
        assert!(!open.is_empty());
    }
    assert!(mock.request_count() > 8);
    assert_eq!(mock.cookie_requests(), 0);
}

/// Requests the wiremock server received for `method` and `path`, fault
/// mocks included (the simulator's counters leave those out).
async fn received(mock: &ServiceNowMock, method: &str, path: &str) -> usize {
    mock.server()
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == method && r.url.path() == path)
        .count()
}

#[tokio::test]
async fn a_customized_call_is_sent_with_its_overrides() {
    use psa_core::http::{Customize, RequestOptions};

    let mock = ServiceNowMock::start().await;
    let client = mock
        .client_builder()
        .http_config(retrying(3, Duration::from_millis(10)))
        .build()
        .unwrap();
    for (m, p) in [
        ("GET", "/api/now/table/sys_user_group"),
        ("POST", "/api/now/table/incident"),
    ] {
        Mock::given(method(m))
            .and(path(p))
            .respond_with(ResponseTemplate::new(503))
            .with_priority(ROUTE_PRIORITY - 1)
            .mount(mock.server())
            .await;
    }
    let groups = client.table("sys_user_group");

    // A read is retried by the client's policy …
    let e = groups.list().send().await.unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        received(&mock, "GET", "/api/now/table/sys_user_group").await,
        4
    );
    // … and sent once when the call says so.
    let e = groups
        .list()
        .customize(RequestOptions::no_retry)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        received(&mock, "GET", "/api/now/table/sys_user_group").await,
        5,
        "no_retry(): exactly one request"
    );

    // A create is never re-sent …
    let incidents = client.table("incident");
    let e = incidents
        .create(serde_json::json!({"short_description": "once"}))
        .send()
        .await
        .unwrap_err();
    assert!(e.is_ambiguous_write(), "{e}");
    assert_eq!(received(&mock, "POST", "/api/now/table/incident").await, 1);
    // … unless the caller knows it may be (the instance de-duplicates it).
    let e = incidents
        .create(serde_json::json!({"short_description": "de-duplicated"}))
        .customize(|o| o.idempotent(true))
        .send()
        .await
        .unwrap_err();
    assert!(!e.is_ambiguous_write(), "{e}");
    assert_eq!(received(&mock, "POST", "/api/now/table/incident").await, 5);
}

#[tokio::test]
async fn clients_of_one_user_share_what_their_limiter_learned() {
    let strict = ServiceNowMock::builder()
        .rate_limit(1, Duration::from_secs(30))
        .start()
        .await;
    let config = || retrying(0, Duration::from_millis(10));
    let first = strict
        .client_builder()
        .http_config(config())
        .build()
        .unwrap();
    first
        .table("sys_user_group")
        .list()
        .limit(1)
        .send()
        .await
        .unwrap();
    // A second client of the same instance and user in this process draws
    // on the same count: it knows the rule is used up and sends nothing.
    let second = strict
        .client_builder()
        .http_config(config())
        .build()
        .unwrap();
    let e = second
        .table("sys_user_group")
        .list()
        .limit(1)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    assert_eq!(
        strict.requests_to("GET", "/api/now/table/sys_user_group"),
        1,
        "the second client sent nothing"
    );
    assert_eq!(strict.rate_limited_requests(), 0);
    // A client with a limiter of its own (another process) cannot know.
    let e = other_process(&strict, config())
        .table("sys_user_group")
        .list()
        .limit(1)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    assert_eq!(strict.rate_limited_requests(), 1, "the instance refused it");
}

#[tokio::test]
async fn a_request_built_by_hand_counts_under_its_rest_resource() {
    let mock = ServiceNowMock::builder()
        .rate_limit_headers_only(100, Duration::from_secs(3600))
        .start()
        .await;
    let limiter = Arc::new(RuleLimiter::new(Duration::from_secs(60)));
    let client = mock
        .client_builder()
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    let resp = client
        .send(
            psa_core::http::ApiRequest::get("/api/now/table/sys_user_group")
                .query("sysparm_limit", 1),
        )
        .await
        .unwrap();
    assert_eq!(resp.status.as_u16(), 200);
    assert!(resp.headers.get("set-cookie").is_none());
    assert_eq!(
        limiter.rule_usage("GET table/sys_user_group"),
        Some((100, 1)),
        "the rule is learned for the resource the request addressed"
    );
}
