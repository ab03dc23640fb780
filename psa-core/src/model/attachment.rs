//! Files on tickets: [`Attachment`], the upload [`NewAttachment`] and a
//! streamed [`AttachmentDownload`].

use std::fmt;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};

use super::RawRecord;
use super::common::Ref;
use crate::{Error, Id, Result};

/// A file attached to a ticket (HaloPSA `/Attachment`, ConnectWise
/// documents, Autotask `TicketAttachments`, ServiceNow `sys_attachment`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Attachment {
    /// The attachment's id (what [`Psa::download_attachment`](crate::Psa::download_attachment) takes).
    pub id: Id,
    /// The ticket it is on.
    pub ticket: Id,
    /// The note (action) it came with, where the vendor ties them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Id>,
    /// The file name.
    pub file_name: String,
    /// The MIME type, when the vendor says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The size in bytes, when the vendor says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// When it was attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// Who attached it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Ref>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Attachment {
    /// An attachment; vendor mappings fill the rest.
    pub fn new(id: Id, ticket: Id, file_name: impl Into<String>) -> Self {
        Attachment {
            id,
            ticket,
            note: None,
            file_name: file_name.into(),
            content_type: None,
            size: None,
            created_at: None,
            author: None,
            raw: RawRecord::default(),
        }
    }
}

/// A file to attach to a ticket.
///
/// Checked before any request ([`validate`](Self::validate)): a plain file
/// name, a well-formed MIME type that is not an executable or script, and
/// at most [`MAX_BYTES`](Self::MAX_BYTES) of content (vendors cap lower:
/// Autotask takes about 6 MB a file; each vendor crate checks its own).
/// In JSON (a stored plan, a tool call) the content is base64.
///
/// ```
/// use psa_core::NewAttachment;
/// let f = NewAttachment::new("screenshot.png", "image/png", &b"\x89PNG..."[..]);
/// assert!(f.validate().is_ok());
/// assert!(NewAttachment::new("../etc/passwd", "text/plain", &b"x"[..]).validate().is_err());
/// assert!(NewAttachment::new("fix.exe", "application/octet-stream", &b"MZ"[..]).validate().is_err());
/// ```
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewAttachment {
    /// The file name the PSA shows.
    pub file_name: String,
    /// Its MIME type (`image/png`).
    pub content_type: String,
    /// The content (base64 in JSON).
    #[serde(with = "base64_bytes")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub data: Bytes,
    /// Whether only agents see it, where the vendor can say (Autotask
    /// `publish`, a HaloPSA private action). Default: internal.
    #[serde(default = "yes")]
    pub internal: bool,
}

fn yes() -> bool {
    true
}

impl fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewAttachment")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.data.len())
            .field("internal", &self.internal)
            .finish()
    }
}

/// File extensions refused on upload: programs and scripts an agent has no
/// business attaching to a customer's ticket.
const REFUSED_EXTENSIONS: &[&str] = &[
    "exe", "dll", "com", "scr", "msi", "msp", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js",
    "jse", "wsf", "wsh", "hta", "cpl", "jar", "lnk", "reg", "sh", "app", "dmg",
];

/// MIME types refused on upload, for the same reason.
const REFUSED_TYPES: &[&str] = &[
    "application/x-msdownload",
    "application/x-msdos-program",
    "application/x-dosexec",
    "application/x-ms-installer",
    "application/x-msi",
    "application/x-sh",
    "application/x-bat",
    "application/javascript",
    "text/javascript",
    "application/x-powershell",
    "application/java-archive",
    "application/hta",
];

impl NewAttachment {
    /// The largest content the SDK uploads (25 MiB).
    pub const MAX_BYTES: usize = 25 * 1024 * 1024;
    /// The longest file name.
    pub const MAX_NAME: usize = 255;

    /// A file, internal by default.
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        NewAttachment {
            file_name: file_name.into(),
            content_type: content_type.into(),
            data: data.into(),
            internal: true,
        }
    }

    /// Sets whether only agents see it.
    #[must_use]
    pub fn internal(mut self, internal: bool) -> Self {
        self.internal = internal;
        self
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Checks the name, the type and the size (see the type's docs).
    pub fn validate(&self) -> Result<()> {
        self.validate_with_limit(Self::MAX_BYTES)
    }

    /// Like [`validate`](Self::validate), with a vendor's own size limit.
    pub fn validate_with_limit(&self, max_bytes: usize) -> Result<()> {
        let name = self.file_name.trim();
        let n = name.chars().count();
        if n == 0 || n > Self::MAX_NAME {
            return Err(Error::invalid_input(format!(
                "attachment file name must be 1 to {} characters",
                Self::MAX_NAME
            )));
        }
        if name != self.file_name
            || name
                .chars()
                .any(|c| c.is_control() || matches!(c, '/' | '\\' | ':'))
            || name == "."
            || name == ".."
        {
            return Err(Error::invalid_input(format!(
                "attachment file name {:?} must be a plain file name (no path, no control characters)",
                self.file_name.chars().take(60).collect::<String>()
            )));
        }
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if REFUSED_EXTENSIONS.contains(&ext.as_str()) {
            return Err(Error::invalid_input(format!(
                "attachments of type .{ext} (programs and scripts) are refused"
            )));
        }
        let ct = self.content_type.trim().to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or_default().trim();
        let well_formed = essence.split_once('/').is_some_and(|(t, s)| {
            let token = |x: &str| {
                !x.is_empty()
                    && x.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
            };
            token(t) && token(s)
        });
        if !well_formed {
            return Err(Error::invalid_input(format!(
                "attachment content type {:?} is not a MIME type such as image/png",
                self.content_type.chars().take(60).collect::<String>()
            )));
        }
        if REFUSED_TYPES.contains(&essence) {
            return Err(Error::invalid_input(format!(
                "attachments of content type {essence} (programs and scripts) are refused"
            )));
        }
        if self.data.is_empty() {
            return Err(Error::invalid_input("attachment is empty"));
        }
        if self.data.len() > max_bytes {
            return Err(Error::invalid_input(format!(
                "attachment is {} bytes; the limit is {max_bytes}",
                self.data.len()
            )));
        }
        Ok(())
    }

    /// The uniform fields it writes.
    pub fn written_fields(&self) -> Vec<String> {
        vec![
            "file_name".to_owned(),
            "content_type".to_owned(),
            "data".to_owned(),
            "internal".to_owned(),
        ]
    }
}

/// A download in progress: what the vendor said of the file, and its
/// content as a stream of chunks, which ends with an error rather than
/// going past the size the caller allowed.
#[non_exhaustive]
pub struct AttachmentDownload {
    /// The MIME type the vendor sent.
    pub content_type: Option<String>,
    /// The size the vendor announced, when it did.
    pub size: Option<u64>,
    /// The file name the vendor sent, when it did.
    pub file_name: Option<String>,
    /// The content.
    pub body: BoxStream<'static, Result<Bytes>>,
}

impl fmt::Debug for AttachmentDownload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttachmentDownload")
            .field("content_type", &self.content_type)
            .field("size", &self.size)
            .field("file_name", &self.file_name)
            .finish_non_exhaustive()
    }
}

impl AttachmentDownload {
    /// A download of `body`.
    pub fn new(body: BoxStream<'static, Result<Bytes>>) -> Self {
        AttachmentDownload {
            content_type: None,
            size: None,
            file_name: None,
            body,
        }
    }

    /// Reads the whole content (still bounded by the download's limit).
    pub async fn bytes(self) -> Result<Bytes> {
        use futures::TryStreamExt;
        let chunks: Vec<Bytes> = self.body.try_collect().await?;
        let mut out = bytes::BytesMut::with_capacity(chunks.iter().map(Bytes::len).sum());
        for c in chunks {
            out.extend_from_slice(&c);
        }
        Ok(out.freeze())
    }
}

mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(b: &Bytes, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(b))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.trim())
            .map(Bytes::from)
            .map_err(|e| serde::de::Error::custom(format!("attachment data is not base64: {e}")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn uploads_are_checked() {
        let ok = NewAttachment::new(
            "log 2026-12-03.txt",
            "text/plain; charset=utf-8",
            &b"hi"[..],
        );
        assert!(ok.validate().is_ok());
        for (name, ct, data) in [
            ("", "text/plain", &b"x"[..]),
            (" a.txt", "text/plain", b"x"),
            ("a\\b.txt", "text/plain", b"x"),
            ("C:evil.txt", "text/plain", b"x"),
            ("a\nb.txt", "text/plain", b"x"),
            ("run.PS1", "text/plain", b"x"),
            ("a.txt", "text", b"x"),
            ("a.txt", "text/plain\r\nX-Evil: 1", b"x"),
            ("a.txt", "application/x-msdownload", b"x"),
            ("a.txt", "text/plain", b""),
        ] {
            assert!(
                NewAttachment::new(name, ct, data).validate().is_err(),
                "{name:?} {ct:?}"
            );
        }
        let big = NewAttachment::new("a.bin", "application/octet-stream", vec![0u8; 11]);
        assert!(
            big.validate_with_limit(10)
                .unwrap_err()
                .to_string()
                .contains("limit is 10")
        );
    }

    #[test]
    fn content_is_base64_in_json_and_hidden_in_debug() {
        let f = NewAttachment::new("a.txt", "text/plain", &b"secret text"[..]);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["data"], "c2VjcmV0IHRleHQ=");
        let back: NewAttachment = serde_json::from_value(json).unwrap();
        assert_eq!(back, f);
        assert!(!format!("{f:?}").contains("secret"));
        assert!(
            serde_json::from_str::<NewAttachment>(
                r#"{"file_name":"a","content_type":"t/p","data":"%%"}"#
            )
            .is_err()
        );
    }
}
