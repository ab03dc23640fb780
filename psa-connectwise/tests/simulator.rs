//! The simulator itself, driven with a bare HTTP client: it must behave like
//! a ConnectWise site for the client tests to mean anything.

use base64::Engine as _;
use psa_connectwise::ConnectWiseMock;
use psa_connectwise::mock::{API_MEMBER, CLIENT_ID, COMPANY_ID, PRIVATE_KEY, PUBLIC_KEY};
use psa_core::reexports::reqwest;
use serde_json::{Value, json};

fn basic(public: &str, private: &str) -> String {
    let raw = format!("{COMPANY_ID}+{public}:{private}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn get(mock: &ConnectWiseMock, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .get(format!("{}/{path}", mock.base_url()))
        .header("authorization", basic(PUBLIC_KEY, PRIVATE_KEY))
        .header("clientId", CLIENT_ID)
        .header(
            "accept",
            "application/vnd.connectwise.com+json; version=2025.16",
        )
}

#[tokio::test]
async fn company_info_names_the_codebase() {
    let mock = ConnectWiseMock::start().await;
    let info: Value = reqwest::get(format!("{}/login/companyinfo/{COMPANY_ID}", mock.uri()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["Codebase"], "v4_6_release/");
    assert_eq!(mock.companyinfo_requests(), 1);
}

#[tokio::test]
async fn wrong_keys_or_client_id_get_connectwise_401() {
    let mock = ConnectWiseMock::start().await;
    let r = reqwest::Client::new()
        .get(format!("{}/service/tickets", mock.base_url()))
        .header("authorization", basic(PUBLIC_KEY, "wrong"))
        .header("clientId", CLIENT_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "Unauthorized");
    let r = reqwest::Client::new()
        .get(format!("{}/service/tickets", mock.base_url()))
        .header("authorization", basic(PUBLIC_KEY, PRIVATE_KEY))
        .header("clientId", "someone-else")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(mock.unauthorized_requests(), 2);
}

#[tokio::test]
async fn navigable_paging_sends_link_headers() {
    let mock = ConnectWiseMock::start().await;
    let r = get(
        &mock,
        "service/tickets?pageSize=10&conditions=closedFlag%20%3D%20false",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let link = r.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains("rel=\"next\""), "{link}");
    assert!(link.contains("page=2"), "{link}");
    assert!(link.contains("conditions="), "filters kept: {link}");
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 10);
    assert!(page.iter().all(|t| t["closedFlag"] == false));
    assert_eq!(mock.accept_versions(), vec!["2025.16".to_string()]);
}

#[tokio::test]
async fn forward_only_paging_uses_page_id() {
    let mock = ConnectWiseMock::start().await;
    let r = get(&mock, "service/tickets?pageSize=20")
        .header("pagination-type", "forward-only")
        .send()
        .await
        .unwrap();
    let link = r.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains("pageId=1020"), "{link}");
    assert!(!link.contains("rel=\"last\""));
    let r = get(&mock, "service/tickets?pageSize=20&pageId=1020")
        .header("pagination-type", "forward-only")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("link").is_none());
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 5);
}

#[tokio::test]
async fn bad_conditions_get_a_400_in_connectwise_shape() {
    let mock = ConnectWiseMock::start().await;
    let r = get(&mock, "service/tickets?conditions=summary%20%3D%20%22open")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "InvalidFilter");
    assert_eq!(body["errors"][0]["field"], "conditions");
}

#[tokio::test]
async fn contacts_by_email_through_child_conditions() {
    let mock = ConnectWiseMock::start().await;
    let r = get(
        &mock,
        "company/contacts?childConditions=communicationItems%2Fvalue%20%3D%20%22HANK%40globex.example%22",
    )
    .send()
    .await
    .unwrap();
    let page: Vec<Value> = r.json().await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["id"], 204);
}

#[tokio::test]
async fn patch_is_json_patch_and_keeps_board_and_status_consistent() {
    let mock = ConnectWiseMock::start().await;
    let client = reqwest::Client::new();
    let patch = |body: Value| {
        client
            .patch(format!("{}/service/tickets/1001", mock.base_url()))
            .header("authorization", basic(PUBLIC_KEY, PRIVATE_KEY))
            .header("clientId", CLIENT_ID)
            .json(&body)
            .send()
    };
    // status 7 is on board 2, ticket 1001 is on board 1
    let r = patch(json!([{"op": "replace", "path": "status", "value": {"id": 7}}]))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = patch(json!([{"op": "replace", "path": "/status", "value": {"id": 5}}]))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["status"]["name"], ">Closed");
    assert_eq!(t["closedFlag"], true);
    assert_eq!(t["_info"]["updatedBy"], API_MEMBER);
    let r = patch(json!({"op": "replace"})).await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn unknown_routes_are_counted() {
    let mock = ConnectWiseMock::start().await;
    let r = get(&mock, "sales/opportunities").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "NotFound");
    assert_eq!(mock.unexpected_requests(), 1);
}

/// The shared `Simulator` trait, driven with no ConnectWise knowledge: what
/// the conformance suite needs of every vendor's simulator.
#[tokio::test]
async fn the_simulator_trait_drives_it_like_any_vendor() {
    use futures::TryStreamExt;
    use http::Method;
    use psa_core::http::HttpConfig;
    use psa_core::testing::{RequestClass, Simulator};
    use psa_core::{Id, TicketEventKind, TicketQuery};

    let mock = ConnectWiseMock::builder()
        .generated_tickets(20)
        .start()
        .await;
    let sim: &dyn Simulator = &mock;
    assert_eq!(sim.vendor(), psa_core::Vendor::ConnectWise);
    assert_eq!(sim.uri(), mock.uri());

    let psa = sim.psa();
    let before = sim.request_count();
    let t = psa.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(sim.request_count(), before + 1);
    let path = "/v4_6_release/apis/3.0/service/tickets/1001";
    assert_eq!(sim.requests_to("GET", path), 1);
    assert_eq!(
        sim.requests_to("get", &path.to_uppercase()),
        1,
        "without case"
    );
    assert_eq!(sim.requests_to("PATCH", path), 0);

    // a raw read of the same ticket, in ConnectWise's own path
    let raw = psa.raw(sim.raw_ticket_read(&Id::from(1001))).await.unwrap();
    assert_eq!(raw.status, 200);
    assert_eq!(raw.json().unwrap()["id"], 1001);
    assert_eq!(sim.requests_to("GET", path), 2);

    // what each request is
    for (m, p, class) in [
        (
            Method::GET,
            "/login/companyinfo/northwind",
            RequestClass::Setup,
        ),
        (
            Method::POST,
            "/v4_6_release/apis/3.0/system/members/psa.agent/tokens",
            RequestClass::Setup,
        ),
        (Method::GET, path, RequestClass::Read),
        (Method::PATCH, path, RequestClass::Write),
        (
            Method::POST,
            "/v4_6_release/apis/3.0/service/tickets/1001/merge",
            RequestClass::Write,
        ),
        (Method::DELETE, path, RequestClass::Write),
    ] {
        assert_eq!(sim.classify(&m, p), class, "{m} {p}");
    }

    // a tokened client: member tokens, pages of the size asked for
    let tokened = sim
        .tokened_psa(10)
        .unwrap()
        .expect("ConnectWise has tokens");
    let listed: Vec<_> = tokened
        .list_tickets(TicketQuery::any().limit(25))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 25);
    assert_eq!(
        sim.requests_to("GET", "/v4_6_release/apis/3.0/service/tickets"),
        3,
        "25 tickets, 10 a page"
    );
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(sim.unauthorized_requests(), 0);
    assert!(sim.expire_tokens());
    tokened.get_ticket(&Id::from(1002)).await.unwrap();
    assert_eq!(sim.unauthorized_requests(), 1, "the revoked token");
    assert_eq!(sim.token_requests(), 2, "renewed once");

    // tuned clients, directly or through an origin standing in for a proxy
    let config = HttpConfig::default().with_attempt_timeout(std::time::Duration::from_secs(2));
    for origin in [None, Some(mock.uri())] {
        let tuned = sim.tuned_psa(config.clone(), origin.as_deref()).unwrap();
        tuned.get_ticket(&Id::from(1003)).await.unwrap();
    }

    // a signed delivery the client verifies
    let (verifier, delivery) = sim.ticket_delivery(&t).await.unwrap();
    let events = verifier.parse_webhook(&delivery).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, TicketEventKind::Updated);
    assert_eq!(events[0].ticket, Id::from(1001));
    let mut text_id = t.clone();
    text_id.id = Id::text("incident:abc").unwrap();
    assert!(
        sim.ticket_delivery(&text_id)
            .await
            .unwrap_err()
            .is_invalid_input()
    );

    assert_eq!(sim.unexpected_requests(), 0);
}
