//! [`List`]: a listing of one resource, and Halo's paging.

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::Result;
use psa_core::http::{ApiRequest, RequestOptions};
use psa_core::paging::{self, Page, PageToken};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::client::Client;
use crate::models::{ListBody, Listing, Resource, Text};
use crate::query::Params;

/// Halo's largest page: `page_size` above 100 is served as 100.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Lists records of one resource: one page with [`send`](List::send), every
/// page lazily with [`pages`](List::pages), every record with
/// [`stream`](List::stream).
///
/// Filters are methods of the resource's own `List` (`open_only()`,
/// `client_id()` …); [`param`](List::param) adds any other parameter of
/// Halo's API. Reads are idempotent: retried on a timeout or a 5xx.
///
/// # Paging
///
/// `pageinate=true&page_size=N&page_no=K`, 100 records a page by default.
/// Halo caps a page at 100 records whatever `page_size` asks
/// (homotechsual/HaloAPI#90: a client that computed the page count from the
/// size it asked for silently stopped after the first 100 records). The
/// next page is therefore decided from the records actually returned and
/// from `record_count`, never from the requested size:
///
/// - an empty page ends the listing;
/// - with `record_count`, the listing ends once that many records were seen;
/// - without it, the listing goes on until an empty page.
///
/// The streams are psa-core's ([`psa_core::paging`]): lazy, one page in
/// memory at a time, stopping if a page number would repeat. Every page's
/// request carries the per-call options
/// ([`Customize`](psa_core::http::Customize)).
///
/// ```
/// # let client = psa_halo::Client::builder()
/// #     .base_url("https://acme.halopsa.com").client_id("id")
/// #     .client_secret("s".into()).build()?;
/// let req = client.tickets().list().open_only().client_id(12).search("a&b=c").request()?;
/// assert_eq!(req.method(), &http::Method::GET);
/// assert_eq!(req.path(), Some("Tickets"));
/// assert_eq!(
///     req.query_string(),
///     "pageinate=true&page_size=100&page_no=1&open_only=true&client_id=12&search=a%26b%3Dc"
/// );
/// assert!(req.is_idempotent());
/// # Ok::<(), psa_core::Error>(())
/// ```
#[must_use = "a list does nothing until sent or streamed"]
pub struct List<'a, T> {
    client: &'a Client,
    path: Cow<'static, str>,
    params: Params,
    page_size: u32,
    page_no: u64,
    paginate: bool,
    limit: Option<u64>,
    pub(super) options: RequestOptions,
    _t: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("List")
            .field("path", &self.path)
            .field("params", &self.params)
            .field("page_size", &self.page_size)
            .field("page_no", &self.page_no)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Resource + Send + 'a> List<'a, T> {
    /// A paginated listing of `path`.
    pub(crate) fn new(client: &'a Client, path: impl Into<Cow<'static, str>>) -> Self {
        List {
            client,
            path: path.into(),
            params: Params::default(),
            page_size: MAX_PAGE_SIZE,
            page_no: 1,
            paginate: true,
            limit: None,
            options: RequestOptions::default(),
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

    /// Changes the parameters (a filter method of a resource's `List`).
    pub(crate) fn with(mut self, f: impl FnOnce(&mut Params)) -> Self {
        f(&mut self.params);
        self
    }

    pub(crate) fn push(self, key: &'static str, value: impl fmt::Display) -> Self {
        self.with(|p| p.set(key, value))
    }

    /// The same listing with each record kept as the JSON text Halo sent
    /// ([`Text`]), undecoded: the same endpoint, parameters and options.
    pub fn text(self) -> List<'a, Text<T>> {
        List {
            client: self.client,
            path: self.path,
            params: self.params,
            page_size: self.page_size,
            page_no: self.page_no,
            paginate: self.paginate,
            limit: self.limit,
            options: self.options,
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
    pub fn param(self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.with(|p| p.set(key.into(), value))
    }

    fn request_for(&self, page_no: u64) -> Result<ApiRequest> {
        let mut req = ApiRequest::get(self.path.clone());
        if self.paginate {
            req = req
                .query("pageinate", true)
                .query("page_size", self.page_size)
                .query("page_no", page_no);
        }
        Ok(self.options.apply(self.params.apply(req)?))
    }

    /// The request for the page [`send`](Self::send) fetches (the first
    /// page of a stream), built without IO.
    ///
    /// # Errors
    /// `InvalidInput` for an invalid filter (an id that is not positive,
    /// blank or overlong search text).
    pub fn request(&self) -> Result<ApiRequest> {
        self.request_for(self.page_no)
    }

    /// Fetches one page.
    ///
    /// # Errors
    /// `InvalidInput` before any request; the HTTP client's errors; a
    /// `Decode` error naming the record and field.
    pub async fn send(self) -> Result<Listing<T>> {
        let req = self.request()?;
        let what = format!("{} page", self.path);
        Ok(self.client.send_json::<ListBody<T>>(req, &what).await?.0)
    }

    /// Every page, fetched lazily (the next page only once this one is
    /// consumed), as [`psa_core::paging::Page`]s carrying Halo's
    /// `record_count` as their total (see *Paging* above).
    pub fn pages(self) -> BoxStream<'a, Result<Page<T>>> {
        if let Err(e) = self.request() {
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
                let returned = u64::try_from(listing.records.len()).unwrap_or(u64::MAX);
                let total = seen
                    .fetch_add(returned, Ordering::Relaxed)
                    .saturating_add(returned);
                let next = if paginate {
                    paging::next_page_number(
                        page_no,
                        listing.records.len(),
                        total,
                        listing.record_count,
                    )
                } else {
                    None
                };
                Ok(Page::new(listing.records, next)
                    .with_fingerprint_by(Resource::fingerprint)
                    .with_total(listing.record_count))
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
