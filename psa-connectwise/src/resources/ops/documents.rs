//! Documents' own verbs: [`Upload`] (`multipart/form-data`) and
//! [`Download`] (streamed).

use bytes::{BufMut, Bytes, BytesMut};
use futures::future::BoxFuture;
use http::HeaderValue;
use psa_core::http::{ApiRequest, RequestOptions, StreamingResponse};
use psa_core::{Error, Result};
use sha2::{Digest, Sha256};

use super::super::Collection;
use crate::client::Client;
use crate::models::{Document, DocumentUpload};

/// `POST /system/documents` with a `multipart/form-data` body (`file`,
/// `recordType`, `recordId`, `title`, `privateFlag`): uploads a file and
/// returns its document. Not idempotent: never retried after it may have
/// been received.
#[derive(Debug)]
#[must_use]
pub struct Upload {
    pub(super) client: Client,
    pub(super) at: Collection,
    pub(super) file: DocumentUpload,
    pub(super) options: RequestOptions,
}

impl Upload {
    pub(crate) fn new(client: Client, at: Collection, upload: DocumentUpload) -> Self {
        Upload {
            client,
            at,
            file: upload,
            options: RequestOptions::new(),
        }
    }

    /// The request, without I/O; the record id must be positive and the
    /// names one line of text.
    pub fn request(&self) -> Result<ApiRequest> {
        let u = &self.file;
        super::super::checked(u.record_id, "record")?;
        for (what, v) in [
            ("record type", &u.record_type),
            ("title", &u.title),
            ("file name", &u.file_name),
            ("content type", &u.content_type),
        ] {
            if v.trim().is_empty() || v.chars().any(char::is_control) {
                return Err(Error::invalid_input(format!(
                    "a ConnectWise document's {what} must be one line of text"
                )));
            }
        }
        let (body, boundary) = multipart(u);
        let content_type =
            HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                .map_err(|_| Error::invalid_input("bad multipart boundary"))?;
        let req = ApiRequest::post(self.at.path()?)
            .body(body, content_type)
            .idempotent(false);
        Ok(self.options.apply(req))
    }

    /// Sends it; the answer is the new document.
    pub fn send(self) -> BoxFuture<'static, Result<Document>> {
        Box::pin(async move { self.client.send_json(self.request()?).await })
    }
}

/// The `multipart/form-data` body of an upload and its boundary: one that
/// does not occur in the content (derived from its hash).
pub(crate) fn multipart(u: &DocumentUpload) -> (Bytes, String) {
    let digest = Sha256::digest(&u.data);
    let hex = digest.iter().take(12).fold(String::new(), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    });
    let mut boundary = format!("psa-sdk-{hex}");
    let mut n = 0u32;
    while contains(&u.data, boundary.as_bytes())
        || contains(u.title.as_bytes(), boundary.as_bytes())
    {
        n += 1;
        boundary = format!("psa-sdk-{hex}-{n}");
    }
    let mut out = BytesMut::with_capacity(u.data.len() + 1024);
    let field = |out: &mut BytesMut, name: &str, value: &str| {
        out.put_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        out.put_slice(value.as_bytes());
        out.put_slice(b"\r\n");
    };
    field(&mut out, "recordType", &u.record_type);
    field(&mut out, "recordId", &u.record_id.to_string());
    field(&mut out, "title", &u.title);
    field(
        &mut out,
        "privateFlag",
        if u.private_flag { "true" } else { "false" },
    );
    let name = u.file_name.replace('"', "%22");
    out.put_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {}\r\n\r\n",
            u.content_type.trim()
        )
        .as_bytes(),
    );
    out.put_slice(&u.data);
    out.put_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (out.freeze(), boundary)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `GET /system/documents/{id}/download`: a document's content, streamed.
/// Idempotent.
#[derive(Debug)]
#[must_use]
pub struct Download {
    pub(super) client: Client,
    pub(super) at: Collection,
    pub(super) id: i64,
    pub(super) options: RequestOptions,
}

impl Download {
    pub(crate) fn new(client: Client, at: Collection, id: i64) -> Self {
        Download {
            client,
            at,
            id,
            options: RequestOptions::new(),
        }
    }

    /// The request, without I/O.
    pub fn request(&self) -> Result<ApiRequest> {
        let req = ApiRequest::get(self.at.action(self.id, "download")?).idempotent(true);
        Ok(self.options.apply(req))
    }

    /// Sends it: the answer's body is a stream of at most `max_bytes`
    /// (refused before reading when the announced length is over, an error
    /// at the limit otherwise).
    pub fn send(self, max_bytes: u64) -> BoxFuture<'static, Result<StreamingResponse>> {
        Box::pin(async move {
            let req = self.request()?;
            self.client.send_streaming(req, max_bytes).await
        })
    }
}
