//! The Table API, generic over tables: `client.table("incident").list()…`.

use std::fmt;

use futures::stream::BoxStream;
use http::Method;
use psa_core::paging::{self, Page, PageToken};
use psa_core::{Error, ErrorKind, Result, Vendor};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::client::{Client, Request, Response};
use crate::ids::{SysId, validate_table_name};
use crate::query::{Query, validate_field};

/// `sysparm_display_value`: what a field's value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DisplayValue {
    /// The stored values (default): `"2"`, a `sys_id`.
    #[default]
    False,
    /// The display values: `"In Progress"`, a user's name. Date-times are in
    /// the user's time zone.
    True,
    /// Both: every field is `{"display_value", "value"}` (and `link` for references).
    All,
}

impl DisplayValue {
    /// The parameter value.
    pub const fn as_str(self) -> &'static str {
        match self {
            DisplayValue::False => "false",
            DisplayValue::True => "true",
            DisplayValue::All => "all",
        }
    }
}

/// A handle on one table. Cheap to clone.
#[derive(Clone)]
pub struct Table {
    client: Client,
    name: String,
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Table {
    pub(crate) fn new(client: Client, name: String) -> Self {
        Table { client, name }
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn path(&self) -> Result<String> {
        validate_table_name(&self.name)?;
        Ok(format!("/api/now/table/{}", self.name))
    }

    fn record_path(&self, sys_id: &str) -> Result<String> {
        let id = SysId::parse(sys_id)?;
        Ok(format!("{}/{id}", self.path()?))
    }

    /// `GET /api/now/table/{table}`: a page of records, or a stream of all.
    pub fn list(&self) -> ListRequest {
        ListRequest {
            table: self.clone(),
            params: Params::default(),
            query: None,
            limit: None,
            offset: 0,
        }
    }

    /// `GET /api/now/table/{table}/{sys_id}`.
    pub fn get(&self, sys_id: impl Into<String>) -> RecordRequest {
        RecordRequest::new(self.clone(), Method::GET, Some(sys_id.into()), None)
    }

    /// `POST /api/now/table/{table}`: inserts one record. Never retried
    /// automatically (an unknown outcome is an `AmbiguousWrite` error).
    pub fn create(&self, body: impl Serialize) -> RecordRequest {
        RecordRequest::new(self.clone(), Method::POST, None, Some(to_json(body)))
    }

    /// `PATCH /api/now/table/{table}/{sys_id}`: sets the fields in `body`.
    ///
    /// Not retried automatically (writing a journal field such as
    /// `work_notes` adds an entry each time); call
    /// [`idempotent`](RecordRequest::idempotent) when the body only sets
    /// plain fields.
    pub fn patch(&self, sys_id: impl Into<String>, body: impl Serialize) -> RecordRequest {
        RecordRequest::new(
            self.clone(),
            Method::PATCH,
            Some(sys_id.into()),
            Some(to_json(body)),
        )
    }

    /// `DELETE /api/now/table/{table}/{sys_id}`.
    pub fn delete(&self, sys_id: impl Into<String>) -> RecordRequest {
        RecordRequest::new(self.clone(), Method::DELETE, Some(sys_id.into()), None)
    }
}

fn to_json(body: impl Serialize) -> Result<Value, String> {
    serde_json::to_value(body).map_err(|e| e.to_string())
}

/// The query parameters every read shares.
#[derive(Debug, Clone, Default)]
struct Params {
    fields: Vec<String>,
    display: DisplayValue,
    exclude_reference_link: bool,
}

impl Params {
    fn apply(&self, q: &mut Vec<(String, String)>) -> Result<()> {
        if !self.fields.is_empty() {
            for f in &self.fields {
                validate_field(f)?;
            }
            q.push(("sysparm_fields".into(), self.fields.join(",")));
        }
        if self.display != DisplayValue::False {
            q.push(("sysparm_display_value".into(), self.display.as_str().into()));
        }
        if self.exclude_reference_link {
            q.push(("sysparm_exclude_reference_link".into(), "true".into()));
        }
        Ok(())
    }
}

/// One page of a list.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TablePage<T> {
    /// The records the API user may read. The limit is applied before ACLs,
    /// so a page can hold fewer than asked — even none — while more follow.
    pub items: Vec<T>,
    /// `X-Total-Count`: the records matching the query (before ACLs).
    pub total: Option<u64>,
    /// The offset of the next page (from the `Link` header's `rel="next"`,
    /// else from the offset and `X-Total-Count`), or `None` on the last page.
    pub next_offset: Option<u64>,
}

/// `GET /api/now/table/{table}`. Build it, then [`send`](ListRequest::send)
/// one page or [`stream`](ListRequest::stream) every record.
#[derive(Debug, Clone)]
#[must_use]
pub struct ListRequest {
    table: Table,
    params: Params,
    query: Option<Query>,
    limit: Option<u64>,
    offset: u64,
}

impl ListRequest {
    /// Filters and orders with an encoded query.
    pub fn query(mut self, query: Query) -> Self {
        self.query = Some(query);
        self
    }

    /// Returns only these fields (dot-walking allowed: `caller_id.email`).
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.params.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// `sysparm_display_value`.
    pub fn display_value(mut self, d: DisplayValue) -> Self {
        self.params.display = d;
        self
    }

    /// `sysparm_exclude_reference_link`: references as plain `sys_id` strings.
    pub fn exclude_reference_link(mut self, exclude: bool) -> Self {
        self.params.exclude_reference_link = exclude;
        self
    }

    /// Records per page (`sysparm_limit`); the client's page size by default.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Where to start (`sysparm_offset`).
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = n;
        self
    }

    fn page_size(&self) -> u64 {
        self.limit
            .unwrap_or_else(|| self.table.client.page_size())
            .max(1)
    }

    /// The request for the page at `offset`, without sending it.
    pub fn build_at(&self, offset: u64) -> Result<Request> {
        let mut q = Vec::new();
        if let Some(query) = &self.query {
            let encoded = query.encode()?;
            if !encoded.is_empty() {
                q.push(("sysparm_query".into(), encoded));
            }
        }
        self.params.apply(&mut q)?;
        q.push(("sysparm_limit".into(), self.page_size().to_string()));
        q.push(("sysparm_offset".into(), offset.to_string()));
        Ok(Request::new(Method::GET, self.table.path()?)
            .query(q)
            .idempotent(true))
    }

    /// The request for the first page, without sending it.
    pub fn build(&self) -> Result<Request> {
        self.build_at(self.offset)
    }

    async fn page_at<T: DeserializeOwned>(&self, offset: u64) -> Result<TablePage<T>> {
        let req = self.build_at(offset)?;
        let resp = self.table.client.send(req).await?;
        let items: Vec<T> = resp.result("list")?;
        let total = resp
            .header("x-total-count")
            .and_then(|v| v.trim().parse::<u64>().ok());
        let next_offset = next_offset(
            &resp,
            self.table.client.base(),
            offset,
            self.page_size(),
            total,
            items.len(),
        )?;
        Ok(TablePage {
            items,
            total,
            next_offset,
        })
    }

    /// Sends the request: one page of JSON records.
    pub async fn send(self) -> Result<TablePage<Value>> {
        self.page_at(self.offset).await
    }

    /// Sends the request: one page of typed records.
    pub async fn send_as<T: DeserializeOwned>(self) -> Result<TablePage<T>> {
        self.page_at(self.offset).await
    }

    /// Every record, paging lazily (memory bounded by one page) with
    /// [`psa_core::paging`]: follows `rel="next"` and `X-Total-Count`, never
    /// stops on a short page, and stops when the next offset is missing,
    /// does not advance, or repeats one already fetched.
    pub fn stream(self) -> BoxStream<'static, Result<Value>> {
        self.stream_as::<Value>()
    }

    /// Every record, typed, paging lazily.
    pub fn stream_as<T: DeserializeOwned + Send + 'static>(self) -> BoxStream<'static, Result<T>> {
        let start = self.offset;
        paging::items(move |token: Option<PageToken>| {
            let req = self.clone();
            async move {
                let at = match token {
                    None => start,
                    Some(PageToken::Offset(n)) => n,
                    Some(_) => return Err(link_error("unexpected page token")),
                };
                let page: TablePage<T> = req.page_at(at).await?;
                let next = page.next_offset.filter(|n| *n > at).map(PageToken::Offset);
                Ok(Page::new(page.items, next).with_total(page.total))
            }
        })
    }
}

/// The next offset: `rel="next"` of the `Link` header (same origin only),
/// else — as [`paging::next_offset`] — offset + limit while below
/// `X-Total-Count`, and with neither header (`sysparm_suppress_pagination_header`,
/// `sysparm_no_count`) offset + limit while the page was not empty. The
/// step is the limit asked for, not the records returned: the limit is
/// applied before ACLs, so a page may be short without being the last.
fn next_offset(
    resp: &Response,
    base: &Url,
    offset: u64,
    limit: u64,
    total: Option<u64>,
    items: usize,
) -> Result<Option<u64>> {
    if resp.headers.contains_key(http::header::LINK) {
        return match paging::parse_link_next(&resp.headers) {
            Some(url) => offset_of_link(&url, base).map(Some),
            None => Ok(None),
        };
    }
    Ok(match paging::next_offset(offset, limit, items, total) {
        Some(PageToken::Offset(n)) => Some(n),
        _ => None,
    })
}

/// The URL of `rel="next"` in a `Link` header
/// (`<https://…&sysparm_offset=10>;rel="next",<…>;rel="last"`).
#[cfg(test)]
pub(crate) fn next_link(header: &str) -> Option<String> {
    let mut h = http::HeaderMap::new();
    h.insert(
        http::header::LINK,
        http::HeaderValue::from_str(header).ok()?,
    );
    paging::parse_link_next(&h)
}

fn offset_of_link(link: &str, base: &Url) -> Result<u64> {
    let url = Url::parse(link)
        .map_err(|e| link_error(format!("the next-page link is not a URL: {e}")))?;
    if url.origin() != base.origin() {
        return Err(link_error(format!(
            "the next-page link points to another origin ({}), not followed",
            url.origin().ascii_serialization()
        )));
    }
    url.query_pairs()
        .find(|(k, _)| k == "sysparm_offset")
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .ok_or_else(|| link_error("the next-page link has no sysparm_offset"))
}

fn link_error(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::Decode, message).with_vendor(Vendor::ServiceNow)
}

/// `GET`, `POST`, `PATCH` or `DELETE` of one record.
#[derive(Debug, Clone)]
#[must_use]
pub struct RecordRequest {
    table: Table,
    method: Method,
    sys_id: Option<String>,
    body: Option<Result<Value, String>>,
    params: Params,
    idempotent: Option<bool>,
}

impl RecordRequest {
    fn new(
        table: Table,
        method: Method,
        sys_id: Option<String>,
        body: Option<Result<Value, String>>,
    ) -> Self {
        RecordRequest {
            table,
            method,
            sys_id,
            body,
            params: Params::default(),
            idempotent: None,
        }
    }

    /// Returns only these fields.
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.params.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// `sysparm_display_value`.
    pub fn display_value(mut self, d: DisplayValue) -> Self {
        self.params.display = d;
        self
    }

    /// `sysparm_exclude_reference_link`.
    pub fn exclude_reference_link(mut self, exclude: bool) -> Self {
        self.params.exclude_reference_link = exclude;
        self
    }

    /// Marks the request as safe to retry (a PATCH that sets plain fields).
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = Some(yes);
        self
    }

    /// The request, without sending it.
    pub fn build(&self) -> Result<Request> {
        let path = match &self.sys_id {
            Some(id) => self.table.record_path(id)?,
            None => self.table.path()?,
        };
        let mut q = Vec::new();
        if self.method != Method::DELETE {
            self.params.apply(&mut q)?;
        }
        let idempotent = self
            .idempotent
            .unwrap_or(matches!(self.method, Method::GET | Method::DELETE));
        let mut req = Request::new(self.method.clone(), path)
            .query(q)
            .idempotent(idempotent);
        if let Some(body) = &self.body {
            let body = body.clone().map_err(|e| {
                Error::invalid_input(format!("the request body does not serialise: {e}"))
            })?;
            if !body.is_object() {
                return Err(Error::invalid_input(
                    "a Table API request body must be a JSON object",
                ));
            }
            req = req.json(body);
        }
        Ok(req)
    }

    /// Sends the request; the record as JSON (`Null` for a delete).
    pub async fn send(self) -> Result<Value> {
        let resp = self.table.client.send(self.build()?).await?;
        if self.method == Method::DELETE {
            return Ok(Value::Null);
        }
        resp.result("record")
    }

    /// Sends the request; the record typed.
    pub async fn send_as<T: DeserializeOwned>(self) -> Result<T> {
        let resp = self.table.client.send(self.build()?).await?;
        resp.result("record")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        let h = "<https://dev223454.service-now.com/api/now/table/sys_user?sysparm_limit=10&sysparm_offset=0>;rel=\"first\",<https://dev223454.service-now.com/api/now/table/sys_user?sysparm_limit=10&sysparm_offset=10>;rel=\"next\",<https://dev223454.service-now.com/api/now/table/sys_user?sysparm_limit=10&sysparm_offset=620>;rel=\"last\"";
        let next = next_link(h).unwrap();
        assert!(next.ends_with("sysparm_offset=10"));
        let base = Url::parse("https://dev223454.service-now.com").unwrap();
        assert_eq!(offset_of_link(&next, &base).unwrap(), 10);
        let evil = Url::parse("https://evil.example").unwrap();
        assert!(offset_of_link(&next, &evil).is_err());
        assert!(next_link("<https://x/a?sysparm_offset=0>;rel=\"first\"").is_none());
    }
}
