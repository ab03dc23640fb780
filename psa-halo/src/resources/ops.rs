//! The generic operation structs every resource handle returns.

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::{Error, Result};
use serde::Serialize;
use std::borrow::Cow;
use std::marker::PhantomData;

use crate::client::Client;
use crate::models::{ListBody, Listing, Resource};
use crate::paging::MAX_PAGE_SIZE;
use crate::request::{Request, search_text};
use psa_core::paging::{self, Page, PageToken};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Lists records of one resource: one page with [`send`](List::send), every
/// page lazily with [`stream`](List::stream).
///
/// Filters are methods of the resource's own `List` (`open_only()`,
/// `client_id()` …); [`param`](List::param) adds any other parameter of
/// Halo's API.
#[must_use = "a list does nothing until sent or streamed"]
pub struct List<'a, T> {
    client: &'a Client,
    path: Cow<'static, str>,
    query: Vec<(Cow<'static, str>, String)>,
    page_size: u32,
    page_no: u64,
    paginate: bool,
    limit: Option<u64>,
    error: Option<Error>,
    _t: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for List<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("List")
            .field("path", &self.path)
            .field("query", &self.query)
            .field("page_size", &self.page_size)
            .field("page_no", &self.page_no)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Resource + Send + 'a> List<'a, T> {
    pub(crate) fn new(client: &'a Client, path: impl Into<Cow<'static, str>>) -> Self {
        List {
            client,
            path: path.into(),
            query: Vec::new(),
            page_size: MAX_PAGE_SIZE,
            page_no: 1,
            paginate: true,
            limit: None,
            error: None,
            _t: PhantomData,
        }
    }

    /// A list of an endpoint Halo does not paginate (one request returns
    /// everything).
    pub(crate) fn unpaged(client: &'a Client, path: impl Into<Cow<'static, str>>) -> Self {
        List {
            paginate: false,
            ..List::new(client, path)
        }
    }

    #[allow(clippy::needless_pass_by_value)]
    pub(crate) fn push(mut self, key: &'static str, value: impl ToString) -> Self {
        let value = value.to_string();
        match self.query.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = value,
            None => self.query.push((Cow::Borrowed(key), value)),
        }
        self
    }

    pub(crate) fn push_search(self, key: &'static str, what: &str, text: &str) -> Self {
        match search_text(what, text) {
            Ok(t) => self.push(key, t),
            Err(e) => self.fail(e),
        }
    }

    pub(crate) fn fail(mut self, e: Error) -> Self {
        self.error.get_or_insert(e);
        self
    }

    /// The same listing, each record decoded as `U` (the same endpoint and
    /// parameters).
    pub(crate) fn retype<U>(self) -> List<'a, U> {
        List {
            client: self.client,
            path: self.path,
            query: self.query,
            page_size: self.page_size,
            page_no: self.page_no,
            paginate: self.paginate,
            limit: self.limit,
            error: self.error,
            _t: PhantomData,
        }
    }

    /// Records per page, at most Halo's cap of 100 (the default).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = n.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// The page [`send`](Self::send) fetches, or the first page a stream
    /// starts from (1-based, default 1).
    pub fn page(mut self, page_no: u64) -> Self {
        self.page_no = page_no.max(1);
        self
    }

    /// Stops a stream after `n` records.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Adds any other query parameter of Halo's API (the value is
    /// URL-encoded; it cannot add parameters).
    #[allow(clippy::needless_pass_by_value)]
    pub fn param(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        let key = key.into();
        let value = value.to_string();
        match self.query.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.query.push((Cow::Owned(key), value)),
        }
        self
    }

    fn request_for(&self, page_no: u64) -> Result<Request> {
        if let Some(e) = &self.error {
            return Err(clone_error(e));
        }
        let mut req = Request::get(self.path.to_string());
        if self.paginate {
            req.set("pageinate", "true");
            req.set("page_size", self.page_size);
            req.set("page_no", page_no);
        }
        for (k, v) in &self.query {
            req.set(k.clone(), v);
        }
        Ok(req)
    }

    /// The request for the page [`send`](Self::send) fetches.
    pub fn request(&self) -> Result<Request> {
        self.request_for(self.page_no)
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Listing<T>> {
        let req = self.request()?;
        let what = format!("{} page", self.path);
        Ok(self.client.send_json::<ListBody<T>>(req, &what).await?.0)
    }

    /// Every page, fetched lazily (the next page only once this one is
    /// consumed), as [`psa_core::paging::Page`]s carrying Halo's
    /// `record_count` as their total. The next page is decided from the
    /// records Halo returned and its `record_count`, never from the size
    /// asked for (see [`crate::paging`]); a listing stops if a page number
    /// would repeat.
    pub fn pages(self) -> BoxStream<'a, Result<Page<T>>> {
        if let Err(e) = self.request_for(self.page_no) {
            return psa_core::psa::error_stream(e);
        }
        let first = self.page_no;
        let paginate = self.paginate;
        let this = Arc::new(self);
        let seen = Arc::new(AtomicU64::new(0));
        paging::pages(move |token: Option<PageToken>| {
            let this = Arc::clone(&this);
            let seen = Arc::clone(&seen);
            async move {
                let page_no = match token {
                    Some(PageToken::Number(n)) => n,
                    _ => first,
                };
                let req = this.request_for(page_no)?;
                let what = format!("{} page {page_no}", this.path);
                let listing = this.client.send_json::<ListBody<T>>(req, &what).await?.0;
                let returned = listing.records.len();
                let total = seen
                    .fetch_add(
                        u64::try_from(returned).unwrap_or(u64::MAX),
                        Ordering::Relaxed,
                    )
                    .saturating_add(u64::try_from(returned).unwrap_or(u64::MAX));
                let next = if paginate {
                    paging::next_page_number(page_no, returned, total, listing.record_count)
                } else {
                    None
                };
                Ok(Page::new(listing.records, next).with_total(listing.record_count))
            }
        })
    }

    /// Every record of every page, fetched lazily: one page in memory at a
    /// time (see [`pages`](Self::pages)); at most [`limit`](Self::limit)
    /// records.
    pub fn stream(self) -> BoxStream<'a, Result<T>> {
        self.stream_at().map_ok(|(_, _, t)| t).boxed()
    }

    /// Like [`stream`](Self::stream), each record with where it was: its
    /// page number and its index in that page's list, for an error that
    /// points at `tickets[3]` of page 2.
    pub(crate) fn stream_at(self) -> BoxStream<'a, Result<(u64, usize, T)>> {
        let limit = self.limit;
        let first = self.page_no;
        let items = self
            .pages()
            .enumerate()
            .map(move |(n, page)| {
                let page_no = first.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
                page.map(|page| {
                    stream::iter(
                        page.items
                            .into_iter()
                            .enumerate()
                            .map(move |(i, t)| Ok((page_no, i, t))),
                    )
                })
            })
            .try_flatten();
        match limit {
            Some(n) => items.take(usize::try_from(n).unwrap_or(usize::MAX)).boxed(),
            None => items.boxed(),
        }
    }
}

/// Errors are not `Clone`; an operation that failed validation reports the
/// same kind and message each time it is asked for its request.
fn clone_error(e: &Error) -> Error {
    let mut out = Error::new(e.kind(), e.message().to_owned());
    if let Some(v) = e.vendor() {
        out = out.with_vendor(v);
    }
    out
}

/// Reads one record.
#[must_use = "a read does nothing until sent"]
pub struct Get<'a, T> {
    client: &'a Client,
    request: Result<Request>,
    what: &'static str,
    _t: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Get<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Get")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl<'a, T: serde::de::DeserializeOwned> Get<'a, T> {
    pub(crate) fn new(client: &'a Client, what: &'static str, request: Result<Request>) -> Self {
        Get {
            client,
            request,
            what,
            _t: PhantomData,
        }
    }

    pub(crate) fn push(mut self, key: &'static str, value: impl ToString) -> Self {
        if let Ok(r) = &mut self.request {
            r.set(key, value);
        }
        self
    }

    /// Adds any other query parameter of Halo's API.
    pub fn param(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        if let Ok(r) = &mut self.request {
            r.set(Cow::Owned(key.into()), value);
        }
        self
    }

    /// The request.
    pub fn request(&self) -> Result<Request> {
        self.request.as_ref().cloned().map_err(clone_error)
    }

    /// Fetches the record.
    pub async fn send(self) -> Result<T> {
        self.client.send_json::<T>(self.request?, self.what).await
    }
}

/// Creates or updates records: Halo's `POST` of a JSON array. A record
/// without `id` is created; a record with an `id` is updated (only the
/// fields it carries change). Never retried automatically: an unknown
/// outcome is an [`AmbiguousWrite`](psa_core::ErrorKind::AmbiguousWrite).
#[must_use = "a save does nothing until sent"]
pub struct Save<'a, T> {
    client: &'a Client,
    path: &'static str,
    records: Vec<T>,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Save<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Save")
            .field("path", &self.path)
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Serialize + serde::de::DeserializeOwned> Save<'a, T> {
    pub(crate) fn new(client: &'a Client, path: &'static str, records: Vec<T>) -> Self {
        Save {
            client,
            path,
            records,
        }
    }

    /// The request: `POST` of the records as a JSON array.
    pub fn request(&self) -> Result<Request> {
        if self.records.is_empty() {
            return Err(Error::invalid_input(format!(
                "halo {} save has no records",
                self.path
            )));
        }
        let body = serde_json::to_value(&self.records).map_err(|e| {
            Error::invalid_input(format!("halo {} record does not serialise: {e}", self.path))
        })?;
        Ok(Request::post(self.path, body))
    }

    /// Sends the records; returns the records as Halo saved them (Halo
    /// answers with the record, or an array for several).
    pub async fn send(self) -> Result<Vec<T>> {
        let req = self.request()?;
        let what = format!("{} save response", self.path);
        let value = self
            .client
            .send_json::<serde_json::Value>(req, &what)
            .await?;
        if value.is_array() {
            crate::client::decode_value::<Vec<T>>(&value, &what)
        } else {
            crate::client::decode_value::<T>(&value, &what).map(|t| vec![t])
        }
    }
}

/// Deletes one record.
#[must_use = "a delete does nothing until sent"]
#[derive(Debug)]
pub struct Delete<'a> {
    client: &'a Client,
    request: Result<Request>,
}

impl<'a> Delete<'a> {
    pub(crate) fn new(client: &'a Client, request: Result<Request>) -> Self {
        Delete { client, request }
    }

    pub(crate) fn push(mut self, key: &'static str, value: impl ToString) -> Self {
        if let Ok(r) = &mut self.request {
            r.set(key, value);
        }
        self
    }

    /// The request.
    pub fn request(&self) -> Result<Request> {
        self.request.as_ref().cloned().map_err(clone_error)
    }

    /// Deletes.
    pub async fn send(self) -> Result<()> {
        self.client.send_empty(self.request?).await
    }
}
