//! Attachments and custom-field definitions against the simulator.

use futures::TryStreamExt;
use psa_core::{CustomFieldEntity, CustomFieldKind, Id, NewAttachment, Operation, Psa, Support};
use psa_halo::HaloMock;

#[tokio::test]
async fn attachments_list_upload_download_delete() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    for op in [
        Operation::ListAttachments,
        Operation::DownloadAttachment,
        Operation::UploadAttachment,
        Operation::DeleteAttachment,
        Operation::ListCustomFields,
    ] {
        assert!(
            !matches!(c.capabilities().support(op), Support::Unsupported(_)),
            "{op}"
        );
    }

    let seeded: Vec<_> = c
        .list_attachments(&Id::from(1001))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(seeded.len(), 1);
    assert_eq!(seeded[0].file_name, "printer-error.png");
    assert_eq!(seeded[0].note, Some(Id::text("1001:1").unwrap()));
    assert_eq!(seeded[0].content_type.as_deref(), Some("image/png"));

    let up = c
        .upload_attachment(
            &Id::from(1001),
            NewAttachment::new("log.txt", "text/plain", &b"spooler crashed at 09:14"[..]),
        )
        .await
        .unwrap();
    assert_eq!(up.file_name, "log.txt");
    assert_eq!(up.size, Some(24));
    assert!(up.raw.get("data_base64").is_none());
    assert_eq!(mock.requests_to("POST", "/api/Attachment"), 1);

    let listed: Vec<_> = c
        .list_attachments(&Id::from(1001))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);

    let d = c.download_attachment(&up.id, 1024).await.unwrap();
    assert_eq!(d.file_name.as_deref(), Some("log.txt"));
    assert_eq!(d.size, Some(24));
    assert_eq!(&d.bytes().await.unwrap()[..], b"spooler crashed at 09:14");

    c.delete_attachment(&up.id).await.unwrap();
    let listed: Vec<_> = c
        .list_attachments(&Id::from(1001))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
}

#[tokio::test]
async fn a_download_over_the_limit_is_refused_and_an_upload_is_checked_before_any_request() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let e = c.download_attachment(&Id::from(7001), 4).await;
    match e {
        Err(_) => {}
        Ok(d) => assert!(d.bytes().await.is_err(), "read past the limit"),
    }
    let before = mock.request_count();
    for bad in [
        NewAttachment::new("setup.exe", "application/octet-stream", &b"MZ"[..]),
        NewAttachment::new("empty.txt", "text/plain", &b""[..]),
        NewAttachment::new(
            "big.bin",
            "application/octet-stream",
            vec![0u8; 20 * 1024 * 1024 + 1],
        ),
    ] {
        let e = c.upload_attachment(&Id::from(1001), bad).await.unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
    }
    assert_eq!(mock.request_count(), before);
}

#[tokio::test]
async fn custom_field_definitions_come_from_field_info() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    let ticket = c
        .list_custom_fields(CustomFieldEntity::Ticket)
        .await
        .unwrap();
    let names: Vec<_> = ticket.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["CFContractRef", "CFImpactArea", "CFSlaOverride"]);
    assert_eq!(ticket[0].kind, CustomFieldKind::Text);
    assert_eq!(ticket[0].max_length, Some(50));
    assert_eq!(ticket[1].kind, CustomFieldKind::Picklist);
    assert!(ticket[1].required);
    assert_eq!(ticket[1].options.len(), 3);
    assert!(!ticket[1].options[2].active);
    assert_eq!(ticket[2].kind, CustomFieldKind::Boolean);
    assert!(ticket[2].read_only);

    let company = c
        .list_custom_fields(CustomFieldEntity::Company)
        .await
        .unwrap();
    assert_eq!(company.len(), 1);
    assert_eq!(company[0].label.as_deref(), Some("Tier"));
    let assets = c
        .list_custom_fields(CustomFieldEntity::Configuration)
        .await
        .unwrap();
    assert_eq!(assets[0].name, "CFWarrantyRef");
}
