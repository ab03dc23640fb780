//! Member tokens (`act_as_member`) are credentials a read needs: asking for
//! one is safe to repeat, so a 503 or a timeout on the token endpoint is
//! retried like a read, never reported to a read as an `AmbiguousWrite`;
//! and the token request is made with the client's own HTTP configuration
//! (its retry policy, timeouts and user agent), not a default one.

use psa_connectwise::ConnectWiseMock;
use psa_core::http::{HttpConfig, RetryPolicy};
use psa_core::{Id, Psa};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const TOKENS: &str = "/v4_6_release/apis/3.0/system/members/jdoe/tokens";

/// A fast retry policy, so that a retried case runs in milliseconds.
fn quick(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

/// Token requests the server received, whoever answered them.
async fn token_posts(mock: &ConnectWiseMock) -> Vec<wiremock::Request> {
    mock.server()
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == TOKENS)
        .collect()
}

#[tokio::test]
async fn a_token_endpoint_503_is_retried_and_the_read_succeeds() {
    let mock = ConnectWiseMock::start().await;
    Mock::given(method("POST"))
        .and(path(TOKENS))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    let bot = mock
        .client_builder()
        .act_as_member("jdoe")
        .http_config(HttpConfig::default().with_retry(quick(4)))
        .build()
        .unwrap();
    let t = bot.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.id, Id::from(1001));
    assert_eq!(token_posts(&mock).await.len(), 2, "the 503, then a token");
    assert_eq!(mock.token_requests(), 1, "the simulator issued one token");
}

#[tokio::test]
async fn the_token_request_uses_the_clients_http_config() {
    let mock = ConnectWiseMock::start().await;
    Mock::given(method("POST"))
        .and(path(TOKENS))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(mock.server())
        .await;
    // The client's policy says one attempt: the token request is not
    // retried either, and the read fails with the token endpoint's 503 —
    // an outcome known, not an ambiguous write.
    let once = mock
        .client_builder()
        .act_as_member("jdoe")
        .http_config(
            HttpConfig::default()
                .with_retry(RetryPolicy::never())
                .with_user_agent("cw-member-test/1.0"),
        )
        .build()
        .unwrap();
    let err = once.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(!err.is_ambiguous_write(), "{err}");
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503), "{err}");
    let posts = token_posts(&mock).await;
    assert_eq!(posts.len(), 1, "no retry under RetryPolicy::never()");
    // Within the token source's failure backoff the next call gets the
    // same answer without asking again (psa-core's negative cache) …
    let again = once.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert_eq!(
        again.http_status().map(|s| s.as_u16()),
        Some(503),
        "{again}"
    );
    assert_eq!(
        token_posts(&mock).await.len(),
        1,
        "no second token request within the backoff"
    );
    let wait = again
        .retry_after()
        .expect("the backoff says when to come back");
    tokio::time::sleep(wait + std::time::Duration::from_millis(50)).await;
    // … and after it, asks again, with the client's user agent.
    once.get_ticket(&Id::from(1001)).await.unwrap();
    let posts = token_posts(&mock).await;
    assert_eq!(posts.len(), 2);
    assert!(
        posts.iter().all(
            |r| r.headers.get("user-agent").and_then(|v| v.to_str().ok())
                == Some("cw-member-test/1.0")
        ),
        "the token requests carry the client's user agent"
    );
}

#[tokio::test]
async fn a_token_endpoint_that_hangs_is_a_timeout_within_the_clients_attempt_timeout() {
    let mock = ConnectWiseMock::start().await;
    Mock::given(method("POST"))
        .and(path(TOKENS))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let bot = mock
        .client_builder()
        .act_as_member("jdoe")
        .http_config(
            HttpConfig::default()
                .with_attempt_timeout(Duration::from_millis(300))
                .with_retry(quick(2)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = bot.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(!err.is_ambiguous_write(), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "bounded by the client's 300 ms attempt timeout, not a default 30 s: {:?}",
        started.elapsed()
    );
    assert_eq!(mock.request_count(), 0, "the read itself was never sent");
}

#[tokio::test]
async fn a_token_error_echoing_the_api_keys_is_scrubbed() {
    use base64::Engine as _;
    use psa_connectwise::mock::{CLIENT_ID, COMPANY_ID, PRIVATE_KEY, PUBLIC_KEY};
    use std::fmt::Write as _;
    let mock = ConnectWiseMock::start().await;
    let pair = format!("{COMPANY_ID}+{PUBLIC_KEY}:{PRIVATE_KEY}");
    let std_b64 = base64::engine::general_purpose::STANDARD.encode(&pair);
    let url_b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&pair);
    let body = serde_json::json!({
        "code": "Unauthorized",
        "message": format!("bad Authorization: Basic {std_b64} (also {url_b64})"),
        "errors": [{"code": "Echo", "message": format!("private={PRIVATE_KEY} public={PUBLIC_KEY} clientId={CLIENT_ID}"),
            "resource": "member", "field": "token"}]
    });
    Mock::given(method("POST"))
        .and(path(TOKENS))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("x-echo-authorization", format!("Basic {std_b64}").as_str())
                .set_body_json(body),
        )
        .with_priority(1)
        .mount(mock.server())
        .await;
    let bot = mock.client_builder().act_as_member("jdoe").build().unwrap();
    let err = psa_core::Psa::add_note(&bot, &Id::from(1001), psa_core::NewNote::internal("x"))
        .await
        .unwrap_err();
    let mut seen = format!("{err} {err:?}");
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&err);
    while let Some(c) = cause {
        let _ = write!(seen, " {c} {c:?}");
        if let Some(e) = c.downcast_ref::<psa_core::Error>() {
            seen.push_str(e.raw_body().unwrap_or_default());
            if let Some(h) = e.headers() {
                let _ = write!(seen, "{h:?}");
            }
        }
        cause = c.source();
    }
    seen.push_str(err.raw_body().unwrap_or_default());
    for secret in [
        PRIVATE_KEY,
        PUBLIC_KEY,
        CLIENT_ID,
        std_b64.as_str(),
        url_b64.as_str(),
    ] {
        assert!(!seen.contains(secret), "{secret} leaked: {seen}");
    }
    assert!(
        seen.contains("[redacted]"),
        "the echo was found and redacted: {seen}"
    );
}
