//! The operations the [`Table`] handle returns — [`List`], [`Get`],
//! [`Create`], [`Update`], [`Delete`] — and [`Raw`], any other REST call.
//!
//! Each builds its [`ApiRequest`] without IO in `request()` (for a listing,
//! the request of its first page), so a test asserts the method, path,
//! query, body and idempotency; invalid input (a table name or `sys_id` of
//! the wrong shape, a body that is not a JSON object, a field list that
//! could add parameters) is an `InvalidInput` error from `request()`, and so
//! from `send()`, before anything is sent. Each implements [`Customize`]:
//! the overrides are applied inside `request()`, so every page of a listing
//! carries them.

use futures::stream::BoxStream;
use http::Method;
use psa_core::http::{ApiRequest, ApiResponse, Customize, RequestOptions};
use psa_core::paging::{self, Page, PageDecoder, PageToken};
use psa_core::{Error, ErrorKind, RawRequest, RawResponse, Result, Vendor};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::Table;
use crate::client::Client;
use crate::ids::{RecordKey, TaskTable};
use crate::limits::rate_key;
use crate::models::Envelope;
use crate::query::{FieldList, Query, validate_field};

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

/// The journal fields every task-family table has: writing one adds an
/// entry to `sys_journal_field`, so a write of one is not idempotent.
const JOURNAL_COLUMNS: [&str; 3] = ["work_notes", "comments", "comments_and_work_notes"];

/// A request to the instance, with the REST resource it addresses as its
/// rate key (the unit ServiceNow's rate-limit rules are set on).
fn api_request(method: Method, path: String) -> ApiRequest {
    let key = rate_key(&method, &path);
    ApiRequest::new(method, path).rate_key(key)
}

/// The query parameters every read (and every write, for the record it
/// returns) shares.
#[derive(Debug, Clone, Default)]
struct Params {
    fields: Fields,
    display: DisplayValue,
    exclude_reference_link: bool,
}

/// `sysparm_fields`: every field (none named), names to check when the
/// request is built, or a [`FieldList`] checked already.
#[derive(Debug, Clone, Default)]
enum Fields {
    #[default]
    All,
    Names(Vec<String>),
    Checked(FieldList),
}

impl Params {
    fn apply(&self, mut req: ApiRequest) -> Result<ApiRequest> {
        match &self.fields {
            Fields::All => {}
            Fields::Names(names) => {
                for f in names {
                    validate_field(f)?;
                }
                req = req.query("sysparm_fields", names.join(","));
            }
            Fields::Checked(list) => req = req.query("sysparm_fields", list.as_str()),
        }
        if self.display != DisplayValue::False {
            req = req.query("sysparm_display_value", self.display.as_str());
        }
        if self.exclude_reference_link {
            req = req.query("sysparm_exclude_reference_link", "true");
        }
        Ok(req)
    }
}

/// The setters of [`Params`] on an operation.
macro_rules! record_params {
    ($($op:ident),+) => {$(
        impl $op {
            /// Returns only these fields (dot-walking allowed: `caller_id.email`).
            /// The names are checked when the request is built; none returns
            /// every field.
            pub fn fields<I, S>(mut self, fields: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                let names: Vec<String> = fields.into_iter().map(Into::into).collect();
                self.params.fields = if names.is_empty() {
                    Fields::All
                } else {
                    Fields::Names(names)
                };
                self
            }

            /// Returns only the fields of `list`, checked when it was made
            /// (for a read repeated with the same fields).
            pub fn field_list(mut self, list: &FieldList) -> Self {
                self.params.fields = Fields::Checked(list.clone());
                self
            }

            /// `sysparm_display_value`.
            pub fn display_value(mut self, display: DisplayValue) -> Self {
                self.params.display = display;
                self
            }

            /// `sysparm_exclude_reference_link`: references as plain `sys_id` strings.
            pub fn exclude_reference_link(mut self, exclude: bool) -> Self {
                self.params.exclude_reference_link = exclude;
                self
            }
        }
    )+};
}

/// [`Customize`] on operations holding their overrides in `options`.
macro_rules! customize {
    ($($op:ident),+) => {$(
        impl Customize for $op {
            fn options_mut(&mut self) -> &mut RequestOptions {
                &mut self.options
            }
        }
    )+};
}

record_params!(List, Get, Create, Update);
customize!(List, Get, Create, Update, Delete, Raw);

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

/// `GET /api/now/table/{table}`: [`send`](List::send) one page, or
/// [`stream`](List::stream) every record. Idempotent.
#[derive(Debug, Clone)]
#[must_use = "an operation does nothing until it is sent"]
pub struct List {
    table: Table,
    params: Params,
    query: Option<Query>,
    limit: Option<u64>,
    offset: u64,
    options: RequestOptions,
}

impl List {
    pub(super) fn new(table: Table) -> Self {
        List {
            table,
            params: Params::default(),
            query: None,
            limit: None,
            offset: 0,
            options: RequestOptions::default(),
        }
    }

    /// Filters and orders with an encoded query.
    pub fn query(mut self, query: Query) -> Self {
        self.query = Some(query);
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
            .unwrap_or_else(|| self.table.client().page_size())
            .max(1)
    }

    /// The request of the first page (at [`offset`](Self::offset)), without
    /// sending it.
    pub fn request(&self) -> Result<ApiRequest> {
        self.request_at(self.offset)
    }

    /// The request of the page at `offset`.
    fn request_at(&self, offset: u64) -> Result<ApiRequest> {
        let mut req = api_request(Method::GET, self.table.path()?);
        if let Some(query) = &self.query {
            let encoded = query.encode()?;
            if !encoded.is_empty() {
                req = req.query("sysparm_query", encoded);
            }
        }
        let req = self
            .params
            .apply(req)?
            .query("sysparm_limit", self.page_size())
            .query("sysparm_offset", offset)
            .idempotent(true);
        Ok(self.options.apply(req))
    }

    async fn page_at<T: DeserializeOwned>(&self, offset: u64) -> Result<TablePage<T>> {
        let resp = self.table.client().send(self.request_at(offset)?).await?;
        self.page_in(&resp, offset)
    }

    /// The page that `resp`, the answer to [`request`](Self::request),
    /// holds — for an answer that came another way than
    /// [`send`](Self::send), such as an item of a [`Batch`](super::Batch):
    /// decoded and bounded as `send` decodes it, with the next offset.
    pub fn page_of<T: DeserializeOwned>(&self, resp: &ApiResponse) -> Result<TablePage<T>> {
        self.page_in(resp, self.offset)
    }

    fn page_in<T: DeserializeOwned>(
        &self,
        resp: &ApiResponse,
        offset: u64,
    ) -> Result<TablePage<T>> {
        let client = self.table.client();
        // The records are read with a cap of twice the page asked for: a
        // hostile page (millions of `{}` under the body limit) is refused
        // before it is held in memory.
        let cap = usize::try_from(self.page_size().saturating_mul(2)).unwrap_or(usize::MAX);
        let items: Vec<T> = PageDecoder::new("ServiceNow list page", cap.max(1_000))
            .vendor(Vendor::ServiceNow)
            .decode_under_key(&resp.body, "result")?;
        let total = resp
            .headers
            .get("x-total-count")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let next_offset = next_offset(
            resp,
            client.base(),
            offset,
            self.page_size(),
            total,
            items.len(),
        );
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
            let list = self.clone();
            async move {
                let at = match token {
                    None => start,
                    Some(PageToken::Offset(n)) => n,
                    Some(_) => return Err(link_error("unexpected page token")),
                };
                let page: TablePage<T> = list.page_at(at).await?;
                let next = page.next_offset.filter(|n| *n > at).map(PageToken::Offset);
                Ok(Page::new(page.items, next).with_total(page.total))
            }
        })
    }
}

/// The next offset. A `rel="next"` link of the `Link` header on the
/// client's own origin gives it (its `sysparm_offset`); a link naming
/// another host (a custom domain, a proxy that rewrites nothing) only says
/// that there is a next page: the offset is then computed, as with neither
/// header ([`paging::next_offset`]): offset + limit while below
/// `X-Total-Count`, or while the page was not empty. Either way the next
/// request is built from the client's own base URL with the caller's query
/// and fields — a link's URL is never requested. The step is the limit
/// asked for, not the records returned: the limit is applied before ACLs,
/// so a page may be short without being the last.
fn next_offset(
    resp: &ApiResponse,
    base: &Url,
    offset: u64,
    limit: u64,
    total: Option<u64>,
    items: usize,
) -> Option<u64> {
    let computed = || match paging::next_offset(offset, limit, items, total) {
        Some(PageToken::Offset(n)) => Some(n),
        _ => None,
    };
    if !resp.headers.contains_key(http::header::LINK) {
        return computed();
    }
    let url = paging::parse_link_next(&resp.headers)?;
    offset_of_link(&url, base).or_else(|| {
        tracing::debug!("the next-page link names another host or no offset: paging by offset");
        computed()
    })
}

/// The `sysparm_offset` of a next-page link on `base`'s origin; `None`
/// for a link naming another origin, or without an offset.
fn offset_of_link(link: &str, base: &Url) -> Option<u64> {
    let url = Url::parse(link).ok()?;
    if url.origin() != base.origin() {
        return None;
    }
    url.query_pairs()
        .find(|(k, _)| k == "sysparm_offset")
        .and_then(|(_, v)| v.parse::<u64>().ok())
}

fn link_error(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::Decode, message).with_vendor(Vendor::ServiceNow)
}

/// A request body as given, or why it does not serialise (checked when the
/// request is built, so that the operation stays infallible to build).
type Body = std::result::Result<Value, String>;

fn to_body(body: impl Serialize) -> Body {
    serde_json::to_value(body).map_err(|e| e.to_string())
}

/// The body of a write: it must serialise to a JSON object.
fn body_object(body: &Body) -> Result<&Value> {
    let body = body
        .as_ref()
        .map_err(|e| Error::invalid_input(format!("the request body does not serialise: {e}")))?;
    if body.is_object() {
        Ok(body)
    } else {
        Err(Error::invalid_input(
            "a Table API request body must be a JSON object",
        ))
    }
}

/// `/api/now/table/{table}/{sys_id}`, once both are checked.
fn record_path(table: &Table, sys_id: &RecordKey) -> Result<String> {
    let mut path = table.path()?;
    path.push('/');
    path.push_str(sys_id.sys_id()?.as_str());
    Ok(path)
}

/// `send` and `send_as` on the operations whose answer is one record
/// (`{"result": {…}}`).
macro_rules! record_send {
    ($($op:ident),+) => {$(
        impl $op {
            /// Sends the request: the record as JSON.
            pub async fn send(self) -> Result<Value> {
                self.send_as().await
            }

            /// Sends the request: the record typed (`Box<RawValue>` keeps its
            /// text as sent).
            pub async fn send_as<T: DeserializeOwned>(self) -> Result<T> {
                let request = self.request()?;
                Ok(self
                    .table
                    .client()
                    .send_json::<Envelope<T>>(request, "record")
                    .await?
                    .result)
            }
        }
    )+};
}

record_send!(Get, Create, Update);

/// `GET /api/now/table/{table}/{sys_id}`: one record. Idempotent.
#[derive(Debug, Clone)]
#[must_use = "an operation does nothing until it is sent"]
pub struct Get {
    table: Table,
    sys_id: RecordKey,
    params: Params,
    options: RequestOptions,
}

impl Get {
    pub(super) fn new(table: Table, sys_id: RecordKey) -> Self {
        Get {
            table,
            sys_id,
            params: Params::default(),
            options: RequestOptions::default(),
        }
    }

    /// The request, without sending it.
    pub fn request(&self) -> Result<ApiRequest> {
        let req = api_request(Method::GET, record_path(&self.table, &self.sys_id)?);
        Ok(self.options.apply(self.params.apply(req)?.idempotent(true)))
    }
}

/// `POST /api/now/table/{table}`: inserts one record. Not idempotent: an
/// unknown outcome is an `AmbiguousWrite` error, never a second insert.
#[derive(Debug, Clone)]
#[must_use = "an operation does nothing until it is sent"]
pub struct Create {
    table: Table,
    body: Body,
    params: Params,
    options: RequestOptions,
}

impl Create {
    pub(super) fn new(table: Table, body: impl Serialize) -> Self {
        Create {
            table,
            body: to_body(body),
            params: Params::default(),
            options: RequestOptions::default(),
        }
    }

    /// The request, without sending it.
    pub fn request(&self) -> Result<ApiRequest> {
        let req = api_request(Method::POST, self.table.path()?);
        let req = self
            .params
            .apply(req)?
            .json(body_object(&self.body)?)?
            .idempotent(false);
        Ok(self.options.apply(req))
    }
}

/// `PATCH /api/now/table/{table}/{sys_id}`: sets the fields of the body.
/// Idempotent unless it writes a journal field of a task-family record
/// (see [`Table::update`]).
#[derive(Debug, Clone)]
#[must_use = "an operation does nothing until it is sent"]
pub struct Update {
    table: Table,
    sys_id: RecordKey,
    body: Body,
    params: Params,
    options: RequestOptions,
}

impl Update {
    pub(super) fn new(table: Table, sys_id: RecordKey, body: impl Serialize) -> Self {
        Update {
            table,
            sys_id,
            body: to_body(body),
            params: Params::default(),
            options: RequestOptions::default(),
        }
    }

    /// Whether sending the update twice has the effect of once: it sets
    /// fields to values, unless it writes a task-family journal field.
    fn idempotent(&self, body: &Value) -> bool {
        let task = self.table.name() == "task" || TaskTable::from_name(self.table.name()).is_some();
        !(task && JOURNAL_COLUMNS.iter().any(|f| body.get(f).is_some()))
    }

    /// The request, without sending it.
    pub fn request(&self) -> Result<ApiRequest> {
        let req = api_request(Method::PATCH, record_path(&self.table, &self.sys_id)?);
        let body = body_object(&self.body)?;
        let req = self
            .params
            .apply(req)?
            .json(body)?
            .idempotent(self.idempotent(body));
        Ok(self.options.apply(req))
    }
}

/// `DELETE /api/now/table/{table}/{sys_id}`. Idempotent (a second delete
/// finds nothing to delete).
#[derive(Debug, Clone)]
#[must_use = "an operation does nothing until it is sent"]
pub struct Delete {
    table: Table,
    sys_id: RecordKey,
    options: RequestOptions,
}

impl Delete {
    pub(super) fn new(table: Table, sys_id: RecordKey) -> Self {
        Delete {
            table,
            sys_id,
            options: RequestOptions::default(),
        }
    }

    /// The request, without sending it.
    pub fn request(&self) -> Result<ApiRequest> {
        let req = api_request(Method::DELETE, record_path(&self.table, &self.sys_id)?);
        Ok(self.options.apply(req.idempotent(true)))
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        self.table.client().send_empty(self.request()?).await
    }
}

/// Any REST call on the instance (`api/…`): a [`RawRequest`] as
/// [`Psa::raw`](psa_core::Psa::raw) sends it. Idempotent for `GET`, `HEAD`,
/// `OPTIONS`, `PUT` and `DELETE`; a `POST` or `PATCH` is never re-sent.
#[derive(Debug, Clone)]
#[must_use = "an operation does nothing until it is sent"]
pub struct Raw {
    client: Client,
    request: RawRequest,
    options: RequestOptions,
}

impl Raw {
    pub(super) fn new(client: Client, request: RawRequest) -> Self {
        Raw {
            client,
            request,
            options: RequestOptions::default(),
        }
    }

    /// The request, without sending it. The path must be relative, without
    /// `.` or `..` segments, and go to the instance's REST APIs (`api/…`).
    pub fn request(&self) -> Result<ApiRequest> {
        let raw = &self.request;
        // Plain segments only (no encoded traversal), the methods the
        // REST APIs use.
        raw.validate_methods(&[
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])?;
        let path = raw.checked_path()?;
        // A dot-walked field (`caller_id.user_password`, `company.notes`)
        // reads another table than the one the permission group is mapped by.
        for (k, v) in &raw.query {
            if k.eq_ignore_ascii_case("sysparm_fields") && v.contains('.') {
                return Err(Error::invalid_input(
                    "raw requests may not dot-walk in sysparm_fields: it reads another table than the path names",
                ));
            }
        }
        if !path.starts_with("api/") {
            return Err(Error::invalid_input(
                "raw requests go to the instance's REST APIs: the path must start with `api/`",
            ));
        }
        let idempotent = matches!(
            raw.method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        );
        let mut req = api_request(raw.method.clone(), format!("/{path}")).idempotent(idempotent);
        for (k, v) in &raw.query {
            req = req.query(k.clone(), v);
        }
        if let Some(body) = &raw.body {
            req = req.json(body)?;
        }
        Ok(self.options.apply(req))
    }

    /// Sends the request: the answer with its status, headers (credential
    /// headers removed) and body.
    pub async fn send(self) -> Result<RawResponse> {
        self.client.send_raw(self.request()?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use psa_core::http::RetryPolicy;

    fn client() -> Client {
        Client::builder()
            .base_url("https://acme.service-now.com")
            .auth(crate::Auth::basic("svc.psa", "pw".to_owned().into()))
            .page_size(20)
            .build()
            .unwrap()
    }

    #[test]
    fn requests_keep_their_query_order_body_idempotency_and_rate_key() {
        let req = client()
            .table("incident")
            .update(
                "abcdefabcdefabcdefabcdefabcdef01",
                serde_json::json!({"work_notes": "x"}),
            )
            .fields(["sys_id"])
            .request()
            .unwrap();
        assert_eq!(
            req.path(),
            Some("/api/now/table/incident/abcdefabcdefabcdefabcdefabcdef01")
        );
        assert_eq!(req.query_pairs().len(), 1);
        assert_eq!(req.query_string(), "sysparm_fields=sys_id");
        assert!(!req.is_idempotent());
        assert_eq!(req.rate_key_name(), Some("PATCH table/incident"));
        assert_eq!(req.body_bytes().unwrap().as_ref(), br#"{"work_notes":"x"}"#);
    }

    #[test]
    fn customized_operations_carry_their_overrides_on_every_page() {
        let c = client();
        let list = c
            .table("sys_user_group")
            .list()
            .customize(|o| o.deadline(Duration::from_secs(2)).no_retry());
        for req in [list.request().unwrap(), list.request_at(40).unwrap()] {
            assert_eq!(req.deadline_override(), Some(Duration::from_secs(2)));
            assert_eq!(req.retry_policy_override(), Some(&RetryPolicy::never()));
        }
        assert_eq!(
            list.request_at(40).unwrap().query_value("sysparm_offset"),
            Some("40")
        );
        let create = c
            .table("incident")
            .create(serde_json::json!({"short_description": "x"}))
            .customize(|o| o.idempotent(true).attempt_timeout(Duration::from_secs(5)));
        let req = create.request().unwrap();
        assert!(
            req.is_idempotent(),
            "the override wins over the create's default"
        );
        assert_eq!(req.attempt_timeout_override(), Some(Duration::from_secs(5)));
        let delete = c
            .table("incident")
            .delete("abcdefabcdefabcdefabcdefabcdef01")
            .customize(|o| o.idempotent(false));
        assert!(!delete.request().unwrap().is_idempotent());
    }

    #[test]
    fn raw_requests_stay_on_the_rest_apis() {
        let c = client();
        let req = c
            .raw_request(RawRequest::get("api/now/stats/incident").query("sysparm_count", "true"))
            .request()
            .unwrap();
        assert_eq!(req.path(), Some("/api/now/stats/incident"));
        assert_eq!(req.query_value("sysparm_count"), Some("true"));
        assert!(req.is_idempotent());
        assert_eq!(req.rate_key_name(), Some("GET now/stats/incident"));
        let post = c
            .raw_request(RawRequest::post(
                "api/now/table/incident",
                serde_json::json!({}),
            ))
            .request()
            .unwrap();
        assert!(!post.is_idempotent());
        for bad in [
            "oauth_token.do",
            "../api/now/table/x",
            "https://evil.example/api/x",
        ] {
            assert!(
                c.raw_request(RawRequest::get(bad))
                    .request()
                    .unwrap_err()
                    .is_invalid_input(),
                "{bad}"
            );
        }
    }

    #[test]
    fn link_headers() {
        let h = "<https://dev223454.service-now.com/api/now/table/sys_user?sysparm_limit=10&sysparm_offset=0>;rel=\"first\",<https://dev223454.service-now.com/api/now/table/sys_user?sysparm_limit=10&sysparm_offset=10>;rel=\"next\",<https://dev223454.service-now.com/api/now/table/sys_user?sysparm_limit=10&sysparm_offset=620>;rel=\"last\"";
        let next = next_link(h).unwrap();
        assert!(next.ends_with("sysparm_offset=10"));
        let base = Url::parse("https://dev223454.service-now.com").unwrap();
        assert_eq!(offset_of_link(&next, &base).unwrap(), 10);
        let evil = Url::parse("https://evil.example").unwrap();
        assert!(offset_of_link(&next, &evil).is_none());
        assert!(next_link("<https://x/a?sysparm_offset=0>;rel=\"first\"").is_none());
    }

    /// The URL of `rel="next"` in a `Link` header
    /// (`<https://…&sysparm_offset=10>;rel="next",<…>;rel="last"`).
    fn next_link(header: &str) -> Option<String> {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::LINK,
            http::HeaderValue::from_str(header).ok()?,
        );
        paging::parse_link_next(&h)
    }
}
