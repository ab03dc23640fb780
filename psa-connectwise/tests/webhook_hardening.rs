//! Issue 11: callback deliveries — forged ones cost at most one key fetch,
//! oversized ones are refused unread, and a key URL must look like one.

use psa_connectwise::ConnectWiseMock;
use psa_connectwise::webhook::{KeyUrlPolicy, MAX_DELIVERY_BYTES};
use psa_core::{Psa, WebhookDelivery};

#[tokio::test]
async fn twenty_forged_deliveries_make_at_most_one_key_fetch() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    let good = mock.signed_delivery("updated", 1001);
    let mut headers = good.headers.clone();
    headers.insert(
        "x-content-signature",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
            .parse()
            .unwrap(),
    );
    for _ in 0..20 {
        let forged = WebhookDelivery::new(headers.clone(), good.body.clone());
        let err = client.parse_webhook(&forged).await.unwrap_err();
        assert!(err.is_webhook(), "{err}");
    }
    assert!(
        mock.key_requests() <= 1,
        "{} key fetches",
        mock.key_requests()
    );
    // the genuine delivery still verifies with the cached key
    client.parse_webhook(&good).await.unwrap();
    assert!(mock.key_requests() <= 1);
}

#[tokio::test]
async fn an_oversized_delivery_is_refused_before_parsing() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    let good = mock.signed_delivery("updated", 1001);
    let mut body = good.body.to_vec();
    body.resize(MAX_DELIVERY_BYTES + 1, b' ');
    let err = client
        .parse_webhook(&WebhookDelivery::new(good.headers.clone(), body))
        .await
        .unwrap_err();
    assert!(
        err.is_webhook() && err.to_string().contains("larger"),
        "{err}"
    );
    assert_eq!(mock.key_requests(), 0);
}

#[test]
fn key_urls_must_have_a_key_path() {
    let p = KeyUrlPolicy::cloud();
    let host = "https://api-na.myconnectwise.net";
    assert!(
        p.check(&format!("{host}/v4_6_release/callbackkeys/12"))
            .is_ok()
    );
    assert!(
        p.check(&format!("{host}/v4_6_release/callback/key?id=1"))
            .is_ok()
    );
    for bad in [
        "/v4_6_release/apis/3.0/system/members",
        "/v4_6_release/apis/3.0/service/tickets?conditions=id%3D1",
        "/v4_6_release/callbackkeys%2f..%2f..%2fsystem%2fmembers",
        "/v4_6_release//callbackkeys/1",
        "/v4_6_release/callbackkeys/1;evil",
        "/v4_6_release/callbackkeys/1?id=1&next=https://evil.example",
        "/v4_6_release/callbackkeys/1?redirect=x",
    ] {
        let err = p.check(&format!("{host}{bad}")).unwrap_err();
        assert!(
            err.is_webhook() && err.to_string().contains("refused"),
            "{bad}: {err}"
        );
    }
    let long = format!("{host}/key/{}", "a".repeat(300));
    assert!(p.check(&long).is_err());
}
