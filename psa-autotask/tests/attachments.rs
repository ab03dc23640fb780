//! Ticket attachments: list, download (size checked first, chunked), upload
//! (base64 JSON, limits checked before any request), delete.

use futures::TryStreamExt;
use psa_autotask::mock::{self, AutotaskMock};
use psa_core::{ErrorKind, Id, NewAttachment, Operation, Psa};

async fn read_all(d: psa_core::AttachmentDownload) -> psa_core::Result<Vec<u8>> {
    let chunks: Vec<bytes::Bytes> = d.body.try_collect().await?;
    Ok(chunks.concat())
}

#[tokio::test]
async fn list_download_upload_delete() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    for op in [
        Operation::ListAttachments,
        Operation::DownloadAttachment,
        Operation::UploadAttachment,
        Operation::DeleteAttachment,
    ] {
        assert!(c.capabilities().supports(op), "{op:?}");
    }

    let listed: Vec<_> = c
        .list_attachments(&Id::from(1001))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let a = &listed[0];
    assert_eq!(a.file_name, "printer-status.txt");
    assert_eq!(a.ticket, Id::from(1001));
    assert_eq!(a.content_type.as_deref(), Some("text/plain"));
    assert_eq!(a.size, Some(65));
    assert!(a.raw.get("data").is_none(), "a listing carries no content");

    let d = c.download_attachment(&a.id, 1024).await.unwrap();
    assert_eq!(d.size, Some(65));
    assert_eq!(d.file_name.as_deref(), Some("printer-status.txt"));
    let text = read_all(d).await.unwrap();
    assert!(text.starts_with(b"Printer test page"));

    // Over the caller's limit: refused from the announced size, the content
    // never read.
    let before = mock.requests_to("GET", "/ATServicesRest/V1.0/TicketAttachments/90001");
    let e = c.download_attachment(&a.id, 10).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.message().contains("more than the limit"), "{e}");
    assert_eq!(
        mock.requests_to("GET", "/ATServicesRest/V1.0/TicketAttachments/90001"),
        before
    );

    // Upload: a FILE_ATTACHMENT in base64, then it lists and downloads.
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let up = c
        .upload_attachment(
            &Id::from(1002),
            NewAttachment::new("capture.png", "image/png", content.clone()).internal(false),
        )
        .await
        .unwrap();
    assert_eq!(up.file_name, "capture.png");
    assert_eq!(up.size, Some(200_000));
    let rec = mock
        .record("TicketAttachments", up.id.as_i64().unwrap())
        .unwrap();
    assert_eq!(rec["attachmentType"], "FILE_ATTACHMENT");
    assert_eq!(rec["publish"], 1);
    assert_eq!(rec["parentID"], 1002);
    let d = c.download_attachment(&up.id, 200_000).await.unwrap();
    let mut chunks = 0;
    let mut got = Vec::new();
    let mut body = d.body;
    while let Some(chunk) = body.try_next().await.unwrap() {
        assert!(chunk.len() <= 64 * 1024);
        chunks += 1;
        got.extend_from_slice(&chunk);
    }
    assert!(chunks > 1, "delivered in chunks");
    assert_eq!(got, content);

    c.delete_attachment(&up.id).await.unwrap();
    assert!(
        mock.record("TicketAttachments", up.id.as_i64().unwrap())
            .is_none()
    );
    let e = c.download_attachment(&up.id, 1024).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

#[tokio::test]
async fn uploads_are_refused_before_any_request() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    c.get_ticket(&Id::from(1001)).await.unwrap();
    let before = mock.request_count();

    let big = NewAttachment::new(
        "dump.bin",
        "application/octet-stream",
        vec![0u8; psa_autotask::MAX_UPLOAD_BYTES + 1],
    );
    let e = c.upload_attachment(&Id::from(1001), big).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let script = NewAttachment::new("fix.ps1", "text/plain", &b"Remove-Item"[..]);
    let e = c
        .upload_attachment(&Id::from(1001), script)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(mock.request_count(), before);
    assert!(mock.writes().is_empty());
}

#[tokio::test]
async fn the_five_minute_threshold_is_counted_before_sending() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let five_mb = vec![7u8; 5_000_000];
    c.upload_attachment(
        &Id::from(1001),
        NewAttachment::new("a.bin", "application/octet-stream", five_mb.clone()),
    )
    .await
    .unwrap();
    // A view shares the count.
    let view = c.act_as(&Id::from(mock::TECH_RESOURCE_ID)).unwrap();
    view.upload_attachment(
        &Id::from(1001),
        NewAttachment::new("b.bin", "application/octet-stream", vec![1u8; 4_000_000]),
    )
    .await
    .unwrap();
    let writes = mock.writes().len();
    let e = c
        .upload_attachment(
            &Id::from(1001),
            NewAttachment::new("c.bin", "application/octet-stream", vec![2u8; 2_000_000]),
        )
        .await
        .unwrap_err();
    assert!(e.is_rate_limited(), "{e}");
    assert!(e.retry_after().is_some());
    assert_eq!(mock.writes().len(), writes, "nothing was sent");
    // The impersonated upload is the technician's.
    let listed: Vec<_> = c
        .list_attachments(&Id::from(1001))
        .try_collect()
        .await
        .unwrap();
    let b = listed.iter().find(|a| a.file_name == "b.bin").unwrap();
    assert_eq!(
        b.author.as_ref().map(|r| r.id.clone()),
        Some(Id::from(mock::TECH_RESOURCE_ID))
    );
}
