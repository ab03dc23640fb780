//! The client: auth headers, codebase discovery, paging, hostile query
//! input, callbacks (signature and SSRF), member tokens, 429s, canary
//! secrets and a permission guard that denies before any request.

use futures::TryStreamExt;
use psa_connectwise::auth::Credentials;
use psa_connectwise::mock::{API_MEMBER, CLIENT_ID, COMPANY_ID, PRIVATE_KEY, PUBLIC_KEY};
use psa_connectwise::query::{Condition, Field, fields};
use psa_connectwise::resources::{PageRef, Paging};
use psa_connectwise::webhook::KeyUrlPolicy;
use psa_connectwise::{Client, ConnectWiseMock};
use psa_core::{Id, NewNote, NewTicket, Psa, TicketQuery, WebhookDelivery};
use secrecy::SecretString;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn creds(company: &str, public: &str, private: &str, client_id: &str) -> Credentials {
    Credentials::new(
        company,
        SecretString::from(public.to_owned()),
        SecretString::from(private.to_owned()),
        SecretString::from(client_id.to_owned()),
    )
    .expect("valid test credentials")
}

#[tokio::test]
async fn auth_headers_are_exact() {
    let server = MockServer::start().await;
    // base64("acme+pub:priv") = YWNtZStwdWI6cHJpdg==
    Mock::given(method("GET"))
        .and(path("/v4_6_release/apis/3.0/service/tickets/5"))
        .and(header("authorization", "Basic YWNtZStwdWI6cHJpdg=="))
        .and(header("clientid", "0b7e6a5c-1111-4222-8333-944455566677"))
        .and(header(
            "accept",
            "application/vnd.connectwise.com+json; version=2025.16",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5, "summary": "x"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .credentials(creds(
            "acme",
            "pub",
            "priv",
            "0b7e6a5c-1111-4222-8333-944455566677",
        ))
        .base_url(format!("{}/v4_6_release/apis/3.0", server.uri()))
        .build()
        .unwrap();
    let t = client.tickets().get(5).send().await.unwrap();
    assert_eq!(t.id, Some(5));
    assert_eq!(
        creds("acme", "pub", "priv", "c")
            .authorization()
            .unwrap()
            .to_str()
            .unwrap(),
        "Basic YWNtZStwdWI6cHJpdg=="
    );
}

#[tokio::test]
async fn codebase_is_discovered_from_companyinfo() {
    let mock = ConnectWiseMock::builder().codebase("v2025_1").start().await;
    let client = Client::builder()
        .credentials(mock.credentials())
        .site(mock.uri())
        .api_version("2025.1")
        .connect()
        .await
        .unwrap();
    assert_eq!(
        client.base_url().as_str(),
        format!("{}/v2025_1/apis/3.0/", mock.uri())
    );
    assert_eq!(mock.companyinfo_requests(), 1);
    client.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(mock.accept_versions(), vec!["2025.1".to_string()]);
    // building without a base URL needs connect()
    let err = Client::builder()
        .credentials(mock.credentials())
        .site(mock.uri())
        .build()
        .unwrap_err();
    assert!(err.is_config());
    let err = Client::builder()
        .credentials(mock.credentials())
        .base_url("http://na.myconnectwise.net/v4_6_release/apis/3.0")
        .build()
        .unwrap_err();
    assert!(err.is_config(), "plain http only for loopback");
}

#[tokio::test]
async fn wrong_keys_are_unauthorized() {
    let mock = ConnectWiseMock::start().await;
    let client = Client::builder()
        .credentials(creds(COMPANY_ID, PUBLIC_KEY, "not-the-key", CLIENT_ID))
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let err = client.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(
        err.api_body().unwrap().code.as_deref(),
        Some("Unauthorized")
    );
}

#[tokio::test]
async fn navigable_paging_follows_link_headers() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    let all: Vec<_> = client
        .tickets()
        .list()
        .page_size(7)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    assert_eq!(
        mock.api_requests_to("GET", "service/tickets"),
        4,
        "25 records, 7 a page"
    );
    let mut ids: Vec<i64> = all.iter().filter_map(|t| t.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 25);
    // filters are kept on every page
    let open: Vec<_> = client
        .tickets()
        .list()
        .page_size(5)
        .conditions(fields::CLOSED_FLAG.eq(false))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(open.iter().all(|t| t.closed_flag == Some(false)));
    assert!(open.len() > 5);
}

#[tokio::test]
async fn forward_only_paging_scans_with_page_id() {
    let mock = ConnectWiseMock::builder()
        .generated_tickets(2100)
        .start()
        .await;
    let client = mock.client();
    let list = client.tickets().list().forward_only();
    assert_eq!(list.paging(), Paging::ForwardOnly);
    let req = list.page_request(PageRef::After(1020)).unwrap();
    assert_eq!(req.query_value("pageId"), Some("1020"));
    assert_eq!(req.query_value("pageSize"), Some("1000"));
    assert_eq!(req.headers()["pagination-type"], "forward-only");
    let all: Vec<_> = list.stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 2125);
    assert_eq!(
        mock.api_requests_to("GET", "service/tickets"),
        3,
        "1000 a page"
    );
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    // orderBy cannot be combined with forward-only
    let bad = client
        .tickets()
        .list()
        .forward_only()
        .order_by(fields::ID.desc());
    assert!(
        bad.page_request(PageRef::After(0))
            .unwrap_err()
            .is_invalid_input()
    );
}

#[tokio::test]
async fn a_link_to_another_origin_is_not_followed() {
    let mock = ConnectWiseMock::start().await;
    Mock::given(method("GET"))
        .and(path("/v4_6_release/apis/3.0/service/priorities"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 1, "name": "P1"}]))
                .insert_header("link", "<https://evil.example/v4_6_release/apis/3.0/service/priorities?page=2>; rel=\"next\""),
        )
        .mount(mock.server())
        .await;
    let err = mock
        .client()
        .priorities()
        .list()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another origin"), "{err}");
}

#[tokio::test]
async fn a_stripped_link_on_a_full_page_still_pages() {
    let mock = ConnectWiseMock::start().await;
    // a proxy dropped the Link header of page 1
    Mock::given(method("GET"))
        .and(path("/v4_6_release/apis/3.0/service/priorities"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 1, "name": "P1"}, {"id": 2, "name": "P2"}])),
        )
        .mount(mock.server())
        .await;
    let all: Vec<_> = mock
        .client()
        .priorities()
        .list()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().filter_map(|p| p.id).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
}

#[tokio::test]
async fn hostile_text_never_widens_the_query() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    let hostile = r#"x" or id > 0 or summary = "y"#;
    // the exact query of a text that stays inside the literal
    let ok = "printer (3rd floor) and 1=1 or 'x'";
    let req = client
        .tickets()
        .list()
        .conditions(Condition::all([
            fields::CLOSED_FLAG.eq(false),
            fields::SUMMARY.contains(ok),
        ]))
        .page_request(PageRef::Number(1))
        .unwrap();
    let query: Vec<(String, String)> = req
        .query_pairs()
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    assert_eq!(
        query,
        vec![
            (
                "conditions".to_string(),
                r#"closedFlag = false and summary contains "printer (3rd floor) and 1=1 or 'x'""#
                    .to_string()
            ),
            ("pageSize".to_string(), "1000".to_string()),
            ("page".to_string(), "1".to_string()),
        ]
    );
    let found: Vec<_> = client
        .list_tickets(TicketQuery::any().text(ok))
        .try_collect()
        .await
        .unwrap();
    assert!(
        found.is_empty(),
        "the text matched literally, not as a clause"
    );
    let before = mock.request_count();
    for bad in [hostile, "a\\", "line\nbreak", "tab\there"] {
        let err = client
            .list_tickets(TicketQuery::any().text(bad))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(err.is_invalid_input(), "{bad:?}: {err}");
    }
    assert_eq!(mock.request_count(), before, "nothing was sent");
    assert!(Field::new("summary) or (id").is_err());
}

#[tokio::test]
async fn callback_signatures_are_verified() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    let good = mock.signed_delivery("added", 1001);
    let events = client.parse_webhook(&good).await.unwrap();
    assert_eq!(events[0].kind, psa_core::TicketEventKind::Created);

    // tampered body
    let mut body = good.body.to_vec();
    let pos = body.iter().position(|b| *b == b'1').unwrap();
    body[pos] = b'2';
    let tampered = WebhookDelivery::new(good.headers.clone(), body);
    let err = client.parse_webhook(&tampered).await.unwrap_err();
    assert!(err.is_webhook(), "{err}");
    // missing and malformed signatures fail before any key fetch
    let keys = mock.key_requests();
    let mut h = good.headers.clone();
    h.remove("x-content-signature");
    assert!(
        client
            .parse_webhook(&WebhookDelivery::new(h.clone(), good.body.clone()))
            .await
            .unwrap_err()
            .is_webhook()
    );
    h.insert(
        "x-content-signature",
        "bm90IGEgc2lnbmF0dXJl".parse().unwrap(),
    );
    assert!(
        client
            .parse_webhook(&WebhookDelivery::new(h, good.body.clone()))
            .await
            .unwrap_err()
            .is_webhook()
    );
    assert_eq!(mock.key_requests(), keys);
}

#[tokio::test]
async fn key_urls_outside_the_allowlist_are_never_fetched() {
    let mock = ConnectWiseMock::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"signing_key": psa_connectwise::mock::SIGNING_KEY})),
        )
        .mount(&elsewhere)
        .await;
    let client = mock.client();
    for url in [
        format!("{}/callbackkeys/1", elsewhere.uri()),
        "https://evil.example/key".to_string(),
        "https://api-na.myconnectwise.net.evil.example/key".to_string(),
        "http://api-na.myconnectwise.net/key".to_string(),
        "https://user:pw@api-na.myconnectwise.net/key".to_string(),
        "https://api-na.myconnectwise.net:8443/key".to_string(),
        "https://169.254.169.254/latest/meta-data".to_string(),
        "https://[::1]/key".to_string(),
        "file:///etc/passwd".to_string(),
        "not a url".to_string(),
    ] {
        let d = mock.delivery_with_key_url("updated", 1001, &url);
        let err = client.parse_webhook(&d).await.unwrap_err();
        assert!(err.is_webhook(), "{url}: {err}");
        assert!(err.to_string().contains("refused"), "{url}: {err}");
    }
    assert_eq!(elsewhere.received_requests().await.unwrap().len(), 0);
    assert_eq!(mock.key_requests(), 0);

    let policy = KeyUrlPolicy::cloud();
    assert!(
        policy
            .check("https://api-eu.myconnectwise.net/v4_6_release/callback/key?id=1")
            .is_ok()
    );
    assert!(KeyUrlPolicy::none().allow_host("10.0.0.1").is_err());
    assert!(
        KeyUrlPolicy::none()
            .allow_host("cw.example.com")
            .unwrap()
            .check("https://cw.example.com/key")
            .is_ok()
    );
}

#[tokio::test]
async fn signing_keys_are_cached_for_their_ttl() {
    let mock = ConnectWiseMock::start().await;
    let cached = mock.client();
    cached
        .parse_webhook(&mock.signed_delivery("updated", 1001))
        .await
        .unwrap();
    cached
        .parse_webhook(&mock.signed_delivery("updated", 1002))
        .await
        .unwrap();
    assert_eq!(mock.key_requests(), 1);
    let uncached = mock
        .client_builder()
        .callback_key_ttl(Duration::ZERO)
        .build()
        .unwrap();
    uncached
        .parse_webhook(&mock.signed_delivery("updated", 1001))
        .await
        .unwrap();
    uncached
        .parse_webhook(&mock.signed_delivery("updated", 1002))
        .await
        .unwrap();
    assert_eq!(mock.key_requests(), 3);
}

#[tokio::test]
async fn acting_as_a_member_uses_cached_member_tokens() {
    let mock = ConnectWiseMock::start().await;
    let bot = mock.client_builder().act_as_member("jdoe").build().unwrap();
    let (i1, i2, i3) = (Id::from(1001), Id::from(1002), Id::from(1003));
    let (a, b, c) = tokio::join!(
        bot.get_ticket(&i1),
        bot.get_ticket(&i2),
        bot.get_ticket(&i3)
    );
    a.unwrap();
    b.unwrap();
    c.unwrap();
    bot.add_note(&Id::from(1001), NewNote::internal("as jdoe"))
        .await
        .unwrap();
    assert_eq!(mock.token_requests(), 1, "single-flight, then cached");
    assert_eq!(
        mock.write_identities().last().map(String::as_str),
        Some("jdoe")
    );
    let note = mock
        .notes_of(1001)
        .into_iter()
        .find(|n| n["text"] == "as jdoe")
        .unwrap();
    assert_eq!(note["createdBy"], "jdoe");

    // a token the site no longer accepts is renewed once and the call replayed
    mock.revoke_member_tokens();
    bot.get_ticket(&Id::from(1004)).await.unwrap();
    assert_eq!(mock.token_requests(), 2);
    assert_eq!(mock.unauthorized_requests(), 1);

    // without impersonation the API member writes
    mock.client()
        .add_note(&Id::from(1001), NewNote::internal("as api"))
        .await
        .unwrap();
    assert_eq!(
        mock.write_identities().last().map(String::as_str),
        Some(API_MEMBER)
    );

    // expired tokens are renewed (and a token the site rejects is renewed once)
    let short = ConnectWiseMock::builder()
        .token_lifetime(Duration::from_secs(2))
        .start()
        .await;
    let bot = short
        .client_builder()
        .act_as_member("jdoe")
        .build()
        .unwrap();
    bot.get_ticket(&Id::from(1001)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    bot.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(short.token_requests(), 2);

    let nobody = mock
        .client_builder()
        .act_as_member("nobody")
        .build()
        .unwrap();
    let err = nobody.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
}

#[tokio::test]
async fn cloudflare_429s_are_retried_after_retry_after() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    mock.inject_429(2, 1);
    let t = client.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.id, Id::from(1001));
    assert_eq!(mock.rate_limited_responses(), 2);
    // a 429 means "not processed": even a create is sent again, and lands once
    mock.inject_429(1, 1);
    let before = mock.ticket_count();
    client
        .create_ticket(NewTicket::new("Exactly once", 10))
        .await
        .unwrap();
    assert_eq!(mock.ticket_count(), before + 1);
    // past the retry policy the caller sees RateLimited with Retry-After
    let impatient = mock
        .client_builder()
        .http_config(
            psa_core::http::HttpConfig::default()
                .with_retry(psa_core::http::RetryPolicy::default().with_max_attempts(1)),
        )
        .build()
        .unwrap();
    mock.inject_429(1, 7);
    let err = impatient.get_ticket(&Id::from(1001)).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn secrets_never_show() {
    let mock = ConnectWiseMock::start().await;
    let client = Client::builder()
        .credentials(creds(
            COMPANY_ID,
            PUBLIC_KEY,
            "canary-private-K3y",
            "canary-client-id",
        ))
        .base_url(mock.base_url())
        .act_as_member("jdoe")
        .build()
        .unwrap();
    let err = client.get_ticket(&Id::from(1001)).await.unwrap_err();
    let builder = Client::builder().credentials(creds(
        COMPANY_ID,
        "canary-pub",
        "canary-private-K3y",
        "canary-client-id",
    ));
    let token = mock.client().member_token("jdoe").await.unwrap();
    let auth = creds(
        COMPANY_ID,
        PUBLIC_KEY,
        "canary-private-K3y",
        "canary-client-id",
    )
    .authorization()
    .unwrap();
    let encoded = auth
        .to_str()
        .unwrap()
        .trim_start_matches("Basic ")
        .to_owned();
    for text in [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{err:?}"),
        err.to_string(),
        format!("{:?}", err.headers()),
        format!("{token:?}"),
        format!("{:?}", mock.client()),
    ] {
        for secret in [
            "canary-private-K3y",
            "canary-client-id",
            "canary-pub",
            PRIVATE_KEY,
            encoded.as_str(),
            "tmpPriv",
        ] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
    assert!(auth.is_sensitive());
}

#[tokio::test]
async fn a_guard_denial_makes_no_request() {
    let mock = ConnectWiseMock::start().await;
    let guarded =
        psa_permissions::Guarded::new(mock.client(), psa_permissions::Policy::read_only());
    let before = mock.request_count();
    let err = guarded
        .create_ticket(NewTicket::new("Denied", 10))
        .await
        .unwrap_err();
    assert!(err.is_permission_denied(), "{err}");
    let err = guarded
        .add_note(&Id::from(1001), NewNote::internal("Denied"))
        .await
        .unwrap_err();
    assert!(err.is_permission_denied());
    let err = guarded
        .raw(psa_core::RawRequest::post(
            "system/members/jdoe/tokens",
            json!({}),
        ))
        .await
        .unwrap_err();
    assert!(err.is_permission_denied());
    assert_eq!(mock.request_count(), before);
    // reads pass
    guarded.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(mock.request_count(), before + 1);
}

#[test]
fn clients_are_send_sync_clone_debug() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug + 'static>() {}
    check::<Client>();
    let _: Option<std::sync::Arc<dyn Psa>> =
        None::<std::sync::Arc<Client>>.map(|c| c as std::sync::Arc<dyn Psa>);
}

#[tokio::test]
async fn a_create_whose_custom_fields_fail_names_the_created_ticket() {
    let mock = ConnectWiseMock::start().await;
    let before = mock.ticket_count();
    // ConnectWise refuses the follow-up PATCH that sets the custom fields.
    Mock::given(method("PATCH"))
        .and(wiremock::matchers::path_regex(
            r"^/v4_6_release/apis/3\.0/service/tickets/\d+$",
        ))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": "InvalidObject",
            "message": "customFields object is invalid",
            "errors": [{"code": "InvalidField", "message": "Story Points is read-only",
                        "resource": "ticket", "field": "customFields"}]
        })))
        .with_priority(1)
        .expect(1)
        .mount(mock.server())
        .await;
    let err = mock
        .client()
        .create_ticket(NewTicket::new("Dock not detected", 10).custom_field("Story Points", 3))
        .await
        .unwrap_err();

    // The ticket exists: the error names it, so the caller does not create
    // it again, and carries ConnectWise's answer to the PATCH as its source.
    assert_eq!(mock.ticket_count(), before + 1);
    let created = mock.api_requests_to("POST", "service/tickets");
    assert_eq!(created, 1, "the create was sent once");
    let text = err.to_string();
    assert!(
        text.contains("was created, but its custom fields were not set"),
        "{text}"
    );
    let named: i64 = text
        .split("ticket #")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no ticket id in {text}"));
    let stored = mock.ticket(named).expect("the named ticket exists");
    assert_eq!(stored["summary"], "Dock not detected");
    assert_eq!(err.vendor(), Some(psa_core::Vendor::ConnectWise));
    let source = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<psa_core::Error>())
        .expect("the PATCH error is the source");
    assert_eq!(source.http_status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        source.field_errors().first().map(|f| f.message.as_str()),
        Some("Story Points is read-only")
    );
    assert_eq!(err.kind(), source.kind());
}
