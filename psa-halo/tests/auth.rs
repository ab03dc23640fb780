//! The client-credentials flow, token reuse and refresh, configuration
//! errors, and secrets that never show.

use psa_core::{ErrorKind, Id, Psa};
use psa_halo::{Client, HaloMock, RateLimit};
use secrecy::SecretString;
use std::time::Duration;

const CANARY: &str = "canary-secret-7f3a9c";

#[tokio::test]
async fn one_token_serves_many_calls_even_concurrently() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let calls = (0..20).map(|i| {
        let c = c.clone();
        async move { c.get_ticket(&Id::from(1001 + i % 5)).await }
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(mock.token_requests(), 1, "single-flight");
    c.list_priorities().await.unwrap();
    assert_eq!(mock.token_requests(), 1);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_replayed() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    c.get_ticket(&Id::from(1001)).await.unwrap();
    mock.expire_tokens();
    let t = c.get_ticket(&Id::from(1002)).await.unwrap();
    assert_eq!(t.id, Id::from(1002));
    assert_eq!(mock.token_requests(), 2);
    assert_eq!(mock.unauthorized_requests(), 1);
}

#[tokio::test]
async fn short_lived_tokens_are_renewed() {
    let mock = HaloMock::builder()
        .token_lifetime(Duration::from_secs(1))
        .start()
        .await;
    let c = mock.client();
    c.get_ticket(&Id::from(1001)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    c.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(mock.token_requests(), 2);
}

#[tokio::test]
async fn hosted_tenants_send_the_tenant() {
    let mock = HaloMock::builder().tenant("acme").start().await;
    mock.client().get_ticket(&Id::from(1001)).await.unwrap();
    let wrong = mock.client_builder().tenant("other").build().unwrap();
    let err = wrong.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(
        err.is_unauthorized() || err.kind() == ErrorKind::Api,
        "{err}"
    );
    assert!(err.to_string().contains("tenant"), "{err}");
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized_and_never_leak() {
    let mock = HaloMock::start().await;
    let c = Client::builder()
        .base_url(mock.base_url())
        .client_id(mock.client_id())
        .client_secret(SecretString::from(CANARY))
        .rate_limit(RateLimit::Disabled)
        .build()
        .unwrap();
    let err = c.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(401));
    assert!(err.to_string().contains("credentials are invalid"), "{err}");
    assert_eq!(mock.request_count(), 1, "no API call without a token");
    for text in [
        format!("{err}"),
        format!("{err:?}"),
        err.raw_body().unwrap_or_default().to_owned(),
        format!("{c:?}"),
    ] {
        assert!(!text.contains(CANARY), "secret leaked: {text}");
    }
    let builder = Client::builder()
        .base_url(mock.base_url())
        .client_id("id")
        .client_secret(SecretString::from(CANARY));
    assert!(!format!("{builder:?}").contains(CANARY));
}

#[test]
fn debug_shows_the_base_url_only() {
    let c = Client::builder()
        .base_url("https://acme.halopsa.com")
        .client_id("my-client-id")
        .client_secret(SecretString::from(CANARY))
        .build()
        .unwrap();
    let d = format!("{c:?}");
    assert!(d.contains("https://acme.halopsa.com/api/"), "{d}");
    assert!(!d.contains(CANARY) && !d.contains("my-client-id"), "{d}");
}

#[test]
fn bad_configuration_is_a_config_error_naming_the_problem() {
    let ok = || {
        Client::builder()
            .base_url("https://acme.halopsa.com")
            .client_id("id")
            .client_secret("s".into())
    };
    assert!(ok().build().is_ok());
    let cases: Vec<(psa_halo::ClientBuilder, &str)> = vec![
        (
            Client::builder().client_id("id").client_secret("s".into()),
            "base URL",
        ),
        (ok().base_url("http://acme.halopsa.com"), "https"),
        (
            ok().base_url("https://user:pw@acme.halopsa.com"),
            "credentials",
        ),
        (ok().base_url("not a url"), "base URL"),
        (ok().auth_url("ftp://acme.halopsa.com/auth"), "auth URL"),
        (ok().client_id(" "), "client id"),
        (ok().client_secret("".into()), "secret"),
        (ok().tenant("two words"), "tenant"),
        (ok().scopes(["read:tickets", "bad scope"]), "scope"),
        (ok().agent_id(0), "agent id"),
        (ok().work_type_lookup_id(-1), "look-up id"),
        (
            ok().rate_limit(RateLimit::Window {
                max: 0,
                window: Duration::from_secs(1),
            }),
            "rate limit",
        ),
    ];
    for (b, expect) in cases {
        let err = b.build().unwrap_err();
        assert!(err.is_config(), "{err}");
        assert!(err.to_string().contains(expect), "{expect}: {err}");
    }
    // Loopback http is allowed, for tests.
    assert!(ok().base_url("http://127.0.0.1:8080").build().is_ok());
    assert!(ok().base_url("http://localhost:8080").build().is_ok());
}
