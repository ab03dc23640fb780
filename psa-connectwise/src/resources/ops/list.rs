//! List requests and ConnectWise's two kinds of paging.
//!
//! - **Navigable** (the default): `page` / `pageSize` (up to 1000); the
//!   response's `Link` header names the next page (`rel="next"`).
//! - **Forward-only** (`pagination-type: forward-only` header): records in
//!   id order, the `Link` header's next URL carries `pageId` (= "id greater
//!   than"); it scales to full scans. It cannot be combined with `orderBy`.
//!
//! The `Link` URL is honoured only on the client's own origin, and only for
//! its page token: the next request is rebuilt from this request's own
//! filters, so a `Link` that dropped `conditions` cannot widen the listing.
//! A full page without any `Link` (a proxy stripped it, or an endpoint that
//! ignores forward-only) makes the stream ask for the next page itself; a
//! page token that does not move forward, or ids that do not grow under
//! forward-only paging, end the stream with an error instead of looping or
//! truncating silently.

use futures::stream::{self, BoxStream, StreamExt};
use http::{HeaderMap, HeaderName, HeaderValue};
use psa_core::http::{ApiRequest, Customize, RequestOptions};
use psa_core::paging::{self, ListOptions, Page, PageDecoder, PageToken};
use psa_core::{Error, ErrorKind, Result, Vendor};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

use super::Collection;
use crate::client::Client;
use crate::query::{Condition, Field, ListQuery, MAX_PAGE_SIZE, OrderBy};

/// Which paging a list uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Paging {
    /// `page` / `pageSize` and the `Link` header.
    #[default]
    Navigable,
    /// `pagination-type: forward-only` and `pageId`.
    ForwardOnly,
}

/// A page position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageRef {
    /// Page number (navigable, from 1).
    Number(u32),
    /// Records with an id greater than this (forward-only; 0 for the start).
    After(i64),
}

/// `GET` of a collection: the records matching its filters, page by page.
///
/// [`request`](Self::request) is the first page's request;
/// [`page_request`](Self::page_request) any page's. Every page carries the
/// listing's filters and its [`customize`](Customize::customize)d options.
#[derive(Debug)]
#[must_use]
pub struct List<T> {
    client: Client,
    at: Collection,
    query: ListQuery,
    params: Vec<(&'static str, String)>,
    page_size: u32,
    paging: Paging,
    limit: Option<u64>,
    options: RequestOptions,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        List {
            client: self.client.clone(),
            at: self.at.clone(),
            query: self.query.clone(),
            params: self.params.clone(),
            page_size: self.page_size,
            paging: self.paging,
            limit: self.limit,
            options: self.options.clone(),
            _t: PhantomData,
        }
    }
}

impl<T> Customize for List<T> {
    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

#[derive(Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: Option<i64>,
}

impl<T: DeserializeOwned + Send + 'static> List<T> {
    pub(crate) fn new(client: Client, at: Collection) -> Self {
        let page_size = client.page_size();
        List {
            client,
            at,
            query: ListQuery::new(),
            params: Vec::new(),
            page_size,
            paging: Paging::Navigable,
            limit: None,
            options: RequestOptions::new(),
            _t: PhantomData,
        }
    }

    /// The same listing, its records decoded as `U` instead — e.g.
    /// `serde_json::Value` for the records exactly as ConnectWise sent them.
    pub fn decode_as<U: DeserializeOwned + Send + 'static>(self) -> List<U> {
        List {
            client: self.client,
            at: self.at,
            query: self.query,
            params: self.params,
            page_size: self.page_size,
            paging: self.paging,
            limit: self.limit,
            options: self.options,
            _t: PhantomData,
        }
    }

    /// Adds to `conditions` (combined with `and`).
    pub fn conditions(mut self, c: Condition) -> Self {
        self.query = self.query.conditions(c);
        self
    }

    /// Adds to `childConditions`.
    pub fn child_conditions(mut self, c: Condition) -> Self {
        self.query = self.query.child_conditions(c);
        self
    }

    /// Adds to `customFieldConditions`.
    pub fn custom_field_conditions(mut self, c: Condition) -> Self {
        self.query = self.query.custom_field_conditions(c);
        self
    }

    /// Adds an `orderBy` term (navigable paging only).
    pub fn order_by(mut self, o: OrderBy) -> Self {
        self.query = self.query.order_by(o);
        self
    }

    /// Asks for these fields only.
    pub fn fields(mut self, fields: impl IntoIterator<Item = Field>) -> Self {
        self.query = self.query.fields(fields);
        self
    }

    /// Records per page (1 to 1000; default the client's page size).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = n;
        self
    }

    /// Uses forward-only paging (`pageId`), for full scans.
    pub fn forward_only(mut self) -> Self {
        self.paging = Paging::ForwardOnly;
        self
    }

    /// Uses navigable paging (`page`).
    pub fn navigable(mut self) -> Self {
        self.paging = Paging::Navigable;
        self
    }

    /// Stops after `n` records (and asks for no more than needed).
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Adds a query parameter the endpoint takes besides the conditions
    /// (`type` and `id` of the audit trail).
    pub(crate) fn param(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.params.push((k, v.into()));
        self
    }

    /// The paging in use.
    pub fn paging(&self) -> Paging {
        self.paging
    }

    fn effective_page_size(&self) -> u32 {
        let size = self.page_size.clamp(1, MAX_PAGE_SIZE);
        match self.limit {
            Some(l) if l > 0 && l < u64::from(size) => u32::try_from(l).unwrap_or(size),
            _ => size,
        }
    }

    /// The first page's position.
    pub fn first_page(&self) -> PageRef {
        match self.paging {
            Paging::Navigable => PageRef::Number(1),
            Paging::ForwardOnly => PageRef::After(0),
        }
    }

    /// The first page's request, without I/O: what [`send`](Self::send)
    /// sends first. A filter that cannot be written safely, a bad page size
    /// or a bad parent id is an `InvalidInput` error.
    pub fn request(&self) -> Result<ApiRequest> {
        self.page_request(self.first_page())
    }

    /// The request for one page, without I/O.
    pub fn page_request(&self, page: PageRef) -> Result<ApiRequest> {
        if self.page_size == 0 || self.page_size > MAX_PAGE_SIZE {
            return Err(Error::invalid_input(format!(
                "ConnectWise page size must be 1 to {MAX_PAGE_SIZE}, got {}",
                self.page_size
            ))
            .with_vendor(Vendor::ConnectWise));
        }
        let mut r = ApiRequest::get(self.at.path()?);
        for (k, v) in self.query.to_pairs()? {
            r = r.query(k, v);
        }
        for (k, v) in &self.params {
            r = r.query(*k, v);
        }
        r = r.query("pageSize", self.effective_page_size());
        match page {
            PageRef::Number(n) => r = r.query("page", n.max(1)),
            PageRef::After(id) => {
                if self.query.has_order() {
                    return Err(Error::invalid_input(
                        "ConnectWise forward-only paging cannot be combined with orderBy",
                    )
                    .with_vendor(Vendor::ConnectWise));
                }
                r = r.header(
                    HeaderName::from_static("pagination-type"),
                    HeaderValue::from_static("forward-only"),
                );
                if id > 0 {
                    r = r.query("pageId", id);
                }
            }
        }
        Ok(self.options.apply(r))
    }

    /// Fetches one page: its records and the next page's position, if any.
    pub async fn page(&self, page: PageRef) -> Result<(Vec<T>, Option<PageRef>)> {
        self.fetch_page(page)
            .await
            .map(|(items, next, _)| (items, next))
    }

    /// One page, its next position and its fingerprint (a hash of the
    /// body): the records are decoded with a [`PageDecoder`] that refuses
    /// more records than the page size asked for.
    async fn fetch_page(&self, page: PageRef) -> Result<(Vec<T>, Option<PageRef>, u64)> {
        use std::hash::{Hash, Hasher};
        let req = self.page_request(page)?;
        let resp = self.client.send(req).await?;
        let what = &self.at.path;
        let cap = usize::try_from(self.effective_page_size()).unwrap_or(usize::MAX);
        let items: Vec<T> = PageDecoder::new(format!("ConnectWise {what} page"), cap)
            .vendor(Vendor::ConnectWise)
            .decode_array(&resp.body)?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        resp.body.hash(&mut hasher);
        let fingerprint = hasher.finish();
        let link_next = next_link(self.client.base_url(), &resp.headers)?;
        let size = usize::try_from(self.effective_page_size()).unwrap_or(usize::MAX);
        let next = match link_next {
            Some(n) => Some(n),
            None if items.len() >= size && !items.is_empty() => {
                // no Link on a full page: ask for the next one ourselves
                match page {
                    PageRef::Number(n) => Some(PageRef::Number(n + 1)),
                    PageRef::After(_) => {
                        let ids: Vec<IdOnly> =
                            serde_json::from_slice(&resp.body).unwrap_or_default();
                        ids.iter().filter_map(|i| i.id).max().map(PageRef::After)
                    }
                }
            }
            None => None,
        };
        if let (PageRef::After(after), true) = (page, after_check_needed(page)) {
            let ids: Vec<IdOnly> = serde_json::from_slice(&resp.body).unwrap_or_default();
            if ids.iter().filter_map(|i| i.id).any(|id| id <= after) {
                return Err(not_honoured(what, "returned records at or before pageId"));
            }
        }
        Ok((items, next, fingerprint))
    }

    /// Sends the first page only.
    pub async fn send(self) -> Result<Vec<T>> {
        let (items, _) = self.page(self.first_page()).await?;
        Ok(items)
    }

    /// Every record, paging lazily (memory bounded by one page) through
    /// `psa_core::paging`.
    pub fn stream(self) -> BoxStream<'static, Result<T>> {
        let limit = self.limit.map(|l| usize::try_from(l).unwrap_or(usize::MAX));
        let items = self.pages().flat_map(|page| match page {
            Ok(page) => stream::iter(page.items.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::once(async move { Err(e) }).right_stream(),
        });
        match limit {
            Some(l) => items.take(l).boxed(),
            None => items.boxed(),
        }
    }

    /// Every page, lazily; a page token that does not move forward, a page
    /// repeating an earlier one (the site ignoring `page`), or more than
    /// [`paging::DEFAULT_MAX_PAGES`] pages end the listing with an error.
    pub fn pages(self) -> BoxStream<'static, Result<Page<T>>> {
        let req = std::sync::Arc::new(self);
        let options = ListOptions::new().vendor(Vendor::ConnectWise);
        paging::pages_with(options, None, move |token: Option<PageToken>| {
            let req = std::sync::Arc::clone(&req);
            async move {
                let page = match token {
                    None => req.first_page(),
                    Some(t) => from_token(&t)?,
                };
                let (items, next, fingerprint) = req.fetch_page(page).await?;
                if let Some(n) = next {
                    if !advances(page, n) {
                        return Err(not_honoured(
                            &req.at.path,
                            "sent a next page that does not move forward",
                        ));
                    }
                }
                let next = if items.is_empty() {
                    None
                } else {
                    next.map(to_token)
                };
                let mut page = Page::new(items, next);
                page.fingerprint = Some(fingerprint);
                Ok(page)
            }
        })
    }
}

fn to_token(p: PageRef) -> PageToken {
    match p {
        PageRef::Number(n) => PageToken::Number(u64::from(n)),
        PageRef::After(id) => PageToken::Cursor(id.to_string()),
    }
}

fn from_token(t: &PageToken) -> Result<PageRef> {
    match t {
        PageToken::Number(n) => u32::try_from(*n).map(PageRef::Number).ok(),
        PageToken::Cursor(c) => c.parse().ok().map(PageRef::After),
        _ => None,
    }
    .ok_or_else(|| Error::invalid_input(format!("{t:?} is not a ConnectWise page token")))
}

fn after_check_needed(page: PageRef) -> bool {
    matches!(page, PageRef::After(id) if id > 0)
}

fn advances(current: PageRef, next: PageRef) -> bool {
    match (current, next) {
        (PageRef::Number(a), PageRef::Number(b)) => b > a,
        (PageRef::After(a), PageRef::After(b)) => b > a,
        // ConnectWise answered a forward-only request with navigable paging
        // (or the reverse): the position still identifies a page
        _ => true,
    }
}

fn not_honoured(path: &str, what: &str) -> Error {
    Error::new(
        ErrorKind::Api,
        format!("ConnectWise paging of {path} {what}; stopping rather than repeating or skipping records"),
    )
    .with_vendor(Vendor::ConnectWise)
}

/// The next page a `Link` header names (`rel="next"`), only on the client's
/// own origin and only by its page token: the next request is rebuilt from
/// the listing's own filters.
fn next_link(base: &url::Url, headers: &HeaderMap) -> Result<Option<PageRef>> {
    let Some(target) = paging::parse_link_next(headers) else {
        return Ok(None);
    };
    let url = base.join(&target).map_err(|_| {
        Error::new(
            ErrorKind::Api,
            "ConnectWise sent a Link URL that does not parse",
        )
        .with_vendor(Vendor::ConnectWise)
    })?;
    if url.origin() != base.origin() {
        return Err(Error::new(
            ErrorKind::Api,
            format!(
                "ConnectWise sent a next-page Link to another origin ({}); not followed",
                url.origin().ascii_serialization()
            ),
        )
        .with_vendor(Vendor::ConnectWise));
    }
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.into_owned())
    };
    if let Some(id) = param("pageId").and_then(|v| v.parse::<i64>().ok()) {
        return Ok(Some(PageRef::After(id)));
    }
    if let Some(n) = param("page").and_then(|v| v.parse::<u32>().ok()) {
        return Ok(Some(PageRef::Number(n)));
    }
    Err(Error::new(
        ErrorKind::Api,
        "ConnectWise sent a next-page Link without page or pageId",
    )
    .with_vendor(Vendor::ConnectWise))
}
