//! Attachments: files on tickets and their actions (`/Attachment`).

use futures::stream::BoxStream;
use psa_core::{Attachment, AttachmentDownload, Error, Id, NewAttachment, Result};

use super::tickets::TICKET_ID;
use super::{first, once};
use crate::client::Client;
use crate::mapping;

/// The name of an attachment id in errors.
const ATTACHMENT_ID: &str = "halo attachment id";

/// The largest file the SDK uploads to Halo: Halo documents no limit, and
/// the file travels base64-encoded in a JSON body (a third larger), so the
/// SDK keeps to 20 MiB.
pub(crate) const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

pub(super) fn list<'a>(c: &'a Client, ticket: &Id) -> Result<BoxStream<'a, Result<Attachment>>> {
    let id = ticket.require_int(TICKET_ID)?;
    let list = c.attachments().list(id);
    Ok(once(async move {
        let records = list.send().await?.records;
        Ok(records
            .iter()
            .map(|a| Ok(mapping::attachment(a, id)))
            .collect())
    }))
}

/// `GET /Attachment/{id}`, streamed: refused before the body is read when
/// Halo announces more than `max_bytes`, ended with an error at the limit
/// otherwise.
pub(super) async fn download(c: &Client, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
    let id = id.require_int(ATTACHMENT_ID)?;
    let req = c.attachments().file_request(id)?;
    let res = c.http().send_streaming(req, max_bytes).await?;
    let header = |name: http::HeaderName| {
        res.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(http::header::CONTENT_TYPE);
    let size = header(http::header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok());
    let file_name = header(http::header::CONTENT_DISPOSITION)
        .as_deref()
        .and_then(mapping::disposition_file_name);
    let mut out = AttachmentDownload::new(res.body);
    out.content_type = content_type;
    out.size = size;
    out.file_name = file_name;
    Ok(out)
}

/// `POST /Attachment` of one record with the file in `data_base64`,
/// checked first and never retried (a create).
pub(super) async fn upload(c: &Client, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
    let id = ticket.require_int(TICKET_ID)?;
    file.validate_with_limit(MAX_UPLOAD_BYTES)?;
    let record = mapping::new_attachment(id, &file);
    let saved = first(c.attachments().create([record]).send().await?, "attachment")?;
    if saved.id.is_none_or(|a| a <= 0) {
        return Err(Error::new(
            psa_core::ErrorKind::Decode,
            "halo answered the attachment upload without the attachment's id",
        )
        .with_vendor(super::HALO));
    }
    Ok(mapping::attachment(&saved, id))
}

pub(super) async fn delete(c: &Client, id: &Id) -> Result<()> {
    c.attachments()
        .delete(id.require_int(ATTACHMENT_ID)?)
        .send()
        .await
}
