//! Attachments: a ticket's ConnectWise documents (`/system/documents`),
//! uploaded as `multipart/form-data`, listed by record, downloaded as a
//! stream and deleted.

use futures::TryStreamExt;
use psa_connectwise::ConnectWiseMock;
use psa_connectwise::models::DocumentUpload;
use psa_core::{Id, NewAttachment, Psa, RawRequest};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn upload_list_download_delete() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let ticket = Id::from(1001);
    assert!(
        psa.list_attachments(&ticket)
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .is_empty()
    );
    let content = b"line one\r\n--not-a-boundary\r\nline three".to_vec();
    let file = NewAttachment::new("printer log.txt", "text/plain", content.clone());
    let up = psa.upload_attachment(&ticket, file).await.unwrap();
    assert_eq!(up.file_name, "printer log.txt");
    assert_eq!(up.ticket, ticket);
    assert_eq!(up.size, Some(content.len() as u64));
    assert!(up.created_at.is_some());
    assert_eq!(up.raw["owner"], "psa.agent");

    let listed: Vec<_> = psa.list_attachments(&ticket).try_collect().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, up.id);
    let other: Vec<_> = psa
        .list_attachments(&Id::from(1002))
        .try_collect()
        .await
        .unwrap();
    assert!(other.is_empty(), "documents are listed by record");

    let dl = psa.download_attachment(&up.id, 1024).await.unwrap();
    assert_eq!(dl.file_name.as_deref(), Some("printer log.txt"));
    assert_eq!(dl.content_type.as_deref(), Some("text/plain"));
    assert_eq!(dl.size, Some(content.len() as u64));
    assert_eq!(dl.bytes().await.unwrap(), content);

    // over the caller's limit: refused (the size is announced)
    let small = psa.download_attachment(&up.id, 4).await;
    let refused = match small {
        Err(e) => Some(e),
        Ok(d) => d.bytes().await.err(),
    };
    assert!(refused.is_some(), "a download over max_bytes fails");

    psa.delete_attachment(&up.id).await.unwrap();
    assert!(
        psa.list_attachments(&ticket)
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .is_empty()
    );
    let err = psa.download_attachment(&up.id, 1024).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn a_document_sent_as_json_is_answered_415() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let err = psa
        .raw(
            RawRequest::new(http::Method::POST, "system/documents").body(serde_json::json!({
                "recordType": "Ticket", "recordId": 1001, "title": "x"
            })),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(415), "{err}");
}

#[tokio::test]
async fn uploads_are_checked_first_and_never_retried() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let sent = mock.request_count();
    for bad in [
        NewAttachment::new("setup.exe", "application/octet-stream", &b"MZ"[..]),
        NewAttachment::new("../x.txt", "text/plain", &b"x"[..]),
        NewAttachment::new("empty.txt", "text/plain", &b""[..]),
        NewAttachment::new(
            "big.bin",
            "application/octet-stream",
            vec![0u8; NewAttachment::MAX_BYTES + 1],
        ),
    ] {
        let err = psa
            .upload_attachment(&Id::from(1001), bad)
            .await
            .unwrap_err();
        assert!(err.is_invalid_input(), "{err}");
    }
    assert_eq!(mock.request_count(), sent);

    Mock::given(method("POST"))
        .and(path_regex("/system/documents$"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let err = psa
        .upload_attachment(
            &Id::from(1001),
            NewAttachment::new("a.txt", "text/plain", &b"x"[..]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status().map(|s| s.as_u16()), Some(503), "{err}");
    let posts = mock
        .server()
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| {
            r.method == wiremock::http::Method::POST && r.url.path().ends_with("/system/documents")
        })
        .count();
    assert_eq!(posts, 1, "an upload is never retried");
}

#[test]
fn the_upload_request_is_multipart() {
    let client = psa_connectwise::Client::builder()
        .credentials(
            psa_connectwise::auth::Credentials::new(
                "acme",
                "pub".to_owned().into(),
                "priv".to_owned().into(),
                "6d6b0f1e-0000-4000-8000-000000000001".to_owned().into(),
            )
            .unwrap(),
        )
        .base_url("https://na.myconnectwise.net/v4_6_release/apis/3.0")
        .build()
        .unwrap();
    let upload = DocumentUpload::new("Ticket", 1001, "a \"b\".txt", "text/plain", &b"hi"[..]);
    let req = client.documents().upload(upload).request().unwrap();
    assert_eq!(req.method(), &http::Method::POST);
    assert_eq!(req.path(), Some("system/documents"));
    assert!(!req.is_idempotent());
    let ct = req.content_type().unwrap().to_str().unwrap().to_owned();
    let boundary = ct
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    let body = String::from_utf8(req.body_bytes().unwrap().to_vec()).unwrap();
    for field in ["recordType", "recordId", "title", "privateFlag"] {
        assert!(
            body.contains(&format!("name=\"{field}\"\r\n\r\n")),
            "{field}: {body}"
        );
    }
    assert!(body.contains(
        "name=\"file\"; filename=\"a %22b%22.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
    ));
    assert!(body.ends_with(&format!("--{boundary}--\r\n")));
    let bad = DocumentUpload::new("Ticket", 0, "a.txt", "text/plain", &b"hi"[..]);
    assert!(
        client
            .documents()
            .upload(bad)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    let get = client.documents().download(7).request().unwrap();
    assert_eq!(get.path(), Some("system/documents/7/download"));
    let list = client
        .documents()
        .list_for("Ticket", 1001)
        .request()
        .unwrap();
    assert_eq!(list.query_value("recordType"), Some("Ticket"));
    assert_eq!(list.query_value("recordId"), Some("1001"));
}
