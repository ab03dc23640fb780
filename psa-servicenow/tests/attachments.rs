//! Attachments through `psa_core::Psa`, against the simulator's Attachment API.

#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use psa_core::{Id, NewAttachment, Psa};
use psa_servicenow::mock::{ServiceNowMock, seed};

fn inc(sys: &str) -> Id {
    Id::text(format!("incident:{sys}")).unwrap()
}

#[tokio::test]
async fn list_upload_download_and_delete() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let ticket = inc(seed::INC_PRINTER);
    assert!(
        client
            .capabilities()
            .support(psa_core::Operation::UploadAttachment)
            .is_supported()
    );

    let seeded: Vec<_> = client
        .list_attachments(&ticket)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(seeded.len(), 1);
    assert_eq!(seeded[0].file_name, "printer-status.txt");
    assert_eq!(seeded[0].ticket, ticket);
    assert_eq!(seeded[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(seeded[0].size, Some(30));
    assert_eq!(
        seeded[0].author.as_ref().and_then(|a| a.name.as_deref()),
        Some("beth.anglin")
    );
    assert!(seeded[0].id.to_string().starts_with("sys_attachment:"));

    let png = vec![0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0, 0, 13];
    let up = client
        .upload_attachment(
            &ticket,
            NewAttachment::new("screen.png", "image/png", png.clone()),
        )
        .await
        .unwrap();
    assert_eq!(up.file_name, "screen.png");
    assert_eq!(up.size, Some(png.len() as u64));
    assert_eq!(up.ticket, ticket);
    assert_eq!(
        mock.requests_to("POST", "/api/now/attachment/file"),
        1,
        "the raw body to /file"
    );

    let listed: Vec<_> = client
        .list_attachments(&ticket)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    let other: Vec<_> = client
        .list_attachments(&inc(seed::INC_VPN))
        .try_collect()
        .await
        .unwrap();
    assert!(other.is_empty());

    let d = client.download_attachment(&up.id, 1024).await.unwrap();
    assert_eq!(d.content_type.as_deref(), Some("image/png"));
    assert_eq!(d.file_name.as_deref(), Some("screen.png"));
    assert_eq!(d.size, Some(png.len() as u64));
    assert_eq!(d.bytes().await.unwrap().as_ref(), png.as_slice());

    // Larger than allowed: refused on the metadata, the content never read.
    let before = mock.requests_to(
        "GET",
        &format!(
            "/api/now/attachment/{}/file",
            up.id.to_string().trim_start_matches("sys_attachment:")
        ),
    );
    let e = client.download_attachment(&up.id, 4).await.unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    let after = mock.requests_to(
        "GET",
        &format!(
            "/api/now/attachment/{}/file",
            up.id.to_string().trim_start_matches("sys_attachment:")
        ),
    );
    assert_eq!(before, after, "the file was not requested");

    client.delete_attachment(&up.id).await.unwrap();
    let listed: Vec<_> = client
        .list_attachments(&ticket)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(
        client
            .download_attachment(&up.id, 1024)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert_eq!(mock.unexpected_requests(), 0);
}

#[tokio::test]
async fn bad_files_are_refused_before_any_request() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    let ticket = inc(seed::INC_PRINTER);
    for bad in [
        NewAttachment::new("run.exe", "application/octet-stream", &b"MZ"[..]),
        NewAttachment::new("../etc/passwd", "text/plain", &b"x"[..]),
        NewAttachment::new(
            "big.bin",
            "application/octet-stream",
            vec![0u8; NewAttachment::MAX_BYTES + 1],
        ),
    ] {
        let e = client.upload_attachment(&ticket, bad).await.unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
    }
    assert_eq!(mock.request_count(), 0);
}

#[tokio::test]
async fn an_upload_is_never_retried() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let mock = ServiceNowMock::start().await;
    Mock::given(method("POST"))
        .and(path("/api/now/attachment/file"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(psa_servicenow::mock::ROUTE_PRIORITY - 1)
        .mount(mock.server())
        .await;
    let client = mock.client();
    let e = client
        .upload_attachment(
            &inc(seed::INC_PRINTER),
            NewAttachment::new("a.txt", "text/plain", &b"hello"[..]),
        )
        .await
        .unwrap_err();
    assert!(!e.is_invalid_input(), "{e}");
    let posts = mock
        .server()
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/api/now/attachment/file")
        .count();
    assert_eq!(posts, 1, "sent once, never again");
}
