//! The simulator itself, spoken to over plain HTTP (no SDK client): it must
//! behave like the recorded instance before the client's tests lean on it.

// Helpers outside #[test] functions unwrap fixed test data, as the tests do
// (clippy.toml allows unwrap in tests but not in their helpers).
#![allow(clippy::unwrap_used)]

use psa_core::reexports::reqwest;
use psa_servicenow::mock::{ServiceNowMock, seed};
use serde_json::{Value, json};
use std::time::Duration;

async fn token(mock: &ServiceNowMock, form: &[(&str, &str)]) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/oauth_token.do", mock.uri()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn bearer(mock: &ServiceNowMock) -> String {
    let (status, body) = token(
        mock,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", seed::CLIENT_ID),
            ("client_secret", seed::CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    format!("Bearer {}", body["access_token"].as_str().unwrap())
}

async fn get(mock: &ServiceNowMock, auth: &str, path_and_query: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path_and_query}", mock.uri()))
        .header("authorization", auth)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn oauth_grants_and_bad_credentials() {
    let mock = ServiceNowMock::start().await;
    let (status, body) = token(
        &mock,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", seed::CLIENT_ID),
            ("client_secret", seed::CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "useraccount");
    assert_eq!(body["expires_in"], 1799);
    assert!(body.get("refresh_token").is_none());

    let (status, body) = token(
        &mock,
        &[
            ("grant_type", "password"),
            ("client_id", seed::CLIENT_ID),
            ("client_secret", seed::CLIENT_SECRET),
            ("username", seed::INTEGRATION_USER),
            ("password", seed::INTEGRATION_PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let (status, body) = token(
        &mock,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", seed::CLIENT_ID),
            ("client_secret", seed::CLIENT_SECRET),
            ("refresh_token", &refresh),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    for form in [
        vec![
            ("grant_type", "client_credentials"),
            ("client_id", seed::CLIENT_ID),
            ("client_secret", "wrong"),
        ],
        vec![
            ("grant_type", "password"),
            ("client_id", seed::CLIENT_ID),
            ("client_secret", seed::CLIENT_SECRET),
            ("username", seed::INTEGRATION_USER),
            ("password", "wrong"),
        ],
    ] {
        let (status, body) = token(&mock, &form).await;
        assert_eq!(status, 401);
        assert_eq!(
            body,
            json!({"error_description": "access_denied", "error": "server_error"})
        );
    }
    // JSON is not accepted by the token endpoint.
    let r = reqwest::Client::new()
        .post(format!("{}/oauth_token.do", mock.uri()))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(mock.token_requests(), 6);
    assert_eq!(
        mock.unauthorized_requests(),
        2,
        "the two refusals, not the 400"
    );
}

#[tokio::test]
async fn table_api_auth_paging_and_short_pages() {
    let mock = ServiceNowMock::start().await;
    let r = get(&mock, "Bearer nope", "/api/now/table/incident").await;
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(mock.unauthorized_requests(), 1);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["message"], "User Not Authenticated");

    let auth = bearer(&mock).await;
    // Six seeded incidents, one hidden by an ACL: INC0010005 is the fifth by creation.
    let q = "/api/now/table/incident?sysparm_query=ORDERBYnumber&sysparm_limit=2&sysparm_offset=4&sysparm_fields=number";
    let r = get(&mock, &auth, q).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["x-total-count"], "6");
    let link = r.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains("rel=\"first\""), "{link}");
    assert!(link.contains("rel=\"prev\""), "{link}");
    assert!(!link.contains("rel=\"next\""), "{link}");
    assert!(
        link.starts_with(&format!("<{}/api/now/table/incident?", mock.uri())),
        "{link}"
    );
    assert!(r.headers().get("set-cookie").is_some());
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["result"],
        json!([{"number": "INC0010006"}]),
        "the hidden record leaves a short page"
    );

    let r = get(
        &mock,
        &auth,
        "/api/now/table/incident?sysparm_limit=2&sysparm_query=ORDERBYnumber",
    )
    .await;
    let link = r.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains("sysparm_offset=2>;rel=\"next\""), "{link}");

    let r = get(
        &mock,
        &auth,
        &format!("/api/now/table/incident/{}", seed::INC_HIDDEN),
    )
    .await;
    assert_eq!(r.status().as_u16(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["message"], "No Record found");

    let r = get(
        &mock,
        &auth,
        "/api/now/table/sys_user_groups?sysparm_limit=10",
    )
    .await;
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": {"message": "Invalid table sys_user_groups", "detail": null}, "status": "failure"})
    );

    let r = get(
        &mock,
        &auth,
        "/api/now/table/incident?sysparm_query=nosuchfield%3D1",
    )
    .await;
    assert_eq!(r.status().as_u16(), 400);
    let r = get(
        &mock,
        &auth,
        "/api/now/table/incident?sysparm_query=priorityBETWEEN1%402",
    )
    .await;
    assert_eq!(r.status().as_u16(), 400);

    let r = get(&mock, &auth, "/api/now/whatever").await;
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(mock.unexpected_requests(), 1);
    assert_eq!(mock.cookie_requests(), 0);
}

#[tokio::test]
async fn reference_forms_display_values_and_dot_walks() {
    let mock = ServiceNowMock::start().await;
    let auth = bearer(&mock).await;
    let base = format!(
        "/api/now/table/incident/{}?sysparm_fields=assignment_group,state,caller_id.email",
        seed::INC_PRINTER
    );
    let v: Value = get(&mock, &auth, &base).await.json().await.unwrap();
    assert_eq!(
        v["result"],
        json!({
            "assignment_group": {"link": format!("{}/api/now/table/sys_user_group/{}", mock.uri(), seed::SERVICE_DESK), "value": seed::SERVICE_DESK},
            "state": "2",
            "caller_id.email": "abel.tuter@acme.example"
        })
    );
    let v: Value = get(
        &mock,
        &auth,
        &format!("{base}&sysparm_exclude_reference_link=true"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v["result"]["assignment_group"], seed::SERVICE_DESK);
    let v: Value = get(&mock, &auth, &format!("{base}&sysparm_display_value=true"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["result"]["assignment_group"], "Service Desk");
    assert_eq!(v["result"]["state"], "In Progress");
    let v: Value = get(&mock, &auth, &format!("{base}&sysparm_display_value=all"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["result"]["state"],
        json!({"display_value": "In Progress", "value": "2"})
    );
    assert_eq!(
        v["result"]["assignment_group"]["display_value"],
        "Service Desk"
    );
    assert!(v["result"]["assignment_group"]["link"].is_string());
}

#[tokio::test]
async fn writes_follow_the_business_rules() {
    let mock = ServiceNowMock::start().await;
    let auth = bearer(&mock).await;
    let http = reqwest::Client::new();
    // The recorded create: the sent priority is replaced by the lookup.
    let r = http
        .post(format!("{}/api/now/table/incident", mock.uri()))
        .header("authorization", &auth)
        .json(
            &json!({"short_description": "network is down", "comments": "comments here",
            "assignment_group": seed::SERVICE_DESK, "urgency": 3, "impact": 3, "priority": 3}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let v: Value = r.json().await.unwrap();
    let rec = &v["result"];
    assert_eq!(rec["number"], "INC0010007");
    assert_eq!(rec["priority"], "5");
    assert_eq!(rec["state"], "1");
    assert_eq!(rec["comments"], "");
    assert_eq!(rec["sys_created_by"], seed::INTEGRATION_USER);
    let id = rec["sys_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32);
    assert!(location.ends_with(&id));

    let r = http
        .patch(format!("{}/api/now/table/incident/{id}", mock.uri()))
        .header("authorization", &auth)
        .json(&json!({"work_notes": "replacing a bad cable", "state": "6", "close_code": "Solution provided", "close_notes": "it worked"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["result"]["work_notes"], "");
    assert_eq!(v["result"]["state"], "6");
    assert_eq!(
        v["result"]["active"], "true",
        "a resolved incident stays active until closed"
    );
    let q = format!(
        "/api/now/table/sys_journal_field?sysparm_query=element_id%3D{id}%5EORDERBYsys_created_on&sysparm_fields=element,value"
    );
    let v: Value = get(&mock, &auth, &q).await.json().await.unwrap();
    assert_eq!(
        v["result"],
        json!([{"element": "comments", "value": "comments here"}, {"element": "work_notes", "value": "replacing a bad cable"}])
    );
    let q = format!(
        "/api/now/table/sys_audit?sysparm_query=documentkey%3D{id}%5Efieldname%3Dstate&sysparm_fields=oldvalue,newvalue,user"
    );
    let v: Value = get(&mock, &auth, &q).await.json().await.unwrap();
    assert_eq!(
        v["result"],
        json!([{"oldvalue": "1", "newvalue": "6", "user": seed::INTEGRATION_USER}])
    );

    let r = http
        .delete(format!("{}/api/now/table/incident/{id}", mock.uri()))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert!(mock.record("incident", &id).is_none());
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn basic_auth_and_the_rate_limit_rule() {
    let mock = ServiceNowMock::builder()
        .rate_limit(3, Duration::from_secs(60))
        .start()
        .await;
    let basic = format!(
        "Basic {}",
        base64_encode(&format!(
            "{}:{}",
            seed::INTEGRATION_USER,
            seed::INTEGRATION_PASSWORD
        ))
    );
    for _ in 0..3 {
        let r = get(
            &mock,
            &basic,
            "/api/now/table/sys_user_group?sysparm_limit=1",
        )
        .await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["x-ratelimit-limit"], "3");
        assert!(r.headers().contains_key("x-ratelimit-reset"));
        assert!(r.headers().contains_key("x-ratelimit-rule"));
    }
    let r = get(
        &mock,
        &basic,
        "/api/now/table/sys_user_group?sysparm_limit=1",
    )
    .await;
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["message"], "Rate limit exceeded");
    assert_eq!(mock.rate_limited_requests(), 1);

    let bad = format!("Basic {}", base64_encode("svc.psa.integration:nope"));
    let r = get(&mock, &bad, "/api/now/table/incident").await;
    assert_eq!(r.status().as_u16(), 401);
}

fn base64_encode(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
