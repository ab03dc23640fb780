//! Attachments: ConnectWise documents (`/system/documents`) of a ticket.

use http::HeaderMap;
use psa_core::{Attachment, AttachmentDownload, Id, NewAttachment, Result};

use super::{missing_id, to_raw};
use crate::models::{Document, DocumentUpload};

/// The largest file the client uploads. ConnectWise publishes no limit of
/// its own; this is the SDK's ([`NewAttachment::MAX_BYTES`]).
pub const MAX_UPLOAD_BYTES: usize = NewAttachment::MAX_BYTES;

/// A document of a ticket as an attachment. ConnectWise's document names
/// no content type, and its owner is a member identifier (kept in `raw`).
pub fn attachment(d: &Document, ticket: i64) -> Result<Attachment> {
    let id = d.id.ok_or_else(|| missing_id("document"))?;
    let name = d
        .file_name
        .clone()
        .or_else(|| d.title.clone())
        .unwrap_or_default();
    let mut out = Attachment::new(Id::from(id), Id::from(ticket), name);
    out.size = d.size;
    out.created_at = d
        .info
        .as_ref()
        .and_then(|i| i.date_entered().or_else(|| i.last_updated()));
    out.raw = to_raw(d).into();
    Ok(out)
}

/// The upload of a file to a ticket, checked first
/// ([`NewAttachment::validate_with_limit`] with [`MAX_UPLOAD_BYTES`]):
/// titled with its name, private unless it is not internal.
pub fn document_upload(ticket: i64, file: &NewAttachment) -> Result<DocumentUpload> {
    file.validate_with_limit(MAX_UPLOAD_BYTES)?;
    Ok(DocumentUpload::new(
        "Ticket",
        ticket,
        file.file_name.clone(),
        file.content_type.trim().to_owned(),
        file.data.clone(),
    )
    .private(file.internal))
}

/// A download's metadata from its answer's headers (`Content-Type`,
/// `Content-Length`, the `filename` of `Content-Disposition`).
pub fn download(
    headers: &HeaderMap,
    body: futures::stream::BoxStream<'static, Result<bytes::Bytes>>,
) -> AttachmentDownload {
    let text = |name: http::header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut out = AttachmentDownload::new(body);
    out.content_type = text(http::header::CONTENT_TYPE);
    out.size = text(http::header::CONTENT_LENGTH).and_then(|l| l.trim().parse().ok());
    out.file_name = text(http::header::CONTENT_DISPOSITION).and_then(|d| file_name(&d));
    out
}

/// The `filename` of a `Content-Disposition` value, without a path.
fn file_name(disposition: &str) -> Option<String> {
    disposition.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("filename") {
            return None;
        }
        let v = v.trim().trim_matches('"');
        let v = v.rsplit(['/', '\\']).next().unwrap_or(v);
        (!v.is_empty() && !v.chars().any(char::is_control)).then(|| v.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_disposition() {
        assert_eq!(
            file_name("attachment; filename=\"log.txt\"").as_deref(),
            Some("log.txt")
        );
        assert_eq!(
            file_name("attachment; filename=..\\..\\evil.txt").as_deref(),
            Some("evil.txt")
        );
        assert_eq!(file_name("inline"), None);
    }

    #[test]
    fn uploads_are_checked_and_private_when_internal() {
        let ok = NewAttachment::new("log.txt", "text/plain", &b"hi"[..]);
        let u = document_upload(7, &ok).unwrap();
        assert_eq!((u.record_type.as_str(), u.record_id), ("Ticket", 7));
        assert_eq!(u.private_flag, ok.internal);
        let big = NewAttachment::new(
            "big.bin",
            "application/octet-stream",
            vec![0u8; MAX_UPLOAD_BYTES + 1],
        );
        assert!(document_upload(7, &big).unwrap_err().is_invalid_input());
        let script = NewAttachment::new("run.ps1", "text/plain", &b"x"[..]);
        assert!(document_upload(7, &script).unwrap_err().is_invalid_input());
    }
}
