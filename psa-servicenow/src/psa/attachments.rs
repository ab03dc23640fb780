//! Attachments: ServiceNow's Attachment API (`/api/now/attachment`).
//!
//! - list: `GET /api/now/attachment?sysparm_query=table_name=<table>^table_sys_id=<sys_id>`,
//!   paged by `sysparm_limit` / `sysparm_offset` and `X-Total-Count`;
//! - download: the metadata (`GET /api/now/attachment/{sys_id}`, whose
//!   `size_bytes` is checked against the caller's limit first), then the
//!   content streamed from `GET /api/now/attachment/{sys_id}/file`;
//! - upload: `POST /api/now/attachment/file?table_name=…&table_sys_id=…&file_name=…`
//!   with the raw content and its `Content-Type` — never retried;
//! - delete: `DELETE /api/now/attachment/{sys_id}`.

use futures::stream::BoxStream;
use http::{HeaderValue, Method};
use psa_core::http::{ApiRequest, RequestOptions};
use psa_core::paging::{self, Page, PageToken};
use psa_core::psa::error_stream;
use psa_core::{
    Attachment, AttachmentDownload, Error, ErrorKind, Id, NewAttachment, Ref, Result, Vendor,
};
use serde_json::Value;

use crate::client::Client;
use crate::ids::{SysId, TaskTable, TicketId, record_id, sys_id_of};
use crate::limits::rate_key;
use crate::query::Query;

/// The attachment API's path.
const ATTACHMENT_PATH: &str = "/api/now/attachment";

/// The largest file the client uploads: psa-core's limit (25 MiB), below
/// ServiceNow's baseline `com.glide.attachment.max_size` (1 GB) — an
/// instance set lower refuses the upload itself.
pub(crate) const MAX_UPLOAD_BYTES: usize = NewAttachment::MAX_BYTES;

fn request(method: Method, path: String) -> ApiRequest {
    let key = rate_key(&method, &path);
    ApiRequest::new(method, path).rate_key(key)
}

fn text(v: &Value, name: &str) -> Option<String> {
    super::field_text(v, name)
}

/// An attachment's `sys_id` from a uniform id (`sys_attachment:<sys_id>`
/// or bare).
fn attachment_sys_id(id: &Id) -> Result<SysId> {
    sys_id_of(id, &["sys_attachment"], "attachment id")
}

/// Attachment metadata (`sys_attachment` as the API returns it) → uniform
/// [`Attachment`]; `ticket` when the record names no task table.
pub(crate) fn attachment(raw: Value, ticket: Option<&Id>) -> Result<Attachment> {
    let sys = text(&raw, "sys_id").unwrap_or_default();
    let id = record_id("sys_attachment", &sys).map_err(|_| {
        Error::new(
            ErrorKind::Decode,
            "ServiceNow attachment has no valid sys_id",
        )
        .with_vendor(Vendor::ServiceNow)
    })?;
    let owner = text(&raw, "table_name")
        .and_then(|t| TaskTable::from_name(&t))
        .zip(text(&raw, "table_sys_id").and_then(|s| SysId::parse(&s).ok()))
        .and_then(|(t, s)| TicketId::new(t, s).to_id().ok());
    let ticket = match (owner, ticket) {
        (Some(t), _) => t,
        (None, Some(t)) => t.clone(),
        (None, None) => {
            return Err(Error::new(
                ErrorKind::Decode,
                "ServiceNow attachment belongs to no task record",
            )
            .with_vendor(Vendor::ServiceNow));
        }
    };
    let mut a = Attachment::new(id, ticket, text(&raw, "file_name").unwrap_or_default());
    a.content_type = text(&raw, "content_type");
    a.size = text(&raw, "size_bytes").and_then(|s| s.parse().ok());
    a.created_at =
        text(&raw, "sys_created_on").and_then(|t| crate::models::parse_glide_datetime(&t));
    a.author =
        text(&raw, "sys_created_by").and_then(|u| Id::text(&u).ok().map(|id| Ref::named(id, u)));
    a.raw = raw.into();
    Ok(a)
}

pub(super) fn list_attachments<'a>(
    c: &'a Client,
    ticket: &Id,
) -> BoxStream<'a, Result<Attachment>> {
    let (uniform, t) = match c.ticket_and_id(ticket) {
        Ok(t) => t,
        Err(e) => return error_stream(e),
    };
    let query = match Query::new()
        .eq("table_name", t.table.as_str())
        .eq("table_sys_id", t.sys_id.as_str())
        .order_by("sys_created_on")
        .order_by("sys_id")
        .encode()
    {
        Ok(q) => q,
        Err(e) => return error_stream(e),
    };
    let limit = c.page_size();
    let client = c.clone();
    paging::items(move |token: Option<PageToken>| {
        let client = client.clone();
        let query = query.clone();
        let uniform = uniform.clone();
        async move {
            let offset = match token {
                None => 0,
                Some(PageToken::Offset(n)) => n,
                Some(_) => {
                    return Err(Error::new(ErrorKind::Decode, "unexpected page token")
                        .with_vendor(Vendor::ServiceNow));
                }
            };
            let req = request(Method::GET, ATTACHMENT_PATH.to_owned())
                .query("sysparm_query", &query)
                .query("sysparm_limit", limit)
                .query("sysparm_offset", offset)
                .idempotent(true);
            let resp = client.send(req).await?;
            let records = resp
                .json_named::<crate::models::Envelope<Vec<Value>>>("ServiceNow attachment list")?
                .result;
            let total = resp
                .headers
                .get("x-total-count")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let next = paging::next_offset(offset, limit, records.len(), total);
            let items = records
                .into_iter()
                .map(|r| attachment(r, Some(&uniform)))
                .collect::<Result<Vec<_>>>()?;
            Ok(Page::new(items, next).with_total(total))
        }
    })
}

/// One attachment's metadata.
async fn metadata(c: &Client, sys: &SysId) -> Result<Value> {
    let req = request(Method::GET, format!("{ATTACHMENT_PATH}/{}", sys.as_str())).idempotent(true);
    Ok(c.send(req)
        .await?
        .json_named::<crate::models::Envelope<Value>>("ServiceNow attachment")?
        .result)
}

pub(super) async fn download_attachment(
    c: &Client,
    id: &Id,
    max_bytes: u64,
) -> Result<AttachmentDownload> {
    let sys = attachment_sys_id(id)?;
    let meta = metadata(c, &sys).await?;
    let size = text(&meta, "size_bytes").and_then(|s| s.parse::<u64>().ok());
    if let Some(size) = size.filter(|s| *s > max_bytes) {
        return Err(Error::invalid_input(format!(
            "attachment is {size} bytes, more than the {max_bytes} bytes allowed"
        )));
    }
    let req = request(
        Method::GET,
        format!("{ATTACHMENT_PATH}/{}/file", sys.as_str()),
    )
    .header(http::header::ACCEPT, HeaderValue::from_static("*/*"))
    .idempotent(true);
    let resp = c.send_streaming(req, max_bytes).await?;
    let mut out = AttachmentDownload::new(resp.body);
    out.content_type = resp
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| text(&meta, "content_type"));
    out.size = size;
    out.file_name = text(&meta, "file_name");
    Ok(out)
}

pub(super) async fn upload_attachment(
    c: &Client,
    ticket: &Id,
    file: NewAttachment,
) -> Result<Attachment> {
    file.validate_with_limit(MAX_UPLOAD_BYTES)?;
    let (uniform, t) = c.ticket_and_id(ticket)?;
    let content_type = HeaderValue::from_str(&file.content_type)
        .map_err(|_| Error::invalid_input("attachment content type is not a header value"))?;
    let req = request(Method::POST, format!("{ATTACHMENT_PATH}/file"))
        .query("table_name", t.table.as_str())
        .query("table_sys_id", t.sys_id.as_str())
        .query("file_name", &file.file_name)
        .body(file.data, content_type)
        .idempotent(false);
    // Never re-sent: a second attempt would attach the file twice.
    let req = RequestOptions::new().no_retry().apply(req);
    let raw = c
        .send(req)
        .await?
        .json_named::<crate::models::Envelope<Value>>("ServiceNow attachment")?
        .result;
    attachment(raw, Some(&uniform))
}

pub(super) async fn delete_attachment(c: &Client, id: &Id) -> Result<()> {
    let sys = attachment_sys_id(id)?;
    let req = request(
        Method::DELETE,
        format!("{ATTACHMENT_PATH}/{}", sys.as_str()),
    )
    .idempotent(true);
    c.send(req).await.map(drop)
}
