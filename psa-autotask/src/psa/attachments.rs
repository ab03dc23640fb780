//! Ticket attachments: `TicketAttachments` (query, read by id with the
//! content in base64) and `/Tickets/{id}/Attachments` (create, delete).
//!
//! Autotask takes and returns a file inside JSON, base64-encoded (`data`):
//! an upload is checked against Autotask's per-file limit
//! ([`MAX_UPLOAD_BYTES`]) and its 10,000,000 bytes per 5 minutes threshold
//! ([`UPLOAD_THRESHOLD_BYTES`]) before any request, and never retried; a
//! download reads the announced `fileSize` first (refusing a file over the
//! caller's limit before its content is read), then the record, bounded by
//! the encoded size of that limit, decodes it and delivers it in chunks.

use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Attachment, AttachmentDownload, Error, ErrorKind, Id, NewAttachment, RawRecord, Result, Vendor,
};
use serde_json::{Map, Value, json};

use super::{listing, record_id, value_id};
use crate::client::Client;
use crate::mapping;
use crate::models::{FILE_ATTACHMENT, ItemResult, TicketAttachment};
use crate::picklist::{PUBLISH_ALL_USERS, PUBLISH_INTERNAL_ONLY};
use crate::query::{Filter, Query};

/// The largest file this client uploads: 6,000,000 bytes. Autotask's
/// limits page gives 6–7 MB per attachment; the lower bound is kept, in
/// decimal megabytes.
pub const MAX_UPLOAD_BYTES: usize = 6_000_000;

/// Autotask's attachment threshold: at most 10,000,000 bytes uploaded per 5
/// minutes per database, after which attachment creation is blocked for 5
/// minutes. The client counts its own uploads against it and refuses one
/// that would pass it (`RateLimited`, with the time until the window frees).
pub const UPLOAD_THRESHOLD_BYTES: usize = 10_000_000;

/// The window of [`UPLOAD_THRESHOLD_BYTES`].
pub const UPLOAD_WINDOW: Duration = Duration::from_secs(300);

/// The size of the chunks a download is delivered in.
const CHUNK: usize = 64 * 1024;

/// Room for the JSON around `data` in a read by id.
const ENVELOPE: u64 = 64 * 1024;

/// The fields of a listing: everything but the content.
const META_FIELDS: &[&str] = &[
    "id",
    "parentID",
    "ticketID",
    "title",
    "fullPath",
    "fileSize",
    "contentType",
    "attachDate",
    "attachedByResourceID",
    "attachedByContactID",
    "attachmentType",
    "publish",
    "impersonatorCreatorResourceID",
];

fn meta_query() -> Query {
    Query::new().include_fields(META_FIELDS.iter().copied())
}

pub(super) fn list<'a>(client: &'a Client, ticket: &Id) -> BoxStream<'a, Result<Attachment>> {
    let list = value_id(ticket, "ticket id").map(|t| {
        client
            .ticket_attachments()
            .list(meta_query().filter(Filter::eq("parentID", t)))
    });
    listing(list, None, mapping::attachment)
}

/// The attachment's record without its content, and its JSON as sent.
async fn meta(client: &Client, id: i64) -> Result<(TicketAttachment, RawRecord)> {
    let found: Vec<(TicketAttachment, RawRecord)> = client
        .ticket_attachments()
        .list(meta_query().filter(Filter::eq("id", id)))
        .limit(1)
        .stream_records()
        .try_collect()
        .await?;
    found.into_iter().next().ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!("ticket attachment {id} does not exist"),
        )
        .with_vendor(Vendor::Autotask)
    })
}

fn too_large(id: i64, size: u64, max_bytes: u64) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!("ticket attachment {id} is {size} bytes, more than the limit of {max_bytes} bytes"),
    )
    .with_vendor(Vendor::Autotask)
}

/// The most bytes a record of a file of `max_bytes` can take: its base64
/// (4 characters per 3 bytes) and the JSON around it.
fn encoded_limit(max_bytes: u64) -> u64 {
    max_bytes
        .div_ceil(3)
        .saturating_mul(4)
        .saturating_add(ENVELOPE)
}

pub(super) async fn download(
    client: &Client,
    id: &Id,
    max_bytes: u64,
) -> Result<AttachmentDownload> {
    let id = record_id(id, "attachment id")?;
    let read = client.ticket_attachments().get(id).request()?;
    let (info, _) = meta(client, id).await?;
    if info
        .attachment_type
        .as_deref()
        .is_some_and(|t| !t.eq_ignore_ascii_case(FILE_ATTACHMENT))
    {
        return Err(Error::invalid_input(format!(
            "ticket attachment {id} is a link ({}), not a file",
            info.attachment_type.as_deref().unwrap_or_default()
        )));
    }
    let announced = info.file_size.filter(|s| s.is_finite() && *s >= 0.0);
    if let Some(size) = announced {
        // Sizes are whole bytes; a fraction can only make it larger.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = size.ceil() as u64;
        if size > max_bytes {
            return Err(too_large(id, size, max_bytes));
        }
    }
    let response = client
        .send_streaming(read, encoded_limit(max_bytes))
        .await?;
    let mut body = Vec::new();
    let mut chunks = response.body;
    while let Some(chunk) = chunks.next().await {
        body.extend_from_slice(&chunk?);
    }
    let item: ItemResult<TicketAttachment> = serde_json::from_slice(&body).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("ticket attachment {id}: the record is not valid JSON: {e}"),
        )
        .with_vendor(Vendor::Autotask)
    })?;
    drop(body);
    let record = item.item.ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!("ticket attachment {id} does not exist"),
        )
        .with_vendor(Vendor::Autotask)
    })?;
    let encoded = record.data.as_deref().unwrap_or_default();
    // Base64 tells the decoded size before decoding.
    let decoded_len =
        u64::try_from(encoded.trim_end_matches('=').len()).unwrap_or(u64::MAX) * 3 / 4;
    if decoded_len > max_bytes {
        return Err(too_large(id, decoded_len, max_bytes));
    }
    let data = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("ticket attachment {id}: `data` is not base64: {e}"),
            )
            .with_vendor(Vendor::Autotask)
        })?;
    let data = Bytes::from(data);
    let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
    let pieces: Vec<Result<Bytes>> = (0..data.len())
        .step_by(CHUNK)
        .map(|at| Ok(data.slice(at..(at + CHUNK).min(data.len()))))
        .collect();
    let mut out = AttachmentDownload::new(stream::iter(pieces).boxed());
    out.size = Some(size);
    out.content_type = record.content_type.or(info.content_type);
    out.file_name = record
        .full_path
        .or(record.title)
        .or(info.full_path)
        .or(info.title);
    Ok(out)
}

/// The create body of `file` on `ticket`.
pub(crate) fn upload_body(ticket: i64, file: &NewAttachment) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("parentID".into(), json!(ticket));
    body.insert("attachmentType".into(), json!(FILE_ATTACHMENT));
    body.insert("title".into(), json!(file.file_name));
    body.insert("fullPath".into(), json!(file.file_name));
    body.insert("contentType".into(), json!(file.content_type.trim()));
    body.insert(
        "publish".into(),
        json!(if file.internal {
            PUBLISH_INTERNAL_ONLY
        } else {
            PUBLISH_ALL_USERS
        }),
    );
    body.insert(
        "data".into(),
        json!(base64::engine::general_purpose::STANDARD.encode(&file.data)),
    );
    body
}

pub(super) async fn upload(
    client: &Client,
    ticket: &Id,
    file: NewAttachment,
) -> Result<Attachment> {
    file.validate_with_limit(MAX_UPLOAD_BYTES)?;
    let ticket = value_id(ticket, "ticket id")?;
    let create = client
        .tickets()
        .attachments(ticket)
        .create_fields(upload_body(ticket, &file));
    // The path is checked before the threshold is counted.
    let _ = create.request()?;
    client.reserve_upload(file.len())?;
    let id = create.send().await?;
    let (info, raw) = meta(client, id).await?;
    Ok(mapping::attachment(&info, raw))
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    let id = record_id(id, "attachment id")?;
    let (info, _) = meta(client, id).await?;
    let ticket = info.parent_id.or(info.ticket_id).ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            format!("ticket attachment {id} names no ticket"),
        )
        .with_vendor(Vendor::Autotask)
    })?;
    client.tickets().attachments(ticket).delete(id).send().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_file_attachments_in_base64() {
        let file = NewAttachment::new("scan.pdf", "application/pdf", &b"%PDF-1.7"[..]);
        let body = upload_body(1001, &file);
        assert_eq!(body["parentID"], 1001);
        assert_eq!(body["attachmentType"], "FILE_ATTACHMENT");
        assert_eq!(body["title"], "scan.pdf");
        assert_eq!(body["publish"], PUBLISH_INTERNAL_ONLY);
        assert_eq!(body["data"], "JVBERi0xLjc=");
        let public = upload_body(1001, &file.internal(false));
        assert_eq!(public["publish"], PUBLISH_ALL_USERS);
    }

    #[test]
    fn the_encoded_limit_covers_base64_and_its_envelope() {
        assert_eq!(encoded_limit(3), 4 + ENVELOPE);
        assert_eq!(encoded_limit(4), 8 + ENVELOPE);
        assert_eq!(encoded_limit(u64::MAX), u64::MAX);
    }
}
