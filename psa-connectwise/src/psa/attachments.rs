//! Attachments: a ticket's documents (`/system/documents`, record type
//! `Ticket`): list, download (streamed), upload (`multipart/form-data`,
//! never retried) and delete.

use futures::stream::BoxStream;
use psa_core::psa::error_stream;
use psa_core::{Attachment, AttachmentDownload, Id, NewAttachment, Result};

use super::{int, map_stream};
use crate::client::Client;
use crate::mapping;

pub(super) fn list<'a>(client: &'a Client, ticket: &Id) -> BoxStream<'a, Result<Attachment>> {
    match int(ticket, "ticket") {
        Ok(t) => map_stream(
            || Ok(client.documents().list_for("Ticket", t)),
            move |d| mapping::attachment(d, t),
        ),
        Err(e) => error_stream(e),
    }
}

pub(super) async fn download(
    client: &Client,
    id: &Id,
    max_bytes: u64,
) -> Result<AttachmentDownload> {
    let resp = client
        .documents()
        .download(int(id, "document")?)
        .send(max_bytes)
        .await?;
    Ok(mapping::download(&resp.headers, resp.body))
}

pub(super) async fn upload(
    client: &Client,
    ticket: &Id,
    file: NewAttachment,
) -> Result<Attachment> {
    let t = int(ticket, "ticket")?;
    let upload = mapping::document_upload(t, &file)?;
    let doc = client.documents().upload(upload).send().await?;
    mapping::attachment(&doc, t)
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    client.documents().delete(int(id, "document")?).send().await
}
